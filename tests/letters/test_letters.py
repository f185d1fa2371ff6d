"""Letters: every template rendered for real rows, dates as the register shows them, text escaped."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docxtpl import DocxTemplate

from xl_complaints import letters

from xl_complaints.core import schema, status
from xl_complaints.letters.build import build, build_document, sections

from xl_complaints.core.register import from_records
from xl_complaints.core.settings import Settings

SPECS = tuple(sections())  # every template: one per version of each letter type

AS_OF = dt.date(2022, 6, 20)
SETTINGS = Settings(corporate_rulebook_before_code="lgsco-code-2026")  # issue 11: 2022 corporate rows would otherwise follow the pre-Code rulebook
# Each letter dated as it would be sent for the sample complaints below.
LETTER_DATES = {
    "stage-1-response": dt.date(2022, 7, 1),
    "stage-2-acknowledgement": dt.date(2022, 7, 22),
    "stage-2-adjudication": dt.date(2022, 8, 22),
    "stage-3-panel": dt.date(2022, 9, 5),
    "stage-3-response": dt.date(2022, 11, 1),
}


def letter_date(key: str) -> dt.date:
    return LETTER_DATES.get(key, AS_OF)

BASE = {
    "Representation type": "Complaint",
    "How received": "E-mail",
    "Complainant title": "Mrs",
    "Complainant first name": "Mair",
    "Complainant last name": "Hughes",
    "Address line 1": "1 Heol y Llan",
    "Town": "Exampleton",
    "Postcode": "EX1 2AB",
    "Received from": "Grandparent",
    "Child name": "Amy Hughes",
    "Child date of birth": "2008-05-01",
    "Service": "Child in Need",
    "Responding manager": "Sam Patel",
    "Manager job title": "Team Manager",
    "Investigating officer": "Jo Bloggs",
    "Independent person": "Pat Jones",
    "S1 outcome": "Partially upheld",
    "S2 outcome": "Not upheld",
    "Date of events": "2022-05-01",
}
# A complaint far enough along that every letter type has its dates.
FULL = {
    "Date received": "2022-06-13",
    "S1 extended": "Yes",
    "S1 response sent": "2022-07-01",
    "S2 requested": "2022-07-20",
    "S2 adjudication sent": "2022-08-22",
    "S3 requested": "2022-09-01",
    "S3 panel held": "2022-10-20",
    "S3 panel report received": "2022-10-25",
    "Withdrawn date": "2022-06-17",
    "Refusal reason": "No PR",
}
ROWS = {
    "statutory adult": dict(BASE, Reference="ST-1", Procedure="Statutory", **FULL),
    "statutory young person": dict(
        BASE, Reference="ST-2", Procedure="Statutory", **FULL,
        **{"Received from": schema.YOUNG_PERSON, "Complainant title": "", "Complainant first name": "Jamie",
           "Complainant last name": "Lee", "Child name": "", "Email": "jamie@example.com"},
    ),
    "corporate adult": dict(BASE, Reference="CO-1", Procedure="Corporate", **FULL, **{"Received from": "Parent"}),
    "corporate young person": dict(
        BASE, Reference="CO-2", Procedure="Corporate", **FULL,
        **{"Received from": schema.YOUNG_PERSON, "Complainant title": "", "Complainant first name": "Rhys",
           "Complainant last name": "Evans", "Child name": ""},
    ),
}
# Stage 1 still running, with an agreed extension: for the extension letter.
EXTENDED = {
    "statutory adult": dict(BASE, Reference="EX-1", Procedure="Statutory", **{"Date received": "2022-06-13", "S1 extended": "Yes"}),
    "statutory young person": dict(ROWS["statutory young person"], Reference="EX-2", **{"S1 response sent": "", "S2 requested": "", "S2 adjudication sent": "", "S3 requested": "", "S3 panel held": "", "S3 panel report received": ""}),
    "corporate adult": dict(BASE, Reference="EX-3", Procedure="Corporate", **{"Date received": "2022-06-13", "S1 extended": "Yes", "S1 acknowledged": "2022-06-14"}),
}


def docx_text(data: bytes | Path) -> str:
    """Every paragraph of a .docx: body, tables, headers and footers."""
    doc = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    for section in doc.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def docx_parts(path: Path) -> dict[str, bytes]:
    """A .docx's content, part by part: what a letter says and holds, not when its zip was written."""
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in sorted(package.namelist())}


