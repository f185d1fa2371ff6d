"""Every worksheet function and button macro, called the way Excel calls them: through xlwings' own dispatch.

tests/xlwings_dispatch.py runs xlwings' Windows code (com_server.XLPython.CallUDF,
udfs.call_udf, the conversion pipeline, _xlwindows' value cleaning) with only
pywin32 stood in for, so what reaches our functions here is what reaches them in
Excel: ranges as COM Range objects whose values pywin32 hands over (tuples of
rows, dates as UTC datetimes, numbers as floats, empty cells None, error cells
ints), omitted optional arguments as VBA's missing marker, and the calling cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xl_complaints.core import schema, status

from xl_complaints.excel import udfs, workbook
from xl_complaints.cli import main
from xl_complaints.core.dates import short_date
from xl_complaints.core.register import validate
from xl_complaints.reports.status_report import status_csv
from xl_complaints.core.settings import Settings, settings_to_rows

from test_workbook import AS_OF, EDGE_RECORDS, as_cell, sample_records
from xlwings_dispatch import (
    CELL_ERRORS,
    MISSING,
    Book,
    ComRange,
    ComWorkbook,
    Excel,
    cell_values,
    excel_value,
    range_of,
    run_button,
)

D = dt.date
INPUT_HEADERS = [c.header for c in schema.INPUT_COLUMNS]
SETTINGS = Settings(closure_days=(D(2024, 5, 28), D(2024, 12, 27)))


@pytest.fixture(scope="module")
def xl():
    with Excel() as excel:
        yield excel


@pytest.fixture(autouse=True)
def forget_rows():
    udfs.REMEMBERED.clear()
    yield
    udfs.REMEMBERED.clear()


def settings_rows(settings: Settings = SETTINGS) -> list[list]:
    return [["Setting", "Value", "Notes"]] + [[label, value, note] for label, value, note in settings_to_rows(settings)]


# --- a register as Excel holds it -----------------------------------------------------------------------


class OpenRegister:
    """A register built by xl-complaints, with its cells in the COM stand-ins as Excel would hold them."""

    def __init__(self, path: Path):
        self.path = path
        wb = openpyxl.load_workbook(path)
        self.book = ComWorkbook(path.name, str(path.parent))
        for name in (workbook.REGISTER, workbook.SETTINGS, workbook.HOLDS):
            ws = wb[name]
            rows = [[c.value for c in row] for row in ws.iter_rows()]
            self.book.add_sheet(name, rows)
        self.sheet = self.book.sheets[workbook.REGISTER]
        names = defined_ranges(path)
        sheet, address = names["register_inputs"]
        assert sheet == workbook.REGISTER
        self.inputs = ComRange.at(self.sheet, address)  # register_inputs: the Table's input columns
        self.settings = ComRange.at(self.book.sheets[workbook.SETTINGS], names["council_settings"][1])
        self.as_of = ComRange.at(self.sheet, names[workbook.AS_OF][1])
        self.holds = ComRange.at(self.book.sheets[workbook.HOLDS], names[workbook.HOLDS_NAME][1])  # register_holds
        self.top = self.inputs.Row
        self.left = self.inputs.Column
        self.columns = range(self.left, self.left + self.inputs.Columns.Count)
        self.headers = {self.sheet.cells.get((self.top, c)): c for c in self.columns}
        assert set(self.headers) == set(INPUT_HEADERS)

    def set(self, sheet_row: int, header: str, value):
        self.sheet.cells[(sheet_row, self.headers[header])] = excel_value(value)

    def get(self, sheet_row: int, header: str):
        return self.sheet.cells.get((sheet_row, self.headers[header]))


def _rc(address: str) -> tuple[int, int]:
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    letters, row = coordinate_from_string(address)
    return row, column_index_from_string(letters)


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Path:
    """A realistic register: the sample's complaints and the awkward rows, built as init builds it."""
    path = tmp_path_factory.mktemp("dispatch") / "Complaints_Register.xlsm"
    records = sample_records(300, seed=11)
    workbook.build(path, records, SETTINGS, AS_OF, holds=sample_holds(records))
    return path


