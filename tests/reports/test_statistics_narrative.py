"""The Word draft as a publishable report: the model report's sections, each with its
figures and a highlighted place for the council's words; contents, page numbers, the
council's name; no trace of another council; headings kept with their tables; the
outcomes chart labelled by stage. The last test renders the draft with LibreOffice
and reads it page by page."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from docx import Document
from test_statistics import AS_OF, R, report_table
from test_statistics_export import need_soffice

from xl_complaints.sample import complaints as sample

from xl_complaints.reports import statistics, statistics_export, statistics_narrative
from xl_complaints.core.settings import Settings

D = dt.date
SETTINGS = Settings(council_name="Northshire County Council", advocacy_service="Northshire Young People's Advocacy")
SECTIONS = [
    "1. Introduction", "2. The procedure and its scope", "3. Publicity and information", "4. Data and analysis",
    "5. Advocacy", "6. Learning from complaints and service improvements", "7. Effectiveness of the complaints procedure",
    "7.1. Stage 2 requests put on hold", "7.2. The cost of stage 2 investigations and stage 3 review panels", "8. Recommendations", "8.1. Progress on the recommendations of 2024/25", "8.2. Recommendations for 2026/27",
    "Appendix 1: Glossary: types of representation", "Appendix 2: The complaints process", "Appendix 3: How the figures are counted",
]
# Words of the model report's own council, which no other council's report should carry.
MODEL_COUNCIL = ("Hampshire", "Isle of Wight", "IWC", "CSCT", "CSC Respond", "Hantsdirect", "LSCB", "2016/17", "2015/16", "NYAS")


@pytest.fixture(scope="module")
def year_2025():
    table = sample.generate_table(400, years=2, seed=3, end=D(2026, 11, 30), settings=SETTINGS)
    stats = statistics.build(table, SETTINGS, 2025, as_of=D(2026, 12, 1))
    # the sample draws every category of the schema's default lists
    used = {r.label for t in stats.tables for r in t.rows}
    return stats, used


@pytest.fixture(scope="module")
def draft_2025(year_2025, tmp_path_factory):
    stats, _ = year_2025
    path = tmp_path_factory.mktemp("narrative") / "draft.docx"
    return statistics_export.write_word(statistics.suppress(stats, 5), path, settings=SETTINGS)


def text_of(doc) -> str:
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    return "\n".join(p.text for p in doc.paragraphs) + "\n" + cells


def test_every_section_of_the_model_report_is_there_in_order(draft_2025):
    doc = Document(str(draft_2025))
    headings = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    found = [h for h in headings if h in SECTIONS]
    assert found == SECTIONS
    assert headings.index("Executive summary") < headings.index("1. Introduction")


def test_each_section_has_a_highlighted_place_for_the_councils_words(draft_2025):
    doc = Document(str(draft_2025))
    highlighted = [p for p in doc.paragraphs if any(r.font.highlight_color is not None for r in p.runs)]
    assert len(highlighted) >= 10
    assert all(p.text.startswith("[For the council to write:") for p in highlighted)
    # the forms: learning by type, last year's recommendations, the new ones
    forms = [t for t in doc.tables if t.rows[0].cells[0].text in ("Type of learning", "Recommendation")]
    assert [t.rows[0].cells[0].text for t in forms] == ["Type of learning", "Recommendation", "Recommendation"]
    assert all(r.font.highlight_color is not None for t in forms for row in t.rows[1:] for c in row.cells for r in c.paragraphs[0].runs)


def test_sections_carry_their_figures(year_2025):
    stats, _ = year_2025
    parts = {p.title: p for p in statistics_narrative.sections(stats, SETTINGS)}
    words = statistics.sentences(stats)
    assert "Northshire Young People's Advocacy" in " ".join(parts["Advocacy"].text)
    assert parts["Advocacy"].tables == ("advocacy",)
    assert parts["Learning from complaints and service improvements"].tables == ("learning", "actions_type", "actions_service", "actions_done")
    assert parts["Stage 2 requests put on hold"].tables == ("s2_holds",)
    assert parts["The cost of stage 2 investigations and stage 3 review panels"].tables == ("costs",)
    assert words["actions_done"] and words["costs"]  # said beside their tables (not twice)
    assert set(words["2"]) <= set(parts["Effectiveness of the complaints procedure"].figures)
    assert any("under the corporate procedure" in f for f in parts["The procedure and its scope"].figures)
    process = " ".join(m for _, m in parts["The complaints process"].items)
    assert "within 10 working days" in process and "up to 20 working days" in process and "within 25 working days" in process
    glossary = dict(parts["Glossary: types of representation"].items)
    assert all(glossary.values()) and "Case Concern" in glossary


def test_contents_page_numbers_and_the_councils_name(draft_2025):
    doc = Document(str(draft_2025))
    body = doc.element.body.xml
    refs = re.findall(r"<w:instrText[^>]*> PAGEREF (_Section\d+) ", body)
    assert len(refs) == len(SECTIONS) + 1  # the contents: each section's page, and the executive summary's
    assert all(f'w:name="{r}"' in body for r in refs)  # each pointing at its heading's bookmark
    footer = doc.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer and "Northshire County Council" in footer
    assert "w:updateFields" in doc.settings.element.xml  # Word refreshes the page numbers on opening
    assert "Northshire County Council" in [p.text for p in doc.paragraphs]


def test_no_trace_of_the_model_council(draft_2025, year_2025):
    _, used = year_2025
    text = text_of(Document(str(draft_2025)))
    assert not any(word in label for label in used for word in MODEL_COUNCIL)  # the sample draws none
    for word in MODEL_COUNCIL:
        assert word not in text, word


def test_the_default_lists_carry_no_trace_of_the_model_council():
    """The seed council's own categories are general names in the defaults, the sample and the glossary."""
    from xl_complaints.core import schema

    for col in schema.INPUT_COLUMNS:
        for value in col.values:
            assert not any(word in value for word in MODEL_COUNCIL), (col.header, value)
    for term, meaning in statistics_narrative.GLOSSARY.items():
        assert not any(word in term + meaning for word in MODEL_COUNCIL), term
    stats = statistics.build(report_table(), Settings(), R.YEAR, as_of=AS_OF)
    assert stats.table("1a").row("other:Safeguarding partnership").number == 1  # the model report's one 'LSCB'
    assert stats.table("1a").row("other:Contact centre handoff").number == 0  # a default row, shown as the report shows it


