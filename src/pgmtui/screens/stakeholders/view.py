"""Stakeholders (key 9) as rows and text, free of textual: the map's cell contents, the register,
the engagement log, the comms plan, the lines above them and one stakeholder's profile. The
screen feeds these to the map, RecordTables and Statics; tests/ui/test_stakeholders_view.py checks
them without an app.

Everything derived (quadrant, gap, last contact, overdue, comms status) comes from
pgmtui.domain.stakeholders, computed once per model in a `Picture`."""

from __future__ import annotations

import shlex
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from pgmtui.domain.riskmap import Cell
from pgmtui.domain.stakeholders import (
    OVERDUE,
    QUADRANTS,
    THIS_WEEK,
    CommsItem,
    Stakeholder,
    Thresholds,
    assess,
    comms_plan,
    week_end,
)
from pgmtui.model import Model
from pgmtui.widgets.attitude import (
    LEGEND,
    OVERDUE_MARK,
    RISK_MARK,
    MapEntry,
    attitude_badge,
    gap_arrow,
)
from pgmtui.widgets.badges import literal
from pgmtui.widgets.cells import Column, Row

VIEWS = ("map", "register", "log", "comms")
VIEW_TITLES = {"map": "Map", "register": "Register", "log": "Log", "comms": "Comms"}
# The log modal: who, then what was said and what comes next; the date (today) and who logs it last.
ENGAGEMENT_FORM_FIELDS = ("stakeholder", "channel", "summary", "next_action", "next_date", "date", "by")
COMMS_STATUS_MARK = {
    OVERDUE: ("! overdue", "bold red"),
    "due today": ("● today", "bold"),
    THIS_WEEK: ("◆ this week", ""),
    "later": ("", ""),
    "unscheduled": ("no date", "dim"),
}


# ---------------------------------------------------------------------- one model, assessed


_PICTURES: weakref.WeakKeyDictionary[Model, Picture] = weakref.WeakKeyDictionary()


class Picture:
    """The model's stakeholders assessed (quadrant, gap, risk, last contact) and its comms plan,
    computed once per model (`Picture.of`): the screen and a profile ask for it on every refresh."""

    @classmethod
    def of(cls, model: Model) -> Picture:
        pic = _PICTURES.get(model)
        if pic is None:
            pic = _PICTURES[model] = cls(model)
        return pic

    def __init__(self, model: Model) -> None:
        self.model = model
        self.today = model.today
        self.thresholds = Thresholds.of(model.programme)
        self.rows: list[dict[str, Any]] = model.rows("stakeholder")
        self.by_id: dict[int, Stakeholder] = assess(
            self.rows, model.rows("engagement"), model.today, self.thresholds
        )
        self.plan: list[CommsItem] = comms_plan(model.rows("communication"), model.today)
        self.names = {s.id: s.name for s in self.by_id.values()}

    @property
    def overdue(self) -> int:
        return sum(1 for s in self.by_id.values() if s.overdue)

    @property
    def risks(self) -> int:
        return sum(1 for s in self.by_id.values() if s.risk)

    def comms_due(self) -> list[CommsItem]:
        return [i for i in self.plan if i.due_this_week]

    def projects_of(self, stakeholder_id: int) -> list[str]:
        ids = self.model.links.get("stakeholder_project", {}).get(stakeholder_id, [])
        return [self.model.project_code(pid) for pid in ids]


# ---------------------------------------------------------------------- the filter


@dataclass(frozen=True)
class StakeholderFilter:
    """What `/` typed: words, `owner:NAME quadrant:manage attitude:blocker project:IAM is:overdue
    is:risk`. Words are looked for in the name, role, organisation and owner (and, on the log and
    the comms plan, in their text)."""

    words: tuple[str, ...] = ()
    owner: str = ""
    quadrant: str = ""
    attitude: str = ""
    project: str = ""
    flags: frozenset[str] = frozenset()  # "overdue", "risk"
    unknown: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.owner or self.quadrant or self.attitude or self.project or self.flags)

    def describe(self) -> str:
        parts = [
            f"{name} {getattr(self, name)}"
            for name in ("owner", "quadrant", "attitude", "project")
            if getattr(self, name)
        ]
        parts += sorted(self.flags)
        if self.words:
            parts.append("“" + " ".join(self.words) + "”")
        return ", ".join(parts)


