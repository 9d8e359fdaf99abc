"""Identity, contacts, bundles and encrypted export through the `aim3desk` command, end to end
between real profiles (real SQLCipher files in tmp_path, real Ed25519 and age): the proof of
issue 10 as IT scripts would drive it."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from aim3desk import cli
from aim3desk.config import load_settings
from aim3desk.security.identity import encrypt_to
from aim3desk.services.bundles.container import pack, unpack
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.profile import ProfileService
from aim3desk.services.reports.request import without_wellbeing
from aim3desk.services.session import Session
from bundle_people import FAST_KDF, PASSPHRASE

EXPORT_PASSPHRASE = "marigold tunnel quarry velvet ninety"


@dataclass(frozen=True)
class Person:
    folder: Path
    name: str

    def session(self) -> Session:
        service = ProfileService(self.folder, settings=load_settings(self.folder), kdf=FAST_KDF)
        return service.unlock(PASSPHRASE)


def make_person(root: Path, name: str, role: str = "practitioner", demo: int = 0) -> Person:
    folder = root / name.split()[0].lower()
    service = ProfileService(folder, settings=load_settings(folder), kdf=FAST_KDF)
    session, _recovery = service.create(PASSPHRASE, name, role=role)
    try:
        if demo:
            add_demo_cases(session, count=demo)
    finally:
        session.close()
    return Person(folder, name)


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("AIM3DESK_EXPORT_PASSPHRASE", raising=False)
    monkeypatch.delenv("AIM3DESK_PROFILE", raising=False)


@pytest.fixture
def alex(tmp_path: Path) -> Person:
    return make_person(tmp_path, "Alex Inventedworker", demo=6)


@pytest.fixture
def sam(tmp_path: Path) -> Person:
    return make_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")


class Runner:
    def __init__(self, capsys: pytest.CaptureFixture[str]):
        self._capsys = capsys

    def __call__(self, person: Person, *args: str) -> tuple[int, str, str]:
        self._capsys.readouterr()
        code = cli.main(["--profile", str(person.folder), *args])
        captured = self._capsys.readouterr()
        return code, captured.out, captured.err

    def ok(self, person: Person, *args: str) -> str:
        code, out, err = self(person, *args)
        assert code == 0, err
        assert "Traceback" not in err
        return out


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Runner:
    return Runner(capsys)


def fingerprint(run: Runner, person: Person) -> str:
    return json.loads(run.ok(person, "identity", "show", "--json"))["fingerprint"]


def introduce(run: Runner, reader: Person, owner: Person, tmp_path: Path, confirm: bool = True):
    """`reader` adds `owner`'s card file through the CLI and, if asked, confirms it."""
    card = tmp_path / f"{owner.folder.name}-for-{reader.folder.name}.aim3card"
    run.ok(owner, "identity", "card", "--out", str(card))
    run.ok(reader, "contacts", "add", str(card))
    owner_fp = fingerprint(run, owner)
    if confirm:
        run.ok(reader, "contacts", "confirm", owner_fp)
    return owner_fp


def case_reference(person: Person, index: int) -> str:
    with person.session() as session:
        return session.cases.list_cases()[index].reference


def actions(person: Person) -> list[str]:
    """The audit trail's actions, without the unlocks every command makes."""
    with person.session() as session:
        return [e.action for e in session.audit.entries() if e.action != "profile.unlock"]


def export_bundle(run: Runner, author: Person, case: str, to: str, out: Path) -> Path:
    out.mkdir(exist_ok=True)
    stdout = run.ok(author, "bundle", "export", case, "--to", to, "--out", str(out))
    assert len(stdout.splitlines()) == 1  # only the file written, for scripts
    return Path(stdout.strip())


# -- identity and contacts --------------------------------------------------------------------


