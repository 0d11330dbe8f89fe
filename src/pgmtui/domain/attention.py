"""What needs attention today: the stand-up's "needs attention" rules. Each rule reads an
AttentionContext (today, every table now, the rollup now, record names) and returns one Section;
ATTENTION_RULES lists them in the order shown and needs_attention runs them all. Pure, like the
stand-up diff (domain/standup.py) that calls it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pendulum

from pgmtui.domain.briefing import Line, RecordNames, Section, finish_date
from pgmtui.domain.calendar import add_working_days
from pgmtui.domain.capacity import (
    DEFAULT_LOOKAHEAD_WEEKS,
    allocations_of,
    over_allocations,
    people_of,
    week_label,
)
from pgmtui.domain.finance import impact_text
from pgmtui.domain.followup import ACTIONS_DUE, actions_due_attention
from pgmtui.domain.governance import DUE_SOON_DAYS, gates_due_without_review
from pgmtui.domain.models import as_date
from pgmtui.domain.rollup import ProgrammeRollup
from pgmtui.domain.stakeholders import (
    assess,
    comms_plan,
    overdue_comms,
    overdue_comms_text,
    overdue_contacts,
    overdue_text,
)

OVERDUE_ISSUES, OVERDUE_REVIEWS, DUE_SOON, RED_NO_NOTE, CR_WAITING = (
    "Overdue issues",
    "Overdue risk reviews",
    "Milestones due in the next 5 working days",
    "Red projects without a recent note",
    "Change requests waiting for a decision",
)
OVER_ALLOCATED = "People over-allocated in the look-ahead"
ATTENTION = (ACTIONS_DUE, OVERDUE_ISSUES, OVERDUE_REVIEWS, DUE_SOON, RED_NO_NOTE, OVER_ALLOCATED, CR_WAITING)
CR_WAIT_DAYS = 10  # a change request raised longer ago than this needs a decision


DUE_SOON_WORKING_DAYS = 5
NOTE_STALE_DAYS = 7  # a red project's status note older than this needs refreshing


@dataclass(frozen=True)
class AttentionContext:
    """What an attention rule may read: today, every table now (by id), the rollup now, names."""

    today: pendulum.Date
    now: Mapping[str, Mapping[int, Mapping[str, Any]]]
    rollup: ProgrammeRollup
    names: RecordNames
    note_updated: Mapping[int, str]
    note_days: int = NOTE_STALE_DAYS
    programme: Mapping[str, Any] | None = None  # its settings (e.g. resource_lookahead_weeks)


def overdue_issues(ctx: AttentionContext) -> Section:
    """Issues (problems already happening) past their due date and not closed, oldest first."""
    t = ctx.today.toordinal()
    late = []
    for iid, row in ctx.now.get("issue", {}).items():
        due = as_date(row.get("due_date"))
        if row.get("status") == "closed" or due is None or due.toordinal() >= t:
            continue
        days = t - due.toordinal()
        prio = f", {row['priority']} priority" if row.get("priority") else ""
        owner = f", owner {row['owner']}" if row.get("owner") else ""
        text = f"{ctx.names.record('issue', iid)}: was due {due.isoformat()} ({days} d overdue){prio}{owner}"
        late.append((due.toordinal(), iid, text))
    late.sort()
    return Section(OVERDUE_ISSUES, [Line(text, "issue", iid, "bad") for _, iid, text in late])


def overdue_risk_reviews(ctx: AttentionContext) -> Section:
    t = ctx.today.toordinal()
    reviews = []
    for rid, r in ctx.now.get("risk", {}).items():
        due = as_date(r.get("review_date"))
        if r.get("status") != "closed" and due is not None and due.toordinal() < t:
            late = t - due.toordinal()
            owner = f", owner {r['owner']}" if r.get("owner") else ""
            reviews.append(
                (
                    due.toordinal(),
                    rid,
                    f"{ctx.names.record('risk', rid)}: review was due {due.isoformat()} ({late} d overdue){owner}",
                )
            )
    reviews.sort()
    return Section(OVERDUE_REVIEWS, [Line(text, "risk", rid, "bad") for _, rid, text in reviews])


def milestones_due_soon(ctx: AttentionContext) -> Section:
    t = ctx.today.toordinal()
    horizon = add_working_days(ctx.today, DUE_SOON_WORKING_DAYS).toordinal()
    due_soon = []
    for mid, m in ctx.now.get("milestone", {}).items():
        if m.get("actual_date"):
            continue
        f = finish_date(m)
        if f is None:
            continue
        o = f.toordinal()
        gate = " (stage gate)" if m.get("is_gate") else ""
        if o < t:
            due_soon.append(
                (
                    o,
                    mid,
                    f"{ctx.names.milestone(mid)}{gate} overdue: was due {f.isoformat()} and not achieved",
                    "bad",
                )
            )
        elif o <= horizon:
            when = "today" if o == t else f.format("ddd D MMM")
            due_soon.append((o, mid, f"{ctx.names.milestone(mid)}{gate} due {when} ({f.isoformat()})", ""))
    due_soon.sort()
    return Section(DUE_SOON, [Line(text, "milestone", mid, tone) for _, mid, text, tone in due_soon])


def red_projects_without_note(ctx: AttentionContext) -> Section:
    t = ctx.today.toordinal()
    red = []
    for p in ctx.rollup.projects:
        if p.rag.final != "R":
            continue
        ts = ctx.note_updated.get(p.project_id)
        d = as_date(ts) if ts else None
        if d is None:
            red.append(Line(f"{p.code} is Red and has no status note", "project", p.project_id, "bad"))
        elif t - d.toordinal() > ctx.note_days:
            red.append(
                Line(
                    f"{p.code} is Red; status note last updated {d.isoformat()} ({t - d.toordinal()} d ago)",
                    "project",
                    p.project_id,
                    "bad",
                )
            )
    return Section(RED_NO_NOTE, red)


def change_requests_waiting(ctx: AttentionContext) -> Section:
    """Change requests still raised more than CR_WAIT_DAYS after they were raised, oldest first."""
    t = ctx.today.toordinal()
    waiting = []
    for rid, cr in ctx.now.get("change_request", {}).items():
        if cr.get("status") != "raised":
            continue
        raised = as_date(cr.get("raised_date")) or as_date(str(cr.get("created_at") or "")[:10] or None)
        if raised is None or t - raised.toordinal() <= CR_WAIT_DAYS:
            continue
        days = t - raised.toordinal()
        text = (
            f"{ctx.names.record('change_request', rid)}: {impact_text(cr)}; raised {raised.isoformat()}, "
            f"waiting {days} d"
        )
        waiting.append((raised.toordinal(), rid, text))
    waiting.sort()
    return Section(CR_WAITING, [Line(text, "change_request", rid, "bad") for _, rid, text in waiting])


GATES_UNREVIEWED = f"Stage gates due within {DUE_SOON_DAYS} days without a review"


def gates_without_review(ctx: AttentionContext) -> Section:
    t = ctx.today.toordinal()
    lines = []
    for mid, o, days in gates_due_without_review(
        ctx.now.get("milestone", {}).values(), ctx.now.get("gate_review", {}).values(), t
    ):
        when = f"{-days} d overdue" if days < 0 else "today" if days == 0 else f"in {days} d"
        d = pendulum.Date.fromordinal(o).isoformat()
        text = f"{ctx.names.milestone(mid)} is due {when} ({d}) and has no gate review booked"
        lines.append(Line(text, "milestone", mid, "bad" if days <= 7 else ""))
    return Section(GATES_UNREVIEWED, lines)


def over_allocated_people(ctx: AttentionContext) -> Section:
    """Everyone over capacity in a week of the programme's resource look-ahead (worst first)."""
    weeks = (ctx.programme or {}).get("resource_lookahead_weeks") or DEFAULT_LOOKAHEAD_WEEKS
    people = people_of(ctx.now.get("person", {}).values())
    allocations = allocations_of(ctx.now.get("allocation", {}).values())
    lines = []
    for o in over_allocations(people, allocations, ctx.today.toordinal(), int(weeks)):
        on = ", ".join(sorted(ctx.names.code(pid) for pid in o.projects))
        more = f"; over in {o.weeks_over} of the next {weeks} weeks" if o.weeks_over > 1 else ""
        text = (
            f"{o.person.name}: {o.load:.0f} % in the week of {week_label(o.week)} "
            f"(capacity {o.person.capacity_pct:.0f} %) on {on}{more}"
        )
        lines.append(Line(text, "person", o.person.id, "bad" if o.severe else ""))
    return Section(OVER_ALLOCATED, lines)


