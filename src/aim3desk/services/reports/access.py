"""The subject access "records held" export of one case: everything this profile holds about
it in one PDF, for the person answering a subject access request.

Nothing is left out because it is internal only: each such item is printed with the
reviewer's mark (marking.py) so the reviewer decides what to redact. The one exception is
the practitioner's supervision well-being responses, which are the practitioner's personal
data rather than the child's: the introduction says how many are held and why they are not
printed. Each assessment version is printed with the full report's own section builders,
numbered under its part by a nested outline.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from aim3desk.domain.assessment_items import ScreeningRecord
from aim3desk.domain.share_rule import may_leave_network
from aim3desk.domain.sharing import SUMMARY_PART
from aim3desk.output_path import OutputTarget
from aim3desk.services.reports.access_records import case_records_part
from aim3desk.services.reports.access_request import AccessRequest, HeldVersion
from aim3desk.services.reports.access_trail import moment, trail_parts
from aim3desk.services.reports.build import write_pdf
from aim3desk.services.reports.document import (
    CancelCheck,
    ProgressCallback,
    ReportDocument,
    contents,
)
from aim3desk.services.reports.domain_sections import domains_section
from aim3desk.services.reports.form_note import factor_wording_note
from aim3desk.services.reports.labels import model_name
from aim3desk.services.reports.marking import MARK_LEAD, internal_mark
from aim3desk.services.reports.outline import Outline, Styles
from aim3desk.services.reports.plan_sections import (
    formulation_section,
    recommendations_section,
    safety_plan_section,
)
from aim3desk.services.reports.sections import (
    case_details,
    chronology,
    profile_section,
    unknowns_section,
    voices_section,
)
from aim3desk.services.reports.signoff import signoff_section
from aim3desk.services.reports.style import (
    MARKING,
    ReportCancelled,
    details_table,
    grid_table,
    long_date,
    notice,
    register_fonts,
    styles,
    text,
    text_paragraphs,
)

NOT_FOR_DISCLOSURE = "NOT FOR DISCLOSURE UNTIL REVIEWED"


class VersionOutline(Outline):
    """A version's sections numbered under its part (3.1, then 3.1.1), one level down, in
    the same contents list and bookmarks."""

    def __init__(self, parent: Outline) -> None:
        super().__init__(parent.st)
        self.headings = parent.headings
        self._under = parent.part
        self._sub = [0, 0]

    def h1(self, title: str, need: float = 45 * mm) -> list[Flowable]:
        self._sub = [self._sub[0] + 1, 0]
        return self._add(f"{self._under}.{self._sub[0]} {title}", "h2", 1, need)

    def h2(self, title: str, need: float = 35 * mm) -> list[Flowable]:
        self._sub[1] += 1
        return self._add(f"{self._under}.{self._sub[0]}.{self._sub[1]} {title}", "h3", 2, need)


def marked_count(req: AccessRequest) -> int:
    """How many items carry the reviewer's mark."""
    count = len(req.records.sessions) + len(req.reviews)
    for held in req.versions:
        content = held.content
        count += sum(1 for e in content.evidence if not may_leave_network(req.rules, e.sharing))
        count += len(content.voices)
        count += sum(
            1
            for part_id, part in content.formulation.parts()
            if part_id is not SUMMARY_PART and not part.is_empty
        )
    return count


def cover(req: AccessRequest, st: Styles) -> list:
    case = req.case
    rows = [
        ("Case reference", case.reference),
        ("What this is", "Every record this AIM3 Desk profile holds about the case"),
        ("Produced on", long_date(req.produced)),
        ("Produced by", req.author + (f", {req.organisation}" if req.organisation else "")),
        ("Protective marking", MARKING),
        ("Assessment versions", str(len(req.versions))),
        ("Items marked for the reviewer", str(marked_count(req))),
    ]
    return [
        Spacer(1, 14 * mm),
        Paragraph("Records held", st["title"]),
        Paragraph(text(f"Subject access request · case {case.reference}"), st["subtitle"]),
        notice(f"<b>{NOT_FOR_DISCLOSURE}.</b> {text(_REVIEW_FIRST)}", st),
        Spacer(1, 5 * mm),
        details_table(rows, st),
        Spacer(1, 6 * mm),
        Paragraph("How the marking works", st["h3"]),
        Paragraph(text(_LEGEND), st["body"]),
        internal_mark("the class of information", "why it is normally kept internal", st),
        Spacer(1, 6 * mm),
        notice(
            f"<b>{MARKING}.</b> This export holds personal data about a child and about the "
            "people around them. Keep it on encrypted, access-controlled storage, and "
            "destroy working copies once the request is answered.",
            st,
        ),
        PageBreak(),
    ]


