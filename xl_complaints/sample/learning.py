"""Fictitious actions, remedies and Ombudsman cases for the sample register's complaints.

They follow from what each sample complaint records: an upheld or partly upheld
response brings an apology (and often an explanation or a service), learning
identified brings one or two actions owned by the responding manager's service,
a stage 2 or 3 finding of fault may bring a time and trouble payment, and a
complaint referred to the Ombudsman gets its case, with the Ombudsman's dates
and, for fault causing injustice, a remedy to comply with. Nothing is dated
after the sample's last day, and every row passes learning.validate.
"""

from __future__ import annotations

import datetime as dt
import random

from ..core import schema
from ..core.dates import as_of_or_today
from ..core.learning import ACTIONS, MONEY_REMEDIES, OMBUDSMAN, REMEDIES
from ..core.settings import Settings

ACTION_TEXTS = (
    "Remind the team of the timescales for sharing assessments with families",
    "Team briefing on recording contact arrangements and telling parents of changes",
    "Review the letter template used to tell families a case is closing",
    "Training on the duty to consider the child's wishes and feelings",
    "Audit a sample of the team's case records for management oversight",
    "Update the service's leaflet on how decisions about placements are made",
    "Introduce a check that meeting minutes are sent within 10 working days",
    "Share the learning from this complaint at the service managers' meeting",
)
EVIDENCE_TEXTS = (
    "Briefing notes and attendance list on the team's shared drive",
    "Revised template saved in the document library",
    "Audit report sent to the complaints team",
    "Training record on the learning system",
    "Minutes of the managers' meeting",
)
# The sample register's Ombudsman outcome (schema.LGSCO_OUTCOMES) -> the Ombudsman's decision.
DECISIONS = {
    "Premature - referred back": "Premature",
    "Not investigated": "Not investigated",
    "Closed after initial enquiries": "Closed after initial enquiries",
    "Upheld - maladministration": "Fault causing injustice",
    "Not upheld": "No fault",
}
UPHELD = ("Upheld", "Partially upheld")
RESPONSE_DAYS = 20  # working days the Ombudsman usually gives for the council's first response


def generate(records: list[dict], seed: int = 1, end: dt.date | None = None, settings: Settings | None = None) -> dict[str, list[dict]]:
    """{sheet: rows keyed by header} for the complaints in `records` (the sample register's rows)."""
    rng = random.Random(f"learning-{seed}")
    end = as_of_or_today(end)
    cal = (settings or Settings()).calendar
    out: dict[str, list[dict]] = {ACTIONS: [], REMEDIES: [], OMBUDSMAN: []}

    def done_by(day: dt.date | None, chance: float = 0.9) -> dt.date | None:
        return day if day is not None and day <= end and rng.random() < chance else None

    for record in records:
        ref = record.get("Reference")
        if not ref or record.get("Representation type") not in schema.COMPLAINT_TYPES:
            continue
        service = record.get("Service") or "Other/Unknown"
        manager = record.get("Responding manager") or ""
        stages = [
            ("Stage 1", record.get("S1 response sent"), record.get("S1 outcome")),
            ("Stage 2", record.get("S2 adjudication sent"), record.get("S2 outcome")),
            ("Stage 3", record.get("S3 response sent"), record.get("S3 outcome")),
        ]
        for stage, sent, outcome in stages:
            if sent is None or outcome not in UPHELD:
                continue
            out[REMEDIES].append({"Reference": ref, "Stage": stage, "Remedy": "Apology", "Date offered": sent, "Date done": sent})
            if rng.random() < 0.5:
                out[REMEDIES].append({"Reference": ref, "Stage": stage, "Remedy": "Explanation", "Date offered": sent, "Date done": sent})
            if rng.random() < 0.25:
                out[REMEDIES].append({"Reference": ref, "Stage": stage, "Remedy": "Service provided", "Date offered": sent,
                                      "Date done": done_by(cal.add(sent, rng.randint(5, 30)), 0.85)})
            if stage != "Stage 1" and rng.random() < 0.5:
                kind = rng.choice(MONEY_REMEDIES)
                amount = rng.choice((100, 150, 200, 250, 300)) if kind == "Time and trouble payment" else rng.randint(4, 40) * 25
                out[REMEDIES].append({"Reference": ref, "Stage": stage, "Remedy": kind, "Amount": amount, "Date offered": sent,
                                      "Date done": done_by(cal.add(sent, rng.randint(5, 20)))})
            wants_actions = record.get("Learning identified") == schema.YES or stage != "Stage 1"
            if wants_actions:
                for _ in range(rng.choice((1, 1, 2))):
                    out[ACTIONS].append(_action(rng, ref, stage, service, manager, sent, end, cal))
        referred = record.get("LGSCO referred")
        if referred is not None and referred <= end:
            case, extra = _ombudsman(rng, record, referred, end, cal, service, manager, len(out[OMBUDSMAN]) + 1)
            out[OMBUDSMAN].append(case)
            for sheet, row in extra:
                out[sheet].append(row)
    return out


def _action(rng, ref, stage, service, manager, agreed, end, cal, lgsco: str | None = None) -> dict:
    due = cal.add(agreed, rng.choice((20, 30, 40, 60)))
    completed = None
    if due <= end or rng.random() < 0.3:
        finish = cal.add(agreed, rng.randint(5, 75))  # some after the due date: late
        completed = finish if finish <= end and rng.random() < 0.85 else None
    row = {"Reference": ref, "Stage": stage, "Action": rng.choice(ACTION_TEXTS), "Owning service": service,
           "Owning manager": manager, "Agreed date": agreed, "Due date": due, "Completed date": completed,
           "Evidence": rng.choice(EVIDENCE_TEXTS) if completed else None}
    if lgsco:
        row["Ombudsman reference"] = lgsco
    return row


def _ombudsman(rng, record, received, end, cal, service, manager, number: int):
    lgsco = f"{received:%y}-{number:03d}-{rng.randint(100, 999)}"  # the LGSCO's form: year, then digits
    due = cal.add(received, RESPONSE_DAYS)
    sent = cal.add(received, rng.randint(8, 24))
    case = {"Reference": record["Reference"], "Ombudsman reference": lgsco, "Date received": received,
            "Response due": due, "Response sent": sent if sent <= end else None}
    extra = []
    decision = DECISIONS.get(record.get("LGSCO outcome") or "")
    if decision:
        decided = cal.add(received, rng.randint(15, 70) if decision in ("Premature", "Not investigated") else rng.randint(40, 120))
        if decided <= end:
            case.update({"Decision": decision, "Decision date": decided})
            if decision == "Fault causing injustice":
                comply_by = cal.add_calendar(decided, 1, "calendar months")
                complied = cal.add(decided, rng.randint(5, 30))
                case.update({"Remedy agreed": schema.YES, "Comply by": comply_by, "Date complied": complied if complied <= end else None})
                amount = rng.choice((150, 200, 250, 300, 500, 750, 1000))
                extra.append((REMEDIES, {"Reference": record["Reference"], "Stage": "Ombudsman", "Remedy": "Financial remedy",
                                         "Amount": amount, "Date offered": decided, "Date done": case["Date complied"]}))
                extra.append((REMEDIES, {"Reference": record["Reference"], "Stage": "Ombudsman", "Remedy": "Apology",
                                         "Date offered": decided, "Date done": case["Date complied"]}))
                extra.append((ACTIONS, _action(rng, record["Reference"], "Ombudsman", service, manager, decided, end, cal, lgsco)))
            else:
                case["Remedy agreed"] = schema.NO
    return case, extra
