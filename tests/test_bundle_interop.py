"""The standard tools open and check what AIM3 Desk writes, as IT would without the app: the
Debian `age` command decrypts a bundle with an identity exported from a profile (or the
organisation's escrow identity) and a passphrase-protected export with its passphrase;
`python3 -m zipfile` unpacks it; `openssl pkeyutl -verify -rawin` checks the manifest's
signature with the author's PEM key; `sha256sum` matches each member to the manifest.

docs/deployment.md ("Opening a bundle without AIM3 Desk", "Organisation escrow") gives the same
commands. `age` and `openssl` come with scripts/system-deps.sh (base), so a missing one is a
failure here, never a skip.
"""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aim3desk.services.exchange import parse_export_bytes
from aim3desk.services.session import Session
from bundle_people import introduce, new_person
from bundle_tamper_kit import CHILD_NAME, TODAY, tiny_case

EXPORT_PASSPHRASE = "plum orchard lantern 1987"
DEBIAN_PACKAGE = {"age": "age", "age-keygen": "age", "openssl": "openssl", "sha256sum": "coreutils"}


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"`{name}` is not installed: scripts/system-deps.sh installs the Debian package "
            f"'{DEBIAN_PACKAGE[name]}' (this test checks the real tool, so it does not skip)"
        )
    return found


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)


