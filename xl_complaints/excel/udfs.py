"""Excel's view of the core: worksheet functions and the macros behind the buttons.

'Enable live formulas' (xlwings' ImportPythonUDFs) turns every `@xw.func` here
into a worksheet function and every `@xw.sub` into a macro the buttons call.
Each function is a plain Python function under its decorators, so the tests
call them directly.

A call into Python from Excel costs milliseconds, so the register uses one
array function, `register_status`, for all its rows; the single-row and
working-day functions are for officers' own cells. Every function returns a
readable sentence when something is wrong (never a traceback) and none is
volatile. Nothing here writes to the workbook's file: the macros write through
xlwings into the open workbook. No annotations on decorated functions: xlwings
would take them as converters.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import os
import re
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import xlwings as xw

from ..core import learning, schema, status
from ..core.dates import as_of_or_today, parse_date, short_date
from ..core.register import RegisterError, validate, validate_holds
from ..core.settings import Settings, settings_from_rows
from ..files.outputs import formula_safe
from .workbook import (
    AS_OF,
    CALC_BLOCK,
    CALCULATED,
    CORRESPONDENCE,
    FIRST_ROW,
    HOLDS_NAME,
    HOLIDAYS,
    LETTER_CHOICE,
    LIVE_FORMULA,
    NEXT_LETTER,
    REGISTER,
    SETTINGS,
    SETTINGS_RANGE,
    TABLE,
    calculated_block,
    holiday_rows,
    reference_position,
)

CATEGORY = "Complaints"
MAX_LETTERS_OPENED = 5  # more than this and the letters folder is opened instead
CONFIRM_LETTERS_OVER = 20


class UserMessage(Exception):
    """Something the officer must do differently, worded for them."""


def message(err: BaseException) -> str:
    """An exception as cell text: our own messages as they are, anything else as one plain sentence.

    Unexpected errors are not shown in full: their text could quote a cell of
    personal data, and a traceback means nothing to an officer.
    """
    ours = isinstance(err, (UserMessage, RegisterError)) or (isinstance(err, ValueError) and _raised_by_us(err))
    if ours and str(err):
        text = str(err)
        return text[0].upper() + text[1:]
    return "Python could not work this out. Press Refresh; if it happens again, tell whoever looks after the register."


def _raised_by_us(err: BaseException) -> bool:
    """True when the innermost frame is xl-complaints' own code, whose messages are written for officers."""
    tb = err.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return str(tb.tb_frame.f_globals.get("__name__", "")).startswith("xl_complaints")


# --- reading arguments ------------------------------------------------------------------


def _date(value, label: str) -> dt.date:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise UserMessage(f"{label} is empty")
    try:
        return parse_date(value)
    except ValueError as err:  # said without the cell's value: it could be anything typed there
        raise UserMessage(f"{label} {getattr(err, 'plain', 'is not a date')}") from None


def _whole(value, label: str) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise UserMessage(f"{label} is not a number") from None
    if not number.is_integer():
        raise UserMessage(f"{label} must be a whole number of working days")
    return int(number)


def _rows(cells) -> list[list]:
    """A range's values as a list of rows, whatever shape xlwings handed over."""
    if cells is None:
        return []
    if not isinstance(cells, (list, tuple)):
        return [[cells]]
    if cells and not isinstance(cells[0], (list, tuple)):
        return [list(cells)]
    return [list(r) for r in cells]


def _flat(cells) -> list:
    return [c for row in _rows(cells) for c in row]


def settings_for(settings_cells, caller=None) -> Settings:
    """The council's settings: from the range given, else the workbook's Settings sheet."""
    if settings_cells is None:
        if caller is None:
            raise UserMessage("Add council_settings as the last argument")
        try:
            settings_cells = caller.sheet.book.sheets[SETTINGS].range(SETTINGS_RANGE.replace("$", "")).value
        except Exception:
            raise UserMessage("The Settings sheet could not be read: add council_settings as the last argument") from None
    return _parsed_settings(tuple(tuple(row) for row in _rows(settings_cells)))


