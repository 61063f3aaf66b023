"""``crmsim course build|grades`` (the course's slides and handouts; a grade sheet from a game's
export) and ``crmsim notebooks DIR`` (a student's copy of the notebooks)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.apps.cli.arguments import output_folder
from sim.errors import InputError

LANG_CHOICES = ("en", "zh", "all")
EXAMPLES = {
    "course": """examples:
  crmsim course build                           # every session, every language, into build/course
  crmsim course build --lang zh --session 01 --out handouts
  crmsim course grades games/flagship --out grades.csv   # after 'crmsim game export'""",
    "notebooks": """examples:
  crmsim notebooks crm-notebooks                # then: jupyter lab crm-notebooks
  crmsim notebooks crm-notebooks --lang zh      # the Chinese notebooks, in crm-notebooks/zh""",
}


def add_course_commands(sub: argparse._SubParsersAction) -> None:
    """The ``course`` and ``notebooks`` sub-commands."""
    course = sub.add_parser(
        "course",
        help="Build the course's slide decks and handouts; make a grade sheet from a game.",
        description="Build the course's slide decks and handouts; make a grade sheet.",
        epilog=EXAMPLES["course"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = course.add_subparsers(dest="course_command", required=True, metavar="ACTION")
    build = actions.add_parser("build", help="slide decks (HTML) and handouts (PDF) per session")
    build.add_argument("--lang", choices=LANG_CHOICES, default="all", help="default: all")
    build.add_argument("--out", type=Path, default=Path("build/course"), help="output folder")
    build.add_argument("--session", metavar="NN", help="only this session, e.g. 01")
    build.add_argument(
        "--course",
        type=Path,
        help="the course folder (default: course/ here, else the checkout crmsim runs from)",
    )
    grades = actions.add_parser("grades", help="one row per team from a game's export")
    grades.add_argument("export", type=Path, help="export CSV of 'crmsim game export', or its game")
    grades.add_argument(
        "--out",
        type=Path,
        default=Path("grades.csv"),
        help="CSV to write (an existing grade sheet keeps the points and comments entered)",
    )
    notebooks = sub.add_parser(
        "notebooks",
        help="Copy the course notebooks into a folder of your own.",
        description="Copy the course notebooks into a folder of your own (never overwriting "
        "a notebook you changed).",
        epilog=EXAMPLES["notebooks"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    notebooks.add_argument(
        "folder", type=output_folder, help="where to put them (created if needed)"
    )
    notebooks.add_argument("--lang", choices=LANG_CHOICES, default="en", help="default: en")


def cmd_course(args: argparse.Namespace) -> int:
    """Run ``crmsim course build`` or ``crmsim course grades``."""
    if args.course_command == "grades":
        from sim.course.grades import write_grade_sheet

        sheet = write_grade_sheet(args.export, args.out)
        print(sheet.to_string(index=False))
        print(f"{args.out}: {len(sheet)} teams")
        return 0
    try:
        from sim.course.build import build
    except ModuleNotFoundError as exc:
        raise InputError(
            f"crmsim course build needs the course extra ({exc.name} is missing): "
            "pip install 'crmsim[course]'"
        ) from None
    if args.session is not None and not (len(args.session) == 2 and args.session.isdigit()):
        raise InputError(f"--session {args.session!r}: give a two-digit number such as 01")
    for done in build(args.course or course_folder(), args.out, args.lang, args.session):
        size = done.deck.stat().st_size / 1e6
        print(
            f"{done.lang} {done.slug}: {done.deck.name} ({size:.1f} MB), "
            f"{done.handout.name} ({done.pages} pages), {done.seconds:.0f} s"
        )
    return 0


def course_folder() -> Path:
    """The course to build when none is given: ``course/`` in the working folder if it holds
    sessions, else that of the checkout crmsim is installed from (an editable install); a wheel
    has no course, and then ``course`` is named in the error."""
    here, checkout = Path("course"), Path(__file__).resolve().parents[3] / "course"
    found = [folder for folder in (here, checkout) if (folder / "sessions").is_dir()]
    return found[0] if found else here


def cmd_notebooks(args: argparse.Namespace) -> int:
    """Copy the notebooks into the student's folder."""
    from sim.course.notebooks import copy_notebooks

    copied = copy_notebooks(args.folder, args.lang)
    places = [args.folder / "zh"] if args.lang == "zh" else [args.folder]
    places += [args.folder / "zh"] if args.lang == "all" else []
    for place in places:  # English in the folder, Chinese in its zh/
        count = sum(path.parent == place for path in copied.written)
        print(f"{count} notebooks copied into {place}.")
    if copied.kept:
        names = ", ".join(str(path.relative_to(args.folder)) for path in copied.kept)
        print(
            f"Kept {len(copied.kept)} that differ from the course's, perhaps your own work "
            f"({names}): rename or move one to get a fresh copy next time."
        )
    print(f"Next: jupyter lab {places[0]}")
    return 0
