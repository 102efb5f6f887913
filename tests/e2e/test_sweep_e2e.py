"""Sweeps in a real browser. The Sweep page: a small grid on the rose runs on two worker
processes, streams into the table and the scatter, and a clicked row opens in the Rose lesson;
at 1400 × 1000 its Start button and progress show without scrolling. On the Sweep page and in
the Rose lesson's capacity sweep, the buttons live in the live fragment: they follow each
sweep to its end or its cancel without a full rerun, and the page stops asking for frames."""

import re
import time

from playwright.sync_api import Locator, Page, expect

WINDOW = {"width": 1400, "height": 1000}
QUIET_MS = 2000  # long enough for four frames of a live fragment that still asks for more


def record_frames_sent(page: Page) -> list[float]:
    """The times of the messages the page sends its server (clicks, widget changes, the frame
    clock's requests); call before ``page.goto``."""
    sent: list[float] = []
    page.on(
        "websocket",
        lambda socket: socket.on("framesent", lambda _: sent.append(time.monotonic())),
    )
    return sent


def expect_no_more_frames(page: Page, sent: list[float]) -> None:
    """The page sends nothing for QUIET_MS: no live fragment asks for another frame."""
    before = len(sent)
    page.wait_for_timeout(QUIET_MS)
    assert len(sent) == before, f"{len(sent) - before} messages after the sweep ended"


def expect_shown_whole(page: Page, element: Locator) -> None:
    """``element`` is seen whole without scrolling: neither the window nor any element around
    it is scrolled, it lies inside the viewport, and at the middle of each of its four edges
    (2 px in) and at its centre the page shows the element itself (nothing covers or clips
    it)."""
    scrolled = element.evaluate(
        """e => {
            const scrolled = window.scrollX || window.scrollY ? ["window"] : [];
            for (let outer = e.parentElement; outer; outer = outer.parentElement)
                if (outer.scrollTop || outer.scrollLeft)
                    scrolled.push(outer.dataset.testid || outer.tagName);
            return scrolled;
        }"""
    )
    assert scrolled == [], f"scrolled: {scrolled}"
    box = element.bounding_box()
    assert box is not None, "not drawn"
    left, top = box["x"], box["y"]
    right, bottom = left + box["width"], top + box["height"]
    viewport = page.viewport_size
    assert 0 <= left < right <= viewport["width"], f"{box} leaves the {viewport} viewport"
    assert 0 <= top < bottom <= viewport["height"], f"{box} leaves the {viewport} viewport"
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    points = [
        [left + 2, middle_y], [right - 2, middle_y], [middle_x, top + 2], [middle_x, bottom - 2],
        [middle_x, middle_y],
    ]  # fmt: skip
    hidden = element.evaluate(
        "(e, points) => points.filter(([x, y]) => !e.contains(document.elementFromPoint(x, y)))",
        points,
    )
    assert hidden == [], f"covered or clipped at {hidden}"


def test_sweep_runs_and_a_row_opens_in_its_lesson(page: Page, fresh, screenshot) -> None:
    sent = record_frames_sent(page)
    page.goto("/Sweep")
    expect(page.get_by_role("heading", name="5 · Sweep")).to_be_visible(timeout=30_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name="Rose: the tutorial's 7-petal rose").click()
    expect(fresh(page, "550 samples to train on").first).to_be_visible(timeout=10_000)
    expect(fresh(page, "12 models").first).to_be_visible()

    page.get_by_role("button", name="Start").click()
    expect(fresh(page, "12 of 12 runs").first).to_be_visible(timeout=60_000)
    table = page.locator('[data-testid="stDataFrame"]')
    expect(table).to_be_visible(timeout=10_000)
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_be_visible()
    expect(page.get_by_role("button", name="Start")).to_be_enabled(timeout=10_000)
    expect(page.get_by_role("button", name="Cancel")).to_be_disabled()
    expect(page.get_by_role("button", name="Download the results (CSV)")).to_be_visible()
    expect_no_more_frames(page, sent)
    screenshot(page, "sweep")

    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection cell
    open_button = page.get_by_role("button", name="in the Rose lesson")
    expect(open_button).to_be_visible(timeout=10_000)
    page.get_by_role("heading", name="Results, best first").evaluate("e => e.scrollIntoView()")
    page.wait_for_timeout(300)
    screenshot(page, "sweep_selected")
    open_button.click()
    expect(page.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_start_and_progress_show_without_scrolling_and_cancel_stops(
    page: Page, fresh, screenshot
) -> None:
    sent = record_frames_sent(page)
    page.set_viewport_size(WINDOW)
    page.goto("/Sweep")
    start = page.get_by_role("button", name="Start")
    cancel = page.get_by_role("button", name="Cancel")
    expect(fresh(page, "12 models").first).to_be_visible(timeout=30_000)  # Mustafar, 12 models
    expect(start).to_be_enabled()
    expect(cancel).to_be_disabled()
    expect_shown_whole(page, start)

    # One worker: the sweep takes several seconds, and a core is left for the browser.
    workers = page.get_by_role("slider", name="Workers (one per core, one BLAS thread each)")
    workers.focus()
    page.keyboard.press("Home")
    expect(workers).to_have_attribute("aria-valuetext", "1")
    start.click()
    expect(start).to_be_disabled()
    expect(cancel).to_be_enabled()
    progress = page.locator('[data-testid="stProgress"]')
    expect(progress).to_contain_text("of 12 runs")
    expect_shown_whole(page, start)
    expect_shown_whole(page, progress)
    screenshot(page, "sweep_1400x1000")

    cancel.click()
    expect(cancel).to_be_disabled()
    expect(start).to_be_enabled(timeout=60_000)  # once the run in progress has finished
    expect(progress).to_contain_text("cancelled")
    runs = int(re.match(r"(\d+) of 12 runs", progress.inner_text()).group(1))
    assert runs < 12
    expect_no_more_frames(page, sent)


def test_the_capacity_sweep_buttons_follow_the_sweep(page: Page, fresh) -> None:
    sent = record_frames_sent(page)
    page.goto("/Rose")
    expect(page.get_by_role("heading", name="3 · Rose")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Capacity sweep").click()
    run = page.get_by_role("button", name="Run the sweep")
    cancel = page.get_by_role("button", name="Cancel", exact=True)
    expect(run).to_be_enabled(timeout=10_000)
    expect(cancel).to_be_disabled()

    run.click()
    expect(run).to_be_disabled()
    expect(cancel).to_be_enabled()
    cancel.click()  # waits for the tick in progress, a fifth of a second at most
    expect(fresh(page, "Sweep: cancelled").first).to_be_visible()
    expect(run).to_be_enabled()
    expect(cancel).to_be_disabled()
    expect_no_more_frames(page, sent)

    before = len(sent)
    run.click()
    expect(fresh(page, "Sweep: done").first).to_be_visible(timeout=60_000)
    expect(run).to_be_enabled()
    expect(cancel).to_be_disabled()
    assert len(sent) - before > 5  # the clock's requests are seen: 21 ticks, one click
    expect_no_more_frames(page, sent)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
