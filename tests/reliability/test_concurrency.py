"""Many writers on one database file: nothing acknowledged is lost, nothing is locked out.

Six worker processes (tests/reliability/stress_worker.py) each make 300 acknowledged writes —
inserts, updates of their own rows, read-version-update-retry increments of shared counters and
contested edits of shared "hot" risks — while also reading everything now and then. Afterwards
the database must hold exactly what the workers' logs say the store acknowledged.
"""

from __future__ import annotations

import collections
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pgmtui.store import Store

WORKERS = 6
WRITES_PER_WORKER = 300
SEED = 20261125
WORKER = Path(__file__).with_name("stress_worker.py")
SRC = Path(__file__).resolve().parents[2] / "src"
HOT_PROJECTS = 2
HOT_RISKS = 3


def _prepare(db: Path) -> None:
    with Store.open(db) as s:
        s.insert("programme", {"name": "Stress"})
        for i in range(HOT_PROJECTS):
            s.insert("project", {"code": f"HOT{i}", "name": f"Hot project {i}", "budget": 0})
        for i in range(HOT_RISKS):
            s.insert("risk", {"project": "HOT0", "title": f"hot {i}", "probability": 1, "impact": 1})


def _read_logs(logs: list[Path]) -> dict[int, list[dict]]:
    return {
        i: [e for e in map(json.loads, p.read_text().splitlines()) if e["op"] != "ready"]
        for i, p in enumerate(logs)
    }


