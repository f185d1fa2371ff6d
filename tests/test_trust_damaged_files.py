"""Damaged, cut short, empty, renamed and password-protected registers: every command says what is
wrong in a sentence an officer understands (and how to get the last good copy back), never an
exception's name, a source file or a line of code, and a failed command never changes the file."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xl_complaints.files import outputs, reader, writeback

from xl_complaints.excel import workbook
from xl_complaints.cli import main
from xl_complaints.core.register import RegisterError

from test_trust_data_protection import plain

AS_OF = dt.date(2024, 6, 14)
RECORDS = [
    {"Reference": f"CSC-D{i}", "Date received": dt.date(2024, 6, 3), "Representation type": "Complaint", "Procedure": "Statutory",
     "Received from": "Parent", "Parental responsibility": "Yes", "How received": "Letter", "Complainant last name": "Quattlebaum",
     "Address line 1": "1 Acacia Road", "Postcode": "XL1 1QQ", "Responding manager": "Imogen Quarrie", "Manager job title": "Team Manager"}
    for i in range(4)
]


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> bytes:
    return workbook.build(tmp_path_factory.mktemp("good") / "R.xlsm", RECORDS, as_of=AS_OF).read_bytes()


def _register_part(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return reader._xlsx_parts(z)["Register"]


def _without(data: bytes, part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def _scrambled(data: bytes, part: str) -> bytes:
    """The Register sheet's compressed bytes overwritten in the middle, as a bad disk or a broken copy leaves them."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(part)
    header = data[info.header_offset : info.header_offset + 30]
    start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    middle = start + info.compress_size // 2
    return data[:middle] + bytes(64) + data[middle + 64 :]


def _word_document() -> bytes:
    import docx

    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Minutes of the complaints panel")
    document.save(out)
    return out.getvalue()


