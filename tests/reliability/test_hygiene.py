"""Shared-server hygiene: file modes, the -wal/-shm files, the audit's OS user, SQL built only from
static identifiers, and a warning for a database in a folder every user can write.

See docs/SHARING.md for the setup these tests prove (group, `--shared`, setgid folder, umask).
"""

from __future__ import annotations

import ast
import contextlib
import getpass
import io
import json
import os
import pwd
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgmtui.cli import main
from pgmtui.records.fields import KINDS
from pgmtui.store import Store, ValidationError
from tests.privileges import NOBODY, as_user

SRC = Path(__file__).resolve().parents[2] / "src" / "pgmtui"


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _as_user(fn, **ids) -> str:
    """As `tests.privileges.as_user`, with the private umask a careful user has."""
    return as_user(fn, **{"umask": 0o077, **ids})


# ---------------------------------------------------------------------- file modes


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077], ids=["umask000", "umask022", "umask077"])
def test_new_database_is_private_and_so_are_its_wal_and_shm(tmp_path: Path, mask: int) -> None:
    db = tmp_path / "p.db"
    with umask(mask):
        code, out, err = cli(["--db", str(db), "add", "programme", "name=Private"])
        assert (code, err) == (0, "")
        assert mode(db) == 0o600
        with Store.open(db) as s:  # while a connection is open the -wal and -shm files exist
            s.insert("project", {"code": "P1", "name": "One"})
            for suffix in ("-wal", "-shm"):
                assert mode(f"{db}{suffix}") == 0o600, suffix


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077], ids=["umask000", "umask022", "umask077"])
def test_shared_database_is_group_writable_never_world_readable(tmp_path: Path, mask: int) -> None:
    db = tmp_path / "team.db"
    with umask(mask):
        code, _, err = cli(["--shared", "--db", str(db), "add", "programme", "name=Team"])
        assert (code, err) == (0, "")
        assert mode(db) == 0o660
        with Store.open(db) as s:
            s.insert("project", {"code": "P1", "name": "One"})
            for suffix in ("-wal", "-shm"):
                assert mode(f"{db}{suffix}") == 0o660, suffix
                assert not mode(f"{db}{suffix}") & 0o007


def test_team_member_writes_through_a_setgid_folder_and_the_wal_keeps_the_group(open_tmp: Path) -> None:
    """The docs/SHARING.md recipe, end to end: a 2770 folder owned by the team's group, a
    `--shared` database in it; another member (here uid/gid 65534, umask 077) writes, and the
    -wal/-shm files SQLite creates for them are group-writable, in the team's group, not world-readable."""
    folder = open_tmp / "pmo"
    folder.mkdir()
    os.chown(folder, 0, NOBODY)
    os.chmod(folder, 0o2770)
    db = folder / "programme.db"
    code, _, err = cli(["--shared", "--db", str(db), "add", "programme", "name=Team"])
    assert (code, err) == (0, "")
    assert (mode(db), os.stat(db).st_gid) == (0o660, NOBODY)  # group inherited from the setgid folder

    def member_writes() -> str:
        with Store.open(db) as s:
            s.insert("project", {"code": "MEM", "name": "Written by a member"})
            files = {sfx: os.stat(f"{db}{sfx}") for sfx in ("-wal", "-shm")}
            return json.dumps(
                {
                    "user": s.audit(table="project")[-1]["user"],
                    "read_only": s.read_only,
                    "modes": {k: stat.S_IMODE(v.st_mode) for k, v in files.items()},
                    "gids": {k: v.st_gid for k, v in files.items()},
                }
            )

    result = _as_user(member_writes, groups=(NOBODY,))
    assert not result.startswith("child failed"), result
    data = json.loads(result)
    assert data["read_only"] is False
    assert data["modes"] == {"-wal": 0o660, "-shm": 0o660}
    assert data["gids"] == {"-wal": NOBODY, "-shm": NOBODY}
    assert data["user"] == pwd.getpwuid(NOBODY).pw_name  # the audit names the OS user who wrote


