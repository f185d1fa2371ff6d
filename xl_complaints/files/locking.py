"""One writer at a time: a lock file beside whatever a command is writing.

Two officers pressing Refresh at the same moment must not both read the old
register and each swap in their own copy: the second swap would silently throw
away the first. So every command that writes the register (or a letters folder)
first creates a small lock file with O_CREAT|O_EXCL, which exactly one process
can win, also between PCs on one network share. The loser waits a little, then
refuses with a sentence naming the PC and the time the other command started.

A command that was killed leaves its lock behind. On the same PC that is
noticed (its process has gone) and the lock is cleared; a lock from another PC
is never guessed at: the message says how to clear it. This does not reach
across OneDrive or SharePoint sync, where every PC writes its own copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

LOCK_SUFFIX = ".lock"
FOLDER_LOCK = "xl-complaints.lock"
WAIT_SECONDS = 60.0  # a refresh or a batch of letters takes seconds: wait that long for a colleague's
POLL_SECONDS = 0.1
UNREADABLE_STALE_SECONDS = 10.0  # a lock still empty this long was left by a command killed as it began


class Busy(RuntimeError):
    """Another command is writing the same register or folder."""


@dataclass(frozen=True)
class Holder:
    """Who holds a lock: enough to name them in a message, nothing personal."""

    pid: int
    host: str
    started: dt.datetime
    command: str

    def describe(self) -> str:
        where = "this PC" if self.host == this_host() else f"the PC {self.host}"
        return f"'{self.command}', started at {self.started:%H:%M on %d/%m/%Y} on {where}"


def this_host() -> str:
    return socket.gethostname() or "unknown"


def lock_path(target: str | Path) -> Path:
    """The lock for a file is beside it ('Complaints_Register.xlsm.lock'); a folder's is inside it."""
    target = Path(target)
    return target / FOLDER_LOCK if target.is_dir() else target.with_name(target.name + LOCK_SUFFIX)


LIBREOFFICE_LOCK = ".~lock.{name}#"  # LibreOffice's lock file beside a document it has open


@dataclass(frozen=True)
class OfficeLock:
    """Excel's (or Word's) owner file, or LibreOffice's lock file, for a document: who has it open."""

    path: Path
    program: str  # "Excel" or "LibreOffice"
    user: str | None = None  # the name the program records (its user name, else the login)
    host: str | None = None  # LibreOffice records the PC's name ...
    since: str | None = None  # ... and when the document was opened, as it wrote it ('01.12.2026 21:15')

    def who(self) -> str:
        """' by Jane Doe on PC-01 since 01.12.2026 21:15', or '' when the lock does not say."""
        out = f" by {self.user}" if self.user else ""
        if self.host:
            out += f" on {'this PC' if self.host == this_host() else 'the PC ' + self.host}"
        if self.since:
            out += f" since {self.since.replace('.', '/', 2)}"
        return out


def office_lock_files(path: str | Path) -> list[Path]:
    """The lock files of programs that have `path` open: Office's '~$' + name (and '~$' + name less
    two characters, the form Office uses for longer names), and LibreOffice's '.~lock.NAME#'."""
    return [lock.path for lock in office_locks(path)]


def office_locks(path: str | Path) -> list[OfficeLock]:
    """Who has `path` open in Excel, Word or LibreOffice, from the lock files beside it."""
    path = Path(path)
    names = {"~$" + path.name}
    if len(path.stem) > 6:
        names.add("~$" + path.name[2:])
    found = []
    for name in sorted(names):
        lock = path.with_name(name)
        if lock.exists():
            found.append(OfficeLock(lock, "Excel", read_owner_file(lock)))
    lock = path.with_name(LIBREOFFICE_LOCK.format(name=path.name))
    if lock.exists():
        user, host, since = read_libreoffice_lock(lock)
        found.append(OfficeLock(lock, "LibreOffice", user, host, since))
    return found


def read_owner_file(lock: Path) -> str | None:
    """The user name in Office's owner file ('~$...'), or None when it cannot be read.

    The file (162 bytes for Word, 165 for Excel) starts with the name's length
    in one byte and the name in the PC's 8-bit code page; at byte 54 (Word) or
    55 (Excel) the length again in two bytes and the name in UTF-16. This is
    how LibreOffice reads them too (svl/source/misc/msodocumentlockfile.cxx).
    """
    try:
        with open(lock, "rb") as f:
            data = f.read(256)
    except OSError:
        return None
    if len(data) < 162 or not 0 < data[0] <= 52:
        return None
    at = 54
    if data[at] == 0x20 and (data[at - 1] != 0 or data[at - 2] != 0):
        at = 55  # Excel's position
    length = data[at]
    if not 0 < length <= 52 or at + 2 + 2 * length > len(data):
        return None
    name = data[at + 2 : at + 2 + 2 * length].decode("utf-16-le", "replace").strip()
    return _printable(name)


