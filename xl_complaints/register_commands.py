"""The register's commands: init, check, status and refresh.

`check` and `status` only read (python-calamine, through the reader). `init`
and `refresh` write, say so, and go through writeback: never while Excel has
the register open, always with a backup, always by swapping in a complete file.
Registered on the `xl-complaints` group by one import at the bottom of cli.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import click

from .files import audit, outputs, writeback

from .core import schema, status

from .excel import workbook
from .cli import DATE, main, password_from_option
from .core.dates import as_of_or_today
from .files.reader import check_writable, read_register
from .excel.refresh import plan as refresh_plan
from .core.register import MISSING_COLUMN, CellTooLong, RegisterError, guard_cell

DEFAULT_REGISTER = Path("workbook") / "Complaints_Register.xlsm"
OUTPUT_HEADERS = ("Register row", "Reference") + tuple(c.header for c in schema.CALCULATED_COLUMNS)


def _fail(err: Exception):
    raise click.ClickException(str(err)) from None


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a CSV cell as a formula


def _safe_text(value):
    """Text a spreadsheet would run as a formula is given a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _warn_if_open(register: Path) -> None:
    locks = writeback.lock_files(register)
    if locks:
        click.echo(f"Note: {register.name} is open in Excel: this uses its last saved version.", err=True)



# --- init ----------------------------------------------------------------------------------------


@main.command()
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
        _fail(ValueError(f"{path.name}: the register must be an .xlsm file, because it holds macros."))
    if path.exists() and not force:
        _fail(FileExistsError(f"{path} already exists: nothing was changed. Use --force to replace it (a copy is kept in {writeback.BACKUP_FOLDER}/)."))
    as_of = as_of_or_today(as_of)
    records, learning = [], None
    if sample_rows:
        try:
            from .sample.complaints import generate
        except ImportError:
            _fail(RuntimeError("The sample register is not available in this installation."))
        records = generate(sample_rows, years=sample_years, seed=seed, end=as_of)
        from .sample.learning import generate as sample_learning; learning = sample_learning(records, seed=seed, end=as_of)  # noqa: E702
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        _fail(outputs.OutputError(outputs.plain_os_error(err, f"the folder for {path.name}", "Nothing was saved")))
    audit.start(path, "init", new=True)

    def make(tmp: Path):
        if path.exists() and not force:  # made by a colleague while we waited
            _fail(FileExistsError(f"{path} already exists: nothing was changed. Use --force to replace it."))
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
        _fail(err)
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


@main.command()
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(register: Path):
    """Report every problem in a register (sheet, row, column, value); exit 1 if there are errors.

    Reads only: the register is not changed.
    """
    audit.start(register, "check")
    try:
        loaded = read_register(register)
    except RegisterError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    # One list of problems: the reader's, then every one the status engine finds (status shows the same).
    found = status.row_problems(loaded.register.table, as_of_or_today(), loaded.register.holds, sheet=loaded.sheet)
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


def status_rows(loaded, as_of: dt.date) -> list[list]:
    """Register row, Reference and the calculated columns for every row: no personal data."""
    table = loaded.register.table
    assessed = status.assess(table, loaded.settings, as_of, loaded.register.row_problems(), loaded.register.holds)
    columns = [workbook.cell_values(assessed[key]) for key in schema.CALCULATED_KEYS]
    references = table["reference"].tolist()
    return [[int(row), references[i]] + [col[i] for col in columns] for i, row in enumerate(table.index)]


@main.command(name="status")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=DATE, help="Work out the status on this date (default: today).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default=None, help="Default: from --out's extension, else csv.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (csv: default the screen).")
@outputs.password_option
def status_command(register: Path, as_of: dt.date | None, fmt: str | None, out: Path | None, password_file: Path | None):
    """Write each complaint's Reference and calculated columns: the weekly overdue report.

    Reads only: the register is not changed. No names, addresses or other
    personal columns are written. Files are saved owner-only; with
    --password-file (or XL_COMPLAINTS_PASSWORD) the workbook is encrypted.
    """
    as_of = as_of_or_today(as_of)
    try:
        outputs.require_suffix(out, (f".{fmt}",) if fmt else (".csv", ".xlsx"), "Status reports" if not fmt else f"Status reports in {fmt}", "--out")
    except outputs.OutputError as err:
        _fail(err)
    fmt = fmt or (out.suffix.lower().lstrip(".") if out and out.suffix.lower() in (".csv", ".xlsx") else "csv")
    password = password_from_option(password_file)
    if password is not None and fmt != "xlsx":
        _fail(outputs.OutputError("Only the xlsx report can be password-protected: add --format xlsx."))
    audit.start(register, "status")
    _warn_if_open(register)
    try:
        loaded = read_register(register)
    except RegisterError as err:
        _fail(err)
    for text in loaded.notes:
        click.echo(f"Note: {text}", err=True)
    rows = status_rows(loaded, as_of)
    rag = [r[OUTPUT_HEADERS.index("RAG")] for r in rows]
    try:
        guard_report(rows)
        if fmt == "xlsx":
            out = out or Path(f"{register.stem} status {as_of.isoformat()}.xlsx")
            outputs.write_file(out, lambda p: write_status_xlsx(rows, p, as_of), "the status report", password)
        else:
            text = status_csv(rows)
            if out:
                outputs.write_file(out, lambda p: p.write_text(text, encoding="utf-8-sig", newline=""), "the status report")
            else:
                click.echo(text, nl=False)
    except (outputs.OutputError, CellTooLong) as err:
        _fail(err)
    audit.event("reported", rows=len(rows), red=rag.count("Red"), amber=rag.count("Amber"), check=rag.count("Check"),
                format=fmt, out=out.name if out else "screen", protected=password is not None, as_of=as_of)
    if out:
        click.echo(
            f"Wrote the status of {len(rows)} complaints as of {as_of:%d/%m/%Y} to {out}: "
            f"{rag.count('Red')} red, {rag.count('Amber')} amber, {rag.count('Check')} to check.",
            err=True,
        )


