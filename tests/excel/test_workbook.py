"""The register workbook as built: every sheet, header, dropdown, format, name, macro and button.

Checked with three independent readers: openpyxl (structure), oletools' olevba
(the VBA project) and LibreOffice, which evaluates the register's native
formulas itself. The helpers at the top (EDGE_RECORDS, sample_records,
libreoffice) are shared with the other register tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.cell import range_boundaries
from oletools.olevba import VBA_Parser
from python_calamine import CalamineWorkbook

import openpyxl_edit
from xl_complaints.core import schema, status
from xl_complaints.excel import workbook
from xl_complaints.files import writeback
from xl_complaints.core.register import validate
from xl_complaints.core.schema import Kind
from xl_complaints.core.settings import Settings, settings_from_rows

AS_OF = dt.date(2024, 6, 14)  # a Friday
D = dt.date

# Rows an officer might really type, including the awkward ones.
EDGE_RECORDS = [
    {"Reference": "CSC-1", "Date received": D(2024, 5, 20), "Representation type": "Complaint", "Procedure": "Statutory",
     "Received from": "Parent", "Parental responsibility": "Yes", "Complainant first name": "Siân", "Team": "@Central"},
    {"Reference": "=CSC-2", "Date received": D(2024, 6, 3), "Representation type": "Complaint", "Procedure": "Corporate",
     "Received from": "Other", "Address line 2": "-", "Complainant last name": "+44 7700 900000", "Email": "=HYPERLINK(\"x\")"},
    {"Reference": "CSC-3", "Date received": "31/02/2024", "Representation type": "Complaint", "Procedure": "Statutory"},
    {"Reference": "CSC-4", "Date received": D(2024, 4, 2), "Representation type": "Complaintt", "Procedure": "Statutory"},
    {"Reference": "CSC-DUP", "Date received": D(2024, 4, 8), "Representation type": "Complaint", "Procedure": "Statutory",
     "S1 acknowledged": D(2024, 4, 9)},
    {"Reference": "CSC-DUP", "Date received": D(2024, 5, 1), "Representation type": "Complaint", "Procedure": "Statutory"},
    {"Reference": "CSC-7", "Date received": D(2024, 3, 1), "Representation type": "Complaint", "Procedure": "Statutory",
     "S1 acknowledged": D(2024, 2, 1)},
    {},  # a blank row inside the table
    {"Reference": 12345, "Date received": D(2024, 5, 28), "Representation type": "Complaint", "Procedure": "Statutory",
     "S1 acknowledged": D(2024, 5, 29), "S1 extended": "Yes"},
    {"Reference": "CSC-10", "Date received": D(2024, 2, 5), "Representation type": "Complaint", "Procedure": "Statutory",
     "S1 acknowledged": D(2024, 2, 6), "Withdrawn date": D(2024, 2, 20)},
    {"Reference": "CSC-11", "Date received": D(2024, 4, 15), "Representation type": "Complaint", "Procedure": "Statutory",
     "S1 acknowledged": D(2024, 4, 16), "On hold from": D(2024, 4, 22), "Hold reason": "Awaiting consent"},
    {"Reference": "CSC-12", "Date received": D(2024, 1, 8), "Representation type": "Complaint", "Procedure": "Statutory",
     "S1 acknowledged": D(2024, 1, 9), "S1 response sent": D(2024, 1, 30), "S1 outcome": "Not upheld",
     "S2 requested": D(2024, 2, 12), "S2 accepted": D(2024, 2, 14)},
]


def sample_records(rows: int = 150, seed: int = 7) -> list[dict]:
    """The sample register (another module's) when installed, plus the awkward rows above."""
    try:
        from xl_complaints.sample.complaints import generate
    except ImportError:
        return list(EDGE_RECORDS)
    return generate(rows, years=2, seed=seed, end=AS_OF) + list(EDGE_RECORDS)


def expected_status(records: list[dict], as_of: dt.date = AS_OF, settings: Settings | None = None):
    """What the status engine says for these records, indexed by the Register's sheet row."""
    headers = [c.header for c in schema.INPUT_COLUMNS]
    rows = [workbook.record_row(r) for r in records]
    validated = validate(headers, rows, sheet=workbook.REGISTER, first_row=workbook.FIRST_ROW)
    assessed = status.assess(validated.table, settings or Settings(), as_of, validated.row_problems())
    return assessed.assign(reference=validated.table["reference"])


def as_cell(value):
    """A status value as a spreadsheet cell shows it ('' for nothing, dates as dates)."""
    if value is None or (isinstance(value, str) and value == "") or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# --- LibreOffice, the independent reader ------------------------------------------------------

RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""
RECALC_ALWAYS, RECALC_NEVER = 0, 1  # LibreOffice's "Recalculation on file load" for Excel files
ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def need_libreoffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required on CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    return soffice


def libreoffice(src: Path, outdir: Path, target: str, recalculate: bool | None = False) -> subprocess.CompletedProcess:
    """Convert with LibreOffice in a private profile (runs in parallel with others).

    recalculate: True recalculates every formula on load; None never does (only
    the stored results are shown); False leaves LibreOffice's default.
    """
    soffice = need_libreoffice()
    profile = outdir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    if recalculate is not False:
        mode = RECALC_ALWAYS if recalculate else RECALC_NEVER
        (profile / "user" / "registrymodifications.xcu").write_text(RECALC_PROFILE.format(mode=mode))
    return subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target, "--outdir", str(outdir), str(src)],
        capture_output=True, text=True, timeout=180,
    )


