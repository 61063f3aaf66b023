"""Every documented ``crmsim`` command works when typed into bash or zsh (macOS's default shell):
each command line of the Markdown files (README, docs/, course/), the scenarios' Info texts (both
languages) and the notebooks' prose is word-split by each shell, both shells must give the same
arguments, and those must parse (the command line's own parser and ``--set`` reader; no market
runs). zsh refuses an unquoted ``[`` (``--set firms[1].crm=3``: "no matches found"), hence the
quotes: ``--set 'firms[1].crm=3'``."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from sim.apps.cli.parser import build_parser
from sim.scenarios.overrides import parse_override

from conftest import ROOT

PARSER = build_parser()
COMMANDS = sorted(PARSER._subparsers._group_actions[0].choices)  # crmsim's sub-commands


def command_names(parser: argparse.ArgumentParser) -> set[str]:
    """The names of ``parser``'s sub-commands and theirs (``run``, ``game``, ``serve`` …)."""
    names = set()
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in action.choices.items():
            names |= {name} | command_names(sub)
    return names


NAMES = command_names(PARSER)
START = re.compile(rf"(?<![\w-])crmsim ({'|'.join(COMMANDS)})\b")
STOP = set("|;&<>()`#") | {"\n"}  # shell syntax or prose after the command, when not quoted
PLACEHOLDER = re.compile(r"(?<![\w.'/-])[A-Z][A-Z_]*\b(?![.'/])")  # crmsim run NAME --seeds N
SETTING = re.compile(r"(?<![\w-])--set ('[^'\n]*'|\"[^\"\n]*\"|[^\s'\"`，。；）]*=[^\s`，。；）]*)")


