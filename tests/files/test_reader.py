"""Registers from the real world: each is read correctly or refused with a clear
message naming sheet, row and column.

Every workbook is built here, with openpyxl or XlsxWriter, and (for files saved
by LibreOffice or an older Excel) converted with LibreOffice headless; nothing
binary is committed. docs/reading-registers.md states the rules tested here.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from xl_complaints.files import reader

from xl_complaints.core import dates, register, status

from xl_complaints.sample import complaints as sample
from xl_complaints.files.reader import BLANK_RUN, read_register
from xl_complaints.core.register import RegisterError, validate
from xl_complaints.core.schema import CALCULATED_COLUMNS, INPUT_COLUMNS, RAG_VALUES, column
from xl_complaints.core.settings import Settings, settings_to_rows

D = dt.date
MARCH_12 = pd.Timestamp(2024, 3, 12)
HEADERS = [c.header for c in INPUT_COLUMNS]
INPUT_HEADERS = set(HEADERS)
LAST_ROW = 1_048_576


def line(**cells) -> list:
    """One register row in schema order, keyed by schema key; a reference and a receipt date unless given."""
    values = {"reference": "CSC-1", "date_received": D(2024, 3, 12), **cells}
    return [values.get(c.key) for c in INPUT_COLUMNS]


def save(path: Path, rows: list[list], title: str = "Register", dress=None) -> Path:
    """An .xlsx written by openpyxl: `rows` from row 1; `dress(book, sheet)` adds formatting and the like."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if dress is not None:
        dress(book, sheet)
    book.save(path)
    return path


def errors_of(found) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in found.register.problems if p.severity == "error"]


# --- LibreOffice ------------------------------------------------------------------------


def _soffice() -> str:
    exe = shutil.which("soffice")
    if exe is None:  # on CI, tests/conftest.py makes this skip a failure
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe


def convert(sources: list[Path], fmt: str, outdir: Path, profile: Path) -> list[Path]:
    """Save each workbook as `fmt` with LibreOffice, as an officer would with File > Save As."""
    outdir.mkdir(exist_ok=True)
    subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    made = [outdir / f"{s.stem}.{fmt}" for s in sources]
    missing = [m.name for m in made if not m.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return made


def _real_world(path: Path, errors: bool) -> Path:
    """A register as officers keep them: real, text and serial dates, a hidden column, calculated columns."""
    headers = HEADERS + ["Stage", "RAG", "Our notes"]
    rows = [
        ["Complaints register 2024-25 (title row)"],
        headers,
        line(reference="CSC-1", date_received=D(2024, 3, 12), service="Child in Need", s1_response_sent=dt.datetime(2024, 3, 26, 15, 30))
        + ["Stage 1", "Green", "chased"],
        line(reference="CSC-2", date_received="12/03/2024", s1_acknowledged="12.3.24", s1_outcome="upheld", team="North   team"),
        line(reference="CSC-3", date_received=45363, date_of_events="12 March 2024", advocate="y"),
        line(reference="CSC-4", date_received="03/25/2024"),
        line(reference=1005, date_received=dt.datetime(2024, 3, 12, 9, 0)),
    ]
    if errors:
        rows.append(line(reference="CSC-6", date_received="=NA()", service="=1/0"))

    def dress(book, sheet):
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, (dt.date, dt.datetime)):
                    cell.number_format = "dd/mm/yyyy"
        sheet.column_dimensions["D"].hidden = True  # Procedure
        settings_sheet = book.create_sheet("Settings")
        for label, value, _help in settings_to_rows(Settings(region="Scotland", amber_days=3)):
            settings_sheet.append([label, value])

    return save(path, rows, dress=dress)


