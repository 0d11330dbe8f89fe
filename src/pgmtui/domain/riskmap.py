"""The risk heatmap's arithmetic: where each risk sits on the 5×5 grid, which risks a filter keeps,
how many open risks each cell holds, and a risk's score history read back from the audit trail.

Pure (no textual, no I/O): the screen, the tests and any report share these rules.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pgmtui.domain.history import parse_changes
from pgmtui.domain.risk import BANDS, DEFAULT_BANDS, RiskBands, residual_pi, score

__all__ = [
    "IMPACT_LABELS",
    "PROBABILITY_LABELS",
    "RISK_REVIEW_CADENCE_DAYS",
    "SCORE_FIELDS",
    "VIEWS",
    "RiskFilter",
    "ScorePoint",
    "band_counts",
    "cell_band",
    "cell_counts",
    "cell_trends",
    "cells_of",
    "filter_risks",
    "matches",
    "next_review_date",
    "parse_filter",
    "position",
    "review_overdue",
    "score_history",
]

VIEWS = ("residual", "inherent")
PROBABILITY_LABELS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_LABELS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}
SCORE_FIELDS = ("probability", "impact", "residual_probability", "residual_impact")
PROGRAMME_WORDS = ("programme", "program", "prog", "-")
FILTER_FIELDS = ("project", "category", "owner", "proximity", "status")

Cell = tuple[int, int]  # (probability, impact)


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def position(risk: Any, view: str = "residual") -> Cell | None:
    """The (probability, impact) cell of a risk in the inherent or residual view; None if unscored."""
    if view == "inherent":
        p, i = _get(risk, "probability"), _get(risk, "impact")
    else:
        p, i = residual_pi(risk)
    if p is None or i is None:
        return None
    p, i = int(p), int(i)
    if not (1 <= p <= 5 and 1 <= i <= 5):
        return None
    return (p, i)


def cell_band(cell: Cell, bands: RiskBands = DEFAULT_BANDS) -> str:
    return bands.band(score(*cell)) or "Low"


# ---------------------------------------------------------------------- filters


@dataclass(frozen=True)
class RiskFilter:
    """What `/` typed: `project:IAM,CLD category:tech owner:asha proximity:imminent status:all words`.

    `status` None means "not given": risks then show open ones only, the other RAID lists show all.
    `project:programme` (or `project:-`) keeps programme-level risks.
    """

    projects: tuple[str, ...] = ()  # lower-case codes; "programme" for programme-level
    category: str = ""
    owner: str = ""
    proximity: str = ""
    status: str | None = None
    words: tuple[str, ...] = ()
    unknown: tuple[str, ...] = field(default=())  # `field:value` pairs with an unknown field name

    @property
    def is_empty(self) -> bool:
        return not (
            self.projects or self.category or self.owner or self.proximity or self.status or self.words
        )

    def risk_status(self) -> str:
        return self.status or "open"

    def describe(self) -> str:
        parts = []
        if self.projects:
            parts.append("project " + ",".join(p.upper() if p != "programme" else p for p in self.projects))
        for name in ("category", "owner", "proximity"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name} {value}")
        if self.status:
            parts.append(f"status {self.status}")
        if self.words:
            parts.append("“" + " ".join(self.words) + "”")
        return ", ".join(parts)


def parse_filter(text: str) -> RiskFilter:
    """Parse the filter box. Values may be quoted ("owner:'Asha K'") or use - for spaces
    (`proximity:this-stage`)."""
    try:
        tokens = shlex.split(text)
    except ValueError:  # an unbalanced quote while typing
        tokens = text.replace('"', " ").replace("'", " ").split()
    projects: list[str] = []
    values: dict[str, str] = {}
    words: list[str] = []
    unknown: list[str] = []
    for token in tokens:
        name, sep, value = token.partition(":")
        name = name.lower()
        if sep and name in FILTER_FIELDS:
            value = value.strip().lower()
            if not value:
                continue
            if name == "project":
                for code in value.split(","):
                    code = code.strip()
                    if code:
                        projects.append("programme" if code in PROGRAMME_WORDS else code)
            else:
                values[name] = value.replace("_", " ") if name != "proximity" else value.replace("-", " ")
                if name == "proximity" and values[name][:4].isdigit():
                    values[name] = value  # a date prefix keeps its dashes
        elif sep and name and not name.isdigit():
            unknown.append(token)
        else:
            words.append(token.lower())
    status = values.get("status")
    return RiskFilter(
        projects=tuple(dict.fromkeys(projects)),
        category=values.get("category", ""),
        owner=values.get("owner", ""),
        proximity=values.get("proximity", ""),
        status=status,
        words=tuple(words),
        unknown=tuple(unknown),
    )


def _status_ok(row_status: str | None, wanted: str | None, default: str | None) -> bool:
    wanted = wanted or default
    if not wanted or wanted in ("all", "any", "*"):
        return True
    return (row_status or "").lower().startswith(wanted)


def matches(
    row: Any,
    flt: RiskFilter,
    code_of: Callable[[int | None], str] | Mapping[int, str],
    *,
    default_status: str | None = "open",
    text_fields: tuple[str, ...] = ("title", "owner", "category", "cause", "event", "effect"),
) -> bool:
    """Does a risk (or issue / assumption / decision) row pass the filter?"""
    lookup = code_of.get if isinstance(code_of, Mapping) else code_of
    if not _status_ok(_get(row, "status"), flt.status, default_status):
        return False
    pid = _get(row, "project_id")
    if flt.projects:
        code = "programme" if pid is None else (lookup(pid) or "").lower()
        if code not in flt.projects:
            return False
    if flt.category and flt.category not in (_get(row, "category") or "").lower():
        return False
    if flt.owner and flt.owner not in (_get(row, "owner") or "").lower():
        return False
    if flt.proximity and not (_get(row, "proximity") or "").lower().startswith(flt.proximity):
        return False
    if flt.words:
        code = "programme" if pid is None else (lookup(pid) or "")
        haystack = " ".join([code, *(str(_get(row, f) or "") for f in text_fields)]).lower()
        if not all(w in haystack for w in flt.words):
            return False
    return True


def filter_risks(
    risks: Iterable[Any], flt: RiskFilter, code_of: Callable[[int | None], str] | Mapping[int, str]
) -> list[Any]:
    return [r for r in risks if matches(r, flt, code_of)]


# ---------------------------------------------------------------------- counting


def cells_of(risks: Iterable[Any], view: str = "residual") -> dict[Cell, list[Any]]:
    """Risks grouped by cell (unscored risks are left out), in the order given."""
    out: dict[Cell, list[Any]] = {}
    for r in risks:
        cell = position(r, view)
        if cell is not None:
            out.setdefault(cell, []).append(r)
    return out


def cell_counts(risks: Iterable[Any], view: str = "residual") -> dict[Cell, int]:
    """How many of `risks` sit in each of the 25 cells (every cell present, zeros included)."""
    counts = {(p, i): 0 for p in range(1, 6) for i in range(1, 6)}
    for cell, rows in cells_of(risks, view).items():
        counts[cell] = len(rows)
    return counts


def cell_trends(
    by_cell: Mapping[Cell, list[Any]], trends: Mapping[int, str]
) -> dict[Cell, tuple[int, int, int]]:
    """(risen, fallen, new) since the last stand-up per cell, from the model's trend per risk id
    (↑ ↓ → or "new"); cells where nothing moved are left out."""
    out: dict[Cell, tuple[int, int, int]] = {}
    for cell, rows in by_cell.items():
        marks = [trends.get(_get(r, "id")) for r in rows]
        up, down, new = marks.count("↑"), marks.count("↓"), marks.count("new")
        if up or down or new:
            out[cell] = (up, down, new)
    return out


def band_counts(
    risks: Iterable[Any], view: str = "residual", bands: RiskBands = DEFAULT_BANDS
) -> dict[str, int]:
    """Risks per band (Low … Critical) in the given view; the residual view of the open risks is
    what `pgmtui rollup` reports as `risks.by_band`."""
    out = dict.fromkeys(BANDS, 0)
    for r in risks:
        cell = position(r, view)
        if cell is not None:
            out[cell_band(cell, bands)] += 1
    return out


def review_overdue(risk: Any, today: Any) -> bool:
    """An open record whose review (or due) date has passed."""
    if (_get(risk, "status") or "open") == "closed":
        return False
    due = _get(risk, "review_date")
    if not due:
        return False
    return str(due)[:10] < (today.isoformat() if hasattr(today, "isoformat") else str(today))


# How far a review moves a risk's next review date when the overdue date is moved (the re-score
# pop-up offers it): a fortnight, the usual RAID review rhythm of a programme board.
RISK_REVIEW_CADENCE_DAYS = 14


def next_review_date(today: Any, cadence_days: int = RISK_REVIEW_CADENCE_DAYS) -> Any:
    """The review date a risk reviewed today gets: today + the review cadence."""
    return today.add(days=cadence_days)


# ---------------------------------------------------------------------- score history


@dataclass(frozen=True)
class ScorePoint:
    """A risk's scores right after one audited write that changed them (or its status)."""

    ts: str
    user: str
    action: str
    probability: int | None
    impact: int | None
    residual_probability: int | None
    residual_impact: int | None
    status: str | None
    note: str

    @property
    def inherent(self) -> int | None:
        return score(self.probability, self.impact)

    @property
    def residual(self) -> int | None:
        return score(*residual_pi({k: getattr(self, k) for k in SCORE_FIELDS}))


