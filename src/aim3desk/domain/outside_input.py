"""The one reader for data from outside: JSON and TOML bytes as they come off a disk, a share
or a bundle, checked against the limits in domain/limits.py before any of it is used.

What it guarantees, whatever the bytes: either a plain value (dicts, lists, str, int, finite
float, bool, None, and TOML's dates and times) or one `OutsideInputError` whose message names
the file (the name the user gave) and the place (a JSON path such as
`case.assessments[2].content.formulation`, or a line and column). Never a RecursionError, a
ValueError from an over-long integer, a UnicodeEncodeError at a later insert, or a hang.

- Size: refused above the caller's limit for its kind of file, before decoding.
- Nesting: counted on the raw text outside strings and comments BEFORE the parser runs (the
  parsers recurse once per level), and again on the result.
- Numbers: integers of more than MAX_INTEGER_DIGITS digits (which also keeps every integer
  within the store's 64-bit range), NaN and Infinity are refused (TOML's inf and nan only
  where a caller checks each value itself: see read_toml).
- Text: the bytes must be UTF-8 and no text (value or key) may hold a lone surrogate, which
  JSON's `\\ud800` escapes and TOML read from a Python string can produce. Such text is
  refused, not repaired: many of these documents are signed or hashed, and a silently altered
  text would no longer be what its author wrote. The one thing normalised away is a leading
  byte-order mark, which some editors add and which carries no content.
- Keys: a JSON object naming one key twice is refused (which value is meant is unknowable).

Each parser keeps its own schema checks; this reader sits under them. Pure Python, no I/O.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from datetime import date, datetime, time
from typing import Any

from aim3desk.domain.limits import MAX_INTEGER_DIGITS, MAX_NESTING

_BOM = "\ufeff"
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a parser does not read as structure: JSON strings; TOML strings (multi-line first, up
# to two extra quotes may end one) and comments. Written as unrolled loops, so the scan of a
# large file runs inside the regex engine.
_JSON_SKIPPED = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOML_SKIPPED = (
    r"'''.*?'''''?|\"\"\"(?:[^\\]|\\.)*?\"\"\"\"?\"?"
    r"|\"[^\"\\\n]*(?:\\.[^\"\\\n]*)*\"|'[^'\n]*'|#[^\n]*"
)
_JSON_STRINGS = re.compile(_JSON_SKIPPED, re.DOTALL)
_TOML_STRINGS = re.compile(_TOML_SKIPPED, re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_INNERMOST_PAIRS = re.compile(r"[\[{][\]}]")
# For naming the line of a refusal: the same, with the brackets as tokens.
_JSON_TOKENS = re.compile(_JSON_SKIPPED + r"|[\[{]|[\]}]", re.DOTALL)
_TOML_TOKENS = re.compile(_TOML_SKIPPED + r"|[\[{]|[\]}]", re.DOTALL)
_TOML_POSITION = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,39}$")


class OutsideInputError(ValueError):
    """Data from outside was refused. str() is one plain-English sentence naming the file
    and the place; the parts are kept for callers that word it their own way."""

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ):
        self.source = source
        self.problem = problem
        self.path = path
        self.line = line
        self.column = column
        super().__init__(f"{source} could not be read: {problem}{self.place_words}.")

    @property
    def place_words(self) -> str:
        """' (at <JSON path>)' or ' (line L, column C)', or nothing when the whole file is
        at fault."""
        if self.path is not None:
            return f" (at {self.path})"
        if self.line is not None:
            column = f", column {self.column}" if self.column is not None else ""
            return f" (line {self.line}{column})"
        return ""


class _Refused:
    """Stands in the parsed value for something refused, so the walk can name its path."""

    __slots__ = ("problem",)

    def __init__(self, problem: str):
        self.problem = problem


class _KeyTwice(dict):  # type: ignore[type-arg]
    """An object that named a key twice (kept so the walk can say where)."""

    key: str = ""


# -- the entry points ------------------------------------------------------------------------


def read_json(data: bytes | str, source: str, max_bytes: int) -> Any:
    """The JSON value `data` holds, or OutsideInputError naming `source` and the place."""
    text = _text_within(data, source, max_bytes)
    _check_nesting(text, _JSON_STRINGS, _JSON_TOKENS, source)
    try:
        value = json.loads(
            text,
            parse_int=_json_integer,
            parse_float=_json_float,
            parse_constant=_json_constant,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as exc:
        raise OutsideInputError(
            source, f"it is not valid JSON ({exc.msg})", line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:  # the pre-scan stops this; kept so no input can ever escape
        raise OutsideInputError(source, _too_deep()) from None
    _walk(value, source)
    return value


def read_toml(
    data: bytes | str, source: str, max_bytes: int, *, non_finite: bool = False
) -> dict[str, Any]:
    """The TOML document `data` holds, or OutsideInputError naming `source` and the place.
    TOML itself allows inf and nan; they are refused unless `non_finite` is set by a caller
    whose own checks refuse them value by value (machine policy: one bad value must not
    discard the rest of the organisation's settings)."""
    text = _text_within(data, source, max_bytes)
    _check_nesting(text, _TOML_STRINGS, _TOML_TOKENS, source)
    try:
        value = tomllib.loads(text, parse_float=float if non_finite else _toml_float)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.match(str(exc))
        if match is None:
            raise OutsideInputError(source, f"TOML syntax error: {exc}") from None
        raise OutsideInputError(
            source,
            f"TOML syntax error: {match['message']}",
            line=int(match["line"]),
            column=int(match["column"]),
        ) from None
    except ValueError:  # int() on a number of thousands of digits, inside the parser
        raise OutsideInputError(source, _too_many_digits()) from None
    except RecursionError:
        raise OutsideInputError(source, _too_deep()) from None
    _walk(value, source)
    return value


# -- before parsing --------------------------------------------------------------------------


def _text_within(data: bytes | str, source: str, max_bytes: int) -> str:
    if isinstance(data, str):
        size = len(data) if len(data) > max_bytes else len(data.encode("utf-8", "surrogatepass"))
    else:
        size = len(data)
    if size > max_bytes:
        raise OutsideInputError(
            source, f"it is larger than this kind of file can be ({_size_words(max_bytes)})"
        )
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise OutsideInputError(
                source, f"it is not UTF-8 text (at byte {exc.start + 1})"
            ) from None
    return text.removeprefix(_BOM)


def _check_nesting(
    text: str, skipped: re.Pattern[str], tokens: re.Pattern[str], source: str
) -> None:
    """Refuse text whose arrays and objects nest deeper than MAX_NESTING, before a parser
    recurses into it. Strings (and TOML comments) are dropped, then the innermost bracket
    pairs are removed round by round: a file nested n deep empties in n rounds. Openings
    never closed are left over and counted too (the parser refuses that file, but only after
    recursing into them). Where the scan cannot follow a broken string it can only
    over-count, and the parser refuses that string anyway."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return  # cannot nest deeper than it has openings
    brackets = _NOT_BRACKETS.sub("", skipped.sub("", text))
    for rounds in range(MAX_NESTING + 1):
        reduced = _INNERMOST_PAIRS.sub("", brackets)
        if reduced == brackets:
            if rounds + brackets.count("[") + brackets.count("{") <= MAX_NESTING:
                return
            break
        brackets = reduced
    _locate_too_deep(text, tokens, source)
    raise OutsideInputError(source, _too_deep())


def _locate_too_deep(text: str, tokens: re.Pattern[str], source: str) -> None:
    """Name the line and column of the opening that goes one level too deep."""
    depth = 0
    for match in tokens.finditer(text):
        found = match.group()
        if found in "[{":
            depth += 1
            if depth > MAX_NESTING:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                raise OutsideInputError(source, _too_deep(), line=line, column=column)
        elif found in "]}":
            depth = max(depth - 1, 0)


# -- the parsers' hooks ----------------------------------------------------------------------


def _json_integer(digits: str) -> int | _Refused:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        return _Refused(_too_many_digits())
    return int(digits)


def _json_float(literal: str) -> float | _Refused:
    value = float(literal)
    return value if math.isfinite(value) else _Refused("a number is too large to hold")


def _json_constant(name: str) -> _Refused:
    return _Refused(f"it holds {name}, which is not a number JSON allows")


def _toml_float(literal: str) -> float | _Refused:
    value = float(literal)
    return value if math.isfinite(value) else _Refused("it holds inf or nan, not a number")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            twice = _KeyTwice(result)
            twice.key = key
            return twice
        result[key] = value
    return result


# -- after parsing ---------------------------------------------------------------------------

_PLAIN_TYPES = (str, bool, int, float, type(None), date, datetime, time)
# A crumb is (parent crumb, key or index): the path is only spelt out when something fails.
_Crumb = tuple[Any, str | int] | None


def _walk(value: Any, source: str) -> None:
    """Every text, key and number in `value`, without recursion: refuse lone surrogates,
    refused numbers, repeated keys and nesting past the limit, naming the path."""
    stack: list[tuple[Any, _Crumb, int]] = [(value, None, 0)]
    while stack:
        item, crumb, depth = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and _SURROGATE.search(item):
                _refuse(source, crumb, "a text holds a broken character (a lone surrogate)")
        elif isinstance(item, dict):
            if depth >= MAX_NESTING:
                _refuse(source, crumb, _too_deep())
            if isinstance(item, _KeyTwice):
                _refuse(source, (crumb, item.key), "this field appears twice")
            for key, member in item.items():
                if not key.isascii() and _SURROGATE.search(key):
                    _refuse(source, crumb, "a field name holds a broken character")
                stack.append((member, (crumb, key), depth + 1))
        elif isinstance(item, list):
            if depth >= MAX_NESTING:
                _refuse(source, crumb, _too_deep())
            stack.extend((member, (crumb, i), depth + 1) for i, member in enumerate(item))
        elif isinstance(item, _Refused):
            _refuse(source, crumb, item.problem)
        elif isinstance(item, int) and not isinstance(item, bool):
            if len(str(abs(item))) > MAX_INTEGER_DIGITS:  # TOML's hex, octal and binary
                _refuse(source, crumb, _too_many_digits())
        elif not isinstance(item, _PLAIN_TYPES):  # pragma: no cover - the parsers make none
            _refuse(source, crumb, "it holds a value of an unknown kind")


def _refuse(source: str, crumb: _Crumb, problem: str) -> None:
    raise OutsideInputError(source, problem, path=json_path(crumb))


def json_path(crumb: _Crumb) -> str:
    """A crumb spelt as `case.assessments[2].content` ('the top level' for the root); a key
    that is not a plain name is shown quoted and cut short (no content is echoed)."""
    parts: list[str] = []
    while crumb is not None:
        crumb, key = crumb
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif _PLAIN_KEY.match(key):
            parts.append(f".{key}")
        else:
            parts.append(f"[{key[:40]!a}]")
    return "".join(reversed(parts)).removeprefix(".") or "the top level"


def _too_deep() -> str:
    return f"it is nested more than {MAX_NESTING} levels deep"


def _too_many_digits() -> str:
    return f"a whole number has more than {MAX_INTEGER_DIGITS} digits"


def _size_words(size: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"at most {size // scale:,} {unit}"
    return f"at most {size:,} bytes"
