"""Serving the app: ``crmsim app [SCENARIO] [--host H] [--port P]`` runs Solara's server
(uvicorn) in this process with :func:`sim.apps.web.page.Page` as its page. The game's server
(:mod:`sim.apps.game.server`) serves through :func:`run` too, behind the same :class:`Guard`."""

from __future__ import annotations

import gc
import os
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

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
    "SOLARA_THEME_SHOW_BANNER": "False",  # no "This website runs on Solara" over the charts
}


WILDCARDS = ("0.0.0.0", "::")  # every address of this machine
FRAME_HEADERS = [  # no page of ours inside another site's frame (clickjacking)
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
]
DEFAULT_PORTS = {"http": 80, "https": 443}
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def address(host: str, port: int) -> str:
    """The app's address as a browser on this machine takes it."""
    return f"http://{'localhost' if host in WILDCARDS else host}:{port}/"


def outward_ip() -> str | None:
    """This machine's address on its network (the one its default route leaves from), or None
    without a network. A UDP socket's ``connect`` picks the route and sends nothing."""
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))  # documentation addresses: nothing is sent to them
                ip = str(udp.getsockname()[0])
        except OSError:
            continue
        if not ip.startswith(("127.", "0.", "::1")) and ip not in ("::", ""):
            return f"[{ip}]" if ":" in ip else ip
    return None


def network_address(host: str, port: int) -> str | None:
    """The address others on the network use, when the server listens on every address of this
    machine (``--host 0.0.0.0`` or ``::``) and it has one; else None."""
    ip = outward_ip() if host in WILDCARDS else None
    return f"http://{ip}:{port}/" if ip else None


def others_address(host: str, port: int) -> str:
    """:func:`network_address`, or where to put this machine's address when none was found."""
    return network_address(host, port) or f"http://<this machine's address>:{port}/"


def origin_key(url: str) -> tuple[str, str, int] | None:
    """An origin's scheme, host and port (the default port filled in), or None if malformed."""
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def same_origin(scope: Scope) -> bool:
    """Whether a websocket handshake has no Origin or its own scheme, host and port as Origin."""
    headers = {name.lower(): value.decode("latin-1") for name, value in scope.get("headers", [])}
    origin = headers.get(b"origin")
    if origin is None:
        return True  # not a browser's page (a script): cookies are not sent for another site
    scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
    server = scope.get("server") or ("", None)
    host = headers.get(b"host") or f"{server[0]}:{server[1]}"
    own = origin_key(f"{scheme}://{host}")
    return own is not None and origin_key(origin) == own


class Guard:
    """ASGI middleware for both servers: every HTTP response forbids framing (``X-Frame-Options:
    DENY``, CSP ``frame-ancestors 'none'``), and a websocket handshake from another origin (a page
    on another site or port, which would carry the page's cookies) is refused (1008; uvicorn
    answers HTTP 403)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and not same_origin(scope):
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [h for h in message.get("headers", []) if h[0].lower() != b"x-frame-options"]
                message = {**message, "headers": [*kept, *FRAME_HEADERS]}
            await send(message)

        await self.app(scope, receive, framed)


def font(request: Request) -> Response:
    """The packaged CJK font, for the page's Chinese labels (cached by the browser for a day)."""
    return Response(web_font(), media_type="font/otf", headers={"Cache-Control": "max-age=86400"})


def run(app: object, host: str, port: int) -> None:
    """Serve the Starlette ``app`` behind :class:`Guard` with uvicorn until interrupted. What
    is built by then (the libraries, about a million objects) is set aside from the garbage
    collector (:func:`gc.freeze`): its full passes while serving, and the last one when the
    server stops, do not walk it again (a stop takes under a second, not two or three)."""
    import uvicorn

    gc.freeze()
    uvicorn.run(Guard(app), host=host, port=port, log_level="warning")  # type: ignore[arg-type]


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
    print(f"crmsim app: serving at {address(host, port)} (this machine)", flush=True)
    if host in WILDCARDS:
        print(f"  others on the network: {others_address(host, port)}", flush=True)
    print("(Ctrl-C stops)", flush=True)
    run(app, host, port)
