"""The heatmap's arithmetic (pgmtui.domain.riskmap), checked against numbers worked out by hand."""

from __future__ import annotations

from typing import Any

import pendulum

from pgmtui.domain.risk import RiskBands
from pgmtui.domain.riskmap import (
    RiskFilter,
    band_counts,
    cell_band,
    cell_counts,
    cell_trends,
    cells_of,
    filter_risks,
    matches,
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


def test_score_history_every_field_closing_reopening_and_deleting() -> None:
    current = {
        "probability": 2,
        "impact": 3,
        "residual_probability": None,
        "residual_impact": None,
        "status": "open",
    }
    audit = [
        # Given out of order: read in (ts, id) order. Rows 2 and 3 share a timestamp; id decides.
        {"id": 3, "ts": "2026-11-02T09:00:00Z", "user": "cy", "action": "update",
         "changes": '{"status": ["closed", "open"]}'},  # as stored: JSON text
        {"id": 1, "ts": "2026-10-01T09:00:00Z", "user": "pmo", "action": "insert",
         "changes": {"probability": [None, 4], "impact": [None, 3], "status": [None, "open"]}},
        {"id": 2, "ts": "2026-11-02T09:00:00Z", "user": "ben", "action": "update",
         "changes": {"probability": [4, 2], "status": ["open", "closed"]}},
        {"id": 4, "ts": "2026-11-03T09:00:00Z", "user": "di", "action": "update",
         "changes": {"status": ["open", "parked"]}},  # a status that is neither
        {"id": 5, "ts": "2026-11-04T09:00:00Z", "user": "di", "action": "update",
         "changes": {"status": ["parked", "open"], "residual_impact": [None, 2]}},
    ]  # fmt: skip
    points = score_history({**current, "residual_impact": 2}, audit)
    assert [
        (
            p.ts,
            p.user,
            p.action,
            p.probability,
            p.impact,
            p.residual_probability,
            p.residual_impact,
            p.status,
            p.note,
        )
        for p in points
    ] == [
        ("2026-10-01T09:00:00Z", "pmo", "insert", 4, 3, None, None, "open", "logged"),
        ("2026-11-02T09:00:00Z", "ben", "update", 2, 3, None, None, "closed", "re-scored, closed"),
        ("2026-11-02T09:00:00Z", "cy", "update", 2, 3, None, None, "open", "reopened"),
        ("2026-11-03T09:00:00Z", "di", "update", 2, 3, None, None, "parked", "parked"),
        ("2026-11-04T09:00:00Z", "di", "update", 2, 3, None, 2, "open", "residual re-scored, reopened"),
    ]
    # Inherent 4×3 = 12, then 2×3 = 6; residual falls back to inherent until its impact is set (2×2).
    assert [(p.inherent, p.residual) for p in points] == [(12, 12), (6, 6), (6, 6), (6, 6), (6, 4)]
    deleted = score_history(
        None,
        audit[1:2]
        + [{"id": 9, "ts": "2026-11-05T00:00:00Z", "user": "pmo", "action": "delete",
            "changes": {"probability": [4, None], "impact": [3, None], "status": ["open", None]}}],
    )  # fmt: skip
    assert [(p.action, p.probability, p.impact, p.status, p.note) for p in deleted] == [
        ("insert", 4, 3, "open", "logged"),
        ("delete", 4, 3, "open", "deleted"),  # the scores as they were when it went
    ]
    # Rows without a timestamp or user still read, and sort first.
    odd = score_history(current, [{"action": "update", "changes": {"impact": ["1", "x"]}}])
    assert [(p.ts, p.user, p.impact) for p in odd] == [("", "", 3)]


def test_filter_parsing_in_full() -> None:
    flt = parse_filter(
        "Project:IAM,prog,,iam Category:data_centre OWNER:'Asha K' proximity:this-stage status:Closed words Here"
    )
    assert flt == RiskFilter(
        projects=("iam", "programme"),  # lower-cased, programme words folded, duplicates dropped
        category="data centre",  # _ stands for a space
        owner="asha k",
        proximity="this stage",  # - stands for a space
        status="closed",
        words=("words", "here"),
    )
    assert (
        flt.describe()
        == "project IAM,programme, category data centre, owner asha k, proximity this stage, status closed, “words here”"
    )
    assert not flt.is_empty and flt.risk_status() == "closed"
    assert parse_filter("proximity:2026-12-01").proximity == "2026-12-01"  # a date keeps its dashes
    assert parse_filter("owner: 12:30 :x").words == ("12:30", ":x")  # empty value skipped; not fields
    assert parse_filter('owner:Ben "C') == RiskFilter(owner="ben", words=("c",))  # an unbalanced quote
    empty = parse_filter("")
    assert empty.is_empty and empty.risk_status() == "open" and empty.describe() == ""
    assert parse_filter("status:all").describe() == "status all"
    for text in ("category:x", "owner:x", "proximity:x", "x", "project:x"):
        assert not parse_filter(text).is_empty, text


def test_matching_rules_in_detail() -> None:
    issue = {"id": 7, "project_id": 2, "title": "Licence gap", "status": "in progress", "owner": None,
             "category": None, "proximity": None, "description": "tenant premium"}  # fmt: skip

    def ok(text: str, **kw: Any) -> bool:
        return matches(issue, parse_filter(text), lambda pid: {2: "CLD"}.get(pid), **kw)

    assert not ok("")  # risks default to open ones; "in progress" is not open
    assert ok("", default_status=None) and ok("status:in") and ok("status:any") and ok("status:*")
    assert ok("cld licence", default_status=None)  # the project code is searched too
    assert not ok("premium", default_status=None)  # the description is not a risk text field
    assert ok("premium", default_status=None, text_fields=("description",))
    assert not ok("owner:asha status:all") and not ok("category:x status:all")
    assert not ok("proximity:imminent status:all")
    assert ok("project:cld status:all") and not ok("project:iam status:all")
    unknown_project = {**issue, "project_id": 99}
    assert not matches(unknown_project, parse_filter("project:cld status:all"), {2: "CLD"})
    assert matches(unknown_project, parse_filter("licence status:all"), {2: "CLD"})
    prog = {**issue, "project_id": None, "status": "open"}
    assert matches(prog, parse_filter("programme licence"), {})  # programme-level rows answer to it


def test_positions_of_objects_and_odd_values() -> None:
    from pgmtui.domain.models import Risk

    r = Risk(id=1, probability=4, impact=5, residual_probability=2)
    assert position(r, "inherent") == (4, 5) and position(r) == (2, 5)
    assert position({"probability": "3", "impact": "2"}, "inherent") == (3, 2)
    for p, i in ((0, 3), (3, 0), (3, 6), (None, None)):
        assert position({"probability": p, "impact": i}, "inherent") is None, (p, i)
    assert position({"probability": 5, "impact": 5}, "inherent") == (5, 5)
    assert position({"probability": 1, "impact": 1}, "inherent") == (1, 1)


def test_review_overdue_edges() -> None:
    assert review_overdue({"review_date": "2026-11-24"}, "2026-11-25")  # no status: treated as open
    assert review_overdue(
        {"status": "open", "review_date": "2026-11-24T23:59:00Z"}, pendulum.Date(2026, 11, 25)
    )
    assert not review_overdue({"status": "open", "review_date": ""}, "2026-11-25")
    assert not review_overdue({"status": "open", "review_date": "2026-11-26"}, "2026-11-25")


def test_counts_with_other_bands() -> None:
    bands = RiskBands(low_max=2, medium_max=5, high_max=8)
    # residual scores 6, 20, 3, 5 → High, Critical, Medium, Medium with these bands
    assert band_counts(open_risks(), "residual", bands) == {"Low": 0, "Medium": 2, "High": 1, "Critical": 1}
    assert cell_band((3, 3), bands) == "Critical" and cell_band((1, 2), bands) == "Low"
    by_cell = cells_of(RISKS, "inherent")  # all five, closed included, in the order given
    assert by_cell == {
        (4, 5): [RISKS[0], RISKS[1]],
        (3, 3): [RISKS[2]],
        (2, 2): [RISKS[3]],
        (1, 5): [RISKS[4]],
    }
    assert cells_of([{"probability": None}]) == {}
    assert cell_counts([{"probability": 9, "impact": 9}])[(5, 5)] == 0


def test_score_history_reads_by_timestamp_and_names_each_kind_of_change() -> None:
    current = {
        "probability": 2,
        "impact": 4,
        "residual_probability": 1,
        "residual_impact": None,
        "status": "open",
    }
    audit = [
        # An import can give ids out of time order: the timestamp decides, the id only breaks ties.
        {"id": 1, "ts": "2026-11-03T00:00:00Z", "user": "c", "action": "update",
         "changes": {"residual_probability": [None, 1]}},
        {"id": 2, "ts": "2026-11-02T00:00:00Z", "user": "b", "action": "update", "changes": {"impact": [3, 4]}},
        {"id": 3, "ts": "2026-11-01T00:00:00Z", "user": "a", "action": "insert", "changes": {"title": [None, "t"]}},
    ]  # fmt: skip
    points = score_history(current, audit)
    assert [(p.user, p.note, p.impact, p.residual_probability) for p in points] == [
        ("a", "logged", 3, None),  # an insert is logged even when it set no score
        ("b", "re-scored", 4, None),  # impact alone is a re-score
        ("c", "residual re-scored", 4, 1),  # residual probability alone too
    ]


def test_filter_details() -> None:
    assert parse_filter("") == RiskFilter()
    assert parse_filter("owner:Ben 'C") == RiskFilter(owner="ben", words=("c",))  # unbalanced single quote
    assert parse_filter("owner:a:b").owner == "a:b"  # the first colon splits
    by_cell = {(1, 1): [{"id": 1}], (2, 2): [{"id": 2}], (3, 3): [{"id": 3}]}
    assert cell_trends(by_cell, {1: "↑", 2: "↓", 3: "→"}) == {(1, 1): (1, 0, 0), (2, 2): (0, 1, 0)}
