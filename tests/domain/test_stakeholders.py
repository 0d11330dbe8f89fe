"""Stakeholder rules (pgmtui.domain.stakeholders) against figures worked out by hand: Mendelow
quadrants at their boundaries, the attitude gap, the risk indicator, the cadence edge, the comms
plan's week, the next due date after sending, attitude moves from the audit trail, and who logs."""

from __future__ import annotations

import pendulum
import pytest

from pgmtui.domain.stakeholders import (
    ATTITUDES,
    KEEP_INFORMED,
    KEEP_SATISFIED,
    MANAGE_CLOSELY,
    MONITOR,
    Thresholds,
    assess,
    attitude_gap,
    attitude_moves,
    comms_plan,
    comms_status,
    contact_status,
    is_risk,
    last_engagements,
    next_due_after_sending,
    overdue_comms,
    overdue_comms_text,
    overdue_contacts,
    overdue_text,
    person_for_user,
    quadrant,
    week_end,
)
from pgmtui.records.fields import ATTITUDES as STORE_ATTITUDES

TODAY = pendulum.Date(2026, 11, 25)  # a Wednesday


def day(offset: int) -> str:
    return TODAY.add(days=offset).isoformat()


def test_the_attitude_scale_is_the_stores() -> None:
    assert ATTITUDES == STORE_ATTITUDES


# ---------------------------------------------------------------------------- quadrants


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (3, 3, MANAGE_CLOSELY),  # both exactly at the default threshold 3: high
        (5, 5, MANAGE_CLOSELY),
        (3, 2, KEEP_SATISFIED),  # interest one below
        (5, 1, KEEP_SATISFIED),
        (2, 3, KEEP_INFORMED),  # power one below
        (1, 5, KEEP_INFORMED),
        (2, 2, MONITOR),
        (1, 1, MONITOR),
    ],
)
def test_quadrant_boundaries_at_the_default_threshold(power: int, interest: int, expected: str) -> None:
    assert quadrant(power, interest) == expected


def test_quadrants_follow_the_programme_thresholds() -> None:
    strict = Thresholds(power=4, interest=5)
    assert quadrant(4, 5, strict) == MANAGE_CLOSELY
    assert quadrant(3, 5, strict) == KEEP_INFORMED  # power 3 is low when the threshold is 4
    assert quadrant(4, 4, strict) == KEEP_SATISFIED
    assert quadrant(3, 4, strict) == MONITOR
    everyone = Thresholds(power=1, interest=1)
    assert {quadrant(p, i, everyone) for p in range(1, 6) for i in range(1, 6)} == {MANAGE_CLOSELY}


def test_thresholds_from_the_programme_row() -> None:
    assert Thresholds.of(None) == Thresholds(3, 3)
    assert Thresholds.of({"power_threshold": 4, "interest_threshold": None}) == Thresholds(4, 3)
    assert Thresholds.of({"power_threshold": "2", "interest_threshold": "5"}) == Thresholds(2, 5)


# ---------------------------------------------------------------------------- attitude


def test_attitude_gap_counts_steps_on_the_five_step_scale() -> None:
    assert attitude_gap("blocker", "champion") == 4  # 4 − 0
    assert attitude_gap("critic", "supporter") == 2  # 3 − 1
    assert attitude_gap("supporter", "supporter") == 0
    assert attitude_gap("champion", "neutral") == -2  # 2 − 4: above the target
    assert attitude_gap(None, "supporter") == 1  # no attitude reads as neutral: 3 − 2
    assert attitude_gap("critic", None) is None  # no target, no gap
    assert attitude_gap("critic", "enthusiast") is None  # not on the scale


def test_risk_indicator_needs_high_power_and_a_gap_of_two() -> None:
    assert is_risk(3, 2)  # power at the threshold, gap exactly 2
    assert not is_risk(2, 4)  # low power: not a risk however far
    assert not is_risk(5, 1)
    assert not is_risk(5, None)
    assert is_risk(4, 2, Thresholds(power=4)) and not is_risk(3, 2, Thresholds(power=4))


