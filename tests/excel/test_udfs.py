"""The worksheet functions and button macros, called as the plain functions they are.

xlwings' decorators do nothing off Windows, so one fixture loads xlwings' real
Windows code (tests/xlwings_dispatch.py: only pywin32 is stood in for) and
shows what 'Enable live formulas' would import: a Sub for each button, a
Function for each worksheet function, none volatile, each described for the
function wizard. test_udf_dispatch.py calls them through that dispatch.
"""

from __future__ import annotations

import datetime as dt
import types
from pathlib import Path

import pytest

from xl_complaints.core import schema, status

from xl_complaints.excel import udfs, workbook
from xl_complaints.core.settings import Settings, settings_to_rows

from test_workbook import AS_OF, EDGE_RECORDS, as_cell, expected_status, sample_records
from xlwings_dispatch import Excel

D = dt.date
INPUT_HEADERS = [c.header for c in schema.INPUT_COLUMNS]


def settings_cells(settings: Settings) -> list[list]:
    """The Settings sheet's A:B cells as xlwings hands them over (with the header row)."""
    return [["Setting", "Value"]] + [[label, value] for label, value, _ in settings_to_rows(settings)]


def register_cells(records) -> list[list]:
    """register_inputs as Excel passes it: the header row, then rows (dates as datetimes, numbers as floats)."""
    rows = []
    for record in records:
        row = []
        for value in workbook.record_row(record):
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime.combine(value, dt.time())
            elif isinstance(value, int):
                value = float(value)
            row.append(value)
        rows.append(row)
    return [INPUT_HEADERS] + rows


# --- the register's block --------------------------------------------------------------------------


def test_register_status_equals_the_status_engine_for_every_row_and_column():
    records = sample_records()
    settings = Settings(closure_days=(D(2024, 5, 28),))
    block = udfs.register_status(register_cells(records), settings_cells(settings), dt.datetime.combine(AS_OF, dt.time()))
    expected = expected_status(records, settings=settings)
    assert len(block) == len(records)
    checked = 0
    for offset, (record, row) in enumerate(zip(records, block)):
        reference = record.get("Reference")
        assert row[0] == ("" if reference is None else float(reference) if isinstance(reference, int) else reference)
        sheet_row = workbook.FIRST_ROW + offset
        if sheet_row not in expected.index:
            assert row[1:] == [""] * len(schema.CALCULATED_KEYS)
            continue
        for key, value in zip(schema.CALCULATED_KEYS, row[1:]):
            assert as_cell(value) == as_cell(expected.at[sheet_row, key]), (sheet_row, key)
        checked += 1
    assert checked == len(expected) > 100
    # every RAG and the duplicate reference appear, each on its own row
    assert {"Red", "Amber", "Green", "Check", "Withdrawn", "On hold", "Closed"} <= set(expected["rag"])
    duplicates = [row for row in block if row[0] == "CSC-DUP"]
    assert len(duplicates) == 2 and all("used again" in row[-1] for row in duplicates)


def test_register_status_only_returns_plain_values_excel_can_hold():
    """Returned raw, so in the form pywin32 passes to Excel: text, floats, dates as UTC datetimes (as xlwings writes them)."""
    block = udfs.register_status(register_cells(EDGE_RECORDS), settings_cells(Settings()), AS_OF)
    dates = 0
    for row in block:
        for value in row:
            if type(value) is dt.datetime:
                assert value.tzinfo is dt.timezone.utc and value.time() == dt.time(), (row, value)
                dates += 1
            else:
                assert type(value) in (str, float), (row, value)
    assert dates > 0


def test_errors_come_back_as_sentences_on_their_row():
    block = udfs.register_status(register_cells(EDGE_RECORDS), settings_cells(Settings()), AS_OF)
    by_ref = {row[0]: row for row in block}
    problems = dict(zip(schema.CALCULATED_KEYS, by_ref["CSC-3"][1:]))["problems"]
    assert problems == "Date received: is not a real date"
    assert dict(zip(schema.CALCULATED_KEYS, by_ref["CSC-3"][1:]))["rag"] == "Check"
    assert "is not one of the values" in by_ref["CSC-4"][-1]
    assert all("Traceback" not in str(v) for row in block for v in row)