def _expect_real_world(found, errors: bool) -> None:
    assert found.sheet == "Register" and found.header_row == 2
    table = found.register.table
    assert table.index.tolist() == [3, 4, 5, 6, 7] + ([8] if errors else [])
    assert table.loc[3, "date_received"] == MARCH_12
    assert table.loc[3, "s1_response_sent"] == pd.Timestamp(2024, 3, 26)  # the time is dropped
    assert table.loc[3, "service"] == "Child in Need"
    assert table.loc[4, "date_received"] == MARCH_12  # typed as text
    assert table.loc[4, "s1_acknowledged"] == MARCH_12  # 12.3.24
    assert table.loc[4, "s1_outcome"] == "Upheld"
    assert table.loc[4, "team"] == "North   team"
    assert table.loc[5, "date_received"] == MARCH_12  # a serial number formatted General
    assert table.loc[5, "date_of_events"] == MARCH_12
    assert table.loc[5, "advocate"] == "Yes"
    assert pd.isna(table.loc[6, "date_received"])
    assert table.loc[7, "reference"] == "1005" and table.loc[7, "date_received"] == MARCH_12
    found_errors = errors_of(found)
    assert (6, "Date received", "reads as month/day (American order); type it day first (day/month/year)") in found_errors
    if errors:
        assert (8, "Date received", "the cell shows the error #N/A: correct the formula or type the value in") in found_errors
        assert (8, "Service", "the cell shows the error #DIV/0!: correct the formula or type the value in") in found_errors
    assert {p.row for p in found.register.problems if p.severity == "error"} == ({6, 8} if errors else {6})
    assert found.settings.region == "Scotland" and found.settings.amber_days == 3


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory) -> dict[str, Path]:
    """The same registers saved by LibreOffice as .ods, .xls and .xlsx (one soffice run per format)."""
    _soffice()
    root = tmp_path_factory.mktemp("libreoffice")
    profile = root / "profile"
    sources = [_real_world(root / "plain.xlsx", errors=False), _real_world(root / "errors.xlsx", errors=True)]
    far = save(root / "far.xlsx", [HEADERS, line(), line(reference="CSC-2")])
    wb = openpyxl.load_workbook(far)
    wb["Register"].cell(LAST_ROW, 60).value = " "
    wb.save(far)
    made = {}
    for fmt in ("ods", "xls"):
        for path in convert([*sources, far], fmt, root / fmt, profile):
            made[f"{path.stem}.{fmt}"] = path
    for path in convert([made["plain.ods"], made["errors.ods"]], "xlsx", root / "resaved", profile):
        made[f"{path.stem} resaved.xlsx"] = path
    return made


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["plain.ods", "errors.ods", "plain.xls", "plain resaved.xlsx", "errors resaved.xlsx"])
def test_registers_saved_by_libreoffice_or_older_excel(saved_by_libreoffice, name):
    found = read_register(saved_by_libreoffice[name])
    _expect_real_world(found, errors=name.startswith("errors"))


@pytest.mark.libreoffice
def test_xls_error_cells_read_as_empty_and_say_so(saved_by_libreoffice):
    """In .xls, calamine cannot tell an error from an empty cell: the officer is told, and a required cell is still refused."""
    found = read_register(saved_by_libreoffice["errors.xls"])
    assert (8, "Date received", "the date received is empty") in errors_of(found)
    assert any("old-style .xls" in note and "#N/A" in note for note in found.notes)


@pytest.mark.libreoffice
def test_ods_with_a_used_range_to_the_last_row_is_read_quickly_without_calamine(saved_by_libreoffice, monkeypatch):
    """calamine parses a whole .ods when opening it (some 2 GB for this file): the file's own reader is used instead."""

    def refuse(*args, **kwargs):
        raise AssertionError("calamine was asked to open the whole .ods")

    monkeypatch.setattr(reader.CalamineWorkbook, "from_path", refuse)
    found = read_register(saved_by_libreoffice["far.ods"])  # how quickly: benchmarks/bench_reader.py
    assert found.register.table["reference"].tolist() == ["CSC-1", "CSC-2"]
    assert any(f"runs on to row {LAST_ROW:,}" in note for note in found.notes)


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    ["12/03/2024", "12.3.24", "12 March 2024", "12-Mar-2024", "March 12, 2024", "2024-03-12", 45363, 45363.0, "45363",
     D(2024, 3, 12), dt.datetime(2024, 3, 12, 23, 59), dt.datetime(2024, 3, 12, 0, 0, 1)],
    ids=repr,
)
def test_dates_as_text_serials_or_with_times(tmp_path, cell):
    found = read_register(save(tmp_path / "r.xlsx", [HEADERS, line(date_received=cell)]))
    assert errors_of(found) == []
    assert found.register.table.loc[2, "date_received"] == MARCH_12


