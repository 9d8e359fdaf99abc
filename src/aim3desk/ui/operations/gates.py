"""What the gated actions show before they run: whether the case's current version is signed
off, what it lacks for the readiness check, and the overrides already recorded for it
(domain/gates.py decides which gate needs a written reason)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aim3desk.domain.gates import Gate, GateOverride, needs_override
from aim3desk.domain.sign_off import SignOff, SignOffRecords
from aim3desk.ui.operations.base import Query

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.domain.profile import Missing
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


@dataclass(frozen=True)
class GateFacts:
    sign_off: SignOff
    missing: tuple[Missing, ...]
    overrides: tuple[GateOverride, ...]  # of the current version

    @property
    def ready(self) -> bool:
        return not self.missing

    def needs_reason(self, gate: Gate) -> bool:
        return needs_override(gate, ready=self.ready, signed_off=self.sign_off.signed_off)


def gate_facts(session: Session, case: Case) -> GateFacts:
    """Read on the store worker (one read of the sign-off records, one of the content)."""
    current = case.current_assessment
    records = session.cases.sign_off_records(case.id)
    if current is None:
        return GateFacts(records.state(None), (), ())
    return GateFacts(
        records.state(current),
        tuple(session.assessments.readiness(current.id)),
        tuple(records.overrides_of(current.id)),
    )


def read_gate_facts(runner: TaskRunner, session: Session, case: Case) -> Query[GateFacts]:
    return Query(
        runner, lambda: gate_facts(session, case), "reading the readiness check and sign-off"
    )


def read_sign_off_records(
    runner: TaskRunner, session: Session, case_id: str
) -> Query[SignOffRecords]:
    """The reviews received, bundles sent and overrides of the case (every version)."""
    cases = session.cases
    return Query(runner, lambda: cases.sign_off_records(case_id), "reading sign-offs")
