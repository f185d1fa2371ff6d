"""Reading the learning sheets (Actions, Remedies, Ombudsman cases, Service requests) from a register file.

The pure core (`core.learning`) types and checks rows handed to it; this is
the file's edge. The sheets are read with python-calamine as the register's
own reader reads them, and, where a command reads the Register too, in the same
opening of the workbook (`read_with_register`), so a big register's file is
opened and its shared strings read once. A register without these sheets still
works: they are simply empty.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from python_calamine import CalamineWorkbook

from ..core import learning
from ..core.learning import SHEETS, Learning
from ..core.schema import normalise_header
from ..core.settings import Settings
from .reader import RegisterCells, read_cells

SELF_ASSESSMENT = "Self-assessment"


def sheets_of(book: CalamineWorkbook, only: tuple[str, ...] = SHEETS) -> dict[str, list[list]]:
    """The cells from A1 of the workbook's sheets named in `only` (matched ignoring case and spaces), as calamine reads them."""
    last = {normalise_header(n): n for n in book.sheet_names}  # a learning sheet named twice: the last, as ever
    first = {normalise_header(n): n for n in reversed(book.sheet_names)}  # the Self-assessment sheet: the first
    names = {sheet: (first if sheet == SELF_ASSESSMENT else last).get(normalise_header(sheet)) for sheet in only}
    return {sheet: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for sheet, name in names.items() if name is not None}


def read_cells_of(path: str | Path, only: tuple[str, ...]) -> dict[str, list[list]]:
    """The cells of the workbook's sheets of `only` it has, from A1, in one opening of the file."""
    book = CalamineWorkbook.from_path(str(path))
    try:
        return sheets_of(book, only)
    finally:
        book.close()


def read_sheets(path: str | Path, only: tuple[str, ...] = SHEETS) -> dict[str, tuple[list, list[list], int]]:
    """The learning sheets a workbook has (of `only`), as {sheet: (headers, rows, header_row)}."""
    return learning.sheets_from_cells(read_cells_of(path, only))


def read_learning(path: str | Path, register_table) -> Learning:
    """Read and validate a workbook's learning sheets against its Register (empty when it has none)."""
    return learning.validate(read_sheets(path), register_table)


def status_part(path: str | Path, table, settings: Settings, as_of: dt.date) -> tuple[Learning, list[list]]:
    """What `status` reports from the learning sheets: the sheets read and validated, and their open deadlines."""
    found = read_learning(path, table)
    return found, learning.open_deadlines(found, settings, as_of, learning.register_services(table))


def read_with_register(path: str | Path, only: tuple[str, ...] = SHEETS, settings_sheet: bool = True,
                       self_assessment: bool = False) -> tuple[RegisterCells, dict[str, tuple[list, list[list], int]], list[list] | None]:
    """The Register's cells (`reader.read_cells`, without `results_stored`), the learning sheets of `only` and, if
    asked, the Self-assessment sheet's cells (None when there is none), from one opening of the workbook."""
    wanted = only + ((SELF_ASSESSMENT,) if self_assessment else ())
    cells = read_cells(path, settings_sheet=settings_sheet, with_book=lambda book: sheets_of(book, wanted) if book is not None else None,
                       results=False)  # the reports never write: whether formulas kept their results is not asked
    raw = cells.extra if cells.extra is not None else read_cells_of(path, wanted)  # an .ods read by the reader's own parser
    assessment = raw.pop(SELF_ASSESSMENT, None)
    return cells, learning.sheets_from_cells(raw), assessment
