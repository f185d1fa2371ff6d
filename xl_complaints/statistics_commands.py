"""`xl-complaints stats`: the year-end statistics from a register file.

Reads the register, counts every table of the statutory annual report
(`statistics`), and writes the statistics workbook, the JSON or the Word draft
(`statistics_export`). Messages go to stderr so `--format json` can be piped.

Reading is the slow part of a big register, so this reads only the columns
statistics use (never names, addresses or contact details): cells already in
their canonical form (real dates, list values spelled as on the Lists sheet) are
taken as they are, and every other row goes through `register.validate`, the one
judge of what a cell means. A test checks the two give the same table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
import numpy as np
import pandas as pd
from tqdm import tqdm

from .files import audit, outputs, writeback

from .core import category_lists, schema

from .reports import statistics, statistics_export
from .cli import DATE, main, password_from_option
from .core.dates import as_of_or_today
from .files.reader import read_cells
from .core.register import MAX_DATE, MIN_DATE, Problem, RegisterError, validate
from .core.schema import Kind, normalise_header
from .core.settings import Settings, settings_from_rows

LARGE_FILE = 1_000_000  # bytes: show a progress bar from about 5,000 rows
_OFFSET = 10**9  # row numbers for validate's re-check, far from the header row's


@dataclass
class StatisticsInput:
    """The register's statistics columns, typed as `register.validate` types them."""

    table: pd.DataFrame
    settings: Settings
    sheet: str
    problems: list[Problem] = field(default_factory=list)
    settings_problems: list[str] = field(default_factory=list)
    holds: object = None  # status.Holds: the hold columns and the Holds sheet, matched to the table's rows
    lists: dict = field(default_factory=dict)  # the council's Lists sheet (category_lists.from_rows)
    actions: object = None  # the Actions sheet matched to the table's rows (statistics.actions_table), if there is one
    learning_problems: list[Problem] = field(default_factory=list)  # the Actions sheet's, by sheet, row and column

    @property
    def unreadable_rows(self) -> int:
        return len({p.row for p in self.problems if p.severity == "error"})


def read_for_statistics(path: str | Path, settings: Settings | None = None) -> StatisticsInput:
    """Read a register workbook's statistics columns (and its Settings sheet).

    The cells come from the same reader as every other command (huge used
    ranges, error cells and odd layouts are handled there); only the typing is
    narrowed to the columns the statistics count.
    """
    cells = read_cells(path)
    settings_problems: list[str] = []
    if settings is None:
        settings = Settings()
        if cells.settings_rows is not None:
            settings, settings_problems = settings_from_rows(cells.settings_rows)
    lists = category_lists.from_rows(cells.lists_rows)
    table, problems = statistics_table(cells.headers, cells.rows[cells.header_row :], cells.sheet, cells.header_row + 1, lists)
    at = next((i for i, h in enumerate(cells.headers) if normalise_header(h) == "reference"), None)
    body = cells.rows[cells.header_row :]
    refs = [str(body[r - cells.header_row - 1][at] or "") if at is not None and at < len(body[r - cells.header_row - 1]) else "" for r in table.index]
    holds = None
    if cells.holds_rows:  # matched by reference here, so that references never reach the statistics
        from .core.register import validate_holds
        from .core.status import Holds

        sheet_holds, _ = validate_holds(cells.holds_rows[0], cells.holds_rows[1:])
        holds = Holds.of(table.assign(reference=refs), sheet_holds)
    actions, learning_problems = _actions(path, table, refs)
    return StatisticsInput(table, settings, cells.sheet, problems, settings_problems, holds, lists, actions, learning_problems)


def _actions(path, table: pd.DataFrame, refs: list[str]):
    """The Actions sheet, validated against the register's references and matched to the table's rows (references dropped)."""
    from .core import learning

    sheets = learning.read_sheets(path, only=(learning.ACTIONS,))
    if learning.ACTIONS not in sheets:
        return None, []
    headers, rows, _ = sheets[learning.ACTIONS]
    at = next((i for i, h in enumerate(headers) if normalise_header(h) == "reference"), None)
    named = {str(r[at] or "").strip().upper() for r in rows if at is not None and at < len(r)}
    register = table[["date_received"]].assign(reference=refs)
    wanted = register["reference"].astype(str).str.strip().str.upper().isin(named).to_numpy()
    checked = learning.validate(sheets, register[wanted])  # only the complaints the sheet names: the others cannot be pointed at
    return statistics.actions_table(refs, checked.actions), checked.problems


