"""``crmsim game``: create a classroom game, submit a decision file, advance, export, debrief,
serve."""

from __future__ import annotations

import argparse
import hashlib
import secrets
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from sim.apps.cli.commands import app_extra_missing
from sim.errors import InputError
from sim.scenarios import load, looks_like_path

if TYPE_CHECKING:  # for annotations only: the game is imported when an action runs
    from sim.apps.game.game import Game


def cmd_game(args: argparse.Namespace) -> int:
    """Run one game action (``args.game_command``)."""
    return ACTIONS[args.game_command](args)


def game_new(args: argparse.Namespace) -> int:
    """Create the game folder; print the instructor key and each team's join code."""
    from sim.apps.game.game import Game
    from sim.apps.game.rules import new_rules

    if args.bots < 0:
        raise InputError(f"--bots {args.bots} is not allowed; use a whole number ≥ 0")
    named = Counter(study for study, _ in args.research_price)
    twice = [study for study, times in named.items() if times > 1]
    if twice:
        raise InputError(
            f"--research-price {', '.join(twice)}: given more than once; give each study's "
            "price once"
        )
    scenario = args.scenario
    if looks_like_path(scenario):
        scenario = str(Path(scenario).expanduser().resolve())
    name = load(scenario).name
    folder = args.out or Path("games") / name
    rules = new_rules(
        scenario,
        teams=args.teams,
        rounds=args.rounds,
        periods_per_round=args.periods_per_round,
        seed=secrets.randbelow(2**63) if args.seed is None else args.seed,
        bots=args.bots,
        deadline_minutes=args.deadline,
        budget=args.budget,
        research_prices=dict(args.research_price),
    )
    _, codes, key = Game.create(folder, rules)
    print(f"game: {folder}  ({name}, {rules.rounds} rounds of {rules.periods_per_round} periods)")
    prices = ", ".join(f"{study} {price:g}" for study, price in rules.research_prices.items())
    print(f"budget {rules.budget:g}; study prices {prices} ($ per capita per period)")
    print(f"instructor key: {key}")
    for seat, code in enumerate(codes):
        print(f"team {seat + 1} code: {code}")
    for seat, strategy in enumerate(rules.bots, start=rules.teams + 1):
        print(f"seat {seat}: bot ({strategy})")
    print(f"Codes are shown once (only their hashes are kept). Next: crmsim game serve {folder}")
    return 0


def game_submit(args: argparse.Namespace) -> int:
    """Submit a team's decision file for the open round (the same file twice applies once);
    print the budgeted spending as the team page shows it, item by item. A decision the game
    refuses (over the budget, studies included) is refused here, before anything is stored."""
    from sim.apps.game.decisions import (
        DecisionError,
        budget_items,
        budget_line,
        itemised,
        read_decision_file,
        to_record,
    )
    from sim.apps.game.game import Game
    from sim.apps.game.research import priced

    game = Game.open(args.game)
    seat = game.seat_for(args.code)
    if seat is None:
        raise InputError(f"--code is not a join code of the game in {args.game}")
    changes = read_decision_file(args.file)
    round_ = game.open_round
    try:
        decision, studies = game.check(seat, changes)  # the server's own check
    except DecisionError as exc:
        raise DecisionError(f"{args.file}: {exc}") from None
    # the same file sent again applies once; sent after another one, it applies again
    latest = game.store.submissions(round_).get(seat)
    key = hashlib.sha256(f"{round_}:{sorted(changes.items())}:{latest and latest.key}".encode())
    fresh = latest is None or latest.decision != to_record(decision, studies)
    if fresh:
        decision, fresh = game.submit(seat, changes, key.hexdigest(), round_)
    what = "submitted" if fresh else "already submitted (applied once)"
    items = budget_items(decision, priced(studies, game.rules.research_prices))
    print(f"team {seat + 1}, round {round_}: {what}")
    print(budget_line(items, game.rules.budget, "en"))
    print(f"  = {itemised(items)('en')}")
    return 0


def instructor_game(args: argparse.Namespace) -> Game:
    """The game in ``args.game`` if ``args.key`` is its instructor key."""
    from sim.apps.game.game import Game

    game = Game.open(args.game)
    if not game.is_instructor(args.key):
        raise InputError(f"--key is not the instructor key of the game in {args.game}")
    return game


def game_advance(args: argparse.Namespace) -> int:
    """Close the open round and play it; print the leaderboard."""
    from sim.apps.game.rules import seat_name

    game = instructor_game(args)
    sent = len(game.submitted())
    played = game.advance()
    print(f"round {played} played ({sent} of {game.rules.teams} teams submitted)")
    board = game.leaderboard()
    board.insert(0, "team", [seat_name(seat, game.rules) for seat in board.pop("seat")])
    print(board.to_string(index=False, float_format="{:,.0f}".format))
    return 0


def game_export(args: argparse.Namespace) -> int:
    """Write every decision and result as CSV."""
    from sim.apps.game.export import export_csv

    game = instructor_game(args)
    out = args.out or args.game / "export.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = export_csv(game, out)
    print(f"{out}: {rows} rows (one per period and seat)")
    return 0


def game_debrief(args: argparse.Namespace) -> int:
    """Write the debrief page (HTML) into the game folder and print its luck table."""
    from concurrent.futures import ProcessPoolExecutor

    from sim.apps.game.debrief import write_debrief
    from sim.experiments.executors import worker_context

    game = instructor_game(args)
    many = args.workers and args.workers > 1
    pool = ProcessPoolExecutor(args.workers, mp_context=worker_context()) if many else None
    try:
        result, path = write_debrief(game, args.seeds, pool)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    print(result.luck().to_string(index=False, float_format="{:,.0f}".format))
    print(f"debrief: {path}")
    return 0


def game_serve(args: argparse.Namespace) -> int:
    """Serve the team and instructor pages until interrupted."""
    try:
        from sim.apps.game.server import serve
    except ImportError as exc:
        return app_extra_missing("game serve", "the game's pages", exc)
    serve(args.game, args.host, args.port)
    return 0


ACTIONS = {
    "new": game_new,
    "submit": game_submit,
    "advance": game_advance,
    "export": game_export,
    "debrief": game_debrief,
    "serve": game_serve,
}
