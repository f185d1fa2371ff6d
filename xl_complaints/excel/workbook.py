"""The register workbook, Complaints_Register.xlsm, built from code.

`build` writes it with XlsxWriter from the schema, the settings and the status
engine, and takes its VBA project from the installed xlwings package, so the
VBA always matches the xlwings version that will answer its calls (a mismatch
is the commonest failure). The build is reproducible (no clock, no machine), so
the empty register kept in workbook/ is tested to be exactly what `init` builds.

Every formula is written with the result Excel would give it (`formula_results`),
because Protected View, the preview pane and other readers that never
recalculate show only the stored result.

The calculated columns are designed around the cost of a call into Python
(several milliseconds each): the register's calculated columns hold only
native INDEX/MATCH formulas, which pick their row, by its Reference, out of a
block on the hidden Calculated sheet. That block is either plain values
(written here, and by `xl-complaints refresh`) or one array formula calling
`udfs.register_status` over the whole register: one Python call per
recalculation, however many rows. docs/excel.md has the numbers.

This module also knows where things live in the workbook (the As-of cell, the
Holidays sheet, the block); `refresh` finds them by their defined names and
edits an existing register part by part.
"""

from __future__ import annotations

import datetime as dt
import re
import importlib.util
import io
import zipfile
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np


from ..core import schema, status
from ..core.dates import as_of_or_today, day_name, excel_serial
from ..core.register import RegisterError, guard_cell, hold_table, validate
from ..core.schema import Column, Kind
from ..core.settings import Settings, settings_to_rows
from ..files.package import cell_position, column_letters
from .excel_rules import EMPTY, _AS_IS, _Keys, _at_most, _equals_text, _number, _result, _same, _text  # noqa: F401 (Excel's rules, as workbook.* too)
from .workbook_learning import add_sheets, dashboard_places, sheets_from_records, write_dashboard
from .workbook_learning import dashboard_results as learning_results
from .xlsxwriter_seam import remember_formulas


def _letter(index: int) -> str:
    """0 -> 'A': the column letters Excel shows (XlsxWriter is imported only to build a workbook)."""
    return column_letters(index + 1)

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
LETTER_CHOICE = "letter_choice"  # defined name of the Generate letter dropdown (E2, above Next action)
LETTER_CHOICE_CELL = (1, 4)
NEXT_LETTER = "Next letter due"
SETTINGS_RANGE = "$A$1:$B$300"
HOLIDAY_YEARS_BEFORE, HOLIDAY_YEARS_AFTER = 1, 2
# The As-of date of the register kept in the repository (workbook/Complaints_Register.xlsm):
# the first day of the 2025/26 reporting year, so the committed file never depends on the day
# it was built. Refresh brings a copy up to date. Rebuild it (workbook/README.md) with
#   xl-complaints init workbook/Complaints_Register.xlsm --as-of 2025-04-01
SHIPPED_AS_OF = dt.date(2025, 4, 1)

# The Register's columns in sheet order. The input columns stay side by side, because
# register_inputs (what the live formula reads) is the one range from the first to
# the last of them and must not take in a grey column (that would be a circular reference).
#
# What an officer needs first is on the first screen: the grey Stage, RAG, Due date,
# Working days left and Next action on the left (left of Reference, because the
# inputs must stay together), then Reference and Date received, then the columns
# typed most. Personal details and the equality monitoring columns come last among
# the inputs, each in an outline group that folds away; the other grey columns follow.
FIRST_SCREEN = ("stage", "rag", "due_date", "working_days_left", "next_action")
FRONT_INPUTS = ("reference", "date_received", "representation_type", "procedure", "service", "team")
MONITORING = ("complainant_gender", "complainant_age_band", "complainant_ethnicity", "complainant_disability")
PERSONAL_GROUP = tuple(c.key for c in schema.INPUT_COLUMNS if c.personal)
GROUP_DIVIDER = "child_legal_status"  # between the two groups, so each folds on its own


def _layout() -> tuple[Column, ...]:
    by_key = schema.BY_KEY
    tail = PERSONAL_GROUP + (GROUP_DIVIDER,) + MONITORING
    middle = tuple(c.key for c in schema.INPUT_COLUMNS if c.key not in FRONT_INPUTS + tail)
    rest = tuple(k for k in schema.CALCULATED_KEYS if k not in FIRST_SCREEN)
    return tuple(by_key[k] for k in FIRST_SCREEN + FRONT_INPUTS + middle + tail + rest)


