"""Risks (key 3): the 5×5 heatmap, the risk register and the rest of the RAID log, live.

Views (`v` cycles, `t` flips heatmap ⇄ register): Heatmap · Register · Issues · Assumptions ·
Decisions. On the heatmap the arrow keys move over cells; the highlighted cell's risks are listed
below it and `enter` drills in (enter again opens a risk: cause / event / effect, response, actions
and its score history from the audit trail). `i` flips between inherent and residual positions.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import ContentSwitcher, DataTable, Input, Select, Static

from pgmtui.domain.risk import DEFAULT_BANDS, inherent_score, residual_pi, residual_score, score
from pgmtui.domain.riskmap import (
    IMPACT_LABELS,
    PROBABILITY_LABELS,
    RiskFilter,
    ScorePoint,
    band_counts,
    cell_band,
    cell_counts,
    cell_trends,
    cells_of,
    matches,
    parse_filter,
    position,
    review_overdue,
    score_history,
)
from pgmtui.model import Model
from pgmtui.records.fields import KINDS, OPPORTUNITY_RESPONSES, THREAT_RESPONSES
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.raid import RAID_KINDS, RAID_TITLES, Col, RaidPane, SyncTable, toggle_status
from pgmtui.store import ConflictError, Store, StoreError
from pgmtui.widgets.badges import BAND_LETTER, band_badge, literal
from pgmtui.widgets.format import date
from pgmtui.widgets.heatmap import RiskHeatmap

VIEWS = ("heatmap", "register", *RAID_KINDS)
VIEW_TITLES = {"heatmap": "Heatmap", "register": "Register", **RAID_TITLES}
RISK_FORM_FIELDS = KINDS["risk"].names
TREND_STYLE = {"↑": "bold red", "↓": "bold green", "→": "dim", "+": "bold"}
TREND_GLYPH = {"new": "+"}  # logged since the last stand-up
BASIS_TITLE = {"residual": "Residual", "inherent": "Inherent"}


# ---------------------------------------------------------------------- cells shared by the tables


def trend_text(trend: str) -> Text:
    glyph = TREND_GLYPH.get(trend, trend) or " "
    return Text(glyph, style=TREND_STYLE.get(glyph, ""))


def score_text(risk: dict[str, Any]) -> Text:
    """`16 → 12 H`: inherent → residual score and the residual band (letter + colour)."""
    inh, res = inherent_score(risk), residual_score(risk)
    t = Text(f"{inh if inh is not None else '–'} → {res if res is not None else '–'} ")
    t.append_text(band_badge(DEFAULT_BANDS.band(res)))
    return t


def one_score(value: int | None) -> Text:
    band = DEFAULT_BANDS.band(value)
    if value is None or band is None:
        return Text("–", style="dim")
    return Text(f"{value:>2} {BAND_LETTER[band]}")


def review_text(risk: dict[str, Any], today: Any) -> Text:
    if review_overdue(risk, today):
        return Text(f"! {date(risk.get('review_date'))}", style="bold red")
    return Text(date(risk.get("review_date")), style="dim" if risk.get("status") == "closed" else "")


def risk_cells(risk: dict[str, Any], model: Model, basis: str = "residual") -> dict[str, Any]:
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


def _fit_title(columns: list[Col], width: int) -> list[Col]:
    """Give the title column whatever width the others leave (at least 16)."""
    fixed = sum((c.width or 10) + 2 for c in columns if c.key != "title")
    title_w = max(16, width - fixed - 4)
    return [Col(c.key, c.label, title_w, c.min_screen) if c.key == "title" else c for c in columns]


CELL_COLUMNS = (
    Col("trend", "", 1),
    Col("id", "#", 3),
    Col("project", "Proj", 4),
    Col("title", "Risk"),
    Col("owner", "Owner", 12),
    Col("score", "Inh→Res", 11),
    Col("proximity", "Proximity", 12, 105),
    Col("response", "Response", 8, 115),
    Col("review", "Review", 12),
)

REGISTER_COLUMNS = (
    Col("trend", "", 1),
    Col("id", "#", 3),
    Col("project", "Proj", 4),
    Col("title", "Risk"),
    Col("owner", "Owner", 12, 100),
    Col("category", "Category", 11, 140),
    Col("inh", "Inh", 4),
    Col("res", "Res", 4),
    Col("proximity", "Proximity", 12, 110),
    Col("response", "Response", 8, 125),
    Col("review", "Review", 12),
    Col("status", "Status", 6, 90),
)

TREND_RANK = {"↑": 0, "new": 1, "→": 2, "": 2, "↓": 3}


def register_sort_value(risk: dict[str, Any], key: str, model: Model) -> Any:
    big = 99
    return {
        "trend": TREND_RANK.get(model.risk_trends.get(risk["id"], ""), 1),
        "id": risk["id"],
        "project": (model.project_code(risk.get("project_id")) or "").lower(),
        "title": (risk.get("title") or "").lower(),
        "owner": (risk.get("owner") or "~").lower(),
        "category": (risk.get("category") or "~").lower(),
        "inh": -(inherent_score(risk) or -big),
        "res": -(residual_score(risk) or -big),
        "proximity": risk.get("proximity") or "~",
        "response": risk.get("response") or "~",
        "review": risk.get("review_date") or "9999",
        "status": risk.get("status") or "",
    }[key]


# ---------------------------------------------------------------------- forms


class RiskForm(RecordForm):
    """The risk form: the response list follows the risk's kind (threat vs opportunity responses)."""

    def on_mount(self) -> None:  # RecordForm.on_mount also runs (Textual dispatches along the MRO)
        self._fit_responses()

    @on(Select.Changed, "#field-kind")
    def _kind_changed(self) -> None:
        self._fit_responses()

    def _fit_responses(self) -> None:
        kind = self.query_one("#field-kind", Select).value
        response = self.query_one("#field-response", Select)
        choices = OPPORTUNITY_RESPONSES if kind == "opportunity" else THREAT_RESPONSES
        if getattr(self, "_response_choices", None) == choices:
            return
        self._response_choices = choices
        current = response.value
        response.set_options([(c, c) for c in choices])
        if current in choices:
            response.value = current


