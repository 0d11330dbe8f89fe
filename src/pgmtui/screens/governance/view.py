"""Governance view: the Model turned into the alignment matrix, the business cases and the gate
calendar the Governance screen shows, and the texts of their detail panes. Free of textual
(unit-tested without an app)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from pgmtui.domain.business_case import CaseBook, CaseResult
from pgmtui.domain.governance import (
    DUE_SOON_DAYS,
    Alignment,
    GateReadiness,
    ProjectAlignment,
    alignment,
    gate_calendar,
    gates_due_without_review,
    strength_glyphs,
)
from pgmtui.model import Model
from pgmtui.widgets.badges import literal, rag_badge
from pgmtui.widgets.cells import Column, Row
from pgmtui.widgets.format import compact_money, date, pct

VIEWS = ("alignment", "cases", "gates")
VIEW_TITLES = {"alignment": "Alignment", "cases": "Business cases", "gates": "Gate calendar"}
VIEW_KEYS = {"alignment": "a", "cases": "b", "gates": "c"}
PROGRAMME_ROW = 0  # the programme's own case in the cases list (project ids start at 1)
RAG_RANK = {"R": 0, "A": 1, "G": 2}

CASE_FORM_FIELDS = (
    "project",
    "discount_rate_pct",
    "horizon_years",
    "base_date",
    "annual_running_cost",
    "options",
    "chosen_option",
    "notes",
)
REVIEW_FORM_FIELDS = ("milestone", "review_date", "outcome", "conditions", "attendees", "decision")


@dataclass
class GovernanceData:
    """What one model says, computed only for the views that are looked at."""

    model: Model
    _book: CaseBook | None = None
    _alignment: Alignment | None = None
    _cases: list[CaseResult] | None = None
    _gates: list[GateReadiness] | None = None
    _unreviewed: set[int] = field(default_factory=set)

    @property
    def book(self) -> CaseBook:
        if self._book is None:
            self._book = CaseBook.of(self.model.snapshot, self.model.today.toordinal())
        return self._book

    @property
    def alignment(self) -> Alignment:
        if self._alignment is None:
            self._alignment = alignment(self.model.snapshot)
        return self._alignment

    @property
    def cases(self) -> list[CaseResult]:
        """The programme's case (when recorded), then every project's, recorded or not."""
        if self._cases is None:
            book = self.book
            out = [book.programme_case()] if book.has_case(None) else []
            self._cases = out + [book.project_case(p.id) for p in self.model.snapshot.projects]
        return self._cases

    @property
    def gates(self) -> list[GateReadiness]:
        if self._gates is None:
            m = self.model
            self._gates = gate_calendar(m.snapshot, m.rollup, m.today.toordinal(), book=self.book)
        return self._gates

    def unreviewed(self) -> list[tuple[int, int, int]]:
        m = self.model
        return gates_due_without_review(m.rows("milestone"), m.rows("gate_review"), m.today.toordinal())


def case_id(case: CaseResult) -> int:
    return PROGRAMME_ROW if case.project_id is None else case.project_id


# ---------------------------------------------------------------------------- headline


def headline(data: GovernanceData, view: str, width: int) -> Text:
    """The tabs, then the one line of figures that matters for the view shown."""
    t = Text(no_wrap=True, overflow="ellipsis")
    for name in VIEWS:
        label = f"{VIEW_KEYS[name]} {VIEW_TITLES[name]}"
        if name == view:
            t.append(f"▸{label}◂", style="bold reverse")
        else:
            t.append(f" {label} ", style="dim")
        t.append(" ")
    t.append("\n")
    if view == "alignment":
        a = data.alignment
        t.append(f"{len(a.objectives)} objectives · {len(a.projects)} projects · ", style="bold")
        unaligned = a.unaligned
        if unaligned:
            t.append(f"⚠ {len(unaligned)} unaligned: ", style="bold")
            t.append(", ".join(unaligned))
        else:
            t.append("every project serves an objective")
    elif view == "cases":
        cases = [c for c in data.cases if c.record_id is not None]
        counts = {r: sum(1 for c in cases if c.viability.rag == r) for r in ("R", "A", "G")}
        t.append(f"{len(cases)} cases ", style="bold")
        for rag in ("R", "A", "G"):
            t.append_text(rag_badge(rag))
            t.append(f" {counts[rag]} ")
        prog = next((c for c in data.cases if c.project_id is None), None)
        if prog is not None:
            t.append(" Programme NPV ", style="bold")
            t.append(f"{compact_money(prog.npv)}, ROI {pct(prog.roi_pct)}")
        missing = [c.label for c in data.cases if c.record_id is None and c.project_id is not None]
        if missing:
            t.append(f"  no case: {', '.join(missing)}", style="dim")
    else:
        gates = data.gates
        ahead = [g for g in gates if g.actual_date is None]
        t.append(f"{len(ahead)} gates ahead", style="bold")
        soon = [g for g in ahead if g.days_to_go is not None and g.days_to_go <= DUE_SOON_DAYS]
        t.append(f" · {len(soon)} within {DUE_SOON_DAYS} d")
        unreviewed = data.unreviewed()
        if unreviewed:
            t.append(f" · ⚠ {len(unreviewed)} without a review: ", style="bold")
            t.append(", ".join(data.model.ref_label("milestone", mid) for mid, _, _ in unreviewed))
    if t.cell_len > 2 * width:
        t.truncate(2 * width, overflow="ellipsis")
    return t


# ---------------------------------------------------------------------------- alignment


def alignment_columns(a: Alignment) -> tuple[Column, ...]:
    """Project, RAG, one narrow column per objective (its code as the label), score, flag."""
    objective_columns = tuple(
        Column(f"obj:{o.objective_id}", o.code[:8], width=max(4, min(len(o.code), 8))) for o in a.objectives
    )
    return (
        Column.of_field("project", "code", label="Project", max_width=10),
        Column("rag", "RAG", width=5, min_screen=90),
        *objective_columns,
        Column("score", "Score", width=5, numeric=True),
        Column("flag", "Alignment", flex=True, min_width=9, sortable=True),
    )


def alignment_rows(data: GovernanceData) -> list[Row]:
    a = data.alignment
    rags = {p.project_id: p.rag for p in data.model.rollup.projects}
    out = []
    for p in sorted(a.projects, key=lambda p: p.code.lower()):
        cells: dict[str, Text | str] = {"code": literal(p.code)}
        rag = rags.get(p.project_id)
        cells["rag"] = rag_badge(rag.final, overridden=rag.overridden) if rag else Text("–")
        for o in a.objectives:
            cell = p.cells.get(o.objective_id)
            cells[f"obj:{o.objective_id}"] = (
                Text(strength_glyphs(cell[0], cell[1]), style="bold" if cell[1] else "")
                if cell
                else Text("·", style="dim")
            )
        cells["score"] = f"{p.score:g}"
        direct = sum(1 for s, d in p.cells.values() if d)
        via = len(p.cells) - direct
        if not p.aligned:
            cells["flag"] = Text("⚠ unaligned", style="bold red")
        else:
            words = [f"{direct} direct"] if direct else []
            if via:
                words.append(f"{via} via benefits")
            cells["flag"] = Text(", ".join(words))
        sort = {
            "score": p.score,
            "flag": (0 if not p.aligned else 1),
            "rag": RAG_RANK.get(rag.final or "", 3) if rag else 3,
        }
        for o in a.objectives:
            cell = p.cells.get(o.objective_id)
            sort[f"obj:{o.objective_id}"] = -(cell[0] + (0.5 if cell[1] else 0)) if cell else 0
        out.append(Row(p.project_id, cells, sort))
    return out


def alignment_detail(data: GovernanceData, project_id: int | None) -> Text:
    """The selected project's links, with notes; and the legend."""
    a = data.alignment
    p: ProjectAlignment | None = next((x for x in a.projects if x.project_id == project_id), None)
    t = Text(no_wrap=True, overflow="ellipsis")
    if p is None:
        t.append("No projects yet." if not a.projects else "No project selected.", style="dim")
    else:
        codes = {o.objective_id: o for o in a.objectives}
        t.append(p.code, style="bold")
        t.append(" ")
        t.append(p.name)
        if not p.aligned:
            t.append("  serves no objective: why is it in the programme?", style="bold red")
        for link in sorted(
            p.links,
            key=lambda k: (
                codes[k.objective_id].code if k.objective_id in codes else "",
                k.via_benefit or "",
            ),
        ):
            o = codes.get(link.objective_id)
            t.append("\n  ")
            t.append(strength_glyphs(link.strength, link.via_benefit is None).ljust(4))
            t.append(o.code if o else "?", style="bold")
            t.append(f" {o.name}" if o else "")
            if link.via_benefit:
                t.append(" — through benefit ", style="dim")
                t.append(link.via_benefit)
            if link.note:
                t.append(" — ", style="dim")
                t.append(link.note)
    t.append("\n")
    t.append(
        "● direct  ○ through a benefit it enables  (strength 1–3; score Σ weight × strength)", style="dim"
    )
    return t


