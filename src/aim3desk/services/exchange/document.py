"""The case document codec: a case with its assessments, their content and the case's records
<-> the JSON document of an export file (docs/export-format.md). Reading assumes a document
that has passed checking.py; files of every released schema version are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from aim3desk import __version__
from aim3desk.domain.annual_return import UNRECORDED_REASON
from aim3desk.domain.assessment import AssessmentContent, EvidenceEntry
from aim3desk.domain.case_codec import records_from_dict, records_to_dict
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import (
    UNRECORDED_LEAD_REASON,
    Assessment,
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    lead_departs_from_rule,
)
from aim3desk.domain.codec import content_from_dict, content_to_dict

FORMAT_NAME = "aim3desk-case-export"
SCHEMA_VERSION = 5


@dataclass(frozen=True)
class CaseExport:
    """What an export file holds: the case with its assessments, and each assessment's
    content by assessment id."""

    case: Case
    contents: dict[str, AssessmentContent] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION  # of the file it was read from
    # Supervision sessions (never with well-being responses), intervention plan, logs.
    records: CaseRecords = field(default_factory=CaseRecords)

    def content(self, assessment_id: str) -> AssessmentContent:
        return self.contents.get(assessment_id, AssessmentContent())


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def case_to_document(
    case: Case,
    exported_by: str = "",
    now: datetime | None = None,
    *,
    contents: Mapping[str, AssessmentContent] | None = None,
    records: CaseRecords | None = None,
) -> dict:
    """Every field of the case and of each assessment with its whole content (codec's
    content_to_dict; an assessment missing from `contents` is exported empty), oldest
    version first, and the case's records: supervision sessions WITHOUT their well-being
    responses (which never leave the store), the intervention plan and the logs."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    contents = contents or {}
    return {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "exported_at": moment.isoformat().replace("+00:00", "Z"),
        "exported_by": exported_by,
        "app_version": __version__,
        "case": {
            "id": case.id,
            "reference": case.reference,
            "young_person_name": case.young_person_name,
            "date_of_birth": case.date_of_birth.isoformat(),
            "lead_agency": case.lead_agency.value,
            "lead_worker": case.lead_worker,
            "requested_by": case.requested_by.value,
            "request_date": case.request_date.isoformat(),
            "co_workers": list(case.co_workers),
            "joint_with_social_worker": case.joint_with_social_worker,
            "status": case.status.value,
            "not_completed_reason": case.not_completed_reason,
            "not_completed_on": case.not_completed_on.isoformat()
            if case.not_completed_on
            else None,
            # The day it was closed: a handed-over closed case keeps its retention date.
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
            "social_worker": case.social_worker,
            "request_reason": case.request_reason,
            "open_to_yos_for_sexual_offence": case.open_to_yos_for_sexual_offence,
            "lead_agency_reason": case.lead_agency_reason,
            "records": records_to_dict(records or CaseRecords(), include_wellbeing=False),
            "assessments": [
                {
                    "id": a.id,
                    "model": a.model.value,
                    "request_date": a.request_date.isoformat(),
                    "due_date": a.due_date.isoformat(),
                    "version": a.version,
                    "finished": a.finished,
                    "finished_at": _timestamp(a.finished_at),
                    "based_on_id": a.based_on_id,
                    "content": content_to_dict(contents.get(a.id, AssessmentContent())),
                }
                for a in sorted(case.assessments, key=lambda a: a.version)
            ],
        },
    }


