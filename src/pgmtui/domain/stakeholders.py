"""Stakeholders and communications: the Mendelow power/interest quadrants, attitudes and the gap to
the attitude wanted, when each stakeholder was last engaged and whether that is overdue, and the
comms plan's due dates. Pure: rows in (dicts as the store reads them), plain values out.

The rules, as the screens, the stand-up, `pgmtui list` and the highlight report use them:

- Quadrant (Mendelow): power ≥ the power threshold and interest ≥ the interest threshold
  "Manage closely"; high power only "Keep satisfied"; high interest only "Keep informed"; else
  "Monitor". The thresholds are programme settings (default 3 on the 1–5 scales).
- Attitude gap = target − current on the five-step scale blocker < critic < neutral < supporter <
  champion (None without a target). A stakeholder with high power and a gap of two steps or more
  is a risk indicator.
- Last engaged: the latest engagement dated today or earlier (an engagement dated later is a
  planned meeting, not a contact). Overdue: a cadence is set and the stakeholder was never engaged,
  or the last contact was MORE than `cadence_days` days ago. Contacted exactly `cadence_days` days
  ago is due today, not overdue (within cadence is never overdue); the day after is 1 d overdue.
- Comms plan: an item is overdue when its next_due is before today (due today is not overdue),
  due this week when next_due falls between today and Sunday of this week.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pendulum

from pgmtui.domain.history import parse_changes
from pgmtui.domain.models import as_date

__all__ = [
    "ATTITUDES",
    "QUADRANTS",
    "RISK_GAP",
    "AttitudeMove",
    "CommsItem",
    "Contact",
    "Stakeholder",
    "Thresholds",
    "assess",
    "attitude_gap",
    "attitude_moves",
    "attitude_rank",
    "comms_plan",
    "contact_status",
    "is_risk",
    "last_engagements",
    "next_due_after_sending",
    "overdue_comms",
    "overdue_contacts",
    "person_for_user",
    "quadrant",
    "week_end",
]

# Worst to best (the store's enum, repeated here: the domain imports nothing of the store).
ATTITUDES = ("blocker", "critic", "neutral", "supporter", "champion")
MANAGE_CLOSELY, KEEP_SATISFIED, KEEP_INFORMED, MONITOR = (
    "Manage closely",
    "Keep satisfied",
    "Keep informed",
    "Monitor",
)
QUADRANTS = (MANAGE_CLOSELY, KEEP_SATISFIED, KEEP_INFORMED, MONITOR)  # most attention first
RISK_GAP = 2  # steps between the attitude and the target that make a powerful stakeholder a risk
DEFAULT_THRESHOLD = 3


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where power and interest count as high (programme settings power_threshold and
    interest_threshold; 3 when unset)."""

    power: int = DEFAULT_THRESHOLD
    interest: int = DEFAULT_THRESHOLD

    @classmethod
    def of(cls, programme: Mapping[str, Any] | None) -> Thresholds:
        programme = programme or {}
        power, interest = programme.get("power_threshold"), programme.get("interest_threshold")
        return cls(
            power=DEFAULT_THRESHOLD if power in (None, "") else int(power),
            interest=DEFAULT_THRESHOLD if interest in (None, "") else int(interest),
        )


def quadrant(power: int, interest: int, thresholds: Thresholds = Thresholds()) -> str:
    """The Mendelow quadrant of a stakeholder with this power and interest."""
    high_power, high_interest = power >= thresholds.power, interest >= thresholds.interest
    if high_power:
        return MANAGE_CLOSELY if high_interest else KEEP_SATISFIED
    return KEEP_INFORMED if high_interest else MONITOR


def attitude_rank(attitude: str | None) -> int | None:
    """0 (blocker) … 4 (champion); None for no attitude or a word not on the scale."""
    try:
        return ATTITUDES.index(attitude) if attitude else None
    except ValueError:
        return None


def attitude_gap(attitude: str | None, target: str | None) -> int | None:
    """Steps from the attitude to the target (positive: they must move towards support);
    None when either is missing. A stakeholder without an attitude is taken as neutral."""
    wanted = attitude_rank(target)
    now = attitude_rank(attitude or "neutral")
    if wanted is None or now is None:
        return None
    return wanted - now


