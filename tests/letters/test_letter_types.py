"""Letter types as data: the files in xl_complaints/letters/types/, the templates built from them, a new type added as one file."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from xl_complaints import letters
from xl_complaints.core import schema
from xl_complaints.letters import build as builder
from xl_complaints.letters import catalogue as catalogues
from xl_complaints.letters.source import parse_section
from xl_complaints.core.register import from_records
from xl_complaints.core.settings import Settings

from test_letters import ROWS, SETTINGS, docx_text


def parts_of(data: bytes) -> dict[str, bytes]:
    """A .docx's XML parts in canonical form (attribute order, namespace prefixes and zip details aside)."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in sorted(package.namelist()):
            raw = package.read(name)
            if name.endswith((".xml", ".rels")):
                raw = etree.tostring(etree.fromstring(raw), method="c14n")
            out[name] = raw
    return out


def built(section) -> bytes:
    doc = builder.build_document(section)
    doc.core_properties.title = section.stem
    doc.core_properties.author = "xl-complaints"
    doc.core_properties.created = doc.core_properties.modified = builder.BUILT
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- the committed templates are what the sources build -------------------------------------


def test_every_committed_template_is_what_its_source_builds_in_every_part():
    """Body, tables, headers, footers, styles, numbering, properties: part by part, as XML content."""
    sections = builder.sections()
    committed = {p.stem for p in letters.TEMPLATES_FOLDER.glob("*.docx")}
    assert committed == {s.stem for s in sections}  # no template without a source, no source without a template
    for section in sections:
        shipped = parts_of((letters.TEMPLATES_FOLDER / f"{section.stem}.docx").read_bytes())
        fresh = parts_of(built(section))
        assert shipped.keys() == fresh.keys(), section.stem
        for name in shipped:
            assert shipped[name] == fresh[name], f"{section.stem}.docx: {name} differs from its source: run 'xl-complaints templates build --force'"
        names = set(shipped)
        assert {"word/document.xml", "word/styles.xml"} <= names and any(n.startswith("word/footer") for n in names)


def test_a_changed_word_in_a_source_is_caught_in_the_body_a_table_and_the_footer():
    """What the test above guards: a one-word change in any part makes its parts differ."""
    section = letters.BY_KEY["stage-1-response"].sections["Stage 1 response"]
    shipped = parts_of((letters.TEMPLATES_FOLDER / "Stage 1 response.docx").read_bytes())
    for old, new in (("Overall, I have", "Overall, we have"), ("What I found", "What we found")):
        changed = parse_section(section.stem, "Subject: " + section.subject + "\n", {})
        changed.body = [_replace(item, old, new) for item in section.body]
        assert parts_of(built(changed))["word/document.xml"] != shipped["word/document.xml"], old
    # The footer comes from the one layout: changing it changes every template's footer part.
    original = builder._page_field
    try:
        builder._page_field = lambda paragraph, instruction: None
        footer = [n for n in shipped if n.startswith("word/footer")][0]
        assert parts_of(built(section))[footer] != shipped[footer]
    finally:
        builder._page_field = original


def _replace(item, old, new):
    if isinstance(item, str):
        return item.replace(old, new)
    if isinstance(item, (list, tuple)):
        return type(item)(_replace(x, old, new) for x in item)
    return item


# --- one way to write things -------------------------------------------------------------------


def test_no_letter_type_is_named_in_the_python():
    """What each letter type does is in its file: no `if letter.key == ...` anywhere in the package."""
    package = Path(letters.__file__).parent
    keys = [t.key for t in letters.LETTER_TYPES]
    for path in package.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert ".key ==" not in text and ".key in" not in text, path.name
        for key in keys:
            assert f'"{key}"' not in text, (path.name, key)


def test_private_attributes_of_docx_and_docxtpl_only_in_their_seams():
    """Anywhere in the toolkit (letters, reports, all): docxtpl's internals only in letters/docx_seam.py,
    python-docx's element attributes only in files/docx_elements.py."""
    package = Path(letters.__file__).parents[1]
    docxtpl_private = re.compile(r"\.(_part|_element|_insert_image)\b|\.(current_rendering_part|patch_xml|xml_to_string|init_docx)\b")
    docx_private = re.compile(r"\.(_tc|_tbl|_tr|_p)\b")
    found = []
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "docx_seam.py" and docxtpl_private.search(text):
            found.append(path.relative_to(package))
        if path.name != "docx_elements.py" and docx_private.search(text):
            found.append(path.relative_to(package))
    assert found == []


