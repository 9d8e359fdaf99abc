"""Search what you wrote: the full-text index inside the encrypted store (migration 0009), kept
by triggers on every write, read by session.search; erased with its case; built from the
content already there when a profile is upgraded."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from aim3desk.domain.assessment_items import (
    EvidenceEntry,
    FactorRating,
    Formulation,
    FormulationPart,
    FormulationPartId,
    Recommendations,
)
from aim3desk.domain.cases import Case, new_id
from aim3desk.domain.supervision import PromptResponse, SupervisionSession, SupervisionType
from aim3desk.services.search import MATCH_END, MATCH_START, match_expression
from aim3desk.services.search_places import place_of
from aim3desk.services.session import Session
from aim3desk.store import migrate
from aim3desk.store.db import Store
from aim3desk.store.erase import full_text_tables
from aim3desk.store.search import search_content
from bundle_people import new_person
from deletion_kit import TODAY, add_aim3_case, add_canary_case, data_key
from sqlcipher_pages import found_in

MARKS = (MATCH_START, MATCH_END)


@pytest.fixture
def alex(tmp_path: Path):
    session = new_person(tmp_path, "Alex Inventedworker")
    yield session
    session.close()


def _add_case(session: Session, reference: str = "SRCH-0001") -> Case:
    return add_aim3_case(session, reference, "Invented Person")


def _evidence(text_: str, domain_id: str | None = "developmental", id_: str = "ev-1"):
    return EvidenceEntry(
        id_,
        domain_id,
        None,
        text_,
        TODAY,
        "practitioner_observation",
        "background",
        "practitioner_reflection",
    )


def _current(case: Case) -> str:
    assert case.current_assessment is not None
    return case.current_assessment.id


# -- the query parser -----------------------------------------------------------------------


def test_each_word_is_quoted_and_the_last_is_a_prefix() -> None:
    assert match_expression("climbing wall") == '"climbing" "wall"*'
    assert match_expression('say "no" AND') == '"say" """no""" "AND"*'
    assert match_expression("  ") is None
    assert match_expression('" - * ( )') is None


@pytest.mark.parametrize(
    "typed",
    ['"', 'wall"', "AND", "OR NOT", "NEAR(", "(", "a:b", "body:wall", "*", "^wall", "o'brien",
     "wall -", "{wall}", "wall)", "x" * 300, "\u0000", "\\", "%_"],
)  # fmt: skip
def test_what_people_type_never_raises(alex: Session, typed: str) -> None:
    case = _add_case(alex)
    alex.assessments.save_items(_current(case), [_evidence("He likes the climbing wall.")])
    assert isinstance(alex.search.search(typed), list)


# -- finding ----------------------------------------------------------------------------------


def test_a_word_of_an_evidence_text_finds_the_case_and_its_page(alex: Session) -> None:
    case = _add_case(alex)
    other = _add_case(alex, "SRCH-0002")
    alex.assessments.save_items(
        _current(case), [_evidence("Disclosed at school that he was frightened of the bus.")]
    )
    alex.assessments.save_items(_current(other), [_evidence("Nothing of note today.")])

    hits = alex.search.search("frightened")

    assert [(h.reference, h.place.key, h.place.label) for h in hits] == [
        ("SRCH-0001", "domain:developmental", "Developmental: evidence")
    ]
    assert hits[0].young_person_name == "Invented Person"
    assert f"{MATCH_START}frightened{MATCH_END}" in hits[0].snippet


def test_the_last_word_matches_as_a_prefix_and_all_words_must_match(alex: Session) -> None:
    case = _add_case(alex)
    alex.assessments.save_items(_current(case), [_evidence("A trampoline at the youth club.")])
    assert alex.search.search("tramp")
    assert alex.search.search("youth tramp")
    assert alex.search.search("tramp youth") == []  # only the last word is a prefix
    assert alex.search.search("trampoline swimming") == []


def test_unicode_case_and_accents(alex: Session) -> None:
    case = _add_case(alex)
    alex.assessments.save_items(
        _current(case), [_evidence("Met Zoë at the café in Llanelli; Ŵyn joined.")]
    )
    for typed in ("café", "cafe", "CAFÉ", "zoe", "Zoë", "ŵyn", "wyn"):
        assert alex.search.search(typed), typed


def test_each_kind_of_content_is_found_at_its_place(alex: Session) -> None:
    case = _add_case(alex)
    formulation = Formulation().with_part(
        FormulationPartId.WHAT_HAPPENED, FormulationPart("Quolbrite pattern since spring.")
    )
    rating = FactorRating("sexual_behaviour", 2, "high", "Rationale mentions zephyrine.", "")
    advice = Recommendations("Weekly sessions on vornality.", "", "")
    alex.assessments.save_items(_current(case), [formulation, rating, advice])
    alex.supervision.save_session(
        case.id,
        SupervisionSession(
            new_id(), TODAY, "Rosalind Mockingham", SupervisionType.ASSESSMENT_ONE,
            notes="Discussed the plinthery worry.",
            wellbeing=(PromptResponse("distressing_stories", "Feeling wobblestone this week."),),
        ),
        today=TODAY,
    )  # fmt: skip

    def places(typed: str) -> list[tuple[str, str]]:
        return [(h.place.key, h.place.label) for h in alex.search.search(typed)]

    assert places("quolbrite") == [("formulation", "Case formulation")]
    assert places("zephyrine") == [("domain:sexual_behaviour", "Sexual behaviour: factor notes")]
    assert places("vornality") == [("sharing", "Recommendations")]
    assert places("plinthery") == [("records:supervision", "Supervision notes")]
    assert places("wobblestone") == []  # a practitioner's well-being is never indexed
    assert places("high") == []  # a rating's choice is not text anyone wrote
    assert places("practitioner") == []  # nor an evidence entry's source


def test_several_items_on_one_page_are_one_result(alex: Session) -> None:
    case = _add_case(alex)
    entries = [_evidence(f"Kestrel sighting number {n}.", id_=f"ev-{n}") for n in range(3)]
    alex.assessments.save_items(_current(case), entries)
    hits = alex.search.search("kestrel")
    assert [(h.place.label, h.matches) for h in hits] == [("Developmental: evidence", 3)]


def test_an_edited_or_deleted_item_is_found_as_it_now_is(alex: Session) -> None:
    case = _add_case(alex)
    assessment_id = _current(case)
    alex.assessments.save_items(assessment_id, [_evidence("First wording: marmalade.")])
    alex.assessments.save_items(assessment_id, [_evidence("Second wording: porridge.")])
    assert alex.search.search("marmalade") == []
    assert alex.search.search("porridge")

    alex.assessments.delete_item(assessment_id, "evidence", "ev-1")
    assert alex.search.search("porridge") == []


def test_a_finished_version_is_found_once_and_only_the_current_version_speaks(
    alex: Session,
) -> None:
    case = _add_case(alex)
    first = _current(case)
    alex.assessments.save_items(first, [_evidence("Original note about the allotment.")])
    alex.assessments.finish(first, override_reason="Invented reason to finish now.")
    assert [h.reference for h in alex.search.search("allotment")] == ["SRCH-0001"]

    second = alex.assessments.new_version(case.id, today=TODAY)
    assert [h.matches for h in alex.search.search("allotment")] == [1]  # not once per version
    alex.assessments.save_items(second.id, [_evidence("Rewritten: the community garden.")])
    assert alex.search.search("allotment") == []
    assert alex.search.search("community garden")


def test_results_are_limited_and_best_first(alex: Session) -> None:
    for n in range(6):
        case = _add_case(alex, f"SRCH-{n:04d}")
        words = "heron " * (n + 1)
        alex.assessments.save_items(_current(case), [_evidence(f"{words}seen by the canal.")])
    hits = alex.search.search("heron", limit=3)
    assert len(hits) == 3
    assert hits[0].reference == "SRCH-0005"  # the most mentions ranks first


# -- places -----------------------------------------------------------------------------------


def test_a_domain_the_forms_do_not_know_and_no_domain_still_have_a_place() -> None:
    assert place_of("evidence", "gone", lambda _d: None).key == "domain:gone"
    unplaced = place_of("evidence", "", lambda _d: None)
    assert unplaced.key == "" and "not tied to a domain" in unplaced.label


# -- erasing ----------------------------------------------------------------------------------


def test_erasing_a_case_leaves_none_of_its_words_in_the_index(alex: Session) -> None:
    target = add_canary_case(alex)
    kept = _add_case(alex, "SRCH-0009")
    alex.assessments.save_items(_current(kept), [_evidence("Kept words about the lighthouse.")])
    key = data_key(alex)
    database = alex.profile_dir / "store.db"
    # The index keeps words in lower case; the random part of each canary is unique.
    words = [target.evidence, target.formulation, target.supervision]
    needles = [w.lower().encode() for w in words] + [w[-32:].encode() for w in words]
    assert alex.search.search(target.evidence)
    alex.store.checkpoint()
    assert sorted(found_in(database, key, needles)) == sorted(needles)

    alex.deletion.delete_case(target.case.reference, "Opened in error for a test.")

    assert alex.search.search(target.evidence) == []
    assert found_in(database, key, needles) == []
    assert [h.reference for h in alex.search.search("lighthouse")] == ["SRCH-0009"]
    with alex.store.engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM search_entries WHERE case_id = :c"), {
            "c": target.case.id
        }).scalar()  # fmt: skip
    assert left == 0


def test_the_index_is_a_full_text_table_with_a_case_id(alex: Session) -> None:
    with alex.store.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert full_text_tables(raw) == ["search_text"]
        columns = [row[1] for row in raw.execute("PRAGMA table_info(search_text)")]
    assert "case_id" in columns


# -- upgrading --------------------------------------------------------------------------------


def test_content_already_there_is_indexed_by_the_upgrade(tmp_path: Path) -> None:
    key = bytearray(os.urandom(32))
    store = Store(tmp_path / "store.db", key, create=True)
    try:
        migrate.upgrade(store, tmp_path / "backups", target="0008")
        evidence = _evidence_row("Seen at the skate park with older boys.")
        with store.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO cases (id, reference, young_person_name, date_of_birth, "
                    "lead_agency, lead_worker, co_workers, requested_by, request_date, "
                    "joint_with_social_worker, status, created_at, updated_at) VALUES ('c1', "
                    "'OLD-1', 'Tamsin Orrel', '2011-02-03', 'yos', 'Wren Abbot', '[]', "
                    "'case_worker', '2024-01-05', 0, 'in_assessment', 't', 't')"
                )
            )
            for version, finished in ((1, 1), (2, 0)):
                conn.execute(
                    text(
                        "INSERT INTO assessments (id, case_id, model, request_date, due_date, "
                        "version, finished, created_at, updated_at) VALUES (:id, 'c1', 'aim3', "
                        "'2024-01-05', '2024-02-16', :version, 0, 't', 't')"
                    ),
                    {"id": f"a{version}", "version": version},
                )
                conn.execute(
                    text(
                        "INSERT INTO assessment_items VALUES (:a, 'evidence', 'ev-1', :data, 't')"
                    ),
                    {"a": f"a{version}", "data": evidence},
                )
                if finished:
                    conn.execute(text("UPDATE assessments SET finished = 1 WHERE id = 'a1'"))
            conn.execute(
                text(
                    "INSERT INTO case_items VALUES ('c1', 'consultation', 'k1', :data, 't')"
                ),
                {"data": json.dumps({"id": "k1", "date": "2024-01-09", "service": "NSPCC",
                                     "advice": "Talk to the school nurse."})},
            )  # fmt: skip

        migrate.upgrade(store, tmp_path / "backups")

        with store.engine.connect() as conn:
            skate = search_content(conn, '"skate"', 10, MARKS)
            nurse = search_content(conn, '"nurse"', 10, MARKS)
        assert [(m.reference, m.kind, m.domain_id) for m in skate] == [
            ("OLD-1", "evidence", "developmental")
        ]  # once: version 2 is the current one
        assert [(m.case_id, m.kind) for m in nurse] == [("c1", "consultation")]
    finally:
        store.close()


def _evidence_row(text_: str) -> str:
    return json.dumps(
        {
            "id": "ev-1",
            "domain_id": "developmental",
            "factor_slot": None,
            "text": text_,
            "date": "2024-01-06",
            "source": "practitioner_observation",
            "category": "background",
            "sharing": "practitioner_reflection",
            "unknown_id": None,
        }
    )