REGISTER_COLUMNS: tuple[Column, ...] = _layout()
FROZEN_COLUMNS = len(FIRST_SCREEN) + 2  # the first screen's grey columns, Reference and Date received
PRINTED_COLUMNS = len(FIRST_SCREEN) + len(FRONT_INPUTS) - 2  # up to Procedure: no personal data on paper
_inputs_at = [i for i, c in enumerate(REGISTER_COLUMNS) if not c.calculated]
assert _inputs_at == list(range(_inputs_at[0], _inputs_at[-1] + 1)), "the input columns must be side by side"
assert sorted(c.key for c in REGISTER_COLUMNS) == sorted(c.key for c in schema.COLUMNS)
FIRST_INPUT, LAST_INPUT = REGISTER_COLUMNS[_inputs_at[0]].header, REGISTER_COLUMNS[_inputs_at[-1]].header
CALC_HEADERS = ("Reference",) + tuple(c.header for c in schema.CALCULATED_COLUMNS)
CALC_LAST_ROW = FIRST_ROW + CAPACITY - 1
CALC_BLOCK = f"A{FIRST_ROW}:{chr(ord('A') + len(CALC_HEADERS) - 1)}{CALC_LAST_ROW}"

EMPTY_TEXT = '=""'  # how the block holds "nothing" (see _calculated_sheet)
HINT = (
    "Type in the blue-headed columns; the grey ones are worked out from them as of the date on the left "
    "(Refresh brings them up to date). To write letters, select rows and press Generate letter."
)

# The array formula that makes the block live (installed by the Refresh macro).
LIVE_FORMULA = "=register_status(register_inputs,council_settings,as_of,register_holds)"
HOLDS_NAME = "register_holds"  # the Holds sheet's columns with their header row (register_status's fourth argument)


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
    # "sub": an @xw.sub in xl_complaints.excel.udfs, made a macro by Enable live formulas.
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

DASHBOARD_RAGS = ("Red", "Amber", "Green", "On hold", "Met", "Late", "Check")
DASHBOARD_STAGES = ("Stage 1", "Stage 2", "Stage 3", "Case concern")
DASHBOARD_FIRST_RAG_ROW = 5  # zero-based: the RAG x stage table's header is the row above
DASHBOARD_LIST_HEADERS = ("Register row", "Reference", "Stage", "Milestone", "Due date", "Working days left", "RAG", "Next action")
DASHBOARD_WIDTHS = (14, 16, 13, 24, 13, 13, 10, 60)
LIST_LENGTH = 25  # rows in each of the Dashboard's lists

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


def calculated_block(
    headers: Sequence, rows: Sequence[Sequence], settings: Settings, as_of: dt.date, first_row: int = FIRST_ROW, holds: Sequence[Sequence] | None = None
) -> list[list]:
    """One row per register row: its Reference as typed, then the calculated columns.

    The same function fills the block whether the values are written into the
    file (init, refresh) or returned by the live array formula (udfs), so the
    register shows the same thing either way. Empty results are '' (an empty
    cell would read as 0 through INDEX). `holds` is the Holds sheet's cells,
    header row first, as the status command reads them.
    """
    rows = rows if isinstance(rows, list) else list(rows)  # the rows themselves: validate copies what it keeps
    validated = validate(list(headers), rows, sheet=REGISTER, first_row=first_row)
    held = None
    if holds and any(v not in (None, "") for v in holds[0]):
        held, _ = hold_table(list(holds[0]), [list(r) for r in holds[1:]])  # its cells' problems are the Holds sheet's, as in `status`
    assessed = status.assess_columns(validated.columns, settings, as_of, validated.row_messages(), held)
    ref_at = reference_position(headers)
    columns = [cell_values(assessed[key]) for key in schema.CALCULATED_KEYS]
    at_row = {row: i for i, row in enumerate(validated.columns.rows.tolist())}
    position = [at_row.get(row, -1) for row in range(first_row, first_row + len(rows))]
    assessed_rows = list(zip(*columns))  # one tuple of calculated values per assessed row
    nothing = ("",) * len(columns)
    block = []
    for raw, at in zip(rows, position):
        key = raw[ref_at] if ref_at < len(raw) else None
        key = "" if key is None else key  # exactly as typed: the register's formulas compare it with '='
        block.append([key, *(assessed_rows[at] if at >= 0 else nothing)])
    return block


