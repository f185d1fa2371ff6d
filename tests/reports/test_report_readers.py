"""The annual reports' readers take their quick ways and give the slow ways' answers, on a register with awkward cells.

`read_for_statistics` and `read_for_code_report` type each column's distinct values once
(`register_columns.validate_by_value`), read the learning sheets in the same opening of the file
as the Register (`learning_sheets.read_with_register`) and judge each distinct learning cell once
(`learning._typed_once`). Here each is run again with the quick way swapped for the slow one it
stands for (`register.validate` on every cell, the sheets read on their own, every learning cell
judged), and the answers compared whole: tables, problems, items.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from xl_complaints.core import learning, register, register_columns, schema
from xl_complaints.excel import workbook
from xl_complaints.files import learning_sheets, reader
from xl_complaints.reports import code_report, statistics_reader
from xl_complaints.sample import complaints as sample, learning as sample_learning

END = dt.date(2027, 5, 3)
YEAR = 2026
SECRET = "Jane Doe, 12 Acacia Avenue"  # free text typed where a date or a category belongs: never in a message


@pytest.fixture(scope="module")
def awkward(tmp_path_factory) -> Path:
    """A sample register, then cells as officers leave them: error cells, text in date columns, blank rows, numbers in lists."""
    records = sample.generate(400, years=2, seed=5, end=END)
    items = sample_learning.generate(records, seed=5, end=END)
    path = workbook.build(tmp_path_factory.mktemp("awkward") / "Complaints_Register.xlsm", records, as_of=END, learning=items)
    book = openpyxl.load_workbook(path, keep_vba=True)
    sheet = book["Register"]
    at = {c.value: c.column for c in sheet[workbook.HEADER_ROW] if c.value}
    first = workbook.HEADER_ROW + 1
    corporate = [r for r in range(first, first + 400) if sheet.cell(r, at["Procedure"]).value == "Corporate"]
    for k, r in enumerate(corporate[:60]):
        cell = lambda header: sheet.cell(r, at[header])  # noqa: E731
        if k % 6 == 0:
            cell("S1 response sent").value = "#N/A"  # an error cell: calamine reads it as empty, the reader finds it
        elif k % 6 == 1:
            cell("S1 acknowledged").value = SECRET
        elif k % 6 == 2:
            cell("Service").value = SECRET
        elif k % 6 == 3:
            cell("S1 extended").value = 1  # a number in a Yes/No column
            cell("Representation type").value = "  complaint "
        elif k % 6 == 4:
            cell("Date received").value = "#REF!"
        else:
            cell("Reference").value = str(sheet.cell(corporate[0], at["Reference"]).value).lower()  # used twice, in other case
    for r in (first + 5, first + 6):  # blank rows in the middle of the register
        for c in at.values():
            sheet.cell(r, c).value = None
    sheet.cell(first + 7, at["Reference"]).value = None  # a row with no reference but the rest filled
    sheet.cell(first + 8, at["Reference"]).value = sheet.cell(first + 8, at["Date received"]).value = None  # nor a date received
    actions = book[learning.ACTIONS]
    head = next(r for r in range(1, 10) if actions.cell(r, 1).value == "Reference")
    heads = {c.value: c.column for c in actions[head] if c.value}
    for k, r in enumerate(range(head + 1, head + 40)):
        if k % 4 == 0:
            actions.cell(r, heads["Due date"]).value = SECRET
        elif k % 4 == 1:
            actions.cell(r, heads["Owning service"]).value = 7
        elif k % 4 == 2:
            actions.cell(r, heads["Reference"]).value = "NO-SUCH-1"
    remedies = book[learning.REMEDIES]
    heads = {c.value: c.column for c in remedies[head] if c.value}
    for r in range(head + 1, head + 20, 3):
        remedies.cell(r, heads["Amount"]).value = "a lot"
    book.save(path)
    return path


def slow_typing(monkeypatch):
    """Every cell typed by `register.validate`, every learning cell judged on its own, each sheet read in its own opening."""
    monkeypatch.setattr(statistics_reader, "validate_by_value", register.validate)
    monkeypatch.setattr(register_columns, "validate_by_value", register.validate)
    monkeypatch.setattr(learning, "_typed_once", lambda col, value, row, sheet, problems, memo: learning._typed(col, value, row, sheet, problems))

    def apart(path, only=learning.SHEETS, settings_sheet=True, self_assessment=False):
        wanted = only + ((learning_sheets.SELF_ASSESSMENT,) if self_assessment else ())
        raw = learning_sheets.read_cells_of(path, wanted)
        assessment = raw.pop(learning_sheets.SELF_ASSESSMENT, None)
        return reader.read_cells(path, settings_sheet=settings_sheet), learning.sheets_from_cells(raw), assessment

    monkeypatch.setattr(learning_sheets, "read_with_register", apart)


def items_of(found: learning.Learning):
    return [(sheet, [(i.row, i.values) for i in found.items(sheet)]) for sheet in learning.SHEETS]


def test_the_statistics_reader_gives_what_typing_every_cell_gives(awkward, monkeypatch):
    quick = statistics_reader.read_for_statistics(awkward)
    assert {p.column for p in quick.problems} >= {"S1 response sent", "S1 acknowledged", "Service", "S1 extended", "Date received"}
    assert {p.column for p in quick.learning_problems} >= {"Due date", "Owning service", "Reference"}
    with monkeypatch.context() as m:
        slow_typing(m)
        slow = statistics_reader.read_for_statistics(awkward)
    pd.testing.assert_frame_equal(quick.table, slow.table)
    assert quick.problems == slow.problems
    pd.testing.assert_frame_equal(quick.actions, slow.actions)
    assert quick.learning_problems == slow.learning_problems
    assert (quick.settings_problems, quick.lists, quick.unreadable_rows) == (slow.settings_problems, slow.lists, slow.unreadable_rows)
    assert not [p for p in quick.problems + quick.learning_problems if "Acacia" in str(p)]


def test_the_code_report_reader_gives_what_typing_every_cell_gives(awkward, monkeypatch):
    quick = code_report.read_for_code_report(awkward, YEAR)
    columns = {p.column for p in quick.problems}
    assert columns >= {"S1 response sent", "S1 acknowledged", "Service", "Reference", "Date received", "Due date", "Amount"}
    with monkeypatch.context() as m:
        slow_typing(m)
        slow = code_report.read_for_code_report(awkward, YEAR)
    pd.testing.assert_frame_equal(quick.table, slow.table)
    assert quick.problems == slow.problems
    assert items_of(quick.learning) == items_of(slow.learning) and quick.learning.present == slow.learning.present
    assert (quick.self_assessment, quick.statutory_rows, quick.notes) == (slow.self_assessment, slow.statutory_rows, slow.notes)
    assert not [p for p in quick.problems if "Acacia" in str(p)]
    # and what it reads is what reading the whole register gives for those cells
    whole = reader.read_register(awkward).register
    year = quick.table.index[(quick.table["date_received"] >= "2026-04-01") & (quick.table["date_received"] <= "2027-03-31")]
    assert len(year) > 50
    keys = [k for k in code_report.READ_KEYS if k in whole.table.columns]
    pd.testing.assert_frame_equal(quick.table.loc[year, keys], whole.table.loc[year, keys], check_dtype=False)
    pd.testing.assert_frame_equal(quick.table[list(code_report.ROUTE_KEYS)], whole.table.loc[quick.table.index, list(code_report.ROUTE_KEYS)], check_dtype=False)
    theirs = set(whole.problems)
    assert [p for p in quick.problems if p.sheet == "Register" and p not in theirs] == []
    assert {p for p in theirs if p.row in set(year) and p.column in {c.header for c in map(schema.column, keys)}} <= set(quick.problems)


def test_the_learning_sheets_read_with_the_register_are_those_read_alone(awkward):
    cells, sheets, assessment = learning_sheets.read_with_register(awkward, self_assessment=True)
    alone = reader.read_cells(awkward)
    assert (cells.sheet, cells.header_row, cells.rows, cells.notes) == (alone.sheet, alone.header_row, alone.rows, alone.notes)
    assert sheets == learning_sheets.read_sheets(awkward)
    assert {learning.ACTIONS, learning.REMEDIES, learning.OMBUDSMAN} <= set(sheets)
    assert code_report.self_assessment_rows(assessment) == code_report.read_self_assessment(awkward) != []


def test_judging_each_distinct_learning_cell_once_gives_every_cells_answer(awkward, monkeypatch):
    table = reader.read_register(awkward).register.table
    quick = learning_sheets.read_learning(awkward, table)
    assert len(quick.problems) > 20
    monkeypatch.setattr(learning, "_typed_once", lambda col, value, row, sheet, problems, memo: learning._typed(col, value, row, sheet, problems))
    slow = learning_sheets.read_learning(awkward, table)
    assert items_of(quick) == items_of(slow)
    assert quick.problems == slow.problems


def test_a_service_request_that_became_a_complaint_of_any_procedure_finds_it_and_a_wrong_reference_is_named(tmp_path):
    """The Code report reads only the corporate rows, but a service request may have become a statutory
    complaint (or a corporate one from another year): each is on the Register, so none is a problem;
    a reference that is on no row is."""
    end = dt.date(2026, 11, 20)
    records = sample.generate(400, years=3, seed=2026, end=end)
    items = sample_learning.generate(records, seed=2026, end=end)
    path = workbook.build(tmp_path / "Complaints_Register.xlsm", records, as_of=end, learning=items)
    book = openpyxl.load_workbook(path, keep_vba=True)
    sheet = book[learning.SERVICE_REQUESTS]
    head = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "Request reference")
    heads = {c.value: c.column for c in sheet[head] if c.value}
    became = [r for r in range(head + 1, sheet.max_row + 1) if sheet.cell(r, heads["Became a complaint"]).value]
    procedure = {rec["Reference"]: rec.get("Procedure") for rec in records}
    assert {procedure.get(sheet.cell(r, heads["Became a complaint"]).value) for r in became} >= {"Statutory", "Corporate"}
    sheet.cell(became[0], heads["Became a complaint"]).value = "CSC-1999-0001"
    book.save(path)
    found = code_report.read_for_code_report(path, 2025)
    wrong = [p for p in found.problems if p.sheet == learning.SERVICE_REQUESTS and p.column == "Became a complaint"]
    assert [(p.row, p.message) for p in wrong] == [(became[0], "no complaint on the Register has this reference")]
