"""MS Project plans (MSPDI): what a plan becomes, re-imports in place, and hostile files refused.

The fixture website_2019.xml is shaped like a Project 2019 export (namespace, calendars, extended
attributes, baselines 0 and 1, timephased data, resources and assignments). Its links, by hand:

  UID 2 → 3 FS; 3 → 5 FS +2d (9600 tenths of a minute / 480 = 2 d); 5 → 6 FS
  6 → 7 SS +4h; 6 → 8 FS −1ed (−14400 / 10 / 1440 = −1 d); 7 → 9 FF; 8 → 9 FS +25 % of 8's 160 h (= 5 d)
  4 → 10 FS (phase to phase); 9 → 11 FS; 11 → 12 FS; 12 → 13 SS +1w (24000 / 10 / 480 = 5 d)
  12 → 14 FS +3ed (43200 / 10 / 1440 = 3 d); 13 → 14 FF +4h (2400 / 10 / 480 = 0.5 d → 1 d, reported)
  14 → 15 SF +10d; 19 (a task of Data Centre.mpp) → 14 FS; 14 → 18 (an ordinary task) FS

Imported milestones: the 7 flagged ones (3, 6, 9, 12, 13, 14, 15) and the 3 level-1 summaries
(1 Discovery, 4 Build, 10 Go-live readiness). Collapsed through ordinary tasks:
  3 → 6 via 5: FS, 2 d;  9 → 12 via 11: FS, 0 d;
  6 → 9 via 7 (SS then FF: SF, 0.5 d) or via 8 (FS then FS: FS, −1 + 5 = 4 d): the larger lag binds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from pgmtui.cli import main
from pgmtui.exchange import ImportFailed, ImportOptions, import_path
from pgmtui.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
PLAN = FIXTURES / "website_2019.xml"
MOVED = FIXTURES / "website_2019_moved.xml"
PLAN_2003 = FIXTURES / "office_move_2003.xml"
WEB = ImportOptions(project="WEB")


def _milestones(store: Store) -> dict[str, tuple]:
    return {
        m["name"]: (m["baseline_date"], m["forecast_date"], m["actual_date"]) for m in store.rows("milestone")
    }


def _dependencies(store: Store) -> dict[tuple[str, str], tuple[str, int]]:
    names = {m["id"]: m["name"] for m in store.rows("milestone")}
    return {
        (names[d["supplier_id"]], names[d["consumer_id"]]): (d["type"], d["lag_days"])
        for d in store.rows("dependency")
    }


EXPECTED_LINKS = {
    ("Requirements signed off", "Design approved"): ("FS", 2),
    ("Design approved", "Build complete"): ("FS", 4),
    ("Build", "Go-live readiness"): ("FS", 0),
    ("Build complete", "UAT signed off"): ("FS", 0),
    ("UAT signed off", "Content freeze"): ("SS", 5),
    ("UAT signed off", "Go-live"): ("FS", 3),
    ("Content freeze", "Go-live"): ("FF", 1),
    ("Go-live", "Hypercare ends"): ("SF", 10),
}


def test_a_plan_becomes_a_project_with_milestones_and_dependencies(store: Store) -> None:
    store.insert("programme", {"name": "Digital"})
    result = import_path(store, PLAN, WEB)
    (project,) = store.rows("project")
    assert (project["code"], project["name"]) == ("WEB", "Website Replatform")  # the Title, not the file name
    assert (project["start_date"], project["forecast_end"], project["baseline_end"]) == (
        "2026-01-05",
        "2026-09-30",
        "2026-09-15",
    )
    # Baseline 0 cost 45000000 hundredths = 450,000.00; actual 12345600 = 123,456.00; baseline 1 ignored.
    assert (project["budget"], project["actual_cost"], project["percent_complete"]) == (
        450000.0,
        123456.0,
        35.0,
    )
    assert _milestones(store) == {
        "Discovery": ("2026-02-06", "2026-02-13", "2026-02-13"),
        "Requirements signed off": ("2026-02-06", "2026-02-13", "2026-02-13"),
        "Build": (None, "2026-07-31", None),
        "Design approved": ("2026-03-20", "2026-03-27", "2026-03-27"),
        "Build complete": ("2026-07-17", "2026-07-31", None),
        "Go-live readiness": (None, "2026-09-30", None),
        "UAT signed off": ("2026-08-14", "2026-08-21", None),
        "Content freeze": (None, "2026-09-01", None),
        "Go-live": ("2026-09-15", "2026-09-15", None),
        "Hypercare ends": (None, "2026-09-30", None),
    }
    assert _dependencies(store) == EXPECTED_LINKS
    assert result.summary().startswith(
        "imported 1 project, 10 milestone, 8 dependency, 2 person, 3 allocation from the plan website_2019.xml"
    )
    assert "24 added, 0 updated, 0 unchanged, 0 gone" in result.summary()
    notes = "\n".join(result.notes)
    assert "'Content freeze' → 'Go-live' 4h = 0.50 d → 1 d" in notes  # the one rounding, reported
    assert "3 link(s) through ordinary tasks collapsed" in notes
    assert "1 inactive task(s) left out: UID 16 'Cut-over rehearsal'" in notes
    assert "Data Centre 'Data centre exit' (not linked: no project named 'Data Centre')" in notes
    # Work resources are people; assignments to them allocations (units × 100 %, the assignment's dates).
    people = {p["name"]: (p["email"], p["team"], p["capacity_pct"]) for p in store.rows("person")}
    assert people == {
        "Asha Patel": ("asha.patel@example.org", "Digital", 100),
        "Tom Reed": (None, "Supplier", 50),
    }
    names = {p["id"]: p["name"] for p in store.rows("person")}
    allocations = sorted(
        (names[a["person_id"]], a["start_date"], a["end_date"], a["percent"])
        for a in store.rows("allocation")
    )
    assert allocations == [
        ("Asha Patel", "2026-02-17", "2026-03-27", 100.0),  # Design system, units 1
        ("Asha Patel", "2026-03-27", "2026-04-24", 50.0),  # CMS integration, units 0.5
        ("Tom Reed", "2026-03-30", "2026-06-26", 50.0),  # Front-end build, units 0.5
    ]
    assert "material and cost resources are not people: Test devices, Travel" in notes
    assert "1 assignment(s) to no resource left out" in notes
    assert store.external_refs("msproject:9E2C1F40-5B7A-4C9B-8E1D-2F3A4B5C6D7E")[("milestone", "14")] == next(
        m["id"] for m in store.rows("milestone") if m["name"] == "Go-live"
    )


def test_without_phases_only_flagged_milestones_are_imported(store: Store) -> None:
    import_path(store, PLAN, ImportOptions(project="WEB", phases=False))
    assert sorted(_milestones(store)) == sorted(
        ["Requirements signed off", "Design approved", "Build complete", "UAT signed off", "Content freeze",
         "Go-live", "Hypercare ends"]
    )  # fmt: skip
    assert _dependencies(store) == {
        k: v for k, v in EXPECTED_LINKS.items() if k != ("Build", "Go-live readiness")
    }


def test_importing_the_same_plan_again_touches_nothing(store: Store) -> None:
    import_path(store, PLAN, WEB)
    audit, rows = store.audit_count(), {k: store.rows(k) for k in ("project", "milestone", "dependency")}
    result = import_path(store, PLAN, WEB)  # the plan's GUID finds the project: same as without --project
    assert store.audit_count() == audit  # no audit row: nothing was written
    assert {k: store.rows(k) for k in rows} == rows  # versions and stamps as they were
    assert "0 added, 0 updated, 24 unchanged, 0 gone" in result.summary()
    again = import_path(store, PLAN)  # no --project: the GUID remembers the project
    assert "24 unchanged" in again.summary()


def test_moved_dates_update_in_place_and_the_stand_up_shows_the_moves(store: Store, capsys) -> None:
    store.insert("programme", {"name": "Digital"})
    with store.acting(at=pendulum.datetime(2026, 11, 20, 9)):  # imported last week
        import_path(store, PLAN, WEB)
    ids = {m["name"]: m["id"] for m in store.rows("milestone")}
    result = import_path(store, MOVED, WEB)
    after = {m["name"]: m for m in store.rows("milestone")}
    assert after["Go-live"]["id"] == ids["Go-live"] and after["Go-live"]["forecast_date"] == "2026-09-29"
    assert after["Go-live"]["version"] == 2
    assert after["Requirements signed off"]["version"] == 1  # unchanged: not touched
    assert "Hypercare ends" in after  # gone from the plan, but not deleted without --prune
    assert after["Launch comms sent"]["forecast_date"] == "2026-09-30"
    assert _dependencies(store)[("UAT signed off", "Content freeze")] == ("SS", 10)  # 2w now
    assert "2 added, 5 updated, 17 unchanged, 2 gone" in result.summary()
    notes = "\n".join(result.notes)
    assert "updated milestone Go-live: forecast_date 2026-09-15 → 2026-09-29 (+14 d)" in notes
    assert "1 milestone(s) no longer in the plan: 15 Hypercare ends (kept; --prune deletes them)" in notes
    assert "1 dependency(s) no longer in the plan: 'Go-live' → 'Hypercare ends'" in notes
    assert main(["--db", str(store.path), "standup"]) == 0
    out = capsys.readouterr().out
    assert "WEB:Go-live forecast moved +14 d (2026-09-15 → 2026-09-29)" in out
    assert "WEB:Launch comms sent added" in out


def test_prune_deletes_what_the_plan_no_longer_has(store: Store) -> None:
    import_path(store, PLAN, WEB)
    result = import_path(store, MOVED, ImportOptions(project="WEB", prune=True))
    assert "Hypercare ends" not in _milestones(store)
    assert ("Go-live", "Hypercare ends") not in _dependencies(store)
    assert "(1 deleted)" in result.summary()
    assert all(k[1] != "15" for k in store.external_refs("msproject:9E2C1F40-5B7A-4C9B-8E1D-2F3A4B5C6D7E"))


def _files(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name)}


def test_dry_run_writes_nothing(store: Store, capsys) -> None:
    store.insert("programme", {"name": "Digital"})
    import_path(store, PLAN, WEB)
    audit = store.audit_count()
    store.close()
    before = _files(store.path)
    assert (
        main(["--db", str(store.path), "import", str(MOVED), "--project", "WEB", "--dry-run", "--prune"]) == 0
    )
    out = capsys.readouterr().out
    assert (
        "dry run, nothing written: would have imported" in out and "2 added, 5 updated, 17 unchanged" in out
    )
    assert _files(store.path) == before  # the database file (and its -wal) byte for byte
    with Store.open(store.path) as s:
        assert s.audit_count() == audit and s.rows("milestone")[-1]["name"] == "Hypercare ends"


def test_dry_run_into_a_new_database_leaves_no_file(tmp_path: Path, capsys) -> None:
    db = tmp_path / "new.db"
    assert main(["--db", str(db), "import", str(PLAN), "--project", "WEB", "--dry-run"]) == 0
    assert "would have imported 1 project, 10 milestone, 8 dependency, 2 person" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_2003_plan_without_guid_or_title(store: Store) -> None:
    """MinutesPerDay 450: 27000 tenths of a minute in format m = 2700 min = 6 working days; 201600
    tenths in elapsed weeks = 20160 min = 14 days. Fit-out (an ordinary task) is collapsed."""
    with pytest.raises(ImportFailed.__mro__[1]) as refused:  # a ValidationError: no GUID to remember
        import_path(store, PLAN_2003)
    assert "give the project it goes into: --project CODE" in str(refused.value)
    import_path(store, PLAN_2003, ImportOptions(project="OFF"))
    (project,) = store.rows("project")
    assert (project["name"], project["baseline_end"], project["budget"]) == (
        "Office Move",
        "2026-05-22",
        12500.0,
    )
    assert _dependencies(store) == {
        ("Lease signed", "Network live"): ("FS", 6),
        ("Network live", "Staff moved in"): ("FS", 14),
    }
    audit = store.audit_count()
    assert (
        "3 unchanged" in import_path(store, PLAN_2003, ImportOptions(project="off")).summary()
    )  # code any case
    assert store.audit_count() == audit


def test_an_existing_project_is_updated_and_keeps_its_name(store: Store) -> None:
    store.insert("project", {"code": "WEB", "name": "Web platform", "start_date": "2026-01-01"})
    result = import_path(store, PLAN, WEB)
    (project,) = store.rows("project")
    assert (project["name"], project["start_date"], project["forecast_end"]) == (
        "Web platform",
        "2026-01-05",
        "2026-09-30",
    )
    assert "project: 0 added, 1 updated" in result.summary()


def test_a_cross_project_link_is_made_when_the_other_project_exists(store: Store) -> None:
    store.insert("project", {"code": "DCX", "name": "Data Centre"})
    store.insert("milestone", {"project": "DCX", "name": "Data centre exit", "forecast_date": "2026-07-01"})
    result = import_path(store, PLAN, WEB)
    assert _dependencies(store)[("Data centre exit", "Go-live")] == ("FS", 0)
    assert "Data Centre 'Data centre exit' (linked to DCX:Data centre exit)" in "\n".join(result.notes)


def test_one_plan_feeds_one_project(store: Store) -> None:
    import_path(store, PLAN, WEB)
    with pytest.raises(ImportFailed.__mro__[1]) as refused:
        import_path(store, PLAN, ImportOptions(project="OTHER"))
    assert "was imported into project WEB; import it again with --project WEB" in str(refused.value)
    assert [p["code"] for p in store.rows("project")] == ["WEB"]


def test_a_bad_task_refuses_the_whole_plan(store: Store, tmp_path: Path) -> None:
    text = PLAN.read_text(encoding="utf-8").replace("<Name>Go-live</Name>", f"<Name>{'x' * 2500}</Name>")
    bad = tmp_path / "bad.xml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_path(store, bad, WEB)
    assert failure.value.problems == [
        "bad.xml: task UID 14 '" + "x" * 59 + "…': name is too long (2500 characters, at most 2000)"
    ]
    assert store.count("project") == store.count("milestone") == store.audit_count() == 0


# ---------------------------------------------------------------------------- hostile and broken files

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol3;</Name></Project>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Title>&secret;</Title></Project>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://attacker.example/project.dtd">
<Project xmlns="http://schemas.microsoft.com/project"><Title>x</Title></Project>
"""


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("laughs.xml", BILLION_LAUGHS, "refused: the file declares a document type (<!DOCTYPE>), where entity-expansion"),
        ("xxe.xml", XXE, "refused: the file declares a document type"),
        ("dtd.xml", EXTERNAL_DTD, "refused: the file declares a document type"),
        ("deep.xml", "<Project>" + "<Tasks>" * 100 + "</Tasks>" * 100 + "</Project>", "refused: XML elements nested more than 32 deep"),
        ("broken.xml", "<Project><Tasks><Task></Tasks></Project>", "not well-formed XML at line 1, column"),
        ("other.xml", "<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "not an MS Project XML file (its first element is <svg>"),
        ("empty.xml", "", "not an XML file"),
    ],
)  # fmt: skip
def test_hostile_or_broken_xml_is_refused_in_one_line_and_nothing_is_written(
    tmp_path: Path, capsys, name: str, text: str, message: str
) -> None:
    db = tmp_path / "p.db"
    assert main(["--db", str(db), "add", "programme", "name=P"]) == 0
    capsys.readouterr()
    before = _files(db)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["--db", str(db), "import", str(path), "--project", "WEB"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"pgmtui: error: {name}: ") and message in line, line
    assert "passwd" not in line and "root:" not in line
    assert _files(db) == before


