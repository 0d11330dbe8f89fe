"""pgmtui's own tables, out and back: every table as CSV files or one JSON document. No SQL here:
reads go through `Store.rows/audit`, writes through `Store.insert` (new records) or `Store.restore`
(a faithful reload into an empty database).

Export format
-------------
CSV: one file per table in DIR — every record kind's table (programme, project, milestone, …,
action, lesson), each link table right after its owner (benefit_project: benefit → projects,
stakeholder_project: stakeholder → projects), audit (the change history the stand-up and risk
trends are computed from) and external_ref (which record an MS Project task or a register row
became, for in-place re-imports). Columns are the database's:
``id, version, created_at, updated_at, updated_by`` then the record's fields, references as
``<name>_id``. Empty cell = no value. Text that a spreadsheet would run as a formula gets a leading
apostrophe (pgmtui.formulas), which the import removes again. JSON: one document ``{"format": "pgmtui-export", "version": 1,
"tables": {table: [row, …]}}`` holding the same tables, one row per line.

Import
------
- Into an EMPTY database, a full export is restored exactly: same ids, versions, stamps, audit
  trail and external references, so export → import → export gives identical files.
- Into a database that already holds records, every record is added as a new one (new id, version 1,
  audited as an insert by you); references between imported rows follow their new ids (links
  `kind:id` too: one to a record imported later is set by an update once that record is in), and a
  reference to an id not in the import means the database's own record. The programme row is kept
  as it is and the file's audit trail is not merged (the database has its own history).

Every row is validated by the store; every bad row is reported as ``file:line: message`` and nothing
is written unless every row is good (one transaction).
"""

from __future__ import annotations

import csv
import io
import json
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from pgmtui.exchange.common import ImportFailed, ImportResult, all_or_nothing, problem_order
from pgmtui.formulas import formula_safe, from_formula_safe
from pgmtui.outfiles import ensure_folder, write_file
from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import coerce_field, column_for
from pgmtui.store import KINDS, Store, StoreError

__all__ = [
    "EXPORT_TABLES",
    "FORMAT_NAME",
    "export",
    "export_tables",
    "import_tables",
    "is_table_csv",
    "read_table_csv",
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
    "external_ref",
)
REF_COLUMNS = ("source", "external_id", "kind", "row_id")
AUDIT_COLUMNS = (
    "id",
    "ts",
    "user",
    "tbl",
    "row_id",
    "action",
    "changes",
    "undoes",
)  # undoes: see store/undo.py


# ---------------------------------------------------------------------------- export


def _columns(table: str) -> list[str]:
    if table in LINK_TABLES:
        return list(LINK_TABLES[table][2:])
    if table == "audit":
        return list(AUDIT_COLUMNS)
    if table == "external_ref":
        return list(REF_COLUMNS)
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
        elif table == "external_ref":
            out[table] = store.all_external_refs()
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
    """Write the export: CSV files into folder `target` (created if missing) or, for json and xlsx,
    one file (`target` is a folder → `pgmtui-export.json`/`.xlsx` in it; else the file itself).
    Returns the files.

    Every file goes through pgmtui.outfiles (private 0600 files in 0700 folders, 0660/0770 when
    `shared`; written safely, never through a planted link). Text cells that a spreadsheet would
    run as a formula are written with a leading apostrophe (pgmtui.formulas)."""
    target = Path(target)
    if fmt == "xlsx":
        from pgmtui.exchange.xlsx import export_workbook

        return [export_workbook(store, target, shared=shared)]
    data = export_tables(store)
    if fmt == "json":
        path = target / "pgmtui-export.json" if target.is_dir() or not target.suffix else target
        ensure_folder(path.parent, shared=shared)
        return [write_file(path, _json_document(data), shared=shared)]
    if fmt != "csv":
        raise ValidationError("format", f"format must be csv, json or xlsx, got {fmt!r}")
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


def is_table_csv(path: Path, header: list[str]) -> bool:
    """Is this CSV one of pgmtui's own tables (named after its table, with pgmtui's columns)?"""
    table = path.stem.lower()
    if table not in EXPORT_TABLES:
        return False
    known = set(_columns(table))
    if table in LINK_TABLES or table == "external_ref":
        return set(header) <= known
    return "id" in header and ("version" in header or set(header) <= known | {"projects"})


def read_table_csv(path: Path) -> tuple[list[str], list[_CsvRecord]]:
    return _read_csv(path)


def import_tables(store: Store, path: Path, *, dry_run: bool = False) -> ImportResult:
    """Import a pgmtui export (a CSV folder or a JSON file) or one table's CSV.
    All or nothing: raises ImportFailed listing every bad row, and then nothing has been written."""
    if path.is_dir():
        rows, problems = _rows_from_folder(path)
    elif path.suffix.lower() == ".json":
        rows, problems = _rows_from_json(path)
    else:
        header, records = _read_csv(path)
        rows, problems = _rows_from_table_csv(path, path.stem.lower(), header, records)
    result = _load(store, rows, problems, dry_run=dry_run)
    result.dry_run = dry_run
    return result


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
    if row.table in ("audit", "external_ref") or row.table in LINK_TABLES:
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


def _load(store: Store, rows: list[_Row], problems: list[str], *, dry_run: bool = False) -> ImportResult:
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
        with all_or_nothing(store, problems, dry_run=dry_run):
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
            _load_external_refs(store, by_table["external_ref"], ids, restore, problems, result)
    except ImportFailed as failure:
        failure.problems.sort(key=problem_order)
        raise
    return result


def _load_external_refs(
    store: Store,
    rows: list[_Row],
    ids: dict[str, dict[int, int]],
    restore: bool,
    problems: list[str],
    result: ImportResult,
) -> None:
    """External references follow their records: same ids in a restore, the new ids when added.
    In a database that already knows a reference, the database's own stays (a note says so)."""
    refs, kept = [], 0
    for r in rows:
        v = r.values
        kind, source, ext = (
            str(v.get("kind") or ""),
            str(v.get("source") or ""),
            str(v.get("external_id") or ""),
        )
        try:
            row_id = _int(v.get("row_id"), "row_id")
            if row_id is None or kind not in KINDS:
                raise ValidationError(
                    "kind", f"an external reference needs a kind and a row_id, got {kind!r}"
                )
        except ValidationError as exc:
            problems.append(f"{r.where}: {exc}")
            continue
        if not restore:
            if row_id not in ids.get(kind, {}) or (kind, ext) in store.external_refs(source):
                kept += 1
                continue
            row_id = ids[kind][row_id]
        refs.append((r.where, (source, ext, kind, row_id)))
    for where, ref in refs:
        try:
            store.set_external_refs([ref])
        except StoreError as exc:
            problems.append(f"{where}: {exc}")
    if refs:
        result.counts["external_ref"] = len(refs)
    if kept:
        result.notes.append(f"{kept} external reference(s) not added: the database already has them")


def _int_or_none(value: Any) -> int | None:
    try:
        return _int(value, "id")
    except ValidationError:
        return None
