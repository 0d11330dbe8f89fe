"""The dashboard in a browser (`pgmtui serve`), on top of textual-serve.

textual-serve runs one app process per browser tab: the page's terminal (xterm.js) talks to it over
the `/ws` websocket, and Textual's web driver inside the process speaks the other end. textual-serve
itself has no authentication and titles the page with its command line; this module adds what a
programme's data needs before it goes near a browser:

- an access token on every request (`?token=` once, then an HttpOnly cookie; the address bar is
  cleaned of it), compared in constant time; without it, 403;
- when serving on loopback only, Host headers other than loopback names are refused (a web page
  that points its own host name at 127.0.0.1 — DNS rebinding — cannot reach the dashboard), and a
  websocket whose Origin is not this server's own is refused everywhere (no other site's page can
  drive a session);
- at most `max_sessions` app processes at once, with a polite page when they are all in use;
- the landing page titled with the programme's name (never the command line, which holds the
  executable's and the database's paths), with no resource fetched from the internet;
- every session's process ended when its tab closes or the server stops.

Imported only by `pgmtui serve`, which needs the `web` extra (textual-serve, aiohttp).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

log = logging.getLogger("pgmtui.serve")

TEMPLATES = Path(__file__).parent / "templates"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
# A browser window larger than this is clamped (a session is a terminal, not a wall).
MAX_COLUMNS, MAX_ROWS = 400, 200
# How long a session's app gets to quit after its tab closed, before it is killed.
QUIT_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class ServeConfig:
    """What `pgmtui serve` asked for.

    command: the shell command that runs one dashboard session (quoted, `exec`s the app).
    title: returns the landing page's title (the programme's name), read when a page is served.
    loopback_only: refuse Host headers that are not loopback names.
    """

    command: str
    host: str
    port: int
    token: str
    max_sessions: int
    loopback_only: bool
    read_only: bool
    title: Callable[[], str]


def is_loopback_host_header(host: str | None) -> bool:
    """Whether a Host header names this machine's loopback (`localhost:8000`, `[::1]:9000`…)."""
    if not host:
        return False
    name = host.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name.partition("]")[0] + "]"
    elif name.count(":") == 1:  # localhost:8000
        name = name.partition(":")[0]
    name = name.rstrip(".")
    if name in LOOPBACK_NAMES:
        return True
    parts = name.split(".")
    return len(parts) == 4 and parts[0] == "127" and all(p.isdigit() and int(p) < 256 for p in parts)


def same_origin(origin: str | None, host: str | None) -> bool:
    """A websocket's Origin against the Host it asked for. Browsers always send Origin; a
    missing one is a program of the user's own (a browser page cannot leave it out)."""
    if origin is None:
        return True
    if not host:
        return False
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def token_matches(given: str | None, token: str) -> bool:
    if not given:
        return False
    return secrets.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode("utf-8"))


class Session(AppService):
    """One browser tab's dashboard process (textual-serve's AppService, ended for sure)."""

    async def end(self) -> None:
        """Ask the app to quit; kill it if it has not gone within QUIT_GRACE_SECONDS."""
        try:
            await asyncio.wait_for(self.stop(), QUIT_GRACE_SECONDS)
        except (TimeoutError, ConnectionError, RuntimeError):
            pass
        process = self._process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), QUIT_GRACE_SECONDS)


