"""Case records (supervision sessions, the intervention plan, escalation and consultation logs)
to and from JSON-safe dicts, one item at a time, on the machinery of domain/item_codec.py.

The store keeps each item as one row of case_items (kind, item_id, data) and the export file
embeds the same dicts. Reading is strict: a missing or unknown key, a wrong type or a bad
value raises ValueError naming the path. Well-being responses are written only when asked
(`include_wellbeing`): the store keeps them, exports never do. Pure Python, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from aim3desk.domain.case_logs import ConsultationEntry, EscalationEntry
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.intervention import (
    EndingSummary,
    Goal,
    InterventionPlan,
    KeepingSafePlan,
    ProgressReview,
    Responsibility,
    RiskMeeting,
    StageChange,
    Track,
    TrackKind,
)
from aim3desk.domain.item_codec import DictReader, ItemCodec, ItemKind, iso_or_none
from aim3desk.domain.sharing import SharingDecision
from aim3desk.domain.supervision import (
    AgreedAction,
    PromptResponse,
    SupervisionSession,
    SupervisionType,
)

ENDING_ITEM_ID = "ending"


# -- supervision ------------------------------------------------------------------------------


def _responses_to(items: Iterable[PromptResponse]) -> list[dict[str, Any]]:
    return [{"prompt_id": i.prompt_id, "response": i.response} for i in items]


def _response_from(r: DictReader) -> PromptResponse:
    return PromptResponse(r.text("prompt_id"), r.text("response"))


def _action_from(r: DictReader) -> AgreedAction:
    return AgreedAction(
        r.text("id"), r.text("what"), r.text("owner"), r.opt_day("due"), r.boolean("done")
    )


def session_to_dict(item: SupervisionSession, include_wellbeing: bool = True) -> dict[str, Any]:
    """The session as a dict; without the "wellbeing" key unless include_wellbeing."""
    data: dict[str, Any] = {
        "id": item.id,
        "date": item.date.isoformat(),
        "supervisor": item.supervisor,
        "type": item.type.value,
        "agenda_done": list(item.agenda_done),
        "notes": item.notes,
        "risk_questions": _responses_to(item.risk_questions),
        "actions": [
            {
                "id": a.id,
                "what": a.what,
                "owner": a.owner,
                "due": iso_or_none(a.due),
                "done": a.done,
            }
            for a in item.actions
        ],
        "include_for_supervisor": item.include_for_supervisor,
    }
    if include_wellbeing:
        data["wellbeing"] = _responses_to(item.wellbeing)
    return data


def _session_from(r: DictReader) -> SupervisionSession:
    return SupervisionSession(
        id=r.text("id"),
        date=r.day("date"),
        supervisor=r.text("supervisor"),
        type=r.choice("type", SupervisionType),
        agenda_done=r.strings("agenda_done"),
        notes=r.text("notes"),
        # Absent in exports, which never carry well-being responses.
        wellbeing=r.children("wellbeing", _response_from) if r.has("wellbeing") else (),
        risk_questions=r.children("risk_questions", _response_from),
        actions=r.children("actions", _action_from),
        include_for_supervisor=r.boolean("include_for_supervisor"),
    )


# -- intervention plan ------------------------------------------------------------------------


def _track_to(item: Track) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "name": item.name,
        "stage": item.stage,
        "history": [{"stage": h.stage, "on": h.on.isoformat()} for h in item.history],
    }


def _stage(r: DictReader, key: str) -> int:
    value = r.integer(key)
    if not 1 <= value <= 4:
        raise r.fail(key, f"expected a stage from 1 to 4, got {value}")
    return value


def _track_from(r: DictReader) -> Track:
    return Track(
        id=r.text("id"),
        kind=r.choice("kind", TrackKind),
        name=r.text("name"),
        stage=_stage(r, "stage"),
        history=r.children("history", lambda h: StageChange(_stage(h, "stage"), h.day("on"))),
    )


def _goal_to(item: Goal) -> dict[str, Any]:
    return {
        "id": item.id,
        "track_id": item.track_id,
        "stage": item.stage,
        "text": item.text,
        "plain_words": item.plain_words,
        "who_can_help": item.who_can_help,
        "from_stage_item": item.from_stage_item,
        "created": iso_or_none(item.created),
        "reviews": [
            {"date": v.date.isoformat(), "rating": v.rating, "note": v.note} for v in item.reviews
        ],
    }


def _goal_from(r: DictReader) -> Goal:
    return Goal(
        id=r.text("id"),
        track_id=r.text("track_id"),
        stage=_stage(r, "stage"),
        text=r.text("text"),
        plain_words=r.text("plain_words"),
        who_can_help=r.text("who_can_help"),
        from_stage_item=r.opt_text("from_stage_item"),
        created=r.opt_day("created"),
        reviews=r.children(
            "reviews",
            lambda v: ProgressReview(v.day("date"), v.integer("rating"), v.text("note")),
        ),
    )


def _meeting_to(item: RiskMeeting) -> dict[str, Any]:
    return {
        "id": item.id,
        "date": item.date.isoformat(),
        "attendees": list(item.attendees),
        "decisions": item.decisions,
        "safety_plan_changes": item.safety_plan_changes,
        "responsibility": item.responsibility.value,
        "next_review": iso_or_none(item.next_review),
    }


def _meeting_from(r: DictReader) -> RiskMeeting:
    return RiskMeeting(
        id=r.text("id"),
        date=r.day("date"),
        attendees=r.strings("attendees"),
        decisions=r.text("decisions"),
        safety_plan_changes=r.text("safety_plan_changes"),
        responsibility=r.choice("responsibility", Responsibility),
        next_review=r.opt_day("next_review"),
    )


def _plan_version_to(item: KeepingSafePlan) -> dict[str, Any]:
    return {
        "version": item.version,
        "date": item.date.isoformat(),
        "text": item.text,
        "agreed_with": item.agreed_with,
    }


def _plan_version_from(r: DictReader) -> KeepingSafePlan:
    version = r.integer("version")
    if version < 1:
        raise r.fail("version", f"expected a version from 1, got {version}")
    return KeepingSafePlan(version, r.day("date"), r.text("text"), r.text("agreed_with"))


def _ending_to(item: EndingSummary) -> dict[str, Any]:
    return {
        "progress": item.progress,
        "risk_and_change": item.risk_and_change,
        "outstanding": item.outstanding,
    }


def _ending_from(r: DictReader) -> EndingSummary:
    return EndingSummary(r.text("progress"), r.text("risk_and_change"), r.text("outstanding"))


# -- logs -------------------------------------------------------------------------------------


def _escalation_to(item: EscalationEntry) -> dict[str, Any]:
    return {
        "id": item.id,
        "date": item.date.isoformat(),
        "barrier_or_delay": item.barrier_or_delay,
        "reported_to": item.reported_to,
        "reported_on": iso_or_none(item.reported_on),
        "outcome": item.outcome,
    }


def _escalation_from(r: DictReader) -> EscalationEntry:
    return EscalationEntry(
        id=r.text("id"),
        date=r.day("date"),
        barrier_or_delay=r.text("barrier_or_delay"),
        reported_to=r.text("reported_to"),
        reported_on=r.opt_day("reported_on"),
        outcome=r.text("outcome"),
    )


def _consultation_to(item: ConsultationEntry) -> dict[str, Any]:
    return {
        "id": item.id,
        "date": item.date.isoformat(),
        "service": item.service,
        "advice": item.advice,
    }


def _consultation_from(r: DictReader) -> ConsultationEntry:
    return ConsultationEntry(r.text("id"), r.day("date"), r.text("service"), r.text("advice"))


# -- sharing log ------------------------------------------------------------------------------


def _decision_to(item: SharingDecision) -> dict[str, Any]:
    return {
        "id": item.id,
        "audience": item.audience,
        "recipient": item.recipient,
        "reason": item.reason,
        "lawful_basis": item.lawful_basis,
        "lawful_basis_text": item.lawful_basis_text,
        "shared": item.shared,
        "by": item.by,
        "at": item.at.isoformat(),
        "what": item.what,
        "assessment_version": item.assessment_version,
    }


def _decision_from(r: DictReader) -> SharingDecision:
    raw_at = r.text("at")
    try:
        at = datetime.fromisoformat(raw_at)
    except ValueError:
        raise r.fail("at", f"expected an ISO date and time, got {raw_at!r}") from None
    return SharingDecision(
        id=r.text("id"),
        audience=r.text("audience"),
        recipient=r.text("recipient"),
        reason=r.text("reason"),
        lawful_basis=r.text("lawful_basis"),
        lawful_basis_text=r.text("lawful_basis_text"),
        shared=r.boolean("shared"),
        by=r.text("by"),
        at=at,
        what=r.text("what"),
        assessment_version=r.opt_integer("assessment_version"),
    )


_RECORDS = ItemCodec(
    {
        "supervision": ItemKind(SupervisionSession, session_to_dict, _session_from),
        "track": ItemKind(Track, _track_to, _track_from),
        "goal": ItemKind(Goal, _goal_to, _goal_from),
        "risk_meeting": ItemKind(RiskMeeting, _meeting_to, _meeting_from),
        "keeping_safe_plan": ItemKind(KeepingSafePlan, _plan_version_to, _plan_version_from),
        "ending": ItemKind(EndingSummary, _ending_to, _ending_from),
        "escalation": ItemKind(EscalationEntry, _escalation_to, _escalation_from),
        "consultation": ItemKind(ConsultationEntry, _consultation_to, _consultation_from),
        "sharing_decision": ItemKind(SharingDecision, _decision_to, _decision_from),
    },
    item_name="a case record item",
    kind_name="record kind",
)
CASE_ITEM_KINDS = _RECORDS.kinds
PLAN_KINDS = ("track", "goal", "risk_meeting", "keeping_safe_plan", "ending")


def case_item_kind(item: object) -> str:
    return _RECORDS.kind_of(item)


def case_item_key(item: object) -> str:
    """The item_id a record is stored under: its id; the version number for a keeping-safe
    plan version; "ending" for the ending summary."""
    if isinstance(item, KeepingSafePlan):
        return str(item.version)
    if isinstance(item, EndingSummary):
        return ENDING_ITEM_ID
    item_id = getattr(item, "id", None)
    if not isinstance(item_id, str) or not item_id:
        raise TypeError(f"not a case record item: {type(item).__name__}")
    return item_id


def case_item_to_dict(item: object) -> dict[str, Any]:
    """One record as the store keeps it (a session WITH its well-being responses)."""
    return _RECORDS.to_dict(item)


def case_item_from_dict(kind: str, data: Any, path: str = "") -> Any:
    return _RECORDS.from_dict(kind, data, path)


# -- whole records ----------------------------------------------------------------------------


def records_from_items(items: Iterable[object]) -> CaseRecords:
    """Records from decoded items in any order; sessions and meetings sorted by date."""
    by_kind: dict[str, list[Any]] = {kind: [] for kind in CASE_ITEM_KINDS}
    for item in items:
        by_kind[case_item_kind(item)].append(item)
    endings = by_kind["ending"]
    plan = InterventionPlan(
        tracks=tuple(by_kind["track"]),
        goals=tuple(by_kind["goal"]),
        meetings=tuple(sorted(by_kind["risk_meeting"], key=lambda m: m.date)),
        keeping_safe_plans=tuple(sorted(by_kind["keeping_safe_plan"], key=lambda p: p.version)),
        ending=endings[0] if endings else None,
    )
    return CaseRecords(
        sessions=tuple(sorted(by_kind["supervision"], key=lambda s: s.date)),
        plan=plan,
        escalations=tuple(sorted(by_kind["escalation"], key=lambda e: e.date)),
        consultations=tuple(sorted(by_kind["consultation"], key=lambda e: e.date)),
        sharing_decisions=tuple(sorted(by_kind["sharing_decision"], key=lambda d: d.at)),
    )


def record_items(records: CaseRecords) -> list[object]:
    """Every item of the records, for storing."""
    plan = records.plan
    items: list[object] = [*records.sessions, *plan.tracks, *plan.goals, *plan.meetings]
    items += [*plan.keeping_safe_plans]
    if plan.ending is not None:
        items.append(plan.ending)
    return [*items, *records.escalations, *records.consultations, *records.sharing_decisions]


def records_to_dict(records: CaseRecords, include_wellbeing: bool = False) -> dict[str, Any]:
    """The records as an export file holds them: sessions WITHOUT well-being responses unless
    include_wellbeing (never set for a case export)."""
    plan = records.plan
    return {
        "supervision_sessions": [session_to_dict(s, include_wellbeing) for s in records.sessions],
        "intervention": {
            "tracks": [_track_to(t) for t in plan.tracks],
            "goals": [_goal_to(g) for g in plan.goals],
            "risk_meetings": [_meeting_to(m) for m in plan.meetings],
            "keeping_safe_plans": [_plan_version_to(p) for p in plan.keeping_safe_plans],
            "ending": None if plan.ending is None else _ending_to(plan.ending),
        },
        "escalations": [_escalation_to(e) for e in records.escalations],
        "consultations": [_consultation_to(c) for c in records.consultations],
    }


def records_from_dict(data: Any, path: str = "records") -> CaseRecords:
    """Strict inverse of records_to_dict; also checks ids are unique and goals point at a
    track that exists."""
    root = DictReader(data, path)

    def many(reader: DictReader, key: str, kind: str) -> list[Any]:
        return [
            case_item_from_dict(kind, raw, f"{reader.at(key)}[{index}]")
            for index, raw in enumerate(reader.items(key))
        ]

    items = many(root, "supervision_sessions", "supervision")
    plan = root.child("intervention")
    items += many(plan, "tracks", "track") + many(plan, "goals", "goal")
    items += many(plan, "risk_meetings", "risk_meeting")
    items += many(plan, "keeping_safe_plans", "keeping_safe_plan")
    if plan.raw("ending") is not None:
        items.append(case_item_from_dict("ending", plan.raw("ending"), plan.at("ending")))
    plan.done()
    items += many(root, "escalations", "escalation") + many(root, "consultations", "consultation")
    root.done()
    seen: set[tuple[str, str]] = set()
    for item in items:
        ref = (case_item_kind(item), case_item_key(item))
        if ref in seen:
            raise ValueError(f"{path}: duplicate {ref[0]} id {ref[1]!r}")
        seen.add(ref)
    records = records_from_items(items)
    track_ids = {t.id for t in records.plan.tracks}
    for index, goal in enumerate(records.plan.goals):
        if goal.track_id not in track_ids:
            raise ValueError(
                f"{path}.intervention.goals[{index}].track_id: no track {goal.track_id!r}"
            )
    return records
