"""End to end at 80×24 with NO_COLOR (issue 19): the project form is grouped, shows money with
thousands separators and the currency, jumps to a field by alt + its letter or ctrl+g + its label;
the re-score pop-up asks which score first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_pty import pgmtui_command, run_cli
from tests.e2e.test_standup_pty import env  # noqa: F401  (the NO_COLOR 80×24 environment fixture)
from tests.ptyterm import PtyApp


@pytest.mark.slow
def test_form_groups_money_and_jumps_and_rescore_asks_at_80x24(tmp_path: Path, env: dict[str, str]) -> None:  # noqa: F811
    db = tmp_path / "programme.db"
    assert run_cli(env, "--db", str(db), "demo").returncode == 0
    app = PtyApp([*pgmtui_command(), "--db", str(db)], env=env, cols=80, rows=24)
    try:
        # The live rows, not just the screen: a key pressed before the first model has no row to act on.
        app.wait_for(lambda s: "Portfolio" in s and "live" in s and "CLD" in s, timeout=30)
        app.send("e")  # edit the highlighted project
        screen = app.wait_for(lambda s: "── Identity" in s and "Edit project" in s, timeout=40)
        assert "── People" in screen
        screen = app.wait_for(lambda s: "£" in s, timeout=30)
        assert any("Budget (BAC) £" in row and "," in row for row in screen.splitlines()), screen
        app.send("\x1br")  # alt+r: RAG override, far down the form
        app.wait_for(lambda s: "RAG override" in s and "── Status & RAG" in s, timeout=30)
        app.send("\x07")  # ctrl+g
        app.wait_text("go to field", timeout=30)
        app.send("status note\r")
        app.wait_text("── Notes", timeout=30)
        app.send("\x1b")  # escape closes the form, nothing saved
        app.wait_for(lambda s: "Edit project" not in s, timeout=30)
        app.send("3")
        app.wait_text("Risks & RAID", timeout=40)
        app.send("p")
        app.wait_text("Re-score which score?", timeout=30)
        app.send("r")
        app.wait_text("Re-scoring the residual score", timeout=30)
        app.send("\x1b")
        app.wait_for(lambda s: "Re-score which" not in s, timeout=30)
    finally:
        app.close()