# ---------------------------------------------------------------------------- business cases

CASE_COLUMNS = (
    Column("case", "Case", max_width=10),
    Column("viability", "Viab.", width=5),
    Column("npv", "NPV", width=8, numeric=True),
    Column("roi", "ROI", width=6, numeric=True),
    Column("payback", "Payback", width=7, numeric=True),
    Column("eac", "EAC", width=7, numeric=True, min_screen=90),
    Column("benefits", "Benefits", width=8, numeric=True, min_screen=100),
    Column("horizon", "Horizon", width=9, min_screen=110),
    Column("basis", "Basis", flex=True, min_width=8),
)


def _num(text: str, style: str = "") -> Text:
    """A figure in a numeric column: right-aligned like the column's label."""
    return Text(text, style=style, justify="right")


def _badge(rag: str | None) -> Text:
    """A RAG badge five cells wide even when not assessed, so check lines stay aligned."""
    return rag_badge(rag) if rag else Text("  –  ", style="dim")


def payback_text(years: float | None) -> str:
    return "–" if years is None else f"{years:.1f}y"


def case_rows(data: GovernanceData) -> list[Row]:
    out = []
    for c in data.cases:
        recorded = c.record_id is not None
        dim = "" if recorded else "dim"
        cells: dict[str, Text | str] = {
            "case": Text(c.label, style="bold" if c.project_id is None else ""),
            "viability": rag_badge(c.viability.rag) if recorded else Text("–", style="dim"),
            "npv": _num(compact_money(c.npv), dim or ("bold" if (c.npv or 0) < 0 else "")),
            "roi": _num(pct(c.roi_pct), dim),
            "payback": _num(payback_text(c.payback_years), dim),
            "eac": _num(compact_money(c.eac), dim),
            "benefits": _num(compact_money(c.total_benefits), dim),
            "horizon": Text(f"{c.horizon_years}y @{c.discount_rate_pct:g}%", style=dim),
            "basis": Text("recorded" if recorded else "no case recorded", style=dim),
        }
        sort = {
            "viability": RAG_RANK.get(c.viability.rag or "", 3) if recorded else 4,
            "npv": c.npv,
            "roi": c.roi_pct,
            "payback": c.payback_years,
            "eac": c.eac,
            "benefits": c.total_benefits,
            "case": "" if c.project_id is None else c.label.lower(),
        }
        out.append(Row(case_id(c), cells, sort))
    return out


