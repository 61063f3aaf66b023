"""Strategists' studies of a policy (docs/stress-testing.md): stress tests with regret, sensitivity
(Morris, Sobol), scenario discovery (PRIM), break-even points and tuning (Optuna), on the local
process pool or a Dask cluster (:class:`sim.experiments.executors.Where`).

- :mod:`~sim.studies.spec`, :mod:`~sim.studies.files`: the study file and its checks.
- :mod:`~sim.studies.runner`: a study's results folder and its batches of runs.
- :mod:`~sim.studies.stress`, :mod:`~sim.studies.sensitivity`, :mod:`~sim.studies.discover`,
  :mod:`~sim.studies.breakeven`, :mod:`~sim.studies.tune`: one command each.
- :mod:`~sim.studies.figures`, :mod:`~sim.studies.report`: figures and the report.
"""

from sim.studies.files import LoadedStudy, StudyError, load_study
from sim.studies.runner import StudyRun
from sim.studies.spec import Study

__all__ = ["LoadedStudy", "Study", "StudyError", "StudyRun", "load_study"]
