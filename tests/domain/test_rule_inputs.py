"""rollup.RULE_INPUTS must name everything an evidence rule reads: a live build reuses a rule's
findings while those inputs are unchanged, so an input left out would leave a RAG stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
import pytest

from pgmtui.domain.models import RECORD_LISTS, Snapshot
from pgmtui.domain.rollup import EVIDENCE_RULES, RULE_INPUTS
from pgmtui.services.snapshot import load_snapshot
from pgmtui.store import Store

TODAY = pendulum.Date(2026, 11, 25).toordinal()

# Snapshot attributes that hold a table's records (or links), by the table name RULE_INPUTS uses.
RECORD_FIELDS = {
    **{attribute: table for table, attribute in RECORD_LISTS.items()},
    "programme": "programme",
    "benefit_projects": "benefit_project",
}


class _Recorded(dict):
    """A mapping of tables that notes which ones were looked up."""

    def __init__(self, data: dict, seen: set[str]) -> None:
        super().__init__(data)
        self.seen = seen

    def get(self, key: Any, default: Any = None) -> Any:
        self.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.seen.add(str(key))
        return super().__contains__(key)


class _RecordingSnapshot(Snapshot):
    """A Snapshot that notes every table a rule reads, whichever way it reads it."""

    def __getattribute__(self, name: str) -> Any:
        table = RECORD_FIELDS.get(name)
        if table is not None:
            object.__getattribute__(self, "seen").add(table)
        return object.__getattribute__(self, name)


def _recording(snapshot: Snapshot, seen: set[str]) -> Snapshot:
    rec = _RecordingSnapshot(
        programme=snapshot.programme,
        projects=snapshot.projects,
        milestones=snapshot.milestones,
        dependencies=snapshot.dependencies,
        risks=snapshot.risks,
        benefits=snapshot.benefits,
        measurements=snapshot.measurements,
        benefit_projects=snapshot.benefit_projects,
        rows=_Recorded(dict(snapshot.rows), seen),
        links=_Recorded(dict(snapshot.links), seen),
    )
    rec.seen = seen  # type: ignore[attr-defined]
    return rec


@pytest.fixture
def snapshot(demo_db: Path) -> Snapshot:
    with Store.open(demo_db) as store:
        return load_snapshot(store)[1]


def test_every_rule_is_declared_or_runs_every_build() -> None:
    # A rule not in RULE_INPUTS is simply run on every build (correct, only slower).
    assert set(RULE_INPUTS) <= set(EVIDENCE_RULES)


@pytest.mark.parametrize("rule", list(RULE_INPUTS), ids=lambda r: r.__name__)
def test_a_rule_reads_nothing_it_does_not_declare(rule, snapshot: Snapshot) -> None:
    seen: set[str] = set()
    found = rule(_recording(snapshot, seen), TODAY)
    assert found, "the demo should give this rule something to say"
    assert seen <= set(RULE_INPUTS[rule].reads)


@pytest.mark.parametrize(
    "rule", [r for r, i in RULE_INPUTS.items() if i.per_project], ids=lambda r: r.__name__
)
def test_a_per_project_rule_gives_each_project_alone_what_it_gives_all(rule, snapshot: Snapshot) -> None:
    everything = rule(snapshot, TODAY)
    for pid in everything:
        assert rule(snapshot, TODAY, only={pid}) == {pid: everything[pid]}
    assert rule(snapshot, TODAY, only=set()) == {}
