"""Cost sheets: a project's money by month as finance teams keep it in a spreadsheet, one row per
project × category (× measure), one column per month, imported through `pgmtui import` (issue 14).

    project,category,measure,2026-10,2026-11,2026-12,Jan 2027,total
    IAM,opex,planned,120000,130000,"140,000",90000,480000
    IAM,opex,actual,118500,,,,
    IAM,capex,planned,,50000,,,

- ``project`` (a code) is required; ``category`` is capex or opex (empty: opex); ``measure`` is
  planned, actual or forecast (empty, or no such column: planned; "plan", "budget", "actuals",
  "fcst" and the like are understood).
- Month columns are headed ``YYYY-MM`` (or ``YYYY/MM``, ``Jan 2027``, ``Jan-27``); an empty cell
  leaves that month alone; a total column and other columns are ignored, and said so.
- Each (project, month, category) becomes one cost row: added when there is none, otherwise the
  measures given are changed in place. All or nothing: every bad cell is reported as
  ``file:line: message`` and nothing is written unless the whole sheet is good.

``parse_cost_sheet`` is pure (header and rows in, cost field values and problems out);
``import_cost_sheet`` writes the result through the store in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pgmtui.records.errors import StoreError, ValidationError
from pgmtui.records.fields import KINDS, coerce_field

if TYPE_CHECKING:
    from pgmtui.exchange.common import ImportResult
    from pgmtui.exchange.sheets import Grid
    from pgmtui.store import Store

__all__ = [
    "CostSheet",
    "import_cost_grid",
    "import_cost_sheet",
    "is_cost_sheet",
    "month_of_header",
    "parse_cost_sheet",
]

MEASURES = {
    "planned": ("planned", "plan", "budget", "budgeted", "baseline"),
    "actual": ("actual", "actuals", "spend", "spent", "cost", "costs"),
    "forecast": ("forecast", "forecasts", "fcst", "fc", "outlook", "estimate"),
}
_MONTHS = {
    name: i
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_IGNORED = ("total", "totals", "sum", "notes", "note", "comment", "comments")


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def month_of_header(header: str) -> str | None:
    """'2027-03', '2027/03', 'Mar 2027', 'March 2027', 'Mar-27' → '2027-03'; anything else → None."""
    text = header.strip()
    m = re.fullmatch(r"(\d{4})[-/](\d{1,2})", text)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"([A-Za-z]{3,9})[\s\-/']*(\d{2}|\d{4})", text)
        if not m or m.group(1)[:3].lower() not in _MONTHS:
            return None
        year = int(m.group(2)) + (2000 if len(m.group(2)) == 2 else 0)
        month = _MONTHS[m.group(1)[:3].lower()]
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None


def is_cost_sheet(header: Iterable[str]) -> bool:
    """A project column and at least one month column: a cost sheet (not a table export, which has
    an `id` column, nor a risk register)."""
    names = [_norm(h) for h in header]
    return (
        "id" not in names
        and any(n in ("project", "project code") for n in names)
        and any(month_of_header(h) for h in header)
    )


@dataclass
class CostSheet:
    """What a sheet says: cost field values by (project code, month, category), each with the
    sheet line it came from; problems as `file:line: message`; notes (ignored columns)."""

    values: dict[tuple[str, str, str], dict[str, float | None]] = field(default_factory=dict)
    where: dict[tuple[str, str, str], str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _measure(text: str) -> str | None:
    word = _norm(text)
    if not word:
        return "planned"
    return next((m for m, names in MEASURES.items() if word in names), None)


def parse_cost_sheet(
    name: str, header: Sequence[str], rows: Iterable[tuple[int, Mapping[str, str], Any]]
) -> CostSheet:
    """Read a cost sheet (``rows``: (line, cells by column, extra cells)) into cost field values."""
    sheet = CostSheet()
    columns = {_norm(h): h for h in header}
    project_col = columns.get("project") or columns.get("project code")
    category_col = columns.get("category") or columns.get("cat") or columns.get("type")
    measure_col = columns.get("measure") or columns.get("value") or columns.get("kind")
    months = {h: m for h in header if (m := month_of_header(h))}
    used = {project_col, category_col, measure_col, *months}
    ignored = [h for h in header if h not in used and h.strip()]
    if ignored:
        sheet.notes.append(f"{name}: ignored column(s): {', '.join(ignored)}")
    kind = KINDS["cost"]
    seen: dict[tuple[str, str, str], int] = {}
    for line, cells, extra in rows:
        where = f"{name}:{line}"
        if extra:
            sheet.problems.append(f"{where}: more cells than columns")
            continue
        code = (cells.get(project_col or "") or "").strip()
        if not code:
            sheet.problems.append(f"{where}: project is required (a project code, e.g. IAM)")
            continue
        try:
            category = coerce_field(kind.field("category"), cells.get(category_col or "") or "opex")
        except ValidationError as exc:
            sheet.problems.append(f"{where}: {exc}")
            continue
        measure = _measure(cells.get(measure_col or "") or "")
        if measure is None:
            sheet.problems.append(
                f"{where}: measure must be planned, actual or forecast; got {cells.get(measure_col or '')!r}"
            )
            continue
        previous = seen.get((code.upper(), category, measure))
        if previous is not None:
            sheet.problems.append(f"{where}: {code} {category} {measure} is already given on line {previous}")
            continue
        seen[(code.upper(), category, measure)] = line
        for column, month in months.items():
            raw = (cells.get(column) or "").strip()
            if not raw:
                continue
            try:
                value = coerce_field(kind.field(measure), raw)
            except ValidationError as exc:
                sheet.problems.append(f"{where}: {column}: {exc}")
                continue
            key = (code, month, category)
            sheet.values.setdefault(key, {})[measure] = value
            sheet.where.setdefault(key, where)
    return sheet


def import_cost_grid(store: Store, path: Any, grid: Grid, *, dry_run: bool = False) -> ImportResult:
    """`pgmtui import SHEET.csv` for a cost sheet (``grid``: the CSV as pgmtui.exchange.sheets reads
    it, its first row the header)."""
    header = [str(c).strip() for c in grid.rows[0][1]] if grid.rows else []
    rows = []
    for line, cells in grid.rows[1:]:
        texts = ["" if c is None else str(c) for c in cells]
        rows.append((line, dict(zip(header, texts, strict=False)), texts[len(header) :]))
    return import_cost_sheet(store, path, header, rows, dry_run=dry_run)


def import_cost_sheet(
    store: Store,
    path: Any,
    header: Sequence[str],
    rows: Iterable[tuple[int, Mapping[str, str], Any]],
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Every (project, month, category) of a cost sheet added or changed in place, in one
    transaction; ImportFailed (nothing written) when any cell is bad; `dry_run` rolls back."""
    from pgmtui.exchange.common import ImportResult, all_or_nothing

    sheet = parse_cost_sheet(path.name, header, rows)
    problems = list(sheet.problems)
    result = ImportResult("cost sheet", notes=list(sheet.notes), source=path.name, dry_run=dry_run)
    added = changed = 0
    with all_or_nothing(store, problems, dry_run=dry_run):
        existing = {}
        codes = {p["id"]: p["code"].upper() for p in store.rows("project")}
        for row in store.rows("cost"):
            existing[(codes.get(row["project_id"], ""), row["month"], row["category"])] = row
        for key, values in sheet.values.items():
            code, month, category = key
            current = existing.get((code.upper(), month, category))
            try:
                if current is None:
                    store.insert("cost", {"project": code, "month": month, "category": category, **values})
                    added += 1
                elif any(current.get(name) != value for name, value in values.items()):
                    store.update("cost", current["id"], values)
                    changed += 1
            except StoreError as exc:
                problems.append(f"{sheet.where[key]}: {month}: {exc}")
    result.counts["cost"] = added + changed
    result.notes.append(f"{path.name}: {added} cost row(s) added, {changed} changed in place")
    return result
