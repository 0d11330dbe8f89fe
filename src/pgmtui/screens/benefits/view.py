"""Benefits view: the Model turned into the tracker's rows, its headline, the selected benefit's
summary, the MSP profile and the measurement list. Free of textual (unit-tested without an app).

The tracker lists benefits and, apart, dis-benefits (accepted downsides) with baseline → latest →
target, realisation %, status from the trend projection, a sparkline of the history and the RAG of
the projects that enable each one. Both lists share one set of column widths so they line up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from pgmtui.domain.benefits import (
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    REALISED,
    STATUSES,
    BenefitStatus,
    progress_pct,
)
from pgmtui.domain.rollup import ProgrammeRollup
from pgmtui.model import Model
from pgmtui.widgets.badges import GREEN, RAG_GLYPH, RAG_STYLE, RagStyles, literal, rag_badge
from pgmtui.widgets.cells import Cell, Column, Row, plain
from pgmtui.widgets.format import date, days, number, pct
from pgmtui.widgets.sparkline import sparkline

BENEFIT_FORM_FIELDS = (
    "name",
    "kind",
    "owner",
    "description",
    "measure",
    "unit",
    "measurement_method",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "projects",
)
MEASUREMENT_FIELDS = ("benefit", "date", "value", "note")
CORRECTION_FIELDS = ("date", "value", "note")  # a correction keeps the measurement on its benefit

STATUS_GLYPH = {REALISED: "✔", ON_TRACK: "■", AT_RISK: "▲", OFF_TRACK: "●", NO_DATA: "○"}
STATUS_STYLE = RagStyles({REALISED: "G", ON_TRACK: "G", AT_RISK: "A", OFF_TRACK: "R"}, {NO_DATA: "dim"})
STATUS_RANK = {OFF_TRACK: 0, AT_RISK: 1, NO_DATA: 2, ON_TRACK: 3, REALISED: 4}  # worst first
KIND_SHORT = {"cash-releasing": "Cash", "non-cash": "Non-cash", "dis-benefit": "Dis-benefit"}
SPARK_WIDTH = 8
TALL = 34  # terminal rows from which the tracker also charts the selected benefit
WIDE = 110  # terminal columns from which the profile puts the measurements beside the chart


def status_badge(status: str) -> Text:
    """`▲ At risk` on amber: glyph and word, so it reads without colour."""
    return Text(f" {STATUS_GLYPH.get(status, '?')} {status} ", style=STATUS_STYLE.get(status, ""))


def value_text(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "–"
    return f"{number(value)} {unit}" if unit else number(value)


# ---------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class BenefitRow:
    """One benefit as the screens show it: its status, its record and its enabling projects."""

    status: BenefitStatus
    record: dict[str, Any]
    projects: tuple[tuple[int, str, str | None], ...]  # (project id, code, RAG)

    @property
    def id(self) -> int:
        return self.status.benefit_id

    @property
    def red_projects(self) -> list[str]:
        return [code for _, code, rag in self.projects if rag == "R"]

    @property
    def threatened(self) -> bool:
        """A red enabling project threatens a benefit not yet realised."""
        return bool(self.red_projects) and self.status.status != REALISED


def benefit_rows(model: Model) -> list[BenefitRow]:
    """Every benefit with its record and its enabling projects (by code) and their RAG."""
    rag_of = {p.project_id: (p.code, p.rag.final) for p in model.rollup.projects}
    out = []
    for bs in model.rollup.benefits:
        record = model.row("benefit", bs.benefit_id) or {}
        links = []
        for pid in model.benefit_links.get(bs.benefit_id, []):
            code, rag = rag_of.get(pid, (model.project_code(pid) or f"#{pid}", None))
            links.append((pid, code, rag))
        links.sort(key=lambda x: x[1].lower())
        out.append(BenefitRow(bs, record, tuple(links)))
    return out


def projects_text(row: BenefitRow, *, words: bool = False) -> Text:
    """`⚠ CLD● IAM■`: each enabling project's code with its RAG glyph; ⚠ when one is red."""
    t = Text(no_wrap=True)
    if row.threatened:
        t.append("⚠ ", style="bold red")
    for i, (_, code, rag) in enumerate(row.projects):
        if i:
            t.append(", " if words else " ")
        t.append(code)
        if words:
            t.append(" ")
            t.append_text(rag_badge(rag))
        elif rag:
            t.append(RAG_GLYPH.get(rag, "?"), style=RAG_STYLE.get(rag, "").replace("on ", "").split()[-1])
    if not row.projects:
        t.append("–", style="dim")
    return t


