"""Stand-up (key 5): what changed since the last working day, and what needs attention today."""

from pgmtui.screens.standup.screen import StandupScreen, read_and_stamp_visit, state_file, write_report
from pgmtui.screens.standup.view import WINDOWS, Entry, entries, line_prompt, window_start

__all__ = [
    "WINDOWS",
    "Entry",
    "StandupScreen",
    "entries",
    "line_prompt",
    "read_and_stamp_visit",
    "state_file",
    "window_start",
    "write_report",
]
