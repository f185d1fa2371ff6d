"""Reading a register file outside Excel (the batch commands' edge).

python-calamine reads .xlsx, .xlsm, .xls and .ods quickly without Excel; the
cells go to `register.validate`, which does all the judging. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from .register import RegisterError, ValidatedRegister, validate
from .schema import normalise_header
from .settings import Settings, settings_from_rows

REGISTER_SHEET = "Register"
SETTINGS_SHEET = "Settings"
HEADER_SEARCH_ROWS = 10  # a title row or two above the header is tolerated


@dataclass
class RegisterFile:
    path: Path
    register: ValidatedRegister
    settings: Settings
    sheet: str
    settings_problems: list[str] = field(default_factory=list)


def read_register(path: str | Path, settings: Settings | None = None) -> RegisterFile:
    """Read and validate a register workbook; its Settings sheet, if any, gives the settings.

    `settings`, when given, wins over the workbook's Settings sheet.
    """
    path = Path(path)
    if not path.exists():
        raise RegisterError(f"There is no file at {path}.")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine's errors are not a public hierarchy
        raise RegisterError(f"{path.name} could not be opened as a workbook ({type(err).__name__}).") from None
    sheet_name, header_index, rows = _find_register(book, path)
    headers = [c if c is not None else "" for c in rows[header_index]]
    register = validate(headers, rows[header_index + 1 :], sheet=sheet_name, first_row=header_index + 2)
    problems: list[str] = []
    if settings is None:
        settings = Settings()
        if SETTINGS_SHEET in book.sheet_names:
            settings_rows = book.get_sheet_by_name(SETTINGS_SHEET).to_python(skip_empty_area=False)
            settings, problems = settings_from_rows(settings_rows)
    return RegisterFile(path, register, settings, sheet_name, problems)


def _find_register(book: CalamineWorkbook, path: Path) -> tuple[str, int, list[list]]:
    """The Register sheet, or else the first sheet whose header row has a Reference column."""
    names = list(book.sheet_names)
    ordered = [n for n in names if n.strip().lower() == REGISTER_SHEET.lower()] + [
        n for n in names if n.strip().lower() != REGISTER_SHEET.lower()
    ]
    for name in ordered:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            headers = {normalise_header(c) for c in row if isinstance(c, str)}
            if "reference" in headers and "date received" in headers:
                return name, i, rows
    raise RegisterError(
        f"No sheet in {path.name} has a header row with 'Reference' and 'Date received' columns; "
        f"sheets found: {', '.join(names)}."
    )
