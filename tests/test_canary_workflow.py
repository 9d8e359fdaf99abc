"""No plaintext at rest after a whole working life of one case, through the services and the
command line: a practitioner and a supervisor (real profiles, one real shared folder) create
a case, assess it, record supervision, write a report and a plain export, send the version
for review (a bundle carried by sync rounds), comment on it and return it, carry the return
back, and lock. Every text field holds its own canary (with a letter outside ASCII); the
profile folders (store, logs, backups, outbox), a private temp folder, the system temp
folder, the shared folder and the home/config folders the run used are then scanned for
each canary as UTF-8, UTF-16, Latin-1, JSON-escaped and in file names. Only the files the
person chose to write (the report, the plain export, the contact cards) may hold any."""

from __future__ import annotations

import tempfile
import time
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from aim3desk import cli
from aim3desk.domain.assessment_items import DomainNotes, Recommendations
from aim3desk.domain.assessment_items import FormulationPart as Part
from aim3desk.domain.assessment_items import FormulationPartId as PartId
from aim3desk.domain.cases import new_id
from aim3desk.domain.review import AnchorKind, Decision
from aim3desk.domain.supervision import PromptResponse, SupervisionSession, SupervisionType
from aim3desk.services.demo import add_demo_cases
from aim3desk.services.session import Session
from bundle_people import PASSPHRASE, new_person, reopen
from canary import needles_for, scan
from review_people import acquaint, deliver, make_ready


class Canaries:
    """A fresh canary per field; `all` is every one handed out."""

    def __init__(self) -> None:
        self.all: dict[str, str] = {}

    def __call__(self, field: str) -> str:
        value = f"Zö{field[:3]}{uuid.uuid4().hex[:12]}"
        self.all[field] = value
        return value


def assess(session: Session, case_id: str, canaries: Canaries) -> str:
    """A ready version whose every kind of text carries a canary; its id."""
    case = session.cases.get_case(case_id)
    assessment_id = case.current_assessment.id
    make_ready(session, assessment_id)
    content = session.assessments.load(assessment_id)
    rating = content.ratings[0]
    evidence = content.evidence[0]
    notes = content.notes(rating.domain_id)
    formulation = content.formulation.with_part(
        PartId.WHAT_HAPPENED, Part(f"Formulation: {canaries('formulation')}")
    )
    session.assessments.save_items(
        assessment_id,
        [
            replace(rating, rationale=f"Reason: {canaries('rationale')}"),
            replace(evidence, text=f"Evidence: {canaries('evidence')}"),
            DomainNotes(rating.domain_id, f"Concern {canaries('concerns')}", notes.strengths),
            formulation,
            Recommendations(
                f"Plan {canaries('intervention')}", "Invented level.", canaries("who_does_what")
            ),
        ],
    )
    return assessment_id


def supervise(session: Session, case_id: str, canaries: Canaries) -> None:
    session.supervision.save_session(
        case_id,
        SupervisionSession(
            new_id(),
            date.today(),
            "Sam Madeupsupervisor",
            SupervisionType.ASSESSMENT_ONE,
            notes=f"Notes {canaries('supervision_notes')}",
            wellbeing=(PromptResponse("resilience", canaries("wellbeing")),),
        ),
    )


def review_and_return(sam: Session, canaries: Canaries) -> None:
    [entry] = sam.review.inbox()
    review = sam.review.draft(entry.bundle_id)
    material = sam.review.material(entry.bundle_id)
    rating = material.content.ratings[0]
    anchor = sam.review.anchor(
        entry.bundle_id, AnchorKind.FACTOR, f"{rating.domain_id}:{rating.slot}"
    )
    review = sam.review.add_comment(review.review_id, anchor, canaries("comment"))
    sam.review.decide(review.review_id, Decision.RETURN, f"See {canaries('return_reasons')}")


@pytest.fixture
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A temp folder and home/config folders of the run's own, so all it writes is scanned;
    "system temp" is the temp folder from before (SQLite may have read it already)."""
    system_temp = Path(tempfile.gettempdir())
    folders = {name: tmp_path / name for name in ("tmp", "home", "config", "cache", "data")}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folders["tmp"]))
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile reads TMPDIR again
    monkeypatch.setenv("HOME", str(folders["home"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folders["config"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(folders["cache"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(folders["data"]))
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    monkeypatch.setenv("AIM3DESK_PASSPHRASE", PASSPHRASE)
    return {**folders, "system temp": system_temp}


def test_a_whole_workflow_leaves_no_plaintext_at_rest(
    tmp_path: Path, private_folders: dict[str, Path], capsys: pytest.CaptureFixture
) -> None:
    started = time.time() - 1
    folders = dict(private_folders)
    system_temp = folders.pop("system temp")
    canaries = Canaries()
    chosen = tmp_path / "chosen-by-the-person"
    chosen.mkdir()
    share = tmp_path / "share"

    alex = new_person(tmp_path, "Alex Inventedworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    _alex_fp, sam_fp = acquaint(alex, sam)  # cards written beside the profiles, by choice
    demo = add_demo_cases(alex, count=2)[1]
    case = alex.cases.update_case(
        replace(
            demo,
            young_person_name=canaries("name"),
            social_worker=canaries("social_worker"),
            request_reason=f"Because {canaries('request_reason')}",
            co_workers=(canaries("co_worker"),),
        )
    )
    assess(alex, case.id, canaries)
    supervise(alex, case.id, canaries)

    # The report and a plain export, by the command line, to a folder the person chose.
    alex = reopen(alex)  # the command line opens the profile on its own
    alex.close()
    profile = ["--profile", str(alex.profile_dir)]
    report, export = chosen / "report.pdf", chosen / "case.json"
    assert cli.main([*profile, "report", case.reference, "--out", str(report)]) == 0
    assert cli.main([*profile, "export", case.reference, "--out", str(export), "--plaintext"]) == 0
    assert canaries.all["name"] in export.read_text(encoding="utf-8")  # it really was written
    assert report.read_bytes().startswith(b"%PDF")

    # Review: the bundle goes out by a sync round, comes back returned by another.
    alex = reopen(alex)
    alex.review.send_for_review(case.id, [sam_fp])
    deliver(alex, sam, share)
    review_and_return(sam, canaries)
    deliver(sam, alex, share)
    assert cli.main([*profile, "cases"]) == 0  # a command beside nothing: the lock is free
    alex.close()  # lock
    sam.close()
    capsys.readouterr()

    needles = needles_for(*canaries.all.values())
    private = [alex.profile_dir, sam.profile_dir, share, *folders.values()]
    found = scan(private, needles)
    # This test's own folder is left out: scanned above, or chosen by the person.
    in_system_temp = scan([system_temp], needles, since=started, leave_out=tmp_path)
    assert found.hits == [] and in_system_temp.hits == []
    assert scan([chosen], needles).hits == [str(export)]  # the scan does see a canary
    assert found.skipped == []
    scanned = [Path(name).name for name in found.names]
    assert scanned.count("store.db") == 2 and scanned.count("profile.key") == 2
    assert len([n for n in scanned if n.endswith(".aim3bundle")]) == 2  # out and back
    assert any(n.endswith(".log") for n in scanned)
    print(  # the figures for the reliability notes (pytest -s)
        f"canary scan: {len(canaries.all)} canaries x {len(needles) // len(canaries.all)} "
        f"forms; {found.files} files, {found.bytes} bytes in the profiles, share, temp and "
        f"home folders; {in_system_temp.files} new files in the system temp folder"
    )
