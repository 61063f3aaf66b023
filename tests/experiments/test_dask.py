"""run, compare and sweep on Dask: the same seeds give byte-identical results on a Dask cluster
(an existing one, or one started for the command) and on the local process pool; a strategy in
a module file of one's own is sent to the workers; a decision that never returns is stopped in
any thread, not only in a process's main thread; a strategy that keeps killing workers, and a
scheduler that cannot be reached, end the command with a message."""

from __future__ import annotations

import textwrap
import threading
import time
from pathlib import Path

import distributed  # noqa: F401  (its config defaults must exist before dask_config.set, below)
import pytest
from dask import config as dask_config

from sim.apps.cli import main
from sim.experiments import executors
from sim.model import blocks
from sim.model.firms import time_limit
from sim.strategies import StrategyError

SMALL = ["--set", "customers.count=300", "--periods", "4", "--seeds", "2", "--quiet"]

POLICY = """
from sim.strategies import Strategy


class Premium(Strategy):
    name = "premium"

    def decide(self, firm, market):
        return self.base_decision(firm, price=firm.spec.price * 1.2, service=40.0)
"""


def results(folder: Path) -> dict[str, bytes]:
    """summary.csv and every run file of a sweep folder, by relative path."""
    found = [*sorted(folder.glob("variants/*/runs/*.parquet")), folder / "summary.csv"]
    return {str(p.relative_to(folder)): p.read_bytes() for p in found}


@pytest.mark.slow
@pytest.mark.xdist_group("dask")
def test_compare_and_sweep_on_dask_equal_the_process_pool(tmp_path, scheduler, monkeypatch):
    (tmp_path / "crmsim_dask_policy.py").write_text(textwrap.dedent(POLICY))
    monkeypatch.syspath_prepend(str(tmp_path))  # the workers started before: it is sent them
    compare = ["compare", "flagship", "--firm", "CustomerCo", *SMALL]
    compare += ["--strategies", "customer_centric,crmsim_dask_policy:Premium"]
    sweep = ["sweep", "flagship", "--grid", "homogenisation.rate=0,0.2", *SMALL]
    for command, dask in ((compare, ["--scheduler", scheduler]), (sweep, ["--dask-workers", "1"])):
        pool, cluster = tmp_path / f"{command[0]}-pool", tmp_path / f"{command[0]}-dask"
        assert main([*command, "--out", str(pool), "--workers", "2"]) == 0
        assert main([*command, "--out", str(cluster), *dask]) == 0
        assert len(results(cluster)) == 2 * 2 + 1  # variants × seeds, and the summary
        assert results(cluster) == results(pool), command[0]
    summary = (tmp_path / "compare-dask" / "summary.csv").read_text()
    assert "premium" in summary  # the class from the module file ran on the workers


def test_a_decision_that_never_returns_is_stopped_outside_the_main_thread():
    outcome: dict[str, object] = {}

    def busy() -> None:
        while True:
            pass

    def limited() -> None:
        started = time.perf_counter()
        for name, call in (("sleeps", lambda: time.sleep(10**9)), ("loops", busy)):
            try:
                time_limit(0.2, f"{name}: too slow", call)
            except StrategyError as exc:
                outcome[name] = (str(exc), time.perf_counter() - started)
        outcome["returns"] = time_limit(0.2, "-", lambda: 42)
        try:
            time_limit(0.2, "-", lambda: 1 / 0)
        except ZeroDivisionError:
            outcome["raises"] = True

    def helpers() -> int:
        return sum(t.name == "strategy-decision" for t in threading.enumerate())

    before = helpers()
    thread = threading.Thread(target=limited)
    thread.start()
    thread.join(5)
    assert outcome["sleeps"][0] == "sleeps: too slow" and outcome["sleeps"][1] < 1
    assert outcome["loops"][0] == "loops: too slow" and outcome["loops"][1] < 1.5
    assert outcome["returns"] == 42 and outcome["raises"]
    time.sleep(0.1)
    assert helpers() == before + 1  # the loop was ended; only the sleep (blocked in C) is left


KILLS = """
import os

from sim.strategies import Strategy


class Kills(Strategy):
    name = "kills"

    def decide(self, firm, market):
        if market.period == 2:
            os._exit(9)
        return self.base_decision(firm)
"""


RAISES = """
from sim.strategies import Strategy


class Raises(Strategy):
    name = "raises"

    def decide(self, firm, market):
        if market.period == 2:
            raise RuntimeError("boom in decide")
        return self.base_decision(firm)
"""


@pytest.mark.slow
def test_a_failing_strategy_on_a_local_cluster_is_one_message(tmp_path, monkeypatch, capfd):
    """The workers of a cluster started for the command log nothing of their own (Dask's
    "Compute Failed" and a traceback per failed run, before): the command's message says it."""
    (tmp_path / "crmsim_dask_raises.py").write_text(textwrap.dedent(RAISES))
    monkeypatch.syspath_prepend(str(tmp_path))
    settings = ["--set", 'firms[2].strategy={name = "crmsim_dask_raises:Raises"}']
    out = tmp_path / "o"
    code = main(["run", "flagship", *SMALL, *settings, "--out", str(out), "--dask-workers", "1"])
    err = capfd.readouterr().err
    assert code == 2 and "decide() raised RuntimeError: boom in decide" in err, err
    assert "Compute Failed" not in err and "Traceback" not in err, err
    assert err.count("boom in decide") == 1, err


@pytest.mark.slow
def test_a_strategy_that_keeps_killing_dask_workers_is_reported(tmp_path, monkeypatch, capsys):
    (tmp_path / "crmsim_dask_kills.py").write_text(textwrap.dedent(KILLS))
    monkeypatch.syspath_prepend(str(tmp_path))
    settings = ["--set", 'firms[2].strategy={name = "crmsim_dask_kills:Kills"}']
    out = tmp_path / "o"  # a cluster of its own: the shared one is not worn down by the kills
    # one retry, not Dask's default three: each kill costs a new worker process (~3 s). (Had
    # distributed not been imported yet, leaving this block would delete its whole config.)
    with dask_config.set({"distributed.scheduler.allowed-failures": 1}):
        code = main(
            ["run", "flagship", *SMALL, *settings, "--out", str(out), "--dask-workers", "1"]
        )
    err = capsys.readouterr().err
    assert code == 2 and "a worker process died while running" in err, err
    assert f"{out} seed 0" in err and "Traceback" not in err


def test_an_unreachable_scheduler_is_a_clear_error_before_anything_is_written(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(executors, "SCHEDULER_TIMEOUT", 1)  # the client gives up after 1 s, not 10
    out = tmp_path / "o"
    args = ["run", "flagship", *SMALL, "--out", str(out), "--scheduler", "tcp://127.0.0.1:9"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.xdist_group("dask")
def test_a_dask_workers_markets_run_their_blocks_on_one_thread(scheduler):
    """A worker's threads run markets at once, so each market's blocks take one thread."""
    from dask.distributed import Client

    with executors.open_executor(executors.Where(scheduler=scheduler)), Client(scheduler) as client:
        assert set(client.run(blocks.threads).values()) == {1}
        assert len(client.nthreads()) == 2
