"""The status engine at its edges: the cases mutation testing found no test for (docs/testing.md).

Every expected value is written out from the rules (the rulebook's periods, GOV.UK's bank
holidays, the seeds' wording), with the working days counted in a comment; nothing here
is computed with the project's own calendar.
"""

import datetime as dt

import numpy as np
import pandas as pd

from xl_complaints.core.register import from_records
from xl_complaints.core.schema import column
from xl_complaints.core.settings import Settings
from xl_complaints.core.status import days_on_hold, eligibility, route

from test_status import complaint  # one typical complaint row, shared with the status tests

D = dt.date
SETTINGS = Settings()
CODE_ALWAYS = Settings(corporate_rulebook_before_code="lgsco-code-2026")


def table(*records):
    return from_records(list(records)).table


# --- route: the procedure each row follows ----------------------------------------------


def test_route_is_the_recorded_procedure_else_the_one_the_service_suggests():
    rows = table(
        complaint("R-1"),  # recorded Statutory
        complaint("R-2", procedure="Corporate"),  # recorded Corporate, ordinary service
        complaint("R-3", procedure="", service="Early Help Hub"),  # exempt service: Corporate suggested
        complaint("R-4", procedure="", service="Court Report (s7/s37)"),
        complaint("R-5", procedure=""),  # nothing recorded, no exempt service: Statutory
        complaint("R-6", procedure="Statutory", service="Early Help Hub"),  # what is recorded wins
    )
    assert list(route(rows)) == ["Statutory", "Corporate", "Corporate", "Corporate", "Statutory", "Statutory"]


# --- eligibility over a whole table --------------------------------------------------------


def test_eligibility_gives_each_row_its_own_reason():
    rows = table(
        complaint("E-1"),
        complaint("E-2", received_from="Service user (young person)", parental_responsibility=""),
        complaint("E-3", procedure="Corporate"),
        complaint("E-4", service="Early Help Hub"),
    )
    assert list(eligibility(rows, SETTINGS)) == [
        "Statutory: eligible - a parent (s26(3)(b))",
        "Statutory: eligible - the child (s26(3)(a))",
        "Corporate",
        "Service is outside the statutory procedure: use Corporate",
    ]


# --- days_on_hold: the working days added to each milestone's deadline -----------------------


def test_days_on_hold_are_counted_per_milestone_and_row():
    rows = table(
        # Acknowledged Tue 5 Mar; on hold Tue 12 to Tue 19 Mar: Wed 13, Thu 14, Fri 15, Mon 18, Tue 19 = 5.
        complaint("H-1", s1_acknowledged=D(2024, 3, 5), on_hold_from=D(2024, 3, 12), on_hold_to=D(2024, 3, 19)),
        complaint("H-2", s1_acknowledged=D(2024, 3, 5)),  # no hold
        # Open since Thu 14 Mar, as of Wed 20 Mar: Fri 15, Mon 18, Tue 19, Wed 20 = 4.
        complaint("H-3", s1_acknowledged=D(2024, 3, 5), on_hold_from=D(2024, 3, 14)),
    )
    held = days_on_hold(rows, SETTINGS, D(2024, 3, 20))
    assert list(held["s1_response"]) == [5, 0, 4]
    # The acknowledgement was sent before either hold began: its deadline is not moved.
    assert list(held["s1_acknowledgement"]) == [0, 0, 0]
    assert list(held["s2_response"]) == [0, 0, 0]
    assert all(values.dtype == np.int64 for values in held.values())


def test_days_on_hold_include_the_holds_sheet_and_skip_corporate_code_clocks():
    from xl_complaints.core.register import validate_holds
    from xl_complaints.core.schema import HOLD_COLUMNS

    sheet, problems = validate_holds(
        [c.header for c in HOLD_COLUMNS],
        # Tue 12 to Thu 14 Mar: Wed 13, Thu 14 = 2; the Code's clocks do not stop for a hold.
        [["S-1", "Awaiting consent", D(2024, 3, 12), D(2024, 3, 14)], ["C-1", "Other", D(2024, 3, 12), D(2024, 3, 14)]],
    )
    assert problems == []
    rows = table(
        complaint("S-1", s1_acknowledged=D(2024, 3, 5)),
        complaint("C-1", procedure="Corporate", s1_acknowledged=D(2024, 3, 5)),
    )
    held = days_on_hold(rows, CODE_ALWAYS, D(2024, 3, 20), holds=sheet)
    assert list(held["s1_response"]) == [2, 0]
    assert isinstance(held, dict) and not isinstance(held, pd.DataFrame)


