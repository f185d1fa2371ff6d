"""From raw cells to the validated register table, with every problem named.

Whatever reads the workbook (calamine in batch commands, xlwings inside Excel)
hands this module a header row and the rows beneath it as plain cell values.
It returns a pandas table with one row per complaint, indexed by the sheet's
row number, columns named by schema key: dates as datetime64 (NaT when empty),
categories and yes/no answers in their canonical spelling, text as str ('' when
empty). Every cell that cannot be read becomes a `Problem` naming the sheet, the
row, the column and the value, and is left empty in the table: one bad cell never
stops the other rows. Values of personal columns are never repeated in problems.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .schema import (
    BY_HEADER,
    CALCULATED_KEYS,
    INPUT_COLUMNS,
    Column,
    Kind,
    normalise_header,
)

EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_DATE, MAX_DATE = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
REQUIRED = ("reference", "date_received")
MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class Problem:
    row: int  # the sheet's row number (the header is row 1)
    column: str  # the header officers see ('' for a problem with the whole row)
    message: str
    value: str = ""  # as typed, unless the column holds personal data
    severity: str = "error"  # "error" stops a row being trusted; "warning" is for the officer to look at
    sheet: str = "Register"

    def __str__(self) -> str:
        where = f"{self.sheet} row {self.row}" + (f", column '{self.column}'" if self.column else "")
        shown = f" (the cell holds '{self.value}')" if self.value else ""
        return f"{where}: {self.message}{shown}"


@dataclass
class ValidatedRegister:
    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def row_problems(self) -> pd.Series:
        """Each row's error messages joined, '' for a clean row (the status engine shows them)."""
        messages: dict[int, list[str]] = {}
        for p in self.errors:
            if p.row in self.table.index:
                label = f"{p.column}: {p.message}" if p.column else p.message
                messages.setdefault(p.row, []).append(label)
        return pd.Series({r: "; ".join(m) for r, m in messages.items()}, index=self.table.index, dtype=object).fillna("")


class RegisterError(ValueError):
    """The sheet cannot be read as a register at all (no Reference column, say)."""


def validate(headers: list, rows: list[list], sheet: str = "Register", first_row: int = 2) -> ValidatedRegister:
    """Type every cell of the register and collect what is wrong, row by row."""
    problems: list[Problem] = []
    positions = _match_headers(headers, sheet, problems)
    if any(p.severity == "error" and p.row == 1 for p in problems):
        missing = [p for p in problems if p.row == 1 and p.severity == "error"]
        raise RegisterError("; ".join(str(p) for p in missing))

    width = len(headers)
    input_positions = [i for key, i in positions.items() if key not in CALCULATED_KEYS]
    kept_rows, row_numbers = [], []
    for offset, raw in enumerate(rows):
        raw = list(raw[:width]) + [""] * (width - len(raw))
        if all(_blank(raw[i]) for i in input_positions):
            continue  # trailing or spare blank rows
        kept_rows.append(raw)
        row_numbers.append(first_row + offset)

    index = pd.Index(row_numbers, name="row", dtype=np.int64)
    data = {}
    for col in INPUT_COLUMNS:
        i = positions.get(col.key)
        cells = [r[i] for r in kept_rows] if i is not None else [""] * len(kept_rows)
        data[col.key] = _convert(col, cells, row_numbers, sheet, problems)
    table = pd.DataFrame(data, index=index)
    _check_required(table, sheet, problems)
    _check_duplicates(table, sheet, problems)
    problems.sort(key=lambda p: (p.row, p.column))
    return ValidatedRegister(table, problems)


def empty_table() -> pd.DataFrame:
    return validate([c.header for c in INPUT_COLUMNS], []).table


def from_records(records: list[dict]) -> ValidatedRegister:
    """Build a register from dicts keyed by header or key (tests, samples, the UDFs)."""
    headers = [c.header for c in INPUT_COLUMNS]
    rows = []
    for record in records:
        norm = {normalise_header(k).replace("_", " "): v for k, v in record.items()}
        rows.append([norm.get(normalise_header(h), "") for h in headers])
    return validate(headers, rows)


# --- headers -----------------------------------------------------------------


def _match_headers(headers: list, sheet: str, problems: list[Problem]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        col = BY_HEADER.get(normalise_header(header))
        if col is None:
            continue  # extra columns are the council's own business
        if col.key in positions:
            problems.append(Problem(1, col.header, f"the column appears twice (columns {_letter(positions[col.key])} and {_letter(i)})", sheet=sheet))
            continue
        positions[col.key] = i
    for key in REQUIRED:
        if key not in positions:
            header = next(c.header for c in INPUT_COLUMNS if c.key == key)
            problems.append(Problem(1, header, f"there is no '{header}' column in the header row", sheet=sheet))
    for col in INPUT_COLUMNS:
        if col.key not in positions and col.key not in REQUIRED:
            problems.append(Problem(1, col.header, "the column is missing; it is treated as empty", severity="warning", sheet=sheet))
    return positions


def _letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- cells -------------------------------------------------------------------


def _blank(value) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, np.datetime64) and np.isnat(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float) and np.isnan(value):
        return True
    return False


