"""Where the bytes of a live change go: which terminal lines the dashboard rewrites, and how much.

    python bench/live_bytes.py                    # portfolio, large demo (cached by bench/run.py)
    python bench/live_bytes.py --key 9 --changes 3
    python bench/live_bytes.py --db programme.db --key 6

Starts the dashboard in a pty (120×40), optionally presses a top screen's key, then commits live
changes from a second connection (the portfolio: one project's % complete, as bench/run.py's live
section does; other screens: one visible row's `name`, as its screens section does) and, for each,
splits what the app wrote until the terminal was quiet by cursor position: bytes per screen line,
with the line as it then reads. A one-cell change should touch the lines whose text changed, and
little else (a whole-screen repaint at 120×40 is 20–35 KB).
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench import run as bench  # noqa: E402

MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")


class Recording(bench.Term):
    """Term that also keeps every byte the program wrote since `mark()`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.recorded = bytearray()
        feed = self.stream.feed

        def recording_feed(data: bytes) -> None:
            self.recorded += data
            feed(data)

        self.stream.feed = recording_feed  # type: ignore[method-assign]

    def mark(self) -> None:
        self.recorded = bytearray()


def lines_written(data: bytes) -> Counter[int]:
    """Bytes per screen line (1-based), by the last cursor move before them; -1: before any move."""
    per_line: Counter[int] = Counter()
    row, pos = -1, 0
    for m in MOVE.finditer(data):
        per_line[row] += m.start() - pos
        row, pos = int(m.group(1)), m.start()
    per_line[row] += len(data) - pos
    if per_line[-1] == 0:
        del per_line[-1]
    return per_line


def raw_lines(data: bytes) -> list[tuple[int, bytes]]:
    """The output cut at each cursor move: (line, bytes written there)."""
    cuts = [m.start() for m in MOVE.finditer(data)] + [len(data)]
    out = [(-1, data[: cuts[0]])] if cuts[0] else []
    for start, end in zip(cuts, cuts[1:], strict=False):
        move = MOVE.match(data, start)
        assert move is not None
        out.append((int(move.group(1)), data[start:end]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="a database (default: the bench's cached large demo)")
    ap.add_argument("--key", default="1", help="top screen key (default 1, the portfolio)")
    ap.add_argument("--changes", type=int, default=5)
    ap.add_argument(
        "--raw", type=int, nargs="*", default=[], help="also print the raw bytes written to these lines"
    )
    args = ap.parse_args()
    os.environ["PGMTUI_TODAY"] = bench.TODAY
    src = args.db or bench.demo_db("large", 1, bench.RESULTS)[0]
    db = bench.work_copy(src, bench.RESULTS / "work")
    codes = set(bench.project_codes(db))
    term = Recording(bench.pgmtui_argv(db), env=bench.env(), cols=bench.COLS, rows=bench.ROWS)
    from pgmtui.store import Store

    try:
        term.until(lambda lines: bench._has_word(lines, codes), 60)
        term.settle(1.5)
        if args.key == "1":
            target = bench.pick_live_target(db, term.screen.display)
            table, record, field = "project", target, "percent_complete"
        else:
            mode, table, column = next((m, t, c) for k, m, _, t, c in bench.NEW_SCREENS if k == args.key)
            term.send(args.key)
            term.settle(1.5)
            with sqlite3.connect(db) as conn:
                texts = {
                    t: i
                    for i, t in conn.execute(f"SELECT id, {column} FROM {table}")
                    if t and len(t) >= (2 if column == "code" else 4)
                }
            found = bench.Shown(texts, whole_words=column == "code").on(term.screen.display[1:])
            shown = sorted(t for t in found if len(t) <= 24)
            if not shown:
                raise SystemExit(f"no {table} {column} on screen {args.key} ({mode})")
            record, field = texts[shown[0]], column
            target = shown[0]
        print(f"screen {args.key}: changing {table} {target!r} {field}, {args.changes} times")
        with Store.open(db) as store:
            for n in range(args.changes):
                value: object = (21 + n) if field == "percent_complete" else f"{target} #{n}"
                if field == "code":
                    value = f"{target}-R{n}"
                term.mark()
                store.update(table, record, {field: value})
                t0 = time.perf_counter()
                needle = f"{value}%" if field == "percent_complete" else str(value)
                term.until(lambda lines, n=needle: any(n in ln for ln in lines), 30)
                last = term.settle(0.6)
                per_line = lines_written(bytes(term.recorded))
                print(f"\nchange {n + 1}: {len(term.recorded)} B, output for {last - t0:.2f} s")
                for row, count in sorted(per_line.items()):
                    text = term.screen.display[row - 1].rstrip() if 0 < row <= bench.ROWS else "(no move)"
                    print(f"  line {row:>3}: {count:>6} B  {text[:90]}")
                for row, chunk in raw_lines(bytes(term.recorded)):
                    if row in args.raw:
                        print(f"  raw {row}: {chunk[:600]!r}")
    finally:
        term.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
