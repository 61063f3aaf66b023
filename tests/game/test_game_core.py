"""The game's core: replay is bit-identical, submissions apply once, bad decisions are refused,
teams that do not submit keep their decision, rounds close by themselves."""

from __future__ import annotations

import io
import json
import pickle
import re
import sqlite3
import threading

import pytest

from sim.apps.game.decisions import DecisionError
from sim.apps.game.export import game_table
from sim.apps.game.game import DATABASE, Game
from sim.apps.game.refusals import told
from sim.apps.game.store import GameStateError

pytest_plugins = ["game_fixtures"]  # the game's fixtures (tests/game/game_fixtures.py)

PLAN = [  # each round: team seat → its changes (seat 1 skips round 2)
    {0: {"price": 120.0, "advertising": 2.0}, 1: {"crm": 3.0, "personalisation": "individual"}},
    {0: {"rd": 1.5, "price": 115.0, "studies": ["survey"]}},
    {
        0: {"retention_share": 0.2, "studies": ["churn_clv", "segment_needs"]},
        1: {"price": 90.0, "complaint_handling": 0.8, "studies": ["benchmarking"]},
    },
    {0: {"tier_share": 0.1, "tier_service": 5.0}, 1: {"loyalty_discount": 0.1}},
]


def fingerprint(game: Game) -> bytes:
    """Everything the market computed, as bytes: books, decisions, customers' arrays."""
    gm = game.market()
    m = gm.market
    out = io.BytesIO()
    out.write(m.firm_metrics().to_csv().encode())
    out.write(m.market_metrics().to_csv().encode())
    out.write(m.transactions().to_csv().encode())
    out.write(game_table(game).to_csv().encode())
    out.write(json.dumps(gm.research, sort_keys=True).encode())  # research reports, noise
    out.write(pickle.dumps(vars(m.relations)))
    out.write(pickle.dumps(m.rng.bit_generator.state))
    return out.getvalue()


def play(game: Game, plan: list[dict[int, dict[str, object]]], reopen: bool) -> Game:
    for round_, changes in enumerate(plan, start=1):
        for seat, change in changes.items():
            game.submit(seat, change, key=f"r{round_}s{seat}")
        if reopen:  # the server is killed after the submissions and started again
            game = Game.open(game.store.path.parent)
        assert game.advance() == round_
        if reopen:
            game = Game.open(game.store.path.parent)
    return game


def test_a_restarted_game_is_byte_for_byte_the_uninterrupted_one(new_game):
    straight = play(new_game("straight")[0], PLAN, reopen=False)
    restarted = play(new_game("restarted")[0], PLAN, reopen=True)
    a, b = fingerprint(straight), fingerprint(restarted)
    assert len(a) > 100_000 and a == b
    assert straight.market().market.period == 8 == restarted.market().market.period
    # the decisions changed the market: another path gives other books
    other = play(new_game("other")[0], [{0: {"price": 60.0}}, *PLAN[1:]], reopen=False)
    assert fingerprint(other) != a


def test_a_team_that_does_not_submit_keeps_last_rounds_decision(new_game):
    game = play(new_game()[0], PLAN[:2], reopen=False)
    played = game.store.played()
    assert played[0][1] == played[1][1]  # seat 1 skipped round 2
    assert played[1][1]["crm"] == 3.0 and played[1][1]["personalisation"] == "individual"
    # changes build on the last decision: round 2's rd came on top of round 1's price and ads
    studies = played[1][0].pop("studies")  # research is bought per round, never carried over
    assert studies == ["survey"] and "studies" not in played[0][0]
    assert played[1][0] | {"rd": 0.0, "price": 120.0} == played[0][0]
    table = game_table(game)
    seat1 = table[(table["seat"] == 1) & (table["round"] == 2)]
    assert (seat1["decision_crm"] == 3.0).all() and len(seat1) == 2
    bought = table.set_index(["round", "seat"])["decision_studies"].fillna("")
    assert (bought.loc[(2, 0)] == "survey").all()  # the export says what was bought, and when
    assert (bought.drop(index=(2, 0)) == "").all()


