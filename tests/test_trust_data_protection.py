"""Data protection: owner-only files, optional passwords, statistics and logs without names, and
errors told as sentences that quote nothing from the register (even errors nobody expected)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import stat
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from click.testing import CliRunner

from xl_complaints.files import audit, outputs, writeback

from xl_complaints.sample import complaints as sample

from xl_complaints.core import schema
from xl_complaints.cli import main

AS_OF = dt.date(2024, 6, 14)
ACK_DAY = dt.date(2024, 6, 13)
POSIX = os.name == "posix"
PASSWORD = "Correct horse battery staple 7!"


def ack_records() -> list[dict]:
    return [
        {"Reference": f"CSC-P{i}", "Date received": dt.date(2024, 6, 12), "Representation type": "Complaint",
         "Procedure": "Statutory", "Received from": "Parent", "Parental responsibility": "Yes", "How received": "Letter",
         "Complainant title": "Mrs", "Complainant first name": f"Bronwen{i}", "Complainant last name": f"Featherstonehaugh{i}",
         "Address line 1": f"{i} Marigold Terrace", "Town": "Lowerbridge", "Postcode": f"XL{i} 4QQ",
         "Email": f"bronwen{i}@example.net", "Child name": f"Tegan Featherstonehaugh{i}", "Child date of birth": dt.date(2009, 2, 3 + i),
         "Responding manager": "Imogen Quarrie", "Manager job title": "Team Manager"}
        for i in range(3)
    ]


RECORDS = sample.generate(120, seed=5, end=AS_OF) + ack_records()
# An invalid email and a date of birth in the future: problems must name the column, not quote the value.
RECORDS.append({"Reference": "CSC-BADPD", "Date received": dt.date(2024, 5, 1), "Representation type": "Complaint",
                "Procedure": "Statutory", "S1 acknowledged": dt.date(2024, 5, 2), "Email": "not-an-email Zebedee Quattlebaum", "Child date of birth": "31/02/2015",
                "Complainant first name": "Zebedee", "Complainant last name": "Quattlebaum"})


def _date_texts(day: dt.date) -> set[str]:
    return {day.isoformat(), f"{day:%d/%m/%Y}", f"{day.day} {day:%B %Y}"}


def personal_values(records=RECORDS) -> set[str]:
    """Every personal text cell of the register (names, addresses, emails, postcodes)."""
    found = set()
    for record in records:
        for header, value in record.items():
            if value in (None, "") or not schema.column(header).personal or isinstance(value, dt.date):
                continue
            if len(str(value).strip()) >= 4:  # titles ('Mr', 'Ms') are words of every report
                found.add(str(value).strip())
    return found


PERSONAL = personal_values()
BIRTH_DATES = [r["Child date of birth"] for r in RECORDS if isinstance(r.get("Child date of birth"), dt.date)]
DISTINCT_BIRTH_DATES = [r["Child date of birth"] for r in ack_records()]  # no other date of the register is near them


def leaks(text: str) -> list[str]:
    """The personal values found in `text` as whole words, and dates of birth that give a column away.

    A date of birth can fall on the same day as a due date, so one on its own
    proves nothing; a copied column would show (nearly) all of them. The three
    distinct ones must never appear.
    """
    found = sorted(v for v in PERSONAL if v in text and re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text))
    shown = [day for day in BIRTH_DATES if any(t in text for t in _date_texts(day))]
    if len(shown) > 0.1 * len(BIRTH_DATES):
        found.append(f"{len(shown)} of {len(BIRTH_DATES)} dates of birth")
    found += [f"date of birth {day}" for day in DISTINCT_BIRTH_DATES if any(t in text for t in _date_texts(day))]
    return found


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    from xl_complaints.excel import workbook

    return workbook.build(tmp_path_factory.mktemp("dp") / "R.xlsm", RECORDS, as_of=AS_OF)


@pytest.fixture
def register(original, tmp_path) -> Path:
    path = tmp_path / "R.xlsm"
    path.write_bytes(original.read_bytes())
    return path


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)  # the usual default: files readable by everyone unless we say otherwise
    yield
    os.umask(previous)


def cli(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


def text_of(path: Path) -> str:
    """All the text in a file: the XML parts of an Office file, else the file as text."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(unescape(z.read(n).decode("utf-8", "replace")) for n in z.namelist() if n.endswith((".xml", ".rels")))
    return data.decode("utf-8", "replace")


