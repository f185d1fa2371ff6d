"""The rules a complaints manager checks before signing, pinned on the sample's letter cases.

Every date expected here is written out, counted by hand from the England and Wales
calendar (25 and 28 December 2026 and 1 January 2027 are bank holidays), never
computed with the project's own calendar.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from docx import Document

from xl_complaints import letters

from xl_complaints.sample import complaints as sample
from xl_complaints.core.register import from_records
from xl_complaints.core.settings import Settings

DAY = dt.date(2026, 12, 1)
SETTINGS = Settings()
HOLIDAYS = {dt.date(2026, 12, 25), dt.date(2026, 12, 28), dt.date(2027, 1, 1), dt.date(2025, 5, 26)}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
DATE = re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) (\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})")


def text_of(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def footer_of(path) -> str:
    return "\n".join(p.text for s in Document(str(path)).sections for p in s.footer.paragraphs)


@pytest.fixture(scope="module")
def register():
    return from_records(sample.letter_cases())


def write(register, key, refs, tmp_path, settings=SETTINGS, day=DAY, **kw):
    return letters.generate_for_rows(register, list(refs), key, settings, tmp_path / key, day, **kw)


@pytest.fixture(scope="module")
def every_letter(register, tmp_path_factory):
    """Every letter of the sample's cases: key -> LetterResults."""
    out = tmp_path_factory.mktemp("rules")
    results = {}
    for key, refs in sample.LETTER_CASES.items():
        settings = sample.three_stage_council() if key == "stage-3-response" else SETTINGS
        results[key] = letters.generate_for_rows(register, list(refs), key, settings, out / key, DAY)
    return results


def texts(result) -> dict[str, str]:
    return {w.reference: text_of(w.path) for w in result.written}


def test_the_sample_has_a_case_for_every_letter_and_they_are_all_written_or_refused_for_a_reason(every_letter):
    assert set(sample.LETTER_CASES) == {letter.key for letter in letters.LETTER_TYPES}
    refused = {(key, r.reference, r.field) for key, result in every_letter.items() for r in result.refused}
    assert refused == {
        ("stage-1-response", "LT-S1-OLD", "S1 response sent"),  # sent in 2025: a copy needs --reissue
        ("stage-2-adjudication", "LT-S2-CO-NO-IO", "Investigating officer"),
        ("closure", "LT-CL-ANSWERED", "S1 response sent"),
    }
    written = {(key, w.reference) for key, result in every_letter.items() for w in result.written}
    assert ("stage-3-response", "LT-S3-CO") in written  # the three-stage corporate council
    assert ("stage-2-acknowledgement", "LT-S2-CO-YP") in written  # a corporate young person at stage 2
    assert {("refusal", "LT-RF-YP-TIME"), ("refusal", "LT-RF-YP-REMIT")} <= written
    assert {("extension", "LT-EXT-2"), ("extension", "LT-EXT-2-CO")} <= written


# --- who a letter is addressed to -----------------------------------------------------------------


@pytest.mark.parametrize("route", ["social worker", "child", "complainant"])
def test_consent_request_goes_by_the_route_the_council_chose(register, tmp_path, route):
    result = write(register, "consent-request", ["LT-CONSENT"], tmp_path, SETTINGS.replace(consent_route=route))
    (letter,) = result.written
    text = text_of(letter.path)
    assert "Tuesday 15 December 2026" in text  # 10 working days from Tuesday 1 December
    assert "Yes: I am happy for Mrs Mair Hughes to make this complaint for me" in text and "Cut here" in text
    assert letter.to_complete  # what the complaint is about is written by the officer
    if route == "complainant":
        assert "Dear Mrs Hughes\n" in text and "By email: mair.hughes@example.com" in text
        assert "Please show this letter to Amy" in text
        assert letter.delivery == "Email"
    else:
        assert "Dear Amy\n" in text and "mair.hughes@example.com" not in text and "Heol" not in text
        assert "What we are asking you" in text and "tell them what we find out" in text
    if route == "social worker":
        assert "By hand, through your social worker" in text and letter.delivery == "By hand"
        assert "your social worker will talk to you about it again" in text
    if route == "child":
        assert "The child's address" in text and letter.delivery == "Post"


def test_a_young_person_is_never_given_a_title(every_letter):
    text = texts(every_letter["acknowledgement"])["LT-ACK-YP"]
    assert "Darren Wright" in text and "Mr Darren" not in text and "Dear Darren\n" in text


# --- what a letter refuses to print ------------------------------------------------------------------


