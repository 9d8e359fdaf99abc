"""Every call the UI makes to the store, named: one module per area (see base.py)."""
