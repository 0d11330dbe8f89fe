"""The stand-up diff: what changed since a moment, grouped and in plain language, and what needs
attention today. Pure: it takes rows and audit rows, never touches the database or the screen.

Computed facts (RAG, dependency slack, risk scores) are not stored, so they cannot be read from the
audit trail directly. Instead the tables are rewound to the window start (``history.rewind``) and
the same rules are run on "then" and "now"; the differences are what a programme manager means by
"what changed".
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui.domain.calendar import add_working_days
from pgmtui.domain.capacity import (
    DEFAULT_LOOKAHEAD_WEEKS,
    allocations_of,
    over_allocations,
    people_of,
    week_label,
)
from pgmtui.domain.deps import LATE, build_network, propagate
from pgmtui.domain.finance import impact_text
from pgmtui.domain.followup import ACTIONS_DUE, actions_due_attention
from pgmtui.domain.governance import DUE_SOON_DAYS, gates_due_without_review
from pgmtui.domain.history import parse_changes
from pgmtui.domain.history import rewind as history_rewind
from pgmtui.domain.models import Snapshot, as_date
from pgmtui.domain.rag import RAG_WORDS
from pgmtui.domain.risk import DEFAULT_BANDS, inherent_score, residual_score
from pgmtui.domain.rollup import ProgrammeRollup, rollup
from pgmtui.domain.stakeholders import (
    assess,
    comms_plan,
    overdue_comms,
    overdue_comms_text,
    overdue_contacts,
    overdue_text,
)
from pgmtui.domain.text import join_clauses, shorten_at_word

__all__ = [
    "ATTENTION",
    "OVER_ALLOCATED",
    "SECTIONS",
    "Line",
    "Section",
    "Standup",
    "rewind",
    "standup_diff",
]

TABLES = (
    "project",
    "milestone",
    "dependency",
    "risk",
    "issue",
    "assumption",
    "decision",
    "benefit",
    "measurement",
    "person",
    "allocation",
    "cost",
    "change_request",
    "objective",
    "contribution",
    "business_case",
    "gate_review",
    "stakeholder",
    "engagement",
    "communication",
    "action",
    "lesson",
)

# Sections in the order they are shown.
RAG, PROJECTS, RISKS, MILESTONES, DEPENDENCIES, MEASUREMENTS, RAID, CHANGE_REQUESTS, WHO = (
    "RAG changes",
    "Projects",
    "Risks",
    "Milestones",
    "Dependencies",
    "Measurements recorded",
    "Issues, decisions and assumptions",
    "Change requests",
    "Who changed what",
)
SECTIONS = (RAG, PROJECTS, RISKS, MILESTONES, DEPENDENCIES, MEASUREMENTS, RAID, CHANGE_REQUESTS, WHO)
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


@dataclass(frozen=True, slots=True)
class Line:
    """One statement of the stand-up, e.g. "IAM Amber → Red: schedule …", and the record it is about."""

    text: str
    kind: str | None = None  # record kind to open with `enter` (None: nothing to open)
    record_id: int | None = None
    tone: str = ""  # "bad" (worse), "good" (better), "" (neutral): for colour, never the only signal
    users: tuple[str, ...] = ()
    when: str | None = None  # audit timestamp of the (last) change

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "id": self.record_id,
            "tone": self.tone,
            "users": list(self.users),
            "when": self.when,
        }


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "lines": [line.to_json() for line in self.lines]}


@dataclass(frozen=True, slots=True)
class Standup:
    today: pendulum.Date
    since: str  # audit timestamp (UTC ISO) the window starts at
    window: str  # in words: "since Fri 20 Nov" …
    changes: list[Section]
    attention: list[Section]
    n_audit_rows: int = 0

    @property
    def change_count(self) -> int:
        return sum(len(s.lines) for s in self.changes if s.title != WHO)

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "since": self.since,
            "window": self.window,
            "audit_rows": self.n_audit_rows,
            "changes": [s.to_json() for s in self.changes],
            "attention": [s.to_json() for s in self.attention],
        }

    def to_text(self, width: int | None = None) -> str:
        """Plain text for a terminal, a chat post or a cron mail: what needs attention today first,
        then what changed. With ``width``, long lines wrap under their bullet (hanging indent)."""
        out = [f"Stand-up {self.today.isoformat()} — changes {self.window}", "", "Needs attention today:"]
        if not any(s.lines for s in self.attention):
            out.append("  Nothing.")
        for s in self.attention:
            if s.lines:
                out.append(f"  {s.title}:")
                out.extend(_bullet(f"    - {line.text}", width) for line in s.lines)
        out.append("")
        out.append(f"What changed {self.window}:")
        if not any(s.lines for s in self.changes):
            out.append("  Nothing changed in this window.")
        for s in self.changes:
            if s.lines:
                out.append(f"  {s.title}:")
                out.extend(_bullet(f"    - {line.text}{_by(line)}", width) for line in s.lines)
        return "\n".join(out)


def _bullet(text: str, width: int | None) -> str:
    """``"    - long text"`` wrapped to ``width`` with its continuation lines under the text, not
    under the bullet (and never at column 1); words are never cut."""
    if width is None or len(text) <= width:
        return text
    body = text.lstrip(" ")
    indent = " " * (len(text) - len(body) + 2)  # "- " is two columns
    return textwrap.fill(
        text,
        width=max(width, len(indent) + 20),
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _by(line: Line) -> str:
    return f"  ({', '.join(line.users)})" if line.users else ""


# ---------------------------------------------------------------------------- helpers


def _days(n: int) -> str:
    return f"{n:+d} d" if n else "0 d"


def _fmt_date(d: pendulum.Date | None) -> str:
    return d.isoformat() if d is not None else "no date"


def _score_text(row: Mapping[str, Any] | None) -> str:
    if row is None:
        return "–"
    s = residual_score(row)
    band = DEFAULT_BANDS.band(s) if s is not None else None
    return f"{s if s is not None else '–'} ({band or '–'})"


def _finish(row: Mapping[str, Any] | None) -> pendulum.Date | None:
    if row is None:
        return None
    return (
        as_date(row.get("actual_date"))
        or as_date(row.get("forecast_date"))
        or as_date(row.get("baseline_date"))
    )


def _short(text: Any, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, cut at a word (never mid-word) with "…"."""
    return shorten_at_word(text, limit)


