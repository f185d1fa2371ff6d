"""A realistic and entirely fictitious complaints register, for the demo, the tests and the benchmarks.

Proportions follow the 2016/17 statutory annual report in the domain documents
(tables 1a to 9b), so the statistics come out shaped like a real year-end
return. Dates are made with the council's own calendar and rulebooks: responses
spread around their deadlines, extensions, holds, withdrawals, requests for
stages 2 and 3 inside (and a few outside) the complainant's window, and
complaints still open on the end date, so the status engine shows every RAG.
Names are invented and deliberately awkward (apostrophes, accents, Welsh names,
hyphens, '&' in addresses) because real registers are; postcodes have the real
format in areas that do not exist (X..), emails are at example.com/example.org.

The register is drawn column by column with numpy, so a million rows take
seconds. `generate_table` gives the validated table the rest of the toolkit
works on; `generate` gives the same register as dicts keyed by header, as an
officer would type it; `write_xlsx` writes those to a plain .xlsx.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import schema
from ..core.calendar import WorkingCalendar
from ..core.dates import as_of_or_today, excel_serial
from ..core.rulebook import Milestone, Rulebook, Window
from ..core.schema import CORPORATE, NO, STATUTORY, YES, YOUNG_PERSON
from ..core.settings import Settings
from ..core.status import day_zero

NaT = np.datetime64("NaT", "D")
DAY = np.timedelta64(1, "D")

# --- proportions: the 2016/17 annual report (seed 002), table by table ---------
# Zero counts in the report get a small weight so that every value turns up in a
# large sample (a register that never shows a value never tests it).

REPRESENTATION_WEIGHTS = {  # table 1a
    "Complaint": 31,
    "Pre-complaint": 0.7,
    "Area initiated complaint": 1,
    "Refused": 1.5,
    "Professional to Professional Complaint": 0.3,
    "Safeguarding partnership": 1,
    "LGO": 2,
    "Case Concern": 6,
    "Miscellaneous": 1,
    "Compliment": 0.7,
    "Contact centre handoff": 0.3,
    "Request for info": 0.3,
    "Ad Hoc": 14,
}
CORPORATE_SHARE = 0.30  # of complaints: children's services registers log corporate ones too
EXEMPT_SHARE = 0.5  # of corporate complaints: about a service outside the statutory route
REFUSAL_WEIGHTS = {  # table 1b (one refusal, outside of remit)
    "Outside of Remit": 4,
    "Court Proceedings": 1,
    "No PR": 1,
    "Not in Best Interest/Age of Child/YP": 1,
    "Out of Time": 1,
    "Tribunal/Court Proceedings": 0.5,
}
HOW_RECEIVED_WEIGHTS = {  # table 3a
    "E-mail": 20,
    "Letter": 4,
    "Complaint Form": 2,
    "E-Form": 2,
    "Telephone": 4,
    "In Person": 0.3,
    "Text Message": 0.2,
}
HOW_RECEIVED_YOUNG_PEOPLE = {"E-mail": 6, "Letter": 1, "Telephone": 1, "YP Complaint Form": 1, "Text Message": 0.2}  # 3b
RECEIVED_FROM_STATUTORY = {  # table 4: those who may use the statutory route
    "Parent": 20,
    "Adopter": 0.3,
    "Step-Parent": 0.2,
    "Grandparent": 3,
    "Sibling": 0.2,
    "Other Relative": 0.3,
    "Foster Carer": 1,
    "Private Foster Carer": 0.2,
    YOUNG_PERSON: 9,
    "Advocate": 0.3,
}
RECEIVED_FROM_EXEMPT = {  # corporate because the service is outside the statutory route
    "Parent": 12,
    "Step-Parent": 0.5,
    "Grandparent": 2,
    YOUNG_PERSON: 1.5,
    "Foster Carer": 1,
    "Prospective Adopter/Foster Carer": 1,
    "Prospective Foster Carer": 1,
}
RECEIVED_FROM_INELIGIBLE = {  # corporate because the complainant may not use the statutory route
    "Parent": 4,  # without parental responsibility or the child's consent
    "Ex-Partner": 1,
    "Partner": 1,
    "Grandparent": 3,
    "Sibling": 0.5,
    "Other Relative": 2,
    "Head Teacher": 0.5,
    "Health Staff": 0.5,
    "Other Agency": 1,
    "Other Council Staff": 0.5,
    "Other Professionals": 1,
    "Friend/Neighbour": 1.5,
    "Other": 1,
    "Service user (adult)": 1.5,
    "Birth Parent of Adopted Child": 1,
    "Unknown": 0.5,
}
RECEIVED_FROM_OTHER = {  # compliments, ad hoc enquiries and the like
    "Parent": 10,
    "Grandparent": 1,
    "Foster Carer": 1,
    YOUNG_PERSON: 2,
    "Other Professionals": 1,
    "Other Agency": 1,
    "Health Staff": 0.5,
    "Head Teacher": 0.5,
    "Other Council Staff": 0.5,
    "Friend/Neighbour": 0.5,
    "Other": 0.5,
    "Unknown": 1,
}
PROFESSIONALS = schema.RECEIVED_FROM_GROUPS["Professional"]
RELATIVES = schema.RECEIVED_FROM_GROUPS["Non-Parent Relative"]
PROSPECTIVE_CARERS = ("Prospective Adopter/Foster Carer", "Prospective Foster Carer")
NATURE_WEIGHTS = {  # table 5a
    "Application of Policy": 0.3,
    "Assessment Outcome": 0.5,
    "Assessment Process": 2,
    "Change of Placement Decision": 2,
    "Change to Service": 0.5,
    "Delay in Provision of Service": 1,
    "Finance": 0.3,
    "Funding": 1,
    "Non Fulfilment of Duty": 9,
    "Policy": 0.3,
    "Poor Communication": 2,
    "Professional Conduct": 3,
    "Quality of Service": 9,
    "Refusal of Service": 2,
    "Safeguarding": 0.3,
    "Other": 2,
    "Unknown": 0.2,
}
NATURE_YOUNG_PEOPLE = {  # table 5b
    "Change of Placement Decision": 2,
    "Non Fulfilment of Duty": 4,
    "Professional Conduct": 2,
    "Quality of Service": 1,
    "Poor Communication": 0.3,
}
SERVICE_WEIGHTS = {  # table 6a, services on the statutory route
    "Adoption/Permanence": 0.5,
    "Care Leavers": 2,
    "Child in Need": 14,
    "Children Looked After": 7,
    "Disabled Children's Team": 6,
    "Family Placement": 1,
    "Contact centre / Out of Hours": 0.3,
    "Independent Reviewing Service": 0.3,
    "Intensive Support Service (ISS)": 0.3,
    "MASH/CRT": 0.3,
    "Occupational Therapy": 0.3,
    "Not receiving a service": 1,
    "Reception & Assessment": 1,
    "Safeguarding": 0.3,
    "Specialist Residential Provision": 0.3,
    "YOT": 0.3,
    "Other/Unknown": 0.3,
}
EXEMPT_SERVICE_WEIGHTS = {
    "Early Help Hub": 4,
    "Child Protection Enquiry (s47)": 2,
    "Child Protection Conference": 3,
    "Court Report (s7/s37)": 1,
}
ASSESSMENT = "Foster Carer/Adopter Assessment"  # prospective carers complain about their own assessment
LEGAL_STATUS_YOUNG_PEOPLE = {  # table 9b
    "Child in Care": 6,
    "Child in Need": 2,
    "Care Leaver": 1,
    "Child Protection Plan": 0.2,
    "Other": 0.2,
}
SERVICE_FOR_STATUS = {  # table 6b: what young people complain about, given their legal status
    "Child in Care": {
        "Children Looked After": 6,
        "Family Placement": 0.3,
        "Specialist Residential Provision": 0.3,
        "Independent Reviewing Service": 0.2,
    },
    "Child in Need": {"Child in Need": 1, "Disabled Children's Team": 0.5},
    "Care Leaver": {"Care Leavers": 1},
    "Child Protection Plan": {"Safeguarding": 1, "Child in Need": 1},
    "Other": {"YOT": 1, "Not receiving a service": 1, "Other/Unknown": 0.5},
}
EXEMPT_SERVICE_FOR_STATUS = {
    "Child in Care": {"Court Report (s7/s37)": 1, "Child Protection Conference": 1},
    "Child in Need": {"Early Help Hub": 2, "Child Protection Enquiry (s47)": 1},
    "Care Leaver": {"Early Help Hub": 1},
    "Child Protection Plan": {"Child Protection Conference": 1},
    "Other": {"Early Help Hub": 1},
}
STATUS_FOR_SERVICE = {  # the child's legal status, given the service complained about
    "Adoption/Permanence": {"Child in Care": 1, "Other": 1},
    "Care Leavers": {"Care Leaver": 1},
    "Child in Need": {"Child in Need": 8, "Child Protection Plan": 2},
    "Children Looked After": {"Child in Care": 1},
    "Disabled Children's Team": {"Child in Need": 9, "Child in Care": 1},
    "Early Help Hub": {"Other": 3, "Child in Need": 1},
    "Family Placement": {"Child in Care": 1},
    "Contact centre / Out of Hours": {"Child in Need": 1, "Other": 1},
    "Independent Reviewing Service": {"Child in Care": 3, "Child Protection Plan": 1},
    "Intensive Support Service (ISS)": {"Child in Need": 1, "Child Protection Plan": 1},
    "MASH/CRT": {"Other": 1, "Child in Need": 1},
    "Occupational Therapy": {"Child in Need": 1},
    "Not receiving a service": {"Other": 1},
    "Reception & Assessment": {"Child in Need": 1, "Other": 1},
    "Safeguarding": {"Child Protection Plan": 1},
    "Specialist Residential Provision": {"Child in Care": 1},
    "YOT": {"Other": 1, "Child in Need": 1},
    "Other/Unknown": {"Other": 1},
    "Child Protection Enquiry (s47)": {"Child in Need": 1, "Child Protection Plan": 1},
    "Child Protection Conference": {"Child Protection Plan": 1},
    ASSESSMENT: {"Other": 1},
    "Court Report (s7/s37)": {"Other": 1, "Child in Need": 1},
}
OUTCOME_SOUGHT_WEIGHTS = {  # table 7a
    "Agreed Service Implemented": 0.3,
    "Apology": 0.5,
    "Apology & Explanation": 1,
    "Assessment / Review / Reassessment": 0.5,
    "Assurance of Non-Reoccurrence": 0.2,
    "Change Made to Contact Arrangements": 0.3,
    "Change of Social Worker / Worker": 3,
    "Compensation": 0.3,
    "Disciplinary Action Against Staff": 0.2,
    "Explanation": 0.5,
    "Financial Reimbursement": 0.3,
    "Improved Practice": 0.3,
    "Kept Informed by CS": 0.3,
    "Not Known/Specified": 9,
    "Other": 2,
    "Payment": 0.2,
    "Policy / Procedure Review": 0.2,
    "Remedial Action": 0.2,
    "Removal of Child Protection Plan": 0.2,
    "Request for Meeting": 0.3,
    "Request Fulfilled": 18,
    "Service Delivery": 0.3,
    "Training for Staff": 0.2,
}
OUTCOME_SOUGHT_YOUNG_PEOPLE = {"Not Known/Specified": 3, "Request Fulfilled": 6}  # table 7b
ACTUAL_OUTCOME_WEIGHTS = {  # table 7c (refusals and withdrawals are set by what happened)
    "Apology": 1,
    "Apology & Explanation": 4,
    "Assessment / Reassessment": 0.3,
    "Assurance of Non-Reoccurrence": 0.3,
    "Change of Social Worker / Worker": 1,
    "Explanation": 7,
    "Financial Reimbursement": 1,
    "Meeting / Offer of a meeting": 16,
    "Other": 2,
    "Request Fulfilled": 1,
    "Not recorded": 0.3,
}
S1_OUTCOMES = {"Upheld": 25, "Partially upheld": 30, "Not upheld": 45}
S2_OUTCOMES = {"Upheld": 20, "Partially upheld": 35, "Not upheld": 45}
S3_OUTCOMES = {"Upheld": 15, "Partially upheld": 30, "Not upheld": 55}
HOLD_REASON_WEIGHTS = {
    "Court or police proceedings": 3,
    "Awaiting consent": 2,
    "Awaiting advocate": 1,
    "At complainant's request": 2,
    "Subject access request": 2,
    "Other": 1,
}
LGSCO_FINAL_OUTCOMES = {
    "Not investigated": 3,
    "Closed after initial enquiries": 3,
    "Upheld - maladministration": 2,
    "Not upheld": 2,
}
# table 8: demographics are mostly not stated
DISABILITY_WEIGHTS = {"Not Stated": 88, "No": 9, "Yes": 3}
GENDER_STATED = 0.15
AGE_STATED = 0.10
ETHNICITY_WEIGHTS = {
    "Not Stated": 85,
    "Not Asked": 3,
    "White British": 8,
    "Other White": 1.5,
    "Asian/Asian British": 1,
    "Black/Black British": 0.7,
    "Mixed": 0.5,
    "Other Ethnic Group": 0.3,
}

# --- the procedure: how often things happen --------------------------------------
STAGE2_SHARE = 0.12  # of complaints answered at stage 1 (report: 4 of 33)
STAGE3_SHARE = 0.5  # of complaints adjudicated at stage 2 (report: 2 of 4)
WITHDRAWN_SHARE = 0.03
HOLD_SHARE = 0.05  # of statutory complaints (the corporate code does not pause)
LATE_REQUEST_SHARE = 0.07  # requests for the next stage made after the window closed
EARLY_ADVOCATE_SHARE = 2 / 3  # report section 6: 6 of 9 young people had an advocate
LGSCO_AFTER_FINAL = 0.3
LGSCO_PREMATURE = 0.015
# (within the period, within the extended maximum, beyond it): report table 2
BANDS = {
    ("s1_response", "complaint"): (0.30, 0.61, 0.09),
    ("s1_response", "concern"): (0.80, 0.15, 0.05),
    ("s2_response", "complaint"): (0.35, 0.55, 0.10),
}
BANDS_EXTENDABLE = (0.55, 0.40, 0.05)
BANDS_FIXED = (0.85, 0.0, 0.15)
EXTENSION_AGREED = (0.03, 0.90, 0.50)  # chance of 'Yes' per band

# --- fictitious people -----------------------------------------------------------
FEMALE = (
    "Zoë", "Chloé", "Siân", "Gwenllian", "Aoife", "Niamh", "Saoirse", "Bethan", "Ffion", "Cerys",
    "Lowri", "Eilidh", "Mhairi", "Renée", "Amélie", "Agnieszka", "Zuzanna", "Fatima", "Aisha", "Priya",
    "Nkechi", "Olivia", "Amelia", "Emily", "Jessica", "Sophie", "Grace", "Hannah", "Leah", "Kayleigh",
    "Chantelle", "Mary-Jane", "Anne-Marie", "Kirsty", "Joanne", "Sarah", "Claire", "Nicola", "Rebecca", "Lisa",
)
MALE = (
    "José", "Rhys", "Dafydd", "Iolo", "Gethin", "Llŷr", "Seán", "Ciarán", "Oisín", "Eóin",
    "Hamish", "Ewan", "Callum", "François", "Jean-Luc", "Tomasz", "Piotr", "Mohammed", "Ahmed", "Kwame",
    "Chidi", "Oliver", "Harry", "Jack", "George", "Noah", "Darren", "Wayne", "Lee", "Gareth",
    "Craig", "Daniel", "Mark", "Paul", "Stephen", "Andrew",
)
NEUTRAL = ("Alex", "Sam", "Jordan", "Morgan", "Charlie", "Rowan", "Ellis", "Jamie", "Robin")
SURNAMES = (
    "O'Brien", "D'Souza", "O'Neill", "O'Connor", "D'Arcy", "McDonald", "MacLeod", "McAllister", "MacKenzie",
    "McIntyre", "Llewellyn", "ap Gwilym", "ap Rhys", "Jones", "Williams", "Davies", "Evans", "Thomas",
    "Roberts", "Hughes", "Smith", "Brown", "Taylor", "Wilson", "Johnson", "Walker", "Wright", "Patel",
    "Khan", "Begum", "Hussain", "Nowak", "Kowalski", "Öztürk", "Müller", "Nguyen", "Okafor", "Mensah",
    "Adeyemi", "Smith-Jones", "Ashworth-Hughes", "Fernández", "Núñez", "Brontë", "Lévesque", "de la Cruz",
    "van der Berg", "Featherstonehaugh", "Ní Bhriain", "Ó Súilleabháin",
)
STREETS = (
    "Llewellyn Close", "Heol y Felin", "Ffordd Siân", "St Aidan's Walk", "O'Rourke Street", "Brontë Mews",
    "Church Lane", "Station Road", "Mill Row", "Victoria Terrace", "Exampleton Road", "Sample Way",
    "Cae Glas", "Maes-y-Coed", "Prince's Parade", "The Crescent", "Chapel Street", "Bryn Hyfryd",
    "MacAulay Gardens", "Queen's Drive", "Orchard Rise", "Wharf Road", "Nant-y-Ffug", "Placebo Parade",
)
BUILDINGS = (
    "Smith & Sons Yard", "Jones & Daughters Wharf", "Marks & Hart Buildings", "The Old Chapel", "Tŷ Gwyn",
    "O'Hara House", "Bryn-y-Môr Court", "St. Mary's Court", "Castle View", "Llys Gwenllian",
)
HOUSE_NAMES = ("Rose Cottage", "Y Bwthyn", "The Old Forge", "Ty'n y Coed", "Hafod", "Swallows' Rest", "Meadow-View")
LOCALITIES = ("Upper Town", "Pen-y-Bryn", "Old Town", "Westside", "Cwm Ffug", "Lower Green")
TOWNS = (  # with their (non-existent) postcode areas: X is never the first letter of a real one
    ("Exampleton", "XE"), ("Sampleford", "XS"), ("Testbury", "XT"), ("Llanffug", "XL"), ("Aberffug", "XA"),
    ("Kirkfictum", "XK"), ("Newton-le-Sample", "XN"), ("Bryn Ffug", "XB"), ("St Mockton", "XC"),
    ("Little Dummerby", "XD"), ("Port Placebo", "XP"), ("Mockhampton-on-Sea", "XH"),
)
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's last part may use
EMAIL_DOMAINS = ("example.com", "example.org")
TEAMS = {  # service -> the team that answers for it
    "Adoption/Permanence": "Adoption Team",
    "Care Leavers": "Care Leavers Team",
    "Child in Need": "Child in Need Team",
    "Children Looked After": "Children in Care Team",
    "Disabled Children's Team": "Disabled Children's Team",
    "Early Help Hub": "Early Help Hub",
    "Family Placement": "Fostering Team",
    "Contact centre / Out of Hours": "Out of Hours Service",
    "Independent Reviewing Service": "Independent Reviewing Service",
    "Intensive Support Service (ISS)": "Intensive Support Service",
    "MASH/CRT": "MASH",
    "Occupational Therapy": "Children's OT Service",
    "Not receiving a service": "Front Door",
    "Reception & Assessment": "Assessment Team",
    "Safeguarding": "Safeguarding Team",
    "Specialist Residential Provision": "Residential Services",
    "YOT": "Youth Offending Team",
    "Other/Unknown": "Children's Services",
    "Child Protection Enquiry (s47)": "Assessment Team",
    "Child Protection Conference": "Child Protection Conference Service",
    ASSESSMENT: "Fostering & Adoption Recruitment",
    "Court Report (s7/s37)": "Court Team",
}
AREAS = ("North", "South", "East", "West", "Central")
JOB_TITLES = {"Team Manager": 6, "Area Manager": 2, "District Manager": 2, "Service Manager": 1, "Head of Service": 0.5}


# --- the public functions ----------------------------------------------------------


def generate_table(
    rows: int,
    years: int = 2,
    seed: int = 1,
    end: dt.date | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """The sample register as `register.validate` returns it (index = sheet rows from 2)."""
    return _Sampler(rows, years, seed, end, settings).table()


def generate(
    rows: int,
    years: int = 2,
    seed: int = 1,
    end: dt.date | None = None,
    settings: Settings | None = None,
) -> list[dict]:
    """Fictitious complaints received over `years` reporting years ending at `end` (default today).

    Dicts keyed by the register's headers, as an officer would type them: dates
    as datetime.date, None for an empty cell. The same seed gives the same register.
    """
    return to_records(generate_table(rows, years, seed, end, settings))


def to_records(table: pd.DataFrame) -> list[dict]:
    """A validated table back to dicts keyed by header (None for an empty cell)."""
    headers, columns = [], []
    for col in schema.INPUT_COLUMNS:
        if col.key not in table.columns:
            continue
        headers.append(col.header)
        if col.kind is schema.Kind.DATE:
            columns.append(table[col.key].to_numpy(dtype="datetime64[D]").astype(object))
        else:
            values = table[col.key].fillna("").to_numpy(dtype=object, copy=True)
            values[values == ""] = None
            columns.append(values)
    return [dict(zip(headers, values)) for values in zip(*columns)]


def reporting_period(end: dt.date, years: int, year_start_month: int = 4) -> tuple[dt.date, dt.date]:
    """First and last day of receipt: from the start of the reporting year `years - 1` before end's, to end."""
    if years < 1:
        raise ValueError("The sample needs at least one reporting year.")
    start_year = end.year if end.month >= year_start_month else end.year - 1
    return dt.date(start_year - (years - 1), year_start_month, 1), end


