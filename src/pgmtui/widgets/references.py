"""How a record is named on the command line and in the clipboard, and the reverse: which record a
typed name means (the `:` command line). Pure functions of the Model (no textual, no SQL).

- `reference(model, kind, id)`: what the CLI takes, `risk 12`, `project IAM`, `milestone
  'IAM:Go live'` (quoted for a shell when it has spaces).
- `summary(model, kind, id)`: that reference and one line saying what the record is:
  `risk 12 — Supplier insolvency (ERP)`.
- `resolve(model, kind, text)`: the id of the one record of `kind` that `text` names: an id (`12`,
  `#12`, `id:12`), its reference (a code, CODE:name, a name), else a unique part of its name or
  title (any case). Raises `Unresolved` with a message fit for a user.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from pgmtui.model import Model

# The field that says what a record is, by kind (the first one a record has is used).
LABEL_FIELDS = ("title", "name", "summary", "message", "description", "note")
_ID = re.compile(r"(?:#|id:)?\s*([0-9]+)", re.IGNORECASE)


class Unresolved(Exception):
    """A typed reference that names no record or several (message fit for a user)."""


def label(row: dict[str, Any]) -> str:
    for name in LABEL_FIELDS:
        value = row.get(name)
        if value:
            return " ".join(str(value).split())  # one line
    return ""


def reference(model: Model, kind: str, record_id: int) -> str:
    ref = model.ref_label(kind, record_id)
    return f"{kind} {shlex.quote(ref)}"


def summary(model: Model, kind: str, record_id: int) -> str:
    """`risk 12 — Supplier insolvency (ERP)`: the reference, what it is, and its project."""
    row = model.row(kind, record_id)
    text = reference(model, kind, record_id)
    if row is None:
        return text
    what = label(row)
    if kind in ("project", "objective"):  # the reference is the code: the name says what it is
        what = str(row.get("name") or "")
    elif kind == "milestone":
        what = ""  # the reference already holds CODE:name
    if what and what != model.ref_label(kind, record_id):
        text += f" — {what}"
    project = row.get("project_id") if kind not in ("project", "milestone") else None
    if project is not None:
        text += f" ({model.project_code(project)})"
    return text


def resolve(model: Model, kind: str, text: str) -> int:
    rows = model.rows(kind)
    wanted = text.strip()
    if not wanted:
        raise Unresolved(f"which {kind}? e.g. :{kind} 12")
    by_id = _ID.fullmatch(wanted)
    if by_id and any(r["id"] == int(by_id.group(1)) for r in rows):
        return int(by_id.group(1))
    low = wanted.casefold()
    exact = [
        r["id"]
        for r in rows
        if model.ref_label(kind, r["id"]).casefold() == low or label(r).casefold() == low
    ]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [
        r["id"]
        for r in rows
        if low in label(r).casefold() or low in model.ref_label(kind, r["id"]).casefold()
    ]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise Unresolved(f"no {kind} {wanted!r}")
    names = ", ".join(summary(model, kind, i).removeprefix(f"{kind} ") for i in partial[:3])
    more = f" and {len(partial) - 3} more" if len(partial) > 3 else ""
    raise Unresolved(f"{len(partial)} {kind} records match {wanted!r}: {names}{more}")
