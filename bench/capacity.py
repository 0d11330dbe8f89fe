"""Capacity on the large demo (issue 13 / issue 20): the person × week grid for 500 people × 52
weeks (target ≤ 100 ms), `pgmtui capacity --weeks 52` as a whole, and screen 6's first paint.

    PYTHONPATH=src python bench/capacity.py [--db large.db] [--runs 30]

Without --db it builds the large demo (`pgmtui demo --size large`) in a temporary folder first
(about 30 s). Wall-clock and CPU time are both printed: on a shared, loaded machine the CPU time
is the figure that says what the code costs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT / "src"), str(ROOT)):
    if p not in sys.path:
        sys.path.insert(0, p)

os.environ.setdefault("PGMTUI_TODAY", "2026-11-25")

from pgmtui.services.resources import capacity_of, grid_of  # noqa: E402
from pgmtui.store import Store  # noqa: E402


def _timed(fn, runs: int) -> tuple[float, float, float]:
    """Median wall ms, median CPU ms, best wall ms."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - t)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, min(wall) * 1000


async def _screen_paint(db: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU ms from a screen's key until its table has rows, screen 6 interleaved with
    screen 3 (the risk register, 5,000 risks) as the reference; the first visit of each is left out
    (imports)."""
    from pgmtui.app import PgmApp
    from pgmtui.widgets.record_table import RecordTable
    from tests.ui.helpers import wait_for_model, wait_until

    out: dict[str, list[tuple[float, float]]] = {"6": [], "3": []}
    app = PgmApp(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_model(pilot, timeout=60)

        def painted() -> bool:
            tables = app.screen.query(RecordTable)
            return bool(tables) and tables.first().row_count > 0

        for i in range(runs + 1):
            for key in ("6", "3"):
                t, c = time.perf_counter(), time.process_time()
                await pilot.press(key)
                await wait_until(pilot, painted, timeout=30, what=f"screen {key}")
                await pilot.pause()
                if i:
                    out[key].append(((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from pgmtui.demo import build_demo

            db = Path(tmp) / "large.db"
            with Store.open(db) as s:
                build_demo(s, date.fromisoformat(os.environ["PGMTUI_TODAY"]), size="large")
        with Store.open(db) as s:
            tables = {t: s.rows(t) for t in ("person", "allocation", "project", "milestone")}
            first = date.fromisoformat(os.environ["PGMTUI_TODAY"]).toordinal()
            n_people, n_alloc = len(tables["person"]), len(tables["allocation"])
            grid = _timed(lambda: grid_of(tables, first, 52), args.runs)
            whole = _timed(lambda: capacity_of(s, date.fromordinal(first), 52), max(3, args.runs // 5))
        paints = asyncio.run(_screen_paint(db, 5))
    print(f"large demo: {n_people} people, {n_alloc} allocations; load average {os.getloadavg()[0]:.1f}")
    print(
        f"capacity grid 52 weeks   wall {grid[0]:6.1f} ms (best {grid[2]:.1f})  cpu {grid[1]:6.1f} ms  target ≤ 100"
    )
    print(
        f"pgmtui capacity data     wall {whole[0]:6.1f} ms (best {whole[2]:.1f})  cpu {whole[1]:6.1f} ms  (read + grid + JSON rows)"
    )
    for key, name in (("6", "screen 6 (resources)"), ("3", "screen 3 (risks), ref")):
        wall = statistics.median(w for w, _ in paints[key])
        cpu = statistics.median(c for _, c in paints[key])
        print(f"{name:<24} wall {wall:6.1f} ms  cpu {cpu:6.1f} ms  (key to rows on screen, 120×40)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
