"""Export a whole case to a JSON file and import it again (docs/export-format.md).

For subject-access requests and for moving a case to another practitioner or device. The
file is plain JSON and NOT encrypted: the caller must say so to the user. Imports trust
nothing: the file is checked against case-export.schema.json (draft 2020-12) and the domain
rules before anything is written, and every problem names the JSON path of the bad field.
Nothing here logs content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aim3desk import __version__
from aim3desk.domain.cases import (
    Assessment,
    AssessmentModel,
    Case,
    CaseStatus,
    DomainEvidence,
    LeadAgency,
    Requester,
    ValidationError,
    validate_case,
)
from aim3desk.services.files import write_bytes_atomically

if TYPE_CHECKING:  # the session type lives in services.profile; imported only for hints
    from aim3desk.services.profile import Session

FORMAT_NAME = "aim3desk-case-export"
SCHEMA_VERSION = 1
SCHEMA_FILE = "case-export.schema.json"
MAX_FILE_BYTES = 200 * 1024 * 1024  # far above any real case; stops a runaway file early
MAX_PROBLEMS_SHOWN = 5
AUDIT_EXPORT = "case.export"
AUDIT_IMPORT = "case.import"
NOT_ENCRYPTED_WARNING = (
    "Warning: the export file is NOT encrypted and holds a child's personal data; store it "
    "only on encrypted, access-controlled storage and delete it when it is no longer needed."
)


class CaseFileError(Exception):
    """An export file cannot be imported; str() is one sentence for a person."""


class CaseAlreadyExists(CaseFileError):  # noqa: N818 - reads as what happened
    """The file's case reference (or id) is already in this profile."""


@dataclass(frozen=True)
class ImportResult:
    case: Case
    assessments: int


# -- the schema -------------------------------------------------------------------------------


@cache
def load_schema() -> dict[str, Any]:
    text = resources.files("aim3desk.services").joinpath(SCHEMA_FILE).read_text("utf-8")
    return json.loads(text)


@cache
def _validator() -> Any:
    import jsonschema  # lazily: only imports need it, and it is slow to import

    checker = jsonschema.FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _is_date_time(value: object) -> bool:
        # jsonschema checks date-time only with an optional extra; RFC 3339 needs a zone.
        if not isinstance(value, str):
            return True
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return "T" in value and parsed.tzinfo is not None

    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


# -- case <-> document ------------------------------------------------------------------------


def _evidence_document(evidence: Iterable[DomainEvidence]) -> list[dict[str, str]]:
    return [
        {"domain_id": e.domain_id, "text": e.text}
        for e in sorted(evidence, key=lambda e: e.domain_id)
    ]


