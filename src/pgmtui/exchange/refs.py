"""Re-importing in place: the records a file asks for, matched to the records an earlier import of
the same file made (through external references), then added, updated or left alone.

- a record whose reference is known and whose fields are unchanged is not touched (no version
  bump, no audit row);
- one whose fields moved is updated through the store (versioned and audited, so the stand-up
  shows the move), and the note says what moved;
- one without a reference is added, and its reference kept for next time;
- a record an earlier import made that the file no longer holds is "gone": reported, and
  deleted only when asked (`prune`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pgmtui.exchange.common import ImportResult, listed
from pgmtui.records.errors import NotFoundError, StoreError, ValidationError
from pgmtui.records.fields import KINDS, coerce_field, column_for

if TYPE_CHECKING:
    from pgmtui.store import Store

CHANGE_NOTES_LIMIT = 25  # "moved" lines in the notes before "and N more"


@dataclass
class Wanted:
    """One record as the file has it."""

    kind: str
    fields: dict[str, Any]
    where: str  # for messages: 'Risks!A7', 'plan.xml: task UID 12'
    external_id: str | None = None
    label: str = ""
    cells: dict[str, str] = field(default_factory=dict)  # field → where its cell is
    add_only: frozenset[str] = frozenset()  # fields given when adding, left alone when updating
    cleared: frozenset[str] = frozenset()  # fields the file has empty: emptied when updating
    own_id: int | None = None  # the record's pgmtui id (a sheet of pgmtui's own export)


@dataclass
class Synced:
    ids: dict[tuple[str, str], int] = field(default_factory=dict)  # (kind, external id) → row id
    changes: list[str] = field(default_factory=list)


def sync(
    store: Store,
    source: str,
    wanted: list[Wanted],
    result: ImportResult,
    problems: list[str],
    *,
    managed: set[str],
    prune: bool = False,
    what: str = "",
) -> Synced:
    """Bring the store in line with `wanted` (inside the caller's transaction). `managed`: the
    kinds this file speaks for; references of other kinds are not reported gone. `what` names the
    file in notes ('the plan', 'the register')."""
    refs = store.external_refs(source)
    codes: dict[str, int] = {}  # project code (any case) → id, read when first needed
    synced = Synced()
    seen: dict[tuple[str, str], str] = {}
    for w in wanted:
        key = (w.kind, w.external_id) if w.external_id else None
        if key is not None:
            if key in seen:
                problems.append(f"{w.where}: {w.kind} {w.external_id} appears twice (also at {seen[key]})")
                continue
            seen[key] = w.where
        tally = result.tally(w.kind)
        try:
            row_id = refs.get(key) if key else w.own_id
            current = _current(store, w.kind, row_id)
            if current is None:
                row_id = store.insert(w.kind, {k: v for k, v in w.fields.items() if v is not None})
                tally.added += 1
                result.counts[w.kind] = result.counts.get(w.kind, 0) + 1
                if key:
                    store.set_external_ref(source, key[1], w.kind, row_id)
            else:
                assert row_id is not None
                change = {k: v for k, v in w.fields.items() if k not in w.add_only}
                change.update(dict.fromkeys(w.cleared - change.keys()))
                if _same(store, w.kind, current, change, codes):
                    tally.unchanged += 1  # nothing to write: the store is not even asked
                    if key:
                        synced.ids[key] = row_id
                    continue
                after = store.update(w.kind, row_id, change)
                if after["version"] == current["version"]:
                    tally.unchanged += 1
                else:
                    tally.updated += 1
                    result.counts[w.kind] = result.counts.get(w.kind, 0) + 1
                    synced.changes.append(_moved(w, current, after))
        except StoreError as exc:
            problems.append(f"{_where(w, exc)}: {exc}")
            continue
        if key:
            synced.ids[key] = row_id
    _gone(store, source, refs, seen, result, managed=managed, prune=prune, what=what)
    if synced.changes:
        shown = synced.changes[:CHANGE_NOTES_LIMIT]
        more = len(synced.changes) - len(shown)
        result.notes.extend(f"updated {line}" for line in shown)
        if more:
            result.notes.append(f"… and {more} more updated")
    return synced


def _same(
    store: Store, kind: str, current: dict[str, Any], change: dict[str, Any], codes: dict[str, int]
) -> bool:
    """Would `change` leave the record as it is? Values judged as the store judges them; a
    reference given by id or project code compared as the id. Anything unsure (a name to look
    up, a bad value) is left to the store's own update, which says what is wrong."""
    fields = {f.name: f for f in KINDS[kind].fields}
    for name, value in change.items():
        f = fields.get(name)
        if f is None or f.type == "refs":
            return False
        try:
            coerced = coerce_field(f, value)
        except ValidationError:
            return False
        if f.type == "ref" and coerced is not None and not isinstance(coerced, int):
            if f.ref != "project":
                return False
            if not codes:
                codes.update({str(p["code"]).casefold(): p["id"] for p in store.rows("project")})
            coerced = codes.get(str(coerced).casefold())
            if coerced is None:
                return False
        if f.type == "bool" and coerced is not None:
            coerced = int(coerced)
        if current.get(column_for(f)) != coerced:
            return False
    return True


def _current(store: Store, kind: str, row_id: int | None) -> dict[str, Any] | None:
    if row_id is None:
        return None
    try:
        return store.get(kind, row_id)
    except NotFoundError:
        return None  # deleted by another tool meanwhile: the file's record is added again


def _where(w: Wanted, exc: StoreError) -> str:
    name = getattr(exc, "field", "")
    return w.cells.get(name, w.where) if isinstance(exc, ValidationError) else w.where


def _moved(w: Wanted, before: dict[str, Any], after: dict[str, Any]) -> str:
    """'milestone Design signed off: forecast_date 2026-03-02 → 2026-03-16 (+14 d)'."""
    kind = KINDS[w.kind]
    parts = []
    for f in kind.fields:
        column = f"{f.name}_id" if f.type == "ref" else f.name
        old, new = before.get(column), after.get(column)
        if old == new or f.type == "refs":
            continue
        text = f"{f.name} {_shown(old)} → {_shown(new)}"
        if f.type == "date" and old and new:
            from datetime import date

            days = (date.fromisoformat(new) - date.fromisoformat(old)).days
            text += f" ({days:+d} d)"
        parts.append(text)
    label = w.label or w.external_id or ""
    return f"{w.kind} {label}: " + ", ".join(parts)


def _label(store: Store, kind: str, ext: str, row: dict[str, Any]) -> str:
    """How a gone record is named: its name, or a dependency's two milestones."""
    if kind == "dependency":
        try:
            ends = [store.get("milestone", row[f"{end}_id"])["name"] for end in ("supplier", "consumer")]
            return f"{ends[0]!r} → {ends[1]!r}"
        except (NotFoundError, KeyError):
            return ext
    display = KINDS[kind].display
    return f"{ext} {row.get(display)!s}" if display != "id" else ext


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _gone(
    store: Store,
    source: str,
    refs: dict[tuple[str, str], int],
    seen: dict[tuple[str, str], str],
    result: ImportResult,
    *,
    managed: set[str],
    prune: bool,
    what: str,
) -> None:
    gone: dict[str, list[tuple[str, int]]] = {}
    for (kind, ext), row_id in sorted(refs.items()):
        if kind in managed and (kind, ext) not in seen:
            gone.setdefault(kind, []).append((ext, row_id))
    for kind, items in gone.items():
        tally = result.tally(kind)
        tally.gone += len(items)
        labels = []
        for ext, row_id in items:
            try:
                row = store.get(kind, row_id)
            except NotFoundError:
                continue  # went with a record pruned before it (a milestone's dependencies)
            labels.append(_label(store, kind, ext, row))
            if prune:
                store.delete(kind, row_id)
                tally.pruned += 1
        if labels:
            verb = "deleted (--prune)" if prune else "kept; --prune deletes them"
            result.notes.append(
                f"{len(labels)} {kind}(s) no longer in {what or 'the file'}: {listed(labels)} ({verb})"
            )
