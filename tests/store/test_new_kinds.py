"""The second wave's record kinds in the store, on real database files: a valid record of each kind
with its audit row and defaults, every validation rule refused with its message and nothing
written, references by name, code, CODE:name and KIND:ID, uniqueness, derived values."""

from __future__ import annotations

from typing import Any

import pytest

from pgmtui.records.fields import KINDS, SECOND_WAVE, STAGES, column_for
from pgmtui.store import NotFoundError, Store, ValidationError
from tests.second_wave import add_wave_base

TODAY = "2026-11-25"  # the suite's fixed clock


@pytest.fixture
def wave(small_programme: Store) -> Store:
    add_wave_base(small_programme)
    small_programme.insert("person", {"name": "Asha Patel", "role": "Architect"})
    small_programme.insert("objective", {"code": "GROW", "name": "Grow revenue"})
    small_programme.insert("stakeholder", {"name": "Finance Director", "power": 5, "interest": 2})
    return small_programme


def _state(s: Store) -> tuple[dict[str, int], int]:
    return {k: s.count(k) for k in KINDS}, s.audit_count()


# ---------------------------------------------------------------------- a valid record of each kind

# kind → (fields as a user types them, the stored columns expected, beyond the defaults)
VALID: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "person": (
        {"name": "Ben Okafor", "team": "Network", "email": "ben@example.org", "capacity_pct": "60"},
        {"name": "Ben Okafor", "team": "Network", "email": "ben@example.org", "capacity_pct": 60},
    ),
    "allocation": (
        {"person": "ASHA PATEL", "project": "IAM", "milestone": "IAM:Gate 1", "start_date": "2026-11-23",
         "end_date": "2026-12-04", "percent": "50"},
        {"person_id": 1, "project_id": 1, "milestone_id": 2, "start_date": "2026-11-23",
         "end_date": "2026-12-04", "percent": 50.0},
    ),
    # CLD's actual cost so far is 20 000: with this row its actual cost is derived from it (the sum
    # of its cost rows' actuals, tests/store/test_finance.py) and stays 20 000, so one audit row.
    "cost": (
        {"project": "CLD", "month": "2027-03", "planned": "1,250,000", "actual": "20000"},
        {"project_id": 2, "month": "2027-03", "category": "opex", "planned": 1_250_000.0, "actual": 20_000.0},
    ),
    "change_request": (
        {"project": "IAM", "title": "Add MFA", "cost_impact": "-5000", "schedule_impact_days": "-3"},
        {"project_id": 1, "title": "Add MFA", "cost_impact": -5000.0, "schedule_impact_days": -3,
         "funding": "change", "status": "raised"},
    ),
    "objective": (
        {"code": "SEC", "name": "Reduce risk", "weight": "1.5"},
        {"code": "SEC", "name": "Reduce risk", "weight": 1.5},
    ),
    "contribution": (
        {"objective": "grow", "benefit": "fewer tickets", "strength": "2"},
        {"objective_id": 1, "project_id": None, "benefit_id": 1, "strength": 2},
    ),
    "business_case": (
        {"project": "IAM", "annual_running_cost": "12000"},
        {"project_id": 1, "horizon_years": 5, "discount_rate_pct": None, "annual_running_cost": 12000.0},
    ),
    "gate_review": (
        {"milestone": "CLD:landing zone", "review_date": "2027-01-28", "decision": "1"},
        {"milestone_id": 3, "review_date": "2027-01-28", "outcome": "pending", "decision_id": 1},
    ),
    "stakeholder": (
        {"name": "CIO", "power": "5", "interest": "5", "target_attitude": "Champion", "projects": "IAM, cld"},
        {"name": "CIO", "power": 5, "interest": 5, "attitude": "neutral", "target_attitude": "champion"},
    ),
    "engagement": (
        {"stakeholder": "finance director", "date": "2026-11-20", "next_date": "2026-12-04"},
        {"stakeholder_id": 1, "date": "2026-11-20", "channel": "meeting", "next_date": "2026-12-04"},
    ),
    "communication": (
        {"audience": "Board", "message": "Highlight report", "channel": "report", "frequency_days": "30"},
        {"audience": "Board", "message": "Highlight report", "channel": "report", "frequency_days": 30},
    ),
    "action": (
        {"title": "Chase firewall rules", "owner": "Asha Patel", "about": "issue:1", "project": "CLD"},
        {"title": "Chase firewall rules", "status": "open", "about": "issue:1", "project_id": 2,
         "done_date": None},
    ),
    "lesson": (
        {"title": "Book reviews early", "source": "milestone:IAM:Gate 1"},
        {"title": "Book reviews early", "category": "other", "source": "milestone:2", "date": TODAY},
    ),
}  # fmt: skip


