"""The team page: the firm's reports, its research, and the decision form for the open round.

Who the team is comes from the join cookie of the page's own connection, checked against the
store (:func:`sim.apps.game.pages.signed_in_seat`); the page shows that seat's firm and nothing
else. Labels are in the session's language (:mod:`sim.apps.game.chrome`).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable

import pandas as pd
import solara
from matplotlib.ticker import MaxNLocator

from sim.apps.game.chrome import language, say
from sim.apps.game.decisions import PERSONALISATION, RANGES, budget_items, budget_line, to_record
from sim.apps.game.game import Game, shock_label
from sim.apps.game.refusals import told
from sim.apps.game.research import SAMPLE, STUDIES, priced
from sim.apps.game.rules import seat_name
from sim.apps.game.status import team_status
from sim.apps.game.tables import header, shown
from sim.apps.web.charts import figure, png
from sim.apps.web.i18n import Language, text
from sim.errors import InputError
from sim.model.population import Stage
from sim.strategies import Decision

CHARTS = ("profit", "cumulative_profit", "customers", "retention_rate", "customer_equity")


def results_chart(results: pd.DataFrame, lang: Language, needs: int) -> bytes:
    """The firm's books over time: one small line chart per measure, periods on a whole-number
    axis (PNG); a measure not defined yet in any period (retention, in the first ``needs``
    periods) is a note in place of an empty plot."""
    with figure(12, 2.4, 1, len(CHARTS)) as (fig, axes):
        for ax, measure in zip(axes, CHARTS, strict=True):
            ax.set_title(text(measure, lang) if lang == "zh" else measure.replace("_", " "))
            values = pd.to_numeric(results[measure], errors="coerce")
            if values.isna().all():
                note = text("game_not_yet", lang).format(n=needs)
                ax.text(0.5, 0.5, note, ha="center", va="center", wrap=True, transform=ax.transAxes)
                ax.set_axis_off()
                continue
            ax.plot(results["period"], values, marker="o", markersize=3)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel(text("period", lang).lower())
            ax.grid(alpha=0.3)
        return png(fig)


@solara.component
def StudyChoice(prices: dict[str, float], chosen: list[str], on_value: Callable) -> None:  # noqa: N802 - a Solara component
    """A checkbox per study, with its price and what it tells."""
    solara.Text(say("game_research"), style={"font-weight": "bold"})
    for study in STUDIES:
        with solara.Div(classes=[f"game-study-{study}"]):
            price = say("game_price", price=prices[study])
            solara.Checkbox(
                label=f"{say('study_' + study)} · {price} · {say('what_' + study)}",
                value=study in chosen,
                on_value=lambda on, s=study: on_value(s, on),
            )


def number(typed: str) -> float | None:
    """A number as typed (a decimal comma allowed), or None."""
    try:
        value = float(typed.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@solara.component
def NumberField(  # noqa: N802 - a Solara component
    label: str,
    value: float,
    on_value: Callable[[float], None],
    on_valid: Callable[[bool], None],
    name: str,
) -> None:
    """A decision field: each valid keystroke counts (nothing is lost); what is not a number
    is said so in the page's language, and ``on_valid`` hears whether the field holds one (the
    form is not sent while one does not)."""
    typed, set_typed = solara.use_state(f"{value:g}")

    def type_in(words: str) -> None:
        set_typed(words)
        on_valid(number(words) is not None)
        if number(words) is not None:
            on_value(number(words))

    solara.InputText(
        label,
        value=typed,
        on_value=type_in,
        continuous_update=True,
        error=False if number(typed) is not None else say("game_not_a_number"),
        classes=[f"game-field-{name}"],
    )


@solara.component
def FieldKey(name: str) -> None:  # noqa: N802 - a Solara component
    """A field's key in small text under its translated label (the decision file uses it)."""
    if language.value != "en":
        solara.Text(name, style={"font-size": "0.75em", "opacity": "0.6"}, classes=["game-key"])


