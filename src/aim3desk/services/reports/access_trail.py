"""The subject access export's sections for what happened to the case's records: supervisors'
reviews with their comments (marked for the reviewer), the gate overrides of every version,
the bundles sent and received (who, when, which members: never their bytes), legal holds and
retention decisions, and the case's entries in the audit trail."""

from __future__ import annotations

import json
from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer

from aim3desk.domain.bundle import Manifest, document_to_manifest
from aim3desk.domain.dates import long_moment
from aim3desk.domain.sign_off import override_lines
from aim3desk.services.reports.access_records import labelled_table, nothing
from aim3desk.services.reports.access_request import AccessRequest
from aim3desk.services.reports.marking import section_mark
from aim3desk.services.reports.outline import Outline, Styles
from aim3desk.services.reports.style import (
    details_table,
    grid_table,
    long_date,
    text_paragraphs,
)
from aim3desk.store.bundle_log import BundleRecord
from aim3desk.store.review_log import StoredReview

_DIRECTIONS = {"draft": "Draft (not sent)", "sent": "Sent", "received": "Received"}


def moment(value: datetime | str | None) -> str:
    """A UTC time as the reader reads it: "3 March 2025 14:05 UTC"."""
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{long_moment(value)} UTC"


def _review_rows(req: AccessRequest, stored: StoredReview) -> list[tuple[str, str]]:
    review = stored.review
    reviewed = review.reviewed
    rows = [
        ("Review", _DIRECTIONS.get(stored.direction, stored.direction)),
        ("Assessment version", str(reviewed.assessment_version)),
        (
            "Supervisor",
            req.who(review.supervisor.fingerprint)
            if not review.supervisor.name
            else f"{review.supervisor.name} ({review.supervisor.fingerprint})",
        ),
        ("Decision", review.decision.label if review.decision else "Not decided"),
        ("Decided", moment(review.decided_at) if review.decided_at else "Not decided"),
        ("Reasons", review.reasons or "None written"),
        ("Bundle reviewed", reviewed.bundle_id),
    ]
    if review.sent_with_reason:
        rows.append(("Sent unready because", review.sent_with_reason))
    ticked = [item for item in review.checklist if item.done]
    if review.checklist:
        rows.append(("Checklist", f"{len(ticked)} of {len(review.checklist)} items ticked"))
    for item in review.checklist:
        if item.note:
            rows.append(("Checklist note", f"{item.text}: {item.note}"))
    return rows


