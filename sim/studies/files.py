"""Reading a study file: TOML, validated (exact types, unknown keys refused), then checked
against its scenario (firms, keys, strategies, events) before anything runs. Every problem is
a :class:`StudyError` naming the file, the key and what is allowed."""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.errors import InputError
from sim.scenarios import Scenario, ScenarioError, format_path, load, looks_like_path
from sim.scenarios.loader import error_line
from sim.strategies import BUILTIN, StrategyError, portable_name, resolve_params, strategy_class
from sim.studies.spec import Study


class StudyError(InputError):
    """A study file that is missing, unreadable or invalid (the message is user-facing)."""


@dataclass(frozen=True)
class LoadedStudy:
    """A validated study with what its runs need: the scenario, the policy's portable name
    (an import path for a policy of your own) and its file, if it was named by file."""

    path: Path
    study: Study
    scenario: str  # shipped name or resolved path of the base scenario
    base: Scenario  # the base scenario with the study's ``set`` overrides
    policy: str  # the policy's strategy name as workers find it
    policy_file: Path | None  # the policy's own .py file, if it was named by file
    firm: int  # index of the policy's firm

    @property
    def hash(self) -> str:
        """sha256 (16 hex digits) of the study, its base scenario and the policy file's text."""
        source = self.policy_file.read_bytes() if self.policy_file else b""
        text = json.dumps(self.study.model_dump(mode="json"), sort_keys=True) + self.base.hash
        return hashlib.sha256(text.encode() + source).hexdigest()[:16]

    def strategy_setting(self, name: str, params: dict[str, Any] | None = None) -> dict:
        """The ``--set`` value that makes the policy's firm follow strategy ``name``."""
        return {f"firms[{self.firm}].strategy": {"name": name, **(params or {})}}

    def policy_setting(self, levers: dict[str, Any] | None = None) -> dict:
        """The setting that puts the policy (with ``levers`` over its parameters) in place."""
        return self.strategy_setting(self.policy, self.study.policy.params | dict(levers or {}))

    def strategy_names(self) -> list[str]:
        """Every strategy the study's runs may use: the scenario's, the policy, the rivals' and
        the benchmarks (for :func:`sim.experiments.executors.strategy_files`)."""
        study = self.study
        names = [f.strategy.name for f in self.base.spec.firms] + [self.policy]
        names += [s for rival in study.rivals for s in rival.strategies] + self.benchmarks()
        against = study.breakeven.against if study.breakeven else None
        return names + list(against or [])

    def benchmarks(self) -> list[str]:
        """The built-in strategies the policy is compared with."""
        chosen = self.study.stress.benchmarks
        return list(chosen) if chosen is not None else [s for s in BUILTIN if s != self.policy]

    def event_setting(self, shock: int, period: int) -> dict:
        """The setting that adds shock ``shock`` at ``period`` to the scenario's events."""
        events = json.loads(self.base.text).get("events", [])
        return {"events": [*events, self.study.shocks[shock].event | {"period": period}]}


