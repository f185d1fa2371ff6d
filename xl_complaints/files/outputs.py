"""Files written for officers (reports, statistics, letters, backups): whole or not at all, owner-only.

Every file is first written under a temporary name in the same folder, with
owner-only permissions from the moment it exists, flushed to the disk, and
only then given its real name in one step. A crash, a full disk or a killed
process therefore leaves the earlier file as it was and never a half-written
one under the real name. Letters are never overwritten: a second letter of the
same name gets ' (2)'.

A password, when given, encrypts Word and Excel files the way Office does
(msoffcrypto-tool, ECMA-376 agile encryption): Word and Excel ask for it on
opening. It is read from a file or the XL_COMPLAINTS_PASSWORD environment
variable, never from the command line, where other users of the PC and the
shell history could see it.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import io
import os
import stat
import sys
import time
import traceback
import uuid
from pathlib import Path
from typing import Callable

OWNER_ONLY = 0o600
PASSWORD_ENV = "XL_COMPLAINTS_PASSWORD"
ENCRYPTABLE = (".xlsx", ".xlsm", ".docx")
TEMP_PREFIX = ".~xl-complaints-"  # hidden while being written; never matches a letter's or register's name
TEMP_SUFFIX = ".tmp"
LEFTOVER_SECONDS = 3600  # temporary files older than this were left by a command that was stopped
MAX_COPIES = 999  # 'name (2)' ... 'name (999)': a file never overwrites one of the same name
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet take a cell's text for a formula


class OutputError(RuntimeError):
    """A file could not be written; the sentence says why and what was left as it was."""


# --- messages ----------------------------------------------------------------------------------


def plain_os_error(err: OSError, what: str, unchanged: str = "Nothing was changed") -> str:
    """An operating-system error as a sentence for an officer: no paths of temporary files, no codes."""
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"The disk is full, so {what} could not be saved. {unchanged}: free some space and try again."
    if isinstance(err, PermissionError) or err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"{what[:1].upper()}{what[1:]} could not be saved: the folder is read-only, you do not have permission "
            f"to write there, or the file is open in another program. {unchanged}."
        )
    missing = missing_folder(err)
    if missing is not None:
        return (
            f"{what[:1].upper()}{what[1:]} could not be saved: there is no folder {missing}. "
            f"Create that folder, or choose another that exists. {unchanged}."
        )
    reason = err.strerror or type(err).__name__
    return f"{what[:1].upper()}{what[1:]} could not be saved ({reason}). {unchanged}."


def missing_folder(err: OSError) -> Path | None:
    """The folder a file was to be saved in, when 'No such file or directory' means it does not exist."""
    if err.errno != errno.ENOENT or not err.filename:
        return None
    folder = Path(os.fsdecode(err.filename)).parent
    return None if folder.exists() else folder


def os_error_in(err: BaseException) -> OSError | None:
    """The operating-system error behind `err`, also when a library wrapped it in its own exception
    (XlsxWriter raises FileCreateError for a full disk)."""
    seen = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, OSError):
            return err
        seen.add(id(err))
        err = err.__cause__ or err.__context__ or next((a for a in getattr(err, "args", ()) if isinstance(a, OSError)), None)
    return None


def release_quietly(err: BaseException) -> None:
    """Let go of what a failed writer left open, without Python printing a second traceback.

    A writer that failed on a full disk leaves a file object in its frames;
    when that is collected, its close fails again and Python would print
    'Exception ignored in ...' with a traceback.
    """
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        while err is not None:
            if err.__traceback__ is not None:
                traceback.clear_frames(err.__traceback__)
            err = err.__cause__ or err.__context__
        gc.collect()
    finally:
        sys.unraisablehook = previous


def require_suffix(path: Path | None, suffixes: tuple[str, ...], what: str, option: str) -> None:
    """Refuse an output name whose extension is not the file's format (CSV in a .pdf opens as nonsense).

    `what` is the plural the sentence starts with ('Status reports'). A device
    such as /dev/stdout has no extension and is let be.
    """
    if path is None or path.suffix.lower() in suffixes or (path.exists() and not path.is_file()):
        return
    ending = "one of those" if len(suffixes) > 1 else suffixes[0]
    raise OutputError(f"{what} are saved as {' or '.join(suffixes)}: give {option} a name ending in {ending}.")


# --- permissions and durability ------------------------------------------------------------------


def owner_only(path: str | Path) -> None:
    """Owner read and write only (where the platform has such permissions)."""
    with contextlib.suppress(OSError, NotImplementedError):
        os.chmod(path, OWNER_ONLY)


_CANNOT_FSYNC = (errno.EBADF, errno.EINVAL, getattr(errno, "ENOTSUP", -1), getattr(errno, "EOPNOTSUPP", -1))


def fsync_file(path: str | Path) -> None:
    """Make sure the file's bytes are on the disk before it is renamed into place.

    A disk that fills up or fails while flushing raises; a file system that
    cannot flush at all (some network shares) is let be.
    """
    flags = (os.O_RDWR if os.name == "nt" else os.O_RDONLY) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    except OSError as err:
        if err.errno not in _CANNOT_FSYNC:
            raise
    finally:
        os.close(fd)


def fsync_folder(folder: str | Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to flush)."""
    if os.name != "posix":  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temporary_name(path: Path) -> Path:
    """A private name in the same folder (so the final rename is atomic), keeping the extension."""
    return path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}-{path.stem}{TEMP_SUFFIX}{path.suffix}")