def reference_position(headers: Sequence) -> int:
    wanted = schema.normalise_header("Reference")
    for i, header in enumerate(headers):
        if schema.normalise_header(header) == wanted:
            return i
    raise RegisterError(f"The {REGISTER} sheet has no 'Reference' column in its header row.")


def column_cells(headers: Sequence, rows: Sequence[Sequence], key: str) -> list:
    """One column's cells, row by row, found by its header (None where the register has no such column)."""
    where = [schema.normalise_header(h) for h in headers]
    wanted = schema.normalise_header(schema.column(key).header)
    if wanted not in where:
        return [None] * len(rows)
    j = where.index(wanted)
    return [None if j >= len(r) or r[j] in ("", None) else r[j] for r in rows]


def cell_values(column) -> list:
    """A calculated column (an array, or a pandas Series) as plain Python values Excel can hold ('' for nothing)."""
    values = np.asarray(column)
    if np.issubdtype(values.dtype, np.datetime64):
        days = values.astype("datetime64[D]").astype(object).tolist()  # datetime.date, None for NaT
        return ["" if d is None else d for d in days]
    if np.issubdtype(values.dtype, np.floating):
        return ["" if v != v else v for v in values.astype(float).tolist()]  # NaN is the one float not equal to itself
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in values]


def holiday_rows(settings: Settings, as_of: dt.date) -> list[tuple[dt.date, str, str]]:
    """(date, weekday, name) for last year to the year after next: what the Holidays sheet lists."""
    first = dt.date(as_of.year - HOLIDAY_YEARS_BEFORE, 1, 1)
    last = dt.date(as_of.year + HOLIDAY_YEARS_AFTER, 12, 31)
    return [(day, day_name(day), name) for day, name in settings.calendar.holidays_between(first, last)]


ROW_NAME = "calc_row"  # the defined name of a register row's row in the block


def row_formula() -> str:
    """`calc_row`, the named formula every grey cell uses: this register row's row in the block,
    by position, else by Reference (#N/A for an empty Reference or none found).

    The position is checked against the Reference first, so a sorted register,
    a stale block or duplicate references never show another row's values.
    ROW() in a named formula is the row of the cell using the name. Written once
    as a name, not in each of the 50,000 grey cells, the Register sheet is a
    quarter of the size, and every program that reads it reads it faster.
    """
    pos = f"ROW()-ROW({TABLE}[[#Headers],[Reference]])"
    ref = f"INDEX({TABLE}[Reference],{pos})"
    return f'=IF(INDEX(calc_keys,{pos})={ref},{pos},IF({ref}="",NA(),MATCH({ref},calc_keys,0)))'


def register_formula(key: str) -> str:
    """A calculated column's formula: its row's value out of the block (`row_formula` finds the row)."""
    return f'=IFERROR(INDEX({calc_name(key)},{ROW_NAME}),"")'


# --- stored results: what Excel would compute, written with every formula ------------------
# (Excel's own rules for the values formulas see are in excel_rules.py.)


def register_columns(references: Sequence, block: Sequence[Sequence]) -> dict[str, list]:
    """The calculated columns of the register rows as Excel works out `register_formula`
    (and `calc_row`), column by column: {key of schema: one value per row of `references`}."""
    keys = None  # MATCH's index over the block's keys: made only if a row is not where it was

    sources = []  # the block row each register row shows; None: every column ""
    height = len(block)
    for offset, ref in enumerate(references):
        ref = EMPTY if ref is None else ref
        if offset >= CAPACITY:  # INDEX beyond the named range: #REF!, caught by IFERROR
            sources.append(None)
            continue
        row = block[offset] if offset < height else None
        key = (EMPTY if not row or row[0] is None else row[0]) if row is not None else EMPTY
        if _same(key, ref):
            sources.append(offset)
        elif _same(ref, ""):
            sources.append(None)
        else:
            if keys is None:
                keys = _Keys([r[0] if r else "" for r in block[:CAPACITY]])
            sources.append(keys.match(ref))

    columns = {}
    for j, key in enumerate(schema.CALCULATED_KEYS, start=1):
        values = []
        for source in sources:
            if source is None:
                values.append("")
                continue
            if source >= height:
                values.append(0)  # inside the named range, below the block: an empty cell gives 0
                continue
            row = block[source]
            value = row[j] if j < len(row) else None
            values.append(value if type(value) in _AS_IS else _result(value))
        columns[key] = values
    return columns


