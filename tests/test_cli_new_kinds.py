"""`pgmtui add/set/list/delete/check` on the second wave's kinds: references typed by name, code,
CODE:name and KIND:ID, `list --json` showing them beside the ids, and bad input refused with one
line on stderr, exit 2 and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgmtui.cli import main
from pgmtui.store import Store
from pgmtui.store.schema import SCHEMA_VERSION
from tests.reliability.corpus import fingerprint
from tests.reliability.test_bad_input import assert_one_clear_error, run_cli
from tests.second_wave import add_wave_base


@pytest.fixture
def db(small_programme: Store, db_path: Path) -> Path:
    add_wave_base(small_programme)
    small_programme.insert("person", {"name": "Asha Patel"})
    small_programme.close()
    return db_path


def _json(capsys: pytest.CaptureFixture[str], db: Path, kind: str) -> list[dict]:
    assert main(["--db", str(db), "list", kind, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _ok(capsys: pytest.CaptureFixture[str], db: Path, argv: list[str]) -> str:
    code, out, err = run_cli(capsys, db, argv)
    assert (code, err) == (0, ""), err
    return out


def test_people_and_allocations_through_the_cli(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert _ok(capsys, db, ["add", "person", "name=Ben Okafor", "role=Architect", "capacity_pct=80"]) == "2\n"
    argv = ["add", "allocation", "person=ben OKAFOR", "project=IAM", "milestone=IAM:Gate 1",
            "start_date=2026-11-23", "end_date=2026-12-18", "percent=50"]  # fmt: skip
    assert _ok(capsys, db, argv) == "1\n"
    [allocation] = _json(capsys, db, "allocation")
    shown = (
        "person",
        "person_id",
        "project",
        "project_id",
        "milestone",
        "milestone_id",
        "percent",
        "version",
    )
    assert {k: allocation[k] for k in shown} == {
        "person": "Ben Okafor", "person_id": 2, "project": "IAM", "project_id": 1,
        "milestone": "IAM:Gate 1", "milestone_id": 2, "percent": 50.0, "version": 1,
    }  # fmt: skip
    assert _ok(capsys, db, ["set", "person", "BEN OKAFOR", "team=Platform"]) == "person 2 version 2\n"
    assert _ok(capsys, db, ["list", "allocation"]).splitlines()[1].split()[:4] == [
        "1",
        "Ben",
        "Okafor",
        "IAM",
    ]
    assert _ok(capsys, db, ["delete", "person", "Ben Okafor"]) == "person Ben Okafor deleted\n"
    assert _json(capsys, db, "allocation") == []


def test_actions_lessons_and_stakeholders_show_their_links_by_name(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    _ok(
        capsys,
        db,
        ["add", "action", "title=Chase the DPIA", "about=milestone:IAM:Gate 1", "due_date=2026-11-27"],
    )
    _ok(capsys, db, ["add", "lesson", "title=Book early", "source=action:1", "project=CLD"])
    _ok(capsys, db, ["add", "stakeholder", "name=CFO", "power=5", "interest=2", "projects=IAM,CLD"])
    _ok(capsys, db, ["add", "business_case", "horizon_years=10"])
    [action] = _json(capsys, db, "action")
    assert (action["about"], action["about_label"], action["status"], action["done_date"]) == (
        "milestone:2", "milestone:IAM:Gate 1", "open", None,
    )  # fmt: skip
    [lesson] = _json(capsys, db, "lesson")
    assert (lesson["source_label"], lesson["project"], lesson["date"]) == ("action:1", "CLD", "2026-11-25")
    [stakeholder] = _json(capsys, db, "stakeholder")
    assert stakeholder["projects"] == ["IAM", "CLD"] and stakeholder["attitude"] == "neutral"
    [case] = _json(capsys, db, "business_case")
    assert (case["project"], case["case"], case["horizon_years"]) == (None, "programme", 10)
    assert _ok(capsys, db, ["set", "action", "1", "status=done"]) == "action 1 version 2\n"
    assert _json(capsys, db, "action")[0]["done_date"] == "2026-11-25"
    table = _ok(capsys, db, ["list", "action"])
    assert table.startswith("id ") and table.endswith("\n1 action record(s)\n")
    assert _ok(capsys, db, ["check"]).endswith(f": ok (schema {SCHEMA_VERSION})\n")


def test_every_new_kind_lists_with_its_summary_columns(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    from pgmtui.records.fields import SECOND_WAVE

    for kind in SECOND_WAVE:
        out = _ok(capsys, db, ["list", kind.name])
        assert out.endswith(f"\n{1 if kind.name == 'person' else 0} {kind.name} record(s)\n"), out
        assert _json(capsys, db, kind.name) == ([] if kind.name != "person" else _json(capsys, db, "person"))


CASES: list[tuple[str, list[str], str]] = [
    ("person-capacity", ["add", "person", "name=X", "capacity_pct=150"], "capacity_pct must be at most 100"),
    ("person-email", ["add", "person", "name=X", "email=x at example.org"], "email must be one address"),
    ("allocation-unknown-person", ["add", "allocation", "person=Nobody", "project=IAM", "start_date=2026-12-01",
                                   "end_date=2026-12-02", "percent=10"], "unknown person 'Nobody'"),
    ("allocation-unknown-project", ["add", "allocation", "person=#1", "project=NOPE", "start_date=2026-12-01",
                                    "end_date=2026-12-02", "percent=10"], "unknown project code 'NOPE'"),
    ("allocation-percent", ["add", "allocation", "project=IAM", "start_date=2026-12-01", "end_date=2026-12-02",
                            "percent=0"], "percent must be at least 1"),
    ("cost-month", ["add", "cost", "project=IAM", "month=2027-03-01"], "month must be YYYY-MM"),
    ("cr-days", ["add", "change_request", "project=IAM", "title=t", "schedule_impact_days=9999"], "at most 3650"),
    ("objective-unknown", ["add", "contribution", "objective=NOPE", "project=IAM", "strength=2"],
     "unknown objective code 'NOPE'"),
    ("strength-4", ["add", "contribution", "objective=NOPE", "project=IAM", "strength=4"], "strength must be at most 3"),
    ("outcome", ["add", "gate_review", "milestone=IAM:Gate 1", "review_date=2026-12-01", "outcome=approved"],
     "outcome must be one of: pending, go, conditional, hold, stop"),
    ("not-a-gate", ["add", "gate_review", "milestone=IAM:Design", "review_date=2026-12-01"],
     "IAM:Design is not a stage gate (set is_gate=yes on the milestone first)"),
    ("power-6", ["add", "stakeholder", "name=X", "power=6", "interest=2"], "power must be at most 5"),
    ("attitude", ["add", "stakeholder", "name=X", "power=2", "interest=2", "attitude=grumpy"],
     "attitude must be one of: blocker, critic, neutral, supporter, champion"),
    ("engagement-unknown", ["add", "engagement", "stakeholder=Nobody", "date=2026-11-20"],
     "unknown stakeholder 'Nobody'"),
    ("about-99", ["add", "action", "title=t", "about=issue:99"], "about: no issue with id 99"),
    ("about-kind", ["add", "action", "title=t", "about=ticket:1"], "about: unknown kind 'ticket'"),
    ("set-unknown-person", ["set", "person", "Nobody", "team=x"], "unknown person 'Nobody'"),
    ("set-action-by-title", ["set", "action", "Chase", "status=done"], "an action is given by its id"),
    ("delete-unknown-stakeholder", ["delete", "stakeholder", "Nobody"], "unknown stakeholder 'Nobody'"),
    ("set-lookahead", ["set", "programme", "1", "resource_lookahead_weeks=0"], "at least 1"),
    ("set-contingency", ["set", "project", "IAM", "contingency=-1"], "contingency must be at least 0"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_one_line_exit_2_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], db: Path, argv: list[str], phrase: str
) -> None:
    before = fingerprint(db)
    code, out, err = run_cli(capsys, db, argv)
    assert_one_clear_error(code, err, phrase)
    assert out == "" and fingerprint(db) == before
