"""Writing to a register that officers already use, without ever harming it.

The register is the team's only record, so a batch command that writes to it:
holds the register's lock file (`locking`), so two officers' commands run one
after the other and neither loses the other's write; refuses while Excel has
it open (Excel's `~$` lock file beside it, or the file cannot be opened for
writing); writes a complete new file beside it, flushed to the disk, and swaps
it in with one atomic rename, so a crash leaves the old file whole; keeps a
timestamped, owner-only copy of the old file in a Backups folder first (which
`restore` puts back); and checks, before the swap, that the VBA project is
byte-for-byte the same and every button still calls the same macro.

openpyxl (keep_vba=True) does the editing. Two things it gets wrong are put
right in the saved file: it renumbers cell comments from the same shape ids as
the form buttons sharing their drawing (two shapes with one id), and it drops
the metadata that makes a formula a dynamic (spilling) array.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from xml.etree import ElementTree as ET

from . import locking, outputs

BACKUP_FOLDER = "Backups"
VBA_PART = "xl/vbaProject.bin"
METADATA_PART = "xl/metadata.xml"
METADATA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"
METADATA_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata"
NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


class RegisterInUse(RuntimeError):
    """The register is open in Excel (here or on a colleague's PC)."""


class WritebackError(RuntimeError):
    """The new file would not have been a faithful copy: nothing was written."""


@dataclass
class WriteResult:
    path: Path
    backup: Path | None
    outcome: object = None  # whatever the edit returned
    cleared_stale_lock: bool = False  # a lock left by a command that stopped was removed first


# --- is it open? ------------------------------------------------------------------------------


def lock_files(path: str | Path) -> list[Path]:
    """Excel's owner files for `path` that exist: '~$' + name (and '~$' + name less two characters,
    the form Office uses for longer names)."""
    return locking.office_lock_files(path)


def check_not_open(path: str | Path) -> None:
    """Raise RegisterInUse when Excel holds the register; say how to fix it."""
    path = Path(path)
    locks = lock_files(path)
    if locks:
        raise RegisterInUse(
            f"{path.name} is open in Excel (its lock file {locks[0].name} is in the same folder). "
            "Close it on every PC, then run the command again. If nobody has it open, Excel closed badly: "
            f"delete {locks[0].name} and try again."
        )
    if path.exists():
        try:
            with open(path, "r+b"):
                pass
        except PermissionError:
            raise RegisterInUse(f"{path.name} cannot be written to: it is open in another program, or read-only.") from None


@contextlib.contextmanager
def writing(path: str | Path, command: str) -> Iterator[locking.Lock]:
    """The one way to write a register: only one command at a time, never while Excel has it open.

    Inside the block this command is the register's only writer, so files left
    by a writer that was stopped (temporary copies) are cleared first.
    """
    path = Path(path)
    with contextlib.ExitStack() as stack:
        try:
            lock = stack.enter_context(locking.held(path, command))
        except locking.Busy as err:
            raise RegisterInUse(str(err)) from None
        except OSError as err:  # the lock could not be made: a read-only folder or a full disk
            raise WritebackError(outputs.plain_os_error(err, f"the new copy of {path.name}", f"{path.name} was left as it was")) from None
        check_not_open(path)
        clear_leftovers(path)
        yield lock


def clear_leftovers(path: Path) -> int:
    """Remove temporary copies of the register a stopped command left beside it (call under the lock)."""
    removed = 0
    pattern = f"{path.stem}.writing-*{path.suffix}"
    for leftover in list(path.parent.glob(pattern)) + list(path.parent.glob(pattern + ".part")):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed += 1
    return removed


# --- backups ----------------------------------------------------------------------------------

_BACKUP_NAME = re.compile(r"^(?P<stem>.+) (?P<when>\d{4}-\d{2}-\d{2} \d{6})(?: \((?P<n>\d+)\))?$")


def backup(path: str | Path, when: dt.datetime | None = None) -> Path:
    """Copy the register into Backups/ beside it, named with the date and time; owner-only.

    The copy is made under a name no other command can take at the same moment
    (O_EXCL), flushed to the disk, and removed again if it could not be finished.
    """
    path = Path(path)
    when = when or dt.datetime.now()
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True, mode=0o700)
    n = 1
    while True:
        label = f"{when:%Y-%m-%d %H%M%S}" + (f" ({n})" if n > 1 else "")
        target = folder / f"{path.stem} {label}{path.suffix}"
        try:
            outputs.create_private(target)
            break
        except FileExistsError:
            n += 1
    try:
        with open(path, "rb") as source, open(target, "r+b") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
            copy.flush()
            os.fsync(copy.fileno())
        stats = path.stat()
        os.utime(target, ns=(stats.st_atime_ns, stats.st_mtime_ns))
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return target


