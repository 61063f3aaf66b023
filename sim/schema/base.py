"""The base of every scenario section, and the scenario's own documentation (its Info tab)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Base for all scenario sections: unknown keys are errors; assignments are validated;
    types are exact (pydantic's strict mode): a number is never read from a bool (``true``)
    or from text (``"2000"``), an integer is never read from a float (``12.0``); an integer
    is a valid float (TOML writes ``rate = 0``), and a table (dict) a valid section."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False, strict=True)


class InfoText(Strict):
    """The scenario's documentation in one language, in the spirit of NetLogo's Info tab."""

    title: str = ""
    what_is_it: str = ""
    how_it_works: str = ""
    how_to_use_it: str = ""
    things_to_notice: str = ""
    things_to_try: str = ""
    extending_the_model: str = ""


LANGUAGES = ("en", "zh")  # [info] (English) and [info.zh] (简体中文): sim.i18n.LANGUAGES, kept here
# because the schema imports nothing of sim (a test checks the two agree)


class Info(InfoText):
    """The scenario's own documentation: English, with its Chinese (简体中文) text in ``zh``."""

    zh: InfoText = InfoText()

    def text(self, lang: str = "en") -> InfoText:
        """The documentation in ``lang`` (one of :data:`LANGUAGES`)."""
        return self.zh if lang == "zh" else self


MONTH_DAYS = 365.25 / 12  # days in one period when periods are months (the default reading)
INFO_SECTIONS = tuple(name for name in InfoText.model_fields if name != "title")
