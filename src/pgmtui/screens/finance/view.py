"""Finance view: the Model turned into the finance screen's rows, headline, S-curve data and the
change-request previews. Free of textual (unit-tested without an app)."""

from __future__ import annotations

import calendar
import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from pgmtui.domain import costplan
from pgmtui.domain.evm import fmt_money
from pgmtui.domain.finance import ProgrammeFinance, ProjectFinance, approval_effect, impact_text
from pgmtui.model import Model
from pgmtui.widgets.badges import literal
from pgmtui.widgets.cells import Column, Row
from pgmtui.widgets.format import DASH, compact_money, date, ratio

PROJECTS, CURVE, MONTHS, REQUESTS = "projects", "curve", "months", "requests"
VIEWS = (PROJECTS, CURVE, MONTHS, REQUESTS)
VIEW_TITLES = {PROJECTS: "Projects", CURVE: "S-curve", MONTHS: "Months", REQUESTS: "Change requests"}
TALL = 34  # from this height the Projects view shows the selected project's S-curve under the table

COST_FORM_FIELDS = ("project", "month", "category", "planned", "actual", "forecast", "note")
REQUEST_FORM_FIELDS = (
    "project",
    "title",
    "description",
    "cost_impact",
    "schedule_impact_days",
    "funding",
    "raised_date",
)
# The fields a month's cell editor changes, by key.
CELL_FIELDS = {"actual": "Actual", "planned": "Planned", "forecast": "Forecast"}

AMBER = "bold yellow"
RED = "bold red"

# Below 100 columns the plan-side figures go; below 120 the bottom-up EAC and burn rate.
PROJECT_COLUMNS = (
    Column.of_field("project", "code", max_width=8),
    Column("name", "Name", flex=True, min_width=10, max_width=28, min_screen=140),
    Column("bac", "BAC", width=6, numeric=True),
    Column("pv", "PV", width=6, numeric=True, min_screen=120),
    Column("ev", "EV", width=6, numeric=True, min_screen=120),
    Column("ac", "AC", width=6, numeric=True, min_screen=100),
    Column("eac", "EAC", width=6, numeric=True),
    Column("vac", "VAC", width=6, numeric=True),
    Column("cpi", "CPI", width=4, numeric=True),
    Column("spi", "SPI", width=4, numeric=True),
    Column("tcpi", "TCPI", width=4, numeric=True),
    Column("burn", "Burn/mo", width=7, numeric=True, min_screen=120),
    Column("run_out", "Run-out", width=9),
    Column("reserve", "Contin.", width=7, numeric=True),
    Column("crs", "CRs", width=3, numeric=True, min_screen=100),
)

MONTH_COLUMNS = (
    Column("month", "Month", width=8),
    Column("category", "Cat", width=5),
    Column("planned", "Planned", width=8, numeric=True),
    Column("actual", "Actual", width=8, numeric=True),
    Column("forecast", "Forecast", width=8, numeric=True),
    Column("var", "Var", width=7, numeric=True),
    Column("note", "Note", flex=True, min_width=8, min_screen=90),
)

REQUEST_COLUMNS = (
    Column("project", "Proj", width=5),
    Column("id", "#", width=3, numeric=True),
    Column.of_field("change_request", "title", label="Change request", flex=True, min_width=14, max_width=40),
    Column("impact", "Impact", width=11),
    Column("funding", "Funding", width=11, min_screen=100),
    Column("status", "Status", width=10),
    Column("raised", "Raised", width=10, min_screen=120),
    Column("decided", "Decided", width=10, min_screen=90),
)

STATUS_MARK = {"raised": "?", "approved": "✓", "rejected": "✗", "withdrawn": "–"}
STATUS_STYLE = {"raised": AMBER, "approved": "bold green", "rejected": "dim", "withdrawn": "dim"}
STATUS_ORDER = {"raised": 0, "approved": 1, "rejected": 2, "withdrawn": 3}


def _m(value: float | None) -> str:
    return compact_money(value)


def _num(text: str, style: str = "") -> Text:
    """A figure, right-aligned in its column like the plain ones."""
    return Text(text, style=style, justify="right")