def case_summary(c: CaseResult | None) -> Text:
    """Why the case is rated as it is, and what it is made of, in a few lines."""
    t = Text(no_wrap=True, overflow="ellipsis")
    if c is None:
        t.append("No business case selected.", style="dim")
        return t
    t.append(c.label if c.project_id is not None else "Programme", style="bold")
    t.append(" ")
    t.append_text(rag_badge(c.viability.rag))
    t.append(" ")
    t.append(c.viability.reasons[0] if c.viability.reasons else "")
    if c.record_id is None and c.project_id is not None:
        t.append("  (no case recorded: defaults; n records one)", style="dim")
    t.append("\n")
    t.append("Costs ", style="bold")
    t.append(f"{c.eac_basis} {compact_money(c.eac)}")
    if c.annual_running_cost:
        t.append(f" + running {compact_money(c.annual_running_cost)}/yr")
    counted = [b for b in c.benefits if b.counted]
    t.append("  Benefits ", style="bold")
    if counted:
        parts = []
        for b in counted:
            sign = "−" if b.kind == "dis-benefit" else ""
            flag = "?" if not b.measured else ""
            parts.append(f"{sign}{compact_money(b.annual_value)}×{(b.factor or 0) * 100:.0f}%{flag}")
        t.append(" ".join(parts))
    else:
        t.append("none valued", style="dim")
    return t


