"""The stand-up view without an app: the window in words, and a Standup turned into the review
list's entries (headings, lines, the cursor keys), on hand-made stand-ups and on the demo."""

from __future__ import annotations

import ast
from pathlib import Path

import pendulum

from pgmtui.domain.standup import Line, Section, Standup
from pgmtui.screens.standup import view
from pgmtui.screens.standup.view import (
    WINDOWS,
    entries,
    heading,
    line_prompt,
    next_window,
    window_start,
)

WEDNESDAY = pendulum.Date(2026, 11, 25)
MONDAY = pendulum.Date(2026, 11, 30)


def standup(changes: list[Section], attention: list[Section], n_audit_rows: int = 0) -> Standup:
    return Standup(
        today=WEDNESDAY,
        since="2026-11-24T00:00:00.000000Z",
        window="since the last working day (Tue 24 Nov)",
        changes=changes,
        attention=attention,
        n_audit_rows=n_audit_rows,
    )


def test_the_day_window_starts_at_the_previous_working_day() -> None:
    start, label = window_start("day", WEDNESDAY, None)
    assert start == pendulum.datetime(2026, 11, 24, tz="UTC")  # Tuesday 00:00 UTC
    assert label == "since the last working day (Tue 24 Nov)"
    start, label = window_start("day", MONDAY, None)
    assert start == pendulum.datetime(2026, 11, 27, tz="UTC")  # Monday covers Friday
    assert label == "since the last working day (Fri 27 Nov)"


def test_the_week_window_is_seven_days_before_today() -> None:
    start, label = window_start("week", WEDNESDAY, None)
    assert start == pendulum.datetime(2026, 11, 18, tz="UTC")  # 25 − 7
    assert label == "in the last 7 days (since Wed 18 Nov)"


def test_the_visit_window_starts_at_the_last_visit_or_falls_back_to_the_day() -> None:
    start, label = window_start("visit", WEDNESDAY, "2026-11-24T15:30:12.000000Z")
    assert start == pendulum.datetime(2026, 11, 24, 15, 30, 12, tz="UTC")
    assert label == "since your last visit (Tue 24 Nov 15:30 UTC)"
    day = window_start("day", WEDNESDAY, None)
    assert window_start("visit", WEDNESDAY, None) == day  # no visit remembered yet
    assert window_start("visit", WEDNESDAY, "not a time") == day  # an edited state file
    assert window_start("visit", WEDNESDAY, "P1D") == day  # parses, but as a duration


def test_w_cycles_day_week_visit() -> None:
    assert WINDOWS == ("day", "week", "visit")
    assert [next_window(w) for w in WINDOWS] == ["week", "visit", "day"]


def test_a_line_shows_its_tone_as_a_glyph_and_its_text_as_data() -> None:
    bad = line_prompt(Line("[bold]IAM[/] Amber → Red", "project", 1, tone="bad", users=("elena", "priya")))
    assert bad.plain == "  ✗ [bold]IAM[/] Amber → Red  — elena, priya"  # markup shown literally
    assert line_prompt(Line("x", tone="good")).plain == "  ✓ x"
    assert line_prompt(Line("x")).plain == "  · x"


def test_a_wrapped_line_hangs_under_its_text_not_under_the_bullet() -> None:
    from rich.console import Console

    entry = entries(standup([], [Section("Overdue issues", [Line("word " * 12, "issue", 1, tone="bad")])]))[2]
    console = Console(width=24, no_color=True, record=True)
    console.print(entry.prompt)
    rows = [row.rstrip() for row in console.export_text().splitlines()]
    # 24 columns: "  ✗ " takes 4, the text 20: four "word " (20 columns) fit per row → 3 rows.
    assert rows == ["  ✗ word word word word", "    word word word word", "    word word word word"]


def test_heading_counts_changes() -> None:
    one = standup([Section("RAG changes", [Line("a")])], [], n_audit_rows=3)
    assert heading(one).plain == ("1 change since the last working day (Tue 24 Nov) · 3 audit entries")
    two = standup([Section("RAG changes", [Line("a"), Line("b")])], [], n_audit_rows=2)
    assert heading(two).plain.startswith("2 changes since the last working day (Tue 24 Nov) · 2 audit")


def test_entries_are_headed_sections_and_say_when_there_is_nothing() -> None:
    result = standup(
        [Section("RAG changes", [Line("IAM Red → Amber", "project", 7, tone="good")]), Section("Risks", [])],
        [],
    )
    got = [(e.is_heading, e.plain) for e in entries(result)]
    assert got == [
        (True, "Needs attention today"),  # first: it must be on the first screen at a stand-up
        (False, "  ✓ Nothing needs attention today."),
        (True, "What changed since the last working day (Tue 24 Nov)"),
        (True, "RAG changes  (1)"),  # an empty section is left out
        (False, "  ✓ IAM Red → Amber"),
    ]
    quiet = [e.plain for e in entries(standup([], []))]
    assert quiet[3] == "  · Nothing changed in this window."


def test_entry_keys_name_the_record_so_the_cursor_can_stay_on_it() -> None:
    line = Line("SEC: complete 8 % → 15 %", "project", 4)
    result = standup([Section("Projects", [line])], [Section("Overdue", [Line("x", "risk", 9)])])
    es = entries(result)
    assert [e.key for e in es if not e.is_heading] == ["risk:9:x", "project:4:SEC: complete 8 % → 15 %"]
    assert all(e.key == "h" for e in es if e.is_heading)
    assert es[5].line is line  # attention part, its section, x; changes part, its section, line


def test_entries_of_the_demo_stand_up(demo_db: Path) -> None:
    """On the demo (Wednesday): changes since Tuesday, with yesterday's RAG override of DAT."""
    from pgmtui.services import build_model, standup_of
    from pgmtui.store import Store

    with Store.open(demo_db) as store:
        model = build_model(store, WEDNESDAY)
        start, label = window_start("day", WEDNESDAY, None)
        result = standup_of(store, WEDNESDAY, start, window=label, model=model)
    es = entries(result)
    headings = [e.plain for e in es if e.is_heading]
    # What needs attention comes first (it must be on the first screen); then what changed.
    assert headings[0] == "Needs attention today"
    assert headings[1] == "Actions overdue or due today  (5)"  # issue 17: actions first
    assert headings[2] == "Overdue issues  (2)"  # ERP #3 and programme #6, past due and open
    assert "What changed since the last working day (Tue 24 Nov)" in headings
    assert any(h.startswith("RAG changes  (") for h in headings)
    assert any("DAT Amber → Red*" in e.plain for e in es if not e.is_heading)
    n_lines = sum(len(s.lines) for s in result.changes + result.attention)
    assert len([e for e in es if not e.is_heading]) == n_lines


def test_the_view_imports_no_textual() -> None:
    tree = ast.parse(Path(view.__file__).read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    allowed = ("rich", "pgmtui.domain", "__future__", "dataclasses", "pendulum")
    assert all(m.startswith(allowed) for m in imported), sorted(imported)