def test_every_new_kind_has_a_valid_example() -> None:
    assert set(VALID) == {k.name for k in SECOND_WAVE}


@pytest.mark.parametrize("kind", list(VALID))
def test_a_valid_record_is_stored_versioned_and_audited(wave: Store, kind: str) -> None:
    fields, expected = VALID[kind]
    audit_before = wave.audit_count()
    row_id = wave.insert(kind, fields)
    row = wave.get(kind, f"id:{row_id}")
    assert {c: row[c] for c in expected} == expected
    assert (row["version"], row["updated_by"]) == (1, wave.user)
    audit = wave.audit()
    assert len(audit) == audit_before + 1
    last = audit[-1]
    assert (last["tbl"], last["row_id"], last["action"]) == (KINDS[kind].table, row_id, "insert")
    # The audit row holds every value written (what an undo or a rewind needs), and nothing else.
    stored = {k: v for k, v in row.items() if k not in ("id", "version", "created_at", "updated_at",
                                                        "updated_by", "projects") and v is not None}  # fmt: skip
    assert {k: new for k, (old, new) in last["changes"].items() if k != "projects"} == stored
    assert all(old is None for old, _ in last["changes"].values())


def test_stakeholder_projects_are_links_stored_and_audited(wave: Store) -> None:
    sid = wave.insert("stakeholder", {"name": "CIO", "power": 4, "interest": 4, "projects": "IAM, cld"})
    assert sorted(wave.get("stakeholder", "cio")["projects"]) == [1, 2]
    assert wave.audit(table="stakeholder", row_id=sid)[0]["changes"]["projects"] == [None, [1, 2]]
    wave.update("stakeholder", "CIO", {"projects": "CLD"})
    assert wave.get("stakeholder", sid)["projects"] == [2]
    assert wave.audit(table="stakeholder", row_id=sid)[-1]["changes"] == {"projects": [[1, 2], [2]]}
    assert wave.read_all()["links"]["stakeholder_project"] == {sid: [2]}


def test_defaults_of_the_new_settings_and_fields(wave: Store) -> None:
    programme = wave.programme()
    assert programme is not None
    assert (
        programme["discount_rate_pct"],
        programme["resource_lookahead_weeks"],
        programme["management_reserve"],
        programme["power_threshold"],
        programme["interest_threshold"],
    ) == (3.5, 4, 0.0, 3, 3)
    assert wave.get("project", "IAM")["contingency"] == 0.0
    assert wave.get("benefit", "Fewer tickets")["annual_value"] is None
    assert wave.get("person", "asha patel")["capacity_pct"] == 100
    assert wave.get("stakeholder", "Finance Director")["attitude"] == "neutral"
    assert STAGES == ("Initiation", "Delivery", "Closure", "Closed")
    wave.update("project", "IAM", {"stage": "Closed", "contingency": "40,000"})
    wave.update("benefit", "Fewer tickets", {"annual_value": "250000"})
    wave.update("programme", 1, {"management_reserve": "500000", "resource_lookahead_weeks": "8"})
    assert wave.get("project", "IAM")["contingency"] == 40_000.0
    assert wave.get("benefit", 1)["annual_value"] == 250_000.0
    assert wave.programme()["resource_lookahead_weeks"] == 8


# ---------------------------------------------------------------------- refusals

