"""The highlight report's finance section (issue 14): the programme's money (EVM from the cost
plans, burn rate, run-out, reserves), per project, and the change requests decided in the period.
One collect/layout pair registered in pgmtui.report.SECTIONS. Free of textual."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pgmtui.domain.evm import fmt_money, fmt_ratio
from pgmtui.domain.finance import DECIDED, impact_text
from pgmtui.domain.models import Programme, Project, Snapshot
from pgmtui.reportdoc import Block, Fixed, Heading, Inline, Paragraph, Strong, Table
from pgmtui.services.finance import finance_from

if TYPE_CHECKING:
    from pgmtui.report import ReportContext

__all__ = ["collect_finance", "layout_finance"]

_TOTAL_KEYS = (
    "bac",
    "pv",
    "ev",
    "ac",
    "cpi",
    "spi",
    "tcpi",
    "eac",
    "eac_bottom_up",
    "vac",
    "burn_rate",
    "run_out",
)
_PROJECT_KEYS = ("bac", "eac", "vac", "cpi", "spi", "tcpi", "run_out")


def collect_finance(c: ReportContext) -> dict[str, Any]:
    tables = c.tables
    snapshot = Snapshot(
        programme=Programme.from_row(c.programme) if c.programme else None,
        projects=[Project.from_row(p) for p in tables.get("project", [])],
        rows={name: tables.get(name, []) for name in ("project", "cost", "change_request")},
    )
    f = finance_from(snapshot, c.rollup, c.programme)
    codes = c.codes
    start = str(c.since)[:10]
    decided = [
        {
            "id": cr["id"],
            "project": codes.get(cr.get("project_id"), "?"),
            "title": cr.get("title"),
            "status": cr.get("status"),
            "decided_date": cr.get("decided_date"),
            "decided_by": cr.get("decided_by"),
            "cost_impact": cr.get("cost_impact"),
            "schedule_impact_days": cr.get("schedule_impact_days"),
            "funding": cr.get("funding"),
        }
        for cr in tables.get("change_request", [])
        if cr.get("status") in DECIDED and start <= str(cr.get("decided_date") or "") <= c.today.isoformat()
    ]
    decided.sort(key=lambda x: (str(x["decided_date"]), x["id"]))
    waiting = [cr for cr in tables.get("change_request", []) if cr.get("status") == "raised"]
    return {
        "finance": {
            "currency": f.currency,
            "total": {k: getattr(f.total, k) for k in _TOTAL_KEYS},
            "management_reserve": f.management_reserve,
            "contingency": f.contingency,
            "projects": [
                {
                    "code": p.code,
                    **{k: getattr(p.evm, k) for k in _PROJECT_KEYS},
                    "contingency": p.contingency,
                }
                for p in f.projects
            ],
            "change_requests_waiting": len(waiting),
            "change_requests_waiting_cost": sum(float(cr.get("cost_impact") or 0.0) for cr in waiting),
        },
        "change_requests_decided": decided,
    }


def _m(value: Any) -> Fixed:
    return Fixed(fmt_money(value))


def _r(value: Any) -> Fixed:
    return Fixed(fmt_ratio(value))


def layout_finance(d: Mapping[str, Any]) -> list[Block]:
    f = d["finance"]
    t = f["total"]
    summary: tuple[Inline, ...] = (
        Strong(Fixed("Programme:")),
        Fixed(
            f" BAC {fmt_money(t['bac'])}, EAC {fmt_money(t['eac'])} (bottom-up {fmt_money(t['eac_bottom_up'])}), "
            f"VAC {fmt_money(t['vac'])} {f['currency']}; CPI {fmt_ratio(t['cpi'])}, SPI {fmt_ratio(t['spi'])}, "
            f"TCPI {fmt_ratio(t['tcpi'])}; burn {fmt_money(t['burn_rate'])}/month, money runs out "
            f"{t['run_out'] or '–'}. Management reserve left {fmt_money(f['management_reserve'])}; "
            f"project contingency left {fmt_money(f['contingency'])}; "
            f"{f['change_requests_waiting']} change request(s) waiting for a decision "
            f"({fmt_money(f['change_requests_waiting_cost'])})."
        ),
    )
    rows: list[list[Inline]] = [
        [
            Strong(p["code"]),
            _m(p["bac"]),
            _m(p["eac"]),
            _m(p["vac"]),
            _r(p["cpi"]),
            _r(p["spi"]),
            _r(p["tcpi"]),
            Fixed(p["run_out"] or "–"),
            _m(p["contingency"]),
        ]
        for p in f["projects"]
    ]
    headers = ("Project", "BAC", "EAC", "VAC", "CPI", "SPI", "TCPI", "Run-out", "Contingency")
    blocks: list[Block] = [
        Heading("Finance", "finance"),
        Paragraph(summary),
        Table("finance-projects", headers, rows, frozenset({1, 2, 3, 4, 5, 6, 8})),
        Heading("Change requests decided this period", "change-requests", level=3),
    ]
    decided = d["change_requests_decided"]
    if not decided:
        blocks.append(Paragraph(Fixed("None.")))
        return blocks
    cr_rows: list[list[Inline]] = [
        [
            Fixed(str(x["id"])),
            x["project"],
            x["title"],
            (
                Fixed(f"{x['status']} {x['decided_date']}"),
                (Fixed(" by "), x["decided_by"]) if x["decided_by"] else (),
            ),
            Fixed(impact_text(x)),
        ]
        for x in decided
    ]
    blocks.append(
        Table(
            "change-request-table",
            ("#", "Project", "Change request", "Decision", "Impact"),
            cr_rows,
            frozenset({0}),
        )
    )
    return blocks
