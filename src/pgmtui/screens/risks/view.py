"""Risks & RAID (key 3) as rows and text, free of textual: the heatmap's cell list and the register
(one `Row` per risk), the lines above them, one risk's detail and score history, and the issue /
assumption / decision lists. `screen.py` feeds these to RecordTables and Statics; the unit tests
(tests/ui/test_risks_view.py) check them without an app."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text

from pgmtui.domain.risk import DEFAULT_BANDS, inherent_score, residual_pi, residual_score, score
from pgmtui.domain.riskmap import (
    IMPACT_LABELS,
    PROBABILITY_LABELS,
    Cell,
    RiskFilter,
    ScorePoint,
    band_counts,
    cell_band,
    matches,
    position,
    review_overdue,
)
from pgmtui.model import Model
from pgmtui.screens.risks.followup_view import FOLLOW_TITLES, FOLLOW_VIEWS, follow_counts, follow_summary
from pgmtui.widgets.badges import BAND_LETTER, band_badge, literal
from pgmtui.widgets.cells import Column, Row
from pgmtui.widgets.format import date

RAID_KINDS = ("issue", "assumption", "decision")
RAID_TITLES = {"issue": "Issues", "assumption": "Assumptions", "decision": "Decisions"}
VIEWS = ("heatmap", "register", *RAID_KINDS, *FOLLOW_VIEWS)
VIEW_TITLES = {"heatmap": "Heatmap", "register": "Register", **RAID_TITLES, **FOLLOW_TITLES}
# Views listing one kind of record in a pane (a list and the highlighted item's detail).
PANE_VIEWS = (*RAID_KINDS, *FOLLOW_VIEWS)
SHORT_TITLES = {"heatmap": "Map", "register": "Reg", "issue": "Iss", "assumption": "Asm", "decision": "Dec",
                "action": "Act", "lesson": "Les"}  # fmt: skip
BASIS_TITLE = {"residual": "Residual", "inherent": "Inherent"}
TREND_STYLE = {"↑": "bold red", "↓": "bold green", "→": "dim", "+": "bold"}
TREND_GLYPH = {"new": "+"}  # logged since the last stand-up
# Sorting by the trend column: risks that got worse first, then new ones, unchanged, better.
TREND_RANK = {"↑": 0, "new": 1, "→": 2, "": 2, "↓": 3}
BAND_RANGES = {"Low": "1–4", "Medium": "5–9", "High": "10–14", "Critical": "15–25"}
BANDS_WORST_FIRST = ("Critical", "High", "Medium", "Low")


# ---------------------------------------------------------------------- cells of one risk


def trend_text(trend: str) -> Text:
    glyph = TREND_GLYPH.get(trend, trend) or " "
    return Text(glyph, style=TREND_STYLE.get(glyph, ""))


def score_text(risk: Mapping[str, Any]) -> Text:
    """`16 → 12 H`: inherent → residual score and the residual band (letter + colour)."""
    inh, res = inherent_score(risk), residual_score(risk)
    t = Text(f"{inh if inh is not None else '–'} → {res if res is not None else '–'} ")
    t.append_text(band_badge(DEFAULT_BANDS.band(res)))
    return t


def one_score(value: int | None) -> Text:
    """`12 H`: a score and its band letter, right-aligned on two digits."""
    band = DEFAULT_BANDS.band(value)
    if value is None or band is None:
        return Text("–", style="dim")
    return Text(f"{value:>2} {BAND_LETTER[band]}")


def review_text(risk: Mapping[str, Any], today: Any) -> Text:
    if review_overdue(risk, today):
        return Text(f"! {date(risk.get('review_date'))}", style="bold red")
    return Text(date(risk.get("review_date")), style="dim" if risk.get("status") == "closed" else "")


def risk_cells(risk: Mapping[str, Any], model: Model, basis: str = "residual") -> dict[str, Text | str]:
    """One risk's cells; the trend mark follows the score the view positions by."""
    closed = risk.get("status") == "closed"
    return {
        "trend": trend_text(model.trends(basis).get(risk["id"], "")),
        "id": str(risk["id"]),
        "project": literal(model.project_code(risk.get("project_id")) or "prog"),
        "title": Text(risk.get("title") or "", style="dim strike" if closed else ""),
        "owner": literal(risk.get("owner") or ""),
        "category": literal(risk.get("category") or ""),
        "score": score_text(risk),
        "inh": one_score(inherent_score(risk)),
        "res": one_score(residual_score(risk)),
        "proximity": literal(risk.get("proximity") or ""),
        "response": literal(risk.get("response") or ""),
        "review": review_text(risk, model.today),
        "status": Text(risk.get("status") or "", style="dim" if closed else ""),
    }


