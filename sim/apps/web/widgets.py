"""Small controls: one lever as a slider or a number input, checked before it is accepted; a
menu of strategies shown by their names in the page's language."""

from __future__ import annotations

import math
from collections.abc import Callable

import solara
from solara.alias import rv as v

from sim.apps.web.i18n import Language, strategy_name, text
from sim.apps.web.levers import Lever
from sim.strategies import BUILTIN

EVENTS = ("focusout", "keyup.enter")  # a number field passes its value on: left, or Enter
STEPS = 100  # about this many positions along a slider: each a few pixels wide for the mouse
MOUSE_SPAN = 2.0  # a slider spans at most this (or up to the value): markup 0–10 → 0–2


def slider_range(lever: Lever) -> tuple[float, float]:
    """The slider's ends: the lever's range, cut to ``MOUSE_SPAN`` (or the value, rounded up)
    where it is wider; the number field beside the slider takes any allowed value."""
    low, high = float(lever.low or 0.0), float(lever.high or 0.0)
    if high - low <= MOUSE_SPAN:
        return low, high
    return low, min(high, max(low + MOUSE_SPAN, float(math.ceil(lever.value))))


def slider_step(lever: Lever) -> float:
    """A round step (1, 2 or 5 × a power of ten) giving about ``STEPS`` positions."""
    low, high = slider_range(lever)
    rough = (high - low) / STEPS
    power = 10.0 ** math.floor(math.log10(rough))
    return min((m * power for m in (1, 2, 5, 10)), key=lambda x: abs(math.log(x / rough)))


def on_slider(lever: Lever) -> float:
    """Where the slider shows the lever's value: the nearest step within its range (a value
    between steps is shown exactly in the label and field, and is not moved)."""
    low, high = slider_range(lever)
    step = slider_step(lever)
    return round(min(max(lever.value, low), high) / step) * step


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
    hint: str = "",
) -> None:
    """A text field for ``lever``: what is typed is checked at every key (a value not allowed,
    'nan', 'inf', text or nothing, is a message naming the field) and passed on when Enter is
    pressed or the field is left; ``on_invalid`` hears when the field turns invalid or valid;
    ``hint`` is shown under it."""
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
            hint=hint,
            persistent_hint=bool(hint),
            hide_details=not hint,
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
    """A slider (numbers with both ends known; labelled with its value) with a number field
    beside it, or a number field alone, for ``lever``, named in ``language`` with its help as a
    caption below; a value out of range is refused with a message naming the field and the
    allowed values."""
    name, help = lever.title(language), lever.explanation(language)
    shown = on_slider(lever) if lever.slider else 0.0

    def slid(value: float) -> None:
        value = round(value, 12)  # a multiple of the step, without the float's last digits
        if lever.problem(value) is None and value != shown:
            on_change(lever.key, lever.cast(value))

    with solara.Column(gap="0px"):
        if lever.slider:
            low, high = slider_range(lever)
            with solara.Row(style={"align-items": "center"}):
                with solara.Div(style={"flex": "1 1 auto"}):
                    solara.SliderFloat(
                        f"{name} = {lever.value:g}",
                        value=shown,
                        min=low,
                        max=high,
                        step=slider_step(lever),
                        on_value=slid,
                    )
                with solara.Div(style={"flex": "0 0 5.5em"}):
                    NumberField(
                        lever, language, text("value_of", language), on_change, on_invalid
                    ).key(f"typed-{lever.value!r}")  # a new value from the slider: shown anew
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
