"""Every lesson's live view in a real browser at a projector's 1400 × 1000: nothing it needs is
below the fold, and the keyboard drives it (Space, →, R)."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import IDLE
from tests.e2e.metrics import read_metric, wait_for_metric

PROJECTOR = {"width": 1400, "height": 1000}
LESSONS = ("Linear_regression", "Titanic", "Rose", "Mustafar", "Many_classes")
# The buttons, the counters and every panel of the first row (the main picture) of the view.
ABOVE_THE_FOLD = ("button.primary", ".counters", ".row:first-child .panel")


def assert_inside_the_viewport(page: Page, selector: str) -> None:
    boxes = page.locator(selector)
    expect(boxes.first).to_be_visible()
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, selector
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
        right, bottom = box["x"] + box["width"], box["y"] + box["height"]
        assert right <= PROJECTOR["width"] and bottom <= PROJECTOR["height"], (selector, box)


@pytest.mark.parametrize("lesson", LESSONS)
def test_play_the_counters_and_the_main_picture_are_above_the_fold(page: Page, lesson) -> None:
    page.set_viewport_size(PROJECTOR)
    page.goto(f"/{lesson}?max_iterations=200000")
    play = page.get_by_role("button", name="Play", exact=True)
    expect(play).to_be_enabled(timeout=60_000)
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(500)  # the canvases take their size
    for selector in ABOVE_THE_FOLD:
        assert_inside_the_viewport(page, selector)
    play.click()
    wait_for_metric(page, "Iteration", "> 0")
    for selector in ABOVE_THE_FOLD:
        assert_inside_the_viewport(page, selector)
    scrolled = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTop ?? window.scrollY"
    )
    assert scrolled == 0
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_text("paused", exact=True)).to_be_visible(timeout=10_000)


def test_space_plays_and_pauses_right_steps_and_r_resets(page: Page) -> None:
    page.goto("/Linear_regression?speed=100")
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_enabled(timeout=30_000)
    page.wait_for_selector(IDLE)
    page.evaluate("() => document.activeElement?.blur()")  # keys go to the page, not a widget

    page.keyboard.press("ArrowRight")
    wait_for_metric(page, "Iteration", "== 1")
    page.keyboard.press("ArrowRight")
    wait_for_metric(page, "Iteration", "== 2")

    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_visible()
    wait_for_metric(page, "Iteration", ">= 20")
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    expect(page.get_by_text("paused", exact=True)).to_be_visible(timeout=10_000)
    paused_at = read_metric(page, "Iteration")
    page.wait_for_timeout(800)
    assert read_metric(page, "Iteration") == paused_at

    page.keyboard.press("r")
    wait_for_metric(page, "Iteration", "== 0")
    expect(page.get_by_text("ready: press Play", exact=False)).to_be_visible()

    page.get_by_role("button", name="Step", exact=True).click()  # the focus stays on Step
    wait_for_metric(page, "Iteration", "== 1")
    page.keyboard.press("ArrowRight")  # → still steps; Space would click the focused button
    wait_for_metric(page, "Iteration", "== 2")


def test_keys_on_a_focused_slider_move_the_slider_not_the_run(page: Page) -> None:
    page.goto("/Linear_regression")
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_enabled(timeout=30_000)
    page.wait_for_selector(IDLE)
    slider = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]')
    thumb = slider.filter(has_text="Learning rate").get_by_role("slider")
    before = thumb.get_attribute("aria-valuenow")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    expect(thumb).not_to_have_attribute("aria-valuenow", before)
    page.wait_for_selector(IDLE)
    assert read_metric(page, "Iteration") == 0  # → moved the slider; it did not step
