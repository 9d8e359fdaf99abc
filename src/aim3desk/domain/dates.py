"""The one way a date is written for a reader: "16 March 2012" (no leading zero, the month in
words, so no reader mistakes the day for the month). Every report and every text drafted for
a report (the ending summary) goes through long_date. Pure Python: no Qt, no SQL, no I/O."""

from __future__ import annotations

from datetime import date, datetime


def long_date(value: date | None, missing: str = "Not recorded") -> str:
    """The date as "16 March 2012"; `missing` when there is none. A datetime gives its day."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {value:%B %Y}"


def long_moment(value: datetime) -> str:
    """A time of day after the date, as "3 March 2025 14:05" (the caller adds the zone)."""
    return f"{long_date(value)} {value:%H:%M}"