def spark_of(bs: BenefitStatus, width: int = SPARK_WIDTH) -> str:
    """The history's last `width` values, scaled between the baseline and the target."""
    bounds = [v for v in (bs.baseline_value, bs.target_value) if v is not None]
    return sparkline(bs.values, width, lo=min(bounds) if bounds else None, hi=max(bounds) if bounds else None)


# ---------------------------------------------------------------------------------------- tracker

# Columns by the terminal width they need: from 90 the Latest/Target pair, replaced at 110 by the
# wider Baseline → Latest → Target; 130 the target date; 150 the kind; 170 the owner; 190 the measure.
# Widths are set by `tracker_columns` (shared by the benefits and dis-benefits lists).
COLUMNS = (
    Column("name", "Benefit"),
    Column.of_field("benefit", "kind", min_screen=150, sortable=False),
    Column.of_field("benefit", "owner", min_screen=170, sortable=False),
    Column.of_field("benefit", "measure", min_screen=190, sortable=False),
    Column("latest", "Latest/Target", min_screen=90, sortable=False),
    Column("values", "Baseline → Latest → Target", min_screen=110, sortable=False),
    Column("pct", "Real."),
    Column("due", "Target date", min_screen=130),
    Column("status", "Status"),
    Column("spark", "History", sortable=False),
    Column("projects", "Projects", sortable=False),
)
MAX_SCREEN = {"latest": 109}  # Latest/Target gives way to the full Baseline → Latest → Target
DEFAULT_SORT = "status"
# What `s` cycles through (the sortable columns, in column order) and how the toast names them.
SORT_NAMES = {
    "status": "status (worst first)",
    "name": "name",
    "pct": "realisation %",
    "due": "target date",
}
NAME_WIDTH = (16, 48)  # the name column shares what the others leave, within these bounds


def cells(row: BenefitRow) -> dict[str, Cell]:
    """The tracker cells of one benefit, untruncated. User text goes through `literal`."""
    bs, rec = row.status, row.record
    unit = rec.get("unit") or ""
    measure = literal(rec.get("measure") or "")
    if unit:
        measure.append(f" ({unit})", style="dim")
    values = Text(no_wrap=True)
    values.append(number(bs.baseline_value), style="dim")
    values.append(" → ")
    values.append(number(bs.latest), style="bold")
    values.append(" → ")
    values.append(number(bs.target_value))
    if unit and len(unit) <= 6:
        values.append(f" {unit}", style="dim")
    latest = Text(no_wrap=True)
    latest.append(number(bs.latest), style="bold")
    latest.append(f"/{number(bs.target_value)}")
    return {
        "name": literal(bs.name),
        "kind": KIND_SHORT.get(bs.kind, bs.kind),
        "owner": literal(rec.get("owner") or ""),
        "measure": measure,
        "latest": latest,
        "values": values,
        "pct": pct(bs.realisation_pct),
        "due": date(bs.target_date),
        "status": status_badge(bs.status),
        "spark": Text(spark_of(bs) or "–", style="#2e86c1" if bs.values else "dim"),
        "projects": projects_text(row),
    }


def sort_values(row: BenefitRow) -> dict[str, Any]:
    """What the sortable columns sort by: status worst first (a threatened benefit before the rest
    of its status), realisation % and target date as numbers (none last)."""
    bs = row.status
    return {
        "status": STATUS_RANK.get(bs.status, 9) * 2 + (0 if row.threatened else 1),
        "name": bs.name.lower(),
        "pct": bs.realisation_pct,
        "due": bs.target_date.toordinal() if bs.target_date else None,
    }


