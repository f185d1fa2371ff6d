"""The Actions, Remedies and Ombudsman cases sheets in the built register, and the sample's rows in them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from xl_complaints.core import learning
from xl_complaints.files import learning_sheets

from xl_complaints.sample import complaints as sample, learning as sample_learning

from xl_complaints.excel import workbook, workbook_learning
from xl_complaints.reports import status_report
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
    return found, learning_sheets.read_learning(built, found.register.table)


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
    read = learning_sheets.read_learning(plain, found.register.table)
    assert read.present == () and read.problems == [] and len(found.register.table) == 20


def test_problems_in_the_sheets_are_found_when_read(tmp_path, records):
    items = {ACTIONS: [{"Reference": "NOT-A-CASE", "Due date": END, "Agreed date": dt.date(2026, 12, 2)}],
             REMEDIES: [{"Reference": records[0]["Reference"], "Remedy": "Financial remedy", "Amount": "lots"}]}
    path = workbook.build(tmp_path / "r.xlsm", records[:5], as_of=END, learning=items)
    read = learning_sheets.read_learning(path, read_register(path).register.table)
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


# --- the Dashboard: overdue actions and Ombudsman deadlines --------------------------------------


def dashboard_inputs(path: Path) -> tuple[list, list, dict]:
    """The Register's Reference and Service cells and the learning sheets, as the file holds them."""
    from test_workbook_stored_results import sheet_inputs

    references, block, _ = sheet_inputs(path)
    register = openpyxl.load_workbook(path)[workbook.REGISTER]
    headers = [c.value for c in register[workbook.HEADER_ROW]]
    rows = [[c.value for c in row] for row in register.iter_rows(min_row=workbook.FIRST_ROW, max_row=workbook.FIRST_ROW + len(references) - 1)]
    return references, block, {"services": workbook.column_cells(headers, rows, "service"), "sheets": learning_sheets.read_sheets(path)}


def expected_overdue(read: learning.Learning, as_of: dt.date) -> tuple[list, list]:
    """The core's Red deadlines, earliest first (then by row): what the Dashboard's two lists must show."""
    red = [d for d in learning.deadlines(read, Settings(), as_of) if d.rag == "Red"]
    actions = sorted((d.due, d.row, d.reference) for d in red if d.sheet == ACTIONS)
    cases = sorted((d.due, d.row, d.reference, "Response" if "response" in d.step else "Remedy") for d in red if d.sheet == OMBUDSMAN)
    return actions, cases


def test_the_dashboard_counts_and_lists_what_the_core_finds_overdue(built, loaded):
    found, read = loaded
    references, block, extra = dashboard_inputs(built)
    results = workbook.formula_results(references, block, END, learning_sheets=extra["sheets"], services=extra["services"])[workbook.DASHBOARD]
    places = workbook.dashboard_positions()
    actions, cases = expected_overdue(read, END)
    assert len(actions) >= 3 and len(cases) >= 1  # the sample has some of each overdue on END
    a, o = places["actions"], places["ombudsman"]
    assert results[f"D{a + 1}"] == len(actions) and results[f"D{o + 1}"] == len(cases)
    listed = [(results[f"E{a + 2 + k}"], results[f"A{a + 2 + k}"], results[f"B{a + 2 + k}"]) for k in range(1, workbook_learning.DASHBOARD_LIST_LENGTH + 1)]
    assert listed[: len(actions)] == actions[: workbook_learning.DASHBOARD_LIST_LENGTH]
    shown = [(results[f"F{o + 2 + k}"], results[f"A{o + 2 + k}"], results[f"B{o + 2 + k}"], results[f"E{o + 2 + k}"]) for k in range(1, len(cases) + 1)]
    assert shown == cases[: workbook_learning.DASHBOARD_LIST_LENGTH]
    table = found.register.table
    service = dict(zip(table["reference"], table["service"]))
    assert [results[f"D{o + 2 + k}"] for k in range(1, len(cases) + 1)] == [service[c[2]] for c in cases]
    assert results[workbook_learning.SUMMARY_CELL] == workbook_learning.summary_text(len(actions), len(cases))
    # no free text: the list's cells are references, stages, services, dates and row numbers only
    free = {str(v) for item in read.actions for k, v in item.values.items() if k in ("action", "owning_manager", "evidence") and v}
    assert not free & {str(v) for v in results.values()}


