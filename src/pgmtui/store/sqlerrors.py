"""SQLite's errors as StoreErrors with messages fit for a user: never a bare "database is locked",
"disk image is malformed" or "UNIQUE constraint failed" escaping to the CLI or a screen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pgmtui.records.errors import (
    BusyError,
    DatabaseDamagedError,
    ReadOnlyError,
    StoreError,
    ValidationError,
)
from pgmtui.store.locks import busy_message


def is_busy(exc: BaseException) -> bool:
    low = str(exc).lower()
    return "locked" in low or "busy" in low


def is_disk_fault(exc: sqlite3.Error) -> bool:
    """Disk full or an I/O error (SQLITE_FULL, SQLITE_IOERR_*)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    low = str(exc).lower()
    return (
        name == "SQLITE_FULL"
        or name.startswith("SQLITE_IOERR")
        or "disk is full" in low
        or "i/o error" in low
    )


def translate(exc: sqlite3.Error, path: Path) -> StoreError:
    """A raw sqlite3 error as a StoreError with a message fit for a user (never a bare
    "database is locked" or "disk image is malformed" escaping to the CLI or a screen)."""
    text = str(exc)
    low = text.lower()
    if is_busy(exc):
        return BusyError(busy_message(path))
    if "readonly" in low or "read-only" in low:
        return ReadOnlyError(f"{path} cannot be written ({text}); check the file and folder permissions")
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return DatabaseDamagedError(
            f"{path} is damaged ({text}); restore it from a backup (`pgmtui check` lists problems)"
        )
    if "disk is full" in low or getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL":
        return StoreError(
            f"cannot write {path}: the disk is full (or the database reached its size limit); "
            "the database is as it was before this change: free some space and try again"
        )
    if is_disk_fault(exc):
        return StoreError(
            f"{path}: input/output error (a disk or filesystem problem, or a file size limit); "
            "check the disk, then run `pgmtui check`"
        )
    if isinstance(exc, sqlite3.OperationalError):  # file vanished, out of memory, ...
        return StoreError(f"cannot use {path}: {text}")
    return StoreError(f"{path}: database error: {text}")


def integrity_error(kind: str, exc: sqlite3.IntegrityError) -> StoreError:
    """A constraint the store's own rules did not catch first (another program's rows, a race
    the rules cannot see), as a message about the record."""
    text = str(exc)
    if "project.code" in text:
        return ValidationError("code", "a project with that code already exists")
    if "dependency.supplier_id, dependency.consumer_id" in text:
        return ValidationError("consumer", "that dependency already exists")
    if "FOREIGN KEY" in text:
        return ValidationError("", f"{kind} refers to a record that does not exist")
    if text.startswith("NOT NULL constraint failed: "):
        column = text.rsplit(".", 1)[-1]
        return ValidationError(column, f"{column} cannot be empty")
    if text.startswith("UNIQUE constraint failed: "):  # the rules say it better; this is the backstop
        return ValidationError("", f"{kind} not saved: one like it already exists ({text[26:]})")
    return ValidationError("", f"{kind} not saved: {text}")
