"""The register's backups: a dated, owner-only copy in Backups/ beside it before every write, which `restore` puts back.

Apart from the writing (`writeback`) because the reader names the last good
backup in its sentence for a damaged file, and the writer gives the reader's
sentence: both use this module, neither the other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import zipfile
from pathlib import Path

from . import outputs

BACKUP_FOLDER = "Backups"


def real_path(path: str | Path) -> Path:
    """Where the register really is: a symbolic link (or a Windows junction on the way) followed."""
    return Path(os.path.realpath(path))


_BACKUP_NAME = re.compile(r"^(?P<stem>.+) (?P<when>\d{4}-\d{2}-\d{2} \d{6})(?: \((?P<n>\d+)\))?$")


def backup(path: str | Path, when: dt.datetime | None = None) -> Path:
    """Copy the register into Backups/ beside it, named with the date and time; owner-only.

    The copy is made under a name no other command can take at the same moment
    (O_EXCL), flushed to the disk, and removed again if it could not be finished.
    """
    path = Path(path)
    when = when or dt.datetime.now()
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True, mode=0o700)
    n = 1
    while True:
        label = f"{when:%Y-%m-%d %H%M%S}" + (f" ({n})" if n > 1 else "")
        target = folder / f"{path.stem} {label}{path.suffix}"
        try:
            outputs.create_private(target)
            break
        except FileExistsError:
            n += 1
    try:
        with open(path, "rb") as source, open(target, "r+b") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
            copy.flush()
            os.fsync(copy.fileno())
        stats = path.stat()
        os.utime(target, ns=(stats.st_atime_ns, stats.st_mtime_ns))
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return target


def backups(path: str | Path) -> list[Path]:
    """The register's backups in Backups/ beside it (beside the real file, for a link), newest first."""
    path = real_path(path)
    folder = path.parent / BACKUP_FOLDER
    if not folder.is_dir():
        return []
    found = []
    for candidate in folder.iterdir():
        if candidate.suffix.lower() != path.suffix.lower() or not candidate.is_file():
            continue
        m = _BACKUP_NAME.match(candidate.stem)
        if not m or m.group("stem") != path.stem:
            continue
        when = dt.datetime.strptime(m.group("when"), "%Y-%m-%d %H%M%S")
        found.append((when, int(m.group("n") or 1), candidate))
    return [c for _, _, c in sorted(found, key=lambda item: (item[0], item[1]), reverse=True)]


def backup_made(backup_path: str | Path) -> dt.datetime:
    """When a backup was made, from its name (the file's own dates are the register's)."""
    m = _BACKUP_NAME.match(Path(backup_path).stem)
    if not m:
        raise ValueError(f"{Path(backup_path).name} is not named like a register backup.")
    return dt.datetime.strptime(m.group("when"), "%Y-%m-%d %H%M%S")


def is_whole_workbook(path: str | Path) -> bool:
    """Whether the file is a complete workbook (a zip whose every part reads back)."""
    try:
        with zipfile.ZipFile(path) as z:
            return "xl/workbook.xml" in z.namelist() and z.testzip() is None
    except (OSError, zipfile.BadZipFile, EOFError, ValueError):
        return False
