"""Serving a class from several Streamlit processes behind nginx (``serve.py --replicas N``).

One Streamlit process runs every session's script in one Python interpreter, so a class shares
one interpreter lock. With ``--replicas N``, ``serve.py`` starts N Streamlit processes on
loopback ports and Debian's nginx in front of them on the class's address:

- ``serving.nginx``: the nginx configuration, rendered from a template (pure: no processes),
  and the commands that check and run it;
- ``serving.replicas``: start the replicas and nginx, watch them (a replica that dies is
  reported and restarted, a bounded number of times), stop them all.

Every replica gets the same environment (teacher token, class data folder, class URL), so the
board (SQLite in WAL mode, or PostgreSQL) and the secret that signs class links are shared; each
browser stays on one replica (its Streamlit session lives in that process's memory).
Standard library only, no Streamlit.
"""
