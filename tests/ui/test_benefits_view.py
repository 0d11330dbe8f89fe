"""The benefits view without an app: the Model of a hand-made programme turned into tracker rows,
column widths, sort values, filters, the headline, the profile and the measurement list.

The programme (dates from D0 = 2026-09-01; "day n" = D0 + n days; today 2026-11-25 = day 85):

  Licence savings  cash £k, 100 → 60 by day 100; 90 (day 10), 80 (day 30): (80 − 100)/(60 − 100)
                   = 50 %; enabled by GRN (green) → On track.
  Satisfaction     non-cash pts, 0 → 100; 40 (day 50), 48 (day 60): 48 %; trend 80 at day 100 → At risk.
  Downtime         non-cash pts, 0 → 100; 40 (day 50), 47.9 (day 60): "48%"; trend 79.5 → Off track;
                   enabled by RED (overridden to R) and GRN → threatened.
  Server refresh   cash £k, 0 → 100; 50 (day 10), 100 (day 20): 100 % → Realised.
  Training         non-cash pts, 10 → 20, no measurements → No data.
  Support cost     dis-benefit pts, 0 → 500; 250 (day 50): 50 %, trend 500 → On track.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pendulum
import pytest

from pgmtui.model import Model
from pgmtui.screens.benefits import view
from pgmtui.screens.benefits.view import (
    BenefitRow,
    CellCache,
    benefit_rows,
    cash_unit,
    headline,
    linked_project_rows,
    linked_title,
    matches,
    measured_pct,
    measurement_rows,
    profile_text,
    summary_text,
    tracker,
)
from pgmtui.services import build_model
from pgmtui.widgets.cells import plain

TODAY = pendulum.Date(2026, 11, 25)


def day(n: int) -> str:
    return pendulum.Date(2026, 9, 1).add(days=n).isoformat()


def add_benefit(store, name, kind, base, target, points, projects="", **extra) -> int:
    fields = {
        "name": name,
        "kind": kind,
        "owner": "Olu",
        "measure": name.lower(),
        "unit": "£k" if kind == "cash-releasing" else "pts",
        "baseline_value": base,
        "baseline_date": day(0),
        "target_value": target,
        "target_date": day(100),
        **extra,
    }
    if projects:
        fields["projects"] = projects
    bid = store.insert("benefit", fields)
    for d, v, *note in points:
        store.insert(
            "measurement", {"benefit": bid, "date": day(d), "value": v, "note": note[0] if note else None}
        )
    return bid


@pytest.fixture
def hand(store) -> Model:
    store.insert("programme", {"name": "Benefits Test", "start_date": "2026-01-01", "end_date": "2027-12-31"})
    for code, extra in (("GRN", {}), ("RED", {"rag_override": "R", "rag_reason": "supplier failed"})):
        store.insert(
            "project",
            {
                "code": code,
                "name": f"Project {code}",
                "start_date": "2026-01-01",
                "baseline_end": "2027-06-30",
                "forecast_end": "2027-06-30",
                "budget": 1000,
                "actual_cost": 0,
                "percent_complete": 50,
                **extra,
            },
        )
    add_benefit(
        store, "Licence savings", "cash-releasing", 100, 60, [(10, 90), (30, 80, "after the\nrenewal")], "GRN"
    )
    add_benefit(store, "Satisfaction", "non-cash", 0, 100, [(50, 40), (60, 48)])
    add_benefit(store, "Downtime", "non-cash", 0, 100, [(50, 40), (60, 47.9)], "RED, GRN")
    add_benefit(store, "Server refresh", "cash-releasing", 0, 100, [(10, 50), (20, 100)])
    add_benefit(store, "Training", "non-cash", 10, 20, [])
    add_benefit(store, "Support cost", "dis-benefit", 0, 500, [(50, 250)])
    return build_model(store, TODAY)


def by_name(model: Model) -> dict[str, BenefitRow]:
    return {r.status.name: r for r in benefit_rows(model)}


def texts(row) -> dict[str, str]:
    return {k: plain(v) for k, v in row.cells.items()}


# ---------------------------------------------------------------------------------------- rows


def test_benefit_rows_link_projects_by_code_with_their_rag(hand: Model) -> None:
    rows = by_name(hand)
    downtime = rows["Downtime"]
    assert [(code, rag) for _, code, rag in downtime.projects] == [("GRN", "G"), ("RED", "R")]  # by code
    assert downtime.red_projects == ["RED"] and downtime.threatened
    assert not rows["Licence savings"].threatened and rows["Training"].projects == ()
    assert rows["Support cost"].status.is_dis_benefit


def test_tracker_splits_dis_benefits_and_counts_before_the_filter(hand: Model) -> None:
    t = tracker(benefit_rows(hand), 120, "status")
    names = [texts(r)["name"] for r in t.benefits]
    # Rows come in name order; the table applies the sort.
    assert names == ["Downtime", "Licence savings", "Satisfaction", "Server refresh", "Training"]
    assert [texts(r)["name"] for r in t.dis_benefits] == ["Support cost"]
    assert (t.benefit_total, t.dis_benefit_total) == (5, 1)
    assert t.title(False) == "Benefits (5)"
    assert t.dis_title() == "Dis-benefits (1) — accepted downsides, tracked apart"
    filtered = tracker(benefit_rows(hand), 120, "status", "status:risk")
    assert [texts(r)["name"] for r in filtered.benefits] == ["Satisfaction"] and not filtered.dis_benefits
    assert filtered.title(True) == "Benefits (1 of 5)"


def test_cells_show_the_figures_checked_by_hand(hand: Model) -> None:
    t = tracker(benefit_rows(hand), 120, "status")
    rows = {texts(r)["name"]: texts(r) for r in t.benefits + t.dis_benefits}
    assert rows["Licence savings"]["values"] == "100 → 80 → 60 £k"
    assert rows["Licence savings"]["pct"] == "50%"
    # 90 and 80 between 60 and 100: (90 − 60)/40 · 7 = 5.25 → ▆; (80 − 60)/40 · 7 = 3.5 → 4 → ▅.
    assert rows["Licence savings"]["spark"] == "▆▅"
    assert rows["Downtime"]["pct"] == "48%"  # 47.9 %
    assert rows["Downtime"]["status"] == " ● Off track "
    assert rows["Downtime"]["projects"] == "⚠ GRN■ RED●"
    assert rows["Training"]["values"] == "10 → – → 20 pts" and rows["Training"]["spark"] == "–"
    assert rows["Server refresh"]["status"] == " ✔ Realised "
    assert rows["Support cost"]["values"] == "0 → 250 → 500 pts"


def test_sort_values_put_the_worst_status_first_and_threatened_before_the_rest(hand: Model) -> None:
    t = tracker(benefit_rows(hand), 120, "status")
    status = {texts(r)["name"]: r.sort["status"] for r in t.benefits + t.dis_benefits}
    # rank × 2, +1 unless threatened: Off track 0 (Downtime, threatened: 0), At risk 1 → 3,
    # No data 2 → 5, On track 3 → 7, Realised 4 → 9.
    assert status == {
        "Downtime": 0,
        "Satisfaction": 3,
        "Training": 5,
        "Licence savings": 7,
        "Server refresh": 9,
        "Support cost": 7,
    }
    pct = {texts(r)["name"]: r.sort["pct"] for r in t.benefits}
    assert pct["Licence savings"] == pytest.approx(50.0) and pct["Training"] is None  # no figure: last
    due = {r.sort["due"] for r in t.benefits}
    assert due == {pendulum.Date(2026, 12, 10).toordinal()}  # day 100


def test_columns_follow_the_terminal_width(hand: Model) -> None:
    rows = benefit_rows(hand)

    def keys(width: int) -> list[str]:
        return [c.key for c in tracker(rows, width, "status").columns]

    assert keys(80) == ["name", "pct", "status", "spark", "projects"]
    assert keys(100) == ["name", "latest", "pct", "status", "spark", "projects"]  # Latest/Target from 90
    assert keys(120) == ["name", "values", "pct", "status", "spark", "projects"]  # the full triple from 110
    assert keys(130) == ["name", "values", "pct", "due", "status", "spark", "projects"]
    assert keys(200) == [
        "name", "kind", "owner", "measure", "values", "pct", "due", "status", "spark", "projects"
    ]  # fmt: skip


def test_column_widths_are_computed_over_every_benefit(hand: Model) -> None:
    t = tracker(benefit_rows(hand), 120, "status", "status:risk")  # the filter does not narrow them
    widths = {c.key: c.width for c in t.columns}
    # values: the label "Baseline → Latest → Target" (26) beats "0 → 47.9 → 100 pts" (18);
    # pct: "Real." 5 beats "100%"; status: " ● Off track " 13 beats "Status ▼" 8; spark: "History" 7;
    # projects: "⚠ GRN■ RED●" 11 (under the cap of 16).
    # The name: widest 15 ("Licence savings"), at least 16; the rest take (26+2)+(5+2)+(13+2)+(7+2)
    # +(11+2)+4 = 76 of 120, leaving 44 ≥ 16 → 16.
    assert widths == {"name": 16, "values": 26, "pct": 5, "status": 13, "spark": 7, "projects": 11}
    assert not any(c.sortable for c in t.columns if c.key in ("values", "spark", "projects"))
    assert [c.key for c in t.columns if c.sortable] == ["name", "pct", "status"]


def test_a_long_name_is_cut_to_what_the_other_columns_leave(store, hand: Model) -> None:
    long_name = "Reduction in the number of manual reconciliations in the month-end close"  # 72
    add_benefit(store, long_name, "non-cash", 0, 10, [(10, 5)])
    rows = benefit_rows(build_model(store, TODAY))
    t = tracker(rows, 80, "status")
    widths = {c.key: c.width for c in t.columns}
    # At 80: pct 5, status 13, spark 7, projects 11 → (5+2)+(13+2)+(7+2)+(11+2)+4 = 48; 80 − 48 = 32.
    assert widths["name"] == 32
    name = next(texts(r)["name"] for r in t.benefits if r.sort["name"] == long_name.lower())
    assert name == long_name[:31] + "…"
    # At 180 (kind, owner and target date shown): (11+2) + (5+2) + (26+2) + (5+2) + (11+2) + (13+2)
    # + (7+2) + (11+2) + 4 = 109, leaving 71: the name is capped at 48.
    assert {c.key: c.width for c in tracker(rows, 180, "status").columns}["name"] == 48


def test_projects_are_capped_at_twelve_below_100_columns_and_sixteen_above(store, hand: Model) -> None:
    for code in ("ALPHA", "BRAVO", "CHARLIE"):
        store.insert(
            "project", {"code": code, "name": code, "start_date": "2026-01-01", "baseline_end": "2027-01-01"}
        )
    add_benefit(store, "Many", "non-cash", 0, 10, [], "ALPHA, BRAVO, CHARLIE")
    rows = benefit_rows(build_model(store, TODAY))
    # "ALPHA■ BRAVO■ CHARLIE■" is 22 cells: cut to 12 (the last one an ellipsis) at 80, 16 at 120.
    narrow = next(r for r in tracker(rows, 80, "status").benefits if texts(r)["name"] == "Many")
    assert texts(narrow)["projects"] == "ALPHA■ BRAV…"
    wide = next(r for r in tracker(rows, 120, "status").benefits if texts(r)["name"] == "Many")
    assert texts(wide)["projects"] == "ALPHA■ BRAVO■ C…"


def test_the_cache_reuses_the_cells_of_unchanged_benefits_only(store, hand: Model) -> None:
    cache = CellCache()
    first = tracker(benefit_rows(hand), 120, "status", cache=cache)
    again = tracker(benefit_rows(hand), 120, "status", cache=cache)  # the same model: same cells
    assert all(a.cells is b.cells for a, b in zip(first.benefits, again.benefits, strict=True))
    bid = next(b["id"] for b in hand.rows("benefit") if b["name"] == "Training")
    store.insert("measurement", {"benefit": bid, "date": day(80), "value": 20})
    after = tracker(benefit_rows(build_model(store, TODAY)), 120, "status", cache=cache)
    changed = {
        texts(r)["name"]
        for r, old in zip(after.benefits, first.benefits, strict=True)
        if r.cells is not old.cells
    }
    assert changed == {"Training"}  # a new model, but only Training's row changed
    assert texts(next(r for r in after.benefits if r.id == bid))["pct"] == "100%"  # (20 − 10)/(20 − 10)
    narrow = tracker(benefit_rows(build_model(store, TODAY)), 80, "status", cache=cache)
    assert [texts(r)["name"] for r in narrow.benefits] == [texts(r)["name"] for r in after.benefits]


def test_filter_words_and_fields(hand: Model) -> None:
    rows = by_name(hand)
    assert matches(rows["Downtime"], "project:red") and not matches(rows["Satisfaction"], "project:red")
    assert matches(rows["Support cost"], "kind:dis") and not matches(rows["Downtime"], "kind:dis")
    assert matches(rows["Licence savings"], "kind:cash owner:olu")
    assert matches(rows["Training"], "status:no") and not matches(rows["Training"], "status:track")
    assert matches(rows["Satisfaction"], "satis") and not matches(rows["Satisfaction"], "satis xyz")


# ---------------------------------------------------------------------------------------- headline


def test_headline_packs_cash_counts_and_threats(hand: Model) -> None:
    rows = benefit_rows(hand)
    threatened = sum(1 for r in rows if r.threatened)
    assert cash_unit(hand) == "£k" and threatened == 1
    text = headline(hand.rollup, cash_unit(hand), threatened, 120).plain
    # Planned |60 − 100| + |100 − 0| = 140; realised 20 + 100 = 120; 120/140 = 85.7 % → 86 %, 9 of 10 bars.
    assert text.startswith("Cash 120 of 140 £k realised (86%) [█████████░]   Mean realisation 61%")
    assert "Benefits ✔ 1 Realised ■ 1 On track ▲ 1 At risk ● 1 Off track ○ 1 No data" in text
    assert "Dis-benefits ■ 1 On track" in text and "⚠ 1 threatened by a red project" in text
    narrow = headline(hand.rollup, "£k", threatened, 80).plain.split("\n")
    assert all(len(line) <= 78 for line in narrow) and len(narrow) == 3


def test_summary_of_the_selected_benefit(hand: Model) -> None:
    row = by_name(hand)["Licence savings"]
    lines = summary_text(row, 120).plain.split("\n")
    assert lines[0] == " ■ On track  Licence savings  Cash  owner Olu"
    assert lines[1] == "100 → 80 → 60 £k by 2026-12-10  50% realised  (latest 2026-10-01)"
    # Trend −0.5/day from (day 10, 90): at day 100 → 45 £k; (45 − 100)/(60 − 100) = 137.5 % → 138 %.
    assert lines[2] == "Trend → 45 £k by 2026-12-10 (138% of the change)  Enabling GRN  ■ G "
    assert summary_text(None).plain == "No benefit selected."


# ---------------------------------------------------------------------------------------- profile


def test_profile_text_is_one_line_per_item_on_narrow_terminals(hand: Model) -> None:
    row = by_name(hand)["Downtime"]
    wide = profile_text(row, 120).plain.split("\n")
    assert wide[0] == " ● Off track  Downtime  Non-cash  48% realised"
    assert wide[2].startswith("How/when measured ")
    assert (
        wide[3] == "Baseline 0 pts (2026-09-01) → target 100 pts by 2026-12-10 · latest 47.9 pts (2026-10-31)"
    )
    assert wide[5] == "Enabling projects ⚠ GRN  ■ G , RED  ● R   RED red: benefit threatened"
    narrow = profile_text(row, 40).plain.split("\n")
    assert narrow[2].startswith("Measured ")
    assert all(len(line) <= 38 for line in narrow) and narrow[3].endswith("…")


def test_measurements_newest_first_with_their_realisation(hand: Model) -> None:
    row = by_name(hand)["Licence savings"]
    rows = measurement_rows(row.status, 120)
    assert [texts(r)["date"] for r in rows] == ["2026-10-01", "2026-09-11"]
    # 80: (80 − 100)/(60 − 100) = 50 %; 90: 25 %.
    assert [texts(r)["pct"] for r in rows] == ["50%", "25%"]
    assert [r.sort["value"] for r in rows] == [80.0, 90.0]
    assert texts(rows[0])["note"] == "after the renewal"  # one line


def test_long_notes_are_cut_to_the_room_left(store, hand: Model) -> None:
    note = "Two racks powered down after Wave 1 of the migration."  # 53 characters
    bid = next(b["id"] for b in hand.rows("benefit") if b["name"] == "Training")
    store.insert("measurement", {"benefit": bid, "date": day(80), "value": 12, "note": note})
    row = by_name(build_model(store, TODAY))["Training"]
    assert texts(measurement_rows(row.status, 120)[0])["note"] == note[:23] + "…"  # 24 beside the chart
    assert texts(measurement_rows(row.status, 80)[0])["note"] == note[:39] + "…"  # 80 − 40 under it
    # (12 − 10)/(20 − 10) = 20 %.
    assert texts(measurement_rows(row.status, 80)[0])["pct"] == "20%"


def test_linked_projects_with_their_rag_and_slip(store, hand: Model) -> None:
    downtime = by_name(hand)["Downtime"]
    rows = linked_project_rows(hand, downtime)
    assert [texts(r) for r in rows] == [
        {"code": "GRN", "name": "Project GRN", "rag": " ■ G ", "slip": "0d"},
        {"code": "RED", "name": "Project RED", "rag": " ● R* ", "slip": "0d"},  # overridden: starred
    ]
    assert [r.sort["rag"] for r in rows] == [2, 0]  # red sorts first
    assert linked_title(downtime).plain == "Enabling projects (2)"
    assert (
        linked_title(by_name(hand)["Training"]).plain
        == "Enabling projects (0) — none linked: E edits the benefit"
    )
    # RED forecasts 10 days late: slip +10d, bold; sorting by slip puts the worst first (−10).
    store.update("project", "RED", {"forecast_end": "2027-07-10"})
    late = linked_project_rows(build_model(store, TODAY), by_name(build_model(store, TODAY))["Downtime"])
    red = next(r for r in late if texts(r)["code"] == "RED")
    assert texts(red)["slip"] == "+10d" and red.sort["slip"] == -10


def test_measured_pct_never_shows_minus_zero(hand: Model) -> None:
    bs = by_name(hand)["Licence savings"].status
    # 100.1 against 100 → 60: (100.1 − 100)/(−40) = −0.25 % → shown as 0 %, not "-0%".
    assert measured_pct(100.1, bs) == 0.0
    assert measured_pct(110, bs) == pytest.approx(-25.0)
    assert measured_pct(None, bs) is None


def test_markup_in_a_name_is_shown_literally(store, hand: Model) -> None:
    add_benefit(store, "[bold red]x[/]", "non-cash", 0, 10, [])
    t = tracker(benefit_rows(build_model(store, TODAY)), 120, "status")
    assert "[bold red]x[/]" in [texts(r)["name"] for r in t.benefits]


def test_the_view_imports_no_textual() -> None:
    """view.py may use rich, the domain, the model and the textual-free widget helpers only."""
    tree = ast.parse(Path(view.__file__).read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    allowed = ("rich", "pgmtui.domain", "pgmtui.model", "pgmtui.widgets.cells", "pgmtui.widgets.badges",
               "pgmtui.widgets.format", "pgmtui.widgets.sparkline", "__future__", "collections", "dataclasses",
               "typing", "pendulum")  # fmt: skip
    assert all(m.startswith(allowed) for m in imported), sorted(imported)
