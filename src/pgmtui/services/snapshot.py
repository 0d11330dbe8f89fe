"""Reading a consistent snapshot of the store and building the Model every screen renders from
(live refresh) and the rollup the CLI prints. Free of textual."""

from __future__ import annotations

import contextlib
import gc
import itertools
import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import pendulum

from pgmtui import clock
from pgmtui.domain.calendar import standup_window_start
from pgmtui.domain.deps import build_network, critical_path
from pgmtui.domain.implied import implied_forecasts
from pgmtui.domain.memo import Memo
from pgmtui.domain.models import (
    Benefit,
    Dependency,
    Measurement,
    Milestone,
    Programme,
    Project,
    Risk,
    Snapshot,
)
from pgmtui.domain.risk import score_trend
from pgmtui.domain.rollup import ProgrammeRollup, rollup
from pgmtui.model import Model
from pgmtui.records.fields import RECORD_TABLES
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


_MAX_POOLED = 500_000


class _RowCache:
    """What the previous refresh built, kept for the next one (one per store).

    Tables whose change counter has not moved (schema 7: triggers count every write, whoever
    makes it) are not read again: their row list and record list are handed out again as the
    very same objects, which tells `Snapshot.memo` that everything derived from them still holds.
    A table that is read again reuses, row by row, the dict and domain record of every row whose
    values are all unchanged (compared in full), so a one-cell change converts one row, not
    thirty thousand; and when no row changed at all the previous lists are handed out again.
    Dicts and records are never mutated after they are built, so consecutive Models share them
    (which also keeps the peak memory of a refresh low)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # table → (column names, {id: [row dict, record]}), and the lists last handed out.
        self.entries: dict[str, tuple[tuple[str, ...], dict[Any, list[Any]]]] = {}
        self.built: dict[str, tuple[list[Any], list[Any]]] = {}
        self.indexes: dict[str, tuple[list[Any], dict[int, dict[str, Any]]]] = {}
        self.links: dict[str, dict[int, list[int]]] = {}
        self.programme: tuple[dict[str, Any], dict[str, Any], Programme] | None = None
        self.counters: dict[str, int] = {}
        self.memo = Memo()
        # One str object per distinct text: sqlite3 makes a new one for every cell, and a
        # programme's dates, statuses, kinds, names and users repeat across tens of thousands of
        # rows (on the large demo 24 MB of text was 1 MB of distinct values).
        self.strings: dict[str, str] = {}
        self.unsafe_seen = False  # a pooled text needed making safe to show (see _sanitise)

    def rows(
        self, table: str, names: tuple[str, ...], tuples: Iterable[tuple[Any, ...]]
    ) -> tuple[list, list]:
        prev_names, prev = self.entries.get(table, ((), {}))
        if prev_names != names:  # the schema changed under us: start afresh
            prev = {}
        key = names.index("id")
        entries: dict[Any, list[Any]] = {}
        fresh: list[list[Any]] = []
        strings = self.strings
        if len(strings) > _MAX_POOLED:  # a long session's edits: start the pool again
            strings.clear()
            self.unsafe_seen = False
        pooled_before = len(strings)
        shared = strings.setdefault
        for tup in tuples:
            e = prev.get(tup[key])
            # A sanitised row never compares equal to its raw values, so it is simply rebuilt.
            if e is None or tuple(e[0].values()) != tup:
                values = [shared(v, v) if type(v) is str else v for v in tup]
                e = [dict(zip(names, values, strict=True)), None]
                fresh.append(e)
            entries[tup[key]] = e
        self.entries[table] = (names, entries)
        before = self.built.get(table)
        if not fresh and before is not None and len(before[0]) == len(entries):
            if all(a is e[0] for a, e in zip(before[0], entries.values(), strict=True)):
                return before  # nothing changed: the same lists, so derived figures hold
        if fresh:
            # Text is checked once per distinct value: the texts this table added to the pool
            # (the newest keys of the dict), not every cell of every row.
            new_texts = list(itertools.islice(reversed(strings), len(strings) - pooled_before))
            if new_texts and _CONTROLS.search("\t".join(new_texts)):
                self.unsafe_seen = True
            users = {u for e in fresh if isinstance(u := e[0].get("updated_by"), str)}
            if self.unsafe_seen or any("\n" in u or "\t" in u for u in users):
                _sanitise([e[0] for e in fresh])
            make = _RECORDS.get(table)
            if make is not None:
                for e in fresh:
                    e[1] = make(e[0])
        built = entries.values()
        self.built[table] = result = ([e[0] for e in built], [e[1] for e in built])
        return result

    def link(self, table: str, pairs: dict[int, list[int]]) -> dict[int, list[int]]:
        before = self.links.get(table)
        if before is not None and before == pairs:
            return before
        self.links[table] = pairs
        return pairs

    def programme_of(self, row: dict[str, Any] | None) -> tuple[dict[str, Any] | None, Programme | None]:
        if row is None:
            self.programme = None
            return None, None
        if self.programme is not None and self.programme[0] == row:
            return self.programme[1], self.programme[2]
        shown = dict(row)
        _sanitise([shown])
        self.programme = (row, shown, Programme.from_row(shown))
        return shown, self.programme[2]

    def index(self, table: str, rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
        """Rows by id, built again only when the table's rows are not the same list as before."""
        found = self.indexes.get(table)
        if found is not None and found[0] is rows:
            return found[1]
        index = {r["id"]: r for r in rows}
        self.indexes[table] = (rows, index)
        return index