def test_docxtpl_and_python_docx_are_pinned_for_the_seam():
    pyproject = (Path(letters.__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    import docx
    import importlib.metadata as md

    assert f'"docxtpl=={md.version("docxtpl")}"' in pyproject
    assert f'"python-docx=={md.version("python-docx")}"' in pyproject


def test_a_misspelt_fact_in_a_condition_is_reported_with_the_file(tmp_path):
    source = (catalogues.TYPES_FOLDER / "withdrawal.md").read_text(encoding="utf-8")
    (tmp_path / "withdrawal.md").write_text(source.replace("rag == 'Withdrawn'", "rag_status == 'Withdrawn'"), encoding="utf-8")
    with pytest.raises(letters.LetterError, match=r"withdrawal.md: 'rag_status' is not a fact"):
        letters.Catalogue([catalogues.TYPES_FOLDER, tmp_path])
    (tmp_path / "withdrawal.md").write_text(source.replace("title =", "titel ="), encoding="utf-8")
    with pytest.raises(letters.LetterError, match=r"withdrawal.md: 'titel' is not a rule"):
        letters.Catalogue([catalogues.TYPES_FOLDER, tmp_path])


# --- a new letter type is one file ----------------------------------------------------------------


MEETING = '''+++
title = "Meeting invitation"
order = 45
# --due: stage 1 is running and a responding manager is named
due = "live and open_milestone == 's1_response' and responding_manager"
due_date = "stage1_due_date"

[[needs]]
field = "responding_manager"
why = "the letter says who will meet the complainant"

[[refuse]]
when = "corporate and not email"
field = "Email"
says = "Email is empty: corporate meetings are arranged by email"

[[deadlines]]
date = "s1_response_due"
what = "the date for our stage 1 response"
field_if_past = "Date received"
if_missing = "the stage 1 due date cannot be worked out"
field_if_missing = "Date received"
+++

Notes for editors: an invitation to talk the complaint through before the stage 1 response.

# Meeting invitation

Subject: Meeting about your complaint: reference {{ reference }}

{{ responding_manager_and_job_title }} would like to meet you to talk about your complaint, which we received on {{ date_received }}, before writing to you by **{{ stage1_due_date }}**.

> Your reference: {{ reference }}
> Meeting: [[date, time and place]]
{% if has_advocate %}
Your advocate is welcome to come with you.
{% else %}
You are welcome to bring someone with you.
{% endif %}
{% include "Contact us" %}

# Meeting invitation - young person

Subject: Can we meet?

{{ responding_manager }} would like to meet you to talk about your complaint.

{% include "Any questions (young person)" %}
'''


@pytest.fixture()
def with_meeting(tmp_path):
    """The shipped catalogue, plus a new letter type written as one file in a folder of its own."""
    folder = tmp_path / "types"
    folder.mkdir()
    (folder / "meeting-invitation.md").write_text(MEETING, encoding="utf-8")
    return letters.Catalogue([catalogues.TYPES_FOLDER, folder])


def test_a_new_letter_type_is_one_file(with_meeting, tmp_path):
    meeting = with_meeting.find("Meeting invitation")
    assert meeting.key == "meeting-invitation" and meeting.young_person and not meeting.route_specific
    assert [t.key for t in with_meeting.types].index("meeting-invitation") == 4  # order 45: after the stage 1 response
    assert len(with_meeting.types) == len(letters.LETTER_TYPES) + 1

    templates = tmp_path / "templates"
    written, _ = builder.build(templates, catalogue=with_meeting, only=["Meeting invitation", "Meeting invitation - young person"])
    assert sorted(p.name for p in written) == ["Meeting invitation - young person.docx", "Meeting invitation.docx"]
    assert letters.check_templates(templates, [meeting]) == []

    rows = [
        dict(ROWS["statutory adult"], Reference="MT-1", **{"S1 response sent": "", "S2 requested": "", "S2 adjudication sent": "",
                                                            "S3 requested": "", "S3 panel held": "", "S3 panel report received": "",
                                                            "Withdrawn date": "", "S1 acknowledged": "2022-06-14"}),
    ]
    rows.append(dict(rows[0], Reference="MT-2", **{"Received from": schema.YOUNG_PERSON, "Complainant title": "", "Complainant first name": "Jamie",
                                                  "Complainant last name": "Lee", "Child name": ""}))
    rows.append(dict(rows[0], Reference="MT-3", **{"Responding manager": ""}))
    rows.append(dict(rows[0], Reference="MT-4", Procedure="Corporate"))
    register = from_records(rows)
    day = dt.date(2022, 6, 20)
    assert [register.table.at[r, "reference"] for r in letters.due_rows(register.table, SETTINGS, meeting, day)] == ["MT-1", "MT-2", "MT-4"]

    result = letters.generate_for_rows(register, ["MT-1", "MT-2", "MT-3", "MT-4"], meeting, SETTINGS, tmp_path / "out", day, templates=templates)
    assert {w.reference for w in result.written} == {"MT-1", "MT-2"}
    assert {(r.reference, r.field) for r in result.refused} == {("MT-3", "Responding manager"), ("MT-4", "Email")}
    refusal = next(r for r in result.refused if r.reference == "MT-3")
    assert refusal.reason == "Responding manager is empty: the letter says who will meet the complainant"
    adult, young = (docx_text(w.path) for w in result.written)
    assert "Dear Mrs Hughes\n" in adult and "Meeting about your complaint: reference MT-1" in adult
    assert "Sam Patel, Team Manager would like to meet you to talk about your complaint, which we received on Monday 13 June 2022, before writing to you by Monday 11 July 2022." in adult
    assert "You are welcome to bring someone with you." in adult and "Your advocate is welcome" not in adult
    assert "Meeting\ndate, time and place" in adult and result.written[0].to_complete
    assert "quoting reference MT-1" in adult and "Yours sincerely" in adult
    assert "Dear Jamie\n" in young and "Can we meet?" in young and "Best wishes" in young
    assert result.written[0].path.name == "2022-06-20 Meeting invitation.docx"
