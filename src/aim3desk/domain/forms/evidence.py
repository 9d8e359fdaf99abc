"""evidence.toml: where evidence comes from, what it is, and who may see it (seed 004)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aim3desk.domain.forms.reader import Table, by_id, check_unique, describe, load_toml

EVIDENCE_FILE = "evidence.toml"
ANY = "*"  # in a sharing rule: matches every source or every category
# A `why` is shown to the practitioner beside the choice: a reference to the design's source
# material ("Seed 004: ...") means nothing there, so the loader refuses one.
_INTERNAL_LABEL = re.compile(r"\bseed\s*\d+", re.IGNORECASE)


def _why(table: Table) -> str:
    why = table.text("why")
    if _INTERNAL_LABEL.search(why):
        raise table.error(
            "why", "is shown to practitioners: say why in plain words, not a source label"
        )
    return why


@dataclass(frozen=True)
class EvidenceSource:
    id: str
    label: str


@dataclass(frozen=True)
class EvidenceCategory:
    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class SharingClass:
    """How far a piece of evidence may travel: internal-only classes stay within the
    practitioner network completing or overseeing the assessment (seed 004)."""

    id: str
    label: str
    internal_only: bool
    description: str = ""


@dataclass(frozen=True)
class SharingRule:
    """A default sharing class for evidence of these sources and categories (None: any)."""

    sources: tuple[str, ...] | None
    categories: tuple[str, ...] | None
    sharing: str
    why: str

    def matches(self, source: str, category: str) -> bool:
        return (self.sources is None or source in self.sources) and (
            self.categories is None or category in self.categories
        )


@dataclass(frozen=True)
class EvidenceRules:
    sources: tuple[EvidenceSource, ...]
    categories: tuple[EvidenceCategory, ...]
    sharing_classes: tuple[SharingClass, ...]
    rules: tuple[SharingRule, ...]
    fallback_sharing: str
    fallback_why: str

    def source(self, source_id: str) -> EvidenceSource:
        return by_id(self.sources, source_id, "evidence source")

    def category(self, category_id: str) -> EvidenceCategory:
        return by_id(self.categories, category_id, "information category")

    def sharing_class(self, sharing_id: str) -> SharingClass:
        return by_id(self.sharing_classes, sharing_id, "sharing class")

    def is_internal_only(self, sharing_id: str) -> bool:
        return self.sharing_class(sharing_id).internal_only

    def _rule_for(self, source: str, category: str) -> SharingRule | None:
        self.source(source)
        self.category(category)
        return next((r for r in self.rules if r.matches(source, category)), None)

    def default_sharing(self, source: str, category: str) -> str:
        """The sharing class a new entry starts with; the practitioner may change it.
        Raises KeyError for an unknown source or category."""
        rule = self._rule_for(source, category)
        return rule.sharing if rule else self.fallback_sharing

    def default_why(self, source: str, category: str) -> str:
        """Why the default is what it is, in plain words, for showing beside the choice."""
        rule = self._rule_for(source, category)
        return rule.why if rule else self.fallback_why


def _read_labelled(tables: list[Table], key: str, what: str, root: Table) -> list[Table]:
    if not tables:
        raise root.error(key, f"must list at least one {what}")
    return tables


def _read_rule_ids(table: Table, key: str, known: set[str], what: str) -> tuple[str, ...] | None:
    values = table.texts(key)
    if values == (ANY,):
        return None
    for index, value in enumerate(values):
        if value not in known:
            raise table.error(f"{key}[{index}]", f"no {what} {describe(value)}")
        if value in values[:index]:
            raise table.error(f"{key}[{index}]", f"duplicate {what} {describe(value)}")
    return values


def parse_evidence_rules(name: str, text: str) -> EvidenceRules:
    """Parse forms/evidence.toml. Raises FormError naming `name` and the key path at fault."""
    root = load_toml(name, text)
    source_tables = _read_labelled(root.tables("sources"), "sources", "source", root)
    sources = []
    for table in source_tables:
        sources.append(EvidenceSource(table.identifier("id"), table.text("label")))
        table.done()
    check_unique([(t, s.id) for t, s in zip(source_tables, sources, strict=True)], "id", "id")
    category_tables = _read_labelled(root.tables("categories"), "categories", "category", root)
    categories = []
    for table in category_tables:
        categories.append(
            EvidenceCategory(
                table.identifier("id"), table.text("label"), table.text("description", "")
            )
        )
        table.done()
    check_unique([(t, c.id) for t, c in zip(category_tables, categories, strict=True)], "id", "id")
    sharing_tables = _read_labelled(root.tables("sharing"), "sharing", "sharing class", root)
    classes = []
    for table in sharing_tables:
        classes.append(
            SharingClass(
                id=table.identifier("id"),
                label=table.text("label"),
                internal_only=table.boolean("internal_only"),
                description=table.text("description", ""),
            )
        )
        table.done()
    check_unique([(t, c.id) for t, c in zip(sharing_tables, classes, strict=True)], "id", "id")
    if all(c.internal_only for c in classes):
        raise root.error("sharing", "at least one sharing class must not be internal_only")
    class_ids = {c.id for c in classes}

    defaults = root.table("defaults")
    fallback = defaults.identifier("sharing")
    if fallback not in class_ids:
        raise defaults.error("sharing", f"no sharing class {describe(fallback)}")
    fallback_why = _why(defaults)
    rules = []
    rule_tables = defaults.tables("rules", [])
    source_ids = {s.id for s in sources}
    category_ids = {c.id for c in categories}
    covered: set[tuple[str, str]] = set()
    for table in rule_tables:
        rule = SharingRule(
            sources=_read_rule_ids(table, "sources", source_ids, "source"),
            categories=_read_rule_ids(table, "categories", category_ids, "category"),
            sharing=table.identifier("sharing"),
            why=_why(table),
        )
        if rule.sharing not in class_ids:
            raise table.error("sharing", f"no sharing class {describe(rule.sharing)}")
        table.done()
        # First match wins, so a rule that earlier rules already cover is a mistake.
        reached = {(s, c) for s in source_ids for c in category_ids if rule.matches(s, c)} - covered
        if not reached:
            raise table.error(None, "never applies: earlier rules already cover all it matches")
        covered |= reached
        rules.append(rule)
    defaults.done()
    root.done()
    return EvidenceRules(
        sources=tuple(sources),
        categories=tuple(categories),
        sharing_classes=tuple(classes),
        rules=tuple(rules),
        fallback_sharing=fallback,
        fallback_why=fallback_why,
    )