def backups(path: str | Path) -> list[Path]:
    """The register's backups in Backups/ beside it, newest first."""
    path = Path(path)
    folder = path.parent / BACKUP_FOLDER
    if not folder.is_dir():
        return []
    found = []
    for candidate in folder.iterdir():
        if candidate.suffix.lower() != path.suffix.lower() or not candidate.is_file():
            continue
        m = _BACKUP_NAME.match(candidate.stem)
        if not m or m.group("stem") != path.stem:
            continue
        when = dt.datetime.strptime(m.group("when"), "%Y-%m-%d %H%M%S")
        found.append((when, int(m.group("n") or 1), candidate))
    return [c for _, _, c in sorted(found, key=lambda item: (item[0], item[1]), reverse=True)]


def backup_made(backup_path: str | Path) -> dt.datetime:
    """When a backup was made, from its name (the file's own dates are the register's)."""
    m = _BACKUP_NAME.match(Path(backup_path).stem)
    if not m:
        raise ValueError(f"{Path(backup_path).name} is not named like a register backup.")
    return dt.datetime.strptime(m.group("when"), "%Y-%m-%d %H%M%S")


def is_whole_workbook(path: str | Path) -> bool:
    """Whether the file is a complete workbook (a zip whose every part reads back)."""
    try:
        with zipfile.ZipFile(path) as z:
            return "xl/workbook.xml" in z.namelist() and z.testzip() is None
    except (OSError, zipfile.BadZipFile, EOFError, ValueError):
        return False


def restore(path: str | Path, source: str | Path, when: dt.datetime | None = None) -> WriteResult:
    """Put a backup back as the register, keeping the register being replaced as a backup too."""
    path, source = Path(path), Path(source)
    if not source.is_file():
        raise FileNotFoundError(f"There is no backup at {source}.")
    if not is_whole_workbook(source):
        raise WritebackError(f"{source.name} is not a complete workbook (it was cut short or damaged): choose another backup.")
    with writing(path, "restore") as lock:
        tmp = temporary_path(path)
        try:
            try:
                shutil.copyfile(source, tmp)
                outputs.fsync_file(tmp)
            except OSError as err:
                raise WritebackError(outputs.plain_os_error(err, f"the restored copy of {path.name}", f"{path.name} was left as it was")) from None
            kept = replace_safely(tmp, path, when)
        finally:
            if tmp.exists():
                tmp.unlink()
    return WriteResult(path, kept, source, lock.cleared_stale)


def temporary_path(path: Path) -> Path:
    """Where the new file is written before the swap: same folder (so the rename is atomic)."""
    return path.with_name(f"{path.stem}.writing-{os.getpid()}{path.suffix}")


def replace_safely(new_file: Path, path: Path, when: dt.datetime | None = None) -> Path | None:
    """Back the register up, then swap the new file in; None when there was nothing to back up.

    The new file takes the old one's permissions (a new register is owner-only)
    and is on the disk before the swap, so even a power cut leaves one whole file.
    """
    check_not_open(path)  # Excel may have opened it while we worked
    try:
        if path.exists():
            kept = backup(path, when)
            shutil.copymode(path, new_file)
        else:
            kept = None
            outputs.owner_only(new_file)
        outputs.fsync_file(new_file)
    except OSError as err:
        raise WritebackError(outputs.plain_os_error(err, f"the backup of {path.name}", f"{path.name} was left as it was")) from None
    try:
        os.replace(new_file, path)
    except PermissionError:
        raise RegisterInUse(f"{path.name} was opened while the command ran: nothing was changed. Close it and try again.") from None
    except OSError as err:
        raise WritebackError(outputs.plain_os_error(err, path.name, f"{path.name} was left as it was")) from None
    outputs.fsync_folder(path.parent)
    return kept


