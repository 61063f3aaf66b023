"""Every shipped scenario validates, documents itself and runs; the format's docs are complete."""

from __future__ import annotations

import re
import typing

import pytest

from sim import schema
from sim.experiments import simulate
from sim.scenarios import available, load
from sim.schema import INFO_SECTIONS

from conftest import ROOT

DOCS = (ROOT / "docs" / "scenarios.md").read_text()


def test_at_least_eight_scenarios_ship():
    assert len(available()) >= 8, available()


@pytest.mark.parametrize("name", available())
def test_shipped_scenario_is_documented_and_runs(name):
    loaded = load(name, ["customers.count=300", "periods=6"])
    info = loaded.spec.info
    assert info.title
    for section in INFO_SECTIONS:
        assert len(getattr(info, section).strip()) > 40, f"{name}: [info].{section} is thin"
    metrics = simulate(loaded.spec, seed=0)
    assert len(metrics) == 6 * len(loaded.spec.firms)
    assert metrics["profit"].notna().all()


def test_every_event_kind_and_key_is_documented():
    kinds = typing.get_args(typing.get_args(schema.AnyEvent)[0])
    assert len(kinds) == 7
    for kind in kinds:
        name = typing.get_args(kind.model_fields["kind"].annotation)[0]
        row = re.search(rf"^\| `{name}` \|.*$", DOCS, re.MULTILINE)
        assert row, f"event {name} missing from docs/scenarios.md"
        for key in kind.model_fields:
            if key != "kind":
                assert f"`{key}`" in row.group(0), f"{name}.{key} missing from its row"
