"""The social network of a small market (at most 2,000 customers), coloured by loyalty.

A Watts-Strogatz network is a rewired ring, so customers sit on a circle in their ring order:
lattice ties run along the rim, rewired ties cross it. A customer loyal to a firm takes the
firm's colour; the others are grey.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from matplotlib.collections import LineCollection

from sim.apps.web.charts import colour, figure, png
from sim.apps.web.i18n import Language, colon, text
from sim.apps.web.live import LiveMarket

MAX_NETWORK_CUSTOMERS = 2_000


def network_chart(live: LiveMarket, language: Language) -> bytes:
    """The network on a circle, customers coloured by the firm they are loyal to."""
    matrix = live.market.network.adjacency()
    n = live.market.customers.count
    angle = 2 * np.pi * np.arange(n) / n
    xy = np.column_stack([np.cos(angle), np.sin(angle)])
    ties = sp.triu(matrix, k=1).tocoo()
    loyal = live.loyal_to()
    colours = np.array(["#bbbbbb", *[colour(j) for j in range(len(live.firms))]])[loyal + 1]
    with figure(6.5, 6.5, 1, 1) as (fig, axes):
        ax = axes[0]
        segments = np.stack([xy[ties.row], xy[ties.col]], axis=1)
        ax.add_collection(LineCollection(segments, colors="#999999", linewidths=0.2, alpha=0.3))
        ax.scatter(xy[:, 0], xy[:, 1], c=colours, s=6, zorder=2)
        for j, firm in enumerate(live.firms):
            ax.scatter(
                [], [], color=colour(j), label=f"{firm}{colon(language)}{np.sum(loyal == j):,}"
            )
        ax.legend(loc="center")
        ax.set_title(f"{text('network', language)} ({text('loyal_to', language)})")
        ax.set_aspect("equal")
        ax.axis("off")
        return png(fig)
