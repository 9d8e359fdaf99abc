"""Read the form files from disk and hand their text to the pure parsers in domain/forms/."""

from __future__ import annotations

from pathlib import Path

from aim3desk.domain.forms import (
    DOMAINS_FILE,
    EVIDENCE_FILE,
    INTERVENTION_FILE,
    MODELS_DIR,
    SCREENING_FILE,
    SUPERVISION_FILE,
    EvidenceRules,
    FormError,
    FormSet,
    InterventionForms,
    ScreeningScale,
    SupervisionForms,
    apply_licensed,
    parse_evidence_rules,
    parse_form_set,
    parse_intervention,
    parse_screening,
    parse_supervision,
)
from aim3desk.domain.limits import MAX_FORM_FILE_BYTES
from aim3desk.domain.sharing import SHARING_FILE, SharingPolicy, parse_sharing_policy
from aim3desk.paths import data_dir


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as handle:  # no further than the limit: the reader refuses more
            data = handle.read(MAX_FORM_FILE_BYTES + 1)
        # A file cut at the limit may end inside a character; "replace" never shortens it.
        return data.decode("utf-8", "replace" if len(data) > MAX_FORM_FILE_BYTES else "strict")
    except FileNotFoundError:
        raise FormError(str(path), "", "file not found") from None
    except UnicodeDecodeError as exc:
        raise FormError(str(path), "", f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FormError(str(path), "", f"cannot read the file: {exc.strerror}") from None


def load_form_set(forms_dir: Path | None = None, licensed_file: Path | None = None) -> FormSet:
    """The shipped forms (domains.toml and models/*.toml), with an organisation's licensed
    form file laid over them when one is given. Errors name the full path of the file."""
    folder = forms_dir if forms_dir is not None else data_dir("forms")
    sources = {str(folder / DOMAINS_FILE): _read_text(folder / DOMAINS_FILE)}
    for model_file in sorted((folder / MODELS_DIR).glob("*.toml")):
        sources[str(model_file)] = _read_text(model_file)
    form_set = parse_form_set(sources)
    if licensed_file is not None:
        form_set = apply_licensed(form_set, str(licensed_file), _read_text(licensed_file))
    return form_set


def load_evidence_rules(forms_dir: Path | None = None) -> EvidenceRules:
    """Evidence sources, categories, sharing classes and default sharing (forms/evidence.toml)."""
    path = (forms_dir if forms_dir is not None else data_dir("forms")) / EVIDENCE_FILE
    return parse_evidence_rules(str(path), _read_text(path))


def load_screening(forms_dir: Path | None = None) -> ScreeningScale:
    """The Hackett continuum and traffic-light wording (forms/screening.toml): screening only."""
    path = (forms_dir if forms_dir is not None else data_dir("forms")) / SCREENING_FILE
    return parse_screening(str(path), _read_text(path))


def load_supervision(forms_dir: Path | None = None) -> SupervisionForms:
    """Supervision session types and agendas, well-being prompts and risk-management key
    questions (forms/supervision.toml)."""
    path = (forms_dir if forms_dir is not None else data_dir("forms")) / SUPERVISION_FILE
    return parse_supervision(str(path), _read_text(path))


def load_intervention(forms_dir: Path | None = None) -> InterventionForms:
    """The four stages of the AIM intervention framework with their work for the adults, the
    young person and the risk management meeting (forms/intervention.toml)."""
    path = (forms_dir if forms_dir is not None else data_dir("forms")) / INTERVENTION_FILE
    return parse_intervention(str(path), _read_text(path))


def load_sharing_policy(
    forms_dir: Path | None = None, rules: EvidenceRules | None = None
) -> SharingPolicy:
    """The sharing policy (forms/sharing.toml): audiences, their categories and sections, the
    "How to read this" text and the lawful bases; checked against the evidence rules."""
    folder = forms_dir if forms_dir is not None else data_dir("forms")
    path = folder / SHARING_FILE
    rules = rules if rules is not None else load_evidence_rules(folder)
    return parse_sharing_policy(str(path), _read_text(path), rules)
