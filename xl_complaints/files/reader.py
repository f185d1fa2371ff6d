"""Reading a register file outside Excel (the batch commands' edge).

python-calamine reads .xlsx, .xlsm, .xls and .ods quickly without Excel; the
cells go to `register.validate`, which does all the judging. Nothing here writes.

Registers from the real world get special care here, and anything this module
decides on the officer's behalf is said in `RegisterFile.notes`:

- the sheet: 'Register', or else the first sheet (visible ones first) whose
  header row has 'Reference' and 'Date received' columns;
- the header row: any of the first ten rows, so a title row above it is fine;
  merged header cells are read as their first cell, and a header merged down
  over two rows counts on its lower row too;
- the end: reading stops after 1,000 rows in a row with nothing in the
  register's columns, so a stray space or a formula copied down to row
  1,048,576 neither hides complaints nor fills the memory. calamine builds the
  whole used range in memory (a cell at row 1,048,576 of a 60-column sheet
  takes some 2 GB and 3 s). So an .xlsx/.xlsm sheet whose used range is declared
  longer than ROW_BY_ROW_FROM rows is looked through for where its rows holding
  anything end: most often only formatting runs on (styled empty cells down to
  row 1,048,576), and calamine reads an in-memory copy of the workbook whose
  sheet ends there; a cell holding anything below CUT_SHORT_UP_TO sends it row by row
  (openpyxl's read-only mode), as is every such .ods (our own reader: calamine
  parses a whole .ods as soon as it opens one);
- a file that is not a workbook it can read (damaged, cut short, empty, a Word
  document or a CSV renamed .xlsm, an old .xls renamed .xlsx, password-protected,
  its Register sheet missing) is recognised here, once for every command, and
  told as one sentence (`file_problem`), with the way back (`restore`) where a
  backup exists; never as an exception's name;
- error cells (#N/A, #REF!...): calamine reads them as empty, so .xlsx/.xlsm
  sheets are searched for them and they reach `validate` as their error text,
  which reports them. In .ods files LibreOffice's own marks are read. In .xls
  files they cannot be told from empty cells, and the officer is told so.

docs/reading-registers.md says all this for officers.
"""

from __future__ import annotations

import io
import posixpath
import re
import threading
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import numpy as np
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from ..core import category_lists
from ..core.register import ERROR_VALUES, EXCEL_CELL_LIMIT, HOLDS_SHEET, RegisterError, ValidatedRegister, validate, validate_holds
from ..core.schema import BY_HEADER, normalise_header
from ..core.settings import Settings, settings_from_rows
from . import package
from .backups import backup_made, backups, is_whole_workbook

REGISTER_SHEET = "Register"
SETTINGS_SHEET = "Settings"
HEADER_SEARCH_ROWS = 10  # a title row or two above the header is tolerated
BLANK_RUN = 1_000  # this many empty rows in a row end the register
ROW_BY_ROW_FROM = 250_000  # a used range longer than this is read row by row, not whole
# ... unless its rows holding anything end by this row: calamine then reads them alone, quickly
# (60,000 rows of 80 columns are some 170 MB in calamine and Python; a register has far fewer)
CUT_SHORT_UP_TO = 60_000
SETTINGS_ROWS = 500  # the Settings sheet is short; its used range may not be
LISTS_ROWS = 1_000  # a category list longer than this is not a list


@dataclass
class RegisterFile:
    path: Path
    register: ValidatedRegister
    settings: Settings
    sheet: str
    settings_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader decided, for the officer to know
    header_row: int = 1
    lists: dict = field(default_factory=dict)  # the council's Lists sheet (category_lists.from_rows)


def read_register(path: str | Path, settings: Settings | None = None) -> RegisterFile:
    """Read and validate a register workbook; its Settings sheet, if any, gives the settings.

    `settings`, when given, wins over the workbook's Settings sheet.
    """
    cells = read_cells(path, settings_sheet=settings is None)
    lists = category_lists.from_rows(cells.lists_rows)
    register = validate(cells.headers, cells.body, sheet=cells.sheet, first_row=cells.header_row + 1, header_row=cells.header_row, lists=lists)
    if cells.holds_rows:  # several holds per complaint (docs/rules.md)
        register.holds, hold_problems = validate_holds(cells.holds_rows[0], cells.holds_rows[1:])
        register.problems.extend(hold_problems)
    problems: list[str] = []
    if settings is None:
        settings, problems = settings_from_rows(cells.settings_rows)
    return RegisterFile(cells.path, register, settings, cells.sheet, problems, cells.notes, cells.header_row, lists)


@dataclass
class RegisterCells:
    """A register sheet's cells as found, before any judging (for readers of a few columns, like the statistics)."""

    path: Path
    sheet: str
    header_row: int  # the sheet's row number of the header (1 = the first row)
    rows: list[list]  # from row 1 to the last row with anything in the register's columns
    notes: list[str]
    settings_rows: list[list] | None = None  # the Settings sheet's first rows, when asked for and there is one
    holds_rows: list[list] | None = None  # the Holds sheet's rows (header first), if there is one
    others: dict[str, list[list]] = field(default_factory=dict)  # other sheets asked for (`also`), from row 1 and column A
    results_stored: bool = False  # every formula on the register's sheet holds its stored result, so '' read is ''
    lists_rows: list[list] | None = None  # the Lists sheet's rows (header first), if there is one
    extra: object = None  # what `with_book` gave

    @property
    def headers(self) -> list:
        return [c if c is not None else "" for c in self.rows[self.header_row - 1]]

    @property
    def body(self) -> list[list]:
        return self.rows[self.header_row :]