def test_identity_show_card_and_role(run: Runner, alex: Person, tmp_path: Path) -> None:
    text = run.ok(alex, "identity", "show")
    shown = json.loads(run.ok(alex, "identity", "show", "--json"))
    assert shown["name"] == "Alex Inventedworker" and shown["role"] == "practitioner"
    assert shown["fingerprint"] in text and shown["age_recipient"] in text
    assert shown["age_recipient"].startswith("age1")
    assert shown["signing_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    card = tmp_path / "alex.aim3card"
    run.ok(alex, "identity", "card", "--out", str(card))
    assert json.loads(card.read_bytes())["fingerprint"] == shown["fingerprint"]
    before = card.read_bytes()
    code, _out, err = run(alex, "identity", "card", "--out", str(card))
    assert code == 1 and "already exists" in err and card.read_bytes() == before
    assert "Traceback" not in err

    run.ok(alex, "identity", "role", "manager")
    assert json.loads(run.ok(alex, "identity", "show", "--json"))["role"] == "manager"
    code, _out, _err = run(alex, "identity", "role", "boss")
    assert code == 2
    code, _out, _err = run(alex, "identity")  # an action is required, not the GUI
    assert code == 2


def test_export_age_key_warns_and_never_replaces(run: Runner, alex: Person, tmp_path: Path):
    key = tmp_path / "alex.agekey"
    code, out, err = run(alex, "identity", "export-age-key", "--out", str(key))
    assert code == 0, err
    assert "SECRET" in err and str(key) in out
    text = key.read_text(encoding="utf-8")
    assert "AGE-SECRET-KEY-1" in text and key.stat().st_mode & 0o077 == 0
    code, _out, err = run(alex, "identity", "export-age-key", "--out", str(key))
    assert code == 1 and "already exists" in err and key.read_text(encoding="utf-8") == text
    assert actions(alex).count("identity.export-age-key") == 1


def test_contacts_add_confirm_list_and_supervisor(
    run: Runner, alex: Person, sam: Person, tmp_path: Path
) -> None:
    card = tmp_path / "sam.aim3card"
    run.ok(sam, "identity", "card", "--out", str(card))
    sam_fp = fingerprint(run, sam)
    code, out, err = run(alex, "contacts", "add", str(card))
    assert code == 0, err
    assert "Sam Madeupsupervisor (supervisor)" in out and sam_fp in out
    assert "NOT confirmed" in out
    assert f"contacts confirm {sam_fp}" in err and "Compare the fingerprint" in err
    listed = json.loads(run.ok(alex, "contacts", "list", "--json"))
    assert [(c["fingerprint"], c["confirmed"], c["supervisor"]) for c in listed] == [
        (sam_fp, False, False)
    ]
    assert listed[0]["signing_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert listed[0]["age_recipient"].startswith("age1")
    # naming an unconfirmed contact as supervisor is refused in one sentence
    code, _out, err = run(alex, "contacts", "supervisor", sam_fp)
    assert code == 1 and "Confirm" in err and len(err.strip().splitlines()) == 1
    # any case, spaces instead of dashes
    typed = sam_fp.lower().replace("-", " ")
    out = run.ok(alex, "contacts", "confirm", typed)
    assert "Confirmed Sam Madeupsupervisor" in out
    assert "already confirmed" in run.ok(alex, "contacts", "confirm", sam_fp.replace("-", ""))
    run.ok(alex, "contacts", "supervisor", sam_fp)
    table = run.ok(alex, "contacts", "list").splitlines()
    assert table[0].split() == ["NAME", "ROLE", "FINGERPRINT", "CONFIRMED", "SUPERVISOR"]
    assert table[1].split()[-2:] == ["yes", "yes"]
    run.ok(alex, "contacts", "supervisor", sam_fp, "--remove")
    assert json.loads(run.ok(alex, "contacts", "list", "--json"))[0]["supervisor"] is False
    # adding the same card again refreshes it and keeps the trust
    assert "Updated the card" in run.ok(alex, "contacts", "add", str(card))
    assert json.loads(run.ok(alex, "contacts", "list", "--json"))[0]["confirmed"] is True


def test_contacts_add_tells_each_bad_card_and_carries_on(
    run: Runner, alex: Person, sam: Person, tmp_path: Path
) -> None:
    good = tmp_path / "sam.aim3card"
    run.ok(sam, "identity", "card", "--out", str(good))
    altered = tmp_path / "altered.aim3card"
    document = json.loads(good.read_bytes())
    document["name"] = "Someone Else"
    altered.write_text(json.dumps(document), encoding="utf-8")
    own = tmp_path / "own.aim3card"
    run.ok(alex, "identity", "card", "--out", str(own))
    code, out, err = run(alex, "contacts", "add", str(altered), str(good), str(own))
    assert code == 1
    assert "Added Sam Madeupsupervisor" in out
    assert f"{altered}: This contact card has been altered" in err
    assert f"{own}: This is your own card" in err
    code, _out, err = run(alex, "contacts", "confirm", "0000-0000-0000-0000-0000")
    assert code == 1 and "No contact has the fingerprint" in err


# -- the end-to-end proof ---------------------------------------------------------------------


def test_supervisor_receives_verifies_opens_and_imports_a_bundle(
    run: Runner, alex: Person, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The supervisor's profile is made the way a person would: `init --role supervisor`.
    sam = Person(tmp_path / "sam", "Sam Madeupsupervisor")
    code, out, err = run(sam, "init", "--name", sam.name, "--role", "supervisor")
    assert code == 0, err
    assert "(supervisor)" in out
    sam_fp = fingerprint(run, sam)
    assert sam_fp in out

    sam_fp_at_alex = introduce(run, alex, sam, tmp_path)
    assert sam_fp_at_alex == sam_fp
    alex_fp = introduce(run, sam, alex, tmp_path, confirm=False)
    case = case_reference(alex, 3)
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    monkeypatch.chdir(outbox)  # the default --out is the current folder
    stdout = run.ok(alex, "bundle", "export", case, "--to", sam_fp, "--share", "police")
    bundle = Path(stdout.strip())
    assert bundle.parent == outbox and bundle.name.startswith(case)
    assert bundle.read_bytes().startswith(b"age-encryption.org/v1\n")

    # Sam has not confirmed Alex yet: refused, with the reason, nothing trusted.
    code, out, err = run(sam, "bundle", "verify", str(bundle))
    assert code == 1 and out == ""
    assert "signed by a key you have not confirmed" in err
    run.ok(sam, "contacts", "confirm", alex_fp)

    report = run.ok(sam, "bundle", "verify", str(bundle))
    assert f"Signed by:    Alex Inventedworker, practitioner ({alex_fp})" in report
    assert f"you ({sam_fp})" in report and case in report
    assert "report-full.pdf" in report and "report-police.pdf" in report
    assert "case.json" in report and "Version:" in report

    opened = tmp_path / "opened"
    code, out, err = run(sam, "bundle", "open", str(bundle), "--out", str(opened))
    assert code == 0, err
    assert "NOT encrypted" in err
    written = sorted(p.name for p in opened.iterdir())
    assert written == sorted(
        f"{case}-{m}" for m in ("case.json", "report-full.pdf", "report-police.pdf")
    )
    assert (opened / f"{case}-report-full.pdf").read_bytes().startswith(b"%PDF")

    out = run.ok(sam, "bundle", "import", str(bundle))
    assert f"{bundle}: Case {case}" in out and "imported" in out
    before = actions(sam)
    out = run.ok(sam, "bundle", "import", str(bundle))
    assert "already imported, nothing changed" in out
    assert actions(sam) == before  # the same bundle twice changes nothing
    assert before.count("bundle.import") == 1
    with sam.session() as session:
        assert [r.case_reference for r in session.bundles.received()] == [case]
    assert actions(alex).count("bundle.export") == 1

    # Alex names Sam as supervisor.
    run.ok(alex, "contacts", "supervisor", sam_fp)
    assert json.loads(run.ok(alex, "contacts", "list", "--json"))[0]["supervisor"] is True


def test_handover_moves_the_whole_case_and_both_trails_record_it(
    run: Runner, alex: Person, sam: Person, tmp_path: Path
) -> None:
    sam_fp = introduce(run, alex, sam, tmp_path)
    introduce(run, sam, alex, tmp_path)
    case = case_reference(alex, 4)
    out_dir = tmp_path / "handover"
    out_dir.mkdir()
    code, out, err = run(alex, "export", case, "--out", str(out_dir), "--to", sam_fp)
    assert code == 0, err
    handed = next(out_dir.iterdir())
    assert str(handed) in out and "Sam Madeupsupervisor" in out
    with alex.session() as session:
        sent = session.cases.find_case(case)
        young_person = sent.young_person_name
        sent_records = session.case_records.load(sent.id)
    assert young_person.encode() not in handed.read_bytes()

    code, out, err = run(sam, "import", str(handed))
    assert code == 0, err
    assert "the case is now in your profile" in out
    with sam.session() as session:
        received = session.cases.find_case(case)
        assert received.id == sent.id
        assert received.assessments == sent.assessments
        # everything but the sender's own well-being notes, which never leave a profile
        assert session.case_records.load(received.id) == without_wellbeing(sent_records)
        receiver = [e for e in session.audit.entries() if e.action == "case.handover.receive"]
    with alex.session() as session:
        sender = [e for e in session.audit.entries() if e.action == "case.handover"]
    assert len(sender) == len(receiver) == 1
    assert sender[0].target == receiver[0].target == case
    assert sender[0].detail["to"] == [sam_fp]
    # importing it again changes nothing
    before = actions(sam)
    assert "already imported" in run.ok(sam, "import", str(handed))
    assert actions(sam) == before


# -- encrypted export -------------------------------------------------------------------------


def export_detail(person: Person) -> list[str]:
    with person.session() as session:
        return [
            e.detail["protection"] for e in session.audit.entries() if e.action == "case.export"
        ]


def test_passphrase_export_and_import_round_trip(
    run: Runner,
    alex: Person,
    sam: Person,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = case_reference(alex, 2)
    out = tmp_path / "case.age"
    # no passphrase anywhere and no terminal: refused, nothing written
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _out, err = run(alex, "export", case, "--out", str(out))
    assert code == 1 and "No passphrase for the export file" in err and not out.exists()
    # an easy passphrase is refused
    monkeypatch.setenv("AIM3DESK_EXPORT_PASSPHRASE", "password1")
    code, _out, err = run(alex, "export", case, "--out", str(out))
    assert code == 1 and "too easy to guess" in err and not out.exists()

    monkeypatch.setenv("AIM3DESK_EXPORT_PASSPHRASE", EXPORT_PASSPHRASE)
    code, stdout, err = run(alex, "export", case, "--out", str(out))
    assert code == 0, err
    assert "protected by a passphrase" in stdout and "NOT encrypted" not in err
    raw = out.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n") and b"scrypt" in raw
    with alex.session() as session:
        young_person = session.cases.find_case(case).young_person_name
    assert young_person.encode() not in raw and case.encode() not in raw
    assert export_detail(alex) == ["passphrase"]

    # the importer gives the passphrase from a file read from standard input
    monkeypatch.delenv("AIM3DESK_EXPORT_PASSPHRASE")
    code, _out, err = run(sam, "import", str(out))
    assert code == 1 and "No passphrase for the export file" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("not the passphrase at all\n"))
    code, _out, err = run(sam, "import", str(out), "--export-passphrase-file", "-")
    assert code == 1 and "does not open this file" in err
    secret = tmp_path / "export-pass.txt"
    secret.write_text(EXPORT_PASSPHRASE + "\n", encoding="utf-8")
    out_text = run.ok(sam, "import", str(out), "--export-passphrase-file", str(secret))
    assert f"Imported case {case}" in out_text
    with sam.session() as session:
        imported = [e for e in session.audit.entries() if e.action == "case.import"]
    assert [e.detail["protection"] for e in imported] == ["passphrase"]
    # both passphrases cannot come from standard input
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n" + EXPORT_PASSPHRASE + "\n"))
    code, _out, err = run(
        alex, "--passphrase-file", "-", "import", str(out), "--export-passphrase-file", "-"
    )
    assert code == 1 and "Only one passphrase can come from standard input" in err


def test_plaintext_export_is_explicit(
    run: Runner, alex: Person, sam: Person, tmp_path: Path
) -> None:
    case = case_reference(alex, 1)
    out = tmp_path / "case.json"
    code, stdout, err = run(alex, "export", case, "--out", str(out), "--plaintext")
    assert code == 0, err
    assert "NOT encrypted" in err and "NOT encrypted" in stdout
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "aim3desk-case-export"
    assert export_detail(alex) == ["none"]
    code, _out, _err = run(alex, "export", case, "--out", str(out), "--plaintext", "--to", "X")
    assert code == 2
    assert f"Imported case {case}" in run.ok(sam, "import", str(out))


# -- refusals ---------------------------------------------------------------------------------


def forged(bundle: Path, reader: Session) -> bytes:
    """The bundle's manifest edited after signing and re-encrypted to `reader`."""
    inner = unpack(reader.identity.secret().decrypt(bundle.read_bytes()))
    edited = inner.manifest_json.replace(b'"note": ""', b'"note": "edited"')
    assert edited != inner.manifest_json
    return encrypt_to(
        pack(edited, inner.signature, inner.members), [reader.identity.me().age_recipient]
    )


def new_version(person: Person, case: str) -> None:
    with person.session() as session:
        current = session.cases.find_case(case).current_assessment
        if not current.finished:
            session.assessments.finish(current.id, override_reason="Finished early for this test")
        session.assessments.new_version(session.cases.find_case(case).id)


def test_four_refusals_are_four_messages_on_stderr(
    run: Runner, alex: Person, sam: Person, tmp_path: Path
) -> None:
    casey = make_person(tmp_path, "Casey Fictionalperson")
    sam_fp = introduce(run, alex, sam, tmp_path)
    introduce(run, casey, alex, tmp_path)
    case = case_reference(alex, 5)
    first = export_bundle(run, alex, case, sam_fp, tmp_path / "out")
    messages: dict[str, str] = {}

    code, _out, messages["unconfirmed"] = run(sam, "bundle", "verify", str(first))
    assert code == 1
    introduce(run, sam, alex, tmp_path)
    code, _out, messages["not-addressed"] = run(casey, "bundle", "verify", str(first))
    assert code == 1
    with sam.session() as session:
        tampered = tmp_path / "tampered.aim3bundle"
        tampered.write_bytes(forged(first, session))
    code, _out, messages["bad-signature"] = run(sam, "bundle", "verify", str(tampered))
    assert code == 1
    new_version(alex, case)
    second = export_bundle(run, alex, case, sam_fp, tmp_path / "out")
    run.ok(sam, "bundle", "import", str(second))
    code, out, messages["older-version"] = run(sam, "bundle", "import", str(first))
    assert code == 1 and out == ""

    assert "not confirmed" in messages["unconfirmed"]
    assert "not addressed to you" in messages["not-addressed"]
    assert "signature on this bundle does not match" in messages["bad-signature"]
    assert "older than version" in messages["older-version"]
    assert "set aside" in messages["older-version"]
    assert len(set(messages.values())) == 4
    for text in messages.values():
        assert "Traceback" not in text and len(text.strip().splitlines()) == 1


def test_a_bad_bundle_is_set_aside_and_the_rest_imported(
    run: Runner, alex: Person, sam: Person, tmp_path: Path
) -> None:
    sam_fp = introduce(run, alex, sam, tmp_path)
    introduce(run, sam, alex, tmp_path)
    out = tmp_path / "out"
    good = [export_bundle(run, alex, case_reference(alex, n), sam_fp, out) for n in (0, 1)]
    bad = tmp_path / "damaged.aim3bundle"
    bad.write_bytes(good[0].read_bytes()[:-40])
    code, stdout, err = run(sam, "bundle", "import", str(good[0]), str(bad), str(good[1]))
    assert code == 1
    assert [line.split(": ")[0] for line in stdout.splitlines()] == [str(p) for p in good]
    assert f"{bad}: set aside: " in err and "damaged" in err
    kept = Path(err.split("A copy of the file as received is in ")[1].strip().rstrip("."))
    assert kept.read_bytes() == bad.read_bytes()  # the encrypted input only, no plaintext
    assert bad.exists()  # the original is left where it was
    with sam.session() as session:
        held = sorted(r.case_reference for r in session.bundles.received())
    assert held == sorted(case_reference(alex, n) for n in (0, 1))

    # Again, through the generic import: nothing changes but the bad one's note.
    before = actions(sam)
    code, stdout, _err = run(sam, "import", str(good[0]), str(good[1]))
    assert code == 0 and stdout.count("already imported, nothing changed") == 2
    assert actions(sam) == before


def test_bundle_export_needs_a_confirmed_contact_and_a_folder(
    run: Runner, alex: Person, sam: Person, tmp_path: Path
) -> None:
    sam_fp = introduce(run, alex, sam, tmp_path, confirm=False)
    case = case_reference(alex, 0)
    code, out, err = run(alex, "bundle", "export", case, "--to", sam_fp, "--out", str(tmp_path))
    assert code == 1 and out == "" and "not confirmed yet" in err
    run.ok(alex, "contacts", "confirm", sam_fp)
    missing = tmp_path / "missing"
    code, _out, err = run(alex, "bundle", "export", case, "--to", sam_fp, "--out", str(missing))
    assert code == 1 and f"The folder {missing} does not exist" in err
    code, _out, _err = run(alex, "bundle", "export", case, "--out", str(tmp_path))
    assert code == 2  # --to is required
    assert not list(tmp_path.glob("*.aim3bundle"))


def test_help_names_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    top = capsys.readouterr().out
    for command in ("identity", "contacts", "bundle", "export", "import"):
        assert f"    {command} " in top
    for words in (
        ["identity", "show"],
        ["identity", "card"],
        ["identity", "export-age-key"],
        ["contacts", "add"],
        ["contacts", "confirm"],
        ["contacts", "list"],
        ["bundle", "export"],
        ["bundle", "verify"],
        ["bundle", "open"],
        ["bundle", "import"],
    ):
        assert cli.main([*words, "--help"]) == 0
        text = capsys.readouterr().out
        assert text.split("\n\n")[1].strip(), words  # a description of what it does
