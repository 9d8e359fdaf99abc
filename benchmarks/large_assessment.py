"""A large invented assessment for the benchmarks (and the tests that check the app copes with
one): every factor rated with a rationale, many evidence entries, chronology, voices and a
full formulation, built from the demo module's invented sentences. Repeatable by seed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from aim3desk.domain.assessment import (
    UNKNOWN_RATING,
    AssessmentContent,
    ChronologyEvent,
    EvidenceEntry,
    FactorRating,
    Formulation,
    FormulationPart,
    FormulationPartId,
    SpeakerKind,
    Voice,
)
from aim3desk.domain.forms import FACTORS_PER_DOMAIN, EvidenceRules
from aim3desk.services.demo import (
    CONCERN_RATINGS,
    DOMAIN_IDS,
    EVIDENCE_ITEMS,
    EVIDENCE_SENTENCES,
)

WORD_POOL = tuple(
    " ".join(EVIDENCE_SENTENCES[1:]).replace(",", "").replace(".", "").replace(":", "").split()
)


def _item_id(rng: random.Random) -> str:
    """An item id that the seed repeats."""
    return f"{rng.getrandbits(128):032x}"


def _words(rng: random.Random, count: int) -> str:
    """`count` invented words in sentences of 8 to 20 words."""
    out: list[str] = []
    while len(out) < count:
        sentence = [rng.choice(WORD_POOL) for _ in range(min(rng.randint(8, 20), count - len(out)))]
        sentence[0] = sentence[0].capitalize()
        sentence[-1] += "."
        out += sentence
    return " ".join(out)


def make_large_assessment(
    seed: int = 0,
    *,
    evidence_entries: int = 200,
    words: int = 50_000,
    start: date = date(2025, 1, 6),
    rules: EvidenceRules | None = None,
) -> AssessmentContent:
    """A big invented assessment for benchmarks: all 25 factors rated with rationales,
    `evidence_entries` entries, chronology, voices and a full formulation, `words` words in
    all (80% in the evidence). Repeatable by seed."""
    rng = random.Random(seed)
    evidence_words = words * 8 // 10
    rationale_words = words // 20  # 5%: 25 rationales
    formulation_words = words // 10  # 10%: five parts
    chronology_count, voice_count = 30, 4
    rest = words - evidence_words - rationale_words - formulation_words
    chronology_words = rest * 6 // 10
    voice_words = rest - chronology_words

    def share(total: int, parts: int, index: int) -> int:
        return total // parts + (1 if index < total % parts else 0)

    ratings = tuple(
        FactorRating(
            domain_id,
            slot,
            rng.choice((*CONCERN_RATINGS, UNKNOWN_RATING)),
            _words(rng, share(rationale_words, 25, index * 5 + slot - 1)),
        )
        for index, domain_id in enumerate(DOMAIN_IDS)
        for slot in range(1, FACTORS_PER_DOMAIN + 1)
    )
    evidence = []
    for index in range(evidence_entries):
        source, category, _text = EVIDENCE_ITEMS[index % len(EVIDENCE_ITEMS)]
        evidence.append(
            EvidenceEntry(
                id=_item_id(rng),
                domain_id=DOMAIN_IDS[index % len(DOMAIN_IDS)],
                factor_slot=rng.choice((None, rng.randint(1, FACTORS_PER_DOMAIN))),
                text=_words(rng, share(evidence_words, evidence_entries, index)),
                date=start + timedelta(days=index % 60),
                source=source,
                category=category,
                sharing=rules.default_sharing(source, category) if rules else "shareable",
            )
        )
    chronology = tuple(
        ChronologyEvent(
            _item_id(rng),
            start - timedelta(days=30 * (chronology_count - n)),
            _words(rng, share(chronology_words, chronology_count, n)),
            "Invented",
        )
        for n in range(chronology_count)
    )
    voices = tuple(
        Voice(
            _item_id(rng),
            SpeakerKind.YOUNG_PERSON if n % 2 == 0 else SpeakerKind.PARENT_CARER,
            "",
            "",
            _words(rng, share(voice_words, voice_count, n)),
            start + timedelta(days=n),
        )
        for n in range(voice_count)
    )
    formulation = Formulation()
    for n, part_id in enumerate(FormulationPartId):
        formulation = formulation.with_part(
            part_id,
            FormulationPart(
                _words(rng, share(formulation_words, len(FormulationPartId), n)),
                cites_factors=(ratings[n].key,),
                cites_evidence=tuple(e.id for e in evidence[n : n + 3]),
            ),
        )
    return AssessmentContent(
        ratings=ratings,
        evidence=tuple(evidence),
        chronology=chronology,
        voices=voices,
        formulation=formulation,
    )


def content_words(content: AssessmentContent) -> int:
    """Words of free text in a content (for benchmark sizes)."""
    texts = [r.rationale for r in content.ratings] + [r.strength_note for r in content.ratings]
    texts += [e.text for e in content.evidence] + [e.what for e in content.chronology]
    texts += [v.words for v in content.voices] + [p.text for _, p in content.formulation.parts()]
    texts += [u.question for u in content.unknowns]
    return sum(len(t.split()) for t in texts)


def content_items(content: AssessmentContent) -> list[object]:
    """Every item of a content, in the form `AssessmentService.save_items` takes."""
    return [
        *content.ratings,
        *content.domain_notes,
        *content.evidence,
        *content.unknowns,
        *content.chronology,
        *content.screenings,
        *content.voices,
        content.formulation,
        content.safety_plan,
    ]