def texts() -> list[tuple[str, str]]:
    """(where, text) of every document a reader may copy commands from."""
    found = []
    markdown = [ROOT / "README.md", *ROOT.glob("docs/**/*.md"), *ROOT.glob("course/**/*.md")]
    for path in sorted(markdown):
        found.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    for path in sorted(ROOT.glob("scenarios/*.toml")):
        info = tomllib.loads(path.read_text(encoding="utf-8")).get("info", {})
        for table, where in ((info, "info"), (info.get("zh", {}), "info.zh")):
            for key, text in table.items():
                if isinstance(text, str):
                    found.append((f"{path.relative_to(ROOT)} [{where}].{key}", text))
    for path in sorted(ROOT.glob("notebooks/**/*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        prose = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
        found.append((str(path.relative_to(ROOT)), "\n".join(prose)))
    return found


def command_end(text: str, start: int, in_code: bool) -> int:
    """Where the command starting at ``start`` ends: at the closing backtick of an inline code
    span, or at shell syntax, prose or the end of the line outside quotes."""
    quote = None
    i = start
    while i < len(text):
        char = text[i]
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in STOP or (not in_code and (ord(char) > 0x2E7F or text.startswith("  ", i))):
            break  # a Chinese character or punctuation, or a wide gap, starts the prose
        i += 1
    return i


def commands() -> list[tuple[str, str]]:
    """(where, arguments after ``crmsim``) of every documented command line (continued lines
    joined; templates with placeholders such as ``NAME`` or ``N`` and elided examples left out)."""
    found = []
    for where, text in texts():
        text = text.replace("\\\n", " ")
        for match in START.finditer(text):
            before = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            in_code = before.count("`") % 2 == 1 or text.count("```", 0, match.start()) % 2 == 1
            end = command_end(text, match.end(), in_code)
            line = text[match.start() : end].rstrip(" .,:")
            if not ("…" in line or "..." in line or PLACEHOLDER.search(line)):
                found.append((where, line.removeprefix("crmsim ")))
    return found


def settings() -> list[tuple[str, str]]:
    """(where, ``--set ARG`` as written) of every ``--set`` in the documents, also those given
    alone ("try --set 'x=1'"), each to be typed after a ``crmsim run`` command."""
    return [(where, match.group(0)) for where, text in texts() for match in SETTING.finditer(text)]


def words(shell: str, arguments: str, cwd: Path) -> list[str]:
    """The arguments as ``shell`` splits them (in an empty folder, so no glob can match)."""
    (split,) = split_all(shell, [arguments], cwd)
    assert isinstance(split, list), split
    return split


def split_all(shell: str, lines: list[str], cwd: Path) -> list[list[str] | str]:
    """Each line's arguments as ``shell`` splits them, in one run of the shell (each line in a
    subshell, so that zsh's "no matches found" ends only that line), or the shell's error."""
    script = "".join(
        f"printf '\\2'; (printf '%s\\0' {line}); printf '\\1%s' $?\n" for line in lines
    )
    flags = ["-f"] if shell == "zsh" else ["--norc", "--noprofile"]
    result = subprocess.run(
        [shell, *flags, "-c", script], capture_output=True, text=True, cwd=cwd, check=False
    )
    chunks = [chunk.rpartition("\1") for chunk in result.stdout.split("\2")[1:]]
    complete = len(chunks) == len(lines) and all(sep for _, sep, _ in chunks)
    if len(lines) > 1 and not (complete and all(status == "0" for _, _, status in chunks)):
        return [split_all(shell, [line], cwd)[0] for line in lines]  # find the line that fails
    if not (complete and chunks[0][2] == "0"):
        return [f"{shell} rejects it: {result.stderr.strip()}"]
    return [words.split("\0")[:-1] for words, _, _ in chunks]


def parses(argv: list[str]) -> None:
    """The command line's parser accepts ``argv``, and every ``--set`` is a key=value; a
    sub-command named with no argument or only options ("`crmsim game serve` prints", "see
    `crmsim run --seeds`") is a mention in prose, not a command line."""
    if all(word in NAMES or word.startswith("-") for word in argv):
        return
    try:
        args = PARSER.parse_args(argv)
    except SystemExit as exc:
        raise AssertionError(f"crmsim {' '.join(argv)}: the parser refuses it") from exc
    for assignment in getattr(args, "overrides", None) or []:
        parse_override(assignment)


DOCUMENTED = commands()
SETTINGS = settings()
ZSH = shutil.which("zsh")


def test_the_documents_hold_many_commands_and_settings():
    assert len(DOCUMENTED) > 100 and len(SETTINGS) > 100, (len(DOCUMENTED), len(SETTINGS))
    assert any("--set" in arguments for _, arguments in DOCUMENTED)


def failures_in_both_shells(
    found: list[tuple[str, str]], cwd: Path, check: Callable[[list[str]], None], prefix: str
) -> list[str]:
    """For each (where, line) of ``found``: bash and zsh must both accept the line and split it
    alike, and ``check`` must pass on its words; one message per line that fails."""
    lines = [line for _, line in found]
    in_bash, in_zsh = (split_all(shell, lines, cwd) for shell in ("bash", "zsh"))
    failures = []
    for (where, line), argv, zsh_argv in zip(found, in_bash, in_zsh, strict=True):
        try:
            for split in (argv, zsh_argv):
                assert isinstance(split, list), split
            assert zsh_argv == argv, "bash and zsh split it differently"
            check(argv)
        except (AssertionError, ValueError) as exc:
            failures.append(f"{where}: {prefix}{line}\n    {exc}")
    return failures


def one_setting(argv: list[str]) -> None:
    """``argv`` is ``--set`` and one key=value, its value not ending in prose punctuation."""
    assert argv[0] == "--set" and len(argv) == 2, f"not one argument: {argv}"
    _, value = parse_override(argv[1])
    assert not str(value).endswith((".", ",", ")", ";")), f"punctuation in {argv[1]!r}"


@pytest.mark.skipif(
    ZSH is None, reason="zsh is not installed (.ci/run installs it: apt-get install zsh)"
)
def test_every_documented_command_splits_alike_in_bash_and_zsh_and_parses(tmp_path):
    failures = failures_in_both_shells(DOCUMENTED, tmp_path, parses, "crmsim ")
    assert not failures, f"{len(failures)} documented commands fail:\n" + "\n".join(failures)


@pytest.mark.skipif(
    ZSH is None, reason="zsh is not installed (.ci/run installs it: apt-get install zsh)"
)
def test_every_setting_in_the_scenarios_splits_alike_in_bash_and_zsh(tmp_path):
    failures = failures_in_both_shells(SETTINGS, tmp_path, one_setting, "")
    assert not failures, f"{len(failures)} --set arguments fail:\n" + "\n".join(failures)


def test_an_unquoted_bracket_is_caught(tmp_path):
    """The check can fail: zsh refuses what bash lets through."""
    if ZSH is None:
        pytest.skip("zsh is not installed (.ci/run installs it: apt-get install zsh)")
    assert words("bash", "--set firms[1].strategy.crm=3", tmp_path)[1] == "firms[1].strategy.crm=3"
    (refused,) = split_all("zsh", ["--set firms[1].strategy.crm=3"], tmp_path)
    assert refused == "zsh rejects it: zsh:1: no matches found: firms[1].strategy.crm=3"
