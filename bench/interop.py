"""How long imports take at programme scale: a large MS Project plan and a large RAID register,
imported, re-imported unchanged (nothing written) and re-imported with moved dates.

    python bench/interop.py [--tasks 5000] [--rows 5000]

Files are generated into a temporary folder; each figure is one run (wall clock).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("PGMTUI_TODAY", "2026-11-25")

from pgmtui.exchange import ImportOptions, export, import_path  # noqa: E402
from pgmtui.store import Store  # noqa: E402


def plan_xml(tasks: int, shift: int = 0) -> str:
    """A plan of `tasks` tasks in phases of 50, every tenth task a milestone, each task linked to
    the one before (FS, some with lags), with two timephased rows per task as MS Project writes."""
    start = date(2026, 1, 5)
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project xmlns="http://schemas.microsoft.com/project">',
        "<Name>Big.xml</Name><Title>Big plan</Title><GUID>11111111-2222-3333-4444-555555555555</GUID>",
        "<MinutesPerDay>480</MinutesPerDay><MinutesPerWeek>2400</MinutesPerWeek><DaysPerMonth>20</DaysPerMonth>",
        "<Tasks>",
        f"<Task><UID>0</UID><ID>0</ID><Name>Big plan</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary>"
        f"<Start>{start}T08:00:00</Start><Finish>{start + timedelta(days=tasks)}T17:00:00</Finish></Task>",
    ]
    uid = 1
    for n in range(tasks):
        if n % 50 == 0:
            out.append(
                f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Phase {n // 50}</Name><OutlineLevel>1</OutlineLevel>"
                f"<Summary>1</Summary><Start>{start + timedelta(days=n)}T08:00:00</Start>"
                f"<Finish>{start + timedelta(days=n + 50 + shift)}T17:00:00</Finish></Task>"
            )
            uid += 1
        day = start + timedelta(days=n + (shift if n % 3 == 0 else 0))
        milestone = int(n % 10 == 9)
        link = (
            f"<PredecessorLink><PredecessorUID>{uid - 1}</PredecessorUID><Type>1</Type>"
            f"<LinkLag>{4800 if n % 7 == 0 else 0}</LinkLag><LagFormat>7</LagFormat></PredecessorLink>"
            if n
            else ""
        )
        timephased = "".join(
            f"<TimephasedData><Type>1</Type><UID>{uid}</UID><Start>{day}T08:00:00</Start>"
            f"<Finish>{day}T17:00:00</Finish><Unit>2</Unit><Value>PT8H0M0S</Value></TimephasedData>"
            for _ in range(2)
        )
        out.append(
            f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Task {n}</Name><OutlineLevel>2</OutlineLevel>"
            f"<Summary>0</Summary><Milestone>{milestone}</Milestone><Start>{day}T08:00:00</Start>"
            f"<Finish>{day}T17:00:00</Finish><Duration>PT8H0M0S</Duration>{link}{timephased}</Task>"
        )
        uid += 1
    out += ["</Tasks>", "</Project>"]
    return "\n".join(out)


def register_csv(rows: int, changed: int = 0) -> str:
    lines = ["Risk ID,Title,Owner,Likelihood,Impact,Status,Next Review,Mitigation"]
    for n in range(rows):
        p = (n % 5) + 1 if n >= changed else ((n + 1) % 5) + 1
        lines.append(
            f"R-{n:05d},Risk number {n},Owner {n % 40},{p},{(n // 5) % 5 + 1},Open,15/12/2026,Weekly review"
        )
    return "\n".join(lines) + "\n"


def timed(label: str, call) -> None:
    started = time.perf_counter()
    result = call()
    print(f"{label:<48} {time.perf_counter() - started:7.2f} s   {result.total().phrase()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan, moved = folder / "big.xml", folder / "big_moved.xml"
        plan.write_text(plan_xml(args.tasks), encoding="utf-8")
        moved.write_text(plan_xml(args.tasks, shift=7), encoding="utf-8")
        register, changed = folder / "risks.csv", folder / "risks_v2.csv"
        register.write_text(register_csv(args.rows), encoding="utf-8")
        changed.write_text(register_csv(args.rows, changed=args.rows // 10), encoding="utf-8")
        print(f"plan: {args.tasks} tasks, {plan.stat().st_size / 2**20:.1f} MB; register: {args.rows} rows")
        with Store.open(folder / "bench.db") as store:
            options = ImportOptions(project="BIG")
            timed("plan: first import", lambda: import_path(store, plan, options))
            timed("plan: same file again (nothing written)", lambda: import_path(store, plan, options))
            timed("plan: moved dates (a third of the tasks)", lambda: import_path(store, moved, options))
            timed(
                "plan: dry run", lambda: import_path(store, plan, ImportOptions(project="BIG", dry_run=True))
            )
            timed("register: first import", lambda: import_path(store, register))
            timed("register: same file again", lambda: import_path(store, register))
            timed("register: a tenth re-scored", lambda: import_path(store, changed))
            started = time.perf_counter()
            export(store, folder / "out", "xlsx")
            print(f"{'export --format xlsx':<48} {time.perf_counter() - started:7.2f} s")


if __name__ == "__main__":
    main()