class RescoreScreen(ModalScreen[int | None]):
    """Re-score a risk by keyboard: 1–5 sets the highlighted P or I, ←/→ (tab) moves, 0 clears a
    residual value (= same as inherent), enter saves, escape cancels."""

    SLOTS = ("probability", "impact", "residual_probability", "residual_impact")
    SLOT_TITLES = ("Inherent P", "Inherent I", "Residual P", "Residual I")

    BINDINGS = [
        *(Binding(str(n), f"set_value({n})", f"Set {n}", show=False) for n in range(1, 6)),
        *(Binding(str(n), f"out_of_range({n})", "Out of range", show=False) for n in (0, 6, 7, 8, 9)),
        Binding("left", "move(-1)", "Previous", show=False),
        Binding("right", "move(1)", "Next", show=False),
        Binding("shift+tab", "move(-1)", "Previous", show=False),
        Binding("tab", "move(1)", "Next", show=False),
        Binding("backspace", "clear", "Clear residual", show=False),
        Binding("delete", "clear", "Clear residual", show=False),
        Binding("enter", "save", "Save"),
        Binding("ctrl+s", "save", "Save", show=False),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, risk: dict[str, Any]) -> None:
        super().__init__()
        self.risk = risk
        self.version = risk["version"]
        self.values: dict[str, int | None] = {k: risk.get(k) for k in self.SLOTS}
        self.slot = 2 if risk.get("residual_probability") is not None else 0
        self.saving = False
        self.message = "1–5 sets the highlighted value · ←/→ move · 0 or backspace clears a residual value"
        self.error = False

    def compose(self) -> ComposeResult:
        with Vertical(id="rescore"):
            yield Static(id="rescore-title")
            yield Static(id="rescore-slots")
            yield Static(id="rescore-message")
            yield Static(Text("enter save · escape cancel", style="dim"))

    def on_mount(self) -> None:
        self.watch(self.app, "model", self._model_changed, init=False)
        self._draw()

    def _draw(self) -> None:
        title = Text("Re-score ", style="bold")
        title.append(f"#{self.risk['id']} ")
        title.append(self.risk.get("title") or "")
        self.query_one("#rescore-title", Static).update(title)
        t = Text()
        for n, (slot, label) in enumerate(zip(self.SLOTS, self.SLOT_TITLES, strict=True)):
            value = self.values[slot]
            shown = str(value) if value is not None else ("=" if n >= 2 else "?")
            t.append(f" {label} ")
            t.append(
                f"{'▸' if n == self.slot else ' '}{shown}{'◂' if n == self.slot else ' '}",
                style="reverse bold" if n == self.slot else "bold",
            )
            if n == 1:
                t.append("   ")
        inh = score(self.values["probability"], self.values["impact"])
        res = score(*residual_pi(self.values))
        t.append("\n Inherent ")
        t.append_text(self._score(inh))
        t.append("   →   Residual ")
        t.append_text(self._score(res))
        p, i = residual_pi(self.values)
        if p and i:
            t.append(
                f"\n Residual: {PROBABILITY_LABELS.get(p, '?')} × {IMPACT_LABELS.get(i, '?')}", style="dim"
            )
        self.query_one("#rescore-slots", Static).update(t)
        msg = self.query_one("#rescore-message", Static)
        msg.update(Text(self.message, style="bold red" if self.error else "dim"))

    @staticmethod
    def _score(value: int | None) -> Text:
        if value is None:
            return Text("–")
        band = DEFAULT_BANDS.band(value)
        t = Text(f"{value} ")
        t.append_text(band_badge(band))
        t.append(f" {band}")
        return t

    def _say(self, message: str, error: bool = False) -> None:
        self.message, self.error = message, error
        self._draw()

    def action_set_value(self, n: int) -> None:
        self.values[self.SLOTS[self.slot]] = n
        self.slot = min(self.slot + 1, len(self.SLOTS) - 1)
        self._say(f"{self.SLOT_TITLES[self.slot - 1] if self.slot else ''} set to {n}".strip())

    def action_out_of_range(self, n: int) -> None:
        self._say(f"{self.SLOT_TITLES[self.slot]} must be from 1 to 5 (got {n}); not changed.", error=True)

    def action_move(self, step: int) -> None:
        self.slot = (self.slot + step) % len(self.SLOTS)
        self._draw()

    def action_clear(self) -> None:
        if self.slot < 2:
            self._say("Inherent P and I are required (1–5); only residual values can be cleared.", error=True)
            return
        self.values[self.SLOTS[self.slot]] = None
        self._say(f"{self.SLOT_TITLES[self.slot]} cleared (falls back to the inherent value).")

    def action_save(self) -> None:
        if self.saving:
            return
        changes = {k: v for k, v in self.values.items() if v != self.risk.get(k)}
        if not changes:
            self.dismiss(None)
            return
        if any(self.values[k] is None for k in self.SLOTS[:2]):
            self._say("Inherent P and I are required (1–5).", error=True)
            return
        self.saving = True
        self._say("Saving…")
        rid, version = self.risk["id"], self.version
        self.app.write(
            lambda store: store.update("risk", rid, changes, expected_version=version),
            done=lambda _: self._saved(),
            failed=self._failed,
        )

    def _saved(self) -> None:
        self.saving = False
        self.app.notify(f"Risk #{self.risk['id']} re-scored", timeout=2)
        self.dismiss(self.risk["id"])

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        if isinstance(exc, ConflictError):
            self._say(f"Not saved: {exc}. ctrl+r loads their version.", error=True)
        else:
            self._say(f"Not saved: {exc}", error=True)

    def _model_changed(self, model: Model | None) -> None:
        if model is None or self.saving:
            return
        current = model.row("risk", self.risk["id"])
        if current is None:
            self._say("This risk was deleted by someone else. Escape to close.", error=True)
        elif current["version"] != self.version:
            self._say(
                f"Changed by {current['updated_by']} (version {current['version']}); "
                "ctrl+r loads their scores, saving now would be refused.",
                error=True,
            )

    def action_reload(self) -> None:
        model = getattr(self.app, "model", None)
        current = model.row("risk", self.risk["id"]) if model else None
        if current is not None:
            self.risk, self.version = current, current["version"]
            self.values = {k: current.get(k) for k in self.SLOTS}
            self._say(f"Loaded version {self.version}.")

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------------- shared risk actions