def tracker_columns(
    all_widths: Iterable[Mapping[str, int]], screen_width: int, sort_key: str | None
) -> tuple[Column, ...]:
    """The columns shown at `screen_width`, each with its width fixed from every benefit's cell
    widths (filtered out or not, benefit or dis-benefit), so the two lists line up and a filter does
    not make the columns jump. Projects is capped (16, or 12 below 100 columns); the name takes what
    the rest leave (between 16 and 48, and no wider than the longest name)."""
    shown = [c for c in COLUMNS if c.min_screen <= screen_width <= MAX_SCREEN.get(c.key, screen_width)]
    widest: dict[str, int] = {c.key: 0 for c in shown}
    for row_widths in all_widths:
        for key, width in widest.items():
            if row_widths[key] > width:
                widest[key] = row_widths[key]
    widths = {c.key: max(cell_len(c.label) + (2 if c.key == sort_key else 0), widest[c.key]) for c in shown}
    widths["projects"] = min(widths["projects"], 16 if screen_width >= 100 else 12)
    # every cell has one space of padding each side; keep room for the vertical scrollbar
    fixed = sum(widths[c.key] + 2 for c in shown if c.key != "name") + 2 + 2
    low, high = NAME_WIDTH
    widths["name"] = max(low, min(high, widths["name"], screen_width - fixed))
    return tuple(Column(c.key, c.label, width=widths[c.key], sortable=c.sortable) for c in shown)


CUT = ("name", "projects")  # the cells cut to their column (the others set their column's width)


class CellCache:
    """Each benefit's tracker cells, kept while its row is unchanged: rebuilding 500 rows of Text
    on every refresh cost the large demo ~0.2 s a refresh. The same cell objects also let the
    tables skip unchanged cells at once."""

    def __init__(self) -> None:
        self._full: dict[int, tuple[BenefitRow, dict[str, Cell], dict[str, int]]] = {}
        self._fitted: dict[int, tuple[tuple[int, ...], dict[str, Cell]]] = {}

    def full(self, row: BenefitRow) -> tuple[dict[str, Cell], dict[str, int]]:
        """The untruncated cells and their widths in terminal cells."""
        hit = self._full.get(row.id)
        if hit is not None and hit[0] == row:
            return hit[1], hit[2]
        values = cells(row)
        widths = {key: cell_len(plain(value)) for key, value in values.items()}
        self._full[row.id] = (row, values, widths)
        self._fitted.pop(row.id, None)
        return values, widths

    def fitted(self, row: BenefitRow, columns: Sequence[Column]) -> dict[str, Cell]:
        """The cells as shown: the name and projects cut (with …) to their columns' widths."""
        limits = {c.key: c.width or 0 for c in columns if c.key in CUT}
        key = tuple(limits.get(k, 0) for k in CUT)
        hit = self._fitted.get(row.id)
        if hit is not None and hit[0] == key:
            return hit[1]
        full, widths = self.full(row)
        out = dict(full)
        for name, limit in limits.items():
            value = full[name]
            if widths[name] > limit and isinstance(value, Text):
                cut = value.copy()
                cut.truncate(limit, overflow="ellipsis")
                out[name] = cut
        self._fitted[row.id] = (key, out)
        return out

    def keep_only(self, ids: Iterable[int]) -> None:
        """Forget deleted benefits."""
        keep = set(ids)
        for cache in (self._full, self._fitted):
            for gone in [i for i in cache if i not in keep]:
                del cache[gone]


def matches(row: BenefitRow, query: str) -> bool:
    """Words must all match; `status:risk`, `kind:cash`, `owner:ana`, `project:IAM` narrow by field."""
    rec = row.record
    for word in query.lower().split():
        field, sep, value = word.partition(":")
        if sep and field in ("status", "kind", "owner", "project"):
            if field == "status" and value not in row.status.status.lower():
                return False
            if field == "kind" and not row.status.kind.lower().startswith(value):
                return False
            if field == "owner" and value not in (rec.get("owner") or "").lower():
                return False
            if field == "project" and not any(code.lower().startswith(value) for _, code, _ in row.projects):
                return False
        elif (
            word
            not in " ".join(
                (row.status.name, rec.get("owner") or "", rec.get("measure") or "", row.status.status)
            ).lower()
        ):
            return False
    return True