# ---------------------------------------------------------------------------- cadence


def test_the_cadence_edge_day_n_is_due_and_day_n_plus_one_overdue() -> None:
    cadence = 14
    # Contacted exactly 14 days ago: within cadence, due today, never called overdue.
    edge = contact_status(cadence, TODAY.subtract(days=14), TODAY)
    assert (edge.days_since, edge.overdue, edge.overdue_days, edge.due) == (14, False, None, TODAY)
    # 15 days ago: one day past the cadence.
    late = contact_status(cadence, TODAY.subtract(days=15), TODAY)
    assert (late.days_since, late.overdue, late.overdue_days) == (15, True, 1)
    assert late.due == TODAY.subtract(days=1)  # the last day that was still within cadence
    # 13 days ago: due tomorrow.
    early = contact_status(cadence, TODAY.subtract(days=13), TODAY)
    assert (early.overdue, early.due) == (False, TODAY.add(days=1))
    # Contacted today.
    assert contact_status(cadence, TODAY, TODAY).days_since == 0


def test_never_engaged_is_overdue_only_with_a_cadence() -> None:
    never = contact_status(30, None, TODAY)
    assert (never.last, never.days_since, never.overdue, never.overdue_days) == (None, None, True, None)
    assert contact_status(None, None, TODAY).overdue is False
    relaxed = contact_status("", TODAY.subtract(days=400), TODAY)  # no cadence: never overdue
    assert (relaxed.days_since, relaxed.overdue) == (400, False)


def _engagement(eid: int, sid: int, offset: int, **extra: object) -> dict:
    return {"id": eid, "stakeholder_id": sid, "date": day(offset), **extra}


def test_last_engagement_ignores_planned_ones_and_breaks_ties_by_id() -> None:
    rows = [
        _engagement(1, 7, -20),
        _engagement(2, 7, -3, next_action="Send the pack", next_date=day(4)),
        _engagement(3, 7, 5),  # planned for next week: not a contact
        _engagement(4, 8, -3),
        _engagement(5, 8, -3, channel="call"),  # same day, logged later: the last one
        {"id": 6, "stakeholder_id": 9, "date": None},  # no date: ignored
    ]
    last = last_engagements(rows, TODAY)
    assert set(last) == {7, 8}
    assert (last[7].date, last[7].engagement_id, last[7].count) == (TODAY.subtract(days=3), 2, 2)
    assert (last[7].next_action, last[7].next_date) == ("Send the pack", TODAY.add(days=4))
    assert (last[8].engagement_id, last[8].channel, last[8].count) == (5, "call", 2)


STAKEHOLDERS = [
    # id, name, P, I, attitude, target, cadence
    {"id": 1, "name": "CFO", "power": 5, "interest": 2, "attitude": "critic",
     "target_attitude": "supporter", "cadence_days": 30, "owner": "Margaret Hale"},
    {"id": 2, "name": "Works Council", "power": 4, "interest": 5, "attitude": "blocker",
     "target_attitude": "neutral", "cadence_days": 14, "owner": "Hannah Brooks"},
    {"id": 3, "name": "Audit", "power": 3, "interest": 2, "attitude": "neutral", "cadence_days": 90},
    {"id": 4, "name": "Champions", "power": 2, "interest": 5, "attitude": "champion",
     "target_attitude": "champion", "cadence_days": 30},
    {"id": 5, "name": "Supplier", "power": 3, "interest": 4, "attitude": "neutral", "cadence_days": 7},
]  # fmt: skip
ENGAGEMENTS = [
    _engagement(1, 1, -41),  # CFO: 41 days ago, cadence 30 → 11 d overdue
    _engagement(2, 2, -23),  # Works Council: 23 days ago, cadence 14 → 9 d overdue
    _engagement(3, 4, -30),  # Champions: exactly 30 days ago, cadence 30 → due today, not overdue
    _engagement(4, 5, -8),  # Supplier: 8 days ago, cadence 7 → 1 d overdue
    # Audit (3) was never engaged: overdue against its 90-day cadence.
]