def sample_holds(records: list[dict]) -> list[dict]:
    """Holds-sheet rows for some of the sample's complaints: several each, every reason, one still open."""
    holds = []
    received = [r for r in records if isinstance(r.get("Date received"), dt.date) and r.get("Reference")]
    for i, record in enumerate(received[:40]):
        start = record["Date received"] + dt.timedelta(days=3 + i % 5)
        for j in range(1 + i % 3):
            begin = start + dt.timedelta(days=12 * j)
            end = None if (i == 7 and j == 0) else begin + dt.timedelta(days=4 + i % 9)
            reason = schema.HOLD_REASONS[(i + j) % len(schema.HOLD_REASONS)]
            holds.append({"Reference": record["Reference"], "Hold reason": reason, "On hold from": begin, "On hold to": end})
    return holds


def status_command(path: Path, as_of: dt.date = AS_OF) -> list[list[str]]:
    result = CliRunner().invoke(main, ["status", str(path), "--as-of", as_of.isoformat()])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def block_as_status(block, first_row: int) -> list[list[str]]:
    """The block's rows that hold a complaint, written out by the status command's own CSV writer."""
    rows = []
    for offset, values in enumerate(block):
        if all(v in ("", None) for v in values[1:]):
            continue  # a blank register row: the status command leaves it out
        rows.append([first_row + offset] + values)
    return list(csv.reader(io.StringIO(status_csv(rows))))


# --- register_status ------------------------------------------------------------------------------------


def test_register_status_gives_what_the_status_command_gives_for_every_complaint(xl, register):
    reg = OpenRegister(register)
    block = cell_values(xl.call("register_status", reg.inputs, reg.settings, reg.as_of, reg.holds))
    assert len(block) == reg.inputs.Rows.Count - 1 and all(len(r) == 1 + len(schema.CALCULATED_KEYS) for r in block)
    expected = status_command(register)
    got = block_as_status(block, reg.top + 1)
    assert got[0] == expected[0]
    assert len(expected) > 300
    # the block carries each row's Reference exactly as typed (the grey columns match their row with '='),
    # the status command the Reference as text: the same reference either way, every other column equal
    for offset, row in enumerate(block):
        typed = reg.get(reg.top + 1 + offset, "Reference")
        assert row[0] == ("" if typed is None else typed)
    for g, e in zip(got[1:], expected[1:]):
        assert g[1] == e[1] or float(g[1]) == float(e[1])  # a number typed as the reference: 12345 either way
    assert [g[:1] + g[2:] for g in got] == [e[:1] + e[2:] for e in expected]
    rags = {row[expected[0].index("RAG")] for row in expected[1:]}
    assert {"Red", "Amber", "Green", "Check", "Withdrawn", "On hold"} <= rags


def test_results_are_values_pywin32_can_hand_to_excel(xl, register):
    reg = OpenRegister(register)
    raw = xl.call("register_status", reg.inputs, reg.settings, reg.as_of)
    dates = [v for row in raw for v in row if isinstance(v, dt.datetime)]
    assert dates and all(d.tzinfo is not None and d.utcoffset() == dt.timedelta(0) for d in dates)
    cell_values(raw)  # fails on anything pywin32 could not pass


def test_an_edit_is_recalculated_and_unchanged_rows_are_remembered(xl, register):
    """Every edit recalculates the whole register; only the edited rows are worked out again, and the result
    is always what a fresh calculation gives (sorting, a reference used twice, then put right)."""
    reg = OpenRegister(register)

    def recalculate():
        return cell_values(xl.call("register_status", reg.inputs, reg.settings, reg.as_of))

    def fresh():
        udfs.REMEMBERED.clear()
        return recalculate()

    before = recalculate()
    first = reg.top + 1
    rag = 1 + schema.CALCULATED_KEYS.index("rag")
    edited = next(i for i, row in enumerate(before) if row[rag] not in ("Withdrawn", ""))
    reg.set(first + edited, "Withdrawn date", AS_OF - dt.timedelta(days=1))
    after = recalculate()
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == [edited]
    assert after[edited][rag] == "Withdrawn" and after == fresh()

    # the same reference typed on another row: both rows say so, with each other's row numbers
    reference = reg.get(first, "Reference")
    reg.set(first + 5, "Reference", " " + reference.lower() + " ")
    shared = recalculate()
    assert shared == fresh()
    assert f"used again on row {first + 5}" in shared[0][-1] and f"used again on row {first}" in shared[5][-1]
    reg.set(first + 5, "Reference", "CSC-NEW-1")
    assert recalculate() == fresh()

    # sorting moves every row: each keeps its own result
    unsorted = recalculate()
    cells = reg.sheet.cells
    rows = list(range(first, first + reg.inputs.Rows.Count - 1))
    moved = rows[:]
    random.Random(3).shuffle(moved)
    old = {(r, c): v for (r, c), v in cells.items() if r in rows}
    for r, m in zip(rows, moved):
        for c in reg.columns:
            cells.pop((m, c), None)
            if (r, c) in old:
                cells[(m, c)] = old[(r, c)]
    sorted_block = recalculate()
    assert sorted_block == fresh()
    for r, m in zip(rows, moved):
        was, now = unsorted[r - first], sorted_block[m - first]
        if "used again on row" in was[-1]:  # names the other rows, which moved too
            assert "used again on row" in now[-1]
        else:
            assert now == was, (r, m)

    # a change of date or settings works every row out again
    reg.as_of.Worksheet.cells[(reg.as_of.Row, reg.as_of.Column)] = excel_value(D(2024, 7, 1))
    assert recalculate() == fresh()