def test_outsider_cannot_read_a_shared_database(open_tmp: Path) -> None:
    folder = open_tmp / "pmo"
    folder.mkdir()
    os.chmod(folder, 0o2775)  # even if the folder is traversable, the file is not world-readable
    db = folder / "programme.db"
    assert cli(["--shared", "--db", str(db), "add", "programme", "name=Team"])[0] == 0

    def outsider_reads() -> str:
        return json.dumps(cli(["--db", str(db), "list", "project"]))

    code, out, err = json.loads(_as_user(outsider_reads, uid=NOBODY, gid=NOBODY, groups=()))
    assert code == 2 and out == "" and err.startswith("pgmtui: error:") and "permission denied" in err


def test_world_readable_database_warns(tmp_path: Path) -> None:
    db = tmp_path / "leaky.db"
    assert cli(["--db", str(db), "add", "programme", "name=P"])[0] == 0
    os.chmod(db, 0o644)
    with Store.open(db) as s:
        assert any("readable by every user" in w and "chmod o-rwx" in w for w in s.warnings)
    code, _, err = cli(["--db", str(db), "list", "project"])
    assert code == 0 and "pgmtui: warning:" in err and "readable by every user" in err


# ---------------------------------------------------------------------- world-writable folder


def test_database_in_a_world_writable_folder_warns(open_tmp: Path) -> None:
    folder = open_tmp / "everyone"
    folder.mkdir()
    os.chmod(folder, 0o1777)  # like /tmp
    db = folder / "p.db"
    with Store.open(db) as s:
        assert any("writable by every user" in w for w in s.warnings), s.warnings
    code, out, err = cli(["--db", str(db), "add", "programme", "name=P"])
    assert code == 0 and out.strip().isdigit()
    lines = err.splitlines()
    assert (
        len(lines) == 1 and lines[0].startswith("pgmtui: warning:") and "writable by every user" in lines[0]
    )


def test_private_folder_gives_no_warning(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o700)
    with Store.open(tmp_path / "p.db") as s:
        assert s.warnings == []


# ---------------------------------------------------------------------- audit user


def test_audit_records_the_os_user(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert cli(["--db", str(db), "add", "programme", "name=P"])[0] == 0
    assert cli(["--db", str(db), "add", "project", "code=AUD", "name=Audited"])[0] == 0
    assert cli(["--db", str(db), "set", "project", "AUD", "percent_complete=10"])[0] == 0
    with Store.open(db) as s:
        audit = s.audit()
        assert [a["action"] for a in audit] == ["insert", "insert", "update"]
        assert {a["user"] for a in audit} == {getpass.getuser()}
        assert s.get("project", "AUD")["updated_by"] == getpass.getuser()


# ---------------------------------------------------------------------- SQL only from static identifiers

SQL_WORDS = re.compile(
    r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|PRAGMA|CREATE|ALTER TABLE|DROP|WHERE|VALUES|ORDER BY|LIMIT)\b"
    r"|= \?|\bIN \("
)

# Every expression that may be interpolated into SQL text in src/, and why it cannot carry user
# input. Values always travel as `?` parameters; only identifiers and placeholder lists are formatted.
ALLOWED_IN_SQL = {
    "kind.table": "table name from the static KINDS spec (store/fields.py)",
    "target.table": "table name of a reference's target kind, from KINDS",
    "table": "a link table from KINDS[...].links, or a name from a fixed tuple of table names",
    "t": "a name from a fixed tuple of table names (read_all)",
    "own": "link-table column from KINDS[...].links",
    "other": "link-table column from KINDS[...].links",
    "columns": "', '.join(row): column names of KINDS fields (Kind.field refuses unknown names first)",
    "assignments": "'k = ?' for column names of KINDS fields (Kind.field refuses unknown names first)",
    "k": "a column name of a KINDS field, in 'k = ?' (Store.update builds `assignments` from it)",
    "column": "column_for(f) of a KINDS field, or a code/name column from store/refs.py _NAME_COLUMN",
    "child_kind.table": "table name of a KINDS kind referring to the one deleted (store/cascade.py)",
    "holder.table": "table name of a KINDS kind with a link field (store/cascade.py)",
    "marks": "', '.join('?' ...): placeholders only",
    "' AND '.join(clauses)": "constant fragments with ? placeholders (Store.audit)",
    "' OR '.join(clauses)": "constant fragments with ? placeholders (Store.audit_for)",
    "', '.join(('?' for _ in ids))": "placeholders only",
    "where": "'WHERE ' + constant fragments (Store.audit)",
    "order": "'ASC' or 'DESC'",
    "tail": "'' or ' LIMIT ?'",
    "BUSY_TIMEOUT_MS": "an integer constant",
    "wait_ms": "an integer computed from the clock (Store._begin's remaining wait)",
    "_ROW": "DDL constant (store/schema.py)",
    "_RAID": "DDL constant (store/schema.py)",
    "fts": "a full-text index's name: a KINDS table + '_fts' (store/search.py)",
    "cols": "the column tuple a migration indexes (store/schema.py), each name quoted (store/search.py)",
    "old": 'the same indexed column names, as old."name" (a trigger body, store/search.py)',
    "new": 'the same indexed column names, as new."name" (a trigger body, store/search.py)',
    "label": "'NULL' or 't.' + the display column of a KINDS kind (store/search.py)",
    "SNIPPET_TOKENS": "an integer constant (store/search.py)",
    # store/asof.py (the database at an instant): tables and link tables from its fixed _TABLES,
    # column names from PRAGMA table_info of the copy (never from audit text), ? placeholders.
    "_marks(len(batch))": "', '.join('?' ...): placeholders only (store/asof.py)",
    "_marks(len(names))": "', '.join('?' ...): placeholders only (store/asof.py)",
    "sets": "'n = ?' for column names from PRAGMA table_info (store/asof.py)",
    "n": "a column name from PRAGMA table_info, in 'n = ?' (store/asof.py builds `sets` from it)",
    "', '.join(names)": "column names from PRAGMA table_info (store/asof.py)",
    "link_table": "a link table from store/asof.py's fixed _TABLES (KINDS' links)",
}


