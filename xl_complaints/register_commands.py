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

from . import schema, status, workbook, writeback
from .cli import DATE, main
from .reader import read_register
from .register import RegisterError
from .settings import settings_from_rows

DEFAULT_REGISTER = Path("workbook") / "Complaints_Register.xlsm"
OUTPUT_HEADERS = ("Register row", "Reference") + tuple(c.header for c in schema.CALCULATED_COLUMNS)


def _fail(err: Exception):
    raise click.ClickException(str(err)) from None


def _safe_text(value):
    """Text a spreadsheet would run as a formula is given a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


# --- init ----------------------------------------------------------------------------------------


@main.command()
@click.argument("path", required=False, default=str(DEFAULT_REGISTER), type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace an existing register; the old one is kept in Backups/ beside it.")
@click.option("--sample", "sample_rows", type=click.IntRange(min=1), help="Fill it with N fictitious complaints (training, demos).")
@click.option("--seed", default=1, show_default=True, help="Which fictitious register --sample makes.")
@click.option("--as-of", "as_of", type=DATE, help="The As-of date written into the register (default: today).")
def init(path: Path, force: bool, sample_rows: int | None, seed: int, as_of: dt.date | None):
    """Create a new register workbook (default workbook/Complaints_Register.xlsm).

    The workbook is built from code, with the macros of the installed xlwings.
    It refuses to replace an existing register unless --force is given.
    """
    if path.suffix.lower() != ".xlsm":
        _fail(ValueError(f"{path.name}: the register must be an .xlsm file, because it holds macros."))
    if path.exists() and not force:
        _fail(FileExistsError(f"{path} already exists: nothing was changed. Use --force to replace it (a copy is kept in {writeback.BACKUP_FOLDER}/)."))
    as_of = as_of or dt.date.today()
    records = []
    if sample_rows:
        try:
            from .sample import generate
        except ImportError:
            _fail(RuntimeError("The sample register is not available in this installation."))
        records = generate(sample_rows, seed=seed, end=as_of)
    try:
        if path.exists():
            writeback.check_not_open(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = writeback.temporary_path(path)
        try:
            workbook.build(tmp, records, as_of=as_of)
            kept = writeback.replace_safely(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
    except (writeback.RegisterInUse, OSError) as err:
        _fail(err)
    click.echo(
        f"Wrote {path} ({len(records)} complaint{'s' if len(records) != 1 else ''}, as of {as_of:%d/%m/%Y}, "
        f"macros from xlwings {workbook.installed_xlwings_version()})."
    )
    if kept:
        click.echo(f"The previous register was kept as {kept}.")
    click.echo("Open it in Excel and press 'Enable live formulas' once (docs/install-windows.md).")


# --- check ---------------------------------------------------------------------------------------


@main.command()
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(register: Path):
    """Report every problem in a register (sheet, row, column, value); exit 1 if there are errors.

    Reads only: the register is not changed.
    """
    try:
        loaded = read_register(register)
    except RegisterError as err:
        click.echo(str(err), err=True)
        sys.exit(2)
    problems = loaded.register.problems
    for text in loaded.settings_problems:
        click.echo(f"error: {text}")
    for p in problems:
        click.echo(f"{p.severity}: {p}")
    errors = len(loaded.register.errors) + len(loaded.settings_problems)
    warnings = len(problems) - len(loaded.register.errors)
    rows = len(loaded.register.table)
    if errors or warnings:
        click.echo(f"{register.name}: {rows} complaints; {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}.")
    else:
        click.echo(f"{register.name}: {rows} complaints; no problems found.")
    sys.exit(1 if errors else 0)


# --- status --------------------------------------------------------------------------------------


def status_rows(loaded, as_of: dt.date) -> list[list]:
    """Register row, Reference and the calculated columns for every row: no personal data."""
    table = loaded.register.table
    assessed = status.assess(table, loaded.settings, as_of, loaded.register.row_problems())
    columns = [workbook.cell_values(assessed[key]) for key in schema.CALCULATED_KEYS]
    references = table["reference"].tolist()
    return [[int(row), references[i]] + [col[i] for col in columns] for i, row in enumerate(table.index)]


@main.command(name="status")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-of", "as_of", type=DATE, help="Work out the status on this date (default: today).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default=None, help="Default: from --out's extension, else csv.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="File to write (csv: default the screen).")
def status_command(register: Path, as_of: dt.date | None, fmt: str | None, out: Path | None):
    """Write each complaint's Reference and calculated columns: the weekly overdue report.

    Reads only: the register is not changed. No names, addresses or other
    personal columns are written.
    """
    as_of = as_of or dt.date.today()
    fmt = fmt or (out.suffix.lower().lstrip(".") if out and out.suffix.lower() in (".csv", ".xlsx") else "csv")
    try:
        loaded = read_register(register)
    except RegisterError as err:
        _fail(err)
    rows = status_rows(loaded, as_of)
    if fmt == "xlsx":
        out = out or Path(f"{register.stem} status {as_of.isoformat()}.xlsx")
        write_status_xlsx(rows, out, as_of)
    else:
        text = status_csv(rows)
        if out:
            out.write_text(text, encoding="utf-8-sig", newline="")
        else:
            click.echo(text, nl=False)
    if out:
        rag = [r[OUTPUT_HEADERS.index("RAG")] for r in rows]
        click.echo(
            f"Wrote the status of {len(rows)} complaints as of {as_of:%d/%m/%Y} to {out}: "
            f"{rag.count('Red')} red, {rag.count('Amber')} amber, {rag.count('Check')} to check.",
            err=True,
        )


def status_csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_HEADERS)
    for row in rows:
        writer.writerow([f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else _safe_text(v) for v in row])
    return buffer.getvalue()


def write_status_xlsx(rows: list[list], out: Path, as_of: dt.date) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": f"Complaints status as of {as_of:%d/%m/%Y}", "created": dt.datetime.combine(as_of, dt.time())})
    sheet = book.add_worksheet("Status")
    header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top", "border": 1})
    date = book.add_format({"num_format": workbook.DATE_FORMAT})
    for col, name in enumerate(OUTPUT_HEADERS):
        sheet.write_string(0, col, name, header)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            workbook.write_cell(sheet, r, col, value if value != "" else None, date_fmt=date)
    sheet.autofilter(0, 0, max(len(rows), 1), len(OUTPUT_HEADERS) - 1)
    sheet.freeze_panes(1, 2)
    widths = {"Next action": 60, "Eligibility": 40, "Problems": 50}
    for col, name in enumerate(OUTPUT_HEADERS):
        sheet.set_column(col, col, widths.get(name, 14))
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
    as_of = as_of or dt.date.today()
    notes: list[str] = []

    def edit(wb):
        rows = [[cell.value for cell in row] for row in wb[workbook.SETTINGS].iter_rows(max_col=2)]
        settings, problems = settings_from_rows(rows)
        notes.extend(problems)
        return workbook.apply_refresh(wb, settings, as_of, static=static)

    try:
        result = writeback.write_register(register, edit)
    except (writeback.RegisterInUse, writeback.WritebackError, RegisterError, OSError) as err:
        _fail(err)
    except KeyError as err:
        _fail(RegisterError(f"{register.name} is not a complete register ({err.args[0]}): was it made by 'xl-complaints init'?"))
    done = result.outcome
    click.echo(f"Wrote to {register}: As-of date {as_of:%d/%m/%Y}; {done['holidays']} bank holidays and closure days on the {workbook.HOLIDAYS} sheet;")
    if done["block"] == "values":
        click.echo(f"  calculated values for {done['rows']} rows.")
    else:
        click.echo("  the calculated columns are live formulas: Excel works them out when the register is opened (use --static to write values).")
    for text in notes:
        click.echo(f"Setting not used: {text}", err=True)
    if result.backup:
        click.echo(f"The previous file was kept as {result.backup}.")
