"""Mesa's SolaraViz rebuilds a model on Reset with the keyword arguments it collected, adding a
Mesa ``Scenario`` as ``scenario=`` when the model accepts that keyword. The market's own
description is ``spec=``, so a reset builds the same market again (tests Mesa's private helper
that ModelController's Reset button calls: pinned by mesa>=3.5.1,<4)."""

from __future__ import annotations

import pandas as pd
from mesa.experimental.scenarios import Scenario as MesaScenario
from mesa.visualization.solara_viz import _build_model_init_kwargs

from sim.model import Market
from sim.scenarios import load


def test_reset_as_solaraviz_does_rebuilds_the_same_market():
    spec = load("flagship", ["customers.count=500", "periods=6"]).spec
    shown = Market(spec=spec, rng=11)
    assert isinstance(shown.scenario, MesaScenario)  # Mesa's own attribute is Mesa's
    kwargs = _build_model_init_kwargs(
        shown,
        {"spec": spec, "rng": 11},
        add_scenario_when_empty=True,
        require_model_accepts_scenario=True,
    )
    assert "scenario" not in kwargs
    reset = type(shown)(**kwargs).run()
    again = Market(spec, rng=11).run()
    pd.testing.assert_frame_equal(reset.firm_metrics(), again.firm_metrics(), check_exact=True)
    assert reset.spec is spec and len(reset.firm_metrics()) == 6 * len(spec.firms)