@pytest.mark.libreoffice
@pytest.mark.parametrize("recalculate", [True, None], ids=["recalculated", "stored"])
def test_the_dashboard_reads_the_same_recalculated_or_not(built, tmp_path, recalculate):
    """LibreOffice working the formulas out, and LibreOffice showing only what is stored, show the core's lists."""
    from test_workbook import libreoffice_sheets
    from test_workbook_stored_results import differences

    references, block, extra = dashboard_inputs(built)
    results = workbook.formula_results(references, block, END, learning_sheets=extra["sheets"], services=extra["services"])
    book = openpyxl.load_workbook(built)
    from openpyxl.styles.numbers import is_date_format

    dates = {workbook.DASHBOARD: {c.coordinate for row in book[workbook.DASHBOARD].iter_rows() for c in row if is_date_format(c.number_format)}}
    shown = libreoffice_sheets(built, tmp_path, recalculate=recalculate)
    found = differences({workbook.DASHBOARD: results[workbook.DASHBOARD]}, shown, dates)
    assert found == [], "\n".join(found[:10])
    places = workbook.dashboard_positions()
    assert int(shown[workbook.DASHBOARD][places["actions"]][3]) >= 3


@pytest.mark.libreoffice
def test_the_dashboard_lists_many_and_awkward_items_as_libreoffice_works_them_out(records, tmp_path):
    """More overdue actions than the list holds, an Ombudsman case with both deadlines overdue, a due date typed
    as words and a reference that is not on the Register: Python's stored results and LibreOffice agree."""
    from test_workbook import libreoffice_sheets
    from test_workbook_stored_results import differences

    refs = [r["Reference"] for r in records[:30]]
    late = [{"Reference": refs[i], "Stage": "Stage 2", "Owning service": "Child in Need", "Action": "Private words",
             "Due date": dt.date(2026, 10, 1) - dt.timedelta(days=3 * i)} for i in range(12)]
    late.append({"Reference": refs[0], "Due date": "next week"})  # not a date: left off, as AGGREGATE skips it
    late.append({"Reference": "NOT-ON-REGISTER", "Due date": dt.date(2026, 11, 2)})
    cases = [{"Reference": refs[1], "Ombudsman reference": "26-001-111", "Date received": dt.date(2026, 6, 1),
              "Response due": dt.date(2026, 7, 1), "Decision": "Fault causing injustice", "Decision date": dt.date(2026, 8, 3),
              "Remedy agreed": "Yes", "Comply by": dt.date(2026, 9, 3)},
             {"Reference": "NOT-ON-REGISTER", "Ombudsman reference": "26-001-112", "Date received": dt.date(2026, 6, 1),
              "Response due": dt.date(2026, 6, 29)}]
    path = workbook.build(tmp_path / "awkward.xlsm", records[:30], as_of=END, learning={ACTIONS: late, OMBUDSMAN: cases})
    references, block, extra = dashboard_inputs(path)
    results = workbook.formula_results(references, block, END, learning_sheets=extra["sheets"], services=extra["services"])
    board = results[workbook.DASHBOARD]
    places = workbook.dashboard_positions()
    a, o = places["actions"], places["ombudsman"]
    n = workbook_learning.DASHBOARD_LIST_LENGTH
    assert board[f"D{a + 1}"] == 13 and board[f"B{a + 3 + n}"] == f"... and {13 - n} more: filter the Actions sheet by its RAG"
    assert board[f"B{a + 3}"] == refs[11]  # the earliest due first
    assert board[f"D{o + 1}"] == 3
    assert [board[f"E{o + 2 + k}"] for k in (1, 2, 3)] == ["Response", "Response", "Remedy"]
    assert [board[f"B{o + 2 + k}"] for k in (1, 2, 3)] == ["NOT-ON-REGISTER", refs[1], refs[1]]
    assert board[f"D{o + 4}"] == next(r["Service"] for r in records if r["Reference"] == refs[1])
    assert board[f"D{o + 3}"] == ""  # the case whose reference is on no complaint: no service
    book = openpyxl.load_workbook(path)
    from openpyxl.styles.numbers import is_date_format

    dates = {workbook.DASHBOARD: {c.coordinate for row in book[workbook.DASHBOARD].iter_rows() for c in row if is_date_format(c.number_format)}}
    found = differences({workbook.DASHBOARD: board}, libreoffice_sheets(path, tmp_path / "lo"), dates)
    assert found == [], "\n".join(found[:10])


