"""python -m sim: the crmsim command line."""

import sys

from sim.apps.cli import main

sys.exit(main())
