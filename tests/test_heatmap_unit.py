"""The heatmap's arithmetic (pgmtui.domain.riskmap), checked against numbers worked out by hand."""

from __future__ import annotations

import pendulum

from pgmtui.domain.riskmap import (
    RiskFilter,
    band_counts,
    cell_band,
    cell_counts,
    cell_trends,
    cells_of,
    filter_risks,
    parse_filter,
    position,
    review_overdue,
    score_history,
)

CODES = {1: "IAM", 2: "CLD"}


def risk(rid, p, i, rp=None, ri=None, *, project=1, status="open", **extra):
    return {
        "id": rid,
        "project_id": project,
        "title": f"risk {rid}",
        "probability": p,
        "impact": i,
        "residual_probability": rp,
        "residual_impact": ri,
        "status": status,
        **extra,
    }


# A hand-made register: where each risk sits, worked out on paper.
#   id  P I  resP resI  -> inherent   residual
#   1   4 5  2    3        (4,5)      (2,3)
#   2   4 5  -    -        (4,5)      (4,5)
#   3   3 3  1    -        (3,3)      (1,3)   residual impact falls back to inherent
#   4   2 2  -    -        closed: never counted while status is open
#   5   1 5  -    -        (1,5)      (1,5)   programme-level
RISKS = [
    risk(1, 4, 5, 2, 3, category="Technical", owner="Asha Patel", proximity="imminent"),
    risk(2, 4, 5, category="Commercial", owner="Ben Carter", proximity="this stage"),
    risk(3, 3, 3, 1, None, project=2, owner="Asha Patel", proximity="2026-12-01"),
    risk(4, 2, 2, project=2, status="closed"),
    risk(5, 1, 5, project=None, category="Technical", proximity="beyond"),
]


def open_risks():
    return filter_risks(RISKS, RiskFilter(), CODES)


def test_positions_inherent_and_residual() -> None:
    assert position(RISKS[0], "inherent") == (4, 5)
    assert position(RISKS[0], "residual") == (2, 3)
    assert position(RISKS[2], "residual") == (1, 3)
    assert position({"probability": None, "impact": 3}) is None
    assert position({"probability": 6, "impact": 3}) is None  # off the grid: not placed


def test_cell_counts_by_hand() -> None:
    residual = cell_counts(open_risks(), "residual")
    assert len(residual) == 25
    assert {c: n for c, n in residual.items() if n} == {(2, 3): 1, (4, 5): 1, (1, 3): 1, (1, 5): 1}
    inherent = cell_counts(open_risks(), "inherent")
    assert {c: n for c, n in inherent.items() if n} == {(4, 5): 2, (3, 3): 1, (1, 5): 1}
    assert sum(residual.values()) == sum(inherent.values()) == 4


def test_band_counts_and_cell_bands() -> None:
    # residual scores 6, 20, 3, 5 -> Medium, Critical, Low, Medium
    assert band_counts(open_risks(), "residual") == {"Low": 1, "Medium": 2, "High": 0, "Critical": 1}
    # inherent scores 20, 20, 9, 5
    assert band_counts(open_risks(), "inherent") == {"Low": 0, "Medium": 2, "High": 0, "Critical": 2}
    assert cell_band((2, 2)) == "Low" and cell_band((1, 5)) == "Medium"
    assert cell_band((2, 5)) == "High" and cell_band((3, 5)) == "Critical"


def test_filters() -> None:
    def ids(text: str) -> list[int]:
        return [r["id"] for r in filter_risks(RISKS, parse_filter(text), CODES)]

    assert ids("") == [1, 2, 3, 5]
    assert ids("status:closed") == [4]
    assert ids("status:all") == [1, 2, 3, 4, 5]
    assert ids("project:iam") == [1, 2]
    assert ids("project:programme") == [5]
    assert ids("project:CLD,- status:all") == [3, 4, 5]
    assert ids("category:tech") == [1, 5]
    assert ids("owner:asha") == [1, 3]
    assert ids("proximity:this-stage") == [2]
    assert ids("proximity:2026-12") == [3]
    assert ids("'risk 2'") == [2]
    flt = parse_filter("owner:asha colour:blue")
    assert flt.unknown == ("colour:blue",)
    assert "owner asha" in flt.describe()


def test_cell_trends_counts_moves_per_cell() -> None:
    by_cell = cells_of(open_risks(), "inherent")
    trends = {1: "↑", 2: "↓", 3: "→", 5: "new"}
    assert cell_trends(by_cell, trends) == {(4, 5): (1, 1, 0), (1, 5): (0, 0, 1)}


def test_review_overdue() -> None:
    today = pendulum.Date(2026, 11, 25)
    assert review_overdue({"status": "open", "review_date": "2026-11-24"}, today)
    assert not review_overdue({"status": "open", "review_date": "2026-11-25"}, today)
    assert not review_overdue({"status": "closed", "review_date": "2026-01-01"}, today)
    assert not review_overdue({"status": "open", "review_date": None}, today)


def test_score_history_from_audit_rows() -> None:
    current = {
        "probability": 4,
        "impact": 5,
        "residual_probability": 3,
        "residual_impact": 5,
        "status": "open",
    }
    audit = [
        {
            "id": 1,
            "ts": "2026-10-01T09:00:00.000000Z",
            "user": "pmo",
            "action": "insert",
            "changes": {"probability": [None, 3], "impact": [None, 4], "status": [None, "open"]},
        },
        {
            "id": 2,
            "ts": "2026-11-02T09:00:00.000000Z",
            "user": "ben",
            "action": "update",
            "changes": {"owner": ["a", "b"]},  # not a score change: no point
        },
        {
            "id": 3,
            "ts": "2026-11-24T09:00:00.000000Z",
            "user": "ben",
            "action": "update",
            "changes": {"probability": [3, 4], "impact": [4, 5]},
        },
        {
            "id": 4,
            "ts": "2026-11-25T09:00:00.000000Z",
            "user": "asha",
            "action": "update",
            "changes": {"residual_probability": [None, 3], "residual_impact": [None, 5]},
        },
    ]
    points = score_history(current, audit)
    assert [(p.user, p.inherent, p.residual, p.note) for p in points] == [
        ("pmo", 12, 12, "logged"),
        ("ben", 20, 20, "re-scored"),
        ("asha", 20, 15, "residual re-scored"),
    ]
    # A log that starts mid-life (an import) still reads back correctly from the current row.
    assert [(p.inherent, p.residual) for p in score_history(current, audit[2:])] == [(20, 20), (20, 15)]
