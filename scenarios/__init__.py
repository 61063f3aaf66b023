"""The shipped scenario files (TOML), installed as the data package ``sim.scenarios.shipped``
(pyproject.toml maps this folder there); :mod:`sim.scenarios` reads them."""
