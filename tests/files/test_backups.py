"""Backups of the register, and the permission and flushing paths every written file goes through.

A backup is what an officer falls back on when a command went wrong, so each
promise is checked for what it is: the copy holds the register's bytes, is
named with the time it was made, keeps the register's own dates, is on the
disk (flushed, then fsync'd) before anything replaces the register, is
owner-only, and is removed again if it could not be finished.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import stat
import sys

import pytest

from xl_complaints.files import outputs, writeback
from xl_complaints.files.writeback import RegisterInUse, WritebackError, backup, backup_made, backups

POSIX = os.name == "posix"
WHEN = dt.datetime(2024, 3, 4, 9, 5, 7)
CONTENT = b"PK\x03\x04 a register's bytes " + bytes(range(256)) * 40  # over 10 KB: more than one write buffer


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "Complaints_Register.xlsm"
    path.write_bytes(CONTENT)
    os.utime(path, (1_600_000_000, 1_600_000_000))  # 13 September 2020: the register's own date
    return path


def test_backup_is_a_byte_for_byte_copy_named_with_the_date_and_time(register):
    made = backup(register, WHEN)
    assert made == register.parent / "Backups" / "Complaints_Register 2024-03-04 090507.xlsm"
    assert made.read_bytes() == CONTENT
    assert register.read_bytes() == CONTENT  # the register itself is untouched
    assert backup_made(made) == WHEN


def test_backup_keeps_the_registers_own_modification_date(register):
    made = backup(register, WHEN)
    assert made.stat().st_mtime == 1_600_000_000
    assert made.stat().st_mtime_ns == register.stat().st_mtime_ns


@pytest.mark.parametrize("size", [3_000, len(CONTENT)], ids=["smaller than a write buffer", "larger"])
def test_backup_is_on_the_disk_before_it_is_returned(register, monkeypatch, size):
    """fsync on the backup's own file, after every byte has been handed to the operating system.

    A small file sits in Python's write buffer until it is flushed: fsync'ing before
    the flush would put an empty file on the disk."""
    register.write_bytes(CONTENT[:size])
    synced = []
    real_fsync = os.fsync

    def spy(fd):
        info = os.fstat(fd)
        synced.append((info.st_ino, info.st_size))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    made = backup(register, WHEN)
    assert (made.stat().st_ino, size) in synced


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_backup_and_its_folder_are_owner_only(register):
    previous = os.umask(0o022)
    try:
        made = backup(register, WHEN)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700


def test_backups_in_the_same_second_never_overwrite_each_other(register):
    first = backup(register, WHEN)
    register.write_bytes(b"changed")
    second = backup(register, WHEN)
    third = backup(register, WHEN)
    assert (first.name, second.name, third.name) == (
        "Complaints_Register 2024-03-04 090507.xlsm",
        "Complaints_Register 2024-03-04 090507 (2).xlsm",
        "Complaints_Register 2024-03-04 090507 (3).xlsm",
    )
    assert first.read_bytes() == CONTENT and second.read_bytes() == b"changed"


def test_backups_are_listed_newest_first_and_only_this_registers(register):
    older = backup(register, dt.datetime(2023, 12, 31, 23, 59, 59))
    newer = backup(register, WHEN)
    newer_2 = backup(register, WHEN)
    folder = register.parent / "Backups"
    (folder / "Other_Register 2024-05-01 000000.xlsm").write_bytes(b"x")  # another register's backup
    (folder / "Complaints_Register 2024-05-01 000000.xlsx").write_bytes(b"x")  # another kind of file
    (folder / "Complaints_Register notes.xlsm").write_bytes(b"x")  # not named with a date
    (folder / "Complaints_Register 2024-06-01 000000.xlsm").mkdir()  # a folder, not a backup
    assert backups(register) == [newer_2, newer, older]
    assert backups(register.parent / "Missing.xlsm") == []


def test_backups_when_there_is_no_backup_folder(tmp_path):
    assert backups(tmp_path / "Complaints_Register.xlsm") == []


@pytest.mark.parametrize("name", ["Complaints_Register.xlsm", "Complaints_Register 2024-03-04.xlsm", "x 2024-13-04 090507.xlsm"])
def test_a_file_not_named_like_a_backup_has_no_date(name):
    with pytest.raises(ValueError):
        backup_made(name)


def test_backup_made_reads_a_numbered_backup():
    assert backup_made("Complaints_Register 2024-03-04 090507 (12).xlsm") == WHEN


def test_a_backup_that_cannot_be_finished_is_removed(register, monkeypatch):
    def full_disk(source, target, length=0):
        target.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfileobj", full_disk)
    with pytest.raises(OSError):
        backup(register, WHEN)
    assert list((register.parent / "Backups").iterdir()) == []


def test_replacing_the_register_backs_it_up_first_and_keeps_its_permissions(register, tmp_path):
    os.chmod(register, 0o640)
    new = tmp_path / "new.xlsm"
    new.write_bytes(b"the new register")
    kept = writeback.replace_safely(new, register, WHEN)
    assert kept.read_bytes() == CONTENT
    assert register.read_bytes() == b"the new register"
    if POSIX:
        assert stat.S_IMODE(register.stat().st_mode) == 0o640


def test_a_new_register_with_nothing_to_back_up_is_owner_only(tmp_path):
    new = tmp_path / "new.xlsm"
    new.write_bytes(b"first register")
    os.chmod(new, 0o644)
    path = tmp_path / "Complaints_Register.xlsm"
    assert writeback.replace_safely(new, path, WHEN) is None
    assert not (tmp_path / "Backups").exists()
    if POSIX:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_backup_that_fails_leaves_the_register_as_it_was(register, tmp_path, monkeypatch):
    new = tmp_path / "new.xlsm"
    new.write_bytes(b"the new register")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(writeback, "backup", refuse)
    with pytest.raises(WritebackError) as raised:
        writeback.replace_safely(new, register, WHEN)
    assert str(raised.value) == (
        "The backup of Complaints_Register.xlsm could not be saved: the folder is read-only, you do not have "
        "permission to write there, or the file is open in another program. Complaints_Register.xlsm was left as it was."
    )
    assert register.read_bytes() == CONTENT


def test_a_register_opened_during_the_swap_is_left_alone(register, tmp_path, monkeypatch):
    new = tmp_path / "new.xlsm"
    new.write_bytes(b"the new register")

    def opened(*args):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", opened)
    with pytest.raises(RegisterInUse, match="was opened while the command ran: nothing was changed"):
        writeback.replace_safely(new, register, WHEN)
    assert register.read_bytes() == CONTENT


def test_a_register_another_program_holds_cannot_be_written(register, monkeypatch):
    real_open = open

    def held(path, mode="r", *args, **kwargs):
        if str(path) == str(register) and "+" in mode:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", held)
    with pytest.raises(RegisterInUse) as raised:
        writeback.check_not_open(register)
    assert str(raised.value) == "Complaints_Register.xlsm cannot be written to: it is open in another program, or read-only."


def test_excels_lock_file_names_the_file_to_delete(register):
    (register.parent / "~$Complaints_Register.xlsm").write_bytes(b"")
    with pytest.raises(RegisterInUse) as raised:
        writeback.check_not_open(register)
    assert "its lock file ~$Complaints_Register.xlsm is in the same folder" in str(raised.value)
    assert "delete ~$Complaints_Register.xlsm and try again" in str(raised.value)


def test_a_missing_register_is_not_open(tmp_path):
    writeback.check_not_open(tmp_path / "Complaints_Register.xlsm")  # nothing to refuse


# --- outputs: owner-only from the moment a file exists, and flushed -----------------------------


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_create_private_makes_an_owner_only_file_and_never_reuses_one(tmp_path):
    previous = os.umask(0)
    try:
        target = tmp_path / "letter.docx"
        outputs.create_private(target)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_bytes() == b""
    with pytest.raises(FileExistsError):
        outputs.create_private(target)


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_owner_only_takes_away_everyone_elses_access(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"x")
    os.chmod(target, 0o666)
    outputs.owner_only(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    outputs.owner_only(tmp_path / "missing.xlsx")  # a file that is gone is let be


def test_fsync_file_flushes_that_file(tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"twelve bytes")
    synced = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(os.fstat(fd).st_ino))
    outputs.fsync_file(target)
    assert synced == [target.stat().st_ino]


@pytest.mark.parametrize("code", [errno.EINVAL, errno.EBADF])
def test_a_file_system_that_cannot_flush_is_let_be(tmp_path, monkeypatch, code):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"x")

    def cannot(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", cannot)
    outputs.fsync_file(target)


def test_a_disk_that_fails_while_flushing_is_an_error(tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"x")

    def failing(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(OSError) as raised:
        outputs.fsync_file(target)
    assert raised.value.errno == errno.EIO


@pytest.mark.skipif(sys.platform != "linux", reason="folders are fsync'd on POSIX")
def test_fsync_folder_flushes_the_folder(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(os.fstat(fd).st_ino))
    outputs.fsync_folder(tmp_path)
    assert synced == [tmp_path.stat().st_ino]
    outputs.fsync_folder(tmp_path / "missing")  # nothing to flush: let be


@pytest.mark.parametrize(
    "err, sentence",
    [
        (
            OSError(errno.ENOSPC, "No space left on device"),
            "The disk is full, so the status report could not be saved. Nothing was changed: free some space and try again.",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied"),
            "The status report could not be saved: the folder is read-only, you do not have permission to write there, "
            "or the file is open in another program. Nothing was changed.",
        ),
        (
            OSError(errno.EROFS, "Read-only file system"),
            "The status report could not be saved: the folder is read-only, you do not have permission to write there, "
            "or the file is open in another program. Nothing was changed.",
        ),
        (OSError(errno.EIO, "Input/output error"), "The status report could not be saved (Input/output error). Nothing was changed."),
    ],
)
def test_operating_system_errors_read_as_sentences(err, sentence):
    assert outputs.plain_os_error(err, "the status report") == sentence