def _whole(text: Any) -> str:
    """A reason in full, on one line: override reasons are never cut (the screen wraps them)."""
    return " ".join(str(text or "").split())


class _Names:
    """Labels for records, looked up in now and then (a deleted record keeps its name)."""

    def __init__(
        self,
        now: Mapping[str, Mapping[int, Mapping[str, Any]]],
        then: Mapping[str, Mapping[int, Mapping[str, Any]]],
    ):
        self.now, self.then = now, then

    def row(self, kind: str, rid: int | None) -> Mapping[str, Any] | None:
        if rid is None:
            return None
        return self.now.get(kind, {}).get(rid) or self.then.get(kind, {}).get(rid)

    def code(self, pid: int | None) -> str:
        r = self.row("project", pid)
        return str(r.get("code") or f"#{pid}") if r else "programme"

    def milestone(self, mid: int | None) -> str:
        r = self.row("milestone", mid)
        if r is None:
            return f"milestone #{mid}"
        return f"{self.code(r.get('project_id'))}:{r.get('name')}"

    def record(self, kind: str, rid: int) -> str:
        r = self.row(kind, rid) or {}
        if kind == "project":
            return str(r.get("code") or f"#{rid}")
        if kind == "milestone":
            return self.milestone(rid)
        if kind == "benefit":
            return str(r.get("name") or f"#{rid}")
        if kind == "dependency":
            return f"{self.milestone(r.get('supplier_id'))} → {self.milestone(r.get('consumer_id'))}"
        title = r.get("title")
        where = self.code(r.get("project_id")) if r else ""
        return f"#{rid} {_short(title)} ({where})" if title else f"{kind} #{rid}"


