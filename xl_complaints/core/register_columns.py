"""The register's cells typed column by column, each distinct value judged once by `register.validate`.

A register's columns repeat themselves: 100,000 rows hold a thousand or so
dates received, a dozen representation types. `register.validate` looks at
every cell (some 2 s for the statistics' forty columns of 100,000 rows);
`validate_by_value` gives the very same `ValidatedRegister` (table, problems and
their order) for a fraction of that, because

- each column's distinct values (found by pandas' factorize, in C) are laid out
  in a small grid of their own and typed by `register.validate` itself, the one
  judge of what a cell means, and its answers spread back over the rows;
- the Reference and Date received columns, whose checks are about rows (a
  reference used twice, a complaint with no reference or date), go through
  `register.validate` cell by cell, as they are;
- a row with nothing in any column is dropped, as `register.validate` drops it.

Cells are those the readers give (str, float, int, bool, dates, date-times,
times, None): numbers are kept apart by type, since 1, 1.0 and True are equal
in Python but not read alike. tests/core/test_register_columns.py compares the
two on awkward cells.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from .register import ValidatedRegister, validate
from .table import Table
from .schema import BY_HEADER, CALCULATED_KEYS, INPUT_COLUMNS, MONEY_KEYS, Kind, column, normalise_header

ROW_KEYS = ("reference", "date_received")  # judged row by row: their checks compare rows
# A plain text column the row-by-row reading is given to keep the rows with something elsewhere.
_MARK = next(c for c in INPUT_COLUMNS if c.kind is Kind.TEXT and c.key not in MONEY_KEYS and c.key not in ROW_KEYS)
_NUMBERS = (bool, int, float)  # equal across types (1 == 1.0 == True), read differently
_NAT = np.datetime64("NaT", "s")


def validate_by_value(headers: list, rows, sheet: str = "Register", first_row: int = 2, header_row: int = 1,
                      lists=None) -> ValidatedRegister:
    """What `register.validate(headers, rows, ...)` gives, with each column's distinct cells judged once.

    `rows`: a list of rows or a rows x columns object array of the sheet's cells.
    """
    head = validate(headers, [], sheet=sheet, first_row=first_row, header_row=header_row, lists=lists)  # the header's problems
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        col = BY_HEADER.get(normalise_header(header))
        if col is not None and col.key not in positions:
            positions[col.key] = i
    inputs = {k: i for k, i in positions.items() if k not in CALCULATED_KEYS}
    grid = cells_grid(rows, max(inputs.values()) + 1)
    n = len(grid)
    fast = [c for c in INPUT_COLUMNS if c.key in inputs and c.key not in ROW_KEYS]

    codes: dict[str, np.ndarray] = {}
    distinct: dict[str, list] = {}
    filled = np.zeros(n, dtype=bool)  # a row with something in any other input column
    for col in fast:
        codes[col.key], distinct[col.key], blank = _factorize(grid[:, inputs[col.key]])
        filled |= ~blank[codes[col.key]]

    # Reference and Date received, row by row, with a mark for the rows with something in another column:
    # `register.validate` keeps the rows with anything in the three, as it keeps those with anything in any
    own = np.empty((n, 3), dtype=object)
    own[:, 0], own[:, 1] = grid[:, inputs["reference"]], grid[:, inputs["date_received"]]
    own[:, 2] = np.where(filled, "x", None)
    by_row = validate([column(k).header for k in ROW_KEYS] + [_MARK.header], own, sheet=sheet, first_row=first_row,
                      header_row=header_row, lists=lists)
    kept = by_row.columns.rows - first_row  # positions in `grid` of the rows kept

    # every other column's distinct values, side by side, each column padded with empty cells
    height = max((len(distinct[c.key]) for c in fast), default=0)
    values = np.full((height, len(fast) + 2), None, dtype=object)
    values[:, 0] = [f"\uffff{k}" for k in range(height)]  # references that cannot clash, and a real date: no row problems
    values[:, 1] = dt.date(2000, 1, 1)
    for j, col in enumerate(fast, start=2):
        values[: len(distinct[col.key]), j] = distinct[col.key]
    judged = validate([column(k).header for k in ROW_KEYS] + [c.header for c in fast], values, sheet=sheet,
                      first_row=first_row, header_row=header_row, lists=lists)

    data = {}
    for col in INPUT_COLUMNS:
        if col.key in ROW_KEYS:
            data[col.key] = by_row.columns[col.key]
        elif col.key in codes:
            typed = judged.columns[col.key]
            empty = _NAT if col.kind is Kind.DATE else ""
            data[col.key] = np.append(typed, np.array([empty], dtype=typed.dtype))[codes[col.key][kept]]  # -1: an empty cell
        else:
            data[col.key] = _empty(col, len(kept))
    table = Table(data, by_row.columns.rows.copy())

    problems = list(head.problems)
    problems += [p for p in by_row.problems if p.row != header_row]
    header_of = {c.header: c.key for c in fast}
    wrong: dict[str, dict[int, list]] = {}
    for p in judged.problems:
        if p.row != header_row and p.column in header_of:
            wrong.setdefault(header_of[p.column], {}).setdefault(p.row - first_row, []).append(p)
    numbers = by_row.columns.rows
    for key, at in wrong.items():
        column_codes = codes[key][kept]
        for r in np.flatnonzero(np.isin(column_codes, list(at))):
            row = int(numbers[r])
            problems += [dataclasses.replace(p, row=row) for p in at[int(column_codes[r])]]
    problems.sort(key=lambda p: (p.row, p.column))
    return ValidatedRegister(table, problems)


def _empty(col, n: int):
    """A column the sheet has not got, as `register.validate` leaves it."""
    if col.kind is Kind.DATE:
        return np.full(n, np.datetime64("NaT", "D")).astype("datetime64[s]")
    return np.full(n, "", dtype=object)


def _factorize(cells: np.ndarray) -> tuple[np.ndarray, list, np.ndarray]:
    """(each cell's code, -1 for None and NaN; the distinct values; whether each distinct value is blank)."""
    codes, uniques = pd.factorize(cells)
    uniques = list(uniques)
    if any(type(u) in _NUMBERS for u in uniques):  # 1, 1.0 and True are one value to pandas: tell them apart by type
        numbers = np.flatnonzero(np.isin(codes, [k for k, u in enumerate(uniques) if type(u) in _NUMBERS]))
        keyed = cells.copy()
        keyed[numbers] = [(type(v), v) for v in cells[numbers].tolist()]
        codes, uniques = pd.factorize(keyed)
        uniques = [u[1] if type(u) is tuple else u for u in uniques]
    blank = np.array([_blank(u) for u in uniques] + [True], dtype=bool)  # the last: code -1
    return codes, uniques, blank


def _blank(value) -> bool:
    """Whether `register.validate` counts the cell as empty when it decides which rows to drop."""
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return value != value
    return value is None or value is pd.NaT or value is pd.NA or (isinstance(value, np.datetime64) and np.isnat(value))


def cells_grid(rows, width: int) -> np.ndarray:
    """The rows as a rows x columns object array at least `width` wide (short rows padded with None)."""
    if isinstance(rows, np.ndarray) and rows.ndim == 2 and rows.shape[1] >= width:
        return rows
    if not len(rows):
        return np.empty((0, width), dtype=object)
    try:
        grid = np.array(rows, dtype=object)
    except ValueError:
        grid = None
    if grid is None or grid.ndim != 2 or grid.shape[1] < width:
        grid = np.empty((len(rows), width), dtype=object)
        for i, r in enumerate(rows):
            r = list(r)[:width]
            grid[i, : len(r)] = r
    return grid
