"""The commands built on the Actions, Remedies and Ombudsman cases sheets: reminders, code-report, quarterly.

They only read the register (python-calamine, through the reader and learning.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..core.register import RegisterError
from ..files import audit, learning_sheets, outputs
from ..reports import reminders
from ..core.dates import as_of_or_today
from .options import DATE, fail, open_register, save


def load(register: Path):
    """The register and its learning sheets, with their problems told on stderr (as sheet, row and column)."""
    found = open_register(register, in_excel=None, notes=True)
    try:
        items = learning_sheets.read_learning(found.path, found.register.table)
    except RegisterError as err:
        fail(err)
    for p in items.problems:
        click.echo(f"{p.severity.capitalize()}: {p}", err=True)
    return found, items


@click.command(name="reminders")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--days", type=click.IntRange(0, 366), default=10, show_default=True,
              help="How many calendar days ahead, from the as-of date.")
@click.option("--as-of", "as_of", type=DATE, help="The first day of the window (default: today).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The .ics file to write (default: beside where you are).")
def reminders_command(register: Path, days: int, as_of: dt.date | None, out: Path | None):
    """Write the deadlines due in the next DAYS days as a calendar file (.ics) to import into Outlook.

    One all-day event per complaint milestone, learning action and Ombudsman
    deadline due in the window. Events name the reference and the step only,
    never a person or anything typed as free text. Importing a later file
    updates the same events. Reads only: the register is not changed.
    """
    as_of = as_of_or_today(as_of)
    try:
        outputs.require_suffix(out, (".ics",), "Calendar files", "--out")
    except outputs.OutputError as err:
        fail(err)
    audit.start(register, "reminders")
    found, items = load(register)
    due, left_out = reminders.due_in_window(found.register.table, items, found.settings, as_of, days, found.register.row_problems())
    out = out or Path(f"{register.stem} reminders {as_of.isoformat()}.ics")
    data = reminders.calendar_bytes(due, as_of)
    save(out, lambda p: p.write_bytes(data), "the reminders file")
    audit.event("reminders", events=len(due), days=days, as_of=as_of, out=out.name, overdue=left_out["overdue"])
    last = as_of + dt.timedelta(days=days)
    click.echo(f"Wrote {out}: {len(due)} deadline{'s' if len(due) != 1 else ''} due from {as_of:%d/%m/%Y} to {last:%d/%m/%Y}.")
    if left_out["overdue"]:
        click.echo(f"{left_out['overdue']} already overdue {'are' if left_out['overdue'] != 1 else 'is'} not in the file: "
                   "'xl-complaints status' lists the complaints, the Actions and Ombudsman cases sheets' RAG columns the rest.")
    if left_out["on hold"]:
        click.echo(f"{left_out['on hold']} complaint{'s' if left_out['on hold'] != 1 else ''} on hold "
                   f"{'are' if left_out['on hold'] != 1 else 'is'} not in the file: their due dates move until the hold ends.")


@click.command(name="code-report")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=click.IntRange(2000, 2100), required=True,
              help="The reporting year by its first calendar year: 2026 is April 2026 to March 2027.")
@click.option("--as-of", "as_of", type=DATE, help="The day the report is made (default: today); actions and remedies are judged at the year end or this day, if sooner.")
@click.option("--word", type=click.Path(dir_okay=False, path_type=Path), help="The Word draft (default: beside where you are).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The workbook of figures (default: beside where you are).")
@click.option("--suppress-under", type=click.IntRange(0, 100), default=5, show_default=True,
              help="Show numbers from 1 to this less one as *, as the statutory report does (0: show every number).")
def code_report_command(register: Path, year: int, as_of: dt.date | None, word: Path | None, out: Path | None, suppress_under: int):
    """Write the Complaint Handling Code's annual complaints performance and service improvement report.

    Corporate complaints only. A Word draft and a workbook with the measurable
    parts worked out from the register's rows and its Actions, Remedies and
    Ombudsman cases sheets, and the self-assessment from its Self-assessment
    sheet. Reads only: the register is not changed.
    """
    from ..reports import code_report, code_report_export

    as_of = as_of_or_today(as_of)
    try:
        outputs.require_suffix(word, (".docx",), "Word drafts", "--word")
        outputs.require_suffix(out, (".xlsx",), "Workbooks of figures", "--out")
    except outputs.OutputError as err:
        fail(err)
    audit.start(register, "code-report")
    source = open_register(register, lambda path: code_report.read_for_code_report(path, year), in_excel=None)
    for text in source.notes:
        click.echo(f"Note: {text}", err=True)
    for text in source.settings_problems:
        click.echo(f"Warning: {text}", err=True)
    for p in source.problems:
        click.echo(f"{p.severity.capitalize()}: {p}", err=True)
    report = code_report.build(source.table, source.learning, source.settings, year, as_of, source.self_assessment,
                               lists=source.lists, holds=source.holds)
    if suppress_under and suppress_under > 1:
        report = code_report.suppressed(report, suppress_under)
    label = report.stats.period.label.replace("/", "-")
    word = word or Path(f"Code report {label}.docx")
    out = out or Path(f"Code report {label}.xlsx")
    save(word, lambda p: code_report_export.write_word(report, p), "the Word draft")
    save(out, lambda p: code_report_export.write_workbook(report, p), "the workbook of figures")
    received = report.stats.table("c1").row("total").number
    audit.event("code-report", year=year, complaints=received, as_of=as_of, word=word.name, out=out.name)
    click.echo(f"Wrote {word} and {out}: the Code report for {report.stats.period.label} "
               f"({received} corporate complaint{'s' if received != 1 else ''} received).")


@click.command(name="quarterly")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quarter", "quarter_text", metavar="YEAR-QN",
              help="The quarter of the reporting year, e.g. 2026-Q3 (October to December 2026 when the year starts in April). "
                   "Default: the last quarter finished.")
@click.option("--as-of", "as_of", type=DATE, help="The day the summary is made (default: today); nothing dated later is counted.")
@click.option("--word", type=click.Path(dir_okay=False, path_type=Path), help="The Word document (default: beside where you are).")
@click.option("--suppress-under", type=click.IntRange(0, 100), default=5, show_default=True,
              help="Show numbers from 1 to this less one as *, as the annual reports do (0: show every number).")
def quarterly_command(register: Path, quarter_text: str | None, as_of: dt.date | None, word: Path | None, suppress_under: int):
    """Write the quarterly summary for the Member Responsible for Complaints (one or two pages).

    Complaints received, responses sent on time, the services and natures
    complained about most, learning actions due and overdue, and the Ombudsman's
    cases, for the quarter and the one before. Reads only: the register is not changed.
    """
    from ..reports import quarterly

    as_of = as_of_or_today(as_of)
    audit.start(register, "quarterly")
    found, items = load(register)
    start_month = found.settings.year_start_month
    try:
        q = quarterly.parse_quarter(quarter_text, start_month) if quarter_text else quarterly.last_finished(as_of, start_month)
        stats = quarterly.build(found.register.table, items, found.settings, q, as_of, found.register.holds, found.lists)
    except ValueError as err:
        fail(err)
    if suppress_under and suppress_under > 1:
        stats = quarterly.suppressed(stats, suppress_under)
    word = word or Path(f"Complaints summary {q.year}-Q{q.number}.docx")
    try:
        outputs.require_suffix(word, (".docx",), "Word documents", "--word")
    except outputs.OutputError as err:
        fail(err)
    save(word, lambda p: quarterly.write_word(stats, p), "the quarterly summary")
    received = stats.table("received").row("total").number
    audit.event("quarterly", quarter=f"{q.year}-Q{q.number}", complaints=received, as_of=as_of, word=word.name)
    click.echo(f"Wrote {word}: the complaints summary for {q.label} ({q.months}).")
