"""Closing a project (stage Closed) keeps it and its records read-only, on a real database file:
every edit is refused with a message that says how to re-open it, nothing is written; re-opening,
lessons, and deleting the whole project stay possible."""

from __future__ import annotations

import pytest

from pgmtui.records import ValidationError
from pgmtui.store import Store
from pgmtui.store.undo import UndoRefused

REFUSED = r"project IAM is closed: it and its records are read-only; re-open it first"


@pytest.fixture
def closed(store: Store) -> Store:
    store.insert("project", {"code": "IAM", "name": "Identity", "stage": "Delivery"})
    store.insert("project", {"code": "CLD", "name": "Cloud"})
    store.insert("milestone", {"project": "IAM", "name": "SSO live", "is_gate": "yes"})
    store.insert("milestone", {"project": "CLD", "name": "Landing zone"})
    store.insert("risk", {"project": "IAM", "title": "Sync fails", "probability": 3, "impact": 4})
    store.insert("gate_review", {"milestone": "IAM:SSO live", "review_date": "2026-11-01"})
    store.insert("action", {"title": "Hand over to BAU", "project": "IAM"})
    store.update("project", "IAM", {"stage": "Closed"})
    return store


def _unchanged(store: Store, audit: int) -> None:
    assert store.audit_count() == audit, "a refused change wrote something"


def test_a_closed_project_refuses_edits_but_can_be_reopened(closed: Store) -> None:
    audit = closed.audit_count()
    with pytest.raises(
        ValidationError,
        match=REFUSED + r" \(set its stage back, e.g. `pgmtui set project IAM stage=Delivery`\)",
    ):
        closed.update("project", "IAM", {"forecast_end": "2027-01-01"})
    with pytest.raises(ValidationError, match=REFUSED):
        closed.update("project", "IAM", {"stage": "closed"})  # any case means closed
    _unchanged(closed, audit)
    closed.update("project", "IAM", {"stage": "Delivery", "forecast_end": "2027-01-01"})
    assert closed.get("project", "IAM")["forecast_end"] == "2027-01-01"


@pytest.mark.parametrize(
    ("kind", "ref", "changes"),
    [
        ("milestone", "IAM:SSO live", {"forecast_date": "2027-01-01"}),
        ("risk", 1, {"probability": 5}),
        ("gate_review", 1, {"outcome": "go"}),  # through its milestone
        ("action", 1, {"status": "done"}),
    ],
)
def test_its_records_are_read_only(closed: Store, kind: str, ref: object, changes: dict) -> None:
    audit = closed.audit_count()
    with pytest.raises(ValidationError, match=REFUSED):
        closed.update(kind, ref, changes)
    with pytest.raises(ValidationError, match=REFUSED):
        closed.delete(kind, ref)
    with pytest.raises(ValidationError, match=REFUSED):
        closed.deletion(kind, ref)  # the delete prompt's preview says so first
    _unchanged(closed, audit)


def test_nothing_new_can_be_added_to_it_or_moved_out_of_it(closed: Store) -> None:
    audit = closed.audit_count()
    for kind, fields in (
        ("milestone", {"project": "IAM", "name": "Late extra"}),
        ("risk", {"project": "iam", "title": "New", "probability": 1, "impact": 1}),
        ("dependency", {"supplier": "CLD:Landing zone", "consumer": "IAM:SSO live"}),
        ("cost", {"project": "IAM", "month": "2026-12", "planned": 10}),
    ):
        with pytest.raises(ValidationError, match=REFUSED):
            closed.insert(kind, fields)
    with pytest.raises(ValidationError, match=REFUSED):
        closed.update("risk", 1, {"project": "CLD"})  # out of the closed project is a change too
    _unchanged(closed, audit)


def test_lessons_and_the_other_projects_are_not_affected(closed: Store) -> None:
    lesson = closed.insert(
        "lesson", {"title": "Start the HR feed early", "project": "IAM", "source": "project:IAM"}
    )
    closed.update("lesson", lesson, {"category": "planning"})
    closed.insert("milestone", {"project": "CLD", "name": "Wave 1"})
    assert closed.count("lesson") == 1 and closed.count("milestone") == 3


def test_the_closed_project_itself_can_still_be_deleted_with_everything(closed: Store) -> None:
    counts = closed.deletion("project", "IAM").counts()
    assert counts["deleted"] == {"project": 1, "milestone": 1, "risk": 1, "gate_review": 1, "action": 1}
    closed.delete("project", "IAM")
    assert closed.count("project") == 1


def test_undo_of_the_closing_reopens_it(closed: Store) -> None:
    (step,) = closed.undo()
    assert step.reverted == ["stage Closed → Delivery"]
    closed.update("risk", 1, {"probability": 5})


def test_undo_of_an_edit_is_refused_once_someone_closed_the_project(store: Store) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity"})
    with store.acting(user="asha"):
        store.insert("risk", {"project": "IAM", "title": "Sync fails", "probability": 3, "impact": 4})
    store.update("risk", 1, {"impact": 5})
    with store.acting(user="asha"):
        store.update("project", "IAM", {"stage": "Closed"})
    with pytest.raises(UndoRefused, match=r'cannot undo the update of risk #1 "Sync fails": ' + REFUSED):
        store.undo()
