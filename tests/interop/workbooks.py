"""Workbooks as people keep them, built for the tests with openpyxl: title rows merged above the
header, group headers (Inherent / Residual), blank rows, number formats (dates, percentages,
pounds), dates typed as text and left as serial numbers, formulas with the values Excel last
calculated (openpyxl cannot calculate, so `cached` writes them into the sheet XML as Excel does),
hidden lookup sheets and template rows holding only an ID."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font, PatternFill

BOLD = Font(bold=True)
FILL = PatternFill("solid", fgColor="1F4E78")


def _title(ws: Any, text: str, span: str) -> None:
    ws[span.split(":")[0]] = text
    ws[span.split(":")[0]].font = Font(bold=True, size=14)
    ws.merge_cells(span)


def _header(ws: Any, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = FILL


def _rows(ws: Any, first: int, rows: list[list[Any]], formats: dict[int, str] | None = None) -> None:
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, (date, datetime)):
                cell.number_format = "dd/mm/yyyy"
            if formats and c in formats:
                cell.number_format = formats[c]


def cached(path: Path, values: dict[str, dict[str, Any]]) -> None:
    """Give formula cells the value Excel would have saved with them ({sheet: {ref: value}})."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    wb = openpyxl.load_workbook(path, read_only=True)
    titles = wb.sheetnames
    wb.close()
    for index, title in enumerate(titles, start=1):
        name = f"xl/worksheets/sheet{index}.xml"
        xml = parts[name].decode("utf-8")
        for ref, value in values.get(title, {}).items():
            kind = ' t="str"' if isinstance(value, str) else ""
            xml, n = re.subn(
                rf'<c r="{ref}"([^>]*)><f>([^<]*)</f><v\s*/></c>',
                lambda m, v=value, k=kind, r=ref: (
                    f'<c r="{r}"{m.group(1)}{k}><f>{m.group(2)}</f><v>{v}</v></c>'
                ),
                xml,
            )
            assert n == 1, (title, ref)
        parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


# ---------------------------------------------------------------------------- the RAID workbook

RISK_HEADER = [
    "Risk ID", "Date Raised", "Risk Title", "Risk Description", "Likelihood", "Impact", "Score",
    "Likelihood", "Impact", "Score", "Mitigation / Treatment Plan", "Risk Owner", "Status", "Next Review",
]  # fmt: skip


