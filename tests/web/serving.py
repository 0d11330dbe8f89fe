"""Test helpers for `pgmtui serve`: the real server in a child process (what a user starts), and a
websocket client that reads the session's terminal stream with pyte (what the page's xterm.js does)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pyte

SRC = Path(__file__).resolve().parents[2] / "src"
TODAY = "2026-11-25"


def server_env(home: Path) -> dict[str, str]:
    """The child's environment: this worktree's source, the fixed clock, private XDG folders and a
    report folder the tests can watch (nothing may be written there by a browser session)."""
    return {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "PGMTUI_TODAY": TODAY,
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "PGMTUI_REPORT_DIR": str(home / "reports"),
    }


@dataclass
class Served:
    proc: subprocess.Popen[str]
    base: str = ""  # http://127.0.0.1:PORT
    token: str = ""
    lines: list[str] = field(default_factory=list)
    _ready: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"{self.base}/?token={self.token}"

    def ws_url(self, *, width: int = 100, height: int = 30, token: str | None = None) -> str:
        given = self.token if token is None else token
        query = (
            f"?token={given}&width={width}&height={height}" if given else f"?width={width}&height={height}"
        )
        return self.base.replace("http://", "ws://") + "/ws" + query

    def output(self) -> str:
        return "".join(self.lines)

    def stop(self, timeout: float = 20.0) -> int:
        """Ctrl+C, as a person stops it; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
            raise AssertionError(f"the server did not stop within {timeout} s:\n{self.output()}") from None


def start_server(db: Path, home: Path, *args: str, timeout: float = 30.0) -> Served:
    """`pgmtui --db DB serve --port 0 ARGS`; returns once it printed its address."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pgmtui", "--db", str(db), "serve", "--port", "0", *args],
        env=server_env(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(proc)

    def read() -> None:  # drain the output all along (sessions' stderr ends up there too)
        assert proc.stdout is not None
        for line in proc.stdout:
            served.lines.append(line)
            if line.startswith("Open: "):
                served.base, _, served.token = line.split()[1].partition("/?token=")
            if "Ctrl+C stops the server" in line:  # the last line printed once it listens
                served._ready.set()
        served._ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not served._ready.wait(timeout) or not served.token:
        proc.kill()
        proc.wait(5)
        raise AssertionError(f"the server printed no address:\n{served.output()}")
    return served


class Terminal:
    """The session's terminal as the page sees it: binary frames fed to pyte, text frames kept."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, cols: int = 100, rows: int = 30) -> None:
        self.ws = ws
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.messages: list[list[object]] = []
        self.closed = False

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def header(self) -> str:
        return self.screen.display[0]

    async def until(self, condition: Callable[[], bool], *, timeout: float = 30.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise AssertionError(f"timed out waiting for {what or condition}; screen:\n{self.text()}")
            try:
                message = await self.ws.receive(timeout=min(left, 0.5))
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.stream.feed(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))
            else:
                self.closed = True

    async def until_text(self, needle: str, *, timeout: float = 30.0) -> None:
        await self.until(lambda: needle in self.text(), timeout=timeout, what=repr(needle))

    async def press(self, keys: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", keys]))


async def wait_for(condition: Callable[[], object], *, timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not await _call(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.1)


async def _call(condition: Callable[[], object]) -> object:
    result = condition()
    if asyncio.iscoroutine(result):
        return await result
    return result
