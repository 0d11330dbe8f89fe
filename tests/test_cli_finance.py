"""`pgmtui finance` and the finance rules through the CLI (issue 14): the issue's JSON keys and a
programme total, one project's months, cost sheets imported all or nothing with file:line, change
requests approved through `set`, and bad input refused with one line, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgmtui.costsheet import month_of_header, parse_cost_sheet
from pgmtui.store import Store
from tests.reliability.corpus import fingerprint
from tests.reliability.test_bad_input import assert_one_clear_error, run_cli

KEYS = [
    "code", "bac", "pv", "ev", "ac", "cv", "sv", "cpi", "spi", "eac", "etc", "vac", "tcpi", "eac_bottom_up",
    "burn_rate", "run_out", "months",
]  # fmt: skip


@pytest.fixture
def db(small_programme: Store, db_path: Path) -> Path:
    """IAM (budget 100 000, 40 % done) with a plan for Oct–Dec 2026; CLD without one."""
    s = small_programme
    s.update("project", "IAM", {"contingency": 20_000})
    s.insert("cost", {"project": "IAM", "month": "2026-10", "planned": 30_000, "actual": 28_000})
    s.insert("cost", {"project": "IAM", "month": "2026-11", "planned": 30_000, "forecast": 33_000})
    s.insert("cost", {"project": "IAM", "month": "2026-12", "category": "capex", "planned": 40_000})
    s.close()
    return db_path


def _ok(capsys: pytest.CaptureFixture[str], db: Path, argv: list[str]) -> str:
    code, out, err = run_cli(capsys, db, argv)
    assert (code, err) == (0, ""), err
    return out


def test_finance_json_has_exactly_the_issue_keys_and_a_programme_total(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    data = json.loads(_ok(capsys, db, ["finance", "--json"]))
    assert list(data) == ["today", "currency", "projects", "total"]
    iam, cld = data["projects"][1], data["projects"][0]
    assert [p["code"] for p in data["projects"]] == ["CLD", "IAM"]
    assert list(iam) == KEYS and list(data["total"]) == KEYS[1:]
    # IAM on 2026-11-25: PV = 30 000 (October) + 30 000 × 25/30 (November) = 55 000; AC 28 000;
    # EV = 100 000 × 40 % = 40 000; CPI 40/28; SPI 40/55; EAC = 100 000 × 28/40 = 70 000.
    assert iam["pv"] == pytest.approx(55_000) and iam["ac"] == 28_000 and iam["ev"] == 40_000
    assert iam["cpi"] == pytest.approx(40 / 28) and iam["spi"] == pytest.approx(40 / 55)
    assert iam["eac"] == pytest.approx(70_000) and iam["tcpi"] == pytest.approx(60_000 / 72_000)
    # Bottom-up: AC 28 000 + November's forecast 33 000 + December's plan 40 000 = 101 000.
    assert iam["eac_bottom_up"] == pytest.approx(101_000)
    # Burn 28 000 a month (one month of actuals): 72 000 left → 2.57 → 3 months after October.
    assert iam["burn_rate"] == 28_000 and iam["run_out"] == "2027-01"
    assert iam["months"] == [
        {"month": "2026-10", "planned": 30000.0, "actual": 28000.0, "forecast": None, "cum_planned": 30000.0,
         "cum_actual": 28000.0},
        {"month": "2026-11", "planned": 30000.0, "actual": None, "forecast": 33000.0, "cum_planned": 60000.0,
         "cum_actual": None},
        {"month": "2026-12", "planned": 40000.0, "actual": None, "forecast": None, "cum_planned": 100000.0,
         "cum_actual": None},
    ]  # fmt: skip
    # CLD has no plan: linear PV, its own actual cost, no months, and "–" figures as null.
    assert cld["months"] == [] and cld["burn_rate"] is None and cld["run_out"] is None and cld["ac"] == 20_000
    assert data["total"]["bac"] == 300_000 and data["total"]["ac"] == 48_000
    one = json.loads(_ok(capsys, db, ["finance", "--project", "iam", "--json"]))
    assert [p["code"] for p in one["projects"]] == ["IAM"] and one["total"] == data["total"]


def test_finance_text_for_the_programme_and_one_project(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    text = _ok(capsys, db, ["finance"])
    lines = text.splitlines()
    assert lines[1].split()[:5] == ["CODE", "BAC", "PV", "EV", "AC"]
    assert lines[3].startswith("IAM") and "28 000" in lines[3] and "2027-01" in lines[3]
    assert lines[4].startswith("TOTAL")
    assert "project contingency left 20 000" in text
    one = _ok(capsys, db, ["finance", "--project", "IAM"])
    assert "PV from its cost plan" in one and "2026-11" in one and "33 000" in one
    cld = _ok(capsys, db, ["finance", "--project", "CLD"])
    assert "no cost plan" in cld and "no cost rows" in cld


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        (["finance", "--project", "NOPE"], "no project with code 'NOPE' (projects: CLD, IAM)"),
        (["set", "project", "IAM", "actual_cost=1"], "IAM's actual cost is derived from its 3 cost row(s)"),
        (
            ["add", "cost", "project=IAM", "month=2026-10", "actual=5"],
            "IAM 2026-10 opex already has a cost row",
        ),
        (["set", "cost", "1", "actual=-5"], "actual must be at least 0"),
    ],
)
def test_bad_finance_input_is_refused_with_one_line(
    capsys: pytest.CaptureFixture[str], db: Path, argv: list[str], phrase: str
) -> None:
    before = fingerprint(db)
    code, _, err = run_cli(capsys, db, argv)
    assert_one_clear_error(code, err, phrase)
    assert fingerprint(db) == before


def test_approving_through_set_moves_the_baseline_and_overdrawing_is_refused(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    _ok(capsys, db, ["add", "change_request", "project=IAM", "title=More connectors", "cost_impact=15000",
                     "schedule_impact_days=7", "funding=contingency"])  # fmt: skip
    _ok(capsys, db, ["add", "change_request", "project=IAM", "title=Even more", "cost_impact=9000",
                     "funding=contingency"])  # fmt: skip
    _ok(capsys, db, ["set", "change_request", "1", "status=approved", "decided_by=Board"])
    iam = json.loads(_ok(capsys, db, ["list", "project", "--json"]))[0]
    assert (iam["budget"], iam["baseline_end"], iam["contingency"]) == (115_000, "2027-01-07", 5_000)
    before = fingerprint(db)
    code, _, err = run_cli(capsys, db, ["set", "change_request", "2", "status=approved"])
    assert_one_clear_error(
        code, err, "IAM's contingency is 5 000; this request draws 9 000, 4 000 more than is left"
    )
    assert fingerprint(db) == before
    code, _, err = run_cli(capsys, db, ["set", "change_request", "1", "status=raised"])
    assert_one_clear_error(code, err, "cannot be set back to raised")


# ---------------------------------------------------------------------------- cost sheets


SHEET = """project,category,measure,2026-10,Nov 2026,2026/12,Jan-27,Total
IAM,opex,planned,30000,"31,000",,12000,73000
IAM,opex,actual,29500,,,,
IAM,capex,Budget,,,45000,,
CLD,,plan,10000,10000,10000,10000,40000
"""


def test_month_headers() -> None:
    assert [month_of_header(h) for h in ("2027-03", "2027/3", "Mar 2027", "March-2027", "Mar-27", "Q1 2027", "Total")] == [
        "2027-03", "2027-03", "2027-03", "2027-03", "2027-03", None, None,
    ]  # fmt: skip


def test_a_cost_sheet_is_read_into_cost_values_with_every_bad_cell_by_line() -> None:
    rows = [
        (
            2,
            {"project": "IAM", "category": "opex", "measure": "planned", "2026-10": "100", "2026-11": "ten"},
            [],
        ),
        (3, {"project": "IAM", "category": "capital", "measure": "planned", "2026-10": "1"}, []),
        (4, {"project": "IAM", "category": "", "measure": "guess", "2026-10": "1"}, []),
        (5, {"project": "", "category": "opex", "measure": "", "2026-10": "1"}, []),
        (6, {"project": "IAM", "category": "opex", "measure": "plan", "2026-10": "2"}, []),
        (7, {"project": "IAM", "category": "opex", "measure": "actual", "2026-10": "-3"}, []),
    ]
    sheet = parse_cost_sheet("s.csv", ["project", "category", "measure", "2026-10", "2026-11"], rows)
    assert sheet.problems == [
        "s.csv:2: 2026-11: planned must be a number (digits 0-9), got 'ten'",
        "s.csv:3: category must be one of: capex, opex; got 'capital'",
        "s.csv:4: measure must be planned, actual or forecast; got 'guess'",
        "s.csv:5: project is required (a project code, e.g. IAM)",
        "s.csv:6: IAM opex planned is already given on line 2",
        "s.csv:7: 2026-10: actual must be at least 0, got -3",
    ]
    assert sheet.values == {("IAM", "2026-10", "opex"): {"planned": 100.0}}


def test_import_a_cost_sheet_then_again_to_change_it_in_place(
    capsys: pytest.CaptureFixture[str], small_programme: Store, db_path: Path, tmp_path: Path
) -> None:
    small_programme.close()
    sheet = tmp_path / "costs.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    out = _ok(capsys, db_path, ["import", str(sheet)])
    assert out.splitlines() == [
        "note: costs.csv: ignored column(s): Total",
        "note: costs.csv: 8 cost row(s) added, 0 changed in place",
        "imported 8 cost: from the cost sheet (months added, or changed in place)",
    ]
    with Store.open(db_path) as s:
        rows = {(r["project_id"], r["month"], r["category"]): r for r in s.rows("cost")}
        assert (
            rows[(1, "2026-10", "opex")]["planned"] == 30_000
            and rows[(1, "2026-10", "opex")]["actual"] == 29_500
        )
        assert (
            rows[(1, "2026-11", "opex")]["planned"] == 31_000
            and rows[(1, "2027-01", "opex")]["planned"] == 12_000
        )
        assert rows[(1, "2026-12", "capex")]["planned"] == 45_000
        assert sum(1 for k in rows if k[0] == 2) == 4
        assert s.get("project", "IAM")["actual_cost"] == 29_500  # derived from the actuals
    # The finance team's next version: October's actual corrected, November's actual in.
    sheet.write_text("project,measure,2026-10,2026-11\nIAM,actual,29800,30500\n", encoding="utf-8")
    out = _ok(capsys, db_path, ["import", str(sheet)])
    assert out.splitlines() == [
        "note: costs.csv: 0 cost row(s) added, 2 changed in place",
        "imported 2 cost: from the cost sheet (months added, or changed in place)",
    ]
    with Store.open(db_path) as s:
        assert s.get("project", "IAM")["actual_cost"] == 60_300
        assert s.count("cost") == 8


def test_a_bad_cost_sheet_writes_nothing_and_lists_every_problem(
    capsys: pytest.CaptureFixture[str], small_programme: Store, db_path: Path, tmp_path: Path
) -> None:
    small_programme.close()
    sheet = tmp_path / "costs.csv"
    sheet.write_text(
        "project,category,2026-10,2026-11\nIAM,opex,100,200\nXYZ,opex,5,\nIAM,capex,1.5.5,\n",
        encoding="utf-8",
    )
    before = fingerprint(db_path)
    code, out, err = run_cli(capsys, db_path, ["import", str(sheet)])
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "costs.csv:3: 2026-10: project: unknown project code 'XYZ'",
        "costs.csv:4: 2026-10: planned must be a number (digits 0-9), got '1.5.5'",
        "pgmtui: error: import refused, nothing written: 2 problem(s) listed above",
    ]
    assert fingerprint(db_path) == before
