"""Writing to a register in use: never while Excel holds it, never partly, never without a backup."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.worksheet.formula import ArrayFormula

from xl_complaints import schema, workbook, writeback
from xl_complaints.settings import Settings

from test_workbook import AS_OF, EDGE_RECORDS, expected_status, libreoffice_sheets, sample_records, shown

NOON = dt.datetime(2024, 6, 14, 12, 30, 5)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    return workbook.build(tmp_path_factory.mktemp("orig") / "Complaints_Register.xlsm", sample_records(60), as_of=AS_OF)


@pytest.fixture
def register(original, tmp_path) -> Path:
    path = tmp_path / original.name
    path.write_bytes(original.read_bytes())
    return path


def refresh_edit(as_of=dt.date(2024, 7, 1), static=False, settings=None):
    return lambda wb: workbook.apply_refresh(wb, settings or Settings(), as_of, static=static)


def shape_ids(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [i for n in z.namelist() if n.endswith(".vml") for i in re.findall(r'<v:shape\b[^>]*\bid="([^"]+)"', z.read(n).decode())]


def test_vba_stays_byte_identical_and_buttons_and_notes_stay(register, original):
    result = writeback.write_register(register, refresh_edit(), when=NOON)
    assert writeback.vba_project(register) == writeback.vba_project(original) is not None
    assert sorted(writeback.buttons(register)) == sorted(writeback.buttons(original)) != []
    ids = shape_ids(register)
    assert len(ids) == len(set(ids)) == len(shape_ids(original))  # every button and every note, each its own id
    ws = openpyxl.load_workbook(register, keep_vba=True)[workbook.REGISTER]
    assert ws.cell(workbook.HEADER_ROW, workbook.REGISTER_COLUMNS.index(schema.column("reference")) + 1).comment.text.startswith(schema.column("reference").note)
    assert result.backup == register.parent / "Backups" / "Complaints_Register 2024-06-14 123005.xlsm"
    assert result.backup.read_bytes() == original.read_bytes()


def test_everything_the_builder_made_survives_a_write(register, original):
    writeback.write_register(register, refresh_edit())
    before = openpyxl.load_workbook(original, keep_vba=True)
    after = openpyxl.load_workbook(register, keep_vba=True)
    assert after.sheetnames == before.sheetnames
    assert set(after.defined_names) == set(before.defined_names)
    b, a = before[workbook.REGISTER], after[workbook.REGISTER]
    assert a.tables[workbook.TABLE].ref == b.tables[workbook.TABLE].ref
    assert [c.calculatedColumnFormula and c.calculatedColumnFormula.attr_text for c in a.tables[workbook.TABLE].tableColumns] == \
        [c.calculatedColumnFormula and c.calculatedColumnFormula.attr_text for c in b.tables[workbook.TABLE].tableColumns]
    assert sorted((str(d.sqref), d.formula1) for d in a.data_validations.dataValidation) == \
        sorted((str(d.sqref), d.formula1) for d in b.data_validations.dataValidation)
    assert [(str(c.sqref), len(c.rules)) for c in a.conditional_formatting] == [(str(c.sqref), len(c.rules)) for c in b.conditional_formatting]
    assert a.freeze_panes == b.freeze_panes
    assert after[workbook.CALCULATED].sheet_state == "hidden"
    with zipfile.ZipFile(register) as z:
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in z.read("[Content_Types].xml").decode()


def test_refuses_while_excel_holds_the_register(register):
    before = register.read_bytes()
    for lock in ("~$" + register.name, "~$" + register.name[2:]):
        (register.parent / lock).write_text("owner")
        with pytest.raises(writeback.RegisterInUse, match="open in Excel"):
            writeback.write_register(register, refresh_edit())
        (register.parent / lock).unlink()
    assert register.read_bytes() == before
    assert sorted(p.name for p in register.parent.iterdir()) == [register.name]  # no temporary file, no backup


def test_a_failed_edit_leaves_the_register_and_the_folder_as_they_were(register):
    before = register.read_bytes()

    def broken(wb):
        wb[workbook.REGISTER]["A4"] = "changed"
        raise ValueError("stop")

    with pytest.raises(ValueError):
        writeback.write_register(register, broken)
    assert register.read_bytes() == before
    assert sorted(p.name for p in register.parent.iterdir()) == [register.name]


def test_a_copy_that_lost_its_macros_is_never_swapped_in(register):
    before = register.read_bytes()

    def drop_vba(wb):
        wb.vba_archive = None

    with pytest.raises(writeback.WritebackError, match="macros"):
        writeback.write_register(register, drop_vba)
    assert register.read_bytes() == before
    assert sorted(p.name for p in register.parent.iterdir()) == [register.name]


def test_a_copy_that_lost_a_button_is_never_swapped_in(register, monkeypatch):
    real = writeback.buttons
    monkeypatch.setattr(writeback, "buttons", lambda path: real(path)[:-1] if ".writing-" in str(path) else real(path))
    with pytest.raises(writeback.WritebackError, match="buttons"):
        writeback.write_register(register, refresh_edit())


def test_backups_never_overwrite_each_other(register):
    first = writeback.backup(register, NOON)
    second = writeback.backup(register, NOON)
    assert first != second and first.exists() and second.exists()


def test_refresh_writes_date_holidays_and_values(register):
    new_day = dt.date(2024, 7, 1)
    settings = Settings(closure_days=(dt.date(2024, 12, 27),))
    result = writeback.write_register(register, refresh_edit(new_day, settings=settings))
    assert result.outcome["block"] == "values"
    wb = openpyxl.load_workbook(register, keep_vba=True)
    assert wb[workbook.REGISTER]["B2"].value.date() == new_day
    holidays = [(r[0].date(), r[1], r[2]) for r in wb[workbook.HOLIDAYS].iter_rows(min_row=2, max_col=3, values_only=True) if r[0]]
    assert holidays == workbook.holiday_rows(settings, new_day)
    headers, rows, first_row = workbook.read_register_cells(wb)
    expected = workbook.calculated_block(headers, rows, settings, new_day, first_row)
    calc = wb[workbook.CALCULATED]
    for i, want in enumerate(expected):
        got = [calc.cell(workbook.FIRST_ROW + i, j + 1).value for j in range(len(want))]
        got = ["" if v == workbook.EMPTY_TEXT else v.date() if isinstance(v, dt.datetime) else v for v in got]
        assert got == want, i
    assert calc.cell(workbook.FIRST_ROW + len(expected), 1).value is None


def test_text_in_the_block_that_looks_like_a_formula_stays_text(tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", EDGE_RECORDS, as_of=AS_OF)
    writeback.write_register(path, refresh_edit())
    calc = openpyxl.load_workbook(path, keep_vba=True)[workbook.CALCULATED]
    cell = next(calc.cell(r, 1) for r in range(workbook.FIRST_ROW, workbook.FIRST_ROW + len(EDGE_RECORDS)) if calc.cell(r, 1).value == "=CSC-2")
    assert cell.data_type == "s"


def test_live_formulas_are_kept_unless_values_are_asked_for(register):
    def make_live(wb):
        wb[workbook.CALCULATED]["A4"] = ArrayFormula(workbook.CALC_BLOCK, workbook.LIVE_FORMULA)

    writeback.write_register(register, make_live)
    result = writeback.write_register(register, refresh_edit())
    assert result.outcome["block"] == "kept live formula"
    cell = openpyxl.load_workbook(register, keep_vba=True)[workbook.CALCULATED]["A4"].value
    assert isinstance(cell, ArrayFormula) and cell.ref == workbook.CALC_BLOCK and cell.text == workbook.LIVE_FORMULA
    result = writeback.write_register(register, refresh_edit(static=True))
    assert result.outcome["block"] == "values"
    assert not isinstance(openpyxl.load_workbook(register, keep_vba=True)[workbook.CALCULATED]["A4"].value, ArrayFormula)


def test_an_officers_own_spilling_formula_still_spills_after_a_write(tmp_path):
    """openpyxl drops the dynamic-array flag; the write puts it back."""
    path = tmp_path / "Spill.xlsm"
    book = xlsxwriter.Workbook(str(path))
    book.add_vba_project(io.BytesIO(workbook.vba_project_bytes()), is_stream=True)
    book.set_vba_name("ThisWorkbook")
    sheet = book.add_worksheet("Register")
    sheet.set_vba_name("Sheet1")
    sheet.write_column("A1", [3, 1, 2])
    sheet.write_dynamic_array_formula("C1", "=SORT(A1:A3)")
    sheet.write_comment("A1", "a note")
    sheet.insert_button("E1", {"macro": "ImportPythonUDFs", "caption": "Enable live formulas"})
    book.close()
    writeback.write_register(path, lambda wb: wb["Register"].cell(5, 1, "edited"))
    with zipfile.ZipFile(path) as z:
        xml = z.read(writeback.sheet_parts(z)["Register"]).decode()
        assert re.search(r'<c r="C1"[^>]*\bcm="1"', xml)
        assert "xl/metadata.xml" in z.namelist()
        assert "/xl/metadata.xml" in z.read("[Content_Types].xml").decode()
        assert "sheetMetadata" in z.read("xl/_rels/workbook.xml.rels").decode()
    assert writeback.buttons(path) == [("Register", "Enable live formulas", "ImportPythonUDFs")]
    ids = shape_ids(path)
    assert len(ids) == len(set(ids)) == 2


@pytest.mark.libreoffice
def test_sorted_register_keeps_each_rows_values_after_a_refresh(register, tmp_path):
    """Rows in a new order (as a sort leaves them) still show their own values: picked by Reference."""
    def sort_backwards(wb):
        ws = wb[workbook.REGISTER]
        headers, rows, first_row = workbook.read_register_cells(wb)
        inputs = [i for i, c in enumerate(workbook.REGISTER_COLUMNS) if not c.calculated]
        for offset, row in enumerate(reversed(rows)):
            for col in inputs:
                workbook.set_value(ws.cell(first_row + offset, col + 1), row[col])

    writeback.write_register(register, refresh_edit(AS_OF))  # the block, in the old order
    writeback.write_register(register, sort_backwards)  # the register sorted; the block not refreshed
    sheets = libreoffice_sheets(register, tmp_path / "lo")
    records = list(reversed(sample_records(60)))
    expected = expected_status(records)
    grey = [workbook.REGISTER_COLUMNS.index(c) for c in schema.CALCULATED_COLUMNS]
    duplicates = {r for r in expected["reference"] if (expected["reference"] == r).sum() > 1}
    for sheet_row in expected.index:
        if expected.at[sheet_row, "reference"] in duplicates:
            continue  # two rows, one reference: the block cannot tell them apart until Refresh
        got = [sheets[workbook.REGISTER][sheet_row - 1][i] for i in grey]
        assert got == [shown(expected.at[sheet_row, key]) for key in schema.CALCULATED_KEYS], sheet_row
