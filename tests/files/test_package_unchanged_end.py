"""The check before the swap, for a large changed part whose end is the old part's end (a sheet formatted
down to its last row, changed in its first rows): proven to parse without parsing that end, and every
broken splice still caught, wherever it breaks the part."""

from __future__ import annotations

import zipfile

import pytest

from xl_complaints.files import package
from xl_complaints.files.package import Put, SheetEdits

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PART = "xl/worksheets/sheet1.xml"
TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
).encode()
ROWS = 3000


def sheet(rows=ROWS, as_of="31/03/2026", opened="", closed="", between="", inside="", prolog="", declared=True):
    """A sheet like a register formatted down its columns: rows of styled empty cells, a printed footer."""
    body = "".join(f'<row r="{i}" spans="1:4"><c r="A{i}" s="1"/><c r="B{i}"><v>{i}</v></c>{inside if i == 2000 else ""}</row>'
                   + (between if i == 5 else "") for i in range(1, rows + 1))
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
        + (f'<worksheet xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' if declared else "<worksheet>")
        + f'<dimension ref="A1:B{rows}"/><sheetData>{opened}{body}{closed}</sheetData>'
        f"<headerFooter><oddFooter>&amp;L&amp;8As of {as_of}&amp;C&amp;8Page &amp;P</oddFooter></headerFooter></worksheet>"
    ).encode()


def register(path, xml: bytes):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", TYPES)
        z.writestr(PART, xml)
    return path


def spliced(tmp_path, old_xml: bytes, name="new.xlsm", value=lambda row: f"value {row}"):
    """The old register with rows 2 to 40 given new values and the footer a new date, by the real splicer."""
    edits = SheetEdits(printed_as_of="01/04/2026")
    for row in range(2, 41):
        edits.put(row, 2, Put(value(row)))
    old = package.Package(register(tmp_path / "old.xlsm", old_xml))
    with open(tmp_path / name, "wb") as f:
        package.rewrite(old, f, package.Rewrite(parts={PART: lambda s, t: package.rewrite_sheet(s, t, edits)}))
    with zipfile.ZipFile(tmp_path / name) as z:
        return old, z.read(PART)


@pytest.fixture(autouse=True)
def small_parts(monkeypatch):
    monkeypatch.setattr(package, "TAIL_CHECKED", 0)  # these parts are small: look for their unchanged end all the same
    monkeypatch.setattr(package, "CHUNK", 1 << 14)  # and read them in many pieces


def check(tmp_path, old, new_xml: bytes):
    """(the faults compare finds, whether the new part was proven by its unchanged end)."""
    new = package.Package(register(tmp_path / "checked.xlsm", new_xml))
    return package.compare(old, new, {PART}), package._parses_as_the_old_end(old, new, PART)


def test_a_splice_is_proven_by_its_unchanged_end(tmp_path):
    old, new_xml = spliced(tmp_path, sheet())
    assert b"As of 01/04/2026" in new_xml and b"value 40" in new_xml
    faults, proven = check(tmp_path, old, new_xml)
    assert faults == [] and proven  # without parsing rows 41 to 3000


@pytest.mark.parametrize("value", [lambda row: None, lambda row: row * 1000, lambda row: row + 1], ids=["shorter", "longer", "numbers"])
def test_a_splice_that_shortens_or_lengthens_the_part(tmp_path, value):
    old, new_xml = spliced(tmp_path, sheet(), value=value)
    assert check(tmp_path, old, new_xml) == ([], True)
    broken = new_xml.replace(b'<c r="A40" s="1"/>', b'<c r="A40" s="1">', 1)
    assert check(tmp_path, old, broken) == ([f"{PART} is not whole XML"], False)


def test_the_unchanged_end_is_found_by_comparing_not_by_the_splicer(tmp_path):
    old, new_xml = spliced(tmp_path, sheet())
    with package.Package(tmp_path / "old.xlsm") as o, package.Package(register(tmp_path / "n.xlsm", new_xml)) as n:
        with o.open(PART) as x, n.open(PART) as y:
            tail, first = package._unchanged_end(x, y, o.infos[PART].file_size, n.infos[PART].file_size)
    old_xml = sheet()
    assert new_xml[tail:] == old_xml[tail - (len(new_xml) - len(old_xml)):].replace(b"31/03/2026", b"01/04/2026")
    assert new_xml[tail - 1 : tail] != old_xml[tail - 1 - (len(new_xml) - len(old_xml)) : tail - (len(new_xml) - len(old_xml))]
    assert b'r="B40"' in new_xml[:tail] and first == new_xml[tail : tail + len(first)]


