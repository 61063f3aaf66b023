"""The game's pages as Solara serves them: ``/team`` and ``/instructor``.

Each page finds its caller from the cookie its connection was opened with (set by ``/join`` or
``/instructor/join``, :mod:`sim.apps.game.http`), checks it against the store, and re-reads the game
every :data:`POLL_SECONDS`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import solara
import solara.lab

from sim.apps.game.access import INSTRUCTOR_COOKIE, TEAM_COOKIE
from sim.apps.game.chrome import Layout, cookie, say
from sim.apps.game.instructor_page import InstructorView
from sim.apps.game.server import current_game
from sim.apps.game.team_page import TeamView

POLL_SECONDS = 3.0
POLL_HOURS = 6  # a page stops polling after a class day


def use_version() -> tuple[int, Callable[[], None]]:
    """A counter that rises every POLL_SECONDS (and on demand): the pages re-read on it. The
    poll is a coroutine on the server's event loop, so it never keeps the server from
    stopping; the round clock (:func:`sim.apps.game.server.keep_time`) closes rounds."""
    version = solara.use_reactive(0)

    async def poll() -> None:
        for _ in range(int(POLL_HOURS * 3600 / POLL_SECONDS)):
            await asyncio.sleep(POLL_SECONDS)
            version.set(version.value + 1)

    solara.lab.use_task(poll, dependencies=[])
    return version.value, lambda: version.set(version.value + 1)


@solara.component
def TeamPage() -> None:  # noqa: N802 - a Solara component
    """A team's page, or where to join."""
    game = current_game()
    seat = game.seat_for(cookie(TEAM_COOKIE))
    version, refresh = use_version()
    if seat is None:
        solara.Markdown(f"## {say('game')}\n[{say('game_join_link')}](/join)")
        return
    TeamView(game, seat, version, refresh)


@solara.component
def InstructorPage() -> None:  # noqa: N802 - a Solara component
    """The instructor's page, or where to sign in."""
    game = current_game()
    version, refresh = use_version()
    if not game.is_instructor(cookie(INSTRUCTOR_COOKIE)):
        solara.Markdown(f"## {say('game')}\n[{say('game_sign_in_link')}](/instructor/join)")
        return
    InstructorView(game, version, refresh)


@solara.component
def Home() -> None:  # noqa: N802 - a Solara component
    """Where to go."""
    solara.Markdown(
        f"## {say('game')}\n- [{say('game_teams_join')}](/join)\n"
        f"- [{say('game_instructor_sign_in')}](/instructor/join)"
    )


routes = [
    solara.Route(path="/", component=Home, label="Home", layout=Layout),  # frames every page
    solara.Route(path="team", component=TeamPage, label="Team"),
    solara.Route(path="instructor", component=InstructorPage, label="Instructor"),
]
