"""Shared pieces of the bad-input tests: the base database and a fingerprint of its contents."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from pgmtui.store import Store

TABLES = (
    "programme",
    "project",
    "milestone",
    "dependency",
    "risk",
    "issue",
    "assumption",
    "decision",
    "benefit",
    "benefit_project",
    "measurement",
    "audit",
    "meta",
)


def build_base(path: Path) -> Path:
    """A small programme: two projects, a dependency IAM:Design -> CLD:Build, one risk."""
    with Store.open(path) as s:
        s.insert(
            "programme", {"name": "Hostile Inputs", "start_date": "2026-01-01", "end_date": "2027-12-31"}
        )
        s.insert(
            "project",
            {
                "code": "IAM",
                "name": "Identity",
                "start_date": "2026-01-01",
                "baseline_end": "2026-12-31",
                "budget": 1000,
            },
        )
        s.insert("project", {"code": "CLD", "name": "Cloud", "start_date": "2026-03-01", "budget": 2000})
        s.insert("milestone", {"project": "IAM", "name": "Design", "forecast_date": "2026-12-01"})
        s.insert("milestone", {"project": "CLD", "name": "Build", "forecast_date": "2027-01-10"})
        s.insert("dependency", {"supplier": "IAM:Design", "consumer": "CLD:Build"})
        s.insert("risk", {"project": "IAM", "title": "Key staff leave", "probability": 3, "impact": 4})
        s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.chmod(path, 0o600)
    return path


def fingerprint(path: Path) -> tuple[dict[str, int], str]:
    """Row counts per table (audit included) and a hash of every row: equal means nothing written."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    counts, digest = {}, hashlib.sha256()
    for table in TABLES:
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()  # static table names
        counts[table] = len(rows)
        digest.update(repr(rows).encode())
    conn.close()
    return counts, digest.hexdigest()


def file_state(folder: Path) -> dict[str, str]:
    """Every file in a folder with a hash of its bytes (for files pgmtui must not touch)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()
    }
