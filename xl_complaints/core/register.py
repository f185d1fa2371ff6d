"""From raw cells to the validated register table, with every problem named.

Whatever reads the workbook (calamine in batch commands, xlwings inside Excel)
hands this module a header row and the rows beneath it as plain cell values.
It returns a table (`table.Table`, numpy arrays; `.table` gives it as a pandas
DataFrame) with one row per complaint, numbered by the sheet's
row number, columns named by schema key: dates as datetime64 (NaT when empty),
categories and yes/no answers in their canonical spelling, text as str ('' when
empty). Every cell that cannot be read becomes a `Problem` naming the sheet, the
row and the column and saying what kind of value belongs there, and is left empty
in the table: one bad cell never stops the other rows. A problem never repeats
what the cell holds (it may be personal, special-category, or free text typed where
a category, date or yes/no belongs), except a reference: the schema's
`Column.may_echo` decides, and `cell_problem` below is the one wording.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from .dates import MAX_DATE, MIN_DATE, parse_date
from .money import parse_money
from .table import Table, factorize, is_pandas_missing
from .schema import (
    BY_HEADER,
    CALCULATED_KEYS,
    HOLD_COLUMNS,
    INPUT_COLUMNS,
    MONEY_KEYS,
    Column,
    Kind,
    column,
    normalise_header,
)

if TYPE_CHECKING:
    import pandas as pd

REQUIRED = ("reference", "date_received")
MISSING_COLUMN = "the column is missing; it is treated as empty"
EXCEL_CELL_LIMIT = 32_767  # the most characters an Excel cell holds (Excel's specifications and limits)
TOO_LONG = "more than the 32,767 characters an Excel cell can hold"
LISTED_UP_TO = 8  # a list this short is spelled out in the problem; a longer one is on the Lists sheet


@dataclass(frozen=True)
class Problem:
    row: int  # the sheet's row number (the header is row 1)
    column: str  # the header officers see ('' for a problem with the whole row)
    message: str
    value: str = ""  # what the cell holds, only where the schema allows it to be repeated (references)
    severity: str = "error"  # "error" stops a row being trusted; "warning" is for the officer to look at
    sheet: str = "Register"
    hint: str = ""  # what would be right (a short list's values), for `check`; the Problems column keeps to the message

    @property
    def label(self) -> str:
        """How the register's Problems column shows it, beside its row."""
        if self.column and not self.message.startswith(self.column):
            return f"{self.column}: {self.message}"
        return self.message

    def __str__(self) -> str:
        where = f"{self.sheet} row {self.row}" + (f", column '{self.column}'" if self.column else "")
        hint = f" ({self.hint})" if self.hint else ""
        shown = f" (the cell holds '{self.value}')" if self.value else ""
        return f"{where}: {self.message}{hint}{shown}"


@dataclass
class ValidatedRegister:
    columns: Table
    problems: list[Problem] = field(default_factory=list)
    holds: "pd.DataFrame | Table | None" = None  # the Holds sheet, if any (validate_holds): several holds per complaint

    @cached_property
    def table(self) -> "pd.DataFrame":
        """The register as a pandas DataFrame indexed by sheet row, made when first asked for (refresh never asks)."""
        return self.columns.frame()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def row_messages(self) -> dict[int, str]:
        """Each row's error messages joined, by sheet row, for the rows that have any (the status engine shows them)."""
        rows = set(self.columns.rows.tolist())
        messages: dict[int, list[str]] = {}
        for p in self.errors:
            if p.sheet != HOLDS_SHEET and p.row in rows:
                messages.setdefault(p.row, []).append(p.label)
        return {r: "; ".join(m) for r, m in messages.items()}

    def row_problems(self) -> "pd.Series":
        """`row_messages` as a pandas Series over every row, '' for a clean row."""
        import pandas as pd

        return pd.Series(self.row_messages(), index=self.table.index, dtype=object).fillna("")

    def too_long(self) -> list[Problem]:
        """Cells over Excel's limit: no command writes the register, or anything from it, while there are any."""
        return [p for p in self.problems if TOO_LONG in p.message]

    def refuse_if_too_long(self, action: str) -> None:
        """Stop a command that would write a cell Excel cannot hold, with a sentence naming the cells."""
        long = self.too_long()
        if long:
            shown = "; ".join(f"{p.sheet} row {p.row}, column '{p.column}'" for p in long[:5])
            more = f" and {len(long) - 5} more" if len(long) > 5 else ""
            raise CellTooLong(
                f"{action} was not done: {shown}{more} {'holds' if len(long) == 1 else 'hold'} {TOO_LONG}. "
                "Shorten the text (keep the whole of it in the case file), then run the command again; "
                "'xl-complaints check' lists every such cell. Nothing was written."
            )


