"""The defects of the hostile review (issue 21), each reproduced as it was reported and now refused.

User names as terminal escapes, a failed import deleting someone else's database, all-digit codes
read as ids, spreadsheet formulas in CSV exports, output files written through planted links or
with the umask's mode, NaN in JSON. Disk-full, I/O errors and lock waits are in test_disk_faults.py;
one-line refusals of bad command lines and files are in the corpus (test_bad_input.py).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import pwd
import re
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pgmtui.cli import main
from pgmtui.exchange import EXPORT_TABLES
from pgmtui.records.errors import NotFoundError, ValidationError
from pgmtui.store import Store
from tests.privileges import as_user

SRC = Path(__file__).resolve().parents[2] / "src"
# The review's payloads: an OSC 52 clipboard write (ESC-terminated and BEL-terminated), a screen
# clear, and a newline that would fake a line of output.
HOSTILE_USER = "x\x1b]52;c;UFdORUQ=\x1b\\y\x07\x1b[2J\nz"
SHOWN_USER = "x␛]52;c;UFdORUQ=␛\\y␇␛[2J␊z"


def cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def no_escapes(text: str) -> bool:
    return not any(c in text for c in "\x1b\x07\x9b\u202e")


# ---------------------------------------------------------------------- 1. user names


def test_audit_user_is_the_os_account_not_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", HOSTILE_USER)
    monkeypatch.setenv("LOGNAME", HOSTILE_USER)
    db = tmp_path / "p.db"
    assert cli(["--db", str(db), "add", "programme", "name=P"])[0] == 0
    with Store.open(db) as s:
        account = pwd.getpwuid(os.getuid()).pw_name
        assert {a["user"] for a in s.audit()} == {account}
        assert s.programme()["updated_by"] == account


def test_without_a_passwd_entry_the_environment_name_is_cleaned() -> None:
    """In a container the uid may have no passwd entry: then $LOGNAME/$USER is used, cleaned to
    printable characters on one line (at most 64), else the uid."""
    from pgmtui.store.db import os_user

    def names() -> str:
        assert os.getuid() == 4242
        os.environ["LOGNAME"] = HOSTILE_USER
        hostile = os_user()
        os.environ["LOGNAME"] = "a" * 200
        long = os_user()
        del os.environ["LOGNAME"]
        os.environ.pop("USER", None)
        return json.dumps([hostile, long, os_user()])

    result = as_user(names, uid=4242, gid=4242)
    assert not result.startswith("child failed"), result
    hostile, long, none = json.loads(result)
    assert hostile == "x]52;c;UFdORUQ=\\y[2Jz"  # control characters (the newline too) dropped
    assert long == "a" * 64
    assert none == "uid4242"


def _hostile_write_by_another_tool(db: Path) -> int:
    """Another tool (plain sqlite3) re-scores risk 1 as a hostile user, audit row included; today."""
    conn = sqlite3.connect(db)
    rid, probability = conn.execute("SELECT id, probability FROM risk ORDER BY id LIMIT 1").fetchone()
    new = 5 if probability != 5 else 4
    ts = "2026-11-25T08:00:00.000000Z"
    conn.execute(
        "UPDATE risk SET probability = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
        (new, ts, HOSTILE_USER, rid),
    )
    conn.execute(
        "INSERT INTO audit (ts, user, tbl, row_id, action, changes) VALUES (?, ?, 'risk', ?, 'update', ?)",
        (ts, HOSTILE_USER, rid, json.dumps({"probability": [probability, new]})),
    )
    conn.commit()
    conn.close()
    return rid


def test_hostile_user_names_in_the_database_print_literally_everywhere(demo_db: Path) -> None:
    rid = _hostile_write_by_another_tool(demo_db)
    db = ["--db", str(demo_db)]
    code, out, err = cli([*db, "standup"])
    assert code == 0, err
    assert no_escapes(out) and SHOWN_USER in out  # the change line's "who" and the per-user summary
    for fmt in ("md", "html", "json"):
        code, out, err = cli([*db, "report", "--format", fmt])
        assert code == 0 and no_escapes(out), fmt
    code, out, err = cli([*db, "standup", "--json"])
    assert code == 0 and no_escapes(out)
    # A stale edit is refused naming who changed the row: the name is shown, not obeyed.
    code, out, err = cli([*db, "set", "risk", str(rid), "title=x", "--expect-version", "1"])
    assert code == 2 and "was changed by x␛]52;c;UFdORUQ=␛\\y␇␛[2J z" in err and no_escapes(err)


def test_risk_history_and_project_changes_show_hostile_names_literally(demo_db: Path) -> None:
    from pgmtui.domain.riskmap import score_history
    from pgmtui.screens.portfolio.view import describe_change
    from pgmtui.screens.risks.view import history_text
    from pgmtui.services import audit_for, audit_rows

    rid = _hostile_write_by_another_tool(demo_db)
    with Store.open(demo_db) as store:
        risk = store.get("risk", rid)
        history = history_text(score_history(risk, audit_rows(store, table="risk", row_id=rid))).plain
        changes = audit_for(store, {"risk": [rid]}, limit=5)
    assert SHOWN_USER in history and no_escapes(history)
    line = describe_change(changes[0], {}).plain
    assert SHOWN_USER in line and no_escapes(line)


async def test_standup_screen_and_form_banner_show_hostile_names_literally(demo_db: Path) -> None:
    from pgmtui.app import PgmApp
    from pgmtui.screens.forms import RecordForm
    from tests.ui.helpers import screen_text, wait_for_model, wait_until

    app = PgmApp(demo_db, poll_seconds=0.05)
    # Tall: the stand-up puts what needs attention first; what changed (naming users) follows it.
    async with app.run_test(size=(160, 160)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("e")  # edit the selected project
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the project form")
        form = app.screen
        conn = sqlite3.connect(demo_db)  # another tool changes the row under the open form
        conn.execute(
            "UPDATE project SET version = version + 1, updated_by = ? WHERE id = ?",
            (HOSTILE_USER, form.record_id),
        )
        conn.commit()
        conn.close()
        await wait_until(pilot, lambda: "Changed by" in screen_text(pilot), what="the changed-by banner")
        assert "Changed by x␛]52;c;UFdORUQ=␛\\y␇␛[2J␊z" in screen_text(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, RecordForm), what="the form closed")
        _hostile_write_by_another_tool(demo_db)
        await pilot.press("5")
        await wait_until(pilot, lambda: SHOWN_USER in screen_text(pilot), what="the stand-up naming the user")
        assert no_escapes(screen_text(pilot))


# ---------------------------------------------------------------------- 2. import into a new path


def _risk_sheet(path: Path, rows: int, bad_row: int | None = None) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["title", "probability", "impact"])
        for i in range(rows):
            w.writerow([f"risk {i}", 9 if i == bad_row else 3, 2])
    return path


def _other_process_adds_a_programme(db: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-m", "pgmtui", "--db", str(db), "add", "programme", "name=Theirs"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr


def _theirs_is_intact(db: Path) -> None:
    with Store.open(db) as s:
        assert s.programme()["name"] == "Theirs"
        assert s.count("risk") == 0
        assert s.integrity_problems() == []


@pytest.mark.parametrize("bad_row", [4, None], ids=["import-fails", "import-succeeds"])
def test_an_import_into_a_new_path_never_removes_a_database_another_process_created_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad_row: int | None
) -> None:
    """The review's race, made deterministic: while our import runs (inside import_path), a real
    second process creates race.db and writes a programme to it. Whether our import then fails (a
    bad row) or succeeds, race.db keeps their programme, and our temporary file is gone."""
    import pgmtui.exchange as exchange

    race = tmp_path / "race.db"
    sheet = _risk_sheet(tmp_path / "risks.csv", 10, bad_row)
    real_import = exchange.import_path

    def import_while_another_process_writes(store: Store, path: Path, options=None):
        _other_process_adds_a_programme(race)
        return real_import(store, path, options)

    monkeypatch.setattr(exchange, "import_path", import_while_another_process_writes)
    code, out, err = cli(["--db", str(race), "import", str(sheet)])
    assert code == 2 and out == "", err
    expected = "import refused, nothing written" if bad_row is not None else "created by another process"
    assert expected in err.splitlines()[-1]
    _theirs_is_intact(race)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.db", "risks.csv"]


def test_an_import_into_a_new_path_races_a_real_writer(tmp_path: Path) -> None:
    """As reported: a long import with one bad row into a new path, and meanwhile `add programme`
    into the same path from another process (exit 0). Afterwards their database is still there."""
    race = tmp_path / "race.db"
    sheet = _risk_sheet(tmp_path / "risks.csv", 20_000, bad_row=19_990)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    importer = subprocess.Popen(
        [sys.executable, "-m", "pgmtui", "--db", str(race), "import", str(sheet)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while not any(p.name.startswith(".race.db.import-") for p in tmp_path.iterdir()):
            assert importer.poll() is None, importer.communicate()
            time.sleep(0.01)
        _other_process_adds_a_programme(race)
        _, err = importer.communicate(timeout=120)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == 2 and "risks.csv:19992: probability must be at most 5" in err
    _theirs_is_intact(race)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.db", "risks.csv"]


def test_an_import_into_a_new_path_appears_whole_and_private(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    sheet = _risk_sheet(tmp_path / "risks.csv", 25)
    code, out, err = cli(["--db", str(db), "import", str(sheet)])
    assert code == 0 and "imported 25 risk" in out, err
    assert mode(db) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db", "risks.csv"]  # no -wal, no temp
    with Store.open(db) as s:
        assert s.count("risk") == 25 and s.integrity_problems() == []
    shared = tmp_path / "shared.db"
    assert cli(["--shared", "--db", str(shared), "import", str(sheet)])[0] == 0
    assert mode(shared) == 0o660


def test_a_failed_import_into_a_new_path_leaves_nothing(tmp_path: Path) -> None:
    sheet = _risk_sheet(tmp_path / "risks.csv", 10, bad_row=3)
    code, _, err = cli(["--db", str(tmp_path / "new.db"), "import", str(sheet)])
    assert code == 2 and "risks.csv:5: probability must be at most 5" in err
    assert [p.name for p in tmp_path.iterdir()] == ["risks.csv"]


def test_sigkill_during_an_import_into_a_new_path_never_leaves_a_half_database(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    sheet = _risk_sheet(tmp_path / "risks.csv", 20_000)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    importer = subprocess.Popen(
        [sys.executable, "-m", "pgmtui", "--db", str(db), "import", str(sheet)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while not any(p.name.endswith(".tmp-wal") for p in tmp_path.iterdir()):  # writing rows
        assert importer.poll() is None
        time.sleep(0.01)
    importer.kill()
    importer.wait()
    assert not db.exists()  # the real name only ever holds a whole import
    code, out, _ = cli(["--db", str(db), "import", str(sheet)])
    assert code == 0 and "imported 20000 risk" in out


# ---------------------------------------------------------------------- 3. references


@pytest.fixture
def digit_codes(store: Store) -> Store:
    store.insert("programme", {"name": "P"})
    for code in ("IAM", "CLD", "2", "77"):  # ids 1, 2, 3, 4: "2" is CLD's id and project 3's code
        store.insert("project", {"code": code, "name": f"Project {code}"})
    return store


def test_an_all_digit_reference_naming_two_projects_is_refused(digit_codes: Store) -> None:
    s = digit_codes
    with pytest.raises(NotFoundError, match=r"'2' is ambiguous.*'CLD'.*id:3.*write id:2 .* or code:2"):
        s.delete("project", "2")
    with pytest.raises(ValidationError, match="ambiguous"):
        s.insert("risk", {"project": "2", "title": "t", "probability": 1, "impact": 1})
    assert s.count("project") == 4  # the review's `delete project 2` deleted CLD and its dependants


def test_explicit_forms_name_one_project(digit_codes: Store) -> None:
    s = digit_codes
    assert [s.get("project", ref)["code"] for ref in ("id:2", "#2", "ID: 2", "code:2")] == [
        "CLD",
        "CLD",
        "CLD",
        "2",
    ]
    assert s.get("project", "77")["id"] == 4  # no project has id 77: the code
    assert s.get("project", "1")["code"] == "IAM"  # no project has code "1": the id
    assert s.get("project", 2)["code"] == "CLD"  # a Python int is always an id
    rid = s.insert("risk", {"project": "code:2", "title": "t", "probability": 1, "impact": 1})
    assert s.get("risk", rid)["project_id"] == 3
    with pytest.raises(NotFoundError, match="no project with id 9"):
        s.get("project", "id:9")
    with pytest.raises(NotFoundError, match="unknown project code '9'"):
        s.get("project", "code:9")


def test_a_project_whose_code_is_its_own_id_is_not_ambiguous(store: Store) -> None:
    store.insert("programme", {"name": "P"})
    store.insert("project", {"code": "1", "name": "One"})
    assert store.update("project", "1", {"name": "Uno"})["name"] == "Uno"


def test_kinds_without_codes_take_ids_as_before(
    digit_codes: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    s = digit_codes
    rid = s.insert("risk", {"project": "IAM", "title": "t", "probability": 1, "impact": 1})
    assert s.update("risk", str(rid), {"probability": 2})["probability"] == 2  # `set risk 66 …`
    assert s.update("risk", f"id:{rid}", {"probability": 3})["probability"] == 3
    for bad in ("first", "²", "١", "-1", "1.0"):
        with pytest.raises(NotFoundError, match="given by its id"):
            s.get("risk", bad)


def test_milestones_and_benefits_named_with_digits(digit_codes: Store) -> None:
    s = digit_codes
    m1 = s.insert("milestone", {"project": "IAM", "name": "Design"})
    m2 = s.insert("milestone", {"project": "CLD", "name": str(m1)})  # a milestone named "1"
    with pytest.raises(ValidationError, match=rf"'{m1}' is ambiguous.*CODE:name"):
        s.insert("dependency", {"supplier": str(m1), "consumer": "CLD:Build"})
    dep = s.insert("dependency", {"supplier": f"id:{m1}", "consumer": f"CLD:{m1}"})
    assert s.get("dependency", dep)["supplier_id"] == m1 and s.get("dependency", dep)["consumer_id"] == m2
    b1 = s.insert("benefit", {"name": "Savings", "baseline_value": 0, "target_value": 1})
    b2 = s.insert("benefit", {"name": str(b1), "baseline_value": 0, "target_value": 1})
    with pytest.raises(ValidationError, match=rf"ambiguous.*id:{b2}"):
        s.insert("measurement", {"benefit": str(b1), "date": "2026-11-01", "value": 1})
    mid = s.insert("measurement", {"benefit": f"#{b2}", "date": "2026-11-01", "value": 1})
    assert s.get("measurement", mid)["benefit_id"] == b2


def test_cli_delete_of_an_ambiguous_project_deletes_nothing(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "p.db")]
    assert cli([*db, "add", "programme", "name=P"])[0] == 0
    for code in ("IAM", "CLD"):
        assert cli([*db, "add", "project", f"code={code}", "name=x"])[0] == 0
    assert cli([*db, "add", "milestone", "project=CLD", "name=M"])[0] == 0
    assert cli([*db, "add", "project", "code=2", "name=Two"])[0] == 0
    code, _, err = cli([*db, "delete", "project", "2"])
    assert code == 2 and "ambiguous" in err
    code, out, _ = cli([*db, "delete", "project", "code:2"])
    assert code == 0
    code, out, _ = cli([*db, "list", "project", "--json"])
    assert [p["code"] for p in json.loads(out)] == ["IAM", "CLD"]


# ---------------------------------------------------------------------- 4. formulas in CSV exports

FORMULA_TEXTS = [  # as stored (the store refuses CR, so "\r=1" is only in the rule's own test)
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "'already quoted",
    "''two",
    "'",
    "-",
    "plain = text",
]


def test_formula_rule_round_trips_every_text() -> None:
    from pgmtui.formulas import formula_safe, from_formula_safe, is_formula_like

    for text in [*FORMULA_TEXTS, "\r=1", "", "Nothing to see", "2026-11-25"]:
        cell = formula_safe(text)
        assert not is_formula_like(cell)  # a spreadsheet reads the cell as text
        assert from_formula_safe(cell) == text


def test_csv_export_never_writes_a_formula_and_the_round_trip_is_byte_identical(
    store: Store, tmp_path: Path
) -> None:
    store.insert("programme", {"name": "=cmd|' /C calc'!A0"})
    store.insert(
        "project", {"code": "IAM", "name": "@evil", "manager": "-", "status_note": "+44 20 7946 0000"}
    )
    store.insert("milestone", {"project": "IAM", "name": "Design", "forecast_date": "2026-12-01"})
    store.insert("milestone", {"project": "IAM", "name": "Build", "forecast_date": "2027-01-01"})
    store.insert("dependency", {"supplier": "IAM:Design", "consumer": "IAM:Build", "lag_days": -5})
    for n, text in enumerate(FORMULA_TEXTS):
        store.insert(
            "risk",
            {
                "title": f"r{n}",
                "owner": text.strip("\t\r") or "x",
                "cause": text,
                "probability": 1,
                "impact": 1,
            },
        )
    first = tmp_path / "first"
    assert cli(["--db", str(store.path), "export", str(first)])[0] == 0
    for table_csv in first.glob("*.csv"):
        for row in csv.reader(table_csv.open(newline="")):
            for cell in row:
                assert cell[:1] not in ("=", "+", "@", "\t", "\r"), (table_csv.name, cell)
                assert cell[:1] != "-" or cell.lstrip("-").replace(".", "").isdigit(), (table_csv.name, cell)
    dep = next(csv.DictReader((first / "dependency.csv").open(newline="")))
    assert dep["lag_days"] == "-5"  # a number in a numeric field stays a number
    risks = list(csv.DictReader((first / "risk.csv").open(newline="")))
    assert [r["cause"] for r in risks] == ["'" + t if t[:1] in "=+-@\t\r'" else t for t in FORMULA_TEXTS]
    copy = tmp_path / "copy.db"
    assert cli(["--db", str(copy), "import", str(first)])[0] == 0
    with Store.open(copy) as s:
        assert [r["cause"] for r in s.rows("risk")] == FORMULA_TEXTS  # the apostrophes came off again
    second = tmp_path / "second"
    assert cli(["--db", str(copy), "export", str(second)])[0] == 0
    for table_csv in sorted(first.glob("*.csv")):
        assert table_csv.read_bytes() == (second / table_csv.name).read_bytes(), table_csv.name


# ---------------------------------------------------------------------- 5. database paths


def test_a_database_name_with_uri_characters_is_the_file_opened(tmp_path: Path) -> None:
    """SQLite URIs (the read-only peek and read-only opens) treat `?`, `#` and `%` specially: a
    file named `plan?mode=memory#1%.db` must be that file, never `plan` or an in-memory database."""
    db = tmp_path / "plan?mode=memory#1%.db"
    assert cli(["--db", str(db), "add", "programme", "name=P"])[0] == 0
    assert cli(["--db", str(db), "add", "project", "code=IAM", "name=x"])[0] == 0
    with Store.open(db, read_only=True) as s:
        assert s.count("project") == 1
    assert all(p.name.startswith(db.name) for p in tmp_path.iterdir())  # its -wal/-shm, nothing else


def test_a_link_to_an_existing_database_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.db"
    assert cli(["--db", str(real), "add", "programme", "name=P"])[0] == 0
    link = tmp_path / "link.db"
    link.symlink_to(real)
    code, out, _ = cli(["--db", str(link), "add", "project", "code=IAM", "name=x"])
    assert code == 0 and link.is_symlink()
    with Store.open(real) as s:
        assert s.count("project") == 1


# ---------------------------------------------------------------------- 6 and 8. output files


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_report_out_never_writes_through_a_planted_link(demo_db: Path, tmp_path: Path, umask_022) -> None:
    """A group member plants links in a shared folder: the old fixed temporary name and the report's
    own name, both pointing at a file of ours. Neither file is touched; the report is a new file."""
    folder = tmp_path / "shared"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (folder / ".rep.html.tmp").symlink_to(victim)
    (folder / "rep.html").symlink_to(victim)
    code, out, err = cli(
        ["--db", str(demo_db), "report", "--format", "html", "--out", str(folder / "rep.html")]
    )
    assert code == 0, err
    assert victim.read_text() == "precious"
    report = folder / "rep.html"
    assert not report.is_symlink() and report.read_text().startswith("<!DOCTYPE html>")
    assert mode(report) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [".rep.html.tmp", "rep.html"]  # no temp left


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077], ids=["umask000", "umask022", "umask077"])
def test_outputs_of_a_private_database_are_private(demo_db: Path, tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        report = tmp_path / "r.md"
        report.write_text("old")
        os.chmod(report, 0o644)  # overwriting a world-readable report makes it private
        assert cli(["--db", str(demo_db), "report", "--out", str(report)])[0] == 0
        csv_dir = tmp_path / "csv" / "nested"
        assert cli(["--db", str(demo_db), "export", str(tmp_path / "csv")])[0] == 0
        assert cli(["--db", str(demo_db), "export", str(csv_dir), "--format", "json"])[0] == 0
        json_file = tmp_path / "one.json"
        assert cli(["--db", str(demo_db), "export", str(json_file), "--format", "json"])[0] == 0
    finally:
        os.umask(old)
    assert mode(report) == 0o600
    assert mode(tmp_path / "csv") == 0o700 and mode(csv_dir) == 0o700
    files = [*(tmp_path / "csv").glob("*.csv"), csv_dir / "pgmtui-export.json", json_file]

    assert len(files) == len(EXPORT_TABLES) + 2 and {mode(f) for f in files} == {0o600}  # audit.csv included
    assert not list(tmp_path.rglob(".*.tmp"))


def test_outputs_with_shared_are_group_readable_never_world(demo_db: Path, tmp_path: Path, umask_022) -> None:
    assert cli(["--shared", "--db", str(demo_db), "report", "--out", str(tmp_path / "r.html")])[0] == 0
    assert cli(["--shared", "--db", str(demo_db), "export", str(tmp_path / "csv")])[0] == 0
    assert mode(tmp_path / "r.html") == 0o660
    assert mode(tmp_path / "csv") == 0o770
    assert {mode(f) for f in (tmp_path / "csv").glob("*.csv")} == {0o660}


async def test_the_standup_screen_writes_a_private_report(demo_db: Path, tmp_path: Path, umask_022) -> None:
    import pendulum

    from pgmtui.app import PgmApp
    from tests.ui.helpers import wait_for_model, wait_until

    app = PgmApp(demo_db, poll_seconds=0.05)
    report = Path(os.environ["PGMTUI_REPORT_DIR"]) / f"highlight-report-{pendulum.Date(2026, 11, 25)}.html"
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("x")
        await wait_until(pilot, report.exists, what="the report file")
    assert mode(report) == 0o600 and mode(report.parent) == 0o700


# ---------------------------------------------------------------------- 10. strict JSON


def test_strict_json_turns_non_finite_numbers_into_null_with_a_reason() -> None:
    from pgmtui import jsonout

    data = {
        "a": float("nan"),
        "b": [1.0, float("inf")],
        "c": {"d": -float("inf"), "e": 2},
        "f": [{"g": float("nan")}],
    }
    text = jsonout.dumps(data)
    back = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert back["a"] is None and back["b"] == [1.0, None] and back["c"]["d"] is None and back["c"]["e"] == 2
    assert back["null_reasons"] == {"a": jsonout.WHY_NAN, "b[1]": jsonout.WHY_INFINITE}
    assert back["c"]["null_reasons"] == {"d": jsonout.WHY_INFINITE}
    assert back["f"][0] == {"g": None, "null_reasons": {"g": jsonout.WHY_NAN}}
    assert json.loads(jsonout.dumps([float("nan"), 1])) == [None, 1]


def test_absurd_numbers_give_strict_json_and_no_nan_in_text(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "p.db")]
    assert cli([*db, "add", "programme", "name=P"])[0] == 0
    assert cli([*db, "add", "benefit", "name=Huge", "baseline_value=-1e308", "target_value=1e308"])[0] == 0
    assert cli([*db, "add", "measurement", "benefit=Huge", "date=2026-11-01", "value=1e308"])[0] == 0

    def strict(text: str):
        return json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))

    code, out, _ = cli([*db, "rollup", "--json"])
    rollup = strict(out)
    # (1e308 - -1e308) overflows to inf; inf / inf is NaN: the realisation % cannot be computed
    assert rollup["benefits"][0]["realisation_pct"] is None
    assert "undefined" in rollup["benefits"][0]["null_reasons"]["realisation_pct"]
    code, out, _ = cli([*db, "report", "--format", "json"])
    strict(out)
    for argv in (["report"], ["report", "--format", "html"], ["rollup"], ["standup"]):
        code, out, err = cli([*db, *argv])
        assert code == 0, err
        assert not re.search(r"\b(nan|inf)\b", out, re.IGNORECASE), argv
