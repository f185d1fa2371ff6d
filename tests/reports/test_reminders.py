"""`xl-complaints reminders`: an .ics a standard parser reads, one event per item due in the window, no personal data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from xl_complaints.excel import workbook
from xl_complaints.cli import main
from xl_complaints.core.learning import ACTIONS, OMBUDSMAN, REMEDIES

D = dt.date
AS_OF = D(2026, 12, 7)  # a Monday; --days 10 runs to Thursday 17 December
PLANTED = ("Zebedee", "Quennell-Fotheringay", "Tamsin Okafor", "Petrova", "Ysolde", "shouted at the child",
           "kept in the blue folder", "7 Larkspur Way", "zebedee@example.org")


def complaint(ref, received, **fields):
    base = {"Reference": ref, "Date received": received, "Representation type": "Complaint", "Procedure": "Statutory",
            "Service": "Child in Need", "Complainant first name": "Zebedee", "Complainant last name": "Quennell-Fotheringay",
            "Address line 1": "7 Larkspur Way", "Email": "zebedee@example.org", "Child name": "Ysolde",
            "Responding manager": "Tamsin Okafor", "Received from": "Parent"}
    return {**base, **fields}


RECORDS = [
    complaint("CSC-2026-0001", D(2026, 11, 30), **{"S1 acknowledged": D(2026, 12, 1)}),  # stage 1 response due Mon 14 Dec
    complaint("CSC-2026-0002", D(2026, 12, 4)),  # acknowledgement due Wed 9 Dec (3 working days)
    complaint("CSC-2026-0003", D(2026, 11, 2), **{"S1 acknowledged": D(2026, 11, 3)}),  # response was due 16 Nov: overdue
    complaint("CSC-2026-0004", D(2026, 11, 23), **{"S1 acknowledged": D(2026, 11, 24), "S1 response sent": D(2026, 12, 4),
                                                   "S1 outcome": "Upheld"}),  # answered: the window to ask for stage 2 is no task
    complaint("CSC-2026-0005", D(2026, 12, 3), **{"S1 acknowledged": D(2026, 12, 4)}),  # response due Thu 17 Dec: the last day
    complaint("CSC-2026-0006", D(2026, 12, 4), **{"S1 acknowledged": D(2026, 12, 7)}),  # response due Fri 18 Dec: one day late for the window
]
LEARNING = {
    ACTIONS: [
        {"Reference": "CSC-2026-0004", "Stage": "Stage 1", "Action": "Apologise: Ms Petrova shouted at the child", "Owning manager": "Tamsin Okafor",
         "Owning service": "Child in Need", "Agreed date": D(2026, 12, 4), "Due date": D(2026, 12, 10)},  # in
        {"Reference": "CSC-2026-0004", "Stage": "Stage 1", "Action": "Training for Ms Petrova", "Agreed date": D(2026, 12, 4),
         "Due date": D(2026, 12, 10), "Completed date": D(2026, 12, 4), "Evidence": "kept in the blue folder"},  # done: out
        {"Reference": "CSC-2026-0004", "Due date": D(2026, 12, 20)},  # after the window: out
        {"Reference": "CSC-2026-0003", "Due date": D(2026, 12, 1)},  # overdue: out
    ],
    REMEDIES: [{"Reference": "CSC-2026-0004", "Remedy": "Apology", "Date offered": D(2026, 12, 4)}],
    OMBUDSMAN: [
        {"Reference": "CSC-2026-0003", "Ombudsman reference": "26-004-512", "Date received": D(2026, 11, 16),
         "Response due": D(2026, 12, 15), "Decision": "Fault causing injustice", "Decision date": D(2026, 11, 30),
         "Remedy agreed": "Yes", "Comply by": D(2026, 12, 11), "Date complied": D(2026, 12, 3)},  # response in; remedy done: out
    ],
}
EXPECTED = {
    ("CSC-2026-0001", D(2026, 12, 14)),
    ("CSC-2026-0002", D(2026, 12, 9)),
    ("CSC-2026-0005", D(2026, 12, 17)),
    ("CSC-2026-0004", D(2026, 12, 10)),
    ("CSC-2026-0003", D(2026, 12, 15)),
}


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reminders") / "Complaints_Register.xlsm"
    return workbook.build(path, RECORDS, as_of=AS_OF, learning=LEARNING)


def run(register: Path, out: Path, *extra):
    result = CliRunner().invoke(main, ["reminders", str(register), "--as-of", AS_OF.isoformat(), "--out", str(out), *extra],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result, Calendar.from_ical(out.read_bytes())


def events(cal: Calendar):
    return [c for c in cal.walk() if c.name == "VEVENT"]


def test_one_all_day_event_per_item_due_in_the_window(register, tmp_path):
    result, cal = run(register, tmp_path / "r.ics", "--days", "10")
    found = events(cal)
    assert {(str(e["summary"]).split(":")[0], e.decoded("dtstart")) for e in found} == EXPECTED
    assert len(found) == len(EXPECTED)
    for e in found:
        start, end = e.decoded("dtstart"), e.decoded("dtend")
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)  # all day, as Outlook shows them
        assert e["dtstart"].params.get("VALUE") == "DATE"
    steps = {str(e["summary"]) for e in found}
    assert "CSC-2026-0001: Stage 1 response due" in steps
    assert "CSC-2026-0002: Acknowledgement due" in steps
    assert "CSC-2026-0003: Ombudsman response due" in steps
    assert "CSC-2026-0004: Stage 1 action due" in steps
    assert "5 deadlines due from 07/12/2026 to 17/12/2026" in result.output
    assert "2 already overdue" in result.output  # CSC-2026-0003's response and its action


def test_the_window_follows_days(register, tmp_path):
    _, cal = run(register, tmp_path / "r.ics", "--days", "2")
    assert {e.decoded("dtstart") for e in events(cal)} == {D(2026, 12, 9)}


def test_no_personal_data_or_free_text(register, tmp_path):
    out = tmp_path / "r.ics"
    result, _ = run(register, out, "--days", "30")
    text = out.read_bytes().decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    for planted in PLANTED:
        assert planted.lower() not in unfolded.lower(), planted
        assert planted.lower() not in result.output.lower(), planted


def test_uids_are_stable_and_unique(register, tmp_path):
    _, first = run(register, tmp_path / "a.ics", "--days", "10")
    _, again = run(register, tmp_path / "b.ics", "--days", "30")
    uids = [str(e["uid"]) for e in events(first)]
    assert len(set(uids)) == len(uids)
    later = {str(e["uid"]): e.decoded("dtstart") for e in events(again)}
    assert all(later[u] == e.decoded("dtstart") for u, e in zip(uids, events(first)))  # the same deadline, the same UID


def test_a_register_without_the_learning_sheets(tmp_path):
    from xl_complaints.sample.complaints import write_xlsx

    path = write_xlsx(RECORDS[:2], tmp_path / "plain.xlsx")  # the Register sheet alone
    _, cal = run(path, tmp_path / "r.ics", "--days", "10")
    assert len(events(cal)) == 2
