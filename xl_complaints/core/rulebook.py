"""Rulebooks: each procedure's timescales, as data an officer can read.

A rulebook lists, for each milestone, how long the council has, from which
event the clock runs, the extended maximum, whether time on hold stops the
clock, and the regulation or guidance that says so. The shipped rulebooks are
TOML files in `rulebooks/`; a council changes any number on its Settings sheet
(`s1_acknowledgement.period = 5`) without touching code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from . import schema

UNITS = ("working days", "calendar days", "calendar months")
DAY_ZERO = ("receipt", "day after receipt")
WEEKEND_RECEIPT = ("next working day", "as received")


@dataclass(frozen=True)
class Milestone:
    key: str
    stage: int
    label: str  # shown in the register's Milestone column
    action: str  # the start of the Next action text
    period: int
    unit: str
    start: str  # "receipt" or the register column whose date starts the clock
    done: str  # the register column whose date means the milestone is met
    source: str
    extended: int | None = None
    extended_if: str | None = None  # yes/no column that grants the extension
    if_missing: tuple[str, ...] = ()  # fall-backs while the start event has no date: a column, or "due:<milestone>"
    pauses_on_hold: bool = True  # whether any hold can stop this clock; which reasons do: HoldReason.stops
    at_most: int | None = None  # the most the source allows in total: a council's setting beyond it is refused


@dataclass(frozen=True)
class Window:
    """A time the complainant has to ask for the next stage (or the Ombudsman)."""

    key: str
    label: str
    period: int
    unit: str
    start: str
    source: str
    requested: str | None = None  # the column recording the request, if the council records it
    or_later: tuple[str, ...] = ()  # other columns: the window runs from the latest of these dates and `start`


ALL_CLOCKS, NO_CLOCKS = "all", "none"


@dataclass(frozen=True)
class HoldReason:
    """Which clocks a hold for this reason stops, and why."""

    key: str
    reason: str  # as on the register's list
    stops: tuple[str, ...]  # milestone keys; ("all",): every milestone whose clock can be paused; ("none",)
    source: str


def reason_key(reason: str) -> str:
    """'Court or police proceedings' -> 'court_or_police_proceedings' (how a Rule setting names it)."""
    return re.sub(r"[^a-z0-9]+", "_", reason.strip().lower()).strip("_")


@dataclass(frozen=True)
class TimeLimit:
    amount: int
    unit: str
    source: str


@dataclass(frozen=True)
class Rulebook:
    id: str
    name: str
    procedure: str
    final_stage: int
    day_zero: str
    weekend_receipt: str
    time_limit: TimeLimit
    milestones: tuple[Milestone, ...]
    windows: tuple[Window, ...] = field(default=())
    hold_reasons: tuple[HoldReason, ...] = field(default=())
    applies_from: dt.date | None = None  # complaints received earlier follow the council's earlier rulebook

    def milestone(self, key: str) -> Milestone:
        for m in self.milestones:
            if m.key == key:
                return m
        raise KeyError(f"The rulebook '{self.name}' has no milestone '{key}'.")

    def window(self, key: str) -> Window | None:
        return next((w for w in self.windows if w.key == key), None)

    def hold_reason(self, reason: str) -> HoldReason | None:
        """The rule for a hold's reason; a blank or unlisted reason follows 'Other'."""
        key = reason_key(reason or "Other")
        found = next((h for h in self.hold_reasons if h.key == key), None)
        return found or next((h for h in self.hold_reasons if h.key == "other"), None)

    def stops(self, reason: str, milestone_key: str) -> bool:
        """Whether a hold for `reason` stops the milestone's clock."""
        m = self.milestone(milestone_key)
        rule = self.hold_reason(reason)
        return bool(m.pauses_on_hold and rule is not None and (ALL_CLOCKS in rule.stops or m.key in rule.stops))

    def with_overrides(self, overrides: dict[str, object]) -> "Rulebook":
        """Apply a council's settings: {'s1_acknowledgement.period': 5, 'day_zero': 'day after receipt'}."""
        book = self
        for dotted, value in overrides.items():
            book = _override(book, dotted, value)
        book.validate()
        return book

    def validate(self) -> None:
        problems = []
        if self.day_zero not in DAY_ZERO:
            problems.append(f"day_zero must be one of {', '.join(DAY_ZERO)}, not '{self.day_zero}'")
        if self.weekend_receipt not in WEEKEND_RECEIPT:
            problems.append(f"weekend_receipt must be one of {', '.join(WEEKEND_RECEIPT)}")
        keys = {m.key for m in self.milestones}
        for item in (*self.milestones, *self.windows, self.time_limit):
            name = getattr(item, "key", "time_limit")
            if item.unit not in UNITS:
                problems.append(f"{name}: unit must be one of {', '.join(UNITS)}, not '{item.unit}'")
            limit = getattr(item, "period", getattr(item, "amount", 0))
            if not isinstance(limit, int) or limit < 0:
                problems.append(f"{name}: the period must be a whole number of days or months, not '{limit}'")
        for h in self.hold_reasons:
            for stop in h.stops:
                if stop not in (ALL_CLOCKS, NO_CLOCKS) and stop not in keys:
                    problems.append(f"hold reason '{h.reason}': stops unknown milestone '{stop}'")
        for m in self.milestones:
            cap = m.at_most
            if cap is not None and max(m.period, m.extended or 0) > cap:
                problems.append(f"{m.key}: at most {cap} {m.unit} in all ({m.source}), not {max(m.period, m.extended or 0)}")
            if m.extended is not None and m.extended < m.period:
                problems.append(f"{m.key}: the extended maximum ({m.extended}) is shorter than the period ({m.period})")
            for fallback in m.if_missing:
                if fallback.startswith("due:") and fallback[4:] not in keys:
                    problems.append(f"{m.key}: falls back on unknown milestone '{fallback[4:]}'")
        # Every column a clock reads must be a register column of the right kind: a misspelt one (a Rule row
        # 's1_response.from = s1_acknowledgment') would leave that clock never starting, and nothing said.
        for item in (*self.milestones, *self.windows):
            dates = [("from", item.start), ("done", getattr(item, "done", None)), ("requested", getattr(item, "requested", None))]
            dates += [("or_later", c) for c in getattr(item, "or_later", ())]
            for label, key in dates:
                if not key or (label == "from" and key == "receipt"):
                    continue
                if key not in schema.BY_KEY or schema.BY_KEY[key].kind is not schema.Kind.DATE:
                    problems.append(f"{item.key}: {label} '{key}' is not one of the register's date columns")
            flag = getattr(item, "extended_if", None)
            if flag and (flag not in schema.BY_KEY or schema.BY_KEY[flag].kind is not schema.Kind.YESNO):
                problems.append(f"{item.key}: extended_if '{flag}' is not one of the register's yes/no columns")
        # Every stage up to the final one needs its milestones: a final_stage set beyond the procedure's
        # stages (a Rule row) would leave complaints answered at the last real stage with nothing to do
        # next, and no Ombudsman signposted.
        stages = {m.stage for m in self.milestones}
        missing = [str(stage) for stage in range(1, self.final_stage + 1) if stage not in stages]
        if missing:
            problems.append(f"final_stage is {self.final_stage}, but stage {', '.join(missing)} has no milestones "
                            f"(its stages are {', '.join(str(s) for s in sorted(stages)) or 'none'})")
        if problems:
            raise RulebookError(f"Rulebook '{self.name}': " + "; ".join(problems))


