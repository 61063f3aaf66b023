"""Levers: the values a person may change in the app, read from the schemas with their ranges,
units and help text (shown in English or Chinese: :mod:`sim.apps.web.i18n`), and checked before
anything is built.

A strategy's levers come from its ``Params`` schema (:mod:`sim.strategies`); the market levers
from the scenario schema (:mod:`sim.schema`). Each :class:`Lever` knows its key path in the
scenario document (as ``crmsim run --set`` takes it), so a change is a setting of
:func:`sim.scenarios.load`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from annotated_types import Ge, Gt, Le, Lt
from pydantic.fields import FieldInfo

from sim.apps.web.i18n import Language, lever_words, text
from sim.schema import Choice, Customers, Firm, Homogenisation, MarketSpec
from sim.strategies import Decision, resolve_params, strategy_class

APP_MAX_CUSTOMERS = 200_000  # live markets in a browser session: larger ones belong to crmsim run
MAX_SEED = 2**63 - 1  # seeds are stored as 64-bit integers (as crmsim run takes them)
FEEDS = {  # a strategy lever → the decision field it adds to (others: the field of its own name)
    "service_boost": "service",
    "personnel_boost": "personnel",
    "max_advertising": "advertising",
}


@dataclass(frozen=True)
class Lever:
    """One changeable number: where it lives, its type, value and allowed range."""

    key: str  # key path in the scenario document, e.g. "firms[1].strategy.crm"
    name: str  # the field's name
    whole: bool  # an integer (True) or any number
    value: float  # the current value
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # the lower bound itself is not allowed (> rather than ≥)
    high_open: bool = False
    help: str = ""  # the schema's description, with its unit

    @property
    def slider(self) -> bool:
        """Shown as a slider: a number with both ends known, at most 10 apart (else an input)."""
        return (
            not self.whole
            and self.low is not None
            and self.high is not None
            and self.high - self.low <= 10
        )

    def title(self, language: Language = "en") -> str:
        """The lever's name as shown in ``language``."""
        return lever_words(self.key, self.name, self.help, language)[0]

    def explanation(self, language: Language = "en") -> str:
        """The lever's help text (with its unit) in ``language``."""
        return lever_words(self.key, self.name, self.help, language)[1]

    def allowed(self, language: Language = "en") -> str:
        """The allowed values in words, e.g. 'a number ≥ 0 and ≤ 1'."""
        kind = text("a_whole_number" if self.whole else "a_number", language)
        low = high = ""
        if self.low is not None:
            low = f"{'>' if self.low_open else '≥'} {shown(self.low)}"
        if self.high is not None:
            high = f"{'<' if self.high_open else '≤'} {shown(self.high)}"
        joined = f" {text('and', language)} ".join(part for part in (low, high) if part)
        return f"{kind} {joined}".strip()

    def problem(self, value: object, language: Language = "en") -> str | None:
        """None if ``value`` is allowed, else a one-line message naming the field (its key)."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        ok = number and math.isfinite(value) and (not self.whole or float(value).is_integer())
        if ok and self.low is not None:
            ok = value > self.low if self.low_open else value >= self.low
        if ok and self.high is not None:
            ok = value < self.high if self.high_open else value <= self.high
        if ok:
            return None
        words = text("no_number" if value is None else "not_allowed", language)
        return words.format(key=self.key, value=value, allowed=self.allowed(language))

    def cast(self, value: float) -> float | int:
        """The value in the lever's type (an int for whole numbers)."""
        return round(value) if self.whole else float(value)

    def typed(self) -> str:
        """The current value as typed into a field (it reads back exactly as this value)."""
        return str(self.cast(self.value))


def shown(bound: float) -> str:
    """A bound in words: a whole int in full (a seed's 2**63 − 1), a float shortly (1e+06)."""
    return str(bound) if isinstance(bound, int) else f"{bound:g}"


def lever(
    key: str, field: FieldInfo, value: float, high: float | None = None, help: str = ""
) -> Lever:
    """A lever from a pydantic field's bounds and description (``high`` caps the upper end;
    ``help`` replaces a missing description)."""
    low = top = None
    low_open = high_open = False
    for rule in field.metadata:
        if isinstance(rule, Ge):
            low = float(rule.ge)
        elif isinstance(rule, Gt):
            low, low_open = float(rule.gt), True
        elif isinstance(rule, Le):
            top = float(rule.le)
        elif isinstance(rule, Lt):
            top, high_open = float(rule.lt), True
    if high is not None and (top is None or high < top):
        top, high_open = high, False
    return Lever(
        key=key,
        name=key.rpartition(".")[2],
        whole=field.annotation is int,
        value=value,
        low=low,
        high=top,
        low_open=low_open,
        high_open=high_open,
        help=field.description or help,
    )


def decision_cap(name: str, firm: Firm) -> float | None:
    """The largest value of strategy lever ``name`` whose decisions stay in their ranges
    (:attr:`sim.strategies.Decision.BOUNDS`, checked every period): a boost less the firm's
    own level; None for a lever that sets no decision field."""
    field = FEEDS.get(name, name)
    if field not in Decision.BOUNDS:
        return None
    base = getattr(firm.value, field) if name.endswith("_boost") else 0.0
    return Decision.BOUNDS[field][1] - base


def strategy_levers(index: int, firm: Firm) -> list[Lever]:
    """The levers of firm ``index``'s strategy, at their current values (numbers only), capped
    where a larger value would make a decision out of range at the first period."""
    strategy = firm.strategy
    params = resolve_params(strategy.name, strategy.params)
    fields = strategy_class(strategy.name).Params.model_fields
    return [
        lever(
            f"firms[{index}].strategy.{name}",
            field,
            getattr(params, name),
            high=decision_cap(name, firm),
        )
        for name, field in fields.items()
        if field.annotation in (int, float)
    ]


def seed_lever(seed: int) -> Lever:
    """The seed as a lever: a whole number from 0 to 2**63 − 1."""
    return Lever(key="seed", name="seed", whole=True, value=seed, low=0, high=MAX_SEED)


def market_levers(spec: MarketSpec) -> list[Lever]:
    """Homogenisation, choice noise, customers and periods, at the market's current values."""
    return [
        lever("homogenisation.rate", Homogenisation.model_fields["rate"], spec.homogenisation.rate),
        lever(
            "homogenisation.start", Homogenisation.model_fields["start"], spec.homogenisation.start
        ),
        lever("choice.noise", Choice.model_fields["noise"], spec.choice.noise),
        lever(
            "customers.count",
            Customers.model_fields["count"],
            spec.customers.count,
            high=APP_MAX_CUSTOMERS,
            help=f"customers in the market (at most {APP_MAX_CUSTOMERS:,} in the app)",
        ),
        lever("periods", MarketSpec.model_fields["periods"], spec.periods),
    ]
