"""The data layer: the only package that runs SQL. Free of textual (a test enforces it)."""

from pgmtui.records.errors import (
    BusyError,
    ConflictError,
    DatabaseDamagedError,
    DatabaseOpenError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
    ValidationError,
)
from pgmtui.records.fields import KINDS
from pgmtui.store.db import Store, os_user

__all__ = [
    "KINDS",
    "BusyError",
    "ConflictError",
    "DatabaseDamagedError",
    "DatabaseOpenError",
    "NotFoundError",
    "ReadOnlyError",
    "Store",
    "StoreError",
    "ValidationError",
    "os_user",
]
