"""Faults: a write killed at its worst moment, a full disk, a read-only folder, the register open in
Excel, two officers at once. The real command runs in a child process with one fault planted (a
small runner script replaces one function, e.g. os.replace, with one that kills the process, sleeps,
or fails as a full disk does); afterwards the register must be byte-for-byte what it was (or the whole
new one), open, keep its macros, and the backup must put it back."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from xl_complaints.files import locking, outputs, writeback

from xl_complaints.sample import complaints as sample

from xl_complaints.excel import workbook
from xl_complaints.cli import main

AS_OF = dt.date(2024, 6, 14)
ACK_DAY = dt.date(2024, 6, 13)  # the acknowledgements below are due on this day
ROOT = Path(__file__).resolve().parents[1]

RUNNER = textwrap.dedent(
    '''
    """Run xl-complaints with one fault planted: runner.py SPEC_JSON ARGS...

    SPEC: target (dotted name of the function to replace), action (kill | sleep | enospc | raise),
    nth (which matching call), when (before | after the real call), match (the call's last
    positional argument must end with this), seconds, message.
    """
    import importlib, json, os, signal, sys, time

    spec = json.loads(sys.argv[1])

    def resolve(dotted):
        parts = dotted.split(".")
        for i in range(len(parts) - 1, 0, -1):
            try:
                owner = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                continue
            for name in parts[i:-1]:
                owner = getattr(owner, name)
            return owner, parts[-1]
        raise SystemExit("cannot resolve " + dotted)

    owner, attr = resolve(spec["target"])
    real = getattr(owner, attr)
    seen = {"n": 0}

    def fault():
        action = spec["action"]
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif action == "sleep":
            time.sleep(spec["seconds"])
        elif action == "enospc":
            raise OSError(28, "No space left on device")
        elif action == "raise":
            raise ValueError(spec["message"])

    def planted(*args, **kwargs):
        match = spec.get("match")
        if match is None or (args and str(args[-1]).endswith(match)):
            seen["n"] += 1
            hit = seen["n"] == spec.get("nth", 1) or spec.get("every")
            if hit and spec.get("when", "before") == "before":
                fault()
            result = real(*args, **kwargs)
            if hit and spec.get("when") == "after":
                fault()
            return result
        return real(*args, **kwargs)

    setattr(owner, attr, planted)
    from xl_complaints.cli import main
    main(sys.argv[2:], prog_name="xl-complaints")
    '''
)


def ack_records(n: int = 6) -> list[dict]:
    """Complaints received on 12 June 2024 and not yet acknowledged: each needs a letter on the 13th."""
    return [
        {"Reference": f"CSC-T{i}", "Date received": dt.date(2024, 6, 12), "Representation type": "Complaint",
         "Procedure": "Statutory", "Received from": "Parent", "Parental responsibility": "Yes",
         "Complainant title": "Ms", "Complainant first name": f"Siân{i}", "Complainant last name": f"O'Neill-Test{i}",
         "Address line 1": f"{i} Quarry Lane", "Town": "Exampleton", "Postcode": "XE1 1AA",
         "Responding manager": "Pat Smithers", "Manager job title": "Team Manager", "How received": "Letter"}
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    records = sample.generate(40, seed=3, end=AS_OF) + ack_records()
    return workbook.build(tmp_path_factory.mktemp("orig") / "R.xlsm", records, as_of=AS_OF)


@pytest.fixture
def register(original, tmp_path) -> Path:
    path = tmp_path / original.name
    shutil.copyfile(original, path)
    return path


@pytest.fixture(scope="module")
def runner_script(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("runner") / "runner.py"
    path.write_text(RUNNER, encoding="utf-8")
    return path


def child_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XL_COMPLAINTS")}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(ROOT), MPLCONFIGDIR=tempfile.gettempdir(), **extra)
    return env


def faulty(runner_script: Path, spec: dict | None, *args, **popen) -> subprocess.Popen:
    command = [sys.executable, str(runner_script), json.dumps(spec or {"target": "os.getpid", "action": "none", "match": "never"}), *map(str, args)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(), **popen)


def run_faulty(runner_script, spec, *args, timeout=120) -> subprocess.CompletedProcess:
    process = faulty(runner_script, spec, *args)
    out, err = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def assert_whole_register(path: Path, original: Path) -> None:
    """Opens, every part reads back, the macros are the original's byte for byte."""
    assert writeback.is_whole_workbook(path)
    assert writeback.vba_project(path) == writeback.vba_project(original) is not None
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert workbook.REGISTER in wb.sheetnames and wb[workbook.REGISTER].tables.get(workbook.TABLE) is not None


