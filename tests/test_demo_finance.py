"""The demo's money (issue 14): plans that add up to each budget, actuals that add up to each actual
cost, plausible indices against the plan, one project whose money runs out early, change requests
raised, approved (moving the baseline, audited) and rejected, and the large demo's 24 months."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pendulum
import pytest

from pgmtui.services import finance_of, rollup_of, standup_of
from pgmtui.store import Store

TODAY = pendulum.Date(2026, 11, 25)  # the suite's clock (a Wednesday)


@pytest.fixture
def fin(demo_db: Path):
    with Store.open(demo_db, read_only=True) as store:
        yield store, finance_of(store, TODAY)


def test_every_plan_spreads_the_budget_and_the_actuals_make_the_actual_cost(demo_db: Path) -> None:
    conn = sqlite3.connect(demo_db)
    try:
        rows = conn.execute(
            "SELECT p.code, p.budget, p.actual_cost, sum(c.planned), total(c.actual), count(*) "
            "FROM project p JOIN cost c ON c.project_id = p.id GROUP BY p.id ORDER BY p.code"
        ).fetchall()
    finally:
        conn.close()
    assert len(rows) == 9  # every project has a plan
    for code, budget, actual_cost, planned, actual, n in rows:
        assert planned == budget, code  # the plan spreads exactly the budget (approved changes included)
        assert actual == actual_cost, code  # the project's actual cost is its actuals
        assert n >= 4, code


def test_indices_against_the_plan_are_plausible_and_one_project_runs_out_early(fin) -> None:
    _store, f = fin
    spi = {p.code: p.evm.spi for p in f.projects}
    # Against their plans the projects run between 0.85 and 1.02 (the linear PV said 0.39 for SVD).
    assert all(0.85 <= s <= 1.02 for s in spi.values()), spi
    assert all(p.evm.basis == "plan" for p in f.projects)
    early = [
        p.code
        for p in f.projects
        if p.evm.run_out and p.baseline_end and p.evm.run_out < p.baseline_end.isoformat()[:7]
    ]
    assert early == ["TRN"]  # spending fast on training ahead of the roll-outs
    erp = f.project("ERP")
    assert erp is not None and erp.evm.eac_bottom_up is not None and erp.evm.eac_bottom_up > erp.evm.bac
    assert f.management_reserve == 280_000 and f.contingency == 525_000


def test_demo_rags_stay_plausible(demo_db: Path) -> None:
    with Store.open(demo_db, read_only=True) as store:
        r = rollup_of(store, TODAY)
    rags = {p.code: p.rag.final for p in r.projects}
    # NET is amber for delaying IAM (a late supplier, issue 19), not for its money: its cost is G.
    assert rags == {"CLD": "R", "ERP": "R", "DAT": "R", "IAM": "A", "SVD": "A", "SEC": "A", "TRN": "A",
                    "NET": "A", "M365": "G"}  # fmt: skip
    assert next(e for e in r.project("NET").rag.evidence if e.dimension == "cost").rag == "G"
    trn = next(e for e in r.project("TRN").rag.evidence if e.dimension == "cost")
    assert trn.rag == "A" and "runs out in 2027-05, before the baseline end (2027-06)" in trn.text


def test_change_requests_raised_decided_and_their_effect_audited(fin) -> None:
    store, _f = fin
    crs = {c["title"]: c for c in store.rows("change_request")}
    assert sorted(c["status"] for c in crs.values()) == [
        "approved",
        "approved",
        "approved",
        "raised",
        "raised",
        "rejected",
    ]
    lease = crs["Data-centre lease extension (3 months)"]
    assert (lease["decided_date"], lease["decided_by"]) == ("2026-11-24", "Sponsor (Margaret Hale)")
    # Its approval moved CLD's budget and drew on the reserve, in the same instant, as priya.
    cld = store.get("project", "CLD")
    moves = [
        a
        for a in store.audit(table="project", row_id=cld["id"])
        if a["action"] == "update" and "budget" in a["changes"]
    ]
    assert [(m["changes"]["budget"], m["user"]) for m in moves] == [([2_280_000, 2_400_000], "priya")]
    reserve = [
        a
        for a in store.audit(table="programme")
        if a["action"] == "update" and "management_reserve" in a["changes"]
    ]
    assert [a["changes"]["management_reserve"] for a in reserve] == [[400_000, 280_000]]
    assert reserve[0]["ts"] == moves[0]["ts"]
    # IAM's SSO connectors: budget +45 000, baseline end +14 d, contingency 60 000 → 15 000.
    iam = [
        a["changes"]
        for a in store.audit(table="project", row_id=store.get("project", "IAM")["id"])
        if "contingency" in a["changes"] and a["action"] == "update"
    ]
    assert iam == [{"budget": [1_155_000, 1_200_000], "baseline_end": ["2027-01-10", "2027-01-24"], "contingency": [60_000, 15_000]}]  # fmt: skip


def test_the_stand_up_tells_of_yesterdays_approval_and_the_request_waiting(demo_db: Path) -> None:
    with Store.open(demo_db, read_only=True) as store:
        su = standup_of(store, TODAY)
    crs = next(s for s in su.changes if s.title == "Change requests")
    assert [line.text for line in crs.lines] == [
        "Change request #5 Data-centre lease extension (3 months) (CLD) approved by Sponsor (Margaret Hale) "
        "(+120 000, no delay, from reserve); the baseline moved"
    ]
    projects = next(s for s in su.changes if s.title == "Projects")
    assert any(
        line.text.startswith("CLD:") and "budget 2 280 000 → 2 400 000" in line.text
        for line in projects.lines
    )
    waiting = next(s for s in su.attention if s.title == "Change requests waiting for a decision")
    assert [line.text for line in waiting.lines] == [
        "#3 Knowledge-base migration add-on (SVD): +35 000, no delay, from contingency; raised 2026-11-04, waiting 21 d"
    ]


def test_large_demo_has_24_months_per_project_adding_up(tmp_path: Path) -> None:
    from pgmtui.demo import build_demo

    path = tmp_path / "large.db"
    with Store.open(path) as store:
        build_demo(store, TODAY, "large")
    conn = sqlite3.connect(path)
    try:
        months = {n for (n,) in conn.execute("SELECT count(*) FROM cost GROUP BY project_id")}
        off = conn.execute(
            "SELECT count(*) FROM project p WHERE abs(p.actual_cost - "
            "(SELECT total(actual) FROM cost c WHERE c.project_id = p.id)) > 0.005"
        ).fetchone()[0]
        planned = conn.execute(
            "SELECT count(*) FROM project p WHERE p.budget != (SELECT sum(planned) FROM cost c WHERE c.project_id = p.id)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert months == {24} and off == 0 and planned == 0