# (kind, fields, the exact message)
REFUSED: list[tuple[str, str, dict[str, Any], str]] = [
    # programme settings, project, benefit
    ("rate-over-100", "programme", {"discount_rate_pct": "101"}, "discount_rate_pct must be at most 100, got 101"),
    ("lookahead-53", "programme", {"resource_lookahead_weeks": "53"}, "resource_lookahead_weeks must be at most 52, got 53"),
    ("reserve-negative", "programme", {"management_reserve": "-1"}, "management_reserve must be at least 0, got -1"),
    ("power-threshold-6", "programme", {"power_threshold": "6"}, "power_threshold must be at most 5, got 6"),
    ("interest-threshold-0", "programme", {"interest_threshold": "0"}, "interest_threshold must be at least 1, got 0"),
    ("setting-emptied", "programme", {"discount_rate_pct": ""}, "discount_rate_pct cannot be empty (its default is 3.5)"),
    ("contingency-negative", "project", {"contingency": "-5"}, "contingency must be at least 0, got -5"),
    # person
    ("capacity-0", "person", {"name": "X", "capacity_pct": "0"}, "capacity_pct must be at least 1, got 0"),
    ("capacity-101", "person", {"name": "X", "capacity_pct": "101"}, "capacity_pct must be at most 100, got 101"),
    ("email-no-at", "person", {"name": "X", "email": "x.example.org"},
     "email must be one address like name@example.org (one @, no spaces), got 'x.example.org'"),
    ("email-two-at", "person", {"name": "X", "email": "x@y@z"},
     "email must be one address like name@example.org (one @, no spaces), got 'x@y@z'"),
    ("email-space", "person", {"name": "X", "email": "x y@z.org"},
     "email must be one address like name@example.org (one @, no spaces), got 'x y@z.org'"),
    ("person-same-name-other-case", "person", {"name": "asha PATEL"}, "a person named 'asha PATEL' already exists (#1)"),
    ("person-blank-name", "person", {"name": "  "}, "name must not be blank"),
    # allocation
    ("allocation-unknown-person", "allocation",
     {"person": "Nobody", "project": "IAM", "start_date": "2026-12-01", "end_date": "2026-12-31", "percent": 50},
     "person: unknown person 'Nobody' (no person has that name; use its id)"),
    ("allocation-unknown-project", "allocation",
     {"person": "Asha Patel", "project": "NOPE", "start_date": "2026-12-01", "end_date": "2026-12-31", "percent": 50},
     "project: unknown project code 'NOPE'"),
    ("allocation-percent-0", "allocation",
     {"person": "Asha Patel", "project": "IAM", "start_date": "2026-12-01", "end_date": "2026-12-31", "percent": 0},
     "percent must be at least 1, got 0"),
    ("allocation-percent-101", "allocation",
     {"person": "Asha Patel", "project": "IAM", "start_date": "2026-12-01", "end_date": "2026-12-31", "percent": "101"},
     "percent must be at most 100, got 101"),
    ("allocation-dates-reversed", "allocation",
     {"person": "Asha Patel", "project": "IAM", "start_date": "2026-12-31", "end_date": "2026-12-01", "percent": 50},
     "end_date 2026-12-01 is before start_date 2026-12-31"),
    ("allocation-no-start", "allocation",
     {"person": "Asha Patel", "project": "IAM", "end_date": "2026-12-01", "percent": 50}, "start_date is required"),
    ("allocation-milestone-elsewhere", "allocation",
     {"person": "Asha Patel", "project": "IAM", "milestone": "CLD:Landing zone", "start_date": "2026-12-01",
      "end_date": "2026-12-31", "percent": 50},
     "milestone CLD:Landing zone is not in project IAM (an allocation's milestone must belong to its project)"),
    # cost
    ("month-short", "cost", {"project": "IAM", "month": "2027-3"}, "month must be YYYY-MM, got '2027-3'"),
    ("month-a-date", "cost", {"project": "IAM", "month": "2027-03-15"}, "month must be YYYY-MM, got '2027-03-15'"),
    ("month-13", "cost", {"project": "IAM", "month": "2027-13"}, "month must be YYYY-MM, got '2027-13'"),
    ("month-too-early", "cost", {"project": "IAM", "month": "1989-12"}, "month 1989-12 is outside 1990-01…2100-12"),
    ("cost-category", "cost", {"project": "IAM", "month": "2027-03", "category": "capital"},
     "category must be one of: capex, opex; got 'capital'"),
    ("cost-planned-negative", "cost", {"project": "IAM", "month": "2027-03", "planned": "-1"},
     "planned must be at least 0, got -1"),
    ("cost-actual-negative", "cost", {"project": "IAM", "month": "2027-03", "actual": "-0.5"},
     "actual must be at least 0, got -0.5"),
    # change request
    ("cr-status", "change_request", {"project": "IAM", "title": "t", "status": "pending"},
     "status must be one of: raised, approved, rejected, withdrawn; got 'pending'"),
    ("cr-funding", "change_request", {"project": "IAM", "title": "t", "funding": "loan"},
     "funding must be one of: change, contingency, reserve; got 'loan'"),
    ("cr-ten-years", "change_request", {"project": "IAM", "title": "t", "schedule_impact_days": "3651"},
     "schedule_impact_days must be at most 3650, got 3651"),
    ("cr-decided-before-raised", "change_request",
     {"project": "IAM", "title": "t", "raised_date": "2026-11-10", "decided_date": "2026-11-01"},
     "decided_date 2026-11-01 is before raised_date 2026-11-10"),
    ("cr-no-project", "change_request", {"title": "t"}, "project is required"),
    # objective
    ("objective-code-shape", "objective", {"code": "grow revenue", "name": "n"},
     "objective code 'grow revenue' must be 1–16 letters, digits, '-' or '_' (e.g. GROW)"),
    ("objective-code-taken", "objective", {"code": "grow", "name": "n"}, "an objective with code 'grow' already exists (#1)"),
    ("objective-weight-negative", "objective", {"code": "W", "name": "n", "weight": "-1"}, "weight must be at least 0, got -1"),
    # contribution
    ("contribution-neither", "contribution", {"objective": "GROW", "strength": 2},
     "a contribution is from a project or from a benefit: give exactly one of the two (got neither)"),
    ("contribution-both", "contribution", {"objective": "GROW", "project": "IAM", "benefit": "Fewer tickets", "strength": 2},
     "a contribution is from a project or from a benefit: give exactly one of the two (got both)"),
    ("contribution-strength-4", "contribution", {"objective": "GROW", "project": "IAM", "strength": 4},
     "strength must be at most 3, got 4"),
    ("contribution-unknown-objective", "contribution", {"objective": "NOPE", "project": "IAM", "strength": 1},
     "objective: unknown objective code 'NOPE'"),
    # business case
    ("case-horizon-0", "business_case", {"project": "IAM", "horizon_years": "0"}, "horizon_years must be at least 1, got 0"),
    ("case-horizon-51", "business_case", {"project": "IAM", "horizon_years": "51"}, "horizon_years must be at most 50, got 51"),
    ("case-rate", "business_case", {"project": "IAM", "discount_rate_pct": "120"}, "discount_rate_pct must be at most 100, got 120"),
    # gate review
    ("review-not-a-gate", "gate_review", {"milestone": "IAM:Design", "review_date": "2026-12-01"},
     "IAM:Design is not a stage gate (set is_gate=yes on the milestone first)"),
    ("review-outcome", "gate_review", {"milestone": "IAM:Gate 1", "review_date": "2026-12-01", "outcome": "maybe"},
     "outcome must be one of: pending, go, conditional, hold, stop; got 'maybe'"),
    ("review-no-date", "gate_review", {"milestone": "IAM:Gate 1"}, "review_date is required"),
    ("review-unknown-decision", "gate_review", {"milestone": "IAM:Gate 1", "review_date": "2026-12-01", "decision": "9"},
     "decision: no decision with id 9"),
    # stakeholder
    ("power-6", "stakeholder", {"name": "X", "power": 6, "interest": 3}, "power must be at most 5, got 6"),
    ("interest-0", "stakeholder", {"name": "X", "power": 3, "interest": 0}, "interest must be at least 1, got 0"),
    ("attitude-unknown", "stakeholder", {"name": "X", "power": 3, "interest": 3, "attitude": "hostile"},
     "attitude must be one of: blocker, critic, neutral, supporter, champion; got 'hostile'"),
    ("cadence-366", "stakeholder", {"name": "X", "power": 3, "interest": 3, "cadence_days": 366},
     "cadence_days must be at most 365, got 366"),
    ("stakeholder-taken", "stakeholder", {"name": "FINANCE director", "power": 3, "interest": 3},
     "a stakeholder named 'FINANCE director' already exists (#1)"),
    ("stakeholder-no-power", "stakeholder", {"name": "X", "interest": 3}, "power is required"),
    # engagement and communication
    ("engagement-unknown-stakeholder", "engagement", {"stakeholder": "Nobody", "date": "2026-11-20"},
     "stakeholder: unknown stakeholder 'Nobody' (no stakeholder has that name; use its id)"),
    ("engagement-channel", "engagement", {"stakeholder": "Finance Director", "date": "2026-11-20", "channel": "fax"},
     "channel must be one of: meeting, email, call, workshop, report, other; got 'fax'"),
    ("engagement-next-before", "engagement",
     {"stakeholder": "Finance Director", "date": "2026-11-20", "next_date": "2026-11-19"},
     "next_date 2026-11-19 is before date 2026-11-20"),
    ("communication-no-audience", "communication", {"message": "m"}, "audience is required"),
    ("communication-every-0-days", "communication", {"audience": "a", "message": "m", "frequency_days": "0"},
     "frequency_days must be at least 1, got 0"),
    # action and lesson
    ("about-missing-record", "action", {"title": "t", "about": "issue:99"}, "about: no issue with id 99"),
    ("about-unknown-kind", "action", {"title": "t", "about": "ticket:3"},
     "about: unknown kind 'ticket' (one of: " + ", ".join(KINDS) + ")"),
    ("about-no-kind", "action", {"title": "t", "about": "3"},
     "about must be KIND:ID (e.g. issue:3 or project:IAM), got '3'"),
    ("about-unknown-project", "action", {"title": "t", "about": "project:NOPE"}, "about: unknown project code 'NOPE'"),
    ("action-status", "action", {"title": "t", "status": "closed"}, "action status must be"),
    ("open-action-done-date", "action", {"title": "t", "done_date": "2026-11-20"},
     "done_date is for a done action; this one is open (set status=done with it)"),
    ("lesson-category", "lesson", {"title": "t", "category": "luck"},
     "category must be one of: planning, governance, supplier, technical, people, benefits, risk, other; got 'luck'"),
    ("source-missing-record", "lesson", {"title": "t", "source": "risk:7"}, "source: no risk with id 7"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "fields", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_bad_values_are_refused_with_their_message_and_nothing_written(
    wave: Store, kind: str, fields: dict[str, Any], message: str
) -> None:
    before = _state(wave)
    with pytest.raises(ValidationError) as err:
        if kind in ("programme", "project"):
            wave.update(kind, 1, fields)
        else:
            wave.insert(kind, fields)
    if message == "action status must be":  # the enum message lists the choices
        assert str(err.value) == "status must be one of: open, done, cancelled; got 'closed'"
    else:
        assert str(err.value) == message
    assert _state(wave) == before


def test_uniqueness_messages_name_the_row_to_edit(wave: Store) -> None:
    wave.insert("cost", {"project": "IAM", "month": "2027-03", "planned": 100})
    wave.insert(
        "cost", {"project": "IAM", "month": "2027-03", "category": "capex", "planned": 100}
    )  # other category
    wave.insert("contribution", {"objective": "GROW", "project": "IAM", "strength": 2})
    wave.insert("contribution", {"objective": "GROW", "benefit": "Fewer tickets", "strength": 1})
    wave.insert("business_case", {"project": "IAM"})
    wave.insert("business_case", {"notes": "the programme's"})
    before = _state(wave)
    cases = [
        ("cost", {"project": "iam", "month": "2027-03", "category": "OPEX"},
         "IAM 2027-03 opex already has a cost row (#1); edit it instead"),
        ("contribution", {"objective": "grow", "project": "IAM", "strength": 3},
         "objective GROW already has a contribution from project IAM (#1); edit it instead"),
        ("contribution", {"objective": "GROW", "benefit": "FEWER TICKETS", "strength": 3},
         "objective GROW already has a contribution from benefit 'Fewer tickets' (#2); edit it instead"),
        ("business_case", {"project": "IAM", "horizon_years": 3},
         "project IAM already has a business case (#1); edit it instead"),
        ("business_case", {"horizon_years": 3}, "the programme already has a business case (#2); edit it instead"),
    ]  # fmt: skip
    for kind, fields, message in cases:
        with pytest.raises(ValidationError) as err:
            wave.insert(kind, fields)
        assert str(err.value) == message
    assert _state(wave) == before


def test_a_record_does_not_clash_with_itself_but_a_rename_into_another_does(wave: Store) -> None:
    wave.insert("person", {"name": "Ben Okafor"})
    assert wave.update("person", "Asha Patel", {"name": "ASHA PATEL", "team": "Core"})["version"] == 2
    with pytest.raises(ValidationError, match=r"^a person named 'ben okafor' already exists \(#2\)$"):
        wave.update("person", 1, {"name": "ben okafor"})
    cost = wave.insert("cost", {"project": "IAM", "month": "2027-03"})
    assert wave.update("cost", cost, {"planned": 10})["planned"] == 10.0
    wave.insert("cost", {"project": "IAM", "month": "2027-04"})
    with pytest.raises(ValidationError, match="already has a cost row"):
        wave.update("cost", cost, {"month": "2027-04"})
    wave.insert("business_case", {"project": "IAM"})
    case = wave.insert("business_case", {"project": "CLD"})
    with pytest.raises(ValidationError, match=r"^project IAM already has a business case \(#1\)"):
        wave.update("business_case", case, {"project": "IAM"})
    assert wave.update("business_case", case, {"project": ""})["project_id"] is None  # now the programme's


# ---------------------------------------------------------------------- references


def test_people_stakeholders_and_objectives_are_named_in_any_case_or_by_id(wave: Store) -> None:
    assert wave.get("person", "asha patel")["id"] == wave.get("person", "#1")["id"] == 1
    assert wave.get("objective", "grow")["code"] == "GROW"
    assert wave.get("objective", "code:GROW")["id"] == 1
    assert wave.get("stakeholder", "FINANCE DIRECTOR")["id"] == 1
    with pytest.raises(NotFoundError, match="^unknown person 'Asha' "):
        wave.get("person", "Asha")
    # a name that is all digits, and also another person's id: said, never guessed
    wave.insert("person", {"name": "1"})
    with pytest.raises(NotFoundError, match="ambiguous"):
        wave.get("person", "1")
    assert wave.get("person", "id:1")["name"] == "Asha Patel"


def test_kinds_without_a_name_are_named_by_id(wave: Store) -> None:
    rid = wave.insert("gate_review", {"milestone": "IAM:Gate 1", "review_date": "2026-12-01"})
    assert wave.update("gate_review", str(rid), {"outcome": "go"})["outcome"] == "go"
    with pytest.raises(
        NotFoundError, match=r"^a gate_review is given by its id \(e.g. 12 or id:12\), got 'Gate 1'$"
    ):
        wave.update("gate_review", "Gate 1", {"outcome": "go"})


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("project:IAM", "project:1"),
        ("Project : cld", "project:2"),
        ("project:code:IAM", "project:1"),
        ("milestone:IAM:Gate 1", "milestone:2"),
        ("milestone:Landing zone", "milestone:3"),
        ("issue:1", "issue:1"),
        ("decision:#1", "decision:1"),
        ("benefit:fewer tickets", "benefit:1"),
        ("person:Asha Patel", "person:1"),
        ("objective:grow", "objective:1"),
        ("programme:1", "programme:1"),
    ],
)
def test_a_link_names_any_record_and_is_stored_as_kind_and_id(wave: Store, typed: str, stored: str) -> None:
    aid = wave.insert("action", {"title": "t", "about": typed})
    assert wave.get("action", aid)["about"] == stored
    lid = wave.insert("lesson", {"title": "t", "source": typed})
    assert wave.get("lesson", lid)["source"] == stored