FILTER_FIELDS = ("owner", "quadrant", "attitude", "project", "is")


def parse_filter(text: str) -> StakeholderFilter:
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unbalanced quote while typing
        tokens = text.replace('"', " ").replace("'", " ").split()
    values: dict[str, str] = {}
    flags: set[str] = set()
    words: list[str] = []
    unknown: list[str] = []
    for token in tokens:
        name, sep, value = token.partition(":")
        name, value = name.lower(), value.strip().lower()
        if sep and name in FILTER_FIELDS:
            if name == "is" and value in ("overdue", "risk"):
                flags.add(value)
            elif name == "is":
                unknown.append(token)
            elif value:
                values[name] = value.replace("_", " ")
        elif sep and name and not name.isdigit():
            unknown.append(token)
        else:
            words.append(token.lower())
    return StakeholderFilter(
        words=tuple(words),
        owner=values.get("owner", ""),
        quadrant=values.get("quadrant", ""),
        attitude=values.get("attitude", ""),
        project=values.get("project", ""),
        flags=frozenset(flags),
        unknown=tuple(unknown),
    )


def matches(row: Mapping[str, Any], flt: StakeholderFilter, pic: Picture) -> bool:
    """Does a stakeholder pass the filter?"""
    if flt.is_empty:
        return True
    s = pic.by_id.get(row["id"])
    if s is None:
        return False
    if flt.owner and flt.owner not in (row.get("owner") or "").lower():
        return False
    if flt.quadrant and flt.quadrant not in s.quadrant.lower():
        return False
    if flt.attitude and not s.attitude.startswith(flt.attitude):
        return False
    if flt.project and flt.project not in (c.lower() for c in pic.projects_of(row["id"])):
        return False
    if "overdue" in flt.flags and not s.overdue:
        return False
    if "risk" in flt.flags and not s.risk:
        return False
    if flt.words:
        fields = ("name", "role", "organisation", "owner")
        haystack = " ".join(str(row.get(f) or "") for f in fields).lower()
        return all(w in haystack for w in flt.words)
    return True


def text_matches(texts: Iterable[Any], flt: StakeholderFilter) -> bool:
    """For the log and the comms plan: every word of the filter in one of `texts`."""
    if not flt.words:
        return True
    haystack = " ".join(str(t or "") for t in texts).lower()
    return all(w in haystack for w in flt.words)


# ---------------------------------------------------------------------- the map


def attention_order(s: Stakeholder) -> tuple[Any, ...]:
    """Who comes first in a cell and a list: risks, then overdue contacts, then the widest gap."""
    return (not s.risk, not s.overdue, -(s.gap or 0), s.name.lower(), s.id)


def cell_of(s: Stakeholder) -> Cell:
    return (min(5, max(1, s.power)), min(5, max(1, s.interest)))


def map_entries(pic: Picture, shown: Iterable[Mapping[str, Any]]) -> dict[Cell, list[MapEntry]]:
    """The names in each cell (power, interest), the ones needing attention first."""
    cells: dict[Cell, list[Stakeholder]] = {}
    for row in shown:
        s = pic.by_id[row["id"]]
        cells.setdefault(cell_of(s), []).append(s)
    return {
        cell: [
            MapEntry(s.id, s.name, s.attitude, s.gap, s.risk, s.overdue)
            for s in sorted(group, key=attention_order)
        ]
        for cell, group in cells.items()
    }


def in_cell(pic: Picture, shown: Iterable[Mapping[str, Any]], cell: Cell) -> list[Stakeholder]:
    return sorted(
        (pic.by_id[r["id"]] for r in shown if cell_of(pic.by_id[r["id"]]) == cell), key=attention_order
    )


def quadrant_of_cell(cell: Cell, t: Thresholds) -> str:
    p, i = cell
    if p >= t.power:
        return QUADRANTS[0] if i >= t.interest else QUADRANTS[1]
    return QUADRANTS[2] if i >= t.interest else QUADRANTS[3]


