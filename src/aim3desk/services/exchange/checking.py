"""Checking an export file before anything is written: JSON Schema (draft 2020-12, one schema
file per released version) and the domain rules the schema cannot express. Imports trust
nothing, and every problem names the JSON path of the bad field without echoing its text.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.case_codec import records_from_dict
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import ValidationError, validate_case
from aim3desk.domain.codec import content_from_dict
from aim3desk.domain.limits import MAX_EXPORT_FILE_BYTES, MAX_LINE_CHARS, MAX_TEXT_CHARS
from aim3desk.domain.outside_input import OutsideInputError, read_json
from aim3desk.domain.record_limits import limit_problems
from aim3desk.services.errors import CaseFileError
from aim3desk.services.exchange.document import (
    FORMAT_NAME,
    SCHEMA_VERSION,
    CaseExport,
    document_contents,
    document_to_case,
)
from aim3desk.services.json_schema import compile_schema

# Each released version's schema file is kept unchanged; older files are still read.
SCHEMA_FILES = {
    1: "case-export-v1.schema.json",
    2: "case-export-v2.schema.json",
    3: "case-export-v3.schema.json",
    4: "case-export-v4.schema.json",
    5: "case-export.schema.json",
}
SCHEMA_FILE = SCHEMA_FILES[SCHEMA_VERSION]
MAX_PROBLEMS_SHOWN = 5
# How a refusal names the case document a bundle carried (it has no file name of its own).
BUNDLE_CASE_SOURCE = "The case in this bundle"


@cache
def load_schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The schema of `version` with its text lengths from domain/limits.py (see
    with_text_limits)."""
    name = SCHEMA_FILES[version]
    text = resources.files("aim3desk.services").joinpath(name).read_text("utf-8")
    return with_text_limits(json.loads(text))


# The released schema files keep the figures they were published with; those mark only the
# kind of each text. As a file is loaded, a long text (published at 20,000 characters or
# more) gets MAX_TEXT_CHARS and a line (published at 200 to 2,000) MAX_LINE_CHARS, so an
# import takes exactly what a practitioner can type. Shorter published figures belong to
# fixed forms (an app version) and stay.
_LONG_TEXT_MARK = 20_000
_LINE_MARK = 200


def with_text_limits(schema: Any) -> Any:
    """`schema` (parsed JSON) with every string's maxLength set from domain/limits.py."""
    if isinstance(schema, list):
        return [with_text_limits(part) for part in schema]
    if not isinstance(schema, dict):
        return schema
    patched = {key: with_text_limits(value) for key, value in schema.items()}
    most = patched.get("maxLength")
    if isinstance(most, int) and not isinstance(most, bool):
        if most >= _LONG_TEXT_MARK:
            patched["maxLength"] = MAX_TEXT_CHARS
        elif most >= _LINE_MARK:
            patched["maxLength"] = MAX_LINE_CHARS
    return patched


@cache
def _validator(version: int = SCHEMA_VERSION) -> Any:
    """The schema of `version` compiled once. jsonschema-rs checks a whole case in a small
    fraction of the time the pure-Python validator took; the formats use our own checks."""
    return compile_schema(load_schema(version))


def _short(value: object, limit: int = 40) -> str:
    """A value quoted for an error message, cut short: errors must not echo whole texts."""
    text = json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict | list):
        return {"dict": "an object", "list": "a list"}[type(value).__name__]
    if isinstance(value, str):
        text = value if len(value) <= limit else value[:limit] + "…"
        return f"'{text}'"
    return text


_JSON_TYPES = {
    "object": "an object",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
_FORMAT_WORDS = {"date": "date (YYYY-MM-DD)", "date-time": "date and time (RFC 3339)"}


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    for name, python in (("object", dict), ("array", list), ("string", str), ("null", type(None))):
        if isinstance(value, python):
            return _JSON_TYPES[name]
    return "a whole number" if isinstance(value, int) else "a number"


def _json_path(parts: list[str | int]) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts)


