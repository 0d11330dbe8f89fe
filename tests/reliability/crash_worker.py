"""A writer that the crash test kills with SIGKILL at a random moment (run by test_crash.py).

    python crash_worker.py DB SEED

Prints `READY`, then writes forever, printing one acknowledgement line *after* each commit
returned (stdout is a file, written and flushed per line, so what was printed survives the kill):

    I <risk id> <title>                 a single risk insert
    U <risk id> <version> <title>       an update of a risk it inserted earlier
    B <batch no> <k> <id,id,...>        a batch: k risk inserts + one counter increment, one transaction
    C <version>                         a counter increment on project CRASH (budget += 1)
"""

from __future__ import annotations

import random
import sys


def main() -> int:
    db, seed = sys.argv[1], int(sys.argv[2])
    from pgmtui.store import Store

    rng = random.Random(seed)
    out = sys.stdout

    def ack(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    store = Store.open(db)
    mine: dict[int, int] = {}
    ack("READY")
    n = 0
    while True:
        n += 1
        roll = rng.random()
        if roll < 0.4 or not mine:
            title = f"s{seed}-{n}"
            rid = store.insert("risk", {"project": "CRASH", "title": title, "probability": 2, "impact": 2})
            mine[rid] = 1
            ack(f"I {rid} {title}")
        elif roll < 0.6:
            rid = rng.choice(list(mine))
            title = f"s{seed}-{n} edited"
            row = store.update("risk", rid, {"title": title}, expected_version=mine[rid])
            mine[rid] = row["version"]
            ack(f"U {rid} {row['version']} {title}")
        elif roll < 0.8:
            k = rng.randint(2, 40)
            ids = []
            with store.batch():
                for j in range(k):
                    ids.append(
                        store.insert(
                            "risk",
                            {
                                "project": "CRASH",
                                "title": f"b{seed}-{n}/{k}-{j}",
                                "probability": 3,
                                "impact": 3,
                            },
                        )
                    )
                current = store.get("project", "CRASH")
                store.update("project", "CRASH", {"budget": current["budget"] + 1})
            ack(f"B {seed}-{n} {k} {','.join(map(str, ids))}")
        else:
            current = store.get("project", "CRASH")
            row = store.update(
                "project", "CRASH", {"budget": current["budget"] + 1}, expected_version=current["version"]
            )
            ack(f"C {row['version']}")


if __name__ == "__main__":
    sys.exit(main())
