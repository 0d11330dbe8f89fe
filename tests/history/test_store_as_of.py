"""`Store.as_of`: the database as it stood at an instant, rebuilt from the audit trail, compared
with a second database into which the demo's history was replayed only up to that instant."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from pgmtui import clock
from pgmtui.records import ReadOnlyError, StoreError
from pgmtui.services import rollup_of
from pgmtui.store import Store
from tests.history.conftest import build_demo_db

# The demo's history (data/demo_programme.json, today = Wed 25 Nov 2026): loaded on 27 Aug 08:30
# UTC, progress reports every 10 working days, measurements as they are taken, scripted changes
# over the last 9 working days and three early this morning (07:15–08:05).
INSTANTS = (
    "2026-11-25T07:30:00",  # between this morning's changes
    "2026-11-24T12:00:00",  # mid-way through yesterday's
    "2026-11-20T23:59:59.999999",  # last Friday's end (a trend point)
    "2026-11-13T23:59:59.999999",
    "2026-10-01T12:00:00",  # risk 65 was another risk then (ids of deleted rows are reused)
    "2026-08-28T00:00:00",  # the day after the load
)


@pytest.fixture(scope="module")
def live(_demo_template: Path):
    store = Store.open(_demo_template, read_only=True)
    yield store
    store.close()


@pytest.mark.parametrize("when", INSTANTS)
def test_as_of_equals_the_history_replayed_to_that_moment(live: Store, tmp_path: Path, when: str) -> None:
    moment = pendulum.parse(when, tz="UTC")
    assert isinstance(moment, pendulum.DateTime)
    replayed = build_demo_db(tmp_path / "replayed.db", until=moment)
    past = live.as_of(clock.timestamp(moment))
    try:
        # The same rollup (RAG, EVM, risks, benefits) on the same day…
        assert rollup_of(past, moment.date()).to_json() == rollup_of(replayed, moment.date()).to_json()
        # …because every row, link, stamp and audit row is the same.
        a, b = past.read_all(), replayed.read_all()
        assert a["programme"] == b["programme"]
        for table in a["tables"]:
            assert a["tables"][table] == b["tables"][table], table
        assert a["links"] == b["links"]
        assert past.audit() == replayed.audit()
    finally:
        past.close()
        replayed.close()


def test_as_of_changes_nothing_live_and_refuses_writes(live: Store) -> None:
    before = live.read_all()
    past = live.as_of("2026-11-13T23:59:59.999999Z")
    assert past.read_only and past.as_of_ts == "2026-11-13T23:59:59.999999Z"
    with pytest.raises(ReadOnlyError):
        past.update("project", "IAM", {"percent_complete": 1})
    with pytest.raises(ReadOnlyError):
        past.insert("risk", {"title": "x", "probability": 1, "impact": 1})
    past.close()
    assert live.read_all() == before
    assert live.as_of_ts is None


def test_the_past_state_is_what_the_log_says(live: Store) -> None:
    # IAM's % complete came from the fortnightly progress reports: 41 % at the load, 68 % now, in
    # six reports (the last on Thu 19 Nov, working day -4), so 41 + 27 × 5/6 = 63.5 → 64 before it.
    iam_now = live.get("project", "IAM")
    assert iam_now["percent_complete"] == 68
    past = live.as_of("2026-11-18T23:59:59.999999Z")
    iam_then = past.get("project", "IAM")
    assert iam_then["percent_complete"] == 64
    # One version less per update since, stamped by the last write before.
    trail = live.audit(table="project", row_id=iam_now["id"])
    since = [a for a in trail if a["ts"] > "2026-11-19"]
    assert since and all(a["action"] == "update" for a in since)
    assert iam_then["version"] == iam_now["version"] - len(since)
    last_before = [a for a in trail if a["ts"] < "2026-11-19"][-1]
    assert (iam_then["updated_at"], iam_then["updated_by"]) == (last_before["ts"], last_before["user"])
    # The risk deleted on wd:-9 (Thu 12 Nov) as a duplicate is back, with its id.
    risks_then = {r["title"] for r in past.rows("risk")}
    assert "MFA enrolment overloads the service desk" not in {r["title"] for r in live.rows("risk")}
    past.close()
    before_delete = live.as_of("2026-11-11T23:59:59.999999Z")
    assert "MFA enrolment overloads the service desk" in {r["title"] for r in before_delete.rows("risk")}
    assert "MFA enrolment overloads the service desk" not in risks_then
    # …and the full-text index followed it (the same triggers ran in the copy).
    assert any(hit.kind == "risk" for hit in before_delete.search("enrolment overloads"))
    before_delete.close()


def test_a_swap_of_codes_and_link_lists_rewind(store: Store) -> None:
    s = store
    with s.acting(at=pendulum.datetime(2026, 11, 2, 9, tz="UTC")):
        s.insert("programme", {"name": "P"})
        a = s.insert("project", {"code": "AAA", "name": "A"})
        b = s.insert("project", {"code": "BBB", "name": "B"})
        c = s.insert("project", {"code": "CCC", "name": "C"})
        benefit = s.insert(
            "benefit", {"name": "Speed", "projects": "AAA", "baseline_value": 1, "target_value": 2}
        )
        s.insert("stakeholder", {"name": "CFO", "power": 5, "interest": 2, "projects": "AAA,CCC"})
    with s.acting(at=pendulum.datetime(2026, 11, 10, 9, tz="UTC")):
        # A and B swap codes (through a third), the benefit moves to B, C is deleted.
        s.update("project", a, {"code": "TMP"})
        s.update("project", b, {"code": "AAA"})
        s.update("project", a, {"code": "BBB"})
        s.update("benefit", benefit, {"projects": f"id:{b}"})
        s.delete("project", c)
    assert [p["code"] for p in s.rows("project")] == ["BBB", "AAA"]
    # Updating A back to AAA in place would meet B still holding it: the copy rewrites them whole.
    past = s.as_of("2026-11-05T00:00:00.000000Z")
    assert [(p["id"], p["code"], p["version"]) for p in past.rows("project")] == [
        (a, "AAA", 1),
        (b, "BBB", 1),
        (c, "CCC", 1),
    ]
    assert past.get("benefit", benefit)["projects"] == [a]
    assert past.get("stakeholder", "CFO")["projects"] == [a, c]
    assert past.audit_count() == 6  # the programme and five inserts
    past.close()
    assert s.get("stakeholder", "CFO")["projects"] == [a]  # the live database as it was


def test_before_the_history_and_after_the_last_write(live: Store) -> None:
    empty = live.as_of("2026-08-01T00:00:00.000000Z")
    assert empty.programme() is None and empty.count("project") == 0 and empty.audit_count() == 0
    empty.close()
    now = live.as_of("2026-11-25T23:59:59.999999Z")
    assert now.read_all() == live.read_all()
    now.close()
    assert live.history_start() == "2026-08-27T08:30:00.000000Z"


def test_history_since_is_newest_first_with_changes_decoded(live: Store) -> None:
    rows = live.history_since("2026-11-25T00:00:00.000000Z")
    assert [r["ts"] for r in rows] == sorted((r["ts"] for r in rows), reverse=True)
    assert rows and all(r["ts"] > "2026-11-25" for r in rows)
    assert all(isinstance(r["changes"], dict) for r in rows)
    # The same rows as audit() gives, less its undo mark (issue 17): a rewind replays an undo's
    # changes like any other change, so history_since does not read the mark.
    assert rows == [
        {k: v for k, v in r.items() if k != "undoes"}
        for r in reversed(live.audit(since="2026-11-25T00:00:00.000000Z"))
    ]
    assert json.dumps(rows)  # plain data


def test_a_damaged_audit_row_is_skipped_not_fatal(db_path: Path) -> None:
    import sqlite3

    s = Store.open(db_path)
    s.insert("programme", {"name": "P"})
    with s.acting(at=pendulum.datetime(2026, 11, 2, 9, tz="UTC")):
        s.insert("project", {"code": "AAA", "name": "A"})
    with s.acting(at=pendulum.datetime(2026, 11, 10, 9, tz="UTC")):
        s.update("project", "AAA", {"name": "A2"})
    s.close()
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE audit SET changes = 'not json' WHERE action = 'update'")
    raw.commit()
    raw.close()
    s = Store.open(db_path)
    past = s.as_of("2026-11-05T00:00:00.000000Z")
    assert past.get("project", "AAA")["name"] == "A2"  # nothing could be undone, nothing failed
    past.close()
    s.close()
    with pytest.raises(StoreError):
        Store.open(db_path, read_only=True).as_of("x").insert("project", {"code": "B", "name": "B"})
