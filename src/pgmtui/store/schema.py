"""Schema and forward migrations. Each migration is applied once, in order, in one transaction.

A database written by an older version opens and is upgraded in place; one written by a newer
version is refused (we cannot know what its extra columns mean).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from pgmtui.records.fields import KINDS
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


# Version 4: the second wave's record kinds (people and allocations, costs and change requests,
# objectives, contributions, business cases and gate reviews, stakeholders, engagements and the
# comms plan, actions and lessons), new programme settings, project contingency and benefit value.
# A reference whose record may go while this row stays (allocation → milestone, gate review →
# decision, lesson → project) is ON DELETE SET NULL; the store clears it itself, with an audit
# row, before it deletes (store/cascade.py): the foreign key is only the last line of defence.
V4 = f"""
ALTER TABLE programme ADD COLUMN discount_rate_pct REAL NOT NULL DEFAULT 3.5;
ALTER TABLE programme ADD COLUMN resource_lookahead_weeks INTEGER NOT NULL DEFAULT 4;
ALTER TABLE programme ADD COLUMN management_reserve REAL NOT NULL DEFAULT 0;
ALTER TABLE programme ADD COLUMN power_threshold INTEGER NOT NULL DEFAULT 3;
ALTER TABLE programme ADD COLUMN interest_threshold INTEGER NOT NULL DEFAULT 3;
ALTER TABLE project ADD COLUMN contingency REAL NOT NULL DEFAULT 0;
ALTER TABLE benefit ADD COLUMN annual_value REAL;
CREATE INDEX issue_project ON issue(project_id);
CREATE INDEX assumption_project ON assumption(project_id);
CREATE INDEX decision_project ON decision(project_id);
CREATE INDEX benefit_project_project ON benefit_project(project_id);
CREATE TABLE person ({_ROW},
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT, team TEXT, email TEXT,
    capacity_pct INTEGER NOT NULL DEFAULT 100,
    note TEXT
);
CREATE TABLE allocation ({_ROW},
    person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    milestone_id INTEGER REFERENCES milestone(id) ON DELETE SET NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    percent REAL NOT NULL,
    note TEXT
);
CREATE INDEX allocation_person ON allocation(person_id, start_date);
CREATE INDEX allocation_project ON allocation(project_id);
CREATE INDEX allocation_milestone ON allocation(milestone_id);
CREATE TABLE cost ({_ROW},
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT 'opex',
    planned REAL NOT NULL DEFAULT 0,
    actual REAL, forecast REAL,
    note TEXT,
    UNIQUE (project_id, month, category)
);
CREATE TABLE change_request ({_ROW},
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT,
    cost_impact REAL NOT NULL DEFAULT 0,
    schedule_impact_days INTEGER NOT NULL DEFAULT 0,
    funding TEXT NOT NULL DEFAULT 'change',
    status TEXT NOT NULL DEFAULT 'raised',
    raised_date TEXT, decided_date TEXT, decided_by TEXT
);
CREATE INDEX change_request_project ON change_request(project_id, status);
CREATE TABLE objective ({_ROW},
    code TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    owner TEXT, description TEXT, weight REAL
);
CREATE TABLE contribution ({_ROW},
    objective_id INTEGER NOT NULL REFERENCES objective(id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES project(id) ON DELETE CASCADE,
    benefit_id INTEGER REFERENCES benefit(id) ON DELETE CASCADE,
    strength INTEGER NOT NULL,
    note TEXT,
    UNIQUE (objective_id, project_id),
    UNIQUE (objective_id, benefit_id)
);
CREATE INDEX contribution_project ON contribution(project_id);
CREATE INDEX contribution_benefit ON contribution(benefit_id);
CREATE TABLE business_case ({_ROW},
    project_id INTEGER REFERENCES project(id) ON DELETE CASCADE,
    discount_rate_pct REAL,
    horizon_years INTEGER NOT NULL DEFAULT 5,
    base_date TEXT,
    annual_running_cost REAL,
    options TEXT, chosen_option TEXT, notes TEXT
);
CREATE UNIQUE INDEX business_case_one_each ON business_case(ifnull(project_id, 0));
CREATE TABLE gate_review ({_ROW},
    milestone_id INTEGER NOT NULL REFERENCES milestone(id) ON DELETE CASCADE,
    review_date TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    conditions TEXT, attendees TEXT,
    decision_id INTEGER REFERENCES decision(id) ON DELETE SET NULL
);
CREATE INDEX gate_review_milestone ON gate_review(milestone_id, review_date);
CREATE INDEX gate_review_decision ON gate_review(decision_id);
CREATE TABLE stakeholder ({_ROW},
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT, organisation TEXT,
    power INTEGER NOT NULL, interest INTEGER NOT NULL,
    attitude TEXT NOT NULL DEFAULT 'neutral',
    target_attitude TEXT,
    owner TEXT,
    cadence_days INTEGER,
    channel TEXT,
    note TEXT
);
CREATE TABLE stakeholder_project (
    stakeholder_id INTEGER NOT NULL REFERENCES stakeholder(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    PRIMARY KEY (stakeholder_id, project_id)
);
CREATE INDEX stakeholder_project_project ON stakeholder_project(project_id);
CREATE TABLE engagement ({_ROW},
    stakeholder_id INTEGER NOT NULL REFERENCES stakeholder(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT 'meeting',
    summary TEXT, next_action TEXT, next_date TEXT, by TEXT
);
CREATE INDEX engagement_stakeholder ON engagement(stakeholder_id, date);
CREATE TABLE communication ({_ROW},
    audience TEXT NOT NULL,
    message TEXT NOT NULL,
    channel TEXT,
    frequency_days INTEGER,
    owner TEXT,
    next_due TEXT
);
CREATE INDEX communication_due ON communication(next_due);
CREATE TABLE action ({_ROW},
    title TEXT NOT NULL,
    owner TEXT,
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    project_id INTEGER REFERENCES project(id) ON DELETE CASCADE,
    about TEXT,
    done_date TEXT,
    note TEXT
);
CREATE INDEX action_due ON action(status, due_date);
CREATE INDEX action_project ON action(project_id);
CREATE INDEX action_about ON action(about);
CREATE TABLE lesson ({_ROW},
    title TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT 'other',
    what_happened TEXT, recommendation TEXT,
    project_id INTEGER REFERENCES project(id) ON DELETE SET NULL,
    source TEXT,
    raised_by TEXT,
    date TEXT
);
CREATE INDEX lesson_project ON lesson(project_id);
CREATE INDEX lesson_source ON lesson(source)
"""

# The new kinds' words in the search index.
V4_SEARCHED: dict[str, tuple[str, ...]] = {
    "person": ("name", "role", "team", "email", "note"),
    "allocation": ("note",),
    "cost": ("note",),
    "change_request": ("title", "description", "decided_by"),
    "objective": ("code", "name", "owner", "description"),
    "contribution": ("note",),
    "business_case": ("options", "chosen_option", "notes"),
    "gate_review": ("conditions", "attendees"),
    "stakeholder": ("name", "role", "organisation", "owner", "note"),
    "engagement": ("summary", "next_action", "by"),
    "communication": ("audience", "message", "owner"),
    "action": ("title", "owner", "note"),
    "lesson": ("title", "what_happened", "recommendation", "raised_by"),
}


def v4_second_wave(conn: sqlite3.Connection) -> None:
    for statement in V4.split(";"):
        if statement.strip():
            conn.execute(statement)
    for table, columns in V4_SEARCHED.items():
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


# Version 6 (follow-through: undo). An undo is written like any other change, and its audit rows
# name in `undoes` the change it reverted (that change's ts: the rows of one change share ts and
# user), so that a second undo goes further back instead of undoing the undo. A function, adding
# the column only when it is missing, so that its place in MIGRATIONS does not matter when branches
# that add migrations merge in either order.
def v6_undo_marks(conn: sqlite3.Connection) -> None:
    columns = {row[1] for row in conn.execute("PRAGMA table_info(audit)")}
    if "undoes" not in columns:
        conn.execute("ALTER TABLE audit ADD COLUMN undoes TEXT")
    # An OS user's changes, newest first (`pgmtui undo`), and the undo marks among them.
    conn.execute("CREATE INDEX IF NOT EXISTS audit_user ON audit(user, id)")


# Version 7 (issue 20: incremental live refresh). A counter per table, bumped by triggers on every
# insert, update and delete, so the live refresh re-reads only the tables someone changed. Triggers,
# not the store's write path, because other programs write the file too (the sqlite3 shell, a
# script): their writes move the counters as well. A table without a counter (one a later migration
# adds and forgets to count) is simply re-read on every refresh. Idempotent, so that its place in
# MIGRATIONS does not matter when branches merge.
def counted_tables() -> list[str]:
    """The tables whose changes the live refresh must see: the programme, every record table and
    every link table (not meta, audit, the search index or external references)."""
    tables = [kind.table for kind in KINDS.values()]
    tables += [link[0] for kind in KINDS.values() for link in kind.links.values()]
    return list(dict.fromkeys(tables))


def add_change_counter(conn: sqlite3.Connection, table: str) -> None:
    """Count every insert, update and delete on ``table`` in ``table_change`` (idempotent)."""
    conn.execute("INSERT OR IGNORE INTO table_change (tbl, n) VALUES (?, 0)", (table,))
    # One statement per event, spelled out: SQL here is formatted from table names only.
    conn.execute(
        f"CREATE TRIGGER IF NOT EXISTS table_change_{table}_insert AFTER INSERT ON {table} "
        f"BEGIN UPDATE table_change SET n = n + 1 WHERE tbl = '{table}'; END"
    )
    conn.execute(
        f"CREATE TRIGGER IF NOT EXISTS table_change_{table}_update AFTER UPDATE ON {table} "
        f"BEGIN UPDATE table_change SET n = n + 1 WHERE tbl = '{table}'; END"
    )
    conn.execute(
        f"CREATE TRIGGER IF NOT EXISTS table_change_{table}_delete AFTER DELETE ON {table} "
        f"BEGIN UPDATE table_change SET n = n + 1 WHERE tbl = '{table}'; END"
    )


def v7_change_counters(conn: sqlite3.Connection) -> None:
    # A plain rowid table: other tools' "ORDER BY rowid" must work on every table of the file.
    conn.execute(
        "CREATE TABLE IF NOT EXISTS table_change (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0)"
    )
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in counted_tables():
        if table in existing:
            add_change_counter(conn, table)


# A migration is SQL, or a function given the connection inside the migration's transaction.
MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
    V1,
    V2,
    v3_full_text_search,
    v4_second_wave,
    EXTERNAL_REFS,
    v6_undo_marks,
    v7_change_counters,
]
SCHEMA_VERSION = len(MIGRATIONS)
