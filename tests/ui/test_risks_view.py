"""The Risks & RAID view functions (pgmtui.screens.risks.view) without an app: rows, cells, sort
values, filters and the text lines, on a hand-made register whose numbers are checked on paper."""

from __future__ import annotations

import pendulum
import pytest
from rich.text import Text

from pgmtui.domain.riskmap import RiskFilter, parse_filter, score_history
from pgmtui.model import Model
from pgmtui.screens.risks.view import (
    CELL_COLUMNS,
    REGISTER_COLUMNS,
    REGISTER_SORT,
    RiskRows,
    cell_rows,
    cell_title,
    history_text,
    raid_columns,
    raid_detail,
    raid_items,
    raid_rows,
    register_rows,
    risk_head,
    summary,
    toggle_status,
    views_bar,
)
from pgmtui.services import build_model
from pgmtui.store import Store
from pgmtui.widgets.cells import column_widths, plain, sort_rows, visible_columns

TODAY = pendulum.Date(2026, 11, 25)  # a Wednesday: the stand-up window starts Tue 24 Nov 00:00
BEFORE_STANDUP = pendulum.datetime(2026, 11, 2, 9, 0, tz="UTC")
AFTER_STANDUP = pendulum.datetime(2026, 11, 25, 9, 0, tz="UTC")


@pytest.fixture
def ids(small_programme: Store) -> dict[str, int]:
    """Five risks logged before the stand-up, one re-scored and one logged since, and four issues.

    Residual positions (residual P/I, each falling back to its inherent value):
      r1 IAM 4×5=20 → 2×3=6 (M), review 2026-11-20: overdue
      r2 IAM 4×5=20 → 4×5=20 (C), review 2026-12-01
      r3 CLD 3×3=9  → 1×3=3 (L); re-scored since the stand-up to 3×5=15 (C): trend ↑
      r4 CLD 2×2=4 (L), closed
      r5 programme-level 1×5=5 (M)
      r6 CLD 2×2=4 (L), logged since the stand-up: trend "new"
    """
    s = small_programme
    with s.acting(user="pmo", at=BEFORE_STANDUP):
        out = {
            "r1": s.insert(
                "risk",
                {
                    "project": "IAM",
                    "title": "Vendor exits the market",
                    "cause": "Single supplier",
                    "owner": "Asha Patel",
                    "category": "Commercial",
                    "probability": 4,
                    "impact": 5,
                    "residual_probability": 2,
                    "residual_impact": 3,
                    "response": "reduce",
                    "review_date": "2026-11-20",
                },
            ),
            "r2": s.insert(
                "risk",
                {
                    "project": "IAM",
                    "title": "Directory outage",
                    "probability": 4,
                    "impact": 5,
                    "review_date": "2026-12-01",
                },
            ),
            "r3": s.insert(
                "risk",
                {
                    "project": "CLD",
                    "title": "Egress costs",
                    "probability": 3,
                    "impact": 3,
                    "residual_probability": 1,
                },
            ),
            "r4": s.insert(
                "risk",
                {
                    "project": "CLD",
                    "title": "Old closed risk",
                    "probability": 2,
                    "impact": 2,
                    "status": "closed",
                },
            ),
            "r5": s.insert("risk", {"title": "Funding cut", "probability": 1, "impact": 5}),
            "i1": s.insert(
                "issue",
                {
                    "project": "IAM",
                    "title": "Firewall change stuck",
                    "owner": "Asha Patel",
                    "priority": "high",
                    "due_date": "2026-11-01",
                },
            ),
            "i2": s.insert(
                "issue",
                {
                    "project": "CLD",
                    "title": "Licence server slow",
                    "priority": "critical",
                    "status": "in progress",
                    "due_date": "2026-12-10",
                },
            ),
            "i3": s.insert(
                "issue",
                {
                    "title": "Old printer issue",
                    "priority": "critical",
                    "status": "closed",
                    "due_date": "2026-10-01",
                },
            ),
            "i4": s.insert(
                "issue",
                {
                    "project": "IAM",
                    "title": "Test data missing",
                    "priority": "high",
                    "due_date": "2026-11-30",
                },
            ),
        }
    with s.acting(user="ben", at=AFTER_STANDUP):
        version = s.get("risk", out["r3"])["version"]
        s.update(
            "risk", out["r3"], {"residual_probability": 3, "residual_impact": 5}, expected_version=version
        )
        out["r6"] = s.insert(
            "risk", {"project": "CLD", "title": "Key engineer leaves", "probability": 2, "impact": 2}
        )
    return out


