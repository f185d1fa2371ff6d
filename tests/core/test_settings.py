"""A council's settings: the Settings sheet round trip, bad rows, and the
settings that change the rulebooks and the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_complaints.core.calendar import REGIONS
from xl_complaints.core.schema import CORPORATE, STATUTORY
from xl_complaints.core.settings import (
    SHEET_ROWS,
    STAGE2_CLOCK,
    Settings,
    settings_from_rows,
    settings_to_rows,
)

D = dt.date


def rows_of(*pairs):
    """Settings-sheet rows as a reader hands them over: [label, value, help]."""
    return [[label, value, ""] for label, value in pairs]


# --- the Settings sheet round trip -------------------------------------------


def test_default_settings_round_trip():
    rows = settings_to_rows(Settings())
    assert all(len(row) == 3 for row in rows)
    read, problems = settings_from_rows(rows)
    assert problems == []
    assert read == Settings()


def test_every_setting_has_a_row():
    labels = [label for label, _, _ in SHEET_ROWS]
    assert len(labels) == len(set(label.lower() for label in labels))
    written = {label for label, _, _ in settings_to_rows(Settings())}
    assert written == set(labels)


CUSTOM = Settings(
    council_name="Ynys Môn & Gwynedd Council",
    department="Children's Services",
    team_name="Complaints & Feedback Team",
    address=("Swyddfa'r Cyngor", "Stryd y Jêl", "Llangefni", "LL77 7TW"),
    phone="01248 750057",
    email="complaints@example.gov.uk",
    region="Scotland",
    closure_days=(D(2024, 12, 27), D(2024, 12, 30), D(2024, 12, 31)),
    extra_holidays=(D(2027, 6, 4),),
    removed_holidays=(D(2024, 5, 6),),
    statutory_rulebook="england-statutory",
    corporate_rulebook="corporate-two-stage",
    acknowledgement_days=5,
    stage2_clock="agreed statement",
    amber_days=5,
    young_person_age=11,
    retention_years=7,
    year_start_month=1,
    overrides={"england-statutory": {"s1_response.period": "12", "to_stage_2.period": "28"}},
)


def test_custom_settings_round_trip():
    rows = settings_to_rows(CUSTOM)
    assert sum(1 for label, _, _ in rows if label == "Closure day") == 3
    assert sum(1 for label, _, _ in rows if label == "Rule") == 2
    read, problems = settings_from_rows(rows)
    assert problems == []
    assert read == CUSTOM
    assert read.calendar.add(D(2024, 12, 24), 1) == D(2025, 1, 3)  # closures, then Scotland's 1 and 2 January
    assert read.rulebook_for(STATUTORY).milestone("s1_response").period == 12


def test_numeric_overrides_survive_as_the_same_rulebook():
    """The sheet holds text, so 12 comes back as '12': the rulebook it makes is the same."""
    original = Settings(overrides={"england-statutory": {"s1_response.period": 12}})
    read, problems = settings_from_rows(settings_to_rows(original))
    assert problems == []
    assert read.rulebook_for(STATUTORY) == original.rulebook_for(STATUTORY)


plain_text = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"), exclude_characters=","),
    min_size=1,
    max_size=30,
).map(str.strip).filter(bool)
day = st.dates(D(2015, 1, 1), D(2035, 12, 31))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    council_name=plain_text,
    team_name=plain_text,
    address=st.lists(plain_text, min_size=1, max_size=5).map(tuple),
    region=st.sampled_from(list(REGIONS)),
    closure_days=st.lists(day, max_size=5, unique=True).map(tuple),
    extra_holidays=st.lists(day, max_size=2, unique=True).map(tuple),
    acknowledgement_days=st.sampled_from([2, 3, 5]),
    stage2_clock=st.sampled_from(list(STAGE2_CLOCK)),
    amber_days=st.integers(0, 60),
    year_start_month=st.integers(1, 12),
    corporate_rulebook=st.sampled_from(["lgsco-code-2026", "corporate-two-stage", "corporate-three-stage"]),
    s1_period=st.one_of(st.none(), st.integers(1, 20).map(str)),
)
def test_settings_round_trip(s1_period, **fields):
    overrides = {"england-statutory": {"s1_response.period": s1_period}} if s1_period else {}
    original = Settings(**fields, overrides=overrides)
    read, problems = settings_from_rows(settings_to_rows(original))
    assert problems == []
    assert read == original


# --- reading the sheet as officers leave it -------------------------------------


def test_headings_notes_and_blank_rows_are_ignored():
    rows = [
        ["Council details", None, None],
        [],
        [None, "stray note"],
        ["  council NAME ", "Exampleshire County Council", "help"],
        ["Some note of our own", "anything"],
        ["Phone", "   ", ""],
        ["Acknowledgement (working days)", 5.0],
    ]
    read, problems = settings_from_rows(rows)
    assert problems == []
    assert read.council_name == "Exampleshire County Council"
    assert read.phone == Settings().phone  # blank: the default
    assert read.acknowledgement_days == 5


@pytest.mark.parametrize(
    "label, value, attribute",
    [
        ("Acknowledgement (working days)", "three", "acknowledgement_days"),
        ("Amber when due within (working days)", 2.5, "amber_days"),
        ("Reporting year starts in month", "April", "year_start_month"),
        ("Closure day", "next Tuesday", "closure_days"),
        ("Closure day", "31/02/2024", "closure_days"),
        ("Rule", "make stage 1 shorter", "overrides"),
        ("Rule", "england-statutory: s1_response.period", "overrides"),
    ],
)
def test_bad_row_is_reported_with_its_row_number_and_the_default_kept(label, value, attribute):
    rows = rows_of(("Council name", "Exampleshire County Council"), ("Bank holiday region", "Scotland"), (label, value))
    read, problems = settings_from_rows(rows, sheet="Settings")
    assert len(problems) == 1
    message = problems[0]
    assert message.startswith("Settings row 3, ")
    assert f"'{label}'" in message and str(value) in message
    assert getattr(read, attribute) == getattr(Settings(), attribute)
    assert read.council_name == "Exampleshire County Council" and read.region == "Scotland"


def test_one_bad_closure_day_keeps_the_good_ones():
    rows = rows_of(("Closure day", D(2024, 12, 27)), ("Closure day", "Boxing Day-ish"), ("Closure day", "30/12/2024"))
    read, problems = settings_from_rows(rows)
    assert read.closure_days == (D(2024, 12, 27), D(2024, 12, 30))
    assert len(problems) == 1 and problems[0].startswith("Settings row 2, 'Closure day'")


def test_settings_that_fail_as_a_whole_are_reported():
    """A value that reads but makes no sense (an unknown rulebook) is reported, not raised."""
    read, problems = settings_from_rows(rows_of(("Statutory rulebook", "wales-2014"), ("Council name", "Exampleshire")))
    assert any("wales-2014" in p for p in problems)
    assert read.statutory_rulebook == Settings().statutory_rulebook
    assert read.council_name == "Exampleshire"  # letterhead survives


@pytest.mark.parametrize(
    "label, value",
    [
        ("Bank holiday region", "Scotlandd"),
        ("Stage 2 clock starts from", "agreed statment"),
        ("Amber when due within (working days)", 99),
    ],
)
def test_one_bad_value_keeps_the_other_settings(label, value):
    rows = rows_of(
        ("Acknowledgement (working days)", 5),
        (label, value),
        ("Closure day", D(2024, 12, 27)),
        ("Corporate rulebook", "corporate-two-stage"),
    )
    read, problems = settings_from_rows(rows)
    assert len(problems) == 1 and problems[0].startswith("Settings row 2, ")
    assert read.acknowledgement_days == 5
    assert read.closure_days == (D(2024, 12, 27),)
    assert read.corporate_rulebook == "corporate-two-stage"


def test_rule_overriding_a_whole_structure_is_reported_not_raised():
    read, problems = settings_from_rows(rows_of(("Rule", "england-statutory: time_limit = 6")))
    assert problems and read.rulebook_for(STATUTORY).time_limit.amount == 12


def test_rule_rows_for_several_rulebooks():
    rows = rows_of(
        ("Rule", "england-statutory: s1_response.period = 12"),
        ("Rule", " lgsco-code-2026 :  s1_acknowledgement.period=3 "),
        ("Rule", "corporate-two-stage: s2_response.period = 25"),  # not in use: kept, harmless
    )
    read, problems = settings_from_rows(rows)
    assert problems == []
    assert read.rulebook_for(STATUTORY).milestone("s1_response").period == 12
    assert read.rulebook_for(CORPORATE).milestone("s1_acknowledgement").period == 3
    assert read.overrides["corporate-two-stage"] == {"s2_response.period": "25"}


def test_a_rule_the_rulebook_refuses_is_reported():
    read, problems = settings_from_rows(rows_of(("Rule", "england-statutory: s1_response.period = 30")))
    assert any("extended maximum (20) is shorter than the period (30)" in p for p in problems)
    assert read.rulebook_for(STATUTORY).milestone("s1_response").period == 10


# --- settings that change the rulebooks and the calendar ---------------------------


def test_stage2_clock_agreed_statement_moves_the_statutory_start():
    assert Settings().rulebook_for(STATUTORY).milestone("s2_response").start == "s2_accepted"
    moved = Settings(stage2_clock="agreed statement")
    s2 = moved.rulebook_for(STATUTORY).milestone("s2_response")
    assert s2.start == "s2_statement_agreed"
    assert s2.if_missing[0] == "s2_accepted"  # until the statement is agreed
    assert moved.rulebook_for(CORPORATE).milestone("s2_response").start == "s2_accepted"


@pytest.mark.parametrize("days", [2, 3, 5])
def test_acknowledgement_days_apply_to_the_statutory_rulebook(days):
    chosen = Settings(acknowledgement_days=days)
    assert chosen.rulebook_for(STATUTORY).milestone("s1_acknowledgement").period == days
    assert chosen.rulebook_for(CORPORATE).milestone("s1_acknowledgement").period == 5  # the Code's own


def test_acknowledgement_days_from_the_sheet():
    read, problems = settings_from_rows(rows_of(("Acknowledgement (working days)", "2")))
    assert problems == []
    assert read.rulebook_for(STATUTORY).milestone("s1_acknowledgement").period == 2


def test_an_explicit_rule_beats_acknowledgement_days():
    chosen = Settings(acknowledgement_days=2, overrides={"england-statutory": {"s1_acknowledgement.period": 4}})
    assert chosen.rulebook_for(STATUTORY).milestone("s1_acknowledgement").period == 4


def test_chosen_corporate_rulebook():
    assert Settings().rulebook_for(CORPORATE).id == "lgsco-code-2026"
    assert Settings(corporate_rulebook="corporate-three-stage").rulebook_for(CORPORATE).final_stage == 3


def test_calendar_follows_the_settings():
    chosen = Settings(region="Northern Ireland", closure_days=(D(2023, 3, 16),))
    assert chosen.calendar.add(D(2023, 3, 15), 1) == D(2023, 3, 20)  # closure, then St Patrick's Day
    assert Settings().calendar.add(D(2023, 3, 15), 1) == D(2023, 3, 16)
    assert chosen.replace(closure_days=()).calendar.add(D(2023, 3, 15), 1) == D(2023, 3, 16)


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"stage2_clock": "when we feel like it"}, ["when we feel like it", "accepted request", "agreed statement"]),
        ({"amber_days": 61}, ["Amber", "61"]),
        ({"amber_days": -1}, ["Amber", "-1"]),
    ],
)
def test_impossible_settings_are_refused_clearly(changes, words):
    with pytest.raises(ValueError) as err:
        Settings(**changes)
    for word in words:
        assert word in str(err.value)


# --- each setting described once ------------------------------------------------------------


def test_every_setting_is_described_once_and_grouped():
    from xl_complaints.core.settings import GROUPS, KINDS, described

    fields = described()
    assert [f.name for f, _ in fields] == [f.name for _, cls in GROUPS for f, _ in described(cls)]  # each in exactly one group, in the sheet's order
    for f, about in fields:
        assert str(f.type) in KINDS, f.name
        assert about.label and about.meaning, f.name


def test_the_sheet_notes_and_checks_come_from_the_descriptions():
    from xl_complaints.core.settings import described

    notes = {label: note for label, _, note in settings_to_rows(Settings())}
    for f, about in described():
        assert notes[about.label] == about.meaning
    assert notes["Amber when due within (working days)"] == "A milestone due within this many working days shows Amber"


@pytest.mark.parametrize(
    "changes",
    [{"consent_reply_days": 0}, {"concern_contact_days": 61}, {"year_start_month": 13}, {"retention_years": -1}, {"consent_route": "the dog"},
     {"table2_stage1": "all of them"}],
    ids=repr,
)
def test_a_value_a_setting_does_not_take_is_refused_however_the_settings_are_made(changes):
    """The same description checks the sheet's row and a Settings made in code (the command line's options)."""
    from xl_complaints.core.settings import described

    [(attr, value)] = changes.items()
    about = next(a for f, a in described() if f.name == attr)
    with pytest.raises(ValueError) as err:
        Settings(**changes)
    assert about.label in str(err.value) and str(value) in str(err.value)
    read, problems = settings_from_rows(rows_of((about.label, value)))
    assert len(problems) == 1 and f"'{about.label}'" in problems[0]
    assert getattr(read, attr) == getattr(Settings(), attr)


def test_the_settings_reference_in_the_docs_is_made_from_the_descriptions():
    from pathlib import Path

    from xl_complaints.core.settings import described, reference

    docs = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
    text = reference()
    assert docs.read_text(encoding="utf-8") == text, "docs/settings.md is out of date: remake it (the command is at its top)"
    for _, about in described():
        assert f"| {about.label} |" in text and about.meaning in text
    assert "| Acknowledgement (working days) | 3 |" in text and "Not in the Regulations 2006" in text


def test_a_register_without_a_settings_sheet_gets_the_defaults_and_no_complaint():
    assert settings_from_rows(None) == (Settings(), [])