def test_a_submission_applies_once_however_often_it_is_sent(new_game):
    game = new_game()[0]
    first = game.submit(0, {"price": 99.0}, key="click-1")
    again = game.submit(0, {"price": 99.0}, key="click-1")
    assert first[1] is True and again[1] is False
    rows = sqlite3.connect(game.store.path).execute("SELECT COUNT(*) FROM submissions")
    assert rows.fetchone()[0] == 1
    # the same key with another decision, or in another round, is refused, not said to be kept
    # (a reply "accepted" with price 65 while 99 stayed)
    with pytest.raises(GameStateError, match=r"already used for another decision \(in round 1\)"):
        game.submit(0, {"price": 65.0}, key="click-1")
    game.advance()
    with pytest.raises(GameStateError, match=r"already used for another decision \(in round 1\)"):
        game.submit(0, {"price": 99.0}, key="click-1")
    assert game.store.submissions(2) == {} and game.current_decision(0).price == 99.0
    # many submissions at once from many threads: each distinct one is kept, none twice
    errors: list[BaseException] = []

    def send(i: int) -> None:
        try:
            for _ in range(2):
                Game.open(game.store.path.parent).submit(1, {"price": 80.0 + i}, key=f"k{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    rows = sqlite3.connect(game.store.path).execute("SELECT COUNT(*) FROM submissions")
    assert rows.fetchone()[0] == 13
    assert game.current_decision(0).price == 99.0


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"price": 5000.0}, ["price=5000.0", "from 1 to 1000"]),
        ({"loyalty_discount": 0.95}, ["loyalty_discount=0.95", "from 0 to 0.9"]),
        ({"service": -1}, ["service=-1", "from 0 to 200"]),
        ({"advertising": "lots"}, ["advertising='lots'"]),
        ({"personalisation": "psychic"}, ["personalisation='psychic'", "individual"]),
        ({"colour": 1}, ["unknown decision field(s) colour", "allowed: price"]),
        (  # every problem at once, the unknown first
            {"price": -3, "colour": 1},
            ["refused: unknown decision field(s) colour; allowed: price", "; price=-3 (allowed"],
        ),
        ({"advertising": 5.0, "crm": 4.0}, ["over budget", "= 9 $", "budget is 8"]),
    ],
)
def test_a_bad_decision_is_refused_with_the_field_and_range(new_game, changes, words):
    game = new_game()[0]
    with pytest.raises(DecisionError) as refused:
        game.submit(0, changes, key="x")
    assert all(w in str(refused.value) for w in words), str(refused.value)
    assert game.submitted() == set()


def test_the_budget_is_the_games_own(new_game):
    game = new_game(budget=12.0)[0]
    decision, _ = game.submit(0, {"advertising": 5.0, "crm": 4.0, "rd": 3.0}, key="x")
    assert decision.advertising + decision.crm + decision.rd == 12.0


def test_rounds_close_when_all_submitted_or_at_the_deadline(new_game):
    game = new_game(deadline_minutes=10)[0]
    now = [game.store.status().opened_at]
    game.clock = lambda: now[0]
    game.submit(0, {"price": 100.0}, key="a")
    assert game.tick() is None  # one team still deciding, deadline not reached
    game.submit(1, {"price": 100.0}, key="b")
    assert game.tick() == 1 and game.open_round == 2
    now[0] += 9 * 60
    assert game.tick() is None
    now[0] += 61
    assert game.tick() == 2  # the deadline passed: round 2 closes without submissions
    game.set_locked(True)
    now[0] += 3600
    assert game.tick() is None
    with pytest.raises(GameStateError, match="locked"):
        game.submit(0, {"price": 100.0}, key="c")
    game.set_locked(False)
    assert game.tick() == 3


def test_a_stale_form_cannot_change_a_closed_round(new_game):
    game = new_game()[0]
    game.advance()
    with pytest.raises(GameStateError, match="round 1 is not open; the open round is 2"):
        game.submit(0, {"price": 100.0}, key="late", round_=1)
    with pytest.raises(GameStateError, match="round 1 is not open"):
        game.advance(1)


