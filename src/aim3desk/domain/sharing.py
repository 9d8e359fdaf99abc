"""Sharing an assessment with another agency: the organisation's sharing policy (which
information categories and report sections each audience receives, how to read them, the
lawful bases), what a share extract holds, and the record of a decision to share or not.

Seed 004: detailed formulation notes, practitioner reflections, verbatim session material and
sensitive background never leave the immediate practitioner network, and supervision
well-being responses never leave the supervision relationship. Those rules are enforced here
in code (domain/share_rule.py and NEVER_SHARED_SECTIONS), whatever the policy file asks for.
Pure Python: no Qt, no SQL, no I/O.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from aim3desk.domain.assessment import AssessmentContent, EvidenceEntry, FormulationPartId
from aim3desk.domain.forms import EvidenceRules, FormError
from aim3desk.domain.forms.reader import check_unique, describe, load_toml
from aim3desk.domain.record_limits import limit_problems
from aim3desk.domain.share_rule import NEVER_SHARED_CLASSES, may_leave_network

SHARING_FILE = "sharing.toml"

# The audiences a share report can be made for (CLI --audience values and policy ids).
AUDIENCE_IDS = ("social-care", "police", "education", "health", "voluntary")

# Sections a policy may give an audience, in report order.
SECTIONS: dict[str, str] = {
    "case_details": "Who this is about",
    "profile": "The assessment profile",
    "strengths": "Strengths",
    "evidence": "Information from the assessment",
    "chronology": "Chronology",
    "open_unknowns": "What is not yet known",
    "formulation_summary": "What the assessment means for intervention and supervision",
    "safety_plan": "Safety plan",
    "intervention_summary": "Intervention plan summary",
}

# Sections that exist only in the full report: a policy naming one is refused at load and,
# for a policy built any other way, dropped by allowed_sections().
NEVER_SHARED_SECTIONS: dict[str, str] = {
    "formulation": "the case formulation in full (its detailed notes)",
    "practitioner_reflections": "practitioner reflections",
    "verbatim_material": "verbatim session material",
    "sensitive_background": "sensitive background",
    "supervision": "supervision records and well-being responses",
    "wellbeing": "supervision well-being responses",
    "voices": "the young person's and family's words (verbatim material)",
}

# The one part of the case formulation a share report may carry (when the audience's policy
# gives it "formulation_summary"): its conclusion for planning, never the analysis.
SUMMARY_PART = FormulationPartId.INTERVENTION_AND_SUPERVISION


@dataclass(frozen=True)
class LawfulBasis:
    id: str
    label: str
    description: str = ""
    needs_text: bool = False  # "other": the practitioner writes the basis out


@dataclass(frozen=True)
class HowToRead:
    """What the information means, its limits, and how it should and should not inform
    decisions (seed 004). Each is a list of paragraphs."""

    what_it_means: tuple[str, ...]
    limits: tuple[str, ...]
    should: tuple[str, ...]
    should_not: tuple[str, ...]


@dataclass(frozen=True)
class AudiencePolicy:
    id: str
    label: str
    uses: str  # how this agency uses the information (seed 004)
    categories: tuple[str, ...]
    sections: tuple[str, ...]
    sharing_classes: tuple[str, ...]
    should: tuple[str, ...] = ()
    should_not: tuple[str, ...] = ()


@dataclass(frozen=True)
class SharingPolicy:
    how_to_read: HowToRead
    audiences: tuple[AudiencePolicy, ...]
    lawful_bases: tuple[LawfulBasis, ...]

    def audience(self, audience_id: str) -> AudiencePolicy:
        for audience in self.audiences:
            if audience.id == audience_id:
                return audience
        raise KeyError(f"no audience {audience_id!r}")

    def lawful_basis(self, basis_id: str) -> LawfulBasis:
        for basis in self.lawful_bases:
            if basis.id == basis_id:
                return basis
        raise KeyError(f"no lawful basis {basis_id!r}")


# ---------------------------------------------------------------------------------------------
# Reading forms/sharing.toml


def _paragraphs(table, key: str) -> tuple[str, ...]:
    return table.texts(key)


def parse_sharing_policy(name: str, text: str, rules: EvidenceRules) -> SharingPolicy:
    """Parse forms/sharing.toml, checking categories and sharing classes against the evidence
    rules. Raises FormError naming `name` and the key path at fault."""
    root = load_toml(name, text)
    how = root.table("how_to_read")
    how_to_read = HowToRead(
        what_it_means=_paragraphs(how, "what_it_means"),
        limits=_paragraphs(how, "limits"),
        should=_paragraphs(how, "should"),
        should_not=_paragraphs(how, "should_not"),
    )
    how.done()

    category_ids = {c.id for c in rules.categories}
    shareable_classes = {c.id for c in rules.sharing_classes if may_leave_network(rules, c.id)}
    audience_tables = root.tables("audiences")
    audiences = []
    for table in audience_tables:
        audience_id = table.identifier("id")
        if audience_id not in AUDIENCE_IDS:
            raise table.error(
                "id",
                f"unknown audience {describe(audience_id)} (one of {', '.join(AUDIENCE_IDS)})",
            )
        categories = table.texts("categories")
        for index, category in enumerate(categories):
            if category not in category_ids:
                raise table.error(f"categories[{index}]", f"no category {describe(category)}")
        sections = table.texts("sections")
        for index, section in enumerate(sections):
            if section in NEVER_SHARED_SECTIONS:
                raise table.error(
                    f"sections[{index}]",
                    f"{NEVER_SHARED_SECTIONS[section]} is never shared beyond the immediate "
                    "practitioner network (seed 004)",
                )
            if section not in SECTIONS:
                allowed = ", ".join(SECTIONS)
                raise table.error(
                    f"sections[{index}]", f"no section {describe(section)} (one of {allowed})"
                )
        classes = table.texts("sharing_classes") if table.has("sharing_classes") else ("shareable",)
        for index, sharing in enumerate(classes):
            if sharing not in shareable_classes:
                raise table.error(
                    f"sharing_classes[{index}]",
                    f"{describe(sharing)} is not a shareable sharing class "
                    "(internal-only classes are never shared)",
                )
        audiences.append(
            AudiencePolicy(
                id=audience_id,
                label=table.text("label"),
                uses=table.text("uses"),
                categories=categories,
                sections=sections,
                sharing_classes=classes,
                should=table.texts("should") if table.has("should") else (),
                should_not=table.texts("should_not") if table.has("should_not") else (),
            )
        )
        table.done()
    check_unique(
        [(t, a.id) for t, a in zip(audience_tables, audiences, strict=True)], "id", "audience"
    )
    missing = [a for a in AUDIENCE_IDS if a not in {x.id for x in audiences}]
    if missing:
        raise root.error("audiences", f"no policy for audience {describe(missing[0])}")

    basis_tables = root.tables("lawful_bases")
    if not basis_tables:
        raise root.error("lawful_bases", "must list at least one lawful basis")
    bases = []
    for table in basis_tables:
        bases.append(
            LawfulBasis(
                id=table.identifier("id"),
                label=table.text("label"),
                description=table.text("description", ""),
                needs_text=table.boolean("needs_text", False),
            )
        )
        table.done()
    check_unique([(t, b.id) for t, b in zip(basis_tables, bases, strict=True)], "id", "id")
    if not any(b.needs_text for b in bases):
        raise root.error("lawful_bases", 'one lawful basis must be "other" (needs_text = true)')
    root.done()
    order = {a: n for n, a in enumerate(AUDIENCE_IDS)}
    return SharingPolicy(
        how_to_read, tuple(sorted(audiences, key=lambda a: order[a.id])), tuple(bases)
    )


# ---------------------------------------------------------------------------------------------
# What an extract for an audience holds


def allowed_sections(audience: AudiencePolicy) -> tuple[str, ...]:
    """The audience's sections in report order, without any section that is never shared."""
    asked = set(audience.sections)
    return tuple(s for s in SECTIONS if s in asked and s not in NEVER_SHARED_SECTIONS)


