"""The default game store: one embedded SQLite file (stdlib ``sqlite3``) in the game's folder.

Write-ahead logging lets pages read while a submission writes; each write is one ``BEGIN
IMMEDIATE`` transaction, so two submissions at once are serialised and neither is lost, and a
server killed mid-write leaves the last committed state. Each thread has its own connection, so
any thread may call any method.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sim.apps.game.refusals import phrase
from sim.apps.game.rules import GameRules
from sim.apps.game.store import GameStateError, Status, Submission

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE seats (seat INTEGER PRIMARY KEY, code_hash TEXT NOT NULL UNIQUE);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seat INTEGER NOT NULL, round INTEGER NOT NULL, decision TEXT NOT NULL,
    key TEXT NOT NULL, at REAL NOT NULL, UNIQUE (seat, key));
CREATE TABLE rounds (
    round INTEGER NOT NULL, seat INTEGER NOT NULL, decision TEXT NOT NULL,
    PRIMARY KEY (round, seat));
CREATE TABLE shocks (id INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL);
"""
BUSY_SECONDS = 10.0  # how long a write waits for another one to finish


class SqliteStore:
    """A :class:`~sim.apps.game.store.GameStore` in the SQLite file ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()  # one connection per thread, opened on first use

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
            db.execute("PRAGMA synchronous=NORMAL")  # WAL: safe when the server is killed
            self._local.db = db
        if not write:
            yield db
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _meta(self, db: sqlite3.Connection, key: str) -> str:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise GameStateError(f"{self.path} holds no game (run 'crmsim game new' first)")
        return row[0]

    def _set(self, db: sqlite3.Connection, **values: object) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [(k, json.dumps(v)) for k, v in values.items()],
        )

    def create(self, rules: GameRules, code_hashes: list[str], key_hash: str, now: float) -> None:
        if self.path.exists():
            raise GameStateError(f"{self.path} already exists; choose a new game folder")
        with closing(sqlite3.connect(self.path, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript("BEGIN IMMEDIATE;" + SCHEMA)  # the transaction stays open
            db.executemany(
                "INSERT INTO seats (seat, code_hash) VALUES (?, ?)", enumerate(code_hashes)
            )
            db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("rules", rules.model_dump_json()),
                    ("key_hash", json.dumps(key_hash)),
                    ("played", "0"),
                    ("opened_at", json.dumps(now)),
                    ("locked", "false"),
                ],
            )
            db.execute("COMMIT")

    def rules(self) -> GameRules:
        with self._connect() as db:
            return GameRules.model_validate_json(self._meta(db, "rules"))

    def seat_of(self, code_hash: str) -> int | None:
        with self._connect() as db:
            row = db.execute("SELECT seat FROM seats WHERE code_hash = ?", (code_hash,)).fetchone()
        return None if row is None else row[0]

    def instructor_key_hash(self) -> str:
        with self._connect() as db:
            return json.loads(self._meta(db, "key_hash"))

    def status(self) -> Status:
        with self._connect() as db:
            return self._status(db)

    def _status(self, db: sqlite3.Connection) -> Status:
        rows = dict(
            db.execute(  # one statement: one consistent snapshot
                "SELECT key, value FROM meta WHERE key IN ('played', 'opened_at', 'locked')"
            ).fetchall()
        )
        if len(rows) < 3:
            self._meta(db, "played")  # no game here: say so
        return Status(
            played=json.loads(rows["played"]),
            opened_at=json.loads(rows["opened_at"]),
            locked=json.loads(rows["locked"]),
        )

    def submit(self, submission: Submission) -> bool:
        with self._connect(write=True) as db:
            seen = db.execute(
                "SELECT round, decision FROM submissions WHERE seat = ? AND key = ?",
                (submission.seat, submission.key),
            ).fetchone()
            if seen:
                if (seen[0], json.loads(seen[1])) != (submission.round, submission.decision):
                    raise GameStateError(phrase("game_err_key_used", round=seen[0]))
                return False
            status = self._status(db)
            open_round = status.played + 1
            if status.locked:
                raise GameStateError(phrase("game_err_locked"))
            if submission.round != open_round:
                raise GameStateError(
                    phrase("game_err_not_open", round=submission.round, open=open_round)
                )
            db.execute(
                "INSERT INTO submissions (seat, round, decision, key, at) VALUES (?, ?, ?, ?, ?)",
                (
                    submission.seat,
                    submission.round,
                    json.dumps(submission.decision),
                    submission.key,
                    submission.at,
                ),
            )
            return True

    def submissions(self, round_: int) -> dict[int, Submission]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT seat, decision, key, at FROM submissions WHERE round = ? ORDER BY id",
                (round_,),
            ).fetchall()
        return {
            seat: Submission(seat, round_, json.loads(decision), key, at)
            for seat, decision, key, at in rows  # later rows replace earlier ones
        }

    def close_round(self, round_: int, decisions: dict[int, dict[str, object]], now: float) -> None:
        with self._connect(write=True) as db:
            played = self._status(db).played
            if round_ != played + 1:
                raise GameStateError(phrase("game_err_closed", round=round_, played=played))
            db.executemany(
                "INSERT INTO rounds (round, seat, decision) VALUES (?, ?, ?)",
                [(round_, seat, json.dumps(d)) for seat, d in sorted(decisions.items())],
            )
            self._set(db, played=round_, opened_at=now)

    def played(self) -> list[dict[int, dict[str, object]]]:
        with self._connect() as db:
            rows = db.execute("SELECT round, seat, decision FROM rounds ORDER BY round, seat")
            rounds: dict[int, dict[int, dict[str, object]]] = {}
            for round_, seat, decision in rows:
                rounds.setdefault(round_, {})[seat] = json.loads(decision)
        return [rounds[r] for r in sorted(rounds)]

    def schedule(self, round_: int, event: dict[str, object]) -> None:
        with self._connect(write=True) as db:
            played = self._status(db).played
            if round_ <= played:
                raise GameStateError(phrase("game_err_shock_late", round=round_))
            db.execute("INSERT INTO shocks (event) VALUES (?)", (json.dumps(event),))

    def shocks(self) -> list[dict[str, object]]:
        with self._connect() as db:
            rows = db.execute("SELECT event FROM shocks ORDER BY id").fetchall()
        return [json.loads(event) for (event,) in rows]

    def set_locked(self, locked: bool) -> None:
        with self._connect(write=True) as db:
            self._status(db)  # a game must exist
            self._set(db, locked=locked)
