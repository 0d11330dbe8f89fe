"""How long an as-of rollup takes on a database (issue 22; budget: ≤ 2 s on the large set).

    PGMTUI_TODAY=2026-11-25 pgmtui --db large.db demo --size large
    PYTHONPATH=src python bench/asof.py large.db [2026-11-20 2026-10-30 2026-09-30]

For each instant, best of three, CPU time (process_time: the figure a busy shared machine does not
distort) and wall clock:
- rewind: read every table, rewind the audit rows after the instant in Python
  (domain.standup.rewind, the stand-up's way), roll up;
- as_of: what `pgmtui --as-of … rollup` does — Store.as_of (the database at the instant, in
  memory) and the same rollup as live.
Run with PYTHONPATH pointing at a tree from before issue 22 (no Store.as_of), it times the rewind
alone: the "before" figure.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if not os.environ.get("PYTHONPATH"):  # else the tree it names (e.g. one from before issue 22)
    sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("PGMTUI_TODAY", "2026-11-25")

import pendulum  # noqa: E402

from pgmtui.domain.standup import _rollup_of, rewind  # noqa: E402
from pgmtui.services import rollup_of  # noqa: E402
from pgmtui.services.reports import audit_rows  # noqa: E402
from pgmtui.services.snapshot import read_for_display  # noqa: E402
from pgmtui.store import Store  # noqa: E402


def end_of(day: pendulum.Date) -> str:
    """The audit timestamp of the day's end (UTC, as on the test machine)."""
    return f"{day.isoformat()}T23:59:59.999999Z"


def before(store: Store, day: pendulum.Date) -> str:
    raw = read_for_display(store)
    audit = audit_rows(store, since=end_of(day))
    then, prog, links = rewind(
        raw["tables"], raw["programme"], raw["benefit_links"], audit, links=raw["links"]
    )
    return str(_rollup_of(then, prog, links, day).rag.final)


def after(store: Store, day: pendulum.Date) -> str:
    with store.as_of(end_of(day)) as past:
        return str(rollup_of(past, day).rag.final)


def best(run, store: Store, day: pendulum.Date) -> tuple[float, float, str]:
    cpu, wall, rag = [], [], ""
    for _ in range(3):
        c, w = time.process_time(), time.perf_counter()
        rag = run(store, day)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall), rag


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "large.db"
    days = [pendulum.parse(d).date() for d in sys.argv[2:]] or [  # type: ignore[union-attr]
        pendulum.Date(2026, 11, 20),
        pendulum.Date(2026, 10, 30),
        pendulum.Date(2026, 9, 30),
    ]
    with Store.open(path, read_only=True) as store:
        live = best(lambda s, d: str(rollup_of(s, d).rag.final), store, pendulum.Date(2026, 11, 25))
        print(f"live rollup: cpu {live[0]:.2f} s, wall {live[1]:.2f} s")
        for day in days:
            b = best(before, store, day)
            line = f"as of {day}: rewind cpu {b[0]:.2f} s (wall {b[1]:.2f} s)"
            if hasattr(store, "as_of"):
                a = best(after, store, day)
                assert b[2] == a[2], (day, b[2], a[2])  # the same answer both ways
                line += f"; as_of cpu {a[0]:.2f} s (wall {a[1]:.2f} s)"
            print(f"{line}; programme RAG {b[2]}")


if __name__ == "__main__":
    main()
