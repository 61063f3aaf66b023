"""Results that were changed after crmsim wrote them are never used or reported silently: run
files and tables are checked against the checksums in their manifests (docs/results.md)."""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_faults import CLEAN as RUN
from test_faults import SMALL, run
from test_faults import files as results

import sim.experiments.folders as folders
from sim.apps.cli import main
from sim.experiments.folders import locked

GRID = ("sweep", "flagship", "--seeds", "2", "--grid", "homogenisation.rate=0,0.15")


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """RUN's results folder at the small size, for the tests to copy and damage."""
    folder = tmp_path_factory.mktemp("clean") / "res"
    assert main([*RUN, "--out", str(folder), *SMALL]) == 0
    return folder


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("swept") / "res"
    assert main([*GRID, "--out", str(folder), *SMALL]) == 0
    return folder


def tamper(path: Path) -> None:
    """Add $1M to the last row's cumulative profit of a run file (a valid Parquet file)."""
    frame = pd.read_parquet(path)
    frame.loc[frame.index[-1], "cumulative_profit"] += 1e6
    frame.to_parquet(path, index=False)


def test_a_run_file_changed_after_it_was_written_is_done_again(tmp_path, capsys, clean):
    """(Resuming kept it, recorded its new checksum, and put $1M into summary.csv.)"""
    out = tmp_path / "res"
    shutil.copytree(clean, out)
    tamper(out / "runs" / "seed=1.parquet")
    (out / "runs" / ".seed=2.parquet.999.tmp").write_bytes(b"half")  # left by a dead command
    code, err = run(capsys, *RUN, "--out", out, *SMALL)
    assert code == 0 and f"{out / 'runs' / 'seed=1.parquet'} was damaged or changed" in err, err
    assert results(out) == results(clean)
    assert not list((out / "runs").glob(".*.tmp"))


@pytest.mark.parametrize(
    ("change", "named", "why"),
    [
        ("summary", "summary.csv", "changed since crmsim wrote it"),
        ("run", "runs/seed=1.parquet", "changed since crmsim wrote it"),
        ("delete", "runs/seed=2.parquet", "no such file"),
        ("manifest", "manifest.json", "not readable JSON"),
    ],
)
def test_report_refuses_results_changed_after_they_were_written(
    tmp_path, capsys, clean, change, named, why
):
    """(report published an edited summary.csv, and said nothing of a deleted run file.)"""
    out = tmp_path / "res"
    shutil.copytree(clean, out)
    if change == "summary":
        summary = out / "summary.csv"
        summary.write_text(summary.read_text().replace(",6,", ",6,9", 1))
    elif change == "run":
        tamper(out / named)
    elif change == "delete":
        (out / named).unlink()
    else:
        (out / named).write_text('{"kind": "experiment", ')
    report = (out / "report.md").read_bytes()
    code, err = run(capsys, "report", out)
    assert code == 2 and f"{out / named}: {why}" in err, err
    assert "Run the command that made the folder again" in err and "Traceback" not in err
    assert (out / "report.md").read_bytes() == report  # nothing rewritten
    assert run(capsys, *RUN, "--out", out, *SMALL)[0] == 0  # as the message says
    assert results(out) == results(clean) and run(capsys, "report", out)[0] == 0


def test_report_on_a_sweep_checks_its_variants_and_keeps_its_title(tmp_path, capsys, swept):
    """(A clean sweep's report came back titled "flagship: variant"; a deleted variant went
    unnoticed.)"""
    out = tmp_path / "res"
    shutil.copytree(swept, out)
    assert run(capsys, "report", out)[0] == 0
    assert (out / "report.md").read_bytes() == (swept / "report.md").read_bytes()
    title = json.loads((out / "sweep.json").read_text())["title"]
    assert title == "Product-centric vs customer-centric as products grow alike: sweep of " + (
        "homogenisation.rate"
    )
    summary = out / "summary.csv"
    summary.write_text(summary.read_text() + summary.read_text().splitlines()[-1] + "\n")
    code, err = run(capsys, "report", out)
    assert code == 2 and f"{summary}: changed since crmsim wrote it" in err, err
    shutil.rmtree(out / "variants" / "rate=0.15")
    code, err = run(capsys, "report", out)
    assert code == 2 and "variants/rate=0.15/manifest.json: no such file" in err, err


def test_report_waits_for_no_command_but_refuses_a_folder_being_written(tmp_path, capsys, clean):
    out = tmp_path / "res"
    shutil.copytree(clean, out)
    with locked(out):
        code, err = run(capsys, "report", out)
    assert code == 2 and "is being written by another crmsim command" in err


def test_report_on_a_folder_that_holds_no_results_says_so(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    code, err = run(capsys, "report", tmp_path)
    assert code == 2 and "not a results folder of 'crmsim run', 'sweep' or 'compare'" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_runs_made_with_other_versions_are_not_mixed_with_new_ones(tmp_path, capsys, clean):
    """(Resuming relabelled seeds made with numpy 1.26 as made with this numpy.)"""
    out = tmp_path / "res"
    shutil.copytree(clean, out)
    (out / "runs" / "seed=2.parquet").unlink()
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["versions"]["numpy"] = "1.26.0"
    (out / "manifest.json").write_text(json.dumps(manifest))
    code, err = run(capsys, *RUN, "--out", out, *SMALL)
    assert code == 2 and "holds 2 runs made with other versions: numpy 1.26.0 (now" in err, err
    assert not (out / "runs" / "seed=2.parquet").exists()
    assert {"numba", "pyarrow"} <= set(
        json.loads((clean / "manifest.json").read_text())["versions"]
    )


def test_a_full_disk_is_said_in_one_paragraph_and_finished_runs_are_kept(
    tmp_path, capsys, monkeypatch
):
    """(It printed "[Errno 28] No space left on device", naming no file.)"""
    out = tmp_path / "res"
    real = folders.write_atomically

    def full_after_two(path: Path, data: bytes) -> None:
        if path.name == "seed=2.parquet":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(folders, "write_atomically", full_after_two)
    code, err = run(capsys, *RUN, "--out", out, *SMALL)
    assert code == 1 and f"{out / 'runs' / 'seed=2.parquet'}: the disk is full (ENOSPC)." in err
    assert "Finished runs are saved" in err and err.count("\n") == 1, err
    assert sorted(p.name for p in (out / "runs").glob("*.parquet")) == [
        "seed=0.parquet",
        "seed=1.parquet",
    ]
