"""Fault injection on results folders and runs (issue 16): every attack ends with a clear message
and exit code, and results are either right (byte-compared with clean runs) or refused."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.apps.cli import main
from sim.experiments.folders import locked

SMALL = ["--set", "customers.count=300", "--periods", "6", "--workers", "1", "--quiet"]

POLICIES = """
import os
import sys
import time

from sim.strategies import Strategy


class Base(Strategy):
    def decide(self, firm, market):
        if market.period == 3:
            self.misbehave(firm)
        return self.base_decision(firm)


class Exits(Base):
    name = "exits"

    def misbehave(self, firm):
        sys.exit(3)


class Hangs(Base):
    name = "hangs"

    def misbehave(self, firm):
        while True:
            time.sleep(0.01)


class Kills(Base):
    name = "kills"

    def misbehave(self, firm):
        os._exit(9)


class Writes(Base):
    name = "writes"

    def misbehave(self, firm):
        firm.value.product = float("nan")


class Fails(Strategy):
    # raises from its ninth decision in a process: in the third run of 4 periods

    name = "fails"
    calls = 0

    def decide(self, firm, market):
        Fails.calls += 1
        if Fails.calls > 8:
            raise ValueError("the third run fails")
        return self.base_decision(firm)


class Replaces(Base):
    name = "replaces"

    def misbehave(self, firm):
        firm.price = 1.0
"""


def run(capsys, *args: str | Path) -> tuple[int, str]:
    """crmsim's exit code and stderr."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err


def files(folder: Path) -> dict[str, bytes]:
    """Every result file of a folder (not the report's figures), by relative path."""
    wanted = ("summary.csv", "metrics.parquet", ".parquet")
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name.endswith(wanted)
    }


@pytest.fixture
def policies(tmp_path, monkeypatch):
    (tmp_path / "crmsim_fault_policies.py").write_text(textwrap.dedent(POLICIES))
    monkeypatch.syspath_prepend(str(tmp_path))
    return "crmsim_fault_policies"


# --- results are never wrong silently ----------------------------------------------------------


def test_a_folder_being_written_is_refused(tmp_path, capsys):
    out = tmp_path / "res"
    with locked(out):
        code, err = run(capsys, "run", "flagship", "--seeds", "2", "--out", out, *SMALL)
    assert code == 2 and "is being written by another crmsim command" in err
    assert not (out / "runs").exists()
    assert run(capsys, "run", "flagship", "--seeds", "2", "--out", out, *SMALL)[0] == 0


