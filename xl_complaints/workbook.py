"""The register workbook, Complaints_Register.xlsm, built from code.

The workbook is never committed as a binary: `build` writes it with XlsxWriter
from the schema, the settings and the status engine, and takes its VBA project
from the installed xlwings package, so the VBA always matches the xlwings
version that will answer its calls (a mismatch is the commonest failure).

The calculated columns are designed around the cost of a call into Python
(several milliseconds each): the register's calculated columns hold only
native INDEX/MATCH formulas, which pick their row, by its Reference, out of a
block on the hidden Calculated sheet. That block is either plain values
(written here, and by `xl-complaints refresh`) or one array formula calling
`udfs.register_status` over the whole register: one Python call per
recalculation, however many rows. docs/excel.md has the numbers.

This module also knows where things live in the workbook (the As-of cell, the
Holidays sheet, the block), so the batch refresh edits an existing register
through `apply_refresh`.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from . import schema, status
from .register import RegisterError, validate
from .schema import Column, Kind
from .settings import Settings, settings_to_rows

# --- where things are ----------------------------------------------------------

REGISTER = "Register"
DASHBOARD = "Dashboard"
CORRESPONDENCE = "Correspondence"
HOLDS = "Holds"  # several holds per complaint (docs/rules.md)
SETTINGS = "Settings"
HOLIDAYS = "Holidays"
LISTS = "Lists"
CALCULATED = "Calculated"
CONFIG = "xlwings.conf"  # the name xlwings' VBA looks for (the template's '_xlwings.conf' is inactive)
SHEETS = (REGISTER, DASHBOARD, CORRESPONDENCE, HOLDS, SETTINGS, HOLIDAYS, LISTS, CALCULATED, CONFIG)

TABLE = "Complaints"  # the Excel Table holding the register
HEADER_ROW = 3  # sheet row of the register's header (rows 1-2: title, As-of date, buttons)
FIRST_ROW = HEADER_ROW + 1
CAPACITY = 20_000  # rows prepared for dropdowns, formats and the calculated block
AS_OF = "as_of"  # defined name of the As-of cell
AS_OF_CELL = (1, 1)  # B2, zero-based (row, col)
LETTER_CHOICE = "letter_choice"  # defined name of the Generate letter dropdown (D2)
LETTER_CHOICE_CELL = (1, 3)
NEXT_LETTER = "Next letter due"
SETTINGS_RANGE = "$A$1:$B$300"
HOLIDAY_YEARS_BEFORE, HOLIDAY_YEARS_AFTER = 1, 2

FIRST_INPUT, LAST_INPUT = schema.INPUT_COLUMNS[0].header, schema.INPUT_COLUMNS[-1].header
CALC_HEADERS = ("Reference",) + tuple(c.header for c in schema.CALCULATED_COLUMNS)
CALC_LAST_ROW = FIRST_ROW + CAPACITY - 1
CALC_BLOCK = f"A{FIRST_ROW}:{chr(ord('A') + len(CALC_HEADERS) - 1)}{CALC_LAST_ROW}"

EMPTY_TEXT = '=""'  # how the block holds "nothing" (see _calculated_sheet)
HINT = (
    "Type in the blue-headed columns; the grey ones are worked out from them as of the date on the left "
    "(Refresh brings them up to date). To write letters, select rows and press Generate letter."
)

# The array formula that makes the block live (installed by the Refresh macro).
LIVE_FORMULA = "=register_status(register_inputs,council_settings,as_of)"


def list_name(column: Column) -> str:
    """The defined name of a column's dropdown list."""
    return "list_yes_no" if column.kind is Kind.YESNO else f"list_{column.key}"


def calc_name(key: str) -> str:
    """The defined name of one column of the calculated block ('calc_keys' for the references)."""
    return f"calc_{key}"


CALC_NAMES = ("calc_keys",) + tuple(calc_name(k) for k in schema.CALCULATED_KEYS)


@dataclass(frozen=True)
class Button:
    caption: str
    macro: str
    # "vba": a macro already in the workbook's VBA project (xlwings' own module);
    # "sub": an @xw.sub in xl_complaints.udfs, made a macro by Enable live formulas.
    source: str
    width: int


BUTTONS = (
    Button("Generate letter", "generate_letters", "sub", 130),
    Button("Refresh", "refresh_register", "sub", 90),
    Button("Enable live formulas", "ImportPythonUDFs", "vba", 150),
)

# --- the xlwings configuration sheet ------------------------------------------------
# Every key the xlwings VBA module reads (GetConfig), with a value it can use: a key
# missing from the sheet makes xlwings look in files on every call, and a key present
# but empty is read as "" (not as the default), so booleans are spelt out.

