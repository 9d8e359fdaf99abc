"""Every parser of outside data as a function of the bytes it is given, the errors it may
refuse them with, and valid seed files made at run time from a real demo profile and the
shipped forms/.

Shared by the hypothesis properties (test_outside_properties.py) and the atheris fuzz targets
(fuzz_target.py, run by fuzz_runner.py): a parser passes when every input is either accepted
or refused with one of its own clear errors, never another exception and never a hang.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aim3desk.config import (
    Settings,
    _merge,
    policy_from_bytes,
    settings_as_dict,
    user_settings_from_bytes,
)
from aim3desk.domain.bundle import (
    Author,
    BundleKind,
    Manifest,
    Member,
    MemberKind,
    manifest_bytes,
)
from aim3desk.domain.forms import (
    DOMAINS_FILE,
    EVIDENCE_FILE,
    INTERVENTION_FILE,
    MODELS_DIR,
    SCREENING_FILE,
    SUPERVISION_FILE,
    FormError,
    parse_evidence_rules,
    parse_form_set,
    parse_intervention,
    parse_screening,
    parse_supervision,
)
from aim3desk.domain.identity import CardError, read_card
from aim3desk.domain.outside_input import OutsideInputError
from aim3desk.domain.review import (
    SIGN_OFF_ITEM,
    ChecklistItem,
    DamagedReview,
    Review,
    ReviewedVersion,
    Supervisor,
    review_bytes,
    review_from_bytes,
)
from aim3desk.domain.sharing import SHARING_FILE, parse_sharing_policy
from aim3desk.paths import data_dir
from aim3desk.security.errors import DamagedKeyFile, UnsupportedKeyFile
from aim3desk.security.escrow import DamagedEscrowSlot, EscrowMismatch, payload_data_key
from aim3desk.security.key_format import parse as parse_key_file
from aim3desk.services.audit_head import read_head_document
from aim3desk.services.bundles.container import parse_manifest, sha256_hex
from aim3desk.services.errors import CaseFileError
from aim3desk.services.exchange import parse_export_bytes
from aim3desk.services.sync.layout import _marker_share_id

TODAY = date(2026, 6, 1)
PASSPHRASE = "ochre lantern tidal quibble meadow"
CONTEXT_FILE = "context.json"
PARSER_NAMES = (
    "audit-head",
    "card",
    "escrow-payload",
    "export",
    "form-files",
    "key-file",
    "manifest",
    "policy",
    "review",
    "settings",
    "share-marker",
)


@dataclass(frozen=True)
class Parser:
    name: str
    parse: Callable[[bytes], object]
    refusals: tuple[type[BaseException], ...]  # the clear errors it may refuse input with


@dataclass(frozen=True)
class SeedContext:
    """What some parsers check against: the demo profile's id and signing key."""

    profile_id: str
    signing_public: bytes

    def to_json(self) -> str:
        key = base64.b64encode(self.signing_public).decode()
        return json.dumps({"profile_id": self.profile_id, "signing_public": key})

    @classmethod
    def from_json(cls, text: str) -> SeedContext:
        data = json.loads(text)
        return cls(data["profile_id"], base64.b64decode(data["signing_public"]))


# -- form files: the first byte of an input picks which file the rest is ---------------------


def _forms() -> Path:
    return data_dir("forms")


def _form_parsers() -> list[tuple[str, Callable[[str, str], object]]]:
    forms = _forms()
    domains = (forms / DOMAINS_FILE).read_text("utf-8")
    model_name = f"{MODELS_DIR}/aim3.toml"
    model = (forms / model_name).read_text("utf-8")
    evidence_text = (forms / EVIDENCE_FILE).read_text("utf-8")

    def sharing(name: str, text: str) -> object:
        return parse_sharing_policy(name, text, parse_evidence_rules(EVIDENCE_FILE, evidence_text))

    return [
        (DOMAINS_FILE, lambda name, text: parse_form_set({name: text, model_name: model})),
        (f"{MODELS_DIR}/aim3.toml", _model_file(domains)),
        (f"{MODELS_DIR}/aim-u12.toml", _model_file(domains)),
        (EVIDENCE_FILE, parse_evidence_rules),
        (SCREENING_FILE, parse_screening),
        (SUPERVISION_FILE, parse_supervision),
        (INTERVENTION_FILE, parse_intervention),
        (SHARING_FILE, sharing),
    ]


def _model_file(domains: str) -> Callable[[str, str], object]:
    return lambda name, text: parse_form_set({DOMAINS_FILE: domains, name: text})


def _form_file(data: bytes) -> object:
    """As forms_loader does: the bytes must be UTF-8 (else the loader refuses the file)."""
    if not data:
        return None
    parsers = _form_parsers_cached()
    name, parse = parsers[data[0] % len(parsers)]
    try:
        text = data[1:].decode("utf-8")
    except UnicodeDecodeError:
        return None  # the loader refuses it before any parser sees it
    return parse(name, text)


_CACHE: dict[str, object] = {}


def _form_parsers_cached() -> list[tuple[str, Callable[[str, str], object]]]:
    if "forms" not in _CACHE:
        _CACHE["forms"] = _form_parsers()
    return _CACHE["forms"]  # type: ignore[return-value]


def _form_seeds() -> list[bytes]:
    forms = _forms()
    seeds = []
    for index, (name, _parse) in enumerate(_form_parsers_cached()):
        seeds.append(bytes([index]) + (forms / name).read_bytes())
    return seeds


