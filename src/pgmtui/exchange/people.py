"""A plan's resources and assignments as people and allocations.

- Work resources with a name become people (a person of that name already in pgmtui, in any case,
  is the same person: no second one is made). Their e-mail and group (as team) come along; the
  capacity a new person gets is the resource's max units (100 % at most: a pool of several people
  is one person in pgmtui, said so). Material and cost resources are not people (counted in a
  note).
- Assignments to such a resource (not to "no resource", UID −65535) become allocations to the
  project: percent = units × 100 (above 100 % is capped and said so; 0 % is left out), from the
  assignment's start to its finish (the task's when the assignment has none).

Both keep their UIDs as external references, so a re-import updates in place like the rest of the
plan (plan.py). A database without people (an older pgmtui) says so in a note instead.
"""

from __future__ import annotations

from typing import Any

from pgmtui.exchange.common import listed, norm
from pgmtui.exchange.mspdi import NO_RESOURCE, Plan
from pgmtui.exchange.refs import Wanted
from pgmtui.records.fields import KINDS

WORK = 1


def has_people() -> bool:
    return "person" in KINDS and "allocation" in KINDS


def people_and_allocations(
    plan: Plan, code: str, where: str, existing_people: list[dict[str, Any]], notes: list[str]
) -> tuple[list[Wanted], list[Wanted]]:
    """(people, allocations) the plan asks for; allocations name people by the resource's UID
    (resolved to ids by `resolve_people` once the people are synced)."""
    if not plan.resources and not plan.assignments:
        return [], []
    if not has_people():
        notes.append(
            f"{len(plan.resources)} resource(s) and {len(plan.assignments)} assignment(s) not imported: "
            "this database has no people records"
        )
        return [], []
    names = {norm(p["name"]): p["name"] for p in existing_people}
    people: list[Wanted] = []
    chosen: dict[int, str] = {}  # resource UID → the person's name
    not_people, pooled = [], []
    for r in plan.resources.values():
        if r.is_null or not r.name or r.uid == 0:
            continue
        if r.type != WORK or r.cost_resource:
            not_people.append(r.name)
            continue
        name = names.get(norm(r.name), r.name)
        chosen[r.uid] = name
        fields: dict[str, Any] = {"name": name}
        if r.email:
            fields["email"] = r.email
        if r.group:
            fields["team"] = r.group
        capacity = round((r.max_units if r.max_units is not None else 1.0) * 100)
        if capacity > 100:
            pooled.append(f"{r.name} ({capacity} %)")
        fields["capacity_pct"] = max(1, min(100, capacity))
        people.append(
            Wanted(
                "person",
                fields,
                f"{where}: resource UID {r.uid} {r.name!r}",
                external_id=f"r{r.uid}",
                label=name,
                add_only=frozenset({"capacity_pct"}),
            )  # fmt: skip
        )
    if not_people:
        notes.append(f"material and cost resources are not people: {listed(not_people, 4)}")
    if pooled:
        notes.append(f"resources above 100 % (pools?) given a capacity of 100 %: {listed(pooled, 4)}")
    allocations: list[Wanted] = []
    capped, zero, unassigned = [], 0, 0
    for a in plan.assignments:
        task = plan.tasks.get(a.task_uid)
        if a.resource_uid == NO_RESOURCE or task is None or task.is_null:
            unassigned += a.resource_uid == NO_RESOURCE
            continue
        if a.resource_uid not in chosen:
            continue
        percent = round(a.units * 100, 2)
        if percent <= 0:
            zero += 1
            continue
        if percent > 100:
            capped.append(f"{chosen[a.resource_uid]} on {task.name!r} {percent:g} %")
            percent = 100.0
        start, finish = a.start or task.start, a.finish or task.finish
        if not start or not finish:
            continue
        allocations.append(
            Wanted(
                "allocation",
                {"person": f"r{a.resource_uid}", "project": code, "start_date": start, "end_date": finish,
                 "percent": percent, "note": f"{task.name}"[:2000] or None},
                f"{where}: assignment UID {a.uid} ({chosen[a.resource_uid]} on {task.name!r})",
                external_id=f"a{a.uid}",
                label=f"{chosen[a.resource_uid]} on {task.name}"[:60],
            )
        )  # fmt: skip
    if capped:
        notes.append(f"assignments above 100 % capped at 100 %: {listed(capped, 4)}")
    if zero:
        notes.append(f"{zero} assignment(s) at 0 % left out")
    if unassigned:
        notes.append(f"{unassigned} assignment(s) to no resource left out")
    return people, allocations


def adopt_people(store: Any, source: str, people: list[Wanted]) -> None:
    """A person already in pgmtui under the resource's name becomes the resource's: updated,
    never added twice (names are unique)."""
    refs = store.external_refs(source)
    existing = {norm(p["name"]): p["id"] for p in store.rows("person")}
    for w in people:
        row_id = existing.get(norm(w.fields["name"]))
        if ("person", w.external_id) not in refs and row_id is not None and w.external_id:
            store.set_external_ref(source, w.external_id, "person", row_id)


def resolve_people(allocations: list[Wanted], ids: dict[tuple[str, str], int]) -> list[Wanted]:
    """Allocations with their person given by id (the people were synced first)."""
    out = []
    for w in allocations:
        person = ids.get(("person", str(w.fields["person"])))
        if person is not None:
            w.fields["person"] = person
            out.append(w)
    return out
