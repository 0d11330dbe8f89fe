"""Opening a pgmtui database: checking the file and its folder before SQLite touches them, the
connection (WAL, busy timeout, foreign keys), sealing and closing, and the schema migrations. A
mixin of :class:`pgmtui.store.db.Store` (it builds the Store it opens)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Self

from pgmtui.records.errors import DatabaseOpenError, StoreError
from pgmtui.store.access import (
    keep_side_files_writable_by_owner,
    side_files_writable,
    sqlite_uri,
)
from pgmtui.store.schema import MIGRATIONS, SCHEMA_VERSION
from pgmtui.store.sqlerrors import is_busy as _is_busy
from pgmtui.store.sqlerrors import is_disk_fault as _is_disk_fault
from pgmtui.store.sqlerrors import translate as _translate

if TYPE_CHECKING:
    from pgmtui.store.db import _GuardedLock

__all__ = ["BUSY_TIMEOUT_MS", "OpeningMixin"]

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5_000  # a read waits at most this long for a connection holding the db exclusively
FILE_MODE_PRIVATE = 0o600
FILE_MODE_SHARED = 0o660


def _is_world_writable_dir(folder: Path) -> bool:
    try:
        mode = folder.stat().st_mode
    except OSError:
        return False
    # A sticky world-writable folder (/tmp) still lets others create files next to ours.
    return bool(mode & stat.S_IWOTH)


class OpeningMixin:
    _conn: sqlite3.Connection
    _lock: _GuardedLock
    path: Path
    read_only: bool

    if TYPE_CHECKING:  # the Store's constructor (db.py), which open() calls

        def __init__(
            self, conn: sqlite3.Connection, path: Path, read_only: bool, warnings: list[str]
        ) -> None: ...

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        shared: bool = False,
        read_only: bool = False,
        new: bool = False,
    ) -> Self:
        """Open (or, with `create`, create) the database at `path`. With `new`, the file must not
        exist yet and is created here, exclusively (an import builds a database under a temporary
        name this way)."""
        path = Path(path).expanduser()
        try:
            return cls._open(path, create=create or new, shared=shared, read_only=read_only, new=new)
        except OSError as exc:  # permission denied on a parent folder, and the like
            raise DatabaseOpenError(f"cannot open {path}: {exc.strerror or exc}") from None
        except sqlite3.OperationalError as exc:
            raise _translate(exc, path) from None

    @classmethod
    def _open(cls, path: Path, *, create: bool, shared: bool, read_only: bool, new: bool = False) -> Self:
        warnings: list[str] = []
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise DatabaseOpenError(f"folder {folder} does not exist (create it first)")
        if path.is_dir():
            raise DatabaseOpenError(f"{path} is a folder, not a database file")
        if os.path.islink(path) and not path.exists():
            # Creating "through" a dangling link would put the database wherever the link points,
            # with whatever mode SQLite picks: refuse, and say where it points.
            raise DatabaseOpenError(
                f"{path} is a symbolic link to {os.readlink(path)!r}, which does not exist; "
                "give the real path of the database"
            )
        exists = path.exists()
        if new and exists:
            raise DatabaseOpenError(f"{path} already exists")
        side_files_before = {s: os.path.lexists(f"{path}{s}") for s in ("-wal", "-shm")}
        if exists:
            try:
                with path.open("rb") as fh:
                    header = fh.read(16)
            except PermissionError:
                raise DatabaseOpenError(f"{path}: permission denied (cannot read it)") from None
            if header and header != SQLITE_HEADER:
                raise DatabaseOpenError(f"{path} is not a pgmtui database (not an SQLite file)")
            if not header and not create:
                # An empty file (from `touch`, a failed copy) is left as it is unless asked to create.
                raise DatabaseOpenError(f"{path} is an empty file, not a pgmtui database (left untouched)")
            if not read_only and not os.access(path, os.W_OK):
                read_only = True
            if not read_only and not os.access(folder, os.W_OK | os.X_OK):
                # SQLite needs to create the -wal/-shm files next to the database.
                wal_ok = all(os.access(f"{path}{s}", os.W_OK) for s in ("-wal", "-shm"))
                if not wal_ok:
                    read_only = True
            if not read_only:
                read_only = not side_files_writable(path, warnings)
        else:
            if not create or read_only:
                raise DatabaseOpenError(f"{path} does not exist")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise DatabaseOpenError(f"cannot create {path}: folder {folder} is not writable")
            mode = FILE_MODE_SHARED if shared else FILE_MODE_PRIVATE
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, mode)
            except FileExistsError:
                if new:
                    raise DatabaseOpenError(f"{path} already exists") from None
                # Another process created it a moment ago (or planted a link): look again.
                return cls._open(path, create=create, shared=shared, read_only=read_only)
            except OSError as exc:
                raise DatabaseOpenError(f"cannot create {path}: {exc.strerror}") from None
            else:
                try:
                    os.fchmod(fd, mode)  # exactly, whatever the umask
                finally:
                    os.close(fd)
        if exists:
            for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                with contextlib.suppress(OSError):
                    if candidate.stat().st_mode & stat.S_IROTH:
                        warnings.append(
                            f"warning: {candidate} is readable by every user on this machine; "
                            f"make it private with `chmod o-rwx {candidate}` (see docs/SHARING.md)"
                        )
        if _is_world_writable_dir(folder):
            warnings.append(
                f"warning: {folder} is writable by every user; others could replace or read "
                "the database's -wal/-shm files. Prefer a private or group folder."
            )
        try:
            if exists and not read_only:
                cls._refuse_foreign(path)  # before _connect switches the file to WAL (a write)
            conn = cls._connect(path, read_only)
        except sqlite3.OperationalError as exc:
            if _is_busy(exc) or _is_disk_fault(exc):
                raise _translate(exc, path) from None
            raise DatabaseOpenError(f"{path}: cannot open database ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise DatabaseOpenError(f"{path}: cannot open database ({exc})") from None
        if read_only:
            keep_side_files_writable_by_owner(path, side_files_before)
        store = cls(conn, path, read_only, warnings)
        try:
            store._migrate()
        except sqlite3.OperationalError as exc:
            conn.close()
            if _is_busy(exc) or _is_disk_fault(exc):
                raise _translate(exc, path) from None
            raise DatabaseOpenError(f"{path} is corrupt or not a pgmtui database ({exc})") from None
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DatabaseOpenError(f"{path} is corrupt or not a pgmtui database ({exc})") from None
        except StoreError:
            conn.close()
            raise
        return store

    @staticmethod
    def _refuse_foreign(path: Path) -> None:
        """Refuse another application's SQLite file without writing to it (read-only peek)."""
        conn = sqlite3.connect(sqlite_uri(path, "mode=ro"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
        if tables and "meta" not in tables:
            raise DatabaseOpenError(f"{path} is an SQLite file but not a pgmtui database")

    @staticmethod
    def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
        if read_only:
            try:
                conn = sqlite3.connect(
                    sqlite_uri(path, "mode=ro"),
                    uri=True,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    check_same_thread=False,
                )
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):  # held exclusively by a writer: a frozen view could be half-written
                    raise
                # WAL readers need the -shm file; in a folder we cannot write, read a frozen view.
                conn = sqlite3.connect(
                    sqlite_uri(path, "mode=ro&immutable=1"), uri=True, check_same_thread=False
                )
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.isolation_level = None  # we issue BEGIN/COMMIT ourselves
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise sqlite3.DatabaseError(f"cannot switch to WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def seal(self) -> None:
        """Make the file hold everything on its own: checkpoint the WAL and switch to a rollback
        journal (the next open switches back to WAL). For a database built under a temporary name,
        before it is linked into place: no -wal file may be left behind holding part of it."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = self._conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode.lower() != "delete":
                raise StoreError(f"{self.path}: cannot finish the database file (journal mode {mode})")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema

    def schema_version(self) -> int:
        with self._lock:
            has_meta = self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ).fetchone()
            if not has_meta:
                return 0
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return int(row[0]) if row else 0

    def _migrate(self) -> None:
        with self._lock:
            current = self.schema_version()
            if current == 0:
                others = self._conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                ).fetchone()[0]
                if others:
                    raise DatabaseOpenError(f"{self.path} is an SQLite file but not a pgmtui database")
            if current > SCHEMA_VERSION:
                raise DatabaseOpenError(
                    f"{self.path} was written by a newer pgmtui (schema {current}, this version "
                    f"knows {SCHEMA_VERSION}); upgrade pgmtui to open it"
                )
            if current == SCHEMA_VERSION:
                return
            if self.read_only:
                raise DatabaseOpenError(
                    f"{self.path} needs upgrading (schema {current} → {SCHEMA_VERSION}) but is read-only"
                )
            self._apply_migrations(current, SCHEMA_VERSION)

    def _apply_migrations(self, current: int, target: int) -> None:
        conn = self._conn
        for number in range(current + 1, target + 1):
            migration = MIGRATIONS[number - 1]
            try:
                conn.execute("BEGIN IMMEDIATE")
                # Re-check inside the lock: another process may have migrated meanwhile.
                if self.schema_version() >= number:
                    conn.execute("COMMIT")
                    continue
                if callable(migration):
                    migration(conn)  # one that needs Python (sqlite-utils), in the same transaction
                else:
                    for statement in _split_sql(migration):
                        conn.execute(statement)
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (str(number),),
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (our DDL holds no semicolons inside strings)."""
    return [s.strip() for s in script.split(";") if s.strip()]
