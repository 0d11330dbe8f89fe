"""The store's reading API, batches, bulk loads and restores, on real files, value by value."""

from __future__ import annotations

import re

import pendulum
import pytest

from pgmtui.store import ConflictError, Store, ValidationError


@pytest.fixture
def filled(small_programme: Store) -> Store:
    s = small_programme
    with s.acting(user="ann", at=pendulum.datetime(2026, 11, 20, 9, tz="UTC")):
        s.insert("milestone", {"project": "IAM", "name": "Design", "is_gate": "yes"})
        s.insert(
            "benefit", {"name": "Speed", "baseline_value": 10, "target_value": 4, "projects": "IAM, CLD"}
        )
    with s.acting(user="ben", at=pendulum.datetime(2026, 11, 24, 9, tz="UTC")):
        s.update("project", "IAM", {"percent_complete": 50})
        s.insert("risk", {"project": "CLD", "title": "r", "probability": 2, "impact": 3})
    return s


def test_audit_filters_and_order(filled: Store) -> None:
    every = filled.audit()  # oldest first by timestamp: the back-dated writes before today's
    assert [(a["tbl"], a["action"], a["user"]) for a in every[:4]] == [
        ("milestone", "insert", "ann"), ("benefit", "insert", "ann"),
        ("project", "update", "ben"), ("risk", "insert", "ben"),
    ]  # fmt: skip
    assert [a["tbl"] for a in every[4:]] == ["programme", "project", "project"]  # small_programme, today
    since = filled.audit(since="2026-11-24T00:00:00Z")
    assert [(a["tbl"], a["user"]) for a in since][:2] == [("project", "ben"), ("risk", "ben")] and len(
        since
    ) == 5
    assert [a["tbl"] for a in filled.audit(since="2026-11-20T00:00:00Z", table="benefit")] == ["benefit"]
    iam = filled.audit(table="project", row_id=1)
    assert [a["action"] for a in iam] == ["update", "insert"]  # the update is back-dated to the 24th
    assert iam[0]["changes"] == {"percent_complete": [40.0, 50.0]}
    newest = filled.audit(newest_first=True, limit=2)
    assert [(a["tbl"], a["row_id"]) for a in newest] == [("project", 2), ("project", 1)]
    assert len(filled.audit(limit=3)) == 3 and filled.audit(table="decision") == []
    assert filled.audit_count() == len(every) == 7


def test_audit_for_several_records(filled: Store) -> None:
    rows = filled.audit_for({"project": [1, 2], "risk": [1], "issue": []}, limit=10)
    assert [(a["tbl"], a["row_id"], a["action"]) for a in rows] == [  # newest first
        ("project", 2, "insert"), ("project", 1, "insert"), ("risk", 1, "insert"), ("project", 1, "update"),
    ]  # fmt: skip
    assert rows[3]["changes"] == {"percent_complete": [40.0, 50.0]}
    assert len(filled.audit_for({"project": [1, 2]}, limit=1)) == 1
    assert filled.audit_for({"project": []}) == [] and filled.audit_for({}) == []


def test_get_rows_count_and_read_all(filled: Store) -> None:
    benefit = filled.get("benefit", "Speed")
    assert benefit["projects"] == [1, 2] and benefit["target_value"] == 4.0
    milestone = filled.get("milestone", 1)
    assert milestone["is_gate"] == 1 and milestone["project_id"] == 1
    assert [r["code"] for r in filled.rows("project")] == ["IAM", "CLD"]
    assert (filled.count("project"), filled.count("risk"), filled.count("issue")) == (2, 1, 0)
    assert filled.programme()["name"] == "Test Programme"
    data = filled.read_all()
    assert data["programme"]["name"] == "Test Programme" and data["benefit_links"] == {1: [1, 2]}
    assert [r["code"] for r in data["tables"]["project"]] == ["IAM", "CLD"]
    assert list(data["tables"]) == [
        "project", "milestone", "dependency", "risk", "issue", "assumption", "decision", "benefit", "measurement",
        "person", "allocation", "cost", "change_request", "objective", "contribution", "business_case",
        "gate_review", "stakeholder", "engagement", "communication", "action", "lesson",
    ]  # fmt: skip
    assert data["links"] == {"benefit_project": {1: [1, 2]}, "stakeholder_project": {}}
    lean = filled.read_all(fields_only=True)["tables"]["milestone"][0]
    assert set(lean) == {
        "id",
        "project_id",
        "name",
        "baseline_date",
        "forecast_date",
        "actual_date",
        "is_gate",
    }
    names, rows = filled.read_all(as_tuples=True)["tables"]["project"]
    assert names[:2] == ("id", "version") and [r[names.index("code")] for r in rows] == ["IAM", "CLD"]
    names, rows = filled.read_all(as_tuples=True, fields_only=True)["tables"]["benefit"]
    assert "projects" not in names and "version" not in names and rows[0][0] == 1