def test_a_plan_larger_than_the_limit_is_refused_unread(tmp_path: Path, store: Store, monkeypatch) -> None:
    import pgmtui.exchange.mspdi as mspdi

    monkeypatch.setattr(mspdi, "MAX_BYTES", 1000)
    with pytest.raises(ImportFailed.__mro__[1]) as refused:
        import_path(store, PLAN, WEB)
    assert "refused: 0 MB is larger than a plan pgmtui reads" in str(refused.value)


def test_cli_plan_import_prints_notes_and_summary(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    assert main(["--db", str(db), "import", str(PLAN), "--project", "WEB"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == "note: plan 'Website Replatform' → project WEB (msproject:9E2C1F40-5B7A-4C9B-8E1D-2F3A4B5C6D7E)"
    )
    assert out[-1].startswith(
        "imported 1 project, 10 milestone, 8 dependency, 2 person, 3 allocation from the plan website_2019.xml: 24 added"
    )
    assert main(["--db", str(db), "list", "milestone", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 10
    assert main(["--db", str(db), "import", str(PLAN), "--impact-bands", "1,2,3,4"]) == 2
    assert "--impact-bands and --source are for registers" in capsys.readouterr().err


def test_a_plan_without_costs_leaves_the_projects_money_alone(store: Store) -> None:
    """The 2003 plan's summary task has ActualCost 0 (a plan that tracks no actuals): the actual
    cost recorded in pgmtui stays; its baseline cost (1250000 hundredths) becomes the budget."""
    store.insert("project", {"code": "OFF", "name": "Office move", "actual_cost": 5000, "budget": 9000})
    import_path(store, PLAN_2003, ImportOptions(project="OFF"))
    (project,) = store.rows("project")
    assert (project["actual_cost"], project["budget"]) == (5000.0, 12500.0)


def test_a_person_already_in_pgmtui_is_the_resource(store: Store) -> None:
    """Names are unique in any case: "asha patel" is Asha Patel. She is not added twice, keeps the
    capacity set in pgmtui (the plan's max units only start a new person off), and gets the
    plan's team."""
    store.insert("person", {"name": "asha patel", "capacity_pct": 60})
    result = import_path(store, PLAN, WEB)
    people = {p["name"]: p for p in store.rows("person")}
    assert sorted(people) == ["Tom Reed", "asha patel"]
    assert (people["asha patel"]["capacity_pct"], people["asha patel"]["team"]) == (60, "Digital")
    assert "person: 1 added, 1 updated" in result.summary()
    assert len([a for a in store.rows("allocation") if a["person_id"] == people["asha patel"]["id"]]) == 2
    store.delete("project", "WEB")  # the people stay: they are the programme's
    assert sorted(p["name"] for p in store.rows("person")) == ["Tom Reed", "asha patel"]