@solara.component
def DecisionForm(  # noqa: N802 - a Solara component
    game: Game,
    seat: int,
    round_: int,
    current: Decision,
    studies: list[str],
    on_sent: Callable[[], None],
) -> None:
    """One input per field, the research to buy, the budget, and Submit for round ``round_``
    (a double click applies once; refused once that round has closed; disabled while a field
    holds no number)."""
    # state kept across the page's polls (use_reactive would follow ``current`` and drop a draft)
    draft, set_draft = solara.use_state(to_record(current) | {"studies": studies})
    form_key, set_form_key = solara.use_state(str(uuid.uuid4()))  # this form's idempotency key
    message = solara.use_reactive("")  # a key of the app's table: said in the page's language
    problem = solara.use_reactive(None)  # the refusal, told in the page's language
    not_numbers, set_not_numbers = solara.use_state(frozenset[str]())  # fields that hold none

    def change(name: str, value: object) -> None:
        set_draft(lambda old: old | {name: value})

    def valid(name: str, ok: bool) -> None:
        set_not_numbers(lambda old: old - {name} if ok else old | {name})

    def toggle(study: str, on: bool) -> None:
        def bought(s: str, old: list[str]) -> bool:
            return on if s == study else s in old

        set_draft(lambda old: old | {"studies": [s for s in STUDIES if bought(s, old["studies"])]})

    def send() -> None:
        try:
            _, fresh = game.submit(seat, draft, form_key, round_)
        except InputError as exc:  # a refused decision, a closed round, a locked game
            problem.set(exc)
            message.set("")
            return
        problem.set(None)
        message.set("game_received" if fresh else "game_again")
        set_form_key(str(uuid.uuid4()))
        on_sent()

    prices = game.rules.research_prices
    decision = Decision(**{k: v for k, v in draft.items() if k != "studies"})
    items = budget_items(decision, priced(draft["studies"], prices))
    with solara.Card(say("game_decision")):
        with solara.ColumnsResponsive(4):
            for name, (low, high, unit) in RANGES.items():
                with solara.Column(gap="0px"):
                    NumberField(
                        f"{say('field_' + name)} ({say('unit_' + unit)}, {low:g}–{high:g})",
                        float(draft[name]),
                        lambda v, n=name: change(n, v),
                        lambda ok, n=name: valid(n, ok),
                        name,
                    )
                    FieldKey(name)
            with solara.Column(gap="0px"):
                solara.Select(
                    say("field_personalisation"),
                    values=[{"text": say("choice_" + p), "value": p} for p in PERSONALISATION],
                    value=draft["personalisation"],
                    on_value=lambda v: change("personalisation", v),
                )
                FieldKey("personalisation")
        StudyChoice(prices, draft["studies"], toggle)
        solara.Text(budget_line(items, game.rules.budget, language.value), classes=["game-budget"])
        solara.Button(
            say("game_submit"), on_click=send, color="primary", disabled=bool(not_numbers)
        )
        if not_numbers:
            solara.Warning(say("game_fix_fields"), dense=True, classes=["game-fix-fields"])
        if message.value:
            solara.Success(say(message.value), dense=True, classes=["game-message"])
        if problem.value is not None:
            solara.Error(told(problem.value, language.value), dense=True, classes=["game-problem"])


def report_note(report: dict[str, object]) -> str:
    """What a report's note says, in the page's language ('' for none)."""
    if report["study"] == "segment_needs":
        return say("game_note_segment_needs", n=SAMPLE)
    if report["study"] == "benchmarking" and "period" in report:
        return say("game_note_period", period=report["period"])
    if report["study"] == "survey" and "mean" not in report:
        return say("game_note_too_few")
    return ""


