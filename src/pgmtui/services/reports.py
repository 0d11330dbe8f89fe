"""Critical path, rollup text, stand-up and highlight-report data for the CLI and the screens.
Free of textual."""

from __future__ import annotations

from typing import Any

import pendulum

from pgmtui import clock
from pgmtui.domain.calendar import standup_window_start
from pgmtui.domain.deps import critical_path
from pgmtui.domain.evm import fmt, fmt_money, fmt_ratio
from pgmtui.domain.rollup import ProgrammeRollup, rollup
from pgmtui.model import Model
from pgmtui.services.snapshot import audit_rows, load_snapshot, network_of, read_for_display
from pgmtui.store import Store

# ---------------------------------------------------------------------- critical path (CLI)


def critical_path_json(store: Store) -> dict[str, Any]:
    raw, snapshot = load_snapshot(store)
    tables = raw["tables"]
    cp = critical_path(network_of(snapshot))
    return critical_path_data(cp, tables["project"], tables["milestone"])


def critical_path_data(
    cp: Any, projects: list[dict[str, Any]], milestones: list[dict[str, Any]]
) -> dict[str, Any]:
    """The critical path as `pgmtui critical-path --json` prints it and the dependency board shows it."""
    codes = {p["id"]: p["code"] for p in projects}
    by_id = {m["id"]: m for m in milestones}

    def describe(mid: int) -> dict[str, Any]:
        m = by_id[mid]
        return {
            "id": mid,
            "project": codes.get(m["project_id"]),
            "name": m["name"],
            "date": m["actual_date"] or m["forecast_date"] or m["baseline_date"],
            "float_days": cp.floats.get(mid),
            "category": cp.category(mid),
        }

    def known(ids: Any) -> list[dict[str, Any]]:
        return [describe(mid) for mid in ids if mid in by_id]

    return {
        "programme_end": cp.end_date.isoformat() if cp.end_date else None,
        "near_critical_days": cp.near_critical_days,
        "path": known(cp.chain),
        "milestones": known(sorted(cp.floats, key=lambda i: (cp.floats[i], i))),
        "undated": known(cp.undated),
        "cyclic": known(cp.cyclic),
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
        + (f"; realised {fmt(r.realisation_pct, '.0f')} %" if r.realisation_pct is not None else ""),
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
        other_links = model.links
    else:
        raw = read_for_display(store)  # record text made safe to print, as the model's is
        programme, tables, links, now_rollup = raw["programme"], raw["tables"], raw["benefit_links"], None
        other_links = raw["links"]
    audit = audit_rows(store, since=ts)
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
        links=other_links,
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
    from pgmtui.services.trend import MAX_WEEKS, trend_of

    # A point at each Friday's end since the period start (and now): "trend since the last report".
    weeks = min(MAX_WEEKS, (today - start.date()).days // 7 + 2)
    return build_report(
        today=today,
        period_start=start,
        since=ts,
        programme=raw["programme"],
        tables=raw["tables"],
        benefit_links=raw["benefit_links"],
        rollup_now=rollup(snapshot, today),
        audit_rows=audit_rows(store, since=ts),
        note_updated=note_updates(store.audit(table="project")),
        trend=trend_of(store, today, weeks),
    )
