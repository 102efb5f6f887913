"""The Linear-regression lesson in a real browser: Play trains live, Pause stops."""

from playwright.sync_api import Page, expect

from tests.e2e.metrics import read_metric, wait_for_metric


def test_play_trains_live_and_pause_stops(page: Page, fresh, screenshot) -> None:
    # Opened straight from a shared lesson link: the navigation shows titles, never file names.
    page.goto("/Linear_regression")
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
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    paused_at = read_metric(page, "Iteration")
    page.wait_for_timeout(1_000)  # a running timer would add 10 iterations every 0.2 s
    assert read_metric(page, "Iteration") == paused_at
    assert 60 <= paused_at < 1000

    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "linear")