def read_cells(path: str | Path, settings_sheet: bool = True, also: tuple[str, ...] = (), with_book=None, results: bool = True) -> RegisterCells:
    """Find the register in a workbook and take its cells, saying in `notes` what was decided.

    `also` names other sheets to take whole while the workbook is open (refresh
    reads the Calculated sheet's values this way, to leave unchanged cells alone).
    `with_book`, if given, is called with the open python-calamine workbook (None for an .ods
    read by our own parser) and its answer kept as `extra`: other sheets read in the same opening.
    `results=False` spares the look for formulas without stored results (`results_stored` is then False)."""
    path = Path(path)
    book = _Book(path)
    book.results = results
    try:
        found = _locate(book)
        others = {}
        for name in also:
            if name in book.sheet_names and name != found.sheet:
                other = book.sheet(name)
                if not other.row_by_row:  # one whose used range is huge is left out: its cells are all rewritten
                    others[name] = list(other.rows())
        settings_rows = None
        if settings_sheet and SETTINGS_SHEET in book.sheet_names:
            settings_rows = list(islice(book.sheet(SETTINGS_SHEET).rows(), SETTINGS_ROWS))
        holds_rows = None
        if HOLDS_SHEET in book.sheet_names and HOLDS_SHEET != found.sheet:
            holds_rows = [list(r) for r in book.sheet(HOLDS_SHEET).rows()]
            holds_rows = holds_rows if holds_rows and any(v not in (None, "") for v in holds_rows[0]) else None
        lists_rows = None
        if category_lists.LISTS_SHEET in book.sheet_names and category_lists.LISTS_SHEET != found.sheet:
            lists_rows = [list(r) for r in islice(book.sheet(category_lists.LISTS_SHEET).rows(), LISTS_ROWS)]
        extra = with_book(book.calamine) if with_book is not None else None
        return RegisterCells(path, found.sheet, found.header_row, found.rows, found.notes, settings_rows, holds_rows, others, found.results_stored, lists_rows, extra)
    except RegisterError:
        raise
    except Exception as err:  # calamine's and openpyxl's errors while reading a part: the file is damaged
        found = file_problem(path, sheet=REGISTER_SHEET, whole=True) or _damaged(path, "part of it cannot be read")
        raise FileProblem(found) from err
    finally:
        book.close()


# --- files that are not a readable workbook ---------------------------------------------

_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_NAME = {name: name.encode("utf-16-le") for name in ("EncryptedPackage", "EncryptionInfo", "Workbook", "Book", "WordDocument")}
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class FileProblem(RegisterError):
    """The file is not a workbook the toolkit can read; the message says why and what to do."""


def file_problem(path: str | Path, sheet: str | None = None, whole: bool = False, scan: dict | None = None) -> str | None:
    """What is wrong with the file as a workbook, as a sentence for an officer; None when nothing is.

    Looks at the file's first bytes and, for a zip, at the names of its parts:
    quick, and it reads no cell. With `sheet`, that sheet must be there, with
    its part; with `whole`, every part's checksum is checked too (a command
    that writes a register back checks both first: `check_writable`), and
    `scan`, when given, is told in the same reading whether any text could be
    longer than Excel holds (scan["long_text"]).
    """
    path = Path(path)
    if not path.exists():
        return f"There is no file at {path}."
    if path.is_dir():
        return f"{path} is a folder, not a workbook."
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            start = f.read(8)
    except OSError as err:
        from .outputs import plain_os_error

        return plain_os_error(err, path.name, "Nothing was read")
    if size == 0:
        return _damaged(path, "it is empty (0 bytes), perhaps from a save or copy that did not finish")
    suffix = path.suffix.lower()
    if start.startswith(_OLE):
        return _ole_problem(path, suffix)
    if not start.startswith(b"PK"):
        if suffix == ".xls":
            return None  # calamine reads the older BIFF layouts too; it says if it cannot
        what = "a text file (a CSV or similar)" if _looks_like_text(path) else "not a workbook"
        return _damaged(path, f"it is {what}, not an Excel workbook, although its name ends {path.suffix}")
    return _zip_problem(path, suffix, sheet, whole, scan)


def check_writable(path: str | Path, action: str, sheet: str = REGISTER_SHEET) -> None:
    """Before a command writes a register back: refuse, in a sentence, a file that is not a whole
    workbook with `sheet` in it, or whose register has a cell longer than Excel can hold.

    `action` names what would have been done ("Refreshing the register"), for the second.
    """
    scan: dict = {}
    before = _identity(Path(path))
    problem = file_problem(path, sheet=sheet, whole=True, scan=scan)
    if problem is not None:
        raise FileProblem(problem)
    _SEEN.clear()
    if before is not None and before == _identity(Path(path)) and "sheets" in scan:
        _SEEN[before] = scan["sheets"]
    if scan.get("long_text", True):  # rare: only then is the register read whole, to name the cells
        read_register(path).register.refuse_if_too_long(action)


LONG_RUN = EXCEL_CELL_LIMIT + 1  # bytes of text with no tag: never fewer than Excel's characters
_WINDOW = (LONG_RUN + 1) // 2  # a run of LONG_RUN bytes always covers a whole window this long, at a multiple of it