def libreoffice_sheets(src: Path, outdir: Path, recalculate: bool | None = True) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice shows it (by default with every formula recalculated), as CSV text rows."""
    result = libreoffice(src, outdir, ALL_SHEETS_CSV, recalculate=recalculate)
    assert result.returncode == 0, result.stderr
    sheets = {}
    for name in workbook.SHEETS:
        path = outdir / f"{src.stem}-{name}.csv"
        assert path.exists(), f"LibreOffice wrote no {name} sheet: {result.stdout} {result.stderr}"
        with open(path, encoding="utf-8", newline="") as handle:
            sheets[name] = list(csv.reader(handle))
    return sheets


def shown(value) -> str:
    """A value as LibreOffice's CSV export shows it (US date order: the profile's locale)."""
    value = as_cell(value)
    if isinstance(value, dt.date):
        return f"{value:%m/%d/%Y}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)


def column_of(header: str) -> int:
    """The Register's column (1-based) with this header, where init puts it."""
    return [c.header for c in workbook.REGISTER_COLUMNS].index(header) + 1


def grey_columns(row: list) -> list:
    """A Register row's calculated columns, in schema order, wherever the layout puts them."""
    return [row[column_of(c.header) - 1] if column_of(c.header) - 1 < len(row) else "" for c in schema.CALCULATED_COLUMNS]


# --- the built workbook --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records():
    return sample_records()


@pytest.fixture(scope="module")
def built(tmp_path_factory, records) -> Path:
    path = tmp_path_factory.mktemp("register") / "Complaints_Register.xlsm"
    settings = Settings(closure_days=(D(2024, 12, 27),))
    return workbook.build(path, records, settings=settings, as_of=AS_OF)


@pytest.fixture(scope="module")
def book(built):
    return openpyxl.load_workbook(built, keep_vba=True)


@pytest.fixture(scope="module")
def vba(built) -> dict[str, str]:
    parser = VBA_Parser(str(built))
    try:
        return {name: code for (_, _, name, code) in parser.extract_macros()}
    finally:
        parser.close()


def formulas(book) -> list[tuple[str, str, str]]:
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append((ws.title, cell.coordinate, str(getattr(cell.value, "text", cell.value))))
    return found


def test_sheets_are_all_there_in_order(book):
    assert book.sheetnames == list(workbook.SHEETS) + ["Actions", "Remedies", "Ombudsman cases", "Service requests", "Self-assessment"]  # workbook_learning
    assert book[workbook.CALCULATED].sheet_state == "hidden"
    assert all(book[name].sheet_state == "visible" for name in workbook.SHEETS if name != workbook.CALCULATED)
    assert book.active.title == workbook.REGISTER


