"""Two (or more) real profiles that know each other: the set-up of the bundle tests.

Each person is a real encrypted profile in a temp folder; cards are exchanged as files and
confirmed the way a person would after comparing fingerprints.
"""

from __future__ import annotations

from pathlib import Path

from aim3desk.config import load_settings
from aim3desk.security.keyfile import KdfParams
from aim3desk.services.profile import ProfileService
from aim3desk.services.session import Session

FAST_KDF = KdfParams(8192, 1, 1)
PASSPHRASE = "correct horse battery staple 42"


def new_person(root: Path, name: str, role: str = "practitioner") -> Session:
    folder = root / name.split()[0].lower()
    service = ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF)
    session, _recovery = service.create(PASSPHRASE, name, role=role)
    return session


def reopen(session: Session) -> Session:
    folder = session.profile_dir
    session.close()
    return ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF).unlock(PASSPHRASE)


def introduce(reader: Session, owner: Session, confirm: bool = True) -> str:
    """`reader` adds `owner`'s card (as a file) and, if asked, confirms it; the fingerprint."""
    card = owner.identity.write_card(
        reader.profile_dir.parent / f"{owner.profile_id}.aim3card", replace=True
    )
    added = reader.identity.add_card_file(card)
    if confirm:
        reader.identity.confirm(added.contact.fingerprint)
    return added.contact.fingerprint
