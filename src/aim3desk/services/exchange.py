"""Export a whole case to a JSON file and import it again (docs/export-format.md).

For subject-access requests and for moving a case to another practitioner or device. The
file is plain JSON and NOT encrypted: the caller must say so to the user. Imports trust
nothing: the file is checked against case-export.schema.json (draft 2020-12) and the domain
rules before anything is written, and every problem names the JSON path of the bad field.
Nothing here logs content.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aim3desk import __version__
from aim3desk.domain.annual_return import UNRECORDED_REASON
from aim3desk.domain.assessment import AssessmentContent, EvidenceEntry
from aim3desk.domain.case_codec import records_from_dict, records_to_dict
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import (
    Assessment,
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    ValidationError,
    validate_case,
)
from aim3desk.domain.codec import content_from_dict, content_to_dict
from aim3desk.services.files import write_bytes_atomically

if TYPE_CHECKING:  # the session type lives in services.profile; imported only for hints
    from aim3desk.services.profile import Session

FORMAT_NAME = "aim3desk-case-export"
SCHEMA_VERSION = 3
# Each released version's schema file is kept unchanged; older files are still read.
SCHEMA_FILES = {
    1: "case-export-v1.schema.json",
    2: "case-export-v2.schema.json",
    3: "case-export.schema.json",
}
SCHEMA_FILE = SCHEMA_FILES[SCHEMA_VERSION]
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
class CaseExport:
    """What an export file holds: the case with its assessments, and each assessment's
    content by assessment id."""

    case: Case
    contents: dict[str, AssessmentContent] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION  # of the file it was read from
    # Supervision sessions (never with well-being responses), intervention plan, logs.
    records: CaseRecords = field(default_factory=CaseRecords)

    def content(self, assessment_id: str) -> AssessmentContent:
        return self.contents.get(assessment_id, AssessmentContent())


@dataclass(frozen=True)
class ImportResult:
    case: Case
    assessments: int


# -- the schema -------------------------------------------------------------------------------


@cache
def load_schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    name = SCHEMA_FILES[version]
    text = resources.files("aim3desk.services").joinpath(name).read_text("utf-8")
    return json.loads(text)


@cache
def _validator(version: int = SCHEMA_VERSION) -> Any:
    import jsonschema  # lazily: only imports need it, and it is slow to import

    checker = jsonschema.FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _is_date_time(value: object) -> bool:
        # jsonschema checks date-time only with an optional extra; RFC 3339 needs a zone.
        if not isinstance(value, str):
            return True
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return "T" in value and parsed.tzinfo is not None

    schema = load_schema(version)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


# -- case <-> document ------------------------------------------------------------------------


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def case_to_document(
    case: Case,
    exported_by: str = "",
    now: datetime | None = None,
    *,
    contents: Mapping[str, AssessmentContent] | None = None,
    records: CaseRecords | None = None,
) -> dict:
    """Every field of the case and of each assessment with its whole content (codec's
    content_to_dict; an assessment missing from `contents` is exported empty), oldest
    version first, and the case's records: supervision sessions WITHOUT their well-being
    responses (which never leave the store), the intervention plan and the logs."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    contents = contents or {}
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
            "not_completed_reason": case.not_completed_reason,
            "not_completed_on": case.not_completed_on.isoformat()
            if case.not_completed_on
            else None,
            "records": records_to_dict(records or CaseRecords(), include_wellbeing=False),
            "assessments": [
                {
                    "id": a.id,
                    "model": a.model.value,
                    "request_date": a.request_date.isoformat(),
                    "due_date": a.due_date.isoformat(),
                    "version": a.version,
                    "finished": a.finished,
                    "finished_at": _timestamp(a.finished_at),
                    "based_on_id": a.based_on_id,
                    "content": content_to_dict(contents.get(a.id, AssessmentContent())),
                }
                for a in sorted(case.assessments, key=lambda a: a.version)
            ],
        },
    }


