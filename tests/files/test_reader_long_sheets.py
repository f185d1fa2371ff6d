"""Registers whose Register sheet is formatted down to row 1,048,576 (officers format whole
columns): read as quickly as a plain one, and exactly as a plain one.

The reader looks through such a sheet's part once (or takes what the check before a write saw)
for where the last row holding anything ends, and gives calamine a copy of the workbook whose
sheet ends there. These tests hold that copy to what the whole sheet says: the same cells, error
cells, merged cells, notes and stored-result verdict as the unformatted register (or, for the
notes, as the slow row-by-row reading gives), a cell far down still read row by row, a damaged
part still refused, and the cut the same however the part is cut into pieces.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from xl_complaints.core.register import CellTooLong
from xl_complaints.core.schema import INPUT_COLUMNS
from xl_complaints.files import reader
from xl_complaints.files.reader import BLANK_RUN, FileProblem, check_writable, read_cells, read_register

HEADERS = [c.header for c in INPUT_COLUMNS]
LAST_ROW = 1_048_576
REFRESHING = "Refreshing the register"
SHORT = 3_000  # ROW_BY_ROW_FROM in the tests that format to SHORT_END rows only (quicker to build)
SHORT_END = 20_000


def line(**cells) -> list:
    values = {"reference": "CSC-1", "date_received": dt.date(2024, 3, 12), **cells}
    return [values.get(c.key) for c in INPUT_COLUMNS]


def letter(key: str) -> str:
    return openpyxl.utils.get_column_letter(next(i for i, c in enumerate(INPUT_COLUMNS, start=1) if c.key == key))


def plain_register(path: Path, rows: int = 30, dress=None) -> Path:
    """A register of `rows` complaints, with a styled cell (whose style the formatting below uses)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Register"
    sheet.append(HEADERS)
    for i in range(rows):
        sheet.append(line(reference=f"CSC-{i + 1}", service="Child in Need" if i % 2 else "Fostering"))
    sheet["B2"].font = Font(bold=True)
    if dress is not None:
        dress(book, sheet)
    book.save(path)
    return path


