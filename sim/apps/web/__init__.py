"""The browser app (``crmsim app``): set up, run, steer and compare markets in a browser.

Solara components (``page``, ``setup_view``, ``run_view``, ``compare_view``) over plain modules
that know nothing of the browser: ``config`` (what a person set up), ``levers`` (what they may
change, from the schemas), ``i18n`` (every word in English and Chinese), ``session`` and ``live``
(one page's market), ``pair`` (markets A and B stepped together), ``dashboard`` and ``charts``
(matplotlib pictures), ``compare`` (A and B replicated over seeds), ``downloads``, ``server``.
"""
