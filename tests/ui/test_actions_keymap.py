"""One action definition → binding, footer, palette and help; a user keymap moves keys everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.actions import Act, KeymapError, load_keymap
from tests.ui.helpers import screen_text, wait_for_model, wait_until


def test_act_yields_a_binding_with_its_id() -> None:
    act = Act("risks.rescore", "p", "rescore", "Re-score", "Change a risk's scores", title="Re-score risk")
    binding = act.binding()
    assert (binding.key, binding.action, binding.description, binding.id) == (
        "p",
        "rescore",
        "Re-score",
        "risks.rescore",
    )
    assert act.description == "Re-score — Change a risk's scores"
    assert Act("x.sort", "s", "sort('rag')", "Sort").action_name == "sort"


def test_keymap_file_top_level_or_keys_table(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text('"portfolio.new" = "a"\n[keys]\n"app.quit" = ["ctrl+q", "f10"]\n', encoding="utf-8")
    # With a [keys] table, that table is the keymap.
    assert load_keymap(path) == ({"app.quit": "ctrl+q,f10"}, [])
    path.write_text('"portfolio.new" = "a"\n"nope.x" = "b"\n"app.quit" = 3\n', encoding="utf-8")
    keymap, warnings = load_keymap(path, known_ids={"portfolio.new", "app.quit"})
    assert keymap == {"portfolio.new": "a"}
    assert any("nope.x" in w for w in warnings) and any("app.quit" in w for w in warnings)
    assert load_keymap(tmp_path / "missing.toml") == ({}, [])
    path.write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(KeymapError, match="not valid TOML"):
        load_keymap(path)


def write_keymap(text: str) -> None:
    import os

    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "pgmtui"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "keymap.toml").write_text(text, encoding="utf-8")


async def test_remapped_key_shows_in_footer_help_and_palette_and_works(demo_db: Path) -> None:
    from pgmtui.app import PgmApp
    from pgmtui.screens.forms import RecordForm

    write_keymap('"portfolio.new" = "a"\n')
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        # The footer composes its keys a frame after the model can arrive: wait for it.
        await wait_until(pilot, lambda: " New " in screen_text(pilot).splitlines()[-1], what="the footer")
        footer = screen_text(pilot).splitlines()[-1]
        assert " a New " in footer and " n New " not in footer
        commands = {c.title: c.help for c in app.screen.palette_commands()}
        assert commands["New project"].endswith("(a)")
        await pilot.press("question_mark")
        await pilot.pause()
        help_lines = [line for line in screen_text(pilot).splitlines() if "portfolio.new" in line]
        assert help_lines and " a   " in help_lines[0] and " n   " not in help_lines[0]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")  # the old key does nothing now
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the new-project form")


async def test_broken_keymap_is_reported_and_the_default_keys_stay(demo_db: Path) -> None:
    from pgmtui.app import PgmApp
    from pgmtui.screens.forms import RecordForm

    write_keymap("[keys\n")
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await wait_until(
            pilot,
            lambda: any("not valid TOML" in n.message for n in app._notifications),
            what="the keymap warning",
        )
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the new-project form")
