"""What may leave the immediate network: one rule (domain/share_rule.py), applied alike by a
share report's extract (read from the real PDF), the domain's shareable list, the sharing
policy's check and the evidence dialog's and table's "Internal only" marking, even when an
organisation's evidence.toml is edited to mark a never-shared class shareable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk.domain.assessment import AssessmentContent, EvidenceEntry, shareable_evidence
from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    LeadAgency,
    Requester,
    new_id,
    start_assessment,
)
from aim3desk.domain.forms import EvidenceRules, SharingClass
from aim3desk.domain.share_rule import NEVER_SHARED_CLASSES, may_leave_network
from aim3desk.domain.sharing import AudiencePolicy, share_extract
from aim3desk.services.forms_loader import load_evidence_rules, load_form_set, load_sharing_policy
from aim3desk.services.reports import ReportKind, ReportRequest, ShareDetails, build_report

RETIRED = "retired_class"  # a class the rules no longer know


@pytest.fixture(scope="module")
def edited_rules() -> EvidenceRules:
    """The shipped rules with every class marked shareable (as a careless edit might), plus
    a local internal-only class."""
    rules = load_evidence_rules()
    opened = tuple(replace(c, internal_only=False) for c in rules.sharing_classes)
    local = SharingClass("team_only", "Kept within the team", internal_only=True)
    return replace(rules, sharing_classes=(*opened, local))


def entry_of(sharing: str) -> EvidenceEntry:
    return EvidenceEntry(
        new_id(),
        "developmental",
        1,
        f"Invented evidence of class {sharing} (canary).",
        date(2025, 1, 6),
        "education",
        "protective_factor",
        sharing,
    )


def every_class(rules: EvidenceRules) -> list[str]:
    return [c.id for c in rules.sharing_classes] + [RETIRED]


def test_the_rule_itself(edited_rules: EvidenceRules) -> None:
    leaving = {c for c in every_class(edited_rules) if may_leave_network(edited_rules, c)}
    assert leaving == {"shareable"}  # never-shared, internal-only and unknown classes stay
    assert set(every_class(edited_rules)) >= NEVER_SHARED_CLASSES
    shipped = load_evidence_rules()
    assert {c.id for c in shipped.sharing_classes if may_leave_network(shipped, c.id)} == {
        "shareable"
    }


def test_every_caller_applies_the_one_rule(
    qtbot, tmp_path: Path, edited_rules: EvidenceRules
) -> None:
    from aim3desk.ui.assessment.evidence import EvidenceTableModel
    from aim3desk.ui.assessment.evidence_dialog import EvidenceDialog
    from aim3desk.ui.assessment.evidence_rows import INTERNAL_MARK, sharing_label

    form_set = load_form_set()
    entries = tuple(entry_of(c) for c in every_class(edited_rules))
    content = AssessmentContent(evidence=entries)
    greedy = AudiencePolicy(
        id="police",
        label="Police",
        uses="Invented.",
        categories=tuple(c.id for c in edited_rules.categories),
        sections=("evidence",),
        sharing_classes=tuple(every_class(edited_rules)),
    )
    policy = load_sharing_policy(rules=load_evidence_rules())
    policy = replace(
        policy, audiences=tuple(greedy if a.id == "police" else a for a in policy.audiences)
    )
    base = Case(
        id=new_id(),
        reference="RULE-0001",
        young_person_name="Invented Child",
        date_of_birth=date(2011, 2, 3),
        lead_agency=LeadAgency.YOS,
        lead_worker="Invented Worker",
        requested_by=Requester.CASE_WORKER,
        request_date=date(2025, 1, 2),
    )
    case = replace(base, assessments=(start_assessment(base, AssessmentModel.AIM3),))
    request = ReportRequest(
        kind=ReportKind.POLICE,
        case=case,
        form_set=form_set,
        rules=edited_rules,
        author="Invented Worker",
        content=content,
        policy=policy,
        share=ShareDetails("DS Invented", "Invented reason", "Public task"),
    )
    pdf = build_report(request, tmp_path / "police.pdf")
    in_pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())

    extract = {e.id for e in share_extract(content, edited_rules, greedy).evidence}
    listed = {e.id for e in shareable_evidence(content, edited_rules)}
    table = EvidenceTableModel(edited_rules, form_set.domain("developmental"))
    table.set_entries(entries)
    internal_in_table = {row.entry.id: row.internal for row in table.rows}
    dialog = EvidenceDialog(edited_rules, form_set.domain("developmental"))
    qtbot.addWidget(dialog)
    offered = {
        dialog.sharing_combo.itemData(i): dialog.sharing_combo.itemText(i)
        for i in range(dialog.sharing_combo.count())
    }
    for entry in entries:
        leaves = may_leave_network(edited_rules, entry.sharing)
        assert (entry.id in extract) is leaves, entry.sharing
        assert (entry.text in in_pdf) is leaves, entry.sharing
        assert (entry.id in listed) is leaves, entry.sharing
        assert internal_in_table[entry.id] is not leaves, entry.sharing
        marked = sharing_label(edited_rules, entry.sharing)
        assert (INTERNAL_MARK.lower() in marked.lower()) is not leaves, entry.sharing
        if entry.sharing != RETIRED:
            shown = offered[entry.sharing]
            assert (INTERNAL_MARK.lower() in shown.lower()) is not leaves, entry.sharing
