"""The keyboard shell every screen shares: the `:` command line and `ctrl+f` full-text search.

`:` opens one line at the bottom (vim / k9s habit):

  :risk 12  :project IAM  :benefit fewer calls   open a record (any kind; an id, its code or name,
                                                 or a unique part of its name or title)
  :risks  :2  :dependencies                      go to a screen (its number, name or a kind it shows)
  :q  :quit                                      quit
  :new risk  :critical path  :export …           any command of the palette, by (fuzzy) name

Completion: the likeliest completion shows greyed after the cursor (tab or → takes it) and the line
below lists what else matches. An unknown command says so and stays open to be corrected.

`ctrl+f` searches the text of every record (SQLite FTS5, `Store.search`): results as you type, the
matched words highlighted (record text is data, never markup), enter opens the record on its
home screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.fuzzy import Matcher
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from pgmtui.actions import Act
from pgmtui.app import TOP_SCREENS, PgmApp
from pgmtui.model import Model
from pgmtui.screens.base import PgmModal
from pgmtui.widgets.cells import Column, Row
from pgmtui.widgets.record_table import RecordTable
from pgmtui.widgets.references import Unresolved, resolve

if TYPE_CHECKING:
    from pgmtui.store.search import SearchHit

QUIT_WORDS = ("q", "quit", "q!", "qa", "wq", "exit")
MAX_SHOWN = 6  # completions listed under the command line
SEARCH_LIMIT = 100


@dataclass(frozen=True)
class Command:
    """What a command line does: a message to show (the line stays open) or a thing to run."""

    run: Callable[[], object] | None = None
    error: str = ""


def _kinds(app: PgmApp) -> list[str]:
    return sorted(app.RECORD_HOME)


def _screen_words() -> dict[str, str]:
    """`:2`, `:risks`, `:stand-up`, `:standup` → the mode."""
    words: dict[str, str] = {}
    for top in TOP_SCREENS:
        words[top.key] = top.mode
        words[top.mode] = top.mode
        words[top.title.casefold()] = top.mode
    return words


def palette_commands(app: PgmApp, screen: Screen) -> list[tuple[str, Callable[[], object]]]:
    """The command palette's commands for `screen` (title, run it)."""
    return [(c.title, c.callback) for c in app.get_system_commands(screen)]


def interpret(app: PgmApp, screen: Screen, line: str) -> Command:
    """What `line` (without the `:`) asks for; see the module docstring."""
    text = " ".join(line.split())
    if not text:
        return Command()
    word, _, rest = text.partition(" ")
    key = word.casefold()
    if key in QUIT_WORDS and not rest:
        return Command(app.exit)
    model = app.model
    kinds = _kinds(app)
    kind = key.replace("-", "_")
    if kind not in kinds and kind.endswith("s") and kind[:-1] in kinds and not rest:
        kind = kind[:-1]  # `:risks` is the risks screen
    if kind in kinds:
        if not rest:
            return Command(lambda: app.go_to_screen(app.RECORD_HOME[kind]))
        if model is None:
            return Command(error="The records are still loading.")
        try:
            record_id = resolve(model, kind, rest)
        except Unresolved as exc:
            return Command(error=str(exc))
        return Command(lambda: app.open_record(kind, record_id))
    mode = _screen_words().get(text.casefold())
    if mode is not None:
        return Command(lambda: app.go_to_screen(mode))
    matcher = Matcher(text)
    scored = sorted(
        ((matcher.match(title), title, run) for title, run in palette_commands(app, screen)),
        key=lambda s: -s[0],
    )
    if scored and scored[0][0] > 0:
        return Command(scored[0][2])
    return Command(
        error=f"Unknown command {text!r}: try :risk 12, :project CODE, :q, or a palette command "
        "(ctrl+p lists them)"
    )


