"""Who is holding the database: which process, run by whom, holds SQLite's locks on the file.

When a writer gives up waiting, "busy" alone leaves people guessing; on Linux the kernel lists every
POSIX lock in /proc/locks with the process that holds it, so the message can say "process 4242
(sqlite3, user bob) holds it exclusively". The file is never opened for this: closing any
descriptor of a file drops every POSIX lock this process holds on it, SQLite's own included.

SQLite's lock bytes (see sqlite3.c, os_unix.c and wal.c): on the database file, a write lock over
the SHARED range (from PENDING_BYTE + 2, 510 bytes) is an EXCLUSIVE lock — a connection in
`locking_mode=EXCLUSIVE`, or a rollback-journal writer committing; on the -shm file, a write lock on
byte 120 is the WAL write lock, held by the connection that is writing.
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from pathlib import Path

from pgmtui.safetext import one_line

PENDING_BYTE = 0x40000000
SHARED_FIRST = PENDING_BYTE + 2
WAL_WRITE_LOCK = 120
PROC_LOCKS = Path("/proc/locks")


@dataclass(frozen=True)
class Holder:
    pid: int
    how: str  # "exclusive" or "writing"

    def describe(self) -> str:
        if self.pid == os.getpid():
            who = "this pgmtui process itself (another of its connections)"
        else:
            who = f"process {self.pid} ({_program(self.pid)}, user {_owner(self.pid)})"
        if self.how == "exclusive":
            return f"{who} holds it exclusively (an SQLite exclusive lock)"
        return f"{who} is writing to it"


def _file_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino)


def _write_locks() -> list[tuple[int, tuple[int, int, int], int, int]]:
    """(pid, (major, minor, inode), start, end) of every granted POSIX write lock on the machine."""
    try:
        text = PROC_LOCKS.read_text()
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        parts = line.split()
        # "12: POSIX  ADVISORY  WRITE 4242 fe:00:2155307 1073741826 1073742335"; waiters have "->".
        if len(parts) < 8 or parts[1] == "->" or parts[1] != "POSIX" or parts[3] != "WRITE":
            continue
        try:
            pid = int(parts[4])
            major, minor, inode = parts[5].split(":")
            key = (int(major, 16), int(minor, 16), int(inode))
            start = int(parts[6])
            end = int(parts[7]) if parts[7] != "EOF" else 1 << 63
        except ValueError:
            continue
        out.append((pid, key, start, end))
    return out


def holders(path: Path) -> list[Holder]:
    """The processes holding SQLite's exclusive or WAL write lock on the database at `path`."""
    db_key = _file_key(path)
    shm_key = _file_key(Path(f"{path}-shm"))
    found: dict[int, Holder] = {}
    for pid, key, start, end in _write_locks():
        if key == db_key and start <= SHARED_FIRST <= end:
            found[pid] = Holder(pid, "exclusive")
        elif key == shm_key and start <= WAL_WRITE_LOCK <= end and pid not in found:
            found[pid] = Holder(pid, "writing")
    return sorted(found.values(), key=lambda h: (h.how != "exclusive", h.pid))


def describe_holders(path: Path) -> str | None:
    """ "process 4242 (sqlite3, user bob) holds it exclusively", or None when it cannot be known."""
    found = holders(path)
    if not found:
        return None
    return "; ".join(h.describe() for h in found[:3])


def _program(pid: int) -> str:
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "program unknown"
    return one_line(name)[:32] or "program unknown"


def _owner(pid: int) -> str:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Uid:"):
                uid = int(line.split()[1])
                try:
                    return one_line(pwd.getpwuid(uid).pw_name)
                except KeyError:
                    return f"uid {uid}"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def busy_message(path: Path, *, waited: float | None = None) -> str:
    """What to tell someone whose command found the database held by others (never the raw
    "database is locked"): who holds it where that can be known; for a write, how long it waited."""
    who = describe_holders(path) or "other users are writing"
    if waited is None:
        return f"the database is busy: {who}; try again when that has finished"
    return f"the database is busy: {who}; waited {waited:.0f} s, nothing was saved: try again in a moment"