def runs_out_early(p: ProjectFinance) -> bool:
    """The money runs out at the current burn rate before the month of the baseline end."""
    e = p.evm
    if e.run_out is None or p.baseline_end is None or (e.ev is not None and e.bac and e.ev >= e.bac):
        return False
    end = p.baseline_end.year * 12 + p.baseline_end.month - 1
    return costplan.month_index(e.run_out) < end


def _run_out_cell(p: ProjectFinance) -> Text:
    if p.evm.run_out is None:
        return Text(DASH)
    if runs_out_early(p):
        return Text(f"{p.evm.run_out} ▲", style=AMBER)  # glyph too: legible without colour
    return Text(p.evm.run_out)


def _index_cell(value: float | None, good_at_least: bool = True) -> Text:
    """CPI/SPI below 0.9 (TCPI above 1.1) in amber, so a glance finds the trouble; text as usual."""
    text = _num(ratio(value))
    if value is not None and ((value < 0.9) if good_at_least else (value > 1.1)):
        text.stylize(AMBER)
    return text


def project_rows(f: ProgrammeFinance) -> list[Row]:
    rows = []
    for p in f.projects:
        e = p.evm
        vac = _num(_m(e.vac), RED if (e.vac or 0) < 0 else "")
        cells: dict[str, Text | str] = {
            "code": literal(p.code),
            "name": literal(p.name),
            "bac": _m(e.bac),
            "pv": _m(e.pv),
            "ev": _m(e.ev),
            "ac": _m(e.ac),
            "eac": _m(e.eac),
            "vac": vac,
            "cpi": _index_cell(e.cpi),
            "spi": _index_cell(e.spi),
            "tcpi": _index_cell(e.tcpi, good_at_least=False),
            "burn": _m(e.burn_rate),
            "run_out": _run_out_cell(p),
            "reserve": _m(p.contingency),
            "crs": str(p.raised) if p.raised else "",
        }
        sort = {
            "code": p.code.lower(),
            "bac": e.bac,
            "pv": e.pv,
            "ev": e.ev,
            "ac": e.ac,
            "eac": e.eac,
            "vac": e.vac,
            "cpi": e.cpi,
            "spi": e.spi,
            "tcpi": e.tcpi,
            "burn": e.burn_rate,
            "run_out": e.run_out,
            "reserve": p.contingency,
            "crs": p.raised,
        }
        rows.append(Row(p.project_id, cells, sort))
    return rows


def headline(f: ProgrammeFinance, width: int = 120) -> tuple[Text, Text]:
    """The programme's money in two lines (shorter labels below 110 columns)."""
    wide = width >= 110
    t = f.total
    one = Text(no_wrap=True, overflow="ellipsis")
    one.append("Programme " if wide else "Prog ", style="bold")
    one.append(f"BAC {_m(t.bac)}  EAC {_m(t.eac)}")
    if wide:
        one.append(f" (bottom-up {_m(t.eac_bottom_up)})")
    one.append("  VAC ")
    one.append(_m(t.vac), style=RED if (t.vac or 0) < 0 else "")
    one.append(f"  CPI {ratio(t.cpi)}  SPI {ratio(t.spi)}  TCPI {ratio(t.tcpi)}")
    if wide:
        one.append(f"  {f.currency}")
    two = Text(no_wrap=True, overflow="ellipsis")
    two.append("Burn ", style="bold")
    two.append(f"{_m(t.burn_rate)}/mo")
    two.append("  runs out " if wide else " out ", style="bold")
    two.append(t.run_out or DASH)
    two.append("  Reserve left " if wide else "  Reserve ", style="bold")
    two.append(DASH if f.management_reserve is None else _m(f.management_reserve))
    two.append("  Contingency " if wide else " Cont. ", style="bold")
    two.append(_m(f.contingency))
    waiting = sum(p.raised for p in f.projects)
    if waiting:
        cost = sum(p.raised_cost for p in f.projects)
        two.append(
            f"  {waiting} CR{'s' if waiting != 1 else ''} waiting ({'+' if cost > 0 else ''}{_m(cost)})",
            style=AMBER,
        )
    return one, two


