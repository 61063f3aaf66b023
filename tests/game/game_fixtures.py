"""What the game's tests share: a small market file and a factory of games made from it
(fixtures: a test module imports them by name; a second conftest.py would clash with
tests/conftest.py, which other tests import as ``conftest``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sim.apps.game.game import Game
from sim.apps.game.rules import new_rules

CUSTOMERS = 400  # small enough that a round takes milliseconds
NewGame = Callable[..., tuple[Game, list[str], str]]


@pytest.fixture
def small_scenario(tmp_path: Path) -> Path:
    """The flagship market with few customers, as a scenario file."""
    path = tmp_path / "small.toml"
    path.write_text(f'extends = "flagship"\n[customers]\ncount = {CUSTOMERS}\n')
    return path


@pytest.fixture
def new_game(tmp_path: Path, small_scenario: Path) -> NewGame:
    """A factory: ``new_game(name, **settings)`` creates a game in ``tmp_path/name`` (2 teams,
    1 bot, 4 rounds of 2 periods, seed 11 unless ``settings`` say otherwise) and returns it
    with the teams' join codes and the instructor key."""

    def make(name: str = "game", **settings: object) -> tuple[Game, list[str], str]:
        options = {"teams": 2, "bots": 1, "rounds": 4, "periods_per_round": 2, "seed": 11}
        rules = new_rules(str(small_scenario), **(options | settings))  # type: ignore[arg-type]
        return Game.create(tmp_path / name, rules)

    return make
