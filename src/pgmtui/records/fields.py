"""Field specifications for every record kind: the one place that says what a valid value is.

The CLI (`FIELD=VALUE` strings), the forms (text typed into inputs) and import files all hand raw
values to :func:`coerce_field`, so a value is judged the same way wherever it comes from.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui import clock
from pgmtui.records.errors import ValidationError

RAG_VALUES = ("R", "A", "G")
STAGES = ("Initiation", "Delivery", "Closure", "Closed")
DEP_TYPES = ("FS", "SS", "FF", "SF")
RISK_KINDS = ("threat", "opportunity")
THREAT_RESPONSES = ("avoid", "reduce", "fallback", "transfer", "share", "accept")
OPPORTUNITY_RESPONSES = ("exploit", "enhance", "share", "reject")
RISK_STATUSES = ("open", "closed")
PROXIMITY_WORDS = ("imminent", "this stage", "this project", "beyond")
PRIORITIES = ("low", "medium", "high", "critical")
ISSUE_STATUSES = ("open", "in progress", "closed")
ASSUMPTION_STATUSES = ("open", "validated", "invalid", "closed")
DECISION_STATUSES = ("needed", "made", "deferred", "rejected")
BENEFIT_KINDS = ("cash-releasing", "non-cash", "dis-benefit")
COST_CATEGORIES = ("capex", "opex")
CR_FUNDING = ("change", "contingency", "reserve")  # new money, the project's contingency, the reserve
CR_STATUSES = ("raised", "approved", "rejected", "withdrawn")
GATE_OUTCOMES = ("pending", "go", "conditional", "hold", "stop")
ATTITUDES = ("blocker", "critic", "neutral", "supporter", "champion")  # worst to best
CHANNELS = ("meeting", "email", "call", "workshop", "report", "other")
ACTION_STATUSES = ("open", "done", "cancelled")
LESSON_CATEGORIES = (
    "planning",
    "governance",
    "supplier",
    "technical",
    "people",
    "benefits",
    "risk",
    "other",
)

MAX_TEXT = 2_000  # one-line fields: titles, names, owners
MAX_LONG_TEXT = 20_000  # notes, descriptions, cause/event/effect
MAX_LAG_DAYS = 3 * 365  # a lag longer than three years is a typing mistake, not a plan
MAX_MONEY = 1e13
MAX_IMPACT_DAYS = 3650  # a change request moving a date by more than ten years is a typing mistake
MONTH_MIN = "1990-01"
MONTH_MAX = "2100-12"
DATE_MIN = clock.EARLIEST
DATE_MAX = clock.LATEST

# Control characters other than tab and newline are never legitimate in programme records and
# can carry terminal escape sequences (ANSI, OSC 52 clipboard writes, title changes).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Field:
    name: str
    # text, longtext, int, real, money, percent, date, month (YYYY-MM), bool, enum, rag, proximity,
    # ref (one record, stored as <name>_id), refs (several, in a link table), link (any record,
    # written KIND:REF and stored as "kind:id")
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str = ""  # kind referenced, for type "ref"
    minimum: float | None = None
    maximum: float | None = None
    label: str = ""
    help: str = ""
    # For a "ref": what deleting the referenced record does to this one: "cascade" (deleted with
    # it) or "clear" (kept, the reference emptied by an audited update). "refs" and "link" fields
    # are always cleared.
    on_delete: str = "cascade"
    # The form group the field is shown under ("" = derived from its name and type, see
    # pgmtui.screens.form_values.field_group).
    group: str = ""

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    fields: tuple[Field, ...]
    # Fields that a row is known by, in messages and pickers.
    display: str = "title"
    # Multi-valued links held in a link table (e.g. benefit → projects).
    links: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        known = ", ".join(f.name for f in self.fields)
        raise ValidationError(name, f"unknown field {name!r} for {self.name} (known: {known})")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# pragma: no mutate start
# (Called once, at import, to build KINDS: a mutation run switches mutants on per test, after the
# import, so it could never see a change here. The field tables themselves are checked by tests.)
def _raid(kind: str, table: str, statuses: tuple[str, ...], extra: tuple[Field, ...] = ()) -> Kind:
    return Kind(
        kind,
        table,
        (
            Field("project", "ref", ref="project", label="Project", help="code; empty = programme"),
            Field("title", "text", required=True),
            Field("description", "longtext"),
            Field("owner", "text"),
            Field("status", "enum", choices=statuses),
            Field("priority", "enum", choices=PRIORITIES),
            Field("raised_date", "date"),
            Field("due_date", "date"),
            *extra,
        ),
    )


# pragma: no mutate end

# The second wave's kinds (people, finance, governance, stakeholders, follow-through), after the
# first's so that every kind comes after the kinds it references (reads and loads use this order).
SECOND_WAVE: tuple[Kind, ...] = (
    Kind(
        "person",
        "person",
        (
            Field("name", "text", required=True, help="unique; e.g. Asha Patel"),
            Field("role", "text"),
            Field("team", "text"),
            Field("email", "text", help="name@example.org"),
            Field(
                "capacity_pct",
                "int",
                minimum=1,
                maximum=100,
                label="Capacity (%)",
                help="share of a full-time week given to the programme",
            ),
            Field("note", "longtext"),
        ),
        display="name",
    ),
    Kind(
        "allocation",
        "allocation",
        (
            Field("person", "ref", ref="person", required=True, help="a person's name"),
            Field("project", "ref", ref="project", required=True),
            Field("milestone", "ref", ref="milestone", on_delete="clear", help="CODE:name, in the project"),
            Field("start_date", "date", required=True),
            Field("end_date", "date", required=True),
            Field("percent", "real", required=True, minimum=1, maximum=100, help="of a full-time week"),
            Field("note", "longtext"),
        ),
        display="id",
    ),
    Kind(
        "cost",
        "cost",
        (
            Field("project", "ref", ref="project", required=True),
            Field("month", "month", required=True, group="Identity"),  # a cost line is known by its month
            Field("category", "enum", choices=COST_CATEGORIES),
            Field("planned", "money", minimum=0),
            Field("actual", "money", minimum=0),
            Field("forecast", "money", minimum=0),
            Field("note", "longtext"),
        ),
        display="month",
    ),
    Kind(
        "change_request",
        "change_request",
        (
            Field("project", "ref", ref="project", required=True),
            Field("title", "text", required=True),
            Field("description", "longtext"),
            Field("cost_impact", "money", help="may be negative"),
            Field(
                "schedule_impact_days",
                "int",
                minimum=-MAX_IMPACT_DAYS,
                maximum=MAX_IMPACT_DAYS,
                label="Schedule impact (d)",
            ),
            Field("funding", "enum", choices=CR_FUNDING),
            Field("status", "enum", choices=CR_STATUSES),
            Field("raised_date", "date"),
            Field("decided_date", "date"),
            Field("decided_by", "text"),
        ),
    ),
    Kind(
        "objective",
        "objective",
        (
            Field("code", "text", required=True, help="short unique code, e.g. GROW"),
            Field("name", "text", required=True),
            Field("owner", "text"),
            Field("description", "longtext"),
            Field("weight", "real", minimum=0),
        ),
        display="code",
    ),
    Kind(
        "contribution",
        "contribution",
        (
            Field("objective", "ref", ref="objective", required=True, help="objective code"),
            Field("project", "ref", ref="project", help="a project code, or give a benefit"),
            Field("benefit", "ref", ref="benefit", help="a benefit name, or give a project"),
            Field("strength", "int", required=True, minimum=1, maximum=3, help="1 weak … 3 strong"),
            Field("note", "longtext"),
        ),
        display="id",
    ),
    Kind(
        "business_case",
        "business_case",
        (
            Field("project", "ref", ref="project", help="code; empty = the programme's own case"),
            Field(
                "discount_rate_pct",
                "real",
                minimum=0,
                maximum=100,
                label="Discount rate (%)",
                help="empty = the programme's rate",
            ),
            Field("horizon_years", "int", minimum=1, maximum=50, label="Horizon (years)"),
            Field("base_date", "date", help="empty = the project's start date"),
            Field("annual_running_cost", "money", minimum=0),
            Field("options", "longtext", help="the options appraised"),
            Field("chosen_option", "text"),
            Field("notes", "longtext"),
        ),
        display="id",
    ),
    Kind(
        "gate_review",
        "gate_review",
        (
            Field("milestone", "ref", ref="milestone", required=True, help="CODE:name of a stage gate"),
            Field("review_date", "date", required=True),
            Field("outcome", "enum", choices=GATE_OUTCOMES),
            Field("conditions", "longtext"),
            Field("attendees", "longtext"),
            Field("decision", "ref", ref="decision", on_delete="clear", help="the decision's id"),
        ),
        display="id",
    ),
    Kind(
        "stakeholder",
        "stakeholder",
        (
            Field("name", "text", required=True),
            Field("role", "text"),
            Field("organisation", "text"),
            Field("power", "int", required=True, minimum=1, maximum=5),
            Field("interest", "int", required=True, minimum=1, maximum=5),
            Field("attitude", "enum", choices=ATTITUDES),
            Field("target_attitude", "enum", choices=ATTITUDES),
            Field("owner", "text", help="who engages them"),
            Field("cadence_days", "int", minimum=1, maximum=365, label="Cadence (days)"),
            Field("channel", "enum", choices=CHANNELS, help="preferred channel"),
            Field("projects", "refs", ref="project", help="project codes, comma-separated"),
            Field("note", "longtext"),
        ),
        display="name",
        links={"projects": ("stakeholder_project", "stakeholder_id", "project_id")},
    ),
    Kind(
        "engagement",
        "engagement",
        (
            Field("stakeholder", "ref", ref="stakeholder", required=True, help="a stakeholder's name"),
            Field("date", "date", required=True),
            Field("channel", "enum", required=True, choices=CHANNELS),
            Field("summary", "longtext"),
            Field("next_action", "text"),
            Field("next_date", "date"),
            Field("by", "text", help="who engaged them"),
        ),
        display="date",
    ),
    Kind(
        "communication",
        "communication",
        (
            Field("audience", "text", required=True, help="stakeholder names or a group"),
            Field("message", "text", required=True),
            Field("channel", "enum", choices=CHANNELS),
            Field("frequency_days", "int", minimum=1, maximum=365, label="Every (days)"),
            Field("owner", "text"),
            Field("next_due", "date"),
        ),
        display="message",
    ),
    Kind(
        "action",
        "action",
        (
            Field("title", "text", required=True),
            Field("owner", "text"),
            Field("due_date", "date"),
            Field("status", "enum", choices=ACTION_STATUSES),
            Field("project", "ref", ref="project", help="code; empty = programme-level"),
            Field("about", "link", help="KIND:ID, e.g. issue:3 or project:IAM"),
            Field("done_date", "date", help="set when done"),
            Field("note", "longtext"),
        ),
    ),
    Kind(
        "lesson",
        "lesson",
        (
            Field("title", "text", required=True),
            Field("category", "enum", choices=LESSON_CATEGORIES),
            Field("what_happened", "longtext"),
            Field("recommendation", "longtext"),
            Field("project", "ref", ref="project", on_delete="clear", help="code; empty = programme-level"),
            Field("source", "link", help="KIND:ID of the record it comes from"),
            Field("raised_by", "text"),
            Field("date", "date", help="empty = today"),
        ),
    ),
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "programme",
            "programme",
            (
                Field("name", "text", required=True),
                Field("sponsor", "text"),
                Field("manager", "text"),
                Field("start_date", "date"),
                Field(
                    "end_date",
                    "date",
                    help="approved programme end: the slip is forecast vs this (empty: latest project baseline)",
                ),
                Field("tolerance_schedule_days", "int", minimum=0, maximum=365, label="Schedule tol. (d)"),
                Field("tolerance_cost_pct", "real", minimum=0, maximum=100, label="Cost tol. (%)"),
                Field("near_critical_days", "int", minimum=0, maximum=365, label="Near-critical (d)"),
                Field("currency", "text"),
                Field("rag_override", "rag", label="RAG override"),
                Field("rag_reason", "longtext", label="RAG reason"),
                Field("status_note", "longtext"),
                Field(
                    "discount_rate_pct",
                    "real",
                    minimum=0,
                    maximum=100,
                    label="Discount rate (%)",
                    help="for business cases without their own rate",
                ),
                Field(
                    "resource_lookahead_weeks",
                    "int",
                    minimum=1,
                    maximum=52,
                    label="Resource look-ahead (wk)",
                    help="weeks from this week checked for over-allocation",
                ),
                Field("management_reserve", "money", minimum=0, help="the programme's reserve for changes"),
                Field(
                    "power_threshold",
                    "int",
                    minimum=1,
                    maximum=5,
                    help="power from which a stakeholder is high",
                ),
                Field(
                    "interest_threshold",
                    "int",
                    minimum=1,
                    maximum=5,
                    help="interest from which a stakeholder is high",
                ),
            ),
            display="name",
        ),
        Kind(
            "project",
            "project",
            (
                Field("code", "text", required=True, help="short unique code, e.g. IAM"),
                Field("name", "text", required=True),
                Field("manager", "text"),
                # Free text in the store (imported plans use their own words); the form offers these.
                Field("stage", "text", choices=STAGES),
                Field("start_date", "date"),
                Field("baseline_end", "date"),
                Field("forecast_end", "date"),
                Field("budget", "money", minimum=0, label="Budget (BAC)"),
                Field("actual_cost", "money", minimum=0),
                Field("percent_complete", "percent", minimum=0, maximum=100, label="% complete"),
                Field("rag_override", "rag", label="RAG override"),
                Field("rag_reason", "longtext", label="RAG reason"),
                Field("status_note", "longtext"),
                Field("contingency", "money", minimum=0, help="money held for this project's risks"),
            ),
            display="code",
        ),
        Kind(
            "milestone",
            "milestone",
            (
                Field("project", "ref", ref="project", required=True),
                Field("name", "text", required=True),
                Field("baseline_date", "date"),
                Field("forecast_date", "date"),
                Field("actual_date", "date"),
                Field("is_gate", "bool", label="Stage gate"),
            ),
            display="name",
        ),
        Kind(
            "dependency",
            "dependency",
            (
                Field("supplier", "ref", ref="milestone", required=True),
                Field("consumer", "ref", ref="milestone", required=True),
                Field("type", "enum", choices=DEP_TYPES),
                Field("lag_days", "int", minimum=-MAX_LAG_DAYS, maximum=MAX_LAG_DAYS),
                Field("owner", "text"),
                Field("note", "longtext"),
            ),
            display="id",
        ),
        Kind(
            "risk",
            "risk",
            (
                Field("project", "ref", ref="project", help="code; empty = programme-level"),
                Field("title", "text", required=True),
                Field("kind", "enum", choices=RISK_KINDS),
                Field("cause", "longtext"),
                Field("event", "longtext"),
                Field("effect", "longtext"),
                Field("category", "text"),
                Field("owner", "text"),
                Field("probability", "int", required=True, minimum=1, maximum=5),
                Field("impact", "int", required=True, minimum=1, maximum=5),
                Field("residual_probability", "int", minimum=1, maximum=5),
                Field("residual_impact", "int", minimum=1, maximum=5),
                Field("proximity", "proximity"),
                Field(
                    "response", "enum", choices=tuple(dict.fromkeys(THREAT_RESPONSES + OPPORTUNITY_RESPONSES))
                ),
                Field("actions", "longtext"),
                Field("status", "enum", choices=RISK_STATUSES),
                Field("review_date", "date"),
            ),
        ),
        _raid("issue", "issue", ISSUE_STATUSES),
        _raid("assumption", "assumption", ASSUMPTION_STATUSES),
        _raid("decision", "decision", DECISION_STATUSES, (Field("decided_date", "date"),)),
        Kind(
            "benefit",
            "benefit",
            (
                Field("name", "text", required=True),
                Field("description", "longtext"),
                Field("owner", "text"),
                Field("kind", "enum", choices=BENEFIT_KINDS),
                Field("measure", "text"),
                Field("unit", "text"),
                Field("measurement_method", "longtext", help="how and when it is measured"),
                Field("baseline_value", "real", required=True),
                Field("baseline_date", "date"),
                Field("target_value", "real", required=True),
                Field("target_date", "date"),
                Field("annual_value", "money", help="money per year once fully realised"),
                Field("projects", "refs", ref="project", help="linked project codes, comma-separated"),
            ),
            display="name",
            links={"projects": ("benefit_project", "benefit_id", "project_id")},
        ),
        Kind(
            "measurement",
            "measurement",
            (
                Field("benefit", "ref", ref="benefit", required=True),
                Field("date", "date", required=True),
                Field("value", "real", required=True),
                Field("note", "longtext"),
            ),
            display="date",
        ),
        *SECOND_WAVE,
    )
}

# Every record table but the programme's, parents before children (the order reads and loads use).
RECORD_TABLES = tuple(k.table for k in KINDS.values() if k.name != "programme")

# Defaults applied on insert when a field is not given.
DEFAULTS: dict[str, dict[str, Any]] = {
    "programme": {
        "tolerance_schedule_days": 10,
        "tolerance_cost_pct": 10.0,
        "near_critical_days": 5,
        "currency": "GBP",
        "discount_rate_pct": 3.5,
        "resource_lookahead_weeks": 4,
        "management_reserve": 0.0,
        "power_threshold": 3,
        "interest_threshold": 3,
    },
    "project": {
        "stage": "Initiation",
        "budget": 0.0,
        "actual_cost": 0.0,
        "percent_complete": 0.0,
        "contingency": 0.0,
    },
    "milestone": {"is_gate": False},
    "dependency": {"type": "FS", "lag_days": 0},
    "risk": {"kind": "threat", "status": "open"},
    "issue": {"status": "open", "priority": "medium"},
    "assumption": {"status": "open", "priority": "medium"},
    "decision": {"status": "needed", "priority": "medium"},
    "benefit": {"kind": "non-cash"},
    "person": {"capacity_pct": 100},
    "cost": {"category": "opex", "planned": 0.0},
    "change_request": {
        "cost_impact": 0.0,
        "schedule_impact_days": 0,
        "funding": "change",
        "status": "raised",
    },
    "business_case": {"horizon_years": 5},
    "gate_review": {"outcome": "pending"},
    "stakeholder": {"attitude": "neutral"},
    "engagement": {"channel": "meeting"},
    "action": {"status": "open"},
    "lesson": {"category": "other"},  # and date: the clock's today, set by the store
}


# Reference fields are stored as <name>_id columns.
def column_for(f: Field) -> str:
    return f"{f.name}_id" if f.type == "ref" else f.name


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationError("kind", f"unknown kind {name!r} (one of: {', '.join(KINDS)})") from None


def check_text(value: str, f: Field) -> str:
    limit = MAX_LONG_TEXT if f.type == "longtext" else MAX_TEXT
    if "\x00" in value:
        raise ValidationError(f.name, f"{f.name} contains a NUL byte")
    if _CONTROL.search(value):
        raise ValidationError(
            f.name, f"{f.name} contains control characters (terminal escapes are not allowed)"
        )
    if f.type != "longtext" and "\n" in value:
        raise ValidationError(f.name, f"{f.name} must be a single line")
    if len(value) > limit:
        raise ValidationError(f.name, f"{f.name} is too long ({len(value)} characters, at most {limit})")
    return value


def parse_date(value: Any, name: str = "date") -> str:
    """Return an ISO date string or raise ValidationError; accepts date objects and YYYY-MM-DD."""
    if hasattr(value, "isoformat") and hasattr(value, "year"):
        d = pendulum.Date(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValidationError(name, f"{name} must be a date YYYY-MM-DD, got {text!r}")
        try:
            d = pendulum.Date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            raise ValidationError(name, f"{name}: {text} is not a real date") from None
    if not DATE_MIN <= d <= DATE_MAX:
        raise ValidationError(name, f"{name} {d.isoformat()} is outside {DATE_MIN.year}–{DATE_MAX.year}")
    return d.isoformat()


def parse_month(value: Any, name: str = "month") -> str:
    """Return a month as YYYY-MM or raise ValidationError (a full date is refused, not truncated:
    "2027-03-15" may mean the 15th's month or be a mistake for a date field)."""
    text = str(value).strip()
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(name, f"{name} must be YYYY-MM, got {text!r}")
    if not MONTH_MIN <= text <= MONTH_MAX:
        raise ValidationError(name, f"{name} {text} is outside {MONTH_MIN}…{MONTH_MAX}")
    return text


_LINK = re.compile(r"([A-Za-z_]+)\s*:\s*(.+)", re.DOTALL)


def split_link(value: str) -> tuple[str, str]:
    """A stored or typed link `kind:ref` as (kind, ref); the ref may hold colons (CODE:name)."""
    kind, _, ref = value.partition(":")
    return kind, ref


def parse_link(value: Any, f: Field) -> str:
    """A link to any record, typed `KIND:REF` (issue:3, project:IAM, milestone:CLD:Go-live), as
    `kind:ref` with the kind checked; the store then resolves the ref and keeps `kind:id`."""
    text = check_text(str(value).strip(), f)
    match = _LINK.fullmatch(text)
    if not match:
        raise ValidationError(f.name, f"{f.name} must be KIND:ID (e.g. issue:3 or project:IAM), got {text!r}")
    kind, ref = match.group(1).lower(), match.group(2).strip()
    if kind not in KINDS:
        raise ValidationError(f.name, f"{f.name}: unknown kind {kind!r} (one of: {', '.join(KINDS)})")
    return f"{kind}:{ref}"


# Numbers as typed: ASCII digits only (Python's int() also takes Arabic-Indic and full-width digits,
# which nobody means in a budget), an optional sign, decimals with a point, an exponent. Thousands
# may be grouped with commas or underscores, in groups of three ("1,250,000"); any other comma is
# ambiguous (is "2,5" two and a half or twenty-five?) and refused rather than guessed.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_GROUPED_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(?:([,_])[0-9]{3})(?:\1[0-9]{3})*(?:\.[0-9]+)?")
_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)


