"""Search what you wrote (`session.search`): the content of every case, from the full-text
index inside the encrypted store (store/search.py), grouped by case and by the place each
match is shown (services/search_places.py), best first.

What a person types never reaches FTS5 as syntax: each word is quoted (quotes doubled), the
last one matched as a prefix (the word being typed), so quotes, brackets, AND/OR/NEAR or a
stray colon are searched for as words and never raise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from aim3desk.services.search_places import Place, place_of

if TYPE_CHECKING:  # the case list imports this module: it loads no store at start-up
    from aim3desk.domain.forms import FormSet
    from aim3desk.store.search import TextMatch
    from aim3desk.store.unit_of_work import UnitOfWork

__all__ = ["MATCH_END", "MATCH_START", "SearchHit", "SearchService", "match_expression"]

# Around each matched word of a snippet: characters no one types, so the screen can mark them
# up after escaping the text itself.
MATCH_START = "\x02"
MATCH_END = "\x03"
MAX_TERMS = 12
MAX_TERM_LENGTH = 64
DEFAULT_LIMIT = 50
_ITEMS_PER_HIT = 4  # items read per result asked for: several items share one place


@dataclass(frozen=True)
class SearchHit:
    """A case and one place in it where the words were found: the best snippet there (the
    matched words between MATCH_START and MATCH_END) and how many items matched there."""

    case_id: str
    reference: str
    young_person_name: str
    place: Place
    snippet: str
    matches: int


def match_expression(text: str) -> str | None:
    """An FTS5 query for what was typed (every word, the last as a prefix), or None when
    there is nothing to search for."""
    words = [w[:MAX_TERM_LENGTH] for w in text.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words[:MAX_TERMS]]
    quoted[-1] += "*"
    return " ".join(quoted)


class SearchService:
    def __init__(self, uow: UnitOfWork, forms: Callable[[], FormSet]):
        """`forms` gives the form set (for domain titles), called when a search needs it."""
        self._uow = uow
        self._forms = forms

    def search(self, text: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
        """Cases whose current content matches every word of `text`, one hit per case and
        place, best first, at most `limit`; [] for nothing searchable."""
        match = match_expression(text)
        if match is None or limit < 1:
            return []
        with self._uow.read() as tx:
            found = tx.search_content(match, limit * _ITEMS_PER_HIT, (MATCH_START, MATCH_END))
        return self._grouped(found, limit)

    def _grouped(self, found: list[TextMatch], limit: int) -> list[SearchHit]:
        forms = self._forms()

        def domain_title(domain_id: str) -> str | None:
            try:
                return forms.domain(domain_id).title
            except KeyError:
                return None

        hits: dict[tuple[str, str], SearchHit] = {}  # in order of each place's best match
        for item in found:
            place = place_of(item.kind, item.domain_id, domain_title)
            key = (item.case_id, place.label)
            seen = hits.get(key)
            if seen is not None:
                hits[key] = replace(seen, matches=seen.matches + 1)
            elif len(hits) < limit:
                hits[key] = SearchHit(
                    item.case_id, item.reference, item.young_person_name, place, item.snippet, 1
                )
        return list(hits.values())
