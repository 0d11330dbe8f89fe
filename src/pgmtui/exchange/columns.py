"""Which column of a register holds what: headers as people write them matched to fields.

A header is compared after `norm` (lower case, punctuation as spaces) and with its scale or unit
taken off ("Likelihood (1-5)", "Cost impact (£k)", "Probability %"). It matches a field by one of
the synonyms below, by a short form (L, I, S, P), or as a qualified score ("Residual likelihood",
"Post-mitigation impact", "Target L" → the residual fields; "Inherent", "Initial", "Current",
"Gross" → the inherent ones). A second column with the same score header ("Likelihood" twice:
initial and residual) is read as the residual one, never silently dropped; a group title above the
header row ("Inherent risk" over L / I / Score, "Residual risk" over the next three) qualifies the
headers below it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from pgmtui.exchange.common import norm
from pgmtui.exchange.scales import HeaderHint, header_hint

# Register fields (not all are pgmtui fields: id, type, score and level are read to route rows,
# keep references and cross-check; extra text is kept in a long-text field).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "id", "ref", "reference", "ref no", "ref number", "reference number", "no", "number", "num", "item no",
        "item id", "item number", "risk id", "risk ref", "risk no", "risk number", "risk reference",
        "issue id", "issue ref", "issue no", "issue number", "assumption id", "assumption ref",
        "decision id", "decision ref", "decision no", "action id", "action ref", "action no",
        "dependency id", "dep id", "raid id", "raid ref", "log id", "log no", "unique id", "uid", "key",
        "identifier", "risk code", "issue code", "code", "serial", "serial no", "s no", "sr no",
    ),
    "type": ("type", "raid type", "item type", "log type", "record type", "entry type", "raid", "raid category",
             "r a i d", "category type", "raid item", "raid item type"),
    "title": (
        "title", "name", "summary", "short description", "subject", "headline", "heading", "item",
        "topic", "raid item title", "item title", "item description",
    ),
    "description": (
        "description", "details", "detail", "desc", "narrative", "statement", "full description",
        "issue description", "description of issue", "assumption description", "decision description",
        "decision details", "action description", "dependency description", "description of risk",
        "risk description", "risk statement", "risk event", "event", "what is the risk", "risk detail",
        "risk details", "description of the risk", "issue details",
    ),
    "owner": (
        "owner", "risk owner", "issue owner", "action owner", "assumption owner", "decision owner",
        "dependency owner", "assigned to", "assignee", "responsible", "responsible person", "owned by",
        "accountable", "owner name", "who", "lead", "action by", "actionee", "by whom", "responsibility",
        "assigned", "person responsible", "manager", "risk manager", "decision maker", "decided by",
    ),
    "project": ("project", "project code", "project id", "project name", "workstream", "work stream",
                "programme project", "project workstream", "project ref"),
    "status": ("status", "state", "risk status", "issue status", "action status", "decision status",
               "assumption status", "open closed", "open or closed", "current status", "progress status"),
    "priority": ("priority", "urgency", "priority rating", "importance", "priority level", "issue priority"),
    "raised_date": (
        "date raised", "raised", "raised date", "date identified", "identified date", "date logged",
        "logged date", "logged", "date opened", "opened", "date added", "created", "date created",
        "created date", "date entered", "entry date", "date", "identified on", "date recorded", "open date",
        "date open", "raised on", "logged on",
    ),
    "due_date": (
        "due date", "due", "date due", "target date", "deadline", "target resolution date", "resolution date",
        "by when", "required by", "need by date", "needed by", "date required", "decision required by",
        "target completion date", "target completion", "completion date", "due by", "target close date",
        "target closure date", "expected resolution date", "resolve by", "action due date", "due on",
        "validate by", "validation date", "date to validate", "validate by date", "need by", "required date",
        "decision due", "decision due date",
    ),
    "decided_date": ("decided date", "date decided", "decision date", "date of decision", "date agreed",
                     "approved date", "date approved", "agreed date", "date made"),
    "done_date": ("date completed", "completed date", "date closed", "closed date", "closure date",
                  "date done", "actual completion date", "completed on", "closed on", "date resolved"),
    "probability": (
        "probability", "likelihood", "prob", "p", "l", "chance", "probability of occurrence",
        "likelihood of occurrence", "likelihood rating", "probability rating", "probability score",
        "likelihood score", "frequency", "likelihood level", "probability level", "occurrence",
    ),
    "impact": (
        "impact", "severity", "i", "s", "c", "consequence", "impact rating", "impact score", "severity rating",
        "severity score", "magnitude", "seriousness", "consequence rating", "consequence score",
        "impact level", "severity level", "consequence level", "cost impact", "schedule impact",
        "financial impact", "impact cost", "impact days", "time impact", "delay",
    ),
    "score": ("score", "risk score", "rating score", "p x i", "pxi", "p i", "l x i", "lxi", "l i", "l x c",
              "exposure", "risk exposure", "overall score", "total score", "risk rating score",
              "probability x impact", "likelihood x impact", "likelihood x consequence", "rating",
              "risk rating", "risk value", "risk index", "prioritisation score"),
    "level": ("level", "risk level", "rag", "rag status", "risk rag", "band", "risk band",
              "severity band", "risk category level", "overall rating", "exposure level"),
    "category": ("category", "risk category", "risk type", "risk area", "area", "theme", "classification",
                 "risk classification", "issue type", "issue category", "decision category", "class"),
    "kind": ("kind", "threat opportunity", "threat or opportunity", "risk or opportunity", "t o", "nature",
             "threat opp", "opportunity threat"),
    "cause": ("cause", "causes", "root cause", "source of risk", "risk cause", "cause of risk", "source",
              "driver", "trigger"),
    "effect": ("effect", "effects", "consequences", "impact description", "impact detail", "impact details",
               "description of impact", "potential impact", "consequence description", "effect on project"),
    "response": ("response", "strategy", "response strategy", "treatment", "risk response", "response type",
                 "treatment strategy", "approach", "response category", "risk treatment", "treatment option",
                 "response option", "risk strategy"),
    "actions": (
        "actions", "action", "mitigation", "mitigations", "mitigation actions", "mitigating actions", "action plan",
        "response actions", "treatment plan", "mitigation action", "mitigation strategy", "mitigation plan",
        "mitigation treatment plan", "treatment actions", "controls", "risk response actions",
        "action to be taken", "actions to be taken", "mitigation measures", "planned actions", "response plan",
        "mitigation strategies", "mitigating action", "mitigation steps", "risk mitigation", "countermeasures",
        "counter measures", "preventive actions", "proposed mitigation", "mitigation response",
        "mitigation and contingency", "response description", "risk response plan", "management actions",
        "mitigation description",
    ),
    "review_date": ("review date", "next review", "next review date", "review by", "review", "date of next review",
                    "review on"),
    "proximity": ("proximity", "timeframe", "time frame", "when", "expected date", "impact date", "risk date",
                  "proximity date", "date of impact"),
    "supplier": ("supplier", "from", "predecessor", "depends on", "dependent on", "provider", "supplier milestone",
                 "from milestone", "giver", "upstream"),
    "consumer": ("consumer", "to", "successor", "dependent", "receiver", "consumer milestone", "to milestone",
                 "downstream", "needed for"),
    "dep_type": ("dependency type", "link type", "relationship", "relationship type", "dep type"),
    "lag": ("lag", "lag days", "lead lag", "lag lead"),
    "extra": (
        "comments", "comment", "notes", "note", "update", "latest update", "progress", "progress update",
        "commentary", "remarks", "resolution", "resolution notes", "action taken", "actions taken",
        "next steps", "contingency", "contingency plan", "fallback plan", "early warning", "early warning signs",
        "warning signs", "rationale", "options", "outcome", "justification", "decision rationale",
        "resolution plan", "proposed resolution", "status update", "current update", "latest position",
        "workaround", "validation", "how validated", "validation method", "impact if untrue", "impact if false",
        "escalation", "escalated to", "issue resolution", "fallback", "additional information", "raised by",
        "identified by", "logged by", "reported by",
    ),
}  # fmt: skip

# Title headers that name the kind itself: "Risk" is a risk's title on a risk sheet, while "Action"
# on a risk sheet is what is being done about it.
TITLE_WORDS: dict[str, tuple[str, ...]] = {
    "risk": ("risk", "risk title", "risk name", "risk summary", "risk item", "threat", "risk headline",
             "risk short description", "risk or opportunity title"),
    "issue": ("issue", "issue title", "issue name", "issue summary", "issue headline", "problem"),
    "assumption": ("assumption", "assumption title", "assumption name", "assumption summary"),
    "decision": ("decision", "decision title", "decision required", "decision name", "decision summary",
                 "decision needed"),
    "action": ("action", "action title", "action item", "task", "action name", "action summary",
               "action required", "action description", "to do"),
    "dependency": ("dependency", "dependency title", "dependency name", "dependency summary"),
}  # fmt: skip

# The fields each kind of record reads; `extra` text goes into the kind's long-text field.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "risk": ("id", "type", "title", "description", "owner", "project", "status", "probability", "impact",
             "residual_probability", "residual_impact", "score", "residual_score", "level", "category", "kind",
             "cause", "effect", "response", "actions", "review_date", "proximity", "extra"),
    "issue": ("id", "type", "title", "description", "owner", "project", "status", "priority", "raised_date",
              "due_date", "extra", "impact", "actions", "category"),
    "assumption": ("id", "type", "title", "description", "owner", "project", "status", "priority",
                   "raised_date", "due_date", "extra", "impact", "actions", "category"),
    "decision": ("id", "type", "title", "description", "owner", "project", "status", "priority", "raised_date",
                 "due_date", "decided_date", "extra", "impact", "actions", "category"),
    "action": ("id", "type", "title", "description", "owner", "project", "status", "due_date", "done_date",
               "raised_date", "extra", "priority", "actions"),
    "dependency": ("id", "type", "title", "description", "owner", "project", "status", "supplier", "consumer",
                   "dep_type", "lag", "due_date", "raised_date", "extra", "priority", "impact", "actions"),
}  # fmt: skip
# Every field, for a sheet whose rows are routed by a Type column.
ALL_FIELDS = tuple(dict.fromkeys(f for fields in KIND_FIELDS.values() for f in fields))
SCORE_FIELDS = {"probability": "residual_probability", "impact": "residual_impact", "score": "residual_score"}
REQUIRED = {"risk": ("title", "probability", "impact")}

_RESIDUAL = ("residual", "post mitigation", "post mitigated", "post response", "post treatment", "post",
             "target", "after", "net", "revised", "mitigated", "remaining", "treated", "managed", "controlled",
             "after mitigation", "after treatment", "future", "projected")  # fmt: skip
_INHERENT = ("inherent", "initial", "gross", "pre mitigation", "pre response", "pre treatment", "pre",
             "current", "original", "raw", "before", "unmitigated", "untreated", "before mitigation",
             "uncontrolled", "risk")  # fmt: skip
_QUALIFIER = re.compile(
    r"^(?P<q>"
    + "|".join(sorted(map(re.escape, _RESIDUAL + _INHERENT), key=len, reverse=True))
    + r")\s+(?P<rest>.+)$"
    r"|^(?P<rest2>.+?)\s+(?P<q2>"
    + "|".join(sorted(map(re.escape, _RESIDUAL + _INHERENT), key=len, reverse=True))
    + r")$"
)
# Scale and unit decorations taken off before matching: "(1-5)", "[days]", "%", "(£k)", "1 to 5".
_DECORATION = re.compile(
    r"\((?:[^)]*)\)|\[(?:[^\]]*)\]|%|[£$€]|\b1\s*(?:-|–|to)\s*(?:3|4|5|10)\b|\bout of (?:3|4|5|10)\b|/\s*(?:5|10)\b"
)


def clean_header(header: Any) -> str:
    """A header as matched: decorations off, then `norm`."""
    text = str(header or "")
    text = re.sub(r"(?<=\w)\s*\*\s*(?=\w)", " x ", text)  # P*I; a trailing "*" marks a required column
    text = text.replace("&", " and ").replace("×", " x ")
    return norm(_DECORATION.sub(" ", text))


# Words that add nothing to a header ("Owner of the risk", "Likelihood of occurrence").
_FILLER = {"the", "of", "a", "an", "if", "any", "for", "to", "this", "risk", "issue", "item", "please"}
# A header starting with one of these is that score ("Impact on cost", "Likelihood rating 1-5").
_SCORE_STARTS = {"probability": "probability", "likelihood": "probability", "impact": "impact",
                 "severity": "impact", "consequence": "impact"}  # fmt: skip


def _fallback(written: str, allowed: tuple[str, ...], kind: str | None) -> str | None:
    """When no synonym matches: each part of 'Owner / Manager', the header without filler words,
    or a header that starts with a score's name."""
    text = clean_header(written)
    parts = [clean_header(p) for p in re.split(r"/|\s+(?:or|and)\s+", written, flags=re.IGNORECASE)]
    for part in parts if len(parts) > 1 else []:
        name, _ = _match(part, allowed, kind) if part else (None, "")
        if name:
            return name
    words = [w for w in text.split() if w not in _FILLER]
    if words and " ".join(words) != text:
        name, _ = _match(" ".join(words), allowed, kind)
        if name:
            return name
    first = text.split()[0] if text else ""
    name = _SCORE_STARTS.get(first)
    return name if name in allowed and text not in SYNONYMS["effect"] else None


