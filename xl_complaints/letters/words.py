"""How letters print things: dates in full, register text made safe, names that are never blank."""

from __future__ import annotations

import re

import pandas as pd

from ..core import dates
from ..core.dates import period_text  # the one wording of a period, shared with the status's messages
from .errors import LetterError


def long_date(day) -> str:
    """'Monday 13 June 2022': how dates are printed in letters (the dates module's long date, with the weekday)."""
    return dates.long_date(day, weekday=True)


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(value) -> str:
    """Register text made safe to print: characters XML cannot hold removed, spaces tidied."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = _XML_ILLEGAL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[ \t]+", " ", text).strip()


class MissingName(LetterError):
    """A name the letter prints is empty: the letter is refused, naming where to fill it in."""

    def __init__(self, field_name: str):
        self.field = field_name
        where = field_name if field_name.startswith("Settings") else f"{field_name} is empty"
        super().__init__(f"{where}: the letter would print a blank where a name belongs")


class Blank(str):
    """An empty name: false in an `if`, but printing it stops the letter (never a gap in a sentence)."""

    def __new__(cls, field_name: str):
        blank = super().__new__(cls, "")
        blank.field = field_name
        return blank

    def __html__(self):  # what the autoescaping template calls to print a value
        raise MissingName(self.field)


def named(value: str, field_name: str) -> str:
    """A name from the register or the Settings sheet, or a Blank naming where it comes from."""
    return value if value else Blank(field_name)
