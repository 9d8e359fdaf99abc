"""The supervisor's side of a review: the inbox, what a review window shows, the draft with
its checklist and comments, the decision that travels back as a signed review bundle, and the
choice between two versions built on the same base."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from aim3desk.domain.bundle import CASE_DOCUMENT_NAME, BundleKind, report_member_name
from aim3desk.domain.forms import FormSet
from aim3desk.domain.forms.supervision import SupervisionForms
from aim3desk.domain.review import (
    CHECKLIST_SESSION_TYPE,
    REVIEW_MEMBER_NAME,
    Anchor,
    AnchorKind,
    Comment,
    Decision,
    Review,
    ReviewedVersion,
    ReviewProblem,
    Supervisor,
    checklist_from_agenda,
    decide,
    review_bytes,
)
from aim3desk.domain.review_anchors import anchor_for
from aim3desk.domain.versions import Change, compare
from aim3desk.services.bundles import BundleService
from aim3desk.services.errors import CaseFileError, CaseNotFound
from aim3desk.services.exchange import BUNDLE_CASE_SOURCE, CaseExport, parse_export_bytes
from aim3desk.services.identity import IdentityService
from aim3desk.services.review.inbox import (
    SUPERSEDED_FACT_PREFIX,
    Received,
    inbox_entry,
    previous_of,
    received_assessments,
)
from aim3desk.services.review.values import DecidedReview, InboxEntry, ReviewMaterial
from aim3desk.store.review_log import DRAFT, RECEIVED, SENT
from aim3desk.store.unit_of_work import UnitOfWork

AUDIT_START = "review.start"
AUDIT_EDIT = "review.edit"
AUDIT_SIGN_OFF = "review.sign-off"
AUDIT_RETURN = "review.return"
AUDIT_CHOOSE = "review.choose"
# A draft is saved as the supervisor types: one review.edit entry per review a quarter hour.
EDIT_AUDIT_INTERVAL = timedelta(minutes=15)


class SupervisorSide:
    _uow: UnitOfWork
    actor: str
    _identity: IdentityService
    _bundles: BundleService
    _clock: Callable[[], datetime]
    _forms: Callable[[], FormSet]
    _supervision_forms: Callable[[], SupervisionForms]
    _documents: dict[str, CaseExport]
    _edits_audited: dict[str, datetime]

    # -- the inbox ------------------------------------------------------------------------

    def inbox(self) -> list[InboxEntry]:
        """The assessment bundles received, by case and date, each with its state."""
        with self._uow.read() as tx:
            items = received_assessments(tx.bundles.received())
            stored = [s for s in tx.reviews.all() if s.direction != RECEIVED]
            facts = tx.profile_facts()
        superseded = {
            key.removeprefix(SUPERSEDED_FACT_PREFIX): chosen
            for key, chosen in facts.items()
            if key.startswith(SUPERSEDED_FACT_PREFIX) and chosen
        }
        entries = []
        for item in items:
            previous = previous_of(item, items)
            changes = None if previous is None else len(self._changes(previous, item))
            reviews = [s for s in stored if s.review.reviewed.bundle_id == item.bundle_id]
            entries.append(inbox_entry(item, items, reviews, superseded, changes))
        return sorted(entries, key=lambda e: (e.case_reference, e.created, e.bundle_id))

    def entry(self, bundle_id: str) -> InboxEntry:
        bundle_id = self.resolve(bundle_id)
        return next(e for e in self.inbox() if e.bundle_id == bundle_id)

    def resolve(self, prefix: str) -> str:
        """The bundle id in the inbox that `prefix` starts (CaseNotFound if none or many)."""
        prefix = prefix.strip().lower()
        with self._uow.read() as tx:
            ids = [r.bundle_id for r in tx.bundles.received() if r.kind == "assessment"]
        found = [i for i in ids if i.startswith(prefix)] if prefix else []
        if len(found) != 1:
            what = "no bundle" if not found else f"{len(found)} bundles"
            raise CaseNotFound(
                f"Your review inbox holds {what} whose id starts with '{prefix}'; give more of "
                "the id."
            )
        return found[0]

    def _received(self, bundle_id: str) -> Received:
        with self._uow.read() as tx:
            record = tx.bundles.get(bundle_id)
        items = received_assessments([record] if record and record.direction == "received" else [])
        if not items:
            raise CaseNotFound("That bundle is not in your review inbox.")
        return items[0]

    def _document(self, bundle_id: str) -> CaseExport:
        """The case document a bundle carried, checked and read (kept: a bundle never
        changes)."""
        if bundle_id not in self._documents:
            with self._uow.read() as tx:
                members = tx.bundles.members(bundle_id)
            data = members.get(CASE_DOCUMENT_NAME)
            if data is None:
                raise CaseFileError("This bundle holds no case document to review.")
            self._documents[bundle_id] = parse_export_bytes(data, source=BUNDLE_CASE_SOURCE)
        return self._documents[bundle_id]

    def _changes(self, previous: Received, item: Received) -> list[Change]:
        old = self._document(previous.bundle_id).content(previous.manifest.assessment_id or "")
        export = self._document(item.bundle_id)
        new = export.content(item.manifest.assessment_id or "")
        return compare(old, new, self._forms(), self._model(export, item))

    def _model(self, export: CaseExport, item: Received):
        assessment = next(
            (a for a in export.case.assessments if a.id == item.manifest.assessment_id), None
        )
        if assessment is None:
            raise CaseFileError("This bundle's case document does not hold the version it names.")
        try:
            return self._forms().model(assessment.model.value)
        except KeyError:
            return None

    def material(self, bundle_id: str) -> ReviewMaterial:
        """Everything the review window shows, from the bundle as received."""
        entry = self.entry(bundle_id)
        item = self._received(entry.bundle_id)
        export = self._document(entry.bundle_id)
        assessment = next(a for a in export.case.assessments if a.id == entry.assessment_id)
        with self._uow.read() as tx:
            items = received_assessments(tx.bundles.received())
            members = tx.bundles.members(entry.bundle_id)
        previous = previous_of(item, items)
        return ReviewMaterial(
            entry=entry,
            case=export.case,
            assessment=assessment,
            content=export.content(assessment.id),
            form_set=self._forms(),
            model=self._model(export, item),
            records=export.records,
            report_pdf=members.get(report_member_name("full")),
            changes=tuple(self._changes(previous, item)) if previous else (),
            sent_with_reason=entry.sent_with_reason,
        )

    def compare_received(self, bundle_id: str, other_id: str) -> tuple[Change, ...]:
        """Two versions received side by side (a conflict: both built on the same base), from
        the first to the second."""
        return tuple(self._changes(self._received(bundle_id), self._received(other_id)))

    def choose(self, bundle_id: str) -> InboxEntry:
        """Settle a conflict: this version stands, the others built on its base are marked
        superseded (kept, never deleted)."""
        entry = self.entry(bundle_id)
        if not entry.conflict_with:
            raise CaseFileError("This version is not in conflict with another; nothing to choose.")
        with self._uow.write() as tx:
            tx.set_profile_fact(SUPERSEDED_FACT_PREFIX + entry.bundle_id, "")
            for other in entry.conflict_with:
                tx.set_profile_fact(SUPERSEDED_FACT_PREFIX + other, entry.bundle_id)
            tx.audit(
                self.actor,
                AUDIT_CHOOSE,
                entry.case_reference,
                {"chosen": entry.bundle_id, "superseded": list(entry.conflict_with)},
            )
        return self.entry(entry.bundle_id)

    # -- the draft ------------------------------------------------------------------------

    def draft(self, bundle_id: str) -> Review:
        """This supervisor's review of the bundle: the draft (made now, with the session-three
        checklist, if there is none) or the one already decided."""
        entry = self.entry(bundle_id)
        if not self._received(entry.bundle_id).manifest.finished:
            raise ReviewProblem(
                f"Version {entry.version} of case {entry.case_reference} was sent while still "
                "open, for information: it can be reviewed once it is sent for review."
            )
        me = self._identity.me()
        with self._uow.read() as tx:
            held = [
                s
                for s in tx.reviews.of_reviewed_bundle(entry.bundle_id)
                if s.direction in (DRAFT, SENT)
                and s.review.supervisor.fingerprint == me.fingerprint
            ]
            record = tx.bundles.get(entry.bundle_id)
        if held:
            return held[-1].review
        if record is None or not record.file_sha256:
            raise CaseFileError(
                "This bundle was taken in without the hash of its file; ask for it to be sent "
                "again before reviewing it."
            )
        agenda = self._supervision_forms().session_type(CHECKLIST_SESSION_TYPE).agenda
        review = Review(
            review_id=uuid.uuid4().hex,
            reviewed=ReviewedVersion(
                case_id=entry.case_id,
                case_reference=entry.case_reference,
                assessment_id=entry.assessment_id,
                assessment_version=entry.version,
                bundle_id=entry.bundle_id,
                bundle_sha256=record.file_sha256,
                practitioner_fingerprint=entry.author_fingerprint,
            ),
            supervisor=Supervisor(me.name, me.fingerprint),
            checklist=checklist_from_agenda([(p.id, p.text) for p in agenda]),
            sent_with_reason=entry.sent_with_reason,
        )
        with self._uow.write() as tx:
            tx.reviews.save(review, DRAFT, tx.now_text())
            tx.audit(
                self.actor,
                AUDIT_START,
                entry.case_reference,
                {"review_id": review.review_id, "bundle_id": entry.bundle_id},
            )
        self._edits_audited[review.review_id] = self._clock()
        return review

    def _held_draft(self, review_id: str) -> Review:
        with self._uow.read() as tx:
            stored = tx.reviews.get(review_id)
        if stored is None or stored.direction != DRAFT:
            raise ReviewProblem("That review is not a draft of yours: it was decided or is gone.")
        return stored.review

    def save_draft(self, review: Review) -> Review:
        """Save the draft as edited (dataclasses.replace on what draft() gave)."""
        held = self._held_draft(review.review_id)
        if (
            review.decided
            or review.reviewed != held.reviewed
            or review.supervisor != held.supervisor
        ):
            raise ReviewProblem("A draft's version, supervisor and decision cannot be edited.")
        now = self._clock()
        with self._uow.write() as tx:
            tx.reviews.save(review, DRAFT, tx.now_text())
            last = self._edits_audited.get(review.review_id)
            if last is None or now - last >= EDIT_AUDIT_INTERVAL:
                tx.audit(
                    self.actor,
                    AUDIT_EDIT,
                    review.reviewed.case_reference,
                    {"review_id": review.review_id, "comments": len(review.comments)},
                )
                self._edits_audited[review.review_id] = now
        return review

    def anchor(self, bundle_id: str, kind: AnchorKind | str, ref: str = "") -> Anchor:
        """An anchor for a comment on an item of the bundle's version, with the item's name
        and the words it quotes (so a comment can be placed, or shown orphaned, later)."""
        material = self.material(bundle_id)
        return anchor_for(material.content, material.form_set, AnchorKind(kind), ref)

    def add_comment(self, review_id: str, anchor: Anchor, text: str) -> Review:
        if not text.strip():
            raise ReviewProblem("Write the comment first.")
        review = self._held_draft(review_id)
        comment = Comment(uuid.uuid4().hex, anchor, text.strip())
        return self.save_draft(replace(review, comments=(*review.comments, comment)))

    def check_item(self, review_id: str, item_id: str, done: bool = True, note: str = "") -> Review:
        review = self._held_draft(review_id)
        if item_id not in {i.id for i in review.checklist}:
            raise ReviewProblem(f"The checklist has no item '{item_id}'.")
        checklist = tuple(
            replace(i, done=done, note=note or i.note) if i.id == item_id else i
            for i in review.checklist
        )
        return self.save_draft(replace(review, checklist=checklist))

    # -- the decision ---------------------------------------------------------------------

    def decide(self, review_id: str, decision: Decision | str, reasons: str = "") -> DecidedReview:
        """Sign off or return (domain.review.decide's rules, ReviewProblem otherwise); the
        review travels as a bundle signed by this supervisor, sealed for the practitioner,
        this profile and escrow, recorded and queued with the decision in one transaction."""
        decision = Decision(decision)
        decided = decide(self._held_draft(review_id), decision, reasons, self._clock())
        reviewed = decided.reviewed
        item = self._received(reviewed.bundle_id)
        prepared = self._bundles.prepare_document(
            BundleKind.REVIEW,
            item.manifest,
            [reviewed.practitioner_fingerprint],
            {REVIEW_MEMBER_NAME: review_bytes(decided)},
            AUDIT_SIGN_OFF if decision is Decision.SIGN_OFF else AUDIT_RETURN,
        )
        sealed = self._bundles.seal(prepared)

        def save(tx) -> None:
            tx.reviews.save(decided, SENT, tx.now_text(), bundle_id=sealed.manifest.bundle_id)

        self._bundles.record_queued(
            sealed,
            {
                "review_id": decided.review_id,
                "reviewed_bundle_id": reviewed.bundle_id,
                "decision": decision.value,
                "comments": len(decided.comments),
            },
            save,
        )
        return DecidedReview(decided, sealed.manifest.bundle_id, sealed.file_name, sealed.sha256)