@functools.lru_cache(maxsize=16)
def _parsed_settings(rows: tuple) -> Settings:
    """Settings from the sheet's cells, remembered: building the calendar costs ~30 ms, a call ~0.1 ms."""
    settings, _ = settings_from_rows([list(r) for r in rows])
    return settings


# --- the register's calculated columns: one call for every row ----------------------------

# What pywin32 hands over for an error cell (an int, the VBA error's code), as the text Excel shows;
# the same table as xlwings' own (_xlwindows.cell_errors), which the dispatch tests compare it with.
CELL_ERRORS = {
    -2146826281: "#DIV/0!",
    -2146826246: "#N/A",
    -2146826259: "#NAME?",
    -2146826288: "#NULL!",
    -2146826252: "#NUM!",
    -2146826265: "#REF!",
    -2146826273: "#VALUE!",
}
_UTC = dt.timezone.utc
_PLAIN = frozenset((str, float, type(None), bool))


def excel_cell(value):
    """One cell as pywin32 hands it over, as the register reader would give it.

    Dates arrive as timezone-aware datetimes (pywintypes.TimeType) holding
    Excel's clock time in UTC: the clock time is kept and the zone dropped, as
    xlwings' own cleaning does. Error cells arrive as ints and become the text
    Excel shows (#N/A), which validation reports as a problem on the row.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond)
    if kind is int and value in CELL_ERRORS:
        return CELL_ERRORS[value]
    return value


def to_excel(value):
    """A block value in the form pywin32 passes to Excel: dates as UTC datetimes, as xlwings writes them."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=_UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    return value


def _reference_key(value):
    """A Reference reduced so that references validation calls the same (case, spaces) share a key.

    Coarser than validation is safe (those rows are only worked out again);
    None means "cannot tell", and such a row is always worked out again.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return "".join(value.split()).upper()
    if type(value) is float:
        return str(int(value)) if value.is_integer() else str(value)
    return None


class _Remembered:
    """The block rows of the last recalculation, by their cells, for one context (headers, settings, date).

    Every edit recalculates the whole register; rows whose cells did not
    change give what they gave last time. A row's result depends on its own
    cells only, except that a reference used on several rows names the other
    rows: those rows are always worked out again, together.
    """

    def __init__(self):
        self.context = None
        self.rows: dict = {}

    def clear(self):
        self.context, self.rows = None, {}


REMEMBERED = _Remembered()


@xw.func(category=CATEGORY)
@xw.arg("register", "raw", doc="The register's columns with their header row: register_inputs")
@xw.arg("council_settings", ndim=2, doc="The Settings sheet's labels and values: council_settings")
@xw.arg("as_of", doc="The date to work out the status on: as_of")
@xw.arg("hold_sheet", ndim=2, doc="Optional: the Holds sheet's columns with their header row: register_holds")
@xw.ret("raw")
def register_status(register, council_settings, as_of, hold_sheet=None):
    """The calculated columns of every register row, as a block: Reference then Stage to Problems."""
    # One line only: Excel's function wizard shows the whole docstring (xlwings cuts it at 255 characters).
    # Lives on the hidden Calculated sheet as one array formula; the register's grey columns pick their
    # row out of it: one Python call per recalculation. The register arrives raw (no cell-by-cell
    # conversion by xlwings) and rows that did not change since the last recalculation are not worked
    # out again (status_block).
    rows = register if isinstance(register, tuple) and register and isinstance(register[0], tuple) else _rows(register)
    try:
        if not rows:
            raise UserMessage("The register is empty")
        day = _date(excel_cell(as_of), "The As of date on the Register sheet")
        settings_rows = tuple(tuple(row) for row in _rows(council_settings))
        block = status_block(rows, settings_rows, day, holds=hold_cells(hold_sheet))
        return block or [[""]]
    except Exception as err:
        return message_block([[excel_cell(v) for v in row] for row in rows], message(err))


def plain_rows(rows) -> list[tuple]:
    """The register's rows with every cell as excel_cell gives it.

    One inline type test per cell (a call only for dates and error codes):
    about a tenth of what xlwings' cell-by-cell cleaning costs, and quicker
    than going column by column (measured: transposing twice costs more).
    """
    plain, cell = _PLAIN, excel_cell
    return [tuple([v if type(v) in plain else cell(v) for v in row]) for row in rows]


def hold_cells(cells) -> tuple | None:
    """The Holds sheet's cells as the reader gives them, empty rows left out (None without a header row)."""
    rows = [tuple(excel_cell(v) for v in row) for row in _rows(cells)]
    if not rows or all(v in (None, "") for v in rows[0]):
        return None
    return (rows[0],) + tuple(r for r in rows[1:] if any(v not in (None, "") for v in r))


