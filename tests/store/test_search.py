"""Full-text search (schema 3): an FTS5 index per record table, on real database files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import pgmtui.store.opening as opening_module
from pgmtui.store import Store, ValidationError
from pgmtui.store.schema import SCHEMA_VERSION
from pgmtui.store.search import MAX_QUERY_CHARS, add_full_text_index, fts_query

CAUSE = "The vendor's firmware backlog delays the switch replacement."


@pytest.fixture
def register(small_programme: Store) -> Store:
    s = small_programme
    s.insert(
        "risk",
        {"project": "IAM", "title": "Network refresh slips", "cause": CAUSE, "probability": 3, "impact": 4},
    )
    s.insert("risk", {"project": "CLD", "title": "Landing zone not approved", "probability": 2, "impact": 2})
    s.insert("milestone", {"project": "CLD", "name": "Firmware baseline signed off"})
    return s


def _found(s: Store, query: str) -> list[tuple[str, int]]:
    return [(h.kind, h.id) for h in s.search(query)]


def test_a_risk_is_found_by_a_word_of_its_cause(register: Store) -> None:
    hits = register.search("backlog")
    assert [(h.kind, h.label) for h in hits] == [("risk", "Network refresh slips")]
    hit = hits[0]
    assert hit.id == register.get("risk", 1)["id"]
    # The snippet is the cause as stored, with the matched word marked by position, not markup.
    assert hit.snippet == CAUSE
    assert [hit.snippet[a:b] for a, b in hit.marks] == ["backlog"]


def test_words_are_prefixes_and_all_are_required(register: Store) -> None:
    # "firm" is a prefix of "firmware": in the risk's cause and in the milestone's name.
    assert sorted(_found(register, "firm")) == [("milestone", 1), ("risk", 1)]
    assert _found(register, "firmware switch") == [("risk", 1)]  # both words: only the risk
    assert _found(register, "FIRMWARE signed") == [("milestone", 1)]  # case does not matter
    assert _found(register, "firmware nothinglikethis") == []


def test_an_edit_updates_the_index(register: Store) -> None:
    register.update("risk", 1, {"cause": "Supplier insolvency."})
    assert _found(register, "backlog") == []
    assert _found(register, "insolvency") == [("risk", 1)]
    # A change to a column that is not indexed leaves the index as it was (and in step).
    register.update("risk", 1, {"probability": 5})
    assert _found(register, "insolvency") == [("risk", 1)]
    register.update("risk", 1, {"title": "Supplier failure"})
    assert [h.label for h in register.search("insolvency")] == ["Supplier failure"]
    assert register.integrity_problems() == []


def test_a_delete_removes_the_record_from_the_index(register: Store) -> None:
    register.delete("risk", 1)
    assert _found(register, "backlog") == []
    # Deleting a project takes its milestones, and their words, with it.
    register.delete("project", "CLD")
    assert _found(register, "firmware") == []
    assert register.integrity_problems() == []


def test_every_kind_is_searchable(small_programme: Store) -> None:
    s = small_programme
    s.update("programme", 1, {"status_note": "Steering board wants quarterly checkpoints"})
    s.update("project", "IAM", {"status_note": "Waiting on the directory vendor"})
    s.insert("issue", {"title": "Licence gap", "description": "Tenant lacks premium licences"})
    s.insert("assumption", {"title": "Budget holds", "owner": "Priyanka"})
    s.insert("decision", {"title": "Pick an IdP", "description": "Choose between two federation hubs"})
    bid = s.insert(
        "benefit",
        {"name": "Fewer resets", "measure": "helpdesk tickets", "baseline_value": 100, "target_value": 20},
    )
    s.insert(
        "measurement", {"benefit": bid, "date": "2026-10-01", "value": 80, "note": "after pilot rollout"}
    )
    m1 = s.insert("milestone", {"project": "IAM", "name": "SSO live"})
    m2 = s.insert("milestone", {"project": "CLD", "name": "Tenant ready"})
    s.insert("dependency", {"supplier": m1, "consumer": m2, "note": "federation trust needed first"})
    expected = {
        "checkpoints": ("programme", "Test Programme"),
        "directory": ("project", "IAM"),
        "premium": ("issue", "Licence gap"),
        "priyanka": ("assumption", "Budget holds"),
        "hubs": ("decision", "Pick an IdP"),
        "helpdesk": ("benefit", "Fewer resets"),
        "pilot": ("measurement", "2026-10-01"),
        "trust": ("dependency", "#1"),
        "asha": ("project", "IAM"),  # the project's manager
    }
    for word, (kind, label) in expected.items():
        assert [(h.kind, h.label) for h in s.search(word)] == [(kind, label)], word


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('"backlog', True),  # an unbalanced quote
        ("backlog\"'", True),
        ("^backlog", True),  # FTS5's "first token" marker
        ("backlog)", True),
        ("backlog*", True),
        ("AND OR", False),  # operators are words to look for: no record holds "or…"
        ("NOT", None),  # finds "Landing zone not approved", risk 2
        ("NEAR(backlog", False),  # one word "near(backlog": the phrase "near backlog"
        ("title:backlog", False),  # not a column filter: the phrase "title backlog"
        ("*", False),
        ("-", False),
        ('"""', False),
    ],
)
def test_query_syntax_in_user_text_is_searched_for_not_obeyed(
    register: Store, text: str, found: bool | None
) -> None:
    expected = [("risk", 2)] if found is None else [("risk", 1)] if found else []
    assert _found(register, text) == expected  # and never a raw sqlite3 error


