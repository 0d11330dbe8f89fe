"""What a form shows for a value and how it reads back what a user typed, for the field types a
plain Input does badly: money (thousands separators and the programme's currency, "3.1m" accepted)
and the fixed-value pick-lists (RAG override, enums, stage). Textual-free, so it is unit-tested.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from pgmtui.records import ValidationError
from pgmtui.records.fields import RAG_VALUES, Field

RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}
CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥", "INR": "₹"}
# Multipliers a programme manager writes: 250k, 3.1m, 1.2bn.
MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000}
# Digits, grouped in threes by commas, or not grouped; an optional decimal part; a multiplier.
_MONEY = re.compile(
    r"(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)?(?P<dec>\.\d+)?\s*(?P<mult>k|mn|m|bn|b)?"
)


def pick_choices(f: Field) -> tuple[tuple[str, str], ...]:
    """(label, value) options of a field with a fixed set of values, () for a free one."""
    if f.type == "rag":
        return tuple((f"{v} {RAG_WORDS[v]}", v) for v in RAG_VALUES)
    if f.choices and f.type in ("enum", "text"):
        return tuple((c, c) for c in f.choices)
    return ()


def format_money(value: Any) -> str:
    """A stored amount as the form shows it: 3100000.0 → "3,100,000", 1250.5 → "1,250.50"."""
    if value is None or value == "":
        return ""
    amount = float(value)
    return f"{amount:,.0f}" if amount.is_integer() else f"{amount:,.2f}"


def currency_mark(currency: str | None) -> str:
    code = (currency or "").strip().upper()
    return CURRENCY_SYMBOLS.get(code, code)


def parse_money(f: Field, text: str, currency: str | None = None) -> str:
    """What a user typed in a money field as a plain number string the store takes.

    Accepts "3100000", "3,100,000", "3.1m", "250k", "1.2bn", with or without the programme's
    currency ("£3.1m", "3,100,000 GBP"). Anything else (commas not in threes, two multipliers,
    another currency) is refused with a message saying what was wrong."""
    raw = text.strip()
    if not raw:
        return ""
    work = raw.replace(" ", "").replace("_", "")
    code = (currency or "").strip().upper()
    for mark in (code, CURRENCY_SYMBOLS.get(code, "")):
        if mark and work.upper().startswith(mark.upper()):
            work = work[len(mark) :]
        elif mark and work.upper().endswith(mark.upper()):
            work = work[: -len(mark)]
        elif mark and work[:1] in "+-" and work[1:].upper().startswith(mark.upper()):
            work = work[0] + work[1 + len(mark) :]
    m = _MONEY.fullmatch(work.lower())
    if not m or not (m.group("int") or m.group("dec")):
        if re.search(r"[£€$¥₹]|[A-Z]{3}", work):
            shown = f" ({code})" if code else ""
            raise ValidationError(
                f.name, f"{f.name}: {raw!r} is not an amount in the programme's currency{shown}"
            )
        if "," in work:
            raise ValidationError(
                f.name, f"{f.name}: {raw!r} — group thousands in threes (3,100,000), or give no commas"
            )
        raise ValidationError(
            f.name, f"{f.name} must be an amount like 3100000, 3,100,000 or 3.1m; got {raw!r}"
        )
    number = (m.group("int") or "0").replace(",", "") + (m.group("dec") or "")
    try:
        amount = Decimal(number) * MULTIPLIERS[m.group("mult") or ""]
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise ValidationError(f.name, f"{f.name} must be an amount; got {raw!r}") from None
    if m.group("sign") == "-":
        amount = -amount
    return format(amount.normalize(), "f")


# ---------------------------------------------------------------------- groups and jump letters

GROUPS = ("Identity", "People", "Schedule", "Money", "Scores", "Status & RAG", "Notes")
# (A "person" reference, e.g. an allocation's, is what the record is about: Identity.)
PEOPLE_NAMES = frozenset({"owner", "manager", "sponsor", "raised_by", "decided_by", "by", "email"})
SCORE_NAMES = frozenset(
    {"probability", "impact", "residual_probability", "residual_impact", "power", "interest"}
)
STATUS_NAMES = frozenset({"status", "stage", "outcome", "response", "percent_complete", "attitude"})


def field_group(f: Field) -> str:
    """The group a field is shown under: the spec's own `group`, else one derived from its name and
    type, so every kind (new ones too) gets groups without listing them."""
    if getattr(f, "group", ""):
        return str(f.group)
    if f.name in PEOPLE_NAMES:
        return "People"
    if f.type == "money":
        return "Money"
    if f.name in SCORE_NAMES:
        return "Scores"
    if f.type == "rag" or f.name in STATUS_NAMES or f.name.startswith("rag_"):
        return "Status & RAG"
    if f.type in ("date", "month", "proximity") or f.name.endswith(("_days", "_date")):
        return "Schedule"
    if f.type == "longtext":
        return "Notes"
    return "Identity"


def grouped(fields: list[Field]) -> list[tuple[str, list[Field]]]:
    """Fields in their groups, groups in GROUPS order, each keeping the spec's field order."""
    out: dict[str, list[Field]] = {g: [] for g in GROUPS}
    for f in fields:
        out.setdefault(field_group(f), []).append(f)
    return [(g, fs) for g, fs in out.items() if fs]


def jump_letters(titles: list[str]) -> list[int | None]:
    """For each label, the index of its jump letter (alt+letter), unique across the form: the first
    letter of a word not yet taken, else any letter of the label; None when all are taken."""
    taken: set[str] = set()
    out: list[int | None] = []
    for title in titles:
        starts = [i for i, ch in enumerate(title) if ch.isalpha() and (i == 0 or not title[i - 1].isalpha())]
        others = [i for i, ch in enumerate(title) if ch.isalpha() and i not in starts]
        pick = next((i for i in starts + others if title[i].lower() not in taken), None)
        if pick is not None:
            taken.add(title[pick].lower())
        out.append(pick)
    return out


def best_field(typed: str, titles: list[str]) -> int | None:
    """The field a `ctrl+g` type-ahead means: a label starting with the text, else containing it."""
    text = typed.strip().lower()
    if not text:
        return None
    lowered = [t.lower() for t in titles]
    for test in (str.startswith, str.__contains__):
        hit = next((i for i, t in enumerate(lowered) if test(t, text)), None)
        if hit is not None:
            return hit
    return None