def expected_dates(records: dict, letter: letters.LetterType) -> dict:
    """The register's own dates for these rows, straight from status.timeline."""
    table = from_records(list(records.values())).table
    if letter.event:
        table.loc[table[letter.event].isna(), letter.event] = pd.Timestamp(letter_date(letter.key))
    timeline = status.timeline(table, SETTINGS, letter_date(letter.key))
    return {ref: timeline.loc[row] for row, ref in table["reference"].items()}


@pytest.fixture(scope="module")
def register():
    return from_records(list(ROWS.values()) + list(EXTENDED.values()))


@pytest.fixture(scope="module")
def written(register, tmp_path_factory):
    """Every letter type for every sample row (those the letter applies to)."""
    out = tmp_path_factory.mktemp("letters")
    results = {}
    for letter in letters.LETTER_TYPES:
        refs = [r["Reference"] for r in (EXTENDED if letter.key == "extension" else ROWS).values()]
        results[letter.key] = letters.generate_for_rows(register, refs, letter.key, SETTINGS, out, letter_date(letter.key))
    return results


# --- formatting ---------------------------------------------------------------------


def test_dates_print_in_full_without_a_leading_zero():
    assert letters.long_date(dt.date(2022, 6, 13)) == "Monday 13 June 2022"
    assert letters.long_date(dt.date(2022, 6, 6)) == "Monday 6 June 2022"
    assert letters.long_date(None) == ""


def test_letter_types_are_found_by_key_or_title():
    assert letters.letter_type("stage-1-response").title == "Stage 1 response"
    assert letters.letter_type("Stage 1 Response").key == "stage-1-response"
    assert letters.letter_type("stage 2 response").key == "stage-2-adjudication"
    with pytest.raises(letters.LetterError, match="acknowledgement"):
        letters.letter_type("acknowledgment letter")


def test_every_letter_type_has_its_shipped_templates():
    stems = {spec.stem for spec in SPECS}
    for letter in letters.LETTER_TYPES:
        for procedure in letter.routes:
            assert letter.template_stems(procedure, False)[-1] in stems
    assert letters.check_templates() == []


# --- every template, every kind of row -------------------------------------------------


def test_every_applicable_letter_is_written(written):
    not_applicable = {
        ("consent-request", "ST-2"), ("consent-request", "CO-2"),  # the young person complained themselves
        ("stage-3-panel", "CO-1"), ("stage-3-panel", "CO-2"),  # panels are statutory only
        ("stage-3-response", "CO-1"), ("stage-3-response", "CO-2"),  # the corporate code has two stages
    }
    for key, result in written.items():
        refused = {(key, r.reference) for r in result.refused}
        assert refused <= not_applicable, [str(r) for r in result.refused]
        assert result.written, key
    # The panel is on 20 October 2022, after the letter date: the arrangements letter is written.
    assert {w.reference for w in written["stage-3-panel"].written} == {"ST-1", "ST-2"}


@pytest.mark.parametrize("letter", letters.LETTER_TYPES, ids=lambda letter: letter.key)
def test_names_reference_and_letterhead_in_every_letter(written, letter):
    by_ref = {**{r["Reference"]: r for r in ROWS.values()}, **{r["Reference"]: r for r in EXTENDED.values()}}
    for w in written[letter.key].written:
        row = by_ref[w.reference]
        text = docx_text(w.path)
        assert w.reference in text
        assert SETTINGS.council_name in text and SETTINGS.phone in text
        assert f"Date: {letters.long_date(letter_date(letter.key))}" in text
        assert "{{" not in text and "{%" not in text and "[[" not in text
        if letter.to_child:
            assert "Dear Amy\n" in text
        elif row["Received from"] == schema.YOUNG_PERSON:
            assert f"Dear {row['Complainant first name']}\n" in text
            assert ("Best wishes" in text) == letter.young_person  # the case concern letter has no young person's variant
        else:
            assert f"Dear {row['Complainant title']} {row['Complainant last name']}\n" in text
            assert "Yours sincerely" in text