@dataclass(frozen=True)
class Tracker:
    """What the tracker shows: its columns and the rows of each list (filtered, in name order:
    the lists apply the user's sort), and how many there are before the filter."""

    columns: tuple[Column, ...]
    benefits: list[Row]
    dis_benefits: list[Row]
    benefit_total: int
    dis_benefit_total: int

    def title(self, filtered: bool) -> str:
        shown, total = len(self.benefits), self.benefit_total
        return f"Benefits ({shown} of {total})" if filtered else f"Benefits ({total})"

    def dis_title(self) -> str:
        return f"Dis-benefits ({self.dis_benefit_total}) — accepted downsides, tracked apart"


def tracker(
    rows: Sequence[BenefitRow],
    screen_width: int,
    sort_key: str | None,
    query: str = "",
    cache: CellCache | None = None,
) -> Tracker:
    """The tracker at `screen_width`: columns, and the benefits and dis-benefits that match `query`.
    Pass the same `cache` on every refresh to reuse the cells of unchanged benefits."""
    cache = cache or CellCache()
    cache.keep_only(r.id for r in rows)
    columns = tracker_columns((cache.full(r)[1] for r in rows), screen_width, sort_key)
    shown = sorted((r for r in rows if matches(r, query)), key=lambda r: r.status.name.lower())
    benefits: list[Row] = []
    dis: list[Row] = []
    for r in shown:
        (dis if r.status.is_dis_benefit else benefits).append(
            Row(r.id, cache.fitted(r, columns), sort_values(r))
        )
    n_dis = sum(1 for r in rows if r.status.is_dis_benefit)
    return Tracker(columns, benefits, dis, len(rows) - n_dis, n_dis)


# ---------------------------------------------------------------------------------------- headline


def cash_unit(model: Model) -> str:
    """The unit cash-releasing benefits are measured in (when they agree), else the currency."""
    units = {(b.get("unit") or "") for b in model.rows("benefit") if b.get("kind") == "cash-releasing"}
    return units.pop() if len(units) == 1 and "" not in units else model.rollup.currency


def progress_bar(fraction: float | None, width: int = 10) -> Text:
    if fraction is None:
        return Text("")
    filled = max(0, min(width, round(fraction * width)))
    t = Text("[")
    t.append("█" * filled, style=GREEN)
    t.append("░" * (width - filled), style="dim")
    t.append("]")
    return t


def status_counts(counts: Mapping[str, int], *, skip_zero: bool = False) -> Text:
    t = Text()
    first = True
    for s in STATUSES:
        n = counts.get(s, 0)
        if skip_zero and not n:
            continue
        if not first:
            t.append(" ")
        first = False
        t.append(f"{STATUS_GLYPH[s]} {n} {s}", style=STATUS_STYLE[s] if n else "dim")
    return t


def headline(r: ProgrammeRollup, unit: str, threatened: int, width: int = 120) -> Text:
    """Cash realised vs planned, mean realisation, and counts by status (dis-benefits apart),
    packed into as few lines as the width allows."""
    cash = Text()
    cash.append("Cash ", style="bold")
    frac = r.cash_realised / r.cash_planned if r.cash_planned else None
    cash.append(f"{number(r.cash_realised)} of {number(r.cash_planned)} {unit} realised")
    if frac is not None:
        cash.append(f" ({frac * 100:.0f}%) ")
        cash.append_text(progress_bar(frac))
    mean = Text()
    mean.append("Mean realisation ", style="bold")
    mean.append(pct(r.realisation_pct))
    counts = Text()
    counts.append("Benefits ", style="bold")
    counts.append_text(status_counts(r.benefits_by_status))
    segments = [cash, mean, counts]
    if sum(r.dis_benefits_by_status.values()):
        dis = Text()
        dis.append("Dis-benefits ", style="bold")
        dis.append_text(status_counts(r.dis_benefits_by_status, skip_zero=True))
        segments.append(dis)
    if threatened:
        segments.append(Text(f"⚠ {threatened} threatened by a red project", style="bold red"))
    return pack(segments, width - 2)


