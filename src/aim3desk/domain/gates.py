"""Gates that keep the record honest (issue: a real sign-off).

"Finish version", sending a version for review, the case status "Assessment completed" and a
share report of an unsigned version each need the readiness check to pass, or an override:
a written reason, kept and shown wherever the result is shown. Marking the case completed
when its current version is not signed off is itself an override (the annual return counts
such a case apart from signed-off ones), so it always needs the reason. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from aim3desk.domain.record_limits import text_limit, text_problem

MIN_REASON_WORDS = 3


class Gate(StrEnum):
    FINISH = "finish"
    SEND = "send"
    COMPLETE = "complete"
    SHARE = "share"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Gate.FINISH: "Finished without passing the readiness check",
    Gate.SEND: "Sent for review without passing the readiness check",
    Gate.COMPLETE: "Marked completed without a supervisor's sign-off",
    Gate.SHARE: "Shared before sign-off without passing the readiness check",
}


@dataclass(frozen=True)
class GateOverride:
    id: str
    assessment_id: str
    gate: Gate
    reason: str
    recorded_at: datetime  # UTC
    recorded_by: str


class GateClosed(ValueError):  # noqa: N818 - reads as what happened
    """A gate that needs a reason and was given none (or too short a one); str() says so."""


def needs_override(gate: Gate, *, ready: bool, signed_off: bool) -> bool:
    """Whether passing this gate needs a written reason."""
    if gate is Gate.COMPLETE:
        return not signed_off
    if gate is Gate.SHARE and signed_off:
        return False
    return not ready


def reason_problem(reason: str) -> str | None:
    """Why a written reason is not enough (too short, or longer than a long text may be:
    domain/record_limits), or None. Every written reason is asked here: overrides, legal
    holds, retention decisions and deletions."""
    if len(reason.split()) < MIN_REASON_WORDS:
        return f"Write the reason in a few words (at least {MIN_REASON_WORDS})."
    return text_problem(len(reason), text_limit("reason"))


def check_gate(gate: Gate, *, ready: bool, signed_off: bool, reason: str) -> str:
    """The reason to record ("" when none is needed); GateClosed when one is needed and
    the one given is not enough."""
    if not needs_override(gate, ready=ready, signed_off=signed_off):
        return ""
    reason = " ".join(reason.split())
    problem = reason_problem(reason)
    if problem:
        raise GateClosed(f"{gate.label.split(' without')[0]}: {problem}")
    return reason
