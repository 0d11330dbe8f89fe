"""Weekly trends: the weeks chosen, the figures read off a rollup, and the walk back through the
audit trail — each week's point equals the rollup of the database as of that Friday, and the last
point equals today's rollup."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from pgmtui.cli import main
from pgmtui.domain.models import Risk
from pgmtui.domain.trend import (
    Figures,
    Trend,
    TrendPoint,
    direction,
    exposure_by_project,
    figures_of,
    week_days,
)
from pgmtui.services import rollup_of
from pgmtui.services.snapshot import load_snapshot
from pgmtui.services.timetravel import end_of_day
from pgmtui.services.trend import trend_of
from pgmtui.store import Store

TODAY = pendulum.Date(2026, 11, 25)  # a Wednesday


def test_week_days() -> None:
    d = pendulum.Date
    # Wednesday: this week's point is today; the weeks before end on their Fridays.
    assert week_days(TODAY, 3) == [d(2026, 11, 13), d(2026, 11, 20), TODAY]
    assert week_days(TODAY, 1) == [TODAY]
    # Friday: today (this week's Friday) and last Friday, a week apart.
    assert week_days(d(2026, 11, 27), 2) == [d(2026, 11, 20), d(2026, 11, 27)]
    # Saturday and Sunday: this week's Friday has passed, but the last point is still now.
    assert week_days(d(2026, 11, 28), 2) == [d(2026, 11, 20), d(2026, 11, 28)]
    assert week_days(d(2026, 11, 29), 2) == [d(2026, 11, 20), d(2026, 11, 29)]
    # Monday: last Friday is three days back; across a year end too.
    assert week_days(d(2027, 1, 4), 3) == [d(2026, 12, 25), d(2027, 1, 1), d(2027, 1, 4)]
    with pytest.raises(ValueError):
        week_days(TODAY, 0)


def test_exposure_sums_open_threats_residual_scores() -> None:
    risks = [
        Risk(1, 10, probability=4, impact=5, residual_probability=2, residual_impact=3),  # 2×3 = 6
        Risk(2, 10, probability=3, impact=4),  # not yet assessed: inherent 3×4 = 12
        Risk(3, 10, probability=5, impact=5, residual_probability=2),  # 2 × inherent impact 5 = 10
        Risk(4, 10, probability=5, impact=5, status="closed"),  # closed: no exposure
        Risk(5, 10, kind="opportunity", probability=5, impact=5),  # an opportunity is not exposure
        Risk(6, None, probability=2, impact=2),  # programme-level 2×2 = 4
        Risk(7, 11, probability=1, impact=3),  # 3
    ]
    total, per = exposure_by_project(risks)
    assert per == {10: 6 + 12 + 10, None: 4, 11: 3}
    assert total == 28 + 4 + 3 == 35
    # The same from rows (as the store reads them).
    rows = [{"status": "open", "kind": "threat", "project_id": 1, "probability": 2, "impact": 5}]
    assert exposure_by_project(rows) == (10, {1: 10})


def test_direction() -> None:
    assert direction("rag", "A", "R") == "worse" and direction("rag", "R", "G") == "better"
    assert direction("rag", "A", "A") == "same" and direction("rag", None, "A") == ""
    assert direction("cpi", 0.95, 0.97) == "better" and direction("spi", 0.73, 0.72) == "worse"
    assert direction("cpi", 0.951, 0.953) == "same"  # both show as 0.95
    assert direction("slip_days", 3, 25) == "worse" and direction("exposure", 40, 35) == "better"
    assert direction("open_high_critical", 2, 2) == "same"
    assert direction("cpi", float("nan"), 1.0) == "" and direction("realisation_pct", None, 5.0) == ""


def _figures(rag: str, cpi: float) -> Figures:
    return Figures(rag, 0, cpi, 1.0, 0, 0, None, "IAM")


def test_trend_series_and_now() -> None:
    d = pendulum.Date
    points = [
        TrendPoint(d(2026, 11, 13), "t1", None, {}),  # before the programme was recorded
        TrendPoint(d(2026, 11, 20), "t2", _figures("A", 0.9), {1: _figures("A", 0.9)}),
        TrendPoint(TODAY, "t3", _figures("R", 0.8), {1: _figures("R", 0.8)}),
    ]
    trend = Trend(points)
    assert trend.series("rag") == [None, "A", "R"]
    assert trend.series("cpi", 1) == [None, 0.9, 0.8]
    assert trend.series("cpi", 2) == [None, None, None]
    now = TrendPoint(TODAY, "t4", _figures("G", 1.1), {})
    assert trend.with_now(now).series("rag") == [None, "A", "G"]
    data = trend.to_json(1)
    assert [p["project"] and p["project"]["rag"] for p in data["points"]] == [None, "A", "R"]


@pytest.fixture(scope="module")
def demo(_demo_template: Path):
    store = Store.open(_demo_template, read_only=True)
    yield store
    store.close()


def test_the_last_point_is_todays_rollup(demo: Store) -> None:
    trend = trend_of(demo, TODAY, 4)
    assert trend.days == [
        pendulum.Date(2026, 11, 6),
        pendulum.Date(2026, 11, 13),
        pendulum.Date(2026, 11, 20),
        TODAY,
    ]
    _, snapshot = load_snapshot(demo)
    programme, projects = figures_of(rollup_of(demo, TODAY), snapshot.risks)
    last = trend.points[-1]
    assert last.programme == programme and last.projects == projects


def test_each_week_is_the_rollup_as_of_its_friday(demo: Store) -> None:
    trend = trend_of(demo, TODAY, 6)
    for point in trend.points[:-1]:
        when = end_of_day(point.day)
        assert point.at == when.ts
        with demo.as_of(when.ts) as past:
            _, snapshot = load_snapshot(past)
            programme, projects = figures_of(rollup_of(past, point.day), snapshot.risks)
        assert point.programme == programme, point.day
        assert point.projects == projects, point.day


def test_before_the_programme_there_is_no_point(demo: Store) -> None:
    # The demo was loaded on Thu 27 Aug: the Fridays before hold nothing.
    trend = trend_of(demo, TODAY, 16)
    assert trend.days[0] == pendulum.Date(2026, 8, 14)
    assert trend.points[0].programme is None and trend.points[0].projects == {}
    assert trend.points[2].programme is not None  # Fri 28 Aug


def test_cli_trend(demo_db: Path, capsys) -> None:
    assert main(["--db", str(demo_db), "trend", "--weeks", "3"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Digital Workplace Programme: weekly trend, 3 week(s) to Wed 25 Nov 2026")
    assert lines[2].split() == ["Week", "RAG", "Slip", "CPI", "SPI", "Exposure", "H/C", "Benefits"]
    assert (
        lines[3].startswith("Fri 13 Nov") and lines[5].startswith("Wed 25 Nov") and lines[5].endswith("now")
    )
    assert "RAG by week, oldest first" in out and any(line.strip().startswith("CLD ") for line in lines)
    assert main(["--db", str(demo_db), "trend", "--weeks", "3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["weeks"] == 3 and [p["date"] for p in data["points"]] == [
        "2026-11-13",
        "2026-11-20",
        "2026-11-25",
    ]
    assert set(data["points"][-1]["programme"]) == {
        "rag", "slip_days", "cpi", "spi", "risk_exposure", "open_high_critical", "benefits_realisation_pct",
    }  # fmt: skip
    assert "CLD" in data["points"][-1]["projects"]
    assert main(["--db", str(demo_db), "rollup", "--json"]) == 0
    rollup = json.loads(capsys.readouterr().out)
    assert data["points"][-1]["programme"]["rag"] == rollup["programme"]["rag"]["final"]
    assert data["points"][-1]["programme"]["cpi"] == rollup["programme"]["evm"]["cpi"]


def test_cli_trend_of_one_project(demo_db: Path, capsys) -> None:
    assert main(["--db", str(demo_db), "trend", "--project", "cld", "--weeks", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["project"] == "CLD" and [p["project"]["rag"] for p in data["points"]] == ["R", "R"]
    assert main(["--db", str(demo_db), "trend", "--project", "CLD", "--weeks", "2"]) == 0
    assert capsys.readouterr().out.startswith("CLD — Digital Workplace Programme: weekly trend, 2 week(s)")


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        (["--weeks", "0"], "--weeks must be between 1 and 104"),
        (["--weeks", "many"], "--weeks needs a whole number"),
        (["--project", "NOPE"], "NOPE"),
    ],
)
def test_cli_trend_bad_input(argv: list[str], phrase: str, demo_db: Path, capsys) -> None:
    assert main(["--db", str(demo_db), "trend", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and phrase in err
