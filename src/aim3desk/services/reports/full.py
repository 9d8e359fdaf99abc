"""The full assessment report: for the immediate practitioner network only. It opens with a
front sheet naming the young person; then the chronology, profile, each domain in prose and
factor by factor, unknowns, voices, the overall analysis (case formulation), recommendations,
safety and intervention plans, and the signature block."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer

from aim3desk.domain.sign_off import VersionStage
from aim3desk.services.reports.document import contents
from aim3desk.services.reports.domain_sections import domains_section
from aim3desk.services.reports.form_note import factor_wording_note
from aim3desk.services.reports.labels import model_name
from aim3desk.services.reports.outline import Outline, Styles, marking_notice
from aim3desk.services.reports.plan_sections import (
    formulation_section,
    intervention_section,
    recommendations_section,
    safety_plan_section,
)
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.sections import (
    chronology,
    profile_section,
    unknowns_section,
    voices_section,
)
from aim3desk.services.reports.signoff import signoff_section, status_behind_note
from aim3desk.services.reports.style import details_table, long_date, text


def sign_off_words(req: ReportRequest) -> str:
    """The front sheet's sign-off line: from the one sign-off rule (domain/sign_off.py), never
    from the case status or a supervision session."""
    status = req.sign_off
    if status.signed_off:
        return f"Signed off on {long_date(status.signed_off_on)} by {status.supervisor}"
    if status.stage is VersionStage.FINISHED:
        return (
            f"Not yet signed off: finished on {long_date(status.finished_on)}, awaiting the "
            "supervisor's signed review"
        )
    return "Not yet signed off: the assessment is still being written"


def front_sheet_rows(req: ReportRequest) -> dict[str, list[tuple[str, str]]]:
    """The front sheet's three tables: the young person, the request, the assessment."""
    case, assessment = req.case, req.assessment
    lead = case.lead_agency.label
    if case.lead_agency_reason.strip():
        lead += f" (chosen because: {case.lead_agency_reason.strip()})"
    person = [
        ("Young person", case.young_person_name),
        (
            "Date of birth",
            f"{long_date(case.date_of_birth)} (aged {case.age_at_request} at the request)",
        ),
        ("Case reference", case.reference),
        ("Lead agency", lead),
        ("Lead worker", case.lead_worker),
        ("Social worker", case.social_worker.strip() or "None recorded"),
        ("Co-workers", ", ".join(case.co_workers) or "None recorded"),
    ]
    request = [
        ("Requested by", case.requested_by.label),
        ("Why it was requested", case.request_reason.strip() or "Not recorded"),
        ("Request date", long_date(assessment.request_date if assessment else case.request_date)),
        ("Due date", long_date(assessment.due_date if assessment else None)),
    ]
    about = [
        ("Assessment model", model_name(req)),
        ("Assessment version", str(assessment.version) if assessment else "Not started"),
        ("Case status", case.status.label),
        ("Sign-off", sign_off_words(req)),
        ("Author", req.author + (f", {req.organisation}" if req.organisation else "")),
        ("Report produced", long_date(req.produced)),
    ]
    return {"The young person": person, "The request": request, "The assessment": about}


def cover(req: ReportRequest, st: Styles) -> list:
    """The front sheet: who the assessment is about (by name: this report goes only to the
    immediate practitioner network; its file name and metadata still carry only the case
    reference), who asked for it and why, and where the version stands."""
    status = req.sign_off
    tables: list = []
    for title, rows in front_sheet_rows(req).items():
        tables += [Paragraph(title, st["h3"]), details_table(rows, st)]
    return [
        Spacer(1, 4 * mm),
        Paragraph("Assessment report", st["title"]),
        Paragraph(text(f"{model_name(req)} · {status.summary}"), st["subtitle"]),
        *tables,
        *status_behind_note(req, st),
        Spacer(1, 5 * mm),
        marking_notice(
            st,
            " This full report is for the practitioners completing or overseeing the "
            "assessment: for another agency produce a share report, which leaves out what "
            "must stay within this network."
            + ("" if status.signed_off else " It is a draft until it has been signed off."),
        ),
        PageBreak(),
    ]


def full_story(req: ReportRequest, st: Styles) -> list:
    outline = Outline(st)
    body = [
        *chronology(req, st, outline),
        *factor_wording_note(req, st),  # once, before the first factor name
        *profile_section(req, st, outline, with_rationale=True),
        *domains_section(req, st, outline),
        *unknowns_section(req, st, outline),
        *voices_section(req, st, outline),
        *formulation_section(req, st, outline),
        *recommendations_section(req, st, outline),
        *safety_plan_section(req, st, outline),
    ]
    if not req.records.plan.is_empty:
        body += intervention_section(req, st, outline)
    body += signoff_section(req, st, outline)
    return [*cover(req, st), *contents(outline.headings, st), PageBreak(), *body]
