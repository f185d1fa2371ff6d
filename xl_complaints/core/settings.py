"""A council's settings: what differs between councils, in one object.

The workbook's Settings sheet is read into this (by the register adapter), the
command line builds it from options, and the core takes it as an argument, so
the core never looks anything up for itself.

Each setting is described once, on its field: the Settings sheet's label, what
it means, where its default comes from and what values it takes. The sheet's
rows and notes, the checks on what an officer types, and docs/settings.md are
all made from those descriptions. The settings are grouped by what they are
about: the letterhead (what letters say and who signs them), the folders
(where letters come from and go), and the rules (deadlines and reporting).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from . import rulebook as rulebooks
from .calendar import DEFAULT_REGION, WorkingCalendar, region_code
from .schema import CORPORATE, STATUTORY

CONSENT_ROUTES = ("child", "social worker", "complainant")
STAGE2_CLOCK = {"accepted request": "s2_accepted", "agreed statement": "s2_statement_agreed"}
TABLE2_STAGE1 = ("every statutory representation answered at stage 1", "complaints only")
BEFORE_CODE = "Corporate before the Code"
CORPORATE_RULEBOOKS = ("lgsco-code-2026", "corporate-two-stage", "corporate-three-stage")

# How each field's type is written on the Settings sheet.
KINDS = {"str": "text", "tuple[str, ...]": "lines", "int": "int", "tuple[dt.date, ...]": "dates", "dict[str, dict[str, object]]": "rule"}


@dataclass(frozen=True)
class Setting:
    """One setting's description: everything the sheet, the checks and the docs say about it."""

    label: str  # the Settings sheet's column A
    meaning: str  # what it does: the sheet's note beside it, and docs/settings.md
    source: str = ""  # where the default comes from (the law, the procedures, the Code), if not the example council
    allowed: "Check | None" = None  # a value it may not take is refused on its own row


def setting(default, label: str, meaning: str, source: str = "", allowed: "Check | None" = None, factory=None):
    """A Settings field and its description, in one place."""
    about = {"setting": Setting(label, meaning, source, allowed)}
    if factory is not None:
        return field(default_factory=factory, metadata=about)
    return field(default=default, metadata=about)


class Check:
    """What values a setting takes: `text` says so in words, calling it answers for one value."""

    text = ""
    needs_lookup = False  # reads the shipped rulebooks or regions: made on the sheet's row, not on every Settings

    def __call__(self, value) -> bool:
        raise NotImplementedError


class one_of(Check):
    def __init__(self, *choices: str, any_case: bool = False):
        self.choices, self.any_case = choices, any_case
        self.text = " or ".join(f"'{c}'" for c in choices)

    def __call__(self, value) -> bool:
        return (str(value).strip().lower() if self.any_case else value) in self.choices


class between(Check):
    def __init__(self, low: int, high: int):
        self.low, self.high = low, high
        self.text = f"a whole number from {low} to {high}"

    def __call__(self, value) -> bool:
        return self.low <= value <= self.high


class _Region(Check):
    text = "England and Wales, Scotland or Northern Ireland"
    needs_lookup = True

    def __call__(self, value) -> bool:
        region_code(value)  # raises ValueError, naming the regions
        return True


class _ShippedRulebook(Check):
    needs_lookup = True

    @property
    def text(self) -> str:
        return "one of " + ", ".join(rulebooks.shipped())

    def __call__(self, value) -> bool:
        return value in rulebooks.shipped()


@dataclass(frozen=True)
class Letterhead:
    """What the council's letters say about it, who signs them, and who a worried reader can call."""

    council_name: str = setting("Example Borough Council", "Council name", "The council's name, at the top of every letter")
    department: str = setting("Children's Services", "Department", "The department under the council's name")
    team_name: str = setting("Children's Complaints Team", "Team name", "The team letters come from")
    address: tuple[str, ...] = setting(("Civic Centre", "High Street", "Exampleton", "EX1 1AA"), "Address", "The team's postal address on letters: separate lines with commas")
    phone: str = setting("01234 567890", "Phone", "The complaints team's phone number")
    email: str = setting("complaints@example.gov.uk", "Email", "The complaints team's email address")
    website: str = setting("www.example.gov.uk/complaints", "Website", "The council's complaints web page")
    logo: str = setting("", "Logo file", "An image printed at the top of letters; empty: none")
    signatory: str = setting("Rhian Price", "Letters signed by", "The name of the person who signs the council's letters (the responding manager signs stage 1 responses)")
    signatory_title: str = setting("Complaints Manager", "Letters signed by (job title)", "The job title under that name")
    final_signatory: str = setting("Gareth Lloyd", "Stage 3 responses signed by", "The Director or senior manager who signs the council's final (stage 3) response",
                                   "The procedures: the authority's response to a review panel comes from the Director or a senior manager")
    final_signatory_title: str = setting("Director of Children's Services", "Stage 3 responses signed by (job title)", "The job title under that name")
    consent_route: str = setting("social worker", "Consent request sent to",
                                 "'child' (written to the child), 'social worker' (to the child, given by their social worker) or 'complainant' (to the complainant, for the child to sign)",
                                 allowed=one_of(*CONSENT_ROUTES, any_case=True))
    consent_reply_days: int = setting(10, "Consent reply within (working days)", "The letter asks for a reply within this many working days", allowed=between(1, 60))
    front_door_phone: str = setting("01234 567000", "Children's services front door phone", "Where to call about a child's safety (the case concern letter)")
    out_of_hours_phone: str = setting("01234 567999", "Out-of-hours phone", "The emergency duty team, for evenings and weekends")
    concern_contact_days: int = setting(5, "Case concern contact within (working days)", "A case concern: the manager gets in touch within this many working days",
                                        allowed=between(1, 60))
    advocacy_service: str = setting("the National Youth Advocacy Service (NYAS), 0808 808 1001", "Advocacy service",
                                    "Who helps a child or young person make a complaint (letters to children name it)",
                                    "The Regulations 2006: the council must offer a child help from an advocate")


