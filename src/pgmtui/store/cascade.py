"""What deleting a record does to the others, derived from the field specs (records/fields.py).

A record that refers to the deleted one either goes with it or stays with the reference emptied:

- a `ref` field with ``on_delete="cascade"`` (a milestone's project, an allocation's person, …):
  the referring record is deleted too, and in turn takes what refers to it;
- a `ref` field with ``on_delete="clear"`` (an allocation's milestone, a gate review's decision, a
  lesson's project), a `refs` link (a benefit's or a stakeholder's projects) and a `link` field
  (an action's `about`, a lesson's `source`): the referring record is kept and only the reference
  is removed — an "unlink", written by the store as an ordinary versioned, audited update.

`plan_delete` works the whole plan out first (read only), so a record that is both deleted and
referred to is not also unlinked, and a record unlinked from several deleted ones gets one update.
The store then applies the unlinks (before the deletes, so no foreign key empties a column behind
its back) and the deletes, children first, every one with its audit row in the same transaction:
the audit rows of one delete hold every value and link needed to put it all back (undo).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from pgmtui.records.fields import KINDS, Field, Kind, column_for

__all__ = ["DeletePlan", "plan_delete"]


@dataclass
class DeletePlan:
    """Records to delete (every one before those it refers to, the record asked for last) and the
    records that stay with references removed: {(kind, id): {field name: ids removed}}, where a
    `ref` or `link` field is emptied (its set holds the one id) and a `refs` link list loses the
    ids in the set."""

    deletes: list[tuple[str, int]] = field(default_factory=list)
    unlinks: dict[tuple[str, int], dict[str, set[int]]] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """{"deleted": {kind: n}, "unlinked": {kind: n}}, kinds in KINDS order (for a prompt that
        says exactly what goes)."""
        order = list(KINDS)
        deleted: dict[str, int] = {}
        for kind, _ in self.deletes:
            deleted[kind] = deleted.get(kind, 0) + 1
        unlinked: dict[str, int] = {}
        for kind, _ in self.unlinks:
            unlinked[kind] = unlinked.get(kind, 0) + 1
        return {
            "deleted": dict(sorted(deleted.items(), key=lambda kv: order.index(kv[0]))),
            "unlinked": dict(sorted(unlinked.items(), key=lambda kv: order.index(kv[0]))),
        }


# Who refers to each kind: (referring kind, its field), in KINDS order.
_REFERRERS: dict[str, list[tuple[Kind, Field]]] = {}
for _kind in KINDS.values():
    for _f in _kind.fields:
        if _f.type in ("ref", "refs"):
            _REFERRERS.setdefault(_f.ref, []).append((_kind, _f))
_ORDER = {name: i for i, name in enumerate(KINDS)}
# Fields that may name a record of any kind (`kind:id`).
_LINK_FIELDS: list[tuple[Kind, Field]] = [
    (k, f) for k in KINDS.values() for f in k.fields if f.type == "link"
]


def plan_delete(conn: sqlite3.Connection, kind_name: str, row_id: int) -> DeletePlan:
    """What deleting record `row_id` of `kind_name` deletes and unlinks (reads only)."""
    plan = DeletePlan()
    deleting: set[tuple[str, int]] = set()

    def visit(kind: str, rid: int) -> None:
        if (kind, rid) in deleting:
            return
        deleting.add((kind, rid))
        for child_kind, f in _REFERRERS.get(kind, []):
            if f.type == "refs":
                table, own, other = child_kind.links[f.name]
                for (owner_id,) in conn.execute(f"SELECT {own} FROM {table} WHERE {other} = ?", (rid,)):
                    _unlink(plan, child_kind.name, owner_id, f.name, rid)
                continue
            column = column_for(f)
            ids = [
                r[0] for r in conn.execute(f"SELECT id FROM {child_kind.table} WHERE {column} = ?", (rid,))
            ]
            for child_id in ids:
                if f.on_delete == "cascade":
                    visit(child_kind.name, child_id)
                else:
                    _unlink(plan, child_kind.name, child_id, f.name, rid)
        link = f"{kind}:{rid}"
        for holder, f in _LINK_FIELDS:
            column = column_for(f)
            for (holder_id,) in conn.execute(f"SELECT id FROM {holder.table} WHERE {column} = ?", (link,)):
                _unlink(plan, holder.name, holder_id, f.name, rid)
        plan.deletes.append((kind, rid))

    visit(kind_name, row_id)
    # Every record before the records it refers to (KINDS lists a kind after those it refers
    # to): a deleted allocation must not lose its milestone to the foreign key's SET NULL first,
    # or its audit row would not say which milestone it had.
    plan.deletes.sort(key=lambda key: -_ORDER[key[0]])
    plan.unlinks = {key: fields for key, fields in plan.unlinks.items() if key not in deleting}
    return plan


def _unlink(plan: DeletePlan, kind: str, row_id: int, name: str, target_id: int) -> None:
    plan.unlinks.setdefault((kind, row_id), {}).setdefault(name, set()).add(target_id)