def _text_parts(name: str) -> bool:
    """The parts whose text could be a cell's: the sheets and the shared strings."""
    return (name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml") and name.endswith(".xml")


class _LongText:
    """Whether a part, fed in pieces, has a run of LONG_RUN bytes without a tag (text Excel may not hold).

    Only windows of _WINDOW bytes are looked at (a C-speed search for '<' in each), and the
    rare window without one is measured exactly, so the scan costs almost nothing."""

    def __init__(self):
        self.tail = b""
        self.found = False

    def feed(self, chunk: bytes) -> None:
        if self.found:
            return
        data = self.tail + chunk
        for start in range(0, len(data) - _WINDOW + 1, _WINDOW):
            if data.find(b"<", start, start + _WINDOW) == -1:
                lt = data.rfind(b"<", 0, start)
                gt = data.find(b">", lt + 1, start) if lt >= 0 else -1
                begin = gt + 1 if gt >= 0 else lt + 1  # the text after its tag, as Excel counts it
                end = data.find(b"<", start + _WINDOW)
                if (len(data) if end == -1 else end) - begin >= LONG_RUN:
                    self.found = True
                    return
        cut = data.rfind(b"<")
        self.tail = data[cut:] if cut >= 0 and len(data) - cut < LONG_RUN else data[-LONG_RUN:]

    def close(self) -> bool:
        if not self.found and len(self.tail) >= LONG_RUN and self.tail.find(b"<", 1) == -1:
            self.found = True
        return self.found


def _zip_problem(path: Path, suffix: str, sheet: str | None, whole: bool, scan: dict | None = None) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" in names:
                return _damaged(path, f"it is a Word document, not an Excel workbook, although its name ends {path.suffix}")
            if "ppt/presentation.xml" in names:
                return _damaged(path, f"it is a PowerPoint file, not an Excel workbook, although its name ends {path.suffix}")
            if "content.xml" in names and "xl/workbook.xml" not in names:
                if suffix == ".ods":
                    return None
                return _damaged(path, f"it is an OpenDocument spreadsheet (.ods), although its name ends {path.suffix}: rename it to .ods")
            if "xl/workbook.xml" not in names:
                return _damaged(path, "it has no workbook inside (it is a zip file of something else)")
            if suffix == ".ods":
                return _damaged(path, "it is an Excel workbook, although its name ends .ods: rename it to .xlsx (or .xlsm if it has macros)")
            if suffix == ".xls":
                return _damaged(path, "it is a newer Excel workbook (.xlsx), although its name ends .xls: rename it to .xlsx (or .xlsm if it has macros)")
            if whole and not _parts_read_back(z, scan):
                return _damaged(path, "part of it is damaged (its contents do not read back as they were saved)")
            if sheet is not None:
                try:
                    parts = _xlsx_parts(z)
                except (KeyError, ET.ParseError):
                    return _damaged(path, "the list of its sheets cannot be read")
                named = [n for n in parts if n.strip().lower() == sheet.lower()]
                if not named:
                    listed = ", ".join(repr(n) for n in parts) or "none"
                    return _damaged(path, f"it has no '{sheet}' sheet (sheets found: {listed})", damaged=False)
                if parts[named[0]] not in names:
                    return _damaged(path, f"its '{named[0]}' sheet is listed but its contents are missing from the file")
    except zipfile.BadZipFile:
        return _damaged(path, "it is damaged or cut short (perhaps a copy or save that did not finish)")
    except (OSError, EOFError, ValueError, RuntimeError, NotImplementedError):  # unreadable, odd compression, or zip encryption
        return _damaged(path, "it is damaged and cannot be opened")
    return None


READ_BACK_CHUNK = 1 << 20  # the check before a write reads each part in pieces this large


def _parts_read_back(z: zipfile.ZipFile, scan: dict | None = None) -> bool:
    """Every part decompresses and matches its checksum (zlib's own error is not an OSError).

    As zipfile's testzip does, each part is read to its end (which checks its
    checksum); with `scan`, the text parts are searched for over-long text on the way."""
    long_text = False
    sheets: dict[str, _SheetMarks] = {}
    try:
        for info in z.infolist():
            looking = scan is not None and _text_parts(info.filename)
            runs = _LongText() if looking and not long_text else None
            marks = _Marks(cut=None) if looking and info.filename.startswith("xl/worksheets/") else None
            with package.open_part(z, info) as f:  # ISA-L's inflate where installed: twice zlib's speed
                while chunk := f.read(READ_BACK_CHUNK):
                    if runs is not None:
                        runs.feed(chunk)
                    if marks is not None:
                        marks.feed(chunk)
            if runs is not None and runs.close():
                long_text = True
            if marks is not None:
                sheets[info.filename] = _SheetMarks(*marks.close(), marks.cut)
    except Exception:  # zlib.error, EOFError, BadZipFile...: damaged either way
        return False
    if scan is not None:
        scan["long_text"], scan["sheets"] = long_text, sheets
    return True


# What the check before a write saw of each sheet part (error cells, stored results, where a long
# sheet's rows holding anything end), kept for the reading that follows it, so the sheets are not
# inflated and searched twice: only for the very same file (its path, size, time of change and
# inode), and only the last one checked.
_SEEN: dict[tuple, dict[str, "_SheetMarks"]] = {}


def _identity(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def _seen(path: Path, part: str) -> "_SheetMarks | None":
    """What the check before a write saw of a sheet part, if it saw this very file."""
    key = _identity(path)
    return _SEEN.get(key, {}).get(part) if key is not None else None


def _ole_problem(path: Path, suffix: str) -> str | None:
    """An OLE compound file: a password-protected Office file, an old .xls, or an old Word document."""
    try:
        with open(path, "rb") as f:
            head = f.read(1 << 20)  # the directory of streams is near the start in small files; the end in large ones
            f.seek(max(0, path.stat().st_size - (1 << 20)))
            head += f.read()
    except OSError:
        head = b""
    has = {name for name, raw in _OLE_NAME.items() if raw in head}
    if {"EncryptedPackage", "EncryptionInfo"} & has:
        return (
            f"{path.name} is protected with a password, and the toolkit cannot read a password-protected register. "
            "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, "
            "and clear it), save it, and run the command again; keep the folder itself private instead. "
            + restore_hint(path, damaged=False)
        )
    if "WordDocument" in has:
        return _damaged(path, f"it is an old Word document (.doc), not an Excel workbook, although its name ends {path.suffix}")
    if suffix == ".xls":
        return None
    if {"Workbook", "Book"} & has:
        return _damaged(path, f"it is an old-style Excel 97-2003 workbook (.xls), although its name ends {path.suffix}: "
                              "open it in Excel and save it as an Excel Macro-Enabled Workbook (.xlsm)", damaged=False)
    return _damaged(path, "it is not an Excel workbook the toolkit can read")


def _looks_like_text(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            sample = f.read(4096)
    except OSError:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(sample) - 4:  # not just a character cut at the end of the sample
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return b"\x00" not in sample


def _damaged(path: Path, why: str, damaged: bool = True) -> str:
    """The sentence for a file that cannot be read: what is wrong, and the way back."""
    first = f"{path.name} cannot be read as a register: {why}."
    return f"{first} {restore_hint(path, damaged)}"


def restore_hint(path: Path, damaged: bool = True) -> str:
    """How to get the register back: `restore` when there is a backup, the council's own copies when not."""
    try:
        whole = [b for b in backups(path) if is_whole_workbook(b)]
    except (OSError, ValueError):
        whole = []
    if whole:
        return (
            f"Nothing was changed. To put back the last good copy (kept in Backups/ beside it on "
            f'{backup_made(whole[0]):%d/%m/%Y at %H:%M}), run: xl-complaints restore "{path.name}" --latest'
        )
    if damaged:
        return (
            "There is no backup of it in Backups/ beside it: ask IT for a previous version of the file "
            "(the shared drive keeps them), or make a new register with xl-complaints init. Nothing was changed."
        )
    return "Nothing was changed."


class _Book:
    """A workbook's sheets, each read the way that suits it.

    calamine opens .xlsx/.xlsm lazily, but parses a whole .ods at once; so an
    .ods whose used range is huge, or which has error cells calamine would
    read as empty, is read by our own row-by-row reader and never by calamine.
    """

    results = True  # whether its sheets' scans also tell if every formula has its stored result
    cuts: list  # copies made for long sheets cut short (_Sheet._cut_short), closed with it

    def __init__(self, path: Path, calamine: CalamineWorkbook | None = None):
        problem = file_problem(path)
        if problem is not None:
            raise FileProblem(problem)
        self.path, self.calamine, self._owned, self.cuts = path, calamine, calamine is None, []
        self.ods: _OdsScan | None = _OdsScan.of(path) if path.suffix.lower() == ".ods" else None
        if self.ods is not None and self.ods.needs_own_reader:
            self.sheet_names, self.hidden = list(self.ods.names), set()
            return
        if self.calamine is None:
            try:
                self.calamine = CalamineWorkbook.from_path(str(path))
            except Exception as err:  # calamine's errors are not a public hierarchy
                raise FileProblem(_damaged(path, "it could not be opened as a workbook")) from err
        self.sheet_names = list(self.calamine.sheet_names)
        self.hidden = {m.name for m in self.calamine.sheets_metadata if m.visible != SheetVisibleEnum.Visible}

    def sheet(self, name: str) -> "_Sheet":
        return _Sheet(self, name)

    def close(self) -> None:
        for cut in self.cuts:
            cut.close()
        if self._owned and self.calamine is not None:
            self.calamine.close()


# --- finding the register --------------------------------------------------------------


@dataclass
class _Found:
    sheet: str
    header_row: int  # the sheet's row number (1 = the first row)
    rows: list[list]  # from row 1 to the last row read
    notes: list[str]
    results_stored: bool = False


def _locate(book: _Book) -> _Found:
    """The Register sheet, or else the first sheet whose header row has Reference and Date received."""
    names, hidden, path = book.sheet_names, book.hidden, book.path
    named = [n for n in names if n.strip().lower() == REGISTER_SHEET.lower()]
    ordered = named + [n for n in names if n not in named and n not in hidden] + [n for n in names if n not in named and n in hidden]
    for name in ordered:
        sheet = book.sheet(name)
        rows = sheet.rows(to_extent=True)
        head = list(islice(rows, HEADER_SEARCH_ROWS))
        index = _header_index(head, sheet.merged)
        if index is None:
            continue
        head[index] = _merged_down(head, sheet.merged, index)
        body, stopped = _body(chain(head[index + 1 :], rows), head[index])
        notes = _notes(name, named, hidden, index, stopped, sheet, path, len(head[: index + 1]) + len(body))
        return _Found(name, index + 1, head[: index + 1] + body, notes, sheet.results_stored)
    raise FileProblem(
        f"No sheet in {path.name} has a header row with 'Reference' and 'Date received' columns "
        f"in its first {HEADER_SEARCH_ROWS} rows; sheets found: {', '.join(repr(n) for n in names)}. {restore_hint(path, False)}"
    )


def _recognised(row: list) -> set[str]:
    return {normalise_header(c) for c in row if isinstance(c, str) and normalise_header(c) in BY_HEADER}


def _header_index(head: list[list], merged: list) -> int | None:
    """The row (of the first few) naming the most register columns, with Reference and Date received."""
    best: tuple[int, int] | None = None
    for i in range(len(head)):
        names = _recognised(_merged_down(head, merged, i))
        if "reference" in names and "date received" in names and (best is None or len(names) > best[0]):
            best = (len(names), i)  # on a tie the upper row: the header is never taken from below complaints
    return None if best is None else best[1]


def _merged_down(head: list[list], merged: list, index: int) -> list:
    """Row `index` with the text of header cells merged down onto it from the rows above."""
    row = list(head[index])
    for (top, left), (bottom, right) in merged:
        if top < index <= bottom and top < len(head) and left < len(head[top]):
            while len(row) <= left:
                row.append("")
            if row[left] in ("", None):
                row[left] = head[top][left]
    return row


def _body(rows: Iterator[list], header: list, chunk: int = 4096) -> tuple[list[list], int | None]:
    """The rows under the header, up to the last one with anything in the register's columns.

    Returns the rows and, when reading stopped at a run of BLANK_RUN empty rows,
    how many rows below the header were looked at. Rows are taken a chunk at a
    time and judged with C-speed calls, so a long register costs little here.
    """
    keys = {i: col.key for i, c in enumerate(header) if (col := BY_HEADER.get(normalise_header(c))) and not col.calculated}
    positions = sorted(keys)
    cells, width = itemgetter(*positions), positions[-1] + 1
    reference = itemgetter(next(i for i, key in keys.items() if key == "reference"))
    body: list[list] = []
    last = -1  # the last row (index into body) with anything in it
    while block := list(islice(rows, chunk)):
        if min(map(len, block)) < width:
            block = [r if len(r) >= width else list(r) + [""] * (width - len(r)) for r in block]
        filled = np.fromiter(map(bool, map(reference, block)), dtype=bool, count=len(block))  # most rows: a reference
        for j in np.flatnonzero(~filled):  # the others, every register cell (a 0 or False still counts as something)
            values = cells(block[j])
            filled[j] = any(values) or values.count("") + values.count(None) != len(values)
        marks = np.concatenate(([last - len(body)], np.flatnonzero(filled), [len(block)]))
        gaps = np.flatnonzero(np.diff(marks) - 1 >= BLANK_RUN)
        if len(gaps):  # BLANK_RUN empty rows in a row: the register has ended
            stop = int(marks[gaps[0]]) + BLANK_RUN  # the block's row that completes the run
            body.extend(block)
            return body[: len(body) - len(block) + int(marks[gaps[0]]) + 1], len(body) - len(block) + stop + 1
        if marks.size > 2:
            last = len(body) + int(marks[-2])
        body.extend(block)
    return body[: last + 1], None


def _notes(name: str, named: list[str], hidden_names: set[str], index: int, stopped: int | None, sheet: "_Sheet", path: Path, last_read: int) -> list[str]:
    """What the reader decided on the officer's behalf, in their words."""
    notes = []
    if name not in named:
        missing = f"there is no sheet called '{REGISTER_SHEET}'" if not named else f"the sheet '{named[0]}' has no 'Reference' and 'Date received' headers"
        hidden = " (a hidden sheet)" if name in hidden_names else ""
        notes.append(f"Read the sheet '{name}'{hidden} of {path.name}: {missing}, so the first sheet with those headers was read.")
    if stopped is not None:
        stop_row = index + 1 + stopped
        beyond = f" The sheet's used range runs on to row {sheet.extent:,} (formatting, or a formula copied down?)." if sheet.extent and sheet.extent > stop_row else ""
        notes.append(
            f"Reading of '{name}' stopped at row {stop_row:,}: rows {stop_row - BLANK_RUN + 1:,} to {stop_row:,} have nothing in the register's columns.{beyond}"
            f" If any complaint is recorded below row {stop_row:,}, move it up."
        )
    if path.suffix.lower() == ".xls":
        notes.append(
            f"{path.name} is an old-style .xls workbook: in it, cells showing an error such as #N/A cannot be told from empty cells."
            " Save it as an Excel Workbook (.xlsx) to have them reported."
        )
    spread = [m for m in sheet.merged if m[0][0] > index and m[0][0] < last_read and (m[1][0] > m[0][0])]
    if spread:
        shown = ", ".join(f"{_cell(t, l)}:{_cell(b, r)}" for (t, l), (b, r) in spread[:5])
        more = f" and {len(spread) - 5} more" if len(spread) > 5 else ""
        notes.append(f"Cells merged over several rows in '{name}' ({shown}{more}) are read as their first row only; unmerge them and fill in each row.")
    return notes


def _cell(row: int, col: int) -> str:
    letters, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


# --- one sheet's rows --------------------------------------------------------------------


class _Sheet:
    """One worksheet's rows, from row 1 and column A, read lazily.

    calamine for ordinary sheets; row by row (openpyxl for .xlsx/.xlsm, our own
    reader for .ods) when the used range is too long to hold whole.
    """

    def __init__(self, book: _Book, name: str):
        self.book, self.name = book, name
        self.merged: list = []
        self.extent: int | None = None  # the last row of the used range, when known
        self._errors: _ErrorScan | None = None
        self._row_by_row = False
        self._cut: CalamineWorkbook | None = None  # a long sheet's rows holding anything, for calamine (_cut_short)
        if book.ods is not None:
            self.extent = book.ods.last_rows.get(name)
            self._row_by_row = book.ods.needs_own_reader
        elif book.path.suffix.lower() in (".xlsx", ".xlsm"):
            self._look_at_xlsx()

    @property
    def row_by_row(self) -> bool:
        """Whether the sheet's used range is too long for calamine to hold whole."""
        return self._row_by_row

    @property
    def results_stored(self) -> bool:
        """Whether every formula on the sheet is known to have its stored result (so an empty
        value read is an empty result): known for sheets calamine reads, after rows()."""
        if self._errors is None or self._row_by_row:
            return False
        self._errors.result()
        return self._errors.results_stored

    def rows(self, to_extent: bool = False) -> Iterator[list]:
        """The rows; with `to_extent`, a long sheet cut short goes on with the empty rows its used range
        declares below them, as it reads row by row (so the reading stops, and says so, the same way)."""
        if not self._row_by_row:
            return self._calamine_rows(to_extent)
        return _ods_rows(self.book.path, self.name) if self.book.ods is not None else _openpyxl_rows(self.book.path, self.name)

    def _calamine_rows(self, to_extent: bool = False) -> Iterator[list]:
        sheet = (self._cut or self.book.calamine).get_sheet_by_name(self.name)
        if sheet.start is None:
            return iter(())
        self.merged = sheet.merged_cell_ranges or []
        if self._cut is None:
            self.extent = sheet.end[0] + 1
        rows = sheet.to_python(skip_empty_area=False)  # from row 1 and column A; the range is known to be modest
        for r, found in (self._errors.result() if self._errors else {}).items():
            if r < len(rows):
                row = rows[r]
                for c, text in found:
                    if c < len(row) and row[c] in ("", None):  # calamine reads an error cell as empty
                        row[c] = text
        if to_extent and self._cut is not None and self.extent > len(rows):
            return chain(rows, ([] for _ in repeat(None, self.extent - len(rows))))
        return iter(rows)

    def _look_at_xlsx(self) -> None:
        try:
            with zipfile.ZipFile(self.book.path) as z:
                part = _xlsx_parts(z).get(self.name)
                if part is None:
                    return
                rows = _xlsx_dimension_rows(z, part)
        except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError):
            return  # calamine will say what is wrong with the file
        if rows is not None and rows > ROW_BY_ROW_FROM:
            self.extent = rows
            self._row_by_row = not self._cut_short(part)
        else:
            self._errors = _ErrorScan(self.book.path, part, _seen(self.book.path, part), self.book.results)

    def _cut_short(self, part: str) -> bool:
        """A sheet whose used range is declared longer than ROW_BY_ROW_FROM rows (formatting down to
        row 1,048,576, say), but whose rows holding anything are fewer: calamine is given a copy of the
        workbook, in memory, whose sheet ends after them (the part's bytes to there and its closing
        elements, so merged cells and the rest are as they were), and reads it as fast as an ordinary
        sheet. The part is looked through once for where they end (by the check before a write, if
        it saw this very file), to its end, so a damaged part is refused as a plain sheet's is.
        False, to be read row by row, when a cell below CUT_SHORT_UP_TO holds anything."""
        seen = _seen(self.book.path, part)
        if seen is None or seen.cut is None:
            with zipfile.ZipFile(self.book.path) as z:  # a damaged part says so here, as calamine would
                seen = _look_through(z, part, self.book.results)
        cut = seen.cut
        if cut is None or cut.last_row is None or cut.last_row > min(ROW_BY_ROW_FROM, CUT_SHORT_UP_TO):
            return False  # a cell far down: calamine would hold every cell above it
        try:
            with zipfile.ZipFile(self.book.path) as z:
                copy = _copy_with(z, part, cut.end, cut.tail)
            data = None
            if seen.marked:  # the error cells are all in the rows kept
                with zipfile.ZipFile(copy) as z:
                    data = z.read(part)
                copy.seek(0)
            self._cut = CalamineWorkbook.from_filelike(copy)
        except Exception:  # damaged, changed meanwhile, or odd: read row by row, which says what is wrong
            return False
        del copy
        self.book.cuts.append(self._cut)
        self._errors = _ErrorScan(self.book.path, part, seen[:2], self.book.results, data)
        return True


class _ErrorScan(threading.Thread):
    """The sheet's error cells, looked for while calamine reads the sheet.

    calamine holds the interpreter while it reads, so the part's stored bytes are read here first
    and the thread's first step is to inflate them in one call, which lets go of it: the two run
    side by side where the machine has a second core. Given the part's bytes already inflated
    (`data`, a long sheet cut short), it looks at them at once instead."""

    def __init__(self, path: Path, part: str, seen: tuple[bool, bool] | None = None, results: bool = True, data: bytes | None = None):
        super().__init__(name="xl-complaints error cells", daemon=True)
        self.path, self.part, self.seen, self.results = path, part, seen, results
        self._found: dict[int, list[tuple[int, str]]] = {}  # row index -> (column index, error text)
        if seen is not None and not seen[0]:  # the check before the write saw no error cell here
            self.results_stored = seen[1]
            return
        if data is not None:
            self._stored, self._data = None, data
            self.run()
            return
        self._stored, self._data = _stored_part(path, part), None
        self.start()

    def run(self) -> None:
        stored: dict = {} if self.seen is None else {"results": self.seen[1]}
        try:
            data = _inflate(*self._stored) if self._stored is not None else self._data
            self._stored = self._data = None
            with zipfile.ZipFile(self.path) as z:
                errors = _xlsx_errors(z, self.part, stored if self.seen is None and self.results else None, None if self.seen is None else True, data)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, zlib.error):
            return  # the file changed under us, or is odd: calamine has the last word
        for (r, c), text in errors.items():
            self._found.setdefault(r, []).append((c, text))
        self.results_stored = stored.get("results", False)

    results_stored = False  # every formula on the sheet has its stored result (known once run)

    def result(self) -> dict[int, list[tuple[int, str]]]:
        if self.ident is not None:
            self.join()
        return self._found


# --- .xlsx / .xlsm ------------------------------------------------------------------------

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?(\d+))?"')
_ERROR_MARKS = (b't="e"', b"t='e'")
_ERROR_MARK = re.compile(rb"""t=["']e["']""")  # either, in one pass (a mixed pair is looked at and let go)
_CELL_REF = re.compile(rb'\br=["\']([A-Z]+)(\d+)["\']')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def _xlsx_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the worksheet's part in the zip."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        if target:
            parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return parts