def is_risk(power: int, gap: int | None, thresholds: Thresholds = Thresholds()) -> bool:
    """A high-power stakeholder two or more steps short of the attitude wanted."""
    return power >= thresholds.power and gap is not None and gap >= RISK_GAP


# ---------------------------------------------------------------------------- engagement


@dataclass(frozen=True, slots=True)
class LastEngagement:
    """A stakeholder's latest contact (dated today or earlier) and how many contacts in all."""

    date: pendulum.Date
    engagement_id: int
    channel: str | None
    next_action: str | None
    next_date: pendulum.Date | None
    count: int


def last_engagements(
    engagements: Iterable[Mapping[str, Any]], today: pendulum.Date
) -> dict[int, LastEngagement]:
    """Stakeholder id → their latest engagement up to today (two on one day: the higher id, the one
    logged last). Engagements dated after today are plans, not contacts, and are left out."""
    # Runs on every refresh over every engagement: ISO dates compare as text, so only the
    # winners are parsed.
    until = today.isoformat()
    best: dict[int, tuple[str, int, Mapping[str, Any]]] = {}
    counts: dict[int, int] = {}
    for e in engagements:
        d = e.get("date")
        sid = e.get("stakeholder_id")
        if not d or sid is None or d[:10] > until:
            continue
        counts[sid] = counts.get(sid, 0) + 1
        held = best.get(sid)
        if held is None or (d[:10], e["id"]) > held[:2]:
            best[sid] = (d[:10], e["id"], e)
    out: dict[int, LastEngagement] = {}
    for sid, (day, eid, e) in best.items():
        last = as_date(day)
        assert last is not None
        out[sid] = LastEngagement(
            date=last,
            engagement_id=eid,
            channel=e.get("channel"),
            next_action=e.get("next_action"),
            next_date=as_date(e.get("next_date")),
            count=counts[sid],
        )
    return out


@dataclass(frozen=True, slots=True)
class Contact:
    """How a stakeholder stands against their cadence today."""

    last: pendulum.Date | None  # the last contact (None: never engaged)
    days_since: int | None  # today − last, in days
    cadence: int | None  # cadence_days (None: no cadence, never overdue)
    overdue: bool
    overdue_days: int | None  # days past the cadence (None when not overdue or never engaged)
    due: pendulum.Date | None  # the last day still within cadence (None: no cadence or never engaged)


def contact_status(cadence_days: Any, last: pendulum.Date | None, today: pendulum.Date) -> Contact:
    """Overdue when a cadence is set and the last contact is more than `cadence_days` days ago (or
    there was none). On day `cadence_days` exactly the contact is due, not overdue."""
    cadence = None if cadence_days in (None, "") else int(cadence_days)
    if last is None:
        return Contact(None, None, cadence, cadence is not None, None, None)
    days = today.toordinal() - last.toordinal()
    if cadence is None:
        return Contact(last, days, None, False, None, None)
    overdue = days > cadence
    due = pendulum.Date.fromordinal(last.toordinal() + cadence)
    return Contact(last, days, cadence, overdue, days - cadence if overdue else None, due)


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """One stakeholder assessed: quadrant, attitude gap, risk, last contact and cadence."""

    id: int
    name: str
    power: int
    interest: int
    quadrant: str
    attitude: str
    target: str | None
    gap: int | None
    risk: bool
    contact: Contact
    owner: str | None
    last: LastEngagement | None

    @property
    def overdue(self) -> bool:
        return self.contact.overdue

    def to_json(self) -> dict[str, Any]:
        """The computed columns of `pgmtui list stakeholder --json`."""
        c = self.contact
        return {
            "quadrant": self.quadrant,
            "attitude_gap": self.gap,
            "risk": self.risk,
            "last_engaged": c.last.isoformat() if c.last else None,
            "days_since_engaged": c.days_since,
            "overdue": c.overdue,
            "overdue_days": c.overdue_days,
            "engagements": self.last.count if self.last else 0,
        }


