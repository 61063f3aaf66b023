"""What the tests of the course's claims share (tests/course/test_debrief_*.py,
test_capstone.py): the runs every course number comes from, and the check that debriefs and tests
cite each other.

Every number in course/ was measured with seeds 0-9 at 3,000 customers (course/README.md);
budgets are per capita, so results do not depend on market size beyond sampling noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from sim.analysis import by_period
from sim.experiments import Replication
from sim.experiments import replicate as replicate_runs
from sim.scenarios import load

from conftest import ROOT, shared_cache

SEEDS = range(10)
CUSTOMERS = "customers.count=3000"
INSTRUCTOR = ROOT / "course" / "instructor"


@shared_cache
def replicate(name: str, *settings: str) -> Replication:
    """A shipped scenario with ``--set`` style settings, run over SEEDS at 3,000 customers."""
    return replicate_runs(load(name, [CUSTOMERS, *settings]).spec, SEEDS)


def summary(name: str, *settings: str) -> pd.DataFrame:
    """One row per run and firm (sim.experiments.summarise_run)."""
    return replicate(name, *settings).summary


def metrics(name: str, *settings: str) -> pd.DataFrame:
    """Per period and firm, every run."""
    return replicate(name, *settings).metrics


def path(name: str, metric: str, *settings: str) -> pd.DataFrame:
    """Mean of ``metric`` across seeds: one row per period, one column per firm."""
    return by_period(metrics(name, *settings), metric)


def check_citations(debriefs: Iterable[Path], defined: Iterable[str], pattern: str) -> None:
    """Each debrief cites (in backticks) at least one test matching ``pattern``, every cited test
    is ``defined``, and every defined test is cited somewhere."""
    defined = set(defined)
    cited: set[str] = set()
    for debrief in debriefs:
        names = set(re.findall(rf"`({pattern})`", debrief.read_text(encoding="utf-8")))
        assert names, f"{debrief.name} cites no test"
        assert names <= defined, f"{debrief.name} cites unknown tests: {sorted(names - defined)}"
        cited |= names
    assert defined <= cited, f"tests no debrief cites: {sorted(defined - cited)}"
