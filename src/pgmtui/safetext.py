"""Text from the database, from files or from the environment, made safe to show on a terminal.

A leaf module (no pgmtui imports), so the store, the domain, the services, the CLI and the screens
all use the same rule. Record text is data: it is never markup and never a terminal control.
"""

from __future__ import annotations

import re

# C0/C1 control characters except tab and newline, and the Unicode bidirectional embeddings,
# overrides and isolates (U+202A–U+202E, U+2066–U+2069). The store refuses the controls, but a
# database written by another tool may hold them; shown raw they are terminal escapes (colours,
# OSC 52 clipboard writes, window titles), and a right-to-left override (U+202E) makes a line read
# differently from what it holds (display spoofing).
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = str.maketrans({"\n": "␊", "\t": "␉"})


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ESC → ␛, BEL → ␇, …
    if code == 0x7F:
        return "␡"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"  # bidi controls: shown as their code, never applied


def visible_controls(text: str) -> str:
    """Replace control characters with visible stand-ins (ESC → ␛, U+202E → \\u202e), so the text
    shows literally. Tabs and newlines are kept (multi-line notes)."""
    return UNSAFE.sub(_picture, text)


def one_line(text: str) -> str:
    """As visible_controls, and tabs and newlines shown too: for values that must stay on one line
    (user names, codes in messages), where a newline could fake a line of output."""
    return visible_controls(text).translate(_LINE_BREAKS)


def shown_user(name: object) -> str:
    """A user name (audit `user`, `updated_by`) as it may be printed: one line, controls visible."""
    return one_line("" if name is None else str(name))
