"""Values as people write them in registers, read as pgmtui's: scores on any scale, status and
priority words, response strategies and dates. Pure functions: no store, no files.

Scores (probability and impact, 1–5). A column is judged as a whole, so that its scale is known
before any cell is converted, and every conversion is stated in a note:

- 1–5 as they are; ``4 - Likely`` is 4;
- words: very low/rare 1, low/unlikely/minor 2, medium/possible/moderate 3, high/likely/major 4,
  very high/almost certain/severe 5 (and H/M/L);
- 1–3 and 1–4 scales (a ``(1-3)`` in the header, or nothing above 3): the same points as the
  words, so 3 on a 1–3 scale is "high", 4: 1→2, 2→3, 3→4 (1–4: 1→2 … 4→5);
- 1–10: halves, rounded up (1–2 → 1, …, 9–10 → 5);
- percentages and fractions (20 %, 0.35): 0–10 % → 1, 11–30 % → 2, 31–50 % → 3, 51–70 % → 4,
  71–100 % → 5;
- money or days (£250,000, 10 days): only with thresholds (the upper bounds of 1, 2, 3 and 4,
  from ``--impact-bands``), else the column is refused, naming it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pgmtui.exchange.common import norm

# ---------------------------------------------------------------------------- blanks and errors

# Typed cells (scores, dates, statuses) holding one of these are empty, not wrong.
BLANK_WORDS = frozenset(
    {"", "n a", "na", "tbd", "tbc", "tba", "none", "not applicable", "unknown", "nil", "not known",
     "ongoing", "on going", "asap", "various", "continuous", "not set", "to be confirmed", "to be decided"}
)  # fmt: skip
EXCEL_ERRORS = frozenset(
    {"#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#FIELD!"}
)


def is_blank(value: Any) -> bool:
    """An empty cell, or a placeholder such as N/A, TBD, '-' in a typed column."""
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        return not text or text in ("-", "–", "—", "?", "--", "n/a", "N/A") or norm(text) in BLANK_WORDS
    return False


def excel_error(value: Any) -> str | None:
    """The error shown by a formula that failed in the sheet (#DIV/0!, #N/A …), else None."""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        return value.strip().upper()
    return None


# ---------------------------------------------------------------------------- scores

WORD_SCORES: dict[str, int] = {
    "very low": 1, "rare": 1, "remote": 1, "very unlikely": 1, "highly unlikely": 1, "negligible": 1,
    "insignificant": 1, "minimal": 1, "trivial": 1, "vl": 1,
    "low": 2, "unlikely": 2, "minor": 2, "l": 2, "medium low": 2, "low medium": 2, "improbable": 2,
    "medium": 3, "med": 3, "moderate": 3, "possible": 3, "m": 3, "average": 3,
    "high": 4, "likely": 4, "probable": 4, "major": 4, "significant": 4, "serious": 4, "h": 4,
    "medium high": 4, "high medium": 4,
    "very high": 5, "almost certain": 5, "certain": 5, "very likely": 5, "highly likely": 5,
    "severe": 5, "catastrophic": 5, "critical": 5, "extreme": 5, "vh": 5,
}  # fmt: skip
PERCENT_BANDS = ((10, 1), (30, 2), (50, 3), (70, 4), (100, 5))
PERCENT_TABLE = "0–10 % → 1, 11–30 % → 2, 31–50 % → 3, 51–70 % → 4, 71–100 % → 5"
SMALL_SCALES = {3: {1: 2, 2: 3, 3: 4}, 4: {1: 2, 2: 3, 3: 4, 4: 5}}

_LEADING_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(?:[-–:=.)(]\s*\D.*|\s+[A-Za-z].*)?")
_PERCENT = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*%")
_MONEY = re.compile(
    r"(?:(?P<cur>[£$€¥]|gbp|usd|eur|aud|cad)\s*)?(?P<num>\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?P<mult>k|m|bn|mn|mil|million|thousand|billion)?\s*(?P<cur2>[£$€]|gbp|usd|eur)?",
    re.IGNORECASE,
)
_DAYS = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>d|day|days|wk|wks|w|week|weeks|mo|mth|mths|month|months)",
    re.IGNORECASE,
)
_UNIT_DAYS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7}
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6}
_MULTIPLIERS |= {"bn": 1e9, "billion": 1e9}


@dataclass(frozen=True)
class HeaderHint:
    """What a header says about its values: `Likelihood (1-3)`, `Cost impact (£k)`, `Delay (days)`."""

    scale: int | None = None  # 3, 4, 5 or 10
    unit: str | None = None  # "percent", "money" or "days"
    multiplier: float = 1.0  # £k → 1000