def read_study(path: Path) -> Study:
    """The study file's document, validated by the schema."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise StudyError(f"{path}: cannot read the study file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise StudyError(f"{path}: not a text file in UTF-8; a study file is TOML text") from None
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(f"{path}: not valid TOML: {exc}") from None
    try:
        return Study.model_validate(document)
    except ValidationError as exc:
        lines = [
            error_line(format_path(e["loc"]) or "(top level)", e, Study, "docs/stress-testing.md")
            for e in exc.errors()
        ]
        raise StudyError(f"{path}: invalid study:\n" + "\n".join(lines)) from None


def policy_name(strategy: str, folder: Path) -> tuple[str, Path | None]:
    """A policy named ``file.py:Class`` (beside the study) becomes ``file:Class`` with the file's
    folder on ``sys.path``; other names stay. Returns (name, the policy's file or None)."""
    module, sep, cls = strategy.partition(":")
    if not (sep and module.endswith(".py")):
        return strategy, None
    file = (folder / module).resolve()
    if not file.is_file():
        raise StrategyError(f"no such policy file: {file}")
    if str(file.parent) not in sys.path:
        sys.path.insert(0, str(file.parent))
    return f"{file.stem}:{cls}", file


def load_study(name: str | Path) -> LoadedStudy:
    """Read and check a study file; a StudyError lists what is wrong, key by key."""
    path = Path(name).expanduser()
    if not path.is_file():
        what = "a folder, not a study file" if path.is_dir() else "no such study file"
        raise StudyError(f"{name}: {what} (a .toml file; see docs/stress-testing.md)")
    study = read_study(path)
    where = f"{path}: invalid study:\n"
    scenario = study.scenario
    if looks_like_path(scenario):
        scenario = str((path.parent / scenario).resolve())
    try:
        base = load(scenario, study.set)
    except ScenarioError as exc:
        raise StudyError(f"{where}  scenario / set: {exc}") from None
    check_retention_window(study, base, where)
    firms = [f.name for f in base.spec.firms]

    def firm_index(firm: str, key: str) -> int:
        if firm not in firms:
            raise StudyError(f"{where}  {key}: no firm {firm!r} (firms: {', '.join(firms)})")
        return firms.index(firm)

    index = firm_index(study.policy.firm, "policy.firm")
    try:
        policy, file = policy_name(study.policy.strategy, path.parent)
        policy = portable_name(policy)
        resolve_params(policy, study.policy.params)
    except StrategyError as exc:
        raise StudyError(f"{where}  policy.strategy: {exc}") from None
    loaded = LoadedStudy(path, study, scenario, base, policy, file, index)
    check_against_scenario(loaded, where, firm_index)
    return loaded


def check_retention_window(study: Study, base: Scenario, where: str) -> None:
    """Refuse a retention outcome the runs cannot measure: retention by cohort is known only
    after experience.lapse_periods periods (docs/model.md, S11)."""
    periods = study.periods or base.spec.periods
    lapse = base.spec.experience.lapse_periods
    for i, outcome in enumerate(study.outcomes):
        if "retention" in outcome and periods <= lapse:
            raise StudyError(
                f"{where}  outcomes[{i}]: {outcome} needs more than {lapse} periods "
                f"(experience.lapse_periods): retention by cohort is known from period "
                f"{lapse + 1} on, and the study runs {periods}; raise periods or lower "
                "experience.lapse_periods in set"
            )


def check_against_scenario(loaded: LoadedStudy, where: str, firm_index: Any) -> None:
    """Refuse what the schema cannot see: unknown keys, firms, strategies, levers, events."""
    study = loaded.study
    fields = strategy_class(loaded.policy).Params.model_fields
    for i, lever in enumerate(study.levers):
        if lever.param not in fields:
            allowed = ", ".join(fields) or "none"
            raise StudyError(
                f"{where}  levers[{i}].param: {lever.param!r} is not a parameter of the policy's "
                f"strategy (parameters: {allowed})"
            )
    trials: list[tuple[str, dict[str, Any]]] = []
    own = f"firms[{loaded.firm}].strategy"
    for i, u in enumerate(study.uncertainties):  # set after the policy, as the runs do
        if u.key.replace(" ", "").startswith(own):
            raise StudyError(
                f"{where}  uncertainties[{i}].key: {u.key} is a parameter of the policy (every "
                "benchmark would get it too); make it a lever ([[levers]] param = ...)"
            )
        policy = loaded.policy_setting()
        trials += [(f"uncertainties[{i}]", policy | {u.key: v}) for v in u.extremes()]
    for i, rival in enumerate(study.rivals):
        j = firm_index(rival.firm, f"rivals[{i}].firm")
        trials += [
            (f"rivals[{i}]", {f"firms[{j}].strategy": {"name": s}}) for s in rival.strategies
        ]
    for i, shock in enumerate(study.shocks):
        trials += [(f"shocks[{i}]", loaded.event_setting(i, p)) for p in shock.periods]
    trials += [
        (f"stress.benchmarks ({s})", loaded.strategy_setting(s)) for s in loaded.benchmarks()
    ]
    breakeven = study.breakeven
    for s in (breakeven.against or []) if breakeven else []:
        trials.append((f"breakeven.against ({s})", loaded.strategy_setting(s)))
    if study.levers:
        low = {lever.param: lever.low for lever in study.levers}
        trials.append(("levers", loaded.policy_setting(low)))
    for key, settings in trials:
        try:
            load(loaded.scenario, study.set, settings)
        except ScenarioError as exc:
            raise StudyError(f"{where}  {key}: {exc}") from None