def status_block(rows, settings_rows: tuple, day: dt.date, remembered: _Remembered = REMEMBERED, holds: tuple | None = None) -> list[list]:
    """register_status's block for the register's cells as pywin32 hands them (header row first).

    `holds`: the Holds sheet's cells (hold_cells); a change to any hold works every row out again.
    """
    headers = tuple(excel_cell(h) for h in rows[0])
    settings = _parsed_settings(settings_rows)
    context = (headers, settings_rows, day, holds)
    if remembered.context != context:
        remembered.context, remembered.rows = context, {}
    known = remembered.rows
    ref_at = reference_position(headers)
    # Each cell as the reader would give it, before a row is used as a key: pywin32's dates carry a
    # pure-Python time zone, which makes hashing or comparing them slow.
    body = plain_rows(rows[1:])
    references = [row[ref_at] if ref_at < len(row) else None for row in body]
    keys = [
        "".join(r.split()).upper() if type(r) is str else "" if r is None else _reference_key(r)
        for r in references
    ]
    seen: dict = {}
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
    shared = [key is None or (key != "" and seen[key] > 1) for key in keys]
    get = known.get
    out: list = [None if share else get(row) for row, share in zip(body, shared)]
    todo = [i for i, done in enumerate(out) if done is None]
    if todo:
        if any(shared[i] for i in todo):  # row numbers appear in the duplicate-reference message: keep positions
            wanted = set(todo)
            blank = (None,) * len(headers)
            fresh = calculated_block(headers, [body[i] if i in wanted else blank for i in range(len(body))], settings, day, holds=holds)
            worked = [fresh[i] for i in todo]
        else:
            worked = calculated_block(headers, [body[i] for i in todo], settings, day, holds=holds)
        date, utc, datetime = dt.date, _UTC, dt.datetime
        for i, values in zip(todo, worked):
            out[i] = [datetime(v.year, v.month, v.day, tzinfo=utc) if type(v) is date else v for v in values]
            if not shared[i]:
                known[body[i]] = out[i]
    if len(known) > 2 * len(body) + 1000:  # forget rows that are no longer there
        remembered.rows = {row: done for row, done, share in zip(body, out, shared) if not share}
    return out


def message_block(rows: list[list], text: str) -> list[list]:
    """A failure as a block: each row keeps its Reference, is flagged Check and carries the message.

    So the message shows in every row's Problems column. Without a Reference
    column there is nothing to align on: one cell, which the Register sheet's
    notice line (beside the As-of date) shows.
    """
    keys = schema.CALCULATED_KEYS
    try:
        ref_at = reference_position(rows[0]) if rows else None
    except RegisterError:
        ref_at = None
    if ref_at is None or len(rows) < 2:
        return [[text]]
    block = []
    for raw in rows[1:]:
        key = raw[ref_at] if ref_at < len(raw) else None
        values = {k: "" for k in keys} | {"rag": "Check", "problems": text}
        block.append(["" if key is None else key] + [values[k] for k in keys])
    return block


# --- working days: for officers' own cells ------------------------------------------------


