"""Actions in the stand-up and "my actions", on hand-made rows (today: Wednesday 2026-11-25)."""

from __future__ import annotations

import pendulum

from pgmtui.domain.attention import ATTENTION
from pgmtui.domain.followup import ACTIONS_DUE, Me, action_state, actions_about, actions_due, me_for_user
from pgmtui.domain.standup import standup_diff

TODAY = pendulum.Date(2026, 11, 25)


def _action(i: int, due: str | None, status: str = "open", owner: str = "Asha Patel", **more: object) -> dict:
    return {"id": i, "title": f"Action {i}", "owner": owner, "due_date": due, "status": status, **more}


def test_where_an_action_stands() -> None:
    assert action_state(_action(1, "2026-11-20"), TODAY).label == "5 d overdue"  # 25 − 20
    assert action_state(_action(2, "2026-11-25"), TODAY).label == "due today"
    assert action_state(_action(3, "2026-11-27"), TODAY).label == "in 2 d"
    assert action_state(_action(4, None), TODAY).label == "no due date"
    assert action_state(_action(5, "2026-11-01", "done"), TODAY).label == "done"  # never overdue
    assert action_state(_action(6, "2026-11-01", "cancelled"), TODAY).state == "cancelled"


def test_due_actions_most_overdue_first_and_never_done_ones() -> None:
    rows = [
        _action(1, "2026-11-24", owner="Ben"),  # 1 d overdue
        _action(2, "2026-11-25", owner="Asha"),  # today
        _action(3, "2026-11-10", owner="Chloe"),  # 15 d overdue
        _action(4, "2026-11-01", "done"),
        _action(5, "2026-11-26"),  # tomorrow: not yet
        _action(6, "2026-11-25", owner="Aaron"),  # today, sorts before Asha by owner
    ]
    due = actions_due(rows, TODAY)
    assert [(s.label, r["id"]) for s, r in due] == [
        ("15 d overdue", 3),
        ("1 d overdue", 1),
        ("due today", 6),
        ("due today", 2),
    ]


def test_actions_about_a_record() -> None:
    rows = [
        _action(1, "2026-12-01", about="issue:3"),
        _action(2, "2026-11-30", about="issue:3", status="done"),
        _action(3, "2026-11-29", about="issue:4"),
        _action(4, "2026-11-28", about=None, project_id=7),
        _action(5, "2026-11-27", about="project:7"),
    ]
    assert [a["id"] for a in actions_about(rows, "issue", 3)] == [1, 2]  # open first
    assert [a["id"] for a in actions_about(rows, "project", 7)] == [5]
    assert [a["id"] for a in actions_about(rows, "project", 7, with_project=True)] == [5, 4]


def test_me_is_the_person_of_the_directory() -> None:
    people = [
        {"name": "Asha Patel", "email": "apatel@example.org"},
        {"name": "Ben Okafor", "email": None},
        {"name": "Ben Carter"},
        {"name": "Chloe Martin", "email": "chloe@example.org"},
    ]
    assert me_for_user("apatel", people) == Me("apatel", "Asha Patel")  # by email
    assert me_for_user("chloe", people) == Me("chloe", "Chloe Martin")
    assert me_for_user("ben", people) == Me("ben", None)  # two Bens: no guess
    assert me_for_user("asha", people) == Me("asha", "Asha Patel")  # the one Asha
    me = Me("asha", "Asha Patel")
    assert me.owns("asha patel") and me.owns("Asha") and me.owns("asha, ben")
    assert not me.owns("Ashanti Jones") and not me.owns(None) and not me.owns("Ben")


def _stand_up(actions: list[dict], extra: dict | None = None):
    tables = {"action": actions, **(extra or {})}
    return standup_diff(
        today=TODAY,
        since="2026-11-24T00:00:00.000000Z",
        window="since Tue 24 Nov",
        programme=None,
        tables=tables,
        benefit_links={},
        audit_rows=[],
    )


def test_overdue_and_due_today_actions_come_first_in_needs_attention() -> None:
    issue = {"id": 3, "title": "DPIA rejected", "project_id": 1, "status": "open"}
    project = {"id": 1, "code": "DAT", "name": "Data"}
    standup = _stand_up(
        [
            _action(1, "2026-11-22", owner="Elena Rossi", title="Chase the DPO", about="issue:3"),
            _action(2, "2026-11-25", owner="Ben", title="Book the rehearsal"),
            _action(3, "2026-11-20", status="done", title="Done already"),
            _action(4, "2026-11-19", status="cancelled", title="Dropped"),
        ],
        {"issue": [issue], "project": [project]},
    )
    assert ATTENTION[0] == ACTIONS_DUE and standup.attention[0].title == ACTIONS_DUE
    lines = standup.attention[0].lines
    assert [(line.kind, line.record_id, line.tone) for line in lines] == [
        ("action", 1, "bad"),
        ("action", 2, ""),
    ]
    assert (
        lines[0].text
        == "Elena Rossi: Chase the DPO — 3 d overdue (due 2026-11-22); about issue #3 DPIA rejected"
    )
    assert lines[1].text == "Ben: Book the rehearsal — due today"
    assert "Done already" not in standup.to_text() and "Dropped" not in standup.to_text()
    text = standup.to_text()
    assert text.index(ACTIONS_DUE) < text.index("Chase the DPO")