def _sql_fstrings() -> list[tuple[str, int, list[str]]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.JoinedStr):
                constant = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                if SQL_WORDS.search(constant):
                    exprs = [ast.unparse(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
                    found.append((str(path.relative_to(SRC)), node.lineno, exprs))
    return found


def test_sql_is_never_formatted_from_anything_but_static_identifiers() -> None:
    found = _sql_fstrings()
    assert found, "the scan found no SQL at all: the pattern is broken"
    bad = [(f, line, e) for f, line, exprs in found for e in exprs if e not in ALLOWED_IN_SQL]
    assert not bad, f"SQL f-strings interpolate something not in the allow-list: {bad}"
    assert all(f.startswith("store/") for f, _, _ in found), "SQL outside store/"


def test_no_sql_built_with_percent_or_format_or_concatenation() -> None:
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            text = None
            if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
                parts = [
                    n
                    for n in (node.left, node.right)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
                non_constant = any(not isinstance(n, ast.Constant) for n in (node.left, node.right))
                if parts and non_constant and any(SQL_WORDS.search(p.value) for p in parts):
                    text = ast.unparse(node)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format"
            ):
                base = node.func.value
                if (
                    isinstance(base, ast.Constant)
                    and isinstance(base.value, str)
                    and SQL_WORDS.search(base.value)
                ):
                    text = ast.unparse(node)
            if text:
                problems.append(f"{path.relative_to(SRC)}:{node.lineno}: {text[:120]}")
    assert not problems, problems


def test_sql_runs_only_in_the_store() -> None:
    outside = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("execute", "executemany", "executescript"):
                    outside.append(f"{rel}:{node.lineno}")
    assert not outside, outside


def test_static_identifiers_really_are_identifiers() -> None:
    """What the allow-list trusts: KINDS table, column and link names are plain identifiers."""
    ident = re.compile(r"[a-z_][a-z0-9_]*")
    for kind in KINDS.values():
        assert ident.fullmatch(kind.table)
        for f in kind.fields:
            assert ident.fullmatch(f.name)
        for table, own, other in kind.links.values():
            assert ident.fullmatch(table) and ident.fullmatch(own) and ident.fullmatch(other)


@pytest.mark.parametrize(
    "name",
    [
        "title) VALUES (1); DROP TABLE risk; --",
        "title = title || 'x'",
        "version",
        "id",
        "updated_by",
        "project_id",
    ],
)
def test_field_names_from_users_never_reach_sql(store: Store, name: str) -> None:
    store.insert("programme", {"name": "P"})
    before = store.count("risk"), len(store.audit())
    with pytest.raises(ValidationError, match="unknown field"):
        store.insert("risk", {"title": "t", "probability": 2, "impact": 2, name: "x"})
    assert (store.count("risk"), len(store.audit())) == before
