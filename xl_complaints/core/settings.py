"""A council's settings: what differs between councils, in one object.

The workbook's Settings sheet is read into this (by the register adapter), the
command line builds it from options, and the core takes it as an argument, so
the core never looks anything up for itself.
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


@dataclass(frozen=True)
class Settings:
    council_name: str = "Example Borough Council"
    department: str = "Children's Services"
    team_name: str = "Children's Complaints Team"
    address: tuple[str, ...] = ("Civic Centre", "High Street", "Exampleton", "EX1 1AA")
    phone: str = "01234 567890"
    email: str = "complaints@example.gov.uk"
    website: str = "www.example.gov.uk/complaints"
    logo: str = ""  # path to an image for letters
    signatory: str = "Rhian Price"  # who signs the council's letters: a person's name
    signatory_title: str = "Complaints Manager"
    final_signatory: str = "Gareth Lloyd"  # the stage 3 response: the Director or a senior manager (the procedures)
    final_signatory_title: str = "Director of Children's Services"
    consent_route: str = "social worker"  # 'child', 'social worker' or 'complainant': how the child's consent is asked
    consent_reply_days: int = 10  # working days the child has to reply to a consent request
    front_door_phone: str = "01234 567000"  # children's services' front door, for worries about a child's safety
    out_of_hours_phone: str = "01234 567999"  # the emergency duty team
    concern_contact_days: int = 5  # a case concern: the manager gets in touch within this many working days
    advocacy_service: str = "the National Youth Advocacy Service (NYAS), 0808 808 1001"
    letters_folder: str = "Letters"
    templates_folder: str = ""  # the council's own copies of the letter templates; empty: the shipped ones

    region: str = DEFAULT_REGION
    closure_days: tuple[dt.date, ...] = ()
    extra_holidays: tuple[dt.date, ...] = ()
    removed_holidays: tuple[dt.date, ...] = ()

    statutory_rulebook: str = "england-statutory"
    corporate_rulebook: str = "lgsco-code-2026"
    # A corporate complaint received before the Code applies (1 April 2026) follows the
    # council's earlier corporate procedure: one of the two shipped council variants.
    corporate_rulebook_before_code: str = "corporate-two-stage"
    # Annual report table 2, stage 1: "every statutory representation answered at stage 1"
    # (the 2016/17 report: 33, as table 1a) or "complaints only".
    table2_stage1: str = "every statutory representation answered at stage 1"
    acknowledgement_days: int = 3  # statutory acknowledgement: 2, 3 and 5 are all in use
    stage2_clock: str = "accepted request"  # or "agreed statement"
    amber_days: int = 3  # due within this many working days: Amber
    young_person_age: int = 12  # a child this old or older may consent to a representative
    retention_years: int = 6
    year_start_month: int = 4  # reporting year starts in April
    overrides: dict[str, dict[str, object]] = field(default_factory=dict)  # rulebook id -> {dotted: value}

    def __post_init__(self):
        if self.stage2_clock not in STAGE2_CLOCK:
            raise ValueError(
                f"Stage 2 clock '{self.stage2_clock}' is not known: use 'accepted request' or 'agreed statement'."
            )
        if self.table2_stage1 not in TABLE2_STAGE1:
            raise ValueError(f"Table 2 stage 1 counts '{self.table2_stage1}' is not known: use {' or '.join(repr(t) for t in TABLE2_STAGE1)}.")
        if not 0 <= int(self.amber_days) <= 60:
            raise ValueError(f"Amber threshold must be between 0 and 60 working days, not {self.amber_days}.")

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


# --- the Settings sheet: label in column A, value in column B ----------------
# One row per setting; a setting that takes several dates (closure days) takes
# one row per date with the same label. Rulebook overrides are rows labelled
# 'Rule' with a value like 'england-statutory: s1_response.period = 12'.

SHEET_ROWS: tuple[tuple[str, str, str], ...] = (
    # label, attribute, kind
    ("Council name", "council_name", "text"),
    ("Department", "department", "text"),
    ("Team name", "team_name", "text"),
    ("Address", "address", "lines"),
    ("Phone", "phone", "text"),
    ("Email", "email", "text"),
    ("Website", "website", "text"),
    ("Logo file", "logo", "text"),
    ("Letters signed by", "signatory", "text"),
    ("Letters signed by (job title)", "signatory_title", "text"),
    ("Stage 3 responses signed by", "final_signatory", "text"),
    ("Stage 3 responses signed by (job title)", "final_signatory_title", "text"),
    ("Consent request sent to", "consent_route", "text"),
    ("Consent reply within (working days)", "consent_reply_days", "int"),
    ("Children's services front door phone", "front_door_phone", "text"),
    ("Out-of-hours phone", "out_of_hours_phone", "text"),
    ("Case concern contact within (working days)", "concern_contact_days", "int"),
    ("Advocacy service", "advocacy_service", "text"),
    ("Letters folder", "letters_folder", "text"),
    ("Letter templates folder", "templates_folder", "text"),
    ("Bank holiday region", "region", "text"),
    ("Closure day", "closure_days", "dates"),
    ("Extra bank holiday", "extra_holidays", "dates"),
    ("Not a bank holiday", "removed_holidays", "dates"),
    ("Statutory rulebook", "statutory_rulebook", "text"),
    ("Corporate rulebook", "corporate_rulebook", "text"),
    ("Corporate rulebook before the Code", "corporate_rulebook_before_code", "text"),
    ("Table 2 stage 1 counts", "table2_stage1", "text"),
    ("Acknowledgement (working days)", "acknowledgement_days", "int"),
    ("Stage 2 clock starts from", "stage2_clock", "text"),
    ("Amber when due within (working days)", "amber_days", "int"),
    ("Child may consent from age", "young_person_age", "int"),
    ("Keep closed cases for (years)", "retention_years", "int"),
    ("Reporting year starts in month", "year_start_month", "int"),
    ("Rule", "overrides", "rule"),
)

SETTING_HELP = {
    "region": "England and Wales, Scotland or Northern Ireland",
    "closure_days": "One row per day the council is closed (e.g. between Christmas and New Year)",
    "extra_holidays": "A bank holiday announced at short notice",
    "removed_holidays": "A date wrongly listed as a bank holiday",
    "acknowledgement_days": "Statutory acknowledgement: 2, 3 or 5 working days are all in use",
    "stage2_clock": "'accepted request' or 'agreed statement'",
    "amber_days": "A milestone due within this many working days shows Amber",
    "overrides": "rulebook: milestone.field = value, e.g. england-statutory: s1_response.period = 12",
    "address": "Separate lines with commas",
    "templates_folder": "Leave empty to use the templates that come with xl-complaints; or a folder of your own copies",
    "statutory_rulebook": "england-statutory",
    "corporate_rulebook": "lgsco-code-2026, corporate-two-stage or corporate-three-stage",
    "corporate_rulebook_before_code": "For corporate complaints received before 1 April 2026: corporate-two-stage or corporate-three-stage",
    "table2_stage1": "'every statutory representation answered at stage 1' (as the 2016/17 report) or 'complaints only'",
    "year_start_month": "1 to 12; April is 4",
    "signatory": "The name of the person who signs the council's letters (the responding manager signs stage 1 responses)",
    "final_signatory": "The Director or senior manager who signs the council's final (stage 3) response",
    "consent_route": "'child' (written to the child), 'social worker' (to the child, given by their social worker) or 'complainant' (to the complainant, for the child to sign)",
    "consent_reply_days": "The letter asks for a reply within this many working days",
    "front_door_phone": "Where to call about a child's safety (the case concern letter)",
    "out_of_hours_phone": "The emergency duty team, for evenings and weekends",
}


LETTERHEAD = ("council_name", "department", "team_name", "address", "phone", "email", "website", "logo", "signatory", "advocacy_service", "letters_folder", "templates_folder",
              "signatory_title", "final_signatory", "final_signatory_title", "consent_route", "consent_reply_days",
              "front_door_phone", "out_of_hours_phone", "concern_contact_days")


def settings_from_rows(rows: list[list], sheet: str = "Settings") -> tuple[Settings, list[str]]:
    """Read the Settings sheet's rows; return the settings and a message per bad row.

    A bad row is reported and its default kept, so a typo in one setting never
    stops the register being read.
    """
    from .register import parse_date  # the one date reader

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
                dotted, _, setting = rest.partition("=")
                if not (book.strip() and dotted.strip() and setting.strip()):
                    raise ValueError
                rulebooks.load(book.strip(), {dotted.strip(): setting.strip()})  # refuses a bad rule now, on its row
                values.setdefault("overrides", {}).setdefault(book.strip(), {})[dotted.strip()] = setting.strip()
            _check_one(attr, values.get(attr))
        except rulebooks.RulebookError as err:
            problems.append(f"{sheet} row {number}, '{label}': {err}")
        except ValueError:
            problems.append(f"{sheet} row {number}, '{label}': '{value}' cannot be used ({SETTING_HELP.get(attr, kind)})")
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


def _check_one(attr: str, value) -> None:
    """Refuse a setting on its own row, so one typo never resets the others."""
    if attr == "region":
        region_code(value)
    elif attr == "stage2_clock" and value not in STAGE2_CLOCK:
        raise ValueError
    elif attr == "amber_days" and not 0 <= value <= 60:
        raise ValueError
    elif attr == "consent_route" and str(value).strip().lower() not in CONSENT_ROUTES:
        raise ValueError
    elif attr in ("consent_reply_days", "concern_contact_days") and not 1 <= value <= 60:
        raise ValueError
    elif attr in ("acknowledgement_days", "retention_years", "young_person_age") and not 0 <= value <= 100:
        raise ValueError
    elif attr == "year_start_month" and not 1 <= value <= 12:
        raise ValueError
    elif attr in ("statutory_rulebook", "corporate_rulebook", "corporate_rulebook_before_code") and value not in rulebooks.shipped():
        raise ValueError
    elif attr == "table2_stage1" and value not in TABLE2_STAGE1:
        raise ValueError


def settings_to_rows(settings: Settings) -> list[tuple[str, object, str]]:
    """(label, value, help) rows for the workbook's Settings sheet."""
    rows: list[tuple[str, object, str]] = []
    for label, attr, kind in SHEET_ROWS:
        value = getattr(settings, attr)
        help_text = SETTING_HELP.get(attr, "")
        if kind == "dates":
            for day in value or ():
                rows.append((label, day, help_text))
            if not value:
                rows.append((label, None, help_text))
        elif kind == "lines":
            rows.append((label, ", ".join(value), help_text))
        elif kind == "rule":
            for book, changes in value.items():
                for dotted, setting in changes.items():
                    rows.append((label, f"{book}: {dotted} = {setting}", help_text))
            if not value:
                rows.append((label, None, help_text))
        else:
            rows.append((label, value, help_text))
    return rows
