"""The register's columns: the one place that says what a row holds.

The workbook builder, the reader, the status engine, the letters and the
statistics all take their headers, types and dropdown lists from here, so a
column renamed here is renamed everywhere. Category values are those of the
statutory annual report (tables 1a, 1b, 3a, 4, 5a, 6a, 7a, 7c, 8, 9b of the
2016/17 report in the domain documents), with a few services added so that the
services exempt from the statutory route can be recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    DATE = "date"
    CATEGORY = "category"  # one of a fixed list
    YESNO = "yesno"
    TEXT = "text"
    REFERENCE = "reference"


class Sensitivity(str, Enum):
    """How much a column's values say about a person: decides where a value may ever go.

    Marked once per column below; `Column.echoable` and the reader's wording of
    problems are derived from it (and from the column's kind), so no message,
    log, report or sheet the toolkit writes repeats a value it should not.
    """

    PERSONAL = "personal"  # identifies someone: names, addresses, contact details, a child's date of birth
    SPECIAL = "special"  # special-category and monitoring data (ethnicity, disability, a child's legal status...)
    ORDINARY = "ordinary"  # about the complaint, not a person: dates, routes, services, outcomes


# What a reference looks like: the only cell value messages, logs and reports may repeat.
REFERENCE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/._-]{0,39}")


YES, NO = "Yes", "No"
STATUTORY, CORPORATE = "Statutory", "Corporate"
OUTCOMES = ("Upheld", "Partially upheld", "Not upheld")

# --- category lists (annual report tables) ---------------------------------

REPRESENTATION_TYPES = (  # table 1a
    "Complaint",
    "Pre-complaint",
    "Area initiated complaint",
    "Refused",
    "Professional to Professional Complaint",
    "LSCB",
    "LGO",
    "Case Concern",
    "Miscellaneous",
    "Compliment",
    "Hantsdirect handoff",
    "Request for info",
    "Ad Hoc",
)
# Representation types that run the complaint procedure's clocks.
COMPLAINT_TYPES = ("Complaint", "Pre-complaint", "Area initiated complaint", "LGO")
CASE_CONCERN = "Case Concern"
REFUSED = "Refused"
COMPLIMENT = "Compliment"
STATUTORY_TYPES = ("Complaint", "Pre-complaint", "Area initiated complaint", "Refused")
OTHER_TYPES = tuple(t for t in REPRESENTATION_TYPES if t not in STATUTORY_TYPES)

REFUSAL_REASONS = (  # table 1b
    "Court Proceedings",
    "No PR",
    "Not in Best Interest/Age of Child/YP",
    "Out of Time",
    "Outside of Remit",
    "Tribunal/Court Proceedings",
    # Seed 004: "will not be accepted if they have previously been raised and responded
    # to more than 12 months earlier or have already been dealt with at all three stages".
    "Answered over 12 months ago",
    "Already through all three stages",
)
ADDED_REFUSAL_REASONS = ("Answered over 12 months ago", "Already through all three stages")

HOW_RECEIVED = (  # table 3a
    "E-mail",
    "Letter",
    "Complaint Form",
    "E-Form",
    "Telephone",
    "In Person",
    "Via LGO",
    "Text Message",
    "YP Complaint Form",
)

# table 4: group -> values. Order is the report's.
RECEIVED_FROM_GROUPS = {
    "Parent/Adopter": ("Parent", "Adopter", "Ex-Partner", "Partner", "Step-Parent"),
    "Non-Parent Relative": ("Grandparent", "Sibling", "Other Relative", "Special Guardian", "Kinship Carer"),
    "Foster Carer/Prospective Foster Carer": (
        "Foster Carer",
        "Private Foster Carer",
        "Prospective Adopter/Foster Carer",
        "Prospective Foster Carer",
    ),
    "Service user": ("Service user (adult)", "Service user (young person)"),
    "Professional": (
        "Head Teacher",
        "Health Staff",
        "Other Agency",
        "Other Council Staff",
        "Other Professionals",
    ),
    "Advocate": ("Advocate",),
    "Miscellaneous": ("Birth Parent of Adopted Child", "Friend/Neighbour", "Other", "Residential Carer"),
    "Unknown": ("Unknown",),
}
RECEIVED_FROM = tuple(v for values in RECEIVED_FROM_GROUPS.values() for v in values)
# Values added to the 2016/17 report's table 4 so that who may complain can be told
# apart (issue 11): shown in table 4 only when used.
ADDED_RECEIVED_FROM = ("Special Guardian", "Kinship Carer", "Residential Carer")
YOUNG_PERSON = "Service user (young person)"
ADULT_SERVICE_USER = "Service user (adult)"
ADVOCATE = "Advocate"
# Who may make a statutory complaint (Children Act 1989 s26(3)); docs/rules.md.
# (b) "any parent of his": a legal parent, with or without parental responsibility.
# An adopter is the child's parent in law; a birth parent of an adopted child is not.
LEGAL_PARENTS = ("Parent", "Adopter")
# (d) "any local authority foster parent".
LA_FOSTER_PARENTS = ("Foster Carer",)
# Seed 001: where the child cannot consent, a representative is accepted only from
# a parent with parental responsibility or "a person responsible for providing their care".
CARE_PROVIDERS = ("Foster Carer", "Private Foster Carer", "Special Guardian", "Kinship Carer", "Residential Carer")
CARERS = ("Foster Carer", "Private Foster Carer")  # kept for the letters and the sample
PARENTS = RECEIVED_FROM_GROUPS["Parent/Adopter"] + ("Birth Parent of Adopted Child",)

NATURE = (  # table 5a
    "Application of Policy",
    "Assessment Outcome",
    "Assessment Process",
    "Change of Placement Decision",
    "Change to Service",
    "Delay in Provision of Service",
    "Finance",
    "Funding",
    "Non Fulfilment of Duty",
    "Policy",
    "Poor Communication",
    "Professional Conduct",
    "Quality of Service",
    "Refusal of Service",
    "Safeguarding",
    "Other",
    "Unknown",
)

SERVICES = (  # table 6a, plus the services exempt from the statutory route
    "Adoption/Permanence",
    "Care Leavers",
    "Child in Need",
    "Children Looked After",
    "Disabled Children's Team",
    "Early Help Hub",
    "Family Placement",
    "Hantsdirect / Out of Hours",
    "Independent Reviewing Service",
    "Intensive Support Service (ISS)",
    "MASH/CRT",
    "Occupational Therapy",
    "Not receiving a service",
    "Reception & Assessment",
    "Safeguarding",
    "Specialist Residential Provision",
    "YOT",
    "Other/Unknown",
    "Child Protection Enquiry (s47)",
    "Child Protection Conference",
    "Foster Carer/Adopter Assessment",
    "Court Report (s7/s37)",
)
# Services the Ombudsman's practitioner guide places outside the statutory
# children's procedure (seed 000): these complaints go the corporate route.
EXEMPT_SERVICES = (
    "Early Help Hub",
    "Child Protection Enquiry (s47)",
    "Child Protection Conference",
    "Foster Carer/Adopter Assessment",
    "Court Report (s7/s37)",
)

OUTCOMES_SOUGHT = (  # table 7a
    "Agreed Service Implemented",
    "Apology",
    "Apology & Explanation",
    "Assessment / Review / Reassessment",
    "Assurance of Non-Reoccurrence",
    "Change Made to Contact Arrangements",
    "Change of Social Worker / Worker",
    "Compensation",
    "Disciplinary Action Against Staff",
    "Explanation",
    "Financial Reimbursement",
    "Improved Practice",
    "Kept Informed by CS",
    "Not Known/Specified",
    "Other",
    "Payment",
    "Policy / Procedure Review",
    "Remedial Action",
    "Removal of Child Protection Plan",
    "Request for Meeting",
    "Request Fulfilled",
    "Service Delivery",
    "Training for Staff",
)

ACTUAL_OUTCOMES = (  # table 7c
    "Apology",
    "Apology & Explanation",
    "Assessment / Reassessment",
    "Assurance of Non-Reoccurrence",
    "Change of Social Worker / Worker",
    "Complaint Refused",
    "Complaint Withdrawn",
    "Explanation",
    "Financial Reimbursement",
    "Meeting / Offer of a meeting",
    "Other",
    "Request Fulfilled",
    "Not recorded",
)

LEGAL_STATUS = ("Child in Care", "Child in Need", "Care Leaver", "Child Protection Plan", "Other")  # 9b
GENDER = ("Not Stated", "Male", "Female", "Male & Female")  # 8c
AGE_BANDS = ("0 - 16", "16 - 19", "20 - 24", "25 - 59", "60 - 64", "65 and over", "Not Stated")  # 8e
ETHNICITY = (  # 8g
    "Not Stated",
    "Not Asked",
    "White British",
    "Other White",
    "Asian/Asian British",
    "Black/Black British",
    "Mixed",
    "Other Ethnic Group",
)
DISABILITY = ("Not Stated", "No", "Yes")  # 8a
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Rev")
HOLD_REASONS = (
    "Court or police proceedings",
    "Awaiting consent",
    "Awaiting advocate",
    "At complainant's request",
    "Subject access request",
    "Other",
    "Child protection investigation",
    "Tribunal",
)
# Seed 004, 'Deferring, freezing or suspending complaints': a complaint that could
# prejudice a concurrent investigation is deferred (not accepted for now), not refused.
DEFERRAL_REASONS = ("Court proceedings", "Tribunal", "Disciplinary proceedings", "Criminal proceedings")
# Seed 004, 'Complaints outside of remit': why a complaint about events more than
# 12 months before was accepted all the same (reg 9(2) leaves it to the council).
LATE_ACCEPTED_REASONS = (
    "Unaware until recently",
    "Young person could not complain sooner",
    "Other good reason",
)
LGSCO_OUTCOMES = (
    "Premature - referred back",
    "Not investigated",
    "Closed after initial enquiries",
    "Upheld - maladministration",
    "Not upheld",
)


@dataclass(frozen=True)
class Column:
    header: str  # exactly as officers see it
    kind: Kind
    values: tuple[str, ...] = ()
    calculated: bool = False
    personal: bool = False  # names, addresses, contact details: never in logs or statistics
    note: str = ""  # shown as the header's comment in the workbook
    key: str = field(default="", compare=False)
    sensitivity: Sensitivity = Sensitivity.ORDINARY  # personal=True is the same as Sensitivity.PERSONAL

    def __post_init__(self):
        object.__setattr__(self, "key", header_key(self.header))
        if self.personal:
            object.__setattr__(self, "sensitivity", Sensitivity.PERSONAL)
        object.__setattr__(self, "personal", self.sensitivity is Sensitivity.PERSONAL)

    @property
    def sensitive(self) -> bool:
        """Personal or special-category: values are only ever counted, never shown row by row."""
        return self.sensitivity is not Sensitivity.ORDINARY

    @property
    def echoable(self) -> bool:
        """Whether a value typed here may be repeated in a message, a log, a report or a sheet we write.

        Only references: everything else may be personal, sensitive, or free
        text typed where a category, date or yes/no belongs (which can say anything).
        """
        return self.kind is Kind.REFERENCE and not self.sensitive

    def may_echo(self, value: object) -> bool:
        """Whether this particular value may be repeated: an echoable column's value that looks like a reference."""
        return self.echoable and isinstance(value, str) and REFERENCE_PATTERN.fullmatch(value.strip()) is not None

    @property
    def expected(self) -> str:
        """What kind of value belongs in the column, in an officer's words (for problem messages)."""
        if self.kind is Kind.DATE:
            return "a date (day/month/year)"
        if self.kind is Kind.YESNO:
            return "Yes or No"
        if self.kind is Kind.CATEGORY:
            return "one of the values on the Lists sheet"
        if self.kind is Kind.REFERENCE:
            return "a reference, e.g. CSC-2024-0012"
        return "text"


def header_key(header: str) -> str:
    """'S1 response sent' -> 's1_response_sent': the name code uses for a column."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def normalise_header(text: object) -> str:
    """How a header in a workbook is matched: case and surrounding spaces ignored."""
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


D, C, Y, T = Kind.DATE, Kind.CATEGORY, Kind.YESNO, Kind.TEXT
YN = (YES, NO)
SPECIAL = Sensitivity.SPECIAL

INPUT_COLUMNS: tuple[Column, ...] = (
    Column("Reference", Kind.REFERENCE, note="Unique reference for the complaint, e.g. CSC-2024-0012"),
    Column("Date received", D, note="The day the complaint reached the council (day zero)"),
    Column("Representation type", C, REPRESENTATION_TYPES),
    Column("Procedure", C, (STATUTORY, CORPORATE), note="Statutory (Children Act 1989) or Corporate"),
    Column("Refusal reason", C, REFUSAL_REASONS, note="Only when the representation was refused"),
    Column("How received", C, HOW_RECEIVED),
    Column("Date of events", D, note="When the matters complained about happened (12-month limit)"),
    Column("Complainant title", C, TITLES, personal=True),
    Column("Complainant first name", T, personal=True),
    Column("Complainant last name", T, personal=True),
    Column("Address line 1", T, personal=True),
    Column("Address line 2", T, personal=True),
    Column("Town", T, personal=True),
    Column("Postcode", T, personal=True),
    Column("Email", T, personal=True),
    Column("Received from", C, RECEIVED_FROM, note="Who made the complaint (annual report table 4)"),
    Column("Parental responsibility", Y, YN, sensitivity=SPECIAL, note="Does the complainant hold parental responsibility?"),
    Column("Child consent", Y, YN, note="Has the child or young person agreed to the complaint being made for them?"),
    Column("Advocate", Y, YN, note="Is an advocate supporting the child or young person?"),
    Column("Child name", T, personal=True),
    Column("Child date of birth", D, personal=True),
    Column("Child legal status", C, LEGAL_STATUS, sensitivity=SPECIAL),
    Column("Service", C, SERVICES),
    Column("Team", T),
    Column("Nature", C, NATURE),
    Column("Outcome sought", C, OUTCOMES_SOUGHT),
    Column("Responding manager", T, personal=True),
    Column("Manager job title", T),
    Column("S1 acknowledged", D, note="Date the acknowledgement was sent"),
    Column("S1 extended", Y, YN, note="Yes when the complainant agreed an extension of stage 1"),
    Column("S1 response sent", D),
    Column("S1 outcome", C, OUTCOMES),
    Column("S1 actual outcome", C, ACTUAL_OUTCOMES),
    Column("Learning identified", Y, YN),
    Column("S2 requested", D, note="Date the complainant asked for stage 2"),
    Column("S2 accepted", D, note="Date the stage 2 request was accepted (corporate: acknowledged)"),
    Column("Investigating officer", T, personal=True),
    Column("Independent person", T, personal=True),
    Column("S2 statement agreed", D, note="Date the statement of complaint was agreed"),
    Column("S2 extended", Y, YN, note="Yes when an extension of stage 2 was agreed"),
    Column("S2 adjudication sent", D, note="Date the adjudication (corporate: stage 2 response) was sent"),
    Column("S2 outcome", C, OUTCOMES),
    Column("S3 requested", D),
    Column("S3 panel appointed", D),
    Column("S3 panel held", D),
    Column("S3 panel report received", D),
    Column("S3 response sent", D),
    Column("S3 outcome", C, OUTCOMES),
    Column("On hold from", D),
    Column("On hold to", D, note="Leave empty while the complaint is still on hold"),
    Column("Hold reason", C, HOLD_REASONS),
    Column("Withdrawn date", D),
    Column("LGSCO referred", D, note="Date the Ombudsman told us of a complaint to them"),
    Column("LGSCO outcome", C, LGSCO_OUTCOMES),
    # The rules, second pass (issue 11; docs/rules.md).
    Column("Sufficient interest", Y, YN, note="Has the council decided the complainant has sufficient interest in the child's welfare? (Children Act 1989 s26(3)(e))"),
    Column("Date became aware", D, note="When the complainant first knew of the matters, if later than the events (12-month limit)"),
    Column("Accepted out of time", C, LATE_ACCEPTED_REASONS, note="Why a complaint about events more than 12 months before was accepted"),
    Column("Earlier complaint", T, note="Reference of an earlier complaint about the same matter, if any"),
    Column("Deferred on", D, note="Date the council deferred the complaint because of concurrent proceedings"),
    Column("Deferral reason", C, DEFERRAL_REASONS),
    Column("Deferral review date", D, note="When the deferral is to be reviewed"),
    Column("Deferral ended", D, note="Date the complaint was taken up again; stage 1 runs from this day"),
    Column("S2 adjudication meeting", D, note="Date of any meeting with the adjudicating officer: the stage 3 window runs from the later of this and the adjudication"),
    Column("Persistent complainant decided", D, note="Date the restriction on an unreasonably persistent complainant was decided"),
    Column("Persistent complainant review", D, note="When that restriction is to be reviewed"),
    Column("Complainant gender", C, GENDER, sensitivity=SPECIAL),
    Column("Complainant age band", C, AGE_BANDS, sensitivity=SPECIAL),
    Column("Complainant ethnicity", C, ETHNICITY, sensitivity=SPECIAL),
    Column("Complainant disability", C, DISABILITY, sensitivity=SPECIAL),
)
# A Holds sheet beside the register: one row per hold, as many as a complaint has
# had (docs/rules.md). Its headers are the register's own hold columns.
HOLD_COLUMNS: tuple[Column, ...] = (
    Column("Reference", Kind.REFERENCE, note="The complaint's reference, as on the Register sheet"),
    Column("Hold reason", C, HOLD_REASONS),
    Column("On hold from", D, note="The day the clock stopped (it counts as a working day of the clock, like the day of receipt)"),
    Column("On hold to", D, note="The last day on hold; leave empty while the complaint is still on hold"),
)

# What the status engine writes back. "Eligibility" and "Problems" are ours,
# beyond the list: officers need to see why a route was suggested, and
# what is wrong with a row, beside the row.
CALCULATED_COLUMNS: tuple[Column, ...] = (
    Column("Stage", T, calculated=True),
    Column("Milestone", T, calculated=True),
    Column("Due date", D, calculated=True),
    Column("Working days left", T, calculated=True),
    Column("RAG", T, calculated=True),
    Column("Can escalate", T, calculated=True),
    Column("Escalate by", D, calculated=True),
    Column("Next action", T, calculated=True),
    Column("Eligibility", T, calculated=True),
    Column("Problems", T, calculated=True),
)

COLUMNS: tuple[Column, ...] = INPUT_COLUMNS + CALCULATED_COLUMNS
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
BY_HEADER: dict[str, Column] = {normalise_header(c.header): c for c in COLUMNS}
INPUT_KEYS = tuple(c.key for c in INPUT_COLUMNS)
CALCULATED_KEYS = tuple(c.key for c in CALCULATED_COLUMNS)
DATE_KEYS = tuple(c.key for c in INPUT_COLUMNS if c.kind is Kind.DATE)
PERSONAL_KEYS = frozenset(c.key for c in COLUMNS if c.personal)
SENSITIVE_KEYS = frozenset(c.key for c in COLUMNS if c.sensitive)  # personal or special-category
ECHOABLE_KEYS = frozenset(c.key for c in COLUMNS if c.echoable)  # whose values a message may repeat

RAG_VALUES = ("Red", "Amber", "Green", "Met", "Late", "On hold", "Closed", "Withdrawn", "Check")


def column(key_or_header: str) -> Column:
    """Look a column up by its code key or by its header (any case)."""
    if key_or_header in BY_KEY:
        return BY_KEY[key_or_header]
    return BY_HEADER[normalise_header(key_or_header)]
