"""What someone holding the key could do to a profile behind the app's back, done through the
store on the real encrypted file (shared by the command-line and GUI tests)."""

from __future__ import annotations

from sqlalchemy import text

from aim3desk.services.session import Session


def tamper_with_audit_entry(session: Session, seq: int) -> None:
    """Lift the append-only guard, edit an entry's actor, put the guard back."""
    with session.store.engine.begin() as conn:
        guard = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'")
        ).scalar_one()
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        changed = conn.execute(
            text("UPDATE audit_log SET actor = 'Someone Else' WHERE seq = :seq"), {"seq": seq}
        )
        assert changed.rowcount == 1
        conn.execute(text(guard))
