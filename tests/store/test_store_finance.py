"""Finance in the store, on real database files (issue 14): a project's actual cost derived from its
cost rows, change-request approval moving the baseline in the same transaction (audited, all or
nothing, a failure injected half-way leaves everything as it was), drawdowns that may not overdraw
their pot, and approved requests that stay approved."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pgmtui.store import Store, ValidationError
from pgmtui.store.rules import whole_db_problems

TODAY = "2026-11-25"


@pytest.fixture
def fin(small_programme: Store) -> Store:
    """IAM (budget 100 000, actual cost 50 000, baseline end 2026-12-31) with contingency 20 000;
    CLD (budget 200 000); a management reserve of 30 000."""
    s = small_programme
    s.update("project", "IAM", {"contingency": 20_000})
    s.update("programme", 1, {"management_reserve": 30_000})
    return s


def _fresh(path: Path, sql: str, *params: object) -> list[tuple]:
    """Read the file through a connection of its own: what another process would see."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# ---------------------------------------------------------------------------- derived actual cost


def test_cost_rows_make_the_project_actual_cost_their_actuals(fin: Store) -> None:
    assert fin.get("project", "IAM")["actual_cost"] == 50_000
    first = fin.insert("cost", {"project": "IAM", "month": "2026-10", "planned": 30_000, "actual": 28_000})
    # The project's actual cost is now the one actual (50 000 → 28 000), an audited update made with
    # the cost row (same timestamp, after its insert).
    iam = fin.get("project", "IAM")
    assert iam["actual_cost"] == 28_000 and iam["version"] == 3
    insert, update = fin.audit()[-2:]
    assert (insert["tbl"], insert["action"], update["tbl"], update["action"]) == (
        "cost",
        "insert",
        "project",
        "update",
    )
    assert update["changes"] == {"actual_cost": [50_000, 28_000]} and update["ts"] == insert["ts"]
    # Another month (capex) adds up; a month without an actual adds nothing.
    fin.insert(
        "cost",
        {"project": "IAM", "month": "2026-11", "category": "capex", "planned": 40_000, "actual": 12_500},
    )
    fin.insert("cost", {"project": "IAM", "month": "2026-12", "planned": 30_000})
    assert fin.get("project", "IAM")["actual_cost"] == 40_500  # 28 000 + 12 500
    # Correcting an actual, deleting a row: each time the sum again.
    fin.update("cost", first, {"actual": 30_000})
    assert fin.get("project", "IAM")["actual_cost"] == 42_500
    fin.delete("cost", first)
    assert fin.get("project", "IAM")["actual_cost"] == 12_500
    assert _fresh(fin.path, "SELECT actual_cost FROM project WHERE code = 'IAM'") == [(12_500.0,)]


def test_moving_a_cost_row_updates_both_projects_and_a_plan_alone_means_nothing_spent(fin: Store) -> None:
    row = fin.insert("cost", {"project": "IAM", "month": "2026-10", "actual": 9_000})
    fin.insert("cost", {"project": "CLD", "month": "2026-11", "planned": 5_000})
    # CLD's plan has no actuals yet: its actual cost is their sum, 0 (issue 14: with cost rows AC
    # is the sum of the actuals).
    assert fin.get("project", "CLD")["actual_cost"] == 0
    fin.update("cost", row, {"project": "CLD"})
    assert fin.get("project", "CLD")["actual_cost"] == 9_000
    # IAM has no cost row left: its actual cost keeps its last value and may be set by hand again.
    assert fin.get("project", "IAM")["actual_cost"] == 9_000
    fin.update("project", "IAM", {"actual_cost": 61_000})
    assert fin.get("project", "IAM")["actual_cost"] == 61_000


def test_bulk_loads_derive_each_project_once(fin: Store) -> None:
    before = fin.audit_count()
    fin.bulk_insert(
        "cost",
        [{"project": 1, "month": f"2026-{m:02d}", "planned": 1000, "actual": 900} for m in range(1, 11)],
    )
    # Ten inserts and one update of IAM (10 × 900), not ten.
    assert fin.audit_count() == before + 11
    assert fin.get("project", "IAM")["actual_cost"] == 9_000


