"""What a person has set up: a scenario (shipped or uploaded), the values they changed and the
seed; and the validated market it makes, through :func:`sim.scenarios.load` (so that every
message is the one ``crmsim validate`` prints for the same file)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim.apps.web.levers import APP_MAX_CUSTOMERS, strategy_levers
from sim.errors import InputError
from sim.scenarios import Scenario, ScenarioError, load

MAX_UPLOAD_BYTES = 1_000_000  # a scenario file is a few kB; anything this large is not one


@dataclass(frozen=True)
class Upload:
    """A scenario file a person uploaded: its name and text, kept in memory."""

    name: str  # the file's name as uploaded, e.g. "my_market.toml"
    text: str


@dataclass(frozen=True)
class Setup:
    """One market as set up in the app: scenario, changed values (key path → value, applied in
    order, as ``--set`` does) and seed."""

    scenario: str = "flagship"  # a shipped scenario's name or a path to a .toml file
    upload: Upload | None = None  # replaces ``scenario`` when given
    settings: dict[str, Any] = field(default_factory=dict)
    seed: int = 0

    def with_value(self, key: str, value: Any) -> Setup:
        """This set-up with one value changed (moved to the end, so applied last)."""
        settings = {k: v for k, v in self.settings.items() if k != key}
        return replace(self, settings={**settings, key: value})

    def with_strategy(self, firm: int, name: str) -> Setup:
        """This set-up with firm ``firm`` following strategy ``name`` at its default levers."""
        prefix = f"firms[{firm}].strategy"
        kept = {k: v for k, v in self.settings.items() if not k.startswith(prefix)}
        return replace(self, settings={**kept, prefix: {"name": name}})

    def with_seed(self, seed: int) -> Setup:
        """This set-up with another seed."""
        return replace(self, seed=seed)

    def with_source(self, scenario: str = "flagship", upload: Upload | None = None) -> Setup:
        """A fresh set-up of another scenario (changed values are dropped, the seed is kept)."""
        return Setup(scenario=scenario, upload=upload, seed=self.seed)

    @property
    def source_name(self) -> str:
        """The scenario's name as the person knows it (file name of an upload)."""
        return self.upload.name if self.upload else self.scenario


def read_upload(name: str, data: bytes) -> Upload:
    """An uploaded file as an :class:`Upload`, or a ScenarioError (too large, not UTF-8 text)."""
    shown = Path(name).name or "upload.toml"
    if len(data) > MAX_UPLOAD_BYTES:
        raise ScenarioError(
            f"{shown}: {len(data):,} bytes is too large for a scenario file (at most "
            f"{MAX_UPLOAD_BYTES:,}); a scenario is a TOML text of a few kB"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{shown}: not a text file in UTF-8 (byte 0x{data[exc.start]:02x} at position "
            f"{exc.start}); a scenario file is TOML text, saved as UTF-8"
        ) from None
    return Upload(shown if shown.endswith(".toml") else f"{shown}.toml", text)


def build(setup: Setup) -> Scenario:
    """The validated market of a set-up, or an InputError whose message is the one
    ``crmsim validate`` prints for the same file (an upload is named by its file name); a valid
    market larger than the app runs live is refused too, and so is a strategy lever that would
    make a decision out of its range at the first period (the run would stop there)."""
    if setup.upload is None:
        loaded = load(setup.scenario, settings=setup.settings)
    else:
        with tempfile.TemporaryDirectory(prefix="crmsim-upload-") as folder:
            path = Path(folder) / setup.upload.name
            path.write_text(setup.upload.text, encoding="utf-8")
            try:
                loaded = replace(load(path, settings=setup.settings), path=None)
            except InputError as exc:
                raise type(exc)(str(exc).replace(str(path), setup.upload.name)) from None
    count = loaded.spec.customers.count
    if count > APP_MAX_CUSTOMERS:
        raise ScenarioError(
            f"{setup.source_name}: customers.count = {count:,} is more than the app runs live; "
            f"use a whole number from 10 to {APP_MAX_CUSTOMERS:,} (larger markets: crmsim run)"
        )
    for index, firm in enumerate(loaded.spec.firms):
        for lever in strategy_levers(index, firm):
            found = lever.problem(lever.value)
            if found is not None:
                raise ScenarioError(f"{setup.source_name}: {found}")
    return loaded
