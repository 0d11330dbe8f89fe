"""Store tests against real SQLite files: settings, writes, audit, versions, migrations, failures."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pgmtui.store import (
    ConflictError,
    DatabaseOpenError,
    NotFoundError,
    ReadOnlyError,
    Store,
    StoreError,
    ValidationError,
)
from pgmtui.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.privileges import as_user


def test_connection_settings(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    own = store._conn
    assert own.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert own.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert own.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert store.schema_version() == SCHEMA_VERSION


def test_new_file_is_private(db_path: Path) -> None:
    Store.open(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_shared_file_is_group_writable(db_path: Path) -> None:
    Store.open(db_path, shared=True).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o660


def test_insert_stamps_and_audits(small_programme: Store) -> None:
    row = small_programme.get("project", "IAM")
    assert row["version"] == 1
    assert row["updated_by"] == small_programme.user
    assert row["created_at"].startswith("2026-11-25T")
    audit = small_programme.audit(table="project", row_id=row["id"])
    assert len(audit) == 1
    assert audit[0]["action"] == "insert"
    assert audit[0]["changes"]["code"] == [None, "IAM"]
    assert audit[0]["user"] == small_programme.user


def test_update_bumps_version_and_audits_old_and_new(small_programme: Store) -> None:
    row = small_programme.update("project", "IAM", {"forecast_end": "2027-02-01"}, expected_version=1)
    assert row["version"] == 2
    assert row["forecast_end"] == "2027-02-01"
    last = small_programme.audit(table="project", row_id=row["id"])[-1]
    assert last["action"] == "update"
    assert last["changes"] == {"forecast_end": ["2027-01-05", "2027-02-01"]}


def test_update_without_change_writes_nothing(small_programme: Store) -> None:
    before = len(small_programme.audit())
    row = small_programme.update("project", "IAM", {"name": "Identity"})
    assert row["version"] == 1
    assert len(small_programme.audit()) == before


def test_stale_version_is_refused_and_nothing_changes(small_programme: Store, db_path: Path) -> None:
    other = Store.open(db_path)
    other.update("project", "IAM", {"percent_complete": 55}, expected_version=1)
    with pytest.raises(ConflictError, match="was changed by"):
        small_programme.update("project", "IAM", {"percent_complete": 60}, expected_version=1)
    assert small_programme.get("project", "IAM")["percent_complete"] == 55
    other.close()


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("risk", {"project": "IAM", "title": "x", "probability": 7, "impact": 3}, "at most 5"),
        ("risk", {"project": "IAM", "title": "x", "probability": 0, "impact": 3}, "at least 1"),
        ("risk", {"project": "IAM", "title": "", "probability": 2, "impact": 3}, "required"),
        ("risk", {"project": "IAM", "title": "   ", "probability": 2, "impact": 3}, "blank"),
        ("risk", {"project": "NOPE", "title": "x", "probability": 2, "impact": 3}, "unknown project code"),
        ("risk", {"title": "x", "probability": 2, "impact": 3, "response": "exploit"}, "not for a threat"),
        ("milestone", {"project": "IAM", "name": "m", "forecast_date": "2026-02-30"}, "not a real date"),
        ("milestone", {"project": "IAM", "name": "m", "actual_date": "2027-01-01"}, "in the future"),
        ("project", {"code": "IAM", "name": "dup"}, "already exists"),
        ("project", {"code": "iam", "name": "dup, other case"}, "already exists"),
        ("project", {"code": "BAD CODE", "name": "x"}, "letters, digits"),
        ("project", {"code": "NEG", "name": "x", "budget": -5}, "at least 0"),
        ("project", {"code": "PCT", "name": "x", "percent_complete": 150}, "at most 100"),
        ("project", {"code": "OVR", "name": "x", "rag_override": "R"}, "needs a reason"),
        ("project", {"code": "TTL", "name": "bad\x1b]52;c;aGk=\x07"}, "control characters"),
        ("project", {"code": "NUL", "name": "a\x00b"}, "NUL"),
        ("benefit", {"name": "b", "baseline_value": 5, "target_value": 5}, "must differ"),
        (
            "issue",
            {"title": "t", "raised_date": "2026-05-01", "due_date": "2026-04-01"},
            "before raised_date",
        ),
        ("risk", {"title": "x", "probability": 2, "impact": 3, "colour": "red"}, "unknown field"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    small_programme: Store, kind: str, fields: dict, message: str
) -> None:
    before = (len(small_programme.audit()), small_programme.count(kind))
    with pytest.raises(ValidationError, match=message):
        small_programme.insert(kind, fields)
    assert (len(small_programme.audit()), small_programme.count(kind)) == before


def test_dependency_cycle_is_refused_naming_the_cycle(small_programme: Store) -> None:
    s = small_programme
    a = s.insert("milestone", {"project": "IAM", "name": "Design", "forecast_date": "2026-12-01"})
    b = s.insert("milestone", {"project": "CLD", "name": "Landing zone", "forecast_date": "2026-12-10"})
    c = s.insert("milestone", {"project": "CLD", "name": "Migrate", "forecast_date": "2027-01-10"})
    s.insert("dependency", {"supplier": a, "consumer": b})
    s.insert("dependency", {"supplier": "CLD:Landing zone", "consumer": "CLD:Migrate"})
    with pytest.raises(ValidationError, match="cycle") as err:
        s.insert("dependency", {"supplier": c, "consumer": a})
    assert "IAM:Design" in str(err.value) and "CLD:Migrate" in str(err.value)
    assert s.count("dependency") == 2


def test_delete_project_takes_children_each_audited(small_programme: Store) -> None:
    s = small_programme
    m = s.insert("milestone", {"project": "IAM", "name": "Go-live", "forecast_date": "2026-12-20"})
    s.insert("risk", {"project": "IAM", "title": "Key staff leave", "probability": 3, "impact": 4})
    s.delete("project", "IAM")
    with pytest.raises(NotFoundError):
        s.get("project", "IAM")
    deleted = {(a["tbl"], a["row_id"]) for a in s.audit() if a["action"] == "delete"}
    assert ("milestone", m) in deleted
    assert ("risk", 1) in deleted
    assert any(t == "project" for t, _ in deleted)


def test_deleting_a_project_unlinks_its_benefits_with_an_audit_row(small_programme: Store) -> None:
    s = small_programme
    b = s.insert(
        "benefit", {"name": "Fewer tickets", "baseline_value": 100, "target_value": 60, "projects": "IAM,CLD"}
    )
    s.delete("project", "CLD")
    row = s.get("benefit", b)
    assert row["projects"] == [1] and row["version"] == 2
    assert s.audit(table="benefit", row_id=b)[-1]["changes"] == {"projects": [[1, 2], [1]]}


def test_benefit_links_round_trip_and_audit(small_programme: Store) -> None:
    s = small_programme
    b = s.insert(
        "benefit", {"name": "Fewer tickets", "baseline_value": 100, "target_value": 60, "projects": "IAM"}
    )
    s.update("benefit", b, {"projects": "IAM, CLD"})
    assert sorted(s.get("benefit", b)["projects"]) == [1, 2]
    assert s.audit(table="benefit", row_id=b)[-1]["changes"] == {"projects": [[1], [1, 2]]}


def test_change_token_sees_other_connections(small_programme: Store, db_path: Path) -> None:
    token = small_programme.change_token()
    assert small_programme.change_token() == token  # nothing written: unchanged
    other = sqlite3.connect(db_path)
    other.execute("UPDATE project SET percent_complete = 41 WHERE code = 'IAM'")
    other.commit()
    assert small_programme.change_token() != token
    token = small_programme.change_token()
    small_programme.update("project", "CLD", {"percent_complete": 21})
    assert small_programme.change_token() != token


def test_batch_is_all_or_nothing(small_programme: Store) -> None:
    s = small_programme
    before = (s.count("risk"), len(s.audit()))
    with pytest.raises(ValidationError), s.batch():
        s.insert("risk", {"project": "IAM", "title": "ok", "probability": 2, "impact": 2})
        s.insert("risk", {"project": "IAM", "title": "bad", "probability": 9, "impact": 2})
    assert (s.count("risk"), len(s.audit())) == before


def test_migration_from_schema_1_keeps_data(db_path: Path) -> None:
    # Write a database exactly as version 1 of the schema did.
    conn = sqlite3.connect(db_path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    ts = "2026-01-01T00:00:00.000000Z"
    conn.execute(
        "INSERT INTO programme (version, created_at, updated_at, updated_by, name) VALUES (1, ?, ?, 'old', 'Old')",
        (ts, ts),
    )
    conn.execute(
        "INSERT INTO project (version, created_at, updated_at, updated_by, code, name) "
        "VALUES (1, ?, ?, 'old', 'OLD', 'Kept')",
        (ts, ts),
    )
    conn.commit()
    conn.close()
    s = Store.open(db_path)
    assert s.schema_version() == SCHEMA_VERSION
    assert s.get("project", "OLD")["name"] == "Kept"
    assert s.programme()["near_critical_days"] == 5
    s.close()


def test_newer_schema_is_refused(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseOpenError, match="newer pgmtui"):
        Store.open(db_path)


def test_not_sqlite_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("this is a text file, not a database\n" * 10)
    with pytest.raises(DatabaseOpenError, match="not an SQLite file"):
        Store.open(bad)


def test_truncated_database(db_path: Path, tmp_path: Path) -> None:
    s = Store.open(db_path)
    with s.batch():
        for i in range(300):
            s.insert("project", {"code": f"P{i}", "name": "x" * 200})
    s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    data = db_path.read_bytes()
    cut = tmp_path / "cut.db"
    cut.write_bytes(data[: len(data) // 3])
    # Either opening refuses it, or the first full read reports the damage: never a raw sqlite error.
    try:
        damaged = Store.open(cut)
    except StoreError as exc:
        assert "cut.db" in str(exc)
        return
    try:
        problems = damaged.integrity_problems()
    except StoreError as exc:
        assert "damaged" in str(exc) or "corrupt" in str(exc) or "malformed" in str(exc)
    else:
        assert problems, "a file cut to a third must not pass the integrity check"
    finally:
        damaged.close()


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseOpenError, match="not a pgmtui database"):
        Store.open(other)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="does not exist"):
        Store.open(tmp_path / "nope" / "x.db")


def test_read_only_database_opens_flagged_and_refuses_writes(open_tmp: Path) -> None:
    tmp_path = open_tmp
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "p.db"
    s = Store.open(path)
    s.insert("programme", {"name": "Read me"})
    s.close()
    os.chmod(path, 0o644)
    os.chmod(folder, 0o755)
    os.chmod(tmp_path, 0o755)

    def attempt() -> str:
        store = Store.open(path)
        lines = [f"read_only {store.read_only} {store.programme()['name']}"]
        try:
            store.insert("programme", {"name": "x"})
        except ReadOnlyError as exc:
            lines.append(f"refused: {exc}")
        return "\n".join(lines)

    out = as_user(attempt)
    assert "read_only True Read me" in out, out
    assert "refused:" in out and "read-only" in out


def test_folder_without_write_permission_refuses_creation(open_tmp: Path) -> None:
    tmp_path = open_tmp
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    os.chmod(tmp_path, 0o755)

    def attempt() -> str:
        try:
            Store.open(folder / "new.db")
        except DatabaseOpenError as exc:
            return f"refused: {exc}"
        return "created"

    out = as_user(attempt)
    assert out.startswith("refused:") and "not writable" in out, out
    assert not (folder / "new.db").exists()


def test_read_only_flag_without_permissions(db_path: Path) -> None:
    Store.open(db_path).close()
    s = Store.open(db_path, read_only=True)
    assert s.read_only
    with pytest.raises(ReadOnlyError):
        s.insert("programme", {"name": "x"})
    s.close()


def test_audit_changes_are_json(small_programme: Store) -> None:
    raw = small_programme._conn.execute("SELECT changes FROM audit LIMIT 1").fetchone()[0]
    assert isinstance(json.loads(raw), dict)


def test_store_and_domain_import_no_textual() -> None:
    code = (
        "import sys, pgmtui.store, pgmtui.store.db, pgmtui.cli, pgmtui.services;"
        "import pgmtui.domain.rollup, pgmtui.domain.deps, pgmtui.domain.benefits;"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')];"
        "assert not bad, bad"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
