"""A team's decision for one round: the game's ranges, the budget, and reading a decision file.

A team changes any of the fields of :class:`~sim.strategies.Decision`; fields it leaves out keep
their current value (last round's decision). Every value is checked here, on the server, against
the game's ranges (:data:`RANGES`, narrower than the model's own) and the spending budget: the
discretionary budgets (advertising, R&D, CRM, research) together may not exceed the game's
``budget`` ($ per capita per period).
"""

from __future__ import annotations

import math
import numbers
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, fields, replace
from pathlib import Path

from sim.apps.game.refusals import Listing, Phrase, RefusalError, listing, phrase
from sim.apps.web.i18n import Language, text
from sim.schema import Firm as FirmSpec
from sim.strategies import Decision

# field → (low, high, unit): what a team may choose each round
RANGES: dict[str, tuple[float, float, str]] = {
    "price": (1.0, 1000.0, "$ per basket"),
    "service": (0.0, 200.0, "$ per basket"),
    "personnel": (0.0, 200.0, "$ per basket"),
    "advertising": (0.0, 20.0, "$ per capita per period"),
    "rd": (0.0, 20.0, "$ per capita per period"),
    "quality_cut": (0.0, 20.0, "$ of product value per period"),
    "crm": (0.0, 20.0, "$ per capita per period"),
    "research": (0.0, 20.0, "$ per capita per period"),
    "complaint_handling": (0.0, 1.0, "share of complaints"),
    "loyalty_discount": (0.0, 0.9, "share of price"),
    "first_purchase_discount": (0.0, 0.9, "share of price"),
    "retention_share": (0.0, 1.0, "share of own customers"),
    "tier_share": (0.0, 1.0, "share of own customers"),
    "tier_service": (0.0, 100.0, "$ per basket"),
}
PERSONALISATION = ("none", "segment", "individual")
BUDGET_FIELDS = ("advertising", "rd", "crm", "research")  # paid from the round's budget
FIELDS = tuple(f.name for f in fields(Decision))
STUDIES_FIELD = "studies"  # the research bought with a decision (sim.apps.game.research)


class DecisionError(RefusalError):
    """A decision a team may not make: an unknown field, a value out of range, over budget."""


def initial_decision(firm: FirmSpec) -> Decision:
    """The firm's scenario offer with no programmes: what a team plays before it submits."""
    return Decision(price=firm.price, service=firm.value.service, personnel=firm.value.personnel)


def budget_items(decision: Decision, studies: dict[str, float] | None = None) -> dict[str, float]:
    """What a decision spends from the budget, item by item ($ per capita per period): each of
    :data:`BUDGET_FIELDS`, then each study bought (study → its price)."""
    return {name: float(getattr(decision, name)) for name in BUDGET_FIELDS} | (studies or {})


def budget_line(items: dict[str, float], budget: float, language: Language) -> str:
    """The budget line the team page shows under its form: the total of ``items``
    (:func:`budget_items`) against the budget, $ per capita per period."""
    fields = " + ".join(text("field_" + name, language) for name in BUDGET_FIELDS)
    spent = sum(items.values())
    return text("game_budget", language).format(fields=fields, spent=spent, budget=budget)


def itemised(items: dict[str, float]) -> Listing:
    """``advertising 2.5 + crm 1 + study survey 0.25`` (in English; a Listing says it in either
    language): the items of :func:`budget_items` that cost something (every field when none
    does)."""
    spent = {name: value for name, value in items.items() if value} or items
    return Listing(
        tuple(
            phrase("game_item", name=phrase("field_" + name), value=value)
            if name in BUDGET_FIELDS
            else phrase("game_item_study", name=name, label=phrase("study_" + name), value=value)
            for name, value in spent.items()
        ),
        " + ",
    )