def formatted(source: Path, target: Path, last_row: int = LAST_ROW, cells: dict[int, bytes] | None = None,
              as_excel: bool = False, swap: tuple[bytes, bytes] | None = None) -> Path:
    """`source` with styled empty cells in four columns of every row below its complaints, to
    `last_row`, and its used range declared so. `cells` puts raw cells in given rows instead;
    `as_excel` writes the rows as Excel does (row heights and x14ac:dyDescent, which add letters);
    `swap` replaces some text in the rows above (openpyxl cuts text longer than Excel holds)."""
    cells = cells or {}
    with zipfile.ZipFile(source) as z:
        part = reader._xlsx_parts(z)["Register"]
        xml = z.read(part)
        end = xml.index(b"</sheetData>")
        last = int(re.findall(rb'<row r="(\d+)"', xml[:end])[-1])
        style = re.search(rb'<c r="B2" s="(\d+)"', xml).group(1)
        head = re.sub(rb'<dimension ref="A1:([A-Z]+)\d+"/>', rb'<dimension ref="A1:\g<1>%d"/>' % last_row, xml[:end])
        if swap is not None:
            head = head.replace(*swap)
        attrs = b' spans="2:30"'
        if as_excel:
            head = head.replace(b"<worksheet ", b'<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" ', 1)
            attrs += b' ht="15" customHeight="1" x14ac:dyDescent="0.25"'
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            for info in z.infolist():
                if info.filename != part:
                    out.writestr(info, z.read(info))
                    continue
                entry = zipfile.ZipInfo(part, date_time=info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED  # as Excel stores every part
                with out.open(entry, "w", force_zip64=True) as f:
                    f.write(head)
                    block = []
                    for row in range(last + 1, last_row + 1):
                        n = b"%d" % row
                        inner = cells.get(row) or b"".join(b'<c r="' + c + n + b'" s="' + style + b'"/>' for c in (b"B", b"G", b"AC", b"AD"))
                        block.append(b'<row r="' + n + b'"' + attrs + b">" + inner + b"</row>")
                        if len(block) == 20_000:
                            f.write(b"".join(block))
                            block = []
                    f.write(b"".join(block) + xml[end:])
    return target


class Watch:
    """What calamine and openpyxl were asked for: the rows of the copies calamine was given, and
    whether the slow row-by-row reading ran."""

    def __init__(self, monkeypatch, refuse_row_by_row: bool = True):
        self.copies: list[int] = []  # the last row of the Register part in each copy made
        self.row_by_row = 0
        real_copy, real_rows = reader._copy_with, reader._openpyxl_rows

        def copy_with(z, part, end, tail):
            copy = real_copy(z, part, end, tail)
            with zipfile.ZipFile(copy) as made:
                data = made.read(part)
            self.copies.append(max(map(int, re.findall(rb'<row r="(\d+)"', data)), default=0))
            copy.seek(0)
            return copy

        def openpyxl_rows(path, name):
            self.row_by_row += 1
            if refuse_row_by_row:
                raise AssertionError("the sheet was read row by row")
            return real_rows(path, name)

        monkeypatch.setattr(reader, "_copy_with", copy_with)
        monkeypatch.setattr(reader, "_openpyxl_rows", openpyxl_rows)


def slowly(monkeypatch, path: Path, **kwargs):
    """The reading as it was before long sheets were cut short: row by row."""
    with monkeypatch.context() as m:
        m.setattr(reader._Sheet, "_cut_short", lambda self, part: False)
        return read_cells(path, **kwargs)


def stop_note(last_complaint: int, extent: int = LAST_ROW) -> str:
    stop = last_complaint + BLANK_RUN
    return (f"Reading of 'Register' stopped at row {stop:,}: rows {last_complaint + 1:,} to {stop:,} have nothing in the register's columns."
            f" The sheet's used range runs on to row {extent:,} (formatting, or a formula copied down?)."
            f" If any complaint is recorded below row {stop:,}, move it up.")


# --- to row 1,048,576 ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def registers(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("long")

    def merged(book, sheet):
        sheet.merge_cells("P5:P7")  # over three complaints' rows: the officer is told

    plain = plain_register(root / "plain.xlsx", dress=merged)
    return {"plain": plain, "formatted": formatted(plain, root / "formatted.xlsx"),
            "as Excel": formatted(plain, root / "as Excel.xlsx", as_excel=True)}


@pytest.mark.parametrize("kind", ["formatted", "as Excel"])
@pytest.mark.parametrize("checked", [False, True], ids=["read alone", "after the check before a write"])
def test_a_register_formatted_to_the_last_row_reads_as_the_plain_one_without_reading_row_by_row(registers, monkeypatch, kind, checked):
    plain = read_cells(registers["plain"])
    slow = slowly(monkeypatch, registers[kind])
    watch = Watch(monkeypatch)
    if checked:
        check_writable(registers[kind], REFRESHING)
    fast = read_cells(registers[kind])
    assert watch.copies == [31] and watch.row_by_row == 0  # calamine saw the rows to the last complaint, never the million
    assert fast.rows[: len(plain.rows)] == plain.rows and not any(any(r) for r in fast.rows[len(plain.rows) :])
    assert len(fast.rows) == len(slow.rows) == 31
    assert fast.header_row == plain.header_row == 1
    assert fast.results_stored == plain.results_stored
    merged = [n for n in plain.notes if n.startswith("Cells merged")]
    assert merged and fast.notes == [stop_note(31), *merged]  # the stop and its reason, as row by row said them
    assert slow.notes == [stop_note(31)]  # (row by row never saw merged cells)
    assert read_register(registers[kind]).register.problems == read_register(registers["plain"]).register.problems


def test_the_check_before_a_write_looks_through_the_formatted_part_once_and_the_reading_uses_it(registers, monkeypatch):
    looked = []
    real = reader._look_through
    monkeypatch.setattr(reader, "_look_through", lambda *a, **k: looked.append(a[1]) or real(*a, **k))
    check_writable(registers["formatted"], REFRESHING)
    read_cells(registers["formatted"])
    assert looked == []  # the check saw where the rows end
    reader._SEEN.clear()
    read_cells(registers["formatted"])
    assert looked == ["xl/worksheets/sheet1.xml"]  # read alone, it looks for itself


def test_the_cut_the_check_saw_in_small_pieces_is_the_one_the_reading_finds_itself(tmp_path, monkeypatch, short_threshold):
    """The check reads each part in pieces (READ_BACK_CHUNK); the reports read without asking for stored results."""
    path = formatted(plain_register(tmp_path / "r.xlsx"), tmp_path / "f.xlsx", SHORT_END, as_excel=True)
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as z:
        alone = reader._look_through(z, part)
    for piece in (4_099, 65_536):
        monkeypatch.setattr(reader, "READ_BACK_CHUNK", piece)
        check_writable(path, REFRESHING)
        assert reader._seen(path, part) == alone and alone.cut.last_row == 31
    watch = Watch(monkeypatch)
    whole = read_cells(path)
    reader._SEEN.clear()
    quick = read_cells(path, results=False)
    assert quick.rows == whole.rows and quick.notes == whole.notes and quick.results_stored is False
    assert watch.copies == [31, 31]


# --- a cell far down -----------------------------------------------------------------------


@pytest.fixture
def short_threshold(monkeypatch):
    """ROW_BY_ROW_FROM lowered, so sheets formatted to SHORT_END rows (quick to build) count as long."""
    monkeypatch.setattr(reader, "ROW_BY_ROW_FROM", SHORT)


@pytest.mark.parametrize("row, row_by_row", [(SHORT - 1, False), (SHORT, False), (SHORT + 1, True), (SHORT_END, True)])
def test_a_value_far_down_is_read_row_by_row_and_one_near_enough_by_calamine(tmp_path, monkeypatch, short_threshold, row, row_by_row):
    """A value below ROW_BY_ROW_FROM would make calamine build every cell above it (gigabytes at row 1,048,576)."""
    path = formatted(plain_register(tmp_path / "r.xlsx"), tmp_path / "f.xlsx", SHORT_END,
                     cells={row: b'<c r="BZ%d" t="inlineStr"><is><t>stray</t></is></c>' % row})
    watch = Watch(monkeypatch, refuse_row_by_row=False)
    found = read_register(path)
    assert watch.row_by_row == (1 if row_by_row else 0)
    assert watch.copies == ([] if row_by_row else [row])
    assert found.register.table["reference"].tolist() == [f"CSC-{i}" for i in range(1, 31)]
    assert found.notes == [stop_note(31, SHORT_END)]


def test_a_value_beyond_the_rows_a_cut_sheet_may_keep_is_read_row_by_row(tmp_path, monkeypatch, short_threshold):
    """CUT_SHORT_UP_TO bounds what calamine holds of a long sheet (the rows to the last one holding anything)."""
    monkeypatch.setattr(reader, "CUT_SHORT_UP_TO", 2_000)
    for row, row_by_row in ((2_000, False), (2_001, True)):
        path = formatted(plain_register(tmp_path / "r.xlsx"), tmp_path / f"f{row}.xlsx", SHORT_END, cells={row: b'<c r="C%d"><v>1</v></c>' % row})
        watch = Watch(monkeypatch, refuse_row_by_row=False)
        assert read_register(path).register.table["reference"].tolist() == [f"CSC-{i}" for i in range(1, 31)]
        assert (watch.row_by_row, watch.copies) == ((1, []) if row_by_row else (0, [row]))


def test_only_styled_cells_below_a_short_threshold_are_never_read_row_by_row(tmp_path, monkeypatch, short_threshold):
    path = formatted(plain_register(tmp_path / "r.xlsx"), tmp_path / "f.xlsx", SHORT_END, as_excel=True)
    watch = Watch(monkeypatch)
    check_writable(path, REFRESHING)
    assert read_register(path).register.table["reference"].tolist() == [f"CSC-{i}" for i in range(1, 31)]
    assert watch.copies == [31]


# --- error cells, long text, formulas, damage -----------------------------------------------


def test_error_cells_in_a_formatted_register_are_reported_as_in_the_plain_one(tmp_path, monkeypatch, short_threshold):
    """An error cell in the complaints and one in a row of its own 500 rows below them, in the formatted part."""
    service = letter("service")

    def errors(book, sheet):
        sheet[f"{service}5"] = "#N/A"  # openpyxl writes it as an error cell (t="e")

    plain = plain_register(tmp_path / "r.xlsx", dress=errors)
    below = 31 + 500
    cell = b'<c r="%s%d" t="e"><v>#REF!</v></c>' % (service.encode(), below)
    path = formatted(plain, tmp_path / "f.xlsx", SHORT_END, cells={below: cell})
    same = formatted(plain, tmp_path / "p.xlsx", below, cells={below: cell})  # the same cells, not formatted below
    monkeypatch.setattr(reader, "ROW_BY_ROW_FROM", SHORT_END)
    want = sorted((p.row, p.column, p.message) for p in read_register(same).register.problems)
    monkeypatch.setattr(reader, "ROW_BY_ROW_FROM", SHORT)
    assert any("#N/A" in m for _, _, m in want) and any(r == below and "#REF!" in m for r, _, m in want)
    watch = Watch(monkeypatch)
    for checked in (False, True):
        reader._SEEN.clear()
        if checked:
            check_writable(path, REFRESHING)
        found = read_register(path)
        assert sorted((p.row, p.column, p.message) for p in found.register.problems) == want
    assert watch.copies == [below, below]  # (that row's empty reference is reported too, in both)


def test_a_cell_longer_than_excel_holds_in_a_formatted_register_is_refused_naming_it(tmp_path, monkeypatch, short_threshold):
    def long(book, sheet):
        sheet[f"{letter('nature')}12"] = "TO-LENGTHEN"

    path = formatted(plain_register(tmp_path / "r.xlsx", dress=long), tmp_path / "f.xlsx", SHORT_END, swap=(b"TO-LENGTHEN", b"x" * 40_000))
    watch = Watch(monkeypatch)
    with pytest.raises(CellTooLong) as refused:
        check_writable(path, REFRESHING)
    nature = next(c.header for c in INPUT_COLUMNS if c.key == "nature")
    assert f"Register row 12, column '{nature}'" in str(refused.value)
    assert watch.copies == [31]


def test_whether_formulas_kept_their_results_is_told_for_the_whole_formatted_sheet(tmp_path, short_threshold):
    plain = plain_register(tmp_path / "r.xlsx")
    stored = formatted(plain, tmp_path / "stored.xlsx", SHORT_END, cells={40: b'<c r="BZ40"><f>1+1</f><v>2</v></c>'})
    lost = formatted(plain, tmp_path / "lost.xlsx", SHORT_END, cells={40: b'<c r="BZ40"><f>1+1</f></c>'})
    for checked in (False, True):
        reader._SEEN.clear()
        if checked:
            check_writable(lost, REFRESHING)
        assert read_cells(lost).results_stored is False
    reader._SEEN.clear()
    assert read_cells(stored).results_stored is True


def test_a_formatted_register_damaged_below_its_complaints_is_refused(tmp_path, monkeypatch, short_threshold):
    """The part is checked whole, even where calamine is not given it: a byte changed in the styled rows.
    (Row by row, the reading stopped in the styled rows and never came to the damage.)"""
    path = formatted(plain_register(tmp_path / "r.xlsx"), tmp_path / "f.xlsx", SHORT_END)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(reader._xlsx_parts(z)["Register"])
    data = bytearray(path.read_bytes())
    name, extra = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])  # the local header's own
    data[info.header_offset + 30 + name + extra + info.compress_size - 2_000] ^= 0x55
    path.write_bytes(bytes(data))
    for attempt in (lambda: read_cells(path), lambda: check_writable(path, REFRESHING)):
        with pytest.raises(FileProblem) as refused:
            attempt()
        assert "cannot be read as a register" in str(refused.value) and "Error" not in str(refused.value)