def test_register_header_table_filters_and_frozen_header(book, records):
    ws = book[workbook.REGISTER]
    headers = [c.value for c in ws[workbook.HEADER_ROW]][: len(schema.COLUMNS)]
    assert headers == [c.header for c in workbook.REGISTER_COLUMNS]
    assert sorted(headers) == sorted(c.header for c in schema.COLUMNS)
    table = ws.tables[workbook.TABLE]
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    assert (min_col, min_row, max_col) == (1, workbook.HEADER_ROW, len(schema.COLUMNS))
    assert max_row == workbook.HEADER_ROW + len(records)
    assert table.autoFilter is not None
    # Frozen: the header rows, and the first-screen grey columns with Reference and Date received.
    assert ws.freeze_panes == f"{workbook._letter(workbook.FROZEN_COLUMNS)}{workbook.FIRST_ROW}"
    assert headers[workbook.FROZEN_COLUMNS - 2:workbook.FROZEN_COLUMNS] == ["Reference", "Date received"]
    by_name = {c.name: c for c in table.tableColumns}
    for column in schema.COLUMNS:
        formula = by_name[column.header].calculatedColumnFormula
        if column.calculated:
            assert formula is not None and formula.attr_text == workbook.register_formula(column.key)[1:]
        else:
            assert formula is None


def test_input_and_calculated_columns_look_different(book):
    ws = book[workbook.REGISTER]
    for i, column in enumerate(workbook.REGISTER_COLUMNS, start=1):
        header = ws.cell(workbook.HEADER_ROW, i)
        fill = header.fill.fgColor.rgb[-6:]
        if column.calculated:
            assert fill == workbook.CALC_FILL[1:], column.header
            assert ws.cell(workbook.FIRST_ROW, i).fill.fgColor.rgb[-6:] == workbook.CALC_BODY[1:]
        else:
            assert fill == (workbook.PERSONAL_FILL if column.personal else workbook.INPUT_FILL)[1:], column.header
            assert ws.cell(workbook.FIRST_ROW, i).fill.fgColor.rgb in (None, "00000000")


def test_dates_show_as_day_month_year(book):
    ws = book[workbook.REGISTER]
    for i, column in enumerate(workbook.REGISTER_COLUMNS, start=1):
        if column.kind is Kind.DATE:
            assert ws.cell(workbook.FIRST_ROW, i).number_format == "dd/mm/yyyy", column.header
    assert ws.cell(*[x + 1 for x in workbook.AS_OF_CELL]).number_format == "dd/mm/yyyy"
    assert ws.cell(*[x + 1 for x in workbook.AS_OF_CELL]).value.date() == AS_OF


def _validations(ws):
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            found[rng.coord] = dv
    return found


def _named_values(book, name: str) -> list:
    (sheet, ref), = book.defined_names[name].destinations
    return [row[0].value for row in book[sheet][ref.replace("$", "")]]


def test_every_category_and_yes_no_column_has_its_dropdown(book):
    ws = book[workbook.REGISTER]
    found = _validations(ws)
    for i, column in enumerate(workbook.REGISTER_COLUMNS, start=1):
        letter = workbook._letter(i - 1)
        coord = f"{letter}{workbook.FIRST_ROW}:{letter}{workbook.CALC_LAST_ROW}"
        if column.calculated:
            assert coord not in found, column.header  # nobody types in a grey column
        elif column.kind in (Kind.CATEGORY, Kind.YESNO):
            dv = found[coord]
            assert dv.type == "list" and dv.formula1 == workbook.list_name(column), column.header
            assert dv.showErrorMessage
            assert _named_values(book, workbook.list_name(column)) == list(column.values), column.header
        elif column.kind is Kind.DATE:
            assert found[coord].type == "date", column.header
        else:
            assert coord not in found, column.header
    letter_cell = f"{workbook._letter(workbook.LETTER_CHOICE_CELL[1])}{workbook.LETTER_CHOICE_CELL[0] + 1}"
    assert found[letter_cell].formula1 == "list_letters"
    assert _named_values(book, "list_letters")[0] == workbook.NEXT_LETTER


