"""An MS Project plan as pgmtui records: the project, its milestones and the dependencies between
them — and, imported again, updated in place.

- The project (created when its code is new, named from the plan's Title, else its Name):
  start_date and forecast_end from the project summary task (UID 0, else the plan's dates),
  baseline_end and budget from that task's baseline 0, percent_complete and actual_cost where the
  plan has them. An existing project keeps its name.
- Milestones: every task flagged Milestone, and (unless `phases` is off) every outline-level-1
  summary task as its phase's end; forecast = Finish, baseline = baseline 0 Finish, actual =
  ActualFinish (one after today is left out, and said so).
- Dependencies between them (FF/FS/SF/SS as MSPDI types 0–3). Lags come in tenths of a minute
  and are turned into days: working-time formats (m, h, d, w, mo) by the plan's MinutesPerDay,
  elapsed ones (em, eh, ed, ew, emo) by 24 hours, percentage lags as that share of the
  predecessor's duration; every lag that is not a whole number of days is rounded (half away
  from zero) and the rounding reported. Links through ordinary tasks are collapsed: a chain from
  one imported milestone through tasks to another becomes one dependency, its type taken from the
  chain's two ends (the first link's predecessor side, the last link's successor side) and its lag
  the sum of the chain's lags (the work in between is not a lag). Cross-project links are
  reported, and linked when the other project exists in pgmtui (by name or code) with a milestone
  named like the external task.
- Every record keeps its task UID (under the plan's GUID) as an external reference: a re-import
  updates in place (refs.py) and reports what is gone; `prune` deletes it.
"""

from __future__ import annotations

import math
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any

from pgmtui import clock
from pgmtui.exchange.common import ImportResult, all_or_nothing, listed, norm
from pgmtui.exchange.mspdi import ELAPSED_FORMATS, PERCENT_FORMATS, WORKING_FORMATS, Plan, Task, read_plan
from pgmtui.exchange.people import adopt_people, has_people, people_and_allocations, resolve_people
from pgmtui.exchange.refs import Wanted, sync
from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import MAX_LAG_DAYS, MAX_TEXT

if TYPE_CHECKING:
    from pgmtui.store import Store

PROJECT_REF = "project"  # the external id of the project itself (the plan's summary task)
ELAPSED_MINUTES = {"em": 1, "eh": 60, "ed": 1440, "ew": 10080, "emo": 43200}


@dataclass(frozen=True)
class Edge:
    successor: int | str  # task UID, or "x:<name>" for a cross-project task not in this file
    type: str
    lag_days: float
    shown: str  # the lag as the plan shows it ("2d", "4h", "50%") or "" for none


