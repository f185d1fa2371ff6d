"""Letters to complainants: which letter, what it may say, and the Word file.

Each letter type says which register fields it cannot do without; a row that
lacks one is refused with the reference and the field named, never sent with a
blank. Every date in a letter comes from `status.timeline` (run on the register
row, with the letter's own event, such as 'S1 response sent', taken as the
letter date when the register has not recorded it yet) or from
`settings.calendar`, so a letter never shows a date the register would not.

Templates are Word files in `letter_templates/` that officers edit. They are
rendered by docxtpl's own XML preparation in a sandboxed, autoescaping Jinja
environment with strict undefined names: register text is printed, never
executed, and a misspelt placeholder stops the letter instead of leaving a gap.
A prepared template is kept in memory and reused, so a batch of letters costs a
Jinja render and a zip write each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
from docx.oxml import parse_xml
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, Listing
from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from .files import locking, outputs

from .core import schema, status
from .core.dates import as_of_or_today, to_date
from .core.dates import long_date as _long_date
from .core.settings import Settings

def _shipped_templates() -> Path:
    """The templates that come with xl-complaints: the checkout's folder, or the installed copy."""
    import site
    import sys

    candidates = [
        Path(__file__).resolve().parent.parent / "letter_templates",  # a checkout or editable install
        Path(sys.prefix) / "share" / "xl-complaints" / "letter_templates",  # pip install
        Path(site.getuserbase()) / "share" / "xl-complaints" / "letter_templates",  # pip install --user
    ]
    return next((c for c in candidates if c.is_dir()), candidates[0])


TEMPLATES_FOLDER = _shipped_templates()

OMBUDSMAN = {
    "ombudsman_name": "the Local Government and Social Care Ombudsman",
    "ombudsman_address": "PO Box 4771, Coventry CV4 0EH",
    "ombudsman_phone": "0300 061 0614",
    "ombudsman_website": "www.lgo.org.uk",
}



class LetterError(ValueError):
    """A template cannot be used (missing, broken, or asks for an unknown placeholder)."""


# --- letter types ----------------------------------------------------------------


CONSENT_VIA_COMPLAINANT = "via the complainant"  # the consent request's version for the 'complainant' route


@dataclass(frozen=True)
class LetterType:
    key: str  # what the command line takes: 'stage-1-response'
    title: str  # file names and the Correspondence sheet: 'Stage 1 response'
    needs: tuple[str, ...] = ()  # input keys the letter cannot do without
    statutory_needs: tuple[str, ...] = ()
    corporate_title: str = ""  # when the corporate letter has another name
    routes: tuple[str, ...] = (schema.STATUTORY, schema.CORPORATE)
    route_specific: bool = True  # separate corporate wording
    young_person: bool = True  # has a plain, friendly variant
    event: str = ""  # the register column this letter's sending fills (blank: taken as the letter date)
    milestones: tuple[str, ...] = ()  # --due: rows whose open milestone is one of these
    to_child: bool = False
    variants: tuple[str, ...] = ()  # other versions chosen by a setting: 'via the complainant'
    why: dict = field(default_factory=dict, compare=False, hash=False)  # field -> why the letter needs it

    def title_for(self, procedure: str) -> str:
        return self.corporate_title if procedure == schema.CORPORATE and self.corporate_title else self.title

    def template_stems(self, procedure: str, young_person: bool, variant: str = "") -> list[str]:
        """Template file names tried in order: the most specific first."""
        base = self.title_for(procedure) if self.route_specific else self.title
        route = " - corporate" if self.route_specific and procedure == schema.CORPORATE else ""
        if variant:
            return [f"{base}{route} - {variant}"]
        stems = []
        if young_person and self.young_person:
            stems.append(f"{base}{route} - young person")
        stems.append(f"{base}{route}")
        return stems


LETTER_TYPES: tuple[LetterType, ...] = (
    LetterType(
        "acknowledgement", "Acknowledgement",
        needs=("responding_manager",), event="s1_acknowledged", milestones=("s1_acknowledgement",),
        why={"responding_manager": "the letter says who will respond"},
    ),
    LetterType(
        "consent-request", "Consent request",
        needs=("child_name",), route_specific=False, young_person=False, to_child=True,
        variants=(CONSENT_VIA_COMPLAINANT,),
        why={"child_name": "the letter asks the child or young person for their consent"},
    ),
    LetterType(
        "extension", "Extension",
        why={"responding_manager": "the letter says who is looking into the complaint",
             "investigating_officer": "the letter names the investigating officer"},
    ),
    LetterType(
        "stage-1-response", "Stage 1 response",
        needs=("responding_manager", "manager_job_title", "s1_outcome"), event="s1_response_sent",
        milestones=("s1_response",),
        why={"responding_manager": "the response is signed by the responding manager",
             "manager_job_title": "the response is signed by the responding manager",
             "s1_outcome": "the letter gives the outcome"},
    ),
    LetterType(
        "stage-2-acknowledgement", "Stage 2 acknowledgement",
        needs=("s2_requested", "investigating_officer"), statutory_needs=("independent_person",),
        event="s2_accepted", milestones=("s2_acceptance", "s2_acknowledgement"),
        why={"s2_requested": "the letter confirms the date of the request",
             "investigating_officer": "the letter names who will investigate",
             "independent_person": "the letter names the independent person"},
    ),
    LetterType(
        "stage-2-adjudication", "Stage 2 adjudication", corporate_title="Stage 2 response",
        needs=("s2_outcome", "investigating_officer"), statutory_needs=("independent_person",),
        event="s2_adjudication_sent", milestones=("s2_response",),
        why={"s2_outcome": "the letter gives the outcome",
             "investigating_officer": "the letter names who investigated (corporate: who reviewed) the complaint",
             "independent_person": "the letter encloses the independent person's report"},
    ),
    LetterType(
        "stage-3-panel", "Stage 3 panel arrangements",
        needs=("s3_requested", "s3_panel_held"), routes=(schema.STATUTORY,),
        why={"s3_requested": "the letter confirms the date of the request",
             "s3_panel_held": "the letter gives the panel's date (enter the date arranged)"},
    ),
    LetterType(
        "stage-3-response", "Stage 3 final response",
        needs=("s3_requested",), statutory_needs=("s3_panel_held", "s3_panel_report_received"),
        event="s3_response_sent", milestones=("s3_response",),
        why={"s3_requested": "the letter confirms the date of the request",
             "s3_panel_held": "the letter gives the date the panel met",
             "s3_panel_report_received": "the letter gives the date the panel's report arrived"},
    ),
    LetterType(
        "withdrawal", "Withdrawal confirmation",
        needs=("withdrawn_date",), route_specific=False,
        why={"withdrawn_date": "the letter confirms the date the complaint was withdrawn"},
    ),
    LetterType(
        "refusal", "Refusal",
        needs=("refusal_reason",), route_specific=False,
        why={"refusal_reason": "the letter's wording depends on the reason"},
    ),
    LetterType("case-concern", "Case concern acknowledgement", route_specific=False, young_person=False),
    LetterType("closure", "Closure after no reply", route_specific=False),
)
BY_KEY = {letter.key: letter for letter in LETTER_TYPES}


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def letter_type(name: str | LetterType) -> LetterType:
    """Find a letter type by key ('stage-1-response') or title ('Stage 1 response'), any case."""
    if isinstance(name, LetterType):
        return name
    wanted = _squash(name)
    for letter in LETTER_TYPES:
        if wanted in (_squash(letter.key), _squash(letter.title), _squash(letter.corporate_title or letter.title)):
            return letter
    choices = ", ".join(letter.key for letter in LETTER_TYPES)
    raise LetterError(f"There is no letter type '{name}': choose one of {choices}.")


