"""Alembic environment for the encrypted store.

Run only through aim3desk.store.migrate, which passes an open, keyed connection in
`config.attributes["connection"]`: there is no alembic.ini and no URL (the key never goes in one).
"""

from __future__ import annotations

from alembic import context

from aim3desk.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Migrations run only from aim3desk.store.migrate with an open, keyed connection."
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters most things by copying the table
    transactional_ddl=True,  # BEGIN is real here (see store.db), so a failed step rolls back
)
with context.begin_transaction():
    context.run_migrations()
