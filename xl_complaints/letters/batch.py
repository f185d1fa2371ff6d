"""Letters for register rows: which rows, the context for each, and the batch written under a lock.

`prepare` works out, for each row, whether the letter can be written (the
row's problems, the letter type's checks, the deadlines it states) and the
context it is filled from; `generate_for_rows` renders and saves the batch,
one batch per letters folder at a time; `due_rows` is `--due`: the rows whose
next step is this letter, by the letter type's `due` condition.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ..core import status
from ..files import locking, outputs
from ..core.dates import as_of_or_today, to_date
from ..core.settings import Settings
from . import catalogue, checks, conditions, facts as row_facts
from .catalogue import LetterType, letter_type
from .checks import Refusal, check_row, deadline_problem
from .context import _row_text, action_lines, build_context, header
from .errors import LetterError
from .files import already_written, letter_path, write_new
from .templates import TemplateLibrary
from .words import clean, long_date

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
    learning=None,
) -> tuple[list[Prepared], list[Refusal]]:
    """Contexts for the letter for each row (sheet row numbers), or why not.

    `learning` is the register's Actions, Remedies and Ombudsman sheets
    (`learning.Learning`), for the letters that list the complaint's agreed actions.

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
        done, not_done = _prepare_dated(table, settings, letter, day, group, row_problems, as_of if reissued else None, holds, learning)
        prepared += done
        refused += not_done
    order = {row: i for i, row in enumerate(index)}
    prepared.sort(key=lambda p: order[p.row])
    refused.sort(key=lambda r: order.get(r.row, -1))
    return prepared, refused


def _prepare_dated(table, settings, letter, letter_date, rows, row_problems, reissued_on, holds=None, learning=None) -> tuple[list[Prepared], list[Refusal]]:
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
    if letter.before_extension:
        plain = sub.copy()
        plain["s1_extended"] = ""
        plain["s2_extended"] = ""
        original = status.timeline(plain, settings, as_of, holds=holds)
    procedures = status.route(sub)
    assessed = status.assess(sub, settings, as_of, row_problems, holds)
    eligibility = assessed["eligibility"].to_numpy(dtype=object)
    problems = assessed["problems"].to_numpy(dtype=object)
    facts = row_facts.row_facts(sub, settings, as_of, letter.fact_names, assessed, holds, procedures)
    actions_by_ref, action_problems = _actions(learning, letter)

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
        issues = check_row(row, letter, procedure, settings, as_of, facts[i])
        if not issues and letter.lists_actions:
            issues = action_problems.get(reference.upper(), [])
        if issues:
            for field_name, message in issues:
                refused.append(Refusal(reference, int(row_number), title, field_name, message))
            continue
        context = build_context(
            row, date_rows[i], settings, letter, procedure, as_of,
            original_rows[i] if original_rows else None, eligibility[i], reissued_on,
            action_lines(actions_by_ref.get(reference.upper(), []), letter.lists_actions) if letter.lists_actions else None,
        )
        problem = deadline_problem(letter, date_rows[i], settings, facts[i], as_of)
        if problem:
            refused.append(Refusal(reference, int(row_number), title, problem[0], problem[1]))
            continue
        noted = {header(letter.event): as_of} if letter.event and filled.iloc[i] else {}
        young = context["young_person"] and not letter.to_child
        prepared.append(Prepared(int(row_number), reference, letter, procedure, young, context, noted,
                                 as_of, reissued_on is not None, letter.variant_for(facts[i])))
    return prepared, refused



def _actions(learning, letter: LetterType) -> tuple[dict[str, list], dict[str, list[tuple[str, str]]]]:
    """The Actions sheet's rows by reference, and the problems that stop a letter listing them."""
    if learning is None or not letter.lists_actions:
        return {}, {}
    from ..core.learning import ACTIONS

    by_ref: dict[str, list] = {}
    for item in learning.actions:
        by_ref.setdefault(item.reference.upper(), []).append(item)
    wrong = {}
    for problem in learning.errors:
        if problem.sheet == ACTIONS:
            wrong.setdefault(problem.row, []).append(problem)
    problems: dict[str, list[tuple[str, str]]] = {}
    for ref, items in by_ref.items():
        for item in items:
            for problem in wrong.get(item.row, []):
                problems.setdefault(ref, []).append((problem.column, f"the letter lists the complaint's actions, and the {problem}: correct it first"))
    return by_ref, problems


# --- --due: rows whose next step is this letter --------------------------------------------


def due_rows(table: pd.DataFrame, settings: Settings, letter: LetterType | str, as_of: dt.date, holds: pd.DataFrame | None = None) -> list[int]:
    """Rows whose next action calls for this letter: the letter type's `due` condition (status.assess decides where a row stands)."""
    letter = letter_type(letter)
    if not letter.due:
        raise LetterError(letter.officer_decides or f"The {letter.title} letter has no rule for --due: give --refs instead.")
    chosen = row_facts.due_mask(letter, table, settings, as_of, holds)
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




def _load(register) -> tuple[pd.DataFrame, pd.Series | None, Settings | None, Path | None, pd.DataFrame | None]:
    """Accept a register path, a reader.RegisterFile, a ValidatedRegister or a table (and its Holds sheet, if any)."""
    from ..files.reader import RegisterFile, read_register
    from ..core.register import ValidatedRegister

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
    learning=None,
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
    A letter that lists the complaint's agreed actions reads them from the
    register file's Actions sheet, or from `learning` (a `learning.Learning`).
    """
    letter = letter_type(letter_type_name)
    as_of = as_of_or_today(as_of)
    table, row_problems, file_settings, base, holds = _load(register)
    if learning is None and letter.lists_actions:
        learning = _learning_of(register, table)
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
        return _generate(table, row_problems, settings, folder, base, refs, letter, as_of, due, templates, progress, password, reissue, holds, learning)


def _learning_of(register, table):
    """The register file's Actions (and other learning) sheets, when the register is a file."""
    from ..files.learning_sheets import read_learning
    from ..files.reader import RegisterFile

    path = register if isinstance(register, (str, os.PathLike)) else getattr(register, "path", None) if isinstance(register, RegisterFile) else None
    return read_learning(path, table) if path is not None else None


def _generate(table, row_problems, settings, folder, base, refs, letter, as_of, due, templates, progress, password, reissue=False, holds=None, learning=None) -> LetterResults:
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

    prepared, refused = prepare(table, settings, letter, as_of, rows, row_problems, reissue, holds, learning)
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
