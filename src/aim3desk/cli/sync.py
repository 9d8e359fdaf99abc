"""`aim3desk sync`: one round with the shared folder, headless (IT scripts, the tests).

Exit codes: 0 delivered, collected or nothing to do; 1 a problem to fix (a delivery failed
and waits for a retry, or a file was set aside in quarantine); 4 offline: no folder set, the
folder missing or unmounted, unmarked, or marked as another share (nothing was changed).
`--init-share` first marks the folder as a share (only ever on this explicit request).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.cli.bundles import tell_outcomes
from aim3desk.cli.console import EXIT_OFFLINE, EXIT_OK, EXIT_USER_ERROR, UserError, say, warn
from aim3desk.cli.unlock import open_session

if TYPE_CHECKING:
    from aim3desk.services.sync import SyncRound


def cmd_sync(args: argparse.Namespace) -> int:
    share = Path(args.share).expanduser() if args.share else None
    with open_session(args) as session:
        if args.init_share:
            folder = share or session.sync.share_folder()
            if folder is None:
                raise UserError("Give the folder to set up with --share DIR.")
            probe = session.sync.init_share(folder)
            if not probe.ready:
                raise UserError(probe.message)
            warn(f"{folder} is a share (id {probe.share_id}).")
        result = session.sync.round(share)
    if args.json:
        say(json.dumps(round_document(result), indent=2))
    else:
        tell_round(result)
    if result.offline:
        return EXIT_OFFLINE
    return EXIT_USER_ERROR if result.failures or result.quarantined else EXIT_OK


def tell_round(result: SyncRound) -> None:
    """What happened, for a person: results on stdout, problems on stderr."""
    if result.stopped:
        warn(f"Stopped early: {result.stopped}")
    elif result.offline:
        warn(f"Offline: {result.message} Nothing was changed.")
    for delivery in result.delivered:
        say(f"Delivered {delivery.file_name} to {delivery.recipient}.")
    for failure in result.failures:
        warn(
            f"Not delivered: bundle {failure.bundle_id} to {failure.recipient}: "
            f"{failure.message} Next try after {failure.next_attempt_at}."
        )
    for path in result.withdrawn:
        say(f"Withdrawn (a deleted case's file): {path}.")
    tell_outcomes(result.collected)
    for card in result.cards:
        (say if card.added else warn)(card.message)
    for note in result.skipped:
        warn(note)
    done = result.delivered or result.collected or result.failures or result.withdrawn
    if not result.offline and not done:
        say("Up to date: nothing to deliver or collect.")


def round_document(result: SyncRound) -> dict[str, object]:
    return {
        "state": result.state.value,
        "offline": result.offline,
        "share": str(result.share) if result.share else None,
        "message": result.stopped or result.message,
        "delivered": [
            {"bundle_id": d.bundle_id, "recipient": d.recipient, "file": d.file_name}
            for d in result.delivered
        ],
        "failed": [
            {
                "bundle_id": f.bundle_id,
                "recipient": f.recipient,
                "message": f.message,
                "next_attempt_at": f.next_attempt_at,
            }
            for f in result.failures
        ],
        "collected": [
            {
                "file": str(o.path) if o.path else None,
                "status": o.status,
                "bundle_id": o.manifest.bundle_id if o.manifest else None,
                "quarantined_as": str(o.quarantined_as) if o.quarantined_as else None,
                "message": o.message,
            }
            for o in result.collected
        ],
        "cards": [
            {"fingerprint": c.fingerprint, "added": c.added, "message": c.message}
            for c in result.cards
        ],
        "skipped": list(result.skipped),
        "withdrawn": list(result.withdrawn),
    }