def read_libreoffice_lock(lock: Path) -> tuple[str | None, str | None, str | None]:
    """(user, PC, when opened) from LibreOffice's lock file, any of them None when missing.

    One line of five fields separated by commas and ended by ';' (a backslash
    escapes either): the name set in LibreOffice, the login, the PC, the time
    ('DD.MM.YYYY hh:mm') and the profile's folder.
    """
    try:
        text = lock.read_bytes()[:4096].decode("utf-8", "replace")
    except OSError:
        return None, None, None
    fields, current, escaped = [], [], False
    for ch in text:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",;":
            fields.append("".join(current))
            current = []
            if ch == ";":
                break
        else:
            current.append(ch)
    fields += [""] * (5 - len(fields))
    user = _printable(fields[0]) or _printable(fields[1])
    return user, _printable(fields[2]), _printable(fields[3])


def _printable(text: str) -> str | None:
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return text[:80] or None


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running on this PC (never signals it)."""
    if pid <= 0:
        return False
    if sys.platform.startswith("win"):  # pragma: no cover - Windows; os.kill would terminate it there
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_holder(lock: Path) -> Holder | None:
    """The lock's holder, or None when the file is empty or unreadable (being written, or damaged)."""
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
        return Holder(int(data["pid"]), str(data["host"]), dt.datetime.fromisoformat(data["started"]), str(data["command"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _is_stale(lock: Path) -> bool:
    """Left by a command that has stopped: its process is gone from this PC, or it never got written."""
    holder = read_holder(lock)
    if holder is None:
        try:
            return time.time() - lock.stat().st_mtime > UNREADABLE_STALE_SECONDS
        except FileNotFoundError:
            return False
    return holder.host == this_host() and holder.pid != os.getpid() and not pid_alive(holder.pid)


def _break_stale(lock: Path) -> bool:
    """Remove a stale lock, making sure no other waiter removes a fresh lock that replaced it."""
    breaker = lock.with_name(lock.name + ".break")
    try:
        fd = os.open(breaker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with contextlib.suppress(FileNotFoundError):
            if time.time() - breaker.stat().st_mtime > UNREADABLE_STALE_SECONDS:
                breaker.unlink()
        return False
    os.close(fd)
    try:
        if lock.exists() and _is_stale(lock):  # looked at again, now that only we can break it
            lock.unlink()
            return True
        return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            breaker.unlink()


def _create(lock: Path, command: str) -> bool:
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        return False
    record = {"pid": os.getpid(), "host": this_host(), "started": dt.datetime.now().isoformat(timespec="seconds"), "command": command}
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(record, handle)
    return True


@dataclass
class Lock:
    path: Path
    cleared_stale: bool = False  # a lock left by a stopped command was removed first


@contextlib.contextmanager
def held(target: str | Path, command: str, wait: float | None = None) -> Iterator[Lock]:
    """Hold the lock for `target` while the block runs; wait up to `wait` seconds for another holder.

    Raises Busy (a sentence for the officer) when the lock stays taken, and
    PermissionError/OSError when the folder cannot be written at all.
    """
    target = Path(target)
    lock = lock_path(target)
    wait = WAIT_SECONDS if wait is None else wait
    deadline = time.monotonic() + wait
    cleared = False
    while not _create(lock, command):
        if _is_stale(lock) and _break_stale(lock):
            cleared = True
            continue
        if time.monotonic() >= deadline:
            raise Busy(busy_message(target, lock))
        time.sleep(POLL_SECONDS)
    try:
        yield Lock(lock, cleared)
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()


def busy_message(target: Path, lock: Path) -> str:
    holder = read_holder(lock)
    who = f"another xl-complaints command ({holder.describe()})" if holder else "another xl-complaints command"
    return (
        f"{target.name} is being written by {who}, so nothing was changed. Wait for it to finish and try again. "
        f"If no such command is still running, delete the file {lock.name} in {lock.parent} and try again."
    )