def entry_shared_with(entry: EvidenceEntry, rules: EvidenceRules, audience: AudiencePolicy) -> bool:
    return (
        may_leave_network(rules, entry.sharing)
        and entry.sharing in audience.sharing_classes
        and entry.category in audience.categories
        and "evidence" in allowed_sections(audience)
    )


@dataclass(frozen=True)
class ShareExtract:
    """What a share report for one audience will and will not contain."""

    audience: AudiencePolicy
    sections: tuple[str, ...]
    evidence: tuple[EvidenceEntry, ...]
    included_by_category: dict[str, int]
    excluded_by_category: dict[str, int]  # shareable, but not a category this audience gets
    excluded_by_class: dict[str, int]  # internal only: never shared
    formulation_summary: str  # "" unless the policy gives the summary and one is written

    @property
    def included_count(self) -> int:
        return len(self.evidence)

    @property
    def excluded_count(self) -> int:
        return sum(self.excluded_by_category.values()) + sum(self.excluded_by_class.values())


def share_extract(
    content: AssessmentContent, rules: EvidenceRules, audience: AudiencePolicy
) -> ShareExtract:
    sections = allowed_sections(audience)
    included: list[EvidenceEntry] = []
    by_class: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    for entry in content.evidence:
        if not may_leave_network(rules, entry.sharing) or entry.sharing not in (
            audience.sharing_classes
        ):
            by_class[entry.sharing] += 1
        elif entry_shared_with(entry, rules, audience):
            included.append(entry)
        else:
            by_category[entry.category] += 1
    summary = ""
    if "formulation_summary" in sections:
        summary = content.formulation.part(SUMMARY_PART).text.strip()
    return ShareExtract(
        audience=audience,
        sections=sections,
        evidence=tuple(included),
        included_by_category=dict(Counter(e.category for e in included)),
        excluded_by_category=dict(by_category),
        excluded_by_class=dict(by_class),
        formulation_summary=summary,
    )