# --- case concerns ---------------------------------------------------------------------------

CONCERN = dict(representation_type="Case Concern", s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 12))


def test_an_answered_case_concern_may_become_a_formal_complaint_until_the_window_closes():
    from xl_complaints.core.status import assess_row

    # Answered Tue 12 Mar 2024; 20 working days: 13-15, 18-22, 25-28 (Good Friday 29 Mar and
    # Easter Monday 1 Apr are bank holidays), 2-5, 8-11 Apr: the last day is Thu 11 Apr.
    last_day = assess_row(complaint(**CONCERN), SETTINGS, D(2024, 4, 11))
    assert (last_day["stage"], last_day["can_escalate"], last_day["escalate_by"]) == ("Case concern", "To a formal complaint", D(2024, 4, 11))
    day_after = assess_row(complaint(**CONCERN), SETTINGS, D(2024, 4, 12))
    assert (day_after["stage"], day_after["can_escalate"], day_after["rag"]) == ("Case concern", "No", "Closed")
    unanswered = assess_row(complaint(**{**CONCERN, "s1_response_sent": None}), SETTINGS, D(2024, 3, 13))
    assert (unanswered["stage"], unanswered["can_escalate"], unanswered["due_date"]) == ("Case concern", "No", D(2024, 3, 18))


# --- dates as the Next action column shows them ------------------------------------------------


def test_a_missing_date_is_shown_as_nothing():
    from xl_complaints.core.status import format_day

    assert format_day(None) == ""
    assert format_day(pd.NaT) == ""
    assert format_day(np.datetime64("NaT")) == ""
    assert format_day(D(2024, 3, 4)) == "Mon 4 Mar 2024"


def test_rows_with_the_same_milestone_get_their_own_dates_in_the_next_action():
    from xl_complaints.core.status import assess

    # Received Mon 4 and Tue 5 Mar 2024: acknowledgements due 3 working days later, Thu 7 and Fri 8 Mar.
    rows = table(complaint("A-1"), complaint("A-2", date_received=D(2024, 3, 5)))
    got = assess(rows, SETTINGS, D(2024, 3, 5))
    assert list(got["next_action"]) == ["Send acknowledgement by Thu 7 Mar 2024", "Send acknowledgement by Fri 8 Mar 2024"]


def test_the_calculated_columns_keep_their_kinds():
    from xl_complaints.core.status import assess

    got = assess(table(complaint(s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 12))), SETTINGS, D(2024, 3, 13))
    assert (str(got["due_date"].dtype), str(got["escalate_by"].dtype), str(got["working_days_left"].dtype)) == (
        "datetime64[s]", "datetime64[s]", "float64")
    assert got["escalate_by"].iloc[0] == pd.Timestamp(2024, 4, 11)  # 20 working days after Tue 12 Mar, across Easter


# --- day zero, as the rulebook counts it ------------------------------------------------------


def test_day_zero_can_be_the_day_after_receipt():
    import dataclasses

    from xl_complaints.core.status import day_zero

    book = SETTINGS.rulebook_for("Statutory")
    received = np.array(["2024-03-04", "2024-03-02", "2024-03-28"], dtype="datetime64[D]")  # Mon; Sat; Thu before Good Friday
    as_received = day_zero(received, book, SETTINGS.calendar)
    assert list(as_received) == list(np.array(["2024-03-04", "2024-03-04", "2024-03-28"], dtype="datetime64[D]"))
    after = day_zero(received, dataclasses.replace(book, day_zero="day after receipt"), SETTINGS.calendar)
    # The Saturday counts from Monday, so its day zero is Tuesday; Fri 29 Mar and Mon 1 Apr 2024 are bank holidays.
    assert list(after) == list(np.array(["2024-03-05", "2024-03-05", "2024-04-02"], dtype="datetime64[D]"))