def _describe(error: Any) -> str:
    """One schema error as '<JSON path>: <plain words>'."""
    path, kind = _json_path(error.instance_path), error.kind
    rule, expected, value = kind.name, kind.value, error.instance
    if rule == "format":
        word = _FORMAT_WORDS.get(expected, expected)
        return f"{path}: {_short(value)} is not a valid {word}"
    if rule == "required":
        return f"{path}.{expected}: this required field is missing"
    if rule == "additionalProperties":
        return f"{path}: unexpected field(s) {', '.join(repr(x) for x in sorted(expected))}"
    if rule == "enum":
        options = ", ".join(str(x) for x in expected)
        return f"{path}: {_short(value)} is not one of: {options}"
    if rule == "const":
        return f"{path}: must be {_short(expected)}, not {_short(value)}"
    if rule == "type":
        expected = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_JSON_TYPES.get(t, t) for t in expected)
        return f"{path}: must be {words}, not {_json_type(value)}"
    if rule in ("pattern", "minLength"):
        if isinstance(value, str) and not value.strip():
            return f"{path}: must not be empty"
        return f"{path}: {_short(value)} is not in the expected form"
    if rule in ("maxLength", "maxItems"):
        return f"{path}: is too long (at most {expected})"
    if rule in ("oneOf", "anyOf", "allOf", "not"):
        return f"{path}: {_short(value)} is not in the expected form"
    if rule in ("minimum", "maximum"):
        return f"{path}: {_short(value)} is out of range"
    return f"{path}: {error.message[:120]}"


def _schema_problems(validator: Any, document: dict) -> list[str]:
    try:
        errors = list(validator.iter_errors(document))
    except ValueError:  # the validator's own nesting limit, far beyond any real case
        raise CaseFileError("The file is nested too deeply to be a case export.") from None
    errors.sort(key=lambda e: _json_path(e.instance_path))
    return [_describe(e) for e in errors]


def _domain_problems(document: dict, today: date) -> tuple[list[str], CaseExport]:
    """Rules the schema cannot express, named by JSON path, and what the document holds,
    decoded once on the way (its parts are only meaningful when there are no problems)."""
    problems: list[str] = []
    data = document["case"]
    case = document_to_case(document)
    records = CaseRecords()
    contents: dict[str, AssessmentContent] = {}
    try:
        validate_case(case, today)
    except ValidationError as exc:
        problems += [f"$.case.{name}: {message}" for name, message in exc.problems.items()]
    if document["schema_version"] >= 3:
        try:
            records = records_from_dict(data["records"], "records")
        except ValueError as exc:
            problems.append(f"$.case.{exc}")
    versions: set[int] = set()
    ids: set[str] = set()
    for i, assessment in enumerate(data["assessments"]):
        where = f"$.case.assessments[{i}]"
        if assessment["version"] in versions:
            problems.append(f"{where}.version: version {assessment['version']} appears twice")
        versions.add(assessment["version"])
        if assessment["id"] in ids:
            problems.append(f"{where}.id: this assessment id appears twice")
        ids.add(assessment["id"])
        if assessment["due_date"] < assessment["request_date"]:
            problems.append(f"{where}.due_date: the due date is before the request date")
        if document["schema_version"] == 1:
            problems += _v1_evidence_problems(assessment["evidence"], where)
        else:
            problems += _version_problems(assessment, data["assessments"], where)
            try:
                contents[assessment["id"]] = content_from_dict(assessment["content"])
            except ValueError as exc:
                problems.append(f"{where}.content.{exc}")
    if document["schema_version"] == 1:
        contents = document_contents(document)
    problems += _limit_problems(data["assessments"], contents, records)
    return problems, CaseExport(case, contents, document["schema_version"], records)