@pytest.mark.slow
def test_two_commands_started_together_never_mix(tmp_path, capsys):
    """Two different experiments (rate 0.15 and rate 0) started as two processes into the same
    folder: one writes it, the other is refused; what is written equals a clean run."""
    out = tmp_path / "res"
    longer = ["--set", "customers.count=3000", "--periods", "24"]  # the lock is held for seconds
    base = ["run", "flagship", "--seeds", "3", "--out", str(out), *SMALL, *longer]
    variants = [[], ["--set", "homogenisation.rate=0"]]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sim", *base, *extra], stderr=subprocess.PIPE, text=True
        )
        for extra in variants
    ]
    results = [(proc.wait(timeout=300), proc.stderr.read()) for proc in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    refused = next(err for code, err in results if code == 2)
    assert "is being written by another crmsim command" in refused
    winner = variants[[code for code, _ in results].index(0)]
    clean = tmp_path / "clean"
    assert run(capsys, *base[:4], "--out", clean, *SMALL, *longer, *winner)[0] == 0
    assert files(out) == files(clean)


CLEAN = ("run", "flagship", "--seeds", "3")  # the command whose clean results tests compare with


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """The results folder of ``CLEAN`` at the small size, run once for the tests that compare a
    folder with it or start from a copy of it (it must stay as it is)."""
    folder = tmp_path_factory.mktemp("clean") / "res"
    assert main([*CLEAN, "--out", str(folder), *SMALL]) == 0
    return folder


def test_runs_of_another_scenario_are_never_reused(tmp_path, capsys, clean):
    out = tmp_path / "res"
    assert run(capsys, *CLEAN, "--out", out, *SMALL)[0] == 0
    (out / "manifest.json").unlink()
    rate = ("--set", "homogenisation.rate=0")
    code, err = run(capsys, *CLEAN, "--out", out, *SMALL, *rate)
    assert code == 2 and "holds runs of another experiment" in err
    assert run(capsys, *CLEAN, "--out", out, *SMALL)[0] == 0
    assert files(out) == files(clean)  # the same command resumes, byte for byte


@pytest.mark.parametrize("damage", [b"", b"PAR1 not really", None])
def test_damaged_run_files_are_redone(tmp_path, capsys, clean, damage):
    """A copy of the clean folder (a run of the same command gives the same bytes: see above)
    with one run file damaged: the same command redoes that run."""
    out = tmp_path / "res"
    shutil.copytree(clean, out)
    victim = out / "runs" / "seed=2.parquet"
    data = victim.read_bytes()
    victim.write_bytes(data[: len(data) // 2] if damage is None else damage)
    assert run(capsys, *CLEAN, "--out", out, *SMALL)[0] == 0
    assert files(out) == files(clean)


def test_one_command_kind_never_writes_into_another_kinds_folder(tmp_path, capsys, clean):
    ran, swept, compared = tmp_path / "run", tmp_path / "sweep", tmp_path / "compare"
    grid = ("--grid", "homogenisation.rate=0,0.15")
    strategies = ("--firm", "MarketCo", "--strategies", "static,sales_push")
    shutil.copytree(clean, ran)
    assert run(capsys, "sweep", "flagship", "--seeds", "2", *grid, "--out", swept, *SMALL)[0] == 0
    assert (
        run(capsys, "compare", "flagship", "--seeds", "2", *strategies, "--out", compared, *SMALL)[
            0
        ]
        == 0
    )
    before = {folder: files(folder) for folder in (ran, swept, compared)}
    attacks = [
        (
            ("sweep", "flagship", "--seeds", "2", *grid, "--out", ran),
            "is the folder of 'crmsim run'",
        ),
        (("run", "flagship", "--seeds", "2", "--out", compared), "is the folder of a sweep"),
        (
            ("compare", "flagship", "--seeds", "2", *strategies, "--out", swept),
            "holds another sweep",
        ),
        (
            (
                "sweep",
                "flagship",
                "--seeds",
                "2",
                "--grid",
                "homogenisation.rate=0.05",
                "--out",
                swept,
            ),
            "holds another sweep",
        ),
    ]
    for args, message in attacks:
        code, err = run(capsys, *args, *SMALL)
        assert code == 2 and message in err, (args, err)
    assert {folder: files(folder) for folder in (ran, swept, compared)} == before
    for folder in (ran, swept, compared):
        assert run(capsys, "report", folder)[0] == 0


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_a_folder_of_other_files_is_refused_and_left_alone(tmp_path, capsys, command):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "report.md").write_text("my own notes")
    grid = ["--grid", "homogenisation.rate=0,0.1"] if command == "sweep" else []
    code, err = run(capsys, command, "flagship", "--seeds", "1", "--out", out, *SMALL, *grid)
    assert code == 2 and "already holds files that crmsim did not write (report.md)" in err, err
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]
    assert (out / "report.md").read_text() == "my own notes"
    (out / "report.md").unlink()  # an empty folder is fine
    assert run(capsys, command, "flagship", "--seeds", "1", "--out", out, *SMALL, *grid)[0] == 0


def test_a_sweep_folder_of_version_0_1_resumes(tmp_path, capsys):
    """0.1 wrote sweep.json as the variants alone; the same sweep resumes in such a folder."""
    out, clean = tmp_path / "res", tmp_path / "clean"
    grid = ("--grid", "homogenisation.rate=0,0.15")
    assert run(capsys, "sweep", "flagship", "--seeds", "2", *grid, "--out", clean, *SMALL)[0] == 0
    assert run(capsys, "sweep", "flagship", "--seeds", "2", *grid, "--out", out, *SMALL)[0] == 0
    plan = json.loads((out / "sweep.json").read_text())
    (out / "sweep.json").write_text(json.dumps(plan["variants"]))
    assert run(capsys, "sweep", "flagship", "--seeds", "2", *grid, "--out", out, *SMALL)[0] == 0
    assert files(out) == files(clean)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("sweep", "--grid", "homogenisation.rate=0", "--grid", "homogenisation.rate=0.15"),
            "is given twice",
        ),
        (("sweep", "--grid", "homogenisation.rate=0,0"), "the value 0 appears twice"),
        # (said "'' appears twice"; --rotate ran and ignored --strategies)
        (("compare", "--firm", "MarketCo", "--strategies", "static,,"), "an empty name"),
        (("compare", "--rotate", "--strategies", "static"), "--strategies goes with --firm"),
        (
            ("compare", "--firm", "MarketCo", "--strategies", "static,static"),
            "'static' appears twice",
        ),
    ],
)
def test_duplicate_grid_keys_values_and_strategies_are_refused(tmp_path, capsys, args, message):
    command, *rest = args
    code, err = run(capsys, command, "flagship", *rest, "--out", tmp_path / "o", *SMALL)
    assert code == 2 and message in err, err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"", "summary.csv"), (b"\x00\xff garbage", "summary.csv"), (b"PAR1", "metrics.parquet")],
)
def test_report_on_damaged_results_says_what_to_do(tmp_path, capsys, clean, content, name):
    out = tmp_path / "res"
    shutil.copytree(clean, out)
    (out / name).write_bytes(content)
    code, err = run(capsys, "report", out)
    assert code == 2 and f"{out / name}: changed since crmsim wrote it" in err, err
    assert "Run the command that made the folder again" in err and "Traceback" not in err