DEFAULT_INTERPRETER = r"%LOCALAPPDATA%\xl-complaints\venv\Scripts\pythonw.exe"
XLWINGS_CONFIG: tuple[tuple[str, str, str], ...] = (
    ("Interpreter_Win", DEFAULT_INTERPRETER, "Full path of pythonw.exe where xl-complaints is installed (docs/install-windows.md)"),
    ("Interpreter_Mac", "", "Not used: the register runs on Windows"),
    ("Interpreter", "pythonw", "Only read when Interpreter_Win is empty"),
    ("UDF Modules", "xl_complaints.udfs", "The Python module whose functions 'Enable live formulas' imports"),
    ("PYTHONPATH", "", "Leave empty: xl-complaints is installed, not kept beside the workbook"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", "False", "False: no code is kept beside the workbook, and OneDrive web paths never reach Python's start-up"),
    ("Conda Path", "", "Leave empty: use Python from python.org, not Conda"),
    ("Conda Env", "", "Leave empty"),
    ("Debug UDFs", "False", "True only when a developer runs the functions from an editor"),
    ("Use UDF Server", "False", "Keep False"),
    ("Show Console", "False", "True shows a black window while Python works (for finding faults)"),
    ("SHOW_ERROR_POPUPS", "True", "Show Python's errors in a message box"),
    ("TEMP DIR", "%TEMP%", "Where xlwings writes its short-lived log files"),
    ("LICENSE_KEY", "", "Leave empty: the register uses only free xlwings features"),
    ("ONEDRIVE_CONSUMER_WIN", "", "Only for a register on personal OneDrive whose folder is not found"),
    ("ONEDRIVE_COMMERCIAL_WIN", "", "Only for a register on OneDrive for Business whose folder is not found, e.g. %OneDriveCommercial%"),
    ("SHAREPOINT_WIN", "", "Only for a register in a synced SharePoint library"),
    ("ONEDRIVE_CONSUMER_MAC", "", "Not used"),
    ("ONEDRIVE_COMMERCIAL_MAC", "", "Not used"),
    ("SHAREPOINT_MAC", "", "Not used"),
)

# The document modules in the xlwings template's VBA project: sheets given these
# code names match a module; the workbook itself is 'ThisWorkbook'.
DOCUMENT_MODULES = ("Sheet1", "Sheet2")

CALCULATED_NOTES = {
    "stage": "Worked out from the dates: the stage the complaint is at. Do not type here.",
    "milestone": "The step the complaint is waiting for (or the last one done).",
    "due_date": "When that step is due: working days from the rulebook, with extensions and time on hold.",
    "working_days_left": "Working days from the As-of date to the due date; negative when overdue.",
    "rag": "Red: overdue. Amber: due within the Amber threshold on the Settings sheet. Green: in time.",
    "can_escalate": "Whether the complainant may still ask for the next stage (or the Ombudsman).",
    "escalate_by": "The last day they may ask.",
    "next_action": "What to do next, and by when.",
    "eligibility": "Checks of the route: statutory or corporate, consent, the 12-month limit.",
    "problems": "What is wrong with the row. Correct the white columns and press Refresh.",
}

INPUT_FILL, CALC_FILL, PERSONAL_FILL = "#1F4E78", "#595959", "#4B2C6B"
CALC_BODY = "#EDEDED"
RAG_STYLES = {  # value: (fill, font colour)
    "Red": ("#FFC7CE", "#9C0006"),
    "Amber": ("#FFEB9C", "#9C5700"),
    "Green": ("#C6EFCE", "#006100"),
    "Met": ("#DDEBF7", "#1F4E78"),
    "Late": ("#F8CBAD", "#833C0B"),
    "On hold": ("#D9D9D9", "#262626"),
    "Closed": ("#F2F2F2", "#7F7F7F"),
    "Withdrawn": ("#F2F2F2", "#7F7F7F"),
    "Check": ("#E4DFEC", "#5B2C83"),
}
DATE_FORMAT = "dd/mm/yyyy"


# --- the VBA project ---------------------------------------------------------------


def xlwings_template() -> Path:
    """xlwings' standalone quickstart workbook inside the installed package."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise RuntimeError("xlwings is not installed: run 'pip install xl-complaints' again.")
    return Path(spec.origin).parent / "quickstart_standalone.xlsm"


def vba_project_bytes() -> bytes:
    """The VBA project (vbaProject.bin) of the installed xlwings' standalone workbook."""
    with zipfile.ZipFile(xlwings_template()) as template:
        return template.read("xl/vbaProject.bin")


def installed_xlwings_version() -> str:
    from importlib.metadata import version

    return version("xlwings")


# --- the calculated block: what the Calculated sheet holds ---------------------------


def calculated_block(headers: Sequence, rows: Sequence[Sequence], settings: Settings, as_of: dt.date, first_row: int = FIRST_ROW) -> list[list]:
    """One row per register row: its Reference as typed, then the calculated columns.

    The same function fills the block whether the values are written into the
    file (init, refresh) or returned by the live array formula (udfs), so the
    register shows the same thing either way. Empty results are '' (an empty
    cell would read as 0 through INDEX).
    """
    rows = [list(r) for r in rows]
    validated = validate(list(headers), rows, sheet=REGISTER, first_row=first_row)
    assessed = status.assess(validated.table, settings, as_of, validated.row_problems())
    ref_at = reference_position(headers)
    columns = [cell_values(assessed[key]) for key in schema.CALCULATED_KEYS]
    position = assessed.index.get_indexer(range(first_row, first_row + len(rows)))
    block = []
    for offset, raw in enumerate(rows):
        key = raw[ref_at] if ref_at < len(raw) else None
        key = "" if key is None else key  # exactly as typed: the register's formulas compare it with '='
        at = position[offset]
        block.append([key] + ([col[at] for col in columns] if at >= 0 else [""] * len(columns)))
    return block


def reference_position(headers: Sequence) -> int:
    wanted = schema.normalise_header("Reference")
    for i, header in enumerate(headers):
        if schema.normalise_header(header) == wanted:
            return i
    raise RegisterError(f"The {REGISTER} sheet has no 'Reference' column in its header row.")


def cell_values(series: pd.Series) -> list:
    """A calculated column as plain Python values Excel can hold ('' for nothing)."""
    values = series.to_numpy()
    if np.issubdtype(values.dtype, np.datetime64):
        days = values.astype("datetime64[D]")
        return ["" if np.isnat(d) else d.astype(dt.date) for d in days]
    if np.issubdtype(values.dtype, np.floating):
        return ["" if np.isnan(v) else float(v) for v in values]
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in values]


