"""The Word templates: where they are, one prepared per run, and the check officers run after editing them."""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import TemplateError

from ..core.settings import Settings
from . import catalogue
from .catalogue import LetterType
from .conditions import ENV
from .context import logo_path, placeholders
from .docx_seam import PreparedTemplate, header_footer_names
from .errors import LetterError

_YELLOW = re.compile(rb'<w:highlight w:val="yellow"\s*/>')  # a section for the officer to complete


def _shipped_templates() -> Path:
    """The templates that come with xl-complaints: the checkout's folder, or the installed copy."""
    import site

    candidates = [
        Path(__file__).resolve().parent.parent.parent / "letter_templates",  # a checkout or editable install
        Path(sys.prefix) / "share" / "xl-complaints" / "letter_templates",  # pip install
        Path(site.getuserbase()) / "share" / "xl-complaints" / "letter_templates",  # pip install --user
    ]
    return next((c for c in candidates if c.is_dir()), candidates[0])


TEMPLATES_FOLDER = _shipped_templates()


class LetterTemplate(PreparedTemplate):
    """A Word template prepared once and rendered many times (the output matches `DocxTemplate.render`)."""

    def render(self, context: dict) -> bytes:
        """The finished .docx, as bytes."""
        return self.render_letter(context)[0]

    def render_letter(self, context: dict) -> tuple[bytes, bool]:
        """The finished .docx, and whether it has yellow sections for the officer to complete."""
        parts = self.render_parts(context)
        to_complete = any(_YELLOW.search(data) for data in parts.values())
        return self.package(parts), to_complete


class TemplateLibrary:
    """The templates folder, each template prepared once per run."""

    def __init__(self, folder: str | Path | None = None, settings: Settings | None = None, base: Path | None = None):
        settings = settings or Settings()
        if not folder and settings.templates_folder:
            folder = Path(settings.templates_folder)
            if base is not None and not folder.is_absolute():
                folder = Path(base) / folder
        self.folder = Path(folder) if folder else TEMPLATES_FOLDER
        self.logo = logo_path(settings, base)
        self._cache: dict[str, LetterTemplate] = {}

    def path_for(self, letter: LetterType, procedure: str, young_person: bool, variant: str = "") -> Path | None:
        for stem in letter.template_stems(procedure, young_person, variant):
            path = self.folder / f"{stem}.docx"
            if path.is_file():
                return path
        return None

    def get(self, letter: LetterType, procedure: str, young_person: bool, variant: str = "") -> LetterTemplate:
        path = self.path_for(letter, procedure, young_person, variant)
        if path is None:
            wanted = letter.template_stems(procedure, young_person, variant)[-1]
            raise LetterError(f"There is no template '{wanted}.docx' in {self.folder}: run 'xl-complaints templates build'.")
        key = str(path)
        if key not in self._cache:
            self._cache[key] = LetterTemplate(path.read_bytes(), path.name, self.logo)
        return self._cache[key]


# --- templates check -------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateProblem:
    template: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.template}: {self.message}"


def expected_templates(letter_types=None) -> list[str]:
    """The template file names the letter types look for (most specific first)."""
    names: list[str] = []
    for letter in letter_types or catalogue.LETTER_TYPES:
        for procedure in letter.routes:
            for young in (False, True):
                for stem in letter.template_stems(procedure, young):
                    if f"{stem}.docx" not in names:
                        names.append(f"{stem}.docx")
            for variant in letter.variants:
                names.append(f"{letter.template_stems(procedure, False, variant)[0]}.docx")
    return names


def check_template(path: Path) -> list[TemplateProblem]:
    """Placeholders the register cannot fill, and Jinja mistakes, in one template."""
    problems: list[TemplateProblem] = []
    known = placeholders()
    try:
        tpl = DocxTemplate(str(path))
        used = tpl.get_undeclared_template_variables(ENV)
    except TemplateError as err:
        line = getattr(err, "message", str(err))
        return [TemplateProblem(path.name, f"a placeholder or instruction is not written correctly ({line})")]
    except Exception:  # not a Word file at all
        return [TemplateProblem(path.name, "cannot be read as a Word document (it is damaged, cut short or not a .docx)")]
    for name in sorted(used - known):
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f": did you mean {{{{ {close[0]} }}}}?" if close else ""
        problems.append(TemplateProblem(path.name, f"uses {{{{ {name} }}}}, which the register cannot fill{hint}"))
    if "logo" in header_footer_names(path):
        problems.append(TemplateProblem(path.name, "puts {{ logo }} in a header or footer: put it in the letter itself"))
    return problems


def check_templates(folder: str | Path | None = None, letter_types=None) -> list[TemplateProblem]:
    letter_types = letter_types or catalogue.LETTER_TYPES
    folder = Path(folder) if folder else TEMPLATES_FOLDER
    problems: list[TemplateProblem] = []
    if not folder.is_dir():
        return [TemplateProblem(str(folder), "the templates folder does not exist: run 'xl-complaints templates build'")]
    expected = expected_templates(letter_types)
    present = {p.name for p in folder.glob("*.docx") if not p.name.startswith("~$")}
    for name in sorted(present):
        if name not in expected:
            problems.append(TemplateProblem(name, "is not used by any letter type (check its name)", "warning"))
        problems.extend(check_template(folder / name))
    for letter in letter_types:
        for procedure in letter.routes:
            for variant in ("", *letter.variants):
                stem = letter.template_stems(procedure, False, variant)[-1]
                if f"{stem}.docx" not in present:
                    problems.append(TemplateProblem(f"{stem}.docx", "is missing: this letter cannot be written"))
    return problems