HOLDS_SHEET = "Holds"


def validate_holds(headers: list, rows: list[list], sheet: str = HOLDS_SHEET, first_row: int = 2, header_row: int = 1) -> tuple["pd.DataFrame", list[Problem]]:
    """Type a Holds sheet (Reference, Hold reason, On hold from, On hold to): one row per hold.

    Returns the holds as a pandas DataFrame indexed by the sheet's row number
    (`hold_table` gives them as a Table), and every cell that cannot be read,
    named by sheet, row and column (left empty in the table).
    """
    table, problems = hold_table(headers, rows, sheet, first_row, header_row)
    return table.frame(), problems


def hold_table(headers: list, rows: list[list], sheet: str = HOLDS_SHEET, first_row: int = 2, header_row: int = 1) -> tuple[Table, list[Problem]]:
    """`validate_holds`'s holds as a Table, numbered by the sheet's row number."""
    problems: list[Problem] = []
    by_header = {normalise_header(c.header): c for c in HOLD_COLUMNS}
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        col = by_header.get(normalise_header(header))
        if col is not None and col.key not in positions:
            positions[col.key] = i
    for col in HOLD_COLUMNS:
        if col.key not in positions:
            problems.append(Problem(header_row, col.header, f"there is no '{col.header}' column in the header row", sheet=sheet))
    if len(positions) < len(HOLD_COLUMNS):
        empty = Table({c.key: np.array([], dtype="datetime64[s]" if c.kind is Kind.DATE else object) for c in HOLD_COLUMNS}, np.array([], dtype=np.int64))
        return empty, problems
    order = [positions[c.key] for c in HOLD_COLUMNS]
    cells = _Cells.of(rows, order)
    keep = np.flatnonzero(~cells.blank.all(axis=1))
    cells = cells.take(keep)
    numbers = (first_row + keep).astype(np.int64).tolist()
    errors = cells.errors()
    todo = ~cells.blank & ~errors
    dates = [j for j, c in enumerate(HOLD_COLUMNS) if c.kind is Kind.DATE]
    days = cells.days(todo, dates)
    texts = cells.texts(todo, [j for j, c in enumerate(HOLD_COLUMNS) if c.kind is not Kind.DATE])
    data = {}
    for j, col in enumerate(HOLD_COLUMNS):
        for r in np.flatnonzero(errors[:, j]):
            problems.append(Problem(numbers[r], col.header, f"the cell shows the error {cells.values[r, j]}: correct the formula or type the value in", sheet=sheet))
        if col.kind is Kind.DATE:
            data[col.key] = _dates(col, cells.values[:, j], days[:, j], todo[:, j], numbers, sheet, problems).astype("datetime64[s]")
        elif col.kind is Kind.CATEGORY:
            answers, distinct = factorize(texts[:, j])
            data[col.key] = _canonical(col, answers, distinct, numbers, sheet, problems)
        else:
            data[col.key] = texts[:, j]
    table = Table(data, np.asarray(numbers, dtype=np.int64))
    for row in table.rows[table["reference"] == ""]:
        problems.append(Problem(int(row), "Reference", "every hold needs the reference of its complaint", sheet=sheet))
    for row in table.rows[np.isnat(table["on_hold_from"])]:
        problems.append(Problem(int(row), "On hold from", "the date the hold started is empty", sheet=sheet))
    problems.sort(key=lambda p: (p.row, p.column))
    return table, problems


class RegisterError(ValueError):
    """The sheet cannot be read as a register at all (no Reference column, say)."""


class CellTooLong(RegisterError):
    """A value longer than an Excel cell can hold was about to be written."""


def excel_length(text: str) -> int:
    """The length Excel counts: UTF-16 code units, so a character beyond the BMP (an emoji) counts twice."""
    if len(text) * 2 <= EXCEL_CELL_LIMIT:
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def guard_cell(value, where: str, what: str) -> None:
    """Refuse to write `value` into a cell at `where` (e.g. "Status row 3, column B") when Excel could not hold it."""
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT // 2 and excel_length(value) > EXCEL_CELL_LIMIT:
        raise CellTooLong(
            f"{what} was not written: {where} would hold {excel_length(value):,} characters, {TOO_LONG}. "
            "Shorten the text it comes from, then run the command again."
        )