def statistics_table(headers: list, body: list[list], sheet: str = "Register", first_row: int = 2, lists=None) -> tuple[pd.DataFrame, list[Problem]]:
    """The statistics columns of the rows under `headers`, as `register.validate` would type them.

    `lists`: the council's Lists sheet, whose values are accepted as they are too.
    """
    own = category_lists.columns(lists)
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        col = schema.BY_HEADER.get(normalise_header(header))
        if col is not None and col.key not in positions:
            positions[col.key] = i
    n = len(body)
    wanted = [k for k in statistics.STATISTICS_KEYS if k in positions]
    columns: dict[str, np.ndarray] = {}
    odd = np.zeros(n, dtype=bool)
    for key, cells in zip(wanted, _columns(body, [positions[k] for k in wanted])):
        col = own.get(key) or schema.column(key)
        values, bad = _dates(cells) if col.kind is Kind.DATE else _categories(cells, col)
        columns[key] = values
        odd |= bad
    for key in statistics.STATISTICS_KEYS:
        if key not in columns:
            kind = schema.column(key).kind
            columns[key] = np.full(n, np.datetime64("NaT", "D")) if kind is Kind.DATE else np.full(n, "", dtype=object)
    problems: list[Problem] = []
    recheck = np.flatnonzero(odd)
    if len(recheck):
        keys = ["reference"] + [k for k in statistics.STATISTICS_KEYS if k in positions]
        sub_headers = [schema.column(k).header for k in keys]
        sub_rows = [[body[j][positions[k]] if k in positions and positions[k] < len(body[j]) else None for k in keys] for j in recheck]
        checked = validate(sub_headers, sub_rows, sheet=sheet, first_row=_OFFSET, lists=lists)
        where = {_OFFSET + offset: int(j) for offset, j in enumerate(recheck)}
        for key in statistics.STATISTICS_KEYS:
            if key in positions:
                target = np.array([where[r] for r in checked.table.index], dtype=np.int64)
                source = checked.table[key].to_numpy(dtype="datetime64[D]" if schema.column(key).kind is Kind.DATE else object)
                columns[key][target] = source
        for p in checked.problems:
            if p.row >= _OFFSET and p.column != "Reference":
                problems.append(dataclasses.replace(p, row=first_row + where[p.row]))
    present = np.zeros(n, dtype=bool)
    for key, values in columns.items():
        present |= ~np.isnat(values) if values.dtype.kind == "M" else values != ""
    keep = np.flatnonzero(present)
    index = pd.Index(first_row + keep, name="row", dtype=np.int64)
    data = {}
    for key in statistics.STATISTICS_KEYS:
        values = columns[key][keep]
        if schema.column(key).kind is Kind.DATE:
            data[key] = pd.array(values.astype("datetime64[s]"))
        else:
            data[key] = values
    return pd.DataFrame(data, index=index), problems


def _columns(body: list[list], indices: list[int]) -> list:
    """The cells of the given columns, column by column (short rows padded with None)."""
    if not indices or not body:
        return [[] for _ in indices]
    grid = np.array(body, dtype=object)
    width = max(indices) + 1
    if grid.ndim != 2 or grid.shape[1] < width:  # ragged rows: pad them
        grid = np.array([list(r) + [None] * (width - len(r)) for r in body], dtype=object)
    return [grid[:, i] for i in indices]


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _dates(cells) -> tuple[np.ndarray, np.ndarray]:
    """Real dates as they are; anything else (text, numbers, date-times) for `validate` to judge."""
    date = dt.date
    ordinals = np.array([c.toordinal() if c.__class__ is date else (0 if c is None or c == "" else -1) for c in cells], dtype=np.int64)
    values = (ordinals - _EPOCH).astype("datetime64[D]")
    values[ordinals <= 0] = np.datetime64("NaT", "D")
    bad = ordinals < 0
    bad |= (values < np.datetime64(MIN_DATE)) | (values > np.datetime64(MAX_DATE))
    return values, bad


def _categories(cells, col: schema.Column) -> tuple[np.ndarray, np.ndarray]:
    """Values spelled exactly as on the list as they are; anything else for `validate`."""
    lookup: dict = {v: v for v in col.values}
    lookup[None] = ""
    lookup[""] = ""
    out = np.array(list(map(lookup.get, cells)), dtype=object)
    bad = out == None  # noqa: E711 - elementwise: not on the list
    out[bad] = ""
    return out, bad


def _default_out(register: Path, stats: statistics.Statistics, suffix: str) -> Path:
    return register.with_name(f"Complaints statistics {stats.period.label.replace('/', '-')}{suffix}")


@main.command("stats")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, help="The reporting year, by the calendar year it starts in: 2016 for 2016/17. Default: the last complete year.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json"], case_sensitive=False), default="xlsx", show_default=True,
              help="A workbook with charts, or every table as JSON (printed unless --out is given).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to save (default: beside the register).")