TECHNICAL = re.compile(
    r"Traceback|\.py\b|\bline \d+|\b[A-Z][A-Za-z]*(?:Error|Exception|NotFound|Warning)\b|BadZipFile|KeyError|zipfile|calamine|openpyxl|lxml"
)


def plain(text: str) -> bool:
    """No exception's name, no source file, no line of code, no library's name: what an officer can read."""
    return TECHNICAL.search(text) is None


def _the_plain_check_catches_technical_words():
    for text in ("(BadZipFile in writeback.py line 264)", "WorksheetNotFound", "Traceback (most recent call last)",
                 "a ValueError", "KeyError: 'Register'", "CalamineError"):
        assert not plain(text), text
    assert plain("R.xlsm cannot be read as a register: it is damaged or cut short. Nothing was changed.")


def test_the_test_data_has_personal_values_and_the_scan_finds_them():
    _the_plain_check_catches_technical_words()  # and the check for technical words finds them
    assert len(PERSONAL) > 300 and len(BIRTH_DATES) > 100
    column = "\n".join(f"{day:%d/%m/%Y}" for day in BIRTH_DATES)
    assert leaks("Dear Bronwen0 Featherstonehaugh0,\n" + column) == sorted(["Bronwen0", "Featherstonehaugh0"]) + [
        f"{len(BIRTH_DATES)} of {len(BIRTH_DATES)} dates of birth"] + [f"date of birth {d}" for d in DISTINCT_BIRTH_DATES]


# --- owner-only files -----------------------------------------------------------------------------


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_exports_backups_letters_and_the_log_are_owner_only(register, tmp_path, umask_022):
    out = tmp_path / "out"
    out.mkdir()
    runs = [
        ("status", register, "--out", out / "status.csv"),
        ("status", register, "--out", out / "status.xlsx"),
        ("stats", register, "--year", "2023", "--out", out / "stats.xlsx"),  # the Word draft: see the password test
        ("stats", register, "--year", "2023", "--format", "json", "--out", out / "stats.json"),
        ("letters", register, "--type", "acknowledgement", "--due", "--as-of", ACK_DAY),
        ("refresh", register),
        ("init", tmp_path / "new" / "N.xlsm"),
    ]
    for args in runs:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
    files = list(out.iterdir()) + writeback.backups(register) + list((tmp_path / "Letters").rglob("*.docx"))
    files += [tmp_path / audit.LOG_NAME, tmp_path / "new" / "N.xlsm"]
    assert len(files) == 4 + 1 + 3 + 2
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (tmp_path / "Backups", tmp_path / "Letters"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_refresh_keeps_the_registers_own_permissions(register, umask_022):
    os.chmod(register, 0o640)  # a team's shared register stays shared
    assert cli("refresh", register).exit_code == 0
    assert stat.S_IMODE(register.stat().st_mode) == 0o640
    assert stat.S_IMODE(writeback.backups(register)[0].stat().st_mode) == 0o600


# --- passwords ----------------------------------------------------------------------------------


def decrypted(path: Path, password: str = PASSWORD) -> bytes:
    office = msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes()))
    assert office.is_encrypted(), f"{path.name} is not encrypted"
    return outputs.decrypt(path.read_bytes(), password)


@pytest.fixture
def password_file(tmp_path) -> Path:
    path = tmp_path / "password.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def test_password_protected_workbooks_word_files_and_letters_open_only_with_the_password(register, tmp_path, password_file):
    out = tmp_path / "out"
    out.mkdir()
    results = [
        cli("status", register, "--out", out / "status.xlsx", "--password-file", password_file),
        cli("stats", register, "--year", "2023", "--out", out / "stats.xlsx", "--word", out / "stats.docx", "--password-file", password_file),
        cli("letters", register, "--type", "acknowledgement", "--due", "--as-of", ACK_DAY, "--password-file", password_file),
    ]
    for result in results:
        assert result.exit_code == 0, result.output
        assert PASSWORD not in result.output
    status = openpyxl.load_workbook(io.BytesIO(decrypted(out / "status.xlsx")))
    assert status.active.cell(1, 2).value == "Reference" and status.active.max_row == len(RECORDS) + 1
    assert "Complaints" in text_of_bytes(decrypted(out / "stats.xlsx"))
    assert "Data and analysis" in text_of_bytes(decrypted(out / "stats.docx"))
    if POSIX:
        assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o600}  # the Word draft too
    letters = sorted((tmp_path / "Letters").rglob("*.docx"))
    assert len(letters) == 3
    for letter in letters:
        assert "Featherstonehaugh" in text_of_bytes(decrypted(letter))
        assert b"Featherstonehaugh" not in letter.read_bytes()  # nothing readable without the password
    with pytest.raises(Exception):
        outputs.decrypt(letters[0].read_bytes(), "wrong password")
    log = (tmp_path / audit.LOG_NAME).read_text(encoding="utf-8")
    assert PASSWORD not in log and "protected=yes" in log


