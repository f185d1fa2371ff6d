"""The old name of `letters.build` (the Word templates built from the letter types' wording).

Kept so `from xl_complaints.letter_templates_build import build` still works;
the wording is in xl_complaints/letters/types/*.md, the builder in letters/build.py.
"""

from .letters.build import build, build_document, sections

SPECS = tuple(sections())  # every template: one per version of each letter type (each has .stem)

__all__ = ["SPECS", "build", "build_document", "sections"]
