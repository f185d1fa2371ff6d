"""The rules, second pass (issue 11): scenarios written from the sources, each citing it.

Sources (copied facts only; nothing here reads /work/shared):
- the Children Act 1989 Representations Procedure (England) Regulations 2006 (reg 9, 14, 17, 18)
  and the Children Act 1989 s26(3);
- seed 000 (a council's statutory and corporate procedures), seed 001 (who may complain),
  seed 004 (a county's procedure: 'Deferring, freezing or suspending complaints',
  'Complaints outside of remit', 'Persistent Complainants', 'Dissatisfaction with outcome of
  Stage 2 - Statutory Complaints'), the 2016/17 annual report (seed 002);
- the LGSCO Complaint Handling Code (applied by the Ombudsman from 1 April 2026).

Every expected date is a literal worked by hand from GOV.UK's bank holidays for England and
Wales: 2025 has none in February or March; 2026 has Good Friday 3 April, Easter Monday
6 April and the early May bank holiday 4 May.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from xl_complaints.core import rulebook, status
from xl_complaints.core.register import from_records, validate_holds
from xl_complaints.core.schema import HOLD_COLUMNS, column
from xl_complaints.core.settings import Settings, settings_from_rows

D = dt.date
SETTINGS = Settings()


def row(**fields) -> dict:
    base = {
        "Reference": "R-1",
        "Date received": D(2025, 2, 3),  # Monday 3 February 2025
        "Representation type": "Complaint",
        "Procedure": "Statutory",
        "Received from": "Parent",
        "Parental responsibility": "Yes",
        "S1 acknowledged": D(2025, 2, 4),
    }
    base.update({column(k).header: v for k, v in fields.items()})
    return base


def one(as_of, settings=SETTINGS, holds=None, **fields) -> dict:
    return status.assess_row(row(**fields), settings, as_of, holds)


def holds_sheet(*holds):
    """A Holds sheet: (reference, reason, from, to) per row."""
    headers = [c.header for c in HOLD_COLUMNS]
    table, problems = validate_holds(headers, [list(h) for h in holds])
    assert problems == []
    return table


# --- item 2: time on hold that starts at a weekend ------------------------------------------
# Reg 14: stage 1 in 10 working days from receipt; seed 004: an accepted complaint "can also be
# suspended"; the statutory rulebook's hold reasons stop the stage 1 clock.


def test_a_hold_from_saturday_to_sunday_moves_the_due_date_by_the_five_working_days_between():
    # 10 working days after Mon 3 Feb 2025 is Mon 17 Feb; Mon 10 to Fri 14 Feb were on hold: Mon 24 Feb.
    plain = one(D(2025, 2, 6))
    assert plain["due_date"] == D(2025, 2, 17)
    held = one(D(2025, 2, 18), on_hold_from=D(2025, 2, 8), on_hold_to=D(2025, 2, 16), hold_reason="Court or police proceedings")
    assert held["due_date"] == D(2025, 2, 24)


def test_the_first_day_of_a_hold_is_a_day_of_the_clock_like_the_day_of_receipt():
    # Mon 10 to Fri 14 Feb 2025: Tue 11 to Fri 14 are on hold (4), so Mon 17 Feb + 4 = Fri 21 Feb.
    held = one(D(2025, 2, 18), on_hold_from=D(2025, 2, 10), on_hold_to=D(2025, 2, 14))
    assert held["due_date"] == D(2025, 2, 21)


# --- item 3: a Code complaint on hold shows its clock's real state ---------------------------
# Complaint Handling Code: acknowledge in 5 working days, respond in 10 from the acknowledgement;
# complaints are not paused (the rulebook's hold rule: stops none).


def code_complaint(**fields):
    return dict(procedure="Corporate", date_received=D(2026, 4, 13), s1_acknowledged=D(2026, 4, 14), **fields)


def test_a_code_complaint_on_hold_and_overdue_is_red_and_says_it_is_on_hold():
    # 10 working days after Tue 14 Apr 2026: Tue 28 Apr. On Tue 5 May (Mon 4 May a bank holiday)
    # 28, 29, 30 Apr and 1 May have passed: overdue by 4.
    got = one(D(2026, 5, 5), **code_complaint(on_hold_from=D(2026, 4, 20), hold_reason="Court or police proceedings"))
    assert got["due_date"] == D(2026, 4, 28)
    assert got["working_days_left"] == -4
    assert got["rag"] == "Red"
    assert got["next_action"] == (
        "On hold, but this procedure's clock does not stop: send stage 1 response by Tue 28 Apr 2026 (overdue by 4 working days)"
    )


def test_a_statutory_complaint_on_hold_shows_on_hold():
    got = one(D(2025, 2, 18), on_hold_from=D(2025, 2, 12))
    assert got["rag"] == "On hold"
    assert got["next_action"].startswith("On hold: review the hold")


# --- item 4: who may make a statutory complaint (Children Act 1989 s26(3); seed 001) ---------


ELIGIBLE = "Statutory: eligible - "
WHO = [
    # (fields, expected Eligibility, source)
    ({"received_from": "Grandparent", "parental_responsibility": "Yes"},
     ELIGIBLE + "not a parent, but has parental responsibility (s26(3)(c))", "s26(3)(c): a grandparent with PR"),
    ({"received_from": "Service user (young person)", "parental_responsibility": ""}, ELIGIBLE + "the child (s26(3)(a))", "s26(3)(a)"),
    ({"received_from": "Parent", "parental_responsibility": "Yes"}, ELIGIBLE + "a parent (s26(3)(b))", "s26(3)(b)"),
    ({"received_from": "Parent", "parental_responsibility": "No"},
     ELIGIBLE + "a parent (s26(3)(b)); No parental responsibility: ask a parent with parental responsibility or the child "
     "before sharing details (seed 004, Data Protection)", "s26(3)(b) any parent; seed 004 data protection"),
    ({"received_from": "Foster Carer", "parental_responsibility": "No"}, ELIGIBLE + "a local authority foster parent (s26(3)(d))", "s26(3)(d)"),
    ({"received_from": "Friend/Neighbour", "parental_responsibility": "No", "sufficient_interest": "Yes"},
     ELIGIBLE + "the council decided they have sufficient interest in the child's welfare (s26(3)(e))", "s26(3)(e)"),
    ({"received_from": "Friend/Neighbour", "parental_responsibility": "No", "sufficient_interest": "No"},
     "The council decided the complainant has no sufficient interest in the child's welfare: write to say no further action "
     "will be taken (seed 004), or use Corporate", "seed 004: notified in writing, no further action"),
    ({"received_from": "Advocate", "parental_responsibility": "", "child_date_of_birth": D(2011, 1, 1), "child_consent": "Yes"},
     ELIGIBLE + "an advocate acting for the child, with the child's consent", "seed 001: a child can complain through an advocate"),
    ({"received_from": "Advocate", "parental_responsibility": "", "child_date_of_birth": D(2011, 1, 1)},
     "Needs the child's consent: send the consent request", "seed 001: the child's consent for a representative"),
    ({"received_from": "Kinship Carer", "parental_responsibility": "No", "child_date_of_birth": D(2020, 1, 1)},
     ELIGIBLE + "the person providing the child's care, for a child too young to consent (seed 001)",
     "seed 001: without capacity, only a parent with PR or the person providing their care"),
    ({"received_from": "Other Relative", "parental_responsibility": "No", "child_date_of_birth": D(2020, 1, 1)},
     "Child is under 12 and the complainant has no parental responsibility: only a parent with parental responsibility or "
     "the person providing the child's care may complain for them (seed 001); use Corporate or refuse (No PR), unless the "
     "council decides they have sufficient interest (s26(3)(e))", "seed 001"),
    ({"received_from": "Service user (adult)", "parental_responsibility": "", "child_legal_status": "Care Leaver"},
     ELIGIBLE + "a care leaver (s24D)", "Children Act 1989 s24D"),
]


@pytest.mark.parametrize("fields, expected, source", WHO, ids=[w[-1] for w in WHO])
def test_who_may_complain(fields, expected, source):
    assert one(D(2025, 2, 5), **fields)["eligibility"] == expected, source


# --- item 5: several holds, each with its reason -----------------------------------------


def test_several_holds_on_the_holds_sheet_all_count():
    # Sat 8 - Sun 16 Feb 2025 (5) and Tue 18 - Thu 20 Feb (Wed 19, Thu 20: 2): Mon 17 Feb + 7 = Wed 26 Feb.
    sheet = holds_sheet(
        ("R-1", "Court or police proceedings", D(2025, 2, 8), D(2025, 2, 16)),
        ("r-1 ", "Subject access request", D(2025, 2, 18), D(2025, 2, 20)),
    )
    table = from_records([row()]).table
    got = status.assess(table, SETTINGS, D(2025, 2, 21), holds=sheet).iloc[0]
    assert got["due_date"] == dt.datetime(2025, 2, 26)
    assert status.timeline(table, SETTINGS, D(2025, 2, 21), holds=sheet)["s1_response_due"].iloc[0] == dt.datetime(2025, 2, 26)


def test_overlapping_holds_count_once_and_the_register_columns_still_work():
    # Register: Mon 10 - Fri 14 Feb; Holds sheet: Wed 12 - Tue 18 Feb. On hold: 11-14, 17, 18 (6): Mon 17 Feb + 6 = Tue 25 Feb.
    sheet = holds_sheet(("R-1", "Tribunal", D(2025, 2, 12), D(2025, 2, 18)))
    table = from_records([row(on_hold_from=D(2025, 2, 10), on_hold_to=D(2025, 2, 14), hold_reason="Court or police proceedings")]).table
    assert status.assess(table, SETTINGS, D(2025, 2, 19), holds=sheet).iloc[0]["due_date"] == dt.datetime(2025, 2, 25)


def test_each_rulebook_says_which_reasons_stop_which_clocks():
    statutory, code = SETTINGS.rulebook_for("Statutory"), SETTINGS.rulebook_for("Corporate")
    assert statutory.stops("Child protection investigation", "s1_response")  # seed 004: a CP investigation
    assert not statutory.stops("Child protection investigation", "s1_acknowledgement")
    assert not code.stops("Court or police proceedings", "s1_response")  # the Code: not paused
    assert all(h.source for book in rulebook.shipped().values() for h in book.hold_reasons)
    # A council can say a reason stops nothing (a Rule row): then the hold does not move the date.
    council = Settings(overrides={"england-statutory": {"awaiting_advocate.stops": "none"}})
    got = one(D(2025, 2, 18), settings=council, on_hold_from=D(2025, 2, 8), on_hold_to=D(2025, 2, 16), hold_reason="Awaiting advocate")
    assert got["due_date"] == D(2025, 2, 17)


def test_holds_sheet_problems_are_named_by_sheet_row_and_column():
    sheet = holds_sheet(("NOPE-9", "Other", D(2025, 2, 8), D(2025, 2, 10)), ("R-1", "Other", D(2025, 2, 20), D(2025, 2, 12)))
    table = from_records([row()]).table
    found = status.row_problems(table, D(2025, 3, 1), sheet)
    assert [str(p) for p in found] == [
        "Holds row 2, column 'Reference': no complaint on the Register sheet has this reference (the cell holds 'NOPE-9')",
        "Holds row 3, column 'On hold to': On hold to is before On hold from (the cell holds 'Wed 12 Feb 2025')",
    ]
    got = status.assess(table, SETTINGS, D(2025, 3, 1), holds=sheet).iloc[0]
    assert (got["rag"], got["problems"]) == ("Check", "Holds row 3: On hold to is before On hold from")


# Deferred or declined (seed 004, 'Deferring, freezing or suspending complaints').


def test_a_deferred_complaint_is_a_state_of_its_own_run_by_its_review_date():
    got = one(D(2025, 2, 24), deferred_on=D(2025, 2, 5), deferral_reason="Court proceedings", deferral_review_date=D(2025, 3, 3))
    # Tue 25, Wed 26, Thu 27, Fri 28 Feb and Mon 3 Mar: 5 working days to the review.
    assert (got["stage"], got["milestone"], got["due_date"], got["working_days_left"], got["rag"]) == (
        "Deferred", "Deferral review", D(2025, 3, 3), 5, "Green")
    assert got["next_action"] == "Deferred (court proceedings): review the deferral by Mon 3 Mar 2025"
    late = one(D(2025, 3, 5), deferred_on=D(2025, 2, 5), deferral_review_date=D(2025, 3, 3))
    assert (late["rag"], late["next_action"]) == ("Red", "Deferred (concurrent proceedings): review the deferral by Mon 3 Mar 2025 (overdue by 2 working days)")


def test_a_deferred_complaint_taken_up_again_runs_stage_1_from_that_day():
    # 10 working days after Mon 10 Mar 2025: Mon 24 Mar.
    got = one(D(2025, 3, 11), deferred_on=D(2025, 2, 5), deferral_review_date=D(2025, 3, 3), deferral_ended=D(2025, 3, 10), s1_acknowledged=D(2025, 3, 11))
    assert (got["stage"], got["milestone"], got["due_date"]) == ("Stage 1", "Stage 1 response", D(2025, 3, 24))


# The 12-month limit's exceptions and refusals (reg 9; seed 004, 'Complaints outside of remit').


def test_unaware_until_recently_is_in_time():
    got = one(D(2025, 2, 5), date_of_events=D(2023, 12, 1), date_became_aware=D(2024, 12, 1))
    assert got["eligibility"] == ELIGIBLE + "a parent (s26(3)(b)); In time: the events were more than 12 months before, but the complainant became aware of them only recently (seed 004)"


def test_a_late_complaint_accepted_says_why():
    got = one(D(2025, 2, 5), date_of_events=D(2023, 12, 1), received_from="Service user (young person)", accepted_out_of_time="Young person could not complain sooner")
    assert got["eligibility"] == ELIGIBLE + "the child (s26(3)(a)); Out of time, accepted: young person could not complain sooner (reg 9(2))"


def test_refusals_for_a_matter_already_answered():
    earlier_answered = row(reference="OLD-1", date_received=D(2023, 11, 1), s1_acknowledged=D(2023, 11, 2), s1_response_sent=D(2023, 11, 15))
    all_three = row(reference="OLD-2", date_received=D(2024, 1, 8), s1_response_sent=D(2024, 1, 19), s2_requested=D(2024, 1, 22),
                    s2_accepted=D(2024, 1, 23), s2_adjudication_sent=D(2024, 2, 27), s3_requested=D(2024, 3, 1),
                    s3_panel_held=D(2024, 4, 1), s3_panel_report_received=D(2024, 4, 5), s3_response_sent=D(2024, 4, 25))
    recent = row(reference="OLD-3", date_received=D(2024, 12, 2), s1_response_sent=D(2024, 12, 13))
    new = [row(reference=f"NEW-{i}", earlier_complaint=ref) for i, ref in enumerate(("OLD-1", "OLD-2", "OLD-3", "GONE-1"))]
    table = from_records([earlier_answered, all_three, recent, *new]).table
    eligibility = status.assess(table, SETTINGS, D(2025, 2, 5))["eligibility"].tolist()[3:]
    assert eligibility == [
        "The same matter was answered more than 12 months before: refuse (Answered over 12 months ago)",
        "The same matter has already been through all three stages: refuse (Already through all three stages)",
        ELIGIBLE + "a parent (s26(3)(b))",
        "The earlier complaint is not in the register: check its reference (Earlier complaint)",
    ]


# Unreasonably persistent complainants (seed 004, 'Persistent Complainants').


def test_a_persistent_complainants_review_is_a_next_action():
    got = one(D(2025, 2, 24), persistent_complainant_decided=D(2025, 2, 10), persistent_complainant_review=D(2025, 3, 3))
    assert got["next_action"] == "Send stage 1 response by Mon 17 Feb 2025 (overdue by 5 working days); review the restriction on contact (unreasonably persistent complainant) by Mon 3 Mar 2025"
    assert "for this complaint only: a new complaint is judged on its merits (seed 004)" in got["eligibility"]


def test_a_new_complaint_from_a_persistent_complainant_is_judged_on_its_merits():
    old = row(reference="P-1", persistent_complainant_decided=D(2025, 1, 10), persistent_complainant_review=D(2025, 7, 10))
    new = row(reference="P-2", earlier_complaint="P-1", date_received=D(2025, 2, 3))
    got = status.assess(from_records([old, new]).table, SETTINGS, D(2025, 2, 5)).iloc[1]
    assert got["eligibility"] == ELIGIBLE + "a parent (s26(3)(b)); The earlier complaint's restriction on contact does not carry over: judge this complaint on its merits (seed 004)"
    assert "restriction" not in got["next_action"]


# The stage 3 window (reg 18; seed 004: "or within 20 working days of any adjudication meeting").


STAGE_2_DONE = dict(date_received=D(2025, 1, 6), s1_response_sent=D(2025, 1, 17), s2_requested=D(2025, 1, 20), s2_accepted=D(2025, 1, 21),
                    s2_adjudication_sent=D(2025, 3, 3))


@pytest.mark.parametrize("meeting, by", [(None, D(2025, 3, 31)), (D(2025, 3, 10), D(2025, 4, 7)), (D(2025, 2, 28), D(2025, 3, 31))])
def test_stage_3_window_runs_from_the_later_of_the_adjudication_and_any_meeting(meeting, by):
    # 20 working days after Mon 3 Mar 2025: Mon 31 Mar; after Mon 10 Mar: Mon 7 Apr.
    fields = dict(STAGE_2_DONE, **({"s2_adjudication_meeting": meeting} if meeting else {}))
    got = one(D(2025, 3, 12), **fields)
    assert (got["can_escalate"], got["escalate_by"]) == ("To stage 3", by)


# The Code's start: the Ombudsman applies it from 1 April 2026.


def test_a_corporate_complaint_received_before_1_april_2026_follows_the_earlier_procedure():
    # corporate-two-stage (seed 000): 10 working days from receipt. From Tue 31 Mar 2026: 1, 2, 7, 8, 9, 10, 13, 14, 15, 16 Apr.
    before = one(D(2026, 4, 2), procedure="Corporate", date_received=D(2026, 3, 31), s1_acknowledged=D(2026, 4, 1))
    assert before["due_date"] == D(2026, 4, 16)
    # The Code: 10 working days from the acknowledgement (Thu 2 Apr 2026): 7, 8, 9, 10, 13-17, 20 Apr.
    code = one(D(2026, 4, 2), procedure="Corporate", date_received=D(2026, 4, 1), s1_acknowledged=D(2026, 4, 2))
    assert code["due_date"] == D(2026, 4, 20)
    three = Settings(corporate_rulebook_before_code="corporate-three-stage")
    assert three.rulebook_for("Corporate", D(2026, 3, 31)).id == "corporate-three-stage"
    assert three.rulebook_for("Corporate", D(2026, 4, 1)).id == "lgsco-code-2026"


def test_code_extensions_are_capped_at_the_codes_limits():
    with pytest.raises(rulebook.RulebookError, match="at most 20 working days"):
        rulebook.load("lgsco-code-2026", {"s1_response.extended": 30})
    settings, problems = settings_from_rows([["Rule", "lgsco-code-2026: s2_response.extended = 45"]])
    assert settings.rulebook_for("Corporate").milestone("s2_response").extended == 40
    assert problems and "at most 40 working days" in problems[0] and "row 1" in problems[0]
    assert rulebook.load("england-statutory", {"s1_response.extended": 25}).milestone("s1_response").extended == 25  # a council's own choice


# Finished complaints keep their timeliness.


@pytest.mark.parametrize("sent, rag", [(D(2025, 5, 1), "Met"), (D(2025, 5, 2), "Late")])
def test_a_stage_3_response_keeps_met_or_late(sent, rag):
    # Reg 20(3): 15 working days from the panel's report (Tue 8 Apr 2025): 9-11, 14-17 Apr, [18, 21 Apr Easter],
    # 22-25, 28-30 Apr, 1 May: due Thu 1 May 2025.
    fields = dict(STAGE_2_DONE, s3_requested=D(2025, 3, 10), s3_panel_appointed=D(2025, 3, 14), s3_panel_held=D(2025, 4, 1),
                  s3_panel_report_received=D(2025, 4, 8), s3_response_sent=sent)
    got = one(D(2025, 5, 20), **fields)
    assert (got["due_date"], got["rag"], got["can_escalate"]) == (D(2025, 5, 1), rag, "To the Ombudsman")


def test_a_late_code_stage_2_response_shows_late():
    # Code: stage 2 response 20 working days from the acknowledgement (Tue 14 Apr 2026): 15-17, 20-24, 27-30 Apr, 1 May,
    # [4 May], 5-8, 11-13 May: Wed 13 May 2026.
    fields = dict(procedure="Corporate", date_received=D(2026, 4, 1), s1_acknowledged=D(2026, 4, 2), s1_response_sent=D(2026, 4, 10),
                  s2_requested=D(2026, 4, 13), s2_accepted=D(2026, 4, 14), s2_adjudication_sent=D(2026, 5, 14))
    got = one(D(2026, 6, 1), **fields)
    assert (got["due_date"], got["rag"]) == (D(2026, 5, 13), "Late")


# --- the full mutation run of 2 December: eligibility, clocks, other representations, row problems ---


def test_a_case_concern_taken_to_stage_2_shows_stage_2_not_case_concern():
    # A case concern is "Case concern" only at stage 1. Stage 2 (reg 17): 25 working days from the accepted request
    # (Thu 13 Feb 2025): 14, 17-21, 24-28 Feb, 3-7, 10-14, 17-20 Mar: Thu 20 Mar 2025.
    got = one(D(2025, 3, 3), representation_type="Case Concern", s1_response_sent=D(2025, 2, 10), s2_requested=D(2025, 2, 12),
              s2_accepted=D(2025, 2, 13))
    assert (got["stage"], got["milestone"], got["due_date"], got["rag"]) == ("Stage 2", "Stage 2 adjudication", D(2025, 3, 20), "Green")


def test_a_complaint_deferred_today_is_deferred_from_today():
    # Deferred on the as-of day, Wed 5 Feb 2025, review Mon 3 Mar: 6, 7, 10-14, 17-21, 24-28 Feb, 3 Mar: 18 working days left.
    got = one(D(2025, 2, 5), deferred_on=D(2025, 2, 5), deferral_review_date=D(2025, 3, 3))
    assert (got["stage"], got["milestone"], got["due_date"], got["working_days_left"], got["rag"]) == (
        "Deferred", "Deferral review", D(2025, 3, 3), 18, "Green")
    assert got["next_action"] == "Deferred (concurrent proceedings): review the deferral by Mon 3 Mar 2025"
    # Deferred since 5 Feb, still deferred on Tue 1 Apr: no stage 1 clock runs, so no shortcut to stage 2 either
    # (undeferred, stage 1's 20-day maximum ran out on Mon 3 Mar).
    long = one(D(2025, 4, 1), deferred_on=D(2025, 2, 5), deferral_review_date=D(2025, 4, 4))
    assert (long["stage"], long["can_escalate"], long["escalate_by"]) == ("Deferred", "No", None)
    assert one(D(2025, 4, 1))["can_escalate"] == "To stage 2 (stage 1 not answered in time)"


def test_a_restriction_decided_today_is_reviewed_and_one_without_a_review_date_asks_for_it():
    # seed 004, 'Persistent Complainants': the restriction is reviewed. Decided on the as-of day, Mon 10 Feb 2025.
    # Stage 1: 10 working days from Mon 3 Feb is Mon 17 Feb (5 working days left: 11-14, 17 Feb).
    got = one(D(2025, 2, 10), persistent_complainant_decided=D(2025, 2, 10), persistent_complainant_review=D(2025, 3, 3))
    assert got["next_action"] == (
        "Send stage 1 response by Mon 17 Feb 2025; review the restriction on contact (unreasonably persistent complainant) by Mon 3 Mar 2025")
    no_review = one(D(2025, 2, 10), persistent_complainant_decided=D(2025, 2, 10))
    assert no_review["next_action"] == (
        "Send stage 1 response by Mon 17 Feb 2025; record a review date for the restriction on contact (unreasonably persistent complainant)")
    decided_tomorrow = one(D(2025, 2, 10), persistent_complainant_decided=D(2025, 2, 11), persistent_complainant_review=D(2025, 3, 3))
    assert decided_tomorrow["next_action"] == "Send stage 1 response by Mon 17 Feb 2025"


def test_the_readers_messages_may_cover_more_rows_or_fewer_than_are_assessed():
    # The letters assess only the rows they write for, with the whole register's messages; a caller may give
    # messages only for the rows that have one. Either way each row gets its own, and a clean row stays clean.
    table = from_records([row(reference=f"R-{i}") for i in (1, 2, 3)]).table
    first, second, third = table.index
    message = "Child's date of birth: 'soon' is not a date"
    only_second = pd.Series({second: message}, dtype=object)
    got = status.assess(table, SETTINGS, D(2025, 2, 5), row_problems=only_second)
    assert got["problems"].tolist() == ["", message, ""]
    assert got["rag"].tolist() == ["Green", "Check", "Green"]
    every_row = pd.Series(["", message, ""], index=table.index, dtype=object)
    some = status.assess(table.loc[[second, third]], SETTINGS, D(2025, 2, 5), row_problems=every_row)
    assert some["problems"].tolist() == [message, ""]
    assert some["next_action"].tolist() == [f"Correct the row: {message}", "Send stage 1 response by Mon 17 Feb 2025"]


def test_row_problems_name_the_register_sheet_row_column_and_the_date_the_cell_holds():
    # The one list `check` prints: sheet (Register unless told), row, column, message and the cell's date.
    table = from_records([row(reference="R-1", s1_acknowledged=D(2025, 1, 31)),
                          row(reference="R-2", date_received=D(2025, 2, 10), s1_acknowledged=None)]).table
    assert [str(p) for p in status.row_problems(table, D(2025, 2, 7))] == [
        "Register row 2, column 'S1 acknowledged': S1 acknowledged is before Date received (the cell holds 'Fri 31 Jan 2025')",
        "Register row 3, column 'Date received': Date received is after the as-of date (the cell holds 'Mon 10 Feb 2025')",
    ]


def test_a_holds_sheet_problem_is_shown_only_on_its_own_complaints_row():
    sheet = holds_sheet(("R-2", "Other", D(2025, 2, 20), D(2025, 2, 12)))
    table = from_records([row(reference="R-1"), row(reference="R-2")]).table
    got = status.assess(table, SETTINGS, D(2025, 3, 1), holds=sheet)
    assert got["problems"].tolist() == ["", "Holds row 2: On hold to is before On hold from"]
    assert got["rag"].tolist() == ["Red", "Check"]


def test_row_problems_list_the_register_sheets_first_then_the_holds_sheets():
    sheet = holds_sheet(("R-1", "Other", D(2025, 2, 20), D(2025, 2, 12)))
    table = from_records([row(reference="R-1"), row(reference="R-2", s1_acknowledged=D(2025, 1, 31))]).table
    assert [(p.sheet, p.row, p.column) for p in status.row_problems(table, D(2025, 3, 1), sheet)] == [
        ("Register", 3, "S1 acknowledged"), ("Holds", 2, "On hold to")]


def test_a_deferral_ended_before_the_complaint_arrived_does_not_move_day_zero():
    # Stage 1 still runs from receipt, Mon 3 Feb 2025: 4-7, 10-14, 17 Feb: Mon 17 Feb (not from Mon 27 Jan).
    got = one(D(2025, 2, 5), deferral_ended=D(2025, 1, 27))
    assert (got["due_date"], got["next_action"]) == (D(2025, 2, 17), "Send stage 1 response by Mon 17 Feb 2025")


def test_stage_3_clocks_start_with_the_stage_3_request_not_with_a_panel_date_typed_ahead():
    # No S3 requested: the panel's report clock (reg 20) does not run; the complainant may still ask for stage 3
    # within 20 working days of the adjudication (Mon 3 Mar 2025): Mon 31 Mar.
    got = one(D(2025, 3, 12), **dict(STAGE_2_DONE, s3_panel_held=D(2025, 3, 10)))
    assert (got["due_date"], got["can_escalate"], got["escalate_by"]) == (None, "To stage 3", D(2025, 3, 31))
    # and the row is flagged: a panel date with no stage 3 request is a gap the officer must fill
    assert got["next_action"] == "Correct the row: S3 panel held but no S3 requested date"


def test_who_made_the_complaint_must_be_recorded_for_the_statutory_procedure():
    got = one(D(2025, 2, 5), received_from="", parental_responsibility="")
    assert got["eligibility"] == "Record who made the complaint (Received from) to check they may use the statutory procedure"


def test_a_parent_of_a_care_leaver_is_eligible_as_a_parent():
    # "Received from" says who complained: the care leaver route (s24D) is for the care leaver complaining themselves.
    got = one(D(2025, 2, 5), received_from="Parent", child_legal_status="Care Leaver")
    assert got["eligibility"] == ELIGIBLE + "a parent (s26(3)(b))"


def test_a_child_who_can_consent_and_said_no():
    # Seed 001: a representative needs the consent of a child who has the understanding to give it (14 here, 12 or over).
    got = one(D(2025, 2, 5), received_from="Other Relative", parental_responsibility="No", child_date_of_birth=D(2011, 1, 1), child_consent="No")
    assert got["eligibility"] == (
        "Child has not consented and the complainant has no parental responsibility: use Corporate or refuse (No PR), unless "
        "the council decides they have sufficient interest (s26(3)(e))")


def test_each_rows_eligibility_is_its_own_in_a_mixed_register():
    # One row needing consent does not make the others need it; a procedure suggestion goes to the rows without one.
    table = from_records([row(reference="A", received_from="Advocate", parental_responsibility="", child_date_of_birth=D(2011, 1, 1)),
                          row(reference="B"), row(reference="C", procedure="Corporate")]).table
    assert status.eligibility(table, SETTINGS).tolist() == [
        "Needs the child's consent: send the consent request", ELIGIBLE + "a parent (s26(3)(b))", "Corporate"]
    table = from_records([row(reference="A", procedure=""), row(reference="B"), row(reference="C", procedure="", service="Early Help Hub")]).table
    assert status.eligibility(table, SETTINGS).tolist() == [
        "Procedure not recorded: Statutory suggested", ELIGIBLE + "a parent (s26(3)(b))", "Procedure not recorded: Corporate suggested"]


def test_two_things_to_deal_with_are_both_named():
    got = one(D(2025, 2, 5), procedure="", date_of_events=D(2023, 12, 1))
    assert got["eligibility"] == (
        "Procedure not recorded: Statutory suggested; Out of time: events more than 12 months before receipt; accept only at "
        "discretion (record why in Accepted out of time) or refuse (Out of Time)")


def test_an_extension_column_named_for_a_milestone_with_no_extended_maximum_grants_nothing():
    # A council's Rule row naming "S1 extended" for the acknowledgement (which has no extended period): still 3 working
    # days from Mon 3 Feb 2025: Tue 4, Wed 5, Thu 6 Feb.
    council = Settings(overrides={"england-statutory": {"s1_acknowledgement.extended_if": "s1_extended"}})
    got = one(D(2025, 2, 4), settings=council, s1_acknowledged=None, s1_extended="Yes")
    assert (got["milestone"], got["due_date"]) == ("Acknowledgement", D(2025, 2, 6))


OUT_OF_TIME = ("Out of time: events more than 12 months before receipt; accept only at discretion (record why in Accepted out of "
               "time) or refuse (Out of Time)")


def test_each_rulebooks_time_limit_applies_to_its_own_rows_only():
    # A council gives corporate complaints 6 months (a Rule row); statutory ones keep reg 9's 12 months. Received Mon 3 Feb 2025:
    # events on Mon 3 Jun 2024 are 8 months before (in time for statutory, late for corporate); 1 Dec 2023 is 14 months before.
    # Each row's message names its own rulebook's limit (it said 12 months whatever the setting, until 2 December 2026).
    council = Settings(overrides={"corporate-two-stage": {"time_limit.amount": 6}})
    table = from_records([row(reference="R-1", date_of_events=D(2024, 6, 3)),
                          row(reference="R-2", procedure="Corporate", date_of_events=D(2024, 6, 3)),
                          row(reference="R-3", date_of_events=D(2023, 12, 1))]).table
    assert status.eligibility(table, council).tolist() == [ELIGIBLE + "a parent (s26(3)(b))",
                                                          OUT_OF_TIME.replace("12 months", "6 months"), OUT_OF_TIME]
    assert "12 months" in OUT_OF_TIME


def test_in_time_by_becoming_aware_names_the_rulebooks_own_limit():
    # A council gives statutory complaints 18 months (a Rule row). Received Mon 3 Feb 2025: events 1 Jun 2023 are 20 months
    # before; the complainant became aware on 1 Dec 2023, 14 months before, inside the 18.
    council = Settings(overrides={"england-statutory": {"time_limit.amount": 18}})
    table = from_records([row(reference="R-1", date_of_events=D(2023, 6, 1), date_became_aware=D(2023, 12, 1))]).table
    found = status.eligibility(table, council).tolist()[0]
    assert "In time: the events were more than 18 months before, but the complainant became aware of them only recently" in found
    one_month = Settings(overrides={"england-statutory": {"time_limit.amount": 1}})
    late = from_records([row(reference="R-2", date_of_events=D(2024, 12, 2))]).table
    assert "Out of time: events more than one calendar month before receipt;" in status.eligibility(late, one_month).tolist()[0]


def test_becoming_aware_more_than_12_months_before_is_out_of_time_too():
    # Events 1 Dec 2023, aware Tue 2 Jan 2024: both more than 12 months before Mon 3 Feb 2025 (reg 9; seed 004).
    assert one(D(2025, 2, 5), date_of_events=D(2023, 12, 1), date_became_aware=D(2024, 1, 2))["eligibility"] == OUT_OF_TIME


def test_a_compliment_about_old_events_gets_no_route_check():
    assert one(D(2025, 2, 5), representation_type="Compliment", date_of_events=D(2023, 12, 1))["eligibility"] == ""


def test_an_earlier_complaint_answered_at_stage_2_within_12_months_is_not_a_reason_to_refuse():
    # Stage 1 answered Mon 16 Oct 2023 (over 12 months before Mon 3 Feb 2025), but the stage 2 adjudication went on
    # Fri 1 Mar 2024: the matter's last answer is less than 12 months old (seed 004, 'Complaints outside of remit').
    earlier = row(reference="OLD-1", date_received=D(2023, 10, 2), s1_acknowledged=D(2023, 10, 3), s1_response_sent=D(2023, 10, 16),
                  s2_requested=D(2023, 10, 20), s2_accepted=D(2023, 10, 23), s2_adjudication_sent=D(2024, 3, 1))
    table = from_records([earlier, row(reference="NEW-1", earlier_complaint="OLD-1")]).table
    assert status.eligibility(table, SETTINGS).tolist()[1] == ELIGIBLE + "a parent (s26(3)(b))"


def test_a_council_may_name_any_yes_no_column_for_an_extension_even_one_the_engine_factorises():
    # "S1 response extended if Sufficient interest" (a Rule row): 20 working days for that row, 10 for the others, each row
    # by its own rulebook. From Mon 3 Feb 2025: 10 working days is Mon 17 Feb; 20 is Mon 3 Mar.
    council = Settings(overrides={"england-statutory": {"s1_response.extended_if": "sufficient_interest"}})
    table = from_records([row(reference="R-1", procedure="Corporate"), row(reference="R-2", sufficient_interest="Yes"), row(reference="R-3")]).table
    got = status.assess(table, council, D(2025, 2, 5))
    assert got["due_date"].tolist() == [dt.datetime(2025, 2, 17), dt.datetime(2025, 3, 3), dt.datetime(2025, 2, 17)]


def test_a_rule_row_naming_a_missing_or_blank_column_leaves_the_other_clocks_working():
    # A misspelt column in a Rule row ("s1_response.from = s1_acknowledgment") once left that clock never starting,
    # with nothing said: now the row is refused with a sentence naming it, and the shipped rule stays.
    for rule, named in (("s1_response.from = s1_acknowledgment", "from 's1_acknowledgment'"),
                        ("s1_response.done = s1_response_snt", "done 's1_response_snt'"),
                        ("s1_response.extended_if = s1_extendd", "extended_if 's1_extendd'")):
        council, problems = settings_from_rows([["Setting", "Value"], ["Rule", f"england-statutory: {rule}"]])
        assert len(problems) == 1 and problems[0].startswith("Settings row 2, 'Rule'") and named in problems[0], rule
        assert council.overrides == {}
    # Right spellings are taken: stage 1 from the acknowledgement (Wed 5 Feb 2025) + 10 working days (6-7, 10-14,
    # 17-19 Feb) = Wed 19 Feb, not from receipt (Mon 3 Feb: Mon 17 Feb).
    council, problems = settings_from_rows([["Setting", "Value"], ["Rule", "england-statutory: s1_response.from = s1_acknowledged"]])
    assert problems == []
    got = one(D(2025, 2, 6), settings=council, s1_acknowledged=D(2025, 2, 5))
    assert (got["milestone"], got["due_date"]) == ("Stage 1 response", D(2025, 2, 19))
    # A Rule row blanking the stage 2 request column ("to_stage_2.requested ="): stage 2's clocks never start, stage 1's still do.
    blanked = Settings(overrides={"england-statutory": {"to_stage_2.requested": ""}})
    got = one(D(2025, 2, 4), settings=blanked, s1_acknowledged=None)
    assert (got["milestone"], got["due_date"], got["next_action"]) == ("Acknowledgement", D(2025, 2, 6), "Send acknowledgement by Thu 6 Feb 2025")