def cell_title(cell: Cell, n: int, t: Thresholds) -> Text:
    p, i = cell
    out = Text(f"Power {p} × interest {i}", style="bold")
    out.append(f" · {quadrant_of_cell(cell, t)} · {n} stakeholder{'s' if n != 1 else ''}")
    out.append("  enter list · l log", style="dim")
    return out


def legend(t: Thresholds) -> Text:
    """The key under the map (tall terminals; `?` says it too)."""
    out = Text(LEGEND)
    out.append(f" · ↑n steps to go · {RISK_MARK} risk (power ≥ {t.power}, ↑2+) · {OVERDUE_MARK} overdue")
    return out


# ---------------------------------------------------------------------- cells of one stakeholder


def flags_text(s: Stakeholder) -> Text:
    t = Text()
    t.append(RISK_MARK if s.risk else " ", style="bold red")
    t.append(OVERDUE_MARK if s.overdue else " ", style="bold yellow")
    return t


def attitude_text(s: Stakeholder) -> Text:
    """`×B blocker → +S ↑3`: now, the target, the gap."""
    t = attitude_badge(s.attitude, word=True)
    if s.target:
        t.append(" → ")
        t.append_text(attitude_badge(s.target))
        arrow = gap_arrow(s.gap)
        if arrow:
            t.append(f" {arrow}", style="bold red" if s.risk else "bold")
    return t


def last_contact_text(s: Stakeholder) -> Text:
    c = s.contact
    if c.last is None:
        return Text("never", style="bold red" if c.overdue else "dim")
    return Text(f"{c.last.isoformat()} ({c.days_since} d)")


def due_text(s: Stakeholder) -> Text:
    """`! 15 d late`, `due today`, `in 5 d`, or `–` without a cadence."""
    c = s.contact
    if c.cadence is None:
        return Text("–", style="dim")
    if c.overdue:
        return Text("! never" if c.last is None else f"! {c.overdue_days} d late", style="bold red")
    left = (c.cadence - c.days_since) if c.days_since is not None else 0
    return Text("due today", style="bold") if left == 0 else Text(f"in {left} d")


def stakeholder_cells(row: Mapping[str, Any], s: Stakeholder, pic: Picture) -> dict[str, Text | str]:
    return {
        "flags": flags_text(s),
        "name": literal(s.name),
        "organisation": literal(row.get("organisation") or ""),
        "role": literal(row.get("role") or ""),
        "power": str(s.power),
        "interest": str(s.interest),
        "quadrant": s.quadrant,
        "attitude": attitude_text(s),
        "last": last_contact_text(s),
        "due": due_text(s),
        "cadence": f"{s.contact.cadence} d" if s.contact.cadence else "–",
        "owner": literal(s.owner or ""),
        "channel": row.get("channel") or "",
        "projects": ", ".join(pic.projects_of(s.id)),
    }


def stakeholder_sort(s: Stakeholder) -> dict[str, Any]:
    c = s.contact
    return {
        "flags": (not s.risk) * 2 + (not s.overdue),
        "power": -s.power,
        "interest": -s.interest,
        "quadrant": QUADRANTS.index(s.quadrant),
        "attitude": -(s.gap or 0),
        "last": c.days_since if c.last is not None else -1,
        # Most overdue first, then due soonest; no cadence last.
        "due": None
        if c.cadence is None
        else (-(c.overdue_days or 10**6) if c.overdue else (c.cadence - (c.days_since or 0))),
        "cadence": c.cadence,
    }