@dataclass
class Column:
    index: int
    header: str  # as written
    field: str | None  # None: not read
    hint: HeaderHint = HeaderHint()
    note: str = ""  # how it was read, when that is worth saying


@dataclass
class Mapping:
    columns: list[Column]
    notes: list[str] = field(default_factory=list)

    def of(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name), None)

    def fields(self) -> set[str]:
        return {c.field for c in self.columns if c.field}


def _titles(kind: str | None) -> tuple[str, ...]:
    if kind:
        return SYNONYMS["title"] + TITLE_WORDS[kind]
    return SYNONYMS["title"] + tuple(w for k, words in TITLE_WORDS.items() if k != "action" for w in words)


def _match(text: str, allowed: tuple[str, ...], kind: str | None = None) -> tuple[str | None, str]:
    """(field, qualifier) for one cleaned header; qualifier is 'residual', 'inherent' or ''."""
    if text in _titles(kind):
        return "title", ""
    for name in allowed:
        if name in SYNONYMS and text in SYNONYMS[name]:
            return name, ""
    m = _QUALIFIER.match(text)
    if m:
        q = m.group("q") or m.group("q2")
        rest = m.group("rest") or m.group("rest2")
        residual = q in _RESIDUAL
        for base, residual_name in SCORE_FIELDS.items():
            if rest in SYNONYMS[base] or rest in ("risk " + s for s in SYNONYMS[base]):
                name = residual_name if residual else base
                if name in allowed:
                    return name, "residual" if residual else "inherent"
        if q in ("current", "risk", "initial", "original"):
            if rest in _titles(kind):
                return "title", ""
            for name in allowed:
                if name in SYNONYMS and rest in SYNONYMS[name]:
                    return name, ""
    return None, ""


