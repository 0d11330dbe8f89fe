"""The first-paint cache: what the portfolio's first screen showed in the last live session.

Startup paints this at once (header status "refreshing…", never "live") while the store, the
model and the real screens load off the first frame; the live portfolio then takes over. The cache
is a small JSON file per database in the user's cache folder (`$XDG_CACHE_HOME/pgmtui/` or
`~/.cache/pgmtui/`), mode 0600 in a 0700 folder, written atomically (temp file + os.replace).

It is used only for the database it was written for (the same absolute path and the same file:
st_dev/st_ino), for the same "today", in this format version; anything else — another database,
a replaced file, another day, a corrupt, truncated, foreign-owned or unreadable file — is ignored
silently and startup goes on as without a cache. Cells are plain strings (data, never markup).

Free of textual, rich and pendulum on purpose: it is imported before the first frame.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

FORMAT = 1
MAX_BYTES = 1_000_000  # a real cache is a few KB: anything bigger is not ours
MAX_ROWS = 60  # more than any terminal shows at once
ENV_TODAY = "PGMTUI_TODAY"  # as pgmtui.clock and pgmtui.launch (a test checks they agree)


@dataclass(frozen=True)
class CachedColumn:
    key: str
    label: str
    width: int
    numeric: bool = False


@dataclass(frozen=True)
class CachedRow:
    id: int
    cells: tuple[str, ...]
    rag: str | None = None  # the RAG letter (R/A/G), so the badge is redrawn in colour and words
    overridden: bool = False


@dataclass(frozen=True)
class FirstPaint:
    """One database's first screen, as plain text."""

    title: str
    programme: str
    rag: str | None
    overridden: bool
    today_long: str  # "Wed 25 Nov 2026", as the header shows it
    today_short: str
    headline: tuple[str, ...]
    columns: tuple[CachedColumn, ...]
    rows: tuple[CachedRow, ...]
    rag_column: str | None = None  # the key of the column showing each row's RAG badge
    cursor: int | None = None  # the record the cursor was on


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/pgmtui`, else `~/.cache/pgmtui` (no platformdirs on the fast path)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "pgmtui"


def database_key(db_path: str | Path) -> str:
    """The absolute path the cache is keyed by (symlinks resolved: one file, one cache)."""
    return os.path.realpath(os.path.abspath(os.path.expanduser(str(db_path))))


def cache_file(db_path: str | Path) -> Path:
    digest = hashlib.sha256(database_key(db_path).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"firstpaint-{digest[:24]}.json"


def today_iso() -> str | None:
    """The day the dashboard will show: PGMTUI_TODAY when it is a plain date, else the local date.
    None when PGMTUI_TODAY is set but doubtful (the clock will judge it; no cache then)."""
    fixed = os.environ.get(ENV_TODAY, "").strip()
    if not fixed:
        return date.today().isoformat()
    try:
        return date.fromisoformat(fixed).isoformat() if len(fixed) == 10 else None
    except ValueError:
        return None


def fingerprint(db_path: str | Path) -> list[int]:
    """Size and mtime_ns of the database and its -wal file: whether it changed since (recorded,
    not required to match: a cache is shown as "refreshing…" whatever it says)."""
    out: list[int] = []
    for suffix in ("", "-wal"):
        try:
            info = os.stat(f"{database_key(db_path)}{suffix}")
            out += [info.st_size, info.st_mtime_ns]
        except OSError:
            out += [-1, -1]
    return out


def _identity(db_path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(database_key(db_path))
    except OSError:
        return None
    return info.st_dev, info.st_ino


# ---------------------------------------------------------------------------------- writing


def to_json(db_path: str | Path, today: str, paint: FirstPaint) -> dict[str, Any] | None:
    identity = _identity(db_path)
    if identity is None:
        return None
    return {
        "format": FORMAT,
        "db": database_key(db_path),
        "dev": identity[0],
        "ino": identity[1],
        "fingerprint": fingerprint(db_path),
        "today": today,
        "title": paint.title,
        "programme": paint.programme,
        "rag": paint.rag,
        "overridden": paint.overridden,
        "today_long": paint.today_long,
        "today_short": paint.today_short,
        "headline": list(paint.headline),
        "columns": [[c.key, c.label, c.width, c.numeric] for c in paint.columns],
        "rows": [[r.id, list(r.cells), r.rag, r.overridden] for r in paint.rows[:MAX_ROWS]],
        "rag_column": paint.rag_column,
        "cursor": paint.cursor,
    }


def save(db_path: str | Path, today: str, paint: FirstPaint) -> bool:
    """Write the cache atomically, 0600 in a 0700 folder. False (and nothing left behind) when it
    cannot be written: a cache is a convenience, never an error."""
    data = to_json(db_path, today, paint)
    if data is None:
        return False
    target = cache_file(db_path)
    tmp = ""
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".firstpaint-", suffix=".tmp", dir=target.parent)  # 0600
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=True, separators=(",", ":"))
        os.replace(tmp, target)
        return True
    except (OSError, ValueError):
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


# ---------------------------------------------------------------------------------- reading


class _Bad(Exception):
    """The cache is not usable (silently ignored)."""


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Bad
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad
    return value


def from_json(data: Any) -> FirstPaint:
    """The paint a cache holds; _Bad when any part is missing or of the wrong type."""
    if not isinstance(data, dict):
        raise _Bad
    columns = []
    for col in _list(data.get("columns")):
        key, label, width, numeric = _list(col)
        columns.append(CachedColumn(_str(key), _str(label), max(0, min(_int(width), 500)), _bool(numeric)))
    rows = []
    for row in _list(data.get("rows"))[:MAX_ROWS]:
        row_id, cells, rag, overridden = _list(row)
        texts = tuple(_str(c) for c in _list(cells))
        if len(texts) != len(columns):
            raise _Bad
        rows.append(CachedRow(_int(row_id), texts, _opt_str(rag), _bool(overridden)))
    cursor = data.get("cursor")
    rag_column = _opt_str(data.get("rag_column"))
    if rag_column is not None and rag_column not in {c.key for c in columns}:
        raise _Bad
    return FirstPaint(
        title=_str(data.get("title")),
        programme=_str(data.get("programme")),
        rag=_opt_str(data.get("rag")),
        overridden=_bool(data.get("overridden")),
        today_long=_str(data.get("today_long")),
        today_short=_str(data.get("today_short")),
        headline=tuple(_str(line) for line in _list(data.get("headline"))[:3]),
        columns=tuple(columns),
        rows=tuple(rows),
        rag_column=rag_column,
        cursor=None if cursor is None else _int(cursor),
    )


def _read_own_file(path: Path) -> bytes:
    """The file's bytes when it is a regular file of ours (not a link, not another user's) of a
    plausible size."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            raise _Bad
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise _Bad
        with os.fdopen(fd, "rb") as f:
            fd = -1
            return f.read(MAX_BYTES + 1)
    finally:
        if fd >= 0:
            os.close(fd)


def load(db_path: str | Path, today: str | None) -> FirstPaint | None:
    """The cached first screen of this database for `today`, or None (no cache, or one that is not
    for this very file, this day and this format, or that cannot be read whole)."""
    if today is None:
        return None
    try:
        data = json.loads(_read_own_file(cache_file(db_path)).decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        if data.get("db") != database_key(db_path) or data.get("today") != today:
            return None
        if (data.get("dev"), data.get("ino")) != _identity(db_path):
            return None
        return from_json(data)
    except (OSError, ValueError, TypeError, UnicodeDecodeError, RecursionError, _Bad):
        return None
