"""Operations that move a case out of the profile or into it: a signed, encrypted bundle to
confirmed contacts (`session.bundles`), a case handed over, a case exported to a file, an
import of bundles and case files together, and one bundle checked and its files saved.

Reads and writes run on the store worker; a bundle's PDFs, signature and encryption are made
beside it (WriteBundle), so saves keep flowing while the dialog shows a busy indicator. An
import publishes `case_list` when a case arrived, so the case list refreshes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Self

from aim3desk.ui.operations.base import Change, Changes, Job, Query

if TYPE_CHECKING:
    from aim3desk.domain.identity import Contact
    from aim3desk.services.bundles import (
        BuiltBundle,
        ExportedBundle,
        ImportOutcome,
        OpenedBundle,
        PreparedBundle,
    )
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

NOTHING_SHOWN = Changes()

# What became of one file in an import.
IMPORTED = "imported"
ALREADY_HELD = "already-held"
SET_ASIDE = "quarantined"  # a refused bundle, kept aside with its reason
NOT_IMPORTED = "not-imported"  # a case file that could not be used (nothing is kept)
NEEDS_PASSPHRASE = "needs-passphrase"  # noqa: S105 - a status, not a secret


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: str
    message: str  # one sentence for a person
    case_arrived: bool = False


@dataclass(frozen=True)
class CheckedBundle:
    """A bundle that passed every check, with what is needed to say whom it names: your own
    fingerprint and the contacts among its recipients (the rest are only fingerprints)."""

    path: Path
    opened: OpenedBundle
    my_fingerprint: str
    known_recipients: dict[str, Contact]


def check_bundle(runner: TaskRunner, session: Session, path: Path) -> Query[CheckedBundle]:
    """Decrypt and check one bundle in memory (BundleRefused, or CaseFileError when the file
    cannot be read); nothing is written and nothing in the store changes."""
    bundles, identity = session.bundles, session.identity

    def work() -> CheckedBundle:
        opened = bundles.open_file(path)
        contacts = {c.fingerprint: c for c in identity.contacts()}
        recipients = opened.manifest.recipients
        known = {fp: contacts[fp] for fp in recipients if fp in contacts}
        return CheckedBundle(path, opened, identity.me().fingerprint, known)

    return Query(runner, work, "checking the bundle")


def save_bundle_files(
    runner: TaskRunner, session: Session, opened: OpenedBundle, folder: Path
) -> Change[list[Path]]:
    """A checked bundle's files written into `folder`, NOT encrypted (audited)."""
    bundles = session.bundles
    return Change(
        runner,
        lambda: bundles.write_members(opened, folder),
        "saving the bundle's files",
        NOTHING_SHOWN,
    )


class WriteBundle:
    """A bundle written in three steps, like a report: the case read on the store worker,
    the PDFs laid out, signed, encrypted and written beside it (saves keep flowing), then
    recorded and audited on the store worker. Used like an operation: on_done, on_error,
    run; an error at any step ends it."""

    def __init__(
        self,
        runner: TaskRunner,
        session: Session,
        prepare: Callable[[], PreparedBundle],
        what: str,
    ) -> None:
        self._runner = runner
        self._bundles = session.bundles
        self._prepare = prepare
        self.what = what
        self._done: Callable[[ExportedBundle], None] | None = None
        self._error: Callable[[BaseException], None] | None = None

    def on_done(self, callback: Callable[[ExportedBundle], None]) -> Self:
        self._done = callback
        return self

    def on_error(self, callback: Callable[[BaseException], None]) -> Self:
        self._error = callback
        return self

    def run(self) -> None:
        Query(self._runner, self._prepare, self.what).on_done(self._build).on_error(
            self._failed
        ).run()

    def _build(self, prepared: PreparedBundle) -> None:
        bundles = self._bundles
        Job(
            self._runner,
            lambda progress, cancelled: bundles.build(prepared, progress, cancelled),
            self.what,
        ).on_done(self._record).on_error(self._failed).run()

    def _record(self, built: BuiltBundle) -> None:
        bundles = self._bundles
        Change(self._runner, lambda: bundles.record(built), self.what, NOTHING_SHOWN).on_done(
            self._delivered
        ).on_error(self._failed).run()

    def _delivered(self, exported: ExportedBundle) -> None:
        if self._done is not None:
            self._done(exported)

    def _failed(self, exc: BaseException) -> None:
        if self._error is not None:
            self._error(exc)
        else:
            self._runner.report_error(self.what, exc)