def holiday_rows(settings: Settings, as_of: dt.date) -> list[tuple[dt.date, str, str]]:
    """(date, weekday, name) for last year to the year after next: what the Holidays sheet lists."""
    first = dt.date(as_of.year - HOLIDAY_YEARS_BEFORE, 1, 1)
    last = dt.date(as_of.year + HOLIDAY_YEARS_AFTER, 12, 31)
    return [(day, f"{day:%A}", name) for day, name in settings.calendar.holidays_between(first, last)]


def register_formula(key: str) -> str:
    """A calculated column's formula: its row's value out of the block, by position, else by Reference.

    The position is checked against the Reference first, so a sorted register,
    a stale block or duplicate references never show another row's values.
    """
    ref = f"{TABLE}[[#This Row],[Reference]]"
    pos = f"ROW()-ROW({TABLE}[[#Headers],[Reference]])"
    col = calc_name(key)
    return (
        f"=IFERROR(IF(INDEX(calc_keys,{pos})={ref},INDEX({col},{pos}),"
        f'IF({ref}="","",INDEX({col},MATCH({ref},calc_keys,0)))),"")'
    )


# --- building the workbook -----------------------------------------------------------


def build(
    path: str | Path,
    records: Iterable[dict] = (),
    settings: Settings | None = None,
    as_of: dt.date | None = None,
) -> Path:
    """Write a new register to `path` (overwriting it: callers check first).

    `records` are rows keyed by header (what `sample.generate` returns). The
    output depends only on the arguments, so two builds are byte-identical.
    """
    import xlsxwriter

    path = Path(path)
    settings = settings or Settings()
    as_of = as_of or dt.date.today()
    records = list(records)
    raw_rows = [record_row(r) for r in records]
    input_headers = [c.header for c in schema.INPUT_COLUMNS]
    block = calculated_block(input_headers, raw_rows, settings, as_of) if raw_rows else []

    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    stamp = dt.datetime.combine(as_of, dt.time())
    book.set_properties({
        "title": "Complaints register",
        "subject": "Children's social care complaints",
        "author": "xl-complaints",
        "company": settings.council_name,
        "created": stamp,
        "comments": f"Built by xl-complaints with the VBA of xlwings {installed_xlwings_version()}",
    })
    book.set_custom_property("xlwings version", installed_xlwings_version())
    book.add_vba_project(io.BytesIO(vba_project_bytes()), is_stream=True)
    book.set_vba_name("ThisWorkbook")
    f = _Formats(book)

    sheets = {name: book.add_worksheet(name) for name in SHEETS}
    sheets[REGISTER].set_vba_name(DOCUMENT_MODULES[0])
    sheets[DASHBOARD].set_vba_name(DOCUMENT_MODULES[1])

    _lists_sheet(book, sheets[LISTS], f)
    _register_sheet(book, sheets[REGISTER], f, raw_rows, block, as_of)
    _calculated_sheet(book, sheets[CALCULATED], f, block)
    _settings_sheet(book, sheets[SETTINGS], f, settings)
    _holidays_sheet(sheets[HOLIDAYS], f, settings, as_of)
    _correspondence_sheet(sheets[CORRESPONDENCE], f)
    _holds_sheet(sheets[HOLDS], f)
    _dashboard_sheet(sheets[DASHBOARD], f)
    _config_sheet(sheets[CONFIG], f)
    sheets[REGISTER].activate()
    book.close()
    return path


