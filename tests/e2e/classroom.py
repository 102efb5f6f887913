"""A class of students on one server: N browser sessions (one chromium, N contexts) on the
lessons, all pressing Play at once. Shared by tests/e2e/test_classroom_e2e.py (a small class)
and benchmarks/classroom.py (5, 10 and 20 students, with the figures).

Every student opens a lesson with a seed of their own in the URL (``?seed=...``, and a run
too long to finish meanwhile), presses Play, trains, then presses Pause and Play a few times;
the time from each click to the server's answer on the page is a click-to-update
latency. One more
student per lesson ("the observer") opens the same lesson and never presses Play: their
iteration counter must stay at 0 while the others train, and every student's Seed field must
still show their own seed. Both fail if sessions
share a network or settings.
"""

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from playwright.async_api import Browser, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from tests.e2e.metrics import COUNT_STATES_JS, CURRENT_METRIC_JS, METRIC_JS
from tests.e2e.server import REPO_ROOT

LESSONS = ("Linear_regression", "Titanic", "Rose", "Mustafar")
EXCEPTION = '[data-testid="stException"]'
TIMEOUT = 120_000  # ms: 20 students on 2 cores make everything slow, never stuck
ARRIVING = 4  # students who open their lesson at the same moment
MAX_ITERATIONS = 200_000  # no run may finish (and disable Play) while the class is timed
# What a stuck page shows: its Play/Pause button, the run's badge and iteration, stale elements.
PAGE_STATE_JS = f"""() => {{
  const roots = [document, ...[...document.querySelectorAll('*')].map(e => e.shadowRoot)
    .filter(Boolean)];
  const all = (selector) => roots.flatMap(root => [...root.querySelectorAll(selector)]);
  const labels = all('button').map(b => b.innerText.trim())
    .filter(label => label === 'Play' || label === 'Pause');
  const badge = all('.badge').map(b => b.textContent).join('/');
  const stale = document.querySelectorAll('[data-stale="true"]').length;
  return `button ${{labels.join('/')}}, badge "${{badge}}", iteration `
    + `${{({METRIC_JS})('Iteration')}}, ${{stale}} stale elements, `
    + `${{document.querySelectorAll('[data-testid="stElementContainer"]').length}} elements`;
}}"""


@dataclass
class Student:
    lesson: str
    seed: int
    plays: bool = True
    latencies: list[float] = field(default_factory=list)  # seconds, click -> new label
    iterations: tuple[float, float] = (0.0, 0.0)  # counter when the timed window opens/closes
    states: int = 0  # new texts of the Iteration counter in that window (frames shown)
    seconds: float = 0.0  # length of that window
    errors: list[str] = field(default_factory=list)
    seed_shown: int | None = None
    console: list[str] = field(default_factory=list)  # the page's console, for a stuck page

    @property
    def iterations_per_second(self) -> float:
        return (self.iterations[1] - self.iterations[0]) / self.seconds if self.seconds else 0.0

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds else 0.0


async def metric(page: Page, label: str) -> float:
    """The metric's value; while a frame replaces it (briefly none on screen), wait for it."""
    found = await page.wait_for_function(
        CURRENT_METRIC_JS,
        arg=label,
        timeout=TIMEOUT,
        polling=100,
    )
    return (await found.json_value())["v"]


async def click_and_time(page: Page, name: str, then: str) -> float:
    """Click the button ``name``; seconds until the server's answer shows: after Play, the
    iteration moves; after Pause, the badge says "paused" (the label ``then`` changes at once,
    in the browser)."""
    before = await metric(page, "Iteration")
    start = time.perf_counter()
    await page.get_by_role("button", name=name, exact=True).click(timeout=TIMEOUT)
    try:
        await page.get_by_role("button", name=then, exact=True).wait_for(timeout=TIMEOUT)
        if name == "Play":
            await page.wait_for_function(
                f"() => ({METRIC_JS})('Iteration') > {before}", timeout=TIMEOUT, polling=20
            )
        else:
            await page.get_by_text("paused", exact=True).wait_for(timeout=TIMEOUT)
    except PlaywrightTimeout as error:
        shows = await page.evaluate(PAGE_STATE_JS)
        waited = f"{name} clicked, no answer after {TIMEOUT / 1000:.0f} s"
        raise TimeoutError(f"{waited}; the page shows {shows}") from error
    return time.perf_counter() - start