class StakeholderRows:
    """Rows reused while neither the stakeholder's row nor its assessment changed (a live change
    to one engagement re-renders one stakeholder, not the register)."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[Mapping[str, Any], Stakeholder, tuple[str, ...], Row]] = {}

    def row(self, record: Mapping[str, Any], pic: Picture) -> Row:
        s = pic.by_id[record["id"]]
        projects = tuple(pic.projects_of(s.id))
        cached = self._rows.get(s.id)
        if cached is not None and cached[0] is record and cached[1] == s and cached[2] == projects:
            return cached[3]
        made = Row(s.id, stakeholder_cells(record, s, pic), stakeholder_sort(s))
        self._rows[s.id] = (record, s, projects, made)
        return made


def _attention_sorted(pic: Picture, shown: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(shown, key=lambda r: attention_order(pic.by_id[r["id"]]))


CELL_COLUMNS = (
    Column("flags", "", width=2, sortable=False),
    Column("name", "Stakeholder", flex=True, min_width=12, max_width=40),
    Column("attitude", "Attitude → wanted", width=22),
    Column("last", "Last contact", width=17),
    Column("due", "Next due", width=11),
    Column("owner", "Owner", min_screen=100, max_width=18),
    Column("role", "Role", min_screen=150, max_width=24),
)


def cell_rows(cache: StakeholderRows, pic: Picture, in_this_cell: Sequence[Stakeholder]) -> list[Row]:
    by_id = {r["id"]: r for r in pic.rows}
    return [cache.row(by_id[s.id], pic) for s in in_this_cell]


REGISTER_COLUMNS = (
    Column("flags", "", width=2),
    Column("name", "Stakeholder", flex=True, min_width=12, max_width=36),
    Column("organisation", "Organisation", min_screen=140, max_width=22),
    Column("role", "Role", min_screen=150, max_width=24),
    Column("power", "P", width=1, numeric=True),
    Column("interest", "I", width=1, numeric=True),
    Column("quadrant", "Quadrant", min_screen=100, width=14),
    Column("attitude", "Attitude → wanted", width=22),
    Column("last", "Last contact", min_screen=90, width=17),
    Column("due", "Next due", width=11),
    Column("cadence", "Cadence", min_screen=130, width=7),
    Column("owner", "Owner", min_screen=130, max_width=18),
    Column("channel", "Channel", min_screen=170, width=8),
    Column("projects", "Projects", min_screen=160, max_width=20),
)


def register_rows(cache: StakeholderRows, pic: Picture, shown: Iterable[Mapping[str, Any]]) -> list[Row]:
    """Every stakeholder the filter keeps, risks and overdue contacts first (the table applies
    the user's sort)."""
    return [cache.row(r, pic) for r in _attention_sorted(pic, shown)]


# ---------------------------------------------------------------------- the engagement log

LOG_COLUMNS = (
    Column("date", "Date", width=10),
    Column("stakeholder", "Stakeholder", max_width=22),
    Column("channel", "Channel", width=8, min_screen=90),
    Column("summary", "Summary", flex=True, min_width=16),
    Column("next_action", "Next action", min_screen=110, max_width=28),
    Column("next_date", "Next date", width=10, min_screen=130),
    Column("by", "By", min_screen=150, max_width=16),
)
# One stakeholder's log (the profile): the same without the stakeholder column.
PROFILE_LOG_COLUMNS = tuple(c for c in LOG_COLUMNS if c.key != "stakeholder")


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


class EngagementRows:
    """Log rows reused while the engagement's row and its stakeholder's name are unchanged."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple[Mapping[str, Any], str, Row]] = {}

    def row(self, e: Mapping[str, Any], pic: Picture) -> Row:
        name = pic.names.get(e.get("stakeholder_id") or 0, "?")
        cached = self._rows.get(e["id"])
        if cached is not None and cached[0] is e and cached[1] == name:
            return cached[2]
        cells: dict[str, Text | str] = {
            "date": e.get("date") or "",
            "stakeholder": literal(name),
            "channel": e.get("channel") or "",
            "summary": literal(_one_line(e.get("summary"))),
            "next_action": literal(e.get("next_action") or ""),
            "next_date": e.get("next_date") or "",
            "by": literal(e.get("by") or ""),
        }
        made = Row(e["id"], cells, {"date": e.get("date") or None})
        self._rows[e["id"]] = (e, name, made)
        return made


def newest_first(engagements: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(engagements, key=lambda e: (str(e.get("date") or ""), e["id"]), reverse=True)


LOG_LIMIT = 500  # the log lists the latest engagements; the filter searches them all


def log_rows(
    cache: EngagementRows,
    pic: Picture,
    flt: StakeholderFilter,
    kept: set[int] | None = None,
    limit: int = LOG_LIMIT,
) -> tuple[list[Row], int]:
    """The latest `limit` engagements, newest first, of the stakeholders the filter keeps
    (`kept`) whose text holds the filter's words (the stakeholder's name counts); and how many
    engagements match in all."""
    out: list[Row] = []
    matched = 0
    for e in newest_first(pic.model.rows("engagement")):
        sid = e.get("stakeholder_id")
        if kept is not None and sid not in kept:
            continue
        if flt.words:
            texts = (
                pic.names.get(sid or 0),
                e.get("summary"),
                e.get("next_action"),
                e.get("by"),
                e.get("channel"),
            )
            if not text_matches(texts, flt):
                continue
        matched += 1
        if len(out) < limit:
            out.append(cache.row(e, pic))
    return out, matched


def log_title(shown: int, matched: int) -> Text:
    t = Text(f"Engagement log, newest first: {matched} engagement{'s' if matched != 1 else ''}", style="bold")
    if shown < matched:
        t.append(f" (the latest {shown}; / searches them all)")
    t.append("  l log · e edit · enter profile", style="dim")
    return t


def profile_log_rows(cache: EngagementRows, pic: Picture, stakeholder_id: int) -> list[Row]:
    mine = (e for e in pic.model.rows("engagement") if e.get("stakeholder_id") == stakeholder_id)
    return [cache.row(e, pic) for e in newest_first(mine)]


# ---------------------------------------------------------------------- the comms plan

COMMS_COLUMNS = (
    Column("status", "Status", width=11),
    Column("next_due", "Next due", width=10),
    Column("audience", "Audience", max_width=18),
    Column("message", "Message", flex=True, min_width=20),
    Column("channel", "Channel", width=8, min_screen=100),
    Column("every", "Every", width=6, min_screen=110, numeric=True),
    Column("owner", "Owner", min_screen=120, max_width=18),
)


def comms_rows(pic: Picture, flt: StakeholderFilter) -> list[Row]:
    rows = []
    for item in pic.plan:
        if flt.owner and flt.owner not in (item.owner or "").lower():
            continue
        if not text_matches((item.audience, item.message, item.owner, item.channel), flt):
            continue
        label, style = COMMS_STATUS_MARK[item.status]
        if item.status == OVERDUE:
            label = f"! {item.days_late} d late"
        cells: dict[str, Text | str] = {
            "status": Text(label, style=style),
            "next_due": item.next_due.isoformat() if item.next_due else "",
            "audience": literal(item.audience),
            "message": literal(item.message),
            "channel": item.channel or "",
            "every": f"{item.frequency_days} d" if item.frequency_days else "once",
            "owner": literal(item.owner or ""),
        }
        sort = {"status": ("overdue", "due today", "this week", "later", "unscheduled").index(item.status)}
        rows.append(Row(item.id, cells, sort))
    return rows


def comms_title(pic: Picture) -> Text:
    due = pic.comms_due()
    late = sum(1 for i in due if i.status == OVERDUE)
    out = Text(f"Due this week (to {week_end(pic.today).format('ddd D MMM')}): {len(due)}", style="bold")
    if late:
        out.append(f" · ! {late} overdue", style="bold red")
    out.append("  m sent · n new · e edit", style="dim")
    return out


# ---------------------------------------------------------------------- the lines above the views


def views_bar(pic: Picture, view: str, counts: Mapping[str, int]) -> Text:
    """`▸Map  Register 20  Log 143  Comms 6   v: next view`."""
    t = Text()
    for name in VIEWS:
        label = VIEW_TITLES[name] + (f" {counts[name]}" if name in counts else "")
        if name == view:
            t.append(f" ▸{label} ", style="bold reverse")
        else:
            t.append(f"  {label} ")
    t.append("   v: next view", style="dim")
    return t


def summary(pic: Picture, flt: StakeholderFilter, shown: int, width: int = 80) -> Text:
    """`20 stakeholders · * 4 overdue · ! 2 risks · comms due this week 5 (2 late)` and the filter
    (words spelt out on wide terminals)."""
    wide = width >= 110
    t = Text(f"{shown} stakeholder{'s' if shown != 1 else ''}", style="bold")
    overdue, risks = pic.overdue, pic.risks
    t.append(" · ")
    t.append(
        f"{OVERDUE_MARK} {overdue} {'not engaged within cadence' if wide else 'overdue'}",
        style="bold yellow" if overdue else "",
    )
    t.append(" · ")
    t.append(f"{RISK_MARK} {risks} risk{'s' if risks != 1 else ''}", style="bold red" if risks else "")
    due = pic.comms_due()
    late = sum(1 for i in due if i.status == OVERDUE)
    t.append(f" · comms due this week {len(due)}")
    if late:
        t.append(f" ({late} {'overdue' if wide else 'late'})", style="bold red")
    if not flt.is_empty:
        t.append("  filter: ", style="bold")
        t.append(flt.describe())
    if flt.unknown:
        t.append(f"  (ignored: {' '.join(flt.unknown)})", style="bold red")
    return t


def first_cell(pic: Picture) -> Cell | None:
    """Where the map's cursor starts: the cell of the stakeholder needing attention most."""
    if not pic.by_id:
        return None
    return cell_of(min(pic.by_id.values(), key=attention_order))