def test_a_link_can_name_an_action_or_a_gate_review(wave: Store) -> None:
    review = wave.insert("gate_review", {"milestone": "IAM:Gate 1", "review_date": "2026-12-01"})
    action = wave.insert("action", {"title": "Close conditions", "about": f"gate_review:{review}"})
    lesson = wave.insert("lesson", {"title": "Plan gate conditions", "source": f"action:{action}"})
    assert wave.get("lesson", lesson)["source"] == f"action:{action}"
    assert wave.update("action", action, {"about": ""})["about"] is None


def test_bulk_loads_take_links_as_ids_and_check_them_at_the_end(wave: Store) -> None:
    ids = wave.bulk_insert(
        "action", [{"title": "a", "about": "issue:1"}, {"title": "b", "about": "project:2"}]
    )
    assert [wave.get("action", i)["about"] for i in ids] == ["issue:1", "project:2"]
    before = _state(wave)
    with pytest.raises(
        ValidationError, match="^about: give KIND:ID with the record's id, got 'project:IAM'$"
    ):
        wave.bulk_insert("action", [{"title": "c", "about": "project:IAM"}])
    with pytest.raises(ValidationError, match="^action 4: about: no issue with id 42$"):
        wave.bulk_insert("action", [{"title": "c", "about": "issue:1"}, {"title": "d", "about": "issue:42"}])
    assert _state(wave) == before


