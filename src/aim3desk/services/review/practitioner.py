"""The practitioner's side of a review: send the current version to supervisors, and read
what came back (reviews of a case, a returned review's things to do, the signing review)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.cases import Assessment
from aim3desk.domain.forms import FormSet
from aim3desk.domain.gates import Gate, GateClosed, GateOverride, check_gate
from aim3desk.domain.identity import Contact
from aim3desk.domain.profile import readiness
from aim3desk.domain.record_limits import text_limit, text_problem
from aim3desk.domain.review import Review, ReviewProblem, signing_review
from aim3desk.services.assessments import AssessmentService
from aim3desk.services.bundles import BundleService
from aim3desk.services.cases import CaseService
from aim3desk.services.errors import CaseFileError
from aim3desk.services.identity import ContactError, IdentityService
from aim3desk.services.review.inbox import MAX_SEND_REASON_CHARS, send_note
from aim3desk.services.review.values import SentForReview, Todo
from aim3desk.store.review_log import RECEIVED
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

AUDIT_SEND = "review.send"
AUDIT_TODO = "review.todo"


class PractitionerSide:
    _uow: UnitOfWork
    actor: str
    _identity: IdentityService
    _bundles: BundleService
    _cases: CaseService
    _assessments: AssessmentService
    _clock: Callable[[], datetime]

    def send_for_review(
        self, case_id: str, supervisors: Sequence[str], reason: str = ""
    ) -> SentForReview:
        """Send the case's current version to the chosen supervisors: finished first if it
        is open, with `reason` recorded as an override where the readiness check does not
        pass (GateClosed without one). The bundle is sealed in memory and queued for the
        shared folder, recorded and audited in one transaction. Heavy (renders the full
        report): call it off the UI thread."""
        recipients = self._supervisor_recipients(supervisors)
        with self._uow.read():
            case = self._cases.find_case(case_id)
            assessment = case.current_assessment
            if assessment is None:
                raise CaseFileError(f"Case {case.reference} has no assessment to send yet.")
            content = self._assessments.load(assessment.id)
        signing = self.signing_review_of(assessment.id) if assessment.finished else None
        if signing is not None:
            raise CaseFileError(
                f"Version {assessment.version} of case {case.reference} is already signed off "
                f"by {signing.supervisor.name}. To change it, start a new version and send that."
            )
        ready = self._ready(assessment, content)
        send_reason = check_gate(Gate.SEND, ready=ready, signed_off=False, reason=reason)
        problem = text_problem(len(send_reason), MAX_SEND_REASON_CHARS)
        if problem:  # it travels in the bundle's note: refused before the version is finished
            raise GateClosed(f"The reason for sending it now: {problem}")
        finishing = not assessment.finished
        if finishing:  # the finish gate records its own override with the finishing
            self._assessments.finish(assessment.id, override_reason=reason)
        prepared = self._bundles.prepare_assessment(
            case.id, [c.fingerprint for c in recipients], None, note=send_note(send_reason)
        )
        sealed = self._bundles.seal(replace(prepared, action=AUDIT_SEND))
        self._bundles.record_queued(
            sealed,
            {"assessment_id": assessment.id, "override": bool(send_reason)},
            lambda tx: self._override(tx, assessment.id, Gate.SEND, send_reason),
        )
        return SentForReview(
            sealed.manifest.bundle_id,
            case.reference,
            assessment.version,
            sealed.file_name,
            sealed.sha256,
            sealed.recipients,
            send_reason,
            finishing,
        )

    def _supervisor_recipients(self, supervisors: Sequence[str]) -> list[Contact]:
        if not supervisors:
            raise ContactError("Choose at least one of your supervisors to send it to.")
        chosen = [self._identity.confirmed_recipient(fp) for fp in supervisors]
        for contact in chosen:
            if not contact.supervisor:
                raise ContactError(
                    f"{contact.identity.name} ({contact.fingerprint}) is not one of your "
                    "supervisors; name them as your supervisor before sending them a version "
                    "for review."
                )
        return chosen

    def _ready(self, assessment: Assessment, content: AssessmentContent) -> bool:
        form_set: FormSet = self._assessments.form_set
        try:
            model = form_set.model(assessment.model.value)
        except KeyError:
            return False  # a model the forms do not know cannot pass the check
        return not readiness(content, model, form_set)

    def _override(self, tx: StoreWriter, assessment_id: str, gate: Gate, reason: str) -> None:
        if reason:
            tx.reviews.add_override(
                GateOverride(
                    uuid.uuid4().hex, assessment_id, gate, reason, self._clock(), self.actor
                )
            )

    # -- what came back -------------------------------------------------------------------

    def reviews_of_case(self, case_id: str) -> list[Review]:
        """The reviews received for the case's versions, oldest first."""
        with self._uow.read() as tx:
            return [s.review for s in tx.reviews.of_case(case_id, RECEIVED)]

    def signing_review_of(self, assessment_id: str) -> Review | None:
        """The received sign-off that covers this version (domain.review.signing_review)."""
        with self._uow.read() as tx:
            found = tx.cases.get_assessment(assessment_id)
            if found is None:
                return None
            records = tx.sign_off_records(found.case_id)  # the one loader of the rule's inputs
        return signing_review(assessment_id, records.reviews, records.sent)

    def todos(self, assessment_id: str) -> list[Todo]:
        """The comments of returned reviews to deal with on this version."""
        with self._uow.read() as tx:
            rows = tx.reviews.todos(assessment_id)
            reviews = {r: tx.reviews.get(r) for r in {row.review_id for row in rows}}
        todos = []
        for row in rows:
            stored = reviews[row.review_id]
            comment = next(
                (c for c in stored.review.comments if c.id == row.comment_id) if stored else (),
                None,
            )
            if stored is not None and comment is not None:
                todos.append(
                    Todo(stored.review, comment, row.done_at is not None, row.note, row.done_at)
                )
        return todos

    def set_todo(self, review_id: str, comment_id: str, done: bool, note: str = "") -> None:
        problem = text_problem(len(note), text_limit("note"))
        if problem:
            raise ReviewProblem(f"How it was dealt with: {problem}")
        with self._uow.write() as tx:
            held = tx.reviews.todo(review_id, comment_id)
            if held is None:
                raise CaseFileError("That comment is not on any version's list of things to do.")
            reference = tx.case_reference(_case_of(tx, held.assessment_id)) or ""
            tx.reviews.set_todo(review_id, comment_id, tx.now_text() if done else None, note)
            tx.audit(
                self.actor,
                AUDIT_TODO,
                reference,
                {"review_id": review_id, "comment_id": comment_id, "done": done},
            )


def _case_of(tx: StoreWriter, assessment_id: str) -> str:
    found = tx.cases.get_assessment(assessment_id)
    return found.case_id if found else ""
