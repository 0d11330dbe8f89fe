"""Every kind of change the stand-up reports, from one busy week written through the store."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from pgmtui.services import standup_of
from pgmtui.store import Store
from tests.domain.conftest import copy_of, written_once

MONDAY = pendulum.Date(2026, 11, 23)


def at(day: int, hh: int, mm: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hh, mm, tz="UTC")


def _write_week(s: Store) -> None:
    with s.acting(user="pmo", at=at(19, 9)):  # Thursday: the state before the window
        s.insert("programme", {"name": "P"})
        app = {"start_date": "2026-01-01", "baseline_end": "2027-06-30", "forecast_end": "2027-06-30"}
        s.insert("project", {"code": "APP", "name": "App", "budget": 100000, "actual_cost": 1000,
                             "percent_complete": 10, **app})  # fmt: skip
        s.insert("project", {"code": "NET", "name": "Net", **app})
        s.insert("project", {"code": "OLD", "name": "Legacy clean-up"})
        s.insert("milestone", {"project": "APP", "name": "Design", "forecast_date": "2026-12-10"})
        s.insert("milestone", {"project": "NET", "name": "Spike", "forecast_date": "2026-12-01"})
        s.insert("milestone", {"project": "APP", "name": "Build"})  # no date yet
        s.insert("milestone", {"project": "NET", "name": "Cabling", "forecast_date": "2026-12-20"})
        s.insert("milestone", {"project": "APP", "name": "Cutover", "forecast_date": "2026-12-15"})
        s.insert("dependency", {"supplier": "NET:Cabling", "consumer": "APP:Cutover"})  # 5 d late
        s.insert("risk", {"project": "APP", "title": "Skills gap", "probability": 2, "impact": 2})
        s.insert(
            "risk",
            {"project": "APP", "title": "Old worry", "probability": 3, "impact": 3, "status": "closed"},
        )
        s.insert("risk", {"project": "NET", "title": "Supplier", "probability": 3, "impact": 3,
                          "residual_probability": 1, "residual_impact": 1})  # fmt: skip
        s.insert("risk", {"project": "NET", "title": "Typo risk", "probability": 1, "impact": 1})
        s.insert("risk", {"title": "Funding", "probability": 2, "impact": 3, "owner": "Ann"})
        s.insert("issue", {"project": "APP", "title": "Test rig down", "priority": "low"})
        s.insert("decision", {"project": "APP", "title": "Pick a vendor"})
        s.insert("assumption", {"title": "Budget holds"})
        s.insert("benefit", {"name": "Faster builds", "baseline_value": 10, "target_value": 4, "unit": "h"})
        s.insert("measurement", {"benefit": 1, "date": "2026-11-01", "value": 9})
        s.insert("project", {"code": "FIX", "name": "Fixed", **app})
        s.insert("risk", {"project": "FIX", "title": "Blocker", "probability": 5, "impact": 4})  # 20: Red
        s.insert(
            "project",
            {"code": "OVR", "name": "Overridden", "rag_override": "R", "rag_reason": "board", **app},
        )
    with s.acting(user="ann", at=at(20, 9)):  # Friday, inside the window
        s.update("project", "APP", {"forecast_end": "2027-07-10", "percent_complete": 25, "actual_cost": 2500.4,
                                    "stage": "Delivery", "status_note": "Vendor chosen; build starts",
                                    "rag_override": "A", "rag_reason": "vendor onboarding"})  # fmt: skip
        s.delete("project", "OLD")
        s.update("milestone", "APP:Design", {"actual_date": "2026-11-20"})
        s.delete("milestone", "NET:Spike")
        s.update("milestone", "APP:Build", {"forecast_date": "2026-12-31"})
        s.insert("milestone", {"project": "APP", "name": "Pilot", "baseline_date": "2027-02-01"})
        s.update("project", "OVR", {"rag_override": None, "rag_reason": None})
    with s.acting(user="ben", at=at(20, 15)):
        s.update("milestone", "NET:Cabling", {"forecast_date": "2026-12-23"})  # 5 → 8 d late
        s.update("risk", 1, {"status": "closed"})
        s.update("risk", 2, {"status": "open"})
        s.update("risk", 3, {"probability": 4})  # inherent 9 → 12, residual stays 1
        s.delete("risk", 4)
        s.update("risk", 5, {"owner": "Bea", "proximity": "imminent", "probability": 1})  # 6 → 3
        s.insert(
            "risk",
            {"project": "NET", "title": "Core switch EOL", "probability": 4, "impact": 4, "owner": "Cy"},
        )
        s.update("risk", 6, {"status": "closed"})  # FIX's blocker
    with s.acting(user="cy", at=at(21, 10)):
        s.update("issue", 1, {"status": "closed"})
        s.update("decision", 1, {"status": "made"})
        s.delete("assumption", 1)
        s.insert("decision", {"title": "Extend contract", "priority": "high", "due_date": "2026-12-01"})
        s.update("measurement", 1, {"value": 8, "note": "re-counted after the audit"})
        s.insert("measurement", {"benefit": 1, "date": "2026-11-20", "value": 7.5})


@pytest.fixture(scope="module")
def _week_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return written_once(tmp_path_factory, MONDAY, _write_week)


@pytest.fixture
def week(_week_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PGMTUI_TODAY", MONDAY.isoformat())
    yield from copy_of(_week_file, tmp_path)


def _section(su, title: str) -> list[tuple[str, str | None, int | None, str, tuple[str, ...]]]:
    return [
        (ln.text, ln.kind, ln.record_id, ln.tone, ln.users)
        for s in su.changes
        if s.title == title
        for ln in s.lines
    ]


def test_projects(week: Store) -> None:
    su = standup_of(week, MONDAY)
    assert _section(su, "Projects") == [
        (
            "APP: forecast end 2027-06-30 → 2027-07-10 (+10 d); complete 10 % → 25 %; "
            "actual cost 1 000 → 2 500; stage Initiation → Delivery; note: “Vendor chosen; build starts”; "
            "RAG override set to A",
            "project", 1, "bad", ("ann",),
        ),
        ("OLD deleted (Legacy clean-up)", None, None, "bad", ("ann",)),
        ("OVR: RAG override removed", "project", 5, "", ("ann",)),
    ]  # fmt: skip


def test_rag(week: Store) -> None:
    su = standup_of(week, MONDAY)
    # APP was Amber (its incoming dependency 5 d late) and is overridden to Amber: no RAG change.
    # NET's new risk scores 4×4 = 16, Critical: NET (Amber before: its milestone makes APP's 5 d
    # late, it is delaying others) turns Red. FIX's only risk (20) was closed, and
    # OVR's Red override removed: both Green, for better. The programme stays Red throughout.
    assert _section(su, "RAG changes") == [
        (
            "NET Amber → Red: risk G → R: 1 open Critical risk(s); worst 'Core switch EOL' residual 16",
            "project", 2, "bad", (),
        ),
        ("FIX Red → Green: risk R → G: no open risk with residual score ≥ 10", "project", 4, "good", ()),
        ("OVR Red → Green: override removed (evidence says G)", "project", 5, "good", ("ann",)),
    ]  # fmt: skip


def test_risks(week: Store) -> None:
    su = standup_of(week, MONDAY)
    assert _section(su, "Risks") == [
        ("Risk #1 Skills gap (APP) closed", "risk", 1, "good", ("ben",)),
        ("Risk #2 Old worry (APP) re-opened (open)", "risk", 2, "bad", ("ben",)),
        ("Risk #3 Supplier (NET) inherent score 9 → 12 (residual unchanged at 1)", "risk", 3, "", ("ben",)),
        ("Deleted risk #4 Typo risk (NET) (was 1 (Low))", None, None, "", ("ben",)),
        # Funding 2×3 = 6 → 1×3 = 3: down, good.
        ("Risk #5 Funding (programme) re-scored 6 (Medium) → 3 (Low) ↓; owner now Bea; proximity – → imminent",
         "risk", 5, "good", ("ben",)),
        ("New risk #7 Core switch EOL (NET): score 16 (Critical), owner Cy", "risk", 7, "bad", ("ben",)),
        ("Risk #6 Blocker (FIX) closed", "risk", 6, "good", ("ben",)),
    ]  # fmt: skip


def test_milestones_and_dependencies(week: Store) -> None:
    su = standup_of(week, MONDAY)
    assert _section(su, "Milestones") == [
        ("NET:Spike deleted", None, None, "", ("ann",)),  # deletions first, then the rest in audit order
        ("APP:Design achieved on 2026-11-20", "milestone", 1, "good", ("ann",)),
        ("APP:Build date no date → 2026-12-31", "milestone", 3, "", ("ann",)),
        ("APP:Pilot added, due 2027-02-01", "milestone", 6, "", ("ann",)),
        # Cabling +3 d: its consumer Cutover was already 5 d late, so it moves 3 d.
        ("NET:Cabling forecast moved +3 d (2026-12-20 → 2026-12-23); knocks on APP:Cutover +3 d",
         "milestone", 4, "bad", ("ben",)),
    ]  # fmt: skip
    assert _section(su, "Dependencies") == [
        ("NET:Cabling → APP:Cutover later still: 5 → 8 d late", "dependency", 1, "bad", ()),
    ]


def test_raid_and_measurements(week: Store) -> None:
    su = standup_of(week, MONDAY)
    assert _section(su, "Issues, decisions and assumptions") == [
        ("Issue #1 Test rig down (APP): open → closed", "issue", 1, "good", ("cy",)),
        ("Decision #1 Pick a vendor (APP): needed → made", "decision", 1, "good", ("cy",)),
        ("Deleted assumption #1 Budget holds (programme)", None, None, "", ("cy",)),
        ("New decision #2 Extend contract (programme), high priority, due 2026-12-01", "decision", 2, "", ("cy",)),
    ]  # fmt: skip
    assert _section(su, "Measurements recorded") == [
        (
            "Faster builds: 8 h on 2026-11-01 corrected — re-counted after the audit",
            "benefit",
            1,
            "",
            ("cy",),
        ),
        ("Faster builds: 7.5 h on 2026-11-20 recorded", "benefit", 1, "", ("cy",)),
    ]
    assert [ln.text for s in su.changes if s.title == "Who changed what" for ln in s.lines] == [
        "ben: 7 risks, 1 milestone",
        "ann: 4 milestones, 3 projects",
        "cy: 2 decisions, 2 measurements, 1 issue, 1 assumption",
    ]


def test_rewind_brings_back_tables_links_and_the_programme() -> None:
    from pgmtui.domain.standup import rewind

    tables = {
        "project": [{"id": 1, "code": "APP", "name": "App v2"}, {"id": 3, "code": "NEW", "name": "New"}],
        "benefit": [{"id": 5, "name": "Speed"}],
        "risk": [{"id": 9, "title": "untouched"}],
    }
    programme = {"id": 1, "name": "P renamed", "sponsor": "S"}
    links = {5: [1, 3]}
    audit = [
        {"id": 10, "ts": "2026-11-20T09:00:00Z", "tbl": "project", "row_id": 1, "action": "update",
         "changes": {"name": ["App", "App v2"]}},
        {"id": 11, "ts": "2026-11-20T09:01:00Z", "tbl": "project", "row_id": 3, "action": "insert",
         "changes": {"code": [None, "NEW"], "name": [None, "New"]}},
        {"id": 12, "ts": "2026-11-20T09:02:00Z", "tbl": "project", "row_id": 2, "action": "delete",
         "changes": {"code": ["GONE", None], "name": ["Gone", None]}},
        {"id": 13, "ts": "2026-11-20T09:03:00Z", "tbl": "benefit", "row_id": 5, "action": "update",
         "changes": {"projects": [[1, 2], [1, 3]]}},
        {"id": 14, "ts": "2026-11-20T09:04:00Z", "tbl": "programme", "row_id": 1, "action": "update",
         "changes": {"name": ["P", "P renamed"]}},
        {"id": 15, "ts": "2026-11-20T09:05:00Z", "tbl": "programme", "row_id": 99, "action": "update",
         "changes": {"name": ["other", "x"]}},  # another programme id: not ours
    ]  # fmt: skip
    then, prog_then, links_then = rewind(tables, programme, links, audit)
    assert then["project"] == {
        1: {"id": 1, "code": "APP", "name": "App"},
        2: {"id": 2, "code": "GONE", "name": "Gone"},
    }
    assert then["benefit"] == {5: {"id": 5, "name": "Speed", "projects": [1, 2]}}
    assert links_then == {5: [1, 2]}
    assert then["risk"] == {9: {"id": 9, "title": "untouched"}}  # no audit rows: as it is now
    assert then["milestone"] == {} and set(then) >= {
        "project",
        "milestone",
        "dependency",
        "risk",
        "measurement",
    }
    assert prog_then == {"id": 1, "name": "P", "sponsor": "S"}  # the fields the log did not touch kept
    assert programme == {"id": 1, "name": "P renamed", "sponsor": "S"}  # inputs untouched
    # Nothing happened: everything as it is now, links sorted.
    same, prog_same, links_same = rewind(tables, programme, {5: [3, 1]}, [])
    assert links_same == {5: [1, 3]} and prog_same == programme and same["project"][1]["name"] == "App v2"
    assert rewind({}, None, {}, audit)[1] is None


def test_projects_added_brought_forward_and_overridden(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGMTUI_TODAY", MONDAY.isoformat())
    s = store
    dates = {"start_date": "2026-01-01", "baseline_end": "2027-06-30"}
    with s.acting(user="pmo", at=at(19, 9)):
        s.insert("programme", {"name": "P"})
        s.insert(
            "project", {"code": "ERL", "name": "Early", "forecast_end": "2027-07-20", **dates}
        )  # 20 d late: R
        s.insert("project", {"code": "UND", "name": "Undated", **dates})
        s.insert("project", {"code": "OVA", "name": "Override A", "forecast_end": "2027-06-30",
                             "rag_override": "A", "rag_reason": "old reason", **dates})  # fmt: skip
    with s.acting(user="ann", at=at(20, 9)):
        s.update("project", "ERL", {"forecast_end": "2027-07-05"})  # 5 d late now: Amber, and earlier
        s.update("project", "UND", {"forecast_end": "2027-06-30", "status_note": ""})
        s.update("project", "OVA", {"rag_override": "R", "rag_reason": "new reason"})
        s.insert("project", {"code": "NEW", "name": "Brand new"})
        s.update("programme", 1, {"rag_override": "A", "rag_reason": "board accepts the plan"})
    su = standup_of(s, MONDAY)
    assert _section(su, "Projects") == [
        ("ERL: forecast end 2027-07-20 → 2027-07-05 (-15 d)", "project", 1, "good", ("ann",)),
        ("UND: forecast end no date → 2027-06-30", "project", 2, "", ("ann",)),  # no note: an empty one
        ("OVA: RAG override set to R", "project", 3, "", ("ann",)),
        ("NEW added: Brand new", "project", 4, "", ("ann",)),
    ]
    assert _section(su, "RAG changes") == [
        ("Programme Red → Amber: override: board accepts the plan", "programme", 1, "good", ("ann",)),
        ("ERL Red → Amber: schedule R → A: forecast 5 d after baseline (tolerance 10 d)", "project", 1, "good",
         ("ann",)),
        ("OVA Amber → Red*: override R: new reason (evidence says G)", "project", 3, "bad", ("ann",)),
        ("NEW new project, Green", "project", 4, "", ("ann",)),
    ]  # fmt: skip


def test_labels_and_tones() -> None:
    from pgmtui.domain.briefing import RecordNames
    from pgmtui.domain.standup import _tone

    now = {
        "project": {1: {"id": 1, "code": "APP"}, 2: {"id": 2, "code": ""}},
        "milestone": {5: {"id": 5, "project_id": 1, "name": "Go-live"}},
        "dependency": {7: {"id": 7, "supplier_id": 5, "consumer_id": 6}},
        "risk": {9: {"id": 9, "project_id": None, "title": "t" * 70}},
    }
    then = {
        "milestone": {6: {"id": 6, "project_id": 1, "name": "Gone"}},
        "issue": {3: {"id": 3, "project_id": 1}},
    }
    names = RecordNames(now, then)
    assert names.record("project", 1) == "APP" and names.record("project", 2) == "#2"
    assert names.record("project", 4) == "#4"
    assert names.record("milestone", 5) == "APP:Go-live" and names.record("milestone", 6) == "APP:Gone"
    assert names.record("dependency", 7) == "APP:Go-live → APP:Gone"
    assert names.record("risk", 9) == "#9 " + "t" * 59 + "… (programme)"  # titles cut at 60
    now["risk"][9]["title"] = "u" * 60
    assert names.record("risk", 9) == "#9 " + "u" * 60 + " (programme)"  # exactly 60: whole
    assert names.record("issue", 3) == "issue #3" and names.record("decision", 8) == "decision #8"
    assert names.row("risk", None) is None and names.code(None) == "programme" and names.code(2) == "#2"
    assert names.milestone(99) == "milestone #99"
    # Worse is bad, better is good, the same is neither.
    assert [_tone(a, b) for a, b in [("G", "A"), ("A", "R"), ("G", "R"), ("R", "A"), ("A", "G"), ("R", "G")]] == [
        "bad", "bad", "bad", "good", "good", "good",
    ]  # fmt: skip
    assert _tone("A", "A") == "" and _tone("R", "R") == ""


def test_changes_are_read_in_time_order_whatever_order_they_were_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGMTUI_TODAY", MONDAY.isoformat())
    s = store
    with s.acting(user="pmo", at=at(19, 9)):
        s.insert("programme", {"name": "P"})
        s.insert("project", {"code": "APP", "name": "App"})
        s.insert("risk", {"project": "APP", "title": "Vendor", "probability": 2, "impact": 2})
    with s.acting(user="zed", at=at(20, 15)):
        s.update("risk", 1, {"impact": 3})
    with s.acting(user="amy", at=at(20, 10)):  # written after zed's change, but dated before it
        s.update("risk", 1, {"owner": "Amy"})
    with s.acting(user="amy", at=at(20, 11)):
        s.insert("milestone", {"project": "APP", "name": "Done early", "forecast_date": "2026-12-01",
                               "actual_date": "2026-11-20"})  # fmt: skip
    su = standup_of(s, MONDAY)
    (risk,) = [ln for sec in su.changes if sec.title == "Risks" for ln in sec.lines]
    assert (risk.users, risk.when) == (("amy", "zed"), "2026-11-20T15:00:00.000000Z")
    assert _section(su, "Milestones") == [
        ("APP:Done early added, due 2026-11-20", "milestone", 1, "", ("amy",))
    ]
    assert "  (amy, zed)" in su.to_text()


def test_large_measurements_are_grouped_by_thousands(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGMTUI_TODAY", MONDAY.isoformat())
    with store.acting(user="pmo", at=at(19, 9)):
        store.insert("programme", {"name": "P"})
        store.insert("benefit", {"name": "Savings", "baseline_value": 0, "target_value": 5e6, "unit": "GBP"})
    with store.acting(user="fin", at=at(20, 9)):
        for day, value in ((1, 999_999), (2, 1_000_000), (3, 1_250_000.4)):
            store.insert("measurement", {"benefit": 1, "date": f"2026-11-0{day}", "value": value})
    assert [line[0] for line in _section(standup_of(store, MONDAY), "Measurements recorded")] == [
        "Savings: 999999 GBP on 2026-11-01 recorded",
        "Savings: 1 000 000 GBP on 2026-11-02 recorded",
        "Savings: 1 250 000 GBP on 2026-11-03 recorded",
    ]


def test_a_quiet_programme_needs_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGMTUI_TODAY", MONDAY.isoformat())
    with store.acting(user="pmo", at=at(10, 9)):
        store.insert("programme", {"name": "P"})
    assert standup_of(store, MONDAY).to_text() == (
        "Stand-up 2026-11-23 — changes since Fri 20 Nov\n"
        "\n"
        "Needs attention today:\n"
        "  Nothing.\n"
        "\n"
        "What changed since Fri 20 Nov:\n"
        "  Nothing changed in this window."
    )