@pytest.mark.parametrize(
    "cell, message",
    [
        ("03/25/2024", "reads as month/day (American order); type it day first (day/month/year)"),
        (12, "is a number, not a plausible date: type the date as day/month/year"),
        ("12", "is a number, not a plausible date: type the date as day/month/year"),
        (dt.time(10, 30), "holds a time of day, not a date"),
        ("31/02/2024", "is not a real date"),
        ("TBC", "is not a date"),
        ("March 2024", "is not a date"),
    ],
    ids=repr,
)
def test_ambiguous_or_impossible_dates_are_refused_not_guessed(tmp_path, cell, message):
    found = read_register(save(tmp_path / "r.xlsx", [HEADERS, line(date_received=cell)]))
    assert errors_of(found) == [(2, "Date received", message)]
    assert pd.isna(found.register.table.loc[2, "date_received"])


def test_a_small_number_formatted_as_a_date_is_refused(tmp_path):
    """12 in a date-formatted cell shows as 12/01/1900 in Excel; calamine reads it so."""

    def as_date(book, sheet):
        sheet["B2"].number_format = "dd/mm/yyyy"

    found = read_register(save(tmp_path / "r.xlsx", [HEADERS, line(date_received=12)], dress=as_date))
    [(row, header, message)] = errors_of(found)
    assert (row, header) == (2, "Date received")
    assert message.startswith("is not a plausible date (dates from 1990 to 2100") and "small number" in message
    assert "12/01/1900" not in message  # the cell's value is never repeated


def test_two_digit_years_are_read_in_this_century(tmp_path):
    found = read_register(save(tmp_path / "r.xlsx", [HEADERS, line(date_received="1.4.25", s1_acknowledged="02/04/69")]))
    assert found.register.table.loc[2, "date_received"] == pd.Timestamp(2025, 4, 1)
    assert found.register.table.loc[2, "s1_acknowledged"] == pd.Timestamp(2069, 4, 2)


def test_the_uk_reading_is_used_when_both_orders_would_do(tmp_path):
    found = read_register(save(tmp_path / "r.xlsx", [HEADERS, line(date_received="03/04/2024")]))
    assert found.register.table.loc[2, "date_received"] == pd.Timestamp(2024, 4, 3)


# --- where the register ends ------------------------------------------------------------


def test_trailing_blank_rows_are_dropped(tmp_path):
    def blanks(book, sheet):
        for r in range(4, 40):
            sheet.cell(r, 1).value = " "  # a space, an empty string: nothing
            sheet.cell(r, 3).font = Font(bold=True)
        sheet.cell(41, 2).value = ""

    found = read_register(save(tmp_path / "r.xlsx", [HEADERS, line(), line(reference="CSC-2")], dress=blanks))
    assert found.register.table.index.tolist() == [2, 3]
    assert errors_of(found) == [] and found.notes == []


@pytest.mark.parametrize("how", ["a space in the last cell", "formatting down to the last row"])
def test_used_range_to_the_last_row_is_quick_and_light(tmp_path, monkeypatch, how):
    def far(book, sheet):
        if how.startswith("a space"):
            sheet.cell(LAST_ROW, 60).value = " "
        else:
            sheet.cell(LAST_ROW, 2).font = Font(bold=True)
            sheet.cell(LAST_ROW, 2).number_format = "dd/mm/yyyy"

    path = save(tmp_path / "r.xlsx", [HEADERS, line(), line(reference="CSC-2")], dress=far)
    real, real_copy = reader.CalamineWorkbook.get_sheet_by_name, reader._copy_with
    copies = []  # the sheet as calamine was given it, cut after the last row holding anything

    def register_sheet_refused(book, name):
        if name == "Register" and book not in copies:  # calamine would build all 1,048,576 x 60 cells in memory
            raise AssertionError("calamine was asked for the whole Register sheet")
        return real(book, name)

    def copy_with(z, part, end, tail):
        assert b'r="1048576"' not in z.read(part)[:end] + tail
        return real_copy(z, part, end, tail)

    real_open = reader.CalamineWorkbook.from_filelike
    monkeypatch.setattr(reader.CalamineWorkbook, "get_sheet_by_name", register_sheet_refused)
    monkeypatch.setattr(reader.CalamineWorkbook, "from_filelike", lambda f: copies.append(real_open(f)) or copies[-1])
    monkeypatch.setattr(reader, "_copy_with", copy_with)
    found = read_register(path)  # how quickly: benchmarks/bench_reader.py
    assert found.register.table["reference"].tolist() == ["CSC-1", "CSC-2"]
    assert len(copies) == (0 if how.startswith("a space") else 1)  # the space far down: row by row
    [note] = found.notes
    assert f"stopped at row {3 + BLANK_RUN:,}" in note and f"runs on to row {LAST_ROW:,}" in note