def risk_sort_values(risk: Mapping[str, Any], trend: str) -> dict[str, Any]:
    """What each risk column sorts by: scores highest first, trend worst first, empty values last
    (RecordTable puts None last either way). Project, title and the rest sort by their text."""
    inh, res = inherent_score(risk), residual_score(risk)
    return {
        "trend": TREND_RANK.get(trend, 1),
        "id": risk["id"],
        "owner": (risk.get("owner") or "").lower() or None,
        "category": (risk.get("category") or "").lower() or None,
        "score": -res if res is not None else None,
        "inh": -inh if inh is not None else None,
        "res": -res if res is not None else None,
        "proximity": risk.get("proximity") or None,
        "response": risk.get("response") or None,
        "review": risk.get("review_date") or None,
    }


class RiskRows:
    """Risk rows, rendered once and reused while nothing they show changed.

    A live refresh of a 5 000-risk register would otherwise render every risk again (0.85 s); the
    model keeps the dicts of unchanged rows, so a row is reused while its dict, its trend mark, its
    project's code and the day are the same, and a change re-renders one risk.
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[int, str], tuple[Mapping[str, Any], tuple[Any, ...], Row]] = {}

    def row(self, risk: Mapping[str, Any], model: Model, basis: str) -> Row:
        trend = model.trends(basis).get(risk["id"], "")
        stamp = (trend, model.project_code(risk.get("project_id")), model.today)
        key = (risk["id"], basis)
        cached = self._rows.get(key)
        if cached is not None and cached[0] is risk and cached[1] == stamp:
            return cached[2]
        row = Row(risk["id"], risk_cells(risk, model, basis), risk_sort_values(risk, trend))
        self._rows[key] = (risk, stamp, row)
        return row


# ---------------------------------------------------------------------- the heatmap's cell list

# Widths fit their formats ("↑", "123", "IAM", "16 → 12 H", "! 2026-11-22"); the risk title takes
# what is left. Proximity and response drop below 105 and 115 columns.
CELL_COLUMNS = (
    Column("trend", "", width=1),
    Column("id", "#", width=3),
    Column("project", "Proj", width=4),
    Column("title", "Risk", flex=True, min_width=16),
    Column.of_field("risk", "owner", width=12),
    Column("score", "Inh→Res", width=11),
    Column.of_field("risk", "proximity", width=12, min_screen=105),
    Column.of_field("risk", "response", width=8, min_screen=115),
    Column("review", "Review", width=12),
)


def by_cell_order(risk: Mapping[str, Any]) -> tuple[int, int, int]:
    """A cell's risks: highest residual score first, then highest inherent, then oldest."""
    return (-(residual_score(risk) or 0), -(inherent_score(risk) or 0), risk["id"])


def cell_rows(rows: RiskRows, model: Model, risks: Sequence[Mapping[str, Any]], basis: str) -> list[Row]:
    """The rows listed under the heatmap for one cell's risks (in the view's basis)."""
    return [rows.row(r, model, basis) for r in sorted(risks, key=by_cell_order)]


def cell_title(cell: Cell, count: int, basis: str) -> Text:
    """`P3 Possible × I3 Moderate = 9 M Medium · 2 risks (residual)` and the keys that act on it."""
    p, i = cell
    band = cell_band(cell)
    t = Text()
    t.append(f"P{p} {PROBABILITY_LABELS[p]} × I{i} {IMPACT_LABELS[i]}", style="bold")
    t.append(f" = {score(p, i)} ")
    t.append_text(band_badge(band))
    t.append(f" {band} · {count} risk{'s' if count != 1 else ''} ({basis})")
    t.append("  enter: list · enter on a risk: open", style="dim")
    return t


# ---------------------------------------------------------------------- the register

# Owner drops below 100 columns, status below 90, proximity 110, response 125, category 140.
REGISTER_COLUMNS = (
    Column("trend", "", width=1),
    Column("id", "#", width=3),
    Column("project", "Proj", width=4),
    Column("title", "Risk", flex=True, min_width=16),
    Column.of_field("risk", "owner", width=12, min_screen=100),
    Column.of_field("risk", "category", width=11, min_screen=140),
    Column("inh", "Inh", width=4),
    Column("res", "Res", width=4),
    Column.of_field("risk", "proximity", width=12, min_screen=110),
    Column.of_field("risk", "response", width=8, min_screen=125),
    Column("review", "Review", width=12),
    Column.of_field("risk", "status", width=6, min_screen=90),
)
REGISTER_SORT = "res"  # highest residual score first


