"""Dependencies (key 2): the dependency board, the knock-on of a slip, the critical path and the
supplier × consumer matrix, live.

Three views share one screen (and one bottom panel that explains the selection):

- **board** — every dependency, late ones first: supplier → consumer, type and lag, the supplier's
  forecast, the date the consumer needs it by (consumer date − lag), slack, status, owner. Group by
  supplier or consumer project (`g`), filter by status (`f`), project (`p`) or text (`/`).
- **critical path** (`c`) — the chain of milestones that sets the programme end and every
  milestone's float, critical and near-critical marked: the same figures as
  `pgmtui critical-path --json`.
- **matrix** (`m`) — projects × projects, count and worst status per cell; `enter` lists them.

The panel shows the knock-on of the selected dependency (a late one: what moves if its consumer is
re-planned to honour it) or milestone, and `+` / `-` / `]` / `[` nudge the supplier (or milestone)
by ±1 / ±7 days to see what a slip would do before anyone commits to it. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from pgmtui.domain.deps import LATE, Impact, propagate
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.services import critical_path_data
from pgmtui.widgets.badges import literal
from pgmtui.widgets.format import days
from pgmtui.widgets.timeline import (
    STATUS_GLYPH,
    STATUS_ORDER,
    STATUS_RANK,
    STATUS_STYLE,
    DependencyMatrix,
    build_matrix,
    status_badge,
)

DEPENDENCY_FORM_FIELDS = ("supplier", "consumer", "type", "lag_days", "owner", "note")
GROUPINGS = ("none", "supplier", "consumer")
STATUS_FILTERS = ("all", *STATUS_ORDER)
STATUS_WORDS = {
    "late": "late",
    "risk": "at risk",
    "at-risk": "at risk",
    "atrisk": "at risk",
    "ok": "on track",
    "on-track": "on track",
    "ontrack": "on track",
    "track": "on track",
    "done": "done",
    "nd": "no dates",
    "n/d": "no dates",
    "nodates": "no dates",
    "no-dates": "no dates",
}
VIA = {"push": "moved", "dependency": "dependency", "sequence": "in-project order"}


# ---------------------------------------------------------------------------------- board rows


@dataclass(frozen=True)
class DepRow:
    id: int
    supplier_id: int
    consumer_id: int
    supplier_project: int | None
    consumer_project: int | None
    supplier_code: str
    consumer_code: str
    supplier_name: str
    consumer_name: str
    type: str
    lag: int
    forecast: pendulum.Date | None  # supplier's date (its actual once delivered)
    need_by: pendulum.Date | None  # consumer's date − lag: the supplier must be there by then
    slack: int | None
    status: str
    owner: str
    note: str
    supplier_done: bool

    @property
    def supplier(self) -> str:
        return f"{self.supplier_code}:{self.supplier_name}"

    @property
    def consumer(self) -> str:
        return f"{self.consumer_code}:{self.consumer_name}"

    @property
    def type_lag(self) -> str:
        return f"{self.type}{self.lag:+d}" if self.lag else self.type

    def haystack(self) -> str:
        return " ".join((self.supplier, self.consumer, self.owner, self.note, self.type)).lower()


def board_rows(model: Model) -> list[DepRow]:
    """One row per dependency, from the model's slack (the rollup's, so the portfolio agrees)."""
    snap = model.snapshot
    ms = {m.id: m for m in snap.milestones}
    codes = {p.id: p.code for p in snap.projects}
    deps = {d.id: d for d in snap.dependencies}
    out = []
    for ds in model.rollup.dependencies:
        d = deps.get(ds.dependency_id)
        sup, con = ms.get(ds.supplier_id), ms.get(ds.consumer_id)
        if d is None or sup is None or con is None:
            continue
        con_date = con.finish
        out.append(
            DepRow(
                id=d.id,
                supplier_id=sup.id,
                consumer_id=con.id,
                supplier_project=sup.project_id,
                consumer_project=con.project_id,
                supplier_code=codes.get(sup.project_id, "?"),
                consumer_code=codes.get(con.project_id, "?"),
                supplier_name=sup.name,
                consumer_name=con.name,
                type=d.type,
                lag=d.lag_days or 0,
                forecast=sup.finish,
                need_by=None if con_date is None else con_date.add(days=-(d.lag_days or 0)),
                slack=ds.slack,
                status=ds.status,
                owner=d.owner or "",
                note=d.note or "",
                supplier_done=sup.done,
            )
        )
    return out


def default_order(r: DepRow) -> tuple:
    """Late first, then at risk, …, done last; tightest slack first within a status."""
    return (STATUS_RANK.get(r.status, 9), r.slack if r.slack is not None else 1 << 30, r.id)


def matches(r: DepRow, query: str) -> bool:
    """Words must all match; `status:late`, `p:IAM` (either end), `from:IAM`, `to:ERP`, `owner:ben`."""
    for word in query.lower().split():
        key, sep, value = word.partition(":")
        if sep and key in ("status", "s"):
            wanted = STATUS_WORDS.get(value, value)
            if not r.status.startswith(wanted):
                return False
        elif sep and key in ("p", "project"):
            if value not in (r.supplier_code.lower(), r.consumer_code.lower()):
                return False
        elif sep and key in ("from", "supplier"):
            if r.supplier_code.lower() != value:
                return False
        elif sep and key in ("to", "consumer"):
            if r.consumer_code.lower() != value:
                return False
        elif sep and key == "owner":
            if value not in r.owner.lower():
                return False
        elif word not in r.haystack():
            return False
    return True


def dependency_pushes(r: DepRow, nudge: int) -> tuple[dict[int, int], int | None]:
    """What to propagate for a dependency: the supplier nudged, and the consumer re-planned to
    honour the dependency if it is (or would be) late. Returns (pushes, slack after the nudge)."""
    pushes: dict[int, int] = {}
    nudge = 0 if r.supplier_done else nudge
    if nudge:
        pushes[r.supplier_id] = nudge
    new_slack = None if r.slack is None else r.slack - nudge
    if new_slack is not None and new_slack < 0 and not r.supplier_done:
        pushes[r.consumer_id] = -new_slack
    return pushes, new_slack


# ---------------------------------------------------------------------------------- critical path


def critical_data(model: Model) -> dict[str, Any]:
    """The critical path as `pgmtui critical-path --json` gives it, from the model (no I/O)."""
    return critical_path_data(model.critical, model.rows("project"), model.rows("milestone"))


def critical_mark(on_path: bool, category: str) -> Text:
    if on_path:
        return Text("◆ path", style="bold white on #8e44ad")
    if category == "critical":
        return Text("● crit", style=STATUS_STYLE["late"])
    if category == "near-critical":
        return Text("▲ near", style=STATUS_STYLE["at risk"])
    return Text("")


# ---------------------------------------------------------------------------------- formatting


def fmt_date(value: Any, short: bool) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = pendulum.Date.fromisoformat(value[:10])
    return value.format("DD MMM YY") if short else value.isoformat()


def clip(text: str, width: int) -> Text:
    """Record text as a literal, cut to `width` cells with an ellipsis."""
    t = literal(text)
    if width > 0 and t.cell_len > width:
        t.truncate(width - 1)
        t.append("…")
    return t


def slack_text(value: int | None) -> Text:
    if value is None:
        return Text("–", style="dim")
    return Text(days(value), style="bold" if value < 0 else "", justify="right")


class DependenciesScreen(PgmScreen):
    SCREEN_TITLE = "Dependencies"
    HELP = (
        "Every dependency between milestones, late ones first: supplier → consumer, type and lag, the "
        "supplier's forecast, the date the consumer needs it by (its date − lag), slack and status "
        "(● late, ▲ at risk = slack within the near-critical threshold, ■ on track, ✓ done). The panel "
        "below shows the knock-on of the selection: every milestone and project it pushes and whether "
        "the programme end moves. + / - (] / [ for a week) nudge the supplier to see what a slip would "
        "do; nothing is saved; 0 resets. c shows the critical path with float for every milestone, m "
        "the project × project matrix. Filter with words or status:late, p:IAM, from:IAM, to:ERP, "
        "owner:NAME."
    )
    CSS_PATH = "dependencies.tcss"

    BINDINGS = [
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("f", "cycle_status", "Status filter"),
        Binding("p", "cycle_project", "Project filter"),
        Binding("g", "cycle_group", "Group"),
        Binding("c", "toggle_view('critical')", "Critical path"),
        Binding("m", "toggle_view('matrix')", "Matrix"),
        Binding("plus,equals_sign", "nudge(1)", "What-if +1d", key_display="+"),
        Binding("minus", "nudge(-1)", "What-if −1d", key_display="-"),
        Binding("right_square_bracket", "nudge(7)", "What-if +1 week", key_display="]", show=False),
        Binding("left_square_bracket", "nudge(-7)", "What-if −1 week", key_display="[", show=False),
        Binding("0", "reset_nudge", "Reset what-if", show=False),
        Binding("enter", "open", "Open", show=False),
        Binding("n", "new_dependency", "New"),
        Binding("e", "edit_dependency", "Edit"),
        Binding("d", "delete_dependency", "Delete"),
        Binding("escape", "back", "Back / clear", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "board"
        self.grouping = "none"
        self.status_filter = "all"
        self.project_filter = ""
        self.filter_text = ""
        self.nudge = 0
        self._nudge_key: tuple[str, int] | None = None
        self._rows: dict[int, DepRow] = {}
        self._order: list[int] = []  # dependency ids in board order
        self._board_columns: tuple[str, ...] = ()
        self._rendered: dict[int, tuple] = {}
        self._crit_order: list[int] = []  # milestone ids in critical-view order
        self._crit_rendered: dict[int, tuple] = {}
        self._crit_columns: tuple[str, ...] = ()
        self._net: Any = None
        self._net_generation = -1
        self._pending_select: int | None = None
        self._pending_open: tuple[str, int] | None = None
        self._shown_views: set[str] = set()

    def compose_body(self) -> ComposeResult:
        yield Static(id="deps-summary", classes="headline")
        yield Input(
            placeholder="filter: words, status:late, p:IAM, from:IAM, to:ERP, owner:NAME", id="deps-filter"
        )
        with ContentSwitcher(initial="deps-board", id="deps-views"):
            yield DataTable(id="deps-board", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="deps-critical", cursor_type="row", zebra_stripes=True)
            yield DependencyMatrix(id="deps-matrix")
        yield Static(id="deps-panel")

    def on_mount(self) -> None:
        self.query_one("#deps-filter").display = False
        self.query_one("#deps-board").focus()

    # ------------------------------------------------------------------ model → screen

    def show_model(self, model: Model) -> None:
        self._rows = {r.id: r for r in board_rows(model)}
        self._render_view()
        self._update_summary()
        self._update_panel()
        pending, self._pending_open = self._pending_open, None
        if pending is not None and self._rows:
            self.open_record(*pending)

    def network(self) -> Any:
        """The milestone network of the current model, built once per model."""
        model = self.model
        if model is None:
            return None
        if self._net is None or self._net_generation != model.generation:
            from pgmtui.services import network_of

            self._net = network_of(model.snapshot)
            self._net_generation = model.generation
        return self._net

    def _render_view(self) -> None:
        if self.view == "board":
            self._render_board()
        elif self.view == "critical":
            self._render_critical()
        else:
            self._render_matrix()

    def _width(self) -> int:
        return self.size.width or self.app.size.width or 80

    # ------------------------------------------------------------------ board

    def visible_rows(self) -> list[DepRow]:
        rows = [
            r
            for r in self._rows.values()
            if (self.status_filter == "all" or r.status == self.status_filter)
            and (not self.project_filter or self.project_filter in (r.supplier_code, r.consumer_code))
            and matches(r, self.filter_text)
        ]
        if self.grouping == "none":
            rows.sort(key=default_order)
        else:
            order = {p.code: i for i, p in enumerate(self.model.snapshot.projects)} if self.model else {}

            def group(r: DepRow) -> str:
                return r.supplier_code if self.grouping == "supplier" else r.consumer_code

            rows.sort(key=lambda r: (order.get(group(r), 1 << 30), group(r), default_order(r)))
        return rows

    def _board_layout(self) -> tuple[tuple[str, ...], dict[str, int], bool]:
        width = self._width()
        short = width < 110
        cols = ["status", "slack", "supplier", "consumer"]
        if width >= 100:
            cols.append("type")
        cols += ["forecast", "need"]
        if width >= 130:
            cols.append("owner")
        fixed = {"status": 6 if width < 120 else 10, "slack": 5, "type": 5, "forecast": 9 if short else 10}
        fixed["need"] = fixed["forecast"]
        fixed["owner"] = 16
        label_w = 6 if self.grouping != "none" else 0
        used = sum(fixed[c] for c in cols if c not in ("supplier", "consumer")) + 2 * len(cols) + 3 + label_w
        each = max(12, (width - used) // 2)
        fixed["supplier"] = fixed["consumer"] = each
        return tuple(cols), fixed, short

    def _board_cells(self, r: DepRow, widths: dict[str, int], short: bool) -> dict[str, Any]:
        return {
            "status": status_badge(r.status, short=widths["status"] < 10),
            "slack": slack_text(r.slack),
            "supplier": clip(r.supplier, widths["supplier"]),
            "consumer": clip(r.consumer, widths["consumer"]),
            "type": Text(r.type_lag),
            "forecast": Text(
                fmt_date(r.forecast, short) + ("✓" if r.supplier_done else ""),
                style="dim" if r.supplier_done else "",
            ),
            "need": Text(fmt_date(r.need_by, short)),
            "owner": clip(r.owner, widths["owner"]),
        }

    def _render_board(self) -> None:
        table = self.query_one("#deps-board", DataTable)
        cols, widths, short = self._board_layout()
        rows = self.visible_rows()
        order = [r.id for r in rows]
        labels = self._group_labels(rows)
        selected = self._pending_select if self._pending_select in order else self.selected_dependency_id()
        layout_key = (*cols, *(str(widths[c]) for c in cols), self.grouping)
        titles = {
            "status": "Status",
            "slack": "Slack",
            "supplier": "Supplier",
            "consumer": "Consumer",
            "type": "Type",
            "forecast": "Forecast",
            "need": "Need by",
            "owner": "Owner",
        }
        if layout_key != self._board_columns or order != self._order:
            table.clear(columns=layout_key != self._board_columns)
            if layout_key != self._board_columns:
                table.show_row_labels = self.grouping != "none"
                for c in cols:
                    table.add_column(titles[c], key=c)
                self._board_columns = layout_key
            self._rendered = {}
            for r in rows:
                values = self._board_cells(r, widths, short)
                table.add_row(*(values[c] for c in cols), key=str(r.id), label=labels.get(r.id))
                self._rendered[r.id] = tuple(_sig(values[c]) for c in cols)
            self._order = order
            if selected in order:
                table.move_cursor(row=order.index(selected), animate=False)
        else:
            for r in rows:
                values = self._board_cells(r, widths, short)
                sig = tuple(_sig(values[c]) for c in cols)
                old = self._rendered.get(r.id)
                if sig != old:
                    for k, c in enumerate(cols):
                        if old is None or sig[k] != old[k]:
                            table.update_cell(str(r.id), c, values[c])
                    self._rendered[r.id] = sig
        if self._pending_select in order:
            self._pending_select = None

    def _group_labels(self, rows: list[DepRow]) -> dict[int, Text]:
        if self.grouping == "none":
            return {}
        out: dict[int, Text] = {}
        last = None
        for r in rows:
            code = r.supplier_code if self.grouping == "supplier" else r.consumer_code
            out[r.id] = Text(code, style="bold") if code != last else Text("")
            last = code
        return out

    def selected_dependency_id(self) -> int | None:
        tables = self.query("#deps-board").results(DataTable)
        table = next(tables, None)
        if table is None or not self._order or not (0 <= table.cursor_row < len(self._order)):
            return None
        return self._order[table.cursor_row]

    def selected_dependency(self) -> DepRow | None:
        dep_id = self.selected_dependency_id()
        return self._rows.get(dep_id) if dep_id is not None else None

    # ------------------------------------------------------------------ critical path

    def _render_critical(self) -> None:
        model = self.model
        if model is None:
            return
        table = self.query_one("#deps-critical", DataTable)
        width = self._width()
        short = width < 100
        cols = ("mark", "float", "date", "project", "milestone")
        cp = model.critical
        chain = [m for m in cp.chain if model.row("milestone", m)]
        on_path = set(chain)
        rest = sorted((m for m in cp.floats if m not in on_path), key=lambda i: (cp.floats[i], i))
        name_w = max(16, width - (6 + 6 + (9 if short else 10) + 6) - 2 * len(cols) - 3)
        query = self.filter_text.lower()
        rows = []
        for mid in [*chain, *rest]:
            m = model.row("milestone", mid)
            if m is None:
                continue
            code = model.project_code(m["project_id"])
            if self.project_filter and code != self.project_filter:
                continue
            if query and not all(w in f"{code}:{m['name']}".lower() for w in query.split() if ":" not in w):
                continue
            fl = cp.floats.get(mid)
            date = m["actual_date"] or m["forecast_date"] or m["baseline_date"]
            rows.append(
                (
                    mid,
                    {
                        "mark": critical_mark(mid in on_path, cp.category(mid)),
                        "float": Text(
                            days(fl, signed=False) if fl is not None else "–",
                            style="bold" if (fl or 0) <= 0 else "",
                        ),
                        "date": Text(fmt_date(date, short) + ("✓" if m["actual_date"] else "")),
                        "project": literal(code),
                        "milestone": clip(("◆ " if m["is_gate"] else "") + m["name"], name_w),
                    },
                )
            )
        order = [mid for mid, _ in rows]
        selected = self.selected_milestone_id()
        layout_key = (*cols, str(name_w), str(short))
        titles = {"mark": "", "float": "Float", "date": "Date", "project": "Proj", "milestone": "Milestone"}
        if layout_key != self._crit_columns or order != self._crit_order:
            table.clear(columns=layout_key != self._crit_columns)
            if layout_key != self._crit_columns:
                for c in cols:
                    table.add_column(titles[c], key=c)
                self._crit_columns = layout_key
            self._crit_rendered = {}
            for mid, values in rows:
                table.add_row(*(values[c] for c in cols), key=str(mid))
                self._crit_rendered[mid] = tuple(_sig(values[c]) for c in cols)
            self._crit_order = order
            if selected in order:
                table.move_cursor(row=order.index(selected), animate=False)
        else:
            for mid, values in rows:
                sig = tuple(_sig(values[c]) for c in cols)
                old = self._crit_rendered.get(mid)
                if sig != old:
                    for k, c in enumerate(cols):
                        if old is None or sig[k] != old[k]:
                            table.update_cell(str(mid), c, values[c])
                    self._crit_rendered[mid] = sig

    def selected_milestone_id(self) -> int | None:
        table = next(self.query("#deps-critical").results(DataTable), None)
        if table is None or not self._crit_order or not (0 <= table.cursor_row < len(self._crit_order)):
            return None
        return self._crit_order[table.cursor_row]

    # ------------------------------------------------------------------ matrix

    def _render_matrix(self) -> None:
        model = self.model
        if model is None:
            return
        links = [(r.id, r.supplier_code, r.consumer_code, r.status) for r in self._rows.values()]
        matrix = build_matrix(links, [p.code for p in model.snapshot.projects])
        self.query_one("#deps-matrix", DependencyMatrix).show(matrix)

    # ------------------------------------------------------------------ summary line and panel

    def _update_summary(self) -> None:
        model = self.model
        if model is None:
            return
        counts = {s: 0 for s in STATUS_ORDER}
        for r in self._rows.values():
            counts[r.status] = counts.get(r.status, 0) + 1
        t = Text(no_wrap=False)
        t.append(f"{len(self._rows)} deps ", style="bold")
        for s in STATUS_ORDER:
            if counts.get(s) or s in ("late", "at risk"):
                t.append_text(Text(f" {STATUS_GLYPH[s]} {counts.get(s, 0)} {s} ", style=STATUS_STYLE[s]))
                t.append(" ")
        cp = model.critical
        t.append(" │ end ", style="bold")
        t.append(cp.end_date.isoformat() if cp.end_date else "–")
        view = {"board": "board", "critical": "critical path", "matrix": "matrix"}[self.view]
        t.append("\n")
        t.append("View ", style="bold")
        t.append(view)
        if self.view == "critical":
            t.append(f" · chain of {len(cp.chain)} · {len(cp.critical)} critical · ")
            t.append(f"{len(cp.near_critical)} near-critical (float ≤ {cp.near_critical_days}d)")
        if self.view == "board":
            shown = len(self._order)
            if shown != len(self._rows):
                t.append(f" ({shown} of {len(self._rows)})")
        if self.grouping != "none" and self.view == "board":
            t.append(f" · by {self.grouping}")
        if self.status_filter != "all":
            t.append(" · status ", style="bold")
            t.append(self.status_filter)
        if self.project_filter:
            t.append(" · project ", style="bold")
            t.append(self.project_filter)
        if self.filter_text:
            t.append(" · filter ", style="bold")
            t.append(self.filter_text)
        if self.nudge:
            t.append("  ")
            t.append(f" WHAT-IF {self.nudge:+d}d, not saved ", style="bold black on #5dade2")
        self.query_one("#deps-summary", Static).update(t)

    def _panel_lines(self) -> int:
        height = self.size.height or self.app.size.height or 24
        return max(5, (height - 6) // 3)

    def _update_panel(self) -> None:
        model = self.model
        panel = self.query_one("#deps-panel", Static)
        if model is None:
            return
        if self.view == "board":
            r = self.selected_dependency()
            key = ("dependency", r.id) if r else None
            self._check_nudge_key(key)
            body = self.dependency_panel(model, r) if r else [Text("No dependency selected.", style="dim")]
        elif self.view == "critical":
            mid = self.selected_milestone_id()
            key = ("milestone", mid) if mid is not None else None
            self._check_nudge_key(key)
            body = (
                self.milestone_panel(model, mid) if mid is not None else [Text("No milestone.", style="dim")]
            )
        else:
            body = self.matrix_panel(model)
        limit = self._panel_lines()
        if len(body) > limit:
            hidden = len(body) - limit + 1
            body = [
                *body[: limit - 1],
                Text(f"  … and {hidden} more line(s) (a taller terminal shows them)", style="dim"),
            ]
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, line in enumerate(body):
            if i:
                out.append("\n")
            out.append_text(line)
        panel.update(out)

    def _check_nudge_key(self, key: tuple[str, int] | None) -> None:
        if key != self._nudge_key:
            had = self.nudge
            self._nudge_key = key
            self.nudge = 0
            if had:
                self._update_summary()

    def _label(self, model: Model, milestone_id: int | None) -> str:
        return model.ref_label("milestone", milestone_id)

    def impact_lines(
        self, model: Model, impact: Impact, lead: Text, why: dict[int, str] | None = None
    ) -> list[Text]:
        """`lead` + programme end + projects pushed on one line, then each milestone moved
        (largest move first)."""
        t = lead.copy()
        t.append("end ", style="bold")
        if impact.end_change_days:
            t.append(f"{fmt_date(impact.end_before, False)} → {fmt_date(impact.end_after, False)} ")
            t.append(
                f"({days(impact.end_change_days)})",
                style="bold red" if impact.end_change_days > 0 else "bold green",
            )
        else:
            t.append(f"unchanged ({fmt_date(impact.end_before, False)})")
        projects = sorted(
            ((model.project_code(pid) or "?", d) for pid, d in impact.projects.items() if d),
            key=lambda x: (-abs(x[1]), x[0]),
        )
        if projects:
            t.append(" · pushes ", style="bold")
            t.append(", ".join(f"{code} {days(d)}" for code, d in projects))
        lines = [t]
        hits = sorted(impact.hits, key=lambda h: (-h.days, h.new_date, h.milestone_id))
        if not hits:
            lines.append(Text("  Nothing downstream moves.", style="dim"))
        for h in hits:
            t = Text("  ")
            t.append(f"{days(h.days):>5} ", style="bold")
            t.append_text(literal(self._label(model, h.milestone_id)))
            t.append(f" → {h.new_date.isoformat()}")
            via = (
                (why or {}).get(h.milestone_id, VIA.get(h.via, h.via))
                if h.via == "push"
                else VIA.get(h.via, h.via)
            )
            if h.cause_id is not None:
                t.append(f"  ({via} from {self._label(model, h.cause_id)})", style="dim")
            else:
                t.append(f"  ({via})", style="dim")
            lines.append(t)
        return lines

    def dependency_panel(self, model: Model, r: DepRow) -> list[Text]:
        lines: list[Text] = []
        t = Text(f"#{r.id} ", style="bold")
        t.append_text(literal(r.supplier))
        t.append(" → ", style="bold")
        t.append_text(literal(r.consumer))
        t.append(f" · {r.type_lag}")
        if r.owner:
            t.append(" · ")
            t.append_text(literal(r.owner))
        lines.append(t)
        t = Text("Forecast ")
        t.append(fmt_date(r.forecast, False), style="bold")
        t.append(" (delivered)" if r.supplier_done else "")
        t.append(", needed by ")
        t.append(fmt_date(r.need_by, False), style="bold")
        t.append(": ")
        t.append_text(status_badge(r.status))
        t.append(" slack ")
        t.append_text(slack_text(r.slack))
        fl = model.critical.floats.get(r.supplier_id)
        if fl is not None and not r.supplier_done:
            t.append(f" · supplier float {days(fl, signed=False)}")
        lines.append(t)
        if r.supplier_done:
            lines.append(
                Text("The supplier has delivered (actual date): nothing left to knock on.", style="dim")
            )
            return lines
        if r.slack is None:
            lines.append(Text("A milestone has no date yet: no slack to work out.", style="dim"))
            return lines
        pushes, new_slack = dependency_pushes(r, self.nudge)
        if self.nudge:
            lead = Text()
            lead.append(f"What if {r.supplier_code} moves {days(self.nudge)}", style="bold #5dade2")
            lead.append(" (not saved): slack ")
            lead.append_text(slack_text(new_slack))
            lead.append(" · ")
        elif r.status == LATE:
            lead = Text()
            lead.append(f"Late {-r.slack}d", style="bold")
            lead.append(f"; if {r.consumer_code} re-plans to honour it: ")
        else:
            lead = Text("")
        if not pushes:
            t = lead.copy()
            t.append(f"No knock-on: a supplier slip of up to {max(new_slack or 0, 0)}d is absorbed")
            if fl is not None:
                t.append(f"; the programme end moves after {fl - self.nudge}d" if fl > self.nudge else "")
            t.append(". + / - test a slip.", style="dim")
            lines.append(t)
            return lines
        why = {r.supplier_id: "what-if", r.consumer_id: "re-planned to honour it"}
        lines.extend(self.impact_lines(model, propagate(self.network(), pushes), lead, why))
        return lines

    def milestone_panel(self, model: Model, mid: int) -> list[Text]:
        m = model.row("milestone", mid)
        if m is None:
            return [Text("This milestone was deleted.", style="dim")]
        cp = model.critical
        lines: list[Text] = []
        t = Text()
        t.append_text(literal(self._label(model, mid)))
        fl = cp.floats.get(mid)
        if fl is not None:
            t.append(f" · float {days(fl, signed=False)} ", style="bold")
            t.append_text(critical_mark(mid in cp.chain, cp.category(mid)))
        lines.append(t)
        date = m["actual_date"] or m["forecast_date"] or m["baseline_date"]
        t = Text(f"{'Actual' if m['actual_date'] else 'Forecast'} ")
        t.append(fmt_date(date, False), style="bold")
        if m["baseline_date"] and date:
            slip = (pendulum.Date.fromisoformat(date) - pendulum.Date.fromisoformat(m["baseline_date"])).days
            t.append(f" · baseline {m['baseline_date']} ({days(slip)})")
        if fl is not None and fl > 0:
            t.append(f" · can slip {fl}d before the programme end moves")
        elif fl == 0:
            t.append(" · any slip moves the programme end")
        elif fl is not None:
            t.append(f" · {-fl}d behind the date its successors need")
        lines.append(t)
        feeds = [r for r in self._rows.values() if r.supplier_id == mid]
        needs = [r for r in self._rows.values() if r.consumer_id == mid]
        for title, group, other in (("Feeds ", feeds, "consumer"), ("Needs ", needs, "supplier")):
            if not group:
                continue
            t = Text(title, style="bold")
            for k, r in enumerate(sorted(group, key=default_order)):
                if k:
                    t.append(", ")
                t.append(STATUS_GLYPH.get(r.status, "?"), style=STATUS_STYLE.get(r.status, ""))
                t.append(" ")
                t.append_text(literal(getattr(r, other)))
                t.append(f" ({days(r.slack)})" if r.slack is not None else "")
            lines.append(t)
        if m["actual_date"]:
            lines.append(Text("Delivered (actual date): it no longer moves.", style="dim"))
            return lines
        if not self.nudge:
            lines.append(
                Text("+ / - (] / [ a week) to test a slip of this milestone; nothing is saved.", style="dim")
            )
            return lines
        lead = Text()
        lead.append(f"What if it moves {days(self.nudge)}", style="bold #5dade2")
        lead.append(" (not saved): ")
        lines.extend(
            self.impact_lines(model, propagate(self.network(), {mid: self.nudge}), lead, {mid: "what-if"})
        )
        return lines

    def matrix_panel(self, model: Model) -> list[Text]:
        matrix = self.query_one("#deps-matrix", DependencyMatrix)
        legend = Text("Rows supply, columns need. ", style="dim")
        for s in STATUS_ORDER:
            legend.append(f"{STATUS_GLYPH[s]} {s}  ", style="dim")
        legend.append("(worst shown) · enter lists them", style="dim")
        pair = matrix.selected_pair()
        if pair is None:
            return [legend]
        cell = matrix.matrix.cell(*pair)
        t = Text(f"{pair[0]} → {pair[1]}: ", style="bold")
        t.append(f"{cell.count} dependenc{'y' if cell.count == 1 else 'ies'}")
        if cell.count:
            t.append(f" ({cell.describe()})")
        lines = [legend, t]
        for r in sorted((self._rows[i] for i in cell.dependency_ids if i in self._rows), key=default_order):
            line = Text("  ")
            line.append_text(status_badge(r.status, short=True))
            line.append(f" {days(r.slack):>5}  ")
            line.append_text(literal(r.supplier_name))
            line.append(" → ")
            line.append_text(literal(r.consumer_name))
            lines.append(line)
        return lines

    # ------------------------------------------------------------------ events

    @on(DataTable.RowHighlighted, "#deps-board")
    @on(DataTable.RowHighlighted, "#deps-critical")
    @on(DataTable.CellHighlighted, "#deps-matrix")
    def _highlighted(self) -> None:
        self._update_panel()

    @on(DataTable.RowSelected, "#deps-board")
    @on(DataTable.RowSelected, "#deps-critical")
    @on(DataTable.CellSelected, "#deps-matrix")
    def _selected(self) -> None:
        self.action_open()

    def on_resize(self, event: Resize) -> None:
        if self.model is not None:
            self._render_view()
            self._update_panel()

    # ------------------------------------------------------------------ views, grouping, filters

    def action_toggle_view(self, view: str) -> None:
        self.set_view("board" if self.view == view else view)

    def set_view(self, view: str) -> None:
        self.view = view
        self.nudge, self._nudge_key = 0, None
        self.query_one("#deps-views", ContentSwitcher).current = f"deps-{view}"
        self._render_view()
        self.query_one(f"#deps-{view}").focus()
        self._update_summary()
        self._update_panel()

    def action_cycle_group(self) -> None:
        self.grouping = GROUPINGS[(GROUPINGS.index(self.grouping) + 1) % len(GROUPINGS)]
        if self.view != "board":
            self.set_view("board")
        self._refilter()
        self.notify(
            f"Grouped by {self.grouping} project" if self.grouping != "none" else "Not grouped", timeout=1.5
        )

    def action_cycle_status(self) -> None:
        self.status_filter = STATUS_FILTERS[
            (STATUS_FILTERS.index(self.status_filter) + 1) % len(STATUS_FILTERS)
        ]
        if self.view == "matrix":
            self.set_view("board")
        self._refilter()

    def action_cycle_project(self) -> None:
        codes = sorted(
            {r.supplier_code for r in self._rows.values()} | {r.consumer_code for r in self._rows.values()}
        )
        model = self.model
        if model is not None:
            rank = {p.code: i for i, p in enumerate(model.snapshot.projects)}
            codes.sort(key=lambda c: (rank.get(c, 1 << 30), c))
        choices = ["", *codes]
        i = choices.index(self.project_filter) if self.project_filter in choices else 0
        self.project_filter = choices[(i + 1) % len(choices)]
        self._refilter()

    def _refilter(self) -> None:
        self._render_view()
        self._update_summary()
        self._update_panel()

    FILTER_ID = "deps-filter"

    def refilter(self) -> None:
        self._refilter()

    def focus_main(self) -> None:
        self.query_one(f"#deps-{self.view}").focus()

    def action_back(self) -> None:
        """escape: close the filter box, else leave the critical/matrix view, else clear filters."""
        if self.close_filter():
            pass
        elif self.nudge:
            self.action_reset_nudge()
        elif self.view != "board":
            self.set_view("board")
        elif self.status_filter != "all" or self.project_filter or self.filter_text:
            self.status_filter, self.project_filter, self.filter_text = "all", "", ""
            self._refilter()

    def _clear_filters(self) -> None:
        box = self.query_one("#deps-filter", Input)
        box.value = ""
        box.display = False
        self.status_filter, self.project_filter, self.filter_text = "all", "", ""

    # ------------------------------------------------------------------ what-if

    def action_nudge(self, delta: int) -> None:
        if self.view == "matrix":
            self.notify("Select a dependency (board) or a milestone (critical path) to nudge.", timeout=2)
            return
        if self.view == "board":
            r = self.selected_dependency()
            if r is None:
                return
            if r.supplier_done:
                self.notify("The supplier has delivered: its date no longer moves.", timeout=2)
                return
            key: tuple[str, int] = ("dependency", r.id)
        else:
            mid = self.selected_milestone_id()
            if mid is None:
                return
            key = ("milestone", mid)
        if key != self._nudge_key:
            self._nudge_key, self.nudge = key, 0
        self.nudge += delta
        self._update_summary()
        self._update_panel()

    def action_reset_nudge(self) -> None:
        self.nudge = 0
        self._update_summary()
        self._update_panel()

    # ------------------------------------------------------------------ drill-in, jumps

    def action_open(self) -> None:
        if self.view == "matrix":
            pair = self.query_one("#deps-matrix", DependencyMatrix).selected_pair()
            if pair is None:
                return
            self._clear_filters()
            self.filter_text = f"from:{pair[0]} to:{pair[1]}"
            box = self.query_one("#deps-filter", Input)
            box.value = self.filter_text
            box.display = True
            self.set_view("board")
            return
        model = self.model
        if model is None:
            return
        if self.view == "board":
            r = self.selected_dependency()
            project_id = r.supplier_project if r else None
        else:
            m = model.row("milestone", self.selected_milestone_id())
            project_id = m["project_id"] if m else None
        if project_id is not None:
            from pgmtui.screens.portfolio import ProjectDetailScreen

            self.app.push_screen(ProjectDetailScreen(project_id))

    def open_record(self, kind: str, record_id: int) -> None:
        """Palette / stand-up jumps: a dependency on the board, a milestone on the critical path."""
        if not self._rows:  # not shown yet: do it once the model is on screen
            self._pending_open = (kind, record_id)
            return
        if kind == "dependency":
            if self.view != "board":
                self.set_view("board")
            if record_id not in self._order:
                self._clear_filters()
                self._refilter()
            if record_id in self._order:
                self.query_one("#deps-board", DataTable).move_cursor(row=self._order.index(record_id))
                self._update_panel()
        elif kind == "milestone":
            if self.view != "critical":
                self.set_view("critical")
            if record_id not in self._crit_order and (self.filter_text or self.project_filter):
                self._clear_filters()
                self._refilter()
            if record_id in self._crit_order:
                self.query_one("#deps-critical", DataTable).move_cursor(row=self._crit_order.index(record_id))
                self._update_panel()

    # ------------------------------------------------------------------ editing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_dependency", "delete_dependency") and self.view != "board":
            return None
        return True

    def action_new_dependency(self) -> None:
        defaults: dict[str, Any] = {"type": "FS", "lag_days": 0}
        model = self.model
        if model is not None and self.view == "critical":
            mid = self.selected_milestone_id()
            if mid is not None:
                defaults["supplier"] = model.ref_label("milestone", mid)
        self.app.push_screen(
            RecordForm(
                "dependency", fields=DEPENDENCY_FORM_FIELDS, defaults=defaults, title="New dependency"
            ),
            self._after_save,
        )

    def action_edit_dependency(self) -> None:
        model = self.model
        r = self.selected_dependency()
        record = model.row("dependency", r.id) if (model and r) else None
        if record is not None:
            self.app.push_screen(
                RecordForm(
                    "dependency",
                    record,
                    fields=DEPENDENCY_FORM_FIELDS,
                    title=f"Edit dependency #{r.id}: {r.supplier} → {r.consumer}",
                ),
                self._after_save,
            )

    def _after_save(self, dep_id: int | None) -> None:
        if dep_id is None:
            return
        if self.view != "board":
            self.set_view("board")
        if dep_id in self._order:
            self.query_one("#deps-board", DataTable).move_cursor(row=self._order.index(dep_id))
        else:
            self._pending_select = dep_id  # selected when the refreshed model shows it

    def action_delete_dependency(self) -> None:
        model = self.model
        r = self.selected_dependency()
        record = model.row("dependency", r.id) if (model and r) else None
        if record is None:
            return
        confirm_delete(
            self,
            "dependency",
            record,
            f"#{r.id}",
            detail=f"{r.supplier} → {r.consumer} ({r.type_lag}). The deletion is kept in the audit trail.",
        )

    def palette_commands(self):
        from textual.app import SystemCommand

        yield SystemCommand(
            "New dependency", "Add a dependency between two milestones (n)", self.action_new_dependency
        )
        yield SystemCommand(
            "Edit dependency", "Edit the selected dependency (e)", self.action_edit_dependency
        )
        yield SystemCommand(
            "Critical path",
            "Show the chain that sets the programme end (c)",
            lambda: self.set_view("critical"),
        )
        yield SystemCommand(
            "Dependency matrix",
            "Projects × projects, worst status per cell (m)",
            lambda: self.set_view("matrix"),
        )
        yield SystemCommand(
            "Dependency board", "Every dependency, late first", lambda: self.set_view("board")
        )
        yield SystemCommand(
            "Late dependencies only", "Filter the board to late dependencies", self._only_late
        )
        yield SystemCommand(
            "Group dependencies", "Group by supplier / consumer project (g)", self.action_cycle_group
        )

    def _only_late(self) -> None:
        self.status_filter = "late"
        self.set_view("board")
        self._refilter()


def _sig(value: Any) -> tuple[str, str]:
    if isinstance(value, Text):
        return value.plain, str(value.style)
    return ("" if value is None else str(value)), ""
