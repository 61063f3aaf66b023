"""The frame around the game's pages: the language, a plain header without Solara's navigation
tabs, and a banner that says so when the game server cannot be reached.

Words come from the app's table (:mod:`sim.apps.web.i18n`, the ``game_…`` keys). The language
is a Solara reactive at module level, so each browser session has its own. The banner is a small
Vue component that asks ``/api/ping`` every :data:`PING_MS` ms from the browser itself: when
the server is stopped or killed, the page it left behind still works enough to tell the student
that nothing submitted is lost, and to reload once the server answers again. The same component
gives Vuetify the words of its tables' footers ("Rows per page") in the page's language, and
keeps a switched language in the language cookie, so that a reload opens in it.
"""

from __future__ import annotations

import ipyvuetify
import solara
import solara.lab
import traitlets

from sim.apps.game.access import COOKIE_SECONDS, LANGUAGE_COOKIE
from sim.apps.web.fonts import PAGE_STYLE
from sim.apps.web.i18n import LANGUAGES, Language, text

language: solara.Reactive[Language] = solara.reactive("en")  # per browser session
PING_PATH = "/api/ping"
PING_MS = 2000
MISSES = 2  # failed pings in a row before the banner shows (one slow reply is not an outage)

WATCH_TEMPLATE = """
<template>
  <div v-if="state !== 'up'" class="game-offline"
       style="position: fixed; top: 0; left: 0; right: 0; z-index: 100003; padding: 16px;
              background: #b71c1c; color: white; font-size: 1.15em; text-align: center">
    <span class="game-offline-message">{{ state === 'down' ? down : back }}</span>
    <button v-if="state === 'back'" @click="reload()"
            style="margin-left: 1em; padding: 4px 12px; background: white; color: #b71c1c;
                   border-radius: 4px">{{ reload_label }}</button>
  </div>
</template>
<script>
module.exports = {
  data() { return { state: 'up', misses: 0 }; },
  mounted() { this.speak(); this.timer = setInterval(() => this.check(), this.every); },
  destroyed() { clearInterval(this.timer); },
  watch: { lang() { this.speak(); this.remember(); } },
  methods: {
    speak() {
      // Vuetify's own words (a table's footer) in the page's language: a locale of its English
      // with the table's words replaced, one per language so that switching re-renders
      const words = this.$vuetify && this.$vuetify.lang;
      if (!words || !words.locales.en) { return; }
      const en = words.locales.en;
      const name = 'crmsim_' + this.lang;
      const rows = this.table.rows;
      words.locales[name] = Object.assign({}, en, {
        noDataText: this.table.none,
        dataTable: Object.assign({}, en.dataTable, { itemsPerPageText: rows }),
        dataFooter: Object.assign({}, en.dataFooter,
                                  { itemsPerPageText: rows, pageText: this.table.pages }),
      });
      words.current = name;
    },
    check() {
      const stop = new AbortController();
      const late = setTimeout(() => stop.abort(), this.every * 2);
      fetch(this.ping, { cache: 'no-store', signal: stop.signal })
        .then((reply) => {
          if (!reply.ok) { throw new Error(reply.status); }
          this.misses = 0;
          if (this.state === 'down') { this.state = 'back'; }
        })
        .catch(() => {
          this.misses += 1;
          if (this.misses >= this.needed) { this.state = 'down'; }
        })
        .finally(() => clearTimeout(late));
    },
    remember() {
      // a switched language outlives a reload, as the join page's choice does
      document.cookie = this.cookie + '=' + this.lang + '; path=/; max-age=' + this.keep
                        + '; samesite=strict';
    },
    reload() { window.location.reload(); },
  },
};
</script>
"""


class ServerWatch(ipyvuetify.VuetifyTemplate):
    """The browser-side watch on the server (see the module's docstring); it also gives
    Vuetify the words of its tables' footers in the page's language."""

    template = traitlets.Unicode(WATCH_TEMPLATE).tag(sync=True)
    down = traitlets.Unicode("").tag(sync=True)
    back = traitlets.Unicode("").tag(sync=True)
    reload_label = traitlets.Unicode("").tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)
    table = traitlets.Dict().tag(sync=True)  # Vuetify's table words: rows, pages, none
    ping = traitlets.Unicode(PING_PATH).tag(sync=True)
    every = traitlets.Int(PING_MS).tag(sync=True)
    needed = traitlets.Int(MISSES).tag(sync=True)
    cookie = traitlets.Unicode(LANGUAGE_COOKIE).tag(sync=True)
    keep = traitlets.Int(COOKIE_SECONDS).tag(sync=True)  # seconds


def cookie(name: str) -> str:
    """The named cookie of this page's connection ('' if none)."""
    return (solara.lab.cookies.value or {}).get(name, "")


def say(key: str, **values: object) -> str:
    """The label ``key`` in the session's language, with ``values`` filled in."""
    return text(key, language.value).format(**values)


@solara.component
def Layout(children: list | None = None) -> None:  # noqa: N802 - a Solara component
    """Every game page: a header with the language switch, the page, the server watch (in
    place of Solara's app bar and its navigation tabs, which lead students nowhere useful)."""
    joined_in = cookie(LANGUAGE_COOKIE)  # the join page's language, the page's first
    solara.use_effect(lambda: language.set(joined_in) if joined_in in LANGUAGES else None, [])
    lang = language.value
    solara.Style(PAGE_STYLE)  # Chinese labels in the app's packaged CJK font
    with solara.Column(style={"max-width": "1400px", "margin": "0 auto", "padding": "8px 16px"}):
        with solara.Row(justify="space-between", style={"align-items": "center"}):
            solara.Text(text("game", lang), style={"font-size": "1.1em", "opacity": "0.7"})
            solara.ToggleButtonsSingle(
                value=lang,
                values=list(LANGUAGES),
                on_value=language.set,
                dense=True,
                classes=["game-language"],
            )
        solara.Column(children=children or [])
        ServerWatch.element(
            down=text("game_offline", lang),
            back=text("game_back", lang),
            reload_label=text("game_reload", lang),
            lang=lang,
            table={key: text(f"game_table_{key}", lang) for key in ("rows", "pages", "none")},
        )
