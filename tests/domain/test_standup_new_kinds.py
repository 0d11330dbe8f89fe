"""The stand-up over the second wave's tables: rewound like the first wave's (link lists included),
named in plain words in "Who changed what", and handed to the attention rules."""

from __future__ import annotations

import pendulum

from pgmtui.domain import attention
from pgmtui.domain.briefing import Section
from pgmtui.domain.standup import TABLES, WHO, rewind, standup_diff

TODAY = pendulum.Date(2026, 11, 25)
TS = "2026-11-24T10:00:00.000000Z"


def _audit(n: int, tbl: str, row_id: int, action: str, changes: dict, user: str = "asha") -> dict:
    return {
        "id": n,
        "ts": TS,
        "user": user,
        "tbl": tbl,
        "row_id": row_id,
        "action": action,
        "changes": changes,
    }


def test_every_kind_is_rewound() -> None:
    assert TABLES[-13:] == (
        "person", "allocation", "cost", "change_request", "objective", "contribution", "business_case",
        "gate_review", "stakeholder", "engagement", "communication", "action", "lesson",
    )  # fmt: skip


def test_rewind_brings_back_a_deleted_allocation_and_a_stakeholders_old_projects() -> None:
    tables = {
        "person": [{"id": 1, "name": "Asha Patel", "capacity_pct": 80}],
        "allocation": [],
        "stakeholder": [{"id": 4, "name": "CFO", "power": 5, "interest": 2}],
    }
    audit = [
        _audit(1, "person", 1, "update", {"capacity_pct": [100, 80]}),
        _audit(
            2,
            "allocation",
            7,
            "delete",
            {"person_id": [1, None], "project_id": [2, None], "percent": [50, None]},
        ),
        _audit(3, "stakeholder", 4, "update", {"projects": [[1, 2], [2]]}),
    ]
    then, _, benefit_links = rewind(tables, None, {}, audit, links={"stakeholder_project": {4: [2]}})
    assert then["person"][1]["capacity_pct"] == 100
    assert then["allocation"] == {7: {"id": 7, "person_id": 1, "project_id": 2, "percent": 50}}
    assert then["stakeholder"][4]["projects"] == [1, 2]
    assert benefit_links == {}


def test_who_changed_what_names_the_new_kinds_in_words() -> None:
    audit = [
        _audit(1, "change_request", 1, "insert", {"title": [None, "More scope"]}),
        _audit(2, "change_request", 2, "insert", {"title": [None, "Less scope"]}),
        _audit(3, "person", 1, "insert", {"name": [None, "Asha Patel"]}),
        _audit(4, "person", 2, "insert", {"name": [None, "Ben Okafor"]}),
        _audit(5, "gate_review", 1, "insert", {"outcome": [None, "go"]}),
    ]
    tables = {
        "change_request": [{"id": 1, "title": "More scope"}, {"id": 2, "title": "Less scope"}],
        "person": [{"id": 1, "name": "Asha Patel"}, {"id": 2, "name": "Ben Okafor"}],
        "gate_review": [{"id": 1, "milestone_id": 9, "outcome": "go"}],
    }
    result = standup_diff(
        today=TODAY,
        since=TS,
        window="since Tue",
        programme=None,
        tables=tables,
        benefit_links={},
        audit_rows=audit,
    )
    [who] = [s for s in result.changes if s.title == WHO]
    assert [line.text for line in who.lines] == ["asha: 2 change requests, 2 people, 1 gate review"]


def test_attention_rules_see_the_new_tables(monkeypatch) -> None:
    seen: dict[str, dict] = {}

    def overdue_actions(ctx: attention.AttentionContext) -> Section:
        seen.update(ctx.now)
        return Section("Overdue actions", [])

    monkeypatch.setattr(attention, "ATTENTION_RULES", (overdue_actions,))
    action = {"id": 3, "title": "Chase", "status": "open", "due_date": "2026-11-20"}
    standup_diff(
        today=TODAY,
        since=TS,
        window="",
        programme=None,
        tables={"action": [action]},
        benefit_links={},
        audit_rows=[],
    )
    assert seen["action"] == {3: action} and seen["lesson"] == {}
