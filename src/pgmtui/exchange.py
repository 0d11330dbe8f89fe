"""Export and import: every table as CSV files or one JSON document, and risk registers kept in
spreadsheets. No SQL here: reads go through `Store.rows/audit`, writes through `Store.insert`
(new records) or `Store.restore` (a faithful reload into an empty database).

Export format
-------------
CSV: one file per table in DIR — every record kind's table (programme, project, milestone, …,
action, lesson), each link table right after its owner (benefit_project: benefit → projects,
stakeholder_project: stakeholder → projects) and audit (the change history the stand-up and risk
trends are computed from). Columns are the database's:
``id, version, created_at, updated_at, updated_by`` then the record's fields, references as
``<name>_id``. Empty cell = no value. Text that a spreadsheet would run as a formula gets a leading
apostrophe (pgmtui.formulas), which the import removes again. JSON: one document ``{"format": "pgmtui-export", "version": 1,
"tables": {table: [row, …]}}`` holding the same tables, one row per line.

Import
------
- Into an EMPTY database, a full export is restored exactly: same ids, versions, stamps and audit
  trail, so export → import → export gives identical files.
- Into a database that already holds records, every record is added as a new one (new id, version 1,
  audited as an insert by you); references between imported rows follow their new ids (links
  `kind:id` too: one to a record imported later is set by an update once that record is in), and a
  reference to an id not in the import means the database's own record. The programme row is kept
  as it is and the file's audit trail is not merged (the database has its own history).
- A CSV of risks as kept in a spreadsheet (title, owner, probability/likelihood, impact/severity, …,
  headers in any order, common synonyms, any case) is recognised by its headers and added.

Every row is validated by the store; every bad row is reported as ``file:line: message`` and nothing
is written unless every row is good (one transaction).
"""

from __future__ import annotations

import csv
import io
import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pgmtui.costsheet import import_cost_sheet, is_cost_sheet
from pgmtui.formulas import formula_safe, from_formula_safe
from pgmtui.outfiles import ensure_folder, write_file
from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import coerce_field, column_for
from pgmtui.store import KINDS, Store, StoreError

__all__ = [
    "EXPORT_TABLES",
    "FORMAT_NAME",
    "ImportFailed",
    "ImportResult",
    "export",
    "export_tables",
    "import_path",
    "risk_sheet_columns",
]

FORMAT_NAME = "pgmtui-export"
FORMAT_VERSION = 1
META = ("id", "version", "created_at", "updated_at", "updated_by")
RECORD_TABLES = tuple(KINDS)  # parents before children, as KINDS is ordered
# Link tables: table → (owning kind, its field, owner column, linked column).
LINK_TABLES: dict[str, tuple[str, str, str, str]] = {
    table: (kind.name, name, own, other)
    for kind in KINDS.values()
    for name, (table, own, other) in kind.links.items()
}
# Every table, each link table right after its owner's, the audit trail last.
EXPORT_TABLES = (
    *(t for kind in RECORD_TABLES for t in (kind, *(lt for lt, v in LINK_TABLES.items() if v[0] == kind))),
    "audit",
)
AUDIT_COLUMNS = ("id", "ts", "user", "tbl", "row_id", "action", "changes")


class ImportFailed(StoreError):
    """The import was refused; ``problems`` lists every bad row as 'file:line: message'."""

    def __init__(self, problems: list[str]) -> None:
        n = len(problems)
        super().__init__(
            f"import refused, nothing written: {n} bad row{'s' if n != 1 else ''}: " + "; ".join(problems[:3])
        )
        self.problems = problems


@dataclass
class ImportResult:
    mode: str  # "restore", "add", "risk sheet" or "cost sheet"
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = ", ".join(f"{n} {t}" for t, n in self.counts.items() if n)
        how = {
            "restore": "restored (ids, versions and history kept)",
            "add": "added as new records",
            "risk sheet": "added from the risk spreadsheet",
            "cost sheet": "from the cost sheet (months added, or changed in place)",
        }[self.mode]
        return f"imported {parts or 'nothing'}: {how}"


# ---------------------------------------------------------------------------- export


