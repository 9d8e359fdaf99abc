"""Test set-up shared by every suite: headless Qt before anything imports it."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never let a test touch the real user profile.
os.environ.pop("AIM3DESK_PROFILE", None)
os.environ.pop("AIM3DESK_PASSPHRASE", None)