def test_young_people_get_the_plain_variant_and_adults_do_not(written):
    text = {w.reference: docx_text(w.path) for w in written["acknowledgement"].written}
    assert "Someone on your side" in text["ST-2"] and "Someone on your side" in text["CO-2"]
    assert "Someone on your side" not in text["ST-1"] and "Someone on your side" not in text["CO-1"]
    assert "Complaint Handling Code" in text["CO-1"] and "Complaint Handling Code" not in text["ST-1"]
    assert "Children Act 1989" in text["ST-1"]


def _dates_in(written, key):
    return {w.reference: docx_text(w.path) for w in written[key].written}


def test_acknowledgement_gives_the_registers_response_date(written):
    expected = expected_dates(ROWS, letters.BY_KEY["acknowledgement"])
    texts = _dates_in(written, "acknowledgement")
    for ref, text in texts.items():
        due = letters.long_date(expected[ref]["s1_response_due"])
        assert f"by {due}" in text, ref
        assert "Sam Patel, Team Manager" in text
    # Corporate (Complaint Handling Code): 10 + 10 working days (extension agreed) from the acknowledgement, sent today.
    assert letters.long_date(expected["CO-1"]["s1_response_due"]) == "Monday 18 July 2022"
    # Statutory: 20 working days from receipt, the extension being agreed.
    assert letters.long_date(expected["ST-1"]["s1_response_due"]) == "Monday 11 July 2022"


def test_stage_1_response_gives_the_date_to_ask_for_stage_2(written):
    expected = expected_dates(ROWS, letters.BY_KEY["stage-1-response"])
    for ref, text in _dates_in(written, "stage-1-response").items():
        assert letters.long_date(expected[ref]["to_stage_2_by"]) in text
        assert "partially upheld" in text
    st1 = _dates_in(written, "stage-1-response")["ST-1"]
    assert "Friday 29 July 2022" in st1  # 20 working days after 1 July 2022, as recorded
    assert "Sam Patel\nTeam Manager" in st1  # signed by the responding manager


def test_stage_2_letters_name_the_investigators_and_dates(written):
    expected = expected_dates(ROWS, letters.BY_KEY["stage-2-acknowledgement"])
    texts = _dates_in(written, "stage-2-acknowledgement")
    for ref, text in texts.items():
        assert letters.long_date(expected[ref]["s2_response_due"]) in text
        assert "Jo Bloggs" in text
        assert "Wednesday 20 July 2022" in text  # the request's date
    assert "Pat Jones" in texts["ST-1"] and "statement of your complaint" in texts["ST-1"]
    adjudication = _dates_in(written, "stage-2-adjudication")
    expected = expected_dates(ROWS, letters.BY_KEY["stage-2-adjudication"])
    assert letters.long_date(expected["ST-1"]["to_stage_3_by"]) in adjudication["ST-1"]
    assert "review panel" in adjudication["ST-1"]
    # Corporate stage 2 is final: the Ombudsman and its 12 months.
    assert letters.long_date(expected["CO-1"]["to_ombudsman_by"]) == "Tuesday 22 August 2023"
    assert "Tuesday 22 August 2023" in adjudication["CO-1"] and "0300 061 0614" in adjudication["CO-1"]
    assert {w.letter_type for w in written["stage-2-adjudication"].written if w.procedure == "Corporate"} == {"Stage 2 response"}


def test_panel_papers_are_due_ten_working_days_before_the_panel(written):
    texts = _dates_in(written, "stage-3-panel")
    papers = SETTINGS.calendar.add(dt.date(2022, 10, 20), -10)
    for text in texts.values():
        assert "Thursday 20 October 2022" in text
        assert letters.long_date(papers) in text
    assert letters.long_date(papers) == "Thursday 6 October 2022"


def test_final_response_gives_the_ombudsman_and_its_twelve_months(written):
    expected = expected_dates(ROWS, letters.BY_KEY["stage-3-response"])
    for ref, text in _dates_in(written, "stage-3-response").items():
        assert letters.long_date(expected[ref]["to_ombudsman_by"]) in text
        assert "Local Government and Social Care Ombudsman" in text and "www.lgo.org.uk" in text
    assert "Wednesday 1 November 2023" in _dates_in(written, "stage-3-response")["ST-1"]  # 12 months from the letter


