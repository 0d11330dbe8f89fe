"""The demo programmes' money (issue 14): a monthly cost plan per project, the actuals of the months
gone by (adding up to each project's actual cost), re-forecasts, contingency, the management
reserve and a few change requests raised and decided over the past weeks.

Small demo: the "finance" section of data/demo_programme.json (see its "format" notes) turned into
final cost and change-request records, the events that entered them (month-end actuals typed in a
few days later, requests raised and decided), and the state before those events. Large demo: 24
months of cost rows for every generated project. Deterministic for a given `today`.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pendulum

from pgmtui.domain import costplan

if TYPE_CHECKING:
    from pgmtui.demo.small import _Event, _Small
    from pgmtui.store import Store

ENTRY_WORKING_DAY = 13  # a month's actuals arrive when the ledger closes: this working day of the next month


# ---------------------------------------------------------------------------- the plan


def _month_end(index: int) -> int:
    year, month0 = divmod(index, 12)
    return _dt.date(year, month0 + 1, calendar.monthrange(year, month0 + 1)[1]).toordinal()


def _curve(x: float, b: float) -> float:
    """The share of the budget planned by time share x: the cumulative Beta(2, b) distribution,
    1 − (1 − x)^b (1 + b·x) — a gentle start, a peak at 1/b of the way, a tail. The lower b, the
    later the spend (b = 2 peaks half-way)."""
    x = min(1.0, max(0.0, x))
    return 1.0 - (1.0 - x) ** b * (1.0 + b * x)


def _planned(budget: float, start: int, end: int, b: float) -> list[tuple[int, float]]:
    """The budget spread over the months from start to end (ordinals) along the curve, in
    thousands: each month's plan is the rounded cumulative curve at its end minus the one before, so
    the months add up to the budget exactly."""
    first, last = costplan.month_of_ordinal(start), costplan.month_of_ordinal(end)
    out = []
    before = 0.0
    span = max(1, end - start)
    for index in range(first, last + 1):
        x = 1.0 if index == last else (_month_end(index) - start) / span
        cumulative = round(budget * _curve(x, b), -3)
        out.append((index, cumulative - before))
        before = cumulative
    return out


def shaped_plan(budget: float, start: int, end: int, target_pv: float, today: int) -> list[tuple[int, float]]:
    """The plan whose planned value today is closest to ``target_pv`` (a bisection on the curve's
    shape, between back-loaded and front-loaded)."""
    low, high = 0.5, 12.0  # b: the higher, the earlier the spend

    def pv(b: float) -> float:
        months = [costplan.MonthCost(costplan.month_text(i), p) for i, p in _planned(budget, start, end, b)]
        return costplan.planned_to_date(months, today)

    for _ in range(40):
        mid = math.sqrt(low * high)
        if pv(mid) < target_pv:
            low = mid
        else:
            high = mid
    return _planned(budget, start, end, math.sqrt(low * high))


def _spread(total: float, weights: list[float], step: float = -2) -> list[float]:
    """``total`` split in proportion to ``weights``, rounded (to hundreds), adding up exactly and
    never negative: each part is the rounded cumulative share minus the one before."""
    if not weights:
        return []
    whole = sum(weights) or 1.0
    parts, before, running = [], 0.0, 0.0
    for w in weights[:-1]:
        running += w
        cumulative = min(total, round(total * running / whole, int(step)))
        parts.append(cumulative - before)
        before = cumulative
    return [*parts, total - before]


def _following_the_plan(
    plan: list[tuple[int, float]], past: list[int], actual_cost: float, budget: float, end: int, code: str
) -> dict[int, float]:
    """The actual cost spread over the months gone by roughly as planned (weights = plan^α, with a
    small wobble), as close to the plan as keeps the burn rate from running the budget out before
    the baseline end: at the peak of an S-curve the last three months spend faster than the months
    to come, which is how a healthy project would trip the run-out rule."""
    end_month = costplan.month_of_ordinal(end)
    actuals: dict[int, float] = {}
    for alpha in (1.0, 0.8, 0.6, 0.4, 0.2, 0.0):
        weights = [max(plan[i][1], 1.0) ** alpha * (1 + 0.06 * math.sin(1.3 * i + len(code))) for i in past]
        actuals = dict(zip(past, _spread(actual_cost, weights), strict=True))
        spent = [actuals[i] for i in past]
        burn = sum(spent[-costplan.BURN_MONTHS :]) / len(spent[-costplan.BURN_MONTHS :])
        out = costplan.run_out_after(plan[past[-1]][0], actual_cost, budget, burn)
        if out is None or costplan.month_index(out) >= end_month:
            break
    return actuals


def cost_rows(
    code: str, record: Mapping[str, Any], spec: Mapping[str, Any], today: pendulum.Date
) -> list[dict[str, Any]]:
    """A project's cost rows (final state): the plan by month and category, the actuals of every
    month before this one adding up to its actual cost, forecasts for the months to come."""
    start = pendulum.Date.fromisoformat(record["start_date"]).toordinal()
    end = pendulum.Date.fromisoformat(record["baseline_end"]).toordinal()
    budget, actual_cost = float(record["budget"]), float(record["actual_cost"])
    earned = budget * float(record["percent_complete"]) / 100.0
    t = today.toordinal()
    plan = shaped_plan(budget, start, end, earned / float(spec.get("spi", 1.0)), t)
    current = costplan.month_of_ordinal(t)
    past = [i for i, (index, _) in enumerate(plan) if index < current] or [0]
    recent = list(spec.get("recent") or [])
    if recent:  # the last months' spend by these weights, the earlier ones light
        weights = [0.1] * (len(past) - len(recent)) + recent[-len(past) :]
        actuals = dict(zip(past, _spread(actual_cost, weights), strict=True))
    else:
        actuals = _following_the_plan(plan, past, actual_cost, budget, end, code)
    capex = float(spec.get("capex", 0.0))
    factor = spec.get("forecast")
    rows = []
    for i, (index, planned) in enumerate(plan):
        month = costplan.month_text(index)
        actual = actuals.get(i)
        forecast = None if factor is None or index < current else round(planned * float(factor), -3)
        shares = (("capex", capex), ("opex", 1.0 - capex)) if capex else (("opex", 1.0),)
        split_plan = _spread(planned, [s for _, s in shares], -3)
        split_actual = _spread(actual, [s for _, s in shares]) if actual is not None else [None] * len(shares)
        split_forecast = (
            _spread(forecast, [s for _, s in shares], -3) if forecast is not None else [None] * len(shares)
        )
        for (category, _), p, a, f in zip(shares, split_plan, split_actual, split_forecast, strict=True):
            rows.append(
                {
                    "project": code,
                    "month": month,
                    "category": category,
                    "planned": p,
                    "actual": a,
                    "forecast": f,
                }
            )
    return rows


# ---------------------------------------------------------------------------- the small demo


def add_records(small: _Small, final: dict[str, dict[Any, dict[str, Any]]]) -> None:
    """The final cost rows, change requests, contingency and reserve of the small demo."""
    spec = small.spec.get("finance")
    if not spec:
        return
    final["programme"]["programme"]["management_reserve"] = spec["management_reserve"]
    for code, project_spec in spec["projects"].items():
        record = final["project"][code]
        record["contingency"] = project_spec["contingency"]
        for row in cost_rows(code, record, project_spec, small.today):
            final["cost"][(code, row["month"], row["category"])] = row
    for cr in spec.get("change_requests", []):
        record = {
            "project": cr["project"],
            "title": cr["title"],
            "description": cr.get("description"),
            "cost_impact": cr["cost_impact"],
            "schedule_impact_days": cr["schedule_impact_days"],
            "funding": cr["funding"],
            "status": cr["status"],
            "raised_date": small.when(cr["raised"]).date().isoformat(),
        }
        if cr["status"] != "raised":
            record["decided_date"] = small.when(cr["decided"]).date().isoformat()
            record["decided_by"] = cr["decided_by"]
        final["change_request"][cr["title"]] = record


def _entered_at(small: _Small, month: str, code: str, n: int) -> pendulum.DateTime:
    """When a month's actuals are typed in: the 13th working day of the next month (never after
    this morning), or the project's `late_actual` instant for its last month."""
    late = small.spec["finance"]["projects"].get(code, {}).get("late_actual")
    index = costplan.month_index(month)
    if late and index == costplan.month_of_ordinal(small.today.toordinal()) - 1:
        return small.when(late)
    year, month0 = divmod(index + 1, 12)
    day = pendulum.Date(year, month0 + 1, 1)
    counted = 0
    while True:
        if day.weekday() < 5:
            counted += 1
            if counted == ENTRY_WORKING_DAY:
                break
        day = day.add(days=1)
    return small.recorded_at(day, f"10:{5 + n % 50:02d}")