def test_a_complaint_after_a_short_gap_is_read_and_after_a_long_gap_is_reported(tmp_path):
    def gaps(book, sheet):
        sheet.append([None])
        sheet.cell(900, 1).value, sheet.cell(900, 2).value = "CSC-900", "12/03/2024"
        sheet.cell(900 + BLANK_RUN + 5, 1).value = "CSC-LOST"
        sheet.cell(900 + BLANK_RUN + 5, 2).value = "12/03/2024"

    found = read_register(save(tmp_path / "r.xlsx", [HEADERS, line()], dress=gaps))
    assert found.register.table["reference"].tolist() == ["CSC-1", "CSC-900"]
    [note] = found.notes
    stop = 900 + BLANK_RUN
    assert note.startswith(f"Reading of 'Register' stopped at row {stop:,}: rows 901 to {stop:,} have nothing")
    assert f"runs on to row {900 + BLANK_RUN + 5:,}" in note and f"below row {stop:,}, move it up" in note


# --- columns and headers -----------------------------------------------------------------


def test_hidden_reordered_extra_and_oddly_spelt_columns(tmp_path):
    order = list(reversed(range(len(HEADERS))))
    headers = ["Our own notes"] + [HEADERS[i].upper().replace(" ", "  ") + " " for i in order] + ["Chased?"]
    cells = line(reference="CSC-7", service="YOT", s1_response_sent="26/03/2024")
    row = ["anything"] + [cells[i] for i in order] + ["yes"]

    def hide(book, sheet):
        for letter in ("A", "C", "F", "AZ"):
            sheet.column_dimensions[letter].hidden = True

    found = read_register(save(tmp_path / "r.xlsx", [headers, row], dress=hide))
    table = found.register.table
    assert found.register.problems == []
    assert (table.loc[2, "reference"], table.loc[2, "service"]) == ("CSC-7", "YOT")
    assert table.loc[2, "s1_response_sent"] == pd.Timestamp(2024, 3, 26)


def test_header_with_line_breaks_and_non_breaking_spaces(tmp_path):
    headers = ["Reference\n", "Date\nreceived", "S1\u00a0response sent"]
    found = read_register(save(tmp_path / "r.xlsx", [headers, ["CSC-1", "12/03/2024", "26/03/2024"]]))
    assert errors_of(found) == []
    assert found.register.table.loc[2, "s1_response_sent"] == pd.Timestamp(2024, 3, 26)


def test_renamed_register_sheet_is_found_and_named(tmp_path):
    def sheets(book, sheet):
        hidden = book.create_sheet("Old register", 0)
        hidden.append(HEADERS)
        hidden.append(line(reference="OLD-1"))
        hidden.sheet_state = "hidden"
        book.create_sheet("Notes", 1).append(["Nothing to see", "here"])

    path = save(tmp_path / "r.xlsx", [HEADERS, line(reference="CSC-1", service="Nope")], title="Complaints 2024", dress=sheets)
    found = read_register(path)
    assert found.sheet == "Complaints 2024"
    assert found.register.table["reference"].tolist() == ["CSC-1"]
    assert found.notes == ["Read the sheet 'Complaints 2024' of r.xlsx: there is no sheet called 'Register', so the first sheet with those headers was read."]
    [problem] = found.register.problems
    assert str(problem).startswith("Complaints 2024 row 2, column 'Service': ")


def test_a_hidden_sheet_is_read_last_and_said_to_be_hidden(tmp_path):
    def hide(book, sheet):
        sheet.sheet_state = "hidden"
        book.create_sheet("Front page").append(["Welcome"])

    found = read_register(save(tmp_path / "r.xlsx", [HEADERS, line()], title="Data", dress=hide))
    assert found.sheet == "Data" and "'Data' (a hidden sheet)" in found.notes[0]


def test_a_sheet_called_register_without_headers_is_passed_over(tmp_path):
    def other(book, sheet):
        book.create_sheet("2024-25").append(HEADERS)
        book["2024-25"].append(line())

    found = read_register(save(tmp_path / "r.xlsx", [["Summary"], ["see the other sheet"]], dress=other))
    assert found.sheet == "2024-25"
    assert "the sheet 'Register' has no 'Reference' and 'Date received' headers" in found.notes[0]


