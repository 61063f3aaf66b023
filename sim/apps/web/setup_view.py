"""Set up a market: a shipped scenario or an upload, each firm's strategy and its levers, the
market levers and the seed. Every change is validated at once; one that fails is refused with
the message ``crmsim validate`` would print, and the set-up stays as it was."""

from __future__ import annotations

from collections.abc import Callable

import reacton.ipywidgets as widgets
import solara

from sim.apps.web.config import Setup, Upload, build, read_upload
from sim.apps.web.i18n import Language, colon, text
from sim.apps.web.levers import Lever, market_levers, seed_lever, strategy_levers
from sim.apps.web.widgets import LeverInput, NumberField, StrategySelect
from sim.errors import InputError
from sim.scenarios import available


@solara.component
def SetupView(
    draft: solara.Reactive[Setup], language: Language, on_apply: Callable[[], None]
) -> None:
    """The set-up form; ``on_apply`` starts a market from the draft, unless a field holds a
    value that is not allowed or the last change was refused (then it says so)."""
    problem, set_problem = solara.use_state("")
    refused, set_refused = solara.use_state(False)  # Apply was refused: say why
    invalid = solara.use_memo(dict, [])  # key → lever of every field now showing a refusal
    loaded = solara.use_memo(lambda: build(draft.value), [draft.value])

    def mark(lever: Lever, bad: bool) -> None:
        if bad:
            invalid[lever.key] = lever
        else:
            invalid.pop(lever.key, None)

    def change(candidate: Setup) -> None:
        set_refused(False)
        try:
            build(candidate)
        except InputError as exc:
            set_problem(str(exc))
            return
        set_problem("")
        draft.set(candidate)

    def apply() -> None:
        set_refused(bool(invalid or problem))
        if not (invalid or problem):
            on_apply()

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

    with solara.Column(gap="4px"):  # always there: the form below keeps its place (and state)
        if problem:
            solara.Error(
                f"{text('bad_input', language)}{colon(language)}{problem}",
                classes=["crmsim-problem"],
            )
        if refused and (invalid or problem):
            fields = ("、" if language == "zh" else ", ").join(
                lever.title(language) for lever in invalid.values()
            )
            refusal = text("fix_fields", language).format(fields=fields) if fields else ""
            refusal = refusal or text("fix_change", language)
            solara.Error(
                f"{text('bad_input', language)}{colon(language)}{refusal}",
                classes=["crmsim-problem"],
            )
    source = draft.value.source_name
    with solara.Row():
        names = list(dict.fromkeys([*available(), source]))
        solara.Select(text("scenario", language), values=names, value=source, on_value=choose)
        NumberField(
            seed_lever(draft.value.seed),
            language,
            text("seed", language),
            lambda _, value: change(draft.value.with_seed(int(value))),
            mark,
        )
        solara.Button(text("apply", language), color="primary", on_click=apply)
    label = text("upload", language).replace('"', "")
    with solara.Div(classes=["crmsim-upload"], style={"--crmsim-upload": f'"{label}"'}):
        widgets.FileUpload(  # its own text, "label (0)", is hidden: the CSS shows the label
            accept=".toml",
            multiple=False,
            description=text("upload", language),
            on_value=upload,
            layout={"width": "auto"},
        )
    spec = loaded.spec
    with solara.Card(text("market_levers", language)), solara.ColumnsResponsive(4):
        for lever in market_levers(spec):
            LeverInput(
                lever, language, lambda k, v: change(draft.value.with_value(k, v)), mark
            ).key(f"{source}-{lever.key}")
    with solara.ColumnsResponsive(12 // min(len(spec.firms), 3)):
        for index, firm in enumerate(spec.firms):
            with solara.Card(firm.name):
                StrategySelect(
                    firm.strategy.name,
                    language,
                    lambda name, i=index: change(draft.value.with_strategy(i, name)),
                )
                for lever in strategy_levers(index, firm):
                    LeverInput(
                        lever, language, lambda k, v: change(draft.value.with_value(k, v)), mark
                    ).key(f"{source}-{firm.strategy.name}-{lever.key}")