def test_extension_gives_the_old_and_new_dates_from_the_timeline(written):
    table = from_records(list(EXTENDED.values())).table
    extended = status.timeline(table, SETTINGS, AS_OF)
    plain = table.copy()
    plain["s1_extended"] = ""
    original = status.timeline(plain, SETTINGS, AS_OF)
    texts = _dates_in(written, "extension")
    assert set(texts) == {"EX-1", "EX-2", "EX-3"}
    for row, ref in table["reference"].items():
        assert letters.long_date(extended.loc[row, "s1_response_due"]) in texts[ref]
        assert letters.long_date(original.loc[row, "s1_response_due"]) in texts[ref]
    assert "Monday 11 July 2022" in texts["EX-1"] and "Monday 27 June 2022" in texts["EX-1"]
    assert "Ombudsman" in texts["EX-3"]  # the Code: give the Ombudsman's details when extending


def test_refusal_wording_follows_the_reason(register, tmp_path):
    rows = [dict(ROWS["statutory adult"], Reference=f"RF-{i}", **{"Refusal reason": reason, "Representation type": "Refused"})
            for i, reason in enumerate(("No PR", "Out of Time", "Court Proceedings", "Outside of Remit"))]
    result = letters.generate_for_rows(from_records(rows), [r["Reference"] for r in rows], "refusal", SETTINGS, tmp_path, AS_OF)
    text = {w.reference: docx_text(w.path) for w in result.written}
    assert "parental responsibility for Amy" in text["RF-0"] and "12 months" not in text["RF-0"].split("Ombudsman")[0]
    assert "more than 12 months before you contacted us" in text["RF-1"]
    assert "court or tribunal proceedings" in text["RF-2"]
    assert "not ones that the children's social care complaints procedure can consider" in text["RF-3"]
    assert all("parental responsibility" not in text[r] for r in ("RF-1", "RF-2", "RF-3"))


def test_consent_request_is_written_to_the_child(written):
    text = _dates_in(written, "consent-request")["ST-1"]
    assert "Dear Amy\n" in text and "Mrs Mair Hughes got in touch with us on Monday 13 June 2022" in text
    assert "Cut here" in text


def test_acknowledgement_of_a_complaint_extended_from_the_outset_says_so(tmp_path):
    extended = dict(ROWS["statutory adult"], **{"S1 extended": "Yes"})
    usual = dict(ROWS["statutory adult"], **{"S1 extended": "No"})
    texts = {}
    for name, row in (("extended", extended), ("usual", usual)):
        result = letters.generate_for_rows(from_records([row]), ["ST-1"], "acknowledgement", SETTINGS, tmp_path / name, AS_OF)
        texts[name] = docx_text(result.written[0].path)
    assert "we have set the longer timescale from the start" in texts["extended"]
    assert "If that happens, we will write to you" not in texts["extended"]
    assert "If that happens, we will write to you" in texts["usual"]


def test_consent_is_not_asked_of_a_child_under_the_age_set(tmp_path):
    row = dict(ROWS["statutory adult"], **{"Child date of birth": "2015-01-01"})
    result = letters.generate_for_rows(from_records([row]), ["ST-1"], "consent-request", SETTINGS, tmp_path, AS_OF)
    assert not result.written and result.refused[0].field == "Child date of birth"


# --- escaping ------------------------------------------------------------------------


NASTY = {
    "Complainant first name": "Siân \U0001F600",
    "Complainant last name": "O'Brien & Sons <Ltd> \"Ŵŷ\"",
    "Address line 1": "{{ council_name }} {% for x in range(3) %}X{% endfor %}",
    "Address line 2": "</w:t></w:r></w:p><w:p>",
    "Town": "Llanfair\x0bPwll\x00",
    "Child name": "Zoë {{ phone }}",
}


def test_register_text_is_printed_never_executed(tmp_path):
    row = dict(ROWS["statutory adult"], **NASTY)
    result = letters.generate_for_rows(from_records([row]), ["ST-1"], "acknowledgement", SETTINGS, tmp_path, AS_OF)
    assert not result.refused
    text = docx_text(result.written[0].path)
    assert "Dear Mrs O'Brien & Sons <Ltd> \"Ŵŷ\"\n" in text
    assert "Mrs Siân \U0001F600 O'Brien & Sons <Ltd>" in text
    assert "{{ council_name }} {% for x in range(3) %}X{% endfor %}" in text
    assert "</w:t></w:r></w:p><w:p>" in text
    assert "LlanfairPwll" in text
    assert "If Zoë would like this support" in text  # the child's first name only, braces untouched
    assert "XXX" not in text


