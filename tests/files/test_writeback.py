"""Writing to a register in use: never while Excel or LibreOffice holds it, never partly, never without a
backup, and changing nothing it has no business changing (part by part, byte for byte)."""

from __future__ import annotations

import datetime as dt
import os
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula
from python_calamine import CalamineWorkbook

import openpyxl_edit
from xl_complaints.files import package, writeback
from xl_complaints.excel import refresh, workbook
from xl_complaints.core import schema
from xl_complaints.core.settings import Settings

from test_workbook import AS_OF, EDGE_RECORDS, expected_status, libreoffice_sheets, sample_records, shown

NOON = dt.datetime(2024, 6, 14, 12, 30, 5)
JULY = dt.date(2024, 7, 1)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    return workbook.build(tmp_path_factory.mktemp("orig") / "Complaints_Register.xlsm", sample_records(60), as_of=AS_OF)


@pytest.fixture
def register(original, tmp_path) -> Path:
    path = tmp_path / original.name
    path.write_bytes(original.read_bytes())
    os.chmod(path, 0o600)
    return path


def do_refresh(path, as_of=JULY, static=False, settings=None, when=None) -> writeback.WriteResult:
    return writeback.write_package(path, lambda old: refresh.plan(old, as_of, static=static, settings=settings), when=when)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def sheet_part(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        return writeback.sheet_parts(z)[sheet]


def calamine(path: Path, sheet: str) -> list[list]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    finally:
        book.close()


def test_only_the_four_sheets_refresh_changes_are_rewritten_the_rest_byte_for_byte(register, original):
    result = do_refresh(register, when=NOON)
    before, after = parts(original), parts(register)
    assert list(after) == list(before)  # the same parts, in the same order
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {sheet_part(original, s) for s in (workbook.REGISTER, workbook.DASHBOARD, workbook.HOLIDAYS, workbook.CALCULATED)}
    assert writeback.vba_project(register) == writeback.vba_project(original) is not None
    assert sorted(writeback.buttons(register)) == sorted(writeback.buttons(original)) != []
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(register) as b:
        for info in a.infolist():  # each zip entry keeps its date and compression
            assert (b.getinfo(info.filename).date_time, b.getinfo(info.filename).compress_type) == (info.date_time, info.compress_type)
    assert result.backup == register.parent / "Backups" / "Complaints_Register 2024-06-14 123005.xlsm"
    assert result.backup.read_bytes() == original.read_bytes()


def test_refresh_writes_date_holidays_values_and_the_stored_results_of_every_formula(register):
    settings = Settings(closure_days=(dt.date(2024, 12, 27),))
    result = do_refresh(register, settings=settings)
    assert result.outcome.block == "values" and result.outcome.results > 60 * len(schema.CALCULATED_KEYS)
    reg = calamine(register, workbook.REGISTER)  # calamine never recalculates: this is what the file stores
    assert reg[workbook.AS_OF_CELL[0]][workbook.AS_OF_CELL[1]] == JULY
    holidays = [tuple(r[:3]) for r in calamine(register, workbook.HOLIDAYS)[1:] if r[0] != ""]
    assert holidays == workbook.holiday_rows(settings, JULY)
    header = workbook.HEADER_ROW - 1
    headers = reg[header]
    width = len(workbook.REGISTER_COLUMNS)
    with package.Package(register) as pkg:
        _, last, _, _ = refresh.register_table(pkg, sheet_part(register, workbook.REGISTER))
    rows = [r[:width] for r in reg[header + 1 : last]]
    block = workbook.calculated_block(headers[:width], rows, settings, JULY, workbook.FIRST_ROW)
    calc = calamine(register, workbook.CALCULATED)
    for i, want in enumerate(block):
        assert calc[workbook.FIRST_ROW - 1 + i][: len(want)] == want, i
    assert all(v == "" for v in calc[workbook.FIRST_ROW - 1 + len(block)][: len(workbook.CALC_HEADERS)]) if len(calc) > workbook.FIRST_ROW - 1 + len(block) else True
    references = [r[workbook.reference_position(headers)] or None for r in rows]
    expected = workbook.formula_results(references, block, JULY, headers=headers[:width])
    dash = calamine(register, workbook.DASHBOARD)
    for sheet, grid in ((workbook.REGISTER, reg), (workbook.DASHBOARD, dash)):
        for ref, value in expected[sheet].items():
            r, c = package.cell_position(ref)
            got = grid[r - 1][c - 1]
            want = value if not isinstance(value, float) or not value.is_integer() else value
            assert got == want or (got == "" and value in ("", None)) or (isinstance(got, float) and got == want), (sheet, ref, got, value)
    assert dash[1][1] == JULY


def test_stored_results_match_what_libreoffice_works_out(register, tmp_path):
    do_refresh(register)
    stored = {s: calamine(register, s) for s in (workbook.REGISTER, workbook.DASHBOARD)}
    worked_out = libreoffice_sheets(register, tmp_path / "lo")  # recalculated by LibreOffice
    for sheet in stored:
        for r, row in enumerate(stored[sheet][:80]):
            for c, value in enumerate(row):
                assert shown(value) == worked_out[sheet][r][c], (sheet, r + 1, c + 1)


def test_text_in_the_block_that_looks_like_a_formula_stays_text(tmp_path):
    path = workbook.build(tmp_path / "R.xlsm", EDGE_RECORDS, as_of=AS_OF)
    do_refresh(path)
    calc = openpyxl.load_workbook(path, keep_vba=True)[workbook.CALCULATED]
    cells = [calc.cell(r, 1) for r in range(workbook.FIRST_ROW, workbook.FIRST_ROW + len(EDGE_RECORDS))]
    cell = next(c for c in cells if c.value == "=CSC-2")
    assert cell.data_type == "s"


def test_live_formulas_are_kept_unless_values_are_asked_for(register):
    openpyxl_edit.edit(register, lambda wb: setattr(wb[workbook.CALCULATED]["A4"], "value", ArrayFormula(workbook.CALC_BLOCK, workbook.LIVE_FORMULA)))
    live = parts(register)[sheet_part(register, workbook.CALCULATED)]
    result = do_refresh(register)
    assert result.outcome.block == "kept live formula"
    assert parts(register)[sheet_part(register, workbook.CALCULATED)] == live  # not touched at all
    result = do_refresh(register, static=True)
    assert result.outcome.block == "values"
    assert not isinstance(openpyxl.load_workbook(register, keep_vba=True)[workbook.CALCULATED]["A4"].value, ArrayFormula)


# --- the check before the swap ----------------------------------------------------------------------


def _faulty_rewrite(monkeypatch, spoil):
    real = package.rewrite

    def rewrite(pkg, target, change):  # the writer goes wrong; the check still knows what was planned
        planned = package.Rewrite(dict(change.parts), dict(change.replaced), set(change.dropped))
        return real(pkg, target, spoil(planned))

    monkeypatch.setattr(package, "rewrite", rewrite)


@pytest.mark.parametrize("fault, message", [
    ("drops the macros", "lost"),
    ("changes a part it should not", "changed"),
    ("writes a sheet that is not whole XML", "not whole XML"),
    ("loses a content type", "content type of xl/styles.xml changed"),
])
def test_a_copy_that_is_not_faithful_is_never_swapped_in(register, monkeypatch, fault, message):
    def spoil(change: package.Rewrite) -> package.Rewrite:
        if fault == "drops the macros":
            change.dropped = change.dropped | {writeback.VBA_PART}
        elif fault == "changes a part it should not":
            change.replaced["xl/styles.xml"] = parts(register)["xl/styles.xml"].replace(b"Calibri", b"Arial")
        elif fault == "writes a sheet that is not whole XML":
            part = sheet_part(register, workbook.HOLIDAYS)
            writer = change.parts[part]
            change.parts[part] = lambda src, dst: (writer(src, dst), dst.write(b"<row>"))
        return change

    before = register.read_bytes()
    if fault == "loses a content type":  # a planned change to the content types, which loses one
        types = parts(register)[package.CONTENT_TYPES]
        real_plan = refresh.plan

        def plan(old, *args, **kwargs):
            change, done = real_plan(old, *args, **kwargs)
            change.replaced[package.CONTENT_TYPES] = package.without_element(types, rb'<Override PartName="/xl/styles.xml"[^>]*/>')
            return change, done

        monkeypatch.setattr(refresh, "plan", plan)
    else:
        _faulty_rewrite(monkeypatch, spoil)
    with pytest.raises(writeback.WritebackError, match=message):
        do_refresh(register)
    assert register.read_bytes() == before
    assert sorted(p.name for p in register.parent.iterdir()) == [register.name]  # no copy, no backup left


def test_a_failed_plan_leaves_the_register_and_the_folder_as_they_were(register):
    before = register.read_bytes()

    def broken(old):
        raise ValueError("stop")

    with pytest.raises(ValueError):
        writeback.write_package(register, broken)
    assert register.read_bytes() == before
    assert sorted(p.name for p in register.parent.iterdir()) == [register.name]


def test_excels_calculation_chain_goes_with_its_content_type_and_relationship(register, tmp_path):
    """calcChain.xml lists formula cells; the block's formulas change, so it goes and Excel rebuilds it."""
    chained = tmp_path / "chained" / register.name
    chained.parent.mkdir()
    with zipfile.ZipFile(register) as z, zipfile.ZipFile(chained, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == package.CONTENT_TYPES:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>')
            out.writestr(info, data)
        out.writestr("xl/calcChain.xml", b'<?xml version="1.0"?><calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="A5" i="7"/></calcChain>')
    do_refresh(chained)
    after = parts(chained)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after[package.CONTENT_TYPES] and b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    with package.Package(chained) as pkg:
        assert pkg.problems() == set()


# --- files -------------------------------------------------------------------------------------------


def test_backups_never_overwrite_each_other_and_each_is_the_register(register, original):
    first = writeback.backup(register, NOON)
    second = writeback.backup(register, NOON)
    assert first != second
    assert first.read_bytes() == second.read_bytes() == original.read_bytes()
    assert stat.S_IMODE(first.stat().st_mode) == stat.S_IMODE(second.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o660])
def test_the_new_copy_has_the_registers_permissions_from_its_first_byte(register, monkeypatch, mode):
    os.chmod(register, mode)
    seen = []
    real = package.rewrite

    def watching(pkg, target, change):
        copy = next(register.parent.glob("*.writing-*"))
        seen.append((stat.S_IMODE(copy.stat().st_mode), copy.stat().st_size))  # before anything is written
        return real(pkg, target, change)

    monkeypatch.setattr(package, "rewrite", watching)
    previous = os.umask(0o077)  # a strict umask must not narrow a shared register's permissions either
    try:
        do_refresh(register)
    finally:
        os.umask(previous)
    assert seen == [(mode, 0)]
    assert stat.S_IMODE(register.stat().st_mode) == mode


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_register_reached_through_a_link_is_replaced_where_it_really_is(original, tmp_path):
    real = tmp_path / "team share" / "Complaints_Register.xlsm"
    real.parent.mkdir()
    real.write_bytes(original.read_bytes())
    os.chmod(real, 0o600)
    link = tmp_path / "desktop" / "Register.xlsm"
    link.parent.mkdir()
    link.symlink_to(real)
    result = do_refresh(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert calamine(real, workbook.REGISTER)[1][1] == JULY
    assert result.backup.parent == real.parent / "Backups" and result.backup.read_bytes() == original.read_bytes()
    assert writeback.backups(link) == [result.backup]
    assert sorted(p.name for p in link.parent.iterdir()) == ["Register.xlsm"]  # nothing written beside the link
    assert writeback.restore(link, result.backup).backup is not None
    assert link.is_symlink() and real.read_bytes() == original.read_bytes()


EXCEL_OWNER = "Priya Ramanathan"


def excel_owner_file(name: str) -> bytes:
    """An owner file as Excel writes it: length, 8-bit name padded to 55, length again, UTF-16 name, 165 bytes."""
    data = bytes([len(name)]) + name.encode("cp1252") + b" " * (54 - len(name))
    data += bytes([len(name), 0]) + name.encode("utf-16-le")
    data += b" \x00" * ((165 - len(data)) // 2)
    return data + b" " * (165 - len(data))


def test_refuses_while_excel_or_libreoffice_holds_the_register_and_says_who(register):
    before = register.read_bytes()
    cases = [
        ("~$" + register.name, excel_owner_file(EXCEL_OWNER), f"open in Excel by {EXCEL_OWNER}"),
        ("~$" + register.name[2:], b"owner", "open in Excel (its lock file"),  # unreadable: still refused
        (".~lock." + register.name + "#", "Jane Doe,jdoe,PC-07,01.12.2026 21:15,file:///home/jdoe/.config/libreoffice/4;".encode(),
         "open in LibreOffice by Jane Doe on the PC PC-07 since 01/12/2026 21:15"),
        (".~lock." + register.name + "#", ",jdoe\\,x,PC-07,01.12.2026 21:15,file:///u;".encode(), "open in LibreOffice by jdoe,x on the PC PC-07"),
    ]
    for lock, content, message in cases:
        (register.parent / lock).write_bytes(content)
        with pytest.raises(writeback.RegisterInUse, match=message.replace("(", r"\(")) as err:
            do_refresh(register)
        assert f"delete {lock}" in str(err.value)
        (register.parent / lock).unlink()
    assert register.read_bytes() == before
    assert sorted(p.name for p in register.parent.iterdir()) == [register.name]  # no temporary file, no backup


@pytest.mark.libreoffice
def test_sorted_register_keeps_each_rows_values_after_a_refresh(register, tmp_path):
    """Rows in a new order (as a sort leaves them) still show their own values: picked by Reference."""
    def sort_backwards(wb):
        ws = wb[workbook.REGISTER]
        inputs = [i for i, c in enumerate(workbook.REGISTER_COLUMNS) if not c.calculated]
        count = len(sample_records(60))
        rows = [[ws.cell(r, i + 1).value for i in inputs] for r in range(workbook.FIRST_ROW, workbook.FIRST_ROW + count)]
        for offset, row in enumerate(reversed(rows)):
            for value, i in zip(row, inputs):
                cell = ws.cell(workbook.FIRST_ROW + offset, i + 1)
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"

    do_refresh(register, AS_OF)  # the block, in the old order
    openpyxl_edit.edit(register, sort_backwards)  # the register sorted; the block not refreshed
    sheets = libreoffice_sheets(register, tmp_path / "lo")
    records = list(reversed(sample_records(60)))
    expected = expected_status(records)
    headers = [c.header for c in workbook.REGISTER_COLUMNS]
    duplicates = {r for r in expected["reference"] if (expected["reference"] == r).sum() > 1}
    for sheet_row in expected.index:
        if expected.at[sheet_row, "reference"] in duplicates:
            continue  # two rows, one reference: the block cannot tell them apart until Refresh
        got = [sheets[workbook.REGISTER][sheet_row - 1][headers.index(schema.column(k).header)] for k in schema.CALCULATED_KEYS]
        assert got == [shown(expected.at[sheet_row, key]) for key in schema.CALCULATED_KEYS], sheet_row