def text_of_bytes(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(unescape(z.read(n).decode("utf-8", "replace")) for n in z.namelist() if n.endswith(".xml"))


def test_the_password_can_come_from_the_environment(register, tmp_path):
    out = tmp_path / "status.xlsx"
    result = cli("status", register, "--out", out, env={outputs.PASSWORD_ENV: PASSWORD})
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(io.BytesIO(decrypted(out))).active.cell(1, 1).value == "Register row"


def test_what_cannot_be_password_protected_is_refused_not_saved_in_the_clear(register, tmp_path, password_file):
    cases = [
        (("status", register, "--out", tmp_path / "s.csv", "--password-file", password_file), "xlsx"),
        (("stats", register, "--year", "2023", "--format", "json", "--out", tmp_path / "s.json", "--password-file", password_file), "JSON"),
        (("letters", register, "--type", "acknowledgement", "--due", "--pdf", "--as-of", ACK_DAY, "--password-file", password_file), "PDF"),
    ]
    for args, word in cases:
        result = cli(*args)
        assert result.exit_code != 0 and word in result.output, result.output
    assert not (tmp_path / "s.csv").exists() and not (tmp_path / "s.json").exists() and not (tmp_path / "Letters").exists()
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    refused = cli("status", register, "--out", tmp_path / "s.xlsx", "--password-file", empty)
    assert refused.exit_code != 0 and "holds no password" in refused.output


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_a_password_file_others_can_read_is_warned_about(register, tmp_path, password_file):
    password_file.chmod(0o644)
    result = cli("status", register, "--out", tmp_path / "s.xlsx", "--password-file", password_file)
    assert result.exit_code == 0 and "can be read by other users" in result.output


def test_no_command_takes_a_password_on_the_command_line():
    for name, command in main.commands.items():
        for param in command.params:
            assert not any(o.lstrip("-") in ("password", "pw", "pass") for o in getattr(param, "opts", [])), name
    assert any(o == "--password-file" for p in main.commands["stats"].params for o in getattr(p, "opts", []))


# --- statistics and reports name nobody -----------------------------------------------------------------


def test_statistics_and_status_reports_contain_no_personal_value(register, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for args in (("stats", register, "--year", "2023", "--out", out / "stats.xlsx", "--word", out / "stats.docx", "--as-of", AS_OF),
                 ("stats", register, "--year", "2023", "--format", "json", "--out", out / "stats.json", "--as-of", AS_OF),
                 ("stats", register, "--year", "2022", "--out", out / "stats22.xlsx", "--as-of", AS_OF),
                 ("status", register, "--out", out / "status.csv", "--as-of", AS_OF),
                 ("status", register, "--out", out / "status.xlsx", "--as-of", AS_OF)):
        result = cli(*args)
        assert result.exit_code == 0, result.output
        assert leaks(result.output) == []
    for path in out.iterdir():
        text = text_of(path)
        assert len(text) > 1000
        assert leaks(text) == [], path.name


# --- the audit log and what officers are shown ------------------------------------------------------


def test_the_main_commands_log_references_and_counts_and_show_no_personal_value(register, tmp_path):
    runs = [
        ("check", register),
        ("status", register, "--as-of", AS_OF),
        ("refresh", register, "--as-of", AS_OF),
        ("letters", register, "--type", "acknowledgement", "--due", "--as-of", ACK_DAY),
        ("letters", register, "--type", "stage-1-response", "--refs", "CSC-BADPD,CSC-P0,NOSUCH", "--as-of", AS_OF),
        ("stats", register, "--year", "2023", "--as-of", AS_OF),
        ("retention", register, "--as-of", "2035-01-01"),
        ("restore", register),
    ]
    shown = []
    for args in runs:
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (args, result.exception)
        shown.append(result.output)
    everything = "\n".join(shown)
    assert "CSC-BADPD" in everything and "Child date of birth" in everything  # reported by reference and column ...
    assert leaks(everything) == []  # ... quoting no name, address, email or birth date
    log = (tmp_path / audit.LOG_NAME).read_text(encoding="utf-8")
    for command in ("check", "status", "refresh", "letters", "stats", "retention"):
        assert f"command='{command}'" in log
    assert "references=[CSC-P0,CSC-P1,CSC-P2]" in log  # letters are logged by reference
    assert leaks(log) == []
    assert log.count(" finished ") >= 5


def test_an_unexpected_error_is_a_sentence_without_the_data_and_is_logged_without_it(register, monkeypatch):
    from xl_complaints.core import status

    def breaks(*args, **kwargs):
        raise ValueError("cannot handle Bronwen0 Featherstonehaugh0, 0 Marigold Terrace")

    monkeypatch.setattr(status, "assess", breaks)
    result = CliRunner().invoke(main, ["status", str(register)])
    assert result.exit_code == 1
    assert "a problem the toolkit did not expect." in result.output and "nothing was left half-written" in result.output
    assert plain(result.output), result.output
    assert leaks(result.output) == [] and "Featherstonehaugh" not in result.output
    log = (register.parent / audit.LOG_NAME).read_text(encoding="utf-8")
    assert "failed command='status'" in log and "error='ValueError'" in log and "Featherstonehaugh" not in log  # for support
    assert "where='status_report.py line" in log
    debug = CliRunner().invoke(main, ["status", str(register)], env={audit.DEBUG_ENV: "1"})
    assert isinstance(debug.exception, ValueError)  # support can see the details when they ask for them


def test_the_installed_command_prints_no_traceback(register, tmp_path):
    """As an officer runs it: the console script in a fresh process, with the status engine broken."""
    script = tmp_path / "broken.py"
    script.write_text(
        "import sys\nfrom xl_complaints.core import status\n"
        "def breaks(*a, **k):\n    raise KeyError('Bronwen0 Featherstonehaugh0')\n"
        "status.assess = breaks\nfrom xl_complaints.cli import main\nmain(sys.argv[1:], prog_name='xl-complaints')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("XL_COMPLAINTS")}
    done = subprocess.run([sys.executable, str(script), "status", str(register)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: The command stopped at ") and "a problem the toolkit did not expect." in done.stderr
    assert plain(done.stderr) and "Featherstonehaugh" not in done.stdout + done.stderr


def test_the_log_filter_lets_through_only_what_event_writes(tmp_path):
    register = tmp_path / "R.xlsm"
    register.write_bytes(b"")
    audit.start(register, "letters")
    try:
        logging.getLogger(audit.LOGGER).warning("Wrote to Bronwen Featherstonehaugh")  # not an event: dropped
        logging.getLogger(audit.LOGGER).info("wrote %s", "Featherstonehaugh")  # arguments: dropped
        audit.event("wrote", written=2, references=["CSC-1", "Bronwen Featherstonehaugh"], letter="acknowledgement\nBronwen Featherstonehaugh",
                    out="Letter to Bronwen Featherstonehaugh\n", child_name="Tegan", rows="many")
    finally:
        audit.close()
    log = (tmp_path / audit.LOG_NAME).read_text(encoding="utf-8")
    assert "Featherstonehaugh" not in log and "Tegan" not in log
    assert "written=2" in log and "references=[CSC-1,[withheld]]" in log and "letter=[withheld]" in log and "out=[withheld]" in log
    assert "child_name=[withheld]" in log and "rows=[withheld]" in log
    if POSIX:
        assert stat.S_IMODE((tmp_path / audit.LOG_NAME).stat().st_mode) == 0o600


def test_a_folder_that_cannot_take_the_log_never_stops_a_command(register, tmp_path, monkeypatch):
    monkeypatch.setattr(audit, "log_path", lambda register: tmp_path / "no such folder" / audit.LOG_NAME)
    result = cli("status", register, "--as-of", AS_OF)
    assert result.exit_code == 0 and result.output.startswith("Register row,Reference")


# --- free text planted where a category, date or yes/no belongs -----------------------------------------

# Each value names someone or says something sensitive, typed where the register expects a list value,
# a date or Yes/No (as officers do), or into a personal column. None may leave the register.
PLANTED = {
    "Complainant ethnicity": "Zephyrine: autism",
    "Complainant disability": "Yes - Quillon has ADHD",
    "Child legal status": "CP plan since Tobiah moved",
    "Parental responsibility": "Ask Marisol first",
    "Complainant gender": "Leofric (trans)",
    "Complainant age band": "Hephzibah is 15",
    "Service": "Ravensworth family support",
    "Nature": "Grandad Eustace hit him",
    "S1 response sent": "rang Ottoline 3/4",
    "Date of events": "when Bartholomew left",
    "Child date of birth": "Perpetua's birthday",
    "S1 extended": "Cressida said maybe",
    "Complainant first name": "Gwendolyn",
    "Complainant last name": "Threlkeld",
    "Child name": "Alaric Threlkeld",
    "Address line 1": "14 Wisteria Mews",
    "Email": "gwendolyn.threlkeld@example.org",
}
PLANTED_WORDS = ("Zephyrine", "Quillon", "Tobiah", "Marisol", "Leofric", "Hephzibah", "Ravensworth", "Eustace", "Ottoline",
                 "Bartholomew", "Perpetua", "Cressida", "Gwendolyn", "Threlkeld", "Alaric", "Wisteria", "autism", "ADHD")


def planted_records() -> list[dict]:
    base = {"Date received": dt.date(2024, 6, 3), "Representation type": "Complaint", "Procedure": "Statutory",
            "Received from": "Parent", "How received": "Letter", "Complainant title": "Ms", "Postcode": "XL9 9QQ",
            "Responding manager": "Imogen Quarrie", "Manager job title": "Team Manager"}
    records = [{**base, "Reference": "CSC-PLANT1", **PLANTED},
               {**base, "Reference": "CSC-PLANT2", "Complainant last name": "Threlkeld", "Address line 1": "14 Wisteria Mews",
                "Complainant ethnicity": "Zephyrine: autism", "Date received": "Gwendolyn's letter"}]
    return records + sample.generate(30, seed=9, end=AS_OF)


def planted_in(text: str) -> list[str]:
    return [w for w in PLANTED_WORDS if w.lower() in text.lower()]


def test_planted_free_text_and_personal_values_never_leave_the_register(tmp_path):
    from xl_complaints.excel import workbook

    register = workbook.build(tmp_path / "R.xlsm", planted_records(), as_of=AS_OF)
    assert planted_in(text_of(register))  # the register holds them (the test would prove nothing otherwise)
    out = tmp_path / "out"
    out.mkdir()
    runs = [
        ("check", register),
        ("status", register, "--as-of", AS_OF),
        ("status", register, "--as-of", AS_OF, "--out", out / "status.csv"),
        ("status", register, "--as-of", AS_OF, "--out", out / "status.xlsx"),
        ("refresh", register, "--as-of", AS_OF, "--static"),
        ("letters", register, "--type", "acknowledgement", "--refs", "CSC-PLANT1,CSC-PLANT2", "--as-of", AS_OF),
        ("letters", register, "--type", "stage-1-response", "--refs", "CSC-PLANT1", "--as-of", AS_OF),
        ("stats", register, "--year", "2024", "--as-of", AS_OF, "--out", out / "stats.xlsx", "--word", out / "stats.docx"),
        ("stats", register, "--year", "2024", "--as-of", AS_OF, "--format", "json", "--out", out / "stats.json"),
        ("stats", register, "--year", "2024", "--as-of", AS_OF, "--format", "json"),
        ("retention", register, "--as-of", "2040-01-01"),
        ("restore", register),
    ]
    shown = []
    for args in runs:
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (args, repr(result.exception))
        assert planted_in(result.output) == [], (args[0], result.output)
        shown.append(result.output)
    everything = "\n".join(shown)
    # ... yet every planted cell is named by sheet, row and column, with what belongs there
    for header in PLANTED:
        if header not in ("Complainant first name", "Complainant last name", "Child name", "Address line 1", "Email"):
            assert f"column '{header}': is not" in everything, header
    assert "column 'Complainant ethnicity': is not one of the values on the Lists sheet (Not Stated, Not Asked, White British" in everything
    assert "CSC-PLANT1" in everything and "Refused" in everything  # the letters refused the rows, by reference
    for path in out.iterdir():
        assert planted_in(text_of(path)) == [], path.name
    log = (tmp_path / audit.LOG_NAME).read_text(encoding="utf-8")
    assert planted_in(log) == [] and "command='refresh'" in log
    book = openpyxl.load_workbook(register, read_only=True)
    calculated = "\n".join(str(v) for row in book[workbook.CALCULATED].iter_rows(values_only=True) for v in row if v is not None)
    book.close()
    assert "Complainant ethnicity: is not one of the values" in calculated  # the Problems column says what, not the value
    assert planted_in(calculated) == []
    xlsx = openpyxl.load_workbook(out / "status.xlsx", read_only=True)
    status_text = "\n".join(str(v) for row in xlsx.active.iter_rows(values_only=True) for v in row if v is not None)
    assert "Correct the row: " in status_text and planted_in(status_text) == []


# --- Excel's 32,767 characters ----------------------------------------------------------------------


def with_shared_string(register: Path, old: str, new: str) -> Path:
    """The register with one cell's text replaced, as a tool other than Excel could leave it
    (Excel, XlsxWriter and openpyxl all cut text at 32,767 characters; the file format does not)."""
    data = io.BytesIO()
    with zipfile.ZipFile(register) as src, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                assert part.count(f">{old}<".encode()) == 1
                part = part.replace(f">{old}<".encode(), f">{new}<".encode())
            dst.writestr(info, part)
    register.write_bytes(data.getvalue())
    return register


def test_a_cell_over_excels_limit_is_reported_by_check_and_no_command_writes_it(tmp_path):
    from xl_complaints.excel import workbook

    records = sample.generate(10, seed=3, end=AS_OF) + [{**ack_records()[0], "Team": "TEAM-TO-LENGTHEN"}]  # due an acknowledgement
    register = with_shared_string(workbook.build(tmp_path / "R.xlsm", records, as_of=AS_OF), "TEAM-TO-LENGTHEN", "Zephyrine said " + "x" * 40_000)
    before = register.read_bytes()
    row = workbook.FIRST_ROW + 10
    checked = cli("check", register)
    assert checked.exit_code == 1
    assert (f"error: Register row {row}, column 'Team': holds 40,015 characters, more than the 32,767 characters "
            "an Excel cell can hold: shorten it") in checked.output
    refreshed = CliRunner().invoke(main, ["refresh", str(register)])
    assert refreshed.exit_code == 1 and refreshed.output.startswith(
        f"Error: Refreshing the register was not done: Register row {row}, column 'Team' holds more than the 32,767 characters")
    assert register.read_bytes() == before and not writeback.backups(register)
    letter = CliRunner().invoke(main, ["letters", str(register), "--type", "acknowledgement", "--refs", "CSC-P0", "--as-of", ACK_DAY.isoformat()])
    assert letter.exit_code == 1 and "more than the 32,767 characters" in letter.output and not list(tmp_path.rglob("*.docx"))
    for result in (checked, refreshed, letter):
        assert "Zephyrine" not in result.output and plain(result.output)
    from xl_complaints.core.register import CellTooLong

    with pytest.raises(CellTooLong) as err:  # a register built from such a record (init, the sample) is refused too
        workbook.build(tmp_path / "new" / "N.xlsm", [{**ack_records()[0], "Team": "Zephyrine " + "x" * 40_000}], as_of=AS_OF)
    assert re.match(rf"The Register sheet was not written: Register row {workbook.FIRST_ROW}, column [A-Z]+ would hold 40,010 characters", str(err.value))
    assert not (tmp_path / "new" / "N.xlsm").exists()


def test_the_status_report_refuses_a_reference_excel_could_not_hold(tmp_path):
    from xl_complaints.excel import workbook

    records = sample.generate(5, seed=4, end=AS_OF)
    records[1]["Reference"] = "CSC-LONG"
    register = with_shared_string(workbook.build(tmp_path / "R.xlsm", records, as_of=AS_OF), "CSC-LONG", "CSC-" + "9" * 33_000)
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"status.{fmt}"
        result = CliRunner().invoke(main, ["status", str(register), "--out", str(out)])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: The status report was not written: Status row 3, column 'Reference' would hold")
        assert "33,004 characters" in result.output and not out.exists() and plain(result.output)
