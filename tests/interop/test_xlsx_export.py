"""The Excel export: one sheet per kind, typed cells, frozen header, RAG as words, and never a
formula — whatever the text in the database starts with."""

from __future__ import annotations

import os
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

from pgmtui.cli import main
from pgmtui.exchange import export, import_path
from pgmtui.exchange.xlsx import register_bytes, register_filename
from pgmtui.records.fields import KINDS
from pgmtui.store import Store

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+44 20 7946 0000",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "'already quoted",
    "=cmd|' /C calc'!A0",
]


def test_every_kind_gets_a_typed_sheet(demo_db: Path, tmp_path: Path, capsys) -> None:
    assert main(["--db", str(demo_db), "export", str(tmp_path / "out"), "--format", "xlsx"]) == 0
    path = tmp_path / "out" / "pgmtui-export.xlsx"
    assert capsys.readouterr().out.strip() == f"exported 1 file(s) to {path}"
    assert os.stat(path).st_mode & 0o777 == 0o600
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["Programme", "Projects", "Milestones", "Dependencies"]
    assert len(wb.sheetnames) == len(KINDS)
    with Store.open(demo_db) as s:
        counts = {k: len(s.rows(k)) for k in KINDS}
    projects = wb["Projects"]
    assert projects.freeze_panes == "A2" and projects.auto_filter.ref.startswith("A1:")
    header = [c.value for c in projects[1]]
    assert (
        header[:3] == ["ID", "Code", "Name"] and "RAG" in header and header[-2:] == ["Updated", "Updated by"]
    )
    assert projects.max_row == counts["project"] + 1 and wb["Risks"].max_row == counts["risk"] + 1
    row = {h: c for h, c in zip(header, projects[2], strict=True)}
    assert isinstance(row["Start date"].value, datetime) and row["Start date"].number_format == "yyyy-mm-dd"
    assert (
        isinstance(row["Budget (BAC)"].value, (int, float))
        and row["Budget (BAC)"].number_format == "#,##0.00"
    )
    assert 0 <= row["% complete"].value <= 1 and row["% complete"].number_format == "0%"
    assert row["RAG"].value.rstrip("*") in ("Red", "Amber", "Green")  # words, not only a colour
    assert projects.column_dimensions["C"].width > 10  # as wide as the names
    risk_header = [c.value for c in wb["Risks"][1]]
    assert {"Project", "Score", "Band", "Residual score", "Residual band"} <= set(risk_header)
    first_risk = {h: c.value for h, c in zip(risk_header, wb["Risks"][2], strict=True)}
    assert first_risk["Score"] == first_risk["Probability"] * first_risk["Impact"]
    milestones = [c.value for c in wb["Milestones"][1]]
    assert milestones[:3] == ["ID", "Project", "Name"]
    assert all(":" not in str(v) for v in [c.value for c in wb["Milestones"]["B"]][1:])  # project codes
    assert ":" in str(wb["Dependencies"]["B2"].value)  # supplier as CODE:milestone
    benefits = wb["Benefits"]
    linked = [c.value for c in benefits[1]].index("Projects")
    assert all(
        v and v.replace(", ", "").isalnum() for v in [r[linked].value for r in benefits.iter_rows(min_row=2)]
    )


def test_text_is_never_written_as_a_formula(store: Store, tmp_path: Path) -> None:
    store.insert("programme", {"name": HOSTILE[0]})
    store.insert("project", {"code": "IAM", "name": "@evil", "manager": "-", "status_note": HOSTILE[1]})
    for n, text in enumerate(HOSTILE):
        store.insert(
            "risk",
            {
                "title": f"r{n}",
                "owner": text.strip("\t") or "x",
                "cause": text,
                "probability": 1,
                "impact": 1,
            },
        )
    (path,) = export(store, tmp_path, "xlsx")
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)  # no formula anywhere
    wb = openpyxl.load_workbook(path)  # not data_only: a formula would come back as one
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    risks = wb["Risks"]
    header = [c.value for c in risks[1]]
    causes = [r[header.index("Cause")] for r in risks.iter_rows(min_row=2)]
    assert [c.value for c in causes] == HOSTILE  # the text exactly as stored
    assert all(c.quotePrefix for c in causes)  # and Excel keeps it text when the cell is edited
    assert wb["Programme"]["B2"].value == HOSTILE[0]


