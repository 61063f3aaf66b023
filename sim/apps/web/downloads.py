"""What a person takes home from a run: its metrics (CSV and Parquet), the transaction log, and
the scenario as a TOML file with the seed, from which ``crmsim run`` makes the same run.

The metrics have the columns and values of a run file of ``crmsim run`` (``runs/seed=S.parquet``
less its ``experiment`` column): the firms' metrics joined with the market's, as
:func:`sim.experiments.simulate` builds them; then, as in ``summary.csv``, the scenario's name and
hash and the package versions (``version_<package>``). The transactions carry the seed and the
scenario hash; the scenario file's header names the versions too.
"""

from __future__ import annotations

import io
import json
import shlex

import pandas as pd
import tomli_w

from sim.apps.web.live import LiveMarket
from sim.experiments.folders import package_versions
from sim.experiments.runs import run_metrics


def live_metrics(live: LiveMarket) -> pd.DataFrame:
    """Per period and firm: the columns a stored run of ``crmsim run`` has, and where it came
    from (scenario, scenario hash, package versions)."""
    made = {"scenario": live.scenario.name, "scenario_hash": live.scenario.hash}
    made |= {f"version_{name}": v for name, v in package_versions().items()}
    return run_metrics(live.market, live.seed).assign(**made)


def scenario_file(live: LiveMarket) -> str:
    """The market as a scenario file (TOML) that validates to the same market, headed by the
    command that reproduces this run."""
    command = shlex.join(reproduce(live))
    header = (
        f"# {live.scenario.spec.info.title or live.scenario.name}: the market of a crmsim app run"
        f" (scenario hash {live.scenario.hash}, seed {live.seed}, {live.period} periods).\n"
        f"# Reproduce it bit for bit:\n#   {command}\n"
        f"# Made with {', '.join(f'{k} {v}' for k, v in package_versions().items())}.\n"
    )
    return header + tomli_w.dumps(json.loads(live.scenario.text))


def reproduce(live: LiveMarket) -> list[str]:
    """The ``crmsim run`` command (as a list of words) that makes this run again from the file
    :func:`scenario_file` writes, saved as ``file_name(live, "scenario.toml")``."""
    periods = str(max(live.period, 1))
    seed = str(live.seed)
    name = file_name(live, "scenario.toml")
    return ["crmsim", "run", name, "--seeds", "1", "--first-seed", seed, "--periods", periods]


def file_name(live: LiveMarket, what: str) -> str:
    """A download's file name: scenario, seed, what it holds."""
    return f"{live.scenario.name}-seed{live.seed}-{what}"


def metrics_csv(live: LiveMarket) -> bytes:
    """The run's metrics as CSV."""
    return live_metrics(live).to_csv(index=False).encode()


def metrics_parquet(live: LiveMarket) -> bytes:
    """The run's metrics as Parquet."""
    buffer = io.BytesIO()
    live_metrics(live).to_parquet(buffer, index=False)
    return buffer.getvalue()


def transactions_csv(live: LiveMarket) -> bytes:
    """Every purchase of the run: customer, firm, period, amount ($), with the run's seed and
    scenario hash."""
    made = {"seed": live.seed, "scenario_hash": live.scenario.hash}
    return live.market.transactions().assign(**made).to_csv(index=False).encode()
