"""`pgmtui serve` arguments and the server's pure checks: refusals are one line, exit 2, nothing
written, and no server started."""

from __future__ import annotations

import shlex
import sqlite3
import sys
from pathlib import Path

import pytest

from pgmtui.cli import main
from pgmtui.cli.serve import browser_host, is_loopback, session_command
from pgmtui.web.server import is_loopback_host_header, same_origin, token_matches


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def audit_rows(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.7", "server.example.org"])
def test_a_host_others_can_reach_is_refused_without_allow_remote(demo_db: Path, capsys, host: str) -> None:
    before = audit_rows(demo_db)
    code, out, err = run(["--db", str(demo_db), "serve", "--host", host], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("pgmtui: error: ")
    assert f"--host {host} would let other computers reach the dashboard" in err
    assert "ssh -L 8000:localhost:8000 server" in err and "--allow-remote" in err
    assert audit_rows(demo_db) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port must be between 0 and 65535 (got 70000)"),
        (["--port", "-1"], "--port must be between 0 and 65535 (got -1)"),
        (["--port", "http"], "argument --port: invalid int value: 'http'"),
        (["--max-sessions", "0"], "--max-sessions must be between 1 and 64 (got 0)"),
        (["--max-sessions", "500"], "--max-sessions must be between 1 and 64 (got 500)"),
        (["--host", " "], "--host needs an address"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(demo_db: Path, capsys, args: list[str], message: str) -> None:
    code, out, err = run(["--db", str(demo_db), "serve", *args], capsys)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and message in err


def test_a_database_that_does_not_exist_is_not_created(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nowhere.db"
    code, _, err = run(["--db", str(missing), "serve"], capsys)
    assert code == 2 and "does not exist" in err and err.count("\n") == 1
    assert not missing.exists()


def test_without_the_web_extra_it_says_how_to_install_it(demo_db: Path, capsys, monkeypatch) -> None:
    # As if textual-serve were not installed: importing it fails.
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.delitem(sys.modules, "pgmtui.web.server", raising=False)
    code, out, err = run(["--db", str(demo_db), "serve"], capsys)
    assert (code, out) == (2, "")
    assert (
        err
        == "pgmtui: error: `pgmtui serve` needs the web extra (textual-serve): pip install 'pgmtui[web]'\n"
    )


def test_read_only_refuses_commands_that_write(demo_db: Path, capsys) -> None:
    before = audit_rows(demo_db)
    code, _, err = run(["--read-only", "--db", str(demo_db), "add", "risk", "project=IAM", "title=x"], capsys)
    assert code == 2 and "`add` changes the database, and --read-only was given" in err
    code, _, err = run(["--read-only", "--db", str(demo_db), "demo", "--force"], capsys)
    assert code == 2 and "`demo` changes the database" in err
    code, out, _ = run(["--read-only", "--db", str(demo_db), "list", "project"], capsys)
    assert code == 0 and "IAM" in out  # reading is what read-only is for
    assert audit_rows(demo_db) == before


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),  # all of 127.0.0.0/8
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.0.5", False),
        ("my-laptop", False),  # a name may resolve to an address others can reach
    ],
)
def test_loopback_is_this_computer_only(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        ("localhost:8000", True),
        ("LOCALHOST:9000", True),  # an SSH-forwarded port on the laptop
        ("127.0.0.1:8000", True),
        ("127.0.0.1", True),
        ("[::1]:8000", True),
        ("evil.example:8000", False),  # DNS rebinding: a foreign name pointed at 127.0.0.1
        ("localhost.evil.example", False),
        ("127.0.0.1.evil.example:8000", False),
        ("", False),
        (None, False),
    ],
)
def test_host_headers_allowed_on_a_loopback_server(header: str | None, allowed: bool) -> None:
    assert is_loopback_host_header(header) is allowed


def test_websocket_origin_must_be_this_server() -> None:
    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert same_origin("https://dash.example:443", "dash.example:443")
    assert same_origin(None, "127.0.0.1:8000")  # not a browser page: a browser always sends one
    assert not same_origin("http://evil.example", "127.0.0.1:8000")
    assert not same_origin("http://127.0.0.1:9999", "127.0.0.1:8000")
    assert not same_origin("null", "127.0.0.1:8000")  # a sandboxed frame or a file:// page


def test_the_token_is_compared_exactly() -> None:
    assert token_matches("s3cret-token", "s3cret-token")
    assert not token_matches("s3cret-toke", "s3cret-token")
    assert not token_matches("", "s3cret-token") and not token_matches(None, "s3cret-token")
    assert not token_matches("s3cret-tokén", "s3cret-token")  # not ASCII: refused, no exception


def test_each_session_runs_this_python_on_this_database(tmp_path: Path) -> None:
    db = tmp_path / 'it\'s a "programme" folder' / "prog.db"
    argv = shlex.split(session_command(db, read_only=True))
    assert argv[:3] == ["exec", "env", "COLORTERM=truecolor"]
    assert argv[3:] == [sys.executable, "-m", "pgmtui", "--db", str(db.resolve()), "--read-only"]
    assert "--read-only" not in shlex.split(session_command(db, read_only=False))


def test_the_printed_address_names_this_machine_for_a_wildcard() -> None:
    import socket

    assert browser_host("0.0.0.0") == socket.gethostname()
    assert browser_host("127.0.0.1") == "127.0.0.1"
    assert browser_host("::1") == "[::1]"
