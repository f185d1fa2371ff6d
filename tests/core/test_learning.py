"""Actions, remedies and Ombudsman cases: columns, validation (sheet, row, column, never the value) and RAG."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xl_complaints.core import learning
from xl_complaints.core.learning import ACTIONS, OMBUDSMAN, REMEDIES
from xl_complaints.core.register import from_records
from xl_complaints.core.settings import Settings

D = dt.date
SECRET = "Jayden Okonkwo-Smith was shouted at by Ms Petrova"  # free text that must never be repeated


@pytest.fixture
def register():
    return from_records([
        {"Reference": "CSC-2026-0001", "Date received": D(2026, 4, 7), "Representation type": "Complaint"},
        {"Reference": "CSC-2026-0002", "Date received": D(2026, 5, 11), "Representation type": "Complaint"},
    ]).table


def sheets(**by_sheet):
    return {sheet: (*learning.from_records(sheet, records), 1) for sheet, records in by_sheet.items()}


def check(register, sheet, records):
    return learning.validate(sheets(**{sheet: records}), register)


def problems(found):
    return [(p.sheet, p.row, p.column, p.severity) for p in found.problems]


def test_columns_mark_free_text_as_never_echoed():
    for columns in learning.COLUMNS.values():
        for col in columns:
            if col.kind.value == "text":
                assert not col.echoable
    free = {c.header for c in learning.ACTION_COLUMNS if c.sensitive}
    assert free == {"Action", "Owning manager", "Evidence"}


def test_clean_rows_are_typed(register):
    found = learning.validate(sheets(**{
        ACTIONS: [{"Reference": "csc-2026-0001", "Stage": "stage 2", "Action": SECRET, "Owning service": "Child in Need",
                   "Agreed date": "12/05/2026", "Due date": D(2026, 6, 30), "Completed date": None}],
        REMEDIES: [{"Reference": "CSC-2026-0002", "Remedy": "Time and trouble payment", "Amount": "£1,250.00",
                    "Date offered": D(2026, 6, 1), "Date done": D(2026, 6, 10)}],
        OMBUDSMAN: [{"Reference": "CSC-2026-0001", "Ombudsman reference": "26-001-234", "Date received": D(2026, 9, 1),
                     "Response due": D(2026, 9, 29), "Decision": "fault causing injustice", "Decision date": D(2026, 11, 2),
                     "Remedy agreed": "y", "Comply by": D(2026, 12, 2)}],
    }), register)
    assert found.problems == []
    action, remedy, case = found.actions[0], found.remedies[0], found.ombudsman[0]
    assert action["stage"] == "Stage 2" and action["agreed_date"] == D(2026, 5, 12) and action.row == 2
    assert remedy["amount"] == Decimal("1250.00")
    assert case["decision"] == "Fault causing injustice" and case["remedy_agreed"] == "Yes"


def test_reference_that_does_not_exist_is_named_by_sheet_row_and_column(register):
    found = check(register, ACTIONS, [
        {"Reference": "CSC-2026-0001", "Due date": D(2026, 6, 1)},
        {"Reference": "CSC-2026-9999", "Due date": D(2026, 6, 1)},
    ])
    assert problems(found) == [(ACTIONS, 3, "Reference", "error")]
    assert str(found.problems[0]) == (
        "Actions row 3, column 'Reference': no complaint on the Register has this reference (the cell holds 'CSC-2026-9999')"
    )


def test_dates_out_of_order(register):
    found = check(register, ACTIONS, [
        {"Reference": "CSC-2026-0001", "Agreed date": D(2026, 6, 10), "Due date": D(2026, 6, 1), "Completed date": D(2026, 6, 9)},
        {"Reference": "CSC-2026-0001", "Agreed date": D(2026, 6, 10), "Due date": D(2026, 6, 10)},  # the same day is fine
        {"Reference": "CSC-2026-0002", "Agreed date": D(2026, 5, 8), "Due date": D(2026, 6, 10)},  # before receipt (11 May)
    ])
    assert problems(found) == [
        (ACTIONS, 2, "Completed date", "error"),
        (ACTIONS, 2, "Due date", "error"),
        (ACTIONS, 4, "Agreed date", "error"),
    ]
    assert "before the complaint was received" in found.problems[2].message
    found = check(register, OMBUDSMAN, [{"Reference": "CSC-2026-0001", "Ombudsman reference": "26-001-234", "Date received": D(2026, 9, 1),
                                        "Response due": D(2026, 8, 31), "Decision date": D(2026, 10, 1), "Comply by": D(2026, 9, 30),
                                        "Date complied": D(2026, 10, 1)}])
    assert problems(found) == [(OMBUDSMAN, 2, "Comply by", "error"), (OMBUDSMAN, 2, "Response due", "error")]
    found = check(register, REMEDIES, [{"Reference": "CSC-2026-0001", "Remedy": "Apology", "Date offered": D(2026, 6, 2), "Date done": D(2026, 6, 1)}])
    assert problems(found) == [(REMEDIES, 2, "Date done", "error")]


@pytest.mark.parametrize("amount", ["£12.345", "two hundred", "-50", -50.0, "12,34", "1.5e3", 12.345, "£2,000,000", True])
def test_amounts_that_are_not_money(register, amount):
    found = check(register, REMEDIES, [{"Reference": "CSC-2026-0001", "Remedy": "Financial remedy", "Amount": amount}])
    assert problems(found) == [(REMEDIES, 2, "Amount", "error")]
    assert "not an amount of money" in found.problems[0].message and found.problems[0].value == ""


@pytest.mark.parametrize("amount, pounds", [(250, "250.00"), (250.5, "250.50"), ("£1,250", "1250.00"), (" 75.00 ", "75.00"), ("0", "0.00")])
def test_amounts_that_are_money(register, amount, pounds):
    found = check(register, REMEDIES, [{"Reference": "CSC-2026-0001", "Remedy": "Financial remedy", "Amount": amount}])
    assert found.problems == [] and found.remedies[0]["amount"] == Decimal(pounds)


def test_payment_without_amount_is_a_warning(register):
    found = check(register, REMEDIES, [{"Reference": "CSC-2026-0001", "Remedy": "Time and trouble payment"}])
    assert problems(found) == [(REMEDIES, 2, "Amount", "warning")]


def test_values_are_never_echoed(register):
    """Free text typed into a date, category or money column is never repeated, nor is free text anywhere."""
    found = learning.validate(sheets(**{
        ACTIONS: [{"Reference": "CSC-2026-0001", "Stage": SECRET, "Action": SECRET, "Owning manager": SECRET,
                   "Due date": SECRET, "Completed date": SECRET, "Evidence": SECRET}],
        REMEDIES: [{"Reference": "CSC-2026-0001", "Remedy": SECRET, "Amount": SECRET, "Date done": SECRET}],
        OMBUDSMAN: [{"Reference": SECRET, "Ombudsman reference": SECRET, "Date received": SECRET, "Decision": SECRET}],
    }), register)
    assert len(found.problems) >= 8
    for p in found.problems:
        text = str(p)
        assert "Jayden" not in text and "Petrova" not in text and "shouted" not in text


def test_required_columns_and_cells(register):
    found = check(register, OMBUDSMAN, [{"Reference": "CSC-2026-0001"}])
    assert problems(found) == [(OMBUDSMAN, 2, "Date received", "error"), (OMBUDSMAN, 2, "Ombudsman reference", "error")]
    found = learning.validate({ACTIONS: (["Reference", "Action"], [["CSC-2026-0001", "x"]], 1)}, register)
    assert problems(found) == [(ACTIONS, 1, "Due date", "error")] and found.actions == []


def test_repeated_ombudsman_reference(register):
    case = {"Reference": "CSC-2026-0001", "Ombudsman reference": "26-001-234", "Date received": D(2026, 9, 1)}
    found = check(register, OMBUDSMAN, [case, dict(case, Reference="CSC-2026-0002")])
    assert problems(found) == [(OMBUDSMAN, 3, "Ombudsman reference", "error")]
    assert "row 2" in found.problems[0].message


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers(register):
    headers, rows = learning.from_records(ACTIONS, [{"Reference": "CSC-2026-0001", "Due date": D(2026, 6, 1)}])
    rows = [[None] * len(headers), ["  "] + [None] * (len(headers) - 1)] + rows
    found = learning.validate({ACTIONS: (headers, rows, 3)}, register)
    assert [a.row for a in found.actions] == [6]


def test_a_register_without_the_sheets_has_no_learning(register):
    found = learning.validate({}, register)
    assert (found.actions, found.remedies, found.ombudsman, found.problems, found.present) == ([], [], [], [], ())


# --- RAG: as the register's milestones, on the one working-day calendar ---------------------------


AS_OF = D(2026, 12, 21)  # Monday; 25 and 28 December are bank holidays


@pytest.mark.parametrize("due, done, rag, left", [
    (D(2026, 12, 18), None, "Red", -1),  # Friday before: one working day overdue
    (D(2026, 12, 21), None, "Amber", 0),
    (D(2026, 12, 24), None, "Amber", 3),  # 3 working days: still Amber (amber_days = 3)
    (D(2026, 12, 29), None, "Green", 4),  # Christmas Day and Boxing Day (observed 28th) do not count
    (D(2026, 12, 29), D(2026, 12, 29), "Met", None),
    (D(2026, 12, 29), D(2026, 12, 30), "Late", None),
])
def test_rag_counts_working_days(due, done, rag, left):
    assert learning.rag_for(due, done, AS_OF, Settings()) == (rag, left)


def test_rag_follows_the_amber_setting():
    assert learning.rag_for(D(2026, 12, 24), None, AS_OF, Settings(amber_days=2))[0] == "Green"


def test_deadlines_of_actions_and_ombudsman_cases(register):
    found = learning.validate(sheets(**{
        ACTIONS: [{"Reference": "CSC-2026-0001", "Stage": "Stage 2", "Due date": D(2026, 12, 18)},
                  {"Reference": "CSC-2026-0001", "Due date": D(2026, 12, 31), "Completed date": D(2026, 12, 1)},
                  {"Reference": "CSC-2026-0002", "Action": SECRET}],  # no due date: no deadline
        OMBUDSMAN: [{"Reference": "CSC-2026-0002", "Ombudsman reference": "26-001-234", "Date received": D(2026, 11, 2),
                     "Response due": D(2026, 11, 30), "Response sent": D(2026, 11, 27), "Comply by": D(2027, 1, 8)}],
    }), register)
    got = [(d.reference, d.step, d.due, d.rag) for d in learning.deadlines(found, Settings(), AS_OF)]
    assert got == [
        ("CSC-2026-0001", "Stage 2 action due", D(2026, 12, 18), "Red"),
        ("CSC-2026-0001", "Action due", D(2026, 12, 31), "Met"),
        ("CSC-2026-0002", "Ombudsman response due", D(2026, 11, 30), "Met"),
        ("CSC-2026-0002", "Ombudsman remedy due", D(2027, 1, 8), "Green"),
    ]
    keys = [d.key for d in learning.deadlines(found, Settings(), AS_OF)]
    assert len(set(keys)) == len(keys)


# --- service requests ------------------------------------------------------------------------------

from xl_complaints.core.learning import SERVICE_REQUESTS  # noqa: E402


def test_service_requests_are_checked_by_sheet_row_and_column(register):
    found = check(register, SERVICE_REQUESTS, [
        {"Request reference": "SR-2026-0001", "Date received": D(2026, 4, 1), "Request type": "First request for a service",
         "Request": SECRET, "Date resolved": D(2026, 4, 3), "Became a complaint": "CSC-2026-0001"},
        {"Request reference": "sr-2026-0001", "Date received": D(2026, 5, 1), "Request type": "Complaint really",
         "Date resolved": D(2026, 4, 30), "Became a complaint": "CSC-2099-0001"},
        {"Request reference": "SR-2026-0003", "Date received": D(2026, 5, 20), "Request type": "Other request",
         "Became a complaint": "CSC-2026-0002", "Service": "Child in Need", "How received": "Telephone"},
        {"Date received": "yesterday", "Request type": "Other request"},
    ])
    assert problems(found) == [
        (SERVICE_REQUESTS, 3, "Became a complaint", "error"),  # no such complaint
        (SERVICE_REQUESTS, 3, "Date resolved", "error"),  # before it was received
        (SERVICE_REQUESTS, 3, "Request reference", "error"),  # used again (any case)
        (SERVICE_REQUESTS, 3, "Request type", "error"),  # not on the list
        (SERVICE_REQUESTS, 4, "Became a complaint", "error"),  # that complaint came before the request
        (SERVICE_REQUESTS, 5, "Date received", "error"),
        (SERVICE_REQUESTS, 5, "Request reference", "error"),  # missing
    ]
    text = " ".join(str(p) for p in found.problems)
    assert SECRET not in text and "Complaint really" not in text and "yesterday" not in text
    assert "used again on row 2" in text and "CSC-2099-0001" in text
    assert [r.row for r in found.service_requests] == [2, 3, 4, 5]


def test_the_codes_refusal_reason_is_on_the_list_and_shown_in_the_statutory_table_only_when_used():
    from xl_complaints.core import schema

    assert "Considered before under the complaints policy" in schema.REFUSAL_REASONS
    assert "Considered before under the complaints policy" in schema.ADDED_REFUSAL_REASONS
