"""Calibrating the customer population from real transaction data (``crmsim calibrate``):
read the transactions (:mod:`~sim.calibration.transactions`), fit BG/NBD and Gamma-Gamma
(:mod:`~sim.calibration.fits`), map them onto a scenario (:mod:`~sim.calibration.mapping`),
check on a holdout (:mod:`~sim.calibration.holdout`) and report (:mod:`~sim.calibration.report`).
"""
