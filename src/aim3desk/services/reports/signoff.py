"""The supervision and sign-off section that ends the report: a signature block for the
assessor and the supervisor (the supervisor's filled from the signed review: name, date and
the fingerprint of the key that signed it), and every gate passed with a written reason
instead of the readiness check."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from aim3desk.domain.sign_off import VersionStage, override_lines, status_behind
from aim3desk.services.reports.outline import Outline, Styles
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import FRAME_WIDTH, RULE, long_date, text

_INTRO = {
    VersionStage.SIGNED_OFF: (
        "This assessment version is finished and was quality assured and signed off by the "
        "supervisor below, in a review signed with the supervisor's own key."
    ),
    VersionStage.FINISHED: (
        "This report is a DRAFT. The assessment version is finished; it is final once a "
        "supervisor has reviewed it (quality assurance of the written report) and signed "
        "it off in a signed review."
    ),
    VersionStage.OPEN: (
        "This report is a DRAFT. It is final once the assessment version is finished and a "
        "supervisor has reviewed it (quality assurance of the written report) and signed it "
        "off in a signed review."
    ),
}


def status_behind_note(req: ReportRequest, st: Styles) -> list:
    """A line under the front page's details when the case status was not moved on after
    the version was signed off, so the two never silently disagree."""
    status = req.sign_off
    if not status_behind(req.case.status, status):
        return []
    return [
        Spacer(1, 2 * mm),
        Paragraph(
            text(
                f"The case status still reads “{req.case.status.label}”, but this version was "
                f"signed off on {long_date(status.signed_off_on)}: move the case status on."
            ),
            st["small"],
        ),
    ]


BLANK = "_" * 30


def signature_block(req: ReportRequest, st: Styles) -> Table:
    """Two columns to sign, the assessor's and the supervisor's. The supervisor's is filled
    from the sign-off (domain/sign_off.py: the signed review's supervisor, day and key
    fingerprint) once it exists; until then both are lines to sign by hand."""
    status = req.sign_off
    if status.signed_off:
        supervisor = [
            ("Name", status.supervisor),
            ("Date", long_date(status.signed_off_on)),
            ("Signed", "Electronically, in a review signed with the supervisor's own key"),
            ("Key fingerprint", status.supervisor_fingerprint),
        ]
    else:
        supervisor = [("Name", BLANK), ("Date", BLANK), ("Signature", BLANK)]
    assessor = [
        ("Name", req.author),
        ("Date", long_date(status.finished_on, BLANK)),
        ("Signature", BLANK),
    ]

    def column(title: str, rows: list[tuple[str, str]]) -> list:
        cells = [Paragraph(text(title), st["h3"])]
        for label, value in rows:
            cells.append(Paragraph(f"<b>{text(label)}:</b> {text(value)}", st["body"]))
        return cells

    half = FRAME_WIDTH / 2
    table = Table(
        [[column("Assessor", assessor), column("Supervisor", supervisor)]],
        colWidths=[half, half],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                ("LINEBEFORE", (1, 0), (1, 0), 0.5, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def signoff_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """The end of the report: where the version stands, the signature block (filled from
    the sign-off, or lines to sign), the supervision sessions held and the overrides recorded
    for this version. Never a supervision session's notes or well-being."""
    status = req.sign_off
    flowables = outline.h1("Supervision and sign-off", need=80 * mm)
    overrides = [Paragraph(text(line), st["body"]) for line in override_lines(req.overrides)]
    held = [s for s in req.records.sessions if s.type.is_assessment]
    sessions = f"Assessment supervision sessions recorded: {len(held)}" + (
        " (" + "; ".join(long_date(s.date) for s in held) + ")." if held else "."
    )
    return [
        *flowables,
        KeepTogether(
            [
                Paragraph(text(_INTRO[status.stage]), st["body"]),
                Spacer(1, 3 * mm),
                signature_block(req, st),
                Spacer(1, 3 * mm),
                Paragraph(text(sessions), st["small"]),
            ]
        ),
        *([Spacer(1, 3 * mm), *overrides] if overrides else []),
    ]
