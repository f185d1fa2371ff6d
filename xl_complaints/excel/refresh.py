"""Bringing a register up to date where it lies: what `refresh` changes, cell by cell.

Refresh changes four things in the workbook package, and nothing else: the
As-of cell, the Holidays sheet's list, the calculated block on the hidden
Calculated sheet (unless it holds the live formula), and the stored results of
the toolkit's own formulas (the Register's grey columns, the notice line, the
Dashboard), so that a program that does not recalculate, or Excel before it
has, shows the right values. Where things are is found as Excel knows them:
the As-of cell and the block's columns by their defined names, the register's
rows by its Table, the Holidays columns by their headers.

`plan` returns a `package.Rewrite` for `writeback.write_package`, which writes
and checks the new file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import learning, schema

from ..files import learning_sheets, package

from . import workbook, workbook_learning
from ..files.package import Area, Formula, Package, Put, Result, SheetEdits
from ..files.reader import RegisterCells, read_cells
from ..core.register import ERROR_VALUES, EXCEL_CELL_LIMIT, RegisterError, guard_cell
from ..core.settings import Settings, settings_from_rows

TABLE_REL = package.DOC_RELS + "/table"
HOLIDAY_HEADERS = ("Date", "Day", "Holiday")
LIVE_MARK = "register_status("


@dataclass
class Refreshed:
    """What a refresh did, for the command to say."""

    as_of: dt.date
    rows: int
    holidays: int
    block: str  # "values" or "kept live formula"
    results: int  # stored formula results now right (written, or found right already)
    settings_problems: list[str] = field(default_factory=list)


def _missing(what: str) -> RegisterError:
    return RegisterError(f"The register has no {what}: refresh works on a register made by 'xl-complaints init'.")


def register_table(pkg: Package, sheet_part: str) -> tuple[int, int, int, int]:
    """(header row, last row, first column, last column) of the register's Table."""
    for rel in pkg.relationships(sheet_part):
        if rel.type != TABLE_REL or rel.external or rel.target not in pkg.infos:
            continue
        root = package.parse_xml(pkg.read(rel.target))
        if (root.get("name") or root.get("displayName")) != workbook.TABLE:
            continue
        first, _, last = root.get("ref", "").partition(":")
        r1, c1 = package.cell_position(first)
        r2, c2 = package.cell_position(last or first)
        r2 -= int(root.get("totalsRowCount", "0") or 0)
        return r1, r2, c1, c2
    raise _missing(f"table named '{workbook.TABLE}' on the {workbook.REGISTER} sheet")


def _area(names: dict[str, str], name: str) -> Area:
    if name not in names:
        raise _missing(f"'{name}' cell")
    try:
        return Area.parse(names[name])
    except package.PackageError:
        raise _missing(f"'{name}' cell") from None


def is_live(pkg: Package, part: str, first: Area) -> bool:
    """Whether the block's first cell holds the live array formula (register_status)."""
    cell = package.read_cells(pkg, part, [(first.first_row, first.first_col)]).get((first.first_row, first.first_col), b"")
    text = cell.decode("utf-8", "replace").replace(" ", "").lower()
    return "<f" in text and LIVE_MARK in text


def _holiday_columns(path: Path, rows: list[list] | None = None) -> list[int]:
    """The Holidays sheet's Date, Day and Holiday columns (1-based), by their headers
    (`rows`: the sheet's cells as read already; otherwise it is read here)."""
    if rows is None:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        try:
            rows = book.get_sheet_by_name(workbook.HOLIDAYS).to_python(skip_empty_area=False, nrows=1)
        finally:
            book.close()
    header = [str(v).strip().lower() for v in (rows[0] if rows else [])]
    cols = []
    for i, name in enumerate(HOLIDAY_HEADERS):
        cols.append(header.index(name.lower()) + 1 if name.lower() in header else i + 1)
    return cols


