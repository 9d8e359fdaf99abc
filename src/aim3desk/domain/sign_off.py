"""Draft, finished and signed off: the one rule every report, file name and screen follows.

A version is open (a draft) until it is finished; a finished version stays a draft until it
is signed off; it is signed off only when a third assessment supervision session held for
this version (on or after its request date) records the "sign off the report" agenda item as
done. Holding the session is not enough: the supervisor must have ticked the sign-off.
(Until the review issue brings a supervisor's own signature, the ticked item is the record.)
Pure Python: no Qt, no SQL, no I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from aim3desk.domain.cases import Assessment, CaseStatus, local_day
from aim3desk.domain.supervision import SupervisionSession, SupervisionType

# The agenda item of forms/supervision.toml's third assessment session that records sign-off.
SIGN_OFF_ITEM = "sign_off"

# Case statuses that say the assessment is still under way: beside a signed-off version they
# are out of date.
_STILL_ASSESSING = (CaseStatus.REQUESTED, CaseStatus.IN_ASSESSMENT, CaseStatus.AWAITING_SIGN_OFF)


class VersionStage(enum.StrEnum):
    OPEN = "open"  # being written: a draft
    FINISHED = "finished"  # read-only, awaiting sign-off: still a draft
    SIGNED_OFF = "signed_off"  # finished and signed off: final


@dataclass(frozen=True)
class SignOff:
    """Where a version stands, with the sign-off session's supervisor and date when signed
    off (never anything else from the session: its notes and well-being stay private)."""

    stage: VersionStage
    supervisor: str = ""
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


def records_sign_off(session: SupervisionSession) -> bool:
    """A third assessment supervision session whose sign-off item is ticked."""
    return session.type is SupervisionType.ASSESSMENT_THREE and SIGN_OFF_ITEM in session.agenda_done


def sign_off(assessment: Assessment | None, sessions: Iterable[SupervisionSession]) -> SignOff:
    """The one rule (module docstring). The latest signing session counts."""
    if assessment is None:
        return NOT_STARTED
    if not assessment.finished:
        return SignOff(VersionStage.OPEN)
    finished_on = local_day(assessment.finished_at) if assessment.finished_at else None
    signing = max(
        (s for s in sessions if records_sign_off(s) and s.date >= assessment.request_date),
        key=lambda s: s.date,
        default=None,
    )
    if signing is None:
        return SignOff(VersionStage.FINISHED, finished_on=finished_on)
    return SignOff(
        VersionStage.SIGNED_OFF,
        supervisor=signing.supervisor,
        signed_off_on=signing.date,
        finished_on=finished_on,
    )


def status_behind(status: CaseStatus, state: SignOff) -> bool:
    """True when the case status still says the assessment is under way although this
    version is signed off: the status was not moved on by hand."""
    return state.signed_off and status in _STILL_ASSESSING
