"""The Compare tab: markets A and B side by side, live, from the same seed; and both replicated
over N seeds with 95% bands of A, B and B − A."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import solara
import solara.lab

from sim.apps.web.compare import MAX_REPLICATES, bands_chart, difference, outcomes, replicate
from sim.apps.web.config import Setup, build
from sim.apps.web.i18n import Language, colon, strategy_name, text
from sim.apps.web.levers import Lever, market_levers, strategy_levers
from sim.apps.web.pair import AB_METRICS, Pair
from sim.apps.web.run_view import RunControls
from sim.apps.web.session import Session
from sim.apps.web.widgets import NumberField, StrategySelect
from sim.errors import InputError

NO_LEVER = "—"
AB_LABELS = ("step_ab", "play_ab", "pause_ab", "reset_ab")
AB_FORMATS = {  # the A/B table: metric → format
    "cumulative_profit": "{:,.0f}",
    "market_share": "{:.4f}",
    "customer_equity": "{:,.0f}",
}


def pair_table(pair: Pair, language: Language) -> str:
    """The plotted numbers of this period (the lines' last points) as Markdown: per firm and
    metric, A, B and B − A."""
    rows = [
        f"| {text('firm', language)} | {text('outcome', language)} | A | B | "
        f"{text('difference', language)} |",
        "|---|---|---|---|---|",
    ]
    for firm, values in pair.latest().items():
        for key in AB_METRICS:
            fmt = AB_FORMATS[key]
            cells = " | ".join(fmt.format(value) for value in values[key])
            rows.append(f"| {firm} | {text(key, language)} | {cells} |")
    return "\n".join(rows)


def describe(a: Setup, b: Setup, language: Language) -> str:
    """What B changes, in words of ``language``: "ProductCo's strategy: sales_push; choice
    noise = 5"."""
    spec = build(b).spec
    titles = {lever.key: lever.title(language) for lever in market_levers(spec)}
    for index, firm in enumerate(spec.firms):
        for lever in strategy_levers(index, firm):
            titles[lever.key] = f"{firm.name} {lever.title(language)}"
    changed = []
    for key, value in b.settings.items():
        if a.settings.get(key) == value:
            continue
        if isinstance(value, dict):
            firm = spec.firms[int(re.findall(r"\d+", key)[0])].name
            name = strategy_name(value["name"], language)
            who = text("firm_strategy", language).format(firm=firm)
            changed.append(f"{who}{colon(language)}{name}")
        else:
            changed.append(f"{titles.get(key, key)} = {value:g}")
    return ("；" if language == "zh" else "; ").join(changed) or text("same_as_a", language)


def lever_menu(
    label: str,
    levers: dict[str, Lever],
    value: str,
    on_value: Callable[[str], None],
    language: Language,
) -> None:
    """A menu of levers by their names in ``language``, "—" (none) first."""
    solara.Select(
        label,
        values=[{"text": NO_LEVER, "value": NO_LEVER}]
        + [{"text": lever.title(language), "value": key} for key, lever in levers.items()],
        value=value,
        on_value=on_value,
    )


@solara.component
def CompareView(session: Session, setup: Setup, language: Language) -> None:
    """B is the applied set-up (A, ``setup``: the session's) with one firm's strategy, one lever
    of that firm's strategy and/or one market lever changed."""
    spec = solara.use_memo(lambda: build(setup).spec, [setup])
    firms = [firm.name for firm in spec.firms]
    firm = solara.use_reactive(firms[0])
    index = firms.index(firm.value) if firm.value in firms else 0
    strategy = solara.use_reactive(spec.firms[index].strategy.name)
    lever_key, value = solara.use_reactive(NO_LEVER), solara.use_reactive(0.0)
    param_key, param = solara.use_reactive(NO_LEVER), solara.use_reactive(0.0)
    seeds = solara.use_reactive(10)
    problem = solara.use_reactive("")
    picture = solara.use_reactive(b"")
    invalid = solara.use_memo(dict, [])  # key → lever of every field now showing a refusal
    levers = {lever.key: lever for lever in market_levers(spec) if lever.key != "periods"}
    same = strategy.value == spec.firms[index].strategy.name
    params = solara.use_memo(  # the levers of B's strategy for the chosen firm
        lambda: {
            lever.key: lever
            for lever in strategy_levers(
                index,
                spec.firms[index]
                if same
                else build(setup.with_strategy(index, strategy.value)).spec.firms[index],
            )
        },
        [setup, index, strategy.value],
    )

    def mark(lever: Lever, bad: bool) -> None:
        if bad:
            invalid[lever.key] = lever
        else:
            invalid.pop(lever.key, None)

    def pick(key: str) -> None:
        lever_key.set(key)
        if key in levers:
            value.set(float(levers[key].value))

    def pick_param(key: str) -> None:
        param_key.set(key)
        if key in params:
            param.set(float(params[key].value))

    def pick_strategy(name: str) -> None:
        strategy.set(name)
        param_key.set(NO_LEVER)

    def pick_firm(name: str) -> None:
        firm.set(name)
        pick_strategy(spec.firms[firms.index(name)].strategy.name)

    def variant() -> Setup:
        if invalid:
            fields = ("、" if language == "zh" else ", ").join(
                lever.title(language) for lever in invalid.values()
            )
            raise InputError(text("fix_fields", language).format(fields=fields))
        b = setup if same else setup.with_strategy(index, strategy.value)
        for key, chosen, number in ((param_key, params, param), (lever_key, levers, value)):
            if key.value in chosen:
                lever = chosen[key.value]
                found = lever.problem(number.value, language)
                if found:
                    raise InputError(found)
                b = b.with_value(lever.key, lever.cast(number.value))
        return b

    def start() -> None:
        try:
            pair = session.start_pair(variant())
        except InputError as exc:
            problem.set(str(exc))
            return
        problem.set("")
        picture.set(pair.picture())

    def replicate_run() -> tuple[str, bytes, str] | None:
        try:
            b = variant()
            a_metrics, b_metrics = replicate([build(setup), build(b)], seeds.value, setup.seed)
        except InputError as exc:
            problem.set(str(exc))
            return None
        problem.set("")
        diff = difference(a_metrics, b_metrics)
        return (
            describe(setup, b, language),
            bands_chart(a_metrics, b_metrics, diff, language),
            outcomes(a_metrics, b_metrics, diff, language),
        )

    def redraw() -> None:
        if session.pair is not None:
            picture.set(session.pair.picture())  # the chart in the page's language

    solara.use_effect(redraw, [language])
    replicate_task = solara.lab.use_task(replicate_run, dependencies=None)
    table = solara.use_memo(  # the plotted numbers, read again with every new picture
        lambda: pair_table(session.pair, language) if session.pair else "",
        [picture.value, language],
    )
    with solara.Card("A/B"):
        solara.Text(f"A = {setup.source_name}, {text('seed', language)} {setup.seed}")
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
            solara.Text(text("variant_b", language))
            solara.Select(
                text("firm", language), values=firms, value=firm.value, on_value=pick_firm
            )
            StrategySelect(strategy.value, language, pick_strategy)
            lever_menu(
                text("strategy_lever", language), params, param_key.value, pick_param, language
            )

            def b_value(lever: Lever, held: solara.Reactive, key: str) -> None:
                """B's value of ``lever`` (kept in ``held``), named, its allowed values under it."""
                shown = replace(lever, value=held.value)
                hint = shown.allowed(language)
                title = shown.title(language)
                NumberField(shown, language, title, lambda _, x: held.set(x), mark, hint=hint).key(
                    key
                )

            if param_key.value in params:
                b_value(params[param_key.value], param, f"b-{param_key.value}-{strategy.value}")
            lever_menu(text("market_levers", language), levers, lever_key.value, pick, language)
            if lever_key.value in levers:
                b_value(levers[lever_key.value], value, f"b-{lever_key.value}")
        solara.Button(text("start_ab", language), on_click=start, color="primary")
        with solara.Column():  # always there: the pair's controls below keep their state
            if problem.value:
                solara.Error(
                    f"{text('bad_input', language)}{colon(language)}{problem.value}",
                    classes=["crmsim-problem"],
                )
        pair = session.pair
        if pair is not None:
            with solara.Column(gap="2px"):
                solara.Text(f"B{colon(language)}{describe(*pair.setups, language)}")
                solara.Text(text("ab_note", language))
            RunControls(pair, language, picture, AB_LABELS)
            solara.Markdown(table, style={"font-size": "0.85em"})
    with solara.Card(text("replicate", language)):
        with solara.Row():
            solara.SliderInt(
                f"{text('seeds', language)} = {seeds.value}",
                value=seeds,
                min=2,
                max=MAX_REPLICATES,
                thumb_label=True,
            )
            solara.Button(
                text("replicate", language),
                on_click=replicate_task,
                color="primary",
                disabled=replicate_task.pending,
            )
        with solara.Column(gap="2px"):
            solara.Text(text("replicate_note", language))
            if replicate_task.finished and replicate_task.value:
                solara.Text(f"B{colon(language)}{replicate_task.value[0]}")
        if replicate_task.pending:
            solara.Text(text("running", language))
        elif replicate_task.finished and replicate_task.value:
            _, chart, table = replicate_task.value
            solara.Image(chart, width="100%")
            solara.Markdown(table)
