"""Crash safety: a writer killed with SIGKILL at random moments never corrupts or half-writes.

Each trial starts tests/reliability/crash_worker.py on the same database (so later trials recover
from earlier crashes too), lets it write for a random time from a seeded RNG and kills it with
SIGKILL. Then the database must pass SQLite's integrity check, hold every write the killed process
had acknowledged, and show no half-written change: every record has its audit insert row and
vice versa, every batch landed whole or not at all, every counter update has its audit row.
"""

from __future__ import annotations

import collections
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pgmtui.store import Store

TRIALS = 24
SEED = 9_2026
WORKER = Path(__file__).with_name("crash_worker.py")
SRC = Path(__file__).resolve().parents[2] / "src"


class Acks:
    """Everything the killed writers acknowledged, over all trials so far."""

    def __init__(self) -> None:
        self.risks: dict[int, tuple[int, str]] = {}  # id -> (version, title) last acknowledged
        self.batches: dict[str, tuple[int, list[int]]] = {}
        self.increments = 0
        self.unacknowledged = 0  # increments that committed but whose print the kill prevented
        self.unacknowledged_risks: set[int] = set()
        self.lines = 0

    def read(self, text: str) -> None:
        lines = text.split("\n")
        for line in lines[:-1]:  # the last piece has no newline: not a complete acknowledgement
            kind, _, rest = line.partition(" ")
            if kind == "I":
                rid, title = rest.split(" ", 1)
                self.risks[int(rid)] = (1, title)
            elif kind == "U":
                rid, version, title = rest.split(" ", 2)
                self.risks[int(rid)] = (int(version), title)
            elif kind == "B":
                name, k, ids = rest.split(" ")
                self.batches[name] = (int(k), [int(i) for i in ids.split(",")])
                for i in ids.split(","):
                    self.risks[int(i)] = (1, "")
                self.increments += 1
            elif kind == "C":
                self.increments += 1
            elif kind == "READY":
                continue
            else:
                raise AssertionError(f"unexpected line from the writer: {line!r}")
            self.lines += 1


def _check(db: Path, acks: Acks) -> int:
    """Assert the database is whole and holds every acknowledged write; return unacknowledged extras."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    risks = {
        rid: (version, title) for rid, version, title in conn.execute("SELECT id, version, title FROM risk")
    }
    audit = collections.Counter(
        (tbl, row_id, action) for tbl, row_id, action in conn.execute("SELECT tbl, row_id, action FROM audit")
    )
    # Every acknowledged write is there (a later, unacknowledged update may have landed too).
    for rid, (version, title) in acks.risks.items():
        assert rid in risks, f"acknowledged risk {rid} lost"
        have_version, have_title = risks[rid]
        assert version <= have_version <= version + 1, (rid, version, have_version)
        if title and have_version == version:
            assert have_title == title, (rid, title, have_title)
    # Nothing half-written: record <-> audit insert, one for one; every update audited.
    for rid, (version, _) in risks.items():
        assert audit[("risk", rid, "insert")] == 1, f"risk {rid} has no audit insert row"
        assert audit[("risk", rid, "update")] == version - 1, f"risk {rid}: version {version} vs audit"
    for (tbl, row_id, action), n in audit.items():
        if tbl == "risk" and action == "insert":
            assert row_id in risks and n == 1, f"audit insert row for missing risk {row_id}"
    # Batches land whole or not at all.
    # Batch titles are "b<seed>-<n>/<k>-<j>": group by "b<seed>-<n>/<k>".
    batches = collections.Counter(t.rsplit("-", 1)[0] for _, t in risks.values() if t.startswith("b"))
    for name, count in batches.items():
        k = int(name.rsplit("/", 1)[1])
        assert count == k, f"batch {name} is half-written: {count} of {k} rows"
    for name, (_k, ids) in acks.batches.items():
        assert all(i in risks for i in ids), f"acknowledged batch {name} lost rows"
    # The counter: every acknowledged increment is there, each with its audit row.
    budget, version = conn.execute("SELECT budget, version FROM project WHERE code = 'CRASH'").fetchone()
    project_id = conn.execute("SELECT id FROM project WHERE code = 'CRASH'").fetchone()[0]
    assert budget == version - 1 == audit[("project", project_id, "update")]
    # Each trial may add one unacknowledged commit (killed between COMMIT and its print).
    floor = acks.increments + acks.unacknowledged
    assert floor <= budget <= floor + 1, (acks.increments, acks.unacknowledged, budget)
    acks.unacknowledged = int(budget - acks.increments)
    # ... and unacknowledged rows come from that one transaction only (one insert or one batch).
    unacked = {rid for rid in risks if rid not in acks.risks} - acks.unacknowledged_risks
    prefixes = {risks[rid][1].rsplit("-", 1)[0] if risks[rid][1].startswith("b") else rid for rid in unacked}
    assert len(prefixes) <= 1, f"more than one unacknowledged transaction: {sorted(unacked)}"
    acks.unacknowledged_risks |= unacked
    extras = int(budget - floor) + len(unacked)
    conn.close()
    with Store.open(db) as store:  # and pgmtui itself opens it and finds nothing wrong
        assert store.integrity_problems() == []
    return extras


def test_sigkill_at_random_points_never_corrupts_or_half_writes(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    with Store.open(db) as s:
        s.insert("programme", {"name": "Crash"})
        s.insert("project", {"code": "CRASH", "name": "Crash target", "budget": 0})
    env = {**os.environ, "PYTHONPATH": str(SRC), "PGMTUI_TODAY": "2026-11-25"}
    rng = random.Random(SEED)
    acks = Acks()
    mid_write = 0
    for trial in range(TRIALS):
        out = tmp_path / f"acks{trial}.txt"
        with out.open("w") as fh:
            proc = subprocess.Popen(
                [sys.executable, str(WORKER), str(db), str(SEED + trial)],
                env=env,
                stdout=fh,
                stderr=subprocess.PIPE,
            )
        deadline = time.monotonic() + 20
        while not out.read_text().startswith("READY"):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "writer never became ready"
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.25))
        assert proc.poll() is None, f"writer died on its own: {proc.stderr.read().decode()}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        acks.read(out.read_text())
        extras = _check(db, acks)
        mid_write += extras > 0
    assert acks.lines > TRIALS  # the writers really wrote between kills
    print(
        f"\ncrash: {TRIALS} SIGKILL trials, {acks.lines} acknowledged writes checked, "
        f"{len(acks.risks)} risks, {len(acks.batches)} batches, {acks.increments} increments; "
        f"{mid_write} kills landed between a commit and its acknowledgement"
    )