# ---------------------------------------------------------------------- one stakeholder


def profile_text(row: Mapping[str, Any], s: Stakeholder, pic: Picture) -> Text:
    """The profile's heading: who, the quadrant, attitude → wanted, risk, contact against cadence."""
    t = Text()
    t.append(s.name, style="bold")
    who = " · ".join(str(row.get(f)) for f in ("role", "organisation") if row.get(f))
    if who:
        t.append(" — ")
        t.append(who)
    t.append(f"\nPower {s.power} × interest {s.interest}: {s.quadrant}")
    projects = pic.projects_of(s.id)
    if projects:
        t.append(" · projects " + ", ".join(projects))
    t.append("\nAttitude ")
    t.append_text(attitude_text(s))
    if s.risk:
        t.append(f"  {RISK_MARK} risk: high power, {s.gap} steps from the attitude wanted", style="bold red")
    t.append("\nLast contact ")
    t.append_text(last_contact_text(s))
    c = s.contact
    if c.cadence is not None:
        t.append(f" · cadence {c.cadence} d · next due ")
        t.append_text(due_text(s))
        if c.due is not None and not c.overdue:
            t.append(f" ({c.due.isoformat()})")
    else:
        t.append(" · no cadence set", style="dim")
    t.append(" · owner ")
    t.append(s.owner or "–")
    if row.get("channel"):
        t.append(f" · prefers {row['channel']}")
    if s.last and (s.last.next_action or s.last.next_date):
        t.append("\nNext: ")
        t.append(s.last.next_action or "–")
        if s.last.next_date:
            late = s.last.next_date.toordinal() < pic.today.toordinal()
            t.append(f" by {s.last.next_date.isoformat()}", style="bold red" if late else "")
    if row.get("note"):
        t.append("\n")
        t.append(_one_line(row["note"]), style="italic")
    return t