def test_a_council_counting_from_the_day_after_receipt_gets_later_due_dates():
    from xl_complaints.core.status import assess_row

    later = Settings(overrides={"england-statutory": {"day_zero": "day after receipt"}})
    # Day zero Tue 5 Mar 2024; 3 working days: Wed 6, Thu 7, Fri 8.
    assert assess_row(complaint(), later, D(2024, 3, 5))["due_date"] == D(2024, 3, 8)
    assert assess_row(complaint(), SETTINGS, D(2024, 3, 5))["due_date"] == D(2024, 3, 7)


# --- holds: which reasons stop which clocks ------------------------------------------------------

ACKED = dict(s1_acknowledged=D(2024, 3, 5))  # received Mon 4 Mar: stage 1 response due Mon 18 Mar (5-8, 11-15, 18)


def test_a_holds_sheet_reason_the_council_says_stops_no_clock_moves_nothing():
    from xl_complaints.core.register import validate_holds
    from xl_complaints.core.schema import HOLD_COLUMNS
    from xl_complaints.core.status import assess

    headers = [c.header for c in HOLD_COLUMNS]
    sheet, problems = validate_holds(headers, [["T-1", "Awaiting consent", D(2024, 3, 12), D(2024, 3, 14)]])
    assert problems == []
    rows = table(complaint(**ACKED))
    no_stop = Settings(overrides={"england-statutory": {"awaiting_consent.stops": "none"}})
    assert assess(rows, no_stop, D(2024, 3, 15), holds=sheet)["due_date"].iloc[0] == pd.Timestamp(2024, 3, 18)
    # As shipped, awaiting consent stops the clock: Wed 13 and Thu 14 taken off, Mon 18 + 2 = Wed 20 Mar.
    assert assess(rows, SETTINGS, D(2024, 3, 15), holds=sheet)["due_date"].iloc[0] == pd.Timestamp(2024, 3, 20)


def test_a_hold_while_the_acknowledgement_is_due_does_not_stop_its_clock():
    from xl_complaints.core.status import assess_row

    row = assess_row(complaint(on_hold_from=D(2024, 3, 4)), SETTINGS, D(2024, 3, 6))
    assert (row["rag"], row["due_date"]) == ("Amber", D(2024, 3, 7))
    assert row["next_action"] == "On hold, but this procedure's clock does not stop: send acknowledgement by Thu 7 Mar 2024"


def test_a_council_may_let_a_hold_stop_the_acknowledgement_clock():
    from xl_complaints.core.status import assess_row

    pauses = Settings(overrides={"england-statutory": {"s1_acknowledgement.pauses_on_hold": "yes"}})
    # On hold from receipt (Mon 4 Mar), open on Wed 6 Mar: Tue 5 and Wed 6 taken off, Thu 7 + 2 = Mon 11 Mar.
    row = assess_row(complaint(on_hold_from=D(2024, 3, 4)), pauses, D(2024, 3, 6))
    assert (row["rag"], row["due_date"]) == ("On hold", D(2024, 3, 11))
    assert row["next_action"] == "On hold: review the hold; send acknowledgement by Mon 11 Mar 2024"


def test_holds_given_to_assess_row_by_header_or_key_and_without_a_reference():
    from xl_complaints.core.status import assess_row

    # Tue 12 to Thu 14 Mar: Wed 13, Thu 14 taken off, Mon 18 + 2 = Wed 20 Mar.
    by_header = [{"Hold reason": "Other", "On hold from": D(2024, 3, 12), "On hold to": D(2024, 3, 14)}]
    by_key = [{"hold_reason": "Other", "on_hold_from": D(2024, 3, 12), "on_hold_to": D(2024, 3, 14)}]
    for holds in (by_header, by_key):
        assert assess_row(complaint(**ACKED), SETTINGS, D(2024, 3, 15), holds=holds)["due_date"] == D(2024, 3, 20)
    assert assess_row(complaint(**ACKED), SETTINGS, D(2024, 3, 15))["due_date"] == D(2024, 3, 18)


# --- the complainant's next step ---------------------------------------------------------------------


def test_an_unanswered_corporate_stage_1_does_not_open_the_statutory_shortcut_to_stage_2():
    from xl_complaints.core.status import assess_row

    # Weeks past any stage 1 deadline: the statutory guidance's shortcut is for statutory complaints only.
    late = dict(s1_acknowledged=D(2024, 3, 5))
    assert assess_row(complaint(procedure="Corporate", **late), SETTINGS, D(2024, 5, 6))["can_escalate"] == "No"
    assert assess_row(complaint(**late), SETTINGS, D(2024, 5, 6))["can_escalate"] == "To stage 2 (stage 1 not answered in time)"