def test_setting_a_derived_actual_cost_is_refused_and_says_why(fin: Store) -> None:
    fin.insert("cost", {"project": "IAM", "month": "2026-10", "actual": 28_000})
    before = fin.audit_count()
    with pytest.raises(ValidationError) as caught:
        fin.update("project", "IAM", {"actual_cost": 99_000, "percent_complete": 45})
    assert str(caught.value) == (
        "IAM's actual cost is derived from its 1 cost row(s) (the sum of their actuals, 28 000): record "
        "spend on the cost rows instead (`pgmtui set cost ID actual=…` or the Finance screen, key 7)"
    )
    assert fin.audit_count() == before and fin.get("project", "IAM")["percent_complete"] == 40
    # The same value (a form sending the field back unchanged) is no change, and is accepted.
    fin.update("project", "IAM", {"actual_cost": 28_000, "percent_complete": 45})
    assert fin.get("project", "IAM")["percent_complete"] == 45


def test_check_finds_an_actual_cost_written_around_the_store(fin: Store) -> None:
    fin.insert("cost", {"project": "IAM", "month": "2026-10", "actual": 28_000})
    conn = sqlite3.connect(fin.path)
    conn.execute("UPDATE project SET actual_cost = 1 WHERE code = 'IAM'")
    conn.commit()
    conn.close()
    assert (
        "project IAM: actual_cost 1 is not the sum of its cost rows' actuals (28 000)"
        in whole_db_problems(fin._conn)
    )


# ---------------------------------------------------------------------------- change requests


def _raise(s: Store, **fields: object) -> int:
    return s.insert("change_request", {"project": "IAM", "title": "More SSO connectors", **fields})


def test_approval_moves_the_baseline_in_the_same_transaction_and_is_audited(fin: Store) -> None:
    cr = _raise(
        fin, cost_impact=15_000, schedule_impact_days=14, funding="contingency", raised_date="2026-11-02"
    )
    before = fin.audit_count()
    fin.update("change_request", cr, {"status": "approved", "decided_by": "Programme board"})
    iam = fin.get("project", "IAM")
    # Budget 100 000 + 15 000; baseline end 31 Dec + 14 d; contingency 20 000 − 15 000.
    assert (iam["budget"], iam["baseline_end"], iam["contingency"]) == (115_000, "2027-01-14", 5_000)
    request = fin.get("change_request", cr)
    assert (request["status"], request["decided_date"]) == ("approved", TODAY)  # decided today
    rows = fin.audit()[before:]
    assert [(r["tbl"], r["action"]) for r in rows] == [("change_request", "update"), ("project", "update")]
    assert rows[1]["changes"] == {
        "budget": [100_000, 115_000],
        "baseline_end": ["2026-12-31", "2027-01-14"],
        "contingency": [20_000, 5_000],
    }
    assert rows[0]["ts"] == rows[1]["ts"]


def test_a_reserve_drawdown_reduces_the_management_reserve(fin: Store) -> None:
    cr = _raise(fin, cost_impact=25_000, funding="reserve")
    fin.update("change_request", cr, {"status": "approved"})
    assert fin.programme()["management_reserve"] == 5_000
    assert fin.get("project", "IAM")["budget"] == 125_000
    assert fin.audit()[-1]["changes"] == {"management_reserve": [30_000, 5_000]}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"cost_impact": 20_001, "funding": "contingency"},
            "change request #1 cannot be approved: IAM's contingency is 20 000; this request draws 20 001, "
            "1 more than is left (fund it as a change, or from the reserve)",
        ),
        (
            {"cost_impact": 40_000, "funding": "reserve"},
            "change request #1 cannot be approved: the management reserve is 30 000; this request draws "
            "40 000, 10 000 more than is left",
        ),
        (
            {"schedule_impact_days": -400},
            "change request #1 cannot be approved: IAM's baseline end would move to 2025-11-26, before its "
            "start 2026-01-01",
        ),
    ],
)
def test_an_approval_that_cannot_be_made_is_refused_and_nothing_moves(fin: Store, fields, message) -> None:
    cr = _raise(fin, **fields)
    before = (fin.get("project", "IAM"), fin.programme(), fin.audit_count())
    with pytest.raises(ValidationError) as caught:
        fin.update("change_request", cr, {"status": "approved"})
    assert str(caught.value) == message
    assert (fin.get("project", "IAM"), fin.programme(), fin.audit_count()) == before
    assert fin.get("change_request", cr)["status"] == "raised"