def test_assess_by_hand() -> None:
    assessed = assess(STAKEHOLDERS, ENGAGEMENTS, TODAY)
    cfo, council, audit, champions, supplier = (assessed[i] for i in range(1, 6))
    assert (cfo.quadrant, cfo.gap, cfo.risk, cfo.contact.overdue_days) == (KEEP_SATISFIED, 2, True, 11)
    assert (council.quadrant, council.gap, council.risk, council.contact.overdue_days) == (
        MANAGE_CLOSELY,
        2,
        True,
        9,
    )
    assert (audit.quadrant, audit.gap, audit.risk, audit.overdue, audit.last) == (
        KEEP_SATISFIED,
        None,
        False,
        True,
        None,
    )
    assert (champions.quadrant, champions.gap, champions.overdue, champions.contact.days_since) == (
        KEEP_INFORMED,
        0,
        False,
        30,
    )
    assert (supplier.quadrant, supplier.contact.overdue_days) == (MANAGE_CLOSELY, 1)
    assert cfo.to_json() == {
        "quadrant": "Keep satisfied",
        "attitude_gap": 2,
        "risk": True,
        "last_engaged": "2026-10-15",  # 25 Nov − 41 days
        "days_since_engaged": 41,
        "overdue": True,
        "overdue_days": 11,
        "engagements": 1,
    }


def test_overdue_contacts_never_engaged_first_then_most_overdue() -> None:
    late = overdue_contacts(assess(STAKEHOLDERS, ENGAGEMENTS, TODAY).values())
    assert [s.name for s in late] == ["Audit", "CFO", "Works Council", "Supplier"]
    assert [overdue_text(s) for s in late[:2]] == [
        "Audit never engaged (cadence 90 d), no owner",
        "CFO last engaged 41 d ago on 2026-10-15 (cadence 30 d, 11 d overdue), owner Margaret Hale",
    ]


def test_overdue_ties_go_to_the_more_powerful() -> None:
    people = [
        {"id": 1, "name": "B low", "power": 2, "interest": 3, "cadence_days": 10},
        {"id": 2, "name": "A high", "power": 4, "interest": 3, "cadence_days": 10},
        {"id": 3, "name": "C high", "power": 4, "interest": 3, "cadence_days": 10},
    ]
    rows = [_engagement(i, i, -12) for i in (1, 2, 3)]  # all 2 d overdue
    assert [s.name for s in overdue_contacts(assess(people, rows, TODAY).values())] == [
        "A high",
        "C high",
        "B low",
    ]


# ---------------------------------------------------------------------------- comms plan


def test_comms_status_around_today_and_sunday() -> None:
    assert week_end(TODAY) == pendulum.Date(2026, 11, 29)  # Wednesday → Sunday
    assert week_end(pendulum.Date(2026, 11, 29)) == pendulum.Date(2026, 11, 29)  # Sunday itself
    assert week_end(pendulum.Date(2026, 11, 23)) == pendulum.Date(2026, 11, 29)  # Monday
    assert comms_status(TODAY.subtract(days=1), TODAY) == "overdue"
    assert comms_status(TODAY, TODAY) == "due today"  # due today is not overdue
    assert comms_status(pendulum.Date(2026, 11, 29), TODAY) == "this week"
    assert comms_status(pendulum.Date(2026, 11, 30), TODAY) == "later"  # next Monday
    assert comms_status(None, TODAY) == "unscheduled"


