"""The stand-up diff: what changed since a moment, grouped and in plain language, and what needs
attention today (the rules: domain/attention.py). Pure: it takes rows and audit rows, never touches
the database or the screen.

Computed facts (RAG, dependency slack, risk scores) are not stored, so they cannot be read from the
audit trail directly. Instead the tables are rewound to the window start (``history.rewind``) and
the same rules are run on "then" and "now"; the differences are what a programme manager means by
"what changed".
"""

from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pendulum

from pgmtui.domain.attention import needs_attention
from pgmtui.domain.briefing import Line, RecordNames, Section, finish_date, shorten
from pgmtui.domain.deps import LATE, build_network, propagate
from pgmtui.domain.finance import impact_text
from pgmtui.domain.history import parse_changes
from pgmtui.domain.history import rewind as history_rewind
from pgmtui.domain.models import Snapshot, as_date
from pgmtui.domain.rag import RAG_WORDS
from pgmtui.domain.risk import DEFAULT_BANDS, inherent_score, residual_score
from pgmtui.domain.rollup import ProgrammeRollup, rollup
from pgmtui.domain.text import join_clauses

# Line and Section live in domain/briefing.py (the attention rules in domain/attention.py use them
# too); they are re-exported here for the screens and reports that show a stand-up.
__all__ = [
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


def _whole(text: Any) -> str:
    """A reason in full, on one line: override reasons are never cut (the screen wraps them)."""
    return " ".join(str(text or "").split())


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
    names = RecordNames(now, then)
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


def _project_changes(touched, then, now, names: RecordNames, line) -> list[Line]:
    out: list[Line] = []
    for (kind, pid), _rows in touched.items():
        if kind != "project":
            continue
        old, new = then["project"].get(pid), now["project"].get(pid)
        code = names.code(pid)
        if old is None and new is not None:
            out.append(line(f"{code} added: {shorten(new.get('name'))}", "project", pid))
            continue
        if new is None:
            if old is not None:
                out.append(
                    line(
                        f"{code} deleted ({shorten(old.get('name'))})",
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
            parts.append(f"note: “{shorten(new.get('status_note'), 80)}”")
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


def _risk_changes(touched, then, now, names: RecordNames, line) -> list[Line]:
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


def _milestone_changes(touched, then, now, names: RecordNames, line, r_then: ProgrammeRollup) -> list[Line]:
    out: list[Line] = []
    moved: dict[int, int] = {}
    items: list[tuple[int, str, str]] = []
    for (kind, mid), rows in touched.items():
        if kind != "milestone":
            continue
        old, new = then["milestone"].get(mid), now["milestone"].get(mid)
        label = names.milestone(mid)
        if old is None and new is not None:
            items.append((mid, f"{label} added, due {_fmt_date(finish_date(new))}", ""))
            continue
        if new is None:
            if old is not None:
                who = tuple(dict.fromkeys(str(a.get("user")) for a in rows))
                out.append(line(f"{label} deleted", None, None, "", who))
            continue
        if not old.get("actual_date") and new.get("actual_date"):
            items.append((mid, f"{label} achieved on {new['actual_date']}", "good"))
            continue
        fo, fn = finish_date(old), finish_date(new)
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
    then, now, names: RecordNames, line, r_then: ProgrammeRollup, r_now: ProgrammeRollup
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


def _measurement_changes(touched, then, now, names: RecordNames, line) -> list[Line]:
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
        note = f" — {shorten(new.get('note'))}" if new.get("note") else ""
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


def _raid_changes(touched, then, now, names: RecordNames, line) -> list[Line]:
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


def _change_request_changes(touched, then, now, names: RecordNames, line) -> list[Line]:
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
# (the rules are in domain/attention.py; a red project's note age is read from the trail here)


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
