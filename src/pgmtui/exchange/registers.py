"""Registers as people keep them: risk registers, issue logs and RAID logs, in CSV files or Excel
workbooks, turned into pgmtui records — and, imported again, updated in place.

What is read, and what is said about it (one note line per conversion):

- the header row, wherever it is (title rows, blank rows and a logo row above it are skipped), its
  headers matched by synonyms (columns.py); a refusal names each missing field and the headers
  that came close;
- the kind of each row: from the sheet's (or file's) name — Risks, Issues, Assumptions,
  Decisions, Actions, Dependencies — or, on one RAID sheet, from a Type column
  (R/A/I/D/Act, Risk/Issue/…; D alone is a decision, Dep a dependency);
- scores on any scale (scales.py), the mapping stated; the sheet's own score cross-checked
  against P×I and its level against pgmtui's band, with a warning where they disagree;
- status, priority and response words mapped to pgmtui's, with counts; unknown status words are
  read as open, and said so;
- dates as dates, as Excel serial numbers and as text (day first unless the column says
  otherwise), every bad one reported at its cell (`Issues!D7: 2026-02-30 is not a date`);
- text from columns pgmtui has no field for (Comments, Resolution, Contingency …) kept in the
  record's long text, headed by its column;
- the register's own IDs kept as external references: importing it again updates the records it
  made (added / updated / unchanged / gone).

All or nothing: every bad cell is reported and nothing is written unless all are good.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from pgmtui.exchange import scales
from pgmtui.exchange.columns import header_score, map_columns
from pgmtui.exchange.common import ImportResult, all_or_nothing, listed, norm
from pgmtui.exchange.refs import Wanted, sync
from pgmtui.exchange.rows import RISK_SIGNS, Options, RowReader, Sheet
from pgmtui.exchange.sheets import HEADER_SCAN_ROWS, Grid, is_blank_cell
from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import KINDS

if TYPE_CHECKING:
    from pgmtui.store import Store

__all__ = ["Options", "RegisterError", "import_register", "register_name"]

# Sheets that explain or summarise a register rather than hold it ("Risk Matrix", "Scoring guide"),
# and the lessons-learned log kept beside one (its Category column would read as a risk's).
NOT_A_REGISTER = re.compile(
    r"\b(lessons?|matrix|matrices|heat ?map|scoring|scales?|key|legend|guid(e|ance)|instructions?|help|how to|"
    r"lookups?|lists?|definitions?|criteria|dashboard|summary|charts?|pivot|read ?me|cover|contents|"
    r"version|change ?log|change ?requests?|template|settings|config)\b"
)


class RegisterError(ValidationError):
    def __init__(self, message: str) -> None:
        super().__init__("path", message)


# ---------------------------------------------------------------------------- entry point


def import_register(store: Store, path: Path, grids: list[Grid], options: Options) -> ImportResult:
    """Import the sheets of one file (a CSV file is one grid). All or nothing."""
    result = ImportResult("register", source=path.name, dry_run=options.dry_run)
    source = "register:" + (options.source or register_name(path))
    projects = _project_codes(store)
    if options.project and norm(options.project) not in projects:
        raise RegisterError(f"--project {options.project}: no such project (add it first, or give its code)")
    problems: list[str] = []
    wanted: list[Wanted] = []
    managed: set[str] = set()
    foreign = [g for g in grids if g.own_ids and g.origin != _identity(store)]
    for grid in foreign:
        grid.own_ids = False  # another database's ids mean nothing here: kept as references
    if foreign:
        result.notes.append(
            f"{path.name} is a pgmtui export from another database: its IDs are kept as references, "
            "not taken as this database's records"
        )
    sheets = []
    for grid in grids:
        sheet = _read_sheet(grid, result, single=len(grids) == 1)
        if sheet is not None:
            sheets.append(sheet)
    if not sheets:
        names = ", ".join(g.name for g in grids) or path.name
        raise RegisterError(
            f"{path.name}: no register found (sheets: {names}); name a sheet Risks, Issues, Assumptions, "
            "Decisions or Actions, or give one sheet a Type column"
        )
    for sheet in sheets:
        reader = RowReader(sheet, options, projects, result, problems)
        wanted.extend(reader.read())
        managed |= reader.kinds
    missing_ids = [w for w in wanted if not w.external_id and w.own_id is None]
    if missing_ids:
        result.notes.append(
            f"{len(missing_ids)} row(s) have no ID column value: importing the file again adds them again "
            f"({listed([w.where for w in missing_ids], 4)})"
        )
    with all_or_nothing(store, problems, dry_run=options.dry_run):
        order = {k: i for i, k in enumerate(KINDS)}
        wanted.sort(key=lambda w: order.get(w.kind, 99))  # stable: file order within a kind
        if not problems:
            sync(
                store,
                source,
                wanted,
                result,
                problems,
                managed=managed,
                prune=options.prune,
                what="the register",
            )
    if any(w.external_id for w in wanted):
        result.notes.append(
            f"IDs kept as references of register {source[9:]!r}: import it again (or with --source) to update in place"
        )
    return result


def _identity(store: Store) -> str:
    from pgmtui.exchange.xlsx import database_identity

    return database_identity(store)


def register_name(path: Path) -> str:
    """The register a file is a copy of: its name without version, date and copy marks, so that
    'RAID Log v3 (final).xlsx' updates what 'RAID_Log_v2.xlsx' made."""
    stem = path.stem.lower().replace("_", " ")
    stem = re.sub(r"\(\d+\)|\bcopy( of)?\b|\b(final|draft|latest|updated?|new|old)\b", " ", stem)
    stem = re.sub(r"\b(v|ver|version|rev|issue)\s*\d+(\.\d+)*\b", " ", stem)
    stem = re.sub(r"\b\d{4}[-. ]?\d{2}[-. ]?\d{2}\b|\b\d{1,2}[-. ]\d{1,2}[-. ]\d{2,4}\b", " ", stem)
    return norm(stem) or norm(path.stem) or "register"


def _project_codes(store: Store) -> dict[str, str]:
    """norm(code or name) → code, for the Project column."""
    out: dict[str, str] = {}
    for row in store.rows("project"):
        out.setdefault(norm(row["name"]), row["code"])
    for row in store.rows("project"):
        out[norm(row["code"])] = row["code"]
    return out


# ---------------------------------------------------------------------------- sheets


def _read_sheet(grid: Grid, result: ImportResult, *, single: bool) -> Sheet | None:
    """Find the header row and the kind of a grid; None (with a note) for a sheet that is not a
    register (instructions, lookups, a matrix)."""
    named = scales.kind_of_name(Path(grid.name).stem if grid.source == "csv" else grid.name)
    if grid.hidden:
        result.notes.append(f"sheet {grid.name!r} skipped: it is hidden")
        return None
    if not single and NOT_A_REGISTER.search(norm(grid.name)):
        result.notes.append(f"sheet {grid.name!r} skipped: its name says it is not a register")
        return None
    best, best_score = None, 0
    for i, (_, cells) in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        score = header_score(cells)
        if score > best_score:
            best, best_score = i, score
    if best is None or best_score < 2:
        if single:
            raise RegisterError(
                f"{grid.name}: no header row found (looked for a row naming at least two of Title, Owner, "
                "Likelihood, Impact, Status, Due date … in the first rows)"
            )
        if grid.rows:
            result.notes.append(f"sheet {grid.name!r} skipped: no header row of a register")
        return None
    header_number, header = grid.rows[best]
    group = grid.rows[best - 1][1] if best > 0 and grid.rows[best - 1][0] == header_number - 1 else None
    kind = named
    mapping = map_columns(header, kind, group)
    if kind is None:
        types = mapping.of("type") or mapping.of("category")
        values = [
            cells[types.index] for _, cells in grid.rows[best + 1 :] if types and types.index < len(cells)
        ]
        typed = [v for v in values if not is_blank_cell(v)]
        if types and typed and sum(scales.kind_of_type(v) is not None for v in typed) >= 0.6 * len(typed):
            if types.field == "category":
                types.field = "type"
        elif mapping.fields() & RISK_SIGNS:
            kind = "risk"
            mapping = map_columns(header, kind, group)
        else:
            if single:
                raise RegisterError(
                    f"{grid.name}: cannot tell what the rows are: name the file after its kind "
                    "(risks.csv, issues.csv …), add a Type column (Risk, Issue, Assumption, Decision, Action), "
                    "or give Likelihood and Impact columns for risks"
                )
            result.notes.append(
                f"sheet {grid.name!r} skipped: its name names no kind and it has no Type column"
            )
            return None
    for note in mapping.notes:
        result.notes.append(f"{grid.name}: {note}")
    return Sheet(grid, header_number, mapping, kind, grid.rows[best + 1 :], single)
