"""The guided assessment: an editor that owns the open version's content, and pages over it."""
