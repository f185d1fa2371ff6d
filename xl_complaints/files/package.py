"""The register as an Office Open XML package, changed one part at a time.

An .xlsm file is a zip of parts (ECMA-376 Part 2): one XML part per sheet, the
shared strings, the styles, the VBA project, drawings, slicers, threaded
comments, a sensitivity label and whatever else Excel or the council's IT has
put there. A command that writes the register must change only what it has
business changing, so this module never loads the workbook as a whole: it
copies every part through untouched, and in the few sheet parts it does change
it splices new cells into the XML as it streams past, byte for byte around
them. Memory stays flat however far down a sheet is formatted.

`rewrite` writes the new package; `compare` is the check before the swap: the
parts that should not change are identical, the ones that should still parse,
and the content types and relationships still match the parts.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import math
import posixpath
import re
import shutil
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, NamedTuple

from xml.parsers import expat

import xml.etree.ElementTree as ET

try:  # ISA-L's deflate: three times zlib's speed at level 1, and smaller (a sheet formatted to its last row is 150 MB of XML)
    from isal import isal_zlib as _deflate
except ImportError:  # not installed: zlib, the same format, slower
    import zlib as _deflate

from ..core.dates import excel_serial

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CONTENT_TYPES = "[Content_Types].xml"
OFFICE_DOCUMENT = DOC_RELS + "/officeDocument"
CALC_CHAIN = DOC_RELS + "/calcChain"
CHUNK = 1 << 20
MAX_ROW = 1_048_576  # the last row of a sheet
COPY = 1 << 19  # pieces in which unchanged bytes are copied
REWRITE_LEVEL = 1  # deflate level for rewritten parts: a quarter of the time of the default, a fifth larger
ISAL_LEVEL = 1  # ISA-L's level for rewritten parts: a third of zlib's level-1 time, and smaller than it
BIG_PART = 1 << 30  # parts this large (uncompressed) are written with zip64 sizes
SKIP_AHEAD = 8 << 20  # how far ahead the next row to change is looked for, to copy the rows before it in one piece


class PackageError(ValueError):
    """The file is not a workbook package this module can change safely."""


# --- cell references -------------------------------------------------------------------------


def column_letters(col: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def cell_position(ref: str) -> tuple[int, int]:
    """'$B$2' -> (2, 2): row, column, both from 1."""
    n = len(ref.rstrip("0123456789"))  # the usual 'B2' without a regular expression: refresh reads 100,000
    if 0 < n <= 3 and n < len(ref) and ref.isascii() and ref[:n].isalpha():
        return int(ref[n:]), _column_number(ref[:n])
    m = _REF.match(ref.strip())
    if not m:
        raise PackageError(f"'{ref}' is not a cell reference.")
    return int(m.group(2)), _column_number(m.group(1))


@functools.lru_cache(maxsize=20_000)
def _column_number(letters: str) -> int:
    return column_number(letters)


@dataclass(frozen=True)
class Area:
    """A rectangle of one sheet, as a defined name points at it ('Calculated!$A$4:$A$20003')."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @classmethod
    def parse(cls, text: str) -> "Area":
        text = text.strip().lstrip("=")
        if "!" not in text:
            raise PackageError(f"'{text}' does not name a sheet.")
        sheet, cells = text.rsplit("!", 1)
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        first, _, last = cells.partition(":")
        r1, c1 = cell_position(first)
        r2, c2 = cell_position(last) if last else (r1, c1)
        return cls(sheet, r1, c1, r2, c2)


# --- the package -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Relationship:
    id: str
    type: str
    target: str  # the part it points to, resolved; the target as written when external
    external: bool