def register_rows(rows: RiskRows, model: Model, risks: Sequence[Mapping[str, Any]]) -> list[Row]:
    """The register's rows (residual basis) oldest first; the table applies the user's sort."""
    return [rows.row(r, model, "residual") for r in sorted(risks, key=lambda r: r["id"])]


# ---------------------------------------------------------------------- the lines above the lists


def views_bar(model: Model, view: str, shown_risks: int, width: int = 200) -> Text:
    """`▸Heatmap  Register 58  Issues 9 … Actions 12 (3!)  v: next view`: the views, the current
    one marked; short names when the full ones do not fit the terminal."""
    counts: dict[str, str] = {name: str(len(model.rows(name))) for name in RAID_KINDS}
    counts.update(register=str(shown_risks), **follow_counts(model))
    for titles, hint in ((VIEW_TITLES, "   v: next view"), (SHORT_TITLES, "  v")):
        t = Text(no_wrap=True, overflow="ellipsis")
        for n, name in enumerate(VIEWS):
            label = titles[name] + (f" {counts[name]}" if name in counts else "")
            if name == view:
                t.append(f" ▸{label} ", style="bold reverse")
            else:
                t.append(f"  {label} ", style="dim" if n > 1 else "")
        t.append(hint, style="dim")
        if t.cell_len <= width:
            break
    return t


def summary(model: Model, view: str, basis: str, flt: RiskFilter, shown: Sequence[Mapping[str, Any]]) -> Text:
    """The line under the views: on the risk views the count per band, the moves since the
    stand-up, overdue reviews and unscored risks of what the filter shows; then the filter."""
    t = Text()
    if view in FOLLOW_VIEWS:
        t.append_text(follow_summary(model, view, flt))
    elif view in RAID_KINDS:
        t.append(f"{VIEW_TITLES[view]} of the RAID log", style="bold")
        t.append("  n new · e edit · c close/reopen · d delete · enter edit", style="dim")
    else:
        status = flt.risk_status()
        t.append(f"{BASIS_TITLE[basis]} view", style="bold")
        t.append(f" · {len(shown)} {'' if status in ('all', 'any', '*') else status + ' '}risks ")
        bands = band_counts(shown, basis)
        for band in BANDS_WORST_FIRST:
            t.append_text(band_badge(band, bands[band]))
            t.append(" ")
        trends = model.trends(basis)
        up = sum(1 for r in shown if trends.get(r["id"]) == "↑")
        down = sum(1 for r in shown if trends.get(r["id"]) == "↓")
        new = sum(1 for r in shown if trends.get(r["id"]) == "new")
        t.append(f" ↑{up} ↓{down} +{new} since stand-up")
        overdue = sum(1 for r in shown if review_overdue(r, model.today))
        if overdue:
            t.append(f" · ! {overdue} review{'s' if overdue != 1 else ''} overdue", style="bold red")
        unscored = sum(1 for r in shown if position(r, basis) is None)
        if unscored:
            t.append(f" · {unscored} unscored")
    if not flt.is_empty:
        t.append("  filter: ", style="bold")
        t.append(flt.describe())
    if flt.unknown:
        t.append(f"  (ignored: {' '.join(flt.unknown)})", style="bold red")
    return t


def legend(basis: str) -> Text:
    """The key beside the heatmap (wide terminals): bands and their score ranges, what a cell shows."""
    t = Text("Bands\n", style="bold")
    for band in BANDS_WORST_FIRST:
        t.append_text(band_badge(band))
        t.append(f" {band} {BAND_RANGES[band]}\n")
    t.append("\nCell: band letter, risks\n", style="dim")
    t.append("↑n rose, ↓n fell, +n new\nsince the last stand-up\n", style="dim")
    t.append(f"\nPositions: {basis}\n(i flips)", style="dim")
    return t


# ---------------------------------------------------------------------- one risk


