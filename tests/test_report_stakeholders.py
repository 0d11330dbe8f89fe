"""The highlight report's "stakeholder engagement" section on the demo programme (week to Wed
2026-11-25): who is not engaged within cadence, whose attitude moved (from the audit trail), the
powerful stakeholders far from the attitude wanted and the comms past due."""

from __future__ import annotations

from pathlib import Path

import pendulum

from pgmtui.report import to_markdown
from pgmtui.services import report_of
from pgmtui.store import Store

TODAY = pendulum.Date(2026, 11, 25)


def test_the_demo_section_by_hand(demo_db: Path) -> None:
    with Store.open(demo_db) as s:
        section = report_of(s, TODAY)["stakeholder_engagement"]
    assert (section["stakeholders"], section["engagements_in_period"], section["engaged_in_period"]) == (
        20,
        6,
        6,
    )
    overdue = [(x["name"], x["last_engaged"], x["days_since"], x["cadence_days"], x["overdue_days"])
               for x in section["overdue"]]  # fmt: skip
    assert overdue == [
        ("Paul Whitaker", None, None, 90, None),  # never engaged comes first
        ("Robert Okafor", "2026-10-15", 41, 30, 11),  # 16 days of October + 25 of November = 41; 41 − 30
        ("Works Council", "2026-11-02", 23, 14, 9),  # 23 − 14
        ("Meridian Consulting", "2026-11-17", 8, 7, 1),  # 8 − 7
    ]
    assert [(m["name"], m["from"], m["to"], m["steps"], m["date"]) for m in section["attitude_moves"]] == [
        ("Ingrid Maier", "blocker", "critic", 1, "2026-11-20"),
        ("Tom Fielding", "critic", "neutral", 1, "2026-11-24"),
    ]
    assert [(r["name"], r["power"], r["gap"]) for r in section["risks"]] == [
        ("Robert Okafor", 5, 2),  # critic → supporter
        ("Works Council", 4, 2),  # blocker → neutral
    ]
    assert [(c["next_due"], c["days_late"]) for c in section["comms_overdue"]] == [
        ("2026-11-20", 5),
        ("2026-11-23", 2),
    ]


def test_an_attitude_change_today_is_a_move_in_the_markdown(demo_db: Path) -> None:
    with Store.open(demo_db) as s:
        council = s.get("stakeholder", "Works Council")
        with s.acting(user="hannah"):
            s.update(
                "stakeholder", council["id"], {"attitude": "neutral"}, expected_version=council["version"]
            )
        data = report_of(s, TODAY)
    moves = {m["name"]: m for m in data["stakeholder_engagement"]["attitude_moves"]}
    assert (
        moves["Works Council"]["from"],
        moves["Works Council"]["to"],
        moves["Works Council"]["steps"],
    ) == (
        "blocker",
        "neutral",
        2,
    )
    assert moves["Works Council"]["users"] == ["hannah"]
    # At neutral the council has reached the attitude wanted: no longer a stakeholder risk.
    assert [r["name"] for r in data["stakeholder_engagement"]["risks"]] == ["Robert Okafor"]
    md = to_markdown(data)
    assert "## Stakeholder engagement" in md
    assert "| Works Council | blocker → neutral (↑2) | 2026-11-25 | hannah |" in md
