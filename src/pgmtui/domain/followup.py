"""Actions: when one is overdue or due, whose it is ("my actions": the OS user as a person of the
directory), what it is about, and the stand-up's "needs attention" lines. Pure: rows in, facts out.

An action is open, done or cancelled; only an open one can be overdue (due before today) or due
today. Its `about` names any record as `kind:id`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pendulum

from pgmtui.domain.briefing import Line, Section
from pgmtui.domain.models import as_date

if TYPE_CHECKING:
    from pgmtui.domain.attention import AttentionContext  # attention.py lists this module's rule

__all__ = [
    "ACTIONS_DUE",
    "Me",
    "action_state",
    "actions_about",
    "actions_due",
    "actions_due_attention",
    "me_for_user",
    "split_about",
]

ACTIONS_DUE = "Actions overdue or due today"
OPEN = "open"
ORDER = {"overdue": 0, "today": 1, "due": 2, "no date": 3, "done": 4, "cancelled": 5}


@dataclass(frozen=True)
class ActionState:
    """Where an action stands today: overdue (days late), today, due (days left), no date, done,
    cancelled."""

    state: str
    days: int = 0  # days overdue, or days left

    @property
    def label(self) -> str:
        if self.state == "overdue":
            return f"{self.days} d overdue"
        if self.state == "due":
            return f"in {self.days} d"
        return {"today": "due today", "no date": "no due date"}.get(self.state, self.state)


def action_state(row: Mapping[str, Any], today: pendulum.Date) -> ActionState:
    status = row.get("status") or OPEN
    if status != OPEN:
        return ActionState(status)
    due = as_date(row.get("due_date"))
    if due is None:
        return ActionState("no date")
    days = today.toordinal() - due.toordinal()
    if days > 0:
        return ActionState("overdue", days)
    return ActionState("today") if days == 0 else ActionState("due", -days)


def actions_due(
    actions: Iterable[Mapping[str, Any]], today: pendulum.Date
) -> list[tuple[ActionState, Mapping[str, Any]]]:
    """Open actions overdue or due today: the most overdue first, then by owner and id."""
    found = []
    for row in actions:
        state = action_state(row, today)
        if state.state in ("overdue", "today"):
            found.append((state, row))
    found.sort(key=lambda sr: (-sr[0].days, (sr[1].get("owner") or "").lower(), sr[1]["id"]))
    return found


def split_about(value: Any) -> tuple[str, int] | None:
    """A stored link `kind:id` as (kind, id); None for none or a malformed one."""
    if not isinstance(value, str):
        return None
    kind, _, ref = value.partition(":")
    return (kind, int(ref)) if kind and ref.isdigit() else None


def actions_about(
    actions: Iterable[Mapping[str, Any]], kind: str, record_id: int, *, with_project: bool = False
) -> list[Mapping[str, Any]]:
    """The actions about one record (its `about`), open ones first by due date; for a project,
    `with_project` also takes the actions filed under it (`project=`)."""
    link = f"{kind}:{record_id}"
    rows = [
        a
        for a in actions
        if a.get("about") == link or (with_project and kind == "project" and a.get("project_id") == record_id)
    ]
    rows.sort(key=lambda a: (a.get("status") != OPEN, a.get("due_date") or "9999-99-99", a["id"]))
    return rows


# ---------------------------------------------------------------------------- my actions


@dataclass(frozen=True)
class Me:
    """Who "me" is in `owner:me`: the OS user and, when the directory has them, their person."""

    user: str
    person: str | None = None

    def owns(self, owner: Any) -> bool:
        """Is an owner text this user's? The person's name (any case), or the user name itself as a
        word of it ("asha" owns "Asha Patel" and "asha")."""
        text = str(owner or "").strip().lower()
        if not text:
            return False
        if self.person and text == self.person.lower():
            return True
        user = self.user.strip().lower()
        return bool(user) and (text == user or user in _words(text))

    @property
    def label(self) -> str:
        return self.person or self.user


def _words(text: str) -> list[str]:
    return re.findall(r"[\w.-]+", text.lower())


def me_for_user(user: str, people: Iterable[Mapping[str, Any]]) -> Me:
    """The person of the directory an OS user is: the one whose email starts with `user@`, else
    whose name is the user name, else the one person whose first name it is."""
    wanted = user.strip().lower()
    rows = list(people)
    for p in rows:
        email = str(p.get("email") or "").lower()
        if wanted and email.partition("@")[0] == wanted:
            return Me(user, str(p["name"]))
    for p in rows:
        if str(p.get("name") or "").lower() == wanted:
            return Me(user, str(p["name"]))
    first = [p for p in rows if _words(str(p.get("name") or ""))[:1] == [wanted]]
    if len(first) == 1:
        return Me(user, str(first[0]["name"]))
    return Me(user)


# ---------------------------------------------------------------------------- the stand-up


def actions_due_attention(ctx: AttentionContext) -> Section:
    """Stand-up "needs attention" rule: open actions overdue (owner, days overdue) or due today."""
    lines = []
    for state, row in actions_due(ctx.now.get("action", {}).values(), ctx.today):
        owner = row.get("owner") or "no owner"
        text = f"{owner}: {_short(row.get('title'))} — {state.label}"
        if state.state == "overdue":
            text += f" (due {row.get('due_date')})"
        about = split_about(row.get("about"))
        if about is not None:
            text += f"; about {_about_label(ctx, *about)}"
        lines.append(Line(text, "action", int(row["id"]), "bad" if state.state == "overdue" else ""))
    return Section(ACTIONS_DUE, lines)


def _about_label(ctx: AttentionContext, kind: str, record_id: int) -> str:
    if kind in ("project", "milestone"):
        return ctx.names.record(kind, record_id)
    row = ctx.names.row(kind, record_id)
    if row is None:
        return f"{kind.replace('_', ' ')} #{record_id}"
    word = kind.replace("_", " ")
    shown = row.get("title") or row.get("name") or row.get("code")
    return f"{word} #{record_id} {_short(shown, 40)}" if shown else f"{word} #{record_id}"


def _short(text: Any, limit: int = 60) -> str:
    t = " ".join(str(text or "").split())
    return t if len(t) <= limit else t[: limit - 1] + "…"
