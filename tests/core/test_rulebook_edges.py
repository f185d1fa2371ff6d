"""Rulebook files at their edges: what a file leaves out gets the documented default.

A council (or a later release) may write a rulebook with no windows, no hold reasons
or no day-zero rule; mutation testing showed no test parsing such a file, because every
shipped rulebook spells everything out (docs/testing.md).
"""

import pytest

from xl_complaints.core.rulebook import Milestone, RulebookError, Window, parse

HEAD = """
id = "test-book"
name = "Test rulebook"
procedure = "Corporate"
final_stage = 1

[time_limit]
amount = 12
unit = "calendar months"
source = "council policy"
"""

RESPONSE = """
[[milestone]]
key = "s1_response"
stage = 1
label = "Stage 1 response"
action = "Send stage 1 response"
period = 10
from = "receipt"
done = "s1_response_sent"
source = "council policy"
"""


def test_a_rulebook_with_no_windows_and_no_hold_reasons_has_none():
    book = parse(HEAD + RESPONSE)
    assert book.windows == ()
    assert book.hold_reasons == ()
    assert book.window("to_ombudsman") is None
    assert book.hold_reason("Other") is None
    assert book.stops("Awaiting consent", "s1_response") is False


def test_what_a_milestone_leaves_out_takes_the_documented_default():
    book = parse(HEAD + RESPONSE)
    assert book.milestones == (
        Milestone(
            key="s1_response", stage=1, label="Stage 1 response", action="Send stage 1 response", period=10,
            unit="working days", start="receipt", done="s1_response_sent", source="council policy",
            extended=None, extended_if=None, if_missing=(), pauses_on_hold=True, at_most=None,
        ),
    )
    # day zero is the day of receipt and a weekend receipt counts from the next working day (docs/rules.md)
    assert (book.day_zero, book.weekend_receipt, book.applies_from) == ("receipt", "next working day", None)
    assert (book.time_limit.amount, book.time_limit.unit) == (12, "calendar months")


def test_what_a_window_leaves_out_takes_the_documented_default():
    window = """
[[window]]
key = "to_ombudsman"
label = "Ombudsman"
period = 12
from = "s1_response_sent"
source = "LGSCO"
"""
    book = parse(HEAD + RESPONSE + window)
    assert book.windows == (
        Window(key="to_ombudsman", label="Ombudsman", period=12, unit="working days", start="s1_response_sent",
               source="LGSCO", requested=None, or_later=()),
    )


def test_a_rulebook_with_no_milestones_is_refused_in_a_sentence():
    with pytest.raises(RulebookError) as refused:
        parse(HEAD)
    assert str(refused.value) == "Rulebook 'Test rulebook': final_stage is 1, but stage 1 has no milestones (its stages are none)"


def test_a_final_stage_beyond_the_procedures_stages_is_refused_and_one_within_them_is_not():
    """A Rule row 'lgsco-code-2026: final_stage = 3' once passed: the Code has two stages, so a complaint
    answered at stage 2 showed nothing to do next and no Ombudsman signposted."""
    from xl_complaints.core.rulebook import load

    code = load("lgsco-code-2026")
    with pytest.raises(RulebookError) as refused:
        code.with_overrides({"final_stage": 3})
    assert str(refused.value).endswith(": final_stage is 3, but stage 3 has no milestones (its stages are 1, 2)")
    with pytest.raises(RulebookError) as refused:
        code.with_overrides({"final_stage": 4})
    assert str(refused.value).endswith(": final_stage is 4, but stage 3, 4 has no milestones (its stages are 1, 2)")
    assert code.with_overrides({"final_stage": 2}).final_stage == 2
    assert load("england-statutory").with_overrides({"final_stage": 3}).final_stage == 3