def header_hint(header: str) -> HeaderHint:
    low = header.lower()
    scale = None
    m = re.search(r"\b1\s*(?:-|–|to|—)\s*(3|4|5|10)\b|(?:out of|/)\s*(3|4|5|10)\b", low)
    if m:
        scale = int(m.group(1) or m.group(2))
    unit = None
    multiplier = 1.0
    if "%" in low or re.search(r"\bper ?cent|\bpct\b", low):
        unit = "percent"
    elif re.search(r"[£$€]|\b(?:gbp|usd|eur|cost|money|financial|budget|value)\b", low):
        unit = "money"
        if re.search(r"[£$€]\s*k\b|\(k\)|\bk[£$€]|£000|\b000s?\b|thousands", low):
            multiplier = 1e3
        elif re.search(r"[£$€]\s*m\b|\(m\)|\bm[£$€]|millions", low):
            multiplier = 1e6
    elif re.search(r"\b(?:days?|weeks?|delay|schedule|slippage|time)\b", low):
        unit = "days"
    return HeaderHint(scale, unit, multiplier)


@dataclass
class _Reading:
    kind: str  # word, number, percent, money, days
    value: float


def read_score_cell(value: Any) -> _Reading | None:
    """One cell as what it looks like; None when it looks like nothing we know."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _Reading("number", float(value)) if math.isfinite(value) else None
    text = str(value).strip()
    low = norm(text)
    if low in WORD_SCORES:
        return _Reading("word", WORD_SCORES[low])
    m = _PERCENT.fullmatch(text)
    if m:
        return _Reading("percent", float(m.group(1)))
    m = _DAYS.fullmatch(text)
    if m:
        unit = m.group("unit").lower()
        days = _UNIT_DAYS.get(unit, 30)  # months: 30 days
        return _Reading("days", float(m.group("num")) * days)
    m = _MONEY.fullmatch(text)
    if m and (m.group("cur") or m.group("cur2") or m.group("mult") or "," in m.group("num")):
        amount = float(re.sub(r"[, ]", "", m.group("num")))
        mult = (m.group("mult") or "").lower()
        return _Reading("money", amount * _MULTIPLIERS.get(mult, 1.0))
    m = _LEADING_NUMBER.fullmatch(text)
    if m:
        return _Reading("number", float(m.group(1)))
    # A word scale with a number in front or behind ("High (4)", "Likely - 4") keeps the word.
    for word in sorted(WORD_SCORES, key=len, reverse=True):
        if len(word) > 2 and re.match(rf"{re.escape(word)}\b", low):
            return _Reading("word", WORD_SCORES[word])
    return None


class ScaleError(ValueError):
    """The column cannot be read as a score (the message names why; the caller names the column)."""


@dataclass
class Scale:
    """How one column's cells become 1–5, decided from the whole column (see the module docstring)."""

    kind: str  # "1-5", "1-3", "1-4", "1-10", "percent", "money", "days" (words always allowed)
    bands: tuple[float, ...] = ()
    multiplier: float = 1.0
    words: dict[str, int] = field(default_factory=dict)  # word seen → score, for the note
    fractions: bool = False

    def convert(self, value: Any) -> int:
        """The cell as 1–5; ValueError with a message for a user when it is not a score."""
        reading = read_score_cell(value)
        shown = _shown(value)
        if reading is None:
            raise ValueError(f"{shown!r} is not a score")
        if reading.kind == "word":
            self.words.setdefault(str(value).strip(), int(reading.value))
            return int(reading.value)
        v = reading.value
        if self.kind in ("money", "days"):
            if reading.kind == "number":
                v *= self.multiplier
            elif reading.kind == "percent":
                raise ValueError(f"{shown!r} is a percentage in a column of {self.kind}")
            return _banded(v, self.bands)
        if self.kind == "percent" or reading.kind == "percent":
            if reading.kind == "number" and (self.fractions or 0 < v < 1):
                v *= 100
            if not 0 <= v <= 100:
                raise ValueError(f"{shown!r} is not a percentage between 0 and 100")
            return next(score for bound, score in PERCENT_BANDS if v <= bound)
        if reading.kind in ("money", "days"):
            raise ValueError(f"{shown!r} is an amount, not a score (give --impact-bands)")
        if v != int(v):
            raise ValueError(f"{shown!r} is not a whole score")
        n = int(v)
        top = {"1-3": 3, "1-4": 4, "1-5": 5, "1-10": 10}[self.kind]
        if n < 1:
            raise ValueError(f"must be at least 1, got {shown}")
        if n > top:
            hint = " (a column scored 1–10 says so in its header: 'Likelihood (1-10)')" if top == 5 else ""
            raise ValueError(f"must be at most {top}, got {shown}{hint}")
        if self.kind == "1-10":
            return (n + 1) // 2
        if self.kind in ("1-3", "1-4"):
            return SMALL_SCALES[top][n]
        return n

    def statement(self) -> str:
        """The mapping in words, for the note (empty when cells were taken as they are)."""
        parts = []
        if self.kind in ("1-3", "1-4"):
            top = int(self.kind[2:])
            parts.append(
                f"scale {self.kind} read as " + ", ".join(f"{k}→{v}" for k, v in SMALL_SCALES[top].items())
            )
        elif self.kind == "1-10":
            parts.append("scale 1–10 halved, rounded up (1–2→1, 3–4→2, 5–6→3, 7–8→4, 9–10→5)")
        elif self.kind == "percent":
            parts.append(("fractions read as percentages; " if self.fractions else "") + PERCENT_TABLE)
        elif self.kind in ("money", "days"):
            unit = "£" if self.kind == "money" else ""
            days = " days" if self.kind == "days" else ""
            b = [f"{unit}{_amount(x)}{days}" for x in self.bands]
            mult = f"values × {_amount(self.multiplier)}; " if self.multiplier != 1 else ""
            parts.append(
                f"{mult}{self.kind} banded: up to {b[0]} → 1, {b[1]} → 2, {b[2]} → 3, {b[3]} → 4, above → 5"
            )
        if self.words:
            parts.append(
                "words " + ", ".join(f"{w}→{s}" for w, s in sorted(self.words.items(), key=lambda x: x[1]))
            )
        return "; ".join(parts)