def rewind(
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    programme: Mapping[str, Any] | None,
    benefit_links: Mapping[int, list[int]],
    audit_rows: Iterable[Mapping[str, Any]],
    *,
    links: Mapping[str, Mapping[int, list[int]]] | None = None,
) -> tuple[dict[str, dict[int, dict[str, Any]]], dict[str, Any] | None, dict[int, list[int]]]:
    """Every table (all of TABLES), the programme row and the benefit→project links as they were
    before ``audit_rows`` (the one rewind: pgmtui.domain.history).

    Rows of tables with link lists (LINKED) carry them as a field: then["benefit"][id]["projects"],
    then["stakeholder"][id]["projects"] (from ``links["stakeholder_project"]`` now, rewound)."""
    then, prog_then, links_then = history_rewind(
        {t: tables.get(t, []) for t in TABLES},
        programme,
        benefit_links,
        audit_rows,
        links=links,
        table_names=TABLES,
    )
    return {t: then.get(t, {}) for t in TABLES}, prog_then, links_then


def _rollup_of(
    tables: Mapping[str, Mapping[int, Mapping[str, Any]]], programme: Any, links: Any, day: pendulum.Date
) -> ProgrammeRollup:
    snap = Snapshot.from_rows(programme, {t: list(rows.values()) for t, rows in tables.items()}, links)
    return rollup(snap, day)


# ---------------------------------------------------------------------------- the diff


def standup_diff(
    *,
    today: pendulum.Date,
    since: str,
    window: str,
    programme: Mapping[str, Any] | None,
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    benefit_links: Mapping[int, list[int]],
    audit_rows: Iterable[Mapping[str, Any]],
    note_updated: Mapping[int, str] | None = None,
    now_rollup: ProgrammeRollup | None = None,
    links: Mapping[str, Mapping[int, list[int]]] | None = None,
) -> Standup:
    """What changed since ``since`` (audit rows with ts ≥ since), and what needs attention ``today``.

    ``tables`` are the rows now (table → rows, as the store reads them), ``audit_rows`` the audit rows
    of the window, ``note_updated`` project id → timestamp of the last change of its status note
    (from the whole audit trail). ``now_rollup`` may be passed when the caller already has it;
    ``links`` are the other link tables (store.read_all's "links"), rewound with their owners.
    """
    audit = sorted(audit_rows, key=lambda a: (str(a.get("ts")), a.get("id") or 0))
    now = {t: {int(r["id"]): dict(r) for r in tables.get(t, [])} for t in TABLES}
    then, prog_then, links_then = rewind(tables, programme, benefit_links, audit, links=links)
    names = _Names(now, then)
    since_day = as_date(since) or today

    r_now = now_rollup or _rollup_of(now, programme, benefit_links, today)
    r_then = _rollup_of(then, prog_then, links_then, since_day)

    touched: dict[tuple[str, int], list[Mapping[str, Any]]] = defaultdict(list)
    for a in audit:
        touched[(str(a.get("tbl")), int(a["row_id"]))].append(a)

    def users(kind: str, rid: int) -> tuple[str, ...]:
        return tuple(dict.fromkeys(str(a.get("user")) for a in touched.get((kind, rid), [])))

    def last_ts(kind: str, rid: int) -> str | None:
        rows = touched.get((kind, rid))
        return str(rows[-1].get("ts")) if rows else None

    def line(
        text: str, kind: str | None, rid: int | None, tone: str = "", who: tuple[str, ...] | None = None
    ) -> Line:
        if who is None and kind is not None and rid is not None:
            who = users(kind, rid)
        return Line(
            text, kind, rid, tone, who or (), last_ts(kind, rid) if kind and rid is not None else None
        )

    changes: dict[str, list[Line]] = {title: [] for title in SECTIONS}
    changes[RAG] = _rag_changes(r_then, r_now, programme, line)
    changes[PROJECTS] = _project_changes(touched, then, now, names, line)
    changes[RISKS] = _risk_changes(touched, then, now, names, line)
    changes[MILESTONES] = _milestone_changes(touched, then, now, names, line, r_then)
    changes[DEPENDENCIES] = _dependency_changes(then, now, names, line, r_then, r_now)
    changes[MEASUREMENTS] = _measurement_changes(touched, then, now, names, line)
    changes[RAID] = _raid_changes(touched, then, now, names, line)
    changes[CHANGE_REQUESTS] = _change_request_changes(touched, then, now, names, line)
    changes[WHO] = _who(audit)

    attention = needs_attention(today, now, r_now, names, note_updated or {}, programme=programme)
    return Standup(
        today=today,
        since=since,
        window=window,
        changes=[Section(t, changes[t]) for t in SECTIONS],
        attention=attention,
        n_audit_rows=len(audit),
    )


