"""The annual return as CSV or PDF: counts only, never a name or a case reference.

The CSV is written with the csv module; the PDF is one page with the protective marking top
and bottom, the organisation, the period and the counts table (fonts from services/reports).
Both are written atomically (aim3desk/atomic_file.py).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from aim3desk.config import EffectiveSettings
from aim3desk.domain.annual_return import AnnualReturn, annual_return, default_return_period
from aim3desk.services.recorded_file import write_recorded
from aim3desk.store.unit_of_work import UnitOfWork

AUDIT_ACTION = "annual_return.export"
FORMATS = (".csv", ".pdf")
TITLE = "AIM3 assessments: annual return"


def csv_bytes(result: AnnualReturn, organisation: str = "") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["measure", "count"])
    for label, count in result.rows():
        writer.writerow([label, count])
    writer.writerow([])
    writer.writerow(["period_from", result.period_from.isoformat()])
    writer.writerow(["period_to", result.period_to.isoformat()])
    if organisation:
        writer.writerow(["organisation", organisation])
    return out.getvalue().encode("utf-8")


def pdf_bytes(result: AnnualReturn, organisation: str = "") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from aim3desk.services.reports import (
        FONT,
        FONT_BOLD,
        INK,
        LABEL_FILL,
        MARKING,
        MUTED,
        RULE,
        long_date,
        register_fonts,
    )

    register_fonts()
    width, height = A4
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, textColor=INK)
    title = ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=18, leading=24)
    muted = ParagraphStyle("muted", parent=body, textColor=MUTED)

    def marking(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT_BOLD, 10)
        canvas.setFillColor(INK)
        canvas.drawCentredString(width / 2, height - 12 * mm, MARKING)
        canvas.drawCentredString(width / 2, 10 * mm, MARKING)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=25 * mm,
        bottomMargin=22 * mm,
        title=TITLE,
        author=organisation or "AIM3 Desk",
        subject=MARKING,
    )
    table = Table(
        [[Paragraph("<b>Measure</b>", body), Paragraph("<b>Count</b>", body)]]
        + [
            [Paragraph(label.replace("&", "&amp;").replace("<", "&lt;"), body), str(count)]
            for label, count in result.rows()
        ],
        colWidths=[130 * mm, 30 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), LABEL_FILL),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("ALIGN", (1, 1), (1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story = [
        Paragraph(TITLE, title),
        Paragraph(organisation.replace("&", "&amp;").replace("<", "&lt;"), body)
        if organisation
        else Spacer(1, 1),
        Paragraph(
            f"Period: {long_date(result.period_from)} to {long_date(result.period_to)}", body
        ),
        Spacer(1, 6 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph(
            "Counts only. Completed: assessment versions signed off by a supervisor in the "
            "period. Completed without sign-off: cases marked completed in the period with "
            "a recorded reason instead of a sign-off. Ongoing or outstanding: requested by "
            "the end of the period and neither signed off nor completed by then (including "
            "finished versions awaiting sign-off). Not completed: cases marked not completed "
            "in the period, by reason.",
            muted,
        ),
    ]
    doc.build(story, onFirstPage=marking, onLaterPages=marking)
    return buffer.getvalue()


class AnnualReturnService:
    """The annual return (`session.annual_return`): counts only."""

    def __init__(self, uow: UnitOfWork, settings: EffectiveSettings, actor: str):
        self._uow = uow
        self._settings = settings
        self.actor = actor

    def compute(self, period_from: date, period_to: date) -> AnnualReturn:
        """The return for the period from every case in the profile, its reviews received,
        bundles sent and overrides (one snapshot, five queries)."""
        with self._uow.read() as tx:
            found = tx.all_cases()
            sign_offs = tx.sign_off_records()
        return annual_return(found, period_from, period_to, sign_offs)

    def default_period(self, today: date) -> tuple[date, date]:
        """The reporting year the return opens at: the last whole year with anything to count
        (domain/annual_return.py default_return_period)."""
        with self._uow.read() as tx:
            found = tx.all_cases()
            sign_offs = tx.sign_off_records()
        return default_return_period(found, today, sign_offs)

    def write(self, period_from: date, period_to: date, out_path: Path) -> AnnualReturn:
        """Compute the return and write it as CSV or PDF (by the file's extension),
        atomically, and audit it (counts and format only)."""
        out_path = Path(out_path)
        suffix = out_path.suffix.lower()
        if suffix not in FORMATS:
            raise ValueError("The annual return is written as a .csv or a .pdf file.")
        result = self.compute(period_from, period_to)
        organisation = self._settings.values.organisation_name
        data = (
            csv_bytes(result, organisation) if suffix == ".csv" else pdf_bytes(result, organisation)
        )
        detail = {
            "format": suffix[1:],
            "period_from": period_from.isoformat(),
            "period_to": period_to.isoformat(),
        }
        # The file and its entry in one transaction: neither is kept without the other.
        write_recorded(
            self._uow, out_path, data, lambda tx: tx.audit(self.actor, AUDIT_ACTION, "", detail)
        )
        return result
