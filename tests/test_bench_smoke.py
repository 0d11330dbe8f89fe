"""The benchmark must not rot: run it on the small demo with one iteration and check its table.

CI does not run the full benchmark (too noisy to gate on); this only proves every section still
runs end to end and prints its row. Figures are not asserted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# networkx (the critical-path reference) and pyte (the screen reader) are in the test extra: a
# missing one fails the benchmark run below loudly instead of skipping it.

ROOT = Path(__file__).resolve().parents[1]


ROW_IDS = (
    "1", "1b", "1c", "2a", "2b", "3a", "3b", "3c", "4", "5a", "5b", "6a", "6b", "6c", "6d", "6e", "6f",
    "7a", "7b", "7c", "7d", "7e", "7f", "7g", "7h", "8",
)  # fmt: skip


@pytest.mark.slow
def test_bench_runs_on_the_small_demo(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    out_json = tmp_path / "figures.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--size",
            "small",
            "--runs",
            "1",
            "--quick",
            "--cache",
            str(tmp_path / "cache"),
            "--json",
            str(out_json),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("#   measure"))
    table = {}
    for line in lines[header + 2 :]:
        if not line.strip():
            break
        rid, rest = line.split(None, 1)
        table[rid] = rest
    assert tuple(table) == ROW_IDS
    # Every section that runs in quick mode produced a figure (not a skip marker) …
    for rid in ("1", "1b", "1c", "2a", "2b", "3a", "3b", "3c", "4", "5a", "5b", "6a", "6d"):
        assert "skipped" not in table[rid], table[rid]
        assert re.search(r"\d", table[rid].split("  ")[0] + table[rid]), table[rid]
    # … with its measured value in the pgmtui column.
    assert re.search(r"\d+ ms", table["1"]) and re.search(r"\d+ B", table["5a"]) and "MB" in table["5b"]
    assert "×" in table["3a"] and "networkx" in table["4"]
    assert out_json.exists()


def test_bench_table_ids_match_the_runner() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("pgmtui_bench_run", ROOT / "bench" / "run.py")
    run = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = run  # dataclasses look their module up
    spec.loader.exec_module(run)
    assert run.ROW_IDS == ROW_IDS