# --- the cut, however the part comes in pieces ---------------------------------------------


def _part(rows: list[tuple[int, str]], tail: bytes, prefix: bytes = b"") -> bytes:
    """A sheet part with rows of each kind; with `prefix` (b"x:"), every element of the sheet in it, as some programs write."""
    kinds = {
        "styled": b'<c r="B%d" s="3"/><c r="D%d" s="3"/>',
        "excel": b'<c r="B%d" s="3"/>',
        "value": b'<c r="A%d" t="s"><v>7</v></c>',
        "inline": b'<c r="C%d" t="inlineStr"><is><t>x</t></is></c>',
        "formula": b'<c r="E%d"><f t="shared" si="0"/></c>',
        "error": b'<c r="F%d" t="e"><v>#N/A</v></c>',
        "bare error": b'<c r="F%d" t="e"/>',
    }
    body = []
    for number, kind in rows:
        attrs = b' ht="15" customHeight="1" x14ac:dyDescent="0.25"' if kind == "excel" else b' spans="1:6"'
        body.append(b'<row r="%d"%s>' % (number, attrs) + kinds[kind].replace(b"%d", b"%d" % number) + b"</row>")
    xmlns = b"xmlns:x" if prefix else b"xmlns"
    head = (b'<?xml version="1.0"?><worksheet ' + xmlns + b'="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="A1:F1048576"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData>')
    data = head + b"".join(body) + b"</sheetData>" + tail + b"</worksheet>"
    return re.sub(rb"<(/?)(?=[a-zA-Z])", b"<\\1" + prefix, data) if prefix else data


