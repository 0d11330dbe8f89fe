"""Time travel and trends: a helper that builds the small demo, or replays its history into a
second database only up to an instant (the independent oracle `as_of` is compared with). The
demo itself is the suite's `demo_db` / `_demo_template` (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pendulum

TODAY = pendulum.Date(2026, 11, 25)  # the suite's clock (a Wednesday)


def build_demo_db(path: Path, until: pendulum.DateTime | None = None):
    """The small demo in a new database at `path`; with `until`, its history replayed only up to
    that instant (what the database held then)."""
    from pgmtui.demo import build_demo
    from pgmtui.demo.base import load_small_spec
    from pgmtui.demo.small import build_small
    from pgmtui.store import Store

    store = Store.open(path)
    if until is None:
        build_demo(store, TODAY)
    else:
        with store.batch():
            build_small(store, TODAY, load_small_spec(), until=until)
    return store
