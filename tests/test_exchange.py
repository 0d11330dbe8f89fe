"""Export and import: faithful round trips, all-or-nothing imports with file:line errors, spreadsheets."""

from __future__ import annotations

import csv
import filecmp
import json
from pathlib import Path

import pytest

from pgmtui.cli import main
from pgmtui.exchange import EXPORT_TABLES, ImportFailed, export, import_path
from pgmtui.records.fields import column_for
from pgmtui.store import KINDS, Store
from tests.second_wave import fill_every_field


def _counts(path: Path) -> dict[str, int]:
    with Store.open(path) as s:
        return {k: s.count(k) for k in ("project", "risk", "milestone", "benefit")} | {
            "audit": len(s.audit())
        }


def test_csv_round_trip_is_identical(demo_db: Path, tmp_path: Path) -> None:
    with Store.open(demo_db) as s:
        files = export(s, tmp_path / "one", "csv")
    assert sorted(f.stem for f in files) == sorted(EXPORT_TABLES)
    with Store.open(tmp_path / "new.db") as s:
        result = import_path(s, tmp_path / "one")
        assert result.mode == "restore"
        export(s, tmp_path / "two", "csv")
    cmp = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert cmp.left_only == cmp.right_only == cmp.diff_files == []
    assert len(cmp.same_files) == len(EXPORT_TABLES)
    assert _counts(tmp_path / "new.db") == _counts(demo_db)


def test_json_round_trip_via_cli(demo_db: Path, tmp_path: Path, capsys) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["--db", str(demo_db), "export", str(a), "--format", "json"]) == 0
    assert main(["--db", str(tmp_path / "n.db"), "import", str(a)]) == 0
    assert "restored" in capsys.readouterr().out
    assert main(["--db", str(tmp_path / "n.db"), "export", str(b), "--format", "json"]) == 0
    assert a.read_bytes() == b.read_bytes()
    doc = json.loads(a.read_text(encoding="utf-8"))
    assert doc["format"] == "pgmtui-export" and set(doc["tables"]) == set(EXPORT_TABLES)