def validate(headers: list, rows: list[list], sheet: str = "Register", first_row: int = 2, header_row: int = 1, lists=None) -> ValidatedRegister:
    """Type every cell of the register and collect what is wrong, row by row.

    The whole sheet is typed at once with numpy (about 2 s for 100,000 rows of
    58 columns, 0.1 s for 5,000): real dates and plain text never reach per-cell Python, and
    the cells that need judging (dates typed as text, numbers, unknown list
    values) are judged once per distinct value. Problems with the header are
    reported on `header_row` (1 unless a reader found a title row above it).
    `lists`: the council's Lists sheet (`category_lists.from_rows`), whose values are accepted too.
    """
    from .category_lists import columns as listed_columns

    own_lists = listed_columns(lists)
    problems: list[Problem] = []
    positions = _match_headers(headers, sheet, problems, header_row)
    if any(p.severity == "error" and p.row == header_row for p in problems):
        missing = [p for p in problems if p.row == header_row and p.severity == "error"]
        raise RegisterError("; ".join(str(p) for p in missing))

    inputs = {key: i for key, i in positions.items() if key not in CALCULATED_KEYS}
    order = sorted(set(inputs.values()))
    where = {i: j for j, i in enumerate(order)}
    cells = _Cells.of(rows, order)
    keep = np.flatnonzero(~cells.blank.all(axis=1))  # trailing or spare blank rows go
    cells = cells.take(keep)
    row_numbers = (first_row + keep).astype(np.int64)
    numbers = row_numbers.tolist()
    errors = cells.errors()
    todo = ~cells.blank & ~errors
    days = cells.days(todo, [where[inputs[c.key]] for c in INPUT_COLUMNS if c.kind is Kind.DATE and c.key in inputs])
    texts = cells.texts(todo, [where[inputs[c.key]] for c in INPUT_COLUMNS if c.kind is not Kind.DATE and c.key in inputs])
    listed = [where[inputs[c.key]] for c in INPUT_COLUMNS if c.kind in (Kind.CATEGORY, Kind.YESNO) and c.key in inputs]
    answers, distinct = factorize(texts[:, listed].reshape(-1))  # every distinct answer once, row by row
    answers = answers.reshape(len(keep), len(listed))
    data = {}
    for col in INPUT_COLUMNS:
        if col.key not in inputs:
            data[col.key] = np.full(len(keep), _NAT).astype("datetime64[s]") if col.kind is Kind.DATE else np.full(len(keep), "", dtype=object)
            continue
        j = where[inputs[col.key]]
        for (r, c), n in cells.long.items():
            if c == j:
                problems.append(cell_problem(col, numbers[r], f"holds {n:,} characters, {TOO_LONG}: shorten it", sheet=sheet))
        for r in np.flatnonzero(errors[:, j]):
            shows = cells.values[r, j]  # one of ERROR_VALUES: Excel's words, not the officer's
            problems.append(cell_problem(col, numbers[r], f"the cell shows the error {shows}: correct the formula or type the value in", sheet=sheet))
        if col.kind is Kind.DATE:
            found = _dates(col, cells.values[:, j], days[:, j], todo[:, j], numbers, sheet, problems)
            data[col.key] = found.astype("datetime64[s]")
        elif col.kind in (Kind.CATEGORY, Kind.YESNO):
            data[col.key] = _canonical(own_lists.get(col.key, col), answers[:, listed.index(j)], distinct, numbers, sheet, problems)
        else:
            data[col.key] = texts[:, j]
            if col.key in MONEY_KEYS:
                _check_money(col, data[col.key], numbers, sheet, problems)
    table = Table(data, row_numbers)
    _check_required(table, sheet, problems)
    _check_duplicates(table, sheet, problems)
    problems.sort(key=lambda p: (p.row, p.column))
    return ValidatedRegister(table, problems)


def from_records(records: list[dict]) -> ValidatedRegister:
    """Build a register from dicts keyed by header or key (tests, samples, the UDFs)."""
    headers = [c.header for c in INPUT_COLUMNS]
    rows = []
    for record in records:
        norm = {normalise_header(k).replace("_", " "): v for k, v in record.items()}
        rows.append([norm.get(normalise_header(h), "") for h in headers])
    return validate(headers, rows)