class RulebookError(ValueError):
    pass


def _override(book: Rulebook, dotted: str, value: object) -> Rulebook:
    parts = dotted.strip().split(".")
    field_name = {"from": "start"}.get(parts[-1], parts[-1])
    if len(parts) == 1:
        return _replace(book, field_name, value, book.name)
    target = parts[0]
    if target == "time_limit":
        return dataclasses.replace(book, time_limit=_replace(book.time_limit, field_name, value, dotted))
    for attr in ("milestones", "windows", "hold_reasons"):
        items = getattr(book, attr)
        if any(i.key == target for i in items):
            new = tuple(_replace(i, field_name, value, dotted) if i.key == target else i for i in items)
            return dataclasses.replace(book, **{attr: new})
    raise RulebookError(f"Setting '{dotted}': the rulebook '{book.name}' has no milestone or window '{target}'.")


SCALAR_FIELDS = frozenset(
    {"name", "procedure", "final_stage", "day_zero", "weekend_receipt", "stage", "label", "action", "period",
     "unit", "start", "done", "source", "extended", "extended_if", "if_missing", "pauses_on_hold", "requested", "amount",
     "stops", "or_later"}
)
TRUE, FALSE = ("yes", "y", "true", "1"), ("no", "n", "false", "0")


def _replace(item, field_name: str, value: object, label: str):
    fields = {f.name: f for f in dataclasses.fields(item)}
    if field_name not in fields or field_name not in SCALAR_FIELDS:
        raise RulebookError(f"Setting '{label}': '{field_name}' cannot be changed.")
    current = getattr(item, field_name)
    text = str(value).strip()
    if isinstance(current, bool):
        if text.lower() not in TRUE + FALSE:
            raise RulebookError(f"Setting '{label}': '{value}' is not Yes or No.")
        value = text.lower() in TRUE
    elif isinstance(current, int) or field_name in ("period", "extended", "amount", "final_stage", "stage"):
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if not number.is_integer():
            raise RulebookError(f"Setting '{label}': '{value}' is not a whole number.")
        value = int(number)
    elif isinstance(current, tuple):
        value = tuple(v.strip() for v in text.split(",") if v.strip())
    else:
        value = text
    return dataclasses.replace(item, **{field_name: value})


