"""What stops a letter for a row: the checks every letter makes, then its own file's.

Every letter checks it can reach its reader (a name and an address or email;
for a letter to the child, that the child is old enough to be asked). The
letter type's file adds the fields it cannot do without (`[[needs]]`), its
own reasons to refuse (`[[refuse]]`) and the deadlines it states
(`[[deadlines]]`: each must be known and not already past on the letter's
date). Refusals name the reference and the field, never a person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import schema
from ..core.settings import Settings
from . import conditions
from .catalogue import LetterType
from .context import _row_date, _row_text, age_on, deadline, header
from .words import long_date


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


def _field_header(text: str) -> str:
    return header(text) if text in schema.INPUT_KEYS else text


def check_row(row: dict, letter: LetterType, procedure: str, settings: Settings, as_of: dt.date, facts: dict | None = None) -> list[tuple[str, str]]:
    """(field header, sentence) for everything that stops this letter for this row.

    `facts` are the row's facts (facts.row_facts) the letter type's conditions use;
    worked out here when not given.
    """
    if facts is None:
        import pandas as pd

        from .facts import row_facts

        facts = row_facts(pd.DataFrame([row]), settings, as_of, letter.fact_names, procedures=[procedure])[0]
    problems: list[tuple[str, str]] = []

    def field_problem(field_name: str, text: str) -> None:
        problems.append((field_name, f"{field_name} {text}"))

    title = letter.title_for(procedure)
    if procedure not in letter.routes:
        problems.append(("Procedure", f"The complaint follows the corporate procedure, and the {title} letter is only for the statutory procedure"))
        return problems
    for check in letter.checks:
        if check.alone and conditions.holds(check.when, facts):
            return [(conditions.fill(check.field, facts), conditions.fill(check.says, facts))]
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

    for need in letter.needs:
        key = conditions.fill(need.field, facts)
        if key and conditions.holds(need.when, facts) and blank(key):
            why = conditions.fill(need.why, facts) if need.why else f"the {title} letter needs it"
            field_problem(header(key), f"is empty: {why}")
    for check in letter.checks:
        if not check.alone and conditions.holds(check.when, facts):
            problems.append((_field_header(conditions.fill(check.field, facts)), conditions.fill(check.says, facts)))
    return problems


def stated_deadlines(letter: LetterType, facts: dict):
    """The deadlines this letter states for this row (those whose condition holds)."""
    return [d for d in letter.deadlines if conditions.holds(d.when, facts)]


def deadline_problem(letter: LetterType, dates: dict, settings: Settings, facts: dict, as_of: dt.date) -> tuple[str, str] | None:
    """A deadline the letter states that the register's dates cannot give, or that is already past."""
    stated = stated_deadlines(letter, facts)
    for d in stated:
        if deadline(dates.get(d.date), settings) is None:
            return d.field_if_missing, f"{d.if_missing} from the register's dates"
    for d in stated:
        day = deadline(dates.get(d.date), settings)
        if day is not None and day < as_of:
            return d.field_if_past, (f"{d.what} would be {long_date(day)}, before the letter's date ({long_date(as_of)}): "
                                     "a letter never gives a date already past; check the register's dates")
    return None
