"""`pgmtui serve`: the same dashboard in a browser, for the sponsor and the board.

Secure by default: it listens on loopback only (from another computer, SSH port forwarding); a
non-loopback `--host` is refused unless `--allow-remote` is given. Every request needs the random
access token printed at start (even on loopback: on a shared server every account can reach
127.0.0.1). `--read-only` opens every session read-only. The server itself is pgmtui.web.server,
on textual-serve (the `web` extra).
"""

from __future__ import annotations

import argparse
import ipaddress
import secrets
import shlex
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pgmtui.cli.base import EXIT_OK, BadInput, command, one_line
from pgmtui.records import StoreError

if TYPE_CHECKING:
    from pgmtui.store import Store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 8
MAX_SESSIONS_LIMIT = 64  # each session is a dashboard process (about 100 MB)
WEB_EXTRA_MODULES = frozenset({"textual_serve", "aiohttp", "aiohttp_jinja2", "jinja2"})
WEB_EXTRA_MISSING = "`pgmtui serve` needs the web extra (textual-serve): pip install 'pgmtui[web]'"


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="address to listen on (default 127.0.0.1: this computer only; others need --allow-remote)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8000; 0 picks a free one)")
    p.add_argument(
        "--read-only",
        dest="serve_read_only",
        action="store_true",
        help="every session opens the database read-only (for the board)",
    )
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other computers can reach (the access token is still required)",
    )
    p.add_argument(
        "--max-sessions",
        type=int,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"browser tabs served at once, one dashboard process each (default {DEFAULT_MAX_SESSIONS})",
    )


def is_loopback(host: str) -> bool:
    """`localhost`, 127.0.0.0/8 or ::1: only this computer can connect."""
    name = host.strip().lower().removeprefix("[").removesuffix("]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name: it may well resolve to an address others can reach


def check_arguments(args: argparse.Namespace) -> None:
    host = args.host.strip()
    if not host:
        raise BadInput("--host needs an address (e.g. 127.0.0.1)")
    if not is_loopback(host) and not args.allow_remote:
        raise BadInput(
            f"--host {host} would let other computers reach the dashboard; serve on 127.0.0.1 and use "
            f"SSH port forwarding (ssh -L {DEFAULT_PORT}:localhost:{DEFAULT_PORT} server), or add "
            "--allow-remote (an access token is then required)"
        )
    if not 0 <= args.port <= 65535:
        raise BadInput(f"--port must be between 0 and 65535 (got {args.port})")
    if not 1 <= args.max_sessions <= MAX_SESSIONS_LIMIT:
        raise BadInput(f"--max-sessions must be between 1 and {MAX_SESSIONS_LIMIT} (got {args.max_sessions})")


def session_command(db_path: Path, *, read_only: bool) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, this database.
    `exec`, so the process textual-serve watches (and ends) is the dashboard itself; COLORTERM,
    because the browser's terminal shows true colour whatever terminal started the server."""
    argv = ["env", "COLORTERM=truecolor", sys.executable, "-m", "pgmtui", "--db", str(db_path.resolve())]
    if read_only:
        argv.append("--read-only")
    return "exec " + shlex.join(argv)


def programme_title(db_path: Path) -> Callable[[], str]:
    """The landing page's title: the programme's name, read when a page is served (a rename shows
    at the next page); the last good one if the database cannot be read just then."""
    from pgmtui.safetext import visible_controls
    from pgmtui.store import Store

    last = ["pgmtui"]

    def title() -> str:
        try:
            with Store.open(db_path, create=False, read_only=True) as store:
                programme = store.programme()
        except StoreError:
            return last[0]
        name = " ".join(str(programme.get("name") or "").split()) if programme else ""
        last[0] = f"{visible_controls(name)} — pgmtui" if name else "pgmtui"
        return last[0]

    return title


def browser_host(host: str) -> str:
    """The host to put in the printed address: this machine's name for a wildcard address."""
    name = host.strip().removeprefix("[").removesuffix("]")
    if name in ("0.0.0.0", "::", ""):
        return socket.gethostname()
    return f"[{name}]" if ":" in name else name


@command(
    "serve",
    "the dashboard in a browser (textual-serve; loopback and a token by default)",
    arguments=_serve_args,
)
def cmd_serve(store: Store, args: argparse.Namespace) -> int:
    check_arguments(args)
    try:
        import asyncio

        from pgmtui.web.server import DashboardServer, ServeConfig
    except ImportError as exc:
        if (exc.name or "").partition(".")[0] in WEB_EXTRA_MODULES:
            raise BadInput(WEB_EXTRA_MISSING) from None
        raise

    host = args.host.strip()
    read_only = args.serve_read_only or getattr(args, "read_only_db", False)
    db_path = Path(store.path)
    title = programme_title(db_path)
    store.close()  # each session opens its own connection; the server only reads the title
    config = ServeConfig(
        command=session_command(db_path, read_only=read_only),
        host=host,
        port=args.port,
        token=secrets.token_urlsafe(24),
        max_sessions=args.max_sessions,
        # --allow-remote on loopback: behind a reverse proxy, which names the public host.
        loopback_only=is_loopback(host) and not args.allow_remote,
        read_only=read_only,
        title=title,
    )
    server = DashboardServer(config)
    name = title().removesuffix(" — pgmtui")

    def ready(port: int) -> None:
        mode = " (read-only)" if read_only else ""
        sessions = f"{args.max_sessions} session{'s' if args.max_sessions != 1 else ''}"
        print(f"pgmtui serve: {one_line(name)}{mode} on {host}:{port}, up to {sessions} at once")
        print(f"Open: http://{browser_host(host)}:{port}/?token={config.token}")
        if config.loopback_only:
            print(
                f"Only this computer can connect. From your own: ssh -L {port}:localhost:{port} "
                f"{socket.gethostname()}, then open the address above."
            )
        print(
            "The address holds the access token: share it only with people who may see the "
            "programme. Ctrl+C stops the server.",
            flush=True,
        )

    try:
        asyncio.run(server.run(ready))
    except OSError as exc:
        raise BadInput(f"cannot listen on {host}:{args.port}: {exc.strerror or exc}") from None
    print("pgmtui serve: stopped", flush=True)
    return EXIT_OK
