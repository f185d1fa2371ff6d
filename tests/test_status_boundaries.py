"""The status engine at its edges: the cases mutation testing found no test for (docs/testing.md).

Every expected value is written out from the rules (the rulebook's periods, GOV.UK's bank
holidays, the seeds' wording), with the working days counted in a comment; nothing here
is computed with the project's own calendar.
"""

import datetime as dt

import numpy as np
import pandas as pd

from xl_complaints.register import from_records
from xl_complaints.schema import column
from xl_complaints.settings import Settings
from xl_complaints.status import days_on_hold, eligibility, route

D = dt.date
SETTINGS = Settings()
CODE_ALWAYS = Settings(corporate_rulebook_before_code="lgsco-code-2026")


def complaint(reference="T-1", **fields):
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
    from xl_complaints.register import validate_holds
    from xl_complaints.schema import HOLD_COLUMNS

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
    from xl_complaints.status import assess_row

    # Answered Tue 12 Mar 2024; 20 working days: 13-15, 18-22, 25-28 (Good Friday 29 Mar and
    # Easter Monday 1 Apr are bank holidays), 2-5, 8-11 Apr: the last day is Thu 11 Apr.
    last_day = assess_row(complaint(**CONCERN), SETTINGS, D(2024, 4, 11))
    assert (last_day["stage"], last_day["can_escalate"], last_day["escalate_by"]) == ("Case concern", "To a formal complaint", D(2024, 4, 11))
    day_after = assess_row(complaint(**CONCERN), SETTINGS, D(2024, 4, 12))
    assert (day_after["stage"], day_after["can_escalate"], day_after["rag"]) == ("Case concern", "No", "Closed")
    unanswered = assess_row(complaint(**{**CONCERN, "s1_response_sent": None}), SETTINGS, D(2024, 3, 13))
    assert (unanswered["stage"], unanswered["can_escalate"], unanswered["due_date"]) == ("Case concern", "No", D(2024, 3, 18))