def guard_report(rows: list[list]) -> None:
    """Refuse, before anything is written, a report cell Excel could not hold (csv or xlsx alike)."""
    for r, row in enumerate(rows, start=2):
        for j, v in enumerate(row):
            if v.__class__ is str and len(v) > 16_383:  # the rare long text: judged exactly
                guard_cell(v, f"Status row {r}, column '{OUTPUT_HEADERS[j]}'", "The status report")


def status_csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_HEADERS)
    for row in rows:
        writer.writerow([f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else _whole(_safe_text(v)) for v in row])
    return buffer.getvalue()


def _whole(value):
    """Working days are whole numbers: 2, not 2.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def write_status_xlsx(rows: list[list], out: Path, as_of: dt.date) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": f"Complaints status as of {as_of:%d/%m/%Y}", "created": dt.datetime.combine(as_of, dt.time())})
    sheet = book.add_worksheet(f"Status as of {as_of:%d-%m-%Y}")  # the date on the tab, on screen
    header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top", "border": 1})
    date = book.add_format({"num_format": workbook.DATE_FORMAT})
    for col, name in enumerate(OUTPUT_HEADERS):
        sheet.write_string(0, col, name, header)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            workbook.write_cell(sheet, r, col, value if value != "" else None, date_fmt=date)
    sheet.autofilter(0, 0, max(len(rows), 1), len(OUTPUT_HEADERS) - 1)
    sheet.freeze_panes(1, 2)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header(f"&L&B Complaints status as of {as_of:%d/%m/%Y}&R&8OFFICIAL-SENSITIVE")
    sheet.set_footer(workbook.footer(as_of))
    widths = {"Next action": 60, "Eligibility": 40, "Problems": 50}
    for col, name in enumerate(OUTPUT_HEADERS):
        sheet.set_column(col, col, widths.get(name, 14), book.add_format({"num_format": "0"}) if name == "Working days left" else None)
    rag_col = OUTPUT_HEADERS.index("RAG")
    for value, (fill, font) in workbook.RAG_STYLES.items():
        fmt = book.add_format({"bg_color": fill, "font_color": font})
        sheet.conditional_format(1, rag_col, max(len(rows), 1), rag_col, {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt})
    book.close()
    return out


# --- refresh -------------------------------------------------------------------------------------


@main.command()
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
        check_writable(register, "Refreshing the register")  # a damaged file, or a cell Excel cannot hold, in a sentence
        result = writeback.write_package(register, lambda old: refresh_plan(old, as_of, static=static))
    except (writeback.RegisterInUse, writeback.WritebackError, RegisterError, OSError) as err:
        _fail(err)
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


@main.command()
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
            _fail(FileNotFoundError(f"There is no complete backup of {register.name} in {register.parent / writeback.BACKUP_FOLDER}."))
        source = whole[0]
    else:
        source = backup_file
        if not source.exists() and (register.parent / writeback.BACKUP_FOLDER / source.name).exists():
            source = register.parent / writeback.BACKUP_FOLDER / source.name
    audit.start(register, "restore", new=True)
    try:
        result = writeback.restore(register, source)
    except (writeback.RegisterInUse, writeback.WritebackError, FileNotFoundError) as err:
        _fail(err)
    audit.event("restored", restored_from=source.name, backup=result.backup.name if result.backup else "")
    click.echo(f"Put back {source.name} as {register}.")
    if result.backup:
        click.echo(f"The register it replaced was kept as {result.backup}.")
