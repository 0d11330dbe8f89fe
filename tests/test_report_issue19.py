"""Issue 19's report fixes, read from the produced Markdown, HTML and JSON of the demo: no HTML
entities in Markdown, changes summarised per project, no stray ";", opportunities apart from key
risks, overdue issues listed, work planned next period and tolerance status."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from pgmtui.domain.text import join_clauses
from pgmtui.report import render, to_html, to_markdown
from pgmtui.services import report_of
from pgmtui.store import Store
from tests.test_report import _Tables

TODAY = pendulum.Date(2026, 11, 25)


@pytest.fixture
def data(demo_db: Path) -> dict:
    with Store.open(demo_db) as s:
        return report_of(s, TODAY)


def test_markdown_has_no_html_entities_but_html_still_escapes(data: dict) -> None:
    text = to_markdown(data)
    assert "Identity & Access Management" in text and "&amp;" not in text
    page = to_html(data)
    assert "Identity &amp; Access Management" in page  # HTML escapes, as it must


def test_changes_are_summarised_per_project_with_a_count_of_the_rest(data: dict) -> None:
    summary = {p["project"]: p for p in data["changes_by_project"]}
    assert list(summary)[0] == "Programme"
    assert all(len(p["changes"]) <= 4 for p in summary.values())  # the few that matter
    # CLD this week: its RAG change, its forecast end, two milestone moves; the rest is counted:
    # 1 assumption + 1 decision + 3 dependencies + 1 issue + 2 risks = 8.
    cld = summary["CLD"]
    assert cld["changes"][0].startswith("CLD Amber → Red")
    assert cld["other_changes"] == 8
    assert cld["other_by_kind"] == {"assumption": 1, "decision": 1, "dependency": 3, "issue": 1, "risk": 2}
    text = to_markdown(data)
    section = text.split("## Changes this period", 1)[1].split("\n## ", 1)[0]
    assert "### CLD" in section
    assert "- and 8 other changes (1 assumption, 1 decision, 3 dependencies, 1 issue, 2 risks)" in section
    bullets = [ln for ln in section.splitlines() if ln.startswith("- ")]
    assert len(bullets) < 50  # not an audit dump
    # Every change still reaches scripts in "changes" (the JSON key is unchanged).
    assert sum(len(s["lines"]) for s in data["changes"]) > len(bullets) - len(summary)


def test_no_stray_semicolon_after_a_sentence(data: dict) -> None:
    assert join_clauses(["Re-approved.", "schedule A", "", "risk G"]) == "Re-approved. schedule A; risk G"
    text = to_markdown(data)
    assert ".;" not in text and ". ;" not in text
    # DAT's override reason ends with a full stop and its status note follows it in one cell.
    dat = next(ln for ln in text.splitlines() if ln.startswith("| **DAT**"))
    assert "full impact. " in dat and "full impact.;" not in dat


def test_opportunities_are_never_key_risks_and_have_their_own_section(data: dict) -> None:
    assert "Reserved-instance discount" not in {r["title"] for r in data["key_risks"]}  # 4×3 = 12
    opportunities = {o["title"]: o for o in data["opportunities"]}
    assert opportunities["Reserved-instance discount"]["score"] == 12  # residual 4 × 3
    assert len(opportunities) == 4
    p = _Tables()
    p.feed(to_html(data))
    assert "Opportunities" in p.headings
    assert all("Reserved-instance" not in row[2] for row in p.tables["risk-table"][1:])
    assert any(row[2] == "Reserved-instance discount" for row in p.tables["opportunity-table"][1:])


def test_overdue_issues_are_listed(data: dict) -> None:
    # Issues #6 (due 2026-11-20) and #3 (2026-11-24) are open and past due on 2026-11-25: first.
    overdue = [(i["id"], i["due_date"]) for i in data["key_issues"] if i["overdue"]]
    assert overdue == [(6, "2026-11-20"), (3, "2026-11-24")]
    assert [i["id"] for i in data["key_issues"][:2]] == [6, 3]
    text = to_markdown(data)
    assert "| 6 | programme | Architect capacity shortfall for design reviews |" in text
    assert "2026-11-20 **overdue** |" in text


def test_work_planned_next_period_and_tolerance_status(data: dict, demo_db: Path) -> None:
    text = to_markdown(data)
    assert "## Work planned next period (to 2026-12-09)" in text  # 25 Nov + 14 d
    assert "| 2026-11-30 | SVD | ◆ Gate 1 – Business case approved | +15 d |" in text
    # The demo's open actions due by 2026-12-09 (issue 17's demo data), each in the Markdown.
    demo_actions = [a["title"] for a in data["next_actions"]]
    assert demo_actions and all(title[:30] in text for title in demo_actions)
    with Store.open(demo_db) as s, s.acting(user="pm"):
        s.insert("action", {"title": "Chase the DPO", "owner": "Elena Rossi", "due_date": "2026-11-27",
                            "project": "DAT"})  # fmt: skip
        s.insert("action", {"title": "Later", "due_date": "2027-01-27"})  # beyond the period
        data2 = report_of(s, TODAY)
    planned = [(a["title"], a["project"], a["overdue"]) for a in data2["next_actions"]]
    assert ("Chase the DPO", "DAT", False) in planned and len(planned) == len(demo_actions) + 1
    assert all(title != "Later" for title, _, _ in planned)  # due beyond the period
    p = _Tables()
    p.feed(to_html(data2))
    assert ["2026-11-27", "DAT", "Chase the DPO", "Elena Rossi"] in p.tables["action-table"][1:]
    # Tolerances: the programme's (10 d, 10 %). CLD slips +25 d > 10 → exceeded; ERP's EAC is
    # 20.4 % over its budget > 10 % → exceeded; IAM +6 d → within tolerance.
    tol = {t["project"]: t for t in data["tolerances"]["projects"]}
    assert data["tolerances"]["source"] == "programme settings"
    assert (tol["CLD"]["time"]["slip_days"], tol["CLD"]["time"]["status"]) == (25, "exceeded")
    assert (tol["ERP"]["cost"]["eac_over_bac_pct"], tol["ERP"]["cost"]["status"]) == (20.4, "exceeded")
    assert (
        tol["IAM"]["time"]["status"] == "within tolerance" and tol["NET"]["time"]["status"] == "within plan"
    )
    assert "| CLD | +25 d | **exceeded** |" in text
    assert json.loads(render(data, "json"))["tolerances"]["projects"][0]["time"]["tolerance_days"] == 10


def test_the_time_dimension_states_the_programme_end_definition(data: dict) -> None:
    time = next(d for d in data["dimensions"] if d["name"] == "time")
    # The demo programme has its own end date: the slip is measured against it.
    assert "against the programme end date" in time["text"]
