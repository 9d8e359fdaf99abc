"""What the assessment means for the work ahead, as report sections: the case formulation
(in full, or its planning conclusion for a share report), the safety plan and the
intervention plan summary."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from aim3desk.domain.intervention import InterventionPlan
from aim3desk.domain.sharing import SUMMARY_PART
from aim3desk.services.reports.labels import domain_title, factor_label, source_label
from aim3desk.services.reports.marking import section_mark
from aim3desk.services.reports.outline import Outline, Styles, minor_heading
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import (
    details_table,
    grid_table,
    long_date,
    text,
    text_paragraphs,
)


def formulation_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Full report only: every part of the case formulation with what it cites."""
    flowables = outline.h1("Overall analysis: the case formulation")
    evidence = {e.id: e for e in req.content.evidence}
    for part_id, part in req.content.formulation.parts():
        flowables += minor_heading(part_id.label, st)
        if part.is_empty:
            flowables.append(Paragraph("Not written yet.", st["muted"]))
            continue
        if req.mark_internal and part_id is not SUMMARY_PART:
            flowables.append(section_mark("formulation", st))
        flowables += text_paragraphs(part.text, st["body"])
        cites = [
            f"{domain_title(req, d)}: {factor_label(req, d, s)}" for d, s in part.cites_factors
        ]
        cites += [
            f"evidence from {source_label(req, evidence[e].source)}"
            f" ({long_date(evidence[e].date, 'undated')})"
            for e in part.cites_evidence
            if e in evidence
        ]
        if cites:
            flowables.append(Paragraph(text("Draws on: " + "; ".join(cites) + "."), st["small"]))
    return flowables


def formulation_summary_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Share reports: only the formulation's conclusion for planning (SUMMARY_PART)."""
    flowables = outline.h1("What the assessment means for intervention and supervision")
    summary = req.content.formulation.part(SUMMARY_PART).text
    if not summary.strip():
        return [*flowables, Paragraph("Not written yet.", st["muted"])]
    return [*flowables, *text_paragraphs(summary, st["body"])]


def safety_plan_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    plan = req.content.safety_plan
    flowables = outline.h1("Safety plan")
    if not plan.risks.strip() and not plan.actions and not plan.supervision_level.strip():
        return [*flowables, Paragraph("No safety plan recorded yet.", st["muted"])]
    flowables += [
        Paragraph("Risks the plan manages", st["label"]),
        *(text_paragraphs(plan.risks, st["body"]) or [Paragraph("Not recorded.", st["muted"])]),
        Spacer(1, 2 * mm),
    ]
    if plan.actions:
        rows = [
            [a.who, text_paragraphs(a.what, st["cell"]) or "", a.where or "Anywhere"]
            for a in plan.actions
        ]
        flowables.append(grid_table(("Who", "What they do", "Where"), rows, (0.24, 0.54, 0.22), st))
        flowables.append(Spacer(1, 3 * mm))
    flowables.append(
        details_table(
            [
                ("Level of supervision", plan.supervision_level or "Not recorded"),
                ("Review date", long_date(plan.review_date, "Not set")),
            ],
            st,
        )
    )
    return flowables


def intervention_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    plan: InterventionPlan = req.records.plan
    flowables = outline.h1("Intervention plan summary")
    if plan.is_empty:
        return [*flowables, Paragraph("No intervention plan has been started.", st["muted"])]
    if plan.tracks:
        rows = [
            [t.label, f"Stage {t.stage}", long_date(t.history[-1].on if t.history else None)]
            for t in plan.tracks
        ]
        flowables += [
            grid_table(("Track", "Stage", "At this stage since"), rows, (0.46, 0.2, 0.34), st),
            Spacer(1, 3 * mm),
        ]
    if plan.goals:
        tracks = {t.id: t.label for t in plan.tracks}
        rows = []
        for goal in plan.goals:
            latest = goal.reviews[-1] if goal.reviews else None
            progress = (
                f"{latest.rating} of {req.progress_max} ({long_date(latest.date)})"
                if latest
                else "Not yet reviewed"
            )
            rows.append(
                [
                    tracks.get(goal.track_id, "Unknown track"),
                    text_paragraphs(goal.text, st["cell"]) or "",
                    progress,
                ]
            )
        flowables += [
            *minor_heading("Goals", st),
            grid_table(("Track", "Goal", "Latest progress"), rows, (0.24, 0.48, 0.28), st),
        ]
    meeting = plan.latest_meeting
    if meeting is not None:
        flowables += minor_heading("Latest risk management meeting", st)
        flowables.append(
            details_table(
                [
                    ("Date", long_date(meeting.date)),
                    ("Decisions", meeting.decisions or "None recorded"),
                    ("Safety plan changes", meeting.safety_plan_changes or "None recorded"),
                    ("Next review", long_date(meeting.next_review, "Not set")),
                ],
                st,
            )
        )
    current = plan.keeping_safe_plan
    if current is not None:
        flowables += minor_heading("Keeping-safe plan", st)
        agreed = f", agreed with {current.agreed_with}" if current.agreed_with else ""
        flowables.append(
            Paragraph(
                text(f"Version {current.version} of {long_date(current.date)}{agreed}."),
                st["small"],
            )
        )
        flowables += text_paragraphs(current.text, st["body"])
    return flowables


RECOMMENDATION_PARTS = (
    ("Intervention", "intervention"),
    ("Level of supervision", "supervision_level"),
    ("Who does what", "who_does_what"),
)


def recommendations_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Full report only: the assessor's recommendations, a field of their own (a share report
    gets only what the practitioner wrote for its audience)."""
    flowables = outline.h1("Recommendations")
    recommendations = req.content.recommendations
    for title, name in RECOMMENDATION_PARTS:
        written = getattr(recommendations, name)
        flowables += minor_heading(title, st)
        flowables += text_paragraphs(written, st["body"]) or [
            Paragraph("Not yet written.", st["muted"])
        ]
    return flowables
