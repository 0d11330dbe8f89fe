"""`pgmtui rollup --json` gains the implied forecast (added keys only; the existing ones unchanged)."""

from __future__ import annotations

import json
from pathlib import Path

from pgmtui.cli import main


def test_rollup_json_adds_the_implied_forecast(demo_db: Path, capsys) -> None:
    assert main(["--db", str(demo_db), "rollup", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    projects = {p["code"]: p for p in data["projects"]}
    # IAM waits on NET's 'Wi-Fi 6 in all offices', 6 d late: its MFA roll-out (2026-12-31, its last
    # milestone) moves to 2027-01-06, and its entered end 2027-01-30 to 2027-02-05: a 6-d gap.
    iam = projects["IAM"]["implied_forecast"]
    assert (iam["entered_end"], iam["implied_end"], iam["gap_days"], iam["flagged"]) == (
        "2027-01-30", "2027-02-05", 6, True
    )  # fmt: skip
    assert {"entered": "2026-12-31", "implied": "2027-01-06"} == {
        k: v for k, v in iam["milestones"][0].items() if k != "milestone_id"
    }
    # ERP waits 18 d on DAT's 'Master data cleansed' (the worst of its two late suppliers).
    assert projects["ERP"]["implied_forecast"]["gap_days"] == 18
    assert projects["NET"]["implied_forecast"] is None  # the supplier itself does not move
    assert [f["project"] for f in data["programme"]["implied_forecasts"]] == ["IAM", "ERP", "TRN"]
    # Existing keys are still there, unchanged in kind.
    assert {"rag", "slip_days", "late_dependencies", "risks"} <= set(projects["IAM"])
    assert data["programme"]["end_date_source"] == "programme"
    assert projects["NET"]["delaying_others"] == 1
