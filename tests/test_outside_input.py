"""The hardened reader for outside data (domain/outside_input.py), and the reproductions of
what issue 15 saw: an unpaired surrogate, a 5,000-digit integer and 1,000-deep nesting in an
export; deep TOML arrays in a form file and in machine policy. Each is refused with a clear
message naming the file and the place; an unreadable policy is reported and ignored and the
command still runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aim3desk import cli
from aim3desk.config import load_settings
from aim3desk.domain.forms import FormError
from aim3desk.domain.identity import CARD_FORMAT, CARD_VERSION, CardError, read_card
from aim3desk.domain.limits import MAX_INTEGER_DIGITS, MAX_NESTING
from aim3desk.domain.outside_input import OutsideInputError, json_path, read_json, read_toml
from aim3desk.paths import data_dir
from aim3desk.security.kdf import KdfParams
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.profile import ProfileService

PASSPHRASE = "ochre lantern tidal quibble meadow"
DEEP = 1_000


# -- the reader itself ------------------------------------------------------------------------


def refusal_json(data: bytes | str, limit: int = 1 << 20) -> OutsideInputError:
    with pytest.raises(OutsideInputError) as caught:
        read_json(data, "case.json", limit)
    return caught.value


def refusal_toml(data: bytes | str, limit: int = 1 << 20) -> OutsideInputError:
    with pytest.raises(OutsideInputError) as caught:
        read_toml(data, "policy.toml", limit)
    return caught.value


def test_a_lone_surrogate_is_refused_at_its_path() -> None:
    error = refusal_json(b'{"case": {"assessments": [{}, {"text": "a\\ud800b"}]}}')
    assert error.path == "case.assessments[1].text"
    assert str(error) == (
        "case.json could not be read: a text holds a broken character (a lone surrogate) "
        "(at case.assessments[1].text)."
    )
    assert refusal_json(b'{"k\\udfff": 1}').problem == "a field name holds a broken character"
    # A correctly paired surrogate escape is an ordinary character.
    assert read_json(b'{"t": "\\ud83d\\ude00"}', "x", 100) == {"t": "\U0001f600"}


def test_integers_longer_than_the_limit_are_refused_without_parsing_them() -> None:
    longest = "9" * MAX_INTEGER_DIGITS
    assert read_json(f'{{"n": -{longest}}}', "x", 100) == {"n": -int(longest)}
    assert refusal_json(f'{{"n": {longest}9}}').path == "n"
    error = refusal_json('{"n": [' + "1" * 5_000 + "]}")
    assert (error.path, error.problem) == ("n[0]", "a whole number has more than 18 digits")
    # TOML: decimal (Python's own 4,300-digit limit inside the parser) and hexadecimal.
    assert "more than 18 digits" in str(refusal_toml("n = " + "1" * 5_000))
    assert refusal_toml("n = 0x" + "f" * 40).path == "n"


def test_nan_infinity_and_overflowing_floats_are_refused() -> None:
    for text in ('{"x": NaN}', '{"x": -Infinity}', '{"x": 1e400}'):
        assert refusal_json(text).path == "x"
    assert refusal_toml("x = nan").path == "x"
    assert read_toml("x = inf", "policy.toml", 100, non_finite=True) == {"x": float("inf")}


def test_nesting_is_refused_before_the_parser_recurses_naming_the_line() -> None:
    error = refusal_json("{\n" + '"a": ' + "[" * DEEP + "]" * DEEP + "}")
    assert error.problem == f"it is nested more than {MAX_NESTING} levels deep"
    assert (error.line, error.column) == (2, 5 + MAX_NESTING)  # the 33rd level, with the {
    assert refusal_json("[" * DEEP).problem.startswith("it is nested")  # never closed
    at_limit = "[" * MAX_NESTING + "]" * MAX_NESTING
    assert read_json(at_limit, "x", 1000) is not None
    # Brackets inside strings are text, not nesting.
    assert read_json(json.dumps(["[" * DEEP]), "x", 10_000) == ["[" * DEEP]
    error = refusal_toml("[settings]\nx = " + "[" * DEEP + "]" * DEEP)
    assert (error.line, error.column) == (2, 5 + MAX_NESTING)
    assert read_toml("x = '''" + "[" * DEEP + "'''  # [[[[", "t", 10_000) == {"x": "[" * DEEP}
    # Dotted keys nest tables without brackets: refused by the walk, naming the path.
    error = refusal_toml("a" + ".a" * 40 + " = 1")
    assert error.path is not None and error.path.startswith("a.a.a")


def test_size_encoding_and_repeated_keys() -> None:
    assert "larger than this kind of file can be (at most 1 KB)" in str(
        refusal_json(b"[" + b" " * 2_000 + b"]", limit=1024)
    )
    assert refusal_json(b'{"a": "\xff"}').problem == "it is not UTF-8 text (at byte 8)"
    assert refusal_json(b'{"a": {"b": 1, "b": 2}}').path == "a.b"
    assert read_json(b'\xef\xbb\xbf{"a": 1}', "x", 100) == {"a": 1}  # a byte-order mark
    error = refusal_json(b'{"a": }')
    assert (error.line, error.column) == (1, 7) and "not valid JSON" in error.problem


def test_paths_quote_odd_keys_without_echoing_long_text() -> None:
    crumb = ((((None, "case"), "assessments"), 2), "a key with spaces " + "x" * 100)
    path = json_path(crumb)
    assert path.startswith("case.assessments[2]['a key with spaces ")
    assert len(path) < 80
    assert json_path(None) == "the top level"


# -- the reproductions, through the command line ----------------------------------------------


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profile"
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    session, _recovery = ProfileService(folder, kdf=KdfParams(8192, 1, 1)).create(
        PASSPHRASE, "Alex Testworker"
    )
    add_demo_cases(session, count=1)
    session.close()
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    return folder


def run(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["--profile", str(folder), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    return code, out, err


def exported_text(capsys: pytest.CaptureFixture[str], profile: Path, tmp_path: Path) -> str:
    out = tmp_path / "case.json"
    code, _out, err = run(capsys, profile, "export", "DEMO-0001", "--plaintext", "--out", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    out.unlink()
    return text


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda t: t.replace('"young_person_name": "', '"young_person_name": "\\ud800', 1),
            "a text holds a broken character (a lone surrogate) (at case.young_person_name)",
        ),
        (
            lambda t: t.replace('"schema_version": 5', '"schema_version": ' + "1" * 5_000, 1),
            "a whole number has more than 18 digits (at schema_version)",
        ),
        (
            lambda t: t.replace('"case": {', '"deep": ' + "[" * DEEP + "]" * DEEP + ', "case": {'),
            f"it is nested more than {MAX_NESTING} levels deep (line ",
        ),
    ],
)
def test_mutated_exports_are_refused_by_import_naming_the_file_and_place(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], mutate, expected: str
) -> None:
    bad = tmp_path / "mutated.json"
    bad.write_text(mutate(exported_text(capsys, profile, tmp_path)), encoding="utf-8")
    code, _out, err = run(capsys, profile, "import", str(bad))
    assert code == 1
    assert f"{bad} cannot be imported: {expected}" in err


def test_a_policy_with_deep_arrays_is_reported_and_ignored_and_the_command_runs(
    profile: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        "[settings]\nidle_lock_minutes = 5\nlocked = " + "[" * DEEP + "]" * DEEP + "\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AIM3DESK_POLICY", str(policy))
    effective = load_settings(profile)
    assert effective.values.idle_lock_minutes == 10  # the whole policy is ignored
    assert effective.problems == (
        f"The machine policy {policy} could not be read: it is nested more than {MAX_NESTING} "
        f"levels deep (line 3, column {10 + MAX_NESTING}). Safe defaults are used.",
    )
    code, out, err = run(capsys, profile, "cases")
    assert code == 0 and "DEMO-0001" in out
    assert f"The machine policy {policy} could not be read" in err


def test_a_settings_file_with_a_huge_number_is_reported_and_ignored(
    profile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file = profile / "settings.json"
    settings_file.write_text('{"idle_lock_minutes": ' + "7" * 5_000 + "}", encoding="utf-8")
    effective = load_settings(profile)
    assert effective.values.idle_lock_minutes == 10
    assert effective.problems == (
        f"Your settings file {settings_file} could not be read: a whole number has more than "
        "18 digits (at idle_lock_minutes). Defaults are used.",
    )
    code, out, _err = run(capsys, profile, "cases")
    assert code == 0 and "DEMO-0001" in out


def test_a_form_file_with_deep_arrays_is_refused_naming_the_file_and_line(
    tmp_path: Path,
) -> None:
    forms = tmp_path / "forms"
    shutil.copytree(data_dir("forms"), forms)
    model = forms / "models" / "aim3.toml"
    model.write_text(
        model.read_text("utf-8") + "\nextra = " + "[" * DEEP + "]" * DEEP + "\n", "utf-8"
    )
    line = model.read_text("utf-8").count("\n")
    with pytest.raises(FormError) as caught:
        load_form_set(forms)
    assert (caught.value.file, caught.value.line) == (str(model), line)
    assert str(caught.value) == (
        f"{model}: line {line}, column {9 + MAX_NESTING}: it is nested more than {MAX_NESTING} "
        "levels deep"
    )


def test_a_card_with_a_key_that_is_not_ascii_is_refused_as_damaged() -> None:
    """Found by the card fuzz target: base64 of text that is not ASCII raised ValueError."""
    card = {
        "format": CARD_FORMAT,
        "version": CARD_VERSION,
        "name": "Invented Person",
        "role": "practitioner",
        "signing_key": "é",
        "age_recipient": "age1",
        "fingerprint": "",
        "signature": "",
    }
    with pytest.raises(CardError, match="damaged: a field is missing or unreadable"):
        read_card(json.dumps(card).encode("utf-8"))


# -- properties of the reader itself ----------------------------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**MAX_INTEGER_DIGITS) + 1, 10**MAX_INTEGER_DIGITS - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_DOCUMENTS)
def test_any_document_within_the_limits_reads_back_as_written(document: object) -> None:
    for text in (json.dumps(document), json.dumps(document, ensure_ascii=False, indent=1)):
        assert read_json(text.encode("utf-8", "surrogatepass"), "x", 1 << 20) == document


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_are_read_or_refused_by_the_reader_alone(data: bytes) -> None:
    for read in (read_json, read_toml):
        try:
            read(data, "x", 1 << 20)
        except OutsideInputError as exc:
            assert str(exc).startswith("x could not be read: ")
