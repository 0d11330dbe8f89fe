"""Fixtures for time travel and trends: the small demo built once per module, and a helper that
replays its history into a second database up to an instant (the independent oracle)."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

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


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small-demo database file (build once per module; open it read-only or copy it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:  # a module fixture runs before the autouse clock
        mp.setenv("PGMTUI_TODAY", TODAY.isoformat())
        build_demo_db(path).close()
    return path
