"""The instructor page: who has submitted, advance, lock, shocks, leaderboard, export."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import solara
import solara.lab

from sim.apps.game.chrome import language, say
from sim.apps.game.debrief import SEEDS, write_debrief
from sim.apps.game.game import MEASURES, SHOCKS, Game, measure_label, shock_label
from sim.apps.game.status import instructor_status
from sim.apps.game.tables import kind_of, shown
from sim.errors import InputError

FIRM_SHOCKS = ("price_war", "service_outage", "scandal", "crm_launch")  # they name a firm


@solara.component
def Actions(game: Game, locked: bool, refresh: Callable[[], None]) -> None:  # noqa: N802 - a Solara component
    """Advance, lock or unlock, schedule a shock; each reports what it did or why not."""
    message = solara.use_reactive("")
    problem = solara.use_reactive("")
    kind = solara.use_reactive(SHOCKS[0])
    firms = [firm.name for firm in game.rules.spec.firms]
    firm = solara.use_reactive(firms[0])
    lang = language.value

    def act(action: Callable[[], str]) -> None:
        try:
            done = action()
        except InputError as exc:
            problem.set(str(exc))
            message.set("")
            return
        problem.set("")
        message.set(done)
        refresh()

    def lock() -> str:
        game.set_locked(not locked)
        return say("game_unlock") if locked else say("game_lock")

    def shock() -> str:
        params = {"firm": firm.value} if kind.value in FIRM_SHOCKS else {}
        event = game.schedule_shock(kind.value, **params)
        return say("game_scheduled", shock=shock_label(kind.value, lang), period=event["period"])

    with solara.Card(say("game_actions")):
        with solara.Row():
            solara.Button(
                say("game_advance"),
                on_click=lambda: act(lambda: say("game_played", round=game.advance())),
                color="primary",
            )
            solara.Button(
                say("game_unlock") if locked else say("game_lock"),
                on_click=lambda: act(lock),
            )
        with solara.Row():
            shocks = [{"text": shock_label(s, lang), "value": s} for s in SHOCKS]
            solara.Select(say("game_shock"), values=shocks, value=kind, classes=["game-shock"])
            if kind.value in FIRM_SHOCKS:
                solara.Select(say("firm"), values=firms, value=firm)
            solara.Button(say("game_schedule"), on_click=lambda: act(shock))
        if message.value:
            solara.Success(message.value, dense=True, classes=["game-message"])
        if problem.value:
            solara.Error(problem.value, dense=True, classes=["game-problem"])


@solara.component
def InstructorView(game: Game, version: int, refresh: Callable[[], None]) -> None:  # noqa: N802 - a Solara component
    """The signed-in instructor's page (re-read when ``version`` changes)."""
    measure = solara.use_reactive("cumulative_profit")
    status = solara.use_memo(
        lambda: instructor_status(game, measure.value), [version, measure.value]
    )
    solara.Title(say("game_instructor"))
    state = (
        say("game_over")
        if status["over"]
        else say("game_round", round=status["round"], rounds=status["rounds"])
    )
    locked = bool(status["locked"])
    solara.Markdown(
        f"## {say('game_instructor')} · {game.rules.scenario} · {state}"
        + (f" · {say('game_locked')}" if locked else "")
    )
    lang = language.value
    teams = pd.DataFrame(status["teams"])[["team", "submitted"]]
    teams["submitted"] = teams["submitted"].map({True: say("game_submitted"), False: "—"})
    with solara.Card(say("game_submissions")):
        solara.DataFrame(shown(teams, lang))
    Actions(game, locked, refresh)
    with solara.Card(say("game_leaderboard")):
        measures = [{"text": measure_label(m, lang), "value": m} for m in MEASURES]
        solara.Select(say("game_measure"), values=measures, value=measure, classes=["game-measure"])
        board = pd.DataFrame(status["leaderboard"])
        if board.empty:
            solara.Text(say("game_no_period"))
        else:
            solara.DataFrame(shown(board, lang, kind=kind_of(measure.value)))
    solara.HTML(
        tag="a",
        unsafe_innerHTML=say("game_export"),
        attributes={"href": "/api/instructor/export.csv", "download": "game.csv"},
    )
    DebriefCard(game)


@solara.component
def DebriefCard(game: Game) -> None:  # noqa: N802 - a Solara component
    """Run the debrief (in a thread: it replays the game many times) and show its luck table."""
    table = solara.use_reactive(None)
    problem = solara.use_reactive("")
    lang = language.value

    def run() -> None:
        try:
            result, _ = write_debrief(game, language=lang)
        except InputError as exc:
            problem.set(str(exc))
            return
        table.set(result.luck())

    task = solara.lab.use_task(run, dependencies=None, prefer_threaded=True)
    with solara.Card(say("game_debrief")):
        solara.Button(
            say("game_run_debrief", seeds=SEEDS),
            on_click=task,
            disabled=task.pending,
        )
        if task.pending:
            solara.ProgressLinear(True)
        if problem.value:
            solara.Error(problem.value, dense=True)
        if table.value is not None:
            solara.DataFrame(shown(table.value, lang, kind="money"))  # cumulative profit
            solara.HTML(
                tag="a",
                unsafe_innerHTML=say("game_debrief_html"),
                attributes={"href": "/api/instructor/debrief.html", "target": "_blank"},
            )
