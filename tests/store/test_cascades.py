"""What a delete takes with it and what it only unlinks, on real database files: every cascade and
unlink with its audit rows, one update per record unlinked, the plan shown before a delete, and
the audit rows of a delete holding everything needed to put it all back. Also the upgrade of a
database written by schema 3."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pgmtui.domain.history import table_at
from pgmtui.exchange import EXPORT_TABLES
from pgmtui.records.fields import KINDS
from pgmtui.store import Store
from pgmtui.store.schema import SCHEMA_VERSION
from tests.second_wave import add_wave_base, fill_every_field

META = ("version", "created_at", "updated_at", "updated_by")


@pytest.fixture
def wave(small_programme: Store) -> Store:
    """The wave base plus records naming IAM (id 1), its gate IAM:Gate 1 (id 2) and CLD (id 2)."""
    s = small_programme
    add_wave_base(s)
    s.insert("person", {"name": "Asha Patel"})
    s.insert("person", {"name": "Ben Okafor"})
    s.insert("objective", {"code": "GROW", "name": "Grow"})
    s.insert("stakeholder", {"name": "CFO", "power": 5, "interest": 4, "projects": "IAM, CLD"})
    return s


def _alloc(s: Store, person: str, project: str, milestone: str | None = None) -> int:
    fields = {"person": person, "project": project, "start_date": "2026-12-01", "end_date": "2026-12-18",
              "percent": 40}  # fmt: skip
    if milestone:
        fields["milestone"] = milestone
    return s.insert("allocation", fields)


def _new_audit(s: Store, since: int) -> list[dict[str, Any]]:
    return s.audit()[since:]


def _what(audit: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((a["tbl"], a["action"]) for a in audit)


# ---------------------------------------------------------------------- deleting a project


def test_deleting_a_project_takes_its_records_and_unlinks_the_rest(wave: Store) -> None:
    s = wave
    a1 = _alloc(s, "Asha Patel", "IAM", "IAM:Gate 1")
    a2 = _alloc(s, "Ben Okafor", "CLD")
    cost = s.insert("cost", {"project": "IAM", "month": "2026-12", "planned": 1000})
    cr = s.insert("change_request", {"project": "IAM", "title": "More scope"})
    contribution = s.insert("contribution", {"objective": "GROW", "project": "IAM", "strength": 3})
    by_benefit = s.insert("contribution", {"objective": "GROW", "benefit": "Fewer tickets", "strength": 1})
    case = s.insert("business_case", {"project": "IAM"})
    programme_case = s.insert("business_case", {})
    review = s.insert("gate_review", {"milestone": "IAM:Gate 1", "review_date": "2026-12-01"})
    on_iam = s.insert("action", {"title": "IAM's own action", "project": "IAM"})
    about_iam = s.insert("action", {"title": "About IAM", "project": "CLD", "about": "project:IAM"})
    about_gate = s.insert("action", {"title": "About the gate", "about": "milestone:IAM:Gate 1"})
    about_issue = s.insert("action", {"title": "About CLD's issue", "about": "issue:1"})
    lesson = s.insert("lesson", {"title": "IAM lesson", "project": "IAM", "source": "gate_review:1"})
    kept_lesson = s.insert("lesson", {"title": "CLD lesson", "project": "CLD"})
    mark = s.audit_count()

    plan = s.deletion("project", "IAM")
    assert s.audit_count() == mark  # the plan writes nothing
    s.delete("project", "IAM")
    audit = _new_audit(s, mark)

    gone = {(a["tbl"], a["row_id"]) for a in audit if a["action"] == "delete"}
    assert gone == {
        ("project", 1), ("milestone", 1), ("milestone", 2), ("decision", 1), ("allocation", a1), ("cost", cost),
        ("change_request", cr), ("contribution", contribution), ("business_case", case), ("gate_review", review),
        ("action", on_iam),
    }  # fmt: skip
    assert plan.deletes == [(a["tbl"], a["row_id"]) for a in audit if a["action"] == "delete"]
    assert audit[-1]["tbl"] == "project" and audit[-1]["action"] == "delete"  # the record asked for, last
    updates = {(a["tbl"], a["row_id"]): a["changes"] for a in audit if a["action"] == "update"}
    assert updates == {
        ("benefit", 1): {"projects": [[1], []]},
        ("stakeholder", 1): {"projects": [[1, 2], [2]]},
        ("action", about_iam): {"about": ["project:1", None]},
        ("action", about_gate): {"about": ["milestone:2", None]},
        # one update for two references gone: the project and the gate review it came from
        ("lesson", lesson): {"project_id": [1, None], "source": ["gate_review:1", None]},
    }
    assert plan.counts() == {
        "deleted": {"project": 1, "milestone": 2, "decision": 1, "allocation": 1, "cost": 1, "change_request": 1,
                    "contribution": 1, "business_case": 1, "gate_review": 1, "action": 1},
        "unlinked": {"benefit": 1, "stakeholder": 1, "action": 2, "lesson": 1},
    }  # fmt: skip
    # every audit row of the delete is one change: one instant, one user
    assert {(a["ts"], a["user"]) for a in audit} == {(audit[0]["ts"], s.user)}
    # what stays is untouched
    assert s.get("allocation", a2)["version"] == 1
    assert s.get("contribution", by_benefit)["version"] == 1
    assert s.get("business_case", programme_case)["project_id"] is None
    assert s.get("action", about_issue)["about"] == "issue:1"
    assert s.get("lesson", kept_lesson)["version"] == 1
    kept = s.get("lesson", lesson)
    assert (kept["project_id"], kept["source"], kept["version"]) == (None, None, 2)
    assert s.get("stakeholder", "CFO")["projects"] == [2]
    assert s.integrity_problems() == []


def test_the_audit_rows_of_a_delete_give_back_every_row_and_link(small_programme: Store) -> None:
    """Undo's raw material: rewinding the delete's audit rows over the tables after it gives the
    tables before it — every record with the same id and values, every link, every cleared field."""
    s = small_programme
    add_wave_base(s)
    fill_every_field(s)  # every kind, every field, naming IAM (the first project)
    s.insert("person", {"name": "Ben Okafor"})
    _alloc(s, "Ben Okafor", "IAM", "IAM:Gate 1")
    _alloc(s, "Ben Okafor", "CLD")
    s.insert("action", {"title": "About the gate review", "about": "gate_review:1"})
    s.insert("lesson", {"title": "From CLD", "project": "CLD", "source": "project:IAM"})

    def dump() -> dict[str, dict[int, dict[str, Any]]]:
        data = s.read_all()
        tables = {t: {r["id"]: r for r in rows} for t, rows in data["tables"].items()}
        for kind in ("benefit", "stakeholder"):
            link_table = KINDS[kind].links["projects"][0]
            for rid, row in tables[kind].items():
                row["projects"] = sorted(data["links"][link_table].get(rid, []))
        return tables

    before = dump()
    mark = s.audit_count()
    s.delete("project", "IAM")
    delete_rows = _new_audit(s, mark)
    after = dump()
    assert after != before

    # A delete's audit row leaves out the columns that were empty: empty is what an undo writes.
    def values(rows: Any) -> dict[int, dict[str, Any]]:
        return {
            rid: {k: v for k, v in row.items() if k not in META and v is not None}
            for rid, row in rows.items()
        }

    assert sum(len(rows) for rows in before.values()) == 31  # every kind, some twice
    for table, rows in before.items():
        assert values(table_at(after[table].values(), delete_rows, table)) == values(rows), table


# ---------------------------------------------------------------------- deleting other records


def test_deleting_a_milestone_takes_its_reviews_and_dependencies_and_unlinks_allocations(wave: Store) -> None:
    s = wave
    s.insert("dependency", {"supplier": "IAM:Design", "consumer": "IAM:Gate 1"})
    allocation = _alloc(s, "Asha Patel", "IAM", "IAM:Gate 1")
    review = s.insert("gate_review", {"milestone": "IAM:Gate 1", "review_date": "2026-12-01"})
    mark = s.audit_count()
    s.delete("milestone", "IAM:Gate 1")
    audit = _new_audit(s, mark)
    assert [(a["tbl"], a["row_id"], a["action"]) for a in audit] == [
        ("allocation", allocation, "update"),
        ("gate_review", review, "delete"),
        ("dependency", 1, "delete"),
        ("milestone", 2, "delete"),
    ]
    assert audit[0]["changes"] == {"milestone_id": [2, None]}
    row = s.get("allocation", allocation)
    assert (row["project_id"], row["milestone_id"], row["version"]) == (1, None, 2)


@pytest.mark.parametrize(
    ("kind", "ref", "children"),
    [
        ("person", "Asha Patel", {"allocation": 2}),
        ("objective", "GROW", {"contribution": 2}),
        ("benefit", "Fewer tickets", {"measurement": 1, "contribution": 1}),
        ("stakeholder", "CFO", {"engagement": 2}),
    ],
)
def test_deleting_a_parent_takes_its_children_each_audited(
    wave: Store, kind: str, ref: str, children: dict[str, int]
) -> None:
    s = wave
    _alloc(s, "Asha Patel", "IAM")
    _alloc(s, "Asha Patel", "CLD")
    _alloc(s, "Ben Okafor", "CLD")  # stays
    s.insert("contribution", {"objective": "GROW", "project": "IAM", "strength": 2})
    s.insert("contribution", {"objective": "GROW", "benefit": "Fewer tickets", "strength": 2})
    s.insert("measurement", {"benefit": "Fewer tickets", "date": "2026-11-01", "value": 90})
    s.insert("engagement", {"stakeholder": "CFO", "date": "2026-11-02"})
    s.insert("engagement", {"stakeholder": "CFO", "date": "2026-11-16"})
    counts = {k: s.count(k) for k in KINDS}
    mark = s.audit_count()
    s.delete(kind, ref)
    audit = _new_audit(s, mark)
    assert _what(audit) == Counter({**{(c, "delete"): n for c, n in children.items()}, (kind, "delete"): 1})
    assert {k: counts[k] - s.count(k) for k in KINDS if s.count(k) != counts[k]} == {**children, kind: 1}


def test_a_deleted_decision_leaves_its_gate_reviews_without_it(wave: Store) -> None:
    s = wave
    review = s.insert("gate_review", {"milestone": "IAM:Gate 1", "review_date": "2026-12-01", "decision": 1})
    mark = s.audit_count()
    s.delete("decision", 1)
    audit = _new_audit(s, mark)
    assert [(a["tbl"], a["row_id"], a["action"], a["changes"]) for a in audit][0] == (
        "gate_review",
        review,
        "update",
        {"decision_id": [1, None]},
    )
    assert _what(audit) == Counter({("gate_review", "update"): 1, ("decision", "delete"): 1})
    assert s.get("gate_review", review)["decision_id"] is None


@pytest.mark.parametrize(
    ("kind", "ref", "link"),
    [
        ("issue", 1, "issue:1"),
        ("decision", 1, "decision:1"),
        ("benefit", "Fewer tickets", "benefit:1"),
        ("person", "Asha Patel", "person:1"),
        ("stakeholder", "CFO", "stakeholder:1"),
    ],
)
def test_an_action_or_lesson_about_a_deleted_record_stays_with_the_link_cleared(
    wave: Store, kind: str, ref: Any, link: str
) -> None:
    s = wave
    action = s.insert("action", {"title": "Follow up", "about": link})
    lesson = s.insert("lesson", {"title": "Learnt", "source": link})
    other = s.insert("action", {"title": "Other", "about": "project:CLD"})
    s.delete(kind, ref)
    assert s.get("action", action)["about"] is None and s.get("action", action)["version"] == 2
    assert s.get("lesson", lesson)["source"] is None
    assert s.get("action", other)["about"] == "project:2"
    field = {"action": "about", "lesson": "source"}
    for table, rid in (("action", action), ("lesson", lesson)):
        assert s.audit(table=table, row_id=rid)[-1]["changes"] == {field[table]: [link, None]}


def test_a_link_to_a_cascaded_child_is_cleared_too(wave: Store) -> None:
    s = wave
    review = s.insert("gate_review", {"milestone": "IAM:Gate 1", "review_date": "2026-12-01"})
    action = s.insert("action", {"title": "Close the gate's conditions", "about": f"gate_review:{review}"})
    s.delete("milestone", "IAM:Gate 1")  # takes the review, which the action was about
    assert s.get("action", action)["about"] is None


def test_deleting_an_action_clears_a_lesson_from_it_but_not_the_reverse(wave: Store) -> None:
    s = wave
    action = s.insert("action", {"title": "a"})
    lesson = s.insert("lesson", {"title": "l", "source": f"action:{action}"})
    later = s.insert("action", {"title": "b", "about": f"lesson:{lesson}"})
    s.delete("action", action)
    assert s.get("lesson", lesson)["source"] is None
    s.delete("lesson", lesson)
    assert s.get("action", later)["about"] is None and s.count("action") == 1


def test_a_refused_delete_writes_nothing(wave: Store, db_path: Path) -> None:
    s = wave
    _alloc(s, "Asha Patel", "IAM", "IAM:Gate 1")
    s.insert("lesson", {"title": "l", "project": "IAM"})
    other = Store.open(db_path)
    other.update("project", "IAM", {"name": "Identity and access"})
    before = ({k: s.count(k) for k in KINDS}, s.audit_count())
    from pgmtui.store import ConflictError

    with pytest.raises(ConflictError):
        s.delete("project", "IAM", expected_version=1)
    assert ({k: s.count(k) for k in KINDS}, s.audit_count()) == before
    assert s.get("lesson", 1)["project_id"] == 1
    other.close()


# ---------------------------------------------------------------------- rewinding link tables


def test_the_stand_up_rewind_brings_back_stakeholder_links(wave: Store) -> None:
    from pgmtui.domain.standup import rewind

    s = wave
    mark = s.audit_count()
    s.update("stakeholder", "CFO", {"projects": "CLD"})
    s.insert("person", {"name": "Chen Wu"})
    s.delete("person", "Ben Okafor")
    data = s.read_all()
    then, _, links = rewind(
        data["tables"], data["programme"], data["benefit_links"], s.audit()[mark:], links=data["links"]
    )
    assert then["stakeholder"][1]["projects"] == [1, 2]
    assert sorted(then["person"]) == [1, 2]  # Chen Wu not yet there, Ben Okafor back
    assert then["person"][2]["name"] == "Ben Okafor"
    assert links == {1: [1]}  # the benefit links, as before


# ---------------------------------------------------------------------- migration


def test_a_schema_3_database_is_upgraded_and_keeps_its_data(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pgmtui.store.opening as opening_module

    with monkeypatch.context() as m:  # the schema as version 3 made it
        m.setattr(opening_module, "SCHEMA_VERSION", 3)
        Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'person'").fetchone()
    ts = "2026-01-01T00:00:00.000000Z"
    meta = "version, created_at, updated_at, updated_by"
    conn.execute(f"INSERT INTO programme ({meta}, name) VALUES (1, ?, ?, 'old', 'Old programme')", (ts, ts))
    conn.execute(
        f"INSERT INTO project ({meta}, code, name, budget) VALUES (1, ?, ?, 'old', 'OLD', 'Legacy', 5)",
        (ts, ts),
    )
    conn.execute(
        f"INSERT INTO benefit ({meta}, name, baseline_value, target_value) VALUES (1, ?, ?, 'old', 'Speed', 1, 2)",
        (ts, ts),
    )
    conn.execute("INSERT INTO benefit_project VALUES (1, 1)")
    conn.execute(
        "INSERT INTO audit (ts, user, tbl, row_id, action, changes) VALUES (?, 'old', 'project', 1, 'insert', "
        '\'{"code": [null, "OLD"]}\')',
        (ts,),
    )
    conn.commit()
    conn.close()

    with Store.open(db_path) as s:
        assert s.schema_version() == SCHEMA_VERSION  # version 4 and every later migration
        programme = s.programme()
        assert programme is not None
        assert (programme["name"], programme["discount_rate_pct"], programme["resource_lookahead_weeks"],
                programme["management_reserve"], programme["power_threshold"],
                programme["interest_threshold"]) == ("Old programme", 3.5, 4, 0.0, 3, 3)  # fmt: skip
        project = s.get("project", "OLD")
        assert (project["name"], project["budget"], project["contingency"], project["version"]) == (
            "Legacy", 5.0, 0.0, 1,
        )  # fmt: skip
        assert s.get("benefit", "Speed")["annual_value"] is None and s.get("benefit", 1)["projects"] == [1]
        assert s.audit_count() == 1 and all(s.count(k.name) == 0 for k in list(KINDS.values())[10:])
        assert s.integrity_problems() == []
        # the new kinds work on the upgraded file, searchable and cascading like the old
        s.insert("person", {"name": "Asha Patel", "note": "the only architect"})
        s.insert("stakeholder", {"name": "CFO", "power": 5, "interest": 5, "projects": "OLD"})
        s.insert("action", {"title": "Review the architecture", "about": "project:OLD", "project": "OLD"})
        assert [(h.kind, h.label) for h in s.search("architect")] == [
            ("person", "Asha Patel"),
            ("action", "Review the architecture"),
        ]
        s.delete("project", "OLD")
        assert s.count("action") == 0 and s.get("stakeholder", "CFO")["projects"] == []
    with sqlite3.connect(db_path) as conn:
        names = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")
        }
    for table in EXPORT_TABLES:
        assert table in names, table
    for index in (
        "allocation_person",
        "allocation_project",
        "engagement_stakeholder",
        "action_due",
        "lesson_source",
        "business_case_one_each",
        "issue_project",
        "person_fts",
        "lesson_fts",
    ):
        assert index in names, index  # fmt: skip


def test_the_look_ups_use_their_indexes(wave: Store) -> None:
    plans = {
        "SELECT id FROM allocation WHERE person_id = 1": "allocation_person",
        "SELECT id FROM allocation WHERE project_id = 1": "allocation_project",
        "SELECT id FROM cost WHERE project_id = 1 AND month = '2027-01'": "sqlite_autoindex_cost_1",
        "SELECT id FROM engagement WHERE stakeholder_id = 1 ORDER BY date": "engagement_stakeholder",
        "SELECT id FROM action WHERE status = 'open' AND due_date < '2026-11-25'": "action_due",
        "SELECT id FROM action WHERE about = 'issue:1'": "action_about",
        "SELECT id FROM gate_review WHERE milestone_id = 2": "gate_review_milestone",
        "SELECT stakeholder_id FROM stakeholder_project WHERE project_id = 1": "stakeholder_project_project",
    }
    conn = sqlite3.connect(wave.path)
    for sql, index in plans.items():
        detail = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert index in detail, (sql, detail)
    conn.close()
