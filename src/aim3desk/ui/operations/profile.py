"""Operations on the profile itself: set it up, unlock it (with the passphrase or the recovery
key), change the passphrase, read the forms, lock it. None of them is seen by an open view, so
the changes they publish are empty.

This module is imported before the first window shows: it must not import the services (and so
SQLAlchemy or cryptography) at module level."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.domain.forms import FormSet
    from aim3desk.services.audit_log import AuditCheck
    from aim3desk.services.profile import KdfParams, ProfileService
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner

ProfileOf = Callable[[], "ProfileService"]  # builds the service on the worker at first use
NOTHING_SHOWN = Changes()


def prepare_profile(runner: TaskRunner, profile: ProfileOf) -> Query[ProfileService]:
    """Import the heavy modules on the worker while the person types their passphrase."""
    return Query(runner, profile, "starting AIM3 Desk")


def check_audit_trail(runner: TaskRunner, session: Session) -> Query[AuditCheck]:
    """Walk the audit trail end to end; queued after the case list, so it never delays it."""
    audit = session.audit
    return Query(runner, audit.verify, "checking the audit trail")


def create_profile(
    runner: TaskRunner, profile: ProfileOf, passphrase: str, name: str, kdf: KdfParams | None
) -> Change[tuple[Session, str]]:
    return Change(
        runner,
        lambda: profile().create(passphrase, name, kdf=kdf),
        "creating your profile",
        NOTHING_SHOWN,
    )


def unlock(runner: TaskRunner, profile: ProfileOf, passphrase: str) -> Change[Session]:
    return Change(
        runner, lambda: profile().unlock(passphrase), "unlocking your profile", NOTHING_SHOWN
    )


def unlock_with_recovery_key(
    runner: TaskRunner, profile: ProfileOf, recovery_key: str, new_passphrase: str
) -> Change[Session]:
    return Change(
        runner,
        lambda: profile().unlock_with_recovery(recovery_key, new_passphrase),
        "unlocking with the recovery key",
        NOTHING_SHOWN,
    )


def change_passphrase(runner: TaskRunner, session: Session, current: str, new: str) -> Change[None]:
    return Change(
        runner,
        lambda: session.change_passphrase(current, new),
        "changing your passphrase",
        NOTHING_SHOWN,
    )


def lock(runner: TaskRunner, session: Session) -> Change[None]:
    """Close the store and wipe the key."""
    return Change(runner, session.close, "locking your profile", NOTHING_SHOWN)


def read_forms(runner: TaskRunner, licensed_file: str) -> Query[tuple[FormSet, str]]:
    return Query(runner, lambda: load_forms(licensed_file), "reading the forms")


def load_forms(licensed_file: str) -> tuple[FormSet, str]:
    """The shipped forms, with the organisation's licensed file if set. A licensed file that
    cannot be used is reported and the shipped forms are used (the app stays usable)."""
    from aim3desk.domain.forms import FormError
    from aim3desk.services.forms_loader import load_form_set

    if not licensed_file:
        return load_form_set(), ""
    try:
        return load_form_set(licensed_file=Path(licensed_file)), ""
    except FormError as exc:
        return load_form_set(), (
            f"Your organisation's form file could not be used, so the shipped forms are used "
            f"instead. {exc}"
        )
