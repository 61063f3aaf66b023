"""The channel's results, read the same way from either engine's market."""

from __future__ import annotations

from typing import Any

import pandas as pd


class ChannelResults:
    """What a market with retailers reports beyond its firm and market metrics; mixed into
    :class:`sim.model.Market` and :class:`sim.reference.ReferenceMarket`, whose ``channel`` is
    their channel layer (None without retailers), which keeps both tables."""

    channel: Any

    def retailer_metrics(self) -> pd.DataFrame:
        """One row per period and retailer: every field of :class:`~sim.schema.RetailerBooks`."""
        if self.channel is None:
            raise RuntimeError("this market has no retailers (no [[channel.retailers]])")
        return self.channel.retailer_frame()

    def channel_metrics(self) -> pd.DataFrame:
        """One row per period and firm: every field of :class:`~sim.schema.ChannelBooks`."""
        if self.channel is None:
            raise RuntimeError("this market has no retailers (no [[channel.retailers]])")
        return self.channel.frame()