@pytest.fixture
def model(ids: dict[str, int], small_programme: Store) -> Model:
    return build_model(small_programme, TODAY)


def open_risks(model: Model) -> list[dict]:
    return [r for r in model.rows("risk") if r["status"] == "open"]


def texts(row) -> dict[str, str]:
    return {k: plain(v) for k, v in row.cells.items()}


# ---------------------------------------------------------------------- risk rows


def test_register_cells_of_each_risk(model: Model, ids: dict[str, int]) -> None:
    rows = {r.id: r for r in register_rows(RiskRows(), model, model.rows("risk"))}
    r1 = texts(rows[ids["r1"]])
    assert r1["score"] == "20 → 6  M "  # inherent 4×5 → residual 2×3, band badge " M "
    assert (r1["inh"], r1["res"]) == ("20 C", " 6 M")  # two digits, right-aligned
    assert r1["project"] == "IAM" and r1["owner"] == "Asha Patel" and r1["category"] == "Commercial"
    assert r1["review"] == "! 2026-11-20"  # before today, still open: overdue
    assert rows[ids["r1"]].cells["review"].style == "bold red"
    assert texts(rows[ids["r2"]])["review"] == "2026-12-01"
    assert texts(rows[ids["r5"]])["project"] == "prog"  # programme-level
    closed = rows[ids["r4"]].cells
    assert closed["title"].style == "dim strike" and plain(closed["status"]) == "closed"
    # Trend marks: r3 re-scored 3 → 15 since the stand-up, r6 logged since, the rest unchanged.
    assert plain(rows[ids["r3"]].cells["trend"]) == "↑"
    assert plain(rows[ids["r6"]].cells["trend"]) == "+"
    assert plain(rows[ids["r1"]].cells["trend"]) == "→"


def test_register_sorts_by_score_trend_and_review(model: Model, ids: dict[str, int]) -> None:
    rows = register_rows(RiskRows(), model, open_risks(model))
    by = {v: k for k, v in ids.items() if k.startswith("r")}

    def order(key: str, reverse: bool = False) -> list[str]:
        return [by[r.id] for r in sort_rows(rows, key, reverse)]

    # Default: residual highest first — r2 20, r3 15, r1 6, r5 5, r6 4.
    assert REGISTER_SORT == "res"
    assert order("res") == ["r2", "r3", "r1", "r5", "r6"]
    # Inherent: r1 and r2 tie at 20 and keep id order, also reversed; then r3 9, r5 5, r6 4.
    assert order("inh") == ["r1", "r2", "r3", "r5", "r6"]
    assert order("inh", reverse=True) == ["r6", "r5", "r3", "r1", "r2"]
    # Trend: worse (↑ r3) first, then new (r6), then unchanged in id order.
    assert order("trend") == ["r3", "r6", "r1", "r2", "r5"]
    # Review date: the earliest first, risks without one last.
    assert order("review") == ["r1", "r2", "r3", "r5", "r6"]
    assert order("review", reverse=True) == ["r2", "r1", "r3", "r5", "r6"]
    # Project sorts by the code shown: CLD r3 r6, IAM r1 r2, prog r5.
    assert order("project") == ["r3", "r6", "r1", "r2", "r5"]


def test_cell_list_is_worst_residual_first_in_the_views_basis(model: Model, ids: dict[str, int]) -> None:
    risks = open_risks(model)
    in_cell = [r for r in risks if (r["probability"], r["impact"]) == (4, 5)]
    rows = cell_rows(RiskRows(), model, in_cell, "inherent")
    # Both are 20 inherent; r2 stays at 20 residual, r1 drops to 6: r2 first.
    assert [r.id for r in rows] == [ids["r2"], ids["r1"]]
    # r3 moved only its residual score: no mark in the inherent view, ↑ in the residual one.
    r3 = next(r for r in risks if r["id"] == ids["r3"])
    assert plain(cell_rows(RiskRows(), model, [r3], "inherent")[0].cells["trend"]) == "→"
    assert plain(cell_rows(RiskRows(), model, [r3], "residual")[0].cells["trend"]) == "↑"


