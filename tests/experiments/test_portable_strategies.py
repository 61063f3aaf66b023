"""Strategies cross process boundaries by import path: a strategy registered by a short name in
an importable module runs on a spawned worker pool (as on Dask workers), results name it by its
class's ``name``, and one defined in ``__main__`` is refused, before anything is written, with a
message that says what to do."""

from __future__ import annotations

import importlib
import multiprocessing
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor

import pytest

from sim.experiments import Experiment, portable, run_experiment
from sim.scenarios import load
from sim.strategies import Strategy, StrategyError, portable_name, register

POLICY = """
from sim.strategies import Strategy, StrategyParams, register

@register
class Premium(Strategy):
    '''A fixed high price with generous service.'''

    name = "crmsim_test_premium"

    class Params(StrategyParams):
        price: float = 140.0

    def decide(self, firm, market):
        return self.base_decision(firm, price=self.params.price, service=40.0)
"""


@pytest.fixture
def premium(tmp_path, monkeypatch, strategy_registry):
    """A strategy registered as 'crmsim_test_premium' from a module on sys.path."""
    (tmp_path / "crmsim_test_policy.py").write_text(textwrap.dedent(POLICY))
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("crmsim_test_policy", None)
    importlib.import_module("crmsim_test_policy")  # registers the class
    yield "crmsim_test_premium"
    sys.modules.pop("crmsim_test_policy", None)


def scenario(strategy: str):
    settings = ["customers.count=300", "periods=4", f'firms[0].strategy={{name = "{strategy}"}}']
    return load("flagship", settings)


def test_registered_name_becomes_an_import_path_and_builtins_stay(premium):
    assert portable_name(premium) == "crmsim_test_policy:Premium"
    assert portable_name("crmsim_test_policy:Premium") == "crmsim_test_policy:Premium"
    assert portable_name("customer_centric") == "customer_centric"
    names = [f.strategy.name for f in portable(scenario(premium).spec).firms]
    assert names == ["crmsim_test_policy:Premium", "customer_centric", "market_oriented"]


def test_registered_strategy_runs_on_a_spawned_pool(premium, tmp_path):
    loaded = scenario(premium)
    experiment = Experiment(loaded, [0, 1], tmp_path / "out")
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=spawn) as pool:
        metrics, summary = run_experiment(experiment, executor=pool)
    first = summary[summary["firm"] == loaded.spec.firms[0].name]
    assert list(first["strategy"]) == ["crmsim_test_premium"] * 2
    prices = metrics.loc[metrics["firm"] == loaded.spec.firms[0].name, "price"]
    assert (prices == 140.0).all() and len(prices) == 2 * 4


def test_strategy_defined_in_main_is_refused_before_anything_is_written(
    tmp_path, strategy_registry
):
    class Mine(Strategy):
        name = "crmsim_test_mine"

        def decide(self, firm, market):
            return self.base_decision(firm)

    Mine.__module__ = "__main__"
    register(Mine)
    out = tmp_path / "out"
    experiment = Experiment(scenario("crmsim_test_mine"), [0], out)
    with pytest.raises(StrategyError) as info:
        run_experiment(experiment, workers=1)
    message = str(info.value)
    assert "'crmsim_test_mine'" in message and "__main__" in message
    assert "import path" in message and "my_policy:ClassName" in message
    assert not out.exists()
