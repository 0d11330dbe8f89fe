"""The Textual application: top-level screens as modes, the live-refresh loop, writes in workers."""

from __future__ import annotations

import functools
import importlib
import importlib.util
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.worker import get_current_worker

from pgmtui import firstpaint
from pgmtui.actions import Act, KeymapError, bindings, load_keymap, writing_action
from pgmtui.screens.contract import DashboardScreen, OpenRecord, StoreJob, StoreReply

# Before the first frame this module imports only textual and light pgmtui modules: the clock
# (pendulum), the store, the model, the domain, the services and the real screens are imported
# off the first frame (the refresh worker, or the first use), so a cached first screen
# (pgmtui.firstpaint) shows as soon as Textual can paint.
if TYPE_CHECKING:
    import pendulum

    from pgmtui.domain.trend import Trend
    from pgmtui.model import Model
    from pgmtui.screens.portfolio import PortfolioScreen
    from pgmtui.services.timetravel import AsOf
    from pgmtui.store import Store

# How often the refresh loop asks SQLite "has anyone written?" (PRAGMA data_version: microseconds,
# so polling often is free; the wait for the next poll is part of every live update's latency).
POLL_SECONDS = 0.05
# While the database cannot be read (held by another program, an I/O error), try again this often.
RETRY_SECONDS = 1.0
# The first-paint cache is written this long after the first live picture, then at most this often
# while the database changes (and on quit).
FIRST_PAINT_DELAY = 0.5
FIRST_PAINT_EVERY = 5.0


@dataclass(frozen=True)
class TopScreen:
    key: str
    mode: str
    title: str
    target: str  # "module:Class", imported on first use


TOP_SCREENS = (
    TopScreen("1", "portfolio", "Portfolio", "pgmtui.screens.portfolio:PortfolioScreen"),
    TopScreen("2", "dependencies", "Dependencies", "pgmtui.screens.dependencies:DependenciesScreen"),
    TopScreen("3", "risks", "Risks", "pgmtui.screens.risks:RisksScreen"),
    TopScreen("4", "benefits", "Benefits", "pgmtui.screens.benefits:BenefitsScreen"),
    TopScreen("5", "standup", "Stand-up", "pgmtui.screens.standup:StandupScreen"),
    TopScreen("6", "resources", "Resources", "pgmtui.screens.resources:ResourcesScreen"),
    TopScreen("7", "finance", "Finance", "pgmtui.screens.finance:FinanceScreen"),
    TopScreen("8", "governance", "Governance", "pgmtui.screens.governance:GovernanceScreen"),
    TopScreen("9", "stakeholders", "Stakeholders", "pgmtui.screens.stakeholders:StakeholdersScreen"),
)


def _load_screen_class(target: str) -> type[Screen] | None:
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None  # that screen has not been built yet
        raise
    return getattr(module, class_name)


def _screen_module_exists(target: str) -> bool:
    """Whether a screen's module is there, without importing it (imports wait for first use)."""
    try:
        return importlib.util.find_spec(target.partition(":")[0]) is not None
    except ModuleNotFoundError:
        return False


def _make_screen(target: str) -> Screen:
    cls = _load_screen_class(target)
    if cls is None:
        raise LookupError(f"screen {target} is not built")
    return cls()


def _sixteen_colour_terminal() -> bool:
    """On a 16-colour terminal (e.g. tmux with TERM=screen) pass ANSI colours through as they are:
    converting them via the theme and back picks wrong hues (red badges drawn magenta)."""
    from rich.console import Console

    return Console().color_system == "standard"


def _jump_provider() -> type:
    from pgmtui.commands import JumpProvider

    return JumpProvider