def project_summary(p: ProjectFinance | None, width: int = 120) -> Text:
    """One or two lines about the selected project: where its PV comes from, burn and run-out,
    the bottom-up estimate, and what of BAC the plan does not cover."""
    if p is None:
        return Text("No project selected.", style="dim")
    e = p.evm
    t = Text()
    t.append(f"{p.code} ", style="bold")
    t.append(p.name)
    if e.basis == "plan":
        t.append(f"  plan {_m(p.plan_total)}")
        if p.unplanned and p.unplanned > 0:
            t.append(f" ({_m(p.unplanned)} of BAC not in the plan)", style=AMBER)
        elif p.unplanned:
            t.append(f" ({_m(-p.unplanned)} over BAC)", style=AMBER)
    else:
        t.append("  no cost plan: PV linear to the baseline end", style="dim")
    t.append("\n")
    t.append(f"AC {_m(e.ac)}  burn {_m(e.burn_rate)}/mo  runs out ")
    t.append_text(_run_out_cell(p))
    t.append(f"  baseline end {date(p.baseline_end)}")
    t.append(f"  EAC {_m(e.eac)}  bottom-up {_m(e.eac_bottom_up)}  ETC {_m(e.etc)}")
    if runs_out_early(p):
        t.append("\n")
        t.append("▲ at this burn rate the budget runs out before the baseline end", style=AMBER)
    return t


# ---------------------------------------------------------------------------- months


def cost_rows(model: Model, project_id: int | None) -> list[dict[str, Any]]:
    rows = [r for r in model.rows("cost") if r["project_id"] == project_id]
    rows.sort(key=lambda r: (r["month"], r.get("category") or "", r["id"]))
    return rows


def landing_month(model: Model, project_id: int | None) -> int | None:
    """The cost row the Months view opens on: last month's first (its actuals are the next to type
    in), else the latest month before it, else the first row."""
    last = costplan.month_text(costplan.month_of_ordinal(model.today.toordinal()) - 1)
    rows = cost_rows(model, project_id)
    before = [r for r in rows if r["month"] <= last]
    if before:
        latest = before[-1]["month"]
        return next(r["id"] for r in before if r["month"] == latest)
    return rows[0]["id"] if rows else None


def month_rows(model: Model, project_id: int | None) -> list[Row]:
    """The project's cost rows by month and category; the months to come dimmed, this one marked."""
    now = model.today.isoformat()[:7]
    out = []
    for r in cost_rows(model, project_id):
        planned, actual, forecast = r.get("planned"), r.get("actual"), r.get("forecast")
        var = None if actual is None or planned is None else actual - planned
        month = Text(r["month"], style="dim" if r["month"] > now else "")
        if r["month"] == now:
            month = Text(r["month"] + "•", style="bold")
        var_text = _num(DASH if var is None else f"{'+' if var > 0 else ''}{compact_money(var)}")
        if var is not None and var > 0:
            var_text.stylize(AMBER)
        cells = {
            "month": month,
            "category": r.get("category") or "",
            "planned": compact_money(planned),
            "actual": compact_money(actual),
            "forecast": compact_money(forecast),
            "var": var_text,
            "note": literal(r.get("note") or ""),
        }
        sort = {"month": r["month"], "planned": planned, "actual": actual, "forecast": forecast, "var": var}
        out.append(Row(r["id"], cells, sort))
    return out


# ---------------------------------------------------------------------------- change requests


def request_rows(model: Model) -> list[Row]:
    """Every change request: those waiting for a decision first (oldest first), then the decided
    ones, newest decision first."""
    crs = list(model.rows("change_request"))
    waiting = sorted(
        (c for c in crs if c.get("status") == "raised"), key=lambda c: (c.get("raised_date") or "", c["id"])
    )
    decided = sorted(
        (c for c in crs if c.get("status") != "raised"),
        key=lambda c: (c.get("decided_date") or "", c["id"]),
        reverse=True,
    )
    out = []
    for c in waiting + decided:
        status = c.get("status") or "raised"
        cost = float(c.get("cost_impact") or 0.0)
        days = int(c.get("schedule_impact_days") or 0)
        impact = f"{'+' if cost > 0 else ''}{compact_money(cost) if cost else '0'} {days:+d}d"
        cells = {
            "project": literal(model.project_code(c.get("project_id"))),
            "id": str(c["id"]),
            "title": literal(c.get("title") or ""),
            "impact": impact,
            "funding": c.get("funding") or "change",
            "status": Text(f"{STATUS_MARK.get(status, '')} {status}", style=STATUS_STYLE.get(status, "")),
            "raised": date(c.get("raised_date")),
            "decided": date(c.get("decided_date")),
        }
        sort = {"id": c["id"], "status": STATUS_ORDER.get(status, 9), "impact": cost}
        out.append(Row(c["id"], cells, sort))
    return out