def risk_head(risk: Mapping[str, Any], model: Model) -> Text:
    """The risk detail's heading: title, where it belongs, both scores, trend, review, version."""
    t = Text()
    t.append(f"#{risk['id']} ", style="bold")
    t.append(risk.get("title") or "", style="bold")
    t.append("\n")
    code = model.project_code(risk.get("project_id"))
    t.append(f"{code or 'Programme-level'} · {risk.get('kind') or 'threat'} · {risk.get('status') or 'open'}")
    t.append(" · category ")
    t.append(risk.get("category") or "–")
    t.append(" · owner ")
    t.append(risk.get("owner") or "–")
    t.append("\nInherent ")
    inh = inherent_score(risk)
    t.append(f"P{risk.get('probability')}×I{risk.get('impact')}={inh} ")
    t.append_text(band_badge(DEFAULT_BANDS.band(inh)))
    rp, ri = residual_pi(risk)
    res = residual_score(risk)
    t.append(f"  →  Residual P{rp}×I{ri}={res} ")
    t.append_text(band_badge(DEFAULT_BANDS.band(res)))
    trend = model.risk_trends.get(risk["id"], "")
    if trend:
        t.append("  since stand-up ")
        t.append_text(trend_text(trend))
        t.append({"↑": " worse", "↓": " better", "→": " unchanged", "new": " (new)"}.get(trend, ""))
    t.append("\nProximity ")
    t.append(risk.get("proximity") or "–")
    t.append(" · review ")
    t.append_text(review_text(risk, model.today))
    if review_overdue(risk, model.today):
        t.append(" (overdue)", style="bold red")
    t.append(f"\nv{risk['version']} · updated {str(risk.get('updated_at') or '')[:16].replace('T', ' ')} by ")
    t.append(risk.get("updated_by") or "–")
    return t


def cause_event_effect(risk: Mapping[str, Any]) -> Text:
    t = Text()
    for n, name in enumerate(("cause", "event", "effect")):
        if n:
            t.append("\n")
        t.append(f"{name.capitalize():<7} ", style="bold")
        t.append(risk.get(name) or "–")
    return t


def response_text(risk: Mapping[str, Any]) -> Text:
    t = Text()
    t.append("Response ", style="bold")
    t.append(risk.get("response") or "–")
    t.append(f"  ({'opportunity' if risk.get('kind') == 'opportunity' else 'threat'})", style="dim")
    t.append("\nActions  ", style="bold")
    t.append(risk.get("actions") or "–")
    return t


def history_text(points: Sequence[ScorePoint]) -> Text:
    """The score history, one line per change: when, who, P×I=inherent → P×I=residual, band, what."""
    if not points:
        return Text("No score changes recorded.", style="dim")
    t = Text()
    for n, pt in enumerate(points):
        if n:
            t.append("\n")
        t.append(pt.ts[:16].replace("T", " "), style="dim")
        t.append(f"  {pt.user:<10} ")
        t.append(
            f"P{pt.probability or '?'}×I{pt.impact or '?'}={pt.inherent if pt.inherent is not None else '–'}"
        )
        rp, ri = residual_pi(
            {
                "probability": pt.probability,
                "impact": pt.impact,
                "residual_probability": pt.residual_probability,
                "residual_impact": pt.residual_impact,
            }
        )
        t.append(f" → P{rp or '?'}×I{ri or '?'}={pt.residual if pt.residual is not None else '–'} ")
        t.append_text(band_badge(DEFAULT_BANDS.band(pt.residual)))
        t.append(f"  {pt.note}", style="italic")
    return t


def history_unavailable(error: Exception) -> Text:
    return Text(f"history unavailable: {error}", style="red")


# ---------------------------------------------------------------------- issues / assumptions / decisions

# Statuses in which an item still needs attention (its due date can be overdue).
ACTIVE_STATUSES = {
    "issue": ("open", "in progress"),
    "assumption": ("open",),
    "decision": ("needed", "deferred"),
}
PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def is_overdue(kind: str, row: Mapping[str, Any], today: Any) -> bool:
    due = row.get("due_date")
    return bool(due) and row.get("status") in ACTIVE_STATUSES[kind] and str(due) < today.isoformat()


def raid_columns(kind: str) -> tuple[Column, ...]:
    """Owner drops below 90 columns, priority 100, decided 110, raised 120; the title takes the rest."""
    columns = [
        Column("id", "#", width=3),
        Column("project", "Proj", width=4),
        Column.of_field(kind, "title", flex=True, min_width=16),
        Column.of_field(kind, "owner", width=14, min_screen=90),
        Column.of_field(kind, "status", width=11),
        Column.of_field(kind, "priority", width=8, min_screen=100),
        Column("raised", "Raised", width=10, min_screen=120),
        Column("due", "Due", width=12),
    ]
    if kind == "decision":
        columns.append(Column("decided", "Decided", width=10, min_screen=110))
    return tuple(columns)


