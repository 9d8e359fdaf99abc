"""The one note a report prints when its factor names are the generic placeholders ("Sexual
behaviour factor 2"), because the organisation's licensed AIM3 form file is not installed
(FormSet.has_placeholder_factors decides; docs/forms.md). Each report that prints factor
names calls factor_wording_note() once."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from aim3desk.services.reports.labels import model_def
from aim3desk.services.reports.outline import Styles
from aim3desk.services.reports.request import ReportRequest
from aim3desk.services.reports.style import text

FACTOR_WORDING_NOTE = (
    "Factor wording comes from your organisation's licensed AIM3 materials; it is not "
    "installed on this computer."
)


def uses_placeholder_factors(req: ReportRequest) -> bool:
    model = model_def(req)
    return req.form_set.has_placeholder_factors(model.id if model is not None else None)


def factor_wording_note(req: ReportRequest, st: Styles) -> list:
    """The note, or nothing when every factor of the model has its licensed name."""
    if not uses_placeholder_factors(req):
        return []
    return [
        Paragraph(
            text(
                "Factor names such as “Sexual behaviour factor 2” are placeholders. "
                + FACTOR_WORDING_NOTE
            ),
            st["small"],
        )
    ]
