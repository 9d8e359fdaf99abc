"""supervision.toml: session types with their agendas, well-being prompts, risk questions."""

from __future__ import annotations

from dataclasses import dataclass

from aim3desk.domain.forms.reader import Table, by_id, check_fixed_ids, describe, load_toml

SUPERVISION_FILE = "supervision.toml"
# Fixed ids the app relies on (domain/supervision.py SupervisionType); the file gives wording.
SESSION_TYPE_IDS = ("assessment_one", "assessment_two", "assessment_three", "intervention")
SESSION_PHASES = ("assessment", "intervention")
WELLBEING_GROUP_IDS = ("practice_environment", "life_experiences", "coping_strategies")


@dataclass(frozen=True)
class Prompt:
    """A checklist item, prompt or question with an id a record can refer to."""

    id: str
    text: str


@dataclass(frozen=True)
class SessionTypeDef:
    id: str
    label: str
    phase: str  # "assessment" or "intervention"
    agenda: tuple[Prompt, ...]


@dataclass(frozen=True)
class PromptGroup:
    id: str
    title: str
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class SupervisionForms:
    note: str
    session_types: tuple[SessionTypeDef, ...]
    wellbeing: tuple[PromptGroup, ...]
    risk_note: str
    risk_questions: tuple[Prompt, ...]

    def session_type(self, type_id: str) -> SessionTypeDef:
        return by_id(self.session_types, type_id, "session type")

    @property
    def wellbeing_prompt_ids(self) -> frozenset[str]:
        return frozenset(p.id for g in self.wellbeing for p in g.prompts)

    @property
    def risk_question_ids(self) -> frozenset[str]:
        return frozenset(q.id for q in self.risk_questions)


def _read_prompts(table: Table, key: str, seen: set[str], what: str) -> tuple[Prompt, ...]:
    tables = table.tables(key)
    if not tables:
        raise table.error(key, f"must list at least one {what}")
    prompts = []
    for item in tables:
        prompt = Prompt(item.identifier("id"), item.text("text"))
        if prompt.id in seen:
            raise item.error("id", f"duplicate {what} id {describe(prompt.id)}")
        seen.add(prompt.id)
        item.done()
        prompts.append(prompt)
    return tuple(prompts)


def parse_supervision(name: str, text: str) -> SupervisionForms:
    """Parse forms/supervision.toml. Raises FormError naming `name` and the key path at fault."""
    root = load_toml(name, text)
    note = root.text("note", "")
    type_tables = root.tables("session_types")
    for table in type_tables:
        table.identifier("id")  # a clear message for a bad id before the order check
    check_fixed_ids(type_tables, root, "session_types", SESSION_TYPE_IDS)
    types = []
    for table in type_tables:
        phase = table.text("phase")
        if phase not in SESSION_PHASES:
            raise table.error("phase", f"expected one of {', '.join(SESSION_PHASES)}")
        types.append(
            SessionTypeDef(
                id=table.identifier("id"),
                label=table.text("label"),
                phase=phase,
                agenda=_read_prompts(table, "agenda", set(), "agenda item"),
            )
        )
        table.done()
    group_tables = root.tables("wellbeing")
    for table in group_tables:
        table.identifier("id")
    check_fixed_ids(group_tables, root, "wellbeing", WELLBEING_GROUP_IDS)
    prompt_ids: set[str] = set()
    groups = []
    for table in group_tables:
        groups.append(
            PromptGroup(
                table.identifier("id"),
                table.text("title"),
                _read_prompts(table, "prompts", prompt_ids, "prompt"),
            )
        )
        table.done()
    risk = root.table("risk_questions")
    risk_note = risk.text("note", "")
    questions = _read_prompts(risk, "questions", set(), "question")
    risk.done()
    root.done()
    return SupervisionForms(note, tuple(types), tuple(groups), risk_note, questions)
