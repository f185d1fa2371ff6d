"""The one place that touches python-docx's private element attributes (`_p`, `_tbl`, `_tr`, `_tc`).

python-docx has no public call for some of what a council's Word documents
need: cell shading, table borders, rows that never split across pages, a
heading row that repeats, page-number and contents fields, bookmarks. Each is
a property or child element added to the paragraph, table, row or cell's XML,
so those few calls are here and nowhere else (the letters' template builder and
the reports' Word drafts both use them). python-docx is pinned in
pyproject.toml; when it is upgraded, run tests/test_letters.py and
tests/test_statistics_export.py before moving the pin.
"""

from __future__ import annotations

def add_properties(obj, element) -> None:
    """Add a property element (made with docx.oxml.parse_xml) to a paragraph, table, row or cell."""
    kind = type(obj).__name__
    if kind == "Paragraph":
        obj._p.get_or_add_pPr().append(element)
    elif kind == "Table":
        obj._tbl.tblPr.append(element)
    elif kind == "_Row":
        obj._tr.get_or_add_trPr().append(element)
    elif kind == "_Cell":
        obj._tc.get_or_add_tcPr().append(element)
    else:  # pragma: no cover - a mistake in the builder
        raise TypeError(kind)


def add_child(paragraph, element) -> None:
    """Add an element inside a paragraph, after its runs (a page-number field)."""
    paragraph._p.append(element)


def is_last(paragraph, table) -> bool:
    """Whether the paragraph comes straight before the table."""
    return paragraph._p.getnext() is table._tbl


def move_into_cell(paragraph, cell) -> None:
    """Move a paragraph into a cell, in place of the cell's own empty paragraph."""
    tc = cell._tc
    tc.insert(tc.index(cell.paragraphs[0]._p), paragraph._p)
    tc.remove(cell.paragraphs[-1]._p)


def add_first_and_last(paragraph, first, last) -> None:
    """Put `first` before the paragraph's runs (after its properties) and `last` after them: a bookmark round a heading."""
    p = paragraph._p
    p.insert(1 if p.pPr is not None else 0, first)
    p.append(last)
