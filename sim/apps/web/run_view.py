"""Run a market: step, play, pause and reset (controls the A/B view reuses for its pair); the
live charts; the firm table."""

from __future__ import annotations

import time
from typing import Protocol

import solara
import solara.lab

from sim.apps.web.i18n import Language, strategy_name, text
from sim.apps.web.live import LiveMarket
from sim.apps.web.session import Session
from sim.errors import InputError

PLAY_PERIOD = 0.2  # s per period while playing: 5 periods a second, pictures skipped if late
TABLE = (  # firm table: metric, label key, format
    ("strategy", "strategy", "{}"),
    ("price", "price", "{:,.2f}"),
    ("customers", "customers_col", "{:,}"),
    ("market_share", "market_share", "{:.4f}"),
    ("retention_rate", "retention_rate", "{:.4f}"),
    ("mean_satisfaction", "mean_satisfaction", "{:.4f}"),
    ("profit", "profit", "{:,.0f}"),
    ("cumulative_profit", "cumulative_profit", "{:,.0f}"),
    ("customer_equity", "customer_equity", "{:,.0f}"),
)


def firm_table(session: Session, language: Language) -> str:
    """This period's books of every firm as a Markdown table."""
    header = [text("firm", language)] + [text(label, language) for _, label, _ in TABLE]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for firm in session.live.market.firms:
        books = firm.books
        cells = [
            strategy_name(firm.strategy_name, language)
            if key == "strategy"
            else getattr(books, key)
            for key, *_ in TABLE
        ]
        shown = [
            "–" if cell != cell else fmt.format(cell)  # NaN: no customers to retain yet
            for cell, (_, _, fmt) in zip(cells, TABLE, strict=True)
        ]
        rows.append(f"| {firm.name} | " + " | ".join(shown) + " |")
    return "\n".join(rows)


class Stepper(Protocol):
    """What the run controls drive: a page's market (:class:`Session`) or its A/B pair."""

    @property
    def live(self) -> LiveMarket: ...  # the market whose period and end are shown

    def step(self, draw: bool = True) -> bytes | None: ...

    def picture(self) -> bytes: ...

    def reset(self) -> None: ...


@solara.component
def RunControls(
    stepper: Stepper,
    language: Language,
    picture: solara.Reactive[bytes],
    labels: tuple[str, str, str, str] = ("step", "play", "pause", "reset"),
) -> None:
    """Step, play/pause and reset buttons (labelled by the ``labels`` keys), the period counter,
    a strategy's failure as a message, and the picture (each new one goes to ``picture``)."""
    playing = solara.use_reactive(False)
    problem = solara.use_reactive("")
    step_label, play_label, pause_label, reset_label = (text(key, language) for key in labels)

    def advance(draw: bool = True) -> bool:
        """One period; False (and the message shown) if a strategy failed."""
        try:
            drawn = stepper.step(draw)
        except InputError as exc:
            problem.set(f"{exc} {text('kept', language)}")
            return False
        if drawn is not None:
            picture.set(drawn)
        return True

    def play() -> None:
        """Keep time: a period every PLAY_PERIOD s; after a period that overran its time the
        next one is not drawn, so that a slow machine plays at nearly the same speed with fewer
        pictures (never more than one period in a row undrawn, never a sprint to catch up).
        Nothing when not playing: the task also runs when the controls appear, and must not
        then undo a click on Play."""
        if not playing.value:
            return
        due, late, live = time.monotonic(), False, stepper.live
        while playing.value and stepper.live is live and not live.finished:
            if not advance(draw=not late):
                break
            due += PLAY_PERIOD
            now = time.monotonic()
            late, due = now > due, max(due, now)
            time.sleep(due - now)
        picture.set(stepper.picture())
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    def reset() -> None:
        playing.set(False)
        problem.set("")
        stepper.reset()
        picture.set(stepper.picture())

    live = stepper.live
    with solara.Row(style={"align-items": "center"}):
        solara.Button(
            step_label,
            on_click=advance,
            disabled=playing.value or live.finished,
            color="primary",
        )
        solara.Button(
            pause_label if playing.value else play_label,
            on_click=lambda: playing.set(not playing.value),
            disabled=live.finished,
            color="primary",
        )
        solara.Button(reset_label, on_click=reset)
        done = f" ({text('finished', language)})" if live.finished else ""
        solara.Text(
            f"{text('period', language)} {live.period} / {live.scenario.spec.periods}{done}",
            classes=["crmsim-period"],
        )
    if problem.value:
        solara.Error(problem.value, classes=["crmsim-problem"])
    solara.Image(picture.value, width="100%")


@solara.component
def RunView(session: Session, language: Language, picture: solara.Reactive[bytes]) -> None:
    """Controls, period counter, the dashboard and the firm table of the session's market."""
    RunControls(session, language, picture)
    table = solara.use_memo(lambda: firm_table(session, language), [picture.value, language])
    solara.Markdown(table, style={"font-size": "0.85em"})