def test_a_withdrawn_complaint_offers_no_next_step():
    from xl_complaints.core.status import assess_row

    answered = dict(s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 12))
    open_window = assess_row(complaint(**answered), SETTINGS, D(2024, 3, 14))
    assert (open_window["milestone"], open_window["can_escalate"]) == ("Stage 1 response", "To stage 2")
    row = assess_row(complaint(withdrawn_date=D(2024, 3, 13), **answered), SETTINGS, D(2024, 3, 14))
    assert {k: row[k] for k in ("milestone", "rag", "can_escalate", "escalate_by", "due_date", "next_action")} == {
        "milestone": "", "rag": "Withdrawn", "can_escalate": "No", "escalate_by": None, "due_date": None,
        "next_action": "None: withdrawn on Wed 13 Mar 2024",
    }


# --- representations that are not complaints ------------------------------------------------------------


def test_a_compliment_is_logged_and_closed_with_no_route_check():
    from xl_complaints.core.status import assess_row

    # From a grandparent without parental responsibility: a complaint would need the child's consent.
    row = assess_row(complaint(representation_type="Compliment", received_from="Grandparent", parental_responsibility="No"), SETTINGS, D(2024, 3, 6))
    assert {k: row[k] for k in ("stage", "milestone", "rag", "can_escalate", "escalate_by", "next_action", "eligibility")} == {
        "stage": "Compliment", "milestone": "", "rag": "Closed", "can_escalate": "No", "escalate_by": None,
        "next_action": "None: compliment logged", "eligibility": "",
    }


def test_a_refusal_names_its_reason_or_asks_for_one():
    from xl_complaints.core.status import assess_row

    blank = assess_row(complaint(representation_type="Refused"), SETTINGS, D(2024, 3, 6))
    assert (blank["stage"], blank["rag"], blank["next_action"]) == ("Refused", "Closed", "None: refused (record the refusal reason)")
    named = assess_row(complaint(representation_type="Refused", refusal_reason="Out of Time"), SETTINGS, D(2024, 3, 6))
    assert named["next_action"] == "None: refused (Out of Time)"


# --- deferral for concurrent proceedings -----------------------------------------------------------------

DEFERRED = dict(deferred_on=D(2024, 3, 5), deferral_review_date=D(2024, 4, 2), deferral_ended=D(2024, 3, 20))


def test_a_deferral_lasts_until_the_day_it_ends():
    from xl_complaints.core.status import assess_row

    before = assess_row(complaint(**DEFERRED), SETTINGS, D(2024, 3, 19))
    assert {k: before[k] for k in ("stage", "milestone", "rag", "can_escalate", "due_date", "next_action")} == {
        "stage": "Deferred", "milestone": "Deferral review", "rag": "Green", "can_escalate": "No", "due_date": D(2024, 4, 2),
        "next_action": "Deferred (concurrent proceedings): review the deferral by Tue 2 Apr 2024",
    }
    # Ended Wed 20 Mar: stage 1 runs again from that day; acknowledgement in 3 working days: Thu 21, Fri 22, Mon 25.
    on_the_day = assess_row(complaint(**DEFERRED), SETTINGS, D(2024, 3, 20))
    assert (on_the_day["stage"], on_the_day["milestone"], on_the_day["due_date"]) == ("Stage 1", "Acknowledgement", D(2024, 3, 25))


def test_an_answered_complaint_is_not_shown_as_deferred():
    from xl_complaints.core.status import assess_row

    answered = dict(s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 6), deferred_on=D(2024, 3, 7), deferral_review_date=D(2024, 4, 2))
    row = assess_row(complaint(**answered), SETTINGS, D(2024, 3, 11))
    assert (row["stage"], row["rag"], row["can_escalate"]) == ("Stage 1", "Met", "To stage 2")


# --- an unreasonably persistent complainant ------------------------------------------------------------------

PERSISTENT = dict(s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 6), persistent_complainant_decided=D(2024, 3, 7),
                  persistent_complainant_review=D(2024, 6, 3))