def _xlsx_dimension_rows(z: zipfile.ZipFile, part: str) -> int | None:
    """The last row of the sheet's used range as the file declares it (near the top of the part)."""
    with z.open(part) as f:
        start = f.read(1 << 16)
    m = _DIMENSION.search(start)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else 1


class _Cut(NamedTuple):
    """Where the rows holding anything end in a sheet part whose used range is declared long: the
    part kept to `end` (bytes, inflated) and closed with `tail` (its `</sheetData>` and all after it)
    has every cell calamine would read, error cell and formula of the whole part."""

    rows: int  # the last row of the used range, as the part declares it
    end: int  # the bytes up to the end of the last row holding anything (or of the <sheetData> tag)
    last_row: int | None  # that row's number (0: no row holds anything; None: not known)
    tail: bytes


class _SheetMarks(NamedTuple):
    """What a sheet part showed when looked through: (has error cells, every formula has its stored result)
    and, for a sheet whose used range is declared longer than ROW_BY_ROW_FROM rows, its cut."""

    marked: bool
    results: bool
    cut: _Cut | None = None


SCAN_CHUNK = 1 << 22  # a sheet is looked through in pieces this large
_UNPREFIXED = re.compile(rb"<sheetData\b")
# a formula with no stored result after it: a cell read as empty may then be a result never stored
_NO_RESULT = (re.compile(rb"</f>(?!<v[ >/])"), re.compile(rb"<f\b[^>]*/>(?!<v[ >/])"))
_SHEET_DATA_OPEN = re.compile(rb"<(?:[\w.-]+:)?sheetData\b[^>]*>")
_SHEET_DATA_CLOSE = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>")
_ROW_NUMBER = re.compile(rb"""row\b[^>]*?\sr\s*=\s*["'](\d+)["']""")
# What makes a cell hold something calamine reads, by the lowercase letter each needs: a value
# (<v>), an inline string (<is>), an error mark (t="e"), and any 'f' at all (a formula, however
# written). Styled empty cells (<c r="B9" s="3"/>) in rows as Excel writes them have none of these
# letters, so a piece of them is passed over with a C-speed search for one byte per letter.
_HOLDING = ((b"v", (b"<v", b":v")), (b"i", (b"<is", b":is")), (b"t", (b't="e"', b"t='e'")), (b"f", (b"f",)))
_TAIL = 4096  # bytes of the piece before kept with the next (a mark or tag split between them)


