"""refresh leaves a cell alone when it already holds its new value, and only then.

A daily refresh changes the results of the open complaints and little else, so
the cells that already hold their new value keep their bytes (that is most of
the register's speed). These tests make sure nothing is skipped that should be
written: a formula whose stored result was dropped by another program, a
Calculated cell that lost its "" formula, a value of another kind that merely
compares equal (TRUE and 1, a date and its serial number, '' and an empty cell).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from test_workbook import AS_OF, sample_records
from xl_complaints.excel import refresh, workbook
from xl_complaints.files import package, reader, writeback

FIRST = dt.date(2024, 7, 1)
LATER = dt.date(2024, 9, 16)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    return workbook.build(tmp_path_factory.mktemp("orig") / "Complaints_Register.xlsm", sample_records(80, seed=5), as_of=AS_OF)


@pytest.fixture
def register(original, tmp_path) -> Path:
    path = tmp_path / original.name
    path.write_bytes(original.read_bytes())
    return path


def do_refresh(path: Path, as_of: dt.date) -> writeback.WriteResult:
    return writeback.write_package(path, lambda old: refresh.plan(old, as_of))


def part_of(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        return writeback.sheet_parts(z)[sheet]


def read_part(path: Path, sheet: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(part_of(path, sheet))


def rows_of(xml: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(0) for m in re.finditer(rb'<row r="(\d+)".*?</row>', xml, re.S)}


def values(path: Path, sheet: str) -> list[list]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    finally:
        book.close()


def with_part(path: Path, sheet: str, change) -> None:
    """Rewrite one sheet part of the file with `change(xml) -> xml`, the rest as it was."""
    name = part_of(path, sheet)
    data = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(data) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            out.writestr(info, change(z.read(info)) if info.filename == name else z.read(info))


def test_a_second_refresh_the_same_day_leaves_the_register_and_the_block_as_they_were(register):
    do_refresh(register, FIRST)
    before = {s: read_part(register, s) for s in (workbook.REGISTER, workbook.CALCULATED)}
    do_refresh(register, FIRST)
    assert {s: read_part(register, s) for s in before} == before


def test_a_later_refresh_rewrites_the_rows_whose_results_changed_and_keeps_the_others_bytes(register, tmp_path):
    do_refresh(register, FIRST)
    old_xml, old_values = read_part(register, workbook.REGISTER), values(register, workbook.REGISTER)
    do_refresh(register, LATER)
    new_xml, new_values = read_part(register, workbook.REGISTER), values(register, workbook.REGISTER)
    old_rows, new_rows = rows_of(old_xml), rows_of(new_xml)
    changed = kept = 0
    for r in range(workbook.FIRST_ROW, workbook.FIRST_ROW + 80):
        if old_values[r - 1] == new_values[r - 1]:
            assert new_rows[r] == old_rows[r], r  # byte for byte
            kept += 1
        else:
            changed += 1
    assert changed and kept  # both kinds were met
    # and the values are those of a refresh that writes every cell (the original, never refreshed)
    fresh = tmp_path / "fresh" / register.name
    fresh.parent.mkdir()
    fresh.write_bytes(writeback.backups(register)[-1].read_bytes())  # the oldest backup: the register as built
    do_refresh(fresh, LATER)
    for sheet in (workbook.REGISTER, workbook.CALCULATED, workbook.DASHBOARD):
        assert values(fresh, sheet) == values(register, sheet), sheet


def test_results_another_program_dropped_are_all_stored_again(register, tmp_path):
    intact = tmp_path / "intact" / register.name
    intact.parent.mkdir()
    intact.write_bytes(register.read_bytes())
    # a program that keeps formulas but not their results (as openpyxl saves them)
    with_part(register, workbook.REGISTER, lambda xml: re.sub(rb"</f><v>[^<]*</v>", b"</f>", xml))
    assert b"</f><v>" not in read_part(register, workbook.REGISTER)
    assert reader.read_cells(register).results_stored is False
    do_refresh(register, FIRST)
    do_refresh(intact, FIRST)
    xml = read_part(register, workbook.REGISTER)
    assert xml.count(b"</f><v>") == xml.count(b"</f>") > 80 * 9
    assert values(register, workbook.REGISTER) == values(intact, workbook.REGISTER)


def test_a_block_cell_that_lost_its_empty_text_formula_gets_it_back(register, tmp_path):
    intact = tmp_path / "intact" / register.name
    intact.parent.mkdir()
    intact.write_bytes(register.read_bytes())
    # empty cells where "" formulas were: INDEX would read them as 0 (00/01/1900)
    with_part(register, workbook.CALCULATED, lambda xml: re.sub(rb'<c r="([A-Z]+\d+)"( t="str")?><f>""</f><v></v></c>', rb'<c r="\1"/>', xml))
    assert b'<f>""</f>' not in read_part(register, workbook.CALCULATED)
    do_refresh(register, FIRST)
    do_refresh(intact, FIRST)
    got, want = read_part(register, workbook.CALCULATED), read_part(intact, workbook.CALCULATED)
    assert got.count(b'<f>""</f>') == want.count(b'<f>""</f>') > 80


def test_a_block_cell_holding_a_formula_of_its_own_gets_its_value(register):
    """A typed-in formula whose result happens to be the new value is still replaced by the value."""
    do_refresh(register, FIRST)
    calc = values(register, workbook.CALCULATED)
    row = next(r for r in range(workbook.FIRST_ROW, workbook.FIRST_ROW + 80) if isinstance(calc[r - 1][1], str) and calc[r - 1][1])
    stage = calc[row - 1][1]

    def own_formula(xml: bytes) -> bytes:
        cell = re.search(rb'<c r="B%d"[^>]*?(?:/>|>.*?</c>)' % row, xml, re.S).group(0)
        return xml.replace(cell, b'<c r="B%d" t="str"><f>"%s"</f><v>%s</v></c>' % (row, stage.encode(), stage.encode()))

    with_part(register, workbook.CALCULATED, own_formula)
    do_refresh(register, FIRST)
    cell = re.search(rb'<c r="B%d"[^>]*?(?:/>|>.*?</c>)' % row, read_part(register, workbook.CALCULATED), re.S).group(0)
    assert b"<f>" not in cell and values(register, workbook.CALCULATED)[row - 1][1] == stage


@pytest.mark.parametrize("old, new, same", [
    ("Closed", "Closed", True),
    ("closed", "Closed", False),
    ("", "", False),  # an empty cell reads as '' too
    ("#N/A", "#N/A", False),  # an error cell is never taken for text
    (5.0, 5, True),
    (5, 5.0, True),
    (1, True, False),
    (True, 1, False),
    (1.0, True, False),
    (True, True, True),
    (45474.0, dt.date(2024, 7, 1), False),  # a serial number where a date belongs: the cell's format is wrong
    (dt.date(2024, 7, 1), 45474, False),
    (dt.date(2024, 7, 1), dt.date(2024, 7, 1), True),
    (dt.datetime(2024, 7, 1), dt.date(2024, 7, 1), False),
    (None, "", False),
    (None, 0, False),
    ("5", 5, False),
])
def test_only_the_same_kind_of_value_counts_as_unchanged(old, new, same):
    assert refresh._unchanged(old, new) is same


def test_a_formula_without_its_result_is_seen_wherever_the_pieces_of_the_scan_fall(monkeypatch, tmp_path):
    cells = b"".join(b'<c r="A%d"><f>1+1</f><v>2</v></c>' % r for r in range(1, 40))
    for at in range(0, len(cells), 7):
        for missing in (b"</f></c>", b'<f t="shared" si="0"/></c>'):
            head = b'<worksheet><sheetData><row r="1">'
            lacking = b'<c r="B1"><f>1</f></c>' if missing.startswith(b"</f>") else b'<c r="B1">' + missing
            xml = head + cells[:at] + lacking + cells[at:] + b"</row></sheetData></worksheet>"
            path = tmp_path / "s.zip"
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("s.xml", xml)
            for chunk in (5, 64, 1 << 22):
                monkeypatch.setattr(reader, "SCAN_CHUNK", chunk)
                stored: dict = {}
                with zipfile.ZipFile(path) as z:
                    reader._xlsx_errors(z, "s.xml", stored)
                assert stored["results"] is False, (at, missing, chunk)
    whole = b'<worksheet><sheetData><row r="1">' + cells + b"</row></sheetData></worksheet>"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("s.xml", whole)
    for chunk in (5, 64, 1 << 22):
        monkeypatch.setattr(reader, "SCAN_CHUNK", chunk)
        stored = {}
        with zipfile.ZipFile(path) as z:
            reader._xlsx_errors(z, "s.xml", stored)
        assert stored["results"] is True, chunk


@pytest.mark.parametrize("piece", [1000, 4096, 16383, 16384, 16385, 40000, 1 << 20])
@pytest.mark.parametrize("offset", [0, 1, 9999])
def test_text_too_long_for_excel_is_found_wherever_it_falls_in_the_pieces_read(piece, offset):
    for run, found in ((reader.LONG_RUN - 1, False), (reader.LONG_RUN, True)):
        data = b"<c>" + b"x" * offset + b"<t>" + b"y" * run + b"</t></c>" + b"<c>z</c>" * 50
        scan = reader._LongText()
        for start in range(0, len(data), piece):
            scan.feed(data[start : start + piece])
        assert scan.close() is found, (run, piece, offset)


def test_check_writable_still_reads_the_register_whole_for_a_long_cell(register):
    with_part(register, workbook.REGISTER, lambda xml: xml.replace(b"</sheetData>", b'<row r="200"><c r="F200" t="inlineStr"><is><t>' + b"a" * 40_000 + b"</t></is></c></row></sheetData>"))
    with pytest.raises(Exception, match="32,767"):
        reader.check_writable(register, "Refreshing the register")


# --- the printed footer -------------------------------------------------------------------------------


def footers(path: Path, sheet: str) -> list[bytes]:
    return re.findall(rb"<(?:odd|even|first)(?:Header|Footer)>(.*?)</", read_part(path, sheet))


def test_the_printed_footer_says_the_new_as_of_date_and_nothing_else_of_it_changes(register):
    """A page printed after a refresh must not say the date the register was built (AS_OF)."""
    for sheet in workbook.PRINTED_WITH_AS_OF:
        assert [f for f in footers(register, sheet) if f"As of {AS_OF:%d/%m/%Y}".encode() in f], sheet
    before = {s: read_part(register, s) for s in workbook.PRINTED_WITH_AS_OF}
    do_refresh(register, LATER)
    for sheet in workbook.PRINTED_WITH_AS_OF:
        got = footers(register, sheet)
        assert got == [f.replace(f"As of {AS_OF:%d/%m/%Y}".encode(), b"As of 16/09/2024") for f in footers_of(before[sheet])]
        assert any(b"As of 16/09/2024" in f for f in got)
        tail = lambda xml: re.sub(rb"As of \d\d/\d\d/\d{4}", b"", xml.split(b"</sheetData>")[1])
        assert tail(read_part(register, sheet)) == tail(before[sheet])  # the rest of the page setup, byte for byte


def footers_of(xml: bytes) -> list[bytes]:
    return re.findall(rb"<(?:odd|even|first)(?:Header|Footer)>(.*?)</", xml)


def test_a_footer_a_council_wrote_without_an_as_of_date_is_left_as_it_is():
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
           b"<headerFooter><oddFooter>&amp;LPrinted by the complaints team 01/04/2025</oddFooter></headerFooter></worksheet>")
    out = io.BytesIO()
    package.rewrite_sheet(io.BytesIO(xml), out, package.SheetEdits(printed_as_of="16/09/2024"))
    assert out.getvalue() == xml
    moved = xml.replace(b"Printed by the complaints team", b"As of")
    out = io.BytesIO()
    package.rewrite_sheet(io.BytesIO(moved), out, package.SheetEdits(printed_as_of="16/09/2024"))
    assert out.getvalue() == moved.replace(b"As of 01/04/2025", b"As of 16/09/2024")


class _InPieces(io.BytesIO):
    """A part that can only be read a piece at a time, as a 1,048,576-row sheet must be."""

    def read(self, size: int = -1) -> bytes:
        assert 0 < size <= package.CHUNK or self.tell() >= self.rows_end, "the rows were read whole"
        return super().read(size)


@pytest.mark.parametrize("shift", [0, 5, package.CHUNK - 7])
def test_the_footer_date_is_changed_without_reading_a_sheet_formatted_to_its_last_row_whole(shift):
    """Officers format whole columns: the rows below the complaints stream through, and only
    what follows the cells (page setup, footer) is read whole, wherever a piece ends."""
    rows = b"".join(b'<row r="%d"><c r="B%d" s="3"/></row>' % (n, n) for n in range(2, 120_000))
    head = b"<worksheet><sheetData>" + b" " * shift + b'<row r="1"><c r="A1"><v>1</v></c></row>'
    tail = b"</sheetData><headerFooter><oddFooter>&amp;LAs of 01/04/2025</oddFooter></headerFooter></worksheet>"
    source = _InPieces(head + rows + tail)
    source.rows_end = len(head) + len(rows)
    out = io.BytesIO()
    package.rewrite_sheet(source, out, package.SheetEdits(printed_as_of="16/09/2024"))
    assert out.getvalue() == head + rows + tail.replace(b"01/04/2025", b"16/09/2024")


def test_the_holidays_go_under_their_headers_wherever_a_council_moved_them(register):
    """The Holidays columns are found by their headers, read in the same opening as the Register
    (a column a council put in front of them, and Day before Date, change nothing but where)."""
    import openpyxl_edit

    def move(wb):
        sheet = wb[workbook.HOLIDAYS]
        sheet.insert_cols(1)  # a notes column in front
        sheet["A1"] = "Notes"
        for row in sheet.iter_rows(min_row=1, min_col=2, max_col=3):  # Day before Date
            row[0].value, row[1].value = row[1].value, row[0].value

    openpyxl_edit.edit(register, move)
    do_refresh(register, LATER)
    cells = values(register, workbook.HOLIDAYS)
    assert [str(v) for v in cells[0][:4]] == ["Notes", "Day", "Date", "Holiday"]
    listed = {row[2]: (row[1], row[3]) for row in cells[1:] if row[2] not in ("", None)}
    assert listed[dt.date(2024, 12, 25)] == ("Wednesday", "Christmas Day")
    assert listed[dt.date(2026, 12, 28)] == ("Monday", "Boxing Day (observed)")  # the year after next
    assert all(isinstance(day, dt.date) for day in listed) and len(listed) >= 24


@pytest.mark.parametrize("cell", [
    b'<c r="E7"><f>""</f><v></v></c>',  # as init and refresh write it
    b'<c r="E7" s="3"><f>""</f><v/></c>',
    b'<c s="3" r="E7"><f>""</f><v></v></c>',  # attributes in another order
    b'<c r="E7"  t="str" ><f>""</f><v></v></c>',  # spaces another program leaves
])
def test_the_block_cells_holding_the_empty_text_formula_are_found_however_written(cell):
    from types import SimpleNamespace

    xml = (b'<worksheet><sheetData><row r="7"><c r="D7"><f>""</f><v></v></c>' + cell
           + b'<c r="F7"><f>1+1</f><v>2</v></c><c r="G7"><v>5</v></c></row></sheetData></worksheet>')
    pkg = SimpleNamespace(infos={"s.xml": SimpleNamespace(file_size=len(xml))}, read=lambda part: xml)
    empty, others = refresh._formula_cells(pkg, "s.xml")
    assert empty == {b"D7", b"E7"} and others == {b"F7"}
