"""Benefits (key 4): the MSP benefits tracker, each benefit's profile with its chart, and measurements.

The tracker lists benefits and, apart, dis-benefits (accepted downsides) with baseline → latest →
target, realisation %, status from the trend projection, a sparkline of the history and the RAG of
the projects that enable each one. `enter` opens the profile: the full MSP profile, a chart of
actuals against the plan and the trend, and the measurement list (record, correct, delete).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pendulum
from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import DataTable, Input, Static

from pgmtui.domain.benefits import AT_RISK, NO_DATA, OFF_TRACK, ON_TRACK, REALISED, STATUSES, BenefitStatus
from pgmtui.domain.rollup import ProgrammeRollup
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.widgets.badges import RAG_GLYPH, RAG_STYLE, literal, rag_badge
from pgmtui.widgets.benefit_plot import BenefitPlot, PlotData, number
from pgmtui.widgets.format import date, pct
from pgmtui.widgets.sparkline import sparkline

BENEFIT_FORM_FIELDS = (
    "name",
    "kind",
    "owner",
    "description",
    "measure",
    "unit",
    "measurement_method",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "projects",
)
MEASUREMENT_FIELDS = ("benefit", "date", "value", "note")

STATUS_GLYPH = {REALISED: "✔", ON_TRACK: "■", AT_RISK: "▲", OFF_TRACK: "●", NO_DATA: "○"}
STATUS_STYLE = {
    REALISED: RAG_STYLE["G"],
    ON_TRACK: RAG_STYLE["G"],
    AT_RISK: RAG_STYLE["A"],
    OFF_TRACK: RAG_STYLE["R"],
    NO_DATA: "dim",
}
STATUS_RANK = {OFF_TRACK: 0, AT_RISK: 1, NO_DATA: 2, ON_TRACK: 3, REALISED: 4}  # worst first
KIND_SHORT = {"cash-releasing": "Cash", "non-cash": "Non-cash", "dis-benefit": "Dis-benefit"}
SPARK_WIDTH = 8
TALL = 34  # terminal rows from which the tracker also charts the selected benefit


def status_badge(status: str) -> Text:
    """`▲ At risk` on amber: glyph and word, so it reads without colour."""
    return Text(f" {STATUS_GLYPH.get(status, '?')} {status} ", style=STATUS_STYLE.get(status, ""))


_BADGES = {s: status_badge(s) for s in STATUSES}  # shared by table cells, which never change them


def value_text(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "–"
    return f"{number(value)} {unit}" if unit else number(value)


# ---------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class BenefitRow:
    """One benefit as the tracker shows it: its status, its record and its enabling projects."""

    status: BenefitStatus
    record: dict[str, Any]
    projects: tuple[tuple[int, str, str | None], ...]  # (project id, code, RAG)

    @property
    def id(self) -> int:
        return self.status.benefit_id

    @property
    def red_projects(self) -> list[str]:
        return [code for _, code, rag in self.projects if rag == "R"]

    @property
    def threatened(self) -> bool:
        """A red enabling project threatens a benefit not yet realised."""
        return bool(self.red_projects) and self.status.status != REALISED


def benefit_rows(model: Model) -> list[BenefitRow]:
    rag_of = {p.project_id: (p.code, p.rag.final) for p in model.rollup.projects}
    out = []
    for bs in model.rollup.benefits:
        record = model.row("benefit", bs.benefit_id) or {}
        links = []
        for pid in model.benefit_links.get(bs.benefit_id, []):
            code, rag = rag_of.get(pid, (model.project_code(pid) or f"#{pid}", None))
            links.append((pid, code, rag))
        links.sort(key=lambda x: x[1].lower())
        out.append(BenefitRow(bs, record, tuple(links)))
    return out


def projects_text(row: BenefitRow, *, words: bool = False) -> Text:
    """`⚠ CLD● IAM■`: each enabling project's code with its RAG glyph; ⚠ when one is red."""
    t = Text(no_wrap=True)
    if row.threatened:
        t.append("⚠ ", style="bold red")
    for i, (_, code, rag) in enumerate(row.projects):
        if i:
            t.append(", " if words else " ")
        t.append(code)
        if words:
            t.append(" ")
            t.append_text(rag_badge(rag))
        elif rag:
            t.append(RAG_GLYPH.get(rag, "?"), style=RAG_STYLE.get(rag, "").replace("on ", "").split()[-1])
    if not row.projects:
        t.append("–", style="dim")
    return t


def spark_of(bs: BenefitStatus, width: int = SPARK_WIDTH) -> str:
    bounds = [v for v in (bs.baseline_value, bs.target_value) if v is not None]
    return sparkline(bs.values, width, lo=min(bounds) if bounds else None, hi=max(bounds) if bounds else None)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # typical rendered width, to share the rest with the name
    min_width: int = 0  # screen width from which the column is shown
    max_width: int = 10_000  # screen width up to which it is shown


