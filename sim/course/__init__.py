"""The course's printed and projected material, built from its Markdown sources, and the
students' and instructors' helpers around it.

- :mod:`~sim.course.sheets`: a session's sheet (``course/sessions/NN-name/README.md``) in parts.
- :mod:`~sim.course.markup`: Markdown to HTML, links kept as text (the output travels alone).
- :mod:`~sim.course.fonts`: the font files of the handouts (Latin, monospace, Chinese).
- :mod:`~sim.course.figures`: a session's figures, from small quick runs of its commands.
- :mod:`~sim.course.deck`: a slide deck as one offline HTML file.
- :mod:`~sim.course.handout`: the printable handout of the exercises (PDF).
- :mod:`~sim.course.build`: ``crmsim course build``: every deck and handout asked for.
- :mod:`~sim.course.notebooks`: ``crmsim notebooks DIR``: a student's copy of the notebooks.
- :mod:`~sim.course.grades`: ``crmsim course grades``: a grade sheet from a game's export.
"""