def _parse_timestamp(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def document_to_case(document: dict) -> Case:
    """Build the Case from a document that has passed the schema check."""
    data = document["case"]
    status = CaseStatus(data["status"])
    if document["schema_version"] >= 3:
        reason = data["not_completed_reason"]
        marked = data["not_completed_on"]
        marked_on = date.fromisoformat(marked) if marked else None
    elif status is CaseStatus.NOT_COMPLETED:
        # Older files did not say why or when: as store migration 0004 does.
        reason = UNRECORDED_REASON
        marked_on = _parse_timestamp(document["exported_at"]).date()
    else:
        reason, marked_on = "", None
    assessments = tuple(
        Assessment(
            id=a["id"],
            case_id=data["id"],
            model=AssessmentModel(a["model"]),
            request_date=date.fromisoformat(a["request_date"]),
            due_date=date.fromisoformat(a["due_date"]),
            version=a["version"],
            finished=a["finished"],
            based_on_id=a.get("based_on_id"),
            finished_at=_parse_timestamp(a.get("finished_at")),
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
        status=status,
        assessments=assessments,
        not_completed_reason=reason,
        not_completed_on=marked_on,
    )


def _v1_content(evidence: list[dict[str, str]], exported_on: date) -> AssessmentContent:
    """A version 1 file's text per domain as evidence entries, converted as store migration
    0003 converts the same texts: conservative, internal only (a practitioner's reflection)
    until someone classifies it, dated the day the file was exported."""
    return AssessmentContent(
        evidence=tuple(
            EvidenceEntry(
                id=f"notes-{e['domain_id']}",
                domain_id=e["domain_id"],
                factor_slot=None,
                text=e["text"],
                date=exported_on,
                source="practitioner_observation",
                category="background",
                sharing="practitioner_reflection",
            )
            for e in evidence
            if e["text"].strip()
        )
    )


def document_contents(document: dict) -> dict[str, AssessmentContent]:
    """Each assessment's content by id, from a document that has passed the schema check.
    Raises ValueError naming the codec path of a problem (see _domain_problems)."""
    assessments = document["case"]["assessments"]
    if document["schema_version"] == 1:
        exported_on = _parse_timestamp(document["exported_at"]).date()
        return {a["id"]: _v1_content(a["evidence"], exported_on) for a in assessments}
    return {a["id"]: content_from_dict(a["content"]) for a in assessments}


def document_records(document: dict) -> CaseRecords:
    if document["schema_version"] < 3:
        return CaseRecords()
    return records_from_dict(document["case"]["records"], "records")


def document_to_export(document: dict) -> CaseExport:
    return CaseExport(
        document_to_case(document),
        document_contents(document),
        document["schema_version"],
        document_records(document),
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
    if kind in ("oneOf", "anyOf", "allOf", "not"):
        return f"{path}: {_short(value)} is not in the expected form"
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
    if document["schema_version"] >= 3:
        try:
            records_from_dict(data["records"], "records")
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
                content_from_dict(assessment["content"])
            except ValueError as exc:
                problems.append(f"{where}.content.{exc}")
    return problems


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
    readable = version if version in SCHEMA_FILES and not isinstance(version, bool) else None
    # An unknown or missing version is checked against the current schema, which names it.
    validator = _validator(readable or SCHEMA_VERSION)
    errors = sorted(validator.iter_errors(document), key=lambda e: e.json_path)
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


def parse_export_bytes(raw: bytes, today: date | None = None) -> CaseExport:
    """Parse and check the bytes of an export file (any schema version up to ours); return
    the case and the content of its assessments."""
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
    return document_to_export(document)


def read_export(path: Path, today: date | None = None) -> CaseExport:
    path = Path(path)
    with path.open("rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    return parse_export_bytes(raw, today)


# -- with a session ---------------------------------------------------------------------------


def _actor(session: Session) -> str:
    practitioner = session.practitioner
    return str(getattr(practitioner, "name", practitioner))


def load_records(session: Session, case_id: str) -> CaseRecords:
    """Every record of the case (one query). Sessions carry well-being responses here:
    case_to_document leaves them out."""
    from aim3desk.store.case_items import CaseItemRepository

    with session.store.engine.connect() as conn:
        return CaseItemRepository(conn).load(case_id)


def write_export(
    case: Case,
    out_path: Path,
    exported_by: str = "",
    contents: Mapping[str, AssessmentContent] | None = None,
    records: CaseRecords | None = None,
) -> Path:
    document = case_to_document(case, exported_by, contents=contents, records=records)
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return write_bytes_atomically(Path(out_path), data)


def export_case(session: Session, ref_or_id: str, out_path: Path) -> tuple[Case, Path]:
    """Write the whole case to `out_path` atomically and audit it. Not encrypted: the caller
    shows NOT_ENCRYPTED_WARNING."""
    case = session.cases.find_case(ref_or_id)
    contents = {a.id: session.assessments.load(a.id) for a in case.assessments}
    records = load_records(session, case.id)
    actor = _actor(session)
    path = write_export(case, out_path, exported_by=actor, contents=contents, records=records)
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

    exported = read_export(path, today)
    case = exported.case
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
        added = session.cases.add_case(
            case, today=today, contents=exported.contents, records=exported.records
        )
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
        {"schema_version": exported.schema_version, "assessments": len(added.assessments)},
    )
    return ImportResult(added, len(added.assessments))
