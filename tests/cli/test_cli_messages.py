"""What an officer reads when a command is given a wrong name, folder or number.

Each test runs a command as the README shows it, with the mistake a reviewer
made, and checks the sentence (no Click wording, no exception names) and that
nothing was written where it should not be.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from xl_complaints.cli import main


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    path = tmp_path_factory.mktemp("reg") / "Complaints_Register.xlsm"
    result = CliRunner().invoke(main, ["init", str(path), "--sample", "60", "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# --- 2: the file's format must match its name --------------------------------------------------


@pytest.mark.parametrize("name", ["status.pdf", "status.txt", "status"])
def test_status_refuses_a_name_that_is_not_csv_or_xlsx(register, tmp_path, name):
    result = run("status", register, "--out", tmp_path / name)
    assert result.exit_code == 1, result.output
    assert "Status reports are saved as .csv or .xlsx: give --out a name ending in one of those." in result.output
    assert not (tmp_path / name).exists()


def test_status_refuses_a_format_that_is_not_the_names(register, tmp_path):
    result = run("status", register, "--format", "csv", "--out", tmp_path / "s.xlsx")
    assert result.exit_code == 1 and "give --out a name ending in .csv" in result.output
    assert not (tmp_path / "s.xlsx").exists()


def test_status_still_saves_csv_and_xlsx(register, tmp_path):
    for name in ("s.csv", "S.XLSX"):
        result = run("status", register, "--as-of", "2026-11-22", "--out", tmp_path / name)
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).exists()


def test_stats_refuses_a_workbook_not_named_xlsx_and_a_draft_not_named_docx(register, tmp_path):
    result = run("stats", register, "--year", "2025", "--out", tmp_path / "s.docx")
    assert result.exit_code == 1
    assert "Statistics workbooks are saved as .xlsx: give --out a name ending in .xlsx." in result.output
    result = run("stats", register, "--year", "2025", "--out", tmp_path / "s.xlsx", "--word", tmp_path / "report.pdf")
    assert result.exit_code == 1
    assert "Word drafts are saved as .docx: give --word a name ending in .docx." in result.output
    assert list(tmp_path.iterdir()) == []


def test_code_report_refuses_a_workbook_not_named_xlsx_and_a_draft_not_named_docx_and_takes_the_right_names(register, tmp_path):
    result = run("code-report", register, "--year", "2025", "--out", tmp_path / "code.docx", "--word", tmp_path / "code.docx")
    assert result.exit_code == 1
    assert "Workbooks of figures are saved as .xlsx: give --out a name ending in .xlsx." in result.output
    result = run("code-report", register, "--year", "2025", "--out", tmp_path / "code.xlsx", "--word", tmp_path / "code.pdf")
    assert result.exit_code == 1
    assert "Word drafts are saved as .docx: give --word a name ending in .docx." in result.output
    assert list(tmp_path.iterdir()) == []
    result = run("code-report", register, "--year", "2025", "--as-of", "2026-11-22",
                 "--out", tmp_path / "Code.XLSX", "--word", tmp_path / "Code.docx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Code.XLSX", "Code.docx"]


def test_reminders_refuse_a_calendar_not_named_ics_and_take_one_that_is(register, tmp_path):
    result = run("reminders", register, "--out", tmp_path / "reminders.txt")
    assert result.exit_code == 1
    assert "Calendar files are saved as .ics: give --out a name ending in .ics." in result.output
    assert list(tmp_path.iterdir()) == []
    result = run("reminders", register, "--as-of", "2026-11-22", "--out", tmp_path / "reminders.ics")
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["reminders.ics"]


# --- 3: a folder that does not exist is named ----------------------------------------------------


def test_status_names_the_missing_folder(register, tmp_path):
    missing = tmp_path / "nofolder" / "x"
    result = run("status", register, "--out", missing / "status.xlsx")
    assert result.exit_code == 1, result.output
    assert f"there is no folder {missing}. Create that folder, or choose another that exists." in result.output
    assert "No such file" not in result.output and ".tmp" not in result.output
    assert not (tmp_path / "nofolder").exists()


def test_stats_names_the_missing_folder_for_the_workbook_and_the_word_draft(register, tmp_path):
    missing = tmp_path / "nofolder"
    result = run("stats", register, "--year", "2025", "--out", missing / "s.xlsx")
    assert result.exit_code == 1 and f"there is no folder {missing}." in result.output
    result = run("stats", register, "--year", "2025", "--out", tmp_path / "s.xlsx", "--word", missing / "r.docx")
    assert result.exit_code == 1 and f"there is no folder {missing}." in result.output


def test_reminders_names_the_missing_folder(register, tmp_path):
    missing = tmp_path / "nofolder"
    result = run("reminders", register, "--out", missing / "r.ics")
    assert result.exit_code == 1, result.output
    assert f"there is no folder {missing}." in result.output


# --- 5: the log says what happened in words, not exception names --------------------------------


def test_the_log_records_a_failed_status_in_words(register, tmp_path):
    log = register.parent / "xl-complaints.log"
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    result = run("status", register, "--out", tmp_path / "nofolder" / "status.xlsx")
    assert result.exit_code == 1
    added = log.read_text(encoding="utf-8")[len(before):]
    assert "outcome='failed'" in added or "outcome=failed" in added, added
    assert "ClickException" not in added and "Exception" not in added


def test_the_plain_outcomes():
    import click

    from xl_complaints.cli.app import plain_outcome

    assert plain_outcome(click.ClickException("x")) == "failed"
    assert plain_outcome(click.BadParameter("x")) == "refused"
    assert plain_outcome(click.UsageError("x")) == "refused"
    assert plain_outcome(click.exceptions.Abort()) == "cancelled"


# --- 7: a year with nothing in it is said, not reported as zeros ---------------------------------


def test_stats_warns_of_a_year_with_no_representations(register, tmp_path):
    """Warned, not refused: a council's first year on the register is empty and still reported (other tests rely on it)."""
    out = tmp_path / "s.xlsx"
    result = run("stats", register, "--year", "1990", "--out", out)
    assert result.exit_code == 0, result.output
    assert "Warning: No representations were received in 1990/91 in this register: check the year." in result.stderr
    made = run("stats", register, "--year", "2025", "--as-of", "2026-11-22", "--out", out)
    assert made.exit_code == 0, made.output
    assert "No representations" not in made.output


