"""The status engine against the procedure's own numbers, row by row and in bulk."""

import csv
import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from xl_complaints.core.dates import as_of_or_today
from xl_complaints.core.register import from_records
from xl_complaints.core.schema import column
from xl_complaints.core.settings import Settings
from xl_complaints.core.status import assess, assess_row, eligibility, format_day, timeline

D = dt.date
SETTINGS = Settings()
# Issue 11: corporate complaints received before 1 April 2026 follow the earlier rulebook; these tests are about the Code.
CODE_ALWAYS = Settings(corporate_rulebook_before_code="lgsco-code-2026")


def complaint(reference="T-1", **fields):
    """A typical statutory complaint's row, by header; `fields` by column key override it."""
    base = {
        "Reference": reference,
        "Date received": D(2024, 3, 4),  # a Monday
        "Representation type": "Complaint",
        "Procedure": "Statutory",
        "Received from": "Parent",
        "Parental responsibility": "Yes",
    }
    base.update({column(k).header: v for k, v in fields.items()})
    return base


def one(as_of=D(2024, 3, 6), settings=SETTINGS, **fields):
    return assess_row(complaint(**fields), settings, as_of)


# --- statutory timescales (Regulations 2006 and the seeds) -------------------------


def test_acknowledgement_is_due_three_working_days_after_receipt_by_default():
    row = one()
    assert row["milestone"] == "Acknowledgement"
    assert row["due_date"] == D(2024, 3, 7)
    assert row["next_action"] == "Send acknowledgement by Thu 7 Mar 2024"


@pytest.mark.parametrize("days, due", [(2, D(2024, 3, 6)), (3, D(2024, 3, 7)), (5, D(2024, 3, 11))])
def test_acknowledgement_days_is_a_council_setting(days, due):
    row = one(settings=Settings(acknowledgement_days=days), as_of=D(2024, 3, 4))
    assert row["due_date"] == due


def test_stage_1_response_is_10_working_days_or_20_when_extended():
    row = one(s1_acknowledged=D(2024, 3, 5))
    assert (row["milestone"], row["due_date"]) == ("Stage 1 response", D(2024, 3, 18))
    extended = one(s1_acknowledged=D(2024, 3, 5), s1_extended="Yes")
    # 20 working days from Mon 4 Mar 2024 crosses Good Friday and Easter Monday 2024.
    assert extended["due_date"] == D(2024, 4, 3)


def test_easter_run_pushes_the_stage_1_date():
    # Received Thu 28 Mar 2024: Good Friday 29 Mar and Easter Monday 1 Apr are not working days.
    row = one(date_received=D(2024, 3, 28), s1_acknowledged=D(2024, 3, 28), as_of=D(2024, 3, 28))
    assert row["due_date"] == D(2024, 4, 15)  # Tue 2 Apr is working day 1


def test_complaint_received_on_a_saturday_counts_from_the_monday():
    row = one(date_received=D(2024, 3, 2), as_of=D(2024, 3, 4))
    assert row["due_date"] == D(2024, 3, 7)  # Tue 5, Wed 6, Thu 7


def test_stage_2_is_25_working_days_from_the_accepted_request_or_65_extended():
    fields = dict(s1_response_sent=D(2024, 3, 12), s2_requested=D(2024, 3, 20), s2_accepted=D(2024, 3, 22))
    row = one(as_of=D(2024, 3, 25), **fields)
    assert row["stage"] == "Stage 2"
    assert row["due_date"] == D(2024, 4, 30)  # 25 working days from Fri 22 Mar, across Easter
    assert one(as_of=D(2024, 3, 25), s2_extended="Yes", **fields)["due_date"] == D(2024, 6, 27)  # 65: across Easter and the May bank holidays


def test_stage_2_clock_can_run_from_the_agreed_statement():
    s = Settings(stage2_clock="agreed statement")
    fields = dict(s1_response_sent=D(2024, 3, 12), s2_requested=D(2024, 3, 20), s2_accepted=D(2024, 3, 22))
    provisional = one(as_of=D(2024, 3, 25), settings=s, **fields)
    assert provisional["due_date"] == D(2024, 4, 30)  # from the acceptance until agreed
    agreed = one(as_of=D(2024, 4, 10), settings=s, s2_statement_agreed=D(2024, 4, 8), **fields)
    assert agreed["due_date"] == D(2024, 5, 14)  # 25 from Mon 8 Apr, less the early May bank holiday


def test_stage_3_panel_timescales():
    base = dict(
        date_received=D(2024, 1, 2), s1_response_sent=D(2024, 1, 10), s2_requested=D(2024, 1, 15), s2_accepted=D(2024, 1, 16),
        s2_adjudication_sent=D(2024, 2, 20), s3_requested=D(2024, 3, 1),
    )
    row = one(as_of=D(2024, 3, 4), **base)
    assert (row["milestone"], row["due_date"]) == ("Review panel appointed", D(2024, 3, 15))
    row = one(as_of=D(2024, 3, 20), s3_panel_appointed=D(2024, 3, 8), **base)
    assert (row["milestone"], row["due_date"]) == ("Review panel hearing", D(2024, 4, 16))  # 30 from Fri 1 Mar, across Easter
    row = one(as_of=D(2024, 4, 16), s3_panel_appointed=D(2024, 3, 8), s3_panel_held=D(2024, 4, 15), **base)
    assert (row["milestone"], row["due_date"]) == ("Review panel report", D(2024, 4, 22))
    row = one(
        as_of=D(2024, 4, 23), s3_panel_appointed=D(2024, 3, 8), s3_panel_held=D(2024, 4, 15),
        s3_panel_report_received=D(2024, 4, 22), **base,
    )
    assert (row["milestone"], row["due_date"]) == ("Stage 3 response", D(2024, 5, 14))  # 15 from Mon 22 Apr, less Mon 6 May


def test_a_panel_booked_ahead_is_not_yet_held():
    base = dict(
        date_received=D(2024, 1, 2), s1_response_sent=D(2024, 1, 10), s2_requested=D(2024, 1, 15), s2_accepted=D(2024, 1, 16),
        s2_adjudication_sent=D(2024, 2, 20), s3_requested=D(2024, 3, 1), s3_panel_appointed=D(2024, 3, 8),
        s3_panel_held=D(2024, 4, 15),
    )
    booked = one(as_of=D(2024, 4, 2), **base)
    assert (booked["milestone"], booked["due_date"]) == ("Review panel hearing", D(2024, 4, 16))
    assert booked["problems"] == ""
    held = one(as_of=D(2024, 4, 16), **base)
    assert held["milestone"] == "Review panel report"


# --- RAG --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "as_of, rag, left",
    [
        (D(2024, 3, 4), "Amber", 3),  # due Thu 7 Mar, 3 working days away: within the Amber threshold
        (D(2024, 3, 7), "Amber", 0),  # due today
        (D(2024, 3, 8), "Red", -1),
    ],
)
def test_rag_follows_working_days_left(as_of, rag, left):
    row = one(as_of=as_of)
    assert (row["rag"], row["working_days_left"]) == (rag, left)


def test_green_when_further_away_than_the_amber_threshold():
    row = one(as_of=D(2024, 3, 5), s1_acknowledged=D(2024, 3, 5))
    assert (row["rag"], row["working_days_left"]) == ("Green", 9)


def test_overdue_next_action_says_by_how_much():
    row = one(as_of=D(2024, 3, 12))
    assert row["next_action"] == "Send acknowledgement by Thu 7 Mar 2024 (overdue by 3 working days)"