COLUMNS = (
    Column("name", "Benefit", 0),
    Column("kind", "Kind", 8, 150),
    Column("owner", "Owner", 14, 170),
    Column("measure", "Measure", 22, 190),
    Column("latest", "Latest/Target", 13, 90, 109),
    Column("values", "Baseline → Latest → Target", 24, 110),
    Column("pct", "Real.", 5),
    Column("due", "Target date", 11, 130),
    Column("status", "Status", 11),
    Column("spark", "History", SPARK_WIDTH),
    Column("projects", "Projects", 12),
)


def cells(row: BenefitRow, name_width: int, projects_width: int = 10_000) -> dict[str, Text | str]:
    bs, rec = row.status, row.record
    unit = rec.get("unit") or ""
    name = literal(bs.name)
    name.truncate(name_width, overflow="ellipsis")
    measure = literal(rec.get("measure") or "")
    if unit:
        measure.append(f" ({unit})", style="dim")
    values = Text(no_wrap=True)
    values.append(number(bs.baseline_value), style="dim")
    values.append(" → ")
    values.append(number(bs.latest), style="bold")
    values.append(" → ")
    values.append(number(bs.target_value))
    if unit and len(unit) <= 6:
        values.append(f" {unit}", style="dim")
    latest = Text(no_wrap=True)
    latest.append(number(bs.latest), style="bold")
    latest.append(f"/{number(bs.target_value)}")
    return {
        "name": name,
        "kind": KIND_SHORT.get(bs.kind, bs.kind),
        "owner": literal(rec.get("owner") or ""),
        "measure": measure,
        "latest": latest,
        "values": values,
        "pct": pct(bs.realisation_pct),
        "due": date(bs.target_date),
        "status": _BADGES.get(bs.status) or status_badge(bs.status),
        "spark": Text(spark_of(bs) or "–", style="#2e86c1" if bs.values else "dim"),
        "projects": _cut(projects_text(row), projects_width),
    }


def _cut(text: Text, width: int) -> Text:
    text.truncate(width, overflow="ellipsis")
    return text


def sort_value(row: BenefitRow, key: str) -> Any:
    bs = row.status
    big = float("inf")
    return {
        "status": (STATUS_RANK.get(bs.status, 9), -int(row.threatened)),
        "name": bs.name.lower(),
        "pct": bs.realisation_pct if bs.realisation_pct is not None else big,
        "due": bs.target_date.toordinal() if bs.target_date else big,
    }[key]


SORTS = (
    ("status", "status (worst first)"),
    ("name", "name"),
    ("pct", "realisation %"),
    ("due", "target date"),
)


def matches(row: BenefitRow, query: str) -> bool:
    """Words must all match; `status:risk`, `kind:cash`, `owner:ana`, `project:IAM` narrow by field."""
    rec = row.record
    for word in query.lower().split():
        field, sep, value = word.partition(":")
        if sep and field in ("status", "kind", "owner", "project"):
            if field == "status" and value not in row.status.status.lower():
                return False
            if field == "kind" and not row.status.kind.lower().startswith(value):
                return False
            if field == "owner" and value not in (rec.get("owner") or "").lower():
                return False
            if field == "project" and not any(code.lower().startswith(value) for _, code, _ in row.projects):
                return False
        elif (
            word
            not in " ".join(
                (row.status.name, rec.get("owner") or "", rec.get("measure") or "", row.status.status)
            ).lower()
        ):
            return False
    return True


# ---------------------------------------------------------------------------------------- headline


def cash_unit(model: Model) -> str:
    """The unit cash-releasing benefits are measured in (when they agree), else the currency."""
    units = {(b.get("unit") or "") for b in model.rows("benefit") if b.get("kind") == "cash-releasing"}
    return units.pop() if len(units) == 1 and "" not in units else model.rollup.currency


def progress_bar(fraction: float | None, width: int = 10) -> Text:
    if fraction is None:
        return Text("")
    filled = max(0, min(width, round(fraction * width)))
    t = Text("[")
    t.append("█" * filled, style="#1e8449")
    t.append("░" * (width - filled), style="dim")
    t.append("]")
    return t


def status_counts(counts: dict[str, int], *, skip_zero: bool = False) -> Text:
    t = Text()
    first = True
    for s in STATUSES:
        n = counts.get(s, 0)
        if skip_zero and not n:
            continue
        if not first:
            t.append(" ")
        first = False
        t.append(f"{STATUS_GLYPH[s]} {n} {s}", style=STATUS_STYLE[s] if n else "dim")
    return t


