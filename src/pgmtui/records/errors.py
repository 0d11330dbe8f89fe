"""Errors the store raises. Every one carries a message fit to show a user as it is."""

from __future__ import annotations

from pgmtui.safetext import visible_controls


class StoreError(Exception):
    """Base class: a problem the user can understand and act on (CLI exit 2).

    Messages quote record text and user names (a conflict names who changed the row): control
    characters in them are made visible here, once for every message, so that a hostile name from
    a database written by another tool cannot reach a terminal as an escape sequence."""

    def __init__(self, *args: object) -> None:
        super().__init__(*(visible_controls(a) if isinstance(a, str) else a for a in args))


class ValidationError(StoreError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = str(self.args[0])


class NotFoundError(StoreError):
    pass


class ConflictError(StoreError):
    """The row changed since the caller read it (optimistic version check failed)."""

    def __init__(self, message: str, current: dict | None = None) -> None:
        super().__init__(message)
        self.current = current


class ReadOnlyError(StoreError):
    pass


class DatabaseOpenError(StoreError):
    """The database file cannot be opened: missing folder, not SQLite, corrupt, too new."""


class BusyError(StoreError):
    """Other writers held the database for longer than the bounded retries allow."""


class DatabaseDamagedError(DatabaseOpenError):
    """SQLite found the file damaged in the middle of a read or write (a bad page, not SQLite)."""