def completions(app: PgmApp, screen: Screen, model: Model | None) -> list[str]:
    """Everything the command line can complete to, likeliest first."""
    words = ["q", *(t.mode for t in TOP_SCREENS if t.mode in app.available_modes)]
    for kind in _kinds(app):
        words.append(f"{kind} ")
        if model is not None:
            for row in model.rows(kind):
                words.append(f"{kind} {model.ref_label(kind, row['id'])}")
    words.extend(title for title, _ in palette_commands(app, screen))
    return words


class OneLinePopUp(PgmModal):
    """A pop-up around one text box (the command line, the search)."""

    def __init__(self, box: Input) -> None:
        super().__init__()
        self.box = box


class CommandLine(OneLinePopUp):
    """`:` — one line at the bottom; enter runs it, escape closes it."""

    DEFAULT_CSS = """
    CommandLine {
        align: left bottom;
        background: $background 0%;
    }
    CommandLine > #command-box {
        height: auto;
        width: 1fr;
        background: $panel;
    }
    CommandLine #command-row {
        height: 1;
    }
    CommandLine #command-prompt {
        width: 2;
        padding: 0 0 0 1;
        text-style: bold;
    }
    CommandLine #command-input {
        border: none;
        height: 1;
        width: 1fr;
        padding: 0 0;
    }
    CommandLine #command-hint {
        height: auto;
        max-height: 3;
        padding: 0 1;
        color: $text-muted;
    }
    """

    ACTIONS = (
        Act("command.close", "escape", "cancel", "Close", "Close the command line", palette=False),
        Act("command.complete", "tab", "complete", "Complete", "Take the completion", palette=False),
    )

    def __init__(self, under: Screen, choices: list[str]) -> None:
        super().__init__(
            Input(
                placeholder="risk 12 · project IAM · q · any palette command",
                suggester=SuggestFromList(choices, case_sensitive=False),
                id="command-input",
            )
        )
        self.under = under
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="command-box"):
            yield Static(id="command-hint")
            with Horizontal(id="command-row"):
                yield Static(":", id="command-prompt")
                yield self.box

    def on_mount(self) -> None:
        self.box.focus()
        self._hint(self.box.value)

    @property
    def line(self) -> Input:
        return self.box

    def _hint(self, text: str, *, error: bool = False) -> None:
        hint = self.query_one("#command-hint", Static)
        if error:
            hint.update(Text(text, style="bold reverse"))  # reads without colour too
            return
        typed = text.casefold()
        matches = [c.strip() for c in self.choices if c.casefold().startswith(typed) and c.strip()]
        shown = " · ".join(matches[:MAX_SHOWN]) + (" …" if len(matches) > MAX_SHOWN else "")
        hint.update(
            Text(f":{text.strip() or ''}  {shown}" if shown else ":", no_wrap=True, overflow="ellipsis")
        )

    @on(Input.Changed, "#command-input")
    def _changed(self, event: Input.Changed) -> None:
        self._hint(event.value)

    @on(Input.Submitted, "#command-input")
    def _submitted(self, event: Input.Submitted) -> None:
        command = interpret(self.app, self.under, event.value)
        if command.error:
            self._hint(command.error, error=True)
            return
        self.dismiss()
        if command.run is not None:
            self.app.call_later(command.run)

    def action_cancel(self) -> None:
        self.dismiss()

    def action_complete(self) -> None:
        line = self.line
        line.action_cursor_right()  # at the end, with a completion shown, this takes it
        line.cursor_position = len(line.value)


# ---------------------------------------------------------------------- search

SEARCH_COLUMNS = (
    Column("kind", "Kind", width=12),
    Column("ref", "Ref", max_width=18),
    Column("snippet", "Where the words are", flex=True, min_width=20),
)


def highlighted(hit: SearchHit) -> Text:
    """The snippet with the matched words in bold reverse (data, never markup; reads without colour)."""
    text = Text(" ".join(hit.snippet.split("\n")), no_wrap=True, overflow="ellipsis")
    for start, end in hit.marks:
        text.stylize("bold reverse", start, end)
    return text