def headline(r: ProgrammeRollup, unit: str, threatened: int, width: int = 120) -> Text:
    """Cash realised vs planned, mean realisation, and counts by status (dis-benefits apart),
    packed into as few lines as the width allows."""
    cash = Text()
    cash.append("Cash ", style="bold")
    frac = r.cash_realised / r.cash_planned if r.cash_planned else None
    cash.append(f"{number(r.cash_realised)} of {number(r.cash_planned)} {unit} realised")
    if frac is not None:
        cash.append(f" ({frac * 100:.0f}%) ")
        cash.append_text(progress_bar(frac))
    mean = Text()
    mean.append("Mean realisation ", style="bold")
    mean.append(pct(r.realisation_pct))
    counts = Text()
    counts.append("Benefits ", style="bold")
    counts.append_text(status_counts(r.benefits_by_status))
    segments = [cash, mean, counts]
    if sum(r.dis_benefits_by_status.values()):
        dis = Text()
        dis.append("Dis-benefits ", style="bold")
        dis.append_text(status_counts(r.dis_benefits_by_status, skip_zero=True))
        segments.append(dis)
    if threatened:
        segments.append(Text(f"⚠ {threatened} threatened by a red project", style="bold red"))
    return pack(segments, width - 2)


def pack(segments: list[Text], width: int, gap: str = "   ") -> Text:
    """Segments joined by `gap`, starting a new line where the next one would not fit."""
    out = Text()
    used = 0
    for seg in segments:
        n = cell_len(seg.plain)
        if used and used + len(gap) + n > width:
            out.append("\n")
            used = 0
        elif used:
            out.append(gap)
            used += len(gap)
        out.append_text(seg)
        used += n
    return out


def summary_text(row: BenefitRow | None, width: int = 120) -> Text:
    """The selected benefit in three short lines under the tracker."""
    if row is None:
        return Text("No benefit selected.", style="dim")
    bs, rec = row.status, row.record
    unit = rec.get("unit") or ""
    t = Text()
    t.append_text(status_badge(bs.status))
    t.append(" ")
    t.append(bs.name, style="bold")
    if width >= 110:
        t.append(f"  {KIND_SHORT.get(bs.kind, bs.kind)}", style="dim")
        if rec.get("owner"):
            t.append("  owner ")
            t.append(rec["owner"])
    t.append("\n")
    t.append(f"{number(bs.baseline_value)} → ")
    t.append(number(bs.latest), style="bold")
    t.append(f" → {value_text(bs.target_value, unit)}")
    if bs.target_date:
        t.append(f" by {bs.target_date.isoformat()}")
    t.append(f"  {pct(bs.realisation_pct)} realised", style="bold")
    if bs.latest_date and width >= 100:
        t.append(f"  (latest {bs.latest_date.isoformat()})", style="dim")
    t.append("\n")
    t.append_text(forecast_text(bs, unit))
    t.append("  Enabling ")
    t.append_text(projects_text(row, words=True))
    return t


def forecast_text(bs: BenefitStatus, unit: str) -> Text:
    t = Text()
    if bs.projected_value is not None and bs.target_date is not None:
        t.append(f"Trend → {value_text(bs.projected_value, unit)} by {bs.target_date.isoformat()}")
        t.append(f" ({pct(bs.projected_pct)} of the change)", style="dim")
    elif bs.latest is None:
        t.append("No measurements yet", style="dim")
    else:
        t.append("No trend yet (needs two measurements, or a baseline date, and a target date)", style="dim")
    return t


# ---------------------------------------------------------------------------------------- forms


class MeasurementForm(RecordForm):
    """Record a measurement in a few keys: the value field has the focus and enter saves."""

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_value)

    def _focus_value(self) -> None:
        for widget in self.query("#field-value"):
            widget.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()


def record_measurement(screen: PgmScreen, benefit_id: int, done: Any = None) -> None:
    model = screen.model
    row = model.row("benefit", benefit_id) if model else None
    if row is None:
        return
    bs = next((b for b in model.rollup.benefits if b.benefit_id == benefit_id), None)
    unit = row.get("unit") or ""
    hint = ""
    if bs is not None:
        latest = f"latest {value_text(bs.latest, unit)}" if bs.latest is not None else "no measurement yet"
        hint = f" — {latest}, target {value_text(bs.target_value, unit)}"
    screen.app.push_screen(
        MeasurementForm(
            "measurement",
            fields=MEASUREMENT_FIELDS,
            defaults={"benefit": row["name"], "date": model.today.isoformat()},
            title=f"Record a measurement of {row['name']}{hint}",
        ),
        done,
    )


# ---------------------------------------------------------------------------------------- tracker


