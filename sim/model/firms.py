"""Firms: Mesa agents that hold an offer, follow a strategy and keep books.

Only the market changes a :class:`Firm`, through :meth:`Firm.apply` (S2), homogenisation (S1),
events (S0) and :meth:`Firm.record` (S11). Its strategy sees it through a :class:`ReadOnlyFirm`
(a :class:`sim.strategies.FirmView`), and has a time limit to decide, in any thread.
"""

from __future__ import annotations

import contextvars
import ctypes
import queue
import signal
import threading
import weakref
from collections.abc import Callable
from contextvars import ContextVar

import mesa
import numpy as np

from sim.schema import Economics, FirmBooks, NonMoneyCosts, ValueLevels
from sim.schema import Firm as FirmSpec
from sim.strategies import Decision, MarketView, Strategy, StrategyError

# Told "<firm, strategy, period>: deciding" before each decision and "…: decided" after it, so
# that a process that dies inside a strategy can be traced (sim.experiments.executors sets it).
Watch = Callable[[str], None]
decision_watch: ContextVar[Watch | None] = ContextVar("decision_watch", default=None)


class Firm(mesa.Agent):
    """A firm in the market.

    Attributes:
        index: column of this firm in the customer-relationship arrays.
        spec: the firm's scenario entry (initial offer, costs, strategy).
        value: current offer levels ($ per basket): product, service, personnel, image.
        costs: non-money customer costs ($ per basket): time, energy, psychic.
        position: the product variant on the taste circle, [0, 1).
        price: current list price ($ per basket).
        unit_cost_rates: $ of variable cost per $ of product, service and personnel delivered.
        strategy: the firm's decision rule; ``strategy_name`` its ``name`` (what results show).
        decision: this period's :class:`~sim.strategies.Decision`.
        books: last period's :class:`~sim.schema.FirmBooks` (all zero before the first period).
        share_history, equity_history: market share and customer equity, one entry a period.
    """

    def __init__(self, model: mesa.Model, index: int, spec: FirmSpec, strategy: Strategy) -> None:
        super().__init__(model)
        self.index = index
        self.spec = spec
        self.name = spec.name
        self.strategy = strategy
        self.strategy_name = strategy.name
        self.value = ValueLevels(**spec.value.model_dump())
        self.costs = NonMoneyCosts(**spec.costs.model_dump())
        self.position = spec.position
        self.price = spec.price
        rates = spec.unit_cost_rates
        self.unit_cost_rates = np.array([rates.product, rates.service, rates.personnel])
        self.decision: Decision | None = None
        self.books = FirmBooks()
        self.share_history: list[float] = []
        self.equity_history: list[float] = []
        self.view = ReadOnlyFirm(self)

    def unit_cost(
        self,
        product: float | None = None,
        service: float | None = None,
        personnel: float | None = None,
    ) -> float:
        """Variable cost of one basket ($): cost rates × product, service and personnel value."""
        levels = np.array(
            [
                self.value.product if product is None else product,
                self.value.service if service is None else service,
                self.value.personnel if personnel is None else personnel,
            ]
        )
        return float(self.unit_cost_rates @ levels)

    def decide(self, market: MarketView, seconds: float | None = None) -> Decision:
        """Ask the strategy for this period's decision (within ``seconds``, if given) and check
        it; raise StrategyError if it fails, ends the process, overruns or returns nonsense."""
        where = f"firm {self.name!r} (strategy {self.strategy_name!r}), period {market.period}"
        watch = decision_watch.get()
        if watch:
            watch(f"{where}: deciding")
        try:
            decision = time_limit(
                seconds,
                f"{where}: decide() did not return within {seconds} s",
                lambda: self.strategy.decide(self.view, market),
            )
        except StrategyError:
            raise
        except SystemExit as exc:  # sys.exit() in a policy must not end the whole command
            raise StrategyError(f"{where}: decide() called sys.exit({exc.code!r})") from None
        except Exception as exc:  # a user's policy may fail in any way: report, don't crash
            raise StrategyError(f"{where}: decide() raised {type(exc).__name__}: {exc}") from exc
        if not isinstance(decision, Decision):
            raise StrategyError(
                f"{where}: decide() returned {type(decision).__name__}; "
                "it must return a sim.strategies.Decision"
            )
        problems = decision.problems()
        if problems:
            raise StrategyError(f"{where}: invalid decision: " + "; ".join(problems))
        if watch:
            watch(f"{where}: decided")
        return decision

    def apply(self, decision: Decision, economics: Economics) -> None:
        """Put a decision into effect: price, service and personnel now; product and image move.

        product += rd × rd_efficiency − quality_cut (never below 0);
        image = image × (1 − image_decay) + advertising × image_per_ad.
        """
        self.decision = decision
        self.price = decision.price
        value = self.value
        self.value = ValueLevels(
            product=max(
                0.0, value.product + decision.rd * economics.rd_efficiency - decision.quality_cut
            ),
            service=decision.service,
            personnel=decision.personnel,
            image=value.image * (1 - economics.image_decay)
            + decision.advertising * economics.image_per_ad,
        )

    def record(self, books: FirmBooks) -> None:
        """Keep one period's books (read by Mesa's DataCollector and by the strategy)."""
        self.books = books
        self.share_history.append(books.market_share)
        self.equity_history.append(books.customer_equity)


