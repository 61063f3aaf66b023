"""The submodels of docs/model.md, one module each, in the order a period runs them:

S0 events (:mod:`sim.model.events`) → S1 :mod:`~sim.model.submodels.homogenisation` →
S2 :mod:`~sim.model.submodels.decisions` → S3 :mod:`~sim.model.submodels.advertising` →
S4 :mod:`~sim.model.submodels.retention` → S5 :mod:`~sim.model.submodels.offers` →
S6 :mod:`~sim.model.submodels.choice` → S7 :mod:`~sim.model.submodels.experience` →
S8 :mod:`~sim.model.submodels.complaints` → S9 :mod:`~sim.model.submodels.relationships` →
S10 :mod:`~sim.model.submodels.word_of_mouth` → S11 books (:mod:`sim.model.books`).

Each is a function of the customers' arrays (:mod:`sim.model.population`), the firms and their
decisions, the scenario's parameters and the market's random generator.
"""
