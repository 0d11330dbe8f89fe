"""Rewinding rows through the audit log: "what was this value at the last stand-up?".

Audit rows (ts, user, tbl, row_id, action, changes) record, per write, each changed field as
``{"field": [old, new]}`` (old is null on insert, new is null on delete). Undoing the writes made
after a moment, newest first, gives the row as it was at that moment; no snapshots are needed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["parse_changes", "table_at", "value_at"]


def parse_changes(changes: Any) -> dict[str, tuple[Any, Any]]:
    """Parse an audit row's ``changes`` into {field: (old, new)}.

    Lenient on purpose: a stand-up view must not fail because one audit row is malformed, so text
    that is not a JSON object gives {}, and entries that are not [old, new] pairs are skipped.
    """
    if changes is None or changes == "":
        return {}
    if isinstance(changes, (str, bytes)):
        try:
            changes = json.loads(changes)
        except ValueError:
            return {}
    if not isinstance(changes, Mapping):
        return {}
    out: dict[str, tuple[Any, Any]] = {}
    for name, pair in changes.items():
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            out[str(name)] = (pair[0], pair[1])
    return out


def _newest_first(audit_rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    # ts is ISO text (sorts as time); id breaks ties between writes in the same instant.
    return sorted(audit_rows, key=lambda r: (str(r.get("ts") or ""), r.get("id") or 0), reverse=True)


def _rewind(state: dict[str, Any] | None, audit_row: Mapping[str, Any]) -> dict[str, Any] | None:
    action = audit_row.get("action")
    changes = parse_changes(audit_row.get("changes"))
    if action == "insert":
        return None  # before its insert the row did not exist
    if action == "delete":
        # The delete recorded every field's last value as "old": that is the row before it.
        restored = {name: old for name, (old, _new) in changes.items()}
        if "id" not in restored and audit_row.get("row_id") is not None:
            restored["id"] = audit_row["row_id"]
        return restored
    if action == "update":
        if state is None:  # inconsistent log (update of a row we think absent): keep what we learn
            state = {}
            if audit_row.get("row_id") is not None:
                state["id"] = audit_row["row_id"]
        for name, (old, _new) in changes.items():
            state[name] = old
    return state


def value_at(
    current: Mapping[str, Any] | None, audit_rows_after_ts: Iterable[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """The row as it was at an earlier moment T.

    ``current`` is the row now (None if it has since been deleted); ``audit_rows_after_ts`` are
    this row's audit rows with ts > T, in any order. Returns a new dict (inputs are not touched),
    or None when the row did not exist at T (its insert is newer than T, or it is gone and the
    log shows no delete after T).
    """
    state = dict(current) if current is not None else None
    for audit_row in _newest_first(audit_rows_after_ts):
        state = _rewind(state, audit_row)
    return state


def table_at(
    current_rows: Iterable[Mapping[str, Any]],
    audit_rows_after_ts: Iterable[Mapping[str, Any]],
    tbl: str | None = None,
) -> dict[int, dict[str, Any]]:
    """Every row of one table as it was at T, by id: rewinds the lot in one pass.

    Audit rows for other tables are ignored when ``tbl`` is given. Rows deleted since T come back;
    rows inserted since T are absent.
    """
    now = {int(r["id"]): r for r in current_rows}
    by_row: dict[int, list[Mapping[str, Any]]] = {}
    for a in audit_rows_after_ts:
        if tbl is not None and a.get("tbl") != tbl:
            continue
        by_row.setdefault(int(a["row_id"]), []).append(a)
    out: dict[int, dict[str, Any]] = {rid: dict(r) for rid, r in now.items() if rid not in by_row}
    for rid, rows in by_row.items():
        before = value_at(now.get(rid), rows)
        if before is not None:
            out[rid] = before
    return out
