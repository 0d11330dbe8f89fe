"""Weekly trends: the database rewound week by week through its audit trail, the same rollup run
on each week, the figures read off (pgmtui.domain.trend). Free of textual.

One walk: the tables are read once, the audit rows since the first point once, and each step back
undoes only that week's writes (history.Rewind); domain records are rebuilt only for the rows a
step changed. The last point is the database now, so it equals today's rollup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pendulum

from pgmtui import clock
from pgmtui.domain.evm import fmt_ratio
from pgmtui.domain.history import Rewind
from pgmtui.domain.memo import Memo
from pgmtui.domain.models import RECORD_LISTS, Programme, Snapshot
from pgmtui.domain.rollup import rollup
from pgmtui.domain.trend import METRICS, Figures, Trend, TrendPoint, direction, figures_of, week_days
from pgmtui.model import Model
from pgmtui.services.snapshot import _RECORDS, _sanitise, read_for_display
from pgmtui.services.timetravel import end_of_day
from pgmtui.store import Store

__all__ = ["DEFAULT_WEEKS", "MAX_WEEKS", "live_trend", "trend_of", "trend_text"]

DEFAULT_WEEKS = 12
MAX_WEEKS = 104  # two years of Fridays


class _Snapshots:
    """Snapshots of a Rewind at each step, reusing the domain record of every row the step left
    alone (a week's writes touch a few hundred rows of tens of thousands)."""

    def __init__(self) -> None:
        self.records: dict[str, dict[int, Any]] = {table: {} for table in _RECORDS}
        self.lists: dict[str, list[Any]] = {}
        # Within one week's rollup, figures two rules share are computed once (each week is
        # another day, so nothing carries over from week to week).
        self.memo = Memo()

    def seed(self, snapshot: Snapshot) -> None:
        """Start from a live Model's records (rows a step leaves alone keep them)."""
        for table, attribute in RECORD_LISTS.items():
            if table in self.records:
                self.records[table] = {r.id: r for r in getattr(snapshot, attribute)}

    def build(self, rewind: Rewind, changed: set[tuple[str, int]] | None) -> Snapshot:
        for table, rid in changed or ():
            cached = self.records.get(table)
            if cached is not None:
                cached.pop(rid, None)
                self.lists.pop(table, None)
        records: dict[str, list[Any]] = {}
        for table, make in _RECORDS.items():
            out = self.lists.get(table)
            if out is None:
                cached = self.records[table]
                out = []
                for rid, row in rewind.rows(table).items():
                    record = cached.get(rid)
                    if record is None:
                        cached[rid] = record = make(row)
                    out.append(record)
                self.lists[table] = out
            records[table] = out
        links = rewind.links()
        programme = rewind.programme()
        self.memo.next_build()
        return Snapshot(
            programme=Programme.from_row(programme) if programme else None,
            projects=records["project"],
            milestones=records["milestone"],
            dependencies=records["dependency"],
            risks=records["risk"],
            benefits=records["benefit"],
            measurements=records["measurement"],
            benefit_projects=links.get("benefit_project", {}),
            rows=rewind.tables(),
            links=links,
            memo=self.memo,
        )


def _owned(rewind: Rewind, table: str, rid: int) -> dict[str, Any] | None:
    row = rewind.rows(table).get(rid)
    return row if isinstance(row, dict) else None  # a row a step changed is the rewind's own copy


def _point(day: pendulum.Date, at: str, snapshot: Snapshot) -> TrendPoint:
    if snapshot.programme is None and not snapshot.projects:
        return TrendPoint(day, at, None, {})
    programme, projects = figures_of(rollup(snapshot, day), snapshot.risks)
    return TrendPoint(day, at, programme, projects)


def trend_of(
    store: Store,
    today: pendulum.Date,
    weeks: int = DEFAULT_WEEKS,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    base: Model | None = None,
) -> Trend:
    """`weeks` weekly points, oldest first: each past week's figures at the end of its Friday
    (local time), then now. Reads the store once; call off the UI thread. `cancelled` is asked
    between weeks (a worker stops early; the points so far are returned).

    `base`: the live Model of this store for `today`. Its rows, records and rollup are the "now"
    point and the start of the walk (the dashboard then holds one copy of the programme, not two),
    and the audit is read as it stood when the Model was read, so the walk starts from that very
    picture."""
    days = week_days(today, weeks)
    past = [(day, end_of_day(day).ts) for day in days[:-1]]
    snapshots = _Snapshots()
    now = store.as_of_ts or clock.timestamp()
    if base is not None and base.today == today:
        audit = store.history_since(past[0][1], upto_id=base.audit_mark) if past else []
        rewind = Rewind(base.tables, base.programme, base.links, audit)
        snapshots.seed(base.snapshot)
        programme, projects = figures_of(base.rollup, base.snapshot.risks)
        points = [TrendPoint(today, now, programme, projects)]
    else:
        raw = read_for_display(store, fields_only=True)
        audit = store.history_since(past[0][1]) if past else []
        rewind = Rewind(raw["tables"], raw["programme"], raw["links"], audit)
        points = [_point(today, now, snapshots.build(rewind, None))]
    for day, ts in reversed(past):
        if cancelled():
            break
        changed = rewind.back_to(ts)
        # Values brought back from the audit trail are shown like the live ones: controls visible.
        _sanitise([dict_row for t, rid in changed if (dict_row := _owned(rewind, t, rid)) is not None])
        points.append(_point(day, ts, snapshots.build(rewind, changed)))
    return Trend(list(reversed(points)))


def live_trend(trend: Trend | None, model: Model) -> Trend:
    """The trend with the model's figures as its last point: the past weeks do not move, this
    week does, with every live change (or, time travelling, the moment shown)."""
    programme, projects = figures_of(model.rollup, model.snapshot.risks)
    now = TrendPoint(model.today, "now", programme, projects)
    return trend.with_now(now) if trend is not None else Trend([now])


# ---------------------------------------------------------------------------- text (CLI)


def _days(v: int | None) -> str:
    return "–" if v is None else (f"{v:+d}d" if v else "0d")


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{v:.0f}%"


_COLUMNS: tuple[tuple[str, str, int, Callable[[Any], str]], ...] = (
    ("rag", "RAG", 3, lambda v: v or "–"),
    ("slip_days", "Slip", 5, _days),
    ("cpi", "CPI", 5, fmt_ratio),
    ("spi", "SPI", 5, fmt_ratio),
    ("exposure", "Exposure", 8, str),
    ("open_high_critical", "H/C", 4, str),
    ("realisation_pct", "Benefits", 8, _pct),
)
_WORDS = {
    "rag": "RAG",
    "slip_days": "slip",
    "cpi": "CPI",
    "spi": "SPI",
    "exposure": "risk exposure",
    "open_high_critical": "open high/critical risks",
    "realisation_pct": "benefits realised",
}


def _table(days: list[pendulum.Date], figures: list[Figures | None]) -> list[str]:
    header = f"{'Week':<11}" + "".join(f"{title:>{w + 2}}" for _, title, w, _ in _COLUMNS)
    lines = [header]
    for i, (day, fig) in enumerate(zip(days, figures, strict=True)):
        label = day.format("ddd DD MMM")
        if fig is None:
            row = "  (not recorded yet)"
        else:
            row = "".join(f"{show(fig.value(name)):>{w + 2}}" for name, _, w, show in _COLUMNS)
        lines.append(f"{label:<11}{row}" + ("   now" if i == len(days) - 1 else ""))
    return lines


def _summary(figures: list[Figures | None]) -> str:
    known = [f for f in figures if f is not None]
    if len(known) < 2:
        return ""
    first, last = known[0], known[-1]
    parts = []
    for metric in METRICS:
        way = direction(metric, first.value(metric), last.value(metric))
        if way in ("better", "worse"):
            show = next(show for name, _, _, show in _COLUMNS if name == metric)
            parts.append(f"{_WORDS[metric]} {way} ({show(first.value(metric))} → {show(last.value(metric))})")
    return "; ".join(parts) if parts else "no figure moved"


def trend_text(trend: Trend, *, name: str, project_id: int | None = None, project: str = "") -> str:
    """The trend for a terminal: a row per week (the last is now), what got better or worse since
    the first week, and (programme) each project's RAG week by week."""
    days = trend.days
    subject = f"{project} — " if project else ""
    lines = [
        f"{subject}{name}: weekly trend, {len(days)} week(s) to {days[-1].format('ddd D MMM YYYY')} "
        "(each week at its Friday's end, the last now)",
        "",
        *_table(days, trend.figures(project_id)),
    ]
    summary = _summary(trend.figures(project_id))
    if summary:
        lines += ["", f"Since {days[0].format('ddd D MMM')}: {summary}"]
    if project_id is None and trend.points:
        last = trend.points[-1].projects
        if last:
            lines += ["", "RAG by week, oldest first (· not there yet):"]
            width = max(len(f.code) for f in last.values())
            for pid, fig in sorted(last.items(), key=lambda kv: kv[1].code.lower()):
                strip = " ".join((f.rag or "–") if f is not None else "·" for f in trend.figures(pid))
                lines.append(f"  {fig.code:<{width}}  {strip}")
    return "\n".join(lines)


def project_id_of(store: Store, code: str) -> tuple[int, str]:
    """A project named on the command line (its code, as `set` takes it): (id, code)."""
    row = store.get("project", code)
    return int(row["id"]), str(row["code"])
