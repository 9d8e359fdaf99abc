"""What a caller says when producing a report, and what comes back: the answers before a share
report is shared, and the produced report with its sharing decision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aim3desk.domain.cases import Case, ValidationError
from aim3desk.domain.share_checks import share_answer_problems
from aim3desk.domain.sharing import SharingDecision
from aim3desk.services.reports.request import ReportKind

AUDIT_EXPORT = "report.export"


@dataclass(frozen=True)
class ShareAnswers:
    """What the practitioner said before sharing: to whom, why, on what lawful basis."""

    recipient: str
    reason: str
    lawful_basis: str  # a lawful basis id of forms/sharing.toml
    lawful_basis_text: str = ""  # the basis in words when the id is "other"
    # Why a version neither signed off nor passing the readiness check is shared anyway
    # (domain/gates.py, Gate.SHARE): needed only then, recorded with the decision.
    override_reason: str = ""


@dataclass(frozen=True)
class ProducedReport:
    case: Case
    path: Path | None
    kind: ReportKind
    decision: SharingDecision | None = None


def check_answers(kind: ReportKind, answers: ShareAnswers | None) -> None:
    """ValidationError before anything is built if a share report lacks its answers, or its
    recipient or reason is too short to say anything (domain/share_checks.py)."""
    if not kind.is_share:
        return
    problems = share_answer_problems(
        answers.recipient if answers else "", answers.reason if answers else ""
    )
    if answers is None or not answers.lawful_basis.strip():
        problems["lawful_basis"] = "Choose the lawful basis."
    if problems:
        raise ValidationError(problems)