def test_nothing_searchable_gives_no_hits(register: Store) -> None:
    assert register.search("") == [] and register.search("   ") == [] and register.search("*** ---") == []


def test_bad_search_requests_are_refused_with_a_message(register: Store) -> None:
    with pytest.raises(ValidationError, match="too long"):
        register.search("x" * (MAX_QUERY_CHARS + 1))
    for limit in (0, -1, 10_000, True):
        with pytest.raises(ValidationError, match="limit"):
            register.search("backlog", limit=limit)
    with pytest.raises(ValidationError, match="text"):
        register.search(None)  # type: ignore[arg-type]


def test_quoting() -> None:
    assert fts_query('say "hi" AND') == '"say"* """hi"""* "AND"*'
    assert fts_query("-- ** ()") is None


def test_limit_and_best_first(small_programme: Store) -> None:
    s = small_programme
    for n in range(8):
        s.insert(
            "risk", {"title": f"Risk {n}", "cause": "vendor " * (1 + n % 3), "probability": 1, "impact": 1}
        )
    hits = s.search("vendor", limit=5)
    assert len(hits) == 5
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)


def test_a_broken_index_is_reported_by_check(register: Store, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER risk_au")  # another program drops our trigger, then edits
    conn.execute("UPDATE risk SET cause = 'something else' WHERE id = 1")
    conn.commit()
    conn.close()
    assert any("search index of risk" in p for p in register.integrity_problems())


def test_an_index_can_be_redefined_with_one_call(register: Store) -> None:
    conn = register._conn
    conn.execute("BEGIN")
    add_full_text_index(conn, "risk", ("title",))  # narrower: the cause is no longer indexed
    conn.execute("COMMIT")
    assert _found(register, "backlog") == []
    assert _found(register, "refresh") == [("risk", 1)]
    register.update("risk", 1, {"title": "Core switch refresh"})
    assert _found(register, "core") == [("risk", 1)]
    assert register.integrity_problems() == []


def test_migration_from_schema_2_indexes_what_is_there(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A version-2 database as the schema of that version wrote it (its rows written in SQL: the
    # store of today writes columns that version 2 did not have).
    with monkeypatch.context() as m:
        m.setattr(opening_module, "SCHEMA_VERSION", 2)
        with Store.open(db_path) as old:
            assert old.schema_version() == 2
    conn = sqlite3.connect(db_path)
    ts = "2026-01-01T00:00:00.000000Z"
    meta = "version, created_at, updated_at, updated_by"
    conn.execute(f"INSERT INTO programme ({meta}, name) VALUES (1, ?, ?, 'old', 'Old programme')", (ts, ts))
    conn.execute(
        f"INSERT INTO project ({meta}, code, name) VALUES (1, ?, ?, 'old', 'OLD', 'Legacy estate')", (ts, ts)
    )
    conn.execute(
        f"INSERT INTO risk ({meta}, project_id, title, cause, probability, impact) "
        "VALUES (1, ?, ?, 'old', 1, 'Old risk', ?, 2, 2)",
        (ts, ts, CAUSE),
    )
    conn.commit()
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'risk_fts'").fetchone()
    conn.close()
    with Store.open(db_path) as s:
        assert s.schema_version() == SCHEMA_VERSION >= 3
        assert _found(s, "backlog") == [("risk", 1)]  # indexed from the rows already there
        assert _found(s, "legacy") == [("project", 1)]
        s.insert("risk", {"title": "New risk", "cause": "backlog again", "probability": 1, "impact": 1})
        assert sorted(_found(s, "backlog")) == [("risk", 1), ("risk", 2)]  # triggers work
        assert s.integrity_problems() == []


def test_opening_and_searching_do_not_import_sqlite_utils(register: Store, db_path: Path) -> None:
    register.close()
    code = (
        "import sys; from pgmtui.store import Store;"
        f"s = Store.open({str(db_path)!r}); s.read_all(); hits = s.search('backlog');"
        "assert len(hits) == 1, hits;"
        "assert 'sqlite_utils' not in sys.modules, 'sqlite_utils imported'"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
