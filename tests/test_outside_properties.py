"""Properties of every parser of outside data, seeded from valid files made at run time (a
demo profile's export, card, key file and audit head; a bundle manifest and a review; the
shipped forms/; a policy and a settings file): whatever mutation hypothesis makes, the input
is either accepted or refused with the parser's own clear error, never another exception.

Mutations: bytes flipped, inserted, deleted or cut; a value spliced out for a hostile one
(lone surrogates, 5,000-digit integers, 1,000-deep nesting, NaN, huge floats, repeated keys,
odd dates); and, for JSON, one field of the parsed document replaced so that the rest stays
valid and the hostile value reaches the schema and domain checks. The long runs are the atheris
targets (test_fuzz.py, fuzz_runner.py).
"""

from __future__ import annotations

import json
import uuid
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outside_parsers import PARSER_NAMES, PASSPHRASE, Parser, make_seeds, outcome, parsers

HOSTILE = [
    b'"\\ud800"',
    b'"a\\udc00b"',
    b"1" * 5_000,
    b"-" + b"9" * 30,
    b"[" * 1_000 + b"]" * 1_000,
    b"[" * 1_000,
    b"{" * 500,
    b"NaN",
    b"-Infinity",
    b"1e400",
    b"nan",
    b"inf",
    b"0x" + b"f" * 40,
    b'{"a": 1, "a": 2}',
    b'"9999-12-31"',
    b'"0001-01-01T00:00:00Z"',
    b"9999-12-31",
    b'"\\u0000"',
    b'"\xed\xa0\x80"',  # a surrogate encoded as UTF-8 bytes (not valid UTF-8)
    b"\xff\xfe",
    b"'''",
    b'"""',
    b"null",
    b"[]",
    b"{}",
    b'""',
    b"true",
    b"-0",
    b"1.5",
]
JSON_PARSERS = ("export", "manifest", "review", "card", "settings", "share-marker", "audit-head")
JSON_PARSERS += ("key-file", "escrow-payload")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("seeds")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIM3DESK_POLICY", str(folder / "no-policy.toml"))
        context, seeds = make_seeds(folder)
    return parsers(context), seeds


@st.composite
def byte_mutations(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "cut", "splice"]))
        if action == "flip" and where < len(data):
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[where : where + draw(st.integers(1, 16))]
        elif action == "cut":
            del data[where:]
        elif action == "splice":
            data[where:where] = draw(st.sampled_from(HOSTILE))
    return bytes(data)


@st.composite
def value_splices(draw: st.DrawFn, seed: bytes) -> bytes:
    """A hostile literal where a value starts (after ': ' in JSON, ' = ' in TOML), with up
    to a few dozen bytes of the old value removed."""
    separators = [i for i in range(len(seed) - 2) if seed[i : i + 2] in (b": ", b"= ")]
    if not separators:
        return seed
    start = draw(st.sampled_from(separators)) + 2
    removed = draw(st.integers(0, 40))
    return seed[:start] + draw(st.sampled_from(HOSTILE)) + seed[start + removed :]


MARKER = "\x00hostile\x00"


@st.composite
def field_replacements(draw: st.DrawFn, seed: bytes) -> bytes:
    """One field (or list member) of the parsed seed replaced by a hostile literal, the rest
    of the document left valid."""
    document = json.loads(seed)
    places: list[tuple[object, object]] = []
    stack = [document]
    while stack:
        node = stack.pop()
        members = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(members):
            places.append((node, key))
            if isinstance(value, dict | list):
                stack.append(value)
    if not places:
        return seed
    node, key = draw(st.sampled_from(places))
    node[key] = MARKER  # type: ignore[index]
    text = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
    return text.replace(json.dumps(MARKER).encode(), draw(st.sampled_from(HOSTILE)), 1)


def mutated(seeds: list[bytes], json_too: bool) -> st.SearchStrategy[bytes]:
    seed = st.sampled_from(seeds)
    strategies = [seed.flatmap(byte_mutations), seed.flatmap(value_splices)]
    if json_too:
        strategies.append(seed.flatmap(field_replacements))
    return st.one_of(strategies)


@pytest.mark.parametrize("name", PARSER_NAMES)
def test_a_mutated_file_is_accepted_or_refused_clearly(name: str, seeded) -> None:
    table, seeds = seeded
    parser: Parser = table[name]

    @settings(max_examples=120, deadline=None, derandomize=True, database=None)
    @given(mutated(seeds[name], json_too=name in JSON_PARSERS))
    def check(data: bytes) -> None:
        assert outcome(parser, data) in ("accepted", "refused")

    check()


def test_every_valid_seed_is_accepted(seeded) -> None:
    table, seeds = seeded
    assert set(seeds) == set(PARSER_NAMES) == set(table)
    for name, items in seeds.items():
        assert [outcome(table[name], s) for s in items] == ["accepted"] * len(items), name


# -- the whole import, into a real encrypted store ---------------------------------------------


@pytest.fixture(scope="module")
def importing(tmp_path_factory: pytest.TempPathFactory, seeded):
    from aim3desk.security.kdf import KdfParams
    from aim3desk.services.profile import ProfileService

    folder = tmp_path_factory.mktemp("importer")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIM3DESK_POLICY", str(folder / "no-policy.toml"))
        session, _recovery = ProfileService(folder / "profile", kdf=KdfParams(8192, 1, 1)).create(
            PASSPHRASE, "Ida Importer"
        )
    yield session, folder, seeded[1]["export"]
    session.close()


_numbers = count(1)


def fresh_case(seed: bytes) -> bytes:
    """The seed as a case this profile does not hold yet, so an accepted file is inserted."""
    document = json.loads(seed)
    document["case"]["id"] = uuid.uuid4().hex
    document["case"]["reference"] = f"FUZZ-{next(_numbers):04d}"
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


def test_a_mutated_export_is_imported_or_refused_never_a_crash_at_the_insert(importing) -> None:
    from aim3desk.services.errors import CaseAlreadyExists, CaseFileError

    session, folder, exports = importing
    path = folder / "mutated.json"

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.sampled_from(exports).map(fresh_case).flatmap(field_replacements))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        try:
            session.exchange.import_case(Path(path))
        except (CaseFileError, CaseAlreadyExists) as exc:
            assert str(exc).strip()

    check()
