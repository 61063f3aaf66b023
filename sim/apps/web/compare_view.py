"""The Compare tab: an A/B pair of markets from the same seed, and replicates with 95% bands."""

from __future__ import annotations

import solara
import solara.lab

from sim.apps.web.compare import (
    MAX_REPLICATES,
    ab_chart,
    bands_chart,
    outcomes,
    replicate,
    run_ab,
)
from sim.apps.web.config import Setup, build
from sim.apps.web.i18n import Language, text
from sim.apps.web.levers import market_levers
from sim.errors import InputError
from sim.strategies import BUILTIN

NO_LEVER = "—"


@solara.component
def CompareView(setup: Setup, language: Language) -> None:
    """A is the applied set-up; B differs in one firm's strategy and/or one market lever."""
    spec = solara.use_memo(lambda: build(setup).spec, [setup])
    firms = [firm.name for firm in spec.firms]
    firm = solara.use_reactive(firms[0])
    strategy = solara.use_reactive(spec.firms[0].strategy.name)
    lever_key = solara.use_reactive(NO_LEVER)
    value = solara.use_reactive(0.0)
    seeds = solara.use_reactive(10)
    problem = solara.use_reactive("")
    levers = {lever.key: lever for lever in market_levers(spec)}

    def pick(key: str) -> None:
        lever_key.set(key)
        if key in levers:
            value.set(float(levers[key].value))

    def variant() -> Setup:
        b = setup
        index = firms.index(firm.value)
        if strategy.value != spec.firms[index].strategy.name:
            b = b.with_strategy(index, strategy.value)
        if lever_key.value != NO_LEVER:
            lever = levers[lever_key.value]
            found = lever.problem(value.value)
            if found:
                raise InputError(found)
            b = b.with_value(lever.key, lever.cast(value.value))
        return b

    def ab_run() -> bytes | None:
        try:
            a, b = run_ab(setup, variant())
        except InputError as exc:
            problem.set(str(exc))
            return None
        problem.set("")
        return ab_chart(a, b, language)

    def replicate_run() -> tuple[bytes, str] | None:
        try:
            metrics = replicate(build(setup), seeds.value, setup.seed)
        except InputError as exc:
            problem.set(str(exc))
            return None
        return bands_chart(metrics, language), outcomes(metrics, language)

    ab_task = solara.lab.use_task(ab_run, dependencies=None)
    replicate_task = solara.lab.use_task(replicate_run, dependencies=None)
    with solara.Card("A/B"):
        solara.Text(f"A = {setup.source_name}, {text('seed', language)} {setup.seed}")
        with solara.Row():
            solara.Text(text("variant_b", language))
            solara.Select(text("firm", language), values=firms, value=firm)
            solara.Select(
                text("strategy", language),
                values=list(dict.fromkeys([*BUILTIN, strategy.value])),
                value=strategy,
            )
            solara.Select(
                text("market_levers", language),
                values=[NO_LEVER, *levers],
                value=lever_key.value,
                on_value=pick,
            )
            if lever_key.value != NO_LEVER:
                solara.InputFloat(levers[lever_key.value].allowed(), value=value)
        solara.Button(
            text("run_ab", language),
            on_click=ab_task,
            color="primary",
            disabled=ab_task.pending,
        )
        if problem.value:
            solara.Error(
                f"{text('bad_input', language)}: {problem.value}", classes=["crmsim-problem"]
            )
        if ab_task.pending:
            solara.Text(text("running", language))
        elif ab_task.finished and ab_task.value:
            solara.Image(ab_task.value, width="100%")
    with solara.Card(text("replicate", language)):
        with solara.Row():
            solara.SliderInt(text("seeds", language), value=seeds, min=2, max=MAX_REPLICATES)
            solara.Button(
                text("replicate", language),
                on_click=replicate_task,
                color="primary",
                disabled=replicate_task.pending,
            )
        solara.Text(text("replicate_note", language))
        if replicate_task.pending:
            solara.Text(text("running", language))
        elif replicate_task.finished and replicate_task.value:
            chart, table = replicate_task.value
            solara.Image(chart, width="100%")
            solara.Markdown(table)
