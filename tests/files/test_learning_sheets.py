"""Reading the learning sheets from a register file, alone or in the Register's own opening of the workbook."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xl_complaints.core import learning
from xl_complaints.core.schema import INPUT_COLUMNS
from xl_complaints.files import learning_sheets, reader

D = dt.date
HEADERS = [c.header for c in INPUT_COLUMNS]


def line(**cells) -> list:
    values = {"reference": "CSC-1", "date_received": D(2026, 4, 1), **cells}
    return [values.get(c.key) for c in INPUT_COLUMNS]


def register_file(path: Path, quote: str = '"') -> Path:
    """A register with an error cell in it, an Actions sheet under a title row, and a Self-assessment sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(HEADERS)
    sheet.append(line(service="#N/A"))
    sheet.append(line(reference="CSC-2", s1_response_sent="#DIV/0!"))
    actions = book.create_sheet("actions ")  # named as an officer might: case and spaces do not matter
    actions.append(["Actions"])
    actions.append(["Reference", "Action", "Due date", "Completed date"])
    actions.append(["CSC-1", "Write to the family", D(2026, 5, 1), None])
    actions.append(["NO-SUCH", "Train the team", "soon", None])
    assessment = book.create_sheet("Self-assessment")
    assessment.append(["Requirement", "Evidence", "Commentary"])
    assessment.append(["Complaints are acknowledged within 5 working days of receipt.", "The register", ""])
    book.save(path)
    if quote == "'":  # as some programs write attributes: t='e'
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        parts["xl/worksheets/sheet1.xml"] = re.sub(rb't="e"', b"t='e'", parts["xl/worksheets/sheet1.xml"])
        assert b"t='e'" in parts["xl/worksheets/sheet1.xml"]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


@pytest.mark.parametrize("quote", ['"', "'"])
def test_one_opening_gives_the_register_and_the_learning_sheets_as_each_alone(tmp_path, quote):
    path = register_file(tmp_path / "r.xlsx", quote)
    cells, sheets, assessment = learning_sheets.read_with_register(path, self_assessment=True)
    alone = reader.read_cells(path)
    assert (cells.sheet, cells.header_row, cells.rows, cells.notes) == (alone.sheet, alone.header_row, alone.rows, alone.notes)
    assert cells.body[0][HEADERS.index("Service")] == "#N/A"  # the error cell, found in the same reading
    assert cells.body[1][HEADERS.index("S1 response sent")] == "#DIV/0!"
    assert sheets == learning_sheets.read_sheets(path) == learning.sheets_from_cells(learning_sheets.read_cells_of(path, learning.SHEETS))
    headers, rows, header_row = sheets[learning.ACTIONS]
    assert (headers[:3], header_row, [r[0] for r in rows]) == (["Reference", "Action", "Due date"], 2, ["CSC-1", "NO-SUCH"])
    assert assessment[1][0].startswith("Complaints are acknowledged")
    assert learning_sheets.read_with_register(path)[2] is None  # not asked for


def test_the_reports_do_not_ask_whether_formulas_kept_their_results(tmp_path):
    path = register_file(tmp_path / "r.xlsx")
    assert reader.read_cells(path, results=False).results_stored is False
    assert learning_sheets.read_with_register(path)[0].results_stored is False


def test_read_learning_and_status_part_type_and_check_the_rows(tmp_path):
    path = register_file(tmp_path / "r.xlsx")
    table = reader.read_register(path).register.table
    found = learning_sheets.read_learning(path, table)
    assert [(a.row, a.reference, a["due_date"]) for a in found.actions] == [(3, "CSC-1", D(2026, 5, 1)), (4, "NO-SUCH", None)]
    assert {(p.row, p.column) for p in found.problems} == {(4, "Reference"), (4, "Due date")}
    assert not [p for p in found.problems if "Train" in str(p) or "soon" in str(p)]  # the free text is never repeated
    items, rows = learning_sheets.status_part(path, table, _settings(), D(2026, 4, 20))
    assert items.actions == found.actions
    assert [r[:4] for r in rows] == [[learning.ACTIONS, 3, "CSC-1", "Action due"]]


def _settings():
    from xl_complaints.core.settings import Settings

    return Settings()


def test_a_register_without_the_sheets_has_none(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Register"
    book.active.append(HEADERS)
    book.active.append(line())
    book.save(tmp_path / "bare.xlsx")
    cells, sheets, assessment = learning_sheets.read_with_register(tmp_path / "bare.xlsx", self_assessment=True)
    assert (sheets, assessment) == ({}, None)
    assert learning_sheets.read_learning(tmp_path / "bare.xlsx", reader.read_register(tmp_path / "bare.xlsx").register.table).present == ()


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_the_error_scan_reads_the_part_as_stored_and_inflates_it_in_one_go(tmp_path, method):
    """The scan's own reading of a sheet part (so that calamine and it run side by side) gives zipfile's bytes."""
    made = register_file(tmp_path / "made.xlsx")
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w", method) as z:
        for name in source.namelist():
            z.writestr(name, source.read(name))
    with zipfile.ZipFile(path) as z:
        part = reader._xlsx_parts(z)["Register"]
        expected = z.read(part)
    stored = reader._stored_part(path, part)
    assert stored is not None and stored[0] == method
    assert reader._inflate(*stored) == expected
    cells = learning_sheets.read_with_register(path)[0]
    assert cells.body[0][HEADERS.index("Service")] == "#N/A"
    assert cells.body[1][HEADERS.index("S1 response sent")] == "#DIV/0!"


def test_the_error_scan_falls_back_on_zipfile_for_a_part_it_cannot_read_so(tmp_path, monkeypatch):
    path = register_file(tmp_path / "r.xlsx")
    monkeypatch.setattr(reader, "_stored_part", lambda path, part: None)
    cells = reader.read_cells(path)
    assert cells.body[0][HEADERS.index("Service")] == "#N/A"
    assert cells.body[1][HEADERS.index("S1 response sent")] == "#DIV/0!"
