"""Sharing with other agencies: preview what a share report holds, record each decision to
share or not to share, and read a case's sharing log.

A decision is one encrypted case item (kind "sharing_decision": what, to whom, why, lawful
basis, when, by whom) written in the same transaction as its audit entry. The audit entry
names only the audience, the lawful basis id and whether it was shared: the audit trail
refuses free text, and the recipient and reason are personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.cases import new_id
from aim3desk.domain.forms import EvidenceRules
from aim3desk.domain.sharing import (
    NEVER_SHARED_SECTIONS,
    SECTIONS,
    ShareExtract,
    SharingDecision,
    SharingPolicy,
    share_extract,
    validate_decision,
)
from aim3desk.services.case_records import CaseRecordService, case_reference

AUDIT_DECISION = "sharing.decision"


@dataclass(frozen=True)
class SharePreview:
    """What a share report for `audience` will include and leave out, in words and counts."""

    audience: str
    audience_label: str
    extract: ShareExtract
    sections: tuple[str, ...]  # section titles included, in order
    included: tuple[tuple[str, int], ...]  # (category label, entries)
    excluded_categories: tuple[tuple[str, int], ...]  # (category label, entries)
    excluded_classes: tuple[tuple[str, int], ...]  # (sharing class label, entries)
    never_included: tuple[str, ...]
    # What the practitioner wrote for partner agencies, printed after "How to read this":
    # the summary for every partner and this audience's recommendations ("" = not written).
    partner_summary: str = ""
    recommendations: str = ""

    @property
    def included_count(self) -> int:
        return sum(n for _, n in self.included)

    @property
    def excluded_count(self) -> int:
        return sum(n for _, n in self.excluded_categories) + sum(
            n for _, n in self.excluded_classes
        )

    def describe(self) -> str:
        """What is shared, in one line, for the sharing log."""
        sections = ", ".join(s.lower() for s in self.sections) or "no sections"
        return (
            f"Share report for {self.audience_label.lower()}: {sections}; "
            f"{self.included_count} evidence entr{'y' if self.included_count == 1 else 'ies'} "
            f"included, {self.excluded_count} left out."
        )


def _label(lookup, value: str) -> str:
    try:
        return str(lookup(value).label)
    except KeyError:
        return value.replace("_", " ").capitalize()


def make_preview(
    content: AssessmentContent, rules: EvidenceRules, policy: SharingPolicy, audience: str
) -> SharePreview:
    aud = policy.audience(audience)
    extract = share_extract(content, rules, aud)
    return SharePreview(
        audience=aud.id,
        audience_label=aud.label,
        extract=extract,
        sections=tuple(SECTIONS[s] for s in extract.sections),
        included=tuple(
            (_label(rules.category, c), n) for c, n in sorted(extract.included_by_category.items())
        ),
        excluded_categories=tuple(
            (_label(rules.category, c), n) for c, n in sorted(extract.excluded_by_category.items())
        ),
        excluded_classes=tuple(
            (_label(rules.sharing_class, c), n)
            for c, n in sorted(extract.excluded_by_class.items())
        ),
        never_included=tuple(dict.fromkeys(NEVER_SHARED_SECTIONS.values())),
        partner_summary=content.sharing_notes.partner_summary.strip(),
        recommendations=content.sharing_notes.for_audience(aud.id).strip(),
    )


class SharingService(CaseRecordService):
    area = "sharing"
    kinds = ("sharing_decision",)
    _policy: SharingPolicy | None = None
    _rules: EvidenceRules | None = None

    @property
    def rules(self) -> EvidenceRules:
        if self._rules is None:
            from aim3desk.services.forms_loader import load_evidence_rules

            self._rules = load_evidence_rules()
        return self._rules

    @property
    def policy(self) -> SharingPolicy:
        """forms/sharing.toml, loaded when first needed (FormError if broken)."""
        if self._policy is None:
            from aim3desk.services.forms_loader import load_sharing_policy

            self._policy = load_sharing_policy(rules=self.rules)
        return self._policy

    # -- read API ----------------------------------------------------------------------

    def resolve_lawful_basis(self, given: str) -> tuple[str, str]:
        """(id, text) from what a user typed: a lawful basis id or label of the policy, else
        the text of an "other" basis."""
        wanted = given.strip()
        for basis in self.policy.lawful_bases:
            if wanted.casefold() in (basis.id.casefold(), basis.label.casefold()):
                return basis.id, ""
        other = next(b for b in self.policy.lawful_bases if b.needs_text)
        return other.id, wanted

    def sharing_log(self, case_id: str) -> list[SharingDecision]:
        """Every decision for the case, oldest first."""
        return list(self._records(case_id).sharing_decisions)

    # -- write API ---------------------------------------------------------------------

    def record_decision(
        self,
        case_id: str,
        audience: str,
        recipient: str,
        reason: str,
        lawful_basis: str,
        shared: bool,
        by: str | None = None,
        at: datetime | None = None,
        what: str = "",
        *,
        lawful_basis_text: str = "",
        assessment_version: int | None = None,
    ) -> SharingDecision:
        """Record a decision to share (or not to share); ValidationError names what is
        missing. The case item and its audit entry are saved together or not at all (inside
        the caller's write when there is one: the report service's record())."""
        decision = SharingDecision(
            id=new_id(),
            audience=audience,
            recipient=recipient.strip(),
            reason=reason.strip(),
            lawful_basis=lawful_basis,
            lawful_basis_text=lawful_basis_text.strip(),
            shared=shared,
            by=(by if by is not None else self.actor).strip(),
            at=(at or self._clock()).astimezone(UTC),
            what=what.strip(),
            assessment_version=assessment_version,
        )
        validate_decision(decision, self.policy)
        with self._uow.write() as tx:  # joins the caller's write, if any
            reference = case_reference(tx, case_id)
            tx.case_items.save(case_id, decision, tx.now_text())
            tx.audit(
                decision.by,
                AUDIT_DECISION,
                reference,
                {
                    "case_id": case_id,
                    "decision_id": decision.id,
                    "audience": audience,
                    "lawful_basis": lawful_basis,
                    "shared": shared,
                },
            )
        return decision

    def lawful_basis_words(self, lawful_basis: str, text: str = "") -> str:
        """The basis as printed in a share report: its label, or the text for "other"."""
        basis = self.policy.lawful_basis(lawful_basis)
        return text.strip() if basis.needs_text else basis.label
