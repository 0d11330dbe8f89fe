"""Governance commands: strategic alignment, business cases and stage-gate readiness."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from pgmtui import clock
from pgmtui.cli.base import EXIT_OK, BadInput, command, json_flag, print_json
from pgmtui.domain.evm import fmt_money

if TYPE_CHECKING:
    from pgmtui.domain.business_case import CaseResult
    from pgmtui.domain.governance import Alignment, GateReadiness
    from pgmtui.store import Store


def _rag(rag: str | None) -> str:
    from pgmtui.domain.rag import rag_text

    return rag_text(rag)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"


def _years(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} y"


# ---------------------------------------------------------------------------- alignment


def alignment_text(a: Alignment) -> str:
    from pgmtui.domain.governance import strength_glyphs

    codes = {o.objective_id: o.code for o in a.objectives}
    lines = [f"{len(a.objectives)} objectives, {len(a.projects)} projects"]
    for o in a.objectives:
        weight = f" (weight {o.weight:g})" if o.weight is not None else ""
        lines.append(f"{o.code}  {o.name}{weight}" + (f" — owner {o.owner}" if o.owner else ""))
        for _, code, strength, note in o.projects:
            lines.append(f"    {strength_glyphs(strength):<3} {code}" + (f"  {note}" if note else ""))
        for _, name, strength, _, pcs in o.benefits:
            via = f" (via {', '.join(pcs)})" if pcs else ""
            lines.append(f"    {strength_glyphs(strength, False):<3} benefit '{name}'{via}")
        if not o.projects and not o.benefits:
            lines.append("    (nothing serves this objective)")
    lines.append("")
    lines.append(f"{'PROJECT':<8} {'SCORE':>5}  OBJECTIVES")
    for p in sorted(a.projects, key=lambda p: (-p.score, p.code)):
        cells = "  ".join(
            f"{codes.get(oid, '?')} {strength_glyphs(s, d)}"
            for oid, (s, d) in sorted(p.cells.items(), key=lambda kv: codes.get(kv[0], ""))
        )
        lines.append(f"{p.code:<8} {p.score:>5g}  {cells or '⚠ unaligned: serves no objective'}")
    unaligned = a.unaligned
    lines.append("")
    lines.append(f"Unaligned projects: {', '.join(unaligned) if unaligned else 'none'}")
    lines.append("● direct contribution  ○ through a benefit the project enables (strength 1–3)")
    return "\n".join(lines)


@command("alignment", "objectives and the projects and benefits serving them", arguments=json_flag)
def cmd_alignment(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services.governance import alignment_of

    result = alignment_of(store)
    if args.json:
        print_json(result.to_json())
    else:
        print(alignment_text(result))
    return EXIT_OK


# ---------------------------------------------------------------------------- business cases


def case_text(c: CaseResult, currency: str = "") -> str:
    who = "Programme business case" if c.project_id is None else f"Business case {c.label}"
    recorded = "" if c.record_id is not None else " (none recorded: defaults)"
    lines = [
        f"{who}{recorded}: viability {_rag(c.viability.rag)}",
        *(f"  {reason}" for reason in c.viability.reasons),
        f"  NPV {fmt_money(c.npv)}{' ' + currency if currency else ''}   ROI {_pct(c.roi_pct)}   "
        f"payback {_years(c.payback_years)}",
        f"  base {c.base_date.isoformat() if c.base_date else '–'}, {c.horizon_years} years at "
        f"{c.discount_rate_pct:g} % ({c.rate_source} rate)",
        f"  costs: {c.eac_basis} = {fmt_money(c.eac)}; {c.cost_basis or 'not placed'}"
        + (f"; running cost {fmt_money(c.annual_running_cost)} a year" if c.annual_running_cost else ""),
    ]
    if c.outside_horizon > 0.5:
        lines.append(f"  {fmt_money(c.outside_horizon)} of costs fall outside the horizon (not counted)")
    if c.years:
        lines.append("")
        lines.append(
            f"  {'YEAR':<4} {'FROM':<10} {'COSTS':>12} {'BENEFITS':>12} {'NET':>12} {'DISCOUNTED':>12} {'CUMULATIVE':>12}"
        )
        for y in c.years:
            lines.append(
                f"  {y.k:<4} {y.start.isoformat():<10} {fmt_money(y.costs):>12} {fmt_money(y.benefits):>12} "
                f"{fmt_money(y.net):>12} {fmt_money(y.discounted):>12} {fmt_money(y.cumulative):>12}"
            )
    if c.benefits:
        lines.append("")
        lines.append("  Benefits counted:")
        for b in c.benefits:
            if b.counted:
                factor = f"{(b.factor or 0) * 100:.0f} %"
                sign = "−" if b.kind == "dis-benefit" else ""
                lines.append(
                    f"    {sign}{fmt_money(b.annual_value)}/yr × {factor} from {b.target_date.isoformat() if b.target_date else '–'}"
                    f"  {b.name} ({b.status}{', ' + b.note if b.note else ''})"
                )
            else:
                lines.append(f"    not counted: {b.name} ({b.note})")
    if c.chosen_option or c.options:
        lines.append("")
        if c.chosen_option:
            lines.append(f"  Chosen option: {c.chosen_option}")
        if c.options:
            lines.append("  Options appraised: " + " ".join(c.options.split()))
    return "\n".join(lines)


def _case_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", nargs="?", metavar="CODE", help="the project's code (none: every case)")
    p.add_argument("--programme", action="store_true", help="the programme's own business case")
    json_flag(p)


@command(
    "business-case", "a project's live business case: NPV, ROI, payback, viability", arguments=_case_args
)
def cmd_business_case(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services.governance import business_case_of, business_cases_of

    today = clock.today()
    if args.programme and args.code:
        raise BadInput("give a project CODE or --programme, not both")
    currency = (store.programme() or {}).get("currency") or ""
    if args.code or args.programme:
        case = business_case_of(store, today, None if args.programme else args.code)
        if args.json:
            print_json(case.to_json())
        else:
            print(case_text(case, currency))
        return EXIT_OK
    cases = business_cases_of(store, today)
    if args.json:
        print_json({"cases": [c.to_json() for c in cases]})
        return EXIT_OK
    print(f"{'CASE':<10} {'VIAB':<5} {'NPV':>14} {'ROI':>9} {'PAYBACK':>8}  BASIS")
    for c in cases:
        basis = "recorded" if c.record_id is not None else "defaults (no case recorded)"
        print(
            f"{c.label:<10} {_rag(c.viability.rag):<5} {fmt_money(c.npv):>14} {_pct(c.roi_pct):>9} "
            f"{_years(c.payback_years):>8}  {basis}"
        )
    return EXIT_OK


# ---------------------------------------------------------------------------- gates


def gate_text(g: GateReadiness) -> str:
    date = g.date.isoformat() if g.date else "–"
    when = (
        f"passed {g.actual_date.isoformat()}"
        if g.actual_date
        else ("undated" if g.days_to_go is None else f"{g.state}, {date} ({g.days_to_go:+d} d)")
    )
    lines = [f"Gate {g.label} — {when}", f"Readiness {_rag(g.rag)}: {g.verdict}"]
    for c in g.checks:
        lines.append(f"  {_rag(c.rag)}  {c.name:<14} {c.text}")
    if g.risks:
        lines.append("Open High/Critical risks:")
        lines += [f"  #{r['id']} {r['title']} (residual {r['score']} {r['band']})" for r in g.risks]
    if g.issues:
        lines.append("Open issues:")
        lines += [f"  #{i['id']} {i['title']} ({i['priority']}, {i['status']})" for i in g.issues]
    if g.actions_overdue:
        lines.append("Actions overdue:")
        lines += [
            f"  #{a['id']} {a['title']} (due {a['due_date']}, {a['owner'] or 'no owner'})"
            for a in g.actions_overdue
        ]
    lines.append("Reviews:" if g.reviews else "Reviews: none recorded")
    for r in g.reviews:
        decision = r["decision"]
        linked = (
            f"; decision #{decision['id']} {decision['title']} ({decision['status']})" if decision else ""
        )
        cond = f"; conditions: {' '.join(str(r['conditions']).split())}" if r.get("conditions") else ""
        lines.append(f"  {r['review_date']} {r['outcome']}{cond}{linked}")
    return "\n".join(lines)


def _gate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "gate", metavar="CODE:NAME", help="the gate milestone, e.g. 'DAT:Gate 2 – DPIA and design approved'"
    )
    json_flag(p)


@command("gate", "stage-gate readiness of a gate milestone", arguments=_gate_args)
def cmd_gate(store: Store, args: argparse.Namespace) -> int:
    from pgmtui.services.governance import GovernanceInputError, gate_of

    try:
        result = gate_of(store, clock.today(), args.gate)
    except GovernanceInputError as exc:
        raise BadInput(str(exc)) from None
    if args.json:
        print_json(result.to_json())
    else:
        print(gate_text(result))
    return EXIT_OK


# ---------------------------------------------------------------------------- exception report


def exception_report(store: Store, args: argparse.Namespace) -> int:
    """`pgmtui report --kind exception --project CODE`: refused (exit 2) for a project within
    every tolerance, since an exception report is raised only when a forecast breaks one."""
    from pgmtui.cli.reports import write_output
    from pgmtui.services.governance import GovernanceInputError, exception_report_of

    if not args.project:
        raise BadInput("an exception report is about one project: add --project CODE")
    if args.since:
        raise BadInput("--since is for the highlight report; an exception report is about the forecast now")
    try:
        text = exception_report_of(store, clock.today(), args.project, args.format)
    except GovernanceInputError as exc:
        raise BadInput(str(exc)) from None
    write_output(text, args, f"exception report {args.project} ({args.format})")
    return EXIT_OK
