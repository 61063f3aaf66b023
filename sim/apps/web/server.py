"""Serving the app: ``crmsim app [SCENARIO] [--host H] [--port P]`` runs Solara's server
(uvicorn) in this process with :func:`sim.apps.web.page.Page` as its page."""

from __future__ import annotations

import os

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


def serve(scenario: str | None, host: str, port: int) -> None:
    """Check the scenario, print the address, and serve until interrupted."""
    if scenario:
        load(scenario)  # a bad name or file stops here with crmsim validate's message
        where = os.path.abspath(os.path.expanduser(scenario))
        os.environ[SCENARIO_VARIABLE] = where if looks_like_path(scenario) else scenario
    for key, value in SOLARA_SETTINGS.items():
        os.environ.setdefault(key, value)
    import uvicorn  # Solara reads the settings above when it is imported

    print(f"crmsim app: serving at {address(host, port)}  (Ctrl-C stops)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")
