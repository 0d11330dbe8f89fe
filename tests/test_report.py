"""The highlight report for the demo programme, in all three formats (HTML parsed, not grepped)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pendulum
import pytest

from pgmtui.cli import main
from pgmtui.report import md, render, to_html, to_markdown
from pgmtui.services import report_of
from pgmtui.store import Store

TODAY = pendulum.Date(2026, 11, 25)


@pytest.fixture
def data(demo_db: Path) -> dict:
    with Store.open(demo_db) as s:
        return report_of(s, TODAY)


def test_report_data_for_the_demo(data: dict) -> None:
    assert data["programme"] == "Digital Workplace Programme"
    assert data["period"] == {"start": "2026-11-18", "end": "2026-11-25"}
    assert data["overall"]["rag"] == "R" and data["overall"]["rag_last"] == "R"
    dims = {d["name"]: (d["rag"], d["rag_last"]) for d in data["dimensions"]}
    assert list(dims) == ["time", "cost", "scope/quality", "risk", "benefits"]
    assert dims["time"] == ("R", "A")  # CLD's schedule went beyond tolerance this week
    assert dims["scope/quality"] == ("R", "A")  # the critical DPIA issue was raised this week
    projects = {p["code"]: p for p in data["projects"]}
    assert (projects["CLD"]["rag"], projects["CLD"]["rag_last"]) == ("R", "A")
    assert (projects["IAM"]["rag"], projects["IAM"]["rag_last"]) == ("A", "R")
    assert projects["DAT"]["rag_label"] == "R*" and projects["DAT"]["override_reason"].startswith(
        "DPIA rejected"
    )
    risks = data["key_risks"]
    assert risks[0]["score"] >= risks[-1]["score"] >= 10
    new = next(r for r in risks if r["title"] == "Co-location provider refuses lease extension")
    assert new["trend"] == "new"
    assert all(d["status"] in ("late", "at risk") for d in data["dependency_exceptions"])
    assert any(
        d["consumer"] == "ERP:Data migration rehearsal 1" and d["slack_days"] == -18
        for d in data["dependency_exceptions"]
    )
    assert data["decisions_needed"] and all(
        d["overdue"] == (d["due_date"] < "2026-11-25") for d in data["decisions_needed"] if d["due_date"]
    )
    assert all("2026-11-25" <= m["date"] <= "2026-12-09" for m in data["next_milestones"])
    assert {c["title"] for c in data["changes"]} >= {"RAG changes", "Risks", "Milestones"}


class _Tables(HTMLParser):
    """Collects the text of every table cell by table id, headings, and any script/link tags."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.headings: list[str] = []
        self.forbidden: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._h = False
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "link", "img", "iframe"):
            self.forbidden.append(tag)
        if tag == "style":
            self._in_style = True
        if tag == "table":
            self._table = a.get("id")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "h2":
            self._h = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "h2":
            self._h = False
        elif tag == "style":
            self._in_style = False

    def handle_data(self, text):
        if self._cell is not None:
            self._cell.append(text)
        if self._h:
            self.headings[-1] += text
        if self._in_style:
            self.style += text


def test_html_is_self_contained_and_has_every_section(data: dict) -> None:
    page = to_html(data)
    p = _Tables()
    p.feed(page)
    p.close()
    assert p.forbidden == []  # no scripts, stylesheets or images from elsewhere
    assert "@media print" in p.style
    assert p.headings[:4] == ["Overall status", "Status by dimension", "Tolerance status", "Projects"]
    assert {
        "Key risks", "Opportunities", "Key issues", "Dependency exceptions", "Benefits", "Decisions needed",
        "Changes this period", "Work planned next period (to 2026-12-09)",
    } <= set(p.headings)  # fmt: skip
    dims = {row[0]: row[1:3] for row in p.tables["dimension-table"][1:]}
    assert dims["Time"] == ["● Red", "▲ Amber"]
    projects = {row[0]: row for row in p.tables["project-table"][1:]}
    assert projects["CLD Cloud Migration"][2:4] == ["● Red", "▲ Amber"]
    assert projects["DAT Data Platform"][2] == "● Red*"
    assert len(p.tables["risk-table"]) - 1 == len(data["key_risks"])


