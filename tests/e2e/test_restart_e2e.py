"""Reload and restart: the settings live in the URL, so a reload, or the server stopping and
starting again on the same port, brings the student's page back with their settings."""

from playwright.sync_api import Page, expect

from tests.e2e.metrics import read_metric, wait_for_metric
from tests.e2e.server import REPO_ROOT, free_port, is_healthy, streamlit_server

LESSON = "Rose?seed=7&learning_rate=0.3"


def open_with_settings(page: Page, url: str) -> None:
    expect(page.get_by_role("button", name="Play")).to_be_enabled(timeout=60_000)
    wait_for_metric(page, "Iteration", "== 0", timeout=60_000)
    expect(page.get_by_label("Seed", exact=True)).to_have_value("7")
    assert read_metric(page, "Learning rate") == 0.3
    assert page.url.startswith(url)


def test_a_reload_and_a_server_restart_keep_the_settings(page: Page) -> None:
    port = free_port()
    logs = [REPO_ROOT / "tests" / "artifacts" / f"restart-{n}.log" for n in (1, 2)]
    with streamlit_server(logs[0], port=port) as url:
        page.goto(f"{url}/{LESSON}")
        open_with_settings(page, url)
        page.get_by_role("button", name="Step").click()
        wait_for_metric(page, "Iteration", "== 1")
        page.reload()  # a reload starts a new session: the URL brings the settings back
        open_with_settings(page, url)
    assert not is_healthy(url)  # stopped

    with streamlit_server(logs[1], port=port) as restarted:  # the same port is free again at once
        assert restarted == url
        page.reload()
        open_with_settings(page, url)
        page.get_by_role("button", name="Step").click()
        wait_for_metric(page, "Iteration", "== 1")
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert all("Traceback" not in log.read_text() for log in logs)
