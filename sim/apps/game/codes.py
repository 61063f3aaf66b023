"""Secrets of a game: join codes, the instructor key, and a limit on wrong guesses.

Codes are ``secrets.token_urlsafe`` (128 bits: unguessable); the store keeps only their SHA-256,
so a copied database reveals none. A client that sends wrong codes too often is refused for a
while (:class:`Throttle`), so codes cannot be guessed online either.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque

CODE_BYTES = 16  # 128 bits of randomness per code


def new_code() -> str:
    """A fresh join code or instructor key (22 URL-safe characters)."""
    code = secrets.token_urlsafe(CODE_BYTES)
    while code.startswith("-"):  # a leading "-" would read as an option on the command line
        code = secrets.token_urlsafe(CODE_BYTES)
    return code


def code_hash(code: str) -> str:
    """The SHA-256 (hex) under which a code is stored."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


def same_secret(given: str, expected_hash: str) -> bool:
    """Whether ``given`` is the secret stored as ``expected_hash`` (constant time)."""
    return secrets.compare_digest(code_hash(given), expected_hash)


class Throttle:
    """At most ``limit`` wrong codes per client in any ``window`` seconds; a client over it is
    refused until its oldest failure leaves the window."""

    def __init__(self, limit: int = 5, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds the client must wait before trying again (0: it may try now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            failures = self._recent(client, now)
            if len(failures) < self.limit:
                return 0.0
            return failures[0] + self.window - now

    def failed(self, client: str, now: float | None = None) -> None:
        """Count a wrong code from the client."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._recent(client, now).append(now)