def test_error_cells_are_problems_on_their_row_as_the_status_command_reports_them(xl):
    records = [dict(r) for r in EDGE_RECORDS]
    book = ComWorkbook()
    cells = [INPUT_HEADERS] + [workbook.record_row(r) for r in records]
    register = range_of(cells, book=book, top_left=(3, 1))
    register.Worksheet.cells[(4, INPUT_HEADERS.index("S1 acknowledged") + 1)] = CELL_ERRORS["#DIV/0!"]
    register.Worksheet.cells[(5, INPUT_HEADERS.index("Procedure") + 1)] = CELL_ERRORS["#N/A"]
    settings = range_of(settings_rows(), "Settings", book=book)
    as_of = range_of([[AS_OF]], "Register", (2, 2), book=book)
    block = cell_values(xl.call("register_status", register, settings, as_of))
    rows = [workbook.record_row(r) for r in records]
    rows[0][INPUT_HEADERS.index("S1 acknowledged")] = "#DIV/0!"  # the reader hands error cells over as their text
    rows[1][INPUT_HEADERS.index("Procedure")] = "#N/A"
    expected = [cell_values([udfs.to_excel(v) for v in row]) for row in workbook.calculated_block(INPUT_HEADERS, rows, SETTINGS, AS_OF)]
    assert block == expected
    problems = block[0][-1]
    assert "S1 acknowledged: the cell shows the error #DIV/0!" in problems
    assert "Procedure: the cell shows the error #N/A" in block[1][-1]


def test_the_error_codes_are_xlwings_own(xl):
    assert udfs.CELL_ERRORS == xl.xlwindows.cell_errors
    assert {code: text for text, code in CELL_ERRORS.items()} == xl.xlwindows.cell_errors


def test_a_problem_with_the_whole_register_keeps_each_rows_reference(xl):
    book = ComWorkbook()
    register = range_of([INPUT_HEADERS] + [workbook.record_row(r) for r in EDGE_RECORDS], book=book, top_left=(3, 1))
    settings = range_of(settings_rows(), "Settings", book=book)
    empty = ComRange(register.Worksheet, 2, 2, 1, 1)
    block = cell_values(xl.call("register_status", register, settings, empty))
    assert [row[0] for row in block] == [excel_value(r.get("Reference")) or "" for r in EDGE_RECORDS]
    assert {row[-1] for row in block} == {"The As of date on the Register sheet is empty"}
    no_references = range_of([["Date received"], [AS_OF]], "Other", book=book)
    (cell,) = [cell_values(xl.call("register_status", no_references, settings, empty))]
    assert isinstance(cell, str) and "Traceback" not in cell  # one value, which Excel repeats over the block


# --- the officers' own functions ------------------------------------------------------------------------


def _book_with_settings(settings: Settings = SETTINGS):
    book = ComWorkbook()
    book.add_sheet(workbook.SETTINGS, settings_rows(settings))
    sheet = book.add_sheet(workbook.REGISTER)
    return book, sheet


