from __future__ import annotations

import dataclasses
import datetime as dt

import pendulum
import pytest

from pgmtui.domain.models import (
    Dependency,
    Measurement,
    Milestone,
    Programme,
    Project,
    Risk,
    Snapshot,
    Tolerances,
    as_date,
    to_ordinal,
)


def test_as_date_accepts_text_dates_and_datetimes():
    d = as_date("2026-11-25")
    assert isinstance(d, pendulum.Date) and d == pendulum.Date(2026, 11, 25)
    assert as_date(dt.date(2026, 11, 25)) == d
    assert as_date(dt.datetime(2026, 11, 25, 23, 59)) == d
    assert type(as_date(pendulum.datetime(2026, 11, 25, 1))) is pendulum.Date
    assert as_date("2026-11-25T10:00:00Z") == d
    assert as_date(None) is None and as_date("") is None
    assert to_ordinal("2026-11-25") == dt.date(2026, 11, 25).toordinal()
    with pytest.raises(ValueError, match="not a date"):
        as_date("25/11/2026")


def test_project_from_row_parses_dates_and_ignores_unknown_columns():
    p = Project.from_row(
        {
            "id": 7,
            "code": "IAM",
            "name": "Identity",
            "start_date": "2026-01-01",
            "baseline_end": None,
            "budget": 1000,
            "percent_complete": None,
            "version": 3,
            "updated_by": "asha",
            "some_future_column": "x",
        }
    )
    assert p.id == 7 and p.code == "IAM"
    assert p.start_date == pendulum.Date(2026, 1, 1) and p.baseline_end is None
    assert p.budget == 1000.0 and isinstance(p.budget, float)
    assert p.actual_cost == 0.0  # column absent: the store's default
    assert p.percent_complete is None  # explicit NULL: unknown, not zero
    assert p.stage == "Initiation"
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.code = "X"  # type: ignore[misc]


def test_programme_defaults_and_tolerances():
    prog = Programme.from_row({"id": 1, "name": "P", "tolerance_cost_pct": None})
    assert prog.tolerance_schedule_days == 10 and prog.tolerance_cost_pct == 10.0
    assert prog.tolerances == Tolerances(10, 10.0, 5)
    assert Tolerances.of(None) == Tolerances()
    custom = Programme.from_row(
        {"id": 1, "tolerance_schedule_days": 3, "tolerance_cost_pct": 5, "near_critical_days": 2}
    )
    assert custom.tolerances == Tolerances(3, 5.0, 2)


def test_other_records_from_rows():
    m = Milestone.from_row({"id": 1, "project_id": 2, "name": "Go", "baseline_date": "2026-01-05",
                            "forecast_date": "2026-01-09", "actual_date": None, "is_gate": 1})  # fmt: skip
    assert m.is_gate is True and m.finish == pendulum.Date(2026, 1, 9) and not m.done
    d = Dependency.from_row({"id": 3, "supplier_id": 1, "consumer_id": 2, "type": "ss", "lag_days": -2})
    assert (d.type, d.lag_days) == ("SS", -2)
    r = Risk.from_row({"id": 4, "project_id": None, "title": "t", "probability": 3, "impact": "4",
                       "residual_probability": None, "proximity": "imminent", "status": "open"})  # fmt: skip
    assert r.impact == 4 and r.residual_probability is None and r.is_open and r.project_id is None
    ms = Measurement.from_row({"id": 5, "benefit_id": 1, "date": "2026-02-01", "value": 3})
    assert ms.value == 3.0 and isinstance(ms.value, float) and ms.date == pendulum.Date(2026, 2, 1)


def test_snapshot_from_rows(snapshot: Snapshot):
    assert snapshot.programme is not None and snapshot.programme.name == "Test Programme"
    assert [p.code for p in snapshot.projects] == ["IAM", "CLD", "CRM"]
    assert len(snapshot.milestones) == 4 and len(snapshot.dependencies) == 2
    assert len(snapshot.risks) == 5 and len(snapshot.benefits) == 4 and len(snapshot.measurements) == 4
    assert snapshot.benefit_projects == {1: [1, 2], 2: [3]}
    assert snapshot.tolerances == Tolerances()


def test_snapshot_links_from_link_rows_and_no_programme():
    snap = Snapshot.from_rows(None, {"projects": [{"id": 1, "code": "A", "name": "a"}]},
                              [{"benefit_id": 5, "project_id": 1}, (5, 2)])  # fmt: skip
    assert snap.programme is None and len(snap.projects) == 1
    assert snap.benefit_projects == {5: [1, 2]}


_MODELS = ["Programme", "Project", "Milestone", "Dependency", "Risk", "Benefit", "Measurement"]


def _full(cls):
    """An instance with a distinct, non-default value in every field, and the row SQLite would give."""
    import dataclasses

    import pendulum

    from pgmtui.domain import models  # noqa: F401

    values, row = {}, {}
    for n, f in enumerate(dataclasses.fields(cls), start=3):
        t = f.type
        if "Date" in t:
            value = pendulum.Date(2026, 1, n)
            raw = value.isoformat()
        elif t.startswith("bool"):
            value, raw = True, 1
        elif t.startswith("int"):
            value = raw = n * 11
        elif t.startswith("float"):
            value = raw = n * 1.5
        elif f.name in ("type",):
            value = raw = "SF"  # a dependency type
        else:
            value = raw = f"{f.name} {n}"
        values[f.name], row[f.name] = value, raw
    return cls(**values), row


@pytest.mark.parametrize("name", _MODELS)
def test_every_column_is_read_and_missing_ones_take_the_defaults(name):
    from pgmtui.domain import models

    cls = getattr(models, name)
    instance, row = _full(cls)
    assert cls.from_row(row) == instance  # every column reaches its field
    assert cls.from_row({"id": 7}) == cls(7)  # a missing column is the field's default
    blanks = {
        k: "" for k, v in row.items() if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "id"
    }
    # An empty cell (CSV, import) is the default too, except a project's money and progress: an
    # explicit blank there means "unknown", which makes its EVM figures undefined.
    unknown = {"budget": None, "actual_cost": None, "percent_complete": None} if name == "Project" else {}
    assert cls.from_row({"id": 7, **blanks}) == cls(7, **unknown)