def pack(segments: Sequence[Text], width: int, gap: str = "   ") -> Text:
    """Segments joined by `gap`, starting a new line where the next one would not fit."""
    out = Text()
    used = 0
    for seg in segments:
        n = cell_len(seg.plain)
        if used and used + len(gap) + n > width:
            out.append("\n")
            used = 0
        elif used:
            out.append(gap)
            used += len(gap)
        out.append_text(seg)
        used += n
    return out


def summary_text(row: BenefitRow | None, width: int = 120) -> Text:
    """The selected benefit in three short lines under the tracker."""
    if row is None:
        return Text("No benefit selected.", style="dim")
    bs, rec = row.status, row.record
    unit = rec.get("unit") or ""
    t = Text()
    t.append_text(status_badge(bs.status))
    t.append(" ")
    t.append(bs.name, style="bold")
    if width >= 110:
        t.append(f"  {KIND_SHORT.get(bs.kind, bs.kind)}", style="dim")
        if rec.get("owner"):
            t.append("  owner ")
            t.append(rec["owner"])
    t.append("\n")
    t.append(f"{number(bs.baseline_value)} → ")
    t.append(number(bs.latest), style="bold")
    t.append(f" → {value_text(bs.target_value, unit)}")
    if bs.target_date:
        t.append(f" by {bs.target_date.isoformat()}")
    t.append(f"  {pct(bs.realisation_pct)} realised", style="bold")
    if bs.latest_date and width >= 100:
        t.append(f"  (latest {bs.latest_date.isoformat()})", style="dim")
    t.append("\n")
    t.append_text(forecast_text(bs, unit))
    t.append("  Enabling ")
    t.append_text(projects_text(row, words=True))
    return t


def forecast_text(bs: BenefitStatus, unit: str) -> Text:
    t = Text()
    if bs.projected_value is not None and bs.target_date is not None:
        t.append(f"Trend → {value_text(bs.projected_value, unit)} by {bs.target_date.isoformat()}")
        t.append(f" ({pct(bs.projected_pct)} of the change)", style="dim")
    elif bs.latest is None:
        t.append("No measurements yet", style="dim")
    else:
        t.append("No trend yet (needs two measurements, or a baseline date, and a target date)", style="dim")
    return t


# ---------------------------------------------------------------------------------------- profile


def profile_text(row: BenefitRow, width: int) -> Text:
    """The MSP profile: what, who, how measured, from where to where by when, and what enables it.

    Narrow terminals get one line per item (cut with …) so the chart keeps its room."""
    bs, rec = row.status, row.record
    unit = rec.get("unit") or ""
    compact = width < WIDE
    lines: list[Text] = []
    t = Text()
    t.append_text(status_badge(bs.status))
    t.append(" ")
    t.append(bs.name, style="bold")
    t.append(f"  {KIND_SHORT.get(bs.kind, bs.kind)}", style="dim")
    t.append(f"  {pct(bs.realisation_pct)} realised", style="bold")
    lines.append(t)
    t = Text()
    t.append("Owner ", style="bold")
    t.append(rec.get("owner") or "–")
    t.append("   Measure ", style="bold")
    t.append(rec.get("measure") or "–")
    if unit:
        t.append(f" ({unit})")
    lines.append(t)
    t = Text()
    t.append("Measured " if compact else "How/when measured ", style="bold")
    t.append((rec.get("measurement_method") or "–").replace("\n", " "))
    lines.append(t)
    t = Text()
    t.append("Baseline ", style="bold")
    t.append(value_text(bs.baseline_value, unit))
    t.append(f" ({rec.get('baseline_date') or 'no date'})", style="dim")
    t.append(" → target ", style="bold")
    t.append(value_text(bs.target_value, unit))
    t.append(f" by {date(bs.target_date)}")
    t.append(" · latest ", style="bold")
    t.append(value_text(bs.latest, unit))
    if bs.latest_date:
        t.append(f" ({bs.latest_date.isoformat()})", style="dim")
    lines.append(t)
    t = forecast_text(bs, unit)
    if bs.is_dis_benefit and bs.projected_pct is not None and bs.projected_pct > 100:
        t.append("  projected above the accepted level", style="bold red")
    lines.append(t)
    t = Text()
    t.append("Enabling projects ", style="bold")
    t.append_text(projects_text(row, words=True))
    if row.threatened:
        t.append(f"  {', '.join(row.red_projects)} red: benefit threatened", style="bold red")
    lines.append(t)
    description = rec.get("description")
    if description:
        lines.append(
            Text(str(description).replace("\n", " ") if compact else str(description), style="italic")
        )
    out = Text()
    for i, line in enumerate(lines):
        if i:
            out.append("\n")
        if compact:
            line.truncate(max(10, width - 2), overflow="ellipsis")
        out.append_text(line)
    return out