@pytest.mark.parametrize("stops, expected", [('"all"', ("all",)), ('["s1_response"]', ("s1_response",)), ('"none"', ("none",))])
def test_a_hold_reason_stops_one_clock_a_list_of_clocks_or_all(stops, expected):
    reason = f"""
[[hold_reason]]
reason = "Awaiting consent"
stops = {stops}
source = "council policy"
"""
    book = parse(HEAD + RESPONSE + reason)
    assert [(h.key, h.reason, h.stops) for h in book.hold_reasons] == [("awaiting_consent", "Awaiting consent", expected)]
    assert book.stops("Awaiting consent", "s1_response") is (expected != ("none",))


def test_a_hold_reason_naming_an_unknown_clock_is_refused():
    reason = """
[[hold_reason]]
reason = "Awaiting consent"
stops = ["s9_response"]
source = "council policy"
"""
    with pytest.raises(RulebookError, match="stops unknown milestone 's9_response'"):
        parse(HEAD + RESPONSE + reason)


def test_a_rulebook_may_count_from_the_day_after_receipt_and_take_weekend_receipts_as_received():
    top, table = HEAD.split("[time_limit]")
    book = parse(top + 'day_zero = "day after receipt"\nweekend_receipt = "as received"\n[time_limit]' + table + RESPONSE)
    assert (book.day_zero, book.weekend_receipt) == ("day after receipt", "as received")


@pytest.mark.parametrize(
    "reason, key",
    [("Court or police proceedings", "court_or_police_proceedings"), ("At complainant's request", "at_complainant_s_request"),
     ("(Other)", "other"), ("  Awaiting consent!  ", "awaiting_consent"), ("Tribunal", "tribunal")],
)
def test_a_hold_reasons_key_is_its_words_joined_by_underscores(reason, key):
    from xl_complaints.core.rulebook import reason_key

    assert reason_key(reason) == key


def test_an_extension_beyond_what_the_source_allows_is_refused_naming_the_total():
    from xl_complaints.core.rulebook import load

    # The Code's stage 2 response: 20 working days, 40 at most with an extension.
    with pytest.raises(RulebookError, match=r"s2_response: at most 40 working days in all \(.*\), not 45"):
        load("lgsco-code-2026", {"s2_response.extended": 45})
    with pytest.raises(RulebookError, match=r"s2_response: at most 40 working days in all \(.*\), not 41"):
        load("lgsco-code-2026", {"s2_response.period": 41, "s2_response.extended": 41})
    assert load("lgsco-code-2026", {"s2_response.extended": 40}).milestone("s2_response").extended == 40


@pytest.mark.parametrize("override, message", [
    ({"s1_response.from": "s1_acknowledgment"}, "s1_response: from 's1_acknowledgment' is not one of the register's date columns"),
    ({"s1_response.from": "nature"}, "s1_response: from 'nature' is not one of the register's date columns"),
    ({"s1_response.done": "s1_response_snt"}, "s1_response: done 's1_response_snt' is not one of the register's date columns"),
    ({"to_stage_2.requested": "s2_asked"}, "to_stage_2: requested 's2_asked' is not one of the register's date columns"),
    ({"to_stage_3.or_later": "s2_adjudication_meting"},
     "to_stage_3: or_later 's2_adjudication_meting' is not one of the register's date columns"),
    ({"s1_response.extended_if": "s1_extendd"}, "s1_response: extended_if 's1_extendd' is not one of the register's yes/no columns"),
    ({"s1_response.extended_if": "s1_acknowledged"}, "s1_response: extended_if 's1_acknowledged' is not one of the register's yes/no columns"),
])
def test_a_clock_reading_a_column_the_register_lacks_is_refused(override, message):
    from xl_complaints.core.rulebook import load

    with pytest.raises(RulebookError) as refused:
        load("england-statutory").with_overrides(override)
    assert str(refused.value).endswith(": " + message)


@pytest.mark.parametrize("override", [{"s1_response.from": "receipt"}, {"s1_response.from": "s1_acknowledged"},
                                      {"to_stage_2.requested": ""}, {"s1_response.extended_if": "s2_extended"}])
def test_a_clock_reading_a_register_column_of_the_right_kind_is_taken(override):
    from xl_complaints.core.rulebook import load

    load("england-statutory").with_overrides(override)
