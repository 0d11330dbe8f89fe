"""The header line: programme name, its RAG, the screen's title, today, and live / read-only /
"as of …" (time travel) state."""

from __future__ import annotations

from rich.text import Text
from textual import getters
from textual.widgets import Static

from pgmtui.app import PgmApp
from pgmtui.model import Model
from pgmtui.widgets.badges import rag_badge


class ProgrammeHeader(Static):
    """One line; re-rendered only when the model or the title changes (idle terminal stays quiet)."""

    DEFAULT_CSS = """
    ProgrammeHeader { height: 1; width: 1fr; background: $panel; color: $text; }
    """

    app = getters.app(PgmApp)  # typed: the header reads PgmApp's model and status

    def __init__(self, screen_title: str) -> None:
        super().__init__("", id="programme-header")
        self.screen_title = screen_title
        self._shown = ""

    def on_mount(self) -> None:
        self.watch(self.app, "model", self._update, init=True)
        self.watch(self.app, "status", lambda _=None: self._update(self.app.model), init=False)

    def set_title(self, title: str) -> None:
        self.screen_title = title
        self._update(self.app.model)

    def _update(self, model: Model | None) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" pgmtui ", style="bold reverse")
        status = self.app.status
        if status in ("read-only", "not live"):  # first, so that even 80 columns show it
            line.append(
                f" {status} ", style="bold reverse red" if status == "read-only" else "bold reverse yellow"
            )
        elif status.startswith("as of "):  # time travel: read-only too, and says when
            line.append(f" {status} · T: live ", style="bold reverse magenta")
        line.append(" ")
        line.append(self.screen_title, style="bold")
        if model is not None and model.programme_name:
            line.append("  │  ")
            line.append(model.programme_name)  # data, not markup
            line.append(" ")
            line.append_text(rag_badge(model.rollup.rag.final, overridden=model.rollup.rag.overridden))
        line.append("  │  ")
        if model is not None:
            line.append(model.today.format("ddd D MMM YYYY"))
        if status and status not in ("read-only", "not live") and not status.startswith("as of "):
            line.append("  │  ")
            line.append(status, style="dim")
        if line.markup != self._shown:  # an unchanged header costs no terminal output
            self._shown = line.markup
            self.update(line)
