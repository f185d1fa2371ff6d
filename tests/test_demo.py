"""The demo: the README's first command, end to end on fictitious data."""

import datetime as dt

from click.testing import CliRunner
from openpyxl import load_workbook

from xl_complaints.cli import main


def test_demo_makes_the_register_report_letters_and_statistics(tmp_path):
    folder = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--folder", str(folder), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    names = {p.name for p in folder.iterdir()}
    assert {"Complaints_Register.xlsm", "Status report.xlsx", "Statistics 2025-26.xlsx", "Annual report 2025-26 (draft).docx"} <= names
    assert list((folder / "Letters").rglob("*Acknowledgement.docx")), result.output
    assert "no problems found" in result.output
    report = load_workbook(folder / "Status report.xlsx", read_only=True)
    headers = [c.value for c in next(report.active.iter_rows(max_row=1))]
    assert "Reference" in headers and "RAG" in headers
    assert not any(h in headers for h in ("Complainant last name", "Child name", "Email"))


def test_demo_defaults_to_today(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo", "--rows", "80"])
    assert result.exit_code == 0, result.output
    year = dt.date.today().year
    assert (tmp_path / "demo" / "Complaints_Register.xlsm").exists()
    assert str(year - 2)[-2:] in result.output or str(year - 1)[-2:] in result.output
