"""RAG and risk-band badges: colour AND a letter/glyph, so they read with NO_COLOR too."""

from __future__ import annotations

from rich.text import Text

RAG_GLYPH = {"R": "●", "A": "▲", "G": "■"}
# Named ANSI colours: exact on a 16-colour terminal (tmux over SSH), and mapped through the
# theme's palette on richer ones. Hex colours would be approximated, sometimes to the wrong hue.
RAG_STYLE = {"R": "bold bright_white on red", "A": "bold black on yellow", "G": "bold bright_white on green"}
RAG_WORD = {"R": "Red", "A": "Amber", "G": "Green"}

BAND_LETTER = {"Low": "L", "Medium": "M", "High": "H", "Critical": "C"}
BAND_STYLE = {
    "Low": "black on green",
    "Medium": "black on yellow",
    "High": "black on bright_yellow",
    "Critical": "bold bright_white on red",
}


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
