"""The team page: the firm's reports and the decision form for the open round.

Who the team is comes from the join cookie of the page's own connection, checked against the
store (:func:`sim.apps.game.pages.signed_in_seat`); the page shows that seat's firm and nothing
else.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pandas as pd
import solara

from sim.apps.game.decisions import BUDGET_FIELDS, PERSONALISATION, RANGES, spending, to_record
from sim.apps.game.game import Game
from sim.apps.game.status import team_status
from sim.apps.web.charts import figure, png
from sim.errors import InputError
from sim.strategies import Decision

CHARTS = ("profit", "cumulative_profit", "customers", "retention_rate", "customer_equity")


def results_chart(results: pd.DataFrame) -> bytes:
    """The firm's books over time: one small line chart per measure (PNG)."""
    with figure(12, 2.4, 1, len(CHARTS)) as (fig, axes):
        for ax, measure in zip(axes, CHARTS, strict=True):
            ax.plot(results["period"], results[measure], marker="o", markersize=3)
            ax.set_title(measure.replace("_", " "))
            ax.set_xlabel("period")
            ax.grid(alpha=0.3)
        return png(fig)


@solara.component
def DecisionForm(game: Game, seat: int, current: Decision, on_sent: Callable[[], None]) -> None:  # noqa: N802 - a Solara component
    """One input per field, the budget, and Submit (a double click applies once)."""
    # state kept across the page's polls (use_reactive would follow ``current`` and drop a draft)
    draft, set_draft = solara.use_state(to_record(current))
    form_key, set_form_key = solara.use_state(str(uuid.uuid4()))  # this form's idempotency key
    message = solara.use_reactive("")
    problem = solara.use_reactive("")

    def change(name: str, value: object) -> None:
        set_draft(lambda old: old | {name: value})

    def send() -> None:
        try:
            _, fresh = game.submit(seat, draft, form_key)
        except InputError as exc:  # a refused decision, a closed round, a locked game
            problem.set(str(exc))
            message.set("")
            return
        problem.set("")
        message.set("Decision received." if fresh else "Already received (applied once).")
        set_form_key(str(uuid.uuid4()))
        on_sent()

    spent = spending(Decision(**draft))
    with solara.Card("Your decision for this round"):
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
        solara.Text(
            f"Budgeted spending ({' + '.join(BUDGET_FIELDS)}): {spent:g} of "
            f"{game.rules.budget:g} $ per capita per period",
            classes=["game-budget"],
        )
        solara.Button("Submit decision", on_click=send, color="primary")
        if message.value:
            solara.Success(message.value, dense=True, classes=["game-message"])
        if problem.value:
            solara.Error(problem.value, dense=True, classes=["game-problem"])


@solara.component
def TeamView(game: Game, seat: int, version: int, refresh: Callable[[], None]) -> None:  # noqa: N802 - a Solara component
    """A signed-in team's page (re-read when ``version`` changes)."""
    status = solara.use_memo(lambda: team_status(game, seat), [version])
    title = f"{status['team']} · {status['firm']}"
    solara.Title(title)
    solara.Markdown(f"## {title}")
    state = "game over" if status["over"] else f"round {status['round']} of {status['rounds']}"
    notes = [state, "submitted ✓" if status["submitted"] else "not submitted yet"]
    if status["locked"]:
        notes.append("locked by the instructor")
    solara.Text(" · ".join(notes), classes=["game-state"])
    if not status["over"]:
        DecisionForm(game, seat, Decision(**status["decision"]), refresh).key(
            f"form-{status['round']}"
        )  # a new round, a fresh form; a poll keeps the draft
    results = pd.DataFrame(status["results"])
    with solara.Card("Results"):
        if results.empty:
            solara.Text("No period has been played yet.")
        else:
            solara.Image(results_chart(results))
            solara.DataFrame(results, items_per_page=12)
    customers = status["customers"]
    with solara.Card("Your customers by lifecycle stage and segment"):
        table = pd.DataFrame(customers["by_segment"], index=customers["stages"])
        solara.DataFrame(table.reset_index(names="stage"))
    with solara.Card("Customer lifetime value of your buyers ($)"):
        quantiles = customers["clv_quantiles"]
        if quantiles:
            solara.DataFrame(pd.DataFrame([quantiles], index=["CLV"]).reset_index(names=""))
        solara.Text(f"Customer equity (sum): {customers['clv_total']:,.0f} $")
