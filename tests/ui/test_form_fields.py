"""Issue 19's form fixes: fixed-value fields are pick-lists, money shows thousands separators and
the programme currency and reads "3100000", "3,100,000" or "3.1m" back (bad input: a clear message,
nothing written); fields grouped, jumped to by alt+letter or ctrl+g."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, TextArea

from pgmtui.app import PgmApp
from pgmtui.records import ValidationError
from pgmtui.records.fields import STAGES, Field
from pgmtui.screens.form_values import format_money, parse_money, pick_choices
from pgmtui.screens.forms import RecordForm
from pgmtui.store import Store
from tests.ui.helpers import screen_text, wait_for_model, wait_until

BUDGET = Field("budget", "money", minimum=0)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3100000", "3100000"),
        ("3,100,000", "3100000"),
        ("3.1m", "3100000"),  # 3.1 × 1,000,000
        ("£3.1m", "3100000"),  # the programme's own currency symbol is allowed
        ("3,100,000 GBP", "3100000"),
        ("250k", "250000"),  # 250 × 1,000
        ("1.2bn", "1200000000"),  # 1.2 × 1,000,000,000
        ("1250.5", "1250.5"),
        ("-5k", "-5000"),
        ("", ""),
    ],
)
def test_money_text_a_user_types(typed: str, stored: str) -> None:
    assert parse_money(BUDGET, typed, "GBP") == stored


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("3,10,000", "group thousands in threes"),
        ("3.1x", "must be an amount like 3100000, 3,100,000 or 3.1m"),
        ("3.1mm", "must be an amount like"),
        ("€3m", "not an amount in the programme's currency (GBP)"),
    ],
)
def test_money_text_refused_says_what_was_wrong(typed: str, said: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_money(BUDGET, typed, "GBP")
    assert said in caught.value.message


def test_money_shown_with_thousands_separators() -> None:
    assert format_money(3100000.0) == "3,100,000"
    assert format_money(1250.5) == "1,250.50"
    assert format_money(None) == ""


def test_fixed_value_fields_have_choices() -> None:
    assert [v for _, v in pick_choices(Field("rag_override", "rag"))] == ["R", "A", "G"]
    assert [v for _, v in pick_choices(Field("stage", "text", choices=STAGES))] == list(STAGES)
    assert pick_choices(Field("owner", "text")) == ()


async def open_project_form(pilot, code: str = "IAM") -> RecordForm:
    await wait_for_model(pilot)
    app = pilot.app
    row = next(r for r in app.model.rows("project") if r["code"] == code)
    app.push_screen(RecordForm("project", row))
    await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the project form")
    await pilot.pause()
    return app.screen


async def test_project_form_pick_lists_and_money(small_programme: Store, db_path: Path) -> None:
    small_programme.insert("person", {"name": "Asha Patel"})
    app = PgmApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_project_form(pilot)
        assert isinstance(form.query_one("#field-rag_override"), Select)
        assert isinstance(form.query_one("#field-stage"), Select)
        budget = form.query_one("#field-budget", Input)
        assert budget.value == "100,000"  # stored 100000
        text = screen_text(pilot)
        assert "Budget (BAC) £" in text and "100,000" in text
        # The RAG override by keyboard: open the list, pick Amber.
        form.query_one("#field-rag_override").focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # blank → R Red → A Amber
        await pilot.pause()
        assert form.query_one("#field-rag_override", Select).value == "A"
        budget.value = ""
        budget.focus()
        await pilot.press(*"3.1m")
        form.query_one("#field-manager", Input).value = "Asha Patel"  # the people pick-list is main's
        form.query_one("#field-rag_reason", TextArea).text = "Supplier late"  # an override needs one
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, RecordForm), what="the form to close")
    with Store.open(db_path) as s:
        row = s.get("project", "IAM")
    assert row["budget"] == 3100000 and row["rag_override"] == "A"
    assert row["manager"].lower() == "asha patel"


async def test_bad_money_is_refused_with_a_message_and_nothing_written(
    small_programme: Store, db_path: Path
) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_project_form(pilot)
        form.query_one("#field-budget", Input).value = ""
        form.query_one("#field-budget").focus()
        await pilot.press(*"3,10,000")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(form.query_one("#err-budget", Static).content)
        assert "'3,10,000' — group thousands in threes" in error
        assert form.query_one("#err-budget").display  # shown under the field
        assert "Fix the fields" in screen_text(pilot)
        assert isinstance(app.screen, RecordForm)
    with Store.open(db_path) as s:
        row = s.get("project", "IAM")
    assert row["budget"] == 100000 and row["version"] == 1


async def test_same_amount_typed_differently_is_not_a_change(small_programme: Store, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_project_form(pilot)
        form.query_one("#field-budget", Input).value = "100000"
        assert form.changes() == {}
        form.query_one("#field-budget", Input).value = "0.1m"
        assert form.changes() == {}
        form.query_one("#field-budget", Input).value = "120k"
        assert form.changes() == {"budget": "120000"}


async def test_groups_jump_letters_and_go_to_field(small_programme: Store, db_path: Path) -> None:
    app = PgmApp(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_project_form(pilot)
        text = screen_text(pilot)
        for heading in ("── Identity", "── People", "── Schedule"):
            assert heading in text
        assert [g for g, _ in form.groups] == [
            "Identity",
            "People",
            "Schedule",
            "Money",
            "Status & RAG",
            "Notes",
        ]
        assert app.focused.id == "field-code"
        # alt + the underlined letter of "RAG override" jumps to it, 10 fields down; nothing typed.
        assert (
            form.fields[form.fields.index(form.kind.field("rag_override"))].title[form.jump["rag_override"]]
            == "R"
        )
        await pilot.press("alt+r")
        await pilot.pause()
        assert app.focused.id == "field-rag_override"
        assert form.query_one("#field-code", Input).value == "IAM"
        assert "RAG override" in screen_text(pilot)  # scrolled into view at 80×24
        # ctrl+g + type-ahead of the label.
        await pilot.press("ctrl+g", *"cont", "enter")
        await pilot.pause()
        assert app.focused.id == "field-contingency"
        await pilot.press("ctrl+g", *"nosuch", "enter")
        await pilot.pause()
        assert "No field called 'nosuch'" in screen_text(pilot)
        await pilot.press("ctrl+g", "escape")  # escape leaves the go-to line, not the form
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)


def test_every_kind_is_grouped_and_its_jump_letters_are_unique() -> None:
    from pgmtui.records.fields import KINDS
    from pgmtui.screens.form_values import GROUPS, best_field, grouped, jump_letters

    for kind in KINDS.values():
        groups = grouped(list(kind.fields))
        assert sum(len(fs) for _, fs in groups) == len(kind.fields)  # no field lost
        titles = [f.title for _, fs in groups for f in fs]
        letters = [t[i].lower() for t, i in zip(titles, jump_letters(titles), strict=True) if i is not None]
        assert len(letters) == len(set(letters)), kind.name
        assert all(g in GROUPS for g, _ in groups), kind.name
    risk = dict(grouped(list(KINDS["risk"].fields)))
    assert [f.name for f in risk["Scores"]] == [
        "probability",
        "impact",
        "residual_probability",
        "residual_impact",
    ]
    assert [f.name for f in risk["People"]] == ["owner"]
    assert best_field("rag", ["Name", "RAG override", "RAG reason"]) == 1  # the first label starting so
    assert best_field("reason", ["Name", "RAG override", "RAG reason"]) == 2  # else one containing it
    assert best_field("zzz", ["Name"]) is None
