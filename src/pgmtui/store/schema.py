"""Schema and forward migrations. Each migration is applied once, in order, in one transaction.

A database written by an older version opens and is upgraded in place; one written by a newer
version is refused (we cannot know what its extra columns mean).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from pgmtui.store.search import add_full_text_index

# Columns every record table carries.
_ROW = """
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
"""

_RAID = (
    _ROW
    + """,
    project_id INTEGER REFERENCES project(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT,
    owner TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    priority TEXT NOT NULL DEFAULT 'medium',
    raised_date TEXT,
    due_date TEXT
"""
)

V1 = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE programme ({_ROW},
    name TEXT NOT NULL,
    sponsor TEXT, manager TEXT, start_date TEXT, end_date TEXT,
    tolerance_schedule_days INTEGER NOT NULL DEFAULT 10,
    tolerance_cost_pct REAL NOT NULL DEFAULT 10,
    currency TEXT NOT NULL DEFAULT 'GBP',
    rag_override TEXT, rag_reason TEXT, status_note TEXT
);
CREATE TABLE project ({_ROW},
    code TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    programme_id INTEGER REFERENCES programme(id),
    manager TEXT, stage TEXT NOT NULL DEFAULT 'Initiation',
    start_date TEXT, baseline_end TEXT, forecast_end TEXT,
    budget REAL NOT NULL DEFAULT 0, actual_cost REAL NOT NULL DEFAULT 0,
    percent_complete REAL NOT NULL DEFAULT 0,
    rag_override TEXT, rag_reason TEXT, status_note TEXT
);
CREATE TABLE milestone ({_ROW},
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    baseline_date TEXT, forecast_date TEXT, actual_date TEXT,
    is_gate INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX milestone_project ON milestone(project_id);
CREATE TABLE dependency ({_ROW},
    supplier_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
    consumer_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
    type TEXT NOT NULL DEFAULT 'FS',
    lag_days INTEGER NOT NULL DEFAULT 0,
    owner TEXT, note TEXT,
    UNIQUE (supplier_id, consumer_id)
);
CREATE INDEX dependency_consumer ON dependency(consumer_id);
CREATE TABLE risk ({_ROW},
    project_id INTEGER REFERENCES project(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'threat',
    cause TEXT, event TEXT, effect TEXT, category TEXT, owner TEXT,
    probability INTEGER NOT NULL, impact INTEGER NOT NULL,
    residual_probability INTEGER, residual_impact INTEGER,
    proximity TEXT, response TEXT, actions TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    review_date TEXT
);
CREATE INDEX risk_project ON risk(project_id);
CREATE TABLE issue ({_RAID});
CREATE TABLE assumption ({_RAID});
CREATE TABLE decision ({_RAID}, decided_date TEXT);
CREATE TABLE benefit ({_ROW},
    name TEXT NOT NULL,
    description TEXT, owner TEXT,
    kind TEXT NOT NULL DEFAULT 'non-cash',
    measure TEXT, unit TEXT, measurement_method TEXT,
    baseline_value REAL NOT NULL, baseline_date TEXT,
    target_value REAL NOT NULL, target_date TEXT
);
CREATE TABLE benefit_project (
    benefit_id INTEGER NOT NULL REFERENCES benefit(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    PRIMARY KEY (benefit_id, project_id)
);
CREATE TABLE measurement ({_ROW},
    benefit_id INTEGER NOT NULL REFERENCES benefit(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    value REAL NOT NULL,
    note TEXT
);
CREATE INDEX measurement_benefit ON measurement(benefit_id, date);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    user TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    changes TEXT NOT NULL
);
CREATE INDEX audit_ts ON audit(ts);
CREATE INDEX audit_row ON audit(tbl, row_id);
"""

# Version 2 added the programme's near-critical threshold for the critical-path view.
V2 = """
ALTER TABLE programme ADD COLUMN near_critical_days INTEGER NOT NULL DEFAULT 5;
"""

# Version 3 added the full-text index behind search: the words of every kind of record.
V3_SEARCHED: dict[str, tuple[str, ...]] = {
    "programme": ("name", "status_note"),
    "project": ("code", "name", "manager", "status_note", "rag_reason"),
    "milestone": ("name",),
    "dependency": ("note", "owner"),
    "risk": ("title", "cause", "event", "effect", "owner", "actions", "category"),
    "issue": ("title", "description", "owner"),
    "assumption": ("title", "description", "owner"),
    "decision": ("title", "description", "owner"),
    "benefit": ("name", "description", "owner", "measure"),
    "measurement": ("note",),
}


def v3_full_text_search(conn: sqlite3.Connection) -> None:
    for table, columns in V3_SEARCHED.items():
        add_full_text_index(conn, table, columns)


# External references: which record an outside file's item became (an MS Project task UID, a
# register's own ID), so that importing the file again updates those records in place. Written
# with IF NOT EXISTS so that its place in MIGRATIONS does not matter (branches merge in any order).
EXTERNAL_REFS = """
CREATE TABLE IF NOT EXISTS external_ref (
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    PRIMARY KEY (source, external_id, kind)
);
CREATE INDEX IF NOT EXISTS external_ref_row ON external_ref(kind, row_id);
"""


# A migration is SQL, or a function given the connection inside the migration's transaction.
MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [V1, V2, v3_full_text_search, EXTERNAL_REFS]
SCHEMA_VERSION = len(MIGRATIONS)