def raid_workbook(path: Path, *, moved: bool = False) -> Path:
    """'Website RAID Log v3.xlsx': one sheet per kind, as a project office keeps them. With
    `moved`, the next week's copy: R-002 re-scored and closed, R-006 deleted, R-009 added."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover["A1"] = "Website Replatform – RAID log"
    cover["A1"].font = Font(bold=True, size=16)
    cover["A3"] = "How to use this log: add new items at the bottom of each sheet; never reuse an ID."
    cover["A4"] = "Scores: Likelihood and Impact 1 (very low) to 5 (very high). Score = L × I."

    ws = wb.create_sheet("Risks")
    _title(ws, "Website Replatform — Risk Register", "A1:N1")
    ws["A2"] = "Last updated:"
    ws["B2"] = date(2026, 11, 20)
    ws["B2"].number_format = "d mmm yyyy"
    ws["E4"], ws["H4"] = "Inherent risk", "Residual risk"
    ws.merge_cells("E4:G4")
    ws.merge_cells("H4:J4")
    _header(ws, 5, RISK_HEADER)
    risks = [
        ["R-001", date(2026, 1, 12), "Supplier resourcing", "Agency cannot staff the front-end team at the rate planned",
         4, 4, "=E6*F6", 3, 3, "=H6*I6", "Weekly capacity call; second supplier on the framework", "Priya Shah",
         "Open", date(2026, 12, 1)],
        ["R-002", 46052, "Content migration volume", "More legacy pages than estimated\n(about 14,000)",
         3 if not moved else 2, 5, "=E7*F7", 2, 4, "=H7*I7", "Automated migration scripts", "Tom Reed",
         "In Progress" if not moved else "Closed", "14/12/2026"],
        ["R-003", "03/02/2026", "Accessibility audit findings", "WCAG 2.2 AA failures found late", 2, 4, "=E8*F8",
         1, 3, "=H8*I8", "Early audit by the Digital Accessibility Centre", "Asha Patel", "Mitigated", None],
        [],
        ["R-004", date(2026, 3, 2), "Hosting cost increase", "Cloud prices rise at renewal", 3, 3, 12, 2, 2,
         "=H10*I10", "Reserved instances", "Finance BP", "Active - Mitigation Required", date(2026, 12, 15)],
        ["R-005", date(2026, 4, 20), "Key person dependency", "Only one developer knows the CMS", 5, 5, "=E11*F11",
         None, None, "=H11*I11", None, "Ops lead", "Under Discussion", None],
    ]  # fmt: skip
    if not moved:
        risks.append(["R-006", date(2026, 5, 1), "Search index rebuild", "Search is down for a day", 1, 2, "=E12*F12",
                      1, 1, "=H12*I12", "Rebuild overnight", "Tom Reed", "Closed", None])  # fmt: skip
    else:
        risks.append(["R-009", date(2026, 11, 18), "Cookie consent change", "New guidance on analytics cookies", 3, 2,
                      "=E12*F12", 2, 2, "=H12*I12", "Legal review", "Priya Shah", "Open", date(2027, 1, 10)])  # fmt: skip
    risks += [["R-007", None, None, None, None, None, "=E13*F13", None, None, "=H13*I13"],
              ["R-008", None, None, None, None, None, "=E14*F14", None, None, "=H14*I14"]]  # fmt: skip
    _rows(ws, 6, risks, {2: "dd/mm/yyyy"})
    ws["B7"].number_format = "General"  # a date left as its serial number (46052 = 30 Jan 2026)
    ws.freeze_panes = "A6"

    issues = wb.create_sheet("Issues")
    _title(issues, "Issue Log", "A1:J1")
    _header(issues, 3, ["Issue ID", "Issue Title", "Description", "Raised By", "Owner", "Priority", "Status",
                        "Date Raised", "Target Resolution Date", "Resolution"])  # fmt: skip
    _rows(issues, 4, [
        ["I-001", "Test environment unstable", "Deployments fail twice a week", "Tom Reed", "Ops lead", "High",
         "Open", date(2026, 9, 1), date(2026, 12, 4), None],
        ["I-002", "Design sign-off late", None, "Priya Shah", "Asha Patel", "Medium", "In Progress",
         date(2026, 3, 2), date(2026, 3, 20), "Escalated to the design authority"],
        ["I-003", "Licence count wrong", "Ordered 40, need 55", "Finance BP", "Finance BP", "Low", "Resolved",
         date(2026, 4, 14), date(2026, 5, 1), "Top-up order raised"],
        ["I-004", "Penetration test blocked", "Firewall rule missing", "Sec team", "Ops lead", "Critical",
         "Overdue", date(2026, 10, 5), date(2026, 10, 19), None],
    ])  # fmt: skip

    assumptions = wb.create_sheet("Assumptions")
    _header(
        assumptions,
        1,
        ["Ref", "Assumption", "Owner", "Status", "Date Raised", "Validate By", "Impact if untrue"],
    )
    _rows(assumptions, 2, [
        ["A-001", "The CMS vendor supports the new API until 2028", "Tom Reed", "Validated", date(2026, 1, 20),
         date(2026, 2, 28), "Re-platform twice"],
        ["A-002", "Content owners are available in UAT", "Priya Shah", "To be confirmed", date(2026, 6, 1),
         date(2026, 7, 31), None],
        ["A-003", "No change to the brand guidelines", "Asha Patel", "Invalid", date(2026, 2, 2), None, None],
    ])  # fmt: skip

    decisions = wb.create_sheet("Decisions")
    _header(
        decisions,
        1,
        ["Ref", "Decision", "Decision Maker", "Date Raised", "Decision Date", "Status", "Rationale"],
    )
    _rows(decisions, 2, [
        ["D-001", "Use the headless CMS option", "Design authority", date(2026, 1, 15), date(2026, 2, 3), "Approved",
         "Lower licence cost; API first"],
        ["D-002", "Go-live on a Tuesday", "Programme board", date(2026, 8, 3), None, "Pending", None],
        ["D-003", "Retire the intranet in the same release", "Programme board", date(2026, 5, 5), None, "Deferred",
         "Wait for the HR system"],
    ])  # fmt: skip

    actions = wb.create_sheet("Actions")
    _header(actions, 1, ["Action ID", "Action", "Owner", "Due Date", "Status", "Comments"])
    _rows(actions, 2, [
        ["ACT-001", "Book the accessibility audit", "Asha Patel", date(2026, 11, 30), "Open", None],
        ["ACT-002", "Send the hosting renewal quote to finance", "Ops lead", date(2026, 11, 20), "Complete", "Sent 19/11"],
    ])  # fmt: skip

    deps = wb.create_sheet("Dependencies")
    _header(deps, 1, ["Dep ID", "Dependency", "Owner", "Need by"])
    _rows(deps, 2, [["DEP-01", "Identity platform provides single sign-on", "Priya Shah", date(2026, 8, 1)]])

    lists = wb.create_sheet("Lists")
    _rows(lists, 1, [["Status"], ["Open"], ["In Progress"], ["Closed"]])
    lists.sheet_state = "hidden"
    wb.save(path)
    cached(path, {"Risks": {
        "G6": 16, "J6": 9, "G7": 15 if not moved else 10, "J7": 8, "G8": 8, "J8": 3, "J10": 4, "G11": 25, "J11": 0,
        "G12": 2 if not moved else 6, "J12": 1 if not moved else 4, "G13": 0, "J13": 0, "G14": 0, "J14": 0,
    }})  # fmt: skip
    return path


# ---------------------------------------------------------------------------- one RAID sheet


def raid_sheet(path: Path) -> Path:
    """'Programme RAID.xlsx': one sheet, rows typed R/A/I/D/Act/Dep, H/M/L scores, N/A elsewhere."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "RAID Log"
    _title(ws, "Digital Programme RAID log", "A1:J1")
    _header(ws, 2, ["ID", "Type", "Description", "Owner", "Probability", "Impact", "Priority", "Status", "Due Date",
                    "Comments"])  # fmt: skip
    _rows(ws, 3, [
        [1, "R", "Budget cut at mid-year review", "Sponsor", "H", "H", None, "Open", None, "Raised at board"],
        [2, "Risk", "Supplier insolvency", "Commercial lead", "L", "VH", None, "Monitoring", None, None],
        [3, "A", "Funding confirmed for year two", "Sponsor", "N/A", "N/A", "High", "Open", date(2027, 3, 31), None],
        [4, "I", "Data centre power outage last week", "Ops lead", "TBD", "N/A", "Critical", "In Progress",
         date(2026, 12, 2), "Root cause pending"],
        [5, "D", "Adopt the cloud-first policy", "Board", None, None, "Medium", "Agreed", None, "Minuted 3 Nov"],
        [6, "Act", "Circulate the revised plan", "PMO", None, None, None, "Open", date(2026, 11, 27), None],
        [7, "Dep", "Identity platform delivers SSO", "Priya Shah", None, None, None, "Open", date(2026, 8, 1), None],
        [8, "Issue", "Two testers off sick", "Test lead", "n/a", "n/a", "Low", "Open", None, None],
    ])  # fmt: skip
    wb.save(path)
    return path