def notice_result(block: Sequence[Sequence]) -> str:
    """The notice line beside the letter dropdown: the hint, or why the grey columns are empty."""
    if not block:
        return HINT
    key = EMPTY if block[0][0] is None else block[0][0]
    stage = EMPTY if len(block[0]) < 2 or block[0][1] is None else block[0][1]
    if not _same(key, "") and _same(key, stage):
        return "The grey columns could not be worked out: " + _text(key)
    return HINT


def formula_results(references: Sequence, block: Sequence[Sequence], as_of: dt.date, headers: Sequence | None = None,
                    learning_sheets: dict | None = None, services: Sequence = (), settings: Settings | None = None,
                    by_position: bool = False) -> dict[str, dict]:
    """For every formula the toolkit writes whose value depends on the block or the As-of date,
    the value Excel would compute, keyed by sheet name then A1 cell reference ('B4').

    `references` are the Register's Reference cells from FIRST_ROW down, in sheet
    order (None for an empty row); `block` the Calculated sheet's rows as
    `calculated_block` returns them; `headers` the Register's header row when its
    columns are not where `init` puts them. Values are text, numbers, or dates as
    `datetime.date` (`stored_value` turns one into what the file holds).
    The Dashboard's overdue actions and Ombudsman deadlines come from `learning_sheets`
    (as files.learning_sheets.read_sheets gives them; none: empty lists) and the Register's
    Service cells, `services`, row by row like `references`.
    `by_position`: the cells keyed by (row, column), both from 1, instead: refresh
    compares 50,000 of them with what the sheet holds, and needs no A1 text for that.
    """
    headers = [c.header for c in REGISTER_COLUMNS] if headers is None else list(headers)
    where = {schema.normalise_header(h): i for i, h in reversed(list(enumerate(headers)))}
    columns = register_columns(references, block)
    register: dict = {}
    for key in schema.CALCULATED_KEYS:
        col = where.get(schema.normalise_header(schema.column(key).header))
        if col is None:
            continue
        if by_position:
            register.update(zip(zip(range(FIRST_ROW, FIRST_ROW + len(references)), repeat(col + 1)), columns[key]))
            continue
        letter = _letter(col)
        for offset, value in enumerate(columns[key]):
            register[f"{letter}{FIRST_ROW + offset}"] = value
    row, col = LETTER_CHOICE_CELL
    register[(row + 1, col + 2) if by_position else f"{_letter(col + 1)}{row + 1}"] = notice_result(block)
    cells = [ref if ref is not None else EMPTY for ref in references]
    dashboard = dashboard_results(cells, columns, as_of)

    after = dashboard_positions()["overdue"] + 2 + LIST_LENGTH
    dashboard.update(learning_results(learning_sheets, settings or Settings(), as_of, cells, list(services), after))
    if by_position:
        dashboard = by_cell_position(dashboard)
    return {REGISTER: register, DASHBOARD: dashboard}


def by_cell_position(values: dict[str, object]) -> dict[tuple[int, int], object]:
    """{'B4': v} as {(4, 2): v}."""
    return {cell_position(ref): value for ref, value in values.items()}


def stored_value(value):
    """A formula's result in the form the file stores it (dates as serial numbers, whole numbers as ints)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return excel_serial(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def dashboard_positions() -> dict[str, int]:
    """Zero-based rows of the Dashboard's parts (the writer and `dashboard_results` share them)."""
    total_row = DASHBOARD_FIRST_RAG_ROW + len(DASHBOARD_RAGS)
    due = total_row + 3
    overdue = due + 2 + LIST_LENGTH + 2  # the overdue actions and Ombudsman deadlines below
    return {"total": total_row, "due": due, "overdue": overdue, **dashboard_places(overdue + 2 + LIST_LENGTH)}