@pytest.mark.libreoffice
def test_refresh_stores_the_dashboard_lists_for_the_new_date(built, tmp_path):
    """Three months on, more is overdue: refresh stores the Dashboard's new lists, as LibreOffice works them out."""
    import shutil

    from click.testing import CliRunner
    from python_calamine import CalamineWorkbook

    from test_workbook import libreoffice_sheets
    from xl_complaints.cli import main

    register = tmp_path / "R.xlsm"
    shutil.copy(built, register)
    later = dt.date(2027, 3, 1)
    result = CliRunner().invoke(main, ["refresh", str(register), "--as-of", later.isoformat()])
    assert result.exit_code == 0, result.output
    places = workbook.dashboard_positions()
    first, last = places["actions"], places["ombudsman"] + 2 + workbook_learning.DASHBOARD_LIST_LENGTH
    stored = CalamineWorkbook.from_path(str(register)).get_sheet_by_name(workbook.DASHBOARD).to_python(skip_empty_area=False)
    before = CalamineWorkbook.from_path(str(built)).get_sheet_by_name(workbook.DASHBOARD).to_python(skip_empty_area=False)
    computed = libreoffice_sheets(register, tmp_path / "lo")[workbook.DASHBOARD]

    def text(v):
        if isinstance(v, (dt.date, dt.datetime)):
            return f"{v:%m/%d/%Y}"
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    rows = list(range(first, last + 1)) + [2]
    for r in rows:
        for j in range(6):
            want = computed[r][j] if j < len(computed[r]) else ""
            assert text(stored[r][j]) == want, (r + 1, j)
    assert stored[first][3] > before[first][3]  # more actions overdue on the later date


