"""The one way a date is written for a reader: "16 March 2012" (no leading zero, the month in
words, so no reader mistakes the day for the month). Every report and every text drafted for
a report (the ending summary) goes through long_date. Pure Python: no Qt, no SQL, no I/O."""

from __future__ import annotations

from datetime import MAXYEAR, date, datetime, timedelta


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


def date_after(day: date, delta: timedelta) -> date:
    """`day` moved on by `delta` (back, if negative), held at the last or first day Python can
    hold instead of raising OverflowError. Nothing accepted now lies outside
    limits.date_in_range, but an older profile may keep such a date (a session dated
    31 December 9999), and one record must not stop the deadlines of every case: every date
    sum on a stored date goes through here."""
    try:
        return day + delta
    except OverflowError:
        return date.max if delta > timedelta(0) else date.min


def years_after(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March in a common year (28 February
    would end a period a day early). Held at the last day Python can hold, as date_after."""
    if day.year + years > MAXYEAR:
        return date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)
