"""Portfolio (key 1): the programme headline and one row per project, live, sortable, filterable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import DataTable, Input, Static

from pgmtui.domain.rollup import ProgrammeRollup, ProjectRollup
from pgmtui.model import Model
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.widgets.badges import BAND_STYLE, band_badge, literal, rag_badge
from pgmtui.widgets.format import compact_money, date, days, pct, ratio
from pgmtui.widgets.tables import LiveDataTable

PROJECT_FORM_FIELDS = (
    "code",
    "name",
    "manager",
    "stage",
    "start_date",
    "baseline_end",
    "forecast_end",
    "budget",
    "actual_cost",
    "percent_complete",
    "rag_override",
    "rag_reason",
    "status_note",
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    min_width: int  # screen width from which the column is shown
    numeric: bool = False
    max_chars: int | None = None  # long text columns are truncated to fit, at most this wide


COLUMNS = (
    Column("code", "Code", 0),
    Column("name", "Name", 100, max_chars=30),
    Column("manager", "Manager", 150),
    Column("stage", "Stage", 130),
    Column("rag", "RAG", 0),
    Column("slip", "Slip", 0, True),
    Column("pct", "Done", 0, True),
    Column("cpi", "CPI", 0, True),
    Column("spi", "SPI", 0, True),
    Column("eac", "EAC/BAC", 110, True),
    Column("risks", "H/C", 0, True),
    Column("late", "Late", 0, True),
    Column("next", "Next milestone", 0, max_chars=30),
    Column("next_date", "Due", 90),
)


def sort_value(p: ProjectRollup, key: str) -> Any:
    """What a column sorts by (numbers as numbers, RAG worst first, unknowns last)."""
    rag_rank = {"R": 0, "A": 1, "G": 2}
    big = float("inf")
    return {
        "code": p.code.lower(),
        "name": p.name.lower(),
        "manager": (p.manager or "").lower(),
        "stage": p.stage or "",
        "rag": rag_rank.get(p.rag.final or "", 3),
        "slip": -(p.slip_days if p.slip_days is not None else -big),
        "pct": p.percent_complete if p.percent_complete is not None else big,
        "cpi": p.evm.cpi if p.evm.cpi is not None else big,
        "spi": p.evm.spi if p.evm.spi is not None else big,
        "eac": -((p.evm.eac or 0) / p.evm.bac) if p.evm.bac else 0,
        "risks": -p.open_high_critical,
        "late": -p.late_dependencies,
        "next": p.next_milestone.date if p.next_milestone else "9999",
        "next_date": p.next_milestone.date if p.next_milestone else "9999",
    }[key]


def cells(p: ProjectRollup) -> dict[str, Text | str]:
    """The rendered cells of one project row. User text goes through `literal` (never markup)."""
    evm = p.evm
    eac = "–"
    if evm.bac:
        eac_value = evm.eac if evm.eac is not None else None
        eac = f"{compact_money(eac_value)}/{compact_money(evm.bac)}"
    slip = Text(days(p.slip_days), style="bold" if (p.slip_days or 0) > 0 else "")
    hc = band_badge("Critical" if p.risks_by_band.get("Critical") else "High", p.open_high_critical)
    if not p.open_high_critical:
        hc = Text("0")
    late = Text(str(p.late_dependencies), style=BAND_STYLE["High"] if p.late_dependencies else "")
    nm = p.next_milestone
    next_text = literal(("◆ " if nm.is_gate else "") + nm.name) if nm else Text("–")
    return {
        "code": literal(p.code),
        "name": literal(p.name),
        "manager": literal(p.manager or ""),
        "stage": literal(p.stage or ""),
        "rag": rag_badge(p.rag.final, overridden=p.rag.overridden),
        "slip": slip,
        "pct": pct(p.percent_complete),
        "cpi": ratio(evm.cpi),
        "spi": ratio(evm.spi),
        "eac": eac,
        "risks": hc,
        "late": late,
        "next": next_text,
        "next_date": date(nm.date) if nm else "–",
    }


def matches(p: ProjectRollup, query: str) -> bool:
    """Filter: words must all match; `rag:R`, `stage:delivery`, `manager:asha` narrow by field."""
    for word in query.lower().split():
        field, sep, value = word.partition(":")
        if sep and field in ("rag", "stage", "manager", "code"):
            target = {
                "rag": (p.rag.final or "").lower(),
                "stage": (p.stage or "").lower(),
                "manager": (p.manager or "").lower(),
                "code": p.code.lower(),
            }[field]
            if not (target.startswith(value) if field != "rag" else target == value[:1]):
                return False
        elif word not in " ".join((p.code, p.name, p.manager or "", p.stage or "")).lower():
            return False
    return True


def headline(r: ProgrammeRollup, width: int = 120) -> Text:
    """The programme in three lines: RAG and its evidence, time and money, risks / benefits / deps.

    Below 110 columns the labels shorten so that each line still fits on one row.
    """
    wide = width >= 110
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append_text(rag_badge(r.rag.final, overridden=r.rag.overridden, wide=True))
    t.append("  ")
    if r.rag.overridden and r.rag.reason:
        t.append("override: ", style="bold")
        t.append(r.rag.reason)
        t.append(f" (computed {r.rag.computed or '–'})", style="dim")
    else:
        worst = [e for e in r.rag.evidence if e.rag == r.rag.final]
        evidence = worst[0].text if worst else "no evidence yet"
        room = max(10, width - len(t.plain) - 2)
        t.append(evidence if len(evidence) <= room else evidence[: room - 1] + "…")
    t.append("\n")
    t.append("Schedule " if wide else "Slip ", style="bold")
    t.append(days(r.slip_days))
    if wide:
        t.append(f" (forecast {date(r.forecast_end)} vs baseline {date(r.baseline_end)})")
    t.append("   Budget " if wide else "  BAC ", style="bold")
    t.append(f"{compact_money(r.evm.bac)} → EAC {compact_money(r.evm.eac)}")
    if wide:
        t.append(f" {r.currency}")
    t.append("   CPI " if wide else "  CPI ", style="bold")
    t.append(ratio(r.evm.cpi))
    t.append(" SPI ", style="bold")
    t.append(ratio(r.evm.spi))
    t.append("\n")
    t.append("Open risks " if wide else "Risks ", style="bold")
    for band in ("Critical", "High", "Medium", "Low"):
        t.append_text(band_badge(band, r.risks_by_band.get(band, 0)))
        t.append(" ")
    t.append("  Benefits " if wide else " Benefits ", style="bold")
    t.append(f"{pct(r.realisation_pct)} realised" if wide else pct(r.realisation_pct))
    on_track = r.benefits_by_status.get("On track", 0) + r.benefits_by_status.get("Realised", 0)
    at_risk = r.benefits_by_status.get("At risk", 0) + r.benefits_by_status.get("Off track", 0)
    t.append(f" ({on_track} on track, {at_risk} at risk/off)" if wide else f" ({on_track}✓ {at_risk}!)")
    late = r.dependencies_by_status.get("late", 0)
    t.append("   Late deps " if wide else "  Late deps ", style="bold")
    t.append(str(late), style="bold red" if late else "")
    return t


EMPTY_HELP = (
    "No projects yet. Press n to add one (P sets up the programme: name, tolerances, currency), "
    "or try the demo programme: pgmtui --demo."
)


def evidence_text(p: ProjectRollup | None) -> Text:
    if p is None:
        return Text("No project selected.", style="dim")
    t = Text()
    t.append(f"{p.code} ", style="bold")
    t.append(p.name)
    t.append("  ")
    t.append_text(rag_badge(p.rag.final, overridden=p.rag.overridden))
    if p.rag.overridden:
        t.append("  override: ", style="bold")
        t.append(p.rag.reason or "")
        t.append(f" (evidence says {p.rag.computed or '–'})", style="dim")
    for e in p.rag.evidence:
        t.append("\n  ")
        t.append(f"{e.rag or '–'} ", style="bold")
        t.append(f"{e.dimension}: ")
        t.append(e.text)
    return t


class PortfolioScreen(PgmScreen):
    SCREEN_TITLE = "Portfolio"
    HELP = (
        "Every project of the programme with its evidence-based RAG (an override shows as A* with its "
        "reason below the table), schedule slip, % complete, CPI/SPI, EAC against budget, open "
        "high/critical risks, late incoming dependencies and next milestone. Filter with words or "
        "rag:R, stage:delivery, manager:NAME. enter opens the project under the cursor."
    )
    CSS_PATH = "portfolio.tcss"

    BINDINGS = [
        Binding("enter", "open_project", "Open"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse sort", key_display="S"),
        Binding("n", "new_project", "New"),
        Binding("e", "edit_project", "Edit"),
        Binding("d", "delete_project", "Delete"),
        Binding("P", "edit_programme", "Programme", key_display="P"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_key = "rag"
        self.sort_reverse = False
        self.filter_text = ""
        self._columns: tuple[Column, ...] = ()
        self._order: list[int] = []  # project ids in table order
        self._rendered: dict[int, dict[str, Any]] = {}
        self._by_id: dict[int, ProjectRollup] = {}
        self._headline_shown: dict[int, str] = {}
        self._evidence_shown = ""

    def compose_body(self) -> ComposeResult:
        # One Static per headline line: a live change repaints only the line whose figures moved.
        with Vertical(id="headline", classes="headline"):
            for i in range(3):
                yield Static(id=f"headline-{i}", classes="headline-line")
        yield Input(
            placeholder="filter: words, rag:R, stage:delivery, manager:asha — enter to apply", id="filter"
        )
        yield LiveDataTable(id="projects", cursor_type="row", zebra_stripes=True)
        yield Static(id="evidence")

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.query_one("#projects").focus()

    # ------------------------------------------------------------------ rendering

    def show_model(self, model: Model) -> None:
        r = model.rollup
        lines = headline(r, self.size.width or self.app.size.width).split("\n")
        for i, line in enumerate(lines[:3]):
            if line.markup != self._headline_shown.get(i):
                self._headline_shown[i] = line.markup
                self.query_one(f"#headline-{i}", Static).update(line)
        self._by_id = {p.project_id: p for p in r.projects}
        self._render_table()

    def _wanted_columns(self) -> tuple[Column, ...]:
        width = self.size.width or self.app.size.width
        return tuple(c for c in COLUMNS if width >= c.min_width)

    def _render_table(self) -> None:
        table = self.query_one("#projects", DataTable)
        columns = self._wanted_columns()
        rows = [p for p in self._by_id.values() if matches(p, self.filter_text)]
        rows.sort(key=lambda p: (sort_value(p, self.sort_key), p.code.lower()), reverse=self.sort_reverse)
        order = [p.project_id for p in rows]
        selected = self.selected_id()
        if columns != self._columns or order != self._order:
            # Structure changed (columns, rows, order): rebuild, then put the cursor back on its row.
            table.clear(columns=columns != self._columns)
            if columns != self._columns:
                widths = self._column_widths(columns, rows)
                for c in columns:
                    label = c.label + (" ▼" if c.key == self.sort_key and not self.sort_reverse else "")
                    label = label + (" ▲" if c.key == self.sort_key and self.sort_reverse else "")
                    table.add_column(label, key=c.key, width=widths.get(c.key))
                self._columns = columns
            self._rendered = {}
            for p in rows:
                values = cells(p)
                table.add_row(*(values[c.key] for c in columns), key=str(p.project_id))
                self._rendered[p.project_id] = values
            self._order = order
            if selected in order:
                table.move_cursor(row=order.index(selected), animate=False)
        else:
            # Same rows in the same order: touch only the cells whose content changed.
            for p in rows:
                values = cells(p)
                old = self._rendered.get(p.project_id, {})
                for c in columns:
                    if _plain(values[c.key]) != _plain(old.get(c.key)) or _style(values[c.key]) != _style(
                        old.get(c.key)
                    ):
                        table.update_cell(str(p.project_id), c.key, values[c.key])
                self._rendered[p.project_id] = values
        self._update_evidence()

    def _column_widths(self, columns: tuple[Column, ...], rows: list[ProjectRollup]) -> dict[str, int]:
        """Explicit widths for every column: fixed-format columns by their format, short text
        columns by their longest value, and what is left shared between the long text columns."""
        fixed = {"rag": 5, "slip": 5, "pct": 4, "cpi": 4, "spi": 4, "eac": 11, "risks": 5, "late": 4}
        fixed["next_date"] = 10
        longest = {
            "code": max((len(p.code) for p in rows), default=4),
            "manager": min(16, max((len(p.manager or "") for p in rows), default=7)),
            "stage": min(12, max((len(p.stage or "") for p in rows), default=5)),
        }
        widths: dict[str, int] = {}
        for c in columns:
            if not c.max_chars:
                label = len(c.label) + (2 if c.key == self.sort_key else 0)  # " ▼" sort mark
                widths[c.key] = max(label, fixed.get(c.key) or longest.get(c.key, 8))
        flexible = [c for c in columns if c.max_chars]
        used = sum(w + 2 for w in widths.values())  # each cell is padded by one space each side
        spare = max(12, (self.size.width or self.app.size.width) - used - 2 * len(flexible) - 2)
        share = spare // max(1, len(flexible))
        for c in flexible:
            widths[c.key] = max(10, min(c.max_chars or share, share))
        return widths

    def _update_evidence(self) -> None:
        if self._by_id:
            text = evidence_text(self._by_id.get(self.selected_id() or -1))
        else:
            text = Text(EMPTY_HELP)
        if text.markup != self._evidence_shown:  # repaint only what changed (live refresh over SSH)
            self._evidence_shown = text.markup
            self.query_one("#evidence", Static).update(text)

    def selected_id(self) -> int | None:
        table = self.query_one("#projects", DataTable)
        if not self._order or table.cursor_row < 0 or table.cursor_row >= len(self._order):
            return None
        return self._order[table.cursor_row]

    def selected(self) -> ProjectRollup | None:
        pid = self.selected_id()
        return self._by_id.get(pid) if pid is not None else None

    @on(DataTable.RowHighlighted, "#projects")
    def _row_highlighted(self) -> None:
        self._update_evidence()

    @on(DataTable.RowSelected, "#projects")
    def _row_selected(self) -> None:
        self.action_open_project()

    @on(DataTable.HeaderSelected, "#projects")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, False
        self._resort()

    def on_resize(self, event: Resize) -> None:
        if self._by_id:
            self._columns = ()  # widths depend on the terminal's width
            self._render_table()
        if self.model is not None:
            self._headline_shown = {}
            self.show_model(self.model)

    # ------------------------------------------------------------------ sorting and filtering

    def _resort(self) -> None:
        self._columns = ()  # header labels carry the sort mark
        self._render_table()
        label = next((c.label for c in COLUMNS if c.key == self.sort_key), self.sort_key)
        self.notify(f"Sorted by {label}{' (reversed)' if self.sort_reverse else ''}", timeout=1.5)

    def action_sort_next(self) -> None:
        keys = [c.key for c in self._columns] or [c.key for c in COLUMNS]
        i = keys.index(self.sort_key) if self.sort_key in keys else -1
        self.sort_key, self.sort_reverse = keys[(i + 1) % len(keys)], False
        self._resort()

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._resort()

    FILTER_ID = "filter"

    def refilter(self) -> None:
        self._render_table()

    def focus_main(self) -> None:
        self.query_one("#projects").focus()

    def action_clear_filter(self) -> None:
        self.close_filter()

    # ------------------------------------------------------------------ drill-in and editing

    def action_open_project(self) -> None:
        pid = self.selected_id()
        if pid is not None:
            from pgmtui.screens.project import ProjectDetailScreen

            self.app.push_screen(ProjectDetailScreen(pid))

    def open_record(self, kind: str, record_id: int) -> None:
        """Palette / stand-up jumps: select the project (or the milestone's project) and open it."""
        model = self.model
        if model is None:
            return
        if kind == "milestone":
            row = model.row("milestone", record_id)
            record_id = row["project_id"] if row else -1
        if record_id not in self._order and self.filter_text:
            self.action_clear_filter()
        if record_id in self._order:
            self.query_one("#projects", DataTable).move_cursor(row=self._order.index(record_id))
            self.action_open_project()

    def action_new_project(self) -> None:
        self.app.push_screen(RecordForm("project", fields=PROJECT_FORM_FIELDS), self._after_save)

    def action_edit_project(self) -> None:
        pid = self.selected_id()
        model = self.model
        if pid is None or model is None:
            return
        record = model.row("project", pid)
        if record is not None:
            self.app.push_screen(RecordForm("project", record, fields=PROJECT_FORM_FIELDS), self._after_save)

    def action_edit_programme(self) -> None:
        """The programme's own record: name, sponsor, dates, tolerances, RAG override."""
        model = self.model
        record = model.programme if model is not None else None
        self.app.push_screen(
            RecordForm("programme", record, title=None if record else "Set up the programme")
        )

    def _after_save(self, project_id: int | None) -> None:
        if project_id is not None:
            self._pending_select = project_id
            self.set_timer(0.3, self._select_pending)

    def _select_pending(self) -> None:
        pid = getattr(self, "_pending_select", None)
        if pid in self._order:
            self.query_one("#projects", DataTable).move_cursor(row=self._order.index(pid))

    def action_delete_project(self) -> None:
        pid = self.selected_id()
        model = self.model
        record = model.row("project", pid) if (model and pid is not None) else None
        if record is None:
            return
        n_ms = sum(1 for m in model.rows("milestone") if m["project_id"] == pid)
        n_risks = sum(1 for r in model.rows("risk") if r["project_id"] == pid)
        confirm_delete(
            self,
            "project",
            record,
            record["code"],
            detail=f"Its {n_ms} milestone(s), their dependencies and {n_risks} risk(s) go too. "
            "Every deletion is kept in the audit trail.",
        )

    def palette_commands(self):
        from textual.app import SystemCommand

        yield SystemCommand("New project", "Add a project to the programme (n)", self.action_new_project)
        yield SystemCommand(
            "Edit programme",
            "Name, sponsor, dates, tolerances, programme RAG override (P)",
            self.action_edit_programme,
        )
        yield SystemCommand("Edit project", "Edit the selected project (e)", self.action_edit_project)
        yield SystemCommand(
            "Filter projects", "Filter by text, rag:, stage:, manager: (/)", self.action_filter
        )
        yield SystemCommand("Sort projects", "Sort by the next column (s)", self.action_sort_next)


def _plain(value: Any) -> str:
    return value.plain if isinstance(value, Text) else ("" if value is None else str(value))


def _style(value: Any) -> str:
    return str(value.style) if isinstance(value, Text) else ""
