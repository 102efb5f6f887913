"""Browser tests: one real `streamlit run dashboard.py` for the session, Debian chromium.

Fixtures for tests in this folder:
- ``base_url``: the server's URL, so ``page.goto("/")`` or ``page.goto("/Rose")`` works;
- ``page``: pytest-playwright's page; every request to a non-loopback host is aborted,
  recorded in ``external_requests`` and fails the test (the proof that nothing leaves the room);
- ``fresh(page, text)``: the element container with ``text`` drawn by the CURRENT run;
- ``screenshot(page, name)``: saves ``tests/artifacts/screenshots/<name>.png``.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, Route, WebSocket

from tests.e2e import server
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# The app is idle: no script run in progress (wait for content first; see the field notes).
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def fresh(page: Page, text: str) -> Locator:
    """Elements with ``text`` from the current script run (stale ones stay on screen)."""
    return page.locator('[data-testid="stElementContainer"][data-stale="false"]', has_text=text)


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot of the viewport as tests/artifacts/screenshots/<name>.png."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path


@pytest.fixture(scope="session")
def streamlit_server() -> Iterator[str]:
    """Start `streamlit run dashboard.py` on a free loopback port; yield its URL."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (or run `make test`)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "streamlit-server.log"
    try:
        with server.streamlit_server(log_path) as url:
            yield url
    except server.ServerError as error:
        pytest.fail(f"{error}:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def base_url(streamlit_server: str) -> str:
    """Overrides pytest-playwright's base_url: relative page.goto() paths hit our server."""
    return streamlit_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # Tall viewport: Streamlit's main area scrolls internally, so full_page screenshots don't grow.
    return {**browser_context_args, "viewport": {"width": 1280, "height": 1400}}


@pytest.fixture
def external_requests() -> list[str]:
    """URLs the page tried to fetch from a non-loopback host (each one was aborted)."""
    return []


@pytest.fixture
def page(page: Page, external_requests: list[str]) -> Iterator[Page]:
    """pytest-playwright's page; requests leaving the machine are aborted, recorded, and fail
    the test at teardown (nothing may leave the classroom)."""

    def guard(route: Route) -> None:
        url = route.request.url
        if _leaves_machine(url):
            external_requests.append(url)
            route.abort()
        else:
            route.continue_()

    def watch_websocket(websocket: WebSocket) -> None:
        if _leaves_machine(websocket.url):
            external_requests.append(websocket.url)  # routes don't see websockets; record them

    page.route("**/*", guard)
    page.on("websocket", watch_websocket)
    yield page
    if external_requests:
        pytest.fail(f"the page tried to reach other hosts: {external_requests}")


def _leaves_machine(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOOPBACK_HOSTS


@pytest.fixture(name="fresh")
def fresh_fixture() -> Callable[[Page, str], Locator]:
    return fresh


@pytest.fixture(name="screenshot")
def screenshot_fixture() -> Callable[[Page, str], Path]:
    return screenshot