def as_of_in(path: Path) -> dt.date:
    return openpyxl.load_workbook(path, keep_vba=True)[workbook.REGISTER]["B2"].value.date()


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# --- killed at the worst moment ---------------------------------------------------------------
# Every kill runs at once, each on its own copy of the register (a child process costs a second of
# imports; two cores halve that), then each test looks at what its kill left and carries on.

STATS_ARGS = ("--year", "2022", "--out", "stats.xlsx", "--as-of", AS_OF)
KILLS = {
    # refresh
    # the second sheet part being rewritten: the new copy is part-written, the register untouched
    "refresh while the new copy is half-written": ({"target": "xl_complaints.files.package.rewrite_sheet", "nth": 2}, ("refresh", "R.xlsm", "--as-of", "2024-07-01")),
    "refresh while the new copy is checked": ({"target": "xl_complaints.files.package.compare"}, ("refresh", "R.xlsm", "--as-of", "2024-07-01")),
    # the backup copies in 1 MiB pieces (the last argument): other callers of copyfileobj are not the backup
    "refresh while the backup is being copied": ({"target": "shutil.copyfileobj", "match": str(1 << 20)}, ("refresh", "R.xlsm", "--as-of", "2024-07-01")),
    "refresh after the backup, just before the swap": ({"target": "os.replace", "match": "R.xlsm"}, ("refresh", "R.xlsm", "--as-of", "2024-07-01")),
    "refresh just after the swap": ({"target": "os.replace", "match": "R.xlsm", "when": "after"}, ("refresh", "R.xlsm", "--as-of", "2024-07-01")),
    # init --force
    "init half-way through building": ({"target": "zipfile.ZipFile.writestr", "nth": 6}, ("init", "R.xlsm", "--force", "--as-of", "2024-07-01")),  # XlsxWriter builds in memory: one writestr per part
    "init before the swap": ({"target": "os.replace", "match": "R.xlsm"}, ("init", "R.xlsm", "--force", "--as-of", "2024-07-01")),
    # letters: killed as the third letter is given its name, or just after
    "letters before the third letter is named": ({"target": "os.link", "nth": 3}, ("letters", "R.xlsm", "--type", "acknowledgement", "--due", "--as-of", ACK_DAY)),
    "letters after the third letter is named": ({"target": "os.link", "nth": 3, "when": "after"}, ("letters", "R.xlsm", "--type", "acknowledgement", "--due", "--as-of", ACK_DAY)),
    # statistics, over an earlier export
    "stats before the swap": ({"target": "os.replace", "match": "stats.xlsx"}, ("stats", "R.xlsm", *STATS_ARGS)),
    "stats half-way through the workbook": ({"target": "zipfile.ZipFile.write", "nth": 5}, ("stats", "R.xlsm", *STATS_ARGS)),
}


@pytest.fixture(scope="module")
def killed(original, runner_script, tmp_path_factory) -> dict:
    """{moment: (folder, finished child process)} for every kill above."""
    earlier_stats = tmp_path_factory.mktemp("stats") / "stats.xlsx"
    assert cli("stats", original, "--year", "2023", "--out", earlier_stats, "--as-of", AS_OF).exit_code == 0
    started = {}
    for moment, (spec, args) in KILLS.items():
        folder = tmp_path_factory.mktemp("killed")
        shutil.copyfile(original, folder / "R.xlsm")
        os.chmod(folder / "R.xlsm", 0o600)  # as init makes it
        if args[0] == "stats":
            shutil.copyfile(earlier_stats, folder / "stats.xlsx")
        started[moment] = (folder, faulty(runner_script, {**spec, "action": "kill"}, *args, cwd=folder))
    done = {}
    for moment, (folder, process) in started.items():
        out, err = process.communicate(timeout=180)
        done[moment] = (folder, subprocess.CompletedProcess(process.args, process.returncode, out, err))
    done["earlier stats"] = earlier_stats
    return done


