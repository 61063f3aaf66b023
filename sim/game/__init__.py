"""The classroom game: student teams run rival firms in one market, round by round.

- :mod:`sim.game.rules`: what a game is (scenario, seats, rounds, budget) and its market.
- :mod:`sim.game.decisions`: a team's decision: ranges, budget, decision files.
- :mod:`sim.game.seat`: the strategy that plays a team's decisions in the model.
- :mod:`sim.game.store` · :mod:`sim.game.sqlite_store`: what is kept, and the SQLite store.
- :mod:`sim.game.replay`: the market rebuilt from the seed and the stored decisions.
- :mod:`sim.game.game`: a game being played (codes, submissions, rounds, results).
- :mod:`sim.game.codes`: join codes, the instructor key, the limit on wrong codes.
- :mod:`sim.game.export`: every decision and result as CSV.
- :mod:`sim.game.debrief`: luck and skill apart; each team against the built-in strategies.
- :mod:`sim.game.status`: what a team and the instructor see, as plain data.
- :mod:`sim.game.access` · :mod:`sim.game.http`: who is asking; the HTTP endpoints.
- :mod:`sim.game.pages` · :mod:`sim.game.team_page` · :mod:`sim.game.instructor_page`: the
  Solara pages; :mod:`sim.game.server`: ``crmsim game serve``.

docs/game.md describes the game; course/game-guide.md how to run one in class.
"""
