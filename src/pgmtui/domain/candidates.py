"""Lesson candidates harvested from the audit trail: findings a post-programme (or end-of-stage)
review should turn into lessons, each naming its evidence (who changed what, when).

One candidate per finding:
- a milestone that slipped beyond the schedule tolerance (every forecast move, and the worst
  variance against its baseline);
- a project that was Red, and for how long (its RAG re-computed at the end of every day the trail
  changed something, from the rows rewound through the trail);
- a risk re-scored up to Critical (residual score crossing the critical band);
- a benefit off track now;
- a stage gate whose review said stop.

Each becomes a ready-to-accept lesson (title, category, what happened, a recommendation to edit,
the project, and `source` = the record it is about, KIND:ID). A candidate is "recorded" once a
lesson names the same source. Pure: rows and audit rows in, candidates out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui.domain.benefits import OFF_TRACK, BenefitStatus
from pgmtui.domain.history import parse_changes, value_at
from pgmtui.domain.models import (
    Benefit,
    Dependency,
    Measurement,
    Milestone,
    Programme,
    Project,
    Risk,
    Snapshot,
    as_date,
)
from pgmtui.domain.rag import RAG_WORDS
from pgmtui.domain.risk import DEFAULT_BANDS, residual_score
from pgmtui.domain.rollup import rollup

__all__ = ["Candidate", "Evidence", "harvest", "rag_history"]

Row = Mapping[str, Any]
# What each kind of finding becomes as a lesson.
CATEGORY = {
    "slip": "planning",
    "red": "governance",
    "rescore": "risk",
    "benefit": "benefits",
    "gate": "governance",
}
RED_CATEGORY = {"schedule": "planning", "dependencies": "planning", "cost": "governance", "risk": "risk"}


@dataclass(frozen=True)
class Evidence:
    """One fact behind a finding: when, who, what (ts None: a fact of the rows now)."""

    ts: str | None
    user: str | None
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"ts": self.ts, "user": self.user, "text": self.text}

    def line(self) -> str:
        if self.ts is None:
            return self.text
        return f"{self.ts[:16].replace('T', ' ')} {self.user or '?'}: {self.text}"


@dataclass
class Candidate:
    key: str  # stable: "slip:milestone:12"
    finding: str  # slip, red, rescore, benefit, gate
    title: str
    category: str
    what_happened: str
    recommendation: str
    project_id: int | None
    project: str | None  # its code
    source: str  # KIND:ID of the record it is about
    evidence: list[Evidence] = field(default_factory=list)
    lesson_id: int | None = None  # the lesson that records it, once accepted

    @property
    def recorded(self) -> bool:
        return self.lesson_id is not None

    def lesson_fields(self) -> dict[str, Any]:
        """The lesson it becomes when accepted (references as they are typed)."""
        return {
            "title": self.title,
            "category": self.category,
            "what_happened": self.what_happened,
            "recommendation": self.recommendation,
            "project": self.project or "",
            "source": self.source,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "finding": self.finding,
            "title": self.title,
            "category": self.category,
            "project": self.project,
            "source": self.source,
            "what_happened": self.what_happened,
            "recommendation": self.recommendation,
            "evidence": [e.to_json() for e in self.evidence],
            "recorded": self.recorded,
            "lesson_id": self.lesson_id,
        }


def _days(a: Any, b: Any) -> int | None:
    da, db = as_date(a), as_date(b)
    return None if da is None or db is None else db.toordinal() - da.toordinal()


def _by_row(audit: Iterable[Row], table: str) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = defaultdict(list)
    for a in audit:
        if a.get("tbl") == table:
            out[int(a["row_id"])].append(a)
    for rows in out.values():
        rows.sort(key=lambda r: (str(r.get("ts")), r.get("id") or 0))
    return out


def _states(current: Row | None, rows: Sequence[Row]) -> list[tuple[Row, dict[str, Any], dict[str, Any]]]:
    """Each audit row of one record (oldest first) with the record before and after it."""
    state = value_at(current, rows) or {}
    out = []
    for a in rows:
        before = dict(state)
        if a.get("action") == "delete":
            state = {}
        else:
            state = {**state, **{k: new for k, (_, new) in parse_changes(a.get("changes")).items()}}
        out.append((a, before, dict(state)))
    return out


def _label(value: Any) -> str:
    return "–" if value is None else str(value)


# ---------------------------------------------------------------------------- slips


def slips(
    milestones: Mapping[int, Row], audit: Iterable[Row], code_of: Mapping[Any, str], tolerance: int
) -> list[Candidate]:
    """Milestones whose forecast moved later until it was more than `tolerance` days after the
    baseline: one candidate each, every move as evidence."""
    out = []
    for mid, rows in sorted(_by_row(audit, "milestone").items()):
        now = milestones.get(mid)
        moves: list[Evidence] = []
        total = 0
        worst: int | None = None
        baseline = None
        for a, before, after in _states(now, rows):
            ch = parse_changes(a.get("changes"))
            if "forecast_date" not in ch or a.get("action") != "update":
                continue
            old, new = before.get("forecast_date"), after.get("forecast_date")
            delta = _days(old, new)
            if delta is None or delta <= 0:
                continue
            total += delta
            baseline = after.get("baseline_date") or (now or {}).get("baseline_date")
            variance = _days(baseline, new)
            note = f"forecast {old} → {new} (+{delta} d)"
            if variance is not None:
                note += f", {variance:+d} d against baseline {baseline}"
                worst = variance if worst is None else max(worst, variance)
            moves.append(Evidence(str(a.get("ts")), str(a.get("user")), note))
        if not moves or worst is None or worst <= tolerance:
            continue
        row = now or {}
        name = row.get("name") or f"#{mid}"
        pid = row.get("project_id")
        code = code_of.get(pid, "")
        full = f"{code}:{name}" if code else str(name)
        times = "once" if len(moves) == 1 else f"{len(moves)} times"
        out.append(
            Candidate(
                key=f"slip:milestone:{mid}",
                finding="slip",
                title=f"{full} slipped {total} d, {worst} d past its baseline",
                category=CATEGORY["slip"],
                what_happened=(
                    f"The forecast of {full} moved later {times}, by {total} d in all; at worst it was "
                    f"{worst} d after its baseline {baseline}, beyond the {tolerance} d schedule tolerance."
                ),
                recommendation=(
                    f"Find out why {name} slipped; re-plan dependent work as soon as a forecast first "
                    "moves, and estimate similar milestones with that in mind."
                ),
                project_id=pid,
                project=code or None,
                source=f"milestone:{mid}",
                evidence=moves,
            )
        )
    return out


# ---------------------------------------------------------------------------- risks re-scored up


def rescored_to_critical(
    risks: Mapping[int, Row], audit: Iterable[Row], code_of: Mapping[Any, str]
) -> list[Candidate]:
    """Risks whose residual score was raised into the Critical band by a re-score."""
    critical = DEFAULT_BANDS.critical_min
    out = []
    for rid, rows in sorted(_by_row(audit, "risk").items()):
        crossings = []
        for a, before, after in _states(risks.get(rid), rows):
            if a.get("action") != "update":
                continue
            old, new = residual_score(before), residual_score(after)
            if new is not None and new >= critical and (old is None or old < critical):
                crossings.append(
                    Evidence(
                        str(a.get("ts")),
                        str(a.get("user")),
                        f"residual score {_label(old)} → {new} (Critical)",
                    )
                )
        if not crossings:
            continue
        row = risks.get(rid) or {}
        title = row.get("title") or f"risk #{rid}"
        pid = row.get("project_id")
        code = code_of.get(pid) or None
        out.append(
            Candidate(
                key=f"rescore:risk:{rid}",
                finding="rescore",
                title=f"Risk re-scored to Critical: {title}",
                category=CATEGORY["rescore"],
                what_happened=(
                    f"Risk #{rid} “{title}” ({code or 'programme'}) was re-scored up into the Critical band "
                    f"({'once' if len(crossings) == 1 else f'{len(crossings)} times'})."
                ),
                recommendation=(
                    "Review why it was under-scored at first and whether its response started soon enough; "
                    "watch its early-warning signs on similar projects."
                ),
                project_id=pid,
                project=code,
                source=f"risk:{rid}",
                evidence=crossings,
            )
        )
    return out


# ---------------------------------------------------------------------------- benefits, gates


def benefits_off_track(statuses: Iterable[BenefitStatus], benefits: Mapping[int, Row]) -> list[Candidate]:
    out = []
    for b in statuses:
        if b.status != OFF_TRACK:
            continue
        row = benefits.get(b.benefit_id) or {}
        facts = [
            f"target {_label(b.target_value)} {b.unit or ''} by {_label(b.target_date)}".replace("  ", " ")
        ]
        if b.latest is not None:
            facts.append(f"latest {b.latest:g} on {b.latest_date}")
        if b.projected_value is not None:
            facts.append(f"the trend reaches {b.projected_value:.4g} by the target date")
        if b.realisation_pct is not None:
            facts.append(f"{b.realisation_pct:.0f} % realised")
        owner = row.get("owner") or "its owner"
        out.append(
            Candidate(
                key=f"benefit:benefit:{b.benefit_id}",
                finding="benefit",
                title=f"Benefit off track: {b.name}",
                category=CATEGORY["benefit"],
                what_happened=f"“{b.name}” is off track: " + "; ".join(facts) + ".",
                recommendation=(
                    f"Check the assumptions behind the benefit and how it is measured; agree corrective "
                    f"actions with {owner}."
                ),
                project_id=None,
                project=None,
                source=f"benefit:{b.benefit_id}",
                evidence=[Evidence(None, None, "; ".join(facts))],
            )
        )
    return out


def gates_stopped(
    reviews: Mapping[int, Row],
    milestones: Mapping[int, Row],
    audit: Iterable[Row],
    code_of: Mapping[Any, str],
) -> list[Candidate]:
    """Gate reviews whose outcome is stop (now), with who set it when."""
    trail = _by_row(audit, "gate_review")
    out = []
    for gid, row in sorted(reviews.items()):
        if row.get("outcome") != "stop":
            continue
        ms = milestones.get(int(row.get("milestone_id") or 0)) or {}
        code = code_of.get(ms.get("project_id"), "")
        gate = f"{code}:{ms.get('name')}" if ms else f"gate review #{gid}"
        evidence = [
            Evidence(
                str(a.get("ts")),
                str(a.get("user")),
                f"outcome set to stop (review of {row.get('review_date')})",
            )
            for a in trail.get(gid, [])
            if parse_changes(a.get("changes")).get("outcome", (None, None))[1] == "stop"
        ] or [Evidence(None, None, f"review of {row.get('review_date')}: stop")]
        conditions = " ".join(str(row.get("conditions") or "").split())
        out.append(
            Candidate(
                key=f"gate:gate_review:{gid}",
                finding="gate",
                title=f"Stage gate stopped: {gate}",
                category=CATEGORY["gate"],
                what_happened=f"The review of {gate} on {row.get('review_date')} said stop."
                + (f" Conditions: {conditions}" if conditions else ""),
                recommendation="Record what led to the stop and check those conditions at the previous gate next time.",
                project_id=ms.get("project_id"),
                project=code or None,
                source=f"gate_review:{gid}",
                evidence=evidence,
            )
        )
    return out


# ---------------------------------------------------------------------------- RAG history

# Tables whose rows a project's RAG is computed from (the rollup reads the rest as rows).
_RECORDS = {
    "project": Project.from_row,
    "milestone": Milestone.from_row,
    "dependency": Dependency.from_row,
    "risk": Risk.from_row,
    "benefit": Benefit.from_row,
    "measurement": Measurement.from_row,
}


def rag_history(
    *,
    today: pendulum.Date,
    programme: Row | None,
    tables: Mapping[str, Iterable[Row]],
    benefit_links: Mapping[int, list[int]],
    audit: Iterable[Row],
    links: Mapping[str, Mapping[int, list[int]]] | None = None,
) -> dict[int, list[tuple[pendulum.Date, str | None, str]]]:
    """Each project's RAG at the end of every day the trail changed something (and today), oldest
    first: [(day, rag, the worst evidence's text)]. The rows are rewound day by day through the
    trail (each row changed is rebuilt, the rest reused), and the same rollup runs on each day."""
    by_day: dict[str, list[Row]] = defaultdict(list)
    for a in audit:
        by_day[str(a.get("ts"))[:10]].append(a)
    state: dict[str, dict[int, Any]] = {t: {int(r["id"]): r for r in rows} for t, rows in tables.items()}
    links_now = {**(links or {}), "benefit_project": benefit_links}
    for bid, row in state.get("benefit", {}).items():
        state["benefit"][bid] = {**row, "projects": sorted(links_now["benefit_project"].get(bid, []))}
    prog = dict(programme) if programme else None
    records: dict[int, tuple[Row, Any]] = {}  # id(row) → (row, its domain record): rebuilt only when changed

    def record(table: str, row: Row) -> Any:
        hit = records.get(id(row))
        if hit is None or hit[0] is not row:
            hit = (row, _RECORDS[table](row))
            records[id(row)] = hit
        return hit[1]

    history: dict[int, list[tuple[pendulum.Date, str | None, str]]] = defaultdict(list)
    days = sorted((d for d in by_day if d <= today.isoformat()), reverse=True)
    evaluate = [today.isoformat(), *(d for d in days if d != today.isoformat())]
    for n, day in enumerate(evaluate):
        if n:  # rewind the changes made after this day (those of the day evaluated before)
            for a in sorted(
                by_day.get(evaluate[n - 1], []),
                key=lambda r: (str(r.get("ts")), r.get("id") or 0),
                reverse=True,
            ):
                table = str(a.get("tbl"))
                if table == "programme":
                    prog = value_at(prog, [a])
                    continue
                rows = state.setdefault(table, {})
                before = value_at(rows.get(int(a["row_id"])), [a])
                if before is None:
                    rows.pop(int(a["row_id"]), None)
                else:
                    rows[int(a["row_id"])] = before

        def records_of(table: str) -> list[Any]:
            return [record(table, r) for r in state.get(table, {}).values()]

        snap = Snapshot(
            programme=Programme.from_row(prog) if prog else None,
            projects=records_of("project"),
            milestones=records_of("milestone"),
            dependencies=records_of("dependency"),
            risks=records_of("risk"),
            benefits=records_of("benefit"),
            measurements=records_of("measurement"),
            benefit_projects={
                bid: list(r.get("projects") or []) for bid, r in state.get("benefit", {}).items()
            },
            rows={t: list(rows.values()) for t, rows in state.items()},
            links=links_now,
        )
        when = pendulum.Date.fromisoformat(day)
        for p in rollup(snap, when).projects:
            worst = [e for e in p.rag.evidence if e.rag == p.rag.final]
            text = f"override: {p.rag.reason}" if p.rag.overridden else (worst[0].text if worst else "")
            if worst and not p.rag.overridden:
                text = f"{worst[0].dimension}: {text}"
            history[p.project_id].append((when, p.rag.final, text))
    return {pid: sorted(points, key=lambda x: x[0]) for pid, points in history.items()}


def reds(
    history: Mapping[int, Sequence[tuple[pendulum.Date, str | None, str]]],
    projects: Mapping[int, Row],
    today: pendulum.Date,
) -> list[Candidate]:
    """Projects that were Red: every spell (from the first day it was Red to the day it was not,
    or today), how long it lasted and what made it Red."""
    out = []
    for pid, points in sorted(history.items()):
        spells: list[tuple[pendulum.Date, pendulum.Date | None, str]] = []
        for day, rag, text in points:
            if rag == "R" and (not spells or spells[-1][1] is not None):
                spells.append((day, None, text))
            elif rag != "R" and spells and spells[-1][1] is None:
                spells[-1] = (spells[-1][0], day, spells[-1][2])
        if not spells:
            continue
        row = projects.get(pid) or {}
        code = str(row.get("code") or f"#{pid}")
        evidence = []
        total = 0
        for start, end, text in spells:
            last = end or today
            days = last.toordinal() - start.toordinal()
            total += days
            until = f"until {end.isoformat()}" if end else "and still Red today"
            evidence.append(Evidence(None, None, f"Red from {start.isoformat()} {until} ({days} d): {text}"))
        first_text = spells[0][2]
        dimension = first_text.partition(":")[0]
        still = spells[-1][1] is None
        out.append(
            Candidate(
                key=f"red:project:{pid}",
                finding="red",
                title=f"{code} was Red for {total} d" + (" (still Red)" if still else ""),
                category=RED_CATEGORY.get(dimension, CATEGORY["red"]),
                what_happened=(
                    f"{code} was {RAG_WORDS['R']} for {total} d in {len(spells)} spell"
                    f"{'s' if len(spells) != 1 else ''}, first from {spells[0][0].isoformat()} ({first_text})."
                ),
                recommendation=(
                    f"Look at what turned {code} red and how long recovery took; agree earlier triggers "
                    "(tolerance warnings) and who acts on them for similar projects."
                ),
                project_id=pid,
                project=code,
                source=f"project:{pid}",
                evidence=evidence,
            )
        )
    return out


def harvest(
    *,
    today: pendulum.Date,
    tables: Mapping[str, Sequence[Row]],
    audit: Sequence[Row],
    tolerance_days: int,
    benefit_statuses: Iterable[BenefitStatus],
    rag_points: Mapping[int, Sequence[tuple[pendulum.Date, str | None, str]]],
) -> list[Candidate]:
    """Every candidate, in a stable order (by finding, then by project and record); each marked
    recorded when a lesson has its source."""
    by_id = {t: {int(r["id"]): r for r in rows} for t, rows in tables.items()}
    code_of: dict[Any, str] = {pid: str(r.get("code")) for pid, r in by_id.get("project", {}).items()}
    found = [
        *slips(by_id.get("milestone", {}), audit, code_of, tolerance_days),
        *reds(rag_points, by_id.get("project", {}), today),
        *rescored_to_critical(by_id.get("risk", {}), audit, code_of),
        *benefits_off_track(benefit_statuses, by_id.get("benefit", {})),
        *gates_stopped(by_id.get("gate_review", {}), by_id.get("milestone", {}), audit, code_of),
    ]
    lessons = {str(r.get("source")): int(r["id"]) for r in tables.get("lesson", []) if r.get("source")}
    for c in found:
        c.lesson_id = lessons.get(c.source)
    return found