def after_kill(killed, moment) -> Path:
    folder, process = killed[moment]
    assert process.returncode == -signal.SIGKILL, (moment, process.stdout, process.stderr)  # the fault really fired
    return folder


@pytest.mark.parametrize("moment", [m for m in KILLS if m.startswith("refresh") and "after the swap" not in m])
def test_refresh_killed_leaves_the_register_as_it_was_and_the_next_run_works(killed, original, moment):
    register = after_kill(killed, moment) / "R.xlsm"
    assert register.read_bytes() == original.read_bytes()
    assert_whole_register(register, original)
    assert locking.lock_path(register).exists()  # the killed command could not tidy up ...
    left = list(register.parent.glob("R.writing-*"))
    assert len(left) == 1, left  # killed before the swap: the new copy is still beside it
    for copy in left:  # ... but what it left is as private as the register, never world-readable
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600, moment
    damaged = [b for b in writeback.backups(register) if not writeback.is_whole_workbook(b)]
    assert len(damaged) == (1 if "backup is being copied" in moment else 0)
    for backup in damaged:  # a backup cut short is listed as damaged and never put back
        assert "(damaged: cannot be restored)" in cli("restore", register).output
        refused = cli("restore", register, "--backup", backup)
        assert refused.exit_code == 1 and "not a complete workbook" in refused.output
        assert register.read_bytes() == original.read_bytes()
    again = cli("refresh", register, "--as-of", "2024-07-01")
    assert again.exit_code == 0, again.output  # ... and the next one clears its lock and leftovers
    assert "lock file left by an earlier command" in again.output
    assert as_of_in(register) == dt.date(2024, 7, 1)
    assert not locking.lock_path(register).exists()
    assert sorted(p.name for p in register.parent.iterdir()) == ["Backups", "R.xlsm", "xl-complaints.log"]
    restored = cli("restore", register, "--latest")
    assert restored.exit_code == 0, restored.output
    assert register.read_bytes() == original.read_bytes()  # the backup puts the original back, byte for byte


def test_refresh_killed_just_after_the_swap_leaves_the_new_register_whole(killed, original):
    register = after_kill(killed, "refresh just after the swap") / "R.xlsm"
    assert_whole_register(register, original)
    assert as_of_in(register) == dt.date(2024, 7, 1)
    (kept,) = writeback.backups(register)
    assert kept.read_bytes() == original.read_bytes()
    assert cli("refresh", register, "--as-of", "2024-07-02").exit_code == 0  # stale lock cleared
    listed = cli("restore", register)
    assert listed.output.index(writeback.backups(register)[0].name) < listed.output.index(kept.name)  # newest first
    assert cli("restore", register, "--backup", kept.name).exit_code == 0
    assert register.read_bytes() == original.read_bytes()


@pytest.mark.parametrize("moment", [m for m in KILLS if m.startswith("init")])
def test_init_force_killed_leaves_the_old_register(killed, original, moment):
    register = after_kill(killed, moment) / "R.xlsm"
    assert register.read_bytes() == original.read_bytes()
    assert_whole_register(register, original)
    assert cli("init", register, "--force", "--as-of", "2024-07-01").exit_code == 0
    assert writeback.is_whole_workbook(register) and register.read_bytes() != original.read_bytes()
    assert cli("restore", register, "--latest").exit_code == 0
    assert register.read_bytes() == original.read_bytes()


def letter_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.docx") if not p.name.startswith(outputs.TEMP_PREFIX))


def assert_whole_letter(path: Path) -> None:
    import docx

    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    assert "O'Neill-Test" in "\n".join(p.text for p in docx.Document(path).paragraphs)


@pytest.mark.parametrize("moment", [m for m in KILLS if m.startswith("letters")])
def test_letters_killed_mid_batch_never_leave_a_half_letter_and_the_rerun_completes_it(killed, moment):
    register = after_kill(killed, moment) / "R.xlsm"
    folder = register.parent / "Letters"
    done = letter_files(folder)
    assert len(done) == (3 if "after" in moment else 2)
    for path in done:
        assert_whole_letter(path)
    rerun = cli("letters", register, "--type", "acknowledgement", "--due", "--as-of", ACK_DAY)
    assert rerun.exit_code == 0, rerun.output
    final = letter_files(folder)
    assert len(final) == 6 and not any("(2)" in p.name for p in final)  # each complaint's letter exactly once
    assert {p.parent.name for p in final} == {f"CSC-T{i}" for i in range(6)}
    for path in final:
        assert_whole_letter(path)