def _banded(v: float, bands: tuple[float, ...]) -> int:
    for score, bound in enumerate(bands, start=1):
        if v <= bound:
            return score
    return 5


def _amount(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.2f}"


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_bands(text: str) -> tuple[float, float, float, float]:
    """`10000,50000,250000,1000000` (also `10k,50k,250k,1m`): four increasing upper bounds."""
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    values = []
    for p in parts:
        m = re.fullmatch(r"[£$€]?\s*(\d+(?:\.\d+)?)\s*(k|m|bn)?\s*(?:days?|d)?", p, re.IGNORECASE)
        if not m:
            raise ValueError(f"--impact-bands: {p!r} is not a number")
        values.append(float(m.group(1)) * _MULTIPLIERS.get((m.group(2) or "").lower(), 1.0))
    if len(values) != 4 or any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ValueError(
            "--impact-bands needs four increasing upper bounds (of scores 1, 2, 3 and 4), "
            f"e.g. 10000,50000,250000,1000000; got {text!r}"
        )
    return values[0], values[1], values[2], values[3]


def score_scale(
    values: list[Any],
    hint: HeaderHint,
    *,
    bands: dict[str, tuple[float, ...]] | None = None,
    quantities: bool = False,
) -> Scale:
    """Decide the scale of a column from its non-blank cells. `quantities`: the column may hold
    money or days (impact); `bands`: thresholds by unit ("money", "days" or "any").
    Raises ScaleError when the column holds amounts and no thresholds were given."""
    readings = [r for r in (read_score_cell(v) for v in values) if r is not None]
    kinds = {r.kind for r in readings}
    numbers = [r.value for r in readings if r.kind == "number"]
    bands = bands or {}
    unit = hint.unit
    if "money" in kinds or (unit == "money" and numbers and max(numbers) > 10):
        unit = "money"
    elif "days" in kinds or (unit == "days" and numbers and max(numbers) > 10):
        unit = "days"
    elif "percent" in kinds or unit == "percent":
        fractions = bool(numbers) and max(numbers) <= 1 and unit != "percent"
        return Scale("percent", fractions=fractions)
    elif unit in ("money", "days"):
        unit = None  # a money header over plain 1–5 scores: scores
    if unit in ("money", "days"):
        chosen = bands.get(unit) or bands.get("any")
        if not chosen:
            example = "10000,50000,250000,1000000" if unit == "money" else "5,10,20,40"
            raise ScaleError(
                f"holds {'amounts of money' if unit == 'money' else 'numbers of days'}, not scores; "
                f"give thresholds with --impact-bands {example} (upper bounds of 1–4)"
            )
        return Scale(unit, bands=tuple(chosen), multiplier=hint.multiplier)
    if numbers and all(0 <= n <= 1 for n in numbers) and any(0 < n < 1 for n in numbers):
        return Scale("percent", fractions=True)
    top = max(numbers) if numbers else 0
    if hint.scale in (3, 4, 10):
        return Scale(f"1-{hint.scale}")
    above = [n for n in numbers if n > 5]
    if top <= 5 or len(above) < max(2, len(numbers) // 10):
        return Scale("1-5")  # one 7 among 1–5 scores is a slip of the keyboard, reported at its cell
    if top <= 10:
        return Scale("1-10")
    if quantities:
        raise ScaleError(
            f"holds values up to {_amount(top)}, not scores; if they are money or days, "
            "give thresholds with --impact-bands (upper bounds of 1–4)"
        )
    if top <= 100:
        return Scale("percent")
    raise ScaleError(f"holds values up to {_amount(top)}, not scores 1–5")


# ---------------------------------------------------------------------------- words for states

# Each kind's statuses, and the words read as each (compared after `norm`). A word not listed is
# looked up by its first word and by the text before " - " ("Active - Mitigation Required").
STATUS_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "risk": {
        "open": (
            "open", "active", "live", "new", "ongoing", "identified", "in progress", "under discussion",
            "overdue", "monitoring", "monitor", "escalated", "raised", "pending", "proposed", "current",
            "accepted", "tolerated", "under review", "review", "being managed", "managed", "treating",
            "mitigating", "in treatment", "watch", "watching", "assessed", "draft", "reopened", "on hold",
            "not started", "wip", "amber", "red", "green",
        ),
        "closed": (
            "closed", "close", "resolved", "retired", "expired", "done", "complete", "completed",
            "mitigated", "occurred", "realised", "realized", "materialised", "materialized", "cancelled",
            "canceled", "withdrawn", "obsolete", "archived", "no longer relevant", "not applicable",
            "terminated", "transferred", "eliminated", "avoided", "passed", "lapsed", "turned into issue",
            "converted to issue", "inactive", "superseded", "duplicate",
        ),
    },
    "issue": {
        "open": ("open", "new", "raised", "logged", "identified", "active", "escalated", "overdue", "reopened",
                 "pending", "not started", "on hold", "awaiting", "red", "amber", "green"),
        "in progress": ("in progress", "progress", "ongoing", "being worked", "working", "under investigation",
                        "investigating", "wip", "in hand", "assigned", "under review", "being resolved",
                        "being managed", "managing", "monitoring", "started"),
        "closed": ("closed", "resolved", "done", "complete", "completed", "fixed", "cancelled", "canceled",
                   "withdrawn", "obsolete", "duplicate", "rejected", "archived"),
    },
    "assumption": {
        "open": ("open", "new", "active", "unvalidated", "not validated", "to be validated", "pending",
                 "under review", "in progress", "unconfirmed", "to be confirmed", "assumed", "current"),
        "validated": ("validated", "confirmed", "true", "verified", "valid", "proven", "agreed", "accepted",
                      "holds"),
        "invalid": ("invalid", "false", "disproved", "not valid", "incorrect", "wrong", "failed", "broken",
                    "rejected", "did not hold"),
        "closed": ("closed", "done", "complete", "completed", "retired", "obsolete", "withdrawn", "archived",
                   "cancelled", "canceled", "no longer relevant"),
    },
    "decision": {
        "needed": ("needed", "open", "pending", "required", "proposed", "under discussion", "awaiting",
                   "awaiting decision", "in progress", "new", "raised", "draft", "for decision",
                   "to be decided", "outstanding", "under review", "overdue"),
        "made": ("made", "approved", "agreed", "decided", "closed", "done", "accepted", "signed off",
                 "complete", "completed", "implemented", "actioned", "taken", "final", "ratified"),
        "deferred": ("deferred", "on hold", "postponed", "parked", "delayed", "paused"),
        "rejected": ("rejected", "declined", "not approved", "refused", "withdrawn", "cancelled", "canceled",
                     "superseded"),
    },
    "action": {
        "open": ("open", "new", "in progress", "ongoing", "active", "not started", "pending", "overdue",
                 "started", "on hold", "wip", "assigned", "red", "amber", "green"),
        "done": ("done", "closed", "complete", "completed", "finished", "resolved", "actioned"),
        "cancelled": ("cancelled", "canceled", "withdrawn", "obsolete", "rejected", "no longer required",
                      "superseded", "duplicate", "not required"),
    },
}  # fmt: skip
DEFAULT_STATUS = {
    "risk": "open",
    "issue": "open",
    "assumption": "open",
    "decision": "needed",
    "action": "open",
}


