"""JSON Schema checking for the files AIM3 Desk reads from outside (case exports, bundle
manifests): one compiled validator per schema, by jsonschema-rs (Draft 2020-12, maintained),
with our own checks for the two formats the schemas use, so both file kinds agree on what a
date is."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_date(value: str) -> bool:
    """RFC 3339 full-date: the form exactly (fromisoformat alone also takes '20260101')."""
    try:
        return _ISO_DATE.fullmatch(value) is not None and bool(date.fromisoformat(value))
    except ValueError:
        return False


def is_date_time(value: str) -> bool:
    """RFC 3339 date-time: a date, a time and a zone."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value and parsed.tzinfo is not None


def compile_schema(schema: dict[str, Any]) -> Any:
    """`schema` checked against the meta-schema and compiled (call once, keep the result).
    Messages the library words itself mask the value, so an error never echoes a file's text."""
    import jsonschema_rs  # lazily: only reading outside files needs it

    jsonschema_rs.meta.validate(schema)
    return jsonschema_rs.Draft202012Validator(
        schema,
        validate_formats=True,
        formats={"date": is_date, "date-time": is_date_time},
        mask="(value not shown)",
    )