def _record_places(records: CaseRecords) -> tuple[tuple[str, object], ...]:
    """The parts of the records by where an export file holds them (case_codec)."""
    plan = records.plan
    return (
        ("supervision_sessions", records.sessions),
        ("intervention.tracks", plan.tracks),
        ("intervention.goals", plan.goals),
        ("intervention.risk_meetings", plan.meetings),
        ("intervention.keeping_safe_plans", plan.keeping_safe_plans),
        ("intervention.ending", plan.ending),
        ("escalations", records.escalations),
        ("consultations", records.consultations),
    )


def _limit_problems(
    assessments: list[dict], contents: dict[str, AssessmentContent], records: CaseRecords
) -> list[str]:
    """Texts and dates of the assessments' content and the case's records held to
    domain/limits.py (the case's own fields are held by validate_case)."""
    found: dict[str, str] = {}
    for place, part in _record_places(records):
        found |= limit_problems(part, f"$.case.records.{place}")
    for i, assessment in enumerate(assessments):
        content = contents.get(assessment["id"])
        if content is not None:
            found |= limit_problems(content, f"$.case.assessments[{i}].content")
    return [f"{where}: {problem}" for where, problem in found.items()]


def _v1_evidence_problems(evidence: list[dict[str, str]], where: str) -> list[str]:
    problems: list[str] = []
    domains: set[str] = set()
    for j, item in enumerate(evidence):
        if item["domain_id"] in domains:
            problems.append(
                f"{where}.evidence[{j}].domain_id: {_short(item['domain_id'])} appears twice"
            )
        domains.add(item["domain_id"])
    return problems


def _version_problems(assessment: dict, everything: list[dict], where: str) -> list[str]:
    problems: list[str] = []
    based_on = assessment["based_on_id"]
    if based_on is not None:
        earlier = {a["id"] for a in everything if a["version"] < assessment["version"]}
        if based_on not in earlier:
            problems.append(f"{where}.based_on_id: not the id of an earlier version in this file")
    if assessment["finished_at"] is not None and not assessment["finished"]:
        problems.append(f"{where}.finished_at: set, but the version is not finished")
    return problems


def check_document(document: object, today: date | None = None) -> CaseExport:
    """What `document` holds; CaseFileError unless it is a valid case export of a version we
    read."""
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise CaseFileError(
            "This file is not an AIM3 Desk case export (its 'format' field is missing or "
            "different)."
        )
    version = document.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise CaseFileError(
            f"This export uses schema version {version}, made by a newer version of AIM3 Desk "
            f"(this one reads version {SCHEMA_VERSION}); install the latest version to import it."
        )
    readable = version if version in SCHEMA_FILES and not isinstance(version, bool) else None
    # An unknown or missing version is checked against the current schema, which names it.
    validator = _validator(readable or SCHEMA_VERSION)
    problems = _schema_problems(validator, document)
    if problems:
        raise _refusal(problems)
    problems, exported = _domain_problems(document, today or date.today())
    if problems:
        raise _refusal(problems)
    return exported


def _refusal(problems: list[str]) -> CaseFileError:
    shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    suffix = f" (and {more} more problem(s))" if more > 0 else ""
    return CaseFileError(f"The file cannot be imported: {shown}{suffix}.")


def parse_export_bytes(raw: bytes, today: date | None = None, source: str = "") -> CaseExport:
    """Parse and check the bytes of an export file (any schema version up to ours); return
    the case and the content of its assessments. `source` is the file's name as the user gave
    it, for the messages."""
    try:
        document = read_json(raw, source or "The file", MAX_EXPORT_FILE_BYTES)
    except OutsideInputError as exc:
        raise CaseFileError(
            f"{exc.source} cannot be imported: {exc.problem}{exc.place_words}."
        ) from None
    return check_document(document, today)


def read_export(path: Path, today: date | None = None) -> CaseExport:
    path = Path(path)
    with path.open("rb") as handle:
        raw = handle.read(MAX_EXPORT_FILE_BYTES + 1)
    return parse_export_bytes(raw, today, str(path))
