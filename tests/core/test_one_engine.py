"""One engine everywhere (issue 11): `check` and `status` name the same problems, and the
statistics use the same holds and counts as the statutory clocks.

Sources: the Regulations 2006 reg 14 (stage 1 in 10 working days); the 2016/17 annual report
(seed 002) table 1a (33 statutory representations: 31 complaints, 1 area initiated, 1 refused)
and table 2 (stage 1 total 33). Dates are worked by hand from GOV.UK's list (no bank holidays
in February 2025, nor in the 2016 dates used).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import xlsxwriter
from click.testing import CliRunner

from xl_complaints.reports import statistics

from xl_complaints.core import status
from xl_complaints.cli import main
from xl_complaints.core.register import from_records
from xl_complaints.core.schema import HOLD_COLUMNS, INPUT_COLUMNS
from xl_complaints.core.settings import Settings

D = dt.date


def write_register(path, records, holds=()):
    book = xlsxwriter.Workbook(str(path))
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, columns, rows in (("Register", INPUT_COLUMNS, records), ("Holds", HOLD_COLUMNS, holds)):
        if name == "Holds" and not rows:
            continue
        sheet = book.add_worksheet(name)
        for j, c in enumerate(columns):
            sheet.write(0, j, c.header)
        for i, record in enumerate(rows, start=1):
            for j, c in enumerate(columns):
                value = record.get(c.header)
                if isinstance(value, dt.date):
                    sheet.write_datetime(i, j, dt.datetime.combine(value, dt.time()), dates)
                elif value not in (None, ""):
                    sheet.write(i, j, value)
    book.close()


def complaint(reference, **fields):
    base = {"Reference": reference, "Date received": D(2025, 2, 3), "Representation type": "Complaint", "Procedure": "Statutory",
            "Received from": "Parent", "Parental responsibility": "Yes", "S1 acknowledged": D(2025, 2, 4)}
    base.update(fields)
    return base


RECORDS = [
    complaint("OK-1"),
    complaint("BAD-1", **{"S1 response sent": D(2025, 1, 30)}),  # the example: a response dated before receipt
    complaint("BAD-2", **{"S2 requested": D(2025, 2, 20)}),
    complaint("HELD-1"),
]
HOLDS = [
    {"Reference": "HELD-1", "Hold reason": "Court or police proceedings", "On hold from": D(2025, 2, 8), "On hold to": D(2025, 2, 16)},
    {"Reference": "HELD-1", "Hold reason": "Other", "On hold from": D(2025, 2, 20), "On hold to": D(2025, 2, 18)},
]


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "Complaints_Register.xlsx"
    write_register(path, RECORDS, HOLDS)
    return path


def test_check_and_status_name_the_same_problems(register):
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(register)])
    assert checked.exit_code == 1, checked.output
    assert "no problems found" not in checked.output
    reported = runner.invoke(main, ["status", str(register), "--as-of", "2025-03-03"])
    assert reported.exit_code == 0, reported.output
    rows = {r["Reference"]: r for r in csv.DictReader(io.StringIO(reported.output.split("\n", 1)[1] if not reported.output.startswith("Register row") else reported.output))}
    # status: the Problems column; check: one line per problem naming sheet, row and column.
    assert rows["BAD-1"]["Problems"] == "S1 response sent is before Date received" and rows["BAD-1"]["RAG"] == "Check"
    assert "error: Register row 3, column 'S1 response sent': S1 response sent is before Date received (the cell holds 'Thu 30 Jan 2025')" in checked.output
    assert rows["BAD-2"]["Problems"] == "Stage 2 requested but no S1 response sent recorded"
    assert "error: Register row 4, column 'S2 requested': Stage 2 requested but no S1 response sent recorded" in checked.output
    assert rows["HELD-1"]["Problems"] == "Holds row 3: On hold to is before On hold from"
    assert "error: Holds row 3, column 'On hold to': On hold to is before On hold from" in checked.output
    assert rows["OK-1"]["Problems"] == ""
    # the same list: every problem status shows is in check's output, and no more errors than that
    shown = [p for r in rows.values() for p in r["Problems"].split("; ") if p]
    errors = [line for line in checked.output.splitlines() if line.startswith("error:")]
    assert len(errors) == len(shown) == 3
    assert "3 errors" in checked.output


def test_the_holds_sheet_moves_the_due_date_through_the_commands(register):
    reported = CliRunner().invoke(main, ["status", str(register), "--as-of", "2025-02-18"])
    held = next(r for r in csv.DictReader(io.StringIO(reported.output)) if r["Reference"] == "HELD-1")
    # Mon 17 Feb 2025 + the 5 working days of Sat 8 - Sun 16 Feb = Mon 24 Feb 2025.
    assert held["Due date"] in ("2025-02-24", "24/02/2025")


def test_check_finds_nothing_in_a_clean_register(tmp_path):
    path = tmp_path / "clean.xlsx"
    write_register(path, [complaint("OK-1")])
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0 and "no problems found" in result.output, result.output


# --- the statistics: the same counts and holds ----------------------------------------------


def stats_of(records, settings=Settings(), holds=None, year=2016, as_of=D(2017, 6, 30)):
    return statistics.build(from_records(records).table, settings, year, as_of=as_of, holds=holds)


def test_table_2_stage_1_counts_every_statutory_representation_answered_at_stage_1():
    """2016/17 report: table 2's 33 equals table 1a's 33, the representation refused after a response included."""
    base = {"Procedure": "Statutory", "Date received": D(2016, 6, 1), "S1 response sent": D(2016, 6, 10)}
    records = [dict(base, Reference=f"C-{i}", **{"Representation type": "Complaint"}) for i in range(31)]
    records.append(dict(base, Reference="A-1", **{"Representation type": "Area initiated complaint"}))
    records.append(dict(base, Reference="R-1", **{"Representation type": "Refused", "Refusal reason": "Outside of Remit"}))
    stats = stats_of(records)
    assert stats.table("1a").row("total_statutory").number == 33
    assert stats.table("2").row("s1:total").number == 33
    assert any("every other statutory representation answered at stage 1" in note for note in stats.notes)
    only = stats_of(records, Settings(table2_stage1="complaints only"))
    assert only.table("2").row("s1:total").number == 32
    assert any("at stage 1 complaints only" in note for note in only.notes)


def test_a_refusal_with_no_stage_1_response_is_not_in_table_2():
    records = [{"Reference": "R-2", "Procedure": "Statutory", "Date received": D(2016, 6, 1), "Representation type": "Refused"}]
    assert stats_of(records).table("2").row("s1:total").number == 0


def test_statistics_take_off_the_holds_the_clock_adds():
    # Received Mon 3 Feb 2025, on hold Sat 8 - Sun 16 Feb (5), answered Mon 24 Feb: 15 working days less 5 = 10,
    # the register's Met (due Mon 24 Feb) is table 2's "in 10 working days".
    record = complaint("H-1", **{"S1 response sent": D(2025, 2, 24), "On hold from": D(2025, 2, 8), "On hold to": D(2025, 2, 16)})
    table = from_records([record]).table
    assert status.assess(table, Settings(), D(2025, 3, 1)).iloc[0]["rag"] == "Met"
    t2 = statistics.build(table, Settings(), 2024, as_of=D(2025, 3, 1)).table("2")
    assert (t2.row("s1:band1").number, t2.row("s1:average").number) == (1, 10)
    # the Holds sheet, passed the same way the clocks take it
    plain = from_records([complaint("H-2", **{"S1 response sent": D(2025, 2, 24)})])
    sheet = [{"Reference": "H-2", "Hold reason": "Tribunal", "On hold from": D(2025, 2, 8), "On hold to": D(2025, 2, 16)}]
    from xl_complaints.core.register import validate_holds

    holds, _ = validate_holds([c.header for c in HOLD_COLUMNS], [[h[c.header] for c in HOLD_COLUMNS] for h in sheet])
    t2 = statistics.build(plain.table, Settings(), 2024, as_of=D(2025, 3, 1), holds=holds).table("2")
    assert t2.row("s1:average").number == 10
    assert status.assess(plain.table, Settings(), D(2025, 3, 1), holds=holds).iloc[0]["rag"] == "Met"


def test_the_statistics_command_reads_the_holds_sheet(tmp_path):
    path = tmp_path / "r.xlsx"
    write_register(path, [complaint("H-2", **{"S1 response sent": D(2025, 2, 24)})],
                   [{"Reference": "H-2", "Hold reason": "Tribunal", "On hold from": D(2025, 2, 8), "On hold to": D(2025, 2, 16)}])
    from xl_complaints.reports.statistics_reader import read_for_statistics

    source = read_for_statistics(path)
    t2 = statistics.build(source.table, source.settings, 2024, as_of=D(2025, 3, 1), holds=source.holds).table("2")
    assert t2.row("s1:average").number == 10
