"""What one live frame costs the browser and the server, lesson by lesson.

Starts `streamlit run dashboard.py` and Debian's chromium (Playwright, 1280 x 900), opens each
lesson with its defaults, presses Play and, for ``--seconds``, counts the frames the page draws
(a script in the page records every new value of the Iteration counter) and the processor time
of every chromium process and of the server (/proc). Per frame = processor seconds / frames.
Free-running, a page asks for a frame as soon as it has drawn the last, so chromium's share
shows how many frames one browser core can draw; benchmarks/classroom.py puts 24 such pages
on the server's 2 cores.

    .venv/bin/python benchmarks/browser_cost.py [--seconds 10]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.classroom import cpu_seconds  # noqa: E402
from tests.e2e.classroom import LESSONS  # noqa: E402
from tests.e2e.metrics import METRIC_JS  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

COUNT_FRAMES_JS = f"""() => {{
  window.frames_seen = 0;
  let last = null;
  setInterval(() => {{
    const value = ({METRIC_JS})('Iteration');
    if (value !== null && value !== last) {{ window.frames_seen += 1; last = value; }}
  }}, 10);
}}"""


def measure(page, seconds: float) -> tuple[float, float, int]:
    """(chromium, server) processor seconds and frames drawn over ``seconds`` of Play."""
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_role("button", name="Pause", exact=True).wait_for()
    time.sleep(1)  # past the full rerun that Play starts
    page.evaluate(COUNT_FRAMES_JS)
    browser, server = cpu_seconds(b"chromium"), cpu_seconds(b"dashboard.py")
    time.sleep(seconds)
    frames = page.evaluate("() => window.frames_seen")
    return cpu_seconds(b"chromium") - browser, cpu_seconds(b"dashboard.py") - server, frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    rows = []
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lesson in LESSONS:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{url}/{lesson}")
            page.get_by_role("button", name="Play", exact=True).wait_for(timeout=60_000)
            rows.append((lesson, *measure(page, args.seconds)))
            page.close()
        browser.close()
    print(f"\n{os.cpu_count()} CPUs; load average now {os.getloadavg()[0]:.2f}; "
          f"{args.seconds:g} s of Play per lesson, one page at a time\n")  # fmt: skip
    print("| lesson | frames a second | chromium cores | chromium s per frame "
          "| server cores | server s per frame |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for lesson, browser_cpu, server_cpu, frames in rows:
        per, second = max(frames, 1), args.seconds
        print(
            f"| {lesson} | {frames / second:.1f} | {browser_cpu / second:.2f} "
            f"| {browser_cpu / per:.3f} | {server_cpu / second:.2f} | {server_cpu / per:.3f} |"
        )


if __name__ == "__main__":
    main()
