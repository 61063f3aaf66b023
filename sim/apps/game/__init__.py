"""The classroom game: student teams run rival firms in one market, round by round.

- :mod:`sim.apps.game.rules`: what a game is (scenario, seats, rounds, budget) and its market.
- :mod:`sim.apps.game.decisions`: a team's decision: ranges, budget, decision files.
- :mod:`sim.apps.game.seat`: the strategy that plays a team's decisions in the model.
- :mod:`sim.apps.game.store` · :mod:`sim.apps.game.sqlite_store`: what is kept, and the SQLite
  store.
- :mod:`sim.apps.game.replay`: the market rebuilt from the seed and the stored decisions.
- :mod:`sim.apps.game.game`: a game being played (codes, submissions, rounds, results).
- :mod:`sim.apps.game.codes`: join codes, the instructor key, the limit on wrong codes.
- :mod:`sim.apps.game.export`: every decision and result as CSV.
- :mod:`sim.apps.game.debrief`: luck and skill apart; each team against the built-in strategies.
- :mod:`sim.apps.game.status`: what a team and the instructor see, as plain data.
- :mod:`sim.apps.game.access` · :mod:`sim.apps.game.http`: who is asking; the HTTP endpoints.
- :mod:`sim.apps.game.pages` · :mod:`sim.apps.game.team_page` ·
  :mod:`sim.apps.game.instructor_page`: the Solara pages; :mod:`sim.apps.game.server`:
  ``crmsim game serve``.

docs/game.md describes the game; course/game-guide.md how to run one in class.
"""
