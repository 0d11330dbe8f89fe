"""The highlight report's "Trend since the last report": the programme's figures at the last
report, at each Friday since and now, which way each went, and every project's RAG over the same
points — the same figures the rest of the report shows, in JSON, Markdown and HTML."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from pgmtui.report import to_html, to_markdown
from pgmtui.reportdoc import Paragraph
from pgmtui.reporttrend import layout_trend
from pgmtui.services import report_of, rollup_of
from pgmtui.services.timetravel import end_of_day
from pgmtui.store import Store

TODAY = pendulum.Date(2026, 11, 25)  # a Wednesday; the report's period is the week since the 18th


@pytest.fixture(scope="module")
def demo(_demo_template: Path):
    store = Store.open(_demo_template, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def data(demo: Store) -> dict:
    return report_of(demo, TODAY)


def test_points_and_project_rags_match_the_report(data: dict) -> None:
    trend = data["trend"]
    # The last report (period start, Wed 18th), the one Friday between (20th), and now.
    assert trend["points"] == [
        {"label": "last report", "date": "2026-11-18"},
        {"label": "week", "date": "2026-11-20"},
        {"label": "now", "date": "2026-11-25"},
    ]
    by_code = {p["code"]: p for p in trend["projects"]}
    assert len(by_code) == 9
    # Every project's RAG at the last report and now is the projects section's rag_last and rag.
    for p in data["projects"]:
        rags = by_code[p["code"]]["rag"]
        assert (rags[0], rags[-1]) == (p["rag_last"], p["rag"]), p["code"]
    # The demo's story: CLD went Amber → Red by the Friday, IAM Red → Amber this week.
    assert by_code["CLD"]["rag"] == ["A", "R", "R"] and by_code["CLD"]["direction"] == "worse"
    assert by_code["IAM"]["rag"] == ["R", "R", "A"] and by_code["IAM"]["direction"] == "better"
    assert by_code["NET"]["direction"] == "same"
    programme = trend["programme"]
    assert programme["rag"]["values"] == [data["overall"]["rag_last"], "R", data["overall"]["rag"]]
    # Open high/critical risks 6 → 10: more is worse; benefits realised 47 % → 53 %: better.
    high = programme["open_high_critical"]
    assert (high["values"][0], high["values"][-1], high["direction"]) == (6, 10, "worse")
    assert programme["realisation_pct"]["direction"] == "better"


def test_the_friday_is_the_database_as_of_that_friday(demo: Store, data: dict) -> None:
    friday = pendulum.Date(2026, 11, 20)
    with demo.as_of(end_of_day(friday).ts) as past:
        r = rollup_of(past, friday)
    assert {p["code"]: p["rag"][1] for p in data["trend"]["projects"]} == {
        p.code: p.rag.final for p in r.projects
    }
    assert data["trend"]["programme"]["cpi"]["values"][1] == r.evm.cpi


def test_now_is_the_live_exposure(demo: Store, data: dict) -> None:
    # Exposure = Σ P×I over open threats, residual where assessed (each factor falling back to
    # the inherent one), summed here straight from the risk rows, independent of domain.trend.
    expected = 0
    for r in demo.rows("risk"):
        if r["status"] == "closed" or r["kind"] == "opportunity":
            continue
        expected += (r["residual_probability"] or r["probability"]) * (r["residual_impact"] or r["impact"])
    assert data["trend"]["programme"]["exposure"]["values"][-1] == expected


def test_rendered_in_markdown_and_html(data: dict) -> None:
    text = to_markdown(data)
    assert (
        "| Figure | Last report 2026-11-18 | Fri 2026-11-20 | Now 2026-11-25 | Since the last report |"
        in text
    )
    assert "| Open high / critical risks | 6 | 7 | 10 | **worse** |" in text
    assert "| CLD | ▲ Amber | ● Red | ● Red | **worse** |" in text
    # After the projects, before the changes.
    assert text.index("## Projects") < text.index("## Trend since the last report") < text.index("## Changes")
    page = to_html(data)
    assert "Trend since the last report" in page and 'id="trend-projects"' in page


def test_without_a_trend_or_without_changes() -> None:
    assert layout_trend({}) == []  # a report built without the weekly trend has no section
    same = {
        "points": [{"label": "last report", "date": "2026-11-18"}, {"label": "now", "date": "2026-11-25"}],
        "programme": {"cpi": {"values": [0.951, 0.953], "direction": "same"}},
        "projects": [{"code": "NET", "rag": ["G", "G"], "direction": "same"}],
    }
    notes = [b for b in layout_trend({"trend": same}) if isinstance(b, Paragraph)]
    assert any("No project's RAG changed" in repr(b) for b in notes)
