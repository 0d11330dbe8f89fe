"""The live refresh re-reads only the tables that changed (schema 7's change counters) and reuses
what it derived from the rest (Snapshot.memo). Its result must always equal a build from scratch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pendulum
import pytest

from pgmtui.services import build_model
from pgmtui.store import Store
from pgmtui.store.schema import counted_tables

TODAY = pendulum.Date(2026, 11, 25)


def _picture(model) -> dict:
    """Everything a screen reads from a Model, in comparable form."""
    return {
        "rollup": model.rollup.to_json(),
        "tables": model.tables,
        "programme": model.programme,
        "links": {t: {k: sorted(v) for k, v in pairs.items()} for t, pairs in model.links.items()},
        "critical": model.critical,
        "implied": model.implied,
        "trends": (model.risk_trends, model.risk_trends_inherent),
        "project index": {p["id"]: model.row("project", p["id"]) for p in model.tables["project"]},
    }


def _fresh(path: Path, today: pendulum.Date = TODAY) -> dict:
    """A build from scratch: a new connection has no cache and no memo."""
    with Store.open(path) as other:
        return _picture(build_model(other, today))


def test_every_record_and_link_table_has_a_counter(demo_db: Path) -> None:
    with Store.open(demo_db) as store:
        counters = store.change_counters()
        assert set(counted_tables()) <= set(counters)
        assert "audit" not in counters and "meta" not in counters


def test_counters_move_on_every_write_whoever_makes_it(demo_db: Path) -> None:
    with Store.open(demo_db) as store:
        before = store.change_counters()
        pid = store.rows("project")[0]["id"]
        store.update("project", pid, {"percent_complete": 12})
        after_store = store.change_counters()
        # Only the project table moved (the audit row is not a counted table).
        assert {t for t in after_store if after_store[t] != before[t]} == {"project"}

        # Another program writing with plain SQL (no audit row, no version bump) is counted too.
        raw = sqlite3.connect(demo_db)
        raw.execute("UPDATE risk SET title = 'renamed outside' WHERE id = (SELECT min(id) FROM risk)")
        raw.execute("DELETE FROM benefit_project WHERE rowid = (SELECT min(rowid) FROM benefit_project)")
        raw.commit()
        raw.close()
        after_raw = store.change_counters()
        assert {t for t in after_raw if after_raw[t] != after_store[t]} == {"risk", "benefit_project"}


def test_read_all_leaves_out_the_tables_that_did_not_change(demo_db: Path) -> None:
    with Store.open(demo_db) as store:
        first = store.read_all(as_tuples=True)
        assert set(first["tables"]) >= {"project", "risk", "engagement"}
        nothing = store.read_all(as_tuples=True, unchanged_since=first["counters"])
        assert nothing["tables"] == {} and nothing["links"] == {}
        assert nothing["programme"] == first["programme"]  # one row: always read
        risk = store.rows("risk")[0]
        store.update("risk", risk["id"], {"impact": risk["impact"] % 5 + 1})
        some = store.read_all(as_tuples=True, unchanged_since=first["counters"])
        assert set(some["tables"]) == {"risk"}


def test_unchanged_tables_are_the_same_objects_and_derived_figures_are_reused(demo_db: Path) -> None:
    with Store.open(demo_db) as store:
        first = build_model(store, TODAY)
        sid = store.rows("stakeholder")[0]["id"]
        store.update("stakeholder", sid, {"note": "met on Tuesday"})
        second = build_model(store, TODAY)
        # The stakeholder table was read again; nothing the rollup reads was.
        assert second.tables["stakeholder"] is not first.tables["stakeholder"]
        for table in ("project", "milestone", "risk", "cost", "measurement", "engagement"):
            assert second.tables[table] is first.tables[table], table
        assert second.snapshot.projects is first.snapshot.projects
        assert second.rollup.benefits is first.rollup.benefits  # benefit statuses not recomputed
        assert second.critical is first.critical
        assert second.row("stakeholder", sid)["note"] == "met on Tuesday"
        assert first.row("stakeholder", sid)["note"] != "met on Tuesday"  # the old model is intact


def test_a_project_change_rebuilds_that_projects_case_and_nothing_else(demo_db: Path) -> None:
    with Store.open(demo_db) as store:
        first = build_model(store, TODAY)
        projects = store.rows("project")
        pid = projects[0]["id"]
        store.update("project", pid, {"percent_complete": 3})
        second = build_model(store, TODAY)
        assert second.snapshot.projects is not first.snapshot.projects
        same = [a is b for a, b in zip(first.snapshot.projects, second.snapshot.projects, strict=True)]
        assert same.count(False) == 1  # only the changed project became a new record
        assert _picture(second) == _fresh(demo_db)


def _first_case_rate(store: Store) -> None:
    cases = [c for c in store.rows("business_case") if c.get("project_id")]
    if cases:
        store.update("business_case", cases[0]["id"], {"discount_rate_pct": 25})


def _edits(path: Path):
    """A morning's worth of changes of every sort: through the store, and behind its back."""
    store = Store.open(path)
    rows = {t: store.rows(t) for t in ("project", "milestone", "risk", "benefit", "person", "cost")}
    p0, p1 = rows["project"][0]["id"], rows["project"][1]["id"]
    yield "project %", lambda: store.update("project", p0, {"percent_complete": 77})
    yield "forecast slips", lambda: store.update("project", p1, {"forecast_end": "2028-03-31"})
    yield "budget", lambda: store.update("project", p0, {"budget": 1_234_567})
    ms = rows["milestone"][0]["id"]
    yield "milestone slips", lambda: store.update("milestone", ms, {"forecast_date": "2028-01-15"})
    risk = rows["risk"][0]["id"]
    yield "risk re-scored", lambda: store.update("risk", risk, {"probability": 5, "impact": 5})
    yield "risk closed", lambda: store.update("risk", rows["risk"][1]["id"], {"status": "closed"})
    benefit = rows["benefit"][0]
    yield (
        "measurement",
        lambda: store.insert("measurement", {"benefit": benefit["id"], "date": "2026-11-24", "value": 42.0}),
    )
    yield "business case rate", lambda: _first_case_rate(store)
    yield "person capacity", lambda: store.update("person", rows["person"][0]["id"], {"capacity_pct": 20})
    if rows["cost"]:
        yield "cost row", lambda: store.update("cost", rows["cost"][0]["id"], {"actual": 999_999})
    programme = store.programme()["id"]
    yield "programme tolerance", lambda: store.update("programme", programme, {"tolerance_schedule_days": 1})
    yield "near-critical days", lambda: store.update("programme", programme, {"near_critical_days": 30})
    yield "look-ahead", lambda: store.update("programme", programme, {"resource_lookahead_weeks": 2})
    yield "risk deleted", lambda: store.delete("risk", rows["risk"][2]["id"])

    def outside() -> None:
        raw = sqlite3.connect(path)
        raw.execute("UPDATE project SET percent_complete = 5 WHERE id = ?", (p1,))
        raw.execute("DELETE FROM benefit_project WHERE rowid = (SELECT min(rowid) FROM benefit_project)")
        raw.commit()
        raw.close()

    yield "written outside the store", outside
    store.close()


