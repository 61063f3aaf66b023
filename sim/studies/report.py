"""A study command's report: its figures and tables between a description of the study and
its manifest, rendered to ``report.md`` and one self-contained ``report.html``
(:mod:`sim.reporting.render`)."""

from __future__ import annotations

import json
from pathlib import Path

from matplotlib.figure import Figure

from sim.reporting import save_figure
from sim.reporting.render import Block, render_html, render_markdown
from sim.studies.runner import StudyRun


def figure(run: StudyRun, fig: Figure, name: str, caption: str) -> Block:
    """Save ``fig`` as ``name`` in the study folder; the report block showing it."""
    return Block("figure", save_figure(fig, run.out / name), caption)


# The parts of a study file each command varies (the rest it leaves as the scenario has them)
USED_BY = {
    "uncertainties": ("stress", "sensitivity", "discover"),
    "rivals": ("stress",),
    "shocks": ("stress",),
    "levers": ("tune",),
}


def unused(run: StudyRun) -> str:
    """The parts of the study file this command does not vary, and the commands that do (empty
    when it uses every part the file has)."""
    study = run.loaded.study
    parts = [
        f"{part} ({len(getattr(study, part))}; used by "
        + ", ".join(f"`crmsim {command}`" for command in commands)
        + ")"
        for part, commands in USED_BY.items()
        if getattr(study, part) and run.kind not in commands
    ]
    return f"- not used by `crmsim {run.kind}`: {', '.join(parts)}" if parts else ""


def describe(run: StudyRun) -> str:
    """What the study varies and over how many seeds, in a few lines: only the parts of the study
    file this command uses, and a line naming those it leaves alone."""
    study = run.loaded.study
    uses = {part: run.kind in commands for part, commands in USED_BY.items()}
    lines = [
        f"- policy: `{study.policy.strategy}` for firm {study.policy.firm} "
        f"(runs as `{run.loaded.policy}`)",
        f"- scenario: `{study.scenario}` (hash {run.loaded.base.hash}), set: "
        + (", ".join(f"`{s}`" for s in study.set) or "nothing"),
        f"- seeds: {study.seeds} from {study.first_seed}; outcomes: {', '.join(study.outcomes)}",
    ]
    if uses["uncertainties"]:
        lines += [f"- uncertainty `{u.key}`: {u.describe()}" for u in study.uncertainties]
    if uses["rivals"]:
        lines += [f"- rival {r.firm}: {', '.join(r.strategies)}" for r in study.rivals]
    if uses["shocks"]:
        lines += [f"- shock {s.label}: {json.dumps(s.event)} at {s.periods}" for s in study.shocks]
    if uses["levers"]:
        lines += [f"- lever `{lever.param}`: {lever.low} to {lever.high}" for lever in study.levers]
    return "\n".join([*lines, unused(run)]).rstrip("\n")


def write_report(run: StudyRun, title: str, blocks: list[Block]) -> Path:
    """Write report.md and report.html of the study folder; return report.html."""
    heading = run.loaded.study.title or run.loaded.path.stem
    manifest = json.loads((run.out / "study.json").read_text(encoding="utf-8"))
    all_blocks = [
        Block("heading", f"{heading}: {title}"),
        Block("text", describe(run) + f"\n\nRuns on: {run.where.label}."),
        *blocks,
        Block("heading", "Manifest (study.json)"),
        Block("code", json.dumps(manifest, indent=2)),
    ]
    render_markdown(all_blocks, run.out)
    return render_html(all_blocks, run.out)