_CACHES: weakref.WeakKeyDictionary[Store, _RowCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _row_cache(store: Store) -> _RowCache:
    with _CACHES_LOCK:
        cache = _CACHES.get(store)
        if cache is None:
            _CACHES[store] = cache = _RowCache()
        return cache


def _cached_snapshot(
    store: Store, cache: _RowCache, *, full: bool = False
) -> tuple[dict[str, Any], Snapshot]:
    """`load_snapshot`, re-reading only the tables changed since the store's previous call and
    reusing what was built from the others (see _RowCache). ``full``: read every table again."""
    known = None if full or not cache.built else cache.counters
    raw = store.read_all(unchanged_since=known, convert=cache.rows)
    tables: dict[str, list[dict[str, Any]]] = {}
    records: dict[str, list[Any]] = {}
    for table in RECORD_TABLES:
        tables[table], records[table] = raw["tables"].get(table) or cache.built[table]
    links = {table: cache.link(table, pairs) for table, pairs in raw["links"].items()}
    for table, pairs in cache.links.items():
        links.setdefault(table, pairs)
    cache.counters = raw["counters"]
    programme, programme_record = cache.programme_of(raw["programme"])
    raw["tables"] = tables
    raw["links"] = links
    raw["benefit_links"] = links.get("benefit_project", {})
    raw["programme"] = programme
    snapshot = Snapshot(
        programme=programme_record,
        projects=records["project"],
        milestones=records["milestone"],
        dependencies=records["dependency"],
        risks=records["risk"],
        benefits=records["benefit"],
        measurements=records["measurement"],
        benefit_projects=raw["benefit_links"],
        rows=tables,
        links=links,
        memo=cache.memo,
    )
    return raw, snapshot


def build_model(store: Store, today: pendulum.Date, *, generation: int = 0, full: bool = False) -> Model:
    """The Model of the store as it is now. Builds on the store's previous build: only what
    changed since is read and derived again (``full``: read every table again, e.g. the `r` key)."""
    started = time.perf_counter()
    cache = _row_cache(store)
    with cache.lock, _bulk_build():
        raw, snapshot = _cached_snapshot(store, cache, full=full)
        memo = cache.memo
        result = rollup(snapshot, today)
        near = near_critical_days(snapshot)
        milestones, dependencies = snapshot.milestones, snapshot.dependencies
        network = memo.get("model.network", near, (milestones, dependencies), lambda: network_of(snapshot))
        critical = memo.get("model.critical", (), (network,), lambda: critical_path(network))
        implied = memo.get(
            "model.implied",
            (),
            (network, snapshot.projects),
            lambda: implied_forecasts(network, snapshot.projects),
        )
        risks = raw["tables"]["risk"]
        trends, inherent_trends = memo.get(
            "model.risk_trends", today.toordinal(), (risks,), lambda: risk_trends(store, risks, today)
        )
        indexes = {table: cache.index(table, rows) for table, rows in raw["tables"].items()}
        memo.next_build()
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
        indexes=indexes,
        audit_mark=raw["audit_mark"],
    )
