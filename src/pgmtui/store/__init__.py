"""The data layer: the only package that runs SQL. Free of textual (a test enforces it)."""

from pgmtui.store.db import Store, os_user
from pgmtui.store.errors import (
    BusyError,
    ConflictError,
    DatabaseDamagedError,
    DatabaseOpenError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
    ValidationError,
)
from pgmtui.store.fields import KINDS

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
