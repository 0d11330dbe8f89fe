"""Helpers for Pilot tests: wait for conditions, never sleep blindly."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot


async def wait_until(
    pilot: Pilot, condition: Callable[[], bool], timeout: float = 10.0, what: str = ""
) -> None:
    """Let the app run until `condition()` holds (raise after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what or condition}")


async def wait_for_model(pilot: Pilot, *, after: int = 0, timeout: float = 10.0) -> None:
    """Wait until the app has published a model newer than generation `after`."""
    app = pilot.app
    await wait_until(
        pilot, lambda: app.model is not None and app.model.generation > after, timeout, "the model to load"
    )
    await pilot.pause()


def screen_text(pilot: Pilot) -> str:
    """Everything on screen as plain text, top screen included (what a person would read)."""
    app = pilot.app
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