@xw.func(category=CATEGORY)
@xw.arg("start_date", doc="The date to count from (day zero)")
@xw.arg("days", doc="Working days to add (negative to count back)")
@xw.arg("council_settings", ndim=2, doc="Optional: council_settings (bank holidays and closure days)")
def working_day(start_date, days, council_settings=None, caller=None):
    """The date a number of working days after a start date, as WORKDAY with the council's holidays."""
    try:
        settings = settings_for(council_settings, caller)
        return settings.calendar.add(_date(start_date, "Start date"), _whole(days, "Days"))
    except Exception as err:
        return message(err)


@xw.func(category=CATEGORY)
@xw.arg("start_date", doc="The first date (day zero)")
@xw.arg("end_date", doc="The second date")
@xw.arg("council_settings", ndim=2, doc="Optional: council_settings (bank holidays and closure days)")
def working_days(start_date, end_date, council_settings=None, caller=None):
    """Working days after the start date up to and including the end date: the inverse of working_day, with the council's holidays."""
    try:
        settings = settings_for(council_settings, caller)
        return settings.calendar.count(_date(start_date, "Start date"), _date(end_date, "End date"))
    except Exception as err:
        return message(err)


# --- one complaint's status: for officers' own cells ----------------------------------------


def row_status(headers, row, as_of, settings=None, caller=None, hold_sheet=None) -> dict:
    """The calculated columns for one row given with its headers (status.assess_row).

    `hold_sheet`: the Holds sheet's cells with their header row (register_holds);
    the row's own holds stop its clocks as they do in the register's grey columns.
    """
    headers, row = _flat(headers), _flat(row)
    if len(headers) != len(row):
        raise UserMessage("Give the header row and one register row of the same width")
    record = {str(h): v for h, v in zip(headers, row) if h not in (None, "")}
    try:
        return status.assess_row(record, settings_for(settings, caller), _date(as_of, "As of"), _holds_of(record, hold_sheet))
    except IndexError:
        return {key: "" for key in schema.CALCULATED_KEYS}  # an empty row


def _holds_of(record: dict, hold_sheet) -> list[dict] | None:
    """The Holds sheet's rows for this record's Reference, each {header: value} (None when there are none)."""
    cells = hold_cells(hold_sheet) if hold_sheet is not None else None
    if not cells:
        return None
    reference = next((v for k, v in record.items() if schema.normalise_header(k) == "reference"), None)
    key = _reference_key(excel_cell(reference))
    if key in (None, ""):
        return None
    headers = [("" if h is None else str(h)) for h in cells[0]]
    at = next((i for i, h in enumerate(headers) if schema.normalise_header(h) == "reference"), None)
    if at is None:
        return None
    mine = [dict(zip(headers, r)) for r in cells[1:] if at < len(r) and _reference_key(r[at]) == key]
    return mine or None


def _row_value(key: str, headers, row, as_of, settings, caller, hold_sheet=None):
    try:
        values = row_status(headers, row, as_of, settings, caller, hold_sheet)
    except Exception as err:
        return message(err)
    value = values.get(key)
    if value in (None, "") and values.get("problems"):
        return values["problems"]
    return "" if value is None else value


_ROW_DOCS = {
    "headers": "The register's header row: Complaints[[#Headers],[Reference]:[Complainant disability]]",
    "row": "One register row: Complaints[@[Reference]:[Complainant disability]]",
    "as_of": "The date to work it out on: as_of",
    "council_settings": "Optional: council_settings",
    "hold_sheet": "Optional: register_holds (the Holds sheet), so the row's holds stop its clocks",
}


def _row_function(f):
    for arg, doc in _ROW_DOCS.items():
        options = {"ndim": 1} if arg in ("headers", "row") else {"ndim": 2} if arg in ("council_settings", "hold_sheet") else {}
        f = xw.arg(arg, doc=doc, **options)(f)
    return xw.func(category=CATEGORY)(f)  # last: xw.arg would reset the category


@_row_function
def due_date(headers, row, as_of, council_settings=None, hold_sheet=None, caller=None):
    """When the complaint's current step is due (with extensions and time on hold)."""
    return _row_value("due_date", headers, row, as_of, council_settings, caller, hold_sheet)


