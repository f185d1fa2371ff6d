"""The Word templates, built from the letter types' wording (types/*.md).

The .docx files in `letter_templates/` are what officers edit and what letters
are rendered from; this module makes them from the wording in the letter type
files, so the wording is reviewed as text and the files rebuilt after a change
(`xl-complaints templates build --force`). It never overwrites a template that
exists unless asked to (`force`), because an officer may have edited it in Word.
Every letter shares one layout: the letterhead, the recipient and reference
block, 'Dear ...', the subject, the wording, the signature kept with the last
paragraph, a tear-off slip if the wording has one, and a footer with the page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor

from . import catalogue as catalogues
from ..files import docx_elements as seam
from .source import Section
from .templates import TEMPLATES_FOLDER

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
FONT = "Arial"
BUILT = dt.datetime(2024, 1, 1)  # the templates' recorded creation date: fixed, so a rebuild changes only what changed


def sections(catalogue: catalogues.Catalogue | None = None) -> list[Section]:
    """Every template the letter types' wording makes (one per version of each letter)."""
    return (catalogue or catalogues.CATALOGUE).sections()


# --- building a Word file -------------------------------------------------------------

_INLINE = re.compile(r"(\*\*.+?\*\*|\[\[.+?\]\])")


def _runs(paragraph, text: str, size: float | None = None, colour: RGBColor | None = None, bold: bool = False):
    for piece in _INLINE.split(text):
        if not piece:
            continue
        strong = piece.startswith("**") and piece.endswith("**")
        prompt = piece.startswith("[[") and piece.endswith("]]")
        run = paragraph.add_run(piece[2:-2] if strong or prompt else piece)
        run.bold = bold or strong or None
        if prompt:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if size:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
    return paragraph


def _spacing(paragraph, before: float = 0, after: float = 6, keep: bool = False):
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if keep:
        fmt.keep_with_next = True
    return paragraph


def _cell_paragraph(cell, text: str, first: bool, **kw):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    _runs(paragraph, text, **kw)
    return _spacing(paragraph, after=0)


def _shade(cell, fill: str):
    seam.add_properties(cell, parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _borders(table, colour: str = "BFBFBF", inner: bool = True):
    inside = f'<w:insideH w:val="single" w:sz="4" w:color="{colour}"/><w:insideV w:val="single" w:sz="4" w:color="{colour}"/>' if inner else ""
    xml = (
        f'<w:tblBorders {nsdecls("w")}>'
        f'<w:top w:val="single" w:sz="4" w:color="{colour}"/><w:left w:val="single" w:sz="4" w:color="{colour}"/>'
        f'<w:bottom w:val="single" w:sz="4" w:color="{colour}"/><w:right w:val="single" w:sz="4" w:color="{colour}"/>'
        f"{inside}</w:tblBorders>"
    )
    seam.add_properties(table, parse_xml(xml))


def _widths(table, widths_cm):
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)


def _page_field(paragraph, instruction: str):
    seam.add_child(paragraph, parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
    ))


TEXT_WIDTH = 16.6  # cm: A4 less 2.2 cm margins
CELL_MARGIN = 108  # twips (0.19 cm): Word's default left and right cell margin