def record_row(record: dict) -> list:
    """A record keyed by header (or key) as a row of cells in input-column order."""
    by_key = {}
    for name, value in record.items():
        try:
            by_key[schema.column(str(name)).key] = value
        except KeyError:
            continue  # columns the schema does not know are not written
    return [by_key.get(c.key) for c in schema.INPUT_COLUMNS]


class _Formats:
    def __init__(self, book):
        add = book.add_format
        base = {"font_name": "Calibri", "font_size": 11}
        header = {**base, "bold": True, "font_color": "#FFFFFF", "text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"}
        self.header_input = add({**header, "bg_color": INPUT_FILL})
        self.header_personal = add({**header, "bg_color": PERSONAL_FILL})
        self.header_calc = add({**header, "bg_color": CALC_FILL, "italic": True})
        self.text = add({**base})
        self.date = add({**base, "num_format": DATE_FORMAT})
        self.calc_text = add({**base, "bg_color": CALC_BODY, "font_color": "#262626"})
        self.calc_date = add({**base, "bg_color": CALC_BODY, "num_format": DATE_FORMAT})
        self.calc_number = add({**base, "bg_color": CALC_BODY, "num_format": "0;-0;0"})
        self.title = add({**base, "bold": True, "font_size": 16, "font_color": INPUT_FILL})
        self.subtitle = add({**base, "bold": True, "font_size": 12, "font_color": INPUT_FILL})
        self.label = add({**base, "bold": True, "align": "right"})
        self.as_of = add({**base, "bold": True, "num_format": DATE_FORMAT, "bg_color": "#FFF2CC", "border": 1, "border_color": "#BF9000", "align": "center"})
        self.hint = add({**base, "italic": True, "font_color": "#595959"})
        self.choice = add({**base, "bold": True, "bg_color": "#FFF2CC", "border": 1, "border_color": "#BF9000"})
        self.plain_header = add({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "border_color": "#BFBFBF", "text_wrap": True, "valign": "top"})
        self.count = add({**base, "align": "center", "border": 1, "border_color": "#D9D9D9"})
        self.total = add({**base, "bold": True, "align": "center", "border": 1, "border_color": "#D9D9D9", "bg_color": "#F2F2F2"})
        self.rag = {value: add({**base, "bg_color": fill, "font_color": font}) for value, (fill, font) in RAG_STYLES.items()}
        self.rag_label = {value: add({**base, "bold": True, "bg_color": fill, "font_color": font, "border": 1, "border_color": "#D9D9D9"}) for value, (fill, font) in RAG_STYLES.items()}