def plan(pkg: Package, as_of: dt.date, static: bool = False, settings: Settings | None = None, cells: RegisterCells | None = None) -> tuple[package.Rewrite, Refreshed]:
    """The parts refresh rewrites in `pkg`, and what it will have done."""
    # first: it says what is wrong with a damaged file, as every command does; the learning sheets in the same opening
    cells = cells or read_cells(pkg.path, also=(workbook.CALCULATED, workbook.HOLIDAYS),
                                with_book=lambda book: learning_sheets.sheets_of(book) if book is not None else None)
    try:
        sheets = pkg.sheets()
    except (KeyError, package.PackageError, package.XMLError):
        raise RegisterError(f"{pkg.path.name} is damaged (its list of sheets cannot be read): 'xl-complaints restore' puts back the last good copy.") from None
    for name in (workbook.REGISTER, workbook.HOLIDAYS, workbook.CALCULATED):
        if name not in sheets or sheets[name] not in pkg.infos:
            raise RegisterError(f"{pkg.path.name} is not a complete register (it has no '{name}' sheet): refresh works on a register made by 'xl-complaints init'.")
    names = pkg.defined_names()
    problems: list[str] = []
    if settings is None:
        settings, problems = settings_from_rows(cells.settings_rows)

    header_row, last_row, first_col, last_col = register_table(pkg, sheets[workbook.REGISTER])
    width = last_col - first_col + 1
    grid = cells.rows

    def row_of(n: int) -> list:
        """The Table's cells on sheet row `n`, '' for an empty one."""
        values = list(grid[n - 1][first_col - 1 : last_col]) if n - 1 < len(grid) else []
        if None in values:  # calamine reads an empty cell as '' already
            values = ["" if v is None else v for v in values]
        return values + [""] * (width - len(values)) if len(values) < width else values

    headers = row_of(header_row)
    rows = [row_of(n) for n in range(header_row + 1, last_row + 1)]
    while rows and all(v == "" for v in rows[-1]):
        rows.pop()  # the Table's spare empty row(s) at the end
    block = workbook.calculated_block(headers, rows, settings, as_of, header_row + 1, holds=cells.holds_rows) if rows else []
    date_style = pkg.date_style()
    edits: dict[str, SheetEdits] = {}

    def sheet_edits(sheet: str) -> SheetEdits:
        return edits.setdefault(sheets[sheet], SheetEdits())

    # the As-of cell
    where = _area(names, workbook.AS_OF)
    if where.sheet not in sheets:
        raise _missing(f"'{workbook.AS_OF}' cell")
    existing = package.read_cells(pkg, sheets[where.sheet], [(where.first_row, where.first_col)])
    keeps_style = b' s="' in existing.get((where.first_row, where.first_col), b"")
    sheet_edits(where.sheet).put(where.first_row, where.first_col, Put(as_of, None if keeps_style else date_style))

    # the Holidays sheet: its list rewritten from row 2, the rest of its rows emptied
    holidays = workbook.holiday_rows(settings, as_of)
    date_col, day_col, name_col = _holiday_columns(pkg.path, cells.others.get(workbook.HOLIDAYS))
    hol = sheet_edits(workbook.HOLIDAYS)
    for i, (day, weekday, name) in enumerate(holidays, start=2):
        hol.put(i, date_col, Put(day, date_style))
        hol.put(i, day_col, Put(weekday))
        guard_cell(name, f"{workbook.HOLIDAYS} row {i}, column {package.column_letters(name_col)}", f"The {workbook.HOLIDAYS} sheet")
        hol.put(i, name_col, Put(name))
    hol.clear_rows, hol.clear_cols = (2, package.MAX_ROW), frozenset((date_col, day_col, name_col))

    # the calculated block, unless it is the live formula Excel works out itself
    calc_part = sheets[workbook.CALCULATED]
    areas = [_area(names, n) for n in workbook.CALC_NAMES]
    live = is_live(pkg, calc_part, areas[0])
    rewrite_block = static or not live
    dropped: set[str] = set()
    replaced: dict[str, bytes] = {}
    if rewrite_block:
        calc = sheet_edits(workbook.CALCULATED)
        old_rows = cells.others.get(workbook.CALCULATED)
        formulas = _formula_cells(pkg, calc_part) if old_rows is not None else None
        empty, others = formulas or (frozenset(), frozenset())
        letters = {a.first_col: package.column_letters(a.first_col).encode() for a in areas}
        old_height = len(old_rows) if old_rows is not None else 0
        for offset, values in enumerate(block):
            for area, value in zip(areas, values):
                row, col = area.first_row + offset, area.first_col
                if value == "" and type(value) is str:
                    # not an empty cell, which INDEX reads as 0 (00/01/1900), and not a stored
                    # empty text, which some programs drop: a formula giving "" (as init writes it)
                    if formulas is None or letters[col] + b"%d" % row not in empty:
                        calc.put(row, col, Formula('""', ""))
                    continue
                if formulas is not None:
                    line = old_rows[row - 1] if row <= old_height else ()
                    if _unchanged(line[col - 1] if col <= len(line) else None, value) and not (others and letters[col] + b"%d" % row in others):
                        continue  # the cell holds this value already: its bytes stay as they are
                if isinstance(value, (dt.date, dt.datetime)):
                    calc.put(row, col, Put(value, date_style))
                else:
                    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT // 2:
                        guard_cell(value, f"{workbook.CALCULATED} row {row}, column {package.column_letters(col)}", f"The {workbook.CALCULATED} sheet")
                    calc.put(row, col, Put(value))
        calc.clear_rows = (areas[0].first_row + len(block), max(a.last_row for a in areas))
        calc.clear_cols = frozenset(a.first_col for a in areas)
        dropped, replaced = _without_calc_chain(pkg)

    # the stored results of the toolkit's formulas
    ref_at = workbook.reference_position(headers)
    references = [None if r[ref_at] in ("", None) else r[ref_at] for r in rows]
    # the Dashboard lists their overdue items; their RAG uses as_of too
    found = learning.sheets_from_cells(cells.extra) if isinstance(cells.extra, dict) else learning_sheets.read_sheets(pkg.path)
    results = workbook.formula_results(references, block, as_of, headers=headers, learning_sheets=found,
                                       services=workbook.column_cells(headers, rows, "service"), settings=settings, by_position=True)
    results.update((sheet, workbook.by_cell_position(values)) for sheet, values in workbook_learning.stored_rags(found, settings, as_of).items())
    count = 0
    for sheet, values in results.items():
        if sheet not in sheets:
            continue
        target = sheet_edits(sheet)
        written = target.cells
        # the register's formula cells as read: a result they hold already is not written again
        old_rows = grid if sheet == workbook.REGISTER and cells.sheet == workbook.REGISTER else None
        empty_stored = old_rows is not None and cells.results_stored
        height = len(old_rows) if old_rows is not None else 0
        for (r, c), value in values.items():
            if r in written and c in written[r]:
                continue
            count += 1
            if old_rows is not None:
                row = old_rows[r - 1] if r <= height else ()
                old = row[c - 1] if c <= len(row) else None
                if _unchanged(old, value) or (empty_stored and old == "" and value == "" and type(value) is str):
                    continue
            target.put(r, c, Result(value))

    for sheet in workbook.PRINTED_WITH_AS_OF:  # their printed footer says the As-of date
        if sheet in sheets and sheets[sheet] in pkg.infos:
            sheet_edits(sheet).printed_as_of = f"{as_of:%d/%m/%Y}"
    change = package.Rewrite(dropped=dropped, replaced=replaced)
    for part, sheet_change in edits.items():
        if sheet_change:  # a sheet with nothing to change is copied as it is
            change.parts[part] = _writer(sheet_change)
    done = Refreshed(as_of, len(rows), len(holidays), "values" if rewrite_block else "kept live formula", count, problems)
    return change, done