def test_comms_plan_in_date_order_and_overdue_lines() -> None:
    rows = [
        {"id": 1, "audience": "All staff", "message": "Newsletter", "next_due": day(2), "frequency_days": 14},
        {"id": 2, "audience": "Works Council", "message": "Consultation update", "next_due": day(-5),
         "owner": "Hannah Brooks"},
        {"id": 3, "audience": "Board", "message": "Pack", "next_due": None},
        {"id": 4, "audience": "All staff", "message": "MFA", "next_due": day(-2)},
    ]  # fmt: skip
    plan = comms_plan(rows, TODAY)
    assert [(i.id, i.status, i.days_late) for i in plan] == [
        (2, "overdue", 5),
        (4, "overdue", 2),
        (1, "this week", None),  # Friday 27 Nov
        (3, "unscheduled", None),
    ]
    assert [i.due_this_week for i in plan] == [True, True, True, False]
    late = overdue_comms(plan)
    assert [i.id for i in late] == [2, 4]
    assert overdue_comms_text(late[0]) == (
        "“Consultation update” to Works Council was due 2026-11-20 (5 d overdue), owner Hannah Brooks"
    )


@pytest.mark.parametrize(
    ("due", "frequency", "sent_on", "expected"),
    [
        # A weekly item due Friday 20 Nov, sent on the day: next Friday.
        ("2026-11-20", 7, "2026-11-20", "2026-11-27"),
        # Sent two days early: still next Friday (the rhythm, not the sending day).
        ("2026-11-20", 7, "2026-11-18", "2026-11-27"),
        # Sent late on Wednesday 25th: the next Friday slot after today, the 27th.
        ("2026-11-20", 7, "2026-11-25", "2026-11-27"),
        # Sent exactly a week late (27th): that slot is today, so the one after, 4 Dec.
        ("2026-11-20", 7, "2026-11-27", "2026-12-04"),
        # Three weeks missed: jumps to the first slot after today, not one week on.
        ("2026-11-01", 7, "2026-11-25", "2026-11-29"),
    ],
)
def test_next_due_after_sending_keeps_the_rhythm(
    due: str, frequency: int, sent_on: str, expected: str
) -> None:
    got = next_due_after_sending(
        pendulum.Date.fromisoformat(due), frequency, pendulum.Date.fromisoformat(sent_on)
    )
    assert got == pendulum.Date.fromisoformat(expected)


def test_next_due_after_sending_without_a_date_or_a_frequency() -> None:
    assert next_due_after_sending(None, 14, TODAY) == TODAY.add(days=14)
    assert next_due_after_sending(TODAY, None, TODAY) is None  # a one-off: nothing more due
    assert next_due_after_sending(TODAY, 0, TODAY) is None


# ---------------------------------------------------------------------------- attitude moves


def _audit(
    aid: int, ts: str, row_id: int, change: dict, *, user: str = "elena", action: str = "update"
) -> dict:
    return {"id": aid, "ts": ts, "tbl": "stakeholder", "row_id": row_id, "action": action, "user": user,
            "changes": change}  # fmt: skip


