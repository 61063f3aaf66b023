"""What both servers (the game's and the app's, :func:`sim.apps.web.server.run`) do around the
pages: no page inside another site's frame, no page websocket opened from another origin, and
the addresses printed for this machine and for the others on the network."""

from __future__ import annotations

import ipaddress
import warnings

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

with warnings.catch_warnings():  # Starlette 0.52's test client names an alias anyio deprecates
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

from sim.apps.game import server as game_server
from sim.apps.web import server
from sim.apps.web.server import Guard, network_address, outward_ip, same_origin

SOCKET = "ws://127.0.0.1:8871/jupyter/ws"  # Solara's page websocket, as a page on :8871 opens it


async def hello(request) -> PlainTextResponse:
    return PlainTextResponse("hello", headers={"X-Frame-Options": "SAMEORIGIN"})


async def echo(socket: WebSocket) -> None:
    await socket.accept()
    await socket.send_text("connected")
    await socket.close()


@pytest.fixture
def client() -> TestClient:
    app = Starlette(routes=[Route("/team", hello), WebSocketRoute("/jupyter/ws", echo)])
    return TestClient(Guard(app), base_url="http://127.0.0.1:8871")


def test_every_response_forbids_framing(client):
    page = client.get("/team")
    assert page.text == "hello"
    assert page.headers.get_list("x-frame-options") == ["DENY"]  # the page's own one replaced
    assert page.headers["content-security-policy"] == "frame-ancestors 'none'"
    missing = client.get("/nothing")  # a 404 too
    assert missing.status_code == 404 and missing.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "origin", [None, "http://127.0.0.1:8871", "HTTP://127.0.0.1:8871"], ids=["none", "own", "case"]
)
def test_a_websocket_from_the_page_itself_or_a_script_connects(client, origin):
    headers = {"origin": origin} if origin else {}
    with client.websocket_connect(SOCKET, headers=headers) as socket:
        assert socket.receive_text() == "connected"


@pytest.mark.parametrize(
    "origin",
    ["http://127.0.0.1:8872", "http://evil.example", "https://127.0.0.1:8871", "null", "x:y"],
)
def test_a_websocket_from_another_origin_is_refused(client, origin):
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(SOCKET, headers={"origin": origin}),
    ):
        pass
    assert refused.value.code == 1008  # uvicorn answers the handshake with HTTP 403


def test_the_origin_is_compared_with_default_ports_and_tls():
    def scope(host: str, origin: str, scheme: str = "ws") -> dict[str, object]:
        headers = [(b"host", host.encode()), (b"origin", origin.encode())]
        return {"type": "websocket", "scheme": scheme, "headers": headers}

    assert same_origin(scope("class.example", "http://class.example:80"))
    assert same_origin(scope("class.example:443", "https://class.example", "wss"))
    assert not same_origin(scope("class.example", "https://class.example"))
    assert not same_origin(scope("class.example:8770", "http://class.example:8771"))


def test_the_outward_address_is_found_without_sending_or_is_none():
    ip = outward_ip()
    assert ip is None or not ipaddress.ip_address(ip.strip("[]")).is_loopback


def test_a_server_on_every_address_prints_where_others_join(monkeypatch):
    monkeypatch.setattr(server, "outward_ip", lambda: "192.168.1.20")
    assert network_address("0.0.0.0", 8770) == "http://192.168.1.20:8770/"
    assert network_address("127.0.0.1", 8770) is None  # only this machine can reach it
    lines = game_server.join_lines("0.0.0.0", 8770)
    assert lines == [
        "crmsim game: on this machine, teams join at http://localhost:8770/join, "
        "the instructor at http://localhost:8770/instructor/join",
        "  from other machines on the network, teams join at http://192.168.1.20:8770/join, "
        "the instructor at http://192.168.1.20:8770/instructor/join",
    ]
    assert game_server.join_lines("127.0.0.1", 8770) == [
        "crmsim game: teams join at http://127.0.0.1:8770/join, "
        "the instructor at http://127.0.0.1:8770/instructor/join"
    ]
    monkeypatch.setattr(server, "outward_ip", lambda: None)  # no network: said, not crashed
    assert "http://<this machine's address>:8770/join" in game_server.join_lines("::", 8770)[1]
