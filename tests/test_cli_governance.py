"""`pgmtui alignment`, `business-case`, `gate` and `report --kind exception` on a programme checked
on paper (tests/governance_data.py), and the governance kinds' bad input: one line, exit 2,
nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgmtui.store import Store
from tests.governance_data import add_governance_programme
from tests.reliability.corpus import fingerprint
from tests.reliability.test_bad_input import assert_one_clear_error, run_cli


@pytest.fixture
def db(store: Store, db_path: Path) -> Path:
    add_governance_programme(store)
    store.close()
    return db_path


def _ok(capsys: pytest.CaptureFixture[str], db: Path, argv: list[str]) -> str:
    code, out, err = run_cli(capsys, db, argv)
    assert (code, err) == (0, ""), err
    return out


def test_alignment_json_lists_objectives_and_the_unaligned(capsys, db: Path) -> None:
    data = json.loads(_ok(capsys, db, ["alignment", "--json"]))
    assert data["unaligned_projects"] == ["OLD"]
    [grow] = data["objectives"]
    assert (grow["code"], grow["weight"], grow["projects"]) == (
        "GROW",
        2.0,
        [{"code": "NEW", "strength": 3, "note": "new channel"}],
    )
    new = next(p for p in data["projects"] if p["code"] == "NEW")
    assert new["score"] == 6.0 and new["objectives"] == [{"code": "GROW", "strength": 3, "direct": True}]
    text = _ok(capsys, db, ["alignment"])
    assert "●●● NEW  new channel" in text
    assert "Unaligned projects: OLD" in text


def test_business_case_json_is_the_worked_example(capsys, db: Path) -> None:
    data = json.loads(_ok(capsys, db, ["business-case", "NEW", "--json"]))
    assert round(data["npv"], 2) == 41_322.31
    assert data["roi_pct"] == pytest.approx(20.0)
    assert round(data["payback_years"], 2) == 2.67
    assert data["viability"]["rag"] == "G"
    assert [(y["k"], y["start"], round(y["costs"]), round(y["benefits"])) for y in data["years"]] == [
        (0, "2027-01-01", 1_000_000, 0),
        (1, "2028-01-01", 0, 600_000),
        (2, "2029-01-01", 0, 600_000),
    ]
    assert {"net", "discounted"} <= set(data["years"][0])
    text = _ok(capsys, db, ["business-case", "new"])
    assert "NPV 41 322" in text and "ROI 20.0 %" in text and "payback 2.67 y" in text


def test_an_overspend_written_by_the_cli_kills_the_case(capsys, db: Path) -> None:
    _ok(capsys, db, ["set", "project", "NEW", "actual_cost=550000", "percent_complete=50"])
    data = json.loads(_ok(capsys, db, ["business-case", "NEW", "--json"]))
    assert round(data["npv"], 2) == -58_677.69
    assert data["viability"]["rag"] == "R"
    rollup = json.loads(_ok(capsys, db, ["rollup", "--json"]))
    new = next(p for p in rollup["projects"] if p["code"] == "NEW")
    case = next(e for e in new["rag"]["evidence"] if e["dimension"] == "business case")
    assert case["rag"] == "R" and new["rag"]["final"] == "R"


def test_business_case_list_and_a_project_without_a_case(capsys, db: Path) -> None:
    out = _ok(capsys, db, ["business-case"]).splitlines()
    assert out[1].split()[:2] == ["NEW", "■"]
    assert "defaults (no case recorded)" in out[2] and out[2].startswith("OLD")
    data = json.loads(_ok(capsys, db, ["business-case", "OLD", "--json"]))
    assert data["id"] is None  # computed with the defaults: 5 years at the programme's 3.5 %
    assert (data["horizon_years"], data["discount_rate_pct"]) == (5, 3.5)


def test_gate_readiness_json(capsys, db: Path) -> None:
    data = json.loads(_ok(capsys, db, ["gate", "NEW:Gate 1", "--json"]))
    assert data["gate"] == {
        "id": 1,
        "milestone": "NEW:Gate 1",
        "project": "NEW",
        "name": "Gate 1",
        "baseline_date": None,
        "forecast_date": "2026-12-05",
        "actual_date": None,
        "date": "2026-12-05",
        "days_to_go": 10,
        "state": "due soon",
    }
    assert data["viability"]["rag"] == "G" and round(data["viability"]["npv"], 2) == 41_322.31
    assert data["last_review"] is None and data["reviews"] == []
    names = [c["name"] for c in data["readiness"]["checks"]]
    assert names == ["project RAG", "business case", "risks", "issues", "benefits", "actions", "last review"]
    old = json.loads(_ok(capsys, db, ["gate", "OLD:Gate 2", "--json"]))
    assert old["last_review"]["outcome"] == "conditional"
    assert old["last_review"]["decision"] == {"id": 1, "title": "Proceed to build", "status": "made"}
    assert "2026-06-01 conditional; conditions: Retire the old servers by March; decision #1" in _ok(
        capsys, db, ["gate", "OLD:Gate 2"]
    )


def test_the_exception_report_in_every_format(capsys, db: Path, tmp_path: Path) -> None:
    md = _ok(capsys, db, ["report", "--kind", "exception", "--project", "OLD"])
    for heading in ("## Tolerances broken", "## Cause", "## Consequences", "## Options", "## Recommendation",
                    "## Lessons"):  # fmt: skip
        assert heading in md
    assert "forecast end 2027-01-30 is 30 d after the baseline end 2026-12-31: 20 d beyond" in md
    data = json.loads(
        _ok(capsys, db, ["report", "--kind", "exception", "--project", "OLD", "--format", "json"])
    )
    assert data["report"] == "exception" and data["project"]["code"] == "OLD"
    assert [b["dimension"] for b in data["breaches"]] == ["time"]
    assert data["recommendation"]["option"] in {o["option"] for o in data["options"]}
    out = tmp_path / "exception.html"
    msg = _ok(
        capsys,
        db,
        ["report", "--kind", "exception", "--project", "OLD", "--format", "html", "--out", str(out)],
    )
    assert msg.startswith("exception report OLD (html) written to")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<title>Exception report — OLD — 2026-11-25</title>" in html


def test_a_case_killed_by_an_overspend_is_an_exception(capsys, db: Path) -> None:
    # 50 % for 600 000: EAC 1 200 000, 20 % over (beyond 10 %), and NPV −158 677.69.
    _ok(capsys, db, ["set", "project", "NEW", "actual_cost=600000", "percent_complete=50"])
    data = json.loads(
        _ok(capsys, db, ["report", "--kind", "exception", "--project", "NEW", "--format", "json"])
    )
    assert [b["dimension"] for b in data["breaches"]] == ["cost", "benefits"]
    assert round(data["business_case"]["npv"], 2) == -158_677.69
    assert round(data["business_case"]["npv_at_budget"], 2) == 41_322.31


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        (["report", "--kind", "exception", "--project", "NEW"], "NEW is within tolerance"),
        (["report", "--kind", "exception"], "add --project CODE"),
        (["report", "--kind", "exception", "--project", "NOPE"], "NOPE"),
        (["report", "--project", "OLD"], "add --kind exception"),
        (["report", "--kind", "exception", "--project", "OLD", "--since", "2026-11-01"], "--since is for"),
        (["report", "--kind", "weekly"], "invalid choice"),
        (["business-case", "NOPE"], "NOPE"),
        (["business-case", "NEW", "--programme"], "not both"),
        (["gate", "NEW:Build"], "NEW:Build is not a stage gate"),
        (["gate", "NEW:Nope"], "Nope"),
        (["add", "contribution", "objective=NOPE", "project=NEW", "strength=2"], "NOPE"),
        (["add", "contribution", "objective=GROW", "project=OLD", "strength=4"], "strength"),
        (["add", "contribution", "objective=GROW", "strength=2"], "exactly one of the two"),
        (
            ["add", "contribution", "objective=GROW", "project=NEW", "strength=1"],
            "already has a contribution",
        ),
        (
            ["add", "gate_review", "milestone=NEW:Gate 1", "review_date=2026-12-01", "outcome=maybe"],
            "outcome",
        ),
        (["add", "gate_review", "milestone=NEW:Build", "review_date=2026-12-01"], "is not a stage gate"),
        (["add", "business_case", "project=NEW"], "already has a business case"),
        (["add", "objective", "code=grow", "name=Twice"], "already exists"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    capsys, db: Path, argv: list[str], phrase: str
) -> None:
    before = fingerprint(db)
    code, _, err = run_cli(capsys, db, argv)
    assert_one_clear_error(code, err, phrase)
    assert fingerprint(db) == before


def test_the_new_kinds_through_add_set_list_delete(capsys, db: Path) -> None:
    assert _ok(capsys, db, ["add", "objective", "code=SAFE", "name=Stay safe", "weight=1"]) == "2\n"
    assert _ok(capsys, db, ["add", "contribution", "objective=safe", "project=OLD", "strength=2"]) == "2\n"
    review = ["add", "gate_review", "milestone=NEW:Gate 1", "review_date=2026-12-01", "attendees=Board"]
    assert _ok(capsys, db, review) == "2\n"
    assert _ok(capsys, db, ["set", "gate_review", "2", "outcome=go"]) == "gate_review 2 version 2\n"
    listed = json.loads(_ok(capsys, db, ["list", "gate_review", "--json"]))
    assert [(r["milestone"], r["outcome"]) for r in listed] == [
        ("OLD:Gate 2", "conditional"),
        ("NEW:Gate 1", "go"),
    ]
    assert json.loads(_ok(capsys, db, ["alignment", "--json"]))["unaligned_projects"] == []
    _ok(capsys, db, ["delete", "objective", "SAFE"])
    assert json.loads(_ok(capsys, db, ["alignment", "--json"]))["unaligned_projects"] == ["OLD"]