def test_a_closed_complaints_restriction_review_is_the_whole_next_action():
    from xl_complaints.core.status import assess_row

    on_the_day = assess_row(complaint(**PERSISTENT), SETTINGS, D(2024, 6, 3))
    assert on_the_day["rag"] == "Closed"
    assert on_the_day["next_action"] == "Review the restriction on contact (unreasonably persistent complainant) by Mon 3 Jun 2024"
    day_after = assess_row(complaint(**PERSISTENT), SETTINGS, D(2024, 6, 4))
    assert day_after["next_action"] == (
        "Review the restriction on contact (unreasonably persistent complainant) by Mon 3 Jun 2024 (overdue by 1 working day)")


# --- eligibility: the route check -----------------------------------------------------------------------------


def test_a_procedure_not_recorded_is_suggested_from_the_service():
    rows = table(complaint("P-1", procedure=""), complaint("P-2", procedure="", service="Early Help Hub"))
    assert list(eligibility(rows, SETTINGS)) == ["Procedure not recorded: Statutory suggested", "Procedure not recorded: Corporate suggested"]


def test_a_care_leaver_is_known_by_the_service_as_well_as_the_legal_status():
    rows = table(
        complaint("L-1", received_from="Service user (adult)", parental_responsibility="", service="Care Leavers"),
        complaint("L-2", received_from="Service user (adult)", parental_responsibility="", child_legal_status="Care Leaver"),
    )
    assert list(eligibility(rows, SETTINGS)) == ["Statutory: eligible - a care leaver (s24D)"] * 2


def test_a_corporate_complaint_needs_no_consent():
    row = table(complaint(procedure="Corporate", received_from="Grandparent", parental_responsibility="No", child_date_of_birth=D(2010, 1, 1)))
    assert list(eligibility(row, SETTINGS)) == ["Corporate"]


def test_becoming_aware_late_is_noted_whatever_the_other_rows_procedures():
    # Events Sun 1 Jan 2023, more than 12 months before Mon 4 Mar 2024; aware Thu 1 Feb 2024, within them.
    late = dict(date_of_events=D(2023, 1, 1), date_became_aware=D(2024, 2, 1))
    # The corporate row has its own events (in time), so its rulebook's 12-month check runs after the statutory one's.
    rows = table(complaint("K-1", **late), complaint("K-2", procedure="Corporate", date_of_events=D(2024, 1, 1)))
    assert list(eligibility(rows, SETTINGS)) == [
        "Statutory: eligible - a parent (s26(3)(b)); In time: the events were more than 12 months before, "
        "but the complainant became aware of them only recently (seed 004)",
        "Corporate",
    ]


# --- the same matter complained about again (seed 004) ----------------------------------------------------------

EARLIER = complaint("E-1", date_received=D(2023, 2, 1), s1_acknowledged=D(2023, 2, 2), s1_response_sent=D(2023, 3, 1))


def test_an_earlier_answer_more_than_12_months_before_is_a_reason_to_refuse():
    # Answered Wed 1 Mar 2023: 12 calendar months later is Fri 1 Mar 2024, still in time; Sat 2 Mar 2024 is not.
    rows = table(EARLIER, complaint("E-2", date_received=D(2024, 3, 1), earlier_complaint="E-1"),
                 complaint("E-3", date_received=D(2024, 3, 2), earlier_complaint="E-1"))
    assert list(eligibility(rows, SETTINGS))[1:] == [
        "Statutory: eligible - a parent (s26(3)(b))",
        "The same matter was answered more than 12 months before: refuse (Answered over 12 months ago)",
    ]



def test_only_a_complaint_that_names_an_earlier_one_is_judged_by_it():
    """A compliment naming an earlier complaint is not refused, nor is a complaint that names none, even beside a
    row with no reference (which the reader flags) answered long ago."""
    no_reference = complaint("", date_received=D(2023, 2, 1), s1_acknowledged=D(2023, 2, 2), s1_response_sent=D(2023, 3, 1))
    rows = table(
        EARLIER,
        complaint("E-2", date_received=D(2024, 3, 2), earlier_complaint="E-1"),
        complaint("E-3", representation_type="Compliment", date_received=D(2024, 3, 2), earlier_complaint="E-1"),
        no_reference,
        complaint("E-4", date_received=D(2024, 3, 2)),
    )
    assert list(eligibility(rows, SETTINGS)) == [
        "Statutory: eligible - a parent (s26(3)(b))",
        "The same matter was answered more than 12 months before: refuse (Answered over 12 months ago)",
        "",
        "Statutory: eligible - a parent (s26(3)(b))",
        "Statutory: eligible - a parent (s26(3)(b))",
    ]


