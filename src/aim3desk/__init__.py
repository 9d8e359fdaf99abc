"""AIM3 Desk: an encrypted desktop workspace for AIM3 assessments."""

__version__ = "0.1.0"
