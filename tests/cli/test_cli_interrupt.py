"""Ctrl+C while a command runs: a sentence, exit 130, the log says 'cancelled', and nothing half-written.

Run as the console script runs it (`xl-complaints = xl_complaints.cli:main`): a fresh process calls
`main()` with the officer's arguments, and a real SIGINT arrives while the command is working.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from xl_complaints.cli import main
from xl_complaints.files import audit, outputs, writeback

SENTENCE = "Stopped (Ctrl+C) before the command finished. Files are only put in place once they are complete"

# The step to interrupt: (module, function) patched to send the process a real Ctrl+C (SIGINT) part-way.
INTERRUPT_AT = {
    "status": ("xl_complaints.reports.status_report", "status_rows"),
    "refresh": ("xl_complaints.cli.register", "refresh_plan"),
}


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    path = tmp_path_factory.mktemp("reg") / "Complaints_Register.xlsm"
    result = CliRunner().invoke(main, ["init", str(path), "--sample", "40", "--as-of", "2026-11-20"])
    assert result.exit_code == 0, result.output
    return path


def interrupted(command: str, *args: str) -> subprocess.CompletedProcess:
    module, function = INTERRUPT_AT[command]
    code = (
        "import importlib, os, signal, sys, time\n"
        # Ctrl+C as a console delivers it, whatever this test run inherited: a runner started in the
        # background (nohup, '&', some CI) passes SIGINT on as ignored, and Python then never raises it.
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        f"module = importlib.import_module({module!r})\n"
        "def ctrl_c(*args, **kwargs):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(30)  # Python raises KeyboardInterrupt here, as it does when the officer presses Ctrl+C\n"
        f"setattr(module, {function!r}, ctrl_c)\n"
        "sys.argv = ['xl-complaints', *sys.argv[1:]]\n"
        "from xl_complaints.cli import main\n"
        "sys.exit(main())\n"
    )
    return subprocess.run([sys.executable, "-c", code, command, *args], capture_output=True, text=True, timeout=120)


def test_ctrl_c_during_the_status_report_is_a_sentence_and_writes_nothing(register, tmp_path):
    out = tmp_path / "status.xlsx"
    done = interrupted("status", str(register), "--as-of", "2026-11-20", "--out", str(out))
    assert done.returncode == 130, done.stderr
    assert SENTENCE in done.stderr and "nothing was left half-written" in done.stderr
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr and "Aborted" not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
    log = (register.parent / audit.LOG_NAME).read_text(encoding="utf-8")
    assert "stopped command='status'" in log.splitlines()[-1] and "outcome='cancelled'" in log.splitlines()[-1]


def test_ctrl_c_while_the_register_is_being_refreshed_leaves_it_as_it_was(register):
    before = register.read_bytes()
    backups = writeback.backups(register)
    done = interrupted("refresh", str(register), "--as-of", "2026-11-21")
    assert done.returncode == 130, done.stderr
    assert SENTENCE in done.stderr and "Traceback" not in done.stderr
    assert register.read_bytes() == before
    assert writeback.lock_files(register) == [] and writeback.backups(register) == backups
    left = [p.name for p in register.parent.iterdir() if p.name.startswith(outputs.TEMP_PREFIX) or ".writing-" in p.name]
    assert left == []  # no half-written copy left beside it
