"""Domain records: immutable, typed views of store rows.

The store hands rows over as plain mappings (column → value, dates as ISO text, references as
``<name>_id``). Converting them once, at the edge, means every rule works on typed values (dates as
``pendulum.Date``, numbers as numbers) and cannot alter what the store holds by accident. Field
names are the column names, so a row and its record read the same.

``from_row`` methods are written out by hand rather than generated from the dataclass fields: they
run for every row of every refresh (tens of thousands on a big programme), and the plain version is
several times faster than a generic loop. For the same reason the bookkeeping columns (version,
created_at, updated_at, updated_by) stay in the store: no rule reads them, and every field of a
frozen dataclass costs time to set.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self, overload

import pendulum

from pgmtui.domain.memo import NO_MEMO, Memo

__all__ = [
    "RECORD_LISTS",
    "Benefit",
    "Dependency",
    "Measurement",
    "Milestone",
    "Programme",
    "Project",
    "Risk",
    "Snapshot",
    "Tolerances",
    "as_date",
    "to_ordinal",
]

# ISO text → Date. Programmes reuse a few thousand distinct dates across tens of thousands of rows,
# so parsing each once is a large saving; Date objects are immutable, so sharing them is safe.
_DATE_CACHE: dict[str, pendulum.Date] = {}
_DATE_CACHE_MAX = 100_000


def as_date(value: Any) -> pendulum.Date | None:
    """Return ``value`` as a ``pendulum.Date`` (None/'' → None).

    Accepts ISO text ('YYYY-MM-DD', or a timestamp whose first ten characters are a date),
    ``datetime.date``/``datetime.datetime`` and pendulum values. Raises ValueError for text that is
    not a date: the store validates dates, so a bad one is a bug worth hearing about.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        d = _DATE_CACHE.get(value)
        if d is None:
            try:
                d = pendulum.Date.fromisoformat(value[:10])
            except ValueError:
                raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from None
            if len(_DATE_CACHE) >= _DATE_CACHE_MAX:
                _DATE_CACHE.clear()
            _DATE_CACHE[value] = d
        return d
    if isinstance(value, _dt.datetime):  # before Date: pendulum.DateTime is also a Date
        return pendulum.Date(value.year, value.month, value.day)
    if isinstance(value, pendulum.Date):
        return value
    if isinstance(value, _dt.date):
        return pendulum.Date(value.year, value.month, value.day)
    raise ValueError(f"not a date: {value!r}")


def to_ordinal(value: Any) -> int | None:
    """Proleptic Gregorian ordinal of a date (None stays None): cheap integer day arithmetic."""
    d = as_date(value)
    return None if d is None else d.toordinal()


# With a default the result is never None; without one a missing value stays None.
@overload
def _f(value: Any, default: float) -> float: ...
@overload
def _f(value: Any, default: None = None) -> float | None: ...
def _f(value: Any, default: float | None = None) -> float | None:
    return default if value is None or value == "" else float(value)


@overload
def _i(value: Any, default: int) -> int: ...
@overload
def _i(value: Any, default: None = None) -> int | None: ...
def _i(value: Any, default: int | None = None) -> int | None:
    return default if value is None or value == "" else int(value)


@overload
def _s(value: Any, default: str) -> str: ...
@overload
def _s(value: Any, default: None = None) -> str | None: ...
def _s(value: Any, default: str | None = None) -> str | None:
    return default if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Tolerances:
    """The programme's tolerances, with the design defaults when there is no programme row."""

    schedule_days: int = 10
    cost_pct: float = 10.0
    near_critical_days: int = 5

    @classmethod
    def of(cls, programme: Programme | None) -> Tolerances:
        if programme is None:
            return cls()
        return cls(
            schedule_days=programme.tolerance_schedule_days,
            cost_pct=programme.tolerance_cost_pct,
            near_critical_days=programme.near_critical_days,
        )


@dataclass(frozen=True, slots=True)
class Programme:
    id: int
    name: str = ""
    sponsor: str | None = None
    manager: str | None = None
    start_date: pendulum.Date | None = None
    end_date: pendulum.Date | None = None
    tolerance_schedule_days: int = 10
    tolerance_cost_pct: float = 10.0
    near_critical_days: int = 5
    currency: str = "GBP"
    rag_override: str | None = None
    rag_reason: str | None = None
    status_note: str | None = None
    discount_rate_pct: float = 3.5  # business cases without a rate of their own use it
    resource_lookahead_weeks: int = 4  # weeks from today's checked for over-allocated people

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        g = row.get
        return cls(
            _i(g("id"), 0),
            _s(g("name"), ""),
            g("sponsor"),
            g("manager"),
            as_date(g("start_date")),
            as_date(g("end_date")),
            _i(g("tolerance_schedule_days"), 10),
            _f(g("tolerance_cost_pct"), 10.0),
            _i(g("near_critical_days"), 5),
            _s(g("currency"), "GBP"),
            g("rag_override") or None,
            g("rag_reason"),
            g("status_note"),
            _f(g("discount_rate_pct"), 3.5),
            _i(g("resource_lookahead_weeks"), 4),
        )

    @property
    def tolerances(self) -> Tolerances:
        return Tolerances.of(self)