def test_the_earlier_complaints_latest_answer_counts_even_when_its_dates_are_out_of_order():
    """S2 adjudication sent typed before S1 response sent (the earlier row is flagged for it): the 12 months run from
    the later of the two, Fri 10 Mar 2023 to Sun 10 Mar 2024, so a complaint received Tue 5 Mar 2024 is in time."""
    muddled = complaint("E-1", date_received=D(2023, 2, 1), s1_acknowledged=D(2023, 2, 2), s1_response_sent=D(2023, 3, 10),
                        s2_requested=D(2023, 3, 13), s2_adjudication_sent=D(2023, 3, 1))
    rows = table(muddled, complaint("E-2", date_received=D(2024, 3, 5), earlier_complaint="E-1"))
    assert list(eligibility(rows, SETTINGS))[1] == "Statutory: eligible - a parent (s26(3)(b))"

def test_an_earlier_restriction_on_contact_does_not_carry_over():
    restricted = {**EARLIER, column("persistent_complainant_decided").header: D(2023, 2, 10)}
    rows = table(
        restricted,
        complaint("E-2", date_received=D(2024, 3, 1), earlier_complaint="E-1"),
        complaint("E-3", date_received=D(2024, 3, 1), earlier_complaint="E-1", persistent_complainant_decided=D(2024, 3, 1)),
    )
    assert list(eligibility(rows, SETTINGS))[1:] == [
        "Statutory: eligible - a parent (s26(3)(b)); The earlier complaint's restriction on contact does not carry over: "
        "judge this complaint on its merits (seed 004)",
        "Statutory: eligible - a parent (s26(3)(b)); Restriction on contact (unreasonably persistent complainant) for this "
        "complaint only: a new complaint is judged on its merits (seed 004)",
    ]


# --- the Problems column ------------------------------------------------------------------------------------------


def test_row_problems_name_the_sheet_they_were_asked_for():
    from xl_complaints.core.status import row_problems

    rows = table(complaint(s1_acknowledged=D(2024, 3, 1)))
    assert [(p.sheet, p.column, p.message) for p in row_problems(rows, D(2024, 3, 6), sheet="Register 2024")] == [
        ("Register 2024", "S1 acknowledged", "S1 acknowledged is before Date received")]


def test_the_readers_messages_come_first_then_the_engines():
    from xl_complaints.core.status import assess

    rows = table(complaint(s1_acknowledged=D(2024, 3, 1)))
    reader = pd.Series(["Child's date of birth: 'soon' is not a date"], index=rows.index)
    got = assess(rows, SETTINGS, D(2024, 3, 6), row_problems=reader).iloc[0]
    assert got["problems"] == "Child's date of birth: 'soon' is not a date; S1 acknowledged is before Date received"
    assert (got["rag"], got["next_action"]) == ("Check", "Correct the row: Child's date of birth: 'soon' is not a date")


def test_a_deferral_with_no_review_date_asks_for_one():
    from xl_complaints.core.status import assess_row

    row = assess_row(complaint(deferred_on=D(2024, 3, 5)), SETTINGS, D(2024, 3, 11))
    assert (row["stage"], row["rag"], row["due_date"]) == ("Deferred", "Amber", None)
    assert row["next_action"] == "Deferred (concurrent proceedings): record a review date"


def test_a_deferral_review_is_amber_up_to_its_day_and_red_after():
    from xl_complaints.core.status import assess_row

    review = dict(deferred_on=D(2024, 3, 5), deferral_review_date=D(2024, 3, 11))  # Mon 11 Mar 2024
    three_days_before = assess_row(complaint(deferred_on=D(2024, 3, 5), deferral_review_date=D(2024, 3, 14)), SETTINGS, D(2024, 3, 11))
    assert three_days_before["rag"] == "Amber"  # Tue 12, Wed 13, Thu 14: 3 working days, the Amber threshold
    four_days_before = assess_row(complaint(deferred_on=D(2024, 3, 5), deferral_review_date=D(2024, 3, 15)), SETTINGS, D(2024, 3, 11))
    assert four_days_before["rag"] == "Green"
    on_the_day = assess_row(complaint(**review), SETTINGS, D(2024, 3, 11))
    assert (on_the_day["rag"], on_the_day["next_action"]) == ("Amber", "Deferred (concurrent proceedings): review the deferral by Mon 11 Mar 2024")
    day_after = assess_row(complaint(**review), SETTINGS, D(2024, 3, 12))
    assert (day_after["rag"], day_after["next_action"]) == (
        "Red", "Deferred (concurrent proceedings): review the deferral by Mon 11 Mar 2024 (overdue by 1 working day)")


