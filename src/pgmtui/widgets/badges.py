"""RAG and risk-band badges: colour AND a letter/glyph, so they read with NO_COLOR too.

The colours are chosen for what terminals really show. Most tmux/SSH sessions have 256 colours, and
Rich downgrades a hex colour to the nearest xterm-256 cube colour; the old palette's red (#c0392b)
became xterm 130, a brown-orange beside amber (214), and High (#f0a04b → 215) looked like amber.
Every colour below IS an xterm-256 cube colour, so 256-colour terminals show exactly it:

    RAG   R #d70000 (160, hue 0)   A #ffaf00 (214, hue 41)   G #5faf5f (71, hue 120)
    bands L #5fd787 (78, hue 140)  M #ffff5f (227, hue 60)   H #ff5f00 (202, hue 22)  C = R

Checked against simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009, full
severity) by CIELAB distance: the closest pair that is shown side by side is amber / High under
deuteranopia (ΔE 16.7; 2.3 is just noticeable), and red / green stays ≥ 29 in every simulation
(tests/shell/test_palette.py recomputes all of it). On a 16-colour terminal the app switches to ANSI
colours (`use_ansi_palette`): approximating hex colours there picks wrong hues.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rich.text import Text

RAG_GLYPH = {"R": "●", "A": "▲", "G": "■"}
RED, AMBER, GREEN = "#d70000", "#ffaf00", "#5faf5f"
HEX_RAG = {"R": f"bold white on {RED}", "A": f"bold black on {AMBER}", "G": f"bold black on {GREEN}"}
ANSI_RAG = {"R": "bold bright_white on red", "A": "bold black on yellow", "G": "bold black on green"}
RAG_STYLE = dict(HEX_RAG)
RAG_WORD = {"R": "Red", "A": "Amber", "G": "Green"}

BAND_LETTER = {"Low": "L", "Medium": "M", "High": "H", "Critical": "C"}
HEX_BAND = {
    "Low": "black on #5fd787",
    "Medium": "black on #ffff5f",
    "High": "bold black on #ff5f00",
    "Critical": f"bold white on {RED}",
}
ANSI_BAND = {
    "Low": "black on green",
    "Medium": "black on yellow",
    "High": "bold black on bright_red",
    "Critical": "bold bright_white on red",
}
BAND_STYLE = dict(HEX_BAND)


def use_ansi_palette(on: bool) -> None:
    """Switch badge colours for a 16-colour terminal (in place: importers keep their reference)."""
    RAG_STYLE.clear()
    RAG_STYLE.update(ANSI_RAG if on else HEX_RAG)
    BAND_STYLE.clear()
    BAND_STYLE.update(ANSI_BAND if on else HEX_BAND)


class RagStyles(Mapping[str, str]):
    """Styles of a scale that borrows the RAG colours (a dependency's late / at risk / on track, a
    benefit's status), read from RAG_STYLE when used, so they follow `use_ansi_palette`."""

    def __init__(self, as_rag: Mapping[str, str], others: Mapping[str, str]) -> None:
        self._as_rag = dict(as_rag)
        self._others = dict(others)

    def __getitem__(self, key: str) -> str:
        if key in self._as_rag:
            return RAG_STYLE[self._as_rag[key]]
        return self._others[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._as_rag
        yield from (k for k in self._others if k not in self._as_rag)

    def __len__(self) -> int:
        return len(set(self._as_rag) | set(self._others))


def rag_badge(rag: str | None, *, overridden: bool = False, wide: bool = False) -> Text:
    """`● R` on red, `▲ A*` on amber when overridden, `–` when unknown."""
    if not rag:
        return Text("–", style="dim")
    label = f"{RAG_GLYPH.get(rag, '?')} {rag}{'*' if overridden else ''}"
    if wide:
        label = f"{RAG_GLYPH.get(rag, '?')} {RAG_WORD.get(rag, rag)}{'*' if overridden else ''}"
    return Text(f" {label} ", style=RAG_STYLE.get(rag, ""))


def band_badge(band: str | None, count: int | None = None) -> Text:
    if not band:
        return Text("–", style="dim")
    letter = BAND_LETTER.get(band, band[:1])
    body = f"{letter}" if count is None else f"{letter} {count}"
    return Text(f" {body} ", style=BAND_STYLE.get(band, ""))


def literal(value: object) -> Text:
    """Record text as data: never parsed as Rich markup (a title `[bold]x[/]` shows as typed)."""
    return Text("" if value is None else str(value))