def rels_part(part: str) -> str:
    """Where a part's relationships are kept ('' is the package itself)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


XMLError = ET.ParseError  # what parse_xml raises for a part that is not whole XML


def parse_xml(data: bytes):
    """A small XML part (relationships, content types, the workbook, a table, styles), parsed without
    fetching anything outside it: expat never loads an external entity or DTD, and refuses the
    entity expansion attacks. The standard library's parser: the package's parts need no more, and
    lxml (which the letters use) costs a refresh a fortieth of a second to import."""
    return ET.fromstring(data, ET.XMLParser())


class Package:
    """A workbook file opened for reading its parts (never the whole workbook at once)."""

    def __init__(self, path: str | Path | zipfile.ZipFile):
        """A path, or a zip file already open (which the caller then closes)."""
        if isinstance(path, zipfile.ZipFile):
            self.path, self.zip = Path(path.filename or ""), path
        else:
            self.path = Path(path)
            self.zip = zipfile.ZipFile(self.path)
        self.infos = {info.filename: info for info in self.zip.infolist()}
        self._rels: dict[str, list[Relationship]] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.zip.close()

    @property
    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, part: str) -> bytes:
        with self.open(part) as f:
            return f.read()

    def open(self, part: str) -> IO[bytes]:
        """A part's bytes to read (inflated as they are read; checked against the entry's checksum at the end)."""
        return open_part(self.zip, self.infos[part])

    def relationships(self, part: str) -> list[Relationship]:
        """The relationships of `part` ('' for the package's own, _rels/.rels)."""
        if part not in self._rels:
            name = "_rels/.rels" if part == "" else rels_part(part)
            found = []
            if name in self.infos:
                for rel in parse_xml(self.read(name)).iter(f"{{{PACKAGE_RELS}}}Relationship"):
                    external = rel.get("TargetMode") == "External"
                    target = rel.get("Target", "")
                    found.append(Relationship(rel.get("Id", ""), rel.get("Type", ""), target if external else resolve(part, target), external))
            self._rels[part] = found
        return self._rels[part]

    @property
    def workbook_part(self) -> str:
        for rel in self.relationships(""):
            if rel.type == OFFICE_DOCUMENT:
                return rel.target
        raise PackageError("the package has no workbook part")

    def sheets(self) -> dict[str, str]:
        """Sheet name -> its part, in the workbook's order."""
        book = parse_xml(self.read(self.workbook_part))
        targets = {r.id: r.target for r in self.relationships(self.workbook_part)}
        out = {}
        for sheet in book.iter(f"{{{MAIN}}}sheet"):
            rid = sheet.get(f"{{{DOC_RELS}}}id")
            if rid in targets:
                out[sheet.get("name")] = targets[rid]
        return out

    def defined_names(self) -> dict[str, str]:
        """The workbook-wide defined names and what they refer to."""
        book = parse_xml(self.read(self.workbook_part))
        return {d.get("name"): (d.text or "") for d in book.iter(f"{{{MAIN}}}definedName") if d.get("localSheetId") is None}

    def content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        """(extension -> type, part -> type) from [Content_Types].xml."""
        root = parse_xml(self.read(CONTENT_TYPES))
        defaults = {d.get("Extension", "").lower(): d.get("ContentType") for d in root.iter(f"{{{CONTENT_TYPES_NS}}}Default")}
        overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType") for o in root.iter(f"{{{CONTENT_TYPES_NS}}}Override")}
        return defaults, overrides

    def content_type(self, part: str) -> str | None:
        """The content type a part is given (its override, else its extension's default)."""
        if not hasattr(self, "_types"):
            self._types = self.content_types()
        defaults, overrides = self._types
        return overrides.get(part) or defaults.get(part.rsplit(".", 1)[-1].lower() if "." in part else "")

    def styles_part(self) -> str | None:
        for rel in self.relationships(self.workbook_part):
            if rel.type == DOC_RELS + "/styles":
                return rel.target
        return None

    def date_style(self) -> int | None:
        """The index of a plain cell format showing dates as dd/mm/yyyy (or the built-in date), if the workbook has one."""
        part = self.styles_part()
        if part is None or part not in self.infos:
            return None
        root = parse_xml(self.read(part))
        codes = {int(f.get("numFmtId")): (f.get("formatCode") or "").lower() for f in root.iter(f"{{{MAIN}}}numFmt")}
        xfs = root.find(f"{{{MAIN}}}cellXfs")
        if xfs is None:
            return None
        best = None
        for index, xf in enumerate(xfs.iter(f"{{{MAIN}}}xf")):
            fmt = int(xf.get("numFmtId", "0"))
            if codes.get(fmt, "").replace("\\", "") == "dd/mm/yyyy" or fmt == 14:
                plain = xf.get("fillId", "0") == "0" and xf.get("borderId", "0") == "0"
                if plain and codes.get(fmt):
                    return index
                best = index if best is None else best
        return best

    def problems(self) -> set[str]:
        """What is wrong with the package's content types and relationships (empty when nothing is)."""
        found: set[str] = set()
        defaults, overrides = self.content_types()
        for name in self.infos:
            if name == CONTENT_TYPES or name.endswith("/"):
                continue
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if name not in overrides and ext not in defaults:
                found.add(f"the part {name} has no content type")
        for name in overrides:
            if name not in self.infos:
                found.add(f"a content type names the missing part {name}")
        for name in self.infos:
            if not name.endswith(".rels"):
                continue
            source = _rels_source(name)
            for rel in self.relationships(source):
                if not rel.external and rel.target not in self.infos:
                    found.add(f"{source or 'the package'} points at the missing part {rel.target}")
        return found


# --- what to write into a cell ----------------------------------------------------------------------


# Named tuples, not dataclasses: a refresh makes a hundred thousand of them.


class Put(NamedTuple):
    """Make the cell hold this value (None: nothing), replacing what it held; its format stays unless `style` is given."""

    value: object
    style: int | None = None


class Formula(NamedTuple):
    """Make the cell hold this formula (without '='), with `value` as its stored result."""

    text: str
    value: object
    style: int | None = None


class Result(NamedTuple):
    """The stored result of the formula the cell already holds (a cell without a formula is left alone)."""

    value: object


Edit = Put | Formula | Result


@dataclass
class SheetEdits:
    """Everything to change in one sheet: cells by (row, column), and an area to empty where it is not rewritten."""

    cells: dict[int, dict[int, Edit]] = field(default_factory=dict)
    clear_rows: tuple[int, int] | None = None  # rows (inclusive) whose cells in clear_cols lose their values ...
    clear_cols: frozenset[int] = frozenset()  # ... unless `cells` rewrites them
    printed_as_of: str | None = None  # the printed footer's "As of dd/mm/yyyy" says this date instead

    def put(self, row: int, col: int, edit: Edit) -> None:
        self.cells.setdefault(row, {})[col] = edit

    def __bool__(self) -> bool:
        return bool(self.cells) or self.clear_rows is not None or self.printed_as_of is not None


@dataclass
class SheetReport:
    results_skipped: int = 0  # Result edits on cells that hold no formula (an officer typed over it)
    formulas_changed: bool = False  # a formula was added or removed (calcChain.xml must go)


_BAD_XML = re.compile("[\x00-\x08\x0b-\x0d\x0e-\x1f\ufffe\uffff]")  # \r too: XML would read it as \n
_ESCAPE_LOOKALIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def text_xml(text: str) -> bytes:
    """Text as SpreadsheetML holds it: XML-escaped, control characters as _xHHHH_ (ECMA-376 22.9.2.19)."""
    text = _ESCAPE_LOOKALIKE.sub(r"_x005F_\1", text)
    text = _BAD_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def _number(value) -> bytes:
    if isinstance(value, int):
        return str(value).encode()
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value)).encode()
    return repr(float(value)).encode()


def _typed(value, formula: bool) -> tuple[str | None, bytes]:
    """(the cell's t attribute, its content) for a value; content is <v>, or <is> for text outside a formula."""
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return (None, b"") if not formula else ("str", b"<v></v>")
    if isinstance(value, bool):
        return "b", b"<v>1</v>" if value else b"<v>0</v>"
    if isinstance(value, (dt.date, dt.datetime)):
        return None, b"<v>" + _number(excel_serial(value)) + b"</v>"
    if isinstance(value, (int, float)) or type(value).__module__ == "numpy":
        value = value.item() if hasattr(value, "item") else value
        if isinstance(value, bool):
            return _typed(value, formula)
        return None, b"<v>" + _number(value) + b"</v>"
    text = text_xml(str(value))
    if formula:
        return "str", b"<v>" + text + b"</v>"
    space = b' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() or b"\n" in text else b""
    return "inlineStr", b"<is><t" + space + b">" + text + b"</t></is>"


_TYPED: dict = {}
_VALUE_ATTRS = re.compile(rb'\s+(?:t|cm|vm)\s*=\s*(?:"[^"]*"|\'[^\']*\')')
_STYLE_ATTR = re.compile(rb'\s+s\s*=\s*(?:"[^"]*"|\'[^\']*\')')
_TYPE_ATTR = re.compile(rb'\s+t\s*=\s*(?:"[^"]*"|\'[^\']*\')')


def _typed_cached(value, formula: bool):
    """`_typed`, remembered for the values a sheet repeats (stages, RAG, empty results)."""
    try:
        key = (value.__class__, value, formula)
        found = _TYPED.get(key)
    except TypeError:
        return _typed(value, formula)
    if found is None:
        found = _typed(value, formula)
        if len(_TYPED) < 50_000:
            _TYPED[key] = found
    return found


# --- splicing cells into a sheet's XML -----------------------------------------------------------

_ATTR = re.compile(rb'([\w:.-]+)\s*=\s*("[^"]*"|\'[^\']*\')')


def _attrs(raw: bytes) -> list[tuple[bytes, bytes]]:
    return _ATTR.findall(raw)


def _attr(raw: bytes, name: bytes) -> bytes | None:
    for key, value in _attrs(raw):
        if key == name:
            return value[1:-1]
    return None


def _tag(p: bytes, name: bytes, attrs: list[tuple[bytes, bytes]], body: bytes | None) -> bytes:
    head = b"<" + p + name + b"".join(b" " + k + b"=" + v for k, v in attrs)
    return head + b"/>" if body is None else head + b">" + body + b"</" + p + name + b">"


