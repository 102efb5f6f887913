"""A live fragment survives a click's full run that its own clock races (kit/frame_clock.py).

The race: a clock fires during a slow full run; Streamlit starts the fragment run the moment
the full run ends and drops that run's unsent drawing of the fragment; the browser removes the
fragment as stale, and its next frame lands on the element that slid into its place. The plain
``st.fragment`` shows the race is real here; ``live_fragment`` must lose nothing.
"""

import re
import time

from playwright.sync_api import Page

from tests.e2e.server import streamlit_server

TRIALS = 4


def frame_number(page: Page) -> int:
    found = re.search(r"frame (\d+)", page.locator('[data-testid="stMain"]').inner_text())
    return int(found.group(1)) if found else -1


def siblings_lost(page: Page, url: str) -> int:
    """Click the slow full run TRIALS times; count the times an element after the fragment
    was gone once three frames had been drawn since the click (the full run's and two more)."""
    page.goto(url)
    page.get_by_text("last element").wait_for()
    lost = 0
    for _ in range(TRIALS):
        clicked_at = frame_number(page)
        page.get_by_role("button", name="Slow run").click()
        deadline = time.monotonic() + 30
        while frame_number(page) < clicked_at + 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        text = page.locator('[data-testid="stMain"]').inner_text()
        lost += not ("sibling block" in text and "last element" in text)
    return lost


def test_a_live_fragment_keeps_the_page_whole_when_its_clock_races_a_click(page: Page) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with streamlit_server(script="tests/e2e/live_fragment_app.py") as url:
        assert siblings_lost(page, f"{url}/?plain") >= 1, "the race did not happen: no test"
        errors.clear()  # the plain fragment may have broken the page
        assert siblings_lost(page, url) == 0
    assert errors == []