# --- headers -----------------------------------------------------------------


def _match_headers(headers: list, sheet: str, problems: list[Problem], header_row: int = 1) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        col = BY_HEADER.get(normalise_header(header))
        if col is None:
            continue  # extra columns are the council's own business
        if col.key in positions:
            problems.append(Problem(header_row, col.header, f"the column appears twice (columns {_letter(positions[col.key])} and {_letter(i)})", sheet=sheet))
            continue
        positions[col.key] = i
    for key in REQUIRED:
        if key not in positions:
            header = next(c.header for c in INPUT_COLUMNS if c.key == key)
            problems.append(Problem(header_row, header, f"there is no '{header}' column in the header row", sheet=sheet))
    for col in INPUT_COLUMNS:
        if col.key not in positions and col.key not in REQUIRED:
            problems.append(Problem(header_row, col.header, MISSING_COLUMN, severity="warning", sheet=sheet))
    return positions


def _letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- cells -------------------------------------------------------------------

# What Excel shows for a formula that went wrong (and LibreOffice's Err:5xx). The
# reader hands error cells over as these texts; in any input column they are a
# problem to put right, never a value.
ERROR_VALUES = frozenset(
    ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA",
     "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!", "#EXTERNAL!"]
    + [f"Err:{n}" for n in range(500, 540)]
)
_NAT = np.datetime64("NaT", "D")
_MIN64, _MAX64 = np.datetime64(MIN_DATE, "D"), np.datetime64(MAX_DATE, "D")
_UNIX_DAY = dt.date(1970, 1, 1).toordinal()
_MISSING = object()
# Cell types as small numbers, so that masks are numpy comparisons rather than Python calls.
_STR, _DATE, _DATETIME, _FLOAT, _NONE, _NUMBER, _OTHER = range(7)
_TYPE_CODES: defaultdict = defaultdict(
    lambda: _OTHER,
    {str: _STR, dt.date: _DATE, dt.datetime: _DATETIME, float: _FLOAT, type(None): _NONE, int: _NUMBER, bool: _NUMBER},
)


def _grid(rows: list, positions: list[int]) -> np.ndarray:
    """The wanted columns' cells as a rows x columns object array (short rows padded with None)."""
    n, need = len(rows), (max(positions) + 1 if positions else 0)
    if not n or not positions:
        return np.empty((n, len(positions)), dtype=object)
    try:  # the usual case, even rows of plain cells: one pass, row by row as they sit in memory
        grid = np.array(rows, dtype=object)
    except ValueError:
        grid = None
    if grid is not None and grid.ndim == 2 and grid.shape[1] >= need:
        return grid if positions == list(range(grid.shape[1])) else grid[:, positions]
    padded = [(list(r) + [None] * need)[:need] for r in rows]
    flat = [r[i] for r in padded for i in positions]
    return np.fromiter(flat, dtype=object, count=len(flat)).reshape(n, len(positions))


