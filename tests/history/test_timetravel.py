"""Which instant `--as-of` / `T` means: a date is the end of that day (local), a time without a
zone is local, one with a zone is taken as written; and the `T` dialog's quick picks."""

from __future__ import annotations

from collections.abc import Iterator

import pendulum
import pytest

from pgmtui.services.timetravel import TimeTravelError, end_of_day, parse_as_of, quick_picks, start_of_day

TODAY = pendulum.Date(2026, 11, 25)  # a Wednesday


@pytest.fixture
def paris() -> Iterator[None]:
    pendulum.set_local_timezone(pendulum.timezone("Europe/Paris"))  # UTC+1 in November
    yield
    pendulum.set_local_timezone()


def test_a_date_is_the_end_of_that_day_local(paris: None) -> None:
    when = parse_as_of("2026-11-20", TODAY)
    # 23:59:59.999999 in Paris is 22:59:59.999999 UTC.
    assert when.ts == "2026-11-20T22:59:59.999999Z"
    assert when.day == pendulum.Date(2026, 11, 20)
    assert when.label == "Fri 20 Nov 2026 (end of day)"


def test_a_time_without_zone_is_local_and_with_a_zone_as_written(paris: None) -> None:
    assert parse_as_of("2026-11-20T09:30", TODAY).ts == "2026-11-20T08:30:00.000000Z"
    assert parse_as_of("2026-11-20 09:30:15", TODAY).ts == "2026-11-20T08:30:15.000000Z"
    assert parse_as_of("2026-11-20T09:30Z", TODAY).ts == "2026-11-20T09:30:00.000000Z"
    when = parse_as_of("2026-11-20T00:30+02:00", TODAY)  # 22:30 UTC on the 19th, 23:30 in Paris
    assert when.ts == "2026-11-19T22:30:00.000000Z"
    assert when.day == pendulum.Date(2026, 11, 19) and when.label == "Thu 19 Nov 2026 23:30"


def test_utc_machine() -> None:
    assert parse_as_of("2026-11-20", TODAY).ts == "2026-11-20T23:59:59.999999Z"
    assert end_of_day(TODAY).ts == "2026-11-25T23:59:59.999999Z"
    assert start_of_day(TODAY).ts == "2026-11-25T00:00:00.000000Z"
    assert parse_as_of("2026-11-25", TODAY).day == TODAY  # today itself: the state now


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("yesterday", "needs a date YYYY-MM-DD"),
        ("2026-11", "needs a date YYYY-MM-DD"),
        ("20/11/2026", "needs a date YYYY-MM-DD"),
        ("2026-11-31", "not a real date"),
        ("2026-11-20T25:00", "not a real date"),
        ("2026-11-26", "after today (2026-11-25)"),
        ("1989-12-31", "outside 1990–2100"),
        ("", "needs a date"),
    ],
)
def test_refused_with_one_line(text: str, phrase: str) -> None:
    with pytest.raises(TimeTravelError) as info:
        parse_as_of(text, TODAY)
    assert phrase in str(info.value) and "\n" not in str(info.value)


def test_quick_picks() -> None:
    projects = [{"id": 1, "code": "IAM"}, {"id": 2, "code": "CLD"}]
    milestones = [
        {"id": 10, "project_id": 1, "name": "Gate 1", "is_gate": 1, "actual_date": "2026-09-01"},
        {"id": 11, "project_id": 2, "name": "Gate 2", "is_gate": 1, "actual_date": "2026-11-10"},
        {"id": 12, "project_id": 2, "name": "Gate 3", "is_gate": 1, "actual_date": None},
        {"id": 13, "project_id": 2, "name": "Not a gate", "is_gate": 0, "actual_date": "2026-11-12"},
    ]
    reviews = [
        {"milestone_id": 11, "review_date": "2026-11-09", "outcome": "approved"},
        {"milestone_id": 12, "review_date": "2026-12-09", "outcome": "pending"},  # not yet held
    ]
    picks = quick_picks(TODAY, projects=projects, milestones=milestones, gate_reviews=reviews)
    assert [(p.title, p.when.ts) for p in picks] == [
        # Wednesday's stand-up looks back to 00:00 UTC on Tuesday.
        ("Last stand-up", "2026-11-24T00:00:00.000000Z"),
        ("Last Friday", "2026-11-20T23:59:59.999999Z"),
        ("A month ago", "2026-10-25T23:59:59.999999Z"),
        # Newest first, at the start of the day: the plan the board saw. CLD's gate passed on
        # 10 Nov has a review record (9 Nov): that one counts, not the milestone's date.
        ("Gate review: CLD Gate 2, approved", "2026-11-09T00:00:00.000000Z"),
        ("Gate passed: IAM Gate 1", "2026-09-01T00:00:00.000000Z"),
    ]
    # On a Friday, "last Friday" is the one before; on a Monday, the stand-up covers Friday.
    friday = quick_picks(pendulum.Date(2026, 11, 27))
    assert friday[1].when.ts.startswith("2026-11-20")
    monday = quick_picks(pendulum.Date(2026, 11, 30))
    assert monday[0].when.ts.startswith("2026-11-27") and monday[1].when.ts.startswith("2026-11-27")
