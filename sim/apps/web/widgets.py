"""Small controls: one lever as a slider or a number input, checked before it is accepted."""

from __future__ import annotations

from collections.abc import Callable

import solara

from sim.apps.web.levers import Lever

SLIDER_STEP = 0.01  # the coarsest slider step (ranges are at most 10 wide: ≤ 1,000 steps)


def slider_step(lever: Lever) -> float:
    """A step fine enough for the lever's current value, so that showing a value never moves
    it (a slider snaps its value to a multiple of its step)."""
    decimals = len(f"{lever.value:.10g}".partition(".")[2].rstrip("0"))
    return min(SLIDER_STEP, 10.0**-decimals)


@solara.component
def LeverInput(lever: Lever, on_change: Callable[[str, float], None]) -> None:
    """A slider (numbers with both ends known) or a number input for ``lever``; a value out
    of range is refused with a message naming the field and the allowed values."""
    problem, set_problem = solara.use_state("")
    shown = f"{lever.name} = {lever.value:g}" if lever.slider else lever.name
    label = f"{shown} · {lever.help}" if lever.help else shown

    def accept(value: float | None) -> None:
        found = lever.problem(value)
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
        if problem:
            solara.Error(problem, dense=True)