_REVIEW_FIRST = (
    "This is a working copy for the person answering a subject access request. Nothing in "
    "it has been redacted: read it, decide what to withhold or redact, and disclose only "
    "the reviewed version."
)
_LEGEND = (
    f"Information AIM3 Desk never shares with other agencies is printed here in full, each "
    f"item under a box beginning “{MARK_LEAD}”, naming its class and why it is normally "
    "kept internal. The mark is a prompt, not a decision: the reviewer decides."
)


def introduction(req: AccessRequest, st: Styles) -> list:
    wellbeing = req.wellbeing_held
    held = (
        f"This profile holds {wellbeing} such response{'s' if wellbeing != 1 else ''} for "
        "this case; they are not printed."
        if wellbeing
        else "This profile holds none for this case."
    )
    paragraphs = [
        "It holds everything this AIM3 Desk profile holds about the case on the day it was "
        "produced: the case details; every assessment version with all of its content "
        "(screening, chronology, each domain's ratings, rationale and evidence with its "
        "source, strengths, what is not known, the views recorded, the case formulation, "
        "the safety plan and the sign-off); the supervision sessions, the intervention plan, "
        "the escalation and consultation logs and the decisions to share; the supervisors' "
        "reviews and their comments; the bundles sent and received; any legal hold or "
        "retention decision; and the case's entries in the audit trail.",
        "Internal-only information (detailed formulation notes, practitioner reflections, "
        "verbatim session material, sensitive background, supervision records and review "
        "comments) is NOT left out. Each item is marked for the reviewer, who decides what "
        "to redact or withhold under the exemptions that apply.",
        "Supervision well-being responses are left out. They are the practitioner's answers "
        "about their own well-being, experience and support, so they are the practitioner's "
        "personal data rather than the child's, and AIM3 Desk never puts them in any report. "
        + held
        + " If the reviewer thinks one may hold information about the child, ask the "
        "practitioner to check it.",
        "AIM3 Desk has no separate class for third-party information. Information given by "
        "family members, other agencies and colleagues is printed with its source or "
        "speaker: the reviewer should consider each for third parties' personal data.",
        "Not printed again: the bytes of bundles (encrypted copies of records printed "
        "here), the encrypted search index and backups (derived from the same records), and "
        "the profile's keys. Copies held by the people a bundle was sent to are theirs to "
        "search; the bundles section lists who they are.",
    ]
    return [
        Paragraph("About this export", st["h1"]),
        *[Paragraph(text(p), st["body"]) for p in paragraphs],
        *factor_wording_note(req.version_request(None), st),
        Spacer(1, 4 * mm),
    ]


def screening_section(req: AccessRequest, held: HeldVersion, st: Styles, outline: Outline) -> list:
    flowables = outline.h1("Screening")
    records = held.content.screenings
    if not records:
        return [*flowables, Paragraph("No screening recorded.", st["muted"])]
    rows = [
        [
            text_paragraphs(r.behaviour, st["cell"]) or "",
            _option(req, r, hackett=True),
            _option(req, r, hackett=False),
            text_paragraphs(r.note, st["cell"]) or "None",
        ]
        for r in records
    ]
    return [
        *flowables,
        grid_table(
            ("Behaviour", "Hackett continuum", "Traffic light", "Note"),
            rows,
            (0.34, 0.18, 0.14, 0.34),
            st,
        ),
    ]


