"""Who a web request comes from, and whether a form really came from the game's own page.

A team proves itself by its join code, the instructor by the key: sent once to ``/join`` (or
``/instructor/join``), kept in an HttpOnly, SameSite=Strict cookie, or sent by a script in the
``X-Game-Code`` header. Every request is checked against the store — nothing the browser says
about a seat is believed. A form carries a token derived from the secret it was served to
(:func:`form_token`), and a POST from another site's page (its ``Origin``) is refused: a forged
form gets nothing. Wrong codes count against the client (:class:`~sim.apps.game.codes.Throttle`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from starlette.requests import Request

from sim.apps.game.codes import Throttle
from sim.apps.game.game import Game

TEAM_COOKIE = "crmsim_team"
INSTRUCTOR_COOKIE = "crmsim_instructor"
LANGUAGE_COOKIE = "crmsim_language"  # the page language: set on joining, kept on switching
COOKIE_SECONDS = 12 * 3600  # how long the cookies last: a class day
CODE_HEADER = "X-Game-Code"  # a script's code; such requests are not forms (no CSRF token)
TOKEN_FIELD = "csrf"


class RefusedError(Exception):
    """A request that gets nothing: ``status`` (403, 429) and a message for the client."""

    def __init__(self, status: int, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


@dataclass(frozen=True)
class Caller:
    """A checked caller: the secret it showed, and whether it came in a header (a script)."""

    secret: str
    scripted: bool


def form_token(secret: str) -> str:
    """The token a form served to the holder of ``secret`` carries (HMAC-SHA256)."""
    return hmac.new(secret.encode(), b"crmsim game form", hashlib.sha256).hexdigest()


def client_of(request: Request) -> str:
    """The client's address, for counting wrong codes."""
    return request.client.host if request.client else "unknown"


def check_throttle(throttle: Throttle, request: Request) -> None:
    """Refuse (429) a client that sent too many wrong codes lately."""
    wait = throttle.wait(client_of(request))
    if wait > 0:
        raise RefusedError(429, f"too many wrong codes; try again in {wait:.0f} s", wait)


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from a page of another site."""
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.url.netloc}"


def caller(request: Request, cookie: str) -> Caller | None:
    """The secret a request shows: the code header, else the cookie."""
    header = request.headers.get(CODE_HEADER, "").strip()
    if header:
        return Caller(header, scripted=True)
    value = request.cookies.get(cookie, "")
    return Caller(value, scripted=False) if value else None


def check_form(request: Request, who: Caller, form: dict[str, str]) -> None:
    """Refuse (403) a browser POST from another site or without this caller's form token."""
    if who.scripted:
        return
    if not same_origin(request):
        raise RefusedError(403, "this form was sent from another site")
    if not hmac.compare_digest(form.get(TOKEN_FIELD, ""), form_token(who.secret)):
        raise RefusedError(
            403, "this form was not served by the game (missing or wrong token); reload"
        )


def team_seat(game: Game, throttle: Throttle, request: Request) -> tuple[int, Caller]:
    """The seat of the team making the request, or RefusedError (403: no or wrong code)."""
    check_throttle(throttle, request)
    who = caller(request, TEAM_COOKIE)
    seat = game.seat_for(who.secret) if who else None
    if seat is None:
        if who:
            throttle.failed(client_of(request))
        raise RefusedError(403, "no valid team code: join with your team's code at /join")
    return seat, who


def instructor(game: Game, throttle: Throttle, request: Request) -> Caller:
    """The instructor making the request, or RefusedError (403)."""
    check_throttle(throttle, request)
    who = caller(request, INSTRUCTOR_COOKIE)
    if who is None or not game.is_instructor(who.secret):
        if who:
            throttle.failed(client_of(request))
        raise RefusedError(403, "instructor actions need the instructor key: /instructor/join")
    return who