def test_rag_is_coloured_by_conditional_formatting(book):
    ws = book[workbook.REGISTER]
    rag = workbook._letter(workbook.REGISTER_COLUMNS.index(schema.column("rag")))
    target = f"{rag}{workbook.FIRST_ROW}:{rag}{workbook.CALC_LAST_ROW}"
    rules = {}
    for cf in ws.conditional_formatting:
        if str(cf.sqref) == target:
            for rule in cf.rules:
                rules[rule.formula[0].strip('"')] = rule
    assert set(rules) == set(schema.RAG_VALUES) == set(workbook.RAG_STYLES)
    for value, rule in rules.items():
        assert rule.type == "cellIs" and rule.operator == "equal"
        assert rule.dxf.fill.bgColor.rgb[-6:] == workbook.RAG_STYLES[value][0][1:]


def test_headers_carry_the_schema_notes_as_comments(book):
    ws = book[workbook.REGISTER]
    for i, column in enumerate(workbook.REGISTER_COLUMNS, start=1):
        comment = ws.cell(workbook.HEADER_ROW, i).comment
        if column.note:
            assert comment is not None and comment.text.startswith(column.note), column.header
        if column.calculated:
            assert comment.text == workbook.CALCULATED_NOTES[column.key]
        if column.personal:
            assert "Personal data" in comment.text


def test_defined_names_point_where_the_formulas_expect(book):
    names = book.defined_names
    assert names[workbook.AS_OF].attr_text == "Register!$B$2"
    assert names[workbook.LETTER_CHOICE].attr_text == "Register!$E$2"
    assert names["council_settings"].attr_text == f"Settings!{workbook.SETTINGS_RANGE}"
    assert names["register_inputs"].attr_text == f"Complaints[[#All],[{schema.INPUT_COLUMNS[0].header}]:[{schema.INPUT_COLUMNS[-1].header}]]"
    for col, name in enumerate(workbook.CALC_NAMES):
        letter = workbook._letter(col)
        assert names[name].attr_text == f"Calculated!${letter}${workbook.FIRST_ROW}:${letter}${workbook.CALC_LAST_ROW}"
    for column in schema.INPUT_COLUMNS:
        if column.kind in (Kind.CATEGORY, Kind.YESNO):
            assert workbook.list_name(column) in names
    # every name a formula uses exists
    used = set()
    for _, _, text in formulas(book):
        used |= set(re.findall(r"\b(calc_\w+|list_\w+|as_of|council_settings|register_inputs)\b", text))
    assert used and used <= set(names)


def test_no_formula_is_volatile_or_reads_the_clock(book):
    texts = [text.upper() for _, _, text in formulas(book)]
    assert texts
    for word in ("TODAY(", "NOW(", "OFFSET(", "INDIRECT(", "RAND("):
        assert not any(word in t for t in texts), word


def test_settings_sheet_reads_back_as_the_settings_it_was_built_from(book):
    rows = [[c.value for c in row] for row in book[workbook.SETTINGS].iter_rows(max_col=2)]
    settings, problems = settings_from_rows(rows)
    assert problems == []
    assert settings == Settings(closure_days=(D(2024, 12, 27),))


def test_holidays_sheet_lists_the_coming_years_with_closures(book):
    ws = book[workbook.HOLIDAYS]
    rows = [(r[0].date(), r[1], r[2]) for r in ws.iter_rows(min_row=2, max_col=3, values_only=True) if r[0]]
    assert rows == workbook.holiday_rows(Settings(closure_days=(D(2024, 12, 27),)), AS_OF)
    days = {day: name for day, _, name in rows}
    assert days[D(2024, 12, 25)] == "Christmas Day"
    assert days[D(2024, 12, 27)] == "Council closure day"
    assert min(days).year == AS_OF.year - 1 and max(days).year == AS_OF.year + 2


