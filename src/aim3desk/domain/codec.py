"""AssessmentContent to and from JSON-safe dicts: dates as ISO strings, enums as their values.

The store keeps each item as one JSON row (item_to_dict / item_from_dict by kind) and the
export file embeds the same dicts, so the two never drift. Reading is strict (the reader in
item_codec.py): a missing or unknown key, a wrong type or a bad value raises ValueError
naming the path, such as "evidence[3].date: expected an ISO date (YYYY-MM-DD), got '3 May'".
Pure Python, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.assessment_items import (
    ChronologyEvent,
    DomainNotes,
    EvidenceEntry,
    FactorRating,
    Formulation,
    FormulationPart,
    FormulationPartId,
    HackettPosition,
    Recommendations,
    SafetyAction,
    SafetyPlan,
    ScreeningRecord,
    SharingNotes,
    SpeakerKind,
    TrafficLight,
    Unknown,
    Voice,
)
from aim3desk.domain.item_codec import DictReader, ItemCodec, ItemKind, iso_or_none

CONTENT_SCHEMA_VERSION = 1


# ---------------------------------------------------------------------------------------------
# Per item


def _rating_to(item: FactorRating) -> dict[str, Any]:
    return {
        "domain_id": item.domain_id,
        "slot": item.slot,
        "rating": item.rating,
        "rationale": item.rationale,
        "strength_note": item.strength_note,
    }


def _rating_from(r: DictReader) -> FactorRating:
    return FactorRating(
        domain_id=r.text("domain_id"),
        slot=r.integer("slot"),
        rating=r.opt_text("rating"),
        rationale=r.text("rationale"),
        strength_note=r.text("strength_note"),
    )


def _notes_to(item: DomainNotes) -> dict[str, Any]:
    return {"domain_id": item.domain_id, "concerns": item.concerns, "strengths": item.strengths}


def _notes_from(r: DictReader) -> DomainNotes:
    return DomainNotes(r.text("domain_id"), r.text("concerns"), r.text("strengths"))


def _evidence_to(item: EvidenceEntry) -> dict[str, Any]:
    return {
        "id": item.id,
        "domain_id": item.domain_id,
        "factor_slot": item.factor_slot,
        "text": item.text,
        "date": iso_or_none(item.date),
        "source": item.source,
        "category": item.category,
        "sharing": item.sharing,
        "unknown_id": item.unknown_id,
    }


def _evidence_from(r: DictReader) -> EvidenceEntry:
    return EvidenceEntry(
        id=r.text("id"),
        domain_id=r.opt_text("domain_id"),
        factor_slot=r.opt_integer("factor_slot"),
        text=r.text("text"),
        date=r.opt_day("date"),
        source=r.text("source"),
        category=r.text("category"),
        sharing=r.text("sharing"),
        unknown_id=r.opt_text("unknown_id"),
    )


def _unknown_to(item: Unknown) -> dict[str, Any]:
    return {
        "id": item.id,
        "about_domain": item.about_domain,
        "about_slot": item.about_slot,
        "question": item.question,
        "how": item.how,
        "who": item.who,
        "by_when": iso_or_none(item.by_when),
        "answered_by_evidence_id": item.answered_by_evidence_id,
        "answered_on": iso_or_none(item.answered_on),
    }


def _unknown_from(r: DictReader) -> Unknown:
    return Unknown(
        id=r.text("id"),
        about_domain=r.opt_text("about_domain"),
        about_slot=r.opt_integer("about_slot"),
        question=r.text("question"),
        how=r.text("how"),
        who=r.text("who"),
        by_when=r.opt_day("by_when"),
        answered_by_evidence_id=r.opt_text("answered_by_evidence_id"),
        answered_on=r.opt_day("answered_on"),
    )


def _event_to(item: ChronologyEvent) -> dict[str, Any]:
    return {"id": item.id, "date": item.date.isoformat(), "what": item.what, "source": item.source}


def _event_from(r: DictReader) -> ChronologyEvent:
    return ChronologyEvent(r.text("id"), r.day("date"), r.text("what"), r.text("source"))


def _screening_to(item: ScreeningRecord) -> dict[str, Any]:
    return {
        "id": item.id,
        "behaviour": item.behaviour,
        "hackett": item.hackett.value,
        "traffic_light": item.traffic_light.value,
        "note": item.note,
    }


def _screening_from(r: DictReader) -> ScreeningRecord:
    return ScreeningRecord(
        id=r.text("id"),
        behaviour=r.text("behaviour"),
        hackett=r.choice("hackett", HackettPosition),
        traffic_light=r.choice("traffic_light", TrafficLight),
        note=r.text("note"),
    )


def _voice_to(item: Voice) -> dict[str, Any]:
    return {
        "id": item.id,
        "speaker_kind": item.speaker_kind.value,
        "speaker_name": item.speaker_name,
        "relationship": item.relationship,
        "words": item.words,
        "date": iso_or_none(item.date),
    }


def _voice_from(r: DictReader) -> Voice:
    return Voice(
        id=r.text("id"),
        speaker_kind=r.choice("speaker_kind", SpeakerKind),
        speaker_name=r.text("speaker_name"),
        relationship=r.text("relationship"),
        words=r.text("words"),
        date=r.opt_day("date"),
    )


def _part_to(part: FormulationPart) -> dict[str, Any]:
    return {
        "text": part.text,
        "cites_factors": [{"domain_id": d, "slot": s} for d, s in part.cites_factors],
        "cites_evidence": list(part.cites_evidence),
    }


def _part_from(r: DictReader) -> FormulationPart:
    factors = r.children(
        "cites_factors", lambda cite: (cite.text("domain_id"), cite.integer("slot"))
    )
    evidence = r.strings("cites_evidence")
    return FormulationPart(r.text("text"), factors, evidence)


def _formulation_to(item: Formulation) -> dict[str, Any]:
    return {part_id.value: _part_to(part) for part_id, part in item.parts()}


def _formulation_from(r: DictReader) -> Formulation:
    formulation = Formulation()
    for part_id in FormulationPartId:
        reader = r.child(part_id.value)
        formulation = formulation.with_part(part_id, _part_from(reader))
        reader.done()
    return formulation


def _safety_plan_to(item: SafetyPlan) -> dict[str, Any]:
    return {
        "risks": item.risks,
        "actions": [{"who": a.who, "what": a.what, "where": a.where} for a in item.actions],
        "supervision_level": item.supervision_level,
        "review_date": iso_or_none(item.review_date),
    }


def _safety_plan_from(r: DictReader) -> SafetyPlan:
    actions = r.children(
        "actions",
        lambda action: SafetyAction(action.text("who"), action.text("what"), action.text("where")),
    )
    return SafetyPlan(
        risks=r.text("risks"),
        actions=actions,
        supervision_level=r.text("supervision_level"),
        review_date=r.opt_day("review_date"),
    )


def _recommendations_to(item: Recommendations) -> dict[str, Any]:
    return {
        "intervention": item.intervention,
        "supervision_level": item.supervision_level,
        "who_does_what": item.who_does_what,
    }


def _recommendations_from(r: DictReader) -> Recommendations:
    return Recommendations(
        intervention=r.text("intervention"),
        supervision_level=r.text("supervision_level"),
        who_does_what=r.text("who_does_what"),
    )


def _sharing_notes_to(item: SharingNotes) -> dict[str, Any]:
    return {
        "partner_summary": item.partner_summary,
        "by_audience": [{"audience": aid, "text": text} for aid, text in item.by_audience],
    }


def _sharing_notes_from(r: DictReader) -> SharingNotes:
    pairs = r.children("by_audience", lambda entry: (entry.text("audience"), entry.text("text")))
    return SharingNotes(partner_summary=r.text("partner_summary"), by_audience=tuple(sorted(pairs)))


# Collections are tuples on AssessmentContent; the formulation, safety plan, recommendations
# and sharing notes are single items.
_ITEMS = ItemCodec(
    {
        "rating": ItemKind(FactorRating, _rating_to, _rating_from),
        "domain_notes": ItemKind(DomainNotes, _notes_to, _notes_from),
        "evidence": ItemKind(EvidenceEntry, _evidence_to, _evidence_from),
        "unknown": ItemKind(Unknown, _unknown_to, _unknown_from),
        "chronology": ItemKind(ChronologyEvent, _event_to, _event_from),
        "screening": ItemKind(ScreeningRecord, _screening_to, _screening_from),
        "voice": ItemKind(Voice, _voice_to, _voice_from),
        "formulation": ItemKind(Formulation, _formulation_to, _formulation_from),
        "safety_plan": ItemKind(SafetyPlan, _safety_plan_to, _safety_plan_from),
        "recommendations": ItemKind(Recommendations, _recommendations_to, _recommendations_from),
        "sharing_notes": ItemKind(SharingNotes, _sharing_notes_to, _sharing_notes_from),
    },
    item_name="an assessment item",
    kind_name="item kind",
)
ITEM_KINDS = _ITEMS.kinds

# AssessmentContent field -> item kind, for the collections
_COLLECTIONS = {
    "ratings": "rating",
    "domain_notes": "domain_notes",
    "evidence": "evidence",
    "unknowns": "unknown",
    "chronology": "chronology",
    "screenings": "screening",
    "voices": "voice",
}


def item_kind(item: object) -> str:
    return _ITEMS.kind_of(item)


def item_to_dict(item: object) -> dict[str, Any]:
    """One item (rating, evidence entry, unknown, ... formulation, safety plan) as a dict."""
    return _ITEMS.to_dict(item)


def item_from_dict(kind: str, data: Any, path: str = "") -> Any:
    """The item of this kind (see ITEM_KINDS) that item_to_dict made; ValueError names the
    path of the first problem, prefixed by `path`."""
    return _ITEMS.from_dict(kind, data, path)


# ---------------------------------------------------------------------------------------------
# Whole content


def content_to_dict(content: AssessmentContent) -> dict[str, Any]:
    result: dict[str, Any] = {"schema": CONTENT_SCHEMA_VERSION}
    for field_name in _COLLECTIONS:
        result[field_name] = [item_to_dict(i) for i in getattr(content, field_name)]
    result["formulation"] = item_to_dict(content.formulation)
    result["safety_plan"] = item_to_dict(content.safety_plan)
    result["recommendations"] = item_to_dict(content.recommendations)
    result["sharing_notes"] = item_to_dict(content.sharing_notes)
    return result


def content_from_dict(data: Any) -> AssessmentContent:
    """Strict inverse of content_to_dict; also checks that ids are unique and that links
    (answered unknowns, evidence citations) point at items that exist."""
    root = DictReader(data, "")
    schema = root.integer("schema")
    if schema != CONTENT_SCHEMA_VERSION:
        raise root.fail(
            "schema", f"unsupported schema {schema} (this version reads {CONTENT_SCHEMA_VERSION})"
        )
    values: dict[str, Any] = {}
    for field_name, kind in _COLLECTIONS.items():
        values[field_name] = tuple(
            item_from_dict(kind, raw, f"{field_name}[{index}]")
            for index, raw in enumerate(root.items(field_name))
        )
    values["formulation"] = item_from_dict("formulation", root.raw("formulation"), "formulation")
    values["safety_plan"] = item_from_dict("safety_plan", root.raw("safety_plan"), "safety_plan")
    # Added in case export schema 5: absent from older files, which had none.
    for kind in ("recommendations", "sharing_notes"):
        if root.has(kind):
            values[kind] = item_from_dict(kind, root.raw(kind), kind)
    root.done()
    content = AssessmentContent(**values)
    check_links(content)
    return content


def check_links(content: AssessmentContent) -> None:
    """ValueError naming the path of a duplicate id or a link to an item that is not there."""
    for field_name in ("evidence", "unknowns", "chronology", "screenings", "voices"):
        seen: set[str] = set()
        for index, item in enumerate(getattr(content, field_name)):
            if item.id in seen:
                raise ValueError(f"{field_name}[{index}].id: duplicate id {item.id!r}")
            seen.add(item.id)
    rating_keys: set[tuple[str, int]] = set()
    for index, rating in enumerate(content.ratings):
        if rating.key in rating_keys:
            raise ValueError(f"ratings[{index}]: duplicate rating for {rating.key}")
        rating_keys.add(rating.key)
    note_ids: set[str] = set()
    for index, notes in enumerate(content.domain_notes):
        if notes.domain_id in note_ids:
            raise ValueError(f"domain_notes[{index}]: duplicate notes for {notes.domain_id!r}")
        note_ids.add(notes.domain_id)
    evidence_ids = {e.id for e in content.evidence}
    unknown_ids = {u.id for u in content.unknowns}
    for index, unknown in enumerate(content.unknowns):
        if (
            unknown.answered_by_evidence_id is not None
            and unknown.answered_by_evidence_id not in evidence_ids
        ):
            raise ValueError(
                f"unknowns[{index}].answered_by_evidence_id: no evidence entry "
                f"{unknown.answered_by_evidence_id!r}"
            )
    for index, entry in enumerate(content.evidence):
        if entry.unknown_id is not None and entry.unknown_id not in unknown_ids:
            raise ValueError(f"evidence[{index}].unknown_id: no unknown {entry.unknown_id!r}")
    for part_id, part in content.formulation.parts():
        for index, evidence_id in enumerate(part.cites_evidence):
            if evidence_id not in evidence_ids:
                raise ValueError(
                    f"formulation.{part_id.value}.cites_evidence[{index}]: no evidence entry "
                    f"{evidence_id!r}"
                )


# ---------------------------------------------------------------------------------------------
# Item identity and differences: how the store keys rows and how an edit becomes a save


# item kind -> AssessmentContent field, for the collections
COLLECTION_OF = {kind: field_name for field_name, kind in _COLLECTIONS.items()}
SINGLE_KINDS = ("formulation", "safety_plan", "recommendations", "sharing_notes")
SINGLE_DEFAULTS: dict[str, object] = {
    "formulation": Formulation(),
    "safety_plan": SafetyPlan(),
    "recommendations": Recommendations(),
    "sharing_notes": SharingNotes(),
}
assert set(COLLECTION_OF) | set(SINGLE_KINDS) == set(ITEM_KINDS)


def item_key(item: object) -> str:
    """The item_id an item is stored under: its id; "domain:slot" for a factor rating; the
    domain id for domain notes; the kind itself for the formulation and the safety plan."""
    if isinstance(item, FactorRating):
        return f"{item.domain_id}:{item.slot}"
    if isinstance(item, DomainNotes):
        return item.domain_id
    if isinstance(item, Formulation | SafetyPlan | Recommendations | SharingNotes):
        return item_kind(item)
    item_id = getattr(item, "id", None)
    if not isinstance(item_id, str) or not item_id:
        raise TypeError(f"not an assessment item: {type(item).__name__}")
    return item_id


def is_blank(item: object) -> bool:
    """An item the content does not keep (AssessmentContent drops an empty rating or empty
    notes), so saving it removes its row."""
    if isinstance(item, FactorRating):
        return item.is_empty
    if isinstance(item, DomainNotes):
        return not item.concerns and not item.strengths
    return False


def content_items(content: AssessmentContent) -> Iterator[object]:
    """Every item of the content, collections in order, then the single items that are not
    empty (formulation, safety plan, recommendations, sharing notes)."""
    for field_name in COLLECTION_OF.values():
        yield from getattr(content, field_name)
    for kind, empty in SINGLE_DEFAULTS.items():
        item = getattr(content, kind)
        if item != empty:
            yield item


ItemRef = tuple[str, str]  # (kind, item_id)


def content_index(content: AssessmentContent) -> dict[ItemRef, object]:
    return {(item_kind(i), item_key(i)): i for i in content_items(content)}


def diff_contents(
    old: AssessmentContent, new: AssessmentContent
) -> tuple[list[object], list[ItemRef]]:
    """What turns `old` into `new`: items to upsert (changed or added) and refs to delete."""
    before, after = content_index(old), content_index(new)
    upserts = [item for ref, item in after.items() if before.get(ref) != item]
    deletes = [ref for ref in before if ref not in after]
    return upserts, deletes