@pytest.mark.parametrize("what", ["no such folder", "a file"])
def test_report_on_a_missing_folder_or_a_file_names_it(tmp_path, capsys, what):
    """(It named <folder>/summary.csv, 'no such file', and said to run the command again.)"""
    folder = tmp_path / "results"
    if what == "a file":
        folder.write_text("x")
    code, err = run(capsys, "report", folder)
    assert code == 2 and f"{folder}: {what}; give the output folder of 'crmsim run'" in err, err


# --- runs fail safely --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        ("Exits", "decide() called sys.exit(3)"),
        ("Hangs", "decide() did not return within 1.0 s"),
        ("Writes", "decide() raised FrozenInstanceError"),
        ("Replaces", "a strategy cannot change its firm (it tried to set 'price')"),
    ],
)
def test_a_misbehaving_strategy_is_stopped_with_a_message(
    tmp_path, capsys, policies, strategy, message
):
    settings = ("--set", f'firms[2].strategy={{name = "{policies}:{strategy}"}}')
    out = tmp_path / "o"
    code, err = run(
        capsys,
        "run",
        "flagship",
        "--seeds",
        "2",
        "--out",
        out,
        "--decision-seconds",
        "1",
        *SMALL,
        *settings,
    )
    assert code == 2, err
    assert message in err and "firm 'MarketCo'" in err and "period 3" in err and "seed 0" in err
    assert "Traceback" not in err


def test_a_strategy_failing_midway_keeps_the_runs_already_written(tmp_path, capsys, policies):
    settings = ("--set", f'firms[2].strategy={{name = "{policies}:Fails"}}')
    out = tmp_path / "o"
    args = ("run", "flagship", "--seeds", "4", "--out", out, *SMALL, "--periods", "4", *settings)
    code, err = run(capsys, *args)
    assert code == 2 and "seed 2: firm 'MarketCo' (strategy 'fails'), period 1" in err, err
    assert "decide() raised ValueError: the third run fails" in err
    kept = sorted(p.name for p in (out / "runs").glob("*.parquet"))
    assert kept == ["seed=0.parquet", "seed=1.parquet"]
    assert pd.read_parquet(out / "runs" / kept[1])["period"].max() == 4