def parse(text: str) -> Rulebook:
    data = tomllib.loads(text)
    milestones = tuple(
        Milestone(
            key=m["key"],
            stage=int(m["stage"]),
            label=m["label"],
            action=m["action"],
            period=int(m["period"]),
            unit=m.get("unit", "working days"),
            start=m["from"],
            done=m["done"],
            source=m["source"],
            extended=m.get("extended"),
            extended_if=m.get("extended_if"),
            if_missing=tuple(m.get("if_missing", ())),
            pauses_on_hold=bool(m.get("pauses_on_hold", True)),
            at_most=m.get("at_most"),
        )
        for m in data.get("milestone", [])
    )
    windows = tuple(
        Window(
            key=w["key"],
            label=w["label"],
            period=int(w["period"]),
            unit=w.get("unit", "working days"),
            start=w["from"],
            source=w["source"],
            requested=w.get("requested"),
            or_later=tuple(w.get("or_later", ())),
        )
        for w in data.get("window", [])
    )
    hold_reasons = tuple(
        HoldReason(
            key=reason_key(h["reason"]),
            reason=h["reason"],
            stops=(h["stops"],) if isinstance(h["stops"], str) else tuple(h["stops"]),
            source=h["source"],
        )
        for h in data.get("hold_reason", [])
    )
    limit = data["time_limit"]
    book = Rulebook(
        id=data["id"],
        name=data["name"],
        procedure=data["procedure"],
        final_stage=int(data["final_stage"]),
        day_zero=data.get("day_zero", "receipt"),
        weekend_receipt=data.get("weekend_receipt", "next working day"),
        time_limit=TimeLimit(int(limit["amount"]), limit["unit"], limit["source"]),
        milestones=milestones,
        windows=windows,
        hold_reasons=hold_reasons,
        applies_from=data.get("applies_from"),
    )
    book.validate()
    return book


def shipped() -> dict[str, Rulebook]:
    """Every rulebook that comes with xl-complaints, by id."""
    return dict(_shipped())


def _read_shipped() -> tuple[tuple[str, Rulebook], ...]:
    """The shipped files, read and parsed (`_shipped`: once a run)."""
    books = {}
    for entry in sorted(resources.files("xl_complaints.core.rulebooks").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            book = parse(entry.read_text(encoding="utf-8"))
            books[book.id] = book
    return tuple(books.items())


# A command asks for the shipped rulebooks several times; they are frozen, so every caller can
# share one reading. (Cached by wrapping, not decorating: mutation testing skips decorated functions.)
_shipped = functools.cache(_read_shipped)


def load(rulebook_id: str, overrides: dict[str, object] | None = None) -> Rulebook:
    books = shipped()
    if rulebook_id not in books:
        raise RulebookError(f"There is no rulebook '{rulebook_id}': choose one of {', '.join(books)}.")
    return books[rulebook_id].with_overrides(overrides or {})