def test_record_text_is_escaped_in_html_and_markdown(data: dict) -> None:
    evil = "<script>alert(1)</script> | *bold* _it_ [x](http://e) & co"
    data["projects"][0]["name"] = evil
    data["key_risks"][0]["title"] = evil
    page = to_html(data)
    p = _Tables()
    p.feed(page)
    assert p.forbidden == []
    assert any(evil in cell for row in p.tables["risk-table"] for cell in row)  # shown literally
    text = to_markdown(data)
    assert "<script>" not in text
    # "&" stays as it is ("Identity & Access Management"); only an entity-like "&amp;" is escaped.
    assert md(evil) == r"\<script\>alert(1)\</script\> \| \*bold\* \_it\_ \[x\](http://e) & co"
    assert md("AT&amp;T &#38; co") == r"AT\&amp;T \&#38; co"  # shown literally, never decoded
    risk_rows = [ln for ln in text.splitlines() if "alert(1)" in ln]
    assert risk_rows and all(ln.count(" | ") == ln.count("|") - 2 - ln.count(r"\|") for ln in risk_rows)


def test_markdown_tables_are_well_formed(data: dict) -> None:
    text = to_markdown(data)
    assert text.startswith("# Highlight report — Digital Workplace Programme\n")
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            width = lines[i - 1].count("|")
            j = i + 1
            while j < len(lines) and lines[j].startswith("| "):
                assert lines[j].replace(r"\|", "").count("|") == width, lines[j]
                j += 1
    assert "| Time | ● Red | ▲ Amber |" in text


def test_json_and_cli(demo_db: Path, tmp_path: Path, capsys, data: dict) -> None:
    assert json.loads(render(data, "json")) == data
    assert main(["--db", str(demo_db), "report", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["programme"] == "Digital Workplace Programme"
    out = tmp_path / "r.html"
    assert main(["--db", str(demo_db), "report", "--format", "html", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["--db", str(demo_db), "report", "--format", "pdf"]) == 2
    assert main(["--db", str(demo_db), "report", "--out", str(tmp_path / "nope" / "r.md")]) == 2
    err = capsys.readouterr().err
    assert err.count("pgmtui: error:") == 2 and not (tmp_path / "nope").exists()


def test_json_keys_are_the_ones_scripts_read(data: dict) -> None:
    assert set(data) == {
        "report", "programme", "sponsor", "manager", "currency", "date", "period", "next_period_end",
        "overall", "dimensions", "projects", "key_risks", "key_issues", "dependency_exceptions",
        "benefits", "decisions_needed", "next_milestones", "changes", "stakeholder_engagement", "trend",
        "finance", "change_requests_decided",  # added by issue 14
        # added by issue 19 (existing keys unchanged):
        "changes_by_project", "opportunities", "next_actions", "tolerances",
    }  # fmt: skip
    assert set(data["projects"][0]) >= {"code", "rag", "rag_last", "cpi", "spi", "eac", "bac", "status_note"}
    assert set(data["key_risks"][0]) == {
        "id", "project", "title", "owner", "score", "band", "score_last", "trend", "response",
        "proximity", "review_date",
    }  # fmt: skip


def test_a_new_section_is_one_collect_layout_pair_and_one_registry_line(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pgmtui import report
    from pgmtui.reportdoc import Fixed, Heading, Rag, Table

    def collect(c: report.ReportContext) -> dict:
        return {"cash": {"projects": len(c.tables["project"]), "rag": "A", "note": "<b>cash</b> *flow*"}}

    def layout(d: dict) -> list:
        f = d["cash"]
        rows = [[Fixed(str(f["projects"])), Rag(f["rag"]), f["note"]]]
        return [Heading("Cash", "cash"), Table("cash-table", ("Projects", "RAG", "Note"), rows)]

    monkeypatch.setattr(report, "SECTIONS", [*report.SECTIONS, report.Section("cash", collect, layout)])
    with Store.open(demo_db) as s:
        data = report_of(s, TODAY)
    assert data["cash"] == {"projects": 9, "rag": "A", "note": "<b>cash</b> *flow*"}
    assert json.loads(render(data, "json"))["cash"]["projects"] == 9
    text = to_markdown(data)
    assert "## Cash" in text and r"| 9 | ▲ Amber | \<b\>cash\</b\> \*flow\* |" in text
    p = _Tables()
    p.feed(to_html(data))
    assert "Cash" in p.headings
    assert p.tables["cash-table"] == [["Projects", "RAG", "Note"], ["9", "▲ Amber", "<b>cash</b> *flow*"]]


def test_both_renderers_escape_record_text_but_not_our_own(data: dict) -> None:
    from pgmtui.reportdoc import Fixed, Paragraph, to_html_blocks, to_markdown_blocks

    para = [Paragraph((Fixed("**Due:** "), "# <i>not a heading</i>"))]
    assert to_markdown_blocks(para) == "**Due:** \\# \\<i\\>not a heading\\</i\\>\n"
    assert to_html_blocks(para) == ["<p>**Due:** # &lt;i&gt;not a heading&lt;/i&gt;</p>"]
