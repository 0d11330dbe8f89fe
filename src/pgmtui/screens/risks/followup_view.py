"""Actions and lessons on the Risks & RAID screen, as rows and text, free of textual: the Actions
view (every action, open ones first, "my actions" with `owner:me`), the Lessons view (lessons
recorded, and lesson candidates from the audit trail to accept with enter), what `a` pre-fills for
an action about any record, and the actions listed under a record's detail."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from rich.text import Text

from pgmtui.domain.candidates import Candidate
from pgmtui.domain.followup import Me, action_state, actions_about, me_for_user, split_about
from pgmtui.domain.riskmap import RiskFilter, matches
from pgmtui.model import Model
from pgmtui.widgets.badges import literal
from pgmtui.widgets.cells import Column, Row
from pgmtui.widgets.format import date

FOLLOW_VIEWS = ("action", "lesson")
FOLLOW_TITLES = {"action": "Actions", "lesson": "Lessons"}
ACTION_FORM_FIELDS = ("title", "owner", "due_date", "about", "project", "note")
ACTION_EDIT_FIELDS = ("title", "owner", "due_date", "status", "done_date", "about", "project", "note")
DEFAULT_DUE_DAYS = 7  # an action made with `a` is due in a week unless said otherwise
STATE_RANK = {"overdue": 0, "today": 1, "due": 2, "no date": 3, "done": 4, "cancelled": 5}
ME_WORDS = ("me", "mine", "@me")


def me_of(model: Model) -> Me:
    return me_for_user(model.user, model.rows("person"))


# ---------------------------------------------------------------------------- naming records


def record_project(model: Model, kind: str, record_id: int) -> int | None:
    """The project a record belongs to (itself for a project), through its milestone if need be."""
    row = model.row(kind, record_id)
    if row is None:
        return None
    if kind == "project":
        return record_id
    if row.get("project_id") is not None:
        return int(row["project_id"])
    for ref in ("milestone_id", "consumer_id"):
        if row.get(ref) is not None:
            milestone = model.row("milestone", row[ref])
            return milestone["project_id"] if milestone else None
    return None


def record_name(model: Model, kind: str, record_id: int) -> str:
    """A record as people name it: project IAM, milestone CLD:Go-live, issue #3 “title”."""
    row = model.row(kind, record_id)
    word = kind.replace("_", " ")
    if row is None:
        return f"{word} #{record_id} (deleted)"
    if kind in ("project", "milestone", "benefit", "person", "stakeholder", "objective"):
        return f"{word} {model.ref_label(kind, record_id)}"
    shown = row.get("title") or row.get("name") or row.get("message")
    if kind == "gate_review":
        shown = (
            f"{model.ref_label('milestone', row.get('milestone_id'))} {row.get('review_date') or ''}".strip()
        )
    if not shown:
        return f"{word} #{record_id}"
    text = " ".join(str(shown).split())
    return f"{word} #{record_id} “{text if len(text) <= 40 else text[:39] + '…'}”"


def about_name(model: Model, link: str | None) -> str:
    target = split_about(link)
    return record_name(model, *target) if target else ""


def action_defaults(model: Model, kind: str, record_id: int) -> dict[str, Any]:
    """What `a` on a record fills in: about it, in its project, owned by the record's owner (or
    you), due in a week."""
    row = model.row(kind, record_id) or {}
    project = record_project(model, kind, record_id)
    owner = (row.get("manager") if kind == "project" else row.get("owner")) if kind != "action" else None
    return {
        "about": f"{kind}:{model.ref_label(kind, record_id)}",
        "project": model.project_code(project) if project is not None else "",
        "owner": owner or me_of(model).label,
        "due_date": model.today.add(days=DEFAULT_DUE_DAYS).isoformat(),
    }


# ---------------------------------------------------------------------------- the lines above