def test_correspondence_and_dashboard(book):
    assert [c.value for c in book[workbook.CORRESPONDENCE][1]][:4] == ["Reference", "Date", "Letter type", "File"]
    dashboard = [text for sheet, _, text in formulas(book) if sheet == workbook.DASHBOARD]
    assert any("COUNTIFS(Complaints[RAG]" in t and "Complaints[Stage]" in t for t in dashboard)
    assert any('Complaints[RAG]="Red"' in t for t in dashboard)  # the overdue list
    assert any("Complaints[Due date]<=as_of+7" in t for t in dashboard)  # due this week


def test_xlwings_conf_lists_every_key_the_vba_reads(book, vba):
    ws = book[workbook.CONFIG]
    keys, values = [], {}
    for row in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if row[0] is None:
            break  # xlwings stops at the first blank key
        keys.append(row[0].upper())
        values[row[0].upper()] = row[1] or ""
    read_by_vba = set(re.findall(r'GetConfig\("([^"]+)"', vba["xlwings.bas"]))
    assert read_by_vba  # the parse found them
    assert read_by_vba <= set(keys)
    assert len(keys) == len(set(keys))
    assert all(ws.cell(i, 1).value for i in range(1, len(keys) + 1))
    assert values["UDF MODULES"] == "xl_complaints.udfs"
    for key in ("DEBUG UDFS", "USE UDF SERVER", "SHOW CONSOLE", "SHOW_ERROR_POPUPS", "ADD_WORKBOOK_TO_PYTHONPATH"):
        assert values[key] in ("True", "False"), key  # read as booleans: an empty value would break the VBA
    assert values["INTERPRETER_WIN"].lower().endswith("pythonw.exe")


def test_vba_project_is_the_installed_xlwings_one(built, vba):
    with zipfile.ZipFile(workbook.xlwings_template()) as template:
        assert writeback.vba_project(built) == template.read("xl/vbaProject.bin")
    assert set(vba) == {"ThisWorkbook.cls", "Sheet1.cls", "Sheet2.cls", "Module1.bas", "xlwings.bas", "Dictionary.cls"}
    version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', vba["xlwings.bas"]).group(1)
    assert version == workbook.installed_xlwings_version()
    assert f'"xlwings64-{version}.dll"' in vba["xlwings.bas"]
    with zipfile.ZipFile(built) as z:
        assert 'codeName="ThisWorkbook"' in z.read("xl/workbook.xml").decode()
        parts = writeback.sheet_parts(z)
        for sheet, code_name in ((workbook.REGISTER, "Sheet1"), (workbook.DASHBOARD, "Sheet2")):
            assert f'codeName="{code_name}"' in z.read(parts[sheet]).decode()
        content_types = z.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in content_types


