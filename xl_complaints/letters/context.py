"""What a letter may say about one register row: the context its template is filled from.

Every date in a letter comes from `status.timeline` (run on the register row,
with the letter's own event, such as 'S1 response sent', taken as the letter
date when the register has not recorded it yet) or from `settings.calendar`,
so a letter never shows a date the register would not.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Iterable

from docxtpl import Listing

from ..core import schema
from ..core.dates import to_date
from ..core.settings import Settings
from . import catalogue, conditions
from .catalogue import LetterType
from .facts import extension_stage
from .words import Blank, clean, long_date, named, period_text

OMBUDSMAN = {
    "ombudsman_name": "the Local Government and Social Care Ombudsman",
    "ombudsman_address": "PO Box 4771, Coventry CV4 0EH",
    "ombudsman_phone": "0300 061 0614",
    "ombudsman_website": "www.lgo.org.uk",
}


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


def logo_path(settings: Settings, base: Path | None) -> Path | None:
    """The Settings sheet's logo file, when it exists (a relative path is beside the register)."""
    if not settings.logo:
        return None
    path = Path(settings.logo)
    if not path.is_absolute() and base is not None:
        path = base / path
    return path if path.is_file() else None


def header(key: str) -> str:
    return schema.column(key).header


def action_lines(items, stages: tuple[str, ...]) -> list[dict]:
    """The Actions sheet's rows a letter lists: what, the owning service and the due date, soonest first.

    `items` are one complaint's `learning.Item`s; a letter lists those from the
    stages it names, and those whose Stage is empty (an action is never left out
    for want of a stage: the officer deletes it from the draft if it does not belong).
    """
    wanted = {s.lower() for s in stages}
    chosen = [i for i in items if not i["stage"] or str(i["stage"]).lower() in wanted]
    chosen.sort(key=lambda i: (i["due_date"] or dt.date.max, i.row))
    return [{"what": clean(i["action"]), "service": clean(i["owning_service"]), "due_by": long_date(i["due_date"])} for i in chosen]


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
    actions: list[dict] | None = None,
) -> dict:
    """Everything a template may print for one register row, in plain words.

    `row` holds the register's input keys, `dates` the row's `status.timeline`
    values (after the letter's event is filled with the letter date), and
    `original_dates` the timeline without any extension (for extension letters).
    `as_of` is the letter's date; `reissued_on`, for a copy of a letter sent
    before, the day the copy is sent; `actions`, the Actions sheet's rows the
    letter lists (`action_lines`). Every key is always present, so
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
    if letter.signed_by == "responding manager":
        signed_by = (named(manager, h("responding_manager")), named(job, h("manager_job_title")))
    elif letter.signed_by == "Stage 3 responses signed by":
        signed_by = (named(clean(settings.final_signatory), "Settings: 'Stage 3 responses signed by' needs the name of the Director or senior manager"),
                     named(clean(settings.final_signatory_title), "Settings: 'Stage 3 responses signed by (job title)' is empty"))
    else:
        signed_by = (named(signatory, "Settings: 'Letters signed by' needs the name of the person who signs letters"),
                     named(signatory_title, "Settings: 'Letters signed by (job title)' is empty"))

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
        "due_date": "",
        # the Actions sheet: what the council agreed to do (letters that list them)
        "actions": [dict(a) for a in actions or ()],
    }
    if letter.due_date:
        context["due_date"] = str(conditions.condition(letter.due_date)(**context) or "")
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
    for letter in catalogue.LETTER_TYPES:
        for procedure in letter.routes:
            names |= set(build_context(empty, {}, settings, letter, procedure, dt.date(2024, 1, 1)))
    return frozenset(names)
