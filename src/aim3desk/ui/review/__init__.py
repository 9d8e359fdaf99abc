"""Supervisor review in the app: "Send for review", the supervisor's inbox and review window,
and the practitioner's view of a review received. Modules import each other directly (this
file stays empty so ui/assessment may import from here without a cycle)."""
