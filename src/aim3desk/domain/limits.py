"""Every limit on what the app takes in, named in one place.

Outside data (export files, bundles, form files, policy, settings, contact cards) is read
through domain/outside_input.py, which applies the parsing limits below; what a practitioner
types and what an import brings in are held to the same content limits, so nothing accepted
can break a report, the deadlines or the store later. Each figure is set far above what real
use needs and low enough that the worst case still works in reasonable time; the measured
worst cases are in docs/reliability.md. Pure constants: no Qt, no SQL, no I/O.
"""

from __future__ import annotations

from datetime import date

# --- content: what a record may hold -------------------------------------------------------
# One long text (an evidence entry, a formulation, a summary). About 6,500 words, 13 report
# pages: no practitioner writes one field this long, and a full report of an assessment with
# every long text at the limit (115 texts, 1,310 pages) builds in 16 s of processor time
# (at 100,000 it took 78 s; benchmarks/text_limits_bench.py).
MAX_TEXT_CHARS = 40_000
# One short text (a name, a reference, a title, a label).
MAX_LINE_CHARS = 500
# Dates a record may carry. A date outside this range is a typing mistake or hostile input;
# inside it every date sum the app does (a deadline 6 weeks on, a retention period of
# decades) stays within what Python's date can hold.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

# --- parsing: the shape of a file from outside ---------------------------------------------
# Nesting of arrays and tables / objects. Our own files nest fewer than 10 deep.
MAX_NESTING = 32
# Digits of one integer (Python refuses more than 4,300 on its own, with a crash). 18 digits
# keeps every integer read within the store's signed 64-bit INTEGER (19 digits may not fit).
MAX_INTEGER_DIGITS = 18
# Whole files, read before parsing.
MAX_EXPORT_FILE_BYTES = 512 * 1024 * 1024  # a whole case with every version and record
MAX_FORM_FILE_BYTES = 4 * 1024 * 1024  # a forms/*.toml file
MAX_POLICY_FILE_BYTES = 1024 * 1024  # machine policy, user settings
MAX_SMALL_FILE_BYTES = 64 * 1024  # a contact card, a signed head, a share-folder marker, a key file
MAX_BUNDLE_BYTES = 256 * 1024 * 1024  # a whole bundle, and so any document it carries
MAX_MANIFEST_BYTES = 256 * 1024  # a bundle's manifest (at most 32 members listed)


def date_in_range(value: date) -> bool:
    """Whether a date is one a record may carry (see EARLIEST_DATE / LATEST_DATE)."""
    return EARLIEST_DATE <= value <= LATEST_DATE
