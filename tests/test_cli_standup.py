"""`pgmtui standup` on the demo: plain text, JSON, and a bad --since refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

from pgmtui.cli import main


def test_cli_standup(demo_db: Path, capsys) -> None:
    assert main(["--db", str(demo_db), "standup"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Stand-up 2026-11-25 — changes since Tue 24 Nov")
    assert "RAG changes:" in out and "Needs attention today:" in out
    assert main(["--db", str(demo_db), "standup", "--json", "--since", "2026-11-18"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["since"] == "2026-11-18T00:00:00.000000Z"
    assert main(["--db", str(demo_db), "standup", "--since", "yesterday"]) == 2
    assert main(["--db", str(demo_db), "standup", "--since", "2027-01-01"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(e.startswith("pgmtui: error: --since") for e in err)