def test_a_name_the_letter_prints_is_never_blank(register, tmp_path):
    # The template prints the investigating officer: a blank refuses the letter, naming the column.
    prepared, _ = letters.prepare(register.table, SETTINGS, "stage-2-acknowledgement", DAY,
                                  letters.rows_for_refs(register.table, ["LT-S2-CO"])[0])
    context = dict(prepared[0].context, investigating_officer=letters.Blank("Investigating officer"))
    template = letters.TemplateLibrary().get(prepared[0].letter, prepared[0].procedure, False)
    with pytest.raises(letters.MissingName, match="Investigating officer is empty"):
        template.render(context)
    # A Blank is false, so a condition on it still works.
    assert not letters.Blank("Team")


def test_who_signs_is_a_setting_with_a_name(every_letter, register, tmp_path):
    ack = texts(every_letter["acknowledgement"])["LT-ACK"]
    assert "Yours sincerely\n\n\nRhian Price\nComplaints Manager\nExample Borough Council" in ack
    final = texts(every_letter["stage-3-response"])
    assert all("Gareth Lloyd\nDirector of Children's Services" in t for t in final.values())
    assert "Sam Patel\nTeam Manager" in texts(every_letter["stage-1-response"])["LT-S1"]
    nobody = write(register, "acknowledgement", ["LT-ACK"], tmp_path, SETTINGS.replace(signatory=""))
    assert not nobody.written and "'Letters signed by'" in nobody.refused[0].reason
    title_only = write(register, "withdrawal", ["LT-WD"], tmp_path, SETTINGS.replace(signatory="Complaints Manager"))
    assert not title_only.written  # a job title typed where the name belongs
    no_director = write(register, "stage-3-response", ["LT-S3"], tmp_path, SETTINGS.replace(final_signatory=""))
    assert not no_director.written and "Stage 3 responses signed by" in no_director.refused[0].reason


def test_closure_is_refused_for_an_answered_complaint(every_letter):
    (refusal,) = every_letter["closure"].refused
    assert refusal.reference == "LT-CL-ANSWERED" and "was answered" in refusal.reason


def test_corporate_extension_needs_the_acknowledgement_it_counts_from(register, tmp_path):
    row = dict(next(r for r in sample.letter_cases() if r["Reference"] == "LT-EXT-CO"), **{"S1 acknowledged": None})
    result = write(from_records([row]), "extension", ["LT-EXT-CO"], tmp_path)
    assert not result.written and result.refused[0].field == "S1 acknowledged"


# --- dates true of the letter's date ---------------------------------------------------------------------


def test_an_old_step_is_refused_and_reissued_only_when_asked(register, tmp_path):
    refused = write(register, "stage-1-response", ["LT-S1-OLD"], tmp_path)
    assert not refused.written and "Tuesday 13 May 2025" in refused.refused[0].reason and "--reissue" in refused.refused[0].reason
    result = write(register, "stage-1-response", ["LT-S1-OLD"], tmp_path, reissue=True)
    (copy,) = result.written
    text = text_of(copy.path)
    assert copy.path.name == "2025-05-13 Stage 1 response (copy sent 2026-12-01).docx"
    assert "Date: Tuesday 13 May 2025" in text and "Copy sent: Tuesday 1 December 2026" in text
    assert "This is a copy of our letter of Tuesday 13 May 2025, sent again on Tuesday 1 December 2026" in text
    assert "by Wednesday 11 June 2025, which is 20 working days from the date of this letter" in text  # the 26 May bank holiday
    assert copy.records == {}  # the register already records the step


def test_a_step_recorded_after_the_letter_date_is_refused(register, tmp_path):
    result = write(register, "stage-1-response", ["LT-S1-OLD"], tmp_path, day=dt.date(2025, 5, 1))
    assert not result.written and "after the letter's date" in result.refused[0].reason


EXPECTED = [  # (letter, reference, a sentence with the date), counted by hand
    ("acknowledgement", "LT-ACK", "a full response by Thursday 10 December 2026"),
    ("acknowledgement", "LT-ACK-CO", "a written response by Thursday 31 December 2026"),  # 20 working days from 1 December
    ("stage-1-response", "LT-S1", "by Thursday 31 December 2026, which is 20 working days from the date of this letter"),
    ("stage-1-response", "LT-S1-CO", "by Monday 4 January 2027"),  # one month: 1 January is a bank holiday
    ("stage-2-acknowledgement", "LT-S2", "by Friday 8 January 2027"),  # 25 working days
    ("stage-2-acknowledgement", "LT-S2-CO-YP", "by Thursday 31 December 2026"),
    ("stage-2-adjudication", "LT-S2-ADJ", "by Thursday 31 December 2026"),
    ("stage-2-adjudication", "LT-S2-CO", "by Wednesday 1 December 2027"),
    ("stage-3-response", "LT-S3-CO", "by Wednesday 1 December 2027"),
    ("extension", "LT-EXT-1", "by Monday 14 December 2026"),
    ("extension", "LT-EXT-CO", "by Monday 21 December 2026"),
    ("extension", "LT-EXT-2", "by Tuesday 26 January 2027"),
    ("case-concern", "LT-CC", "within 5 working days, by Tuesday 8 December 2026"),
]