class RiskActions:
    """n / e / p / c / d on a risk: shared by the risks screen and the risk detail screen."""

    app: Any

    def _risk_row(self, rid: int | None) -> dict[str, Any] | None:
        model = getattr(self.app, "model", None)
        return model.row("risk", rid) if (model is not None and rid is not None) else None

    def edit_risk(self, rid: int | None, after: Any = None) -> None:
        risk = self._risk_row(rid)
        if risk is not None:
            self.app.push_screen(RiskForm("risk", risk, fields=RISK_FORM_FIELDS), after)

    def rescore_risk(self, rid: int | None, after: Any = None) -> None:
        risk = self._risk_row(rid)
        if risk is not None:
            self.app.push_screen(RescoreScreen(risk), after)

    def close_reopen_risk(self, rid: int | None) -> None:
        risk = self._risk_row(rid)
        if risk is None:
            return
        changes, verb = toggle_status("risk", risk, self.app.model.today)
        version = risk["version"]
        self.app.write(
            lambda store: store.update("risk", rid, changes, expected_version=version),
            done=lambda _: self.app.notify(f"Risk #{rid} {verb}", timeout=2),
        )

    def delete_risk(self, rid: int | None, after: Any = None) -> None:
        risk = self._risk_row(rid)
        if risk is not None:
            confirm_delete(
                self,
                "risk",
                risk,
                f"#{rid}",
                detail=f"“{risk.get('title')}”. Closing (c) keeps it in the register; the audit trail keeps "
                "the deletion.",
                after=after,
            )


# ---------------------------------------------------------------------- the screen


