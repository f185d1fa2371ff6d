"""The weekly status report as a file: each complaint's Reference and calculated columns.

No personal columns are ever written: only the register row, the Reference and
the columns the toolkit works out. Cells a spreadsheet would run as a formula
are given a leading apostrophe in the CSV (outputs.formula_safe); the workbook
writes every text as text. A cell Excel could not hold stops the report before
anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from ..core import learning, schema, status
from ..core.register import guard_cell
from ..excel import workbook, workbook_learning
from ..files.outputs import formula_safe

OUTPUT_HEADERS = ("Register row", "Reference") + tuple(c.header for c in schema.CALCULATED_COLUMNS)
FORMATS = ("csv", "xlsx")


def status_rows(loaded, as_of: dt.date) -> list[list]:
    """Register row, Reference and the calculated columns for every row of a read register (reader.RegisterFile)."""
    table = loaded.register.table
    assessed = status.assess(table, loaded.settings, as_of, loaded.register.row_problems(), loaded.register.holds)
    columns = [workbook.cell_values(assessed[key]) for key in schema.CALCULATED_KEYS]
    references = table["reference"].tolist()
    return [[int(row), references[i]] + [col[i] for col in columns] for i, row in enumerate(table.index)]


def rag_counts(rows: list[list]) -> dict[str, int]:
    """How many rows are Red, Amber and Check: the report's one-line summary."""
    rag = [r[OUTPUT_HEADERS.index("RAG")] for r in rows]
    return {"red": rag.count("Red"), "amber": rag.count("Amber"), "check": rag.count("Check")}


def guard_report(rows: list[list]) -> None:
    """Refuse, before anything is written, a report cell Excel could not hold (csv or xlsx alike)."""
    for r, row in enumerate(rows, start=2):
        for j, v in enumerate(row):
            if v.__class__ is str and len(v) > 16_383:  # the rare long text: judged exactly
                guard_cell(v, f"Status row {r}, column '{OUTPUT_HEADERS[j]}'", "The status report")


def status_csv(rows: list[list]) -> str:
    """The report as CSV text (dates as 12/03/2024, working days as whole numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_HEADERS)
    for row in rows:
        writer.writerow([f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else _whole(formula_safe(v)) for v in row])
    return buffer.getvalue()


def write_status_csv(rows: list[list], out: Path) -> Path:
    """Save the CSV with a byte-order mark, so Excel opens it as UTF-8."""
    Path(out).write_text(status_csv(rows), encoding="utf-8-sig", newline="")
    return out


def _whole(value):
    """Working days are whole numbers: 2, not 2.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def write_status_xlsx(rows: list[list], out: Path, as_of: dt.date, deadlines: list[list] | None = None) -> Path:
    """The report as a workbook: filtered, frozen, A4 landscape, RAG coloured, OFFICIAL-SENSITIVE in the header.

    `deadlines`: the Actions and Ombudsman cases sheets' open deadlines (files.learning_sheets.status_part), a sheet of their own."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": f"Complaints status as of {as_of:%d/%m/%Y}", "created": dt.datetime.combine(as_of, dt.time())})
    sheet = book.add_worksheet(f"Status as of {as_of:%d-%m-%Y}")  # the date on the tab, on screen
    header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top", "border": 1})
    date = book.add_format({"num_format": workbook.DATE_FORMAT})
    for col, name in enumerate(OUTPUT_HEADERS):
        sheet.write_string(0, col, name, header)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            workbook.write_cell(sheet, r, col, value if value != "" else None, date_fmt=date)
    sheet.autofilter(0, 0, max(len(rows), 1), len(OUTPUT_HEADERS) - 1)
    sheet.freeze_panes(1, 2)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header(f"&L&B Complaints status as of {as_of:%d/%m/%Y}&R&8OFFICIAL-SENSITIVE")
    sheet.set_footer(workbook.footer(as_of))
    widths = {"Next action": 60, "Eligibility": 40, "Problems": 50}
    for col, name in enumerate(OUTPUT_HEADERS):
        sheet.set_column(col, col, widths.get(name, 14), book.add_format({"num_format": "0"}) if name == "Working days left" else None)
    rag_col = OUTPUT_HEADERS.index("RAG")
    for value, (fill, font) in workbook.RAG_STYLES.items():
        fmt = book.add_format({"bg_color": fill, "font_color": font})
        sheet.conditional_format(1, rag_col, max(len(rows), 1), rag_col, {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt})
    if deadlines is not None:
        from ..excel import workbook_learning

        add_deadlines_sheet(book, deadlines, as_of)
    book.close()
    return out


def default_name(register: Path, as_of: dt.date, fmt: str) -> Path:
    """'Complaints_Register status 2026-11-20.xlsx', where the officer is."""
    return Path(f"{Path(register).stem} status {as_of.isoformat()}.{fmt}")


# --- the status report's sheet of actions and Ombudsman deadlines --------------------------------

STATUS_SHEET = "Actions and Ombudsman"


def add_deadlines_sheet(book, rows: list[list], as_of: dt.date) -> None:
    """The status report's second sheet: learning.open_deadlines' rows, overdue first, RAG coloured."""
    sheet = book.add_worksheet(STATUS_SHEET)
    header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top", "border": 1})
    date = book.add_format({"num_format": workbook_learning.DATE_FORMAT})
    headers = learning.DEADLINE_HEADERS
    for col, name in enumerate(headers):
        sheet.write_string(0, col, name, header)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            workbook.write_cell(sheet, r, col, value if value not in ("", None) else None, date_fmt=date)
    sheet.set_row(0, 30)
    if not rows:
        sheet.write_string(1, 0, "No learning action or Ombudsman deadline is waiting to be met.")
    widths = {"Sheet": 16, "Sheet row": 10, "Reference": 16, "Deadline": 28, "Service": 28, "Due date": 12, "Working days left": 10, "RAG": 8}
    for col, name in enumerate(headers):
        sheet.set_column(col, col, widths[name])
    rag_col = headers.index("RAG")
    for value, (fill, font) in workbook_learning.RAG_STYLES.items():
        fmt = book.add_format({"bg_color": fill, "font_color": font})
        sheet.conditional_format(1, rag_col, max(len(rows), 1), rag_col, {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt})
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    sheet.freeze_panes(1, 3)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header(f"&L&B Actions and Ombudsman deadlines not yet met, as of {as_of:%d/%m/%Y}&R&8OFFICIAL-SENSITIVE")
    sheet.set_footer(workbook.footer(as_of))
