"""Reading a consistent snapshot of the store and building the Model every screen renders from
(live refresh) and the rollup the CLI prints. Free of textual."""

from __future__ import annotations

import contextlib
import gc
import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pendulum

from pgmtui import clock
from pgmtui.domain.calendar import standup_window_start
from pgmtui.domain.deps import build_network, critical_path
from pgmtui.domain.implied import implied_forecasts
from pgmtui.domain.models import (
    Benefit,
    Dependency,
    Measurement,
    Milestone,
    Programme,
    Project,
    Risk,
    Snapshot,
    _links,
)
from pgmtui.domain.risk import score_trend
from pgmtui.domain.rollup import ProgrammeRollup, rollup
from pgmtui.model import Model
from pgmtui.safetext import UNSAFE, shown_user, visible_controls
from pgmtui.store import Store

# Record text is shown through pgmtui.safetext (control characters and bidi overrides made visible).
_CONTROLS = UNSAFE


def _sanitise(rows: list[dict[str, Any]]) -> None:
    # Fast path (every refresh reads every row): one C-level search over all the table's text,
    # joined by tabs (which the pattern leaves alone); rows are only walked when it finds something.
    # User names must also stay on one line (a newline in `updated_by` could fake a line of output).
    texts = [v for row in rows for v in row.values() if isinstance(v, str)]
    users = "\x00".join(u for row in rows if isinstance(u := row.get("updated_by"), str))
    if not texts or not (_CONTROLS.search("\t".join(texts)) or "\n" in users or "\t" in users):
        return
    for row in rows:
        for key, value in row.items():
            if key == "updated_by" and isinstance(value, str):
                row[key] = shown_user(value)
            elif isinstance(value, str) and _CONTROLS.search(value):
                row[key] = visible_controls(value)


def _shown_change(value: Any) -> Any:
    if isinstance(value, str):
        return visible_controls(value) if _CONTROLS.search(value) else value
    if isinstance(value, list):
        return [_shown_change(v) for v in value]
    return value


