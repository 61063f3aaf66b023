"""python -m sim: the crmsim command line."""

import sys

from sim.cli import main

sys.exit(main())
