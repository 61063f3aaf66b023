"""Serving the app: ``crmsim app [SCENARIO] [--host H] [--port P]`` runs Solara's server
(uvicorn) in this process with :func:`sim.apps.web.page.Page` as its page."""

from __future__ import annotations

import gc
import os

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sim.apps.web.fonts import FONT_URL, web_font
from sim.apps.web.session import SCENARIO_VARIABLE
from sim.scenarios import load, looks_like_path

SOLARA_SETTINGS = {
    "SOLARA_APP": "sim.apps.web.page",  # the module whose Page Solara serves
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no calls home from a classroom server
    "SOLARA_MODE": "production",
}


def address(host: str, port: int) -> str:
    """The app's address as a browser takes it."""
    return f"http://{'localhost' if host in ('0.0.0.0', '::') else host}:{port}/"


def font(request: Request) -> Response:
    """The packaged CJK font, for the page's Chinese labels (cached by the browser for a day)."""
    return Response(web_font(), media_type="font/otf", headers={"Cache-Control": "max-age=86400"})


def run(app: object, host: str, port: int) -> None:
    """Serve the Starlette ``app`` with uvicorn until interrupted. What is built by then (the
    libraries, about a million objects) is set aside from the garbage collector
    (:func:`gc.freeze`): its full passes while serving, and the last one when the server stops,
    do not walk it again (a stop takes under a second, not two or three)."""
    import uvicorn

    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning")


def serve(scenario: str | None, host: str, port: int) -> None:
    """Check the scenario, print the address, and serve until interrupted."""
    if scenario:
        load(scenario)  # a bad name or file stops here with crmsim validate's message
        where = os.path.abspath(os.path.expanduser(scenario))
        os.environ[SCENARIO_VARIABLE] = where if looks_like_path(scenario) else scenario
    for key, value in SOLARA_SETTINGS.items():
        os.environ.setdefault(key, value)
    from solara.server.starlette import app  # Solara reads the settings above on import

    app.router.routes.insert(0, Route(FONT_URL, font))
    print(f"crmsim app: serving at {address(host, port)}  (Ctrl-C stops)", flush=True)
    run(app, host, port)
