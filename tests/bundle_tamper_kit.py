"""What the tamper tests share: a tiny real bundle between real profiles, ways to take it
apart and put it back (re-signed, re-encrypted) as an attacker holding some key could, and a
fingerprint of a profile's state to prove a refusal changed nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from aim3desk.domain.bundle import Author, BundleRefused, Manifest
from aim3desk.domain.cases import Case, LeadAgency, Requester, new_id
from aim3desk.security.identity import encrypt_to
from aim3desk.services.bundles.container import Unpacked, pack, parse_manifest, unpack
from aim3desk.services.session import Session
from bundle_people import introduce, new_person

TODAY = date(2025, 6, 1)
CHILD_NAME = "Fennimore Tamperproofson"
STORE_FILES = {"store.db", "store.db-wal", "store.db-shm"}


def tiny_case(reference: str = "TMP-0001") -> Case:
    return Case(
        id=new_id(),
        reference=reference,
        young_person_name=CHILD_NAME,
        date_of_birth=date(2011, 2, 3),
        lead_agency=LeadAgency.YOS,
        lead_worker="Odile Testwright",
        requested_by=Requester.CASE_WORKER,
        request_date=date(2025, 5, 1),
    )


@dataclass(repr=False)
class World:
    """Alex hands a tiny case over to Sam; Casey has confirmed Alex (a forwarding target);
    Mallory is a real profile nobody has confirmed."""

    alex: Session
    sam: Session
    casey: Session
    mallory: Session
    bundle: bytes

    def __repr__(self) -> str:  # hypothesis prints it: the bundle's bytes would swamp it
        return f"World(bundle of {len(self.bundle)} bytes)"

    def close(self) -> None:
        for session in (self.alex, self.sam, self.casey, self.mallory):
            session.close()

    def inner(self) -> Unpacked:
        return unpack(self.sam.identity.secret().decrypt(self.bundle))


def make_world(root: Path) -> World:
    alex = new_person(root, "Alex Inventedworker")
    sam = new_person(root, "Sam Madeupsupervisor", role="supervisor")
    casey = new_person(root, "Casey Fictionalperson")
    mallory = new_person(root, "Mallory Notconfirmed")
    case = alex.cases.add_case(tiny_case(), today=TODAY)
    sam_fp = introduce(alex, sam)
    introduce(sam, alex)
    introduce(casey, alex)
    introduce(sam, mallory, confirm=False)
    out = root / "sent"
    out.mkdir()
    bundle = alex.bundles.hand_over(case.reference, sam_fp, out).path.read_bytes()
    return World(alex, sam, casey, mallory, bundle)


def seal(plain: bytes, *readers: Session) -> bytes:
    """The ZIP encrypted to `readers`, as anyone holding their public keys can do."""
    return encrypt_to(plain, [r.identity.me().age_recipient for r in readers])


def signed_by(signer: Session, manifest_json: bytes) -> bytes:
    return signer.identity.secret().sign(manifest_json)


def as_author(manifest: Manifest, person: Session) -> Manifest:
    """The manifest claiming `person` as its author (their real public key and fingerprint)."""
    me = person.identity.me()
    return replace(
        manifest, author=Author(me.name, me.role.value, me.fingerprint, me.signing_key_text)
    )


def refusal_of(call: Callable[[bytes], object], data: bytes, where: str) -> str:
    """The class name of the BundleRefused `call(data)` raises; any other outcome fails."""
    try:
        call(data)
    except BundleRefused as refusal:
        return type(refusal).__name__
    except Exception as exc:  # the point: nothing but BundleRefused
        raise AssertionError(f"{where}: {type(exc).__name__} instead of a refusal") from exc
    raise AssertionError(f"{where}: the altered bundle was accepted")


def profile_state(session: Session) -> tuple:
    """Everything a refused bundle must leave as it was: the audit trail, the bundle log,
    the case list, and the files in the profile folder (the store's own files aside)."""
    entries = session.audit.entries()
    files = {
        str(p.relative_to(session.profile_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(session.profile_dir.rglob("*"))
        if p.is_file() and p.name not in STORE_FILES
    }
    return (
        len(entries),
        entries[-1].hash if entries else None,
        [(r.bundle_id, r.direction) for r in session.bundles.received()],
        [(c.id, c.reference) for c in session.cases.list_cases()],
        files,
    )


def repack(unpacked: Unpacked) -> bytes:
    return pack(unpacked.manifest_json, unpacked.signature, unpacked.members)


def manifest_of(unpacked: Unpacked) -> Manifest:
    return parse_manifest(unpacked.manifest_json)