def _last_of(text: bytes, marks: tuple[bytes, ...], lo: int, hi: int) -> int:
    """Where the last of any of `marks` in text[lo:hi] begins (-1: none); each after the first is
    looked for only beyond the one found, so in a busy piece this costs one short search."""
    last = -1
    for mark in marks:
        last = max(last, text.rfind(mark, max(lo, last + 1), hi))
    return last


class _Marks:
    """What a sheet part, fed in pieces, shows without being parsed: whether it has error cells
    (t="e"), and whether every formula on it is followed by its stored result (known only for
    an unprefixed sheet); and, when `cut` (or, with cut=None, when the part's first piece declares
    a used range longer than ROW_BY_ROW_FROM rows), where the last row holding anything ends
    (`cut`, a _Cut), so the styled empty rows below it need never be parsed.

    Each piece is first looked at for the few letters the marks need (a C-speed search for one byte),
    so thousands of styled empty rows cost almost nothing."""

    def __init__(self, results: bool = True, cut: bool | None = False):
        self.tail, self.marked, self.results, self.unprefixed = b"", False, results, False
        self.cutting, self.at = cut is not False, 0  # until the dimension is seen (within the first 64 KB)
        self._deciding = cut is not False
        self.rows: int | None = None
        self._data_at: int | None = None  # where the rows start (after the <sheetData> tag)
        self._data_end: int | None = None  # where </sheetData> starts
        self._end: int | None = None  # the end of the last row holding anything
        self._pending: int | None = None  # a mark whose row's end is not seen yet
        self._last_row: int | None = 0
        self._row: int | None = None  # the number of the last row begun so far
        self._tail: list[bytes] = []

    @property
    def done(self) -> bool:
        return self.marked and not self.results and not self.cutting

    def feed(self, chunk: bytes) -> None:
        if self._deciding:
            m = _DIMENSION.search(self.tail + chunk[: 1 << 16])
            if m is not None:
                self.rows = int(m.group(1)) if m.group(1) else 1
                self.cutting, self._deciding = self.rows > ROW_BY_ROW_FROM, False
            elif self.at + len(chunk) >= 1 << 16:
                self.cutting = self._deciding = False
        if not self.results and not self.cutting:
            seam = self.tail[-8:] + chunk[:8]  # a mark split between two chunks
            self.marked = self.marked or _ERROR_MARK.search(chunk) is not None or _ERROR_MARK.search(seam) is not None
            self.tail = chunk[-8:]
            self.at += len(chunk)
            return
        text = self.tail + chunk
        base, self.at = self.at - len(self.tail), self.at + len(chunk)
        has = {letter: letter in text for letter in (b"v", b"i", b"t", b"f")}
        if not self.marked and has[b"t"]:
            self.marked = _ERROR_MARK.search(text) is not None
        if self.results:
            self.unprefixed = self.unprefixed or _UNPREFIXED.search(text) is not None
            if has[b"f"]:
                for pattern in _NO_RESULT:  # a match ending at the very end is judged with the next chunk
                    if any(m.end() + 8 <= len(text) for m in pattern.finditer(text)):
                        self.results = False
        if self.cutting:
            self._cut_feed(text, base, len(text) - len(chunk), has)
        self.tail = text[-_TAIL:]

    def _cut_feed(self, text: bytes, base: int, new: int, has: dict) -> None:
        """Follow where the rows holding anything end; `new` is where this piece's own bytes start in `text`
        (the bytes before it were looked at with the piece before: a mark there is not counted twice)."""
        if self._data_end is not None:
            self._tail.append(text[new:])
            return
        lo = max(new - 8, 0)  # a mark split between two pieces
        if self._data_at is None:
            m = _SHEET_DATA_OPEN.search(text) if b"sheetData" in text else None
            if m is None:
                return
            if m.group().endswith(b"/>"):  # no rows at all: nothing to cut
                self.cutting = False
                return
            self._data_at = self._end = base + m.end()
        lo, since = max(lo, self._data_at - base), max(new - 64, self._data_at - base, 0)  # (a closing tag split)
        # the end of the rows ('h', rare in rows, passes most pieces over with a one-byte search)
        close = _SHEET_DATA_CLOSE.search(text, since) if b"h" in text and text.find(b"sheetData", since) >= 0 else None
        hi = close.start() if close is not None else len(text)
        last = -1
        for letter, marks in _HOLDING:
            if has[letter]:
                last = max(last, _last_of(text, marks, max(lo, last + 1), hi))
        if last >= 0:
            starts = _last_of(text, (b"<row", b":row"), 0, last)
            if starts >= 0:
                number = _ROW_NUMBER.match(text, starts + 1)
                row = int(number.group(1)) if number else None
            else:
                row = self._row  # the row began in an earlier piece
            self._last_row = None if row is None or self._last_row is None else max(self._last_row, row)
            self._pending, self._end = base + last, None
        if self._pending is not None:
            ends = text.find(b"row>", max(self._pending - base, 0), hi)
            if ends >= 0:
                self._end, self._pending = base + ends + 4, None
        starts = _last_of(text, (b"<row", b":row"), lo, hi)  # the row the next piece may begin inside
        if starts >= 0 and text.find(b">", starts) >= 0:  # (a tag cut short is seen whole with the next piece)
            number = _ROW_NUMBER.match(text, starts + 1)
            self._row = int(number.group(1)) if number else None
        if close is not None:
            self._data_end = base + close.start()
            self._tail.append(text[close.start() :])

    @property
    def cut(self) -> _Cut | None:
        """Where to cut the part (after close()); None when it was not looked for or cannot be made."""
        if not self.cutting or self._data_end is None or self._end is None or self.rows is None:
            return None
        return _Cut(self.rows, self._end, self._last_row, b"".join(self._tail))

    def close(self) -> tuple[bool, bool]:
        """(has error cells, every formula has its stored result)."""
        if self.results and (not self.unprefixed or any(pattern.search(self.tail) for pattern in _NO_RESULT)):
            self.results = False
        return self.marked, self.results