@_row_function
def rag(headers, row, as_of, council_settings=None, hold_sheet=None, caller=None):
    """Red, Amber, Green, Met, Late, On hold, Closed, Withdrawn or Check."""
    return _row_value("rag", headers, row, as_of, council_settings, caller, hold_sheet)


@_row_function
def can_escalate(headers, row, as_of, council_settings=None, hold_sheet=None, caller=None):
    """Whether the complainant may still take the complaint further, and where."""
    return _row_value("can_escalate", headers, row, as_of, council_settings, caller, hold_sheet)


@_row_function
def escalate_by(headers, row, as_of, council_settings=None, hold_sheet=None, caller=None):
    """The last day the complainant may ask for the next stage (or the Ombudsman)."""
    return _row_value("escalate_by", headers, row, as_of, council_settings, caller, hold_sheet)


@_row_function
def next_action(headers, row, as_of, council_settings=None, hold_sheet=None, caller=None):
    """What to do next on the complaint, and by when."""
    return _row_value("next_action", headers, row, as_of, council_settings, caller, hold_sheet)


# --- the buttons ----------------------------------------------------------------------------


@xw.sub
def refresh_register():
    """Refresh button: As-of date to today, the Holidays sheet rewritten, the grey columns live."""
    session = ExcelSession(xw.Book.caller())
    session.run("Refresh", lambda: refresh(session, as_of_or_today()))


@xw.sub
def generate_letters():
    """Generate letter button: the letter for each selected register row, logged on Correspondence."""
    session = ExcelSession(xw.Book.caller())
    session.run("Generate letter", lambda: make_letters(session, as_of_or_today()))


def refresh(session, today: dt.date) -> str:
    """What the Refresh button does, through a session on the open workbook."""
    settings, problems = settings_from_rows(_rows(session.settings_rows()))
    previous = session.pause_calculation()  # one recalculation at the end, not one per write
    try:
        session.set_as_of(today)
        holidays = holiday_rows(settings, today)
        session.write_holidays(holidays)
        if not session.block_is_live():
            session.make_block_live()
    finally:
        session.resume_calculation(previous)
    session.recalculate()
    text = f"Refreshed as of {short_date(today)}: {len(holidays)} bank holidays and closure days listed."
    if problems:
        text += "\n\nThese settings could not be used (their defaults were kept):\n" + "\n".join(problems)
        session.tell(text, "Refresh")
    else:
        session.status(text)
    return text


def rows_in_address(address: str) -> list[int]:
    """Sheet rows covered by an address such as '$A$4:$C$6,$B$9' or 'Register!$4:$5'."""
    rows: list[int] = []
    for part in address.split(","):
        part = part.split("!")[-1].replace("$", "")
        numbers = [int(n) for n in re.findall(r"\d+", part)]
        if not numbers:
            continue
        first, last = numbers[0], numbers[-1]
        for r in range(min(first, last), max(first, last) + 1):
            if r not in rows:
                rows.append(r)
    return rows


def letters_folder(settings: Settings, workbook_path: str | Path | None) -> Path:
    """The Settings sheet's letters folder; a relative one is beside the workbook."""
    folder = Path(os.path.expandvars(settings.letters_folder or "Letters"))
    if folder.is_absolute():
        return folder
    text = str(workbook_path or "")
    if re.match(r"^[a-z][a-z0-9+.-]+:/", text, re.I):
        raise UserMessage(
            "The register is open from a web address (OneDrive or SharePoint), so the letters folder cannot be placed "
            "beside it: put a full folder path, such as C:\\Complaints\\Letters, in 'Letters folder' on the Settings sheet."
        )
    if not (PureWindowsPath(text).is_absolute() or PurePosixPath(text).is_absolute()):
        raise UserMessage("Save the register in a folder first: the letters are saved beside it.")
    return Path(workbook_path).parent / folder


