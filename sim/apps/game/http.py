"""The game's HTTP endpoints (Starlette routes, mounted beside the Solara pages).

Joining (``/join``, ``/instructor/join``: a code in, a cookie out), a team's own state and its
decision (``/api/team``, ``/api/team/decision``), and the instructor's status, actions and
export (``/api/instructor…``). Each request is checked by :mod:`sim.apps.game.access`; no URL
names a seat, so there is nothing to guess. Errors are JSON ``{"error": message}`` with 400 (a bad
decision), 403 (no right), 409 (not now: a closed round, a locked game) or 429 (too many wrong
codes). Work that reads or plays the market runs in Starlette's thread pool, so a round being
played never stalls the event loop that answers everyone else.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sim.apps.game.access import (
    COOKIE_SECONDS,
    INSTRUCTOR_COOKIE,
    LANGUAGE_COOKIE,
    TEAM_COOKIE,
    TOKEN_FIELD,
    RefusedError,
    check_form,
    check_throttle,
    client_of,
    form_token,
    instructor,
    same_origin,
    team_seat,
)
from sim.apps.game.codes import Throttle
from sim.apps.game.debrief import DEBRIEF_FILE
from sim.apps.game.decisions import DecisionError
from sim.apps.game.export import game_table
from sim.apps.game.game import MEASURES, Game
from sim.apps.game.status import instructor_status, team_status
from sim.apps.game.store import GameStateError
from sim.apps.web.i18n import LANGUAGES, Language, text

MAX_BODY = 64 * 1024
Handler = Callable[[Request], Awaitable[Response]]
JOIN_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:30em;margin:4em auto}}input{{font-size:1.1em}}
</style></head><body><p class="languages" style="text-align:right">
<a href="?lang=en">English</a> · <a href="?lang=zh">中文</a></p><h1>{title}</h1>
<p class="message">{message}</p>
<form method="post"><label>{label} <input name="code" autocomplete="off" autofocus></label>
<button type="submit">{button}</button></form></body></html>"""


def page_language(request: Request) -> Language:
    """The join page's language: ``?lang=zh`` or ``?lang=en``, else the browser's first choice
    (Chinese for ``zh…``), else English."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked  # type: ignore[return-value]
    first = request.headers.get("accept-language", "").split(",")[0].strip().lower()
    return "zh" if first.startswith("zh") else "en"


def guarded(handler: Handler) -> Handler:
    """Turn RefusedError, bad decisions and closed rounds into JSON errors."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except RefusedError as no:
            headers = {"Retry-After": f"{no.retry_after:.0f}"} if no.retry_after else None
            return JSONResponse({"error": no.message}, status_code=no.status, headers=headers)
        except DecisionError as bad:
            return JSONResponse({"error": str(bad)}, status_code=400)
        except GameStateError as later:
            return JSONResponse({"error": str(later)}, status_code=409)

    return run


async def fields(request: Request) -> dict[str, object]:
    """A POST's fields, from a URL-encoded form or a JSON object (at most 64 kB)."""
    body = await request.body()
    if len(body) > MAX_BODY:
        raise DecisionError(f"the request is larger than {MAX_BODY // 1024} kB")
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            document = json.loads(body or b"{}")
        except ValueError:
            document = None
        if not isinstance(document, dict):
            raise DecisionError("the request body must be a JSON object")
        return document
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def decision_changes(form: dict[str, object]) -> dict[str, object]:
    """The decision fields of a form: numbers from text, blanks left out (they keep their
    value); the rest (round, key, token) removed."""
    changes = {}
    for name, value in form.items():
        if name in ("round", "key", TOKEN_FIELD) or value == "":
            continue
        if isinstance(value, str) and name != "personalisation":
            with contextlib.suppress(ValueError):  # else refused, with its range, by checked()
                value = float(value)
        changes[name] = value
    return changes