def write_cell(sheet, row: int, col: int, value, fmt=None, date_fmt=None) -> None:
    """Write a value as what it is: text is always text, never a formula or a number."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        if fmt is not None:
            sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, (dt.date, dt.datetime)):
        sheet.write_datetime(row, col, value, date_fmt or fmt)
    elif isinstance(value, bool):
        sheet.write_string(row, col, "Yes" if value else "No", fmt)
    elif isinstance(value, (int, float, np.integer, np.floating)):
        sheet.write_number(row, col, float(value), fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def _width(column: Column) -> float:
    if column.key in ("next_action", "eligibility", "problems"):
        return 48
    if column.kind is Kind.DATE:
        return 12
    if column.kind is Kind.YESNO:
        return 10
    if column.kind is Kind.REFERENCE:
        return 15
    return 20


def letter_titles() -> tuple[str, ...]:
    """The Generate letter dropdown: the next letter due, or a letter chosen by name."""
    try:
        from .letters import LETTER_TYPES
    except ImportError:  # letters not installed: the button can still pick the letter due
        return (NEXT_LETTER,)
    return (NEXT_LETTER,) + tuple(letter.title for letter in LETTER_TYPES)


def _lists_sheet(book, sheet, f: _Formats) -> None:
    lists = [("Yes/No", "list_yes_no", schema.YN), ("Letter", "list_letters", letter_titles())]
    lists += [(c.header, list_name(c), c.values) for c in schema.INPUT_COLUMNS if c.kind is Kind.CATEGORY]
    for col, (header, name, values) in enumerate(lists):
        sheet.write_string(0, col, header, f.plain_header)
        for row, value in enumerate(values, start=1):
            sheet.write_string(row, col, value)
        sheet.set_column(col, col, max(12, min(40, max(len(v) for v in values) + 2)))
        letter = _letter(col)
        book.define_name(name, f"={LISTS}!${letter}$2:${letter}${len(values) + 1}")
    sheet.freeze_panes(1, 0)
    sheet.set_tab_color("#A6A6A6")


def _register_sheet(book, sheet, f: _Formats, raw_rows, block, as_of) -> None:
    # Ten formulas repeated on every row: XlsxWriter re-parses each one (30-odd regular
    # expressions), which for 5,000 rows takes half a minute; the parse depends only on
    # the text, so remember it. If XlsxWriter renames the method this is merely slower.
    if hasattr(sheet, "_prepare_formula"):
        sheet._prepare_formula = functools.lru_cache(maxsize=64)(sheet._prepare_formula)
    columns = schema.COLUMNS
    n = max(1, len(raw_rows))
    last_col = len(columns) - 1
    top, bottom = HEADER_ROW - 1, HEADER_ROW - 1 + n  # zero-based header and last data row

    sheet.write_string(0, 0, "Complaints register", f.title)
    sheet.write_string(AS_OF_CELL[0], AS_OF_CELL[1] - 1, "As of", f.label)
    sheet.write_datetime(AS_OF_CELL[0], AS_OF_CELL[1], dt.datetime.combine(as_of, dt.time()), f.as_of)
    book.define_name(AS_OF, f"={REGISTER}!${_letter(AS_OF_CELL[1])}${AS_OF_CELL[0] + 1}")
    row, col = LETTER_CHOICE_CELL
    sheet.write_string(row, col - 1, "Letter to write", f.label)
    sheet.write_string(row, col, NEXT_LETTER, f.choice)
    sheet.data_validation(row, col, row, col, {"validate": "list", "source": "=list_letters", "error_message": "Choose a letter from the list."})
    book.define_name(LETTER_CHOICE, f"={REGISTER}!${_letter(col)}${row + 1}")
    # The notice line: how to use the sheet, or why the grey columns are empty. A
    # failure that reaches no row (Python not found, a wrong xlwings version) fills
    # the whole block with one message, so the first key and first stage agree.
    notice = (
        f'=IF(AND(INDEX(calc_keys,1)<>"",INDEX(calc_keys,1)=INDEX(calc_stage,1)),'
        f'"The grey columns could not be worked out: "&INDEX(calc_keys,1),"{HINT}")'
    )
    sheet.write_formula(row, col + 1, notice, f.hint, HINT)
    sheet.conditional_format(row, col + 1, row, col + 1, {
        "type": "text", "criteria": "begins with", "value": "The grey columns could not", "format": f.rag["Red"],
    })
    sheet.set_row(0, 30)
    x = 0
    for button in BUTTONS:
        sheet.insert_button(0, 3, {
            "macro": button.macro, "caption": button.caption, "width": button.width, "height": 26,
            "x_offset": 40 + x, "y_offset": 2, "description": button.caption,
        })
        x += button.width + 10

    table_columns = []
    for c in columns:
        spec = {"header": c.header, "header_format": _header_format(f, c)}
        if c.calculated:
            spec["formula"] = register_formula(c.key)
            spec["format"] = _calc_format(f, c)
        elif c.kind is Kind.DATE:
            spec["format"] = f.date
        table_columns.append(spec)
    sheet.add_table(top, 0, bottom, last_col, {
        "name": TABLE, "columns": table_columns, "style": "Table Style Light 1", "autofilter": True,
    })
    book.define_name("register_inputs", f"={TABLE}[[#All],[{FIRST_INPUT}]:[{LAST_INPUT}]]")

    for offset, raw in enumerate(raw_rows):
        row = top + 1 + offset
        for col, value in enumerate(raw):
            write_cell(sheet, row, col, value, f.date if schema.INPUT_COLUMNS[col].kind is Kind.DATE else None)
        for j, c in enumerate(schema.CALCULATED_COLUMNS):
            col = len(schema.INPUT_COLUMNS) + j
            sheet.write_formula(row, col, register_formula(c.key), _calc_format(f, c), _cached(block[offset][j + 1]))

    for col, c in enumerate(columns):
        sheet.set_column(col, col, _width(c))
        if c.note or c.calculated:
            note = c.note or CALCULATED_NOTES[c.key]
            if c.personal:
                note += "\nPersonal data: never copy it into emails, reports or statistics."
            sheet.write_comment(top, col, note, {"author": "xl-complaints", "x_scale": 2.2, "y_scale": 1.1})
        elif c.personal:
            sheet.write_comment(top, col, "Personal data: never copy it into emails, reports or statistics.", {"author": "xl-complaints", "x_scale": 2.2, "y_scale": 0.8})
    sheet.set_row(top, 45)

    first, last = FIRST_ROW - 1, CALC_LAST_ROW - 1
    for col, c in enumerate(schema.INPUT_COLUMNS):
        if c.kind in (Kind.CATEGORY, Kind.YESNO):
            sheet.data_validation(first, col, last, col, {
                "validate": "list", "source": f"={list_name(c)}",
                "error_title": c.header, "error_message": f"Choose one of the values in the list (they are on the {LISTS} sheet).",
            })
        elif c.kind is Kind.DATE:
            sheet.data_validation(first, col, last, col, {
                "validate": "date", "criteria": "between",
                "minimum": dt.date(1990, 1, 1), "maximum": dt.date(2100, 12, 31),
                "error_title": c.header, "error_message": "Type a date, for example 12/03/2024.",
            })
    rag_col = columns.index(schema.column("rag"))
    for value, fmt in f.rag.items():
        sheet.conditional_format(first, rag_col, last, rag_col, {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt})
    sheet.freeze_panes(HEADER_ROW, 1)
    sheet.set_tab_color(INPUT_FILL)


def _header_format(f: _Formats, c: Column):
    if c.calculated:
        return f.header_calc
    return f.header_personal if c.personal else f.header_input


def _calc_format(f: _Formats, c: Column):
    if c.kind is Kind.DATE:
        return f.calc_date
    if c.key == "working_days_left":
        return f.calc_number
    return f.calc_text


def _cached(value):
    """A formula's stored result in the form XlsxWriter writes (dates as serial numbers)."""
    if isinstance(value, dt.date):
        return (value - dt.date(1899, 12, 30)).days
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _calculated_sheet(book, sheet, f: _Formats, block) -> None:
    sheet.write_string(0, 0, "Worked out by xl-complaints for the grey columns of the Register. Do not type here: Refresh rewrites this sheet.", f.hint)
    for col, header in enumerate(CALC_HEADERS):
        sheet.write_string(HEADER_ROW - 1, col, header, f.plain_header)
        letter = _letter(col)
        name = "calc_keys" if col == 0 else calc_name(schema.CALCULATED_KEYS[col - 1])
        book.define_name(name, f"={CALCULATED}!${letter}${FIRST_ROW}:${letter}${CALC_LAST_ROW}")
    for offset, values in enumerate(block):
        for col, value in enumerate(values):
            if value == "":
                # Not an empty cell, which INDEX reads as 0 (a date of 00/01/1900), and not a
                # stored empty text, which some spreadsheet programs drop: a formula giving "".
                sheet.write_formula(FIRST_ROW - 1 + offset, col, EMPTY_TEXT, None, "")
            else:
                write_cell(sheet, FIRST_ROW - 1 + offset, col, value, date_fmt=f.date)
    sheet.set_column(0, len(CALC_HEADERS) - 1, 16)
    sheet.hide()


