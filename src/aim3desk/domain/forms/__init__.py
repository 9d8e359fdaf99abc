"""Form definitions parsed from TOML text: assessment models (domains, factor slots, rating
scales and bands), evidence rules, screening wording, supervision and intervention forms.

One module per form file along with the reader they share; callers import the public names
from here. The file format is documented in docs/forms.md.
"""

from aim3desk.domain.forms.evidence import (
    ANY,
    EVIDENCE_FILE,
    EvidenceCategory,
    EvidenceRules,
    EvidenceSource,
    SharingClass,
    SharingRule,
    parse_evidence_rules,
)
from aim3desk.domain.forms.intervention import (
    CONTENT_TRACKS,
    INTERVENTION_FILE,
    RESPONSIBILITY_IDS,
    STAGE_COUNT,
    InterventionForms,
    ProgressScale,
    StageDef,
    StageItem,
    parse_intervention,
)
from aim3desk.domain.forms.model import (
    DOMAINS_FILE,
    FACTORS_PER_DOMAIN,
    MODELS_DIR,
    AreaDef,
    Band,
    DomainDef,
    DomainScore,
    FactorSlot,
    FormSet,
    ModelDef,
    RatingOption,
    RatingScale,
)
from aim3desk.domain.forms.model_files import apply_licensed, parse_form_set
from aim3desk.domain.forms.reader import FORMAT_VERSION, FormError
from aim3desk.domain.forms.screening import (
    HACKETT_IDS,
    SCREENING_FILE,
    TRAFFIC_LIGHT_IDS,
    ScreeningOption,
    ScreeningScale,
    parse_screening,
)
from aim3desk.domain.forms.supervision import (
    SESSION_PHASES,
    SESSION_TYPE_IDS,
    SUPERVISION_FILE,
    WELLBEING_GROUP_IDS,
    Prompt,
    PromptGroup,
    SessionTypeDef,
    SupervisionForms,
    parse_supervision,
)

__all__ = [
    "ANY",
    "CONTENT_TRACKS",
    "DOMAINS_FILE",
    "EVIDENCE_FILE",
    "FACTORS_PER_DOMAIN",
    "FORMAT_VERSION",
    "HACKETT_IDS",
    "INTERVENTION_FILE",
    "MODELS_DIR",
    "RESPONSIBILITY_IDS",
    "SCREENING_FILE",
    "SESSION_PHASES",
    "SESSION_TYPE_IDS",
    "STAGE_COUNT",
    "SUPERVISION_FILE",
    "TRAFFIC_LIGHT_IDS",
    "WELLBEING_GROUP_IDS",
    "AreaDef",
    "Band",
    "DomainDef",
    "DomainScore",
    "EvidenceCategory",
    "EvidenceRules",
    "EvidenceSource",
    "FactorSlot",
    "FormError",
    "FormSet",
    "InterventionForms",
    "ModelDef",
    "ProgressScale",
    "Prompt",
    "PromptGroup",
    "RatingOption",
    "RatingScale",
    "ScreeningOption",
    "ScreeningScale",
    "SessionTypeDef",
    "SharingClass",
    "SharingRule",
    "StageDef",
    "StageItem",
    "SupervisionForms",
    "apply_licensed",
    "parse_evidence_rules",
    "parse_form_set",
    "parse_intervention",
    "parse_screening",
    "parse_supervision",
]