def test_an_empty_store_reads_as_empty(store: Store) -> None:
    assert store.programme() is None and store.is_empty()
    everything = store.read_all()
    assert everything == {"programme": None, "tables": {t: [] for t in everything["tables"]},
                          "links": {"benefit_project": {}, "stakeholder_project": {}},
                          "benefit_links": {}, "counters": dict.fromkeys(everything["counters"], 0),
                          "audit_mark": None}  # fmt: skip
    assert "project" in everything["counters"]


def test_update_returns_the_new_row_and_conflicts_name_who_and_when(filled: Store) -> None:
    row = filled.update("risk", 1, {"impact": 4}, expected_version=1)
    assert (row["impact"], row["version"], row["updated_by"]) == (4, 2, filled.user)
    with pytest.raises(ConflictError) as err:
        filled.update("risk", 1, {"impact": 5}, expected_version=1)
    assert str(err.value).startswith(f"risk r was changed by {filled.user} at 2026-11-25 ")
    assert str(err.value).endswith("(version 2, you had 1); reload and re-apply your change")
    assert err.value.current["version"] == 2
    with pytest.raises(
        ConflictError, match="^project IAM was changed by ben since you opened it; reload before deleting$"
    ):
        filled.delete("project", "IAM", expected_version=1)
    with pytest.raises(ValidationError, match="^title is required$"):
        filled.update("risk", 1, {"title": ""})


def test_acting_restores_the_user_and_clock(store: Store) -> None:
    user = store.user
    with store.acting(user="carol", at=pendulum.datetime(2026, 1, 2, 3, 4, 5, tz="UTC")):
        store.insert("programme", {"name": "P"})
    assert store.user == user
    store.update("programme", 1, {"sponsor": "S"})
    first, second = store.audit()
    assert (first["user"], first["ts"]) == ("carol", "2026-01-02T03:04:05.000000Z")
    assert second["user"] == user and second["ts"].startswith("2026-11-25T")
    with store.acting(at=lambda: pendulum.datetime(2026, 2, 3, tz="UTC")):
        store.update("programme", 1, {"sponsor": "T"})
    last = max(store.audit(), key=lambda a: a["id"])
    assert (last["ts"], last["user"]) == ("2026-02-03T00:00:00.000000Z", user)


def test_nested_batches_commit_once_and_roll_back_whole(small_programme: Store) -> None:
    s = small_programme
    token = s.change_token()
    with s.batch(), s.batch():
        s.insert("risk", {"title": "a", "probability": 1, "impact": 1})
    assert s.count("risk") == 1 and s.change_token() == (token[0], token[1] + 1)  # one commit
    with pytest.raises(ValidationError), s.batch():
        s.insert("risk", {"title": "b", "probability": 1, "impact": 1})
        with s.batch():
            s.insert("risk", {"title": "c", "probability": 0, "impact": 1})
    assert s.count("risk") == 1


