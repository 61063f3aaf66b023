"""Figures draw what the metrics and analyses report: the customer-value curves pass through the
books' top-20% shares, and the loyalty figure carries the table it is given."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.model import Market
from sim.reporting.figures import plot_customer_value, plot_loyalty
from sim.scenarios import load


@pytest.fixture(scope="module")
def market() -> Market:
    spec = load("flagship", ["customers.count=600", "periods=12"]).spec
    return Market(spec, rng=3, record_transactions=False).run()


def test_customer_value_curves_pass_through_the_top20_shares(market):
    """At 20% of the customers served (⌈0.2·n⌉ of them) the Pareto curve of sales is the firm's
    top20_sales_share and the whale curve its top20_profit_share; the whale curve ends at 1."""
    fig = plot_customer_value(market)
    sales, whale = fig.axes
    last = market.firm_metrics().query(f"period == {market.period}").set_index("firm")
    checked = 0
    for firm in market.firms:
        served = int((market.relations.cumulative_revenue[:, firm.index] > 0).sum())
        k = int(np.ceil(0.2 * served)) - 1
        lines = {ax: {ln.get_label(): ln for ln in ax.get_lines()} for ax in (sales, whale)}
        sales_y = lines[sales][firm.name].get_ydata()
        assert sales_y.size == served and sales_y[-1] == pytest.approx(1.0)
        assert sales_y[k] == pytest.approx(last.at[firm.name, "top20_sales_share"], rel=1e-9)
        if firm.name in lines[whale]:
            whale_y = lines[whale][firm.name].get_ydata()
            assert whale_y[-1] == pytest.approx(1.0)
            assert whale_y[k] == pytest.approx(last.at[firm.name, "top20_profit_share"], rel=1e-9)
            checked += 1
    assert checked >= 2


def test_loyalty_figure_draws_the_table_and_each_comparison():
    table = pd.DataFrame(
        {
            "satisfaction": [-0.5, 0.1, 0.7],
            "defect": [0.3, 0.04, 0.02],
            "recommend": [0.0, 0.03, 0.8],
        }
    )
    other = table.assign(defect=[0.3, 0.04, 0.06], recommend=[0.0, 0.02, 0.4])
    fig = plot_loyalty(table, "model", {"without attachment": other})
    defect, recommend = fig.axes
    for ax, column in ((defect, "defect"), (recommend, "recommend")):
        drawn = {ln.get_label(): ln for ln in ax.get_lines()}
        assert set(drawn) == {"model", "without attachment"}
        np.testing.assert_array_equal(drawn["model"].get_ydata(), table[column])
        np.testing.assert_array_equal(drawn["without attachment"].get_ydata(), other[column])
        assert drawn["without attachment"].get_linestyle() == "--"
