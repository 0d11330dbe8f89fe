"""The header line: programme name, its RAG, the screen's title, today, and live / read-only /
not live / "as of …" (time travel) state.

At 80 columns (the usual SSH size) not everything fits. What must stay: the programme's RAG,
today's date and whether the picture is live (or read-only, not live, or "as of" a past date). What gives way, in this
order: the programme name is shortened (…), the `pgmtui` mark goes, the programme name goes (its
RAG stays), the screen title is shortened (a drill-in's title says which record it shows: it goes
after the name, which is the same on every screen), the separators narrow, the date loses its
weekday and year (`header_line`, unit-tested at every width from 30 to 200).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.widgets import Static

from pgmtui.app import PgmApp
from pgmtui.widgets.badges import rag_badge

if TYPE_CHECKING:
    from pgmtui.model import Model  # not at run time: the cached first screen imports this module

WARNING_STATUSES = ("read-only", "not live")  # shown first, in reverse video
MIN_NAME = 10  # a programme name shortened below this says nothing: it goes instead
MIN_TITLE = 12


@dataclass(frozen=True)
class HeaderParts:
    title: str
    status: str = ""
    programme: str = ""
    rag: str | None = None
    overridden: bool = False
    today_long: str = ""  # "Wed 25 Nov 2026"
    today_short: str = ""  # "25 Nov"


@dataclass(frozen=True)
class _Layout:
    brand: bool
    sep: str
    long_date: bool
    name: str  # "whole", "cut" (shortened to what is left, at least MIN_NAME) or "none"
    title: str  # "whole" or "cut" (shortened to what is left, at least MIN_TITLE)


LAYOUTS = (  # from the richest to the barest; the first that fits is used
    _Layout(True, "  │  ", True, "whole", "whole"),
    _Layout(True, "  │  ", True, "cut", "whole"),
    _Layout(False, "  │  ", True, "cut", "whole"),
    _Layout(False, "  │  ", True, "none", "whole"),
    _Layout(False, "  │  ", True, "none", "cut"),
    _Layout(False, " │ ", True, "none", "cut"),
    _Layout(False, " │ ", False, "none", "cut"),
)


def _past(status: str) -> bool:
    return status.startswith("as of ")


def _cut(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)].rstrip() + "…"


def header_line(parts: HeaderParts, width: int) -> Text:
    """The header for a terminal `width` columns wide (see the module docstring for the order)."""
    for layout in LAYOUTS:
        line = _compose(parts, layout, width)
        if line is not None:
            return line
    return _compose(parts, LAYOUTS[-1], width, min_title=0) or Text()


def _compose(parts: HeaderParts, layout: _Layout, width: int, min_title: int = MIN_TITLE) -> Text | None:
    status = parts.status
    head = Text(no_wrap=True)
    if layout.brand:
        head.append(" pgmtui ", style="bold reverse")
    if status in WARNING_STATUSES:  # first, in reverse video: nobody misses it
        head.append(
            f" {status} ", style="bold reverse red" if status == "read-only" else "bold reverse yellow"
        )
    elif _past(status):  # time travel: read-only too, and says when
        head.append(f" {status} · T: live ", style="bold reverse magenta")
    tail = Text(no_wrap=True)
    tail.append(layout.sep)
    tail.append(parts.today_long if layout.long_date else parts.today_short)
    if status and status not in WARNING_STATUSES and not _past(status):
        tail.append(layout.sep)
        tail.append(status, style="dim")
    badge = rag_badge(parts.rag, overridden=parts.overridden) if parts.rag else None
    name = parts.programme if layout.name != "none" else ""
    middle = badge is not None or bool(name)
    # Columns left for the title (with its leading space) and the name (with its trailing space).
    room = width - head.cell_len - tail.cell_len - (len(layout.sep) if middle else 0)
    room -= badge.cell_len if badge is not None else 0
    title = parts.title
    if layout.title == "cut":
        title = _cut(title, room - 1 - (len(name) + 1 if name else 0))
        if len(title) < min(min_title, len(parts.title)):
            return None
    room -= len(title) + 1 if title else 0
    if name and len(name) + 1 > room:
        if layout.name == "whole" or room - 1 < MIN_NAME:
            return None
        name = _cut(name, room - 1)
    if room < 0:
        return None
    line = head
    if title:
        line.append(" ")
        line.append(title, style="bold")
    if middle:
        line.append(layout.sep)
    if name:
        line.append(name)  # data, not markup
        if badge is not None:
            line.append(" ")
    if badge is not None:
        line.append_text(badge)
    line.append_text(tail)
    return line if line.cell_len <= width else None


def header_parts(title: str, status: str, model: Model | None) -> HeaderParts:
    if model is None:
        return HeaderParts(title, status)
    rag = model.rollup.rag
    return HeaderParts(
        title,
        status,
        model.programme_name,
        rag.final if model.programme_name or model.rollup.projects else None,
        bool(rag.overridden),
        model.today.format("ddd D MMM YYYY"),
        model.today.format("D MMM"),
    )


class ProgrammeHeader(Static):
    """One line; re-rendered only when the model, the title or the width changes (an idle terminal
    stays quiet)."""

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

    def on_resize(self) -> None:
        self._update(self.app.model)

    def set_title(self, title: str) -> None:
        self.screen_title = title
        self._update(self.app.model)

    def _update(self, model: Model | None) -> None:
        width = self.size.width or self.app.size.width or 80
        line = header_line(header_parts(self.screen_title, self.app.status, model), width)
        key = f"{width}:{line.markup}"
        if key != self._shown:  # an unchanged header costs no terminal output
            self._shown = key
            self.update(line)
