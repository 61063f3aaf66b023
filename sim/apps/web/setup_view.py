"""Set up a market: a shipped scenario or an upload, each firm's strategy and its levers, the
market levers and the seed. Every change is validated at once; one that fails is refused with
the message ``crmsim validate`` would print, and the set-up stays as it was."""

from __future__ import annotations

from collections.abc import Callable

import reacton.ipywidgets as widgets
import solara

from sim.apps.web.config import Setup, Upload, build, read_upload
from sim.apps.web.i18n import Language, text
from sim.apps.web.levers import market_levers, strategy_levers
from sim.apps.web.widgets import LeverInput, StrategySelect
from sim.errors import InputError
from sim.scenarios import available

MAX_SEED = 2**63 - 1  # seeds are stored as 64-bit integers (as crmsim run takes them)


@solara.component
def SetupView(
    draft: solara.Reactive[Setup], language: Language, on_apply: Callable[[], None]
) -> None:
    """The set-up form; ``on_apply`` starts a market from the draft."""
    problem, set_problem = solara.use_state("")
    loaded = solara.use_memo(lambda: build(draft.value), [draft.value])

    def change(candidate: Setup) -> None:
        try:
            build(candidate)
        except InputError as exc:
            set_problem(str(exc))
            return
        set_problem("")
        draft.set(candidate)

    def choose(name: str) -> None:
        change(draft.value.with_source(scenario=name))

    def upload(files: tuple[dict, ...]) -> None:
        """ipywidgets' FileUpload value: one dict per file, with its name and content."""
        for file in files:
            try:
                received: Upload = read_upload(file["name"], bytes(file["content"]))
            except InputError as exc:
                set_problem(str(exc))
                return
            change(draft.value.with_source(upload=received))

    def seed(value: int | None) -> None:
        if value is None or not 0 <= value <= MAX_SEED:
            set_problem(f"seed: {value!r} is not allowed; use a whole number from 0 to {MAX_SEED}")
        else:
            change(draft.value.with_seed(value))

    if problem:
        solara.Error(f"{text('bad_input', language)}: {problem}", classes=["crmsim-problem"])
    source = draft.value.source_name
    with solara.Row():
        names = list(dict.fromkeys([*available(), source]))
        solara.Select(text("scenario", language), values=names, value=source, on_value=choose)
        solara.InputInt(text("seed", language), value=draft.value.seed, on_value=seed)
        solara.Button(text("apply", language), color="primary", on_click=on_apply)
    widgets.FileUpload(
        accept=".toml",
        multiple=False,
        description=text("upload", language),
        on_value=upload,
        layout={"width": "auto"},
    )
    spec = loaded.spec
    with solara.Card(text("market_levers", language)), solara.ColumnsResponsive(4):
        for lever in market_levers(spec):
            LeverInput(lever, language, lambda k, v: change(draft.value.with_value(k, v))).key(
                f"{source}-{lever.key}"
            )
    with solara.ColumnsResponsive(12 // min(len(spec.firms), 3)):
        for index, firm in enumerate(spec.firms):
            with solara.Card(firm.name):
                StrategySelect(
                    firm.strategy.name,
                    language,
                    lambda name, i=index: change(draft.value.with_strategy(i, name)),
                )
                for lever in strategy_levers(index, firm.strategy):
                    LeverInput(
                        lever, language, lambda k, v: change(draft.value.with_value(k, v))
                    ).key(f"{source}-{firm.strategy.name}-{lever.key}")