def status_of(kind: str, value: Any) -> tuple[str, bool]:
    """(pgmtui status, known?) for a status word of `kind`; an unknown word is the kind's open
    status (the caller notes it)."""
    table = STATUS_WORDS[kind]
    text = norm(str(value))
    for candidate in _candidates(str(value)):
        for status, words in table.items():
            if candidate in words or candidate == norm(status):
                return status, True
    # Any known word inside ("Closed (mitigated)", "Risk closed"): closed-like words first.
    for status in reversed(list(table)):
        for word in table[status]:
            if len(word) > 3 and re.search(rf"\b{re.escape(word)}\b", text):
                return status, True
    return DEFAULT_STATUS[kind], False


def _candidates(text: str) -> list[str]:
    whole = norm(text)
    out = [whole]
    head = re.split(r"\s+[-–—:/(]|[-–—:/(]\s*", text.strip(), maxsplit=1)[0]
    if norm(head) and norm(head) != whole:
        out.append(norm(head))
    first = whole.split(" ")[0] if whole else ""
    if first and first not in out:
        out.append(first)
    return out


PRIORITY_WORDS: dict[str, tuple[str, ...]] = {
    "low": ("low", "l", "minor", "trivial", "very low", "negligible"),
    "medium": ("medium", "med", "m", "moderate", "normal", "average"),
    "high": ("high", "h", "major", "important", "significant", "urgent"),
    "critical": ("critical", "very high", "vh", "severe", "blocker", "showstopper", "show stopper",
                 "top", "extreme", "catastrophic"),
}  # fmt: skip
# Priority numbers: 1 is the most urgent in every register we have seen.
PRIORITY_NUMBERS = {
    3: {1: "high", 2: "medium", 3: "low"},
    4: {1: "critical", 2: "high", 3: "medium", 4: "low"},
    5: {1: "critical", 2: "high", 3: "medium", 4: "low", 5: "low"},
}