class RisksScreen(RiskActions, PgmScreen):
    SCREEN_TITLE = "Risks & RAID"
    CSS_PATH = "risks.tcss"
    HELP = (
        "The risk heatmap: probability × impact, each cell coloured by band and showing its band letter, "
        "the number of risks in it and ↑/↓ for risks whose score rose/fell since the last stand-up. "
        "Arrows move over cells (the cell's risks are listed below), enter drills in, enter on a risk "
        "opens it. i flips inherent/residual positions, t the register, v cycles Heatmap · Register · "
        "Issues · Assumptions · Decisions. Filter with / : words, project:IAM,CLD (project:programme for "
        "programme-level), category:, owner:, proximity:imminent (this-stage, 2026-12), status:closed|all."
    )

    BINDINGS = [
        Binding("i", "toggle_basis", "Inh/Res"),
        Binding("t", "toggle_register", "Register"),
        Binding("v", "next_view", "View"),
        Binding("V", "prev_view", "Previous view", show=False, key_display="V"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("p", "rescore", "Re-score"),
        Binding("c", "close_reopen", "Close/reopen"),
        Binding("d", "delete", "Delete", show=False),
        Binding("s", "sort_next", "Sort", show=False),
        Binding("S", "sort_reverse", "Reverse sort", show=False, key_display="S"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "heatmap"
        self.basis = "residual"
        self.filter_text = ""
        self.flt = RiskFilter()
        self.sort_key = "res"
        self.sort_reverse = False
        self._pending_risk: int | None = None
        self._cell: tuple[int, int] = (3, 3)
        self._shown_cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
        # risk id → (row dict, trend, basis, today, rendered cells). The refresh reuses the dicts of
        # unchanged rows, so a live change re-renders one risk, not the whole 5 000-row register.
        self._cells_cache: dict[int, tuple[Any, str, str, Any, dict[str, Any]]] = {}
        self.filtered: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ layout

    def compose_body(self) -> ComposeResult:
        yield Static(id="risk-views")
        yield Static(id="risk-summary")
        yield Input(
            placeholder="filter: words project:IAM category:tech owner:asha proximity:imminent status:all",
            id="risk-filter",
        )
        with ContentSwitcher(id="risk-switcher", initial="heatmap-pane"):
            with Vertical(id="heatmap-pane"):
                with Horizontal(id="heatmap-row"):
                    yield RiskHeatmap(id="heatmap")
                    yield Static(id="heatmap-legend")
                yield Static(id="cell-title")
                yield SyncTable(id="cell-risks")
            with Vertical(id="register-pane"):
                yield SyncTable(id="register")
            for kind in RAID_KINDS:
                yield RaidPane(kind, id=f"{kind}-pane")

    def on_mount(self) -> None:  # PgmScreen.on_mount runs next and renders the model
        self.query_one("#risk-filter").display = False
        self.query_one("#heatmap", RiskHeatmap).focus()

    @property
    def heatmap(self) -> RiskHeatmap:
        return self.query_one("#heatmap", RiskHeatmap)

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    # ------------------------------------------------------------------ rendering

    def show_model(self, model: Model) -> None:
        self.flt = parse_filter(self.filter_text)
        risks = model.rows("risk")
        self.filtered = [r for r in risks if matches(r, self.flt, model.project_code)]
        by_cell = cells_of(self.filtered, self.basis)
        self._shown_cells = by_cell
        self.heatmap.set_data(
            cell_counts(self.filtered, self.basis), cell_trends(by_cell, model.trends(self.basis))
        )
        self._render_views(model)
        self._render_summary(model)
        self._render_legend()
        self._render_view(model)
        if self._pending_risk is not None and model.row("risk", self._pending_risk) is not None:
            rid, self._pending_risk = self._pending_risk, None
            self.select_risk(rid)

    def _render_view(self, model: Model) -> None:
        if self.view == "heatmap":
            self._render_cell(model)
        elif self.view == "register":
            self._render_register(model)
        else:
            self.query_one(f"#{self.view}-pane", RaidPane).show(model, self.flt, self._width())

    def _render_views(self, model: Model) -> None:
        t = Text()
        for n, view in enumerate(VIEWS):
            label = VIEW_TITLES[view]
            if view in RAID_KINDS:
                label += f" {len(model.rows(view))}"
            elif view == "register":
                label += f" {len(self.filtered)}"
            if view == self.view:
                t.append(f" ▸{label} ", style="bold reverse")
            else:
                t.append(f"  {label} ", style="dim" if n > 1 else "")
        t.append("   v: next view", style="dim")
        self.query_one("#risk-views", Static).update(t)

    def _render_summary(self, model: Model) -> None:
        shown = self.filtered
        status = self.flt.risk_status()
        t = Text()
        if self.view in RAID_KINDS:
            t.append(f"{VIEW_TITLES[self.view]} of the RAID log", style="bold")
            t.append("  n new · e edit · c close/reopen · d delete · enter edit", style="dim")
        else:
            t.append(f"{BASIS_TITLE[self.basis]} view", style="bold")
            t.append(f" · {len(shown)} {'' if status in ('all', 'any', '*') else status + ' '}risks ")
            bands = band_counts(shown, self.basis)
            for band in ("Critical", "High", "Medium", "Low"):
                t.append_text(band_badge(band, bands[band]))
                t.append(" ")
            trends = model.trends(self.basis)
            up = sum(1 for r in shown if trends.get(r["id"]) == "↑")
            down = sum(1 for r in shown if trends.get(r["id"]) == "↓")
            new = sum(1 for r in shown if trends.get(r["id"]) == "new")
            t.append(f" ↑{up} ↓{down} +{new} since stand-up")
            overdue = sum(1 for r in shown if review_overdue(r, model.today))
            if overdue:
                t.append(f" · ! {overdue} review{'s' if overdue != 1 else ''} overdue", style="bold red")
            unscored = sum(1 for r in shown if position(r, self.basis) is None)
            if unscored:
                t.append(f" · {unscored} unscored")
        if not self.flt.is_empty:
            t.append("  filter: ", style="bold")
            t.append(self.flt.describe())
        if self.flt.unknown:
            t.append(f"  (ignored: {' '.join(self.flt.unknown)})", style="bold red")
        self.query_one("#risk-summary", Static).update(t)

    def _render_legend(self) -> None:
        legend = self.query_one("#heatmap-legend", Static)
        wide = self._width() >= 130
        legend.display = wide
        if not wide:
            return
        t = Text("Bands\n", style="bold")
        ranges = {"Low": "1–4", "Medium": "5–9", "High": "10–14", "Critical": "15–25"}
        for band in ("Critical", "High", "Medium", "Low"):
            t.append_text(band_badge(band))
            t.append(f" {band} {ranges[band]}\n")
        t.append("\nCell: band letter, risks\n", style="dim")
        t.append("↑n rose, ↓n fell, +n new\nsince the last stand-up\n", style="dim")
        t.append(f"\nPositions: {self.basis}\n(i flips)", style="dim")
        legend.update(t)

    def _cell_columns(self) -> list[Col]:
        width = self._width()
        return _fit_title([c for c in CELL_COLUMNS if width >= c.min_screen], width)

    def _render_cell(self, model: Model) -> None:
        cell = self.heatmap.cursor
        self._cell = cell
        rows = sorted(
            self._shown_cells.get(cell, []),
            key=lambda r: (-(residual_score(r) or 0), -(inherent_score(r) or 0), r["id"]),
        )
        band = cell_band(cell)
        t = Text()
        t.append(
            f"P{cell[0]} {PROBABILITY_LABELS[cell[0]]} × I{cell[1]} {IMPACT_LABELS[cell[1]]}", style="bold"
        )
        t.append(f" = {score(*cell)} ")
        t.append_text(band_badge(band))
        t.append(f" {band} · {len(rows)} risk{'s' if len(rows) != 1 else ''} ({self.basis})")
        t.append("  enter: list · enter on a risk: open", style="dim")
        self.query_one("#cell-title", Static).update(t)
        self.query_one("#cell-risks", SyncTable).sync(
            self._cell_columns(), [(r["id"], self._cells(r, model, self.basis)) for r in rows]
        )

    def _cells(self, risk: dict[str, Any], model: Model, basis: str) -> dict[str, Any]:
        trend = model.trends(basis).get(risk["id"], "")
        cached = self._cells_cache.get(risk["id"])
        if cached is not None:
            row, old_trend, old_basis, old_today, cells = cached
            if row is risk and old_trend == trend and old_basis == basis and old_today == model.today:
                return cells
        cells = risk_cells(risk, model, basis)
        self._cells_cache[risk["id"]] = (risk, trend, basis, model.today, cells)
        return cells

    def _render_register(self, model: Model) -> None:
        width = self._width()
        columns = _fit_title([c for c in REGISTER_COLUMNS if width >= c.min_screen], width)
        rows = sorted(
            self.filtered,
            key=lambda r: (register_sort_value(r, self.sort_key, model), r["id"]),
            reverse=self.sort_reverse,
        )
        self.query_one("#register", SyncTable).sync(
            columns,
            [(r["id"], self._cells(r, model, "residual")) for r in rows],
            sort=(self.sort_key, self.sort_reverse),
        )

    def on_resize(self, event: Resize) -> None:
        if self.model is not None:
            self.show_model(self.model)

    # ------------------------------------------------------------------ heatmap events

    @on(RiskHeatmap.CellHighlighted)
    def _cell_highlighted(self) -> None:
        if self.model is not None:
            self._render_cell(self.model)

    @on(RiskHeatmap.CellSelected)
    def _cell_selected(self, event: RiskHeatmap.CellSelected) -> None:
        table = self.query_one("#cell-risks", SyncTable)
        if table.row_count:
            table.focus()
        else:
            self.notify(
                f"No {self.flt.risk_status()} risks in P{event.cell[0]} × I{event.cell[1]}.", timeout=2
            )

    @on(DataTable.RowSelected, "#cell-risks, #register")
    def _risk_selected(self, event: DataTable.RowSelected) -> None:
        self.open_risk(int(str(event.row_key.value)))

    @on(DataTable.RowSelected, ".raid-pane DataTable")
    def _raid_selected(self) -> None:
        self.action_edit()

    @on(DataTable.HeaderSelected, "#register")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, False
        self._resort()

    # ------------------------------------------------------------------ views

    def set_view(self, view: str) -> None:
        self.view = view
        pane = {"heatmap": "heatmap-pane", "register": "register-pane"}.get(view, f"{view}-pane")
        self.query_one("#risk-switcher", ContentSwitcher).current = pane
        if self.model is not None:
            self.show_model(self.model)
        self._focus_view()
        self.refresh_bindings()

    def _focus_view(self) -> None:
        if self.view == "heatmap":
            self.heatmap.focus()
        elif self.view == "register":
            self.query_one("#register").focus()
        else:
            self.query_one(f"#{self.view}-table").focus()

    def action_next_view(self) -> None:
        self.set_view(VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)])

    def action_prev_view(self) -> None:
        self.set_view(VIEWS[(VIEWS.index(self.view) - 1) % len(VIEWS)])

    def action_toggle_register(self) -> None:
        self.set_view("heatmap" if self.view == "register" else "register")

    def action_toggle_basis(self) -> None:
        self.basis = "inherent" if self.basis == "residual" else "residual"
        if self.model is not None:
            self.show_model(self.model)  # the summary line says which view is showing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_basis", "rescore") and self.view in RAID_KINDS:
            return None
        if action in ("sort_next", "sort_reverse") and self.view != "register":
            return None
        return True

    # ------------------------------------------------------------------ filter and sort

    FILTER_ID = "risk-filter"

    def refilter(self) -> None:
        if self.model is not None:
            self.show_model(self.model)

    def focus_main(self) -> None:
        self._focus_view()

    def clear_filter(self) -> None:
        self.close_filter(focus=False)

    def action_back(self) -> None:
        box = self.query_one("#risk-filter", Input)
        if box.display and (box.has_focus or self.filter_text):
            self.clear_filter()
            self._focus_view()
        elif self.view == "heatmap" and self.query_one("#cell-risks").has_focus:
            self.heatmap.focus()
        elif self.view != "heatmap":
            self.set_view("heatmap")

    def _resort(self) -> None:
        if self.model is not None:
            self._render_register(self.model)
        label = next((c.label for c in REGISTER_COLUMNS if c.key == self.sort_key), self.sort_key) or "trend"
        self.notify(f"Sorted by {label}{' (reversed)' if self.sort_reverse else ''}", timeout=1.5)

    def action_sort_next(self) -> None:
        keys = [c.key for c in REGISTER_COLUMNS if self._width() >= c.min_screen]
        i = keys.index(self.sort_key) if self.sort_key in keys else -1
        self.sort_key, self.sort_reverse = keys[(i + 1) % len(keys)], False
        self._resort()

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._resort()

    # ------------------------------------------------------------------ selection

    def selected_risk_id(self) -> int | None:
        if self.view == "heatmap":
            return self.query_one("#cell-risks", SyncTable).selected_key()
        if self.view == "register":
            return self.query_one("#register", SyncTable).selected_key()
        return None

    def select_risk(self, rid: int) -> bool:
        """Put the cursor on a risk: its cell on the heatmap (and its row), or its register row."""
        model = self.model
        risk = model.row("risk", rid) if model else None
        if risk is None:
            return False
        if not matches(risk, self.flt, model.project_code):
            # Hidden by the filter: widen to every status, or drop the filter altogether.
            if self.filter_text:
                self.clear_filter()
            if not matches(risk, self.flt, model.project_code):
                self.filter_text = "status:all"
                box = self.query_one("#risk-filter", Input)
                box.value = self.filter_text
                box.display = True
                self.show_model(model)
        if self.view == "register":
            return self.query_one("#register", SyncTable).select_key(rid)
        if self.view != "heatmap":
            self.set_view("heatmap")
        cell = position(risk, self.basis)
        if cell is None:
            self.set_view("register")
            return self.query_one("#register", SyncTable).select_key(rid)
        self.heatmap.move_to(cell)
        self._render_cell(model)
        return self.query_one("#cell-risks", SyncTable).select_key(rid)

    def selected_raid(self) -> tuple[str, dict[str, Any] | None]:
        if self.view not in RAID_KINDS:
            return "", None
        return self.view, self.query_one(f"#{self.view}-pane", RaidPane).selected()

    # ------------------------------------------------------------------ opening and editing

    def open_risk(self, rid: int) -> None:
        self.app.push_screen(RiskDetailScreen(rid))

    def open_record(self, kind: str, record_id: int) -> None:
        """Palette / stand-up jumps: a risk opens on its cell; other RAID items are selected in their list."""
        model = self.model
        if model is None or model.row(kind, record_id) is None:
            self.notify(f"{kind} #{record_id} is not in the database (deleted?)", severity="warning")
            return
        if kind == "risk":
            self.select_risk(record_id)
            self.open_risk(record_id)
        elif kind in RAID_KINDS:
            if self.filter_text:
                self.clear_filter()
            self.set_view(kind)
            self.query_one(f"#{kind}-pane", RaidPane).table.select_key(record_id)

    def _new_defaults(self) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        projects = [p for p in self.flt.projects if p != "programme"]
        if len(projects) == 1 and self.model is not None:
            code = next(
                (r["code"] for r in self.model.rows("project") if r["code"].lower() == projects[0]), None
            )
            if code:
                defaults["project"] = code
        return defaults

    def action_new(self) -> None:
        defaults = self._new_defaults()
        if self.view in RAID_KINDS:
            if self.model is not None:
                defaults["raised_date"] = self.model.today.isoformat()
            self.app.push_screen(RecordForm(self.view, defaults=defaults), self._after_raid_save)
            return
        p, i = self.heatmap.cursor
        defaults.update({"probability": p, "impact": i, "status": "open", "kind": "threat"})
        title = "New risk (empty project = programme-level)"
        self.app.push_screen(
            RiskForm("risk", fields=RISK_FORM_FIELDS, defaults=defaults, title=title), self._after_risk_save
        )

    def _after_risk_save(self, rid: int | None) -> None:
        if rid is None:
            return
        if self.model is not None and self.model.row("risk", rid) is not None:
            self.select_risk(rid)
        else:
            self._pending_risk = rid

    def _after_raid_save(self, rid: int | None) -> None:
        if rid is not None and self.view in RAID_KINDS:
            pane = self.query_one(f"#{self.view}-pane", RaidPane)
            if not pane.table.select_key(rid):
                self.set_timer(0.3, lambda: pane.table.select_key(rid))

    def action_edit(self) -> None:
        kind, row = self.selected_raid()
        if row is not None:
            self.app.push_screen(RecordForm(kind, row), self._after_raid_save)
            return
        self.edit_risk(self.selected_risk_id(), self._after_risk_save)

    def action_rescore(self) -> None:
        self.rescore_risk(self.selected_risk_id(), self._after_risk_save)

    def action_close_reopen(self) -> None:
        kind, row = self.selected_raid()
        if row is not None:
            changes, verb = toggle_status(kind, row, self.model.today)
            rid, version = row["id"], row["version"]
            self.app.write(
                lambda store: store.update(kind, rid, changes, expected_version=version),
                done=lambda _: self.notify(f"{kind.capitalize()} #{rid} {verb}", timeout=2),
            )
            return
        self.close_reopen_risk(self.selected_risk_id())

    def action_delete(self) -> None:
        kind, row = self.selected_raid()
        if row is not None:
            confirm_delete(self, kind, row, f"#{row['id']}", detail=f"“{row.get('title')}”")
            return
        self.delete_risk(self.selected_risk_id())

    def palette_commands(self):
        yield SystemCommand("New risk", "Log a risk (project or programme-level) (n)", self._palette_new_risk)
        yield SystemCommand("Toggle inherent / residual", "Heatmap positions (i)", self.action_toggle_basis)
        yield SystemCommand(
            "Risk register", "Sortable list of all risks (t)", lambda: self.set_view("register")
        )
        yield SystemCommand("Risk heatmap", "The 5×5 heatmap", lambda: self.set_view("heatmap"))
        for kind in RAID_KINDS:
            yield SystemCommand(
                f"RAID: {RAID_TITLES[kind]}",
                f"The {kind} list of the RAID log",
                lambda k=kind: self.set_view(k),
            )
        yield SystemCommand(
            "Filter risks", "project:, category:, owner:, proximity:, status: (/)", self.action_filter
        )

    def _palette_new_risk(self) -> None:
        if self.view in RAID_KINDS:
            self.set_view("heatmap")
        self.action_new()


# ---------------------------------------------------------------------- one risk


def history_text(points: list[ScorePoint]) -> Text:
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


class RiskDetailScreen(RiskActions, PgmScreen):
    SCREEN_TITLE = "Risk"
    CSS_PATH = "risks.tcss"
    HELP = (
        "One risk: scores inherent → residual with band and trend, cause / event / effect, response and "
        "actions, and its score history from the audit trail (every re-score, who and when)."
    )

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("e", "edit", "Edit"),
        Binding("p", "rescore", "Re-score"),
        Binding("c", "close_reopen", "Close/reopen"),
        Binding("d", "delete", "Delete"),
    ]

    def __init__(self, risk_id: int) -> None:
        super().__init__()
        self.risk_id = risk_id
        self._history_for = (-1, -1)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="risk-detail"):
            yield Static(id="risk-head", classes="headline")
            yield Static(Text("Cause · event · effect", style="bold"), classes="section-title")
            yield Static(id="risk-cee", classes="risk-block")
            yield Static(Text("Response and actions", style="bold"), classes="section-title")
            yield Static(id="risk-response", classes="risk-block")
            yield Static(Text("Score history (audit trail)", style="bold"), classes="section-title")
            yield Static(Text("loading…", style="dim"), id="risk-history", classes="risk-block")

    def on_mount(self) -> None:
        self.query_one("#risk-detail").focus()

    def show_model(self, model: Model) -> None:
        risk = model.row("risk", self.risk_id)
        if risk is None:
            self.query_one("#risk-head", Static).update(
                Text(f"Risk #{self.risk_id} was deleted. escape to go back.", style="bold red")
            )
            return
        self.query_one("#programme-header").set_title(f"Risk #{self.risk_id}")
        self.query_one("#risk-head", Static).update(self._head(risk, model))
        self.query_one("#risk-cee", Static).update(self._cee(risk))
        self.query_one("#risk-response", Static).update(self._response(risk))
        key = (risk["id"], risk["version"])
        if key != self._history_for:
            self._history_for = key
            self.load_history(risk)

    def _head(self, risk: dict[str, Any], model: Model) -> Text:
        t = Text()
        t.append(f"#{risk['id']} ", style="bold")
        t.append(risk.get("title") or "", style="bold")
        t.append("\n")
        code = model.project_code(risk.get("project_id"))
        t.append(
            f"{code or 'Programme-level'} · {risk.get('kind') or 'threat'} · {risk.get('status') or 'open'}"
        )
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
        t.append(
            f"\nv{risk['version']} · updated {str(risk.get('updated_at') or '')[:16].replace('T', ' ')} by "
        )
        t.append(risk.get("updated_by") or "–")
        return t

    @staticmethod
    def _cee(risk: dict[str, Any]) -> Text:
        t = Text()
        for n, name in enumerate(("cause", "event", "effect")):
            if n:
                t.append("\n")
            t.append(f"{name.capitalize():<7} ", style="bold")
            t.append(risk.get(name) or "–")
        return t

    @staticmethod
    def _response(risk: dict[str, Any]) -> Text:
        t = Text()
        t.append("Response ", style="bold")
        t.append(risk.get("response") or "–")
        t.append(f"  ({'opportunity' if risk.get('kind') == 'opportunity' else 'threat'})", style="dim")
        t.append("\nActions  ", style="bold")
        t.append(risk.get("actions") or "–")
        return t

    @work(thread=True, exclusive=True, group="risk-history")
    def load_history(self, risk: dict[str, Any]) -> None:
        store: Store | None = self.app.store
        if store is None:
            return
        from pgmtui.services import audit_rows  # user names and text made safe to show

        try:
            rows = audit_rows(store, table="risk", row_id=risk["id"])
        except StoreError as exc:
            self.app.from_worker(
                self.query_one("#risk-history", Static).update,
                Text(f"history unavailable: {exc}", style="red"),
            )
            return
        points = score_history(risk, rows)
        self.app.from_worker(self.query_one("#risk-history", Static).update, history_text(points))

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        self.edit_risk(self.risk_id)

    def action_rescore(self) -> None:
        self.rescore_risk(self.risk_id)

    def action_close_reopen(self) -> None:
        self.close_reopen_risk(self.risk_id)

    def action_delete(self) -> None:
        self.delete_risk(self.risk_id, after=self._deleted)

    def _deleted(self) -> None:
        if self.app.screen is self:
            self.dismiss()

    def open_record(self, kind: str, record_id: int) -> None:
        """A jump while a risk is open: go back to the risks screen and open from there."""
        app = self.app
        self.dismiss()

        def later() -> None:
            opener = getattr(app.screen, "open_record", None)
            if callable(opener) and app.screen is not self:
                opener(kind, record_id)

        app.call_after_refresh(later)

    def palette_commands(self):
        yield SystemCommand("Re-score risk", "P/I by keyboard (p)", self.action_rescore)
        yield SystemCommand("Edit risk", "All fields (e)", self.action_edit)
        yield SystemCommand("Close / reopen risk", "(c)", self.action_close_reopen)