def case_to_document(case: Case, exported_by: str = "", now: datetime | None = None) -> dict:
    """Every field of the case and of each assessment (with its evidence), oldest version
    first."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "exported_at": moment.isoformat().replace("+00:00", "Z"),
        "exported_by": exported_by,
        "app_version": __version__,
        "case": {
            "id": case.id,
            "reference": case.reference,
            "young_person_name": case.young_person_name,
            "date_of_birth": case.date_of_birth.isoformat(),
            "lead_agency": case.lead_agency.value,
            "lead_worker": case.lead_worker,
            "requested_by": case.requested_by.value,
            "request_date": case.request_date.isoformat(),
            "co_workers": list(case.co_workers),
            "joint_with_social_worker": case.joint_with_social_worker,
            "status": case.status.value,
            "assessments": [
                {
                    "id": a.id,
                    "model": a.model.value,
                    "request_date": a.request_date.isoformat(),
                    "due_date": a.due_date.isoformat(),
                    "version": a.version,
                    "finished": a.finished,
                    "evidence": _evidence_document(a.evidence),
                }
                for a in sorted(case.assessments, key=lambda a: a.version)
            ],
        },
    }


def document_to_case(document: dict) -> Case:
    """Build the Case from a document that has passed `check_document`."""
    data = document["case"]
    assessments = tuple(
        Assessment(
            id=a["id"],
            case_id=data["id"],
            model=AssessmentModel(a["model"]),
            request_date=date.fromisoformat(a["request_date"]),
            due_date=date.fromisoformat(a["due_date"]),
            version=a["version"],
            finished=a["finished"],
            evidence=tuple(DomainEvidence(e["domain_id"], e["text"]) for e in a["evidence"]),
        )
        for a in data["assessments"]
    )
    return Case(
        id=data["id"],
        reference=data["reference"],
        young_person_name=data["young_person_name"],
        date_of_birth=date.fromisoformat(data["date_of_birth"]),
        lead_agency=LeadAgency(data["lead_agency"]),
        lead_worker=data["lead_worker"],
        requested_by=Requester(data["requested_by"]),
        request_date=date.fromisoformat(data["request_date"]),
        co_workers=tuple(data["co_workers"]),
        joint_with_social_worker=data["joint_with_social_worker"],
        status=CaseStatus(data["status"]),
        assessments=assessments,
    )


# -- checking a document ----------------------------------------------------------------------


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


def _describe(error: Any) -> str:
    """One schema error as '<JSON path>: <plain words>'."""
    path, kind, value = error.json_path, error.validator, error.instance
    if kind == "format":
        word = _FORMAT_WORDS.get(error.validator_value, error.validator_value)
        return f"{path}: {_short(value)} is not a valid {word}"
    if kind == "required":
        missing = next((name for name in error.validator_value if name not in value), "?")
        return f"{path}.{missing}: this required field is missing"
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(name for name in value if name not in allowed)
        return f"{path}: unexpected field(s) {', '.join(repr(x) for x in extra)}"
    if kind == "enum":
        options = ", ".join(str(x) for x in error.validator_value)
        return f"{path}: {_short(value)} is not one of: {options}"
    if kind == "const":
        return f"{path}: must be {_short(error.validator_value)}, not {_short(value)}"
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_JSON_TYPES.get(t, t) for t in expected)
        return f"{path}: must be {words}, not {_json_type(value)}"
    if kind in ("pattern", "minLength"):
        if isinstance(value, str) and not value.strip():
            return f"{path}: must not be empty"
        return f"{path}: {_short(value)} is not in the expected form"
    if kind in ("maxLength", "maxItems"):
        return f"{path}: is too long (at most {error.validator_value})"
    if kind in ("minimum", "maximum"):
        return f"{path}: {_short(value)} is out of range"
    return f"{path}: {error.message[:120]}"


def _domain_problems(document: dict, today: date) -> list[str]:
    """Rules the schema cannot express, named by JSON path."""
    problems: list[str] = []
    data = document["case"]
    case = document_to_case(document)
    try:
        validate_case(case, today)
    except ValidationError as exc:
        problems += [f"$.case.{name}: {message}" for name, message in exc.problems.items()]
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
        domains: set[str] = set()
        for j, evidence in enumerate(assessment["evidence"]):
            if evidence["domain_id"] in domains:
                problems.append(
                    f"{where}.evidence[{j}].domain_id: "
                    f"{_short(evidence['domain_id'])} appears twice"
                )
            domains.add(evidence["domain_id"])
    return problems


def check_document(document: object, today: date | None = None) -> None:
    """Raise CaseFileError unless `document` is a valid case export of a version we read."""
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
    errors = sorted(_validator().iter_errors(document), key=lambda e: e.json_path)
    problems = [_describe(e) for e in errors]
    if not problems:
        problems = _domain_problems(document, today or date.today())
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        suffix = f" (and {more} more problem(s))" if more > 0 else ""
        raise CaseFileError(f"The file cannot be imported: {shown}{suffix}.")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            # Two values for one field: which one is meant is unknowable, so refuse.
            raise CaseFileError(f"The file cannot be imported: the field '{key}' appears twice.")
        seen[key] = value
    return seen


def _refuse_constant(name: str) -> None:
    raise CaseFileError(f"The file cannot be imported: it contains {name}, which JSON forbids.")


def parse_export_bytes(raw: bytes, today: date | None = None) -> Case:
    """Parse and check the bytes of an export file; return the Case it holds."""
    if len(raw) > MAX_FILE_BYTES:
        raise CaseFileError("The file is too large to be an AIM3 Desk case export.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFileError("The file is not UTF-8 text, so it is not a case export.") from None
    try:
        document = json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    except RecursionError:
        raise CaseFileError("The file is nested too deeply to be a case export.") from None
    check_document(document, today)
    return document_to_case(document)


def read_export(path: Path, today: date | None = None) -> Case:
    path = Path(path)
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    return parse_export_bytes(raw, today)


# -- with a session ---------------------------------------------------------------------------


def _actor(session: Session) -> str:
    practitioner = session.practitioner
    return str(getattr(practitioner, "name", practitioner))


def write_export(case: Case, out_path: Path, exported_by: str = "") -> Path:
    document = case_to_document(case, exported_by)
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return write_bytes_atomically(Path(out_path), data)


def export_case(session: Session, ref_or_id: str, out_path: Path) -> tuple[Case, Path]:
    """Write the whole case to `out_path` atomically and audit it. Not encrypted: the caller
    shows NOT_ENCRYPTED_WARNING."""
    case = session.cases.find_case(ref_or_id)
    actor = _actor(session)
    path = write_export(case, out_path, exported_by=actor)
    session.audit.append(
        actor,
        AUDIT_EXPORT,
        case.reference,
        {"schema_version": SCHEMA_VERSION, "assessments": len(case.assessments)},
    )
    return case, path


def import_case(session: Session, path: Path, today: date | None = None) -> ImportResult:
    """Check the file, refuse a case already held, then add it with all its assessments."""
    from sqlalchemy.exc import IntegrityError

    from aim3desk.services.cases import CaseNotFound

    case = read_export(path, today)
    for key in (case.reference, case.id):
        try:
            existing = session.cases.find_case(key)
        except CaseNotFound:
            continue
        raise CaseAlreadyExists(
            f"A case with reference {existing.reference} is already in this profile, so the "
            "file was not imported; nothing was changed."
        )
    try:
        # The case arrives with its assessments, so none is started: all are stored as they are.
        added = session.cases.add_case(case, today=today)
    except IntegrityError:
        # Only ids can clash here (the reference was checked): an assessment id already held.
        raise CaseAlreadyExists(
            "An assessment in this file is already in this profile under another case, so the "
            "file was not imported; nothing was changed."
        ) from None
    session.audit.append(
        _actor(session),
        AUDIT_IMPORT,
        added.reference,
        {"schema_version": SCHEMA_VERSION, "assessments": len(added.assessments)},
    )
    return ImportResult(added, len(added.assessments))