def test_after_every_kind_of_change_the_live_build_equals_a_build_from_scratch(demo_db: Path) -> None:
    with Store.open(demo_db) as live:
        build_model(live, TODAY)
        for what, edit in _edits(demo_db):
            edit()
            assert _picture(build_model(live, TODAY)) == _fresh(demo_db), what
        # A new day moves every date-dependent figure, with no table changed.
        tomorrow = TODAY.add(days=1)
        assert _picture(build_model(live, tomorrow)) == _fresh(demo_db, tomorrow)


def test_r_reads_every_table_again(demo_db: Path) -> None:
    """A change no counter saw (a program that dropped the triggers) shows after a full read."""
    with Store.open(demo_db) as live:
        before = build_model(live, TODAY)
        raw = sqlite3.connect(demo_db)
        raw.execute("DROP TRIGGER table_change_project_update")
        raw.execute(
            "UPDATE project SET name = 'Renamed behind our back' WHERE id = (SELECT min(id) FROM project)"
        )
        raw.commit()
        raw.close()
        pid = min(p["id"] for p in before.tables["project"])
        assert build_model(live, TODAY).row("project", pid)["name"] != "Renamed behind our back"
        assert build_model(live, TODAY, full=True).row("project", pid)["name"] == "Renamed behind our back"


@pytest.mark.parametrize("table", ["project", "engagement"])
def test_a_table_without_a_counter_is_read_every_time(demo_db: Path, table: str) -> None:
    with Store.open(demo_db) as live:
        build_model(live, TODAY)
        raw = sqlite3.connect(demo_db)
        raw.execute("DELETE FROM table_change WHERE tbl = ?", (table,))
        raw.commit()
        first = raw.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1").fetchone()[0]
        column = "name" if table == "project" else "summary"
        raw.execute(f"UPDATE {table} SET {column} = 'seen anyway' WHERE id = ?", (first,))
        raw.commit()
        raw.close()
        assert build_model(live, TODAY).row(table, first)[column] == "seen anyway"


def test_control_characters_are_shown_whichever_build_first_saw_the_text(demo_db: Path) -> None:
    """Text is checked once per distinct value: a hostile text the pool already holds must still be
    made visible in a row that gets it later, and a user name must stay on one line."""
    hostile = "Pay \x1b[31mnow\x1b[0m \u202eevil"
    raw = sqlite3.connect(demo_db)
    first, second = (r[0] for r in raw.execute("SELECT id FROM risk ORDER BY id LIMIT 2"))
    raw.execute("UPDATE risk SET title = ? WHERE id = ?", (hostile, first))
    raw.commit()
    with Store.open(demo_db) as live:
        model = build_model(live, TODAY)
        assert "\x1b" not in model.row("risk", first)["title"]
        raw.execute("UPDATE risk SET title = ? WHERE id = ?", (hostile, second))
        raw.execute(
            "UPDATE project SET updated_by = 'mallory\nroot' WHERE id = (SELECT min(id) FROM project)"
        )
        raw.commit()
        model = build_model(live, TODAY)
        shown = model.row("risk", second)["title"]
        assert "\x1b" not in shown and "\u202e" not in shown and "now" in shown
        assert all("\n" not in (p["updated_by"] or "") for p in model.tables["project"])
        assert _picture(model) == _fresh(demo_db)
    raw.close()
