"""Glue between the store and the domain: load a consistent snapshot and derive what screens,
the CLI and reports show. One implementation for all of them. Free of textual."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from typing import Any

import pendulum

from pgmtui import clock
from pgmtui.domain.calendar import standup_window_start
from pgmtui.domain.deps import build_network, critical_path
from pgmtui.domain.evm import fmt_money, fmt_ratio
from pgmtui.domain.models import Snapshot
from pgmtui.domain.risk import DEFAULT_BANDS, inherent_score, residual_score, score_trend
from pgmtui.domain.rollup import ProgrammeRollup, rollup
from pgmtui.model import Model
from pgmtui.store import Store
from pgmtui.store.fields import KINDS, column_for

# C0/C1 control characters except tab and newline. The store refuses them, but a database written
# by another tool may hold them; shown raw they would be terminal escapes (colours, OSC 52, titles).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible_controls(text: str) -> str:
    """Replace control characters with visible stand-ins (ESC → ␛), so text shows literally."""

    def picture(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x20:
            return chr(0x2400 + code)
        return "␡" if code == 0x7F else f"\\x{code:02x}"

    return _CONTROLS.sub(picture, text)


def _sanitise(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        for key, value in row.items():
            if isinstance(value, str) and _CONTROLS.search(value):
                row[key] = visible_controls(value)


def load_snapshot(store: Store) -> tuple[dict[str, Any], Snapshot]:
    raw = store.read_all()
    for rows in raw["tables"].values():
        _sanitise(rows)
    if raw["programme"]:
        _sanitise([raw["programme"]])
    return raw, Snapshot.from_rows(raw["programme"], raw["tables"], raw["benefit_links"])


def near_critical_days(snapshot: Snapshot) -> int:
    programme = snapshot.programme
    value = getattr(programme, "near_critical_days", None) if programme else None
    return 5 if value is None else int(value)


def rollup_of(store: Store, today: pendulum.Date) -> ProgrammeRollup:
    _, snapshot = load_snapshot(store)
    return rollup(snapshot, today)


def network_of(snapshot: Snapshot):
    return build_network(snapshot.milestones, snapshot.dependencies, near_critical_days(snapshot))


def risk_trends(store: Store, risks: list[dict[str, Any]], today: pendulum.Date) -> dict[int, str]:
    """↑ ↓ → per risk: its residual score now against its score at the start of the stand-up window."""
    since = clock.timestamp(standup_window_start(today))
    changed: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in store.audit(since=since, table="risk"):
        changed[row["row_id"]].append(row)
    trends: dict[int, str] = {}
    for risk in risks:
        rows = changed.get(risk["id"])
        if not rows:
            trends[risk["id"]] = "→"
        elif any(r["action"] == "insert" for r in rows):
            trends[risk["id"]] = "new"
        else:
            trends[risk["id"]] = score_trend(risk, rows) or "→"
    return trends


def build_model(store: Store, today: pendulum.Date, *, generation: int = 0) -> Model:
    started = time.perf_counter()
    raw, snapshot = load_snapshot(store)
    result = rollup(snapshot, today)
    critical = critical_path(network_of(snapshot))
    trends = risk_trends(store, raw["tables"]["risk"], today)
    return Model(
        generation=generation,
        today=today,
        programme=raw["programme"],
        tables=raw["tables"],
        benefit_links=raw["benefit_links"],
        snapshot=snapshot,
        rollup=result,
        critical=critical,
        risk_trends=trends,
        load_seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------------- listing (CLI `list`)

SUMMARY_COLUMNS: dict[str, list[str]] = {
    "programme": ["id", "name", "manager", "start_date", "end_date", "currency", "version"],
    "project": [
        "id",
        "code",
        "name",
        "manager",
        "stage",
        "baseline_end",
        "forecast_end",
        "percent_complete",
        "version",
    ],
    "milestone": [
        "id",
        "project",
        "name",
        "baseline_date",
        "forecast_date",
        "actual_date",
        "is_gate",
        "version",
    ],
    "dependency": ["id", "supplier", "consumer", "type", "lag_days", "owner", "version"],
    "risk": [
        "id",
        "project",
        "title",
        "probability",
        "impact",
        "score",
        "residual_score",
        "band",
        "status",
        "version",
    ],
    "issue": ["id", "project", "title", "owner", "status", "priority", "due_date", "version"],
    "assumption": ["id", "project", "title", "owner", "status", "due_date", "version"],
    "decision": ["id", "project", "title", "owner", "status", "due_date", "version"],
    "benefit": [
        "id",
        "name",
        "kind",
        "owner",
        "baseline_value",
        "target_value",
        "target_date",
        "projects",
        "version",
    ],
    "measurement": ["id", "benefit", "date", "value", "version"],
}


def summary_columns(kind: str) -> list[str]:
    return SUMMARY_COLUMNS[kind]


def list_rows(store: Store, kind: str) -> list[dict[str, Any]]:
    """Rows as scripts want them: references shown as codes/names beside their ids, risk scores added."""
    raw = store.read_all()
    tables = raw["tables"]
    if kind == "programme":
        return [raw["programme"]] if raw["programme"] else []
    projects = {p["id"]: p["code"] for p in tables["project"]}
    milestones = {m["id"]: f"{projects.get(m['project_id'], '?')}:{m['name']}" for m in tables["milestone"]}
    benefits = {b["id"]: b["name"] for b in tables["benefit"]}
    labels = {"project": projects, "milestone": milestones, "benefit": benefits}
    out = []
    for row in tables[kind]:
        row = dict(row)
        for f in KINDS[kind].fields:
            if f.type == "ref":
                row[f.name] = labels[f.ref].get(row.get(column_for(f)))
            elif f.type == "refs":
                row[f.name] = [projects.get(p) for p in raw["benefit_links"].get(row["id"], [])]
            elif f.type == "bool":
                row[f.name] = bool(row.get(f.name))
        if kind == "risk":
            row["score"] = inherent_score(row)
            row["residual_score"] = residual_score(row)
            row["band"] = DEFAULT_BANDS.band(row["residual_score"])
        out.append(row)
    return out


# ---------------------------------------------------------------------- critical path (CLI)


def critical_path_json(store: Store) -> dict[str, Any]:
    raw, snapshot = load_snapshot(store)
    tables = raw["tables"]
    cp = critical_path(network_of(snapshot))
    projects = {p["id"]: p["code"] for p in tables["project"]}
    milestones = {m["id"]: m for m in tables["milestone"]}

    def describe(mid: int) -> dict[str, Any]:
        m = milestones[mid]
        return {
            "id": mid,
            "project": projects.get(m["project_id"]),
            "name": m["name"],
            "date": m["actual_date"] or m["forecast_date"] or m["baseline_date"],
            "float_days": cp.floats.get(mid),
            "category": cp.category(mid),
        }

    return {
        "programme_end": cp.end_date.isoformat() if cp.end_date else None,
        "near_critical_days": cp.near_critical_days,
        "path": [describe(mid) for mid in cp.chain],
        "milestones": [describe(mid) for mid in sorted(cp.floats, key=lambda i: (cp.floats[i], i))],
        "undated": [describe(mid) for mid in cp.undated],
        "cyclic": [describe(mid) for mid in cp.cyclic],
    }


def critical_path_text(data: dict[str, Any]) -> str:
    lines = [
        f"Programme end: {data['programme_end'] or '–'} (near-critical: float ≤ {data['near_critical_days']} d)"
    ]
    lines.append("Critical path:")
    for step in data["path"]:
        lines.append(f"  {step['date']}  {step['project']:<8} {step['name']}  (float {step['float_days']} d)")
    near = [m for m in data["milestones"] if m["category"] == "near-critical"]
    if near:
        lines.append("Near-critical:")
        for m in near:
            lines.append(f"  {m['date']}  {m['project']:<8} {m['name']}  (float {m['float_days']} d)")
    return "\n".join(lines)


# ---------------------------------------------------------------------- rollup (CLI text)


def rollup_text(r: ProgrammeRollup) -> str:
    """A terminal summary of the rollup; `--json` gives everything."""
    p = r.rag
    lines = [
        f"{r.name}  RAG {p.label}  (today {r.today.isoformat()})",
        *(f"  {e.dimension}: {e.rag or '–'}  {e.text}" for e in p.evidence),
        f"  schedule slip {r.slip_days if r.slip_days is not None else '–'} d; "
        f"BAC {fmt_money(r.evm.bac)} EAC {fmt_money(r.evm.eac)} {r.currency}; "
        f"CPI {fmt_ratio(r.evm.cpi)} SPI {fmt_ratio(r.evm.spi)}",
        "  open risks: " + ", ".join(f"{k} {v}" for k, v in r.risks_by_band.items()),
        "  benefits: "
        + ", ".join(f"{k} {v}" for k, v in r.benefits_by_status.items())
        + (f"; realised {r.realisation_pct:.0f} %" if r.realisation_pct is not None else ""),
        "",
        f"{'CODE':<8} {'RAG':<4} {'SLIP':>5} {'%':>5} {'CPI':>5} {'SPI':>5} {'HI/CR':>5} {'LATE':>4}  NAME",
    ]
    for pr in r.projects:
        slip = "–" if pr.slip_days is None else str(pr.slip_days)
        pct = "–" if pr.percent_complete is None else f"{pr.percent_complete:.0f}"
        lines.append(
            f"{pr.code:<8} {pr.rag.label:<4} {slip:>5} {pct:>5} {fmt_ratio(pr.evm.cpi):>5} "
            f"{fmt_ratio(pr.evm.spi):>5} {pr.open_high_critical:>5} {pr.late_dependencies:>4}  {pr.name}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------- stand-up (issue 7)


def standup_window_label(today: pendulum.Date, since: pendulum.DateTime | pendulum.Date) -> str:
    """'since Fri 20 Nov' / 'since Fri 20 Nov 14:05 UTC' for the stand-up heading."""
    if isinstance(since, pendulum.DateTime) and (since.hour or since.minute):
        return f"since {since.format('ddd D MMM HH:mm')} UTC"
    return f"since {since.format('ddd D MMM')}"


def standup_of(
    store: Store,
    today: pendulum.Date,
    since: pendulum.DateTime | None = None,
    *,
    window: str | None = None,
    model: Model | None = None,
):
    """The stand-up (domain.standup.Standup) for `today`: changes since `since` (default: 00:00 UTC
    of the previous working day) and what needs attention. Reads the store; call off the UI thread."""
    from pgmtui.domain.standup import note_updates, standup_diff

    start = since or standup_window_start(today)
    ts = clock.timestamp(start)
    if model is not None:
        programme, tables, links, now_rollup = (
            model.programme,
            model.tables,
            model.benefit_links,
            model.rollup,
        )
    else:
        raw = store.read_all()
        programme, tables, links, now_rollup = raw["programme"], raw["tables"], raw["benefit_links"], None
    audit = store.audit(since=ts)
    notes = note_updates(store.audit(table="project"))
    return standup_diff(
        today=today,
        since=ts,
        window=window or standup_window_label(today, start),
        programme=programme,
        tables=tables,
        benefit_links=links,
        audit_rows=audit,
        note_updated=notes,
        now_rollup=now_rollup,
    )


REPORT_PERIOD_DAYS = 7


def report_of(store: Store, today: pendulum.Date, since: pendulum.DateTime | None = None) -> dict[str, Any]:
    """The highlight report's data (pgmtui.report.build_report) for the period since `since`
    (default: the last 7 days, from 00:00 UTC). Reads the store; call off the UI thread."""
    from pgmtui.domain.standup import note_updates
    from pgmtui.report import build_report

    start = since or pendulum.datetime(today.year, today.month, today.day, tz="UTC").subtract(
        days=REPORT_PERIOD_DAYS
    )
    ts = clock.timestamp(start)
    raw, snapshot = load_snapshot(store)
    return build_report(
        today=today,
        period_start=start,
        since=ts,
        programme=raw["programme"],
        tables=raw["tables"],
        benefit_links=raw["benefit_links"],
        rollup_now=rollup(snapshot, today),
        audit_rows=store.audit(since=ts),
        note_updated=note_updates(store.audit(table="project")),
    )
