"""A bundle: one signed, encrypted file carrying an assessment version (or a whole case handed
over) from one person to named others. docs/bundle-format.md describes the file.

Inside the age encryption is a ZIP holding `manifest.json`, `manifest.sig` (the author's raw
64-byte Ed25519 signature over the exact bytes of manifest.json) and the members the
manifest lists. Signed first, then encrypted, with the recipients' fingerprints inside the
signed manifest: a recipient who re-encrypts the bundle to someone else cannot hide that it
was addressed to them (the "surreptitious forwarding" weakness of naive sign-then-encrypt).

This module is pure: the manifest's fields, its JSON form, and the rules an import applies
(is it addressed to me, is it older than what I hold). Each refusal is its own error class
with a sentence for a person.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum

from aim3desk.domain.cases import safe_reference

BUNDLE_FORMAT = "aim3desk-bundle"
BUNDLE_VERSION = 1
BUNDLE_SUFFIX = ".aim3bundle"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
CASE_DOCUMENT_NAME = "case.json"
MAX_MEMBERS = 32
MEMBER_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{0,63}")


class BundleKind(StrEnum):
    ASSESSMENT = "assessment"  # a version sent for review or information
    HANDOVER = "handover"  # a whole case moving to another practitioner
    REVIEW = "review"  # a supervisor's review of one assessment version (domain/review.py)


class MemberKind(StrEnum):
    REPORT = "report"
    CASE_DOCUMENT = "case-document"
    REVIEW = "review"  # review.json


def report_member_name(audience: str) -> str:
    return f"report-{audience}.pdf"


# -- refusals -------------------------------------------------------------------------------


class BundleRefused(Exception):  # noqa: N818 - reads as what happened
    """A bundle was not opened or imported; str() is one sentence for a person, and
    `reason` a short stable code (quarantine notes, audit entries, tests)."""

    reason = "refused"


class DamagedBundle(BundleRefused):
    reason = "damaged"


class NotAddressedToYou(BundleRefused):
    reason = "not-addressed"


class UnconfirmedSigner(BundleRefused):
    reason = "unconfirmed-signer"


class SignatureMismatch(BundleRefused):
    reason = "bad-signature"


class OlderVersion(BundleRefused):
    reason = "older-version"


# -- the manifest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str
    kind: MemberKind
    sha256: str
    size: int
    audience: str | None = None  # a report's audience ("full", "police", ...)


@dataclass(frozen=True)
class Author:
    name: str
    role: str
    fingerprint: str
    signing_key: str  # base64 of the Ed25519 public key (openssl needs it as PEM)


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    kind: BundleKind
    created: str  # UTC ISO-8601
    author: Author
    recipients: tuple[str, ...]  # fingerprints, the author's included
    case_id: str
    case_reference: str
    members: tuple[Member, ...]
    assessment_id: str | None = None
    assessment_version: int | None = None
    finished: bool | None = None
    supersedes: str | None = None  # the bundle id of the author's previous bundle of the case
    escrow_recipient: str | None = None  # the organisation's age key when policy names one
    note: str = ""

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)

    @property
    def reports(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.kind is MemberKind.REPORT)

    @property
    def title(self) -> str:
        if self.kind is BundleKind.HANDOVER:
            return f"Handover of case {self.case_reference}"
        if self.kind is BundleKind.REVIEW:
            return f"Review of case {self.case_reference}, version {self.assessment_version}"
        return f"Case {self.case_reference}, assessment version {self.assessment_version}"


def manifest_to_document(manifest: Manifest) -> dict:
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "bundle_id": manifest.bundle_id,
        "kind": manifest.kind.value,
        "created": manifest.created,
        "author": {
            "name": manifest.author.name,
            "role": manifest.author.role,
            "fingerprint": manifest.author.fingerprint,
            "signing_key": manifest.author.signing_key,
        },
        "recipients": list(manifest.recipients),
        "escrow_recipient": manifest.escrow_recipient,
        "case": {"id": manifest.case_id, "reference": manifest.case_reference},
        "assessment": None
        if manifest.assessment_id is None
        else {
            "id": manifest.assessment_id,
            "version": manifest.assessment_version,
            "finished": manifest.finished,
        },
        "supersedes": manifest.supersedes,
        "note": manifest.note,
        "members": [
            {
                "name": m.name,
                "kind": m.kind.value,
                "audience": m.audience,
                "sha256": m.sha256,
                "size": m.size,
            }
            for m in manifest.members
        ],
    }


def manifest_bytes(manifest: Manifest) -> bytes:
    """The exact bytes that are signed and stored as manifest.json."""
    text = json.dumps(manifest_to_document(manifest), indent=2, sort_keys=True, ensure_ascii=True)
    return (text + "\n").encode("ascii")


def document_to_manifest(document: dict) -> Manifest:
    """A manifest from a document that has passed the published JSON schema."""
    author = document["author"]
    assessment = document.get("assessment") or {}
    members = tuple(
        Member(
            name=m["name"],
            kind=MemberKind(m["kind"]),
            sha256=m["sha256"],
            size=m["size"],
            audience=m.get("audience"),
        )
        for m in document["members"]
    )
    names = [m.name for m in members]
    if len(set(names)) != len(names) or {MANIFEST_NAME, SIGNATURE_NAME} & set(names):
        raise DamagedBundle("This bundle is damaged: its manifest lists a member twice.")
    return Manifest(
        bundle_id=document["bundle_id"],
        kind=BundleKind(document["kind"]),
        created=document["created"],
        author=Author(author["name"], author["role"], author["fingerprint"], author["signing_key"]),
        recipients=tuple(document["recipients"]),
        case_id=document["case"]["id"],
        case_reference=document["case"]["reference"],
        members=members,
        assessment_id=assessment.get("id"),
        assessment_version=assessment.get("version"),
        finished=assessment.get("finished"),
        supersedes=document.get("supersedes"),
        escrow_recipient=document.get("escrow_recipient"),
        note=document.get("note", ""),
    )


# -- the rules an import applies -----------------------------------------------------------


def check_addressed_to(manifest: Manifest, fingerprint: str) -> None:
    """The bundle opened with our key; the signed recipient list must name us too, or it
    was re-encrypted to us by one of its real recipients (forwarded)."""
    if fingerprint in manifest.recipients or fingerprint == manifest.author.fingerprint:
        return
    raise NotAddressedToYou(
        f"This bundle is not addressed to you: {manifest.author.name} sent it to "
        f"{len(manifest.recipients)} other person(s), and someone has forwarded it to you. "
        "It was not imported; ask its author to send it to you."
    )


def check_not_older(manifest: Manifest, newest_held: int | None) -> None:
    """Refuse an assessment version older than one already received from the same author."""
    version = manifest.assessment_version
    if newest_held is None or version is None or version >= newest_held:
        return
    raise OlderVersion(
        f"This bundle holds version {version} of case {manifest.case_reference}, older than "
        f"version {newest_held} you already have from {manifest.author.name}; it was not "
        "imported."
    )


def bundle_file_name(manifest: Manifest) -> str:
    """A file name with the case reference and version, never the young person's name."""
    short = manifest.bundle_id[:8]
    reference = safe_reference(manifest.case_reference)  # may hold slashes
    if manifest.kind is BundleKind.HANDOVER:
        return f"{reference}-handover-{short}{BUNDLE_SUFFIX}"
    if manifest.kind is BundleKind.REVIEW:
        return f"{reference}-v{manifest.assessment_version}-review-{short}{BUNDLE_SUFFIX}"
    return f"{reference}-v{manifest.assessment_version}-{short}{BUNDLE_SUFFIX}"
