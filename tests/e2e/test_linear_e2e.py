"""The Linear-regression lesson in a real browser: Play trains live, Pause stops."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.metrics import read_metric, wait_for_metric


def test_play_trains_live_and_pause_stops(page: Page, fresh, screenshot) -> None:
    # Opened straight from a shared lesson link: the navigation shows titles, never file names.
    page.goto("/Linear_regression?speed=100")  # 1,000 iterations in 10 s: time to pause
    expect(page.get_by_role("heading", name="1 · Linear regression")).to_be_visible(timeout=30_000)
    navigation = page.locator('[data-testid="stSidebarNav"]')
    expect(navigation).to_contain_text("Home")
    expect(navigation).not_to_contain_text("dashboard")
    play = page.get_by_role("button", name="Play")
    expect(play).to_be_enabled(timeout=30_000)
    expect(fresh(page, "Trainable parameters").first).to_be_visible()
    wait_for_metric(page, "Iteration", "== 0")

    play.click()
    wait_for_metric(page, "Iteration", ">= 20")
    early_cost = read_metric(page, "Cost")
    wait_for_metric(page, "Iteration", ">= 60")
    wait_for_metric(page, "Cost", f"< {early_cost}")

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=10_000)
    # The server confirms: the run as it is now (it trained ahead of what the browser showed).
    expect(page.get_by_text("paused", exact=True)).to_be_visible(timeout=10_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    paused_at = read_metric(page, "Iteration")
    page.wait_for_timeout(1_000)  # still playing, it would add 100 iterations a second
    assert read_metric(page, "Iteration") == paused_at
    assert 60 <= paused_at < 1000

    expect(page.locator(".panel canvas").first).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "linear")


def test_the_buttons_say_what_the_run_does_after_20_rapid_clicks(page: Page) -> None:
    """Clicks that land while a batch is in flight leave Play/Pause, the badge and the counter
    agreeing once the page is idle."""
    page.goto("/Linear_regression?max_iterations=100000&speed=100")
    play = page.get_by_role("button", name=re.compile("^(Play|Pause)$"))
    expect(play).to_have_accessible_name("Play", timeout=30_000)
    for click in range(20):
        play.click(timeout=10_000)
        if click % 5 == 4:  # and a Step among them: it pauses
            page.get_by_role("button", name="Step", exact=True).click(timeout=10_000)
    page.wait_for_timeout(500)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    # The labels change at the click, in the browser: every 5th click is Play (the run plays)
    # and the Step after it pauses, so the 20 clicks end paused, after a Step.
    expect(play).to_have_accessible_name("Play")
    expect(page.get_by_text("training…")).to_have_count(0)
    expect(page.get_by_text("paused", exact=True)).to_be_visible()
    paused_at = read_metric(page, "Iteration")
    page.wait_for_timeout(1_000)
    assert read_metric(page, "Iteration") == paused_at > 0
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