def add_events(
    small: _Small, final: dict[str, dict[Any, dict[str, Any]]], add: Callable[[_Event], None]
) -> None:
    """Actuals typed in after the load, change requests raised and decided after it."""
    from pgmtui.demo.small import _Event

    spec = small.spec.get("finance")
    if not spec:
        return
    codes = list(spec["projects"])
    for key, row in final["cost"].items():
        if row.get("actual") is None:
            continue
        code, month, _category = key
        when = _entered_at(small, month, code, codes.index(code))
        if when > small.created_at:
            add(_Event(when, 0, spec["entered_by"], "update", "cost", key, set={"actual": row["actual"]},
                       was={"actual": None}))  # fmt: skip
    for cr in spec.get("change_requests", []):
        raised = small.when(cr["raised"])
        if raised > small.created_at:
            add(_Event(raised, 0, cr["raised_by"], "insert", "change_request", cr["title"]))
        if cr["status"] != "raised":
            record = final["change_request"][cr["title"]]
            add(
                _Event(
                    small.when(cr["decided"]),
                    0,
                    cr["decided_user"],
                    "update",
                    "change_request",
                    cr["title"],
                    set={k: record[k] for k in ("status", "decided_date", "decided_by")},
                    was={"status": "raised", "decided_date": None, "decided_by": None},
                )
            )