class BenefitsScreen(PgmScreen):
    SCREEN_TITLE = "Benefits"
    HELP = (
        "The programme's benefits (MSP profiles) and, apart, its dis-benefits. Realisation % = (latest − "
        "baseline) / (target − baseline). Status: Realised (≥ 100 %), On track (the least-squares trend "
        "reaches the target by the target date), At risk (reaches ≥ 80 % of the change), Off track "
        "(below, or the target date has passed without it), No data. History is a sparkline of the measurements scaled between baseline and "
        "target; Projects shows each enabling project's RAG, ⚠ when a red one threatens the benefit. "
        "Filter with words or status:risk, kind:cash, owner:NAME, project:CODE. Tab moves between the "
        "benefits and the dis-benefits."
    )
    CSS_PATH = "benefits.tcss"

    BINDINGS = [
        Binding("enter", "open_profile", "Profile"),
        Binding("m", "record_measurement", "Measure"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("s", "sort_next", "Sort"),
        Binding("n", "new_benefit", "New"),
        Binding("e", "edit_benefit", "Edit"),
        Binding("d", "delete_benefit", "Delete"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_key = "status"
        self.filter_text = ""
        self._rows: dict[int, BenefitRow] = {}
        self._columns: tuple[Column, ...] = ()
        self._name_width = 0
        self._widths: dict[str, int] = {}
        self._cell_cache: dict[int, tuple[BenefitRow, dict[str, Any], dict[str, int]]] = {}
        self._shown_cache: dict[int, tuple[tuple[int, int], dict[str, Any]]] = {}
        self._order: dict[str, list[int]] = {"benefits": [], "dis-benefits": []}
        self._rendered: dict[int, dict[str, Any]] = {}
        self._headline_plain = ""

    def compose_body(self) -> ComposeResult:
        yield Static(id="headline", classes="headline")
        yield Input(
            placeholder="filter: words, status:risk, kind:cash, owner:NAME, project:CODE", id="filter"
        )
        yield Static(id="benefits-title", classes="section-title")
        yield DataTable(id="benefits", cursor_type="row", zebra_stripes=True)
        yield Static(id="dis-benefits-title", classes="section-title")
        yield DataTable(id="dis-benefits", cursor_type="row", zebra_stripes=True)
        yield Static(id="benefit-summary")
        yield BenefitPlot(id="tracker-plot")

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self._apply_height(self.app.size.height)
        self.query_one("#benefits").focus()

    def _apply_height(self, height: int) -> None:
        """Tall terminals show the selected benefit's chart under the tracker."""
        self.set_class(height >= TALL, "-tall")

    # ------------------------------------------------------------------ rendering

    def show_model(self, model: Model) -> None:
        rows = benefit_rows(model)
        self._rows = {r.id: r for r in rows}
        width = self.size.width or self.app.size.width
        line = headline(model.rollup, cash_unit(model), sum(1 for r in rows if r.threatened), width)
        if line.plain != self._headline_plain:
            self._headline_plain = line.plain
            self.query_one("#headline", Static).update(line)
        self._render_tables()

    def _layout(self, rows: list[BenefitRow]) -> tuple[tuple[Column, ...], int, dict[str, int]]:
        """Visible columns, the name's width and every column's width (shared by both tables so
        benefits and dis-benefits line up)."""
        width = self.size.width or self.app.size.width
        cols = tuple(c for c in COLUMNS if c.min_width <= width <= c.max_width)
        rendered = [self._full_cells(r)[1] for r in rows]
        widths: dict[str, int] = {}
        for c in cols:
            content = max((w[c.key] for w in rendered), default=0)
            widths[c.key] = max(cell_len(c.label) + (2 if c.key == self.sort_key else 0), content)
        widths["projects"] = min(widths.get("projects", 0), 16 if width >= 100 else 12)
        # every cell has one space of padding each side; keep room for the vertical scrollbar
        fixed = sum(widths[c.key] + 2 for c in cols if c.key != "name") + 2 + 2
        name_width = max(16, min(48, widths.get("name", 16), width - fixed))
        widths["name"] = name_width
        return cols, name_width, widths

    def _full_cells(self, row: BenefitRow) -> tuple[dict[str, Any], dict[str, int]]:
        """Untruncated cells and their widths, rebuilt only when the benefit's row changed."""
        cached = self._cell_cache.get(row.id)
        if cached is not None and cached[0] == row:
            return cached[1], cached[2]
        values = cells(row, 10_000)
        widths = {k: cell_len(_sig(v)[0]) for k, v in values.items()}
        self._cell_cache[row.id] = (row, values, widths)
        self._shown_cache.pop(row.id, None)
        return values, widths

    def _cells(self, row: BenefitRow) -> dict[str, Any]:
        """The cells as shown: the full ones, with the name and projects cut to their columns."""
        full, widths = self._full_cells(row)
        cut = (self._name_width, self._widths.get("projects", 10_000))
        shown = self._shown_cache.get(row.id)
        if shown is not None and shown[0] == cut:
            return shown[1]
        out = dict(full)
        for key, width in zip(("name", "projects"), cut, strict=True):
            if widths[key] > width:
                out[key] = _cut(full[key].copy(), width)
        self._shown_cache[row.id] = (cut, out)
        return out

    def _render_tables(self) -> None:
        all_rows = list(self._rows.values())
        columns, name_width, widths = self._layout(all_rows)
        rebuild_columns = (columns, widths) != (self._columns, self._widths)
        self._columns, self._name_width, self._widths = columns, name_width, widths
        rows = [r for r in all_rows if matches(r, self.filter_text)]
        rows.sort(key=lambda r: (sort_value(r, self.sort_key), r.status.name.lower()))
        for table_id, dis in (("benefits", False), ("dis-benefits", True)):
            group = [r for r in rows if r.status.is_dis_benefit == dis]
            self._fill(table_id, group, columns, rebuild_columns)
        total = sum(1 for r in all_rows if not r.status.is_dis_benefit)
        dis_total = len(all_rows) - total
        shown = len(self._order["benefits"])
        title = f"Benefits ({shown} of {total})" if self.filter_text else f"Benefits ({total})"
        self.query_one("#benefits-title", Static).update(Text(title, style="bold"))
        dis_title = self.query_one("#dis-benefits-title", Static)
        dis_title.update(
            Text(f"Dis-benefits ({dis_total}) — accepted downsides, tracked apart", style="bold")
        )
        has_dis = bool(self._order["dis-benefits"])
        dis_title.display = has_dis
        self.query_one("#dis-benefits").display = has_dis
        self._update_summary()

    def _fill(
        self, table_id: str, group: list[BenefitRow], columns: tuple[Column, ...], rebuild: bool
    ) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        order = [r.id for r in group]
        selected = self._selected_in(table_id)
        if rebuild or order != self._order[table_id]:
            table.clear(columns=rebuild)
            if rebuild:
                for c in columns:
                    label = c.label + (" ▼" if c.key == self.sort_key else "")
                    table.add_column(label, key=c.key, width=self._widths[c.key])
            for r in group:
                values = self._cells(r)
                table.add_row(*(values[c.key] for c in columns), key=str(r.id))
                self._rendered[r.id] = values
            self._order[table_id] = order
            if selected in order:
                table.move_cursor(row=order.index(selected), animate=False)
        else:
            for r in group:
                values = self._cells(r)
                old = self._rendered.get(r.id, {})
                for c in columns:
                    new_value, old_value = values[c.key], old.get(c.key)
                    if new_value is not old_value and _sig(new_value) != _sig(old_value):
                        table.update_cell(str(r.id), c.key, values[c.key])
                self._rendered[r.id] = values

    def _selected_in(self, table_id: str) -> int | None:
        table = self.query_one(f"#{table_id}", DataTable)
        order = self._order[table_id]
        if not order or not 0 <= table.cursor_row < len(order):
            return None
        return order[table.cursor_row]

    def _active_table(self) -> str:
        focused = self.focused
        if focused is not None and focused.id == "dis-benefits" and self._order["dis-benefits"]:
            return "dis-benefits"
        return "benefits"

    def selected_id(self) -> int | None:
        return self._selected_in(self._active_table())

    def selected(self) -> BenefitRow | None:
        bid = self.selected_id()
        return self._rows.get(bid) if bid is not None else None

    def _update_summary(self) -> None:
        model = self.model
        row = self.selected()
        width = self.size.width or self.app.size.width
        self.query_one("#benefit-summary", Static).update(summary_text(row, width))
        if self.has_class("-tall") and model is not None:
            self.query_one("#tracker-plot", BenefitPlot).show(plot_data(row, model.today) if row else None)

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._update_summary()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open_profile()

    def on_descendant_focus(self) -> None:
        if self._rows:
            self._update_summary()

    def on_resize(self, event: Resize) -> None:
        self._apply_height(event.size.height)
        if self._rows:
            self._render_tables()

    # j/k (and the arrows at the ends) move between the benefits and the dis-benefits
    def action_cursor_down(self) -> None:
        table_id = self._active_table()
        table = self.query_one(f"#{table_id}", DataTable)
        if table_id == "benefits" and table.cursor_row >= len(self._order["benefits"]) - 1:
            if self._order["dis-benefits"] and self.focused is table:
                dis = self.query_one("#dis-benefits", DataTable)
                dis.focus()
                dis.move_cursor(row=0)
                return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self._active_table() == "dis-benefits":
            dis = self.query_one("#dis-benefits", DataTable)
            if dis.cursor_row <= 0 and self._order["benefits"]:
                table = self.query_one("#benefits", DataTable)
                table.focus()
                table.move_cursor(row=len(self._order["benefits"]) - 1)
                return
        super().action_cursor_up()

    # ------------------------------------------------------------------ sorting and filtering

    def action_sort_next(self) -> None:
        keys = [k for k, _ in SORTS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self._columns = ()
        self._render_tables()
        self.notify(f"Sorted by {dict(SORTS)[self.sort_key]}", timeout=1.5)

    FILTER_ID = "filter"

    def refilter(self) -> None:
        self._render_tables()

    def focus_main(self) -> None:
        self.query_one("#benefits").focus()

    def action_clear_filter(self) -> None:
        self.close_filter()

    # ------------------------------------------------------------------ drill-in and editing

    def select(self, benefit_id: int) -> bool:
        """Put the cursor on a benefit (clearing the filter if it hides it)."""
        if benefit_id not in self._order["benefits"] + self._order["dis-benefits"] and self.filter_text:
            self.action_clear_filter()
        for table_id in ("benefits", "dis-benefits"):
            if benefit_id in self._order[table_id]:
                table = self.query_one(f"#{table_id}", DataTable)
                table.focus()
                table.move_cursor(row=self._order[table_id].index(benefit_id))
                return True
        return False

    def action_open_profile(self, measurement_id: int | None = None) -> None:
        bid = self.selected_id()
        if bid is not None:
            self.app.push_screen(BenefitProfileScreen(bid, measurement_id=measurement_id))

    def open_record(self, kind: str, record_id: int) -> None:
        """Palette / stand-up jumps: select the benefit (or the measurement's) and open its profile."""
        model = self.model
        if model is None:
            return
        measurement_id = None
        if kind == "measurement":
            row = model.row("measurement", record_id)
            if row is None:
                return
            measurement_id, record_id = record_id, row["benefit_id"]
        if self.select(record_id):
            self.action_open_profile(measurement_id)

    def action_record_measurement(self) -> None:
        bid = self.selected_id()
        if bid is not None:
            record_measurement(self, bid)

    def action_new_benefit(self) -> None:
        self.app.push_screen(RecordForm("benefit", fields=BENEFIT_FORM_FIELDS), self._after_save)

    def action_edit_benefit(self) -> None:
        bid = self.selected_id()
        record = self.model.row("benefit", bid) if (self.model and bid is not None) else None
        if record is not None:
            self.app.push_screen(RecordForm("benefit", record, fields=BENEFIT_FORM_FIELDS), self._after_save)

    def _after_save(self, benefit_id: int | None) -> None:
        if benefit_id is not None:
            self._pending_select = benefit_id
            self.set_timer(0.3, self._select_pending)

    def _select_pending(self) -> None:
        bid = getattr(self, "_pending_select", None)
        if bid is not None:
            self.select(bid)

    def action_delete_benefit(self) -> None:
        bid = self.selected_id()
        record = self.model.row("benefit", bid) if (self.model and bid is not None) else None
        if record is not None:
            delete_benefit(self, record)

    def palette_commands(self):
        from textual.app import SystemCommand

        yield SystemCommand("New benefit", "Add a benefit profile (n)", self.action_new_benefit)
        yield SystemCommand("Edit benefit", "Edit the selected benefit (e)", self.action_edit_benefit)
        yield SystemCommand(
            "Record a measurement", "Measure the selected benefit today (m)", self.action_record_measurement
        )
        yield SystemCommand(
            "Filter benefits", "Filter by text, status:, kind:, owner:, project: (/)", self.action_filter
        )
        yield SystemCommand(
            "Sort benefits", "Status, name, realisation %, target date (s)", self.action_sort_next
        )


def delete_benefit(screen: PgmScreen, record: dict[str, Any], after: Any = None) -> None:
    model = screen.model
    n = sum(1 for m in model.rows("measurement") if m["benefit_id"] == record["id"]) if model else 0
    confirm_delete(
        screen,
        "benefit",
        record,
        record["name"],
        detail=f"Its {n} measurement(s) go too. Every deletion is kept in the audit trail.",
        after=after,
    )


def _sig(value: Any) -> tuple[str, str]:
    if isinstance(value, Text):
        return value.plain, str(value.style) + "|".join(str(s.style) for s in value.spans)
    return ("" if value is None else str(value)), ""


# ---------------------------------------------------------------------------------------- profile


def profile_text(row: BenefitRow, width: int) -> Text:
    """The MSP profile: what, who, how measured, from where to where by when, and what enables it.

    Narrow terminals get one line per item (cut with …) so the chart keeps its room."""
    bs, rec = row.status, row.record
    unit = rec.get("unit") or ""
    compact = width < 110
    lines: list[Text] = []
    t = Text()
    t.append_text(status_badge(bs.status))
    t.append(" ")
    t.append(bs.name, style="bold")
    t.append(f"  {KIND_SHORT.get(bs.kind, bs.kind)}", style="dim")
    t.append(f"  {pct(bs.realisation_pct)} realised", style="bold")
    lines.append(t)
    t = Text()
    t.append("Owner ", style="bold")
    t.append(rec.get("owner") or "–")
    t.append("   Measure ", style="bold")
    t.append(rec.get("measure") or "–")
    if unit:
        t.append(f" ({unit})")
    lines.append(t)
    t = Text()
    t.append("Measured " if compact else "How/when measured ", style="bold")
    t.append((rec.get("measurement_method") or "–").replace("\n", " "))
    lines.append(t)
    t = Text()
    t.append("Baseline ", style="bold")
    t.append(value_text(bs.baseline_value, unit))
    t.append(f" ({rec.get('baseline_date') or 'no date'})", style="dim")
    t.append(" → target ", style="bold")
    t.append(value_text(bs.target_value, unit))
    t.append(f" by {date(bs.target_date)}")
    t.append(" · latest ", style="bold")
    t.append(value_text(bs.latest, unit))
    if bs.latest_date:
        t.append(f" ({bs.latest_date.isoformat()})", style="dim")
    lines.append(t)
    t = forecast_text(bs, unit)
    if bs.is_dis_benefit and bs.projected_pct is not None and bs.projected_pct > 100:
        t.append("  projected above the accepted level", style="bold red")
    lines.append(t)
    t = Text()
    t.append("Enabling projects ", style="bold")
    t.append_text(projects_text(row, words=True))
    if row.threatened:
        t.append(f"  {', '.join(row.red_projects)} red: benefit threatened", style="bold red")
    lines.append(t)
    description = rec.get("description")
    if description:
        lines.append(
            Text(str(description).replace("\n", " ") if compact else str(description), style="italic")
        )
    out = Text()
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        if compact:
            line.truncate(max(10, width - 2), overflow="ellipsis")
        out.append_text(line)
    return out


def plot_data(row: BenefitRow, today: pendulum.Date) -> PlotData:
    bs, rec = row.status, row.record
    base_date = rec.get("baseline_date")
    return PlotData(
        baseline_value=bs.baseline_value,
        target_value=bs.target_value,
        baseline_date=pendulum.Date.fromisoformat(base_date) if base_date else None,
        target_date=bs.target_date,
        points=tuple(bs.points),
        slope_per_day=bs.slope_per_day,
        projected_value=bs.projected_value,
        today=today,
        unit=rec.get("unit") or "",
    )


class BenefitProfileScreen(PgmScreen):
    SCREEN_TITLE = "Benefit"
    HELP = (
        "One benefit's MSP profile, a chart of the measured values (●) against the plan from baseline "
        "to target (·) and the least-squares trend (╌) projected to the target date (◎ the target, "
        "│ today), and its measurements: m records one (date defaults to today), e corrects the "
        "one under the cursor, d deletes it; E edits the profile."
    )
    CSS_PATH = "benefits.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("m", "record_measurement", "Measure"),
        Binding("e", "edit_measurement", "Correct"),
        Binding("d", "delete_measurement", "Delete meas."),
        Binding("E", "edit_benefit", "Edit benefit", key_display="E"),
        Binding("D", "delete_benefit", "Delete benefit", key_display="D", show=False),
    ]

    def __init__(self, benefit_id: int, *, measurement_id: int | None = None) -> None:
        super().__init__()
        self.benefit_id = benefit_id
        self._pending_measurement = measurement_id
        self._measurement_ids: list[int] = []
        self._rendered: list[tuple[str, ...]] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="profile", classes="headline")
        with Horizontal(id="profile-lower"):
            yield BenefitPlot(id="plot")
            with Vertical(id="measurements-box"):
                yield Static(id="measurements-title", classes="section-title")
                yield DataTable(id="measurements", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#measurements", DataTable)
        for key, label in (("date", "Date"), ("value", "Value"), ("pct", "Real."), ("note", "Note")):
            table.add_column(label, key=key)
        self._apply_width(self.app.size.width)
        table.focus()

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)
        if self.model is not None:
            self.show_model(self.model)

    def _apply_width(self, width: int) -> None:
        self.query_one("#profile-lower").set_class(width < 110, "-narrow")

    def show_model(self, model: Model) -> None:
        rows = benefit_rows(model)
        row = next((r for r in rows if r.id == self.benefit_id), None)
        if row is None:
            self.query_one("#profile", Static).update(Text("This benefit was deleted.", style="bold red"))
            self.query_one("#plot", BenefitPlot).show(None)
            return
        self.query_one("#programme-header").set_title(f"Benefit — {row.status.name}")
        self.query_one("#profile", Static).update(profile_text(row, self.size.width))
        self.query_one("#plot", BenefitPlot).show(plot_data(row, model.today))
        self._measurements(row)

    def _measurements(self, row: BenefitRow) -> None:
        bs = row.status
        table = self.query_one("#measurements", DataTable)
        ms = list(reversed(bs.measurements))  # newest first
        ids = [m.id for m in ms]
        width = self.size.width or self.app.size.width
        note_w = 24 if width >= 110 else max(10, width - 40)
        rendered = []
        for m in ms:
            note = (m.note or "").replace("\n", " ")
            rendered.append(
                (
                    m.date.isoformat() if m.date else "–",
                    number(m.value),
                    pct(_progress(m.value, bs)),
                    note if len(note) <= note_w else note[: note_w - 1] + "…",
                )
            )
        self.query_one("#measurements-title", Static).update(
            Text(
                f"Measurements ({len(ms)})"
                + (f" — {row.record.get('unit')}" if row.record.get("unit") else "")
            )
        )
        if ids == self._measurement_ids and rendered == self._rendered:
            return
        selected = self.selected_measurement_id()
        table.clear()
        for mid, cells_ in zip(ids, rendered, strict=True):
            table.add_row(*(Text(c) for c in cells_), key=str(mid))
        self._measurement_ids, self._rendered = ids, rendered
        want = self._pending_measurement if self._pending_measurement in ids else selected
        if want in ids:
            table.move_cursor(row=ids.index(want), animate=False)
            self._pending_measurement = None

    def selected_measurement_id(self) -> int | None:
        table = self.query_one("#measurements", DataTable)
        if not self._measurement_ids or not 0 <= table.cursor_row < len(self._measurement_ids):
            return None
        return self._measurement_ids[table.cursor_row]

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_record_measurement(self) -> None:
        record_measurement(self, self.benefit_id, self._select_measurement)

    def _select_measurement(self, measurement_id: int | None) -> None:
        if measurement_id is not None:
            self._pending_measurement = measurement_id
            if measurement_id in self._measurement_ids:
                self.query_one("#measurements", DataTable).move_cursor(
                    row=self._measurement_ids.index(measurement_id)
                )

    def action_edit_measurement(self) -> None:
        mid = self.selected_measurement_id()
        record = self.model.row("measurement", mid) if (self.model and mid is not None) else None
        if record is not None:
            self.app.push_screen(
                MeasurementForm(
                    "measurement",
                    record,
                    fields=("date", "value", "note"),
                    title=f"Correct the measurement of {record['date']}",
                ),
                self._select_measurement,
            )

    def action_delete_measurement(self) -> None:
        mid = self.selected_measurement_id()
        record = self.model.row("measurement", mid) if (self.model and mid is not None) else None
        if record is not None:
            confirm_delete(
                self,
                "measurement",
                record,
                f"of {record['date']} ({number(record['value'])})",
                detail="The realisation %, trend and status are recalculated without it. "
                "The deletion is kept in the audit trail.",
            )

    def action_edit_benefit(self) -> None:
        record = self.model.row("benefit", self.benefit_id) if self.model else None
        if record is not None:
            self.app.push_screen(RecordForm("benefit", record, fields=BENEFIT_FORM_FIELDS))

    def action_delete_benefit(self) -> None:
        record = self.model.row("benefit", self.benefit_id) if self.model else None
        if record is not None:
            delete_benefit(self, record, after=self._deleted)

    def _deleted(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()

    def open_record(self, kind: str, record_id: int) -> None:
        """A jump while the profile is open: hand it to the tracker underneath."""
        self.app.pop_screen()
        opener = getattr(self.app.screen, "open_record", None)
        if callable(opener):
            opener(kind, record_id)

    @on(DataTable.RowSelected, "#measurements")
    def _measurement_selected(self) -> None:
        self.action_edit_measurement()

    def palette_commands(self):
        from textual.app import SystemCommand

        yield SystemCommand(
            "Record a measurement", "Measure this benefit (m)", self.action_record_measurement
        )
        yield SystemCommand(
            "Correct measurement", "Edit the selected measurement (e)", self.action_edit_measurement
        )
        yield SystemCommand("Edit benefit", "Edit this benefit's profile (E)", self.action_edit_benefit)
        yield SystemCommand(
            "Delete benefit", "Delete this benefit and its measurements (D)", self.action_delete_benefit
        )


def _progress(value: float | None, bs: BenefitStatus) -> float | None:
    from pgmtui.domain.benefits import progress_pct

    p = progress_pct(value, bs.baseline_value, bs.target_value)
    return None if p is None else (0.0 if abs(p) < 0.5 else p)  # no "-0%"
