"""Export and import of the second wave's kinds: byte-identical round trips of every table and link
table, and an import into a database that already holds records, where references and links
(`kind:id`) follow the new ids."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from pgmtui.exchange import EXPORT_TABLES, ImportFailed, export, import_path
from pgmtui.records.fields import SECOND_WAVE
from pgmtui.store import Store
from tests.second_wave import add_wave_base, fill_every_field


@pytest.fixture
def source(small_programme: Store, db_path: Path) -> Path:
    s = small_programme
    add_wave_base(s)
    made = fill_every_field(s)
    # links in both directions between kinds, and to a record exported after the one naming it
    first = s.insert("action", {"title": "Write it up", "about": f"lesson:{made['lesson']}"})
    s.insert("lesson", {"title": "Write lessons up", "source": f"action:{first}", "project": "CLD"})
    s.delete("milestone", "IAM:Design")  # some history: deletes and unlinks in the audit trail
    s.close()
    return db_path


def test_every_new_table_is_exported_in_order(source: Path, tmp_path: Path) -> None:
    with Store.open(source) as s:
        files = export(s, tmp_path / "csv", "csv")
    assert [f.stem for f in files] == list(EXPORT_TABLES)
    names = list(EXPORT_TABLES)
    assert names.index("stakeholder_project") == names.index("stakeholder") + 1
    assert names.index("benefit_project") == names.index("benefit") + 1
    # The audit trail and the external references (issue 23) come after every record table.
    assert names[-2:] == ["audit", "external_ref"]
    for kind in SECOND_WAVE:
        assert len((tmp_path / "csv" / f"{kind.table}.csv").read_text().splitlines()) >= 2, kind.name
    links = (tmp_path / "csv" / "stakeholder_project.csv").read_text()
    assert links == "stakeholder_id,project_id\n1,1\n"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_round_trip_is_byte_identical(source: Path, tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    with Store.open(source) as s:
        export(s, first, fmt)
    with Store.open(tmp_path / "copy.db") as s:
        source_path = first / "pgmtui-export.json" if fmt == "json" else first
        result = import_path(s, source_path)
        assert result.mode == "restore"
        assert all(result.counts[k.name] >= 1 for k in SECOND_WAVE)
        assert s.integrity_problems() == []
        export(s, second, fmt)
    cmp = filecmp.dircmp(first, second)
    assert cmp.left_only == cmp.right_only == cmp.diff_files == []
    assert len(cmp.same_files) == (len(EXPORT_TABLES) if fmt == "csv" else 1)


def test_a_restore_refuses_a_link_to_a_record_not_in_the_file(source: Path, tmp_path: Path) -> None:
    with Store.open(source) as s:
        export(s, tmp_path / "out", "json")
    path = tmp_path / "out" / "pgmtui-export.json"
    doc = json.loads(path.read_text())
    doc["tables"]["action"][0]["about"] = "issue:404"
    path.write_text(json.dumps(doc))
    with Store.open(tmp_path / "new.db") as s:
        with pytest.raises(ImportFailed) as err:
            import_path(s, path)
        assert err.value.problems == ["link: action 1: about: no issue with id 404"]
        assert s.is_empty()


def test_importing_into_a_database_with_records_follows_the_new_ids(source: Path, tmp_path: Path) -> None:
    with Store.open(source) as s:
        export(s, tmp_path / "out", "json")
        before = {k.name: s.rows(k.name) for k in SECOND_WAVE}
        stakeholder_links = s.read_all()["links"]["stakeholder_project"]
    target = tmp_path / "target.db"
    with Store.open(target) as t:
        t.insert("programme", {"name": "Target"})
        t.insert("project", {"code": "OWN", "name": "Already here"})  # id 1: imported ids move up by one
        t.insert("milestone", {"project": "OWN", "name": "Own milestone"})
        t.insert("issue", {"project": "OWN", "title": "Own issue"})
        mark = t.audit_count()
        result = import_path(t, tmp_path / "out" / "pgmtui-export.json")
        assert result.mode == "add"
        assert {k.name: result.counts[k.name] for k in SECOND_WAVE} == {k: len(v) for k, v in before.items()}
        projects = {r["code"]: r["id"] for r in t.rows("project")}
        assert projects == {"OWN": 1, "IAM": 2, "CLD": 3}
        # references follow the projects' new ids
        assert {r["project_id"] for r in t.rows("cost")} == {projects["IAM"]}
        assert t.read_all()["links"]["stakeholder_project"] == {1: [projects["IAM"]]} != stakeholder_links
        # links `kind:id` too, the one to a lesson imported after its action included
        actions = {r["title"]: r for r in t.rows("action")}
        lessons = {r["title"]: r for r in t.rows("lesson")}
        reviews = t.rows("gate_review")
        assert actions["Chase the DPIA"]["about"] == f"gate_review:{reviews[0]['id']}"
        assert lessons["Book gate reviews early"]["source"] == f"action:{actions['Chase the DPIA']['id']}"
        assert lessons["Write lessons up"]["source"] == f"action:{actions['Write it up']['id']}"
        assert actions["Write it up"]["about"] == f"lesson:{lessons['Book gate reviews early']['id']}"
        assert actions["Write it up"]["version"] == 2  # set once the lesson was in: an audited update
        new_audit = t.audit()[mark:]
        assert sum(a["action"] == "update" for a in new_audit) == 1
        assert all(a["action"] == "insert" for a in new_audit if a["tbl"] != "action")
        assert t.integrity_problems() == []
