from __future__ import annotations

import json

from pgmtui.domain.history import parse_changes, table_at, value_at


def _a(ts, action, changes, row_id=7, tbl="milestone", id_=None):
    return {"id": id_, "ts": ts, "user": "asha", "tbl": tbl, "row_id": row_id, "action": action,
            "changes": json.dumps(changes)}  # fmt: skip


def test_parse_changes():
    assert parse_changes('{"forecast_date": ["2026-12-01", "2026-12-15"]}') == {
        "forecast_date": ("2026-12-01", "2026-12-15")
    }
    assert parse_changes({"a": [None, 1]}) == {"a": (None, 1)}
    # Lenient: malformed text or entries are skipped, not fatal.
    assert parse_changes("not json") == {}
    assert parse_changes("[1, 2]") == {}
    assert parse_changes('{"a": [1, 2], "b": 3}') == {"a": (1, 2)}
    assert parse_changes(None) == {}


def test_value_at_rewinds_updates_newest_first():
    current = {"id": 7, "name": "SSO live", "forecast_date": "2026-12-20", "status": "x"}
    after = [
        # Given out of order: the rewind sorts by ts itself.
        _a("2026-11-24T15:00:00Z", "update", {"forecast_date": ["2026-12-15", "2026-12-20"]}),
        _a("2026-11-24T09:00:00Z", "update", {"forecast_date": ["2026-12-01", "2026-12-15"], "name": ["SSO", "SSO live"]}),
    ]  # fmt: skip
    before = value_at(current, after)
    assert before == {"id": 7, "name": "SSO", "forecast_date": "2026-12-01", "status": "x"}
    assert current["forecast_date"] == "2026-12-20"  # input untouched


def test_value_at_row_inserted_since_did_not_exist():
    current = {"id": 7, "name": "new"}
    after = [_a("2026-11-24T09:00:00Z", "insert", {"name": [None, "new"]}),
             _a("2026-11-24T10:00:00Z", "update", {"name": ["old", "new"]})]  # fmt: skip
    assert value_at(current, after) is None


def test_value_at_row_deleted_since_comes_back():
    after = [
        _a("2026-11-24T09:00:00Z", "delete", {"name": ["gone", None], "forecast_date": ["2026-12-01", None]})
    ]
    assert value_at(None, after) == {"name": "gone", "forecast_date": "2026-12-01", "id": 7}
    assert value_at(None, []) is None


def test_value_at_same_timestamp_ordered_by_audit_id():
    current = {"id": 7, "v": 3}
    after = [_a("2026-11-24T09:00:00Z", "update", {"v": [2, 3]}, id_=11),
             _a("2026-11-24T09:00:00Z", "update", {"v": [1, 2]}, id_=10)]  # fmt: skip
    assert value_at(current, after)["v"] == 1


def test_table_at():
    now = [{"id": 1, "v": "b"}, {"id": 2, "v": "new"}, {"id": 3, "v": "same"}]
    after = [
        _a("2026-11-24T09:00:00Z", "update", {"v": ["a", "b"]}, row_id=1),
        _a("2026-11-24T09:00:00Z", "insert", {"v": [None, "new"]}, row_id=2),
        _a("2026-11-24T09:00:00Z", "delete", {"v": ["x", None]}, row_id=4),
        _a("2026-11-24T09:00:00Z", "update", {"v": ["q", "r"]}, row_id=1, tbl="risk"),  # other table
    ]
    assert table_at(now, after, "milestone") == {1: {"id": 1, "v": "a"}, 3: {"id": 3, "v": "same"},
                                                  4: {"v": "x", "id": 4}}  # fmt: skip