# ---------------------------------------------------------------------- values the store fills in


def test_an_action_done_gets_todays_date_and_loses_it_when_reopened(wave: Store) -> None:
    aid = wave.insert("action", {"title": "Send the plan", "due_date": "2026-11-27"})
    assert wave.get("action", aid)["done_date"] is None
    done = wave.update("action", aid, {"status": "done"})
    assert done["done_date"] == TODAY
    assert wave.audit(table="action", row_id=aid)[-1]["changes"] == {
        "status": ["open", "done"],
        "done_date": [None, TODAY],
    }
    cancelled = wave.update("action", aid, {"status": "cancelled"})
    assert cancelled["done_date"] == TODAY  # kept: it was done on that day
    reopened = wave.update("action", aid, {"status": "open"})
    assert reopened["done_date"] is None
    assert wave.audit(table="action", row_id=aid)[-1]["changes"] == {
        "status": ["cancelled", "open"],
        "done_date": [TODAY, None],
    }
    given = wave.update("action", aid, {"status": "done", "done_date": "2026-11-23"})
    assert given["done_date"] == "2026-11-23"  # a date given is kept
    created_done = wave.insert("action", {"title": "Already done", "status": "done"})
    assert wave.get("action", created_done)["done_date"] == TODAY


def test_a_backdated_write_uses_its_own_day(wave: Store) -> None:
    import pendulum

    with wave.acting("ben", at=pendulum.datetime(2026, 11, 20, 9, tz="UTC")):
        aid = wave.insert("action", {"title": "t", "status": "done"})
        lid = wave.insert("lesson", {"title": "l"})
    assert wave.get("action", aid)["done_date"] == "2026-11-20"
    assert wave.get("lesson", lid)["date"] == "2026-11-20"


