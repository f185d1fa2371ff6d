"""A hold typed only on the Holds sheet moves the dates everywhere the status command's do.

The complaint: statutory, received Monday 3 February 2025, on hold (Holds sheet
only) from Saturday 8 to Sunday 16 February 2025. Stage 1 is 10 working days
from receipt: without the hold Monday 17 February (4-7, 10-14, 17 February; no
bank holiday in England that month); the hold covers the five working days
10-14 February, so the response is due Monday 24 February 2025.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pandas as pd
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from xl_complaints import letters

from xl_complaints.core import schema

from xl_complaints.excel import udfs, workbook
from xl_complaints.cli import main
from xl_complaints.core.register import from_records, validate_holds
from xl_complaints.core.settings import Settings

D = dt.date
AS_OF = D(2025, 2, 18)
HELD = {"Reference": "CSC-H1", "Date received": D(2025, 2, 3), "Representation type": "Complaint", "Procedure": "Statutory",
        "Received from": "Parent", "Parental responsibility": "Yes", "S1 acknowledged": D(2025, 2, 4)}
HOLD = {"Reference": "CSC-H1", "Hold reason": "Court or police proceedings", "On hold from": D(2025, 2, 8), "On hold to": D(2025, 2, 16)}
PERSON = {"How received": "E-mail", "Complainant title": "Mrs", "Complainant first name": "Mair", "Complainant last name": "Hughes",
          "Address line 1": "1 Heol y Llan", "Town": "Exampleton", "Postcode": "EX1 2AB", "Child name": "Amy Hughes",
          "Child date of birth": D(2012, 5, 1), "Service": "Child in Need", "Responding manager": "Sam Patel", "Manager job title": "Team Manager"}
HELD = {**PERSON, **HELD}
WITH_HOLD, WITHOUT_HOLD = D(2025, 2, 24), D(2025, 2, 17)
HOLD_CELLS = [[c.header for c in schema.HOLD_COLUMNS], [HOLD[c.header] for c in schema.HOLD_COLUMNS]]


def due_on_register(path) -> dt.date:
    """The Due date grey column of the register's first row, as stored in the file."""
    book = CalamineWorkbook.from_path(str(path))
    try:
        rows = book.get_sheet_by_name(workbook.REGISTER).to_python()
    finally:
        book.close()
    header_at = next(i for i, r in enumerate(rows) if "Reference" in r)
    value = rows[header_at + 1][rows[header_at].index("Due date")]
    return value.date() if isinstance(value, dt.datetime) else value


def status_due(path, as_of: dt.date = AS_OF) -> str:
    result = CliRunner().invoke(main, ["status", str(path), "--as-of", as_of.isoformat()])
    assert result.exit_code == 0, result.output
    lines = [line.split(",") for line in result.stdout.splitlines()]
    return lines[1][lines[0].index("Due date")]


