"""Cross-field and cross-record rules (pgmtui.store.rules), through the store on a real file, with
the exact message a user reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pgmtui.store import Store, ValidationError


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("programme", {"name": "Second"}, "this database already holds programme 'Test Programme' (one per database)"),
        ("project", {"code": "A B", "name": "x"}, "project code 'A B' must be 1–16 letters, digits, '-' or '_' (e.g. IAM)"),
        ("project", {"code": "-AB", "name": "x"}, "project code '-AB' must be 1–16 letters, digits, '-' or '_' (e.g. IAM)"),
        ("project", {"code": "A" * 17, "name": "x"}, f"project code '{'A' * 17}' must be 1–16 letters, digits, '-' or '_' (e.g. IAM)"),
        ("project", {"code": "iam", "name": "x"}, "a project with that code already exists"),
        ("project", {"code": "NEW", "name": "x", "start_date": "2026-05-01", "baseline_end": "2026-04-30"},
         "baseline_end 2026-04-30 is before start_date 2026-05-01"),
        ("project", {"code": "NEW", "name": "x", "start_date": "2026-05-01", "forecast_end": "2026-04-30"},
         "forecast_end 2026-04-30 is before start_date 2026-05-01"),
        ("project", {"code": "NEW", "name": "x", "rag_override": "A", "rag_reason": "   "},
         "a RAG override needs a reason (rag_reason)"),
        ("milestone", {"project": "IAM", "name": "m", "actual_date": "2026-11-26"},
         "actual_date 2026-11-26 is in the future; use forecast_date"),
        ("risk", {"title": "t", "probability": 1, "impact": 1, "response": "exploit"},
         "response 'exploit' is not for a threat; use one of: avoid, reduce, fallback, transfer, share, accept"),
        ("risk", {"title": "t", "kind": "opportunity", "probability": 1, "impact": 1, "response": "avoid"},
         "response 'avoid' is not for a opportunity; use one of: exploit, enhance, share, reject"),
        ("decision", {"title": "t", "raised_date": "2026-05-02", "due_date": "2026-05-01"},
         "due_date 2026-05-01 is before raised_date 2026-05-02"),
        ("assumption", {"title": "t", "raised_date": "2026-05-02", "due_date": "2026-05-01"},
         "due_date 2026-05-01 is before raised_date 2026-05-02"),
        ("benefit", {"name": "b", "baseline_value": 1, "target_value": 2, "baseline_date": "2026-05-02",
                     "target_date": "2026-05-01"}, "target_date 2026-05-01 is before baseline_date 2026-05-02"),
    ],
)  # fmt: skip
def test_each_rule_refuses_with_its_message(
    small_programme: Store, kind: str, fields: dict, message: str
) -> None:
    before = len(small_programme.audit())
    with pytest.raises(ValidationError) as err:
        small_programme.insert(kind, fields)
    assert err.value.message == message
    assert len(small_programme.audit()) == before


def test_what_the_rules_allow(small_programme: Store) -> None:
    s = small_programme
    s.insert("milestone", {"project": "IAM", "name": "today", "actual_date": "2026-11-25"})  # today is fine
    s.insert(
        "project", {"code": "A_1-b", "name": "x", "start_date": "2026-05-01", "baseline_end": "2026-05-01"}
    )
    s.insert("project", {"code": "P" * 16, "name": "x"})
    s.insert(
        "risk", {"title": "t", "kind": "opportunity", "probability": 1, "impact": 1, "response": "exploit"}
    )
    s.insert("risk", {"title": "t", "probability": 1, "impact": 1, "response": "share"})  # both kinds
    s.insert("issue", {"title": "t", "raised_date": "2026-05-01", "due_date": "2026-05-01"})
    s.insert("project", {"code": "OVR", "name": "x", "rag_override": "G", "rag_reason": "board view"})


def test_rules_judge_the_row_after_an_update(small_programme: Store) -> None:
    s = small_programme
    with pytest.raises(ValidationError, match="^baseline_end 2025-12-31 is before start_date 2026-01-01$"):
        s.update("project", "IAM", {"baseline_end": "2025-12-31"})
    with pytest.raises(ValidationError, match="^end_date 2025-01-01 is before start_date 2026-01-01$"):
        s.update("programme", 1, {"end_date": "2025-01-01"})
    with pytest.raises(ValidationError, match="needs a reason"):
        s.update("programme", 1, {"rag_override": "R"})
    s.update("programme", 1, {"name": "Renamed"})  # updating the one programme is not a second one
    bid = s.insert("benefit", {"name": "b", "baseline_value": 1, "target_value": 2})
    with pytest.raises(ValidationError, match="^target_value must differ from baseline_value$"):
        s.update("benefit", bid, {"target_value": 1})


def test_dependency_rules_on_insert_update_and_bulk(small_programme: Store) -> None:
    s = small_programme
    a = s.insert("milestone", {"project": "IAM", "name": "A"})
    b = s.insert("milestone", {"project": "CLD", "name": "B"})
    c = s.insert("milestone", {"project": "CLD", "name": "C"})
    with pytest.raises(ValidationError, match="^a milestone cannot depend on itself$"):
        s.insert("dependency", {"supplier": a, "consumer": a})
    with pytest.raises(ValidationError, match="^a milestone cannot depend on itself$"):
        s.bulk_insert("dependency", [{"supplier": b, "consumer": b}])
    d1 = s.insert("dependency", {"supplier": a, "consumer": b})
    with pytest.raises(ValidationError, match="^that dependency already exists$"):
        s.insert("dependency", {"supplier": a, "consumer": b})
    d2 = s.insert("dependency", {"supplier": b, "consumer": c})
    # Re-pointing an edge is checked against the others, not against itself.
    s.update("dependency", d2, {"consumer": c, "lag_days": 3})
    with pytest.raises(ValidationError, match="^refused: this dependency would close a cycle: "):
        s.update("dependency", d1, {"supplier": c})
    with pytest.raises(ValidationError, match="^dependencies form a cycle: "):
        s.bulk_insert("dependency", [{"supplier": c, "consumer": a}])
    assert s.count("dependency") == 2


def test_deleting_takes_what_hangs_off(small_programme: Store) -> None:
    s = small_programme
    a = s.insert("milestone", {"project": "IAM", "name": "A"})
    b = s.insert("milestone", {"project": "CLD", "name": "B"})
    s.insert("dependency", {"supplier": a, "consumer": b})
    s.insert(
        "dependency", {"supplier": b, "consumer": s.insert("milestone", {"project": "CLD", "name": "C"})}
    )
    bid = s.insert("benefit", {"name": "b", "baseline_value": 1, "target_value": 2})
    s.insert("measurement", {"benefit": bid, "date": "2026-01-01", "value": 1.5})
    s.delete("milestone", b)  # both of its dependencies go with it, each audited
    assert s.count("dependency") == 0
    deleted = [(a["tbl"], a["row_id"]) for a in s.audit() if a["action"] == "delete"]
    assert sorted(deleted[:2]) == [("dependency", 1), ("dependency", 2)] and deleted[2] == ("milestone", b)
    s.delete("benefit", bid)
    assert s.count("measurement") == 0
    assert [(a["tbl"], a["action"]) for a in s.audit()[-2:]] == [
        ("measurement", "delete"),
        ("benefit", "delete"),
    ]


def test_check_finds_what_other_programs_broke(small_programme: Store, db_path: Path) -> None:
    s = small_programme
    a = s.insert("milestone", {"project": "IAM", "name": "A"})
    b = s.insert("milestone", {"project": "CLD", "name": "B"})
    s.insert("dependency", {"supplier": a, "consumer": b})
    assert s.integrity_problems() == []
    conn = sqlite3.connect(db_path)
    ts = "2026-01-01T00:00:00.000000Z"
    conn.execute(
        "INSERT INTO dependency (version, created_at, updated_at, updated_by, supplier_id, consumer_id) "
        "VALUES (1, ?, ?, 'x', ?, ?)",
        (ts, ts, b, a),
    )
    conn.execute("UPDATE project SET rag_override = 'R' WHERE code = 'CLD'")
    conn.commit()
    conn.close()
    problems = s.integrity_problems()
    assert (
        "dependency cycle: IAM:A → CLD:B → IAM:A" in problems
        or "dependency cycle: CLD:B → IAM:A → CLD:B" in problems
    )
    assert "project CLD: RAG override without a reason" in problems
    assert len(problems) == 2