def test_a_lesson_keeps_a_date_given_and_an_update_does_not_redate_it(wave: Store) -> None:
    lid = wave.insert("lesson", {"title": "l", "date": "2026-10-01"})
    assert wave.get("lesson", lid)["date"] == "2026-10-01"
    assert wave.update("lesson", lid, {"date": ""})["date"] is None  # emptied on purpose stays empty


def test_a_gate_with_reviews_stays_a_gate(wave: Store) -> None:
    wave.insert("gate_review", {"milestone": "IAM:Gate 1", "review_date": "2026-12-01"})
    before = _state(wave)
    with pytest.raises(ValidationError) as err:
        wave.update("milestone", "IAM:Gate 1", {"is_gate": "no"})
    assert str(err.value) == (
        "IAM:Gate 1 has 1 gate review(s): it stays a stage gate while they exist (delete them first)"
    )
    assert _state(wave) == before
    wave.update("milestone", "CLD:Landing zone", {"is_gate": "no"})  # no reviews: fine


def test_check_finds_second_wave_rows_other_programs_broke(wave: Store, db_path) -> None:
    import sqlite3

    assert wave.integrity_problems() == []
    wave.insert("action", {"title": "t", "about": "issue:1"})
    wave.insert("allocation", {"person": "Asha Patel", "project": "IAM", "start_date": "2026-12-01",
                               "end_date": "2026-12-31", "percent": 50})  # fmt: skip
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE action SET about = 'issue:77'")
    conn.execute("UPDATE allocation SET end_date = '2026-11-01', percent = 300")
    conn.execute("UPDATE person SET email = 'asha(at)example.org'")
    conn.commit()
    conn.close()
    assert sorted(wave.integrity_problems()) == [
        "action 1: about: no issue with id 77",
        "allocation 1: end_date 2026-11-01 is before start_date 2026-12-01",
        "allocation 1: percent must be at most 100, got 300",
        "person 1: email must be one address like name@example.org (one @, no spaces), got 'asha(at)example.org'",
    ]


def test_every_new_field_has_a_column(store: Store) -> None:
    """The migration made a column for every field the kinds declare (refs live in link tables)."""
    for kind in KINDS.values():
        columns = set(store.rows(kind.name)[0]) if store.count(kind.name) else None
        if columns is None:
            import sqlite3

            conn = sqlite3.connect(store.path)
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info({kind.table})")}  # static names
            conn.close()
        expected = {column_for(f) for f in kind.fields if f.type != "refs"}
        assert expected <= columns, (kind.name, expected - columns)