def _no_register_sheet() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Our notes", "Chased?"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _old_xls(tmp_path_factory) -> bytes:
    """An Excel 97-2003 workbook as LibreOffice saves one (File > Save As > .xls)."""
    exe = shutil.which("soffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("xls")
    source = folder / "old.xlsx"
    source.write_bytes(_no_register_sheet())
    profile = folder / "profile"
    subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xls", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=300)
    return (folder / "old.xls").read_bytes()


# name -> (how the file is made from the good register, its extension, words the sentence must say)
CASES = {
    "truncated": (lambda good, f: good[: len(good) * 3 // 5], ".xlsm", "damaged or cut short"),
    "empty": (lambda good, f: b"", ".xlsm", "it is empty (0 bytes)"),
    "scrambled part": (lambda good, f: _scrambled(good, _register_part(good)), ".xlsm", "cannot be read as a register"),
    "Register part missing": (lambda good, f: _without(good, _register_part(good)), ".xlsm", "'Register' sheet is listed but its contents are missing"),
    "no Register sheet": (lambda good, f: _no_register_sheet(), ".xlsm",
                          ("No sheet in R.xlsm has a header row with 'Reference' and 'Date received'",  # reading: any sheet with the headers
                           "R.xlsm cannot be read as a register: it has no 'Register' sheet (sheets found: 'Notes')")),  # writing back
    "Word document renamed": (lambda good, f: _word_document(), ".xlsm", "it is a Word document, not an Excel workbook"),
    "CSV renamed": (lambda good, f: b"Reference,Date received\r\nCSC-1,12/03/2024\r\n", ".xlsm", "it is a text file (a CSV or similar)"),
    "xls renamed xlsx": (lambda good, f: _old_xls(f), ".xlsx", "old-style Excel 97-2003 workbook (.xls)"),
    "password-protected": (lambda good, f: outputs.encrypt(good, "Tr0ub4dor&3"), ".xlsm", "is protected with a password"),
}


def _alternatives(words) -> tuple[str, ...]:
    return (words,) if isinstance(words, str) else words


@pytest.fixture(scope="module")
def damaged(good, tmp_path_factory) -> dict[str, tuple[bytes, str, str]]:
    return {name: (make(good, tmp_path_factory), suffix, words) for name, (make, suffix, words) in CASES.items()}


def _place(folder: Path, data: bytes, suffix: str, good: bytes | None = None) -> Path:
    """The damaged file as the register; with `good`, a backup of the good register in Backups/ first."""
    path = folder / f"R{suffix}"
    if good is not None:
        path.write_bytes(good)
        writeback.backup(path, dt.datetime(2024, 6, 13, 17, 5))
    path.write_bytes(data)
    return path


def _commands(path: Path, out: Path) -> list[tuple[str, ...]]:
    return [
        ("check", path),
        ("status", path, "--as-of", AS_OF),
        ("status", path, "--as-of", AS_OF, "--out", out / "status.xlsx"),
        ("refresh", path, "--as-of", AS_OF),
        ("letters", path, "--type", "acknowledgement", "--due", "--as-of", AS_OF, "--out", out / "Letters"),
        ("stats", path, "--year", "2024", "--as-of", AS_OF, "--out", out / "stats.xlsx"),
        ("retention", path, "--as-of", AS_OF),
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_every_command_says_in_a_sentence_what_is_wrong_and_changes_nothing(case, damaged, tmp_path):
    data, suffix, words = damaged[case]
    path = _place(tmp_path, data, suffix)
    out = tmp_path / "out"
    out.mkdir()
    for args in _commands(path, out):
        result = CliRunner().invoke(main, [str(a) for a in args])
        shown = result.output
        assert result.exit_code not in (0, None), (case, args[0], shown)
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (case, args[0], repr(result.exception))
        assert plain(shown), (case, args[0], shown)
        assert any(w in shown for w in _alternatives(words)), (case, args[0], shown)
        assert path.name in shown and "did not expect" not in shown, (case, args[0], shown)
        assert path.read_bytes() == data, (case, args[0])  # a failed command never changes the register
    assert not list(out.iterdir())  # no report, letter or statistics half-made from a damaged file
    assert not (tmp_path / "Backups").exists()  # nothing was written, so nothing was backed up


@pytest.mark.parametrize("case", ["truncated", "scrambled part", "Register part missing", "password-protected"])
def test_with_a_backup_the_sentence_says_restore_puts_back_the_last_good_copy_and_it_does(case, damaged, good, tmp_path):
    data, suffix, _ = damaged[case]
    path = _place(tmp_path, data, suffix, good=good)
    for args in (("check", path), ("refresh", path), ("status", path)):
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert result.exit_code not in (0, None) and plain(result.output), result.output
        assert ("Nothing was changed. To put back the last good copy (kept in Backups/ beside it on 13/06/2024 at 17:05), "
                'run: xl-complaints restore "R.xlsm" --latest') in result.output, result.output
    listed = CliRunner().invoke(main, ["restore", str(path)])
    assert listed.exit_code == 0 and plain(listed.output)
    restored = CliRunner().invoke(main, ["restore", str(path), "--latest"])
    assert restored.exit_code == 0 and plain(restored.output), restored.output
    assert path.read_bytes() == good
    assert CliRunner().invoke(main, ["check", str(path), ]).exit_code == 0


@pytest.mark.parametrize("case", ["truncated", "empty", "Word document renamed", "CSV renamed", "password-protected"])
def test_restore_refuses_a_damaged_backup_in_a_sentence(case, damaged, good, tmp_path):
    data, _, _ = damaged[case]
    path = _place(tmp_path, good, ".xlsm")
    bad = tmp_path / "Backups" / "R 2024-06-13 170500.xlsm"
    bad.parent.mkdir()
    bad.write_bytes(data)
    for args in (("restore", path), ("restore", path, "--backup", bad.name), ("restore", path, "--latest")):
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert plain(result.output), result.output
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), repr(result.exception)
    assert path.read_bytes() == good


def test_the_reader_names_each_problem_once_for_every_command(damaged, tmp_path):
    """One place recognises file problems: the reader's FileProblem, which every reading command shows as it is."""
    for case, (data, suffix, words) in damaged.items():
        folder = tmp_path / case.replace(" ", "-")
        folder.mkdir()
        path = _place(folder, data, suffix)
        with pytest.raises(RegisterError) as err:
            reader.read_register(path)
        assert isinstance(err.value, reader.FileProblem) and plain(str(err.value)), case
        assert any(w in str(err.value) for w in _alternatives(words)), case
        with pytest.raises(reader.FileProblem):
            reader.check_writable(path, "Refreshing the register")


def test_a_good_register_passes_the_writable_check(good, tmp_path):
    path = _place(tmp_path, good, ".xlsm")
    reader.check_writable(path, "Refreshing the register")
    assert reader.file_problem(path, sheet="Register", whole=True) is None


def test_an_unexpected_failure_on_a_damaged_register_says_what_is_wrong_with_the_file(damaged, tmp_path, monkeypatch):
    """Even when a library meets the damage first (here: refresh without the reader's check), the sentence is the reader's."""
    data, suffix, _ = damaged["truncated"]
    path = _place(tmp_path, data, suffix)
    from xl_complaints.cli import register as register_commands

    monkeypatch.setattr(register_commands, "check_writable", lambda *a, **k: None)
    result = CliRunner().invoke(main, ["refresh", str(path)])
    assert result.exit_code == 1 and plain(result.output), result.output
    assert "R.xlsm cannot be read as a register: it is damaged or cut short" in result.output
    assert path.read_bytes() == data


@pytest.mark.parametrize("damage", [lambda data: data[:500], lambda data: b"", lambda data: b"Dear {{ complainant_name }},\r\n"], ids=["cut short", "empty", "text"])
def test_a_damaged_letter_template_is_told_plainly_by_letters_and_templates_check(damage, good, tmp_path):
    path = _place(tmp_path, good, ".xlsm")
    templates = tmp_path / "templates"
    assert CliRunner().invoke(main, ["templates", "build", "--folder", str(templates)]).exit_code == 0
    for template in templates.glob("Acknowledgement*.docx"):
        template.write_bytes(damage(template.read_bytes()))
    written = CliRunner().invoke(main, ["letters", str(path), "--type", "acknowledgement", "--refs", "CSC-D0", "--as-of", AS_OF,
                                        "--templates", str(templates), "--out", str(tmp_path / "Letters")])
    checked = CliRunner().invoke(main, ["templates", "check", "--folder", str(templates)])
    for result in (written, checked):
        assert result.exit_code == 1 and plain(result.output), result.output
        assert "cannot be read as a Word document (it is damaged, cut short or not a .docx)" in result.output
    assert not list(tmp_path.rglob("CSC-D0*.docx"))
