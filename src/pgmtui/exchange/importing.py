"""`import_path`: what a file is, and which importer reads it.

- a folder, a .json file, or a CSV named after a pgmtui table with pgmtui's columns: a pgmtui
  export (tables.py);
- an .xml file: an MS Project plan saved as XML (mspdi.py, plan.py); needs the project it goes
  into (`project`), unless an earlier import of the same plan says which;
- a CSV with a project column and month columns (2027-03, Mar 2027): a cost sheet
  (pgmtui.costsheet);
- an .xlsx/.xlsm workbook, or any other CSV: a register or RAID log (registers.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pgmtui.exchange.common import ImportResult
from pgmtui.records.errors import ValidationError

if TYPE_CHECKING:
    from pgmtui.store import Store

SPREADSHEET_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class ImportOptions:
    project: str | None = None  # --project CODE: the plan's project; a register's default project
    phases: bool = True  # --no-phases: outline-level-1 summary tasks are not milestones
    dry_run: bool = False  # --dry-run: say what would happen, write nothing
    prune: bool = False  # --prune: delete records an earlier import made that the file no longer has
    impact_bands: tuple[str, ...] = ()  # --impact-bands: thresholds for money/day impacts
    source: str | None = None  # --source NAME: the register's name for in-place re-imports


def import_path(store: Store, path: str | Path, options: ImportOptions | None = None) -> ImportResult:
    """Import a file or folder (see the module docstring). All or nothing: raises ImportFailed
    listing every problem, and then nothing has been written."""
    options = options or ImportOptions()
    path = Path(path)
    if not path.exists():
        raise ValidationError("path", f"{path} does not exist")
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".json":
        _only(options, path, "a pgmtui export")
        from pgmtui.exchange.tables import import_tables

        return import_tables(store, path, dry_run=options.dry_run)
    if suffix == ".xml":
        if options.impact_bands or options.source:
            raise ValidationError(
                "path", f"{path.name}: --impact-bands and --source are for registers, not plans"
            )
        from pgmtui.exchange.plan import import_plan

        return import_plan(store, path, project=options.project, phases=options.phases,
                           dry_run=options.dry_run, prune=options.prune)  # fmt: skip
    if not options.phases:
        raise ValidationError("path", "--no-phases is for MS Project plans (.xml)")
    if suffix in WORKBOOK_SUFFIXES:
        from pgmtui.exchange.sheets import read_workbook

        return _register(store, path, read_workbook(path), options)
    if suffix in SPREADSHEET_SUFFIXES:
        from pgmtui.exchange.sheets import read_csv_grid
        from pgmtui.exchange.tables import import_tables, is_table_csv, read_table_csv

        grid = read_csv_grid(path)
        header = [str(c) for c in grid.rows[0][1]] if grid.rows and grid.rows[0][0] == 1 else []
        if header and is_table_csv(path, header):
            _only(options, path, "a pgmtui table")
            read_table_csv(path)  # refuses duplicate columns, as an export never has them
            return import_tables(store, path, dry_run=options.dry_run)
        from pgmtui.costsheet import import_cost_grid, is_cost_sheet

        if header and is_cost_sheet(header):  # money by month and category (issue 14)
            _only(options, path, "a cost sheet")
            return import_cost_grid(store, path, grid, dry_run=options.dry_run)
        return _register(store, path, [grid], options)
    if suffix in (".xls", ".ods", ".mpp"):
        what = (
            "an MS Project file: save it as XML (File › Save As › XML)"
            if suffix == ".mpp"
            else ("an old-style or OpenDocument workbook: save it as .xlsx")
        )
        raise ValidationError("path", f"{path.name}: {what}")
    raise ValidationError(
        "path",
        f"{path.name}: import reads a folder of CSV files, a .json export, a .csv or .xlsx register, "
        "or an MS Project .xml plan",
    )


def _only(options: ImportOptions, path: Path, what: str) -> None:
    if options.project or options.prune or options.impact_bands or options.source or not options.phases:
        raise ValidationError(
            "path",
            f"{path.name} is {what}: --project, --prune, --impact-bands, --source and --no-phases do not apply",
        )


def _register(store: Store, path: Path, grids: list, options: ImportOptions) -> ImportResult:
    from pgmtui.exchange.registers import Options, import_register
    from pgmtui.exchange.scales import parse_bands

    bands: dict[str, tuple[float, ...]] = {}
    for text in options.impact_bands:
        unit, sep, rest = text.partition("=")
        key = unit.strip().lower() if sep else "any"
        if key not in ("money", "days", "any"):
            raise ValidationError(
                "impact_bands", f"--impact-bands {text!r}: write money=…, days=… or just the four bounds"
            )
        try:
            bands[key] = parse_bands(rest if sep else text)
        except ValueError as exc:
            raise ValidationError("impact_bands", str(exc)) from None
    return import_register(
        store,
        path,
        grids,
        Options(project=options.project, impact_bands=bands, source=options.source, dry_run=options.dry_run,
                prune=options.prune),
    )  # fmt: skip