class _Cells:
    """The input columns' cells, typed once: text stripped, blanks marked.

    Rows x columns arrays, worked on whole and row by row (the order the
    cells sit in memory), which is several times quicker than column by column.
    """

    __slots__ = ("values", "codes", "blank", "long")

    def __init__(self, values: np.ndarray, codes: np.ndarray, blank: np.ndarray, long: dict | None = None):
        self.values, self.codes, self.blank = values, codes, blank
        self.long = long or {}  # (row index, column index) -> Excel's length, for text over its limit

    @classmethod
    def of(cls, rows: list, positions: list[int]) -> "_Cells":
        values = _grid(rows, positions)
        shape = values.shape
        flat = values.reshape(-1)
        codes = np.fromiter(map(_TYPE_CODES.__getitem__, map(type, flat.tolist())), dtype=np.int8, count=flat.size)
        blank = codes == _NONE
        text = np.flatnonzero(codes == _STR)
        long = {}
        if len(text):
            typed = flat[text].tolist()
            lengths = np.fromiter(map(len, typed), dtype=np.int64, count=len(text))
            for k in np.flatnonzero(lengths > EXCEL_CELL_LIMIT // 2):  # rare: judged one by one
                n = excel_length(typed[k])
                if n > EXCEL_CELL_LIMIT:
                    long[divmod(int(text[k]), shape[1])] = n
            blank[text] = lengths == 0
            filled = np.flatnonzero(lengths)  # an empty text needs no stripping: most of a register's cells
            if len(filled):
                some = text[filled]
                stripped = list(map(str.strip, flat[some].tolist()))
                flat[some] = stripped
                blank[some] = np.fromiter(map(len, stripped), dtype=np.int64, count=len(some)) == 0
        floats = np.flatnonzero(codes == _FLOAT)
        if len(floats):
            blank[floats] = np.isnan(flat[floats].astype(float))
        for j in np.flatnonzero(codes == _OTHER):  # pandas' NaT and NA, numpy scalars, str subclasses...
            blank[j] = _blank(flat[j])
        return cls(flat.reshape(shape), codes.reshape(shape), blank.reshape(shape), long)

    def take(self, rows: np.ndarray) -> "_Cells":
        if len(rows) == len(self.values):
            return self
        where = {int(r): i for i, r in enumerate(rows)}
        long = {(where[r], c): n for (r, c), n in self.long.items() if r in where}
        return _Cells(self.values[rows], self.codes[rows], self.blank[rows], long)

    def errors(self) -> np.ndarray:
        """Cells showing an Excel error such as #N/A."""
        found = np.zeros(self.values.size, dtype=bool)
        candidates = np.flatnonzero((self.codes == _STR) & ~self.blank)
        if len(candidates):
            texts = self.values.reshape(-1)[candidates].tolist()
            found[candidates] = np.fromiter(map(ERROR_VALUES.__contains__, texts), dtype=bool, count=len(candidates))
        return found.reshape(self.values.shape)

    def texts(self, todo: np.ndarray, columns: list[int]) -> np.ndarray:
        """The given columns' cells as text ('' elsewhere, and when blank or an error).

        Numbers and dates become text as officers would type them (1001, 12/03/2024).
        """
        out = np.full(self.values.shape, "", dtype=object)
        wanted = np.zeros(self.values.shape, dtype=bool)
        wanted[:, columns] = True
        todo = todo & wanted
        text = todo & (self.codes == _STR)
        out[text] = self.values[text]
        other = todo & ~text
        if other.any():
            out[other] = list(map(_text, self.values[other].tolist()))
        return out

    def days(self, todo: np.ndarray, columns: list[int]) -> np.ndarray:
        """Real dates and date-times in the given columns as days (NaT elsewhere); a time is dropped."""
        out = np.full(self.values.shape, _NAT)
        wanted = np.zeros(self.values.shape, dtype=bool)
        wanted[:, columns] = True
        real = np.flatnonzero(wanted & todo & ((self.codes == _DATE) | (self.codes == _DATETIME)))
        if len(real):  # a date-time's ordinal is its day's
            found = self.values.reshape(-1)[real].tolist()
            ordinals = np.fromiter(map(dt.date.toordinal, found), dtype=np.int64, count=len(real))
            out.reshape(-1)[real] = (ordinals - _UNIX_DAY).astype("datetime64[D]")
        return out


def _blank(value) -> bool:
    if value is None or is_pandas_missing(value):
        return True
    if isinstance(value, np.datetime64) and np.isnat(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float) and np.isnan(value):
        return True
    return False


def _dates(col: Column, values: np.ndarray, days: np.ndarray, todo: np.ndarray, rows: list[int], sheet: str, problems: list[Problem]) -> np.ndarray:
    """Real dates came through `_Cells.days`; text and numbers are judged one distinct value at a time."""
    out = days.copy()
    done = ~np.isnat(out)
    odd = done & ((out < _MIN64) | (out > _MAX64))  # judged again below, for the message
    out[odd] = _NAT
    seen: dict = {}
    for j in np.flatnonzero((todo & ~done) | odd):
        value = values[j]
        try:
            key = (value.__class__, value)
            day = seen.get(key, _MISSING)
        except TypeError:  # unhashable: judge it on its own
            key, day = None, _MISSING
        if day is _MISSING:
            try:
                day = parse_date(value)
            except ValueError as err:
                day = err
            if key is not None:
                seen[key] = day
        if isinstance(day, ValueError):
            problems.append(cell_problem(col, rows[j], getattr(day, "plain", "is not a date"), sheet=sheet))
        else:
            out[j] = np.datetime64(day, "D")
    return out


def _canonical(col: Column, answers: np.ndarray, distinct: np.ndarray, rows: list[int], sheet: str, problems: list[Problem]) -> np.ndarray:
    """Each distinct answer looked up once, then spread over the column."""
    lookup = {v.lower(): v for v in col.values}
    if col.kind is Kind.YESNO:
        lookup.update({"y": "Yes", "n": "No", "true": "Yes", "false": "No"})
    canonical = np.full(len(distinct), "", dtype=object)
    unknown = np.zeros(len(distinct), dtype=bool)
    for u in np.flatnonzero(np.bincount(answers, minlength=len(distinct))):
        text = distinct[u]
        found = lookup.get(" ".join(text.split()).lower()) if text else ""
        canonical[u], unknown[u] = ("", True) if found is None else (found, False)
    message, hint = _not_listed(col)
    for j in np.flatnonzero(unknown[answers]):
        problems.append(cell_problem(col, rows[j], message, sheet=sheet, hint=hint))
    return canonical[answers]


def _check_money(col: Column, texts: np.ndarray, rows: list[int], sheet: str, problems: list[Problem]) -> None:
    """A money column's cells that are not an amount of pounds (each distinct text judged once)."""
    codes, distinct = factorize(texts)
    bad = np.zeros(len(distinct), dtype=bool)
    for u, text in enumerate(distinct):
        if text:
            try:
                parse_money(text)
            except ValueError:
                bad[u] = True
    for j in np.flatnonzero(bad[codes]):
        problems.append(cell_problem(col, rows[j], "is not an amount of money: type pounds, e.g. 250 or 250.00", sheet=sheet))


def _not_listed(col: Column) -> tuple[str, str]:
    """What an unknown answer is told, and the hint: the values themselves when the list is short (they are not personal)."""
    if col.kind is Kind.YESNO:
        return "is not Yes or No", ""
    if len(col.values) <= LISTED_UP_TO:
        return "is not one of the values on the Lists sheet", ", ".join(col.values)
    return "is not one of the values on the Lists sheet", "pick one from the cell's dropdown"


def _text(value) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def cell_problem(col: Column | str, row: int, message: str, value=None, sheet: str = "Register", severity: str = "error", hint: str = "") -> Problem:
    """The one way a cell's problem is put: sheet, row, column and what is wrong, in words that quote nothing.

    `message` must be the toolkit's own words (what kind of value belongs in
    the column), never text built from the cell. `value` is kept only where the
    schema says it may be repeated (`Column.may_echo`: a reference).
    """
    col = column(col) if isinstance(col, str) else col
    shown = ""
    if value is not None and col.echoable:  # only references: nothing else is even looked at
        text = value.strip() if value.__class__ is str else _text(value)
        shown = text[:60] if col.may_echo(text) else ""
    return Problem(row, col.header, message, shown, severity=severity, sheet=sheet, hint=hint)


# --- whole-table checks ------------------------------------------------------


def _check_required(table: Table, sheet: str, problems: list[Problem]) -> None:
    already = {(p.row, p.column) for p in problems}
    for row in table.rows[table["reference"] == ""]:
        if (int(row), "Reference") not in already:
            problems.append(cell_problem("reference", int(row), "every complaint needs a reference", sheet=sheet))
    for row in table.rows[np.isnat(table["date_received"])]:
        if (int(row), "Date received") not in already:
            problems.append(cell_problem("date_received", int(row), "the date received is empty", sheet=sheet))


def _check_duplicates(table: Table, sheet: str, problems: list[Problem], shown: int = 5) -> None:
    refs = np.array(list(map(str.upper, table["reference"].tolist())), dtype=object)
    codes, distinct = factorize(refs)
    dup = (np.bincount(codes, minlength=len(distinct))[codes] > 1) & (refs != "") if len(refs) else np.zeros(0, dtype=bool)
    if not dup.any():
        return
    rows = table.rows[dup].tolist()
    upper = refs[dup].tolist()
    groups: dict[str, list[int]] = {}
    for row, ref in zip(rows, upper):
        groups.setdefault(ref, []).append(row)
    for row, ref, typed in zip(rows, upper, table["reference"][dup].tolist()):
        group = groups[ref]
        others = [r for r in group[: shown + 1] if r != row][:shown]
        more = len(group) - 1 - len(others)
        listed = ", ".join(map(str, others)) + (f" and {more} more" if more else "")
        problems.append(cell_problem("reference", int(row), f"the reference is used again on row {listed}", typed, sheet=sheet))