def test_sandbox_blocks_python_from_a_template(tmp_path):
    doc = Document()
    doc.add_paragraph("{{ reference.__class__.__mro__[1].__subclasses__() }}")
    buffer = io.BytesIO()
    doc.save(buffer)
    template = letters.LetterTemplate(buffer.getvalue(), "evil.docx")
    with pytest.raises(letters.LetterError, match="evil.docx"):
        template.render({"reference": "X"})


def test_a_misspelt_placeholder_is_an_error_not_a_blank(tmp_path):
    doc = Document()
    doc.add_paragraph("Dear {{ greeting_nmae }}")
    doc.add_paragraph("{%p if statutory %}")
    doc.add_paragraph("Statutory")
    doc.add_paragraph("{%p endif %}")
    doc.save(tmp_path / "Acknowledgement.docx")
    problems = letters.check_template(tmp_path / "Acknowledgement.docx")
    assert [p.message for p in problems] == [
        "uses {{ greeting_nmae }}, which the register cannot fill: did you mean {{ greeting_name }}?"
    ]
    template = letters.LetterTemplate((tmp_path / "Acknowledgement.docx").read_bytes(), "Acknowledgement.docx")
    with pytest.raises(letters.LetterError, match="greeting_nmae"):
        template.render({"greeting_name": "Ms Smith", "statutory": True})


def test_broken_template_syntax_is_reported(tmp_path):
    doc = Document()
    doc.add_paragraph("{% if statutory %}never closed")
    doc.save(tmp_path / "Refusal.docx")
    problems = letters.check_template(tmp_path / "Refusal.docx")
    assert len(problems) == 1 and "not written correctly" in problems[0].message


# --- what stops a letter ------------------------------------------------------------------


def test_required_fields_are_named_with_the_reference_never_the_name(tmp_path):
    rows = [
        dict(ROWS["statutory adult"], Reference="NM-1", **{"Responding manager": ""}),
        dict(ROWS["statutory adult"], Reference="NA-1", **{"Address line 1": "", "Email": ""}),
        dict(ROWS["statutory adult"], Reference="NP-1", **{"Postcode": ""}),
        dict(ROWS["statutory adult"], Reference="EM-1", **{"Address line 1": "", "Postcode": "", "Email": "a@example.com"}),
    ]
    result = letters.generate_for_rows(
        from_records(rows), ["NM-1", "NA-1", "NP-1", "EM-1", "NOPE-9"], "stage-1-response", SETTINGS, tmp_path, letter_date("stage-1-response")
    )
    refused = {r.reference: r for r in result.refused}
    assert refused["NM-1"].field == "Responding manager"
    assert refused["NA-1"].field == "Address line 1"
    assert refused["NP-1"].field == "Postcode"
    assert refused["NOPE-9"].field == "Reference"
    assert [w.reference for w in result.written] == ["EM-1"]
    assert result.written[0].delivery == "Email"
    for refusal in result.refused:
        message = str(refusal)
        assert refusal.reference in message
        assert "Hughes" not in message and "Mair" not in message and "Heol" not in message


def test_rows_with_problems_are_refused(tmp_path):
    register = from_records([dict(ROWS["statutory adult"], **{"Procedure": "Statutory-ish"})])
    result = letters.generate_for_rows(register, ["ST-1"], "acknowledgement", SETTINGS, tmp_path, AS_OF)
    assert not result.written
    assert "Procedure" in result.refused[0].reason


def test_letters_are_never_overwritten_and_are_owner_only(tmp_path):
    register = from_records([ROWS["statutory adult"]])
    first = letters.generate_for_rows(register, ["ST-1"], "acknowledgement", SETTINGS, tmp_path, AS_OF).written[0]
    second = letters.generate_for_rows(register, ["st-1"], "acknowledgement", SETTINGS, tmp_path, AS_OF).written[0]
    assert first.path == tmp_path / "ST-1" / "2022-06-20 Acknowledgement.docx"
    assert second.path == tmp_path / "ST-1" / "2022-06-20 Acknowledgement (2).docx"
    assert docx_parts(first.path) == docx_parts(second.path)  # the same letter (zip timestamps aside)
    if os.name == "posix":
        assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert first.records == {"S1 acknowledged": AS_OF}


