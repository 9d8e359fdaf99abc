"""A supervisor sees the supervision due across the supervisees' cases, from the assessment
bundles they sent (the case documents carry the sessions): the same cadence as the
practitioner's own deadlines dashboard, overdue first; and the Supervisees tab, shown only
when the profile's role is supervisor. Real profiles and real bundles."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from aim3desk.domain.cases import (
    Case,
    CaseStatus,
    new_id,
)
from aim3desk.domain.deadlines import DeadlineKind
from aim3desk.domain.supervision import SupervisionSession, SupervisionType
from bundle_people import new_person
from signed_off import UNREADY_REASON, new_case, supervised_by

TODAY = date.today()


@pytest.fixture
def people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AIM3DESK_POLICY", str(tmp_path / "no-policy.toml"))
    alex = new_person(tmp_path, "Alex Inventedworker")
    blair = new_person(tmp_path, "Blair Madeupworker")
    sam = new_person(tmp_path, "Sam Madeupsupervisor", role="supervisor")
    yield alex, blair, sam
    for person in (alex, blair, sam):
        person.close()


def add_case(session, reference: str, requested: date, status: CaseStatus) -> Case:
    return new_case(session, reference, requested=requested, status=status)


def held(session, case: Case, on: date, kind: SupervisionType) -> None:
    record = SupervisionSession(new_id(), on, "Sam Madeupsupervisor", kind)
    session.supervision.save_session(case.id, record, today=TODAY)


def send(practitioner, supervisor, case: Case, out: Path) -> None:
    to = supervised_by(practitioner, supervisor)
    sent = practitioner.bundles.export_assessment(case.id, [to], out)
    assert supervisor.bundles.import_files([sent.path])[0].status == "imported"


def test_the_supervisor_sees_the_cadence_the_practitioners_see(people, tmp_path: Path) -> None:
    alex, blair, sam = people
    assessing = add_case(alex, "SUP-0001", TODAY - timedelta(days=30), CaseStatus.IN_ASSESSMENT)
    held(alex, assessing, TODAY - timedelta(days=25), SupervisionType.ASSESSMENT_ONE)
    intervening = add_case(blair, "SUP-0002", TODAY - timedelta(days=120), CaseStatus.IN_ASSESSMENT)
    blair.assessments.finish(intervening.current_assessment.id, override_reason=UNREADY_REASON)
    blair.cases.set_status(intervening.id, CaseStatus.IN_INTERVENTION)
    held(blair, intervening, TODAY - timedelta(days=40), SupervisionType.INTERVENTION)
    send(alex, sam, assessing, tmp_path / "a")
    send(blair, sam, intervening, tmp_path / "b")
    # A later session at Alex's is not known to the supervisor until Alex sends again.
    held(alex, assessing, TODAY - timedelta(days=10), SupervisionType.ASSESSMENT_TWO)

    rows = {row.case_reference: row for row in sam.deadlines.supervisees(TODAY)}
    assert set(rows) == {"SUP-0001", "SUP-0002"}
    first, second = rows["SUP-0001"], rows["SUP-0002"]
    assert (first.practitioner, first.phase, first.sessions_held) == (
        "Alex Inventedworker",
        "Assessment",
        1,
    )
    assert (second.practitioner, second.phase, second.sessions_held) == (
        "Blair Madeupworker",
        "Intervention",
        1,
    )
    # Four-weekly from the latest session or the day the version was finished (today).
    assert second.next_due == TODAY + timedelta(weeks=4) and not second.overdue
    assert list(rows) == sorted(rows, key=lambda r: not rows[r].overdue)  # overdue first
    # Blair's own dashboard gives the same due date for the same case.
    (own,) = [d for d in blair.deadlines.dashboard(TODAY) if d.kind is DeadlineKind.SUPERVISION]
    assert (own.due, own.overdue) == (second.next_due, second.overdue)

    send(alex, sam, assessing, tmp_path / "a2")  # the newest bundle carries both sessions
    assert {r.case_reference: r.sessions_held for r in sam.deadlines.supervisees(TODAY)} == {
        "SUP-0001": 2,
        "SUP-0002": 1,
    }
    assert alex.deadlines.supervisees(TODAY) == []  # a practitioner received no case


def test_the_supervisees_tab_shows_for_a_supervisor_only(qtbot, people, tmp_path: Path) -> None:
    from aim3desk.ui.supervisees import SuperviseesPage
    from aim3desk.ui.tasks import TaskRunner

    alex, _blair, sam = people
    case = add_case(alex, "SUP-0003", TODAY - timedelta(days=60), CaseStatus.IN_ASSESSMENT)
    send(alex, sam, case, tmp_path / "a")
    runner = TaskRunner()
    try:
        roles: list[bool] = []
        page = SuperviseesPage(runner, today=lambda: TODAY)
        qtbot.addWidget(page)
        page.role_known.connect(roles.append)
        page.refresh(sam)
        qtbot.waitUntil(lambda: bool(roles), timeout=15_000)
        assert roles == [True] and page.table.rowCount() == 1
        assert page.table.item(0, 2).text() == "SUP-0003"
        assert page.table.item(0, 3).text() == "Alex Inventedworker"
        assert page.table.item(0, 0).text().startswith("Overdue by")  # session 1 of 3
        assert "1 overdue" in page.summary_label.text()
        page.clear()
        assert page.table.rowCount() == 0
        page.refresh(alex)
        qtbot.waitUntil(lambda: len(roles) == 2, timeout=15_000)
        assert roles[-1] is False and page.table.rowCount() == 0
    finally:
        runner.shutdown()


def test_the_main_window_has_the_tab_for_a_supervisor(qtbot, people) -> None:
    from aim3desk.services.forms_loader import load_form_set
    from aim3desk.ui.main_window import MainWindow
    from aim3desk.ui.tasks import TaskRunner

    alex, _blair, sam = people
    runner = TaskRunner()
    try:
        for session, shown in ((sam, True), (alex, False)):
            window = MainWindow(runner)
            qtbot.addWidget(window)
            window.attach(session, load_form_set())
            assert runner.wait_for_idle(15_000)
            qtbot.waitUntil(lambda: True)
            index = window.home.indexOf(window.tools.supervisees)
            qtbot.waitUntil(lambda w=window, i=index, s=shown: w.home.isTabVisible(i) is s)
            window.detach()
            assert not window.home.isTabVisible(index)
    finally:
        runner.shutdown()