@dataclass(frozen=True)
class Folders:
    """Where letters come from and where they are written."""

    letters_folder: str = setting("Letters", "Letters folder", "Where letters are written; a relative folder is beside the register")
    templates_folder: str = setting("", "Letter templates folder", "Leave empty to use the templates that come with xl-complaints; or a folder of your own copies")


@dataclass(frozen=True)
class Rules:
    """The council's working days, rulebooks and reporting choices: what the deadlines and figures follow."""

    region: str = setting(DEFAULT_REGION, "Bank holiday region", "England and Wales, Scotland or Northern Ireland",
                          "GOV.UK bank holidays (the holidays package); the Regulations 2006 count working days without bank holidays",
                          allowed=_Region())
    closure_days: tuple[dt.date, ...] = setting((), "Closure day", "One row per day the council is closed (e.g. between Christmas and New Year)")
    extra_holidays: tuple[dt.date, ...] = setting((), "Extra bank holiday", "A bank holiday announced at short notice")
    removed_holidays: tuple[dt.date, ...] = setting((), "Not a bank holiday", "A date wrongly listed as a bank holiday")
    statutory_rulebook: str = setting("england-statutory", "Statutory rulebook", "england-statutory",
                                      "The Children Act 1989 Representations Procedure (England) Regulations 2006",
                                      allowed=_ShippedRulebook())
    corporate_rulebook: str = setting("lgsco-code-2026", "Corporate rulebook", "lgsco-code-2026, corporate-two-stage or corporate-three-stage",
                                      "The Ombudsman's Complaint Handling Code, applied from 1 April 2026",
                                      allowed=_ShippedRulebook())
    corporate_rulebook_before_code: str = setting(
        "corporate-two-stage", "Corporate rulebook before the Code",
        "For corporate complaints received before 1 April 2026: corporate-two-stage or corporate-three-stage",
        "A corporate complaint received before the Code applies follows the council's earlier corporate procedure: one of the two shipped council variants",
        allowed=_ShippedRulebook())
    table2_stage1: str = setting("every statutory representation answered at stage 1", "Table 2 stage 1 counts",
                                 "'every statutory representation answered at stage 1' (as the 2016/17 report) or 'complaints only'",
                                 "The 2016/17 annual report's table 2 counts 33 at stage 1, as table 1a", allowed=one_of(*TABLE2_STAGE1))
    acknowledgement_days: int = setting(3, "Acknowledgement (working days)", "Statutory acknowledgement: 2, 3 or 5 working days are all in use",
                                        "Not in the Regulations 2006: councils use 2, 3 (the county's procedure) or 5 working days", allowed=between(0, 100))
    stage2_clock: str = setting("accepted request", "Stage 2 clock starts from", "'accepted request' or 'agreed statement'",
                                "The Regulations 2006 (reg 17): 25 working days, from the request accepted or the complaint agreed with the investigating officer (councils differ)",
                                allowed=one_of(*STAGE2_CLOCK))
    amber_days: int = setting(3, "Amber when due within (working days)", "A milestone due within this many working days shows Amber", allowed=between(0, 60))
    young_person_age: int = setting(12, "Child may consent from age", "A child this old or older may consent to a representative complaining for them",
                                    allowed=between(0, 100))
    retention_years: int = setting(6, "Keep closed cases for (years)", "Closed cases older than this are listed for deletion", allowed=between(0, 100))
    year_start_month: int = setting(4, "Reporting year starts in month", "1 to 12; April is 4", "The annual report covers April to March", allowed=between(1, 12))
    overrides: dict[str, dict[str, object]] = setting(None, "Rule", "rulebook: milestone.field = value, e.g. england-statutory: s1_response.period = 12",
                                                      factory=dict)


