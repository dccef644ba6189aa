"""``python -m mesoplan``: the same as the ``mesoplan`` command."""

import sys

from mesoplan.cli import main

sys.exit(main())