@pytest.mark.parametrize("key, reference, sentence", EXPECTED)
def test_stated_dates_count_from_the_letters_date(every_letter, key, reference, sentence):
    assert sentence in texts(every_letter[key])[reference]


def test_every_deadline_stated_is_a_working_day_on_or_after_the_letter_date(every_letter):
    checked = 0
    for key, result in every_letter.items():
        for w in result.written:
            text = text_of(w.path)
            for match in DATE.finditer(text):
                day = dt.date(int(match[4]), MONTHS.index(match[3]) + 1, int(match[2]))
                assert day.strftime("%A") == match[1], (w.reference, match[0])
                sentence = re.split(r"[.\n]", text[:match.start()])[-1]
                promised_before = any(p in sentence for p in ("told you", "said we would", "should meet", "should have met"))
                if re.search(r"\bby\s*$", sentence) and not promised_before:
                    assert day >= DAY, (key, w.reference, match[0])
                    assert day.weekday() < 5 and day not in HOLIDAYS, (key, w.reference, match[0])
                    checked += 1
    assert checked > 30


# --- wording chosen by age, advocate and what happened ----------------------------------------------------


def test_age_decides_whether_the_child_is_asked_to_take_part(every_letter):
    ack = texts(every_letter["acknowledgement"])
    assert "Morgan" not in ack["LT-ACK"]  # a two-year-old: no 'If Morgan would like ...'
    assert "Independent help for children" not in ack["LT-ACK"]
    panel = texts(every_letter["stage-3-panel"])["LT-PANEL"]
    assert "Gwenllian can also attend" not in panel  # a baby
    withdrawal = texts(every_letter["withdrawal"])["LT-WD"]
    assert "If Morgan would like to make a complaint of their own" in withdrawal  # twelve: old enough


def test_advocate_wording_follows_the_row(every_letter):
    ack = texts(every_letter["acknowledgement"])
    assert "Your advocate can help you" in ack["LT-ACK-YP"] and "You can have an advocate" not in ack["LT-ACK-YP"]
    assert "You can have an advocate" in ack["LT-ACK-CO-YP"] and "your advocate" not in ack["LT-ACK-CO-YP"].lower()
    adjudication = texts(every_letter["stage-2-adjudication"])
    assert "or your advocate can help" in adjudication["LT-S2-ADJ-YP"]


def test_extensions_say_when_the_promised_date_has_passed_and_ask_for_the_reason(every_letter):
    ext = texts(every_letter["extension"])
    assert "by Monday 30 November 2026. That date has now passed" in ext["LT-EXT-1"]
    assert "When we acknowledged it, we told you that you would receive our response by Monday 7 December 2026." in ext["LT-EXT-CO"]
    assert "has now passed" not in ext["LT-EXT-CO"]
    assert "That day has gone" in ext["LT-EXT-YP"]
    assert all(w.to_complete for w in every_letter["extension"].written)
    code = texts(every_letter["acknowledgement"])["LT-ACK-CO"]  # extended from the outset under the Code
    assert "We have allowed extra time to respond from the start" in code and "0300 061 0614" in code


def test_no_pr_refusal_names_sufficient_interest(every_letter):
    text = texts(every_letter["refusal"])["LT-RF-PR"]
    assert "section 26(3) of the Children Act 1989" in text
    assert "anyone else we consider has a sufficient interest in the child's welfare" in text


def test_closure_says_not_heard_since_only_when_waiting_for_a_reply(every_letter):
    closure = texts(every_letter["closure"])
    assert "we asked for it on Wednesday 16 September 2026. We have not had a reply since then." in closure["LT-CL-CONSENT"]
    assert "not heard from you since" not in closure["LT-CL"] and "reply since" not in closure["LT-CL"]
    assert "say when and how" in closure["LT-CL"]


def test_panel_letter_owns_up_to_a_late_panel(every_letter):
    panel = texts(every_letter["stage-3-panel"])
    assert "within 30 working days of the request, that is by Tuesday 1 December 2026. I am sorry that yours will meet later" in panel["LT-PANEL"]
    assert "should meet within" not in panel["LT-PANEL-YP"]  # on time


def test_case_concern_gives_the_front_door_and_out_of_hours(every_letter):
    text = texts(every_letter["case-concern"])["LT-CC"]
    assert "01234 567000" in text and "01234 567999" in text and "999" in text