def reviews_section(req: AccessRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h2("Supervisors' reviews", need=70 * mm)
    if not req.reviews:
        return [*flowables, *nothing("No reviews sent or received.", st)]
    for number, stored in enumerate(req.reviews):
        review = stored.review
        flowables += [
            *([CondPageBreak(45 * mm)] if number else []),
            section_mark("review", st),
            details_table(_review_rows(req, stored), st),
        ]
        if review.comments:
            rows = []
            for comment in review.comments:
                anchor = comment.anchor
                about = anchor.kind.label + (f": {anchor.label}" if anchor.label else "")
                if anchor.quote:
                    about += f' ("{anchor.quote}")'
                rows.append([about, text_paragraphs(comment.text, st["cell"]) or ""])
            flowables += [
                Spacer(1, 2 * mm),
                grid_table(("Comment on", "Comment"), rows, (0.36, 0.64), st),
            ]
        flowables.append(Spacer(1, 4 * mm))
    return flowables


def overrides_section(req: AccessRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h2("Checks passed with a written reason")
    versions = {v.assessment.id: v.assessment.version for v in req.versions}
    overrides = [o for o in req.sign_offs.overrides if o.assessment_id in versions]
    if not overrides:
        return [*flowables, *nothing("No gate was passed with a written reason.", st)]
    rows = [
        [
            str(versions[o.assessment_id]),
            moment(o.recorded_at),
            o.recorded_by,
            text_paragraphs(line, st["cell"]),
        ]
        for o, line in zip(overrides, override_lines(overrides), strict=True)
    ]
    return [
        *flowables,
        grid_table(("Version", "When", "By", "What and why"), rows, (0.13, 0.21, 0.18, 0.48), st),
    ]


def _manifest(record: BundleRecord) -> Manifest | None:
    try:
        return document_to_manifest(json.loads(record.manifest))
    except (ValueError, KeyError, TypeError):
        return None


def bundles_section(req: AccessRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h1("Bundles sent and received", need=70 * mm)
    flowables.append(
        Paragraph(
            "Each bundle is an encrypted copy of records printed elsewhere in this export; "
            "what it held is listed here, not printed again.",
            st["small"],
        )
    )
    if not req.bundles:
        return [*flowables, *nothing("No bundles of this case were sent or received.", st)]
    for number, record in enumerate(req.bundles):
        manifest = _manifest(record)
        rows = [
            ("Bundle", record.bundle_id),
            ("Direction", _DIRECTIONS.get(record.direction, record.direction)),
            ("Kind", record.kind),
            ("Created", moment(record.created)),
            ("Recorded here", moment(record.recorded_at)),
            ("Author", req.who(record.author_fingerprint)),
            (
                "Assessment version",
                str(record.assessment_version) if record.assessment_version else "None",
            ),
        ]
        if manifest is not None:
            rows.append(("Addressed to", "\n".join(req.who(fp) for fp in manifest.recipients)))
            rows.append(
                (
                    "Members",
                    "\n".join(
                        f"{m.name} ({m.kind.value}{', ' + m.audience if m.audience else ''}, "
                        f"{m.size} bytes)"
                        for m in manifest.members
                    ),
                )
            )
            if manifest.escrow_recipient:
                rows.append(("Also encrypted to", "the organisation's escrow key"))
            if manifest.note:
                rows.append(("Note", manifest.note))
        flowables += [
            *([CondPageBreak(40 * mm)] if number else []),
            details_table(rows, st),
            Spacer(1, 3 * mm),
        ]
    return flowables


def retention_section(req: AccessRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h1("Legal holds and retention decisions")
    case = req.case
    flowables.append(
        details_table([("Case closed on", long_date(case.closed_on, "Not closed"))], st)
    )
    flowables.append(Spacer(1, 3 * mm))
    if req.holds:
        rows = [
            [
                f"{moment(h.set_at)} by {h.set_by}",
                text_paragraphs(h.reason, st["cell"]),
                (
                    f"{moment(h.lifted_at)} by {h.lifted_by}: {h.lift_reason or ''}"
                    if h.lifted_at
                    else "In force"
                ),
            ]
            for h in req.holds
        ]
        flowables += [
            *labelled_table(
                "Legal holds", ("Placed", "Reason", "Lifted"), rows, (0.3, 0.4, 0.3), st
            ),
            Spacer(1, 3 * mm),
        ]
    if req.decisions:
        rows = [
            [
                f"{moment(d.decided_at)} by {d.decided_by}",
                d.decision.label + (f" until {long_date(d.keep_until)}" if d.keep_until else ""),
                d.authorised_by,
                text_paragraphs(d.reason, st["cell"]),
            ]
            for d in req.decisions
        ]
        flowables += [
            *labelled_table(
                "Retention decisions",
                ("Recorded", "Decision", "Authorised by", "Reason"),
                rows,
                (0.26, 0.22, 0.2, 0.32),
                st,
            ),
        ]
    if not req.holds and not req.decisions:
        flowables += nothing("No legal hold or retention decision recorded.", st)
    return flowables


def _detail(detail: dict) -> str:
    parts = []
    for key, value in sorted(detail.items()):
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        parts.append(f"{key}: {shown}")
    return "\n".join(parts) or "-"


def audit_section(req: AccessRequest, st: Styles, outline: Outline) -> list:
    flowables = outline.h1("Audit trail of this case", need=60 * mm)
    flowables.append(
        Paragraph(
            "Every entry of this profile's audit trail that names this case, one of its "
            "assessment versions or one of its bundles: who did what and when. Entries hold "
            "the names of the fields that changed, never their content.",
            st["small"],
        )
    )
    if not req.audit:
        return [*flowables, *nothing("No audit entries name this case.", st)]
    # Smaller type, so an action's name and an id fit their columns.
    small = {
        **st,
        "cell": ParagraphStyle("audit_cell", parent=st["cell"], fontSize=8, leading=10.5),
        "label": ParagraphStyle("audit_label", parent=st["label"], fontSize=8.5, leading=11),
    }
    rows = [
        [
            str(e.seq),
            moment(e.at),
            e.actor,
            e.action,
            text_paragraphs(_detail(e.detail), small["cell"]),
        ]
        for e in req.audit
    ]
    return [
        *flowables,
        grid_table(
            ("No.", "When", "Who", "Action", "Details"),
            rows,
            (0.07, 0.17, 0.16, 0.21, 0.39),
            small,
        ),
    ]


def trail_parts(req: AccessRequest, st: Styles, outline: Outline) -> list:
    return [
        *outline.h1("Reviews and sign-off", need=90 * mm),
        *reviews_section(req, st, outline),
        *overrides_section(req, st, outline),
        *bundles_section(req, st, outline),
        *retention_section(req, st, outline),
        *audit_section(req, st, outline),
    ]
