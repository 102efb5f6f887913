"""Shared test setup: quiet Streamlit logs, and an AppTest of the whole app run from the repo root.

pytest runs from the repo root (``make test``); the ``app`` fixture also changes into it, because
AppTest reads ``.streamlit/config.toml`` only from the current working directory.
"""

from pathlib import Path

import pytest
import streamlit.logger
from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[1]
ENTRY_POINT = "dashboard.py"

# AppTest runs scripts outside a server, which makes Streamlit warn "missing ScriptRunContext".
streamlit.logger.set_log_level("error")


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """An AppTest of ``dashboard.py``, not yet run; pages: ``switch_page("app_pages/x.py")``."""
    monkeypatch.chdir(REPO_ROOT)
    return AppTest.from_file(str(REPO_ROOT / ENTRY_POINT), default_timeout=30)


@pytest.fixture(autouse=True)
def empty_class():
    """AppTest sessions share the server's class (kit.live.pacing.CLASS) within this process: start
    each test with no other student training."""
    from kit.live.pacing import CLASS

    CLASS.clear()
    yield
    CLASS.clear()