def letters_for_rows(letters, table, rows: list[int], settings: Settings, day: dt.date, choice: str, holds=None) -> tuple[dict, list[int]]:
    """{letter type: [rows]} for the selected rows; and the rows no letter is due for.

    'Next letter due' picks, for each row, the first letter whose --due rule
    (letters.due_rows) selects it; any other choice is that letter for every row.
    """
    if choice and choice.strip().lower() != NEXT_LETTER.lower():
        return {letters.letter_type(choice): list(rows)}, []
    plan: dict = {}
    left = list(rows)
    sub = table.loc[rows]
    for letter in letters.LETTER_TYPES:
        if not left:
            break
        try:
            due = set(letters.due_rows(sub.loc[left], settings, letter, day, holds))
        except letters.LetterError:
            continue  # letters sent only when the officer decides (closure)
        chosen = [r for r in left if r in due]
        if chosen:
            plan[letter] = chosen
            left = [r for r in left if r not in due]
    return plan, left


def make_letters(session, today: dt.date) -> str:
    """What the Generate letter button does, through a session on the open workbook."""
    selected = session.selected_rows()
    if not selected:
        raise UserMessage("Select the complaint's row (or several rows) on the Register sheet, then press Generate letter.")
    headers, cells, first_row = session.register_cells()
    validated = validate(headers, cells, sheet=REGISTER, first_row=first_row)
    holds = hold_cells(session.hold_cells())
    if holds:  # the Holds sheet, as the letters command reads it
        validated.holds, _ = validate_holds(list(holds[0]), [list(r) for r in holds[1:]])
    rows = [r for r in selected if r in validated.table.index]
    if not rows:
        raise UserMessage("The selected rows hold no complaints: select rows of the register, then press Generate letter.")
    if len(rows) > CONFIRM_LETTERS_OVER and not session.confirm(f"Make letters for {len(rows)} rows?", "Generate letter"):
        return "Cancelled."
    try:
        letters = importlib.import_module("xl_complaints.letters")
    except ImportError:
        raise UserMessage("Letters are not installed with this copy of xl-complaints.") from None
    settings, _ = settings_from_rows(_rows(session.settings_rows()))
    folder = letters_folder(settings, session.workbook_path())
    plan, nothing_due = letters_for_rows(letters, validated.table, rows, settings, today, session.letter_choice(), validated.holds)

    # the Actions sheet, for the letters that list the complaint's agreed actions (as the letters command reads it)
    agreed = learning.validate(learning.sheets_from_cells(session.learning_cells()), validated.table)
    written, refused = [], []
    for letter, letter_rows in plan.items():
        refs = [str(validated.table.at[r, "reference"]) for r in letter_rows]
        result = letters.generate_for_rows(validated, refs, letter, settings, folder, today, learning=agreed)
        written += result.written
        refused += [str(r) for r in result.refused]
    if written:
        session.append_correspondence([[w.reference, w.date, w.letter_type, str(w.path)] for w in written])
        paths = [w.path for w in written]
        session.open_files(paths if len(paths) <= MAX_LETTERS_OPENED else [folder])

    lines = [f"{len(written)} letter{'s' if len(written) != 1 else ''} written to {folder} and logged on the {CORRESPONDENCE} sheet."]
    for w in written:
        lines.append(f"  {w.reference}: {w.letter_type}" + ("; complete the yellow sections before sending" if w.to_complete else ""))
        for header, day in (w.records or {}).items():
            lines.append(f"    once sent, fill in '{header}': {day:%d/%m/%Y}")
    if refused:
        lines.append("Not written:")
        lines += [f"  {r}" for r in refused]
    for r in nothing_due:
        reference = validated.table.at[r, "reference"] or f"row {r}"
        lines.append(f"  {reference}: no letter is due now; choose the letter in the box beside the buttons.")
    text = "\n".join(lines)
    session.tell(text, "Generate letter")
    return text


# --- the open workbook, through xlwings -------------------------------------------------------


_as_text = formula_safe  # text Excel would take for a formula or a number gets a leading apostrophe


