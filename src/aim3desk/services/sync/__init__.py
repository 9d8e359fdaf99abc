"""The shared-folder sync (`session.sync`); docs/share-folder.md describes the folder.

- layout.py: the folder's layout, its marker, probing and setting up a share
- write_once.py: a file placed whole under its final name, never replacing one
- collect.py: bundles addressed to this profile and other people's cards, taken in
- service.py: SyncService: the outbox, one round, the status
- values.py: what a round and the status hand back; the retry schedule
"""

from aim3desk.services.sync.layout import (
    MARKER_NAME,
    ShareProbe,
    ShareState,
    init_share,
    probe_share,
)
from aim3desk.services.sync.service import (
    AUDIT_DELIVER,
    AUDIT_QUEUE,
    SHARE_ID_FACT,
    SyncBusyError,
    SyncService,
)
from aim3desk.services.sync.values import (
    Delivery,
    DeliveryFailure,
    RoundState,
    StatusState,
    SyncRound,
    SyncStatus,
    retry_delay,
)
from aim3desk.services.sync.write_once import FileClashError, WriteOnceError, write_once

__all__ = [
    "AUDIT_DELIVER",
    "AUDIT_QUEUE",
    "MARKER_NAME",
    "SHARE_ID_FACT",
    "Delivery",
    "DeliveryFailure",
    "FileClashError",
    "RoundState",
    "ShareProbe",
    "ShareState",
    "StatusState",
    "SyncBusyError",
    "SyncRound",
    "SyncService",
    "SyncStatus",
    "WriteOnceError",
    "init_share",
    "probe_share",
    "retry_delay",
    "write_once",
]