def import_plan(
    store: Store,
    path: Path,
    *,
    project: str | None,
    phases: bool = True,
    dry_run: bool = False,
    prune: bool = False,
) -> ImportResult:
    plan = read_plan(path)
    result = ImportResult("plan", source=path.name, dry_run=dry_run)
    code, source = _project_and_source(store, plan, path, project)
    problems: list[str] = []
    notes = result.notes
    if plan.dropped_dates:
        notes.append(f"dates outside 1990–2100 (or unreadable) left out: {listed(plan.dropped_dates, 5)}")
    summary = plan.tasks.get(0)
    tasks = [t for t in plan.tasks.values() if t.uid != 0 and not t.is_null and not t.external]
    inactive = [t for t in tasks if not t.active]
    if inactive:
        notes.append(f"{len(inactive)} inactive task(s) left out: {listed([_label(t) for t in inactive], 4)}")
    tasks = [t for t in tasks if t.active]
    chosen = {t.uid: t for t in tasks if t.milestone or (phases and t.summary and t.outline_level == 1)}
    today = clock.today().isoformat()
    wanted = [_project_wanted(plan, summary, code, path)]
    future_actuals = []
    for t in chosen.values():
        fields: dict[str, Any] = {"project": code, "name": _name(t)}
        if t.finish:
            fields["forecast_date"] = t.finish
        if t.baseline and t.baseline.finish:
            fields["baseline_date"] = t.baseline.finish
        cleared = {"baseline_date", "actual_date"} - fields.keys()
        if t.actual_finish and t.actual_finish > today:
            future_actuals.append(f"{_name(t)} {t.actual_finish}")
            cleared.discard("actual_date")
        elif t.actual_finish:
            fields["actual_date"] = t.actual_finish
            cleared.discard("actual_date")
        wanted.append(
            Wanted(
                "milestone",
                fields,
                f"{path.name}: task UID {t.uid} {_short(t.name)!r}",
                external_id=str(t.uid),
                label=_short(_name(t)),
                cleared=frozenset(cleared),
            )
        )
    if future_actuals:
        notes.append(f"actual finish after today ({today}) left out: {listed(future_actuals, 4)}")
    names = [w.fields["name"].casefold() for w in wanted[1:]]
    twice = sorted({w.fields["name"] for w in wanted[1:] if names.count(w.fields["name"].casefold()) > 1})
    if twice:
        notes.append(
            f"milestone names used more than once in the plan (refer to them by id): {listed(twice, 4)}"
        )
    phase_count = sum(1 for t in chosen.values() if not t.milestone)
    if phase_count:
        notes.append(
            f"{phase_count} phase(s) (outline-level-1 summary tasks) imported as phase-end milestones"
        )
    with all_or_nothing(store, problems, dry_run=dry_run):
        _adopt_project(store, source, code)
        synced = sync(store, source, wanted, result, problems, managed={"project", "milestone"}, prune=prune,
                      what="the plan")  # fmt: skip
        ids = {uid: synced.ids.get(("milestone", str(uid))) for uid in chosen}
        deps = _dependencies(store, plan, chosen, ids, code, path, notes, problems)
        if not problems:
            sync(store, source, deps, result, problems, managed={"dependency"}, prune=prune, what="the plan")
        people, allocations = people_and_allocations(
            plan, code, path.name, store.rows("person") if has_people() else [], notes
        )
        if people and not problems:
            adopt_people(store, source, people)  # people are the programme's: never "gone", never pruned
            known = sync(store, source, people, result, problems, managed=set(), what="the plan")
            allocations = resolve_people(allocations, known.ids)
            sync(store, source, allocations, result, problems, managed={"allocation"}, prune=prune,
                 what="the plan")  # fmt: skip
    result.notes.insert(0, f"plan {plan.title or plan.name or path.name!r} → project {code} ({source})")
    return result


# ---------------------------------------------------------------------------- the project


def _project_and_source(store: Store, plan: Plan, path: Path, project: str | None) -> tuple[str, str]:
    """The project code and the references' source ('msproject:<GUID>', or the code for a plan
    without a GUID, as MS Project 2003 writes them)."""
    source = f"msproject:{plan.guid}" if plan.guid else ""
    known = None
    if source:
        row_id = store.external_refs(source).get(("project", PROJECT_REF))
        if row_id is not None:
            rows = [r for r in store.rows("project") if r["id"] == row_id]
            known = rows[0]["code"] if rows else None
    if project is None:
        if known is None:
            raise ValidationError("project", f"{path.name}: give the project it goes into: --project CODE")
        project = known
    project = project.strip()
    existing = {r["code"].casefold(): r["code"] for r in store.rows("project")}
    code = existing.get(project.casefold(), project)
    if known is not None and known.casefold() != code.casefold():
        raise ValidationError(
            "project",
            f"{path.name} was imported into project {known}; import it again with --project {known} "
            "(one plan feeds one project)",
        )
    return code, source or f"msproject:code:{code.upper()}"


def _project_wanted(plan: Plan, summary: Task | None, code: str, path: Path) -> Wanted:
    name = plan.title or re.sub(r"\.(xml|mpp|mpt)$", "", plan.name, flags=re.IGNORECASE) or path.stem
    fields: dict[str, Any] = {"code": code, "name": " ".join(name.split())[:MAX_TEXT]}
    start = (summary.start if summary else None) or plan.start
    finish = (summary.finish if summary else None) or plan.finish
    if start:
        fields["start_date"] = start
    if finish:
        fields["forecast_end"] = finish
    if summary is not None:
        if summary.baseline and summary.baseline.finish:
            fields["baseline_end"] = summary.baseline.finish
        # MS Project writes a cost of 0 for a plan that tracks no costs: that leaves pgmtui's
        # budget and actual cost as they are rather than zeroing them.
        if summary.baseline and summary.baseline.cost:
            fields["budget"] = round(summary.baseline.cost, 2)
        if summary.percent_complete is not None:
            fields["percent_complete"] = summary.percent_complete
        if summary.actual_cost:
            fields["actual_cost"] = round(summary.actual_cost, 2)
    return Wanted("project", fields, f"{path.name}: the project summary task", external_id=PROJECT_REF,
                  label=code, add_only=frozenset({"code", "name"}))  # fmt: skip