def test_no_register_anywhere_is_refused_naming_the_sheets(tmp_path):
    path = save(tmp_path / "r.xlsx", [["Ref", "Received"], ["A", "12/03/2024"]], title="Data")
    with pytest.raises(RegisterError, match=r"No sheet in r\.xlsx has a header row with 'Reference' and 'Date received'.*sheets found: 'Data'"):
        read_register(path)


def test_title_rows_above_the_header_keep_the_sheets_row_numbers(tmp_path):
    rows = [["Children's complaints register"], [None], [*HEADERS[:-1]], line(service="Nope")]
    found = read_register(save(tmp_path / "r.xlsx", rows))
    assert found.header_row == 3 and found.notes == []  # a title row is usual: nothing to tell
    assert errors_of(found) == [(4, "Service", "is not one of the values on the Lists sheet")]
    [warning] = [p for p in found.register.problems if p.severity == "warning"]
    assert (warning.row, warning.column) == (3, HEADERS[-1])  # the real header row, not row 1


def test_a_column_twice_is_refused_on_the_real_header_row(tmp_path):
    rows = [["Title"], ["Reference", "Date received", "Service", "date received"], ["A", "12/03/2024", "YOT", "13/03/2024"]]
    with pytest.raises(RegisterError, match=r"^Register row 2, column 'Date received': the column appears twice \(columns B and D\)"):
        read_register(save(tmp_path / "r.xlsx", rows))


def test_data_not_starting_in_column_a(tmp_path):
    def shift(book, sheet):
        sheet.insert_cols(1, 2)
        sheet.insert_rows(1, 1)

    rows = [["Reference", "Date received", "Service", "Date received"], ["A", "12/03/2024", "YOT", ""]]
    with pytest.raises(RegisterError, match=r"row 2, column 'Date received': the column appears twice \(columns D and F\)"):
        read_register(save(tmp_path / "r.xlsx", rows, dress=shift))
    found = read_register(save(tmp_path / "s.xlsx", [HEADERS, line(service="Nope")], dress=shift))
    assert errors_of(found) == [(3, "Service", "is not one of the values on the Lists sheet")]


def test_merged_header_cells(tmp_path):
    """Across: the first cell has the header, the others read as empty. Down: the header counts on the lower row."""
    headers = ["Reference", "Date received", None, "Service", "S1 acknowledged", "S1 response sent"]
    rows = [
        ["Reference", "Date received", None, "Service", "Stage 1", None],
        headers,
        ["CSC-1", "12/03/2024", None, "YOT", "13/03/2024", "26/03/2024"],
    ]

    def merge(book, sheet):
        sheet.merge_cells("A1:A2")  # Reference, over two rows
        sheet.merge_cells("B1:C1")  # Date received, across two columns
        sheet.merge_cells("B2:C2")
        sheet.merge_cells("D1:D2")
        sheet.merge_cells("E1:F1")  # Stage 1 over its two columns

    found = read_register(save(tmp_path / "r.xlsx", rows, dress=merge))
    assert found.header_row == 2
    assert errors_of(found) == []
    table = found.register.table
    assert table.index.tolist() == [3]
    assert table.loc[3, "s1_response_sent"] == pd.Timestamp(2024, 3, 26)
    assert table.loc[3, "service"] == "YOT"


def test_cells_merged_down_the_body_are_reported(tmp_path):
    def merge(book, sheet):
        sheet.merge_cells("W2:W4")  # one Service for three complaints

    rows = [HEADERS, line(reference="A", service="YOT"), line(reference="B"), line(reference="C")]
    found = read_register(save(tmp_path / "r.xlsx", rows, dress=merge))
    assert found.register.table["service"].tolist() == ["YOT", "", ""]
    assert found.notes == ["Cells merged over several rows in 'Register' (W2:W4) are read as their first row only; unmerge them and fill in each row."]


# --- formulas and error cells -----------------------------------------------------------------


