"""The instructor page: who has submitted, advance, lock, shocks, leaderboard, export."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import solara
import solara.lab

from sim.apps.game.chrome import language, say
from sim.apps.game.debrief import SEEDS, write_debrief
from sim.apps.game.game import MEASURES, SHOCKS, Game, measure_label, shock_label
from sim.apps.game.refusals import told
from sim.apps.game.rules import seat_name
from sim.apps.game.status import instructor_status
from sim.apps.game.tables import kind_of, shown
from sim.apps.game.team_page import ShockNews
from sim.errors import InputError

FIRM_SHOCKS = ("price_war", "service_outage", "scandal", "crm_launch")  # they name a firm


@solara.component
def Actions(game: Game, locked: bool, refresh: Callable[[], None]) -> None:  # noqa: N802 - a Solara component
    """Advance, lock or unlock, schedule a shock; each reports what it did or why not (in the
    page's language, even after a switch)."""
    message = solara.use_reactive(None)  # what was done, as a function of the language
    problem = solara.use_reactive(None)  # the refusal
    kind = solara.use_reactive(SHOCKS[0])
    firms = [firm.name for firm in game.rules.spec.firms]
    firm = solara.use_reactive(firms[0])
    lang = language.value

    def act(action: Callable[[], Callable[[], str]]) -> None:
        try:
            done = action()
        except InputError as exc:
            problem.set(exc)
            message.set(None)
            return
        problem.set(None)
        message.set(done)
        refresh()

    def advance() -> Callable[[], str]:
        played = game.advance()
        return lambda: say("game_played", round=played)

    def lock() -> Callable[[], str]:
        game.set_locked(not locked)
        return lambda: say("game_now_unlocked" if locked else "game_now_locked")

    def shock() -> Callable[[], str]:
        params = {"firm": firm.value} if kind.value in FIRM_SHOCKS else {}
        event = game.schedule_shock(kind.value, **params)
        label = kind.value
        return lambda: say(
            "game_scheduled", shock=shock_label(label, language.value), period=event["period"]
        )

    with solara.Card(say("game_actions"), classes=["game-actions"]):
        with solara.Row():
            solara.Button(
                say("game_advance"),
                on_click=lambda: act(advance),
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
        if message.value is not None:
            solara.Success(message.value(), dense=True, classes=["game-message"])
        if problem.value is not None:
            solara.Error(told(problem.value, lang), dense=True, classes=["game-problem"])


@solara.component
def InstructorView(game: Game, version: int, refresh: Callable[[], None]) -> None:  # noqa: N802 - a Solara component
    """The signed-in instructor's page (re-read when ``version`` changes); once the game is
    over, the leaderboard, export and debrief without the submissions and the actions."""
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
        + (f" · {say('game_locked')}" if locked and not status["over"] else "")
    )
    lang = language.value
    if not status["over"]:  # once over, no round is open: nothing to submit, advance or shock
        teams = pd.DataFrame(status["teams"])
        teams["team"] = [seat_name(s, game.rules, lang) for s in teams["seat"]]
        teams = teams[["team", "submitted"]]
        teams["submitted"] = teams["submitted"].map({True: say("game_submitted"), False: "—"})
        with solara.Card(say("game_submissions"), classes=["game-submissions"]):
            solara.DataFrame(shown(teams, lang))
        Actions(game, locked, refresh)
    ShockNews(status["shocks"])
    with solara.Card(say("game_leaderboard")):
        measures = [{"text": measure_label(m, lang), "value": m} for m in MEASURES]
        solara.Select(say("game_measure"), values=measures, value=measure, classes=["game-measure"])
        board = pd.DataFrame(status["leaderboard"])
        if board.empty:
            solara.Text(say("game_no_period"))
        else:
            board["team"] = [seat_name(s, game.rules, lang) for s in board["seat"]]
            board = board[["team", "firm", "value"]]
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
    result = solara.use_reactive(None)
    problem = solara.use_reactive(None)
    lang = language.value

    def run() -> None:
        try:
            done, _ = write_debrief(game, language=lang)
        except InputError as exc:
            problem.set(exc)
            return
        result.set(done)

    task = solara.lab.use_task(run, dependencies=None, prefer_threaded=True)
    with solara.Card(say("game_debrief")):
        solara.Button(
            say("game_run_debrief", seeds=SEEDS),
            on_click=task,
            disabled=task.pending,
        )
        if task.pending:
            solara.ProgressLinear(True)
        if problem.value is not None:
            solara.Error(told(problem.value, lang), dense=True)
        if result.value is not None:
            luck = result.value.luck(language=lang)  # cumulative profit
            solara.DataFrame(shown(luck, lang, kind="money"))
            solara.HTML(
                tag="a",
                unsafe_innerHTML=say("game_debrief_html"),
                attributes={"href": "/api/instructor/debrief.html", "target": "_blank"},
            )
