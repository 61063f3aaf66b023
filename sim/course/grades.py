"""``crmsim course grades``: a game's export (``crmsim game export``: one row per period and
seat) turned into a grade sheet, one row per team: what the game measured at its end, the team's
rank among all seats (bots included), and empty columns for the points an instructor gives."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.errors import InputError

EXPORT = "export.csv"  # the export's name in a game folder
UNREADABLE = (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError)  # as CSV
NEEDED = ("period", "seat", "team", "cumulative_profit", "customer_equity", "retention_rate")
POINTS = ("luck_percentile", "quiz_points", "homework_points", "capstone_points", "comments")


def export_file(path: Path) -> Path:
    """The export CSV: ``path`` itself, or ``export.csv`` in a game folder."""
    file = path / EXPORT if path.is_dir() else path
    if not file.is_file():
        raise InputError(
            f"{file} not found: give the CSV written by 'crmsim game export GAME --key KEY' "
            f"(by default GAME/{EXPORT}) or the game folder holding it"
        )
    return file


def read_export(path: Path) -> pd.DataFrame:
    """The export's rows, checked for the columns a grade sheet needs."""
    file = export_file(path)
    try:
        table = pd.read_csv(file, dtype={"game": str})  # a game id may be all digits
    except UNREADABLE as exc:
        raise InputError(f"{file}: not a CSV file ({str(exc).strip()})") from None
    missing = [c for c in NEEDED if c not in table.columns]
    if missing or table.empty:
        problem = f"lacks {', '.join(missing)}" if missing else "has no rows"
        raise InputError(
            f"{file}: a game export has one row per period and seat with the columns "
            f"{', '.join(NEEDED)}; this file {problem}"
        )
    return table


def grade_sheet(export: pd.DataFrame) -> pd.DataFrame:
    """One row per team (bots left out): periods played, final cumulative profit ($), customer
    equity ($) and retention rate, mean retention rate over the game, rank by cumulative profit
    among all seats (1 = best), then empty columns to fill in."""
    by_seat = export.sort_values("period").groupby("seat", sort=True)
    last = by_seat.last()
    sheet = pd.DataFrame(
        {
            "team": last["team"],
            "periods": last["period"],
            "final_cumulative_profit": last["cumulative_profit"].round(2),
            "final_customer_equity": last["customer_equity"].round(2),
            "final_retention_rate": by_seat["retention_rate"].last().round(4),
            "mean_retention_rate": by_seat["retention_rate"].mean().round(4),
            "rank": last["cumulative_profit"].rank(ascending=False, method="min").astype(int),
        }
    )
    sheet = sheet[sheet["team"].str.startswith("Team ")]
    for column in POINTS:
        sheet[column] = ""
    return sheet.sort_values("rank").reset_index(drop=True)


def write_grade_sheet(path: Path, out: Path) -> pd.DataFrame:
    """Read the export at ``path``, write its grade sheet to ``out`` (CSV) and return it. A grade
    sheet already at ``out`` keeps what the instructor entered: its points and comments are
    carried over team by team (:func:`entered`)."""
    export = read_export(path)
    source = str(export["game"].iloc[0]) if "game" in export else str(export_file(path).resolve())
    sheet = grade_sheet(export).assign(game=source)
    if out.exists():  # a team new to the sheet gets empty entries
        kept = entered(out, sheet["team"], source).set_index("team")
        sheet[list(POINTS)] = kept.reindex(sheet["team"]).fillna("").to_numpy()
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.to_csv(out, index=False)
    return sheet


def entered(out: Path, teams: pd.Series, source: str) -> pd.DataFrame:
    """The points and comments typed into the grade sheet at ``out``, by team, as written; an
    InputError if ``out`` is not a grade sheet of the game ``source`` (every game names its
    teams Team 1, Team 2, …: another game's marks would land on this one's), or if it holds
    entries for a team the new sheet does not have."""
    try:
        old = pd.read_csv(out, dtype=str, keep_default_na=False)
    except (*UNREADABLE, OSError):
        old = pd.DataFrame()
    if not {"team", "game", *POINTS} <= set(old.columns):
        raise InputError(
            f"{out} exists and is not a grade sheet (columns team, {', '.join(POINTS)}, "
            "game): choose another --out, or move that file"
        )
    theirs = set(old["game"]) - {source}
    if theirs:
        raise InputError(
            f"{out} is the grade sheet of game {', '.join(sorted(theirs))}, not of this export's "
            f"game {source}: choose another --out (one grade sheet per game), or move that file"
        )
    filled = old[(old[list(POINTS)] != "").any(axis=1)]
    lost = sorted(set(filled["team"]) - set(teams))
    if lost:
        raise InputError(
            f"{out} holds points or comments for {', '.join(lost)}, which this export does not "
            "have (another game's sheet?): choose another --out, or move that file"
        )
    return old[["team", *POINTS]].drop_duplicates("team")