def create_private(path: Path) -> None:
    """Create an empty file only the owner can read, failing if it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), OWNER_ONLY)
    os.close(fd)
    owner_only(path)


def clear_leftovers(folder: Path, older_than: float = LEFTOVER_SECONDS) -> int:
    """Remove temporary files a stopped command left in `folder`; how many were removed."""
    removed = 0
    now = time.time()
    with contextlib.suppress(OSError):
        for leftover in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}*"):
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime >= older_than:
                    leftover.unlink()
                    removed += 1
    return removed


def formula_safe(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV and formula injection).

    The one guard for every cell the toolkit writes as text: the status report's
    CSV and the values the Excel buttons put in the open register (udfs).
    """
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


# --- writing ---------------------------------------------------------------------------------------


def write_file(path: str | Path, produce: Callable[[Path], object], what: str | None = None, password: str | None = None) -> Path:
    """Write `path` through `produce(temporary_path)` and swap it in whole; owner-only; maybe encrypted.

    `what` names the file in messages ('the statistics workbook'). Raises
    OutputError, with the earlier file at `path` (if any) left as it was.
    """
    path = Path(path)
    what = what or path.name
    if password is not None:
        require_encryptable(path)
    _refuse_if_open(path, what)
    if path.exists() and not path.is_file():  # a device such as /dev/stdout: it cannot be swapped
        return _write_device(path, produce, what, password)
    clear_leftovers(path.parent)
    tmp = temporary_name(path)
    try:
        create_private(tmp)
        produce(tmp)
        if password is not None:
            tmp.write_bytes(encrypt(tmp.read_bytes(), password))
        owner_only(tmp)
        fsync_file(tmp)
        os.replace(tmp, path)
        fsync_folder(path.parent)
    except Exception as err:
        found = os_error_in(err)
        if found is None:
            raise
        release_quietly(err)
        raise OutputError(plain_os_error(found, what, _unchanged(path))) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


def _unchanged(path: Path) -> str:
    return f"{path.name} was left as it was" if path.exists() else "Nothing was saved"


def _refuse_if_open(path: Path, what: str) -> None:
    from .locking import office_lock_files

    locks = office_lock_files(path)
    if locks and path.exists():
        raise OutputError(
            f"{path.name} is open in Excel or Word (its lock file {locks[0].name} is beside it), so {what} could not be "
            "saved over it. Close it and try again, or save to another name with --out."
        )


