"""Shared pieces of the bad-input tests: the base database and a fingerprint of its contents."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from pgmtui.exchange import EXPORT_TABLES
from pgmtui.store import Store

TABLES = (*EXPORT_TABLES, "meta")  # every record, link and audit table


def build_base(path: Path) -> Path:
    """A small programme: projects IAM (id 1), CLD (id 2) and "2" (id 3, an all-digit code that is
    also CLD's id), a dependency IAM:Design -> CLD:Build, one risk."""
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
        s.insert("project", {"code": "2", "name": "Project two (all-digit code)"})
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


# ---------------------------------------------------------------------- hostile files to import
# (name, content, a phrase the error must contain). Each is refused with exit 2 and nothing written.

HUGE_CELL = "x" * 140_000  # over the csv module's 131,072-character field limit
IMPORT_FILE_CASES: list[tuple[str, str, bytes, str]] = [
    (
        "csv-cell-over-limit",
        "risks.csv",
        f'title,probability,impact\n"{HUGE_CELL}",1,1\n'.encode(),
        "longer than",
    ),
    # 0x81 and 0x8D are undefined in Windows-1252 and invalid as UTF-8
    ("csv-not-utf8-nor-cp1252", "risks.csv", b"title,probability,impact\n\x81\x8d,1,1\n", "Windows-1252"),
    ("csv-duplicate-header", "risks.csv", b"title,probability,impact,Title\nA,1,1,B\n", "appears twice"),
    ("table-duplicate-header", "risk.csv", b"id,version,title,title\n1,1,a,b\n", "appears twice"),
    ("json-nested-200000", "deep.json", b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    ("json-nested-object", "deep.json", b'{"a":' * 200_000 + b"1" + b"}" * 200_000, "nested too deeply"),
    ("json-not-utf8", "export.json", b'{"format": "\xff"}', "not UTF-8"),
    ("json-invalid", "export.json", b'{"format": "pgmtui-export", ', "not valid JSON"),
]

# Risk sheets whose rows are bad: stderr lists each file:line problem, then the one error line.
IMPORT_ROW_CASES: list[tuple[str, bytes, str]] = [
    ("arabic-indic-digits", "title,probability,impact\nA,\u0663,2\n".encode(), "digits 0-9"),
    ("fullwidth-digits", "title,probability,impact\nA,\uff13,2\n".encode(), "digits 0-9"),
    ("escape-in-cell", b"title,probability,impact\nA\x1b[2J,1,2\n", "control characters"),
    ("nul-in-cell", b"title,probability,impact\nA\x00B,1,2\n", "NUL"),
    ("decimal-comma", b'title,probability,impact,residual_probability\nA,1,2,"2,5"\n', "ambiguous"),
    ("ambiguous-project-digits", b"title,probability,impact,project\nA,1,2,2\n", "ambiguous"),
]