def _number_text(value: Any, f: Field, integer: bool) -> str:
    text = str(value).strip()
    if f.type == "percent":
        text = text.removesuffix("%").strip()
    if _PLAIN_NUMBER.fullmatch(text) or _NOT_FINITE.fullmatch(text):
        return text
    if _GROUPED_NUMBER.fullmatch(text):
        return text.replace(",", "").replace("_", "")
    kind = "a whole number" if integer else "a number"
    if "," in text and re.fullmatch(r"[+-]?[0-9][0-9,._]*", text):
        raise ValidationError(
            f.name,
            f"{f.name}: {text!r} is ambiguous; write decimals with a point (2.5) and group thousands "
            "in threes (1,250,000), or give no separators",
        )
    raise ValidationError(f.name, f"{f.name} must be {kind} (digits 0-9), got {str(value)!r}")


def _number(value: Any, f: Field, integer: bool) -> float | int:
    if isinstance(value, bool):
        raise ValidationError(f.name, f"{f.name} must be a number")
    if isinstance(value, (int, float)):
        num = value
    else:
        text = _number_text(value, f, integer)
        try:
            num = int(text) if integer and not _NOT_FINITE.fullmatch(text) else float(text)
        except ValueError:
            kind = "a whole number" if integer else "a number"
            raise ValidationError(f.name, f"{f.name} must be {kind}, got {str(value)!r}") from None
    if isinstance(num, float) and not math.isfinite(num):
        raise ValidationError(f.name, f"{f.name} must be a finite number")
    if integer and isinstance(num, float):
        if not num.is_integer():
            raise ValidationError(f.name, f"{f.name} must be a whole number, got {value!r}")
        num = int(num)
    if f.minimum is not None and num < f.minimum:
        raise ValidationError(f.name, f"{f.name} must be at least {_fmt(f.minimum)}, got {_fmt(num)}")
    if f.maximum is not None and num > f.maximum:
        raise ValidationError(f.name, f"{f.name} must be at most {_fmt(f.maximum)}, got {_fmt(num)}")
    if f.type == "money" and abs(num) > MAX_MONEY:
        raise ValidationError(f.name, f"{f.name} is implausibly large")
    return num


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def coerce_field(f: Field, value: Any) -> Any:
    """Turn a raw value (string from CLI/form/import, or a Python value) into its stored form.

    Empty strings and None mean "no value" (NULL) and are refused for required fields.
    Reference fields are returned unresolved (the store resolves codes and ids).
    """
    if isinstance(value, str) and f.type not in ("text", "longtext"):
        value = value.strip()
    if value is None or value == "":
        if f.required:
            raise ValidationError(f.name, f"{f.name} is required")
        return None
    t = f.type
    if t in ("text", "longtext"):
        value = check_text(str(value), f)
        if f.required and not value.strip():
            raise ValidationError(f.name, f"{f.name} must not be blank")
        return value
    if t == "int":
        return _number(value, f, integer=True)
    if t in ("real", "money", "percent"):
        return float(_number(value, f, integer=False))
    if t == "date":
        return parse_date(value, f.name)
    if t == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "y", "on"):
            return True
        if text in ("0", "false", "no", "n", "off"):
            return False
        raise ValidationError(f.name, f"{f.name} must be yes or no, got {value!r}")
    if t == "enum":
        text = str(value).strip().lower()
        for choice in f.choices:
            if text == choice.lower():
                return choice
        raise ValidationError(f.name, f"{f.name} must be one of: {', '.join(f.choices)}; got {value!r}")
    if t == "rag":
        text = str(value).strip().upper()
        words = {"RED": "R", "AMBER": "A", "GREEN": "G"}
        text = words.get(text, text)
        if text not in RAG_VALUES:
            raise ValidationError(f.name, f"{f.name} must be R, A or G; got {value!r}")
        return text
    if t == "proximity":
        text = str(value).strip()
        if text.lower() in PROXIMITY_WORDS:
            return text.lower()
        try:
            return parse_date(text, f.name)
        except ValidationError:
            raise ValidationError(
                f.name, f"{f.name} must be a date or one of: {', '.join(PROXIMITY_WORDS)}; got {value!r}"
            ) from None
    if t == "month":
        return parse_month(value, f.name)
    if t == "link":
        return parse_link(value, f)
    if t == "ref":
        if isinstance(value, int):
            return value
        return check_text(str(value).strip(), f)
    if t == "refs":
        if isinstance(value, (list, tuple)):
            items = [str(v).strip() for v in value]
        else:
            items = [part.strip() for part in str(value).split(",")]
        return [check_text(i, f) for i in items if i]
    raise AssertionError(f"unhandled field type {t}")
