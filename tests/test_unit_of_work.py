"""The store's one unit of work: readers share, a writer is alone, nested units join the
outer one, and integrity failures come back as store errors a service can translate."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from aim3desk.domain.cases import Case, LeadAgency, Requester, start_assessment
from aim3desk.store import migrate
from aim3desk.store.db import Store
from aim3desk.store.errors import DuplicateRecord
from aim3desk.store.unit_of_work import ReadWriteLock, UnitOfWork

WAIT = 30  # seconds before a broken lock is reported instead of hanging the suite


@pytest.fixture
def uow(tmp_path: Path):
    store = Store(tmp_path / "store.db", bytearray(os.urandom(32)), create=True)
    migrate.upgrade(store, tmp_path / "backups")
    unit = UnitOfWork.for_store(store)
    yield unit
    unit.close()


def invented_case(reference: str = "UOW-1", case_id: str = "case-1") -> Case:
    case = Case(
        id=case_id,
        reference=reference,
        young_person_name="Pell Inventedson",
        date_of_birth=date(2011, 4, 2),
        lead_agency=LeadAgency.YOS,
        lead_worker="Tamsin Placeholder",
        requested_by=Requester.CASE_WORKER,
        request_date=date(2025, 3, 3),
    )
    return replace(case, assessments=(start_assessment(case),))


def test_two_readers_hold_the_lock_at_once() -> None:
    lock = ReadWriteLock()
    both_inside = threading.Barrier(2, timeout=WAIT)

    def read() -> None:
        with lock.shared():
            both_inside.wait()  # BrokenBarrierError if the second reader were kept out

    other = threading.Thread(target=read)
    other.start()
    read()
    other.join(WAIT)


def test_a_writer_waits_for_readers_and_keeps_new_readers_out() -> None:
    lock = ReadWriteLock()
    events: list[str] = []
    writer_waiting = threading.Event()

    def write() -> None:
        writer_waiting.set()
        with lock.exclusive():
            events.append("write")

    with lock.shared():
        writer = threading.Thread(target=write)
        writer.start()
        assert writer_waiting.wait(WAIT)
        events.append("read ends")
    writer.join(WAIT)
    assert events == ["read ends", "write"]


def test_nested_units_join_the_outer_one_and_a_read_cannot_become_a_write(uow) -> None:
    with uow.write() as outer:
        outer.cases.add(invented_case())
        with uow.write() as inner, uow.read() as reader:
            assert inner is outer and reader is outer
            assert reader.case_reference("case-1") == "UOW-1"
    with uow.read() as tx:
        assert tx.all_cases()[0].reference == "UOW-1"
        with pytest.raises(RuntimeError, match="read cannot become a write"), uow.write():
            pass


def test_a_failed_write_leaves_nothing_and_a_clash_is_a_store_error(uow) -> None:
    with pytest.raises(ValueError, match="stop"), uow.write() as tx:
        tx.cases.add(invented_case())
        tx.audit("Tamsin Placeholder", "case.create", "UOW-1")
        raise ValueError("stop")
    with uow.read() as tx:
        assert tx.all_cases() == [] and tx.audit_entries() == []
    with uow.write() as tx:
        tx.cases.add(invented_case())
    with pytest.raises(DuplicateRecord), uow.write() as tx:
        tx.cases.add(invented_case("UOW-2"))  # another reference, the same case id