def _parse_timestamp(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def document_to_case(document: dict) -> Case:
    """Build the Case from a document that has passed the schema check."""
    data = document["case"]
    status = CaseStatus(data["status"])
    if document["schema_version"] >= 3:
        reason = data["not_completed_reason"]
        marked = data["not_completed_on"]
        marked_on = date.fromisoformat(marked) if marked else None
    elif status is CaseStatus.NOT_COMPLETED:
        # Older files did not say why or when: as store migration 0004 does.
        reason = UNRECORDED_REASON
        marked_on = _parse_timestamp(document["exported_at"]).date()
    else:
        reason, marked_on = "", None
    assessments = tuple(
        Assessment(
            id=a["id"],
            case_id=data["id"],
            model=AssessmentModel(a["model"]),
            request_date=date.fromisoformat(a["request_date"]),
            due_date=date.fromisoformat(a["due_date"]),
            version=a["version"],
            finished=a["finished"],
            based_on_id=a.get("based_on_id"),
            finished_at=_parse_timestamp(a.get("finished_at")),
        )
        for a in data["assessments"]
    )
    closed_on = None
    if status is CaseStatus.CLOSED:
        # Version 4 says when it was closed; an older file (or a case closed before the
        # day was kept) counts from the day it was exported: never earlier than the truth,
        # so retention is never cut short.
        closed = data.get("closed_on")
        exported = _parse_timestamp(document["exported_at"]).date()
        closed_on = date.fromisoformat(closed) if closed else exported
    case = Case(
        id=data["id"],
        reference=data["reference"],
        young_person_name=data["young_person_name"],
        date_of_birth=date.fromisoformat(data["date_of_birth"]),
        lead_agency=LeadAgency(data["lead_agency"]),
        lead_worker=data["lead_worker"],
        requested_by=Requester(data["requested_by"]),
        request_date=date.fromisoformat(data["request_date"]),
        co_workers=tuple(data["co_workers"]),
        joint_with_social_worker=data["joint_with_social_worker"],
        status=status,
        assessments=assessments,
        not_completed_reason=reason,
        not_completed_on=marked_on,
        closed_on=closed_on,
        # Version 5 added these; older files had none, and nothing is inferred.
        social_worker=data.get("social_worker", ""),
        request_reason=data.get("request_reason", ""),
        open_to_yos_for_sexual_offence=data.get("open_to_yos_for_sexual_offence", False),
        lead_agency_reason=data.get("lead_agency_reason", ""),
    )
    if document["schema_version"] < 5 and lead_departs_from_rule(case) is not None:
        # A court request led by another agency, from before the app asked why: say so
        # rather than refuse the file or invent a reason.
        case = replace(case, lead_agency_reason=UNRECORDED_LEAD_REASON)
    return case


def _v1_content(evidence: list[dict[str, str]], exported_on: date) -> AssessmentContent:
    """A version 1 file's text per domain as evidence entries, converted as store migration
    0003 converts the same texts: conservative, internal only (a practitioner's reflection)
    until someone classifies it, dated the day the file was exported."""
    return AssessmentContent(
        evidence=tuple(
            EvidenceEntry(
                id=f"notes-{e['domain_id']}",
                domain_id=e["domain_id"],
                factor_slot=None,
                text=e["text"],
                date=exported_on,
                source="practitioner_observation",
                category="background",
                sharing="practitioner_reflection",
            )
            for e in evidence
            if e["text"].strip()
        )
    )


def document_contents(document: dict) -> dict[str, AssessmentContent]:
    """Each assessment's content by id, from a document that has passed the schema check.
    Raises ValueError naming the codec path of a problem (see _domain_problems)."""
    assessments = document["case"]["assessments"]
    if document["schema_version"] == 1:
        exported_on = _parse_timestamp(document["exported_at"]).date()
        return {a["id"]: _v1_content(a["evidence"], exported_on) for a in assessments}
    return {a["id"]: content_from_dict(a["content"]) for a in assessments}


def document_records(document: dict) -> CaseRecords:
    if document["schema_version"] < 3:
        return CaseRecords()
    return records_from_dict(document["case"]["records"], "records")


def document_to_export(document: dict) -> CaseExport:
    return CaseExport(
        document_to_case(document),
        document_contents(document),
        document["schema_version"],
        document_records(document),
    )
