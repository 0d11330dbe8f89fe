"""Undo on real database files: a delete comes back with every row and link (full table dumps
compared), an update's old values come back, an add goes away again; each undo is an audited change
of its own; a later change by someone else (or by you, not undone) refuses it, with nothing written."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pgmtui.store import Store
from pgmtui.store.undo import UndoRefused


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every record and link table, every column (not the audit trail, which grows, nor the search
    index, which is derived, nor the change counters, which count every write)."""
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if r[0] not in ("audit", "meta", "table_change")
            and not r[0].startswith("sqlite_")
            and "_fts" not in r[0]
        ]
        # Sorted by every column: a link table's rows are the same pairs whatever order they were
        # written in (the store rewrites a record's links whenever they change).
        return {n: sorted(conn.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def _audit_by_id(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, ts, tbl, row_id, action, undoes FROM audit ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def demo(demo_db: Path):
    s = Store.open(demo_db)
    yield s
    s.close()


def test_deleting_a_project_then_undoing_it_leaves_every_table_as_it_was(demo: Store, demo_db: Path) -> None:
    before = dump(demo_db)
    audit_before = demo.audit_count()
    cld = demo.get("project", "CLD")
    plan = demo.deletion("project", "CLD").counts()
    # CLD hangs a lot off it: milestones, dependencies, risks, an issue, a decision, and it is linked
    # to two benefits (kept, unlinked).
    assert plan["deleted"]["milestone"] >= 5 and plan["deleted"]["dependency"] >= 5
    assert plan["unlinked"]["benefit"] == 2
    demo.delete("project", "CLD")
    assert dump(demo_db) != before

    steps = demo.undo()

    assert dump(demo_db) == before  # every row, every column (versions and stamps too), every link
    (step,) = steps
    assert step.action == "delete" and step.subject == "project CLD"
    assert step.restored == plan["deleted"]  # what came back is what went
    assert step.relinked == plan["unlinked"]
    assert step.text().startswith("delete of project CLD (")
    assert "brought back 1 project, " in step.text() and "links put back on 2 benefits" in step.text()
    # The undo is a change of its own: an insert per record brought back, an update per relink.
    gone = sum(plan["deleted"].values()) + sum(plan["unlinked"].values())
    assert demo.audit_count() == audit_before + 2 * gone
    rows = _audit_by_id(demo_db)
    deleted_at = next(r[1] for r in reversed(rows) if r[2:4] == ("project", cld["id"]) and r[4] == "delete")
    assert {r[5] for r in rows[-gone:]} == {deleted_at}  # every undo row names the delete it undid
    assert all(r[5] is None for r in rows[:-gone])
    assert demo.get("project", "CLD")["version"] == cld["version"]


def test_undoing_an_update_puts_the_old_values_back_as_a_new_version(store: Store) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity", "forecast_end": "2027-01-05"})
    store.update("project", "IAM", {"forecast_end": "2027-02-01", "percent_complete": 40})
    (step,) = store.undo()
    project = store.get("project", "IAM")
    assert (project["forecast_end"], project["percent_complete"], project["version"]) == (
        "2027-01-05",
        0.0,
        3,
    )
    assert step.action == "update" and step.subject == "project IAM"
    assert "forecast end 2027-02-01 → 2027-01-05" in step.reverted
    last = store.audit(table="project")[-1]
    assert last["action"] == "update" and last["changes"]["forecast_end"] == ["2027-02-01", "2027-01-05"]


def test_undoing_an_addition_removes_it_and_a_second_undo_goes_further_back(store: Store) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity"})
    store.update("project", "IAM", {"name": "Identity and access"})
    first = store.undo()
    assert first[0].action == "update" and store.get("project", "IAM")["name"] == "Identity"
    second = store.undo()  # not a redo: the addition before it
    assert second[0].action == "insert" and second[0].removed == {"project": 1}
    assert store.count("project") == 0
    assert store.undo() == []  # nothing left of this user's to undo


def test_undo_last_n_is_all_or_nothing_and_a_dry_run_writes_nothing(store: Store, db_path: Path) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity"})
    store.insert("risk", {"project": "IAM", "title": "Sync fails", "probability": 3, "impact": 4})
    store.update("risk", 1, {"probability": 5})
    before, audit = dump(db_path), store.audit_count()
    planned = store.undo(last=2, dry_run=True)
    assert [s.action for s in planned] == ["update", "insert"]
    assert dump(db_path) == before and store.audit_count() == audit
    done = store.undo(last=5)  # only three changes exist: all three are undone
    assert [s.action for s in done] == ["update", "insert", "insert"]
    assert store.count("project") == store.count("risk") == 0


def test_undo_is_refused_after_someone_else_changed_the_same_record(store: Store, db_path: Path) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity"})
    store.update("project", "IAM", {"name": "Identity and access"})
    with store.acting(user="asha"):
        store.update("project", "IAM", {"manager": "Asha Patel"})
    before, audit = dump(db_path), store.audit_count()
    with pytest.raises(UndoRefused) as refused:
        store.undo()
    message = str(refused.value)
    assert message.startswith("cannot undo the update of project IAM (")
    assert "project IAM was changed since by asha at " in message
    assert dump(db_path) == before and store.audit_count() == audit  # nothing written


def test_undo_is_refused_when_records_were_added_under_an_added_one(store: Store) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity"})
    with store.acting(user="ben"):
        store.insert("milestone", {"project": "IAM", "name": "SSO live"})
    with pytest.raises(UndoRefused, match=r"records added since refer to it \(1 milestone\)"):
        store.undo()
    assert store.count("project") == 1


def test_a_later_change_that_was_undone_does_not_block(store: Store) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity"})
    with store.acting(user="asha"):
        store.update("project", "IAM", {"manager": "Asha"})
        store.undo()  # asha takes hers back
    (step,) = store.undo()  # so mine can go
    assert step.action == "insert" and store.count("project") == 0


def test_bringing_back_is_refused_when_its_code_was_taken_since(store: Store) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity"})
    store.insert("project", {"code": "CLD", "name": "Cloud"})
    store.delete("project", "IAM")
    with store.acting(user="ben"):
        store.insert("project", {"code": "iam", "name": "Another"})  # id 3: the code, not the id
    store.insert("milestone", {"project": "CLD", "name": "Landing zone"})
    store.undo()  # the milestone
    with pytest.raises(UndoRefused, match=r"cannot bring back project IAM: .*(code|unique|exists)"):
        store.undo()
    assert store.get("project", "iam")["name"] == "Another" and store.count("project") == 2


def test_bringing_back_is_refused_when_its_id_was_taken_since(store: Store) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity"})
    store.delete("project", "IAM")
    with store.acting(user="ben"):
        store.insert("project", {"code": "NET", "name": "Network"})  # SQLite gives it id 1 again
    with pytest.raises(
        UndoRefused, match="the id of project #1 was taken since by a new project added by ben"
    ):
        store.undo()


def test_an_unlinked_action_gets_its_about_back(store: Store) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity"})
    issue = store.insert("issue", {"title": "SSO fails", "project": "IAM"})
    action = store.insert("action", {"title": "Call the vendor", "about": f"issue:{issue}"})
    kept = store.get("action", action)
    store.delete("issue", issue)
    assert store.get("action", action)["about"] is None
    (step,) = store.undo()
    assert step.restored == {"issue": 1} and step.relinked == {"action": 1}
    assert store.get("action", action) == kept  # the link, version and stamps as before


def test_the_session_undoes_its_own_last_change_only(db_path: Path) -> None:
    with Store.open(db_path) as a, Store.open(db_path) as b:
        a.insert("project", {"code": "IAM", "name": "Identity"})
        b.insert("project", {"code": "CLD", "name": "Cloud"})  # same OS user, another session
        a.update("project", "IAM", {"name": "Identity and access"})
        assert len(a.session_changes) == 2 and len(b.session_changes) == 1
        (step,) = a.undo_session_last()
        assert step.action == "update" and a.get("project", "IAM")["name"] == "Identity"
        (step,) = a.undo_session_last()
        assert step.action == "insert" and a.count("project") == 1  # CLD, the other session's, stays
        assert a.undo_session_last() == [] and a.session_changes == []


def test_undo_of_a_change_of_links_puts_the_list_back(store: Store) -> None:
    for code in ("IAM", "CLD"):
        store.insert("project", {"code": code, "name": code})
    store.insert("benefit", {"name": "Speed", "baseline_value": 1, "target_value": 2, "projects": "IAM"})
    store.update("benefit", "Speed", {"projects": "IAM, CLD"})
    (step,) = store.undo()
    assert store.get("benefit", "Speed")["projects"] == [1]
    assert step.reverted == ["projects [1, 2] → [1]"]


def test_an_old_database_is_upgraded_with_the_undo_column(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pgmtui.store.opening as opening_module

    with monkeypatch.context() as m:
        m.setattr(opening_module, "SCHEMA_VERSION", 5)  # before the undo marks
        with Store.open(db_path) as s:
            s.insert("project", {"code": "IAM", "name": "Identity"})
    with Store.open(db_path) as s:
        columns = {r[1] for r in s._conn.execute("PRAGMA table_info(audit)")}
        assert "undoes" in columns
        assert s.undo()[0].removed == {"project": 1}  # a change made before the upgrade


def test_a_copy_restored_from_an_export_keeps_the_undo_marks(store: Store, tmp_path: Path) -> None:
    from pgmtui.exchange import export, import_path

    store.insert("project", {"code": "IAM", "name": "Identity"})
    store.update("project", "IAM", {"name": "Identity and access"})
    store.undo()
    (written,) = export(store, tmp_path / "out.json", "json")
    with Store.open(tmp_path / "copy.db") as copy:
        import_path(copy, written)
        assert copy.undo()[0].action == "insert"  # the undone update is not undone again


def test_a_tampered_delete_in_the_audit_names_no_column_in_sql(store: Store, db_path: Path) -> None:
    # The audit is data: another program may have written a delete whose changes name a column
    # that is not the table's. Undo refuses it instead of putting that name into an INSERT.
    store.insert("project", {"code": "IAM", "name": "Identity"})
    store.delete("project", "IAM")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE audit SET changes = json_set(changes, '$.\"name) VALUES (1); --\"', json('[1, null]')) "
            "WHERE action = 'delete'"
        )
    conn.close()
    before = dump(db_path)
    with pytest.raises(UndoRefused, match=r"its delete names unknown fields name\) VALUES"):
        store.undo()
    assert dump(db_path) == before
