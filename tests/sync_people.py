"""Two real profiles and one temporary shared folder: the set-up of the sync tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aim3desk.services.demo import add_demo_cases
from aim3desk.services.session import Session
from aim3desk.services.sync import init_share
from bundle_people import introduce, new_person


@dataclass
class Pair:
    alex: Session  # a practitioner
    sam: Session  # their supervisor
    share: Path
    sam_fp: str
    alex_fp: str

    def close(self) -> None:
        for session in (self.alex, self.sam):
            session.close()


def make_pair(root: Path) -> Pair:
    share = root / "share"
    share.mkdir()
    init_share(share)
    alex = new_person(root, "Alex Inventedworker")
    sam = new_person(root, "Sam Madeupsupervisor", role="supervisor")
    sam_fp = introduce(alex, sam)
    alex_fp = introduce(sam, alex)
    return Pair(alex, sam, share, sam_fp, alex_fp)


def queue_assessment(pair: Pair, out: Path, demo_index: int = 0) -> str:
    """Alex writes a bundle of a demo case to Sam and queues it; the bundle id."""
    case = add_demo_cases(pair.alex, count=demo_index + 1)[demo_index]
    out.mkdir(exist_ok=True)
    exported = pair.alex.bundles.export_assessment(case.reference, [pair.sam_fp], out)
    data = exported.path.read_bytes()
    exported.path.unlink()  # only the outbox holds it now
    bundle_id = exported.manifest.bundle_id
    pair.alex.sync.queue(data, exported.path.name, bundle_id, [pair.sam_fp])
    return bundle_id


def share_files(share: Path) -> list[str]:
    """Every file on the share, relative, temporary ones included."""
    return sorted(p.relative_to(share).as_posix() for p in share.rglob("*") if p.is_file())