@pytest.fixture(scope="module")
def stress(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run the workers once; the tests below examine the result from different angles."""
    folder = tmp_path_factory.mktemp("stress")
    db = folder / "stress.db"
    _prepare(db)
    with Store.open(db) as s:
        audit_before = len(s.audit())
    go = folder / "go"
    logs = [folder / f"worker{i}.log" for i in range(WORKERS)]
    env = {**os.environ, "PYTHONPATH": str(SRC), "PGMTUI_TODAY": "2026-11-25"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(WORKER),
                str(db),
                str(logs[i]),
                str(i),
                str(WRITES_PER_WORKER),
                str(SEED),
                str(go),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(WORKERS)
    ]
    # Each worker opens the store, logs "ready" and polls for the go file: all start at once.
    while not all(p.exists() and p.read_text().strip() for p in logs):
        if any(proc.poll() is not None for proc in procs):
            break
        time.sleep(0.01)
    started = time.monotonic()
    go.touch()
    outputs = [proc.communicate(timeout=110) for proc in procs]
    elapsed = time.monotonic() - started
    return {
        "db": db,
        "logs": _read_logs(logs),
        "returncodes": [proc.returncode for proc in procs],
        "stderr": [err for _, err in outputs],
        "audit_before": audit_before,
        "elapsed": elapsed,
    }


def _ops(stress: dict, op: str) -> list[dict]:
    return [e | {"worker": w} for w, entries in stress["logs"].items() for e in entries if e["op"] == op]


def test_every_worker_finished_without_errors(stress: dict) -> None:
    errors = _ops(stress, "error")
    assert not errors, errors[:5]  # no "database is locked", no BusyError, nothing else either
    assert stress["returncodes"] == [0] * WORKERS, stress["stderr"]
    assert not any("Traceback" in err or "locked" in err for err in stress["stderr"]), stress["stderr"]
    done = _ops(stress, "done")
    assert sorted(d["worker"] for d in done) == list(range(WORKERS))
    assert all(d["acknowledged"] == WRITES_PER_WORKER for d in done)
    reads = _ops(stress, "read")
    assert len(reads) >= WORKERS * 10  # read_all ran alongside the writers and never failed
    print(
        f"\nstress: {WORKERS} workers x {WRITES_PER_WORKER} writes = {WORKERS * WRITES_PER_WORKER} "
        f"acknowledged in {stress['elapsed']:.1f}s; {len(reads)} concurrent read_all; "
        f"conflicts: {len(_ops(stress, 'conflict'))} contested edits refused, "
        f"{sum(e['conflicts'] for e in _ops(stress, 'increment'))} increment retries"
    )


def test_every_acknowledged_insert_and_update_is_present(stress: dict) -> None:
    conn = sqlite3.connect(stress["db"])
    conn.row_factory = sqlite3.Row
    risks = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM risk")}
    last: dict[int, dict] = {}
    for e in _ops(stress, "insert") + _ops(stress, "update"):
        if e["id"] not in last or e["version"] > last[e["id"]]["version"]:
            last[e["id"]] = e
    assert len(_ops(stress, "insert")) > 0 and len(_ops(stress, "update")) > 0
    for rid, e in last.items():
        assert rid in risks, f"acknowledged risk {rid} is missing"
        assert risks[rid]["title"] == e["title"], (rid, risks[rid]["title"], e["title"])
        assert risks[rid]["version"] == e["version"], rid
        assert risks[rid]["updated_by"] == f"worker{e['worker']}"
    # Nothing extra either: every risk is a seeded hot risk or an acknowledged insert.
    assert len(risks) == HOT_RISKS + len(_ops(stress, "insert"))
    conn.close()


def test_no_lost_updates_on_shared_counters(stress: dict) -> None:
    increments = collections.Counter(e["id"] for e in _ops(stress, "increment"))
    assert sum(increments.values()) > 0
    conn = sqlite3.connect(stress["db"])
    for pid, n in increments.items():
        budget, version = conn.execute("SELECT budget, version FROM project WHERE id = ?", (pid,)).fetchone()
        assert budget == n, f"project {pid}: {n} acknowledged increments but the counter says {budget}"
        assert version == 1 + n
    # Each version of a counter row was acknowledged to exactly one worker.
    versions = collections.Counter((e["id"], e["version"]) for e in _ops(stress, "increment"))
    assert max(versions.values()) == 1
    conn.close()


def test_contested_edits_report_conflicts_and_never_overwrite_blindly(stress: dict) -> None:
    contested = _ops(stress, "contested")
    conflicts = _ops(stress, "conflict")
    retries = sum(e["conflicts"] for e in _ops(stress, "increment"))
    assert conflicts or retries, "at this load some version conflicts must have happened"
    assert all("was changed by" in c["message"] and "reload" in c["message"] for c in conflicts)
    conn = sqlite3.connect(stress["db"])
    per_row = collections.Counter(e["id"] for e in contested)
    for rid, n in per_row.items():
        version, probability = conn.execute(
            "SELECT version, probability FROM risk WHERE id = ?", (rid,)
        ).fetchone()
        assert version == 1 + n, f"hot risk {rid}: {n} acknowledged edits, version {version}"
        newest = max((e for e in contested if e["id"] == rid), key=lambda e: e["version"])
        assert probability == newest["probability"]
    conn.close()


def test_audit_rows_match_writes_one_for_one(stress: dict) -> None:
    conn = sqlite3.connect(stress["db"])
    audit = conn.execute("SELECT user, tbl, row_id, action FROM audit ORDER BY id").fetchall()
    new = audit[stress["audit_before"] :]
    assert len(new) == WORKERS * WRITES_PER_WORKER
    by_user = collections.Counter(user for user, *_ in new)
    assert by_user == {f"worker{i}": WRITES_PER_WORKER for i in range(WORKERS)}
    acknowledged = collections.Counter()
    for e in _ops(stress, "insert"):
        acknowledged[("risk", e["id"], "insert")] += 1
    for e in _ops(stress, "update") + _ops(stress, "contested"):
        acknowledged[("risk", e["id"], "update")] += 1
    for e in _ops(stress, "increment"):
        acknowledged[("project", e["id"], "update")] += 1
    audited = collections.Counter((tbl, row_id, action) for _, tbl, row_id, action in new)
    assert audited == acknowledged
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


# ---------------------------------------------------------------------- a writer that never lets go


def test_a_lock_held_too_long_gives_busy_error_not_database_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bounded: with the lock held past every retry the caller gets BusyError with a message,
    nothing is half-written, reads keep working meanwhile, and the next write succeeds."""
    import pgmtui.store.db as db_module
    from pgmtui.store import BusyError

    monkeypatch.setattr(db_module, "WRITE_WAIT_SECONDS", 0.5)
    db = tmp_path / "busy.db"
    _prepare(db)
    store = Store.open(db)
    hog = sqlite3.connect(db, isolation_level=None)
    hog.execute("BEGIN IMMEDIATE")
    hog.execute("UPDATE project SET name = 'uncommitted' WHERE code = 'HOT0'")
    audit = len(store.audit())
    started = time.monotonic()
    with pytest.raises(BusyError) as err:
        store.insert("risk", {"project": "HOT0", "title": "blocked", "probability": 2, "impact": 2})
    assert 0.5 <= time.monotonic() - started < 2  # waited the bound, then gave up
    assert "busy" in str(err.value) and "locked" not in str(err.value)
    assert "this pgmtui process itself" in str(err.value)  # the hog is a connection of this process
    # Reads survive the writer: they see the last committed state, consistently.
    snapshot = store.read_all()
    assert {p["name"] for p in snapshot["tables"]["project"]} == {"Hot project 0", "Hot project 1"}
    assert store.get("project", "HOT0")["name"] == "Hot project 0"
    hog.execute("COMMIT")
    hog.close()
    assert len(store.audit()) == audit  # the refused write left nothing behind
    rid = store.insert("risk", {"project": "HOT0", "title": "after", "probability": 2, "impact": 2})
    assert store.get("risk", rid)["title"] == "after"
    store.close()


def test_cli_reports_busy_as_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import pgmtui.store.db as db_module
    from pgmtui.cli import main

    monkeypatch.setattr(db_module, "WRITE_WAIT_SECONDS", 0.3)
    db = tmp_path / "busy.db"
    _prepare(db)
    hog = sqlite3.connect(db, isolation_level=None)
    hog.execute("BEGIN IMMEDIATE")
    code = main(["--db", str(db), "set", "project", "HOT0", "budget=5"])
    hog.execute("ROLLBACK")
    hog.close()
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("pgmtui: error: the database is busy")