def test_finished_milestone_is_met_or_late():
    on_time = one(as_of=D(2024, 3, 20), s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 18))
    late = one(as_of=D(2024, 3, 20), s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 19))
    assert (on_time["rag"], late["rag"]) == ("Met", "Late")


# --- holds, withdrawals -----------------------------------------------------------


def test_time_on_hold_pushes_the_due_date_back():
    # Stage 1 due Mon 18 Mar; on hold Tue 12 Mar to Tue 19 Mar = 5 working days.
    row = one(as_of=D(2024, 3, 20), s1_acknowledged=D(2024, 3, 5), on_hold_from=D(2024, 3, 12), on_hold_to=D(2024, 3, 19))
    assert row["due_date"] == D(2024, 3, 25)
    assert (row["rag"], row["working_days_left"]) == ("Amber", 3)  # Thu 21, Fri 22, Mon 25


def test_open_hold_shows_on_hold_and_counts_to_the_as_of_date():
    row = one(as_of=D(2024, 3, 14), s1_acknowledged=D(2024, 3, 5), on_hold_from=D(2024, 3, 12))
    assert row["rag"] == "On hold"
    assert row["due_date"] == D(2024, 3, 20)  # Wed 13 and Thu 14 on hold: Mon 18 + 2
    assert row["next_action"].startswith("On hold: review the hold; send stage 1 response by")


def test_corporate_code_does_not_pause():
    row = one(
        procedure="Corporate", as_of=D(2024, 3, 20), s1_acknowledged=D(2024, 3, 5),
        on_hold_from=D(2024, 3, 12), on_hold_to=D(2024, 3, 19), settings=CODE_ALWAYS,
    )
    assert row["due_date"] == D(2024, 3, 19)  # 10 working days from the acknowledgement on Tue 5 Mar


def test_withdrawn_complaint_has_no_due_date():
    row = one(as_of=D(2024, 3, 20), withdrawn_date=D(2024, 3, 6))
    assert (row["rag"], row["due_date"]) == ("Withdrawn", None)
    assert row["next_action"] == "None: withdrawn on Wed 6 Mar 2024"


# --- escalation ---------------------------------------------------------------------


def test_stage_2_window_is_20_working_days_from_the_stage_1_response():
    row = one(as_of=D(2024, 3, 20), s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 15))
    assert row["can_escalate"] == "To stage 2"
    assert row["escalate_by"] == D(2024, 4, 16)
    assert row["next_action"] == f"None: the complainant may go to stage 2 until {format_day(row['escalate_by'])}"


def test_window_closed_means_closed():
    row = one(as_of=D(2024, 6, 1), s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 15))
    assert (row["rag"], row["can_escalate"], row["next_action"]) == ("Closed", "No", "None: closed")


def test_late_stage_2_request_is_flagged_for_discretion():
    row = one(as_of=D(2024, 5, 1), s1_response_sent=D(2024, 3, 15), s2_requested=D(2024, 4, 30))
    assert row["can_escalate"] == "Out of time - discretion"


def test_final_response_signposts_the_ombudsman_for_12_months():
    row = one(
        as_of=D(2024, 6, 3), date_received=D(2024, 1, 2), s1_response_sent=D(2024, 1, 10), s2_requested=D(2024, 1, 15), s2_accepted=D(2024, 1, 16),
        s2_adjudication_sent=D(2024, 2, 20), s3_requested=D(2024, 3, 1), s3_panel_appointed=D(2024, 3, 8),
        s3_panel_held=D(2024, 4, 15), s3_panel_report_received=D(2024, 4, 22), s3_response_sent=D(2024, 5, 31),
    )
    # Issue 11: a late stage 3 response shows Late while the Ombudsman window is open (due Tue 14 May 2024).
    assert (row["rag"], row["can_escalate"], row["escalate_by"]) == ("Late", "To the Ombudsman", D(2025, 5, 31))


def test_unanswered_statutory_stage_1_past_20_days_may_go_to_stage_2():
    row = one(as_of=D(2024, 4, 15), s1_acknowledged=D(2024, 3, 5))
    assert row["can_escalate"] == "To stage 2 (stage 1 not answered in time)"


def test_corporate_stage_1_counts_from_the_acknowledgement_and_the_window_is_a_month():
    row = one(procedure="Corporate", as_of=D(2024, 3, 8), s1_acknowledged=D(2024, 3, 8), settings=CODE_ALWAYS)
    assert row["due_date"] == D(2024, 3, 22)
    done = one(procedure="Corporate", as_of=D(2024, 3, 25), s1_acknowledged=D(2024, 3, 8), s1_response_sent=D(2024, 3, 22), settings=CODE_ALWAYS)
    assert done["escalate_by"] == D(2024, 4, 22)
    # A calendar month from 31 January is the last day of February (2024: a leap year).
    end_of_january = one(procedure="Corporate", as_of=D(2024, 2, 1), date_received=D(2024, 1, 15), s1_acknowledged=D(2024, 1, 16),
                         s1_response_sent=D(2024, 1, 31), settings=CODE_ALWAYS)
    assert end_of_january["escalate_by"] == D(2024, 2, 29)


# --- eligibility ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({}, "Statutory: eligible - a parent (s26(3)(b))"),
        ({"received_from": "Service user (young person)", "parental_responsibility": ""}, "Statutory: eligible - the child (s26(3)(a))"),
        ({"received_from": "Foster Carer", "parental_responsibility": "No"}, "Statutory: eligible - a local authority foster parent (s26(3)(d))"),
        ({"service": "Early Help Hub"}, "Service is outside the statutory procedure: use Corporate"),
        (
            {"received_from": "Grandparent", "parental_responsibility": "No", "child_date_of_birth": D(2010, 1, 1)},
            "Needs the child's consent: send the consent request",
        ),
        (
            {"received_from": "Grandparent", "parental_responsibility": "No", "child_date_of_birth": D(2010, 1, 1), "child_consent": "Yes"},
            "Statutory: eligible - acting for the child, with the child's consent",
        ),
        (
            {"received_from": "Grandparent", "parental_responsibility": "No", "child_date_of_birth": D(2019, 1, 1)},
            "Child is under 12 and the complainant has no parental responsibility: only a parent with parental responsibility or the person providing the child's care may complain for them (seed 001); use Corporate or refuse (No PR), unless the council decides they have sufficient interest (s26(3)(e))",
        ),
        ({"date_of_events": D(2022, 12, 1)}, "Out of time: events more than 12 months before receipt; accept only at discretion (record why in Accepted out of time) or refuse (Out of Time)"),
        (
            {"date_of_events": D(2022, 12, 1), "received_from": "Service user (young person)"},
            "Out of time, but from a young person: may still be accepted if they could not complain sooner (seed 004)",
        ),
        ({"procedure": "Corporate"}, "Corporate"),
    ],
)
def test_eligibility(fields, expected):
    assert one(**fields)["eligibility"] == expected


def test_in_time_rows_get_no_out_of_time_words_beside_a_late_one():
    # Received Wed 6 Mar 2024. A young person's complaint about January 2024, and a parent's with a reason for accepting it
    # late recorded although it is in time, sit in one register with a complaint about December 2022 (out of time):
    # only that one is out of time, and the in-time rows get no 'Out of time' words of any kind.
    table = from_records([complaint(reference="YP-1", date_of_events=D(2024, 1, 1), received_from="Service user (young person)"),
                          complaint(reference="P-1", date_of_events=D(2024, 1, 1), accepted_out_of_time="Other good reason"),
                          complaint(reference="LATE-1", date_of_events=D(2022, 12, 1))]).table
    found = eligibility(table, SETTINGS).tolist()
    assert found == ["Statutory: eligible - the child (s26(3)(a))", "Statutory: eligible - a parent (s26(3)(b))", OUT_OF_TIME]


