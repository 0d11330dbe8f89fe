"""One register sheet's rows as records (registers.py finds the sheets and their headers): each cell
converted as scales.py says, each bad cell reported where it is, and what was converted said once
per column in a note."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pgmtui.exchange import scales
from pgmtui.exchange.columns import REQUIRED, Column, Mapping, clean_header, near_misses
from pgmtui.exchange.common import ImportResult, listed, norm
from pgmtui.exchange.refs import Wanted
from pgmtui.exchange.sheets import Grid, is_blank_cell
from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import DEFAULTS, KINDS, MAX_TEXT, coerce_field

# What pgmtui calls each kind's long text, where text from columns without a field of their own
# goes ("Comments: …").
LONG_TEXT = {"risk": "actions", "issue": "description", "assumption": "description", "decision": "description",
             "action": "note"}  # fmt: skip
TITLE_LIMIT = 200  # a title made from a long description is cut here (the description keeps it all)
SCORES = ("probability", "impact", "residual_probability", "residual_impact")
DERIVED = {"id", "score", "residual_score", "level", "type"}  # cells a template row may hold
RISK_ONLY_TEXT = ("cause", "effect", "response", "actions", "category")  # kept as text on other kinds
NEVER_CLEARED = {"status", "priority", "kind", "title"}
# Columns only a risk register has: a sheet named for no kind and holding one of them is risks.
RISK_SIGNS = {
    "probability",
    "impact",
    "residual_probability",
    "residual_impact",
    "score",
    "response",
    "cause",
}  # an empty cell leaves these as they are


@dataclass
class Options:
    project: str | None = None  # default project code for rows without one
    impact_bands: dict[str, tuple[float, ...]] = field(default_factory=dict)
    source: str | None = None
    dry_run: bool = False
    prune: bool = False


@dataclass
class Sheet:
    """One grid with its header found and its columns read."""

    grid: Grid
    header_row: int
    mapping: Mapping
    kind: str | None  # None: rows routed by the Type column
    rows: list[tuple[int, list[Any]]]
    single: bool = True  # the file's only sheet (a CSV file): a sheet that is no register is refused


class RowReader:
    """Turns the rows of one sheet into Wanted records, collecting problems and notes."""

    def __init__(
        self,
        sheet: Sheet,
        options: Options,
        projects: dict[str, str],
        result: ImportResult,
        problems: list[str],
    ) -> None:
        self.sheet, self.grid, self.options = sheet, sheet.grid, options
        self.projects, self.result, self.problems = projects, result, problems
        self.kinds: set[str] = set()
        self.statuses: dict[str, Counter[tuple[str, str, bool]]] = {}
        self.skipped_template: list[str] = []
        self.skipped_kind: dict[str, list[str]] = {}
        self.blanked: Counter[str] = Counter()
        self.months: Counter[str] = Counter()
        self.joined_lines = 0
        self.score_mismatch: list[str] = []
        self.level_mismatch: list[str] = []
        self.scales: dict[int, scales.Scale] = {}
        self.orders: dict[int, str] = {}
        self._top: int | None = None

    # -- columns

    def col(self, name: str) -> Column | None:
        return self.sheet.mapping.of(name)

    def cell(self, cells: list[Any], name: str) -> Any:
        c = self.col(name)
        if c is None or c.index >= len(cells):
            return None
        value = cells[c.index]
        return value.strip() if isinstance(value, str) else value

    def at(self, number: int, name: str | None) -> str:
        c = self.col(name) if name else None
        return self.grid.at(number, c.index if c else None)

    def kind_of(self, cells: list[Any]) -> str | None:
        if self.sheet.kind:
            return self.sheet.kind
        value = self.cell(cells, "type")
        return scales.kind_of_type(value) if not is_blank_cell(value) else None

    def read(self) -> list[Wanted]:
        rows = [(n, cells) for n, cells in self.sheet.rows if not self._template(n, cells)]
        kinds = {self.kind_of(cells) for _, cells in rows}
        if not self._has_columns(kinds):
            return []
        wide = self._check_widths(rows)
        rows = [(n, cells) for n, cells in rows if n not in wide]
        self._prepare_columns(rows)
        wanted = []
        for number, cells in rows:
            kind = self.kind_of(cells)
            if kind is None:
                value = self.cell(cells, "type")
                self.problems.append(
                    f"{self.at(number, 'type')}: type {value!r} is not Risk, Issue, Assumption, Decision, "
                    "Action or Dependency (R/I/A/D/Act)"
                    if not is_blank_cell(value)
                    else f"{self.at(number, 'type')}: the row has no type"
                )
                continue
            if kind not in KINDS or (kind == "dependency" and not self._links_milestones()):
                self.skipped_kind.setdefault(kind, []).append(self.grid.at(number))
                continue
            self.kinds.add(kind)
            record = self._record(kind, number, cells)
            if record is not None:
                wanted.append(record)
        self._notes()
        return wanted

    def _has_columns(self, kinds: set[str | None]) -> bool:
        """Refuse a sheet that lacks a column its rows need, naming each missing field and the
        headers that came close ("probability: none; saw `Prob of occurence`")."""
        fields = self.sheet.mapping.fields()
        stored = {k for k in kinds if k in KINDS and k != "dependency"}  # rows that become records
        needed = ["title"] if stored and "title" not in fields and "description" not in fields else []
        if "risk" in kinds:
            needed += [f for f in REQUIRED["risk"][1:] if f not in fields]
        if not needed:
            return True
        if "title" in needed and not self.sheet.single:
            self.result.notes.append(f"sheet {self.grid.name!r} skipped: no title or description column")
            return False
        headers = [c.header for c in self.sheet.mapping.columns if c.header]
        unread = [c.header for c in self.sheet.mapping.columns if c.header and c.field is None]
        parts = []
        for name in needed:
            near = near_misses(name, unread)
            parts.append(f"{name}: none" + (f"; saw {', '.join(f'`{h}`' for h in near)}" if near else ""))
        what = "risks need" if "title" not in needed else "the rows need"
        self.problems.append(
            f"{self.grid.name}: {what} a column for {' and '.join(needed)}: {'; '.join(parts)} "
            f"(columns: {', '.join(f'`{h}`' for h in headers[:20])})"
        )
        return False

    def _template(self, number: int, cells: list[Any]) -> bool:
        """A row holding only an ID (and the sheet's formulas: score, level): a template row."""
        filled = {
            c.field
            for c in self.sheet.mapping.columns
            if c.index < len(cells) and not is_blank_cell(cells[c.index])
        }
        unmapped = any(
            not is_blank_cell(v)
            for i, v in enumerate(cells)
            if i >= len(self.sheet.mapping.columns) or self.sheet.mapping.columns[i].field is None
        )
        if filled and filled <= DERIVED and not unmapped and "id" in filled:
            self.skipped_template.append(self.grid.at(number))
            return True
        if not filled and not unmapped:
            return True
        return False

    def _check_widths(self, rows: list[tuple[int, list[Any]]]) -> set[int]:
        """A CSV row with more cells than the header (an unquoted comma) is refused as such, and
        its cells are not read (each would be in the wrong column)."""
        wide: set[int] = set()
        if self.grid.source != "csv":
            return wide
        width = len(self.sheet.mapping.columns)
        while width and not self.sheet.mapping.columns[width - 1].header:
            width -= 1
        for number, cells in rows:
            used = len(cells)
            while used and is_blank_cell(cells[used - 1]):
                used -= 1
            if used > width:
                self.problems.append(
                    f"{self.grid.name}: line {number}: {len(cells)} cells, header has {width} "
                    "(a comma inside a cell that is not in quotes?)"
                )
                wide.add(number)
        return wide

    def _prepare_columns(self, rows: list[tuple[int, list[Any]]]) -> None:
        """Decide what ambiguous columns hold, and each score column's scale, from their values."""
        mapping = self.sheet.mapping

        def values(c: Column, kinds: tuple[str, ...] | None = None) -> list[Any]:
            return [
                cells[c.index]
                for _, cells in rows
                if c.index < len(cells)
                and not scales.is_blank(cells[c.index])
                and not scales.excel_error(cells[c.index])
                and (kinds is None or self.kind_of(cells) in kinds)
            ]

        for c in mapping.columns:
            if c.field is None:
                continue
            vals = values(c)
            text = [str(v).strip() for v in vals]
            if c.field in SCORES and clean_header(c.header) in ("consequence", "consequences", "threat"):
                if text and sum(scales.read_score_cell(v) is not None for v in vals) < 0.6 * len(vals):
                    c.field = "effect" if "impact" in c.field else "event"
            if c.field == "title" and norm(c.header) == "threat" and text:
                if all(norm(t) in ("threat", "opportunity", "t", "o") for t in text):
                    c.field = "kind"
            if c.field == "response" and text:
                known = sum(scales.response_of(t) is not None for t in text)
                if known < 0.5 * len(text):
                    c.field = "actions" if not mapping.of("actions") else "extra"
                    c.note = "free text, read as actions"
            if c.field in ("score", "residual_score") and text:
                if (
                    sum(
                        scales.read_score_cell(v) is None or isinstance(v, str) and not re.match(r"\d", v)
                        for v in vals
                    )
                    > len(vals) / 2
                ):
                    c.field = "level"
            if c.field == "type" and self.sheet.kind == "dependency":
                c.field = "dep_type"
            elif c.field == "type" and self.sheet.kind and text:
                c.field = "category" if not mapping.of("category") else None
        impact = mapping.of("impact")
        if self.sheet.kind not in (None, "risk") and impact is not None:
            vals = [str(v).strip() for v in values(impact)]
            if not mapping.of("priority") and sum(
                scales.priority_of(v, 4) is not None for v in vals
            ) >= 0.6 * len(vals):
                impact.field, impact.note = "priority", "read as priority"
            else:
                impact.field = "extra"
        for c in mapping.columns:
            if c.field in ("probability", "impact", "residual_probability", "residual_impact"):
                try:
                    self.scales[c.index] = scales.score_scale(
                        values(c, ("risk",)),
                        c.hint,
                        bands=self.options.impact_bands,
                        quantities="impact" in c.field,
                    )
                except scales.ScaleError as exc:
                    self.problems.append(f"{self._column_where(c)} ({c.header}): {c.field} {exc}")
            if c.field in (
                "raised_date",
                "due_date",
                "decided_date",
                "done_date",
                "review_date",
                "proximity",
            ):
                texts = [str(v) for v in values(c) if isinstance(v, str)]
                self.orders[c.index] = scales.date_order(texts)
                if scales.ambiguous_numeric_dates(texts) and self.orders[c.index] == "dmy":
                    self.result.notes.append(
                        f"{self._column_where(c)} ({c.header}): dates such as {texts[0]!r} read day first "
                        "(dd/mm/yyyy); none of them says otherwise"
                    )
        ignored = [c.header for c in mapping.columns if c.field is None and c.header]
        if ignored:
            self.result.notes.append(f"{self.grid.name}: ignored column(s): {', '.join(ignored)}")

    def _column_where(self, c: Column) -> str:
        if self.grid.source == "csv":
            return f"{self.grid.name}: column {c.index + 1}"
        return f"{self.grid.name}!{self.grid.column_name(c.index)}"

    # -- one record

    def _record(self, kind: str, number: int, cells: list[Any]) -> Wanted | None:
        bad_before = len(self.problems)
        fields: dict[str, Any] = {}
        where = {}
        for c in self.sheet.mapping.columns:
            if c.field:
                where[c.field] = self.grid.at(number, c.index)
        ext = self.cell(cells, "id")
        external_id = None if is_blank_cell(ext) else _id_text(ext)
        own_id = None
        if self.grid.own_ids:  # pgmtui's own export: the ID is the record's id, not a reference
            own_id, external_id = (int(ext) if isinstance(ext, int) else None), None
        title = self._text(self.cell(cells, "title"))
        description = self._long(self.cell(cells, "description"))
        if not title and description:
            title = _title_from(description)
            if title == " ".join(description.split()):
                description = None  # the whole description became the title: not kept twice
        if kind == "dependency":
            return self._dependency(number, cells, where, external_id, own_id, title, description)
        if kind == "risk":
            self._risk(fields, number, cells, description)
        else:
            if description:
                fields["description"] = description
            self._raid(kind, fields, number, cells)
        if title:
            fields["title"] = title
        else:
            self.problems.append(
                f"{self.at(number, 'title')}: the row has no title (nor a description to take one from)"
            )
        owner = self._text(self.cell(cells, "owner"))
        if owner:
            fields["owner"] = owner
        self._project(fields, number, cells)
        self._extras(kind, fields, cells)
        self._check(kind, fields, number, where)
        if len(self.problems) > bad_before:
            return None
        label = f"{external_id} {title}" if external_id else title or ""
        return Wanted(
            kind,
            fields,
            self.grid.at(number),
            external_id=external_id,
            label=label[:60],
            cells={_store_field(kind, k): v for k, v in where.items()},
            cleared=self._cleared(kind, fields),
            own_id=own_id,
        )

    def _links_milestones(self) -> bool:
        return {"supplier", "consumer"} <= self.sheet.mapping.fields()

    def _dependency(
        self,
        number: int,
        cells: list[Any],
        where: dict[str, str],
        external_id: str | None,
        own_id: int | None,
        title: str | None,
        description: str | None,
    ) -> Wanted | None:
        """A dependency between two milestones named in the sheet (CODE:milestone, or a name
        the store can find); its title and text become the dependency's note."""
        bad_before = len(self.problems)
        fields: dict[str, Any] = {}
        for end in ("supplier", "consumer"):
            text = self._text(self.cell(cells, end))
            if not text:
                self.problems.append(
                    f"{self.at(number, end)}: the {end} milestone is missing (CODE:milestone)"
                )
            fields[end] = text
        dep_type = self.cell(cells, "dep_type")
        if not scales.is_blank(dep_type):
            word = norm(str(dep_type)).upper().replace(" ", "")
            word = {
                "FINISHTOSTART": "FS",
                "STARTTOSTART": "SS",
                "FINISHTOFINISH": "FF",
                "STARTTOFINISH": "SF",
            }.get(word, word)
            if word not in ("FS", "SS", "FF", "SF"):
                self.problems.append(
                    f"{self.at(number, 'dep_type')}: type {dep_type!r} is not FS, SS, FF or SF"
                )
            fields["type"] = word
        lag = self.cell(cells, "lag")
        if not scales.is_blank(lag):
            fields["lag_days"] = lag
        owner = self._text(self.cell(cells, "owner"))
        if owner:
            fields["owner"] = owner
        note = "\n\n".join(filter(None, [title, description]))
        if note:
            fields["note"] = note
        where = {**where, "type": where.get("dep_type", ""), "lag_days": where.get("lag", "")}
        self._check("dependency", fields, number, where)
        if len(self.problems) > bad_before:
            return None
        label = f"{fields['supplier']} → {fields['consumer']}"
        return Wanted("dependency", fields, self.grid.at(number), external_id=external_id, label=label[:60],
                      cells={k: v for k, v in where.items() if v}, own_id=own_id)  # fmt: skip

    def _risk(self, fields: dict[str, Any], number: int, cells: list[Any], description: str | None) -> None:
        event = description
        if event:
            fields["event"] = event
        raw: dict[str, Any] = {}
        for name in ("probability", "impact", "residual_probability", "residual_impact"):
            c = self.col(name)
            value = self.cell(cells, name)
            if c is None or c.index not in self.scales or scales.is_blank(value):
                continue
            error = scales.excel_error(value)
            if error:
                self.problems.append(
                    f"{self.at(number, name)}: {error} (the sheet's formula failed) is not a score"
                )
                continue
            try:
                fields[name] = self.scales[c.index].convert(value)
                raw[name] = value
            except ValueError as exc:
                joint = " " if str(exc).startswith("must") else ": "
                self.problems.append(f"{self.at(number, name)}: {name}{joint}{exc}")
        for name in REQUIRED["risk"][1:]:
            if name not in fields and self.col(name) is not None and scales.is_blank(self.cell(cells, name)):
                self.problems.append(f"{self.at(number, name)}: {name} is required (the cell is empty)")
        self._cross_check(fields, raw, number, cells)
        for name in ("category", "cause", "effect", "actions"):
            text = (
                self._long(self.cell(cells, name))
                if name != "category"
                else self._text(self.cell(cells, name))
            )
            if text:
                fields[name] = text
        if norm(str(self.cell(cells, "type") or "")) in ("opportunity", "opp"):
            fields["kind"] = "opportunity"  # a RAID log's Type says which kind of risk
        kind_cell = self.cell(cells, "kind")
        if not scales.is_blank(kind_cell):
            word = norm(str(kind_cell))
            if word in ("opportunity", "o", "opp", "positive", "upside", "benefit"):
                fields["kind"] = "opportunity"
            elif word in ("threat", "t", "risk", "negative", "downside"):
                fields["kind"] = "threat"
            else:
                self.problems.append(f"{self.at(number, 'kind')}: {kind_cell!r} is not threat or opportunity")
        response = self.cell(cells, "response")
        if not scales.is_blank(response):
            mapped = scales.response_of(response)
            if mapped:
                fields["response"] = mapped
            else:
                text = self._long(response)
                fields["actions"] = "\n\n".join(filter(None, [fields.get("actions"), f"Response: {text}"]))
        self._status("risk", fields, number, cells)
        for name in ("review_date",):
            self._date(fields, name, number, cells)
        proximity = self.cell(cells, "proximity")
        if not scales.is_blank(proximity):
            word = norm(str(proximity))
            if word in ("imminent", "this stage", "this project", "beyond"):
                fields["proximity"] = word
            else:
                c = self.col("proximity")
                order = self.orders.get(c.index, "dmy") if c else "dmy"
                try:
                    fields["proximity"] = scales.parse_date_cell(proximity, order, self.grid.epoch)
                except ValueError:
                    self.blanked[f"proximity {str(proximity)[:30]!r}"] += 1

    def _cross_check(
        self, fields: dict[str, Any], raw: dict[str, Any], number: int, cells: list[Any]
    ) -> None:
        """The sheet's score against P×I (in the sheet's own units where both are numbers), and
        its level against pgmtui's band of the converted score."""
        from pgmtui.domain.risk import DEFAULT_BANDS

        for prefix in ("", "residual_"):
            p, i = fields.get(f"{prefix}probability"), fields.get(f"{prefix}impact")
            score_cell = self.cell(cells, f"{prefix}score")
            if p is None or i is None or scales.is_blank(score_cell) or scales.excel_error(score_cell):
                continue
            rp, ri = raw.get(f"{prefix}probability"), raw.get(f"{prefix}impact")
            native = _native(rp), _native(ri)  # the sheet's own numbers: 3×2 on a High/Medium/Low sheet
            try:
                given = float(str(score_cell).strip())
            except ValueError:
                continue
            products = {p * i}
            if native[0] is not None and native[1] is not None:
                products.add(native[0] * native[1])
            if all(abs(given - x) > 0.01 for x in products):
                expected = native[0] * native[1] if None not in native else p * i  # type: ignore[operator]
                shown = f"{_num(native[0])}×{_num(native[1])}" if None not in native else f"{p}×{i}"
                self.score_mismatch.append(
                    f"{self.at(number, prefix + 'score')} says {_num(given)}, P×I = {shown} = {_num(expected)}"
                )
        level = self.cell(cells, "level")
        p, i = fields.get("probability"), fields.get("impact")
        if p is not None and i is not None and not scales.is_blank(level):
            band = DEFAULT_BANDS.band(p * i)
            allowed = _LEVELS.get(norm(str(level)))
            if allowed is not None and band not in allowed:
                self.level_mismatch.append(
                    f"{self.at(number, 'level')} {str(level).strip()} vs {band} ({p}×{i})"
                )

    def _raid(self, kind: str, fields: dict[str, Any], number: int, cells: list[Any]) -> None:
        self._status(kind, fields, number, cells)
        priority = self.cell(cells, "priority")
        if not scales.is_blank(priority) and kind != "action":
            mapped = scales.priority_of(priority, self._priority_top())
            if mapped is None:
                self.problems.append(
                    f"{self.at(number, 'priority')}: {priority!r} is not a priority (low, medium, high, critical or 1–4)"
                )
            else:
                fields["priority"] = mapped
                self.statuses.setdefault("priority", Counter())[(str(priority).strip(), mapped, True)] += 1
        names = ["raised_date", "due_date"] + (["decided_date"] if kind == "decision" else [])
        if kind == "action":
            names = ["due_date", "done_date"]
        for name in names:
            self._date(fields, name, number, cells)

    def _priority_top(self) -> int:
        """The largest priority number in the column (3: 1–3, 1 high; 4: 1–4, 1 critical)."""
        if self._top is None:
            c = self.col("priority")
            numbers = [
                int(m.group(1))
                for _, row in self.sheet.rows
                if c and c.index < len(row)
                for m in [re.fullmatch(r"[Pp]?\s*(\d+)(?:\.0+)?", str(row[c.index]).strip())]
                if m
            ]
            self._top = max(numbers, default=4)
        return self._top

    def _status(self, kind: str, fields: dict[str, Any], number: int, cells: list[Any]) -> None:
        value = self.cell(cells, "status")
        if scales.is_blank(value):
            return
        status, known = scales.status_of(kind, value)
        fields["status"] = status
        self.statuses.setdefault(kind, Counter())[(str(value).strip(), status, known)] += 1

    def _date(self, fields: dict[str, Any], name: str, number: int, cells: list[Any]) -> None:
        value = self.cell(cells, name)
        if scales.is_blank(value):
            if value not in (None, ""):
                self.blanked[f"{name} {str(value).strip()!r}"] += 1
            return
        error = scales.excel_error(value)
        if error:
            self.problems.append(
                f"{self.at(number, name)}: {error} (the sheet's formula failed) is not a date"
            )
            return
        c = self.col(name)
        try:
            fields[name] = scales.parse_date_cell(
                value, self.orders.get(c.index, "dmy") if c else "dmy", self.grid.epoch
            )
        except ValueError as exc:
            self.problems.append(f"{self.at(number, name)}: {exc}")
            return
        if scales.is_month_only(value):
            self.months[f"{str(value).strip()!r} → {fields[name]}"] += 1

    def _project(self, fields: dict[str, Any], number: int, cells: list[Any]) -> None:
        value = self.cell(cells, "project")
        if scales.is_blank(value):
            if self.options.project:
                fields["project"] = self.projects[norm(self.options.project)]
            return
        code = self.projects.get(norm(str(value)))
        if code is None:
            known = ", ".join(sorted(set(self.projects.values()))[:8]) or "none yet"
            self.problems.append(
                f"{self.at(number, 'project')}: project {str(value).strip()!r} is not a project code or name (projects: {known})"
            )
        else:
            fields["project"] = code

    def _extras(self, kind: str, fields: dict[str, Any], cells: list[Any]) -> None:
        """Text from columns the kind has no field for, kept under their header in the long text."""
        target = LONG_TEXT.get(kind)
        if target is None:
            return
        parts = []
        for c in self.sheet.mapping.columns:
            if c.field == "extra" or (kind != "risk" and c.field in RISK_ONLY_TEXT):
                text = self._long(cells[c.index] if c.index < len(cells) else None)
                if text:
                    # A column named for the long text itself (an action's "Note") is that text.
                    same = norm(c.header).removesuffix("s") == target.removesuffix("s")
                    parts.append(text if same else f"{c.header}: {text}")
        if parts:
            fields[target] = "\n\n".join(filter(None, [fields.get(target), *parts]))

    def _cleared(self, kind: str, fields: dict[str, Any]) -> frozenset[str]:
        """Fields this sheet speaks for whose cells are empty: cleared when the record is updated."""
        names = set(KINDS[kind].names)
        covered = set()
        for f in self.sheet.mapping.fields():
            if f == "description":
                covered.add("event" if kind == "risk" else "description")
            elif f == "extra" or (kind != "risk" and f in RISK_ONLY_TEXT):
                covered.add(LONG_TEXT.get(kind, ""))
            elif f in names:
                covered.add(f)
        if self.options.project:
            covered.add("project")
        # A field that is required or always has a value (a default) is never emptied.
        keep = {f.name for f in KINDS[kind].fields if f.required} | set(DEFAULTS.get(kind, {}))
        return frozenset(covered & names - set(fields) - keep - NEVER_CLEARED)

    def _check(self, kind: str, fields: dict[str, Any], number: int, where: dict[str, str]) -> None:
        """Each value as the store will judge it, reported at its cell (the store stops at the
        first problem of a row; a person wants them all)."""
        for f in KINDS[kind].fields:
            if f.type in ("ref", "refs") or f.name not in fields:
                continue
            try:
                coerce_field(f, fields[f.name])
            except ValidationError as exc:
                self.problems.append(f"{where.get(_sheet_field(kind, f.name), self.grid.at(number))}: {exc}")

    # -- text

    def _text(self, value: Any) -> str | None:
        """A one-line text cell: line breaks inside it joined with spaces."""
        if value is None:
            return None
        text = _cell_text(value).translate(_SOFT_BREAKS)
        if "\n" in text or "\r" in text:
            self.joined_lines += 1
            text = " ".join(text.split())
        return text or None

    def _long(self, value: Any) -> str | None:
        if value is None:
            return None
        text = _cell_text(value).translate(_SOFT_BREAKS).replace("\r\n", "\n").replace("\r", "\n").strip()
        return text or None

    # -- notes

    def _notes(self) -> None:
        name, notes = self.grid.name, self.result.notes
        for c in self.sheet.mapping.columns:
            scale = self.scales.get(c.index)
            statement = scale.statement() if scale else ""
            if statement:
                notes.append(f"{self._column_where(c)} ({c.header}) → {c.field}: {statement}")
            elif c.note:
                notes.append(f"{self._column_where(c)} ({c.header}): {c.note}")
        for kind, counts in self.statuses.items():
            mapped = [(w, s, n) for (w, s, known), n in counts.items() if known and norm(w) != norm(s)]
            unknown = [(w, s, n) for (w, s, known), n in counts.items() if not known]
            what = "priority" if kind == "priority" else f"{kind} status"
            if mapped:
                notes.append(
                    f"{name}: {what} words mapped: " + ", ".join(f"{w!r} → {s} ({n})" for w, s, n in mapped)
                )
            if unknown:
                notes.append(
                    f"{name}: {what} words not known, read as {unknown[0][1]}: "
                    + ", ".join(f"{w!r} ({n})" for w, _, n in unknown)
                )
        if self.score_mismatch:
            notes.append(
                f"{name}: warning: the sheet's score disagrees with P×I in {len(self.score_mismatch)} row(s), "
                f"P and I kept: {listed(self.score_mismatch, 5)}"
            )
        if self.level_mismatch:
            notes.append(
                f"{name}: warning: the sheet's own level differs from pgmtui's band (Low 1–4, Medium 5–9, "
                f"High 10–14, Critical 15–25) in {len(self.level_mismatch)} row(s): {listed(self.level_mismatch, 5)}"
            )
        if self.skipped_template:
            notes.append(
                f"{name}: rows holding only an ID skipped (template rows): {listed(self.skipped_template, 6)}"
            )
        for kind, places in self.skipped_kind.items():
            why = (
                "pgmtui's dependencies link two milestones (add them with `pgmtui add dependency`)"
                if kind == "dependency"
                else f"this database has no {kind} records"
            )
            notes.append(f"{name}: {len(places)} {kind} row(s) not imported: {why}: {listed(places, 4)}")
        if self.blanked:
            notes.append(
                f"{name}: placeholders read as empty: "
                + ", ".join(f"{w} ({n})" for w, n in self.blanked.items())
            )
        if self.months:
            notes.append(
                f"{name}: dates given as a month read as its first day: "
                + ", ".join(f"{w} ({n})" for w, n in self.months.items())
            )
        if self.joined_lines:
            notes.append(f"{name}: {self.joined_lines} one-line cell(s) held line breaks: joined with spaces")


_LEVELS: dict[str, set[str]] = {
    "low": {"Low"}, "green": {"Low"}, "l": {"Low"}, "very low": {"Low"}, "minor": {"Low"},
    "medium": {"Medium"}, "med": {"Medium"}, "moderate": {"Medium"}, "amber": {"Medium", "High"}, "m": {"Medium"},
    "high": {"High"}, "h": {"High"}, "major": {"High"}, "significant": {"High"},
    "red": {"High", "Critical"}, "critical": {"Critical"}, "very high": {"Critical"}, "extreme": {"Critical"},
    "severe": {"Critical"}, "catastrophic": {"Critical"},
}  # fmt: skip


# Word processors' soft line breaks (vertical tab, form feed) pasted into cells are line breaks;
# any other control character is left for the store to refuse (it could be a terminal escape).
_SOFT_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"})


def _store_field(kind: str, name: str) -> str:
    if kind == "risk" and name == "description":
        return "event"
    return name


def _sheet_field(kind: str, name: str) -> str:
    if kind == "risk" and name == "event":
        return "description"
    return name


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and hasattr(value, "year"):
        return value.date().isoformat() if hasattr(value, "date") else value.isoformat()
    return str(value).strip()


def _id_text(value: Any) -> str:
    return " ".join(_cell_text(value).split())[:200]


def _title_from(description: str) -> str:
    first = description.strip().splitlines()[0].strip()
    first = " ".join(first.split())
    if len(first) > TITLE_LIMIT:
        first = first[: TITLE_LIMIT - 1].rstrip() + "…"
    return first[:MAX_TEXT]


_THREE_LEVELS = {"low": 1, "l": 1, "medium": 2, "med": 2, "m": 2, "high": 3, "h": 3}


def _native(value: Any) -> float | None:
    """A score cell as the sheet itself counts it: a number as it is; Low/Medium/High as 1/2/3
    (the usual three-level sheet); other words as pgmtui's points."""
    text = norm(str(value)) if value is not None else ""
    if text in _THREE_LEVELS:
        return float(_THREE_LEVELS[text])
    reading = scales.read_score_cell(value)
    return reading.value if reading is not None and reading.kind in ("number", "word") else None


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)
