"""Front ends: the ``crmsim`` command line (:mod:`sim.apps.cli`); the browser app and the
classroom game server go beside it."""
