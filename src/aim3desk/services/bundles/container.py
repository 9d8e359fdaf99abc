"""The plaintext inside a bundle's age encryption: a ZIP (stdlib `zipfile`) held in memory.

Built and read only in memory, so no plaintext member ever touches the disk on the way in or
out. Reading is strict: exactly the manifest, its signature and the members the manifest
lists, each within its stated size, or DamagedBundle.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from aim3desk.domain.bundle import (
    MANIFEST_NAME,
    MAX_MEMBERS,
    SIGNATURE_NAME,
    DamagedBundle,
    Manifest,
    document_to_manifest,
)
from aim3desk.domain.limits import MAX_BUNDLE_BYTES, MAX_MANIFEST_BYTES
from aim3desk.domain.outside_input import OutsideInputError, read_json
from aim3desk.services.json_schema import compile_schema

SCHEMA_FILE = "bundle-manifest-v1.schema.json"
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # members carry no time: the manifest has the one time
_DAMAGED = "This bundle is damaged or has been altered, so it was not opened."


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pack(manifest_json: bytes, signature: bytes, members: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in ((MANIFEST_NAME, manifest_json), (SIGNATURE_NAME, signature)):
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data)
        for name, data in members.items():
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


@dataclass(frozen=True)
class Unpacked:
    manifest_json: bytes
    signature: bytes
    members: dict[str, bytes]


@cache
def _validator() -> Any:
    schema = json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8"))
    return compile_schema(schema)


def unpack(plain: bytes) -> Unpacked:
    """The ZIP's manifest, signature and members; DamagedBundle for anything unexpected."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(plain))
        infos = archive.infolist()
        names = [i.filename for i in infos]
        total = sum(i.file_size for i in infos)
        if (
            len(infos) > MAX_MEMBERS + 2
            or len(set(names)) != len(names)
            or MANIFEST_NAME not in names
            or SIGNATURE_NAME not in names
            or total > MAX_BUNDLE_BYTES
            or archive.getinfo(MANIFEST_NAME).file_size > MAX_MANIFEST_BYTES
        ):
            raise DamagedBundle(_DAMAGED)
        data = {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise DamagedBundle(_DAMAGED) from None
    except zlib.error:  # a member's deflate stream is corrupt (zipfile does not wrap it)
        raise DamagedBundle(_DAMAGED) from None
    except NotImplementedError:  # an unknown compression method
        raise DamagedBundle(_DAMAGED) from None
    except RuntimeError:  # a member marked as password-protected
        raise DamagedBundle(_DAMAGED) from None
    manifest_json = data.pop(MANIFEST_NAME)
    signature = data.pop(SIGNATURE_NAME)
    return Unpacked(manifest_json, signature, data)


def parse_manifest(manifest_json: bytes) -> Manifest:
    """The manifest, checked against the published schema; DamagedBundle if it is not one."""
    try:
        document = read_json(manifest_json, "This bundle's manifest", MAX_MANIFEST_BYTES)
    except OutsideInputError as exc:
        raise DamagedBundle(f"{exc} The bundle was not opened.") from None
    if not isinstance(document, dict) or not _validator().is_valid(document):
        raise DamagedBundle(
            "This bundle's manifest does not follow the bundle format, so it was not opened."
        )
    return document_to_manifest(document)


def check_members(manifest: Manifest, members: Mapping[str, bytes]) -> None:
    """Exactly the listed members, each with its stated size and SHA-256."""
    if set(members) != {m.name for m in manifest.members}:
        raise DamagedBundle(
            "This bundle's contents do not match its manifest, so it was not opened."
        )
    for member in manifest.members:
        data = members[member.name]
        if len(data) != member.size or sha256_hex(data) != member.sha256:
            raise DamagedBundle(
                f"A part of this bundle ({member.name}) does not match its signed hash, so "
                "it was not opened."
            )
