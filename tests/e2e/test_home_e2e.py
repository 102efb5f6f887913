"""Home in a real browser against a real server."""

import re

from playwright.sync_api import Page, expect

from lessons import LESSONS, available_lessons

SIDEBAR_LINKS = '[data-testid="stSidebarNav"] a'


def test_home_shows_lessons_diagram_and_navigation(
    page: Page, fresh, screenshot, external_requests: list[str]
) -> None:
    page.goto("/")

    expect(page.get_by_role("heading", name="Neural network from scratch")).to_be_visible(
        timeout=30_000
    )
    for lesson in LESSONS:
        expect(fresh(page, f"{lesson.number} · {lesson.title}")).to_be_visible()
    diagram = page.locator('[data-testid="stVegaLiteChart"]')
    expect(diagram).to_have_count(1)
    expect(diagram.locator("canvas, svg").first).to_be_visible()
    expect(page.locator('[data-testid="stMarkdownContainer"] .katex').first).to_be_visible()

    lessons = [lesson.title for lesson in available_lessons()]
    # Streamlit shows no navigation at all while Home is the only page. A link's text starts
    # with its Material icon's name ("homeHome"), hence the patterns.
    titles = ["Home", *lessons] if lessons else []
    links = page.locator(SIDEBAR_LINKS)
    expect(links).to_have_text([re.compile(rf"{re.escape(title)}$") for title in titles])
    expect(page.locator('[data-testid="stImage"] img')).to_have_count(len(LESSONS))

    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "home")
    assert external_requests == []
