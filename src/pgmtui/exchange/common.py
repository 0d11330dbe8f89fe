"""What every importer shares: the refusal (ImportFailed), the result and its one-line summary, the
all-or-nothing transaction (with --dry-run rolled back at the end), and small text helpers."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pgmtui.records.errors import StoreError

if TYPE_CHECKING:
    from pgmtui.store import Store

NOTE_LIST_LIMIT = 8  # items quoted in one note line before "and N more"


class ImportFailed(StoreError):
    """The import was refused; ``problems`` lists every bad row or cell ('file:line: message',
    'Sheet!D7: message')."""

    def __init__(self, problems: list[str]) -> None:
        n = len(problems)
        super().__init__(
            f"import refused, nothing written: {n} problem{'s' if n != 1 else ''}: " + "; ".join(problems[:3])
        )
        self.problems = problems


@dataclass
class Tally:
    """What an import did to one kind of record."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0
    pruned: int = 0

    def phrase(self) -> str:
        text = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {self.gone} gone"
        return text + (f" ({self.pruned} deleted)" if self.pruned else "")


@dataclass
class ImportResult:
    mode: str  # "restore", "add", "register", "plan" or "cost sheet"
    counts: dict[str, int] = field(default_factory=dict)  # records written, per kind
    notes: list[str] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)  # register and plan imports
    source: str = ""  # the file, as the summary names it
    dry_run: bool = False

    def tally(self, kind: str) -> Tally:
        return self.tallies.setdefault(kind, Tally())

    def total(self) -> Tally:
        out = Tally()
        for t in self.tallies.values():
            out.added += t.added
            out.updated += t.updated
            out.unchanged += t.unchanged
            out.gone += t.gone
            out.pruned += t.pruned
        return out

    def summary(self) -> str:
        parts = ", ".join(f"{n} {t}" for t, n in self.counts.items() if n)
        if self.mode in ("register", "plan"):
            what = "the plan" if self.mode == "plan" else "the register"
            head = f"imported {parts or 'nothing'} from {what} {self.source}".rstrip()
            line = f"{head}: {self.total().phrase()}"
            kinds = [f"{kind}: {t.phrase()}" for kind, t in self.tallies.items() if len(self.tallies) > 1]
            if kinds:
                line += " (" + "; ".join(kinds) + ")"
        else:
            how = {
                "restore": "restored (ids, versions and history kept)",
                "add": "added as new records",
                "cost sheet": "from the cost sheet (months added, or changed in place)",
            }[self.mode]
            line = f"imported {parts or 'nothing'}: {how}"
        if self.dry_run:
            return "dry run, nothing written: would have " + line
        return line


def norm(text: str) -> str:
    """A header or a word as compared: lower case, punctuation as spaces, spaces collapsed."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text).lower()).split())


def listed(items: Sequence[str], limit: int = NOTE_LIST_LIMIT) -> str:
    """`a, b, c and 4 more`: a list quoted in a note without letting it run for pages."""
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


class _DryRun(Exception):
    """Raised at the end of a dry run's transaction so that it rolls back."""


@contextlib.contextmanager
def all_or_nothing(store: Store, problems: list[str], *, dry_run: bool = False) -> Iterator[None]:
    """One transaction for the whole import. If any problem was collected by the end, raise
    ImportFailed (rolled back); with `dry_run`, roll back even when all went well."""
    try:
        with store.batch():
            yield
            if problems:
                problems.sort(key=problem_order)
                raise ImportFailed(problems)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass


def problem_order(problem: str) -> tuple[str, int, str, str]:
    """File (or sheet), then line or row number as a number, then column: risk.csv:9 before
    risk.csv:14, Issues!D7 before Issues!B12."""
    m = re.match(r"([^:!]*)(?::|!|: line )([A-Z]*)(\d+)", problem)
    if m:
        return (m.group(1), int(m.group(3)), m.group(2), problem)
    return (problem, 0, "", problem)