def _rag_changes(r_then: ProgrammeRollup, r_now: ProgrammeRollup, programme: Any, line) -> list[Line]:
    out: list[Line] = []

    def describe(old, new) -> str:
        reasons = []
        if new.overridden and (not old or old.override != new.override or old.reason != new.reason):
            reasons.append(f"override {new.override}: {_whole(new.reason)} (evidence says {new.computed})")
        elif old is not None and old.overridden and not new.overridden:
            reasons.append(f"override removed (evidence says {new.computed})")
        old_ev = {e.dimension: e for e in (old.evidence if old else [])}
        for e in new.evidence:
            o = old_ev.get(e.dimension)
            if (o is None or o.rag != e.rag) and e.rag in ("A", "R"):
                was = f"{o.rag or '–'} → " if o is not None else ""
                reasons.append(f"{e.dimension} {was}{e.rag}: {e.text}")
            elif o is not None and o.rag in ("A", "R") and e.rag == "G":
                reasons.append(f"{e.dimension} {o.rag} → G: {e.text}")
        return join_clauses(reasons) or "evidence unchanged"

    def word(rag: str | None) -> str:
        return RAG_WORDS.get(rag or "", "no rating")

    if r_then.rag.final != r_now.rag.final and (programme is not None):
        tone = _tone(r_then.rag.final, r_now.rag.final)
        text = f"Programme {word(r_then.rag.final)} → {word(r_now.rag.final)}: " + (
            f"override: {_whole(r_now.rag.reason)}"
            if r_now.rag.overridden
            else "; ".join(e.text for e in r_now.rag.evidence)
        )
        out.append(line(text, "programme", programme.get("id"), tone))
    then_by = {p.project_id: p for p in r_then.projects}
    for p in r_now.projects:
        old = then_by.get(p.project_id)
        if old is None:
            out.append(line(f"{p.code} new project, {word(p.rag.final)}", "project", p.project_id))
            continue
        if old.rag.final != p.rag.final:
            tone = _tone(old.rag.final, p.rag.final)
            text = f"{p.code} {word(old.rag.final)} → {word(p.rag.final)}{'*' if p.rag.overridden else ''}: {describe(old.rag, p.rag)}"
            out.append(line(text, "project", p.project_id, tone))
    return out


def _tone(old: str | None, new: str | None) -> str:
    rank = {"G": 0, "A": 1, "R": 2}
    a, b = rank.get(old or "", -1), rank.get(new or "", -1)
    return "bad" if b > a else "good" if b < a else ""


def _project_changes(touched, then, now, names: _Names, line) -> list[Line]:
    out: list[Line] = []
    for (kind, pid), _rows in touched.items():
        if kind != "project":
            continue
        old, new = then["project"].get(pid), now["project"].get(pid)
        code = names.code(pid)
        if old is None and new is not None:
            out.append(line(f"{code} added: {_short(new.get('name'))}", "project", pid))
            continue
        if new is None:
            if old is not None:
                out.append(
                    line(
                        f"{code} deleted ({_short(old.get('name'))})",
                        None,
                        None,
                        "bad",
                        tuple(dict.fromkeys(str(a.get("user")) for a in _rows)),
                    )
                )
            continue
        parts = []
        fo, fn = as_date(old.get("forecast_end")), as_date(new.get("forecast_end"))
        if fo != fn:
            delta = f" ({_days(fn.toordinal() - fo.toordinal())})" if fo and fn else ""
            parts.append(f"forecast end {_fmt_date(fo)} → {_fmt_date(fn)}{delta}")
        if old.get("percent_complete") != new.get("percent_complete"):
            parts.append(
                f"complete {_pct(old.get('percent_complete'))} → {_pct(new.get('percent_complete'))}"
            )
        if old.get("actual_cost") != new.get("actual_cost"):
            parts.append(f"actual cost {_money(old.get('actual_cost'))} → {_money(new.get('actual_cost'))}")
        if old.get("budget") != new.get("budget"):
            parts.append(f"budget {_money(old.get('budget'))} → {_money(new.get('budget'))}")
        if old.get("baseline_end") != new.get("baseline_end"):
            parts.append(f"baseline end {old.get('baseline_end') or '–'} → {new.get('baseline_end') or '–'}")
        if old.get("contingency") != new.get("contingency") and old.get("contingency") is not None:
            parts.append(f"contingency {_money(old.get('contingency'))} → {_money(new.get('contingency'))}")
        if old.get("stage") != new.get("stage"):
            parts.append(f"stage {old.get('stage')} → {new.get('stage')}")
        if old.get("status_note") != new.get("status_note") and new.get("status_note"):
            parts.append(f"note: “{_short(new.get('status_note'), 80)}”")
        if old.get("rag_override") != new.get("rag_override"):
            parts.append(
                f"RAG override set to {new['rag_override']}"
                if new.get("rag_override")
                else "RAG override removed"
            )
        if parts:
            tone = ""
            if fo and fn:
                tone = "bad" if fn > fo else "good" if fn < fo else ""
            out.append(line(f"{code}: " + "; ".join(parts), "project", pid, tone))
    return out