def _as_int(v: Any) -> int | None:
    try:
        return None if v is None or v == "" else int(v)
    except (TypeError, ValueError):
        return None


def score_history(
    current: Mapping[str, Any] | None, audit_rows: Iterable[Mapping[str, Any]]
) -> list[ScorePoint]:
    """Every audited change of a risk's P / I / residual P / residual I or status, oldest first,
    with the scores as they stood right after it.

    Works back from the current row through the log (like `history.value_at`), so a log that starts
    mid-life (an import) still gives correct scores for the changes it holds.
    """
    rows = sorted(audit_rows, key=lambda r: (str(r.get("ts") or ""), r.get("id") or 0))
    watched = (*SCORE_FIELDS, "status")
    state: dict[str, Any] = {k: (current or {}).get(k) for k in watched}
    points: list[ScorePoint] = []
    for row in reversed(rows):
        changes = parse_changes(row.get("changes"))
        action = str(row.get("action") or "")
        touched = [k for k in watched if k in changes]
        after = dict(state)
        if action == "delete":
            after = {k: changes.get(k, (None, None))[0] for k in watched}
        if action == "insert" or touched:
            notes = []
            if action == "insert":
                notes.append("logged")
            elif action == "delete":
                notes.append("deleted")
            else:
                if any(k in changes for k in ("probability", "impact")):
                    notes.append("re-scored")
                if any(k in changes for k in ("residual_probability", "residual_impact")):
                    notes.append("residual re-scored")
                if "status" in changes:
                    new = changes["status"][1]
                    notes.append("closed" if new == "closed" else "reopened" if new == "open" else str(new))
            points.append(
                ScorePoint(
                    ts=str(row.get("ts") or ""),
                    user=str(row.get("user") or ""),
                    action=action,
                    probability=_as_int(after.get("probability")),
                    impact=_as_int(after.get("impact")),
                    residual_probability=_as_int(after.get("residual_probability")),
                    residual_impact=_as_int(after.get("residual_impact")),
                    status=after.get("status"),
                    note=", ".join(notes),
                )
            )
        # Rewind: the state before this write.
        if action == "update":
            for k, (old, _new) in changes.items():
                if k in state:
                    state[k] = old
        elif action == "delete":
            state = after
    points.reverse()
    return points
