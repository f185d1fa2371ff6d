"""PDF copies beside the letters: LibreOffice for a whole batch at once, or Word on Windows."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import LetterError
from .files import _free_path, write_new

_SOFFICE_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


def find_soffice() -> str | None:
    """LibreOffice's command, from the PATH or where its installer puts it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((place for place in _SOFFICE_PLACES if Path(place).is_file()), None)


def to_pdf(paths: list[Path], soffice: str | None = None) -> tuple[dict[Path, Path], list[tuple[Path, str]]]:
    """PDF copies beside the letters: ({docx: pdf}, [(docx, why not)]).

    One LibreOffice run converts the whole batch (starting it costs seconds),
    with a private profile so it never collides with an office already open.
    The letters are copied under numbered names first: letters for different
    complaints share file names. Without LibreOffice, Word is used on Windows.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return {}, []
    soffice = soffice or find_soffice()
    if soffice is None:
        if sys.platform == "win32":
            return _word_to_pdf(paths)
        raise LetterError("PDF copies were not made: LibreOffice (soffice) is not installed.")
    made: dict[Path, Path] = {}
    failed: list[tuple[Path, str]] = []
    with tempfile.TemporaryDirectory(prefix="xl-complaints-pdf-") as tmp:
        tmp_path = Path(tmp)
        inputs = []
        for i, path in enumerate(paths):
            copy = tmp_path / f"{i:05d}.docx"
            shutil.copyfile(path, copy)
            inputs.append(str(copy))
        command = [
            soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *inputs,
        ]
        try:
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120 + 5 * len(paths), check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            return {}, [(p, "LibreOffice did not finish making the PDF") for p in paths]
        for i, path in enumerate(paths):
            pdf = tmp_path / "pdf" / f"{i:05d}.pdf"
            if pdf.is_file() and pdf.stat().st_size > 0:
                made[path] = write_new(path.with_suffix(".pdf"), pdf.read_bytes())
            else:
                failed.append((path, "LibreOffice could not convert it"))
    return made, failed


def _word_to_pdf(paths: list[Path]) -> tuple[dict[Path, Path], list[tuple[Path, str]]]:  # pragma: no cover - Windows with Word
    try:
        import win32com.client  # comes with xlwings' pywin32 on Windows
    except ImportError:
        raise LetterError("PDF copies were not made: neither LibreOffice nor Word could be found.") from None
    made, failed = {}, []
    word = win32com.client.DispatchEx("Word.Application")
    word.Visible = False
    try:
        for path in paths:
            target = _free_path(path.with_suffix(".pdf"))
            try:
                document = word.Documents.Open(str(path.resolve()), ReadOnly=True)
                document.SaveAs2(str(target.resolve()), FileFormat=17)  # wdFormatPDF
                document.Close(False)
                made[path] = target
            except Exception as err:  # COM errors carry no useful hierarchy
                failed.append((path, "Word could not convert it"))
    finally:
        word.Quit()
    return made, failed
