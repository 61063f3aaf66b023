"""The team page: the firm's reports, its research, and the decision form for the open round.

Who the team is comes from the join cookie of the page's own connection, checked against the
store (:func:`sim.apps.game.pages.signed_in_seat`); the page shows that seat's firm and nothing
else. Labels are in the session's language (:mod:`sim.apps.game.chrome`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pandas as pd
import solara

from sim.apps.game.chrome import language, say
from sim.apps.game.decisions import BUDGET_FIELDS, PERSONALISATION, RANGES, spending, to_record
from sim.apps.game.game import Game
from sim.apps.game.research import STUDIES, cost
from sim.apps.game.status import team_status
from sim.apps.web.charts import figure, png
from sim.apps.web.i18n import Language, text
from sim.errors import InputError
from sim.strategies import Decision

CHARTS = ("profit", "cumulative_profit", "customers", "retention_rate", "customer_equity")


def results_chart(results: pd.DataFrame, lang: Language) -> bytes:
    """The firm's books over time: one small line chart per measure (PNG)."""
    with figure(12, 2.4, 1, len(CHARTS)) as (fig, axes):
        for ax, measure in zip(axes, CHARTS, strict=True):
            ax.plot(results["period"], results[measure], marker="o", markersize=3)
            ax.set_title(text(measure, lang) if lang == "zh" else measure.replace("_", " "))
            ax.set_xlabel(text("period", lang).lower())
            ax.grid(alpha=0.3)
        return png(fig)


@solara.component
def StudyChoice(prices: dict[str, float], chosen: list[str], on_value: Callable) -> None:  # noqa: N802 - a Solara component
    """A checkbox per study, with its price and what it tells."""
    solara.Text(say("game_research"), style={"font-weight": "bold"})
    for study, (_, what) in STUDIES.items():
        with solara.Div(classes=[f"game-study-{study}"]):
            price = say("game_price", price=prices[study])
            solara.Checkbox(
                label=f"{say('study_' + study)} · {price} · {what}",
                value=study in chosen,
                on_value=lambda on, s=study: on_value(s, on),
            )


@solara.component
def DecisionForm(  # noqa: N802 - a Solara component
    game: Game, seat: int, current: Decision, studies: list[str], on_sent: Callable[[], None]
) -> None:
    """One input per field, the research to buy, the budget, and Submit (a double click
    applies once)."""
    # state kept across the page's polls (use_reactive would follow ``current`` and drop a draft)
    draft, set_draft = solara.use_state(to_record(current) | {"studies": studies})
    form_key, set_form_key = solara.use_state(str(uuid.uuid4()))  # this form's idempotency key
    message = solara.use_reactive("")
    problem = solara.use_reactive("")

    def change(name: str, value: object) -> None:
        set_draft(lambda old: old | {name: value})

    def toggle(study: str, on: bool) -> None:
        def bought(s: str, old: list[str]) -> bool:
            return on if s == study else s in old

        set_draft(lambda old: old | {"studies": [s for s in STUDIES if bought(s, old["studies"])]})

    def send() -> None:
        try:
            _, fresh = game.submit(seat, draft, form_key)
        except InputError as exc:  # a refused decision, a closed round, a locked game
            problem.set(str(exc))
            message.set("")
            return
        problem.set("")
        message.set(say("game_received") if fresh else say("game_again"))
        set_form_key(str(uuid.uuid4()))
        on_sent()

    prices = game.rules.research_prices
    decision = Decision(**{k: v for k, v in draft.items() if k != "studies"})
    spent = spending(decision) + cost(draft["studies"], prices)
    with solara.Card(say("game_decision")):
        with solara.ColumnsResponsive(4):
            for name, (low, high, unit) in RANGES.items():
                solara.InputFloat(
                    f"{name} ({unit}, {low:g}–{high:g})",
                    value=float(draft[name]),
                    on_value=lambda v, n=name: change(n, v),
                    continuous_update=True,  # each valid keystroke counts: nothing typed is lost
                    classes=[f"game-field-{name}"],
                )
            solara.Select(
                "personalisation",
                values=list(PERSONALISATION),
                value=draft["personalisation"],
                on_value=lambda v: change("personalisation", v),
            )
        StudyChoice(prices, draft["studies"], toggle)
        solara.Text(
            say(
                "game_budget",
                fields=" + ".join(BUDGET_FIELDS),
                spent=spent,
                budget=game.rules.budget,
            ),
            classes=["game-budget"],
        )
        solara.Button(say("game_submit"), on_click=send, color="primary")
        if message.value:
            solara.Success(message.value, dense=True, classes=["game-message"])
        if problem.value:
            solara.Error(problem.value, dense=True, classes=["game-problem"])


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
            solara.DataFrame(pd.DataFrame(report[part]).round(3), items_per_page=20)
    if report.get("note") and report["study"] != "survey":
        solara.Text(str(report["note"]), style={"opacity": "0.7"})


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
def TeamView(game: Game, seat: int, version: int, refresh: Callable[[], None]) -> None:  # noqa: N802 - a Solara component
    """A signed-in team's page (re-read when ``version`` changes)."""
    lang = language.value
    status = solara.use_memo(lambda: team_status(game, seat), [version])
    title = f"{status['team']} · {status['firm']}"
    solara.Title(title)
    solara.Markdown(f"## {title}")
    state = (
        say("game_over")
        if status["over"]
        else say("game_round", round=status["round"], rounds=status["rounds"])
    )
    notes = [state, say("game_submitted") if status["submitted"] else say("game_not_submitted")]
    if status["locked"]:
        notes.append(say("game_locked"))
    if status["playing"]:
        notes.append(say("game_playing"))
    solara.Text(" · ".join(notes), classes=["game-state"])
    if not status["over"]:
        DecisionForm(
            game, seat, Decision(**status["decision"]), list(status["studies"]), refresh
        ).key(f"form-{status['round']}")  # a new round, a fresh form; a poll keeps the draft
    ResearchReports(status["research"])
    results = pd.DataFrame(status["results"])
    chart = solara.use_memo(
        lambda: None if results.empty else results_chart(results, lang), [len(results), lang]
    )
    with solara.Card(say("game_results")):
        if results.empty:
            solara.Text(say("game_no_period"))
        else:
            solara.Image(chart)
            solara.DataFrame(results, items_per_page=12)
    customers = status["customers"]
    with solara.Card(say("game_customers")):
        table = pd.DataFrame(customers["by_segment"], index=customers["stages"])
        solara.DataFrame(table.reset_index(names="stage"))
    with solara.Card(say("game_clv")):
        quantiles = customers["clv_quantiles"]
        if quantiles:
            solara.DataFrame(pd.DataFrame([quantiles], index=["CLV"]).reset_index(names=""))
        solara.Text(say("game_equity", value=customers["clv_total"]))