def test_a_problem_with_the_whole_register_is_shown_on_every_row():
    for as_of, text in ((None, "The As of date on the Register sheet is empty"), ("soon", "The As of date on the Register sheet is not a date")):
        block = udfs.register_status(register_cells(EDGE_RECORDS), settings_cells(Settings()), as_of)
        assert len(block) == len(EDGE_RECORDS)
        for record, row in zip(EDGE_RECORDS, block):
            values = dict(zip(schema.CALCULATED_KEYS, row[1:]))
            assert row[0] == (float(record["Reference"]) if isinstance(record.get("Reference"), int) else record.get("Reference", ""))
            assert values["problems"] == text and values["rag"] == "Check" and values["stage"] == ""


def test_a_register_without_references_comes_back_as_one_readable_cell():
    no_reference = [["Date received", "Procedure"], [AS_OF, "Statutory"]]
    (cell,), = udfs.register_status(no_reference, settings_cells(Settings()), AS_OF)
    assert "'Reference'" in cell and "Traceback" not in cell


def test_an_unexpected_failure_is_a_plain_sentence_without_the_data(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("Jamie MacLeod, 101 Llewellyn Close")

    monkeypatch.setattr(status, "assess_columns", broken)  # what the block is worked out by
    block = udfs.register_status(register_cells(EDGE_RECORDS), settings_cells(Settings()), AS_OF)
    assert len(block) == len(EDGE_RECORDS)
    for row in block:
        assert row[-1].startswith("Python could not work this out.") and "RuntimeError" not in row[-1]
        assert "MacLeod" not in row[-1] and "Traceback" not in row[-1] and ".py" not in row[-1]


def test_one_row_edit_changes_only_that_row():
    records = [dict(r) for r in EDGE_RECORDS]
    before = udfs.register_status(register_cells(records), settings_cells(Settings()), AS_OF)
    records[0]["S1 acknowledged"] = D(2024, 5, 21)
    after = udfs.register_status(register_cells(records), settings_cells(Settings()), AS_OF)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [0]


# --- working days -------------------------------------------------------------------------------------


def test_working_day_and_working_days_use_the_councils_calendar():
    settings = Settings(closure_days=(D(2024, 12, 27),))
    cells = settings_cells(settings)
    start = dt.datetime(2024, 12, 20)
    assert udfs.working_day(start, 5.0, cells) == settings.calendar.add(D(2024, 12, 20), 5) == D(2025, 1, 2)
    assert udfs.working_day(start, 5.0, settings_cells(Settings())) == D(2024, 12, 31)
    assert udfs.working_day("02/01/2025", -5.0, cells) == D(2024, 12, 20)
    assert udfs.working_days(start, dt.datetime(2025, 1, 2), cells) == 5
    assert udfs.working_days(dt.datetime(2025, 1, 2), start, cells) == -5


def test_working_day_errors_are_sentences():
    cells = settings_cells(Settings())
    assert udfs.working_day("next week", 5, cells) == "Start date is not a date"
    assert udfs.working_day(None, 5, cells) == "Start date is empty"
    assert udfs.working_day(AS_OF, 2.5, cells) == "Days must be a whole number of working days"
    assert udfs.working_day(AS_OF, "ten", cells) == "Days is not a number"
    assert udfs.working_days(AS_OF, "31/02/2024", cells) == "End date is not a real date"
    assert udfs.working_day(AS_OF, 5) == "Add council_settings as the last argument"


class FakeRange:
    def __init__(self, value):
        self.value = value


class FakeSheet:
    def __init__(self, cells):
        self.cells = cells
        self.asked = []

    def range(self, address):
        self.asked.append(address)
        return FakeRange(self.cells)


def test_without_settings_the_functions_read_the_workbooks_settings_sheet():
    sheet = FakeSheet(settings_cells(Settings(closure_days=(D(2024, 12, 27),))))
    caller = types.SimpleNamespace(sheet=types.SimpleNamespace(book=types.SimpleNamespace(sheets={workbook.SETTINGS: sheet})))
    assert udfs.working_day(dt.datetime(2024, 12, 20), 5, None, caller) == D(2025, 1, 2)
    assert sheet.asked == [workbook.SETTINGS_RANGE.replace("$", "")]


# --- one complaint ------------------------------------------------------------------------------------------


def test_row_functions_agree_with_the_status_engine():
    settings = Settings()
    cells = settings_cells(settings)
    headers = INPUT_HEADERS
    for record in EDGE_RECORDS[:7] + EDGE_RECORDS[8:]:
        row = register_cells([record])[1]
        want = status.assess_row(record, settings, AS_OF)
        for name in ("due_date", "rag", "can_escalate", "escalate_by", "next_action"):
            got = getattr(udfs, name)(headers, row, AS_OF, cells)
            expected = want[name]
            if expected in (None, "") and want["problems"]:
                expected = want["problems"]
            assert as_cell(got) == as_cell(expected), (record.get("Reference"), name)


def test_row_functions_accept_the_header_row_with_the_calculated_columns_and_read_errors_aloud():
    headers = [c.header for c in schema.COLUMNS]
    record = EDGE_RECORDS[0]
    row = register_cells([record])[1] + [""] * len(schema.CALCULATED_COLUMNS)
    assert udfs.rag(headers, row, AS_OF, settings_cells(Settings())) == status.assess_row(record, Settings(), AS_OF)["rag"]
    assert udfs.rag(headers, row[:-1], AS_OF, settings_cells(Settings())) == "Give the header row and one register row of the same width"
    assert udfs.due_date(headers, row, "", settings_cells(Settings())) == "As of is empty"
    assert udfs.next_action(headers, [None] * len(headers), AS_OF, settings_cells(Settings())) == ""


# --- what 'Enable live formulas' imports --------------------------------------------------------------------


@pytest.fixture
def excel():
    """xlwings' Windows decorators, VBA generator and dispatch, live with pywin32 stood in for."""
    with Excel() as xl:
        yield xl


def test_enable_live_formulas_creates_a_macro_for_every_button_and_a_function_for_every_udf(excel):
    vba, _ = excel.import_udfs()
    for button in workbook.BUTTONS:
        if button.source == "sub":
            assert f"Sub {button.macro}()" in vba
            assert f'XLPy.CallUDF "xl_complaints.udfs", "{button.macro}", Array(), ThisWorkbook, Application.Caller' in vba
    assert "Function register_status(register, council_settings, as_of, Optional hold_sheet)" in vba
    assert "Function working_day(start_date, days, Optional council_settings)" in vba
    assert "Function working_days(start_date, end_date, Optional council_settings)" in vba
    for name in ("due_date", "rag", "can_escalate", "escalate_by", "next_action"):
        assert f"Function {name}(headers, row, as_of, Optional council_settings, Optional hold_sheet)" in vba
    assert "Application.Volatile" not in vba
    assert "CommandBars" not in vba  # call_in_wizard left on: a known cause of zeros on opening
    # the formula the Refresh macro installs calls the function with the names the workbook defines
    assert workbook.LIVE_FORMULA == "=register_status(register_inputs,council_settings,as_of,register_holds)"


def test_function_wizard_describes_every_function_and_argument(excel):
    """ImportPythonUDFs registers each function's docstring and argument notes with Excel (255 characters at most)."""
    _, options = excel.import_udfs()
    described = {macro.split("!")[1]: kwargs for macro, kwargs in options}
    functions = excel.functions()
    assert set(described) == set(functions)
    for name, kwargs in described.items():
        info = functions[name].__xlfunc__
        shown = [a for a in info["args"] if not a["vba"]]
        # the wizard shows the whole docstring, line breaks and indentation too: one line, under 255 characters
        text = kwargs["Description"]
        assert text and "\n" not in text and len(info["ret"]["doc"]) <= 255 and not text.startswith("Python function"), name
        if shown:
            assert len(kwargs["ArgumentDescriptions"]) == len(shown), name
            for arg, text in zip(shown, kwargs["ArgumentDescriptions"]):
                assert not text.startswith("Positional argument"), (name, arg["name"])  # every argument has its note
                assert len(text) <= 255 and arg["doc"] == text, (name, arg["name"])
        assert kwargs["Category"] == (udfs.CATEGORY if not info["sub"] else "xlwings")


def test_function_metadata(excel):
    functions = excel.functions()
    assert set(functions) == {"register_status", "working_day", "working_days", "due_date", "rag", "can_escalate",
                              "escalate_by", "next_action", "refresh_register", "generate_letters"}
    for name, function in functions.items():
        info = function.__xlfunc__
        assert info["volatile"] is False, name
        if not info["sub"]:
            assert info["category"] == udfs.CATEGORY, name
    args = {a["name"]: a for a in functions["register_status"].__xlfunc__["args"]}
    # the register arrives as pywin32 hands it (no per-cell conversion), the result goes back as it is
    assert args["register"]["options"]["convert"] == "raw" and args["council_settings"]["options"]["ndim"] == 2
    assert functions["register_status"].__xlfunc__["ret"]["options"]["convert"] == "raw"


# --- the buttons, through a stand-in for the open workbook ---------------------------------------------------


class FakeSession:
    """The open workbook as ExcelSession shows it to the button logic, kept in memory."""

    def __init__(self, records, settings=None, selected=(), choice=workbook.NEXT_LETTER, path=None, live=False, holds=None):
        self.cells = register_cells(records)
        self.holds = holds  # the Holds sheet's cells, header row first
        self.settings = settings_cells(settings or Settings())
        self.selected = list(selected)
        self.choice = choice
        self.path = path
        self.live = live
        self.as_of = None
        self.holidays = None
        self.log = []
        self.correspondence = []
        self.opened = []
        self.told = []

    def run(self, title, action):
        try:
            action()
        except Exception as err:
            self.tell(udfs.message(err), title)

    def tell(self, text, title):
        self.told.append((title, text))

    def confirm(self, text, title):
        return True

    def status(self, text):
        self.log.append(("status", text))

    def pause_calculation(self):
        self.log.append(("manual",))
        return "semiautomatic"

    def resume_calculation(self, previous):
        self.log.append((previous,))

    def recalculate(self):
        self.log.append(("recalculate",))

    def settings_rows(self):
        return self.settings

    def set_as_of(self, day):
        self.as_of = day

    def write_holidays(self, rows):
        self.holidays = rows

    def block_is_live(self):
        return self.live

    def make_block_live(self):
        self.log.append(("live",))
        self.live = True

    def register_cells(self):
        return self.cells[0], self.cells[1:], workbook.FIRST_ROW

    def selected_rows(self):
        return self.selected

    def letter_choice(self):
        return self.choice

    def hold_cells(self):
        return self.holds

    def learning_cells(self):
        return {}  # a register with no Actions, Remedies or Ombudsman rows

    def workbook_path(self):
        return self.path

    def append_correspondence(self, rows):
        self.correspondence += rows

    def open_files(self, paths):
        self.opened += list(paths)


def test_refresh_sets_the_date_rewrites_holidays_goes_live_and_calculates_once():
    session = FakeSession(EDGE_RECORDS, settings=Settings(closure_days=(D(2024, 12, 27),)))
    text = udfs.refresh(session, AS_OF)
    assert session.as_of == AS_OF
    assert session.holidays == workbook.holiday_rows(Settings(closure_days=(D(2024, 12, 27),)), AS_OF)
    assert session.log[:1] == [("manual",)] and ("live",) in session.log
    assert session.log[-3:-1] == [("semiautomatic",), ("recalculate",)] and session.log[-1][0] == "status"  # the officer's own mode back
    assert session.log.count(("recalculate",)) == 1
    assert text.startswith("Refreshed as of Fri 14 Jun 2024")
    again = FakeSession(EDGE_RECORDS, live=True)
    udfs.refresh(again, AS_OF)
    assert ("live",) not in again.log


def test_refresh_reports_settings_it_could_not_use():
    session = FakeSession(EDGE_RECORDS)
    session.settings.append(["Amber when due within (working days)", "three"])
    udfs.refresh(session, AS_OF)
    (title, text), = session.told
    assert title == "Refresh" and "Amber when due within" in text and "'three'" in text


def test_rows_in_address():
    assert udfs.rows_in_address("$A$4:$C$6,$B$9") == [4, 5, 6, 9]
    assert udfs.rows_in_address("Register!$7:$5") == [5, 6, 7]
    assert udfs.rows_in_address("$B$4") == [4]
    assert udfs.rows_in_address("$A:$A") == []


def test_letters_folder(tmp_path):
    register = tmp_path / "Complaints_Register.xlsm"
    assert udfs.letters_folder(Settings(), register) == tmp_path / "Letters"
    assert udfs.letters_folder(Settings(letters_folder=str(tmp_path / "L")), None) == tmp_path / "L"
    with pytest.raises(udfs.UserMessage, match="web address"):
        udfs.letters_folder(Settings(), "https://council-my.sharepoint.com/personal/x/Documents/Register.xlsm")
    assert udfs.letters_folder(Settings(), r"C:\Complaints\Register.xlsm") is not None  # a drive letter is a path
    with pytest.raises(udfs.UserMessage, match="Save the register"):
        udfs.letters_folder(Settings(), "Book1")  # never saved: no folder to put letters beside


def test_generate_letter_without_a_selection_says_what_to_do():
    session = FakeSession(EDGE_RECORDS)
    session.run("Generate letter", lambda: udfs.make_letters(session, AS_OF))
    assert session.told == [("Generate letter", "Select the complaint's row (or several rows) on the Register sheet, then press Generate letter.")]


def _letters_available():
    try:
        from xl_complaints import letters
    except ImportError:
        return None
    return letters if Path(letters.TEMPLATES_FOLDER).is_dir() else None


def test_generate_letter_writes_logs_and_opens_the_letter_due(tmp_path):
    letters = _letters_available()
    if letters is None:
        pytest.skip("letters are not installed")
    record = {"Reference": "CSC-L1", "Date received": D(2024, 6, 12), "Representation type": "Complaint",
              "Procedure": "Statutory", "Received from": "Parent", "Parental responsibility": "Yes",
              "Complainant title": "Ms", "Complainant first name": "Siân", "Complainant last name": "O'Neill",
              "Address line 1": "1 High Street", "Town": "Exampleton", "Postcode": "XE1 1AA",
              "Responding manager": "Pat Smith", "Manager job title": "Team Manager", "How received": "Letter"}
    records = [EDGE_RECORDS[0], record]
    session = FakeSession(records, selected=[workbook.FIRST_ROW + 1, workbook.FIRST_ROW + 40], path=tmp_path / "Complaints_Register.xlsm")
    text = udfs.make_letters(session, AS_OF)
    assert len(session.correspondence) == 1, text
    reference, day, letter_type, file = session.correspondence[0]
    assert (reference, day, letter_type) == ("CSC-L1", AS_OF, "Acknowledgement")
    assert Path(file).exists() and Path(file).parent == tmp_path / "Letters" / "CSC-L1"
    assert session.opened == [Path(file)]
    assert "O'Neill" not in " ".join(map(str, session.correspondence[0]))  # no personal data in the log
    assert "once sent, fill in 'S1 acknowledged': 14/06/2024" in text
    # the same row again with the letter chosen by name: a second file, never an overwrite
    session.choice = "Acknowledgement"
    udfs.make_letters(session, AS_OF)
    files = sorted((tmp_path / "Letters" / "CSC-L1").iterdir())
    assert len(files) == 2


def test_generate_letter_explains_rows_it_cannot_write(tmp_path):
    if _letters_available() is None:
        pytest.skip("letters are not installed")
    session = FakeSession(EDGE_RECORDS, selected=[workbook.FIRST_ROW + 2], path=tmp_path / "R.xlsm")  # CSC-3, a bad date
    text = udfs.make_letters(session, AS_OF)
    assert session.correspondence == []
    assert "CSC-3" in text and ("no letter is due" in text or "problems" in text)


def test_the_stand_in_offers_exactly_what_the_excel_session_does():
    public = lambda cls: {n for n in vars(cls) if not n.startswith("_")}
    assert public(FakeSession) == public(udfs.ExcelSession)


class FakeSelection:
    def __init__(self, address, count, visible=None, sheet=workbook.REGISTER):
        self.address, self.count = address, count
        self.sheet = types.SimpleNamespace(name=sheet)
        self.api = types.SimpleNamespace(SpecialCells=lambda kind: types.SimpleNamespace(Address=visible))


def session_with(selection):
    return udfs.ExcelSession(types.SimpleNamespace(app=types.SimpleNamespace(selection=selection)))


def test_selected_rows_leave_out_filtered_rows_and_other_sheets():
    assert session_with(FakeSelection("$A$4:$A$9", 6, visible="$A$4:$A$5,$A$9")).selected_rows() == [4, 5, 9]
    assert session_with(FakeSelection("$C$7", 1, visible="$A$1:$BP$300")).selected_rows() == [7]  # one cell: itself
    assert session_with(FakeSelection("$A$4", 1, sheet=workbook.DASHBOARD)).selected_rows() == []
    assert session_with(None).selected_rows() == []


def test_library_errors_never_reach_a_cell_in_full():
    import pandas as pd

    with pytest.raises(ValueError) as raised:
        pd.to_datetime("Siân O'Brien", format="%d/%m/%Y")
    text = udfs.message(raised.value)
    assert "Siân" not in text and "ValueError" not in text and text.startswith("Python could not work this out. ")
    from xl_complaints.core.calendar import region_code

    with pytest.raises(ValueError) as raised:
        region_code("Mars")
    assert udfs.message(raised.value).startswith("Bank-holiday region 'Mars' is not known")