# --- the sampler -------------------------------------------------------------------


def _codes(values: tuple[str, ...]) -> dict[str, int]:
    return {v: i for i, v in enumerate(values)}


class _Sampler:
    """Draws one register, column by column; categories are kept as codes into the schema's lists."""

    def __init__(self, rows: int, years: int, seed: int, end: dt.date | None, settings: Settings | None):
        if rows < 0:
            raise ValueError("The number of rows cannot be negative.")
        self.n = int(rows)
        self.settings = settings or Settings()
        self.calendar: WorkingCalendar = self.settings.calendar
        self.end = as_of_or_today(end)
        self.end64 = np.datetime64(self.end, "D")
        self.first, _ = reporting_period(self.end, years, self.settings.year_start_month)
        self.rng = np.random.default_rng(seed)
        self.costs_rng = np.random.default_rng([seed, 14])  # apart, so the costs leave every other draw as it was
        self.cats: dict[str, np.ndarray] = {}  # key -> codes (-1 = empty)
        self.texts: dict[str, np.ndarray] = {}  # key -> object arrays of str
        self.dates: dict[str, np.ndarray] = {key: np.full(self.n, NaT) for key in schema.DATE_KEYS}

    # -- drawing helpers --

    def draw(self, key: str, weights: dict[str, float], size: int) -> np.ndarray:
        """Codes into column `key`'s list, drawn with the given weights."""
        lookup = _codes(schema.column(key).values)
        codes = np.array([lookup[v] for v in weights], dtype=np.int64)  # KeyError: a value outside the schema
        p = np.array(list(weights.values()), dtype=float)
        return codes[self.rng.choice(len(codes), size=size, p=p / p.sum())]

    def set_draw(self, key: str, weights: dict[str, float], mask: np.ndarray) -> None:
        self.cats.setdefault(key, np.full(self.n, -1, dtype=np.int64))
        if mask.any():
            self.cats[key][mask] = self.draw(key, weights, int(mask.sum()))

    def set_value(self, key: str, value: str, mask: np.ndarray) -> None:
        self.cats.setdefault(key, np.full(self.n, -1, dtype=np.int64))
        self.cats[key][mask] = _codes(schema.column(key).values)[value]

    def is_(self, key: str, *values: str) -> np.ndarray:
        lookup = _codes(schema.column(key).values)
        wanted = np.zeros(len(lookup) + 1, dtype=bool)  # the last entry stands for empty (-1)
        wanted[[lookup[v] for v in values]] = True
        return wanted[self.cats[key]]

    def chance(self, p: float, mask: np.ndarray | None = None) -> np.ndarray:
        hit = self.rng.random(self.n) < p
        return hit if mask is None else hit & mask

    def integers(self, low, high) -> np.ndarray:
        """One integer per row in [low, high] (inclusive; arrays allowed)."""
        low = np.broadcast_to(np.asarray(low, dtype=np.int64), (self.n,))
        high = np.broadcast_to(np.asarray(high, dtype=np.int64), (self.n,))
        return low + np.floor(self.rng.random(self.n) * (np.maximum(high, low) - low + 1)).astype(np.int64)

    def pick(self, pool, mask: np.ndarray | None = None) -> np.ndarray:
        """A random element of `pool` per row (object array; '' outside mask)."""
        pool = np.asarray(pool, dtype=object)
        out = pool[self.rng.integers(0, len(pool), self.n)]
        if mask is not None:
            out = np.where(mask, out, "").astype(object)
        return out

    # -- the register --

    def table(self) -> pd.DataFrame:
        self._receipts()
        self._representations()
        self._complainants()
        self._children()
        self._categories()
        self._people()
        self._procedure()
        self._lgsco()
        self._after_end()
        self._outcomes()
        self._demographics()
        self._rules_second_pass()
        return self._frame()

    def _receipts(self) -> None:
        cal, rng, n = self.calendar, self.rng, self.n
        first = np.datetime64(self.first, "D")
        first_working = cal.roll_forward_array(np.array([first]))[0]
        span = int(cal.count_array(np.array([first_working]), np.array([self.end64]))[0])
        if first_working > self.end64 or span < 0:  # a period of a day or two over a weekend
            received = first + rng.integers(0, int((self.end64 - first) / DAY) + 1, n) * DAY
        else:
            received = cal.add_array(np.full(n, first_working), rng.integers(0, span + 1, n))
            # A few arrive by email over a weekend or bank holiday.
            any_day = first + rng.integers(0, int((self.end64 - first) / DAY) + 1, n) * DAY
            received = np.where(rng.random(n) < 0.03, any_day, received)
        self.dates["date_received"] = np.sort(received)
        received = self.dates["date_received"]
        self.non_working_receipt = cal.roll_forward_array(received) != received

        # References: CSC-<year>-<number in that year>, in order of receipt.
        year = received.astype("datetime64[Y]").astype(np.int64) + 1970
        position = np.arange(n)
        first_of_year = np.searchsorted(year, year, side="left")
        number = position - first_of_year + 1
        width = max(4, len(str(int(number.max(initial=0)))))
        digits = (number[:, None] // 10 ** np.arange(width - 1, -1, -1)) % 10 + ord("0")
        padded = np.ascontiguousarray(digits.astype(np.uint8)).view(f"S{width}").ravel().astype(f"U{width}")
        years = np.unique(year)
        prefix = np.array([f"CSC-{y}-" for y in years.tolist()], dtype="U16")[np.searchsorted(years, year)]
        self.texts["reference"] = np.char.add(prefix, padded).astype(object)

    def _representations(self) -> None:
        n = self.n
        self.set_draw("representation_type", REPRESENTATION_WEIGHTS, np.ones(n, dtype=bool))
        self.complaint = self.is_("representation_type", *schema.COMPLAINT_TYPES)
        self.concern = self.is_("representation_type", schema.CASE_CONCERN)
        self.refused = self.is_("representation_type", schema.REFUSED)
        self.clocked = self.complaint | self.concern  # rows whose procedure clocks run
        self.casework = self.clocked | self.refused  # rows about a child's case
        self.other = ~self.casework

        corporate = self.chance(CORPORATE_SHARE, self.clocked)
        self.exempt = self.chance(EXEMPT_SHARE, corporate)
        self.ineligible = corporate & ~self.exempt
        self.statutory = self.casework & ~corporate
        self.set_value("procedure", STATUTORY, self.statutory)
        self.set_value("procedure", CORPORATE, corporate)
        self.set_draw("refusal_reason", REFUSAL_WEIGHTS, self.refused)

    def _complainants(self) -> None:
        self.set_draw("received_from", RECEIVED_FROM_STATUTORY, self.statutory)
        self.set_draw("received_from", RECEIVED_FROM_EXEMPT, self.exempt)
        self.set_draw("received_from", RECEIVED_FROM_INELIGIBLE, self.ineligible)
        self.set_draw("received_from", RECEIVED_FROM_OTHER, self.other)
        professional_types = self.is_("representation_type", "Professional to Professional Complaint", "Safeguarding partnership")
        self.set_draw("received_from", dict.fromkeys(PROFESSIONALS, 1), professional_types)
        no_pr = self.is_("refusal_reason", "No PR") & self.refused
        self.set_draw("received_from", {"Parent": 3, "Grandparent": 1}, no_pr)
        self.young = self.is_("received_from", YOUNG_PERSON)
        self.parent = self.is_("received_from", *schema.PARENTS)
        self.carer = self.is_("received_from", *schema.CARERS)
        self.prospective = self.is_("received_from", *PROSPECTIVE_CARERS)
        self.professional = self.is_("received_from", *PROFESSIONALS)
        self.advocate_complains = self.is_("received_from", "Advocate")

        # Who may use the statutory route: the child, a parent with parental
        # responsibility, a carer, or a representative with a child of 12 or
        # over's consent. Refusals for no PR or the child's interest break the rule.
        representative = self.casework & ~self.young & ~self.carer & ~self.parent & ~self.professional & ~self.prospective
        representative &= ~self.is_("received_from", "Friend/Neighbour", "Other", "Service user (adult)", "Unknown")
        parent_statutory = self.parent & ~self.ineligible & ~self.is_("received_from", "Birth Parent of Adopted Child")
        self.set_value("parental_responsibility", YES, parent_statutory & self.casework)
        self.set_value("parental_responsibility", NO, (self.parent & ~parent_statutory & self.casework) | representative | (self.carer & self.casework))
        self.set_value("parental_responsibility", NO, no_pr)
        self.needs_consent = representative & (self.statutory | self.exempt) & ~no_pr
        self.set_value("child_consent", YES, self.needs_consent)
        refused_consent = self.refused & self.is_("refusal_reason", "Not in Best Interest/Age of Child/YP", "No PR") & ~self.young
        without = (self.ineligible & (self.parent | representative)) | refused_consent
        self.set_value("child_consent", NO, without & self.chance(0.6))
        self.young_child = without & (self.cats["child_consent"] < 0)  # too young to consent: under 12

        advocate = self.chance(EARLY_ADVOCATE_SHARE, self.young & self.casework) | self.advocate_complains
        advocate |= self.chance(0.1, self.needs_consent)
        self.set_value("advocate", YES, advocate)
        self.set_value("advocate", NO, self.young & ~advocate)

    def _children(self) -> None:
        n, rng = self.n, self.rng
        received = self.dates["date_received"]
        has_child = (self.casework & ~self.prospective) | self.chance(0.5, self.other & ~self.prospective) | self.young
        self.has_child = has_child

        # Legal status (9b for young people) and the service complained about (6a/6b).
        self.set_draw("child_legal_status", LEGAL_STATUS_YOUNG_PEOPLE, self.young & has_child)
        self.cats.setdefault("service", np.full(n, -1, dtype=np.int64))
        status_names = schema.LEGAL_STATUS
        for code, status in enumerate(status_names):
            here = self.young & (self.cats["child_legal_status"] == code)
            self.set_draw("service", SERVICE_FOR_STATUS[status], here & ~self.exempt)
            self.set_draw("service", EXEMPT_SERVICE_FOR_STATUS[status], here & self.exempt)
        others = ~self.young
        self.set_draw("service", SERVICE_WEIGHTS, others & ~self.exempt)
        self.set_draw("service", EXEMPT_SERVICE_WEIGHTS, others & self.exempt)
        self.set_draw("service", {"Children Looked After": 3, "Family Placement": 1}, self.carer & self.casework & ~self.exempt)
        self.set_value("service", ASSESSMENT, self.prospective)
        # Foster carers complaining outside the statutory route: about their own assessment.
        self.set_value("service", ASSESSMENT, self.carer & self.exempt)
        for code, service in enumerate(schema.SERVICES):
            here = others & has_child & (self.cats["service"] == code)
            self.set_draw("child_legal_status", STATUS_FOR_SERVICE[service], here)
        self.set_value("child_legal_status", "Child in Care", self.carer & has_child & self.casework)
        self.cats["child_legal_status"][~has_child] = -1

        # Ages at receipt consistent with the legal status and with consent.
        care_leaver = self.is_("child_legal_status", "Care Leaver")
        u = rng.random(n)
        age = u * 18.0  # any child
        young_ages = rng.choice([9.0, 11.0, 17.0], size=n, p=[1 / 9, 5 / 9, 3 / 9])  # 9a: under 10, 11-16, 17-18
        young_span = np.where(young_ages == 11.0, 6.0, 1.0)
        age = np.where(self.young, young_ages + 0.05 + u * (young_span - 0.1), age)
        age = np.where(self.needs_consent, 12.05 + u * 5.9, age)
        age = np.where(self.young_child, 1.0 + u * 10.9, age)
        age = np.where(care_leaver, 18.05 + u * 3.9, age)
        days = np.round(age * 365.25).astype(np.int64)
        self.dates["child_date_of_birth"] = np.where(has_child, received - days * DAY, NaT)
        self.child_age = np.where(has_child, age, np.nan)

    def _categories(self) -> None:
        weekend = self.non_working_receipt
        self.set_draw("how_received", HOW_RECEIVED_WEIGHTS, ~self.young)
        self.set_draw("how_received", HOW_RECEIVED_YOUNG_PEOPLE, self.young)
        self.set_draw("how_received", {"E-mail": 9, "E-Form": 1}, weekend)
        lgo = self.is_("representation_type", "LGO")
        self.set_value("how_received", "Via LGO", lgo)

        self.set_draw("nature", NATURE_WEIGHTS, self.casework & ~self.young)
        self.set_draw("nature", NATURE_YOUNG_PEOPLE, self.casework & self.young)
        self.set_draw("outcome_sought", OUTCOME_SOUGHT_WEIGHTS, self.casework & ~self.young)
        self.set_draw("outcome_sought", OUTCOME_SOUGHT_YOUNG_PEOPLE, self.casework & self.young)

        # Date of events: mostly recent, a few beyond the 12-month limit.
        received = self.dates["date_received"]
        back = np.minimum(np.floor(self.rng.exponential(60.0, self.n)), 330).astype(np.int64)
        late = self.chance(0.02) | (self.refused & self.is_("refusal_reason", "Out of Time"))
        back = np.where(late, self.integers(400, 900), back)
        events = received - back * DAY
        self.dates["date_of_events"] = np.where(self.casework & ~self.chance(0.08), events, NaT)

    def _people(self) -> None:
        n = self.n
        # Titles, and first names that go with them.
        titles = {"Mrs": 30, "Ms": 25, "Miss": 10, "Mr": 25, "Mx": 3, "Dr": 4, "Rev": 1}
        self.set_draw("complainant_title", titles, ~self.young)
        self.set_draw("complainant_title", {"Miss": 4, "Mr": 4, "Mx": 1}, self.chance(0.3, self.young))
        male = self.is_("complainant_title", "Mr")
        female = self.is_("complainant_title", "Mrs", "Ms", "Miss")
        self.male, self.female = male, female
        first_names = FEMALE + MALE + NEUTRAL
        lo = np.where(male, len(FEMALE), 0)
        hi = np.where(female, len(FEMALE) - 1, np.where(male, len(FEMALE) + len(MALE) - 1, len(first_names) - 1))
        first_index = self.integers(lo, hi)
        last_index = self.integers(0, len(SURNAMES) - 1)
        pools = _pools()
        unknown = self.is_("received_from", "Unknown")
        anonymous = self.chance(0.7, unknown)
        self.texts["complainant_first_name"] = np.where(anonymous, "", pools.first[first_index]).astype(object)
        self.texts["complainant_last_name"] = np.where(anonymous, "", pools.last[last_index]).astype(object)
        self.cats["complainant_title"][unknown] = -1

        # Addresses from a pool, emails from the names.
        pool = self._address_pool(min(max(n, 1), 4096))
        which = self.rng.integers(0, len(pool[0]), n)
        has_email = (self.is_("how_received", "E-mail", "E-Form") | self.chance(0.35)) & ~anonymous
        has_address = self.is_("how_received", "Letter", "Complaint Form", "In Person") | (~has_email) | self.chance(0.5)
        has_address &= ~unknown
        for key, values in zip(("address_line_1", "address_line_2", "town", "postcode"), pool):
            self.texts[key] = np.where(has_address, values[which], "").astype(object)
        name_index = first_index * len(SURNAMES) + last_index
        tail = self.rng.integers(0, len(pools.email_tails), n)
        email = np.full(n, "", dtype=object)
        email[has_email] = pools.email_stems[name_index[has_email]] + pools.email_tails[tail[has_email]]
        self.texts["email"] = email

        # The child: the young person themselves, or a child often sharing the complainant's surname.
        child_first = self.integers(0, len(first_names) - 1)
        same_surname = (self.parent | self.chance(0.5, self.is_("received_from", *RELATIVES))) & ~self.chance(0.25) & ~anonymous
        child_last = np.where(same_surname, last_index, self.integers(0, len(SURNAMES) - 1))
        child_index = np.where(self.young, name_index, child_first * len(SURNAMES) + child_last)
        self.texts["child_name"] = np.where(self.has_child, pools.full_names[child_index], "").astype(object)

        # Teams and the managers who answer (a council has a few dozen).
        area = np.where(self.chance(0.7), self.rng.integers(0, len(AREAS), n), len(AREAS))
        service = self.cats["service"]
        team = pools.teams[np.where(service < 0, len(pools.teams) - 1, service * (len(AREAS) + 1) + area)]
        self.texts["team"] = np.where(self.casework, team, "").astype(object)
        managers = self._name_pool(60)
        self.texts["responding_manager"] = self.pick(managers, self.casework)
        titles = np.array(list(JOB_TITLES), dtype=object)
        p = np.array(list(JOB_TITLES.values()), dtype=float)
        job = titles[self.rng.choice(len(titles), size=n, p=p / p.sum())]
        job = np.where(self.concern, "Team Manager", job)
        self.texts["manager_job_title"] = np.where(self.casework, job, "").astype(object)
        self.independent_people = self._name_pool(30)

    def _name_pool(self, size: int) -> np.ndarray:
        first = np.array(FEMALE + MALE + NEUTRAL, dtype=object)
        last = np.array(SURNAMES, dtype=object)
        return first[self.rng.integers(0, len(first), size)] + " " + last[self.rng.integers(0, len(last), size)]

    def _address_pool(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        rng = self.rng
        line1, line2, town, postcode = [], [], [], []
        for _ in range(size):
            street = STREETS[rng.integers(len(STREETS))]
            form = rng.random()
            if form < 0.65:
                line1.append(f"{rng.integers(1, 250)} {street}")
                line2.append(LOCALITIES[rng.integers(len(LOCALITIES))] if rng.random() < 0.3 else "")
            elif form < 0.88:
                line1.append(f"Flat {rng.integers(1, 40)}, {BUILDINGS[rng.integers(len(BUILDINGS))]}")
                line2.append(street)
            else:
                line1.append(HOUSE_NAMES[rng.integers(len(HOUSE_NAMES))])
                line2.append(street)
            name, area = TOWNS[rng.integers(len(TOWNS))]
            town.append(name)
            letters = POSTCODE_UNIT_LETTERS
            postcode.append(
                f"{area}{rng.integers(1, 30)} {rng.integers(0, 10)}{letters[rng.integers(len(letters))]}{letters[rng.integers(len(letters))]}"
            )
        return tuple(np.array(x, dtype=object) for x in (line1, line2, town, postcode))  # type: ignore[return-value]

    # -- the procedure's dates --

    def _procedure(self) -> None:
        self.extensions: dict[str, np.ndarray] = {}
        self.withdrawn_stage = np.zeros(self.n, dtype=np.int64)
        for procedure in (STATUTORY, CORPORATE):
            rows = np.flatnonzero(self.clocked & self.is_("procedure", procedure))
            # Each complaint follows the rulebook for its date (the Code only from 1 April 2026).
            for book, which in self.settings.rulebooks_by_receipt(procedure, self.dates["date_received"][rows]):
                if which.any():
                    _Clock(self, book, rows[which]).run()
        # Refusals are acknowledged (with the refusal) and go no further.
        book = self.settings.rulebook_for(STATUTORY)
        ack = next((m for m in book.milestones if m.done == "s1_acknowledged"), None)
        if ack is not None and self.refused.any():
            rows = np.flatnonzero(self.refused)
            start = day_zero(self.dates["date_received"][rows], book, self.calendar)
            offset = self.rng.integers(0, ack.period + 3, rows.size)
            self.dates["s1_acknowledged"][rows] = self.calendar.add_period_array(start, offset, ack.unit)

    def _lgsco(self) -> None:
        d, cal = self.dates, self.calendar
        lgo = self.is_("representation_type", "LGO")
        referred = np.where(lgo, d["date_received"], NaT)
        outcome = np.full(self.n, -1, dtype=np.int64)
        codes = _codes(schema.LGSCO_OUTCOMES)
        outcome[lgo] = codes["Premature - referred back"]
        final = np.where(self.is_("procedure", STATUTORY), d["s3_response_sent"], d["s2_adjudication_sent"])
        after_final = ~np.isnat(final) & self.chance(LGSCO_AFTER_FINAL) & ~lgo
        referred = np.where(after_final, final + self.integers(20, 300) * DAY, referred)
        outcome[after_final] = self.draw("lgsco_outcome", LGSCO_FINAL_OUTCOMES, int(after_final.sum()))
        s1_only = ~np.isnat(d["s1_response_sent"]) & np.isnat(d["s2_requested"]) & self.complaint & ~lgo
        premature = self.chance(LGSCO_PREMATURE, s1_only)
        referred = np.where(premature, d["s1_response_sent"] + self.integers(10, 60) * DAY, referred)
        outcome[premature] = codes["Premature - referred back"]
        referred = cal.roll_forward_array(referred)
        # The Ombudsman takes a while to decide.
        decided = ~np.isnat(referred) & (lgo | (referred + np.where(premature, 30, 90) * DAY <= self.end64))
        outcome[~decided] = -1
        d["lgsco_referred"] = referred
        self.cats["lgsco_outcome"] = outcome

    def _after_end(self) -> None:
        """Nothing happens after the end date: what had not happened by then is still to come."""
        for key, values in self.dates.items():
            values[values > self.end64] = NaT

    def _outcomes(self) -> None:
        d = self.dates
        has = lambda key: ~np.isnat(d[key])  # noqa: E731
        answered = has("s1_response_sent")
        self.set_draw("s1_outcome", S1_OUTCOMES, answered & self.complaint)
        self.set_draw("s1_actual_outcome", ACTUAL_OUTCOME_WEIGHTS, answered)
        withdrawn = has("withdrawn_date")
        self.set_value("s1_actual_outcome", "Complaint Withdrawn", withdrawn & ~answered)
        self.set_value("s1_actual_outcome", "Complaint Refused", self.refused)
        upheld = self.is_("s1_outcome", "Upheld", "Partially upheld")
        learning = self.chance(0.12, upheld) | self.chance(0.01, ~upheld)
        self.set_value("learning_identified", YES, answered & self.complaint & learning)
        self.set_value("learning_identified", NO, answered & self.complaint & ~learning)
        # An extension is agreed near the deadline: not yet for a complaint just received.
        end = np.full(self.n, self.end64)
        elapsed_s1 = self.calendar.count_array(d["date_received"], end)
        elapsed_s2 = self.calendar.count_array(d["s2_accepted"], end)
        for key, started, decided in (
            ("s1_extended", self.clocked, answered | (elapsed_s1 >= 7)),
            ("s2_extended", has("s2_accepted"), has("s2_adjudication_sent") | (elapsed_s2 >= 20)),
        ):
            flag = self.extensions.get(key, np.zeros(self.n, dtype=bool)) & decided
            self.set_value(key, YES, started & flag)
            self.set_value(key, NO, started & ~flag)
        self.set_draw("s2_outcome", S2_OUTCOMES, has("s2_adjudication_sent"))
        self.set_draw("s3_outcome", S3_OUTCOMES, has("s3_response_sent"))
        self.set_draw("hold_reason", HOLD_REASON_WEIGHTS, has("on_hold_from"))
        statutory_stage2 = has("s2_accepted") & self.is_("procedure", STATUTORY)
        self.texts["investigating_officer"] = self.pick(self.independent_people, statutory_stage2 | (has("s2_accepted") & self.chance(0.5)))
        self.texts["independent_person"] = self.pick(self.independent_people, statutory_stage2)
        self._costs(statutory_stage2)

    def _costs(self, statutory_stage2: np.ndarray) -> None:
        """What the independent stages cost: an investigation's fees once its adjudication is sent, a panel's once held.

        Most councils pay investigating officers and independent persons by the day: a
        stage 2 investigation costs a few thousand pounds, a review panel under two thousand.
        Some are not yet costed (the invoice has not come in).
        """
        rng, n = self.costs_rng, self.n
        d = self.dates
        investigated = statutory_stage2 & ~np.isnat(d["s2_adjudication_sent"]) & (rng.random(n) < 0.85)
        s2 = np.round(rng.normal(3400, 1100, n).clip(900, 9000) / 25) * 25
        self.texts["s2_investigation_cost"] = np.where(investigated, np.char.mod("%.2f", s2), "").astype(object)
        panelled = ~np.isnat(d["s3_panel_held"]) & (rng.random(n) < 0.9)
        s3 = np.round(rng.normal(1100, 300, n).clip(400, 2500) / 25) * 25
        self.texts["s3_panel_cost"] = np.where(panelled, np.char.mod("%.2f", s3), "").astype(object)

    def _demographics(self) -> None:
        n = self.n
        everyone = np.ones(n, dtype=bool)
        self.set_draw("complainant_disability", DISABILITY_WEIGHTS, everyone)
        self.set_draw("complainant_ethnicity", ETHNICITY_WEIGHTS, everyone)
        gender_stated = self.chance(GENDER_STATED) & (self.male | self.female)
        self.set_value("complainant_gender", "Not Stated", everyone)
        self.set_value("complainant_gender", "Male", gender_stated & self.male)
        self.set_value("complainant_gender", "Female", gender_stated & self.female)
        self.set_value("complainant_gender", "Male & Female", self.chance(0.005, self.parent))
        self.set_value("complainant_age_band", "Not Stated", everyone)
        stated = self.chance(AGE_STATED)
        age = self.child_age
        codes = _codes(schema.AGE_BANDS)
        young_band = np.where(age < 16, codes["0 - 16"], np.where(age < 20, codes["16 - 19"], codes["20 - 24"]))
        bands = self.cats["complainant_age_band"]
        bands[stated & self.young & self.has_child] = young_band[stated & self.young & self.has_child]
        adult = stated & ~self.young
        grand = self.is_("received_from", "Grandparent")
        adult_band = self.draw("complainant_age_band", {"20 - 24": 1, "25 - 59": 8}, n)
        grand_band = self.draw("complainant_age_band", {"25 - 59": 2, "60 - 64": 2, "65 and over": 3}, n)
        bands[adult] = np.where(grand, grand_band, adult_band)[adult]

    def _rules_second_pass(self) -> None:
        """The columns issue 11 added, in realistic amounts (docs/rules.md)."""
        d, cal, n = self.dates, self.calendar, self.n
        statutory = self.is_("procedure", STATUTORY) & self.casework & ~self.refused
        received = d["date_received"]
        # s26(3)(e): people who are not the child, a parent, a carer or someone with PR, and who
        # need no consent, are accepted when the council decides they have sufficient interest.
        own_way = self.young | self.parent | self.carer | self.needs_consent | self.is_("parental_responsibility", YES)
        interest = statutory & ~own_way & ~self.advocate_complains
        self.set_value("sufficient_interest", YES, interest & self.chance(0.95))
        self.set_value("sufficient_interest", NO, interest & (self.cats["sufficient_interest"] < 0))
        # An adult service user in the statutory route is a care leaver (s24D).
        self.set_value("child_legal_status", "Care Leaver", statutory & self.is_("received_from", "Service user (adult)"))
        # The 12-month limit: some late complaints were only recently known of, some accepted anyway.
        events = d["date_of_events"]
        late = ~np.isnat(events) & (events < received - 365 * DAY) & self.casework & ~self.refused
        aware = self.chance(0.4, late)
        d["date_became_aware"] = np.where(aware, cal.roll_forward_array(received - self.integers(5, 90) * DAY), NaT)
        rest = late & ~aware
        self.set_value("accepted_out_of_time", "Young person could not complain sooner", rest & self.young)
        self.set_value("accepted_out_of_time", "Other good reason", rest & ~self.young & self.chance(0.7))
        # Stage 2: an adjudication meeting for about one in five, before the letter or just after it.
        sent = d["s2_adjudication_sent"]
        meeting = ~np.isnat(sent) & self.chance(0.2) & self.is_("procedure", STATUTORY)
        when = cal.add_array(sent, np.where(self.chance(0.3), self.integers(1, 5), -self.integers(1, 8)))
        d["s2_adjudication_meeting"] = np.where(meeting & (when <= self.end64), when, NaT)
        # Deferred for concurrent proceedings (seed 004): a few open statutory complaints.
        open_ = statutory & np.isnat(d["s1_response_sent"]) & np.isnat(d["withdrawn_date"])
        deferred_on = cal.add_array(received, self.integers(1, 4))
        deferred = self.chance(0.15, open_) & (deferred_on <= self.end64)
        d["deferred_on"] = np.where(deferred, deferred_on, NaT)
        self.set_draw("deferral_reason", {"Court proceedings": 5, "Criminal proceedings": 3, "Tribunal": 1, "Disciplinary proceedings": 1}, deferred)
        d["deferral_review_date"] = np.where(deferred, cal.add_array(deferred_on, 40), NaT)
        # Unreasonably persistent complainants: rare, with a review six months on.
        decided = cal.add_array(received, self.integers(5, 40))
        persistent = self.chance(0.004, self.casework & ~self.young) & (decided <= self.end64)
        d["persistent_complainant_decided"] = np.where(persistent, decided, NaT)
        d["persistent_complainant_review"] = np.where(persistent, cal.add_array(decided, 125), NaT)

    def _frame(self) -> pd.DataFrame:
        index = pd.Index(np.arange(2, self.n + 2, dtype=np.int64), name="row")
        data = {}
        for col in schema.INPUT_COLUMNS:
            if col.kind is schema.Kind.DATE:
                data[col.key] = self.dates[col.key].astype("datetime64[s]")
            elif col.key in self.cats:
                labels = np.array(list(col.values) + [""], dtype=object)
                data[col.key] = labels[self.cats[col.key]]
            elif col.key in self.texts:
                data[col.key] = self.texts[col.key].astype(object, copy=False)
            else:
                data[col.key] = np.full(self.n, "", dtype=object)
        return pd.DataFrame(data, index=index, copy=False)


def _latest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The later of two dates, ignoring a missing one."""
    return np.where(np.isnat(a), b, np.where(np.isnat(b), a, np.maximum(a, b)))


class _Clock:
    """One rulebook's milestones played out over the rows that follow it.

    Each milestone is met some working days after the event that starts its
    clock, drawn in bands around its period and extended maximum; a complaint
    goes on to the next stage with a request inside (or just outside) the
    complainant's window; holds push the milestone they interrupt back by their
    length; withdrawals end the complaint.
    """

    def __init__(self, sampler: _Sampler, book: Rulebook, rows: np.ndarray):
        self.s, self.book, self.rows = sampler, book, rows
        self.rng, self.calendar = sampler.rng, sampler.calendar
        self.m = rows.size

    def random(self) -> np.ndarray:
        return self.rng.random(self.m)

    def ints(self, low, high) -> np.ndarray:
        low = np.broadcast_to(np.asarray(low, dtype=np.int64), (self.m,))
        high = np.broadcast_to(np.asarray(high, dtype=np.int64), (self.m,))
        return low + np.floor(self.random() * (np.maximum(high, low) - low + 1)).astype(np.int64)

    def run(self) -> None:
        s, book, rows, cal = self.s, self.book, self.rows, self.calendar
        received = s.dates["date_received"][rows]
        day0 = day_zero(received, book, cal)
        concern = s.concern[rows]
        complaint = ~concern
        stages = sorted({mi.stage for mi in book.milestones})
        main = {k: max((mi for mi in book.milestones if mi.stage == k), key=lambda mi: mi.period) for k in stages}

        reach = {1: np.ones(self.m, dtype=bool)}
        withdraw = complaint & (self.random() < WITHDRAWN_SHARE)
        withdraw_stage = np.where(self.random() < 0.85, 1, 2)
        for k in stages[1:]:
            share = STAGE2_SHARE if k == 2 else STAGE3_SHARE
            reach[k] = reach[k - 1] & complaint & (self.random() < share) & ~(withdraw & (withdraw_stage == k - 1))
        none = np.zeros(self.m, dtype=bool)
        withdraw_stage = np.where(withdraw & (withdraw_stage == 2) & ~reach.get(2, none), 1, withdraw_stage)
        # Holds are drawn for statutory complaints (seed 004's suspensions); the Code never pauses.
        pauses = any(mi.pauses_on_hold for mi in book.milestones) and book.procedure == STATUTORY
        hold = complaint & ~withdraw & (self.random() < HOLD_SHARE) if pauses else np.zeros(self.m, dtype=bool)
        hold_stage = np.where(reach.get(2, none) & (self.random() < 0.3), 2, 1)

        local: dict[str, np.ndarray] = {"date_received": received}
        latest = received.copy()
        hold_from = np.full(self.m, NaT)
        hold_to = np.full(self.m, NaT)
        withdrawn = np.full(self.m, NaT)
        entered: set[int] = {1}
        for mi in book.milestones:
            active = reach.get(mi.stage, none).copy()
            if mi.stage not in entered:
                entered.add(mi.stage)
                window = book.window(f"to_stage_{mi.stage}")
                column = window.requested if window and window.requested else f"s{mi.stage}_requested"
                opened = local.get(window.start, np.full(self.m, NaT)) if window else latest
                request = self.request(opened, window) if window else cal.add_array(opened, self.ints(1, 20))
                active &= ~np.isnat(request)
                local[column] = np.where(active, request, NaT)
                latest = _latest(latest, local[column])
            if mi.start == "receipt":
                start = day0
            elif mi.start in local:
                start = local[mi.start]
            else:  # an event no milestone records, e.g. the agreed statement of complaint
                start = np.where(active, cal.add_array(latest, self.ints(2, 15)), NaT)
                local[mi.start] = start
                latest = _latest(latest, start)
            active &= ~np.isnat(start)
            offset, extended = self.offsets(mi, concern)
            done = cal.add_period_array(np.where(active, start, NaT), offset, mi.unit)

            if mi is main.get(mi.stage):
                # A hold interrupts this milestone and pushes it back by its length.
                held = active & hold & (hold_stage == mi.stage) & (offset >= 2)
                if held.any() and mi.pauses_on_hold:
                    begin = cal.add_array(start, self.ints(1, offset - 1))
                    length = self.ints(5, 40)
                    hold_from = np.where(held, begin, hold_from)
                    hold_to = np.where(held, cal.add_array(begin, length), hold_to)
                    done = np.where(held, cal.add_array(done, length), done)
                gone = active & withdraw & (withdraw_stage == mi.stage)
                if gone.any():
                    when = cal.add_array(start, np.floor(self.random() * np.maximum(offset, 1)).astype(np.int64))
                    withdrawn = np.where(gone, _latest(when, received), withdrawn)

            done = np.where(active, _latest(done, latest), NaT)
            local[mi.done] = done
            latest = _latest(latest, done)
            if mi.extended is not None and mi.extended_if:
                previous = s.extensions.setdefault(mi.extended_if, np.zeros(s.n, dtype=bool))
                previous[rows] |= extended & active
            if mi.done == "s2_accepted" and book.procedure == STATUTORY and "s2_statement_agreed" not in local:
                statement = np.where(active, cal.add_array(done, self.ints(2, 15)), NaT)
                local["s2_statement_agreed"] = statement
                latest = _latest(latest, statement)

        # A withdrawal ends the complaint: nothing after it happens.
        out = ~np.isnat(withdrawn)
        for key, values in local.items():
            if key != "date_received":
                values[out & (values > withdrawn)] = NaT
        local["withdrawn_date"] = withdrawn
        local["on_hold_from"] = hold_from
        local["on_hold_to"] = hold_to
        for key, values in local.items():
            if key != "date_received" and key in s.dates:
                s.dates[key][rows] = values

    def offsets(self, mi: Milestone, concern: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Working days (or the rule's unit) from the clock's start to the milestone being met."""
        p = mi.period
        if mi.extended is not None:
            bands = np.where(
                concern[:, None],
                np.array(BANDS.get((mi.key, "concern"), BANDS_EXTENDABLE)),
                np.array(BANDS.get((mi.key, "complaint"), BANDS_EXTENDABLE)),
            )
        else:
            bands = np.broadcast_to(np.array(BANDS_FIXED), (self.m, 3))
        u = self.random()
        band = np.where(u < bands[:, 0], 0, np.where(u < bands[:, 0] + bands[:, 1], 1, 2))
        quick = "acknowledg" in mi.key or "accept" in mi.key
        low = 0 if quick else max(1, math.ceil(0.3 * p))
        within = self.ints(low, p)
        if mi.extended is not None:
            e = mi.extended
            middle = self.ints(p + 1, e)
            beyond = self.ints(e + 1, e + max(5, e // 2))
        else:
            e = p
            middle = within
            beyond = self.ints(p + 1, p + max(3, p // 2))
        offset = np.where(band == 0, within, np.where(band == 1, middle, beyond))
        agreed = self.random() < np.array(EXTENSION_AGREED)[band]
        return offset, agreed

    def request(self, opened: np.ndarray, window: Window) -> np.ndarray:
        """The complainant asks for the next stage inside the window, a few just after it closes."""
        closes = self.calendar.add_period_array(opened, window.period, window.unit)
        span = (closes - opened) / DAY
        late = self.random() < LATE_REQUEST_SHARE
        fraction = np.where(late, 1.0 + 0.4 * self.random(), 1.0 - self.random())
        days = np.ceil(np.nan_to_num(span) * fraction).astype(np.int64)
        return self.calendar.roll_forward_array(opened + np.maximum(days, 1) * DAY)


class _NamePools:
    """Every name, email stem and team label the sampler can use, made once."""

    def __init__(self):
        first_names = FEMALE + MALE + NEUTRAL
        self.first = np.array(first_names, dtype=object)
        self.last = np.array(SURNAMES, dtype=object)
        self.full_names = np.array([f"{f} {l}" for f in first_names for l in SURNAMES], dtype=object)
        self.email_stems = np.array([f"{_slug(f)}.{_slug(l)}" for f in first_names for l in SURNAMES], dtype=object)
        suffixes = ["", ""] + [str(k) for k in range(1, 99)]
        self.email_tails = np.array([f"{x}@{d}" for x in suffixes for d in EMAIL_DOMAINS], dtype=object)
        labels = []
        for service in schema.SERVICES:
            labels += [f"{TEAMS[service]} ({area})" for area in AREAS] + [TEAMS[service]]
        self.teams = np.array(labels + [""], dtype=object)


_POOLS: list[_NamePools] = []


def _pools() -> _NamePools:
    if not _POOLS:
        _POOLS.append(_NamePools())
    return _POOLS[0]


def _slug(name: str) -> str:
    """'O'Brien' -> 'obrien', 'Zoë' -> 'zoe': the part of an email address a name becomes."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


# --- writing a plain .xlsx -----------------------------------------------------------


def write_xlsx(records, path: str | Path) -> Path:
    """Write the register (dicts keyed by header, or a validated table) to sheet 'Register' of an .xlsx.

    Header row exactly the schema's input headers, frozen; dates as real Excel
    dates shown dd/mm/yyyy. The full .xlsm register with its Settings and Lists
    sheets is the workbook builder's job; this is the plain form for batch use.
    """
    import xlsxwriter
    import xlsxwriter.exceptions

    if isinstance(records, pd.DataFrame):
        records = to_records(records)
    path = Path(path)
    columns = schema.INPUT_COLUMNS
    position = {c.header: j for j, c in enumerate(columns)}
    date_columns = {j for j, c in enumerate(columns) if c.kind is schema.Kind.DATE}
    where: dict[str, int | None] = {}  # a record's key -> its column (None: not a register column)

    def column_of(key: str) -> int | None:
        if key not in where:
            col = schema.BY_KEY.get(key) or schema.BY_HEADER.get(schema.normalise_header(key))
            where[key] = position.get(col.header) if col is not None else None
        return where[key]

    # Shared strings (the default) are quicker and smaller; very large registers stream instead.
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": len(records) > 50_000})
    try:
        sheet = workbook.add_worksheet("Register")
        header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1})
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        for j, col in enumerate(columns):
            width = 12 if j in date_columns else max(12, min(30, len(col.header) + 2))
            sheet.set_column(j, j, width, date_format if j in date_columns else None)
        sheet.set_row(0, 30)
        for j, col in enumerate(columns):
            sheet.write_string(0, j, col.header, header_format)
        sheet.freeze_panes(1, 0)
        for i, record in enumerate(records, start=1):
            for key, value in record.items():
                if value is None or value == "":
                    continue
                j = column_of(key)
                if j is None:
                    continue
                if j in date_columns and isinstance(value, dt.date):
                    day = value.date() if isinstance(value, dt.datetime) else value
                    sheet.write_number(i, j, excel_serial(day), date_format)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(i, j, value)
                else:
                    sheet.write_string(i, j, str(value))
        sheet.autofilter(0, 0, max(len(records), 1), len(columns) - 1)
    finally:
        try:
            workbook.close()
        except xlsxwriter.exceptions.FileCreateError as err:  # the OSError behind it says why
            cause = err.__context__
            raise cause if isinstance(cause, OSError) else OSError(str(err)) from None
    return path


# --- the command -----------------------------------------------------------------------


def summary(table: pd.DataFrame, end: dt.date) -> str:
    """What a sample holds, in counts only (never names)."""
    n = len(table)
    if not n:
        return "no rows"
    received = table["date_received"]
    kind = table["representation_type"]
    clocked = kind.isin(schema.COMPLAINT_TYPES)
    statutory = int((clocked & (table["procedure"] == STATUTORY)).sum())
    corporate = int((clocked & (table["procedure"] == CORPORATE)).sum())
    stage2 = int(table["s2_requested"].notna().sum())
    stage3 = int(table["s3_requested"].notna().sum())
    withdrawn = table["withdrawn_date"].notna()
    waiting = (
        (clocked | (kind == schema.CASE_CONCERN))
        & ~withdrawn
        & (
            table["s1_response_sent"].isna()
            | (table["s2_requested"].notna() & table["s2_adjudication_sent"].isna())
            | (table["s3_requested"].notna() & table["s3_response_sent"].isna())
        )
    )
    on_hold = table["on_hold_from"].notna() & table["on_hold_to"].isna()
    return (
        f"{n} representations received {received.min():%d/%m/%Y} to {received.max():%d/%m/%Y}: "
        f"{statutory} statutory and {corporate} corporate complaints, {n - statutory - corporate} other; "
        f"{stage2} went to stage 2 and {stage3} to stage 3; {int(withdrawn.sum())} withdrawn; "
        f"{int(waiting.sum())} still open on {end:%d/%m/%Y} ({int(on_hold.sum())} on hold)"
    )


# --- one complaint for every letter and its variants ---------------------------------------
# The random register above is shaped like a year's return; these rows are the letters'
# sample instead: one complaint for every letter type and every version of it (statutory and
# corporate, adult and young person, each refusal reason, both stages' extensions), each as
# it stands on LETTER_DAY, so the letters can be written, read and tested as a manager would.

LETTER_DAY = dt.date(2026, 12, 1)  # a Tuesday: the day the sample's letters are written


def _case(reference: str, **fields) -> dict:
    base = {
        "Reference": reference, "Representation type": "Complaint", "Procedure": STATUTORY, "How received": "E-mail",
        "Complainant title": "Ms", "Complainant first name": "Carys", "Complainant last name": "Ap Rhys-O'Neill",
        "Address line 1": "12 Heol y Dderwen", "Town": "Exampleton", "Postcode": "XE1 4PD",
        "Received from": "Parent", "Parental responsibility": YES, "Advocate": NO,
        "Child name": "Morgan Ap Rhys-O'Neill", "Child date of birth": dt.date(2014, 3, 9),
        "Service": "Child in Need", "Team": "Exampleton North Child in Need", "Nature": "Quality of Service",
        "Responding manager": "Sam Patel", "Manager job title": "Team Manager",
    }
    base.update(fields)
    if "Date of events" not in base and base.get("Date received"):
        base["Date of events"] = base["Date received"] - dt.timedelta(days=24)
    return base


def _young_person(reference: str, **fields) -> dict:
    """A young person complaining for themselves (a title in the register is never printed for them)."""
    return _case(
        reference, **{"Received from": YOUNG_PERSON, "Complainant title": "Mr", "Complainant first name": "Darren",
                      "Complainant last name": "Wright", "Child name": None, "Child date of birth": dt.date(2014, 5, 2),
                      "Parental responsibility": None, "Email": "darren.w@example.org", "Service": "Children Looked After",
                      "Team": "Looked After Children", **fields},
    )


def _corporate(case: dict, **fields) -> dict:
    return {**case, "Procedure": CORPORATE, "Service": "Early Help Hub", "Team": "Early Help Exampleton",
            "Responding manager": "Priya Shah", "Manager job title": "Service Manager", **fields}


def letter_cases() -> list[dict]:
    """The letters' sample register: one row per letter variant, as it stands on LETTER_DAY."""
    d = dt.date
    stage_2 = {"S1 response sent": d(2026, 10, 9), "S1 outcome": "Partially upheld", "S2 requested": d(2026, 11, 24),
               "Investigating officer": "Jo Bloggs", "Independent person": "Pat Jones"}
    done_2 = {**stage_2, "S2 requested": d(2026, 9, 1), "S2 accepted": d(2026, 9, 2), "S2 adjudication sent": d(2026, 10, 6),
              "S1 response sent": d(2026, 8, 10), "S2 outcome": "Not upheld", "Date received": d(2026, 7, 20)}
    stage_3 = {**done_2, "S3 requested": d(2026, 10, 20), "S3 panel held": d(2026, 11, 24), "S3 panel report received": d(2026, 11, 27)}
    rows = [
        # acknowledgements: a two-year-old's parent; a twelve-year-old with an advocate; the Code, extended from the outset
        _case("LT-ACK", **{"Date received": d(2026, 11, 26), "Child name": "Morgan Hughes", "Child date of birth": d(2024, 6, 1)}),
        _young_person("LT-ACK-YP", **{"Date received": d(2026, 11, 26), "Advocate": YES}),
        _corporate(_case("LT-ACK-CO", **{"Date received": d(2026, 11, 26), "S1 extended": YES, "Email": "carys.arh@example.com"})),
        _corporate(_young_person("LT-ACK-CO-YP", **{"Date received": d(2026, 11, 26)})),
        # consent: a grandparent without parental responsibility, for a fourteen-year-old
        _case("LT-CONSENT", **{"Date received": d(2026, 11, 24), "Received from": "Grandparent", "Parental responsibility": NO,
                               "Complainant title": "Mrs", "Complainant first name": "Mair", "Complainant last name": "Hughes",
                               "Email": "mair.hughes@example.com", "Child name": "Amy Hughes", "Child date of birth": d(2012, 2, 14)}),
        # extensions: stage 1 with the first date passed; corporate counted from the acknowledgement; stage 2 both routes
        _case("LT-EXT-1", **{"Date received": d(2026, 11, 16), "S1 acknowledged": d(2026, 11, 18), "S1 extended": YES}),
        _young_person("LT-EXT-YP", **{"Date received": d(2026, 11, 16), "S1 acknowledged": d(2026, 11, 18), "S1 extended": YES}),
        _corporate(_case("LT-EXT-CO", **{"Date received": d(2026, 11, 20), "S1 acknowledged": d(2026, 11, 23), "S1 extended": YES})),
        _case("LT-EXT-2", **{"Date received": d(2026, 9, 1), **stage_2, "S2 requested": d(2026, 10, 21), "S2 accepted": d(2026, 10, 22), "S2 extended": YES}),
        _corporate(_case("LT-EXT-2-CO", **{"Date received": d(2026, 9, 1), **stage_2, "S2 requested": d(2026, 11, 16), "S2 accepted": d(2026, 11, 17), "S2 extended": YES})),
        # stage 1 responses
        _case("LT-S1", **{"Date received": d(2026, 11, 16), "S1 acknowledged": d(2026, 11, 18), "S1 outcome": "Not upheld"}),
        _young_person("LT-S1-YP", **{"Date received": d(2026, 11, 16), "S1 acknowledged": d(2026, 11, 18), "S1 outcome": "Upheld"}),
        _corporate(_case("LT-S1-CO", **{"Date received": d(2026, 11, 16), "S1 acknowledged": d(2026, 11, 17), "S1 outcome": "Partially upheld"})),
        _corporate(_young_person("LT-S1-CO-YP", **{"Date received": d(2026, 11, 16), "S1 acknowledged": d(2026, 11, 17), "S1 outcome": "Not upheld"})),
        _case("LT-S1-OLD", **{"Date received": d(2025, 4, 14), "S1 acknowledged": d(2025, 4, 15), "S1 response sent": d(2025, 5, 13), "S1 outcome": "Upheld"}),
        # stage 2: acknowledgements and responses, statutory and corporate, adults and young people
        _case("LT-S2", **{"Date received": d(2026, 9, 1), **stage_2}),
        _young_person("LT-S2-YP", **{"Date received": d(2026, 9, 1), **stage_2, "Advocate": YES}),
        _corporate(_case("LT-S2-CO", **{"Date received": d(2026, 9, 1), **stage_2, "S2 outcome": "Not upheld"})),
        _corporate(_young_person("LT-S2-CO-YP", **{"Date received": d(2026, 9, 1), **stage_2, "S2 outcome": "Upheld"})),
        _corporate(_case("LT-S2-CO-NO-IO", **{"Date received": d(2026, 9, 1), **stage_2,
                                              "S2 outcome": "Not upheld", "Investigating officer": None})),
        _case("LT-S2-ADJ", **{**done_2, "S2 adjudication sent": None}),
        _young_person("LT-S2-ADJ-YP", **{**done_2, "S2 adjudication sent": None, "S2 outcome": "Partially upheld", "Advocate": YES}),
        # stage 3: a panel meeting later than 30 working days, about a baby; the final responses
        _case("LT-PANEL", **{**done_2, "S3 requested": d(2026, 10, 20), "S3 panel held": d(2027, 1, 20),
                             "Child name": "Gwenllian Jones", "Child date of birth": d(2026, 3, 3)}),
        _young_person("LT-PANEL-YP", **{**done_2, "S3 requested": d(2026, 11, 10), "S3 panel held": d(2026, 12, 17)}),
        _case("LT-S3", **stage_3),
        _young_person("LT-S3-YP", **stage_3),
        _corporate(_case("LT-S3-CO", **{**done_2, "S3 requested": d(2026, 11, 20)})),  # a three-stage corporate council
        # withdrawals, refusals (each reason), a case concern
        _case("LT-WD", **{"Date received": d(2026, 11, 2), "Withdrawn date": d(2026, 11, 27)}),
        _young_person("LT-WD-YP", **{"Date received": d(2026, 11, 2), "Withdrawn date": d(2026, 11, 27)}),
        _case("LT-RF-PR", **{"Date received": d(2026, 11, 24), "Representation type": "Refused", "Refusal reason": "No PR",
                             "Received from": "Grandparent", "Parental responsibility": NO, "Complainant title": "Mr",
                             "Complainant first name": "Emrys", "Complainant last name": "Bowen", "Child name": "Cai Bowen",
                             "Child date of birth": d(2013, 8, 8)}),
        _case("LT-RF-TIME", **{"Date received": d(2026, 11, 24), "Representation type": "Refused", "Refusal reason": "Out of Time", "Date of events": d(2024, 6, 1)}),
        _case("LT-RF-COURT", **{"Date received": d(2026, 11, 24), "Representation type": "Refused", "Refusal reason": "Court Proceedings"}),
        _case("LT-RF-REMIT", **{"Date received": d(2026, 11, 24), "Representation type": "Refused", "Refusal reason": "Outside of Remit"}),
        _case("LT-RF-BEST", **{"Date received": d(2026, 11, 24), "Representation type": "Refused", "Refusal reason": "Not in Best Interest/Age of Child/YP"}),
        _young_person("LT-RF-YP-TIME", **{"Date received": d(2026, 11, 24), "Representation type": "Refused", "Refusal reason": "Out of Time", "Date of events": d(2024, 6, 1)}),
        _young_person("LT-RF-YP-REMIT", **{"Date received": d(2026, 11, 24), "Representation type": "Refused", "Refusal reason": "Outside of Remit"}),
        _case("LT-CC", **{"Date received": d(2026, 11, 27), "Representation type": "Case Concern"}),
        # closures after no reply: waiting for the child's consent; no reply to the officer; answered already (refused)
        _case("LT-CL-CONSENT", **{"Date received": d(2026, 9, 14), "Received from": "Grandparent", "Parental responsibility": NO,
                                  "Child name": "Amy Hughes", "Child date of birth": d(2012, 2, 14), "S1 acknowledged": d(2026, 9, 15),
                                  "On hold from": d(2026, 9, 16), "Hold reason": "Awaiting consent"}),
        _case("LT-CL", **{"Date received": d(2026, 9, 14), "S1 acknowledged": d(2026, 9, 15)}),
        _young_person("LT-CL-YP", **{"Date received": d(2026, 9, 14), "S1 acknowledged": d(2026, 9, 15)}),
        _case("LT-CL-ANSWERED", **{"Date received": d(2026, 9, 14), "S1 acknowledged": d(2026, 9, 15), "S1 response sent": d(2026, 9, 28), "S1 outcome": "Upheld"}),
    ]
    return rows


# Which sample rows each letter is written for (the three-stage corporate council writes LT-S3-CO's).
LETTER_CASES = {
    "acknowledgement": ("LT-ACK", "LT-ACK-YP", "LT-ACK-CO", "LT-ACK-CO-YP"),
    "consent-request": ("LT-CONSENT",),
    "extension": ("LT-EXT-1", "LT-EXT-YP", "LT-EXT-CO", "LT-EXT-2", "LT-EXT-2-CO"),
    "stage-1-response": ("LT-S1", "LT-S1-YP", "LT-S1-CO", "LT-S1-CO-YP", "LT-S1-OLD"),
    "stage-2-acknowledgement": ("LT-S2", "LT-S2-YP", "LT-S2-CO", "LT-S2-CO-YP"),
    "stage-2-adjudication": ("LT-S2-ADJ", "LT-S2-ADJ-YP", "LT-S2-CO", "LT-S2-CO-YP", "LT-S2-CO-NO-IO"),
    "stage-3-panel": ("LT-PANEL", "LT-PANEL-YP"),
    "stage-3-response": ("LT-S3", "LT-S3-YP", "LT-S3-CO"),
    "withdrawal": ("LT-WD", "LT-WD-YP"),
    "refusal": ("LT-RF-PR", "LT-RF-TIME", "LT-RF-COURT", "LT-RF-REMIT", "LT-RF-BEST", "LT-RF-YP-TIME", "LT-RF-YP-REMIT"),
    "case-concern": ("LT-CC",),
    "closure": ("LT-CL-CONSENT", "LT-CL", "LT-CL-YP", "LT-CL-ANSWERED"),
}


def three_stage_council(settings: Settings | None = None) -> Settings:
    """The same council with a three-stage corporate procedure (for LT-S3-CO's final response)."""
    return (settings or Settings()).replace(corporate_rulebook="corporate-three-stage")