def described(cls=None) -> list[tuple[dataclasses.Field, Setting]]:
    """(field, description) for every setting of `cls` (every setting when not given), in the sheet's order."""
    return [(f, f.metadata["setting"]) for f in dataclasses.fields(cls or Settings)]


@dataclass(frozen=True)
class Settings(Rules, Folders, Letterhead):
    """Every setting: the letterhead's, then the folders', then the rules' (the Settings sheet's order)."""

    def __post_init__(self):
        for f, about in described():
            if about.allowed is None or about.allowed.needs_lookup:
                continue
            value = getattr(self, f.name)
            if not about.allowed(value):
                raise ValueError(f"{about.label}: '{value}' cannot be used: use {about.allowed.text}.")

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(
            region=self.region,
            closure_days=tuple(self.closure_days),
            extra_holidays=tuple(self.extra_holidays),
            removed_holidays=tuple(self.removed_holidays),
        )

    def rulebook_for(self, procedure: str, received: dt.date | None = None) -> rulebooks.Rulebook:
        """The council's rulebook for 'Statutory' or 'Corporate', its overrides applied.

        Given the date received, a corporate complaint from before the day the
        rulebook applies from (the Code: 1 April 2026) gets the earlier rulebook.
        """
        book = self._rulebooks[procedure]
        if received is not None and book.applies_from is not None and received < book.applies_from:
            return self._rulebooks[BEFORE_CODE]
        return book

    def rulebooks_by_receipt(self, procedure: str, received):
        """[(rulebook, mask)] for a column of dates received: which rows follow which rulebook."""
        import numpy as np

        received = np.asarray(received, dtype="datetime64[D]")
        book = self._rulebooks[procedure]
        if book.applies_from is None:
            return [(book, np.ones(received.shape, dtype=bool))]
        earlier = received < np.datetime64(book.applies_from, "D")  # NaT: the current rulebook
        return [(self._rulebooks[BEFORE_CODE], earlier), (book, ~earlier)]

    def rulebooks(self) -> list[rulebooks.Rulebook]:
        """Every rulebook the council's complaints can follow."""
        return list(self._rulebooks.values())

    @cached_property
    def _rulebooks(self) -> dict[str, rulebooks.Rulebook]:
        books = {}
        for procedure, book_id in ((STATUTORY, self.statutory_rulebook), (CORPORATE, self.corporate_rulebook), (BEFORE_CODE, self.corporate_rulebook_before_code)):
            overrides: dict[str, object] = {}
            if procedure == STATUTORY:
                overrides["s1_acknowledgement.period"] = self.acknowledgement_days
                base = rulebooks.load(book_id)
                if any(m.key == "s2_response" for m in base.milestones):
                    overrides["s2_response.from"] = STAGE2_CLOCK[self.stage2_clock]
            overrides.update(self.overrides.get(book_id, {}))
            books[procedure] = rulebooks.load(book_id, overrides)
        return books

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)


# --- the Settings sheet: label in column A, value in column B, the meaning in C ----------
# One row per setting; a setting that takes several dates (closure days) takes
# one row per date with the same label. Rulebook overrides are rows labelled
# 'Rule' with a value like 'england-statutory: s1_response.period = 12'.


def kind_of(f: dataclasses.Field) -> str:
    """How a setting is written on the sheet: text, lines, int, dates or rule (from the field's type)."""
    return KINDS[str(f.type)]


def sheet_rows() -> list[tuple[str, str, str]]:
    """(label, attribute, kind) for every setting, in the sheet's order."""
    return [(about.label, f.name, kind_of(f)) for f, about in described()]


SHEET_ROWS: tuple[tuple[str, str, str], ...] = tuple(sheet_rows())
LETTERHEAD = tuple(f.name for f in dataclasses.fields(Letterhead)) + tuple(f.name for f in dataclasses.fields(Folders))
_ABOUT = {f.name: about for f, about in described()}


