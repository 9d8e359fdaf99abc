"""Draft, finished and signed off: the one rule every report, file name and screen follows.

A version is open (a draft) until it is finished; a finished version stays a draft until it
is signed off; it is signed off only when a supervisor's review, signed with the
supervisor's own key and received by this profile, signs off that exact version and the
hash of a bundle this profile sent of it (domain/review.py: signing_review). A supervision
session record, even a third session with "sign off the report" ticked, is a record of the
discussion, never a signature. Pure Python: no Qt, no SQL, no I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from aim3desk.domain.cases import Assessment, CaseStatus, local_day
from aim3desk.domain.gates import Gate, GateOverride
from aim3desk.domain.review import Review, SentVersion, signing_review

# Case statuses that say the assessment is still under way: beside a signed-off version they
# are out of date.
_STILL_ASSESSING = (CaseStatus.REQUESTED, CaseStatus.IN_ASSESSMENT, CaseStatus.AWAITING_SIGN_OFF)


class VersionStage(enum.StrEnum):
    OPEN = "open"  # being written: a draft
    FINISHED = "finished"  # read-only, awaiting sign-off: still a draft
    SIGNED_OFF = "signed_off"  # finished and signed off: final


@dataclass(frozen=True)
class SignOff:
    """Where a version stands; when signed off, the supervisor who signed the review, the
    fingerprint of the key that signed it and the day (the review's decision time on the
    practitioner's calendar). Never anything else from the review."""

    stage: VersionStage
    supervisor: str = ""
    supervisor_fingerprint: str = ""
    signed_off_on: date | None = None
    finished_on: date | None = None

    @property
    def signed_off(self) -> bool:
        return self.stage is VersionStage.SIGNED_OFF

    @property
    def is_draft(self) -> bool:
        """Every report of a version not signed off is marked DRAFT, in its name and pages."""
        return not self.signed_off

    @property
    def summary(self) -> str:
        """The state in a few words, as reports print it beside the model."""
        if self.signed_off:
            return "signed off"
        if self.stage is VersionStage.FINISHED:
            return "DRAFT: finished, not yet signed off"
        return "DRAFT: not yet signed off"


NOT_STARTED = SignOff(VersionStage.OPEN)


def sign_off(
    assessment: Assessment | None, reviews: Iterable[Review], sent: Iterable[SentVersion]
) -> SignOff:
    """The one rule (module docstring): `reviews` are the reviews this profile received,
    `sent` the bundles it sent (with their files' hashes)."""
    if assessment is None:
        return NOT_STARTED
    if not assessment.finished:
        return SignOff(VersionStage.OPEN)
    finished_on = local_day(assessment.finished_at) if assessment.finished_at else None
    signing = signing_review(assessment.id, reviews, sent)
    if signing is None:
        return SignOff(VersionStage.FINISHED, finished_on=finished_on)
    return SignOff(
        VersionStage.SIGNED_OFF,
        supervisor=signing.supervisor.name,
        supervisor_fingerprint=signing.supervisor.fingerprint,
        signed_off_on=local_day(signing.decided_at) if signing.decided_at else None,
        finished_on=finished_on,
    )


@dataclass(frozen=True)
class SignOffRecords:
    """What the sign-off rule and the gates read besides the case: the reviews received, the
    bundles sent with their hashes, and the gate overrides recorded (of one case, or of the
    whole profile: every rule below filters by assessment id)."""

    reviews: tuple[Review, ...] = ()
    sent: tuple[SentVersion, ...] = ()
    overrides: tuple[GateOverride, ...] = ()

    def state(self, assessment: Assessment | None) -> SignOff:
        return sign_off(assessment, self.reviews, self.sent)

    def overrides_of(self, assessment_id: str, gate: Gate | None = None) -> list[GateOverride]:
        """The overrides recorded for one version (of one gate), oldest first."""
        return [
            o
            for o in self.overrides
            if o.assessment_id == assessment_id and (gate is None or o.gate is gate)
        ]


def override_lines(overrides: Iterable[GateOverride]) -> list[str]:
    """Each override as one line, as the report, the versions page and the status line show
    it: "Finished without passing the readiness check: <reason>"."""
    return [f"{o.gate.label}: {o.reason}" for o in overrides]


def status_behind(status: CaseStatus, state: SignOff) -> bool:
    """True when the case status still says the assessment is under way although this
    version is signed off: the status was not moved on by hand."""
    return state.signed_off and status in _STILL_ASSESSING
