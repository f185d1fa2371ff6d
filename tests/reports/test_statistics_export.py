"""The statistics as files: the `stats` command, its fast reader, the workbook with
native charts, the JSON, and the Word draft (rendered to PDF by LibreOffice)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner
from docx import Document

from test_statistics import AS_OF, PERSONAL_WORDS, R, SETTINGS, report_records

from xl_complaints.core import schema

from xl_complaints.reports import statistics, statistics_export
from xl_complaints.cli import main
from xl_complaints.files.reader import read_register
from xl_complaints.reports.statistics_reader import read_for_statistics

D = dt.date
HEADERS = [c.header for c in schema.INPUT_COLUMNS]


def write_register(records: list[dict], path: Path, settings_rows: list[tuple] = ()) -> Path:
    """A register workbook as Excel saves one (shared strings, real dates)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Register")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    stamp_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, HEADERS)
    for i, record in enumerate(records, start=1):
        for j, header in enumerate(HEADERS):
            value = record.get(header)
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                sheet.write_datetime(i, j, value, stamp_format)
            elif isinstance(value, dt.date):
                sheet.write_datetime(i, j, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, (int, float)):
                sheet.write_number(i, j, value)
            else:
                sheet.write_string(i, j, value)
    if settings_rows:
        settings = book.add_worksheet("Settings")
        for i, row in enumerate(settings_rows):
            settings.write_row(i, 0, row)
    book.close()
    return path


@pytest.fixture(scope="module")
def register_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stats") / "Complaints_Register.xlsx"
    return write_register(report_records(), path, [("Council name", "Isle of Example Council"), ("Acknowledgement (working days)", 3)])


@pytest.fixture(scope="module")
def stats():
    table = read_for_statistics_table()
    return statistics.build(table, SETTINGS, R.YEAR, as_of=AS_OF)


def read_for_statistics_table():
    from xl_complaints.core.register import from_records

    return from_records(report_records()).table


def run(*args):
    return CliRunner().invoke(main, ["stats", *map(str, args)])


# --- reading ------------------------------------------------------------------------------


def test_fast_reader_gives_what_validate_gives(tmp_path):
    """Odd cells go through register.validate; the result is the same as validating everything."""
    base = {"Representation type": "Complaint", "Procedure": "Statutory"}
    records = [
        {**base, "Reference": "A1", "Date received": D(2016, 5, 3), "How received": "E-mail", "Received from": "Parent"},
        {**base, "Reference": "A2", "Date received": "12/03/2017", "How received": "e-mail", "Received from": " parent "},
        {**base, "Reference": "A3", "Date received": "3 May 2016", "How received": "Carrier pigeon", "Nature": "Finance"},
        {**base, "Reference": "A4", "Date received": 42500.0, "S1 response sent": "31/02/2016", "Service": "YOT"},
        {**base, "Reference": "A5", "Date received": dt.datetime(2016, 7, 1, 14, 30), "Advocate": "y", "Child date of birth": "01/02/2006"},
        {"Reference": "A6", "Complainant first name": "Zebedee"},  # nothing statistics read
        {},
        {**base, "Reference": "A8", "Date received": D(1899, 12, 31), "Learning identified": "No"},
        {**base, "Reference": "A9", "Date received": D(2016, 8, 1), "Representation type": "COMPLAINT", "S1 outcome": "upheld"},
    ]
    path = write_register(records, tmp_path / "messy.xlsx")
    fast = read_for_statistics(path)
    full = read_register(path).register
    keys = list(statistics.STATISTICS_KEYS)
    assert list(fast.table.columns) == keys
    assert list(fast.table.index) == [2, 3, 4, 5, 6, 9, 10]  # rows 7 (a name only) and 8 (blank) have nothing to count
    expected = full.table.loc[fast.table.index, keys]
    for key in keys:
        left, right = fast.table[key], expected[key]
        if schema.column(key).kind is schema.Kind.DATE:
            assert (left.to_numpy("datetime64[D]").astype(str) == right.to_numpy("datetime64[D]").astype(str)).all(), key
        else:
            assert left.tolist() == right.fillna("").tolist(), key
    assert fast.table.loc[3, "how_received"] == "E-mail" and fast.table.loc[3, "received_from"] == "Parent"
    assert fast.table.loc[5, "date_received"] == dt.datetime(2016, 5, 10)  # serial 42500
    headers = {schema.column(k).header for k in keys}
    wanted = {(p.row, p.column) for p in full.problems if p.severity == "error" and p.column in headers and p.row in fast.table.index}
    assert {(p.row, p.column) for p in fast.problems} == wanted
    pigeon = next(p for p in fast.problems if p.column == "How received")
    assert (pigeon.row, pigeon.value) == (4, "")  # what was typed is never carried on
    assert fast.unreadable_rows == 3  # the pigeon, 31 February, and 1899


