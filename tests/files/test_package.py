"""Splicing cells into a sheet's XML as it streams past: only the cells asked for change, byte for byte around them."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from lxml import etree

from xl_complaints.core.dates import excel_serial
from xl_complaints.files import package
from xl_complaints.files.package import Formula, Put, Result, SheetEdits

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{MAIN}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac">'
    '<dimension ref="A1:D5"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    '<sheetData>'
    '<row r="1" spans="1:4" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" s="3"><v>45457</v></c>'
    '<c r="C1" cm="1"><f t="array" ref="C1:C3">_xlfn._xlws.SORT(A1:A3)</f><v>1</v></c><c r="D1" s="2"/></row>'
    '<row r="2" s="5" customFormat="1"/>'
    '<row r="4"><c r="A4"><f t="shared" ref="A4:A5" si="0">B4*2</f><v>2</v></c><c r="B4"><v>1</v></c></row>'
    '<row r="5"><c r="A5"><f t="shared" si="0"/><v>4</v></c><c r="B5"><v>2</v></c></row>'
    '</sheetData>'
    '<conditionalFormatting sqref="A1:A5"><cfRule type="dataBar" priority="1"><dataBar><cfvo type="min"/><cfvo type="max"/>'
    '<color rgb="FF638EC6"/></dataBar></cfRule></conditionalFormatting>'
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:unknownThing keep="me"/></ext></extLst></worksheet>'
).encode()


def splice(xml: bytes, edits: SheetEdits, chunk: int | None = None, monkeypatch=None) -> bytes:
    if chunk and monkeypatch:
        monkeypatch.setattr(package, "CHUNK", chunk)
    out = io.BytesIO()
    package.rewrite_sheet(io.BytesIO(xml), out, edits)
    data = out.getvalue()
    etree.fromstring(data)  # still whole XML
    return data


@pytest.mark.parametrize("chunk", [None, 7, 64])  # tiny reads: rows and cells cut at every place
def test_only_the_cells_asked_for_change(monkeypatch, chunk):
    edits = SheetEdits()
    edits.put(1, 2, Put(dt.date(2024, 7, 1)))
    edits.put(4, 1, Result(10))
    edits.put(5, 1, Result("text & <more>"))
    edits.put(1, 3, Result(7))
    out = splice(SHEET, edits, chunk, monkeypatch)
    assert b'<c r="B1" s="3"><v>45474</v></c>' in out  # the style kept, the date as its serial number
    assert b'<c r="A4"><f t="shared" ref="A4:A5" si="0">B4*2</f><v>10</v></c>' in out
    assert b'<c r="A5" t="str"><f t="shared" si="0"/><v>text &amp; &lt;more&gt;</v></c>' in out
    assert b'<c r="C1" cm="1"><f t="array" ref="C1:C3">_xlfn._xlws.SORT(A1:A3)</f><v>7</v></c>' in out  # still spills
    # everything else, byte for byte
    assert out.replace(b"45474", b"45457").replace(b"<v>10</v>", b"<v>2</v>").replace(b"<v>7</v>", b"<v>1</v>").replace(
        b' t="str"><f t="shared" si="0"/><v>text &amp; &lt;more&gt;</v>', b'><f t="shared" si="0"/><v>4</v>') == SHEET


def test_a_result_for_a_cell_without_a_formula_leaves_it_alone():
    edits = SheetEdits()
    edits.put(4, 2, Result(99))  # an officer typed over the formula: keep what they typed
    edits.put(3, 1, Result(99))  # no such cell
    out = io.BytesIO()
    report = package.rewrite_sheet(io.BytesIO(SHEET), out, edits)
    assert out.getvalue() == SHEET and report.results_skipped == 2


def test_new_cells_and_rows_go_in_order_and_the_used_range_grows(monkeypatch):
    edits = SheetEdits()
    edits.put(2, 3, Put("in a formatted empty row"))
    edits.put(3, 1, Put(1.5))
    edits.put(4, 3, Formula('""', ""))
    edits.put(9, 6, Put(True))
    out = splice(SHEET, edits, 11, monkeypatch)
    assert b'<row r="2" s="5" customFormat="1"><c r="C2" t="inlineStr"><is><t>in a formatted empty row</t></is></c></row>' in out
    assert b'</row><row r="3"><c r="A3"><v>1.5</v></c></row><row r="4">' in out
    assert b'<c r="B4"><v>1</v></c><c r="C4" t="str"><f>""</f><v></v></c></row>' in out
    assert b'<row r="9"><c r="F9" t="b"><v>1</v></c></row></sheetData>' in out
    assert b'<dimension ref="A1:F9"/>' in out


def test_clearing_keeps_the_cells_format_and_the_rest_of_the_row():
    edits = SheetEdits(clear_rows=(4, package.MAX_ROW), clear_cols=frozenset({2}))
    out = splice(SHEET, edits)
    assert b'<c r="B4"/>' in out and b'<c r="B5"/>' in out
    assert b'<c r="A4"><f t="shared" ref="A4:A5" si="0">B4*2</f><v>2</v></c>' in out


def test_text_is_escaped_the_way_spreadsheetml_wants():
    assert package.text_xml("a\x01b") == b"a_x0001_b"
    assert package.text_xml("a\rb\nc\td") == b"a_x000D_b\nc\td"  # a carriage return would be read back as a line feed
    assert package.text_xml("_x0041_") == b"_x005F_x0041_"  # a literal that looks like an escape stays literal
    edits = SheetEdits()
    edits.put(4, 2, Put(" leading space"))
    assert b'<t xml:space="preserve"> leading space</t>' in splice(SHEET, edits)


def test_a_prefixed_sheet_is_spliced_in_its_own_prefix():
    xml = (f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>').encode()
    edits = SheetEdits()
    edits.put(1, 1, Put("two"))
    edits.put(1, 2, Put(3))
    out = splice(xml, edits)
    assert b'<x:c r="A1" t="inlineStr"><x:is><x:t>two</x:t></x:is></x:c><x:c r="B1"><x:v>3</x:v></x:c>' in out
    cells = etree.fromstring(out).findall(f".//{{{MAIN}}}c")
    assert [c.get("r") for c in cells] == ["A1", "B1"]


def test_an_empty_sheet_gets_its_rows():
    xml = f'<worksheet xmlns="{MAIN}"><sheetData/><pageMargins left="0.7"/></worksheet>'.encode()
    edits = SheetEdits()
    edits.put(2, 1, Put(5))
    assert splice(xml, edits) == f'<worksheet xmlns="{MAIN}"><sheetData><row r="2"><c r="A2"><v>5</v></c></row></sheetData><pageMargins left="0.7"/></worksheet>'.encode()


def test_a_cut_short_sheet_is_refused():
    edits = SheetEdits()
    edits.put(5, 2, Put(1))
    with pytest.raises(package.PackageError):
        package.rewrite_sheet(io.BytesIO(SHEET[: SHEET.index(b'<row r="5">') + 20]), io.BytesIO(), edits)


def test_areas_and_references():
    assert package.Area.parse("'My sheet'!$A$4:$K$20003") == package.Area("My sheet", 4, 1, 20003, 11)
    assert package.cell_position("$AB$12") == (12, 28) and package.column_letters(28) == "AB"
    assert excel_serial(dt.date(2024, 7, 1)) == 45474 and excel_serial(dt.datetime(2024, 7, 1, 12)) == 45474.5


def test_a_formula_written_over_a_cell_keeps_its_format_drops_its_old_type_and_says_formulas_changed():
    edits = SheetEdits()
    edits.put(1, 1, Formula('""', ""))  # a shared-string cell becomes the formula giving ""
    edits.put(1, 4, Formula("1+1", 2, style=7))  # an empty formatted cell, given a formula and a new format
    edits.put(1, 3, Formula('""', ""))  # a formula cell with its array metadata (cm) dropped
    out = io.BytesIO()
    report = package.rewrite_sheet(io.BytesIO(SHEET), out, edits)
    data = out.getvalue()
    etree.fromstring(data)
    assert b'<c r="A1" t="str"><f>""</f><v></v></c>' in data
    assert b'<c r="D1" s="7"><f>1+1</f><v>2</v></c>' in data
    assert b'<c r="C1" t="str"><f>""</f><v></v></c>' in data
    assert report.formulas_changed  # A1 and D1 had no formula: Excel's calculation chain must go
    only_c1 = SheetEdits()
    only_c1.put(1, 3, Formula("A1", 1))
    report = package.rewrite_sheet(io.BytesIO(SHEET), io.BytesIO(), only_c1)
    assert not report.formulas_changed  # a formula replaced by a formula


def test_cells_written_out_of_column_order_are_still_found():
    xml = SHEET.replace(b'<row r="4"><c r="A4"><f t="shared" ref="A4:A5" si="0">B4*2</f><v>2</v></c><c r="B4"><v>1</v></c></row>',
                        b'<row r="4"><c r="B4"><v>1</v></c><c r="A4"><f t="shared" ref="A4:A5" si="0">B4*2</f><v>2</v></c></row>')
    edits = SheetEdits()
    edits.put(4, 1, Result(10))
    edits.put(4, 2, Put(5))
    out = splice(xml, edits)
    assert b'<row r="4"><c r="B4"><v>5</v></c><c r="A4"><f t="shared" ref="A4:A5" si="0">B4*2</f><v>10</v></c></row>' in out


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_rows_copied_in_one_piece_come_out_as_row_by_row_splicing_makes_them(monkeypatch, chunk):
    """The splicer copies the rows before the next one to change in large pieces; the result is the
    same as reading row by row, wherever rows are missing, new rows go in, or the pieces read end."""
    import io
    import random

    rng = random.Random(chunk)
    monkeypatch.setattr(package, "CHUNK", chunk)
    monkeypatch.setattr(package, "SKIP_AHEAD", 300)
    for _ in range(150):
        present = sorted(rng.sample(range(1, 400), rng.randint(0, 60)))
        unnumbered = rng.random() < 0.2  # some files leave rows' references out
        rows = b"".join((b"<row>" if unnumbered and rng.random() < 0.3 else b'<row r="%d" spans="1:2">' % r) + b'<c r="A%d"><v>%d</v></c></row>' % (r, r) for r in present)
        xml = b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>"
        wanted = sorted(rng.sample(range(1, 400), rng.randint(1, 8)))

        def spliced(skipping: bool) -> bytes:
            edits = package.SheetEdits()
            for r in wanted:
                edits.put(r, 2, package.Put(r * 10))
            out = io.BytesIO()
            splicer = package._Splicer(io.BytesIO(xml), out, edits)
            if not skipping:
                splicer._skip_to = lambda row: False
            splicer.run()
            return out.getvalue()

        assert spliced(True) == spliced(False), (present, wanted)


def _zip_with(tmp_path, data: bytes, compression) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    path = tmp_path / f"parts-{compression}.zip"
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("xl/worksheets/sheet1.xml", data)
    z = zipfile.ZipFile(path)
    return z, z.getinfo("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_part_reads_back_as_zipfile_reads_it_in_pieces_of_any_size(tmp_path, monkeypatch, compression):
    monkeypatch.setattr(package, "CHUNK", 1000)  # inflated a little at a time
    data = SHEET * 50
    z, info = _zip_with(tmp_path, data, compression)
    with package.open_part(z, info) as f:
        pieces = [f.read(7), f.read(1), f.read(4096), f.read(0), f.read()]
    assert b"".join(pieces) == data == z.read(info) and pieces[3] == b""


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_damaged_part_is_refused_when_read_back(tmp_path, compression):
    z, info = _zip_with(tmp_path, SHEET * 50, compression)
    z.close()
    path = tmp_path / f"parts-{compression}.zip"
    raw = bytearray(path.read_bytes())
    at = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    raw[at] ^= 0x20  # one byte changed in the middle of the part as it is stored
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as z:
        with pytest.raises(zipfile.BadZipFile), package.open_part(z, z.getinfo(info.filename)) as f:
            f.read()


@pytest.mark.parametrize("deflate", ["isal", "zlib"])
def test_a_rewritten_part_is_deflated_as_zipfile_reads_it_with_isal_or_without(tmp_path, monkeypatch, deflate):
    """ISA-L where it is installed, zlib where it is not: the same deflate format either way."""
    if deflate == "zlib":
        import zlib

        monkeypatch.setattr(package, "_deflate", zlib)
    old = tmp_path / "old.xlsm"
    with zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", SHEET)
        z.writestr("docProps/app.xml", b"<Properties/>")
    edits = SheetEdits()
    edits.put(4, 1, Result(10))
    with package.Package(old) as pkg, open(tmp_path / "new.xlsm", "wb") as f:
        package.rewrite(pkg, f, package.Rewrite(parts={"xl/worksheets/sheet1.xml": lambda s, t: package.rewrite_sheet(s, t, edits)}))
    with zipfile.ZipFile(tmp_path / "new.xlsm") as z:
        assert z.testzip() is None  # zipfile's own reader (zlib) inflates it and finds its checksum right
        data = z.read("xl/worksheets/sheet1.xml")
        assert z.getinfo("xl/worksheets/sheet1.xml").compress_type == zipfile.ZIP_DEFLATED
    assert b'<c r="A4"><f t="shared" ref="A4:A5" si="0">B4*2</f><v>10</v></c>' in data
    assert data.replace(b"<v>10</v>", b"<v>2</v>", 1) == SHEET


def test_a_part_naming_a_file_outside_it_or_expanding_without_end_is_refused():
    """parse_xml reads the package's small parts with the standard library's expat: an external
    entity is never fetched (its text never reaches the toolkit) and an entity that expands a
    billion-fold is refused, as lxml's safe parser did."""
    outside = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><r>&x;</r>'
    laughs = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10) for i in range(8)) + b"]><l>&i;</l>"
    for data in (outside, laughs):
        with pytest.raises(package.XMLError):
            package.parse_xml(data)
    assert package.parse_xml(b'<r xmlns="urn:x"><a n="1"/></r>').find("{urn:x}a").get("n") == "1"
