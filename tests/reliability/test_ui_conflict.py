"""Two people edit the same record in two running apps on one database file.

The first save wins; the second is refused in the form with a message naming who changed it and
offering ctrl+r to load their version — nothing is overwritten. After ctrl+r the second person
can re-apply their edit on top and save.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pgmtui.app import PgmApp
from pgmtui.screens.forms import RecordForm
from pgmtui.store import Store
from tests.ui.helpers import wait_for_model, wait_until


def _input(form: RecordForm, name: str):
    return form.query_one(f"#field-{name}")


async def _set(pilot, form: RecordForm, name: str, text: str) -> None:
    widget = _input(form, name)
    widget.value = text
    await pilot.pause()


def _banner(form: RecordForm) -> str:
    return str(form.query_one("#form-banner").content)


def _row(db: Path, table: str, row_id: int) -> dict:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone())  # fixed names
    conn.close()
    return row


def _audit_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    n = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    conn.close()
    return n


async def _open_project_form(pilot, app: PgmApp, code: str) -> RecordForm:
    screen = app.screen
    pid = next(p["id"] for p in app.model.rows("project") if p["code"] == code)
    assert screen.table.select(pid)
    await pilot.pause()
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the edit form")
    return app.screen


async def test_second_save_of_the_same_project_is_refused_and_offers_reload(demo_db: Path) -> None:
    alice, bob = PgmApp(demo_db), PgmApp(demo_db)
    async with alice.run_test(size=(120, 40)) as pa, bob.run_test(size=(120, 40)) as pb:
        await wait_for_model(pa)
        await wait_for_model(pb)
        form_a = await _open_project_form(pa, alice, "IAM")
        form_b = await _open_project_form(pb, bob, "IAM")
        pid = form_a.record_id
        assert form_b.record_id == pid and form_a.version == form_b.version
        version = form_a.version

        # Alice changes % complete and saves first.
        await _set(pa, form_a, "percent_complete", "61")
        await pa.press("ctrl+s")
        await wait_until(pa, lambda: not isinstance(alice.screen, RecordForm), what="alice's save")
        assert _row(demo_db, "project", pid)["percent_complete"] == 61
        audit_after_alice = _audit_count(demo_db)

        # Bob, still on the old version, changes the same field and the forecast, and saves.
        await _set(pb, form_b, "percent_complete", "45")
        await _set(pb, form_b, "forecast_end", "2027-03-31")
        await pb.press("ctrl+s")
        await wait_until(pb, lambda: "Not saved" in _banner(form_b), what="bob's refusal")
        message = _banner(form_b)
        assert "was changed by" in message and "ctrl+r" in message, message
        assert bob.screen is form_b  # the form stays open with bob's edits in it
        assert _input(form_b, "percent_complete").value == "45"
        row = _row(demo_db, "project", pid)  # nothing of bob's was written
        assert row["percent_complete"] == 61 and row["version"] == version + 1
        assert row["forecast_end"] != "2027-03-31"
        assert _audit_count(demo_db) == audit_after_alice

        # ctrl+r loads alice's version and lists what bob had typed; he re-applies and saves.
        await wait_until(pb, lambda: bob.model.row("project", pid)["version"] == version + 1, what="refresh")
        await pb.press("ctrl+r")
        await pb.pause()
        assert _input(form_b, "percent_complete").value == "61"
        assert "45" in _banner(form_b) and "2027-03-31" in _banner(form_b)
        await _set(pb, form_b, "forecast_end", "2027-03-31")
        await pb.press("ctrl+s")
        await wait_until(pb, lambda: not isinstance(bob.screen, RecordForm), what="bob's second save")
        row = _row(demo_db, "project", pid)
        assert (row["percent_complete"], row["forecast_end"], row["version"]) == (
            61,
            "2027-03-31",
            version + 2,
        )
        assert _audit_count(demo_db) == audit_after_alice + 1


async def test_open_form_warns_when_the_record_changes_underneath(demo_db: Path) -> None:
    """Before even saving, the form says the record moved on (a CLI script or another user)."""
    app = PgmApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        form = await _open_project_form(pilot, app, "CLD")
        with Store.open(demo_db) as other, other.acting(user="carol"):
            other.update("project", "CLD", {"status_note": "moved by carol"})
        await wait_until(pilot, lambda: "Changed by carol" in _banner(form), what="the warning")
        assert "ctrl+r" in _banner(form)


async def test_second_save_of_the_same_risk_is_refused_and_offers_reload(demo_db: Path) -> None:
    with Store.open(demo_db) as s:
        risk = next(r for r in s.rows("risk") if r["status"] == "open")
    rid, version = risk["id"], risk["version"]
    alice, bob = PgmApp(demo_db), PgmApp(demo_db)
    async with alice.run_test(size=(120, 40)) as pa, bob.run_test(size=(120, 40)) as pb:
        forms = []
        for pilot, app in ((pa, alice), (pb, bob)):
            await wait_for_model(pilot)
            app.open_record("risk", rid)
            await wait_until(pilot, lambda app=app: app.current_mode == "risks", what="the risks screen")
            await pilot.pause()
            if not isinstance(app.screen, RecordForm):
                await pilot.press("e")
            await wait_until(pilot, lambda app=app: isinstance(app.screen, RecordForm), what="the risk form")
            forms.append(app.screen)
        form_a, form_b = forms
        assert form_a.kind.name == form_b.kind.name == "risk"
        assert form_a.record_id == form_b.record_id == rid

        await _set(pa, form_a, "title", "Alice's wording")
        await pa.press("ctrl+s")
        await wait_until(pa, lambda: not isinstance(alice.screen, RecordForm), what="alice's save")
        audit = _audit_count(demo_db)

        await _set(pb, form_b, "title", "Bob's wording")
        await pb.press("ctrl+s")
        await wait_until(pb, lambda: "Not saved" in _banner(form_b), what="bob's refusal")
        assert "ctrl+r" in _banner(form_b)
        row = _row(demo_db, "risk", rid)
        assert (row["title"], row["version"]) == ("Alice's wording", version + 1)
        assert _audit_count(demo_db) == audit
