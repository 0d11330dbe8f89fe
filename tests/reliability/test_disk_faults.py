"""When the disk, the file system or another process says no: full disk, I/O errors, a file size
limit, locks held too long, side files left unwritable. Each write that cannot complete is refused
with a clear message, and the database stays whole (SQLite's integrity check passes and every
earlier write is still there).

Three ways to make a disk fail on demand, none needing special hardware:
- SQLite's own limit `PRAGMA max_page_count` gives "database or disk is full" at an exact size;
- RLIMIT_FSIZE (in a forked child) makes every write past a size fail with EFBIG, which SQLite
  reports as a disk I/O error and Python as OSError;
- a 1 MB tmpfs, when the tests may mount one (root in a container with CAP_SYS_ADMIN): a real ENOSPC.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgmtui.cli import main
from pgmtui.store import BusyError, Store, StoreError
from tests.privileges import NOBODY, as_user

SRC = Path(__file__).resolve().parents[2] / "src"
ROW = {"title": "filler", "probability": 2, "impact": 3, "cause": "c" * 4000}


def cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def assert_whole(db: Path, titles: list[str]) -> None:
    """SQLite finds nothing wrong, every acknowledged record is there, and each has its audit row."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = [r[0] for r in conn.execute("SELECT title FROM risk ORDER BY id")]
        assert stored == titles
        audited = conn.execute(
            "SELECT count(*) FROM audit WHERE tbl = 'risk' AND action = 'insert'"
        ).fetchone()[0]
        assert audited == len(titles)
    finally:
        conn.close()


def fill_until_refused(store: Store, titles: list[str], limit: int = 10_000) -> StoreError:
    for n in range(limit):
        title = f"risk {n}"
        try:
            store.insert("risk", {**ROW, "title": title})
        except StoreError as exc:
            return exc
        titles.append(title)
    raise AssertionError("the disk never filled")


# ---------------------------------------------------------------------- database or disk is full


def test_a_full_database_refuses_the_write_and_keeps_every_earlier_one(store: Store) -> None:
    store.insert("programme", {"name": "P"})
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + 40}")  # 40 more 4 kB pages, then full
    titles: list[str] = []
    refused = fill_until_refused(store, titles)
    assert "disk is full" in str(refused) and "free some space" in str(refused)
    assert "database or disk is full" not in str(refused)  # said plainly, not SQLite's words
    assert len(titles) > 10
    with pytest.raises(StoreError, match="disk is full"):  # a batch fails whole
        with store.batch():
            for n in range(50):
                store.insert("risk", {**ROW, "title": f"batch {n}"})
    assert_whole(store.path, titles)
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    store.insert("risk", {**ROW, "title": "after"})  # space again: the store works on
    assert_whole(store.path, [*titles, "after"])


def test_cli_says_the_disk_is_full_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pgmtui.store.db as db_module

    db = tmp_path / "p.db"
    assert cli(["--db", str(db), "add", "programme", "name=P"])[0] == 0
    real_connect = db_module.Store._connect

    def connect_with_no_room(path: Path, read_only: bool) -> sqlite3.Connection:
        conn = real_connect(path, read_only)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(db_module.Store, "_connect", staticmethod(connect_with_no_room))
    code, out, err = cli(
        ["--db", str(db), "add", "risk", "title=t", "probability=1", "impact=1", f"cause={'x' * 9000}"]
    )
    lines = err.splitlines()
    assert code == 2 and out == "" and len(lines) == 1, err
    assert lines[0].startswith("pgmtui: error: ") and "disk is full" in lines[0]
    assert_whole(db, [])


# ---------------------------------------------------------------------- I/O errors (file size limit)


def _in_child_with_file_size_limit(limit: int, work) -> str:
    """Run `work()` in a forked child whose writes fail with EFBIG past `limit` bytes."""

    def child() -> str:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
        return work()

    return as_user(child, uid=os.getuid(), gid=os.getgid(), groups=tuple(os.getgroups()))