class ReadOnlyFirm:
    """What a strategy sees of its firm (a :class:`~sim.strategies.FirmView`): every attribute
    reads the firm's current state, and any attempt to change it is an error."""

    __slots__ = ("_firm", "_spec")

    def __init__(self, firm: Firm) -> None:
        object.__setattr__(self, "_firm", firm)
        object.__setattr__(self, "_spec", firm.spec.model_copy(deep=True))  # the strategy's copy

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(
            f"a strategy cannot change its firm (it tried to set {name!r}); "
            "return a Decision instead"
        )

    name = property(lambda self: self._firm.name, doc="The firm's name.")
    spec = property(lambda self: self._spec, doc="A copy of the firm's scenario entry.")
    price = property(lambda self: self._firm.price, doc="Current list price ($ per basket).")
    value = property(lambda self: self._firm.value, doc="Current offer levels (frozen).")
    costs = property(lambda self: self._firm.costs, doc="Non-money costs (frozen).")
    books = property(lambda self: self._firm.books, doc="Last period's books (frozen).")
    share_history = property(
        lambda self: tuple(self._firm.share_history), doc="Market share, one entry a period."
    )
    equity_history = property(
        lambda self: tuple(self._firm.equity_history), doc="Customer equity, one entry a period."
    )

    def unit_cost(
        self,
        product: float | None = None,
        service: float | None = None,
        personnel: float | None = None,
    ) -> float:
        """Variable cost of one basket ($) at the current offer, or at the levels given."""
        return self._firm.unit_cost(product, service, personnel)


def time_limit[T](seconds: float | None, message: str, call: Callable[[], T]) -> T:
    """``call()``, raising StrategyError(message) if it runs longer than ``seconds`` (None: no
    limit), in any thread.

    In a process's main thread a real-time alarm (SIGALRM) interrupts the call where it is, even
    inside ``time.sleep``. Elsewhere (the threads of a Dask worker, where Python delivers no
    signals) the call runs in a helper thread that is waited for ``seconds`` and then abandoned:
    it is sent an exception, which ends it at its next Python instruction (a loop ends; a call
    blocked in C, such as a long sleep, stays blocked in its daemon thread, never returning)."""
    if not seconds:
        return call()
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        return alarm_limit(seconds, message, call)
    return thread_limit(seconds, message, call)


def alarm_limit[T](seconds: float, message: str, call: Callable[[], T]) -> T:
    """:func:`time_limit` in the main thread: a real-time alarm."""

    def overrun(signum: int, frame: object) -> None:
        raise StrategyError(message)

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return call()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Abandoned(BaseException):
    """Sent to a decision's helper thread after its time is up (a BaseException, so that a
    policy's ``except Exception`` does not swallow it)."""


class Helper:
    """A daemon thread that runs the decisions of one calling thread, one at a time: kept for
    the next decision (a decision costs a hand-over, not a new thread) and ended when its
    calling thread ends or abandons it."""

    def __init__(self) -> None:
        self.calls: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(
            target=serve, args=(self.calls,), daemon=True, name="strategy-decision"
        )
        self.thread.start()
        weakref.finalize(self, self.calls.put, None)  # no one holds it any more: end

    def abandon(self) -> None:
        """Stop waiting for this helper: send it :class:`Abandoned`, which ends a call running
        Python code at its next instruction (one blocked in C stays blocked, idle)."""
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(self.thread.ident), ctypes.py_object(Abandoned)
        )


def serve(calls: queue.SimpleQueue) -> None:
    """A helper thread's loop: run each (context, call, outcome, finished) handed over; end on
    None or when abandoned."""
    try:
        while (item := calls.get()) is not None:
            if not run_one(*item):
                return
            del item  # keep nothing of a finished call (its exception would keep the helper)
    except Abandoned:  # arrived between calls
        return


def run_one(
    context: contextvars.Context,
    call: Callable[[], object],
    outcome: list,
    finished: threading.Event,
) -> bool:
    """Run ``call`` in the caller's ``context``; put its value, or [None, its exception], in
    ``outcome`` and set ``finished``. False if the helper was abandoned meanwhile."""
    try:
        outcome.append(context.run(call))
    except Abandoned:
        return False
    except BaseException as exc:  # handed to the caller, whatever it is
        outcome[:] = [None, exc]
    finally:
        finished.set()
    return True


_helpers = threading.local()  # each calling thread's Helper


def thread_limit[T](seconds: float, message: str, call: Callable[[], T]) -> T:
    """:func:`time_limit` outside the main thread: the call runs in this thread's helper, which
    is waited for ``seconds`` and, if it overruns, abandoned (the next call gets a new one)."""
    helper = getattr(_helpers, "helper", None) or Helper()
    _helpers.helper = helper
    outcome: list = []  # [value] or [None, exception]
    finished = threading.Event()
    helper.calls.put((contextvars.copy_context(), call, outcome, finished))
    if not finished.wait(seconds):
        _helpers.helper = None
        if not finished.is_set():  # (it may have finished just now: then it ends on its own)
            helper.abandon()
        raise StrategyError(message)
    if len(outcome) == 2:
        error = outcome.pop()
        del helper, outcome  # the error's traceback holds this frame: let it not hold the helper
        raise error
    return outcome[0]