# --- the write ---------------------------------------------------------------------------------


def write_register(path: str | Path, edit: Callable, when: dt.datetime | None = None, command: str = "refresh") -> WriteResult:
    """Open the register with openpyxl, let `edit(workbook)` change it, and put it back safely.

    Reading, editing and swapping all happen while this command holds the
    register's lock, so two officers' commands run one after the other and
    neither loses the other's write.
    """
    import openpyxl

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"There is no register at {path}.")
    with writing(path, command) as lock:
        macro_enabled = path.suffix.lower() == ".xlsm"
        wb = openpyxl.load_workbook(path, keep_vba=macro_enabled, keep_links=True)
        outcome = edit(wb)
        tmp = temporary_path(path)
        try:
            try:
                wb.save(tmp)
                repair(path, tmp)
            except OSError as err:
                raise WritebackError(outputs.plain_os_error(err, f"the new copy of {path.name}", f"{path.name} was left as it was")) from None
            verify(path, tmp)
            kept = replace_safely(tmp, path, when)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".part")):
                if leftover.exists():
                    leftover.unlink()
    return WriteResult(path, kept, outcome, lock.cleared_stale)


def verify(original: Path, new: Path) -> None:
    """Refuse a new file whose VBA or buttons differ from the original's."""
    if vba_project(original) != vba_project(new):
        raise WritebackError("The macros (VBA project) would have changed: the register was left as it was.")
    before, after = buttons(original), buttons(new)
    if sorted(before) != sorted(after):
        lost = sorted(set(before) - set(after))
        raise WritebackError(f"The buttons would have changed ({lost or after}): the register was left as it was.")


# --- reading the parts tests and checks need -------------------------------------------------------


def vba_project(path: str | Path) -> bytes | None:
    with zipfile.ZipFile(path) as z:
        return z.read(VBA_PART) if VBA_PART in z.namelist() else None


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part ('xl/worksheets/sheet1.xml')."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = _relationships(z, "xl/workbook.xml")
    parts = {}
    for sheet in book.iter(f"{{{NS['main']}}}sheet"):
        rid = sheet.get(f"{{{NS['r']}}}id")
        if rid in rels:
            parts[sheet.get("name")] = rels[rid]
    return parts


