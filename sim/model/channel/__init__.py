"""The channel: retailers between firms and customers (B2B2C), docs/model.md section 7."""

from sim.model.channel.layer import ChannelLayer, Store

__all__ = ["ChannelLayer", "Store"]
