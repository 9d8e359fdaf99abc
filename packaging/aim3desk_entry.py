"""Entry point PyInstaller freezes: the same `aim3desk` command the wheel installs."""

import multiprocessing
import sys

from aim3desk.cli import main

if __name__ == "__main__":
    # A frozen app that ever starts a worker process must not re-run main() in the child.
    multiprocessing.freeze_support()
    sys.exit(main())
