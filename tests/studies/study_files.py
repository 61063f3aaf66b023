"""What the study tests share: a small study file (300 customers, 4 periods) with a policy of
its own in a module file beside it."""

from __future__ import annotations

import textwrap
from pathlib import Path

POLICY = """
import math
import os
import time
from pathlib import Path

from pydantic import Field

from sim.strategies import Strategy, StrategyParams


class LoyaltyFirst(Strategy):
    '''Customer-centric spending with a loyalty discount; misbehaves on request.'''

    name = "loyalty_first"

    class Params(StrategyParams):
        discount: float = Field(0.1, ge=0, le=0.9)
        crm: float = Field(1.0, ge=0)
        fail_at: int = 0  # period in which it returns a price of NaN (0: never)
        hang_at: int = 0  # period in which it sleeps forever (0: never)
        fail_overhead: float = 0.0  # … either, if the firm's overhead is at least this
        die_once: str = ""  # a file: if it does not exist, create it and end the process

    def decide(self, firm, market):
        p = self.params
        if p.die_once and market.period == 2 and not Path(p.die_once).exists():
            Path(p.die_once).touch()
            os._exit(1)
        costly = firm.spec.overhead >= p.fail_overhead
        if market.period == p.hang_at and costly:
            time.sleep(10**9)
        fails = market.period == p.fail_at and costly
        price = math.nan if fails else firm.spec.price
        return self.base_decision(
            firm, price=price, crm=p.crm, loyalty_discount=p.discount, retention_share=0.1
        )
"""

STUDY = """
title = "A small study"
scenario = "flagship"
set = ["customers.count=300", "experience.lapse_periods=2"]  # retention known from period 3
periods = 4
seeds = 2
outcomes = ["cumulative_profit", "mean_retention_rate"]

[policy]
firm = "CustomerCo"
strategy = "{module}.py:LoyaltyFirst"
params = {{ discount = 0.1{extra} }}

[[uncertainties]]
key = "homogenisation.rate"
low = 0.0
high = 0.3
levels = 2

[[levers]]
param = "crm"
low = 0.0
high = 3.0

[stress]
benchmarks = ["product_centric"]

[sensitivity]
trajectories = 2
samples = 4
resamples = 100

[tune]
trials = 4
batch = 2
holdout_seeds = 2
"""


def write_study(folder: Path, module: str, extra: str = "", more: str = "") -> Path:
    """A study file in ``folder`` whose policy is ``LoyaltyFirst`` in ``folder/<module>.py``;
    ``extra`` is added to the policy's params, ``more`` to the end of the file."""
    (folder / f"{module}.py").write_text(textwrap.dedent(POLICY))
    path = folder / "study.toml"
    path.write_text(STUDY.format(module=module, extra=extra) + more)
    return path
