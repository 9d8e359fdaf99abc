"""The content of assessment versions for the open profile: load it, save one item at a time,
finish a version, start the next one from it and compare two.

Each item (a rating, an evidence entry, an unknown ...) is one row (store/items.py), so an
autosave writes one small row whatever the size of the assessment. Every write runs in one
transaction with its audit entry; the audit names item kinds and ids, never text. A finished
version is read-only: the service raises ReadOnlyVersion, and SQLite triggers refuse the row
change too, whoever asks. Reads and writes go through the store's unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from aim3desk.config import EffectiveSettings
from aim3desk.domain.assessment import AssessmentContent, ReadOnlyVersion, ensure_editable
from aim3desk.domain.cases import Assessment, due_date
from aim3desk.domain.codec import ITEM_KINDS, item_key, item_kind
from aim3desk.domain.forms import FormSet
from aim3desk.domain.gates import Gate
from aim3desk.domain.profile import Missing, readiness
from aim3desk.domain.record_limits import check_limits
from aim3desk.domain.versions import Change, compare, new_version
from aim3desk.services.errors import CaseNotFound
from aim3desk.services.gates import pass_gate
from aim3desk.store.errors import ReadOnlyRow
from aim3desk.store.unit_of_work import StoreReader, StoreWriter, UnitOfWork

__all__ = ["AssessmentService", "Change", "ReadOnlyVersion", "item_key"]

# Autosave writes an item every second or so while typing: one assessment.edit entry per
# assessment and kind of item per quarter hour says "edited" without flooding the trail.
EDIT_AUDIT_INTERVAL = timedelta(minutes=15)

FormsSource = FormSet | Callable[[], FormSet]


class AssessmentService:
    def __init__(
        self,
        uow: UnitOfWork,
        settings: EffectiveSettings,
        actor: str,
        forms: FormsSource,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        """`forms` is the form set (or a function giving it, called once when first needed):
        compare() names factors and domains with it."""
        self._uow = uow
        self._settings = settings
        self.actor = actor
        self._forms = forms
        self._clock = clock
        self._edits_audited: dict[tuple[str, tuple[str, ...]], datetime] = {}

    @property
    def form_set(self) -> FormSet:
        if not isinstance(self._forms, FormSet):
            self._forms = self._forms()
        return self._forms

    @contextmanager
    def _writing(self) -> Iterator[StoreWriter]:
        try:
            with self._uow.write() as tx:
                yield tx
        except ReadOnlyRow:
            # A read-only trigger fired: the service's own check was bypassed or raced.
            raise ReadOnlyVersion(
                "This assessment version is finished and read-only: start a new version to "
                "record changes."
            ) from None

    # -- read API ----------------------------------------------------------------------

    def load(self, assessment_id: str) -> AssessmentContent:
        """The whole content of one version (one query)."""
        with self._uow.read() as tx:
            content = tx.items.load(assessment_id)
            if content == AssessmentContent() and tx.cases.get_assessment(assessment_id) is None:
                raise CaseNotFound("That assessment is not in this profile.")
        return content

    def assessment(self, assessment_id: str) -> Assessment:
        with self._uow.read() as tx:
            found = tx.cases.get_assessment(assessment_id)
        if found is None:
            raise CaseNotFound("That assessment is not in this profile.")
        return found

    def versions(self, case_id: str) -> list[Assessment]:
        """Every version of the case's assessment, oldest first."""
        with self._uow.read() as tx:
            return list(tx.cases.assessments_of(case_id))

    def compare(self, old_id: str, new_id: str) -> list[Change]:
        """What changed from one version to another, in plain words (domain/versions.py)."""
        with self._uow.read() as tx:
            new_assessment = tx.cases.get_assessment(new_id)
            if new_assessment is None or tx.cases.get_assessment(old_id) is None:
                raise CaseNotFound("That assessment is not in this profile.")
            old, new = tx.items.load(old_id), tx.items.load(new_id)
        form_set = self.form_set
        try:
            model = form_set.model(new_assessment.model.value)
        except KeyError:
            model = None
        return compare(old, new, form_set, model)

    # -- write API ---------------------------------------------------------------------

    def save_item(self, assessment_id: str, item: object) -> bool:
        """Insert or replace one item (a blank rating or blank domain notes removes it);
        False if nothing changed."""
        return self.save_items(assessment_id, [item], [])

    def delete_item(self, assessment_id: str, kind: str, item_id: str) -> bool:
        """Remove one item by kind and item_key(); False if it was not there."""
        return self.save_items(assessment_id, [], [(kind, item_id)])

    def save_items(
        self,
        assessment_id: str,
        upserts: Iterable[object],
        deletes: Iterable[tuple[str, str]] = (),
    ) -> bool:
        """Apply a compound edit (or its undo) at once: deletes first, then upserts, all in
        one transaction. False if nothing changed."""
        upserts, deletes = list(upserts), list(deletes)
        kinds = {item_kind(item) for item in upserts}  # TypeError: not an item
        for item in upserts:
            check_limits(item)  # ValidationError naming the field: nothing is written
        for kind, item_id in deletes:
            if kind not in ITEM_KINDS:
                raise ValueError(f"no item kind {kind!r}")
            if not isinstance(item_id, str) or not item_id:
                raise ValueError("an item id must be a non-empty string")
            kinds.add(kind)
        with self._writing() as tx:
            reference, assessment = _editable(tx, assessment_id)
            now = tx.now_text()
            changed = False
            for kind, item_id in deletes:
                changed = tx.items.delete(assessment_id, kind, item_id) or changed
            for item in upserts:
                changed = tx.items.save(assessment_id, item, now) or changed
            if not changed:
                return False
            tx.cases.touch_assessment(assessment_id, now)
            self._audit_edit(tx, reference, assessment, tuple(sorted(kinds)))
        return True

    def readiness(self, assessment_id: str) -> list[Missing]:
        """What stands between the version and supervision (domain/profile.py: readiness);
        empty when it passes the readiness check."""
        with self._uow.read() as tx:
            found = tx.cases.get_assessment(assessment_id)
            if found is None:
                raise CaseNotFound("That assessment is not in this profile.")
            content = tx.items.load(assessment_id)
        return _missing(self.form_set, found, content)

    def finish(self, assessment_id: str, override_reason: str = "") -> Assessment:
        """Finish the version: from now on it is read-only. A version that does not pass the
        readiness check is finished only with a written reason, recorded and audited with
        the finishing (GateClosed without one: nothing changes)."""
        form_set = self.form_set  # loaded before the write, not inside it
        with self._writing() as tx:
            reference, assessment = _editable(tx, assessment_id)
            now = self._clock()
            missing = _missing(form_set, assessment, tx.items.load(assessment_id))
            override = pass_gate(
                tx,
                self.actor,
                Gate.FINISH,
                assessment,
                reference,
                ready=not missing,
                signed_off=False,
                reason=override_reason,
                at=now,
            )
            tx.cases.finish_assessment(assessment_id, now)
            tx.audit(
                self.actor,
                "assessment.finish",
                reference,
                {
                    "assessment_id": assessment_id,
                    "version": assessment.version,
                    "ready": not missing,
                    "override": override is not None,
                },
            )
            finished = tx.cases.get_assessment(assessment_id)
        assert finished is not None
        return finished

    def new_version(self, case_id: str, today: date | None = None) -> Assessment:
        """Start the next version from the last finished one, its content copied whole (item
        ids kept, so compare() can match items). It is requested today and due after the
        usual deadline. ValueError if the latest version is still open."""
        today = today or self._clock().date()
        with self._writing() as tx:
            case = tx.cases.get(case_id)
            if case is None:
                raise CaseNotFound("That case is not in this profile (it may have been removed).")
            latest = case.current_assessment
            if latest is None:
                raise ValueError("This case has no assessment yet to start a new version from.")
            if not latest.finished:
                raise ValueError(
                    f"Version {latest.version} is still open: finish it before starting a new "
                    "version."
                )
            weeks = self._settings.values.assessment_deadline_weeks
            started, _content = new_version(
                latest,
                AssessmentContent(),  # the rows are copied below without decoding them
                request_date=today,
                due_date=due_date(today, weeks),
            )
            started = replace(started, based_on_id=latest.id, finished_at=None)
            tx.cases.add_assessment(started)
            copied = tx.items.copy(latest.id, started.id, tx.now_text())
            tx.audit(
                self.actor,
                "assessment.new_version",
                case.reference,
                {
                    "assessment_id": started.id,
                    "version": started.version,
                    "based_on_id": latest.id,
                    "items": copied,
                },
            )
        return started

    def _audit_edit(
        self, tx: StoreWriter, reference: str, assessment: Assessment, kinds: tuple[str, ...]
    ) -> None:
        now = self._clock()
        key = (assessment.id, kinds)
        last = self._edits_audited.get(key)
        if last is not None and now - last < EDIT_AUDIT_INTERVAL:
            return
        tx.audit(
            self.actor,
            "assessment.edit",
            reference,
            {"assessment_id": assessment.id, "kinds": list(kinds)},
        )
        self._edits_audited[key] = now


def _missing(
    form_set: FormSet, assessment: Assessment, content: AssessmentContent
) -> list[Missing]:
    return readiness(content, form_set.model(assessment.model.value), form_set)


def _editable(tx: StoreReader, assessment_id: str) -> tuple[str, Assessment]:
    """The case reference and the assessment, in one query; ReadOnlyVersion if finished."""
    found = tx.assessment_with_reference(assessment_id)
    if found is None:
        raise CaseNotFound("That assessment is not in this profile.")
    assessment, reference = found
    ensure_editable(assessment)
    return reference, assessment