def _with_formulas(path: Path, calculated: bool, cached: bool) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Register")
    headers = HEADERS + ([c.header for c in CALCULATED_COLUMNS] if calculated else [])
    sheet.write_row(0, 0, headers)
    for r, ref in enumerate(["CSC-1", "CSC-2"], start=1):
        sheet.write_row(r, 0, [v if v is not None else "" for v in line(reference=ref, date_received="12/03/2024", service="YOT")])
        if calculated:
            for j in range(len(HEADERS), len(headers)):  # results never calculated: XlsxWriter stores 0 unless told
                sheet.write_formula(r, j, f"=IF(A{r + 1}=\"\",\"\",B{r + 1}+{j})", None, "" if not cached else "Green")
        sheet.write_formula(r, HEADERS.index("S1 acknowledged"), f"=B{r + 1}", None, 45364 if cached else "")
    book.close()
    return path


@pytest.mark.parametrize("calculated", [True, False], ids=["calculated columns", "none"])
@pytest.mark.parametrize("cached", [True, False], ids=["saved results", "no saved results"])
def test_calculated_columns_never_touch_the_input(tmp_path, calculated, cached):
    found = read_register(_with_formulas(tmp_path / "r.xlsx", calculated, cached))
    table = found.register.table
    assert table["reference"].tolist() == ["CSC-1", "CSC-2"]
    assert (table["date_received"] == MARCH_12).all() and (table["service"] == "YOT").all()
    assert not set(table.columns) & {c.key for c in CALCULATED_COLUMNS}
    if cached:  # a formula in an input column: the result Excel saved
        assert (table["s1_acknowledged"] == pd.Timestamp(2024, 3, 13)).all()
        assert errors_of(found) == []
    else:  # no saved result reads as empty
        assert table["s1_acknowledged"].isna().all()


ERRORS = ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?"]


@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
@pytest.mark.parametrize("key", ["date_received", "service", "team", "complainant_first_name", "reference"])
def test_error_cells_are_problems_naming_the_cell(tmp_path, writer, key):
    path = tmp_path / "r.xlsx"
    if key == "reference":
        rows = [line(reference=code) for code in ERRORS]
    else:
        rows = [line(reference=f"CSC-{i}", **{key: code}) for i, code in enumerate(ERRORS)]
    if writer == "openpyxl":
        save(path, [HEADERS, *rows])  # openpyxl stores '#N/A' and the like as error cells
    else:
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet("Register")
        sheet.write_row(0, 0, HEADERS)
        j = HEADERS.index(column(key).header)
        for r, row in enumerate(rows, start=1):
            sheet.write_row(r, 0, ["" if v is None else v for v in row])
            sheet.write_formula(r, j, "=1/0" if row[j] == "#DIV/0!" else "=NA()", None, row[j])
        book.close()
    found = read_register(path)
    header = column(key).header
    expected = [(r, header, f"the cell shows the error {code}: correct the formula or type the value in") for r, code in enumerate(ERRORS, start=2)]
    assert errors_of(found) == expected  # once per cell: not also "empty" or "needs a reference"
    assessed = status.assess(found.register.table, Settings(), D(2024, 4, 1), found.register.row_problems())
    assert (assessed["rag"] == "Check").all()
    assert assessed["next_action"].str.startswith(f"Correct the row: {header}: the cell shows the error").all()


def test_error_cells_on_a_big_sheet_are_found_by_their_rows(tmp_path):
    path = tmp_path / "r.xlsx"
    rows = [line(reference=f"CSC-{i}") for i in range(300)]
    rows[137][HEADERS.index("Team")] = "#REF!"
    save(path, [HEADERS, *rows])
    found = read_register(path)
    assert errors_of(found) == [(139, "Team", "the cell shows the error #REF!: correct the formula or type the value in")]


# --- files that are not registers -----------------------------------------------------------


def test_not_a_workbook(tmp_path):
    (tmp_path / "r.xlsx").write_text("not a workbook")
    with pytest.raises(RegisterError, match=r"r\.xlsx cannot be read as a register: it is a text file \(a CSV or similar\), not an Excel workbook"):
        read_register(tmp_path / "r.xlsx")
    with pytest.raises(RegisterError, match="There is no file at"):
        read_register(tmp_path / "missing.xlsx")
    with pytest.raises(RegisterError, match="is a folder, not a workbook"):
        read_register(tmp_path)


