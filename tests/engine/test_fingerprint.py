"""A short flagship run writes, byte for byte, the summary.csv stored when model 1.1 was measured
(tests/data/README.md): a change that is not meant to change the model changes no number."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sim.apps.cli import main

STORED = Path(__file__).resolve().parents[1] / "data" / "flagship_fingerprint.csv"


def without_versions(text: str) -> str:
    """The CSV without its ``version_*`` columns (they name this machine's packages)."""
    rows = list(csv.reader(io.StringIO(text)))
    keep = [i for i, name in enumerate(rows[0]) if not name.startswith("version_")]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([row[i] for i in keep] for row in rows)
    return out.getvalue()


def test_short_flagship_run_matches_the_stored_fingerprint(tmp_path):
    out = tmp_path / "flagship"
    args = ["run", "flagship", "--seeds", "3", "--periods", "24", "--workers", "1"]
    assert main([*args, "--out", str(out), "--quiet"]) == 0
    written = (out / "summary.csv").read_text()
    assert "version_crmsim" in written.splitlines()[0]
    assert without_versions(written) == STORED.read_text()