def test_attitude_moves_from_the_audit_trail() -> None:
    now = {
        1: {"id": 1, "name": "Ingrid Maier", "attitude": "critic"},
        2: {"id": 2, "name": "Tom Fielding", "attitude": "neutral"},
        3: {"id": 3, "name": "Works Council", "attitude": "critic"},
        4: {"id": 4, "name": "New one", "attitude": "supporter"},
        5: {"id": 5, "name": "Robert", "attitude": "critic"},
    }
    audit = [
        _audit(1, "2026-11-20T16:20:00Z", 1, {"attitude": ["blocker", "critic"]}),
        # Robert: supporter → neutral → critic, two steps down in two moves by two people.
        _audit(2, "2026-11-19T10:00:00Z", 5, {"attitude": ["supporter", "neutral"]}, user="ben"),
        _audit(3, "2026-11-21T10:00:00Z", 5, {"attitude": ["neutral", "critic"]}, user="priya"),
        # Moved and moved back: no net move.
        _audit(4, "2026-11-19T09:00:00Z", 3, {"attitude": ["critic", "blocker"]}),
        _audit(5, "2026-11-23T09:00:00Z", 3, {"attitude": ["blocker", "critic"]}),
        # A new stakeholder is not a move; other fields are not moves.
        _audit(6, "2026-11-22T09:00:00Z", 4, {"attitude": [None, "supporter"]}, action="insert"),
        _audit(7, "2026-11-24T11:40:00Z", 2, {"owner": ["a", "b"]}),
        _audit(8, "2026-11-24T11:41:00Z", 2, '{"attitude": ["critic", "neutral"]}', user="asha"),  # JSON text
        # A stakeholder deleted since: left out.
        _audit(9, "2026-11-24T12:00:00Z", 99, {"attitude": ["critic", "neutral"]}),
        {"id": 10, "ts": "2026-11-24T12:00:00Z", "tbl": "risk", "row_id": 1, "action": "update",
         "changes": {"attitude": ["a", "b"]}},  # another table
    ]  # fmt: skip
    moves = attitude_moves(audit, now)
    assert [(m.name, m.before, m.after, m.steps, m.when[:10], m.users) for m in moves] == [
        ("Ingrid Maier", "blocker", "critic", 1, "2026-11-20", ("elena",)),
        ("Tom Fielding", "critic", "neutral", 1, "2026-11-24", ("asha",)),
        ("Robert", "supporter", "critic", -2, "2026-11-21", ("ben", "priya")),
    ]


# ---------------------------------------------------------------------------- who logs


PEOPLE = [
    {"name": "Asha Patel", "email": "a.patel@example.org"},
    {"name": "Ben Carter", "email": None},
    {"name": "Ben Okafor"},
    {"name": "Hannah Brooks"},
]


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("a.patel", "Asha Patel"),  # the email's local part
        ("asha", "Asha Patel"),  # the only Asha
        ("apatel", "Asha Patel"),  # initial + surname
        ("asha.patel", "Asha Patel"),
        ("HANNAH_BROOKS", "Hannah Brooks"),
        ("bencarter", "Ben Carter"),
        ("ben", None),  # two Bens: no guess
        ("pmo", None),
        ("", None),
    ],
)
def test_person_for_user(user: str, expected: str | None) -> None:
    assert person_for_user(PEOPLE, user) == expected


# ---------------------------------------------------------------------------- the stand-up


def test_the_standup_names_overdue_stakeholders_and_comms() -> None:
    from pgmtui.domain.attention import COMMS_OVERDUE, NOT_ENGAGED
    from pgmtui.domain.standup import standup_diff

    tables = {
        "stakeholder": STAKEHOLDERS,
        "engagement": ENGAGEMENTS,
        "communication": [
            {"id": 1, "audience": "Works Council", "message": "Consultation update", "next_due": day(-5),
             "owner": "Hannah Brooks"},
            {"id": 2, "audience": "All staff", "message": "Newsletter", "next_due": day(0)},  # due today
        ],
    }  # fmt: skip
    result = standup_diff(
        today=TODAY,
        since="2026-11-24T00:00:00.000000Z",
        window="since Tue 24 Nov",
        programme=None,
        tables=tables,
        benefit_links={},
        audit_rows=[],
    )
    sections = {s.title: s for s in result.attention}
    engaged = sections[NOT_ENGAGED].lines
    assert [(line.kind, line.record_id, line.tone) for line in engaged] == [
        ("stakeholder", 3, "bad"),
        ("stakeholder", 1, "bad"),
        ("stakeholder", 2, "bad"),
        ("stakeholder", 5, "bad"),
    ]
    assert engaged[2].text == (
        "Works Council last engaged 23 d ago on 2026-11-02 (cadence 14 d, 9 d overdue), owner Hannah Brooks"
    )
    [comms] = sections[COMMS_OVERDUE].lines
    assert (comms.kind, comms.record_id) == ("communication", 1)
    assert "was due 2026-11-20 (5 d overdue)" in comms.text
    assert "Stakeholders not engaged within their cadence:" in result.to_text()