def _pct(v: Any) -> str:
    return "–" if v is None else f"{float(v):.0f} %"


def _money(v: Any) -> str:
    return "–" if v is None else format(round(float(v)), ",d").replace(",", " ")


def _risk_changes(touched, then, now, names: _Names, line) -> list[Line]:
    out: list[Line] = []
    for (kind, rid), rows in touched.items():
        if kind != "risk":
            continue
        old, new = then["risk"].get(rid), now["risk"].get(rid)
        label = names.record("risk", rid)
        if old is None and new is not None:
            s = residual_score(new)
            tone = "bad" if s is not None and s >= DEFAULT_BANDS.high_min else ""
            owner = f", owner {new['owner']}" if new.get("owner") else ""
            out.append(line(f"New risk {label}: score {_score_text(new)}{owner}", "risk", rid, tone))
            continue
        if new is None:
            if old is not None:
                who = tuple(dict.fromkeys(str(a.get("user")) for a in rows))
                out.append(line(f"Deleted risk {label} (was {_score_text(old)})", None, None, "", who))
            continue
        parts = []
        tone = ""
        if old.get("status") != new.get("status"):
            if new.get("status") == "closed":
                parts.append("closed")
                tone = "good"
            else:
                parts.append(f"re-opened ({new.get('status')})")
                tone = "bad"
        so, sn = residual_score(old), residual_score(new)
        io, inn = inherent_score(old), inherent_score(new)
        if so != sn:
            arrow = "↑" if (sn or 0) > (so or 0) else "↓"
            parts.append(f"re-scored {_score_text(old)} → {_score_text(new)} {arrow}")
            tone = tone or ("bad" if (sn or 0) > (so or 0) else "good")
        elif io != inn:
            parts.append(f"inherent score {io} → {inn} (residual unchanged at {sn})")
        if old.get("owner") != new.get("owner") and new.get("owner"):
            parts.append(f"owner now {new['owner']}")
        if old.get("proximity") != new.get("proximity") and new.get("proximity"):
            parts.append(f"proximity {old.get('proximity') or '–'} → {new['proximity']}")
        if parts:
            out.append(line(f"Risk {label} " + "; ".join(parts), "risk", rid, tone))
    return out


