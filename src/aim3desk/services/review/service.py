"""ReviewService (`session.review`): a supervisor's review of an assessment version, from
"Send for review" at the practitioner, through the supervisor's inbox, draft and decision,
back to the practitioner's profile (receive.py, reached through session.bundles' import).

    sent = session.review.send_for_review(case_id, [supervisor_fp], reason="")
    entries = session.review.inbox()                       # at the supervisor
    review = session.review.draft(entries[0].bundle_id)
    review = session.review.add_comment(review.review_id, anchor, "Say why.")
    decided = session.review.decide(review.review_id, Decision.RETURN)

Bundles go out through the outbox (tx.sync.queue), recorded in the same transaction as the
decision or the sending; the shared-folder round (services/sync) delivers them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from aim3desk.domain.forms import FormSet
from aim3desk.domain.forms.supervision import SupervisionForms
from aim3desk.services.assessments import AssessmentService
from aim3desk.services.bundles import BundleService
from aim3desk.services.cases import CaseService
from aim3desk.services.exchange import CaseExport
from aim3desk.services.identity import IdentityService
from aim3desk.services.review.practitioner import PractitionerSide
from aim3desk.services.review.receive import ReviewReceiver
from aim3desk.services.review.supervisor import SupervisorSide
from aim3desk.store.unit_of_work import UnitOfWork


class ReviewService(PractitionerSide, SupervisorSide):
    def __init__(
        self,
        uow: UnitOfWork,
        actor: str,
        identity: IdentityService,
        bundles: BundleService,
        cases: CaseService,
        assessments: AssessmentService,
        supervision_forms: Callable[[], SupervisionForms],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        """Takes over taking in review bundles for `bundles` (its receive_review)."""
        self._uow = uow
        self.actor = actor
        self._identity = identity
        self._bundles = bundles
        self._cases = cases
        self._assessments = assessments
        self._supervision_forms = supervision_forms
        self._clock = clock
        self._documents: dict[str, CaseExport] = {}
        self._edits_audited: dict[str, datetime] = {}
        self.receiver = ReviewReceiver(uow, actor, identity, assessments)
        bundles.receive_review = self.receiver

    def _forms(self) -> FormSet:
        return self._assessments.form_set