def map_columns(header: list[Any], kind: str | None, group_row: list[Any] | None = None) -> Mapping:
    """Match a header row to the fields of `kind` (None: every kind, for Type-routed sheets)."""
    allowed = KIND_FIELDS[kind] if kind else ALL_FIELDS
    groups = _group_labels(group_row, len(header)) if group_row else [""] * len(header)
    columns: list[Column] = []
    taken: dict[str, Column] = {}
    notes: list[str] = []
    for index, raw in enumerate(header):
        written = " ".join(str(raw).split()) if raw is not None else ""
        if not written:
            columns.append(Column(index, "", None))
            continue
        text = clean_header(written)
        hint = header_hint(written)
        name, _ = _match(text, allowed, kind)
        if name is None:
            name = _fallback(written, allowed, kind)
        if groups[index] and (name in SCORE_FIELDS or name is None):
            grouped, _ = _match(f"{groups[index]} {text}", allowed, kind)
            name = grouped or name
        if text == "s" and name == "impact" and "impact" in taken:
            name = "score"  # L, I, S: S is the score (L × I); without an I column it is severity
        column = Column(index, written, name, hint)
        if name and name in taken and name != "extra":  # any number of columns may be kept as text
            first = taken[name]
            twin = SCORE_FIELDS.get(name)
            if twin and twin in allowed and twin not in taken:
                column.field = twin
                notes.append(
                    f"{written!r} appears twice: the first ({column_label(first.index)}) read as {name}, "
                    f"the second ({column_label(index)}) as {twin.replace('_', ' ')}"
                )
            else:
                column.field = None
                notes.append(
                    f"{written!r} and {first.header!r} both name {name}: the first ({first.header!r}) is read, "
                    f"the second ignored"
                )
        if column.field:
            taken[column.field] = column
        columns.append(column)
    return Mapping(columns, notes)