@pytest.mark.parametrize("moment", [m for m in KILLS if m.startswith("stats")])
def test_stats_killed_leaves_the_earlier_statistics(killed, moment):
    out = after_kill(killed, moment) / "stats.xlsx"
    assert out.read_bytes() == killed["earlier stats"].read_bytes()
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None


# --- two officers at once ------------------------------------------------------------------------


def test_two_refreshes_at_once_run_one_after_the_other_and_lose_nothing(register, original, runner_script):
    slow = {"target": "os.replace", "match": "R.xlsm", "action": "sleep", "seconds": 0.6}
    first = faulty(runner_script, slow, "refresh", register, "--as-of", "2024-07-01")
    second = faulty(runner_script, slow, "refresh", register, "--as-of", "2024-07-02")
    results = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    older, newer = reversed(writeback.backups(register))
    assert older.read_bytes() == original.read_bytes()
    # the second writer read the first writer's register, not the original: no write was lost
    assert {as_of_in(newer), as_of_in(register)} == {dt.date(2024, 7, 1), dt.date(2024, 7, 2)}
    assert_whole_register(register, original)
    assert not locking.lock_path(register).exists()


def test_two_letter_batches_at_once_write_each_letter_once(register, runner_script):
    slow = {"target": "os.link", "action": "sleep", "seconds": 0.15, "every": True}
    args = ("letters", register, "--type", "acknowledgement", "--due", "--as-of", ACK_DAY)
    batches = [faulty(runner_script, slow, *args), faulty(runner_script, slow, *args)]
    outputs_ = [p.communicate(timeout=120) for p in batches]
    assert [p.returncode for p in batches] == [0, 0], outputs_
    final = letter_files(register.parent / "Letters")
    assert len(final) == 6 and not any("(2)" in p.name for p in final)
    assert sum("Already written before" in out for out, _ in outputs_) == 1


def test_a_lock_from_another_pc_is_never_broken_and_the_message_says_what_to_do(register, monkeypatch):
    assert cli("refresh", register).exit_code == 0  # a backup to restore
    monkeypatch.setattr(locking, "WAIT_SECONDS", 0.3)
    lock = locking.lock_path(register)
    lock.write_text(json.dumps({"pid": 1, "host": "PC-ELSEWHERE", "started": "2024-07-01T09:15:00", "command": "refresh"}))
    before = register.read_bytes()
    for args in (("refresh", register), ("init", register, "--force"), ("restore", register, "--latest")):
        result = cli(*args)
        assert result.exit_code == 1
        assert "PC-ELSEWHERE" in result.output and "09:15 on 01/07/2024" in result.output
        assert f"delete the file {lock.name}" in result.output
    assert register.read_bytes() == before and lock.exists()


def test_a_lock_left_by_a_killed_command_on_this_pc_is_cleared(register):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = locking.lock_path(register)
    lock.write_text(json.dumps({"pid": dead.pid, "host": locking.this_host(), "started": "2024-07-01T09:15:00", "command": "refresh"}))
    assert cli("refresh", register).exit_code == 0
    assert not lock.exists()


def test_an_empty_lock_is_waited_for_then_cleared_when_old(register, monkeypatch):
    monkeypatch.setattr(locking, "WAIT_SECONDS", 0.2)
    lock = locking.lock_path(register)
    lock.write_text("")  # killed between creating the lock and writing who holds it
    assert "being written by another" in cli("refresh", register).output
    old = dt.datetime.now().timestamp() - 60
    os.utime(lock, (old, old))
    assert cli("refresh", register).exit_code == 0 and not lock.exists()


# --- the register open in Excel ----------------------------------------------------------------


