"""A small class on one server: every lesson trains in its own session at the same time, and
no session sees another's network or settings (tests/e2e/classroom.py has the details)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from playwright.async_api import async_playwright

from tests.e2e.classroom import LESSONS, hold_class
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS


async def small_class(url: str):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return await hold_class(browser, url, len(LESSONS), seconds=3, observers=LESSONS[:2])
        finally:
            await browser.close()


def test_four_lessons_train_at_once_and_stay_apart(base_url: str) -> None:
    # Its own thread: pytest-playwright's sync API may own this thread's event loop.
    with ThreadPoolExecutor(1) as thread:
        students = thread.submit(asyncio.run, small_class(base_url)).result()
    assert {s.lesson for s in students if s.plays} == set(LESSONS)
    for student in students:
        assert student.errors == [], (student.lesson, student.seed, student.errors)
        assert student.seed_shown == student.seed
    for student in (s for s in students if s.plays):
        assert student.iterations_per_second > 0 and len(student.latencies) == 6
