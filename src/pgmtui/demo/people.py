"""The large demo's people directory and allocations (500 people, 5,000 allocations per scale
unit): generated after the rest, with a random stream of their own so the other generated records
stay exactly as they were. Deterministic for a given `today`."""

from __future__ import annotations

import random
from datetime import date as _date
from typing import Any

import pendulum

from pgmtui.demo.base import SEED
from pgmtui.store import Store

LARGE_PEOPLE = {"person": 500, "allocation": 5_000}

_FIRST = (
    "Aaron", "Abena", "Adam", "Aisha", "Alex", "Amara", "Ana", "Anil", "Ben", "Bianca", "Carlos", "Chen",
    "Chloe", "Dan", "Dara", "Eli", "Emma", "Erik", "Fatima", "Femi", "Gemma", "Hana", "Hugo", "Ines",
    "Isaac", "Jade", "James", "Jin", "Joel", "Kate", "Kemal", "Lena", "Liam", "Lucia", "Maya", "Mei",
    "Nadia", "Noah", "Olga", "Omar", "Pablo", "Quinn", "Rosa", "Sara", "Tariq", "Uma", "Vera", "Wei",
)  # fmt: skip
_LAST = (
    "Adams", "Ahmed", "Bauer", "Brown", "Campbell", "Costa", "Davies", "Dubois", "Evans", "Fischer",
    "Garcia", "Gupta", "Hughes", "Ibrahim", "Jones", "Kaur", "Khan", "Larsen", "Lopez", "Mensah",
    "Moreau", "Nakamura", "Novak", "Okoro", "Olsen", "Patel", "Quinn", "Rossi", "Sato", "Schmidt",
    "Singh", "Smith", "Tanaka", "Taylor", "Walker", "Wilson", "Yilmaz", "Zhang",
)  # fmt: skip
_ROLES = (
    ("Project manager", "Delivery"),
    ("Business analyst", "Delivery"),
    ("Enterprise architect", "Architecture"),
    ("Solution architect", "Architecture"),
    ("Developer", "Engineering"),
    ("Developer", "Engineering"),
    ("Test analyst", "Quality"),
    ("Cloud engineer", "Infrastructure"),
    ("Network engineer", "Infrastructure"),
    ("Data engineer", "Data"),
    ("Security analyst", "Security"),
    ("Change manager", "Business change"),
    ("Trainer", "Business change"),
)


def build_people(
    store: Store,
    today: pendulum.Date,
    at: pendulum.DateTime,
    managers: tuple[str, ...],
    project_ids: list[int],
    milestone_ids: list[int],
    per_project: int,
    scale: int,
) -> None:
    """The directory (the owners and managers named elsewhere first) and who works on what, some
    over-allocated in the coming weeks, as loaded with the programme (at `at`)."""
    rng = random.Random(SEED + 13)
    names: list[str] = list(managers)
    taken = {n.casefold() for n in names}
    n_people = LARGE_PEOPLE["person"] * scale
    while len(names) < n_people:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if name.casefold() in taken:
            name = f"{name} {len(names)}"  # a namesake, told apart
        taken.add(name.casefold())
        names.append(name)
    people: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        role, team = ("Project manager", "Delivery") if i < len(managers) else rng.choice(_ROLES)
        people.append(
            {
                "name": name,
                "role": role,
                "team": team,
                "capacity_pct": rng.choices((100, 80, 60, 50), weights=(80, 10, 6, 4))[0],
                "email": f"person{i:04d}@example.org",
            }
        )
    base = today.toordinal()
    per_person = LARGE_PEOPLE["allocation"] // LARGE_PEOPLE["person"]  # 10: two tracks of 5
    with store.acting(user="pmo", at=at):
        person_ids = store.bulk_insert("person", people)
        allocations: list[dict[str, Any]] = []
        for pid, person in zip(person_ids, people, strict=True):
            # Two tracks of work one after another, planned to fit the person's capacity; about
            # one person in eight is booked beyond it somewhere (the levelling's work).
            cap = person["capacity_pct"]
            first = rng.choice((30, 40, 50, 60))
            first = min(first, cap - 10)
            second = cap - first - rng.choice((0, 10, 20))
            if rng.random() < 0.125:
                second += rng.choice((20, 30, 40))
            for percent in (first, min(max(second, 10), 100)):
                day = base + rng.randint(-200, -60)
                for _ in range(per_person // 2):
                    end = day + rng.randint(30, 120)
                    p = rng.randrange(len(project_ids))
                    allocations.append(
                        {
                            "person": pid,
                            "project": project_ids[p],
                            "milestone": milestone_ids[p * per_project + rng.randrange(per_project)]
                            if rng.random() < 0.6
                            else None,
                            "start_date": _date.fromordinal(day).isoformat(),
                            "end_date": _date.fromordinal(end).isoformat(),
                            "percent": float(percent),
                        }
                    )
                    day = end + 1 + rng.randint(0, 20)
        store.bulk_insert("allocation", allocations)