def test_smaller_wording(every_letter):
    everything = "\n".join(t for result in every_letter.values() for t in texts(result).values())
    for wrong in ("has been not upheld", "to be not upheld", "we have withdrawn it", "Team Manager is", "Manager will look"):
        assert wrong not in everything, wrong
    assert "I have not upheld your complaint" in texts(every_letter["stage-1-response"])["LT-S1"]
    assert "we have upheld your complaint" in texts(every_letter["stage-2-adjudication"])["LT-S2-CO-YP"]
    for text in texts(every_letter["withdrawal"]).values():
        assert text.count("Thank you for letting us know") == 1
    final = texts(every_letter["stage-3-response"])["LT-S3-CO"]
    assert "I have now reviewed" in final and "What we found" not in final


# --- sections to complete, and layout -------------------------------------------------------------------


def test_every_letter_with_a_section_to_complete_is_flagged(every_letter):
    for result in every_letter.values():
        for w in result.written:
            with zipfile.ZipFile(w.path) as package:
                yellow = b'w:highlight w:val="yellow"' in package.read("word/document.xml")
            assert w.to_complete == yellow, (w.reference, w.letter_type)
    flagged = {w.reference for w in every_letter["refusal"].written if w.to_complete}
    assert flagged == {"LT-RF-PR", "LT-RF-REMIT", "LT-RF-BEST", "LT-RF-YP-REMIT"}


def test_contact_details_once_and_boxes_inside_the_margins(every_letter):
    for result in every_letter.values():
        for w in result.written:
            text = text_of(w.path)
            assert text.count(SETTINGS.phone) == 1, (w.reference, w.letter_type)
            assert text.count(SETTINGS.email) == 1, (w.reference, w.letter_type)
            assert SETTINGS.phone not in footer_of(w.path)
    template = (letters.TEMPLATES_FOLDER / "Extension.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(template)) as package:
        xml = package.read("word/document.xml").decode()
    shaded = [t for t in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S) if "w:shd" in t]
    assert shaded and all('<w:tblInd w:w="108" w:type="dxa"/>' in t for t in shaded)
    assert xml.index("{{ council_name }}") < xml.index("<w:tbl>")  # no logo: the council heads the page, not an empty cell


@pytest.mark.libreoffice
@pytest.mark.pdftotext
def test_no_page_holds_only_the_sign_off_and_the_slip_stays_whole(every_letter, register, tmp_path):
    """Every sample letter as LibreOffice lays it out: each page has more than a signature, the slip one page."""
    import os
    import shutil
    import subprocess

    if letters.find_soffice() is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice and poppler (pdftotext) are required on CI")
        pytest.skip("LibreOffice or pdftotext is not installed")
    consent = write(register, "consent-request", ["LT-CONSENT"], tmp_path, SETTINGS.replace(consent_route="child"))
    written = [w for result in every_letter.values() for w in result.written] + consent.written
    made, failed = letters.to_pdf([w.path for w in written])
    assert not failed
    for w in written:
        pages = subprocess.run(["pdftotext", "-layout", str(made[w.path]), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
        for number, page in enumerate(pages, start=1):
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            body = [line for line in lines if "Our reference" not in line and SETTINGS.council_name not in line]
            if not body:
                continue  # the text after the last form feed
            assert not set(body) <= {"Yours sincerely", "Best wishes", "Rhian Price", "Gareth Lloyd", "Sam Patel", "Priya Shah",
                                     "Complaints Manager", "Team Manager", "Service Manager", "Director of Children's Services"}, (w.reference, number)
            if "Cut here" in page:
                assert "Signed:" in page, (w.reference, "the slip is split")


def test_letter_settings_come_from_the_settings_sheet(register, tmp_path):
    from xl_complaints.core.settings import settings_from_rows

    settings, problems = settings_from_rows([
        ["Letters signed by", "Ann Other"], ["Letters signed by (job title)", "Head of Customer Care"],
        ["Stage 3 responses signed by", "Dr Jane Roe"], ["Consent request sent to", "Complainant"],
        ["Consent reply within (working days)", 5], ["Children's services front door phone", "01234 500500"],
    ])
    assert problems == []
    result = write(register, "consent-request", ["LT-CONSENT"], tmp_path, settings)
    text = text_of(result.written[0].path)
    assert "Dear Mrs Hughes\n" in text and "by Tuesday 8 December 2026" in text  # 5 working days
    assert "Ann Other\nHead of Customer Care" in text
    _, problems = settings_from_rows([["Consent request sent to", "the dog"]])
    assert len(problems) == 1 and "'Consent request sent to'" in problems[0]


def test_a_row_to_correct_is_refused_as_such_before_any_reissue_question(register):
    rows, _ = letters.rows_for_refs(register.table, ["LT-S1-OLD"])
    problems = register.row_problems().copy()
    problems.loc[rows[0]] = "Postcode: 'XX' is not a postcode"
    _, refused = letters.prepare(register.table, SETTINGS, "stage-1-response", DAY, rows, problems)
    assert [r.reason for r in refused] == ["the row needs correcting first (Postcode: 'XX' is not a postcode)"]
