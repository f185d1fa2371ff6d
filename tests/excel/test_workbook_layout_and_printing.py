"""The register as an officer meets it on screen and on paper, and the printed reports.

On screen: the first columns, frozen, are the ones that matter; personal and
monitoring details fold away in outline groups; the reader still finds every
column by its header. On paper (LibreOffice prints it to PDF here): landscape,
fitted to the page width, the header row on every page, the As-of date and the
page number in the footer, no personal data.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from test_workbook import AS_OF, libreoffice, sample_records
from xl_complaints.core import schema
from xl_complaints.excel import workbook
from xl_complaints.cli import main
from xl_complaints.files.reader import read_register

FIRST_SCREEN_HEADERS = ("Reference", "Date received", "Stage", "RAG", "Due date", "Next action")
SCREEN_PIXELS = 1280  # a laptop's Excel window, less the row numbers


@pytest.fixture(scope="module")
def records():
    return sample_records(150, seed=3)


@pytest.fixture(scope="module")
def built(tmp_path_factory, records) -> Path:
    return workbook.build(tmp_path_factory.mktemp("layout") / "Complaints_Register.xlsm", records, as_of=AS_OF)


@pytest.fixture(scope="module")
def sheet(built):
    return openpyxl.load_workbook(built, keep_vba=True)[workbook.REGISTER]


def pixels(width: float) -> int:
    return int(width * 7 + 5)  # Excel's column width in characters of Calibri 11, as pixels


def test_the_columns_that_matter_are_on_the_first_screen_and_stay_there(sheet):
    headers = [c.value for c in sheet[workbook.HEADER_ROW]]
    frozen = headers[: workbook.FROZEN_COLUMNS]
    assert set(FIRST_SCREEN_HEADERS) <= set(frozen)
    width = sum(pixels(sheet.column_dimensions[workbook._letter(i)].width) for i in range(workbook.FROZEN_COLUMNS))
    assert width < SCREEN_PIXELS * 0.75  # room left to scroll the columns being typed in
    assert sheet.freeze_panes == f"{workbook._letter(workbook.FROZEN_COLUMNS)}{workbook.FIRST_ROW}"


def test_personal_and_monitoring_details_fold_away_in_their_own_groups(sheet):
    by_column = {}
    for dim in sheet.column_dimensions.values():  # openpyxl keeps runs of alike columns as one
        if dim.min is None:
            continue
        for col in range(dim.min, dim.max + 1):
            by_column[col] = dim.outline_level or 0
    levels = {column.key: by_column.get(i + 1, 0) for i, column in enumerate(workbook.REGISTER_COLUMNS)}
    grouped = {k for k, level in levels.items() if level == 1}
    assert grouped == set(workbook.PERSONAL_GROUP) | set(workbook.MONITORING)
    assert {c.key for c in schema.COLUMNS if c.personal} <= grouped
    keys = [c.key for c in workbook.REGISTER_COLUMNS]
    between = keys[keys.index(workbook.PERSONAL_GROUP[-1]) + 1: keys.index(workbook.MONITORING[0])]
    assert between and all(levels[k] == 0 for k in between)  # two groups, each folds on its own


def test_the_live_formulas_inputs_are_one_range_without_a_grey_column(sheet):
    """register_inputs runs from the first to the last input: a grey column inside would be circular."""
    headers = [c.value for c in sheet[workbook.HEADER_ROW]][: len(schema.COLUMNS)]
    first, last = headers.index(workbook.FIRST_INPUT), headers.index(workbook.LAST_INPUT)
    inside = [schema.column(h) for h in headers[first:last + 1]]
    assert not any(c.calculated for c in inside) and len(inside) == len(schema.INPUT_COLUMNS)


def test_the_reader_finds_every_column_by_its_header(built, records):
    from xl_complaints.core.register import validate

    loaded = read_register(built)
    table = loaded.register.table
    in_schema_order = validate([c.header for c in schema.INPUT_COLUMNS], [workbook.record_row(r) for r in records], first_row=workbook.FIRST_ROW).table
    assert list(table.index) == list(in_schema_order.index) and len(table) == len(records) - 1  # the blank row
    for key in schema.INPUT_KEYS:
        assert table[key].tolist() == in_schema_order[key].tolist(), key
    assert not [p for p in loaded.register.problems if "missing" in p.message]


def test_register_and_dashboard_print_setup(built):
    book = openpyxl.load_workbook(built, keep_vba=True)
    for name in (workbook.REGISTER, workbook.DASHBOARD):
        ws = book[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0, name  # None: 1, the default
        assert f"As of {AS_OF:%d/%m/%Y}" in ws.oddFooter.left.text and "&P" in ws.oddFooter.center.text, name
    register = book[workbook.REGISTER]
    assert register.print_title_rows == f"${workbook.HEADER_ROW}:${workbook.HEADER_ROW}"
    printed = [c.value for c in register[workbook.HEADER_ROW]][: workbook.PRINTED_COLUMNS]
    assert set(FIRST_SCREEN_HEADERS) <= set(printed)
    assert not any(schema.column(h).personal for h in printed)  # no names or addresses on paper
    assert register.print_area == f"'{workbook.REGISTER}'!$A$1:${workbook._letter(workbook.PRINTED_COLUMNS - 1)}${workbook.CALC_LAST_ROW}"
    assert book[workbook.DASHBOARD].print_title_rows == "$1:$2"


def pdf_pages(pdf: Path) -> list[str]:
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    count = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.splitlines() if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True, text=True).stdout for i in range(1, count + 1)]


@pytest.mark.libreoffice
@pytest.mark.pdftotext
def test_the_printed_register_shows_the_columns_that_matter_with_headers_on_every_page(built, records, tmp_path):
    result = libreoffice(built, tmp_path, "pdf")
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(tmp_path / "Complaints_Register.pdf")
    register = [p for p in pages if "Next action" in p and "Complaints dashboard" not in p and "Register row" not in p]
    assert 2 <= len(register) <= 8  # 150 rows: a handful of pages, not 128
    first = register[0]
    for header in ("Reference", "Stage", "RAG", "Due date", "Next action", "Date"):
        assert header in first, header
    for page in register[1:]:
        assert "Reference" in page and "Next action" in page  # the header row repeated
    assert f"As of {AS_OF:%d/%m/%Y}" in first and "Page 1 of" in first
    names = {str(r.get("Complainant last name")) for r in records if r.get("Complainant last name")}
    assert names and not any(name in page for name in names for page in register)
    dashboard = next(p for p in pages if "Complaints dashboard" in p)
    assert f"{AS_OF:%d/%m/%Y}" in dashboard and "Overdue (Red)" in dashboard


# --- the status report and the statistics workbook -------------------------------------------


@pytest.fixture(scope="module")
def status_files(tmp_path_factory, built):
    folder = tmp_path_factory.mktemp("status")
    runner = CliRunner()
    out = {}
    for fmt in ("csv", "xlsx"):
        path = folder / f"status.{fmt}"
        result = runner.invoke(main, ["status", str(built), "--as-of", AS_OF.isoformat(), "--out", str(path)])
        assert result.exit_code == 0, result.output
        out[fmt] = path
    return out


def test_the_status_csv_counts_whole_working_days(status_files):
    import csv

    rows = list(csv.DictReader(status_files["csv"].read_text(encoding="utf-8-sig").splitlines()))
    days = [r["Working days left"] for r in rows if r["Working days left"]]
    assert days and all(d.lstrip("-").isdigit() for d in days), days[:5]


def test_the_status_report_shows_its_date_and_prints_like_the_register(status_files):
    book = openpyxl.load_workbook(status_files["xlsx"])
    ws = book.active
    assert ws.title == f"Status as of {AS_OF:%d-%m-%Y}"
    assert f"as of {AS_OF:%d/%m/%Y}" in ws.oddHeader.left.text
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert f"As of {AS_OF:%d/%m/%Y}" in ws.oddFooter.left.text and "&P" in ws.oddFooter.center.text


def test_the_statistics_workbook_footer_has_its_date_and_page(tmp_path):
    from test_statistics import R, SETTINGS, report_records

    from xl_complaints.reports import statistics, statistics_export
    from xl_complaints.core.register import from_records

    stats = statistics.build(from_records(report_records()).table, SETTINGS, R.YEAR, as_of=AS_OF)
    book = openpyxl.load_workbook(statistics_export.write_workbook(stats, tmp_path / "stats.xlsx"))
    for ws in book.worksheets:
        assert f"Figures as at {stats.at:%d/%m/%Y}" in ws.oddFooter.left.text and "&P" in ws.oddFooter.center.text, ws.title
    tables = [ws for ws in book.worksheets if ws.title != "About"]
    assert tables and all(ws.page_setup.orientation == "landscape" for ws in tables)
