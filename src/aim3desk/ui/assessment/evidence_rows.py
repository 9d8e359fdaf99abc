"""The evidence table's rows, shaped ahead of being shown: the words each cell shows, whether
the entry stays inside the network, and each cell's longest word (which the table's column
widths must leave room for).

Plain Python (no Qt), so a version's rows can be shaped on the worker with the content it
reads, and the UI thread only binds ready rows; `RowShaper` keeps the rows it made, so after
an edit only the entries that changed are shaped again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aim3desk.domain.assessment import AssessmentContent, EvidenceEntry
from aim3desk.domain.forms import DomainDef, EvidenceRules
from aim3desk.domain.share_rule import may_leave_network

COLUMNS = ("Date", "Source", "Category", "Sharing", "About", "Evidence")
SHOWN_CHARS = 400  # the table shows this much of an entry; the tooltip and Edit show it all
INTERNAL_MARK = "Internal only"


def shown_text(text: str) -> str:
    """An entry's text as the table shows it: its lines run together, long ones cut short."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_CHARS else flat[: SHOWN_CHARS - 1] + "…"


def vocabulary_label(items: Any, item_id: str) -> str:
    try:
        return items(item_id).label
    except KeyError:
        return item_id  # a vocabulary entry the organisation has since removed


def sharing_label(rules: EvidenceRules, sharing_id: str) -> str:
    """The class's label, saying "internal only" when it may not leave the network
    (domain/share_rule.py) and its label does not say so."""
    try:
        label = rules.sharing_class(sharing_id).label
    except KeyError:
        return f"{INTERNAL_MARK}: {sharing_id}"  # a class no longer known stays internal
    if not may_leave_network(rules, sharing_id) and "internal" not in label.lower():
        return f"{INTERNAL_MARK}: {label}"
    return label


def longest_word(text: str) -> str:
    """The longest piece of `text` that cannot wrap: text wraps at spaces and after a
    hyphen ("Self-" / "regulation"), as the table draws it."""
    pieces = text.replace("-", "- ").split()
    return max(pieces, key=len) if pieces else ""


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    entry: EvidenceEntry
    cells: tuple[str, ...]  # as COLUMNS
    internal: bool  # may not leave the immediate network
    longest: tuple[str, ...]  # each cell's longest word


class RowShaper:
    """Shapes one domain's entries into rows, keeping the rows it made by entry id; an
    entry the same as before is not shaped again."""

    def __init__(self, rules: EvidenceRules, domain: DomainDef) -> None:
        self._rules = rules
        self._domain = domain
        self._rows: dict[str, EvidenceRow] = {}
        # The few words of the vocabularies, looked up once each.
        self._labels: dict[tuple[str, str], tuple[str, str]] = {}

    def _label(self, kind: str, key: str) -> tuple[str, str]:
        found = self._labels.get((kind, key))
        if found is None:
            if kind == "source":
                label = vocabulary_label(self._rules.source, key)
            elif kind == "category":
                label = vocabulary_label(self._rules.category, key)
            elif kind == "sharing":
                label = sharing_label(self._rules, key)
            else:
                label = self._about(int(key)) if key else "Whole domain"
            found = self._labels[(kind, key)] = (label, longest_word(label))
        return found

    def _about(self, slot: int) -> str:
        try:
            return f"{slot}. {self._domain.factor(slot).label}"
        except KeyError:
            return f"Factor {slot}"

    def _shape(self, entry: EvidenceEntry) -> EvidenceRow:
        shown = shown_text(entry.text)
        dated = f"{entry.date:%d/%m/%Y}" if entry.date else "No date"
        labels = (
            self._label("source", entry.source),
            self._label("category", entry.category),
            self._label("sharing", entry.sharing),
            self._label("about", str(entry.factor_slot or "")),
        )
        return EvidenceRow(
            entry,
            (dated, *(label for label, _ in labels), shown),
            not may_leave_network(self._rules, entry.sharing),
            (dated, *(word for _, word in labels), longest_word(shown)),
        )

    def rows(self, entries: Iterable[EvidenceEntry]) -> tuple[EvidenceRow, ...]:
        known, made = self._rows, {}
        out = []
        for entry in entries:
            row = known.get(entry.id)
            if row is None or (row.entry is not entry and row.entry != entry):
                row = self._shape(entry)
            made[entry.id] = row
            out.append(row)
        self._rows = made  # rows of entries gone are forgotten
        return tuple(out)

    def adopt(self, rows: Iterable[EvidenceRow]) -> None:
        """Rows shaped elsewhere (on the worker) for entries this shaper will be given."""
        self._rows.update((row.entry.id, row) for row in rows)


def shape_domains(
    content: AssessmentContent, rules: EvidenceRules, domains: Iterable[DomainDef]
) -> Mapping[str, tuple[EvidenceRow, ...]]:
    """Every domain's rows, by domain id (on the worker, with the content read)."""
    by_domain: dict[str, list[EvidenceEntry]] = {}
    for entry in content.evidence:
        if entry.domain_id is not None:
            by_domain.setdefault(entry.domain_id, []).append(entry)
    return {
        domain.id: RowShaper(rules, domain).rows(by_domain.get(domain.id, ())) for domain in domains
    }


__all__ = [
    "COLUMNS",
    "EvidenceRow",
    "RowShaper",
    "longest_word",
    "shape_domains",
    "sharing_label",
    "shown_text",
    "vocabulary_label",
]