def _milestone_changes(touched, then, now, names: _Names, line, r_then: ProgrammeRollup) -> list[Line]:
    out: list[Line] = []
    moved: dict[int, int] = {}
    items: list[tuple[int, str, str]] = []
    for (kind, mid), rows in touched.items():
        if kind != "milestone":
            continue
        old, new = then["milestone"].get(mid), now["milestone"].get(mid)
        label = names.milestone(mid)
        if old is None and new is not None:
            items.append((mid, f"{label} added, due {_fmt_date(_finish(new))}", ""))
            continue
        if new is None:
            if old is not None:
                who = tuple(dict.fromkeys(str(a.get("user")) for a in rows))
                out.append(line(f"{label} deleted", None, None, "", who))
            continue
        if not old.get("actual_date") and new.get("actual_date"):
            items.append((mid, f"{label} achieved on {new['actual_date']}", "good"))
            continue
        fo, fn = _finish(old), _finish(new)
        if fo != fn and fo is not None and fn is not None:
            d = fn.toordinal() - fo.toordinal()
            moved[mid] = d
            items.append(
                (
                    mid,
                    f"{label} forecast moved {_days(d)} ({fo.isoformat()} → {fn.isoformat()})",
                    "bad" if d > 0 else "good",
                )
            )
        elif fo != fn:
            items.append((mid, f"{label} date {_fmt_date(fo)} → {_fmt_date(fn)}", ""))
    knock: dict[int, str] = {}
    if moved:
        snap_then = Snapshot.from_rows(
            None,
            {"milestone": list(then["milestone"].values()), "dependency": list(then["dependency"].values())},
        )
        net = build_network(snap_then.milestones, snap_then.dependencies)
        for mid, d in moved.items():
            if d <= 0:
                continue
            impact = propagate(net, {mid: d})
            own = then["milestone"].get(mid, {}).get("project_id")
            hits = [h for h in impact.hits if h.milestone_id not in moved and h.project_id != own]
            if hits:
                hits.sort(key=lambda h: (-h.days, h.milestone_id))
                shown = ", ".join(f"{names.milestone(h.milestone_id)} {_days(h.days)}" for h in hits[:3])
                more = f" and {len(hits) - 3} more" if len(hits) > 3 else ""
                knock[mid] = f"; knocks on {shown}{more}"
            elif impact.end_change_days > 0:
                knock[mid] = f"; moves the programme end {_days(impact.end_change_days)}"
    for mid, text, tone in items:
        out.append(line(text + knock.get(mid, ""), "milestone", mid, tone))
    return out


def _dependency_changes(
    then, now, names: _Names, line, r_then: ProgrammeRollup, r_now: ProgrammeRollup
) -> list[Line]:
    out: list[Line] = []
    old = {d.dependency_id: d for d in r_then.dependencies}
    for d in r_now.dependencies:
        o = old.get(d.dependency_id)
        label = f"{names.milestone(d.supplier_id)} → {names.milestone(d.consumer_id)}"
        if d.status == LATE and (o is None or o.status != LATE):
            out.append(
                line(
                    f"{label} turned late: {-(d.slack or 0)} d late" + ("" if o else " (new dependency)"),
                    "dependency",
                    d.dependency_id,
                    "bad",
                )
            )
        elif (
            d.status == LATE
            and o is not None
            and o.slack is not None
            and d.slack is not None
            and d.slack < o.slack
        ):
            out.append(
                line(
                    f"{label} later still: {-o.slack} → {-d.slack} d late",
                    "dependency",
                    d.dependency_id,
                    "bad",
                )
            )
        elif o is not None and o.status == LATE and d.status != LATE:
            out.append(line(f"{label} no longer late ({d.status})", "dependency", d.dependency_id, "good"))
        elif o is None:
            out.append(line(f"New dependency {label} ({d.status})", "dependency", d.dependency_id))
    return out


def _measurement_changes(touched, then, now, names: _Names, line) -> list[Line]:
    out: list[Line] = []
    for (kind, rid), _rows in touched.items():
        if kind != "measurement":
            continue
        old, new = then["measurement"].get(rid), now["measurement"].get(rid)
        if new is None:
            continue
        b = names.row("benefit", new.get("benefit_id")) or {}
        unit = f" {b.get('unit')}" if b.get("unit") else ""
        bname = names.record("benefit", new.get("benefit_id"))
        note = f" — {_short(new.get('note'))}" if new.get("note") else ""
        verb = "recorded" if old is None else "corrected"
        out.append(
            line(
                f"{bname}: {_num(new.get('value'))}{unit} on {new.get('date')} {verb}{note}",
                "benefit",
                new.get("benefit_id"),
                "",
                _users_of("measurement", rid, touched),
            )
        )
    return out


def _users_of(kind: str, rid: int, touched) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(a.get("user")) for a in touched.get((kind, rid), [])))


def _num(v: Any) -> str:
    if v is None:
        return "–"
    f = float(v)
    return f"{f:g}" if abs(f) < 1e6 else format(round(f), ",d").replace(",", " ")


