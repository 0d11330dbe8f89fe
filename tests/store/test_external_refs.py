"""External references on a real database file: set and moved, unique per source/id/kind, gone with
their record (cascades included), upgraded into from an older schema, kept by export and restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pgmtui.exchange import export, import_path
from pgmtui.records.errors import ValidationError
from pgmtui.store import Store
from pgmtui.store import opening as opening_module
from pgmtui.store.schema import EXTERNAL_REFS, MIGRATIONS, SCHEMA_VERSION


def _plan(store: Store) -> tuple[int, int, int]:
    store.insert("project", {"code": "WEB", "name": "Website"})
    a = store.insert("milestone", {"project": "WEB", "name": "Design", "forecast_date": "2026-03-01"})
    b = store.insert("milestone", {"project": "WEB", "name": "Build", "forecast_date": "2026-06-01"})
    dep = store.insert("dependency", {"supplier": a, "consumer": b})
    return a, b, dep


def test_references_are_set_moved_and_read_by_source(store: Store) -> None:
    a, b, dep = _plan(store)
    audit = store.audit_count()
    store.set_external_refs([("msproject:G1", "3", "milestone", a), ("msproject:G1", "6", "milestone", b)])
    store.set_external_ref("msproject:G1", "3>6", "dependency", dep)
    store.set_external_ref("register:raid", "3", "milestone", b)  # the same id in another source
    assert store.external_refs("msproject:G1") == {
        ("milestone", "3"): a,
        ("milestone", "6"): b,
        ("dependency", "3>6"): dep,
    }
    store.set_external_ref(
        "msproject:G1", "3", "milestone", b
    )  # one reference per source, id and kind: moved
    assert store.external_refs("msproject:G1")[("milestone", "3")] == b
    assert store.external_refs_of("milestone", b) == [
        ("msproject:G1", "3"),
        ("msproject:G1", "6"),
        ("register:raid", "3"),
    ]
    assert store.audit_count() == audit  # bookkeeping: no audit rows, no version bumps
    assert store.get("milestone", b)["version"] == 1


def test_bad_references_are_refused(store: Store) -> None:
    a, _, _ = _plan(store)
    with pytest.raises(ValidationError, match="no milestone with id 99"):
        store.set_external_ref("s", "1", "milestone", 99)
    with pytest.raises(ValidationError, match="unknown kind 'task'"):
        store.set_external_ref("s", "1", "task", a)
    with pytest.raises(ValidationError, match="control characters"):
        store.set_external_ref("s", "1\x1b[2J", "milestone", a)
    with pytest.raises(ValidationError, match="must not be blank"):
        store.set_external_ref(" ", "1", "milestone", a)
    assert store.all_external_refs() == []


def test_deleting_a_record_removes_its_references_and_its_dependents(store: Store) -> None:
    a, b, dep = _plan(store)
    store.insert("project", {"code": "KEEP", "name": "Other"})
    other = store.insert("milestone", {"project": "KEEP", "name": "Other"})
    store.set_external_refs(
        [("p", "0", "project", 1), ("p", "1", "milestone", a), ("p", "2", "milestone", b),
         ("p", "1>2", "dependency", dep), ("q", "9", "milestone", other)]
    )  # fmt: skip
    store.delete("milestone", b)  # takes its dependency with it
    assert store.external_refs("p") == {("project", "0"): 1, ("milestone", "1"): a}
    store.delete("project", "WEB")  # cascades to its milestones
    assert store.external_refs("p") == {}
    assert store.external_refs("q") == {("milestone", "9"): other}
    assert store.integrity_problems() == []


def test_check_reports_references_to_records_deleted_by_another_tool(store: Store) -> None:
    a, _, _ = _plan(store)
    store.set_external_ref("p", "1", "milestone", a)
    conn = sqlite3.connect(store.path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM dependency")
    conn.execute("DELETE FROM milestone WHERE id = ?", (a,))
    conn.commit()
    conn.close()
    assert store.integrity_problems() == [f"external_ref p 1: milestone {a} does not exist"]


def test_reset_forgets_every_reference(store: Store) -> None:
    a, _, _ = _plan(store)
    store.set_external_ref("p", "1", "milestone", a)
    store.reset()
    assert store.all_external_refs() == []


def test_a_database_from_before_references_is_upgraded(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = MIGRATIONS.index(EXTERNAL_REFS)  # the schema version just before this migration
    with monkeypatch.context() as m:
        m.setattr(opening_module, "SCHEMA_VERSION", before)
        with Store.open(db_path) as old:
            old.insert("project", {"code": "OLD", "name": "Legacy"})
    conn = sqlite3.connect(db_path)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'external_ref'").fetchone()
    conn.close()
    with Store.open(db_path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        s.set_external_ref("msproject:X", "0", "project", s.get("project", "OLD")["id"])
        assert s.external_refs("msproject:X") == {("project", "0"): 1}
    # The migration may run again (branches merged in another order): IF NOT EXISTS makes it harmless.
    conn = sqlite3.connect(db_path)
    conn.executescript(EXTERNAL_REFS)
    assert conn.execute("SELECT count(*) FROM external_ref").fetchone() == (1,)
    conn.close()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_and_restore_keep_references_and_an_added_copy_does_not_steal_them(
    store: Store, tmp_path: Path, fmt: str
) -> None:
    a, b, dep = _plan(store)
    store.set_external_refs(
        [("p", "1", "milestone", a), ("p", "2", "milestone", b), ("p", "1>2", "dependency", dep)]
    )
    export(store, tmp_path / "out", fmt)
    source = tmp_path / "out" / "pgmtui-export.json" if fmt == "json" else tmp_path / "out"
    with Store.open(tmp_path / "copy.db") as copy:
        assert import_path(copy, source).mode == "restore"
        assert copy.all_external_refs() == store.all_external_refs()
    # Added into a database that already holds records and one of the references: that one stays
    # the database's own; the others follow the records to their new ids.
    with Store.open(tmp_path / "other.db") as other:
        other.insert("project", {"code": "OTH", "name": "Other"})
        mine = other.insert("milestone", {"project": "OTH", "name": "Mine"})
        other.set_external_ref("p", "1", "milestone", mine)
        result = import_path(other, source)
        assert result.mode == "add"
        new = {m["name"]: m["id"] for m in other.rows("milestone")}
        new_dep = other.rows("dependency")[0]["id"]
        assert other.external_refs("p") == {
            ("milestone", "1"): mine,
            ("milestone", "2"): new["Build"],
            ("dependency", "1>2"): new_dep,
        }
        assert "1 external reference(s) not added: the database already has them" in result.notes
