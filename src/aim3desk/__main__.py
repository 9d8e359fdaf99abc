"""`python -m aim3desk`: the same as the `aim3desk` command."""

import sys

from aim3desk.cli import main

sys.exit(main())