def test_an_io_error_mid_write_refuses_the_write_and_keeps_every_earlier_one(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Store.open(db) as s:
        s.insert("programme", {"name": "P"})

    def write_until_refused() -> str:
        titles: list[str] = []
        with Store.open(db) as s:
            refused = fill_until_refused(s, titles)
        return json.dumps({"titles": titles, "error": str(refused)})

    result = _in_child_with_file_size_limit(400_000, write_until_refused)
    assert not result.startswith("child failed"), result
    data = json.loads(result)
    assert "input/output error" in data["error"] and "not saved" in data["error"]
    assert len(data["titles"]) > 5
    assert_whole(db, data["titles"])
    with Store.open(db) as s:  # and pgmtui opens it afterwards and finds nothing wrong
        assert s.integrity_problems() == []
        s.insert("risk", {**ROW, "title": "after"})
    assert_whole(db, [*data["titles"], "after"])


def test_an_output_file_that_cannot_be_written_leaves_the_old_one_and_no_temp(
    demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    report = out / "r.html"
    report.write_text("yesterday's report")

    def write_report_and_export() -> str:
        return json.dumps(
            [
                cli(["--db", str(demo_db), "report", "--format", "html", "--out", str(report)]),
                cli(["--db", str(demo_db), "export", str(out / "csv")]),
            ]
        )

    with Store.open(demo_db):  # its -shm exists at full size: the child's open need not grow a file
        result = _in_child_with_file_size_limit(2_000, write_report_and_export)
    assert not result.startswith("child failed"), result
    for code, stdout, stderr in json.loads(result):
        assert code == 2 and stdout == "" and len(stderr.splitlines()) == 1, stderr
        assert "file is larger than this system allows" in stderr and "nothing was written" in stderr
    assert report.read_text() == "yesterday's report"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


# ---------------------------------------------------------------------- a real full disk (tmpfs)


@contextlib.contextmanager
def small_tmpfs(size: str = "2m") -> Iterator[Path]:
    # 2 MB: an empty database of schema 4 (23 record tables, each with a full-text index) takes
    # 0.7 MB and its first WAL as much again; the disk must fill with records, not with the schema.
    folder = Path(tempfile.mkdtemp(prefix="pgmtui-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(
            f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()}); the other disk tests cover it"
        )
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


def test_a_really_full_disk(demo_db: Path) -> None:
    with small_tmpfs() as disk:
        db = disk / "p.db"
        titles: list[str] = []
        with Store.open(db) as s:
            s.insert("programme", {"name": "P"})
            refused = fill_until_refused(s, titles)
        assert "disk is full" in str(refused) or "input/output error" in str(refused)
        assert len(titles) > 10
        assert_whole(db, titles)
        # An output file on the full disk: refused in one line, nothing left half-written.
        code, out, err = cli(
            ["--db", str(demo_db), "report", "--format", "html", "--out", str(disk / "r.html")]
        )
        assert code == 2 and "the disk is full" in err and len(err.splitlines()) == 1, err
        assert not (disk / "r.html").exists() and not list(disk.glob(".*.tmp"))


# ---------------------------------------------------------------------- locks held by others


HOG = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN IMMEDIATE"); conn.execute("UPDATE project SET name = name"); conn.execute("COMMIT")
else:
    conn.execute("BEGIN IMMEDIATE"); conn.execute("UPDATE project SET name = name")
print("holding", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


@contextlib.contextmanager
def hog(db: Path, how: str) -> Iterator[int]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOG, str(db), how], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "holding"
        yield proc.pid
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


@pytest.fixture
def programme_db(tmp_path: Path) -> Path:
    db = tmp_path / "p.db"
    with Store.open(db) as s:
        s.insert("programme", {"name": "P"})
        s.insert("project", {"code": "IAM", "name": "Identity"})
    return db


def test_a_writer_gives_up_after_about_ten_seconds_and_names_who_is_writing(programme_db: Path) -> None:
    """SHARING.md's promise: a blocked writer waits about 10 s in all (it used to wait 45 s), then
    says which process holds the database, in plain words."""
    with hog(programme_db, "writer") as pid:
        started = time.monotonic()
        code, out, err = cli(["--db", str(programme_db), "set", "project", "IAM", "name=Blocked"])
        waited = time.monotonic() - started
    assert code == 2 and out == "" and len(err.splitlines()) == 1, err
    assert 9.5 <= waited < 14, waited  # the bound, plus opening the store on a busy machine
    assert f"the database is busy: process {pid} (python" in err and "is writing to it" in err
    assert "waited 10 s" in err and "locked" not in err
    with Store.open(programme_db) as s:
        assert s.get("project", "IAM")["name"] == "Identity"


def test_an_exclusive_lock_elsewhere_is_named_not_database_is_locked(programme_db: Path) -> None:
    """`PRAGMA locking_mode=EXCLUSIVE` in another program: even reading waits (SQLite's busy
    timeout, 5 s), then the message says who holds it exclusively."""
    with hog(programme_db, "exclusive") as pid:
        for argv in (["list", "project"], ["set", "project", "IAM", "name=x"]):
            started = time.monotonic()
            code, out, err = cli(["--db", str(programme_db), *argv])
            assert time.monotonic() - started < 9  # SQLite's 5 s busy timeout, then the message
            assert code == 2 and len(err.splitlines()) == 1, err
            assert f"process {pid} (python" in err and "holds it exclusively" in err, err
            assert "locked" not in err


def test_the_wait_bound_is_one_setting(programme_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pgmtui.store.db as db_module

    monkeypatch.setattr(db_module, "WRITE_WAIT_SECONDS", 1.0)
    with hog(programme_db, "writer"), Store.open(programme_db) as s:
        started = time.monotonic()
        with pytest.raises(BusyError, match="waited 1 s"):
            s.update("project", "IAM", {"name": "x"})
        assert 1.0 <= time.monotonic() - started < 4
        assert s.get("project", "IAM")["name"] == "Identity"  # reads go on meanwhile


# ---------------------------------------------------------------------- -wal/-shm left unwritable


def test_a_read_only_look_at_a_0444_database_does_not_block_later_writes(
    open_tmp: Path, programme_db: Path
) -> None:
    """The owner opens their 0444 database read-only (SQLite creates -wal/-shm with the database's
    mode, 0444), later makes it 0600 again and writes: the write works, the side files end 0600."""
    folder = open_tmp / "mine"
    folder.mkdir()
    db = folder / "p.db"
    db.write_bytes(programme_db.read_bytes())
    os.chown(folder, NOBODY, NOBODY)
    os.chown(db, NOBODY, NOBODY)
    os.chmod(folder, 0o700)
    os.chmod(db, 0o444)

    def look_then_write() -> str:
        look = cli(["--db", str(db), "list", "project", "--json"])
        sides = {
            s: stat.S_IMODE(os.stat(f"{db}{s}").st_mode)
            for s in ("-wal", "-shm")
            if os.path.exists(f"{db}{s}")
        }
        os.chmod(db, 0o600)
        with Store.open(db) as s:  # while it is open the side files exist
            write = s.read_only, s.insert("project", {"code": "NEW", "name": "Written after"})
            later = {x: stat.S_IMODE(os.stat(f"{db}{x}").st_mode) for x in ("-wal", "-shm")}
        return json.dumps({"look": look[0], "sides": sides, "write": write, "later": later})

    # warm the modules the child needs (it cannot read the interpreter's files as nobody)
    cli(["--db", str(programme_db), "list", "project", "--json"])
    result = as_user(look_then_write)
    assert not result.startswith("child failed"), result
    data = json.loads(result)
    assert data["look"] == 0
    assert all(m & stat.S_IWUSR for m in data["sides"].values()), data  # never left 0444
    assert data["write"][0] is False
    assert data["later"] == {"-wal": 0o600, "-shm": 0o600}


def test_someone_elses_unwritable_side_file_means_read_only_with_a_warning(
    open_tmp: Path, programme_db: Path
) -> None:
    folder = open_tmp / "team"
    folder.mkdir()
    os.chmod(folder, 0o777)
    db = folder / "p.db"
    db.write_bytes(programme_db.read_bytes())
    os.chown(db, NOBODY, NOBODY)
    os.chmod(db, 0o600)
    shm = Path(f"{db}-shm")
    shm.write_bytes(b"")
    os.chmod(shm, 0o444)  # root's, and nobody may not write it

    def open_it() -> str:
        with Store.open(db) as s:
            return json.dumps({"read_only": s.read_only, "warnings": s.warnings})

    cli(["--db", str(programme_db), "list", "project", "--json"])
    result = as_user(open_it)
    assert not result.startswith("child failed"), result
    data = json.loads(result)
    assert data["read_only"] is True
    assert any(f"{shm} is not writable for you (owner root, mode 0444)" in w for w in data["warnings"]), data
