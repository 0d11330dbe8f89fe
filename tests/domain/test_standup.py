"""The stand-up diff on a hand-made audit history: on Monday the window covers Friday (and the weekend)."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from pgmtui.domain.attention import DUE_SOON, OVERDUE_ISSUES, OVERDUE_REVIEWS, RED_NO_NOTE
from pgmtui.domain.followup import ACTIONS_DUE
from pgmtui.domain.standup import Line, Standup
from pgmtui.services import standup_of
from pgmtui.store import Store
from tests.domain.conftest import copy_of, written_once

MONDAY = pendulum.Date(2026, 11, 23)


def at(day: int, hh: int, mm: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(2026, 11, day, hh, mm, tz="UTC")


def _write_history(store: Store) -> None:
    with store.acting(user="pmo", at=at(19, 9)):  # Thursday: before the window
        store.insert("programme", {"name": "P"})
        store.insert(
            "project",
            {
                "code": "APP",
                "name": "App",
                "start_date": "2026-01-01",
                "baseline_end": "2027-06-30",
                "forecast_end": "2027-06-30",
            },
        )
        store.insert(
            "project",
            {
                "code": "NET",
                "name": "Net",
                "start_date": "2026-01-01",
                "baseline_end": "2027-06-30",
                "forecast_end": "2027-06-30",
            },
        )
        store.insert("milestone", {"project": "NET", "name": "Switches in", "forecast_date": "2026-12-01"})
        store.insert("milestone", {"project": "APP", "name": "Go-live", "forecast_date": "2026-12-10"})
        store.insert("milestone", {"project": "APP", "name": "Hypercare end", "forecast_date": "2026-12-20"})
        store.insert("milestone", {"project": "APP", "name": "Pilot", "forecast_date": "2026-11-25"})
        store.insert("dependency", {"supplier": "NET:Switches in", "consumer": "APP:Go-live"})
        store.insert(
            "risk",
            {
                "project": "APP",
                "title": "Vendor late",
                "probability": 2,
                "impact": 2,
                "owner": "Ann",
                "review_date": "2026-11-30",
            },
        )
        store.insert(
            "risk",
            {
                "project": "NET",
                "title": "Stale review",
                "probability": 1,
                "impact": 1,
                "review_date": "2026-11-16",
            },
        )
        store.insert(
            "benefit", {"name": "Faster logins", "baseline_value": 10, "target_value": 2, "unit": "s"}
        )
    with store.acting(user="ann", at=at(19, 17)):  # Thursday evening: still before the window
        store.update("risk", 1, {"probability": 3})
    with store.acting(user="ann", at=at(20, 0, 5)):  # Friday just after midnight UTC: inside
        store.update("risk", 1, {"probability": 4, "impact": 4})  # 3×2=6 → 16, Critical: APP turns Red
    with store.acting(user="ben", at=at(20, 14)):
        store.update("milestone", "NET:Switches in", {"forecast_date": "2026-12-15"})  # +14 d: dep 5 d late
        store.insert("issue", {"project": "APP", "title": "Test env down", "priority": "high"})
    with store.acting(user="cy", at=at(21, 10)):  # Saturday
        store.insert("measurement", {"benefit": "Faster logins", "date": "2026-11-21", "value": 7})
        store.insert("risk", {"title": "Budget freeze", "probability": 3, "impact": 3})


@pytest.fixture(scope="module")
def _history_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Written once per module (the stand-up is read, not changed, by most tests); each test gets a copy."""
    return written_once(tmp_path_factory, MONDAY, _write_history)