def test_working_day_and_working_days_through_excel(xl):
    book, sheet = _book_with_settings()
    settings = ComRange.at(book.sheets[workbook.SETTINGS], workbook.SETTINGS_RANGE)
    start = range_of([[D(2024, 12, 20)]], workbook.REGISTER, (10, 2), book=book)
    end = range_of([[D(2025, 1, 2)]], workbook.REGISTER, (10, 3), book=book)
    assert cell_values(xl.call("working_day", start, 5.0, settings)) == D(2025, 1, 2) == SETTINGS.calendar.add(D(2024, 12, 20), 5)
    assert cell_values(xl.call("working_days", start, end, settings)) == 5.0
    assert cell_values(xl.call("working_days", end, start, settings)) == -5.0
    # a number typed straight into the formula arrives as a float, a date typed as text as text
    assert cell_values(xl.call("working_day", "20/12/2024", -5.0, settings)) == D(2024, 12, 13)
    assert cell_values(xl.call("working_day", start, 2.5, settings)) == "Days must be a whole number of working days"
    assert cell_values(xl.call("working_days", start, "31/02/2025", settings)) == "End date is not a real date"


def test_an_omitted_council_settings_is_read_from_the_settings_sheet_through_the_calling_cell(xl):
    book, sheet = _book_with_settings()
    start = range_of([[D(2024, 12, 20)]], workbook.REGISTER, (10, 2), book=book)
    caller = ComRange(sheet, 10, 5, 1, 1)
    args = xl.vba_arguments("working_day", (start, 5.0))
    assert args[2] == MISSING and args[3] is None  # what the VBA passes: the missing marker, then Nothing
    assert cell_values(xl.call("working_day", start, 5.0, caller=caller)) == D(2025, 1, 2)  # with the closure day
    assert cell_values(xl.call("working_days", start, range_of([[D(2025, 1, 2)]], workbook.REGISTER, (10, 3), book=book), caller=caller)) == 5.0
    del book.sheets[workbook.SETTINGS]
    assert cell_values(xl.call("working_day", start, 5.0, caller=caller)) == "The Settings sheet could not be read: add council_settings as the last argument"


@pytest.mark.parametrize("name", ["due_date", "rag", "can_escalate", "escalate_by", "next_action"])
def test_row_functions_through_excel_agree_with_the_status_engine(xl, name):
    book, sheet = _book_with_settings()
    settings = ComRange.at(book.sheets[workbook.SETTINGS], workbook.SETTINGS_RANGE)
    headers = range_of([INPUT_HEADERS], workbook.REGISTER, (3, 1), book=book)
    as_of = range_of([[AS_OF]], workbook.REGISTER, (2, 2), book=book)
    checked = 0
    for offset, record in enumerate(EDGE_RECORDS):
        if not record:
            continue
        row = range_of([workbook.record_row(record)], workbook.REGISTER, (4 + offset, 1), book=book)
        want = status.assess_row(record, SETTINGS, AS_OF)
        expected = want[name]
        if expected in (None, "") and want["problems"]:
            expected = want["problems"]
        got = cell_values(xl.call(name, headers, row, as_of, settings))
        assert as_cell(got) == as_cell(expected), (record.get("Reference"), name)
        assert cell_values(xl.call(name, headers, row, as_of, caller=ComRange(sheet, 4 + offset, 70, 1, 1))) == got
        checked += 1
    assert checked == len(EDGE_RECORDS) - 1


def test_row_functions_given_the_holds_sheet_agree_with_the_register_for_complaints_on_hold(xl, register):
    """An officer's own =due_date(..., register_holds) cell gives what the grey columns give, holds and all."""
    reg = OpenRegister(register)
    block = cell_values(xl.call("register_status", reg.inputs, reg.settings, reg.as_of, reg.holds))
    held = {schema.normalise_header(h["Reference"]) for h in sample_holds(sample_records(300, seed=11))}
    width = reg.inputs.Columns.Count
    headers = ComRange(reg.sheet, reg.top, reg.left, 1, width)
    columns = ["reference", *schema.CALCULATED_KEYS]
    checked = moved = 0
    for offset, values in enumerate(block):
        if checked >= 12 and moved >= 4:
            break  # enough: each call converts the whole Holds sheet, as Excel hands it over, so each is slow
        reference = reg.get(reg.top + 1 + offset, "Reference")
        if not isinstance(reference, str) or schema.normalise_header(reference) not in held:
            continue
        row = ComRange(reg.sheet, reg.top + 1 + offset, reg.left, 1, width)
        for name in ("due_date", "rag", "next_action"):
            want = values[columns.index(name)]
            got = cell_values(xl.call(name, headers, row, reg.as_of, reg.settings, reg.holds))
            assert as_cell(got) == as_cell(want), (reference, name)
            if name == "due_date" and as_cell(cell_values(xl.call(name, headers, row, reg.as_of, reg.settings))) != as_cell(want):
                moved += 1
        checked += 1
    assert checked >= 12
    assert moved >= 4  # without the Holds sheet these due dates would be wrong: the argument matters


