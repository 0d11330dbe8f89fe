"""End to end, issue 19's shell at 80×24 with NO_COLOR: the installed `pgmtui` in a real
pseudo-terminal, driven by keys, read with pyte (text and reverse video, as a terminal shows it)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_pty import env, pgmtui_command, run_cli  # noqa: F401 (env: a fixture)
from tests.ptyterm import PtyApp

COLS, ROWS = 80, 24
RAG_MARKS = ("● R", "▲ A", "■ G")


@pytest.fixture
def app(tmp_path: Path, env: dict[str, str]) -> Iterator[PtyApp]:  # noqa: F811
    db = tmp_path / "programme.db"
    result = run_cli(env, "--db", str(db), "demo")
    assert result.returncode == 0, result.stderr
    running = PtyApp([*pgmtui_command(), "--db", str(db)], env={**env, "NO_COLOR": "1"}, cols=COLS, rows=ROWS)
    try:
        running.wait_for(lambda s: "NET " in s and "? Help" in s.splitlines()[-1], 30)
        yield running
    finally:
        running.close()


def lines(app: PtyApp) -> list[str]:
    return app.text().splitlines()


def reversed_rows(app: PtyApp) -> list[int]:
    """Rows with at least 30 cells in reverse video (a cursor bar, not a badge)."""
    rows = []
    for y in range(ROWS):
        line = app.screen.buffer[y]
        if sum(1 for x in range(COLS) if line[x].reverse) >= 30:
            rows.append(y)
    return rows


@pytest.mark.slow
def test_header_and_footer_fit_and_number_keys_land_on_the_main_view(app: PtyApp) -> None:
    header, footer = lines(app)[0], lines(app)[-1]
    assert any(mark in header for mark in RAG_MARKS) and "Wed 25 Nov 2026" in header
    assert header.rstrip().endswith("live")
    assert footer.rstrip().endswith("^p palette") and "? Help" in footer
    app.send("\r")  # the selected project's detail
    app.wait_text("Milestones")
    app.send("2")
    app.wait_for(lambda s: "Dependencies" in s.splitlines()[0])
    app.send("1")  # the Portfolio table, not the detail left open
    screen = app.wait_for(lambda s: "Milestones" not in s and "NET " in s)
    assert "Portfolio" in screen.splitlines()[0]


@pytest.mark.slow
def test_cursor_is_reverse_video_and_vim_keys_move_it(app: PtyApp) -> None:
    app.wait_for(lambda _s: len(reversed_rows(app)) == 1)  # one cursor bar, in reverse video
    first = reversed_rows(app)[0]
    app.send("j")
    app.wait_for(lambda _s: reversed_rows(app) == [first + 1])
    app.send("G")
    app.wait_for(lambda _s: reversed_rows(app) and reversed_rows(app)[0] > first + 1)
    app.send("g")
    app.wait_for(lambda _s: reversed_rows(app) == [first])


@pytest.mark.slow
def test_command_line_opens_a_project_and_q_quits(app: PtyApp) -> None:
    app.send(":")
    app.wait_text("risk 12 · project IAM")  # the placeholder says what it takes
    app.send("project net\r")
    app.wait_text("Milestones")
    assert "NET" in lines(app)[0]
    app.send(":")
    app.wait_text("risk 12 · project IAM")
    app.send("nosuchthing\r")
    app.wait_text("Unknown command 'nosuchthing'")
    app.send("\x1b")
    app.wait_for(lambda s: "Unknown command" not in s)
    app.send(":")
    app.wait_text("risk 12 · project IAM")
    app.send("q\r")
    app.wait_for(lambda _s: app.pump(0.05) == 0 and _exited(app), timeout=20)


def _exited(app: PtyApp) -> bool:
    import os

    pid, _status = os.waitpid(app.pid, os.WNOHANG)
    return bool(pid)


@pytest.mark.slow
def test_y_copies_by_osc_52(app: PtyApp) -> None:
    app.send("y")
    app.wait_text("Copied to the clipboard")
    marker = b"\x1b]52;c;"
    start = app.raw.rindex(marker) + len(marker)
    copied = base64.b64decode(bytes(app.raw[start : app.raw.index(b"\x07", start)])).decode()
    assert copied.startswith("project ") and " — " in copied
    assert copied in app.text().replace("\n", " ") or copied.split(" — ")[0] in app.text()


@pytest.mark.slow
def test_ctrl_f_searches_and_opens(app: PtyApp) -> None:
    app.send("\x06")  # ctrl+f
    app.wait_text("Search every record")
    app.send("network")
    app.wait_text("record(s) match")
    app.send("\r")  # the best match, on its home screen
    app.wait_for(lambda s: "Search every record" not in s)
