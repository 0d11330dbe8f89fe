"""Reading spreadsheets as grids of cells: CSV files (any of the usual encodings and separators) and
Excel workbooks (openpyxl, read-only, the values the sheet last calculated). A grid knows how to
name a place in it the way its user would: `risks.csv:47` or `Issues!D7`.

Workbooks are read with openpyxl in read-only mode with cached values (`data_only`): a formula is
never evaluated here, and its last calculated value is what the sheet showed. openpyxl parses the
workbook's XML with defusedxml when it is installed (it is a dependency of pgmtui), so entity
tricks inside a workbook are refused as they are in MS Project files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pgmtui.formulas import FORMULA_STARTS, TEXT_MARK
from pgmtui.records.errors import ValidationError

MAX_ROWS = 200_000  # per sheet: a register, not a data warehouse
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # a workbook that inflates beyond this is refused unread
HEADER_SCAN_ROWS = 40  # the header row is looked for among the first rows holding something


@dataclass
class Grid:
    """One sheet (or CSV file): its non-blank rows as (row number, cells), cells as read."""

    name: str
    source: str  # "csv" or "xlsx"
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    hints: dict[int, set[str]] = field(default_factory=dict)  # column → "percent", "money", "date"
    epoch: datetime | None = None
    hidden: bool = False
    own_ids: bool = False  # a sheet of pgmtui's own Excel export: its ID column holds record ids
    origin: str = ""  # which database that export came from (pgmtui's xlsx export says)

    def at(self, row: int, col: int | None = None) -> str:
        """Where a cell (or, without `col`, a row) is, as its user would look for it."""
        if self.source == "csv":
            return f"{self.name}:{row}"
        if col is None:
            return f"{self.name} row {row}"
        return f"{self.name}!{column_letter(col)}{row}"

    def column_name(self, col: int) -> str:
        return column_letter(col) if self.source == "xlsx" else f"column {col + 1}"


def column_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def is_blank_cell(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------- CSV


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, else Windows-1252 (Excel's 'CSV')."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "path",
                f"{name}: neither UTF-8 nor Windows-1252 text (byte 0x{raw[exc.start]:02x} at offset "
                f"{exc.start}); save it as CSV UTF-8",
            ) from None


def _delimiter(text: str) -> str:
    """Comma, or the semicolon/tab/pipe that European Excel and other tools write instead: the
    one that splits the first lines most consistently into more than one cell."""
    sample = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", 0
    for delimiter in (",", ";", "\t", "|"):
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        common = max(set(wide), key=wide.count)
        score = wide.count(common) * 100 + common
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_grid(path: Path) -> Grid:
    """A CSV file as a grid: lines as the file numbers them (a quoted cell spanning lines keeps its
    first line), blank lines dropped, a leading apostrophe before formula text removed."""
    text = decode_text(path.read_bytes(), path.name)
    grid = Grid(path.name, "csv")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            grid.rows.append((start, [_unmark(c) for c in cells]))
            if len(grid.rows) > MAX_ROWS:
                raise ValidationError("path", f"{path.name}: more than {MAX_ROWS} rows; split the file")
    except csv.Error as exc:
        where = f"{path.name}:{reader.line_num}"
        if "field larger than field limit" in str(exc):
            raise ValidationError(
                "path", f"{where}: a cell is longer than {csv.field_size_limit()} characters"
            ) from None
        raise ValidationError("path", f"{where}: not a readable CSV file ({exc})") from None
    return grid


def _unmark(cell: str) -> str:
    """pgmtui's CSV export writes formula-like text with a leading apostrophe: take it off again
    (only there: "'Tis" keeps its apostrophe)."""
    if cell[:1] == TEXT_MARK and (cell[1:2] in FORMULA_STARTS or cell[1:2] == TEXT_MARK):
        return cell[1:]
    return cell


# ---------------------------------------------------------------------------- xlsx


def read_workbook(path: Path) -> list[Grid]:
    """Every worksheet of an .xlsx/.xlsm workbook as a grid (hidden sheets flagged)."""
    _check_archive(path)
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(
            "path", f"{path.name}: not a readable Excel workbook ({type(exc).__name__}: {exc})"
        ) from None
    except Exception as exc:  # defusedxml refusals and malformed parts surface as many types
        raise ValidationError(
            "path", f"{path.name}: cannot read the workbook ({type(exc).__name__}: {exc})"
        ) from None
    grids = []
    try:
        epoch = getattr(wb, "epoch", None)
        ours = wb.properties.creator == "pgmtui" and wb.properties.title == "pgmtui export"
        origin = str(wb.properties.identifier or "") if ours else ""
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            hidden = getattr(ws, "sheet_state", "visible") != "visible"
            grid = Grid(ws.title, "xlsx", epoch=epoch, hidden=hidden, own_ids=ours, origin=origin)
            ws.reset_dimensions()  # some writers record a wrong used range; read what is there
            for number, row in enumerate(ws.iter_rows(min_row=1), start=1):
                cells = [_xlsx_value(grid, col, cell) for col, cell in enumerate(row)]
                if all(is_blank_cell(c) for c in cells):
                    continue
                grid.rows.append((number, cells))
                if len(grid.rows) > MAX_ROWS:
                    raise ValidationError(
                        "path", f"{path.name}: sheet {ws.title!r} has more than {MAX_ROWS} rows"
                    )
            grids.append(grid)
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(
            "path", f"{path.name}: cannot read the workbook ({type(exc).__name__}: {exc})"
        ) from None
    finally:
        wb.close()
    return grids


def _check_archive(path: Path) -> None:
    """An .xlsx is a zip archive: refuse one that is not, or that would inflate past the limit
    (a zip bomb), before any of it is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise ValidationError(
            "path",
            f"{path.name}: not an Excel workbook (.xlsx); a password-protected or old .xls file "
            "must be saved as .xlsx first",
        ) from None
    if total > MAX_UNPACKED_BYTES:
        raise ValidationError(
            "path",
            f"{path.name}: the workbook unpacks to {total // 2**20} MB, more than pgmtui reads "
            f"({MAX_UNPACKED_BYTES // 2**20} MB)",
        )
    if "xl/workbook.xml" not in names:
        raise ValidationError("path", f"{path.name}: a zip file but not an Excel workbook")


def _xlsx_value(grid: Grid, col: int, cell: Any) -> Any:
    value = getattr(cell, "value", None)
    if value is None:
        return None
    fmt = (getattr(cell, "number_format", None) or "").lower()
    if isinstance(value, datetime):
        grid.hints.setdefault(col, set()).add("date")
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if "%" in fmt:
            grid.hints.setdefault(col, set()).add("percent")
            return f"{value * 100:.10g}%"
        if any(sign in fmt for sign in ("£", "$", "€", "[$")):
            grid.hints.setdefault(col, set()).add("money")
        return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, str):
        return value
    return str(value)  # times, durations