def test_a_failure_after_the_request_update_leaves_budget_and_baseline_untouched(
    fin: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    cr = _raise(fin, cost_impact=15_000, schedule_impact_days=14, funding="reserve")
    audit_before = fin.audit_count()
    calls: list[str] = []
    real = Store.apply_consequence

    def fail_on_the_reserve(self, conn, kind_name, current, fields, ts):
        calls.append(kind_name)
        if kind_name == "programme":  # the request and the project are written by now
            raise RuntimeError("power cut")
        return real(self, conn, kind_name, current, fields, ts)

    monkeypatch.setattr(Store, "apply_consequence", fail_on_the_reserve)
    with pytest.raises(RuntimeError, match="power cut"):
        fin.update("change_request", cr, {"status": "approved"})
    assert calls == ["project", "programme"]  # it failed after the request and the project were updated
    # Seen from another connection: nothing of the approval is in the file.
    assert _fresh(fin.path, "SELECT status, decided_date FROM change_request") == [("raised", None)]
    assert _fresh(fin.path, "SELECT budget, baseline_end FROM project WHERE code = 'IAM'") == [
        (100_000.0, "2026-12-31")
    ]
    assert _fresh(fin.path, "SELECT management_reserve FROM programme") == [(30_000.0,)]
    assert _fresh(fin.path, "SELECT count(*) FROM audit") == [(audit_before,)]
    # And the store carries on: the same approval succeeds once nothing fails.
    monkeypatch.setattr(Store, "apply_consequence", real)
    fin.update("change_request", cr, {"status": "approved"})
    assert _fresh(fin.path, "SELECT budget, baseline_end FROM project WHERE code = 'IAM'") == [
        (115_000.0, "2027-01-14")
    ]


def test_rejecting_changes_nothing_else_and_reopening_is_allowed(fin: Store) -> None:
    cr = _raise(fin, cost_impact=15_000, schedule_impact_days=14)
    project_before = fin.get("project", "IAM")
    fin.update("change_request", cr, {"status": "rejected"})
    assert fin.get("project", "IAM") == project_before
    assert fin.get("change_request", cr)["decided_date"] == TODAY
    # A rejected request may be raised again (undecided: its decided date goes).
    fin.update("change_request", cr, {"status": "raised"})
    assert fin.get("change_request", cr)["decided_date"] is None


def test_an_approved_request_is_final(fin: Store) -> None:
    cr = _raise(fin, cost_impact=5_000)
    fin.update("change_request", cr, {"status": "approved"})
    with pytest.raises(
        ValidationError, match=r"is approved and has moved the baseline: it cannot be set back to raised"
    ):
        fin.update("change_request", cr, {"status": "raised"})
    with pytest.raises(ValidationError, match=r"its cost impact moved the baseline and cannot change"):
        fin.update("change_request", cr, {"cost_impact": 9_000})
    with pytest.raises(ValidationError, match=r"its project moved the baseline"):
        fin.update("change_request", cr, {"project": "CLD"})
    with pytest.raises(ValidationError, match=r"cannot be deleted"):
        fin.delete("change_request", cr)
    # Its words may still be corrected, and deleting its project takes it along.
    fin.update("change_request", cr, {"title": "More SSO connectors (Okta)"})
    fin.delete("project", "IAM")
    assert fin.count("change_request") == 0


def test_a_request_added_as_approved_moves_nothing(fin: Store) -> None:
    before = fin.get("project", "IAM")
    cr = _raise(fin, cost_impact=5_000, status="approved", decided_date="2026-11-10")
    assert fin.get("project", "IAM") == before  # recorded as decided elsewhere (an import, history)
    assert fin.get("change_request", cr)["decided_date"] == "2026-11-10"
