"""Rulebooks: the shipped timescales are the published ones, and a council's
overrides either apply cleanly or are refused with a message an officer can act on."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_complaints.core.rulebook import UNITS, Rulebook, RulebookError, load, parse, shipped
from xl_complaints.core.schema import BY_KEY, CORPORATE, STATUTORY, Kind

SHIPPED_IDS = ("corporate-three-stage", "corporate-two-stage", "england-statutory", "lgsco-code-2026")


def toml_files():
    return sorted(
        (e for e in resources.files("xl_complaints.core.rulebooks").iterdir() if e.name.endswith(".toml")),
        key=lambda e: e.name,
    )


def test_every_toml_file_is_a_shipped_rulebook():
    ids = [tomllib.loads(e.read_text(encoding="utf-8"))["id"] for e in toml_files()]
    assert sorted(ids) == sorted(SHIPPED_IDS)
    assert sorted(shipped()) == sorted(SHIPPED_IDS), "two files share an id, or one failed to load"


@pytest.mark.parametrize("book_id", SHIPPED_IDS)
def test_shipped_rulebook_is_complete_and_consistent(book_id):
    book = load(book_id)
    book.validate()
    assert book.procedure in (STATUTORY, CORPORATE)
    assert book.name and book.time_limit.source.strip()
    keys = [m.key for m in book.milestones]
    assert len(keys) == len(set(keys)), "milestone keys must be unique"
    assert {m.stage for m in book.milestones} == set(range(1, book.final_stage + 1))
    for m in book.milestones:
        assert m.source.strip(), f"{m.key} has no source"
        assert m.label.strip() and m.action.strip()
        assert m.unit in UNITS and m.period > 0
        assert m.start == "receipt" or BY_KEY[m.start].kind is Kind.DATE, m.start
        assert BY_KEY[m.done].kind is Kind.DATE, m.done
        if m.extended is not None:
            assert m.extended >= m.period and BY_KEY[m.extended_if].kind is Kind.YESNO
        for fallback in m.if_missing:
            if fallback.startswith("due:"):
                assert fallback[4:] in keys
            else:
                assert BY_KEY[fallback].kind is Kind.DATE
    for w in book.windows:
        assert w.source.strip() and w.unit in UNITS and w.period > 0
        assert BY_KEY[w.start].kind is Kind.DATE
        assert w.requested is None or BY_KEY[w.requested].kind is Kind.DATE


@pytest.mark.parametrize("entry", toml_files(), ids=lambda e: e.name)
def test_toml_parses_directly(entry):
    book = parse(entry.read_text(encoding="utf-8"))
    assert isinstance(book, Rulebook) and book.milestones


# --- the statutory timescales, against the words of the seeds ------------------
# (item, field, number, what a seed document says). The quotation must contain
# the number, so the table cannot drift from its source.

SEED_000 = (
    "There is an initial statutory 10 working day timescale for responding to the complaint, "
    "with an extension to 20 working days with the agreement of the complainant"
)
SEED_000_S2 = (
    "The timescale for a Stage 2 investigation is 25 working days; however, this can be extended "
    "to 65 working days, with the agreement of the complainant"
)
SEED_004_ACK = (
    "An acknowledgement letter will be sent within 3 working days of receipt of your complaint "
    "(the date of receipt is counted as day zero)"
)
SEED_004_PANEL = (
    "The Panel should be appointed within 10 working days of the request being received, and held "
    "within 30 working days."
)
SEED_004_REPORT = (
    "The Panel Chair will produce the 'Panel findings' within 5 working days of the Review meeting, "
    "following which a different Senior Manager will write to you within 15 working days."
)
SEED_004_STAGE3 = "You will have 20 working days to request a Stage 3 Panel from receiving the Stage 2 reports"
SEED_003_STAGE2 = "Sefton Council have 10 Working Days to respond. You have 20 Working Days to respond. If you're unhappy with the response to stage 1, you can request for your complaint to be raised to stage 2"
SEED_004_LIMIT = "Complaints are not usually accepted in relation to events which occurred more than 12 months prior"

STATUTORY_NUMBERS = [
    ("s1_acknowledgement", "period", 3, SEED_004_ACK),
    ("s1_response", "period", 10, SEED_000),
    ("s1_response", "extended", 20, SEED_000),
    ("s2_response", "period", 25, SEED_000_S2),
    ("s2_response", "extended", 65, SEED_000_S2),
    ("s3_panel_appointed", "period", 10, SEED_004_PANEL),
    ("s3_panel_held", "period", 30, SEED_004_PANEL),
    ("s3_panel_report", "period", 5, SEED_004_REPORT),
    ("s3_response", "period", 15, SEED_004_REPORT),
    ("to_stage_2", "period", 20, SEED_003_STAGE2),
    ("to_stage_3", "period", 20, SEED_004_STAGE3),
    ("time_limit", "amount", 12, SEED_004_LIMIT),
]


@pytest.mark.parametrize("item, field, number, quote", STATUTORY_NUMBERS, ids=[f"{i}.{f}" for i, f, *_ in STATUTORY_NUMBERS])
def test_statutory_timescales_are_the_seeds(item, field, number, quote):
    assert f"{number} " in quote
    book = load("england-statutory")
    if item == "time_limit":
        thing = book.time_limit
        assert thing.unit == "calendar months"
    else:
        thing = book.window(item) if item.startswith("to_") else book.milestone(item)
        assert thing.unit == "working days"
    assert getattr(thing, field) == number


def test_statutory_clocks_start_from_the_right_events():
    book = load("england-statutory")
    starts = {m.key: m.start for m in book.milestones}
    assert starts["s1_acknowledgement"] == starts["s1_response"] == "receipt"
    assert starts["s2_response"] == "s2_accepted"
    assert starts["s3_panel_appointed"] == starts["s3_panel_held"] == "s3_requested"
    assert starts["s3_panel_report"] == "s3_panel_held"
    assert starts["s3_response"] == "s3_panel_report_received"
    assert book.window("to_stage_2").start == "s1_response_sent"
    assert book.window("to_stage_3").start == "s2_adjudication_sent"
    assert book.day_zero == "receipt" and book.weekend_receipt == "next working day"
    assert book.final_stage == 3 and book.procedure == STATUTORY
    assert book.milestone("s1_acknowledgement").pauses_on_hold is False
    assert book.milestone("s1_response").extended_if == "s1_extended"
    assert book.milestone("s2_response").extended_if == "s2_extended"
    assert "Reg 14" in book.milestone("s1_response").source
    assert "Reg 17" in book.milestone("s2_response").source


def test_lgsco_code_2026():
    book = load("lgsco-code-2026")
    assert book.procedure == CORPORATE and book.final_stage == 2
    ack, s1, ack2, s2 = (book.milestone(k) for k in ("s1_acknowledgement", "s1_response", "s2_acknowledgement", "s2_response"))
    assert (ack.period, ack.start) == (5, "receipt")
    assert (s1.period, s1.start, s1.extended) == (10, "s1_acknowledged", 20)  # 10 from ack, at most 10 more
    assert s1.if_missing == ("due:s1_acknowledgement",)
    assert (ack2.period, ack2.start) == (5, "s2_requested")
    assert (s2.period, s2.start) == (20, "s2_accepted")
    assert s2.if_missing == ("due:s2_acknowledgement",)
    assert all(m.unit == "working days" for m in book.milestones)
    assert not any(m.pauses_on_hold for m in book.milestones), "the Code says complaints are not paused"
    assert (book.time_limit.amount, book.time_limit.unit) == (12, "calendar months")


def test_council_corporate_variants():
    two = load("corporate-two-stage")
    assert (two.milestone("s1_response").period, two.milestone("s1_response").extended) == (10, 30)
    assert two.milestone("s2_response").period == 30 and two.final_stage == 2
    three = load("corporate-three-stage")
    assert three.final_stage == 3
    assert (three.milestone("s1_acknowledgement").period, three.milestone("s1_response").extended) == (3, 20)
    assert three.milestone("s3_response").stage == 3


def test_unknown_rulebook_names_the_choices():
    with pytest.raises(RulebookError) as err:
        load("scotland-spso")
    assert "scotland-spso" in str(err.value)
    for book_id in SHIPPED_IDS:
        assert book_id in str(err.value)


def test_unknown_milestone_and_window():
    book = load("england-statutory")
    with pytest.raises(KeyError, match="s4_response"):
        book.milestone("s4_response")
    assert book.window("to_stage_4") is None


# --- overrides ----------------------------------------------------------------


def test_period_override():
    book = load("england-statutory").with_overrides({"s1_response.period": 12})
    assert book.milestone("s1_response").period == 12
    assert load("england-statutory").milestone("s1_response").period == 10, "the shipped rulebook is untouched"


@pytest.mark.parametrize("text", ["12", " 12 ", "12.0", 12.0])
def test_period_override_as_typed_on_the_settings_sheet(text):
    assert load("england-statutory", {"s1_response.period": text}).milestone("s1_response").period == 12


def test_from_override_moves_the_clock():
    book = load("england-statutory", {"s2_response.from": "s2_statement_agreed"})
    assert book.milestone("s2_response").start == "s2_statement_agreed"


@pytest.mark.parametrize("text, expected", [("yes", True), ("True", True), ("1", True), ("no", False), ("false", False), ("0", False)])
def test_boolean_override(text, expected):
    book = load("lgsco-code-2026", {"s1_response.pauses_on_hold": text})
    assert book.milestone("s1_response").pauses_on_hold is expected


@pytest.mark.parametrize("text", ["Y", "y", "YES", " yes "])
def test_yes_as_the_register_writes_it_is_yes(text):
    """'Y' means yes (the register accepts it), whatever its case or spaces."""
    changed = load("lgsco-code-2026").with_overrides({"s1_response.pauses_on_hold": text})
    assert changed.milestone("s1_response").pauses_on_hold is True


@pytest.mark.parametrize("text", ["N", "n", "NO", "False "])
def test_no_as_the_register_writes_it_is_no(text):
    changed = load("england-statutory").with_overrides({"s1_response.pauses_on_hold": text})
    assert changed.milestone("s1_response").pauses_on_hold is False


@pytest.mark.parametrize("text", ["maybe", "", "2"])
def test_unrecognised_boolean_is_refused_not_read_as_no(text):
    with pytest.raises(RulebookError) as raised:
        load("lgsco-code-2026").with_overrides({"s1_response.pauses_on_hold": text})
    assert str(raised.value) == f"Setting 's1_response.pauses_on_hold': '{text}' is not Yes or No."


def test_extended_override_and_if_missing():
    book = load("england-statutory", {"s1_response.extended": "25", "s2_response.if_missing": "s2_accepted, due:s2_acceptance"})
    assert book.milestone("s1_response").extended == 25
    assert book.milestone("s2_response").if_missing == ("s2_accepted", "due:s2_acceptance")


def test_window_time_limit_and_top_level_overrides():
    book = load(
        "england-statutory",
        {"to_stage_2.period": 28, "to_stage_2.unit": "calendar days", "time_limit.amount": 6, "day_zero": "day after receipt"},
    )
    assert (book.window("to_stage_2").period, book.window("to_stage_2").unit) == (28, "calendar days")
    assert book.time_limit.amount == 6
    assert book.day_zero == "day after receipt"


@pytest.mark.parametrize(
    "overrides, words",
    [
        ({"s1_response.colour": "red"}, ["s1_response.colour", "'colour' cannot be changed"]),
        ({"s1_response.key": "x"}, ["'key' cannot be changed"]),
        ({"s9_response.period": 5}, ["s9_response", "no milestone or window"]),
        ({"s1_response.period": "ten"}, ["s1_response.period", "'ten' is not a whole number"]),
        ({"s1_response.period": ""}, ["s1_response.period", "is not a whole number"]),
        ({"s1_response.period": -5}, ["s1_response", "whole number"]),
        ({"s1_response.unit": "fortnights"}, ["s1_response", "fortnights"]),
        ({"s1_response.period": 25}, ["s1_response", "extended maximum (20) is shorter than the period (25)"]),
        ({"s1_response.extended": 5}, ["s1_response", "extended maximum (5)"]),
        ({"s2_response.if_missing": "due:s9_thing"}, ["s2_response", "s9_thing"]),
        ({"day_zero": "tomorrow"}, ["day_zero", "tomorrow"]),
        ({"weekend_receipt": "never"}, ["weekend_receipt"]),
    ],
)
def test_bad_overrides_are_refused_clearly(overrides, words):
    with pytest.raises(RulebookError) as err:
        load("england-statutory", overrides)
    message = str(err.value)
    assert "Traceback" not in message
    for word in words:
        assert word in message


STATUTORY_NAME = "Children's social care statutory procedure (England)"
UNIT_CHOICES = "working days, calendar days, calendar months"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"s1_response.period": -5}, "s1_response: the period must be a whole number of days or months, not '-5'"),
        ({"s1_response.unit": "fortnights"}, f"s1_response: unit must be one of {UNIT_CHOICES}, not 'fortnights'"),
        ({"time_limit.unit": "weeks"}, f"time_limit: unit must be one of {UNIT_CHOICES}, not 'weeks'"),
        ({"time_limit.amount": -1}, "time_limit: the period must be a whole number of days or months, not '-1'"),
        ({"day_zero": "tomorrow"}, "day_zero must be one of receipt, day after receipt, not 'tomorrow'"),
        (
            {"day_zero": "tomorrow", "weekend_receipt": "never"},  # every problem, in one sentence
            "day_zero must be one of receipt, day after receipt, not 'tomorrow'; weekend_receipt must be one of next working day, as received",
        ),
    ],
)
def test_rulebook_problems_are_named_exactly(overrides, message):
    book = load("england-statutory")
    if len(overrides) > 1:  # applied one by one each would be refused on its own: check them together
        book = dataclasses.replace(book, **overrides)
        with pytest.raises(RulebookError) as err:
            book.validate()
    else:
        with pytest.raises(RulebookError) as err:
            book.with_overrides(overrides)
    assert str(err.value) == f"Rulebook '{STATUTORY_NAME}': {message}"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"time_limit.amount": "x"}, "Setting 'time_limit.amount': 'x' is not a whole number."),
        ({"s1_response.period": "ten"}, "Setting 's1_response.period': 'ten' is not a whole number."),
    ],
)
def test_settings_that_are_not_numbers_are_named(overrides, message):
    with pytest.raises(RulebookError) as err:
        load("england-statutory", overrides)
    assert str(err.value) == message


def test_a_top_level_setting_that_is_not_a_number_names_the_rulebook():
    with pytest.raises(RulebookError) as err:
        load("england-statutory", {"final_stage": "two"})
    assert STATUTORY_NAME in str(err.value) and str(err.value).endswith("'two' is not a whole number.")


def test_an_extension_can_be_given_to_a_milestone_that_had_none():
    book = load("england-statutory", {"s1_acknowledgement.extended": "5"})
    assert book.milestone("s1_acknowledgement").extended == 5  # a number, not the text '5'


def test_unknown_rulebook_message_lists_the_choices_in_order():
    with pytest.raises(RulebookError) as err:
        load("nope")
    assert str(err.value) == (
        "There is no rulebook 'nope': choose one of corporate-three-stage, corporate-two-stage, england-statutory, lgsco-code-2026."
    )


def test_a_milestone_without_a_unit_counts_working_days():
    text = toml_files()[0].read_text(encoding="utf-8")
    assert 'unit = "working days"\n' in text
    book = parse(text.replace('unit = "working days"\n', "", 1))
    assert {m.unit for m in book.milestones} == {"working days"}


def test_fractional_period_is_refused():
    with pytest.raises(RulebookError, match="whole number"):
        load("england-statutory", {"s1_response.period": "12.5"})


@pytest.mark.parametrize("dotted", ["time_limit", "milestones", "windows"])
def test_structural_override_is_a_rulebook_error(dotted):
    with pytest.raises(RulebookError):
        load("england-statutory", {dotted: "6"})


@settings(max_examples=10 if os.environ.get("MUTANT_UNDER_TEST") else 60, deadline=None)
@given(period=st.integers(0, 200), more=st.integers(0, 200))
def test_any_sensible_period_and_extension_applies(period, more):
    book = load("england-statutory", {"s1_response.period": period, "s1_response.extended": period + more})
    s1 = book.milestone("s1_response")
    assert (s1.period, s1.extended) == (period, period + more)
    others = [m for m in book.milestones if m.key != "s1_response"]
    assert others == [m for m in load("england-statutory").milestones if m.key != "s1_response"]


@settings(max_examples=10 if os.environ.get("MUTANT_UNDER_TEST") else 60, deadline=None)
@given(period=st.integers(1, 200), shortfall=st.integers(1, 50))
def test_extension_shorter_than_period_always_refused(period, shortfall):
    with pytest.raises(RulebookError, match="shorter than the period"):
        load("england-statutory", {"s2_response.period": period + shortfall, "s2_response.extended": period})


def test_parse_refuses_an_invalid_file():
    good = toml_files()[0].read_text(encoding="utf-8")
    with pytest.raises(RulebookError, match="unit"):
        parse(good.replace('unit = "working days"', 'unit = "workdays"', 1))


# --- hold reasons ------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "Bananas", "other", " OTHER "])
def test_a_blank_or_unlisted_hold_reason_follows_other(reason):
    book = load("england-statutory")
    assert book.stops(reason, "s1_response") is True
    council = load("england-statutory", {"other.stops": "none"})  # a council whose 'Other' holds stop nothing
    assert council.stops(reason, "s1_response") is False
    assert council.stops("Court or police proceedings", "s1_response") is True  # the other reasons as they were


def test_a_hold_reason_may_stop_named_clocks_only():
    book = load("england-statutory", {"other.stops": "s2_response"})
    assert (book.stops("Other", "s1_response"), book.stops("Other", "s2_response")) == (False, True)
    assert book.stops("Other", "s1_acknowledgement") is False  # a hold never stops the acknowledgement


def test_a_hold_reason_naming_an_unknown_clock_is_refused():
    with pytest.raises(RulebookError) as err:
        load("england-statutory", {"other.stops": "s9_thing"})
    assert str(err.value) == f"Rulebook '{STATUTORY_NAME}': hold reason 'Other': stops unknown milestone 's9_thing'"


@pytest.mark.parametrize("entry", toml_files(), ids=lambda e: e.name)
def test_every_field_of_the_toml_file_reaches_the_rulebook(entry):
    """Read the file with tomllib directly and compare field by field, defaults included."""
    data = tomllib.loads(entry.read_text(encoding="utf-8"))
    book = parse(entry.read_text(encoding="utf-8"))
    for m in data["milestone"]:
        got = book.milestone(m["key"])
        assert (got.label, got.action, got.period, got.unit, got.start, got.done, got.source) == (
            m["label"], m["action"], m["period"], m.get("unit", "working days"), m["from"], m["done"], m["source"])
        assert (got.extended, got.extended_if, got.if_missing, got.pauses_on_hold, got.at_most) == (
            m.get("extended"), m.get("extended_if"), tuple(m.get("if_missing", ())), m.get("pauses_on_hold", True), m.get("at_most"))
    assert [w.key for w in book.windows] == [w["key"] for w in data.get("window", [])]
    for w in data.get("window", []):
        got = book.window(w["key"])
        assert (got.label, got.period, got.unit, got.start, got.source, got.requested, got.or_later) == (
            w["label"], w["period"], w.get("unit", "working days"), w["from"], w["source"], w.get("requested"), tuple(w.get("or_later", ())))
    assert [(h.reason, h.source) for h in book.hold_reasons] == [(h["reason"], h["source"]) for h in data.get("hold_reason", [])]
    assert (book.time_limit.amount, book.time_limit.unit, book.time_limit.source) == (
        data["time_limit"]["amount"], data["time_limit"]["unit"], data["time_limit"]["source"])


def test_a_milestone_that_does_not_say_pauses_on_hold_pauses():
    text = toml_files()[0].read_text(encoding="utf-8")
    assert "pauses_on_hold = true\n" in text
    said_false = {m["key"] for m in tomllib.loads(text)["milestone"] if m.get("pauses_on_hold") is False}
    book = parse(text.replace("pauses_on_hold = true\n", ""))
    assert said_false and all(m.pauses_on_hold is (m.key not in said_false) for m in book.milestones)


def test_a_window_without_a_unit_counts_working_days():
    text = toml_files()[0].read_text(encoding="utf-8")
    start = text.index("[[window]]")
    assert 'unit = "working days"\n' in text[start:]
    book = parse(text[:start] + text[start:].replace('unit = "working days"\n', "", 1))
    assert book.windows[0].unit == "working days"
