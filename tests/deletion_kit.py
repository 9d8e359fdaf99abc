"""A case full of unique canary strings, for the deletion tests: the young person's name, an
evidence text, a formulation text and a supervision note, each a random string found nowhere
else. The case's first version is finished (its rows read-only) and a second one started, so
the erase meets the read-only triggers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta

from aim3desk.domain.assessment_items import EvidenceEntry, Formulation
from aim3desk.domain.assessment_items import FormulationPart as Part
from aim3desk.domain.assessment_items import FormulationPartId as PartId
from aim3desk.domain.cases import (
    Assessment,
    AssessmentModel,
    Case,
    LeadAgency,
    Requester,
    new_id,
)
from aim3desk.domain.supervision import SupervisionSession, SupervisionType
from aim3desk.security.keyfile import KEY_FILE_NAME, KeyFile
from aim3desk.services.session import Session
from bundle_people import PASSPHRASE

TODAY = date(2025, 3, 3)


def canary(label: str) -> str:
    return f"{label}{uuid.uuid4().hex}"


@dataclass(frozen=True)
class CanaryCase:
    case: Case
    name: str
    evidence: str
    formulation: str
    supervision: str

    @property
    def strings(self) -> list[str]:
        return [self.name, self.evidence, self.formulation, self.supervision]


def add_aim3_case(session: Session, reference: str, young_person_name: str) -> Case:
    """An invented case requested on 6 January 2025 with its first AIM3 version started."""
    request = date(2025, 1, 6)
    case = Case(
        id=new_id(),
        reference=reference,
        young_person_name=young_person_name,
        date_of_birth=date(2011, 4, 2),
        lead_agency=LeadAgency.YOS,
        lead_worker="Marisol Examplecroft",
        requested_by=Requester.CASE_WORKER,
        request_date=request,
    )
    first = Assessment(new_id(), case.id, AssessmentModel.AIM3, request, request + timedelta(6))
    return session.cases.add_case(replace(case, assessments=(first,)), today=TODAY)


def add_canary_case(session: Session, reference: str = "DEL-0001") -> CanaryCase:
    name = canary("Zorvane")
    evidence = canary("Evidqx")
    formulation = canary("Formqx")
    supervision = canary("Supvqx")
    case = add_aim3_case(session, reference, name)
    assessment_id = case.assessments[0].id
    entry = EvidenceEntry(
        "ev-1",
        None,
        None,
        evidence,
        TODAY,
        "practitioner_observation",
        "background",
        "practitioner_reflection",
    )
    formulation_item = Formulation().with_part(PartId.WHAT_HAPPENED, Part(formulation))
    session.assessments.save_items(assessment_id, [entry, formulation_item])
    session.supervision.save_session(
        case.id,
        SupervisionSession(
            new_id(),
            TODAY,
            "Rosalind Mockingham",
            SupervisionType.ASSESSMENT_ONE,
            notes=supervision,
        ),
        today=TODAY,
    )
    session.assessments.finish(assessment_id, override_reason="Invented reason to finish now.")
    session.assessments.new_version(case.id, today=TODAY)
    return CanaryCase(session.cases.get_case(case.id), name, evidence, formulation, supervision)


def data_key(session: Session) -> bytearray:
    """The profile's data key, from its key file, as an administrator with the passphrase
    would have it (the tests' PASSPHRASE)."""
    return KeyFile.load(session.profile_dir / KEY_FILE_NAME).unlock(PASSPHRASE)
