"""The audit log, and plain sentences instead of tracebacks.

Each command notes what it did in `xl-complaints.log` beside the register:
when, which command, on which PC and login, counts, and the references of the
complaints it wrote about. Never a name, an address or any other cell of the
register: a filter lets through only records made by `event`, whose fields are
on a fixed list and whose values are numbers, dates, words from the toolkit's
own vocabulary or references. Anything else is written as '[withheld]'. The
log is owner-only where the platform supports it; a folder that cannot take
it never stops a command.

An error the toolkit did not expect is shown as one plain sentence, never its
message, its name or a traceback (the message could quote a cell of the
register; the rest means nothing to an officer). When the register itself is
the trouble (damaged, cut short, renamed, password-protected), the reader's
sentence for that is shown instead. The log records the error's kind and the
module for support; XL_COMPLAINTS_DEBUG=1 shows the traceback.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import logging.handlers
import os
import re
import socket
import traceback
from pathlib import Path

from ..core.schema import REFERENCE_PATTERN

LOG_NAME = "xl-complaints.log"
LOGGER = "xl_complaints.files.audit"
DEBUG_ENV = "XL_COMPLAINTS_DEBUG"
MAX_BYTES = 1_000_000
KEEP = 5
WITHHELD = "[withheld]"
MAX_REFERENCES = 200

# Fields an event may carry, and what each may hold.
COUNTS = frozenset({
    "rows", "written", "refused", "skipped", "errors", "warnings", "red", "amber", "check", "holidays",
    "expired", "pdf", "year", "backups", "exit_code", "cleared_stale_lock",
})
WORDS = frozenset({
    "register", "out", "format", "letter", "backup", "restored_from", "block", "outcome", "error", "where",
    "command", "user", "host", "protected", "static", "as_of",
})
REFERENCES = "references"
_WORD = re.compile(r"[\w .,:()'/+-]{0,120}")  # one line of ordinary characters (fullmatch)
_REFERENCE = REFERENCE_PATTERN  # the schema's: the only cell values that may be logged

_logger = logging.getLogger(LOGGER)
_logger.propagate = False
_logger.setLevel(logging.INFO)
_context: dict = {}
_register_path: list[Path] = []  # the register the command works on, to recognise a damaged file (never logged)


class AuditFilter(logging.Filter):
    """Only `event` records pass, each field checked against what it may hold."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = getattr(record, "audit", None)
        if not isinstance(fields, dict) or not _WORD.fullmatch(str(record.msg)) or record.args:
            return False
        record.audit_text = " ".join(f"{name}={_safe(name, value)}" for name, value in fields.items())
        return True


def _safe(name: str, value) -> str:
    if name == REFERENCES:
        refs = [str(r) for r in (value or ())]
        shown = [r if _REFERENCE.fullmatch(r) else WITHHELD for r in refs[:MAX_REFERENCES]]
        more = f",+{len(refs) - MAX_REFERENCES} more" if len(refs) > MAX_REFERENCES else ""
        return "[" + ",".join(shown) + more + "]"
    if name in COUNTS:
        return str(int(value)) if isinstance(value, (int, bool)) else WITHHELD
    if name in WORDS:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, Path):
            value = value.name  # file names only: folders can be named after people
        text = str(value)
        return repr(text) if _WORD.fullmatch(text) else WITHHELD
    return WITHHELD


def log_path(register: str | Path) -> Path:
    return Path(register).resolve().parent / LOG_NAME


def start(register: str | Path, command: str, new: bool = False) -> None:
    """Open the log beside the register for this command (quietly skipped when it cannot be written).

    Only beside a register that exists, unless the command is making a `new` one.
    """
    close()
    _register_path[:] = [Path(register)]  # even when no log can be written beside it
    if not new and not Path(register).is_file():
        return
    path = log_path(register)
    try:
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.close(fd)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8", delay=False)
    except OSError:
        return
    handler.addFilter(AuditFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s %(audit_text)s", "%Y-%m-%d %H:%M:%S"))
    _logger.addHandler(handler)
    _context.update(command=command, register=Path(register).name)
    try:
        user = getpass.getuser()
    except Exception:  # no login name on this platform
        user = "unknown"
    event("started", user=user, host=socket.gethostname())


def event(action: str, **fields) -> None:
    """Note one thing the command did: counts, dates, words of our own, references."""
    if not _logger.handlers:
        return
    _logger.info(action, extra={"audit": {"command": _context.get("command", ""), "register": _context.get("register", ""), **fields}})


def close() -> None:
    for handler in list(_logger.handlers):
        _logger.removeHandler(handler)
        handler.close()
    _context.clear()
    _register_path.clear()


# --- errors nobody expected ------------------------------------------------------------------------


def unexpected_message(err: BaseException, register: Path | None = None) -> str:
    """A sentence for an officer: what happened and what to do, never the error's message, name or place.

    When the register is itself the trouble, the reader says how (and how to get the last good copy back).
    """
    if register is not None:
        from .reader import REGISTER_SHEET, file_problem

        try:
            problem = file_problem(register, sheet=REGISTER_SHEET, whole=True)
        except Exception:  # the check itself failed: say the general sentence
            problem = None
        if problem:
            return problem
    when = dt.datetime.now().strftime("%H:%M on %d/%m/%Y")
    return (
        f"The command stopped at {when} because of a problem the toolkit did not expect. "
        "Files are only put in place once they are complete, so nothing was left half-written. "
        f"Please tell whoever supports xl-complaints the command you ran and when; the log {LOG_NAME} beside the register "
        f"notes what went wrong (setting {DEBUG_ENV}=1 shows the technical details)."
    )


def failure_fields(err: BaseException) -> dict:
    """What the log keeps of an unexpected error, for support: its kind and our module it came through."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if f"{os.sep}xl_complaints{os.sep}" in f.filename or "/xl_complaints/" in f.filename]
    last = (ours or frames or [None])[-1]
    return {"error": type(err).__name__, "where": f"{Path(last.filename).name} line {last.lineno}" if last else ""}


def current_register() -> Path | None:
    """The register the running command works on (to recognise a damaged file; never logged)."""
    return _register_path[0] if _register_path else None
