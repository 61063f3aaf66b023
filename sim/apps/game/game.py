"""A game being played: who may do what, submissions, rounds, results.

:class:`Game` joins a store (what is kept) and the live market (what is recomputed): it checks
every code and every decision, records submissions, closes rounds — by the instructor, or by
itself when every team has submitted or the deadline has passed (:meth:`Game.tick`) — and plays
them. A game opened again (a restarted server) replays its stored rounds and stands where it was.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from sim.apps.game.codes import code_hash, new_code, same_secret
from sim.apps.game.decisions import (
    STUDIES_FIELD,
    DecisionError,
    checked,
    from_record,
    initial_decision,
    studies_of,
    to_record,
)
from sim.apps.game.refusals import Listing, phrase
from sim.apps.game.replay import GameMarket, game_spec, replay
from sim.apps.game.research import StudyError, chosen, priced
from sim.apps.game.rules import GameRules
from sim.apps.game.shocks import check_shock
from sim.apps.game.sqlite_store import SqliteStore
from sim.apps.game.store import GameStateError, GameStore, Submission
from sim.apps.web.i18n import Language, text
from sim.strategies import Decision

DATABASE = "game.sqlite"  # the database's name in the game folder
MEASURES = {  # leaderboard measures: FirmBooks field → label
    "cumulative_profit": "cumulative profit ($)",
    "customer_equity": "customer equity ($)",
    "retention_rate": "retention rate",
}
SHOCKS = ("recession", "price_war", "service_outage", "scandal", "homogenisation", "crm_launch")


def measure_label(measure: str, language: Language) -> str:
    """A leaderboard measure's name as shown (:data:`MEASURES` in English, the app's table's
    words in Chinese)."""
    return text(measure, language) if language == "zh" else MEASURES[measure]


def shock_label(kind: str, language: Language) -> str:
    """A shock's name as shown: ``price war``, ``价格战`` (its catalogue name is ``price_war``)."""
    return text(f"shock_{kind}", language)


