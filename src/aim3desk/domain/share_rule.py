"""What may leave the immediate practitioner network: the one rule that share reports, the
domain's shareable list and the evidence dialog's "Internal only" marking all apply.

Seed 004: detailed formulation notes, practitioner reflections, verbatim session material and
sensitive background never leave the immediate network, even if an organisation's
evidence.toml were edited to mark one shareable; a class the rules mark internal-only stays
too; and a class the rules no longer know is treated as internal.
Pure Python: no Qt, no SQL, no I/O.
"""

from __future__ import annotations

from aim3desk.domain.forms import EvidenceRules

NEVER_SHARED_CLASSES = frozenset(
    {"formulation_note", "practitioner_reflection", "verbatim_session", "sensitive_background"}
)


def may_leave_network(rules: EvidenceRules, sharing_class: str) -> bool:
    """True only for a sharing class known to the rules, not internal-only, and not one of
    NEVER_SHARED_CLASSES."""
    if sharing_class in NEVER_SHARED_CLASSES:
        return False
    try:
        return not rules.is_internal_only(sharing_class)
    except KeyError:
        return False
