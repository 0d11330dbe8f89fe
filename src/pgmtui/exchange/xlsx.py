"""The Excel export: one workbook, a sheet per kind of record, cells typed as people expect them
(dates as dates, money and percentages as numbers with their formats, RAG as words), the header
frozen and filterable, columns as wide as their content. Also one sheet from a screen's register
(`register_bytes`: the risks or RAID items a screen shows).

Text is always written as a string cell, never a formula: a title such as `=HYPERLINK(…)` or
`+44 20 …` stays text in Excel, LibreOffice and Google Sheets (the cell is an inline string, and
text that a spreadsheet would read as a formula (pgmtui.formulas) also gets Excel's quote prefix,
so editing the cell keeps it text). Files go through pgmtui.outfiles (private, written safely).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pgmtui import clock
from pgmtui.formulas import is_formula_like
from pgmtui.outfiles import ensure_folder, write_file
from pgmtui.records.fields import KINDS, Kind, column_for

if TYPE_CHECKING:
    from pgmtui.store import Store

MAX_WIDTH, MIN_WIDTH = 60, 6
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}
RAG_FILLS = {"R": "F4B6B6", "A": "FCE4B6", "G": "C6E7C6"}
BAND_FILLS = {"Critical": "F4B6B6", "High": "FCE4B6", "Medium": "FFF2CC", "Low": "C6E7C6"}
FORMATS = {
    "date": "yyyy-mm-dd",
    "timestamp": "yyyy-mm-dd hh:mm",
    "money": "#,##0.00",
    "real": "#,##0.##",
    "percent": "0%",
}


@dataclass(frozen=True)
class Col:
    """One column: its header and how its cells are typed (a field type, or rag/band/timestamp)."""

    header: str
    type: str = "text"


@dataclass
class Sheet:
    title: str
    columns: Sequence[Col]
    rows: list[list[Any]]


def export_workbook(store: Store, target: Path, *, shared: bool = False) -> Path:
    """Write every kind to one workbook: `target` itself when it ends in .xlsx, else
    `pgmtui-export.xlsx` in folder `target` (created if missing)."""
    path = (
        target if target.suffix.lower() == ".xlsx" and not target.is_dir() else target / "pgmtui-export.xlsx"
    )
    ensure_folder(path.parent, shared=shared)
    return write_file(
        path, workbook_bytes(store_sheets(store), origin=database_identity(store)), shared=shared
    )


def database_identity(store: Store) -> str:
    """Which database an export came from: its programme's id and creation stamp. An edited export
    imports back in place (its IDs are records' ids) only into the database it came from."""
    programme = store.programme()
    return f"pgmtui:{programme['id']}:{programme['created_at']}" if programme else "pgmtui:no programme"


# ---------------------------------------------------------------------------- the store's sheets


def store_sheets(store: Store) -> list[Sheet]:
    from pgmtui.services import rollup_of

    data = store.read_all()
    tables, programme = data["tables"], data["programme"]
    labels = record_labels(tables, programme)
    rag = {p.project_id: p.rag for p in rollup_of(store, clock.today()).projects}
    # Each link table's lists ({owner id: [linked ids]}), e.g. a benefit's projects.
    links = data.get("links") or {"benefit_project": data["benefit_links"]}
    sheets = []
    for kind in KINDS.values():
        rows = ([programme] if programme else []) if kind.name == "programme" else tables.get(kind.table, [])
        sheets.append(record_sheet(kind, rows, labels, links, rag))
    return sheets


def record_sheet(
    kind: Kind,
    rows: Iterable[dict[str, Any]],
    labels: dict[str, dict[int, str]],
    links: dict[str, dict[int, list[int]]] | None = None,
    rag: dict[int, Any] | None = None,
) -> Sheet:
    """One kind's records as a sheet: the id, every field (references by code or name), the
    figures people look for (a project's RAG, a risk's scores and bands), and who changed it last."""
    from pgmtui.domain.risk import DEFAULT_BANDS

    fields = list(kind.fields)
    columns = [Col("ID", "int"), *(Col(f.title, _type(f.type)) for f in fields)]
    if kind.name == "project" and rag is not None:
        columns += [Col("RAG", "rag"), Col("RAG evidence")]
    elif kind.name == "risk":
        columns += [
            Col("Score", "int"),
            Col("Band", "band"),
            Col("Residual score", "int"),
            Col("Residual band", "band"),
        ]
    columns += [Col("Updated", "timestamp"), Col("Updated by")]
    out = []
    for row in rows:
        values: list[Any] = [row["id"]]
        values += [_value(kind, f, row, labels, links or {}) for f in fields]
        if kind.name == "project" and rag is not None:
            result = rag.get(row["id"])
            evidence = "; ".join(e.text for e in result.evidence) if result and result.evidence else None
            values += [result.label if result else None, evidence]
        elif kind.name == "risk":
            score = row["probability"] * row["impact"]
            residual = (row.get("residual_probability") or row["probability"]) * (
                row.get("residual_impact") or row["impact"]
            )
            values += [score, DEFAULT_BANDS.band(score), residual, DEFAULT_BANDS.band(residual)]
        values += [row.get("updated_at"), row.get("updated_by")]
        out.append(values)
    return Sheet(_title(kind), columns, out)


def register_bytes(
    kind: str, rows: Sequence[dict[str, Any]], tables: dict[str, list[dict[str, Any]]]
) -> bytes:
    """A screen's register (the risks or RAID items it shows, in its order) as one workbook."""
    return workbook_bytes([record_sheet(KINDS[kind], rows, record_labels(tables, None))])


def register_filename(kind: str, today: date) -> str:
    return f"{kind}-register-{today.isoformat()}.xlsx"


def _title(kind: Kind) -> str:
    words = kind.name.replace("_", " ")
    if kind.name == "programme":
        plural = words
    elif kind.name == "person":
        plural = "people"
    elif words.endswith("y"):
        plural = words[:-1] + "ies"
    else:
        plural = words + ("es" if words.endswith("s") else "s")
    return plural[:1].upper() + plural[1:]


def _type(field_type: str) -> str:
    return field_type if field_type in ("date", "money", "real", "percent", "int", "bool", "rag") else "text"


def record_labels(
    tables: dict[str, list[dict[str, Any]]], programme: dict[str, Any] | None
) -> dict[str, dict[int, str]]:
    """How a reference is shown: a project by its code, a milestone as CODE:name, others by name."""
    codes = {p["id"]: p["code"] for p in tables.get("project", [])}
    out: dict[str, dict[int, str]] = {"project": codes}
    for kind in KINDS.values():
        if kind.name in ("project", "programme"):
            continue
        rows = tables.get(kind.table, [])
        if kind.name == "milestone":
            out[kind.name] = {m["id"]: f"{codes.get(m['project_id'], '?')}:{m['name']}" for m in rows}
        elif kind.display != "id":
            out[kind.name] = {r["id"]: str(r.get(kind.display)) for r in rows}
    if programme:
        out["programme"] = {programme["id"]: programme["name"]}
    return out


def _value(
    kind: Kind,
    f: Any,
    row: dict[str, Any],
    labels: dict[str, dict[int, str]],
    links: dict[str, dict[int, list[int]]],
) -> Any:
    if f.type == "refs":
        table = kind.links[f.name][0] if f.name in kind.links else ""
        ids = links.get(table, {}).get(row["id"]) or row.get(f.name) or []
        return ", ".join(labels.get(f.ref, {}).get(i, f"#{i}") for i in sorted(ids)) or None
    value = row.get(column_for(f))
    if f.type == "ref" and value is not None:
        return labels.get(f.ref, {}).get(value, f"#{value}")
    return value


# ---------------------------------------------------------------------------- writing


def workbook_bytes(sheets: Sequence[Sheet], *, origin: str = "") -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook(write_only=True)
    wb.properties.creator = "pgmtui"
    wb.properties.title = "pgmtui export"
    wb.properties.identifier = origin or None
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E78")
    fills = {k: PatternFill("solid", fgColor=v) for k, v in {**RAG_FILLS, **BAND_FILLS}.items()}
    wrap = Alignment(wrap_text=True, vertical="top")
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_name(sheet.title, used))
        cells = [[_cell_value(c, v) for c, v in zip(sheet.columns, row, strict=False)] for row in sheet.rows]
        for i, col in enumerate(sheet.columns):
            ws.column_dimensions[get_column_letter(i + 1)].width = _width(
                col, [r[i] for r in cells if i < len(r)]
            )
        ws.freeze_panes = "A2"
        header = []
        for col in sheet.columns:
            cell = WriteOnlyCell(ws, value=col.header)
            cell.data_type = "s"
            cell.font, cell.fill = header_font, header_fill
            header.append(cell)
        ws.append(header)
        for row in cells:
            out = []
            for col, value in zip(sheet.columns, row, strict=False):
                if _plain(col, value):
                    out.append(value)  # nothing to say about it: written as it is, cheaply
                    continue
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a string, whatever it starts with: never a formula
                    if is_formula_like(value) or value.startswith("'"):
                        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
                    if "\n" in value:
                        cell.alignment = wrap
                fmt = FORMATS.get(col.type)
                if fmt and value is not None and not isinstance(value, str):
                    cell.number_format = fmt
                key = value.rstrip("*")[:1] if col.type == "rag" and isinstance(value, str) else value
                if col.type in ("rag", "band") and key in fills:
                    cell.fill = fills[key]
                if col.type == "rag" and isinstance(value, str):
                    cell.value = RAG_WORDS.get(value.rstrip("*"), value) + (
                        "*" if value.endswith("*") else ""
                    )
                    cell.data_type = "s"
                out.append(cell)
            ws.append(out)
        if sheet.columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(1, len(cells) + 1)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _plain(col: Col, value: Any) -> bool:
    """A value that needs no cell of its own: no number format, no fill, and (for text) nothing a
    spreadsheet could take for a formula — openpyxl writes a str starting with '=' as one."""
    if value is None:
        return True
    if col.type in ("rag", "band") or col.type in FORMATS:
        return False
    if isinstance(value, str):
        return not (is_formula_like(value) or value.startswith("'") or "\n" in value)
    return isinstance(value, (int, float, bool))


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:31] or "Sheet"
    base, n = name, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def _cell_value(col: Col, value: Any) -> Any:
    """A stored value as the cell's value: ISO dates as dates, stamps as date-times, percentages as
    fractions (shown with %), booleans as TRUE/FALSE; text as it is."""
    if value is None or value == "":
        return None
    if col.type == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    if col.type == "timestamp" and isinstance(value, str):
        try:
            return datetime.fromisoformat(value.rstrip("Z")[:26]).replace(microsecond=0)
        except ValueError:
            return value
    if col.type == "percent" and isinstance(value, (int, float)):
        return value / 100
    if col.type == "bool":
        return bool(value)
    return value


def _width(col: Col, values: list[Any]) -> float:
    lengths = [len(col.header) + 2]
    for v in values[:2000]:  # enough rows to judge a column's width
        if v is None:
            continue
        if isinstance(v, datetime):
            lengths.append(16)
        elif isinstance(v, date):
            lengths.append(10)
        elif isinstance(v, float):
            lengths.append(len(f"{v:,.2f}"))
        else:
            lengths.append(max((len(line) for line in str(v).splitlines()), default=0))
    return float(max(MIN_WIDTH, min(MAX_WIDTH, max(lengths) + 1)))
