"""The teacher's console, without Streamlit: what a class shares and what the server checks.

- ``classroom.store``: the class data in SQLite (classes, nicknames, submitted runs, challenges)
  behind a small interface, so several server processes can later share it.
- ``classroom.access``: who is the teacher (a random token, as Jupyter's) and signed class links
  (settings and locks a student cannot edit unnoticed).
- ``classroom.scoring``: re-scores every submission from its weights on the challenge's data,
  including a test split the student never sees; a metric a page reports is never trusted.
- ``classroom.board``: between a page and the store: checks a submission, has the server score
  it against the class's current challenge, stores it, and ranks the board by the server's
  numbers only.

Modules here import NumPy, the standard library, ``nn`` and ``datasets`` only: the pages that use
them live in ``app_pages/`` and ``kit/``. This file imports nothing, so ``import classroom.access``
stays light.
"""
