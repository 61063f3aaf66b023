"""The one kind of error a user can fix: bad input.

Every module that reads something from a user — a scenario file or ``--set`` override, a strategy
and its parameters, a results folder, a transaction file, calibration settings — raises a subclass
of :class:`InputError` whose message names the file, key or row and what is allowed. The
``crmsim`` command prints that message and exits with code 2; Python callers can catch
``InputError`` alone.
"""


class InputError(ValueError):
    """Bad input, with a message that says what is wrong, where, and what is allowed."""