@pytest.mark.parametrize("where, broken", [
    ("in the changed rows", lambda x: x.replace(b"<t>value 20</t>", b"<t>value 20</u>")),
    ("in the changed rows, a prefix no one declared", lambda x: x.replace(b'<c r="B20"', b'<q:c r="B20"', 1)),
    ("in the unchanged end", lambda x: x.replace(b'<row r="2500" spans="1:4">', b'<row r="2500" spans="1:4"', 1)),
    ("in the unchanged end, text made markup", lambda x: x.replace(b"<v>2500</v>", b"<v>25<0</v>", 1)),
    ("in the footer's date", lambda x: x.replace(b"As of 01/04/2026", b"As of 01/04<2026")),
    ("at the boundary", lambda x: x.replace(b'</row><row r="41"', b'</row>row r="41"', 1)),
    ("at the boundary, a row left open", lambda x: x.replace(b'</row><row r="41"', b'<row r="41"', 1)),
    ("in the changed rows, an element left open", lambda x: x.replace(b'<c r="B30"', b'<extra><c r="B30"', 1)),
    ("cut short", lambda x: x[:-40]),
])
def test_a_broken_splice_is_caught(tmp_path, where, broken):
    old, new_xml = spliced(tmp_path, sheet())
    bad = broken(new_xml)
    assert bad != new_xml, where
    faults, proven = check(tmp_path, old, bad)
    assert faults == [f"{PART} is not whole XML"], where
    assert not proven, where


def test_an_element_the_old_part_had_open_at_the_cut_and_the_new_part_lost(tmp_path):
    """The new part's first rows parse, and its end is the old part's end, but the old part had an element
    open there that the new part lost: the end closes it, so the new part is broken. Only the old part's
    state at the cut shows it."""
    old_xml = sheet(opened="<group>", closed="</group>")
    old, new_xml = spliced(tmp_path, old_xml)
    assert check(tmp_path, old, new_xml) == ([], True)  # the splice itself keeps it
    lost = new_xml.replace(b"<group>", b"", 1)
    faults, proven = check(tmp_path, old, lost)
    assert faults == [f"{PART} is not whole XML"] and not proven


def test_a_namespace_the_old_part_declared_before_the_cut_and_the_new_part_lost(tmp_path):
    """The unchanged end uses a prefix declared in the first rows; the new part lost the declaration."""
    old_xml = sheet(opened='<group xmlns:g="urn:example:group">', closed="</group>", inside="<g:note/>")
    old, new_xml = spliced(tmp_path, old_xml)
    assert check(tmp_path, old, new_xml) == ([], True)
    lost = new_xml.replace(b' xmlns:g="urn:example:group"', b"", 1)
    faults, proven = check(tmp_path, old, lost)
    assert faults == [f"{PART} is not whole XML"] and not proven


def test_an_entity_the_old_prolog_declared_and_the_new_part_lost(tmp_path):
    """The unchanged end refers to an entity the old part's prolog declares; the new part lost the prolog.
    Both parts' first rows parse alike: only requiring the prolog to be in the bytes both share shows it
    (a root declaring no namespace, as XML in general may be)."""
    old_xml = sheet(prolog='<!DOCTYPE worksheet [<!ENTITY team "Complaints team">]>', inside="<g>&team;</g>", declared=False)
    old, new_xml = spliced(tmp_path, old_xml)
    assert check(tmp_path, old, new_xml) == ([], True)
    lost = new_xml.replace(b'<!DOCTYPE worksheet [<!ENTITY team "Complaints team">]>', b"", 1)
    faults, proven = check(tmp_path, old, lost)
    assert faults == [f"{PART} is not whole XML"] and not proven


def test_a_well_formed_change_in_the_unchanged_end_is_parsed_and_kept(tmp_path):
    """A change in markup after the first rows is no reason to refuse a part that still parses: it is parsed whole."""
    old, new_xml = spliced(tmp_path, sheet())
    moved = new_xml.replace(b'<row r="2900" spans="1:4">', b'<row r="2900" spans="1:5">', 1)
    assert check(tmp_path, old, moved) == ([], False)


@pytest.mark.parametrize("old, new, allowed", [
    (b"<f>&amp;8As of 31/03/2026&amp;C</f>", b"<f>&amp;8As of 01/04/2026&amp;C</f>", True),  # the footer's date
    (b"<v>12</v>", b"<v>13</v>", True),  # a number as text
    (b'<c r="B12"/><a/>', b'<c r="B13"/><a/>', False),  # an attribute's value
    (b"<row12/><a/>", b"<row13/><a/>", False),  # an element's name
    (b"<v>&#49;2</v>", b"<v>&#50;2</v>", False),  # a character reference
    (b"<v>&am;12</v>", b"<v>&an;12</v>", False),  # an entity reference (not even in the allowed letters)
    (b"</a>  <b/>", b"</a> 1<b/>", False),  # white space outside any element
    (b"<v>12</v>", b"<v>1<</v>", False),  # markup made
    (b"<v>12</v>", b"<v>1-</v>", False),  # '-' could end a comment
    (b"<v>12/34</v>", b"<v>02<34</v>", False),  # markup made beside changed text
    (b"<v>%12</v>", b"<v>%13</v>", False),  # a parameter entity, outside the document's elements
])
def test_text_that_may_change_in_the_unchanged_end(old, new, allowed):
    at = package._last_difference(new, old, 0, len(new))
    assert (package._only_text_changed(new, old, at) >= 0) is allowed
