"""The Code report as a Word draft (python-docx) and a workbook (XlsxWriter), from code_report's figures.

The Word draft has the Code's section 8 parts in order, each with its figures
and an editable place for the council's own words: the self-assessment, the
analysis of complaint handling, refusals, the Ombudsman's findings, the service
improvements made from learning, and the Ombudsman's annual letter. Numbers
print as the statutory report prints them (statistics_export.display).
"""

from __future__ import annotations

from pathlib import Path

from .code_report import CodeReport
from ..core.dates import long_date
from .statistics import AVERAGE, TOTAL, Table
from .statistics_export import display, display_percent

COUNCIL_WORDS = "[The council's words: replace this paragraph.]"

SECTIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Complaint handling: the figures", ("c1", "c2", "c3", "c4", "c5", "c7", "c8"),
     "How quickly corporate complaints were acknowledged and answered, how often extensions were used, and what was decided."),
    ("Complaints not accepted", ("c6",), "The types of complaint the council did not accept, and why."),
    ("Putting things right", ("c9", "c10"), "The remedies the council offered."),
    ("The Ombudsman's findings", ("c11", "c12"),
     "The Ombudsman's decisions on the council's complaints, including any finding of non-compliance with the Code, and whether its remedies were complied with by the date it set."),
    ("Service improvements from learning", ("c13",), "The actions agreed from complaints, and whether they were done."),
    ("Themes", ("c14", "c15"), "What the complaints were about."),
)


def counting_rules(report: CodeReport) -> list[str]:
    s = report.stats
    rules = [
        f"Corporate complaints only: those on the corporate route, received from {long_date(s.period.start)} to {long_date(s.period.end)}.",
        "Timeliness is counted in working days (Monday to Friday, less bank holidays and the council's closure days), "
        "from the acknowledgement for responses, as the Code sets out. 'Within the extended time' is a response after "
        "the Code's time but within an extension the complainant agreed.",
        "Remedies are those offered in the year; the Ombudsman's decisions those made in the year.",
        f"Ombudsman remedies and learning actions are those due in the year, as at {long_date(report.as_at)}.",
    ]
    return rules + list(s.notes)


def _cell_text(report: CodeReport, r) -> tuple[str, str]:
    s = report.stats
    number = display(r.number, r.hidden, s.marker, average=r.role == AVERAGE and isinstance(r.number, float))
    if r.role == AVERAGE and r.label.endswith("(£)") and r.number is not None and not r.hidden:
        number = f"£{r.number:,.2f}"
    return number, display_percent(r.percent) if r.role != TOTAL else ""


def write_word(report: CodeReport, path: str | Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    s = report.stats
    doc = Document()
    doc.core_properties.title = report.title
    doc.core_properties.author = s.council
    doc.add_heading(s.council, 0)
    doc.add_heading(report.title, 1)
    doc.add_paragraph(f"{s.department}. Corporate complaints, {long_date(s.period.start)} to {long_date(s.period.end)}. "
                      f"Draft made on {long_date(s.as_of)} for the governing body and the Member Responsible for Complaints.")
    doc.add_heading("Introduction", 2)
    doc.add_paragraph("The Local Government and Social Care Ombudsman's Complaint Handling Code asks the council to publish each "
                      "year a report on its complaint handling and the improvements made from what complaints taught it, "
                      "with the governing body's response.")
    doc.add_paragraph(COUNCIL_WORDS)

    doc.add_heading("Self-assessment against the Code", 2)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, ("Requirement", "What the register shows", "Evidence", "Commentary")):
        cell.text = text
    for row in report.self_assessment:
        cells = table.add_row().cells
        for cell, key in zip(cells, ("Requirement", "Measured", "Evidence", "Commentary")):
            cell.text = str(row.get(key) or "")
    _widths(table, (Cm(5.5), Cm(5), Cm(3.25), Cm(3.25)))
    for section, ids, intro in SECTIONS:
        doc.add_heading(section, 2)
        doc.add_paragraph(intro)
        for tid in ids:
            _word_table(doc, report, s.table(tid), Cm, WD_ALIGN_PARAGRAPH)
        doc.add_paragraph(COUNCIL_WORDS)
    doc.add_heading("The Ombudsman's annual letter", 2)
    doc.add_paragraph("[Paste or summarise the Ombudsman's annual review letter to the council here.]")
    doc.add_heading("The governing body's response", 2)
    doc.add_paragraph(COUNCIL_WORDS)
    doc.add_heading("How the figures are counted", 2)
    for rule in counting_rules(report):
        doc.add_paragraph(rule, style="List Bullet")
    doc.save(str(path))
    return Path(path)


def _widths(table, widths) -> None:
    """Fixed column widths (Word reads them from every cell)."""
    table.autofit = False
    for column, width in zip(table.columns, widths):  # LibreOffice reads the grid
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _word_table(doc, report: CodeReport, t: Table, Cm, align) -> None:
    title = doc.add_paragraph()
    run = title.add_run(t.title)
    run.bold = True
    title.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=3)
    table.style = "Light List Accent 1"
    for cell, text in zip(table.rows[0].cells, (t.heading, "Number", "%")):
        cell.text = text
    for r in t.rows:
        number, percent = _cell_text(report, r)
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = r.label, number, percent
        if r.role == TOTAL:
            for cell in cells:
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.bold = True
        for cell in cells[1:]:
            cell.paragraphs[0].alignment = align.RIGHT
    _widths(table, (Cm(9), Cm(3), Cm(2.5)))
    for row in table.rows:  # a table's rows stay on one page with its title where they fit
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    doc.add_paragraph()


def write_workbook(report: CodeReport, path: str | Path) -> Path:
    import xlsxwriter

    s = report.stats
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14, "font_color": "#1F4E78"})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    right = book.add_format({"align": "right"})
    figures = book.add_worksheet("Figures")
    figures.write_string(0, 0, f"{s.council}: {report.title}", title)
    r = 2
    for section, ids, _ in SECTIONS:
        figures.write_string(r, 0, section, title)
        r += 1
        for tid in ids:
            t = s.table(tid)
            figures.write_string(r, 0, t.title, bold)
            r += 1
            for c, text in enumerate((t.heading, "Number", "%")):
                figures.write_string(r, c, text, head)
            r += 1
            for row in t.rows:
                number, percent = _cell_text(report, row)
                figures.write_string(r, 0, row.label, bold if row.role == TOTAL else None)
                if row.hidden or row.number is None or number.startswith("£"):
                    figures.write_string(r, 1, number, right)
                else:
                    figures.write_number(r, 1, row.number)
                figures.write_string(r, 2, percent, right)
                r += 1
            r += 1
    figures.set_column(0, 0, 60)
    figures.set_column(1, 2, 12)
    sheet = book.add_worksheet("Self-assessment")
    for c, text in enumerate(("Requirement", "What the register shows", "Evidence", "Commentary")):
        sheet.write_string(0, c, text, head)
    for i, row in enumerate(report.self_assessment, start=1):
        for c, key in enumerate(("Requirement", "Measured", "Evidence", "Commentary")):
            sheet.write_string(i, c, str(row.get(key) or ""), wrap)
    sheet.set_column(0, 3, 45)
    sheet.freeze_panes(1, 0)
    rules = book.add_worksheet("Counting rules")
    for i, rule in enumerate(counting_rules(report)):
        rules.write_string(i, 0, rule, wrap)
    rules.set_column(0, 0, 110)
    book.close()
    return Path(path)
