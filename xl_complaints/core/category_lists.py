"""The category lists a council keeps on its register's Lists sheet.

The workbook builder writes the Lists sheet from schema.py's defaults (the
statutory annual report's categories, with neutral names), one column per
category column of the Register, headed by that column's header; the Register's
dropdowns point at it. A council may change it: add its own services or types of
representation, reorder them. Reading the register then takes the Lists sheet
as the council's lists, so a value picked from a dropdown is never "not on the
list", and the statistics and the glossary show the council's own categories.

The toolkit's rules name some values (a Complaint, a Refused representation,
'Service user (young person)', the procedures...), so a list is never narrowed:
the council's values come first, in its order, and any default it has left off
is still accepted after them (`values`). A council's value spelled like a
default in another case is the default.
"""

from __future__ import annotations

from . import schema
from .schema import Kind, normalise_header

LISTS_SHEET = "Lists"

# {column key: the council's values, in its order}. Only the columns whose list differs from the defaults.
Lists = dict[str, tuple[str, ...]]


def from_rows(rows: list[list] | None) -> Lists:
    """The council's lists from the Lists sheet's cells (header row first); {} for no sheet.

    A column headed by a category column's header is that column's list; other
    columns (Yes/No, Letter) and empty columns are left alone. Blank cells and
    repeats are skipped; a value longer than a cell of the register could hold
    is not a category and is skipped too.
    """
    if not rows:
        return {}
    headers = rows[0]
    out: Lists = {}
    for j, header in enumerate(headers):
        col = schema.BY_HEADER.get(normalise_header(header))
        if col is None or col.kind is not Kind.CATEGORY or col.key in out:
            continue
        found: list[str] = []
        seen: set[str] = set()
        for row in rows[1:]:
            value = row[j] if j < len(row) else None
            if value is None or isinstance(value, bool):
                continue
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            text = " ".join(str(value).split())
            if not text or len(text) > 255 or text.lower() in seen:
                continue
            seen.add(text.lower())
            found.append(text)
        if found and tuple(found) != col.values:
            out[col.key] = tuple(found)
    return out


def values(key: str, lists: Lists | None = None) -> tuple[str, ...]:
    """The values a column accepts: the council's list, then any default it left off."""
    defaults = schema.column(key).values
    own = (lists or {}).get(key)
    if not own:
        return defaults
    spelled = {d.lower(): d for d in defaults}
    ordered = tuple(spelled.get(v.lower(), v) for v in own)
    return ordered + tuple(d for d in defaults if d not in ordered)


def on_sheet(key: str, lists: Lists | None = None) -> tuple[str, ...]:
    """The values the council's Lists sheet shows for a column (the defaults when it has no list of its own)."""
    own = (lists or {}).get(key)
    if not own:
        return schema.column(key).values
    spelled = {d.lower(): d for d in schema.column(key).values}
    return tuple(spelled.get(v.lower(), v) for v in own)


def columns(lists: Lists | None) -> dict[str, schema.Column]:
    """The Register's category columns whose accepted values the council's lists change, by key."""
    import dataclasses

    return {key: dataclasses.replace(schema.column(key), values=values(key, lists)) for key in (lists or {})}
