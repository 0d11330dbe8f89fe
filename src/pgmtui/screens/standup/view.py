"""Stand-up view: the window in words and the Standup (from the audit trail) turned into the
entries of the review list — section headings and one entry per line, in plain words. Free of
textual (unit-tested without an app)."""

from __future__ import annotations

from dataclasses import dataclass

import pendulum
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from pgmtui.domain.calendar import standup_window_start
from pgmtui.domain.standup import Line, Section, Standup

WINDOWS = ("day", "week", "visit")
WINDOW_NAMES = {"day": "since the last working day", "week": "last 7 days", "visit": "since my last visit"}
TONE_MARK = {"bad": ("✗ ", "bold red"), "good": ("✓ ", "green"), "": ("· ", "dim")}


def next_window(window: str) -> str:
    return WINDOWS[(WINDOWS.index(window) + 1) % len(WINDOWS)]


def window_start(window: str, today: pendulum.Date, last_visit: str | None) -> tuple[pendulum.DateTime, str]:
    """Where the window starts (UTC, like the audit stamps) and how the heading says it.

    `day` starts at 00:00 of the previous working day (Monday covers Friday); `week` 7 days before
    today's 00:00; `visit` at the last visit, or as `day` when no visit is remembered yet (or the
    remembered one is not a timestamp: the state file is the user's to edit)."""
    if window == "week":
        start = pendulum.datetime(today.year, today.month, today.day, tz="UTC").subtract(days=7)
        return start, f"in the last 7 days (since {start.format('ddd D MMM')})"
    if window == "visit" and last_visit:
        try:
            parsed = pendulum.parse(last_visit)
        except ValueError:
            parsed = None
        if isinstance(parsed, pendulum.DateTime):
            return parsed, f"since your last visit ({parsed.format('ddd D MMM HH:mm')} UTC)"
    start = standup_window_start(today)
    return start, f"since the last working day ({start.format('ddd D MMM')})"


def line_prompt(line: Line) -> Text:
    """`  ✗ DAT Amber → Red*: …  — elena`: the tone as a glyph (never colour alone), the text as data."""
    mark, style = TONE_MARK.get(line.tone, TONE_MARK[""])
    t = Text("  ")
    t.append(mark, style=style)
    t.append(line.text)  # data, never markup
    if line.users:
        t.append(f"  — {', '.join(line.users)}", style="dim")
    return t


def heading(result: Standup) -> Text:
    """`28 changes since the last working day (Tue 24 Nov) · 21 audit entries`: the window stays in
    sight although what changed is listed below what needs attention (`w` is in the footer)."""
    n = result.change_count
    t = Text()
    t.append(f"{n} change{'s' if n != 1 else ''}", style="bold")
    t.append(f" {result.window}")
    t.append(f" · {result.n_audit_rows} audit entries", style="dim")
    return t


def hanging(text: Text) -> RenderableType:
    """A line entry as shown: its glyph in a column of its own, so that wrapped lines of the text
    stay indented under the text, never back at column 1 (a hanging indent). Headings as they are."""
    plain = text.plain
    body_at = len(plain) - len(plain.lstrip(" "))
    if not plain.startswith("  ") or len(plain) < body_at + 2:
        return text
    mark_end = body_at + 2  # "  ✗ " — the indent, the glyph and its space
    grid = Table.grid(expand=True)
    grid.add_column(width=mark_end, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(text[:mark_end], text[mark_end:])
    return grid


@dataclass(frozen=True)
class Entry:
    """One entry of the review list: a heading (line None: not selectable) or a line.

    `key` names what the entry is about, so the cursor can stay on it across refreshes."""

    key: str
    text: Text
    line: Line | None = None

    @property
    def is_heading(self) -> bool:
        return self.line is None

    @property
    def plain(self) -> str:
        return self.text.plain

    @property
    def prompt(self) -> RenderableType:
        """What the list shows: headings as they are, lines with a hanging indent."""
        return self.text if self.is_heading else hanging(self.text)


def _heading(title: str, count: int | None = None) -> Entry:
    """A part heading (reversed) or a section heading with its count."""
    t = Text(title, style="bold reverse" if count is None else "bold")
    if count is not None:
        t.append(f"  ({count})", style="dim")
    return Entry("h", t)


def _line(line: Line) -> Entry:
    return Entry(f"{line.kind}:{line.record_id}:{line.text}", line_prompt(line), line)


def _part(title: str, sections: list[Section], nothing: Line) -> list[Entry]:
    out = [_heading(title)]
    if not any(s.lines for s in sections):
        out.append(_line(nothing))
    for s in sections:
        if s.lines:
            out.append(_heading(s.title, len(s.lines)))
            out.extend(_line(line) for line in s.lines)
    return out


def entries(result: Standup) -> list[Entry]:
    """What needs attention today FIRST (it must be on the first screen at a stand-up), then what
    changed in the window, section by section."""
    return [
        *_part(
            "Needs attention today", result.attention, Line("Nothing needs attention today.", tone="good")
        ),
        *_part(f"What changed {result.window}", result.changes, Line("Nothing changed in this window.")),
    ]