def test_a_strategy_that_kills_its_process_is_reported(tmp_path, capsys, policies):
    settings = ("--set", f'firms[2].strategy={{name = "{policies}:Kills"}}')
    code, err = run(
        capsys, "run", "flagship", "--seeds", "2", "--out", tmp_path / "o", *SMALL, *settings
    )
    assert code == 2 and "a worker process died while running" in err, err
    killed = "seed 0 (last: firm 'MarketCo' (strategy 'kills'), period 3: deciding)"
    assert killed in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = (\n", "raised SyntaxError: '(' was never closed ("),
        ("raise RuntimeError('no licence')\n", "raised RuntimeError: no licence"),
        (
            "import json\njson.nothing\n",
            "raised AttributeError: module 'json' has no attribute 'nothing'",
        ),
        (None, "No module named 'crmsim_absent_policy'. Python looks for modules on its path"),
    ],
    ids=["syntax error", "error at import", "attribute error at import", "missing"],
)
def test_a_strategy_module_that_cannot_be_imported_is_named(
    tmp_path, capsys, monkeypatch, source, message
):
    module = "crmsim_absent_policy" if source is None else "crmsim_broken_policy"
    if source is not None:
        (tmp_path / f"{module}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    scenario = tmp_path / "mine.toml"  # the flagship with MarketCo's strategy in that module
    flagship = (Path(__file__).parents[2] / "scenarios" / "flagship.toml").read_text()
    scenario.write_text(flagship.replace('"market_oriented"', f'"{module}:Mine"'))
    for command in (["validate"], ["show"], ["run", "--out", tmp_path / "o", *SMALL[:2]]):
        code, err = run(capsys, command[0], scenario, *command[1:])
        assert code == 2 and "Traceback" not in err, err
        assert f"firms[2].strategy: cannot import strategy '{module}:Mine'" in err
        assert message in err
    assert not (tmp_path / "o").exists()


def test_a_worker_started_as_the_command_ends_leaves_quietly(tmp_path):
    """A pool's worker can start after its command stopped the pool on an error and removed the
    notes folder: it ends at once, with nothing on stderr (it used to print a traceback)."""
    code = "import os, sys; from sim.experiments.executors import start_worker; "
    code += f"start_worker(os.getppid(), {str(tmp_path / 'gone')!r}, 1); print('went on')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def descendants(pid: int) -> set[int]:
    """Process ids of ``pid``'s children, their children and so on (from /proc): the workers,
    which the fork server starts, and the fork server itself."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
    found, new = set(), {pid}
    while new:
        new = {child for child, parent in parents.items() if parent in new} - found
        found |= new
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_workers_end_with_their_parent(tmp_path, sig):
    out = tmp_path / "res"
    # 6 runs on 2 workers: 4 or more still to do when the first is written
    args = ["run", "flagship", "--seeds", "6", "--workers", "2", "--out", str(out), "--quiet"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", *args, "--set", "customers.count=2000"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (out / "runs").exists() or not list((out / "runs").glob("*.parquet")):
        assert time.monotonic() < deadline and proc.poll() is None, "no run finished in time"
        time.sleep(0.05)
    workers = descendants(proc.pid)
    assert len(workers) >= 4  # fork server, resource tracker and at least two workers
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(w) for w in workers), "worker processes outlived their parent"
    if sig == signal.SIGTERM:
        assert code == 143
        assert "terminated: finished runs are saved; run the same command again to resume" in (
            proc.stderr.read()
        )
    kept = list((out / "runs").glob("*.parquet"))
    assert kept and main([*args, "--set", "customers.count=2000"]) == 0  # and it resumes


def test_events_after_the_last_period_are_announced(tmp_path, capsys):
    late = tmp_path / "late.toml"
    late.write_text(
        'extends = "flagship"\nperiods = 6\n'
        '[[events]]\nkind = "scandal"\nperiod = 500\nfirm = "ProductCo"\n'
    )
    warning = "events[0] (scandal) is set for period 500, but the run has 6 periods"
    code, err = run(capsys, "validate", late)
    assert code == 0 and warning in err
    code, err = run(capsys, "run", late, "--seeds", "1", "--out", tmp_path / "o", *SMALL)
    assert code == 0 and warning in err
