"""The ending report: from the intervention plan's moving-on stage, what changed, where risk
and responsibility now lie, what is still outstanding, and each goal's progress."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from aim3desk.domain.intervention import LAST_STAGE, draft_ending_summary
from aim3desk.services.reports.labels import model_name
from aim3desk.services.reports.outline import Outline, Styles, marking_notice
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import (
    details_table,
    grid_table,
    listed_paragraphs,
    long_date,
    text,
    text_paragraphs,
)


def ending_story(req: ReportRequest, st: Styles) -> list:
    plan = req.records.plan
    outline = Outline(st)
    ending = plan.ending
    drafted = ending is None
    if ending is None:
        ending = draft_ending_summary(plan, req.progress_max)
    moving_on = [t for t in plan.tracks if t.stage == LAST_STAGE]
    rows = [
        ("Case reference", req.case.reference),
        ("Young person", req.case.young_person_name),
        ("Lead worker", req.case.lead_worker),
        (
            "Assessment",
            f"{model_name(req)}, version {req.assessment.version if req.assessment else 0}",
        ),
        ("Tracks at stage 4 (moving on)", ", ".join(t.label for t in moving_on) or "None yet"),
        ("Report produced", long_date(req.produced)),
        ("Author", req.author + (f", {req.organisation}" if req.organisation else "")),
    ]
    story: list = [
        Paragraph("Ending report", st["title"]),
        Paragraph("Intervention: moving on (stage 4)", st["subtitle"]),
        details_table(rows, st),
        Spacer(1, 5 * mm),
        marking_notice(st),
    ]
    if drafted:
        story += [
            Spacer(1, 3 * mm),
            Paragraph(
                "No ending summary has been written yet: the summary below is drafted from the "
                "plan's own records and should be checked before the report is used.",
                st["muted"],
            ),
        ]
    story += [
        *outline.h1("Progress"),
        *(listed_paragraphs(ending.progress, st) or [Paragraph("Not recorded.", st["muted"])]),
        *outline.h1("Risk and change"),
        *(
            listed_paragraphs(ending.risk_and_change, st)
            or [Paragraph("Not recorded.", st["muted"])]
        ),
        *outline.h1("Outstanding areas"),
        *(listed_paragraphs(ending.outstanding, st) or [Paragraph("Not recorded.", st["muted"])]),
        *outline.h1("Goals and their last progress ratings"),
    ]
    if not plan.goals:
        story.append(Paragraph("No goals recorded.", st["muted"]))
    else:
        tracks = {t.id: t.label for t in plan.tracks}
        goal_rows = []
        for goal in plan.goals:
            first = goal.reviews[0] if goal.reviews else None
            last = goal.reviews[-1] if goal.reviews else None
            goal_rows.append(
                [
                    tracks.get(goal.track_id, "Unknown track"),
                    text_paragraphs(goal.text, st["cell"]) or "",
                    f"{first.rating} of {req.progress_max}" if first else "Not reviewed",
                    (
                        f"{last.rating} of {req.progress_max} ({long_date(last.date)})"
                        if last
                        else "Not reviewed"
                    ),
                ]
            )
        story.append(
            grid_table(
                ("Track", "Goal", "First rating", "Last rating"),
                goal_rows,
                (0.2, 0.42, 0.14, 0.24),
                st,
            )
        )
    current = plan.keeping_safe_plan
    if current is not None:
        story += outline.h1("Keeping-safe plan at the end")
        story.append(
            Paragraph(text(f"Version {current.version} of {long_date(current.date)}."), st["small"])
        )
        story += text_paragraphs(current.text, st["body"])
    return story
