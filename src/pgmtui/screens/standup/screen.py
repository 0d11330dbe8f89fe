"""Stand-up (key 5): what changed since the last working day (or a week, or your last visit), from
the audit trail, grouped and in plain words; then what needs attention today. `enter` opens the
record a line is about; `x` writes the highlight report (a download in a browser session).

The audit trail is read, and the report written, off the UI thread (`read_store`): a busy or
damaged database, or a folder that cannot be written, is a message on screen, never a closed app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pendulum
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pgmtui import clock
from pgmtui.actions import Act
from pgmtui.domain.standup import Line, Standup
from pgmtui.model import Model
from pgmtui.outfiles import OutputError, ensure_folder, write_file
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.downloads import Saved, hand_over, highlight_report, save_document
from pgmtui.screens.standup.view import WINDOW_NAMES, Entry, entries, heading, next_window, window_start

if TYPE_CHECKING:
    from pgmtui.store import Store


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


def write_report(
    store: Store, today: pendulum.Date, fmt: str, folder: Path, *, shared: bool = False
) -> Saved:
    """Build the highlight report and write it to `folder` (safely: a temporary file renamed into
    place, private unless the database is shared). A store error propagates, a file error is returned."""
    return save_document(highlight_report(today, fmt)(store), folder, shared=shared)


class StandupScreen(PgmScreen):
    SCREEN_TITLE = "Stand-up"
    HELP = (
        "First what needs attention today: overdue issues, overdue risk reviews, milestones due in "
        "the next 5 working days, Red projects without a recent note (and the areas' own checks). "
        "Then what changed, from the audit trail: RAG changes with their reasons (in full), "
        "new/closed/re-scored risks, milestones that moved (and what they knock on), dependencies "
        "that turned late, measurements, new issues and decisions, and who changed what. `w` "
        "changes the window (last working day — Monday covers Friday —, 7 days, since your last "
        "visit); `enter` opens the record; `x` writes the highlight report (HTML)."
    )
    CSS_PATH = "standup.tcss"

    ACTIONS = (
        Act(
            "standup.open",
            "enter",
            "open_line",
            "Open",
            "Open the record the line is about",
            palette=False,
        ),
        Act(
            "standup.window",
            "w",
            "cycle_window",
            "Window",
            "Last working day / 7 days / since my last visit",
            title="Change stand-up window",
        ),
        Act(
            "standup.report",
            "x",
            "write_report('html')",
            "Report",
            "PRINCE2 highlight report as one HTML file (ctrl+p: Markdown, JSON)",
            palette=False,  # the app's palette offers the report in every format, on every screen
        ),
    )

    def __init__(self) -> None:
        super().__init__()
        self.window = "day"
        self.last_visit: str | None = None
        self.standup: Standup | None = None
        self.entries: list[Entry] = []
        self._shown: list[tuple[str, str]] = []
        self._visit_loaded = False
        self._asked = 0  # stand-ups asked for; only the latest one's answer is shown

    def compose_body(self) -> ComposeResult:
        yield Static(id="standup-heading")
        yield OptionList(id="standup-lines")

    def on_mount(self) -> None:
        self.lines.focus()
        self._load_visit()

    @property
    def lines(self) -> OptionList:
        return self.query_one("#standup-lines", OptionList)

    # A small file in the user's state folder, not the database: a plain thread worker that
    # touches no widget (its answer comes back through `from_worker`).
    @work(thread=True, group="standup-visit", exit_on_error=False)
    def _load_visit(self) -> None:
        previous = read_and_stamp_visit(self.app.db_path, clock.timestamp())
        self.app.from_worker(self._visit_loaded_cb, previous)

    def _visit_loaded_cb(self, previous: str | None) -> None:
        self.last_visit = previous
        self._visit_loaded = True
        if self.window == "visit" and self.model is not None:
            self.show_model(self.model)

    # ------------------------------------------------------------------ computing

    def show_model(self, model: Model) -> None:
        from pgmtui.services import standup_of

        start, label = window_start(self.window, model.today, self.last_visit)
        self._asked += 1
        asked = self._asked

        def read(store: Store) -> Standup:
            return standup_of(store, model.today, start, window=label, model=model)

        def done(result: Standup) -> None:
            if asked == self._asked:  # an older window's answer arriving late is dropped
                self._show(result)

        self.read_store(read, done, description="Stand-up")

    # ------------------------------------------------------------------ rendering

    def _show(self, result: Standup) -> None:
        self.standup = result
        self.query_one("#standup-heading", Static).update(heading(result))
        new = entries(result)
        shown = [(e.key, e.text.markup) for e in new]
        if shown == self._shown:
            return  # nothing new: leave the list (and its cursor) alone
        ol = self.lines
        keep = self._selected_key()
        old_index = ol.highlighted
        ol.clear_options()
        ol.add_options(
            Option(e.prompt, id=f"{'h' if e.is_heading else 'l'}{i}", disabled=e.is_heading)
            for i, e in enumerate(new)
        )
        self.entries, self._shown = new, shown
        keys = [e.key for e in new]
        if keep is not None and keep in keys:
            ol.highlighted = keys.index(keep)
        elif old_index is not None and new:
            ol.highlighted = min(old_index, len(new) - 1)
            if new[ol.highlighted].is_heading:
                ol.action_cursor_down()
        else:
            ol.highlighted = next((i for i, e in enumerate(new) if not e.is_heading), None)

    def _selected_key(self) -> str | None:
        index = self.lines.highlighted
        if index is None or index >= len(self.entries):
            return None
        return self.entries[index].key

    def selected_line(self) -> Line | None:
        index = self.lines.highlighted
        if index is None or index >= len(self.entries):
            return None
        return self.entries[index].line

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
            self.app.go_to_screen("portfolio")
            return
        self.app.open_record(line.kind, line.record_id)

    def action_cycle_window(self) -> None:
        self.window = next_window(self.window)
        if self.window == "visit" and self._visit_loaded and not self.last_visit:
            self.notify("No earlier visit remembered yet: showing the last working day.", timeout=3)
        self.notify(f"Stand-up window: {WINDOW_NAMES[self.window]}", timeout=1.5)
        if self.model is not None:
            self.show_model(self.model)

    def action_write_report(self, fmt: str = "html") -> None:
        """Build the report off the UI thread: a download in a browser, a file in a terminal."""
        hand_over(
            self.app, highlight_report(clock.today(), fmt), description="Highlight report", reply_to=self
        )