def test_bulk_insert_takes_ids_and_audits_each_row(small_programme: Store) -> None:
    s = small_programme
    ids = s.bulk_insert(
        "milestone", [{"project": 1, "name": "a", "is_gate": True}, {"project": 2, "name": "b"}]
    )
    assert ids == [1, 2] and [m["is_gate"] for m in s.rows("milestone")] == [1, 0]
    audit = s.audit(table="milestone")
    assert [a["changes"] for a in audit] == [
        {"project_id": [None, 1], "name": [None, "a"], "is_gate": [None, 1]},
        {"project_id": [None, 2], "name": [None, "b"], "is_gate": [None, 0]},
    ]
    assert s.bulk_insert(
        "benefit", [{"name": "x", "baseline_value": 1, "target_value": 2, "projects": [2]}]
    ) == [1]
    assert s.get("benefit", 1)["projects"] == [2]
    assert s.audit(table="benefit")[0]["changes"]["projects"] == [None, [2]]
    with pytest.raises(ValidationError, match="^project: give the project's id, got 'IAM'$"):
        s.bulk_insert("milestone", [{"project": "IAM", "name": "c"}])
    with pytest.raises(ValidationError, match="^milestone refers to a record that does not exist$"):
        s.bulk_insert("milestone", [{"project": 99, "name": "c"}])
    assert s.bulk_insert("risk", []) == [] and s.count("milestone") == 2


def test_insert_audits_what_was_set(small_programme: Store) -> None:
    s = small_programme
    pid = s.insert("project", {"code": "NEW", "name": "New", "manager": None})
    changes = s.audit(table="project", row_id=pid)[0]["changes"]
    assert changes == {
        "code": [None, "NEW"], "name": [None, "New"], "programme_id": [None, 1], "stage": [None, "Initiation"],
        "budget": [None, 0.0], "actual_cost": [None, 0.0], "percent_complete": [None, 0.0],
        "contingency": [None, 0.0],
    }  # fmt: skip


def test_reset_empties_everything(filled: Store) -> None:
    filled.reset()
    assert filled.is_empty() and filled.audit() == [] and filled.read_all()["benefit_links"] == {}
    assert filled.search("design") == [] and filled.integrity_problems() == []


def test_restore_checks_what_it_is_given(store: Store) -> None:
    stamps = {"row_id": 5, "version": 3, "created_at": "2026-01-01T00:00:00.000000Z",
              "updated_at": "2026-02-01T00:00:00Z", "updated_by": "ann"}  # fmt: skip
    assert store.restore("programme", {"name": "P", "sponsor": ""}, **stamps) == 5
    row = store.get("programme", 5)
    assert (row["version"], row["updated_by"], row["sponsor"], row["currency"]) == (3, "ann", None, "GBP")
    assert store.audit() == []  # a restore brings its own trail
    bad = [
        ({"row_id": 0}, "id", "id must be a whole number ≥ 1, got 0"),
        ({"row_id": True}, "id", "id must be a whole number ≥ 1, got True"),
        ({"version": "2"}, "version", "version must be a whole number ≥ 1, got '2'"),
        ({"created_at": "2026-01-01"}, "created_at",
         "created_at must be a timestamp like 2026-11-25T09:30:00.000000Z, got '2026-01-01'"),
        ({"updated_at": None}, "updated_at",
         "updated_at must be a timestamp like 2026-11-25T09:30:00.000000Z, got None"),
        ({"updated_by": " "}, "updated_by", "updated_by is required"),
        ({"updated_by": "a\x1bb"}, "updated_by", "updated_by contains control characters (terminal escapes are not allowed)"),
        ({"row_id": 5}, "id", "project id 5 is given twice"),
    ]  # fmt: skip
    store.restore("project", {"code": "A", "name": "a"}, **stamps)
    for change, field, message in bad:
        with pytest.raises(ValidationError) as err:
            store.restore("project", {"code": "B", "name": "b"}, **{**stamps, **change})
        assert (err.value.field, err.value.message) == (field, message)
    assert store.count("project") == 1 and store.get("project", 5)["programme_id"] == 5


