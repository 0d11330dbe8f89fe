"""Domain rules a practitioner expects (issue 19): opportunities rated apart from threats, a late
supplier delaying others, the implied forecast, and one programme end date. Every figure is worked
out by hand from the programme in conftest.py (today 2026-11-25, tolerances 10 d / 10 %)."""

from __future__ import annotations

import pendulum

from pgmtui.domain.deps import build_network
from pgmtui.domain.implied import implied_forecasts
from pgmtui.domain.models import Snapshot
from pgmtui.domain.rag import risk_evidence
from pgmtui.domain.rollup import rollup
from pgmtui.domain.text import shorten_at_word
from tests.domain.conftest import (
    BENEFITS,
    DEPENDENCIES,
    LINKS,
    MEASUREMENTS,
    MILESTONES,
    PROGRAMME,
    PROJECTS,
    RISKS,
)

TODAY = pendulum.Date(2026, 11, 25)


def _snapshot(programme=PROGRAMME, risks=RISKS, milestones=MILESTONES) -> Snapshot:
    return Snapshot.from_rows(
        programme,
        {
            "project": PROJECTS,
            "milestone": milestones,
            "dependency": DEPENDENCIES,
            "risk": risks,
            "benefit": BENEFITS,
            "measurement": MEASUREMENTS,
        },
        LINKS,
    )


# An "exploit" opportunity on IAM, 4×5 = 20: a Critical score if it were a threat.
OPPORTUNITY = {"id": 6, "project_id": 1, "title": "Reuse licences", "kind": "opportunity",
               "probability": 4, "impact": 5, "response": "exploit", "status": "open"}  # fmt: skip


def test_an_opportunity_never_counts_as_a_threat_nor_worsens_the_rag() -> None:
    before = rollup(_snapshot(), TODAY)
    after = rollup(_snapshot(risks=[*RISKS, OPPORTUNITY]), TODAY)
    iam_before, iam_after = before.projects[0], after.projects[0]
    # IAM's only open threat is residual 2×4 = 8 (Medium): risk G with or without the opportunity.
    assert {e.dimension: e.rag for e in iam_after.rag.evidence}["risk"] == "G"
    assert iam_after.rag.computed == iam_before.rag.computed == "R"  # R from cost, not from risk
    assert iam_after.risks_by_band == iam_before.risks_by_band  # {Medium: 1}: 20 is not counted
    assert iam_after.open_high_critical == 0 and iam_after.open_risks == 1
    assert iam_after.open_opportunities == 1 and iam_before.open_opportunities == 0
    # Programme: 4 open threats (Low, Medium, High, Critical) either way; 1 opportunity apart.
    assert after.open_risks == before.open_risks == 4 and after.open_opportunities == 1
    assert after.to_json()["programme"]["risks"]["open_opportunities"] == 1
    # The pure rule too: only the opportunity, so nothing at High or above.
    from pgmtui.domain.models import Risk

    assert risk_evidence([Risk.from_row(OPPORTUNITY)]).rag == "G"


def test_a_late_supplier_is_delaying_others() -> None:
    ru = rollup(_snapshot(), TODAY)
    iam, cld, crm = ru.projects
    # IAM 'SSO live' (Dec 15) → CLD 'Landing zone' (Dec 10): 5 d late, within 10 d → A for IAM.
    dep = next(e for e in iam.rag.evidence if e.dimension == "dependencies")
    assert (dep.rag, dep.text) == ("A", "delaying others: IAM 'SSO live' makes CLD 'Landing zone' 5 d late")
    assert iam.delaying_others == 1
    # Beyond the tolerance it is R: SSO live on Dec 25 makes Landing zone 15 d late (> 10).
    later = [dict(m, forecast_date="2026-12-25") if m["id"] == 11 else m for m in MILESTONES]
    iam_late = rollup(_snapshot(milestones=later), TODAY).projects[0]
    dep = next(e for e in iam_late.rag.evidence if e.dimension == "dependencies")
    assert (dep.rag, dep.text) == ("R", "delaying others: IAM 'SSO live' makes CLD 'Landing zone' 15 d late")
    # CRM consumes from CLD with 1 d slack (at risk, not late): nobody delays CRM.
    assert next(e for e in crm.rag.evidence if e.dimension == "dependencies").rag == "G"


def test_the_implied_forecast_follows_the_late_supplier() -> None:
    snap = _snapshot()
    net = build_network(snap.milestones, snap.dependencies)
    implied = implied_forecasts(net, snap.projects)
    assert sorted(implied) == [2, 3]  # CLD and CRM move; IAM (the supplier) does not
    cld, crm = implied[2], implied[3]
    # Landing zone must wait for SSO live: Dec 10 + 5 = Dec 15. It is CLD's last milestone, so the
    # end keeps its gap: 2027-03-05 + 5 = 2027-03-10, a 5-d gap to the entered forecast.
    assert cld.milestones == {20: (pendulum.Date(2026, 12, 10), pendulum.Date(2026, 12, 15))}
    assert (cld.entered_end, cld.implied_end, cld.gap_days) == (
        pendulum.Date(2027, 3, 5), pendulum.Date(2027, 3, 10), 5
    )  # fmt: skip
    # Go-live (Jan 10) needs Landing zone + 30 d: Dec 15 + 30 = Jan 14, 4 d later (1 d of slack
    # absorbed). CRM's end: 2027-07-15 + 4 = 2027-07-19.
    assert crm.milestones == {30: (pendulum.Date(2027, 1, 10), pendulum.Date(2027, 1, 14))}
    assert (crm.implied_end, crm.gap_days, crm.flagged) == (pendulum.Date(2027, 7, 19), 4, True)
    assert crm.to_json()["implied_end"] == "2027-07-19"


def test_no_late_dependency_no_implied_forecast() -> None:
    on_time = [dict(m, forecast_date="2026-12-05") if m["id"] == 11 else m for m in MILESTONES]
    snap = _snapshot(milestones=on_time)
    assert implied_forecasts(build_network(snap.milestones, snap.dependencies), snap.projects) == {}


def test_the_programme_end_is_its_own_end_date_when_entered() -> None:
    # Without one: the latest project baseline end (CRM 2027-06-30); forecast the latest project
    # forecast end (CRM 2027-07-15): 15 d of slip.
    plain = rollup(_snapshot(), TODAY)
    assert (plain.baseline_end, plain.forecast_end, plain.slip_days) == (
        pendulum.Date(2027, 6, 30), pendulum.Date(2027, 7, 15), 15
    )  # fmt: skip
    assert plain.end_date_source == "projects"
    # With the programme's own end date (2027-07-31, what the programme form shows): the slip is
    # measured against it: 2027-07-15 − 2027-07-31 = −16 d (ahead).
    dated = rollup(_snapshot(programme={**PROGRAMME, "end_date": "2027-07-31"}), TODAY)
    assert (dated.baseline_end, dated.slip_days, dated.end_date_source) == (
        pendulum.Date(2027, 7, 31), -16, "programme"
    )  # fmt: skip


def test_short_text_is_cut_at_a_word_never_mid_word() -> None:
    reason = "DPIA rejected by the DPO: the forecast does not yet show the delay"
    assert shorten_at_word(reason, 40) == "DPIA rejected by the DPO: the forecast…"  # 39 + "…"
    assert shorten_at_word(reason, 100) == reason
    assert shorten_at_word("Supercalifragilistic", 6) == "Super…"  # one long word: no boundary