class ExcelSession:
    """The few things the buttons do to the open workbook, through xlwings (never its file)."""

    def __init__(self, book):
        self.book = book

    def run(self, title: str, action) -> None:
        try:
            action()
        except Exception as err:  # an officer sees a sentence, never a traceback
            self.tell(message(err), title)

    def tell(self, text: str, title: str) -> None:
        self.book.app.alert(text, title=title)

    def confirm(self, text: str, title: str) -> bool:
        return self.book.app.alert(text, title=title, buttons="ok_cancel") == "ok"

    def status(self, text: str) -> None:
        self.book.app.status_bar = text

    def pause_calculation(self) -> str:
        previous = self.book.app.calculation
        self.book.app.calculation = "manual"
        return previous

    def resume_calculation(self, previous: str) -> None:
        self.book.app.calculation = previous or "automatic"

    def recalculate(self) -> None:
        self.book.app.calculate()

    def settings_rows(self):
        return self.book.sheets[SETTINGS].range(SETTINGS_RANGE.replace("$", "")).value

    def set_as_of(self, day: dt.date) -> None:
        self.book.names[AS_OF].refers_to_range.value = day

    def write_holidays(self, rows) -> None:
        sheet = self.book.sheets[HOLIDAYS]
        sheet.range("A2:C2000").clear_contents()
        if rows:
            sheet.range("A2").value = [[day, weekday, _as_text(name)] for day, weekday, name in rows]
            sheet.range((2, 1), (len(rows) + 1, 1)).number_format = "dd/mm/yyyy"

    def block_is_live(self) -> bool:
        formula = self.book.sheets[CALCULATED].range(f"A{FIRST_ROW}").formula_array or ""
        return "register_status(" in formula.replace(" ", "").lower()

    def make_block_live(self) -> None:
        block = self.book.sheets[CALCULATED].range(CALC_BLOCK)
        block.clear_contents()
        block.formula_array = LIVE_FORMULA

    def register_cells(self):
        table = self.book.sheets[REGISTER].tables[TABLE]
        values = table.range.options(ndim=2).value
        return values[0], values[1:], table.range.row + 1

    def selected_rows(self) -> list[int]:
        selection = self.book.app.selection
        if selection is None or selection.sheet.name != REGISTER:
            return []
        address = selection.address
        if selection.count > 1:  # on one cell, SpecialCells would answer for the whole sheet
            try:
                address = selection.api.SpecialCells(12).Address  # visible cells only: filtered rows are left out
            except Exception:
                pass
        return rows_in_address(address)

    def hold_cells(self):
        """The Holds sheet's cells (header row first, through register_holds), or None for a register made before it."""
        try:
            where = self.book.names[HOLDS_NAME].refers_to_range
        except Exception:  # no such name: an older register, whose holds are on the Register sheet
            return None
        return where.options(ndim=2).value

    def learning_cells(self) -> dict[str, list[list]]:
        """The Actions, Remedies and Ombudsman cases sheets' cells from A1 (the sheets the workbook has)."""
        names = {schema.normalise_header(s.name): s for s in self.book.sheets}
        found = {}
        for sheet in learning.SHEETS:
            if schema.normalise_header(sheet) in names:
                used = names[schema.normalise_header(sheet)].used_range
                found[sheet] = [[None] * (used.column - 1) + list(r) for r in ([[None]] * (used.row - 1) + used.options(ndim=2).value)]
        return found

    def letter_choice(self) -> str:
        value = self.book.names[LETTER_CHOICE].refers_to_range.value
        return str(value or NEXT_LETTER)

    def workbook_path(self) -> str | None:
        try:
            return self.book.fullname  # a web address when xlwings cannot find the synced folder
        except Exception:
            return None

    def append_correspondence(self, rows) -> None:
        sheet = self.book.sheets[CORRESPONDENCE]
        last = sheet.range("A1048576").end("up").row
        target = sheet.range((last + 1, 1))
        target.value = [[_as_text(v) for v in row] for row in rows]
        sheet.range((last + 1, 2), (last + len(rows), 2)).number_format = "dd/mm/yyyy"

    def open_files(self, paths) -> None:
        if sys.platform.startswith("win"):
            for path in paths:
                os.startfile(str(path))  # noqa: S606 - opens the letter in Word, as the officer asked
