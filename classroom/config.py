"""Where the class data lives: one definition shared by ``serve.py`` and the app it starts.

The class data folder holds the board (``STORE_FILE``, a ``classroom.store.ClassStore``) and
the server secret (``classroom.access.SECRET_FILE``). ``serve.py`` puts the folder it checked
in ``NN_DATA_DIR`` for the Streamlit process, whose pages find it with ``data_dir()``. With
``NN_CLASS_STORE`` set (``store_url()``), the board is in that PostgreSQL database instead, and
the folder keeps the secret. Standard library only, no Streamlit.
"""

import os
from collections.abc import Mapping
from pathlib import Path

DATA_DIR_ENV = "NN_DATA_DIR"
CLASS_URL_ENV = "NN_CLASS_URL"
STORE_ENV = "NN_CLASS_STORE"
HIDDEN = "***"
"""What a printed database URL shows in place of its password."""
STORE_FILE = "classroom.sqlite3"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "classroom-data"
"""``classroom-data/`` at the repository's root (ignored by git)."""


def data_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The class data folder: ``NN_DATA_DIR`` from ``env`` when it is set and not empty
    (``~`` expanded, otherwise as given), else ``DEFAULT_DATA_DIR``. Nothing is created or
    checked here; ``serve.py`` creates and checks the folder before the app starts."""
    given = env.get(DATA_DIR_ENV, "")
    return Path(given).expanduser() if given else DEFAULT_DATA_DIR


def class_url(env: Mapping[str, str] = os.environ) -> str | None:
    """The address students reach the server at (``NN_CLASS_URL``, e.g.
    ``http://192.168.1.20:8501``), which ``serve.py`` sets when it serves the network; None
    when unset: links then use the address the teacher's browser shows."""
    return env.get(CLASS_URL_ENV) or None


def store_url(env: Mapping[str, str] = os.environ) -> str | None:
    """The database of the class board: ``NN_CLASS_STORE`` from ``env``, e.g.
    ``postgresql://user:password@host:5432/dbname``, spaces around it dropped; None when it is
    unset or empty, and the board is then the SQLite file ``STORE_FILE`` in the data folder.
    Checked when the store opens it (``classroom.store.open_store``). It may hold a password:
    print it only through ``redact_url``."""
    return env.get(STORE_ENV, "").strip() or None


def redact_url(url: str) -> str:
    """``url`` fit to print: the password after ``user:`` and any ``password=`` parameter
    become ``***``. Everything up to the last ``@`` counts as the user part, so a password
    holding an unescaped ``@`` or ``/`` is hidden whole; nothing else is changed."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "", url
    userinfo, at, place = rest.rpartition("@")
    if at:
        user, colon, password = userinfo.partition(":")
        rest = f"{user}:{HIDDEN}@{place}" if colon and password else rest
    address, question, query = rest.partition("?")
    if question:
        pairs = [pair.partition("=") for pair in query.split("&")]
        query = "&".join(
            f"{key}={HIDDEN}" if key == "password" and value else key + equals + value
            for key, equals, value in pairs
        )
        rest = f"{address}?{query}"
    return f"{scheme}{separator}{rest}"