def display_audit(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Audit rows made safe to show: the user name on one line with control characters visible,
    and text in the changes likewise (a database written by another tool may hold anything)."""
    for row in rows:
        row["user"] = shown_user(row.get("user"))
        changes = row.get("changes")
        if isinstance(changes, dict):
            row["changes"] = {str(k): _shown_change(v) for k, v in changes.items()}
    return rows


def audit_rows(store: Store, **query: Any) -> list[dict[str, Any]]:
    """`Store.audit` for display (see display_audit); same arguments."""
    return display_audit(store.audit(**query))


def audit_for(store: Store, targets: dict[str, list[int]], *, limit: int = 50) -> list[dict[str, Any]]:
    """`Store.audit_for` for display (see display_audit)."""
    return display_audit(store.audit_for(targets, limit=limit))


def read_for_display(store: Store, *, fields_only: bool = False) -> dict[str, Any]:
    """`Store.read_all` with every text made safe to show (see _sanitise)."""
    raw = store.read_all(fields_only=fields_only)
    for rows in raw["tables"].values():
        _sanitise(rows)
    if raw["programme"]:
        _sanitise([raw["programme"]])
    return raw


def load_snapshot(store: Store, *, fields_only: bool = False) -> tuple[dict[str, Any], Snapshot]:
    raw = read_for_display(store, fields_only=fields_only)
    return raw, Snapshot.from_rows(raw["programme"], raw["tables"], raw["benefit_links"], links=raw["links"])


def near_critical_days(snapshot: Snapshot) -> int:
    programme = snapshot.programme
    value = getattr(programme, "near_critical_days", None) if programme else None
    return 5 if value is None else int(value)


_GC_LOCK = threading.Lock()
_GC_HOLDERS = 0
_GC_WAS_ENABLED = False


@contextlib.contextmanager
def _bulk_build() -> Iterator[None]:
    """Pause the cyclic garbage collector while tens of thousands of rows become dicts and records
    (none of them in cycles): otherwise its passes, which walk every live object (the previous model
    included), cost about a tenth of each build. Re-enabled when the last concurrent build ends."""
    global _GC_HOLDERS, _GC_WAS_ENABLED
    with _GC_LOCK:
        if _GC_HOLDERS == 0:
            _GC_WAS_ENABLED = gc.isenabled()
            gc.disable()
        _GC_HOLDERS += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_HOLDERS -= 1
            if _GC_HOLDERS == 0 and _GC_WAS_ENABLED:
                gc.enable()


def rollup_of(store: Store, today: pendulum.Date) -> ProgrammeRollup:
    with _bulk_build():
        # Version and timestamps are the store's bookkeeping; no rule reads them, so a one-off
        # rollup need not turn 4 × tens of thousands of them into Python objects.
        _, snapshot = load_snapshot(store, fields_only=True)
        return rollup(snapshot, today)


def network_of(snapshot: Snapshot):
    return build_network(snapshot.milestones, snapshot.dependencies, near_critical_days(snapshot))


def risk_trends(
    store: Store, risks: list[dict[str, Any]], today: pendulum.Date
) -> tuple[dict[int, str], dict[int, str]]:
    """↑ ↓ → (or "new") per risk: its score now against its score at the start of the stand-up
    window, as (residual trends, inherent trends) — the heatmap shows whichever it positions by."""
    since = clock.timestamp(standup_window_start(today))
    changed: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in audit_rows(store, since=since, table="risk"):
        changed[row["row_id"]].append(row)
    residual: dict[int, str] = {}
    inherent: dict[int, str] = {}
    for risk in risks:
        rows = changed.get(risk["id"])
        if not rows:
            residual[risk["id"]] = inherent[risk["id"]] = "→"
        elif any(r["action"] == "insert" for r in rows):
            residual[risk["id"]] = inherent[risk["id"]] = "new"
        else:
            residual[risk["id"]] = score_trend(risk, rows) or "→"
            inherent[risk["id"]] = score_trend(risk, rows, residual=False) or "→"
    return residual, inherent


# Domain record type per table (tables without one are kept as rows only).
_RECORDS: dict[str, Any] = {
    "project": Project.from_row,
    "milestone": Milestone.from_row,
    "dependency": Dependency.from_row,
    "risk": Risk.from_row,
    "benefit": Benefit.from_row,
    "measurement": Measurement.from_row,
}


class _RowCache:
    """What the previous refresh built, by row id: a row whose values are all unchanged (compared
    in full, so writes that bypass the store are seen too) reuses its dict and domain record instead
    of converting and sanitising them again. A one-cell change on a large programme then converts
    one row, not thirty thousand. Dicts and records are never mutated after they are built, so
    consecutive Models share them (which also keeps the peak memory of a refresh low)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tables: dict[str, tuple[tuple[str, ...], dict[Any, list[Any]]]] = {}

    def rows(self, table: str, names: tuple[str, ...], tuples: list[tuple[Any, ...]]) -> tuple[list, list]:
        prev_names, prev = self.tables.get(table, ((), {}))
        if prev_names != names:  # the schema changed under us: start afresh
            prev = {}
        key = names.index("id")
        entries: dict[Any, list[Any]] = {}
        fresh: list[list[Any]] = []
        for tup in tuples:
            e = prev.get(tup[key])
            # A sanitised row never compares equal to its raw values, so it is simply rebuilt.
            if e is None or tuple(e[0].values()) != tup:
                e = [dict(zip(names, tup, strict=True)), None]
                fresh.append(e)
            entries[tup[key]] = e
        if fresh:
            _sanitise([e[0] for e in fresh])
            make = _RECORDS.get(table)
            if make is not None:
                for e in fresh:
                    e[1] = make(e[0])
        self.tables[table] = (names, entries)
        built = entries.values()
        return [e[0] for e in built], [e[1] for e in built]


_CACHES: weakref.WeakKeyDictionary[Store, _RowCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _cached_snapshot(store: Store) -> tuple[dict[str, Any], Snapshot]:
    """`load_snapshot`, reusing the rows and records of the store's previous call when unchanged."""
    with _CACHES_LOCK:
        cache = _CACHES.get(store)
        if cache is None:
            _CACHES[store] = cache = _RowCache()
    with cache.lock:
        raw = store.read_all(as_tuples=True)
        tables: dict[str, list[dict[str, Any]]] = {}
        records: dict[str, list[Any]] = {}
        for table, (names, tuples) in raw["tables"].items():
            tables[table], records[table] = cache.rows(table, names, tuples)
    programme = raw["programme"]
    if programme:
        _sanitise([programme])
    raw["tables"] = tables
    snapshot = Snapshot(
        programme=Programme.from_row(programme) if programme else None,
        projects=records["project"],
        milestones=records["milestone"],
        dependencies=records["dependency"],
        risks=records["risk"],
        benefits=records["benefit"],
        measurements=records["measurement"],
        benefit_projects=_links(raw["benefit_links"]),
        rows=tables,
        links=raw["links"],
    )
    return raw, snapshot


def build_model(store: Store, today: pendulum.Date, *, generation: int = 0) -> Model:
    started = time.perf_counter()
    with _bulk_build():
        raw, snapshot = _cached_snapshot(store)
        result = rollup(snapshot, today)
        network = network_of(snapshot)
        critical = critical_path(network)
        implied = implied_forecasts(network, snapshot.projects)
        trends, inherent_trends = risk_trends(store, raw["tables"]["risk"], today)
    return Model(
        generation=generation,
        today=today,
        programme=raw["programme"],
        tables=raw["tables"],
        benefit_links=raw["benefit_links"],
        links=raw["links"],
        snapshot=snapshot,
        rollup=result,
        critical=critical,
        risk_trends=trends,
        risk_trends_inherent=inherent_trends,
        implied=implied,
        load_seconds=time.perf_counter() - started,
        user=store.user,
    )
