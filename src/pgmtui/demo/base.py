"""Demo programmes: the hand-authored "Digital Workplace" (small) and a generated one for benchmarks (large).

Everything is written through the store (validated, versioned, audited) and is deterministic: the same
`today` gives the same database, row for row. Nothing reads the wall clock; every write happens inside
``store.acting(user=..., at=...)`` at an instant derived from `today`.

The small demo lives in ``data/demo_programme.json``. Its records hold the *final* state (what the
screens show), with dates as day offsets from today. Its ``history`` lists the changes made over the
past weeks, each with the value it replaced; :func:`build_demo` walks that history backwards to find
the state the records were created in (backdated, as user ``pmo``), then replays it forwards through
``store.update/insert/delete`` so the audit trail and the final state agree by construction.
"""

from __future__ import annotations

import json
from datetime import date as _date
from pathlib import Path
from typing import Any

import pendulum

import pgmtui
from pgmtui.store import KINDS, Store

DATA_FILE = "demo_programme.json"
SIZES = ("small", "large")
SEED = 20_261_123  # fixed: the demo must be identical on every run with the same `today`

# Kinds in the order they are created (parents before children).
KIND_ORDER = tuple(KINDS)  # parents before children, as the store defines them
# JSON section → kind.
SECTIONS = {
    "projects": "project",
    "milestones": "milestone",
    "dependencies": "dependency",
    "risks": "risk",
    "issues": "issue",
    "assumptions": "assumption",
    "decisions": "decision",
    "benefits": "benefit",
    "objectives": "objective",
    "contributions": "contribution",
    "business_cases": "business_case",
    "gate_reviews": "gate_review",
    "people": "person",
    "allocations": "allocation",
    "stakeholders": "stakeholder",
    "engagements": "engagement",
    "communications": "communication",
    "actions": "action",
    "lessons": "lesson",
}
# Keys in the JSON records that are not store fields.
_META_KEYS = ("created", "progress_from", "recorded_by", "measurements")


# ---------------------------------------------------------------------------- paths and dates


def demo_data_path() -> Path:
    """The folder holding the demo data files.

    An installed wheel ships the repository's ``data/`` as ``pgmtui/data``; an editable or source
    checkout has it two levels above ``src/pgmtui``.
    """
    package = Path(pgmtui.__file__).resolve().parent
    for folder in (package / "data", package.parents[1] / "data"):
        if (folder / DATA_FILE).is_file():
            return folder
    raise FileNotFoundError(
        f"demo data {DATA_FILE} not found in {package / 'data'} or {package.parents[1] / 'data'}"
    )


def load_small_spec() -> dict[str, Any]:
    with (demo_data_path() / DATA_FILE).open(encoding="utf-8") as fh:
        return json.load(fh)


def _as_date(value: Any) -> pendulum.Date:
    if not isinstance(value, _date):
        raise TypeError(f"today must be a date, got {value!r}")
    return pendulum.Date(value.year, value.month, value.day)


def previous_working_day(day: _date) -> pendulum.Date:
    """The working day before `day` (Monday → Friday; weekends skipped, holidays not known)."""
    d = _as_date(day).subtract(days=1)
    while d.weekday() >= 5:
        d = d.subtract(days=1)
    return d


def working_day(today: _date, offset: int) -> pendulum.Date:
    """`offset` working days before today (0 = today itself, -1 = the previous working day)."""
    if offset > 0:
        raise ValueError("working-day offsets count backwards from today (0, -1, -2, ...)")
    d = _as_date(today)
    for _ in range(-offset):
        d = previous_working_day(d)
    return d


def _at(day: _date, hhmm: str) -> pendulum.DateTime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, tz="UTC")


def _check_empty(store: Store) -> None:
    programme = store.programme()
    if programme is not None:
        raise ValueError(
            f"this database already holds programme {programme['name']!r}; the demo needs an empty "
            "database (reset it first, e.g. with --force)"
        )
    filled = [kind for kind in KIND_ORDER if store.count(kind)]
    if filled:
        raise ValueError(f"this database is not empty (it holds {', '.join(filled)} records)")


def _counts(store: Store) -> dict[str, int]:
    counts = {kind: store.count(kind) for kind in KIND_ORDER}
    counts["audit"] = store.audit_count()
    return counts


def build_demo(store: Store, today: _date, size: str = "small", scale: int = 1) -> dict[str, int]:
    """Write a demo programme into an empty store; return the number of records of each kind.

    ``size="small"``: the hand-authored Digital Workplace programme with a dated audit history.
    ``size="large"``: a generated programme for benchmarks (200 projects, 2,000 milestones, 1,500
    dependencies, 5,000 risks, 500 benefits with 20,000 measurements, 50,000 audit rows, and 500 people
    with 5,000 allocations), every count
    multiplied by `scale`.
    """
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r} (one of: {', '.join(SIZES)})")
    if not isinstance(scale, int) or isinstance(scale, bool) or scale < 1:
        raise ValueError(f"scale must be a whole number ≥ 1, got {scale!r}")
    if size == "small" and scale != 1:
        raise ValueError("scale applies to the large demo only")
    today = _as_date(today)
    _check_empty(store)
    with store.batch():
        if size == "small":
            from pgmtui.demo.small import build_small

            build_small(store, today, load_small_spec())
        else:
            from pgmtui.demo.large import build_large

            build_large(store, today, scale)
    return _counts(store)
