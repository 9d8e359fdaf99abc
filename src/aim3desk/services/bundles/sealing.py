"""Sealing a bundle in memory: the members listed with their hashes, the manifest signed,
everything packed into the ZIP and encrypted to the recipients, the author and escrow."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from aim3desk.domain.bundle import CASE_DOCUMENT_NAME, Member, MemberKind, manifest_bytes
from aim3desk.domain.review import REVIEW_MEMBER_NAME
from aim3desk.security.identity import encrypt_to
from aim3desk.services.bundles.container import pack, sha256_hex
from aim3desk.services.bundles.values import PreparedBundle, SealedBundle

_DOCUMENT_KINDS = {
    CASE_DOCUMENT_NAME: MemberKind.CASE_DOCUMENT,
    REVIEW_MEMBER_NAME: MemberKind.REVIEW,
}


def members_of(members: dict[str, bytes]) -> tuple[Member, ...]:
    """The manifest's list of members: a report's audience comes from its name."""
    listed = []
    for name, data in members.items():
        kind = _DOCUMENT_KINDS.get(name, MemberKind.REPORT)
        audience = (
            name.removeprefix("report-").removesuffix(".pdf") if kind is MemberKind.REPORT else None
        )
        listed.append(Member(name, kind, sha256_hex(data), len(data), audience))
    return tuple(listed)


def seal(prepared: PreparedBundle, members: dict[str, bytes]) -> SealedBundle:
    manifest = replace(prepared.template, members=members_of(members))
    signed = manifest_bytes(manifest)
    secret = prepared.secret
    plain = pack(signed, secret.sign(signed), members)
    keys = [c.identity.age_recipient for c in prepared.recipients] + [secret.age_recipient]
    if manifest.escrow_recipient:
        keys.append(manifest.escrow_recipient)
    sealed = encrypt_to(plain, keys)
    return SealedBundle(
        manifest,
        signed,
        sealed,
        hashlib.sha256(sealed).hexdigest(),
        prepared.recipients,
        prepared.action,
    )