def _reference_cut(data: bytes, prefix: bytes = b"") -> tuple[int, int, bytes]:
    """Where the last row holding a value, string, formula or error ends, found by parsing rows whole."""
    p = re.escape(prefix)
    opening = b"<" + prefix + b"sheetData>"
    end, last = data.index(opening) + len(opening), 0
    for row in re.finditer(rb"<" + p + rb'row r="(\d+)"[^>]*>(.*?)</' + p + rb"row>", data):
        if re.search(rb"<" + p + rb"(?:v>|is>|f\b)|t=\"e\"", row.group(2)):
            end, last = row.end(), int(row.group(1))
    return end, last, data[data.index(b"</" + prefix + b"sheetData>") :]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(["styled", "styled", "excel", "value", "inline", "formula", "error", "bare error"]), min_size=0, max_size=60),
    piece=st.integers(min_value=1, max_value=700),
    tail=st.sampled_from([b"", b'<mergeCells count="1"><mergeCell ref="A2:A4"/></mergeCells>', b"<pageMargins left=\"0.7\"/>" * 40]),
    prefix=st.sampled_from([b"", b"x:"]),
)
def test_the_cut_is_where_the_last_row_holding_anything_ends_however_the_part_is_cut_in_pieces(kinds, piece, tail, prefix):
    data = _part([(i + 2, kind) for i, kind in enumerate(kinds)], tail, prefix)
    marks = reader._Marks(cut=True)
    for at in range(0, len(data), piece):
        marks.feed(data[at : at + piece])
    marked, _ = marks.close()
    cut = marks.cut
    assert (cut.end, cut.last_row, cut.tail) == _reference_cut(data, prefix)
    assert cut.rows == LAST_ROW
    assert marked == any(k in ("error", "bare error") for k in kinds)