@dataclass(frozen=True)
class ChartSeries:
    """One case's years as the cash-flow chart draws them."""

    labels: tuple[str, ...]
    costs: tuple[float, ...]
    benefits: tuple[float, ...]
    cumulative: tuple[float, ...]
    title: str = ""


def chart_series(c: CaseResult | None) -> ChartSeries | None:
    if c is None or not c.years:
        return None
    return ChartSeries(
        labels=tuple(f"Y{y.k}" for y in c.years),
        costs=tuple(y.costs for y in c.years),
        benefits=tuple(y.benefits for y in c.years),
        cumulative=tuple(y.cumulative for y in c.years),
        title=f"{c.label}: cash flow by year from {date(c.base_date)}",
    )


YEAR_COLUMNS = (
    Column("k", "Year", width=4, numeric=True),
    Column("start", "From", width=10),
    Column("costs", "Costs", width=9, numeric=True),
    Column("benefits", "Benefits", width=9, numeric=True),
    Column("net", "Net", width=9, numeric=True),
    Column("discounted", "Discounted", width=10, numeric=True),
    Column("cumulative", "Cumulative", width=10, numeric=True),
)


def year_rows(c: CaseResult) -> list[Row]:
    out = []
    for y in c.years:
        cells: dict[str, Text | str] = {
            "k": str(y.k),
            "start": y.start.isoformat(),
            "costs": compact_money(y.costs),
            "benefits": compact_money(y.benefits),
            "net": _num(compact_money(y.net), "bold" if y.net < 0 else ""),
            "discounted": compact_money(y.discounted),
            "cumulative": _num(compact_money(y.cumulative), "" if y.cumulative >= 0 else "bold"),
        }
        out.append(Row(y.k + 1, cells, {"k": y.k}))
    return out


def case_detail(c: CaseResult) -> Text:
    """Everything the case says that is not in the years table."""
    t = Text()
    t.append(f"{'Programme' if c.project_id is None else c.label} business case", style="bold")
    t.append("  ")
    t.append_text(rag_badge(c.viability.rag, wide=True))
    for reason in c.viability.reasons:
        t.append("\n  ")
        t.append(reason)
    t.append("\n")
    t.append("NPV ", style="bold")
    t.append(compact_money(c.npv))
    t.append("  ROI ", style="bold")
    t.append(pct(c.roi_pct, 1))
    t.append("  Payback ", style="bold")
    t.append(payback_text(c.payback_years))
    t.append("  Base ", style="bold")
    t.append(
        f"{date(c.base_date)}, {c.horizon_years} years at {c.discount_rate_pct:g} % ({c.rate_source} rate)"
    )
    t.append("\nCosts ", style="bold")
    t.append(f"{c.eac_basis} = {compact_money(c.eac)}; {c.cost_basis or 'not placed'}")
    if c.annual_running_cost:
        t.append(f"; running cost {compact_money(c.annual_running_cost)} a year from the forecast end")
    if c.outside_horizon > 0.5:
        t.append(f"; {compact_money(c.outside_horizon)} outside the horizon", style="dim")
    for b in c.benefits:
        t.append("\n  ")
        if b.counted:
            sign = "−" if b.kind == "dis-benefit" else "+"
            t.append(
                f"{sign}{compact_money(b.annual_value)}/yr × {(b.factor or 0) * 100:.0f}% from {date(b.target_date)}  "
            )
            t.append(b.name)
            t.append(f"  ({b.status}{'; ' + b.note if b.note else ''})", style="dim")
        else:
            t.append("not counted: ", style="dim")
            t.append(b.name)
            t.append(f" ({b.note})", style="dim")
    if c.chosen_option:
        t.append("\nChosen option ", style="bold")
        t.append(c.chosen_option)
    if c.options:
        t.append("\nOptions appraised ", style="bold")
        t.append(" ".join(c.options.split()))
    if c.notes:
        t.append("\nNotes ", style="bold")
        t.append(" ".join(c.notes.split()))
    return t


# ---------------------------------------------------------------------------- gates

GATE_COLUMNS = (
    Column("date", "Date", width=10),
    Column("gate", "Gate", flex=True, min_width=14, max_width=44),
    Column("when", "When", width=7),
    Column("ready", "Ready", width=5),
    Column("review", "Last review", max_width=13),
    Column("reviewed", "Reviewed", width=10, min_screen=100),
    Column("decision", "Decision", width=8, min_screen=110),
)
UPCOMING, PASSED = "Next gates", "Passed"