def dashboard_results(references: Sequence, columns: dict[str, list], as_of: dt.date) -> dict[str, object]:
    """The Dashboard's formulas as Excel works them out from the Register's grey columns
    (`register_columns`: a list of values, row by row, for each calculated key)."""
    out: dict[str, object] = {"B2": as_of}
    rag = columns["rag"]
    stage = columns["stage"]
    stages = DASHBOARD_STAGES + ("Other", "Total")
    places = dashboard_positions()
    column_totals = [0] * (len(stages) + 1)
    in_stage = [_equals_text(stage, wanted) for wanted in DASHBOARD_STAGES]
    for i, name in enumerate(DASHBOARD_RAGS, start=DASHBOARD_FIRST_RAG_ROW):
        chosen = _equals_text(rag, name)  # COUNTIFS with a plain text criterion
        counts = [sum(1 for c, s in zip(chosen, there) if c and s) for there in in_stage]
        total = sum(chosen)
        counts += [total - sum(counts), total]
        for j, count in enumerate(counts, start=1):
            out[f"{_letter(j)}{i + 1}"] = count
            column_totals[j] += count
    for j in range(1, len(stages) + 1):
        out[f"{_letter(j)}{places['total'] + 1}"] = column_totals[j]

    limit = float(excel_serial(as_of)) + 7
    green, amber, red = (_equals_text(rag, name) for name in ("Green", "Amber", "Red"))
    due_soon = [(g + a) * _at_most(due, limit) if g or a else 0 for g, a, due in zip(green, amber, columns["due_date"])]
    overdue = [int(r) for r in red]
    for start, condition in ((places["due"], due_soon), (places["overdue"], overdue)):
        out.update(_list_results(references, columns, start, condition))
    return out


def _list_results(references, columns: dict[str, list], start: int, condition: Sequence[int]) -> dict[str, object]:
    out: dict[str, object] = {}
    count = int(sum(condition))
    out[f"D{start + 1}"] = count
    keys = []
    for offset, (due, chosen) in enumerate(zip(columns["due_date"], condition)):
        due = _number(due)
        if due is None or not chosen:
            continue  # #VALUE! or #DIV/0!: AGGREGATE's option 6 skips it
        keys.append(due * 100000 + FIRST_ROW + offset)
    keys.sort()
    for k in range(1, LIST_LENGTH + 1):
        r = start + 1 + k
        if k > len(keys):
            out[f"A{r + 1}"] = ""
            for j in range(1, len(DASHBOARD_LIST_HEADERS)):
                out[f"{_letter(j)}{r + 1}"] = ""
            continue
        sheet_row = int(keys[k - 1] % 100000)
        out[f"A{r + 1}"] = sheet_row
        offset = sheet_row - FIRST_ROW
        for j, header in enumerate(DASHBOARD_LIST_HEADERS[1:], start=1):
            if header == "Reference":
                value = _result(references[offset])
            else:
                value = columns[schema.column(header).key][offset]
            out[f"{_letter(j)}{r + 1}"] = value
    more = start + 2 + LIST_LENGTH
    out[f"B{more + 1}"] = f"... and {count - LIST_LENGTH} more: filter the Register by RAG or Due date" if count > LIST_LENGTH else ""
    return out


# --- building the workbook -----------------------------------------------------------


def build(
    path: str | Path,
    records: Iterable[dict] = (),
    settings: Settings | None = None,
    as_of: dt.date | None = None,
    learning: dict | None = None,  # {sheet: rows} for the Actions, Remedies and Ombudsman cases sheets
    holds: Iterable[dict] = (),  # rows of the Holds sheet, keyed by header (Reference, Hold reason, On hold from, On hold to)
) -> Path:
    """Write a new register to `path` (overwriting it: callers check first).

    `records` are rows keyed by header (what `sample.generate` returns). The
    output depends only on the arguments, so two builds are byte-identical.
    """
    import xlsxwriter

    path = Path(path)
    settings = settings or Settings()
    as_of = as_of_or_today(as_of)
    records = list(records)
    # An empty register still has one (blank) table row, which needs its row of the block.
    raw_rows = [record_row(r) for r in records] or [[None] * len(schema.INPUT_COLUMNS)]
    input_headers = [c.header for c in schema.INPUT_COLUMNS]
    hold_rows = [hold_row(h) for h in holds]
    hold_cells = [[c.header for c in schema.HOLD_COLUMNS]] + hold_rows if hold_rows else None
    block = [[as_written(row[0])] + row[1:] for row in calculated_block(input_headers, raw_rows, settings, as_of, holds=hold_cells)]

    service_at = input_headers.index(schema.column("service").header)
    values = formula_results([as_written(row[0]) for row in raw_rows], block, as_of, learning_sheets=sheets_from_records(learning),
                             services=[as_written(row[service_at]) for row in raw_rows], settings=settings)

    book = xlsxwriter.Workbook(
        str(path),
        # in_memory: every zip entry gets the same fixed date and attributes (with temporary files,
        # the zip would take their permissions, which depend on the machine's umask).
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False, "in_memory": True},
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
    _register_sheet(book, sheets[REGISTER], f, raw_rows, values[REGISTER], as_of)
    _calculated_sheet(book, sheets[CALCULATED], f, block)
    _settings_sheet(book, sheets[SETTINGS], f, settings)
    _holidays_sheet(sheets[HOLIDAYS], f, settings, as_of)
    _correspondence_sheet(sheets[CORRESPONDENCE], f)
    _holds_sheet(book, sheets[HOLDS], f, hold_rows)
    _dashboard_sheet(sheets[DASHBOARD], f, values[DASHBOARD], as_of)
    _config_sheet(sheets[CONFIG], f)
    add_sheets(book, learning, settings, as_of)
    sheets[REGISTER].activate()
    book.close()
    return path