def _unchanged(old, new) -> bool:
    """Whether a cell read as `old` already holds `new`: the same kind of value (a date, a number, a
    TRUE/FALSE, a text) and the same value. Never for '' (an empty cell reads as '' too) or an error."""
    kind = type(new)
    if kind is str:
        return type(old) is str and old == new and new != "" and new not in ERROR_VALUES
    if kind is bool or type(old) is bool:
        return kind is type(old) and old == new
    if kind is dt.date:
        return type(old) is dt.date and old == new
    if kind is int or kind is float:
        return (type(old) is int or type(old) is float) and old == new
    return False


_FORMULA_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3}[0-9]+)"[^>]*><f\b')
_EMPTY_TEXT_FORMULA = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3}[0-9]+)"(?:\s+[st]="[^"]*")*\s*><f>""</f><v(?:></v>|/>)</c>')
_EMPTY_TEXT_AS_WRITTEN = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"(?: [st]="[^"]*")*><f>""</f><v(?:></v>|/>)</c>')  # a subset of the above
LOOKED_INTO = 64 << 20  # a part larger than this (uncompressed) is rewritten whole rather than looked into


def _formula_cells(pkg: Package, part: str) -> tuple[set, set] | None:
    """(the cells holding the formula "" with its empty result stored, the cells holding any other
    formula), each by its reference (b'E5'); None when the part is too large or unusual to look into."""
    if pkg.infos[part].file_size > LOOKED_INTO:
        return None
    xml = pkg.read(part)
    if b"<sheetData" not in xml:
        return None  # a prefixed sheet: everything is rewritten
    empty = _EMPTY_TEXT_AS_WRITTEN.findall(xml)  # the form init and refresh write: quicker to find
    if len(empty) != xml.count(b'<f>""</f>'):  # some other way of writing it too: the general form
        empty = _EMPTY_TEXT_FORMULA.findall(xml)
    empty = set(empty)
    others = set(_FORMULA_CELL.findall(xml)) - empty if xml.count(b"<f") != len(empty) else set()
    return empty, others


def _writer(edits: SheetEdits):
    return lambda source, target: package.rewrite_sheet(source, target, edits)


def _without_calc_chain(pkg: Package) -> tuple[set[str], dict[str, bytes]]:
    """Drop Excel's calculation chain (it lists formula cells, and the block's formulas change);
    Excel rebuilds it on opening. Its content type and relationship go with it."""
    book = pkg.workbook_part
    chain = [r for r in pkg.relationships(book) if r.type == package.CALC_CHAIN and not r.external]
    if not chain:
        return set(), {}
    part = chain[0].target
    rels_name = package.rels_part(book)
    rels = package.without_element(pkg.read(rels_name), rb'<Relationship\b[^>]*\bType="' + package.CALC_CHAIN.encode() + rb'"[^>]*/>')
    types = package.without_element(pkg.read(package.CONTENT_TYPES), rb'<Override\b[^>]*\bPartName="/' + part.encode() + rb'"[^>]*/>')
    return ({part} if part in pkg.infos else set()), {rels_name: rels, package.CONTENT_TYPES: types}
