"""MS Project plans saved as XML (MSPDI, what File › Save As › XML writes in MS Project 2003–2019
and what other planning tools export), read into plain data. No store here.

Reading is defensive: the file is parsed with defusedxml as a stream (no tree is built), and

- a document type declaration (<!DOCTYPE>, where entity-expansion and external-entity attacks
  live; MS Project never writes one), entities and external references are refused;
- elements nested deeper than MAX_DEPTH, more than MAX_ELEMENTS elements or a file larger than
  MAX_BYTES are refused (a plan is a few levels deep; timephased data is skipped as it streams);

each with one line saying so. Only what pgmtui uses is kept: the project's properties, and per
task its UID, name, outline level, summary and milestone flags, dates, baseline 0, costs and
predecessor links; resources and assignments. Extended attributes, calendars and timephased
data are passed over. Element names are matched without their namespace, so files written with
or without `xmlns="http://schemas.microsoft.com/project"` read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from pgmtui.records.errors import ValidationError

MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 32  # MSPDI is 6 levels deep (Project/Assignments/Assignment/TimephasedData/…)
MAX_ELEMENTS = 20_000_000
NO_RESOURCE = -65535  # an assignment to no resource
CHUNK = 1 << 16

# Link types as MSPDI numbers them.
LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
# Lag/duration formats (confirmed and estimated codes): working-time units.
WORKING_FORMATS = {
    3: "m",
    35: "m",
    5: "h",
    37: "h",
    7: "d",
    39: "d",
    53: "d",
    9: "w",
    41: "w",
    11: "mo",
    43: "mo",
}
ELAPSED_FORMATS = {
    4: "em",
    36: "em",
    6: "eh",
    38: "eh",
    8: "ed",
    40: "ed",
    10: "ew",
    42: "ew",
    12: "emo",
    44: "emo",
}
PERCENT_FORMATS = {19: "%", 51: "%", 20: "e%", 52: "e%"}

_PROJECT_FIELDS = {
    "Name", "Title", "GUID", "StartDate", "FinishDate", "MinutesPerDay", "MinutesPerWeek", "DaysPerMonth",
    "CurrencyCode", "CurrencySymbol", "SaveVersion", "ScheduleFromStart", "CurrentDate", "StatusDate",
}  # fmt: skip
_TASK_FIELDS = {
    "UID", "ID", "Name", "Type", "IsNull", "OutlineLevel", "OutlineNumber", "WBS", "Summary", "Milestone",
    "Start", "Finish", "Duration", "PercentComplete", "Cost", "ActualCost", "ActualStart", "ActualFinish",
    "Active", "ExternalTask", "ExternalTaskProject", "IsSubproject", "SubprojectName", "GUID",
}  # fmt: skip
_LINK_FIELDS = {"PredecessorUID", "Type", "CrossProject", "CrossProjectName", "LinkLag", "LagFormat"}
_BASELINE_FIELDS = {"Number", "Start", "Finish", "Cost", "Duration"}
_RESOURCE_FIELDS = {"UID", "ID", "Name", "Type", "IsNull", "IsCostResource", "Initials", "Group", "EmailAddress",
                    "MaxUnits", "IsGeneric", "IsInactive"}  # fmt: skip
_ASSIGNMENT_FIELDS = {
    "UID",
    "TaskUID",
    "ResourceUID",
    "Units",
    "Start",
    "Finish",
    "Work",
    "PercentWorkComplete",
}


@dataclass
class Link:
    predecessor_uid: int
    type: str  # FF, FS, SF, SS
    lag_tenths: int  # LinkLag: tenths of a minute (or, for percentage lags, the percentage)
    lag_format: int
    cross_project: bool = False
    cross_project_name: str = ""


@dataclass
class Baseline:
    start: str | None = None
    finish: str | None = None
    cost: float | None = None


@dataclass
class Task:
    uid: int
    id: int | None = None
    name: str = ""
    outline_level: int = 0
    summary: bool = False
    milestone: bool = False
    start: str | None = None
    finish: str | None = None
    duration_minutes: float | None = None
    percent_complete: float | None = None
    cost: float | None = None
    actual_cost: float | None = None
    actual_finish: str | None = None
    baseline: Baseline | None = None  # baseline 0
    is_null: bool = False
    active: bool = True
    external: bool = False
    external_project: str = ""
    links: list[Link] = field(default_factory=list)


@dataclass
class Resource:
    uid: int
    name: str = ""
    type: int = 1  # 0 material, 1 work, 2 cost
    is_null: bool = False
    cost_resource: bool = False
    email: str = ""
    group: str = ""
    inactive: bool = False
    max_units: float | None = None  # 1.0 = one full-time person


@dataclass
class Assignment:
    uid: int
    task_uid: int
    resource_uid: int
    units: float = 1.0
    start: str | None = None
    finish: str | None = None


@dataclass
class Plan:
    name: str = ""
    title: str = ""
    guid: str = ""
    start: str | None = None
    finish: str | None = None
    minutes_per_day: float = 480.0
    minutes_per_week: float = 2400.0
    days_per_month: float = 20.0
    currency: str = ""
    save_version: str = ""
    tasks: dict[int, Task] = field(default_factory=dict)
    resources: dict[int, Resource] = field(default_factory=dict)
    assignments: list[Assignment] = field(default_factory=list)
    dropped_dates: list[str] = field(default_factory=list)  # "task 12 Start 2200-01-01"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Target:
    """A streaming parser target: keeps the few fields pgmtui reads, never builds a tree."""

    def __init__(self, plan: Plan, name: str) -> None:
        self.plan, self.name = plan, name
        self.path: list[str] = []
        self.text: list[str] = []
        self.elements = 0
        self.task: dict[str, str] | None = None
        self.link: dict[str, str] | None = None
        self.baseline: dict[str, str] | None = None
        self.links: list[dict[str, str]] = []
        self.baselines: list[dict[str, str]] = []
        self.resource: dict[str, str] | None = None
        self.assignment: dict[str, str] | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        local = _local(tag)
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise ValidationError("path", f"{self.name}: refused: more than {MAX_ELEMENTS:,} XML elements")
        if len(self.path) >= MAX_DEPTH:
            raise ValidationError(
                "path", f"{self.name}: refused: XML elements nested more than {MAX_DEPTH} deep"
            )
        if not self.path and local != "Project":
            raise ValidationError(
                "path",
                f"{self.name}: not an MS Project XML file (its first element is <{local}>, not <Project>)",
            )
        self.path.append(local)
        self.text = []
        where = tuple(self.path[1:])
        if where == ("Tasks", "Task"):
            self.task, self.links, self.baselines = {}, [], []
        elif where == ("Tasks", "Task", "PredecessorLink"):
            self.link = {}
        elif where == ("Tasks", "Task", "Baseline"):
            self.baseline = {}
        elif where == ("Resources", "Resource"):
            self.resource = {}
        elif where == ("Assignments", "Assignment"):
            self.assignment = {}

    def data(self, text: str) -> None:
        if len(self.text) < 4096:  # leaf values are short; long text (notes) is cut, not hoarded
            self.text.append(text)

    def end(self, tag: str) -> None:
        where = tuple(self.path[1:])
        value = "".join(self.text).strip()
        self.text = []
        n = len(where)
        if n == 1 and where[0] in _PROJECT_FIELDS:
            _set_project(self.plan, where[0], value)
        elif n == 3 and where[:2] == ("Tasks", "Task") and self.task is not None and where[2] in _TASK_FIELDS:
            self.task[where[2]] = value
        elif n == 4 and where[:3] == ("Tasks", "Task", "PredecessorLink") and self.link is not None:
            if where[3] in _LINK_FIELDS:
                self.link[where[3]] = value
        elif n == 4 and where[:3] == ("Tasks", "Task", "Baseline") and self.baseline is not None:
            if where[3] in _BASELINE_FIELDS:
                self.baseline[where[3]] = value
        elif where == ("Tasks", "Task", "PredecessorLink") and self.link is not None:
            self.links.append(self.link)
            self.link = None
        elif where == ("Tasks", "Task", "Baseline") and self.baseline is not None:
            self.baselines.append(self.baseline)
            self.baseline = None
        elif where == ("Tasks", "Task") and self.task is not None:
            self._add_task()
            self.task = None
        elif n == 3 and where[:2] == ("Resources", "Resource") and self.resource is not None:
            if where[2] in _RESOURCE_FIELDS:
                self.resource[where[2]] = value
        elif where == ("Resources", "Resource") and self.resource is not None:
            self._add_resource()
            self.resource = None
        elif n == 3 and where[:2] == ("Assignments", "Assignment") and self.assignment is not None:
            if where[2] in _ASSIGNMENT_FIELDS:
                self.assignment[where[2]] = value
        elif where == ("Assignments", "Assignment") and self.assignment is not None:
            self._add_assignment()
            self.assignment = None
        self.path.pop()

    def close(self) -> Plan:
        return self.plan

    # -- records

    def _add_task(self) -> None:
        t = self.task or {}
        uid = _int(t.get("UID"))
        if uid is None:
            return  # MS Project never writes a task without a UID; other tools' blank rows
        label = f"task UID {uid}"
        task = Task(
            uid=uid,
            id=_int(t.get("ID")),
            name=" ".join(t.get("Name", "").split()),
            outline_level=_int(t.get("OutlineLevel")) or 0,
            summary=_flag(t.get("Summary")),
            milestone=_flag(t.get("Milestone")),
            start=self._date(t.get("Start"), label, "Start"),
            finish=self._date(t.get("Finish"), label, "Finish"),
            duration_minutes=duration_minutes(t.get("Duration"), self.plan.minutes_per_day),
            percent_complete=_float(t.get("PercentComplete")),
            cost=_money(t.get("Cost")),
            actual_cost=_money(t.get("ActualCost")),
            actual_finish=self._date(t.get("ActualFinish"), label, "ActualFinish"),
            is_null=_flag(t.get("IsNull")),
            active=t.get("Active", "1").strip() not in ("0", "false"),
            external=_flag(t.get("ExternalTask")),
            external_project=t.get("ExternalTaskProject", ""),
        )
        for b in self.baselines:
            if (_int(b.get("Number")) or 0) == 0:
                task.baseline = Baseline(
                    start=self._date(b.get("Start"), label, "Baseline Start"),
                    finish=self._date(b.get("Finish"), label, "Baseline Finish"),
                    cost=_money(b.get("Cost")),
                )
        for link in self.links:
            pred = _int(link.get("PredecessorUID"))
            if pred is None:
                continue
            task.links.append(
                Link(
                    predecessor_uid=pred,
                    type=LINK_TYPES.get(_int(link.get("Type")) or 0 if link.get("Type") else 1, "FS"),
                    lag_tenths=_int(link.get("LinkLag")) or 0,
                    lag_format=_int(link.get("LagFormat")) or 7,
                    cross_project=_flag(link.get("CrossProject")),
                    cross_project_name=link.get("CrossProjectName", ""),
                )
            )
        self.plan.tasks[uid] = task

    def _add_resource(self) -> None:
        r = self.resource or {}
        uid = _int(r.get("UID"))
        if uid is None:
            return
        self.plan.resources[uid] = Resource(
            uid=uid,
            name=" ".join(r.get("Name", "").split()),
            type=_int(r.get("Type")) if r.get("Type") else 1,  # type: ignore[arg-type]
            is_null=_flag(r.get("IsNull")),
            cost_resource=_flag(r.get("IsCostResource")),
            email=r.get("EmailAddress", "").strip(),
            group=r.get("Group", "").strip(),
            inactive=_flag(r.get("IsInactive")),
            max_units=_float(r.get("MaxUnits")),
        )

    def _add_assignment(self) -> None:
        a = self.assignment or {}
        uid, task, resource = _int(a.get("UID")), _int(a.get("TaskUID")), _int(a.get("ResourceUID"))
        if uid is None or task is None or resource is None:
            return
        units = _float(a.get("Units"))
        label = f"assignment UID {uid}"
        self.plan.assignments.append(
            Assignment(
                uid=uid,
                task_uid=task,
                resource_uid=resource,
                units=1.0 if units is None else units,
                start=self._date(a.get("Start"), label, "Start"),
                finish=self._date(a.get("Finish"), label, "Finish"),
            )
        )

    def _date(self, text: str | None, label: str, what: str) -> str | None:
        day = date_part(text)
        if text and text.strip() and day is None:
            self.plan.dropped_dates.append(f"{label} {what} {text.strip()[:25]}")
        return day


def _set_project(plan: Plan, name: str, value: str) -> None:
    if name == "Name":
        plan.name = value
    elif name == "Title":
        plan.title = " ".join(value.split())
    elif name == "GUID":
        plan.guid = value.strip("{}").upper()
    elif name == "StartDate":
        plan.start = date_part(value)
    elif name == "FinishDate":
        plan.finish = date_part(value)
    elif name == "MinutesPerDay":
        plan.minutes_per_day = _positive(value, plan.minutes_per_day)
    elif name == "MinutesPerWeek":
        plan.minutes_per_week = _positive(value, plan.minutes_per_week)
    elif name == "DaysPerMonth":
        plan.days_per_month = _positive(value, plan.days_per_month)
    elif name == "CurrencyCode":
        plan.currency = value
    elif name == "SaveVersion":
        plan.save_version = value


# ---------------------------------------------------------------------------- values

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DURATION = re.compile(
    r"-?P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?"
)


def date_part(text: str | None) -> str | None:
    """'2026-03-02T08:00:00' → '2026-03-02'; None when empty or outside 1990–2100 (MS Project
    writes far-off dates for "NA")."""
    if not text:
        return None
    m = _DATE.match(text.strip())
    if not m:
        return None
    year = int(m.group(1))
    if not 1990 <= year <= 2100:
        return None
    try:
        from datetime import date

        return date(year, int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def duration_minutes(text: str | None, minutes_per_day: float) -> float | None:
    """An xsd:duration as MS Project writes it ('PT40H0M0S') in working minutes."""
    if not text:
        return None
    m = _DURATION.fullmatch(text.strip())
    if not m:
        return None
    parts = {k: float(v) for k, v in m.groupdict().items() if v}
    minutes = parts.get("h", 0) * 60 + parts.get("mi", 0) + parts.get("s", 0) / 60
    minutes += parts.get("d", 0) * minutes_per_day
    return minutes


def _int(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def _float(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _money(text: str | None) -> float | None:
    """MSPDI writes currency in hundredths (cents, pence): 250000 is 2,500.00."""
    value = _float(text)
    return None if value is None else value / 100


def _positive(text: str, default: float) -> float:
    value = _float(text)
    return value if value and value > 0 else default


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in ("1", "true")


# ---------------------------------------------------------------------------- reading


def read_plan(path: Path) -> Plan:
    """Parse an MSPDI file (see the module docstring); ValidationError with one line on refusal."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError(
            "path",
            f"{path.name}: refused: {size // 2**20} MB is larger than a plan pgmtui reads ({MAX_BYTES // 2**20} MB)",
        )
    plan = Plan()
    target = _Target(plan, path.name)
    parser = SafeET.DefusedXMLParser(
        target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                parser.feed(chunk)
        parser.close()
    except DefusedXmlException as exc:
        raise ValidationError("path", f"{path.name}: refused: {_refusal(exc)}") from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        if not target.path and not target.elements:
            raise ValidationError(
                "path", f"{path.name}: not an XML file (line {line}, column {column})"
            ) from None
        raise ValidationError(
            "path",
            f"{path.name}: not well-formed XML at line {line}, column {column} ({_parse_message(exc)})",
        ) from None
    except RecursionError:
        raise ValidationError("path", f"{path.name}: refused: XML nested too deeply") from None
    if not target.elements:
        raise ValidationError("path", f"{path.name}: empty file")
    return plan


def _refusal(exc: Any) -> str:
    name = type(exc).__name__
    if name == "DTDForbidden":
        return (
            "the file declares a document type (<!DOCTYPE>), where entity-expansion and external-entity "
            "attacks live; MS Project never writes one"
        )
    if name == "EntitiesForbidden":
        return "the file declares XML entities (an entity-expansion attack, or not an MS Project file)"
    if name == "ExternalReferenceForbidden":
        return "the file refers to an external resource (external entities are never read)"
    return f"unsafe XML ({name})"


def _parse_message(exc: ParseError) -> str:
    return str(exc).split(":")[0]
