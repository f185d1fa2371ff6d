"""The results stored with the register's formulas: what a reader that never recalculates shows.

`workbook.formula_results` works out in Python what Excel would compute for every
formula that depends on the calculated block or the As-of date. Checked three ways:
against LibreOffice recalculating the same formulas itself (including a stale,
re-ordered block, where the Reference look-up takes over from the row position),
against python-calamine reading the stored values, and against LibreOffice told
never to recalculate (what Protected View and the preview pane do).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles.numbers import is_date_format
import pytest
from python_calamine import CalamineWorkbook

from test_workbook import AS_OF, D, expected_status, libreoffice_sheets, sample_records
import openpyxl_edit
from xl_complaints.core import schema
from xl_complaints.excel import workbook
from xl_complaints.files import writeback
from xl_complaints.core.dates import from_excel_serial
from xl_complaints.core.settings import Settings

SETTINGS = Settings(closure_days=(D(2024, 12, 27),))
NOTICE = f"{workbook._letter(workbook.LETTER_CHOICE_CELL[1] + 1)}{workbook.LETTER_CHOICE_CELL[0] + 1}"  # the notice line, right of the letter dropdown


@pytest.fixture(scope="module")
def records():
    # A blank last row and a Reference with MATCH's wildcard: the awkward cases of the look-up.
    return sample_records(120, seed=11) + [{"Reference": "CSC-1*", "Date received": D(2024, 6, 10), "Representation type": "Complaint", "Procedure": "Statutory"}, {}]


@pytest.fixture(scope="module")
def built(tmp_path_factory, records) -> Path:
    path = tmp_path_factory.mktemp("stored") / "Complaints_Register.xlsm"
    return workbook.build(path, records, settings=SETTINGS, as_of=AS_OF)


def sheet_inputs(path: Path) -> tuple[list, list[list], dict[str, set[str]]]:
    """The Register's Reference cells, the Calculated block and the date-formatted cells, as the file holds them."""
    book = openpyxl.load_workbook(path, keep_vba=True)
    register = book[workbook.REGISTER]
    table = register.tables[workbook.TABLE]
    last = int(table.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    ref_col = [c.header for c in workbook.REGISTER_COLUMNS].index("Reference") + 1
    references = [register.cell(r, ref_col).value for r in range(workbook.FIRST_ROW, last + 1)]
    calc = book[workbook.CALCULATED]
    block = []
    for row in calc.iter_rows(min_row=workbook.FIRST_ROW, max_col=len(workbook.CALC_HEADERS)):
        values = ["" if c.value == workbook.EMPTY_TEXT else c.value for c in row]
        if all(v is None for v in values):
            break
        block.append([v.date() if isinstance(v, dt.datetime) else v for v in values])
    dates = {name: {c.coordinate for row in book[name].iter_rows() for c in row if is_date_format(c.number_format)} for name in (workbook.REGISTER, workbook.DASHBOARD)}
    return references, block, dates


def lo_text(value, is_date: bool) -> str:
    """A result as LibreOffice's CSV export shows it (US date order: the test profile's locale)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and is_date:
        value = from_excel_serial(value)
    if isinstance(value, dt.date):
        return f"{value:%m/%d/%Y}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def cell_at(rows: list[list], ref: str):
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    letters, row = coordinate_from_string(ref)
    line = rows[row - 1] if row - 1 < len(rows) else []
    col = column_index_from_string(letters) - 1
    return line[col] if col < len(line) else ""


def differences(expected: dict[str, dict[str, object]], shown: dict[str, list[list[str]]], dates) -> list[str]:
    found = []
    for sheet, cells in expected.items():
        for ref, value in cells.items():
            want, got = lo_text(value, ref in dates[sheet]), cell_at(shown[sheet], ref)
            if want != got:
                found.append(f"{sheet}!{ref}: expected {want!r}, LibreOffice shows {got!r}")
    return found


def test_every_formula_that_depends_on_the_block_or_the_date_has_a_result(built, records):
    references, block, _ = sheet_inputs(built)
    results = workbook.formula_results(references, block, AS_OF)
    book = openpyxl.load_workbook(built, keep_vba=True)
    for name in (workbook.REGISTER, workbook.DASHBOARD):
        formulas = {c.coordinate for row in book[name].iter_rows() for c in row if c.data_type == "f"}
        assert formulas and formulas == set(results[name]), name
    assert len(references) == len(records)


def test_results_by_position_are_the_same_cells_and_values(built):
    """refresh asks for (row, column) keys: the same cells, the same values, as the A1 form."""
    from xl_complaints.files.package import cell_position

    references, block, _ = sheet_inputs(built)
    by_ref = workbook.formula_results(references, block, AS_OF)
    by_position = workbook.formula_results(references, block, AS_OF, by_position=True)
    assert set(by_position) == set(by_ref)
    for sheet, cells in by_ref.items():
        expected = {cell_position(ref): value for ref, value in cells.items()}
        assert by_position[sheet] == expected, sheet
        assert [type(v) for v in by_position[sheet].values()] == [type(expected[k]) for k in by_position[sheet]]


@pytest.mark.libreoffice
def test_results_are_what_libreoffice_computes_from_the_same_formulas(built, tmp_path):
    references, block, dates = sheet_inputs(built)
    results = workbook.formula_results(references, block, AS_OF)
    shown = libreoffice_sheets(built, tmp_path)
    assert differences(results, shown, dates) == []
    dashboard = results[workbook.DASHBOARD]
    assert dashboard["B2"] == AS_OF and dashboard["G13"] > 20  # counts, not zeros


@pytest.mark.libreoffice
def test_a_stale_reordered_block_is_looked_up_by_reference_as_excel_does(built, tmp_path):
    """After a sort, or with rows missing from the block, each row finds its values by Reference (MATCH)."""
    path = tmp_path / "stale.xlsm"
    path.write_bytes(built.read_bytes())
    references, block, dates = sheet_inputs(path)
    stale = list(reversed(block[:-6]))  # re-ordered, and the last rows (the blank one too) beyond its end
    moved = stale[20][0]
    stale[20] = [moved.lower()] + stale[20][1:]  # a key in another case: MATCH ignores case

    def write(wb):
        calc = wb[workbook.CALCULATED]
        for r, row in enumerate(calc.iter_rows(min_row=workbook.FIRST_ROW, max_row=workbook.FIRST_ROW + len(block), max_col=len(workbook.CALC_HEADERS))):
            for c, cell in enumerate(row):
                value = stale[r][c] if r < len(stale) else None
                cell.value = workbook.EMPTY_TEXT if value == "" else value
                if isinstance(value, str) and value.startswith("=") and value != "":
                    cell.data_type = "s"  # text, as typed: not a formula
                if isinstance(value, dt.date):
                    cell.number_format = workbook.DATE_FORMAT

    openpyxl_edit.edit(path, write)
    results = workbook.formula_results(references, stale, AS_OF)
    register = results[workbook.REGISTER]
    stage = workbook._letter([c.header for c in workbook.REGISTER_COLUMNS].index("Stage"))
    last = workbook.FIRST_ROW + len(references) - 1
    assert register[f"{stage}{last}"] == 0  # a blank Reference below the block: INDEX of an empty cell
    assert register[f"{stage}{workbook.FIRST_ROW + references.index(moved)}"] == stale[20][1] != ""
    wildcard = workbook.FIRST_ROW + references.index("CSC-1*")
    assert register[f"{stage}{wildcard}"] == register[f"{stage}{workbook.FIRST_ROW + references.index('CSC-1')}"] != ""
    found = differences(results, libreoffice_sheets(path, tmp_path / "lo"), dates)
    assert found == [], "\n".join(found)


def test_stored_values_read_without_recalculating_are_the_results(built):
    """python-calamine reads only what is stored: it must see the results, not blanks or zeros."""
    references, block, _ = sheet_inputs(built)
    results = workbook.formula_results(references, block, AS_OF)
    book = CalamineWorkbook.from_path(str(built))
    for sheet, cells in results.items():
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        for ref, want in cells.items():
            got = cell_at(rows, ref)
            if isinstance(got, dt.datetime):
                got = got.date()
            if isinstance(want, dt.date) or isinstance(got, dt.date):
                assert got == want, (sheet, ref)
            elif isinstance(want, (int, float)):
                assert isinstance(got, (int, float)) and float(got) == float(want), (sheet, ref, got, want)
            else:
                assert got == want, (sheet, ref)


@pytest.mark.libreoffice
def test_a_reader_that_never_recalculates_sees_the_date_and_the_counts(built, records, tmp_path):
    """Protected View, the preview pane and LibreOffice's default show stored results: never 30/12/1899 or zeros."""
    references, block, dates = sheet_inputs(built)
    results = workbook.formula_results(references, block, AS_OF)
    shown = libreoffice_sheets(built, tmp_path, recalculate=None)
    assert differences(results, shown, dates) == []
    dashboard = shown[workbook.DASHBOARD]
    assert dashboard[1][1] == f"{AS_OF:%m/%d/%Y}"
    expected = expected_status(records, settings=SETTINGS)
    open_rows = expected[expected["rag"].isin(workbook.DASHBOARD_RAGS)]
    total_row = workbook.dashboard_positions()["total"]
    assert int(dashboard[total_row][len(workbook.DASHBOARD_STAGES) + 2]) == len(open_rows) > 20


def test_an_empty_register_stores_empty_results_not_zeros(tmp_path):
    path = workbook.build(tmp_path / "empty.xlsm", as_of=AS_OF)
    references, block, _ = sheet_inputs(path)
    assert references == [None] and block == [[""] * len(workbook.CALC_HEADERS)]
    results = workbook.formula_results(references, block, AS_OF)
    assert all(v == "" for ref, v in results[workbook.REGISTER].items() if ref.endswith(str(workbook.FIRST_ROW)))
    counts = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(workbook.DASHBOARD).to_python()
    assert counts[1][1] == AS_OF


def test_the_notice_line_says_why_when_python_filled_the_block_with_a_message():
    text = "File not found: xlwings64-0.37.8.dll"
    block = [[text] * len(workbook.CALC_HEADERS)] * 3
    notice = workbook.formula_results(["CSC-1", "CSC-2", "CSC-3"], block, AS_OF)[workbook.REGISTER]
    assert notice[NOTICE] == f"The grey columns could not be worked out: {text}"
    fine = workbook.formula_results(["CSC-1"], [["CSC-1", "Stage 1"] + [""] * 9], AS_OF)[workbook.REGISTER]
    assert fine[NOTICE] == workbook.HINT


def test_excel_comparison_rules():
    same = workbook._same
    assert same("csc-1", "CSC-1") and not same("12345", 12345.0) and same(None, "") and same(None, 0)
    assert not same("", 0) and same(dt.date(2024, 6, 14), 45457.0)
    keys = workbook._Keys(["CSC-1", 12345.0, "csc-2", "CSC-10"])
    assert keys.match("CSC-2") == 2 and keys.match(12345) == 1 and keys.match("12345") is None
    assert keys.match("CSC-1?") == 3 and keys.match("CSC-1~?") is None and keys.match(None) is None


def test_results_follow_the_header_row_when_columns_were_moved():
    """A register whose columns an officer moved (or one made before this layout): cells found by header."""
    old_layout = [c.header for c in schema.COLUMNS]  # inputs first, grey columns from BG
    block = [["CSC-1", "Stage 1", "Acknowledgement", D(2024, 6, 17), 1.0, "Amber", "No", "", "Send it", "Statutory", ""]]
    register = workbook.formula_results(["CSC-1"], block, AS_OF, headers=old_layout)[workbook.REGISTER]
    stage = workbook._letter(old_layout.index("Stage"))
    assert stage == workbook._letter(len(schema.INPUT_COLUMNS)) and register[f"{stage}{workbook.FIRST_ROW}"] == "Stage 1"  # issue 11 added inputs
    assert register[f"{workbook._letter(old_layout.index('Due date'))}{workbook.FIRST_ROW}"] == D(2024, 6, 17)
    assert workbook.stored_value(D(2024, 6, 17)) == 45460 and workbook.stored_value(1.0) == 1