def test_references_become_safe_folder_names():
    assert letters.safe_name("CSC/2024:12?") == "CSC-2024-12-"
    assert letters.safe_name("..") == "no reference"


# --- --due ------------------------------------------------------------------------------------


def test_due_rows_follow_the_registers_next_action(tmp_path):
    rows = [
        dict(BASE, Reference="D-ACK", Procedure="Statutory", **{"Date received": "2022-06-16"}),
        dict(BASE, Reference="D-DONE", Procedure="Statutory", **{"Date received": "2022-06-16", "S1 acknowledged": "2022-06-17"}),
        dict(BASE, Reference="D-WD", Procedure="Statutory", **{"Date received": "2022-06-01", "Withdrawn date": "2022-06-10"}),
        dict(BASE, Reference="D-CC", Procedure="Statutory", **{"Date received": "2022-06-16", "Representation type": "Case Concern"}),
    ]
    table = from_records(rows).table
    refs = lambda key: {table.at[r, "reference"] for r in letters.due_rows(table, SETTINGS, key, AS_OF)}  # noqa: E731
    assert refs("acknowledgement") == {"D-ACK"}
    assert refs("stage-1-response") == {"D-DONE"}
    assert refs("withdrawal") == {"D-WD"}
    assert refs("case-concern") == {"D-CC"}
    assert refs("consent-request") == {"D-ACK", "D-DONE", "D-CC"}  # grandparent, no consent recorded
    with pytest.raises(letters.LetterError, match="--refs"):
        letters.due_rows(table, SETTINGS, "closure", AS_OF)
    first = letters.generate_for_rows(from_records(rows), None, "acknowledgement", SETTINGS, tmp_path, AS_OF, due=True)
    assert [w.reference for w in first.written] == ["D-ACK"]
    again = letters.generate_for_rows(from_records(rows), None, "acknowledgement", SETTINGS, tmp_path, AS_OF, due=True)
    assert again.written == [] and again.skipped == ["D-ACK"]


# --- rendering --------------------------------------------------------------------------------


def test_fast_rendering_matches_docxtpl(written):
    """The prepared-once renderer gives the same document as DocxTemplate.render."""
    prepared, _ = letters.prepare(from_records(list(ROWS.values())).table, SETTINGS, "stage-2-acknowledgement", letter_date("stage-2-acknowledgement"))
    item = prepared[0]
    path = letters.TemplateLibrary().path_for(item.letter, item.procedure, item.young_person)
    fast = letters.LetterTemplate(path.read_bytes(), path.name).render(item.context)
    tpl = DocxTemplate(str(path))
    tpl.render(item.context, jinja_env=letters.jinja_env(), autoescape=True)
    slow = io.BytesIO()
    tpl.save(slow)
    assert docx_text(fast) == docx_text(slow.getvalue())
    with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(slow.getvalue())) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())