def _raid_changes(touched, then, now, names: _Names, line) -> list[Line]:
    out: list[Line] = []
    for (kind, rid), _rows in touched.items():
        if kind not in ("issue", "decision", "assumption"):
            continue
        old, new = then[kind].get(rid), now[kind].get(rid)
        label = names.record(kind, rid)
        if old is None and new is not None:
            prio = f", {new.get('priority')} priority" if new.get("priority") else ""
            due = f", due {new['due_date']}" if new.get("due_date") else ""
            tone = "bad" if kind == "issue" and new.get("priority") in ("high", "critical") else ""
            out.append(line(f"New {kind} {label}{prio}{due}", kind, rid, tone))
        elif new is not None and old is not None and old.get("status") != new.get("status"):
            tone = "good" if new.get("status") in ("closed", "made", "validated") else ""
            out.append(
                line(
                    f"{kind.capitalize()} {label}: {old.get('status')} → {new.get('status')}", kind, rid, tone
                )
            )
        elif new is None and old is not None:
            out.append(line(f"Deleted {kind} {label}", None, None, "", _users_of(kind, rid, touched)))
    return out


def _change_request_changes(touched, then, now, names: _Names, line) -> list[Line]:
    """Requests raised, decided (an approval's effect on the baseline shows under Projects) or deleted."""
    out: list[Line] = []
    for (kind, rid), _rows in touched.items():
        if kind != "change_request":
            continue
        old, new = then[kind].get(rid), now[kind].get(rid)
        label = names.record(kind, rid)
        if new is not None and old is None:
            out.append(line(f"New change request {label}: {impact_text(new)}", kind, rid))
        elif new is not None and old is not None and old.get("status") != new.get("status"):
            by = f" by {new['decided_by']}" if new.get("decided_by") and new.get("status") != "raised" else ""
            moved = "; the baseline moved" if new.get("status") == "approved" else ""
            out.append(
                line(
                    f"Change request {label} {new.get('status')}{by} ({impact_text(new)}){moved}",
                    kind,
                    rid,
                    "bad"
                    if new.get("status") == "approved" and float(new.get("cost_impact") or 0) > 0
                    else "",
                )
            )
        elif new is None and old is not None:
            out.append(line(f"Deleted change request {label}", None, None, "", _users_of(kind, rid, touched)))
    return out


def _who(audit: list[Mapping[str, Any]]) -> list[Line]:
    per_user: dict[str, Counter] = defaultdict(Counter)
    for a in audit:
        per_user[str(a.get("user"))][str(a.get("tbl"))] += 1
    out = []
    for user in sorted(per_user, key=lambda u: (-sum(per_user[u].values()), u)):
        c = per_user[user]
        parts = ", ".join(_noun(t, n) for t, n in c.most_common())
        out.append(Line(f"{user}: {parts}"))
    return out


def _noun(table: str, n: int) -> str:
    word = table.replace("_", " ")  # change_request → change request
    if n == 1:
        return f"1 {word}"
    if word == "person":
        return f"{n} people"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


# ---------------------------------------------------------------------------- needs attention


@dataclass(frozen=True)
class AttentionContext:
    """What an attention rule may read: today, every table now (by id), the rollup now, names."""

    today: pendulum.Date
    now: Mapping[str, Mapping[int, Mapping[str, Any]]]
    rollup: ProgrammeRollup
    names: _Names
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
        f = _finish(m)
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
    names: _Names,
    note_updated: Mapping[int, str],
    note_days: int = NOTE_STALE_DAYS,
    programme: Mapping[str, Any] | None = None,
) -> list[Section]:
    ctx = AttentionContext(today, now, r_now, names, note_updated, note_days, programme)
    return [rule(ctx) for rule in ATTENTION_RULES]


def note_updates(project_audit: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """Project id → timestamp of the last audit row that set its status note (non-empty)."""
    out: dict[int, str] = {}
    for a in project_audit:
        ch = parse_changes(a.get("changes"))
        if "status_note" in ch and ch["status_note"][1]:
            rid = int(a["row_id"])
            ts = str(a.get("ts"))
            if ts > out.get(rid, ""):
                out[rid] = ts
    return out
