"""The supervision and sign-off section: who wrote the report and who signed it off."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from aim3desk.services.reports.outline import Outline, Styles
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import details_table, long_date, text


def signoff_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Who wrote the report and who signed it off: the names and dates, or lines to sign.
    Only the date and supervisor of the sign-off session: never its notes or well-being."""
    status = req.sign_off
    blank = "_" * 34
    flowables = outline.h1("Supervision and sign-off", need=80 * mm)
    if status.signed_off:
        intro = (
            "This assessment version is finished and was quality assured and signed off in "
            "the third assessment supervision session."
        )
    else:
        intro = (
            "This report is a DRAFT. It is final once the assessment version is finished and "
            "the third assessment supervision session (quality assurance of the written "
            "report and sign-off) has been recorded."
        )
    rows = [
        ("Assessor", req.author),
        ("Assessment finished on", long_date(status.finished_on, blank)),
        ("Supervisor", status.supervisor or blank),
        ("Signed off on", long_date(status.supervised_on, blank) if status.signed_off else blank),
        ("Supervisor's signature", "" if status.signed_off else blank),
    ]
    held = [s for s in req.records.sessions if s.type.is_assessment]
    return [
        *flowables,
        KeepTogether(
            [
                Paragraph(text(intro), st["body"]),
                Spacer(1, 2 * mm),
                details_table(rows, st, label_share=0.4),
                Spacer(1, 3 * mm),
                Paragraph(
                    text(
                        f"Assessment supervision sessions recorded: {len(held)}"
                        + (
                            " (" + "; ".join(long_date(s.date) for s in held) + ")."
                            if held
                            else "."
                        )
                    ),
                    st["small"],
                ),
            ]
        ),
    ]
