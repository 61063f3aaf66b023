"""The app's page: a language switch and four tabs (set up, run, compare, take it home).

``Page`` is what Solara serves; each browser page that opens it builds its own
:class:`~sim.apps.web.session.Session` (its markets), so two tabs never share state.
"""

from __future__ import annotations

import solara
import solara.lab

from sim.apps.web.compare_view import CompareView
from sim.apps.web.downloads import (
    file_name,
    metrics_csv,
    metrics_parquet,
    reproduce,
    scenario_file,
    transactions_csv,
)
from sim.apps.web.fonts import PAGE_STYLE
from sim.apps.web.i18n import LANGUAGES, Language, colon, text
from sim.apps.web.network import MAX_NETWORK_CUSTOMERS, network_chart
from sim.apps.web.run_view import RunView
from sim.apps.web.session import Session, first_setup
from sim.apps.web.setup_view import SetupView
from sim.errors import InputError

NETWORK_TAB = 3  # the network's tab: setup, run, compare, network, download


@solara.component
def Page() -> None:
    """The whole app for one browser page."""
    session = solara.use_memo(lambda: Session(first_setup()), [])
    language = solara.use_reactive("en")
    draft = solara.use_reactive(session.setup)
    picture = solara.use_reactive(solara.use_memo(session.picture, []))
    tab = solara.use_reactive(1)
    version = solara.use_reactive(0)
    problem = solara.use_reactive("")

    def speak(code: Language) -> None:
        language.set(code)
        session.speak(code)
        picture.set(session.picture())

    def apply() -> None:
        try:
            session.start(draft.value)
        except InputError as exc:
            problem.set(f"{exc} {text('kept', language.value)}")
            return
        problem.set("")
        picture.set(session.picture())
        version.set(version.value + 1)
        tab.set(1)

    lang = language.value
    solara.Title("crmsim")
    solara.Style(PAGE_STYLE)
    with solara.AppBar():
        solara.AppBarTitle(text("title", lang))
    with solara.Row(justify="end"):
        solara.ToggleButtonsSingle(value=lang, values=list(LANGUAGES), on_value=speak, dense=True)
    with solara.Column():  # always there: the tabs below keep their place (and state)
        if problem.value:
            solara.Error(problem.value, classes=["crmsim-problem"])
    with solara.lab.Tabs(value=tab.value, on_value=tab.set):
        with solara.lab.Tab(text("setup", lang)):
            SetupView(draft, lang, apply)
        with solara.lab.Tab(text("run", lang)):
            RunView(session, lang, picture).key(f"run-{version.value}")
        with solara.lab.Tab(text("compare", lang)):
            CompareView(session, session.setup, lang).key(f"compare-{version.value}")
        with solara.lab.Tab(text("network", lang)):
            NetworkView(session, lang, picture.value, shown=tab.value == NETWORK_TAB)
        with solara.lab.Tab(text("download", lang)):
            DownloadView(session, lang, picture.value)


@solara.component
def NetworkView(session: Session, language: Language, picture: bytes, shown: bool) -> None:
    """The social network of a small market at the current period (redrawn with the charts
    while its tab is ``shown``; a hidden tab draws nothing, so Play and Step stay quick)."""
    live = session.live
    graph = live.market.network.kind == "small_world"
    drawable = graph and shown and live.market.customers.count <= MAX_NETWORK_CUSTOMERS
    chart = solara.use_memo(
        lambda: network_chart(live, language) if drawable else None, [picture, language, shown]
    )
    if not shown:
        return
    if not graph:
        solara.Info(text("network_none", language))
    elif chart is None:
        solara.Info(text("network_too_large", language).format(n=live.market.customers.count))
    else:
        solara.Image(chart, width="650px")


@solara.component
def DownloadView(session: Session, language: Language, picture: bytes) -> None:
    """The run so far as files, and the command that makes the same run again."""
    live = session.live
    files = (
        ("metrics_csv", "metrics.csv", lambda: metrics_csv(live)),
        ("metrics_parquet", "metrics.parquet", lambda: metrics_parquet(live)),
        ("transactions", "transactions.csv", lambda: transactions_csv(live)),
        ("scenario_toml", "scenario.toml", lambda: scenario_file(live).encode()),
    )
    with solara.Row():
        for label, what, data in files:
            solara.FileDownload(data, file_name(live, what), label=text(label, language))
    words = f"{text('reproduce', language)}{colon(language).strip()}"
    solara.Markdown(f"{words}\n\n    {' '.join(reproduce(live))}")