@click.option("--word", type=click.Path(dir_okay=False, path_type=Path), help="Also save a Word draft of the annual report here.")
@click.option("--suppress-under", type=click.IntRange(min=2), metavar="N",
              help="Hide numbers from 1 to N-1 (and enough others) so no child or family can be identified.")
@click.option("--as-of", "as_of", type=DATE, help="Read the register as it stood on this day (default: today).")
@outputs.password_option
def stats_command(register, year, fmt, out, word, suppress_under, as_of, password_file):
    """Year-end statistics: every table of the statutory annual report.

    \b
    Examples:
      xl-complaints stats Complaints_Register.xlsm --year 2016
      xl-complaints stats Complaints_Register.xlsm --year 2016 --word "Annual report 2016-17.docx" --suppress-under 5
      xl-complaints stats Complaints_Register.xlsm --year 2016 --format json > statistics.json
    """
    as_of = as_of_or_today(as_of)
    try:
        outputs.require_suffix(out, (f".{fmt.lower()}",), "Statistics workbooks" if fmt.lower() == "xlsx" else "Statistics in JSON", "--out")
        outputs.require_suffix(word, (".docx",), "Word drafts", "--word")
    except outputs.OutputError as err:
        raise click.ClickException(str(err)) from None
    password = password_from_option(password_file)
    if password is not None and fmt.lower() == "json":
        raise click.UsageError("JSON cannot be password-protected: use --format xlsx (and --word), or leave out the password.")
    audit.start(register, "stats")
    if writeback.lock_files(register):
        click.echo(f"Note: {register.name} is open in Excel: this uses its last saved version.", err=True)
    large = register.stat().st_size >= LARGE_FILE
    steps = 2 + len(statistics.SPECS) + (1 if word else 0)
    bar = tqdm(total=steps, desc="Statistics", unit="step", file=sys.stderr, disable=None if large else True, leave=False)
    try:
        bar.set_postfix_str("reading the register")
        try:
            source = read_for_statistics(register)
        except RegisterError as err:
            raise click.ClickException(str(err)) from None
        bar.update(1)
        for message in source.settings_problems:
            click.echo(f"Warning: {message}", err=True)
        for problem in source.learning_problems:
            click.echo(f"{problem.severity.capitalize()}: {problem}", err=True)
        if year is None:
            year = statistics.year_containing(as_of, source.settings.year_start_month) - 1
        bar.set_postfix_str("counting")
        try:
            result = statistics.build(
                source.table, source.settings, year, as_of,
                progress=lambda _table: bar.update(1), unreadable_rows=source.unreadable_rows, holds=source.holds,
                lists=source.lists, actions=source.actions,
            )
        except ValueError as err:
            raise click.ClickException(str(err)) from None
        received = source.table["date_received"]
        if not received.between(pd.Timestamp(result.period.start), pd.Timestamp(result.period.end)).any():  # all zeros: say so
            click.echo(f"Warning: No representations were received in {result.period.label} in this register: check the year.", err=True)
        if suppress_under:
            result = statistics.suppress(result, suppress_under)
        bar.set_postfix_str("writing")
        written = []
        if fmt.lower() == "json":
            text = statistics_export.to_json(result)
            if out is None:
                bar.close()
                click.echo(text)
            else:
                _write(lambda p: p.write_text(text, encoding="utf-8"), out, "the statistics (JSON)")
                written.append(out)
        else:
            target = out or _default_out(register, result, ".xlsx")
            _write(lambda p: statistics_export.write_workbook(result, p), target, "the statistics workbook", password)
            written.append(target)
        bar.update(1)
        if word:
            _write(lambda p: statistics_export.write_word(result, p, settings=source.settings), word, "the Word draft", password)
            written.append(word)
            bar.update(1)
    finally:
        bar.close()
    audit.event("wrote", year=year, format=fmt.lower(), out=", ".join(p.name for p in written) or "screen",
                protected=password is not None, as_of=as_of)
    if source.unreadable_rows:
        click.echo(
            f"Warning: {source.unreadable_rows} row(s) of the register have cells that could not be read; "
            "those cells are counted as blank. The register's Problems column says which and why.",
            err=True,
        )
    for path in written:
        click.echo(f"Statistics for {result.period.label} saved to {path}", err=True)


def _write(save, path: Path, what: str, password: str | None = None) -> None:
    """Save whole or not at all, owner-only (outputs.write_file); a sentence when it cannot be."""
    try:
        outputs.write_file(Path(path), save, what, password)
    except outputs.OutputError as err:
        raise click.ClickException(str(err)) from None
