"""Excel RAID workbooks: sheets per kind or one typed sheet, cells reported as Sheet!CELL, all or
nothing, re-imports in place, quantitative registers. Workbooks are built by workbooks.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.cli import main
from pgmtui.exchange import ImportFailed, ImportOptions, import_path
from pgmtui.store import Store
from tests.interop.workbooks import bad_workbook, quantitative_register, raid_sheet, raid_workbook


def _by_title(store: Store, kind: str) -> dict[str, dict]:
    return {r["title"]: r for r in store.rows(kind)}


def test_a_raid_workbook_imports_every_sheet_it_can(store: Store, tmp_path: Path) -> None:
    result = import_path(store, raid_workbook(tmp_path / "Website RAID Log v3.xlsx"))
    risks = _by_title(store, "risk")
    assert sorted(risks) == sorted(
        [
            "Supplier resourcing",
            "Content migration volume",
            "Accessibility audit findings",
            "Hosting cost increase",
            "Key person dependency",
            "Search index rebuild",
        ]
    )  # fmt: skip  (R-007 and R-008 are template rows)
    late = risks["Supplier resourcing"]
    assert (late["probability"], late["impact"], late["residual_probability"], late["residual_impact"]) == (
        4,
        4,
        3,
        3,
    )
    assert late["actions"] == "Weekly capacity call; second supplier on the framework"
    assert late["review_date"] == "2026-12-01" and late["owner"] == "Priya Shah"
    assert risks["Content migration volume"]["review_date"] == "2026-12-14"  # typed as text 14/12/2026
    assert risks["Content migration volume"]["event"] == "More legacy pages than estimated\n(about 14,000)"
    assert [risks[t]["status"] for t in ("Accessibility audit findings", "Hosting cost increase")] == [
        "closed",
        "open",
    ]
    issues = _by_title(store, "issue")
    assert {t: (i["priority"], i["status"]) for t, i in issues.items()} == {
        "Test environment unstable": ("high", "open"),
        "Design sign-off late": ("medium", "in progress"),
        "Licence count wrong": ("low", "closed"),
        "Penetration test blocked": ("critical", "open"),
    }
    assert (
        issues["Licence count wrong"]["description"]
        == (
            "Ordered 40, need 55\n\nRaised By: Finance BP\n\nResolution: Top-up order raised"  # no field: kept as text
        )
    )
    assert issues["Licence count wrong"]["due_date"] == "2026-05-01"
    assumptions = _by_title(store, "assumption")
    assert [a["status"] for a in assumptions.values()] == ["validated", "open", "invalid"]
    assert assumptions["Content owners are available in UAT"]["due_date"] == "2026-07-31"  # "Validate By"
    decisions = _by_title(store, "decision")
    assert decisions["Use the headless CMS option"]["decided_date"] == "2026-02-03"
    assert [d["status"] for d in decisions.values()] == ["made", "needed", "deferred"]
    notes = result.notes
    assert "sheet 'Cover' skipped: its name says it is not a register" in notes
    assert "sheet 'Lists' skipped: it is hidden" in notes
    assert "Risks: rows holding only an ID skipped (template rows): Risks row 13, Risks row 14" in notes
    assert (
        "Risks: warning: the sheet's score disagrees with P×I in 1 row(s), P and I kept: Risks!G10 says 12, P×I = 3×3 = 9"
        in notes
    )
    assert any(n.startswith("Dependencies: 1 dependency row(s) not imported") for n in notes)
    assert "6 risk, 4 issue, 3 assumption, 3 decision, 2 action" in result.summary()
    assert "18 added" in result.summary()
    actions = {a["title"]: (a["owner"], a["due_date"], a["status"], a["note"]) for a in store.rows("action")}
    assert actions == {
        "Book the accessibility audit": ("Asha Patel", "2026-11-30", "open", None),
        "Send the hosting renewal quote to finance": (
            "Ops lead",
            "2026-11-20",
            "done",
            "Comments: Sent 19/11",
        ),
    }


def test_next_weeks_copy_updates_in_place(store: Store, tmp_path: Path) -> None:
    import_path(store, raid_workbook(tmp_path / "Website RAID Log v3.xlsx"))
    audit = store.audit_count()
    result = import_path(store, raid_workbook(tmp_path / "Website_RAID_Log_v4.xlsx", moved=True))
    assert "1 added, 1 updated, 16 unchanged, 1 gone" in result.summary()
    assert store.audit_count() == audit + 2  # one insert, one update: nothing else touched
    risks = _by_title(store, "risk")
    assert (
        risks["Content migration volume"]["probability"],
        risks["Content migration volume"]["status"],
    ) == (2, "closed")
    assert risks["Content migration volume"]["version"] == 2 and risks["Supplier resourcing"]["version"] == 1
    assert "Cookie consent change" in risks and "Search index rebuild" in risks
    assert (
        "1 risk(s) no longer in the register: R-006 Search index rebuild (kept; --prune deletes them)"
        in result.notes
    )


def test_every_bad_cell_is_named_and_nothing_is_written(store: Store, tmp_path: Path, capsys) -> None:
    book = bad_workbook(tmp_path / "raid.xlsx")
    with pytest.raises(ImportFailed) as failure:
        import_path(store, book)
    assert failure.value.problems == [
        "Issues!D7: 2026-02-30 is not a date",
        "Risks!E4: impact: 'Maybe' is not a score",
    ]
    assert store.count("risk") == store.count("issue") == store.audit_count() == 0
    assert main(["--db", str(store.path), "import", str(book)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "Issues!D7: 2026-02-30 is not a date",
        "Risks!E4: impact: 'Maybe' is not a score",
        "pgmtui: error: import refused, nothing written: 2 problem(s) listed above",
    ]


def test_dates_as_dates_serial_numbers_and_text(store: Store, tmp_path: Path) -> None:
    import openpyxl

    book = bad_workbook(tmp_path / "raid.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Issues"]["D7"] = "28/02/2026"
    wb["Risks"]["E4"] = "Medium"
    wb.save(book)
    import_path(store, book)
    raised = {i["title"]: i["raised_date"] for i in store.rows("issue")}
    # 46030 days after 1899-12-30 (Excel's day 0) is 2026-01-08.
    assert raised == {
        "Good issue": "2026-01-05",
        "Another": "2026-01-05",
        "Third": "2026-01-08",
        "The bad one": "2026-02-28",
    }


def test_one_raid_sheet_routes_rows_by_type(store: Store, tmp_path: Path) -> None:
    result = import_path(store, raid_sheet(tmp_path / "Programme RAID.xlsx"))
    risks = _by_title(store, "risk")
    assert {t: (r["probability"], r["impact"]) for t, r in risks.items()} == {
        "Budget cut at mid-year review": (4, 4),  # H, H
        "Supplier insolvency": (2, 5),  # L, VH
    }
    assert risks["Budget cut at mid-year review"]["event"] is None  # the description became the title
    assert sorted(_by_title(store, "issue")) == ["Data centre power outage last week", "Two testers off sick"]
    assert [a["priority"] for a in store.rows("assumption")] == ["high"]
    assert [(d["title"], d["status"]) for d in store.rows("decision")] == [
        ("Adopt the cloud-first policy", "made")
    ]
    notes = result.notes
    assert "RAID Log!E (Probability) → probability: words L→2, H→4" in notes
    assert "RAID Log!F (Impact) → impact: words H→4, VH→5" in notes
    assert [(a["title"], a["due_date"]) for a in store.rows("action")] == [
        ("Circulate the revised plan", "2026-11-27")
    ]
    assert any(n.startswith("RAID Log: 1 dependency row(s) not imported") for n in notes)


def test_a_quantitative_workbook_needs_bands_for_money(store: Store, tmp_path: Path) -> None:
    book = quantitative_register(tmp_path / "Risk Register.xlsx")
    with pytest.raises(ImportFailed) as failure:
        import_path(store, book)
    assert failure.value.problems == [
        "Risk Register!E (Cost Impact (£)): impact holds amounts of money, not scores; give thresholds with "
        "--impact-bands 10000,50000,250000,1000000 (upper bounds of 1–4)"
    ]
    import_path(store, book, ImportOptions(impact_bands=("10000,50000,250000,1000000",)))
    # 35 % → 3, 20 % → 2, 5 % → 1, 80 % → 5; £250,000 → 3, £40,000 → 2, £1,500,000 → 5, £8,000 → 1.
    assert {t: (r["probability"], r["impact"]) for t, r in _by_title(store, "risk").items()} == {
        "Vendor price rise": (3, 3),
        "Extra testing cycle": (2, 2),
        "Regulator fine": (1, 5),
        "Travel overspend": (5, 1),
    }


def test_files_that_are_not_workbooks_are_refused_in_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    db = tmp_path / "p.db"
    fake = tmp_path / "raid.xlsx"
    fake.write_text("Title,Probability\n", encoding="utf-8")
    assert main(["--db", str(db), "import", str(fake)]) == 2
    assert capsys.readouterr().err.strip() == (
        "pgmtui: error: raid.xlsx: not an Excel workbook (.xlsx); a password-protected or old .xls file must be "
        "saved as .xlsx first"
    )
    import pgmtui.exchange.sheets as sheets

    monkeypatch.setattr(sheets, "MAX_UNPACKED_BYTES", 1000)
    assert main(["--db", str(db), "import", str(raid_sheet(tmp_path / "r.xlsx"))]) == 2
    assert "unpacks to 0 MB, more than pgmtui reads" in capsys.readouterr().err
    assert not db.exists()
