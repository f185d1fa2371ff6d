"""The demo: the README's first command, end to end on fictitious data.

The demo is the other commands run one after another, each tested on its own
elsewhere (PDF letters in test_letters, charts in test_statistics_export); here
it runs without LibreOffice and with one-pixel charts, so it checks what the
demo itself promises: every file is made, nothing fails, letters are written
and the report shows no personal column. (900 rows, the default, is what it
takes for letters to fall due on the day; the second test needs only 50.)
"""

import base64
import datetime as dt
import io

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from xl_complaints.cli import demo as demo_module
from xl_complaints.reports import statistics_export
from xl_complaints.cli import main


@pytest.fixture
def no_libreoffice(monkeypatch):
    """The demo makes PDFs only when LibreOffice is installed: leave them out (nothing here reads them)."""
    real_which = demo_module.shutil.which
    monkeypatch.setattr(demo_module.shutil, "which", lambda name, *a, **k: None if name.startswith("soffice") else real_which(name, *a, **k))


# A 1 x 1 pixel PNG: the Word report's charts are drawn and checked in test_statistics_export.
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


@pytest.fixture(autouse=True)
def quick_charts(monkeypatch):
    """Twelve matplotlib charts take most of the demo's time; each is replaced by a pixel."""
    monkeypatch.setattr(statistics_export, "chart_png", lambda s, t: io.BytesIO(PIXEL) if t.chart else None)


def test_demo_makes_the_register_report_letters_and_statistics(tmp_path, no_libreoffice):
    folder = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--folder", str(folder), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    names = {p.name for p in folder.iterdir()}
    # 22 November 2026 is in the reporting year 2026/27, so the statistics are for the year before.
    assert names == {"Complaints_Register.xlsm", "Status report.xlsx", "Statistics 2025-26.xlsx", "Annual report 2025-26 (draft).docx", "Letters", "xl-complaints.log", demo_module.DEMO_MARK}
    letters = list((folder / "Letters").rglob("*.docx"))
    assert letters and any(p.name.endswith("Acknowledgement.docx") for p in letters), result.output
    assert not list((folder / "Letters").rglob("*.pdf"))
    assert f"Letters/ ({len(letters)} letters in one folder per complaint)" in result.output
    assert "no problems found" in result.output
    assert "did not finish" not in result.output
    # Every command it shows can be copied and run: names with spaces are in quotes.
    assert f'--out "{folder / "Status report.xlsx"}"' in result.output
    assert f'--word "{folder / "Annual report 2025-26 (draft).docx"}"' in result.output
    report = load_workbook(folder / "Status report.xlsx", read_only=True)
    headers = [c.value for c in next(report.active.iter_rows(max_row=1))]
    assert "Reference" in headers and "RAG" in headers
    assert not any(h in headers for h in ("Complainant last name", "Child name", "Email"))


def test_demo_defaults_to_today(tmp_path, monkeypatch, no_libreoffice):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo", "--rows", "50"])
    assert result.exit_code == 0, result.output
    today = dt.date.today()
    # The statistics are for the last full reporting year (April to March) before today.
    this_year = today.year if today.month >= 4 else today.year - 1
    last = this_year - 1
    made = {p.name for p in (tmp_path / "demo").iterdir()}
    assert "Complaints_Register.xlsm" in made
    assert f"Statistics {last}-{(last + 1) % 100:02d}.xlsx" in made, sorted(made)
    assert f"--as-of {today.isoformat()}" in result.output


def test_demo_refuses_a_folder_it_did_not_make(tmp_path, no_libreoffice):
    """An officer who points --folder at the live register's folder must not lose anything."""
    folder = tmp_path / "dd"
    folder.mkdir()
    (folder / "Complaints_Register.xlsm").write_bytes(b"the live register")
    (folder / "notes.txt").write_text("my notes")
    result = CliRunner().invoke(main, ["demo", "--folder", str(folder), "--rows", "50"])
    assert result.exit_code == 1, result.output
    assert "earlier demo did not make" in result.output and "Traceback" not in result.output
    assert (folder / "Complaints_Register.xlsm").read_bytes() == b"the live register"
    assert (folder / "notes.txt").read_text() == "my notes"
    assert sorted(p.name for p in folder.iterdir()) == ["Complaints_Register.xlsm", "notes.txt"]


def test_demo_empties_only_its_own_folder_from_an_earlier_run(tmp_path, no_libreoffice):
    folder = tmp_path / "again"
    first = CliRunner().invoke(main, ["demo", "--folder", str(folder), "--rows", "50", "--as-of", "2026-11-22"])
    assert first.exit_code == 0, first.output
    assert (folder / demo_module.DEMO_MARK).is_file()
    (folder / "left over.txt").write_text("from the first run")
    second = CliRunner().invoke(main, ["demo", "--folder", str(folder), "--rows", "50", "--as-of", "2026-11-22"])
    assert second.exit_code == 0, second.output
    assert not (folder / "left over.txt").exists()
    assert demo_module.DEMO_MARK not in second.output


def test_demo_writes_letters_on_a_day_no_acknowledgement_is_due(tmp_path, no_libreoffice):
    """2 December 2026: the sample has no acknowledgement due that day, but extensions are, so the
    demo still shows a batch of letters (it wrote none on such days when it asked for acknowledgements
    and consent requests only)."""
    folder = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--folder", str(folder), "--as-of", "2026-12-02"])
    assert result.exit_code == 0, result.output
    assert "No acknowledgement letter was due as of 02/12/2026" in result.output
    letters = list((folder / "Letters").rglob("*.docx"))
    assert letters and all(p.name.endswith("Extension.docx") for p in letters), result.output
    assert f"Letters/ ({len(letters)} letters in one folder per complaint)" in result.output