@dataclass(frozen=True, slots=True)
class Project:
    id: int
    code: str = ""
    name: str = ""
    programme_id: int | None = None
    manager: str | None = None
    stage: str = "Initiation"
    start_date: pendulum.Date | None = None
    baseline_end: pendulum.Date | None = None
    forecast_end: pendulum.Date | None = None
    # Explicit None (a NULL from an import, say) means "unknown" and makes EVM figures undefined.
    budget: float | None = 0.0
    actual_cost: float | None = 0.0
    percent_complete: float | None = 0.0
    rag_override: str | None = None
    rag_reason: str | None = None
    status_note: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        g = row.get
        return cls(
            _i(g("id"), 0),
            _s(g("code"), ""),
            _s(g("name"), ""),
            _i(g("programme_id")),
            g("manager"),
            _s(g("stage"), "Initiation"),
            as_date(g("start_date")),
            as_date(g("baseline_end")),
            as_date(g("forecast_end")),
            _f(g("budget", 0.0)),
            _f(g("actual_cost", 0.0)),
            _f(g("percent_complete", 0.0)),
            g("rag_override") or None,
            g("rag_reason"),
            g("status_note"),
        )


@dataclass(frozen=True, slots=True)
class Milestone:
    id: int
    project_id: int | None = None
    name: str = ""
    baseline_date: pendulum.Date | None = None
    forecast_date: pendulum.Date | None = None
    actual_date: pendulum.Date | None = None
    is_gate: bool = False

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        g = row.get
        return cls(
            _i(g("id"), 0),
            _i(g("project_id")),
            _s(g("name"), ""),
            as_date(g("baseline_date")),
            as_date(g("forecast_date")),
            as_date(g("actual_date")),
            bool(g("is_gate")),
        )

    @property
    def finish(self) -> pendulum.Date | None:
        """The date the milestone happens on: actual, else forecast, else baseline."""
        return self.actual_date or self.forecast_date or self.baseline_date

    @property
    def done(self) -> bool:
        return self.actual_date is not None


@dataclass(frozen=True, slots=True)
class Dependency:
    id: int
    supplier_id: int = 0
    consumer_id: int = 0
    type: str = "FS"
    lag_days: int = 0
    owner: str | None = None
    note: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        g = row.get
        return cls(
            _i(g("id"), 0),
            _i(g("supplier_id"), 0),
            _i(g("consumer_id"), 0),
            (_s(g("type")) or "FS").upper(),
            _i(g("lag_days"), 0),
            g("owner"),
            g("note"),
        )


@dataclass(frozen=True, slots=True)
class Risk:
    id: int
    project_id: int | None = None  # None = programme-level risk
    title: str = ""
    kind: str = "threat"
    cause: str | None = None
    event: str | None = None
    effect: str | None = None
    category: str | None = None
    owner: str | None = None
    probability: int | None = None
    impact: int | None = None
    residual_probability: int | None = None
    residual_impact: int | None = None
    proximity: str | None = None  # an ISO date or one of the proximity words; kept as text
    response: str | None = None
    actions: str | None = None
    status: str = "open"
    review_date: pendulum.Date | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        g = row.get
        # Thousands of rows per refresh: skip conversions SQLite has already done.
        i, pid = g("id"), g("project_id")
        p, im, rp, ri = g("probability"), g("impact"), g("residual_probability"), g("residual_impact")
        return cls(
            i if i.__class__ is int else _i(i, 0),
            pid if pid is None or pid.__class__ is int else _i(pid),
            g("title") or "",
            g("kind") or "threat",
            g("cause"),
            g("event"),
            g("effect"),
            g("category"),
            g("owner"),
            p if p is None or p.__class__ is int else _i(p),
            im if im is None or im.__class__ is int else _i(im),
            rp if rp is None or rp.__class__ is int else _i(rp),
            ri if ri is None or ri.__class__ is int else _i(ri),
            _s(g("proximity")),
            g("response"),
            g("actions"),
            g("status") or "open",
            as_date(g("review_date")),
        )

    @property
    def is_open(self) -> bool:
        return self.status != "closed"


@dataclass(frozen=True, slots=True)
class Benefit:
    id: int
    name: str = ""
    description: str | None = None
    owner: str | None = None
    kind: str = "non-cash"  # cash-releasing, non-cash, dis-benefit
    measure: str | None = None
    unit: str | None = None
    measurement_method: str | None = None
    baseline_value: float | None = None
    baseline_date: pendulum.Date | None = None
    target_value: float | None = None
    target_date: pendulum.Date | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        g = row.get
        return cls(
            _i(g("id"), 0),
            _s(g("name"), ""),
            g("description"),
            g("owner"),
            _s(g("kind"), "non-cash"),
            g("measure"),
            g("unit"),
            g("measurement_method"),
            _f(g("baseline_value")),
            as_date(g("baseline_date")),
            _f(g("target_value")),
            as_date(g("target_date")),
        )

    @property
    def is_dis_benefit(self) -> bool:
        return self.kind == "dis-benefit"