def test_the_status_command_reads_the_hold_from_the_holds_sheet(tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", [HELD], Settings(), AS_OF, holds=[HOLD])
    assert status_due(path) in ("24/02/2025", "2025-02-24")


def test_init_writes_the_holds_and_its_grey_columns_count_them(tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", [HELD], Settings(), AS_OF, holds=[HOLD])
    assert due_on_register(path) == WITH_HOLD
    book = CalamineWorkbook.from_path(str(path))
    assert book.get_sheet_by_name(workbook.HOLDS).to_python()[1][0] == "CSC-H1"
    book.close()


def test_refresh_counts_a_hold_on_the_holds_sheet(tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", [HELD], Settings(), AS_OF, holds=[HOLD])
    result = CliRunner().invoke(main, ["refresh", str(path), "--as-of", "2025-02-19"])
    assert result.exit_code == 0, result.output
    assert due_on_register(path) == WITH_HOLD


def test_refresh_counts_the_hold_and_shows_the_problems_without_loading_pandas(tmp_path):
    """Importing pandas is a fifth of refresh's time (core/table.py says why): the engine's answers reach the file without it."""
    muddled = {"Reference": "CSC-H2", "Date received": D(2025, 2, 3), "Representation type": "Complaint", "Service": "typed here by mistake"}
    path = workbook.build(tmp_path / "R.xlsm", [HELD, muddled], Settings(), AS_OF, holds=[HOLD])
    code = (
        "import sys\n"
        "from xl_complaints.cli import main\n"
        f"main(['refresh', {str(path)!r}, '--as-of', '2025-02-19'], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m == 'pandas' or m.startswith('pandas.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert due_on_register(path) == WITH_HOLD
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(workbook.REGISTER).to_python()
    book.close()
    header_at = next(i for i, r in enumerate(rows) if "Reference" in r)
    second = dict(zip(rows[header_at], rows[header_at + 2]))
    assert second["RAG"] == "Check" and "Service" in second["Problems"] and "typed here" not in second["Problems"]


def test_the_block_without_the_holds_sheet_keeps_the_old_date():
    headers = [c.header for c in schema.INPUT_COLUMNS]
    rows = [workbook.record_row(HELD)]
    assert workbook.calculated_block(headers, rows, Settings(), AS_OF)[0][1 + schema.CALCULATED_KEYS.index("due_date")] == WITHOUT_HOLD
    block = workbook.calculated_block(headers, rows, Settings(), AS_OF, holds=HOLD_CELLS)
    assert block[0][1 + schema.CALCULATED_KEYS.index("due_date")] == WITH_HOLD


def test_register_status_takes_the_holds_sheet_as_an_optional_argument():
    udfs.REMEMBERED.clear()
    cells = [[c.header for c in schema.INPUT_COLUMNS], workbook.record_row(HELD)]
    at = 1 + schema.CALCULATED_KEYS.index("due_date")
    old = udfs.register_status(cells, [["Setting", "Value"]], AS_OF)  # an old register's formula: three arguments
    assert old[0][at].date() == WITHOUT_HOLD
    # the Holds range as Excel hands it: header row, the hold, then the range's empty rows
    holds = [list(r) for r in HOLD_CELLS] + [[None] * 4] * 3
    new = udfs.register_status(cells, [["Setting", "Value"]], AS_OF, holds)
    assert new[0][at].date() == WITH_HOLD
    assert "register_holds" in workbook.LIVE_FORMULA


def _prepared(letter: str, as_of: dt.date, records, holds=None):
    register = from_records(records)
    prepared, refused = letters.prepare(register.table, Settings(), letter, as_of, holds=holds)
    assert not refused, refused
    return prepared[0].context


def test_a_letter_states_the_due_date_the_holds_sheet_gives():
    holds, _ = validate_holds(HOLD_CELLS[0], HOLD_CELLS[1:])
    record = {k: v for k, v in HELD.items() if k != "S1 acknowledged"}
    context = _prepared("acknowledgement", D(2025, 2, 17), [record], holds)
    assert "24 February 2025" in context["stage1_due_date"]


def test_the_letters_command_reads_the_holds_sheet(tmp_path):
    record = {k: v for k, v in HELD.items() if k != "S1 acknowledged"}
    path = workbook.build(tmp_path / "R.xlsm", [record], Settings(), D(2025, 2, 17), holds=[HOLD])
    results = letters.generate_for_rows(path, ["CSC-H1"], "acknowledgement", None, tmp_path / "letters", D(2025, 2, 17))
    assert results.written and not results.refused
    prepared, _ = letters.prepare(
        from_records([record]).table, Settings(), "acknowledgement", D(2025, 2, 17),
        holds=validate_holds(HOLD_CELLS[0], HOLD_CELLS[1:])[0],
    )
    assert "24 February 2025" in prepared[0].context["stage1_due_date"]


def test_a_corporate_complaint_received_before_the_code_gets_the_earlier_rulebooks_timescales():
    """Received 2 March 2026, before the Code applies (1 April 2026): the council's two-stage procedure, 30 days extended."""
    base = {**PERSON, "Representation type": "Complaint", "Procedure": "Corporate", "Received from": "Other", "S1 extended": "Yes"}
    before = dict(base, Reference="CORP-1", **{"Date received": D(2026, 3, 2), "S1 acknowledged": D(2026, 3, 3)})
    after = dict(base, Reference="CORP-2", **{"Date received": D(2026, 4, 6), "S1 acknowledged": D(2026, 4, 7)})
    assert _prepared("extension", D(2026, 3, 9), [before])["stage1_extended_days"] == 30
    assert _prepared("extension", D(2026, 4, 13), [after])["stage1_extended_days"] == 20
