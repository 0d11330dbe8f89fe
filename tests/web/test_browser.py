"""A real browser: headless Chromium (Debian's `chromium`, driven by Playwright through
`executable_path`, no browser download) opens the printed address, the page connects to its
session, and the dashboard is on screen: the page title is the programme's name, the terminal
stream the browser received shows the portfolio, a key typed into the page switches to Risks,
and the screenshot is a rendered dashboard, not a blank page."""

from __future__ import annotations

import base64
import os
import shutil
import time
from pathlib import Path

import pyte
import pytest

from tests.web.serving import start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that work on a closed network (no background connections, no first-run, no GPU, as root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROGRAMME = "Digital Workplace Programme"

# Decoded by the browser itself: how many colours the screenshot holds, and how much of it differs
# from its most common colour (the background). A blank page is one colour.
PIXEL_STATS = """async (png) => {
  const img = new Image();
  img.src = "data:image/png;base64," + png;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  const pixels = data.length / 4;
  const background = Math.max(...counts.values());
  return {colours: counts.size, foreground: (pixels - background) / pixels};
}"""


def chromium_or_skip() -> str:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def test_headless_chromium_shows_the_dashboard(demo_db: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    executable = chromium_or_skip()
    started = time.monotonic()
    served = start_server(demo_db, tmp_path / "home")
    frames: list[bytes] = []
    screen = pyte.Screen(160, 50)
    stream = pyte.ByteStream(screen)

    def seen(needle: str) -> bool:
        while frames:
            stream.feed(frames.pop(0))
        return needle in "\n".join(screen.display)

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable,
                args=CHROMIUM_ARGS,  # Playwright gives it a new empty profile folder
            )
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.on(
                    "websocket",
                    lambda ws: ws.on(
                        "framereceived", lambda f: frames.append(f) if isinstance(f, bytes) else None
                    ),
                )
                page.goto(served.url)
                assert page.url == f"{served.base}/"  # the token left the address bar for a cookie
                assert page.title() == f"{PROGRAMME} — pgmtui"

                page.wait_for_selector("body.-first-byte", timeout=30_000)  # the app's first output
                deadline = time.monotonic() + 30
                while not (seen("Portfolio") and seen(PROGRAMME)):
                    assert time.monotonic() < deadline, "\n".join(screen.display)
                    page.wait_for_timeout(100)
                page.wait_for_timeout(500)  # let xterm.js paint the last frames
                shot = page.screenshot(path=str(tmp_path / "dashboard.png"))
                stats = page.evaluate(PIXEL_STATS, base64.b64encode(shot).decode())

                page.focus(".xterm-helper-textarea")  # typing into the page's terminal
                page.keyboard.press("3")
                deadline = time.monotonic() + 30
                while not seen("Risks & RAID"):
                    assert time.monotonic() < deadline, "\n".join(screen.display)
                    page.wait_for_timeout(100)
            finally:
                browser.close()
    finally:
        assert served.stop() == 0, served.output()

    # A blank page is one colour, and a page with a line of text on it is 99.9 % background; the
    # dashboard's panels, table, badges and highlighted row cover about half of the screenshot.
    assert stats["colours"] >= 8, stats
    assert stats["foreground"] >= 0.25, stats
    assert time.monotonic() - started < 60