def send_bundle(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    fingerprints: Sequence[str],
    folder: Path,
    share_audiences: Sequence[str] = (),
    note: str = "",
) -> WriteBundle:
    """The case's current assessment version as one bundle to confirmed contacts."""
    bundles = session.bundles
    return WriteBundle(
        runner,
        session,
        lambda: bundles.prepare_assessment(
            case_id, list(fingerprints), folder, share_audiences, note
        ),
        "writing the bundle",
    )


def hand_over(
    runner: TaskRunner, session: Session, case_id: str, fingerprint: str, folder: Path
) -> WriteBundle:
    """The whole case as a bundle to one confirmed contact (the case stays here too)."""
    bundles = session.bundles
    return WriteBundle(
        runner,
        session,
        lambda: bundles.prepare_handover(case_id, fingerprint, folder),
        "writing the handover bundle",
    )


def export_case(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    path: Path,
    passphrase: str | None,
    replace: bool = False,
) -> Change[Path]:
    """The whole case to a file protected by `passphrase`, or plain JSON when it is None;
    an existing file is replaced only with `replace` (the person agreed)."""
    exchange = session.exchange
    return Change(
        runner,
        lambda: exchange.export_case(case_id, path, passphrase=passphrase, replace=replace)[1],
        "exporting the case",
        NOTHING_SHOWN,
    )


def import_files(
    runner: TaskRunner,
    session: Session,
    paths: Iterable[Path],
    passphrases: Mapping[Path, str] | None = None,
    each: Callable[[FileOutcome], None] | None = None,
) -> Change[list[FileOutcome]]:
    """Import each file: a bundle through `session.bundles` (a refused one is set aside with
    its reason), any other file as a case file (each case in its own transaction), with its
    passphrase if `passphrases` holds one; a protected case file without one comes back as
    NEEDS_PASSPHRASE. `each` is told every outcome as it is known, on the worker thread (a
    queued signal's emit), so many files show progress."""
    paths = [Path(p) for p in paths]
    given = dict(passphrases or {})
    tell = each or (lambda _outcome: None)

    def work() -> list[FileOutcome]:
        from aim3desk.services.bundles import looks_like_bundle

        bundle_paths = [p for p in paths if looks_like_bundle(p)]
        from_bundles = dict(
            zip(bundle_paths, session.bundles.import_files(bundle_paths), strict=True)
        )
        outcomes = []
        for path in paths:
            if path in from_bundles:
                outcome = _bundle_outcome(path, from_bundles[path])
            else:
                outcome = _import_case_file(session, path, given.get(path))
            tell(outcome)
            outcomes.append(outcome)
        return outcomes

    return Change(
        runner,
        work,
        "importing the files",
        lambda outcomes: Changes(case_list=any(o.case_arrived for o in outcomes)),
    )


def _bundle_outcome(path: Path, outcome: ImportOutcome) -> FileOutcome:
    # A refusal's own sentence (the status already says it was set aside).
    message = str(outcome.refusal) if outcome.refusal is not None else outcome.message
    return FileOutcome(path, outcome.status, message, outcome.case is not None)


def _import_case_file(session: Session, path: Path, passphrase: str | None) -> FileOutcome:
    from aim3desk.services.errors import CaseFileError
    from aim3desk.services.exchange import NeedsPassphrase

    try:
        result = session.exchange.import_case(path, passphrase=passphrase)
    except NeedsPassphrase as exc:
        return FileOutcome(path, NEEDS_PASSPHRASE, str(exc))
    except CaseFileError as exc:
        return FileOutcome(path, NOT_IMPORTED, str(exc))
    versions = result.assessments
    return FileOutcome(
        path,
        IMPORTED,
        f"Case {result.case.reference} with {versions} assessment version"
        f"{'' if versions == 1 else 's'}: the case is now in your profile.",
        case_arrived=True,
    )
