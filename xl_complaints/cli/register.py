"""The register's commands: init, check, status, refresh, restore and retention.

`check`, `status` and `retention` only read (python-calamine, through the reader). `init`,
`refresh` and `restore` write, say so, and go through writeback: never while Excel has the
register open, always with a backup, always by swapping in a complete file.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..core import learning as learning_sheets
from ..files import learning_sheets as learning_file
from ..core import status
from ..core.register import MISSING_COLUMN, CellTooLong, RegisterError
from ..excel import workbook, workbook_learning
from ..excel.refresh import plan as refresh_plan
from ..files import audit, outputs, writeback
from ..files.collector import collector_paused
from ..files.reader import check_writable
from ..reports import status_report
from ..core.dates import as_of_or_today
from .options import DATE, fail, open_register, password_from_option, password_option, save

DEFAULT_REGISTER = Path("workbook") / "Complaints_Register.xlsm"


# --- init ----------------------------------------------------------------------------------------


@click.command()
@click.argument("path", required=False, default=str(DEFAULT_REGISTER), type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an existing register; the old one is kept in Backups/ beside it.")
@click.option("--sample", "sample_rows", type=click.IntRange(min=1), help="Fill it with N fictitious complaints (training, demos).")
@click.option("--seed", default=1, show_default=True, help="Which fictitious register --sample makes.")
@click.option("--years", "sample_years", type=click.IntRange(1, 10), default=2, show_default=True,
              help="How many reporting years of complaints --sample makes.")
@click.option("--as-of", "as_of", type=DATE, help="The As-of date written into the register (default: today).")
def init(path: Path, force: bool, sample_rows: int | None, seed: int, sample_years: int, as_of: dt.date | None):
    """Create a new register workbook (default workbook/Complaints_Register.xlsm).

    The workbook is built from code, with the macros of the installed xlwings.
    It refuses to replace an existing register unless --force is given.
    """
    if path.suffix.lower() != ".xlsm":
        fail(f"{path.name}: the register must be an .xlsm file, because it holds macros.")
    if path.exists() and not force:
        fail(f"{path} already exists: nothing was changed. Use --force to replace it (a copy is kept in {writeback.BACKUP_FOLDER}/).")
    as_of = as_of_or_today(as_of)
    records, learning = [], None
    if sample_rows:
        try:
            from ..sample.complaints import generate
            from ..sample.learning import generate as sample_learning
        except ImportError:
            fail("The sample register is not available in this installation.")
        records = generate(sample_rows, years=sample_years, seed=seed, end=as_of)
        learning = sample_learning(records, seed=seed, end=as_of)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        fail(outputs.plain_os_error(err, f"the folder for {path.name}", "Nothing was saved"))
    audit.start(path, "init", new=True)

    def make(tmp: Path):
        if path.exists() and not force:  # made by a colleague while we waited
            fail(f"{path} already exists: nothing was changed. Use --force to replace it.")
        try:
            workbook.build(tmp, records, as_of=as_of, learning=learning)
        except Exception as err:  # XlsxWriter wraps a full disk in its own FileCreateError
            found = outputs.os_error_in(err)
            if found is None:
                raise
            outputs.release_quietly(err)
            raise writeback.WritebackError(outputs.plain_os_error(found, f"the new register {path.name}", _left_as_it_was(path))) from None

    try:
        kept = writeback.new_register(path, make).backup
    except (writeback.RegisterInUse, writeback.WritebackError, OSError) as err:
        fail(err)
    audit.event("wrote", rows=len(records), as_of=as_of, backup=kept.name if kept else "")
    click.echo(
        f"Wrote {path} ({len(records)} complaint{'s' if len(records) != 1 else ''}, as of {as_of:%d/%m/%Y}, "
        f"macros from xlwings {workbook.installed_xlwings_version()})."
    )
    if kept:
        click.echo(f"The previous register was kept as {kept}.")
    click.echo("Open it in Excel and press 'Enable live formulas' once (docs/install-windows.md).")


def _left_as_it_was(path: Path) -> str:
    return f"{path.name} was left as it was" if path.exists() else "Nothing was saved"


# --- check ---------------------------------------------------------------------------------------


@click.command()
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(register: Path):
    """Report every problem in a register (sheet, row, column, value); exit 1 if there are errors.

    Reads only: the register is not changed.
    """
    audit.start(register, "check")
    loaded = open_register(register, in_excel=None, unreadable_exit=2)
    # One list of problems: the reader's, then every one the status engine finds (status shows the same).
    found = status.row_problems(loaded.register.table, as_of_or_today(), loaded.register.holds, sheet=loaded.sheet)
    found += learning_file.read_learning(loaded.path, loaded.register.table).problems  # Actions, Remedies, Ombudsman cases, Service requests
    problems = sorted(loaded.register.problems + found, key=lambda p: (p.sheet != loaded.sheet, p.sheet, p.row))
    errors_found = [p for p in problems if p.severity == "error"]
    for text in loaded.notes:
        click.echo(f"note: {text}")
    for text in loaded.settings_problems:
        click.echo(f"error: {text}")
    missing = [p for p in problems if p.message == MISSING_COLUMN]
    if missing:  # one line, not fifty, for a register that simply has fewer columns
        click.echo(
            f"warning: {missing[0].sheet} row {missing[0].row}: {len(missing)} column{'s are' if len(missing) != 1 else ' is'} "
            f"missing and treated as empty: {', '.join(p.column for p in missing)}"
        )
    for p in problems:
        if p.message != MISSING_COLUMN:
            click.echo(f"{p.severity}: {p}")
    errors = len(errors_found) + len(loaded.settings_problems)
    warnings = len(problems) - len(errors_found)
    rows = len(loaded.register.table)
    audit.event("checked", rows=rows, errors=errors, warnings=warnings)
    if errors or warnings:
        click.echo(f"{register.name}: {rows} complaints; {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}.")
    else:
        click.echo(f"{register.name}: {rows} complaints; no problems found.")
    sys.exit(1 if errors else 0)


# --- status --------------------------------------------------------------------------------------


@click.command(name="status")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=DATE, help="Work out the status on this date (default: today).")
@click.option("--format", "fmt", type=click.Choice(list(status_report.FORMATS)), default=None, help="Default: from --out's extension, else csv.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (csv: default the screen).")
@password_option
def status_command(register: Path, as_of: dt.date | None, fmt: str | None, out: Path | None, password_file: Path | None):
    """Write each complaint's Reference and calculated columns: the weekly overdue report.

    Reads only: the register is not changed. No names, addresses or other
    personal columns are written. Files are saved owner-only; with
    --password-file (or XL_COMPLAINTS_PASSWORD) the workbook is encrypted.
    """
    as_of = as_of_or_today(as_of)
    suffixes = tuple(f".{f}" for f in status_report.FORMATS)
    try:
        outputs.require_suffix(out, (f".{fmt}",) if fmt else suffixes, "Status reports" if not fmt else f"Status reports in {fmt}", "--out")
    except outputs.OutputError as err:
        fail(err)
    fmt = fmt or (out.suffix.lower().lstrip(".") if out and out.suffix.lower() in suffixes else "csv")
    password = password_from_option(password_file)
    if password is not None and fmt != "xlsx":
        fail("Only the xlsx report can be password-protected: add --format xlsx.")
    audit.start(register, "status")
    loaded = open_register(register, notes=True)
    for text in loaded.settings_problems:  # the status was worked out without them: say so, as refresh and letters do
        click.echo(f"Setting not used: {text}", err=True)
    rows = status_report.status_rows(loaded, as_of)
    try:
        status_report.guard_report(rows)
    except CellTooLong as err:
        fail(err)
    items, deadlines = learning_file.status_part(loaded.path, loaded.register.table, loaded.settings, as_of)  # actions, Ombudsman
    deadlines_out = None
    if fmt == "xlsx":
        out = out or status_report.default_name(register, as_of, "xlsx")
        save(out, lambda p: status_report.write_status_xlsx(rows, p, as_of, deadlines if items.present else None), "the status report", password)
    elif out:
        save(out, lambda p: status_report.write_status_csv(rows, p), "the status report")
        if deadlines:  # a second file, beside the first, only when there is something to list
            deadlines_out = out.with_name(f"{out.stem} {status_report.STATUS_SHEET}.csv")
            save(deadlines_out, lambda p: p.write_text(learning_sheets.deadlines_csv(deadlines), encoding="utf-8-sig", newline=""),
                 "the list of actions and Ombudsman deadlines")
    else:
        click.echo(status_report.status_csv(rows), nl=False)
    rag = status_report.rag_counts(rows)
    audit.event("reported", rows=len(rows), **rag, format=fmt, out=out.name if out else "screen", protected=password is not None, as_of=as_of)
    if out:
        click.echo(
            f"Wrote the status of {len(rows)} complaints as of {as_of:%d/%m/%Y} to {out}: "
            f"{rag['red']} red, {rag['amber']} amber, {rag['check']} to check.",
            err=True,
        )
    if items.present and out:  # on screen, the CSV is all there is (as with the line above)
        where = f" (listed in {deadlines_out})" if deadlines_out else f" (listed on the '{status_report.STATUS_SHEET}' sheet)" if fmt == "xlsx" else ""
        click.echo(learning_sheets.overdue_line(deadlines, where), err=True)
    if items.problems and out:
        click.echo(f"Note: the {', '.join(items.present)} sheets have {len(items.problems)} problem{'s' if len(items.problems) != 1 else ''}: "
                   "'xl-complaints check' lists them by sheet, row and column.", err=True)


# --- refresh -------------------------------------------------------------------------------------


@click.command()
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=DATE, help="The As-of date to write (default: today).")
@click.option("--static", is_flag=True, help="Write values into the calculated columns even if live formulas are on.")
def refresh(register: Path, as_of: dt.date | None, static: bool):
    """WRITES to the register: As-of date, Holidays sheet and calculated values.

    Refuses while the register is open in Excel; keeps a copy of the old file
    in Backups/ beside it.
    """
    as_of = as_of_or_today(as_of)
    audit.start(register, "refresh")
    try:
        with collector_paused():  # hundreds of thousands of cells and no cycle among them
            check_writable(register, "Refreshing the register")  # a damaged file, or a cell Excel cannot hold, in a sentence
            result = writeback.write_package(register, lambda old: refresh_plan(old, as_of, static=static))
    except (writeback.RegisterInUse, writeback.WritebackError, RegisterError, OSError) as err:
        fail(err)
    done = result.outcome
    audit.event("wrote", rows=done.rows, holidays=done.holidays, block=done.block, as_of=as_of,
                backup=result.backup.name if result.backup else "")
    click.echo(f"Wrote to {register}: As-of date {as_of:%d/%m/%Y}; {done.holidays} bank holidays and closure days on the {workbook.HOLIDAYS} sheet;")
    if done.block == "values":
        click.echo(f"  calculated values for {done.rows} rows.")
    else:
        click.echo("  the calculated columns are live formulas: Excel works them out when the register is opened (use --static to write values).")
    for text in done.settings_problems:
        click.echo(f"Setting not used: {text}", err=True)
    if result.backup:
        click.echo(f"The previous file was kept as {result.backup}.")
    if result.cleared_stale_lock:
        click.echo("A lock file left by an earlier command that stopped part-way was cleared first; the register was whole.", err=True)


# --- restore -------------------------------------------------------------------------------------


@click.command()
@click.argument("register", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--backup", "backup_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The backup to put back (a file in Backups/, by name or path).")
@click.option("--latest", is_flag=True, help="Put back the newest backup.")
def restore(register: Path, backup_file: Path | None, latest: bool):
    """List the register's backups (newest first), or put one back with --backup FILE or --latest.

    WRITES to the register when a backup is chosen: refuses while Excel has it
    open, and keeps the register it replaces in Backups/ too, so a restore can
    itself be undone.
    """
    kept = writeback.backups(register)
    if backup_file is None and not latest:
        if not kept:
            click.echo(f"There are no backups of {register.name} in {register.parent / writeback.BACKUP_FOLDER}.")
            return
        click.echo(f"Backups of {register.name}, newest first:")
        for path in kept:
            size = path.stat().st_size
            note = "" if writeback.is_whole_workbook(path) else "  (damaged: cannot be restored)"
            click.echo(f"  {path.name}  {size / 1024:,.0f} KB{note}")
        click.echo(f'To put one back: xl-complaints restore "{register}" --backup "{kept[0].name}"  (or --latest)')
        return
    if latest:
        whole = [path for path in kept if writeback.is_whole_workbook(path)]
        if not whole:
            fail(f"There is no complete backup of {register.name} in {register.parent / writeback.BACKUP_FOLDER}.")
        source = whole[0]
    else:
        source = backup_file
        if not source.exists() and (register.parent / writeback.BACKUP_FOLDER / source.name).exists():
            source = register.parent / writeback.BACKUP_FOLDER / source.name
    audit.start(register, "restore", new=True)
    try:
        result = writeback.restore(register, source)
    except (writeback.RegisterInUse, writeback.WritebackError, FileNotFoundError) as err:
        fail(err)
    audit.event("restored", restored_from=source.name, backup=result.backup.name if result.backup else "")
    click.echo(f"Put back {source.name} as {register}.")
    if result.backup:
        click.echo(f"The register it replaced was kept as {result.backup}.")


# --- retention -----------------------------------------------------------------------------------


@click.command()
@click.argument("register", type=click.Path(dir_okay=False))
@click.option("--as-of", type=DATE, default=None, help="The date to judge by (default: today).")
@click.option("--years", type=click.IntRange(1, 100), default=None, help="Retention period after closure (default: the Settings sheet's, 6 years).")
def retention(register, as_of, years):
    """List closed complaints kept longer than the retention period (references only)."""
    from ..files.retention import due_for_deletion

    audit.start(register, "retention")
    found = open_register(register, in_excel=None)
    settings = found.settings if years is None else found.settings.replace(retention_years=years)
    as_of = as_of_or_today(as_of)
    expired = due_for_deletion(found.register.table, settings, as_of)
    audit.event("listed", rows=len(found.register.table), expired=len(expired), as_of=as_of)
    period = f"{settings.retention_years} year{'s' if settings.retention_years != 1 else ''}"
    if expired.empty:
        click.echo(f"No closed complaints are past the {period} retention period on {as_of:%d/%m/%Y}.")
        return
    click.echo(f"{len(expired)} closed complaint{'s are' if len(expired) != 1 else ' is'} past the {period} retention period on {as_of:%d/%m/%Y}:")
    click.echo(f"{'Reference':<20} {'Status':<10} {'Closed on':<11} Keep until")
    for reference, status_, closed_on, keep_until in expired.itertuples(index=False):
        click.echo(f"{reference:<20} {status_:<10} {closed_on:%d/%m/%Y}  {keep_until:%d/%m/%Y}")
    _mention_backups(found.path)


def _mention_backups(register) -> None:
    """Backups are whole copies of the register: deleting a complaint leaves it in every older backup."""
    kept = writeback.backups(register)
    if kept:
        oldest = f"{writeback.backup_made(kept[-1]):%d/%m/%Y}"
        click.echo(
            f"\nThe register also has {len(kept)} backup{'s' if len(kept) != 1 else ''} in Backups/ (the oldest made {oldest}). "
            "Each is a whole copy of the register as it was, so complaints deleted from the register stay in the backups "
            "made before: delete those backups too once you no longer need them to undo a change."
        )
