"""The values the ``crmsim`` command line accepts: argparse types that refuse a bad value with a
message naming what is allowed (seeds, periods, workers, counts, numbers, ports, folders, dates,
languages, study prices)."""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sim.errors import InputError
from sim.i18n import Language, check_language
from sim.schema import MAX_PERIODS

if TYPE_CHECKING:  # for annotations only: pandas is imported when a date is parsed
    import pandas as pd

MAX_SEEDS = 1_000_000  # replications per variant: more would take days and fill the disk
MAX_SEED = 2**63 - 1  # seeds are stored as 64-bit integers in the run files


def whole_number(text: str) -> int:
    """An integer written in decimal digits (an optional sign), or an ArgumentTypeError."""
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def positive_int(text: str) -> int:
    """argparse type: an integer ≥ 1."""
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not allowed; use a whole number ≥ 1")
    return value


def whole_in_range(text: str, high: int, meaning: str) -> int:
    """A whole number from 1 to ``high``, or an ArgumentTypeError saying the range and
    ``meaning``, what the limit is for."""
    value = whole_number(text)
    if not 1 <= value <= high:
        raise argparse.ArgumentTypeError(
            f"{value} is not allowed; use a whole number ≥ 1 and ≤ {high:,} ({meaning})"
        )
    return value


def period_count(text: str) -> int:
    """argparse type for --periods: a whole number from 1 to the scenario schema's maximum."""
    return whole_in_range(text, MAX_PERIODS, "periods per run, as a scenario's periods key allows")


def worker_count(text: str) -> int:
    """argparse type for local worker processes: 1 to 4 × this machine's cores (each worker
    is a process of its own with the whole engine in memory: more would exhaust memory, and
    more than the cores go no faster)."""
    cores = os.cpu_count() or 1
    why = (
        f"4 × this machine's {cores} cores: each worker is a process, and more than the cores "
        "go no faster; for more machines use --scheduler"
    )
    return whole_in_range(text, 4 * cores, why)


def seed_count(text: str) -> int:
    """argparse type for --seeds: a whole number from 1 to 1,000,000."""
    meaning = "the number of runs per variant; run a larger study in parts with --first-seed"
    return whole_in_range(text, MAX_SEEDS, meaning)


def first_seed(text: str) -> int:
    """argparse type for --first-seed: a whole number from 0 to 2**63 − 1 (whether the last
    seed fits too is :func:`last_seed_problem`'s question, once --seeds is known)."""
    value = whole_number(text)
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"{value} is not allowed; use a whole number from 0 to {MAX_SEED} (seeds are never "
            "negative, and every seed must fit a 64-bit integer)"
        )
    return value


def last_seed_problem(first: int, seeds: int) -> str | None:
    """Why --first-seed and --seeds do not go together (the last seed, first + seeds − 1, must
    fit a 64-bit integer), or None."""
    if first + seeds - 1 <= MAX_SEED:
        return None
    return (
        f"argument --first-seed: {first} is not allowed with --seeds {seeds}: the last seed, "
        f"first seed + seeds − 1, must be at most {MAX_SEED}; use --first-seed "
        f"{MAX_SEED - seeds + 1} or less"
    )


def seed_number(text: str) -> int:
    """argparse type for one seed: a whole number from 0 to 2**63 − 1."""
    value = whole_number(text)
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"{value} is not allowed; a seed is a whole number from 0 to {MAX_SEED} "
            "(never negative, and it must fit a 64-bit integer)"
        )
    return value


def port_number(text: str) -> int:
    """argparse type: a TCP port, 1 to 65535."""
    value = whole_number(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not allowed; a port is from 1 to 65535")
    return value


def language(text: str) -> Language:
    """argparse type for --lang: en or zh."""
    try:
        return check_language(text.strip(), "--lang")
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--lang: ")) from None


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0 (not inf or nan)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(
            f"{text.strip()!r} is not allowed; use a number > 0 (finite: not inf or nan)"
        )
    return value


MAX_PERIOD_DAYS = 366.0  # calibrate --period-days: a model period is at most a year


def period_days(text: str) -> float:
    """argparse type for calibrate --period-days: days in one model period, > 0 and ≤ 366
    (checked before the fit, which otherwise ran for a minute to fitted rates out of range)."""
    value = positive_float(text)
    if value > MAX_PERIOD_DAYS:
        raise argparse.ArgumentTypeError(
            f"{text.strip()!r} is not allowed; use a number of days > 0 and ≤ "
            f"{MAX_PERIOD_DAYS:g} (a model period of a day, a week (7), a month (30.4375), "
            "… up to a year)"
        )
    return value


def research_price(text: str) -> tuple[str, float]:
    """argparse type for --research-price: ``STUDY=DOLLARS``, a study of the game's catalogue
    and its price, a finite number ≥ 0 ($ per capita per period)."""
    from sim.apps.game.research import STUDIES  # the game's modules load when a game is made

    study, equals, price = (part.strip() for part in text.partition("="))
    allowed = f"use STUDY=DOLLARS, STUDY one of {', '.join(STUDIES)}"
    if not equals or study not in STUDIES:
        what = f"no study {study!r}" if equals else "no '='"
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed ({what}); {allowed}")
    try:
        value = float(price)
    except ValueError:
        value = math.nan
    if not (value >= 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not allowed ({price!r} is not a number ≥ 0, $ per capita per period); "
            f"{allowed}"
        )
    return study, value


def output_folder(text: str) -> Path:
    """argparse type: a folder to write into, which may not exist yet, but not a file (checked
    before any work, so that a long fit does not end in 'File exists')."""
    path = Path(text).expanduser()
    for place in (path, *path.parents):
        try:
            is_file = place.exists() and not place.is_dir()
        except OSError as exc:  # a name too long for the file system, …
            raise argparse.ArgumentTypeError(
                f"{text[:80]!r}{'…' if len(text) > 80 else ''} cannot be the output folder: "
                f"{exc.strerror}"
            ) from None
        if is_file:
            where = "" if place == path else f" ({place} is a file)"
            raise argparse.ArgumentTypeError(
                f"{text!r} cannot be the output folder{where or ': it is a file'}; give a folder "
                "(it is created if it does not exist)"
            )
    return path


def iso_date(text: str) -> pd.Timestamp:
    """argparse type: a date YYYY-MM-DD."""
    import pandas as pd

    try:
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None