class DashboardServer(Server):
    """textual-serve's server with pgmtui's guards (see the module's docstring)."""

    def __init__(self, config: ServeConfig) -> None:
        super().__init__(
            config.command, host=config.host, port=config.port, title="pgmtui", templates_path=TEMPLATES
        )
        self.config = config
        self.cookie_name = f"pgmtui_token_{config.port}"
        self.sessions: set[web.WebSocketResponse] = set()
        self._session_tasks: set[asyncio.Task[Any]] = set()
        self.bound_port: int | None = None  # the port listened on (the system's pick for port 0)

    # ------------------------------------------------------------------ the aiohttp application

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_shutdown.append(self._close_sessions)
        return app

    async def _make_app(self) -> web.Application:  # textual-serve's name for it
        return self.make_app()

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        config = self.config
        if config.loopback_only and not is_loopback_host_header(request.host):
            return self.message_page(
                request,
                403,
                "Not served under this name",
                [
                    "This dashboard is served on this computer's loopback address only.",
                    f"Open it as http://localhost:{self.bound_port or config.port}/ with its access link "
                    "(from another computer: SSH port forwarding, "
                    f"ssh -L {config.port}:localhost:{config.port} SERVER).",
                ],
            )
        if request.path == "/ws" and not same_origin(request.headers.get("Origin"), request.host):
            return web.Response(status=403, text="pgmtui: this session belongs to another page\n")
        given = request.query.get("token")
        if not token_matches(given, config.token) and not token_matches(
            request.cookies.get(self.cookie_name), config.token
        ):
            return self.message_page(
                request,
                403,
                "Access link needed",
                [
                    "This dashboard opens with its access link, the address printed by "
                    "`pgmtui serve` when it started (it ends in ?token=…).",
                    "Ask the person who shared the dashboard for it.",
                ],
            )
        if given is not None and request.path == "/":
            # Keep the token in an HttpOnly cookie and take it out of the address bar, so that it
            # is not on a projected screen, in a screenshot or in the browser's history.
            rest = [(k, v) for k, v in request.query.items() if k != "token"]
            found = web.HTTPFound("/" + (f"?{urlencode(rest)}" if rest else ""))
            found.set_cookie(
                self.cookie_name, config.token, httponly=True, samesite="Lax", path="/", secure=request.secure
            )
            self._secure_headers(found)
            return found
        response = await handler(request)
        if not response.prepared:
            self._secure_headers(response)
        return response

    @staticmethod
    def _secure_headers(response: web.StreamResponse, nonce: str | None = None) -> None:
        script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self' ws: wss:; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cache-Control", "no-store")

    def message_page(
        self, request: web.Request, status: int, heading: str, paragraphs: list[str]
    ) -> web.Response:
        nonce = secrets.token_urlsafe(12)
        response = aiohttp_jinja2.render_template(
            "message.html",
            request,
            {"heading": heading, "paragraphs": paragraphs, "title": "pgmtui", "nonce": nonce},
            status=status,
        )
        self._secure_headers(response, nonce)
        return response

    # ------------------------------------------------------------------ pages

    def full(self) -> bool:
        return len(self.sessions) >= self.config.max_sessions

    def busy_page(self, request: web.Request) -> web.Response:
        limit = self.config.max_sessions
        response = self.message_page(
            request,
            503,
            "The dashboard is busy",
            [
                f"All {limit} session{'s' if limit != 1 else ''} of this dashboard are in use.",
                "Please try again in a minute, or ask someone to close a tab they no longer need.",
            ],
        )
        response.headers["Retry-After"] = "30"
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full():
            return self.busy_page(request)
        title = await asyncio.to_thread(self.config.title)
        scheme = "wss" if request.secure else "ws"
        nonce = secrets.token_urlsafe(12)
        note = "read-only view: nothing can be changed here" if self.config.read_only else "live dashboard"
        context = {
            "font_size": max(8, min(32, _to_int(request.query.get("fontsize"), 16))),
            "app_websocket_url": f"{scheme}://{request.host}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": title, "note": f"{note} — starting…"},
            "nonce": nonce,
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        self._secure_headers(response, nonce)
        return response

    # ------------------------------------------------------------------ sessions

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if self.full():
            return web.Response(status=503, text="pgmtui: all sessions are in use; try again in a minute\n")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
        if not websocket.can_prepare(request).ok:
            return web.Response(status=400, text="pgmtui: this address is the page's websocket\n")
        width = max(10, min(MAX_COLUMNS, _to_int(request.query.get("width"), 80)))
        height = max(5, min(MAX_ROWS, _to_int(request.query.get("height"), 24)))
        self.sessions.add(websocket)  # counted from here, so a burst of tabs cannot pass the limit
        task = asyncio.current_task()
        if task is not None:
            self._session_tasks.add(task)
        session: Session | None = None
        try:
            await websocket.prepare(request)

            async def close() -> None:  # the app quit (`q`): the page shows "Session ended"
                await websocket.close()

            session = Session(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=False,
            )
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # one broken session must not stop the others
            log.warning("session ended by an error: %s", error)
        finally:
            if session is not None:
                await asyncio.shield(session.end())
            with contextlib.suppress(Exception):
                await websocket.close()
            self.sessions.discard(websocket)
            if task is not None:
                self._session_tasks.discard(task)
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """The page's messages: keys, resizes (clamped), pings, focus. Anything else is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width = max(10, min(MAX_COLUMNS, _to_int(data.get("width"), 80)))
                height = max(5, min(MAX_ROWS, _to_int(data.get("height"), 24)))
                await app_service.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def _close_sessions(self, _app: web.Application | None = None) -> None:
        """Close every tab's websocket; each session's handler then ends its app process."""
        for websocket in list(self.sessions):
            with contextlib.suppress(Exception):
                await websocket.close(code=1001, message=b"the dashboard server is stopping")
        tasks = [t for t in self._session_tasks if not t.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=QUIT_GRACE_SECONDS * 3)

    # ------------------------------------------------------------------ running

    async def run(self, ready: Callable[[int], None], stop: asyncio.Event | None = None) -> None:
        """Serve until SIGINT/SIGTERM (or `stop` is set). `ready(port)` is called once listening
        (the port the system chose when asked for port 0). Raises OSError if the address is taken."""
        stop = stop or asyncio.Event()
        runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.config.host, self.config.port)
            await site.start()
            self.bound_port = int(runner.addresses[0][1])
            self.cookie_name = f"pgmtui_token_{self.bound_port}"  # one cookie per server on this host
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(signum, stop.set)
            ready(self.bound_port)
            await stop.wait()
        finally:
            await self._close_sessions()
            await runner.cleanup()


def _to_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
