"""The building blocks of the stand-up and of its "needs attention" rules: a statement (Line), a
titled group of them (Section), record labels looked up in "now" and "then" (RecordNames), and the
small text helpers both use. A leaf of the domain: standup.py and attention.py import it, it imports
neither (so there is no cycle between them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui.domain.models import as_date
from pgmtui.domain.text import shorten_at_word

__all__ = ["Line", "RecordNames", "Section", "finish_date", "shorten"]


@dataclass(frozen=True, slots=True)
class Line:
    """One statement of the stand-up, e.g. "IAM Amber → Red: schedule …", and the record it is about."""

    text: str
    kind: str | None = None  # record kind to open with `enter` (None: nothing to open)
    record_id: int | None = None
    tone: str = ""  # "bad" (worse), "good" (better), "" (neutral): for colour, never the only signal
    users: tuple[str, ...] = ()
    when: str | None = None  # audit timestamp of the (last) change

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "id": self.record_id,
            "tone": self.tone,
            "users": list(self.users),
            "when": self.when,
        }


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "lines": [line.to_json() for line in self.lines]}


def finish_date(row: Mapping[str, Any] | None) -> pendulum.Date | None:
    if row is None:
        return None
    return (
        as_date(row.get("actual_date"))
        or as_date(row.get("forecast_date"))
        or as_date(row.get("baseline_date"))
    )


def shorten(text: Any, limit: int = 60) -> str:
    """One line of at most ``limit`` characters, cut at a word (never mid-word) with "…"."""
    return shorten_at_word(text, limit)


class RecordNames:
    """Labels for records, looked up in now and then (a deleted record keeps its name)."""

    def __init__(
        self,
        now: Mapping[str, Mapping[int, Mapping[str, Any]]],
        then: Mapping[str, Mapping[int, Mapping[str, Any]]],
    ):
        self.now, self.then = now, then

    def row(self, kind: str, rid: int | None) -> Mapping[str, Any] | None:
        if rid is None:
            return None
        return self.now.get(kind, {}).get(rid) or self.then.get(kind, {}).get(rid)

    def code(self, pid: int | None) -> str:
        r = self.row("project", pid)
        return str(r.get("code") or f"#{pid}") if r else "programme"

    def milestone(self, mid: int | None) -> str:
        r = self.row("milestone", mid)
        if r is None:
            return f"milestone #{mid}"
        return f"{self.code(r.get('project_id'))}:{r.get('name')}"

    def record(self, kind: str, rid: int) -> str:
        r = self.row(kind, rid) or {}
        if kind == "project":
            return str(r.get("code") or f"#{rid}")
        if kind == "milestone":
            return self.milestone(rid)
        if kind == "benefit":
            return str(r.get("name") or f"#{rid}")
        if kind == "dependency":
            return f"{self.milestone(r.get('supplier_id'))} → {self.milestone(r.get('consumer_id'))}"
        title = r.get("title")
        where = self.code(r.get("project_id")) if r else ""
        return f"#{rid} {shorten(title)} ({where})" if title else f"{kind} #{rid}"
