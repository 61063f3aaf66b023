"""Refusals a page shows in its own language.

A refusal (a decision out of range or over budget, a locked game, a closed round …) carries its
words as a :class:`Phrase`: a key of the app's table (:mod:`sim.apps.web.game_words`) and the
values to fill in, which may be phrases themselves. Its ``str`` is the English, as the command
line and the JSON endpoints give it; a page asks :func:`told` for the words in its language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sim.apps.web.i18n import Language, text
from sim.errors import InputError


@dataclass(frozen=True)
class Phrase:
    """The words ``key`` with ``values`` filled in (a value that is a Phrase or a
    :class:`Listing` is put in the same language)."""

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def __call__(self, language: Language) -> str:
        return text(self.key, language).format(
            **{
                name: value(language) if isinstance(value, Phrase | Listing) else value
                for name, value in self.values.items()
            }
        )


@dataclass(frozen=True)
class Listing:
    """Phrases (or names, as written) in a row: ``advertising 2 + crm 1.5``; a list's ", " is
    "、" in Chinese."""

    parts: tuple[Phrase | str, ...]
    joiner: str = ", "

    def __call__(self, language: Language) -> str:
        joiner = "、" if language == "zh" and self.joiner == ", " else self.joiner
        return joiner.join(p(language) if isinstance(p, Phrase) else p for p in self.parts)


def phrase(key: str, **values: object) -> Phrase:
    """``Phrase(key, values)``: ``phrase("game_err_over", rounds=8)``."""
    return Phrase(key, values)


def listing(keys: Sequence[str], joiner: str = ", ") -> Listing:
    """The table words of each key, in a row (field names, study names …)."""
    return Listing(tuple(phrase(key) for key in keys), joiner)


class RefusalError(InputError):
    """An InputError whose message is a :class:`Phrase` (or, for one only a script can meet,
    plain English)."""

    def __init__(self, message: str | Phrase) -> None:
        self.phrase = message if isinstance(message, Phrase) else None
        super().__init__(message("en") if isinstance(message, Phrase) else message)


def told(error: Exception, language: Language) -> str:
    """What a page says of ``error``: its phrase in ``language``, else its own message."""
    said = getattr(error, "phrase", None)
    return said(language) if isinstance(said, Phrase) else str(error)
