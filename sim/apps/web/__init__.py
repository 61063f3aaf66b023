"""The browser app (``crmsim app``): set up, run, steer and compare markets in a browser.

Solara components (``page``, ``setup_view``, ``run_view``, ``compare_view``) over plain modules
that know nothing of the browser: ``config`` (what a person set up), ``levers`` (what they may
change, from the schemas), ``session`` and ``live`` (one page's market), ``dashboard`` and
``charts`` (matplotlib pictures), ``compare`` (A/B and replicates), ``downloads``, ``server``.
"""
