"""Data in and out of pgmtui.

- tables.py    pgmtui's own tables as CSV files or one JSON document (export, restore, add);
- registers.py risk registers and RAID logs kept in CSV files and Excel workbooks (columns by
               synonyms, scales and status words mapped and stated, rows routed by type);
- mspdi.py     MS Project plans saved as XML (MSPDI), parsed with defusedxml; plan.py turns a plan
               into projects, milestones and dependencies;
- refs.py      external references: re-importing a plan or a register updates in place;
- xlsx.py      the Excel export (typed cells, never a formula);
- importing.py `import_path`: which of the above a file is.

Every import is all or nothing (one transaction) and `dry_run` rolls it back after reporting
what it would have done.
"""

from pgmtui.exchange.common import ImportFailed, ImportResult, Tally
from pgmtui.exchange.importing import ImportOptions, import_path
from pgmtui.exchange.tables import EXPORT_TABLES, FORMAT_NAME, export, export_tables

__all__ = [
    "EXPORT_TABLES",
    "FORMAT_NAME",
    "ImportFailed",
    "ImportOptions",
    "ImportResult",
    "Tally",
    "export",
    "export_tables",
    "import_path",
]
