"""The Rose lesson in a real browser: Play until the flower is learned (≥ 95 % accuracy)."""

from playwright.sync_api import Page, expect

from tests.e2e.metrics import read_metric, wait_for_metric

# First >= 95 % at iteration 70 (seed 1), 70-370 over seeds 0-9, on both kernels (measured).
MAX_ITERATIONS = 1_000


def test_play_learns_the_flower(page: Page, fresh, screenshot) -> None:
    page.goto("/Rose?speed=100")  # 1,000 iterations in 10 s: Pause lands near the first 95 %
    expect(page.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=30_000)
    play = page.get_by_role("button", name="Play")
    expect(play).to_be_enabled(timeout=30_000)
    read_metric(page, "Train accuracy")  # the live view is on the page
    wait_for_metric(page, "Iteration", "== 0")
    assert read_metric(page, "Train accuracy") < 70  # a fresh network knows nothing yet

    play.click()
    wait_for_metric(page, "Iteration", ">= 20")
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=10_000)
    screenshot(page, "rose_mid_training")

    page.get_by_role("button", name="Play").click()
    wait_for_metric(page, "Train accuracy", ">= 95", timeout=60_000)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=10_000)
    assert read_metric(page, "Iteration") <= MAX_ITERATIONS
    # Paused just past the first frame at >= 95 %, so re-reading >= 95 would pass by a hair.
    # Measured from that frame to iteration 5,000: never below 95.5 % (seed 1), 95.1 % (seeds
    # 0-9), on SkylakeX and Haswell with 1 and 2 BLAS threads; a fresh network shows < 70 %.
    assert read_metric(page, "Train accuracy") >= 90
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "rose")