def _write_device(path: Path, produce: Callable[[Path], object], what: str, password: str | None) -> Path:
    """For /dev/stdout and the like: make the file privately elsewhere, then copy its bytes in."""
    import tempfile

    fd, name = tempfile.mkstemp(suffix=path.suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        owner_only(tmp)
        produce(tmp)
        data = tmp.read_bytes()
        if password is not None:
            data = encrypt(data, password)
        with open(path, "wb") as handle:
            handle.write(data)
    except Exception as err:
        found = os_error_in(err)
        if found is None:
            raise
        release_quietly(err)
        raise OutputError(plain_os_error(found, what, "Nothing was saved")) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


def write_new(path: str | Path, data: bytes, what: str | None = None) -> Path:
    """Save `data` as `path`, or 'name (2)', '(3)'... when taken: never overwrites, never half-written.

    The bytes go to a private temporary file first; a hard link then gives them
    their name, which fails rather than replace an existing file (on Windows a
    rename does the same). Returns the name used.
    """
    path = Path(path)
    what = what or path.name
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        clear_leftovers(path.parent)
        tmp = temporary_name(path)
        create_private(tmp)
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            for candidate in candidate_names(path):
                if _claim(tmp, candidate):
                    fsync_folder(candidate.parent)
                    return candidate
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
    except OSError as err:
        raise OutputError(plain_os_error(err, what, "Nothing was saved")) from None
    raise OutputError(f"There are too many files named '{path.name}' in {path.parent}: {what} was not saved.")


def candidate_names(path: Path):
    """`path`, then 'name (2)', 'name (3)'... up to MAX_COPIES: the names a file takes when the earlier ones are taken."""
    yield path
    for n in range(2, MAX_COPIES + 1):
        yield path.with_name(f"{path.stem} ({n}){path.suffix}")


def free_path(path: str | Path) -> Path:
    """`path`, or the first of 'name (2)', '(3)'... that nothing has (for writers that cannot refuse to overwrite)."""
    path = Path(path)
    for candidate in candidate_names(path):
        if not candidate.exists():
            return candidate
    raise OutputError(f"There are too many files named '{path.name}' in {path.parent}: choose another name or folder.")


def _claim(tmp: Path, candidate: Path) -> bool:
    """Give the finished temporary file the name `candidate` if nothing has it; False if taken."""
    if candidate.exists():
        return False
    try:
        os.link(tmp, candidate)
        return True
    except FileExistsError:
        return False
    except (OSError, NotImplementedError, AttributeError):
        pass  # no hard links on this file system (some network shares, FAT)
    if os.name == "nt":  # pragma: no cover - Windows: rename refuses an existing target
        try:
            os.rename(tmp, candidate)
            return True
        except FileExistsError:
            return False
    try:  # reserve the name, then swap the finished file onto the reservation
        create_private(candidate)
    except FileExistsError:
        return False
    os.replace(tmp, candidate)
    return True


# --- passwords -----------------------------------------------------------------------------------


def require_encryptable(path: Path) -> None:
    if path.suffix.lower() not in ENCRYPTABLE:
        raise OutputError(
            f"{path.name}: only Word and Excel files can be password-protected. "
            "Choose the xlsx format (or leave out the password)."
        )


def encrypt(data: bytes, password: str) -> bytes:
    """An Office file encrypted with `password` (Word and Excel ask for it when opening)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def decrypt(data: bytes, password: str) -> bytes:
    """The plain file inside an encrypted one (for checks and tests)."""
    import msoffcrypto

    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password=password)
    out = io.BytesIO()
    office.decrypt(out)
    return out.getvalue()


def read_password(password_file: str | Path | None) -> tuple[str | None, list[str]]:
    """The password from a file (its first line) or XL_COMPLAINTS_PASSWORD; and warnings to show.

    None when neither is given. Raises OutputError for an empty password or a
    file that cannot be read.
    """
    warnings: list[str] = []
    if password_file is not None:
        path = Path(password_file)
        try:
            text = path.read_text(encoding="utf-8-sig")
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError as err:
            raise OutputError(f"The password file {path.name} could not be read ({err.strerror or type(err).__name__}).") from None
        if os.name == "posix" and mode & 0o077:
            warnings.append(f"The password file {path.name} can be read by other users of this computer: make it owner-only (chmod 600).")
        password = text.splitlines()[0] if text.splitlines() else ""
        source = f"The password file {path.name}"
    elif os.environ.get(PASSWORD_ENV) is not None:
        password = os.environ[PASSWORD_ENV]
        source = f"The {PASSWORD_ENV} environment variable"
    else:
        return None, warnings
    if not password.strip():
        raise OutputError(f"{source} holds no password.")
    return password, warnings