def test_every_worksheet_function_is_called_through_excel_here(xl):
    """A new @xw.func must get its dispatch test: this list is the module's, not ours."""
    tested = {"register_status", "working_day", "working_days", "due_date", "rag", "can_escalate", "escalate_by", "next_action"}
    macros = {"refresh_register", "generate_letters"}
    functions = xl.functions()
    assert {n for n, f in functions.items() if not f.__xlfunc__["sub"]} == tested
    assert {n for n, f in functions.items() if f.__xlfunc__["sub"]} == macros


# --- the buttons ---------------------------------------------------------------------------------------------


def open_book(path: Path) -> Book:
    """A register file as the open workbook xw.Book.caller() gives a macro."""
    wb = openpyxl.load_workbook(path)
    book = Book(str(path))
    for ws in wb.worksheets:
        sheet = book.add_sheet(ws.title)
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    sheet.put(c.row, c.column, c.value if c.data_type != "s" else "'" + c.value if str(c.value)[:1] in "=+-@" else c.value)
        for name, ref in ws.tables.items():
            first, last = ref.split(":")
            sheet.tables[name] = types_range(sheet, first, last)
    for name in (workbook.AS_OF, workbook.LETTER_CHOICE):
        for sheet, address in wb.defined_names[name].destinations:
            book.define_name(name, sheet, address)
    return book


def types_range(sheet, first, last):
    import types as _types

    return _types.SimpleNamespace(range=sheet.range(f"{first}:{last}"))


def defined_ranges(path: Path) -> dict[str, tuple[str, str]]:
    """The register's defined names as (sheet, address), structured references to the Table resolved."""
    import re

    wb = openpyxl.load_workbook(path)
    tables = {name: (ws.title, ref) for ws in wb.worksheets for name, ref in ws.tables.items()}
    out = {}
    for name, defined in wb.defined_names.items():
        text = defined.attr_text
        found = re.fullmatch(r"(\w+)\[\[#All\],\[([^\]]+)\]:\[([^\]]+)\]\]", text)
        if found:
            sheet, ref = tables[found.group(1)]
            first, last = ref.split(":")
            (top, left), (bottom, _) = _rc(first), _rc(last)
            header = [c.value for c in wb[sheet][top]]
            c1, c2 = header.index(found.group(2)) + 1, header.index(found.group(3)) + 1
            out[name] = (sheet, f"{_col(c1)}{top}:{_col(c2)}{bottom}")
        elif "!" in text:
            sheet, address = text.split("!")
            out[name] = (sheet.strip("'"), address.replace("$", ""))
    return out