def column_label(index: int) -> str:
    """Column 3 as a user counts it (the third column)."""
    return f"column {index + 1}"


def _group_labels(group_row: list[Any], width: int) -> list[str]:
    """A title row above the header ('Inherent risk' merged over three columns): each column's
    nearest label at or to its left, when that label qualifies a score (inherent, residual …)."""
    out, current = [], ""
    for i in range(width):
        cell = group_row[i] if i < len(group_row) else None
        if cell is not None and str(cell).strip():
            text = norm(str(cell))
            words = [w for w in (*_RESIDUAL, *_INHERENT) if re.search(rf"\b{re.escape(w)}\b", text)]
            current = max(words, key=len) if words else ""
        out.append(current)
    return out


def header_score(cells: list[Any]) -> int:
    """How much a row looks like a register's header: the number of cells naming a field."""
    seen = set()
    for cell in cells:
        if cell is None or isinstance(cell, (int, float)) or not str(cell).strip():
            continue
        text = clean_header(cell)
        if len(text) > 60:
            continue
        name, _ = _match(text, ALL_FIELDS)
        if name:
            seen.add(name)
    return len(seen)


def near_misses(missing: str, headers: list[str]) -> list[str]:
    """Headers that look like the synonyms of a missing field (for a refusal that helps)."""
    names = SYNONYMS.get(missing, ()) + SYNONYMS.get(missing.replace("residual_", ""), ())
    if missing == "title":
        names += _titles(None)
    out = []
    for header in headers:
        text = clean_header(header)
        if not text:
            continue
        if difflib.get_close_matches(text, names, n=1, cutoff=0.6) or any(
            len(n) > 3 and (n in text or text in n) for n in names
        ):
            out.append(header)
    return out
