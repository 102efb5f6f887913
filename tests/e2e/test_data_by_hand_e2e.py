"""Data by hand in a real browser (Rose and Many classes): a click on the plane adds a point,
and the next frame counts it among the training points; Shift-click removes it; while playing,
a click keeps the same run training on the new data."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.metrics import read_metric, wait_for_metric


@pytest.mark.parametrize(
    ("path", "heading", "shot"),
    [
        ("/Rose", "3 · Rose", "rose_data_by_hand"),
        ("/Many_classes", "6 · Many classes", "many_classes"),
    ],
)
def test_a_point_added_by_clicking_is_in_the_next_frames_data(
    page: Page, screenshot, path: str, heading: str, shot: str
) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Play")).to_be_enabled(timeout=30_000)
    before = read_metric(page, "Training points")
    plane = page.locator("canvas.overlay").first
    expect(plane).to_have_class("overlay clickable")
    box = plane.bounding_box()
    corner = {"x": 0.06 * box["width"], "y": 0.06 * box["height"]}  # no dataset point there

    plane.click(position=corner)
    wait_for_metric(page, "Training points", f"== {before + 1}")
    plane.click(position=corner, modifiers=["Shift"])
    wait_for_metric(page, "Training points", f"== {before}")

    page.get_by_role("button", name="Play").click()
    wait_for_metric(page, "Iteration", ">= 30")
    plane.click(position=corner)
    wait_for_metric(page, "Training points", f"== {before + 1}")
    trained = read_metric(page, "Iteration")
    wait_for_metric(page, "Iteration", f">= {trained + 30}")  # it trains on, the same run
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text("paused", exact=True)).to_be_visible(timeout=10_000)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, shot)
