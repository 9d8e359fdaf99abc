"""Changes to the key file, each recorded in the audit trail: a passphrase change, a recovery
reset, an escrow seal.

The key file and the store are two files, so no one transaction covers both. The order is:
1. One store transaction commits the change's audit entry together with a profile fact naming
   the key file it is about to install (its fingerprint: short hashes of the public parts of
   each slot, nothing secret).
2. The key file is installed (security/key_copies.py: backup first, then the switch).
3. A second transaction records that key file as the one installed (the install runs inside
   it, under the profile's write lock).
A kill after 1 but before the switch leaves an entry for a change that did not happen; a kill
after the switch, a change whose entry is already there. Either way the next unlock
reconciles (``reconcile``, inside the unlock's own transaction): the fingerprint of the key
file that opened is compared with the one the store expects, and
- the announced change is in place: it is recorded as installed, nothing more to say;
- the announced change is not: `key_file.change_not_made` follows its entry;
- the key file differs from the one last recorded with no change announced (a copy restored
  from a backup, or a profile from before this record was kept was changed):
  `key_file.changed_unrecorded`, naming which parts differ.
So the trail never claims a change that is not in the key file without saying so, and never
misses one that is.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from aim3desk.security.keyfile import KeyFile
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

__all__ = [
    "CHANGED_UNRECORDED_ACTION",
    "CHANGE_NOT_MADE_ACTION",
    "INSTALLED_FACT",
    "PENDING_FACT",
    "change_key_file",
    "install_announced",
    "reconcile",
    "record_installed",
]

log = logging.getLogger(__name__)

INSTALLED_FACT = "key_file_installed"  # fingerprint of the key file last known on disk
PENDING_FACT = "key_file_pending"  # fingerprint of an announced change not yet confirmed
CHANGE_NOT_MADE_ACTION = "key_file.change_not_made"
CHANGED_UNRECORDED_ACTION = "key_file.changed_unrecorded"

Record = Callable[[StoreWriter], None]


def announce(tx: StoreWriter, draft: KeyFile) -> None:
    """Inside the transaction holding the change's audit entry: name the key file about to
    be installed."""
    tx.set_profile_fact(PENDING_FACT, draft.fingerprint)


def record_installed(tx: StoreWriter, keyfile: KeyFile) -> None:
    tx.set_profile_fact(INSTALLED_FACT, keyfile.fingerprint)
    tx.set_profile_fact(PENDING_FACT, "")


def install_announced(uow: UnitOfWork, draft: KeyFile, actor: str) -> None:
    """Install a draft whose change has been audited and announced, then record it as
    installed. If the install fails the change is reconciled at once (its entry is followed
    by `key_file.change_not_made`) and the error raised."""
    try:
        # Inside a write, so the profile's write lock (across processes) covers the key file
        # too: two windows never install at once.
        with uow.write() as tx:
            draft.install()
            record_installed(tx, draft)
    except BaseException:
        try:
            with uow.write() as tx:
                reconcile(tx, KeyFile.load(draft.path), actor)
        except Exception:  # the next unlock reconciles instead
            log.warning("key file change not reconciled after a failed install")
        raise


def change_key_file(uow: UnitOfWork, draft: KeyFile, actor: str, record: Record) -> None:
    """Audit a key file change (`record` writes its entry), then install it (the module's
    notes give the order and what a kill at each moment leaves)."""
    with uow.write() as tx:
        record(tx)
        announce(tx, draft)
    install_announced(uow, draft, actor)


def _parts(fingerprint: str) -> dict[str, str]:
    try:
        parts = json.loads(fingerprint)
    except ValueError:
        return {}
    return parts if isinstance(parts, dict) else {}


def _differing(before: str, after: str) -> list[str]:
    old, new = _parts(before), _parts(after)
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


def _record(
    tx: StoreWriter, actor: str, keyfile: KeyFile, action: str, before: str, after: str
) -> None:
    """An entry naming the parts (passphrase, recovery, escrow) that differ."""
    tx.audit(actor, action, keyfile.profile_id, {"parts": _differing(before, after)})


def reconcile(tx: StoreWriter, keyfile: KeyFile, actor: str) -> None:
    """Bring the store's record of the key file in line with `keyfile`, the one that just
    opened, auditing any difference (see the module's notes)."""
    facts = tx.profile_facts()
    current = keyfile.fingerprint
    installed = facts.get(INSTALLED_FACT, "")
    pending = facts.get(PENDING_FACT, "")
    if pending:
        if pending == current:
            installed = current  # the announced change is in place; its entry says so
        else:
            _record(tx, actor, keyfile, CHANGE_NOT_MADE_ACTION, current, pending)
    if installed and installed != current:
        _record(tx, actor, keyfile, CHANGED_UNRECORDED_ACTION, installed, current)
    if pending or installed != current:
        record_installed(tx, keyfile)
