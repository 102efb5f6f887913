"""Where the class data lives: one definition shared by ``serve.py`` and the app it starts.

The class data folder holds the board (``STORE_FILE``, a ``classroom.store.ClassStore``) and
the server secret (``classroom.access.SECRET_FILE``). ``serve.py`` puts the folder it checked
in ``NN_DATA_DIR`` for the Streamlit process, whose pages find it with ``data_dir()``.
Standard library only, no Streamlit.
"""

import os
from collections.abc import Mapping
from pathlib import Path

DATA_DIR_ENV = "NN_DATA_DIR"
CLASS_URL_ENV = "NN_CLASS_URL"
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