def when_text(g: GateReadiness) -> Text:
    if g.actual_date is not None:
        return Text("passed", style="dim")
    if g.days_to_go is None:
        return Text("undated", style="dim")
    if g.days_to_go < 0:
        return Text(f"{g.days_to_go}d", style="bold red")
    if g.days_to_go == 0:
        return Text("today", style="bold")
    return Text(f"in {g.days_to_go}d", style="bold" if g.days_to_go <= DUE_SOON_DAYS else "")


def gate_rows(data: GovernanceData) -> list[Row]:
    unreviewed = {mid for mid, _, _ in data.unreviewed()}
    out = []
    for g in data.gates:
        last = g.last_review
        review = Text("–", style="dim")
        if last is not None:
            review = Text(
                str(last["outcome"] or "pending"), style="bold" if last["outcome"] in ("hold", "stop") else ""
            )
        elif g.milestone_id in unreviewed:
            review = Text("⚠ none booked", style="bold red")
        decision = next((r["decision"] for r in reversed(g.reviews) if r["decision"]), None)
        cells: dict[str, Text | str] = {
            "date": date(g.date),
            "gate": literal(g.label),
            "when": when_text(g),
            "ready": rag_badge(g.rag) if g.actual_date is None else Text("–", style="dim"),
            "review": review,
            "reviewed": date(last["review_date"]) if last else "",
            "decision": f"#{decision['id']}" if decision else "",
        }
        sort = {
            "date": g.date.isoformat() if g.date else None,
            "when": g.days_to_go,
            "ready": RAG_RANK.get(g.rag or "", 3),
        }
        group = Text(UPCOMING if g.actual_date is None else PASSED, style="bold")
        out.append(Row(g.milestone_id, cells, sort, group=group))
    return out


def readiness_text(g: GateReadiness | None, *, brief: bool = False) -> Text:
    """The gate and its checks; `brief`: only the amber and red ones, one line each."""
    t = Text(no_wrap=brief, overflow="ellipsis" if brief else None)
    if g is None:
        t.append("No gate selected.", style="dim")
        return t
    t.append(g.label, style="bold")
    t.append(f"  {date(g.date)} ({g.state})  ")
    if g.actual_date is None:
        t.append_text(rag_badge(g.rag))
        t.append(f" {g.verdict}")
    checks = [c for c in g.checks if not brief or c.rag in ("A", "R")]
    for c in checks:
        t.append("\n  ")
        t.append_text(_badge(c.rag))
        t.append(f" {c.name}: ", style="bold")
        t.append(c.text)
    if brief and not checks:
        t.append("\n  every check is Green")
    if not brief and not g.reviews:
        t.append("\n\nNo review of this gate yet: n records one (dated today, pending).", style="italic")
    return t


REVIEW_COLUMNS = (
    Column.of_field("gate_review", "review_date", label="Date", width=10),
    Column.of_field("gate_review", "outcome", width=11),
    Column.of_field("gate_review", "conditions", flex=True, min_width=12),
    Column("decision", "Decision", flex=True, min_width=10, max_width=60),
    Column.of_field("gate_review", "attendees", min_screen=140, max_width=30),
)


def review_rows(g: GateReadiness) -> list[Row]:
    out = []
    for r in g.reviews:
        d = r["decision"]
        decision = Text("")
        if d:
            decision = Text(f"#{d['id']} ")
            decision.append(" ".join(str(d.get("title") or "").split()))
            if d.get("status"):
                decision.append(f" ({d['status']})", style="dim")
        outcome = r.get("outcome") or "pending"
        cells: dict[str, Text | str] = {
            "review_date": date(r.get("review_date")),
            "outcome": Text(
                outcome, style={"stop": "bold red", "hold": "bold red", "go": "bold"}.get(outcome, "")
            ),
            "conditions": literal(" ".join(str(r.get("conditions") or "").split())),
            "decision": decision,
            "attendees": literal(" ".join(str(r.get("attendees") or "").split())),
        }
        out.append(Row(r["id"], cells))
    return out


def review_defaults(model: Model, g: GateReadiness) -> dict[str, Any]:
    """A new review of this gate, dated today and pending until the board has met."""
    return {"milestone": g.label, "review_date": model.today.isoformat(), "outcome": "pending"}
