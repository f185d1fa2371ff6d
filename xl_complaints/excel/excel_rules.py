"""Excel's own rules for the values formulas see, so the results stored with the toolkit's formulas are Excel's.

Excel in Protected View, the Windows preview pane, SharePoint's viewer and any
program that does not recalculate show the value stored with a formula, not
the formula's answer. So every formula that depends on the block or the As-of
date is written with the value Excel would give it (`workbook.formula_results`,
`workbook_learning.dashboard_results`), worked out with these rules: case-blind
text comparison, an empty cell read as 0 by INDEX, text never equal to a
number, MATCH's wildcards, arithmetic's coercion. The names are the excel
package's own (workbook and workbook_learning use them); nothing here writes a file.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

import numpy as np

from ..core.dates import excel_serial

class _Empty:
    """An empty cell: '' to a text comparison, 0 to a number, 0 as a formula's result."""

    def __repr__(self) -> str:
        return "EMPTY"


EMPTY = _Empty()


def _serial(value):
    """A cell value as Excel holds it: dates as serial numbers, numbers as floats."""
    if isinstance(value, dt.date):  # a date-time too
        return float(excel_serial(value))
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return value


def _cell(value):
    """A value read from a sheet (None for an empty cell) as Excel holds it."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return EMPTY
    return _serial(value)


def _same(a, b) -> bool:
    """Excel's '=': text compared without regard to case, never equal to a number; empty is '' or 0."""
    a, b = _cell(a) if a is not EMPTY else a, _cell(b) if b is not EMPTY else b
    if a is EMPTY and b is EMPTY:
        return True
    if a is EMPTY:
        a = "" if isinstance(b, str) else (False if isinstance(b, bool) else 0.0)
    if b is EMPTY:
        b = "" if isinstance(a, str) else (False if isinstance(a, bool) else 0.0)
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return False
    return a == b


def _equals_text(values: Sequence, text: str) -> list[bool]:
    """`_same(v, text)` for each value, each distinct value worked out once: a register has
    thousands of rows but only a few RAG and stage values, and COUNTIFS asks this 50,000 times."""
    keys = list(zip(map(type, values), values))  # by type too: True, 1 and 1.0 are one dict key but not one cell
    try:
        memo = {key: _same(key[1], text) for key in set(keys)}
    except TypeError:  # an unhashable value: each worked out on its own
        return [_same(v, text) for v in values]
    return list(map(memo.__getitem__, keys))


def _text(value) -> str:
    """A value joined into text with '&', as Excel shows a number in General format."""
    value = _cell(value) if value is not EMPTY else value
    if value is EMPTY:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    return str(value)


def _wildcard(pattern: str):
    """MATCH's wildcards in a text lookup value: * any run, ? one character, ~ escapes."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern) and pattern[i + 1] in "*?~":
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


class _Keys:
    """MATCH(value, calc_keys, 0) over the block's first column, indexed once."""

    def __init__(self, keys: Sequence):
        self.keys = [_cell(k) for k in keys]
        self.first: dict = {}
        for i, key in enumerate(self.keys):
            marker = None if key is EMPTY else ("t", key.lower()) if isinstance(key, str) else ("b", key) if isinstance(key, bool) else ("n", key)
            if marker is not None and marker not in self.first:
                self.first[marker] = i

    def match(self, value) -> int | None:
        """Zero-based position of the first key equal to value, or None (#N/A)."""
        value = _cell(value)
        if value is EMPTY:
            return None
        if isinstance(value, str):
            if any(ch in value for ch in "*?~"):
                pattern = _wildcard(value)
                return next((i for i, k in enumerate(self.keys) if isinstance(k, str) and pattern.fullmatch(k)), None)
            return self.first.get(("t", value.lower()))
        return self.first.get(("b", value) if isinstance(value, bool) else ("n", value))


def _result(value):
    """A block cell picked by INDEX as the formula's result: an empty cell gives 0."""
    if value is EMPTY or value is None:
        return 0
    if isinstance(value, (dt.date, str, bool)):
        return value
    return float(value)


_AS_IS = frozenset((str, float, dt.date, dt.datetime, bool))  # block values `_result` gives back unchanged


def _number(value):
    """A value in arithmetic, as Excel coerces it; None for #VALUE!."""
    value = _cell(value) if value is not EMPTY else value
    if value is EMPTY:
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return value


def _at_most(value, limit: float) -> bool:
    """Excel's value <= limit for a number limit: text and TRUE/FALSE sort after every number."""
    value = _cell(value) if value is not EMPTY else value
    if value is EMPTY:
        value = 0.0
    if isinstance(value, (str, bool)):
        return False
    return value <= limit