def test_a_game_ends_after_its_rounds(new_game):
    game = new_game(rounds=2)[0]
    game.advance(), game.advance()
    assert game.over
    with pytest.raises(GameStateError, match="game is over"):
        game.submit(0, {"price": 100.0}, key="z")
    with pytest.raises(GameStateError, match="game is over"):
        game.advance()


def test_a_shock_hits_the_next_round_and_survives_a_restart(new_game):
    game = play(new_game("shocked")[0], PLAN[:1], reopen=False)
    calm = play(new_game("calm")[0], PLAN[:1], reopen=False)
    event = game.schedule_shock("recession", duration=2, purchase_rate=0.5)
    assert event["period"] == 3
    game.advance(), calm.advance()
    books, calm_books = game.market().firm_metrics(), calm.market().firm_metrics()
    assert books[books.period <= 2].equals(calm_books[calm_books.period <= 2])
    shocked = books[books.period == 3].purchases.sum()
    assert shocked < 0.8 * calm_books[calm_books.period == 3].purchases.sum()
    assert fingerprint(Game.open(game.store.path.parent)) == fingerprint(game)
    with pytest.raises(GameStateError, match="firm"):
        game.schedule_shock("scandal", firm="NoSuchCo")


FIRMS = "ProductCo, CustomerCo, MarketCo"
SHOCK_REFUSALS = [  # kind, settings, the refusal
    (
        "scandal",
        {"firm": "NoSuchCo"},
        f"the firm of a scandal must be one of {FIRMS}, not 'NoSuchCo'",
    ),
    ("scandal", {}, f"a scandal needs a firm: one of {FIRMS}"),
    (
        "recession",
        {"purchase_rate": 20.0},
        "the purchase_rate of a recession must be a number from 0 to 10, not 20.0",
    ),
    (
        "price_war",
        {"firm": "MarketCo", "duration": 0},
        "the duration of a price war must be a whole number from 1 to 100,000, not 0",
    ),
    (
        "recession",
        {"strength": 0.5},
        "a recession has no setting 'strength'; "
        "its settings are duration, purchase_rate, money_sensitivity",
    ),
    (
        "riot",
        {},
        "there is no shock 'riot'; the shocks are recession, price_war, service_outage, "
        "scandal, homogenisation, crm_launch",
    ),
]


@pytest.mark.parametrize(("kind", "settings", "english"), SHOCK_REFUSALS)
def test_a_refused_shock_is_one_sentence_with_what_is_allowed(new_game, kind, settings, english):
    game = new_game()[0]
    with pytest.raises(GameStateError) as refused:
        game.schedule_shock(kind, **settings)
    assert str(refused.value) == english  # the command line's and the JSON endpoints' words
    chinese = told(refused.value, "zh")
    assert not re.search(r"Value error|events|loc|Field required|[a-z]+ [a-z]+ [a-z]+", chinese)
    assert game.store.shocks() == []


def test_codes_are_unguessable_and_stored_only_as_hashes(new_game, tmp_path):
    game, codes, key = new_game()
    assert len(set([*codes, key])) == 3 and all(len(c) >= 22 for c in [*codes, key])
    assert [game.seat_for(c) for c in codes] == [0, 1]
    assert game.seat_for(codes[0][:-1]) is None and game.seat_for("") is None
    assert game.is_instructor(key) and not game.is_instructor(codes[0])
    raw = b"".join(p.read_bytes() for p in (tmp_path / "game").glob(DATABASE + "*"))
    assert len(raw) > 4096  # the database and its write-ahead log
    assert not any(secret.encode() in raw for secret in [*codes, key])


def test_codes_never_start_with_a_dash(monkeypatch):
    """A code starting with "-" would read as an option: ``--key -x…`` fails on the command line."""
    import sim.apps.game.codes as codes

    drawn = iter(["-starts-with-dash", "_fine_code"])
    monkeypatch.setattr(codes.secrets, "token_urlsafe", lambda n: next(drawn))
    assert codes.new_code() == "_fine_code"
