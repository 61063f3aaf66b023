"""What a student sees in a notebook when a parameter is wrong: one paragraph, no traceback."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from sim.errors import InputError
from sim.experiments import replicate
from sim.reporting.tables import comparisons_text
from sim.scenarios import load


@pytest.fixture
def shell():
    yield InteractiveShell.instance()
    InteractiveShell.clear_instance()


def test_bad_input_in_a_notebook_is_its_message_alone(shell, capsys):
    """(A misspelt SCENARIO showed three frames of crmsim's loader above the message.)"""
    shell.run_cell("from sim.scenarios import load\nload('flagshp')")
    shown = capsys.readouterr().out
    assert shown.startswith("ScenarioError: unknown scenario 'flagshp'; shipped scenarios: ")
    assert "Traceback" not in shown and "loader.py" not in shown and shown.count("\n") == 1


def test_no_seeds_is_said_so():
    """(SEEDS = 0 ended in pandas' 'No objects to concatenate'.)"""
    spec = load("flagship", ["customers.count=300"]).spec
    with pytest.raises(InputError, match=r"seeds: no seed given \(e\.g\. SEEDS = 0"):
        replicate(spec, range(0))


def test_one_seed_compares_without_nan():
    """(SEEDS = 1 printed '[nan, nan] over 1 runs ... d = nan, p = nan'.)"""
    summary = replicate(load("flagship", ["customers.count=300"]).spec, [0], 6).summary
    for lang in ("en", "zh"):
        text = comparisons_text(summary, lang=lang)
        assert "nan" not in text and text.count("\n") == 2
    assert "1 run, so not comparable with noise (give 2 or more seeds)." in comparisons_text(
        summary
    )


def test_a_policy_that_fails_in_a_notebook_shows_its_own_line(shell, capsys):
    """A strategist debugging a policy needs the line that failed: the cause's traceback stays."""
    shell.run_cell(
        "from sim.model import Market\n"
        "from sim.scenarios import load\n"
        "from sim.strategies import Strategy\n"
        "class Broken(Strategy):\n"
        "    name = 'broken'\n"
        "    def decide(self, firm, market):\n"
        "        return 1 / 0  # the policy's bug\n"
        "market = Market(load('flagship', ['customers.count=50']).spec, rng=0)\n"
        "market.firms[0].strategy = Broken()\n"
        "market.run_for(1)\n"
    )
    shown = capsys.readouterr().out
    assert "return 1 / 0  # the policy's bug" in shown and "ZeroDivisionError" in shown
    assert shown.rstrip().splitlines()[-1].startswith("StrategyError: firm 'ProductCo'")
