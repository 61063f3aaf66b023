"""The one kind of error a user can fix: bad input.

Every module that reads something from a user — a scenario file or ``--set`` override, a strategy
and its parameters, a results folder, a transaction file, calibration settings — raises a subclass
of :class:`InputError` whose message names the file, key or row and what is allowed. The
``crmsim`` command prints that message and exits with code 2; Python callers can catch
``InputError`` alone. In IPython and Jupyter the message is shown alone, without a traceback
(:meth:`InputError._render_traceback_`): a student who sets a notebook parameter wrong reads the
same one paragraph.
"""


class InputError(ValueError):
    """Bad input, with a message that says what is wrong, where, and what is allowed."""

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for it (its hook for exceptions that render themselves): the
        message, not the frames of crmsim's code a user cannot act on."""
        return [f"{type(self).__name__}: {self}"]