def _convert(col: Column, cells: list, rows: list[int], sheet: str, problems: list[Problem]):
    if col.kind is Kind.DATE:
        out = np.full(len(cells), np.datetime64("NaT", "D"))
        for j, value in enumerate(cells):
            if _blank(value):
                continue
            try:
                out[j] = np.datetime64(parse_date(value), "D")
            except ValueError as err:
                problems.append(_problem(col, rows[j], str(err), value, sheet))
        return pd.array(out.astype("datetime64[s]"))
    texts = [_text(v) for v in cells]
    if col.kind in (Kind.CATEGORY, Kind.YESNO):
        lookup = {v.lower(): v for v in col.values}
        if col.kind is Kind.YESNO:
            lookup.update({"y": "Yes", "n": "No", "true": "Yes", "false": "No"})
        out = []
        for j, text in enumerate(texts):
            if not text:
                out.append("")
                continue
            canonical = lookup.get(re.sub(r"\s+", " ", text).lower())
            if canonical is None:
                choices = "Yes or No" if col.kind is Kind.YESNO else "one of the values on the Lists sheet"
                problems.append(_problem(col, rows[j], f"'{text}' is not {choices}", text, sheet))
                canonical = ""
            out.append(canonical)
        return np.array(out, dtype=object)
    return np.array(texts, dtype=object)


def _text(value) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _problem(col: Column, row: int, message: str, value, sheet: str) -> Problem:
    if col.personal:  # never repeat a name or a child's date of birth, even inside the message
        generic = "is not a date (use day/month/year)" if col.kind is Kind.DATE else "is not one of the values on the Lists sheet"
        return Problem(row, col.header, generic, "", sheet=sheet)
    return Problem(row, col.header, message, _text(value)[:60], sheet=sheet)


_NUMERIC = re.compile(r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$")
_WORDS = re.compile(r"^\s*(?:[A-Za-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{2,4})\s*$")


def parse_date(value) -> dt.date:
    """Read a date as officers type it, UK style, and refuse to guess.

    Accepts real dates (and date-times, whose time is dropped), Excel serial
    numbers, 2024-03-12, 12/03/2024 and 12.3.24 (day first, as in the UK),
    and '12 March 2024'. A date whose day and month could only be read the
    American way (03/25/2024) is refused rather than swapped.
    """
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if not 1 <= float(value) < 2958466:
            raise ValueError("is not a date")
        day = EXCEL_EPOCH + dt.timedelta(days=int(float(value)))
    elif isinstance(value, str):
        day = _parse_text_date(value)
    elif isinstance(value, (pd.Timestamp, np.datetime64)):
        day = pd.Timestamp(value).date()
    else:
        raise ValueError("is not a date")
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"is not a plausible date ({day:%d/%m/%Y})")
    return day


def _parse_text_date(text: str) -> dt.date:
    text = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return parse_date(float(text))
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
        return _make(year, month, day, text)
    if m := _NUMERIC.match(text):
        first, second, third = m.groups()
        if len(first) == 4:  # 2024/03/12
            return _make(int(first), int(second), int(third), text)
        day, month, year = int(first), int(second), int(third)
        if month > 12 and day <= 12:
            raise ValueError(f"reads as month/day (American order); type it day first, e.g. {month:02d}/{day:02d}/{_year(year)}")
        return _make(_year(year), month, day, text)
    if m := _WORDS.match(text):
        day, month_name, year = m.groups()
        month = MONTHS.get(month_name.lower())
        if month is None:
            raise ValueError("is not a date")
        return _make(_year(int(year)), month, int(day), text)
    raise ValueError("is not a date")


def _year(year: int) -> int:
    if year >= 100:
        return year
    return 2000 + year if year < 70 else 1900 + year


def _make(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError("is not a real date") from None


# --- whole-table checks ------------------------------------------------------


def _check_required(table: pd.DataFrame, sheet: str, problems: list[Problem]) -> None:
    already = {(p.row, p.column) for p in problems}
    for row in table.index[table["reference"] == ""]:
        problems.append(Problem(int(row), "Reference", "every complaint needs a reference", sheet=sheet))
    for row in table.index[table["date_received"].isna()]:
        if (int(row), "Date received") not in already:
            problems.append(Problem(int(row), "Date received", "the date received is empty", sheet=sheet))


def _check_duplicates(table: pd.DataFrame, sheet: str, problems: list[Problem]) -> None:
    refs = table["reference"].str.upper()
    dup = refs.duplicated(keep=False) & (refs != "")
    for row, ref in table.loc[dup, "reference"].items():
        others = [int(r) for r in table.index[dup & (refs == ref.upper())] if r != row]
        problems.append(
            Problem(int(row), "Reference", f"the reference is used again on row {', '.join(map(str, others))}", ref, sheet=sheet)
        )