def assess(
    stakeholders: Iterable[Mapping[str, Any]],
    engagements: Iterable[Mapping[str, Any]],
    today: pendulum.Date,
    thresholds: Thresholds = Thresholds(),
) -> dict[int, Stakeholder]:
    """Every stakeholder assessed, by id (in the order given)."""
    last = last_engagements(engagements, today)
    out: dict[int, Stakeholder] = {}
    for s in stakeholders:
        sid = int(s["id"])
        power, interest = int(s.get("power") or 1), int(s.get("interest") or 1)
        attitude = s.get("attitude") or "neutral"
        gap = attitude_gap(attitude, s.get("target_attitude"))
        seen = last.get(sid)
        out[sid] = Stakeholder(
            id=sid,
            name=str(s.get("name") or f"#{sid}"),
            power=power,
            interest=interest,
            quadrant=quadrant(power, interest, thresholds),
            attitude=attitude,
            target=s.get("target_attitude"),
            gap=gap,
            risk=is_risk(power, gap, thresholds),
            contact=contact_status(s.get("cadence_days"), seen.date if seen else None, today),
            owner=s.get("owner"),
            last=seen,
        )
    return out


def overdue_contacts(assessed: Iterable[Stakeholder]) -> list[Stakeholder]:
    """Overdue stakeholders, the longest-neglected first: never engaged, then by days past the
    cadence; the more powerful first on a tie, then by name."""
    late = [s for s in assessed if s.overdue]
    late.sort(
        key=lambda s: (
            s.contact.last is not None,
            -(s.contact.overdue_days or 0),
            -s.power,
            s.name.lower(),
            s.id,
        )
    )
    return late


def overdue_text(s: Stakeholder) -> str:
    """The stand-up's line: who, how long since the last contact, the cadence, the owner."""
    c = s.contact
    owner = f", owner {s.owner}" if s.owner else ", no owner"
    if c.last is None:
        return f"{s.name} never engaged (cadence {c.cadence} d){owner}"
    return (
        f"{s.name} last engaged {c.days_since} d ago on {c.last.isoformat()} "
        f"(cadence {c.cadence} d, {c.overdue_days} d overdue){owner}"
    )


# ---------------------------------------------------------------------------- the comms plan

OVERDUE, DUE_TODAY, THIS_WEEK, LATER, UNSCHEDULED = (
    "overdue",
    "due today",
    "this week",
    "later",
    "unscheduled",
)


def week_end(today: pendulum.Date) -> pendulum.Date:
    """Sunday of today's week (Monday-based weeks)."""
    return today.add(days=6 - today.weekday())


@dataclass(frozen=True, slots=True)
class CommsItem:
    id: int
    audience: str
    message: str
    channel: str | None
    owner: str | None
    next_due: pendulum.Date | None
    frequency_days: int | None
    status: str  # OVERDUE, DUE_TODAY, THIS_WEEK, LATER or UNSCHEDULED
    days_late: int | None  # for an overdue item: today − next_due

    @property
    def due_this_week(self) -> bool:
        """Overdue, due today or later this week: what the comms plan asks for now."""
        return self.status in (OVERDUE, DUE_TODAY, THIS_WEEK)


def comms_status(next_due: pendulum.Date | None, today: pendulum.Date) -> str:
    if next_due is None:
        return UNSCHEDULED
    d, t = next_due.toordinal(), today.toordinal()
    if d < t:
        return OVERDUE
    if d == t:
        return DUE_TODAY
    return THIS_WEEK if d <= week_end(today).toordinal() else LATER


def comms_plan(communications: Iterable[Mapping[str, Any]], today: pendulum.Date) -> list[CommsItem]:
    """The comms plan in date order (unscheduled items last), each with its status today."""
    items = []
    for c in communications:
        due = as_date(c.get("next_due"))
        freq = c.get("frequency_days")
        status = comms_status(due, today)
        items.append(
            CommsItem(
                id=int(c["id"]),
                audience=str(c.get("audience") or ""),
                message=str(c.get("message") or ""),
                channel=c.get("channel"),
                owner=c.get("owner"),
                next_due=due,
                frequency_days=None if freq in (None, "") else int(freq),
                status=status,
                days_late=today.toordinal() - due.toordinal() if status == OVERDUE and due else None,
            )
        )
    items.sort(key=lambda i: (i.next_due is None, i.next_due.toordinal() if i.next_due else 0, i.id))
    return items


def overdue_comms(plan: Iterable[CommsItem]) -> list[CommsItem]:
    """Comms items past their next_due, the most overdue first."""
    return sorted((i for i in plan if i.status == OVERDUE), key=lambda i: (-(i.days_late or 0), i.id))


