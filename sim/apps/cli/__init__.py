"""The ``crmsim`` command line: list, show, validate, run, compare and sweep scenarios; report;
calibrate a customer segment from transaction data; serve the browser app; study a policy
(stress, sensitivity, discover, breakeven, tune); run a classroom game; build the course's slides
and handouts, a grade sheet; copy the notebooks for a student.

Exit codes: 0 success, 1 the system refused (a full disk, a read-only folder: the message names
the file), 2 bad input (a scenario file, flag, strategy or transaction file: any
:class:`sim.errors.InputError`), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 141 the
output's reader stopped reading (a pipe into ``head``: quietly, as a shell tool ends on SIGPIPE).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import sys
import threading
from collections.abc import Callable

from sim.apps.cli.commands import (
    BAD_INPUT,
    cmd_app,
    cmd_calibrate,
    cmd_compare,
    cmd_list,
    cmd_report,
    cmd_run,
    cmd_show,
    cmd_sweep,
    cmd_validate,
)
from sim.apps.cli.course import cmd_course, cmd_notebooks
from sim.apps.cli.game import cmd_game
from sim.apps.cli.parser import parse
from sim.apps.cli.studies import cmd_breakeven, cmd_discover, cmd_sensitivity, cmd_stress, cmd_tune
from sim.errors import InputError

INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
TERMINATED = 143  # 128 + SIGTERM
CLOSED_PIPE = 141  # 128 + SIGPIPE
SYSTEM_FAILED = 1  # the machine refused: a full disk, a read-only folder, …

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": cmd_list,
    "show": cmd_show,
    "validate": cmd_validate,
    "run": cmd_run,
    "compare": cmd_compare,
    "sweep": cmd_sweep,
    "report": cmd_report,
    "calibrate": cmd_calibrate,
    "app": cmd_app,
    "game": cmd_game,
    "course": cmd_course,
    "notebooks": cmd_notebooks,
    "stress": cmd_stress,
    "sensitivity": cmd_sensitivity,
    "discover": cmd_discover,
    "breakeven": cmd_breakeven,
    "tune": cmd_tune,
}


RUNS_RESULTS = {"run", "compare", "sweep", "stress", "sensitivity", "discover", "breakeven", "tune"}


def system_problem(exc: OSError, command: str) -> str:
    """One paragraph on an operating-system error: the file, the cause in words, what to do (and,
    for a command that saves runs as they finish, that those are kept)."""
    causes = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "the operation is not permitted (permissions, or an immutable folder)",
        errno.ENAMETOOLONG: "the name is too long for the file system (255 bytes a name)",
    }
    cause = causes.get(exc.errno or 0, exc.strerror or str(exc))
    where = f"{exc.filename}: " if exc.filename else ""
    saved = (
        " Finished runs are saved: once that is put right, run the same command again to resume."
        if command in RUNS_RESULTS
        else ""
    )
    code = errno.errorcode.get(exc.errno or 0, "")
    return f"{where}{cause}{f' ({code})' if code else ''}.{saved}"


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill PID``, a job scheduler's stop): handled like Ctrl-C."""


def terminate(signum: int, frame: object) -> None:
    """SIGTERM handler: stop the command as Ctrl-C does."""
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``crmsim`` command."""
    args = parse(argv)
    main_thread = threading.current_thread() is threading.main_thread()
    on_term = signal.signal(signal.SIGTERM, terminate) if main_thread else None
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"crmsim {args.command}: {exc}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt as stop:
        what = "terminated" if isinstance(stop, Terminated) else "interrupted"
        print(
            f"\n{what}: finished runs are saved; run the same command again to resume.",
            file=sys.stderr,
        )
        return TERMINATED if isinstance(stop, Terminated) else INTERRUPTED
    except BrokenPipeError:  # the reader of our output stopped early (crmsim show … | head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit's flush
        return CLOSED_PIPE
    except OSError as exc:  # the machine, not the input: a full disk, a read-only folder …
        print(f"crmsim {args.command}: {system_problem(exc, args.command)}", file=sys.stderr)
        return SYSTEM_FAILED
    except json.JSONDecodeError as exc:
        print(f"crmsim {args.command}: {exc}", file=sys.stderr)
        return SYSTEM_FAILED
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, on_term)