def _relationships(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> target part, resolved against the part's folder."""
    folder, name = part.rsplit("/", 1) if "/" in part else ("", part)
    rels_part = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if rels_part not in z.namelist():
        return {}
    out = {}
    for rel in ET.fromstring(z.read(rels_part)).iter(f"{{{NS['rel']}}}Relationship"):
        target = rel.get("Target")
        if target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            bits = (folder.split("/") if folder else []) + target.split("/")
            stack: list[str] = []
            for bit in bits:
                if bit == "..":
                    stack.pop()
                elif bit and bit != ".":
                    stack.append(bit)
            resolved = "/".join(stack)
        out[rel.get("Id")] = resolved
    return out


def _legacy_drawing(z: zipfile.ZipFile, sheet_part: str) -> str | None:
    xml = z.read(sheet_part).decode("utf-8")
    m = re.search(r"<(?:\w+:)?legacyDrawing[^>]*\bid=\"([^\"]+)\"", xml)
    if not m:
        return None
    return _relationships(z, sheet_part).get(m.group(1))


_SHAPE = re.compile(r"<v:shape\b[^>]*>.*?</v:shape>", re.S)


def buttons(path: str | Path) -> list[tuple[str, str, str]]:
    """(sheet, caption, macro) for every form button in the workbook."""
    found = []
    with zipfile.ZipFile(path) as z:
        for sheet, part in sheet_parts(z).items():
            vml = _legacy_drawing(z, part)
            if not vml or vml not in z.namelist():
                continue
            text = z.read(vml).decode("utf-8", errors="replace")
            for shape in _SHAPE.findall(text):
                if 'ObjectType="Button"' not in shape:
                    continue
                macro = re.search(r"<x:FmlaMacro>(?:\[0\]!)?([^<]*)</x:FmlaMacro>", shape)
                caption = re.sub(r"<[^>]+>", "", re.search(r"<v:textbox\b.*?</v:textbox>", shape, re.S).group(0)).strip()
                found.append((sheet, caption, macro.group(1) if macro else ""))
    return found


# --- putting right what openpyxl gets wrong -------------------------------------------------------


def repair(original: Path, saved: Path) -> None:
    """Fix the saved file in place: unique drawing shape ids; dynamic-array metadata restored."""
    with zipfile.ZipFile(original) as before, zipfile.ZipFile(saved) as after:
        parts = {name: after.read(name) for name in after.namelist()}
        infos = {info.filename: info for info in after.infolist()}
        changed = _unique_shape_ids(parts)
        changed |= _restore_dynamic_arrays(before, after, parts)
    if not changed:
        return
    tmp = saved.with_name(saved.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            info = infos.get(name) or zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)
    os.replace(tmp, saved)


def _unique_shape_ids(parts: dict[str, bytes]) -> bool:
    """Give cell-comment shapes ids no button uses (openpyxl numbers comments from 1026 regardless)."""
    changed = False
    for name in [n for n in parts if n.endswith(".vml")]:
        text = parts[name].decode("utf-8")
        shapes = list(re.finditer(r"<v:shape\b[^>]*>", text))
        ids = [re.search(r'\bid="_x0000_s(\d+)"', s.group(0)) for s in shapes]
        numbers = [int(m.group(1)) for m in ids if m]
        if len(numbers) == len(set(numbers)):
            continue
        keep = [int(m.group(1)) for s, m in zip(shapes, ids) if m and "#_x0000_t202" not in s.group(0)]
        next_id = max(keep + [1024]) + 1

        def renumber(match):
            nonlocal next_id
            tag = match.group(0)
            if "#_x0000_t202" not in tag:  # only comments move; buttons keep their ids
                return tag
            tag = re.sub(r'\bid="_x0000_s\d+"', f'id="_x0000_s{next_id}"', tag)
            next_id += 1
            return tag

        parts[name] = re.sub(r"<v:shape\b[^>]*>", renumber, text).encode("utf-8")
        changed = True
    return changed


def _restore_dynamic_arrays(before: zipfile.ZipFile, after: zipfile.ZipFile, parts: dict[str, bytes]) -> bool:
    """Put back the cell metadata (cm="1") that makes a formula spill, and the part it points to."""
    if METADATA_PART not in before.namelist():
        return False
    old_sheets, new_sheets = sheet_parts(before), sheet_parts(after)
    changed = False
    for sheet, old_part in old_sheets.items():
        new_part = new_sheets.get(sheet)
        if new_part is None:
            continue
        marked = {}
        for tag in re.findall(r"<c\b[^>]*>", before.read(old_part).decode("utf-8")):
            ref, cm = re.search(r'\br="([A-Z]+\d+)"', tag), re.search(r'\bcm="(\d+)"', tag)
            if ref and cm:
                marked[ref.group(1)] = cm.group(1)
        if not marked:
            continue
        text = parts[new_part].decode("utf-8")

        def mark(match):
            tag = match.group(0)
            ref = re.search(r'\br="([A-Z]+\d+)"', tag)
            if ref and ref.group(1) in marked and " cm=" not in tag and not tag.endswith("/>"):
                return tag[:-1] + f' cm="{marked[ref.group(1)]}">'
            return tag

        text = re.sub(r"<c\b[^>]*>", mark, text)
        parts[new_part] = text.encode("utf-8")
        changed = True
    if not changed:
        return False
    parts[METADATA_PART] = before.read(METADATA_PART)
    types = parts["[Content_Types].xml"].decode("utf-8")
    if "/xl/metadata.xml" not in types:
        types = types.replace("</Types>", f'<Override PartName="/xl/metadata.xml" ContentType="{METADATA_TYPE}"/></Types>')
        parts["[Content_Types].xml"] = types.encode("utf-8")
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = parts[rels_name].decode("utf-8")
    if METADATA_REL not in rels:
        rels = rels.replace("</Relationships>", f'<Relationship Id="rIdMetadata" Type="{METADATA_REL}" Target="metadata.xml"/></Relationships>')
        parts[rels_name] = rels.encode("utf-8")
    return True
