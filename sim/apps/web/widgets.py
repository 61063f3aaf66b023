"""Small controls: one lever as a slider or a number input, checked before it is accepted; a
menu of strategies shown by their names in the page's language."""

from __future__ import annotations

from collections.abc import Callable

import solara
from solara.alias import rv as v

from sim.apps.web.i18n import Language, strategy_name, text
from sim.apps.web.levers import Lever
from sim.strategies import BUILTIN

EVENTS = ("focusout", "keyup.enter")  # a number field passes its value on: left, or Enter
SLIDER_STEP = 0.01  # the coarsest slider step (ranges are at most 10 wide: ≤ 1,000 steps)


def slider_step(lever: Lever) -> float:
    """A step fine enough for the lever's current value, so that showing a value never moves
    it (a slider snaps its value to a multiple of its step)."""
    decimals = len(f"{lever.value:.10g}".partition(".")[2].rstrip("0"))
    return min(SLIDER_STEP, 10.0**-decimals)


def parse(typed: str | None) -> float | int | str | None:
    """What was typed into a number field: a whole number, a number as Python reads it ('nan'
    and 'inf' included, for the lever to refuse), None if empty, else the text itself."""
    shown = (typed or "").strip()
    if not shown:
        return None
    for kind in (int, float):
        try:
            return kind(shown)
        except ValueError:
            pass
    return shown


@solara.component
def NumberField(
    lever: Lever,
    language: Language,
    label: str,
    on_change: Callable[[str, float], None],
    on_invalid: Callable[[Lever, bool], None] | None = None,
) -> None:
    """A text field for ``lever``: what is typed is checked at every key (a value not allowed,
    'nan', 'inf', text or nothing, is a message naming the field) and passed on when Enter is
    pressed or the field is left; ``on_invalid`` hears when the field turns invalid or valid."""
    typed, set_typed = solara.use_state(lever.typed())
    value = parse(typed)
    problem = lever.problem(value, language)
    commit = solara.use_ref(lambda: None)

    def send() -> None:
        if problem is None and lever.cast(value) != lever.value:
            on_change(lever.key, lever.cast(value))

    commit.current = send
    with solara.Column(gap="0px"):
        field = v.TextField(
            v_model=typed,
            on_v_model=lambda text: set_typed(text or ""),
            label=label,
            error=problem is not None,
            hide_details=True,
        )
        if problem:
            solara.Error(problem, dense=True)

    def listen() -> Callable[[], None]:
        widget = solara.get_widget(field)

        def on_event(*_: object) -> None:
            commit.current()

        for event in EVENTS:
            widget.on_event(event, on_event)

        def stop() -> None:
            for event in EVENTS:
                widget.on_event(event, on_event, remove=True)

        return stop

    def flag() -> Callable[[], None] | None:
        if on_invalid is None or problem is None:
            return None
        on_invalid(lever, True)
        return lambda: on_invalid(lever, False)

    solara.use_effect(listen, [])
    solara.use_effect(flag, [problem is None])


@solara.component
def LeverInput(
    lever: Lever,
    language: Language,
    on_change: Callable[[str, float], None],
    on_invalid: Callable[[Lever, bool], None] | None = None,
) -> None:
    """A slider (numbers with both ends known; labelled with its value) or a number field for
    ``lever``, named in ``language`` with its help as a caption below; a value out of range is
    refused with a message naming the field and the allowed values."""
    name, help = lever.title(language), lever.explanation(language)

    def slid(value: float) -> None:
        if lever.problem(value) is None and value != lever.value:
            on_change(lever.key, lever.cast(value))

    with solara.Column(gap="0px"):
        if lever.slider:
            solara.SliderFloat(
                f"{name} = {lever.value:g}",
                value=lever.value,
                min=lever.low,
                max=lever.high,
                step=slider_step(lever),
                on_value=slid,
            )
        else:
            NumberField(lever, language, name, on_change, on_invalid)
        if help:
            solara.Text(help, classes=["crmsim-help"])


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