MEASUREMENT_COLUMNS = (
    Column.of_field("measurement", "date"),
    Column.of_field("measurement", "value"),
    Column("pct", "Real."),
    Column.of_field("measurement", "note"),
)


def measured_pct(value: float | None, bs: BenefitStatus) -> float | None:
    """How much of the promised change one measured value represents (no "-0%")."""
    p = progress_pct(value, bs.baseline_value, bs.target_value)
    return None if p is None else (0.0 if abs(p) < 0.5 else p)


def measurement_rows(bs: BenefitStatus, screen_width: int) -> list[Row]:
    """The benefit's measurements, newest first, each with its realisation; notes on one line,
    cut to 24 characters beside the chart (wide terminals) or to what 80 columns leave under it."""
    note_width = 24 if screen_width >= WIDE else max(10, screen_width - 40)
    out = []
    for m in reversed(bs.measurements):
        note = (m.note or "").replace("\n", " ")
        if len(note) > note_width:
            note = note[: note_width - 1] + "…"
        progress = measured_pct(m.value, bs)
        cells_ = {
            "date": Text(m.date.isoformat() if m.date else "–"),
            "value": Text(number(m.value)),
            "pct": Text(pct(progress)),
            "note": Text(note),
        }
        sort = {"date": m.date.isoformat() if m.date else None, "value": m.value, "pct": progress}
        out.append(Row(m.id, cells_, sort))
    return out


def measurements_title(row: BenefitRow) -> Text:
    unit = row.record.get("unit")
    return Text(f"Measurements ({len(row.status.measurements)})" + (f" — {unit}" if unit else ""))


# The projects that enable the benefit, beside its measurements (wide terminals): enter opens one.
LINKED_COLUMNS = (
    Column.of_field("project", "code", max_width=8),
    Column.of_field("project", "name", flex=True, min_width=8, max_width=30),
    Column("rag", "RAG", width=5),
    Column("slip", "Slip", width=5),
)
RAG_RANK = {"R": 0, "A": 1, "G": 2}  # worst first


def linked_project_rows(model: Model, row: BenefitRow) -> list[Row]:
    """The benefit's enabling projects by code, each with its RAG (an override starred) and its
    schedule slip, so a threatened benefit shows which project is late and by how much."""
    rollups = {p.project_id: p for p in model.rollup.projects}
    out = []
    for pid, code, rag in row.projects:
        p = rollups.get(pid)
        slip = p.slip_days if p is not None else None
        cells_: dict[str, Cell] = {
            "code": literal(code),
            "name": literal(p.name if p is not None else ""),
            "rag": rag_badge(rag, overridden=p is not None and p.rag.overridden),
            "slip": Text(days(slip), style="bold" if (slip or 0) > 0 else ""),
        }
        out.append(
            Row(pid, cells_, {"rag": RAG_RANK.get(rag or "", 3), "slip": -slip if slip is not None else None})
        )
    return out


def linked_title(row: BenefitRow) -> Text:
    n = len(row.projects)
    t = Text(f"Enabling projects ({n})")
    if not n:
        t.append(" — none linked: E edits the benefit", style="dim")
    return t


def measurement_count(model: Model, benefit_id: int) -> int:
    return sum(1 for m in model.rows("measurement") if m["benefit_id"] == benefit_id)


def measurement_hint(bs: BenefitStatus | None, unit: str) -> str:
    """What the measurement form's title adds: the latest value and the target."""
    if bs is None:
        return ""
    latest = f"latest {value_text(bs.latest, unit)}" if bs.latest is not None else "no measurement yet"
    return f" — {latest}, target {value_text(bs.target_value, unit)}"
