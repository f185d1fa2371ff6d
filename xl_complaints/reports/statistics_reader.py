"""Reading a register for the year-end statistics: only the columns they count.

Reading is the slow part of a big register, so only the statistics columns
(never names, addresses or contact details) are typed, by `register.validate`,
the one judge of what a cell means: the same table, and the same problems,
as reading the whole register gives for those columns. References are used to
match the Holds sheet's rows and then dropped, so none reaches the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import category_lists, schema
from ..files.collector import collector_paused
from ..core.register import Problem, validate_holds
from ..core.register_columns import validate_by_value
from ..core.schema import normalise_header
from ..core.settings import Settings, settings_from_rows
from ..files.learning_sheets import read_with_register
from . import statistics

READ_KEYS = ("reference",) + tuple(statistics.STATISTICS_KEYS)  # the reference only to match holds, then dropped


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


@collector_paused()
def read_for_statistics(path: str | Path, settings: Settings | None = None) -> StatisticsInput:
    """Read a register workbook's statistics columns (and its Settings and Holds sheets).

    The cells come from the same reader as every other command (huge used
    ranges, error cells and odd layouts are handled there); only the typing is
    narrowed to the columns the statistics count.
    """
    from ..core import learning

    cells, sheets, _ = read_with_register(path, only=(learning.ACTIONS,), settings_sheet=settings is None)  # one opening of the file
    settings_problems: list[str] = []
    if settings is None:
        settings, settings_problems = settings_from_rows(cells.settings_rows)
    lists = category_lists.from_rows(cells.lists_rows)
    table, problems = statistics_table(cells.headers, cells.body, cells.sheet, cells.header_row + 1, cells.header_row, lists)
    holds = None
    if cells.holds_rows:
        from ..core.status import Holds

        sheet_holds, _ = validate_holds(cells.holds_rows[0], cells.holds_rows[1:])
        holds = Holds.of(table, sheet_holds)
    refs = [str(r or "") for r in table["reference"].tolist()]
    actions, learning_problems = _actions(sheets, table, refs)
    return StatisticsInput(table.drop(columns="reference"), settings, cells.sheet, problems, settings_problems, holds,
                           lists, actions, learning_problems)


def _actions(sheets: dict, table: pd.DataFrame, refs: list[str]):
    """The Actions sheet, validated against the register's references and matched to the table's rows (references dropped)."""
    from ..core import learning

    if learning.ACTIONS not in sheets:
        return None, []
    headers, rows, _ = sheets[learning.ACTIONS]
    at = next((i for i, h in enumerate(headers) if normalise_header(h) == "reference"), None)
    named = {str(r[at] or "").strip().upper() for r in rows if at is not None and at < len(r)}
    keys = [r.strip().upper() for r in refs]
    wanted = np.fromiter(map(named.__contains__, keys), dtype=bool, count=len(keys))
    register = table.loc[wanted, ["date_received"]].assign(reference=[r for r, w in zip(refs, wanted) if w])
    checked = learning.validate(sheets, register)  # only the complaints the sheet names: the others cannot be pointed at
    return statistics.actions_table(refs, checked.actions, keys), checked.problems


def statistics_table(headers: list, body: list[list], sheet: str = "Register", first_row: int = 2,
                     header_row: int = 1, lists=None) -> tuple[pd.DataFrame, list[Problem]]:
    """The reference and statistics columns of the rows with anything to count, typed by `register.validate`
    (each column's distinct values once: `register_columns.validate_by_value`).

    Rows with nothing in the statistics columns (a name typed alone, a blank row) are left out; so are the
    problems of the Reference column, which the statistics never read.
    """
    seen: set[str] = set()
    wanted = []  # the header of each statistics column (its first, if it appears twice); blank for every other column
    for header in headers:
        col = schema.BY_HEADER.get(normalise_header(header))
        keep = col is not None and col.key in READ_KEYS and col.key not in seen
        wanted.append(header if keep else "")
        if keep:
            seen.add(col.key)
    checked = validate_by_value(wanted, body, sheet=sheet, first_row=first_row, header_row=header_row, lists=lists)  # other columns: never read
    present = np.zeros(len(checked.table), dtype=bool)
    for key in statistics.STATISTICS_KEYS:
        column = checked.table[key].to_numpy()
        present |= ~np.isnat(column) if schema.column(key).kind is schema.Kind.DATE else column != ""
    table = checked.table.loc[present, list(READ_KEYS)]
    kept = set(table.index)
    problems = [p for p in checked.problems if p.row > header_row and p.row in kept and p.column != "Reference"]
    return table, problems