def overdue_comms_text(item: CommsItem) -> str:
    owner = f", owner {item.owner}" if item.owner else ", no owner"
    due = item.next_due.isoformat() if item.next_due else "?"
    return f"“{item.message}” to {item.audience} was due {due} ({item.days_late} d overdue){owner}"


def next_due_after_sending(
    next_due: pendulum.Date | None, frequency_days: int | None, today: pendulum.Date
) -> pendulum.Date | None:
    """The next due date once an item is sent today: the next slot of its rhythm after today
    (a weekly Friday item sent late on Monday is next due on Friday, not the Monday after); no
    date yet: today + frequency; a one-off (no frequency): None, nothing more is due."""
    if not frequency_days:
        return None
    if next_due is None:
        return today.add(days=frequency_days)
    t, d = today.toordinal(), next_due.toordinal()
    steps = max(1, (t - d) // frequency_days + 1)
    return next_due.add(days=steps * frequency_days)


# ---------------------------------------------------------------------------- attitude moves


@dataclass(frozen=True, slots=True)
class AttitudeMove:
    """A stakeholder whose attitude changed in a period: where it started and where it is now."""

    stakeholder_id: int
    name: str
    before: str
    after: str
    when: str  # timestamp of the last change
    users: tuple[str, ...]

    @property
    def steps(self) -> int:
        """Positive: towards support."""
        return (attitude_rank(self.after) or 0) - (attitude_rank(self.before) or 0)


def attitude_moves(
    audit_rows: Iterable[Mapping[str, Any]], now: Mapping[int, Mapping[str, Any]]
) -> list[AttitudeMove]:
    """Attitude changes recorded in `audit_rows` (the period's), one per stakeholder still in the
    register: from the attitude before the first change to the one now. A stakeholder who moved
    and moved back is left out; a new stakeholder is not a move. Most improved first, then the
    worst falls, then by name."""
    first: dict[int, str] = {}
    last_ts: dict[int, str] = {}
    users: dict[int, list[str]] = {}
    for a in sorted(audit_rows, key=lambda a: (str(a.get("ts")), a.get("id") or 0)):
        if a.get("tbl") != "stakeholder" or a.get("action") != "update":
            continue
        change = parse_changes(a.get("changes")).get("attitude")
        if not change:
            continue
        rid = int(a["row_id"])
        first.setdefault(rid, str(change[0] or "neutral"))
        last_ts[rid] = str(a.get("ts"))
        users.setdefault(rid, [])
        if str(a.get("user")) not in users[rid]:
            users[rid].append(str(a.get("user")))
    moves = []
    for rid, before in first.items():
        row = now.get(rid)
        if row is None:
            continue
        after = str(row.get("attitude") or "neutral")
        if after != before:
            moves.append(
                AttitudeMove(
                    rid, str(row.get("name") or f"#{rid}"), before, after, last_ts[rid], tuple(users[rid])
                )
            )
    moves.sort(key=lambda m: (-m.steps, m.name.lower(), m.stakeholder_id))
    return moves


# ---------------------------------------------------------------------------- who is logging


def person_for_user(people: Iterable[Mapping[str, Any]], user: str) -> str | None:
    """The directory's person for an OS account name, if one clearly matches: the local part of
    their email (`asha.patel@…` for `asha.patel`), their name written as an account (`ashapatel`,
    `asha.patel`, `asha_patel`, `apatel`), or their first name when no one else has it (`asha`).
    None when nothing or more than one person matches."""
    account = user.strip().lower()
    if not account:
        return None
    exact: list[str] = []
    first: list[str] = []
    for p in people:
        name = str(p.get("name") or "").strip()
        if not name:
            continue
        words = [w.lower() for w in name.split()]
        email = str(p.get("email") or "").lower()
        forms = {"".join(words), ".".join(words), "_".join(words), "-".join(words)}
        if len(words) > 1:
            forms.add(words[0][0] + words[-1])
        if email.partition("@")[0] == account or account in forms:
            exact.append(name)
        elif words and words[0] == account:
            first.append(name)
    if len(exact) == 1:
        return exact[0]
    if not exact and len(first) == 1:
        return first[0]
    return None
