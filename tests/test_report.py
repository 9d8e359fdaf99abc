"""The case report PDF: markings on every page, page numbers, every word of the evidence, and
names in non-Latin scripts, checked on the text pypdf extracts from a real PDF."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk.domain.assessment import AssessmentContent, EvidenceEntry, FactorRating
from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    new_id,
    start_assessment,
)
from aim3desk.domain.sign_off import sign_off
from aim3desk.output_path import OutputExists, OutputRefused
from aim3desk.services.forms_loader import load_form_set
from aim3desk.services.reports import build_case_report
from aim3desk.services.reports import default_filename as default_report_filename

REFERENCE = "RPT-0042"
CYRILLIC_NAME = "Всеволод Выдумкин"  # invented: "Vsevolod Made-up-kin"
GREEK_CO_WORKER = "Ζωή Κυπαρισσάκη-Δοκιμή"  # invented
DECORATION = {
    "DRAFT",
    "OFFICIAL-SENSITIVE",
    "Page",
    "of",
    "Case",
    REFERENCE,
    "·",
    "assessment",
    "report",
}


def long_evidence(words: int = 20_000) -> str:
    """Numbered invented words, so order and completeness can be checked exactly. Mostly one
    enormous line (it must flow over many pages), with a few line breaks."""
    rng = random.Random(7)
    out: list[str] = []
    for i in range(1, words + 1):
        out.append(f"w{i}")
        if rng.random() < 0.0005:
            out.append("\n")
    return " ".join(out).replace(" \n ", "\n")


@pytest.fixture(scope="module")
def form_set():
    return load_form_set()


@pytest.fixture(scope="module")
def evidence() -> dict[str, str]:
    return {
        "sexual_behaviour": 'Said <b>nothing</b> & then "left"; text with markup characters.\n\n'
        "Second paragraph after a blank line.",
        "developmental": long_evidence(),
        "family_environment": "Lives with Αλεξάνδρα (invented) and Єва (invented).",
        "self_regulation": "Short line.",
    }


@pytest.fixture(scope="module")
def case(evidence: dict[str, str]) -> Case:
    base = Case(
        id=new_id(),
        reference=REFERENCE,
        young_person_name=CYRILLIC_NAME,
        date_of_birth=date(2010, 4, 2),
        lead_agency=LeadAgency.YOS,
        lead_worker="Tamsin Quillfeather",
        requested_by=Requester.CRIMINAL_COURT,
        request_date=date(2024, 11, 1),
        co_workers=(GREEK_CO_WORKER, "Bram O'Dell & <Co>"),
        status=CaseStatus.IN_ASSESSMENT,
    )
    assessment = start_assessment(base, AssessmentModel.AIM3)
    return replace(base, assessments=(assessment,))


RATIONALE = "Rationale seen at home & school <i>twice</i> (invented)."


@pytest.fixture(scope="module")
def content(evidence: dict[str, str]) -> AssessmentContent:
    entries = tuple(
        EvidenceEntry(
            id=f"e{n}",
            domain_id=domain_id,
            factor_slot=2 if domain_id == "self_regulation" else None,
            text=text,
            date=date(2024, 11, 10) if n % 2 else None,
            source="education" if n % 2 else "practitioner_observation",
            category="background",
            sharing="shareable",
        )
        for n, (domain_id, text) in enumerate(evidence.items())
    )
    ratings = (
        FactorRating("sexual_behaviour", 3, "some_concern", RATIONALE, "Open account given."),
        FactorRating("developmental", 1, "unknown"),
    )
    return AssessmentContent(ratings=ratings, evidence=entries)


@pytest.fixture(scope="module")
def pdf(
    tmp_path_factory: pytest.TempPathFactory,
    case: Case,
    content: AssessmentContent,
    form_set,
) -> Path:
    from aim3desk.services.forms_loader import load_evidence_rules

    not_signed_off = sign_off(case.current_assessment, (), ())
    out = tmp_path_factory.mktemp("report") / default_report_filename(case, "full", not_signed_off)
    return build_case_report(
        case,
        form_set,
        out,
        "Tamsin Quillfeather",
        "Invented Council",
        content=content,
        evidence_rules=load_evidence_rules(),
    )


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def body_words(pages: list[str]) -> list[str]:
    """Words of the whole report without the running header, footer and watermark."""
    words: list[str] = []
    for text in pages:
        words += [w for w in text.split() if w not in DECORATION and not w.isdigit()]
    return words


def test_every_page_is_marked_and_numbered(pages: list[str]) -> None:
    total = len(pages)
    assert total > 20  # the long evidence really flowed over many pages
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, number  # top and bottom
        assert "DRAFT" in text
        assert f"Page {number} of {total}" in text
    assert "Page 1 of" in pages[0]


def test_front_sheet_names_the_young_person_for_the_network(pages: list[str], case: Case) -> None:
    """The full report goes only to the immediate network: its front sheet names the young
    person (the file name and metadata never do: see below)."""
    cover = pages[0]
    for expected in (
        REFERENCE,
        "AIM3",
        "Tamsin Quillfeather",
        "1 November 2024",
        "13 December 2024",
        "Invented Council",
        "Assessment version",
        CYRILLIC_NAME,
        GREEK_CO_WORKER,
        "Social worker",
        "None recorded",
    ):
        assert expected in cover
    assert "Contents" in pages[1]


def test_every_evidence_text_is_there_in_full(pages: list[str], evidence: dict[str, str]) -> None:
    joined = " ".join(body_words(pages))
    for domain_id, text in evidence.items():
        expected = " ".join(text.split())
        assert expected in joined, domain_id
    # The long one word by word, in order, nothing cut at page ends.
    numbered = [w for w in body_words(pages) if re.fullmatch(r"w\d+", w)]
    assert numbered == [f"w{i}" for i in range(1, 20_001)]


def test_domains_without_evidence_say_so(pages: list[str]) -> None:
    text = "\n".join(pages)
    assert "Non-sexual behaviour" in text
    assert "No evidence recorded yet." in text
    assert "No factors rated yet." in text


def test_ratings_rationale_and_evidence_provenance(pages: list[str]) -> None:
    joined = " ".join(" ".join(pages).split())
    assert RATIONALE in joined
    assert "Some concern" in joined and "Open account given." in joined
    assert "Unknown (not enough information yet)" in joined
    assert "No rationale recorded yet." in joined
    assert "Education · 10 November 2024" in joined
    assert "Practitioner observation · Undated" in joined


def test_file_name_and_metadata_leave_the_name_out(pdf: Path, case: Case) -> None:
    assert pdf.name == "RPT-0042-assessment-v1-DRAFT.pdf"
    metadata = PdfReader(pdf).metadata
    values = " ".join(str(v) for v in metadata.values())
    assert CYRILLIC_NAME not in values
    assert "Выдумкин" not in values
    assert REFERENCE in values


def test_written_atomically(tmp_path: Path, case: Case, form_set) -> None:
    short = case
    out = tmp_path / "r.pdf"
    out.write_bytes(b"previous report")
    with pytest.raises(OutputExists, match="already exists and was left as it was"):
        build_case_report(short, form_set, out, "Tamsin Quillfeather")
    assert out.read_bytes() == b"previous report"
    build_case_report(short, form_set, out, "Tamsin Quillfeather", replace=True)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]
    missing = tmp_path / "missing" / "r.pdf"
    with pytest.raises(OutputRefused, match=f"The folder {missing.parent} does not exist"):
        build_case_report(short, form_set, missing, "Tamsin")
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_case_without_assessment(tmp_path: Path, case: Case, form_set) -> None:
    bare = replace(case, assessments=())
    out = build_case_report(bare, form_set, tmp_path / "bare.pdf", "Tamsin Quillfeather")
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Not started" in text
    assert re.search(r"Page 1 of \d+", text)
