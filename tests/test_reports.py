"""Reports beyond the full one: redaction of every share report checked on the text pypdf
extracts from real PDFs (canaries), a policy that asks for internal material, a very long
case with non-Latin names, the sharing log with its audit entries, the CLI's refusals,
cancellation, and the young person's and ending reports."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim3desk import cli
from aim3desk.domain.assessment import (
    AssessmentContent,
    EvidenceEntry,
    FactorRating,
    Formulation,
    FormulationPart,
    FormulationPartId,
    SafetyAction,
    SafetyPlan,
    SpeakerKind,
    Voice,
)
from aim3desk.domain.case_records import CaseRecords
from aim3desk.domain.cases import (
    AssessmentModel,
    Case,
    CaseStatus,
    LeadAgency,
    Requester,
    ValidationError,
    new_id,
    start_assessment,
)
from aim3desk.domain.forms import FormError
from aim3desk.domain.intervention import (
    EndingSummary,
    Goal,
    InterventionPlan,
    KeepingSafePlan,
    ProgressReview,
    Track,
    TrackKind,
)
from aim3desk.domain.review import Decision, Review, ReviewedVersion, SentVersion, Supervisor
from aim3desk.domain.sharing import (
    AUDIENCE_IDS,
    NEVER_SHARED_CLASSES,
    SECTIONS,
    AudiencePolicy,
    parse_sharing_policy,
)
from aim3desk.domain.sign_off import SignOffRecords
from aim3desk.domain.supervision import PromptResponse, SupervisionSession, SupervisionType
from aim3desk.paths import data_dir
from aim3desk.security.kdf import KdfParams
from aim3desk.services.forms_loader import (
    load_evidence_rules,
    load_form_set,
    load_sharing_policy,
)
from aim3desk.services.profile import ProfileService
from aim3desk.services.reports import (
    ReportCancelled,
    ReportKind,
    ReportRequest,
    ShareAnswers,
    ShareDetails,
    build_report,
)

PASSPHRASE = "quill lantern orchard seventeen ribbon"
REFERENCE = "SHR-0007"
NAME = "Всеволод Αλεξίου-Выдумкин"  # invented, Cyrillic and Greek
INTERNAL_CLASSES = sorted(NEVER_SHARED_CLASSES)
CATEGORIES = [
    "background",
    "risk_factor",
    "protective_factor",
    "intervention_outcome",
    "multi_agency",
]
FORMULATION_CANARY = "CANARYformulationdetail"
SUMMARY_CANARY = "CANARYformulationsummary"
WELLBEING_CANARY = "CANARYwellbeing"
VOICE_CANARY = "CANARYverbatimvoice"
GOAL_WORDS = "I want to feel calm when I get cross"
KEEPING_SAFE_WORDS = "When I feel worried I talk to my aunt or my mentor"


def internal_canary(sharing: str, category: str) -> str:
    return f"CANARYinternal{sharing.replace('_', '')}{category.replace('_', '')}"


def shareable_canary(category: str) -> str:
    return f"CANARYshare{category.replace('_', '')}"


@pytest.fixture(scope="module")
def form_set():
    return load_form_set()


@pytest.fixture(scope="module")
def rules():
    return load_evidence_rules()


@pytest.fixture(scope="module")
def policy(rules):
    return load_sharing_policy(rules=rules)


def make_case(reference: str = REFERENCE, finished: bool = False) -> Case:
    base = Case(
        id=new_id(),
        reference=reference,
        young_person_name=NAME,
        date_of_birth=date(2010, 4, 2),
        lead_agency=LeadAgency.YOS,
        lead_worker="Tamsin Quillfeather",
        requested_by=Requester.CRIMINAL_COURT,
        request_date=date(2024, 11, 1),
        status=CaseStatus.IN_INTERVENTION if finished else CaseStatus.IN_ASSESSMENT,
    )
    assessment = start_assessment(base, AssessmentModel.AIM3)
    if finished:
        assessment = replace(
            assessment, finished=True, finished_at=datetime(2024, 12, 10, 12, tzinfo=UTC)
        )
    return replace(base, assessments=(assessment,))


def canary_content() -> AssessmentContent:
    entries = []
    for number, category in enumerate(CATEGORIES):
        for sharing in INTERNAL_CLASSES:
            entries.append(
                EvidenceEntry(
                    id=new_id(),
                    domain_id="developmental",
                    factor_slot=None,
                    text=f"Invented internal entry {internal_canary(sharing, category)} here.",
                    date=date(2024, 11, 5 + number),
                    source="practitioner_observation",
                    category=category,
                    sharing=sharing,
                )
            )
        entries.append(
            EvidenceEntry(
                id=new_id(),
                domain_id="family_environment",
                factor_slot=2,
                text=f"Invented shareable entry {shareable_canary(category)} here.",
                date=date(2024, 11, 12),
                source="education",
                category=category,
                sharing="shareable",
            )
        )
    formulation = Formulation()
    for part_id in FormulationPartId:
        words = (
            f"Invented conclusion {SUMMARY_CANARY}."
            if part_id is FormulationPartId.INTERVENTION_AND_SUPERVISION
            else f"Invented analysis {FORMULATION_CANARY}{part_id.value.replace('_', '')}."
        )
        formulation = formulation.with_part(part_id, FormulationPart(words))
    return AssessmentContent(
        ratings=(FactorRating("sexual_behaviour", 1, "some_concern", "Invented rationale."),),
        evidence=tuple(entries),
        voices=(Voice(new_id(), SpeakerKind.YOUNG_PERSON, "", "", f"I said {VOICE_CANARY}."),),
        formulation=formulation,
        safety_plan=SafetyPlan(
            risks="Invented risk.",
            actions=(SafetyAction("Carers", "Invented action", "Home"),),
            supervision_level="Invented level",
        ),
    )


def canary_records() -> CaseRecords:
    session = SupervisionSession(
        new_id(),
        date(2024, 12, 9),
        "Rosalind Mockingham",
        SupervisionType.ASSESSMENT_THREE,
        agenda_done=("sign_off",),
        notes="Invented notes.",
        wellbeing=(PromptResponse("feelings_evoked", WELLBEING_CANARY),),
        include_for_supervisor=True,
    )
    young = Track("t1", TrackKind.YOUNG_PERSON, "", 4)
    parent = Track("t2", TrackKind.PARENT_CARER, "Invented Carer", 3)
    goals = (
        Goal(
            "g1",
            "t1",
            2,
            "Develop emotional regulation strategies",
            plain_words=GOAL_WORDS,
            who_can_help="My mentor at school",
            reviews=(
                ProgressReview(date(2025, 1, 10), 3),
                ProgressReview(date(2025, 3, 10), 7),
            ),
        ),
        Goal("g2", "t2", 1, "Keep the safety plan at home"),
    )
    plan = InterventionPlan(
        tracks=(young, parent),
        goals=goals,
        keeping_safe_plans=(KeepingSafePlan(1, date(2025, 2, 1), KEEPING_SAFE_WORDS, "Aunt"),),
        ending=EndingSummary(
            progress="Invented progress ENDINGprogress.",
            risk_and_change="Invented change ENDINGrisk.",
            outstanding="Invented outstanding ENDINGoutstanding.",
        ),
    )
    return CaseRecords(sessions=(session,), plan=plan)


def request_for(kind, form_set, rules, policy, **changes) -> ReportRequest:
    kind = ReportKind(kind)
    request = ReportRequest(
        kind=kind,
        case=make_case(),
        form_set=form_set,
        rules=rules,
        author="Tamsin Quillfeather",
        content=canary_content(),
        records=canary_records(),
        policy=policy,
        organisation="Invented Council",
        produced=date(2025, 3, 20),
        share=ShareDetails("DS Invented", "Strategy meeting", "Public task")
        if kind.is_share
        else None,
    )
    return replace(request, **changes)


# The test case's version is neither signed off nor ready: a share report needs a reason.
UNSIGNED_SHARE_REASON = "Needed for the strategy meeting"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def all_internal_canaries() -> list[str]:
    return [internal_canary(s, c) for s in INTERNAL_CLASSES for c in CATEGORIES]


# -- redaction --------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCE_IDS)
def test_share_report_gets_exactly_what_its_policy_allows(
    audience: str, tmp_path: Path, form_set, rules, policy
) -> None:
    path = build_report(
        request_for(audience, form_set, rules, policy), tmp_path / f"{audience}.pdf"
    )
    found = pdf_text(path)
    assert found.lstrip().split("\n")[0:3]  # something was written
    assert "How to read this" in found.split("About this extract")[0]
    for canary in all_internal_canaries():
        assert canary not in found, canary
    assert FORMULATION_CANARY not in found
    assert VOICE_CANARY not in found
    assert WELLBEING_CANARY not in found
    given = policy.audience(audience)
    for category in CATEGORIES:
        expected = category in given.categories and "evidence" in given.sections
        assert (shareable_canary(category) in found) is expected, category
    assert (SUMMARY_CANARY in found) is ("formulation_summary" in given.sections)
    assert given.uses in " ".join(found.split())


def pdf_text_in_drawing_order(path: Path) -> str:
    """pdftotext -raw: text in the order it was drawn, so a table reads row by row and a
    watermark drawn across it does not break its rows apart."""
    result = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_share_report_factor_ratings_table_lists_every_factor_with_its_rating(
    tmp_path: Path, form_set, rules, policy
) -> None:
    chosen = {  # (domain, slot): rating value, and the label the table must print
        ("sexual_behaviour", 1): ("some_concern", "Some concern"),
        ("developmental", 3): ("significant_concern", "Significant concern"),
        ("family_environment", 2): ("unknown", "Unknown (not enough information yet)"),
        ("self_regulation", 5): ("no_concern", "No concern"),
    }
    ratings = tuple(
        FactorRating(domain, slot, value, "Invented rationale.")
        for (domain, slot), (value, _label) in chosen.items()
    )
    content = replace(canary_content(), ratings=ratings)
    request = request_for("police", form_set, rules, policy, content=content)
    assert "profile" in request.policy.audience("police").sections
    found = pdf_text_in_drawing_order(build_report(request, tmp_path / "police.pdf"))

    expected = ["Domain Factor Degree of concern"]
    for domain in form_set.domains_for("aim3"):
        for factor in domain.factors:
            label = chosen.get((domain.id, factor.slot), (None, "Not rated"))[1]
            expected.append(f"{domain.title} {factor.label} {label}")
    assert len(expected) == 26
    table = " ".join(found.split("\nFactor ratings\n", 1)[1].split())
    assert table.startswith(" ".join(expected)), table[:1500]


def test_full_report_contains_all_but_wellbeing(tmp_path: Path, form_set, rules, policy) -> None:
    found = pdf_text(build_report(request_for("full", form_set, rules, policy), tmp_path / "f.pdf"))
    for canary in all_internal_canaries() + [shareable_canary(c) for c in CATEGORIES]:
        assert canary in found, canary
    assert FORMULATION_CANARY in found and SUMMARY_CANARY in found and VOICE_CANARY in found
    assert WELLBEING_CANARY not in found
    # The sign-off item is ticked but the canary case's version is open: still a DRAFT, and
    # nobody is named as having signed it off.
    assert "DRAFT" in found and "Rosalind Mockingham" not in found


def test_a_policy_asking_for_internal_material_still_gets_none(
    tmp_path: Path, form_set, rules, policy
) -> None:
    greedy = AudiencePolicy(
        id="police",
        label="Police",
        uses="Invented.",
        categories=tuple(CATEGORIES),
        sections=(*SECTIONS, "formulation", "voices", "supervision", "wellbeing"),
        sharing_classes=("shareable", *INTERNAL_CLASSES),
    )
    attacked = replace(
        policy, audiences=tuple(greedy if a.id == "police" else a for a in policy.audiences)
    )
    found = pdf_text(
        build_report(request_for("police", form_set, rules, attacked), tmp_path / "p.pdf")
    )
    for canary in all_internal_canaries():
        assert canary not in found, canary
    for canary in (FORMULATION_CANARY, VOICE_CANARY, WELLBEING_CANARY):
        assert canary not in found
    assert all(shareable_canary(c) in found for c in CATEGORIES)
    # Even if evidence.toml were edited to call an internal class shareable.
    loosened = replace(
        rules,
        sharing_classes=tuple(replace(c, internal_only=False) for c in rules.sharing_classes),
    )
    found = pdf_text(
        build_report(request_for("police", form_set, loosened, attacked), tmp_path / "p2.pdf")
    )
    assert not [c for c in all_internal_canaries() if c in found]


def test_policy_file_asking_for_internal_material_is_refused(rules) -> None:
    path = data_dir("forms") / "sharing.toml"
    shipped = path.read_text("utf-8")
    asks_formulation = shipped.replace(
        'sections = ["case_details", "strengths", "evidence", "safety_plan", '
        '"intervention_summary"]',
        'sections = ["case_details", "formulation"]',
        1,
    )
    assert asks_formulation != shipped
    with pytest.raises(FormError, match="never shared"):
        parse_sharing_policy("sharing.toml", asks_formulation, rules)
    asks_class = shipped.replace(
        'categories = ["protective_factor", "intervention_outcome"]',
        'categories = ["protective_factor", "intervention_outcome"]\n'
        'sharing_classes = ["shareable", "verbatim_session"]',
        1,
    )
    assert asks_class != shipped
    with pytest.raises(FormError, match="not a shareable sharing class"):
        parse_sharing_policy("sharing.toml", asks_class, rules)
    with pytest.raises(FormError, match="no category"):
        parse_sharing_policy("sharing.toml", shipped.replace('"risk_factor"', '"rumour"', 1), rules)


# -- long case --------------------------------------------------------------------------------


def long_case_content(entries: int, words_per_entry: int) -> AssessmentContent:
    evidence = []
    for n in range(entries):
        words = [f"e{n}w{i}" for i in range(words_per_entry)]
        # Greek and Cyrillic invented names inside the text, and a few line breaks.
        words[3] = "Ξανθίππη"
        words[5] = "Ярослава"
        text = " ".join(words[:40]) + "\n" + " ".join(words[40:])
        evidence.append(
            EvidenceEntry(
                id=f"x{n}",
                domain_id=("sexual_behaviour", "developmental", "self_regulation")[n % 3],
                factor_slot=n % 5 + 1,
                text=text,
                date=date(2024, 11, 1) + timedelta(days=n % 30),
                source="education",
                category="risk_factor",
                sharing="shareable",
            )
        )
    ratings = tuple(
        FactorRating(
            "developmental", slot, "some_concern", " ".join(f"r{slot}q{i}" for i in range(900))
        )
        for slot in range(1, 6)
    )
    return AssessmentContent(ratings=ratings, evidence=tuple(evidence))


def check_long_case(tmp_path: Path, form_set, rules, policy, entries: int, words: int) -> int:
    content = long_case_content(entries, words)
    request = request_for("full", form_set, rules, policy, content=content)
    path = build_report(request, tmp_path / "long.pdf")
    reader = PdfReader(path)
    tokens = " ".join(page.extract_text() for page in reader.pages).split()
    # Every evidence word in order, none lost at page or row breaks.
    for n in range(entries):
        expected = [f"e{n}w{i}" for i in range(words) if i not in (3, 5)]
        got = [t for t in tokens if t.startswith(f"e{n}w")]
        assert got == expected, n
    assert tokens.count("Ξανθίππη") == entries and tokens.count("Ярослава") == entries
    for slot in range(1, 6):  # rationale cells taller than a page split inside the row
        assert [t for t in tokens if t.startswith(f"r{slot}q")] == [
            f"r{slot}q{i}" for i in range(900)
        ]
    assert NAME in " ".join(tokens)
    return len(reader.pages)


def test_long_case_renders_without_loss(tmp_path: Path, form_set, rules, policy) -> None:
    assert check_long_case(tmp_path, form_set, rules, policy, entries=40, words=600) > 20


def test_200_page_case_renders_without_loss(tmp_path: Path, form_set, rules, policy) -> None:
    assert check_long_case(tmp_path, form_set, rules, policy, entries=300, words=280) >= 200


# -- build behaviour --------------------------------------------------------------------------


def test_cancelled_build_leaves_no_file(tmp_path: Path, form_set, rules, policy) -> None:
    content = long_case_content(40, 600)
    request = request_for("full", form_set, rules, policy, content=content)
    seen: list[float] = []

    def cancel_after_some_progress() -> bool:
        return bool(seen) and seen[-1] > 0.2

    with pytest.raises(ReportCancelled):
        build_report(
            request,
            tmp_path / "c.pdf",
            progress=lambda f, _m: seen.append(f),
            cancelled=cancel_after_some_progress,
        )
    assert list(tmp_path.iterdir()) == []
    done = []
    build_report(request, tmp_path / "ok.pdf", progress=lambda f, m: done.append((f, m)))
    fractions = [f for f, _ in done]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert [p.name for p in tmp_path.iterdir()] == ["ok.pdf"]


def signing_records(case: Case) -> SignOffRecords:
    """A received review signing off the case's version and the bundle sent of it (the
    store-backed path is tests/signed_off.py; the layout needs only the values)."""
    assessment = case.current_assessment
    assert assessment is not None
    sent = SentVersion(assessment.id, "b1", "ab" * 32)
    review = Review(
        review_id=new_id(),
        reviewed=ReviewedVersion(
            case.id, case.reference, assessment.id, assessment.version, "b1", sent.sha256, "P"
        ),
        supervisor=Supervisor("Rosalind Mockingham", "7K3Q-M2XA-9DPC-R4TW-HB6N"),
        decision=Decision.SIGN_OFF,
        decided_at=datetime(2024, 12, 9, 14, tzinfo=UTC),
    )
    return SignOffRecords(reviews=(review,), sent=(sent,))


def test_signed_off_report_has_no_draft_mark(tmp_path: Path, form_set, rules, policy) -> None:
    case = make_case(finished=True)
    request = request_for(
        "full", form_set, rules, policy, case=case, sign_offs=signing_records(case)
    )
    pages = [p.extract_text() for p in PdfReader(build_report(request, tmp_path / "s.pdf")).pages]
    assert not any("DRAFT" in page for page in pages)
    assert "Rosalind Mockingham" in pages[-1]  # the supervisor who signed it off
    assert "7K3Q-M2XA-9DPC-R4TW-HB6N" in pages[-1]  # and the key that signed the review
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2 and f"Page {number} of {total}" in page
    assert NAME in pages[0]  # the front sheet names the young person (never the file name)
    assert "9 December 2024" in " ".join(pages)  # the review's decision day


def test_young_person_and_ending_reports(tmp_path: Path, form_set, rules, policy) -> None:
    young = pdf_text(
        build_report(request_for("young-person", form_set, rules, policy), tmp_path / "y.pdf")
    )
    flat = " ".join(young.split())
    assert GOAL_WORDS in flat and KEEPING_SAFE_WORDS in flat and "My mentor at school" in flat
    assert "Develop emotional regulation strategies" not in flat  # the jargon version
    for canary in [*all_internal_canaries(), *map(shareable_canary, CATEGORIES)]:
        assert canary not in young
    assert "concern" not in flat.lower()  # no ratings
    ending = pdf_text(
        build_report(request_for("ending", form_set, rules, policy), tmp_path / "e.pdf")
    )
    flat = " ".join(ending.split())
    for words in ("ENDINGprogress", "ENDINGrisk", "ENDINGoutstanding"):
        assert words in flat
    assert "Develop emotional regulation strategies" in flat
    assert "7 of 10" in flat and "3 of 10" in flat and "Not reviewed" in flat
    assert WELLBEING_CANARY not in ending


# -- sharing log, audit and CLI ---------------------------------------------------------------


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profile"
    session, _ = ProfileService(folder).create(
        PASSPHRASE, "Ottoline Samplewright", kdf=KdfParams(8192, 1, 1)
    )
    case = make_case()
    session.cases.add_case(case, today=date(2025, 3, 20))
    stored = session.cases.find_case(REFERENCE)
    content = canary_content()
    session.assessments.save_items(
        stored.current_assessment.id, [*content.evidence, *content.voices, content.safety_plan]
    )
    session.close()
    monkeypatch.setenv("AIM3DESK_PROFILE", str(folder))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "missing", [("--recipient",), ("--reason",), ("--lawful-basis",), ("--reason", "--recipient")]
)
def test_cli_refuses_share_without_recipient_reason_basis(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], missing: tuple[str, ...]
) -> None:
    given = {
        "--recipient": "DS Invented",
        "--reason": "Strategy meeting on Thursday",
        "--lawful-basis": "public-task",
    }
    args = ["report", REFERENCE, "--audience", "police", "--out", str(tmp_path / "p.pdf")]
    for flag, value in given.items():
        if flag not in missing:
            args += [flag, value]
    code, _out, err = run(capsys, *args)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "--recipient" in err
    assert not (tmp_path / "p.pdf").exists()


def test_cli_share_logs_decision_and_audit(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    share = [
        "report",
        REFERENCE,
        "--audience",
        "education",
        "--out",
        str(tmp_path),
        "--recipient",
        "Ms Invented, DSL",
        "--reason",
        "School safety plan",
        "--lawful-basis",
        "safeguarding",
    ]
    written = tmp_path / f"{REFERENCE}-education-v1-DRAFT.pdf"
    code, _out, err = run(capsys, *share)  # not signed off: refused unless the draft is meant
    assert code == 1 and "DRAFT" in err and "--draft-ok" in err and not written.exists()
    share.append("--draft-ok")
    code, _out, err = run(capsys, *share)  # not signed off and not ready: a reason is needed
    assert code == 1 and "--override-reason" in err and not written.exists()
    code, _out, err = run(capsys, *share, "--override-reason", "The school needs it today")
    assert code == 0, err
    found = pdf_text(written)
    assert shareable_canary("risk_factor") in found and NAME not in written.name
    assert not [c for c in all_internal_canaries() if c in found]
    code, _out, err = run(
        capsys,
        "report",
        REFERENCE,
        "--audience",
        "police",
        "--not-shared",
        "--recipient",
        "PC Invented",
        "--reason",
        "Not necessary at this stage",
        "--lawful-basis",
        "A local information sharing agreement (invented)",
    )
    assert code == 0, err
    with ProfileService(profile).unlock(PASSPHRASE) as session:
        case = session.cases.find_case(REFERENCE)
        log = session.sharing.sharing_log(case.id)
        assert [(d.audience, d.shared, d.lawful_basis) for d in log] == [
            ("education", True, "safeguarding"),
            ("police", False, "other"),
        ]
        assert log[0].recipient == "Ms Invented, DSL" and "education" in log[0].what
        assert log[1].lawful_basis_text.startswith("A local information")
        entries = session.audit.entries()
        decisions = [e for e in entries if e.action == "sharing.decision"]
        assert [
            (e.detail["audience"], e.detail["shared"], e.detail["lawful_basis"]) for e in decisions
        ] == [
            ("education", True, "safeguarding"),
            ("police", False, "other"),
        ]
        details = str([e.detail for e in entries])
        assert "Ms Invented" not in details and "School safety plan" not in details
        assert "The school needs it" not in details  # the override's words stay out too
        overrides = session.cases.sign_off_records(case.id).overrides
        assert [(o.gate.value, o.reason) for o in overrides] == [
            ("share", "The school needs it today")
        ]
        assert [e.detail["gate"] for e in entries if e.action == "gate.override"] == ["share"]
        assert "Shared before sign-off" in " ".join(found.split())
        exports = [e for e in entries if e.action == "report.export"]
        assert exports and exports[-1].detail["kind"] == "education"
        assert session.audit.verify().ok
        with pytest.raises(ValidationError):
            session.sharing.record_decision(case.id, "police", "", "", "public-task", True)


def test_cli_full_report_is_audited_and_named_by_reference(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "report", REFERENCE, "--out", str(tmp_path))
    assert code == 0, err
    assert (tmp_path / f"{REFERENCE}-assessment-v1-DRAFT.pdf").is_file()
    with ProfileService(profile).unlock(PASSPHRASE) as session:
        assert [
            e.detail["kind"] for e in session.audit.entries() if e.action == "report.export"
        ] == ["full"]


def test_preview_counts(profile: Path) -> None:
    with ProfileService(profile).unlock(PASSPHRASE) as session:
        request = session.reports.prepare(REFERENCE, "voluntary")
        preview = session.reports.preview(request)
        assert preview.included_count == 2  # protective factor, intervention and outcome
        assert dict(preview.excluded_categories)["Background"] == 1
        assert sum(n for _, n in preview.excluded_classes) == len(all_internal_canaries())
        assert re.search(r"2 evidence entries included, 23 left out", preview.describe())


# -- the dialog -------------------------------------------------------------------------------


def test_dialog_builds_a_share_report_and_logs_it(qtbot, profile: Path, tmp_path: Path) -> None:
    from aim3desk.ui.report_dialog import ReportDialog
    from aim3desk.ui.sharing_log_view import SharingLogView
    from aim3desk.ui.tasks import TaskRunner

    errors: list[BaseException] = []
    runner = TaskRunner(error_handler=lambda _what, exc: errors.append(exc))
    session = ProfileService(profile).unlock(PASSPHRASE)
    try:
        case = session.cases.find_case(REFERENCE)
        dialog = ReportDialog(session, case, runner)
        qtbot.addWidget(dialog)
        dialog.open_when_done = False
        dialog.set_kind("health")
        assert dialog.share_box.isVisibleTo(dialog)
        qtbot.waitUntil(lambda: "Evidence included" in dialog.preview.toPlainText(), timeout=10_000)
        assert "Left out" in dialog.preview.toPlainText()
        out = tmp_path / "chosen.pdf"
        dialog.set_output_path(out)
        # Without recipient and reason it refuses, in words, and writes nothing.
        dialog.create_button.click()
        assert "who receives it" in dialog.error_label.text() and not out.exists()
        qtbot.keyClicks(dialog.recipient_edit, "Dr Invented, CAMHS")
        dialog.reason_edit.setPlainText("Coordinate therapeutic support")
        dialog.basis_combo.setCurrentIndex(dialog.basis_combo.findData("other"))
        assert dialog.other_basis_edit.isVisibleTo(dialog)
        qtbot.keyClicks(dialog.other_basis_edit, "Invented local agreement")
        # Not signed off and not passing the readiness check: the dialog says so in place
        # and asks why it is shared now; without a reason it refuses and writes nothing.
        qtbot.waitUntil(lambda: dialog.gate_box.reason_edit.isVisibleTo(dialog))
        assert "does not pass the readiness check" in dialog.gate_box.result_label.text()
        dialog.create_button.click()
        assert "before sign-off" in dialog.error_label.text() and not out.exists()
        dialog.gate_box.reason_edit.setPlainText("The therapist starts work this week")
        # A DRAFT: asked first, saying what it is and that no supervisor has signed it.
        dialog.create_button.click()
        box = dialog.draft_box
        assert box is not None and box.isVisible() and not out.exists()
        assert "DRAFT" in box.text() and "no supervisor has signed it off" in box.text()
        share_draft = next(b for b in box.buttons() if b.text() == "Share the DRAFT")
        with qtbot.waitSignal(dialog.report_written, timeout=30_000) as written:
            share_draft.click()
        assert written.args[0] == out and out.read_bytes().startswith(b"%PDF")
        text = " ".join(pdf_text(out).split())
        assert "Invented local agreement" in text
        assert "readiness check: The therapist starts work this week" in text
        view = SharingLogView(session, case, runner)
        qtbot.addWidget(view)
        qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
        assert view.table.item(0, 2).text() == "Health"
        assert view.table.item(0, 3).text() == "Dr Invented, CAMHS"
        assert view.table.item(0, 5).text() == "Invented local agreement"
        assert [e.action for e in session.audit.entries()][-3:] == [
            "report.export",
            "gate.override",
            "sharing.decision",
        ]
        # A decision not to share, logged the same way from the dialog.
        again = ReportDialog(session, case, runner)
        qtbot.addWidget(again)
        again.set_kind("voluntary")
        qtbot.keyClicks(again.recipient_edit, "Invented youth club")
        again.reason_edit.setPlainText("Not needed for their work")
        with qtbot.waitSignal(again.decision_recorded, timeout=10_000) as recorded:
            again.not_shared_button.click()
        assert recorded.args[0].shared is False
        view.refresh()
        qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)
        assert view.table.item(0, 1).text() == "Not shared"
        assert not errors
    finally:
        runner.shutdown()
        session.close()


def test_dialog_cancel_leaves_no_file(
    qtbot, profile: Path, tmp_path: Path, form_set, rules, policy
) -> None:
    from aim3desk.ui.operations.reports import render_report
    from aim3desk.ui.tasks import TaskRunner

    runner = TaskRunner()
    session = ProfileService(profile).unlock(PASSPHRASE)
    out = tmp_path / "written"
    out.mkdir()
    request = request_for("full", form_set, rules, policy, content=long_case_content(60, 600))
    failures: list[BaseException] = []
    build = render_report(runner, session, request)
    build.on_progress(lambda fraction, _m: build.cancel() if fraction > 0.1 else None)
    build.on_error(failures.append).run()
    try:
        qtbot.waitUntil(lambda: bool(failures), timeout=30_000)
    finally:
        runner.shutdown()
        session.close()
    assert isinstance(failures[0], ReportCancelled)
    assert list(out.iterdir()) == []


def test_preview_and_record_use_the_request_the_report_was_built_from(
    profile: Path, tmp_path: Path
) -> None:
    """Evidence added after prepare() changes neither the preview nor what the sharing log
    says was shared: both come from the request the PDF was built from."""
    answers = ShareAnswers(
        "Duty desk, Invented Police",
        "Risk review this week",
        "public-task",
        "",
        UNSIGNED_SHARE_REASON,
    )
    with ProfileService(profile).unlock(PASSPHRASE) as session:
        request = session.reports.prepare(REFERENCE, "voluntary", answers)
        before = session.reports.preview(request).describe()
        extra = replace(canary_content().evidence[0], id="later-entry", sharing="shareable")
        extra = replace(extra, category="protective_factor")
        session.assessments.save_item(request.case.current_assessment.id, extra)
        assert session.reports.preview(request).describe() == before
        data = session.reports.render(request)
        produced = session.reports.save(request, data, tmp_path / "share.pdf", answers)
        assert produced.decision is not None and produced.decision.what == before
        assert "2 evidence entries included" in before


def test_report_audit_and_sharing_decision_are_saved_together_or_not_at_all(
    profile: Path, tmp_path: Path
) -> None:
    good = ShareAnswers(
        "Duty desk, Invented Police",
        "Risk review this week",
        "public-task",
        "",
        UNSIGNED_SHARE_REASON,
    )
    bad = replace(good, lawful_basis="no-such-basis")  # refused by the decision's check
    with ProfileService(profile).unlock(PASSPHRASE) as session:
        request = session.reports.prepare(REFERENCE, "police", good)
        data = session.reports.render(request)
        path = tmp_path / "police.pdf"
        before = len(session.audit.entries())
        with pytest.raises(ValidationError):
            session.reports.save(request, data, path, bad)
        assert len(session.audit.entries()) == before  # no report.export without its decision
        assert session.sharing.sharing_log(request.case.id) == []
        assert not path.exists()  # and no file without its entry
        session.reports.save(request, data, path, good)
        assert path.exists()
        actions = [e.action for e in session.audit.entries()[before:]]
        assert actions == ["report.export", "gate.override", "sharing.decision"]
        assert len(session.cases.sign_off_records(request.case.id).overrides) == 1
