"""What a record is: every kind, its fields and what a valid value is (fields.py), and the errors a
write can meet (errors.py). Free of SQL and of textual: the store validates with it, and the CLI,
the forms and the importers use the same definitions, so a value is judged the same everywhere."""

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
from pgmtui.records.fields import KINDS, Field, Kind, coerce_field, kind_named

__all__ = [
    "KINDS",
    "BusyError",
    "ConflictError",
    "DatabaseDamagedError",
    "DatabaseOpenError",
    "Field",
    "Kind",
    "NotFoundError",
    "ReadOnlyError",
    "StoreError",
    "ValidationError",
    "coerce_field",
    "kind_named",
]
