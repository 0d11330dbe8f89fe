"""The small demo: the hand-authored Digital Workplace programme, replayed through the store from
the JSON spec in data/ so its audit trail and final state agree by construction."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui.demo import finance
from pgmtui.demo.base import (
    _META_KEYS,
    KIND_ORDER,
    SECTIONS,
    _at,
    working_day,
)
from pgmtui.store import KINDS, Store

# ---------------------------------------------------------------------------- small demo


@dataclass
class _Event:
    when: pendulum.DateTime
    seq: int
    user: str
    op: str  # insert / update / delete / progress
    kind: str
    key: Any
    set: dict[str, Any] = field(default_factory=dict)
    was: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    step: tuple[int, int] = (0, 0)  # progress: k of n
    start: dict[str, Any] = field(default_factory=dict)  # progress: values before the first report


def _date_fields(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in KINDS[kind].fields if f.type in ("date", "proximity"))


class _Small:
    """Resolves the JSON spec against `today` and turns it into an initial state plus dated events."""

    def __init__(self, store: Store, today: pendulum.Date, spec: dict[str, Any]):
        self.store = store
        self.today = today
        self.spec = spec
        created = spec["created"]
        self.created_at = self.when(created["when"])
        self.created_user = created["user"]
        self.project_users: dict[str, str] = spec.get("project_users", {})
        self.events: list[_Event] = []
        self.ids: dict[tuple[str, Any], int] = {}

    # -- resolving offsets

    def day(self, value: Any) -> pendulum.Date:
        if isinstance(value, int) and not isinstance(value, bool):
            return self.today.add(days=value)
        if isinstance(value, str) and value.startswith("wd:"):
            return working_day(self.today, int(value[3:]))
        if isinstance(value, str) and value.startswith("d:"):
            return self.today.add(days=int(value[2:]))
        raise ValueError(f"demo data: cannot read {value!r} as a day offset")

    def when(self, text: str) -> pendulum.DateTime:
        day, hhmm = text.split()
        return _at(self.day(day), hhmm)

    def resolve(self, kind: str, values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        for name in _date_fields(kind):
            value = out.get(name)
            if isinstance(value, int) or (isinstance(value, str) and value.startswith(("wd:", "d:"))):
                out[name] = self.day(value).isoformat()
            # else: empty, an ISO date already, or a proximity word
        return out

    def recorded_at(self, day: pendulum.Date, hhmm: str) -> pendulum.DateTime:
        """When something dated `day` is typed in: that working day (or the next), never after today."""
        while day.weekday() >= 5:
            day = day.add(days=1)
        if day >= self.today:  # typed in early this morning
            return _at(self.today, "07:00").add(minutes=int(hhmm[-2:]) % 30)
        return _at(day, hhmm)

    # -- building

    def records(self) -> dict[str, dict[Any, dict[str, Any]]]:
        """Final state of every record, keyed per kind, with dates resolved."""
        spec = self.spec
        final: dict[str, dict[Any, dict[str, Any]]] = {kind: {} for kind in KIND_ORDER}
        final["programme"]["programme"] = self.resolve("programme", spec["programme"])
        for section, kind in SECTIONS.items():
            for raw in spec.get(section, []):
                rec = self.resolve(kind, raw)
                final[kind][self.key(kind, rec)] = rec
        for benefit in spec.get("benefits", []):
            for index, point in enumerate(benefit.get("measurements", [])):
                offset, value, *note = point
                rec = {
                    "benefit": benefit["name"],
                    "date": self.day(offset).isoformat(),
                    "value": value,
                    "note": note[0] if note else None,
                }
                final["measurement"][(benefit["name"], index)] = rec
        finance.add_records(self, final)
        return final

    @staticmethod
    def key(kind: str, rec: dict[str, Any]) -> Any:
        if kind == "project":
            return rec["code"]
        if kind == "milestone":
            return f"{rec['project']}:{rec['name']}"
        if kind == "dependency":
            return (rec["supplier"], rec["consumer"])
        if kind in ("benefit", "person", "stakeholder"):
            return rec["name"]
        if kind == "objective":
            return rec["code"]
        if kind == "contribution":
            return (rec["objective"], rec.get("project") or rec.get("benefit"))
        if kind == "business_case":
            return rec.get("project") or "programme"
        if kind == "gate_review":
            return (rec["milestone"], rec["review_date"])
        if kind == "allocation":
            return (rec["person"], rec["project"], rec["start_date"])
        if kind == "engagement":
            return (rec["stakeholder"], rec["date"], rec["summary"])
        if kind == "communication":
            return rec["message"]
        return rec["title"]

    def collect_events(self, final: dict[str, dict[Any, dict[str, Any]]]) -> None:
        seq = 0

        def add(event: _Event) -> None:
            nonlocal seq
            event.seq = seq
            seq += 1
            self.events.append(event)

        created_day = self.created_at.date()
        # Scripted changes.
        for item in self.spec.get("history", []):
            when, user = self.when(item["when"]), item["user"]
            if "update" in item:
                kind = item["update"]
                add(
                    _Event(
                        when,
                        0,
                        user,
                        "update",
                        kind,
                        item["ref"],
                        set=self.resolve(kind, item["set"]),
                        was=self.resolve(kind, item["was"]),
                    )
                )
            elif "delete" in item:
                kind = item["delete"]
                rec = self.resolve(kind, item["record"])
                add(_Event(when, 0, user, "delete", kind, self.key(kind, rec), record=rec))
            else:
                raise ValueError(f"demo data: history entry needs 'update' or 'delete': {item}")
        # Records created after the initial load.
        for kind, recs in final.items():
            for key, rec in recs.items():
                created = rec.get("created")
                if created:
                    add(_Event(self.when(created["when"]), 0, created["user"], "insert", kind, key))
        # Milestones completed since the load: the actual date is typed in on the day.
        for n, (key, rec) in enumerate(final["milestone"].items()):
            actual = rec.get("actual_date")
            if actual and pendulum.Date.fromisoformat(actual) > created_day:
                user = self.project_users.get(rec["project"], self.created_user)
                when = self.recorded_at(pendulum.Date.fromisoformat(actual), f"16:{10 + n % 40:02d}")
                add(
                    _Event(
                        when,
                        0,
                        user,
                        "update",
                        "milestone",
                        key,
                        set={"actual_date": actual},
                        was={"actual_date": None},
                    )
                )
        # Benefit measurements dated after the load are recorded when they are taken.
        benefits = {b["name"]: b for b in self.spec.get("benefits", [])}
        for n, (key, rec) in enumerate(final["measurement"].items()):
            taken = pendulum.Date.fromisoformat(rec["date"])
            if taken > created_day:
                user = benefits[key[0]].get("recorded_by", self.created_user)
                add(
                    _Event(
                        self.recorded_at(taken, f"09:{15 + n % 40:02d}"),
                        0,
                        user,
                        "insert",
                        "measurement",
                        key,
                    )
                )
        # Fortnightly progress reports: % complete and actual cost, linear from `progress_from`.
        plan = self.spec.get("progress")
        if plan:
            for p, (code, rec) in enumerate(final["project"].items()):
                start = rec.get("progress_from")
                if not start:
                    continue
                begins = (
                    pendulum.Date.fromisoformat(rec["start_date"]) if rec.get("start_date") else created_day
                )
                days = [
                    working_day(self.today, plan["last_wd"] - plan["every_wd"] * i)
                    for i in range(plan["count"])
                ]
                days = sorted(d for d in days if d > created_day and d >= begins)
                hour, minute = (int(x) for x in plan["time"].split(":"))
                for k, d in enumerate(days, start=1):
                    when = _at(d, f"{hour:02d}:{minute:02d}").add(minutes=3 * p)
                    user = self.project_users.get(code, self.created_user)
                    add(_Event(when, 0, user, "progress", "project", code, step=(k, len(days)), start=start))
        finance.add_events(self, final, add)
        self.events.sort(key=lambda e: (e.when, e.seq))
        if self.events and self.events[0].when <= self.created_at:
            raise ValueError(f"demo data: a change is dated before the initial load ({self.events[0]})")

    def initial_state(
        self, final: dict[str, dict[Any, dict[str, Any]]]
    ) -> dict[str, dict[Any, dict[str, Any]]]:
        """Walk the history backwards from the final state to the state at the initial load."""
        state = copy.deepcopy(final)
        for event in reversed(self.events):
            recs = state[event.kind]
            if event.op == "delete":
                if event.key in recs:
                    raise ValueError(f"demo data: {event.kind} {event.key!r} is deleted but still listed")
                recs[event.key] = copy.deepcopy(event.record)
                continue
            if event.key not in recs:
                raise ValueError(f"demo data: {event.kind} {event.key!r} is changed before it exists")
            rec = recs[event.key]
            if event.op == "insert":
                event.record = recs.pop(event.key)
            elif event.op == "update":
                for name, value in event.set.items():
                    if rec.get(name) != value:
                        raise ValueError(
                            f"demo data: history sets {event.kind} {event.key!r} {name} to {value!r} "
                            f"but the next state has {rec.get(name)!r}"
                        )
                    rec[name] = event.was[name]
            elif event.op == "progress":
                k, n = event.step
                event.set = {name: rec[name] for name in event.start}
                event.was = {}
                for name, begin in event.start.items():
                    value = begin + (rec[name] - begin) * (k - 1) / k
                    event.was[name] = round(value, -3) if name == "actual_cost" else round(value)
                    rec[name] = event.was[name]
                event.op = "update"
        finance.adjust_initial(self, state)
        return state

    # -- writing

    def store_fields(self, kind: str, rec: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in rec.items() if k not in _META_KEYS}
        if kind == "measurement":
            out["benefit"] = self.ids[("benefit", rec["benefit"])]
        if kind == "gate_review" and rec.get("decision"):
            out["decision"] = self.ids[("decision", rec["decision"])]  # decisions are known by id
        for name in ("about", "source"):  # a link KIND:key, the key as the demo names the record
            if out.get(name):
                target, _, key = str(out[name]).partition(":")
                if (target, key) in self.ids:  # a title (risk, issue, …): its id; codes the store resolves
                    out[name] = f"{target}:{self.ids[(target, key)]}"
        return out

    def insert(self, kind: str, key: Any, rec: dict[str, Any]) -> None:
        self.ids[(kind, key)] = self.store.insert(kind, self.store_fields(kind, rec))

    def ref(self, kind: str, key: Any) -> int | str:
        if kind in ("project", "milestone", "benefit"):
            return key
        return self.ids[(kind, key)]

    def write(self, until: pendulum.DateTime | None = None) -> None:
        """Load the initial state and replay the history (only up to `until`, when given: the
        database as it stood then, which time-travel tests compare `--as-of` with)."""
        final = self.records()
        self.collect_events(final)
        initial = self.initial_state(final)
        store = self.store
        tick = iter(range(10**9))

        def load_clock() -> pendulum.DateTime:  # the initial load takes a few minutes, one write a second
            return self.created_at.add(seconds=next(tick))

        with store.acting(user=self.created_user, at=load_clock):
            for kind in KIND_ORDER:
                if kind == "cost":
                    finance.load_costs(self, initial[kind])
                    continue
                for key, rec in initial[kind].items():
                    self.insert(kind, key, rec)
        for event in self.events:
            if until is not None and event.when > until:
                break
            with store.acting(user=event.user, at=event.when):
                if event.op == "insert":
                    self.insert(event.kind, event.key, event.record)
                elif event.op == "update":
                    store.update(event.kind, self.ref(event.kind, event.key), event.set)
                elif event.op == "delete":
                    store.delete(event.kind, self.ref(event.kind, event.key))


def build_small(
    store: Store, today: pendulum.Date, spec: dict[str, Any], *, until: pendulum.DateTime | None = None
) -> None:
    _Small(store, today, spec).write(until)
