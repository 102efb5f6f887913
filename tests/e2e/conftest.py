"""Browser tests: one real dashboard server for the session, started through ``serve.py`` as
``make run`` starts it, and Debian's chromium.

Fixtures for tests in this folder:
- ``base_url``: the server's URL, so ``page.goto("/")`` or ``page.goto("/Rose")`` works;
- ``teacher_token``: the server's teacher token (``/?teacher=<token>`` is the teacher link);
- ``class_data_dir``: the server's class data folder (its board and the secret signing links);
- ``server_log``: the file the server's output goes to, serve.py's banner first;
- ``page``: pytest-playwright's page; every request to a non-loopback host is aborted,
  recorded in ``external_requests`` and fails the test (the proof that nothing leaves the room);
- ``new_page()``: a page in a browser context of its own (another Streamlit session: another
  student, or the teacher), guarded like ``page``; closed after the test;
- ``fresh(page, text)``: the element container with ``text`` drawn by the CURRENT run;
- ``screenshot(page, name)``: saves ``tests/artifacts/screenshots/<name>.png``.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Route, WebSocket

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
def teacher_token() -> str:
    """The session server's teacher token (its ``TEACHER_TOKEN``)."""
    return server.TEACHER_TOKEN


@pytest.fixture(scope="session")
def class_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session server's class data folder, new for each test session."""
    return tmp_path_factory.mktemp("class-data")


@pytest.fixture(scope="session")
def server_log() -> Path:
    """Where the session server's output goes: serve.py's banner, then Streamlit's log."""
    return ARTIFACTS / "streamlit-server.log"


@pytest.fixture(scope="session")
def streamlit_server(teacher_token: str, class_data_dir: Path, server_log: Path) -> Iterator[str]:
    """Start the dashboard through serve.py on a free loopback port, with ``teacher_token``
    and ``class_data_dir``; yield its URL."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (or run `make test`)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with server.streamlit_server(
            server_log, data_dir=class_data_dir, token=teacher_token
        ) as url:
            yield url
    except server.ServerError as error:
        pytest.fail(f"{error}:\n{server_log.read_text()}")


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
    yield _guarded(page, external_requests)
    if external_requests:
        pytest.fail(f"the page tried to reach other hosts: {external_requests}")


@pytest.fixture
def new_page(
    new_context: Callable[..., BrowserContext], external_requests: list[str]
) -> Iterator[Callable[[], Page]]:
    """``new_page()``: a page in a new browser context (pytest-playwright's ``new_context``:
    this folder's viewport and ``base_url``), so a Streamlit session of its own, guarded like
    ``page``. Every context is closed after the test."""
    yield lambda: _guarded(new_context().new_page(), external_requests)
    if external_requests:
        pytest.fail(f"a page tried to reach other hosts: {external_requests}")


def _guarded(page: Page, external_requests: list[str]) -> Page:
    """``page`` with every request to another host aborted and recorded."""

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
    return page


def _leaves_machine(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOOPBACK_HOSTS


@pytest.fixture(name="fresh")
def fresh_fixture() -> Callable[[Page, str], Locator]:
    return fresh


@pytest.fixture(name="screenshot")
def screenshot_fixture() -> Callable[[Page, str], Path]:
    return screenshot