def test_restore_audit_checks_each_row(store: Store) -> None:
    good = {"id": 1, "ts": "2026-01-01T00:00:00Z", "user": "ann", "tbl": "risk", "row_id": 3, "action": "insert",
            "changes": {"title": [None, "x"]}}  # fmt: skip
    store.restore_audit([good, {**good, "id": 2, "changes": '{"a": [1, 2]}', "user": None}])
    assert [(a["id"], a["user"], a["changes"]) for a in store.audit()] == [
        (1, "ann", {"title": [None, "x"]}), (2, "", {"a": [1, 2]})
    ]  # fmt: skip
    bad = [
        ({"action": "merge"}, "action", "action must be insert, update or delete, got 'merge'"),
        ({"tbl": "audit"}, "tbl", "tbl must name a table (action, allocation, assumption, benefit, "
                                  "business_case, change_request, communication, contribution, cost, decision, "
                                  "dependency, engagement, gate_review, issue, lesson, measurement, milestone, "
                                  "objective, person, programme, project, risk, stakeholder), got 'audit'"),
        ({"id": "3"}, "id", "id must be a whole number, got '3'"),
        ({"row_id": False}, "row_id", "row_id must be a whole number, got False"),
        ({"ts": "yesterday"}, "ts", "ts must be a timestamp, got 'yesterday'"),
        ({"changes": "[1, 2]"}, "changes", "changes must be a JSON object"),
        ({"changes": "{oops"}, "changes", "changes must be a JSON object"),
        ({"id": 1}, "id", "audit not restored: UNIQUE constraint failed: audit.id"),
    ]  # fmt: skip
    for change, field, message in bad:
        with pytest.raises(ValidationError) as err:
            store.restore_audit([{**good, "id": 9, **change}])
        assert (err.value.field, err.value.message) == (field, message)
    assert store.audit_count() == 2


def test_refusals_name_the_field_a_form_should_point_at(small_programme: Store) -> None:
    s = small_programme
    a = s.insert("milestone", {"project": "IAM", "name": "A"})
    b = s.insert("milestone", {"project": "CLD", "name": "B"})
    dep = s.insert("dependency", {"supplier": a, "consumer": b})
    cases = [
        (lambda: s.insert("project", {"code": "cld", "name": "x"}), "code"),
        (lambda: s.insert("dependency", {"supplier": a, "consumer": b}), "consumer"),
        (lambda: s.bulk_insert("risk", [{"project": 99, "title": "t", "probability": 1, "impact": 1}]), ""),
        (
            lambda: s.bulk_insert("risk", [{"project": "IAM", "title": "t", "probability": 1, "impact": 1}]),
            "project",
        ),
        (lambda: s.insert("risk", {"title": "t", "probability": 1, "impact": 1, "colour": "red"}), "colour"),
    ]
    for write, field in cases:
        with pytest.raises(ValidationError) as err:
            write()
        assert err.value.field == field, err.value.message
    s.update("dependency", dep, {"lag_days": 2})
    with pytest.raises(ConflictError, match=r"^dependency #1 was changed by "):
        s.update("dependency", dep, {"lag_days": 3}, expected_version=1)
    m = s.insert("measurement", {"benefit": s.insert("benefit", {"name": "b", "baseline_value": 1, "target_value": 2}),
                                 "date": "2026-11-01", "value": 1})  # fmt: skip
    s.update("measurement", m, {"value": 2})
    with pytest.raises(ConflictError, match=r"^measurement 2026-11-01 was changed by "):
        s.delete("measurement", m, expected_version=1)


def test_clearing_a_field_that_always_has_a_value_says_so(store) -> None:
    """Budget, actual cost and % complete are optional on insert (they default to 0) but the
    database keeps a value: clearing one is refused in words, not with a NOT NULL constraint."""
    store.insert("programme", {"name": "P"})
    store.insert("project", {"code": "IAM", "name": "Identity", "budget": "100000"})
    for name, default in (("budget", "0"), ("actual_cost", "0"), ("percent_complete", "0")):
        with pytest.raises(
            ValidationError, match=re.escape(f"{name} cannot be empty (its default is {default})")
        ):
            store.update("project", "IAM", {name: ""})
    assert store.get("project", "IAM")["budget"] == 100000
    assert store.update("project", "IAM", {"budget": "0"})["budget"] == 0