def test_the_export_goes_where_it_is_told_and_refuses_what_it_cannot_write(
    store: Store, tmp_path: Path, capsys
) -> None:
    store.insert("programme", {"name": "P"})
    db = ["--db", str(store.path)]
    assert main([*db, "export", str(tmp_path / "raid.xlsx"), "--format", "xlsx"]) == 0
    assert (tmp_path / "raid.xlsx").is_file()
    capsys.readouterr()
    assert main([*db, "export", str(tmp_path / "raid.csv"), "--format", "xlsx"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("pgmtui: error: ") and "an Excel export is a .xlsx file" in line
    assert main([*db, "export", str(tmp_path / "missing" / "deeper" / "x.xlsx"), "--format", "xlsx"]) == 2
    assert not (tmp_path / "raid.csv").exists()


def test_an_edited_export_imports_back_in_place(demo_db: Path, tmp_path: Path) -> None:
    with Store.open(demo_db) as s:
        (path,) = export(s, tmp_path, "xlsx")
        audit = s.audit_count()
        result = import_path(s, path)
        assert "0 added, 0 updated" in result.summary() and s.audit_count() == audit
        wb = openpyxl.load_workbook(path)
        ws = wb["Risks"]
        header = [c.value for c in ws[1]]
        ws.cell(row=2, column=header.index("Probability") + 1, value=5)
        rid = ws.cell(row=2, column=1).value
        wb.save(path)
        result = import_path(s, path)
        assert "0 added, 1 updated" in result.summary()
        assert s.get("risk", rid)["probability"] == 5


def test_a_register_from_the_screen(demo_db: Path, tmp_path: Path) -> None:
    import io

    import pendulum

    with Store.open(demo_db) as s:
        data = s.read_all()
    risks = sorted(data["tables"]["risk"], key=lambda r: -r["probability"] * r["impact"])[:5]
    assert register_filename("risk", pendulum.date(2026, 11, 25)) == "risk-register-2026-11-25.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(register_bytes("risk", risks, data["tables"])))
    assert wb.sheetnames == ["Risks"]
    assert [r[0].value for r in wb["Risks"].iter_rows(min_row=2)] == [
        r["id"] for r in risks
    ]  # the screen's order


def test_a_workbook_is_a_binary_download_in_a_browser() -> None:
    from pgmtui.screens.downloads import Document, deliver

    class Browser:  # what `deliver` asks of the app in a web session
        def __init__(self) -> None:
            self.calls: list[tuple[str, bytes, dict]] = []

        def deliver_binary(self, file, **kw) -> None:
            self.calls.append(("binary", file.read(), kw))

        def deliver_text(self, file, **kw) -> None:
            self.calls.append(("text", file.read().encode(), kw))

        def notify(self, *args, **kw) -> None:
            pass

    app = Browser()
    deliver(app, Document("risk-register-2026-11-25.xlsx", b"PK\x03\x04 workbook", "Risk register"))  # type: ignore[arg-type]
    ((how, data, kw),) = app.calls
    assert how == "binary" and data == b"PK\x03\x04 workbook"
    assert kw["mime_type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert kw["save_filename"] == "risk-register-2026-11-25.xlsx" and kw["open_method"] == "download"


def test_an_export_from_another_database_never_overwrites_records_by_id(
    demo_db: Path, store: Store, tmp_path: Path
) -> None:
    with Store.open(demo_db) as s:
        (path,) = export(s, tmp_path, "xlsx")
        codes = [p["code"] for p in s.rows("project")]
        demo_risks = len(s.rows("risk"))
    store.insert("programme", {"name": "Another programme"})
    for code in codes:
        store.insert("project", {"code": code, "name": code})
    mine = store.insert("risk", {"title": "Our own risk #1", "probability": 1, "impact": 1})
    wb = openpyxl.load_workbook(path)
    del wb["Dependencies"]  # their milestones are not here: the rest is what this test is about
    wb.save(path)
    result = import_path(store, path)
    assert any("is a pgmtui export from another database" in n for n in result.notes)
    assert store.get("risk", mine)["title"] == "Our own risk #1"  # id 1 here is not id 1 there
    assert store.count("risk") == demo_risks + 1
    assert "0 added" in import_path(store, path).summary()  # their ids became references: in place
