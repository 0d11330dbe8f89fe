"""Run test code as an unprivileged user. Tests run as root in CI, and root ignores file modes, so
permission cases fork a child that drops to `nobody` (or a chosen uid/gid) and report back as text.
Forking keeps the modules already imported, so the child needs no access to the interpreter's files."""

from __future__ import annotations

import os
from collections.abc import Callable

NOBODY = 65534


def as_user(
    fn: Callable[[], str],
    *,
    uid: int = NOBODY,
    gid: int = NOBODY,
    groups: tuple[int, ...] = (),
    umask: int | None = None,
) -> str:
    """Run `fn` in a forked child as `uid`/`gid` (when we are root) and return the text it returns."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        try:
            if os.geteuid() == 0:
                os.setgroups(list(groups))
                os.setgid(gid)
                os.setuid(uid)
            if umask is not None:
                os.umask(umask)
            out = fn()
        except BaseException as exc:  # noqa: BLE001 - report, never raise out of a forked child
            out = f"child failed: {type(exc).__name__}: {exc}"
        os.write(write_end, out.encode())
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode()