def xw_subs(source: Path) -> set[str]:
    """Functions in a module decorated @xw.sub and taking no arguments (what a button can call)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                deco = deco.func if isinstance(deco, ast.Call) else deco
                if isinstance(deco, ast.Attribute) and deco.attr == "sub" and getattr(deco.value, "id", "") == "xw":
                    if not (node.args.args or node.args.vararg or node.args.kwonlyargs):
                        found.add(node.name)
    return found


def vba_procedures(code: str) -> set[str]:
    return set(re.findall(r"^\s*(?:Public\s+|Private\s+)?(?:Sub|Function)\s+(\w+)\s*\(", code, re.M | re.I))


def test_every_button_calls_a_macro_that_exists_or_that_enable_live_formulas_creates(built, vba):
    from xl_complaints.excel import udfs

    found = writeback.buttons(built)
    assert sorted(found) == sorted((workbook.REGISTER, b.caption, b.macro) for b in workbook.BUTTONS)
    in_project = set().union(*(vba_procedures(code) for code in vba.values()))
    subs = xw_subs(Path(udfs.__file__))
    for button in workbook.BUTTONS:
        if button.source == "vba":
            assert button.macro in in_project, button
        else:
            assert button.macro in subs, button  # an @xw.sub without arguments: the import makes it a macro
            assert button.macro not in in_project  # (test_udfs runs xlwings' own VBA generator on it)
    # The import itself: ImportPythonUDFs exists and reads the module named on xlwings.conf.
    assert "ImportPythonUDFs" in in_project and 'GetConfig("UDF MODULES")' in vba["xlwings.bas"]


def test_text_that_looks_like_a_formula_is_written_as_text(built, book):
    ws = book[workbook.REGISTER]
    refs = {ws.cell(r, column_of("Reference")).value: r for r in range(workbook.FIRST_ROW, ws.max_row + 1)}
    row = refs["=CSC-2"]
    for header, value in (("Reference", "=CSC-2"), ("Address line 2", "-"), ("Complainant last name", "+44 7700 900000"), ("Email", '=HYPERLINK("x")')):
        cell = ws.cell(row, column_of(header))
        assert cell.data_type == "s" and cell.value == value, header
    team = ws.cell(refs["CSC-1"], column_of("Team"))
    assert team.data_type == "s" and team.value == "@Central"


def test_stored_values_of_the_calculated_columns_are_the_status_engines(built, records):
    """What any reader of the file sees before Excel recalculates: the status engine's answer."""
    expected = expected_status(records, settings=Settings(closure_days=(D(2024, 12, 27),)))
    book = CalamineWorkbook.from_path(str(built))
    rows = book.get_sheet_by_name(workbook.REGISTER).to_python(skip_empty_area=False)
    calc_rows = book.get_sheet_by_name(workbook.CALCULATED).to_python(skip_empty_area=False)
    checked = 0
    for offset in range(len(records)):
        sheet_row = workbook.FIRST_ROW + offset
        shown_values = grey_columns(rows[sheet_row - 1])
        block = calc_rows[sheet_row - 1][1:1 + len(schema.CALCULATED_KEYS)]
        if sheet_row not in expected.index:
            assert all(v == "" for v in shown_values) and all(v == "" for v in block)
            continue
        for key, value, in_block in zip(schema.CALCULATED_KEYS, shown_values, block):
            want = as_cell(expected.at[sheet_row, key])
            assert as_cell(value) == want == as_cell(in_block), (sheet_row, key)
        checked += 1
    assert checked == len(expected) > 10
    assert set(expected["rag"]) >= {"Check", "Withdrawn", "On hold"}


def test_build_is_reproducible(tmp_path, records):
    a = workbook.build(tmp_path / "a.xlsm", records[:40], as_of=AS_OF)
    b = workbook.build(tmp_path / "b.xlsm", records[:40], as_of=AS_OF)
    assert a.read_bytes() == b.read_bytes()
    c = workbook.build(tmp_path / "c.xlsm", records[:40], as_of=AS_OF + dt.timedelta(days=1))
    assert c.read_bytes() != a.read_bytes()


def test_an_empty_register_builds_with_one_blank_row(tmp_path):
    path = workbook.build(tmp_path / "empty.xlsm", as_of=AS_OF)
    ws = openpyxl.load_workbook(path, keep_vba=True)[workbook.REGISTER]
    assert ws.tables[workbook.TABLE].ref == f"A{workbook.HEADER_ROW}:{workbook._letter(len(schema.COLUMNS) - 1)}{workbook.FIRST_ROW}"
    assert ws.cell(workbook.FIRST_ROW, column_of("Reference")).value is None


def test_calculated_block_keeps_every_row_in_place(records):
    headers = [c.header for c in schema.INPUT_COLUMNS]
    rows = [workbook.record_row(r) for r in records]
    block = workbook.calculated_block(headers, rows, Settings(), AS_OF)
    assert len(block) == len(rows)
    assert [b[0] for b in block] == ["" if r[0] is None else r[0] for r in rows]
    assert all(len(b) == 1 + len(schema.CALCULATED_KEYS) for b in block)


