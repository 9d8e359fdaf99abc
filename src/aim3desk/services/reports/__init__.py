"""Reports as PDFs (reportlab platypus): the full assessment report, share reports for other
agencies, the young person's version, the ending report and the supervision record.

- style.py: fonts, marking, colours, paragraph styles, table helpers
- document.py: pages (marking, DRAFT, "Page n of N", contents, progress, cancellation)
- request.py: what a report is built from (ReportKind, ReportRequest)
- produce.py: what a caller gives and gets back (ShareAnswers, ProducedReport)
- service.py: ReportService (session.reports): prepare, preview, build, record
- outline.py, labels.py: numbered headings and the marking notice; labels for ids
- sections.py: what the assessment found (details, chronology, profile, evidence, strengths)
- domain_sections.py: the full report's domains in prose, factor by factor, with evidence
- plan_sections.py: formulation, recommendations, safety plan, intervention plan summary
- signoff.py: the supervision and sign-off section with the signature block
- graph.py: the vector profile graph
- full.py (with its front sheet), share.py, young_person.py, ending.py,
  supervision_record.py: each kind of report (dates: domain/dates.py long_date, one style)
- build.py: build_report()
- access.py (with access_request.py, access_records.py, access_trail.py, marking.py): the
  subject access "records held" export of one case, internal-only items marked, not removed
"""

from aim3desk.services.reports.access_request import (
    AUDIT_ACCESS_EXPORT,
    AccessRequest,
    access_filename,
)
from aim3desk.services.reports.build import build_case_report, build_report
from aim3desk.services.reports.produce import ProducedReport, ShareAnswers
from aim3desk.services.reports.request import (
    SHARE_KINDS,
    ReportKind,
    ReportRequest,
    ShareDetails,
    default_filename,
)
from aim3desk.services.reports.service import ReportService
from aim3desk.services.reports.style import (
    FONT,
    FONT_BOLD,
    FONT_FILES,
    INK,
    LABEL_FILL,
    MARKING,
    MUTED,
    RULE,
    ReportCancelled,
    ReportError,
    fonts_dir,
    long_date,
    register_fonts,
)

__all__ = [
    "AUDIT_ACCESS_EXPORT",
    "FONT",
    "FONT_BOLD",
    "FONT_FILES",
    "INK",
    "LABEL_FILL",
    "MARKING",
    "MUTED",
    "RULE",
    "SHARE_KINDS",
    "AccessRequest",
    "ProducedReport",
    "ReportCancelled",
    "ReportError",
    "ReportKind",
    "ReportRequest",
    "ReportService",
    "ShareAnswers",
    "ShareDetails",
    "access_filename",
    "build_case_report",
    "build_report",
    "default_filename",
    "fonts_dir",
    "long_date",
    "register_fonts",
]