def test_on_hold_under_the_code_the_clock_runs_on_to_overdue():
    from xl_complaints.core.status import assess_row

    # The Code: stage 1 response 10 working days from the acknowledgement (Tue 5 Mar 2024): Tue 19 Mar; holds do not stop it.
    held = complaint(procedure="Corporate", s1_acknowledged=D(2024, 3, 5), on_hold_from=D(2024, 3, 12))
    on_the_day = assess_row(held, CODE_ALWAYS, D(2024, 3, 19))
    assert (on_the_day["rag"], on_the_day["next_action"]) == (
        "Amber", "On hold, but this procedure's clock does not stop: send stage 1 response by Tue 19 Mar 2024")
    day_after = assess_row(held, CODE_ALWAYS, D(2024, 3, 20))
    assert (day_after["rag"], day_after["next_action"]) == (
        "Red", "On hold, but this procedure's clock does not stop: send stage 1 response by Tue 19 Mar 2024 (overdue by 1 working day)")


def test_after_the_final_response_the_next_action_names_the_ombudsman():
    from xl_complaints.core.status import assess_row

    # The Code has two stages; the Ombudsman window is 12 calendar months from Wed 10 Apr 2024: Thu 10 Apr 2025.
    answered = complaint(procedure="Corporate", s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 12),
                         s2_requested=D(2024, 3, 14), s2_adjudication_sent=D(2024, 4, 10))
    row = assess_row(answered, CODE_ALWAYS, D(2024, 4, 11))
    assert (row["can_escalate"], row["escalate_by"]) == ("To the Ombudsman", D(2025, 4, 10))
    assert row["next_action"] == "None: the complainant may go to the Ombudsman until Thu 10 Apr 2025"


def test_a_row_with_no_date_received_shows_no_stage_or_milestone():
    from xl_complaints.core.status import assess_row

    row = assess_row(complaint(date_received=None), SETTINGS, D(2024, 3, 6))
    assert {k: row[k] for k in ("stage", "milestone", "due_date", "rag")} == {"stage": "", "milestone": "", "due_date": None, "rag": "Check"}


# --- the full mutation run of 2 December: routes, the assessment's rows ---------------------------------------------


def test_a_stage_3_response_recorded_without_the_panels_dates_closes_every_stage_3_milestone():
    from xl_complaints.core.status import assess_row

    # Every stage done; at stage 3 only the response is recorded (the panel's dates were not typed in). The
    # response supersedes the panel's milestones however far before it they come, not only the one just before.
    # Requested Tue 9 Apr 2024: panel held due 30 working days later, Wed 22 May (10-12, 15-19, 22-26, 29-30 Apr,
    # 1-3 May, 7-10 May (Mon 6 May is a bank holiday), 13-17, 20-22 May); its report 5 later, Thu 30 May (23, 24,
    # 28-30 May: Mon 27 May is a bank holiday); the response 15 later, Thu 20 Jun (31 May, 3-7, 10-14, 17-20 Jun).
    answered = complaint(s1_acknowledged=D(2024, 3, 5), s1_response_sent=D(2024, 3, 12), s2_requested=D(2024, 3, 14),
                         s2_accepted=D(2024, 3, 15), s2_adjudication_sent=D(2024, 4, 8), s3_requested=D(2024, 4, 9),
                         s3_response_sent=D(2024, 6, 3))
    row = assess_row(answered, SETTINGS, D(2024, 6, 5))
    assert {k: row[k] for k in ("stage", "milestone", "due_date", "rag", "can_escalate", "escalate_by", "problems")} == {
        "stage": "Stage 3", "milestone": "Stage 3 response", "due_date": D(2024, 6, 20), "rag": "Met",
        "can_escalate": "To the Ombudsman", "escalate_by": D(2025, 6, 3), "problems": "",
    }
    assert row["next_action"] == "None: the complainant may go to the Ombudsman until Tue 3 Jun 2025"