def follow_counts(model: Model) -> dict[str, str]:
    """The views bar's counts: open actions (with how many are overdue) and lessons."""
    states = [action_state(r, model.today).state for r in model.rows("action")]
    open_ = sum(1 for s in states if s not in ("done", "cancelled"))
    overdue = states.count("overdue")
    return {
        "action": f"{open_}" + (f" ({overdue}!)" if overdue else ""),
        "lesson": str(len(model.rows("lesson"))),
    }


def follow_summary(model: Model, view: str, flt: RiskFilter) -> Text:
    """The line under the views on the Actions and Lessons views: counts, yours, the keys."""
    t = Text()
    if view == "action":
        states = [action_state(r, model.today).state for r in model.rows("action")]
        t.append("Actions", style="bold")
        t.append(f" · {sum(1 for s in states if s not in ('done', 'cancelled'))} open")
        overdue, today = states.count("overdue"), states.count("today")
        if overdue:
            t.append(f" · {overdue} overdue", style="bold red")
        if today:
            t.append(f" · {today} due today", style="bold")
        if wants_me(flt):
            t.append(f" · yours ({me_of(model).label})", style="bold")
        t.append("  m mine · c done/reopen · o open what it is about · enter edit", style="dim")
    else:
        t.append("Lessons learned", style="bold")
        t.append(f" · {len(model.rows('lesson'))} recorded")
        t.append("  n new · enter on a candidate records it · tab · w review · x Excel", style="dim")
    return t


# ---------------------------------------------------------------------------- the Actions view

# Owner drops below 90 columns, project 95, about 110; the title takes what is left.
ACTION_COLUMNS = (
    Column("id", "#", width=3),
    Column("due", "Due", width=12),
    Column.of_field("action", "title", label="Action", flex=True, min_width=16),
    Column.of_field("action", "owner", width=14, min_screen=90),
    Column("project", "Proj", width=4, min_screen=95),
    Column("about", "About", width=26, min_screen=110),
    Column.of_field("action", "status", width=9),
)


def wants_me(flt: RiskFilter) -> bool:
    return flt.owner in ME_WORDS


def action_items(model: Model, flt: RiskFilter) -> list[dict[str, Any]]:
    """The actions the filter lets through: `owner:me` keeps this user's; open first, the most
    overdue first, then by due date."""
    me = me_of(model)
    mine = wants_me(flt)
    flt_here = replace(flt, owner="" if mine else flt.owner, proximity="")
    rows = [
        r
        for r in model.rows("action")
        if matches(
            r, flt_here, model.project_code, default_status=None, text_fields=("title", "owner", "note")
        )
        and (not mine or me.owns(r.get("owner")))
    ]

    def order(r: Mapping[str, Any]) -> tuple[Any, ...]:
        state = action_state(r, model.today)
        late = -state.days if state.state == "overdue" else 0
        return (STATE_RANK[state.state], late, r.get("due_date") or "9999-99-99", r["id"])

    rows.sort(key=order)
    return rows


def action_cells(row: Mapping[str, Any], model: Model) -> dict[str, Text | str]:
    state = action_state(row, model.today)
    if state.state == "overdue":
        due = Text(f"! {date(row.get('due_date'))}", style="bold red")
    elif state.state == "today":
        due = Text(f"> {date(row.get('due_date'))}", style="bold")
    else:
        due = Text(date(row.get("due_date")), style="dim" if state.state in ("done", "cancelled") else "")
    status = row.get("status") or "open"
    done = status != "open"
    return {
        "id": str(row["id"]),
        "due": due,
        "title": Text(row.get("title") or "", style="dim" if done else ""),
        "owner": literal(row.get("owner") or ""),
        "project": literal(model.project_code(row.get("project_id")) or "prog"),
        "about": literal(about_name(model, row.get("about"))),
        "status": Text(status, style="dim" if done else ""),
    }


def action_rows(model: Model, flt: RiskFilter) -> list[Row]:
    return [
        Row(
            r["id"],
            action_cells(r, model),
            {
                "id": r["id"],
                "due": r.get("due_date") or None,
                "owner": (r.get("owner") or "").lower() or None,
                "status": STATE_RANK[action_state(r, model.today).state],
            },
        )
        for r in action_items(model, flt)
    ]


