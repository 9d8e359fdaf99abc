"""A small real bundle, altered every way we could think of: each alteration is refused with a
BundleRefused (the right subclass where the cause is known), never another exception, and
leaves the receiving profile exactly as it was, with no plaintext written anywhere.

- every bit of the file flipped, and the file truncated at every offset (the full sweep is
  `slow`, run by `make test-slow`; the fast suite sweeps a strided sample);
- forwarded (re-encrypted to someone else), recipients swapped, an older version replayed;
- a ZIP with an extra or a missing member, or a member bigger than stated, signed by the real
  key, by an unconfirmed key, or by another key claiming the real author;
- manifests that do not follow the published schema, signed by the real key;
- random bytes and random mutations of a valid bundle (hypothesis).
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aim3desk.domain.bundle import (
    CASE_DOCUMENT_NAME,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    BundleRefused,
    DamagedBundle,
    NotAddressedToYou,
    OlderVersion,
    SignatureMismatch,
    UnconfirmedSigner,
    manifest_bytes,
)
from aim3desk.services.bundles import QUARANTINE_DIR_NAME
from aim3desk.services.bundles.container import Unpacked, pack
from bundle_people import introduce, new_person
from bundle_tamper_kit import (
    CHILD_NAME,
    TODAY,
    World,
    as_author,
    make_world,
    manifest_of,
    profile_state,
    refusal_of,
    repack,
    seal,
    signed_by,
    tiny_case,
)

# The version is not ready for supervision: finishing it needs a written reason.
UNREADY = "Finished early for this test"

SAMPLE_STRIDE = 13  # the fast suite: every 13th byte (each of its 8 bits), every 13th length


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    made = make_world(tmp_path_factory.mktemp("tamper"))
    yield made
    made.close()


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty temp folder that Python's tempfile uses for the test: it must stay empty."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_the_untouched_bundle_opens(world: World) -> None:
    opened = world.sam.bundles.open(world.bundle)
    assert set(opened.members) == {CASE_DOCUMENT_NAME}
    assert 1000 < len(world.bundle) < 8000, "keep the swept bundle small"


# -- every bit, every truncation --------------------------------------------------------------


def sweep(world: World, stride: int) -> tuple[Counter, Counter, int, int]:
    """Flip each bit of every `stride`-th byte and cut the file at every `stride`-th length;
    each version goes through both open() and import_bundle(). Refusal classes counted."""
    bundles, data = world.sam.bundles, world.bundle
    flips, cuts = Counter(), Counter()
    flipped = truncated = 0
    for offset in range(0, len(data), stride):
        for bit in range(8):
            altered = bytearray(data)
            altered[offset] ^= 1 << bit
            where = f"bit {bit} of byte {offset}"
            kind = refusal_of(bundles.open, bytes(altered), where)
            assert refusal_of(bundles.import_bundle, bytes(altered), where) == kind
            flips[kind] += 1
            flipped += 1
    for length in range(0, len(data), stride):
        where = f"cut to {length} of {len(data)} bytes"
        kind = refusal_of(bundles.open, data[:length], where)
        assert refusal_of(bundles.import_bundle, data[:length], where) == kind
        cuts[kind] += 1
        truncated += 1
    return flips, cuts, flipped, truncated


def check_sweep(world: World, private_tmp: Path, stride: int) -> None:
    before = profile_state(world.sam)
    started = time.perf_counter()
    flips, cuts, flipped, truncated = sweep(world, stride)
    took = time.perf_counter() - started
    size = len(world.bundle)
    assert flipped == 8 * len(range(0, size, stride)) and truncated == len(range(0, size, stride))
    if stride == 1:
        assert flipped == 8 * size and truncated == size
    assert sum(flips.values()) == flipped and sum(cuts.values()) == truncated
    # the age layer catches it first: its MACs cover every byte
    assert set(flips) <= {"DamagedBundle", "NotAddressedToYou"}
    assert set(cuts) <= {"DamagedBundle", "NotAddressedToYou"}
    assert profile_state(world.sam) == before
    assert list(private_tmp.iterdir()) == []
    print(
        f"\nbundle of {size} bytes, stride {stride}: {flipped} bit flips refused "
        f"{dict(flips)}, {truncated} truncations refused {dict(cuts)}, {took:.1f} s"
    )


def test_sampled_bit_flips_and_truncations_are_refused(world: World, private_tmp: Path) -> None:
    check_sweep(world, private_tmp, SAMPLE_STRIDE)


@pytest.mark.slow
def test_every_bit_flip_and_every_truncation_is_refused(world: World, private_tmp: Path) -> None:
    check_sweep(world, private_tmp, 1)


def test_an_import_of_altered_files_quarantines_only_the_encrypted_input(
    world: World, tmp_path: Path, private_tmp: Path
) -> None:
    data = world.bundle
    step = len(data) // 12
    altered = [data[:n] for n in range(0, len(data), step)]
    for offset in range(3, len(data), step):
        flipped = bytearray(data)
        flipped[offset] ^= 0x10
        altered.append(bytes(flipped))
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    paths = []
    for number, content in enumerate(altered):
        path = incoming / f"altered-{number:03}.aim3bundle"
        path.write_bytes(content)
        paths.append(path)
    sam = world.sam
    count, _, received, cases, files = profile_state(sam)
    quarantine = sam.profile_dir / QUARANTINE_DIR_NAME
    held_before = set(quarantine.iterdir()) if quarantine.exists() else set()

    outcomes = sam.bundles.import_files(paths)

    assert [o.status for o in outcomes] == ["quarantined"] * len(paths)
    assert all(isinstance(o.refusal, BundleRefused) for o in outcomes)
    after = profile_state(sam)
    assert after[0] == count + len(paths)
    assert {e.action for e in sam.audit.entries()[count:]} == {"bundle.quarantine"}
    assert (after[2], after[3]) == (received, cases)
    assert set(after[4]) - set(files) == {
        str(p.relative_to(sam.profile_dir))
        for p in set(quarantine.iterdir()) - held_before
        if p.is_file()
    }
    new = set(quarantine.iterdir()) - held_before
    copies = {o.quarantined_as for o in outcomes if o.quarantined_as is not None}
    notes = {p for p in new if p.name.endswith(".reason.txt")}
    assert new == copies | notes
    assert len(copies) == len(notes) == len(paths) - 1  # the empty file has nothing to keep
    for outcome in outcomes:
        if outcome.quarantined_as is not None:
            assert outcome.quarantined_as.read_bytes() == outcome.path.read_bytes()
    plaintext = world.inner().members[CASE_DOCUMENT_NAME]
    for note in notes:
        text = note.read_text("utf-8")
        assert CHILD_NAME not in text and "TMP-0001" not in text
        assert plaintext[:40].decode() not in text
    assert list(private_tmp.iterdir()) == []


# -- forwarded, recipients swapped, replayed ----------------------------------------------------


def test_a_forwarded_bundle_is_recognised(world: World) -> None:
    """Sam decrypts and re-encrypts Alex's signed bundle to Casey, who trusts Alex."""
    plain = world.sam.identity.secret().decrypt(world.bundle)
    before = profile_state(world.casey)
    forwarded = seal(plain, world.casey)
    with pytest.raises(NotAddressedToYou, match="forwarded"):
        world.casey.bundles.import_bundle(forwarded)
    # a bundle never encrypted to Casey does not open at all
    with pytest.raises(NotAddressedToYou, match="not addressed to you"):
        world.casey.bundles.open(world.bundle)
    assert profile_state(world.casey) == before