class Game:
    """One game: its store, its folder, its rules and its market (rebuilt by replay when first
    needed); ``clock`` gives the time in seconds since the epoch."""

    def __init__(
        self, store: GameStore, folder: Path, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.folder = Path(folder)  # where exports and the debrief are written
        self.rules: GameRules = store.rules()
        self.clock = clock
        self._lock = threading.RLock()  # one round is played at a time
        self._market: GameMarket | None = None
        self._played: list[dict[int, dict[str, object]]] = []  # closed rounds never change
        self.views: dict[object, tuple[object, dict[str, object]]] = {}  # by status.py: key, view

    @classmethod
    def create(cls, folder: Path, rules: GameRules) -> tuple[Game, list[str], str]:
        """A new game in ``folder`` (created; it must not hold a game): the game, one join code
        per team and the instructor key. Only their hashes are stored."""
        folder = Path(folder)
        if (folder / DATABASE).exists():
            raise GameStateError(f"{folder} already holds a game; choose a new folder")
        folder.mkdir(parents=True, exist_ok=True)
        codes = [new_code() for _ in range(rules.teams)]
        key = new_code()
        store = SqliteStore(folder / DATABASE)
        store.create(rules, [code_hash(c) for c in codes], code_hash(key), time.time())
        return cls(store, folder), codes, key

    @classmethod
    def open(cls, folder: Path) -> Game:
        """The game in ``folder``, or a GameStateError naming the folder."""
        path = Path(folder) / DATABASE
        if not path.is_file():
            raise GameStateError(
                f"{folder} is not a game folder (no {DATABASE}); see 'crmsim game new'"
            )
        return cls(SqliteStore(path), Path(folder))

    # --- who is asking ------------------------------------------------------------------------

    def seat_for(self, code: str) -> int | None:
        """The team seat of a join code, or None."""
        return self.store.seat_of(code_hash(code)) if code else None

    def is_instructor(self, key: str) -> bool:
        """Whether ``key`` is the instructor key."""
        return bool(key) and same_secret(key, self.store.instructor_key_hash())

    # --- rounds -----------------------------------------------------------------------------

    @property
    def open_round(self) -> int:
        """The round teams decide now (rounds + 1 when the game is over)."""
        return self.store.status().played + 1

    @property
    def over(self) -> bool:
        """All rounds played."""
        return self.open_round > self.rules.rounds

    def played_decision(self, seat: int) -> Decision:
        """The decision the seat played last round (its firm's initial offer before round 1)."""
        played = self.played()
        if played:
            return from_record(played[-1][seat])
        return initial_decision(self.rules.spec.firms[seat])

    def played(self) -> list[dict[int, dict[str, object]]]:
        """The decisions of each closed round (read from the store when a round was closed)."""
        if len(self._played) != self.store.status().played:
            self._played = self.store.played()
        return self._played

    def current_decision(self, seat: int) -> Decision:
        """The seat's decision for the open round: its latest submission, else last round's."""
        latest = self.store.submissions(self.open_round).get(seat)
        return from_record(latest.decision) if latest else self.played_decision(seat)

    def current_studies(self, seat: int) -> list[str]:
        """The studies in the seat's latest submission for the open round (none without one)."""
        latest = self.store.submissions(self.open_round).get(seat)
        return studies_of(latest.decision) if latest else []

    def check(self, seat: int, changes: dict[str, object]) -> tuple[Decision, list[str]]:
        """The seat's decision with ``changes`` applied and the studies bought, or a
        DecisionError: a value out of range, an unknown study, spending over the budget (the
        studies' prices included). Nothing is stored."""
        try:
            studies = chosen(changes.get(STUDIES_FIELD, []))
        except StudyError as exc:
            raise DecisionError(f"decision refused: {exc}") from None
        prices = priced(studies, self.rules.research_prices)
        return checked(changes, self.played_decision(seat), self.rules.budget, prices), studies

    @property
    def id(self) -> str:
        """The game's identity (hex, 12 digits): a hash of its rules, the random seed drawn at
        creation included, so two games never share one; an export carries it (``game``)."""
        return hashlib.sha256(self.rules.model_dump_json().encode()).hexdigest()[:12]

    def submit(
        self, seat: int, changes: dict[str, object], key: str, round_: int | None = None
    ) -> tuple[Decision, bool]:
        """Check (:meth:`check`) and store a team's decision for the open round (or
        ``round_``, which must be open): the decision and whether it was new (False: this key
        was applied before)."""
        if not 0 <= seat < self.rules.teams:
            raise GameStateError(f"no team seat {seat}")
        if self.over:
            raise GameStateError(phrase("game_err_over", rounds=self.rules.rounds))
        decision, studies = self.check(seat, changes)
        target = self.open_round if round_ is None else round_
        submission = Submission(seat, target, to_record(decision, studies), key, self.clock())
        return decision, self.store.submit(submission)

    def submitted(self) -> set[int]:
        """The team seats that have submitted for the open round."""
        return set(self.store.submissions(self.open_round))

    def advance(self, round_: int | None = None) -> int:
        """Close the open round (or ``round_``, if it is the open one) and play it: each team
        plays its latest submission or, without one, last round's decision. Returns the round
        played."""
        with self._lock:
            target = self.open_round if round_ is None else round_
            if target > self.rules.rounds:
                raise GameStateError(phrase("game_err_over", rounds=self.rules.rounds))
            market = self.market()
            sent = self.store.submissions(target)
            decisions = {
                seat: sent[seat].decision if seat in sent else to_record(self.played_decision(seat))
                for seat in range(self.rules.teams)
            }
            self.store.close_round(target, decisions, self.clock())
            market.play(decisions)
            market.firm_metrics()  # the books for the pages, while polls still get the last view
            return target

    def tick(self) -> int | None:
        """Advance by itself when the game is unlocked and every team has submitted or the
        deadline has passed; the round played, or None."""
        status = self.store.status()
        if status.locked or self.over:
            return None
        minutes = self.rules.deadline_minutes
        late = minutes is not None and self.clock() >= status.opened_at + 60 * minutes
        if not late and len(self.submitted()) < self.rules.teams:
            return None
        try:
            return self.advance(status.played + 1)
        except GameStateError:  # another request advanced it first
            return None

    def set_locked(self, locked: bool) -> None:
        """Lock (no submissions, no automatic advance) or unlock the game."""
        self.store.set_locked(locked)

    def schedule_shock(self, kind: str, **params: object) -> dict[str, object]:
        """Schedule an event of the catalogue (docs/scenarios.md) to start with the next round
        to be played; the event as stored."""
        if kind not in SHOCKS:
            raise GameStateError(phrase("game_err_shock_kind", kind=kind, kinds=Listing(SHOCKS)))
        if self.over:
            raise GameStateError(phrase("game_err_no_round_for_shock"))
        with self._lock:
            start = self.rules.round_periods(self.open_round).start
            event = {"kind": kind, "period": start, **params}
            check_shock(event, [firm.name for firm in self.rules.spec.firms])
            try:
                game_spec(self.rules, [*self.store.shocks(), event])
            except ValidationError as exc:  # a rule of the whole market: its first, plainly
                details = exc.errors()[0]["msg"].removeprefix("Value error, ")
                shock = phrase(f"shock_{kind}")
                raise GameStateError(
                    phrase("game_err_bad_shock", shock=shock, details=details)
                ) from None
            self.store.schedule(self.open_round, event)
            self._market = None  # rebuilt, with the shock, by replay
            return event

    # --- the market and its results ---------------------------------------------------------

    def market(self) -> GameMarket:
        """The live market, rebuilt by replay when the game is opened or a shock is added."""
        market = self.market_if_ready(wait=True)
        assert market is not None
        return market

    def market_if_ready(self, wait: bool = False) -> GameMarket | None:
        """The live market; without ``wait``, None while another thread plays a round or
        rebuilds the market (a poll then shows what it showed before, not a stalled page)."""
        market = self._market
        if market is not None and market.round == self.store.status().played:
            return market  # the usual case: no lock, so polls never queue behind each other
        if not self._lock.acquire(blocking=wait):
            return None
        try:
            played = self.store.status().played
            if self._market is None or self._market.round != played:
                self._market = replay(self.rules, self.store.played(), self.store.shocks())
            return self._market
        finally:
            self._lock.release()

    def results(self, seat: int) -> pd.DataFrame:
        """One seat's books, one row per period played."""
        metrics = self.market().firm_metrics()
        return metrics[metrics["seat"] == seat].reset_index(drop=True)

    def leaderboard(self, measure: str = "cumulative_profit") -> pd.DataFrame:
        """Every seat's last value of a measure (:data:`MEASURES`), best first."""
        if measure not in MEASURES:
            raise GameStateError(f"unknown measure {measure!r}; allowed: {', '.join(MEASURES)}")
        metrics = self.market().firm_metrics()
        if metrics.empty:
            return pd.DataFrame(columns=["seat", "firm", measure])
        last = metrics[metrics["period"] == metrics["period"].max()]
        return last[["seat", "firm", measure]].sort_values(measure, ascending=False)