def adjust_initial(small: _Small, initial: dict[str, dict[Any, dict[str, Any]]]) -> None:
    """The state at the load, after the history was walked back: what the approvals since moved
    (budget, baseline end, contingency, reserve) put back, and each project's actual cost the sum
    of the actuals known then."""
    spec = small.spec.get("finance")
    if not spec:
        return
    for cr in spec.get("change_requests", []):
        if cr["status"] != "approved" or small.when(cr["decided"]) <= small.created_at:
            continue
        project = initial["project"][cr["project"]]
        cost, days = float(cr["cost_impact"]), int(cr["schedule_impact_days"])
        project["budget"] = float(project["budget"]) - cost
        if days:
            end = pendulum.Date.fromisoformat(project["baseline_end"])
            project["baseline_end"] = end.subtract(days=days).isoformat()
        if cr["funding"] == "contingency":
            project["contingency"] = float(project["contingency"]) + cost
        elif cr["funding"] == "reserve":
            programme = initial["programme"]["programme"]
            programme["management_reserve"] = float(programme["management_reserve"]) + cost
    spent: dict[str, float] = {}
    for (code, _month, _category), row in initial["cost"].items():
        spent[code] = spent.get(code, 0.0) + float(row.get("actual") or 0.0)
    for code in spec["projects"]:
        initial["project"][code]["actual_cost"] = spent.get(code, 0.0)


def load_costs(small: _Small, rows: dict[Any, dict[str, Any]]) -> None:
    """The cost rows of the load in one bulk insert: each project's actual cost is worked out once
    (and is already what the project was loaded with, so no update is written)."""
    keys = list(rows)
    fields = [{**rows[k], "project": small.ids[("project", rows[k]["project"])]} for k in keys]
    for key, row_id in zip(keys, small.store.bulk_insert("cost", fields), strict=True):
        small.ids[("cost", key)] = row_id


# ---------------------------------------------------------------------------- the large demo


LARGE_MONTHS = 24  # cost rows per generated project: the 24 months from its start


def large_costs(
    store: Store,
    today: pendulum.Date,
    project_ids: list[int],
    projects: list[dict[str, Any]],
) -> dict[tuple[int, str], tuple[int, float | None]]:
    """24 months of cost rows for every generated project (from its start month): the budget along
    an S-curve to the baseline end, the actuals of every month before this one adding up to the
    project's actual cost. Returns the row id and actual of every (project index, month)."""
    t = today.toordinal()
    current = costplan.month_of_ordinal(t)
    fields: list[dict[str, Any]] = []
    keys: list[tuple[int, str]] = []
    for k, (pid, project) in enumerate(zip(project_ids, projects, strict=True)):
        start = pendulum.Date.fromisoformat(project["start_date"]).toordinal()
        end = pendulum.Date.fromisoformat(project["baseline_end"]).toordinal()
        first = costplan.month_of_ordinal(start)
        window = range(first, first + LARGE_MONTHS)
        end = min(end, _month_end(window[-1]))
        planned = dict(_planned(float(project["budget"]), start, end, 1.5 + (k % 5) * 0.25))
        past = [i for i in window if i < current] or [first]
        actuals = dict(zip(past, _spread(float(project["actual_cost"]), [planned.get(i, 0.0) + 1.0 for i in past]),
                           strict=True))  # fmt: skip
        for index in window:
            month = costplan.month_text(index)
            fields.append(
                {
                    "project": pid,
                    "month": month,
                    "planned": planned.get(index, 0.0),
                    "actual": actuals.get(index),
                }
            )
            keys.append((k, month))
    ids = store.bulk_insert("cost", fields)
    return {key: (row_id, f["actual"]) for key, row_id, f in zip(keys, ids, fields, strict=True)}
