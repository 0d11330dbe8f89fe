"""First paint of top screens after their key, side by side, in one headless run (Textual's Pilot).

    python bench/screen_paint.py --keys 3 9              # on a fresh large demo (about 40 s to build)
    python bench/screen_paint.py --db programme.db --keys 9 --runs 9

For each key: press it from the portfolio, wait until that screen has rendered its model, go back to
the portfolio; repeat --runs times and print every time and the median in ms. Keys measured in the
same run share the machine's load, so their ratio means more than either figure on a busy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("PGMTUI_TODAY", "2026-11-25")

from pgmtui.app import TOP_SCREENS, PgmApp  # noqa: E402
from pgmtui.cli import main as cli  # noqa: E402
from tests.ui.helpers import wait_for_model, wait_until  # noqa: E402


def large_demo(folder: Path) -> Path:
    db = folder / "large.db"
    if cli(["--db", str(db), "demo", "--size", "large"]) != 0:
        raise SystemExit("could not build the large demo")
    return db


async def measure(db: Path, keys: list[str], runs: int, size: tuple[int, int]) -> dict[str, list[float]]:
    app = PgmApp(db, poll_seconds=5)
    times: dict[str, list[float]] = {k: [] for k in keys}
    async with app.run_test(size=size) as pilot:
        await wait_for_model(pilot, timeout=120)
        portfolio = app.screen
        for _ in range(runs):
            for key in keys:
                started = time.perf_counter()
                await pilot.press(key)
                await wait_until(
                    pilot,
                    lambda: app.screen is not portfolio and getattr(app.screen, "model", None) is not None,
                    timeout=60,
                    what=f"screen {key}",
                )
                await pilot.pause()  # the frame with the model on it
                times[key].append((time.perf_counter() - started) * 1000)
                await pilot.press("1")
                await wait_until(pilot, lambda: app.screen is portfolio, what="the portfolio")
                await pilot.pause(0.2)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="a database (default: the large demo, built once)")
    ap.add_argument("--keys", nargs="+", default=["3", "9"], help="top screen keys (default: 3 9)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    unknown = [k for k in args.keys if k not in {t.key for t in TOP_SCREENS} - {"1"}]
    if unknown:
        ap.error(f"not a top screen key other than 1: {', '.join(unknown)}")
    with tempfile.TemporaryDirectory() as tmp:  # a private copy: never write the measured database
        copy = Path(tmp) / "programme.db"
        if args.db is None:
            copy = large_demo(Path(tmp))
        else:
            copy.write_bytes(args.db.read_bytes())
            os.chmod(copy, 0o600)
        times = asyncio.run(measure(copy, args.keys, args.runs, (120, 40)))
    for key, ms in times.items():
        print(f"screen {key}: median {statistics.median(ms):.0f} ms  ({', '.join(f'{x:.0f}' for x in ms)})")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