def _settings_sheet(book, sheet, f: _Formats, settings: Settings) -> None:
    for col, header in enumerate(("Setting", "Value", "Notes")):
        sheet.write_string(0, col, header, f.plain_header)
    for row, (label, value, help_text) in enumerate(settings_to_rows(settings), start=1):
        sheet.write_string(row, 0, label)
        write_cell(sheet, row, 1, value, f.text, f.date)
        if help_text:
            sheet.write_string(row, 2, help_text, f.hint)
        if label == "Bank holiday region":
            sheet.data_validation(row, 1, row, 1, {"validate": "list", "source": ["England and Wales", "Scotland", "Northern Ireland"]})
        elif label == "Stage 2 clock starts from":
            sheet.data_validation(row, 1, row, 1, {"validate": "list", "source": ["accepted request", "agreed statement"]})
    sheet.set_column(0, 0, 38)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 2, 70)
    sheet.freeze_panes(1, 0)
    book.define_name("council_settings", f"={SETTINGS}!{SETTINGS_RANGE}")
    sheet.set_tab_color("#BF9000")


def _holidays_sheet(sheet, f: _Formats, settings: Settings, as_of: dt.date) -> None:
    for col, header in enumerate(("Date", "Day", "Holiday")):
        sheet.write_string(0, col, header, f.plain_header)
    for row, (day, weekday, name) in enumerate(holiday_rows(settings, as_of), start=1):
        sheet.write_datetime(row, 0, day, f.date)
        sheet.write_string(row, 1, weekday)
        sheet.write_string(row, 2, name)
    sheet.write_string(0, 4, "Days that stop the clock. Refresh rewrites this list from the bank holidays for the region and the closure days on the Settings sheet: change those there, not here.", f.hint)
    sheet.set_column(0, 1, 12)
    sheet.set_column(2, 2, 34)
    sheet.freeze_panes(1, 0)