# --- the status report: actions and Ombudsman deadlines not yet met ---------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_status_reports_the_open_deadlines_the_core_finds(built, loaded, tmp_path, fmt):
    from click.testing import CliRunner
    from python_calamine import CalamineWorkbook

    from xl_complaints.cli import main

    out = tmp_path / f"status.{fmt}"
    result = CliRunner().invoke(main, ["status", str(built), "--as-of", END.isoformat(), "--out", str(out)])
    assert result.exit_code == 0, result.output
    _, read = loaded
    open_ = [d for d in learning.deadlines(read, Settings(), END) if d.done is None]
    red_actions = sum(1 for d in open_ if d.rag == "Red" and d.sheet == ACTIONS)
    red_cases = sum(1 for d in open_ if d.rag == "Red" and d.sheet == OMBUDSMAN)
    assert red_actions >= 3 and red_cases >= 1
    assert (f"Overdue: {red_actions} learning actions and {red_cases} Ombudsman deadline{'s' if red_cases != 1 else ''}; "
            f"{len(open_) - red_actions - red_cases} more not yet due") in result.output
    if fmt == "xlsx":
        rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(status_report.STATUS_SHEET).to_python()
    else:
        listed = out.with_name(f"{out.stem} {status_report.STATUS_SHEET}.csv")
        assert str(listed.name) in result.output
        with open(listed, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    assert tuple(rows[0]) == learning.DEADLINE_HEADERS
    body = rows[1:]
    assert len(body) == len(open_)
    rag = learning.DEADLINE_HEADERS.index("RAG")
    assert [r[rag] for r in body[: red_actions + red_cases]] == ["Red"] * (red_actions + red_cases)  # overdue first
    wanted = {(d.sheet, d.row, d.reference, d.step) for d in open_}
    assert {(r[0], int(float(r[1])), r[2], r[3]) for r in body} == wanted
    free = {str(v) for item in read.actions for k, v in item.values.items() if k in ("action", "owning_manager", "evidence") and v}
    assert not free & {str(v) for r in body for v in r}


def test_status_says_when_the_learning_sheets_have_problems(tmp_path, records):
    from click.testing import CliRunner

    from xl_complaints.cli import main

    items = {ACTIONS: [{"Reference": "NOT-A-CASE", "Due date": dt.date(2026, 11, 2)}]}
    path = workbook.build(tmp_path / "r.xlsm", records[:5], as_of=END, learning=items)
    result = CliRunner().invoke(main, ["status", str(path), "--as-of", END.isoformat(), "--out", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 0, result.output
    assert "Overdue: 1 learning action and 0 Ombudsman deadlines; 0 more not yet due" in result.output
    assert "sheets have 1 problem: 'xl-complaints check' lists them" in result.output


# --- service requests ------------------------------------------------------------------------------


def test_service_requests_are_realistic_and_counted_in_the_code_report(built, loaded, records, items):
    """The sample's service requests validate; the Code report's table of them is recomputed here from the sheet's cells."""
    from xl_complaints.core.learning import SERVICE_REQUESTS
    from xl_complaints.reports import code_report

    found, read = loaded
    asked = items[SERVICE_REQUESTS]
    assert len(read.service_requests) == len(asked) >= 100 and read.errors == []
    assert {r["Request type"] for r in asked} == set(schema_types())
    led = [r for r in asked if r["Became a complaint"]]
    received = {r["Reference"]: r["Date received"] for r in records}
    assert led and all(r["Date received"] <= received[r["Became a complaint"]] for r in led)
    assert any(r["Date resolved"] is None for r in asked) and all(r["Date resolved"] is None or r["Date resolved"] <= END for r in asked)
    sheet = openpyxl.load_workbook(built)[SERVICE_REQUESTS]
    headers = [c.value for c in sheet[workbook_learning.HEADER_ROW]]
    cells = [dict(zip(headers, [c.value for c in row])) for row in sheet.iter_rows(min_row=workbook_learning.FIRST_ROW) if row[0].value]
    first, last = dt.datetime(2026, 4, 1), dt.datetime(2027, 3, 31)
    in_year = [c for c in cells if first <= c["Date received"] <= last]
    report = code_report.build(found.register.table, read, found.settings, 2026, END)
    got = {r.label: r.number for r in report.stats.table("c6s").rows}
    for kind in schema_types():
        assert got[kind] == sum(1 for c in in_year if c["Request type"] == kind)
    assert got["Service requests"] == len(in_year) > 10
    assert got["Answered by the year end"] == sum(1 for c in in_year if c["Date resolved"])
    assert got["Led to a complaint"] == sum(1 for c in in_year if c["Became a complaint"])
    mid = dt.date(2026, 9, 1)  # a report made mid-year counts what was answered by that day
    early = code_report.build(found.register.table, read, found.settings, 2026, mid)
    answered = {r.label: r.number for r in early.stats.table("c6s").rows}["Answered by the year end"]
    assert answered == sum(1 for c in in_year if c["Date resolved"] and c["Date resolved"].date() <= mid) < got["Answered by the year end"]


def schema_types():
    from xl_complaints.core import schema

    return schema.SERVICE_REQUEST_TYPES


def test_check_reports_the_learning_sheets_problems_by_sheet_row_and_column(tmp_path, records):
    """Bad input on Actions, Remedies, Ombudsman cases and Service requests: named where it is, never repeated."""
    from click.testing import CliRunner

    from xl_complaints.cli import main
    from xl_complaints.core.learning import SERVICE_REQUESTS

    ref = records[0]["Reference"]
    items = {
        ACTIONS: [{"Reference": "NOT-A-CASE", "Due date": END, "Agreed date": dt.date(2026, 12, 2)}],
        REMEDIES: [{"Reference": ref, "Remedy": "Financial remedy", "Amount": "two hundred pounds"}],
        OMBUDSMAN: [{"Reference": ref, "Ombudsman reference": "26-001-001", "Date received": dt.date(2026, 6, 1),
                     "Response due": dt.date(2026, 5, 1)}],
        SERVICE_REQUESTS: [{"Request reference": "SR-1", "Date received": dt.date(2026, 6, 1), "Request type": "Other request",
                            "Date resolved": dt.date(2026, 5, 1)}],
    }
    path = workbook.build(tmp_path / "r.xlsm", records[:5], as_of=END, learning=items)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output
    for line in ("error: Actions row 4, column 'Due date'", "error: Actions row 4, column 'Reference'", "error: Remedies row 4, column 'Amount'",
                 "error: Ombudsman cases row 4, column 'Response due'", "error: Service requests row 4, column 'Date resolved'"):
        assert line in result.output, result.output
    assert "two hundred" not in result.output