async def open_lesson(browser: Browser, url: str, student: Student) -> Page:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    settings = f"seed={student.seed}&max_iterations={MAX_ITERATIONS}"
    await page.goto(f"{url}/{student.lesson}?{settings}", timeout=TIMEOUT)
    await page.get_by_role("button", name="Play", exact=True).wait_for(timeout=TIMEOUT)
    await page.wait_for_function(
        f"() => ({METRIC_JS})('Iteration') === 0", timeout=TIMEOUT, polling=200
    )
    return page


async def attend(page: Page, student: Student, start: asyncio.Event, seconds: float) -> None:
    """Play, train for ``seconds``, toggle Pause/Play twice, pause; record what was seen."""
    page.on("crash", lambda _: student.errors.append("the page crashed"))
    page.on("console", lambda message: student.console.append(f"{message.type}: {message.text}"))
    await start.wait()
    try:
        if student.plays:
            student.latencies.append(await click_and_time(page, "Play", "Pause"))
            await page.wait_for_function(
                f"() => ({METRIC_JS})('Iteration') > 0", timeout=TIMEOUT, polling=200
            )
            await page.evaluate(COUNT_STATES_JS)
            begin, first = time.perf_counter(), await metric(page, "Iteration")
            await asyncio.sleep(seconds)
            await page.wait_for_function(  # at least one more frame, however busy the server
                f"() => ({METRIC_JS})('Iteration') > {first}", timeout=TIMEOUT, polling=100
            )
            last = await metric(page, "Iteration")
            student.seconds = time.perf_counter() - begin
            student.states = await page.evaluate("() => window.statesSeen")
            student.iterations = (first, last)
            for _ in range(2):
                student.latencies.append(await click_and_time(page, "Pause", "Play"))
                student.latencies.append(await click_and_time(page, "Play", "Pause"))
            student.latencies.append(await click_and_time(page, "Pause", "Play"))
        else:
            await asyncio.sleep(seconds)
            shown = await metric(page, "Iteration")
            if shown != 0:
                student.errors.append(f"an observer who never pressed Play sees iteration {shown}")
        seed_field = page.get_by_label("Seed", exact=True)
        student.seed_shown = int(await seed_field.input_value(timeout=TIMEOUT))
        if student.seed_shown != student.seed:
            student.errors.append(f"seed {student.seed} opened, {student.seed_shown} shown")
    except Exception as error:  # a timeout or a closed page: that student's lesson failed
        student.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        student.errors += [f"  console {line}" for line in student.console[-8:]]
        with contextlib.suppress(PlaywrightError):  # a crashed page has no picture
            await page.screenshot(path=REPO_ROOT / f"tests/artifacts/classroom-{student.seed}.png")
    boxes = page.locator(EXCEPTION)
    if await boxes.count():
        student.errors.append(f"an exception box: {await boxes.first.inner_text()}")


async def hold_class(
    browser: Browser, url: str, players: int, seconds: float, observers=LESSONS
) -> list[Student]:
    """``players`` students spread over the lessons, plus an observer on each of ``observers``."""
    students = [Student(LESSONS[i % len(LESSONS)], seed=100 + i) for i in range(players)]
    students += [Student(lesson, seed=900 + i, plays=False) for i, lesson in enumerate(observers)]
    pages = []
    for first in range(0, len(students), ARRIVING):  # a class arrives over a minute, not at once
        group = students[first : first + ARRIVING]
        pages += await asyncio.gather(*(open_lesson(browser, url, s) for s in group))
    start = asyncio.Event()
    lessons = zip(pages, students, strict=True)
    attending = [attend(page, student, start, seconds) for page, student in lessons]
    start.set()
    await asyncio.gather(*attending)
    for page in pages:
        await page.context.close()
    return students