def _correspondence_sheet(sheet, f: _Formats) -> None:
    headers = ("Reference", "Date", "Letter type", "File")
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header, f.plain_header)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 12, f.date)
    sheet.set_column(2, 2, 30)
    sheet.set_column(3, 3, 70)
    sheet.autofilter(0, 0, CAPACITY, len(headers) - 1)
    sheet.freeze_panes(1, 0)


def _holds_sheet(sheet, f: _Formats) -> None:
    """One row per hold (Reference, Hold reason, On hold from, On hold to): as many as a complaint has had."""
    for col, c in enumerate(schema.HOLD_COLUMNS):
        sheet.write_string(0, col, c.header, f.plain_header)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 3, 14, f.date)
    sheet.data_validation(1, 1, CAPACITY, 1, {"validate": "list", "source": f"={list_name(schema.column('hold_reason'))}"})
    sheet.data_validation(1, 2, CAPACITY, 3, {"validate": "date", "criteria": "between", "minimum": dt.date(1990, 1, 1), "maximum": dt.date(2100, 12, 31),
                                              "error_message": "Type a date, for example 12/03/2024."})
    sheet.freeze_panes(1, 0)
    sheet.fit_to_pages(1, 0)  # printed: all four columns across one page


DASHBOARD_RAGS = ("Red", "Amber", "Green", "On hold", "Met", "Late", "Check")
DASHBOARD_STAGES = ("Stage 1", "Stage 2", "Stage 3", "Case concern")
LIST_LENGTH = 25  # rows in each of the Dashboard's lists


def _dashboard_sheet(sheet, f: _Formats) -> None:
    t = TABLE
    sheet.write_string(0, 0, "Complaints dashboard", f.title)
    sheet.set_row(0, 24)
    sheet.write_string(1, 0, "As of", f.label)
    sheet.write_formula(1, 1, f"={AS_OF}", f.as_of)
    sheet.write_string(1, 2, "Counts and lists follow the grey columns of the Register.", f.hint)

    sheet.write_string(3, 0, "Complaints not yet closed, by RAG and stage", f.subtitle)
    stages = DASHBOARD_STAGES + ("Other", "Total")
    sheet.write_string(4, 0, "RAG", f.plain_header)
    for j, stage in enumerate(stages, start=1):
        sheet.write_string(4, j, stage, f.plain_header)
    for i, rag in enumerate(DASHBOARD_RAGS, start=5):
        r = i + 1
        sheet.write_string(i, 0, rag, f.rag_label[rag])
        for j, stage in enumerate(DASHBOARD_STAGES, start=1):
            sheet.write_formula(i, j, f'=COUNTIFS({t}[RAG],$A{r},{t}[Stage],{_letter(j)}$5)', f.count)
        total_col = len(stages)
        sheet.write_formula(i, total_col, f"=COUNTIFS({t}[RAG],$A{r})", f.total)
        sheet.write_formula(i, total_col - 1, f"={_letter(total_col)}{r}-SUM(B{r}:{_letter(len(DASHBOARD_STAGES))}{r})", f.count)
    total_row = 5 + len(DASHBOARD_RAGS)
    sheet.write_string(total_row, 0, "Total", f.total)
    for j in range(1, len(stages) + 1):
        letter = _letter(j)
        sheet.write_formula(total_row, j, f"=SUM({letter}6:{letter}{total_row})", f.total)

    # Green and Amber rows are open and not yet overdue; Red rows have their own list.
    due_this_week = f'(({t}[RAG]="Green")+({t}[RAG]="Amber"))*({t}[Due date]<={AS_OF}+7)'
    overdue = f'({t}[RAG]="Red")'
    start = total_row + 3
    start = _dashboard_list(sheet, f, start, "Due in the next 7 days", due_this_week)
    _dashboard_list(sheet, f, start + 2, "Overdue (Red)", overdue)
    for col, width in enumerate((14, 16, 13, 24, 13, 13, 10, 60)):
        sheet.set_column(col, col, width)
    sheet.set_tab_color("#548235")


