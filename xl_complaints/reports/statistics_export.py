"""The statistics as files: a workbook with native Excel charts, a Word draft, JSON.

Thin adapters over `statistics.Statistics`: the numbers, percentages, notes and
sentences all come from there, so the three outputs can never disagree. A hidden
(suppressed) number is written as the marker, never as a number.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from ..core.dates import as_of_or_today, long_date
from ..files import docx_elements
from .statistics import AVERAGE, HEADING, SUBTOTAL, TOTAL, Statistics, Table, as_dict, percent_text, sentences

# Tables grouped onto the workbook's sheets, in the report's order.
SHEETS = (
    ("1 Representations", ("1a", "1b")),
    ("2 Timeliness", ("2",)),
    ("3 How received", ("3a", "3b")),
    ("4 Who complained", ("4",)),
    ("5 Nature", ("5a", "5b")),
    ("6 Service", ("6a", "6b")),
    ("7 Outcomes", ("7a", "7b", "7c", "7d")),
    ("8 Profile", ("8a", "8c", "8e", "8g", "8b", "8d", "8f", "8h")),
    ("9 Young people", ("9a", "9b", "advocacy")),
    ("10 Further tables", ("learning", "acknowledgement", "outcomes", "ombudsman", "compliments")),
    ("11 Learning actions", ("actions_type", "actions_service", "actions_done")),
    ("12 Holds and costs", ("s2_holds", "costs")),
)

CHART_COLOURS = ("#1F4E79", "#9DC3E6")
PERCENT_FORMAT = "0%"


def to_json(stats: Statistics) -> str:
    """Every table, note and sentence, for other tools."""
    return json.dumps(as_dict(stats), indent=2, ensure_ascii=False)


def _sheet_of(stats: Statistics) -> list[tuple[str, list[Table]]]:
    placed = {tid for _, ids in SHEETS for tid in ids}
    out = [(name, [stats.table(tid) for tid in ids if any(t.id == tid for t in stats.tables)]) for name, ids in SHEETS]
    extra = [t for t in stats.tables if t.id not in placed]
    if extra:
        out.append(("Other tables", extra))
    return [(name, tables) for name, tables in out if tables]


def display(value, hidden: bool, marker: str, average: bool = False, unit: str = "") -> str:
    """A number as the report prints it ('' for none, the marker when hidden; pounds as '£3,230')."""
    if hidden:
        return marker
    if value is None:
        return ""
    if unit == "£":
        return f"£{value:,.0f}"
    if average:
        return f"{value:.1f}"
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def display_percent(value: float | None) -> str:
    """'(30%)'; '(<1%)' for 1 in 292, never '(0%)' for something."""
    return "" if value is None else f"({percent_text(value)})"


def display_change(value, average: bool = False, unit: str = "") -> str:
    if value is None:
        return ""
    if unit == "£":
        return f"{'+' if value > 0 else '-' if value < 0 else ''}£{abs(value):,.0f}"
    if average:
        return f"{value:+.1f}"
    return f"{value:+,}" if value else "0"


# --- the workbook --------------------------------------------------------------------


def write_workbook(stats: Statistics, path: str | Path) -> Path:
    """The statistics workbook: an About sheet, then the tables sheet by sheet with charts."""
    import xlsxwriter

    path = Path(path)
    book = xlsxwriter.Workbook(str(path))
    try:
        _Workbook(book, stats).write()
    finally:
        book.close()
    return path


class _Workbook:
    def __init__(self, book, stats: Statistics):
        self.book, self.stats = book, stats
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        f = lambda **kw: book.add_format({**base, **kw})  # noqa: E731
        self.f = {
            "title": f(bold=True, font_size=14),
            "subtitle": f(italic=True, font_color="#595959"),
            "wrap": f(text_wrap=True),
            "bold": f(bold=True),
            "link": f(font_color="#0563C1", underline=1),
            "head": f(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True, align="center"),
            "head_left": f(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True),
            "group": f(bold=True, border=1, bg_color="#F2F2F2"),
            "item": f(border=1, indent=1),
            "item_top": f(border=1),
            "total": f(bold=True, border=1, top=2),
            "count": f(border=1, num_format="#,##0"),
            "count_total": f(border=1, top=2, bold=True, num_format="#,##0"),
            "pct": f(border=1, num_format=PERCENT_FORMAT),
            "pct_total": f(border=1, top=2, bold=True, num_format=PERCENT_FORMAT),
            "avg": f(border=1, num_format="0.0"),
            "money": f(border=1, num_format="£#,##0"),
            "change": f(border=1, num_format="+#,##0;-#,##0;0"),
            "change_total": f(border=1, top=2, bold=True, num_format="+#,##0;-#,##0;0"),
            "change_avg": f(border=1, num_format="+0.0;-0.0;0.0"),
            "hidden": f(border=1, align="right", font_color="#7F7F7F"),
            "pct_text": f(border=1, align="right"),
            "blank": f(border=1),
            "small": f(font_size=8, font_color="#7F7F7F"),
        }

    def write(self) -> None:
        about = self.book.add_worksheet("About")
        placed = _sheet_of(self.stats)
        positions = {}
        sheets = []
        for name, tables in placed:
            sheet = self.book.add_worksheet(name)
            sheets.append((sheet, name, tables))
        for sheet, name, tables in sheets:
            positions.update(self._tables(sheet, name, tables))
        self._about(about, placed, positions)
        about.activate()

    def _about(self, sheet, placed, positions) -> None:
        s, f = self.stats, self.f
        sheet.set_column(0, 0, 90)
        sheet.hide_gridlines(2)
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.print_area(0, 0, 60000, 0)
        sheet.set_footer(self._footer())
        row = 0
        sheet.write(row, 0, s.title, f["title"])
        row += 1
        sheet.write(row, 0, f"{s.council}, {s.department}", f["bold"])
        row += 1
        sheet.write(row, 0, f"Reporting period {long_date(s.period.start)} to {long_date(s.period.end)}; figures as at {long_date(s.at)}.", f["subtitle"])
        row += 1
        if s.suppressed_under:
            sheet.set_row(row, _height(s.notes[-1]))
            sheet.write(row, 0, s.notes[-1], f["wrap"])
            row += 1
        row += 1
        sheet.write(row, 0, "Summary", f["bold"])
        row += 1
        for text in sentences(s)["summary"]:
            sheet.set_row(row, _height(text))
            sheet.write(row, 0, text, f["wrap"])
            row += 1
        row += 1
        sheet.write(row, 0, "Tables", f["bold"])
        row += 1
        for name, tables in placed:
            for t in tables:
                where = positions[t.id]
                sheet.write_url(row, 0, f"internal:'{name}'!A{where + 1}", f["link"], t.title)
                row += 1
        row += 1
        sheet.write(row, 0, "How the figures are counted", f["bold"])
        row += 1
        for note in s.notes:
            sheet.set_row(row, _height(note))
            sheet.write(row, 0, note, f["wrap"])
            row += 1

    def _footer(self) -> str:
        """Printed under every page: the date the figures are as at, and the page."""
        return f"&L&8Figures as at {self.stats.at:%d/%m/%Y}&C&8Page &P of &N&R&8&A"

    def _columns(self) -> list[str]:
        s = self.stats
        heads = [f"{s.period.label}\nNumber", "%"]
        if s.has_previous:
            heads += [f"{s.previous_period.label}\nNumber", "%", "Change"]
        return heads

    def _tables(self, sheet, name: str, tables: list[Table]) -> dict[str, int]:
        s, f = self.stats, self.f
        sheet.set_column(0, 0, 52)
        sheet.set_column(1, 5, 11)
        sheet.set_column(6, 6, 3)
        sheet.set_column(15, 17, 14)
        sheet.hide_gridlines(2)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)  # one page wide when printed
        sheet.print_area(0, 0, 60000, 14)  # the tables and charts, not the chart data
        sheet.set_footer(self._footer())
        positions = {}
        row = 0
        heads = self._columns()
        for t in tables:
            positions[t.id] = row
            sheet.write(row, 0, t.title, f["bold"])
            sheet.write(row + 1, 0, f"Counts: {t.counts}.", f["subtitle"])
            top = row + 2
            sheet.set_row(top, 28)
            sheet.write(top, 0, t.heading, f["head_left"])
            for j, head in enumerate(heads, start=1):
                sheet.write(top, j, head, f["head"])
            r = top + 1
            cells: dict[str, int] = {}
            for item in t.rows:
                self._row(sheet, r, item)
                cells[item.key] = r
                r += 1
            text = sentences(s).get(t.id, [])
            for line in text:
                sheet.write(r, 0, line, f["subtitle"])
                r += 1
            end = r
            if t.chart:
                end = max(end, self._chart(sheet, t, top, cells))
            row = end + 2
        return positions

    def _row(self, sheet, r: int, item) -> None:
        s, f = self.stats, self.f
        if item.role == HEADING:
            sheet.write(r, 0, item.label, f["group"])
            for j in range(1, len(self._columns()) + 1):
                sheet.write_blank(r, j, None, f["group"])
            return
        strong = item.role in (TOTAL, SUBTOTAL)
        average = item.role == AVERAGE
        label_format = f["total"] if strong else (f["item"] if item.parent and item.parent.startswith("subtotal") else f["item_top"])
        sheet.write(r, 0, item.label, label_format)
        values = [(item.number, item.hidden, item.percent)]
        if s.has_previous:
            values.append((item.previous, item.previous_hidden, item.previous_percent))
        j = 1
        for value, hidden, percent in values:
            if hidden:
                sheet.write_string(r, j, s.marker, f["hidden"])
            elif value is None:
                sheet.write_blank(r, j, None, f["blank"])
            else:
                sheet.write_number(r, j, value, f["money"] if item.unit == "£" else f["avg"] if average else (f["count_total"] if strong else f["count"]))
            if percent is None:
                sheet.write_blank(r, j + 1, None, f["blank"])
            elif percent_text(percent) in ("<1%", ">99%"):  # 1 in 292 is not 0%
                sheet.write_string(r, j + 1, percent_text(percent), f["pct_text"] if not strong else f["pct_total"])
            else:
                sheet.write_number(r, j + 1, percent / 100.0, f["pct_total"] if strong else f["pct"])
            j += 2
        if s.has_previous:
            if item.change is None:
                sheet.write_blank(r, j, None, f["blank"])
            else:
                sheet.write_number(r, j, item.change, f["change_avg"] if average else (f["change_total"] if strong else f["change"]))

    def _chart(self, sheet, t: Table, top: int, cells: dict[str, int]) -> int:
        """A native bar chart of the table's main rows, fed by a small block at column P."""
        s = self.stats
        keys = [k for k in t.chart if k in cells]
        if not keys:
            return top
        name = sheet.get_name()
        data_col = 15  # column P
        sheet.write(top, data_col, f"Chart data: {t.id}", self.f["small"])
        sheet.write(top, data_col + 1, s.period.label, self.f["small"])
        if s.has_previous:
            sheet.write(top, data_col + 2, s.previous_period.label, self.f["small"])
        for i, key in enumerate(keys, start=1):
            row = t.row(key)
            sheet.write(top + i, data_col, chart_label(t, row), self.f["small"])
            for k, (value, hidden) in enumerate(((row.number, row.hidden), (row.previous, row.previous_hidden))):
                if k == 1 and not s.has_previous:
                    continue
                if hidden or value is None:
                    sheet.write_blank(top + i, data_col + 1 + k, None)
                else:
                    sheet.write_number(top + i, data_col + 1 + k, value)
        first, last = top + 1, top + len(keys)
        chart = self.book.add_chart({"type": "bar"})
        series = [(s.period.label, data_col + 1, CHART_COLOURS[0])]
        if s.has_previous:
            series.append((s.previous_period.label, data_col + 2, CHART_COLOURS[1]))
        for label, col, colour in series:
            chart.add_series(
                {
                    "name": label,
                    "categories": [name, first, data_col, last, data_col],
                    "values": [name, first, col, last, col],
                    "fill": {"color": colour},
                    "gap": 60,
                }
            )
        chart.set_title({"name": chart_title(t), "name_font": {"size": 11}})
        chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
        chart.set_x_axis({"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, "num_font": {"size": 8}})
        chart.set_legend({"position": "bottom"})
        height = max(220, 24 * len(keys) * len(series) + 110)
        chart.set_size({"width": 480, "height": height})
        sheet.insert_chart(top, 7, chart, {"x_offset": 5, "y_offset": 0})
        return top + int(height / 20) + 1


def _height(text: str, width: int = 90) -> float:
    """Row height in points for wrapped Arial 10 text in a column `width` characters wide."""
    lines = -(-len(text) // int(width * 1.1))
    return 13.0 * max(1, lines) + 2


# --- the Word draft -----------------------------------------------------------------


def write_word(stats: Statistics, path: str | Path, charts: bool = True, settings=None) -> Path:
    """A Word draft of the annual report: the model report's sections, the tables, charts and draft sentences.

    Each section has the figures it needs and a highlighted place for the council's
    own words; a contents list (Word fills in its page numbers when the file is
    opened) and page numbers in the footer.
    """
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    from . import statistics_narrative

    path = Path(path)
    s = stats
    words = sentences(s)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        doc.styles[name].paragraph_format.keep_with_next = True
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2)
    _footer(section, f"{s.council}: {s.title}")
    _update_fields_on_open(doc)

    doc.add_heading(f"{s.department}", level=2)
    doc.add_heading(s.title, level=0)
    doc.add_paragraph(f"{s.council}")
    doc.add_paragraph(f"Reporting period {long_date(s.period.start)} to {long_date(s.period.end)}.")
    note = doc.add_paragraph()
    run = note.add_run(
        f"Draft made from the complaints register on {long_date(as_of_or_today())}, with figures as at "
        f"{long_date(s.at)}. The sentences are drafts for officers to check and edit before publishing; "
        "the highlighted text marks where the council's own words go."
    )
    run.italic = True
    if s.suppressed_under:
        doc.add_paragraph(s.notes[-1])

    parts = statistics_narrative.sections(s, settings)
    doc.add_heading("Contents", level=1)
    headings = ["Executive summary"] + [_section_heading(p) for p in parts]
    _contents(doc, headings, section)

    _bookmark(doc.add_heading("Executive summary", level=1), 0)
    for text in words["summary"]:
        doc.add_paragraph(text, style="List Bullet")
    _prompt(doc, "Add the key findings the council wants to draw out, and the recommendations in brief.")

    for number, part in enumerate(parts, start=1):
        _bookmark(doc.add_heading(_section_heading(part), level=2 if "." in part.number else 1), number)
        for text in part.text:
            doc.add_paragraph(text)
        for text in part.figures:
            doc.add_paragraph(text, style="List Bullet")
        for term, meaning in part.items:
            paragraph = doc.add_paragraph(style="List Bullet" if not term else None)
            if term:
                paragraph.add_run(term + ". ").bold = True
            paragraph.add_run(meaning)
        for table_id in part.tables:
            t = s.table(table_id)
            doc.add_heading(t.title, level=2)
            for text in words.get(t.id, []):
                doc.add_paragraph(text).paragraph_format.keep_with_next = True
            _word_table(doc, s, t, WD_TABLE_ALIGNMENT, Cm, Pt)
            caption = doc.add_paragraph()
            caption_run = caption.add_run(f"Counts: {t.counts}.")
            caption_run.italic = True
            caption_run.font.size = Pt(8)
            if t.chart and charts:
                picture = chart_png(s, t)
                if picture is not None:
                    caption.paragraph_format.keep_with_next = False
                    doc.add_picture(picture, width=Cm(15))
        if part.prompt:
            _prompt(doc, part.prompt).paragraph_format.keep_with_next = bool(part.form)  # with its form
        if part.form:
            _form(doc, part.form, WD_TABLE_ALIGNMENT, Pt)
    doc.save(str(path))
    return path


HIGHLIGHT = "YELLOW"  # where the council's own words go


def _section_heading(part) -> str:
    return f"{part.number}: {part.title}" if part.number.startswith("Appendix") else f"{part.number}. {part.title}"


def _prompt(doc, text: str):
    """A highlighted place for the council's words, saying what goes there."""
    from docx.enum.text import WD_COLOR_INDEX

    paragraph = doc.add_paragraph()
    run = paragraph.add_run(f"[For the council to write: {text}]")
    run.font.highlight_color = getattr(WD_COLOR_INDEX, HIGHLIGHT)
    return paragraph


def _form(doc, heads: tuple[str, ...], align, Pt, rows: int = 3) -> None:
    """An empty table for the council to fill in, its cells highlighted."""
    from docx.enum.text import WD_COLOR_INDEX

    table = doc.add_table(rows=1 + rows, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = align.CENTER
    for cell, head in zip(table.rows[0].cells, heads):
        cell.text = head
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_as_header(table.rows[0])
    for row in table.rows[1:]:
        for cell in row.cells:
            run = cell.paragraphs[0].add_run(" ")
            run.font.highlight_color = getattr(WD_COLOR_INDEX, HIGHLIGHT)
            run.font.size = Pt(9)
    doc.add_paragraph()


def _field(paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) with the text shown until Word updates it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = OxmlElement("w:r")
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        run.append(mark)
        return run

    docx_elements.add_child(paragraph, char("begin"))
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run.append(text)
    docx_elements.add_child(paragraph, run)
    docx_elements.add_child(paragraph, char("separate"))
    paragraph.add_run(shown)
    docx_elements.add_child(paragraph, char("end"))


def _footer(section, title: str) -> None:
    """The council and report on the left of every page, 'Page n of N' on the right."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Inches, Pt

    paragraph = section.footer.paragraphs[0]
    width = section.page_width - section.left_margin - section.right_margin
    stops = paragraph.paragraph_format.tab_stops
    for inches in (3.25, 6.5):  # the Footer style's own centre and right stops
        stops.add_tab_stop(Inches(inches), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(title + "\tPage ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _bookmark(paragraph, number: int) -> None:
    """A bookmark round a heading, for the contents' page number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(900 + number))
    start.set(qn("w:name"), f"_Section{number}")
    end.set(qn("w:id"), str(900 + number))
    docx_elements.add_first_and_last(paragraph, start, end)


def _contents(doc, headings: list[str], section) -> None:
    """The contents: each section with its page number (PAGEREF fields, which Word and LibreOffice both work out)."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

    width = section.page_width - section.left_margin - section.right_margin
    for number, heading in enumerate(headings):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        paragraph.paragraph_format.space_after = 0
        if re.match(r"\d+\.\d+", heading):  # a subsection, such as 8.1
            paragraph.paragraph_format.left_indent = section.left_margin // 2
        paragraph.add_run(heading + "\t")
        _field(paragraph, f"PAGEREF _Section{number} \\h", "")
    doc.add_page_break()


def _update_fields_on_open(doc) -> None:
    """Word asks to update fields when the draft is opened: the contents get their page numbers."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


def _word_table(doc, s: Statistics, t: Table, align, Cm, Pt) -> None:
    heads = [t.heading, f"{s.period.label}", "%"]
    if s.has_previous:
        heads += [f"{s.previous_period.label}", "%", "Change"]
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = align.CENTER
    for j, (cell, head) in enumerate(zip(table.rows[0].cells, heads)):
        cell.text = head
        if j:
            cell.paragraphs[0].alignment = 2  # right, over the numbers
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_as_header(table.rows[0])
    for item in t.rows:
        cells = table.add_row().cells
        average = item.role == AVERAGE
        values = [item.label]
        if item.role == HEADING:
            values += [""] * (len(heads) - 1)
        else:
            values += [display(item.number, item.hidden, s.marker, average, item.unit), display_percent(item.percent)]
            if s.has_previous:
                values += [
                    display(item.previous, item.previous_hidden, s.marker, average, item.unit),
                    display_percent(item.previous_percent),
                    display_change(item.change, average, item.unit),
                ]
        for j, (cell, text) in enumerate(zip(cells, values)):
            cell.text = text
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.keep_with_next = True
            if j:
                paragraph.alignment = 2  # right
            if item.role in (HEADING, TOTAL, SUBTOTAL):
                for run in paragraph.runs:
                    run.bold = True
            for run in paragraph.runs:
                run.font.size = Pt(9)
    widths = [Cm(7.0)] + [Cm(10.0 / (len(heads) - 1))] * (len(heads) - 1)
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _repeat_as_header(row) -> None:
    """The heading row repeats at the top of each page a long table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    docx_elements.add_properties(row, header)


def chart_label(t: Table, row) -> str:
    """A bar's label: the row's, and for a table in stages (the outcomes) the stage too."""
    label = row.label.removeprefix("- ")
    stage = row.key.split(":")[0] if ":" in row.key else ""
    if t.id == "outcomes" and stage.startswith("s") and stage[1:].isdigit():
        return f"Stage {stage[1:]}: {label}"
    return label


def chart_title(t: Table) -> str:
    """A chart's title: the table's number and subject, without the report's long brackets."""
    if t.id == "2":
        return "Table 2: time taken to answer stage 1 complaints"
    if t.id == "outcomes":
        return "Outcomes at each stage"
    return t.title.split(" (")[0]


def chart_png(s: Statistics, t: Table) -> io.BytesIO | None:
    """The table's chart as a PNG (matplotlib, no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    keys = list(t.chart)
    if not keys:
        return None
    rows = [t.row(k) for k in keys]
    labels = [chart_label(t, r) for r in rows]
    series = [(s.period.label, [None if r.hidden else r.number for r in rows], CHART_COLOURS[0])]
    if s.has_previous:
        series.append((s.previous_period.label, [None if r.previous_hidden else r.previous for r in rows], CHART_COLOURS[1]))
    height = min(6.5, max(2.2, 0.2 * len(rows) * len(series) + 1.0))
    figure = Figure(figsize=(7.0, height), dpi=150)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot(1, 1, 1)
    bar = 0.8 / len(series)
    for k, (name, values, colour) in enumerate(series):
        positions = [i + k * bar for i in range(len(rows))]
        heights = [v or 0 for v in values]
        ax.barh(positions, heights, height=bar, color=colour, label=name)
        for y, v in zip(positions, values):
            ax.text((v or 0), y, f" {s.marker if v is None else display(v, False, s.marker)}", va="center", fontsize=7)
    ax.set_yticks([i + bar * (len(series) - 1) / 2 for i in range(len(rows))])
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(chart_title(t), fontsize=10)
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    # room for the labels without tight_layout, which is slow: about 0.067 inch a character at 8 points
    left = min(0.55, (0.25 + 0.067 * max(len(x) for x in labels)) / 7.0)
    figure.subplots_adjust(left=left, right=0.95, top=1 - 0.45 / height, bottom=0.45 / height + 0.05)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    out.seek(0)
    return out
