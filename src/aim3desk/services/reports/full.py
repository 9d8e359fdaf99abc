"""The full assessment report: for the immediate practitioner network only."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer

from aim3desk.services.reports.document import contents
from aim3desk.services.reports.form_note import factor_wording_note
from aim3desk.services.reports.labels import model_name
from aim3desk.services.reports.outline import Outline, Styles, marking_notice
from aim3desk.services.reports.plan_sections import (
    formulation_section,
    intervention_section,
    safety_plan_section,
)
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.sections import (
    case_details,
    chronology,
    domains_section,
    profile_section,
    strengths_section,
    unknowns_section,
    voices_section,
)
from aim3desk.services.reports.signoff import signoff_section, status_behind_note
from aim3desk.services.reports.style import details_table, long_date, text


def cover(req: ReportRequest, st: Styles) -> list:
    """Case reference, model, version, author and dates: never the child's name."""
    case, assessment = req.case, req.assessment
    status = req.sign_off
    rows = [
        ("Case reference", case.reference),
        ("Assessment model", model_name(req)),
        ("Assessment version", str(assessment.version) if assessment else "Not started"),
        ("Status", case.status.label),
        ("Author", req.author),
    ]
    if req.organisation:
        rows.append(("Organisation", req.organisation))
    rows += [
        ("Request date", long_date(assessment.request_date if assessment else case.request_date)),
        ("Due date", long_date(assessment.due_date if assessment else None)),
        (
            "Signed off",
            f"{long_date(status.signed_off_on)} by {status.supervisor}"
            if status.signed_off
            else "Not yet",
        ),
        ("Report produced", long_date(req.produced)),
    ]
    return [
        Spacer(1, 18 * mm),
        Paragraph("Assessment report", st["title"]),
        Paragraph(text(f"{model_name(req)} · {status.summary}"), st["subtitle"]),
        details_table(rows, st),
        *status_behind_note(req, st),
        Spacer(1, 8 * mm),
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
        *case_details(req, st, outline, full=True),
        *chronology(req, st, outline),
        *factor_wording_note(req, st),  # once, before the first factor name
        *profile_section(req, st, outline, with_rationale=True),
        *domains_section(req, st, outline),
        *strengths_section(req, st, outline),
        *unknowns_section(req, st, outline),
        *voices_section(req, st, outline),
        *formulation_section(req, st, outline),
        *safety_plan_section(req, st, outline),
    ]
    if not req.records.plan.is_empty:
        body += intervention_section(req, st, outline)
    body += signoff_section(req, st, outline)
    return [*cover(req, st), *contents(outline.headings, st), PageBreak(), *body]