def as_written(value):
    """A value as `write_cell` puts it in a cell (None for nothing): what a formula reading the cell sees."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return str(value)


def hold_row(hold: dict) -> list:
    """A hold keyed by header (or key) as a row of the Holds sheet's cells."""
    by_key = {schema.normalise_header(str(k)).replace("_", " "): v for k, v in hold.items()}
    return [by_key.get(schema.normalise_header(c.header)) for c in schema.HOLD_COLUMNS]


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
        self.overdue_line = add({"font_color": RAG_STYLES["Red"][1]})  # the Dashboard's top line, while anything is overdue
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
        text = str(value)
        guard_cell(text, f"{sheet.name} row {row + 1}, column {_letter(col)}", f"The {sheet.name} sheet")  # XlsxWriter would cut it short
        sheet.write_string(row, col, text, fmt)


FIRST_SCREEN_WIDTHS = {"stage": 13, "rag": 11, "due_date": 11, "working_days_left": 9, "next_action": 44, "reference": 16, "date_received": 11}


def _width(column: Column) -> float:
    if column.key in FIRST_SCREEN_WIDTHS:
        return FIRST_SCREEN_WIDTHS[column.key]
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
        from ..letters import LETTER_TYPES
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


def _register_sheet(book, sheet, f: _Formats, raw_rows, values: dict[str, object], as_of) -> None:
    remember_formulas(sheet)  # ten formulas repeated on every row: XlsxWriter reads each text once
    columns = REGISTER_COLUMNS
    n = len(raw_rows)
    last_col = len(columns) - 1
    top, bottom = HEADER_ROW - 1, HEADER_ROW - 1 + n  # zero-based header and last data row

    sheet.write_string(0, 0, "Complaints register", f.title)
    sheet.write_string(AS_OF_CELL[0], AS_OF_CELL[1] - 1, "As of", f.label)
    sheet.write_datetime(AS_OF_CELL[0], AS_OF_CELL[1], dt.datetime.combine(as_of, dt.time()), f.as_of)
    book.define_name(AS_OF, f"={REGISTER}!${_letter(AS_OF_CELL[1])}${AS_OF_CELL[0] + 1}")
    row, col = LETTER_CHOICE_CELL
    sheet.write_string(row, col - 1, "Letter", f.label)
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
    sheet.write_formula(row, col + 1, notice, f.hint, values[f"{_letter(col + 1)}{row + 1}"])
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

    input_at = {c.key: i for i, c in enumerate(schema.INPUT_COLUMNS)}
    for offset, raw in enumerate(raw_rows):
        row = top + 1 + offset
        for col, c in enumerate(columns):
            if c.calculated:
                value = stored_value(values[f"{_letter(col)}{row + 1}"])
                sheet.write_formula(row, col, register_formula(c.key), _calc_format(f, c), value)
            else:
                write_cell(sheet, row, col, raw[input_at[c.key]], f.date if c.kind is Kind.DATE else None)

    grouped = set(PERSONAL_GROUP) | set(MONITORING)
    for col, c in enumerate(columns):
        sheet.set_column(col, col, _width(c), None, {"level": 1} if c.key in grouped else {})
        if c.note or c.calculated:
            note = c.note or CALCULATED_NOTES[c.key]
            if c.personal:
                note += "\nPersonal data: never copy it into emails, reports or statistics."
            sheet.write_comment(top, col, note, {"author": "xl-complaints", "x_scale": 2.2, "y_scale": 1.1})
        elif c.personal:
            sheet.write_comment(top, col, "Personal data: never copy it into emails, reports or statistics.", {"author": "xl-complaints", "x_scale": 2.2, "y_scale": 0.8})
    sheet.set_row(top, 45)

    first, last = FIRST_ROW - 1, CALC_LAST_ROW - 1
    for col, c in enumerate(columns):
        if c.calculated:
            continue
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
    sheet.freeze_panes(HEADER_ROW, FROZEN_COLUMNS)
    sheet.set_tab_color(INPUT_FILL)
    # Paper: the first-screen columns to Procedure (no personal data), as many rows as are used.
    _print_setup(sheet, as_of, repeat=(top, top))
    sheet.print_area(0, 0, CALC_LAST_ROW - 1, PRINTED_COLUMNS - 1)