def priority_of(value: Any, top: int) -> str | None:
    """A priority word or number (1 = most urgent, on a scale up to `top`); None if unknown."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        n = value
    else:
        text = norm(str(value))
        for priority, words in PRIORITY_WORDS.items():
            if text in words:
                return priority
        m = re.fullmatch(r"p?\s*(\d+)(?:\s+.*)?", text)
        if not m:
            score = read_score_cell(value)
            if score is not None and score.kind == "word":
                return {1: "low", 2: "low", 3: "medium", 4: "high", 5: "critical"}[int(score.value)]
            return None
        n = int(m.group(1))
    if n != int(n):
        return None
    return PRIORITY_NUMBERS[max(3, min(top, 5))].get(int(n))


RESPONSE_WORDS: dict[str, tuple[str, ...]] = {
    "avoid": ("avoid", "terminate", "eliminate", "prevent"),
    "reduce": ("reduce", "mitigate", "treat", "mitigation", "control", "minimise", "minimize", "lessen"),
    "fallback": ("fallback", "fall back", "contingency", "contingent"),
    "transfer": ("transfer", "insure", "insurance", "outsource"),
    "share": ("share", "shared"),
    "accept": ("accept", "tolerate", "retain", "acceptance", "take", "watch", "monitor", "no action"),
    "exploit": ("exploit",),
    "enhance": ("enhance",),
    "reject": ("reject",),
}


def response_of(value: Any) -> str | None:
    text = norm(str(value))
    for response, words in RESPONSE_WORDS.items():
        if text in words:
            return response
    first = text.split(" ")[0] if text else ""
    for response, words in RESPONSE_WORDS.items():
        if first in words and len(text.split()) <= 3:
            return response
    return None


# ---------------------------------------------------------------------------- record types

TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "risk": ("r", "risk", "risks", "threat", "opportunity"),
    "issue": ("i", "issue", "issues", "problem"),
    "assumption": ("a", "assumption", "assumptions", "ass", "assum"),
    "decision": ("d", "decision", "decisions", "dec"),
    "action": ("act", "action", "actions", "ac", "task", "todo", "to do"),
    "dependency": ("dep", "dependency", "dependencies", "depend"),
}


def kind_of_type(value: Any) -> str | None:
    """The kind a RAID log's Type cell names (R/A/I/D/Act, Risk, Dependency …); None if none."""
    text = norm(str(value))
    for kind, words in TYPE_WORDS.items():
        if text in words:
            return kind
    return kind_of_name(text)  # "Action item", "Assumption / constraint", "Key decision"


