"""`pgmtui serve` for real: the server in a child process, reached over HTTP and over the page's
websocket (`/ws`), whose terminal stream is read with pyte — the portfolio, then the Risks screen,
a read-only session, the session limit, the access token and the browser download of the report."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import psutil
import pytest

from tests.web.serving import Served, Terminal, server_env, start_server, wait_for

PROGRAMME = "Digital Workplace Programme"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture(scope="module")
def module_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve-home")


@pytest.fixture(scope="module")
def module_db(_demo_template: Path, module_home: Path) -> Path:
    db = module_home / "programme.db"
    shutil.copyfile(_demo_template, db)
    db.chmod(0o600)
    return db


@pytest.fixture(scope="module")
def served(module_db: Path, module_home: Path) -> Iterator[Served]:
    """One server for the tests that share it (each leaves no session open): at most 1 session."""
    server = start_server(module_db, module_home, "--max-sessions", "1")
    yield server
    assert server.stop() == 0, server.output()


def audit_rows(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        conn.close()


def session_processes(server: Served) -> list[psutil.Process]:
    """The dashboards the server runs (one per tab): its child processes running pgmtui."""
    return [
        p
        for p in psutil.Process(server.proc.pid).children(recursive=True)
        if "pgmtui" in " ".join(p.cmdline())
    ]


def net_row(term: Terminal) -> str:
    return next((line for line in term.screen.display if line.startswith(" NET ")), "")


def browser() -> aiohttp.ClientSession:
    # unsafe=True: keep cookies for an IP address host (127.0.0.1), as a browser does.
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def test_the_server_prints_where_to_open_it_and_nothing_of_its_paths(served: Served) -> None:
    out = served.output()
    assert f"pgmtui serve: {PROGRAMME} on 127.0.0.1:" in out
    assert f"Open: {served.url}\n" in out
    assert "ssh -L" in out and "Ctrl+C stops the server" in out
    assert len(served.token) >= 32  # 24 random bytes, URL-safe


async def test_every_request_needs_the_token(served: Served) -> None:
    async with browser() as http:
        for path in ("/", "/?token=wrong", "/static/js/textual.js", "/download/abc"):
            async with http.get(served.base + path, allow_redirects=False) as r:
                assert r.status == 403, path
                body = await r.text()
        assert "Access link needed" in body and PROGRAMME not in body
        for token in ("", "wrong"):
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(served.ws_url(token=token))
            assert refused.value.status == 403
        assert session_processes(served) == []  # nothing was started for them


async def test_the_token_becomes_a_cookie_and_leaves_the_address_bar(served: Served, module_db: Path) -> None:
    async with browser() as http:
        async with http.get(served.url, allow_redirects=False) as r:
            assert r.status == 302 and r.headers["Location"] == "/"
            cookie = r.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and served.token in cookie
        async with http.get(served.base + "/") as r:  # the cookie now opens the page
            assert r.status == 200
            page = await r.text()
            policy = r.headers["Content-Security-Policy"]
        async with http.get(served.base + "/static/js/textual.js") as r:
            assert r.status == 200
    # The landing page is titled with the programme's name, never the server's command line.
    assert f"<title>{PROGRAMME} — pgmtui</title>" in page
    for leak in (str(module_db), module_db.name, sys.executable, "-m pgmtui", "--db", "exec env"):
        assert leak not in page
    assert "googleapis" not in page  # nothing fetched from the internet
    assert "frame-ancestors 'none'" in policy  # no other site can frame the dashboard


async def test_foreign_host_names_and_origins_are_refused(served: Served) -> None:
    port = served.base.rsplit(":", 1)[1]
    async with browser() as http:
        # DNS rebinding: another site's name pointed at 127.0.0.1 must not reach the dashboard.
        async with http.get(served.url, headers={"Host": f"evil.example:{port}"}, allow_redirects=False) as r:
            assert r.status == 403
            assert "Not served under this name" in await r.text()
        # Another site's page opening the session websocket (its Origin is not ours).
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(served.ws_url(), origin="http://evil.example")
        assert refused.value.status == 403


async def test_a_session_shows_the_portfolio_then_risks_and_downloads_the_report(
    served: Served, module_db: Path, module_home: Path
) -> None:
    before = audit_rows(module_db)
    async with browser() as http:
        async with http.ws_connect(served.ws_url(width=100, height=30)) as ws:
            term = Terminal(ws, 100, 30)
            await term.until(
                lambda: "Portfolio" in term.header() and PROGRAMME in term.header(), what="the portfolio"
            )
            assert "live" in term.header()
            assert "CLD" in term.text() and "Cloud Migration" in term.text()
            [session] = session_processes(served)

            # The limit is one session: the page is a polite "busy", the websocket a 503.
            async with http.get(served.url) as r:
                assert r.status == 503 and r.headers["Retry-After"] == "30"
                busy = await r.text()
            assert "The dashboard is busy" in busy and "All 1 session of this dashboard are in use" in busy
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(served.ws_url())
            assert refused.value.status == 503

            await term.press("3")
            await term.until(lambda: "Risks & RAID" in term.header(), what="the Risks screen")
            # The risk map's tab (shortened to "Map" at this width) or its legend, once painted.
            await term.until(
                lambda: "Critical 15–25" in term.text() or "▸Map" in term.text(), what="the risk map"
            )

            # The highlight report goes to the browser, not to the server's disk.
            await term.press("5")
            await term.until(lambda: "Stand-up" in term.header(), what="the stand-up")
            await term.press("x")
            await term.until(
                lambda: any(m[0] == "deliver_file_start" for m in term.messages), what="the download offer"
            )
            key = next(m[1] for m in term.messages if m[0] == "deliver_file_start")
            async with http.get(f"{served.base}/download/{key}?token={served.token}") as r:
                assert r.status == 200
                assert r.headers["Content-Type"] == "text/html; charset=utf-8"
                disposition = r.headers["Content-Disposition"]
                report = await r.text()
            assert disposition == "attachment; filename=highlight-report-2026-11-25.html"
            assert report.startswith("<!DOCTYPE html>") and PROGRAMME in report
            assert not (module_home / "reports").exists()
            await term.until_text("downloading", timeout=10)

            # `q` quits the dashboard: the server closes the page's websocket ("Session ended").
            await term.press("q")
            await term.until(lambda: term.closed, timeout=15, what="the session to end")

        # Its dashboard process has ended and the place is free again.
        await wait_for(lambda: not session.is_running(), what="the session's process to end")

        async def page_served() -> bool:
            async with http.get(served.url) as r:
                return r.status == 200

        await wait_for(page_served, what="the session to be released")
    assert audit_rows(module_db) == before  # looking, switching screens and downloading write nothing


async def test_read_only_sessions_refuse_changes_refresh_live_and_stopping_ends_them(
    tmp_path: Path, demo_db: Path, home: Path
) -> None:
    # A path with spaces and quotes reaches each session intact (its command line is quoted).
    folder = tmp_path / 'it\'s a "shared" folder'
    folder.mkdir()
    db = folder / "programme.db"
    shutil.copyfile(demo_db, db)
    before = audit_rows(db)
    served = start_server(db, home, "--read-only")
    try:
        assert "(read-only)" in served.output()
        async with browser() as http:
            async with http.get(served.url) as r:
                assert "read-only view: nothing can be changed here" in await r.text()
            async with http.ws_connect(served.ws_url(width=100, height=30)) as ws:
                term = Terminal(ws, 100, 30)
                await term.until(lambda: "read-only" in term.header(), what="the read-only header")
                await term.press("n")  # new project
                await term.until_text("This dashboard was opened read-only", timeout=10)
                assert "New project" not in term.text()  # no form opened
                await term.press("d")  # delete project
                await term.until(lambda: "Delete project" not in term.text(), what="no question asked")
                # The programme manager changes something in a terminal: the board's tab shows it.
                changed = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "pgmtui",
                        "--db",
                        str(db),
                        "set",
                        "project",
                        "NET",
                        "percent_complete=77",
                    ],
                    env=server_env(home),
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
                assert changed.returncode == 0, changed.stderr
                await term.until(lambda: "77%" in net_row(term), timeout=10, what="NET at 77 % in the tab")
                [session] = session_processes(served)
                # Ctrl+C with a tab open: the server stops, and takes the tab's dashboard with it.
                assert served.stop() == 0
        assert "pgmtui serve: stopped" in served.output()
        assert not session.is_running() or session.status() == psutil.STATUS_ZOMBIE
    finally:
        served.stop()
    assert audit_rows(db) == before + 1  # the terminal's change, and nothing from the browser


async def test_allow_remote_serves_other_hosts_with_the_token_still_required(
    demo_db: Path, home: Path
) -> None:
    import socket

    served = start_server(demo_db, home, "--host", "0.0.0.0", "--allow-remote")
    try:
        out = served.output()
        assert "on 0.0.0.0:" in out and f"Open: http://{socket.gethostname()}:" in out
        assert "Only this computer can connect" not in out
        port = served.base.rsplit(":", 1)[1]
        local = f"http://127.0.0.1:{port}"
        async with browser() as http:
            async with http.get(local + "/", allow_redirects=False) as r:
                assert r.status == 403
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24")
            assert refused.value.status == 403
            # Reached under the server's own name, as a colleague's browser would: the token opens it.
            headers = {"Host": f"{socket.gethostname()}:{port}"}
            async with http.get(f"{local}/?token={served.token}", headers=headers) as r:
                assert r.status == 200 and f"<title>{PROGRAMME} — pgmtui</title>" in await r.text()
    finally:
        assert served.stop() == 0
