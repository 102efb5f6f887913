"""Weights by hand in a real browser: on the paused Rose page, a click on the output unit opens
an editor for its bias; the value typed changes the decision surface and the test accuracy, and
Play trains on from there. While playing, a click only says to pause first."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import IDLE
from tests.e2e.metrics import read_metric, wait_for_metric

# The decision surface as the page shows it: the live view's picture canvas, as a PNG data URL
# (the live view is a component in the page's shadow DOM).
SURFACE_JS = """() => {
  for (const host of document.querySelectorAll("*")) {
    const canvas = host.shadowRoot && host.shadowRoot.querySelector("canvas.raster");
    if (canvas) return canvas.toDataURL();
  }
  return null;
}"""
# A client point 30 % along a line and 3 viewBox units beside it (clear of crossing lines).
ALONG_JS = """(line) => {
  const at = (axis) => 0.7 * Number(line.getAttribute(`${axis}1`))
    + 0.3 * Number(line.getAttribute(`${axis}2`));
  const point = new DOMPoint(at("x"), at("y") - 3).matrixTransform(line.getScreenCTM());
  return [point.x, point.y];
}"""
OUTPUT_UNIT = 'circle.diagram-unit[data-layer="1"][data-unit="0"]'


def test_a_bias_set_by_hand_changes_the_prediction_and_play_trains_on(
    page: Page, screenshot
) -> None:
    page.goto("/Rose?speed=30")
    expect(page.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=30_000)
    step = page.get_by_role("button", name="Step", exact=True)
    expect(step).to_be_enabled(timeout=30_000)
    page.wait_for_selector(IDLE)
    step.click()
    wait_for_metric(page, "Iteration", "== 1")
    expect(page.get_by_text("paused", exact=True)).to_be_visible(timeout=10_000)
    page.wait_for_selector(IDLE)
    accuracy = read_metric(page, "Test accuracy")
    surface = page.evaluate(SURFACE_JS)
    assert surface is not None

    output = page.locator(OUTPUT_UNIT)
    output.hover()
    wrap = page.locator(".diagram-wrap")
    expect(wrap).to_have_attribute("title", re.compile(r"^Bias of output unit 1: .*click to edit"))
    assert page.locator("svg.diagram").evaluate("(svg) => svg.style.cursor") == "pointer"

    editor = page.locator(".diagram-editor")
    line = page.locator('line.diagram-edge[data-layer="1"][data-from="0"][data-to="0"]')
    page.mouse.click(*line.evaluate(ALONG_JS))  # a thin line: a near miss still picks it
    expect(editor).to_contain_text("Weight from hidden 1 unit 1 to output unit 1")
    editor.get_by_role("button", name="Cancel").click()
    expect(editor).to_have_count(0)
    output.click()  # Escape closes the editor too
    expect(editor).to_be_visible()
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)

    output.click()
    expect(editor).to_contain_text("Bias of output unit 1")
    value = editor.get_by_role("spinbutton")
    expect(value).to_be_focused()
    value.fill("8")
    screenshot(page, "weights_by_hand")
    value.press("Enter")  # typed into the editor: Enter applies; it is no live-view key

    expect(editor).to_have_count(0)
    page.wait_for_function(f"(before) => ({SURFACE_JS})() !== before", arg=surface)
    wait_for_metric(page, "Test accuracy", f"!= {accuracy}")
    assert read_metric(page, "Iteration") == 1  # set by hand: no training step
    page.wait_for_selector(IDLE)
    page.mouse.move(0, 0)
    output.hover()
    expect(wrap).to_have_attribute("title", re.compile(r"^Bias of output unit 1: 8 "))

    page.get_by_role("button", name="Play", exact=True).click()
    wait_for_metric(page, "Iteration", ">= 10")
    output.click()  # while playing: a hint, no editor
    expect(page.locator(".diagram-hint.shown")).to_have_text("Pause to edit a weight")
    expect(editor).to_have_count(0)
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_text("paused", exact=True)).to_be_visible(timeout=10_000)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
