"""Where an indexed item is shown: its kind (and domain) to the place the app opens for it.

The one mapping from what the search index holds (store/search.py: kind, domain id) to a
place: a workspace page's nav key ("domain:<id>", "unknowns", "formulation", ...), or a case
record window ("records:plan", "records:logs", "records:sharing_log"), or the supervision
notes pane ("records:supervision", open beside every case). tests check that every key here
names a page the workspace has or a window the case tools open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

DOMAIN_PAGE_PREFIX = "domain:"  # the workspace's domain pages: "domain:<domain id>"
RECORDS_PREFIX = "records:"  # the case's records beside the assessment


@dataclass(frozen=True)
class Place:
    """Where a match is: `key` for the app to open ("" = the case as it opens), `label` for
    the person ("Developmental: evidence", "Case formulation")."""

    key: str
    label: str


def domain_page_key(domain_id: str) -> str:
    return f"{DOMAIN_PAGE_PREFIX}{domain_id}"


# kind -> (what it is on its domain page) for items that belong to a domain
_ON_DOMAIN_PAGE = {
    "rating": "factor notes",
    "domain_notes": "concerns and strengths",
    "evidence": "evidence",
}
# kind -> place, for items with a page (or a window) of their own
_OWN_PLACE = {
    "unknown": Place("unknowns", "Unknowns"),
    "chronology": Place("chronology", "Chronology"),
    "screening": Place("screening", "Screening"),
    "voice": Place("voices", "Voices"),
    "formulation": Place("formulation", "Case formulation"),
    "safety_plan": Place("safety_plan", "Safety plan"),
    "recommendations": Place("sharing", "Recommendations"),
    "sharing_notes": Place("sharing", "Notes for partner agencies"),
    "supervision": Place(f"{RECORDS_PREFIX}supervision", "Supervision notes"),
    "track": Place(f"{RECORDS_PREFIX}plan", "Intervention plan: tracks"),
    "goal": Place(f"{RECORDS_PREFIX}plan", "Intervention plan: goals"),
    "risk_meeting": Place(f"{RECORDS_PREFIX}plan", "Intervention plan: risk meetings"),
    "keeping_safe_plan": Place(f"{RECORDS_PREFIX}plan", "Intervention plan: keeping-safe plan"),
    "ending": Place(f"{RECORDS_PREFIX}plan", "Intervention plan: ending summary"),
    "escalation": Place(f"{RECORDS_PREFIX}logs", "Escalation log"),
    "consultation": Place(f"{RECORDS_PREFIX}logs", "Consultation log"),
    "sharing_decision": Place(f"{RECORDS_PREFIX}sharing_log", "Sharing log"),
}
INDEXED_KINDS = frozenset(_ON_DOMAIN_PAGE) | frozenset(_OWN_PLACE)


def place_of(kind: str, domain_id: str, domain_title: Callable[[str], str | None]) -> Place:
    """The place of an item of `kind` in domain `domain_id` ('' for none); `domain_title`
    gives a domain's title (None if the forms do not know it)."""
    if kind in _OWN_PLACE:
        return _OWN_PLACE[kind]
    what = _ON_DOMAIN_PAGE.get(kind, kind.replace("_", " "))
    title = domain_title(domain_id) if domain_id else None
    if domain_id and title:
        return Place(domain_page_key(domain_id), f"{title}: {what}")
    if domain_id:  # a domain the installed forms do not have: still its page, if any
        return Place(domain_page_key(domain_id), what.capitalize())
    return Place("", f"{what.capitalize()} (not tied to a domain)")


def place_keys(domain_ids: Iterable[str]) -> set[str]:
    """Every key a search can name for a model with these domains (tests check each exists)."""
    keys = {place.key for place in _OWN_PLACE.values()}
    return keys | {domain_page_key(d) for d in domain_ids}