def raid_cells(kind: str, row: Mapping[str, Any], model: Model) -> dict[str, Text | str]:
    overdue = is_overdue(kind, row, model.today)
    due = Text(("! " if overdue else "") + date(row.get("due_date")), style="bold red" if overdue else "")
    status = row.get("status") or ""
    return {
        "id": str(row["id"]),
        "project": literal(model.project_code(row.get("project_id")) or "prog"),
        "title": literal(row.get("title")),
        "owner": literal(row.get("owner") or ""),
        "status": Text(status, style="" if status in ACTIVE_STATUSES[kind] else "dim"),
        "priority": Text(
            row.get("priority") or "", style="bold" if row.get("priority") in ("high", "critical") else ""
        ),
        "raised": date(row.get("raised_date")),
        "due": due,
        "decided": date(row.get("decided_date")),
    }


def raid_order(kind: str, row: Mapping[str, Any]) -> tuple[Any, ...]:
    """A RAID list's order: items needing attention first, then by priority, due date, age."""
    active = row.get("status") in ACTIVE_STATUSES[kind]
    return (
        0 if active else 1,
        PRIORITY_RANK.get(row.get("priority") or "", 4),
        row.get("due_date") or "9999-99-99",
        row["id"],
    )


def raid_sort_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """Sorting a RAID list by a column: priority most urgent first, dates as dates, empty last."""
    return {
        "id": row["id"],
        "owner": (row.get("owner") or "").lower() or None,
        "priority": PRIORITY_RANK.get(row.get("priority") or ""),
        "raised": row.get("raised_date") or None,
        "due": row.get("due_date") or None,
        "decided": row.get("decided_date") or None,
    }


def raid_items(model: Model, kind: str, flt: RiskFilter) -> list[dict[str, Any]]:
    """The items of one RAID list the filter lets through (every status unless it names one)."""
    rows = [
        r
        for r in model.rows(kind)
        if matches(
            r, flt, model.project_code, default_status=None, text_fields=("title", "owner", "description")
        )
    ]
    rows.sort(key=lambda r: raid_order(kind, r))
    return rows


def raid_rows(model: Model, kind: str, flt: RiskFilter) -> list[Row]:
    return [
        Row(r["id"], raid_cells(kind, r, model), raid_sort_values(r)) for r in raid_items(model, kind, flt)
    ]


def raid_detail(kind: str, row: Mapping[str, Any] | None, model: Model) -> Text:
    """The highlighted item under a RAID list: everything about it in three lines."""
    if row is None:
        return Text(f"No {kind} selected.", style="dim")
    t = Text()
    t.append(f"{kind.capitalize()} #{row['id']} ", style="bold")
    t.append(row.get("title") or "")
    t.append("\n")
    t.append(f"Project {model.project_code(row.get('project_id')) or 'programme-level'}")
    t.append(
        f" · owner {row.get('owner') or '–'} · {row.get('status') or '–'} · priority {row.get('priority') or '–'}"
    )
    t.append(f" · raised {date(row.get('raised_date'))} · due {date(row.get('due_date'))}")
    if is_overdue(kind, row, model.today):
        t.append(" OVERDUE", style="bold red")
    if kind == "decision" and row.get("decided_date"):
        t.append(f" · decided {date(row.get('decided_date'))}")
    t.append(f" · v{row.get('version')} by {row.get('updated_by') or '–'}", style="dim")
    if row.get("description"):
        t.append("\n")
        t.append(row["description"])
    return t


def toggle_status(kind: str, row: Mapping[str, Any], today: Any) -> tuple[dict[str, Any], str]:
    """`c` on a risk or RAID item: close an active one, reopen a finished one. Returns (changes, verb)."""
    status = row.get("status")
    if kind == "risk":
        return ({"status": "open"}, "reopened") if status == "closed" else ({"status": "closed"}, "closed")
    if kind == "decision":
        if status in ACTIVE_STATUSES["decision"]:
            changes: dict[str, Any] = {"status": "made"}
            if not row.get("decided_date"):
                changes["decided_date"] = today.isoformat()
            return changes, "marked made"
        return {"status": "needed"}, "reopened"
    if status in ACTIVE_STATUSES[kind]:
        return {"status": "closed"}, "closed"
    return {"status": "open"}, "reopened"