def _look_through(z: zipfile.ZipFile, part: str, results: bool = True) -> _SheetMarks:
    """What a long sheet part shows (error cells, stored results, its cut), in one streaming pass
    (zipfile checks its checksum at the end)."""
    marks = _Marks(results=results, cut=True)
    with z.open(part) as f:
        while chunk := f.read(SCAN_CHUNK):
            marks.feed(chunk)
    return _SheetMarks(*marks.close(), marks.cut)


# parts calamine never reads for a sheet's cells, left out of the copy it is given
_NOT_FOR_CALAMINE = ("xl/worksheets/", "xl/chartsheets/", "xl/media/", "xl/embeddings/", "xl/drawings/", "xl/charts/",
                     "xl/printerSettings/", "xl/activeX/", "customXml/")


def _copy_with(z: zipfile.ZipFile, part: str, end: int, tail: bytes) -> io.BytesIO:
    """The package in memory for calamine (which reads a file-like object as it reads a file), with
    `part` as its first `end` bytes then `tail`, copied in pieces; the other parts calamine reads
    (the workbook, its relationships, styles, shared strings) as they are; nothing compressed again."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as copy:
        for info in z.infolist():
            name = info.filename
            if name == part:
                with z.open(part) as f, copy.open(part, "w", force_zip64=end + len(tail) >= zipfile.ZIP64_LIMIT) as g:
                    left = end
                    while left:
                        chunk = f.read(min(SCAN_CHUNK, left))
                        if not chunk:
                            raise EOFError(f"{part} is shorter than it was")
                        g.write(chunk)
                        left -= len(chunk)
                    g.write(tail)
            elif not info.is_dir() and not name.startswith(_NOT_FOR_CALAMINE) and not name.endswith(".bin"):
                copy.writestr(name, z.read(info))
    out.seek(0)
    return out


def _stored_part(path: Path, part: str) -> tuple[int, bytes, int] | None:
    """(method, bytes, size) of the part as the zip stores it, read at once; None if it cannot be read so."""
    from .package import raw_bytes  # the one reader of a part's stored bytes

    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo(part)
            if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                return None  # encrypted, or packed some other way: zipfile reads it
            return info.compress_type, b"".join(raw_bytes(z, info)), info.file_size
    except (zipfile.BadZipFile, KeyError, OSError):
        return None


def _inflate(method: int, stored: bytes, size: int) -> bytes:
    return stored if method == zipfile.ZIP_STORED else zlib.decompress(stored, -15, max(size, 1))


def _xlsx_errors(z: zipfile.ZipFile, part: str, stored: dict | None = None, marked: bool | None = None,
                 data: bytes | None = None) -> dict[tuple[int, int], str]:
    """(row index, column index) -> error text of every error cell; the part is read whole only if it has any.

    With `stored`, stored["results"] says whether every formula on the sheet is
    followed by its stored result (an unprefixed sheet, read in the same pass).
    `marked`, when already known from an earlier reading, saves the first pass; `data`, the part
    already inflated, saves reading it."""
    if marked is None:
        marks = _Marks(results=stored is not None)
        if data is not None:
            for at in range(0, len(data), SCAN_CHUNK):
                marks.feed(data[at : at + SCAN_CHUNK])
                if marks.done:
                    break
        else:
            with z.open(part) as f:
                while not marks.done and (chunk := f.read(SCAN_CHUNK)):
                    marks.feed(chunk)
        marked, results = marks.close()
        if stored is not None:
            stored["results"] = results
    if not marked:
        return {}
    data = z.read(part) if data is None else data
    found: dict[tuple[int, int], str] = {}
    for mark in _ERROR_MARKS:
        at = data.find(mark)
        while at != -1:
            start = data.rfind(b"<", 0, at)
            close = data.find(b">", at)
            end = data.find(b"</c>", at)
            cell = data[start : close + 1] if data[close - 1 : close] == b"/" or end == -1 else data[start : end + 4]
            ref = _CELL_REF.search(cell)
            if ref and re.match(rb"<(?:\w+:)?c\b", cell):
                letters, number = ref.group(1).decode(), int(ref.group(2))
                value = _VALUE.search(cell)
                text = value.group(1).decode("utf-8", "replace").strip() if value else ""
                found[(number - 1, _column_index(letters))] = text if text in ERROR_VALUES else "#VALUE!"
            at = data.find(mark, at + 1)
    return found


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _openpyxl_rows(path: Path, name: str) -> Iterator[list]:
    """Row by row with openpyxl's read-only mode: slow but light, for a huge used range."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        for row in book[name].iter_rows(values_only=True):
            yield ["" if v is None else v for v in row]
    finally:
        book.close()


