"""Operations on an assessment version: open it, save its edits, finish it, start another,
list and compare versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aim3desk.ui.heap import set_aside_from_collection
from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.domain.assessment import AssessmentContent
    from aim3desk.domain.cases import Assessment
    from aim3desk.domain.codec import ItemRef
    from aim3desk.domain.forms import EvidenceRules, FormSet, ScreeningScale
    from aim3desk.domain.versions import Change as ContentChange
    from aim3desk.services.session import Session
    from aim3desk.ui.assessment.evidence_rows import EvidenceRow
    from aim3desk.ui.tasks import TaskRunner


@dataclass(frozen=True)
class OpenedAssessment:
    """What the workspace needs to show a version: its record, content and the rules, and
    each domain's evidence rows shaped for its table (by domain id; handed over once)."""

    assessment: Assessment
    content: AssessmentContent
    evidence_rules: EvidenceRules
    screening: ScreeningScale
    evidence_rows: dict[str, tuple[EvidenceRow, ...]] = field(default_factory=dict)


def open_assessment(
    runner: TaskRunner, session: Session, assessment_id: str, form_set: FormSet | None = None
) -> Query[OpenedAssessment]:
    """Read a version; with `form_set`, also shape its evidence tables and ready the spell
    checker, so the UI thread only binds ready rows."""
    assessments = session.assessments

    def read() -> OpenedAssessment:
        from aim3desk.services.forms_loader import load_evidence_rules, load_screening
        from aim3desk.ui.assessment import spelling
        from aim3desk.ui.assessment.evidence_rows import shape_domains

        with set_aside_from_collection():  # a large version must not wake it (heap.py)
            assessment = assessments.assessment(assessment_id)
            content = assessments.load(assessment_id)
            rules = load_evidence_rules()
            rows: dict[str, tuple[EvidenceRow, ...]] = {}
            if form_set is not None:
                model = form_set.model(assessment.model.value)
                rows = dict(shape_domains(content, rules, form_set.domains_for(model.id)))
                spelling.checker()  # its dictionary loads here, not on the first text box
        return OpenedAssessment(assessment, content, rules, load_screening(), rows)

    return Query(runner, read, "opening the assessment")


def save_assessment_items(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    assessment_id: str,
    upserts: list[object],
    deletes: list[ItemRef],
) -> Change[None]:
    assessments = session.assessments
    return Change(
        runner,
        lambda: assessments.save_items(assessment_id, upserts, deletes),
        "saving the assessment",
        Changes(case_id=case_id, assessment_id=assessment_id),
    )


def read_versions(runner: TaskRunner, session: Session, case_id: str) -> Query[list[Assessment]]:
    assessments = session.assessments
    return Query(runner, lambda: assessments.versions(case_id), "loading the versions")


def finish_version(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    assessment_id: str,
    override_reason: str = "",
) -> Change[Assessment]:
    """Finish the version; a version not passing the readiness check needs the reason."""
    assessments = session.assessments
    return Change(
        runner,
        lambda: assessments.finish(assessment_id, override_reason),
        "finishing the version",
        Changes(case_id=case_id, case_details=True, case_list=True, assessment_id=assessment_id),
    )


def start_new_version(runner: TaskRunner, session: Session, case_id: str) -> Change[Assessment]:
    assessments = session.assessments
    return Change(
        runner,
        lambda: assessments.new_version(case_id),
        "starting a new version",
        lambda made: Changes(
            case_id=case_id, case_details=True, case_list=True, assessment_id=made.id
        ),
    )


def compare_versions(
    runner: TaskRunner, session: Session, old_id: str, new_id: str
) -> Query[list[ContentChange]]:
    assessments = session.assessments
    return Query(runner, lambda: assessments.compare(old_id, new_id), "comparing the versions")