# "As of 01/04/2025" inside a printed header or footer (<oddFooter>, <evenHeader>...): init writes it there.
_FOOTER_AS_OF = re.compile(rb"(<(?:\w+:)?(?:odd|even|first)(?:Header|Footer)>[^<]*?)As of \d\d/\d\d/\d{4}")


class _Batched:
    """Writes gathered into pieces of about COPY bytes: the splicer writes row by row, and each write
    into a zip entry is a checksum and a deflate call of its own."""

    def __init__(self, target: IO[bytes]):
        self.target, self.pieces, self.size = target, [], 0

    def write(self, data: bytes) -> None:
        if len(data) >= COPY:
            self.flush()
            self.target.write(data)
            return
        self.pieces.append(data)
        self.size += len(data)
        if self.size >= COPY:
            self.flush()

    def flush(self) -> None:
        if self.pieces:
            self.target.write(b"".join(self.pieces))
            self.pieces, self.size = [], 0


class _Splicer:
    """Rewrites the cells of one sheet part as it streams from `source` to `target`."""

    def __init__(self, source: IO[bytes], target: IO[bytes], edits: SheetEdits):
        self.source, self.target, self.edits = source, _Batched(target), edits
        self.buf = b""
        self.pos = 0
        self.eof = False
        self.report = SheetReport()
        self.pending = collections.deque(sorted(edits.cells))  # rows still to write
        self.letters: dict[int, bytes] = {}
        self.formulas: dict[tuple, tuple[bytes, bytes]] = {}  # (formula, value) -> (type attribute, content)
        self.clear_last = edits.clear_rows[1] if edits.clear_rows else 0

    # reading: the buffer only grows inside one row's work, so positions in it stay valid
    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.source.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _compact(self) -> None:
        if self.pos > CHUNK:
            self.buf = self.buf[self.pos :]
            self.pos = 0

    def _find(self, pattern: re.Pattern, start: int):
        """The next match from `start`, reading on until it is whole (None at the end of the part)."""
        while True:
            m = pattern.search(self.buf, start)
            if m is not None and (m.end() < len(self.buf) or self.eof):
                return m
            if not self._more():
                return pattern.search(self.buf, start)

    def run(self) -> SheetReport:
        try:
            return self._run()
        finally:
            self.target.flush()

    def _run(self) -> SheetReport:
        head = self._find(re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>"), 0)
        if head is None:
            raise PackageError("a sheet has no cells part")
        self.p = head.group(1) or b""
        p = re.escape(self.p)
        self.row_re = re.compile(rb"<" + p + rb"row\b([^>]*?)(/?)>")
        self.end_re = re.compile(rb"</" + p + rb"row>")
        self.next_re = re.compile(rb"<" + p + rb"row\b|</" + p + rb"sheetData>")
        self.cell_re = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self.f_re = re.compile(rb"<" + p + rb"f\b[^>]*?(?:/>|>.*?</" + p + rb"f>)", re.S)
        self.v_open, self.v_close = b"<" + self.p + b"v>", b"</" + self.p + b"v>"
        self.c_open, self.c_close = b"<" + self.p + b"c", b"</" + self.p + b"c>"
        self.f_open, self.f_close = b"<" + self.p + b"f", b"</" + self.p + b"f>"
        self.v_re = re.compile(rb"<" + p + rb"(?:v|is)\b[^>]*?(?:/>|>.*?</" + p + rb"(?:v|is)>)", re.S)
        self.target.write(self._dimension(self.buf[: head.start()]))
        if head.group(2):  # <sheetData/>: no rows yet
            self.target.write(b"<" + self.p + b"sheetData>" + self._new_rows(None) + b"</" + self.p + b"sheetData>")
        else:
            self.target.write(self.buf[head.start() : head.end()])
        self.pos = head.end()
        if not head.group(2):
            self._rows()
        if self.edits.printed_as_of is not None:  # the rest after the cells (page setup, footer) is small: read it whole
            if not head.group(2):
                self._copy_to(b"</" + self.p + b"sheetData>")  # rows left unchanged stream through first
            rest = self.buf[self.pos :] + self.source.read()
            self.target.write(_FOOTER_AS_OF.sub(lambda m: m.group(1) + b"As of " + self.edits.printed_as_of.encode(), rest))
            self.buf, self.pos = b"", 0
            return self.report
        self.target.write(self.buf[self.pos :])
        self.buf, self.pos = b"", 0
        shutil.copyfileobj(self.source, self.target, COPY)
        return self.report

    def _copy_to(self, tag: bytes) -> None:
        """Copy what comes before the next `tag` through as it is, a piece at a time, so that a sheet
        formatted down to its last row never sits in memory whole."""
        while True:
            at = self.buf.find(tag, self.pos)
            if at >= 0:
                self.target.write(self.buf[self.pos : at])
                self.pos = at
                return
            keep = max(self.pos, len(self.buf) - len(tag))  # the tag may begin in what is read so far
            self.target.write(self.buf[self.pos : keep])
            self.pos = keep
            self._compact()
            if not self._more():
                return

    def _dimension(self, head: bytes) -> bytes:
        """Widen the sheet's declared used range (<dimension>) to take in new cells."""
        if not self.edits.cells:
            return head
        rows = [r for r, cols in self.edits.cells.items() if cols]
        cols = [c for cs in self.edits.cells.values() for c in cs]
        if not rows:
            return head
        m = re.search(rb'(<(?:\w+:)?dimension\s+ref=")([^"]*)(")', head)
        if not m:
            return head
        try:
            parts = m.group(2).decode().split(":")
            r1, c1 = cell_position(parts[0])
            r2, c2 = cell_position(parts[-1])
        except PackageError:
            return head
        r1, c1, r2, c2 = min(r1, min(rows)), min(c1, min(cols)), max(r2, max(rows)), max(c2, max(cols))
        ref = f"{column_letters(c1)}{r1}" + ("" if (r1, c1) == (r2, c2) else f":{column_letters(c2)}{r2}")
        return head[: m.start(2)] + ref.encode() + head[m.end(2) :]

    def _rows(self) -> None:
        last_row = 0
        while True:
            self._compact()
            if not self.pending and last_row >= self.clear_last:
                return  # nothing more to change: the rest is copied as it is
            if self.pending and self.pending[0] > last_row + 1 and self._skip_to(self.pending[0]):
                last_row = self.pending[0] - 1
            m = self._find(self.next_re, self.pos)
            if m is None:
                raise PackageError("a sheet's cells part is cut short")
            if m.group(0).startswith(b"</"):
                self.target.write(self.buf[self.pos : m.start()] + self._new_rows(None))
                self.pos = m.start()
                return
            start = m.start()
            opened = self._find(self.row_re, start)
            if opened is None or opened.start() != start:
                raise PackageError("a sheet's row is cut short")
            if opened.group(2):
                end, inner = opened.end(), None
            else:
                closed = self._find(self.end_re, opened.end())
                if closed is None:
                    raise PackageError("a sheet's row is cut short")
                end, inner = closed.end(), self.buf[opened.end() : closed.start()]
            r = _attr(opened.group(1), b"r")
            row = int(r) if r else last_row + 1
            self.target.write(self.buf[self.pos : start] + self._new_rows(row))
            changes = self.edits.cells.get(row)
            clearing = self._clears(row, None)
            if changes is not None or clearing:
                if self.pending and self.pending[0] == row:
                    self.pending.popleft()
                self.target.write(self._row(row, opened.group(1), inner, changes or {}, self.buf[start:end], opened.group(0)))
            else:
                self.target.write(self.buf[start:end])
            self.pos = end
            last_row = row

    def _skip_to(self, row: int) -> bool:
        """Copy the rows before sheet row `row` through as they are, in large pieces, when no row
        among them is to be emptied (rows come in order, as ECMA-376 requires: a row is known to
        come before `row` by the reference of a later one); False to go on row by row."""
        clear = self.edits.clear_rows
        if clear is not None and clear[0] < row and self.edits.clear_cols:
            return False
        key = b"<" + self.p + b'row r="%d"' % row
        any_row = b"<" + self.p + b'row r="'
        while True:
            at = self.buf.find(key, self.pos)
            if at >= 0:
                self.target.write(self.buf[self.pos : at])
                self.pos = at
                return True
            last = self.buf.rfind(any_row, self.pos)
            quote = self.buf.find(b'"', last + len(any_row)) if last > self.pos else -1
            if quote > 0:  # the last row begun in what is read, its reference whole
                digits = self.buf[last + len(any_row) : quote]
                if not digits.isdigit() or int(digits) >= row:
                    return False  # `row` is not there: row by row, to put it in its place
                self.target.write(self.buf[self.pos : last])  # every row before this one comes before `row`
                self.pos = last
                self._compact()
            elif len(self.buf) - self.pos > SKIP_AHEAD:
                return False  # rows without references: row by row
            if not self._more():
                return False

    def _new_rows(self, before: int | None) -> bytes:
        """Rows to insert before sheet row `before` (None: all that are left)."""
        out = []
        while self.pending and (before is None or self.pending[0] < before):
            row = self.pending.popleft()
            made = self._row(row, b' r="%d"' % row, None, self.edits.cells[row], None)
            if made:
                out.append(made)
        return b"".join(out)

    def _row(self, row: int, attrs_raw: bytes, inner: bytes | None, changes: dict[int, Edit], original: bytes | None, open_tag: bytes | None = None) -> bytes:
        inner = inner or b""
        if inner and open_tag and not open_tag.endswith(b"/>") and not self._clears(row, None):
            quick = self._row_quick(row, inner, changes, original, open_tag)
            if quick is not None:
                return quick
        todo = sorted(changes)
        out: list[bytes] = []
        last, col, touched = 0, 0, False
        cols: list[int] = []
        for m in self.cell_re.finditer(inner):
            ref = _attr(m.group(1), b"r")
            col = cell_position(ref.decode())[1] if ref else col + 1
            while todo and todo[0] < col:  # cells the row does not have yet, in column order
                made = self._cell(row, todo.pop(0), None, None, changes)
                if made:
                    out.append(inner[last : m.start()] + made)
                    last, touched = m.start(), True
            if todo and todo[0] == col:
                todo.pop(0)
                made = self._cell(row, col, m.group(1), m.group(2), changes)
            elif m.group(2) is not None and self._clears(row, col):
                made = self._cell(row, col, m.group(1), m.group(2), {col: Put(None)})
            else:
                made = None
            if made is not None:
                out.append(inner[last : m.start()] + made)
                last, touched = m.end(), True
            cols.append(col)
        for c in todo:
            made = self._cell(row, c, None, None, changes)
            if made:
                out.append(inner[last:] + made)
                last, touched = len(inner), True
                cols.append(c)
        if not touched:
            return original or b""
        body = b"".join(out) + inner[last:]
        attrs = self._spans(_attrs(attrs_raw), min(cols), max(cols))
        return _tag(self.p, b"row", attrs, body)

    def _row_quick(self, row: int, inner: bytes, changes: dict[int, Edit], original: bytes, open_tag: bytes) -> bytes | None:
        """The row with its cells changed, each found by its reference (Excel writes r first), the
        others not read at all; None when a cell is not found that way (the full reading decides)."""
        spots = []
        number = str(row).encode()
        after = 0  # cells come in column order: each is looked for after the one before, so the row is read once
        for col in sorted(changes):
            letters = self.letters.get(col)
            if letters is None:
                letters = self.letters[col] = b"<" + self.p + b'c r="' + column_letters(col).encode()
            key = letters + number + b'"'
            at = inner.find(key, after)
            if at < 0:
                at = inner.find(key)  # out of order after all
            if at < 0:
                return None
            gt = inner.find(b">", at)
            if gt < 0:
                return None
            if inner[gt - 1 : gt] == b"/":
                m = (at, gt + 1, inner[at + len(self.c_open) : gt - 1], None)
            else:
                close = inner.find(self.c_close, gt)
                if close < 0:
                    return None
                m = (at, close + len(self.c_close), inner[at + len(self.c_open) : gt], inner[gt + 1 : close])
            spots.append((at, m, col))
            after = m[1]
        spots.sort(key=lambda spot: spot[0])
        out, last = [open_tag], 0
        for at, m, col in spots:
            made = self._cell(row, col, m[2], m[3], changes)
            if made is not None:
                out.append(inner[last:at])
                out.append(made)
                last = m[1]
        if last == 0:
            return original
        out.append(inner[last:])
        out.append(b"</" + self.p + b"row>")
        return b"".join(out)

    def _clears(self, row: int, col: int | None) -> bool:
        c = self.edits.clear_rows
        return bool(c and c[0] <= row <= c[1] and self.edits.clear_cols and (col is None or col in self.edits.clear_cols))

    @staticmethod
    def _spans(attrs, lo: int, hi: int):
        out = []
        for key, value in attrs:
            if key == b"spans":
                try:
                    a, b = (int(x) for x in value[1:-1].split(b":"))
                    value = b'"%d:%d"' % (min(a, lo), max(b, hi))
                except ValueError:
                    continue  # a malformed hint: Excel does without it
            out.append((key, value))
        return out

    def _cell(self, row: int, col: int, attrs_raw: bytes | None, inner: bytes | None, changes: dict[int, Edit]) -> bytes | None:
        """The new XML of one cell; None to keep the cell as it is (or not make it)."""
        edit = changes[col]
        if type(edit) is Result and attrs_raw is not None and inner:
            quick = self._result_quick(attrs_raw, inner, edit)
            if quick is not None:
                return quick
        elif type(edit) is Put and attrs_raw is not None and edit.value is not None:
            return self._put_quick(attrs_raw, inner, edit)
        elif type(edit) is Formula and attrs_raw is not None and b"r=" in attrs_raw:
            return self._formula_quick(attrs_raw, inner, edit)
        attrs = _attrs(attrs_raw) if attrs_raw else []
        if not any(k == b"r" for k, _ in attrs):
            attrs.insert(0, (b"r", f'"{column_letters(col)}{row}"'.encode()))
        inner = inner or b""
        formula = self.f_re.search(inner)
        if isinstance(edit, Result):
            if formula is None:
                self.report.results_skipped += 1
                return None  # no formula here (typed over, or never made): left as it is
            rest = self.v_re.sub(b"", inner[formula.end() :])
            kind, content = _typed(edit.value, formula=True)
            return _tag(self.p, b"c", self._with_type(attrs, kind), inner[: formula.end()] + self._prefixed(content) + rest)
        attrs = self._with_style([(k, v) for k, v in attrs if k not in (b"cm", b"vm")], edit.style)
        if isinstance(edit, Formula):
            if formula is None:
                self.report.formulas_changed = True
            kind, content = _typed(edit.value, formula=True)
            f = b"<" + self.p + b"f>" + text_xml(edit.text) + b"</" + self.p + b"f>"
            return _tag(self.p, b"c", self._with_type(attrs, kind), f + self._prefixed(content))
        if formula is not None:
            self.report.formulas_changed = True
        kind, content = _typed(edit.value, formula=False)
        if not attrs_raw and not content and edit.style is None:
            return None  # nothing to put in a cell that is not there
        return _tag(self.p, b"c", self._with_type(attrs, kind), self._prefixed(content) if content else None)

    def _result_quick(self, attrs_raw: bytes, inner: bytes, edit: Result) -> bytes | None:
        """A formula cell's new stored result, for the usual shape <c ...><f>...</f><v>...</v></c>."""
        if not inner.startswith(self.f_open):
            return None
        gt = inner.find(b">")
        if inner[gt - 1 : gt] == b"/":
            end = gt + 1
        else:
            close = inner.find(self.f_close, gt)
            if close < 0:
                return None
            end = close + len(self.f_close)
        tail = inner[end:]
        if tail and not (tail.startswith(self.v_open) and tail.endswith(self.v_close) and tail.count(b"<") == 2):
            return None
        kind, content = _typed_cached(edit.value, True)
        attrs = _TYPE_ATTR.sub(b"", attrs_raw)
        if kind:
            attrs += b' t="' + kind.encode() + b'"'
        return self.c_open + attrs + b">" + inner[:end] + self._prefixed(content) + self.c_close

    def _put_quick(self, attrs_raw: bytes, inner: bytes | None, edit: Put) -> bytes:
        """A cell that is there given a plain value: its attributes kept but the type (and a formula's metadata)."""
        if inner and self.f_open in inner:
            self.report.formulas_changed = True
        attrs = _VALUE_ATTRS.sub(b"", attrs_raw)
        if edit.style is not None:
            attrs = _STYLE_ATTR.sub(b"", attrs) + b' s="%d"' % edit.style
        kind, content = _typed_cached(edit.value, False)
        if kind:
            attrs += b' t="' + kind.encode() + b'"'
        return self.c_open + attrs + b">" + self._prefixed(content) + self.c_close

    def _formula_quick(self, attrs_raw: bytes, inner: bytes | None, edit: Formula) -> bytes:
        """A cell that is there given a formula and its result: its attributes kept but the type (and metadata)."""
        if not (inner and self.f_re.search(inner)):
            self.report.formulas_changed = True
        attrs = _VALUE_ATTRS.sub(b"", attrs_raw)
        if edit.style is not None:
            attrs = _STYLE_ATTR.sub(b"", attrs) + b' s="%d"' % edit.style
        key = (edit.text, edit.value.__class__, edit.value)
        try:
            made = self.formulas.get(key)
        except TypeError:  # a value that cannot be remembered
            made, key = None, None
        if made is None:
            kind, content = _typed(edit.value, formula=True)
            body = b"<" + self.p + b"f>" + text_xml(edit.text) + b"</" + self.p + b"f>" + self._prefixed(content)
            made = (b' t="' + kind.encode() + b'"' if kind else b"", body)
            if key is not None:
                self.formulas[key] = made
        return self.c_open + attrs + made[0] + b">" + made[1] + self.c_close

    def _prefixed(self, content: bytes) -> bytes:
        if not self.p:
            return content
        return re.sub(rb"<(/?)(v|is|t)\b", lambda m: b"<" + m.group(1) + self.p + m.group(2), content)

    @staticmethod
    def _with_type(attrs, kind: str | None):
        out = [(k, v) for k, v in attrs if k != b"t"]
        if kind:
            out.append((b"t", f'"{kind}"'.encode()))
        return out

    @staticmethod
    def _with_style(attrs, style: int | None):
        if style is None:
            return attrs
        out = [(k, v) for k, v in attrs if k != b"s"]
        out.insert(1, (b"s", f'"{style}"'.encode()))
        return out


def rewrite_sheet(source: IO[bytes], target: IO[bytes], edits: SheetEdits) -> SheetReport:
    """Stream a worksheet part from `source` to `target`, changing only the cells in `edits`."""
    return _Splicer(source, target, edits).run()


def read_cells(package: Package, part: str, wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The raw XML of a few cells near the top of a sheet part, reading only as far as the last one."""
    wanted = set(wanted)
    keys = {(r, c): f' r="{column_letters(c)}{r}"'.encode() for r, c in wanted}
    found: dict[tuple[int, int], bytes] = {}
    last = max((r for r, _ in wanted), default=0)
    cell_re = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
    row_re = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
    data = b""
    with package.open(part) as f:
        while True:
            chunk = f.read(1 << 16)
            data += chunk
            for at, key in keys.items():
                if at in found:
                    continue
                hit = data.find(key)
                if hit < 0:
                    continue
                start = data.rfind(b"<", 0, hit)
                m = cell_re.match(data, start)
                if m and m.end() < len(data) or (m and not chunk):
                    found[at] = m.group(0)
            rows = [int(r) for r in row_re.findall(data[-(1 << 16) :])]
            if not chunk or len(found) == len(wanted) or (rows and rows[-1] > last):
                return found


# --- writing the new package ----------------------------------------------------------------------

PartWriter = Callable[[IO[bytes], IO[bytes]], object]


@dataclass
class Rewrite:
    """What changes in a package: parts rewritten by a function (reading the old, writing the new), parts dropped."""

    parts: dict[str, PartWriter] = field(default_factory=dict)
    replaced: dict[str, bytes] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)

    @property
    def changed(self) -> set[str]:
        return set(self.parts) | set(self.replaced)


def rewrite(package: Package, target: IO[bytes], change: Rewrite) -> dict[str, object]:
    """Write the package to `target`: every part in its place and order, changed parts as `change` says.

    Unchanged parts go through as their bytes, with their zip entries' dates,
    attributes and compression; returns what each part writer returned.
    """
    results: dict[str, object] = {}
    with zipfile.ZipFile(target, "w", allowZip64=True) as out:
        for info in package.zip.infolist():
            name = info.filename
            if name in change.dropped:
                continue
            new = zipfile.ZipInfo(name, date_time=info.date_time)
            new.compress_type = info.compress_type
            new.external_attr, new.create_system, new.comment, new.extra = info.external_attr, info.create_system, info.comment, b""
            if name in change.parts:
                for attr in ("compress_level", "_compresslevel"):  # the parts rewritten: fast deflate
                    with contextlib.suppress(AttributeError):
                        setattr(new, attr, REWRITE_LEVEL)
                        break
                with package.open(name) as src, out.open(new, "w", force_zip64=info.file_size > BIG_PART // 2) as dst:
                    _fast_deflate(dst)
                    results[name] = change.parts[name](src, dst)
            elif name in change.replaced:
                out.writestr(new, change.replaced[name])
            elif not _copy_compressed(package, info, out, new):
                with package.open(name) as src, out.open(new, "w", force_zip64=info.file_size > BIG_PART // 2) as dst:
                    shutil.copyfileobj(src, dst, COPY)
    return results


def raw_bytes(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterable[bytes]:
    """A part's bytes as they are stored in the zip (compressed), in pieces; never inflated. The zip's
    own file is read where its entry says (zipfile reads it the same way), under the zip's lock for each
    read, never while the caller holds a piece: several parts can be read at once."""
    with z._lock:
        fp = z.fp
        fp.seek(info.header_offset)
        header = fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"the entry {info.filename} has no header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    at = info.header_offset + 30 + name_length + extra_length
    left = info.compress_size
    while left:
        with z._lock:
            z.fp.seek(at)
            chunk = z.fp.read(min(COPY, left))
        if not chunk:
            raise zipfile.BadZipFile(f"the entry {info.filename} is cut short")
        at += len(chunk)
        left -= len(chunk)
        yield chunk


class _PartReader:
    """An entry's bytes, inflated (ISA-L where installed) as they are read, its checksum and size
    checked at the end as zipfile checks them: zipfile's own reader inflates with zlib, at half the speed."""

    def __init__(self, z: zipfile.ZipFile, info: zipfile.ZipInfo):
        self.info = info
        self._raw = raw_bytes(z, info)
        self._inflate = _deflate.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        self._crc, self._size, self._buf, self._at, self._done = 0, 0, b"", 0, False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self._raw.close()
        self._buf, self._at, self._done = b"", 0, True

    def _piece(self) -> bytes:
        """The next inflated bytes (at most CHUNK at a time); b'' at the end, once it is checked."""
        try:
            return self._inflated()
        except _deflate.error:
            raise zipfile.BadZipFile(f"the entry {self.info.filename} is damaged") from None

    def _inflated(self) -> bytes:
        while not self._done:
            if self._inflate is not None and self._inflate.unconsumed_tail:
                out = self._inflate.decompress(self._inflate.unconsumed_tail, CHUNK)
            else:
                raw = next(self._raw, None)
                if raw is None:
                    out = self._inflate.flush() if self._inflate is not None else b""
                    self._done = True
                    if self._inflate is not None and not self._inflate.eof:
                        raise zipfile.BadZipFile(f"the entry {self.info.filename} is cut short")
                else:
                    out = self._inflate.decompress(raw, CHUNK) if self._inflate is not None else raw
            if out:
                self._crc = _deflate.crc32(out, self._crc)
                self._size += len(out)
            if self._done and (self._crc != self.info.CRC or self._size != self.info.file_size):
                raise zipfile.BadZipFile(f"Bad CRC-32 for file {self.info.filename!r}")
            if out:
                return out
        return b""

    def read(self, n: int = -1) -> bytes:
        buf, at = self._buf, self._at
        if n is None or n < 0:
            pieces = [buf[at:]]
            while piece := self._piece():
                pieces.append(piece)
            self._buf, self._at = b"", 0
            return b"".join(pieces)
        if at == 0 and len(buf) == n:  # the usual read of one whole piece: no copy
            self._buf = b""
            return buf
        while len(buf) - at < n:
            piece = self._piece()
            if not piece:
                break
            buf, at = buf[at:] + piece, 0
        out = buf[at : at + n]
        self._buf, self._at = buf, at + len(out)
        if self._at >= len(buf):
            self._buf, self._at = b"", 0
        return out


def open_part(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    """An entry to read: the fast reader for the usual stored or deflated entries, zipfile's for any other."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or not all(
            hasattr(z, a) for a in ("_lock", "fp")):
        return z.open(info)
    return _PartReader(z, info)


def _fast_deflate(dst) -> None:
    """Have zipfile's writer for a rewritten part deflate with ISA-L (its format, faster), where it is installed."""
    if _deflate.__name__ != "zlib" and getattr(dst, "_compressor", None) is not None and not getattr(dst, "_file_size", 1):
        dst._compressor = _deflate.compressobj(ISAL_LEVEL, _deflate.DEFLATED, -15)


def _copy_compressed(package: Package, info: zipfile.ZipInfo, out: zipfile.ZipFile, new: zipfile.ZipInfo) -> bool:
    """Copy an unchanged part's compressed bytes as they are: byte for byte even inside the zip, and no
    inflating and deflating again. False (nothing written) where zipfile's workings are not the ones
    known here, or the entry is encrypted or compressed unusually: the caller copies it the usual way."""
    needed = ("_lock", "fp", "start_dir", "_writecheck", "filelist", "NameToInfo")
    if not all(hasattr(out, a) for a in needed) or not all(hasattr(package.zip, a) for a in ("_lock", "fp")):
        return False
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or getattr(out, "_writing", False):
        return False
    new.flag_bits = 0
    new.CRC, new.compress_size, new.file_size = info.CRC, info.compress_size, info.file_size
    with out._lock:
        out.fp.seek(out.start_dir)
        new.header_offset = out.fp.tell()
        out._writecheck(new)
        out._didModify = True
        out.fp.write(new.FileHeader(info.file_size > BIG_PART // 2 or None))
        for chunk in raw_bytes(package.zip, info):
            out.fp.write(chunk)
        out.filelist.append(new)
        out.NameToInfo[new.filename] = new
        out.start_dir = out.fp.tell()
    return True


def without_element(xml: bytes, pattern: bytes) -> bytes:
    """The XML with the one empty element matching `pattern` (a regular expression) taken out."""
    return re.sub(pattern, b"", xml, count=1)


# --- the check before the swap ------------------------------------------------------------------------


def parses(stream: IO[bytes]) -> bool:
    """Whether a part is whole, well-formed XML with every prefix bound (expat, in constant memory)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    try:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        return True
    except expat.ExpatError:
        return False


# A large changed part whose end is the old part's end, byte for byte (a sheet formatted down to its
# last row, changed in its first rows), is not parsed through that end: the new part is parsed as far as
# a cut where both parts go on with the same bytes, the old part as far as the same cut, and the cut
# is proven to leave both parsers in the same state (the same open elements closed by the same end
# tags, no namespace declared or undeclared since the first byte that differs). From there on the new
# part reads as the old one reads. The same bytes are found by comparing both parts, never by asking
# the splicer; a few bytes of text that differ in that end (the printed footer's "As of" date) are
# allowed where they can only be character data.

TAIL_CHECKED = 32 << 20  # changed parts at least this large (uncompressed) are looked at for an unchanged end
TAIL_TEXT_CHANGES = 16  # at most this many changed pieces of text in that end
_CONTEXT = 4096  # how far either side of a changed piece of text its markup is looked for
_TEXT_BYTES = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz /.:,")
_WHITESPACE = frozenset(b" \t\r\n")
_START_TAG = re.compile(rb"<([A-Za-z_][^\s/>]*)")


class _Reached(Exception):
    pass


def _pieces(stream: IO[bytes], size: int = CHUNK) -> Iterable[bytes]:
    while piece := stream.read(size):
        yield piece


def _skip(stream: IO[bytes], n: int) -> bool:
    """Read past the next `n` bytes a piece at a time; False when the part ends first."""
    while n:
        piece = stream.read(min(CHUNK, n))
        if not piece:
            return False
        n -= len(piece)
    return True


def _first_difference(a: bytes, b: bytes) -> int:
    """The first index where two different byte strings differ (one may be a prefix of the other)."""
    lo, hi = 0, min(len(a), len(b))
    if a[:hi] == b[:hi]:
        return hi
    while hi - lo > 1:  # a[:lo] == b[:lo], a[:hi] != b[:hi]
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def _last_difference(a: bytes, b: bytes, lo: int, hi: int) -> int:
    """The last index in [lo, hi) where a and b differ; -1 where they do not."""
    if a[lo:hi] == b[lo:hi]:
        return -1
    while hi - lo > 1:  # a[lo:hi] != b[lo:hi], equal after hi
        mid = (lo + hi) // 2
        if a[mid:hi] != b[mid:hi]:
            lo = mid
        else:
            hi = mid
    return lo


def _only_text_changed(new: bytes, old: bytes, at: int) -> int:
    """Where the changed text around index `at` begins, when the bytes that differ there can only be
    character data (or comment text) in a well-formed part, in both; -1 when that is not certain.

    The run of bytes holding them has '>' before it and '<' after it and neither inside (so it is not
    inside a tag or an attribute value), holds a byte the same in both that is not white space (so it is
    not the white space outside the root), no '%', and no '&' still open before a changed byte (so no
    entity or character reference is touched); the changed bytes are letters, digits, spaces, '/', '.',
    ':' or ',' in both, which cannot begin or end markup of any kind."""
    if new[at] not in _TEXT_BYTES or old[at] not in _TEXT_BYTES:
        return -1  # (and so the run below holds it)
    left = max(new.rfind(b"<", max(0, at - _CONTEXT), at), new.rfind(b">", max(0, at - _CONTEXT), at))
    lt, gt = new.find(b"<", at, at + _CONTEXT), new.find(b">", at, at + _CONTEXT)
    if left < 0 or new[left] != ord(">") or lt < 0 or (0 <= gt < lt):
        return -1
    run_new, run_old = new[left + 1 : lt], old[left + 1 : lt]
    if len(run_old) != len(run_new) or b"%" in run_new:
        return -1
    kept_text, first = False, -1
    for i, (x, y) in enumerate(zip(run_new, run_old)):
        if x == y:
            kept_text = kept_text or x not in _WHITESPACE
            continue
        if x not in _TEXT_BYTES or y not in _TEXT_BYTES:
            return -1
        amp = run_new.rfind(b"&", 0, i)
        if amp >= 0 and run_new.find(b";", amp, i) < 0:
            return -1
        first = i if first < 0 else first
    return left + 1 + first if kept_text and first >= 0 else -1


def _unchanged_end(old: IO[bytes], new: IO[bytes], old_size: int, new_size: int) -> tuple[int, bytes]:
    """Where, in the new part, the bytes begin that are the old part's last bytes (compared at the end;
    changed text that `_only_text_changed` allows aside), and the first of those bytes. Both parts are
    read to their end, so their checksums are checked."""
    shift = new_size - old_size
    start = max(shift, 0)
    if not (_skip(new, start) and _skip(old, max(-shift, 0))):
        return -1, b""
    tail, tail_bytes, texts, at = start, None, 0, start
    before_new = before_old = b""  # the bytes just before the piece, in both (aligned)
    pieces = zip(_pieces(new), _pieces(old))
    current = next(pieces, None)
    while current is not None:
        ahead = next(pieces, None)
        piece_new, piece_old = current
        if len(piece_new) != len(piece_old):
            return -1, b""
        if tail_bytes is None:
            tail_bytes = piece_new[:_CONTEXT]
        if piece_new != piece_old:
            n = before_new + piece_new + (ahead[0][:_CONTEXT] if ahead else b"")
            o = before_old + piece_old + (ahead[1][:_CONTEXT] if ahead else b"")
            if len(n) != len(o):
                return -1, b""
            base, hi, found = len(before_new), len(before_new) + len(piece_new), 0
            while hi > base:
                last = _last_difference(n, o, base, hi)
                if last < 0:
                    break
                begins = _only_text_changed(n, o, last) if found + texts < TAIL_TEXT_CHANGES else -1
                if begins < 0:  # markup changed here: the unchanged end begins after it
                    tail, tail_bytes, texts, found = at + (last + 1 - base), n[last + 1 : last + 1 + _CONTEXT], 0, 0
                    break
                found += 1
                hi = begins
            texts += found
        before_new, before_old = piece_new[-_CONTEXT:], piece_old[-_CONTEXT:]
        at += len(piece_new)
        current = ahead
    if new.read(1) or old.read(1):  # both read to their end (their checksums checked there)
        return -1, b""
    return tail, tail_bytes or b""


def _state_at(stream: IO[bytes], cut: int, differs_from: int, closing: bytes) -> bool:
    """Whether the part's first `cut` bytes, followed by `closing` (end tags), are a whole document, with no
    namespace declared or undeclared from byte `differs_from` to the cut."""
    parser = expat.ParserCreate(namespace_separator=" ")
    moved: list[int] = []

    def namespace(*_):
        if differs_from <= parser.CurrentByteIndex < cut:
            moved.append(parser.CurrentByteIndex)

    parser.StartNamespaceDeclHandler = parser.EndNamespaceDeclHandler = namespace
    left = cut
    try:
        while left:
            piece = stream.read(min(CHUNK, left))
            if not piece:
                return False
            left -= len(piece)
            parser.Parse(piece, False)
        parser.Parse(closing, True)
    except expat.ExpatError:
        return False
    return not moved


def _open_elements(stream: IO[bytes], name: bytes) -> tuple[list[bytes], int] | None:
    """The elements open where the first element called `name` begins, and where the root's first child
    begins (after the prolog and the root's start tag); None when not within the first MB."""
    parser = expat.ParserCreate()
    stack: list[str] = []
    child = [-1]
    found: list = []

    def start(tag, _attrs):
        if len(stack) == 1 and child[0] < 0:
            child[0] = parser.CurrentByteIndex
        if tag == name.decode("utf-8", "replace") and child[0] >= 0:
            found.append(list(stack))
            raise _Reached
        stack.append(tag)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: stack.pop()
    try:
        for _ in range(16):
            piece = stream.read(1 << 16)
            if not piece:
                break
            parser.Parse(piece, False)
    except _Reached:
        return [s.encode("utf-8") for s in found[0]], child[0]
    except expat.ExpatError:
        pass
    return None


def _parses_as_the_old_end(old: Package, new: Package, name: str) -> bool:
    """Whether a large changed part is proven to parse by its unchanged end (above); False only means
    not proven this way, and the caller parses the part whole."""
    a, b = old.infos.get(name), new.infos[name]
    if a is None or b.file_size < TAIL_CHECKED or not _is_utf8(new, name):
        return False
    shift = b.file_size - a.file_size
    with old.open(name) as x, new.open(name) as y:  # the first byte that differs
        at, before, differs = 0, b"", -1
        for piece_old, piece_new in zip(_pieces(x), _pieces(y)):
            if piece_old != piece_new:
                differs = at + _first_difference(piece_new, piece_old)
                lt = (before + piece_new).rfind(b"<", 0, differs - at + len(before) + 1)
                token = -1 if lt < 0 else at - len(before) + lt  # where the markup holding it begins
                break
            at += len(piece_new)
            before = piece_new[-_CONTEXT:]
            if at > b.file_size // 2:
                return False
    if differs < 0 or token < 0:
        return False
    with old.open(name) as x, new.open(name) as y:
        tail, ahead = _unchanged_end(x, y, a.file_size, b.file_size)
    if tail < differs or 2 * tail - shift > b.file_size * 3 // 4:
        return False  # no unchanged end, or too short a one to save parsing
    m = _START_TAG.search(ahead)
    if m is None:
        return False
    cut = tail + m.start()
    if cut - shift < differs:
        return False  # both cuts must lie past the first byte that differs (the parsers agree before it)
    with new.open(name) as y:
        found = _open_elements(y, m.group(1))
    if found is None or found[1] > token:
        return False  # the prolog and the root's start tag must be in the bytes both share
    closing = b"".join(b"</" + tag + b">" for tag in reversed(found[0]))
    with new.open(name) as y:
        if not _state_at(y, cut, token, closing):
            return False
    with old.open(name) as x:
        return _state_at(x, cut - shift, token, closing)


def _is_utf8(pkg: Package, name: str) -> bool:
    """Whether a part is UTF-8 XML (its declaration says so, or it has none and no UTF-16 mark)."""
    with pkg.open(name) as f:
        head = f.read(200)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head[:4] in (b"\x00<\x00?", b"<\x00?\x00"):
        return False
    m = re.match(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']+)", head)
    return m is None or m.group(1).lower() in (b"utf-8", b"utf8")


def part_parses(old: Package, new: Package, name: str) -> bool:
    """Whether a changed part of `new` is whole, well-formed XML with every prefix bound: by its
    unchanged end where it has a long one, else parsed whole."""
    if _parses_as_the_old_end(old, new, name):
        return True
    with new.open(name) as f:
        return parses(f)


def _same(a: IO[bytes], b: IO[bytes]) -> bool:
    while True:
        x, y = a.read(CHUNK), b.read(CHUNK)
        if x != y:
            return False
        if not x:
            return True


def _same_raw(za: zipfile.ZipFile, a: zipfile.ZipInfo, zb: zipfile.ZipFile, b: zipfile.ZipInfo) -> bool:
    """Whether two entries hold the same compressed bytes (then their contents are the same too)."""
    return b"".join(raw_bytes(za, a)) == b"".join(raw_bytes(zb, b)) if a.compress_size <= BIG_PART // 64 else all(
        x == y for x, y in zip(raw_bytes(za, a), raw_bytes(zb, b)))


def compare(old: Package, new: Package, changed: set[str], dropped: set[str] = frozenset(), edited_xml: set[str] = frozenset()) -> list[str]:
    """What is wrong with `new` as a copy of `old` that changes only `changed` and drops only `dropped`.

    Every other part must be byte-identical (and listed in the same order);
    changed XML parts must parse; the content types and relationships must be
    no worse than before. `edited_xml` are parts (content types, relationships)
    that only lost the entries of the dropped parts: they are compared with
    those entries taken out.
    """
    faults = []
    expected = [n for n in old.names if n not in dropped]
    if new.names != expected:
        lost = sorted(set(expected) - set(new.names))
        extra = sorted(set(new.names) - set(expected))
        faults.append(f"the parts differ (lost {lost or 'none'}, added {extra or 'none'})")
        return faults
    for name in expected:
        if new.infos[name].file_size == 0 and old.infos[name].file_size != 0 and name not in changed:
            faults.append(f"{name} was emptied")
            continue
        if name in changed or name in edited_xml:
            if name.endswith((".xml", ".rels", ".vml")) or name == CONTENT_TYPES:
                if not part_parses(old, new, name):
                    faults.append(f"{name} is not whole XML")
            continue
        a, b = old.infos[name], new.infos[name]
        if a.CRC != b.CRC or a.file_size != b.file_size:
            faults.append(f"{name} changed")
            continue
        if (a.compress_type, a.compress_size) == (b.compress_type, b.compress_size) and _same_raw(old.zip, a, new.zip, b):
            with new.open(name) as f:  # and the copy reads back whole (its checksum checked at its end)
                while f.read(CHUNK):
                    pass
            continue
        with old.open(name) as x, new.open(name) as y:
            if not _same(x, y):
                faults.append(f"{name} changed")
    for name in expected:
        if new.content_type(name) != old.content_type(name):
            faults.append(f"the content type of {name} changed")
        if name.endswith(".rels") and (name in changed or name in edited_xml):
            source = _rels_source(name)
            kept = {(r.id, r.type, r.target, r.external) for r in old.relationships(source) if r.target not in dropped}
            if {(r.id, r.type, r.target, r.external) for r in new.relationships(source)} != kept:
                faults.append(f"the relationships in {name} changed")
    if not faults:
        worse = new.problems() - old.problems()
        faults.extend(sorted(worse))
    return faults


def _rels_source(rels_name: str) -> str:
    """The part whose relationships a .rels part holds ('' for the package's own)."""
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    base = posixpath.basename(rels_name)
    return "" if base == ".rels" else posixpath.join(folder, base[: -len(".rels")])
