"""`xl-complaints letters` and `xl-complaints templates`, run as an officer would."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner
from docx import Document

from xl_complaints import letters
from xl_complaints.cli import main
from xl_complaints.cli.letters import completion_note
from xl_complaints.letters.build import sections

from xl_complaints.core.register import from_records
from xl_complaints.sample.complaints import write_xlsx

SPECS = tuple(sections())  # every template: one per version of each letter type

ROW = {
    "Reference": "CSC-1",
    "Date received": "2022-06-16",
    "Representation type": "Complaint",
    "Procedure": "Statutory",
    "Complainant title": "Ms",
    "Complainant first name": "Ffion",
    "Complainant last name": "Pritchard",
    "Address line 1": "3 Ffordd Newydd",
    "Town": "Exampleton",
    "Postcode": "EX2 3CD",
    "Received from": "Parent",
    "Parental responsibility": "Yes",
    "Child name": "Cai Pritchard",
    "Service": "Children Looked After",
    "Responding manager": "Sam Patel",
    "Manager job title": "Team Manager",
}


@pytest.fixture
def register(tmp_path):
    rows = [
        ROW,
        dict(ROW, Reference="CSC-2", **{"Responding manager": ""}),
        dict(ROW, Reference="CSC-3", **{"S1 acknowledged": "2022-06-17"}),
    ]
    return write_xlsx(from_records(rows).table, tmp_path / "Complaints_Register.xlsx")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_letters_for_chosen_references(register, tmp_path):
    out = tmp_path / "out"
    result = run("letters", register, "--type", "acknowledgement", "--refs", "CSC-1", "--out", out, "--as-of", "2022-06-20")
    assert result.exit_code == 0, result.output
    path = out / "CSC-1" / "2022-06-20 Acknowledgement.docx"
    assert path.is_file()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Wrote 1 letter in" in result.output
    assert "CSC-1: CSC-1/2022-06-20 Acknowledgement.docx (post)" in result.output.replace(os.sep, "/")
    assert "record the date in 'S1 acknowledged' for CSC-1" in result.output
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Dear Ms Pritchard" in text and "Thursday 30 June 2022" in text  # 10 working days from receipt


def test_refusals_name_the_reference_and_field_and_exit_non_zero(register, tmp_path):
    result = run("letters", register, "--type", "acknowledgement", "--refs", "CSC-1,CSC-2,CSC-99",
                 "--out", tmp_path / "out", "--as-of", "2022-06-20")
    assert result.exit_code == 1
    assert "Refused 2:" in result.output
    assert "CSC-2 (row 3): Responding manager is empty" in result.output
    assert "CSC-99: there is no row with this reference" in result.output
    assert "Pritchard" not in result.output and "Ffion" not in result.output
    assert (tmp_path / "out" / "CSC-1").is_dir() and not (tmp_path / "out" / "CSC-2").exists()


def test_due_picks_rows_whose_next_action_is_the_letter(register, tmp_path):
    result = run("letters", register, "--type", "acknowledgement", "--due", "--as-of", "2022-06-20")
    # CSC-3 is acknowledged already; CSC-2 is due but has no responding manager.
    assert result.exit_code == 1
    assert "CSC-1:" in result.output and "CSC-2 (row 3): Responding manager" in result.output
    assert "CSC-3" not in result.output
    # Default folder: the Settings' letters folder, beside the register.
    assert (register.parent / "Letters" / "CSC-1" / "2022-06-20 Acknowledgement.docx").is_file()
    again = run("letters", register, "--type", "acknowledgement", "--due", "--as-of", "2022-06-20")
    assert "Already written before (not repeated): CSC-1." in again.output
    assert not (register.parent / "Letters" / "CSC-1" / "2022-06-20 Acknowledgement (2).docx").exists()


def test_letters_needs_refs_or_due_and_a_known_type(register):
    result = run("letters", register, "--type", "acknowledgement")
    assert result.exit_code == 2 and "--refs R1,R2 or --due" in result.output
    result = run("letters", register, "--type", "thank-you", "--due")
    assert result.exit_code == 2 and "stage-1-response" in result.output


@pytest.mark.libreoffice
def test_pdf_copies(register, tmp_path):
    if letters.find_soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required on CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "out"
    result = run("letters", register, "--type", "withdrawal", "--refs", "CSC-1", "--out", out, "--as-of", "2022-06-20")
    assert result.exit_code == 1 and "Withdrawn date is empty" in result.output
    result = run("letters", register, "--type", "consent-request", "--refs", "CSC-1,CSC-3", "--pdf", "--out", out, "--as-of", "2022-06-20")
    assert result.exit_code == 0, result.output
    assert "PDF copies: 2 made." in result.output
    for ref in ("CSC-1", "CSC-3"):
        assert (out / ref / "2022-06-20 Consent request.pdf").read_bytes()[:5] == b"%PDF-"


def test_templates_check_passes_for_the_shipped_set():
    result = run("templates", "check")
    assert result.exit_code == 0, result.output
    assert "can be filled from the register" in result.output


def test_templates_check_fails_on_a_misspelt_placeholder(tmp_path):
    assert run("templates", "build", "--folder", tmp_path).exit_code == 0
    doc = Document(str(tmp_path / "Refusal.docx"))
    doc.add_paragraph("Your child: {{ child_nmae }}")
    doc.save(str(tmp_path / "Refusal.docx"))
    result = run("templates", "check", "--folder", tmp_path)
    assert result.exit_code == 1
    assert "Refusal.docx: uses {{ child_nmae }}, which the register cannot fill: did you mean {{ child_name }}?" in result.output


def test_templates_build_keeps_existing_files_unless_forced(tmp_path):
    first = run("templates", "build", "--folder", tmp_path)
    assert first.exit_code == 0 and f"Wrote {len(SPECS)} template(s)" in first.output
    assert len(SPECS) == 33  # the shipped set: a template added or lost shows here
    second = run("templates", "build", "--folder", tmp_path)
    assert "Wrote 0 template(s)" in second.output and "use --force" in second.output
    third = run("templates", "build", "--folder", tmp_path, "--force")
    assert "Wrote 0" not in third.output


def test_the_count_of_letters_to_complete_is_in_correct_english(register, tmp_path):
    assert completion_note(1) == "1 letter needs completing before it is sent (the sections highlighted in yellow)"
    assert completion_note(3) == "3 letters need completing before they are sent (the sections highlighted in yellow)"
    result = run("letters", register, "--type", "consent-request", "--refs", "CSC-1", "--out", tmp_path / "out", "--as-of", "2022-06-20")
    assert result.exit_code == 0, result.output
    assert "1 letter needs completing before it is sent (the sections highlighted in yellow): CSC-1." in result.output
    assert "CSC-1: CSC-1/2022-06-20 Consent request.docx (by hand)" in result.output.replace(os.sep, "/")


def test_reissuing_an_old_step_asks_first(register, tmp_path):
    out = tmp_path / "out"
    refused = run("letters", register, "--type", "acknowledgement", "--refs", "CSC-3", "--out", out, "--as-of", "2022-06-20")
    assert refused.exit_code == 1 and "S1 acknowledged is Friday 17 June 2022: this letter was sent then" in refused.output
    declined = CliRunner().invoke(main, ["letters", str(register), "--type", "acknowledgement", "--refs", "CSC-3", "--out", str(out),
                                         "--as-of", "2022-06-20", "--reissue"], input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output and not (out / "CSC-3").exists()
    agreed = CliRunner().invoke(main, ["letters", str(register), "--type", "acknowledgement", "--refs", "CSC-3", "--out", str(out),
                                       "--as-of", "2022-06-20", "--reissue"], input="y\n")
    assert agreed.exit_code == 0, agreed.output
    assert (out / "CSC-3" / "2022-06-17 Acknowledgement (copy sent 2022-06-20).docx").is_file()