def footer(as_of: dt.date) -> str:
    """The printed footer: the As-of date, the page and the sheet (refresh rewrites the date: PRINTED_WITH_AS_OF)."""
    return f"&L&8As of {as_of:%d/%m/%Y}&C&8Page &P of &N&R&8&A"


PRINTED_WITH_AS_OF = (REGISTER, DASHBOARD)  # the sheets whose footer says the As-of date (refresh rewrites it)
PRINT_HEADER = "&C&8OFFICIAL-SENSITIVE: children's social care complaints"


def _print_setup(sheet, as_of: dt.date, repeat: tuple[int, int] | None) -> None:
    """Landscape A4, as wide as the page, the header rows on every page, the As-of date and page below."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header(PRINT_HEADER)
    sheet.set_footer(footer(as_of))
    if repeat is not None:
        sheet.repeat_rows(*repeat)


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


def _calculated_sheet(book, sheet, f: _Formats, block) -> None:
    sheet.write_string(0, 0, "Worked out by xl-complaints for the grey columns of the Register. Do not type here: Refresh rewrites this sheet.", f.hint)
    for col, header in enumerate(CALC_HEADERS):
        sheet.write_string(HEADER_ROW - 1, col, header, f.plain_header)
        letter = _letter(col)
        name = "calc_keys" if col == 0 else calc_name(schema.CALCULATED_KEYS[col - 1])
        book.define_name(name, f"={CALCULATED}!${letter}${FIRST_ROW}:${letter}${CALC_LAST_ROW}")
    book.define_name(ROW_NAME, row_formula())
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


def _holds_sheet(book, sheet, f: _Formats, rows: Sequence[Sequence] = ()) -> None:
    """One row per hold (Reference, Hold reason, On hold from, On hold to): as many as a complaint has had."""
    for col, c in enumerate(schema.HOLD_COLUMNS):
        sheet.write_string(0, col, c.header, f.plain_header)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            value = as_written(value)
            if isinstance(value, (dt.date, dt.datetime)):
                sheet.write_datetime(r, col, value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time()), f.date)
            elif isinstance(value, float):
                sheet.write_number(r, col, value)
            elif value is not None:
                sheet.write_string(r, col, value)
    # register_status reads every hold through this name (LIVE_FORMULA)
    book.define_name(HOLDS_NAME, f"={HOLDS}!$A$1:${_letter(len(schema.HOLD_COLUMNS) - 1)}${CAPACITY + 1}")
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 3, 14, f.date)
    sheet.data_validation(1, 1, CAPACITY, 1, {"validate": "list", "source": f"={list_name(schema.column('hold_reason'))}"})
    sheet.data_validation(1, 2, CAPACITY, 3, {"validate": "date", "criteria": "between", "minimum": dt.date(1990, 1, 1), "maximum": dt.date(2100, 12, 31),
                                              "error_message": "Type a date, for example 12/03/2024."})
    sheet.freeze_panes(1, 0)
    sheet.fit_to_pages(1, 0)  # printed: all four columns across one page


def _dashboard_sheet(sheet, f: _Formats, values: dict[str, object], as_of: dt.date) -> None:
    """Counts and lists of the Register's grey columns; each formula carries its result (`dashboard_results`)."""
    t = TABLE

    def formula(row: int, col: int, text: str, fmt=None) -> None:
        sheet.write_formula(row, col, text, fmt, stored_value(values[f"{_letter(col)}{row + 1}"]))

    sheet.write_string(0, 0, "Complaints dashboard", f.title)
    sheet.set_row(0, 24)
    sheet.write_string(1, 0, "As of", f.label)
    formula(1, 1, f"={AS_OF}", f.as_of)
    sheet.write_string(1, 2, "Counts and lists follow the grey columns of the Register.", f.hint)

    header_row = DASHBOARD_FIRST_RAG_ROW - 1
    sheet.write_string(header_row - 1, 0, "Complaints not yet closed, by RAG and stage", f.subtitle)
    stages = DASHBOARD_STAGES + ("Other", "Total")
    sheet.write_string(header_row, 0, "RAG", f.plain_header)
    for j, stage in enumerate(stages, start=1):
        sheet.write_string(header_row, j, stage, f.plain_header)
    places = dashboard_positions()
    total_row = places["total"]
    for i, rag in enumerate(DASHBOARD_RAGS, start=DASHBOARD_FIRST_RAG_ROW):
        r = i + 1
        sheet.write_string(i, 0, rag, f.rag_label[rag])
        for j, stage in enumerate(DASHBOARD_STAGES, start=1):
            formula(i, j, f'=COUNTIFS({t}[RAG],$A{r},{t}[Stage],{_letter(j)}${header_row + 1})', f.count)
        total_col = len(stages)
        formula(i, total_col, f"=COUNTIFS({t}[RAG],$A{r})", f.total)
        formula(i, total_col - 1, f"={_letter(total_col)}{r}-SUM(B{r}:{_letter(len(DASHBOARD_STAGES))}{r})", f.count)
    sheet.write_string(total_row, 0, "Total", f.total)
    for j in range(1, len(stages) + 1):
        letter = _letter(j)
        formula(total_row, j, f"=SUM({letter}{DASHBOARD_FIRST_RAG_ROW + 1}:{letter}{total_row})", f.total)

    # Green and Amber rows are open and not yet overdue; Red rows have their own list.
    due_this_week = f'(({t}[RAG]="Green")+({t}[RAG]="Amber"))*({t}[Due date]<={AS_OF}+7)'
    overdue = f'({t}[RAG]="Red")'
    _dashboard_list(formula, sheet, f, places["due"], "Due in the next 7 days", due_this_week)
    _dashboard_list(formula, sheet, f, places["overdue"], "Overdue (Red)", overdue)

    last = write_dashboard(sheet, f, formula, places["overdue"] + 2 + LIST_LENGTH)
    for col, width in enumerate(DASHBOARD_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.set_tab_color("#548235")
    _print_setup(sheet, as_of, repeat=(0, 1))
    sheet.print_area(0, 0, last, len(DASHBOARD_LIST_HEADERS) - 1)


def _dashboard_list(formula, sheet, f: _Formats, row: int, title: str, condition: str) -> None:
    """A list of register rows meeting `condition`, earliest due first, with native formulas.

    AGGREGATE(15, 6, ...) takes the k-th smallest of due date * 100000 + row,
    skipping the rows where the condition divides by zero, so no array entry
    (Ctrl+Shift+Enter) and no dynamic arrays are needed.
    """
    t = TABLE
    sheet.write_string(row, 0, title, f.subtitle)
    formula(row, 3, f"=SUMPRODUCT(--({condition}))", f.total)
    sheet.write_string(row, 4, "complaints", f.hint)
    for j, header in enumerate(DASHBOARD_LIST_HEADERS):
        sheet.write_string(row + 1, j, header, f.plain_header)
    sheet.set_row(row + 1, 30)
    key = f"({t}[Due date]*100000+ROW({t}[Due date]))/({condition})"
    for k in range(1, LIST_LENGTH + 1):
        r = row + 1 + k
        a = f"$A{r + 1}"
        formula(r, 0, f'=IFERROR(MOD(_xlfn.AGGREGATE(15,6,{key},{k}),100000),"")', f.count)
        for j, column in enumerate(DASHBOARD_LIST_HEADERS[1:], start=1):
            fmt = f.date if column == "Due date" else None
            formula(r, j, f'=IF({a}="","",INDEX({t}[{column}],{a}-ROW({t}[[#Headers],[Reference]])))', fmt)
    more = row + 2 + LIST_LENGTH
    formula(more, 1, f'=IF(D{row + 1}>{LIST_LENGTH},"... and "&(D{row + 1}-{LIST_LENGTH})&" more: filter the Register by RAG or Due date","")', f.hint)


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