# --- formatting --------------------------------------------------------------------


def long_date(day) -> str:
    """'Monday 13 June 2022': how dates are printed in letters (the dates module's long date, with the weekday)."""
    return _long_date(day, weekday=True)


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(value) -> str:
    """Register text made safe to print: characters XML cannot hold removed, spaces tidied."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = _XML_ILLEGAL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t]+", " ", text).strip()


def period_text(amount: int, unit: str) -> str:
    """'20 working days', 'one calendar month', '12 months'."""
    if unit == "calendar months":
        return "one calendar month" if amount == 1 else f"{amount} months"
    singular = unit[:-1] if amount == 1 else unit
    return f"{amount} {singular}"


# --- context: what a template can say --------------------------------------------


def _row_text(row: dict, key: str) -> str:
    return clean(row.get(key, ""))


def _row_date(row: dict, key: str) -> dt.date | None:
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value):
        return None
    return to_date(value)


def _lines_listing(lines: Iterable[str]) -> Listing | str:
    lines = [line for line in (clean(x) for x in lines) if line]
    return Listing("\n".join(lines)) if lines else ""


def _logo_path(settings: Settings, base: Path | None) -> Path | None:
    if not settings.logo:
        return None
    path = Path(settings.logo)
    if not path.is_absolute() and base is not None:
        path = base / path
    return path if path.is_file() else None


class MissingName(LetterError):
    """A name the letter prints is empty: the letter is refused, naming where to fill it in."""

    def __init__(self, field_name: str):
        self.field = field_name
        where = field_name if field_name.startswith("Settings") else f"{field_name} is empty"
        super().__init__(f"{where}: the letter would print a blank where a name belongs")


class Blank(str):
    """An empty name: false in an `if`, but printing it stops the letter (never a gap in a sentence)."""

    def __new__(cls, field_name: str):
        blank = super().__new__(cls, "")
        blank.field = field_name
        return blank

    def __html__(self):  # what the autoescaping template calls to print a value
        raise MissingName(self.field)


def named(value: str, field_name: str) -> str:
    """A name from the register or the Settings sheet, or a Blank naming where it comes from."""
    return value if value else Blank(field_name)


REPLY_HOLDS = ("Awaiting consent",)  # hold reasons that stop the clock for want of a reply


def waiting_for_reply(hold_reason: str) -> bool:
    """Whether the clock stopped because a reply was awaited (the consent hold, or any 'reply' reason added later)."""
    return hold_reason in REPLY_HOLDS or "reply" in hold_reason.lower()


def age_on(dob: dt.date | None, day: dt.date) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def deadline(day, settings: Settings) -> dt.date | None:
    """A date a letter asks someone to act by: never a weekend or bank holiday (the next working day)."""
    day = to_date(day)
    return settings.calendar.next_working_day_on_or_after(day) if day is not None else None


# The register's dates each letter states as a deadline, checked to be on or after the letter's date.
LETTER_DEADLINES = {
    "acknowledgement": ("s1_response_due",),
    "stage-1-response": ("to_stage_2_by",),
    "stage-2-acknowledgement": ("s2_response_due",),
    "stage-3-response": ("to_ombudsman_by",),
}


def letter_deadlines(
    letter: LetterType, dates: dict, settings: Settings, procedure: str, stage: int | None = None, received: dt.date | None = None
) -> dict[str, dt.date | None]:
    """timeline key -> the date this letter states for it (rolled to a working day)."""
    keys = list(LETTER_DEADLINES.get(letter.key, ()))
    if letter.key == "stage-2-adjudication":
        keys.append("to_stage_3_by" if settings.rulebook_for(procedure, received).final_stage >= 3 else "to_ombudsman_by")
    if letter.key == "extension" and stage:
        keys.append(f"s{stage}_response_due")
    return {key: deadline(dates.get(key), settings) for key in keys}


def build_context(
    row: dict,
    dates: dict,
    settings: Settings,
    letter: LetterType,
    procedure: str,
    as_of: dt.date,
    original_dates: dict | None = None,
    eligibility: str = "",
    reissued_on: dt.date | None = None,
) -> dict:
    """Everything a template may print for one register row, in plain words.

    `row` holds the register's input keys, `dates` the row's `status.timeline`
    values (after the letter's event is filled with the letter date), and
    `original_dates` the timeline without any extension (for extension letters).
    `as_of` is the letter's date; `reissued_on`, for a copy of a letter sent
    before, the day the copy is sent. Every key is always present, so
    `templates check` can list them. Names are Blanks when empty: printing one
    refuses the letter.
    """
    book = settings.rulebook_for(procedure, _row_date(row, "date_received"))  # before the Code's start: the earlier rulebook
    calendar = settings.calendar
    t = lambda key: _row_text(row, key)  # noqa: E731
    d = lambda key: long_date(_row_date(row, key))  # noqa: E731
    due = lambda key: long_date(deadline(dates.get(key), settings))  # noqa: E731
    h = header

    def days(key: str, extended: bool = False) -> int | str:
        try:
            m = book.milestone(key)
        except KeyError:
            return ""
        return (m.extended or m.period) if extended else m.period

    def window(key: str) -> str:
        w = book.window(key)
        return period_text(w.period, w.unit) if w else ""

    received_from = t("received_from")
    young_person = received_from == schema.YOUNG_PERSON
    service_user = received_from in schema.RECEIVED_FROM_GROUPS["Service user"]
    first, last, title = t("complainant_first_name"), t("complainant_last_name"), t("complainant_title")
    if young_person:
        title = ""  # a child is never 'Mr' or 'Miss' in a letter
    complainant_name = " ".join(p for p in (title, first, last) if p)
    child_name = t("child_name") or (" ".join(p for p in (first, last) if p) if service_user else "")
    child_first = child_name.split(" ")[0] if child_name else ""
    child_age = age_on(_row_date(row, "child_date_of_birth"), as_of)
    if young_person or received_from == "Service user (adult)":
        the_child = "you"
    elif child_first:
        the_child = child_first
    elif received_from in schema.PARENTS:
        the_child = "your child"
    else:
        the_child = "the child or young person"
    # Asking a child to agree, complain or attend only from the age a child may consent (Settings).
    child_can_take_part = service_user or child_age is None or child_age >= settings.young_person_age

    route = str(settings.consent_route).strip().lower()
    address = [t("address_line_1"), t("address_line_2"), t("town"), t("postcode")]
    email = t("email")
    delivery = "Email" if email else "Post"
    recipient_lines = [line for line in address if line]
    if email:
        recipient_lines.append(f"By email: {email}")
    complainant_field = h("complainant_last_name") if not young_person else h("complainant_first_name")
    child_field = h("child_name")
    if letter.to_child and route != "complainant":
        recipient = named(child_name, child_field)
        greeting = named(child_first, child_field)
        if route == "social worker":
            recipient_lines = ["By hand, through your social worker", t("team")]
            delivery = "By hand"
        else:
            recipient_lines = []  # the template asks for the child's address: the register holds the complainant's
            delivery = "Post"
        recipient_lines = [line for line in recipient_lines if line]
    else:
        recipient = named(complainant_name, complainant_field)
        if young_person:
            greeting = named(first or complainant_name, h("complainant_first_name"))
        else:
            greeting = named(f"{title} {last}" if title and last else " ".join(p for p in (first, last) if p), complainant_field)

    manager, job = t("responding_manager"), t("manager_job_title")
    panel_day = _row_date(row, "s3_panel_held")
    stage = extension_stage(row)
    original = original_dates or dates
    stage_due = {1: "s1_response_due", 2: "s2_response_due"}.get(stage, "")
    original_due = deadline(original.get(stage_due), settings) if stage_due else None
    outcome = t("s1_outcome")
    reason = t("refusal_reason")
    limit = book.time_limit
    panel_due = deadline(dates.get("s3_panel_held_due"), settings)

    signatory, signatory_title = clean(settings.signatory), clean(settings.signatory_title)
    if signatory and signatory.lower() == signatory_title.lower():
        signatory = ""  # a job title typed where the name belongs: 'Complaints Manager'
    if letter.key == "stage-1-response":
        signed_by = (named(manager, h("responding_manager")), named(job, h("manager_job_title")))
    elif letter.key == "stage-3-response":
        signed_by = (named(clean(settings.final_signatory), "Settings: 'Stage 3 responses signed by' needs the name of the Director or senior manager"),
                     named(clean(settings.final_signatory_title), "Settings: 'Stage 3 responses signed by (job title)' is empty"))
    else:
        signed_by = (named(signatory, "Settings: 'Letters signed by' needs the name of the person who signs letters"),
                     named(signatory_title, "Settings: 'Letters signed by (job title)' is empty"))

    due_for_letter = {
        "acknowledgement": due("s1_response_due"),
        "extension": due(stage_due) if stage_due else "",
        "stage-1-response": due("to_stage_2_by"),
        "stage-2-acknowledgement": due("s2_response_due"),
        "stage-2-adjudication": due("to_stage_3_by") or due("to_ombudsman_by"),
        "stage-3-panel": long_date(panel_day),
        "stage-3-response": due("to_ombudsman_by"),
    }.get(letter.key, "")

    context = {
        # the council (Settings sheet)
        "council_name": clean(settings.council_name),
        "department": clean(settings.department),
        "team_name": clean(settings.team_name),
        "council_address": _lines_listing(settings.address),
        "council_address_line": ", ".join(clean(x) for x in settings.address if clean(x)),
        "phone": clean(settings.phone),
        "email": clean(settings.email),
        "website": clean(settings.website),
        "signatory": signed_by[0],
        "signatory_title": signed_by[1],
        "advocacy_service": clean(settings.advocacy_service),
        "front_door_phone": named(clean(settings.front_door_phone), "Settings: 'Children's services front door phone' is empty"),
        "out_of_hours_phone": named(clean(settings.out_of_hours_phone), "Settings: 'Out-of-hours phone' is empty"),
        "logo": "",  # the renderer puts the image in
        **OMBUDSMAN,
        # the letter
        "letter_title": letter.title_for(procedure),
        "letter_date": long_date(as_of),
        "reissued": reissued_on is not None,
        "reissue_date": long_date(reissued_on),
        "reference": t("reference"),
        "statutory": procedure == schema.STATUTORY,
        "procedure_name": "the children's social care complaints procedure" if procedure == schema.STATUTORY
        else "our corporate complaints procedure",
        "corporate": procedure == schema.CORPORATE,
        "complaint_handling_code": book.id.startswith("lgsco"),
        "young_person": young_person,
        # who it is to
        "recipient_name": recipient,
        "recipient_address": _lines_listing(recipient_lines),
        "child_address_to_complete": letter.to_child and route == "child",
        "greeting_name": greeting,
        "by_email": delivery == "Email",
        "delivery": delivery,
        "complainant_name": named(complainant_name, complainant_field),
        "complainant_first_name": named(first or complainant_name, complainant_field),
        "complainant_email": email,
        "child_name": named(child_name, child_field),
        "child_first_name": named(child_first, child_field),
        "child_age": child_age if child_age is not None else "",
        "child_can_take_part": child_can_take_part,
        "the_child": the_child,
        "The_child": the_child[:1].upper() + the_child[1:],  # at the start of a sentence
        "about_a_child": not service_user,
        "has_advocate": t("advocate") == schema.YES,
        "an_advocate": "your advocate" if t("advocate") == schema.YES else "an advocate",
        "needs_consent": "consent request" in eligibility,
        "consent_to_child": route != "complainant",
        "consent_via_social_worker": route == "social worker",
        "consent_reply_by": long_date(calendar.add(as_of, int(settings.consent_reply_days))),
        "already_extended": t("s1_extended") == schema.YES,  # complex from the outset: the longer date applies
        # the complaint
        "date_received": d("date_received"),
        "date_of_events": d("date_of_events"),
        "service": t("service"),
        "team": t("team"),
        "responding_manager": named(manager, h("responding_manager")),
        "manager_job_title": named(job, h("manager_job_title")),
        "responding_manager_and_job_title": named(f"{manager}, {job}" if manager and job else manager, h("responding_manager")),
        "investigating_officer": named(t("investigating_officer"), h("investigating_officer")),
        "independent_person": named(t("independent_person"), h("independent_person")),
        "stage1_outcome": outcome.lower(),
        "stage1_upheld": outcome in ("Upheld", "Partially upheld"),
        "stage1_decision": outcome_verb(outcome),
        "stage2_outcome": t("s2_outcome").lower(),
        "stage2_upheld": t("s2_outcome") in ("Upheld", "Partially upheld"),
        "stage2_decision": outcome_verb(t("s2_outcome")),
        "refusal_reason": reason,
        "refused_out_of_time": reason == "Out of Time",
        "refused_outside_remit": reason == "Outside of Remit",
        "refused_no_parental_responsibility": reason == "No PR",
        "refused_court_proceedings": reason in ("Court Proceedings", "Tribunal/Court Proceedings"),
        "refused_best_interests": reason == "Not in Best Interest/Age of Child/YP",
        "awaiting_consent": t("hold_reason") == "Awaiting consent",
        "waiting_for_reply": waiting_for_reply(t("hold_reason")) and _row_date(row, "on_hold_from") is not None,
        "hold_from": d("on_hold_from"),
        # timescales (the rulebook's numbers, not dates)
        "acknowledgement_days": days("s1_acknowledgement"),
        "stage1_days": days("s1_response"),
        "stage1_extended_days": days("s1_response", extended=True),
        "stage1_extra_days": (days("s1_response", True) or 0) - (days("s1_response") or 0) if days("s1_response") != "" else "",
        "stage2_days": days("s2_response"),
        "stage2_extended_days": days("s2_response", extended=True),
        "panel_days": days("s3_panel_held"),
        "panel_report_days": days("s3_panel_report"),
        "stage3_days": days("s3_response"),
        "stage2_request_period": window("to_stage_2"),
        "stage3_request_period": window("to_stage_3"),
        "ombudsman_period": window("to_ombudsman"),
        "time_limit": period_text(limit.amount, limit.unit),
        "final_stage": book.final_stage,
        "can_ask_for_stage_3": book.final_stage >= 3,
        "stage2_clock_from_statement": procedure == schema.STATUTORY and settings.stage2_clock == "agreed statement",
        "concern_contact_days": int(settings.concern_contact_days),
        "concern_contact_by": long_date(calendar.add(as_of, int(settings.concern_contact_days))),
        # dates: from status.timeline and settings.calendar only; deadlines on working days
        "acknowledgement_due_date": due("s1_acknowledgement_due"),
        "stage1_due_date": due("s1_response_due"),
        "stage2_due_date": due("s2_response_due"),
        "panel_due_date": long_date(panel_due),
        "panel_late": bool(panel_day and panel_due and panel_day > panel_due),
        "stage3_due_date": due("s3_response_due"),
        "stage2_request_by": due("to_stage_2_by"),
        "stage3_request_by": due("to_stage_3_by"),
        "ombudsman_by": due("to_ombudsman_by"),
        "stage1_response_sent": d("s1_response_sent"),
        "stage2_requested": d("s2_requested"),
        "stage2_accepted": d("s2_accepted"),
        "stage2_response_sent": d("s2_adjudication_sent"),
        "stage3_requested": d("s3_requested"),
        "panel_date": long_date(panel_day),
        "papers_by": long_date(calendar.add(panel_day, -10)) if panel_day else "",
        "panel_report_received": d("s3_panel_report_received"),
        "withdrawn_date": d("withdrawn_date"),
        "extension_stage": stage or "",
        "original_due_date": long_date(original_due),
        "original_date_passed": bool(original_due and original_due < as_of),
        "new_due_date": due(stage_due) if stage_due else "",
        "due_date": due_for_letter,
    }
    return context


def outcome_verb(outcome: str) -> str:
    """'upheld', 'partially upheld', 'not upheld': for 'I have not upheld your complaint' (never 'found it to be not upheld')."""
    return outcome.lower()


@functools.lru_cache(maxsize=1)
def placeholders() -> frozenset[str]:
    """Every name a template may use: exactly the keys `build_context` fills."""
    empty = {key: "" for key in schema.INPUT_KEYS}
    settings = Settings()
    names: set[str] = set()
    for letter in LETTER_TYPES:
        for procedure in letter.routes:
            names |= set(build_context(empty, {}, settings, letter, procedure, dt.date(2024, 1, 1)))
    return frozenset(names)


def extension_stage(row: dict) -> int | None:
    """Which stage an extension letter is about: the stage running now whose extension is agreed."""
    at_stage_2 = _row_date(row, "s2_requested") is not None and _row_date(row, "s2_adjudication_sent") is None
    if at_stage_2 and _row_text(row, "s2_extended") == schema.YES:
        return 2
    if not at_stage_2 and _row_date(row, "s1_response_sent") is None and _row_text(row, "s1_extended") == schema.YES:
        return 1
    return None


# --- what stops a letter -----------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A letter not written, and why: names the reference and the field, never a person."""

    reference: str
    row: int | None
    letter_type: str
    field: str  # the register header at fault ('' when no one field is)
    reason: str

    def __str__(self) -> str:
        where = self.reference or (f"row {self.row}" if self.row else "")
        if self.row and self.reference:
            where += f" (row {self.row})"
        return f"{where}: {self.reason}"


def header(key: str) -> str:
    return schema.column(key).header


def check_row(row: dict, letter: LetterType, procedure: str, settings: Settings, as_of: dt.date) -> list[tuple[str, str]]:
    """(field header, sentence) for everything that stops this letter for this row."""
    problems: list[tuple[str, str]] = []

    def field_problem(field_name: str, text: str) -> None:
        problems.append((field_name, f"{field_name} {text}"))

    title = letter.title_for(procedure)
    if procedure not in letter.routes:
        problems.append(("Procedure", f"The complaint follows the corporate procedure, and the {title} letter is only for the statutory procedure"))
        return problems
    book = settings.rulebook_for(procedure, _row_date(row, "date_received"))
    if letter.key == "stage-3-response" and book.final_stage < 3:
        problems.append(("Procedure", "The complaint follows the corporate procedure, which has no stage 3 in this council's rulebook: use the Stage 2 response letter"))
        return problems
    t = lambda key: _row_text(row, key)  # noqa: E731
    blank = lambda key: not t(key) and _row_date(row, key) is None  # noqa: E731

    to_complainant = not letter.to_child or str(settings.consent_route).strip().lower() == "complainant"
    if letter.to_child:
        if t("received_from") == schema.YOUNG_PERSON:
            field_problem("Received from", "is the young person: they made the complaint themselves, so no consent is needed")
        age = age_on(_row_date(row, "child_date_of_birth"), as_of)
        if age is not None and age < settings.young_person_age:
            field_problem(
                "Child date of birth", f"shows the child is under {settings.young_person_age}, "
                "so their consent is not asked for (Settings: Child may consent from age)"
            )
    if to_complainant and blank("complainant_last_name") and blank("complainant_first_name"):
        field_problem("Complainant last name", "is empty: the letter needs the complainant's name")
    if to_complainant and blank("email"):
        if blank("address_line_1"):
            field_problem("Address line 1", "is empty and there is no Email: the letter cannot be posted or emailed")
        elif blank("postcode"):
            field_problem("Postcode", "is empty and there is no Email: the letter cannot be posted")

    needs = letter.needs + (letter.statutory_needs if procedure == schema.STATUTORY else ())
    for key in needs:
        if blank(key):
            why = letter.why.get(key, f"the {title} letter needs it")
            field_problem(header(key), f"is empty: {why}")

    if letter.key == "extension":
        stage = extension_stage(row)
        if stage is None:
            field_problem(
                "S1 extended", ("is not Yes for a stage still running (S1 extended at stage 1, S2 extended at stage 2): "
                 "record the agreed extension first, so the letter gives the register's new date")
            )
        elif stage == 1 and blank("responding_manager"):
            field_problem(header("responding_manager"), "is empty: " + letter.why["responding_manager"])
        elif stage == 2 and blank("investigating_officer"):
            field_problem(header("investigating_officer"), "is empty: " + letter.why["investigating_officer"])
        if stage is not None:
            start = book.milestone("s1_response" if stage == 1 else "s2_response").start
            if start in schema.INPUT_KEYS and blank(start):
                field_problem(header(start), "is empty: the letter gives the date we promised before, which counts from it")
    if letter.key == "stage-3-panel":
        panel = _row_date(row, "s3_panel_held")
        if panel is not None and panel < as_of:
            field_problem("S3 panel held", "is before the letter date: the arrangements letter is for a panel still to meet")
        elif panel is not None and settings.calendar.add(panel, -10) < as_of:
            field_problem("S3 panel held", "is less than 10 working days after the letter date: the papers could not reach "
                          "the complainant 10 working days before the panel, as the letter promises")
    if letter.key == "closure":
        answered = _answered(row)
        if answered:
            field_problem(header(answered), "is recorded and no later stage was asked for: the complaint was answered, "
                          "so it is not closed for want of a reply")
    if letter.key == "withdrawal":
        withdrawn = _row_date(row, "withdrawn_date")
        if withdrawn is not None and withdrawn > as_of:
            field_problem("Withdrawn date", "is after the letter date")
    return problems


def _answered(row: dict) -> str:
    """The response already sent for the stage the complaint reached ('' while a stage is still waiting for one)."""
    for sent, next_request in (("s3_response_sent", None), ("s2_adjudication_sent", "s3_requested"), ("s1_response_sent", "s2_requested")):
        if next_request and _row_date(row, next_request) is not None:
            return ""
        if _row_date(row, sent) is not None:
            return sent
    return ""


# --- rendering -----------------------------------------------------------------------


def jinja_env() -> SandboxedEnvironment:
    """Sandboxed and autoescaping: register text is data, and a template cannot reach Python."""
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


_ENV = jinja_env()
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # as python-docx writes: a letter's bytes depend only on its content
_HEADER_FOOTER = (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI)
_YELLOW = re.compile(rb'<w:highlight w:val="yellow"\s*/>')  # a section for the officer to complete
_TABLE_TAGS = re.compile(r"\{%-?\s*(tc|tr)\b|colspan|cellbg|\{%\s*[vh]m\s*%\}")


def _logo_size(logo: Path) -> dict:
    """22 mm high, or 68 mm wide for a wide logo, so it fits the letterhead's cell."""
    from docx.image.image import Image

    try:
        image = Image.from_file(str(logo))
    except Exception:  # an unreadable image: let python-docx report it when placing it
        return {"height": Mm(22)}
    if image.px_height and image.px_width / image.px_height > 68 / 22:
        return {"width": Mm(68)}
    return {"height": Mm(22)}


class LetterTemplate:
    """A Word template prepared once and rendered many times.

    docxtpl prepares the XML (joining tags Word split across runs); the
    prepared parts are compiled once, and each letter is a Jinja render per
    part and a zip write. The output matches `DocxTemplate.render`.
    """

    def __init__(self, data: bytes, name: str = "template", logo: Path | None = None):
        self.name = name
        try:
            tpl = DocxTemplate(io.BytesIO(data))
            tpl.render_init()
        except Exception as err:  # python-docx raises several kinds for a file that is not a .docx
            raise LetterError(f"The template '{name}' cannot be read as a Word document (it is damaged, cut short or not a .docx): put a good copy back, or make the standard one again with 'xl-complaints templates build --force'.") from None
        self._tpl = tpl
        self._logo_xml = ""
        if logo is not None:
            tpl.current_rendering_part = tpl.docx._part
            try:
                self._logo_xml = InlineImage(tpl, str(logo), **_logo_size(logo))._insert_image()
            except Exception:  # python-docx's image errors share no base class
                raise LetterError("The logo file named on the Settings sheet cannot be read as an image: use a PNG or JPEG file.") from None

        document = tpl.docx._element
        whole = tpl.xml_to_string(document)
        start = whole.index("<w:body")
        end = whole.rindex("</w:body>") + len("</w:body>")
        self._prefix, self._suffix = _XML_DECLARATION + whole[:start], whole[end:]
        body_src = tpl.get_xml()
        self._fix_tables = bool(_TABLE_TAGS.search(body_src))
        self._parts: dict[str, object] = {}
        self._body = self._compile(tpl.patch_xml(body_src), "the letter")
        for rel in tpl.docx._part.rels.values():
            if rel.reltype in _HEADER_FOOTER and not rel.is_external and rel.target_part.blob:
                part = rel.target_part
                src = tpl.patch_xml(tpl.xml_to_string(parse_xml(part.blob)))
                self._parts[str(part.partname).lstrip("/")] = self._compile(src, "the header or footer")

        buffer = io.BytesIO()
        tpl.docx.save(buffer)  # the package with the logo's image part added
        # The parts no letter changes are compressed once, into a zip each letter's parts are appended to.
        rendered = {"word/document.xml", *self._parts}
        base = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as package, zipfile.ZipFile(base, "w", zipfile.ZIP_DEFLATED) as out:
            for info in package.infolist():
                if info.filename not in rendered:
                    out.writestr(info, package.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        self._base = base.getvalue()

    def _compile(self, src: str, where: str):
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
        try:
            return _ENV.from_string(src)
        except TemplateError as err:
            raise LetterError(f"The template '{self.name}' has a mistake in {where}: {err.message}.") from None

    def _finish(self, xml: str) -> str:
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return self._tpl.resolve_listing(xml)

    def render_parts(self, context: dict) -> dict[str, bytes]:
        """The rendered XML parts, by name inside the .docx."""
        context = dict(context)
        context["logo"] = Markup(self._logo_xml) if self._logo_xml else ""
        try:
            body = self._finish(self._body.render(context))
            if self._fix_tables:
                body = self._tpl.xml_to_string(self._tpl.fix_tables(body))
            parts = {"word/document.xml": self._prefix + body + self._suffix}
            for name, template in self._parts.items():
                parts[name] = _XML_DECLARATION + self._finish(template.render(context))
        except TemplateError as err:
            raise LetterError(f"The template '{self.name}' could not be filled: {err.message}. "
                              "Run 'xl-complaints templates check'.") from None
        out = {}
        for name, xml in parts.items():
            data = xml.encode("utf-8")
            try:
                etree.fromstring(data)
            except etree.XMLSyntaxError:
                raise LetterError(f"The template '{self.name}' produced a broken document; "
                                  "check its placeholders in Word.") from None
            out[name] = data
        return out

    def render(self, context: dict) -> bytes:
        """The finished .docx, as bytes."""
        return self.render_letter(context)[0]

    def render_letter(self, context: dict) -> tuple[bytes, bool]:
        """The finished .docx, and whether it has yellow sections for the officer to complete."""
        parts = self.render_parts(context)
        to_complete = any(_YELLOW.search(data) for data in parts.values())
        return self._package(parts), to_complete

    def _package(self, parts: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO(self._base)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
            for name, data in parts.items():
                package.writestr(zipfile.ZipInfo(name, date_time=_ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
        return buffer.getvalue()


class TemplateLibrary:
    """The templates folder, each template prepared once per run."""

    def __init__(self, folder: str | Path | None = None, settings: Settings | None = None, base: Path | None = None):
        settings = settings or Settings()
        if not folder and settings.templates_folder:
            folder = Path(settings.templates_folder)
            if base is not None and not folder.is_absolute():
                folder = Path(base) / folder
        self.folder = Path(folder) if folder else TEMPLATES_FOLDER
        self.logo = _logo_path(settings, base)
        self._cache: dict[str, LetterTemplate] = {}

    def path_for(self, letter: LetterType, procedure: str, young_person: bool, variant: str = "") -> Path | None:
        for stem in letter.template_stems(procedure, young_person, variant):
            path = self.folder / f"{stem}.docx"
            if path.is_file():
                return path
        return None

    def get(self, letter: LetterType, procedure: str, young_person: bool, variant: str = "") -> LetterTemplate:
        path = self.path_for(letter, procedure, young_person, variant)
        if path is None:
            wanted = letter.template_stems(procedure, young_person, variant)[-1]
            raise LetterError(f"There is no template '{wanted}.docx' in {self.folder}: run 'xl-complaints templates build'.")
        key = str(path)
        if key not in self._cache:
            self._cache[key] = LetterTemplate(path.read_bytes(), path.name, self.logo)
        return self._cache[key]


# --- preparing letters for register rows ---------------------------------------------


@dataclass
class Prepared:
    """A letter ready to render: one row, its context, and the template to use."""

    row: int
    reference: str
    letter: LetterType
    procedure: str
    young_person: bool
    context: dict
    records: dict[str, dt.date]  # register columns the letter's sending would fill: header -> date
    date: dt.date | None = None  # the letter's date (a re-issued letter keeps its first date)
    reissued: bool = False  # a copy of a letter sent before
    variant: str = ""  # the template's version chosen by a setting ('via the complainant')


def _records(table: pd.DataFrame) -> list[dict]:
    return table.to_dict("records")


def prepare(
    table: pd.DataFrame,
    settings: Settings,
    letter: LetterType | str,
    as_of: dt.date,
    rows: Iterable[int] | None = None,
    row_problems: pd.Series | None = None,
    reissue: bool = False,
    holds: pd.DataFrame | None = None,
) -> tuple[list[Prepared], list[Refusal]]:
    """Contexts for the letter for each row (sheet row numbers), or why not.

    A letter is dated the day its step happens. Where the register has not
    recorded the letter's own event (e.g. 'S1 response sent') the letter date
    stands for it; where it has, on an earlier day, the letter was sent then:
    it is refused, or with `reissue` written again as a copy dated as it was
    first sent, so every date it states is still true of its date.
    """
    letter = letter_type(letter)
    index = list(table.index if rows is None else rows)
    groups: dict[tuple[dt.date, bool], list[int]] = {}
    refused: list[Refusal] = []
    procedures = dict(zip(index, status.route(table.loc[index])))
    for row_number in index:
        recorded = to_date(table.at[row_number, letter.event]) if letter.event else None
        needs_correcting = row_problems is not None and bool(row_problems.get(row_number, ""))
        if recorded is None or recorded == as_of or needs_correcting:  # a row to correct is refused as such first
            groups.setdefault((as_of, False), []).append(row_number)
            continue
        reference = clean(table.at[row_number, "reference"])
        title = letter.title_for(procedures[row_number])
        column = header(letter.event)
        if recorded > as_of:
            refused.append(Refusal(reference, int(row_number), title, column,
                                   f"{column} is {long_date(recorded)}, after the letter's date: write the letter on the day it is sent"))
        elif not reissue:
            refused.append(Refusal(reference, int(row_number), title, column,
                                   f"{column} is {long_date(recorded)}: this letter was sent then. To send a copy dated as it was first sent, "
                                   "re-issue it (the letters command's --reissue)"))
        else:
            groups.setdefault((recorded, True), []).append(row_number)
    prepared: list[Prepared] = []
    for (day, reissued), group in groups.items():
        done, not_done = _prepare_dated(table, settings, letter, day, group, row_problems, as_of if reissued else None, holds)
        prepared += done
        refused += not_done
    order = {row: i for i, row in enumerate(index)}
    prepared.sort(key=lambda p: order[p.row])
    refused.sort(key=lambda r: order.get(r.row, -1))
    return prepared, refused


def _prepare_dated(table, settings, letter, letter_date, rows, row_problems, reissued_on, holds=None) -> tuple[list[Prepared], list[Refusal]]:
    """Contexts for rows whose letter has this date: the timeline runs once for them all.

    The timeline runs on a copy of the rows in which the letter's own event is
    the letter date where the register has not recorded it yet.
    """
    as_of = letter_date
    sub = table.loc[rows].copy()
    as_of64 = np.datetime64(as_of, "s")
    filled = pd.Series(False, index=sub.index)
    if letter.event:
        filled = sub[letter.event].isna()
        sub.loc[filled, letter.event] = as_of64
    dates = status.timeline(sub, settings, as_of, holds=holds)
    original = None
    if letter.key == "extension":
        plain = sub.copy()
        plain["s1_extended"] = ""
        plain["s2_extended"] = ""
        original = status.timeline(plain, settings, as_of, holds=holds)
    procedures = status.route(sub)
    assessed = status.assess(sub, settings, as_of, row_problems, holds)
    eligibility = assessed["eligibility"].to_numpy(dtype=object)
    problems = assessed["problems"].to_numpy(dtype=object)
    consent_variant = CONSENT_VIA_COMPLAINANT if letter.key == "consent-request" and str(settings.consent_route).strip().lower() == "complainant" else ""

    prepared: list[Prepared] = []
    refused: list[Refusal] = []
    records = _records(sub)
    date_rows = dates.to_dict("records")
    original_rows = original.to_dict("records") if original is not None else None
    for i, row_number in enumerate(sub.index):
        row = records[i]
        reference = _row_text(row, "reference")
        procedure = procedures[i]
        title = letter.title_for(procedure)
        if problems[i]:
            note = ""
            if letter.event and filled.iloc[i] and header(letter.event) in problems[i]:
                note = f"; the letter date stands for '{header(letter.event)}' until it is recorded"
            refused.append(Refusal(reference, int(row_number), title, "", f"the row needs correcting first ({problems[i]}{note})"))
            continue
        issues = check_row(row, letter, procedure, settings, as_of)
        if issues:
            for field_name, message in issues:
                refused.append(Refusal(reference, int(row_number), title, field_name, message))
            continue
        context = build_context(
            row, date_rows[i], settings, letter, procedure, as_of,
            original_rows[i] if original_rows else None, eligibility[i], reissued_on,
        )
        problem = _missing_dates(letter, context) or _passed_deadline(letter, date_rows[i], settings, procedure, row, as_of)
        if problem:
            refused.append(Refusal(reference, int(row_number), title, problem[0], problem[1]))
            continue
        noted = {header(letter.event): as_of} if letter.event and filled.iloc[i] else {}
        young = context["young_person"] and not letter.to_child
        prepared.append(Prepared(int(row_number), reference, letter, procedure, young, context, noted,
                                 as_of, reissued_on is not None, consent_variant))
    return prepared, refused


# A deadline a letter states, and the register column it counts from: for a refusal that names where to look.
_DEADLINE_FIELDS = {
    "s1_response_due": ("S1 extended", "the date for our stage 1 response"),
    "s2_response_due": ("S2 extended", "the date for our stage 2 response"),
    "to_stage_2_by": ("S1 response sent", "the last day to ask for stage 2"),
    "to_stage_3_by": ("S2 adjudication sent", "the last day to ask for stage 3"),
    "to_ombudsman_by": ("S3 response sent", "the last day to go to the Ombudsman"),
}


def _passed_deadline(letter, dates, settings, procedure, row, as_of) -> tuple[str, str] | None:
    """A deadline the letter would state that is already past on the letter's date."""
    for key, day in letter_deadlines(letter, dates, settings, procedure, extension_stage(row), _row_date(row, "date_received")).items():
        if day is not None and day < as_of:
            field_name, what = _DEADLINE_FIELDS[key]
            if key == "s1_response_due" and letter.key == "acknowledgement":
                field_name = "Date received"
            return field_name, (f"{what} would be {long_date(day)}, before the letter's date ({long_date(as_of)}): "
                                "a letter never gives a date already past; check the register's dates")
    return None


# The dates each letter prints: empty means the register's dates do not yet allow it.
_DATES_NEEDED = {
    "acknowledgement": (("stage1_due_date", "Date received", "the stage 1 due date cannot be worked out"),),
    "extension": (("new_due_date", "S1 extended", "the extended due date cannot be worked out"),),
    "stage-1-response": (("stage2_request_by", "S1 response sent", "the date to ask for stage 2 cannot be worked out"),),
    "stage-2-acknowledgement": (("stage2_due_date", "S2 accepted", "the stage 2 due date cannot be worked out"),),
    "stage-3-response": (("ombudsman_by", "S3 response sent", "the Ombudsman's 12-month date cannot be worked out"),),
}


def _missing_dates(letter: LetterType, context: dict) -> tuple[str, str] | None:
    checks = list(_DATES_NEEDED.get(letter.key, ()))
    if letter.key == "stage-2-adjudication":
        key = "stage3_request_by" if context["can_ask_for_stage_3"] else "ombudsman_by"
        checks.append((key, "S2 adjudication sent", "the date to take the complaint further cannot be worked out"))
    for key, field_name, message in checks:
        if not context.get(key):
            return field_name, f"{message} from the register's dates"
    return None


# --- --due: rows whose next step is this letter --------------------------------------------


def due_rows(table: pd.DataFrame, settings: Settings, letter: LetterType | str, as_of: dt.date, holds: pd.DataFrame | None = None) -> list[int]:
    """Rows whose next action calls for this letter (status.assess decides where a row stands).

    Milestone letters go to rows whose open milestone the letter completes;
    the others follow the row's state: withdrawn, refused, a case concern to
    acknowledge, an extension agreed, a consent request suggested, a panel
    date arranged. Rows flagged 'Check' or on hold are left out.
    """
    letter = letter_type(letter)
    if letter.key == "closure":
        raise LetterError("Which complaints to close after no reply is the officer's decision: give --refs instead of --due.")
    assessed = status.assess(table, settings, as_of, holds=holds)
    procedures = status.route(table)
    rep_type = table["representation_type"].to_numpy(dtype=object)
    rag = assessed["rag"].to_numpy(dtype=object)
    milestone = assessed["milestone"].to_numpy(dtype=object)
    live = np.isin(rag, ("Red", "Amber", "Green"))
    def books(procedure: str) -> list:  # the rulebook now, and the one before it (a complaint received before the Code)
        return [settings.rulebook_for(procedure), settings.rulebook_for(procedure, dt.date.min)]

    labels = {
        procedure: {m.label for book in books(procedure) for m in book.milestones if m.key in letter.milestones}
        for procedure in (schema.STATUTORY, schema.CORPORATE)
    }
    at_milestone = np.array([milestone[i] in labels.get(procedures[i], ()) for i in range(len(table))], dtype=bool)
    concern = rep_type == schema.CASE_CONCERN
    key = letter.key
    if key == "acknowledgement":
        chosen = live & at_milestone & ~concern
    elif key == "case-concern":
        s1_ack = {b.milestone("s1_acknowledgement").label for p in (schema.STATUTORY, schema.CORPORATE) for b in books(p)}
        chosen = live & concern & np.isin(milestone, list(s1_ack))
    elif key == "consent-request":
        chosen = np.array(["consent request" in e for e in assessed["eligibility"]], dtype=bool) & np.isin(rag, ("Red", "Amber", "Green", "On hold"))
    elif key == "extension":
        records = _records(table)
        stages = np.array([extension_stage(r) or 0 for r in records])
        s1 = {b.milestone("s1_response").label for p in (schema.STATUTORY, schema.CORPORATE) for b in books(p)}
        s2 = {m.label for p in (schema.STATUTORY, schema.CORPORATE) for b in books(p) for m in b.milestones if m.stage == 2}
        chosen = live & (((stages == 1) & np.isin(milestone, list(s1))) | ((stages == 2) & np.isin(milestone, list(s2))))
    elif key == "stage-3-panel":
        panel = table["s3_panel_held"].to_numpy(dtype="datetime64[D]")
        chosen = ~np.isnat(panel) & (panel >= np.datetime64(as_of, "D")) & (procedures == schema.STATUTORY) & (rag != "Check")
    elif key == "withdrawal":
        chosen = rag == "Withdrawn"
    elif key == "refusal":
        chosen = (rep_type == schema.REFUSED) & (table["refusal_reason"].to_numpy(dtype=object) != "")
    else:
        chosen = live & at_milestone
    return [int(r) for r in table.index[chosen]]


# --- writing the files (the edge) -------------------------------------------------------------


@dataclass(frozen=True)
class WrittenLetter:
    """What the Correspondence sheet logs: never the complainant's name."""

    reference: str
    row: int
    letter_type: str  # the title: 'Stage 1 response'
    date: dt.date
    path: Path
    procedure: str
    delivery: str  # 'Email', 'Post' or 'By hand'
    records: dict  # register columns the officer may now fill: header -> date
    to_complete: bool  # has yellow sections for the officer to complete before sending


@dataclass
class LetterResults:
    written: list[WrittenLetter] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # references with this letter already written (--due)


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_name(text: str) -> str:
    """A reference as a Windows-safe folder name."""
    name = _UNSAFE.sub("-", text).strip().rstrip(". ")
    return name or "no reference"


def letter_path(folder: Path, reference: str, day: dt.date, title: str) -> Path:
    return folder / safe_name(reference) / f"{day.isoformat()} {title}.docx"


def write_new(path: Path, data: bytes) -> Path:
    """Write to `path`, or to 'name (2).docx', '(3)'... if it exists: never overwrite. Owner-only.

    The bytes are whole on the disk before the letter gets its name, so a
    crash or a full disk never leaves a half-written letter that a later
    `--due` run would take for one already sent.
    """
    try:
        return outputs.write_new(path, data, f"the letter {path.name}")
    except outputs.OutputError as err:
        raise LetterError(str(err)) from None


_free_path = outputs.free_path  # 'name (2)', '(3)'... when taken (for writers that cannot refuse to overwrite)


def already_written(folder: Path, reference: str, title: str) -> bool:
    target = folder / safe_name(reference)
    return target.is_dir() and any(target.glob(f"????-??-?? {title}*.docx"))


def _load(register) -> tuple[pd.DataFrame, pd.Series | None, Settings | None, Path | None, pd.DataFrame | None]:
    """Accept a register path, a reader.RegisterFile, a ValidatedRegister or a table (and its Holds sheet, if any)."""
    from .files.reader import RegisterFile, read_register
    from .core.register import ValidatedRegister

    if isinstance(register, (str, os.PathLike)):
        register = read_register(register)
    if isinstance(register, RegisterFile):
        return register.register.table, register.register.row_problems(), register.settings, Path(register.path).parent, register.register.holds
    if isinstance(register, ValidatedRegister):
        return register.table, register.row_problems(), None, None, register.holds
    if isinstance(register, pd.DataFrame):
        return register, None, None, None, None
    raise TypeError("register must be a path, a RegisterFile, a ValidatedRegister or a table")


def rows_for_refs(table: pd.DataFrame, refs: Iterable[str]) -> tuple[list[int], list[str]]:
    """Sheet rows for references (any case); and the references not found."""
    by_ref = {str(r).strip().upper(): int(i) for i, r in table["reference"].items() if str(r).strip()}
    found, missing = [], []
    for ref in refs:
        ref = str(ref).strip()
        if not ref:
            continue
        row = by_ref.get(ref.upper())
        if row is None:
            missing.append(ref)
        elif row not in found:
            found.append(row)
    return found, missing


def generate_for_rows(
    register,
    refs: Iterable[str] | None,
    letter_type_name: str | LetterType,
    settings: Settings | None = None,
    out_folder: str | Path | None = None,
    as_of: dt.date | None = None,
    *,
    due: bool = False,
    templates: str | Path | None = None,
    progress=None,
    password: str | None = None,
    reissue: bool = False,
) -> LetterResults:
    """Write the letter for each reference (or each row it is due for) and say what happened.

    Saves `<letters folder>/<Reference>/<yyyy-mm-dd> <letter type>.docx`, never
    overwriting an earlier letter. Used by the Excel button and the batch
    command; the Excel side logs `written` on the Correspondence sheet.
    `progress`, if given, wraps the rows being written (e.g. tqdm). With a
    `password` every letter is encrypted (Word asks for it on opening). With
    `reissue`, a letter whose step the register records on an earlier day is
    written again as a copy dated that day (otherwise it is refused).

    Only one batch writes into a letters folder at a time: a second waits for
    the first (and with `due`, then skips the letters the first wrote).
    """
    letter = letter_type(letter_type_name)
    as_of = as_of_or_today(as_of)
    table, row_problems, file_settings, base, holds = _load(register)
    settings = settings or file_settings or Settings()
    folder = Path(out_folder) if out_folder else Path(settings.letters_folder)
    if not folder.is_absolute() and base is not None and not out_folder:
        folder = base / folder
    with contextlib.ExitStack() as stack:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            stack.enter_context(locking.held(folder, "letters"))
        except locking.Busy as err:
            raise LetterError(str(err).replace("is being written by", "is being written to by")) from None
        except OSError as err:
            raise LetterError(outputs.plain_os_error(err, f"letters in {folder}", "No letters were written")) from None
        return _generate(table, row_problems, settings, folder, base, refs, letter, as_of, due, templates, progress, password, reissue, holds)


def _generate(table, row_problems, settings, folder, base, refs, letter, as_of, due, templates, progress, password, reissue=False, holds=None) -> LetterResults:
    results = LetterResults()
    if due:
        rows = due_rows(table, settings, letter, as_of, holds)
        if refs:
            wanted, _ = rows_for_refs(table, refs)
            rows = [r for r in rows if r in wanted]
        kept = []
        routes = dict(zip(table.index, status.route(table)))
        for r in rows:
            reference = str(table.at[r, "reference"])
            if already_written(folder, reference, letter.title_for(routes[r])):
                results.skipped.append(reference)
            else:
                kept.append(r)
        rows = kept
    else:
        rows, missing = rows_for_refs(table, refs or ())
        for ref in missing:
            results.refused.append(Refusal(clean(ref), None, letter.title, "Reference", "there is no row with this reference in the register"))

    prepared, refused = prepare(table, settings, letter, as_of, rows, row_problems, reissue, holds)
    results.refused.extend(refused)
    library = TemplateLibrary(templates, settings, base)
    for item in progress(prepared) if progress else prepared:
        title = letter.title_for(item.procedure)
        try:
            template = library.get(letter, item.procedure, item.young_person, item.variant)
            data, to_complete = template.render_letter(item.context)
        except LetterError as err:
            results.refused.append(Refusal(item.reference, item.row, title, getattr(err, "field", ""), str(err)))
            continue
        if password is not None:
            data = outputs.encrypt(data, password)
        try:
            name = f"{title} (copy sent {as_of.isoformat()})" if item.reissued else title
            path = write_new(letter_path(folder, item.reference, item.date or as_of, name), data)
        except LetterError as err:
            done = len(results.written)
            if done:
                shown = ", ".join(w.reference for w in results.written[:10]) + (" ..." if done > 10 else "")
                raise LetterError(f"{err} {done} letter{'s were' if done != 1 else ' was'} written before this one ({shown}); the rest were not.") from None
            raise LetterError(f"{err} No letters were written.") from None
        results.written.append(
            WrittenLetter(
                reference=item.reference, row=item.row, letter_type=title, date=as_of, path=path,
                procedure=item.procedure, delivery=item.context["delivery"],
                records=item.records, to_complete=to_complete,
            )
        )
    return results


# --- templates check -------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateProblem:
    template: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.template}: {self.message}"


def expected_templates() -> list[str]:
    """The template file names the letter types look for (most specific first)."""
    names: list[str] = []
    for letter in LETTER_TYPES:
        for procedure in letter.routes:
            for young in (False, True):
                for stem in letter.template_stems(procedure, young):
                    if f"{stem}.docx" not in names:
                        names.append(f"{stem}.docx")
            for variant in letter.variants:
                names.append(f"{letter.template_stems(procedure, False, variant)[0]}.docx")
    return names


def check_template(path: Path) -> list[TemplateProblem]:
    """Placeholders the register cannot fill, and Jinja mistakes, in one template."""
    problems: list[TemplateProblem] = []
    known = placeholders()
    try:
        tpl = DocxTemplate(str(path))
        used = tpl.get_undeclared_template_variables(_ENV)
    except TemplateError as err:
        line = getattr(err, "message", str(err))
        return [TemplateProblem(path.name, f"a placeholder or instruction is not written correctly ({line})")]
    except Exception as err:  # not a Word file at all
        return [TemplateProblem(path.name, "cannot be read as a Word document (it is damaged, cut short or not a .docx)")]
    for name in sorted(used - known):
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f": did you mean {{{{ {close[0]} }}}}?" if close else ""
        problems.append(TemplateProblem(path.name, f"uses {{{{ {name} }}}}, which the register cannot fill{hint}"))
    tpl.init_docx()
    for rel in tpl.docx._part.rels.values():
        if rel.reltype in _HEADER_FOOTER and not rel.is_external:
            names = meta.find_undeclared_variables(_ENV.parse(tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))))
            if "logo" in names:
                problems.append(TemplateProblem(path.name, "puts {{ logo }} in a header or footer: put it in the letter itself"))
    return problems


def check_templates(folder: str | Path | None = None) -> list[TemplateProblem]:
    folder = Path(folder) if folder else TEMPLATES_FOLDER
    problems: list[TemplateProblem] = []
    if not folder.is_dir():
        return [TemplateProblem(str(folder), "the templates folder does not exist: run 'xl-complaints templates build'")]
    expected = expected_templates()
    present = {p.name for p in folder.glob("*.docx") if not p.name.startswith("~$")}
    for name in sorted(present):
        if name not in expected:
            problems.append(TemplateProblem(name, "is not used by any letter type (check its name)", "warning"))
        problems.extend(check_template(folder / name))
    for letter in LETTER_TYPES:
        for procedure in letter.routes:
            for variant in ("", *letter.variants):
                stem = letter.template_stems(procedure, False, variant)[-1]
                if f"{stem}.docx" not in present:
                    problems.append(TemplateProblem(f"{stem}.docx", "is missing: this letter cannot be written"))
    return problems


# --- PDF copies ------------------------------------------------------------------------------

_SOFFICE_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


def find_soffice() -> str | None:
    """LibreOffice's command, from the PATH or where its installer puts it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((place for place in _SOFFICE_PLACES if Path(place).is_file()), None)


def to_pdf(paths: list[Path], soffice: str | None = None) -> tuple[dict[Path, Path], list[tuple[Path, str]]]:
    """PDF copies beside the letters: ({docx: pdf}, [(docx, why not)]).

    One LibreOffice run converts the whole batch (starting it costs seconds),
    with a private profile so it never collides with an office already open.
    The letters are copied under numbered names first: letters for different
    complaints share file names. Without LibreOffice, Word is used on Windows.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return {}, []
    soffice = soffice or find_soffice()
    if soffice is None:
        if sys.platform == "win32":
            return _word_to_pdf(paths)
        raise LetterError("PDF copies were not made: LibreOffice (soffice) is not installed.")
    made: dict[Path, Path] = {}
    failed: list[tuple[Path, str]] = []
    with tempfile.TemporaryDirectory(prefix="xl-complaints-pdf-") as tmp:
        tmp_path = Path(tmp)
        inputs = []
        for i, path in enumerate(paths):
            copy = tmp_path / f"{i:05d}.docx"
            shutil.copyfile(path, copy)
            inputs.append(str(copy))
        command = [
            soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *inputs,
        ]
        try:
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120 + 5 * len(paths), check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            return {}, [(p, "LibreOffice did not finish making the PDF") for p in paths]
        for i, path in enumerate(paths):
            pdf = tmp_path / "pdf" / f"{i:05d}.pdf"
            if pdf.is_file() and pdf.stat().st_size > 0:
                made[path] = write_new(path.with_suffix(".pdf"), pdf.read_bytes())
            else:
                failed.append((path, "LibreOffice could not convert it"))
    return made, failed


def _word_to_pdf(paths: list[Path]) -> tuple[dict[Path, Path], list[tuple[Path, str]]]:  # pragma: no cover - Windows with Word
    try:
        import win32com.client  # comes with xlwings' pywin32 on Windows
    except ImportError:
        raise LetterError("PDF copies were not made: neither LibreOffice nor Word could be found.") from None
    made, failed = {}, []
    word = win32com.client.DispatchEx("Word.Application")
    word.Visible = False
    try:
        for path in paths:
            target = _free_path(path.with_suffix(".pdf"))
            try:
                document = word.Documents.Open(str(path.resolve()), ReadOnly=True)
                document.SaveAs2(str(target.resolve()), FileFormat=17)  # wdFormatPDF
                document.Close(False)
                made[path] = target
            except Exception as err:  # COM errors carry no useful hierarchy
                failed.append((path, "Word could not convert it"))
    finally:
        word.Quit()
    return made, failed