# --- LibreOffice -------------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_opens_and_converts_the_register(built, tmp_path):
    result = libreoffice(built, tmp_path, "pdf")
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "Complaints_Register.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    assert pdf.read_bytes()[:5] == b"%PDF-"


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_grey_columns_to_the_status_engines_values(built, records, tmp_path):
    """What this proves, plainly: LibreOffice, evaluating the Register's INDEX/MATCH formulas and the
    Dashboard's COUNTIFS/SUMPRODUCT/AGGREGATE formulas itself, gives each row its own row of the block
    and the Dashboard the right counts and lists. It does not check the status engine (the block holds
    Python's values; test_status does that). The look-up by Reference when a row's position and its
    block row disagree (a sort, a stale block) is computed by LibreOffice in
    test_workbook_stored_results.test_a_stale_reordered_block_is_looked_up_by_reference_as_excel_does."""
    sheets = libreoffice_sheets(built, tmp_path)
    expected = expected_status(records, settings=Settings(closure_days=(D(2024, 12, 27),)))
    register = sheets[workbook.REGISTER]
    for sheet_row in expected.index:
        got = grey_columns(register[sheet_row - 1])
        want = [shown(expected.at[sheet_row, key]) for key in schema.CALCULATED_KEYS]
        assert got == want, sheet_row
    notice = register[workbook.LETTER_CHOICE_CELL[0]][workbook.LETTER_CHOICE_CELL[1] + 1]
    assert notice == workbook.HINT
    dashboard = sheets[workbook.DASHBOARD]
    counts = {row[0]: row for row in dashboard[5:5 + len(workbook.DASHBOARD_RAGS)]}
    open_rows = expected[expected["rag"].isin(workbook.DASHBOARD_RAGS)]
    for rag in workbook.DASHBOARD_RAGS:
        total = int(counts[rag][len(workbook.DASHBOARD_STAGES) + 2])
        assert total == int((open_rows["rag"] == rag).sum()), rag
        stage_1 = int(counts[rag][1])
        assert stage_1 == int(((open_rows["rag"] == rag) & (open_rows["stage"] == "Stage 1")).sum()), rag
    due_title = next(i for i, row in enumerate(dashboard) if row[0].startswith("Due in the next 7 days"))
    due = expected[expected["rag"].isin(["Green", "Amber"]) & (expected["due_date"] <= pd.Timestamp(AS_OF + dt.timedelta(days=7)))]
    assert int(dashboard[due_title][3]) == len(due) > 0
    listed_due = [row[1] for row in dashboard[due_title + 2:due_title + 2 + workbook.LIST_LENGTH] if row[1]]
    assert listed_due == [str(r) for r in due.sort_values(["due_date"], kind="stable")["reference"]][: workbook.LIST_LENGTH]
    overdue_title = next(i for i, row in enumerate(dashboard) if row[0].startswith("Overdue"))
    listed = [row[1] for row in dashboard[overdue_title + 2:overdue_title + 2 + workbook.LIST_LENGTH] if row[1]]
    red = expected[expected["rag"] == "Red"]
    assert int(dashboard[overdue_title][3]) == len(red) > 0
    assert listed == [str(r) for r in red.sort_values(["due_date"], kind="stable")["reference"]][: workbook.LIST_LENGTH]


@pytest.mark.libreoffice
def test_when_python_cannot_answer_the_register_says_why(tmp_path):
    """Excel fills the whole live block with the one message when Python cannot start; the notice line shows it."""
    path = workbook.build(tmp_path / "R.xlsm", EDGE_RECORDS, as_of=AS_OF)
    text = "File not found: xlwings64-0.37.8.dll"

    def fill(wb):
        calc = wb[workbook.CALCULATED]
        for row in calc.iter_rows(min_row=workbook.FIRST_ROW, max_row=workbook.FIRST_ROW + 30, max_col=len(workbook.CALC_HEADERS)):
            for cell in row:
                cell.value = text

    openpyxl_edit.edit(path, fill)
    register = libreoffice_sheets(path, tmp_path / "lo")[workbook.REGISTER]
    notice = register[workbook.LETTER_CHOICE_CELL[0]][workbook.LETTER_CHOICE_CELL[1] + 1]
    assert notice == f"The grey columns could not be worked out: {text}"
    assert all(v == "" for v in grey_columns(register[workbook.FIRST_ROW - 1]))