# --- .ods ---------------------------------------------------------------------------------

_T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_X = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_C = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_ODS_TOKENS = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"|</table:table>|<table:table-row\b([^>]*)>|office:value-type=')
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')


@dataclass
class _OdsScan:
    """What a quick look (a scan, not a parse) at an .ods file's content shows."""

    names: list[str]
    last_rows: dict[str, int]  # table -> the last row holding a value
    has_errors: bool

    @property
    def needs_own_reader(self) -> bool:
        return self.has_errors or any(last > ROW_BY_ROW_FROM for last in self.last_rows.values())

    @classmethod
    def of(cls, path: Path) -> "_OdsScan":
        try:
            with zipfile.ZipFile(path) as z:
                content = z.read("content.xml")
        except (zipfile.BadZipFile, KeyError, OSError):
            return cls([], {}, False)  # calamine will say what is wrong with the file
        names: list[str] = []
        last_rows: dict[str, int] = {}
        name, start, repeat = None, 0, 1
        for m in _ODS_TOKENS.finditer(content):
            if m.group(1) is not None:
                name, start, repeat = _unescape(m.group(1)).decode("utf-8", "replace"), -1, 1
                names.append(name)
            elif name is None:
                continue
            elif m.group(0).startswith(b"</table:table>"):
                name = None
            elif m.group(0).startswith(b"<table:table-row"):
                start += repeat
                r = _ROWS_REPEATED.search(m.group(2) or b"")
                repeat = int(r.group(1)) if r else 1
            else:  # a cell with a value, in the current row (and its repeats)
                last_rows[name] = start + repeat
        return cls(names, last_rows, b'calcext:value-type="error"' in content)