# --- rows that do not make sense ------------------------------------------------------


def test_a_muddled_row_is_flagged_and_the_others_are_untouched():
    good = complaint(reference="G-1")
    other_good = complaint(reference="G-2")
    bad = complaint(reference="B-1", s1_response_sent=D(2024, 3, 1), on_hold_from=D(2024, 3, 10), on_hold_to=D(2024, 3, 5))
    alone = assess_row(good, SETTINGS, D(2024, 3, 6))
    validated = from_records([good, bad, other_good])
    result = assess(validated.table, SETTINGS, D(2024, 3, 6), validated.row_problems())
    assert result.iloc[1]["rag"] == "Check"
    assert result.iloc[1]["problems"] == "S1 response sent is before Date received; On hold to is before On hold from"
    assert result.iloc[1]["next_action"] == "Correct the row: S1 response sent is before Date received"
    for i in (0, 2):
        assert result.iloc[i]["next_action"] == alone["next_action"] == "Send acknowledgement by Thu 7 Mar 2024"
        assert result.iloc[i]["problems"] == ""


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"s2_requested": D(2024, 3, 20)}, "Stage 2 requested but no S1 response sent recorded"),
        ({"s3_requested": D(2024, 3, 20), "s1_response_sent": D(2024, 3, 10)}, "Stage 3 requested but no S2 adjudication sent recorded"),
        ({"on_hold_to": D(2024, 3, 20)}, "On hold to without On hold from"),
        ({"date_received": D(2024, 4, 1)}, "Date received is after the as-of date"),
    ],
)
def test_row_problems(fields, message):
    assert message in one(**fields)["problems"]


STAGE_2_DONE = {"s1_response_sent": D(2024, 1, 10), "s2_requested": D(2024, 1, 15), "s2_accepted": D(2024, 1, 16),
                "s2_adjudication_sent": D(2024, 2, 20)}


@pytest.mark.parametrize("present, message", [
    ({"s3_panel_held": D(2024, 3, 20)}, "S3 panel held but no S3 requested date"),
    ({"s3_response_sent": D(2024, 3, 25)}, "S3 response sent but no S3 requested date"),
])
def test_a_stage_3_date_without_the_request_is_a_problem_and_with_it_is_not(present, message):
    """A review panel sits, and the council responds, only when the complainant asks for stage 3 (reg 19):
    a stage 3 date with no S3 requested is a gap in the row, as the stage 2 dates without S2 requested are."""
    without = one(as_of=D(2024, 4, 2), date_received=D(2024, 1, 2), **STAGE_2_DONE, **present)
    assert without["rag"] == "Check" and message in without["problems"]
    with_request = one(as_of=D(2024, 4, 2), date_received=D(2024, 1, 2), **STAGE_2_DONE, s3_requested=D(2024, 2, 27), **present)
    assert message not in with_request["problems"]


def test_validation_errors_reach_the_problems_column():
    row = assess_row(complaint(nature="Grumpy"), SETTINGS, D(2024, 3, 6))
    assert row["rag"] == "Check"
    assert "Nature: is not one of the values on the Lists sheet" in row["problems"] and "Grumpy" not in row["problems"]


def test_other_representations_run_no_clock():
    compliment = one(representation_type="Compliment")
    refused = one(representation_type="Refused", refusal_reason="Outside of Remit")
    assert (compliment["rag"], compliment["due_date"], compliment["next_action"]) == ("Closed", None, "None: compliment logged")
    assert (refused["stage"], refused["next_action"]) == ("Refused", "None: refused (Outside of Remit)")


# --- timeline: what letters quote -----------------------------------------------------


def test_timeline_matches_assess_due_dates():
    records = [
        complaint(reference="A", s1_acknowledged=D(2024, 3, 5)),
        complaint(reference="B", procedure="Corporate"),
        complaint(reference="C", s1_response_sent=D(2024, 3, 12), s2_requested=D(2024, 3, 14), s2_accepted=D(2024, 3, 15)),
    ]
    table = from_records(records).table
    lines = timeline(table, SETTINGS, D(2024, 3, 18))
    result = assess(table, SETTINGS, D(2024, 3, 18))
    assert lines.loc[2, "s1_response_due"] == result.loc[2, "due_date"] == pd.Timestamp(2024, 3, 18)
    assert lines.loc[3, "s1_acknowledgement_due"] == result.loc[3, "due_date"]
    assert lines.loc[4, "s2_response_due"] == result.loc[4, "due_date"]
    assert lines.loc[4, "to_stage_2_by"] == pd.Timestamp(2024, 4, 11)  # 20 working days from Tue 12 Mar, across Easter
    assert pd.isna(lines.loc[2, "s3_response_due"])


# --- many rows at once, against a model from outside the code ----------------------------
# A deliberately naive model of the statutory stage 1 rules: step one calendar day
# at a time, skipping weekends and the dates on GOV.UK's list (the copy in
# tests/data). It shares nothing with the engine's calendar.

GOVUK = frozenset(
    D.fromisoformat(r["date"])
    for r in csv.DictReader(open(Path(__file__).parents[1] / "data" / "bank_holidays_england_wales.csv", encoding="utf-8"))
)


