"""Registers as people keep them, in CSV files: statuses, synonyms, scales, bands, refusals that
name what is missing, and re-imports that update in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmtui.cli import main
from pgmtui.exchange import ImportFailed, ImportOptions, import_path
from pgmtui.store import Store


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _risks(store: Store) -> dict[str, dict]:
    return {r["title"]: r for r in store.rows("risk")}


def test_status_words_are_mapped_with_counts_and_unknown_ones_read_as_open(
    store: Store, tmp_path: Path
) -> None:
    sheet = _csv(
        tmp_path,
        "risk register.csv",
        "Risk ID,Risk Title,Likelihood,Impact,Status\n"
        "R1,Supplier late,3,4,In Progress\n"
        "R2,Budget cut,2,5,Mitigated\n"
        "R3,Key person,4,4,Under Discussion\n"
        "R4,Licences,2,2,Overdue\n"
        "R5,Hosting,3,3,Active - Mitigation Required\n"
        "R6,Data loss,1,5,In Progress\n"
        "R7,Audit,2,3,Parked for now\n",
    )
    result = import_path(store, sheet)
    status = {t: r["status"] for t, r in _risks(store).items()}
    assert status == {
        "Supplier late": "open",
        "Budget cut": "closed",
        "Key person": "open",
        "Licences": "open",
        "Hosting": "open",
        "Data loss": "open",
        "Audit": "open",
    }
    assert (
        "risk register.csv: risk status words mapped: 'In Progress' → open (2), 'Mitigated' → closed (1), "
        "'Under Discussion' → open (1), 'Overdue' → open (1), 'Active - Mitigation Required' → open (1)"
    ) in result.notes
    assert (
        "risk register.csv: risk status words not known, read as open: 'Parked for now' (1)" in result.notes
    )


@pytest.mark.parametrize(
    "header",
    ["Treatment Plan", "mitigation_action", "Mitigation Strategy", "Mitigation_Plan", "Mitigation / Treatment Plan",
     "Action to be taken", "Mitigating Actions"],
)  # fmt: skip
def test_the_mitigation_column_is_kept_whatever_it_is_called(
    store: Store, tmp_path: Path, header: str
) -> None:
    sheet = _csv(
        tmp_path, "risks.csv", f"Title,Probability,Impact,{header}\nSupplier late,3,4,Weekly calls\n"
    )
    result = import_path(store, sheet)
    assert _risks(store)["Supplier late"]["actions"] == "Weekly calls"
    assert not any("ignored" in n for n in result.notes)


def test_headers_with_scales_units_and_short_forms(store: Store, tmp_path: Path) -> None:
    """L and C are likelihood and consequence; S beside I is the score (here 3×4 = 12 ✓, 2×2 ≠ 5)."""
    sheet = _csv(
        tmp_path,
        "raid.csv",
        "ID,Threat,Risk Owner,L,I,S,Date Raised (dd/mm/yyyy),Consequence\n"
        "1,Supplier late,Ann,3,4,12,01/02/2026,Go-live slips\n"
        "2,Budget cut,Bob,2,2,5,13/02/2026,Scope cut\n",
    )
    result = import_path(store, sheet)
    late = _risks(store)["Supplier late"]
    assert (late["probability"], late["impact"], late["owner"], late["effect"]) == (
        3,
        4,
        "Ann",
        "Go-live slips",
    )
    assert (
        "raid.csv: warning: the sheet's score disagrees with P×I in 1 row(s), P and I kept: raid.csv:3 says 5, P×I = 2×2 = 4"
        in result.notes
    )
    assert (
        "raid.csv: ignored column(s): Date Raised (dd/mm/yyyy)" in result.notes
    )  # risks have no raised date


def test_a_consequence_column_of_scores_is_the_impact(store: Store, tmp_path: Path) -> None:
    sheet = _csv(tmp_path, "risks.csv", "Risk,Likelihood (1-5),Consequence (1-5)\nFlood,2,5\n")
    import_path(store, sheet)
    assert (_risks(store)["Flood"]["probability"], _risks(store)["Flood"]["impact"]) == (2, 5)


def test_a_missing_column_is_named_with_the_near_misses(store: Store, tmp_path: Path) -> None:
    sheet = _csv(tmp_path, "risks.csv", "Ref,Risk,Prob of occurence,Impact,Owner\n1,Late supplier,3,4,Ann\n")
    with pytest.raises(ImportFailed) as failure:
        import_path(store, sheet)
    assert failure.value.problems == [
        "risks.csv: risks need a column for probability: probability: none; saw `Prob of occurence` "
        "(columns: `Ref`, `Risk`, `Prob of occurence`, `Impact`, `Owner`)"
    ]
    assert store.count("risk") == 0


def test_word_and_small_scales_are_converted_and_the_mapping_stated(store: Store, tmp_path: Path) -> None:
    """Words: Low 2, Medium 3, High 4, Very High 5. 1–3 scale: 1→2, 2→3, 3→4. 1–10: halves up."""
    sheet = _csv(
        tmp_path,
        "risks.csv",
        "Title,Likelihood,Impact (1-3),Residual likelihood (1-10),Residual impact\n"
        "A,High,3,9,Very High\n"
        "B,Low,1,2,Medium\n"
        "C,Medium,2,7,Low\n",
    )
    result = import_path(store, sheet)
    scores = {
        t: (r["probability"], r["impact"], r["residual_probability"], r["residual_impact"])
        for t, r in _risks(store).items()
    }
    assert scores == {"A": (4, 4, 5, 5), "B": (2, 2, 1, 3), "C": (3, 3, 4, 2)}
    assert "risks.csv: column 3 (Impact (1-3)) → impact: scale 1-3 read as 1→2, 2→3, 3→4" in result.notes
    assert "risks.csv: column 2 (Likelihood) → probability: words Low→2, Medium→3, High→4" in result.notes
    assert (
        "risks.csv: column 4 (Residual likelihood (1-10)) → residual_probability: "
        "scale 1–10 halved, rounded up (1–2→1, 3–4→2, 5–6→3, 7–8→4, 9–10→5)"
    ) in result.notes


def test_percentages_and_fractions_use_the_stated_table(store: Store, tmp_path: Path) -> None:
    sheet = _csv(
        tmp_path, "risks.csv", "Title,Probability,Impact\nA,20%,3\nB,0.35,3\nC,5 %,3\nD,0.9,3\nE,50%,3\n"
    )
    result = import_path(store, sheet)
    assert {t: r["probability"] for t, r in _risks(store).items()} == {"A": 2, "B": 3, "C": 1, "D": 5, "E": 3}
    assert any("0–10 % → 1, 11–30 % → 2, 31–50 % → 3, 51–70 % → 4, 71–100 % → 5" in n for n in result.notes)


def test_money_and_day_impacts_need_bands(store: Store, tmp_path: Path, capsys) -> None:
    sheet = _csv(
        tmp_path,
        "risks.csv",
        'Title,Probability,Impact,Schedule impact (days)\nA,3,"£250,000",10\nB,2,£40k,3\nC,4,"£1,500,000",45\n',
    )
    db = ["--db", str(store.path)]
    assert main([*db, "import", str(sheet)]) == 2
    err = capsys.readouterr().err
    assert (
        "risks.csv: column 3 (Impact): impact holds amounts of money, not scores; give thresholds with "
        "--impact-bands 10000,50000,250000,1000000 (upper bounds of 1–4)"
    ) in err
    assert store.count("risk") == 0
    bands = ["--impact-bands", "money=10k,50k,250k,1m", "--impact-bands", "days=5,10,20,40"]
    assert main([*db, "import", str(sheet), *bands]) == 0
    out = capsys.readouterr().out
    # £250,000 ≤ 250k → 3; £40k ≤ 50k → 2; £1.5m > 1m → 5. The days column is not a field of its own.
    assert {t: r["impact"] for t, r in _risks(store).items()} == {"A": 3, "B": 2, "C": 5}
    assert "money banded: up to £10,000 → 1, £50,000 → 2, £250,000 → 3, £1,000,000 → 4, above → 5" in out
    assert main([*db, "import", str(sheet), "--impact-bands", "3,2,1,0"]) == 2
    assert "four increasing upper bounds" in capsys.readouterr().err


def test_a_raid_log_with_a_type_column_routes_rows_and_blanks_na_scores(store: Store, tmp_path: Path) -> None:
    sheet = _csv(
        tmp_path,
        "RAID log.csv",
        "Ref,Type,Description,Owner,Likelihood,Impact,Status,Due\n"
        "1,Risk,Supplier late,Ann,4,3,Open,\n"
        "2,Issue,Test rig broken,Bob,N/A,N/A,In Progress,02/12/2026\n"
        "3,Assumption,Funding holds,Cy,TBD,-,Open,31/03/2027\n"
        "4,Decision,Cloud first,Board,n/a,n/a,Agreed,\n"
        "5,Dependency,SSO from IAM,Di,,,Open,01/08/2026\n",
    )
    result = import_path(store, sheet)
    assert [r["title"] for r in store.rows("risk")] == ["Supplier late"]
    (issue,) = store.rows("issue")
    assert (issue["title"], issue["status"], issue["due_date"]) == (
        "Test rig broken",
        "in progress",
        "2026-12-02",
    )
    assert [(a["title"], a["due_date"]) for a in store.rows("assumption")] == [
        ("Funding holds", "2027-03-31")
    ]
    assert [(d["title"], d["status"]) for d in store.rows("decision")] == [("Cloud first", "made")]
    assert any("1 dependency row(s) not imported" in n for n in result.notes)


def test_an_unquoted_comma_is_named_as_such(store: Store, tmp_path: Path) -> None:
    rows = "".join(f"R{i},Risk {i},2,3,Ann\n" for i in range(1, 45))
    sheet = _csv(
        tmp_path, "risks.csv", "ID,Title,Likelihood,Impact,Owner\n" + rows + "R45,Late, very late,2,3,Ann\n"
    )
    with pytest.raises(ImportFailed) as failure:
        import_path(store, sheet)
    assert failure.value.problems == [
        "risks.csv: line 46: 6 cells, header has 5 (a comma inside a cell that is not in quotes?)"
    ]
    assert store.count("risk") == 0


def test_template_rows_and_title_rows_above_the_header(store: Store, tmp_path: Path) -> None:
    sheet = _csv(
        tmp_path,
        "risks.csv",
        "Website risk register,,,,\n"
        "Last updated 20/11/2026,,,,\n"
        ",,,,\n"
        "Risk ID,Title,Likelihood,Impact,Score\n"
        "R-001,Supplier late,3,4,12\n"
        ",,,,\n"
        "R-002,Budget cut,2,5,10\n"
        "R-003,,,,0\n"
        "R-004,,,,0\n",
    )
    result = import_path(store, sheet)
    assert sorted(_risks(store)) == ["Budget cut", "Supplier late"]
    assert (
        "risks.csv: rows holding only an ID skipped (template rows): risks.csv:8, risks.csv:9" in result.notes
    )


def test_reimporting_a_register_updates_in_place(store: Store, tmp_path: Path) -> None:
    first = _csv(
        tmp_path,
        "Risk Register v1.csv",
        "Risk ID,Title,Likelihood,Impact,Owner,Status\nR1,Supplier late,3,4,Ann,Open\nR2,Budget cut,2,5,Bob,Open\n"
        "R3,Licences,2,2,Cy,Open\n",
    )
    assert "3 added, 0 updated, 0 unchanged, 0 gone" in import_path(store, first).summary()
    audit = store.audit_count()
    again = import_path(store, first)
    assert "0 added, 0 updated, 3 unchanged, 0 gone" in again.summary() and store.audit_count() == audit
    second = _csv(
        tmp_path,
        "Risk Register v2 (final).csv",  # a later copy: version and copy marks do not make a new register
        "Risk ID,Title,Likelihood,Impact,Owner,Status\nR1,Supplier late,4,4,,Open\nR2,Budget cut,2,5,Bob,Closed\n"
        "R4,Data loss,1,5,Di,Open\n",
    )
    result = import_path(store, second)
    assert "1 added, 2 updated, 0 unchanged, 1 gone" in result.summary()
    risks = _risks(store)
    assert (risks["Supplier late"]["probability"], risks["Supplier late"]["owner"]) == (
        4,
        None,
    )  # emptied cell
    assert risks["Budget cut"]["status"] == "closed" and "Licences" in risks  # gone, not deleted
    assert "updated risk R1 Supplier late: owner Ann → (none), probability 3 → 4" in result.notes
    assert "1 risk(s) no longer in the register: R3 Licences (kept; --prune deletes them)" in result.notes
    import_path(store, second, ImportOptions(prune=True))
    assert "Licences" not in _risks(store)


def test_a_register_row_deleted_in_pgmtui_comes_back_as_new(store: Store, tmp_path: Path) -> None:
    sheet = _csv(tmp_path, "risks.csv", "ID,Title,Likelihood,Impact\nR1,Supplier late,3,4\n")
    import_path(store, sheet)
    store.delete("risk", store.rows("risk")[0]["id"])
    assert store.external_refs("register:risks") == {}  # the delete took the reference with it
    assert "1 added" in import_path(store, sheet).summary()


def test_the_project_column_takes_codes_or_names_and_project_gives_a_default(
    store: Store, tmp_path: Path
) -> None:
    store.insert("project", {"code": "IAM", "name": "Identity and Access"})
    store.insert("project", {"code": "CLD", "name": "Cloud"})
    sheet = _csv(tmp_path, "issues.csv", "Title,Project,Priority\nA,identity and access,1\nB,CLD,2\nC,,3\n")
    import_path(store, sheet, ImportOptions(project="CLD"))
    codes = {p["id"]: p["code"] for p in store.rows("project")}
    issues = {i["title"]: (codes.get(i["project_id"]), i["priority"]) for i in store.rows("issue")}
    assert issues == {
        "A": ("IAM", "high"),
        "B": ("CLD", "medium"),
        "C": ("CLD", "low"),
    }  # 1–3: 1 is the most urgent


def test_dry_run_shows_what_would_be_created(store: Store, tmp_path: Path, capsys) -> None:
    sheet = _csv(tmp_path, "issues.csv", "Issue,Owner,Status\nRig broken,Ann,Open\nLicences,Bob,Closed\n")
    assert main(["--db", str(store.path), "import", str(sheet), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (
        "dry run, nothing written: would have imported 2 issue from the register issues.csv: 2 added" in out
    )
    assert store.count("issue") == 0 and store.audit_count() == 0


def test_options_that_do_not_apply_are_refused(store: Store, tmp_path: Path, capsys) -> None:
    sheet = _csv(tmp_path, "issues.csv", "Issue,Owner\nRig broken,Ann\n")
    db = ["--db", str(store.path)]
    assert main([*db, "import", str(sheet), "--no-phases"]) == 2
    assert "--no-phases is for MS Project plans" in capsys.readouterr().err
    assert main([*db, "import", str(sheet), "--project", "NOPE"]) == 2
    assert "--project NOPE: no such project" in capsys.readouterr().err
    assert store.count("issue") == 0


def test_a_messy_register_as_found_in_the_wild(store: Store, tmp_path: Path) -> None:
    """Semicolons (European Excel), a required-column star, 'Owner / Manager', '4 (High)', a
    High/Medium/Low sheet whose own score counts 3/2/1 (3×2 = 6 agrees: no warning), a month as a
    review date, 'Ongoing' as a placeholder, a soft line break pasted from Word."""
    sheet = _csv(
        tmp_path,
        "Project X risks.csv",
        "Risk Title*;Owner / Manager;Likelihood;Impact on Cost;Risk Score;Review;Due\n"
        "Supplier late;Ann;High;Medium;6;Mar-27;Ongoing\n"
        "Budget\x0bcut;Bob;4 (High);Low;4;15/01/2027;\n",
    )
    result = import_path(store, sheet)
    risks = _risks(store)
    assert (risks["Supplier late"]["probability"], risks["Supplier late"]["impact"]) == (4, 3)
    assert risks["Supplier late"]["review_date"] == "2027-03-01"
    assert (
        risks["Budget cut"]["probability"],
        risks["Budget cut"]["impact"],
        risks["Budget cut"]["owner"],
    ) == (4, 2, "Bob")
    notes = "\n".join(result.notes)
    assert "disagrees" not in notes  # 3×2 = 6 and 4×1 = 4 in the sheet's own three levels
    assert "dates given as a month read as its first day: 'Mar-27' → 2027-03-01 (1)" in notes
    assert "1 one-line cell(s) held line breaks: joined with spaces" in notes