def test_one_bad_row_among_good_ones_reports_file_line_and_writes_nothing(
    demo_db: Path, tmp_path: Path, capsys
) -> None:
    with Store.open(demo_db) as s:
        export(s, tmp_path / "x", "csv")
    risk_csv = tmp_path / "x" / "risk.csv"
    with risk_csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    p = rows[0].index("probability")
    assert all(len(r) == len(rows[0]) for r in rows) and rows[13][p].isdigit()
    rows[13][p] = "7"  # the 14th line of the file (no record before it spans lines)
    with risk_csv.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    assert risk_csv.read_text(encoding="utf-8").splitlines()[13].split(",")[0] == rows[13][0]
    target = tmp_path / "fresh.db"
    assert main(["--db", str(target), "import", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "risk.csv:14: probability must be at most 5, got 7" in err
    assert err.strip().splitlines()[-1].startswith("pgmtui: error: import refused, nothing written")
    assert not target.exists()  # a failed import into a new file leaves nothing behind
    # Into an existing database: nothing changes either.
    with Store.open(tmp_path / "existing.db") as s:
        s.insert("programme", {"name": "Other"})
        before = len(s.audit())
        with pytest.raises(ImportFailed) as failure:
            import_path(s, tmp_path / "x")
        assert any(p.startswith("risk.csv:14:") for p in failure.value.problems)
        assert s.count("project") == 0 and len(s.audit()) == before


def test_every_bad_row_is_reported_in_json_by_line(demo_db: Path, tmp_path: Path) -> None:
    with Store.open(demo_db) as s:
        export(s, tmp_path / "e.json", "json")
    path = tmp_path / "e.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    risk_lines = [i for i, ln in enumerate(lines) if '"title": ' in ln and '"probability": ' in ln]
    first, second = risk_lines[0], risk_lines[6]
    assert '"kind": "threat"' in lines[second]
    lines[first] = lines[first].replace('"impact": ', '"impact": 9, "x_impact": ', 1)
    lines[second] = lines[second].replace('"kind": "threat"', '"kind": "danger"', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store.open(tmp_path / "n.db") as s, pytest.raises(ImportFailed) as failure:
        import_path(s, path)
    problems = failure.value.problems
    assert problems[0].startswith(f"e.json:{first + 1}: unknown field(s) 'x_impact'")
    assert problems[1] == f"e.json:{second + 1}: kind must be one of: threat, opportunity; got 'danger'"
    assert len(problems) == 2
    with Store.open(tmp_path / "n.db") as s:
        assert s.is_empty()


def test_import_into_an_existing_database_adds_new_records(demo_db: Path, tmp_path: Path) -> None:
    src = tmp_path / "src.db"
    with Store.open(src) as s:
        s.insert("programme", {"name": "Other"})
        s.insert("project", {"code": "NEW", "name": "New thing"})
        s.insert("milestone", {"project": "NEW", "name": "Start", "forecast_date": "2027-01-10"})
        s.insert("risk", {"project": "NEW", "title": "Risky", "probability": 2, "impact": 3})
        s.insert("benefit", {"name": "B", "baseline_value": 1, "target_value": 2, "projects": ["NEW"]})
        export(s, tmp_path / "out", "csv")
    with Store.open(demo_db) as s:
        before = s.count("project")
        result = import_path(s, tmp_path / "out")
        assert result.mode == "add"
        assert any("programme kept" in n for n in result.notes)
        new = s.get("project", "NEW")
        assert s.count("project") == before + 1
        risk = [r for r in s.rows("risk") if r["title"] == "Risky"][0]
        assert risk["project_id"] == new["id"] and risk["version"] == 1
        benefit = [b for b in s.rows("benefit") if b["name"] == "B"][0]
        assert s.get("benefit", benefit["id"])["projects"] == [new["id"]]


def test_spreadsheet_risk_register(store: Store, tmp_path: Path) -> None:
    store.insert("programme", {"name": "P"})
    store.insert("project", {"code": "IAM", "name": "Identity"})
    sheet = tmp_path / "Risk Register.csv"
    sheet.write_text(
        "Risk Owner,SEVERITY,Risk Title,Likelihood,Project,Mitigation,Status,Score\n"
        "Ann,Major,Supplier late,4,IAM,Weekly calls,Active,16\n"
        "Bob,5,Budget cut,High,,Brief sponsor,open,20\n",
        encoding="utf-8",
    )
    result = import_path(store, sheet)
    assert result.counts == {"risk": 2}
    assert "Risk Register.csv: column 2 (SEVERITY) → impact: words Major→4" in result.notes
    assert "Risk Register.csv: risk status words mapped: 'Active' → open (1)" in result.notes
    assert not any("disagrees" in n for n in result.notes)  # Score 16 = 4×4 and 20 = 5×4
    rows = {r["title"]: r for r in store.rows("risk")}
    assert (rows["Supplier late"]["probability"], rows["Supplier late"]["impact"]) == (4, 4)
    assert rows["Supplier late"]["owner"] == "Ann" and rows["Supplier late"]["actions"] == "Weekly calls"
    assert rows["Supplier late"]["status"] == "open" and rows["Budget cut"]["project_id"] is None
    bad = tmp_path / "more.csv"
    bad.write_text(
        "title,probability,impact,project\nGood,2,2,IAM\nBad,7,3,IAM\nLost,2,2,NOPE\n", encoding="utf-8"
    )
    with pytest.raises(ImportFailed) as failure:
        import_path(store, bad)
    assert failure.value.problems == [
        "more.csv:3: probability must be at most 5, got 7 (a column scored 1–10 says so in its header: "
        "'Likelihood (1-10)')",
        "more.csv:4: project 'NOPE' is not a project code or name (projects: IAM)",
    ]
    assert store.count("risk") == 2


def test_a_csv_row_with_more_cells_than_columns_is_refused_by_line(store: Store, tmp_path: Path) -> None:
    store.insert("programme", {"name": "P"})
    table = tmp_path / "project.csv"
    # Line 3 has a stray fourth cell; line 4 is short (its name is padded with "").
    table.write_text("id,code,name\n1,A,Alpha\n2,B,Beta,stray\n3,C\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_path(store, table)
    assert failure.value.problems == [
        "project.csv:3: more cells than columns",
        "project.csv:4: name is required",
    ]
    assert store.count("project") == 0
    # In a register, a row with more cells than the header (an unquoted comma shifts every cell
    # after it) is refused as such (issue 23), never read with its cells in the wrong columns.
    sheet = tmp_path / "register.csv"
    sheet.write_text("Risk Title,Likelihood,Severity\nSupplier late,4,3,see notes\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_path(store, sheet)
    assert failure.value.problems == [
        "register.csv: line 2: 4 cells, header has 3 (a comma inside a cell that is not in quotes?)"
    ]
    # Empty cells beyond the header (trailing commas, as Excel writes them) are no such row.
    sheet.write_text("Risk Title,Likelihood,Severity\nSupplier late,4,3,,\n", encoding="utf-8")
    assert import_path(store, sheet).counts == {"risk": 1}
    risk = store.rows("risk")[0]
    assert (risk["title"], risk["probability"], risk["impact"]) == ("Supplier late", 4, 3)


def _store_state(path: Path) -> dict:
    """Everything the store holds, read through the store (not through an export)."""
    with Store.open(path) as s:
        data = s.read_all()
        return {
            "rows": {k: s.rows(k) for k in KINDS},
            "links": {
                table: {owner: sorted(ids) for owner, ids in links.items()}
                for table, links in data["links"].items()
            },
            "audit": s.audit(),
        }


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_carry_every_stored_field_and_imports_bring_every_one_back(
    demo_db: Path, tmp_path: Path, fmt: str
) -> None:
    with Store.open(demo_db) as s:
        # The demo leaves these empty; a column empty everywhere would pass a lossy round trip.
        s.update("programme", 1, {"rag_override": "A", "rag_reason": "board view"})
        fill_every_field(s)  # and every second-wave kind, each field set, links included
    before = _store_state(demo_db)
    for kind in KINDS.values():
        for f in kind.fields:
            if f.type != "refs":
                column = column_for(f)
                assert any(r[column] not in (None, "") for r in before["rows"][kind.name]), column
    with Store.open(demo_db) as s:
        export(s, tmp_path / "out", fmt)
    if fmt == "json":
        tables = json.loads((tmp_path / "out" / "pgmtui-export.json").read_text(encoding="utf-8"))["tables"]
        headers = {t: list(rows[0]) for t, rows in tables.items() if rows}
    else:
        headers = {}
        for t in EXPORT_TABLES:
            with (tmp_path / "out" / f"{t}.csv").open(encoding="utf-8") as fh:
                headers[t] = next(csv.reader(fh))
    for kind in KINDS.values():
        stored = list(before["rows"][kind.name][0])  # the table's real columns, as the store reads them
        fields = [column_for(f) for f in kind.fields if f.type != "refs"]
        assert headers[kind.table] == ["id", "version", "created_at", "updated_at", "updated_by", *fields]
        assert set(headers[kind.table]) == set(stored) - {"programme_id"}  # derived from the programme
        if fmt == "json":  # the values are the store's own, row by row
            assert tables[kind.table] == [
                {c: r[c] for c in headers[kind.table]} for r in before["rows"][kind.name]
            ]
    if fmt == "json":
        for table, own, other in (
            ("benefit_project", "benefit_id", "project_id"),
            ("stakeholder_project", "stakeholder_id", "project_id"),
        ):
            links = before["links"][table]
            assert links, table
            assert tables[table] == [{own: a, other: b} for a in sorted(links) for b in sorted(links[a])]
        # In id order, as exported (ts order differs when a test writes "today" before the demo's
        # history of today in wall-clock time, e.g. just after midnight UTC).
        by_id = sorted(before["audit"], key=lambda a: a["id"])
        assert [json.loads(a["changes"]) for a in tables["audit"]] == [a["changes"] for a in by_id]
    source = tmp_path / "out" / "pgmtui-export.json" if fmt == "json" else tmp_path / "out"
    with Store.open(tmp_path / "new.db") as s:
        assert import_path(s, source).mode == "restore"
    after = _store_state(tmp_path / "new.db")
    for kind in KINDS:
        assert after["rows"][kind] == before["rows"][kind], kind
    assert after["links"] == before["links"]
    assert after["audit"] == before["audit"]
