"""The JSON the CLI prints (`pgmtui rollup --json` and friends), key by key, for the hand-made
programme of conftest.py. Scripts read these keys: a renamed or dropped one must fail here."""

from __future__ import annotations

import pendulum
import pytest

from pgmtui.domain.models import Snapshot
from pgmtui.domain.rollup import rollup

TODAY = pendulum.Date(2026, 11, 25)


@pytest.fixture
def data(snapshot: Snapshot) -> dict:
    return rollup(snapshot, TODAY).to_json()


def test_programme_json(data: dict) -> None:
    prog = data["programme"]
    evm = prog.pop("evm")
    assert data["today"] == "2026-11-25"
    assert prog == {
        "name": "Test Programme",
        "currency": "GBP",
        "rag": {
            "computed": "R",
            "override": None,
            "reason": None,
            "final": "R",
            "label": "R",
            "evidence": [
                {"dimension": "projects", "rag": "R", "text": "1 project Red: IAM"},
                {"dimension": "projects", "rag": "A", "text": "2 projects Amber: CLD, CRM"},
            ],
        },
        # Latest forecast end 2027-07-15 against latest baseline end 2027-06-30: 15 d.
        "slip_days": 15,
        "baseline_end": "2027-06-30",
        "forecast_end": "2027-07-15",
        "end_date_source": "projects",  # the programme has no end date of its own here
        "risks": {
            "by_band": {"Low": 1, "Medium": 1, "High": 1, "Critical": 1},
            "open": 4,
            "open_high_critical": 2,
            "open_opportunities": 0,
        },
        "dependencies": {"by_status": {"late": 1, "at risk": 1, "on track": 0, "done": 0, "no dates": 0}},
        "benefits": {
            "by_status": {"Realised": 0, "On track": 1, "At risk": 1, "Off track": 0, "No data": 1},
            "dis_benefits_by_status": {
                "Realised": 0,
                "On track": 0,
                "At risk": 0,
                "Off track": 1,
                "No data": 0,
            },
            "realisation_pct": 45.0,  # mean of 40 % (licences) and 50 % (ticket wait)
            "cash_realised": 40000.0,
            "cash_planned": 100000.0,
        },
    }
    # Sums over the three projects: BAC 100k + 200k + 0; AC 50k + 20k + 0; EV 40k + 40k.
    assert evm == {
        "bac": 300000.0,
        "pv": 145000.0,
        "ev": 80000.0,
        "ac": 70000.0,
        "cpi": pytest.approx(80 / 70),
        "spi": pytest.approx(80 / 145),
        "eac": 225000.0,  # EAC summed over the projects that have one: 125k + 100k
        "vac": 75000.0,
        "cv": 10000.0,
        "sv": -65000.0,
        "planned_fraction": pytest.approx(145 / 300),
        "etc": 155000.0,  # EAC 225k − AC 70k
        "tcpi": pytest.approx(220 / 230),  # (BAC 300k − EV 80k) / (BAC 300k − AC 70k)
        "eac_bottom_up": None,  # no project has a cost plan with forecasts
        "burn_rate": None,
        "run_out": None,
        "basis": None,  # programme totals mix whatever the projects are measured by
    }


def test_project_json(data: dict) -> None:
    # CLD: BAC 200 000, 20 % done → EV 40 000; AC 20 000 → CPI 2, EAC 100 000; PV 100 000 → SPI 0.4.
    assert data["projects"][1] == {
        "id": 2,
        "code": "CLD",
        "name": "Cloud",
        "manager": "Ben",
        "stage": "Delivery",
        "rag": {
            "computed": "A",
            "override": None,
            "reason": None,
            "final": "A",
            "label": "A",
            "evidence": [
                {"dimension": "schedule", "rag": "G", "text": "forecast on baseline"},
                {"dimension": "cost", "rag": "G", "text": "EAC 100 000 within BAC 200 000"},
                {
                    "dimension": "risk",
                    "rag": "A",
                    "text": "1 open High risk(s); worst 'Cloud skills' residual 12",
                },
                {
                    "dimension": "dependencies",
                    "rag": "A",
                    "text": "IAM 'SSO live' → CLD 'Landing zone' is 5 d late (tolerance 10 d)",
                },
            ],
        },
        "slip_days": 0,
        "percent_complete": 20.0,
        "evm": {
            "bac": 200000.0,
            "pv": 100000.0,
            "ev": 40000.0,
            "ac": 20000.0,
            "cpi": 2.0,
            "spi": 0.4,
            "eac": 100000.0,
            "vac": 100000.0,
            "cv": 20000.0,
            "sv": -60000.0,
            "planned_fraction": 0.5,
            "etc": 80000.0,  # EAC 100k − AC 20k
            "tcpi": pytest.approx(160 / 180),  # (200k − 40k) / (200k − 20k)
            "eac_bottom_up": None,  # no cost plan: the figures from a plan are not given
            "burn_rate": None,
            "run_out": None,
            "basis": "linear",  # PV linear from start to baseline end
        },
        "risks": {
            "by_band": {"Low": 0, "Medium": 0, "High": 1, "Critical": 0},
            "open": 1,
            "open_high_critical": 1,
            "open_opportunities": 0,
        },
        "late_dependencies": 1,
        "delaying_others": 0,
        "next_milestone": {"id": 20, "name": "Landing zone", "date": "2026-12-10", "is_gate": False},
        "benefit_ids": [1],
    }
    crm = data["projects"][2]
    assert (crm["rag"]["override"], crm["rag"]["reason"], crm["rag"]["label"]) == (
        "A",
        "recovery plan agreed at board",
        "A*",
    )


def test_benefit_json(snapshot: Snapshot, data: dict) -> None:
    # Ticket wait 10 → 4: latest 7 is 50 % of the way; the trend projects 4.6 by 2026-11-28 = 90 %.
    expected = {
        "benefit_id": 2,
        "name": "Ticket wait",
        "kind": "non-cash",
        "is_dis_benefit": False,
        "unit": None,
        "baseline_value": 10.0,
        "target_value": 4.0,
        "target_date": "2026-11-28",
        "latest": 7.0,
        "latest_date": "2026-09-09",
        "realisation_pct": 50.0,
        "projected_value": pytest.approx(4.6),
        "projected_pct": pytest.approx(90.0),
        "status": "At risk",
    }
    assert data["benefits"][1] == expected  # the rollup leaves the points out
    full = rollup(snapshot, TODAY).benefits[1].to_json()
    assert full == {**expected, "points": [["2026-09-09", 7.0]]}
    assert data["benefits"][2]["is_dis_benefit"] is True


def test_json_of_empty_and_undated_things() -> None:
    from pgmtui.domain.deps import build_network, critical_path, propagate

    bare = rollup(
        Snapshot.from_rows({"id": 1, "name": "P"}, {"project": [{"id": 1, "code": "X", "name": "x"}]}, {}),
        TODAY,
    )
    assert bare.to_json()["projects"][0]["next_milestone"] is None  # no milestones
    assert bare.project("x") is bare.projects[0] and bare.project("nope") is None
    empty = build_network([], [])
    assert propagate(empty, {}).to_json() == {
        "pushes": {}, "hits": [], "projects": {}, "end_before": None, "end_after": None, "end_change_days": 0,
    }  # fmt: skip
    assert critical_path(empty).to_json()["end_date"] is None
