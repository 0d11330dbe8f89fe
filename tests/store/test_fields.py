"""What a valid value is, type by type (pgmtui.records.fields): every form, CLI argument and import
row goes through coerce_field, so its answers and its messages are checked here one by one."""

from __future__ import annotations

import pytest

from pgmtui.records.errors import ValidationError
from pgmtui.records.fields import MAX_LONG_TEXT, MAX_TEXT, Field, coerce_field


@pytest.mark.parametrize(
    ("type_", "options", "raw", "stored"),
    [
        ("text", {}, "  Asha  ", "  Asha  "),
        ("text", {}, None, None),
        ("text", {}, 42, "42"),
        ("text", {}, "tab\there", "tab\there"),
        ("longtext", {}, "a\nb", "a\nb"),
        ("int", {}, " 12 ", 12),
        ("int", {}, "1,000", 1000),
        ("int", {}, "1_000", 1000),
        ("int", {}, 3.0, 3),
        ("int", {"minimum": 1, "maximum": 5}, 5, 5),
        ("int", {"minimum": 1, "maximum": 5}, 1, 1),
        ("real", {}, "2.5", 2.5),
        ("real", {}, 7, 7.0),
        ("money", {"minimum": 0}, "1,250,000", 1250000.0),
        ("money", {}, 10000000000000.0, 10000000000000.0),
        ("percent", {"minimum": 0, "maximum": 100}, "45 %", 45.0),
        ("percent", {"minimum": 0, "maximum": 100}, "12.5%", 12.5),
        ("date", {}, " 2026-11-25 ", "2026-11-25"),
        ("date", {}, "1990-01-01", "1990-01-01"),
        ("date", {}, "2100-12-31", "2100-12-31"),
        ("bool", {}, "yes", True),
        ("bool", {}, "Y", True),
        ("bool", {}, "on", True),
        ("bool", {}, "1", True),
        ("bool", {}, "true", True),
        ("bool", {}, "no", False),
        ("bool", {}, "n", False),
        ("bool", {}, "off", False),
        ("bool", {}, "0", False),
        ("bool", {}, "FALSE", False),
        ("bool", {}, False, False),
        ("enum", {"choices": ("open", "in progress")}, "IN PROGRESS", "in progress"),
        ("rag", {}, "red", "R"),
        ("rag", {}, "Amber", "A"),
        ("rag", {}, "g", "G"),
        ("rag", {}, "GREEN", "G"),
        ("proximity", {}, "This Stage", "this stage"),
        ("proximity", {}, "2026-12-01", "2026-12-01"),
        ("proximity", {}, "IMMINENT", "imminent"),
        ("ref", {}, 7, 7),
        ("ref", {}, " IAM ", "IAM"),
        ("refs", {}, "IAM, CLD,,", ["IAM", "CLD"]),
        ("refs", {}, [1, " 2 "], ["1", "2"]),
        ("refs", {}, "", None),
    ],
)
def test_accepted_values_are_stored_in_their_canonical_form(type_, options, raw, stored):
    value = coerce_field(Field("f", type_, **options), raw)
    assert value == stored and type(value) is type(stored)