def with_stages(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A report's rows, lifecycle stages (``first_time``) in the page's language."""
    table = pd.DataFrame(rows)
    if "stage" in table:
        table["stage"] = [say(f"stage_{Stage[s.upper()].value}") for s in table["stage"]]
    return table


@solara.component
def StudyReport(report: dict[str, object]) -> None:  # noqa: N802 - a Solara component
    """One research report: its table(s) or, for the survey, the estimate and its margin."""
    solara.Markdown(f"**{say('study_' + str(report['study']))}**")
    if report["study"] == "survey" and "mean" in report:
        solara.Text(
            say(
                "game_survey",
                mean=report["mean"],
                margin=report["margin"],
                n=report["respondents"],
                of=report["customers"],
            ),
            classes=["game-survey"],
        )
    for part in ("rows", "by_segment"):
        if report.get(part):
            table = shown(with_stages(report[part]), language.value)  # type: ignore[arg-type]
            solara.DataFrame(table, items_per_page=20)
    note = report_note(report)
    if note:
        solara.Text(note, style={"opacity": "0.7"}, classes=["game-note"])


@solara.component
def ResearchReports(research: list[dict[str, object]]) -> None:  # noqa: N802 - a Solara component
    """The team's research reports, newest round first."""
    with solara.Card(say("game_reports"), classes=["game-reports"]):
        if not research:
            solara.Text(say("game_no_reports"))
        for bought in research:
            solara.Markdown(f"### {say('game_bought', round=bought['round'])}")
            for report in bought["reports"]:
                StudyReport(report)


@solara.component
def ShockNews(shocks: list[dict[str, object]]) -> None:  # noqa: N802 - a Solara component
    """The shocks the instructor has scheduled, each with the period and round it starts."""
    if not shocks:
        return
    lang = language.value
    with solara.Card(say("game_shocks"), classes=["game-shocks"]):
        for shock in shocks:
            words = {"shock": shock_label(str(shock["kind"]), lang)}
            words |= {"period": shock["period"], "round": shock["round"]}
            firm = shock.get("firm")
            news = (
                say("game_shock_news_firm", firm=firm, **words)
                if firm
                else say("game_shock_news", **words)
            )
            solara.Text(news, classes=["game-shock-news"])


@solara.component
def TeamView(game: Game, seat: int, version: int, refresh: Callable[[], None]) -> None:  # noqa: N802 - a Solara component
    """A signed-in team's page (re-read when ``version`` changes)."""
    lang = language.value
    status = solara.use_memo(lambda: team_status(game, seat), [version])
    title = f"{seat_name(seat, game.rules, lang)} · {status['firm']}"
    solara.Title(title)
    solara.Markdown(f"## {title}")
    state = (
        say("game_over")
        if status["over"]
        else say("game_round", round=status["round"], rounds=status["rounds"])
    )
    notes = [state]
    if not status["over"]:  # once over, there is nothing to submit
        notes.append(say("game_submitted") if status["submitted"] else say("game_not_submitted"))
    if status["locked"] and not status["over"]:
        notes.append(say("game_locked"))
    if status["playing"]:
        notes.append(say("game_playing"))
    solara.Text(" · ".join(notes), classes=["game-state"])
    ShockNews(status["shocks"])  # before the form: a shock starting this round is news to act on
    if not status["over"]:
        DecisionForm(
            game,
            seat,
            status["round"],
            Decision(**status["decision"]),
            list(status["studies"]),
            refresh,
        ).key(f"form-{status['round']}")  # a new round, a fresh form; a poll keeps the draft
    ResearchReports(status["research"])
    results = pd.DataFrame(status["results"])
    needs = game.rules.spec.experience.lapse_periods + 1  # before, no cohort has closed
    chart = solara.use_memo(
        lambda: None if results.empty else results_chart(results, lang, needs),
        [len(results), lang],
    )
    with solara.Card(say("game_results")):
        if results.empty:
            solara.Text(say("game_no_period"))
        else:
            solara.Image(chart)
            solara.DataFrame(shown(results, lang), items_per_page=12)
    customers = status["customers"]
    with solara.Card(say("game_customers")):
        stages = [text(f"stage_{k}", lang) for k in range(len(customers["stages"]))]
        table = pd.DataFrame(customers["by_segment"], index=pd.Index(stages, name="stage"))
        solara.DataFrame(shown(table, lang, kind="count", index=True))
    with solara.Card(say("game_clv")):
        quantiles = customers["clv_quantiles"]
        if quantiles:
            table = pd.DataFrame([quantiles], index=pd.Index([header("clv", lang)], name=""))
            solara.DataFrame(shown(table, lang, index=True))
        solara.Text(say("game_equity", value=customers["clv_total"]))