def shock_fields(form: dict[str, object]) -> dict[str, object]:
    """A shock form's kind and parameters: ``firm`` as text, ``duration`` whole, others numbers."""
    params: dict[str, object] = {"kind": str(form.get("kind", ""))}
    for name, value in form.items():
        if name in ("kind", TOKEN_FIELD) or value == "":
            continue
        try:
            params[name] = value if name == "firm" else float(value)  # type: ignore[arg-type]
            if name == "duration":
                params[name] = int(float(value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise GameStateError(f"shock field {name}={value!r} is not a number") from None
    return params


def routes(game: Game, throttle: Throttle | None = None) -> list[Route]:
    """The game's endpoints for one game."""
    throttle = throttle or Throttle()

    def join_handler(cookie: str, title: str, label: str, after: str) -> Handler:
        """The join page (``title`` and ``label``: keys of the app's table) in the language of
        :func:`page_language`, which the pages then open in (``LANGUAGE_COOKIE``)."""

        async def join(request: Request) -> Response:
            lang = page_language(request)
            words = {"title": title, "label": label, "button": "game_join_button"}
            page = {name: text(key, lang) for name, key in words.items()} | {"lang": lang}
            if request.method == "GET":
                return HTMLResponse(JOIN_PAGE.format(message="", **page))
            try:
                check_throttle(throttle, request)
            except RefusedError as no:
                wait = text("game_join_wait", lang).format(seconds=no.retry_after)
                return HTMLResponse(JOIN_PAGE.format(message=wait, **page), status_code=429)
            code = str((await fields(request)).get("code", "")).strip()
            valid = (
                game.seat_for(code) is not None
                if cookie == TEAM_COOKIE
                else game.is_instructor(code)
            )
            if not (valid and same_origin(request)):
                if code:  # a guess; an empty form (Enter pressed too soon) is not one
                    throttle.failed(client_of(request))
                message = text("game_join_invalid", lang)
                return HTMLResponse(JOIN_PAGE.format(message=message, **page), status_code=403)
            response = RedirectResponse(after, status_code=303)
            response.set_cookie(
                cookie,
                code,
                max_age=COOKIE_SECONDS,
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
            response.set_cookie(LANGUAGE_COOKIE, lang, max_age=COOKIE_SECONDS, samesite="strict")
            return response

        return join

    @guarded
    async def team_state(request: Request) -> Response:
        seat, who = team_seat(game, throttle, request)
        status = await run_in_threadpool(team_status, game, seat)
        return JSONResponse(status | {TOKEN_FIELD: form_token(who.secret)})

    @guarded
    async def team_decision(request: Request) -> Response:
        seat, who = team_seat(game, throttle, request)
        form = await fields(request)
        check_form(request, who, form)
        key = str(form.get("key") or "")
        if not key:
            raise DecisionError("the form has no idempotency key (field 'key'); reload the page")
        round_ = int(form["round"]) if str(form.get("round", "")).isdigit() else None
        changes = decision_changes(form)
        decision, fresh = await run_in_threadpool(game.submit, seat, changes, key, round_)
        await run_in_threadpool(game.tick)
        return JSONResponse({"accepted": True, "fresh": fresh, "decision": vars(decision)})

    @guarded
    async def instructor_state(request: Request) -> Response:
        who = instructor(game, throttle, request)
        measure = request.query_params.get("measure", "cumulative_profit")
        if measure not in MEASURES:
            raise DecisionError(f"unknown measure {measure!r}; allowed: {', '.join(MEASURES)}")
        return JSONResponse(
            await run_in_threadpool(instructor_status, game, measure)
            | {TOKEN_FIELD: form_token(who.secret)}
        )

    @guarded
    async def instructor_action(request: Request) -> Response:
        who = instructor(game, throttle, request)
        form = await fields(request)
        check_form(request, who, form)
        action = request.path_params["action"]
        if action == "advance":
            return JSONResponse({"played": await run_in_threadpool(game.advance)})
        if action in ("lock", "unlock"):
            game.set_locked(action == "lock")
            return JSONResponse({"locked": action == "lock"})
        if action == "shock":
            shock = await run_in_threadpool(lambda: game.schedule_shock(**shock_fields(form)))
            return JSONResponse({"scheduled": shock})
        return JSONResponse({"error": f"no action {action!r}"}, status_code=404)

    @guarded
    async def export(request: Request) -> Response:
        instructor(game, throttle, request)
        csv = (await run_in_threadpool(game_table, game)).to_csv(index=False)
        headers = {"Content-Disposition": 'attachment; filename="game.csv"'}
        return Response(csv, media_type="text/csv", headers=headers)

    @guarded
    async def debrief_page(request: Request) -> Response:
        instructor(game, throttle, request)
        path = game.folder / DEBRIEF_FILE
        if not path.is_file():
            raise GameStateError("no debrief yet: run it from the instructor page")
        return HTMLResponse(path.read_text(encoding="utf-8"))

    async def ping(request: Request) -> Response:
        """Whether the server answers (the pages' watch asks it; no game data)."""
        return Response(status_code=204, headers={"Cache-Control": "no-store"})

    team_join = join_handler(TEAM_COOKIE, "game_join_title", "game_join_code", "/team")
    teacher_join = join_handler(
        INSTRUCTOR_COOKIE, "game_instructor", "game_join_key", "/instructor"
    )
    return [
        Route("/join", team_join, methods=["GET", "POST"]),
        Route("/instructor/join", teacher_join, methods=["GET", "POST"]),
        Route("/api/ping", ping),
        Route("/api/team", team_state),
        Route("/api/team/decision", team_decision, methods=["POST"]),
        Route("/api/instructor", instructor_state),
        Route("/api/instructor/export.csv", export),
        Route("/api/instructor/debrief.html", debrief_page),
        Route(
            "/api/instructor/{action:str}",
            instructor_action,
            methods=["POST"],
        ),
    ]
