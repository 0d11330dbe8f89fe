"""Stakeholders from the command line: `add/set/list/delete stakeholder|engagement|communication`,
the computed columns of `list stakeholder --json` (quadrant, attitude_gap, last_engaged, overdue),
`pgmtui stakeholders`, and bad input refused with one line, exit 2 and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgmtui.cli import main
from pgmtui.store import Store
from tests.reliability.corpus import fingerprint
from tests.reliability.test_bad_input import assert_one_clear_error, run_cli

# The clock is fixed at Wednesday 2026-11-25 (tests/conftest.py).


@pytest.fixture
def db(small_programme: Store, db_path: Path) -> Path:
    s = small_programme
    s.insert("stakeholder", {"name": "Robert Okafor", "role": "CFO", "power": 5, "interest": 2,
                             "attitude": "critic", "target_attitude": "supporter", "owner": "Margaret Hale",
                             "cadence_days": 30, "projects": "IAM"})  # fmt: skip
    s.insert("stakeholder", {"name": "Works Council", "power": 4, "interest": 5, "attitude": "blocker",
                             "target_attitude": "neutral", "cadence_days": 14})  # fmt: skip
    s.insert("stakeholder", {"name": "Digital champions", "power": 2, "interest": 5, "attitude": "champion",
                             "cadence_days": 30})  # fmt: skip
    # CFO: 41 days ago (cadence 30: 11 d overdue). Champions: exactly 30 days ago (due today, not overdue).
    s.insert("engagement", {"stakeholder": "Robert Okafor", "date": "2026-10-15", "channel": "meeting"})
    s.insert("engagement", {"stakeholder": "Digital champions", "date": "2026-10-26", "channel": "workshop"})
    s.insert("communication", {"audience": "All staff", "message": "Newsletter", "next_due": "2026-11-27",
                               "frequency_days": 14, "owner": "Hannah Brooks"})  # fmt: skip
    s.insert("communication", {"audience": "Works Council", "message": "Consultation update",
                               "next_due": "2026-11-20"})  # fmt: skip
    s.close()
    return db_path


def _json(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> object:
    assert main(["--db", str(db), *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_list_stakeholder_json_has_the_computed_columns(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    rows = _json(capsys, db, "list", "stakeholder", "--json")
    assert isinstance(rows, list)
    by_name = {r["name"]: r for r in rows}
    cfo, council, champions = by_name["Robert Okafor"], by_name["Works Council"], by_name["Digital champions"]
    shown = (
        "quadrant",
        "attitude_gap",
        "risk",
        "last_engaged",
        "days_since_engaged",
        "overdue",
        "overdue_days",
    )
    assert {k: cfo[k] for k in shown} == {
        "quadrant": "Keep satisfied", "attitude_gap": 2, "risk": True, "last_engaged": "2026-10-15",
        "days_since_engaged": 41, "overdue": True, "overdue_days": 11,
    }  # fmt: skip
    assert cfo["projects"] == ["IAM"] and cfo["engagements"] == 1
    assert {k: council[k] for k in shown} == {
        "quadrant": "Manage closely", "attitude_gap": 2, "risk": True, "last_engaged": None,
        "days_since_engaged": None, "overdue": True, "overdue_days": None,  # never engaged
    }  # fmt: skip
    assert {k: champions[k] for k in shown} == {
        "quadrant": "Keep informed", "attitude_gap": None, "risk": False, "last_engaged": "2026-10-26",
        "days_since_engaged": 30, "overdue": False, "overdue_days": None,  # day 30 of 30: due, not overdue
    }  # fmt: skip


def test_quadrants_move_with_the_programme_thresholds(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert main(["--db", str(db), "set", "programme", "1", "power_threshold=5", "interest_threshold=2"]) == 0
    capsys.readouterr()
    rows = _json(capsys, db, "list", "stakeholder", "--json")
    assert isinstance(rows, list)
    assert {r["name"]: (r["quadrant"], r["risk"]) for r in rows} == {
        "Robert Okafor": ("Manage closely", True),  # power 5 ≥ 5, interest 2 ≥ 2
        "Works Council": ("Keep informed", False),  # power 4 is now low: not a risk
        "Digital champions": ("Keep informed", False),
    }


def test_list_communication_has_its_due_status(
    capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _json(capsys, db, "list", "communication", "--json")
    assert isinstance(rows, list)
    assert [(r["message"], r["due_status"], r["days_late"]) for r in rows] == [
        ("Newsletter", "this week", None),  # Friday 27th
        ("Consultation update", "overdue", 5),
    ]
    monkeypatch.setenv("COLUMNS", "160")  # the text table on a wide terminal: one line per stakeholder
    out = run_cli(capsys, db, ["list", "stakeholder"])[1]
    assert "quadrant" in out and "Keep satisfied" in out and out.endswith("3 stakeholder record(s)\n")


def test_stakeholders_command_text_and_json(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = run_cli(capsys, db, ["stakeholders"])
    assert (code, err) == (0, "")
    assert "Manage closely (1): Works Council" in out
    assert "Keep satisfied (1): Robert Okafor" in out
    assert "  - Works Council never engaged (cadence 14 d), no owner" in out
    assert (
        "  - Robert Okafor last engaged 41 d ago on 2026-10-15 (cadence 30 d, 11 d overdue), owner Margaret Hale"
        in out
    )
    assert "  - 2026-11-20, 5 d overdue: “Consultation update” to Works Council" in out
    data = _json(capsys, db, "stakeholders", "--json")
    assert isinstance(data, dict)
    assert data["thresholds"] == {"power": 3, "interest": 3}
    assert [s["name"] for s in data["overdue"]] == ["Works Council", "Robert Okafor"]
    assert [s["name"] for s in data["risks"]] == ["Robert Okafor", "Works Council"]
    assert [c["message"] for c in data["comms_due"]] == ["Consultation update", "Newsletter"]
    assert [c["days_late"] for c in data["comms_overdue"]] == [5]


def test_logging_an_engagement_clears_the_overdue(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    argv = ["add", "engagement", "stakeholder=works council", "date=2026-11-25", "channel=workshop",
            "summary=Analytics settings agreed", "next_action=Send minutes", "next_date=2026-11-27", "by=Hannah"]  # fmt: skip
    assert run_cli(capsys, db, argv)[:2] == (0, "3\n")
    rows = _json(capsys, db, "list", "stakeholder", "--json")
    assert isinstance(rows, list)
    council = next(r for r in rows if r["name"] == "Works Council")
    assert (council["last_engaged"], council["overdue"], council["days_since_engaged"]) == (
        "2026-11-25",
        False,
        0,
    )
    [_, _, engagement] = _json(capsys, db, "list", "engagement", "--json")  # type: ignore[misc]
    assert (engagement["stakeholder"], engagement["next_action"]) == ("Works Council", "Send minutes")
    # Deleting the stakeholder takes their engagements with it.
    assert run_cli(capsys, db, ["delete", "stakeholder", "Works Council"])[0] == 0
    assert [e["stakeholder"] for e in _json(capsys, db, "list", "engagement", "--json")] == [  # type: ignore[union-attr]
        "Robert Okafor",
        "Digital champions",
    ]


CASES: list[tuple[str, list[str], str]] = [
    ("power-6", ["add", "stakeholder", "name=X", "power=6", "interest=2"], "power must be at most 5"),
    ("interest-0", ["add", "stakeholder", "name=X", "power=2", "interest=0"], "interest must be at least 1"),
    ("no-power", ["add", "stakeholder", "name=X", "interest=2"], "power is required"),
    ("attitude", ["add", "stakeholder", "name=X", "power=2", "interest=2", "attitude=grumpy"],
     "attitude must be one of: blocker, critic, neutral, supporter, champion"),
    ("target", ["add", "stakeholder", "name=X", "power=2", "interest=2", "target_attitude=fan"],
     "target_attitude must be one of"),
    ("cadence-0", ["add", "stakeholder", "name=X", "power=2", "interest=2", "cadence_days=0"],
     "cadence_days must be at least 1"),
    ("duplicate", ["add", "stakeholder", "name=works COUNCIL", "power=2", "interest=2"], "already exists"),
    ("set-power-6", ["set", "stakeholder", "Robert Okafor", "power=6"], "power must be at most 5"),
    ("engagement-unknown", ["add", "engagement", "stakeholder=Nobody", "date=2026-11-20"],
     "unknown stakeholder 'Nobody'"),
    ("engagement-channel", ["add", "engagement", "stakeholder=Works Council", "date=2026-11-20", "channel=pigeon"],
     "channel must be one of"),
    ("engagement-no-date", ["add", "engagement", "stakeholder=Works Council"], "date is required"),
    ("engagement-next-before", ["add", "engagement", "stakeholder=Works Council", "date=2026-11-20",
                                "next_date=2026-11-19"], "next_date"),
    ("comms-no-message", ["add", "communication", "audience=All staff"], "message is required"),
    ("comms-frequency", ["add", "communication", "audience=All", "message=m", "frequency_days=400"],
     "frequency_days must be at most 365"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_one_line_exit_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, argv: list[str], phrase: str
) -> None:
    before = fingerprint(db)
    code, out, err = run_cli(capsys, db, argv)
    assert_one_clear_error(code, err, phrase)
    assert out == "" and fingerprint(db) == before
