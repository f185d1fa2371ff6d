"""Reading a letter type's file: its rules (TOML between +++ lines) and its wording (plain text).

The wording is a few conventions an officer can read without knowing them:

    # Stage 1 response - young person      a version of the letter: the Word file's name
    Subject: Our reply to your complaint   the bold line under 'Dear ...'
    Written for: a child or young person   (after Subject) larger type and 'Best wishes'; implied
                                           by a version named '... - young person'
    ## If you are still not happy          a heading
    - a point                              bullet points (consecutive lines)
    > Label: value                         a shaded box of key facts (one line a row)
    | Head | Head |  then  |---|---|       a table (first row the headings)
    **bold**   [[yellow: the officer completes this]]   {{ placeholder }}
    {% if condition %} ... {% endif %}     on a line of its own: the lines between are kept or left out
    {% include "Contact us" %}             a shared passage from passages.md
    ---                                    the tear-off slip starts here

Lines before the first `#` heading are notes for editors and are never printed.
Parsing gives plain items the template builder lays out: ('p', text),
('h', text), ('ul', [texts]), ('tag', '{% if x %}'), ('box', [(label, value)]),
('table', headers, rows) where a row is a list of cells or a ('tag', ...) loop.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

_TAG = re.compile(r"^\{%-?\s*(if|elif|else|endif|for|endfor)\b((?!%\}).)*%\}$")  # one tag, alone on its line
_INCLUDE = re.compile(r"^\{%-?\s*include\s+[\"'](.+?)[\"']\s*-?%\}$")


class SourceError(ValueError):
    """A letter type's file cannot be read: names the file and the line."""


@dataclass
class Section:
    """One version of a letter (one Word template): its name, subject, body and slip."""

    stem: str
    subject: str = ""
    body: list = field(default_factory=list)
    slip: list = field(default_factory=list)  # paragraphs of the tear-off slip
    for_young_person: bool = False  # 'Written for: a child or young person' (a version not named '- young person')

    @property
    def young_person(self) -> bool:
        """Laid out for a child or young person: larger type, 'Best wishes'."""
        return self.for_young_person or " - young person" in self.stem


@dataclass
class Source:
    path: Path
    front: dict
    sections: dict[str, str]  # heading -> raw lines (joined)


def read(path: Path) -> Source:
    """Split a file into its front matter (the rules) and its sections (by # heading)."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    front: dict = {}
    if text.startswith("+++\n"):
        end = text.find("\n+++\n", 3)
        if end < 0:
            raise SourceError(f"{path.name}: the rules at the top start with +++ but never end with a +++ line")
        try:
            front = tomllib.loads(text[4:end])
        except tomllib.TOMLDecodeError as err:
            raise SourceError(f"{path.name}: the rules at the top are not written correctly ({err})") from None
        text = text[end + 5 :]
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in text.split("\n"):
        if line.startswith("# "):
            if current is not None:
                sections[current] = "\n".join(lines)
            current, lines = line[2:].strip(), []
            if current in sections:
                raise SourceError(f"{path.name}: there are two sections called '# {current}'")
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines)
    return Source(path, front, sections)


def parse_section(stem: str, text: str, passages: dict[str, str], where: str = "") -> Section:
    section = Section(stem)
    items: list = section.body
    in_slip = False
    para: list[str] = []
    block: str | None = None  # the open block: 'ul', 'box', 'table' (a blank line closes it)

    def flush() -> None:
        nonlocal block
        if para:
            (section.slip if in_slip else items).append(("p", " ".join(para)))
            para.clear()
        block = None

    def add_lines(lines: list[str], depth: int = 0) -> None:
        nonlocal block, in_slip
        for raw in lines:
            line = raw.strip()
            if not line:
                flush()
                continue
            if line == "---" and not in_slip:
                flush()
                in_slip = True
                continue
            if in_slip:
                para.append(line)
                continue
            if line.startswith("Subject:") and not section.subject and not items and not para:
                section.subject = line[len("Subject:") :].strip()
                continue
            if line.lower() == "written for: a child or young person" and not items and not para:
                section.for_young_person = True
                continue
            included = _INCLUDE.match(line)
            if included:
                flush()
                name = included.group(1)
                if name not in passages:
                    raise SourceError(f"{where}'{stem}' includes \"{name}\", which is not a passage in passages.md")
                if depth > 5:
                    raise SourceError(f"{where}'{stem}': passages include each other in a loop")
                add_lines(passages[name].split("\n"), depth + 1)
                flush()
                continue
            if _TAG.match(line):
                if block == "table" and re.match(r"^\{%-?\s*(for|endfor)\b", line):
                    items[-1][2].append(("tag", line))
                    continue
                flush()
                items.append(("tag", line))
                continue
            if line.startswith("## "):
                flush()
                items.append(("h", line[3:].strip()))
                continue
            if line.startswith("- "):
                if para or block != "ul":
                    flush()
                    items.append(("ul", []))
                    block = "ul"
                items[-1][1].append(line[2:].strip())
                continue
            if line.startswith(">"):
                if para or block != "box":
                    flush()
                    items.append(("box", []))
                    block = "box"
                label, _, value = line[1:].strip().partition(": ")
                items[-1][1].append((label.strip(), value.strip()))
                continue
            if line.startswith("|"):
                cells = [c.strip() for c in line.strip("|").split("|")]
                if para or block != "table":
                    flush()
                    items.append(("table", cells, []))
                    block = "table"
                elif not all(re.fullmatch(r":?-+:?", c) for c in cells):
                    items[-1][2].append(cells)
                continue
            if block:
                flush()
            para.append(line)

    add_lines(text.split("\n"))
    flush()
    return section


def passages_from(path: Path) -> dict[str, str]:
    """The shared passages: heading -> its lines."""
    return read(path).sections if path.is_file() else {}