class PgmApp(App):
    """pgmtui: the programme dashboard."""

    CSS_PATH = "app.tcss"
    TITLE = "pgmtui"
    ENABLE_COMMAND_PALETTE = True

    ACTIONS: tuple[Act, ...] = (
        *(
            Act(
                f"app.{s.mode}",
                s.key,
                f"switch_screen('{s.mode}')",
                s.title,
                f"Go to the {s.title} screen",
                title=f"Go to {s.title}",
                footer=False,
            )
            for s in TOP_SCREENS
        ),
        Act("app.help", "question_mark", "help", "Help", "Every key of this screen", key_display="?"),
        Act("app.refresh", "r", "force_refresh", "Refresh", "Re-read the database now", footer=False),
        Act("app.quit", "q", "quit", "Quit", "Quit pgmtui", palette=False),
        Act(
            "app.command_line",
            "colon",
            "command_line",
            "Command",
            "Command line: :risk 12, :project IAM, :q, any palette command",
            title="Command line",
            key_display=":",
            footer=False,
        ),
        Act(
            "app.search",
            "ctrl+f",
            "search",
            "Search",
            "Search the text of every record",
            title="Search every record",
            footer=False,
        ),
        Act("app.theme", "ctrl+t", "change_theme", "Theme", "Change the colour theme", footer=False),
        Act(
            "app.undo",
            "u",
            "undo",
            "Undo",
            "Undo this session's last change (a delete comes back whole)",
            title="Undo my last change",
            footer=False,
            writes=True,
        ),
        Act(
            "app.time_travel",
            "T",
            "time_travel",
            "Time travel",
            "Every screen as the programme stood at an earlier date, read-only (T again: back to live)",
            footer=False,
            key_display="T",
        ),
    )
    BINDINGS = bindings(ACTIONS)

    model: var[Model | None] = var(None, init=False)
    """The latest consistent picture of the database; screens watch it."""

    read_only: var[bool] = var(False)
    status: var[str] = var("loading…")
    as_of: var[AsOf | None] = var(None, init=False)
    """Set while time travelling: every screen shows the programme as it stood then, read-only."""
    trend: var[Trend | None] = var(None, init=False)
    """The weekly trend of the state shown (pgmtui.services.trend); screens add the model as now."""

    class CallOnUI(Message):
        """A callable a worker thread wants run on the UI thread (see `from_worker`)."""

        def __init__(self, callback: Callable[..., Any], args: tuple, kwargs: dict) -> None:
            super().__init__()
            self.callback, self.args, self.kwargs = callback, args, kwargs

    class Refreshed(Message):
        """Posted after every model refresh (tests and the benchmark wait on it)."""

        def __init__(self, model: Model) -> None:
            super().__init__()
            self.model = model

    def __init__(
        self,
        db_path: str | Path,
        *,
        shared: bool = False,
        poll_seconds: float = POLL_SECONDS,
        read_only: bool = False,
        as_of: AsOf | None = None,
        first_paint: bool = False,
    ) -> None:
        """`read_only`: open the database read-only and refuse every change with a message (the
        board's view: `pgmtui --read-only`, `pgmtui serve --read-only`). A file you may only read
        is read-only whatever this says. `as_of`: start time travelling (`pgmtui --as-of DATE`).
        `first_paint`: paint the first screen from the last live session's cache while the live
        one loads, and keep that cache up to date (pgmtui.firstpaint; never while time travelling)."""
        from pgmtui.widgets.badges import use_ansi_palette

        sixteen_colours = _sixteen_colour_terminal()
        use_ansi_palette(sixteen_colours)  # before any screen builds its styles
        self.available_modes: dict[str, TopScreen] = {}
        modes: dict[str, Callable[[], Screen]] = {}
        for top in TOP_SCREENS:
            # Imported when the mode is first shown (startup imports only the first screen); the
            # rest are preloaded in the background after the first paint (`_preload_screens`).
            if _screen_module_exists(top.target):
                self.available_modes[top.mode] = top
                modes[top.mode] = functools.partial(_make_screen, top.target)
        super().__init__(ansi_color=sixteen_colours or None)
        for mode, make_screen in modes.items():
            self.add_mode(mode, make_screen)
        self.db_path = Path(db_path)
        self.shared = shared
        self.poll_seconds = poll_seconds
        self.read_only_requested = read_only
        self.read_only = read_only
        self.store: Store | None = None
        self._wake = threading.Event()
        self._force_refresh = False
        self._store_ready = threading.Event()
        self.generation = 0
        # Time travel (the refresh loop does it): a request from the UI thread, the past copy.
        self._travel_request: AsOf | None = as_of
        self._travel_home = False
        self._past_store: Store | None = None
        self._live_read_only = read_only
        self._trend_key: tuple[Any, ...] | None = None
        self._keymap_warnings: list[str] = []
        self._apply_user_keymap()
        # The first-paint cache: read now (a few KB), written from live pictures only.
        self.first_paint_on = first_paint and as_of is None
        self.cached_paint = (
            firstpaint.load(self.db_path, firstpaint.today_iso()) if self.first_paint_on else None
        )
        self._paint_timer: Any = None
        self._paint_saved_at = 0.0

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Toasts show their text literally by default: they carry record text, file and user
        names and store messages, which are data (a title `[link=…]x` must not become a link)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # ------------------------------------------------------------------ lifecycle

    def from_worker(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run `callback` on the UI thread, without waiting for it.

        Workers use this instead of the blocking `call_from_thread`: a worker that finishes while
        the app is quitting must not wait for an event loop that no longer runs (the process
        would never exit).
        """
        self.post_message(self.CallOnUI(callback, args, kwargs))

    def on_pgm_app_call_on_ui(self, message: CallOnUI) -> None:
        message.callback(*message.args, **message.kwargs)

    def all_action_ids(self) -> set[str]:
        """Every action id a keymap may name: the app's and every screen's (imports every screen)."""
        from pgmtui.screens import all_screen_actions

        return {a.id for a in self.ACTIONS} | {a.id for a in all_screen_actions()}

    def _apply_user_keymap(self) -> None:
        # Ids are checked after the first paint (`_check_keymap_ids`): knowing every screen's
        # actions means importing every screen, which startup does not wait for.
        try:
            keymap, warnings = load_keymap()
        except KeymapError as exc:
            self._keymap_warnings = [f"{exc}; using the default keys"]
            return
        self._keymap_warnings = [f"keymap.toml: {w}" for w in warnings]
        if keymap:
            self.set_keymap(keymap)

    def _check_keymap_ids(self) -> None:
        unknown = sorted(set(self._keymap) - self.all_action_ids())
        if unknown:
            self.from_worker(
                self.notify,
                f"keymap.toml: no such action: {', '.join(unknown)} (`?` lists the ids)",
                title="Keymap",
                severity="warning",
                timeout=10,
            )

    def on_mount(self) -> None:
        for warning in self._keymap_warnings:
            self.notify(warning, title="Keymap", severity="warning", timeout=10)
        first = next((t.mode for t in TOP_SCREENS if t.mode in self.available_modes), None)
        if self.cached_paint is not None and first == TOP_SCREENS[0].mode:
            from pgmtui.screens.firstpaint import CachedPortfolioScreen

            self.status = "refreshing…"  # never "live" until the first live model is published
            # Pushed on the default mode, not a mode of its own: switching modes re-reads the CSS
            # twice, which the first frame does not wait for.
            self.push_screen(CachedPortfolioScreen(self.cached_paint))
            # The refresh loop (and its imports) start once the cached frame is on the terminal.
            self.call_after_refresh(self.refresh_loop)
            return
        self.cached_paint = None
        self.refresh_loop()
        if first:
            self.switch_mode(first)

    def on_unmount(self) -> None:
        self._wake.set()

    # ------------------------------------------------------------------ live refresh

    @work(thread=True, exclusive=True, group="refresh", name="refresh-loop")
    def refresh_loop(self) -> None:
        """Poll for writes by anyone and rebuild the model; one loop, so refreshes never overlap.

        A database held by another program (busy) or a read that fails never ends the app: the
        user is told once what happened, the header says the picture is not live, and the loop
        tries again every second until it can read."""
        from pgmtui import clock
        from pgmtui.services import build_model
        from pgmtui.store import StoreError

        if self.cached_paint is not None:
            _load_screen_class(TOP_SCREENS[0].target)  # here, not on the UI thread at the switch
        worker = get_current_worker()
        store = self._open_store_waiting(worker)
        if store is None:
            return
        self.store = store
        self._store_ready.set()
        for warning in store.warnings:  # the CLI printed them, but the screen has replaced them
            self.from_worker(self.notify, warning, title="Shared folder", severity="warning", timeout=12)
        self._live_read_only = store.read_only
        if self._travel_request is None:
            self.from_worker(setattr, self, "read_only", store.read_only)
        last_token: tuple[int, int] | None = None
        failing = ""  # the message of the failure being reported, so it is said once
        while not worker.is_cancelled:
            self._wake.clear()
            if self._travel_request is not None or self._travel_home:
                if self._travel(store):
                    last_token = None  # back to live: rebuild from the live database now
            if self._past_store is not None:  # the past does not change: nothing to poll
                self._wake.wait(self.poll_seconds)
                continue
            try:
                token = store.change_token()
                if token != last_token or self._force_refresh or failing:
                    # `r` (and a read after a failure) reads every table again, not only the
                    # ones whose change counters moved.
                    full = self._force_refresh or bool(failing)
                    self._force_refresh = False
                    model = build_model(store, clock.today(), generation=self.generation + 1, full=full)
                    last_token = token
                    self.generation = model.generation
                    if worker.is_cancelled:
                        break
                    failing = ""
                    self.from_worker(self._publish, model)
            except StoreError as exc:
                if str(exc) != failing:
                    failing = str(exc)
                    self.from_worker(self._reading_failed, failing)
                self._wake.wait(RETRY_SECONDS)
                continue
            self._wake.wait(self.poll_seconds)
        if self._past_store is not None:
            self._past_store.close()
        store.close()

    def _open_store_waiting(self, worker: Any) -> Store | None:
        """Open the database; while another program holds it, say so and keep trying."""
        from pgmtui.store import BusyError, Store, StoreError

        told = False
        while not worker.is_cancelled:
            try:
                return Store.open(self.db_path, shared=self.shared, read_only=self.read_only_requested)
            except BusyError as exc:
                if not told:
                    told = True
                    self.from_worker(self._reading_failed, str(exc))
            except StoreError as exc:
                self.from_worker(self._fatal, str(exc))
                return None
            self._wake.wait(RETRY_SECONDS)
        return None

    def _reading_failed(self, message: str) -> None:
        """The database cannot be read now: say it once, and show that the screen is not live."""
        self.status = "not live"
        self.notify(
            f"{message}. The screen shows the last picture read; it updates by itself once the "
            "database can be read again.",
            title="Database",
            severity="warning",
            timeout=10,
        )

    def _publish(self, model: Model) -> None:
        first = self.model is None
        self.model = model
        if first:
            self.set_timer(1.0, self._preload_screens)
            self.set_timer(2.0, self._want_trend)  # after the first screen has settled
        elif self._trend_key is not None:
            self._want_trend()  # a new day (or moment) needs a new trend; the same one is kept
        self.status = self._status_text()
        if self.cached_paint is not None and self.as_of is None:
            self.call_later(self._leave_first_paint)
        self._first_paint_changed()
        self.post_message(self.Refreshed(model))

    # ------------------------------------------------------------------ first-paint cache

    async def _leave_first_paint(self) -> None:
        """The live model is here: the real portfolio replaces the cached one (same cursor).
        (If a key already left the cached screen for another screen, that one stays.)"""
        from pgmtui.screens.firstpaint import CachedPortfolioScreen

        if self.cached_paint is None:
            return
        self.cached_paint = None
        # Pushed on the default mode (on_mount), which is never shown again once it is left.
        stack = self._screen_stacks.get("_default") or []
        cached = next((s for s in stack if isinstance(s, CachedPortfolioScreen)), None)
        if cached is None:
            return
        if self.screen is cached:
            cursor = cached.cursor_id
            await self.switch_mode(TOP_SCREENS[0].mode)
            portfolio = self._portfolio_screen()
            if portfolio is not None and cursor is not None:
                portfolio.table.select_when_present(cursor)
        # Textual keeps a left mode's screens and has no public call to pop one from a mode not
        # shown: the cached screen is taken off its stack and removed here.
        stack.remove(cached)
        await cached.remove()

    def _portfolio_screen(self) -> PortfolioScreen | None:
        """The live portfolio screen if it exists (its mode was shown), without creating it."""
        from pgmtui.screens.portfolio import PortfolioScreen

        stack = self._screen_stacks.get(TOP_SCREENS[0].mode) or []
        return stack[0] if stack and isinstance(stack[0], PortfolioScreen) else None

    def _first_paint_changed(self) -> None:
        """A live picture was published: save it for the next start, throttled (a busy database
        refreshes many times a second; the cache is written at most every FIRST_PAINT_EVERY)."""
        if not self.first_paint_on or self.as_of is not None:
            return
        if self._paint_timer is None:
            since = time.monotonic() - self._paint_saved_at
            wait = max(FIRST_PAINT_DELAY, FIRST_PAINT_EVERY - since)
            self._paint_timer = self.set_timer(wait, self._capture_first_paint)

    def _capture_first_paint(self) -> None:
        self._paint_timer = None
        paint = self._first_paint_now()
        if paint is not None:
            self._paint_saved_at = time.monotonic()
            self._save_first_paint(paint)

    def _first_paint_now(self) -> tuple[str, firstpaint.FirstPaint] | None:
        """(today, what the portfolio shows) when it shows a live picture; None otherwise."""
        model = self.model
        if model is None or self.as_of is not None or self.status not in ("live", "read-only"):
            return None
        portfolio = self._portfolio_screen()
        if portfolio is None or not portfolio.is_mounted:
            return None
        return model.today.isoformat(), portfolio.first_paint()

    @work(thread=True, exclusive=True, group="firstpaint", name="first-paint-cache", exit_on_error=False)
    def _save_first_paint(self, paint: tuple[str, firstpaint.FirstPaint]) -> None:
        firstpaint.save(self.db_path, paint[0], paint[1])

    async def action_quit(self) -> None:
        """`q`: the picture shown now (cursor included) is the next start's first screen."""
        if self.first_paint_on:
            paint = self._first_paint_now()
            if paint is not None:
                firstpaint.save(self.db_path, *paint)
        await super().action_quit()

    def _status_text(self) -> str:
        if self.as_of is not None:
            return f"as of {self.as_of.short}"
        return "read-only" if self.read_only else "live"

    def today(self) -> pendulum.Date:
        """The day the screens show: the model's (the instant's date while time travelling)."""
        from pgmtui import clock

        return self.model.today if self.model is not None else clock.today()

    # ------------------------------------------------------------------ time travel

    def action_time_travel(self) -> None:
        """`T`: choose a moment to look at (quick picks or a typed date); `T` again: back to live."""
        if self.as_of is not None or self._travel_request is not None:
            self.return_to_live()
            return
        from pgmtui import clock
        from pgmtui.screens.timetravel import TimeTravelScreen

        self.push_screen(TimeTravelScreen(self.model, clock.today()), self._travel_chosen)

    def _travel_chosen(self, when: AsOf | None) -> None:
        if when is not None:
            self.travel_to(when)

    def travel_to(self, when: AsOf) -> None:
        """Show every screen as the programme stood at `when` (read-only); built off the UI thread."""
        self._travel_home = False
        self._travel_request = when
        self.notify(f"Going back to {when.label}…", title="Time travel", timeout=2)
        self._wake.set()

    def return_to_live(self) -> None:
        self._travel_request = None
        self._travel_home = True
        self._wake.set()

    def _travel(self, live: Store) -> bool:
        """On the refresh thread: build the copy of the database at the requested moment and its
        model, or go back to the live database. True when it went back to live."""
        from pgmtui.services import build_model
        from pgmtui.store import StoreError

        when, self._travel_request = self._travel_request, None
        home, self._travel_home = self._travel_home, False
        old = self._past_store
        if home or when is None:
            self._past_store = None
            self.store = live
            self.from_worker(self._arrived, None)
            if old is not None:
                old.close()
            return True
        try:
            start = live.history_start()
            if start is None or when.ts < start:
                begins = f"begins on {start[:10]}" if start else "is empty"
                raise StoreError(f"The database's history {begins}: it cannot show {when.label}.")
            past = live.as_of(when.ts)
            model = build_model(past, when.day, generation=self.generation + 1)
        except StoreError as exc:
            self.from_worker(self.notify, str(exc), title="Time travel", severity="error", timeout=8)
            return False
        self.generation = model.generation
        self._past_store = past
        self.store = past
        self.from_worker(self._arrived, when, model)
        if old is not None:
            old.close()
        return False

    def _arrived(self, when: AsOf | None, model: Model | None = None) -> None:
        """On the UI thread: the screens switch to the moment (or back to live)."""
        self.as_of = when
        self.read_only = True if when is not None else self._live_read_only
        self._want_trend()
        if model is not None:
            self._publish(model)
            self.notify(
                f"Showing the programme as of {when.label if when else ''}: read-only. T returns to live.",
                title="Time travel",
                timeout=5,
            )
        else:
            self.status = self._status_text()
            self.notify("Back to the live programme.", title="Time travel", timeout=3)

    # ------------------------------------------------------------------ trends

    def _want_trend(self) -> None:
        """(Re)compute the weekly trend of the state shown, once per moment and day."""
        model = self.model
        if model is None:
            return
        key = (self.as_of, model.today)
        if key != self._trend_key:
            self._trend_key = key
            self._build_trend(key)

    @work(thread=True, exclusive=True, group="trend", name="trend", exit_on_error=False)
    def _build_trend(self, key: tuple[Any, ...]) -> None:
        from pgmtui.services.trend import DEFAULT_WEEKS, trend_of
        from pgmtui.store import StoreError

        worker = get_current_worker()
        self._store_ready.wait(10)
        store = self.store
        if store is None:
            return
        # Live: walk back from the model on screen (its rows, not a second copy of the database).
        model = self.model
        base = model if key[0] is None and model is not None and model.today == key[1] else None
        try:
            trend = trend_of(store, key[1], DEFAULT_WEEKS, cancelled=lambda: worker.is_cancelled, base=base)
        except StoreError as exc:
            if not worker.is_cancelled:  # (a copy closed under a cancelled build is no news)
                self.from_worker(self.notify, f"Trend unavailable: {exc}", severity="warning", timeout=5)
            return
        if not worker.is_cancelled:
            self.from_worker(self._trend_built, key, trend)

    def _trend_built(self, key: tuple[Any, ...], trend: Trend) -> None:
        if key == self._trend_key:
            self.trend = trend

    @work(thread=True, exclusive=True, group="preload", name="preload-screens", exit_on_error=False)
    def _preload_screens(self) -> None:
        """Import the other top screens' modules off the UI thread, so the first `2`…`9` is quick
        (a worker: on the UI thread these imports held up the screen for half a second)."""
        for top in TOP_SCREENS:
            if top.mode in self.available_modes:
                try:
                    importlib.import_module(top.target.partition(":")[0])
                except Exception:  # noqa: BLE001 - the real import on first use reports it
                    pass
        if self._keymap:
            self._check_keymap_ids()

    def _fatal(self, message: str) -> None:
        self.exit(return_code=2, message=f"pgmtui: error: {message}")

    def action_force_refresh(self) -> None:
        """`r`: rebuild now even if nothing changed (e.g. after the date rolled over)."""
        self._force_refresh = True  # read by the refresh loop; no lock taken on the UI thread
        self._wake.set()
        self.notify("Refreshed", timeout=1.5)

    def poke(self) -> None:
        """Ask the refresh loop to look now rather than at its next tick."""
        self._wake.set()

    # ------------------------------------------------------------------ writes

    def watch_read_only(self, _read_only: bool) -> None:
        if self.is_running:
            self.refresh_bindings()  # the footer leaves out refused keys (PgmScreen.active_bindings)

    def read_only_message(self) -> str:
        if self.as_of is not None:
            return (
                f"You are looking at the programme as of {self.as_of.label}: the past cannot be "
                "changed. Press T to return to live."
            )
        if self.read_only_requested:
            return "This dashboard was opened read-only; changes cannot be made here."
        return "You may read the database file but not write it; changes cannot be made here."

    def refuse_write(self) -> None:
        """Say, once per attempt, that nothing can be changed here."""
        self.notify(self.read_only_message(), title="Read-only", severity="warning", timeout=5)

    async def run_action(
        self,
        action: str | tuple[str, str, tuple[object, ...]],
        default_namespace: Any = None,
        namespaces: Any = None,
    ) -> bool:
        """Every key, palette command and footer click comes through here: in a read-only
        dashboard an action marked `writes` (pgmtui.actions.Act) is refused with a message instead
        of opening a form that could never be saved."""
        if self.read_only and isinstance(action, str):
            destination, name, params = parse_action(action)
            target = default_namespace if default_namespace is not None else self
            if not destination and writing_action(target, name) is not None:
                if target.check_action(name, params) is not True:
                    return False  # not offered in this view: the key means nothing here
                self.refuse_write()
                return True
        return await super().run_action(action, default_namespace, namespaces)

    def write(
        self,
        change: Callable[[Store], Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        description: str = "save",
    ) -> None:
        """Run a store write on a worker thread; callbacks run on the UI thread."""
        self.submit(StoreJob(change, description, True, done, failed, reply_to=self))

    def submit(self, job: StoreJob) -> None:
        """Run a store call on a worker thread. The outcome is posted back to `job.reply_to` as a
        StoreReply (so a closed screen gets nothing); errors never stop the app. A write in a
        read-only dashboard is refused here, before it reaches the store (which would refuse it too)."""
        if job.write and self.read_only:
            from pgmtui.records import ReadOnlyError

            error = ReadOnlyError(self.read_only_message())
            if job.failed is not None:
                (job.reply_to or self).post_message(StoreReply(job, error=error))
            else:
                self.refuse_write()
            return
        self._store_worker(job)

    @work(thread=True, group="store", name="store-call", exit_on_error=False)
    def _store_worker(self, job: StoreJob) -> None:
        from pgmtui.store import StoreError

        target = job.reply_to or self
        self._store_ready.wait(10)
        store = self.store
        if store is None:
            target.post_message(StoreReply(job, error=StoreError("the database is not open")))
            return
        try:
            result = job.call(store)
        except StoreError as exc:
            target.post_message(StoreReply(job, error=exc))
            return
        except Exception as exc:  # a bug must not close the dashboard: say so and carry on
            self.log.error(f"{job.description} failed", exc)
            target.post_message(StoreReply(job, error=StoreError(f"unexpected {type(exc).__name__}: {exc}")))
            return
        if job.write:
            self.poke()
        target.post_message(StoreReply(job, result=result))

    def on_store_reply(self, message: StoreReply) -> None:
        job = message.job
        if message.error is None:
            if job.done is not None:
                job.done(message.result)
        elif job.failed is not None:
            job.failed(message.error)
        else:
            self.notify(f"{job.description} failed: {message.error}", severity="error", timeout=8)

    # ------------------------------------------------------------------ navigation and help

    async def action_switch_screen(self, screen: str) -> None:
        """`1`…`9`: pgmtui's top screens are modes, so its "switch_screen" switches modes (Textual's
        own switches installed screens, of which pgmtui has none). They land on the screen's main
        view (the board, the heatmap), as a home key does."""
        if self.go_to_screen(screen) and isinstance(self.screen, DashboardScreen):
            self.screen.show_main_view()

    def go_to_screen(self, mode: str) -> bool:
        """Show a top-level screen (a mode) on its main view; say so if it is not built yet.

        Textual keeps each mode's screen stack, so a project detail left open under `1` would come
        back with it: `1`…`9` always land on the screen itself, so the drill-in screens above it
        are closed. The toasts of the screen left behind go too (they were about that screen)."""
        if mode in self.available_modes:
            self.clear_notifications()
            if self.current_mode != mode:
                self.switch_mode(mode)
            while len(self.screen_stack) > 1 and not self.screen.is_modal:
                self.pop_screen()
            return True
        title = next((t.title for t in TOP_SCREENS if t.mode == mode), mode)
        self.notify(f"The {title} screen is not built yet.", title="Not built yet", severity="warning")
        return False

    RECORD_HOME = {
        "project": "portfolio",
        "milestone": "portfolio",
        "dependency": "dependencies",
        "risk": "risks",
        "issue": "risks",
        "assumption": "risks",
        "decision": "risks",
        "benefit": "benefits",
        "measurement": "benefits",
        "person": "resources",
        "allocation": "resources",
        "cost": "finance",
        "change_request": "finance",
        "objective": "governance",
        "contribution": "governance",
        "business_case": "governance",
        "gate_review": "governance",
        "stakeholder": "stakeholders",
        "engagement": "stakeholders",
        "communication": "stakeholders",
        "action": "risks",
        "lesson": "risks",
    }

    def open_record(self, kind: str, record_id: int) -> None:
        """Show a record on its home screen (palette jumps, stand-up `enter`)."""
        mode = self.RECORD_HOME.get(kind, "portfolio")
        if mode not in self.available_modes:
            self.notify(f"The screen for {kind} records is not built yet.", severity="warning")
            return
        self.go_to_screen(mode)
        self.call_after_refresh(lambda: self.screen.post_message(OpenRecord(kind, record_id)))

    def action_undo(self) -> None:
        """`u`: undo this session's last change; a toast says what came back (pgmtui.screens.followup)."""
        from pgmtui.screens.followup import undo_last

        undo_last(self)

    def action_command_line(self) -> None:
        from pgmtui.screens.shell import CommandLine, completions

        if isinstance(self.screen, DashboardScreen):  # not over a form or another pop-up
            self.push_screen(CommandLine(self.screen, completions(self, self.screen, self.model)))

    def action_search(self) -> None:
        from pgmtui.screens.shell import SearchScreen

        if isinstance(self.screen, DashboardScreen):
            self.push_screen(SearchScreen())

    def action_help(self) -> None:
        from pgmtui.screens.firstpaint import CachedPortfolioScreen
        from pgmtui.screens.help import HelpScreen

        if isinstance(self.screen, CachedPortfolioScreen):
            self.notify("The help opens once the live picture has loaded (a moment).", timeout=3)
            return

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # Screens offer their own actions (new, edit, export, …) first, with their live keys.
        if isinstance(screen, DashboardScreen):
            yield from screen.palette_commands()
        from pgmtui.screens.downloads import report_commands

        yield from report_commands(self)
        for act in self.ACTIONS:
            if act.palette and self._mode_available(act):
                yield SystemCommand(
                    act.title or act.label,
                    f"{act.help} ({self.key_for(act)})",
                    functools.partial(self.run_action, act.action),
                )

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        """A browser download (pgmtui.screens.downloads) that broke off: say so."""
        if event.name != "screenshot":  # Textual reports its own screenshots
            from pgmtui.screens.downloads import delivery_failed

            delivery_failed(self, event.name, event.exception)

    def _mode_available(self, act: Act) -> bool:
        if act.action_name != "switch_screen":
            return True
        mode = act.action.split("'")[1]
        return mode in self.available_modes

    def key_for(self, act: Act) -> str:
        """The key that runs an app action now (after the user's keymap)."""
        for active in self.screen.active_bindings.values():
            if active.binding.id == act.id:
                return self.get_key_display(active.binding)
        return act.key_display or act.key

    COMMANDS = App.COMMANDS | {_jump_provider}
