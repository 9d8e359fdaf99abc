"""The supervision and sign-off section: who wrote the report, who signed it off (the
supervisor named in the signed review, with the date and the fingerprint of the key that
signed it) and every gate passed with a written reason instead of the readiness check."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from aim3desk.domain.sign_off import VersionStage, override_lines, status_behind
from aim3desk.services.reports.outline import Outline, Styles
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import details_table, long_date, text

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


def signoff_section(req: ReportRequest, st: Styles, outline: Outline) -> list:
    """Who wrote the report and who signed it off: the names, date and key fingerprint, or
    lines to sign; then the overrides recorded for this version. Never a supervision
    session's notes or well-being."""
    status = req.sign_off
    blank = "_" * 34
    flowables = outline.h1("Supervision and sign-off", need=80 * mm)
    rows = [
        ("Assessor", req.author),
        ("Assessment finished on", long_date(status.finished_on, blank)),
        ("Supervisor", status.supervisor or blank),
        ("Signed off on", long_date(status.signed_off_on, blank)),
        (
            "Supervisor's key fingerprint",
            status.supervisor_fingerprint if status.signed_off else "Not signed off",
        ),
    ]
    if not status.signed_off:
        rows.append(("Supervisor's signature", blank))
    overrides = [Paragraph(text(line), st["body"]) for line in override_lines(req.overrides)]
    held = [s for s in req.records.sessions if s.type.is_assessment]
    return [
        *flowables,
        KeepTogether(
            [
                Paragraph(text(_INTRO[status.stage]), st["body"]),
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
        *([Spacer(1, 3 * mm), *overrides] if overrides else []),
    ]
