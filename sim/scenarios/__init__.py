"""Scenario files: the shipped ones (packaged from the repository's ``scenarios/`` folder) and
your own; ``extends``, ``--set`` overrides, validation and the fingerprint of a market."""

from sim.scenarios.checks import warnings_for
from sim.scenarios.loader import (
    Scenario,
    available,
    load,
    locate,
    looks_like_path,
    merge,
    read_document,
    shipped_dir,
    spec_hash,
    validate,
)
from sim.scenarios.overrides import (
    ScenarioError,
    format_path,
    parse_key,
    parse_override,
    parse_value,
    set_value,
)

__all__ = [
    "Scenario",
    "ScenarioError",
    "available",
    "format_path",
    "load",
    "locate",
    "looks_like_path",
    "merge",
    "parse_key",
    "parse_override",
    "parse_value",
    "read_document",
    "set_value",
    "shipped_dir",
    "spec_hash",
    "validate",
    "warnings_for",
]
