"""End to end: the installed `pgmtui` in a real pseudo-terminal, driven by keys, read with pyte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ptyterm import PtyApp


def pgmtui_command() -> list[str]:
    """The installed console script (what a user runs); `python -m pgmtui` only as a fallback."""
    script = Path(sys.executable).parent / "pgmtui"
    if script.exists():
        return [str(script)]
    found = shutil.which("pgmtui")
    return [found] if found else [sys.executable, "-m", "pgmtui"]


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*pgmtui_command(), *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[2] / "src")
    return {
        **os.environ,
        "PGMTUI_TODAY": "2026-11-25",
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "PYTHONPATH": src,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


def line_of(screen: str, code: str) -> str:
    return next((line for line in screen.splitlines() if line.strip().startswith(code + " ")), "")


@pytest.mark.slow
def test_live_rag_change_from_another_shell(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "programme.db"
    result = run_cli(env, "--db", str(db), "demo")
    assert result.returncode == 0, result.stderr
    app = PtyApp([*pgmtui_command(), "--db", str(db)], env=env, cols=120, rows=40)
    try:
        screen = app.wait_for(lambda s: "▲ A" in line_of(s, "NET"), timeout=30)  # NET delays IAM: Amber
        assert "Portfolio" in screen and "Digital Workplace" in screen
        # Another shell: slip the network refresh far beyond tolerance.
        result = run_cli(env, "--db", str(db), "set", "project", "NET", "forecast_end=2027-09-30")
        assert result.returncode == 0, result.stderr
        screen = app.wait_for(lambda s: "● R" in line_of(s, "NET"), timeout=10)
        assert "● R" in line_of(screen, "NET")
        # Keys reach the app: open help, close it, quit.
        app.send("?")
        app.wait_text("Keys — Portfolio")
        app.send("\x1b")
        app.wait_for(lambda s: "Keys — Portfolio" not in s)
        app.send("q")
        deadline_ok = False
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            # Once the app has closed the terminal, pump returns at once: the deadline, not the
            # number of pumps, bounds the wait for the process to finish exiting.
            if not app.pump(0.05):
                time.sleep(0.02)
            pid, _status = os.waitpid(app.pid, os.WNOHANG)
            if pid:
                deadline_ok = True
                break
        assert deadline_ok, f"q did not quit; screen:\n{app.text()}"
    finally:
        try:
            app.close()
        except ChildProcessError:
            pass


def test_cli_bad_input_is_one_line_exit_2(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "programme.db"
    assert run_cli(env, "--db", str(db), "demo").returncode == 0
    result = run_cli(
        env, "--db", str(db), "add", "risk", "project=IAM", "title=x", "probability=7", "impact=2"
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("pgmtui: error: probability")
    assert "Traceback" not in result.stderr