def _adopt_project(store: Store, source: str, code: str) -> None:
    """A project that already exists under the code (made by hand, or by a plan without a GUID)
    becomes this plan's: it is updated in place rather than added twice."""
    if ("project", PROJECT_REF) in store.external_refs(source):
        return
    for row in store.rows("project"):
        if row["code"].casefold() == code.casefold():
            store.set_external_ref(source, PROJECT_REF, "project", row["id"])
            return


def _name(t: Task) -> str:
    return t.name or f"Task UID {t.uid}"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def _label(t: Task) -> str:
    return f"UID {t.uid} {t.name!r}"


# ---------------------------------------------------------------------------- dependencies


def lag_days(lag_tenths: int, lag_format: int, plan: Plan, predecessor: Task | None) -> tuple[float, str]:
    """A link's lag in days, and as the plan shows it. Working-time formats count working days of
    MinutesPerDay minutes; elapsed ones count 24-hour days; percentages are that share of the
    predecessor's duration."""
    if not lag_tenths:
        return 0.0, ""
    if lag_format in PERCENT_FORMATS:
        duration = predecessor.duration_minutes if predecessor and predecessor.duration_minutes else 0.0
        days = lag_tenths / 100 * duration / plan.minutes_per_day
        return days, f"{lag_tenths}%"
    minutes = lag_tenths / 10
    if lag_format in ELAPSED_FORMATS:
        unit = ELAPSED_FORMATS[lag_format]
        return minutes / 1440, f"{_figure(minutes / ELAPSED_MINUTES[unit])}{unit}"
    unit = WORKING_FORMATS.get(lag_format, "d")
    per = {
        "m": 1,
        "h": 60,
        "d": plan.minutes_per_day,
        "w": plan.minutes_per_week,
        "mo": plan.minutes_per_day * plan.days_per_month,
    }[unit]
    return minutes / plan.minutes_per_day, f"{_figure(minutes / per)}{unit}"


