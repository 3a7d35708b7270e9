"""Entry point for ``python -m crampdiary``."""

import sys

from crampdiary.cli import main

sys.exit(main())
