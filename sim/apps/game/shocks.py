"""A shock's settings checked before it is scheduled: each refusal is one sentence naming the
setting and what it may be (the game's firms, a range of numbers, the settings of that shock),
told in the page's language (:mod:`sim.apps.game.refusals`), not the scenario validator's
report."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import get_args

from annotated_types import Ge, Le
from pydantic import BaseModel, ValidationError

from sim.apps.game.refusals import Listing, Phrase, phrase
from sim.apps.game.store import GameStateError
from sim.schema.events import AnyEvent

GIVEN = ("kind", "period")  # set by the game, not by the instructor


@cache
def event_models() -> dict[str, type[BaseModel]]:
    """The event catalogue's model of each kind (``scandal`` → Scandal)."""
    kinds = get_args(get_args(AnyEvent)[0])
    return {get_args(m.model_fields["kind"].annotation)[0]: m for m in kinds}


def settings(kind: str) -> list[str]:
    """The settings an instructor may give a shock of ``kind`` (its firm, its strength …)."""
    return [name for name in event_models()[kind].model_fields if name not in GIVEN]


def number(x: float) -> str:
    """A bound as read: 0.9, 10, 1,000,000."""
    return f"{x:,.10g}"


def bounds(kind: str, name: str) -> tuple[str, str]:
    """A numeric setting's lowest and highest values, as text."""
    low = high = ""
    for rule in event_models()[kind].model_fields[name].metadata:
        if isinstance(rule, Ge):
            low = number(float(rule.ge))  # type: ignore[arg-type]
        if isinstance(rule, Le):
            high = number(float(rule.le))  # type: ignore[arg-type]
    return low, high


def check_shock(event: dict[str, object], firms: Sequence[str]) -> None:
    """Refuse (GameStateError) an event of a known kind whose settings the catalogue would not
    take: an unknown setting, a missing or unknown firm, a number out of range."""
    kind = str(event["kind"])
    shock = phrase(f"shock_{kind}")
    allowed = settings(kind)
    for name in event:
        if name not in GIVEN and name not in allowed:
            names = Listing(tuple(allowed))
            raise GameStateError(
                phrase("game_err_shock_setting", shock=shock, name=name, names=names)
            )
    if "firm" in allowed and event.get("firm") not in firms:
        known = Listing(tuple(firms))
        if "firm" not in event:
            raise GameStateError(phrase("game_err_shock_no_firm", shock=shock, firms=known))
        raise GameStateError(
            phrase("game_err_shock_firm", shock=shock, firm=event["firm"], firms=known)
        )
    try:
        event_models()[kind].model_validate(event)
    except ValidationError as exc:
        raise GameStateError(refusal(kind, shock, exc)) from None


def refusal(kind: str, shock: Phrase, exc: ValidationError) -> Phrase:
    """The first of the validator's errors as a sentence: a setting and its range."""
    error = exc.errors()[0]
    name = str(error["loc"][0]) if error["loc"] else ""
    if name not in settings(kind):
        return phrase("game_err_bad_shock", shock=shock, details=error["msg"])
    low, high = bounds(kind, name)
    whole = event_models()[kind].model_fields[name].annotation is int
    key = "game_err_shock_whole" if whole else "game_err_shock_number"
    return phrase(key, shock=shock, name=name, low=low, high=high, value=error["input"])
