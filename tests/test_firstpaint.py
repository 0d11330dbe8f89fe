"""The first-paint cache (pgmtui.firstpaint): used only for its own database, day and format; a
damaged or foreign file is ignored; written atomically, 0600 in a 0700 folder; cells are data."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rich.text import Text

from pgmtui import clock, firstpaint, launch
from pgmtui.firstpaint import CachedColumn, CachedRow, FirstPaint

TODAY = "2026-11-25"  # tests/conftest.py fixes PGMTUI_TODAY to it


def sample_paint(**changes: object) -> FirstPaint:
    paint = FirstPaint(
        title="Portfolio",
        programme="Digital Workplace",
        rag="A",
        overridden=False,
        today_long="Wed 25 Nov 2026",
        today_short="25 Nov",
        headline=("● Amber  1 project Red: CLD", "Schedule -3d", "Open risks C 1"),
        columns=(
            CachedColumn("code", "Code", 4),
            CachedColumn("rag", "RAG ▼", 5),
            CachedColumn("pct", "Done", 4, numeric=True),
        ),
        rows=(CachedRow(2, ("CLD", " ● R ", "52%"), "R"), CachedRow(1, ("IAM", " ▲ A* ", "40%"), "A", True)),
        rag_column="rag",
        cursor=1,
    )
    return replace(paint, **changes)  # type: ignore[arg-type]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    db = tmp_path / "programme.db"
    db.write_bytes(b"SQLite format 3\x00" + bytes(200))
    return db


def test_the_cache_lives_in_the_xdg_cache_folder_never_the_real_home(tmp_path: Path) -> None:
    # conftest points XDG_CACHE_HOME at a tmp folder for every test (and the pty tests inherit it).
    assert str(firstpaint.cache_dir()).startswith(os.environ["XDG_CACHE_HOME"])
    assert not str(firstpaint.cache_dir()).startswith(str(Path.home() / ".cache"))


def test_a_saved_paint_reads_back_whole(database: Path) -> None:
    paint = sample_paint()
    assert firstpaint.save(database, TODAY, paint)
    assert firstpaint.load(database, TODAY) == paint


def test_written_0600_in_a_0700_folder_atomically_with_no_temp_left(database: Path) -> None:
    firstpaint.save(database, TODAY, sample_paint())
    path = firstpaint.cache_file(database)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # the temp file was renamed


def test_an_old_reader_never_sees_half_a_file(database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The write goes to a temp file then os.replace: a failure before the rename leaves the old
    # cache as it was, and removes the temp file.
    firstpaint.save(database, TODAY, sample_paint(programme="Before"))

    def broken_replace(src: str, dst: object) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(firstpaint.os, "replace", broken_replace)
        assert not firstpaint.save(database, TODAY, sample_paint(programme="After"))
    loaded = firstpaint.load(database, TODAY)
    assert loaded is not None and loaded.programme == "Before"
    assert [p.name for p in firstpaint.cache_dir().iterdir()] == [firstpaint.cache_file(database).name]


def test_a_cache_of_another_database_is_never_used(database: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    shutil.copyfile(database, other)
    firstpaint.save(database, TODAY, sample_paint())
    assert firstpaint.load(other, TODAY) is None
    # Even copied over the other database's cache file name, it names its own database: ignored.
    shutil.copyfile(firstpaint.cache_file(database), firstpaint.cache_file(other))
    assert firstpaint.load(other, TODAY) is None


def test_a_replaced_database_file_at_the_same_path_is_not_the_cached_one(database: Path) -> None:
    firstpaint.save(database, TODAY, sample_paint())
    replacement = database.with_name("new.db")
    shutil.copyfile(database, replacement)
    os.replace(replacement, database)  # same path, another file (inode)
    assert firstpaint.load(database, TODAY) is None


def test_a_cache_of_another_day_is_not_used(database: Path) -> None:
    firstpaint.save(database, "2026-11-24", sample_paint())
    assert firstpaint.load(database, TODAY) is None
    assert firstpaint.load(database, None) is None  # a doubtful PGMTUI_TODAY: no cache at all


def test_the_same_database_by_another_path_spelling_shares_its_cache(database: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(database)
    firstpaint.save(database, TODAY, sample_paint())
    assert firstpaint.load(link, TODAY) == sample_paint()
    assert firstpaint.load(tmp_path / "." / "programme.db", TODAY) == sample_paint()


def _rewrite(database: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = firstpaint.cache_file(database)
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(format=firstpaint.FORMAT + 1),  # another version of pgmtui
        lambda d: d.pop("rows"),
        lambda d: d.update(rows=[[1, ["only one cell"], None, False]]),  # cells ≠ columns
        lambda d: d.update(rows="CLD"),
        lambda d: d.update(columns=[["code", "Code", "wide", False]]),
        lambda d: d.update(overridden="yes"),
        lambda d: d.update(cursor="1"),
        lambda d: d.update(rag_column="nosuch"),
        lambda d: d.update(headline=[["nested"]]),
        lambda d: d.update(db="/elsewhere/programme.db"),
        lambda d: d.update(ino=d["ino"] + 1),
    ],
)
def test_a_malformed_or_mismatched_cache_is_ignored(database: Path, damage) -> None:  # type: ignore[no-untyped-def]
    firstpaint.save(database, TODAY, sample_paint())
    _rewrite(database, damage)
    assert firstpaint.load(database, TODAY) is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"not json",
        b"[1, 2]",
        b"\xff\xfe\x00garbage",
        b"{" * 100_000,
        b" " * (firstpaint.MAX_BYTES + 1),
    ],
)
def test_a_corrupt_or_truncated_cache_is_ignored(database: Path, content: bytes) -> None:
    firstpaint.save(database, TODAY, sample_paint())
    path = firstpaint.cache_file(database)
    path.write_bytes(content)
    assert firstpaint.load(database, TODAY) is None
    whole = json.dumps(firstpaint.to_json(database, TODAY, sample_paint())).encode()
    path.write_bytes(whole[: len(whole) // 2])  # cut short mid-write by another program
    assert firstpaint.load(database, TODAY) is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_cache_is_ignored(database: Path) -> None:
    firstpaint.save(database, TODAY, sample_paint())
    firstpaint.cache_file(database).chmod(0)
    assert firstpaint.load(database, TODAY) is None


def test_a_cache_that_is_a_link_or_a_folder_is_ignored(database: Path, tmp_path: Path) -> None:
    firstpaint.save(database, TODAY, sample_paint())
    path = firstpaint.cache_file(database)
    real = tmp_path / "elsewhere.json"
    real.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(real)  # someone else's file planted as ours
    assert firstpaint.load(database, TODAY) is None
    path.unlink()
    path.mkdir()
    assert firstpaint.load(database, TODAY) is None
    assert not firstpaint.save(database, TODAY, sample_paint())  # cannot replace a folder: no error


def test_a_cache_folder_that_cannot_be_made_is_no_error(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = Path(os.environ["XDG_CACHE_HOME"])
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the folder should be")
    assert not firstpaint.save(database, TODAY, sample_paint())
    assert firstpaint.load(database, TODAY) is None


def test_no_database_file_no_cache(tmp_path: Path) -> None:
    assert not firstpaint.save(tmp_path / "missing.db", TODAY, sample_paint())
    assert firstpaint.load(tmp_path / "missing.db", TODAY) is None


def test_today_follows_the_clock_and_refuses_a_doubtful_date(monkeypatch: pytest.MonkeyPatch) -> None:
    assert firstpaint.today_iso() == clock.today().isoformat() == TODAY
    assert firstpaint.ENV_TODAY == clock.ENV_TODAY == launch.ENV_TODAY
    for doubtful in ("2026-13-01", "20261125", "tomorrow", "2026-11-25T10:00"):
        monkeypatch.setenv("PGMTUI_TODAY", doubtful)
        assert firstpaint.today_iso() is None
    monkeypatch.delenv("PGMTUI_TODAY")
    assert firstpaint.today_iso() == clock.today().isoformat()


def test_the_fingerprint_moves_when_the_database_is_written(database: Path) -> None:
    before = firstpaint.fingerprint(database)
    with open(database, "ab") as f:
        f.write(bytes(4096))
    assert firstpaint.fingerprint(database) != before
    assert before[2:] == [-1, -1]  # no -wal file


def test_hostile_cell_text_shows_literally_with_controls_visible() -> None:
    # Cells are data: Rich markup shows as typed, ESC and a right-to-left override are pictured
    # (as on the live screen), numbers stay right-aligned, the RAG column is redrawn as its badge.
    from pgmtui.screens.firstpaint import cached_cells
    from pgmtui.widgets.badges import rag_badge

    hostile = "[bold red]x[/] [link=https://evil]y[/link] \x1b[2Jz\u202e"
    paint = sample_paint(rows=(CachedRow(7, (hostile, "junk", "12%"), "G"),))
    ((code, rag, pct),) = cached_cells(paint)
    assert isinstance(code, Text)
    assert code.plain.startswith("[bold red]x[/] [link=https://evil]y[/link] ")
    assert "\x1b" not in code.plain and "\u202e" not in code.plain
    assert "␛" in code.plain and "\\u202e" in code.plain
    assert not code.spans and not code.style  # no markup was parsed into styles or links
    assert rag == rag_badge("G")  # from the letter, not from the cached (here nonsense) text
    assert pct.justify == "right"


def test_the_first_frame_imports_no_store_model_clock_or_domain() -> None:
    # What `pgmtui --db X` imports before the first frame: textual and light pgmtui modules.
    code = (
        "import sys, pgmtui.app, pgmtui.screens.firstpaint, pgmtui.launch;"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('pendulum', 'sqlite_utils', 'dateutil')"
        " or m.startswith(('pgmtui.store', 'pgmtui.domain', 'pgmtui.services', 'pgmtui.model',"
        " 'pgmtui.clock', 'pgmtui.screens.portfolio', 'pgmtui.cli', 'pgmtui.records'))];"
        "print(sorted(heavy))"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": src}
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
