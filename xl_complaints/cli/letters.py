"""`xl-complaints letters` and `xl-complaints templates`: letters in batches, templates checked.

A thin shell over `letters`: it reads the register, asks for the letters,
shows a progress bar, and prints what was written and what was refused and
why (by reference and field, never by name).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from tqdm import tqdm

from .. import letters
from ..files import audit
from ..core.dates import as_of_or_today
from .options import DATE, PlainBadParameter, fail, open_register, password_from_option, password_option

LIST_LIMIT = 25  # written letters listed one by one up to this many


def _split_refs(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


@click.command("letters")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--type", "letter_name", required=True, metavar="TYPE",
              help="Which letter: " + ", ".join(letter.key for letter in letters.LETTER_TYPES) + ".")
@click.option("--refs", help="References to write to, separated by commas.")
@click.option("--due", is_flag=True, help="Every complaint whose next step is this letter.")
@click.option("--pdf", "make_pdf", is_flag=True, help="Also save a PDF copy of each letter (needs LibreOffice or Word).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Letters folder (default: the register's Settings, beside the register).")
@click.option("--as-of", "as_of", type=DATE, help="The letters' date (default: today).")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of Word templates (default: the shipped letter_templates).")
@click.option("--reissue", is_flag=True,
              help="Write again, as copies dated as first sent, letters whose step the register already records (asks first).")
@click.option("--yes", "assume_yes", is_flag=True, help="With --reissue: do not ask before writing the copies.")
@password_option
def letters_command(register, letter_name, refs, due, make_pdf, out, as_of, templates, password_file, reissue, assume_yes):
    """Write letters from the register's rows.

    \b
    Examples:
      xl-complaints letters Complaints_Register.xlsm --type acknowledgement --due
      xl-complaints letters Complaints_Register.xlsm --type stage-1-response --refs CSC-2024-0012,CSC-2024-0013 --pdf
    """
    try:
        letter = letters.letter_type(letter_name)
    except letters.LetterError as err:
        raise PlainBadParameter(str(err), param_hint="--type") from None
    wanted = _split_refs(refs)
    if not wanted and not due:
        raise click.UsageError("Say which complaints to write to: --refs R1,R2 or --due.")
    as_of = as_of_or_today(as_of)
    password = password_from_option(password_file)
    if password is not None and make_pdf:
        raise click.UsageError("PDF copies cannot be password-protected: leave out --pdf, or the password.")
    audit.start(register, "letters")
    register_file = open_register(register, in_excel="the letters use its last saved version")
    for problem in register_file.settings_problems:
        click.echo(f"Warning: {problem}", err=True)

    if reissue and not assume_yes:
        click.confirm(
            f"Letters whose step the register already records will be written again as copies, dated as they were first "
            f"sent and saying so. Write {letter.title.lower()} copies?", abort=True,
        )

    def progress(items):
        return tqdm(items, desc=f"Writing {letter.title.lower()} letters", unit="letter", disable=None, leave=False)

    try:
        results = letters.generate_for_rows(
            register_file, wanted, letter, None, out, as_of, due=due, templates=templates, progress=progress, password=password,
            reissue=reissue,
        )
    except letters.LetterError as err:
        fail(err)
    audit.event(
        "wrote", letter=letter.key, written=len(results.written), refused=len(results.refused), skipped=len(results.skipped),
        protected=password is not None, as_of=as_of, references=[w.reference for w in results.written],
    )

    pdf_failed: list[tuple[Path, str]] = []
    pdf_count = 0
    if make_pdf and results.written:
        try:
            made, pdf_failed = letters.to_pdf([w.path for w in results.written])
            pdf_count = len(made)
        except letters.LetterError as err:
            click.echo(str(err), err=True)
        audit.event("pdf", pdf=pdf_count, refused=len(pdf_failed))

    _summary(results, letter, pdf_count, pdf_failed, make_pdf, due_on=as_of if due else None)
    if results.refused or pdf_failed:
        raise SystemExit(1)


def _summary(results: letters.LetterResults, letter: letters.LetterType, pdf_count: int, pdf_failed, make_pdf: bool,
             due_on: dt.date | None = None) -> None:
    written = results.written
    if written:
        folder = _common_folder([w.path for w in written])
        noun = "letter" if len(written) == 1 else "letters"
        click.echo(f"Wrote {len(written)} {noun} in {folder}:")
        for w in written[:LIST_LIMIT]:
            click.echo(f"  {w.reference}: {w.path.relative_to(folder)} ({w.delivery.lower()})")
        if len(written) > LIST_LIMIT:
            click.echo(f"  ... and {len(written) - LIST_LIMIT} more.")
        to_complete = [w for w in written if w.to_complete]
        if to_complete:
            click.echo(completion_note(len(to_complete)) + ": " + _list([w.reference for w in to_complete]) + ".")
        to_record = {}
        for w in written:
            for column in w.records:
                to_record.setdefault(column, []).append(w.reference)
        for column, refs in to_record.items():
            click.echo(f"When they are sent, record the date in '{column}' for {_list(refs)}.")
    elif due_on is not None and not results.refused:
        click.echo(f"No {letter.title.lower()} letter was due as of {due_on:%d/%m/%Y}, so none was written.")
    else:
        click.echo(f"No {letter.title.lower()} letters were written.")
    if make_pdf and written:
        click.echo(f"PDF copies: {pdf_count} made.")
        for path, why in pdf_failed:
            click.echo(f"  No PDF for {path.name}: {why}")
    if results.skipped:
        click.echo(f"Already written before (not repeated): {_list(results.skipped)}.")
    if results.refused:
        click.echo(f"Refused {len({(r.reference, r.row) for r in results.refused})}:")
        for refusal in results.refused:
            click.echo(f"  {refusal}")


def completion_note(count: int) -> str:
    """'1 letter needs ...' / '3 letters need ...': the letters with yellow sections to complete."""
    if count == 1:
        return "1 letter needs completing before it is sent (the sections highlighted in yellow)"
    return f"{count} letters need completing before they are sent (the sections highlighted in yellow)"


def _list(items: list[str], limit: int = 10) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _common_folder(paths: list[Path]) -> Path:
    parents = [p.parent.parent for p in paths]
    first = parents[0]
    return first if all(p == first for p in parents) else Path(*Path(first).parts[:1])


@click.group("templates")
def templates_group():
    """Check or rebuild the Word letter templates."""


@templates_group.command("check")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              help="Templates folder (default: the shipped letter_templates).")
def templates_check(folder):
    """List placeholders the register cannot fill, and other template mistakes.

    Exits with an error when any template would leave a blank in a letter.
    """
    problems = letters.check_templates(folder)
    where = folder or letters.TEMPLATES_FOLDER
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        label = "Error" if problem.severity == "error" else "Warning"
        click.echo(f"{label}: {problem}")
    count = len(list(Path(where).glob("*.docx"))) if Path(where).is_dir() else 0
    if errors:
        click.echo(f"{len(errors)} error(s) in the templates in {where}.")
        raise SystemExit(1)
    click.echo(f"All {count} templates in {where} can be filled from the register.")


@templates_group.command("build")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
              help="Templates folder (default: the shipped letter_templates).")
@click.option("--force", is_flag=True, help="Replace templates that already exist (officers' edits are lost).")
def templates_build(folder, force):
    """Write the shipped templates; existing ones are kept unless --force."""
    from ..letters.build import build

    written, kept = build(folder, force=force)
    where = folder or letters.TEMPLATES_FOLDER
    click.echo(f"Wrote {len(written)} template(s) in {where}.")
    if kept:
        click.echo(f"Kept {len(kept)} existing template(s); use --force to replace them.")
