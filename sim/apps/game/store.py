"""Where a game lives: the small interface every storage implements.

A store keeps what a game cannot recompute: its rules, the hashes of its codes, every submission
(each with an idempotency key, so a replayed request applies once), the decisions each closed
round was played with, the shocks scheduled, and whether the game is locked. Everything else —
the market, results, leaderboards — is rebuilt from it by replay. The embedded SQLite store
(:mod:`sim.apps.game.sqlite_store`) is the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sim.apps.game.refusals import RefusalError
from sim.apps.game.rules import GameRules


class GameStateError(RefusalError):
    """An action the game's state does not allow now (a closed round, a locked game, …)."""


@dataclass(frozen=True)
class Submission:
    """A team's decision for a round, as received."""

    seat: int
    round: int
    decision: dict[str, object]
    key: str  # idempotency key: the same key from the same seat applies once
    at: float  # seconds since the epoch


@dataclass(frozen=True)
class Status:
    """Where a game stands: ``played`` rounds closed; the open round started at ``opened_at``
    (seconds since the epoch)."""

    played: int
    opened_at: float
    locked: bool


class GameStore(Protocol):
    """Storage of one game. Every method is atomic; methods may be called from any thread."""

    def create(self, rules: GameRules, code_hashes: list[str], key_hash: str, now: float) -> None:
        """Store a new game (fails if one is already stored)."""

    def rules(self) -> GameRules:
        """The game's rules."""

    def seat_of(self, code_hash: str) -> int | None:
        """The team seat whose join code has this hash, or None."""

    def instructor_key_hash(self) -> str:
        """The hash of the instructor key."""

    def status(self) -> Status:
        """Rounds played, when the open round started, whether the game is locked."""

    def submit(self, submission: Submission) -> bool:
        """Store a submission for the open round; False (and nothing stored) when the seat
        already sent this key with the same decision for the same round (a repeated request).
        Raises GameStateError when the round is not open or locked, or the key was used for
        another decision or round."""

    def submissions(self, round_: int) -> dict[int, Submission]:
        """Each seat's latest submission for a round."""

    def close_round(self, round_: int, decisions: dict[int, dict[str, object]], now: float) -> None:
        """Record the decisions round ``round_`` is played with and open the next round; raises
        GameStateError unless ``round_`` is the open round."""

    def played(self) -> list[dict[int, dict[str, object]]]:
        """The decisions of each closed round, in order (seat → decision)."""

    def schedule(self, round_: int, event: dict[str, object]) -> None:
        """Add an event (a scenario event, as a dict) that starts in round ``round_``."""

    def shocks(self) -> list[dict[str, object]]:
        """Every scheduled event, in the order scheduled."""

    def set_locked(self, locked: bool) -> None:
        """Lock (no submissions, no automatic advance) or unlock the game."""