def action_detail(row: Mapping[str, Any] | None, model: Model) -> Text:
    """The highlighted action under the list: everything about it in three lines."""
    if row is None:
        return Text("No action selected. n adds one; a on any record adds one about it.", style="dim")
    state = action_state(row, model.today)
    t = Text()
    t.append(f"Action #{row['id']} ", style="bold")
    t.append(row.get("title") or "")
    t.append("\nOwner ")
    t.append(row.get("owner") or "–")
    t.append(f" · {row.get('status') or 'open'} · due {date(row.get('due_date'))}")
    if state.state in ("overdue", "today"):
        t.append(f" ({state.label})", style="bold red" if state.state == "overdue" else "bold")
    if row.get("done_date"):
        t.append(f" · done {date(row.get('done_date'))}")
    t.append(f" · project {model.project_code(row.get('project_id')) or 'programme-level'}")
    if row.get("about"):
        t.append(" · about ")
        t.append(about_name(model, row.get("about")))
    t.append(f" · v{row.get('version')} by {row.get('updated_by') or '–'}", style="dim")
    if row.get("note"):
        t.append("\n")
        t.append(row["note"])
    return t


def toggle_done(row: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """`c` on an action: an open one is done (the store dates it), a done or cancelled one re-opens."""
    if (row.get("status") or "open") == "open":
        return {"status": "done"}, "done"
    return {"status": "open"}, "re-opened"


def actions_text(model: Model, kind: str, record_id: int, *, with_project: bool = False) -> Text:
    """The actions about a record, for its detail: one line each, open ones first."""
    rows = actions_about(model.rows("action"), kind, record_id, with_project=with_project)
    if not rows:
        return Text("No actions. a adds one about it.", style="dim")
    t = Text()
    for n, row in enumerate(rows):
        if n:
            t.append("\n")
        state = action_state(row, model.today)
        style = {"overdue": "bold red", "today": "bold", "done": "dim", "cancelled": "dim"}.get(
            state.state, ""
        )
        t.append(f"#{row['id']} ", style="dim")
        t.append(f"{state.label:<13} ", style=style)
        t.append(row.get("owner") or "no owner")
        t.append(": ")
        t.append(row.get("title") or "", style="dim" if state.state in ("done", "cancelled") else "")
    return t


def actions_line(model: Model, kind: str, record_id: int) -> Text:
    """The actions about a record on one line (a RAID item's detail): open ones first."""
    rows = actions_about(model.rows("action"), kind, record_id)
    t = Text()
    t.append("Actions: ", style="bold")
    if not rows:
        t.append("none (a adds one)", style="dim")
        return t
    for n, row in enumerate(rows[:3]):
        state = action_state(row, model.today)
        if n:
            t.append(" · ")
        t.append(f"#{row['id']} ")
        t.append(row.get("owner") or "no owner")
        t.append(f" ({state.label})", style="bold red" if state.state == "overdue" else "dim")
    if len(rows) > 3:
        t.append(f" · {len(rows) - 3} more", style="dim")
    return t


# ---------------------------------------------------------------------------- the Lessons view

LESSON_COLUMNS = (
    Column("id", "#", width=3),
    Column.of_field("lesson", "date", width=10),
    Column("project", "Proj", width=4),
    Column.of_field("lesson", "category", width=10, min_screen=90),
    Column.of_field("lesson", "title", label="Lesson", flex=True, min_width=16),
    Column("source", "Source", width=24, min_screen=115),
)


def lesson_items(model: Model, flt: RiskFilter) -> list[dict[str, Any]]:
    rows = [
        r
        for r in model.rows("lesson")
        if matches(
            r,
            replace(flt, category="", owner="", proximity="", status=None),
            model.project_code,
            default_status=None,
            text_fields=("title", "what_happened", "recommendation", "raised_by", "category"),
        )
        and (not flt.category or flt.category in (r.get("category") or ""))
    ]
    rows.sort(key=lambda r: (r.get("date") or "", r["id"]), reverse=True)
    return rows


def lesson_rows(model: Model, flt: RiskFilter) -> list[Row]:
    return [
        Row(
            r["id"],
            {
                "id": str(r["id"]),
                "date": date(r.get("date")),
                "project": literal(model.project_code(r.get("project_id")) or "prog"),
                "category": literal(r.get("category") or ""),
                "title": literal(r.get("title")),
                "source": literal(about_name(model, r.get("source"))),
            },
            {"id": r["id"], "date": r.get("date") or None},
        )
        for r in lesson_items(model, flt)
    ]


def lesson_detail(row: Mapping[str, Any] | None, model: Model) -> Text:
    if row is None:
        return Text("No lessons yet: n records one; enter on a candidate below accepts it.", style="dim")
    t = Text()
    t.append(f"Lesson #{row['id']} ", style="bold")
    t.append(row.get("title") or "")
    t.append(f"\n{row.get('category') or 'other'} · {date(row.get('date'))} · raised by ")
    t.append(row.get("raised_by") or "–")
    t.append(f" · project {model.project_code(row.get('project_id')) or 'programme-level'}")
    if row.get("source"):
        t.append(" · from ")
        t.append(about_name(model, row.get("source")))
    for label, name in (("What happened", "what_happened"), ("Recommendation", "recommendation")):
        if row.get(name):
            t.append(f"\n{label}: ", style="bold")
            t.append(row[name])
    return t


CANDIDATE_COLUMNS = (
    Column("recorded", "✓", width=1),
    Column("finding", "Finding", width=7),
    Column("project", "Proj", width=4),
    Column("title", "Candidate (from the audit trail)", flex=True, min_width=20),
    Column("evidence", "Evid.", width=5, min_screen=100, numeric=True),
)


def candidate_id(c: Candidate) -> int:
    """A row id that stays with its finding across refreshes (its key's checksum)."""
    return zlib.crc32(c.key.encode("utf-8")) & 0x7FFFFFFF


def candidate_rows(candidates: Sequence[Candidate], flt: RiskFilter, model: Model) -> list[Row]:
    rows = []
    for c in candidates:
        if flt.projects and (c.project or "programme").lower() not in flt.projects:
            continue
        if flt.words and not all(w in f"{c.title} {c.what_happened}".lower() for w in flt.words):
            continue
        rows.append(
            Row(
                candidate_id(c),
                {
                    "recorded": Text("✓", style="green") if c.recorded else "",
                    "finding": c.finding,
                    "project": literal(c.project or "prog"),
                    "title": Text(c.title, style="dim" if c.recorded else ""),
                    "evidence": str(len(c.evidence)),
                },
                {"recorded": c.recorded, "evidence": len(c.evidence)},
            )
        )
    return rows


def candidate_detail(c: Candidate | None) -> Text:
    if c is None:
        return Text("No candidate selected.", style="dim")
    t = Text()
    t.append(c.title, style="bold")
    if c.recorded:
        t.append(f"  (recorded: lesson #{c.lesson_id})", style="green")
    t.append("\n")
    t.append(c.what_happened)
    for e in c.evidence[:3]:
        t.append("\n  • ", style="dim")
        t.append(e.line())
    if len(c.evidence) > 3:
        t.append(f"\n  … {len(c.evidence) - 3} more", style="dim")
    t.append("\nenter: record it as a lesson (a form to edit first)", style="dim")
    return t


def lesson_defaults(c: Candidate, model: Model) -> dict[str, Any]:
    """The lesson form for an accepted candidate: its fields, the source typed as people type it,
    raised by you, dated today."""
    fields = c.lesson_fields()
    target = split_about(c.source)
    if target is not None:
        fields["source"] = f"{target[0]}:{model.ref_label(*target)}"
    fields["raised_by"] = me_of(model).label
    fields["date"] = model.today.isoformat()
    return fields