def _columns(table: str) -> list[str]:
    if table in LINK_TABLES:
        return list(LINK_TABLES[table][2:])
    if table == "audit":
        return list(AUDIT_COLUMNS)
    kind = KINDS[table]
    return [*META, *(column_for(f) for f in kind.fields if f.type != "refs")]


def export_tables(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every table as lists of rows holding exactly the exported columns, in id order."""
    out: dict[str, list[dict[str, Any]]] = {}
    all_links = store.read_all()["links"]
    for table in EXPORT_TABLES:
        cols = _columns(table)
        if table in LINK_TABLES:
            own, other = LINK_TABLES[table][2:]
            links = all_links[table]
            out[table] = [{own: a, other: b} for a in sorted(links) for b in sorted(links[a])]
        elif table == "audit":
            out[table] = [
                {
                    **{c: a[c] for c in cols if c != "changes"},
                    "changes": json.dumps(a["changes"], ensure_ascii=False, sort_keys=True),
                }
                for a in store.audit()
            ]
            out[table].sort(key=lambda a: a["id"])
        else:
            out[table] = [{c: r.get(c) for c in cols} for r in store.rows(table)]
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return formula_safe(str(value))  # text: never a spreadsheet formula


def export(store: Store, target: str | Path, fmt: str = "csv", *, shared: bool = False) -> list[Path]:
    """Write the export: CSV files into folder `target` (created if missing) or, for json, one file
    (`target` is a folder → `pgmtui-export.json` in it; else the file itself). Returns the files.

    Every file goes through pgmtui.outfiles (private 0600 files in 0700 folders, 0660/0770 when
    `shared`; written safely, never through a planted link). Text cells that a spreadsheet would
    run as a formula are written with a leading apostrophe (pgmtui.formulas)."""
    target = Path(target)
    data = export_tables(store)
    if fmt == "json":
        path = target / "pgmtui-export.json" if target.is_dir() or not target.suffix else target
        ensure_folder(path.parent, shared=shared)
        return [write_file(path, _json_document(data), shared=shared)]
    if fmt != "csv":
        raise ValidationError("format", f"format must be csv or json, got {fmt!r}")
    ensure_folder(target, shared=shared)
    written = []
    for table, rows in data.items():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        cols = _columns(table)
        w.writerow(cols)
        for row in rows:
            w.writerow([_cell(row.get(c)) for c in cols])
        written.append(write_file(target / f"{table}.csv", buf.getvalue(), shared=shared))
    return written


def _json_document(data: Mapping[str, list[dict[str, Any]]]) -> str:
    """Readable and diff-friendly: one row per line, so an error can point at its line."""
    out = ["{", f'  "format": "{FORMAT_NAME}",', f'  "version": {FORMAT_VERSION},', '  "tables": {']
    tables = list(data.items())
    for ti, (table, rows) in enumerate(tables):
        out.append(f"    {json.dumps(table)}: [")
        for ri, row in enumerate(rows):
            comma = "," if ri < len(rows) - 1 else ""
            out.append("      " + json.dumps(row, ensure_ascii=False) + comma)
        out.append("    ]" + ("," if ti < len(tables) - 1 else ""))
    out += ["  }", "}"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- reading files


@dataclass
class _Row:
    table: str
    values: dict[str, Any]
    where: str  # "risk.csv:14"


class _CsvRecord(NamedTuple):
    line: int  # the line the record starts on (the header is line 1)
    cells: dict[str, str]  # column → text; a short row is padded with ""
    extra: list[str]  # cells beyond the last column: the row is malformed


def _read_csv(path: Path) -> tuple[list[str], list[_CsvRecord]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")  # spreadsheets saved by Excel on Windows
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "path",
                f"{path.name}: neither UTF-8 nor Windows-1252 text (byte 0x{raw[exc.start]:02x} at offset "
                f"{exc.start}); save it as CSV UTF-8",
            ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[_CsvRecord] = []
    try:
        try:
            header = next(reader)
        except StopIteration:
            return [], []
        _refuse_duplicate_columns(path, header)
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            padded = cells + [""] * (len(header) - len(cells))
            rows.append(_CsvRecord(start, dict(zip(header, padded, strict=False)), cells[len(header) :]))
    except csv.Error as exc:
        where = f"{path.name}:{reader.line_num}"
        if "field larger than field limit" in str(exc):
            limit = csv.field_size_limit()
            raise ValidationError("path", f"{where}: a cell is longer than {limit} characters") from None
        raise ValidationError("path", f"{where}: not a readable CSV file ({exc})") from None
    return header, rows


def _refuse_duplicate_columns(path: Path, header: list[str]) -> None:
    """Two columns with one name (spaces and case aside): which one holds the value? Say so
    rather than silently keep the last. Blank headers (trailing empty columns) are left alone."""
    seen: dict[str, int] = {}
    for n, name in enumerate(header, start=1):
        key = " ".join(name.split()).casefold()
        if not key:
            continue
        if key in seen:
            raise ValidationError(
                "path",
                f"{path.name}:1: column {name.strip()!r} appears twice (columns {seen[key]} and {n}); "
                "remove or rename one",
            )
        seen[key] = n


def _json_lines(text: str) -> dict[tuple[str, int], int]:
    """(table, index) → line number of each row of a pgmtui JSON export; {} when the layout is odd."""
    try:
        newlines = [m.start() for m in re.finditer("\n", text)]
        dec = json.JSONDecoder()
        ws = re.compile(r"[ \t\n\r]*")
        out: dict[tuple[str, int], int] = {}

        def skip(i: int) -> int:
            spaces = ws.match(text, i)  # `*` matches the empty string too, so this is never None
            return spaces.end() if spaces else i

        def key_at(i: int) -> tuple[str, int]:
            k, i = dec.raw_decode(text, i)
            i = skip(i)
            assert text[i] == ":"
            return k, skip(i + 1)

        i = skip(0)
        assert text[i] == "{"
        i = skip(i + 1)
        while text[i] != "}":
            key, i = key_at(i)
            if key == "tables" and text[i] == "{":
                i = skip(i + 1)
                while text[i] != "}":
                    table, i = key_at(i)
                    assert text[i] == "["
                    i = skip(i + 1)
                    n = 0
                    while text[i] != "]":
                        out[(table, n)] = bisect_right(newlines, i) + 1
                        _, i = dec.raw_decode(text, i)
                        n += 1
                        i = skip(i)
                        if text[i] == ",":
                            i = skip(i + 1)
                    i = skip(i + 1)
                    if text[i] == ",":
                        i = skip(i + 1)
                i = skip(i + 1)
            else:
                _, i = dec.raw_decode(text, i)
                i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
        return out
    except (AssertionError, ValueError, IndexError, RecursionError):
        return {}


def _int(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(name, f"{name} must be a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]+", text):
        raise ValidationError(name, f"{name} must be a whole number, got {value!r}")
    return int(text)


# ---------------------------------------------------------------------------- import


def import_path(store: Store, path: str | Path) -> ImportResult:
    """Import a pgmtui export (a CSV folder or a JSON file), one table's CSV, or a risk spreadsheet.
    All or nothing: raises ImportFailed listing every bad row, and then nothing has been written."""
    path = Path(path)
    if not path.exists():
        raise ValidationError("path", f"{path} does not exist")
    if path.is_dir():
        rows, problems = _rows_from_folder(path)
    elif path.suffix.lower() == ".json":
        rows, problems = _rows_from_json(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        header, records = _read_csv(path)
        table = path.stem.lower()
        if table in EXPORT_TABLES and "id" in header:
            rows, problems = _rows_from_table_csv(path, table, header, records)
        elif risk_sheet_columns(header):
            return _import_risk_sheet(store, path, header, records)
        elif is_cost_sheet(header):  # month-by-category money (pgmtui.costsheet)
            return import_cost_sheet(store, path, header, records)
        else:
            raise ValidationError(
                "path",
                f"{path.name}: not a pgmtui table (name it after a table, e.g. risk.csv, with an id column), "
                "not a risk register (needs title, probability/likelihood and impact/severity columns) "
                "and not a cost sheet (needs a project column and month columns, e.g. 2027-03)",
            )
    else:
        raise ValidationError(
            "path", f"{path.name}: import reads a folder of CSV files, a .json or a .csv file"
        )
    return _load(store, rows, problems)


def _rows_from_table_csv(
    path: Path, table: str, header: list[str], records: list[_CsvRecord]
) -> tuple[list[_Row], list[str]]:
    problems = []
    known = _known_columns(table)
    unknown = [h for h in header if h not in known]
    if unknown:
        problems.append(f"{path.name}:1: unknown column(s) {', '.join(map(repr, unknown))} for {table}")
    rows = []
    for line, rec, extra in records:
        if extra:
            problems.append(f"{path.name}:{line}: more cells than columns")
            continue
        values = {k: from_formula_safe(v) for k, v in rec.items() if k in known}
        rows.append(_Row(table, values, f"{path.name}:{line}"))
    return rows, problems


def _rows_from_folder(folder: Path) -> tuple[list[_Row], list[str]]:
    files = {p.stem.lower(): p for p in folder.glob("*.csv")}
    found = [t for t in EXPORT_TABLES if t in files]
    if not found:
        raise ValidationError("path", f"{folder} holds no pgmtui CSV files (programme.csv, project.csv, …)")
    rows, problems = [], []
    for table in found:
        header, records = _read_csv(files[table])
        r, p = _rows_from_table_csv(files[table], table, header, records)
        rows += r
        problems += p
    return rows, problems


def _rows_from_json(path: Path) -> tuple[list[_Row], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError("path", f"{path.name}: not UTF-8 text (offset {exc.start})") from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ValidationError("path", f"{path.name}: not valid JSON ({exc})") from None
    except RecursionError:
        raise ValidationError("path", f"{path.name}: nested too deeply to be a pgmtui export") from None
    if (
        not isinstance(doc, dict)
        or doc.get("format") != FORMAT_NAME
        or not isinstance(doc.get("tables"), dict)
    ):
        raise ValidationError(
            "path", f'{path.name}: not a pgmtui export (expected "format": "{FORMAT_NAME}")'
        )
    lines = _json_lines(text)
    rows, problems = [], []
    for table, items in doc["tables"].items():
        if table not in EXPORT_TABLES:
            problems.append(f"{path.name}: unknown table {table!r}")
            continue
        known = _known_columns(table)
        for n, item in enumerate(items if isinstance(items, list) else []):
            where = (
                f"{path.name}:{lines[(table, n)]}" if (table, n) in lines else f"{path.name}: {table}[{n}]"
            )
            if not isinstance(item, dict):
                problems.append(f"{where}: a {table} row must be an object")
                continue
            unknown = [k for k in item if k not in known]
            if unknown:
                problems.append(f"{where}: unknown field(s) {', '.join(map(repr, unknown))} for {table}")
                continue
            rows.append(_Row(table, item, where))
    return rows, problems


def _known_columns(table: str) -> set[str]:
    """The columns a file of `table` may have: the exported ones, and a kind's link lists."""
    return set(_columns(table)) | (set(KINDS[table].links) if table in KINDS else set())


def _field_values(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Row columns → store field names (project_id → project)."""
    kind = KINDS[table]
    out = {}
    for f in kind.fields:
        col = column_for(f)
        if col in values:
            out[f.name] = values[col]
        elif f.name in values:
            out[f.name] = values[f.name]
    return out


def _precheck(row: _Row) -> list[str]:
    """Every field-level problem of one row (the store stops at the first; a person wants them all)."""
    if row.table == "audit" or row.table in LINK_TABLES:
        return []
    kind = KINDS[row.table]
    out = []
    for f in kind.fields:
        if f.type in ("refs",):
            continue
        col = column_for(f)
        raw = row.values.get(col, row.values.get(f.name))
        if f.type == "ref":
            try:
                _int(raw, col)
            except ValidationError as exc:
                out.append(str(exc))
            if f.required and (raw is None or raw == ""):
                out.append(f"{col} is required")
            continue
        try:
            coerce_field(f, raw)
        except ValidationError as exc:
            out.append(str(exc))
    for name in ("id", "version"):
        try:
            _int(row.values.get(name), name)
        except ValidationError as exc:
            out.append(str(exc))
    return out


def _load(store: Store, rows: list[_Row], problems: list[str]) -> ImportResult:
    """Validate and write every row in one transaction; raise ImportFailed (rolled back) if any
    problem was found, structural ones (`problems`, from reading the files) included."""
    problems = list(problems)
    for r in rows:
        for message in _precheck(r):
            problems.append(f"{r.where}: {message}")
    by_table: dict[str, list[_Row]] = {t: [] for t in EXPORT_TABLES}
    for r in rows:
        by_table[r.table].append(r)
    has_meta = all(
        all(r.values.get(m) not in (None, "") for m in META) for t in RECORD_TABLES for r in by_table[t]
    )
    restore = store.is_empty() and has_meta
    result = ImportResult("restore" if restore else "add")
    links: dict[str, dict[int, list[int]]] = {t: {} for t in LINK_TABLES}  # owner → linked, file ids
    link_where: dict[str, dict[int, str]] = {t: {} for t in LINK_TABLES}
    for table, (_, _, own, other) in LINK_TABLES.items():
        for r in by_table[table]:
            try:
                a, b = _int(r.values.get(own), own), _int(r.values.get(other), other)
                if a is None or b is None:
                    raise ValidationError(own, f"{own} and {other} are required")
            except ValidationError as exc:
                problems.append(f"{r.where}: {exc}")
                continue
            links[table].setdefault(a, []).append(b)
            link_where[table].setdefault(a, r.where)
    ids: dict[str, dict[int, int]] = {t: {} for t in RECORD_TABLES}  # file id → db id
    failed: dict[str, set[int]] = {t: set() for t in RECORD_TABLES}
    in_file = {
        t: {i for r in by_table[t] if (i := _int_or_none(r.values.get("id"))) is not None}
        for t in RECORD_TABLES
    }
    later: list[tuple[str, int, str, str, int, str]] = []  # links to records imported after them
    bad_rows = {id(r) for r in rows if _precheck(r)}
    try:
        with store.batch():
            existing_programme = store.programme()
            for table in RECORD_TABLES:
                kind = KINDS[table]
                n = 0
                for r in by_table[table]:
                    file_id = _int_or_none(r.values.get("id"))
                    if id(r) in bad_rows:
                        if file_id is not None:
                            failed[table].add(file_id)
                        continue
                    fields = _field_values(table, r.values)
                    # A row whose parent failed is skipped quietly: the parent's error says it all.
                    skip = False
                    deferred_links: list[tuple[str, str, int]] = []
                    for f in kind.fields:
                        if f.type == "ref" and f.name in fields:
                            ref = _int_or_none(fields[f.name])
                            if ref is not None and ref in failed[f.ref]:
                                skip = True
                            elif ref is not None and not restore and ref in ids[f.ref]:
                                fields[f.name] = ids[f.ref][ref]
                            elif ref is not None:  # an export's references are ids, never codes
                                fields[f.name] = ref
                        elif f.type == "link" and fields.get(f.name) and not restore:
                            target, _, ref_text = str(fields[f.name]).partition(":")
                            ref = _int_or_none(ref_text)
                            if target not in ids or ref is None:
                                continue  # not `kind:id`: the store says what is wrong with it
                            if ref in failed[target]:
                                skip = True
                            elif ref in ids[target]:
                                fields[f.name] = f"{target}:#{ids[target][ref]}"
                            elif ref in in_file[target]:  # imported later: set once it is in
                                deferred_links.append((f.name, target, ref))
                                fields[f.name] = None
                            else:  # the database's own record
                                fields[f.name] = f"{target}:#{ref}"
                    for name, (link_table, _, _) in kind.links.items():
                        if file_id is None:
                            break
                        target = kind.field(name).ref
                        linked = links[link_table].get(file_id, [])
                        if any(i in failed[target] for i in linked):
                            skip = True
                        fields[name] = [i if restore else ids[target].get(i, i) for i in linked]
                    if skip:
                        if file_id is not None:
                            failed[table].add(file_id)
                        continue
                    try:
                        if restore:
                            new_id = store.restore(
                                table,
                                fields,
                                row_id=int(r.values["id"]),
                                version=int(r.values["version"]),
                                created_at=str(r.values["created_at"]),
                                updated_at=str(r.values["updated_at"]),
                                updated_by=str(r.values["updated_by"]),
                            )
                        elif table == "programme" and existing_programme is not None:
                            result.notes.append(
                                f"{r.where}: programme kept: the database already holds "
                                f"{existing_programme['name']!r}"
                            )
                            if file_id is not None:
                                ids[table][file_id] = existing_programme["id"]
                            continue
                        else:
                            new_id = store.insert(
                                table, {k: v for k, v in fields.items() if v not in (None, "")}
                            )
                    except StoreError as exc:
                        problems.append(f"{r.where}: {exc}")
                        if file_id is not None:
                            failed[table].add(file_id)
                        continue
                    if file_id is not None:
                        ids[table][file_id] = new_id
                    later.extend(
                        (table, new_id, name, target, ref, r.where) for name, target, ref in deferred_links
                    )
                    n += 1
                result.counts[table] = n
            for table, new_id, name, target, ref, where in later:
                if ref in failed[target]:
                    continue
                try:
                    store.update(table, new_id, {name: f"{target}:#{ids[target][ref]}"})
                except StoreError as exc:
                    problems.append(f"{where}: {exc}")
            for link_table, (owner, _, own, _) in LINK_TABLES.items():
                for a, where in link_where[link_table].items():
                    if a not in ids[owner] and a not in failed[owner]:
                        problems.append(f"{where}: {own} {a} is not a {owner} in this import")
            if restore:
                try:
                    store.check_acyclic()
                except StoreError as exc:
                    problems.append(f"{'dependency' if 'cycle' in str(exc) else 'link'}: {exc}")
                audit = []
                for r in by_table["audit"]:
                    try:
                        audit.append(
                            {
                                **r.values,
                                "id": _int(r.values.get("id"), "id"),
                                "row_id": _int(r.values.get("row_id"), "row_id"),
                            }
                        )
                        store.restore_audit([audit[-1]])
                    except StoreError as exc:
                        problems.append(f"{r.where}: {exc}")
                result.counts["audit"] = len(by_table["audit"])
            elif by_table["audit"]:
                result.notes.append("history (audit) not merged: the database keeps its own")
            if problems:
                raise ImportFailed(problems)
    except ImportFailed as failure:
        failure.problems.sort(key=_problem_order)
        raise
    return result


def _problem_order(problem: str) -> tuple[str, int, str]:
    """file, then line number as a number (risk.csv:9 before risk.csv:14)."""
    m = re.match(r"([^:]*):(\d+):", problem)
    return (m.group(1), int(m.group(2)), problem) if m else (problem, 0, problem)


def _int_or_none(value: Any) -> int | None:
    try:
        return _int(value, "id")
    except ValidationError:
        return None


# ---------------------------------------------------------------------------- risk spreadsheets


def _norm(header: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", header.lower()).split())


RISK_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title", "risk", "risk title", "risk name", "name", "summary", "short description"),
    "owner": ("owner", "risk owner", "assigned to", "responsible", "owned by", "accountable"),
    "probability": (
        "probability",
        "likelihood",
        "prob",
        "p",
        "chance",
        "inherent probability",
        "inherent likelihood",
        "probability 1 5",
        "likelihood 1 5",
    ),
    "impact": (
        "impact",
        "severity",
        "i",
        "inherent impact",
        "inherent severity",
        "impact 1 5",
        "severity 1 5",
    ),
    "residual_probability": (
        "residual probability",
        "residual likelihood",
        "post mitigation probability",
        "post mitigation likelihood",
        "target likelihood",
        "target probability",
    ),
    "residual_impact": (
        "residual impact",
        "residual severity",
        "post mitigation impact",
        "post mitigation severity",
        "target impact",
    ),
    "project": ("project", "project code", "workstream", "project id"),
    "category": ("category", "risk category", "type", "risk type"),
    "kind": ("kind", "threat opportunity", "threat or opportunity"),
    "cause": ("cause", "causes", "root cause"),
    "event": ("event", "risk event", "description", "risk description", "detail", "details"),
    "effect": ("effect", "effects", "consequence", "consequences"),
    "response": ("response", "strategy", "response strategy", "treatment", "risk response", "response type"),
    "actions": (
        "actions",
        "action",
        "mitigation",
        "mitigations",
        "mitigation actions",
        "mitigating actions",
        "action plan",
        "response actions",
    ),
    "status": ("status", "state"),
    "review_date": ("review date", "next review", "next review date", "review by", "review"),
    "proximity": ("proximity", "timeframe", "when"),
}
_WORD_SCALE = {
    "very low": 1, "rare": 1, "negligible": 1, "insignificant": 1,
    "low": 2, "unlikely": 2, "minor": 2,
    "medium": 3, "med": 3, "moderate": 3, "possible": 3,
    "high": 4, "likely": 4, "major": 4, "significant": 4,
    "very high": 5, "almost certain": 5, "certain": 5, "severe": 5, "catastrophic": 5, "critical": 5,
}  # fmt: skip
_STATUS_WORDS = {"active": "open", "live": "open", "new": "open", "ongoing": "open", "identified": "open",
                 "resolved": "closed", "retired": "closed", "expired": "closed", "done": "closed"}  # fmt: skip


def risk_sheet_columns(header: Iterable[str]) -> dict[str, str] | None:
    """Spreadsheet header → risk field, or None if these are not the columns of a risk register."""
    norm = {h: _norm(h) for h in header}
    mapping: dict[str, str] = {}
    for fname, names in RISK_SYNONYMS.items():
        for h, n in norm.items():
            if n in names and h not in mapping:
                mapping[h] = fname
                break
    fields = set(mapping.values())
    if "title" not in fields and "event" in fields:  # only a description: it is the title
        h = next(h for h, f in mapping.items() if f == "event")
        mapping[h] = "title"
        fields = set(mapping.values())
    if {"title", "probability", "impact"} <= fields:
        return mapping
    return None


def _sheet_value(fname: str, raw: str) -> Any:
    text = raw.strip()
    if fname in ("probability", "impact", "residual_probability", "residual_impact"):
        low = _norm(text)
        if low in _WORD_SCALE:
            return _WORD_SCALE[low]
        m = re.fullmatch(r"(\d+)\s*(?:[-–:]\s*\D.*)?", text)  # "4 - Likely"
        return m.group(1) if m else text
    if fname == "status":
        return _STATUS_WORDS.get(text.lower(), text)
    return text


def _import_risk_sheet(
    store: Store, path: Path, header: list[str], records: list[_CsvRecord]
) -> ImportResult:
    mapping = risk_sheet_columns(header) or {}
    ignored = [h for h in header if h not in mapping and h.strip()]
    kind = KINDS["risk"]
    problems: list[str] = []
    prepared: list[tuple[str, dict[str, Any]]] = []
    for line, rec, _extra in records:
        where = f"{path.name}:{line}"
        fields = {}
        for h, fname in mapping.items():
            value = _sheet_value(fname, rec.get(h, "") or "")
            if value != "":
                fields[fname] = value
        bad = []
        for f in kind.fields:
            if f.type == "ref":
                continue
            try:
                coerce_field(f, fields.get(f.name))
            except ValidationError as exc:
                bad.append(str(exc))
        if bad:
            problems += [f"{where}: {m}" for m in bad]
            continue
        prepared.append((where, fields))
    result = ImportResult("risk sheet")
    if ignored:
        result.notes.append(f"{path.name}: ignored column(s): {', '.join(ignored)}")
    with _all_or_nothing(store, problems):
        for where, fields in prepared:
            try:
                store.insert("risk", fields)
            except StoreError as exc:
                problems.append(f"{where}: {exc}")
    result.counts["risk"] = len(prepared)
    return result


class _all_or_nothing:
    """One transaction; raise ImportFailed (rolling back) if any problem was found."""

    def __init__(self, store: Store, problems: list[str]) -> None:
        self.store, self.problems = store, problems

    def __enter__(self) -> None:
        self._cm = self.store.batch()
        self._cm.__enter__()

    def __exit__(self, *exc: Any) -> bool:
        if exc[0] is None and self.problems:
            try:
                raise ImportFailed(self.problems)
            except ImportFailed as failure:
                self._cm.__exit__(ImportFailed, failure, failure.__traceback__)
                raise
        return bool(self._cm.__exit__(*exc))