def test_logo_from_settings_is_placed_when_the_file_exists(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    logo = tmp_path / "logo.png"
    fig = plt.figure(figsize=(1, 0.5), dpi=50)
    fig.savefig(logo)
    plt.close(fig)
    register = from_records([ROWS["statutory adult"]])
    with_logo = letters.generate_for_rows(register, ["ST-1"], "acknowledgement", SETTINGS.replace(logo=str(logo)), tmp_path / "a", AS_OF)
    without = letters.generate_for_rows(register, ["ST-1"], "acknowledgement", SETTINGS.replace(logo=str(tmp_path / "gone.png")), tmp_path / "b", AS_OF)
    with zipfile.ZipFile(with_logo.written[0].path) as package:
        assert any(n.startswith("word/media/") for n in package.namelist())
        assert b"a:blip" in package.read("word/document.xml")
    with zipfile.ZipFile(without.written[0].path) as package:
        assert not any(n.startswith("word/media/") for n in package.namelist())
    (tmp_path / "broken.png").write_bytes(b"not an image")
    broken = letters.generate_for_rows(register, ["ST-1"], "acknowledgement", SETTINGS.replace(logo=str(tmp_path / "broken.png")), tmp_path / "c", AS_OF)
    assert not broken.written and "logo" in broken.refused[0].reason


def test_build_keeps_edited_templates_unless_forced(tmp_path):
    written, kept = build(tmp_path, only=["Refusal"])
    assert [p.name for p in written] == ["Refusal.docx"] and not kept
    (tmp_path / "Refusal.docx").write_bytes(b"edited by an officer")
    written, kept = build(tmp_path, only=["Refusal"])
    assert not written and (tmp_path / "Refusal.docx").read_bytes() == b"edited by an officer"
    written, kept = build(tmp_path, force=True, only=["Refusal"])
    assert written and (tmp_path / "Refusal.docx").read_bytes() != b"edited by an officer"


def test_shipped_templates_match_the_builder():
    """The committed templates say what the builder says (until an officer edits them)."""
    for spec in SPECS:
        shipped = Document(str(letters.TEMPLATES_FOLDER / f"{spec.stem}.docx"))
        built = build_document(spec)
        assert [p.text for p in shipped.paragraphs] == [p.text for p in built.paragraphs], spec.stem


# --- PDF ----------------------------------------------------------------------------------------


def _needs_libreoffice():
    if letters.find_soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required on CI")
        pytest.skip("LibreOffice (soffice) is not installed")


@pytest.mark.libreoffice
def test_every_letter_converts_to_pdf(written):
    _needs_libreoffice()
    paths = [w.path for result in written.values() for w in result.written]
    made, failed = letters.to_pdf(paths)
    assert failed == []
    assert set(made) == set(paths)
    for docx, pdf in made.items():
        assert pdf == docx.with_suffix(".pdf")
        assert pdf.read_bytes()[:5] == b"%PDF-"
        if os.name == "posix":
            assert stat.S_IMODE(pdf.stat().st_mode) == 0o600


def test_a_failed_conversion_is_reported_not_hidden(written, tmp_path):
    letter = next(iter(written["withdrawal"].written)).path
    made, failed = letters.to_pdf([letter], soffice=shutil.which("false") or "false")
    assert not made and [path for path, _ in failed] == [letter]


# --- the agreed actions (the Actions sheet) ---------------------------------------------------------


ACTIONS = [  # keyed by the Actions sheet's headers
    {"Reference": "ST-1", "Stage": "Stage 2", "Action": "Review the contact plan with the family", "Owning service": "Child in Need",
     "Agreed date": "2022-08-22", "Due date": "2022-09-30"},
    {"Reference": "ST-1", "Stage": "Stage 1", "Action": "Apologise for the missed visit", "Owning service": "Child in Need", "Due date": "2022-07-08"},
    {"Reference": "ST-1", "Stage": "", "Action": "Train the team on recording visits", "Owning service": "Safeguarding", "Due date": "2022-09-15"},
    {"Reference": "ST-1", "Stage": "Stage 3", "Action": "Pay for the lost <files> & \"copies\"", "Owning service": "Child in Need", "Due date": "2022-11-30"},
    {"Reference": "CO-1", "Stage": "Stage 2", "Action": "Refund the charge", "Owning service": "Child in Need", "Due date": "2022-09-01"},
    {"Reference": "CO-2", "Stage": "Stage 2", "Action": "Meet Rhys to explain the decision", "Owning service": "Child in Need", "Due date": "2022-09-05"},
]


@pytest.fixture(scope="module")
def register_with_actions(tmp_path_factory):
    from xl_complaints.excel import workbook
    from xl_complaints.core.learning import ACTIONS as SHEET

    path = tmp_path_factory.mktemp("actions") / "Complaints_Register.xlsm"
    return workbook.build(path, list(ROWS.values()), as_of=AS_OF, learning={SHEET: ACTIONS})


def _actions_table(path: Path) -> list[list[str]]:
    """The rows of the letter's table headed 'Who will do it'."""
    for table in Document(str(path)).tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and "Who will do it" in rows[0]:
            return rows[1:]
    return []


def test_stage_2_and_3_letters_list_the_complaints_agreed_actions(register_with_actions, tmp_path):
    adjudication = letters.generate_for_rows(register_with_actions, ["ST-1", "ST-2", "CO-1", "CO-2"], "stage-2-adjudication", SETTINGS,
                                             tmp_path, letter_date("stage-2-adjudication"))
    assert not adjudication.refused
    by_ref = {w.reference: w for w in adjudication.written}
    # The stage's actions and those with no stage, soonest first; the stage 1 and stage 3 ones are not this letter's.
    assert _actions_table(by_ref["ST-1"].path) == [
        ["Train the team on recording visits", "Safeguarding", "Thursday 15 September 2022"],
        ["Review the contact plan with the family", "Child in Need", "Friday 30 September 2022"],
    ]
    text = docx_text(by_ref["ST-1"].path)
    assert "What we will do\nThese are the actions the council has agreed, who will carry them out and by when:" in text
    assert "Apologise" not in text and "lost" not in text
    assert _actions_table(by_ref["ST-2"].path) == [] and "What will happen now" not in docx_text(by_ref["ST-2"].path)  # none agreed
    corporate = docx_text(by_ref["CO-1"].path)
    assert _actions_table(by_ref["CO-1"].path) == [["Refund the charge", "Child in Need", "Thursday 1 September 2022"]]
    assert "Set out each action" not in corporate  # the list replaces the prompt to write them
    young = by_ref["CO-2"]
    assert _actions_table(young.path) == [["Meet Rhys to explain the decision", "Child in Need", "Monday 5 September 2022"]]
    assert "This is what we are going to do, and when:" in docx_text(young.path)

    final = letters.generate_for_rows(register_with_actions, ["ST-1"], "stage-3-response", SETTINGS, tmp_path, letter_date("stage-3-response"))
    (letter,) = final.written
    assert _actions_table(letter.path) == [
        ["Train the team on recording visits", "Safeguarding", "Thursday 15 September 2022"],
        ["Pay for the lost <files> & \"copies\"", "Child in Need", "Wednesday 30 November 2022"],  # printed as typed, never run
    ]
    assert "What we have agreed to do" in docx_text(letter.path)


def test_a_register_without_actions_keeps_the_prompt_to_write_them(written):
    corporate = next(w for w in written["stage-2-adjudication"].written if w.reference == "CO-1")
    text = docx_text(corporate.path)
    assert "Set out each action, who will take it and by when." in text and _actions_table(corporate.path) == []


def test_an_action_row_to_correct_stops_the_letter_that_lists_it(tmp_path):
    from xl_complaints.core import learning

    register = from_records(list(ROWS.values()))
    bad = [dict(ACTIONS[0], **{"Due date": "next week"}), ACTIONS[4]]
    items = learning.validate({learning.ACTIONS: (*learning.from_records(learning.ACTIONS, bad), 1)}, register.table)
    result = letters.generate_for_rows(register, ["ST-1", "CO-1"], "stage-2-adjudication", SETTINGS, tmp_path, letter_date("stage-2-adjudication"),
                                       learning=items)
    assert [w.reference for w in result.written] == ["CO-1"]
    (refusal,) = result.refused
    assert refusal.reference == "ST-1" and refusal.field == "Due date"
    assert "Actions row 2, column 'Due date'" in refusal.reason and "next week" not in refusal.reason


def test_the_seams_renderer_equals_docxtpls_public_render_in_every_part():
    """docx_seam.PreparedTemplate, for every template the sample rows reach, with the actions loop filled: part by part."""
    from lxml import etree

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {n: etree.tostring(etree.fromstring(package.read(n)), method="c14n") if n.endswith((".xml", ".rels")) else package.read(n)
                    for n in package.namelist() if n != "docProps/core.xml"}  # python-docx stamps the save time there

    library, seen = letters.TemplateLibrary(), set()
    actions = [{"what": "Meet & <explain>", "service": "Child in Need", "due_by": "Monday 1 May 2023"}] * 2
    for letter in letters.LETTER_TYPES:
        rows = from_records(list((EXTENDED if letter.key == "extension" else ROWS).values())).table
        prepared, _ = letters.prepare(rows, SETTINGS, letter, letter_date(letter.key))
        for item in prepared:
            path = library.path_for(item.letter, item.procedure, item.young_person, item.variant)
            if path in seen:
                continue
            seen.add(path)
            context = dict(item.context, actions=actions)
            fast = letters.LetterTemplate(path.read_bytes(), path.name).render(context)
            tpl = DocxTemplate(str(path))
            tpl.render(context, jinja_env=letters.jinja_env(), autoescape=True)
            slow = io.BytesIO()
            tpl.save(slow)
            assert parts(fast) == parts(slow.getvalue()), path.name
    assert len(seen) >= 25
