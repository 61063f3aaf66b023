"""Finding a strategy by name: built-in short names, and import paths for everything else.

A scenario names a strategy by a registered short name (``customer_centric``) or by import path
(``package.module:Class``). Only import paths survive a process boundary (a spawned worker, a
Dask worker): :func:`portable_name` turns a registered name into its class's import path before
a run leaves this process, and refuses a class that other processes cannot import.
"""

from __future__ import annotations

import importlib

from pydantic import ValidationError

from sim.strategies.base import Strategy, StrategyError, StrategyParams

_REGISTERED: dict[str, type[Strategy]] = {}  # short name → class, in this process only


def import_path(cls: type[Strategy]) -> str:
    """``"package.module:Class"`` of a strategy class."""
    return f"{cls.__module__}:{cls.__qualname__}"


def register[S: type[Strategy]](cls: S) -> S:
    """Class decorator: make a strategy available by its ``name`` in this process.

    Runs in other processes (``--workers``, Dask) find it by its import path, so the class must
    live in an importable module, not in a notebook or the script being run.
    """
    _REGISTERED[cls.name] = cls
    return cls


def registered() -> list[str]:
    """Short names of the registered strategies, built-ins first, in registration order."""
    return list(_REGISTERED)


def _import(path: str) -> type[Strategy]:
    module_name, _, attr = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise StrategyError(
            f"cannot import strategy {path!r}: {exc}. Python looks for modules on its path: put "
            "the file beside your script (or study), or add its folder to PYTHONPATH"
        ) from None
    except ImportError as exc:
        raise StrategyError(f"cannot import strategy {path!r}: {exc}") from None
    except Exception as exc:  # the module itself fails: a syntax error, an error at import time
        where = f" ({exc.filename}, line {exc.lineno})" if isinstance(exc, SyntaxError) else ""
        raise StrategyError(
            f"cannot import strategy {path!r}: importing module {module_name!r} raised "
            f"{type(exc).__name__}: {exc.msg if isinstance(exc, SyntaxError) else exc}{where}"
        ) from None
    obj: object = module
    try:
        for part in attr.split("."):
            obj = getattr(obj, part)
    except AttributeError as exc:
        found = sorted(
            name
            for name, value in vars(module).items()
            if isinstance(value, type) and issubclass(value, Strategy) and value is not Strategy
        )
        listed = f"; its strategies: {', '.join(found)}" if found else "; it defines no strategy"
        raise StrategyError(f"cannot import strategy {path!r}: {exc}{listed}") from None
    if not (isinstance(obj, type) and issubclass(obj, Strategy)):
        raise StrategyError(f"{path!r} is not a subclass of sim.strategies.Strategy")
    return obj


def strategy_class(name: str) -> type[Strategy]:
    """The strategy registered as ``name``, or imported from ``"package.module:Class"``."""
    if name in _REGISTERED:
        return _REGISTERED[name]
    if ":" in name:
        return _import(name)
    allowed = ", ".join(sorted(_REGISTERED))
    raise StrategyError(f"unknown strategy {name!r}; allowed: {allowed}, or 'package.module:Class'")


def portable_name(name: str) -> str:
    """The name under which another process finds the strategy: built-in short names stay,
    other registered names become import paths. Refuses classes defined in ``__main__`` (a
    script or notebook) or inside a function, which no other process can import."""
    cls = strategy_class(name)
    if name in _REGISTERED and cls.__module__ == "sim.strategies.builtin":
        return name
    path = import_path(cls)
    if cls.__module__ == "__main__" or "<locals>" in cls.__qualname__:
        raise StrategyError(
            f"strategy {name!r} ({path}) is defined in a script, notebook or function, which "
            "worker processes cannot import. Move the class to a module (for example "
            "my_policy.py beside your script) and name it by import path "
            "('my_policy:ClassName'), or run it in this process with "
            "sim.experiments.replicate()."
        )
    return path


def resolve_params(name: str, params: dict[str, object]) -> StrategyParams:
    """Validate ``params`` against the named strategy's schema."""
    cls = strategy_class(name)
    try:
        return cls.Params.model_validate(params)
    except ValidationError as exc:
        allowed = ", ".join(cls.Params.model_fields) or "none"
        details = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: "
            + ("unknown parameter" if e["type"] == "extra_forbidden" else e["msg"])
            for e in exc.errors()
        )
        raise StrategyError(
            f"bad parameters for strategy {name!r}: {details} (parameters: {allowed})"
        ) from None


def build_strategy(name: str, params: dict[str, object]) -> Strategy:
    """An instance of the named strategy with validated parameters."""
    return strategy_class(name)(resolve_params(name, params))