def test_rows_are_reused_until_the_risk_changes(ids: dict[str, int], small_programme: Store) -> None:
    cache = RiskRows()
    first = build_model(small_programme, TODAY)
    before = {r.id: r for r in register_rows(cache, first, first.rows("risk"))}
    small_programme.update("risk", ids["r2"], {"owner": "Ben Carter"}, expected_version=1)
    second = build_model(small_programme, TODAY)
    after = {r.id: r for r in register_rows(cache, second, second.rows("risk"))}
    assert after[ids["r1"]] is before[ids["r1"]]  # unchanged: not rendered again
    assert after[ids["r2"]] is not before[ids["r2"]]
    assert plain(after[ids["r2"]].cells["owner"]) == "Ben Carter"
    # The next day the same rows render again (review dates fall due).
    later = build_model(small_programme, TODAY.add(days=1))
    assert register_rows(cache, later, later.rows("risk"))[0] is not before[ids["r1"]]


def test_register_columns_at_80_columns() -> None:
    shown = visible_columns(REGISTER_COLUMNS, 80)
    assert [c.key for c in shown] == ["trend", "id", "project", "title", "inh", "res", "review"]
    # A 78-column table (80 less the scrollbar gutter): fixed columns 1+3+4+4+5+12 (Res widened to
    # 5 for its " ▼" sort mark) plus 2 padding each = 43 with the title's own padding; the title
    # gets 78 − 43 = 35.
    widths = column_widths(shown, [], 78, REGISTER_SORT)
    assert widths == {"trend": 1, "id": 3, "project": 4, "title": 35, "inh": 4, "res": 5, "review": 12}
    at_120 = [c.key for c in visible_columns(CELL_COLUMNS, 120)]
    assert at_120 == ["trend", "id", "project", "title", "owner", "score", "proximity", "response", "review"]
    assert "proximity" not in [c.key for c in visible_columns(CELL_COLUMNS, 104)]


# ---------------------------------------------------------------------- the lines above the lists


def test_summary_counts_bands_moves_and_overdue_reviews(model: Model) -> None:
    shown = open_risks(model)
    line = summary(model, "heatmap", "residual", RiskFilter(), shown).plain
    # Residual bands of the 5 open risks: C r2 r3, H none, M r1 r5, L r6.
    assert line.startswith("Residual view · 5 open risks  C 2   H 0   M 2   L 1  ")
    assert "↑1 ↓0 +1 since stand-up" in line
    assert "! 1 review overdue" in line  # r1
    inherent = summary(model, "heatmap", "inherent", RiskFilter(), shown).plain
    # Inherent: r1 r2 20 C, r3 9 M, r5 5 M, r6 4 L; r3's inherent score did not move.
    assert inherent.startswith("Inherent view · 5 open risks  C 2   H 0   M 2   L 1  ")
    assert "↑0 ↓0 +1 since stand-up" in inherent
    flt = parse_filter("project:IAM colour:red")
    filtered = summary(model, "register", "residual", flt, shown[:2]).plain
    assert "filter: project IAM" in filtered and "(ignored: colour:red)" in filtered
    raid = summary(model, "issue", "residual", RiskFilter(), []).plain
    assert raid.startswith("Issues of the RAID log")


def test_views_bar_marks_the_current_view_and_counts(model: Model) -> None:
    assert views_bar(model, "register", 5).plain == (
        "  Heatmap  ▸Register 5   Issues 4   Assumptions 0   Decisions 0   Actions 0   Lessons 0"
        "    v: next view"
    )


def test_cell_title_names_the_cell_and_its_band() -> None:
    title = cell_title((4, 5), 2, "inherent").plain
    assert title.startswith("P4 Likely × I5 Severe = 20  C  Critical · 2 risks (inherent)")
    assert "1 risk (residual)" in cell_title((1, 1), 1, "residual").plain  # 1×1 = 1, Low


# ---------------------------------------------------------------------- one risk


def test_risk_head_and_history(model: Model, ids: dict[str, int], small_programme: Store) -> None:
    head = risk_head(model.row("risk", ids["r1"]), model).plain
    assert "IAM · threat · open · category Commercial · owner Asha Patel" in head
    assert "Inherent P4×I5=20  C   →  Residual P2×I3=6  M " in head
    assert "review ! 2026-11-20 (overdue)" in head
    r3 = model.row("risk", ids["r3"])
    assert "since stand-up ↑ worse" in risk_head(r3, model).plain
    points = score_history(r3, small_programme.audit(table="risk", row_id=ids["r3"]))
    lines = history_text(points).plain.splitlines()
    # Logged at 3×3=9 with residual 1×3=3, re-scored by ben to residual 3×5=15.
    assert len(lines) == 2
    assert "pmo" in lines[0] and "P3×I3=9 → P1×I3=3  L " in lines[0] and "logged" in lines[0]
    assert "ben" in lines[1] and "P3×I3=9 → P3×I5=15  C " in lines[1]
    assert history_text([]).plain == "No score changes recorded."


