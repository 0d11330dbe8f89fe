"""A small programme whose every figure is worked out on paper (see the comments).

Today is Wednesday 2026-11-25 (the suite's fixed clock). Tolerances are the defaults: schedule
10 d, cost 10 %, near-critical 5 d.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pgmtui.domain.models import Snapshot
from pgmtui.store import Store

TODAY = "2026-11-25"

PROGRAMME = {
    "id": 1,
    "name": "Test Programme",
    "tolerance_schedule_days": 10,
    "tolerance_cost_pct": 10.0,
    "near_critical_days": 5,
    "currency": "GBP",
    "created_at": "2026-01-01T00:00:00Z",  # bookkeeping columns are ignored
}

PROJECTS = [
    # IAM: planned 2026-08-27 (today − 90 d) → 2027-03-15 (today + 110 d): 200 d, 90 elapsed = 45 %.
    #   BAC 100 000 → PV 45 000; 40 % complete → EV 40 000; AC 50 000 → CPI 0.8, SPI 0.8889;
    #   EAC 100 000 / 0.8 = 125 000 (25 % over, beyond 10 %) → cost R; VAC −25 000.
    #   Forecast 2027-03-20 = baseline + 5 d (within 10 d) → schedule A.  Computed R.
    {
        "id": 1,
        "code": "IAM",
        "name": "Identity",
        "manager": "Asha",
        "stage": "Delivery",
        "start_date": "2026-08-27",
        "baseline_end": "2027-03-15",
        "forecast_end": "2027-03-20",
        "budget": 100000.0,
        "actual_cost": 50000.0,
        "percent_complete": 40.0,
    },
    # CLD: 2026-08-17 (today − 100) → 2027-03-05 (today + 100): half elapsed.
    #   BAC 200 000 → PV 100 000; 20 % → EV 40 000; AC 20 000 → CPI 2.0, SPI 0.4;
    #   EAC 200 000 / 2 = 100 000 ≤ BAC → cost G.  On baseline → schedule G.
    #   Open risk residual 12 (High) → risk A; incoming dependency 5 d late → A.  Computed A.
    {
        "id": 2,
        "code": "CLD",
        "name": "Cloud",
        "manager": "Ben",
        "stage": "Delivery",
        "start_date": "2026-08-17",
        "baseline_end": "2027-03-05",
        "forecast_end": "2027-03-05",
        "budget": 200000.0,
        "actual_cost": 20000.0,
        "percent_complete": 20.0,
    },
    # CRM: no budget → cost not assessed (BAC 0, AC 0, EV 0, PV 0; CPI/SPI/EAC undefined).
    #   Forecast 2027-07-15 vs baseline 2027-06-30 = 15 d late (> 10) → schedule R;
    #   open Critical risk → R.  Computed R, overridden to A ("A*").
    {
        "id": 3,
        "code": "CRM",
        "name": "Customer",
        "manager": "Cai",
        "stage": "Initiation",
        "start_date": "2026-10-01",
        "baseline_end": "2027-06-30",
        "forecast_end": "2027-07-15",
        "budget": 0.0,
        "actual_cost": 0.0,
        "percent_complete": 0.0,
        "rag_override": "A",
        "rag_reason": "recovery plan agreed at board",
    },
]

MILESTONES = [
    {"id": 10, "project_id": 1, "name": "Design signed off", "baseline_date": "2026-10-01",
     "actual_date": "2026-10-05"},
    {"id": 11, "project_id": 1, "name": "SSO live", "baseline_date": "2026-12-01",
     "forecast_date": "2026-12-15"},
    {"id": 20, "project_id": 2, "name": "Landing zone", "baseline_date": "2026-12-10",
     "forecast_date": "2026-12-10"},
    {"id": 30, "project_id": 3, "name": "Go-live", "baseline_date": "2027-01-10",
     "forecast_date": "2027-01-10", "is_gate": 1},
]  # fmt: skip

DEPENDENCIES = [
    # SSO live (Dec 15) → Landing zone (Dec 10), FS lag 0: slack 10 − 15 = −5 → late (CLD: A).
    {"id": 1, "supplier_id": 11, "consumer_id": 20, "type": "FS", "lag_days": 0},
    # Landing zone (Dec 10) → Go-live (Jan 10), FS lag 30: slack Jan 10 − Jan 9 = 1 → at risk.
    {"id": 2, "supplier_id": 20, "consumer_id": 30, "type": "FS", "lag_days": 30},
]

RISKS = [
    # P4×I4 = 16 inherent; residual P2, residual I missing → falls back to I4: 2×4 = 8 Medium.
    {"id": 1, "project_id": 1, "title": "Directory migration", "probability": 4, "impact": 4,
     "residual_probability": 2, "status": "open"},
    # 3×4 = 12, no residual → 12 High → CLD risk A.
    {"id": 2, "project_id": 2, "title": "Cloud skills", "probability": 3, "impact": 4, "status": "open"},
    # residual 3×5 = 15 Critical → CRM risk R.
    {"id": 3, "project_id": 3, "title": "Vendor insolvency", "probability": 5, "impact": 4,
     "residual_probability": 3, "residual_impact": 5, "status": "open"},
    # Programme-level, 2×2 = 4 Low.
    {"id": 4, "project_id": None, "title": "Funding review", "probability": 2, "impact": 2, "status": "open"},
    # Closed: ignored everywhere.
    {"id": 5, "project_id": 2, "title": "Old risk", "probability": 5, "impact": 5, "status": "closed"},
]  # fmt: skip

BENEFITS = [
    # Cash-releasing 0 → 100 000 by 2027-07-04. Measured 20 000 (Jul 1) and 40 000 (Oct 1, +92 d):
    #   realisation 40 %; trend +20 000 per 92 d; target date is Jul 1 + 368 d = 4 × 92 →
    #   projected 20 000 + 4 × 20 000 = 100 000 = 100 % → On track.
    {"id": 1, "name": "Licence savings", "kind": "cash-releasing", "baseline_value": 0.0,
     "baseline_date": "2026-01-01", "target_value": 100000.0, "target_date": "2027-07-04"},
    # Decreasing: wait 10 d → 4 d. One measurement 7 on 2026-09-09 (+100 d), so the baseline
    #   (2026-06-01, 10) is a trend point: slope −3/100 per day; target 2026-11-28 (+180 d) →
    #   projected 10 − 5.4 = 4.6 → (4.6 − 10)/(4 − 10) = 90 % → At risk. Realisation (7−10)/(4−10) = 50 %.
    {"id": 2, "name": "Ticket wait", "kind": "non-cash", "baseline_value": 10.0,
     "baseline_date": "2026-06-01", "target_value": 4.0, "target_date": "2026-11-28"},
    # Dis-benefit: training hours 0 → 500 accepted; 250 so far = 50 %; kept out of the averages.
    {"id": 3, "name": "Training hours", "kind": "dis-benefit", "baseline_value": 0.0,
     "baseline_date": "2026-01-01", "target_value": 500.0, "target_date": "2027-01-01"},
    # No measurements → No data.
    {"id": 4, "name": "Satisfaction", "kind": "non-cash", "baseline_value": 3.0, "target_value": 4.0},
]  # fmt: skip

MEASUREMENTS = [
    {"id": 1, "benefit_id": 1, "date": "2026-10-01", "value": 40000.0},  # out of date order on purpose
    {"id": 2, "benefit_id": 1, "date": "2026-07-01", "value": 20000.0},
    {"id": 3, "benefit_id": 2, "date": "2026-09-09", "value": 7.0},
    {"id": 4, "benefit_id": 3, "date": "2026-09-01", "value": 250.0},
]

LINKS = {1: [1, 2], 2: [3]}


@pytest.fixture
def snapshot() -> Snapshot:
    return Snapshot.from_rows(
        PROGRAMME,
        {
            "project": PROJECTS,
            "milestone": MILESTONES,
            "dependency": DEPENDENCIES,
            "risk": RISKS,
            "benefit": BENEFITS,
            "measurement": MEASUREMENTS,
        },
        LINKS,
    )


def written_once(
    tmp_path_factory: pytest.TempPathFactory, today: Any, write: Callable[[Store], None]
) -> Path:
    """A database written by `write` with the clock at `today`, once; tests take copies (a store
    history written afresh for every test made the mutation run several times slower)."""
    path = tmp_path_factory.mktemp("written") / "template.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PGMTUI_TODAY", today.isoformat())
        with Store.open(path) as s:
            write(s)
    return path


def copy_of(template: Path, folder: Path) -> Iterator[Store]:
    """Open a private copy of a template database (for a fixture to yield from)."""
    target = folder / "copy.db"
    shutil.copyfile(template, target)
    s = Store.open(target)
    try:
        yield s
    finally:
        s.close()
