"""Retention: closed complaints past the policy period, listed by reference only."""

import datetime as dt

from click.testing import CliRunner

from xl_complaints.cli import main
from xl_complaints.core.register import from_records
from xl_complaints.files.retention import due_for_deletion
from xl_complaints.core.settings import Settings

D = dt.date


def record(reference, **dates):
    base = {
        "Reference": reference,
        "Date received": D(2016, 5, 2),
        "Representation type": "Complaint",
        "Procedure": "Statutory",
        "Complainant last name": "Llewellyn",
    }
    base.update(dates)
    return base


RECORDS = [
    record("OLD-CLOSED", **{"S1 response sent": D(2016, 5, 10)}),  # window closed in 2016
    record("OLD-WITHDRAWN", **{"Withdrawn date": D(2016, 6, 1)}),
    record("OLD-BUT-STAGE-2", **{"S1 response sent": D(2016, 5, 10), "S2 requested": D(2016, 5, 20), "S2 accepted": D(2016, 5, 23), "S2 adjudication sent": D(2019, 3, 1)}),
    record("STILL-OPEN", **{"Date received": D(2016, 5, 2)}),  # never answered: open, never deleted
    record("RECENT", **{"Date received": D(2024, 1, 8), "S1 response sent": D(2024, 1, 15)}),
]


def test_only_closed_cases_past_six_years_are_listed():
    table = from_records(RECORDS).table
    expired = due_for_deletion(table, Settings(), D(2025, 1, 1))
    assert list(expired["Reference"]) == ["OLD-CLOSED", "OLD-WITHDRAWN"]
    assert expired.iloc[0]["Keep until"].date() == D(2022, 5, 10)


def test_retention_period_is_a_setting():
    table = from_records(RECORDS).table
    expired = due_for_deletion(table, Settings(retention_years=3), D(2026, 1, 1))
    assert "OLD-BUT-STAGE-2" in set(expired["Reference"])  # closed 2019 (window to stage 3 passed), kept 3 years


def test_command_lists_references_and_never_names(tmp_path):
    from xl_complaints.sample.complaints import write_xlsx

    path = write_xlsx(RECORDS, tmp_path / "register.xlsx")
    result = CliRunner().invoke(main, ["retention", str(path), "--as-of", "2025-01-01"])
    assert result.exit_code == 0, result.output
    assert "2 closed complaints are past the 6 years retention period on 01/01/2025" in result.output
    assert "OLD-CLOSED" in result.output and "10/05/2022" in result.output
    assert "OLD-BUT-STAGE-2" not in result.output
    assert "Llewellyn" not in result.output
    none = CliRunner().invoke(main, ["retention", str(path), "--as-of", "2017-01-01"])
    assert "No closed complaints are past" in none.output


def test_command_explains_a_missing_file(tmp_path):
    result = CliRunner().invoke(main, ["retention", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 1
    assert "There is no file at" in result.output and "Traceback" not in result.output


def test_command_reminds_that_backups_keep_deleted_complaints(tmp_path):
    import datetime as dt

    from xl_complaints.sample.complaints import write_xlsx
    from xl_complaints.files.writeback import backup, backup_made

    path = write_xlsx(RECORDS, tmp_path / "register.xlsx")
    made = backup(path, when=dt.datetime(2024, 2, 3, 10, 0, 0))
    assert backup_made(made) == dt.datetime(2024, 2, 3, 10, 0, 0)
    result = CliRunner().invoke(main, ["retention", str(path), "--as-of", "2025-01-01"])
    assert "1 backup in Backups/ (the oldest made 03/02/2024)" in result.output, result.output
