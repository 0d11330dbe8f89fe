"""Profile what the benchmark measures, with pyinstrument (a bench extra).

    python bench/profile.py startup   # exec → first project row, in a pty
    python bench/profile.py rollup    # services.rollup_of
    python bench/profile.py model     # services.build_model (each refresh)
    python bench/profile.py critical  # build_network + critical_path, 10k/30k

Uses the cached large demo of bench/run.py (built if missing; --size small for the small one).
Prints pyinstrument's text report; --html FILE writes the interactive one too.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402  (bench/run.py)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("startup", "rollup", "model", "critical"))
    ap.add_argument("--size", choices=("small", "large"), default="large")
    ap.add_argument("--repeat", type=int, default=5, help="in-process targets: calls to profile")
    ap.add_argument("--html", type=Path)
    args = ap.parse_args()
    import os

    os.environ["PGMTUI_TODAY"] = bench.TODAY
    db_cached, _, _ = bench.demo_db(args.size, 1, bench.RESULTS)
    db = bench.work_copy(db_cached, bench.RESULTS / "work")

    if args.what == "startup":
        out = Path(tempfile.mkdtemp()) / "startup.txt"
        argv = [
            bench.PYTHON,
            "-m",
            "pyinstrument",
            "-r",
            "text",
            "-o",
            str(out),
            "-m",
            "pgmtui",
            "--db",
            str(db),
        ]
        codes = set(bench.project_codes(db))
        app = bench.Term(argv, env=bench.env(), cols=bench.COLS, rows=bench.ROWS)
        t0 = time.perf_counter()
        app.until(lambda lines: bench._has_word(lines, codes), 60)
        print(f"first project row after {time.perf_counter() - t0:.2f} s (under the profiler)")
        app.send("q")
        deadline = time.time() + 20
        while not app.exited() and time.time() < deadline:
            app.read_some(0.05)
        app.close()
        print(out.read_text())
        return 0

    from pyinstrument import Profiler

    from pgmtui import clock
    from pgmtui.services import build_model, rollup_of
    from pgmtui.store import Store

    profiler = Profiler(interval=0.0005)
    if args.what == "critical":
        from pgmtui.domain.deps import build_network, critical_path

        ms, deps, _ = bench.make_dag(10_000, 30_000)
        with profiler:
            for _ in range(args.repeat):
                critical_path(build_network(ms, deps, 5))
    else:
        today = clock.today()
        fn = rollup_of if args.what == "rollup" else build_model
        with Store.open(db) as store:
            fn(store, today)
            with profiler:
                for _ in range(args.repeat):
                    fn(store, today)
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        args.html.write_text(profiler.output_html())
    return 0


if __name__ == "__main__":
    sys.exit(main())
