"""Where letters are saved, and saving them without ever overwriting one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..files import outputs
from .errors import LetterError

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_name(text: str) -> str:
    """A reference as a Windows-safe folder name."""
    name = _UNSAFE.sub("-", text).strip().rstrip(". ")
    return name or "no reference"


def letter_path(folder: Path, reference: str, day: dt.date, title: str) -> Path:
    return folder / safe_name(reference) / f"{day.isoformat()} {title}.docx"


def write_new(path: Path, data: bytes) -> Path:
    """Write to `path`, or to 'name (2).docx', '(3)'... if it exists: never overwrite. Owner-only.

    The bytes are whole on the disk before the letter gets its name, so a
    crash or a full disk never leaves a half-written letter that a later
    `--due` run would take for one already sent.
    """
    try:
        return outputs.write_new(path, data, f"the letter {path.name}")
    except outputs.OutputError as err:
        raise LetterError(str(err)) from None


_free_path = outputs.free_path  # 'name (2)', '(3)'... when taken (for writers that cannot refuse to overwrite)


def already_written(folder: Path, reference: str, title: str) -> bool:
    target = folder / safe_name(reference)
    return target.is_dir() and any(target.glob(f"????-??-?? {title}*.docx"))
