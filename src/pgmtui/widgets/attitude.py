"""Attitudes and stakeholder entries as text, free of textual: a glyph AND a letter for each step of
the attitude scale (so it reads with NO_COLOR), the gap arrow, and one stakeholder's entry in a
cell of the power/interest map, fitted to the cell's width."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

# Worst to best; the glyphs read as a scale (× − ○ + ★), the letters are the word's initial.
ATTITUDE_MARK = {
    "blocker": "×B",
    "critic": "−C",
    "neutral": "○N",
    "supporter": "+S",
    "champion": "★C",
}
ATTITUDE_STYLE = {
    "blocker": "bold red",
    "critic": "red",
    "neutral": "",
    "supporter": "green",
    "champion": "bold green",
}
RISK_MARK = "!"  # high power and two or more steps from the attitude wanted
OVERDUE_MARK = "*"  # not engaged within their cadence
LEGEND = "×B blocker  −C critic  ○N neutral  +S supporter  ★C champion"


def attitude_badge(attitude: str | None, *, word: bool = False) -> Text:
    """`×B` (or `×B blocker`) in the attitude's colour; `–` when unknown."""
    if not attitude or attitude not in ATTITUDE_MARK:
        return Text("–", style="dim")
    label = ATTITUDE_MARK[attitude] + (f" {attitude}" if word else "")
    return Text(label, style=ATTITUDE_STYLE[attitude])


def gap_arrow(gap: int | None) -> str:
    """`↑2`: two steps to go towards support; `↓1`: one step above the target; empty at target."""
    if not gap:
        return ""
    return f"↑{gap}" if gap > 0 else f"↓{-gap}"


@dataclass(frozen=True)
class MapEntry:
    """One stakeholder in a cell of the map."""

    stakeholder_id: int
    name: str
    attitude: str
    gap: int | None
    risk: bool
    overdue: bool

    def text(self, width: int) -> Text:
        """`×B Works co…↑3!*` in at most `width` cells: the name gives way first."""
        mark = attitude_badge(self.attitude)
        tail = Text(gap_arrow(self.gap), style="bold")
        if self.risk:
            tail.append(RISK_MARK, style="bold red")
        if self.overdue:
            tail.append(OVERDUE_MARK, style="bold yellow")
        room = width - mark.cell_len - 1 - tail.cell_len
        out = mark.copy()
        if room >= 1:
            out.append(" ")
            out.append(fit(self.name, room))
        out.append_text(tail)
        out.truncate(width)
        return out


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells, with … when cut."""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"