def test_settings_sheet_is_read(register_file):
    source = read_for_statistics(register_file)
    assert source.settings.council_name == "Isle of Example Council"
    assert source.sheet == "Register" and not source.problems


# --- the command --------------------------------------------------------------------------


def test_stats_json_has_every_table(register_file):
    result = run(register_file, "--year", 2016, "--as-of", AS_OF.isoformat(), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["year"] == "2016/17" and data["previous_year"] == "2015/16"
    assert data["council"] == "Isle of Example Council"
    assert [t["id"] for t in data["tables"]] == list(statistics.TABLE_IDS)
    tables = {t["id"]: {r["key"]: r for r in t["rows"]} for t in data["tables"]}
    assert tables["1a"]["total"]["number"] == 59
    assert tables["2"]["s1:band1"]["number"] == 10 and tables["2"]["s1:band1"]["percent"] == pytest.approx(30.3, abs=0.05)
    assert tables["2"]["s1:average"]["number"] == 13.4
    assert tables["4"]["Parent"]["adds_up_to"] == "subtotal:Parent/Adopter"
    assert "30% of statutory stage 1 complaints were answered within 10 working days." in data["sentences"]["2"]
    assert any("received in the year or completed in it" in n for n in data["notes"])
    for word in PERSONAL_WORDS + ("CSC-2016-",):
        assert word not in result.stdout
    assert "Statistics" not in result.stderr  # no progress bar or messages outside a terminal


def test_stats_suppressed_json(register_file):
    result = run(register_file, "--year", 2016, "--as-of", AS_OF.isoformat(), "--format", "json", "--suppress-under", 5)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    four = {r["key"]: r for r in next(t for t in data["tables"] if t["id"] == "4")["rows"]}
    assert four["Grandparent"]["number"] == "*" and four["Grandparent"]["percent"] is None
    assert four["Parent"]["number"] == 20 and four["total"]["number"] == 33
    assert data["suppressed_under"] == 5 and "numbers from 1 to 4" in data["notes"][-1]


@pytest.fixture(scope="module")
def outputs(register_file, tmp_path_factory):
    """The workbook and the Word draft, made once by the command."""
    folder = tmp_path_factory.mktemp("outputs")
    out, word = folder / "stats.xlsx", folder / "Annual report 2016-17.docx"
    result = run(register_file, "--year", 2016, "--as-of", AS_OF.isoformat(), "--out", out, "--word", word)
    assert result.exit_code == 0, result.output
    return out, word, result


def test_stats_workbook(outputs):
    out, word, result = outputs
    assert f"Statistics for 2016/17 saved to {out}" in result.stderr
    assert f"Statistics for 2016/17 saved to {word}" in result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["About"] + [name for name, _ in statistics_export.SHEETS]
    charts = {ws.title: len(ws._charts) for ws in book}
    assert charts["1 Representations"] == 1 and charts["2 Timeliness"] == 1 and charts["4 Who complained"] == 1
    assert sum(charts.values()) == sum(1 for t in statistics.SPECS if t.chart)
    sheet = book["1 Representations"]
    cells = {row[0].value: row[1].value for row in sheet.iter_rows(max_col=2) if row[0].value}
    assert cells["Table 1a: Representations received"] is None
    assert cells["Total representations"] == 59 and cells["Total statutory refusals"] == 1
    averages = [row[1].value for row in book["2 Timeliness"].iter_rows(max_col=2) if row[0].value == "- average time to complete (working days)"]
    assert [round(a, 1) for a in averages] == [13.4, 37, 38]
    about = [row[0].value for row in book["About"].iter_rows(max_col=1) if row[0].value]
    assert about[0] == "Annual Report on Social Care Complaints and Representations 2016/17"
    assert any("day of receipt is day zero" in str(v) for v in about)
    text = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None)
    for personal in PERSONAL_WORDS + ("CSC-2016-",):
        assert personal not in text


