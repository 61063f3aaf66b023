"""Bad study files are refused before anything runs, with exit code 2 and a message naming the
file, the key and what is allowed; a folder holding another study's results is refused."""

from __future__ import annotations

import pytest

from sim.apps.cli import main
from sim.studies import load_study

from study_files import write_study

BAD = {
    "unknown key": (
        "[policy]",
        "[policy]\ncolour = 'red'",
        ["policy.colour", "unknown key", "allowed here: firm, strategy, params"],
    ),
    "unknown top-level key": (  # (it listed the scenario's keys as the allowed ones)
        "seeds = 2",
        "seeds = 2\nsamples = 3",
        ["samples: unknown key", "docs/stress-testing.md", "allowed here: title, scenario, set"],
    ),
    "wrong type": ("seeds = 2", 'seeds = "2"', ["seeds", "whole number"]),
    "unknown outcome": (
        '"mean_retention_rate"]',
        '"retention"]',
        ["outcomes[1]", "'cumulative_profit'", "'final_customer_equity'"],
    ),
    "retention in too short a study": (
        '"experience.lapse_periods=2"',
        '"experience.lapse_periods=4"',
        ["outcomes[1]", "mean_retention_rate needs more than 4 periods", "from period 5"],
    ),
    "unknown firm": ('firm = "CustomerCo"', 'firm = "Nobody"', ["policy.firm", "ProductCo"]),
    "missing policy file": (".py:LoyaltyFirst", "_gone.py:LoyaltyFirst", ["no such policy file"]),
    "unknown class": (":LoyaltyFirst", ":Loyalty", ["policy.strategy", "cannot import"]),
    "bad policy parameter": ("discount = 0.1", "discount = 2.0", ["policy.strategy", "discount"]),
    "lever not a parameter": ('param = "crm"', 'param = "budget"', ["levers[0].param", "crm"]),
    "unknown scenario key": (
        'key = "homogenisation.rate"',
        'key = "homogenisation.speed"',
        ["uncertainties[0]", "homogenisation.speed", "unknown key"],
    ),
    "range out of bounds": ("high = 0.3", "high = 3.0", ["uncertainties[0]", "must be a number ≤"]),
    "empty range": ("high = 0.3", "high = 0.0", ["uncertainties[0]", "must be below high"]),
    "uncertain policy parameter": (
        'key = "homogenisation.rate"',
        'key = "firms[1].strategy.crm"',
        ["uncertainties[0].key", "make it a lever"],
    ),
    "unknown benchmark": (
        '["product_centric"]',
        '["price_cutter"]',
        ["stress.benchmarks", "allowed"],
    ),
    "unknown distribution": (
        "levels = 2",
        'levels = 2\ndistribution = "gamma"',
        ["uncertainties[0].distribution", "'uniform'", "'lognormal'", "'choice'"],
    ),
    "normal without sd": (
        "levels = 2",
        'levels = 2\ndistribution = "normal"\nmean = 0.1',
        ["uncertainties[0]", "'normal' takes mean, sd, low, high, levels (missing sd)"],
    ),
    "choice with bounds": (
        "levels = 2",
        'distribution = "choice"\nvalues = [0.0, 0.1]',
        ["uncertainties[0]", "'choice' takes values (high, low not allowed)"],
    ),
    "choice repeating a value": (
        "low = 0.0\nhigh = 0.3\nlevels = 2",
        'distribution = "choice"\nvalues = [0.1, 0.1]',
        ["uncertainties[0]", "repeat a value"],
    ),
    "triangle peaking outside": (
        "levels = 2",
        'levels = 2\ndistribution = "triangular"\nmode = 0.5',
        ["uncertainties[0]", "mode (0.5) must be from low (0.0) to high"],
    ),
    "lognormal from 0": (
        "levels = 2",
        'levels = 2\ndistribution = "lognormal"\nmu = 0.0\nsigma = 1.0',
        ["uncertainties[0]", "a lognormal value is > 0"],
    ),
    "choice outside the key's bounds": (
        "low = 0.0\nhigh = 0.3\nlevels = 2",
        'distribution = "choice"\nvalues = [0.1, 3.0]',
        ["uncertainties[0]", "homogenisation.rate", "must be a number ≤"],
    ),
    "sobol samples": ("samples = 4", "samples = 6", ["sensitivity.samples", "power of 2"]),
    "not TOML": ("[policy]", "[policy", ["not valid TOML"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_study_file_is_refused_with_file_key_and_allowed_values(tmp_path, capsys, case):
    old, new, expected = BAD[case]
    path = write_study(tmp_path, f"bad_{case.replace(' ', '_')}")
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    assert main(["stress", str(path), "--out", str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err
    assert str(path) in message and "Traceback" not in message
    for part in expected:
        assert part in message, (part, message)
    assert not (tmp_path / "out").exists()


def test_a_missing_study_file_and_a_missing_breakeven_section(tmp_path, capsys):
    assert main(["tune", str(tmp_path / "none.toml")]) == 2
    assert "no such study file" in capsys.readouterr().err
    assert main(["tune", str(tmp_path)]) == 2
    assert f"{tmp_path}: a folder, not a study file" in capsys.readouterr().err
    study = write_study(tmp_path, "no_breakeven")
    out = tmp_path / "out"
    assert main(["breakeven", str(study), "--out", str(out), "--parameter", "periods"]) == 2
    assert "[breakeven] section" in capsys.readouterr().err
    # the folder is not claimed by the refused command (it was, and the corrected command was
    # refused: "holds the results of crmsim breakeven of study …")
    assert not (out / "study.json").exists()
    study.write_text(study.read_text() + "[breakeven]\nvalues = [1.0, 2.0]\n")
    assert main(["breakeven", str(study), "--out", str(out), "--parameter", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert "--parameter / breakeven.parameter nonsense" in err and "unknown key" in err, err
    assert not (out / "study.json").exists()


def test_the_study_hash_follows_the_study_and_the_policy_file(tmp_path):
    study = write_study(tmp_path, "hashed_policy")
    first = load_study(study).hash
    assert load_study(study).hash == first
    policy = tmp_path / "hashed_policy.py"
    policy.write_text(policy.read_text() + "\n# changed\n")
    assert load_study(study).hash != first


@pytest.mark.slow
def test_a_folder_of_another_study_is_refused(tmp_path, capsys):
    study = write_study(tmp_path, "folder_policy")
    out = tmp_path / "out"
    assert main(["tune", str(study), "--out", str(out), "--workers", "2", "--quiet"]) == 0
    assert main(["stress", str(study), "--out", str(out)]) == 2
    digest = load_study(study).hash
    assert (
        f"holds the results of crmsim tune of study {digest}; this is crmsim stress of study "
        f"{digest}. Choose another --out folder" in capsys.readouterr().err
    )
