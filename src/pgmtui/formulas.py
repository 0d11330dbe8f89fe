"""Formula injection: text that a spreadsheet would run as a formula is never exported as one.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula (or
becomes one) in Excel, LibreOffice and Google Sheets: `=HYPERLINK(...)`, `=cmd|' /C calc'!A0`,
`@SUM(...)`. The rule, in one place for every export (CSV now; xlsx writes such text as a string
cell and can ask :func:`is_formula_like`):

- CSV export writes such text with a leading apostrophe (`'=1+1`), which spreadsheets show as text;
- text that itself starts with an apostrophe gets one more (`'quoted` → `''quoted`), so that
- the CSV import strips exactly one leading apostrophe and export → import → export is byte-identical.

Numbers in numeric fields are numbers, not text: a lag of -5 days is exported as -5.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r")
TEXT_MARK = "'"


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as a formula?"""
    return text[:1] in FORMULA_STARTS


def formula_safe(text: str) -> str:
    """Text as written into a CSV cell (see the module docstring)."""
    if text[:1] in FORMULA_STARTS or text[:1] == TEXT_MARK:
        return TEXT_MARK + text
    return text


def from_formula_safe(cell: str) -> str:
    """A CSV cell read back: one leading apostrophe removed (the inverse of formula_safe)."""
    return cell[1:] if cell[:1] == TEXT_MARK else cell