NOT_ENGAGED, COMMS_OVERDUE = "Stakeholders not engaged within their cadence", "Comms past their due date"


def stakeholders_not_engaged(ctx: AttentionContext) -> Section:
    """Stakeholders whose last contact is older than their cadence (or who were never engaged)."""
    now = ctx.now
    assessed = assess(now.get("stakeholder", {}).values(), now.get("engagement", {}).values(), ctx.today)
    late = overdue_contacts(assessed.values())
    return Section(NOT_ENGAGED, [Line(overdue_text(s), "stakeholder", s.id, "bad") for s in late])


def comms_past_due(ctx: AttentionContext) -> Section:
    """Comms-plan items whose next_due has passed."""
    late = overdue_comms(comms_plan(ctx.now.get("communication", {}).values(), ctx.today))
    return Section(COMMS_OVERDUE, [Line(overdue_comms_text(i), "communication", i.id, "bad") for i in late])


# What needs attention today, in the order shown: one rule per section. An area adds its rule
# here (overdue actions, stakeholders not engaged, gates due without a review, …).
AttentionRule = Callable[[AttentionContext], Section]
ATTENTION_RULES: tuple[AttentionRule, ...] = (
    actions_due_attention,  # first: what people promised to do and have not
    overdue_issues,
    overdue_risk_reviews,
    milestones_due_soon,
    red_projects_without_note,
    gates_without_review,
    over_allocated_people,
    change_requests_waiting,
    stakeholders_not_engaged,
    comms_past_due,
)


def needs_attention(
    today: pendulum.Date,
    now: Mapping[str, Mapping[int, Mapping[str, Any]]],
    r_now: ProgrammeRollup,
    names: RecordNames,
    note_updated: Mapping[int, str],
    note_days: int = NOTE_STALE_DAYS,
    programme: Mapping[str, Any] | None = None,
) -> list[Section]:
    ctx = AttentionContext(today, now, r_now, names, note_updated, note_days, programme)
    return [rule(ctx) for rule in ATTENTION_RULES]