def test_every_command_that_writes_the_register_refuses_while_excel_has_it_open(register):
    register = register.rename(register.with_name("Complaints_Register.xlsm"))
    assert cli("refresh", register).exit_code == 0  # a backup to restore
    (kept,) = writeback.backups(register)
    before = register.read_bytes()
    for lock in ("~$" + register.name, "~$" + register.name[2:]):  # Office's two forms of the name
        (register.parent / lock).write_text("owner")
        for args in (("refresh", register), ("init", register, "--force"), ("restore", register, "--backup", kept)):
            result = cli(*args)
            assert result.exit_code == 1 and "is open in Excel" in result.output and "Close it" in result.output, args
            assert "Traceback" not in result.output
        assert register.read_bytes() == before
        (register.parent / lock).unlink()


def test_readers_say_they_use_the_last_saved_version_and_outputs_open_in_excel_are_refused(register):
    (register.parent / ("~$" + register.name)).write_text("owner")
    result = cli("status", register, "--out", register.parent / "s.csv")
    assert result.exit_code == 0 and "last saved version" in result.output
    out = register.parent / "stats.xlsx"
    assert cli("stats", register, "--year", "2023", "--out", out).exit_code == 0
    before = out.read_bytes()
    (register.parent / "~$stats.xlsx").write_text("owner")
    refused = cli("stats", register, "--year", "2022", "--out", out)
    assert refused.exit_code == 1 and "open in Excel or Word" in refused.output
    assert out.read_bytes() == before


# --- a full disk ------------------------------------------------------------------------------------


def test_a_full_disk_during_refresh_leaves_nothing_half_written(register, original, monkeypatch):
    real = writeback.shutil.copyfileobj

    def fills_up(source, target, length=0):
        if writeback.BACKUP_FOLDER not in str(getattr(target, "name", "")):
            return real(source, target, length)
        target.write(source.read(1000))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writeback.shutil, "copyfileobj", fills_up)  # the backup copy runs out of room
    result = cli("refresh", register)
    assert result.exit_code == 1 and "The disk is full" in result.output and "R.xlsm was left as it was" in result.output
    monkeypatch.setattr(writeback.shutil, "copyfileobj", real)
    assert register.read_bytes() == original.read_bytes()
    assert sorted(p.name for p in register.parent.iterdir()) == ["Backups", "R.xlsm", "xl-complaints.log"]
    assert list((register.parent / "Backups").iterdir()) == []  # the partial backup was removed


