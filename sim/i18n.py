"""The package's languages: English and Simplified Chinese. Words live in tables of
key → (English, Chinese) beside the code that shows them (the app's in
:mod:`sim.apps.web.i18n`, reports' in :mod:`sim.reporting.words`); this module holds what they
share: the languages, the lookup, checking a language a person typed, and the Chinese names of
the built-in strategies."""

from __future__ import annotations

from typing import Literal, cast

from sim.errors import InputError

Language = Literal["en", "zh"]
LANGUAGES: dict[Language, str] = {"en": "English", "zh": "中文"}
Words = dict[str, tuple[str, str]]  # key → (English, Chinese)

STRATEGIES: dict[str, str] = {  # built-in strategy → Chinese name (docs/model.md, section 8)
    "static": "固定报价（生产观念）",
    "product_centric": "以产品为中心",
    "customer_centric": "以客户为中心",
    "market_oriented": "市场导向",
    "sales_push": "推销观念",
    "competitor_centric": "以竞争者为中心",
}


def translate(table: Words, key: str, language: Language) -> str:
    """The words ``key`` of ``table`` in ``language`` (the key itself if the table lacks it:
    never a blank)."""
    english, chinese = table.get(key, (key, key))
    return chinese if language == "zh" else english


def strategy_name(name: str, language: Language) -> str:
    """A strategy's name as shown: its Chinese name for a built-in one in Chinese, else its own
    (the name scenario files use)."""
    return STRATEGIES.get(name, name) if language == "zh" else name


def allowed_languages() -> str:
    """The languages as a person is told them: 'en (English) or zh (中文)'."""
    return " or ".join(f"{code} ({name})" for code, name in LANGUAGES.items())


def check_language(value: str, where: str = "lang") -> Language:
    """``value`` as a Language, or an InputError naming ``where`` and the allowed values."""
    if value not in LANGUAGES:
        raise InputError(f"{where}: {value!r} is not a language; use {allowed_languages()}")
    return cast(Language, value)
