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


def test_a_rulebook_with_no_milestones_is_parsed_with_none():
    book = parse(HEAD)
    assert book.milestones == ()


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