def _figure(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")


def round_days(days: float) -> int:
    """Half away from zero: a 4-hour lag is a day, a 4-hour lead is a day's lead."""
    return int(math.copysign(math.floor(abs(days) + 0.5), days))


def _dependencies(
    store: Store,
    plan: Plan,
    chosen: dict[int, Task],
    ids: dict[int, int | None],
    code: str,
    path: Path,
    notes: list[str],
    problems: list[str],
) -> list[Wanted]:
    """Milestone-to-milestone dependencies from the plan's links, collapsed through tasks."""
    edges: dict[int | str, list[Edge]] = {}
    external: dict[int | str, int] = {}  # node → milestone id in another project
    cross: list[str] = []
    for task in plan.tasks.values():
        if task.external:  # a task of another project, shown in this plan
            milestone, text = _resolve_external(store, task.external_project, task.name, code)
            cross.append(text)
            if milestone is not None:
                external[task.uid] = milestone
    for task in plan.tasks.values():
        for link in task.links:
            pred_task = plan.tasks.get(link.predecessor_uid)
            node: int | str = link.predecessor_uid
            if pred_task is None:
                if not link.cross_project:
                    continue
                node = f"x:{link.cross_project_name}"
                cross.append(
                    f"{_other_project(link.cross_project_name)} → {task.name!r} (not linked: the plan does not name the task)"
                )
            days, shown = lag_days(link.lag_tenths, link.lag_format, plan, pred_task)
            edges.setdefault(node, []).append(Edge(task.uid, link.type, days, shown))
    if cross:
        notes.append(f"cross-project link(s): {listed(cross, 6)}")
    targets = {uid for uid in chosen} | set(external)
    wanted: list[Wanted] = []
    rounded: list[str] = []
    collapsed = 0
    for start in [*chosen, *external]:
        supplier = ids.get(start) if isinstance(start, int) and start in chosen else external.get(start)
        for end, (dep_type, days, shown, hops) in _reachable(start, edges, targets).items():
            consumer = ids.get(end) if isinstance(end, int) and end in chosen else external.get(end)
            if supplier is None or consumer is None or supplier == consumer:
                continue
            lag = round_days(days)
            label = f"{_node_name(plan, start)} → {_node_name(plan, end)}"
            if abs(days - lag) > 1e-9:
                rounded.append(f"{label} {shown or _figure(days) + 'd'} = {days:.2f} d → {lag} d")
            if abs(lag) > MAX_LAG_DAYS:
                problems.append(
                    f"{path.name}: link {label}: a lag of {lag} days is more than pgmtui takes ({MAX_LAG_DAYS})"
                )
                continue
            collapsed += hops > 1
            wanted.append(
                Wanted(
                    "dependency",
                    {"supplier": supplier, "consumer": consumer, "type": dep_type, "lag_days": lag},
                    f"{path.name}: link {label}",
                    external_id=f"{start}>{end}",
                    label=label,
                )
            )
    if rounded:
        notes.append(f"lags rounded to whole days: {listed(rounded, 10)}")
    if collapsed:
        notes.append(
            f"{collapsed} link(s) through ordinary tasks collapsed into milestone dependencies "
            "(lag = the links' own lags; the work in between is not a lag)"
        )
    return wanted


def _reachable(
    start: int | str, edges: dict[int | str, list[Edge]], targets: set[int | str]
) -> dict[int | str, tuple[str, float, str, int]]:
    """Imported milestones reached from `start` through tasks that are not, each as (type, lag
    days, lag as shown, links on the way). Where several chains reach one milestone, the one
    with the largest lag binds (ties: the fewest links, so a direct link wins an equal chain)."""
    best: dict[int | str, tuple[str, float, str, int]] = {}
    queue: deque[int | str] = deque()
    for e in edges.get(start, []):
        _relax(best, queue, e.successor, (e.type, e.lag_days, e.shown, 1), targets)
    budget = 200_000  # relaxations: a plan is acyclic, this only bounds a malformed file
    while queue and budget > 0:
        node = queue.popleft()
        dep_type, days, shown, hops = best[node]
        for e in edges.get(node, []):
            budget -= 1
            if e.successor == start:
                continue
            # The chain's type: its first link's predecessor side, its last link's successor side.
            combined = (
                dep_type[0] + e.type[1],
                days + e.lag_days,
                "+".join(filter(None, [shown, e.shown])),
                hops + 1,
            )
            _relax(best, queue, e.successor, combined, targets)
    return {node: best[node] for node in best if node in targets}


def _relax(
    best: dict[int | str, tuple[str, float, str, int]],
    queue: deque[int | str],
    node: int | str,
    candidate: tuple[str, float, str, int],
    targets: set[int | str],
) -> None:
    current = best.get(node)
    if (
        current is None
        or candidate[1] > current[1] + 1e-9
        or (abs(candidate[1] - current[1]) <= 1e-9 and candidate[3] < current[3])
    ):
        best[node] = candidate
        if node not in targets:
            queue.append(node)


def _node_name(plan: Plan, node: int | str) -> str:
    if isinstance(node, int) and node in plan.tasks:
        return repr(plan.tasks[node].name)
    return str(node)


def _other_project(raw: str) -> str:
    """'C:\\Plans\\Data centre.mpp\\12' → 'Data centre' (the file of a cross-project link)."""
    parts = PureWindowsPath(raw.replace("/", "\\")).parts
    if parts and parts[-1].isdigit():
        parts = parts[:-1]
    return re.sub(r"\.(mpp|xml|mpt)$", "", parts[-1] if parts else raw, flags=re.IGNORECASE)


def _resolve_external(store: Store, project_file: str, task_name: str, code: str) -> tuple[int | None, str]:
    """A task of another project (by its file and name) as a pgmtui milestone, if there is one:
    a project named or coded like the file, holding a milestone of that name."""
    other = _other_project(project_file)
    what = f"{other or 'another project'} {task_name!r}"
    projects = [r for r in store.rows("project") if r["code"].casefold() != code.casefold()]
    match = [r for r in projects if norm(r["name"]) == norm(other) or norm(r["code"]) == norm(other)]
    if not match:
        return None, f"{what} (not linked: no project named {other!r})"
    milestones = [
        m
        for m in store.rows("milestone")
        if m["project_id"] == match[0]["id"] and norm(m["name"]) == norm(task_name)
    ]
    if not milestones:
        return None, f"{what} (not linked: {match[0]['code']} has no milestone named {task_name!r})"
    return milestones[0]["id"], f"{what} (linked to {match[0]['code']}:{milestones[0]['name']})"