# -- settings and policy: never raise; an unreadable file is reported and ignored ------------


def _policy(data: bytes) -> object:
    values, locked, problems = policy_from_bytes(data, Path("policy.toml"))
    settings = _merge(Settings(), values, "policy.toml", problems)
    return settings, locked, problems


def _user_settings(data: bytes) -> object:
    user = user_settings_from_bytes(data, Path("settings.json"))
    return _merge(Settings(), user, "settings.json", [])


def _escrow_payload(context: SeedContext) -> Callable[[bytes], object]:
    return lambda data: payload_data_key(data, context.profile_id)


def parsers(context: SeedContext) -> dict[str, Parser]:
    return {
        p.name: p
        for p in (
            Parser("export", lambda d: parse_export_bytes(d, TODAY), (CaseFileError,)),
            Parser("manifest", parse_manifest, (_damaged_bundle(),)),
            Parser("review", review_from_bytes, (DamagedReview,)),
            Parser("card", read_card, (CardError,)),
            Parser("form-files", _form_file, (FormError,)),
            Parser("policy", _policy, ()),
            Parser("settings", _user_settings, (OutsideInputError,)),
            Parser("share-marker", _marker_share_id, ()),
            Parser(
                "audit-head",
                lambda d: read_head_document(d, context.signing_public, context.profile_id),
                (),
            ),
            Parser("key-file", parse_key_file, (DamagedKeyFile, UnsupportedKeyFile)),
            Parser("escrow-payload", _escrow_payload(context), (DamagedEscrowSlot, EscrowMismatch)),
        )
    }


def _damaged_bundle() -> type[BaseException]:
    from aim3desk.domain.bundle import DamagedBundle

    return DamagedBundle


# -- seeds: valid files of each kind, made now -------------------------------------------------


def make_seeds(folder: Path) -> tuple[SeedContext, dict[str, list[bytes]]]:
    """A real demo profile in `folder` (fast key derivation), and valid files of every kind
    from it and from the shipped forms."""
    from aim3desk.security.kdf import KdfParams
    from aim3desk.services.demo import add_demo_cases
    from aim3desk.services.profile import ProfileService

    profile = folder / "profile"
    session, _recovery = ProfileService(profile, kdf=KdfParams(8192, 1, 1)).create(
        PASSPHRASE, "Alex Testworker"
    )
    try:
        cases = add_demo_cases(session, count=4, today=TODAY)
        exports = [session.exchange.document_bytes(c.reference)[1] for c in cases[:3]]
        card = session.identity.card_bytes()
        me = session.identity.me()
        context = SeedContext(session.profile_id, session.identity.secret().signing_public)
    finally:
        session.close()
    case = exports[1]
    manifest = Manifest(
        bundle_id="0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        kind=BundleKind.ASSESSMENT,
        created="2026-06-01T10:00:00+00:00",
        author=Author(me.name, me.role.value, me.fingerprint, _b64(me.signing_key)),
        recipients=(me.fingerprint,),
        case_id=cases[1].id,
        case_reference=cases[1].reference,
        members=(Member("case.json", MemberKind.CASE_DOCUMENT, sha256_hex(case), len(case)),),
        assessment_id=cases[1].assessments[0].id if cases[1].assessments else None,
        assessment_version=1,
        finished=False,
        note="Invented note.",
    )
    review = Review(
        review_id="r1",
        reviewed=ReviewedVersion(
            cases[1].id, cases[1].reference, "a1", 1, "b1", "0" * 64, me.fingerprint
        ),
        supervisor=Supervisor("Sam Supervisor", me.fingerprint),
        checklist=(
            ChecklistItem("quality_assurance", "Quality-assure the written report."),
            ChecklistItem(SIGN_OFF_ITEM, "Sign off the report."),
        ),
    )
    policy = (
        '[settings]\norganisation_name = "Invented Council"\nidle_lock_minutes = 5\n'
        "kdf_target_seconds = 0.75\nretention_until_age = 30\n"
        'locked = ["idle_lock_minutes"]\n'
    )
    escrow_payload = json.dumps(
        {
            "data_key": base64.b64encode(bytes(32)).decode(),
            "format": "aim3desk-escrow",
            "profile_id": context.profile_id,
            "version": 1,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    seeds = {
        "export": exports,
        "manifest": [manifest_bytes(manifest)],
        "review": [review_bytes(review)],
        "card": [card],
        "form-files": _form_seeds(),
        "policy": [policy.encode(), policy.replace("locked", "[other]\nlocked").encode()],
        "settings": [json.dumps(settings_as_dict(Settings()), indent=2).encode()],
        "share-marker": [
            b'{"format": "aim3desk-share", "version": 1, "share_id": "0123456789abcdef",'
            b' "created": "2026-06-01T10:00:00+00:00"}\n'
        ],
        "audit-head": [(profile / "audit-head.json").read_bytes()],
        "key-file": [(profile / "profile.key").read_bytes()],
        "escrow-payload": [escrow_payload],
    }
    (folder / CONTEXT_FILE).write_text(context.to_json(), encoding="utf-8")
    return context, seeds


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def outcome(parser: Parser, data: bytes) -> str:
    """'accepted' or 'refused'; any other exception propagates (a finding)."""
    try:
        parser.parse(data)
    except parser.refusals as exc:
        assert str(exc).strip(), f"{parser.name}: a refusal without a message"
        return "refused"
    return "accepted"
