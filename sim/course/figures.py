"""A session's figures: each ``crmsim run`` command of its sheet, run small and quick (fewer
customers and seeds; shares and rates do not depend on the size), drawn as the report draws it."""

from __future__ import annotations

import io
import shlex
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import pandas as pd

from sim.experiments import replicate, seed_list
from sim.i18n import Language
from sim.reporting.figures import plot_over_time
from sim.scenarios import load

CUSTOMERS = 1000  # customers in a figure's runs (the sheets use 3,000)
SEEDS = 3  # seeds of a figure's runs (the sheets use 10)


@dataclass(frozen=True)
class SessionFigure:
    """One figure of a session: the command it illustrates and the PNG."""

    command: str  # the sheet's command, as written
    png: bytes


def run_settings(command: str) -> tuple[str, tuple[str, ...]]:
    """The scenario and the ``--set`` overrides (other than the customer count) of a
    ``crmsim run`` command line."""
    argv = shlex.split(command)
    sets = tuple(
        value
        for flag, value in pairwise(argv)
        if flag == "--set" and not value.startswith("customers.count=")
    )
    return argv[2], sets


@cache
def small_run(scenario: str, sets: tuple[str, ...]) -> pd.DataFrame:
    """The per-period metrics of a small quick run (made once per process)."""
    spec = load(scenario, [*sets, f"customers.count={CUSTOMERS}"]).spec
    return replicate(spec, seed_list(SEEDS)).metrics


def run_figure(command: str, lang: Language) -> bytes:
    """Cumulative profit, market share and retention of the command's small quick run (PNG),
    labelled in ``lang``."""
    figure = plot_over_time(small_run(*run_settings(command)), lang=lang)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def session_figures(commands: list[str], lang: Language) -> list[SessionFigure]:
    """One figure per command, labelled in ``lang``."""
    return [SessionFigure(c, run_figure(c, lang)) for c in commands]
