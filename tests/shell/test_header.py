"""The header at every width: RAG, today and live/read-only/not live always there."""

from __future__ import annotations

import pytest

from pgmtui.widgets.header import HeaderParts, header_line

PARTS = HeaderParts(
    title="Dependencies",
    status="live",
    programme="Digital Workplace Programme",
    rag="R",
    today_long="Wed 25 Nov 2026",
    today_short="25 Nov",
)


def test_wide_terminal_shows_everything() -> None:
    line = header_line(PARTS, 120).plain
    assert line == " pgmtui  Dependencies  │  Digital Workplace Programme  ● R   │  Wed 25 Nov 2026  │  live"


def test_80_columns_shorten_the_programme_name_first() -> None:
    line = header_line(PARTS, 80).plain
    # Fixed: " pgmtui " 8 + " Dependencies" 13 + "  │  " 5 + " ● R " 5 + "  │  Wed 25 Nov 2026" 20
    # + "  │  live" 9 = 60; the name gets 80 − 60 − 1 (its space) = 19 columns.
    # ("Digital Workplace " cut to 19 with its trailing space dropped.)
    assert line == " pgmtui  Dependencies  │  Digital Workplace…  ● R   │  Wed 25 Nov 2026  │  live"
    assert len(line) == 79


def test_long_titles_give_way_too() -> None:
    parts = HeaderParts(
        **{**PARTS.__dict__, "title": "Benefit — Fewer password-reset calls to the service desk"}
    )
    line = header_line(parts, 80).plain
    assert "● R" in line and "Wed 25 Nov 2026" in line and line.endswith("live")
    # The name goes before the title is cut: the title says which benefit this is.
    assert "Digital" not in line
    # 80 − "  │  " 5 − " ● R " 5 − "  │  Wed 25 Nov 2026  │  live" 29 − its leading space 1 = 40
    # columns for the title: 39 characters and "…".
    assert line.startswith(" Benefit — Fewer password-reset calls to…  │   ● R ")
    assert len(line) == 80


@pytest.mark.parametrize("status", ["live", "read-only", "not live"])
@pytest.mark.parametrize("width", range(30, 201, 1))
def test_rag_today_and_status_survive_every_width(width: int, status: str) -> None:
    parts = HeaderParts(**{**PARTS.__dict__, "status": status})
    line = header_line(parts, width).plain
    assert len(line) <= width
    assert "● R" in line
    assert status in line
    assert "25 Nov" in line
    if width >= 80:
        assert "Wed 25 Nov 2026" in line


def test_read_only_comes_first() -> None:
    parts = HeaderParts(**{**PARTS.__dict__, "status": "read-only"})
    assert header_line(parts, 80).plain.startswith(" pgmtui  read-only ")


def test_programme_text_is_data_not_markup() -> None:
    parts = HeaderParts(**{**PARTS.__dict__, "programme": "[bold red]x[/]"})
    line = header_line(parts, 120)
    assert "[bold red]x[/]" in line.plain


def test_no_model_yet() -> None:
    line = header_line(HeaderParts("Portfolio", "loading…"), 80).plain
    assert "Portfolio" in line and "loading…" in line
