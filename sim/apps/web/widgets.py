"""Small controls: one lever as a slider or a number input, checked before it is accepted; a
menu of strategies shown by their names in the page's language."""

from __future__ import annotations

from collections.abc import Callable

import solara

from sim.apps.web.i18n import Language, strategy_name, text
from sim.apps.web.levers import Lever
from sim.strategies import BUILTIN

SLIDER_STEP = 0.01  # the coarsest slider step (ranges are at most 10 wide: ≤ 1,000 steps)


def slider_step(lever: Lever) -> float:
    """A step fine enough for the lever's current value, so that showing a value never moves
    it (a slider snaps its value to a multiple of its step)."""
    decimals = len(f"{lever.value:.10g}".partition(".")[2].rstrip("0"))
    return min(SLIDER_STEP, 10.0**-decimals)


@solara.component
def LeverInput(lever: Lever, language: Language, on_change: Callable[[str, float], None]) -> None:
    """A slider (numbers with both ends known; labelled with its value) or a number input for
    ``lever``, named in ``language`` with its help as a caption below; a value out of range is
    refused with a message naming the field and the allowed values."""
    problem, set_problem = solara.use_state("")
    name, help = lever.title(language), lever.explanation(language)
    label = f"{name} = {lever.value:g}" if lever.slider else name

    def accept(value: float | None) -> None:
        found = lever.problem(value, language)
        set_problem(found or "")
        if found is None and value != lever.value:
            on_change(lever.key, lever.cast(value))

    with solara.Column(gap="0px"):
        if lever.slider:
            solara.SliderFloat(
                label,
                value=lever.value,
                min=lever.low,
                max=lever.high,
                step=slider_step(lever),
                on_value=accept,
            )
        elif lever.whole:
            solara.InputInt(label, value=int(lever.value), on_value=accept)
        else:
            solara.InputFloat(label, value=lever.value, on_value=accept)
        if help:
            solara.Text(help, classes=["crmsim-help"])
        if problem:
            solara.Error(problem, dense=True)


@solara.component
def StrategySelect(value: str, language: Language, on_value: Callable[[str], None]) -> None:
    """A menu of the built-in strategies (and ``value``, if it is one's own), each shown by its
    name in ``language``; ``on_value`` gets the strategy's own name (as scenario files use it)."""
    names = list(dict.fromkeys([*BUILTIN, value]))
    solara.Select(
        text("strategy", language),
        values=[{"text": strategy_name(name, language), "value": name} for name in names],
        value=value,
        on_value=on_value,
    )
