"""Every file pgmtui writes for people (reports, exports, state) goes through :func:`write_file`.

Why one helper: output files land in folders other people may write to (a team's shared folder),
and hold the same data as the database (budgets, risks, names, the audit trail). So each file is

- written to a new temporary file in the target folder, created with O_EXCL | O_NOFOLLOW under a
  random name: a name planted in advance (a symlink to someone's file) is never written through;
- given its mode explicitly, whatever the umask: 0600 (private) unless the database is shared
  (`--shared`: 0660), and folders we create 0700 / 0770;
- flushed to disk (fsync), then renamed over the target in one step: a reader sees the old file or
  the new one, never half of one, and a failure (disk full, I/O error) leaves the old file as it was
  and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path

FILE_MODE_PRIVATE = 0o600
FILE_MODE_SHARED = 0o660
FOLDER_MODE_PRIVATE = 0o700
FOLDER_MODE_SHARED = 0o770


class OutputError(Exception):
    """An output file could not be written; the message is fit to show a user as it is."""


def file_mode(shared: bool) -> int:
    return FILE_MODE_SHARED if shared else FILE_MODE_PRIVATE


def folder_mode(shared: bool) -> int:
    return FOLDER_MODE_SHARED if shared else FOLDER_MODE_PRIVATE


def describe_os_error(exc: OSError) -> str:
    """An OSError in plain words (the disk being full said as such)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full (or your quota is used up)"
    if exc.errno == errno.EFBIG:
        return "the file is larger than this system allows"
    if exc.errno == errno.EIO:
        return "input/output error (a disk or filesystem problem)"
    return exc.strerror or str(exc)


def ensure_folder(folder: str | os.PathLike[str], *, shared: bool = False) -> Path:
    """`folder`, created (with any missing parents) as 0700 — 0770 when shared — if it does not exist.
    An existing folder is used as it is (its mode is its owner's choice)."""
    folder = Path(folder)
    if folder.is_dir():
        return folder
    if os.path.lexists(folder):
        raise OutputError(f"{folder} exists and is not a folder")
    missing = []
    probe = folder
    while not probe.is_dir():
        if os.path.lexists(probe):
            raise OutputError(f"{probe} exists and is not a folder")
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    mode = folder_mode(shared)
    for level in reversed(missing):
        try:
            os.mkdir(level, mode)
        except FileExistsError:
            if not level.is_dir():
                raise OutputError(f"{level} exists and is not a folder") from None
            continue
        except OSError as exc:
            raise OutputError(f"cannot create folder {level}: {describe_os_error(exc)}") from None
        os.chmod(level, mode)  # the umask may have narrowed it
    return folder


def write_file(path: str | os.PathLike[str], data: str | bytes, *, shared: bool = False) -> Path:
    """Write `data` (text is UTF-8) to `path` safely (see the module docstring); return the path."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    if not folder.is_dir():
        raise OutputError(f"folder {folder} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    mode = file_mode(shared)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    tmp, fd = None, -1
    try:
        for _ in range(32):
            tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
            try:
                fd = os.open(tmp, flags, mode)
                break
            except FileExistsError:
                continue  # someone's file (or a planted link) has this name: pick another
        else:
            raise OutputError(f"cannot write {path}: no free temporary name in {folder}")
        try:
            os.fchmod(fd, mode)  # exact, whatever the umask
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {describe_os_error(exc)}; nothing was written") from None
    finally:
        if tmp is not None and fd != -1:  # the temporary file is ours (O_EXCL): never leave it
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _sync_folder(folder)
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: some filesystems cannot fsync a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