def _option(req: AccessRequest, record: ScreeningRecord, *, hackett: bool) -> str:
    value = record.hackett.value if hackett else record.traffic_light.value
    scale = req.screening_scale
    try:
        if scale is not None:
            found = scale.hackett_option(value) if hackett else scale.traffic_light(value)
            return found.label
    except KeyError:
        pass
    return value.capitalize()


def answered_unknowns(held: HeldVersion, st: Styles) -> list:
    """The full report lists only open unknowns; this export keeps the answered ones too."""
    answered = [u for u in held.content.unknowns if u.answered_by_evidence_id]
    if not answered:
        return []
    rows = [
        [text_paragraphs(u.question, st["cell"]) or "", long_date(u.answered_on, "Undated")]
        for u in answered
    ]
    return [
        Spacer(1, 3 * mm),
        Paragraph("Answered (the answer is printed with the evidence)", st["label"]),
        Spacer(1, 2),
        grid_table(("What was not known", "Answered on"), rows, (0.76, 0.24), st),
    ]


def version_part(req: AccessRequest, held: HeldVersion, st: Styles, outline: Outline) -> list:
    report = req.version_request(held)
    assessment = held.assessment
    versions = {v.assessment.id: v.assessment.version for v in req.versions}
    based_on = versions.get(assessment.based_on_id or "")
    facts = [
        ("Assessment model", model_name(report)),
        ("Request date", long_date(assessment.request_date)),
        ("Due date", long_date(assessment.due_date)),
        ("Finished", moment(assessment.finished_at) if assessment.finished else "No"),
        ("Started from", f"version {based_on}" if based_on else "A new assessment"),
        ("Sign-off", report.sign_off.summary),
    ]
    flowables = [
        *outline.h1(f"Assessment version {assessment.version}", need=90 * mm),
        details_table(facts, st),
    ]
    nested = VersionOutline(outline)
    flowables += [
        *screening_section(req, held, st, nested),
        *chronology(report, st, nested),
        *profile_section(report, st, nested, with_rationale=True),
        *domains_section(report, st, nested),
        *unknowns_section(report, st, nested),
        *answered_unknowns(held, st),
        *voices_section(report, st, nested),
        *formulation_section(report, st, nested),
        *recommendations_section(report, st, nested),
        *safety_plan_section(report, st, nested),
        *signoff_section(report, st, nested),
    ]
    return flowables


def access_story(req: AccessRequest, st: Styles) -> list:
    outline = Outline(st)
    body = case_details(req.version_request(None), st, outline, full=True)
    case = req.case
    if case.not_completed_reason:
        body.append(
            details_table(
                [
                    ("Not completed because", case.not_completed_reason),
                    ("Marked not completed on", long_date(case.not_completed_on)),
                ],
                st,
            )
        )
    for held in req.versions:
        body += version_part(req, held, st, outline)
    body += case_records_part(req, st, outline)
    body += trail_parts(req, st, outline)
    return [
        *cover(req, st),
        *introduction(req, st),
        *contents(outline.headings, st),
        PageBreak(),
        *body,
    ]


def render_access(
    req: AccessRequest,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> bytes:
    """The PDF in memory."""
    register_fonts()
    if progress is not None:
        progress(0.0, "Preparing the export")
    reference = req.case.reference
    buffer = io.BytesIO()
    doc = ReportDocument(
        buffer,
        title=f"Records held, case {reference}",
        author=req.author,
        reference=reference,
        footer_left=f"Case {reference} · records held · {NOT_FOR_DISCLOSURE.lower()}",
        draft=False,
        progress=progress,
        cancelled=cancelled,
    )
    doc.build(access_story(req, styles()))
    if cancelled is not None and cancelled():
        raise ReportCancelled("The export was cancelled; no file was written.")
    return buffer.getvalue()


def build_access(
    req: AccessRequest,
    out_path: Path,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    *,
    target: OutputTarget | None = None,
) -> Path:
    """Write the export to `out_path` atomically (never a plaintext temp file elsewhere); a
    cancelled or failed build leaves no file and an existing one untouched. `target` says
    what the path may be (output_path.py); by default only a new file."""
    target = target or OutputTarget()
    target.check(Path(out_path))  # refused before the layout, not after
    return write_pdf(render_access(req, progress, cancelled), out_path, progress, target)