def age_decrypt(identity: Path, source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return run(tool("age"), "--decrypt", "-i", identity, "-o", out, source)


def unzip(archive: Path, folder: Path) -> dict[str, Path]:
    """`python3 -m zipfile -e`: the unpacker every machine with Python has."""
    done = run(sys.executable, "-m", "zipfile", "-e", archive, folder)
    assert done.returncode == 0, done.stderr
    return {p.name: p for p in folder.iterdir()}


def openssl_verify(pem: Path, manifest: Path, signature: Path) -> subprocess.CompletedProcess:
    return run(
        tool("openssl"), "pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin",
        "-in", manifest, "-sigfile", signature,
    )  # fmt: skip


def sha256sum(path: Path) -> str:
    done = run(tool("sha256sum"), path)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[0]


def age_decrypt_with_passphrase(source: Path, out: Path, passphrase: str) -> tuple[int, str]:
    """age reads a passphrase only from a terminal: give it one (a pseudo-terminal as its
    standard input) and type the passphrase when it asks."""
    primary, secondary = pty.openpty()
    child = subprocess.Popen(
        [tool("age"), "--decrypt", "-o", str(out), str(source)],
        stdin=secondary, stdout=secondary, stderr=secondary, start_new_session=True,
    )  # fmt: skip
    os.close(secondary)
    transcript, typed = b"", False
    try:
        while True:
            ready, _, _ = select.select([primary], [], [], 120)
            if not ready:  # a guard against hanging the suite, not a timing check
                child.send_signal(signal.SIGKILL)
                pytest.fail(f"age did not finish; it printed {transcript!r}")
            try:
                chunk = os.read(primary, 1024)
            except OSError:  # the terminal closed: age has exited
                break
            if not chunk:
                break
            transcript += chunk
            if not typed and b"passphrase" in transcript.lower():
                os.write(primary, passphrase.encode() + b"\n")
                typed = True
    finally:
        os.close(primary)
    return child.wait(), transcript.decode("utf-8", "replace")


@pytest.fixture
def people(tmp_path: Path):
    made: list[Session] = []

    def person(name: str, role: str = "practitioner") -> Session:
        made.append(new_person(tmp_path, name, role))
        return made[-1]

    yield person
    for session in made:
        session.close()


def test_age_opens_a_bundle_and_openssl_verifies_its_manifest(people, tmp_path: Path) -> None:
    alex, sam = people("Alex Inventedworker"), people("Sam Madeupsupervisor", "supervisor")
    casey = people("Casey Fictionalperson")
    case = alex.cases.add_case(tiny_case(), today=TODAY)
    alex_fp, sam_fp = introduce(sam, alex), introduce(alex, sam)
    bundle = alex.bundles.export_assessment(
        case.reference, [sam_fp], tmp_path, share_audiences=["police"]
    ).path

    # IT: `aim3desk identity export-age-key --out sam.agekey` on Sam's profile, then age
    key = sam.identity.export_age_key(tmp_path / "sam.agekey")
    decrypted = age_decrypt(key, bundle, tmp_path / "bundle.zip")
    assert decrypted.returncode == 0, decrypted.stderr
    files = unzip(tmp_path / "bundle.zip", tmp_path / "bundle")
    members = {"report-full.pdf", "report-police.pdf", "case.json"}
    assert set(files) == {"manifest.json", "manifest.sig", *members}
    assert files["report-full.pdf"].read_bytes().startswith(b"%PDF")
    assert CHILD_NAME in files["case.json"].read_text("utf-8")

    # the author's PEM as Sam's contact list holds it (`aim3desk contacts list --json`), the
    # same as Alex's own (`aim3desk identity show --json`)
    pem = tmp_path / "alex.pem"
    pem.write_text(sam.identity.signing_key_pem(alex_fp), "ascii")
    assert pem.read_text("ascii") == alex.identity.signing_key_pem()
    verified = openssl_verify(pem, files["manifest.json"], files["manifest.sig"])
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Signature Verified Successfully" in verified.stdout

    manifest = json.loads(files["manifest.json"].read_bytes())
    assert manifest["author"]["fingerprint"] == alex_fp
    assert set(manifest["recipients"]) == {alex_fp, sam_fp}
    assert {m["name"] for m in manifest["members"]} == members
    for member in manifest["members"]:
        path = files[member["name"]]
        assert sha256sum(path) == member["sha256"] and path.stat().st_size == member["size"]

    # the manifest edited (its note): openssl says no
    altered = tmp_path / "altered-manifest.json"
    altered.write_bytes(files["manifest.json"].read_bytes().replace(b'"note": ""', b'"note": "!"'))
    refused = openssl_verify(pem, altered, files["manifest.sig"])
    assert refused.returncode != 0 and "Signature Verification Failure" in refused.stdout
    # the right manifest against someone else's key: no
    sam_pem = tmp_path / "sam.pem"
    sam_pem.write_text(sam.identity.signing_key_pem(), "ascii")
    assert openssl_verify(sam_pem, files["manifest.json"], files["manifest.sig"]).returncode != 0

    # the author can open their own bundle; someone it was not sent to cannot
    own_key = alex.identity.export_age_key(tmp_path / "alex.agekey")
    assert age_decrypt(own_key, bundle, tmp_path / "own.zip").returncode == 0
    stranger = age_decrypt(
        casey.identity.export_age_key(tmp_path / "casey.agekey"), bundle, tmp_path / "x.zip"
    )
    assert stranger.returncode != 0 and "no identity matched" in stranger.stderr
    assert not (tmp_path / "x.zip").exists() or (tmp_path / "x.zip").stat().st_size == 0
    # age itself refuses an altered or truncated bundle
    for number, damaged in enumerate([bundle.read_bytes()[:-20], _flipped(bundle.read_bytes())]):
        copy = tmp_path / f"damaged-{number}.aim3bundle"
        copy.write_bytes(damaged)
        assert age_decrypt(key, copy, tmp_path / f"damaged-{number}.zip").returncode != 0


def _flipped(data: bytes) -> bytes:
    middle = bytearray(data)
    middle[len(data) // 2] ^= 0x04
    return bytes(middle)


def test_age_opens_a_passphrase_protected_export(people, tmp_path: Path) -> None:
    alex = people("Alex Inventedworker")
    case = alex.cases.add_case(tiny_case(), today=TODAY)
    _, path = alex.exchange.export_case(case.reference, tmp_path / "case.age", EXPORT_PASSPHRASE)
    assert CHILD_NAME.encode() not in path.read_bytes()

    status, transcript = age_decrypt_with_passphrase(
        path, tmp_path / "case.json", EXPORT_PASSPHRASE
    )
    assert status == 0, transcript
    plain = (tmp_path / "case.json").read_bytes()
    assert CHILD_NAME in plain.decode("utf-8")
    exported = parse_export_bytes(plain, TODAY)
    assert exported.case.reference == case.reference
    assert json.loads(plain)["case"]["reference"] == case.reference


def test_the_escrow_identity_from_policy_opens_every_bundle(
    people, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    escrow_key = tmp_path / "escrow.agekey"
    made = run(tool("age-keygen"), "-o", escrow_key)
    assert made.returncode == 0, made.stderr
    public = run(tool("age-keygen"), "-y", escrow_key).stdout.strip()
    assert public.startswith("age1")
    policy = tmp_path / "policy.toml"
    policy.write_text(
        f'locked = ["escrow_recipient"]\n\n[settings]\nescrow_recipient = "{public}"\n'
    )
    monkeypatch.setenv("AIM3DESK_POLICY", str(policy))

    alex, sam = people("Alex Inventedworker"), people("Sam Madeupsupervisor", "supervisor")
    case = alex.cases.add_case(tiny_case(), today=TODAY)
    sam_fp = introduce(alex, sam)
    exported = alex.bundles.hand_over(case.reference, sam_fp, tmp_path)
    assert exported.manifest.escrow_recipient == public

    decrypted = age_decrypt(escrow_key, exported.path, tmp_path / "escrowed.zip")
    assert decrypted.returncode == 0, decrypted.stderr
    files = unzip(tmp_path / "escrowed.zip", tmp_path / "escrowed")
    manifest = json.loads(files["manifest.json"].read_bytes())
    assert manifest["escrow_recipient"] == public
    assert CHILD_NAME in files["case.json"].read_text("utf-8")
    pem = tmp_path / "alex.pem"
    pem.write_text(alex.identity.signing_key_pem(), "ascii")
    assert openssl_verify(pem, files["manifest.json"], files["manifest.sig"]).returncode == 0


def test_an_age_keygen_key_opens_the_escrow_slot_and_recovers_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IT's key as `age-keygen` writes it: `age` opens the profile's escrow slot on its own,
    and `aim3desk escrow recover` takes the same file (docs/deployment.md)."""
    import base64

    from aim3desk import cli
    from aim3desk.security.keyfile import KeyFile
    from escrow_people import NEW_PASSPHRASE, new_profile, service, set_policy

    escrow_key = tmp_path / "escrow.agekey"
    assert run(tool("age-keygen"), "-o", escrow_key).returncode == 0
    public = run(tool("age-keygen"), "-y", escrow_key).stdout.strip()
    set_policy(monkeypatch, tmp_path, public)
    folder = tmp_path / "profile"
    profile_id, _recovery_key = new_profile(folder)

    slot = tmp_path / "slot.age"
    slot.write_bytes(base64.b64decode(KeyFile.load(folder / "profile.key").escrow["sealed"]))
    opened = age_decrypt(escrow_key, slot, tmp_path / "slot.json")
    assert opened.returncode == 0, opened.stderr
    assert json.loads((tmp_path / "slot.json").read_bytes())["profile_id"] == profile_id

    monkeypatch.setenv("AIM3DESK_PASSPHRASE", NEW_PASSPHRASE)
    code = cli.main(
        ["escrow", "recover", "--profile", str(folder), "--org-identity", str(escrow_key)]
    )
    assert code == 0
    service(folder).unlock(NEW_PASSPHRASE).close()
