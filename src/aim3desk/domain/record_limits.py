"""The one rule holding a record to domain/limits.py: every text within the length of its
kind and every date within limits.date_in_range, each problem naming the field. The services
that save a case, an assessment item or a case record ask it, and so does the import, for
every record a file brings in; the editors stop typing at the same figures. Pure Python.

A record is walked whole (dataclasses, tuples, lists, mappings), so a field added later is held
to the limits without anyone remembering to: a text is a long text unless its field is named
in LINE_FIELDS.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from datetime import date, datetime

from aim3desk.domain.dates import long_date
from aim3desk.domain.limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_LINE_CHARS,
    MAX_TEXT_CHARS,
    date_in_range,
)

# Fields holding one short line (a name, a reference, an id, a label): MAX_LINE_CHARS. Every
# other text is a long text: MAX_TEXT_CHARS.
LINE_FIELDS = frozenset(
    {
        # ids and vocabularies
        "id",
        "case_id",
        "based_on_id",
        "unknown_id",
        "answered_by_evidence_id",
        "domain_id",
        "about_domain",
        "rating",
        "source",
        "category",
        "sharing",
        "prompt_id",
        "agenda_done",
        "track_id",
        "from_stage_item",
        "audience",
        "lawful_basis",
        # names, references and labels
        "reference",
        "young_person_name",
        "lead_worker",
        "co_workers",
        "social_worker",
        "not_completed_reason",
        "supervisor",
        "owner",
        "name",
        "who",
        "where",
        "speaker_name",
        "relationship",
        "attendees",
        "agreed_with",
        "reported_to",
        "service",
        "recipient",
        "by",
    }
)


def text_limit(field: str) -> int:
    """The most characters the field may hold (its name without any path)."""
    return MAX_LINE_CHARS if field in LINE_FIELDS else MAX_TEXT_CHARS


def text_problem(length: int, most: int) -> str | None:
    """The plain words for a text of `length` characters where `most` fit, or None."""
    if length <= most:
        return None
    return (
        f"This text is {length:,} characters long; at most {most:,} fit here. "
        "Shorten it, or split it over more than one entry."
    )


def date_problem(value: date) -> str | None:
    """The plain words for a date outside limits.date_in_range, or None."""
    day = value.date() if isinstance(value, datetime) else value
    if date_in_range(day):
        return None
    return (
        f"{long_date(day)} is not a date a record can hold (the dates run from "
        f"{long_date(EARLIEST_DATE)} to {long_date(LATEST_DATE)}). Check the year."
    )


def limit_problems(value: object, path: str = "") -> dict[str, str]:
    """Every text over its limit and every date out of range in `value` (a dataclass record,
    or tuples, lists and mappings of them), as {field path: plain words}: "notes",
    "actions[1].due", "evidence[3].text". `path` prefixes each field path."""
    problems: dict[str, str] = {}
    _walk(value, path, "", problems)
    return problems


def _walk(value: object, path: str, field: str, problems: dict[str, str]) -> None:
    if value is None or isinstance(value, bool | int | float | enum.Enum):
        return
    if isinstance(value, str):
        problem = text_problem(len(value), text_limit(field))
    elif isinstance(value, date):  # a datetime too
        problem = date_problem(value)
    else:
        _walk_parts(value, path, field, problems)
        return
    if problem is not None:
        problems[path or field or "value"] = problem


def _walk_parts(value: object, path: str, field: str, problems: dict[str, str]) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for part in dataclasses.fields(value):
            name = f"{path}.{part.name}" if path else part.name
            _walk(getattr(value, part.name), name, part.name, problems)
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", field, problems)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _walk(item, f"{path}[{key}]", field, problems)


def check_limits(value: object) -> None:
    """Raise ValidationError naming every field of `value` over its limit or out of range."""
    problems = limit_problems(value)
    if problems:
        from aim3desk.domain.cases import ValidationError  # cases.validate_case asks this rule

        raise ValidationError(problems)
