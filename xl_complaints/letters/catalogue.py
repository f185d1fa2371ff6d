"""The letter types: one file each in `types/`, read into `LetterType`s.

Each file says, at the top between +++ lines (TOML), when the letter is due,
which register column its sending records, what it cannot do without, which
deadlines it states and who signs it; below, one section per version of the
wording (statutory, corporate, young person...). Nothing about any one letter
type is written in Python: adding a letter type is adding a file
(docs/letters.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import schema
from . import conditions
from .errors import LetterError
from .facts import FACTS
from .source import Section, SourceError, parse_section, passages_from, read

TYPES_FOLDER = Path(__file__).resolve().parent / "types"
PASSAGES = "passages.md"

SIGNERS = ("Letters signed by", "responding manager", "Stage 3 responses signed by")
RECIPIENTS = ("complainant", "child")
_KNOWN = {
    "title", "corporate_title", "order", "procedures", "records", "completes", "due", "officer_decides",
    "to", "signed_by", "variants", "needs", "refuse", "deadlines", "due_date", "before_extension", "lists_actions",
}


@dataclass(frozen=True)
class Need:
    """A register field the letter cannot do without (when the condition holds)."""

    field: str  # a register key; may be a {{ fact }}
    why: str = ""
    when: str = ""


@dataclass(frozen=True)
class Check:
    """A reason to refuse the letter for a row: the field at fault and the sentence saying why."""

    when: str
    field: str
    says: str
    alone: bool = False  # the letter is not for this complaint at all: this is the only reason given


@dataclass(frozen=True)
class Deadline:
    """A date the letter states: it must be known, and not already past on the letter's date."""

    date: str  # a status.timeline key: 's1_response_due'
    what: str  # 'the date for our stage 1 response'
    field_if_past: str
    if_missing: str
    field_if_missing: str
    when: str = ""


