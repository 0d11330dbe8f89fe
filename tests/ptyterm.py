"""Run a command in a real pseudo-terminal and read its screen with pyte (end-to-end tests, bench)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable

import pyte


class PtyApp:
    def __init__(self, argv: list[str], *, env: dict[str, str], cols: int = 120, rows: int = 40) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_read = 0
        self.raw = bytearray()  # everything the program wrote (escape sequences pyte ignores: OSC 52)
        pid, fd = pty.fork()
        if pid == 0:  # child: become the program
            try:
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def pump(self, timeout: float = 0.05) -> int:
        """Read whatever the program wrote within `timeout`; returns the byte count."""
        got = 0
        deadline = time.monotonic() + timeout
        while True:
            wait = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                return got
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            if not data:
                # The program closed the terminal (it is exiting): wait out the timeout anyway, so
                # callers that poll "has it exited yet?" do not spin through their budget at once.
                time.sleep(max(0.0, deadline - time.monotonic()))
                return got
            got += len(data)
            self.bytes_read += len(data)
            self.raw += data
            if len(self.raw) > 2_000_000:  # long runs (the bench) keep the last megabyte
                del self.raw[:-1_000_000]
            self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.05)
            screen = self.text()
            if predicate(screen):
                return screen
        raise TimeoutError(f"screen never matched; last screen:\n{self.text()}")

    def wait_text(self, needle: str, timeout: float = 20.0) -> str:
        return self.wait_for(lambda s: needle in s, timeout)

    def send(self, keys: str | bytes) -> None:
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            self.pump(0.05)
            try:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # a test already saw it exit (and reaped it)
                break
            if pid:
                break
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
