"""At 80×24 (the usual SSH size) every top screen, every view of it and its drill-ins keep the
header's RAG, today and live marker, and show only whole footer entries (`?` and the palette have
the rest). Screens that land later (6–9) are walked too, on their main view."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from pgmtui.app import TOP_SCREENS, PgmApp
from pgmtui.widgets.footer import FittingFooter
from tests.ui.helpers import screen_text, wait_for_model, wait_until

RAG_MARKS = ("● R", "▲ A", "■ G")

# Keys that show each further view of a screen, from its main view (pressed one after another;
# "reset" goes back to the main view with the screen's number key).
VIEWS: dict[str, list[tuple[str, list[str]]]] = {
    "portfolio": [("project detail", ["enter"])],
    "dependencies": [("critical path", ["c"]), ("matrix", ["c", "m"])],
    "risks": [(f"risk view {n}", ["v"] * n) for n in range(1, 5)] + [("risk detail", ["v", "enter"])],
    "benefits": [("benefit profile", ["enter"])],
}


async def check_shell(pilot: Pilot, where: str) -> None:
    app = pilot.app
    await wait_until(
        pilot,
        lambda: screen_text(pilot).splitlines()[-1].rstrip().endswith("^p palette"),
        what=f"the footer of {where}",
    )
    await pilot.pause()
    lines = screen_text(pilot).splitlines()
    header, footer = lines[0], lines[-1]
    assert len(lines) == 24
    assert any(mark in header for mark in RAG_MARKS), (where, header)
    assert "25 Nov" in header and header.rstrip().endswith("live"), (where, header)
    keys = list(app.screen.query_one(FittingFooter).query(FooterKey))
    assert len(keys) >= 3, (where, footer)  # the screen's main keys, ? and the palette at least
    for key in keys:
        entry = f"{key.key_display} {key.description}".strip()
        assert entry in footer, (where, entry, footer)
    assert "? Help" in footer, (where, footer)


async def test_every_screen_and_view_fits_80_by_24(demo_db: Path) -> None:
    app = PgmApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_model(pilot)
        walked = []
        for top in TOP_SCREENS:
            if top.mode not in app.available_modes:
                continue
            await pilot.press(top.key)
            await wait_until(pilot, lambda top=top: app.current_mode == top.mode, what=top.title)
            await check_shell(pilot, top.title)
            walked.append(top.title)
            for view, keys in VIEWS.get(top.mode, []):
                await pilot.press(*keys)
                await check_shell(pilot, f"{top.title} / {view}")
                await pilot.press(top.key)  # back to the main view (and closes a drill-in)
                await wait_until(pilot, lambda: len(app.screen_stack) == 1, what="the main view")
                walked.append(f"{top.title} / {view}")
        assert {"Portfolio", "Dependencies", "Risks", "Benefits", "Stand-up"} <= set(walked)
