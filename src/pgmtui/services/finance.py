"""Finance for the CLI, the screen and the report: the programme's money from a store or a Model,
and its plain-text rendering (`pgmtui finance`). Free of textual."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pendulum

from pgmtui.domain.evm import Evm, fmt_money, fmt_ratio
from pgmtui.domain.finance import ProgrammeFinance, ProjectFinance, programme_finance
from pgmtui.domain.models import Snapshot
from pgmtui.domain.rollup import ProgrammeRollup, rollup

if TYPE_CHECKING:
    from pgmtui.model import Model
    from pgmtui.store import Store

__all__ = ["finance_from", "finance_of", "finance_text", "model_finance"]


def finance_from(
    snapshot: Snapshot, result: ProgrammeRollup, programme: Mapping[str, Any] | None
) -> ProgrammeFinance:
    """The finance view of a snapshot and its rollup (the rollup's EVM figures, so the portfolio,
    the finance screen and the CLI agree to the penny)."""
    evms = {p.project_id: p.evm for p in result.projects}
    reserve = (programme or {}).get("management_reserve")
    return programme_finance(snapshot, evms, result.evm, result.today, reserve)


def finance_of(store: Store, today: pendulum.Date) -> ProgrammeFinance:
    """`pgmtui finance`: read the store once and work everything out."""
    from pgmtui.services.snapshot import load_snapshot

    raw, snapshot = load_snapshot(store, fields_only=True)
    return finance_from(snapshot, rollup(snapshot, today), raw["programme"])


# One ProgrammeFinance per Model: the screen asks for it on every refresh and every key press.
_MODEL_CACHE: dict[int, tuple[Any, ProgrammeFinance]] = {}


def model_finance(model: Model) -> ProgrammeFinance:
    """The finance view of the app's Model (worked out once per model)."""
    cached = _MODEL_CACHE.get(id(model))
    if cached is not None and cached[0] is model:
        return cached[1]
    result = finance_from(model.snapshot, model.rollup, model.programme)
    _MODEL_CACHE.clear()  # only the latest model is ever asked for again
    _MODEL_CACHE[id(model)] = (model, result)
    return result


# ---------------------------------------------------------------------------- text


def _money(value: float | None) -> str:
    return fmt_money(value)


_HEAD = f"{'CODE':<8} {'BAC':>11} {'PV':>11} {'EV':>11} {'AC':>11} {'CPI':>5} {'SPI':>5} {'TCPI':>5} {'EAC':>11} {'VAC':>11} {'BURN/MO':>9} RUN-OUT"


def _row(code: str, e: Evm) -> str:
    return (
        f"{code:<8} {_money(e.bac):>11} {_money(e.pv):>11} {_money(e.ev):>11} {_money(e.ac):>11} "
        f"{fmt_ratio(e.cpi):>5} {fmt_ratio(e.spi):>5} {fmt_ratio(e.tcpi):>5} {_money(e.eac):>11} "
        f"{_money(e.vac):>11} {_money(e.burn_rate):>9} {e.run_out or '–'}"
    )


def finance_text(f: ProgrammeFinance, project: ProjectFinance | None = None) -> str:
    """The programme table (every project and the total), or one project's figures and months."""
    if project is not None:
        return _project_text(f, project)
    lines = [
        f"Finance {f.today.isoformat()} ({f.currency}; PV from cost plans where projects have one)",
        _HEAD,
    ]
    lines += [_row(p.code, p.evm) for p in f.projects]
    lines.append(_row("TOTAL", f.total))
    reserve = "–" if f.management_reserve is None else _money(f.management_reserve)
    lines.append(
        f"Management reserve left {reserve}; project contingency left {_money(f.contingency)}; "
        f"bottom-up EAC {_money(f.total.eac_bottom_up)}"
    )
    return "\n".join(lines)


def _project_text(f: ProgrammeFinance, p: ProjectFinance) -> str:
    e = p.evm
    basis = "from its cost plan" if e.basis == "plan" else "linear from start to baseline end (no cost plan)"
    lines = [
        f"{p.code} {p.name} — finance {f.today.isoformat()} ({f.currency}; PV {basis})",
        f"  BAC {_money(e.bac)}  PV {_money(e.pv)}  EV {_money(e.ev)}  AC {_money(e.ac)}",
        f"  CV {_money(e.cv)}  SV {_money(e.sv)}  CPI {fmt_ratio(e.cpi)}  SPI {fmt_ratio(e.spi)}  "
        f"TCPI {fmt_ratio(e.tcpi)}",
        f"  EAC {_money(e.eac)} (bottom-up {_money(e.eac_bottom_up)})  ETC {_money(e.etc)}  VAC {_money(e.vac)}",
        f"  burn rate {_money(e.burn_rate)}/month  run-out {e.run_out or '–'}  baseline end "
        f"{p.baseline_end.isoformat() if p.baseline_end else '–'}  contingency left {_money(p.contingency)}",
    ]
    if p.unplanned:
        lines.append(
            f"  note: {_money(p.unplanned)} of BAC is not in the cost plan (plan {_money(p.plan_total)})"
        )
    if p.months:
        lines.append(
            f"  {'MONTH':<7} {'PLANNED':>11} {'ACTUAL':>11} {'FORECAST':>11} {'CUM PLAN':>11} {'CUM ACTUAL':>11}"
        )
        for m in p.months:
            lines.append(
                f"  {m.month:<7} {_money(m.planned):>11} {_money(m.actual):>11} {_money(m.forecast):>11} "
                f"{_money(m.cum_planned):>11} {_money(m.cum_actual):>11}"
            )
    else:
        lines.append(
            "  no cost rows: add a monthly plan with `pgmtui add cost project=CODE month=YYYY-MM planned=…`"
        )
    return "\n".join(lines)
