"""A register as a council's Excel leaves it keeps everything through refresh, restore and init --force.

The register is built by `init --sample 200`, then given what officers and IT
add over the years (council_additions: a macro button drawn as a shape, x14
dropdowns, data bars and icon sets, sparklines, a slicer, the VBA signature, a
custom ribbon, a threaded comment, a sensitivity label, rich text, control
records), each made the way Excel writes it.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

import council_additions
from xl_complaints.core import learning
from xl_complaints.files import learning_sheets
from xl_complaints.files import package, writeback
from xl_complaints.excel import refresh, workbook
from xl_complaints.cli import main

AS_OF = dt.date(2024, 6, 14)
JULY = "2024-07-01"


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def council(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("council") / "Complaints_Register.xlsm"
    assert cli("init", path, "--sample", 200, "--as-of", AS_OF).exit_code == 0
    council_additions.add_everything(path)
    assert council_additions.markers_missing(path) == []
    return path


@pytest.fixture
def register(council, tmp_path) -> Path:
    path = tmp_path / council.name
    shutil.copyfile(council, path)
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def refreshed_parts(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as z:
        sheets = writeback.sheet_parts(z)
    return {sheets[s] for s in (workbook.REGISTER, workbook.DASHBOARD, workbook.HOLIDAYS, workbook.CALCULATED)}


def rag_sheet_parts(path: Path) -> set[str]:
    """The learning sheets whose RAG formulas depend on the As-of date: refresh may store new results there."""
    with zipfile.ZipFile(path) as z:
        sheets = writeback.sheet_parts(z)
    return {sheets[s] for s in (learning.ACTIONS, learning.OMBUDSMAN) if s in sheets}


def test_refresh_keeps_every_addition_and_every_part_it_has_no_reason_to_touch(register, council):
    result = cli("refresh", register, "--as-of", JULY)
    assert result.exit_code == 0, result.output
    assert council_additions.markers_missing(register) == []
    before, after = parts(council), parts(register)
    assert list(after) == list(before)
    changed = {n for n in before if before[n] != after[n]}
    assert refreshed_parts(council) <= changed <= refreshed_parts(council) | rag_sheet_parts(council)
    with package.Package(register) as pkg:
        assert pkg.problems() == set()


def test_in_the_sheets_refresh_rewrites_everything_but_the_cells_is_byte_for_byte(register, council):
    """Outside <sheetData> (extLst, controls, drawing, conditional formats) the sheet parts are the old bytes,
    but for the printed footer's As-of date, which says the new one."""
    import re

    before = parts(council)
    assert cli("refresh", register, "--as-of", JULY).exit_code == 0
    after = parts(register)
    new_date = dt.date.fromisoformat(JULY).strftime("%d/%m/%Y").encode()
    for name in refreshed_parts(council):
        old, new = before[name], after[name]
        old_end, new_end = old.index(b"</sheetData>"), new.index(b"</sheetData>")
        old_tail = re.sub(rb"(<oddFooter>[^<]*?As of )\d\d/\d\d/\d{4}", rb"\g<1>" + new_date, old[old_end:])
        assert new[new_end:] == old_tail, name
        start = old.index(b"<sheetData")
        assert _without_dimension(new[:start]) == _without_dimension(old[:start]), name


def _without_dimension(head: bytes) -> bytes:
    import re

    return re.sub(rb'<dimension ref="[^"]*"/>', b"", head)


def test_stored_formula_results_are_right_after_refresh(register):
    assert cli("refresh", register, "--as-of", JULY).exit_code == 0
    july = dt.date(2024, 7, 1)
    with package.Package(register) as pkg:
        change, done = refresh.plan(pkg, july)  # what refresh works out, again, from the refreshed file
    assert done.results > 200 * 10
    book = CalamineWorkbook.from_path(str(register))  # never recalculates
    register_sheet = book.get_sheet_by_name(workbook.REGISTER).to_python(skip_empty_area=False)
    dashboard = book.get_sheet_by_name(workbook.DASHBOARD).to_python(skip_empty_area=False)
    book.close()
    headers = register_sheet[workbook.HEADER_ROW - 1]
    width = len(workbook.REGISTER_COLUMNS)
    rows = register_sheet[workbook.HEADER_ROW : workbook.HEADER_ROW + 200]
    references = [r[workbook.reference_position(headers)] or None for r in rows]
    from xl_complaints.files.reader import read_register

    loaded = read_register(register)
    block = workbook.calculated_block(headers[:width], [r[:width] for r in rows], loaded.settings, july)
    expected = workbook.formula_results(references, block, july, headers=headers[:width], learning_sheets=learning_sheets.read_sheets(register),
                                        services=workbook.column_cells(headers, rows, "service"), settings=loaded.settings)
    wrong = []
    for sheet, grid in ((workbook.REGISTER, register_sheet), (workbook.DASHBOARD, dashboard)):
        for ref, value in expected[sheet].items():
            r, c = package.cell_position(ref)
            got = grid[r - 1][c - 1]
            if not (got == value or (value == "" and got == "") or (isinstance(value, (int, float)) and got == float(value))):
                wrong.append((sheet, ref, got, value))
    assert wrong == []
    assert dashboard[1][1] == july and register_sheet[1][1] == july


def test_restore_puts_the_register_with_every_addition_back_byte_for_byte(register, council):
    assert cli("refresh", register, "--as-of", JULY).exit_code == 0
    restored = cli("restore", register, "--latest")
    assert restored.exit_code == 0, restored.output
    assert register.read_bytes() == council.read_bytes()
    assert council_additions.markers_missing(register) == []


def test_init_force_keeps_the_register_with_every_addition_whole_in_backups(register, council):
    result = cli("init", register, "--force", "--as-of", JULY)
    assert result.exit_code == 0, result.output
    (kept,) = writeback.backups(register)
    assert kept.read_bytes() == council.read_bytes()  # every addition, byte for byte, in the backup
    assert cli("restore", register, "--backup", kept.name).exit_code == 0
    assert register.read_bytes() == council.read_bytes()
    assert council_additions.markers_missing(register) == []


@pytest.mark.libreoffice
def test_the_refreshed_register_opens_in_libreoffice_with_its_values(register, tmp_path):
    from test_workbook import libreoffice_sheets, shown

    assert cli("refresh", register, "--as-of", JULY).exit_code == 0
    sheets = libreoffice_sheets(register, tmp_path / "lo", recalculate=False)
    assert sheets[workbook.REGISTER][1][1] == shown(dt.date(2024, 7, 1))
    assert sheets[workbook.REGISTER][0][7] == "".join(council_additions.RICH_TEXT)  # the rich text cell, still shown
