"""The supervision record: what the supervision pane promises the supervisor. Every session of
the case with its agenda, notes, agreed actions (the decisions) and the answers to the
risk-management key questions, and when the next session is due (domain/supervision.py).

Well-being responses: the pane tells the practitioner they are private to them and their
supervisor, and appear "only in the supervision record given to the supervisor" when the
practitioner ticks "Include this record for the supervisor". So this record prints them for
exactly those sessions (request.records_for applies record_for_supervisor), and for no
other session; no other report ever sees them. It is not a share report: it goes to the
supervisor, and it names the case by reference only (the young person's name is not needed to
supervise the work, and the file name never carries it).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from aim3desk.domain.forms import SupervisionForms
from aim3desk.domain.supervision import PromptResponse, SupervisionSession
from aim3desk.services.reports.labels import model_name
from aim3desk.services.reports.outline import Outline, Styles, marking_notice, minor_heading
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import (
    bullets,
    details_table,
    grid_table,
    long_date,
    text,
    text_paragraphs,
)

WELLBEING_NOTE = (
    "Well-being responses are private to the practitioner and the supervisor. They are printed "
    "here only for the sessions the practitioner chose to include for the supervisor, and "
    "appear in no other report, case export or return."
)


def _prompt_texts(forms: SupervisionForms | None) -> dict[str, str]:
    if forms is None:
        return {}
    texts = {q.id: q.text for q in forms.risk_questions}
    for group in forms.wellbeing:
        texts |= {p.id: p.text for p in group.prompts}
    return texts


def _session_type_label(forms: SupervisionForms | None, session: SupervisionSession) -> str:
    try:
        return forms.session_type(session.type.value).label if forms else ""
    except KeyError:
        pass
    return session.type.value.replace("_", " ").capitalize()


def _agenda(forms: SupervisionForms | None, session: SupervisionSession) -> tuple[list, list]:
    """(covered, not covered) agenda item texts of the session's type."""
    try:
        agenda = forms.session_type(session.type.value).agenda if forms else ()
    except KeyError:
        agenda = ()
    known = {item.id: item.text for item in agenda}
    covered = [known.get(i, i) for i in session.agenda_done]
    missed = [item.text for item in agenda if item.id not in session.agenda_done]
    return covered, missed


def _responses(responses: tuple[PromptResponse, ...], texts: dict[str, str], st: Styles) -> list:
    flowables: list = []
    for answer in responses:
        if not answer.response.strip():
            continue
        question = texts.get(answer.prompt_id, answer.prompt_id.replace("_", " ").capitalize())
        flowables += [
            Paragraph(text(question), st["label"]),
            *text_paragraphs(answer.response, st["body"]),
        ]
    return flowables


def session_part(req: ReportRequest, session: SupervisionSession, st: Styles, outline: Outline):
    forms = req.supervision_forms
    texts = _prompt_texts(forms)
    flowables = outline.h2(f"{long_date(session.date)} · {_session_type_label(forms, session)}")
    flowables += [details_table([("Supervisor", session.supervisor)], st), Spacer(1, 2 * mm)]
    covered, missed = _agenda(forms, session)
    flowables += minor_heading("Agenda covered", st)
    flowables += bullets(covered, st) or [Paragraph("No agenda item ticked.", st["muted"])]
    if missed:
        flowables += [Paragraph("Not covered", st["label"]), *bullets(missed, st)]
    flowables += minor_heading("Notes", st)
    flowables += text_paragraphs(session.notes, st["body"]) or [
        Paragraph("No notes written.", st["muted"])
    ]
    flowables += minor_heading("Decisions and agreed actions", st)
    if session.actions:
        rows = [
            [
                text_paragraphs(a.what, st["cell"]) or "",
                a.owner,
                long_date(a.due, "No date"),
                "Done" if a.done else "Open",
            ]
            for a in session.actions
        ]
        flowables.append(
            grid_table(("What", "Who", "By when", "Done"), rows, (0.5, 0.2, 0.18, 0.12), st)
        )
    else:
        flowables.append(Paragraph("No actions agreed.", st["muted"]))
    flowables += minor_heading("Risk management: key questions", st)
    flowables += _responses(session.risk_questions, texts, st) or [
        Paragraph("No key question answered.", st["muted"])
    ]
    if session.wellbeing:  # present only when included for the supervisor (records_for)
        flowables += minor_heading("Well-being (included for the supervisor)", st)
        flowables += _responses(session.wellbeing, texts, st)
    return flowables


def supervision_record_story(req: ReportRequest, st: Styles) -> list:
    case, assessment = req.case, req.assessment
    sessions = sorted(req.records.sessions, key=lambda s: s.date)
    supervisors = ", ".join(dict.fromkeys(s.supervisor for s in sessions)) or "None recorded"
    due = req.supervision_due
    if due is None:
        next_due = "Not worked out"
    elif due.next_due is None:
        next_due = due.reason
    else:
        next_due = f"{long_date(due.next_due)}{' (overdue)' if due.overdue else ''}. {due.reason}"
    included = sum(1 for s in sessions if s.wellbeing)
    rows = [
        ("Case reference", case.reference),
        ("Practitioner", req.author + (f", {req.organisation}" if req.organisation else "")),
        ("Lead worker", case.lead_worker),
        ("Supervisor", supervisors),
        (
            "Assessment",
            f"{model_name(req)}, version {assessment.version}, {req.sign_off.summary}"
            if assessment
            else "Not started",
        ),
        ("Case status", case.status.label),
        ("Sessions recorded", str(len(sessions))),
        ("Next session due", next_due),
        ("Record produced", long_date(req.produced)),
    ]
    outline = Outline(st)
    story: list = [
        Paragraph("Supervision record", st["title"]),
        Paragraph(text(f"For the supervisor · case {case.reference}"), st["subtitle"]),
        details_table(rows, st),
        Spacer(1, 3 * mm),
        Paragraph(
            text(
                f"{WELLBEING_NOTE} Included in this record: {included} of "
                f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}."
            ),
            st["small"],
        ),
        Spacer(1, 3 * mm),
        marking_notice(
            st,
            " This record is for the practitioner and their supervisor only: it is not a "
            "share report and is never passed to another agency.",
        ),
        *outline.h1("Supervision sessions"),
    ]
    if not sessions:
        story.append(Paragraph("No supervision sessions recorded yet.", st["muted"]))
    for session in sessions:
        story += session_part(req, session, st, outline)
    return story