def test_default_output_is_beside_the_register(tmp_path):
    path = write_register(report_records(), tmp_path / "Register.xlsx")
    result = run(path, "--year", 2016, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert (tmp_path / "Complaints statistics 2016-17.xlsx").exists()


def test_stats_errors_are_plain_sentences(register_file, tmp_path):
    result = run(register_file, "--year", 2018, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    assert "The reporting year 2018/19 starts on 1 April 2018, after the as-of date 30 June 2017." in result.output
    not_a_register = tmp_path / "notes.xlsx"
    book = xlsxwriter.Workbook(str(not_a_register))
    book.add_worksheet("Notes").write(0, 0, "Hello")
    book.close()
    result = run(not_a_register, "--year", 2016)
    assert result.exit_code == 1 and "No sheet in notes.xlsx has a header row" in result.output
    assert "Traceback" not in result.output
    result = run(register_file, "--suppress-under", 1)
    assert result.exit_code == 2


def test_default_year_is_the_last_complete_one(register_file):
    result = run(register_file, "--as-of", "2017-06-30", "--format", "json")
    assert json.loads(result.stdout)["year"] == "2016/17"


# --- the Word draft -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def draft(outputs):
    return outputs[1]


def test_word_draft_has_the_tables_sentences_and_charts(draft, stats):
    doc = Document(str(draft))
    assert len(doc.tables) == len(stats.tables) + 3  # and the three forms for the council to fill in
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert "Annual Report on Social Care Complaints and Representations 2016/17" in headings
    for t in stats.tables:
        assert t.title in headings
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "30% of statutory stage 1 complaints were answered within 10 working days." in text
    assert "drafts for officers to check and edit" in text
    assert len(doc.inline_shapes) == sum(1 for t in stats.tables if t.chart)
    t2 = next(t for t in doc.tables if t.rows[0].cells[0].text == "Stage")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in t2.rows}
    assert rows["- in 10 working days"][:2] == ["10", "(30%)"]
    averages = [r.cells[1].text for r in t2.rows if r.cells[0].text == "- average time to complete (working days)"]
    assert averages == ["13.4", "37.0", "38.0"]
    everything = text + " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    for personal in PERSONAL_WORDS:
        assert personal not in everything


def test_word_draft_shows_the_marker_for_hidden_numbers(tmp_path, stats):
    path = statistics_export.write_word(statistics.suppress(stats, 5), tmp_path / "published.docx", charts=False)
    doc = Document(str(path))
    t4 = next(t for t in doc.tables if t.rows[0].cells[0].text == "Received from")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in t4.rows}
    assert rows["Grandparent"][:2] == ["*", ""]
    assert rows["Parent"][:2] == ["20", "(61%)"]
    assert len(doc.inline_shapes) == 0
    assert any("numbers from 1 to 4" in p.text for p in doc.paragraphs)


def test_chart_images_are_png(stats):
    picture = statistics_export.chart_png(stats, stats.table("3a"))
    assert picture.read(8) == b"\x89PNG\r\n\x1a\n"


def need_soffice() -> str:
    """LibreOffice, or a skip (which tests/conftest.py turns into a failure on CI)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return soffice


@pytest.mark.libreoffice
@pytest.mark.pdftotext
def test_word_draft_renders_to_pdf(draft, tmp_path):
    soffice = need_soffice()
    pdftotext = shutil.which("pdftotext") or pytest.skip("pdftotext (poppler-utils) is not installed")
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(draft)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / (draft.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Table 2: Number of complaints received" in text
    assert "30% of statutory stage 1 complaints were answered within 10 working days." in text
    assert "Zebedee" not in text