def test_a_full_disk_while_saving_exports_and_letters(register, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    out = register.parent / "stats.xlsx"
    monkeypatch.setattr(os, "fsync", full)
    for args in (("stats", register, "--year", "2023", "--out", out),
                 ("status", register, "--format", "xlsx", "--out", register.parent / "s.xlsx"),
                 ("letters", register, "--type", "acknowledgement", "--due", "--as-of", ACK_DAY)):
        result = cli(*args)
        assert result.exit_code == 1 and "The disk is full" in result.output, (args, result.output)
        assert "Traceback" not in result.output and "Errno" not in result.output
    monkeypatch.undo()
    left = [p.name for p in register.parent.rglob("*") if p.is_file()]
    assert sorted(left) == ["R.xlsm", "xl-complaints.log"]


def test_a_full_disk_under_xlsxwriter_is_a_sentence_too(register, original, monkeypatch):
    """XlsxWriter wraps the disk's error in its own FileCreateError: still 'The disk is full'."""
    import xlsxwriter.workbook

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook, "ZipFile", full)
    for args in (("init", register, "--force"), ("stats", register, "--year", "2023"),
                 ("status", register, "--out", register.parent / "s.xlsx")):
        result = cli(*args)
        assert result.exit_code == 1 and "The disk is full" in result.output and "did not expect" not in result.output, result.output
    monkeypatch.undo()
    assert register.read_bytes() == original.read_bytes()
    assert sorted(p.name for p in register.parent.rglob("*") if p.is_file()) == ["R.xlsm", "xl-complaints.log"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this platform")
def test_writing_to_a_full_device_says_the_disk_is_full(register):
    for args in (("stats", register, "--year", "2023", "--format", "json", "--out", "/dev/full"),
                 ("status", register, "--out", "/dev/full")):
        result = cli(*args)
        assert result.exit_code == 1 and "The disk is full" in result.output, result.output
    assert Path("/dev/full").is_char_device()  # never swapped for a regular file


FULL_DISK_SCRIPT = textwrap.dedent(
    '''
    import json, os, shutil, subprocess, sys
    folder, register, runner, room = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder], check=True)
    target = os.path.join(folder, "R.xlsm")
    shutil.copyfile(register, target)

    def leave_free(free):
        st = os.statvfs(folder)
        with open(os.path.join(folder, "filler"), "ab") as f:
            f.write(b"x" * max(st.f_bavail * st.f_frsize - free, 0))

    runs = []
    for free, args in ((room, ["refresh", target]), (8192, ["stats", target, "--year", "2023"]),
                       (8192, ["letters", target, "--type", "acknowledgement", "--due", "--as-of", "2024-06-13"])):
        leave_free(free)
        p = subprocess.run([sys.executable, runner, json.dumps({"target": "os.getpid", "action": "none", "match": "never"}), *args],
                           capture_output=True, text=True)
        runs.append([p.returncode, p.stdout + p.stderr])
    files = sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs)
    print(json.dumps({"runs": runs, "files": files, "same": open(target, "rb").read() == open(register, "rb").read()}))
    '''
)


def test_a_really_full_disk(original, runner_script, tmp_path):
    """On a tiny real file system (tmpfs in a private mount namespace): skipped where that is not allowed."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs unshare and root to mount a small file system")
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("mount namespaces are not allowed here")
    script = tmp_path / "full.py"
    script.write_text(FULL_DISK_SCRIPT)
    folder = tmp_path / "disk"
    folder.mkdir()
    # room for the new copy of the register, not for its backup as well
    room = original.stat().st_size + 40_000
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", sys.executable, str(script), str(folder), str(original), str(runner_script), str(room)],
                          capture_output=True, text=True, env=child_env(), timeout=180)
    if done.returncode != 0 and "mount" in done.stderr:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()[-200:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for code, text in report["runs"]:
        assert code == 1 and "The disk is full" in text and "Traceback" not in text, text
    assert report["same"]  # the register, byte for byte
    assert set(report["files"]) - {"xl-complaints.log"} == {"R.xlsm", "filler"}, report["files"]  # no partial copies


# --- a read-only folder ------------------------------------------------------------------------------


def _read_only_runner() -> list[str] | None:
    """How to run a command that cannot write the folder: as 'nobody' (root ignores permissions)."""
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    # 'nobody' must also be able to read the checkout and the virtualenv (not so under a private
    # folder such as one made by `mktemp -d`): otherwise there is nothing to test here.
    probe = subprocess.run([*prefix, sys.executable, "-c", "import xl_complaints.cli"], capture_output=True, cwd=tempfile.gettempdir())
    return prefix if probe.returncode == 0 else None


def test_a_read_only_folder_is_refused_with_a_sentence_and_reading_still_works(original):
    prefix = _read_only_runner()
    if prefix is None:
        pytest.skip("cannot run the toolkit without write permission here (needs setpriv as root, or a normal user, who can read the checkout)")
    folder = Path(tempfile.mkdtemp(prefix="xl-complaints-ro-"))
    try:
        register = folder / "R.xlsm"
        shutil.copyfile(original, register)
        os.chmod(register, 0o644)
        os.chmod(folder, 0o555)
        env = child_env(HOME=tempfile.gettempdir())

        def start(*args):
            command = [*prefix, sys.executable, "-c", "from xl_complaints.cli import main; main(prog_name='xl-complaints')", *map(str, args)]
            return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tempfile.gettempdir())

        writers = [("refresh", register),
                   ("letters", register, "--type", "acknowledgement", "--due", "--as-of", ACK_DAY),
                   ("stats", register, "--year", "2023")]
        started = [start(*args) for args in writers] + [start("status", register)]  # none of them changes anything
        results = [(p, *p.communicate(timeout=120)) for p in started]
        for args, (process, out, err) in zip(writers, results):
            assert process.returncode == 1, (args, out, err)
            assert "read-only" in err and "Traceback" not in err, (args, err)
        reader, out, err = results[-1]
        assert reader.returncode == 0 and out.startswith("Register row,Reference"), err
        assert register.read_bytes() == original.read_bytes()
        assert sorted(p.name for p in folder.iterdir()) == ["R.xlsm"]
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)
