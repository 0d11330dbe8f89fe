"""RAG and risk-band badges: colour AND a letter/glyph, so they read with NO_COLOR too."""

from __future__ import annotations

from rich.text import Text

RAG_GLYPH = {"R": "●", "A": "▲", "G": "■"}
# Truecolor/256-colour palette. On a 16-colour terminal the app switches to the ANSI palette
# below (`use_ansi_palette`): approximating these hex colours there picks wrong hues.
HEX_RAG = {"R": "bold white on #c0392b", "A": "bold black on #f39c12", "G": "bold white on #1e8449"}
ANSI_RAG = {"R": "bold bright_white on red", "A": "bold black on yellow", "G": "bold black on green"}
RAG_STYLE = dict(HEX_RAG)
RAG_WORD = {"R": "Red", "A": "Amber", "G": "Green"}

BAND_LETTER = {"Low": "L", "Medium": "M", "High": "H", "Critical": "C"}
HEX_BAND = {
    "Low": "black on #7dcea0",
    "Medium": "black on #f7dc6f",
    "High": "black on #f0a04b",
    "Critical": "bold white on #c0392b",
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
