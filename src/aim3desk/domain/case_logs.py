"""Per-case logs of the assessment process (seed 003): barriers and delays escalated to the
lead worker's line manager, and consultations with a specialist service. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aim3desk.domain.cases import ValidationError


@dataclass(frozen=True)
class EscalationEntry:
    id: str
    date: date  # when the barrier or delay arose
    barrier_or_delay: str
    reported_to: str  # the line manager
    reported_on: date | None = None
    outcome: str = ""


@dataclass(frozen=True)
class ConsultationEntry:
    id: str
    date: date
    service: str
    advice: str = ""


def validate_escalation(entry: EscalationEntry, today: date) -> None:
    problems: dict[str, str] = {}
    if not entry.barrier_or_delay.strip():
        problems["barrier_or_delay"] = "Describe the barrier or delay."
    if not entry.reported_to.strip():
        problems["reported_to"] = "Enter the line manager it was reported to."
    if entry.date > today:
        problems["date"] = "The date is in the future."
    if entry.reported_on is not None and entry.reported_on < entry.date:
        problems["reported_on"] = "It was reported before it arose."
    if problems:
        raise ValidationError(problems)


def validate_consultation(entry: ConsultationEntry, today: date) -> None:
    problems: dict[str, str] = {}
    if not entry.service.strip():
        problems["service"] = "Enter the service consulted."
    if entry.date > today:
        problems["date"] = "The date is in the future."
    if problems:
        raise ValidationError(problems)
