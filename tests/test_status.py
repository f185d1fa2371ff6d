"""The status engine against the procedure's own numbers, row by row and in bulk."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from xl_complaints.register import from_records
from xl_complaints.schema import column
from xl_complaints.settings import Settings
from xl_complaints.status import assess, assess_row, escalation_deadline, format_day, timeline

D = dt.date
SETTINGS = Settings()
CAL = SETTINGS.calendar
# Issue 11: corporate complaints received before 1 April 2026 follow the earlier rulebook; these tests are about the Code.
CODE_ALWAYS = Settings(corporate_rulebook_before_code="lgsco-code-2026")


def complaint(**fields):
    base = {
        "Reference": "T-1",
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
    assert row["due_date"] == CAL.add(D(2024, 3, 4), 3) == D(2024, 3, 7)


def test_stage_2_is_25_working_days_from_the_accepted_request_or_65_extended():
    fields = dict(s1_response_sent=D(2024, 3, 12), s2_requested=D(2024, 3, 20), s2_accepted=D(2024, 3, 22))
    row = one(as_of=D(2024, 3, 25), **fields)
    assert row["stage"] == "Stage 2"
    assert row["due_date"] == CAL.add(D(2024, 3, 22), 25)
    assert one(as_of=D(2024, 3, 25), s2_extended="Yes", **fields)["due_date"] == CAL.add(D(2024, 3, 22), 65)


def test_stage_2_clock_can_run_from_the_agreed_statement():
    s = Settings(stage2_clock="agreed statement")
    fields = dict(s1_response_sent=D(2024, 3, 12), s2_requested=D(2024, 3, 20), s2_accepted=D(2024, 3, 22))
    provisional = one(as_of=D(2024, 3, 25), settings=s, **fields)
    assert provisional["due_date"] == CAL.add(D(2024, 3, 22), 25)  # from the acceptance until agreed
    agreed = one(as_of=D(2024, 4, 10), settings=s, s2_statement_agreed=D(2024, 4, 8), **fields)
    assert agreed["due_date"] == CAL.add(D(2024, 4, 8), 25)


def test_stage_3_panel_timescales():
    base = dict(
        date_received=D(2024, 1, 2), s1_response_sent=D(2024, 1, 10), s2_requested=D(2024, 1, 15), s2_accepted=D(2024, 1, 16),
        s2_adjudication_sent=D(2024, 2, 20), s3_requested=D(2024, 3, 1),
    )
    row = one(as_of=D(2024, 3, 4), **base)
    assert (row["milestone"], row["due_date"]) == ("Review panel appointed", CAL.add(D(2024, 3, 1), 10))
    row = one(as_of=D(2024, 3, 20), s3_panel_appointed=D(2024, 3, 8), **base)
    assert (row["milestone"], row["due_date"]) == ("Review panel hearing", CAL.add(D(2024, 3, 1), 30))
    row = one(as_of=D(2024, 4, 16), s3_panel_appointed=D(2024, 3, 8), s3_panel_held=D(2024, 4, 15), **base)
    assert (row["milestone"], row["due_date"]) == ("Review panel report", CAL.add(D(2024, 4, 15), 5))
    row = one(
        as_of=D(2024, 4, 23), s3_panel_appointed=D(2024, 3, 8), s3_panel_held=D(2024, 4, 15),
        s3_panel_report_received=D(2024, 4, 22), **base,
    )
    assert (row["milestone"], row["due_date"]) == ("Stage 3 response", CAL.add(D(2024, 4, 22), 15))


def test_a_panel_booked_ahead_is_not_yet_held():
    base = dict(
        date_received=D(2024, 1, 2), s1_response_sent=D(2024, 1, 10), s2_requested=D(2024, 1, 15), s2_accepted=D(2024, 1, 16),
        s2_adjudication_sent=D(2024, 2, 20), s3_requested=D(2024, 3, 1), s3_panel_appointed=D(2024, 3, 8),
        s3_panel_held=D(2024, 4, 15),
    )
    booked = one(as_of=D(2024, 4, 2), **base)
    assert (booked["milestone"], booked["due_date"]) == ("Review panel hearing", CAL.add(D(2024, 3, 1), 30))
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
    assert row["due_date"] == CAL.add(D(2024, 3, 18), 5) == D(2024, 3, 25)
    assert row["rag"] == "Green" or row["rag"] == "Amber"


def test_open_hold_shows_on_hold_and_counts_to_the_as_of_date():
    row = one(as_of=D(2024, 3, 14), s1_acknowledged=D(2024, 3, 5), on_hold_from=D(2024, 3, 12))
    assert row["rag"] == "On hold"
    assert row["due_date"] == CAL.add(D(2024, 3, 18), 2)
    assert row["next_action"].startswith("On hold: review the hold; send stage 1 response by")


def test_corporate_code_does_not_pause():
    row = one(
        procedure="Corporate", as_of=D(2024, 3, 20), s1_acknowledged=D(2024, 3, 5),
        on_hold_from=D(2024, 3, 12), on_hold_to=D(2024, 3, 19), settings=CODE_ALWAYS,
    )
    assert row["due_date"] == CAL.add(D(2024, 3, 5), 10)


def test_withdrawn_complaint_has_no_due_date():
    row = one(as_of=D(2024, 3, 20), withdrawn_date=D(2024, 3, 6))
    assert (row["rag"], row["due_date"]) == ("Withdrawn", None)
    assert row["next_action"] == "None: withdrawn on Wed 6 Mar 2024"


# --- escalation ---------------------------------------------------------------------


def test_stage_2_window_is_20_working_days_from_the_stage_1_response():
    row = one(as_of=D(2024, 3, 20), s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 15))
    assert row["can_escalate"] == "To stage 2"
    assert row["escalate_by"] == CAL.add(D(2024, 3, 15), 20)
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
    assert row["due_date"] == CAL.add(D(2024, 3, 8), 10)
    done = one(procedure="Corporate", as_of=D(2024, 3, 25), s1_acknowledged=D(2024, 3, 8), s1_response_sent=D(2024, 3, 22), settings=CODE_ALWAYS)
    assert done["escalate_by"] == D(2024, 4, 22)
    assert escalation_deadline(SETTINGS, "Corporate", "to_stage_2", D(2024, 1, 31)) == D(2024, 2, 29)


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


def test_validation_errors_reach_the_problems_column():
    row = assess_row(complaint(nature="Grumpy"), SETTINGS, D(2024, 3, 6))
    assert row["rag"] == "Check"
    assert "Nature: 'Grumpy' is not one of the values on the Lists sheet" in row["problems"]


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
    assert lines.loc[4, "to_stage_2_by"] == pd.Timestamp(CAL.add(D(2024, 3, 12), 20))
    assert pd.isna(lines.loc[2, "s3_response_due"])


# --- properties over many rows ---------------------------------------------------------

dates = st.dates(min_value=D(2019, 1, 1), max_value=D(2026, 12, 31))
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731


@st.composite
def rows(draw):
    received = draw(dates)
    later = lambda: maybe(st.dates(min_value=received, max_value=received + dt.timedelta(days=400)))  # noqa: E731
    return complaint(
        reference=f"P-{draw(st.integers(0, 10**9))}",
        date_received=received,
        procedure=draw(st.sampled_from(["Statutory", "Corporate", ""])),
        s1_acknowledged=draw(later()),
        s1_extended=draw(st.sampled_from(["Yes", "No", ""])),
        s1_response_sent=draw(later()),
        s2_requested=draw(later()),
        s2_accepted=draw(later()),
        s2_adjudication_sent=draw(later()),
        on_hold_from=draw(later()),
        on_hold_to=draw(later()),
        withdrawn_date=draw(maybe(dates)),
        service=draw(st.sampled_from(["Child in Need", "Early Help Hub", ""])),
    )


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=12, unique_by=lambda r: r["Reference"]), dates)
def test_rows_are_assessed_independently_and_consistently(records, as_of):
    validated = from_records(records)
    together = assess(validated.table, SETTINGS, as_of, validated.row_problems())
    for i, record in enumerate(records):
        alone = assess_row(record, SETTINGS, as_of)
        got = together.iloc[i]
        assert got["next_action"] == alone["next_action"]
        assert got["rag"] == alone["rag"]
        due = None if pd.isna(got["due_date"]) else got["due_date"].date()
        assert due == alone["due_date"]
        if got["rag"] in ("Red", "Amber", "Green"):
            left = got["working_days_left"]
            assert left == CAL.count(as_of, due)
            assert (got["rag"] == "Red") == (left < 0)
        if due is not None and got["rag"] != "Check":
            assert due >= record["Date received"]


def test_a_million_row_register_is_assessed_in_one_call():
    """Not a timing test (benchmarks/ does that): the vectorised path must give per-row answers."""
    records = [
        complaint(reference=f"R-{i}", date_received=D(2024, 1, 1) + dt.timedelta(days=i % 90), s1_acknowledged=D(2024, 4, 1) if i % 3 else None)
        for i in range(300)
    ]
    table = from_records(records).table
    big = pd.concat([table] * 20, ignore_index=True)
    result = assess(big, SETTINGS, D(2024, 4, 2))
    small = assess(table, SETTINGS, D(2024, 4, 2))
    assert np.array_equal(result["next_action"].to_numpy()[:300], small["next_action"].to_numpy())
    assert np.array_equal(result["next_action"].to_numpy()[-300:], small["next_action"].to_numpy())
