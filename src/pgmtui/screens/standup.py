"""Stand-up (key 5): what changed since the last working day (or a week, or your last visit), from
the audit trail, grouped and in plain words; then what needs attention today. `enter` opens the
record a line is about; `x` writes the highlight report."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pendulum
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pgmtui import clock
from pgmtui.domain.calendar import standup_window_start
from pgmtui.domain.standup import Line, Standup
from pgmtui.model import Model
from pgmtui.outfiles import OutputError, ensure_folder, write_file
from pgmtui.screens.base import PgmScreen

WINDOWS = ("day", "week", "visit")
WINDOW_NAMES = {"day": "since the last working day", "week": "last 7 days", "visit": "since my last visit"}
TONE_MARK = {"bad": ("✗ ", "bold red"), "good": ("✓ ", "green"), "": ("· ", "dim")}
ENV_REPORT_DIR = "PGMTUI_REPORT_DIR"


def state_file() -> Path:
    """Where 'my last visit' is remembered: a small per-user file in the XDG state dir."""
    import platformdirs

    return Path(platformdirs.user_state_dir("pgmtui", appauthor=False)) / "last_visit.json"


def read_and_stamp_visit(db_path: Path, now: str) -> str | None:
    """The previous visit's timestamp for this database, and remember `now` as the latest visit."""
    path = state_file()
    key = str(Path(db_path).resolve())
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    previous = data.get(key)
    data[key] = now
    try:
        write_file(ensure_folder(path.parent) / path.name, json.dumps(data, indent=1, sort_keys=True))
    except OutputError:
        pass  # a read-only home must not stop the stand-up
    return previous if isinstance(previous, str) else None


def line_prompt(line: Line) -> Text:
    mark, style = TONE_MARK.get(line.tone, TONE_MARK[""])
    t = Text("  ")
    t.append(mark, style=style)
    t.append(line.text)  # data, never markup
    if line.users:
        t.append(f"  — {', '.join(line.users)}", style="dim")
    return t


