"""init, check, status and refresh, as an officer or a scheduled job runs them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xl_complaints.core import schema

from xl_complaints.excel import workbook

from xl_complaints.files import writeback
from xl_complaints.reports import status_report
from xl_complaints.cli import main

import openpyxl_edit
from test_workbook import AS_OF, EDGE_RECORDS, as_cell, expected_status, sample_records

CLEAN = [r for r in EDGE_RECORDS if r.get("Reference") not in ("CSC-3", "CSC-4", "CSC-DUP", "CSC-7")]


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_the_commands_are_registered():
    assert {"init", "check", "status", "refresh"} <= set(main.commands)


def test_init_makes_the_default_register_and_will_not_overwrite_it(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(runner, "init", "--as-of", "2024-06-14")
    assert result.exit_code == 0, result.output
    path = tmp_path / "workbook" / "Complaints_Register.xlsm"
    assert path.exists() and f"Wrote {Path('workbook') / 'Complaints_Register.xlsm'}" in result.output
    before = path.read_bytes()
    again = run(runner, "init", "--as-of", "2024-06-15")
    assert again.exit_code != 0 and "already exists" in again.output and "--force" in again.output
    assert path.read_bytes() == before
    forced = run(runner, "init", "--force", "--as-of", "2024-06-15")
    assert forced.exit_code == 0 and "kept as" in forced.output
    (backup,) = (tmp_path / "workbook" / writeback.BACKUP_FOLDER).iterdir()
    assert backup.read_bytes() == before and path.read_bytes() != before


def test_init_refuses_a_register_open_in_excel_even_with_force(runner, tmp_path):
    path = tmp_path / "R.xlsm"
    assert run(runner, "init", path).exit_code == 0
    (tmp_path / "~$R.xlsm").write_text("")
    result = run(runner, "init", path, "--force")
    assert result.exit_code != 0 and "open in Excel" in result.output


def test_init_wants_a_macro_workbook(runner, tmp_path):
    result = run(runner, "init", tmp_path / "register.xlsx")
    assert result.exit_code != 0 and ".xlsm" in result.output
    assert not (tmp_path / "register.xlsx").exists()


def test_init_with_a_sample(runner, tmp_path):
    pytest.importorskip("xl_complaints.sample.complaints")
    path = tmp_path / "R.xlsm"
    result = run(runner, "init", path, "--sample", 25, "--as-of", "2024-06-14")
    assert result.exit_code == 0 and "25 complaints" in result.output
    table = openpyxl.load_workbook(path, keep_vba=True)[workbook.REGISTER].tables[workbook.TABLE]
    assert table.ref.endswith(str(workbook.HEADER_ROW + 25))


def test_check_passes_a_clean_register(runner, tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", CLEAN, as_of=AS_OF)
    result = run(runner, "check", path)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"{len(CLEAN) - 1} complaints; no problems found.")


def test_check_names_sheet_row_and_column_never_the_value_and_fails(runner, tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", EDGE_RECORDS, as_of=AS_OF)
    result = run(runner, "check", path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    row = workbook.FIRST_ROW + 2
    assert f"error: Register row {row}, column 'Date received': is not a real date" in lines
    assert any(f"Register row {workbook.FIRST_ROW + 3}, column 'Representation type': is not one of the values" in line for line in lines)
    assert "Complaintt" not in result.output and "31/02/2024" not in result.output
    assert any("the reference is used again on row" in line for line in lines)
    assert lines[-1].startswith(f"{path.name}: ") and "errors" in lines[-1]


def test_check_reports_a_file_that_is_not_a_register(runner, tmp_path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    result = run(runner, "check", path)
    assert result.exit_code == 2 and "Reference" in result.output


def test_status_csv_has_references_and_calculated_columns_only(runner, tmp_path):
    records = sample_records(80)
    path = workbook.build(tmp_path / "R.xlsm", records, as_of=AS_OF)
    result = run(runner, "status", path, "--as-of", "2024-06-14")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.output)))
    assert tuple(rows[0]) == status_report.OUTPUT_HEADERS
    personal = {c.header for c in schema.COLUMNS if c.personal}
    assert not personal & set(rows[0])
    expected = expected_status(records)
    assert len(rows) - 1 == len(expected)
    for line in rows[1:]:
        sheet_row = int(line[0])
        for key, text in zip(schema.CALCULATED_KEYS, line[2:]):
            value = as_cell(expected.at[sheet_row, key])
            if isinstance(value, dt.date):
                assert text == f"{value:%d/%m/%Y}", (sheet_row, key)
            elif isinstance(value, float):
                assert float(text) == value, (sheet_row, key)
            else:
                assert text == str(value), (sheet_row, key)
    injected = next(line for line in rows[1:] if line[1].endswith("CSC-2"))
    assert injected[1] == "'=CSC-2"  # a spreadsheet opening the CSV will not run it


def test_status_xlsx_report(runner, tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", EDGE_RECORDS, as_of=AS_OF)
    out = tmp_path / "weekly.xlsx"
    result = run(runner, "status", path, "--as-of", "2024-06-14", "--format", "xlsx", "--out", out)
    assert result.exit_code == 0 and "to check" in result.output
    ws = openpyxl.load_workbook(out).active
    assert tuple(c.value for c in ws[1]) == status_report.OUTPUT_HEADERS
    expected = expected_status(EDGE_RECORDS)
    assert ws.max_row - 1 == len(expected)
    refs = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
    assert ws.cell(refs["=CSC-2"], 2).data_type == "s"
    rag = status_report.OUTPUT_HEADERS.index("RAG") + 1
    assert {ws.cell(r, rag).value for r in range(2, ws.max_row + 1)} == set(expected["rag"])
    assert len(ws.conditional_formatting) == 1


def test_status_reads_only(runner, tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", CLEAN, as_of=AS_OF)
    before = path.read_bytes()
    status = run(runner, "status", path, "--out", tmp_path / "s.csv")
    assert status.exit_code == 0, status.output
    lines = list(csv.reader(io.StringIO((tmp_path / "s.csv").read_text(encoding="utf-8-sig"))))
    assert tuple(lines[0]) == status_report.OUTPUT_HEADERS
    assert len(lines) > 1 and "CSC-1" in {line[1] for line in lines[1:]}
    check = run(runner, "check", path)
    assert check.exit_code == 0 and "no problems found" in check.output, check.output
    assert path.read_bytes() == before
    assert not (tmp_path / writeback.BACKUP_FOLDER).exists()


def test_refresh_says_it_writes_and_does(runner, tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", CLEAN, as_of=AS_OF)
    result = run(runner, "refresh", path, "--as-of", "2024-07-01")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote to {path}: As-of date 01/07/2024")
    assert f"calculated values for {len(CLEAN)} rows" in result.output and "kept as" in result.output
    assert openpyxl.load_workbook(path, keep_vba=True)[workbook.REGISTER]["B2"].value.date() == dt.date(2024, 7, 1)


def test_refresh_works_with_the_cycle_collector_paused_and_resumes_it(runner, tmp_path, monkeypatch):
    """Refresh's cells make no cycles, and full collections over them cost a tenth of a second of
    a 5,000-row refresh: the collector is off while it reads, works out and writes, on after,
    whether the command succeeds or fails."""
    import gc

    from xl_complaints.cli import register as commands

    seen = []
    real = commands.refresh_plan
    monkeypatch.setattr(commands, "refresh_plan", lambda *a, **k: (seen.append(gc.isenabled()), real(*a, **k))[1])
    path = workbook.build(tmp_path / "R.xlsm", CLEAN, as_of=AS_OF)
    assert gc.isenabled()
    assert run(runner, "refresh", path, "--as-of", "2024-07-01").exit_code == 0
    assert seen == [False] and gc.isenabled()
    (tmp_path / "~$R.xlsm").write_text("")  # refused: the collector is back on all the same
    assert run(runner, "refresh", path).exit_code != 0 and gc.isenabled()


def test_refresh_refuses_while_the_register_is_open(runner, tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", CLEAN, as_of=AS_OF)
    before = path.read_bytes()
    (tmp_path / "~$R.xlsm").write_text("")
    result = run(runner, "refresh", path)
    assert result.exit_code != 0 and "open in Excel" in result.output
    assert path.read_bytes() == before


def test_refresh_reports_settings_it_cannot_use(runner, tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", CLEAN, as_of=AS_OF)
    openpyxl_edit.edit(path, lambda wb: wb[workbook.SETTINGS].append(["Amber when due within (working days)", "soon"]))
    result = run(runner, "refresh", path)
    assert result.exit_code == 0
    assert "Setting not used" in result.output and "'soon'" in result.output


def test_check_says_which_sheet_it_read_when_the_register_was_renamed(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Complaints 2024"
    book.active.append(["Reference", "Date received", "Representation type"])
    book.active.append(["R-1", "12/03/2024", "Complaint"])
    path = tmp_path / "renamed.xlsx"
    book.save(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert "note:" in result.output and "Complaints 2024" in result.output, result.output


def test_check_groups_missing_columns_into_one_line(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Register"
    book.active.append(["Reference", "Date received", "Representation type"])
    book.active.append(["R-1", "12/03/2024", "Complaint"])
    path = tmp_path / "short.xlsx"
    book.save(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "missing" in line]
    assert len(lines) == 1, result.output
    from xl_complaints.core.schema import INPUT_COLUMNS

    missing = sorted(c.header for c in INPUT_COLUMNS if c.header not in ("Reference", "Date received", "Representation type"))
    assert len(missing) > 50 and "Procedure" in missing
    assert lines[0] == f"warning: Register row 1: {len(missing)} columns are missing and treated as empty: {', '.join(missing)}"