def test_a_row_with_no_date_received_runs_no_clock_of_its_own():
    from xl_complaints.core.status import assess

    # Without the reader's messages (as the letters and the retention list call it) nothing flags the row Check:
    # no clock starts, so no next action and no RAG; an acknowledgement recorded is still reported as done.
    rows = table(complaint("N-1", date_received=None, s1_acknowledged=D(2024, 3, 5)), complaint("N-2", date_received=None))
    got = assess(rows, SETTINGS, D(2024, 3, 6))
    assert got[["stage", "milestone", "rag", "can_escalate", "next_action", "problems"]].to_dict("records") == [
        {"stage": "Stage 1", "milestone": "Acknowledgement", "rag": "Met", "can_escalate": "No", "next_action": "", "problems": ""},
        {"stage": "", "milestone": "", "rag": "", "can_escalate": "No", "next_action": "", "problems": ""},
    ]
    assert got["due_date"].isna().all() and got["working_days_left"].isna().all()


def test_a_refused_complaint_is_not_shown_as_deferred():
    from xl_complaints.core.status import assess_row

    # Deferred on Tue 5 Mar 2024, then refused: a refusal runs no clock, so no deferral review either.
    refused = complaint(representation_type="Refused", refusal_reason="Out of Time", deferred_on=D(2024, 3, 5),
                        deferral_review_date=D(2024, 4, 2))
    row = assess_row(refused, SETTINGS, D(2024, 3, 11))
    assert {k: row[k] for k in ("stage", "milestone", "rag", "due_date", "next_action")} == {
        "stage": "Refused", "milestone": "", "rag": "Closed", "due_date": None, "next_action": "None: refused (Out of Time)",
    }


def test_a_two_stage_statutory_rulebook_keeps_the_shortcut_to_stage_2():
    from xl_complaints.core.status import assess_row

    # A Rule row cutting the statutory procedure to two stages: stage 2 is still there to go to.
    two = Settings(overrides={"england-statutory": {"final_stage": 2}})
    # Received Mon 4 Mar 2024: the extended maximum, 20 working days, is Wed 3 Apr (5-8, 11-15, 18-22, 25-28 Mar,
    # 2-3 Apr: Good Friday 29 Mar and Easter Monday 1 Apr are bank holidays).
    on_the_day = assess_row(complaint(**ACKED), two, D(2024, 4, 3))
    assert on_the_day["can_escalate"] == "No"
    day_after = assess_row(complaint(**ACKED), two, D(2024, 4, 4))
    assert day_after["can_escalate"] == "To stage 2 (stage 1 not answered in time)"


def test_a_hold_given_without_its_end_stays_open_whatever_the_reference():
    from xl_complaints.core.status import assess_row

    # A council numbering its complaints: 45365 is also a number in Excel's range of dates (Thu 14 Mar 2024), but
    # is never put into the hold's empty On hold to. Open since Tue 12 Mar, as of Fri 15 Mar: Wed 13, Thu 14 and
    # Fri 15 on hold, so the stage 1 response (due Mon 18 Mar) moves 3 working days: Thu 21 Mar.
    numbered = complaint("45365", **ACKED)
    row = assess_row(numbered, SETTINGS, D(2024, 3, 15), holds=[{"Hold reason": "Other", "On hold from": D(2024, 3, 12)}])
    assert (row["rag"], row["due_date"]) == ("On hold", D(2024, 3, 21))
    assert row["next_action"] == "On hold: review the hold; send stage 1 response by Thu 21 Mar 2024"


def test_the_calculated_text_columns_stay_plain_objects():
    from xl_complaints.core.status import assess

    # pandas would make them its own string kind, which on a million rows costs more than the assessment itself.
    got = assess(table(complaint(s1_acknowledged=D(2024, 3, 5))), SETTINGS, D(2024, 3, 6))
    text = ("stage", "milestone", "rag", "can_escalate", "next_action", "eligibility", "problems")
    assert {k: str(got[k].dtype) for k in text} == dict.fromkeys(text, "object")
    assert got["rag"].iloc[0] == "Green" and isinstance(got["next_action"].iloc[0], str)