def working(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in GOVUK


def next_working(day: dt.date) -> dt.date:
    while not working(day):
        day += dt.timedelta(days=1)
    return day


def workday(start: dt.date, n: int) -> dt.date:
    """Excel's WORKDAY for n >= 0: the nth working day after start."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        n -= working(day)
    return day


def working_days_after(start: dt.date, end: dt.date) -> int:
    """docs/rules.md: the working days after start up to and including end (NETWORKDAYS(start+1, end));
    when end is earlier, minus the working days from end up to the day before start (-NETWORKDAYS(end, start-1)),
    so that WORKDAY(start, result) gives end back."""
    if end >= start:
        return sum(working(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))
    return -sum(working(end + dt.timedelta(days=i)) for i in range(0, (start - end).days))


@st.composite
def stage_1_cases(draw):
    """A statutory complaint at stage 1, seen on any day (weekends too) within three months of receipt."""
    received = draw(st.dates(min_value=D(2019, 1, 1), max_value=D(2026, 9, 30)))
    day_zero = next_working(received)
    as_of = day_zero + dt.timedelta(days=draw(st.integers(0, 90)))
    acknowledged = draw(st.one_of(st.none(), st.integers(0, (as_of - day_zero).days)))
    withdrawn = draw(st.one_of(st.none(), st.integers(0, (as_of - received).days + 5)))
    return dict(
        received=received, day_zero=day_zero, as_of=as_of, extended=draw(st.sampled_from(["Yes", "No"])),
        acknowledged=None if acknowledged is None else day_zero + dt.timedelta(days=acknowledged),
        withdrawn=None if withdrawn is None else received + dt.timedelta(days=withdrawn),
    )


def expected_stage_1(case: dict) -> dict:
    """What the rules say, worked by the naive model."""
    if case["withdrawn"] is not None and case["withdrawn"] <= case["as_of"]:
        return {"rag": "Withdrawn", "due_date": None}
    if case["acknowledged"] is None:
        due = workday(case["day_zero"], 3)
    else:
        due = workday(case["day_zero"], 20 if case["extended"] == "Yes" else 10)
    left = working_days_after(case["as_of"], due)
    rag = "Red" if left < 0 else "Amber" if left <= 3 else "Green"
    return {"rag": rag, "due_date": due, "working_days_left": left}


def record_for(i: int, case: dict) -> dict:
    return complaint(
        reference=f"P-{i}", date_received=case["received"], s1_acknowledged=case["acknowledged"],
        s1_extended=case["extended"], withdrawn_date=case["withdrawn"],
    )


PROPERTY = hsettings(
    max_examples=10 if os.environ.get("MUTANT_UNDER_TEST") else 25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY
@given(st.lists(stage_1_cases(), min_size=1, max_size=8))
def test_stage_1_due_dates_and_rag_match_the_rules_row_by_row(cases):
    """Each row of one register, assessed together with the others on one as-of day, as the rules say."""
    as_of = max(c["as_of"] for c in cases)
    for c in cases:
        c["as_of"] = as_of
    validated = from_records([record_for(i, c) for i, c in enumerate(cases)])
    result = assess(validated.table, SETTINGS, as_of, validated.row_problems())
    for i, case in enumerate(cases):
        got = result.iloc[i]
        want = expected_stage_1(case)
        assert got["rag"] == want["rag"], case
        assert (None if pd.isna(got["due_date"]) else got["due_date"].date()) == want["due_date"], case
        if "working_days_left" in want:
            assert got["working_days_left"] == want["working_days_left"], case
            assert got["next_action"].endswith(f"by {format_day(want['due_date'])}" + (
                "" if want["working_days_left"] >= 0 else
                f" (overdue by {-want['working_days_left']} working day{'s' if want['working_days_left'] != -1 else ''})"
            )), case


def test_a_large_register_gets_each_rows_own_answer():
    """Not a timing test (benchmarks/ does that): 1,500 rows in one call, each checked against the naive model.

    The engine formats each distinct message once and shares it between rows, so
    a mix-up there would give a row another row's date.
    """
    as_of = D(2024, 6, 3)
    cases = []
    for i in range(1500):
        received = D(2024, 1, 1) + dt.timedelta(days=i % 150)
        day_zero = next_working(received)
        acknowledged = day_zero if i % 3 else None
        cases.append(dict(received=received, day_zero=day_zero, as_of=as_of, extended="Yes" if i % 7 == 0 else "No",
                          acknowledged=acknowledged, withdrawn=None))
    validated = from_records([record_for(i, c) for i, c in enumerate(cases)])
    result = assess(validated.table, SETTINGS, as_of, validated.row_problems())
    wanted = [expected_stage_1(c) for c in cases]
    assert list(result["rag"]) == [w["rag"] for w in wanted]
    assert [d.date() for d in result["due_date"]] == [w["due_date"] for w in wanted]
    assert list(result["working_days_left"]) == [w["working_days_left"] for w in wanted]
    assert len(set(result["next_action"])) > 100  # many distinct messages, each on its own rows


# --- boundaries: each side of every threshold and window ------------------------------
# Expected dates are worked by hand from the rulebook's rule and GOV.UK's list of
# bank holidays for England and Wales (Good Friday 29 March and Easter Monday
# 1 April 2024), never with the project's calendar. March 2024: Mon 4, Mon 11,
# Mon 18, Mon 25; April 2024: Tue 2, Mon 8, Mon 15, Mon 22.

ACKED = dict(s1_acknowledged=D(2024, 3, 5))  # received Mon 4 Mar: stage 1 response due Mon 18 Mar (5-8, 11-15, 18)


@pytest.mark.parametrize(
    "as_of, rag, left",
    [
        (D(2024, 3, 6), "Amber", 1),  # the acknowledgement (Tue 5, Wed 6, Thu 7) is due tomorrow
        (D(2024, 3, 7), "Amber", 0),  # the due day itself is still in time
        (D(2024, 3, 8), "Red", -1),  # the day after is overdue
    ],
)
def test_due_day_itself_is_in_time(as_of, rag, left):
    row = one(as_of=as_of)
    assert (row["due_date"], row["rag"], row["working_days_left"]) == (D(2024, 3, 7), rag, left)


@pytest.mark.parametrize("sent, rag", [(D(2024, 3, 18), "Met"), (D(2024, 3, 19), "Late")])
def test_response_sent_on_the_due_day_is_met_and_the_day_after_late(sent, rag):
    row = one(as_of=D(2024, 3, 20), s1_response_sent=sent, **ACKED)
    assert (row["milestone"], row["rag"]) == ("Stage 1 response", rag)


@pytest.mark.parametrize(
    "amber, as_of, rag, left",
    [
        (3, D(2024, 3, 12), "Green", 4),  # Wed 13, Thu 14, Fri 15, Mon 18: 4 working days left
        (3, D(2024, 3, 13), "Amber", 3),
        (5, D(2024, 3, 8), "Green", 6),
        (5, D(2024, 3, 11), "Amber", 5),  # a council that wants a week's warning
        (5, D(2024, 3, 12), "Amber", 4),
        (0, D(2024, 3, 15), "Green", 1),  # Amber only on the day itself
        (0, D(2024, 3, 18), "Amber", 0),
    ],
)
def test_amber_days_is_the_councils_setting(amber, as_of, rag, left):
    row = one(as_of=as_of, settings=Settings(amber_days=amber), **ACKED)
    assert (row["due_date"], row["rag"], row["working_days_left"]) == (D(2024, 3, 18), rag, left)


@pytest.mark.parametrize(
    "extended, as_of, can",
    [
        # 20 working days from Mon 4 Mar 2024, skipping Good Friday and Easter Monday: Wed 3 Apr.
        ("No", D(2024, 4, 3), "No"),
        ("No", D(2024, 4, 4), "To stage 2 (stage 1 not answered in time)"),
        ("Yes", D(2024, 4, 3), "No"),
        ("Yes", D(2024, 4, 4), "To stage 2 (stage 1 not answered in time)"),
    ],
)
def test_straight_to_stage_2_only_after_the_extended_maximum(extended, as_of, can):
    row = one(as_of=as_of, s1_extended=extended, **ACKED)
    assert row["can_escalate"] == can


# Stage 1 response sent Fri 15 Mar 2024: 20 working days to ask for stage 2 are
# 18-22, 25-28 Mar (9), 2-5 Apr (13), 8-12 Apr (18), Mon 15 and Tue 16 Apr.
S1_SENT = dict(s1_response_sent=D(2024, 3, 15), **ACKED)


@pytest.mark.parametrize(
    "as_of, rag, can, by",
    [
        (D(2024, 4, 16), "Met", "To stage 2", D(2024, 4, 16)),  # the last day to escalate is still open
        (D(2024, 4, 17), "Closed", "No", None),
    ],
)
def test_last_day_to_escalate(as_of, rag, can, by):
    row = one(as_of=as_of, **S1_SENT)
    assert (row["rag"], row["can_escalate"], row["escalate_by"]) == (rag, can, by)
    if can == "No":
        assert row["next_action"] == "None: closed"
    else:
        assert row["next_action"] == "None: the complainant may go to stage 2 until Tue 16 Apr 2024"


def test_the_last_day_to_escalate_at_a_month_end():
    # The Code's window is a calendar month: 31 January gives the end of February.
    corporate = one(procedure="Corporate", as_of=D(2025, 2, 3), date_received=D(2025, 1, 13), s1_acknowledged=D(2025, 1, 14),
                    s1_response_sent=D(2025, 1, 31), settings=CODE_ALWAYS)
    assert corporate["escalate_by"] == D(2025, 2, 28)
    # Twelve months from a stage 3 response sent on 29 February 2024: 28 February 2025.
    final = one(
        as_of=D(2024, 3, 1), date_received=D(2023, 11, 1), s1_response_sent=D(2023, 11, 10), s2_requested=D(2023, 11, 15), s2_accepted=D(2023, 11, 16),
        s2_adjudication_sent=D(2023, 12, 20), s3_requested=D(2024, 1, 2), s3_panel_appointed=D(2024, 1, 9),
        s3_panel_held=D(2024, 2, 1), s3_panel_report_received=D(2024, 2, 8), s3_response_sent=D(2024, 2, 29),
    )
    assert (final["can_escalate"], final["escalate_by"]) == ("To the Ombudsman", D(2025, 2, 28))


@pytest.mark.parametrize(
    "requested, can",
    [
        (D(2024, 4, 16), "No"),  # asked on the last day: in time, stage 2 goes ahead
        (D(2024, 4, 17), "Out of time - discretion"),
    ],
)
def test_stage_2_request_on_the_deadline_day_is_in_time(requested, can):
    row = one(as_of=D(2024, 4, 18), s2_requested=requested, **S1_SENT)
    assert (row["milestone"], row["can_escalate"]) == ("Accept stage 2 request", can)
    if can != "No":
        assert row["escalate_by"] == D(2024, 4, 16)


STAGE_3_DONE = dict(
    date_received=D(2024, 1, 2), s1_response_sent=D(2024, 1, 10), s2_requested=D(2024, 1, 15), s2_accepted=D(2024, 1, 16),
    s2_adjudication_sent=D(2024, 2, 20), s3_requested=D(2024, 3, 1), s3_panel_appointed=D(2024, 3, 8),
    s3_panel_held=D(2024, 4, 15), s3_panel_report_received=D(2024, 4, 22), s3_response_sent=D(2024, 5, 31),
)


@pytest.mark.parametrize(
    "as_of, rag, can, by",
    [(D(2025, 5, 31), "Late", "To the Ombudsman", D(2025, 5, 31)), (D(2025, 6, 1), "Closed", "No", None)],
)
def test_ombudsman_window_is_12_calendar_months_to_the_day(as_of, rag, can, by):
    # Issue 11: the final response keeps its Late (due Tue 14 May 2024) while the Ombudsman window is open.
    row = one(as_of=as_of, **STAGE_3_DONE)
    assert (row["rag"], row["can_escalate"], row["escalate_by"]) == (rag, can, by)


@pytest.mark.parametrize(
    "received, weekday, due",
    [
        (D(2024, 3, 1), "Friday", D(2024, 3, 6)),  # Mon 4, Tue 5, Wed 6
        (D(2024, 3, 2), "Saturday", D(2024, 3, 7)),  # counts from Monday 4 March: Tue 5, Wed 6, Thu 7
        (D(2024, 3, 3), "Sunday", D(2024, 3, 7)),
        (D(2024, 3, 29), "Good Friday", D(2024, 4, 5)),  # counts from Tue 2 Apr: Wed 3, Thu 4, Fri 5
    ],
)
def test_receipt_on_a_day_off_counts_from_the_next_working_day(received, weekday, due):
    row = one(as_of=received, date_received=received)
    assert received.strftime("%A") == weekday or weekday == "Good Friday"
    assert row["due_date"] == due


# --- holds: which milestone they stretch, and on which days ------------------------------


def test_hold_from_the_day_of_receipt_stretches_stage_1():
    # On hold Mon 4 to Wed 6 Mar: Tue 5 and Wed 6 are on hold, so Mon 18 Mar + 2 = Wed 20 Mar.
    row = one(as_of=D(2024, 3, 7), on_hold_from=D(2024, 3, 4), on_hold_to=D(2024, 3, 6), **ACKED)
    assert (row["due_date"], row["rag"]) == (D(2024, 3, 20), "Green")


@pytest.mark.parametrize(
    "as_of, rag",
    [
        (D(2024, 3, 11), "Green"),  # the day before the hold starts
        (D(2024, 3, 12), "On hold"),  # the hold's first day
        (D(2024, 3, 18), "On hold"),  # the day before it ends
        (D(2024, 3, 19), "Green"),  # the day it ends: the clock runs again (due Mon 25 Mar, 4 days left)
    ],
)
def test_hold_starts_and_ends_on_its_own_days(as_of, rag):
    row = one(as_of=as_of, on_hold_from=D(2024, 3, 12), on_hold_to=D(2024, 3, 19), **ACKED)
    assert row["rag"] == rag


# Stage 2: requested Mon 11 Mar, accepted Wed 13 Mar 2024; 25 working days from the
# acceptance: 14-15, 18-22, 25-28 Mar (11), 2-5 Apr (15), 8-12 Apr (20), 15-19 Apr: Fri 19 Apr.
STAGE_2 = dict(s1_response_sent=D(2024, 3, 8), s2_requested=D(2024, 3, 11), s2_accepted=D(2024, 3, 13), **ACKED)


@pytest.mark.parametrize(
    "hold_from, hold_to, due",
    [
        (D(2024, 3, 13), D(2024, 3, 15), D(2024, 4, 23)),  # from the day stage 2's clock starts: Thu 14, Fri 15 taken off
        (D(2024, 3, 12), D(2024, 3, 15), D(2024, 4, 23)),  # from the day before: only the days on this clock count
        (D(2024, 3, 11), D(2024, 3, 14), D(2024, 4, 22)),  # ends the day after the clock starts: Thu 14 taken off
        (D(2024, 3, 11), D(2024, 3, 13), D(2024, 4, 19)),  # ends on the day the clock starts: nothing taken off
    ],
)
def test_hold_stretches_only_the_milestone_whose_clock_was_running(hold_from, hold_to, due):
    row = one(as_of=D(2024, 3, 20), on_hold_from=hold_from, on_hold_to=hold_to, **STAGE_2)
    assert (row["milestone"], row["due_date"]) == ("Stage 2 adjudication", due)


@pytest.mark.parametrize(
    "hold_from, due",
    [
        (D(2024, 3, 14), D(2024, 3, 19)),  # begins the day before the response went: Fri 15 taken off, Mon 18 + 1
        (D(2024, 3, 15), D(2024, 3, 18)),  # begins on the day it went, after its clock stopped: the date stands
        (D(2024, 3, 18), D(2024, 3, 18)),  # begins after it: stage 1's date stands
    ],
)
def test_hold_after_a_response_does_not_move_its_due_date(hold_from, due):
    table = from_records([complaint(on_hold_from=hold_from, on_hold_to=D(2024, 3, 19), **S1_SENT)]).table
    lines = timeline(table, SETTINGS, D(2024, 3, 20))
    assert lines.iloc[0]["s1_response_due"] == pd.Timestamp(due)
    assert lines.iloc[0]["s1_acknowledgement_due"] == pd.Timestamp(2024, 3, 7)  # acknowledgements never pause


def test_open_hold_counts_up_to_the_as_of_date():
    # On hold since Tue 12 Mar, seen on Thu 14 Mar: Wed 13 and Thu 14 on hold, Mon 18 + 2 = Wed 20 Mar.
    row = one(as_of=D(2024, 3, 14), on_hold_from=D(2024, 3, 12), **ACKED)
    assert (row["rag"], row["due_date"]) == ("On hold", D(2024, 3, 20))
    assert row["next_action"] == "On hold: review the hold; send stage 1 response by Wed 20 Mar 2024"


# --- withdrawal ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "withdrawn, rag",
    [
        (D(2024, 3, 6), "Withdrawn"),  # withdrawn today
        (D(2024, 3, 7), "Amber"),  # dated tomorrow: not withdrawn yet, the clock still runs
    ],
)
def test_withdrawal_counts_from_its_own_date(withdrawn, rag):
    row = one(as_of=D(2024, 3, 6), withdrawn_date=withdrawn)
    assert row["rag"] == rag
    if rag == "Withdrawn":
        assert (row["due_date"], row["next_action"]) == (None, "None: withdrawn on Wed 6 Mar 2024")
    else:
        assert (row["due_date"], row["next_action"]) == (D(2024, 3, 7), "Send acknowledgement by Thu 7 Mar 2024")


# --- the 12-month limit and the consent age -------------------------------------------------

IN_TIME = "Statutory: eligible - a parent (s26(3)(b))"
OUT_OF_TIME = "Out of time: events more than 12 months before receipt; accept only at discretion (record why in Accepted out of time) or refuse (Out of Time)"
WITH_CONSENT = "Statutory: eligible - acting for the child, with the child's consent"


@pytest.mark.parametrize(
    "events, received, expected",
    [
        (D(2023, 3, 4), D(2024, 3, 4), IN_TIME),  # exactly one year: within the year (Reg 9)
        (D(2023, 3, 3), D(2024, 3, 4), OUT_OF_TIME),
        (D(2024, 2, 29), D(2025, 2, 28), IN_TIME),  # a year from 29 February ends on 28 February
        (D(2024, 2, 29), D(2025, 3, 3), OUT_OF_TIME),
    ],
)
def test_twelve_month_limit_boundary(events, received, expected):
    row = one(as_of=received, date_received=received, date_of_events=events)
    assert row["eligibility"].startswith(expected)  # issue 11: Eligibility goes on to say who, or what to do


@pytest.mark.parametrize(
    "limit, events, expected",
    [(6, D(2023, 9, 4), IN_TIME), (6, D(2023, 9, 1), OUT_OF_TIME), (24, D(2022, 3, 4), IN_TIME)],
)
def test_twelve_month_limit_is_the_rulebooks_setting(limit, events, expected):
    council = Settings(overrides={"england-statutory": {"time_limit.amount": limit}})
    row = one(as_of=D(2024, 3, 4), settings=council, date_of_events=events)
    assert row["eligibility"].startswith(expected.replace("12 months", f"{limit} months"))  # issue 11; the message names the limit


REPRESENTATIVE = dict(received_from="Grandparent", parental_responsibility="No", child_consent="Yes")
UNDER_12 = "Child is under 12: consent may not be valid, check the child's understanding"


@pytest.mark.parametrize(
    "born, received, expected",
    [
        (D(2012, 3, 4), D(2024, 3, 4), WITH_CONSENT),  # twelfth birthday on the day of receipt: may consent
        (D(2012, 3, 5), D(2024, 3, 4), UNDER_12),  # twelve tomorrow
        (D(2012, 2, 29), D(2024, 2, 29), WITH_CONSENT),
        (D(2012, 2, 29), D(2024, 2, 28), UNDER_12),
    ],
)
def test_consent_age_boundary(born, received, expected):
    row = one(as_of=received, date_received=received, child_date_of_birth=born, **REPRESENTATIVE)
    assert row["eligibility"].startswith(expected)  # issue 11: "Statutory: eligible - acting for the child, ..."


@pytest.mark.parametrize(
    "age, born, expected",
    [
        (13, D(2011, 3, 4), WITH_CONSENT),
        (13, D(2011, 3, 5), "Child is under 13: consent may not be valid, check the child's understanding"),
        (10, D(2014, 3, 4), WITH_CONSENT),
        (10, D(2014, 3, 5), "Child is under 10: consent may not be valid, check the child's understanding"),
    ],
)
def test_consent_age_is_the_councils_setting(age, born, expected):
    row = one(as_of=D(2024, 3, 4), settings=Settings(young_person_age=age), child_date_of_birth=born, **REPRESENTATIVE)
    assert row["eligibility"].startswith(expected)  # issue 11


def test_no_consent_recorded_either_side_of_the_consent_age():
    no_answer = dict(REPRESENTATIVE, child_consent="")
    twelve = one(as_of=D(2024, 3, 4), child_date_of_birth=D(2012, 3, 4), **no_answer)
    eleven = one(as_of=D(2024, 3, 4), child_date_of_birth=D(2012, 3, 5), **no_answer)
    assert twelve["eligibility"] == "Needs the child's consent: send the consent request"
    assert eleven["eligibility"] == (
        "Child is under 12 and the complainant has no parental responsibility: only a parent with parental responsibility "
        "or the person providing the child's care may complain for them (seed 001); use Corporate or refuse (No PR), "
        "unless the council decides they have sufficient interest (s26(3)(e))"
    )


# --- smaller promises: wording, defaults, the rulebook a date chooses ---------------------


@pytest.mark.parametrize(
    "as_of, action",
    [
        (D(2024, 3, 7), "Send acknowledgement by Thu 7 Mar 2024"),  # due today: not overdue
        (D(2024, 3, 8), "Send acknowledgement by Thu 7 Mar 2024 (overdue by 1 working day)"),
        (D(2024, 3, 11), "Send acknowledgement by Thu 7 Mar 2024 (overdue by 2 working days)"),
    ],
)
def test_overdue_by_one_working_day_is_singular(as_of, action):
    assert one(as_of=as_of)["next_action"] == action


def test_timeline_counts_an_open_hold_to_the_as_of_date_it_is_given():
    """The core never asks the clock: the caller decides the day (as_of_or_today) and the hold counts to it."""
    table = from_records([complaint(on_hold_from=D(2024, 3, 12), **ACKED)]).table
    today = timeline(table, SETTINGS, as_of_or_today())
    assert today.iloc[0]["s1_response_due"] > pd.Timestamp(2024, 6, 1)  # months of hold taken off by now
    # Held from Tue 12 Mar: by Fri 15 Mar three working days are taken off (Mon 18 + 3 = Thu 21 Mar).
    assert timeline(table, SETTINGS, D(2024, 3, 15)).iloc[0]["s1_response_due"] == pd.Timestamp(2024, 3, 21)
    with pytest.raises(TypeError):
        timeline(table, SETTINGS)  # no day, no answer


def test_the_last_day_to_escalate_follows_the_rulebook_the_complaint_was_received_under():
    # Received before the Code (1 April 2026): the council's earlier procedure, 20 working days:
    # 16-17, 20-24, 27-31 Jan, 3-7 Feb, then Mon 10, Tue 11, Wed 12 Feb 2025.
    before = one(procedure="Corporate", as_of=D(2025, 1, 16), date_received=D(2025, 1, 6), s1_acknowledged=D(2025, 1, 7), s1_response_sent=D(2025, 1, 15))
    assert before["escalate_by"] == D(2025, 2, 12)
    # Under the Code: one calendar month.
    after = one(procedure="Corporate", as_of=D(2026, 5, 18), date_received=D(2026, 5, 1), s1_acknowledged=D(2026, 5, 5), s1_response_sent=D(2026, 5, 15))
    assert after["escalate_by"] == D(2026, 6, 15)


# --- the Holds sheet -----------------------------------------------------------------------


def holds_sheet(*rows):
    """A Holds sheet as the reader gives it: (reference, reason, from, to) per row."""
    from xl_complaints.core.register import validate_holds
    from xl_complaints.core.schema import HOLD_COLUMNS

    table, problems = validate_holds([c.header for c in HOLD_COLUMNS], [list(r) for r in rows])
    assert problems == []
    return table


def test_holds_sheet_rows_match_references_whatever_their_capitals_and_spaces():
    # On hold Tue 12 to Thu 14 Mar 2024 (Wed 13, Thu 14 taken off): Mon 18 + 2 = Wed 20 Mar.
    sheet = holds_sheet((" t-1 ", "Awaiting consent", D(2024, 3, 12), D(2024, 3, 14)))
    table = from_records([complaint(**ACKED)]).table
    got = assess(table, SETTINGS, D(2024, 3, 15), holds=sheet).iloc[0]
    assert (got["due_date"], got["problems"]) == (pd.Timestamp(2024, 3, 20), "")


def test_a_holds_sheet_row_from_before_the_complaint_was_received_is_named():
    from xl_complaints.core.status import row_problems

    sheet = holds_sheet(("T-1", "Other", D(2024, 3, 1), D(2024, 3, 6)), ("T-1", "Other", D(2024, 3, 4), D(2024, 3, 6)))
    table = from_records([complaint(**ACKED)]).table
    found = [str(p) for p in row_problems(table, D(2024, 3, 15), sheet)]
    assert found == ["Holds row 2, column 'On hold from': On hold from is before Date received (the cell holds 'Fri 1 Mar 2024')"]
    got = assess(table, SETTINGS, D(2024, 3, 15), holds=sheet).iloc[0]
    assert (got["rag"], got["problems"]) == ("Check", "Holds row 2: On hold from is before Date received")


# --- the full mutation run of 2 December: messages, holds, working days taken ---------------
# March 2024: Mon 4, Mon 11, Mon 18, Mon 25 Mar; Good Friday 29 Mar and Easter Monday 1 Apr
# (GOV.UK) are not working days.


def test_rows_sharing_a_due_date_keep_each_their_own_next_action():
    """The engine writes each distinct message once and shares it: rows with the same date but
    different things to do must not share one row's sentence."""
    records = [
        complaint(reference="A", **ACKED),  # stage 1 response due Mon 18 Mar (5-8, 11-15, 18)
        complaint(reference="B", on_hold_from=D(2024, 3, 13), **ACKED),  # on hold from today: no day taken off yet
        complaint(reference="C", date_received=D(2024, 3, 13)),  # acknowledgement: Thu 14, Fri 15, Mon 18
        # Stage 1 response sent Mon 19 Feb: 20 working days to ask for stage 2, Feb 20-23, 26-29, Mar 1, 4-8, 11-15, 18.
        complaint(reference="E", date_received=D(2024, 2, 5), s1_acknowledged=D(2024, 2, 6), s1_response_sent=D(2024, 2, 19)),
    ]
    validated = from_records(records)
    result = assess(validated.table, SETTINGS, D(2024, 3, 13), validated.row_problems())
    assert list(result["next_action"]) == [
        "Send stage 1 response by Mon 18 Mar 2024",
        "On hold: review the hold; send stage 1 response by Mon 18 Mar 2024",
        "Send acknowledgement by Mon 18 Mar 2024",
        "None: the complainant may go to stage 2 until Mon 18 Mar 2024",
    ]
    assert list(result["rag"]) == ["Amber", "On hold", "Amber", "Met"]


def test_a_row_with_no_next_action_does_not_blank_a_closed_one():
    """Two rows with no date to show: the first has nothing to do (no Date received, flagged Check), the
    second is closed. Each keeps its own next action."""
    records = [
        complaint(reference="X", date_received=None),
        # Stage 3 response sent 20 Mar 2023: the Ombudsman's 12 months ended 20 Mar 2024.
        complaint(reference="Y", date_received=D(2023, 1, 2), s1_response_sent=D(2023, 1, 10), s2_requested=D(2023, 1, 16),
                  s2_accepted=D(2023, 1, 17), s2_adjudication_sent=D(2023, 2, 20), s3_requested=D(2023, 2, 27),
                  s3_response_sent=D(2023, 3, 20)),
    ]
    validated = from_records(records)
    result = assess(validated.table, SETTINGS, D(2024, 6, 3), validated.row_problems())
    assert list(result["rag"]) == ["Check", "Closed"]
    assert list(result["next_action"]) == ["Correct the row: Date received: the date received is empty", "None: closed"]


def test_a_hold_inside_another_is_not_counted_again_whatever_the_rows_before():
    """Two holds of one complaint overlapping (one on the Register, one on the Holds sheet) count their days once,
    also when an earlier row of the register has a hold of its own."""
    sheet = holds_sheet(("T-2", "Other", D(2024, 3, 7), D(2024, 3, 8)))
    table = from_records([
        complaint(reference="T-1", on_hold_from=D(2024, 3, 5), on_hold_to=D(2024, 3, 6), **ACKED),
        complaint(reference="T-2", on_hold_from=D(2024, 3, 5), on_hold_to=D(2024, 3, 15), **ACKED),
    ]).table
    result = assess(table, SETTINGS, D(2024, 3, 18), holds=sheet)
    # T-1: Wed 6 Mar on hold: Mon 18 + 1 = Tue 19 Mar.
    # T-2: Wed 6 to Fri 15 Mar on hold (6-8, 11-15: 8 days; Thu 7 and Fri 8 once): Mon 18 + 8 = Thu 28 Mar.
    assert list(result["due_date"]) == [pd.Timestamp(2024, 3, 19), pd.Timestamp(2024, 3, 28)]
    assert list(result["problems"]) == ["", ""]


def _taken_table():
    """T-1 received Mon 4 Mar 2024, on hold Tue 5-Wed 6 Mar on the Register (Wed 6 taken off) and Mon 11-Wed 13 Mar on
    the Holds sheet (Tue 12, Wed 13); T-2 received Fri 8 Mar 2024, no hold."""
    sheet = holds_sheet(("T-1", "Other", D(2024, 3, 11), D(2024, 3, 13)))
    table = from_records([
        complaint(reference="T-1", on_hold_from=D(2024, 3, 5), on_hold_to=D(2024, 3, 6)),
        complaint(reference="T-2", date_received=D(2024, 3, 8)),
    ]).table
    return table, sheet


def test_working_days_taken_less_the_holds_of_both_sheets():
    from xl_complaints.core.status import Holds, working_days_taken

    table, sheet = _taken_table()
    starts = np.array(["2024-03-04", "2024-03-08"], dtype="datetime64[D]")
    ends = np.array(["2024-03-18", "2024-03-11"], dtype="datetime64[D]")
    # T-1: Mon 4 to Mon 18 Mar is 10 working days (5-8, 11-15, 18), less Wed 6, Tue 12, Wed 13: 7.
    # T-2: Fri 8 to Mon 11 Mar is 1 working day.
    for holds in (sheet, Holds.of(table, sheet)):
        assert list(working_days_taken(table, SETTINGS, D(2024, 3, 20), starts, ends, "s1_response", holds)) == [7, 1]
    # Without the Holds sheet only the Register's own hold comes off: 10 - 1.
    assert list(working_days_taken(table, SETTINGS, D(2024, 3, 20), starts, ends, "s1_response")) == [9, 1]


def test_working_days_taken_from_the_registers_own_date_columns():
    """The register's date columns as they are (datetime64[s]): the days, not the seconds, are compared."""
    from xl_complaints.core.status import working_days_taken

    table, sheet = _taken_table()
    starts = np.array(["2024-03-04", "2024-03-08"], dtype="datetime64[D]").astype("datetime64[s]")
    ends = np.array(["2024-03-18", "2024-03-11"], dtype="datetime64[D]").astype("datetime64[s]")
    assert list(working_days_taken(table, SETTINGS, D(2024, 3, 20), starts, ends, "s1_response", sheet)) == [7, 1]


def test_working_days_taken_is_0_for_an_answer_the_same_day_or_over_a_weekend():
    from xl_complaints.core.status import working_days_taken

    table, sheet = _taken_table()
    starts = np.array(["2024-03-04", "2024-03-08"], dtype="datetime64[D]")
    ends = np.array(["2024-03-04", "2024-03-10"], dtype="datetime64[D]")  # the same Monday; Fri 8 to Sun 10 Mar
    assert list(working_days_taken(table, SETTINGS, D(2024, 3, 20), starts, ends, "s1_response", sheet)) == [0, 0]


def test_a_holds_sheet_reference_not_on_the_register_is_shown_cut_to_60_characters():
    from xl_complaints.core.status import row_problems

    reference = "NOT-ON-THE-REGISTER-" + "X" * 40 + "-and-more"  # 69 characters
    sheet = holds_sheet((reference, "Other", D(2024, 3, 5), D(2024, 3, 6)))
    table = from_records([complaint(**ACKED)]).table
    found = row_problems(table, D(2024, 3, 15), sheet)
    assert [(p.sheet, p.row, p.column, p.value) for p in found] == [("Holds", 2, "Reference", reference[:60])]
    assert len(found[0].value) == 60


def test_holds_on_both_sheets_from_the_same_day_count_to_the_later_end():
    """Only a hold typed the same on both sheets is one hold; the same first day with another last day is two."""
    sheet = holds_sheet(("T-1", "Other", D(2024, 3, 5), D(2024, 3, 8)))
    table = from_records([complaint(reference="T-1", on_hold_from=D(2024, 3, 5), on_hold_to=D(2024, 3, 6), **ACKED)]).table
    # Wed 6, Thu 7 and Fri 8 Mar on hold: Mon 18 + 3 = Thu 21 Mar.
    assert assess(table, SETTINGS, D(2024, 3, 18), holds=sheet).iloc[0]["due_date"] == pd.Timestamp(2024, 3, 21)
    same = holds_sheet(("T-1", "Other", D(2024, 3, 5), D(2024, 3, 6)))  # Wed 6 only, counted once: Tue 19 Mar
    assert assess(table, SETTINGS, D(2024, 3, 18), holds=same).iloc[0]["due_date"] == pd.Timestamp(2024, 3, 19)


def test_a_holds_sheet_row_with_an_unknown_reference_stretches_no_complaint():
    sheet = holds_sheet(("T-9", "Other", D(2024, 3, 5), D(2024, 3, 8)))
    table = from_records([complaint(reference="T-1", **ACKED), complaint(reference="T-2", **ACKED)]).table
    result = assess(table, SETTINGS, D(2024, 3, 18), holds=sheet)
    assert list(result["due_date"]) == [pd.Timestamp(2024, 3, 18)] * 2  # 5-8, 11-15, 18: no day taken off


def test_a_hold_typed_on_both_sheets_is_one_hold():
    """The statistics count holds (holds begun at stage 2, by reason) from Holds.of: one typed twice is one."""
    from xl_complaints.core.status import Holds

    sheet = holds_sheet(("T-1", "Other", D(2024, 3, 5), D(2024, 3, 6)), ("T-2", "Awaiting consent", D(2024, 3, 7), ""))
    table = from_records([
        complaint(reference="T-1", on_hold_from=D(2024, 3, 5), on_hold_to=D(2024, 3, 6), hold_reason="Other"),
        complaint(reference="T-2"),
    ]).table
    holds = Holds.of(table, sheet)
    assert holds.row.tolist() == [0, 1]
    assert holds.reason.tolist() == ["Other", "Awaiting consent"]
    assert holds.start.tolist() == [D(2024, 3, 5), D(2024, 3, 7)]
    assert holds.end.tolist() == [D(2024, 3, 6), None]  # the second still open


# --- the numpy engine's re-run of 2 December (core/table.py) -------------------------------------


def test_two_complaints_on_hold_over_the_same_days_each_keep_their_hold():
    """Holds on both sheets are one only when they are of the same complaint: another complaint's hold over the
    same days is its own (the statistics count each)."""
    from xl_complaints.core.status import Holds

    sheet = holds_sheet(("T-2", "Other", D(2024, 3, 5), D(2024, 3, 6)))
    table = from_records([
        complaint(reference="T-1", on_hold_from=D(2024, 3, 5), on_hold_to=D(2024, 3, 6), hold_reason="Other", **ACKED),
        complaint(reference="T-2", **ACKED),
    ]).table
    assert Holds.of(table, sheet).row.tolist() == [0, 1]
    # Each: Wed 6 Mar on hold, Mon 18 + 1 = Tue 19 Mar.
    assert list(assess(table, SETTINGS, D(2024, 3, 18), holds=sheet)["due_date"]) == [pd.Timestamp(2024, 3, 19)] * 2


def test_holds_on_both_sheets_to_the_same_day_count_from_the_earlier_start():
    """Only a hold typed the same on both sheets is one hold; the same last day with another first day is two."""
    sheet = holds_sheet(("T-1", "Other", D(2024, 3, 5), D(2024, 3, 8)))
    table = from_records([complaint(reference="T-1", on_hold_from=D(2024, 3, 7), on_hold_to=D(2024, 3, 8), **ACKED)]).table
    from xl_complaints.core.status import Holds

    assert Holds.of(table, sheet).start.tolist() == [D(2024, 3, 7), D(2024, 3, 5)]
    # Wed 6, Thu 7 and Fri 8 Mar on hold (Fri 8 once): Mon 18 + 3 = Thu 21 Mar.
    assert assess(table, SETTINGS, D(2024, 3, 18), holds=sheet).iloc[0]["due_date"] == pd.Timestamp(2024, 3, 21)


def test_the_readers_messages_may_leave_rows_out_or_give_them_as_missing():
    """A Series of the reader's messages over some rows, missing (NaN, None) where a row has none, as pandas makes
    when it lines messages up with the rows: only the row with a message is flagged."""
    rows = from_records([complaint("P-1", **ACKED), complaint("P-2", **ACKED), complaint("P-3", **ACKED)]).table
    message = "Child's date of birth: 'soon' is not a date"
    reader = pd.Series([message, np.nan], index=rows.index[:2], dtype=object)  # P-3 left out, P-2 NaN
    got = assess(rows, SETTINGS, D(2024, 3, 6), row_problems=reader)
    assert list(got["problems"]) == [message, "", ""]
    assert list(got["rag"]) == ["Check", "Green", "Green"]
    by_row = {int(rows.index[0]): message, int(rows.index[1]): None, int(rows.index[2]): pd.NA}
    assert list(assess(rows, SETTINGS, D(2024, 3, 6), row_problems=by_row)["problems"]) == [message, "", ""]
