"""End to end at 80×24 with NO_COLOR: the stand-up's "Needs attention today" is on the first screen,
overdue issues first, and `pgmtui standup` text wraps under its bullets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.test_pty import pgmtui_command, run_cli
from tests.ptyterm import PtyApp


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[2] / "src")
    return {
        **os.environ,
        "PGMTUI_TODAY": "2026-11-25",
        "TERM": "xterm-256color",
        "NO_COLOR": "1",
        "PYTHONPATH": src,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "COLUMNS": "80",
    }


@pytest.mark.slow
def test_standup_needs_attention_first_at_80x24_no_color(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "programme.db"
    result = run_cli(env, "--db", str(db), "demo")
    assert result.returncode == 0, result.stderr
    app = PtyApp([*pgmtui_command(), "--db", str(db)], env=env, cols=80, rows=24)
    try:
        # The live rows, not just the screen: a key pressed before the first model has no row to act on.
        app.wait_for(lambda s: "Portfolio" in s and "live" in s and "CLD" in s, timeout=30)
        app.send("5")
        screen = app.wait_for(lambda s: "Overdue issues" in s, timeout=20)
        rows = screen.splitlines()
        at = next(i for i, row in enumerate(rows) if row.strip() == "Needs attention today")
        assert at <= 4, screen
        # Actions overdue or due today first (issue 17), then the overdue issues, on screen.
        assert rows[at + 1].strip() == "Actions overdue or due today  (5)"
        issues = next(i for i, row in enumerate(rows) if row.strip() == "Overdue issues  (2)")
        assert "#6 Architect capacity shortfall" in rows[issues + 1]
        assert rows[issues + 2].startswith("     2026-11-20 (5 d overdue)")  # hanging indent
    finally:
        app.close()


def test_cli_standup_text_has_attention_first_and_hanging_indents(
    tmp_path: Path, env: dict[str, str]
) -> None:
    db = tmp_path / "programme.db"
    assert run_cli(env, "--db", str(db), "demo").returncode == 0
    result = run_cli(env, "--db", str(db), "standup")  # not a terminal: COLUMNS=80 decides
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # Actions overdue or due today come first (issue 17), then the overdue issues (issue 19).
    assert lines[2:4] == ["Needs attention today:", "  Actions overdue or due today:"]
    at = lines.index("  Overdue issues:")
    assert lines[at + 1].startswith("    - #6 Architect capacity shortfall for design reviews (programme)")
    assert lines[at + 2] == "      2026-11-20 (5 d overdue), high priority, owner Priya Raman"
    assert all(len(line) <= 80 for line in lines if " " in line.strip())
    assert lines.index("Needs attention today:") < lines.index("What changed since Tue 24 Nov:")
    # DAT's override reason is whole (it was cut mid-word: "does not yet show th…"), wrapped at words.
    words = " ".join(line.strip() for line in lines)
    assert "and the forecast does not yet show the full impact. (evidence says R)" in words
    assert "…" not in words.split("DAT Amber → Red*", 1)[1].split("(evidence says R)", 1)[0]