def settings_from_rows(rows: list[list] | None, sheet: str = "Settings") -> tuple[Settings, list[str]]:
    """Read the Settings sheet's rows; return the settings and a message per bad row.

    A bad row is reported and its default kept, so a typo in one setting never
    stops the register being read. No rows (a register without a Settings
    sheet): the defaults, with nothing to report.
    """
    if rows is None:
        return Settings(), []
    from .dates import parse_date  # the one date reader

    by_label = {label.lower(): (attr, kind) for label, attr, kind in SHEET_ROWS}
    values: dict[str, object] = {}
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        if not row or row[0] is None or not str(row[0]).strip():
            continue
        label = str(row[0]).strip()
        value = row[1] if len(row) > 1 else None
        if label.lower() not in by_label:
            continue  # a heading or a note
        attr, kind = by_label[label.lower()]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            if kind == "text":
                values[attr] = str(value).strip()
            elif kind == "lines":
                values[attr] = tuple(part.strip() for part in str(value).replace("\n", ",").split(",") if part.strip())
            elif kind == "int":
                number_value = float(value)
                if not number_value.is_integer():
                    raise ValueError
                values[attr] = int(number_value)
            elif kind == "dates":
                values.setdefault(attr, []).append(parse_date(value))
            elif kind == "rule":
                book, _, rest = str(value).partition(":")
                dotted, _, setting_value = rest.partition("=")
                if not (book.strip() and dotted.strip() and setting_value.strip()):
                    raise ValueError
                rulebooks.load(book.strip(), {dotted.strip(): setting_value.strip()})  # refuses a bad rule now, on its row
                values.setdefault("overrides", {}).setdefault(book.strip(), {})[dotted.strip()] = setting_value.strip()
            allowed = _ABOUT[attr].allowed
            if allowed is not None and not allowed(values.get(attr)):  # refused on its own row, so one typo never resets the others
                raise ValueError
        except rulebooks.RulebookError as err:
            problems.append(f"{sheet} row {number}, '{label}': {err}")
        except ValueError:
            problems.append(f"{sheet} row {number}, '{label}': '{value}' cannot be used ({_ABOUT[attr].meaning})")
            if kind not in ("dates", "rule"):
                values.pop(attr, None)
    for attr in ("closure_days", "extra_holidays", "removed_holidays"):
        if attr in values:
            values[attr] = tuple(values[attr])
    try:
        settings = Settings(**values)
        region_code(settings.region)
        settings.rulebook_for(STATUTORY), settings.rulebook_for(CORPORATE)
    except (ValueError, rulebooks.RulebookError) as err:
        problems.append(f"{sheet}: {err}")
        safe = {k: v for k, v in values.items() if k in LETTERHEAD}
        settings = Settings(**safe)
    return settings, problems


def settings_to_rows(settings: Settings) -> list[tuple[str, object, str]]:
    """(label, value, note) rows for the workbook's Settings sheet."""
    rows: list[tuple[str, object, str]] = []
    for f, about in described():
        label, kind, value, note = about.label, kind_of(f), getattr(settings, f.name), about.meaning
        if kind == "dates":
            for day in value or ():
                rows.append((label, day, note))
            if not value:
                rows.append((label, None, note))
        elif kind == "lines":
            rows.append((label, ", ".join(value), note))
        elif kind == "rule":
            for book, changes in value.items():
                for dotted, setting_value in changes.items():
                    rows.append((label, f"{book}: {dotted} = {setting_value}", note))
            if not value:
                rows.append((label, None, note))
        else:
            rows.append((label, value, note))
    return rows


# --- docs/settings.md -------------------------------------------------------------------------

GROUPS = (("The letterhead", Letterhead), ("Folders", Folders), ("The rules", Rules))


def reference() -> str:
    """docs/settings.md: every setting, from its description (tests/test_settings.py keeps the file current)."""
    lines = [
        "# Settings",
        "",
        "<!-- Made from the descriptions in xl_complaints/core/settings.py: do not edit by hand. To remake it:",
        "     python -c \"from xl_complaints.core.settings import reference; print(reference(), end='')\" > docs/settings.md -->",
        "",
        "The register's Settings sheet holds what differs between councils: one row per setting, the",
        "label in column A, the value in column B (the note in column C is for officers and is never",
        "read). A setting that takes several dates, such as a closure day, takes one row per date with",
        "the same label. A row left empty keeps the default below; a value that cannot be used is",
        "reported by `check` with its row, and the default is kept for that setting alone.",
        "",
    ]
    defaults = Settings()
    for title, cls in GROUPS:
        lines += [f"## {title}", "", (cls.__doc__ or "").strip(), "", "| Setting | Default | What it does | Values | Where the default comes from |", "|---|---|---|---|---|"]
        for f, about in described(cls):
            value = getattr(defaults, f.name)
            kind = kind_of(f)
            if kind == "lines":
                shown = ", ".join(value)
            elif kind in ("dates", "rule"):
                shown = "none"
            else:
                shown = str(value) if value != "" else "empty"
            values = about.allowed.text if about.allowed is not None else {"text": "text", "lines": "lines separated by commas", "int": "a whole number",
                                                                           "dates": "a date, one row each", "rule": "one rule a row"}[kind]
            cells = [about.label, shown, about.meaning, values, about.source or "The council's own choice"]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
