"""The guided assessment's domain core: ratings and rules, evidence and sharing defaults,
unknowns, screening kept apart, profile and bands, readiness, versions and the JSON codec.
Synthetic data only: every name and event here is invented."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aim3desk.domain.assessment import (
    AssessmentContent,
    AssessmentVersion,
    ChronologyEvent,
    DomainNotes,
    EvidenceEntry,
    FactorRating,
    Formulation,
    FormulationPart,
    FormulationPartId,
    HackettPosition,
    ReadOnlyVersion,
    Recommendations,
    SafetyAction,
    SafetyPlan,
    ScreeningRecord,
    SpeakerKind,
    TrafficLight,
    Unknown,
    Voice,
    new_event,
    new_evidence,
    new_screening,
    new_unknown,
    new_voice,
    shareable_evidence,
)
from aim3desk.domain.cases import Assessment, AssessmentModel
from aim3desk.domain.codec import (
    CONTENT_SCHEMA_VERSION,
    ITEM_KINDS,
    content_from_dict,
    content_to_dict,
    item_from_dict,
    item_kind,
    item_to_dict,
)
from aim3desk.domain.forms import (
    FACTORS_PER_DOMAIN,
    HACKETT_IDS,
    TRAFFIC_LIGHT_IDS,
    EvidenceRules,
    FormError,
    FormSet,
    parse_evidence_rules,
    parse_screening,
)
from aim3desk.domain.profile import MissingKind, completeness, profile, readiness
from aim3desk.domain.versions import compare, latest_finished, new_version
from aim3desk.services.forms_loader import load_evidence_rules, load_form_set, load_screening

FORMS = Path(__file__).resolve().parents[1] / "forms"
FORM_SET: FormSet = load_form_set(FORMS)
RULES: EvidenceRules = load_evidence_rules(FORMS)
SCREENING = load_screening(FORMS)
AIM3 = FORM_SET.model("aim3")
U12 = FORM_SET.model("aim-u12")
DOMAINS = AIM3.domain_ids
SLOTS = range(1, FACTORS_PER_DOMAIN + 1)
DAY = date(2026, 3, 9)
RISK_WORDS = ("low risk", "medium risk", "moderate risk", "high risk")


def make_assessment(**changes: object) -> Assessment:
    values: dict[object, object] = dict(
        id="a1",
        case_id="c1",
        model=AssessmentModel.AIM_U12,
        request_date=date(2026, 2, 2),
        due_date=date(2026, 3, 16),
    )
    values.update(changes)
    return Assessment(**values)  # type: ignore[arg-type]


def rate_all(content: AssessmentContent, model, ratings: dict[str, list[str]]) -> AssessmentContent:
    for domain_id, values in ratings.items():
        for slot, value in zip(SLOTS, values, strict=True):
            content = content.set_rating(model, domain_id, slot, value)
            content = content.set_rationale(model, domain_id, slot, f"Because of {value}.")
    return content


def complete_formulation(content: AssessmentContent) -> AssessmentContent:
    """Every formulation part written, and the recommendations that follow from it."""
    for part_id in FormulationPartId:
        content = content.set_formulation_part(part_id, FormulationPart(f"Text for {part_id}."))
    return content.set_recommendations(Recommendations("Invented intervention."))


# ---------------------------------------------------------------------------------------------
# Evidence rules (forms/evidence.toml) and default sharing classes


def test_shipped_evidence_rules_list_the_issue_vocabularies() -> None:
    assert [s.id for s in RULES.sources] == [
        "childrens_social_care",
        "police",
        "health",
        "education",
        "voluntary_community",
        "family",
        "young_person",
        "practitioner_observation",
    ]
    assert [c.id for c in RULES.categories] == [
        "background",
        "risk_factor",
        "protective_factor",
        "intervention_outcome",
        "multi_agency",
    ]
    internal = {c.id for c in RULES.sharing_classes if c.internal_only}
    assert internal == {
        "formulation_note",
        "practitioner_reflection",
        "verbatim_session",
        "sensitive_background",
    }
    assert not RULES.is_internal_only("shareable")


@pytest.mark.parametrize(
    ("source", "category", "expected"),
    [
        ("family", "background", "sensitive_background"),
        ("young_person", "background", "sensitive_background"),
        ("young_person", "risk_factor", "verbatim_session"),
        ("young_person", "protective_factor", "verbatim_session"),
        ("health", "background", "sensitive_background"),
        ("health", "risk_factor", "shareable"),
        ("practitioner_observation", "background", "practitioner_reflection"),
        ("practitioner_observation", "intervention_outcome", "practitioner_reflection"),
        ("practitioner_observation", "risk_factor", "shareable"),
        ("practitioner_observation", "protective_factor", "shareable"),
        ("police", "background", "shareable"),
        ("childrens_social_care", "multi_agency", "shareable"),
        ("family", "protective_factor", "shareable"),
    ],
)
def test_default_sharing_follows_seed_004(source: str, category: str, expected: str) -> None:
    assert RULES.default_sharing(source, category) == expected
    assert RULES.default_why(source, category)
    entry = new_evidence(RULES, text="Invented note.", source=source, category=category)
    assert entry.sharing == expected


def test_every_source_and_category_has_a_known_default() -> None:
    classes = {c.id for c in RULES.sharing_classes}
    for source in RULES.sources:
        for category in RULES.categories:
            assert RULES.default_sharing(source.id, category.id) in classes


def test_practitioner_can_override_the_default_but_not_invent_a_class() -> None:
    entry = new_evidence(
        RULES, text="Invented.", source="young_person", category="risk_factor", sharing="shareable"
    )
    assert entry.sharing == "shareable"
    with pytest.raises(KeyError, match="sharing class"):
        new_evidence(RULES, text="x", source="police", category="risk_factor", sharing="public")
    with pytest.raises(KeyError, match="evidence source"):
        new_evidence(RULES, text="x", source="newspaper", category="risk_factor")
    with pytest.raises(ValueError, match="empty"):
        new_evidence(RULES, text="  ", source="police", category="risk_factor")


def test_shareable_extract_leaves_internal_only_entries_out() -> None:
    content = AssessmentContent()
    kept = new_evidence(
        RULES, text="School reports settled.", source="education", category="protective_factor"
    )
    held = new_evidence(
        RULES, text="In session he said ...", source="young_person", category="risk_factor"
    )
    odd = replace(kept, id="odd", sharing="retired_class")
    for entry in (kept, held, odd):
        content = content.add_evidence(entry)
    assert shareable_evidence(content, RULES) == (kept,)


EVIDENCE_TEXT = (FORMS / "evidence.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'sharing = "verbatim_session"\nwhy',
            'sharing = "gossip"\nwhy',
            "defaults.rules[1].sharing: no sharing class",
        ),
        (
            'sources = ["health"]',
            'sources = ["newspaper"]',
            "defaults.rules[2].sources[0]: no source",
        ),
        (
            '[defaults]\nsharing = "shareable"',
            '[defaults]\nsharing = "nowhere"',
            "defaults.sharing",
        ),
        ('id = "police"', 'id = "health"', "sources[2].id: duplicate"),
        (
            "internal_only = true",
            'internal_only = "yes"',
            "sharing[1].internal_only: expected true",
        ),
        (
            'sources = ["young_person"]\ncategories = ["*"]',
            'sources = ["young_person"]\ncategories = ["background"]',
            "defaults.rules[1]: never",
        ),
        ('label = "Police"', 'label = "Police"\nrank = 1', "sources[1].rank: unknown key"),
        # A `why` is shown beside the choice: a source label means nothing to a practitioner.
        (
            '[defaults]\nsharing = "shareable"\nwhy = "',
            '[defaults]\nsharing = "shareable"\nwhy = "Seed 004: ',
            "defaults.why: is shown to practitioners",
        ),
    ],
)
def test_bad_evidence_file_names_the_key(old: str, new: str, expected: str) -> None:
    assert old in EVIDENCE_TEXT
    with pytest.raises(FormError) as caught:
        parse_evidence_rules("forms/evidence.toml", EVIDENCE_TEXT.replace(old, new, 1))
    assert str(caught.value).startswith("forms/evidence.toml: ")
    assert expected in str(caught.value)


# ---------------------------------------------------------------------------------------------
# Screening (forms/screening.toml): kept apart, never a risk label


SCREENING_TEXT = (FORMS / "screening.toml").read_text(encoding="utf-8")


def test_screening_file_matches_the_fixed_continuum() -> None:
    assert tuple(o.id for o in SCREENING.hackett) == HACKETT_IDS == tuple(HackettPosition)
    assert tuple(o.id for o in SCREENING.traffic_lights) == TRAFFIC_LIGHT_IDS == tuple(TrafficLight)
    assert "screening only" in SCREENING.note.lower()
    assert "never a risk label" in SCREENING.note.lower()
    assert SCREENING.traffic_light("amber").colour.startswith("#")
    assert SCREENING.hackett_option("abusive").label == "Abusive"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('id = "abusive"', 'id = "harmful"', "hackett[3].id: expected 'abusive'"),
        ('label = "Amber"', 'label = "Medium risk"', "traffic_lights[1].label: AIM3 Desk does"),
        ('colour = "#c62828"', 'colour = "red"', "traffic_lights[2].colour"),
        ("format = 1", "format = 2", "format: unsupported"),
    ],
)
def test_bad_screening_file_names_the_key(old: str, new: str, expected: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_screening("forms/screening.toml", SCREENING_TEXT.replace(old, new, 1))
    assert expected in str(caught.value)


def test_screening_never_reaches_the_profile() -> None:
    content = rate_all(AssessmentContent(), U12, {d: ["significant_concern"] * 5 for d in DOMAINS})
    screened = content.put_screening(
        new_screening(
            "Invented behaviour described by school",
            HackettPosition.VIOLENT,
            TrafficLight.RED,
            "Invented note",
        )
    )
    assert profile(screened, U12, FORM_SET) == profile(content, U12, FORM_SET)
    shown = json.dumps(asdict(profile(screened, U12, FORM_SET)), default=str).lower()
    assert "invented behaviour" not in shown
    assert "violent" not in shown and "hackett" not in shown
    for words in RISK_WORDS:
        assert words not in shown
    assert readiness(screened, U12, FORM_SET) == readiness(content, U12, FORM_SET)


# ---------------------------------------------------------------------------------------------
# Ratings, rationale and the order of typing


def test_set_rating_checks_the_scale_domain_and_slot() -> None:
    content = AssessmentContent()
    with pytest.raises(KeyError, match="not on the scale"):
        content.set_rating(AIM3, "developmental", 1, "high")
    with pytest.raises(KeyError, match="no domain"):
        content.set_rating(AIM3, "weather", 1, "no_concern")
    with pytest.raises(KeyError, match="slot"):
        content.set_rating(AIM3, "developmental", 6, "no_concern")


def test_rationale_can_come_before_or_after_the_rating() -> None:
    rated = AssessmentContent().set_rating(AIM3, "developmental", 2, "some_concern")
    kinds = {(m.kind, m.domain_id, m.slot) for m in readiness(rated, AIM3, FORM_SET)}
    assert (MissingKind.RATING_WITHOUT_RATIONALE, "developmental", 2) in kinds
    both = rated.set_rationale(AIM3, "developmental", 2, "Invented rationale.")
    reverse = (
        AssessmentContent()
        .set_rationale(AIM3, "developmental", 2, "Invented rationale.")
        .set_rating(AIM3, "developmental", 2, "some_concern")
    )
    assert both == reverse
    assert both.rating("developmental", 2) == FactorRating(
        "developmental", 2, "some_concern", "Invented rationale."
    )
    # clearing everything removes the row rather than keeping an empty one
    cleared = both.set_rating(AIM3, "developmental", 2, None).set_rationale(
        AIM3, "developmental", 2, ""
    )
    assert cleared.ratings == ()


def test_readiness_messages_name_factor_and_domain() -> None:
    content = AssessmentContent().set_rating(AIM3, "self_regulation", 3, "no_concern")
    messages = [m.message for m in readiness(content, AIM3, FORM_SET)]
    assert "Self-regulation factor 3 (Self-regulation) is rated but has no rationale: say why." in (
        messages
    )
    assert "Developmental factor 1 (Developmental) has not been rated." in messages
    assert 'The case formulation part "What happened" is empty.' in messages


# ---------------------------------------------------------------------------------------------
# Profile and a whole worked example


def worked_example() -> AssessmentContent:
    """An invented AIM u12 assessment, totals computed by hand below."""
    content = rate_all(
        AssessmentContent(),
        U12,
        {
            # scores 4+2+2+0+4 = 12 -> amber
            "sexual_behaviour": [
                "significant_concern",
                "some_concern",
                "some_concern",
                "no_concern",
                "significant_concern",
            ],
            # 0+0+2+0+0 = 2 -> green
            "non_sexual_behaviour": ["no_concern"] * 2 + ["some_concern"] + ["no_concern"] * 2,
            # 4*4+2 = 18 -> red
            "developmental": ["significant_concern"] * 4 + ["some_concern"],
            # 2+2+0+0+0 = 4 -> green (top of the band)
            "family_environment": ["some_concern"] * 2 + ["no_concern"] * 3,
            # 4+2+unknown: no total
            "self_regulation": [
                "significant_concern",
                "some_concern",
                "unknown",
                "no_concern",
                "no_concern",
            ],
        },
    )
    for domain_id in DOMAINS:
        content = content.set_domain_notes(
            domain_id,
            concerns=f"Invented concerns in {domain_id}.",
            strengths=f"Invented strengths in {domain_id}.",
        )
    question = new_unknown(
        "How does Sam calm down at school?",
        how="Ask the class teacher",
        who="Lead worker",
        by_when=date(2026, 3, 20),
        about_domain="self_regulation",
        about_slot=3,
    )
    return complete_formulation(content.mark_unknown(question))


def test_worked_u12_example_totals_and_bands_by_hand() -> None:
    result = profile(worked_example(), U12, FORM_SET)
    got = {
        d.domain_id: (d.total, d.band.id if d.band else None, d.concern_count)
        for d in result.domains
    }
    assert got == {
        "sexual_behaviour": (12, "amber", 4),
        "non_sexual_behaviour": (2, "green", 1),
        "developmental": (18, "red", 5),
        "family_environment": (4, "green", 2),
        "self_regulation": (None, None, 2),
    }
    sexual = result.domains[0]
    assert sexual.title == "Sexual behaviour" and sexual.max_total == 20
    assert sexual.ratings[0].factor_label == "Sexual behaviour factor 1"
    assert [r.score for r in sexual.ratings] == [4, 2, 2, 0, 4]
    assert sexual.strengths == "Invented strengths in sexual_behaviour."
    assert result.scored
    shown = json.dumps(asdict(result), default=str).lower()
    for words in RISK_WORDS:
        assert words not in shown


def test_worked_example_readiness_lists_only_the_open_unknown() -> None:
    content = worked_example()
    missing = readiness(content, U12, FORM_SET)
    assert [(m.kind, m.domain_id, m.slot) for m in missing] == [
        (MissingKind.OPEN_UNKNOWN, "self_regulation", 3)
    ]
    assert missing[0].message == (
        "Still unknown (Self-regulation factor 3, Self-regulation): "
        "How does Sam calm down at school?"
    )
    progress = completeness(content, U12)
    assert progress.domain("sexual_behaviour").fraction == 1.0
    assert progress.domain("self_regulation").done == 5  # unknown is not complete
    assert progress.overall.total == 5 * 6 + 5
    assert progress.overall.done == 5 * 6 + 5 - 1


def test_aim3_default_scale_gives_ratings_but_no_total() -> None:
    content = rate_all(AssessmentContent(), AIM3, {d: ["some_concern"] * 5 for d in DOMAINS})
    result = profile(content, AIM3, FORM_SET)
    assert not result.scored
    for domain in result.domains:
        assert domain.total is None and domain.band is None and domain.max_total is None
        assert domain.concern_count == 5
        assert {r.rating_label for r in domain.ratings} == {"Some concern"}


U12_VALUES = st.sampled_from([None, *U12.scale.values])


@settings(deadline=None)  # no time limit per example: a busy machine must not fail it
@given(st.lists(U12_VALUES, min_size=5, max_size=5))
def test_u12_total_is_the_hand_sum_and_in_range(values: list[str | None]) -> None:
    content = AssessmentContent()
    for slot, value in zip(SLOTS, values, strict=True):
        content = content.set_rating(U12, "developmental", slot, value)
    domain = profile(content, U12, FORM_SET).domains[2]
    scores = {"no_concern": 0, "some_concern": 2, "significant_concern": 4}
    if all(v in scores for v in values):
        expected = sum(scores[v] for v in values)  # type: ignore[index]
        assert domain.total == expected and 0 <= expected <= 20
        assert domain.band is not None and domain.band.contains(expected)
    else:
        assert domain.total is None and domain.band is None


# ---------------------------------------------------------------------------------------------
# Readiness, by property: exactly the expected items


FACTOR_STATE = st.tuples(
    st.sampled_from([None, "no_concern", "some_concern", "significant_concern", "unknown"]),
    st.booleans(),  # rationale written
)


@st.composite
def assessment_states(draw):
    factors = {(d, s): draw(FACTOR_STATE) for d in DOMAINS for s in SLOTS}
    strengths = {d: draw(st.booleans()) for d in DOMAINS}
    unknown_about = draw(
        st.lists(
            st.tuples(
                st.sampled_from([None, *DOMAINS]), st.sampled_from([None, *SLOTS]), st.booleans()
            ),
            max_size=4,
        )
    )
    parts = {p: draw(st.booleans()) for p in FormulationPartId}
    recommended = draw(st.booleans())
    return factors, strengths, unknown_about, parts, recommended


@settings(max_examples=60, deadline=None)
@given(assessment_states())
def test_readiness_lists_exactly_what_is_missing(state) -> None:
    factors, strengths, unknown_about, parts, recommended = state
    content = AssessmentContent()
    for (domain_id, slot), (value, has_rationale) in factors.items():
        content = content.set_rating(AIM3, domain_id, slot, value)
        if has_rationale:
            content = content.set_rationale(AIM3, domain_id, slot, "Invented reason.")
    for domain_id, has_strengths in strengths.items():
        if has_strengths:
            content = content.set_domain_notes(domain_id, strengths="Invented strength.")
    open_ids = []
    for index, (domain_id, slot, answered) in enumerate(unknown_about):
        unknown = Unknown(f"u{index}", domain_id, slot if domain_id else None, f"Question {index}?")
        content = content.mark_unknown(unknown)
        if answered:
            entry = new_evidence(
                RULES, text="Found out.", source="education", category="background"
            )
            content = content.answer_unknown(unknown.id, entry, DAY)
        else:
            open_ids.append(unknown)
    for part_id, written in parts.items():
        if written:
            content = content.set_formulation_part(part_id, FormulationPart("Invented."))
    if recommended:
        content = content.set_recommendations(Recommendations(who_does_what="Invented."))

    tracked = {(u.about_domain, u.about_slot) for u in open_ids}
    expected = []
    for domain_id in DOMAINS:
        for slot in SLOTS:
            value, has_rationale = factors[(domain_id, slot)]
            if value is None:
                expected.append((MissingKind.UNRATED_FACTOR, domain_id, slot))
                continue
            if not has_rationale:
                expected.append((MissingKind.RATING_WITHOUT_RATIONALE, domain_id, slot))
            if value == "unknown" and (domain_id, slot) not in tracked:
                expected.append((MissingKind.OPEN_UNKNOWN, domain_id, slot))
        if not strengths[domain_id]:
            expected.append((MissingKind.STRENGTHS_NOT_RECORDED, domain_id, None))
    expected += [(MissingKind.OPEN_UNKNOWN, u.about_domain, u.about_slot) for u in open_ids]
    expected += [
        (MissingKind.EMPTY_FORMULATION_PART, None, None) for p, w in parts.items() if not w
    ]
    if not recommended:
        expected.append((MissingKind.RECOMMENDATIONS_NOT_WRITTEN, None, None))
    missing = readiness(content, AIM3, FORM_SET)
    assert [(m.kind, m.domain_id, m.slot) for m in missing] == expected
    assert all(m.message.strip() for m in missing)
    progress = completeness(content, AIM3)
    assert 0.0 <= progress.overall.fraction <= 1.0
    if not missing:
        assert progress.overall.fraction == 1.0


# ---------------------------------------------------------------------------------------------
# Evidence, unknowns, chronology, voices, formulation, safety plan


def test_answer_unknown_links_the_new_evidence_both_ways() -> None:
    unknown = new_unknown(
        "Has there been any police contact?",
        how="Police check",
        who="Police liaison officer",
        by_when=date(2026, 3, 1),
        about_domain="non_sexual_behaviour",
        about_slot=2,
    )
    content = AssessmentContent().mark_unknown(unknown)
    assert content.open_unknowns() == (unknown,)
    entry = new_evidence(
        RULES,
        text="No recorded police contact (invented).",
        source="police",
        category="background",
        when=DAY,
    )
    answered = content.answer_unknown(unknown.id, entry, DAY)
    linked = answered.evidence_entry(entry.id)
    assert linked.unknown_id == unknown.id
    assert (linked.domain_id, linked.factor_slot) == ("non_sexual_behaviour", 2)
    assert answered.unknown(unknown.id).answered_by_evidence_id == entry.id
    assert answered.unknown(unknown.id).answered_on == DAY
    assert answered.open_unknowns() == ()
    with pytest.raises(ValueError, match="already been answered"):
        answered.answer_unknown(unknown.id, replace(entry, id="other"), DAY)
    # removing the answer opens the unknown again
    reopened = answered.remove_evidence(entry.id)
    assert reopened.open_unknowns() == (unknown,)


def test_open_unknowns_soonest_first_and_undated_last() -> None:
    late = new_unknown("Late?", by_when=date(2026, 5, 1))
    soon = new_unknown("Soon?", by_when=date(2026, 4, 1))
    undated = new_unknown("Whenever?")
    content = AssessmentContent()
    for unknown in (undated, late, soon):
        content = content.mark_unknown(unknown)
    assert content.open_unknowns() == (soon, late, undated)
    with pytest.raises(ValueError, match="not known"):
        content.mark_unknown(new_unknown("  "))


def test_evidence_update_remove_and_citations() -> None:
    entry = new_evidence(
        RULES,
        text="Invented school report.",
        source="education",
        category="protective_factor",
        domain_id="developmental",
        factor_slot=4,
    )
    content = AssessmentContent().add_evidence(entry)
    with pytest.raises(ValueError, match="already exists"):
        content.add_evidence(entry)
    content = content.update_evidence(
        replace(entry, text="Corrected report.", sharing="sensitive_background")
    )
    assert content.evidence_for("developmental", 4)[0].text == "Corrected report."
    cited = content.set_formulation_part(
        FormulationPartId.PROTECTIVE_FACTORS,
        FormulationPart("Settled at school.", (("developmental", 4),), (entry.id,)),
    )
    with pytest.raises(KeyError, match="no evidence entry"):
        cited.set_formulation_part(
            FormulationPartId.WHAT_HAPPENED, FormulationPart("x", (), ("nope",))
        )
    removed = cited.remove_evidence(entry.id)
    assert removed.evidence == ()
    assert removed.formulation.protective_factors.cites_evidence == ()
    assert removed.formulation.protective_factors.cites_factors == (("developmental", 4),)


def test_chronology_sorts_by_date_and_voices_keep_their_words() -> None:
    first = new_event(date(2025, 6, 1), "Moved to a new school (invented).", "Education")
    second = new_event(date(2025, 9, 14), "Incident reported (invented).", "Police")
    third = new_event(date(2024, 1, 3), "Family moved house (invented).", "Family")
    content = AssessmentContent()
    for event in (first, second, third):
        content = content.put_event(event)
    assert content.chronology_sorted() == (third, first, second)
    assert content.chronology_sorted(newest_first=True) == (second, first, third)
    content = content.remove_event(first.id)
    assert content.chronology_sorted() == (third, second)
    voice = new_voice(
        SpeakerKind.PARENT_CARER,
        "I just want him to be safe.",
        speaker_name="Pat Example",
        relationship="Mother",
    )
    content = content.put_voice(voice).put_voice(
        new_voice(SpeakerKind.YOUNG_PERSON, "I didn't think it was a big deal.")
    )
    assert content.voices[0].words == "I just want him to be safe."
    assert content.remove_voice(voice.id).voices[0].speaker_kind is SpeakerKind.YOUNG_PERSON


def test_read_only_finished_version() -> None:
    version = AssessmentVersion(make_assessment())
    version = version.edit(lambda c: c.set_rating(U12, "developmental", 1, "no_concern"))
    finished = version.finish()
    assert finished.read_only
    with pytest.raises(ReadOnlyVersion, match="read-only"):
        finished.edit(lambda c: c.set_rating(U12, "developmental", 1, "some_concern"))
    with pytest.raises(ReadOnlyVersion):
        finished.finish()
    assert finished.content.rating("developmental", 1).rating == "no_concern"


# ---------------------------------------------------------------------------------------------
# Versions


def test_new_version_starts_from_the_last_finished_one() -> None:
    first = make_assessment(finished=True)
    content = worked_example()
    with pytest.raises(ValueError, match="still open"):
        new_version(make_assessment(), content)
    second, carried = new_version(first, content)
    assert (second.version, second.finished, second.case_id) == (2, False, "c1")
    assert second.id != first.id
    assert carried == content
    assert latest_finished((first, second)) == first
    # editing the new version leaves the finished one untouched
    changed = AssessmentVersion(second, carried).edit(
        lambda c: c.set_rating(U12, "developmental", 5, "no_concern")
    )
    assert content.rating("developmental", 5).rating == "some_concern"
    assert changed.content.rating("developmental", 5).rating == "no_concern"


def test_compare_lists_what_changed_side_by_side() -> None:
    old = worked_example()
    entry = new_evidence(
        RULES,
        text="Invented first account.",
        source="family",
        category="background",
        domain_id="family_environment",
    )
    old = old.add_evidence(entry)
    new = (
        old.set_rating(U12, "developmental", 5, "no_concern")
        .set_rationale(U12, "developmental", 5, "Invented new reason.")
        .set_domain_notes("family_environment", strengths="Carers keep to the plan (invented).")
        .update_evidence(replace(entry, text="Invented corrected account."))
        .set_formulation_part(FormulationPartId.WHAT_HAPPENED, FormulationPart("Rewritten."))
        .set_safety_plan(
            SafetyPlan(
                risks="Invented risk.",
                actions=(SafetyAction("Carer", "Supervise bath time", "Home"),),
                supervision_level="Line of sight at home",
                review_date=date(2026, 4, 1),
            )
        )
    )
    changes = compare(old, new, FORM_SET, U12)
    rows = [(c.area, c.key, c.old, c.new) for c in changes]
    assert rows == [
        (
            "rating",
            "Developmental factor 5 (Developmental)",
            "Some concern",
            "No concern or a strength",
        ),
        (
            "rationale",
            "Developmental factor 5 (Developmental)",
            "Because of some_concern.",
            "Invented new reason.",
        ),
        (
            "strengths",
            "Family and environment",
            "Invented strengths in family_environment.",
            "Carers keep to the plan (invented).",
        ),
        (
            "evidence",
            "Evidence: Family and environment",
            "Invented first account.",
            "Invented corrected account.",
        ),
        ("formulation", "What happened", "Text for what_happened.", "Rewritten."),
        ("safety_plan", "Risks", "", "Invented risk."),
        ("safety_plan", "Who does what, where", "", "Carer: Supervise bath time (Home)"),
        ("safety_plan", "Level of supervision", "", "Line of sight at home"),
        ("safety_plan", "Review date", "", "2026-04-01"),
    ]
    assert compare(new, new, FORM_SET) == []
    removed = compare(old, old.remove_evidence(entry.id), FORM_SET)
    assert [(c.area, c.old, c.new) for c in removed] == [
        ("evidence", "Invented first account.", "")
    ]


# ---------------------------------------------------------------------------------------------
# Codec


TEXT = st.text(max_size=30)
IDS = st.text(alphabet="abcdef0123456789", min_size=1, max_size=8)
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
OPT_DATES = st.none() | DATES
DOMAIN_IDS = st.sampled_from(DOMAINS)
SLOT = st.integers(1, 5)


@st.composite
def contents(draw) -> AssessmentContent:
    evidence_ids = draw(st.lists(IDS, unique=True, max_size=4))
    unknown_ids = draw(st.lists(IDS, unique=True, max_size=3))
    evidence = tuple(
        EvidenceEntry(
            id=eid,
            domain_id=draw(st.none() | DOMAIN_IDS),
            factor_slot=draw(st.none() | SLOT),
            text=draw(TEXT),
            date=draw(OPT_DATES),
            source=draw(st.sampled_from([s.id for s in RULES.sources])),
            category=draw(st.sampled_from([c.id for c in RULES.categories])),
            sharing=draw(st.sampled_from([c.id for c in RULES.sharing_classes])),
            unknown_id=draw(st.none() | st.sampled_from(unknown_ids)) if unknown_ids else None,
        )
        for eid in evidence_ids
    )
    unknowns = tuple(
        Unknown(
            id=uid,
            about_domain=draw(st.none() | DOMAIN_IDS),
            about_slot=draw(st.none() | SLOT),
            question=draw(TEXT),
            how=draw(TEXT),
            who=draw(TEXT),
            by_when=draw(OPT_DATES),
            answered_by_evidence_id=(
                draw(st.none() | st.sampled_from(evidence_ids)) if evidence_ids else None
            ),
            answered_on=draw(OPT_DATES),
        )
        for uid in unknown_ids
    )
    keys = draw(st.lists(st.tuples(DOMAIN_IDS, SLOT), unique=True, max_size=6))
    ratings = tuple(
        FactorRating(
            d, s, draw(st.none() | st.sampled_from(U12.scale.values)), draw(TEXT), draw(TEXT)
        )
        for d, s in keys
    )
    notes = tuple(
        DomainNotes(d, draw(TEXT), draw(TEXT))
        for d in draw(st.lists(DOMAIN_IDS, unique=True, max_size=3))
    )
    parts = {
        p.value: FormulationPart(
            draw(TEXT),
            tuple(draw(st.lists(st.tuples(DOMAIN_IDS, SLOT), max_size=2))),
            tuple(draw(st.lists(st.sampled_from(evidence_ids), max_size=2)))
            if evidence_ids
            else (),
        )
        for p in FormulationPartId
    }
    return AssessmentContent(
        ratings=ratings,
        domain_notes=notes,
        evidence=evidence,
        unknowns=unknowns,
        chronology=tuple(
            ChronologyEvent(i, draw(DATES), draw(TEXT), draw(TEXT))
            for i in draw(st.lists(IDS, unique=True, max_size=3))
        ),
        screenings=tuple(
            ScreeningRecord(
                i,
                draw(TEXT),
                draw(st.sampled_from(HackettPosition)),
                draw(st.sampled_from(TrafficLight)),
                draw(TEXT),
            )
            for i in draw(st.lists(IDS, unique=True, max_size=2))
        ),
        voices=tuple(
            Voice(
                i,
                draw(st.sampled_from(SpeakerKind)),
                draw(TEXT),
                draw(TEXT),
                draw(TEXT),
                draw(OPT_DATES),
            )
            for i in draw(st.lists(IDS, unique=True, max_size=2))
        ),
        formulation=Formulation(**parts),
        safety_plan=SafetyPlan(
            draw(TEXT),
            tuple(
                SafetyAction(draw(TEXT), draw(TEXT), draw(TEXT))
                for _ in range(draw(st.integers(0, 2)))
            ),
            draw(TEXT),
            draw(OPT_DATES),
        ),
    )


@settings(max_examples=80, deadline=None)
@given(contents())
def test_codec_round_trips_through_json(content: AssessmentContent) -> None:
    data = content_to_dict(content)
    assert data["schema"] == CONTENT_SCHEMA_VERSION
    assert content_from_dict(json.loads(json.dumps(data))) == content
    assert set(ITEM_KINDS) >= {"rating", "evidence", "unknown", "formulation", "safety_plan"}
    for item in (content.formulation, content.safety_plan):
        assert item_from_dict(item_kind(item), item_to_dict(item)) == item
    for field_name, kind in (
        ("evidence", "evidence"),
        ("unknowns", "unknown"),
        ("voices", "voice"),
        ("screenings", "screening"),
    ):
        for item in getattr(content, field_name):
            assert item_from_dict(kind, json.loads(json.dumps(item_to_dict(item)))) == item


def _good_dict() -> dict:
    return content_to_dict(
        worked_example().add_evidence(
            new_evidence(RULES, text="Invented.", source="police", category="background", when=DAY)
        )
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["evidence"][0].update(date="3 May"), "evidence[0].date: expected an ISO"),
        (lambda d: d["evidence"][0].update(colour="red"), "evidence[0].colour: unknown key"),
        (lambda d: d["ratings"][2].pop("rationale"), "ratings[2].rationale: required key"),
        (lambda d: d["ratings"][0].update(slot="1"), "ratings[0].slot: expected an integer"),
        (lambda d: d.update(schema=2), "schema: unsupported schema 2"),
        (lambda d: d.update(extra=[]), "extra: unknown key"),
        (lambda d: d["unknowns"][0].update(by_when=20260101), "unknowns[0].by_when: expected a"),
        (
            lambda d: d["formulation"]["what_happened"]["cites_evidence"].append("zzz"),
            "formulation.what_happened.cites_evidence[0]: no evidence entry",
        ),
        (
            lambda d: d["formulation"]["what_happened"]["cites_factors"].append({"slot": 1}),
            "formulation.what_happened.cites_factors[0].domain_id: required",
        ),
        (
            lambda d: d["safety_plan"].update(actions=[{"who": "A", "what": "B"}]),
            "safety_plan.actions[0].where: required",
        ),
        (lambda d: d["evidence"].append(dict(d["evidence"][0])), "evidence[1].id: duplicate"),
        (
            lambda d: d["unknowns"][0].update(answered_by_evidence_id="zzz"),
            "unknowns[0].answered_by_evidence_id: no evidence entry",
        ),
    ],
)
def test_codec_is_strict_and_names_the_path(change, expected: str) -> None:
    data = _good_dict()
    change(data)
    with pytest.raises(ValueError) as caught:
        content_from_dict(data)
    assert str(caught.value).startswith(expected)


def test_screening_codec_rejects_a_label_not_on_the_continuum() -> None:
    record = new_screening("Invented.", HackettPosition.PROBLEMATIC, TrafficLight.AMBER)
    data = item_to_dict(record)
    assert data["hackett"] == "problematic"
    data["hackett"] = "high risk"
    with pytest.raises(ValueError, match="hackett: expected one of normal, inappropriate"):
        item_from_dict("screening", data)
    with pytest.raises(ValueError, match="unknown item kind"):
        item_from_dict("risk_level", {})


def test_empty_content_round_trips() -> None:
    assert content_from_dict(content_to_dict(AssessmentContent())) == AssessmentContent()


def test_loaders_name_the_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormError, match=r"evidence\.toml: .*file not found"):
        load_evidence_rules(tmp_path)
    with pytest.raises(FormError, match=r"screening\.toml: .*file not found"):
        load_screening(tmp_path)
