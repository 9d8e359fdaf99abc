"""The reviewer's mark on internal-only material in the subject access export.

A share report leaves internal-only material out. The "records held" export leaves NOTHING
out for that reason: each such item carries a box with a margin label, "INTERNAL - for the
reviewer: consider redaction (class: X; reason: Y)", so the person answering the request
decides what to redact. The classes and reasons come from the same rules the share reports
apply (domain/share_rule.py, domain/sharing.py NEVER_SHARED_SECTIONS).
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from aim3desk.domain.forms import EvidenceRules
from aim3desk.domain.share_rule import may_leave_network
from aim3desk.services.reports.style import FONT_BOLD, FRAME_WIDTH, text

MARK_EDGE = colors.HexColor("#9c1c1c")
MARK_FILL = colors.HexColor("#fbeeee")
MARK_LABEL = "INTERNAL"
MARK_LEAD = "INTERNAL - for the reviewer: consider redaction"

# Whole kinds of record that never leave the immediate practitioner network, with the
# reason a reviewer reads. Keys are NEVER_SHARED_SECTIONS ids (domain/sharing.py), plus the
# review comments, which are part of the supervision record.
SECTION_CLASSES: dict[str, tuple[str, str]] = {
    "formulation": (
        "detailed formulation notes",
        "the practitioner's working analysis; only its conclusion for planning is ever shared",
    ),
    "voices": (
        "verbatim material",
        "the young person's and family members' own words; family members' words are also "
        "their personal data",
    ),
    "supervision": (
        "supervision record",
        "the practitioner's supervision with their manager, kept within the practitioner network",
    ),
    "review": (
        "supervision record (quality assurance review)",
        "a supervisor's comments on the practitioner's work, kept within the practitioner network",
    ),
}

_ENTRY_REASON = "marked internal only when recorded; never shared beyond the practitioner network"


def _mark_styles(st: dict[str, ParagraphStyle]) -> tuple[ParagraphStyle, ParagraphStyle]:
    label = ParagraphStyle(
        "mark_label",
        parent=st["notice"],
        fontName=FONT_BOLD,
        fontSize=7.5,
        leading=9,
        textColor=colors.white,
    )
    body = ParagraphStyle("mark_body", parent=st["notice"], fontSize=8.5, leading=11)
    return label, body


def internal_mark(class_label: str, reason: str, st: dict[str, ParagraphStyle]) -> Flowable:
    """A box as wide as the text with a dark red margin label: kept with what follows."""
    label_style, body_style = _mark_styles(st)
    words = f"<b>{text(MARK_LEAD)}</b> (class: {text(class_label)}; reason: {text(reason)})."
    label_width = 22 * mm
    table = Table(
        [[Paragraph(MARK_LABEL, label_style), Paragraph(words, body_style)]],
        colWidths=[label_width, FRAME_WIDTH - label_width],
        hAlign="LEFT",
        spaceBefore=4,
        spaceAfter=2,
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, 0), MARK_EDGE),
                ("BACKGROUND", (1, 0), (1, 0), MARK_FILL),
                ("BOX", (0, 0), (-1, -1), 1, MARK_EDGE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    table.keepWithNext = True  # never alone at the foot of a page, away from its item
    return table


def section_mark(section: str, st: dict[str, ParagraphStyle]) -> Flowable:
    """The mark for a whole kind of record (a SECTION_CLASSES key)."""
    class_label, reason = SECTION_CLASSES[section]
    return internal_mark(class_label, reason, st)


def evidence_mark(
    rules: EvidenceRules, sharing: str, st: dict[str, ParagraphStyle]
) -> Flowable | None:
    """The mark for an evidence entry of this sharing class, or None when it may be shared
    (the same rule the share reports apply: domain/share_rule.py)."""
    if may_leave_network(rules, sharing):
        return None
    try:
        found = rules.sharing_class(sharing)
    except KeyError:
        return internal_mark(sharing, "a sharing class the rules no longer know", st)
    reason = found.description.rstrip(".") if found.description else ""
    reason = f"{reason}; {_ENTRY_REASON}" if reason else _ENTRY_REASON
    return internal_mark(found.label, reason[:1].lower() + reason[1:], st)
