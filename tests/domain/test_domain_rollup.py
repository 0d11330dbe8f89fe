"""The rollup of the hand-made programme in conftest.py, figure by figure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from pgmtui.domain.models import Snapshot
from pgmtui.domain.rollup import rollup

TODAY = pendulum.Date(2026, 11, 25)
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def ru(snapshot: Snapshot):
    return rollup(snapshot, TODAY)


def test_project_figures(ru):
    iam, cld, crm = ru.projects
    assert (iam.code, iam.name, iam.manager, iam.stage) == ("IAM", "Identity", "Asha", "Delivery")
    # IAM: EV 40 000, AC 50 000, CPI 0.8, EAC 125 000 (cost R); 5 d late (A); its 'SSO live' makes
    # CLD's 'Landing zone' 5 d late: it is delaying others, A (5 d ≤ the 10-d tolerance).
    assert iam.evm.cpi == pytest.approx(0.8) and iam.evm.eac == pytest.approx(125_000)
    assert iam.evm.spi == pytest.approx(40 / 45)
    assert iam.slip_days == 5 and iam.percent_complete == 40.0
    assert iam.rag.computed == "R" and iam.rag.label == "R"
    assert {e.dimension: e.rag for e in iam.rag.evidence} == {
        "schedule": "A", "cost": "R", "risk": "G", "dependencies": "A"
    }  # fmt: skip
    iam_dep = next(e for e in iam.rag.evidence if e.dimension == "dependencies")
    assert iam_dep.text == "delaying others: IAM 'SSO live' makes CLD 'Landing zone' 5 d late"
    assert iam.delaying_others == 1 and cld.delaying_others == 0
    # CLD: CPI 2, SPI 0.4, EAC 100 000 (G); High risk and a 5-d late incoming dependency (A).
    assert cld.evm.cpi == pytest.approx(2.0) and cld.evm.spi == pytest.approx(0.4)
    assert cld.rag.computed == "A"
    dep_ev = next(e for e in cld.rag.evidence if e.dimension == "dependencies")
    assert dep_ev.text == "IAM 'SSO live' → CLD 'Landing zone' is 5 d late (tolerance 10 d)"
    assert cld.late_dependencies == 1 and iam.late_dependencies == 0
    # CRM: computed R (15 d late, Critical risk), overridden A with its reason.
    assert crm.rag.computed == "R" and crm.rag.final == "A" and crm.rag.label == "A*"
    assert crm.rag.reason == "recovery plan agreed at board"
    assert crm.evm.cpi is None and crm.evm.eac == 0.0  # nothing spent: EAC = BAC, here 0
    assert next(e for e in crm.rag.evidence if e.dimension == "cost").rag is None


def test_project_risks_and_next_milestone(ru):
    iam, cld, crm = ru.projects
    # IAM's risk: residual 2 × 4 (impact falls back) = 8 Medium.
    assert iam.risks_by_band == {"Low": 0, "Medium": 1, "High": 0, "Critical": 0}
    assert iam.open_high_critical == 0 and iam.open_risks == 1
    assert cld.risks_by_band["High"] == 1 and cld.open_risks == 1  # the closed one is ignored
    assert crm.open_high_critical == 1
    # IAM: the design milestone is done; next is SSO live, forecast 2026-12-15.
    assert iam.next_milestone is not None
    assert (iam.next_milestone.name, iam.next_milestone.date) == ("SSO live", pendulum.Date(2026, 12, 15))
    assert crm.next_milestone is not None and crm.next_milestone.is_gate
    assert iam.benefit_ids == [1] and cld.benefit_ids == [1] and crm.benefit_ids == [2]


def test_programme_figures(ru):
    assert ru.name == "Test Programme" and ru.today == TODAY and ru.currency == "GBP"
    # Worst project as shown: IAM R (CLD A, CRM A*).
    assert ru.rag.computed == "R" and ru.rag.label == "R"
    assert ru.rag.evidence[0].text == "1 project Red: IAM"
    # Latest forecast end 2027-07-15 − latest baseline end 2027-06-30 = 15 d.
    assert ru.slip_days == 15
    assert ru.baseline_end == pendulum.Date(2027, 6, 30) and ru.forecast_end == pendulum.Date(2027, 7, 15)
    # BAC 300 000; AC 70 000; EV 80 000; PV 145 000 → CPI 8/7, SPI 80/145;
    # EAC 125 000 + 100 000 + 0 (CRM: no EAC, AC + BAC − EV = 0) = 225 000; VAC 75 000.
    e = ru.evm
    assert e.bac == 300_000 and e.ac == 70_000
    assert e.ev == pytest.approx(80_000) and e.pv == pytest.approx(145_000)
    assert e.cpi == pytest.approx(8 / 7) and e.spi == pytest.approx(80 / 145)
    assert e.eac == pytest.approx(225_000) and e.vac == pytest.approx(75_000)
    # Open risks, programme-level included: Low 1, Medium 1, High 1, Critical 1.
    assert ru.risks_by_band == {"Low": 1, "Medium": 1, "High": 1, "Critical": 1}
    assert ru.open_risks == 4 and ru.open_high_critical == 2
    assert ru.dependencies_by_status == {"late": 1, "at risk": 1, "on track": 0, "done": 0, "no dates": 0}
    assert ru.late_dependencies == 1


def test_programme_benefits(ru):
    by_id = {b.benefit_id: b for b in ru.benefits}
    # Licence savings: 40 %, projected 100 000 = 100 % → On track.
    assert by_id[1].realisation_pct == pytest.approx(40.0)
    assert by_id[1].projected_value == pytest.approx(100_000) and by_id[1].status == "On track"
    # Ticket wait 10 → 4: latest 7 = 50 %; projected 4.6 = 90 % → At risk.
    assert by_id[2].realisation_pct == pytest.approx(50.0)
    assert by_id[2].projected_value == pytest.approx(4.6) and by_id[2].status == "At risk"
    assert by_id[3].is_dis_benefit and by_id[4].status == "No data"
    assert ru.benefits_by_status == {"Realised": 0, "On track": 1, "At risk": 1, "Off track": 0, "No data": 1}
    assert sum(ru.dis_benefits_by_status.values()) == 1
    # Mean realisation of benefits with a defined % (dis-benefit left out): (40 + 50) / 2 = 45.
    assert ru.realisation_pct == pytest.approx(45.0)
    # Cash-releasing: 40 000 realised of 100 000 planned.
    assert ru.cash_realised == pytest.approx(40_000) and ru.cash_planned == pytest.approx(100_000)


def test_to_json_is_plain_json(ru):
    js = ru.to_json()
    text = json.dumps(js)  # no dates, dataclasses or other objects left
    back = json.loads(text)
    assert back["today"] == "2026-11-25"
    assert back["programme"]["rag"]["label"] == "R"
    assert back["programme"]["evm"]["cpi"] == pytest.approx(8 / 7)
    crm = back["projects"][2]
    assert crm["code"] == "CRM" and crm["rag"]["label"] == "A*" and crm["evm"]["cpi"] is None
    assert back["projects"][0]["next_milestone"] == {"id": 11, "name": "SSO live", "date": "2026-12-15",
                                                     "is_gate": False}  # fmt: skip
    assert ru.project("crm") is ru.projects[2]


def test_rollup_accepts_text_today_and_an_empty_snapshot(snapshot):
    assert rollup(snapshot, "2026-11-25").evm == rollup(snapshot, TODAY).evm
    empty = rollup(Snapshot(), TODAY)
    assert empty.rag.label == "–" and empty.projects == [] and empty.slip_days is None
    assert empty.realisation_pct is None and empty.evm.cpi is None
    json.dumps(empty.to_json())


def test_rollup_cash_releasing_cost_reduction_adds_up():
    # Two cash-releasing benefits in opposite directions: savings 0 → 100 (at 40) and
    # running cost 500 → 300 (at 450). Realised 40 + 50 = 90 of planned 100 + 200 = 300.
    snap = Snapshot.from_rows(
        None,
        {
            "benefit": [
                {"id": 1, "name": "s", "kind": "cash-releasing", "baseline_value": 0, "target_value": 100},
                {"id": 2, "name": "c", "kind": "cash-releasing", "baseline_value": 500, "target_value": 300},
            ],
            "measurement": [
                {"id": 1, "benefit_id": 1, "date": "2026-10-01", "value": 40},
                {"id": 2, "benefit_id": 2, "date": "2026-10-01", "value": 450},
            ],
        },
    )
    ru = rollup(snap, TODAY)
    assert ru.cash_realised == pytest.approx(90) and ru.cash_planned == pytest.approx(300)


def test_domain_does_not_import_textual_or_sqlite():
    # A fresh interpreter, so modules imported by other tests do not hide a stray import.
    code = (
        "import pgmtui.domain.rollup, pgmtui.domain.calendar, pgmtui.domain.history, pgmtui.domain.deps, sys;"
        "bad = [m for m in sys.modules if m.startswith(('textual', 'sqlite3'))];"
        "assert not bad, bad"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
