"""The one place xl-complaints reaches inside XlsxWriter, and why.

XlsxWriter re-reads the text of every formula it is given
(`Worksheet._prepare_formula`, a private method: some 30 regular expressions
that prefix Excel's newer functions), however often the same text comes. The
register repeats its calculated columns' formulas on every row, twice (once for
the table's column formula, once with each row's stored result), so for a
register of 3,000 rows this is two thirds of the time `init` takes (14 s
against 4 s with the formulas remembered). The answer depends only on the
formula's text, so each worksheet remembers it.

XlsxWriter offers no public way to do this (a formula that already holds
'_xlfn.' is passed through, but the register's formulas use no newer function).
If a release renames the method the register is built more slowly, never
differently: tests/test_xlsxwriter_seam.py fails then, so the upgrade is
noticed, and it checks that a register built with and without remembering is
byte for byte the same. No other module touches XlsxWriter's private names.
"""

from __future__ import annotations

import functools

PRIVATE_METHOD = "_prepare_formula"  # xlsxwriter.worksheet.Worksheet, checked with XlsxWriter 3.1 to 3.3


def remember_formulas(sheet) -> bool:
    """Make `sheet` read each distinct formula text once; False when this XlsxWriter has no such method."""
    prepare = getattr(sheet, PRIVATE_METHOD, None)
    if prepare is None:
        return False
    setattr(sheet, PRIVATE_METHOD, functools.lru_cache(maxsize=64)(prepare))
    return True
