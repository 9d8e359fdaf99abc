"""build_report: lay out any kind of report in memory, then write it atomically. A cancelled
or failed build leaves no file behind (and an existing file at the path untouched)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import Case
from aim3desk.domain.forms import EvidenceRules, FormSet
from aim3desk.output_path import OutputTarget
from aim3desk.services.reports.document import CancelCheck, ProgressCallback, ReportDocument
from aim3desk.services.reports.ending import ending_story
from aim3desk.services.reports.full import full_story
from aim3desk.services.reports.request import (
    ReportKind,
    ReportRequest,
    ShareDetails,
    records_for,
)
from aim3desk.services.reports.share import share_story
from aim3desk.services.reports.style import ReportCancelled, register_fonts, styles
from aim3desk.services.reports.supervision_record import supervision_record_story
from aim3desk.services.reports.young_person import young_person_story


def _titles(req: ReportRequest) -> tuple[str, str]:
    """(metadata title, footer text) for the request: the case reference, never the child's
    name; DRAFT exactly when the request is a draft (domain/sign_off.py decides)."""
    reference = req.case.reference
    draft = req.is_draft
    suffix = " (DRAFT)" if draft else ""
    kind = req.kind
    if kind is ReportKind.FULL:
        return (
            f"Assessment report, case {reference}{suffix}",
            f"Case {reference} · {'DRAFT ' if draft else ''}assessment report",
        )
    if kind.is_share:
        label = kind.value.replace("-", " ")
        return (
            f"Share report for {label}, case {reference}{suffix}",
            f"Case {reference} · shared extract for {label}{' · DRAFT' if draft else ''}",
        )
    if kind is ReportKind.YOUNG_PERSON:
        return (f"My plan, case {reference}", f"Case {reference}")
    if kind is ReportKind.SUPERVISION_RECORD:
        return (
            f"Supervision record, case {reference}",
            f"Case {reference} · supervision record for the supervisor",
        )
    return (f"Ending report, case {reference}", f"Case {reference} · ending report")


def build_report(
    request: ReportRequest,
    out_path: Path,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    *,
    target: OutputTarget | None = None,
) -> Path:
    """Write the report to `out_path` and return the path. progress(fraction, message) is
    called as it goes (from this thread); cancelled() is checked between flowables and, if
    it says so, ReportCancelled is raised and nothing is written. `target` says what the
    path may be (output_path.py); by default only a new file."""
    target = target or OutputTarget()
    target.check(Path(out_path))  # refused before minutes of layout, not after
    return write_pdf(render_bytes(request, progress, cancelled), out_path, progress, target)


def write_pdf(
    data: bytes,
    out_path: Path,
    progress: ProgressCallback | None = None,
    target: OutputTarget | None = None,
) -> Path:
    """Write a laid-out PDF atomically at the chosen path (its temporary file beside it),
    by the output-path rule."""
    target = target or OutputTarget()
    if progress is not None:
        progress(0.98, "Writing the file")
    path = target.write(Path(out_path), data)
    if progress is not None:
        progress(1.0, "Done")
    return path


def story_for(request: ReportRequest) -> list:
    """The flowables of the report (a fresh list each call: platypus flowables are used up)."""
    kind = request.kind
    if kind is ReportKind.YOUNG_PERSON:
        return young_person_story(request)
    if kind is ReportKind.ENDING:
        return ending_story(request, styles())
    if kind is ReportKind.SUPERVISION_RECORD:
        return supervision_record_story(request, styles())
    if kind.is_share:
        return share_story(request, styles())
    return full_story(request, styles())


def render_bytes(
    request: ReportRequest,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> bytes:
    """The PDF in memory."""
    register_fonts()
    if progress is not None:
        progress(0.0, "Preparing the report")
    # Defence in depth: whoever built the request, no report sees well-being responses but
    # the supervision record, and that only those the practitioner included for the supervisor.
    request = replace(request, records=records_for(request.kind, request.records))
    kind = request.kind
    story = story_for(request)
    title, footer = _titles(request)
    buffer = io.BytesIO()
    doc = ReportDocument(
        buffer,
        title=title,
        author=request.author,
        reference=request.case.reference,
        footer_left=footer,
        draft=request.is_draft,
        progress=progress,
        cancelled=cancelled,
        marking_size=9 if kind is ReportKind.YOUNG_PERSON else 11,
    )
    doc.build(story)
    if cancelled is not None and cancelled():
        raise ReportCancelled("The report was cancelled; no file was written.")
    return buffer.getvalue()


def build_case_report(
    case: Case,
    form_set: FormSet,
    out_path: Path,
    author: str,
    organisation: str = "",
    produced: date | None = None,
    *,
    content: AssessmentContent | None = None,
    evidence_rules: EvidenceRules | None = None,
    records: CaseRecords | None = None,
    kind: ReportKind | str = ReportKind.FULL,
    share: ShareDetails | None = None,
    replace: bool = False,
) -> Path:
    """Build a report from its parts without a session (tests, tools); an existing file at
    `out_path` is replaced only with `replace`."""
    from aim3desk.services.forms_loader import (
        load_evidence_rules,
        load_sharing_policy,
    )

    rules = evidence_rules or load_evidence_rules()
    request = ReportRequest(
        kind=ReportKind(kind),
        case=case,
        form_set=form_set,
        rules=rules,
        author=author,
        content=content or AssessmentContent(),
        records=records or CaseRecords(),
        policy=load_sharing_policy(rules=rules),
        organisation=organisation,
        produced=produced or datetime.now().date(),
        share=share,
    )
    return build_report(request, out_path, target=OutputTarget(replace=replace))