def engagement_defaults(row: Mapping[str, Any], pic: Picture, by: str) -> dict[str, Any]:
    """A new engagement: the stakeholder, today, their preferred channel, and who logs it."""
    return {
        "stakeholder": row["name"],
        "date": pic.today.isoformat(),
        "channel": row.get("channel") or "meeting",
        "by": by,
    }


def attitude_history(audit: Iterable[Mapping[str, Any]]) -> Text:
    """Attitude (and target) changes read back from the audit trail, oldest first, who and when."""
    from pgmtui.domain.history import parse_changes

    t = Text()
    for a in sorted(audit, key=lambda a: (str(a.get("ts")), a.get("id") or 0)):
        changes = parse_changes(a.get("changes"))
        parts = []
        for name, label in (("attitude", "attitude"), ("target_attitude", "wanted")):
            if name in changes:
                old, new = changes[name]
                if a.get("action") == "insert":
                    parts.append(f"{label} {new or '–'}")
                elif old != new:
                    parts.append(f"{label} {old or '–'} → {new or '–'}")
        if parts:
            if t:
                t.append("\n")
            t.append(f"{str(a.get('ts') or '')[:10]}  ", style="dim")
            t.append("; ".join(parts) + ("  (first recorded)" if a.get("action") == "insert" else ""))
            t.append(f"  — {a.get('user')}", style="dim")
    return t or Text("No attitude recorded in the audit trail.", style="dim")
