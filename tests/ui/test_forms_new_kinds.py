"""The generic record form works for every second-wave kind: it opens with the kind's fields,
takes what a person types (references by name, a month, a KIND:ID link), saves through the store
and shows a stored link as it was typed when the record is edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select

from pgmtui.app import PgmApp
from pgmtui.records.fields import KINDS, SECOND_WAVE
from pgmtui.screens.forms import RecordForm
from pgmtui.store import Store
from tests.second_wave import add_wave_base
from tests.ui.helpers import screen_text, wait_for_model, wait_until

# What a person types into each kind's form (field → text, or the choice for a list).
TYPED: dict[str, dict[str, str]] = {
    "person": {"name": "Ben Okafor", "team": "Network", "capacity_pct": "60"},
    "allocation": {"person": "asha patel", "project": "IAM", "milestone": "IAM:Gate 1",
                   "start_date": "2026-11-30", "end_date": "2026-12-11", "percent": "40"},
    "cost": {"project": "IAM", "month": "2027-01", "category": "capex", "planned": "12,500"},
    "change_request": {"project": "CLD", "title": "Extra landing zone", "cost_impact": "-2000", "status": "approved"},
    "objective": {"code": "SEC", "name": "Reduce security risk"},
    "contribution": {"objective": "GROW", "project": "CLD", "strength": "2"},
    "business_case": {"project": "CLD", "horizon_years": "7", "chosen_option": "buy"},
    "gate_review": {"milestone": "IAM:Gate 1", "review_date": "2027-01-10", "outcome": "conditional"},
    "stakeholder": {"name": "CIO", "power": "5", "interest": "4", "attitude": "supporter", "projects": "IAM, CLD"},
    "engagement": {"stakeholder": "CFO", "date": "2026-11-24", "channel": "call", "next_action": "Send the plan"},
    "communication": {"audience": "Board", "message": "Highlight report", "frequency_days": "30"},
    "action": {"title": "Chase the firewall rules", "about": "issue:1", "due_date": "2026-11-27"},
    "lesson": {"title": "Agree firewall rules early", "category": "supplier", "source": "project:CLD"},
}  # fmt: skip


@pytest.fixture
def wave_db(small_programme: Store, db_path: Path) -> Path:
    s = small_programme
    add_wave_base(s)
    s.insert("person", {"name": "Asha Patel"})
    s.insert("objective", {"code": "GROW", "name": "Grow revenue"})
    s.insert("stakeholder", {"name": "CFO", "power": 5, "interest": 2})
    s.close()
    return db_path


def test_every_new_kind_has_typed_values() -> None:
    assert set(TYPED) == {k.name for k in SECOND_WAVE}


def _fill(form: RecordForm, values: dict[str, str]) -> None:
    for name, text in values.items():
        widget = form.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            widget.value = text
        else:
            assert isinstance(widget, Input), name
            widget.value = text


async def test_a_form_for_each_new_kind_opens_and_saves(wave_db: Path) -> None:
    app = PgmApp(wave_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        for kind in SECOND_WAVE:
            saved: list[int | None] = []
            form = RecordForm(kind.name)
            app.push_screen(form, saved.append)
            await wait_until(
                pilot, lambda f=form: app.screen is f and f.is_mounted, what=f"the {kind.name} form"
            )
            labels = screen_text(pilot)
            for f in kind.fields:
                assert f.title in labels, (kind.name, f.title)
            _fill(form, TYPED[kind.name])
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda s=saved: bool(s), what=f"the {kind.name} saved")
            assert saved[0] is not None, screen_text(pilot)
    with Store.open(wave_db) as s:
        assert {k.name: s.count(k.name) for k in SECOND_WAVE} == {
            k.name: 2 if k.name in ("person", "objective", "stakeholder") else 1 for k in SECOND_WAVE
        }
        assert s.get("allocation", 1)["milestone_id"] == 2 and s.get("cost", 1)["planned"] == 12_500.0
        assert s.get("stakeholder", "CIO")["projects"] == [1, 2]
        assert s.get("action", 1)["about"] == "issue:1" and s.get("lesson", 1)["source"] == "project:2"
        assert s.get("engagement", 1)["channel"] == "call"


async def test_typing_into_a_form_and_editing_shows_links_by_name(wave_db: Path) -> None:
    with Store.open(wave_db) as s:
        action = s.insert("action", {"title": "Review gate", "about": "milestone:IAM:Gate 1"})
    app = PgmApp(wave_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        form = RecordForm("cost")
        app.push_screen(form)
        await wait_until(pilot, lambda: app.screen is form and form.is_mounted, what="the cost form")
        month = form.query_one("#field-month", Input)
        assert month.placeholder == "YYYY-MM"
        await pilot.press(*"IAM", "tab", *"2027-3")  # a month without its leading zero
        await wait_until(
            pilot, lambda: "month must be YYYY-MM, got '2027-3'" in screen_text(pilot), what="error"
        )
        await pilot.press("backspace", *"03")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not form, what="the cost saved")
        await wait_until(
            pilot, lambda: bool(app.model and app.model.rows("cost")), what="the cost in the model"
        )
        record = app.model.row("action", action)
        edit = RecordForm("action", record)
        app.push_screen(edit)
        await wait_until(pilot, lambda: app.screen is edit and edit.is_mounted, what="the action form")
        assert edit.query_one("#field-about", Input).value == "milestone:IAM:Gate 1"
        assert edit.changes() == {}  # showing a link by name is not an edit
        edit.query_one("#field-about", Input).value = "issue:99"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "about: no issue with id 99" in screen_text(pilot), what="the refusal"
        )
        assert app.screen is edit
    with Store.open(wave_db) as s:
        assert [(c["project_id"], c["month"]) for c in s.rows("cost")] == [(1, "2027-03")]
        assert (
            s.get("action", action)["about"] == "milestone:2"
            and KINDS["action"].field("about").type == "link"
        )