class StandupScreen(PgmScreen):
    SCREEN_TITLE = "Stand-up"
    HELP = (
        "What changed, from the audit trail: RAG changes with their reasons, new/closed/re-scored "
        "risks, milestones that moved (and what they knock on), dependencies that turned late, "
        "measurements, new issues and decisions, and who changed what. Then what needs attention "
        "today. `w` changes the window (last working day — Monday covers Friday —, 7 days, since "
        "your last visit); `enter` opens the record; `x` writes the highlight report (HTML)."
    )
    CSS_PATH = "standup.tcss"

    BINDINGS = [
        Binding("enter", "open_line", "Open"),
        Binding("w", "cycle_window", "Window"),
        Binding("x", "write_report('html')", "Report"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.window = "day"
        self.last_visit: str | None = None
        self.standup: Standup | None = None
        self._lines: dict[str, Line] = {}
        self._rendered: list[tuple[str, str]] = []
        self._visit_loaded = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="standup-heading")
        yield OptionList(id="standup-lines")

    def on_mount(self) -> None:
        self.query_one("#standup-lines").focus()
        self._load_visit()

    @work(thread=True, group="standup-visit")
    def _load_visit(self) -> None:
        previous = read_and_stamp_visit(self.app.db_path, clock.timestamp())
        self.app.from_worker(self._visit_loaded_cb, previous)

    def _visit_loaded_cb(self, previous: str | None) -> None:
        self.last_visit = previous
        self._visit_loaded = True
        if self.window == "visit" and self.model is not None:
            self.show_model(self.model)

    # ------------------------------------------------------------------ computing

    def window_start(self, today: pendulum.Date) -> tuple[pendulum.DateTime, str]:
        if self.window == "week":
            start = pendulum.datetime(today.year, today.month, today.day, tz="UTC").subtract(days=7)
            return start, f"in the last 7 days (since {start.format('ddd D MMM')})"
        if self.window == "visit" and self.last_visit:
            start = pendulum.parse(self.last_visit)
            return start, f"since your last visit ({start.format('ddd D MMM HH:mm')} UTC)"
        start = standup_window_start(today)
        return start, f"since the last working day ({start.format('ddd D MMM')})"

    def show_model(self, model: Model) -> None:
        start, label = self.window_start(model.today)
        self._compute(model, start, label)

    @work(thread=True, exclusive=True, group="standup")
    def _compute(self, model: Model, start: pendulum.DateTime, label: str) -> None:
        from pgmtui.services import standup_of

        store = self.app.store
        if store is None:
            return
        result = standup_of(store, model.today, start, window=label, model=model)
        self.app.from_worker(self._show, result)

    # ------------------------------------------------------------------ rendering

    def _show(self, result: Standup) -> None:
        self.standup = result
        n = result.change_count
        heading = Text()
        heading.append(f"{n} change{'s' if n != 1 else ''}", style="bold")
        heading.append(f" from {result.n_audit_rows} audit entries · w: change the window", style="dim")
        self.query_one("#standup-heading", Static).update(heading)

        options: list[Option] = []
        lines: dict[str, Line] = {}
        rendered: list[tuple[str, str]] = []

        def header(title: str, count: int | None = None) -> None:
            t = Text(title, style="bold reverse" if count is None else "bold")
            if count is not None:
                t.append(f"  ({count})", style="dim")
            options.append(Option(t, id=f"h{len(options)}", disabled=True))
            rendered.append(("h", t.plain))

        def add(line: Line) -> None:
            oid = f"l{len(options)}"
            lines[oid] = line
            options.append(Option(line_prompt(line), id=oid))
            rendered.append((f"{line.kind}:{line.record_id}:{line.text}", line.text))

        header(f"What changed {result.window}")
        if not any(s.lines for s in result.changes):
            add(Line("Nothing changed in this window."))
        for s in result.changes:
            if s.lines:
                header(s.title, len(s.lines))
                for line in s.lines:
                    add(line)
        header("Needs attention today")
        if not any(s.lines for s in result.attention):
            add(Line("Nothing needs attention today.", tone="good"))
        for s in result.attention:
            if s.lines:
                header(s.title, len(s.lines))
                for line in s.lines:
                    add(line)

        if rendered == self._rendered:
            return  # nothing new: leave the list (and its cursor) alone
        ol = self.query_one("#standup-lines", OptionList)
        keep = self._selected_key()
        old_index = ol.highlighted
        ol.clear_options()
        ol.add_options(options)
        self._lines = lines
        self._rendered = rendered
        keys = [k for k, _ in rendered]
        if keep is not None and keep in keys:
            ol.highlighted = keys.index(keep)
        elif old_index is not None and options:
            ol.highlighted = min(old_index, len(options) - 1)
            if options[ol.highlighted].disabled:
                ol.action_cursor_down()
        else:
            first = next((i for i, o in enumerate(options) if not o.disabled), None)
            ol.highlighted = first

    def _selected_key(self) -> str | None:
        ol = self.query_one("#standup-lines", OptionList)
        if ol.highlighted is None or ol.highlighted >= len(self._rendered):
            return None
        return self._rendered[ol.highlighted][0]

    def selected_line(self) -> Line | None:
        option = self.query_one("#standup-lines", OptionList).highlighted_option
        return self._lines.get(option.id) if option is not None and option.id else None

    # ------------------------------------------------------------------ actions

    @on(OptionList.OptionSelected, "#standup-lines")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_line()

    def action_open_line(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        if line.kind is None or line.record_id is None:
            self.notify("This line is not about a single record (or the record was deleted).", timeout=3)
            return
        if line.kind == "programme":
            self.app.action_switch_screen("portfolio")
            return
        self.app.open_record(line.kind, line.record_id)

    def action_cycle_window(self) -> None:
        i = WINDOWS.index(self.window)
        self.window = WINDOWS[(i + 1) % len(WINDOWS)]
        if self.window == "visit" and self._visit_loaded and not self.last_visit:
            self.notify("No earlier visit remembered yet: showing the last working day.", timeout=3)
        self.notify(f"Stand-up window: {WINDOW_NAMES[self.window]}", timeout=1.5)
        if self.model is not None:
            self.show_model(self.model)

    def action_write_report(self, fmt: str = "html") -> None:
        self._write_report(fmt)

    @work(thread=True, group="standup-report")
    def _write_report(self, fmt: str) -> None:
        from pgmtui.report import render
        from pgmtui.services import report_of

        store = self.app.store
        if store is None:
            return
        today = clock.today()
        folder = Path(os.environ.get(ENV_REPORT_DIR) or Path.cwd())
        path = folder / f"highlight-report-{today.isoformat()}.{fmt}"
        shared = bool(getattr(self.app, "shared", False))
        try:
            text = render(report_of(store, today), fmt)
            write_file(ensure_folder(folder, shared=shared) / path.name, text, shared=shared)
        except OutputError as exc:
            self.app.from_worker(
                self.notify, f"Could not write the report: {exc}", severity="error", timeout=8, markup=False
            )
            return
        self.app.from_worker(
            self.notify, f"Highlight report written to {path}", title="Report", timeout=8, markup=False
        )

    def palette_commands(self):
        yield SystemCommand(
            "Write highlight report (HTML)",
            "PRINCE2 highlight report as one HTML file (x)",
            lambda: self.action_write_report("html"),
        )
        yield SystemCommand(
            "Write highlight report (Markdown)",
            "Highlight report as Markdown",
            lambda: self.action_write_report("md"),
        )
        yield SystemCommand(
            "Write highlight report (JSON)",
            "Highlight report as JSON",
            lambda: self.action_write_report("json"),
        )
        yield SystemCommand(
            "Change stand-up window",
            "Last working day / 7 days / since my last visit (w)",
            self.action_cycle_window,
        )