# ---------------------------------------------------------------------------- a quantitative register


def quantitative_register(path: Path) -> Path:
    """Probability as a percentage (formatted cells and typed text), impact in pounds."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risk Register"
    _header(ws, 1, ["Ref", "Risk", "Owner", "Probability", "Cost Impact (£)", "Expected value", "Status"])
    _rows(ws, 2, [
        ["Q1", "Vendor price rise", "Commercial lead", 0.35, 250000, "=D2*E2", "Open"],
        ["Q2", "Extra testing cycle", "Test lead", "20%", 40000, "=D3*E3", "Open"],
        ["Q3", "Regulator fine", "DPO", 0.05, 1500000, "=D4*E4", "Open"],
        ["Q4", "Travel overspend", "PMO", 0.8, 8000, "=D5*E5", "Open"],
    ], {4: "0%", 5: '"£"#,##0'})  # fmt: skip
    wb.save(path)
    cached(path, {"Risk Register": {"F2": 87500, "F3": 8000, "F4": 75000, "F5": 6400}})
    return path


# ---------------------------------------------------------------------------- a workbook with bad cells


def bad_workbook(path: Path) -> Path:
    """Issues!D7 holds 30 February; Risks!E4 a score nobody can read; the rest is good."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risks"
    _header(ws, 1, ["ID", "Title", "Owner", "Likelihood", "Impact"])
    _rows(
        ws,
        2,
        [
            ["R1", "Fine", "Ann", 2, 3],
            ["R2", "Also fine", "Bob", 4, 4],
            ["R3", "Unreadable", "Cy", 3, "Maybe"],
        ],
    )
    issues = wb.create_sheet("Issues")
    _title(issues, "Issues", "A1:E1")
    _header(issues, 3, ["ID", "Title", "Owner", "Date raised", "Status"])
    _rows(issues, 4, [
        ["I1", "Good issue", "Ann", date(2026, 1, 5), "Open"],
        ["I2", "Another", "Bob", "5 Jan 2026", "Open"],
        ["I3", "Third", "Cy", 46030, "Closed"],
        ["I4", "The bad one", "Di", "2026-02-30", "Open"],
    ])  # fmt: skip
    wb.save(path)
    return path
