"""Letters to complainants: which letter, what it may say, and the Word file.

The letter types are data: one file each in `types/` (docs/letters.md) saying
when the letter is due, what its sending records, what it cannot do without,
the deadlines it states, who signs it, and its wording in each version. The
package reads them (`catalogue`), works out the facts their conditions use
(`facts`), the context a template prints (`context`), what stops a letter
(`checks`), and writes batches (`batch`); `build` makes the Word templates in
`letter_templates/` from the wording, and `docx_seam` is the one module that
reaches inside docxtpl and python-docx (see its docstring).

Each letter type says which register fields it cannot do without; a row that
lacks one is refused with the reference and the field named, never sent with a
blank. Templates are rendered by docxtpl's own XML preparation in a sandboxed,
autoescaping Jinja environment with strict undefined names: register text is
printed, never executed, and a misspelt placeholder stops the letter instead of
leaving a gap.
"""

from __future__ import annotations

from .batch import LetterResults, Prepared, WrittenLetter, due_rows, generate_for_rows, prepare, rows_for_refs
from .catalogue import BY_KEY, CATALOGUE, LETTER_TYPES, TYPES_FOLDER, Catalogue, LetterType, letter_type
from .checks import Refusal, check_row
from .conditions import jinja_env
from .context import OMBUDSMAN, age_on, build_context, deadline, outcome_verb, placeholders, waiting_for_reply
from .errors import LetterError
from .facts import extension_stage
from .files import already_written, letter_path, safe_name, write_new
from .pdf import find_soffice, to_pdf
from .templates import TEMPLATES_FOLDER, LetterTemplate, TemplateLibrary, TemplateProblem, check_template, check_templates, expected_templates
from .words import Blank, MissingName, clean, long_date, named, period_text

__all__ = [
    "BY_KEY", "CATALOGUE", "LETTER_TYPES", "OMBUDSMAN", "TEMPLATES_FOLDER", "TYPES_FOLDER", "Blank", "Catalogue",
    "LetterError", "LetterResults", "LetterTemplate", "LetterType", "MissingName", "Prepared", "Refusal",
    "TemplateLibrary", "TemplateProblem", "WrittenLetter", "age_on", "already_written", "build_context",
    "check_row", "check_template", "check_templates", "clean", "deadline", "due_rows", "expected_templates",
    "extension_stage", "find_soffice", "generate_for_rows", "jinja_env", "letter_path", "letter_type",
    "long_date", "named", "outcome_verb", "period_text", "placeholders", "prepare", "rows_for_refs",
    "safe_name", "to_pdf", "waiting_for_reply", "write_new",
]  # fmt: skip