# ---------------------------------------------------------------------- issues / assumptions / decisions


def test_raid_list_order_cells_and_filters(model: Model, ids: dict[str, int]) -> None:
    by = {v: k for k, v in ids.items() if k.startswith("i")}

    def listed(text: str) -> list[str]:
        return [by[r["id"]] for r in raid_items(model, "issue", parse_filter(text))]

    # Open ones first, by priority (critical i2), then due date (high i1 11-01, high i4 11-30);
    # the closed i3 last even though it is critical. No status filter: every status shows.
    assert listed("") == ["i2", "i1", "i4", "i3"]
    assert listed("project:IAM") == ["i1", "i4"]
    assert listed("project:programme") == ["i3"]
    assert listed("status:closed") == ["i3"]
    assert listed("printer") == ["i3"]
    assert listed("owner:asha") == ["i1"]
    rows = {r.id: texts(r) for r in raid_rows(model, "issue", RiskFilter())}
    assert rows[ids["i1"]]["due"] == "! 2026-11-01"  # open and past due
    assert rows[ids["i3"]]["due"] == "2026-10-01"  # closed: never overdue
    assert rows[ids["i3"]]["project"] == "prog"
    # Sorting by priority puts critical first whatever the status (i2, i3), ties in the list's
    # order (i1 before i4); by due date the earliest first.
    sorted_rows = raid_rows(model, "issue", RiskFilter())
    assert [by[r.id] for r in sort_rows(sorted_rows, "priority", False)] == ["i2", "i3", "i1", "i4"]
    assert [by[r.id] for r in sort_rows(sorted_rows, "due", False)] == ["i3", "i1", "i4", "i2"]
    detail = raid_detail("issue", model.row("issue", ids["i1"]), model).plain
    assert "Issue #" in detail and "priority high" in detail and "OVERDUE" in detail


def test_raid_columns_per_kind() -> None:
    assert [c.key for c in raid_columns("issue")] == [
        "id", "project", "title", "owner", "status", "priority", "raised", "due",
    ]  # fmt: skip
    assert raid_columns("decision")[-1].key == "decided"
    shown = visible_columns(raid_columns("decision"), 80)
    assert [c.key for c in shown] == ["id", "project", "title", "status", "due"]
    # 78 columns less the fixed ones with their padding (5 + 6 + 13 + 14) and the title's 2: 38.
    assert column_widths(shown, [], 78)["title"] == 38


def test_close_and_reopen_per_kind() -> None:
    today = TODAY
    assert toggle_status("risk", {"status": "open"}, today) == ({"status": "closed"}, "closed")
    assert toggle_status("risk", {"status": "closed"}, today) == ({"status": "open"}, "reopened")
    assert toggle_status("issue", {"status": "in progress"}, today) == ({"status": "closed"}, "closed")
    assert toggle_status("assumption", {"status": "validated"}, today) == ({"status": "open"}, "reopened")
    made = toggle_status("decision", {"status": "needed"}, today)
    assert made == ({"status": "made", "decided_date": "2026-11-25"}, "marked made")
    keeps_date = toggle_status("decision", {"status": "deferred", "decided_date": "2026-11-01"}, today)
    assert keeps_date == ({"status": "made"}, "marked made")
    assert toggle_status("decision", {"status": "made"}, today) == ({"status": "needed"}, "reopened")


def test_text_from_the_database_is_never_markup(model: Model, small_programme: Store) -> None:
    rid = small_programme.insert(
        "risk", {"title": "[bold red]Boom[/]", "owner": "[i]x[/i]", "probability": 2, "impact": 2}
    )
    fresh = build_model(small_programme, TODAY)
    row = next(r for r in register_rows(RiskRows(), fresh, fresh.rows("risk")) if r.id == rid)
    assert plain(row.cells["title"]) == "[bold red]Boom[/]"
    assert isinstance(row.cells["owner"], Text) and row.cells["owner"].plain == "[i]x[/i]"
