"""Values as registers write them: each conversion checked by hand."""

from __future__ import annotations

from datetime import datetime

import pytest

from pgmtui.exchange import scales
from pgmtui.exchange.columns import clean_header, map_columns
from pgmtui.exchange.mspdi import Plan, Task, date_part, duration_minutes
from pgmtui.exchange.plan import lag_days, round_days
from pgmtui.exchange.registers import register_name
from pgmtui.exchange.scales import HeaderHint, header_hint, score_scale

NO_HINT = HeaderHint()


def _convert(values: list, hint: HeaderHint = NO_HINT, **kw) -> list[int]:
    scale = score_scale(values, hint, **kw)
    return [scale.convert(v) for v in values]


def test_scores_as_written() -> None:
    assert _convert([1, 3, 5, "4 - Likely", "2 Minor"]) == [1, 3, 5, 4, 2]
    assert _convert(["Very Low", "Low", "Medium", "High", "Very High", "H", "M", "L"]) == [
        1,
        2,
        3,
        4,
        5,
        4,
        3,
        2,
    ]
    assert _convert(["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]) == [1, 2, 3, 4, 5]
    assert _convert(["Insignificant", "Minor", "Moderate", "Major", "Catastrophic"]) == [1, 2, 3, 4, 5]
    # 1–3 (said by the header): the points of Low/Medium/High. 1–10: halves rounded up.
    assert _convert([1, 2, 3], header_hint("Likelihood (1-3)")) == [2, 3, 4]
    assert _convert([1, 2, 3, 4], header_hint("Impact 1 to 4")) == [2, 3, 4, 5]
    assert _convert([1, 2, 5, 6, 9, 10, 7]) == [1, 1, 3, 3, 5, 5, 4]  # three values above 5: a 1–10 column


def test_one_slip_above_five_is_an_error_not_a_new_scale() -> None:
    scale = score_scale([3] * 30 + [7], HeaderHint())
    assert scale.kind == "1-5"
    with pytest.raises(ValueError, match="must be at most 5, got 7"):
        scale.convert(7)


def test_percentages_and_fractions() -> None:
    # 0–10 % → 1, 11–30 % → 2, 31–50 % → 3, 51–70 % → 4, 71–100 % → 5
    assert _convert(["5%", "10%", "11%", "30 %", "35%", "50%", "70%", "71%", "100%"]) == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        5,
        5,
    ]
    assert _convert([0.05, 0.35, 0.8, 1]) == [1, 3, 5, 5]  # fractions: 1 is 100 %
    assert _convert([20, 45, 90], header_hint("Probability %")) == [2, 3, 5]
    assert _convert([20, 45, 90]) == [2, 3, 5]  # a probability up to 100 is a percentage
    with pytest.raises(ValueError, match="not a percentage"):
        score_scale(["20%"], HeaderHint()).convert("120%")


def test_money_and_days_need_bands() -> None:
    with pytest.raises(scales.ScaleError, match="amounts of money"):
        score_scale(["£250,000", "£40k"], HeaderHint(), quantities=True)
    with pytest.raises(scales.ScaleError, match="numbers of days"):
        score_scale([10, 30], header_hint("Schedule impact (days)"), quantities=True)
    bands = {"money": scales.parse_bands("10k,50k,250k,1m"), "days": scales.parse_bands("5,10,20,40")}
    # upper bounds: ≤ 10 000 → 1, ≤ 50 000 → 2, ≤ 250 000 → 3, ≤ 1 000 000 → 4, above → 5
    assert _convert(["£8,000", "£10,000", "£40k", "£250,000", "$1.2m"], bands=bands, quantities=True) == [
        1,
        1,
        2,
        3,
        5,
    ]
    assert _convert(["2 days", "1 week", "3 weeks", "2 months"], bands=bands, quantities=True) == [1, 2, 4, 5]
    # A (£k) header multiplies plain numbers: 40 → £40,000 → 2.
    assert _convert([40, 300], header_hint("Cost impact (£k)"), bands=bands, quantities=True) == [2, 4]
    with pytest.raises(ValueError, match="four increasing"):
        scales.parse_bands("5,4,3,2")


def test_status_priority_and_response_words() -> None:
    assert scales.status_of("risk", "Active - Mitigation Required") == ("open", True)
    assert scales.status_of("risk", "Closed (mitigated)") == ("closed", True)
    assert scales.status_of("risk", "Risk has materialised") == ("closed", True)
    assert scales.status_of("risk", "Parked") == ("open", False)
    assert scales.status_of("issue", "Under investigation") == ("in progress", True)
    assert scales.status_of("assumption", "Confirmed") == ("validated", True)
    assert scales.status_of("decision", "Approved") == ("made", True)
    assert scales.status_of("decision", "On hold") == ("deferred", True)
    assert [scales.priority_of(v, 3) for v in (1, "2", "P3", "High", "critical", "Severe")] == [
        "high", "medium", "low", "high", "critical", "critical",
    ]  # fmt: skip
    assert [scales.priority_of(v, 4) for v in (1, 2, 3, 4)] == ["critical", "high", "medium", "low"]
    assert [scales.response_of(v) for v in ("Mitigate", "Tolerate", "Terminate", "Insure", "Weekly calls")] == [
        "reduce", "accept", "avoid", "transfer", None,
    ]  # fmt: skip


def test_dates_as_written() -> None:
    assert scales.parse_date_cell(datetime(2026, 3, 12, 9, 30)) == "2026-03-12"
    assert scales.parse_date_cell(46093) == "2026-03-12"  # Excel day 46093 after 1899-12-30
    assert scales.parse_date_cell(44631, epoch=datetime(1904, 1, 1)) == "2026-03-12"  # the 1904 system
    for text in (
        "2026-03-12",
        "12/03/2026",
        "12.03.26",
        "12-Mar-2026",
        "12 March 2026",
        "March 12, 2026",
        "12th Mar 2026",
    ):
        assert scales.parse_date_cell(text) == "2026-03-12", text
    assert scales.parse_date_cell("03/12/2026", "mdy") == "2026-03-12"
    assert (
        scales.date_order(["03/04/2026", "25/04/2026"]) == "dmy"
        and scales.date_order(["04/25/2026"]) == "mdy"
    )
    for bad in ("2026-02-30", "31/02/2026", "next week"):
        with pytest.raises(ValueError, match=f"^{bad} is not a date"):
            scales.parse_date_cell(bad)
    with pytest.raises(ValueError, match="outside the years 1990–2100"):
        scales.parse_date_cell(3)


def test_blanks_and_sheet_errors() -> None:
    assert all(scales.is_blank(v) for v in (None, "", " ", "N/A", "n/a", "TBD", "tbc", "-", "—", "?"))
    assert not scales.is_blank("Low") and not scales.is_blank(0)
    assert scales.excel_error("#DIV/0!") == "#DIV/0!" and scales.excel_error("#N/A") == "#N/A"


def test_headers() -> None:
    assert (
        clean_header("Likelihood (1-5)") == "likelihood" and clean_header("Cost Impact (£k)") == "cost impact"
    )
    fields = [
        c.field for c in map_columns(["Ref", "L", "I", "S", "Risk Owner", "Mitigation_Plan"], "risk").columns
    ]
    assert fields == ["id", "probability", "impact", "score", "owner", "actions"]
    twice = map_columns(["Title", "Likelihood", "Impact", "Likelihood", "Impact"], "risk")
    assert [c.field for c in twice.columns] == [
        "title",
        "probability",
        "impact",
        "residual_probability",
        "residual_impact",
    ]
    grouped = map_columns(
        ["Risk", "L", "I", "L", "I"], "risk", [None, "Inherent risk", None, "Residual risk", None]
    )
    assert [c.field for c in grouped.columns] == [
        "title",
        "probability",
        "impact",
        "residual_probability",
        "residual_impact",
    ]
    on_actions = map_columns(["Action", "Owner", "Due"], "action")
    assert [c.field for c in on_actions.columns] == ["title", "owner", "due_date"]


def test_register_names_ignore_versions_and_copies() -> None:
    from pathlib import Path

    names = [
        "RAID Log v3.xlsx",
        "RAID_Log_v4 (final).xlsx",
        "Copy of RAID log 2026-11-20.xlsx",
        "raid log (2).xlsx",
    ]
    assert {register_name(Path(n)) for n in names} == {"raid log"}


def test_plan_values() -> None:
    assert date_part("2026-03-02T08:00:00") == "2026-03-02" and date_part("2149-12-31T00:00:00") is None
    assert duration_minutes("PT40H30M0S", 480) == 2430 and duration_minutes("P1DT2H", 450) == 570
    plan = Plan(minutes_per_day=450, minutes_per_week=2250)
    pred = Task(uid=1, duration_minutes=4500)  # 10 working days of 450 minutes
    assert lag_days(27000, 7, plan, pred) == (6.0, "6d")  # 2700 min / 450
    assert lag_days(13500, 5, plan, pred) == (3.0, "22.5h")  # 1350 min = 22.5 h = 3 working days
    assert lag_days(-14400, 8, plan, pred) == (-1.0, "-1ed")  # elapsed: 1440 min a day
    assert lag_days(22500, 9, plan, pred) == (5.0, "1w")  # 2250 min = one week of 450-minute days
    assert lag_days(50, 19, plan, pred) == (5.0, "50%")  # half of the predecessor's 10 days
    assert [round_days(x) for x in (0.5, 1.49, -0.5, 2.5, -2.51)] == [1, 1, -1, 3, -3]  # half away from zero
