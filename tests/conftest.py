"""Shared fixtures. Every test runs with a fixed clock and its own database file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Tests import the source tree (so a worktree's tests test its own code).
SRC = Path(__file__).resolve().parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

TODAY = "2026-11-25"  # a Wednesday


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> str:
    monkeypatch.setenv("PGMTUI_TODAY", TODAY)
    monkeypatch.delenv("PGMTUI_DB", raising=False)
    # Keep the user's real data/state folders out of tests (last stand-up visit, default db, reports).
    home = tmp_path_factory.mktemp("xdg")
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.setenv("PGMTUI_REPORT_DIR", str(home / "reports"))
    return TODAY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "programme.db"


@pytest.fixture
def store(db_path: Path):
    from pgmtui.store import Store

    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def small_programme(store):
    """A hand-made programme small enough to check every figure on paper."""
    store.insert(
        "programme",
        {"name": "Test Programme", "start_date": "2026-01-01", "end_date": "2027-12-31"},
    )
    store.insert(
        "project",
        {
            "code": "IAM",
            "name": "Identity",
            "manager": "Asha",
            "start_date": "2026-01-01",
            "baseline_end": "2026-12-31",
            "forecast_end": "2027-01-05",
            "budget": 100000,
            "actual_cost": 50000,
            "percent_complete": 40,
        },
    )
    store.insert(
        "project",
        {
            "code": "CLD",
            "name": "Cloud",
            "manager": "Ben",
            "start_date": "2026-03-01",
            "baseline_end": "2027-03-01",
            "forecast_end": "2027-03-01",
            "budget": 200000,
            "actual_cost": 20000,
            "percent_complete": 20,
        },
    )
    return store


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo, built once per session with the fixed clock; tests get copies."""
    from pgmtui.demo import build_demo
    from pgmtui.store import Store

    mp = pytest.MonkeyPatch()
    mp.setenv("PGMTUI_TODAY", TODAY)
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store.open(path) as s:
        import pendulum

        build_demo(s, pendulum.Date(2026, 11, 25))
        s._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    mp.undo()
    return path


@pytest.fixture
def demo_db(_demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the small demo database."""
    import shutil

    target = tmp_path / "demo.db"
    shutil.copyfile(_demo_template, target)
    os.chmod(target, 0o600)
    return target


@pytest.fixture
def open_tmp():
    """A folder other users can traverse (pytest's own tmp root is private to root)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="pgmtui-perm-"))
    os.chmod(folder, 0o755)
    yield folder
    for p in folder.rglob("*"):
        if p.is_dir():
            os.chmod(p, 0o755)
    shutil.rmtree(folder)