def test_swapped_recipients_break_the_signature(world: World) -> None:
    """Sam rewrites the signed recipient list to name Casey instead: Alex's signature no
    longer matches; re-signing it with Sam's own key while still naming Alex fails too."""
    inner = world.inner()
    casey_fp = world.casey.identity.me().fingerprint
    sam_fp = world.sam.identity.me().fingerprint
    manifest = manifest_of(inner)
    swapped = manifest_bytes(
        replace(
            manifest,
            recipients=tuple(casey_fp if r == sam_fp else r for r in manifest.recipients),
        )
    )
    for signature in (inner.signature, signed_by(world.sam, swapped)):
        forged = seal(pack(swapped, signature, inner.members), world.casey)
        with pytest.raises(SignatureMismatch, match="does not match"):
            world.casey.bundles.open(forged)


def test_an_older_version_replayed_is_refused(tmp_path: Path) -> None:
    alex = new_person(tmp_path, "Alex Inventedworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    try:
        case = alex.cases.add_case(tiny_case("TMP-0002"), today=TODAY)
        sam_fp = introduce(alex, sam)
        introduce(sam, alex)
        first = alex.bundles.export_assessment(case.reference, [sam_fp], tmp_path).path
        alex.assessments.finish(case.current_assessment.id, override_reason=UNREADY)
        alex.assessments.new_version(case.id)
        second = alex.bundles.export_assessment(case.reference, [sam_fp], tmp_path).path
        assert sam.bundles.import_bundle(second.read_bytes()).status == "imported"
        before = profile_state(sam)
        with pytest.raises(OlderVersion, match="older than"):
            sam.bundles.import_bundle(first.read_bytes())
        # the same version again is not a refusal, and changes nothing
        assert sam.bundles.import_bundle(second.read_bytes()).status == "already-held"
        assert profile_state(sam) == before
    finally:
        alex.close()
        sam.close()


# -- the ZIP and the manifest disagree, under each kind of signer ------------------------------


def _extra(inner: Unpacked) -> dict[str, bytes]:
    return {**inner.members, "report-full.pdf": b"%PDF-1.7 not listed in the manifest"}


def _missing(inner: Unpacked) -> dict[str, bytes]:
    return {}


def _bigger(inner: Unpacked) -> dict[str, bytes]:
    return {name: data + b" " for name, data in inner.members.items()}


def _swapped_content(inner: Unpacked) -> dict[str, bytes]:
    return {name: data.replace(b"Odile", b"Oddie") for name, data in inner.members.items()}


ZIP_CHANGES = {
    "extra member": _extra,
    "missing member": _missing,
    "member bigger than stated": _bigger,
    "member content changed": _swapped_content,
}


@pytest.mark.parametrize("change", list(ZIP_CHANGES))
@pytest.mark.parametrize(
    ("signer", "expected"),
    [
        ("original signature", DamagedBundle),
        ("real key, re-signed", DamagedBundle),
        ("unconfirmed key as its author", UnconfirmedSigner),
        ("unconfirmed key claiming the real author", SignatureMismatch),
    ],
)
def test_zip_members_that_disagree_with_the_manifest(
    world: World, change: str, signer: str, expected: type[BundleRefused]
) -> None:
    inner = world.inner()
    members = ZIP_CHANGES[change](inner)
    manifest = manifest_of(inner)
    if signer == "original signature":
        manifest_json, signature = inner.manifest_json, inner.signature
    elif signer == "real key, re-signed":
        manifest_json = manifest_bytes(replace(manifest, note="re-signed"))
        signature = signed_by(world.alex, manifest_json)
    elif signer == "unconfirmed key as its author":
        manifest_json = manifest_bytes(as_author(manifest, world.mallory))
        signature = signed_by(world.mallory, manifest_json)
    else:
        manifest_json = inner.manifest_json
        signature = signed_by(world.mallory, manifest_json)
    before = profile_state(world.sam)
    with pytest.raises(expected) as refused:
        world.sam.bundles.import_bundle(seal(pack(manifest_json, signature, members), world.sam))
    assert type(refused.value) is expected
    assert profile_state(world.sam) == before


@pytest.mark.parametrize("left_out", [MANIFEST_NAME, SIGNATURE_NAME])
def test_a_zip_without_its_manifest_or_signature(world: World, left_out: str) -> None:
    inner = world.inner()
    parts = {MANIFEST_NAME: inner.manifest_json, SIGNATURE_NAME: inner.signature}
    parts.pop(left_out)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in {**parts, **inner.members}.items():
            archive.writestr(name, data)
    with pytest.raises(DamagedBundle):
        world.sam.bundles.open(seal(buffer.getvalue(), world.sam))


def test_a_zip_header_that_understates_a_members_size(world: World) -> None:
    inner = world.inner()
    plain = bytearray(repack(inner))
    central = plain.rfind(b"PK\x01\x02")
    # the last central-directory entry is the case document: its uncompressed size field
    assert plain[central + 46 : central + 46 + len(CASE_DOCUMENT_NAME)] == b"case.json"
    size_at = central + 24
    stated = int.from_bytes(plain[size_at : size_at + 4], "little")
    plain[size_at : size_at + 4] = (stated // 2).to_bytes(4, "little")
    with pytest.raises(DamagedBundle):
        world.sam.bundles.open(seal(bytes(plain), world.sam))


def test_a_corrupt_deflate_stream_in_a_member(world: World) -> None:
    """zipfile lets zlib.error through for a garbled compressed member: still a refusal."""
    inner = world.inner()
    plain = bytearray(repack(inner))
    local = plain.find(b"PK\x03\x04")
    while plain[local + 30 : local + 30 + len(CASE_DOCUMENT_NAME)] != b"case.json":
        local = plain.find(b"PK\x03\x04", local + 4)
    name_length = int.from_bytes(plain[local + 26 : local + 28], "little")
    extra_length = int.from_bytes(plain[local + 28 : local + 30], "little")
    compressed = int.from_bytes(plain[local + 18 : local + 22], "little")
    start = local + 30 + name_length + extra_length
    # The middle of the stream: its last bytes may end in padding after the final block,
    # which the decoder never reads (a flip there leaves the member as it was).
    end = start + 3 * compressed // 4
    for offset in range(start + compressed // 4, end, max(compressed // 16, 1)):
        garbled = bytearray(plain)
        garbled[offset] ^= 0x01
        with pytest.raises(DamagedBundle):
            world.sam.bundles.open(seal(bytes(garbled), world.sam))


# -- manifests outside the published schema, signed by the real key ---------------------------


def _edit(text: bytes, old: bytes, new: bytes) -> bytes:
    assert old in text, old
    return text.replace(old, new, 1)


SCHEMA_BREAKS = {
    "an unknown field": lambda m: _edit(m, b'  "note"', b'  "extra": 1,\n  "note"'),
    "a later format version": lambda m: _edit(m, b'"version": 1', b'"version": 2'),
    "an unknown kind": lambda m: _edit(m, b'"kind": "handover"', b'"kind": "gift"'),
    "no members": lambda m: (
        m[: m.index(b'"members"')] + b'"members": [],' + m[m.index(b'"note"') :]
    ),
    "a member name with a path": lambda m: _edit(m, b'"name": "case.json"', b'"name": "../x"'),
    "an upper-case hash": lambda m: _edit(m, b'"sha256": "', b'"sha256": "A'),
    "a bad fingerprint": lambda m: _edit(m, b'"fingerprint": "', b'"fingerprint": "I'),
    "not JSON": lambda m: m[:-5],
    "a JSON list": lambda m: b"[" + m + b"]",
    "not UTF-8": lambda m: _edit(m, b'"note": ""', b'"note": "\xff"'),
    "a member listed twice": lambda m: _edit(
        m, b'  "members": [\n', b'  "members": [\n' + _member_entry(m) + b",\n"
    ),
}


def _member_entry(manifest_json: bytes) -> bytes:
    start = manifest_json.index(b"    {", manifest_json.index(b'"members"'))
    end = manifest_json.index(b"    }", start) + len(b"    }")
    return manifest_json[start:end]


@pytest.mark.parametrize("breakage", list(SCHEMA_BREAKS))
def test_a_manifest_outside_the_schema_signed_by_the_real_key(world: World, breakage: str) -> None:
    inner = world.inner()
    manifest_json = SCHEMA_BREAKS[breakage](inner.manifest_json)
    assert manifest_json != inner.manifest_json
    plain = pack(manifest_json, signed_by(world.alex, manifest_json), inner.members)
    before = profile_state(world.sam)
    with pytest.raises(DamagedBundle) as refused:
        world.sam.bundles.import_bundle(seal(plain, world.sam))
    assert type(refused.value) is DamagedBundle
    assert profile_state(world.sam) == before


# -- fuzzing ---------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
mutations = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "overwrite"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=8),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, steps: list[tuple[str, float, bytes]]) -> bytes:
    out = bytearray(data)
    for op, where, chunk in steps:
        at = min(int(where * len(out)), max(len(out) - 1, 0))
        if op == "flip" and out:
            out[at] ^= chunk[0] or 1
        elif op == "insert":
            out[at:at] = chunk
        elif op == "delete":
            del out[at : at + len(chunk)]
        else:
            out[at : at + len(chunk)] = chunk
    return bytes(out)


@FUZZ
@given(data=st.binary(max_size=4096), with_header=st.booleans())
def test_random_bytes_are_refused(world: World, data: bytes, with_header: bool) -> None:
    if with_header:
        data = b"age-encryption.org/v1\n" + data
    refusal_of(world.sam.bundles.open, data, "random bytes")


@FUZZ
@given(steps=mutations)
def test_a_mutated_bundle_is_refused(world: World, steps: list) -> None:
    altered = mutate(world.bundle, steps)
    if altered != world.bundle:
        refusal_of(world.sam.bundles.open, altered, f"mutations {steps}")


@FUZZ
@given(steps=mutations)
def test_a_mutated_zip_inside_valid_encryption_is_refused_or_unchanged(
    world: World, steps: list
) -> None:
    """Past the age layer (re-encrypted to Sam), only the ZIP and manifest checks stand:
    a mutation either is refused or changes nothing that is read (a ZIP field nobody reads)."""
    inner = world.inner()
    altered = mutate(repack(inner), steps)
    try:
        opened = world.sam.bundles.open(seal(altered, world.sam))
    except BundleRefused:
        return
    assert opened.members == inner.members
    assert manifest_bytes(opened.manifest) == inner.manifest_json


@FUZZ
@given(steps=mutations)
def test_a_mutated_manifest_signed_by_the_real_key_is_refused_or_well_formed(
    world: World, steps: list
) -> None:
    """The author's own key signing a garbled manifest: refused, or a manifest that follows
    the schema (so every field was checked) and whose members still match."""
    inner = world.inner()
    manifest_json = mutate(inner.manifest_json, steps)
    plain = pack(manifest_json, signed_by(world.alex, manifest_json), inner.members)
    try:
        opened = world.sam.bundles.open(seal(plain, world.sam))
    except BundleRefused:
        return
    assert opened.members == inner.members
