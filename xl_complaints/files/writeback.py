"""Writing to a register that officers already use, without ever harming it.

The register is the team's only record, so a command that writes to it:
holds the register's lock file (`locking`), so two officers' commands run one
after the other and neither loses the other's write; refuses while Excel or
LibreOffice has it open (their lock files beside it, which name who has it, or
the file cannot be opened for writing); writes a complete new file beside it,
created with the register's own permissions before its first byte, flushed to
the disk, and swaps it in with one atomic rename, so a crash leaves the old
file whole; keeps a timestamped, owner-only copy of the old file in a Backups
folder first (which `restore` puts back). A register reached through a
symbolic link is written at its real place, so the link stays a link.

Changes are made to the package part by part (`package`): every part the
command has no business changing is carried over byte for byte, and the check
before the swap compares the whole package with the old one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from . import locking, outputs, package
from .backups import BACKUP_FOLDER, backup, backup_made, backups, is_whole_workbook, real_path  # noqa: F401 (the backups' API, here too)
from .reader import read_cells
from ..core.register import RegisterError
VBA_PART = "xl/vbaProject.bin"
NEW_REGISTER_MODE = outputs.OWNER_ONLY


class RegisterInUse(RuntimeError):
    """The register is open in Excel (here or on a colleague's PC)."""


class WritebackError(RuntimeError):
    """The new file would not have been a faithful copy: nothing was written."""


@dataclass
class WriteResult:
    path: Path
    backup: Path | None
    outcome: object = None  # whatever the edit returned
    cleared_stale_lock: bool = False  # a lock left by a command that stopped was removed first


# --- is it open? ------------------------------------------------------------------------------


def lock_files(path: str | Path) -> list[Path]:
    """The lock files of Excel ('~$' + name) and LibreOffice ('.~lock.NAME#') for `path` that exist."""
    return [lock.path for lock in office_locks(path)]


def office_locks(path: str | Path) -> list[locking.OfficeLock]:
    """Who has the register open, beside the name given and beside the real file when that is a link."""
    path = Path(path)
    found = locking.office_locks(path)
    real = real_path(path)
    if real != path.absolute():
        found += [lock for lock in locking.office_locks(real) if lock.path not in {f.path for f in found}]
    return found


def check_not_open(path: str | Path) -> None:
    """Raise RegisterInUse when Excel or LibreOffice holds the register; say who, and how to fix it."""
    path = Path(path)
    locks = office_locks(path)
    if locks:
        lock = locks[0]
        raise RegisterInUse(
            f"{path.name} is open in {lock.program}{lock.who()} (its lock file {lock.path.name} is in the same folder). "
            f"Close it on every PC, then run the command again. If nobody has it open, {lock.program} closed badly: "
            f"delete {lock.path.name} and try again."
        )
    if path.exists():
        try:
            with open(path, "r+b"):
                pass
        except PermissionError:
            raise RegisterInUse(f"{path.name} cannot be written to: it is open in another program, or read-only.") from None


@contextlib.contextmanager
def writing(path: str | Path, command: str) -> Iterator[locking.Lock]:
    """The one way to write a register: only one command at a time, never while it is open elsewhere.

    The lock is taken beside the real file, so two links to one register share
    it. Inside the block this command is the register's only writer, so files
    left by a writer that was stopped (temporary copies) are cleared first.
    """
    path = Path(path)
    real = real_path(path)
    with contextlib.ExitStack() as stack:
        try:
            lock = stack.enter_context(locking.held(real, command))
        except locking.Busy as err:
            raise RegisterInUse(str(err)) from None
        except OSError as err:  # the lock could not be made: a read-only folder or a full disk
            raise WritebackError(outputs.plain_os_error(err, f"the new copy of {path.name}", f"{path.name} was left as it was")) from None
        check_not_open(path)
        clear_leftovers(real)
        yield lock


def clear_leftovers(path: Path) -> int:
    """Remove temporary copies of the register a stopped command left beside it (call under the lock)."""
    removed = 0
    pattern = f"{path.stem}.writing-*{path.suffix}"
    for leftover in list(path.parent.glob(pattern)) + list(path.parent.glob(pattern + ".part")):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed += 1
    return removed


def restore(path: str | Path, source: str | Path, when: dt.datetime | None = None) -> WriteResult:
    """Put a backup back as the register, keeping the register being replaced as a backup too."""
    path, source = Path(path), Path(source)
    if not source.is_file():
        raise FileNotFoundError(f"There is no backup at {source}.")
    if not is_whole_workbook(source):
        raise WritebackError(f"{source.name} is not a complete workbook (it was cut short or damaged): choose another backup.")
    real = real_path(path)
    with writing(path, "restore") as lock:
        with new_copy(real, path.name, "the restored copy") as (tmp, handle):
            try:
                with open(source, "rb") as f:
                    shutil.copyfileobj(f, handle, 1 << 16)
                _flush(handle)
            except OSError as err:
                raise WritebackError(outputs.plain_os_error(err, f"the restored copy of {path.name}", f"{path.name} was left as it was")) from None
            handle.close()
            kept = replace_safely(tmp, real, when, shown=path)
    return WriteResult(path, kept, source, lock.cleared_stale)


def temporary_path(path: Path) -> Path:
    """Where the new file is written before the swap: beside the real file (so the rename is atomic)."""
    path = real_path(path)
    return path.with_name(f"{path.stem}.writing-{os.getpid()}{path.suffix}")


def register_mode(path: Path) -> int:
    """The permissions the new copy gets: the register's own, or owner-only for a new register."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return NEW_REGISTER_MODE


@contextlib.contextmanager
def new_copy(real: Path, shown: str, what: str = "the new copy") -> Iterator[tuple[Path, object]]:
    """A new, empty temporary file beside the register, with the register's permissions from the start.

    It is made with os.open and those permissions (O_EXCL: never someone else's
    file), so no more widely readable copy ever exists, not even one left by a
    command that was killed. Removed again unless it was swapped in.
    """
    tmp = temporary_path(real)
    mode = register_mode(real)
    try:
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    except OSError as err:
        raise WritebackError(outputs.plain_os_error(err, f"{what} of {shown}", f"{shown} was left as it was")) from None
    try:
        if hasattr(os, "fchmod") and os.fstat(fd).st_mode & 0o777 != mode:
            os.fchmod(fd, mode)  # the umask took bits the register has: give them back while it is still empty
        handle = os.fdopen(fd, "w+b")
    except BaseException:
        os.close(fd)
        tmp.unlink()
        raise
    try:
        yield tmp, handle
    finally:
        handle.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _flush(handle) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def replace_safely(new_file: Path, path: Path, when: dt.datetime | None = None, shown: Path | None = None) -> Path | None:
    """Back the register up, then swap the new file in; None when there was nothing to back up.

    `path` is the real file (a link's target): the new file replaces it there,
    and the link is left as it was. The new file is on the disk before the swap,
    so even a power cut leaves one whole file.
    """
    shown = Path(shown or path)
    path = real_path(path)
    check_not_open(shown)  # Excel may have opened it while we worked
    try:
        mode = register_mode(path)
        if os.name == "posix" and new_file.stat().st_mode & 0o777 != mode:
            os.chmod(new_file, mode)  # a file not made by new_copy: given the register's permissions before the swap
        kept = backup(path, when) if path.exists() else None
        outputs.fsync_file(new_file)
    except OSError as err:
        raise WritebackError(outputs.plain_os_error(err, f"the backup of {shown.name}", f"{shown.name} was left as it was")) from None
    try:
        os.replace(new_file, path)
    except PermissionError:
        raise RegisterInUse(f"{shown.name} was opened while the command ran: nothing was changed. Close it and try again.") from None
    except OSError as err:
        raise WritebackError(outputs.plain_os_error(err, shown.name, f"{shown.name} was left as it was")) from None
    outputs.fsync_folder(path.parent)
    return kept


# --- the write ---------------------------------------------------------------------------------


def write_package(path: str | Path, plan: Callable[[package.Package], tuple[package.Rewrite, object]],
                  when: dt.datetime | None = None, command: str = "refresh") -> WriteResult:
    """Change the register part by part: `plan(old package)` says what changes; everything else is copied.

    Reading, planning, writing, checking and swapping all happen while this
    command holds the register's lock, so two officers' commands run one after
    the other and neither loses the other's write.
    """
    path = Path(path)
    real = real_path(path)
    if not real.exists():
        raise FileNotFoundError(f"There is no register at {path}.")
    with writing(path, command) as lock:
        with _opened(real, path) as old:
            change, outcome = plan(old)
            with new_copy(real, path.name) as (tmp, handle):
                try:
                    package.rewrite(old, handle, change)
                    _flush(handle)
                except OSError as err:
                    raise WritebackError(outputs.plain_os_error(err, f"the new copy of {path.name}", f"{path.name} was left as it was")) from None
                handle.close()
                verify(old, tmp, change)
                kept = replace_safely(tmp, real, when, shown=path)
    return WriteResult(path, kept, outcome, lock.cleared_stale)


@contextlib.contextmanager
def _opened(real: Path, shown: Path) -> Iterator[package.Package]:
    """The register's package; a file that is no workbook gets the reader's sentence, as every command gives."""
    try:
        pkg = package.Package(real)
    except (zipfile.BadZipFile, ValueError, KeyError, EOFError):
        read_cells(real)  # raises the sentence an officer gets from every command
        raise RegisterError(f"{shown.name} is damaged (it is not a complete workbook): 'xl-complaints restore' puts back the last good copy.") from None
    with pkg:
        yield pkg


def new_register(path: str | Path, make: Callable[[Path], object], when: dt.datetime | None = None, command: str = "init") -> WriteResult:
    """Put a newly built register at `path` (`make(file)` writes it), keeping any register there as a backup."""
    path = Path(path)
    real = real_path(path)
    with writing(path, command) as lock:
        with new_copy(real, path.name, "the new register") as (tmp, handle):
            handle.close()  # the builder writes the file by its name; it keeps these permissions
            outcome = make(tmp)
            if not is_whole_workbook(tmp):
                raise WritebackError(f"The new register {path.name} could not be made whole: {_left_as_it_was(path)}.")
            kept = replace_safely(tmp, real, when, shown=path)
    return WriteResult(path, kept, outcome, lock.cleared_stale)


def _left_as_it_was(path: Path) -> str:
    return f"{path.name} was left as it was" if path.exists() else "nothing was saved"


def verify(old: package.Package, new_file: Path, change: package.Rewrite) -> None:
    """Refuse a new file that is not the old package with only the planned parts changed."""
    try:
        with package.Package(new_file) as new:
            faults = package.compare(old, new, change.changed, change.dropped)
    except (zipfile.BadZipFile, OSError, KeyError) as err:
        faults = [f"the new copy could not be read back ({type(err).__name__})"]
    if faults:
        raise WritebackError(
            f"The new copy of {old.path.name} would not have been faithful ({'; '.join(faults[:3])}), "
            "so the register was left as it was."
        )


# --- reading the parts tests and checks need -------------------------------------------------------


def vba_project(path: str | Path) -> bytes | None:
    with zipfile.ZipFile(path) as z:
        return z.read(VBA_PART) if VBA_PART in z.namelist() else None


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part ('xl/worksheets/sheet1.xml')."""
    return package.Package(z).sheets()


def _relationships(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> target part, resolved against the part's folder."""
    return {rel.id: rel.target for rel in package.Package(z).relationships(part)}


def _legacy_drawing(z: zipfile.ZipFile, sheet_part: str) -> str | None:
    xml = z.read(sheet_part).decode("utf-8")
    m = re.search(r"<(?:\w+:)?legacyDrawing[^>]*\bid=\"([^\"]+)\"", xml)
    if not m:
        return None
    return _relationships(z, sheet_part).get(m.group(1))


_SHAPE = re.compile(r"<v:shape\b[^>]*>.*?</v:shape>", re.S)


def buttons(path: str | Path) -> list[tuple[str, str, str]]:
    """(sheet, caption, macro) for every form button in the workbook."""
    found = []
    with zipfile.ZipFile(path) as z:
        for sheet, part in sheet_parts(z).items():
            vml = _legacy_drawing(z, part)
            if not vml or vml not in z.namelist():
                continue
            text = z.read(vml).decode("utf-8", errors="replace")
            for shape in _SHAPE.findall(text):
                if 'ObjectType="Button"' not in shape:
                    continue
                macro = re.search(r"<x:FmlaMacro>(?:\[0\]!)?([^<]*)</x:FmlaMacro>", shape)
                caption = re.sub(r"<[^>]+>", "", re.search(r"<v:textbox\b.*?</v:textbox>", shape, re.S).group(0)).strip()
                found.append((sheet, caption, macro.group(1) if macro else ""))
    return found