# ---------------------------------------------------------------------------------------------
# The sharing log


@dataclass(frozen=True)
class SharingDecision:
    """One decision to share, or not to share, with another agency. The free text (recipient,
    reason, what) lives in the encrypted case record; the audit names only the audience, the
    lawful basis id and whether it was shared."""

    id: str
    audience: str
    recipient: str
    reason: str
    lawful_basis: str  # a lawful basis id of the policy
    lawful_basis_text: str  # the basis in words when the id is "other" (needs_text)
    shared: bool
    by: str
    at: datetime  # UTC
    what: str  # what was shared (or would have been), in words
    assessment_version: int | None = None


def validate_decision(decision: SharingDecision, policy: SharingPolicy) -> None:
    from aim3desk.domain.cases import ValidationError

    problems: dict[str, str] = {}
    if decision.audience not in AUDIENCE_IDS:
        problems["audience"] = "Choose who the information is for."
    if not decision.recipient.strip():
        problems["recipient"] = "Say who receives it (a named person and their agency)."
    if not decision.reason.strip():
        problems["reason"] = "Say why sharing is (or is not) necessary and proportionate."
    try:
        basis = policy.lawful_basis(decision.lawful_basis)
    except KeyError:
        problems["lawful_basis"] = "Choose the lawful basis."
    else:
        if basis.needs_text and not decision.lawful_basis_text.strip():
            problems["lawful_basis_text"] = "Write out the lawful basis."
    if not decision.by.strip():
        problems["by"] = "Say who made the decision."
    for name, problem in limit_problems(decision).items():
        problems.setdefault(name, problem)
    if problems:
        raise ValidationError(problems)


__all__ = [
    "AUDIENCE_IDS",
    "NEVER_SHARED_CLASSES",
    "NEVER_SHARED_SECTIONS",
    "SECTIONS",
    "SHARING_FILE",
    "AudiencePolicy",
    "FormError",
    "HowToRead",
    "LawfulBasis",
    "ShareExtract",
    "SharingDecision",
    "SharingPolicy",
    "allowed_sections",
    "entry_shared_with",
    "may_leave_network",
    "parse_sharing_policy",
    "share_extract",
    "validate_decision",
]
