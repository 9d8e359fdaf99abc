"""The young person's own copy of their goals and keeping-safe plan: plain words, large
type, no jargon, no evidence, no ratings."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table, TableStyle

from aim3desk.domain.intervention import TrackKind
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import (
    FONT,
    FONT_BOLD,
    FRAME_WIDTH,
    INK,
    long_date,
    text,
    text_paragraphs,
)

WARM = colors.HexColor("#fff4e0")
EDGE = colors.HexColor("#f0b45a")
CALM = colors.HexColor("#e6f2ea")
CALM_EDGE = colors.HexColor("#7fb892")


def young_person_styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "yp_body", fontName=FONT, fontSize=17, leading=24, textColor=INK, spaceAfter=8
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "yp_title", parent=body, fontName=FONT_BOLD, fontSize=28, leading=34, spaceAfter=10
        ),
        "h1": ParagraphStyle(
            "yp_h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=21,
            leading=28,
            spaceBefore=14,
            spaceAfter=8,
        ),
        "goal": ParagraphStyle("yp_goal", parent=body, fontName=FONT_BOLD, spaceAfter=4),
        "help": ParagraphStyle("yp_help", parent=body, fontSize=16, leading=22, spaceAfter=0),
        "small": ParagraphStyle(
            "yp_small", parent=body, fontSize=12, leading=16, textColor=colors.HexColor("#555555")
        ),
    }


def _card(flowables: list, fill: colors.Color, edge: colors.Color) -> Table:
    table = Table([[flowables]], colWidths=[FRAME_WIDTH], splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LINEBEFORE", (0, 0), (0, -1), 5, edge),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
                ("LEFTPADDING", (0, 0), (-1, -1), 14),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ]
        )
    )
    return table


def young_person_story(req: ReportRequest) -> list:
    st = young_person_styles()
    plan = req.records.plan
    young = [t for t in plan.tracks if t.kind is TrackKind.YOUNG_PERSON]
    goals = [g for g in plan.goals if young and g.track_id == young[0].id and g.plain_words.strip()]
    story: list = [
        Paragraph("My plan", st["title"]),
        Paragraph(
            text(
                "This is about the things I am working on and what helps me and everyone "
                "around me stay safe. We wrote it together. We can change it when things change."
            ),
            st["body"],
        ),
        Spacer(1, 4 * mm),
        Paragraph("My goals", st["h1"]),
    ]
    if not goals:
        story.append(Paragraph("We will write my goals together.", st["body"]))
    for goal in goals:
        card = [Paragraph(text(goal.plain_words), st["goal"])]
        if goal.who_can_help.strip():
            card.append(Paragraph(text(f"Who can help me: {goal.who_can_help}"), st["help"]))
        story += [CondPageBreak(40 * mm), _card(card, WARM, EDGE), Spacer(1, 5 * mm)]
    story += [CondPageBreak(60 * mm), Paragraph("My keeping-safe plan", st["h1"])]
    current = plan.keeping_safe_plan
    if current is None:
        story.append(Paragraph("We will make my keeping-safe plan together.", st["body"]))
    else:
        story.append(_card(text_paragraphs(current.text, st["body"]), CALM, CALM_EDGE))
        when = f"This is version {current.version}, from {long_date(current.date)}."
        if current.agreed_with:
            when += f" Agreed with: {current.agreed_with}."
        story += [Spacer(1, 3 * mm), Paragraph(text(when), st["small"])]
    story += [
        Spacer(1, 8 * mm),
        Paragraph(
            text(
                f"If I have questions about my plan I can ask {req.case.lead_worker}. "
                "This is private: I keep it somewhere safe and show it to people I choose."
            ),
            st["small"],
        ),
    ]
    return story
