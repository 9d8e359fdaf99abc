"""Assessment content through the session: items saved one at a time in the real encrypted
store, finished versions read-only (service and SQLite trigger), new versions, comparison,
export and import of every field, demo content and the size of a large assessment."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from benchmarks.large_assessment import content_items, content_words, make_large_assessment
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from aim3desk.domain.assessment import (
    AssessmentContent,
    ChronologyEvent,
    DomainNotes,
    EvidenceEntry,
    FactorRating,
    Formulation,
    FormulationPart,
    FormulationPartId,
    HackettPosition,
    ReadOnlyVersion,
    SafetyAction,
    SafetyPlan,
    ScreeningRecord,
    SpeakerKind,
    TrafficLight,
    Unknown,
    Voice,
)
from aim3desk.domain.cases import AssessmentModel, Case, LeadAgency, Requester, new_id
from aim3desk.domain.codec import check_links
from aim3desk.security.keyfile import KdfParams
from aim3desk.services.assessments import AssessmentService, item_key
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService, Session
from aim3desk.store.unit_of_work import UnitOfWork

# The version is not ready for supervision: finishing it needs a written reason.
UNREADY = "Finished early for this test"

FAST_KDF = KdfParams(8192, 1, 1)
TODAY = date(2025, 6, 2)


@pytest.fixture(autouse=True)
def no_machine_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))


def open_profile(folder: Path) -> Session:
    session, _recovery = ProfileService(folder, kdf=FAST_KDF).create(
        "quiet harbour lantern", "Odile Testwright"
    )
    return session


@pytest.fixture
def session(tmp_path: Path):
    opened = open_profile(tmp_path / "profile")
    yield opened
    opened.close()


def new_case(reference: str = "ASM-0001") -> Case:
    return Case(
        id=new_id(),
        reference=reference,
        young_person_name="Fennimore Madeupson",
        date_of_birth=date(2010, 3, 4),
        lead_agency=LeadAgency.YOS,
        lead_worker="Odile Testwright",
        requested_by=Requester.CASE_WORKER,
        request_date=date(2025, 5, 1),
    )


def full_content() -> AssessmentContent:
    """Every field of AssessmentContent and of each item set to something not default."""
    evidence = (
        EvidenceEntry(
            "ev-1",
            "developmental",
            3,
            "Line one\r\nLine «two» ✓ 中文\t end  ",
            date(2025, 5, 2),
            "education",
            "protective_factor",
            "shareable",
        ),
        EvidenceEntry(
            "ev-2", None, None, "General", None, "police", "multi_agency", "verbatim_session", "u-1"
        ),
    )
    return AssessmentContent(
        ratings=(
            FactorRating("sexual_behaviour", 1, "significant_concern", "Why ✓", "Strength"),
            FactorRating("developmental", 5, None, "", "Only a strength note"),
        ),
        domain_notes=(DomainNotes("family_environment", "Concern\n", "Strength"),),
        evidence=evidence,
        unknowns=(
            Unknown(
                "u-1",
                "developmental",
                3,
                "Earlier school?",
                "Ask",
                "Lead",
                date(2025, 6, 1),
                "ev-2",
                date(2025, 5, 20),
            ),
            Unknown("u-2", None, None, "Open question"),
        ),
        chronology=(
            ChronologyEvent("c-2", date(2020, 1, 1), "Same day, first", "School"),
            ChronologyEvent("c-1", date(2020, 1, 1), "Same day, second", ""),
        ),
        screenings=(
            ScreeningRecord(
                "s-1", "Behaviour", HackettPosition.PROBLEMATIC, TrafficLight.AMBER, "Note"
            ),
        ),
        voices=(
            Voice("v-1", SpeakerKind.YOUNG_PERSON, "", "", "My words", date(2025, 5, 3)),
            Voice("v-2", SpeakerKind.PARENT_CARER, "Pim Fictionby", "Father", "His words", None),
        ),
        formulation=Formulation()
        .with_part(
            FormulationPartId.WHAT_HAPPENED,
            FormulationPart("What", (("developmental", 3),), ("ev-1", "ev-2")),
        )
        .with_part(FormulationPartId.INTERVENTION_AND_SUPERVISION, FormulationPart("Plan")),
        safety_plan=SafetyPlan(
            "Risks",
            (SafetyAction("Carer", "Supervise", "Home"), SafetyAction("School", "Check in")),
            "Line of sight",
            date(2025, 7, 1),
        ),
    )


def save_all(service: AssessmentService, assessment_id: str, content: AssessmentContent) -> None:
    service.save_items(assessment_id, content_items(content))


def test_items_are_saved_loaded_and_deleted_one_at_a_time(session: Session) -> None:
    case = session.cases.add_case(new_case(), today=TODAY)
    assessment_id = case.current_assessment.id
    service = session.assessments
    assert service.load(assessment_id) == AssessmentContent()
    content = full_content()
    check_links(content)
    save_all(service, assessment_id, content)
    assert service.load(assessment_id) == content  # order of every collection kept too

    edited = replace(content.evidence[0], text="Edited")
    assert service.save_item(assessment_id, edited)
    assert not service.save_item(assessment_id, edited)  # unchanged: nothing written
    loaded = service.load(assessment_id)
    assert loaded.evidence[0] == edited and loaded.evidence[1:] == content.evidence[1:]
    # A blank rating is no rating: saving it removes the row, as the content drops it.
    assert service.save_item(assessment_id, FactorRating("sexual_behaviour", 1))
    assert service.load(assessment_id).ratings == content.ratings[1:]
    assert service.delete_item(assessment_id, "chronology", "c-2")
    assert not service.delete_item(assessment_id, "chronology", "c-2")
    assert [e.id for e in service.load(assessment_id).chronology] == ["c-1"]
    # A compound edit and its undo, each in one transaction.
    assert service.save_items(
        assessment_id, [content.chronology[0]], [("voice", "v-1"), ("voice", "v-2")]
    )
    after = service.load(assessment_id)
    assert after.voices == () and {e.id for e in after.chronology} == {"c-1", "c-2"}
    assert item_key(content.ratings[0]) == "sexual_behaviour:1"
    assert item_key(content.formulation) == "formulation"
    with pytest.raises(ValueError, match="item kind"):
        service.delete_item(assessment_id, "nonsense", "x")
    with pytest.raises(TypeError):
        service.save_item(assessment_id, "not an item")

    entries = [e for e in session.audit.entries() if e.action == "assessment.edit"]
    assert entries and all(set(e.detail) == {"assessment_id", "kinds"} for e in entries)
    trail = json.dumps([e.__dict__ for e in session.audit.entries()], ensure_ascii=False)
    for secret in ("Line one", "Edited", "My words", "Earlier school", "Pim Fictionby"):
        assert secret not in trail
    assert session.audit.verify().ok


def test_edit_audit_is_throttled_per_kind(session: Session) -> None:
    now = [datetime(2025, 6, 2, 9, 0, tzinfo=UTC)]
    service = AssessmentService(
        UnitOfWork(session.store.engine),
        session.settings,
        "Odile Testwright",
        lambda: pytest.fail("forms are not needed to save"),
        clock=lambda: now[0],
    )
    assessment_id = session.cases.add_case(new_case(), today=TODAY).current_assessment.id
    entry = full_content().evidence[0]
    for minute in range(3):
        now[0] += timedelta(minutes=minute)
        service.save_item(assessment_id, replace(entry, text=f"draft {minute}"))
    service.save_item(assessment_id, full_content().voices[0])
    now[0] += timedelta(minutes=15)
    service.save_item(assessment_id, replace(entry, text="later"))
    kinds = [e.detail["kinds"] for e in session.audit.entries() if e.action == "assessment.edit"]
    assert kinds == [["evidence"], ["voice"], ["evidence"]]


def test_finished_version_is_read_only_and_a_new_version_starts_from_it(
    session: Session,
) -> None:
    case = session.cases.add_case(new_case(), today=TODAY)
    first = case.current_assessment
    service = session.assessments
    save_all(service, first.id, full_content())
    with pytest.raises(ValueError, match="still open"):
        service.new_version(case.id)
    finished = service.finish(first.id, override_reason=UNREADY)
    assert finished.finished and finished.finished_at is not None
    message = "finished and read-only: start a new version"
    writes = [
        lambda: service.save_item(first.id, full_content().voices[0]),
        lambda: service.delete_item(first.id, "voice", "v-1"),
        lambda: service.save_items(first.id, [], [("evidence", "ev-1")]),
        lambda: service.finish(first.id),
        lambda: session.cases.change_model(first.id, AssessmentModel.AIM_U12),
    ]
    for write in writes:
        with pytest.raises(ReadOnlyVersion, match=message):
            write()
    # The database refuses it too, whoever asks.
    with pytest.raises(DBAPIError, match="read-only"), session.store.engine.begin() as conn:
        conn.execute(text("DELETE FROM assessment_items WHERE assessment_id = :a"), {"a": first.id})
    assert service.load(first.id) == full_content()

    second = service.new_version(case.id, today=TODAY)
    assert (second.version, second.based_on_id, second.finished) == (2, first.id, False)
    assert second.request_date == TODAY and second.due_date == TODAY + timedelta(weeks=6)
    assert service.load(second.id) == full_content()  # item ids kept for compare()
    assert [a.id for a in service.versions(case.id)] == [first.id, second.id]
    assert service.assessment(second.id) == second
    assert session.cases.get_case(case.id).current_assessment == second

    service.save_item(second.id, FactorRating("sexual_behaviour", 1, "some_concern", "Why ✓"))
    service.save_item(second.id, replace(full_content().evidence[0], text="New text"))
    changes = service.compare(first.id, second.id)
    assert [(c.area, c.old, c.new) for c in changes] == [
        ("rating", "Significant concern", "Some concern"),
        ("strength_note", "Strength", ""),
        ("evidence", full_content().evidence[0].text, "New text"),
    ]
    actions = [e.action for e in session.audit.entries()]
    assert "assessment.finish" in actions and "assessment.new_version" in actions


def test_export_import_keeps_every_field_of_the_content(session: Session, tmp_path: Path) -> None:
    case = session.cases.add_case(new_case(), today=TODAY)
    first = case.current_assessment
    save_all(session.assessments, first.id, full_content())
    session.assessments.finish(first.id, override_reason=UNREADY)
    second = session.assessments.new_version(case.id, today=TODAY)
    changed = replace(full_content().safety_plan, risks="Changed risks")
    session.assessments.save_item(second.id, changed)
    out = tmp_path / "export.json"
    session.exchange.export_case(case.reference, out)

    other = open_profile(tmp_path / "other")
    try:
        result = other.exchange.import_case(out, today=TODAY)
        imported = other.cases.get_case(case.id)
        assert imported.assessments == session.cases.get_case(case.id).assessments
        assert (
            imported.assessments[0].finished_at
            == session.assessments.assessment(first.id).finished_at
        )
        assert other.assessments.load(first.id) == full_content()
        assert other.assessments.load(second.id) == replace(full_content(), safety_plan=changed)
        assert result.assessments == 2
        with pytest.raises(ReadOnlyVersion):  # still finished after the import
            other.assessments.save_item(first.id, changed)
    finally:
        other.close()


def test_demo_content_is_realistic_and_repeatable(tmp_path: Path) -> None:
    def contents(folder: Path) -> list[AssessmentContent]:
        with open_profile(folder) as opened:
            added = add_demo_cases(opened, count=8, seed=3, today=TODAY)
            return [opened.assessments.load(c.current_assessment.id) for c in added]

    first = contents(tmp_path / "a")
    assert first == contents(tmp_path / "b")
    filled = [c for c in first if c.evidence]
    assert filled
    for content in filled:
        check_links(content)
        assert any(r.rating == "unknown" for r in content.ratings)
        assert all(r.rationale for r in content.ratings)
        assert len({e.source for e in content.evidence}) >= 3
        assert len({e.category for e in content.evidence}) >= 2
        assert content.chronology and content.voices and content.open_unknowns()
        assert any(not part.is_empty for _, part in content.formulation.parts())
    assert len({e.sharing for c in filled for e in c.evidence}) >= 3


def test_large_assessment_round_trips_and_saves_one_entry_at_a_time(session: Session) -> None:
    """Correctness only; how long a load or a save takes is measured by `make bench`."""
    large = make_large_assessment(seed=1)
    assert len(large.ratings) == 25 and all(r.rating and r.rationale for r in large.ratings)
    assert len(large.evidence) == 200
    assert 49_000 <= content_words(large) <= 51_000
    check_links(large)
    case = session.cases.add_case(new_case(), today=TODAY, contents={})
    assessment_id = case.current_assessment.id
    save_all(session.assessments, assessment_id, large)
    assert session.assessments.load(assessment_id) == large

    entry = large.evidence[100]
    for n in range(3):
        edited = replace(entry, text=f"{entry.text} and {n}")
        session.assessments.save_item(assessment_id, edited)
    evidence = list(large.evidence)
    evidence[100] = edited
    assert session.assessments.load(assessment_id) == replace(large, evidence=tuple(evidence))