def test_headings_are_kept_with_their_tables(draft_2025):
    doc = Document(str(draft_2025))
    body = doc.element.body
    for name in ("Heading 1", "Heading 2", "Title"):
        assert doc.styles[name].paragraph_format.keep_with_next
    # every paragraph between a table's heading and the table keeps with the next
    children = list(body.iterchildren())

    def kept(xml: str) -> bool:
        style = re.search(r'<w:pStyle w:val="([^"]+)"', xml)
        return "<w:keepNext/>" in xml or bool(style and style.group(1).startswith("Heading"))

    titles = {t.title for t in year_titles(doc)}
    for i, child in enumerate(children):
        if not child.tag.endswith("}tbl"):
            continue
        assert kept(children[i - 1].xml), children[i - 1].xml[-300:]  # whatever leads into a table stays with it
        j = i - 1
        while j >= 0 and children[j].tag.endswith("}p") and "".join(children[j].itertext()) not in titles:
            j -= 1
        if j >= 0 and "".join(children[j].itertext()) in titles and not any(c.tag.endswith("}tbl") for c in children[j:i]):
            assert all(kept(c.xml) for c in children[j:i])


def year_titles(doc):
    from docx.table import Table

    return [type("T", (), {"title": p.text}) for p in doc.paragraphs if p.style.name == "Heading 2" and (p.text.startswith("Table") or p.text in (
        "Advocacy: complaints made by young people", "Learning identified from complaints", "Referrals to the Local Government and Social Care Ombudsman",
        "Acknowledgement (triage) time", "Compliments received", "Outcomes at each stage: upheld, partially upheld, not upheld"))]


def test_outcomes_chart_is_labelled_by_stage(year_2025):
    stats, _ = year_2025
    t = stats.table("outcomes")
    labels = [statistics_export.chart_label(t, t.row(k)) for k in t.chart]
    assert labels[:3] == ["Stage 1: Upheld", "Stage 1: Partially upheld", "Stage 1: Not upheld"]
    assert "Stage 3: Not upheld" in labels and len(set(labels)) == len(labels)
    assert statistics_export.chart_title(t) == "Outcomes at each stage"


@pytest.mark.libreoffice
@pytest.mark.pdftotext
def test_rendered_pages_keep_headings_with_tables(draft_2025, tmp_path):
    """Looked at page by page: each table's heading is on the page where its table starts."""
    soffice = need_soffice()
    pdftotext = shutil.which("pdftotext") or pytest.skip("pdftotext (poppler-utils) is not installed")
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(draft_2025)], capture_output=True, timeout=240, check=True)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "draft.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    doc = Document(str(draft_2025))
    assert "Page 1 of" in pages[0] and f"Page {len(pages) - 1} of {len(pages) - 1}" in text
    # the contents, with the page each section starts on
    contents = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s*(\S.*?)\.{3,}\s*(\d+)\s*$", pages[0], re.M)}
    assert list(contents) == ["Executive summary"] + SECTIONS
    for heading, page in contents.items():
        assert heading in " ".join(pages[page - 1].split()), heading
    for table_id, head in (("1a", "Type of representation"), ("2", "Stage"), ("ombudsman", "Ombudsman's decision"), ("outcomes", "Outcome"), ("4", "Received from")):
        title = next(p.text for p in doc.paragraphs if p.text.startswith({"1a": "Table 1a", "2": "Table 2", "ombudsman": "Referrals to", "outcomes": "Outcomes at each", "4": "Table 4"}[table_id]))
        first_words = " ".join(title.split()[:4])
        page = next(i for i, p in enumerate(pages) if first_words in " ".join(p.split()))
        assert re.search(rf"^\s*{re.escape(head)}\s+2025/26", pages[page], re.M), (table_id, page)
    assert not re.search(r"(?<![\d,.+-])[1-9][\d,]*\s+\(0%\)", text)  # never (0%) for a count that is not nothing
