"""Passing a gate inside the transaction that does what the gate guards: "Finish version",
the status "Assessment completed" and a share report of an unsigned version
(domain/gates.py decides when a written reason is needed).

An override is recorded (tx.reviews.add_override) and audited in the caller's transaction,
so the change it allowed and the reason for it are saved together or not at all. The audit
names the gate and the version, never the reason's words (the trail never holds free text).
"""

from __future__ import annotations

from datetime import datetime

from aim3desk.domain.cases import Assessment, new_id
from aim3desk.domain.gates import Gate, GateOverride, check_gate
from aim3desk.store.unit_of_work import StoreWriter

AUDIT_OVERRIDE = "gate.override"


def pass_gate(
    tx: StoreWriter,
    actor: str,
    gate: Gate,
    assessment: Assessment,
    reference: str,
    *,
    ready: bool,
    signed_off: bool,
    reason: str,
    at: datetime,
) -> GateOverride | None:
    """The override recorded for this gate, or None when none was needed; GateClosed when
    one is needed and `reason` is not enough (nothing is written)."""
    recorded = check_gate(gate, ready=ready, signed_off=signed_off, reason=reason)
    if not recorded:
        return None
    override = GateOverride(new_id(), assessment.id, gate, recorded, at, actor)
    tx.reviews.add_override(override)
    tx.audit(
        actor,
        AUDIT_OVERRIDE,
        reference,
        {"assessment_id": assessment.id, "version": assessment.version, "gate": gate.value},
    )
    return override