def decision_preview(model: Model, request: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """What approving ``request`` would do (lines) and why it cannot be approved (problems): the
    store's own rule (domain.finance.approval_effect), on the rows as they are now."""
    project = model.row("project", request.get("project_id"))
    if project is None:
        return [], ["its project is gone"]
    effect = approval_effect(request, project, model.programme)
    return effect.lines(), effect.problems


def request_detail(model: Model, request: Mapping[str, Any] | None) -> Text:
    """The selected change request: its description, impact and either its decision or, while it
    is raised, what approving it would do."""
    if request is None:
        return Text("No change request selected. n raises one.", style="dim")
    t = Text()
    code = model.project_code(request.get("project_id"))
    t.append(f"{code} #{request['id']} ", style="bold")
    t.append(request.get("title") or "")
    t.append(f"  ({impact_text(request)})", style="dim")
    if request.get("description"):
        t.append("\n")
        t.append(str(request["description"]))
    t.append("\n")
    status = request.get("status")
    if status == "raised":
        lines, problems = decision_preview(model, request)
        if problems:
            t.append("Cannot be approved: ", style=RED)
            t.append(problems[0])
        else:
            t.append("If approved (a): ", style="bold")
            t.append("; ".join(lines))
    else:
        by = f" by {request['decided_by']}" if request.get("decided_by") else ""
        t.append(
            f"{STATUS_MARK.get(status or '', '')} {status} {request.get('decided_date') or ''}{by}",
            style="bold",
        )
    return t


# ---------------------------------------------------------------------------- the S-curve


@dataclass(frozen=True)
class SCurveData:
    """Cumulative planned, actual and earned value by month, ready to draw (x = month number)."""

    title: str
    months: tuple[str, ...]
    planned: tuple[float, ...]
    actual: tuple[float, ...]  # up to the last month with an actual
    earned: tuple[tuple[float, float], ...]  # (x: month number, today for this month; EV) where known
    today_x: float | None  # where today falls (month number + share of the month)
    bac: float | None


def scurve_data(
    p: ProjectFinance | None, earned: Sequence[tuple[str, float | None]], today_ordinal: int
) -> SCurveData | None:
    """The S-curve of a project with a cost plan (None without one: there is no curve to draw)."""
    if p is None or not p.months:
        return None
    months = tuple(m.month for m in p.months)
    first = costplan.month_index(months[0])
    actual = tuple(m.cum_actual for m in p.months if m.cum_actual is not None)
    day = today_ordinal
    today_index = costplan.month_of_ordinal(day)
    today_x: float | None = None
    if first <= today_index <= costplan.month_index(months[-1]):
        # Each month's cumulative figure is drawn at its end (x = its number); today falls between
        # the end of last month (x − 1) and the end of this one by the share of the month elapsed.
        d = _dt.date.fromordinal(day)
        today_x = today_index - first - 1 + d.day / calendar.monthrange(d.year, d.month)[1]
    # EV of the running month is today's: drawn at today, not at the month's end.
    points = tuple(
        (today_x if (index := costplan.month_index(month)) == today_index and today_x is not None else index - first,
         value)
        for month, value in earned
        if value is not None
    )  # fmt: skip
    return SCurveData(
        title=f"{p.code} cumulative cost",
        months=months,
        planned=tuple(m.cum_planned for m in p.months),
        actual=actual,
        earned=points,
        today_x=today_x,
        bac=p.evm.bac,
    )


def legend(data: SCurveData | None) -> Text:
    """The chart's key: each series by its own marker, so it reads without colour."""
    if data is None:
        return Text("No cost plan: add months with n on the Months view (enter).", style="dim")
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append("· ", style="bold blue")
    t.append("planned  ")
    t.append("● ", style="bold green")
    t.append("actual  ")
    t.append("◆ ", style="bold magenta")
    t.append("earned (EV)  ")
    t.append("│ today  ", style="dim")
    if data.bac is not None:
        t.append(f"BAC {fmt_money(data.bac)}", style="dim")
    return t