def _unescape(raw: bytes) -> bytes:
    return raw.replace(b"&apos;", b"'").replace(b"&quot;", b'"').replace(b"&lt;", b"<").replace(b"&gt;", b">").replace(b"&amp;", b"&")


def _ods_rows(path: Path, name: str) -> Iterator[list]:
    """Row by row from the .ods content, error cells as their text (#N/A, Err:502)."""
    import datetime as dt

    table, row_tag, cell_tags = f"{{{_T}}}table", f"{{{_T}}}table-row", (f"{{{_T}}}table-cell", f"{{{_T}}}covered-table-cell")
    repeated_rows, repeated_cols = f"{{{_T}}}number-rows-repeated", f"{{{_T}}}number-columns-repeated"
    with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
        inside = False
        for event, el in ET.iterparse(f, events=("start", "end")):
            if el.tag == table:
                if event == "start":
                    inside = el.get(f"{{{_T}}}name") == name
                elif inside:
                    return
                continue
            if event != "end" or el.tag != row_tag:
                continue
            if not inside:
                el.clear()
                continue
            row: list = []
            pending = 0
            for cell in el:
                if cell.tag not in cell_tags:
                    continue
                count = int(cell.get(repeated_cols, "1"))
                value = _ods_value(cell, dt)
                if value == "":
                    pending += count
                    continue
                row.extend([""] * pending)
                pending = 0
                row.extend([value] * count)
            for _ in range(int(el.get(repeated_rows, "1"))):
                yield list(row)
            el.clear()


def _ods_value(cell, dt):
    kind = cell.get(f"{{{_C}}}value-type") or cell.get(f"{{{_O}}}value-type")
    if kind is None:
        return ""
    if kind == "error":
        return _ods_text(cell).strip() or "#VALUE!"
    if kind in ("float", "percentage", "currency"):
        return float(cell.get(f"{{{_O}}}value", "nan"))
    if kind == "boolean":
        return cell.get(f"{{{_O}}}boolean-value", "false") == "true"
    if kind == "date":
        text = cell.get(f"{{{_O}}}date-value", "")
        try:
            return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
        except ValueError:
            return text
    if kind == "time":
        m = re.fullmatch(r"PT(\d+)H(\d+)M(\d+(?:\.\d+)?)S", cell.get(f"{{{_O}}}time-value", ""))
        if m:
            hours, minutes, seconds = int(m.group(1)), int(m.group(2)), float(m.group(3))
            return dt.time(hours % 24, minutes, int(seconds))
        return ""
    return _ods_text(cell)


def _ods_text(cell) -> str:
    paragraphs = []
    for p in cell:
        if p.tag == f"{{{_X}}}p":
            paragraphs.append(_ods_inline(p))
    return "\n".join(paragraphs)


def _ods_inline(el) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag == f"{{{_X}}}s":
            parts.append(" " * int(child.get(f"{{{_X}}}c", "1")))
        elif child.tag == f"{{{_X}}}tab":
            parts.append("\t")
        elif child.tag == f"{{{_X}}}line-break":
            parts.append("\n")
        else:
            parts.append(_ods_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)
