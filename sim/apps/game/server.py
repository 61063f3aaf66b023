"""Serving a game: ``crmsim game serve GAME_DIR`` runs Solara's server (uvicorn) with the
game's pages (:mod:`sim.apps.game.pages`) and its endpoints (:mod:`sim.apps.game.http`) beside
them, and a clock that closes rounds at their deadline. One process serves one game, so the pages
and the endpoints share one :class:`~sim.apps.game.game.Game` (and its live market)."""

from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

from sim.apps.game.game import Game

GAME_VARIABLE = "CRMSIM_GAME"  # the game folder, for the pages
TICK_SECONDS = 2.0  # how often the clock checks for a deadline or a full round
SOLARA_SETTINGS = {
    "SOLARA_APP": "sim.apps.game.pages",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_MODE": "production",
    "SOLARA_THEME_SHOW_BANNER": "False",  # no "This website runs on Solara" over the pages
    "SOLARA_THEME_TITLE": "crmsim game",
}


@cache
def current_game() -> Game:
    """The game this process serves (the folder in ``$CRMSIM_GAME``)."""
    return Game.open(Path(os.environ[GAME_VARIABLE]))


def keep_time(game: Game, stop: threading.Event) -> None:
    """Close rounds that are full or past their deadline until ``stop`` is set."""
    while not stop.wait(TICK_SECONDS):
        try:
            game.tick()
        except Exception as exc:  # a clock that dies would stop the game: report and go on
            print(f"crmsim game serve: the round clock failed: {exc}", flush=True)


def join_lines(host: str, port: int) -> list[str]:
    """Where teams and the instructor join: on this machine and, when the server listens on
    every address (``--host 0.0.0.0`` or ``::``), from the other machines on the network."""
    from sim.apps.web.server import WILDCARDS, address, others_address

    def both(base: str) -> str:
        return f"teams join at {base}join, the instructor at {base}instructor/join"

    here = address(host, port)
    if host not in WILDCARDS:
        return [f"crmsim game: {both(here)}"]
    return [
        f"crmsim game: on this machine, {both(here)}",
        f"  from other machines on the network, {both(others_address(host, port))}",
    ]


def serve(folder: Path, host: str, port: int) -> None:
    """Check the game, print the addresses, and serve until interrupted."""
    Game.open(folder)  # not a game folder: the command's one-paragraph error
    os.environ[GAME_VARIABLE] = str(Path(folder).resolve())
    for key, value in SOLARA_SETTINGS.items():
        os.environ.setdefault(key, value)
    from solara.server.starlette import app  # Solara reads the settings above on import
    from starlette.routing import Route

    from sim.apps.game.http import routes
    from sim.apps.web.fonts import FONT_URL
    from sim.apps.web.server import font, run

    game = current_game()
    app.router.routes[0:0] = [*routes(game), Route(FONT_URL, font)]  # the app's CJK font too
    stop = threading.Event()
    threading.Thread(target=keep_time, args=(game, stop), daemon=True).start()
    print("\n".join(join_lines(host, port)))
    print(f"round {game.open_round} of {game.rules.rounds}  (Ctrl-C stops)", flush=True)
    try:
        run(app, host, port)
    finally:
        stop.set()