@dataclass(frozen=True, eq=False)
class LetterType:
    key: str  # what the command line takes: 'stage-1-response' (the file's name)
    title: str  # file names and the Correspondence sheet: 'Stage 1 response'
    order: int = 0
    corporate_title: str = ""  # when the corporate letter has another name
    routes: tuple[str, ...] = (schema.STATUTORY, schema.CORPORATE)
    route_specific: bool = True  # separate corporate wording
    young_person: bool = True  # has a plain, friendly variant
    event: str = ""  # the register column this letter's sending fills (blank: taken as the letter date)
    milestones: tuple[str, ...] = ()  # the milestones it completes (for --due)
    due: str = ""  # the --due condition
    officer_decides: str = ""  # why there is no --due rule
    to_child: bool = False
    variants: tuple[str, ...] = ()  # other versions chosen by a condition: 'via the complainant'
    variant_when: tuple[tuple[str, str], ...] = ()
    signed_by: str = SIGNERS[0]
    needs: tuple[Need, ...] = ()
    checks: tuple[Check, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    due_date: str = ""  # the context expression {{ due_date }} prints
    before_extension: bool = False  # also works out the dates as they were before any extension
    lists_actions: tuple[str, ...] = ()  # Actions sheet stages whose actions the letter lists
    sections: dict = field(default_factory=dict, compare=False, hash=False)  # template stem -> Section
    path: Path | None = None

    def title_for(self, procedure: str) -> str:
        return self.corporate_title if procedure == schema.CORPORATE and self.corporate_title else self.title

    def template_stems(self, procedure: str, young_person: bool, variant: str = "") -> list[str]:
        """Template file names tried in order: the most specific first."""
        base = self.title_for(procedure) if self.route_specific else self.title
        route = " - corporate" if self.route_specific and procedure == schema.CORPORATE else ""
        if variant:
            return [f"{base}{route} - {variant}"]
        stems = []
        if young_person and self.young_person:
            stems.append(f"{base}{route} - young person")
        stems.append(f"{base}{route}")
        return stems

    def variant_for(self, facts: dict) -> str:
        """The version chosen by a condition (e.g. the consent route), or '' for the usual one."""
        for name, when in self.variant_when:
            if conditions.holds(when, facts):
                return name
        return ""

    @property
    def conditions(self) -> list[str]:
        """Every condition the row checks use."""
        found = [n.when for n in self.needs] + [c.when for c in self.checks] + [d.when for d in self.deadlines]
        return [c for c in found + [w for _, w in self.variant_when] if c]

    @property
    def sentences(self) -> list[str]:
        """Every field name and sentence the row checks fill in."""
        return [n.field for n in self.needs] + [c.field for c in self.checks] + [c.says for c in self.checks]

    @property
    def fact_names(self) -> frozenset[str]:
        """The facts the row checks use (so only those are worked out for each row)."""
        names: set[str] = set()
        for text in self.conditions:
            names |= conditions.names_in(text)
        for text in self.sentences:
            names |= conditions.names_in_sentence(text)
        return frozenset(names)


def _texts(value, what: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourceError(f"{where}: '{what}' should be a list of words in quotes")
    return tuple(value)


def _procedure(name: str, where: str) -> str:
    for p in (schema.STATUTORY, schema.CORPORATE):
        if name.strip().lower() == p.lower():
            return p
    raise SourceError(f"{where}: procedures can be '{schema.STATUTORY}' or '{schema.CORPORATE}', not '{name}'")


def load_type(path: Path, passages: dict[str, str]) -> LetterType:
    """One letter type from its file (the file's name is the key the command line takes)."""
    where = path.name
    source = read(path)
    front = source.front
    unknown = sorted(set(front) - _KNOWN)
    if unknown:
        raise SourceError(f"{where}: '{unknown[0]}' is not a rule a letter type can have (see docs/letters.md)")
    title = front.get("title")
    if not isinstance(title, str) or not title.strip():
        raise SourceError(f"{where}: the rules need a title, e.g. title = \"Stage 1 response\"")
    corporate_title = front.get("corporate_title", "")
    sections = {stem: parse_section(stem, text, passages, f"{where}: ") for stem, text in source.sections.items()}
    if not sections:
        raise SourceError(f"{where}: there is no wording: add a section starting '# {title}'")
    parts: set[str] = set()
    for stem in sections:
        base = next((b for b in (corporate_title, title) if b and (stem == b or stem.startswith(b + " - "))), None)
        if base is None:
            raise SourceError(f"{where}: the section '# {stem}' should be named '{title}' or '{title} - ...'")
        parts |= {p for p in stem[len(base):].split(" - ") if p}
    variants = tuple(sorted(parts - {"corporate", "young person"}))
    chosen = front.get("variants", {})
    if not isinstance(chosen, dict) or set(chosen) != set(variants):
        raise SourceError(f"{where}: each version other than corporate and young person needs its condition under [variants] "
                          f"({', '.join(variants) or 'there are none'})")
    signed_by = front.get("signed_by", SIGNERS[0])
    if signed_by not in SIGNERS:
        raise SourceError(f"{where}: signed_by can be {', '.join(repr(s) for s in SIGNERS)}")
    to = front.get("to", "complainant")
    if to not in RECIPIENTS:
        raise SourceError(f"{where}: 'to' can be 'complainant' or 'child'")
    event = front.get("records", "")
    if event and event not in schema.INPUT_KEYS:
        raise SourceError(f"{where}: records = '{event}' is not a register column")

    def table_list(name: str, cls, required: tuple[str, ...]):
        out = []
        for i, entry in enumerate(front.get(name, []), start=1):
            if not isinstance(entry, dict) or any(k not in entry for k in required):
                raise SourceError(f"{where}: each [[{name}]] needs {', '.join(required)} ({name} number {i})")
            try:
                out.append(cls(**entry))
            except TypeError:
                raise SourceError(f"{where}: [[{name}]] number {i} has a rule it cannot have") from None
        return tuple(out)

    letter = LetterType(
        key=path.stem,
        title=title.strip(),
        order=int(front.get("order", 1000)),
        corporate_title=corporate_title,
        routes=tuple(_procedure(p, where) for p in _texts(front.get("procedures", [schema.STATUTORY, schema.CORPORATE]), "procedures", where)),
        route_specific=bool(corporate_title) or "corporate" in parts,
        young_person="young person" in parts,
        event=event,
        milestones=_texts(front.get("completes", []), "completes", where),
        due=front.get("due", ""),
        officer_decides=front.get("officer_decides", ""),
        to_child=to == "child",
        variants=variants,
        variant_when=tuple((name, chosen[name]) for name in variants),
        signed_by=signed_by,
        needs=table_list("needs", Need, ("field",)),
        checks=table_list("refuse", Check, ("when", "field", "says")),
        deadlines=table_list("deadlines", Deadline, ("date", "what", "field_if_past", "if_missing", "field_if_missing")),
        due_date=front.get("due_date", ""),
        before_extension=bool(front.get("before_extension", False)),
        lists_actions=_texts(front.get("lists_actions", []), "lists_actions", where),
        sections=sections,
        path=path,
    )
    try:
        for text in [letter.due, letter.due_date, *letter.conditions]:
            conditions.names_in(text)
        unknown = sorted(conditions.names_in(letter.due) - FACTS - {"completes"})
        unknown += sorted(letter.fact_names - FACTS)
    except conditions.ConditionError as err:
        raise SourceError(f"{where}: {err}") from None
    if unknown:
        raise SourceError(f"{where}: '{unknown[0]}' is not a fact a condition can use (docs/letters.md lists them)")
    return letter


class Catalogue:
    """The letter types of one or more folders (a later folder's file replaces an earlier one of the same name)."""

    def __init__(self, folders: list[str | Path] | None = None):
        self.folders = [Path(f) for f in (folders or [TYPES_FOLDER])]
        passages: dict[str, str] = {}
        for folder in self.folders:
            passages.update(passages_from(folder / PASSAGES))
        self.passages = passages
        by_key: dict[str, LetterType] = {}
        for folder in self.folders:
            if not folder.is_dir():
                raise LetterError(f"The letter types folder {folder} does not exist.")
            for path in sorted(folder.glob("*.md")):
                if path.name != PASSAGES:
                    try:
                        by_key[path.stem] = load_type(path, passages)
                    except SourceError as err:
                        raise LetterError(f"The letter type file {err}") from None
        self.types: tuple[LetterType, ...] = tuple(sorted(by_key.values(), key=lambda t: (t.order, t.key)))
        self.by_key = {t.key: t for t in self.types}

    def find(self, name: str | LetterType) -> LetterType:
        """A letter type by key ('stage-1-response') or title ('Stage 1 response'), any case."""
        if isinstance(name, LetterType):
            return name
        wanted = _squash(name)
        for letter in self.types:
            if wanted in (_squash(letter.key), _squash(letter.title), _squash(letter.corporate_title or letter.title)):
                return letter
        choices = ", ".join(letter.key for letter in self.types)
        raise LetterError(f"There is no letter type '{name}': choose one of {choices}.")

    def sections(self) -> list[Section]:
        """Every template the letter types' wording makes, in catalogue order."""
        return [s for letter in self.types for s in letter.sections.values()]


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


CATALOGUE = Catalogue()
LETTER_TYPES = CATALOGUE.types
BY_KEY = CATALOGUE.by_key


def letter_type(name: str | LetterType) -> LetterType:
    """Find a shipped letter type by key ('stage-1-response') or title ('Stage 1 response'), any case."""
    return CATALOGUE.find(name)
