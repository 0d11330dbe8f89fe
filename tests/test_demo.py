"""The demo programmes: counts, determinism, believable mixed content and a dated audit history."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pendulum
import pytest

from pgmtui import demo
from pgmtui.demo import build_demo, demo_data_path, previous_working_day, working_day
from pgmtui.records.fields import SECOND_WAVE
from pgmtui.store import Store

TODAY = pendulum.Date(2026, 11, 23)  # a Monday: the previous working day is Friday 2026-11-20
FRIDAY = "2026-11-20"

SECOND_WAVE_KINDS = [k.name for k in SECOND_WAVE]
SMALL_COUNTS = {
    "programme": 1,
    "project": 9,
    "milestone": 46,
    "dependency": 27,
    "risk": 65,
    "issue": 9,
    "assumption": 7,
    "decision": 7,
    "benefit": 11,
    "measurement": 63,
    # The second wave's kinds: their demo data comes with each area's screens.
    "person": 28,
    "allocation": 41,
    "cost": 183,  # every project's plan by month and category (finance)
    "change_request": 6,
    "objective": 4,  # governance (issue 15): 4 objectives, 19 links, 7 cases (one the programme's)
    "contribution": 19,
    "business_case": 7,
    "gate_review": 10,
    "stakeholder": 20,
    "engagement": 39,
    "communication": 8,
    "action": 14,  # follow-through (issue 17): some overdue, some due today, some done
    "lesson": 5,
    # 338 for the first wave's records and history; 28 people and 41 allocations (69 inserts);
    # 281 for finance (cost rows, actuals typed in, change requests and what their approvals
    # moved); 20 + 39 + 8 stakeholder inserts and 4 attitude moves (71); 14 + 5 inserts and 4
    # action updates (23); 4 + 19 + 7 + 10 governance inserts (40).
    "audit": 338 + 69 + 281 + 71 + 23 + 40,
}


def _build(path: Path, today: pendulum.Date = TODAY, size: str = "small", scale: int = 1) -> dict[str, int]:
    with Store.open(path) as store:
        return build_demo(store, today, size, scale)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "small.db"
    _build(path)
    return path


@pytest.fixture
def db(small_db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{small_db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def _one(conn: sqlite3.Connection, sql: str, *params: object) -> int:
    return conn.execute(sql, params).fetchone()[0]


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        # The full-text index (<table>_fts and its shadow tables) is derived from the records.
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%\\_fts%' ESCAPE '\\' "
                "ORDER BY name"
            )
        ]
        assert "risk" in tables and "risk_fts" not in tables
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        conn.close()


# ------------------------------------------------------------------------------------------ helpers


def test_previous_working_day_skips_weekends() -> None:
    assert previous_working_day(pendulum.Date(2026, 11, 23)) == pendulum.Date(2026, 11, 20)  # Mon → Fri
    assert previous_working_day(pendulum.Date(2026, 11, 22)) == pendulum.Date(2026, 11, 20)  # Sun → Fri
    assert previous_working_day(pendulum.Date(2026, 11, 25)) == pendulum.Date(2026, 11, 24)  # Wed → Tue
    assert working_day(TODAY, 0) == TODAY
    assert working_day(TODAY, -2) == pendulum.Date(2026, 11, 19)


def test_demo_data_path_finds_the_json() -> None:
    folder = demo_data_path()
    spec = json.loads((folder / demo.DATA_FILE).read_text(encoding="utf-8"))
    assert spec["programme"]["name"] == "Digital Workplace Programme"


# ------------------------------------------------------------------------------------------ small demo


def test_small_demo_writes_the_expected_counts(tmp_path: Path) -> None:
    counts = _build(tmp_path / "demo.db")
    assert counts == SMALL_COUNTS
    assert _build(tmp_path / "other-weekday.db", today=pendulum.Date(2026, 11, 25))["risk"] == 65


def test_small_demo_is_deterministic(tmp_path: Path) -> None:
    _build(tmp_path / "a.db")
    _build(tmp_path / "b.db")
    a, b = _dump(tmp_path / "a.db"), _dump(tmp_path / "b.db")
    assert a.keys() == b.keys()
    for table in a:
        assert a[table] == b[table], f"table {table} differs between two builds"


def test_small_demo_refuses_a_database_that_holds_a_programme(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    _build(path)
    with Store.open(path) as store, pytest.raises(ValueError, match="already holds programme"):
        build_demo(store, TODAY)


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with Store.open(tmp_path / "demo.db") as store:
        with pytest.raises(ValueError, match="unknown demo size"):
            build_demo(store, TODAY, "medium")
        with pytest.raises(ValueError, match="scale"):
            build_demo(store, TODAY, "large", 0)
        with pytest.raises(ValueError, match="large demo only"):
            build_demo(store, TODAY, "small", 2)
        assert store.programme() is None


def test_programme_and_projects(db: sqlite3.Connection) -> None:
    prog = db.execute("SELECT * FROM programme").fetchone()
    assert (
        prog["tolerance_schedule_days"] == 10
        and prog["tolerance_cost_pct"] == 10
        and prog["currency"] == "GBP"
    )
    assert prog["sponsor"] and prog["manager"] and prog["start_date"] < prog["end_date"]
    codes = {r[0] for r in db.execute("SELECT code FROM project")}
    assert codes == {"IAM", "CLD", "ERP", "DAT", "SVD", "NET", "SEC", "TRN", "M365"}
    stages = {r[0] for r in db.execute("SELECT stage FROM project")}
    assert stages == {"Initiation", "Delivery", "Closure"}
    slip = "julianday(forecast_end) - julianday(baseline_end)"
    assert _one(db, f"SELECT count(*) FROM project WHERE {slip} <= 0") >= 2  # on time: G
    assert _one(db, f"SELECT count(*) FROM project WHERE {slip} BETWEEN 1 AND 10") >= 3  # within tolerance: A
    assert _one(db, f"SELECT count(*) FROM project WHERE {slip} > 10") >= 1  # beyond: R
    # EAC = AC / %complete; beyond BAC + 10 % is red on cost.
    assert (
        _one(db, "SELECT count(*) FROM project WHERE actual_cost * 100 / percent_complete > budget * 1.1")
        >= 1
    )
    overridden = db.execute(
        "SELECT code, rag_override, rag_reason FROM project WHERE rag_override IS NOT NULL"
    )
    rows = overridden.fetchall()
    assert len(rows) == 1 and rows[0]["rag_reason"].strip()


def test_project_rags_and_benefit_statuses_are_mixed(small_db: Path) -> None:
    from pgmtui.domain import models
    from pgmtui.domain import rollup as rollup_mod

    with Store.open(small_db, read_only=True) as store:
        data = store.read_all()
    snapshot = models.Snapshot.from_rows(data["programme"], data["tables"], data["benefit_links"])
    result = rollup_mod.rollup(snapshot, TODAY)
    rags = [p.rag.final for p in result.projects]
    assert {"R", "A", "G"} <= set(rags)
    assert sum(r == "R" for r in rags) >= 2 and sum(r == "A" for r in rags) >= 3
    assert [p.code for p in result.projects if p.rag.overridden] == ["DAT"]
    statuses = {b.status for b in result.benefits}
    assert {"Realised", "On track", "At risk", "Off track", "No data"} <= statuses


def test_milestones_and_dependencies(db: sqlite3.Connection) -> None:
    assert _one(db, "SELECT count(*) FROM milestone WHERE is_gate = 1") >= 9
    assert _one(db, "SELECT count(*) FROM milestone WHERE actual_date < ?", TODAY.isoformat()) >= 10
    assert _one(db, "SELECT count(*) FROM milestone WHERE actual_date > ?", TODAY.isoformat()) == 0
    cross = """SELECT count(*) FROM dependency d JOIN milestone s ON s.id = d.supplier_id
               JOIN milestone c ON c.id = d.consumer_id WHERE s.project_id != c.project_id"""
    assert _one(db, cross) >= 20
    types = {r[0]: r[1] for r in db.execute("SELECT type, count(*) FROM dependency GROUP BY type")}
    assert types["FS"] > types.get("SS", 0) + types.get("FF", 0) and types.get("SS") and types.get("FF")
    assert _one(db, "SELECT count(*) FROM dependency WHERE lag_days < 0") >= 1  # a lead
    late = """SELECT count(*) FROM dependency d JOIN milestone s ON s.id = d.supplier_id
              JOIN milestone c ON c.id = d.consumer_id
              WHERE julianday(c.forecast_date) < julianday(s.forecast_date) + d.lag_days"""
    assert _one(db, late) >= 3


def test_risks_cover_every_band_and_shape(db: sqlite3.Connection) -> None:
    bands = {"Low": (1, 4), "Medium": (5, 9), "High": (10, 14), "Critical": (15, 25)}
    for band, (lo, hi) in bands.items():
        inherent = _one(db, "SELECT count(*) FROM risk WHERE probability * impact BETWEEN ? AND ?", lo, hi)
        assert inherent >= 1, f"no risk in band {band}"
        residual = _one(
            db,
            "SELECT count(*) FROM risk WHERE status = 'open' AND coalesce(residual_probability, probability) "
            "* coalesce(residual_impact, impact) BETWEEN ? AND ?",
            lo,
            hi,
        )
        assert residual >= 1, f"no open risk in residual band {band}"
    assert _one(db, "SELECT count(*) FROM risk WHERE project_id IS NULL") >= 5
    assert _one(db, "SELECT count(*) FROM risk WHERE status = 'closed'") >= 5
    assert _one(db, "SELECT count(*) FROM risk WHERE kind = 'opportunity'") >= 3
    assert _one(db, "SELECT count(*) FROM risk WHERE residual_probability IS NOT NULL") >= 50
    assert (
        _one(db, "SELECT count(*) FROM risk WHERE review_date < ? AND status = 'open'", TODAY.isoformat())
        >= 3
    )
    assert _one(db, "SELECT count(*) FROM risk WHERE cause IS NULL OR event IS NULL OR effect IS NULL") == 0
    assert _one(db, "SELECT count(DISTINCT response) FROM risk") >= 7
    assert _one(db, "SELECT count(DISTINCT category) FROM risk") >= 8
    assert _one(db, "SELECT count(*) FROM risk WHERE proximity LIKE '____-__-__'") >= 3
    assert _one(db, "SELECT count(DISTINCT project_id) FROM risk WHERE project_id IS NOT NULL") == 9


def test_raid_and_benefits(db: sqlite3.Connection) -> None:
    assert _one(db, "SELECT count(*) FROM decision WHERE status = 'needed'") >= 2
    assert _one(db, "SELECT count(*) FROM decision WHERE status = 'made' AND decided_date IS NOT NULL") >= 2
    assert _one(db, "SELECT count(*) FROM issue WHERE status != 'closed'") >= 6
    kinds = {r[0] for r in db.execute("SELECT kind FROM benefit")}
    assert kinds == {"cash-releasing", "non-cash", "dis-benefit"}
    assert _one(db, "SELECT count(*) FROM benefit WHERE target_value < baseline_value") >= 3  # decreasing
    assert _one(db, "SELECT count(*) FROM benefit WHERE target_value > baseline_value") >= 3  # increasing
    no_data = "SELECT count(*) FROM benefit b WHERE NOT EXISTS (SELECT 1 FROM measurement m WHERE m.benefit_id = b.id)"
    assert _one(db, no_data) == 1
    per_benefit = [r[0] for r in db.execute("SELECT count(*) FROM measurement GROUP BY benefit_id")]
    assert min(per_benefit) >= 4 and max(per_benefit) <= 12
    assert _one(db, "SELECT count(*) FROM measurement WHERE date > ?", TODAY.isoformat()) == 0
    assert _one(db, "SELECT count(DISTINCT benefit_id) FROM benefit_project") == 11


# ------------------------------------------------------------------------------------------ audit history


def test_audit_has_changes_on_the_previous_working_day(db: sqlite3.Connection) -> None:
    friday = db.execute(
        "SELECT user, tbl, action, changes FROM audit WHERE ts >= ? AND ts < ?", (FRIDAY, "2026-11-21")
    ).fetchall()
    assert len(friday) >= 10
    assert len({r["user"] for r in friday}) >= 3
    seen = {(r["tbl"], r["action"]) for r in friday}
    for wanted in [
        ("milestone", "update"),
        ("risk", "update"),
        ("risk", "insert"),
        ("issue", "insert"),
        ("decision", "update"),
        ("measurement", "insert"),
        ("project", "update"),
    ]:
        assert wanted in seen, f"no {wanted} on the previous working day"
    changes = [json.loads(r["changes"]) for r in friday]
    assert any("forecast_date" in c for c in changes)
    assert any(c.get("rag_override") == [None, "R"] and c.get("rag_reason") for c in changes)
    assert any(c.get("status") == ["open", "closed"] for c in changes)  # a risk closed
    assert any(c.get("status") == ["needed", "made"] for c in changes)  # a decision made
    # Nothing at the weekend, a few early today, nothing later than this morning.
    assert _one(db, "SELECT count(*) FROM audit WHERE ts >= '2026-11-21' AND ts < '2026-11-23'") == 0
    today = _one(db, "SELECT count(*) FROM audit WHERE ts >= '2026-11-23'")
    assert (
        3 <= today == _one(db, "SELECT count(*) FROM audit WHERE ts >= '2026-11-23' AND ts < '2026-11-23T09'")
    )


def test_audit_history_starts_with_a_backdated_load(db: sqlite3.Connection) -> None:
    first = db.execute("SELECT ts, user FROM audit ORDER BY id LIMIT 1").fetchone()
    assert first["ts"].startswith(TODAY.subtract(days=90).isoformat()) and first["user"] == "pmo"
    stamps = [r[0] for r in db.execute("SELECT ts FROM audit ORDER BY id")]
    assert stamps == sorted(stamps)  # written in time order
    users = {r[0] for r in db.execute("SELECT DISTINCT user FROM audit")}
    assert {"pmo", "asha", "ben", "chloe", "dev.ops"} <= users
    assert _one(db, "SELECT count(*) FROM audit WHERE action = 'delete'") >= 1
    days = {r[0] for r in db.execute("SELECT DISTINCT substr(ts, 1, 10) FROM audit WHERE action != 'insert'")}
    assert len(days) >= 15  # changes spread over the past weeks


def test_audit_replays_to_the_final_state(db: sqlite3.Connection) -> None:
    """Applying every audit row in order rebuilds each table exactly: history and state agree."""
    meta = {"id", "version", "created_at", "updated_at", "updated_by"}
    state: dict[tuple[str, int], dict] = {}
    versions: dict[tuple[str, int], int] = {}
    for row in db.execute("SELECT tbl, row_id, action, changes FROM audit ORDER BY id"):
        key, changes = (row["tbl"], row["row_id"]), json.loads(row["changes"])
        if row["action"] == "delete":
            del state[key]
            continue
        if row["action"] == "insert":
            assert key not in state
            state[key], versions[key] = {}, 0
        for name, (old, new) in changes.items():
            if row["action"] == "update":
                assert state[key].get(name) == old, f"{key} {name}: audit says {old!r} before the change"
            state[key][name] = new
        versions[key] += 1
    for table in (
        "programme",
        "project",
        "milestone",
        "dependency",
        "risk",
        "issue",
        "assumption",
        "decision",
        "objective",
        "contribution",
        "business_case",
        "gate_review",
        "person",
        "allocation",
        "cost",
        "change_request",
        "engagement",
        "communication",
        "action",
        "lesson",
    ):
        for row in db.execute(f"SELECT * FROM {table}"):
            key = (table, row["id"])
            expected = {k: row[k] for k in row.keys() if k not in meta and row[k] is not None}
            assert state.pop(key) == expected
            assert versions[key] == row["version"]
    for table in ("benefit", "measurement", "stakeholder"):  # (link lists are audited as names)
        for row in db.execute(f"SELECT id FROM {table}"):
            state.pop((table, row["id"]))
    assert not state, f"audit rows for records that do not exist: {list(state)[:5]}"


def test_final_state_matches_the_authored_data(db: sqlite3.Connection) -> None:
    spec = json.loads((demo_data_path() / demo.DATA_FILE).read_text(encoding="utf-8"))
    for p in spec["projects"]:
        row = db.execute("SELECT * FROM project WHERE code = ?", (p["code"],)).fetchone()
        assert row["forecast_end"] == TODAY.add(days=p["forecast_end"]).isoformat()
        assert row["percent_complete"] == p["percent_complete"] and row["actual_cost"] == p["actual_cost"]
    for m in spec["milestones"]:
        row = db.execute(
            "SELECT m.* FROM milestone m JOIN project p ON p.id = m.project_id WHERE p.code = ? AND m.name = ?",
            (m["project"], m["name"]),
        ).fetchone()
        assert row["forecast_date"] == TODAY.add(days=m["forecast_date"]).isoformat(), m["name"]


# ------------------------------------------------------------------------------------------ large demo


def test_large_demo_counts(tmp_path: Path) -> None:
    # How long the build takes is a benchmark figure (bench/README.md, "demo build"), not a test.
    counts = _build(tmp_path / "large.db", size="large")
    assert counts == {
        "programme": 1,
        "project": 200,
        "milestone": 2_000,
        "dependency": 1_500,
        "risk": 5_000,
        "issue": 0,
        "assumption": 0,
        "decision": 0,
        "benefit": 500,
        "measurement": 20_000,
        **{kind: 0 for kind in SECOND_WAVE_KINDS},  # their demo data comes with each area's screens
        # Governance (issue 15): 6 objectives; every project serves 1–2 (272) and a fifth of the
        # benefits one (100); a case per project and the programme's; a review per passed gate.
        **{"objective": 6, "contribution": 370, "business_case": 201, "gate_review": 296},
        "person": 500,
        "allocation": 5_000,
        "cost": 200 * 24,  # 24 months of cost rows per project (finance)
        "action": 5_000,
        "lesson": 200,
        "stakeholder": 1_000,
        "engagement": 10_000,
        "communication": 100,
        # The first wave's 50,000 (the cost rows, actions, lessons and governance records among
        # them), then one insert row per person, allocation, stakeholder, engagement and communication.
        "audit": 50_000 + 5_500 + 11_100,
    }
    conn = sqlite3.connect(tmp_path / "large.db")
    try:
        updates = conn.execute("SELECT count(*), min(ts) FROM audit WHERE action = 'update'").fetchone()
        # 50 000 audit rows: 29 201 inserts of the first wave's kinds, 4 800 cost rows, 5 200 of
        # actions and lessons, 873 of the governance kinds.
        assert (
            updates[0] == 50_000 - 29_201 - 4_800 - 5_200 - 873
            and updates[1] >= TODAY.subtract(days=61).isoformat()
        )
        assert (
            conn.execute("SELECT count(DISTINCT tbl) FROM audit WHERE action = 'update'").fetchone()[0] >= 2
        )
        # Acyclic by construction: every supplier comes before its consumer in baseline order.
        backwards = conn.execute(
            "SELECT count(*) FROM dependency d JOIN milestone s ON s.id = d.supplier_id "
            "JOIN milestone c ON c.id = d.consumer_id WHERE s.baseline_date > c.baseline_date"
        ).fetchone()[0]
        assert backwards == 0
    finally:
        conn.close()
