"""The Actions, Remedies and Ombudsman cases sheets in the built register, and the sample's rows in them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from xl_complaints.core import learning

from xl_complaints.sample import complaints as sample, learning as sample_learning

from xl_complaints.excel import workbook, workbook_learning
from xl_complaints.core.learning import ACTIONS, OMBUDSMAN, REMEDIES
from xl_complaints.files.reader import read_register
from xl_complaints.core.settings import Settings

from test_workbook import ALL_SHEETS_CSV, libreoffice

END = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def records():
    return sample.generate(250, years=2, seed=5, end=END)


@pytest.fixture(scope="module")
def items(records):
    return sample_learning.generate(records, seed=5, end=END)


@pytest.fixture(scope="module")
def built(tmp_path_factory, records, items) -> Path:
    path = tmp_path_factory.mktemp("learning") / "Complaints_Register.xlsm"
    return workbook.build(path, records, as_of=END, learning=items)


@pytest.fixture(scope="module")
def loaded(built):
    found = read_register(built)
    return found, learning.read_learning(built, found.register.table)


def test_the_sample_makes_realistic_items_that_validate(items, loaded, records):
    found, read = loaded
    assert read.present == learning.SHEETS
    assert (len(read.actions), len(read.remedies), len(read.ombudsman)) == (len(items[ACTIONS]), len(items[REMEDIES]), len(items[OMBUDSMAN]))
    assert read.errors == [], [str(p) for p in read.errors[:5]]
    assert len(items[ACTIONS]) >= 20 and len(items[REMEDIES]) >= 50 and len(items[OMBUDSMAN]) >= 5
    kinds = {r["Remedy"] for r in items[REMEDIES]}
    assert kinds == set(learning.REMEDY_KINDS)
    decisions = {c["Decision"] for c in items[OMBUDSMAN] if c.get("Decision")}
    assert "Fault causing injustice" in decisions and len(decisions) >= 2
    done = [a["Completed date"] for a in items[ACTIONS] if a["Completed date"]]
    assert done and max(done) <= END and any(a["Completed date"] is None for a in items[ACTIONS])
    referred = sum(1 for r in records if r.get("LGSCO referred") and r["Representation type"] in ("Complaint", "Pre-complaint", "Area initiated complaint", "LGO"))
    assert len(items[OMBUDSMAN]) == referred
    rags = {d.rag for d in learning.deadlines(read, Settings(), END)}
    assert {"Met", "Late", "Red"} <= rags  # the sample shows every state an officer must act on


def test_the_same_seed_gives_the_same_items(records):
    assert sample_learning.generate(records, seed=5, end=END) == sample_learning.generate(records, seed=5, end=END)
    assert sample_learning.generate(records, seed=6, end=END) != sample_learning.generate(records, seed=5, end=END)


def test_headers_dropdowns_and_formats(built):
    book = openpyxl.load_workbook(built, keep_vba=True)
    for name, columns in learning.COLUMNS.items():
        sheet = book[name]
        headers = [c.value for c in sheet[workbook_learning.HEADER_ROW]]
        rags = [h for h, _, _ in workbook_learning.RAG_COLUMNS[name]]
        assert headers == [c.header for c in columns] + rags
        validated = {}
        for dv in sheet.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                validated[rng.min_col] = (dv.type, dv.formula1)
        for j, col in enumerate(columns, start=1):
            if col.kind.value in ("category", "yesno", "date") or col.money or col.key == "reference":
                assert j in validated, f"{name}: {col.header} has no check"
        if name == ACTIONS:
            assert validated[5] == ("list", "list_service")  # the Lists sheet's own Services list
            assert validated[8][0] == "date"
        if name == REMEDIES:
            assert validated[4][0] == "decimal"
            assert sheet.cell(workbook_learning.FIRST_ROW, 4).number_format in (workbook_learning.MONEY_FORMAT, "General")
    assert any("Complaints[Reference]" in dv.formula1 for dv in book[ACTIONS].data_validations.dataValidation
               if any(r.min_col == 1 for r in dv.sqref.ranges))


def test_rag_columns_recalculated_by_libreoffice_match_the_core(built, loaded, tmp_path):
    """The grey RAG formulas, worked out by LibreOffice, say what learning.rag_for says (and so does the stored value)."""
    result = libreoffice(built, tmp_path, ALL_SHEETS_CSV, recalculate=True)
    assert result.returncode == 0, result.stderr
    _, read = loaded
    settings = Settings()
    checked = 0
    for name, items in ((ACTIONS, read.actions), (OMBUDSMAN, read.ombudsman)):
        with open(tmp_path / f"{built.stem}-{name}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        width = len(learning.COLUMNS[name])
        for item in items:
            shown = rows[item.row - 1][width:]
            for k, (_, due, done) in enumerate(workbook_learning.RAG_COLUMNS[name]):
                expected = learning.rag_for(item[due], item[done], END, settings)[0] if item[due] else ""
                assert shown[k] == expected, (name, item.row, k)
                checked += 1
    assert checked > 30
    stored = openpyxl.load_workbook(built, data_only=True)[ACTIONS]
    for item in read.actions:
        assert stored.cell(item.row, len(learning.ACTION_COLUMNS) + 1).value == learning.rag_for(item["due_date"], item["completed_date"], END, settings)[0]


def test_a_register_without_the_sheets_still_works(tmp_path, records):
    plain = sample.write_xlsx(records[:20], tmp_path / "plain.xlsx")
    found = read_register(plain)
    read = learning.read_learning(plain, found.register.table)
    assert read.present == () and read.problems == [] and len(found.register.table) == 20


def test_problems_in_the_sheets_are_found_when_read(tmp_path, records):
    items = {ACTIONS: [{"Reference": "NOT-A-CASE", "Due date": END, "Agreed date": dt.date(2026, 12, 2)}],
             REMEDIES: [{"Reference": records[0]["Reference"], "Remedy": "Financial remedy", "Amount": "lots"}]}
    path = workbook.build(tmp_path / "r.xlsm", records[:5], as_of=END, learning=items)
    read = learning.read_learning(path, read_register(path).register.table)
    assert [(p.sheet, p.row, p.column) for p in read.errors] == [
        (ACTIONS, 4, "Due date"), (ACTIONS, 4, "Reference"), (REMEDIES, 4, "Amount"),
    ]
    assert "lots" not in " ".join(str(p) for p in read.problems)


@pytest.mark.libreoffice
def test_refresh_stores_the_rag_libreoffice_works_out_on_the_new_date(built, tmp_path):
    """The RAG formulas depend on the As-of date: after refresh, a reader that never recalculates shows the new RAG."""
    import shutil

    from click.testing import CliRunner
    from python_calamine import CalamineWorkbook

    from xl_complaints.cli import main

    register = tmp_path / "R.xlsm"
    shutil.copy(built, register)
    later = dt.date(2027, 3, 1)  # three months on: open actions and Ombudsman deadlines change colour
    result = CliRunner().invoke(main, ["refresh", str(register), "--as-of", later.isoformat()])
    assert result.exit_code == 0, result.output
    out = tmp_path / "lo"
    run = libreoffice(register, out, ALL_SHEETS_CSV, recalculate=True)
    assert run.returncode == 0, run.stderr
    computed = {}
    for name in (ACTIONS, OMBUDSMAN):
        with open(out / f"{register.stem}-{name}.csv", encoding="utf-8", newline="") as handle:
            computed[name] = list(csv.reader(handle))
    book, before = CalamineWorkbook.from_path(str(register)), CalamineWorkbook.from_path(str(built))
    changed = 0
    for name in (ACTIONS, OMBUDSMAN):
        stored = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        old = before.get_sheet_by_name(name).to_python(skip_empty_area=False)
        width = len(learning.COLUMNS[name])
        head = workbook_learning.HEADER_ROW
        for r in range(head, len(computed[name])):
            for k in range(len(workbook_learning.RAG_COLUMNS[name])):
                want = computed[name][r][width + k] if width + k < len(computed[name][r]) else ""
                got = stored[r][width + k] if r < len(stored) and width + k < len(stored[r]) else ""
                assert (got or "") == want, (name, r + 1, k)
                changed += (old[r][width + k] if r < len(old) and width + k < len(old[r]) else "") != (got or "")
    assert changed > 0  # the new date moved some RAGs: the stored values were rewritten, not kept
