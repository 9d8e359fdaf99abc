"""The deadlines dashboard across all cases, read in one unit of work with a few queries in
all (store/queries.py: deadline_data), never one query per case; and, for a supervisor, the
supervision due across the supervisees' cases, read from the assessment bundles they sent
(each carries the case document with its supervision sessions)."""

from __future__ import annotations

import json
import logging
from datetime import date

from aim3desk.config import EffectiveSettings
from aim3desk.domain.bundle import CASE_DOCUMENT_NAME, BundleKind
from aim3desk.domain.deadlines import (
    Deadline,
    SuperviseeCase,
    deadlines,
    supervisee_case,
    supervisee_sort_key,
)
from aim3desk.services.errors import CaseFileError
from aim3desk.store.bundle_log import BundleRecord
from aim3desk.store.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class DeadlineService:
    """The deadlines dashboard (`session.deadlines`)."""

    def __init__(self, uow: UnitOfWork, settings: EffectiveSettings):
        self._uow = uow
        self._settings = settings

    def dashboard(self, today: date | None = None) -> list[Deadline]:
        """Every deadline of every case in the profile: overdue first, then soonest."""
        with self._uow.read() as tx:
            data = tx.deadline_data()
        return deadlines(data, self._settings.values, today or date.today())

    def supervisees(self, today: date | None = None) -> list[SuperviseeCase]:
        """For a supervisor: each case a supervisee sent for review (its newest assessment
        bundle from that practitioner), with its phase, the sessions held and when the next
        supervision session is due; overdue first, then soonest."""
        from aim3desk.services.exchange.checking import BUNDLE_CASE_SOURCE, parse_export_bytes

        today = today or date.today()
        with self._uow.read() as tx:
            newest = _newest_per_case(tx.bundles.received())
            documents = [
                (record, tx.bundles.members(record.bundle_id).get(CASE_DOCUMENT_NAME))
                for record in newest
            ]
        rows = []
        for record, document in documents:
            if document is None:
                continue
            try:
                export = parse_export_bytes(document, today, BUNDLE_CASE_SOURCE)
            except CaseFileError:  # checked when imported: a bundle written by a newer app
                log.warning("a received case document could not be read for the cadence")
                continue
            author = json.loads(record.manifest).get("author", {}).get("name", "")
            rows.append(
                supervisee_case(
                    export.case, export.records.sessions, author, self._settings.values, today
                )
            )
        return sorted(rows, key=supervisee_sort_key)


def _newest_per_case(received: list[BundleRecord]) -> list[BundleRecord]:
    """The newest assessment bundle of each case from each practitioner: the highest
    version, and of one version the bundle no later one supersedes (two sent within a
    second have the same creation time)."""
    assessments = [r for r in received if r.kind == BundleKind.ASSESSMENT.value]
    superseded = {json.loads(r.manifest).get("supersedes") for r in assessments}

    def rank(record: BundleRecord) -> tuple[int, bool, str]:
        return (record.assessment_version or 0, record.bundle_id not in superseded, record.created)

    newest: dict[tuple[str, str], BundleRecord] = {}
    for record in assessments:
        key = (record.case_id, record.author_fingerprint)
        if key not in newest or rank(record) > rank(newest[key]):
            newest[key] = record
    return list(newest.values())