def _col(n: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(n)


def excel_recalculates(xl, book: Book, names: dict):
    """What Excel does on calculating: the Calculated block's array formula, called through the dispatch."""
    import re

    def recalculate():
        calc = book.sheets[workbook.CALCULATED]
        for box, formula in calc.arrays:
            found = re.fullmatch(r"=(\w+)\(([^()]*)\)", formula)
            function, arguments = found.group(1), [a.strip() for a in found.group(2).split(",")]
            com = ComWorkbook(book.name)
            ranges = []
            for argument in arguments:
                sheet_name, address = names[argument]
                sheet = book.sheets[sheet_name]
                rng = sheet.range(address)
                values = rng.options(ndim=2).value
                ranges.append(range_of(values, sheet_name, (rng.row, rng.column), book=com))
            caller = ComRange(com.sheets.get(workbook.CALCULATED) or com.add_sheet(workbook.CALCULATED), box[0], box[1], box[2] - box[0] + 1, box[3] - box[1] + 1)
            result = cell_values(xl.call(function, *ranges, caller=caller, workbook=com))
            for i, row in enumerate(result):
                for j, value in enumerate(row):
                    calc.cells[(box[0] + i, box[1] + j)] = value

    return recalculate


def test_refresh_button_through_excel(xl, tmp_path):
    path = tmp_path / "Complaints_Register.xlsm"
    workbook.build(path, EDGE_RECORDS, SETTINGS, AS_OF)
    book = open_book(path)
    book.app.calculation = "semiautomatic"
    modes = []
    recalculate = excel_recalculates(xl, book, defined_ranges(path))
    book.app.on_calculate = lambda: (modes.append(book.app.calculation), recalculate())
    run_button(xl, "refresh_register", book)
    today = dt.date.today()
    assert book.sheets[workbook.REGISTER].range("B2").value == dt.datetime.combine(today, dt.time())
    holidays = book.sheets[workbook.HOLIDAYS].range(f"A2:C{len(workbook.holiday_rows(SETTINGS, today)) + 2}").value
    assert holidays[:-1] == [[dt.datetime.combine(d, dt.time()), w, n] for d, w, n in workbook.holiday_rows(SETTINGS, today)]
    assert holidays[-1] == [None, None, None]  # the old list is cleared to its end
    assert book.sheets[workbook.HOLIDAYS].range("A2").number_format == "dd/mm/yyyy"
    calc = book.sheets[workbook.CALCULATED]
    assert calc.arrays == [((workbook.FIRST_ROW, 1, workbook.CALC_LAST_ROW, len(workbook.CALC_HEADERS)), workbook.LIVE_FORMULA)]
    assert calc.range(f"A{workbook.FIRST_ROW}").formula_array == workbook.LIVE_FORMULA
    assert book.app.calculations == 1 and modes == ["semiautomatic"]  # once, in the officer's own mode
    # Excel then calculates the formula Refresh entered: the defined names it uses feed register_status in
    # the order its arguments come, and the block is the status engine's for today
    expected = workbook.calculated_block(INPUT_HEADERS, [workbook.record_row(r) for r in EDGE_RECORDS], SETTINGS, today)
    got = [[calc.cells.get((workbook.FIRST_ROW + i, j + 1)) for j in range(len(workbook.CALC_HEADERS))] for i in range(len(EDGE_RECORDS))]
    assert got == cell_values([[udfs.to_excel(v) for v in row] for row in expected])
    assert {row[1 + schema.CALCULATED_KEYS.index("rag")] for row in got} >= {"Check", "Withdrawn"}
    assert not any(r >= workbook.FIRST_ROW + len(EDGE_RECORDS) for r, _ in calc.cells)  # the old values are gone
    assert book.app.status_bar.startswith(f"Refreshed as of {short_date(today)}")
    assert book.app.alerts == []
    # pressed again: the live formula is kept, not entered twice
    run_button(xl, "refresh_register", book)
    assert len(calc.arrays) == 1 and book.app.calculations == 2


def test_refresh_button_says_which_settings_it_could_not_use(xl, tmp_path):
    path = tmp_path / "Complaints_Register.xlsm"
    workbook.build(path, EDGE_RECORDS, SETTINGS, AS_OF)
    book = open_book(path)
    settings = book.sheets[workbook.SETTINGS]
    row = next(r for (r, c), v in settings.cells.items() if c == 1 and str(v).startswith("Amber"))
    settings.put(row, 2, "three")
    run_button(xl, "refresh_register", book)
    ((title, text, buttons),) = book.app.alerts
    assert title == "Refresh" and "'three'" in text and "Traceback" not in text


def test_generate_letter_button_through_excel(xl, tmp_path):
    from xl_complaints import letters

    if not Path(letters.TEMPLATES_FOLDER).is_dir():
        pytest.skip("the letter templates are not installed")
    today = dt.date.today()  # the button writes letters dated today
    record = {"Reference": "CSC-L1", "Date received": today - dt.timedelta(days=1), "Representation type": "Complaint",
              "Procedure": "Statutory", "Received from": "Parent", "Parental responsibility": "Yes",
              "Complainant title": "Ms", "Complainant first name": "Siân", "Complainant last name": "O'Neill",
              "Address line 1": "1 High Street", "Town": "Exampleton", "Postcode": "XE1 1AA",
              "Responding manager": "Pat Smith", "Manager job title": "Team Manager", "How received": "Letter"}
    path = tmp_path / "Complaints_Register.xlsm"
    workbook.build(path, [EDGE_RECORDS[0], record, EDGE_RECORDS[2]], SETTINGS, today)
    book = open_book(path)
    register = book.sheets[workbook.REGISTER]
    # rows 5 to 6 selected, row 6 (CSC-3) filtered out: only CSC-L1's letter
    register.hidden_rows.add(workbook.FIRST_ROW + 2)
    book.app.selection = register.range(f"A{workbook.FIRST_ROW + 1}:C{workbook.FIRST_ROW + 2}")
    import xl_complaints.excel.udfs as module

    run_button(xl, "generate_letters", book)
    ((title, text, buttons),) = book.app.alerts
    assert title == "Generate letter" and text.startswith("1 letter written to"), text
    log = book.sheets[workbook.CORRESPONDENCE]
    reference, day, letter_type, file = log.range("A2:D2").value
    assert (reference, day, letter_type) == ("CSC-L1", dt.datetime.combine(today, dt.time()), "Acknowledgement")
    assert Path(file).exists() and Path(file).parent == tmp_path / "Letters" / "CSC-L1"
    assert log.range("B2").number_format == "dd/mm/yyyy"
    assert "O'Neill" not in " ".join(map(str, log.cells.values()))  # no personal data in the log
    assert module is not None
    # nothing selected: told what to do
    book.app.alerts.clear()
    book.app.selection = book.sheets[workbook.DASHBOARD].range("A1")
    run_button(xl, "generate_letters", book)
    assert book.app.alerts == [("Generate letter", "Select the complaint's row (or several rows) on the Register sheet, then press Generate letter.", "ok")]


def test_text_that_looks_like_a_formula_is_written_as_text(xl, tmp_path):
    """The stand-in turns '=...' into a formula as Excel would, so the session's apostrophes are needed."""
    book = Book()
    sheet = book.add_sheet(workbook.HOLIDAYS)
    session = udfs.ExcelSession(book)
    session.write_holidays([(D(2024, 1, 1), "Monday", "=HYPERLINK(\"x\")")])
    assert sheet.range("C2").value == '=HYPERLINK("x")' and sheet.formulas == {}
    sheet.range("C3").value = "=1+1"
    assert sheet.formulas == {(3, 3): "=1+1"}


def test_generate_letter_button_reads_the_actions_sheet_for_the_letters_that_list_agreed_actions(xl, tmp_path, monkeypatch):
    """The button hands the letters the open workbook's Actions sheet, as the letters command hands them the file's."""
    from xl_complaints import letters
    from xl_complaints.core import learning

    today = dt.date.today()
    record = {"Reference": "CSC-A1", "Date received": today - dt.timedelta(days=1), "Representation type": "Complaint",
              "Procedure": "Statutory", "Received from": "Parent", "Parental responsibility": "Yes"}
    actions = [
        {"Reference": "CSC-A1", "Stage": "Stage 2", "Action": "Train the team on recording visits", "Owning service": "Safeguarding",
         "Agreed date": today - dt.timedelta(days=1), "Due date": today + dt.timedelta(days=30)},
        {"Reference": "CSC-A1", "Action": "Review the contact plan", "Owning service": "Child in Need",
         "Agreed date": today - dt.timedelta(days=1), "Due date": today + dt.timedelta(days=40)},
    ]
    path = tmp_path / "Complaints_Register.xlsm"
    workbook.build(path, [record], SETTINGS, today, learning={learning.ACTIONS: actions})
    book = open_book(path)
    register = book.sheets[workbook.REGISTER]
    book.app.selection = register.range(f"A{workbook.FIRST_ROW}:C{workbook.FIRST_ROW}")
    handed = []

    def generate_for_rows(*args, learning=None, **kwargs):
        handed.append(learning)
        return letters.LetterResults()

    monkeypatch.setattr(letters, "generate_for_rows", generate_for_rows)
    run_button(xl, "generate_letters", book)
    (given,) = handed
    assert sorted(item.values["action"] for item in given.actions) == ["Review the contact plan", "Train the team on recording visits"]
    assert not given.errors
