"""Who writes and who may touch the database's files: the OS account stamped on every write,
SQLite URIs that name exactly the file given, and the modes of the -wal/-shm files."""

from __future__ import annotations

import contextlib
import os
import pwd
import stat
import urllib.parse
from pathlib import Path

from pgmtui.safetext import UNSAFE

MAX_USER_NAME = 64


def os_user() -> str:
    """The OS account that writes, for `updated_by` and the audit trail.

    The account name of the real uid comes from the password database, not from $USER/$LOGNAME
    (anyone can set those to anything, escape sequences included). Only when the uid has no passwd
    entry (some containers) is the environment consulted, then the uid itself. Either way the name
    is cleaned: printable characters only, one line, at most 64 characters."""
    uid = os.getuid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = os.environ.get("LOGNAME") or os.environ.get("USER") or ""
    clean = _clean_user_name(name)
    return clean or f"uid{uid}"


def _clean_user_name(name: str) -> str:
    kept = "".join(ch for ch in name if ch.isprintable() and not UNSAFE.match(ch))
    return " ".join(kept.split())[:MAX_USER_NAME]


def sqlite_uri(path: Path, query: str) -> str:
    """An SQLite URI for `path`: characters like `?`, `#` and `%` in a file name are quoted, so a
    read-only peek never opens a different file than the one named."""
    return f"file:{urllib.parse.quote(str(path.absolute()))}?{query}"


def account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def side_files_writable(path: Path, warnings: list[str]) -> bool:
    """The -wal and -shm files must be writable for a writer. Ours get the database's own mode
    back when they differ (SQLite gives them the database's mode; a read-only open of a 0444
    database leaves them 0444, which would stop every later write); someone else's that we
    cannot write mean read-only for us, with a warning that says whose file it is."""
    db_mode = (stat.S_IMODE(path.stat().st_mode) | stat.S_IRUSR | stat.S_IWUSR) & 0o666
    ok = True
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        try:
            st = side.lstat()
        except FileNotFoundError:
            continue
        if st.st_uid == os.geteuid() and stat.S_ISREG(st.st_mode):
            if stat.S_IMODE(st.st_mode) != db_mode:
                os.chmod(side, db_mode)
            continue
        if os.access(side, os.W_OK):
            continue
        ok = False
        warnings.append(
            f"warning: {side} is not writable for you (owner {account_name(st.st_uid)}, mode "
            f"{stat.S_IMODE(st.st_mode):04o}); the database opens read-only until its owner makes "
            "it writable again"
        )
    return ok


def keep_side_files_writable_by_owner(path: Path, before: dict[str, bool]) -> None:
    """A read-only connection creates the -wal/-shm files with the database's mode: 0444 for a
    0444 database, which would then stop its owner's writes once the file is writable again.
    Give the ones we just created the owner's write bit (nothing more)."""
    for suffix, existed in before.items():
        if existed:
            continue
        side = Path(f"{path}{suffix}")
        with contextlib.suppress(OSError):
            st = side.lstat()
            if st.st_uid == os.geteuid() and stat.S_ISREG(st.st_mode):
                os.chmod(side, stat.S_IMODE(st.st_mode) | stat.S_IRUSR | stat.S_IWUSR)