def out_of_range(name: str, value: object) -> Phrase:
    """``price=5000 (allowed: a number from 1 to 1000 $ per basket)``."""
    low, high, unit = RANGES[name]
    field = phrase("field_" + name)
    return phrase(
        "game_err_range", field=field, value=value, low=low, high=high, unit=phrase("unit_" + unit)
    )


def checked(
    changes: dict[str, object],
    current: Decision,
    budget: float,
    studies: dict[str, float] | None = None,
) -> Decision:
    """``current`` with ``changes`` applied, or a DecisionError naming every bad field (unknown,
    or outside its allowed range), or else the budget, when the budgeted spending with the
    ``studies`` bought (study → price in $ per capita per period) exceeds it. A ``studies``
    entry is checked by the caller."""
    changes = {k: v for k, v in changes.items() if k != STUDIES_FIELD}
    unknown = sorted(set(changes) - set(FIELDS))
    problems = []
    if unknown:  # only a file or a script can name one: the fields' own names, in either language
        allowed = ", ".join([*FIELDS, STUDIES_FIELD])
        problems.append(phrase("game_err_unknown", names=", ".join(unknown), allowed=allowed))
    for name, value in changes.items():
        if name in unknown:
            continue
        if name == "personalisation":
            if value not in PERSONALISATION:
                allowed = listing(["choice_" + p for p in PERSONALISATION])
                field = phrase("field_personalisation")
                problems.append(
                    phrase("game_err_choice", field=field, value=value, allowed=allowed)
                )
            continue
        low, high, _ = RANGES[name]
        number = isinstance(value, numbers.Real) and not isinstance(value, bool)
        if not (number and math.isfinite(value) and low <= float(value) <= high):
            problems.append(out_of_range(name, value))
    if problems:
        raise DecisionError(phrase("game_err_refused", problems=Listing(tuple(problems), "; ")))
    decision = replace(
        current,
        **{k: v if k == "personalisation" else float(v) for k, v in changes.items()},  # type: ignore[arg-type]
    )
    items = budget_items(decision, studies)
    spent = sum(items.values())
    if spent > budget + 1e-9:
        over = phrase(
            "game_err_over_budget",
            items=itemised(items),
            spent=spent,
            budget=budget,
            fields=listing(["field_" + name for name in BUDGET_FIELDS]),
            studies=phrase("game_err_fewer_studies") if studies else "",
        )
        raise DecisionError(phrase("game_err_refused", problems=over))
    return decision


def to_record(decision: Decision, studies: Sequence[str] = ()) -> dict[str, object]:
    """A decision, with the studies bought with it (if any), as a plain dict (for JSON storage;
    floats round-trip exactly)."""
    return asdict(decision) | ({STUDIES_FIELD: list(studies)} if studies else {})


def from_record(record: dict[str, object]) -> Decision:
    """The decision stored by :func:`to_record` (the studies bought with it left out)."""
    return Decision(**{k: v for k, v in record.items() if k != STUDIES_FIELD})  # type: ignore[arg-type]


def studies_of(record: dict[str, object]) -> list[str]:
    """The studies bought with a stored decision (none for most)."""
    return list(record.get(STUDIES_FIELD, []))  # type: ignore[call-overload]


def read_decision_file(path: Path) -> dict[str, object]:
    """The fields of a decision file (TOML, ``price = 95.0`` etc., optionally under
    ``[decision]``), or a DecisionError naming the file."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise DecisionError(f"{path}: no such decision file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DecisionError(f"{path}: not a valid TOML file: {exc}") from None
    body = document.get("decision", document)
    beside = sorted(set(document) - {"decision"}) if body is not document else []
    if beside:  # fields above a [decision] table: TOML would keep them apart, and we read one
        raise DecisionError(
            f"{path}: fields both above [decision] ({', '.join(beside)}) and in it; put them all "
            "under [decision], or leave the table out"
        )
    if not isinstance(body, dict) or not body:
        raise DecisionError(f"{path}: no decision fields; allowed: {', '.join(FIELDS)}")
    return body