@pytest.mark.parametrize(
    ("type_", "options", "raw", "message"),
    [
        ("text", {}, "a\nb", "f must be a single line"),
        ("text", {"required": True}, "   ", "f must not be blank"),
        ("text", {"required": True}, "", "f is required"),
        ("text", {}, "bell\x07", "f contains control characters (terminal escapes are not allowed)"),
        ("text", {}, "del\x7f", "f contains control characters (terminal escapes are not allowed)"),
        ("text", {}, "c1\x9b", "f contains control characters (terminal escapes are not allowed)"),
        ("text", {}, "nul\x00", "f contains a NUL byte"),
        ("int", {}, "1.5", "f must be a whole number, got '1.5'"),
        ("int", {}, 3.5, "f must be a whole number, got 3.5"),
        ("int", {}, "abc", "f must be a whole number (digits 0-9), got 'abc'"),
        ("int", {}, True, "f must be a number"),
        ("int", {"minimum": 1, "maximum": 5}, 0, "f must be at least 1, got 0"),
        ("int", {"minimum": 1, "maximum": 5}, 6, "f must be at most 5, got 6"),
        ("real", {}, "nan", "f must be a finite number"),
        ("real", {}, "inf", "f must be a finite number"),
        ("real", {"minimum": 0}, -0.5, "f must be at least 0, got -0.5"),
        ("money", {}, 100000000000000.0, "f is implausibly large"),
        ("money", {}, -100000000000000.0, "f is implausibly large"),
        ("percent", {"minimum": 0, "maximum": 100}, "100.5", "f must be at most 100, got 100.5"),
        ("date", {}, "2026-02-30", "f: 2026-02-30 is not a real date"),
        ("date", {}, "2026-2-3", "f must be a date YYYY-MM-DD, got '2026-2-3'"),
        ("date", {}, "1989-12-31", "f 1989-12-31 is outside 1990–2100"),
        ("date", {}, "2101-01-01", "f 2101-01-01 is outside 1990–2100"),
        ("bool", {}, "maybe", "f must be yes or no, got 'maybe'"),
        ("enum", {"choices": ("open", "closed")}, "shut", "f must be one of: open, closed; got 'shut'"),
        ("rag", {}, "blue", "f must be R, A or G; got 'blue'"),
        (
            "proximity",
            {},
            "soon",
            "f must be a date or one of: imminent, this stage, this project, beyond; got 'soon'",
        ),
    ],
)
def test_refused_values_say_why(type_, options, raw, message):
    with pytest.raises(ValidationError) as err:
        coerce_field(Field("f", type_, **options), raw)
    assert (err.value.field, err.value.message, str(err.value)) == ("f", message, message)


def test_length_limits_are_inclusive():
    assert coerce_field(Field("f", "text"), "x" * MAX_TEXT) == "x" * MAX_TEXT
    assert coerce_field(Field("f", "longtext"), "x" * MAX_LONG_TEXT) == "x" * MAX_LONG_TEXT
    with pytest.raises(ValidationError, match=r"^f is too long \(2001 characters, at most 2000\)$"):
        coerce_field(Field("f", "text"), "x" * (MAX_TEXT + 1))
    with pytest.raises(ValidationError, match=r"^f is too long \(20001 characters, at most 20000\)$"):
        coerce_field(Field("f", "longtext"), "x" * (MAX_LONG_TEXT + 1))
    with pytest.raises(ValidationError, match="^f is required$"):
        coerce_field(Field("f", "date", required=True), "  ")


def test_names_titles_and_kinds():
    from pgmtui.records.fields import KINDS, column_for, kind_named, parse_date

    assert Field("percent_complete", "percent").title == "Percent complete"
    assert Field("tolerance_cost_pct", "real", label="Cost tol. (%)").title == "Cost tol. (%)"
    assert (column_for(Field("project", "ref", ref="project")), column_for(Field("name", "text"))) == (
        "project_id",
        "name",
    )
    assert kind_named("risk") is KINDS["risk"]
    with pytest.raises(ValidationError, match="^unknown kind 'riks' \\(one of: programme, project, "):
        kind_named("riks")
    with pytest.raises(
        ValidationError, match="^unknown field 'colour' for milestone \\(known: project, name, "
    ):
        KINDS["milestone"].field("colour")
    assert KINDS["benefit"].names[-1] == "projects" and KINDS["risk"].field("impact").maximum == 5
    import datetime

    assert parse_date(datetime.date(2026, 3, 1)) == "2026-03-01"
    with pytest.raises(ValidationError, match="^due 1900-01-01 is outside 1990–2100$"):
        parse_date(datetime.date(1900, 1, 1), "due")
    with pytest.raises(ValidationError, match="^f must be at least 0.5, got 0.25$"):
        coerce_field(Field("f", "real", minimum=0.5), 0.25)