@dataclass(frozen=True, slots=True)
class Measurement:
    id: int
    benefit_id: int = 0
    date: pendulum.Date | None = None
    value: float | None = None
    note: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        # The most numerous rows (tens of thousands): skip conversions SQLite has already done.
        g = row.get
        i, b, d, v = g("id"), g("benefit_id"), g("date"), g("value")
        return cls(
            i if i.__class__ is int else _i(i, 0),
            b if b.__class__ is int else _i(b, 0),
            (_DATE_CACHE.get(d) or as_date(d)) if d.__class__ is str else as_date(d),
            v if v.__class__ is float else _f(v),
            g("note"),
        )


def _rows(tables: Mapping[str, Iterable[Mapping[str, Any]]], name: str) -> Iterable[Mapping[str, Any]]:
    # Table names are singular in the schema; accept the plural too so callers need not care.
    rows = tables.get(name)
    if rows is None:
        rows = tables.get(name + "s", ())
    return rows


def _links(benefit_links: Any) -> dict[int, list[int]]:
    """Normalise benefit→project links: a mapping, or benefit_project rows, or (benefit, project) pairs."""
    if not benefit_links:
        return {}
    if isinstance(benefit_links, Mapping):
        return {int(b): [int(p) for p in ps] for b, ps in benefit_links.items()}
    out: dict[int, list[int]] = {}
    for link in benefit_links:
        if isinstance(link, Mapping):
            b, p = link["benefit_id"], link["project_id"]
        else:
            b, p = link
        out.setdefault(int(b), []).append(int(p))
    return out


# The tables a Snapshot holds as typed records, and the attribute that holds each.
RECORD_LISTS: dict[str, str] = {
    "project": "projects",
    "milestone": "milestones",
    "dependency": "dependencies",
    "risk": "risks",
    "benefit": "benefits",
    "measurement": "measurements",
}


@dataclass(slots=True)
class Snapshot:
    """Everything the rollup needs, read at one moment. Lists, not dicts: order is the store's."""

    programme: Programme | None = None
    projects: list[Project] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    benefits: list[Benefit] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    benefit_projects: dict[int, list[int]] = field(default_factory=dict)
    # Every table's rows as the store read them (dicts), for rules that need no typed record:
    # the second wave's kinds (people, allocations, costs, stakeholders, …) are read from here.
    rows: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    # Every link table as {owner id: [linked ids]}: links["stakeholder_project"] (stakeholder →
    # projects), links["benefit_project"] (the same as benefit_projects).
    links: Mapping[str, Mapping[int, list[int]]] = field(default_factory=dict)
    # Figures the previous live build derived from the same inputs (pgmtui.domain.memo); a
    # snapshot read once (the CLI, a report) computes everything.
    memo: Memo = field(default=NO_MEMO)

    def table(self, name: str) -> Sequence[Mapping[str, Any]]:
        """The rows of one table (empty when the snapshot was built without it)."""
        return self.rows.get(name, ())

    @classmethod
    def from_rows(
        cls,
        programme_row: Mapping[str, Any] | None,
        tables: Mapping[str, Iterable[Mapping[str, Any]]],
        benefit_links: Any = None,
        *,
        links: Mapping[str, Mapping[int, list[int]]] | None = None,
    ) -> Snapshot:
        """Build from store rows: ``tables`` maps table name (project, milestone, dependency, risk,
        benefit, measurement, and every other kind's table) to its rows; ``benefit_links`` maps
        benefit_id → [project_id]; ``links`` every link table (see ``Snapshot.links``)."""
        benefit_projects = _links(benefit_links)
        return cls(
            programme=Programme.from_row(programme_row) if programme_row else None,
            projects=[Project.from_row(r) for r in _rows(tables, "project")],
            milestones=[Milestone.from_row(r) for r in _rows(tables, "milestone")],
            dependencies=[Dependency.from_row(r) for r in _rows(tables, "dependency")],
            risks=[Risk.from_row(r) for r in _rows(tables, "risk")],
            benefits=[Benefit.from_row(r) for r in _rows(tables, "benefit")],
            measurements=[Measurement.from_row(r) for r in _rows(tables, "measurement")],
            benefit_projects=benefit_projects,
            rows={name: list(rows) for name, rows in tables.items()},
            links={"benefit_project": benefit_projects, **(links or {})},
        )

    @property
    def tolerances(self) -> Tolerances:
        return Tolerances.of(self.programme)
