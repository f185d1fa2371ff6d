"""The register's typed columns as numpy arrays: what `register.validate` makes and the status engine reads.

Every column is one numpy array keyed by the schema's column key (dates as
datetime64, text as objects, '' when empty), with each row's sheet row number
beside them. The core works on these rather than on a pandas DataFrame so that
`refresh`, which officers run every morning, never loads pandas: importing it
takes a fifth of a second, a fifth of the whole refresh. The reports, letters
and the other commands that want pandas ask for `frame()`, the very DataFrame
`validate` used to give.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, eq=False)
class Table:
    """Columns by key, each as long as `rows`, the sheet row number of each row."""

    columns: dict[str, np.ndarray]
    rows: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, key: str) -> bool:
        return key in self.columns

    def __getitem__(self, key: str) -> np.ndarray:
        return self.columns[key]

    def take(self, positions: np.ndarray) -> "Table":
        """The rows at these positions (not sheet rows), in that order."""
        return Table({k: v[positions] for k, v in self.columns.items()}, self.rows[positions])

    def frame(self) -> "pd.DataFrame":
        """The same columns as a pandas DataFrame indexed by sheet row ('row'), for the code that works in pandas."""
        import pandas as pd

        return pd.DataFrame(dict(self.columns), index=pd.Index(np.asarray(self.rows, dtype=np.int64), name="row", dtype=np.int64))

    @classmethod
    def of(cls, table: "Table | pd.DataFrame") -> "Table":
        """A Table as it is, or a DataFrame's columns (dates as datetime64, everything else as objects)."""
        if isinstance(table, Table):
            return table
        columns = {}
        for key in table.columns:
            column = table[key]
            kind = column.dtype.kind
            columns[key] = column.to_numpy() if kind == "M" else column.to_numpy(dtype=object)
        return cls(columns, table.index.to_numpy())


def is_pandas_missing(value) -> bool:
    """Whether a value is pandas' NaT or NA (a cell handed over from a DataFrame), without loading
    pandas to ask: while pandas is not loaded, no value can be one of its own."""
    pd = sys.modules.get("pandas")
    return pd is not None and (value is pd.NaT or value is pd.NA)


def is_missing(value) -> bool:
    """None, NaN, NaT or NA: what pandas' factorize leaves out (code -1)."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return is_pandas_missing(value)


def factorize(values: Iterable) -> tuple[np.ndarray, list]:
    """(each value's code, the distinct values in order of first appearance), -1 for a missing value.

    What pandas' factorize gives (values equal in Python are one value); a
    register's columns repeat a few values thousands of times, so later steps
    look at each distinct one once. pandas' own, hashing in C, when pandas is
    loaded already (a million rows handed over as a DataFrame); the same in
    Python otherwise (refresh, which never loads pandas).
    """
    if not (isinstance(values, np.ndarray) and values.dtype == object):
        values = list(values)
        values = np.fromiter(values, dtype=object, count=len(values))
    pd = sys.modules.get("pandas")
    if pd is not None and hasattr(pd, "factorize"):
        codes, distinct = pd.factorize(values.reshape(-1))
        return np.asarray(codes, dtype=np.intp), list(distinct)
    return factorize_in_python(values)


def factorize_in_python(values: np.ndarray) -> tuple[np.ndarray, list]:
    """`factorize` without pandas: each distinct value found once by a dict, in order of first appearance."""
    values = values.reshape(-1).tolist()
    position = {v: i for i, v in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(position.__getitem__, values), dtype=np.intp, count=len(values))
    distinct = list(position)
    gone = np.fromiter(map(is_missing, distinct), dtype=bool, count=len(distinct))
    if gone.any():
        renumber = np.where(gone, -1, np.cumsum(~gone) - 1)
        codes = renumber[codes]
        distinct = [v for v, missing in zip(distinct, gone.tolist()) if not missing]
    return codes, distinct
