"""The facts about a register row that a letter type's conditions can use.

A condition names facts: the register's columns by their keys (dates as
dates, text as text, empty as false) and a few worked out from the row, the
rulebook and the row's status. Only the facts a condition names are worked
out, column by column, so `--due` on a large register stays quick.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..core import schema, status
from ..core.dates import to_date
from ..core.settings import Settings
from .words import clean

# Facts from the row's status (status.assess): worked out only when a condition names one.
STATUS_FACTS = {
    "rag": "the row's RAG: Red, Amber, Green, On hold, Check, Withdrawn, Closed...",
    "live": "the row has a step open (Red, Amber or Green)",
    "on_hold": "the row is on hold",
    "open_milestone": "the key of the milestone open now ('s1_response'), '' when none",
    "open_stage": "the stage of the milestone open now (1, 2, 3), 0 when none",
    "consent_request_suggested": "the register suggests asking the child's consent",
}
DERIVED = {
    "procedure": "'Statutory' or 'Corporate'",
    "statutory": "the statutory procedure",
    "corporate": "the corporate procedure",
    "letter_date": "the letter's date",
    "final_stage": "the last stage of the row's procedure (its rulebook)",
    "can_ask_for_stage_3": "the row's procedure has a stage 3",
    "extension_stage": "the stage running now whose extension is agreed (1 or 2), 0 when none",
    "extension_counts_from": "the register column the extended step counts from, when the register holds it",
    "answered_by": "the column of the response already sent for the stage reached ('' while one is awaited)",
    "consent_route": "Settings: 'Consent request sent to' (child, social worker or complainant)",
    "working_days_before": "working_days_before(day, n): the day n working days before",
    **STATUS_FACTS,
}
FACTS = frozenset(schema.INPUT_KEYS) | frozenset(DERIVED)


def typed(key: str, value):
    """A register value as a condition sees it: a date, or cleaned text ('' when empty)."""
    if schema.column(key).kind is schema.Kind.DATE:
        if value is None or (isinstance(value, str) and not value):
            return None
        return to_date(value)
    return clean(value)


def extension_stage(row: dict) -> int:
    """Which stage an extension letter is about: the stage running now whose extension is agreed (0: none)."""
    d = lambda key: typed(key, row.get(key))  # noqa: E731
    at_stage_2 = d("s2_requested") is not None and d("s2_adjudication_sent") is None
    if at_stage_2 and d("s2_extended") == schema.YES:
        return 2
    if not at_stage_2 and d("s1_response_sent") is None and d("s1_extended") == schema.YES:
        return 1
    return 0


def answered_by(row: dict) -> str:
    """The register column of the response already sent for the stage the complaint reached ('' while one is awaited)."""
    d = lambda key: typed(key, row.get(key))  # noqa: E731
    for sent, next_request in (("s3_response_sent", None), ("s2_adjudication_sent", "s3_requested"), ("s1_response_sent", "s2_requested")):
        if next_request and d(next_request) is not None:
            return ""
        if d(sent) is not None:
            return schema.column(sent).header
    return ""


def _books(settings: Settings, procedure: str) -> list:
    """The rulebook now, and the one before it (a complaint received before the Code)."""
    return [settings.rulebook_for(procedure), settings.rulebook_for(procedure, dt.date.min)]


def row_facts(
    table: pd.DataFrame,
    settings: Settings,
    as_of: dt.date,
    names: frozenset[str] | set[str],
    assessed: pd.DataFrame | None = None,
    holds: pd.DataFrame | None = None,
    procedures=None,
) -> list[dict]:
    """For each row of `table`, the named facts (nothing else is worked out)."""
    n = len(table)
    columns: dict[str, list] = {}
    names = set(names)
    if procedures is None:
        procedures = status.route(table)
    procedures = list(procedures)
    if names & set(STATUS_FACTS):
        if assessed is None:
            assessed = status.assess(table, settings, as_of, holds=holds)
        rag = assessed["rag"].to_numpy(dtype=object)
        milestone = assessed["milestone"].to_numpy(dtype=object)
        by_label = {
            p: {m.label: (m.key, m.stage) for book in reversed(_books(settings, p)) for m in book.milestones}
            for p in (schema.STATUTORY, schema.CORPORATE)
        }
        opened = [by_label.get(procedures[i], {}).get(milestone[i], ("", 0)) for i in range(n)]
        columns["rag"] = list(rag)
        columns["live"] = [r in ("Red", "Amber", "Green") for r in rag]
        columns["on_hold"] = [r == "On hold" for r in rag]
        columns["open_milestone"] = [o[0] for o in opened]
        columns["open_stage"] = [o[1] for o in opened]
        columns["consent_request_suggested"] = ["consent request" in e for e in assessed["eligibility"]]
    for key in names & set(schema.INPUT_KEYS):
        values = table[key].tolist() if key in table else [None] * n
        columns[key] = [typed(key, v) for v in values]
    if names & {"procedure", "statutory", "corporate"}:
        columns["procedure"] = procedures
        columns["statutory"] = [p == schema.STATUTORY for p in procedures]
        columns["corporate"] = [p == schema.CORPORATE for p in procedures]
    needs_rows = names & {"final_stage", "can_ask_for_stage_3", "extension_stage", "extension_counts_from", "answered_by"}
    if needs_rows:
        wanted = [c for c in ("date_received", "s1_response_sent", "s1_extended", "s2_requested", "s2_extended",
                              "s2_adjudication_sent", "s3_requested", "s3_response_sent") if c in table]
        records = table[wanted].to_dict("records")
        books = [settings.rulebook_for(procedures[i], typed("date_received", records[i].get("date_received"))) for i in range(n)]
        stages = [extension_stage(r) for r in records]
        columns["final_stage"] = [b.final_stage for b in books]
        columns["can_ask_for_stage_3"] = [b.final_stage >= 3 for b in books]
        columns["extension_stage"] = stages
        counts_from = []
        for book, stage in zip(books, stages):
            start = book.milestone("s1_response" if stage == 1 else "s2_response").start if stage else ""
            counts_from.append(start if start in schema.INPUT_KEYS else "")
        columns["extension_counts_from"] = counts_from
        columns["answered_by"] = [answered_by(r) for r in records]
    constants = {
        "letter_date": as_of,
        "consent_route": str(settings.consent_route).strip().lower(),
        "working_days_before": lambda day, days: settings.calendar.add(day, -int(days)) if day else None,
    }
    base = {k: v for k, v in constants.items() if k in names}
    keys = [k for k in columns if k in names]
    rows = [dict(base) for _ in range(n)]
    for k in keys:
        for row, value in zip(rows, columns[k]):
            row[k] = value
    return rows


def due_mask(letter, table: pd.DataFrame, settings: Settings, as_of: dt.date, holds: pd.DataFrame | None = None) -> np.ndarray:
    """Which rows the letter's --due condition picks."""
    from . import conditions

    names = conditions.names_in(letter.due)
    facts = row_facts(table, settings, as_of, names - {"completes"}, holds=holds)
    check = conditions.condition(letter.due)
    extra = {"completes": letter.milestones} if "completes" in names else {}
    return np.array([bool(check(**f, **extra)) for f in facts], dtype=bool)