def _dashboard_list(sheet, f: _Formats, row: int, title: str, condition: str) -> int:
    """A list of register rows meeting `condition`, earliest due first, with native formulas.

    AGGREGATE(15, 6, ...) takes the k-th smallest of due date * 100000 + row,
    skipping the rows where the condition divides by zero, so no array entry
    (Ctrl+Shift+Enter) and no dynamic arrays are needed.
    """
    t = TABLE
    count_formula = f"=SUMPRODUCT(--({condition}))"
    sheet.write_string(row, 0, title, f.subtitle)
    sheet.write_formula(row, 3, count_formula, f.total)
    sheet.write_string(row, 4, "complaints", f.hint)
    headers = ("Register row", "Reference", "Stage", "Milestone", "Due date", "Working days left", "RAG", "Next action")
    for j, header in enumerate(headers):
        sheet.write_string(row + 1, j, header, f.plain_header)
    key = f"({t}[Due date]*100000+ROW({t}[Due date]))/({condition})"
    for k in range(1, LIST_LENGTH + 1):
        r = row + 1 + k
        a = f"$A{r + 1}"
        sheet.write_formula(r, 0, f'=IFERROR(MOD(_xlfn.AGGREGATE(15,6,{key},{k}),100000),"")', f.count)
        for j, column in enumerate(headers[1:], start=1):
            fmt = f.date if column == "Due date" else None
            sheet.write_formula(r, j, f'=IF({a}="","",INDEX({t}[{column}],{a}-ROW({t}[[#Headers],[Reference]])))', fmt)
    more = row + 2 + LIST_LENGTH
    sheet.write_formula(more, 1, f'=IF(D{row + 1}>{LIST_LENGTH},"... and "&(D{row + 1}-{LIST_LENGTH})&" more: filter the Register by RAG or Due date","")', f.hint)
    return more


def _config_sheet(sheet, f: _Formats) -> None:
    # Keys from A1 down, values in B, with no header row and no gap: xlwings reads until the first blank.
    for row, (key, value, note) in enumerate(XLWINGS_CONFIG):
        sheet.write_string(row, 0, key)
        if value:
            sheet.write_string(row, 1, value)
        sheet.write_string(row, 3, note, f.hint)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 60)
    sheet.set_column(3, 3, 90)
    sheet.set_tab_color("#7F7F7F")


def _letter(col: int) -> str:
    letters, col = "", col + 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- editing an existing register (openpyxl, through writeback) -----------------------


def read_register_cells(wb) -> tuple[list, list[list], int]:
    """Header and raw input rows of the register Table in an openpyxl workbook."""
    sheet = wb[REGISTER]
    table = sheet.tables.get(TABLE)
    if table is None:
        raise RegisterError(f"The {REGISTER} sheet has no table named '{TABLE}': was this register made by 'xl-complaints init'?")
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    cells = list(sheet.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True))
    headers = [c if c is not None else "" for c in cells[0]]
    return headers, [list(r) for r in cells[1:]], min_row + 1


def block_is_live(wb) -> bool:
    """Whether the Calculated sheet holds the live array formula (rather than values)."""
    from openpyxl.worksheet.formula import ArrayFormula

    cell = wb[CALCULATED].cell(FIRST_ROW, 1).value
    text = cell.text if isinstance(cell, ArrayFormula) else cell
    return isinstance(text, str) and "register_status(" in text.replace(" ", "").lower()


def apply_refresh(wb, settings: Settings, as_of: dt.date, static: bool = False) -> dict:
    """Bring an open (openpyxl) register up to date: the As-of date, the Holidays sheet, the block.

    The block is rewritten as values unless it holds the live formula (which
    Excel recalculates on opening); `static` replaces the live formula with
    values too. Returns what was done, for the command to report.
    """
    headers, rows, first_row = read_register_cells(wb)
    live = block_is_live(wb)
    done = {"as_of": as_of, "holidays": 0, "block": "kept live formula" if live and not static else "values", "rows": len(rows)}

    for dn in _destinations(wb, AS_OF):
        sheet, ref = dn
        wb[sheet][ref.replace("$", "")].value = as_of

    hol = wb[HOLIDAYS]
    for row in hol.iter_rows(min_row=2, max_row=max(hol.max_row, 2), max_col=3):
        for cell in row:
            cell.value = None
    holidays = holiday_rows(settings, as_of)
    for i, (day, weekday, name) in enumerate(holidays, start=2):
        hol.cell(i, 1, day).number_format = DATE_FORMAT
        hol.cell(i, 2, weekday)
        hol.cell(i, 3, name)
    done["holidays"] = len(holidays)

    if live and not static:
        return done
    block = calculated_block(headers, rows, settings, as_of, first_row) if rows else []
    calc = wb[CALCULATED]
    width = len(CALC_HEADERS)
    for row in calc.iter_rows(min_row=FIRST_ROW, max_row=max(calc.max_row, FIRST_ROW), max_col=width):
        for cell in row:
            cell.value = None
    for i, values in enumerate(block):
        for j, value in enumerate(values):
            cell = calc.cell(FIRST_ROW + i, j + 1)
            if value == "":
                cell.value = EMPTY_TEXT
            else:
                set_value(cell, value)
    return done


def set_value(cell, value) -> None:
    """Put a value into an openpyxl cell as what it is: text stays text even when it starts with '='."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT


def _destinations(wb, name: str):
    defined = wb.defined_names.get(name)
    if defined is None:
        raise RegisterError(f"The register has no '{name}' cell: was it made by 'xl-complaints init'?")
    return list(defined.destinations)