# --- 8: letters --due with nothing due says so ----------------------------------------------------


def test_letters_due_with_none_due_says_none_was_due_as_of_the_date(register, tmp_path):
    # As of 1 January 2000 nothing in the register had been received, so no letter can be due.
    result = run("letters", register, "--type", "consent-request", "--due", "--as-of", "2000-01-01", "--out", tmp_path / "Letters")
    assert result.exit_code == 0, result.output
    assert "No consent request letter was due as of 01/01/2000, so none was written." in result.output
    assert not list((tmp_path / "Letters").rglob("*.docx"))


# --- a wrong choice, letter type or sample date is a sentence too ---------------------------------


@pytest.mark.parametrize("args, sentence", [
    (["status", "{register}", "--format", "pdf"], "--format is csv or xlsx, not 'pdf'."),
    (["stats", "{register}", "--format", "csv"], "--format is xlsx or json, not 'csv'."),
    (["workday", "2024-03-12", "10", "--region", "Narnia"], "--region is England and Wales, Scotland or Northern Ireland, not 'Narnia'."),
    (["letters", "{register}", "--type", "acknowledgment", "--due"], "There is no letter type 'acknowledgment': choose one of acknowledgement,"),
    (["sample", "--end", "someday"], "--end 'someday' is not a date: type it as 2024-03-12 or 12/03/2024."),
])
def test_a_wrong_choice_is_said_in_a_sentence(register, tmp_path, args, sentence):
    result = run(*[a.format(register=register) for a in args])
    assert result.exit_code == 2, result.output
    assert f"Error: {sentence}" in result.stderr
    assert "Invalid value" not in result.output and "is not one of" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_status_says_which_setting_it_did_not_use(register, tmp_path):
    """A Rule row naming a column the register lacks is left out; the weekly report says so, naming the row."""
    import openpyxl

    copy = tmp_path / "Complaints_Register.xlsm"
    copy.write_bytes(register.read_bytes())
    book = openpyxl.load_workbook(copy, keep_vba=True)
    sheet = book["Settings"]
    row = max(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value) + 1
    sheet.cell(row, 1).value, sheet.cell(row, 2).value = "Rule", "england-statutory: s1_response.from = s1_acknowledgment"
    book.save(copy)
    result = run("status", copy, "--as-of", "2026-11-22", "--out", tmp_path / "status.xlsx")
    assert result.exit_code == 0, result.output
    assert (f"Setting not used: Settings row {row}, 'Rule': Rulebook 'Children's social care statutory procedure (England)': "
            "s1_response: from 's1_acknowledgment' is not one of the register's date columns") in result.output
    assert "Setting not used" not in run("status", register, "--as-of", "2026-11-22", "--out", tmp_path / "plain.xlsx").output