def build_document(spec: Section):
    """One template (a version of a letter type's wording) as a python-docx Document."""
    doc = Document()
    size = 12 if spec.young_person else 11
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(size)
    normal.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.0
    bullet = doc.styles["List Bullet"]
    bullet.font.name, bullet.font.size = FONT, Pt(size)

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(1.3), Cm(1.8)
    section.footer_distance = Cm(0.8)

    # Footer: the council, the reference and the page, on every page (how to get in touch is in the letter).
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _runs(footer, "{{ council_name }}  \u00b7  {{ team_name }}  \u00b7  {{ council_address_line }}", size=8, colour=GREY)
    second = section.footer.add_paragraph()
    second.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _runs(second, "Our reference {{ reference }}  \u00b7  Page ", size=8, colour=GREY)
    _page_field(second, "PAGE")
    _runs(second, " of ", size=8, colour=GREY)
    _page_field(second, "NUMPAGES")

    # Letterhead: the logo when the Settings name one, then the council across the page.
    doc.add_paragraph("{%p if logo %}")
    _spacing(_runs(doc.add_paragraph(), "{{ logo }}"), after=4)
    doc.add_paragraph("{%p endif %}")
    lines = (
        ("{{ council_name }}", dict(size=16, colour=ACCENT, bold=True)),
        ("{{ department }}  \u00b7  {{ team_name }}", dict(size=10, colour=ACCENT, bold=True)),
        ("{{ council_address_line }}  \u00b7  {{ website }}", dict(size=9, colour=GREY)),
    )
    for i, (text, kw) in enumerate(lines):
        _spacing(_runs(doc.add_paragraph(), text, **kw), after=0, keep=True)
    rule = _spacing(doc.add_paragraph(), after=8)
    seam.add_properties(rule, parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="8" w:space="1" w:color="1F4E79"/></w:pBdr>'
    ))

    # Recipient on the left; reference and date on the right.
    block = doc.add_table(rows=1, cols=2)
    _widths(block, (10.6, TEXT_WIDTH - 10.6))
    left = block.cell(0, 0)
    _cell_paragraph(left, "PRIVATE AND CONFIDENTIAL", True, size=8, bold=True, colour=GREY)
    _cell_paragraph(left, "{{ recipient_name }}", False)
    _cell_paragraph(left, "{{ recipient_address }}", False)
    left.add_paragraph("{%p if child_address_to_complete %}")
    _cell_paragraph(left, "[[The child's address: the register holds only the complainant's]]", False)
    left.add_paragraph("{%p endif %}")
    info = block.cell(0, 1)
    _cell_paragraph(info, "**Our reference:** {{ reference }}", True, size=9)
    _cell_paragraph(info, "**Date:** {{ letter_date }}", False, size=9)
    info.add_paragraph("{%p if reissued %}")
    _cell_paragraph(info, "**Copy sent:** {{ reissue_date }}", False, size=9)
    info.add_paragraph("{%p endif %}")
    _spacing(doc.add_paragraph(), after=4)

    _spacing(_runs(doc.add_paragraph(), "Dear {{ greeting_name }}"), after=10)
    _spacing(_runs(doc.add_paragraph(), spec.subject, bold=True, colour=ACCENT), after=10)
    doc.add_paragraph("{%p if reissued %}")
    _runs(doc.add_paragraph(), "This is a copy of our letter of {{ letter_date }}, sent again on {{ reissue_date }}. The dates in it are those of the original letter.", bold=True)
    doc.add_paragraph("{%p endif %}")

    _body(doc, spec.body, size)
    # The sign-off and the paragraph before it share one table row that cannot split, so a
    # signature never stands alone on a page (Word and LibreOffice both keep a row whole).
    texts = [p for p in doc.paragraphs if not p.text.startswith("{%p")]
    last = texts[-1]
    keep = doc.add_table(rows=1, cols=1)
    _widths(keep, (TEXT_WIDTH,))
    seam.add_properties(keep.rows[0], parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    cell = keep.cell(0, 0)
    if seam.is_last(last, keep):  # the letter's last words, not a condition's end: move them in
        seam.move_into_cell(last, cell)
    closing = "Best wishes" if spec.young_person else "Yours sincerely"
    signature = _spacing(cell.add_paragraph(), before=6, after=0)
    for i, line in enumerate((closing, "", "", "**{{ signatory }}**", "{{ signatory_title }}", "{{ council_name }}")):
        if i:
            signature.add_run().add_break()
        if line:
            _runs(signature, line)
    end = _spacing(doc.add_paragraph(), after=0)
    end.paragraph_format.line_spacing = Pt(1)  # Word needs a paragraph after a table: keep it tiny

    if spec.slip:
        _slip(doc, spec.slip)
    return doc


def _slip(doc, lines):
    """The tear-off slip: one box that never splits across pages, kept with its cut line."""
    cut = doc.add_paragraph()
    _spacing(cut, before=18, after=4, keep=True)
    seam.add_properties(cut, parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:top w:val="dashed" w:sz="6" w:space="6" w:color="7F7F7F"/></w:pBdr>'
    ))
    _runs(cut, "\u2702  Cut here", size=8, colour=GREY)
    table = doc.add_table(rows=1, cols=1)
    _borders(table, "9DB3CC", inner=False)
    _inside_margins(table)
    _widths(table, (TEXT_WIDTH,))
    row = table.rows[0]
    seam.add_properties(row, parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    cell = row.cells[0]
    first = _cell_paragraph(cell, "Please send this slip back to the {{ team_name }}, {{ council_address_line }}", True, bold=True, size=10)
    _spacing(first, before=4, after=6)
    for _, line in lines:
        _spacing(_cell_paragraph(cell, line, False), after=8)


def _inside_margins(table):
    """Indent a bordered or shaded table by its cell margin, so its edges stand on the page margins, not 2 mm outside."""
    seam.add_properties(table, parse_xml(f'<w:tblInd {nsdecls("w")} w:w="{CELL_MARGIN}" w:type="dxa"/>'))


def _paragraph_tag(tag: str) -> str:
    """'{% if x %}' on a line of its own -> docxtpl's paragraph tag '{%p if x %}'."""
    return re.sub(r"^\{%-?", "{%p", tag)


def _body(doc, items, size):
    for item in items:
        kind = item[0]
        if kind == "p":
            _runs(doc.add_paragraph(), item[1])
        elif kind == "h":
            _spacing(_runs(doc.add_paragraph(), item[1], bold=True, colour=ACCENT), before=6, after=3, keep=True)
        elif kind == "ul":
            for i, text in enumerate(item[1]):
                _spacing(_runs(doc.add_paragraph(style="List Bullet"), text), after=6 if i == len(item[1]) - 1 else 2)
        elif kind == "tag":
            doc.add_paragraph(_paragraph_tag(item[1]))
        elif kind == "box":
            _box(doc, item[1])
        elif kind == "table":
            _grid(doc, item[1], item[2], size)
        else:  # pragma: no cover - a mistake in source.py
            raise ValueError(f"unknown body item {item!r}")


def _box(doc, rows):
    """A light box of label/value lines: key dates, the Ombudsman's details."""
    table = doc.add_table(rows=len(rows), cols=2)
    _borders(table, "9DB3CC", inner=False)
    _inside_margins(table)
    _widths(table, (6.0, TEXT_WIDTH - 6.0))
    for r, (label, value) in enumerate(rows):
        left, right = table.cell(r, 0), table.cell(r, 1)
        _shade(left, "EAF1F8")
        _shade(right, "EAF1F8")
        if value:
            _cell_paragraph(left, label, True, bold=True, size=10)
            _cell_paragraph(right, value, True, size=10)
        else:
            merged = left.merge(right)
            _cell_paragraph(merged, label, True, bold=True, size=10)
    _spacing(doc.add_paragraph(), after=2)


def _grid(doc, headers, rows, size):
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    _borders(table)
    _inside_margins(table)
    width = TEXT_WIDTH / len(headers)
    _widths(table, [width] * len(headers))
    for c, text in enumerate(headers):
        cell = table.cell(0, c)
        _shade(cell, "1F4E79")
        _cell_paragraph(cell, text, True, bold=True, size=size - 1, colour=RGBColor(0xFF, 0xFF, 0xFF))
    for r, row in enumerate(rows, start=1):
        if row[0] == "tag":  # a loop over rows: docxtpl's row tag, alone in the row
            _cell_paragraph(table.cell(r, 0), re.sub(r"^\{%-?", "{%tr", row[1]), True, size=size - 1)
            continue
        for c, text in enumerate(row):
            _cell_paragraph(table.cell(r, c), text, True, size=size - 1)
    _spacing(doc.add_paragraph(), after=2)


def build(folder: str | Path | None = None, force: bool = False, only: list[str] | None = None,
          catalogue: catalogues.Catalogue | None = None) -> tuple[list[Path], list[Path]]:
    """Write the templates; (written, kept) paths. Existing files are kept unless force."""
    folder = Path(folder) if folder else TEMPLATES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for spec in sections(catalogue):
        if only and spec.stem not in only:
            continue
        path = folder / f"{spec.stem}.docx"
        if path.exists() and not force:
            kept.append(path)
            continue
        doc = build_document(spec)
        doc.core_properties.title = spec.stem
        doc.core_properties.author = "xl-complaints"
        doc.core_properties.created = doc.core_properties.modified = BUILT  # the same sources, the same file
        doc.save(path)
        written.append(path)
    return written, kept
