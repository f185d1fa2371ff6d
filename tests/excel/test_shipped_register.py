"""workbook/Complaints_Register.xlsm, the register kept in the repository, is what `init` builds today.

The test rebuilds it through the command line, exactly as workbook/README.md says,
and compares the two files zip part by zip part, naming any part that differs.
The build depends on nothing but the code, the pinned xlwings and the fixed
As-of date (no clock, no machine): a second build is byte-identical.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from xl_complaints.excel import workbook
from xl_complaints.cli import main

SHIPPED = Path(__file__).resolve().parents[2] / "workbook" / "Complaints_Register.xlsm"


def rebuild(folder: Path) -> Path:
    """The README's command: init with the shipped As-of date."""
    path = folder / "Complaints_Register.xlsm"
    result = CliRunner().invoke(main, ["init", str(path), "--as-of", workbook.SHIPPED_AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    return path


def part_differences(a: Path, b: Path) -> list[str]:
    """Each zip part (and entry date) that is not the same in both files, by name."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        names_a, names_b = za.namelist(), zb.namelist()
        found = [f"{name}: only in {a.name}" for name in names_a if name not in names_b]
        found += [f"{name}: only in the fresh build" for name in names_b if name not in names_a]
        if names_a != names_b and not found:
            found.append("the parts are in a different order")
        for name in names_a:
            if name in names_b:
                if za.read(name) != zb.read(name):
                    found.append(f"{name}: contents differ")
                ia, ib = za.getinfo(name), zb.getinfo(name)
                if (ia.date_time, ia.external_attr, ia.compress_type) != (ib.date_time, ib.external_attr, ib.compress_type):
                    found.append(f"{name}: entry date or attributes differ")
    return found


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    return rebuild(tmp_path_factory.mktemp("fresh"))


def test_the_shipped_register_is_in_the_repository():
    assert SHIPPED.exists(), "workbook/Complaints_Register.xlsm is missing: rebuild it (workbook/README.md)"
    assert zipfile.is_zipfile(SHIPPED)


def test_the_shipped_register_matches_a_fresh_build_part_by_part(fresh):
    found = part_differences(SHIPPED, fresh)
    assert found == [], (
        "workbook/Complaints_Register.xlsm is out of date; rebuild it with "
        f"'xl-complaints init workbook/Complaints_Register.xlsm --as-of {workbook.SHIPPED_AS_OF.isoformat()}' "
        "(delete the old one first). Differences: " + "; ".join(found)
    )
    assert SHIPPED.read_bytes() == fresh.read_bytes()


def test_a_changed_part_is_named(tmp_path, fresh):
    """The comparison names the part: a build with another As-of date differs in the sheets and properties."""
    other = tmp_path / "other"
    other.mkdir()
    path = other / "Complaints_Register.xlsm"
    workbook.build(path, as_of=workbook.SHIPPED_AS_OF + dt.timedelta(days=1))
    found = part_differences(fresh, path)
    assert "docProps/core.xml: contents differ" in found
    assert any(item.startswith("xl/worksheets/sheet1.xml") for item in found)
    assert not any(item.startswith("xl/vbaProject.bin") for item in found)


def test_the_build_does_not_depend_on_the_clock_or_the_umask(tmp_path, fresh, monkeypatch):
    """Another time on the machine's clock, and another umask, give the same bytes: only --as-of matters."""
    import os
    import time

    later = time.mktime((2031, 1, 2, 9, 30, 0, 0, 0, -1))
    monkeypatch.setattr(time, "time", lambda: later)
    old = os.umask(0o002)
    try:
        again = rebuild(tmp_path)
    finally:
        os.umask(old)
    assert part_differences(fresh, again) == []


def test_the_shipped_register_opens_as_of_its_date_and_empty(fresh):
    with zipfile.ZipFile(SHIPPED) as z:
        core = z.read("docProps/core.xml").decode()
        assert f"{workbook.SHIPPED_AS_OF.isoformat()}T00:00:00Z" in core
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in z.infolist())
    book = CalamineWorkbook.from_path(str(SHIPPED))
    register = book.get_sheet_by_name(workbook.REGISTER).to_python()
    assert register[workbook.AS_OF_CELL[0]][workbook.AS_OF_CELL[1]] == workbook.SHIPPED_AS_OF
    assert len(register) <= workbook.FIRST_ROW  # the header and one blank row
    assert book.get_sheet_by_name(workbook.DASHBOARD).to_python()[1][1] == workbook.SHIPPED_AS_OF
