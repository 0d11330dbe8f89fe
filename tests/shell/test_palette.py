"""The badge colours as 256- and 16-colour terminals show them, and for colour-blind users.

Rich downgrades a hex colour to xterm-256 by rounding each channel to the 6-level cube
(0, 95, 135, 175, 215, 255); on a 16-colour terminal the app switches to ANSI colours. The old
palette's red #c0392b rounded to (175, 95, 0) = xterm 130, a brown-orange next to amber 214.
"""

from __future__ import annotations

import colorsys
import itertools

import pytest
from rich._palettes import EIGHT_BIT_PALETTE
from rich.color import Color, ColorSystem
from rich.style import Style

from pgmtui.widgets import badges


def background(style: str) -> Color:
    bg = Style.parse(style).bgcolor
    assert bg is not None, style
    return bg


def xterm256(style: str) -> tuple[int, tuple[int, int, int]]:
    number = background(style).downgrade(ColorSystem.EIGHT_BIT).number
    assert number is not None
    return number, tuple(EIGHT_BIT_PALETTE[number])


def hue(rgb: tuple[int, int, int]) -> float:
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb))[0] * 360


# ---------------------------------------------------------------- colour-vision simulation
# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
SIMULATIONS = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _srgb(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb: tuple[int, int, int], vision: str) -> tuple[float, float, float]:
    if vision == "normal":
        return (float(rgb[0]), float(rgb[1]), float(rgb[2]))
    lin = [_linear(c) for c in rgb]
    m = SIMULATIONS[vision]
    r, g, b = (_srgb(sum(m[i][j] * lin[j] for j in range(3))) for i in range(3))
    return r, g, b


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """CIE76 distance: about 2.3 is just noticeable, 10+ is plainly different."""
    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5


# ---------------------------------------------------------------- the tests


def test_every_badge_colour_is_an_xterm_256_colour_so_256_colour_terminals_show_it_exactly() -> None:
    # #d70000 = (215, 0, 0): cube levels (4, 0, 0) → 16 + 36·4 = 160; #ffaf00 = (5, 3, 0) → 214;
    # #5faf5f = (1, 3, 1) → 16 + 36 + 18 + 1 = 71; #5fd787 = (1, 4, 2) → 78; #ffff5f = (5, 5, 1) → 227;
    # #ff5f00 = (5, 1, 0) → 202.
    expected = {"R": 160, "A": 214, "G": 71}
    for rag, number in expected.items():
        got, rgb = xterm256(badges.HEX_RAG[rag])
        assert got == number
        assert "#{:02x}{:02x}{:02x}".format(*rgb) == background(badges.HEX_RAG[rag]).triplet.hex  # type: ignore[union-attr]
    bands = {"Low": 78, "Medium": 227, "High": 202, "Critical": 160}
    for band, number in bands.items():
        assert xterm256(badges.HEX_BAND[band])[0] == number


def test_256_colour_hues_are_a_clear_red_amber_green_and_band_scale() -> None:
    hues = {rag: hue(xterm256(style)[1]) for rag, style in badges.HEX_RAG.items()}
    assert hues["R"] < 10 or hues["R"] > 350  # red, not the old brown-orange (xterm 130, hue 33)
    assert 36 <= hues["A"] <= 50  # amber
    assert 100 <= hues["G"] <= 160  # green
    bands = {band: hue(xterm256(style)[1]) for band, style in badges.HEX_BAND.items()}
    # Low green, Medium yellow, High orange, Critical red: the hue falls band by band.
    assert bands["Low"] > bands["Medium"] > bands["High"] > 0
    assert bands["Critical"] < 10 or bands["Critical"] > 350
    # High is orange, well away from amber (the old High, xterm 215, was 11° from amber 214).
    assert abs(bands["High"] - hues["A"]) >= 15


def test_16_colour_badges_use_ansi_colours_of_distinct_hues() -> None:
    # What a 16-colour terminal shows (the app switches to these there).
    rag_bg = {rag: Style.parse(s).bgcolor.name for rag, s in badges.ANSI_RAG.items()}  # type: ignore[union-attr]
    assert rag_bg == {"R": "red", "A": "yellow", "G": "green"}
    band_bg = {b: Style.parse(s).bgcolor.name for b, s in badges.ANSI_BAND.items()}  # type: ignore[union-attr]
    assert band_bg == {"Low": "green", "Medium": "yellow", "High": "bright_red", "Critical": "red"}
    # And if a 16-colour terminal were not detected, Rich's own downgrade of the hex colours still
    # gives three different ANSI colours of the right families: red (1), bright yellow (11), bright green (10).
    downgraded = {
        rag: background(s).downgrade(ColorSystem.STANDARD).number for rag, s in badges.HEX_RAG.items()
    }
    assert downgraded == {"R": 1, "A": 11, "G": 10}


# Pairs a user sees side by side: the RAG scale, the band scale, and amber next to High (the
# portfolio's RAG column beside its H/C column).
PAIRS = [
    (badges.HEX_RAG["R"], badges.HEX_RAG["A"]),
    (badges.HEX_RAG["R"], badges.HEX_RAG["G"]),
    (badges.HEX_RAG["A"], badges.HEX_RAG["G"]),
    *itertools.combinations(badges.HEX_BAND.values(), 2),
    (badges.HEX_RAG["A"], badges.HEX_BAND["High"]),
]


@pytest.mark.parametrize("vision", ["normal", "protanopia", "deuteranopia", "tritanopia"])
def test_pairs_stay_apart_in_256_colours_for_colour_blind_users(vision: str) -> None:
    worst = min(delta_e(simulate(xterm256(a)[1], vision), simulate(xterm256(b)[1], vision)) for a, b in PAIRS)
    # The closest pair is amber / High under deuteranopia (16.7); the old palette had amber / High
    # at 3.2 under tritanopia.
    assert worst >= 15, (vision, worst)


def test_red_and_green_stay_apart_for_red_green_colour_blindness() -> None:
    red, green = xterm256(badges.HEX_RAG["R"])[1], xterm256(badges.HEX_RAG["G"])[1]
    for vision in ("protanopia", "deuteranopia"):
        assert delta_e(simulate(red, vision), simulate(green, vision)) >= 25


def test_the_old_palette_failed_these_checks() -> None:
    """The measure would have caught the bug reported: red as xterm 130 (brown-orange, hue 33)."""
    old_red = Color.parse("#c0392b").downgrade(ColorSystem.EIGHT_BIT)
    assert old_red.number == 130
    assert 25 < hue(tuple(EIGHT_BIT_PALETTE[130])) < 40  # type: ignore[arg-type]
    old_amber, old_high = (0xFF, 0xAF, 0x00), (0xFF, 0xAF, 0x5F)  # xterm 214 and 215
    assert delta_e(simulate(old_amber, "tritanopia"), simulate(old_high, "tritanopia")) < 5


def test_statuses_that_borrow_the_rag_colours_follow_the_16_colour_switch() -> None:
    from pgmtui.screens.dependencies.view import STATUS_STYLE

    try:
        badges.use_ansi_palette(True)
        assert STATUS_STYLE["late"] == badges.ANSI_RAG["R"]
        assert STATUS_STYLE["on track"] == badges.ANSI_RAG["G"]
    finally:
        badges.use_ansi_palette(False)
    assert STATUS_STYLE["late"] == badges.HEX_RAG["R"]
    assert STATUS_STYLE["done"] == "dim"
    assert set(STATUS_STYLE) == {"late", "at risk", "on track", "no dates", "done"}