def test_read_cells_gives_the_found_cells_unjudged(tmp_path):
    def settings_sheet(book, sheet):
        book.create_sheet("Settings").append(["Amber days", 4])
        sheet.cell(4000, 1).value = "far below"

    path = save(tmp_path / "r.xlsx", [["Title"], HEADERS, line(service="Nope"), [None], line(reference="CSC-2")], dress=settings_sheet)
    cells = reader.read_cells(path)
    assert (cells.sheet, cells.header_row, cells.headers) == ("Register", 2, HEADERS)
    assert [r[0] for r in cells.body] == ["CSC-1", "", "CSC-2"]  # trailing empty rows gone, the cells as calamine gives them
    assert cells.body[0][HEADERS.index("Service")] == "Nope"
    assert cells.settings_rows[0][:2] == ["Amber days", 4]
    assert reader.read_cells(path, settings_sheet=False).settings_rows is None
    assert "runs on to row 4,000" in cells.notes[0]


def test_statistics_reader_finds_the_register_the_same_way(tmp_path):
    from xl_complaints.reports.statistics_reader import read_for_statistics

    rows = [["Title"], HEADERS, line(representation_type="Complaint"), line(reference="CSC-2", date_received="03/25/2024", representation_type="Complaint")]
    got = read_for_statistics(save(tmp_path / "r.xlsx", rows, title="Complaints 2024"))
    assert got.sheet == "Complaints 2024"
    assert got.table.index.tolist() == [3, 4]
    assert [(p.row, p.column) for p in got.problems] == [(4, "Date received")]


# --- fuzzing: whatever is in the cells ------------------------------------------------------

TEXT = st.text(max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))  # an .xlsx cannot hold C0 controls
SPECIAL = ["🙂", "👨‍👩‍👧", "שלום", "مرحبا", "\u202egnp.exe", "\u200b", "Zoë", "\t\n\r", "\x85\x9f", "=SUM(A1)", "=1/0", "#N/A",
           "#REF!", "#VALUE!", "12/03/2024", "03/25/2024", "12.3.24", "Yes", "child in need", "Upheld", "45363", " "]