def hit_rows(model: Model | None, hits: Iterable[SearchHit]) -> list[Row]:
    rows = []
    for index, hit in enumerate(hits):
        ref = model.ref_label(hit.kind, hit.id) if model is not None else str(hit.id)
        rows.append(
            Row(
                index,
                {
                    "kind": hit.kind.replace("_", " "),
                    "ref": Text(ref or hit.label, no_wrap=True, overflow="ellipsis"),
                    "snippet": highlighted(hit),
                },
            )
        )
    return rows


class SearchScreen(OneLinePopUp):
    """`ctrl+f` — search every record's text; enter opens the record under the cursor."""

    DEFAULT_CSS = """
    SearchScreen {
        align: center top;
    }
    SearchScreen > #search-box {
        width: 100%;
        height: 1fr;
        background: $panel;
        border: heavy $accent;
        border-title-style: bold;
    }
    SearchScreen #search-status {
        height: 1;
        padding: 0 1;
    }
    SearchScreen #search-results {
        height: 1fr;
    }
    """

    ACTIONS = (
        Act("search.close", "escape", "cancel", "Close", "Close the search", palette=False),
        Act(
            "search.results",
            "down",
            "to_results",
            "Results",
            "Move to the results",
            palette=False,
            footer=False,
        ),
    )

    def __init__(self) -> None:
        super().__init__(
            Input(
                placeholder="words to find, e.g. supplier migration", id="search-input", classes="line-input"
            )
        )
        self.hits: list[SearchHit] = []
        self._asked = 0  # the latest query sent; older answers are dropped

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box") as box:
            box.border_title = "Search every record (enter opens, escape closes)"
            yield Input(
                placeholder="words to find, e.g. supplier migration", id="search-input", classes="line-input"
            )
            yield Static(
                Text("Type to search titles, names, descriptions, notes…", style="dim"), id="search-status"
            )
            yield RecordTable("search", SEARCH_COLUMNS, id="search-results")

    def on_mount(self) -> None:
        self.box.focus()

    @property
    def results(self) -> RecordTable:
        return self.query_one("#search-results", RecordTable)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        query = event.value
        self._asked += 1
        asked = self._asked
        if not query.strip():
            self._show([], "")
            return
        self.read_store(
            lambda store: store.search(query, SEARCH_LIMIT),
            lambda hits: self._answer(asked, query, hits),
            description="search",
            failed=lambda exc: self._status(Text(f"Search failed: {exc}", style="bold")),
        )

    def _answer(self, asked: int, query: str, hits: list[SearchHit]) -> None:
        if asked == self._asked:  # an answer to what is typed now, not to a word typed earlier
            self._show(hits, query)

    def _show(self, hits: list[SearchHit], query: str) -> None:
        self.hits = list(hits)
        self.results.sync(hit_rows(self.app.model, self.hits))
        if not query.strip():
            self._status(Text("Type to search titles, names, descriptions, notes…", style="dim"))
        elif not hits:
            self._status(Text(f"Nothing matches {query.strip()!r}."))
        else:
            more = "+" if len(hits) >= SEARCH_LIMIT else ""
            self._status(Text(f"{len(hits)}{more} record(s) match — enter opens the first, ↓ to choose"))

    def _status(self, text: Text) -> None:
        self.query_one("#search-status", Static).update(text)

    @on(Input.Submitted, "#search-input")
    def _open_first(self) -> None:
        if self.hits:
            self._open(0)

    @on(RecordTable.Opened, "#search-results")
    def _opened(self, event: RecordTable.Opened) -> None:
        event.stop()
        self._open(event.record_id)

    def _open(self, index: int) -> None:
        hit = self.hits[index]
        self.dismiss()
        self.app.call_later(self.app.open_record, hit.kind, hit.id)

    def action_to_results(self) -> None:
        if self.hits:
            self.results.focus()

    def action_cancel(self) -> None:
        self.dismiss()