def kind_of_name(name: str) -> str | None:
    """The kind a sheet or file is named for ('Risk Register', 'Issues log', 'RAID - Actions')."""
    text = norm(name)
    found = [
        kind
        for kind, stems in (
            ("risk", ("risk",)),
            ("issue", ("issue",)),
            ("assumption", ("assumption",)),
            ("decision", ("decision",)),
            ("action", ("action",)),
            ("dependency", ("dependenc", "dependency")),
        )
        if any(re.search(rf"\b{stem}", text) for stem in stems)
    ]
    return found[0] if len(found) == 1 else None


# ---------------------------------------------------------------------------- dates

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}  # fmt: skip
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s/.-]+([a-z]+)\.?,?[\s/.-]+(\d{2}|\d{4})", re.I)
_MONTH_NAME_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)
_MONTH_YEAR = re.compile(r"([a-z]+)\.?[\s/.-]+(\d{4}|\d{2})", re.I)
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 32874, 73415  # 1990-01-01 … 2100-12-31 in the 1900 system


def date_order(texts: list[str]) -> str:
    """'dmy' or 'mdy' for a column of numeric dates such as 03/04/2026: a first part above 12 says
    day first, a second part above 12 says month first; undecided columns are day first."""
    day_first = month_first = False
    for text in texts:
        m = _NUMERIC.fullmatch(text.strip())
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            day_first |= a > 12
            month_first |= b > 12
    return "mdy" if month_first and not day_first else "dmy"


def ambiguous_numeric_dates(texts: list[str]) -> bool:
    """Were all the numeric dates of a column readable either way (both parts 12 or less)?"""
    seen = False
    for text in texts:
        m = _NUMERIC.fullmatch(text.strip())
        if m:
            seen = True
            if int(m.group(1)) > 12 or int(m.group(2)) > 12:
                return False
    return seen


def parse_date_cell(value: Any, order: str = "dmy", epoch: datetime | None = None) -> str:
    """A date cell as YYYY-MM-DD. Takes dates, Excel serial numbers (with the workbook's epoch) and
    text (2026-03-12, 12/03/2026 in `order`, 12-Mar-2026, 12 March 2026, March 12, 2026).
    Raises ValueError('… is not a date') otherwise."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_date(value, epoch)
    text = str(value).strip()
    shown = text
    m = _ISO.fullmatch(text)
    if m:
        return _real_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), shown)
    m = _NUMERIC.fullmatch(text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        day, month = (a, b) if order == "dmy" else (b, a)
        return _real_date(y, month, day, shown)
    m = _DAY_MONTH_NAME.fullmatch(text)
    if m and m.group(2).lower() in _MONTHS:
        return _real_date(_year(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)), shown)
    m = _MONTH_NAME_DAY.fullmatch(text)
    if m and m.group(1).lower() in _MONTHS:
        return _real_date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)), shown)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _serial_date(float(text), epoch)
    m = _MONTH_YEAR.fullmatch(text)
    if m and m.group(1).lower() in _MONTHS:
        return _real_date(_year(m.group(2)), _MONTHS[m.group(1).lower()], 1, shown)
    raise ValueError(f"{shown} is not a date")


def is_month_only(value: Any) -> bool:
    """'Mar-26', 'March 2026': a month, read as its first day (the caller says so)."""
    m = _MONTH_YEAR.fullmatch(str(value).strip())
    return bool(m and m.group(1).lower() in _MONTHS)


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y  # '26 is 2026: registers are about the present


def _real_date(y: int, m: int, d: int, shown: str) -> str:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        raise ValueError(f"{shown} is not a date") from None


def _serial_date(value: float, epoch: datetime | None) -> str:
    """An Excel serial day number (1900 system unless the workbook says 1904)."""
    if value != int(value) and value - int(value) > 0.9999:
        value = round(value)
    base = epoch or datetime(1899, 12, 30)
    if base.year == 1899 and not EXCEL_SERIAL_MIN <= value <= EXCEL_SERIAL_MAX:
        raise ValueError(f"{_shown(value)} is not a date (a number outside the years 1990–2100)")
    from datetime import timedelta

    return (base + timedelta(days=int(value))).date().isoformat()
