"""`pgmtui capacity` (text and the issue's JSON shape, hand-checked) and `pgmtui check`'s notes on
owners that match no person.

On the `small_programme` (IAM id 1, CLD id 2), today Wednesday 25 Nov 2026; weeks W0 = 23 Nov,
W1 = 30 Nov, W2 = 7 Dec:
  Asha Patel (Architect, Platform, 100): IAM 50 % Wed 25 – Fri 27 Nov → W0 50 × 3 / 5 = 30;
      CLD 80 % 30 Nov – 11 Dec → W1 80, W2 80; IAM 40 % Mon 7 – Wed 9 Dec → W2 40 × 3 / 5 = 24.
      → [30, 80, 104]: over in W2 (104 > 100).
  Ben Okafor (Analyst, Platform, 50): CLD 60 % 23 Nov – 4 Dec → [60, 60, 0]: over W0, W1.
  Cal: nothing → [0, 0, 0].
By team: Platform 100 + 50 = 150 against [90, 140, 104]: never over; Cal's (no team) group last.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgmtui.store import Store
from pgmtui.store.schema import SCHEMA_VERSION
from tests.reliability.corpus import fingerprint
from tests.reliability.test_bad_input import assert_one_clear_error, run_cli


@pytest.fixture
def db(small_programme: Store, db_path: Path) -> Path:
    s = small_programme
    s.insert("person", {"name": "Asha Patel", "role": "Architect", "team": "Platform"})
    s.insert("person", {"name": "Ben Okafor", "role": "Analyst", "team": "Platform", "capacity_pct": 50})
    s.insert("person", {"name": "Cal"})
    for person, project, start, end, percent, note in (
        ("Asha Patel", "IAM", "2026-11-25", "2026-11-27", 50, "design review"),
        ("Asha Patel", "CLD", "2026-11-30", "2026-12-11", 80, None),
        ("Asha Patel", "IAM", "2026-12-07", "2026-12-09", 40, None),
        ("Ben Okafor", "CLD", "2026-11-23", "2026-12-04", 60, None),
    ):
        s.insert(
            "allocation",
            {"person": person, "project": project, "start_date": start, "end_date": end, "percent": percent,
             "note": note},
        )  # fmt: skip
    s.close()
    return db_path


def _json(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> dict:
    code, out, err = run_cli(capsys, db, ["capacity", *args, "--json"])
    assert (code, err) == (0, ""), err
    return json.loads(out)


def test_json_shape_and_figures(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    data = _json(capsys, db, "--from", "2026-11-25", "--weeks", "3")  # a Wednesday: its Monday
    assert list(data) == ["from", "weeks", "rows"]
    assert data["from"] == "2026-11-23"
    assert data["weeks"] == ["2026-11-23", "2026-11-30", "2026-12-07"]
    asha, ben, cal = data["rows"]
    assert list(asha) == ["name", "role", "team", "capacity_pct", "load", "over", "allocations"]
    assert (asha["name"], asha["role"], asha["team"], asha["capacity_pct"]) == (
        "Asha Patel",
        "Architect",
        "Platform",
        100,
    )
    assert asha["load"] == [30, 80, 104] and asha["over"] == [False, False, True]
    # Whole numbers print as such (30, not 30.0), as a person would write them.
    assert all(
        type(v) is int for v in [*asha["load"], asha["capacity_pct"], asha["allocations"][0]["percent"]]
    )
    assert ben["load"] == [60, 60, 0] and ben["over"] == [True, True, False] and ben["capacity_pct"] == 50
    assert (cal["role"], cal["team"], cal["load"], cal["allocations"]) == (None, None, [0, 0, 0], [])
    assert asha["allocations"][0] == {
        "id": 1, "person": "Asha Patel", "project": "IAM", "milestone": None, "start_date": "2026-11-25",
        "end_date": "2026-11-27", "percent": 50, "note": "design review",
    }  # fmt: skip
    assert [a["project"] for a in asha["allocations"]] == ["IAM", "CLD", "IAM"]  # by start date


def test_default_is_this_week_for_twelve_weeks(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    data = _json(capsys, db)
    assert data["from"] == "2026-11-23" and len(data["weeks"]) == 12 and data["weeks"][-1] == "2027-02-08"
    assert all(len(r["load"]) == len(r["over"]) == 12 for r in data["rows"])
    # A window after everything: loads are zero, allocations none.
    later = _json(capsys, db, "--from", "2027-03-01", "--weeks", "2")
    assert [r["load"] for r in later["rows"]] == [[0, 0]] * 3 and all(
        not r["allocations"] for r in later["rows"]
    )


def test_by_team_and_by_role(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    teams = _json(capsys, db, "--from", "2026-11-23", "--weeks", "3", "--by", "team")["rows"]
    assert [(r["name"], r["team"], r["role"]) for r in teams] == [
        ("Platform", "Platform", None),
        (None, None, None),
    ]
    platform = teams[0]
    assert platform["capacity_pct"] == 150 and platform["load"] == [90, 140, 104]
    assert platform["over"] == [False, False, False] and len(platform["allocations"]) == 4
    roles = _json(capsys, db, "--from", "2026-11-23", "--weeks", "3", "--by", "role")["rows"]
    assert [(r["name"], r["over"]) for r in roles] == [
        ("Analyst", [True, True, False]), ("Architect", [False, False, True]), (None, [False, False, False]),
    ]  # fmt: skip


def test_text_output_marks_over_allocation(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run_cli(capsys, db, ["capacity", "--weeks", "3"])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Capacity from 23 Nov 2026, 3 weeks")
    assert lines[2].split() == ["Name", "Cap", "23/11", "30/11", "07/12"]
    assert lines[3].split() == ["Asha", "Patel", "100", "30", "80", "▲104"]
    assert lines[4].split() == ["Ben", "Okafor", "50", "▲60", "▲60", "·"]
    assert lines[-1] == "2 of 3 over-allocated: Asha Patel, Ben Okafor"


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        (["--weeks", "0"], "--weeks must be a whole number from 1 to 156"),
        (["--weeks", "157"], "--weeks must be a whole number"),
        (["--weeks", "three"], "--weeks must be a whole number"),
        (["--weeks", "-2"], "--weeks must be a whole number"),
        (["--from", "2026-02-30"], "not a real date"),
        (["--from", "next monday"], "--from must be a date YYYY-MM-DD"),
        (["--from", "1989-12-31"], "outside 1990"),
        (["--by", "project"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, argv: list[str], phrase: str
) -> None:
    before = fingerprint(db)
    code, out, err = run_cli(capsys, db, ["capacity", *argv])
    assert_one_clear_error(code, err, phrase)
    assert out == "" and fingerprint(db) == before


def test_check_notes_owners_that_match_no_person(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    with Store.open(db) as s:
        s.insert("risk", {"title": "Vendor late", "owner": "asha", "probability": 2, "impact": 3})
        s.insert("risk", {"title": "Budget cut", "owner": "ASHA PATEL", "probability": 2, "impact": 3})
        s.insert("issue", {"title": "Licences", "owner": "Asha Patel (Architect)"})  # a note in brackets
        s.insert("issue", {"title": "Rack space", "owner": "Zed Unknown"})
    code, out, err = run_cli(capsys, db, ["check"])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # The small programme's managers are single names, "Asha" and "Ben": each only a word of a
    # person's name, so that person is suggested; "asha" (any case) is the same name as "Asha".
    assert lines == [
        "note: 'Asha' (project 1 manager, risk 1 owner) matches no person in the directory; "
        "did you mean Asha Patel?",
        "note: 'Ben' (project 2 manager) matches no person in the directory; did you mean Ben Okafor?",
        "note: 'Zed Unknown' (issue 2 owner) matches no person in the directory",
        f"{db}: ok (schema {SCHEMA_VERSION})",
    ]


def test_check_says_nothing_about_owners_without_a_directory(
    capsys: pytest.CaptureFixture[str], small_programme: Store, db_path: Path
) -> None:
    small_programme.insert("risk", {"title": "Vendor late", "owner": "asha", "probability": 2, "impact": 3})
    small_programme.close()
    code, out, _ = run_cli(capsys, db_path, ["check"])
    assert code == 0 and out.splitlines() == [f"{db_path}: ok (schema {SCHEMA_VERSION})"]
