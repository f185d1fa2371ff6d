"""Reminders: the deadlines falling due in the next few days, as an iCalendar file Outlook imports.

One all-day event per complaint milestone (the status engine's due date for
the step each open complaint is on), per learning action and per Ombudsman
deadline (the council's response, the remedy) that falls in the window. An
event names the reference and the step only: never a person, never free text,
so the file can sit in a shared calendar. Each event's UID is made from the
reference and the step, so importing the next week's file updates an event
whose date has moved instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import learning as learning_core
from ..core import status
from ..core.dates import long_date, to_date
from ..core.settings import Settings

PRODID = "-//xl-complaints//Complaint deadlines//EN"
UID_DOMAIN = "xl-complaints"
OPEN_RAG = ("Green", "Amber", "Red", "Check")  # an open step whose due date stands (on hold: it moves daily)


@dataclass(frozen=True)
class Reminder:
    reference: str
    step: str  # e.g. "Stage 1 response", "Stage 2 action due", "Ombudsman response due"
    due: dt.date
    source: str  # "Register", "Actions" or "Ombudsman cases"
    uid: str

    @property
    def summary(self) -> str:
        return f"{self.reference}: {self.step}" + ("" if self.step.endswith(" due") else " due")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def due_in_window(table: pd.DataFrame, learning: learning_core.Learning | None, settings: Settings, as_of: dt.date, days: int,
                  row_problems: pd.Series | None = None) -> tuple[list[Reminder], dict[str, int]]:
    """Everything due from `as_of` to `days` calendar days after it, earliest first; and counts of what was left out."""
    last = as_of + dt.timedelta(days=days)
    found: list[Reminder] = []
    left_out = {"overdue": 0, "on hold": 0}
    if len(table):
        assessed = status.assess(table, settings, as_of, row_problems)
        due = assessed["due_date"].to_numpy(dtype="datetime64[D]")
        is_open = ~np.isnan(assessed["working_days_left"].to_numpy(dtype=float))
        rag = assessed["rag"].to_numpy(dtype=object)
        refs = table["reference"].to_numpy(dtype=object)
        milestones = assessed["milestone"].to_numpy(dtype=object)
        first, end = np.datetime64(as_of, "D"), np.datetime64(last, "D")
        left_out["on hold"] = int((is_open & (rag == "On hold") & (due <= end)).sum())
        left_out["overdue"] = int((is_open & np.isin(rag, OPEN_RAG) & (due < first)).sum())
        pick = is_open & np.isin(rag, OPEN_RAG) & (due >= first) & (due <= end) & (refs != "") & (milestones != "")
        for i in np.flatnonzero(pick):
            ref, step = str(refs[i]), str(milestones[i])
            found.append(Reminder(ref, step, to_date(due[i]), "Register", f"{_slug(ref)}-{_slug(step)}@{UID_DOMAIN}"))
    if learning is not None:
        for d in learning_core.deadlines(learning, settings, as_of):
            if d.done is not None or not d.reference:
                continue
            if d.due < as_of:
                left_out["overdue"] += 1
            elif d.due <= last:
                found.append(Reminder(d.reference, d.step, d.due, d.sheet, f"{_slug(d.key)}@{UID_DOMAIN}"))
    found.sort(key=lambda r: (r.due, r.reference, r.step))
    return found, left_out


def calendar_bytes(reminders: list[Reminder], as_of: dt.date) -> bytes:
    """The .ics file: all-day events, free time (they do not block the diary), stamped with the as-of date."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Complaint deadlines")
    stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc)
    for r in reminders:
        event = Event()
        event.add("uid", r.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", r.due)  # a date, not a date-time: an all-day event
        event.add("dtend", r.due + dt.timedelta(days=1))
        event.add("summary", r.summary)
        event.add("description", f"Complaint {r.reference}: {r.step} on {long_date(r.due, weekday=True)}. "
                                 f"The details are on the {r.source} sheet of the register.")
        event.add("categories", ["Complaints"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
