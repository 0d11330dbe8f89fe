"""One writer process of the concurrency stress test (run by test_concurrency.py).

    python stress_worker.py DB LOG WORKER_INDEX N_WRITES SEED GO_FILE

Waits until GO_FILE exists (so every worker starts at once), then makes N_WRITES acknowledged
writes through the store, mixed:

- insert a risk on one of the shared projects (title names the worker and sequence number);
- update one of this worker's own risks with the version it last saw (never contested);
- increment a shared counter (project budget on a hot row) by read-version-update, retrying on
  ConflictError: a lost update would show as a counter lower than the acknowledged increments;
- a contested edit of a shared "hot" risk with the version just read (no retry: a conflict is
  reported and counted, not hidden).

Every acknowledged write is logged as one JSON line and flushed *after* the store returned, so
the log holds exactly what the store acknowledged. Anything other than ConflictError that reaches
this caller is logged as an error (the test requires none: no "database is locked", no BusyError).
Every 25 operations it also reads everything (`read_all`) while the others write.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time


def main() -> int:
    db, log_path, index, n_writes, seed, go_file = sys.argv[1:7]
    index, n_writes = int(index), int(n_writes)
    from pgmtui.store import ConflictError, Store

    rng = random.Random(int(seed) * 1000 + index)
    user = f"worker{index}"
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - flushed line by line

    def record(**entry: object) -> None:
        log.write(json.dumps(entry) + "\n")
        log.flush()

    store = Store.open(db)
    hot_projects = [p["id"] for p in store.rows("project") if p["code"].startswith("HOT")]
    hot_risks = [r["id"] for r in store.rows("risk") if r["title"].startswith("hot ")]
    record(op="ready")
    deadline = time.monotonic() + 30
    while not os.path.exists(go_file):
        if time.monotonic() > deadline:
            record(op="error", type="Timeout", message="never told to start")
            return 1
        time.sleep(0.001)

    own: dict[int, int] = {}  # risk id -> version this worker last wrote
    acknowledged = 0
    seq = 0
    with store.acting(user=user):
        while acknowledged < n_writes:
            seq += 1
            roll = rng.random()
            try:
                if seq % 25 == 0:
                    snapshot = store.read_all()
                    record(op="read", risks=len(snapshot["tables"]["risk"]))
                if roll < 0.35 or not own:
                    title = f"{user} risk {seq}"
                    project = rng.choice(hot_projects)
                    rid = store.insert(
                        "risk",
                        {"project": project, "title": title, "probability": rng.randint(1, 5), "impact": 3},
                    )
                    own[rid] = 1
                    acknowledged += 1
                    record(op="insert", id=rid, title=title, version=1)
                elif roll < 0.60:
                    rid = rng.choice(sorted(own))
                    title = f"{user} risk {seq} (edited)"
                    row = store.update("risk", rid, {"title": title}, expected_version=own[rid])
                    own[rid] = row["version"]
                    acknowledged += 1
                    record(op="update", id=rid, title=title, version=row["version"])
                elif roll < 0.85:
                    pid = rng.choice(hot_projects)
                    conflicts = 0
                    for _ in range(200):
                        current = store.get("project", pid)
                        time.sleep(rng.random() * 0.002)  # think time: others may write meanwhile
                        try:
                            row = store.update(
                                "project",
                                pid,
                                {"budget": current["budget"] + 1},
                                expected_version=current["version"],
                            )
                        except ConflictError:
                            conflicts += 1
                            continue
                        break
                    else:
                        record(op="error", type="GaveUp", message=f"increment of {pid} never won")
                        return 1
                    acknowledged += 1
                    record(op="increment", id=pid, version=row["version"], conflicts=conflicts)
                else:
                    rid = rng.choice(hot_risks)
                    current = store.get("risk", rid)
                    time.sleep(rng.random() * 0.002)
                    probability = current["probability"] % 5 + 1
                    try:
                        row = store.update(
                            "risk", rid, {"probability": probability}, expected_version=current["version"]
                        )
                    except ConflictError as exc:
                        record(op="conflict", id=rid, message=str(exc))
                        continue
                    acknowledged += 1
                    record(op="contested", id=rid, version=row["version"], probability=probability)
            except ConflictError as exc:
                record(op="error", type="ConflictError", message=str(exc))
                return 1
            except Exception as exc:  # noqa: BLE001 - the test asserts nothing else reaches a caller
                record(op="error", type=type(exc).__name__, message=str(exc))
                return 1
    store.close()
    record(op="done", acknowledged=acknowledged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
