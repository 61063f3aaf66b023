"""Warnings about a valid scenario that will not run as its author probably meant: events set
after the run's last period (they never happen; a new entrant never enters)."""

from __future__ import annotations

from sim.schema import MarketSpec


def warnings_for(spec: MarketSpec, periods: int | None = None) -> list[str]:
    """One line per event that starts after the last period of a run of ``periods`` periods
    (default: the scenario's ``periods``), naming the event, its kind, its period and the run's
    periods; empty when every event happens. Print each line on stderr before the run."""
    last = spec.periods if periods is None else periods
    lines = []
    for i, event in enumerate(spec.events):
        if event.period <= last:
            continue
        line = (
            f"warning: events[{i}] ({event.kind}) is set for period {event.period}, but the run "
            f"has {last} periods: it never happens"
        )
        if event.kind == "new_entrant":
            line += (
                f"; firm {event.firm!r} never enters the market and is left out of the summary "
                "and the report"
            )
        lines.append(line)
    return lines