@pytest.fixture
def history(_history_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PGMTUI_TODAY", MONDAY.isoformat())
    yield from copy_of(_history_file, tmp_path)


def _texts(su: Standup, title: str) -> list[str]:
    return [line.text for s in [*su.changes, *su.attention] if s.title == title for line in s.lines]


def test_monday_window_starts_friday_midnight_and_skips_thursday(history: Store) -> None:
    su = standup_of(history, MONDAY)
    assert su.since == "2026-11-20T00:00:00.000000Z"
    assert "Fri 20 Nov" in su.window
    assert su.n_audit_rows == 5  # Thursday's writes are outside the window
    risks = _texts(su, "Risks")
    # Re-scored from the value at the window start (6, Thursday's), not the value at creation (4).
    assert "Risk #1 Vendor late (APP) re-scored 6 (Medium) → 16 (Critical) ↑" in risks
    assert "New risk #3 Budget freeze (programme): score 9 (Medium)" in risks


def test_rag_change_with_reason(history: Store) -> None:
    su = standup_of(history, MONDAY)
    rag = _texts(su, "RAG changes")
    assert any(
        t.startswith("APP Green → Red: risk G → R: 1 open Critical risk(s); worst 'Vendor late' residual 16")
        for t in rag
    )
    line = next(
        ln for s in su.changes if s.title == "RAG changes" for ln in s.lines if ln.text.startswith("APP")
    )
    assert (line.kind, line.record_id, line.tone) == ("project", 1, "bad")
    assert any(t.startswith("Programme Green → Red") for t in rag)


def test_milestone_move_knock_on_and_dependency_turned_late(history: Store) -> None:
    su = standup_of(history, MONDAY)
    ms = _texts(su, "Milestones")
    # Switches in moved 2026-12-01 → 12-15 (+14 d). Go-live had 9 d of slack (12-10 − 12-01), so it is
    # pushed 5 d, and Hypercare end follows it by the in-project sequence.
    assert ms == [
        "NET:Switches in forecast moved +14 d (2026-12-01 → 2026-12-15); "
        "knocks on APP:Go-live +5 d, APP:Hypercare end +5 d"
    ]
    assert _texts(su, "Dependencies") == ["NET:Switches in → APP:Go-live turned late: 5 d late"]
    assert _texts(su, "Measurements recorded") == ["Faster logins: 7 s on 2026-11-21 recorded"]
    assert _texts(su, "Issues, decisions and assumptions") == [
        "New issue #1 Test env down (APP), high priority"
    ]
    assert _texts(su, "Who changed what") == [
        "ben: 1 milestone, 1 issue",
        "cy: 1 measurement, 1 risk",
        "ann: 1 risk",
    ]
    users = {ln.text: ln.users for s in su.changes for ln in s.lines}
    assert users[ms[0]] == ("ben",)


def test_needs_attention(history: Store) -> None:
    su = standup_of(history, MONDAY)
    assert _texts(su, OVERDUE_REVIEWS) == ["#2 Stale review (NET): review was due 2026-11-16 (7 d overdue)"]
    # Next 5 working days from Mon 23 Nov: up to Mon 30 Nov. Pilot (25 Nov) only.
    assert _texts(su, DUE_SOON) == ["APP:Pilot due Wed 25 Nov (2026-11-25)"]
    assert _texts(su, RED_NO_NOTE) == ["APP is Red and has no status note"]


def test_a_recent_note_clears_the_red_warning_and_an_old_one_does_not(history: Store, monkeypatch) -> None:
    with history.acting(user="ann", at=at(10, 9)):
        history.update("project", "APP", {"status_note": "old news"})
    assert _texts(standup_of(history, MONDAY), RED_NO_NOTE) == [
        "APP is Red; status note last updated 2026-11-10 (13 d ago)"
    ]
    with history.acting(user="ann", at=at(23, 8)):
        history.update("project", "APP", {"status_note": "vendor escalated"})
    assert _texts(standup_of(history, MONDAY), RED_NO_NOTE) == []


def test_custom_since_and_json(history: Store) -> None:
    su = standup_of(history, MONDAY, pendulum.datetime(2026, 11, 21, tz="UTC"))
    data = su.to_json()
    assert data["since"] == "2026-11-21T00:00:00.000000Z"
    titles = {s["title"]: [ln["text"] for ln in s["lines"]] for s in data["changes"]}
    assert titles["Milestones"] == []  # Friday's move is before Saturday
    assert titles["Measurements recorded"] == ["Faster logins: 7 s on 2026-11-21 recorded"]
    assert "Needs attention today:" in su.to_text()


def test_line_json_round() -> None:
    line = Line("x", "risk", 3, "bad", ("ann",), "2026-11-20T00:00:00Z")
    assert line.to_json() == {
        "text": "x",
        "kind": "risk",
        "id": 3,
        "tone": "bad",
        "users": ["ann"],
        "when": "2026-11-20T00:00:00Z",
    }


def test_due_soon_is_today_to_the_fifth_working_day_inclusive(history: Store) -> None:
    # From Mon 23 Nov the fifth working day is Mon 30 Nov: due that day is in, Tue 1 Dec is out.
    with history.acting(user="pmo", at=at(20, 9)):
        for name, date in [("Today", "2026-11-23"), ("Edge", "2026-11-30"), ("Out", "2026-12-01")]:
            history.insert("milestone", {"project": "NET", "name": name, "forecast_date": date})
    assert _texts(standup_of(history, MONDAY), DUE_SOON) == [
        "NET:Today due today (2026-11-23)",
        "APP:Pilot due Wed 25 Nov (2026-11-25)",
        "NET:Edge due Mon 30 Nov (2026-11-30)",
    ]
    # From Wednesday the five working days run over the weekend to Wed 2 Dec: Tue 1 Dec is in, and
    # Mon 23 Nov ("Today", not achieved) is now overdue.
    wednesday = pendulum.Date(2026, 11, 25)
    assert _texts(standup_of(history, wednesday), DUE_SOON) == [
        "NET:Today overdue: was due 2026-11-23 and not achieved",
        "APP:Pilot due today (2026-11-25)",
        "NET:Edge due Mon 30 Nov (2026-11-30)",
        "NET:Out due Tue 1 Dec (2026-12-01)",
    ]


@pytest.mark.parametrize(
    ("note_day", "warning"),
    [
        (16, []),  # Mon 16 Nov: 7 days before Monday 23, not older than 7 days
        (15, ["APP is Red; status note last updated 2026-11-15 (8 d ago)"]),  # 8 days: stale
    ],
)
def test_a_red_projects_note_is_stale_after_seven_days(
    history: Store, note_day: int, warning: list[str]
) -> None:
    with history.acting(user="ann", at=at(note_day, 23, 59)):
        history.update("project", "APP", {"status_note": "escalated to the vendor"})
    assert _texts(standup_of(history, MONDAY), RED_NO_NOTE) == warning


def test_the_whole_standup_as_text_and_json(history: Store) -> None:
    su = standup_of(history, MONDAY)
    assert su.to_text() == "\n".join(
        [
            "Stand-up 2026-11-23 — changes since Fri 20 Nov",
            "",
            "Needs attention today:",  # first: it is what the stand-up is for
            "  Overdue risk reviews:",
            "    - #2 Stale review (NET): review was due 2026-11-16 (7 d overdue)",
            "  Milestones due in the next 5 working days:",
            "    - APP:Pilot due Wed 25 Nov (2026-11-25)",
            "  Red projects without a recent note:",
            "    - APP is Red and has no status note",
            "",
            "What changed since Fri 20 Nov:",
            "  RAG changes:",
            "    - Programme Green → Red: 1 project Red: APP; 1 project Amber: NET",
            "    - APP Green → Red: risk G → R: 1 open Critical risk(s); worst 'Vendor late' residual 16; "
            "dependencies G → A: NET 'Switches in' → APP 'Go-live' is 5 d late (tolerance 10 d)",
            # The supplier whose late milestone makes APP late is no longer Green:
            "    - NET Green → Amber: dependencies G → A: delaying others: "
            "NET 'Switches in' makes APP 'Go-live' 5 d late",
            "  Risks:",
            "    - Risk #1 Vendor late (APP) re-scored 6 (Medium) → 16 (Critical) ↑  (ann)",
            "    - New risk #3 Budget freeze (programme): score 9 (Medium)  (cy)",
            "  Milestones:",
            "    - NET:Switches in forecast moved +14 d (2026-12-01 → 2026-12-15); "
            "knocks on APP:Go-live +5 d, APP:Hypercare end +5 d  (ben)",
            "  Dependencies:",
            "    - NET:Switches in → APP:Go-live turned late: 5 d late",
            "  Measurements recorded:",
            "    - Faster logins: 7 s on 2026-11-21 recorded  (cy)",
            "  Issues, decisions and assumptions:",
            "    - New issue #1 Test env down (APP), high priority  (ben)",
            "  Who changed what:",
            "    - ben: 1 milestone, 1 issue",
            "    - cy: 1 measurement, 1 risk",
            "    - ann: 1 risk",
        ]
    )
    data = su.to_json()
    assert (data["today"], data["since"], data["window"], data["audit_rows"]) == (
        "2026-11-23", "2026-11-20T00:00:00.000000Z", "since Fri 20 Nov", 5
    )  # fmt: skip
    lines = {
        (s["title"], ln["kind"], ln["id"], ln["tone"], tuple(ln["users"]), ln["when"])
        for s in data["changes"] + data["attention"]
        for ln in s["lines"]
    }
    assert {
        ("RAG changes", "programme", 1, "bad", (), None),
        ("RAG changes", "project", 1, "bad", (), None),
        ("Risks", "risk", 1, "bad", ("ann",), "2026-11-20T00:05:00.000000Z"),
        ("Risks", "risk", 3, "", ("cy",), "2026-11-21T10:00:00.000000Z"),
        ("Milestones", "milestone", 1, "bad", ("ben",), "2026-11-20T14:00:00.000000Z"),
        ("Dependencies", "dependency", 1, "bad", (), None),
        ("Overdue risk reviews", "risk", 2, "bad", (), None),
        ("Red projects without a recent note", "project", 1, "bad", (), None),
    } <= lines
    assert [s["title"] for s in data["changes"]][:3] == ["RAG changes", "Projects", "Risks"]
    assert su.change_count == 9  # the "who" lines are not changes


def test_a_quiet_window_says_so(history: Store) -> None:
    su = standup_of(history, MONDAY, pendulum.datetime(2026, 11, 23, 12, tz="UTC"))
    text = su.to_text().splitlines()
    assert text[0] == "Stand-up 2026-11-23 — changes since Mon 23 Nov 12:00 UTC"
    assert text[-2:] == ["What changed since Mon 23 Nov 12:00 UTC:", "  Nothing changed in this window."]
    assert su.change_count == 0 and su.to_json()["audit_rows"] == 0


def test_text_wraps_under_the_bullet_never_at_column_1_and_never_mid_word(history: Store) -> None:
    su = standup_of(history, MONDAY)
    lines = su.to_text(width=60).splitlines()
    assert all(len(line) <= 60 for line in lines if " " in line.strip())
    # The APP RAG line (over 150 characters) wraps: its continuation lines start under the text,
    # 6 columns in ("    - " is 4 spaces, the dash and a space), never at column 1.
    first = next(i for i, line in enumerate(lines) if line.startswith("    - APP Green → Red"))
    follow = lines[first + 1]
    assert follow.startswith("      ") and not follow.startswith("       ")
    words = " ".join(line.strip() for line in lines[first : first + 4])
    assert "worst 'Vendor late' residual 16" in words  # words kept whole across the wrap
    assert su.to_text(width=None) == su.to_text()  # no width: one line per statement


def test_overdue_issues_need_attention_oldest_first(history: Store) -> None:
    with history.acting(user="ann", at=at(23, 8)):
        history.insert("issue", {"project": "NET", "title": "Cabling", "due_date": "2026-11-20",
                                 "owner": "Ben", "priority": "high"})  # fmt: skip
        history.insert("issue", {"project": "APP", "title": "Licences", "due_date": "2026-11-10"})
        history.insert("issue", {"title": "Due today", "due_date": "2026-11-23"})  # not overdue yet
        history.insert("issue", {"title": "Done late", "due_date": "2026-11-02", "status": "closed"})
        history.insert("issue", {"title": "Working on it", "due_date": "2026-11-22", "status": "in progress"})
    su = standup_of(history, MONDAY)
    # Monday 23 − Tuesday 10 = 13 d; 23 − 20 = 3 d; 23 − 22 = 1 d. Closed and due-today are left out.
    assert _texts(su, OVERDUE_ISSUES) == [
        "#3 Licences (APP): was due 2026-11-10 (13 d overdue), medium priority",
        "#2 Cabling (NET): was due 2026-11-20 (3 d overdue), high priority, owner Ben",
        "#6 Working on it (programme): was due 2026-11-22 (1 d overdue), medium priority",
    ]
    # Actions due come first (issue 17), then the overdue issues.
    assert [s.title for s in su.attention][:2] == [ACTIONS_DUE, OVERDUE_ISSUES]
    assert {line.kind for s in su.attention if s.title == OVERDUE_ISSUES for line in s.lines} == {"issue"}