cells = st.one_of(
    st.none(),
    TEXT,
    st.sampled_from(SPECIAL),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "é", "🙂", "א"]), st.integers(1_000, 32_767)),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(D(1900, 3, 1), D(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
    st.times(),
)


@st.composite
def workbooks(draw):
    optional = [h for h in HEADERS if h not in ("Reference", "Date received")]
    kept = [h for h in HEADERS if h in ("Reference", "Date received") or h not in set(draw(st.lists(st.sampled_from(optional), max_size=10)))]
    extras = draw(st.lists(st.sampled_from(["Notes", "Stage", "RAG", "Problems", None, "🙂"]), max_size=3, unique=True))
    headers = draw(st.permutations(kept + extras))
    headers = [h.upper() if isinstance(h, str) and draw(st.booleans()) else h for h in headers]
    titles = draw(st.integers(0, 2))
    body = draw(st.lists(st.lists(cells, max_size=len(headers) + 2), max_size=5))
    title = draw(st.sampled_from(["Register", "Complaints 2024", "Reg (old)"]))
    return titles, headers, body, title


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(workbooks())
def test_reading_and_assessing_any_cells_never_crashes(tmp_path, book):
    titles, headers, body, title = book
    path = tmp_path / "fuzz.xlsx"
    rows = [[f"Title row {i}"] for i in range(titles)] + [headers] + body
    save(path, rows, title=title)
    found = read_register(path)
    header_row = titles + 1
    assert (found.sheet, found.header_row) == (title, header_row)
    table, problems = found.register.table, found.register.problems
    assert set(table.index) <= set(range(header_row + 1, header_row + 1 + len(body)))
    for p in problems:
        assert p.sheet == title and p.column in INPUT_HEADERS, str(p)
        if p.row == header_row:
            assert p.severity == "warning", str(p)
        else:
            assert p.row in table.index, str(p)
        if column(p.column).personal:
            assert p.value == ""
    position = [str(h).strip().lower() if h is not None else "" for h in headers].index("reference")
    for offset, raw in enumerate(body):
        if position < len(raw) and isinstance(raw[position], str) and raw[position].strip() and not raw[position].startswith("="):
            assert header_row + 1 + offset in table.index  # a row holding a reference is never dropped
    assessed = status.assess(table, Settings(), D(2024, 4, 1), found.register.row_problems())
    assert assessed.index.equals(table.index)
    assert set(assessed["rag"]) <= set(RAG_VALUES)
    flagged = {p.row for p in found.register.errors}
    assert set(assessed.index[assessed["rag"] == "Check"]) >= flagged


# --- performance guard (not a timing test) ----------------------------------------------


@pytest.fixture(scope="module")
def register_5000(tmp_path_factory) -> Path:
    records = sample.generate(5_000, years=2, seed=3, end=D(2025, 3, 31))
    return sample.write_xlsx(records, tmp_path_factory.mktemp("big") / "register.xlsx")


def _calls_into(module_file: str | tuple[str, ...], action) -> Counter:
    calls: Counter = Counter()
    files = (module_file,) if isinstance(module_file, str) else module_file

    def count(frame, event, arg):
        if event == "call" and frame.f_code.co_filename in files:
            calls[frame.f_code.co_name] += 1

    sys.setprofile(count)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def test_reading_5000_rows_runs_python_per_column_not_per_cell(register_5000):
    found = []
    calls = _calls_into(register.__file__, lambda: found.append(read_register(register_5000)))
    table = found[0].register.table
    assert len(table) == 5_000 and found[0].register.errors == []
    cells = table.size  # 290,000
    assert sum(calls.values()) < 300, calls.most_common(5)  # about one call per column
    assert cells > 1_000 * sum(calls.values())


def test_dates_typed_as_text_are_read_once_per_distinct_value():
    days = [f"{d:%d/%m/%Y}" for d in pd.date_range("2024-01-01", periods=40).date]
    rows = [line(reference=f"C{i}", date_received=days[i % 40], s1_acknowledged=45363 + i % 7, service="child in need") for i in range(5_000)]
    found = []
    calls = _calls_into((register.__file__, dates.__file__), lambda: found.append(validate(HEADERS, rows)))
    assert found[0].errors == []
    assert calls["parse_date"] > 0  # the profile sees the one date reader
    assert calls["parse_date"] + calls["_parse_text_date"] <= 2 * 40 + 7 + 7
    assert found[0].table["date_received"].nunique() == 40
    assert (found[0].table["service"] == "Child in Need").all()


def test_validate_keeps_every_cell_kind_apart():
    """The column-wise fast paths give what the cell-by-cell rules give."""
    rows = [
        line(reference=1001.0, date_received=np.datetime64("2024-03-12"), team=42, manager_job_title=D(2024, 1, 2), advocate=True),
        line(reference="  C2 ", date_received=pd.Timestamp("2024-03-12 10:00"), advocate=1, s1_extended=False),
        line(reference="C3", date_received=dt.datetime(2024, 3, 12, 23, 59, tzinfo=dt.timezone.utc), advocate=" yes "),
        line(reference="C4", date_received=np.float64(45363.0), team=np.str_("  North "), advocate="n"),
    ]
    got = validate(HEADERS, rows)
    table = got.table
    assert table["reference"].tolist() == ["1001", "C2", "C3", "C4"]
    assert (table["date_received"] == MARCH_12).all()
    assert table["team"].tolist() == ["42", "", "", "North"]
    assert table.loc[2, "manager_job_title"] == "02/01/2024"
    assert table["advocate"].tolist() == ["Yes", "", "Yes", "No"]
    assert table.loc[3, "s1_extended"] == "No"
    assert [(p.row, p.column, p.message) for p in got.problems] == [(3, "Advocate", "is not Yes or No")]


def test_what_the_check_before_a_write_saw_is_used_only_for_that_very_file(tmp_path):
    """check_writable looks for error cells on the way; the reading after it uses that, never for a changed file."""
    path = tmp_path / "r.xlsx"
    rows = [line(reference=f"CSC-{i}") for i in range(3)]
    save(path, [HEADERS, *rows])
    reader.check_writable(path, "Refreshing the register")
    assert errors_of(read_register(path)) == []
    error = [line(reference="CSC-9", service="#N/A")]
    save(path, [HEADERS, *rows, *error])  # saved again after the check: now with an error cell
    assert errors_of(read_register(path)) == [(5, "Service", "the cell shows the error #N/A: correct the formula or type the value in")]
    reader.check_writable(path, "Refreshing the register")  # and a check that saw the error cell says so
    assert errors_of(read_register(path)) == [(5, "Service", "the cell shows the error #N/A: correct the formula or type the value in")]
