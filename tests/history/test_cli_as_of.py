"""`pgmtui --as-of DATE|DATETIME COMMAND`: every read command answers as the database stood then;
every command that writes is refused (exit 2, one line, nothing written)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pendulum
import pytest

from pgmtui.cli import main
from pgmtui.cli.base import COMMANDS
from pgmtui.services import rollup_with_implied
from pgmtui.store import Store
from tests.history.conftest import build_demo_db

# One invocation of each read command (a command added to the CLI must be added here: the test
# below fails until it is, so --as-of is known to work for it).
READ_COMMANDS: dict[str, list[str]] = {
    "list": ["list", "risk", "--json"],
    "rollup": ["rollup", "--json"],
    "critical-path": ["critical-path", "--json"],
    "standup": ["standup", "--json"],
    "report": ["report", "--format", "json"],
    "export": ["export", "{tmp}/export", "--format", "json"],
    "check": ["check"],
    "trend": ["trend", "--weeks", "3", "--json"],
    "stakeholders": ["stakeholders", "--json"],
    "finance": ["finance", "--json"],
    "review": ["review", "--format", "json"],
    "actions": ["actions", "--json"],
    "capacity": ["capacity", "--json"],
    "alignment": ["alignment", "--json"],
    "business-case": ["business-case", "--json"],
    "gate": ["gate", "DAT:Gate 2 – DPIA and design approved", "--json"],
}
LIVE_ONLY = {"serve"}
# A write for each command that writes (all refused before anything is opened).
WRITE_COMMANDS: dict[str, list[str]] = {
    "add": ["add", "risk", "title=x", "probability=1", "impact=1"],
    "set": ["set", "project", "IAM", "name=x"],
    "delete": ["delete", "project", "IAM"],
    "import": ["import", "{tmp}/nothing.json"],
    "undo": ["undo"],
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_command_is_known_to_work_as_of() -> None:
    for name, cmd in COMMANDS.items():
        known = READ_COMMANDS if not cmd.writes else WRITE_COMMANDS
        assert name in known or name in LIVE_ONLY, f"add `{name}` to this test's command lists"


@pytest.mark.parametrize("name", sorted(READ_COMMANDS))
def test_read_commands_answer_as_of(name: str, demo_db: Path, tmp_path: Path, capsys) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in READ_COMMANDS[name]]
    before = _digest(demo_db)
    assert main(["--db", str(demo_db), "--as-of", "2026-11-13", *argv]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert _digest(demo_db) == before  # nothing written to the live database
    if "--json" in argv or name == "report":
        data = json.loads(out)
        if isinstance(data, dict) and (today := data.get("today") or data.get("date")):
            assert today == "2026-11-13"  # "today" is the instant's date


def test_rollup_as_of_is_the_rollup_of_the_history_replayed(demo_db: Path, tmp_path: Path, capsys) -> None:
    # Last Friday's end (UTC machine): the replayed database has nothing written after it.
    replayed = build_demo_db(
        tmp_path / "replayed.db", until=pendulum.datetime(2026, 11, 20, 23, 59, 59, tz="UTC")
    )
    # `rollup --json` is the rollup with each project's implied forecast added.
    expected = rollup_with_implied(replayed, pendulum.Date(2026, 11, 20))
    replayed.close()
    assert main(["--db", str(demo_db), "--as-of", "2026-11-20", "rollup", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(expected))
    # The live rollup differs: IAM's forecast moved since (the stand-up's changes).
    assert main(["--db", str(demo_db), "rollup", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) != json.loads(json.dumps(expected))


def test_list_as_of_shows_a_deleted_record(demo_db: Path, capsys) -> None:
    title = "MFA enrolment overloads the service desk"  # deleted on Thu 12 Nov as a duplicate
    assert main(["--db", str(demo_db), "list", "risk", "--json"]) == 0
    assert title not in {r["title"] for r in json.loads(capsys.readouterr().out)}
    assert main(["--db", str(demo_db), "--as-of", "2026-11-11T17:00", "list", "risk", "--json"]) == 0
    assert title in {r["title"] for r in json.loads(capsys.readouterr().out)}


@pytest.mark.parametrize("name", sorted(WRITE_COMMANDS) + ["demo"])
def test_writes_are_refused_as_of(name: str, demo_db: Path, tmp_path: Path, capsys) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in WRITE_COMMANDS.get(name, ["demo", "--force"])]
    (tmp_path / "nothing.json").write_text("{}")
    with Store.open(demo_db, read_only=True) as s:
        audit = s.audit_count()
    before = _digest(demo_db)
    assert main(["--db", str(demo_db), "--as-of", "2026-11-13", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"pgmtui: error: `{name}` changes the database")
    assert "nothing can be written into the past" in err[0]
    assert _digest(demo_db) == before
    with Store.open(demo_db, read_only=True) as s:
        assert s.audit_count() == audit


@pytest.mark.parametrize(
    ("as_of", "phrase"),
    [
        ("last friday", "--as-of needs a date YYYY-MM-DD"),
        ("2026-02-30", "is not a real date"),
        ("2026-11-26", "is after today (2026-11-25)"),
        ("2026-01-01", "history begins on 2026-08-27"),
    ],
)
def test_bad_as_of_is_one_line(as_of: str, phrase: str, demo_db: Path, capsys) -> None:
    assert main(["--db", str(demo_db), "--as-of", as_of, "rollup"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and phrase in err


def test_serve_and_the_dashboard(demo_db: Path, capsys) -> None:
    assert main(["--db", str(demo_db), "--as-of", "2026-11-13", "serve"]) == 2
    assert "press T in a session" in capsys.readouterr().err
    # The dashboard refuses a moment before the history before it starts (exit 2, no app).
    assert main(["--db", str(demo_db), "--as-of", "2026-01-01"]) == 2
    assert "history begins on 2026-08-27" in capsys.readouterr().err


def test_the_clock_is_restored_after_a_command(demo_db: Path, capsys) -> None:
    import os

    assert main(["--db", str(demo_db), "--as-of", "2026-11-13", "rollup"]) == 0
    capsys.readouterr()
    assert os.environ["PGMTUI_TODAY"] == "2026-11-25"
