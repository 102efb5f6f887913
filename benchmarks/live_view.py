"""The live view, lesson by lesson: frames a second, what a frame costs, and sliders.

Starts `streamlit run dashboard.py` and Debian's chromium (Playwright, 1400 x 1000: a
projector), opens each lesson with a run too long to end (``?max_iterations=200000``), as fast
as it goes (``speed=0``; Linear regression at its default 1,000 steps a second: faster, it
would end within the measurement), presses Play and, for ``--seconds``:

- states/s: distinct training states shown a second (a MutationObserver counts every new text
  of the Iteration counter; the main picture is painted in the same call);
- chromium CPU-s/frame: the processor time of this benchmark's chromium processes (/proc) per
  state shown, and chromium cores;
- server cores: the server's processor time a second; training cores: the processor time its
  batches spent in training steps (the payloads report it), the share of the engine's raw
  throughput the lesson trains at; overhead = server − training (reruns, snapshots, sending);
- it/s: iterations a second.

Then, paused, ``--sliders`` times: focus the sidebar's learning-rate slider, press → (or ←)
and time from the keydown to the app's script state ``notRunning`` (median); then while
playing, to the live view's Learning rate counter showing the new rate (the batches keep the
script state busy).

    .venv/bin/python benchmarks/live_view.py [--seconds 8] [--sliders 7] [--lessons Rose ...]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.classroom import process_cpu_seconds, server_pid  # noqa: E402
from tests.e2e.metrics import COUNT_STATES_JS, METRIC_JS, read_metric  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

# As fast as it goes, but Linear regression at its default 1,000 steps a second: faster, it
# would end its 200,000 iterations within the measurement.
LESSONS = {"Linear_regression": "speed=1000", "Titanic": "speed=0", "Rose": "speed=0",
           "Mustafar": "speed=0"}  # fmt: skip
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Starts timing at the keydown itself (a real key press, from Playwright's keyboard).
SLIDER_JS = """() => { window.sliderDone = new Promise((done) => {
  const app = document.querySelector('[data-testid="stApp"]');
  let start = null, seenRunning = false;
  const began = () => { start = performance.now(); };
  document.addEventListener('keydown', began, { once: true, capture: true });
  const check = () => {
    const state = app.getAttribute('data-test-script-state');
    if (start !== null && state !== 'notRunning') seenRunning = true;
    if (seenRunning && state === 'notRunning') return done(performance.now() - start);
    if (start !== null && performance.now() - start > 10000) return done(null);
    requestAnimationFrame(check);
  };
  check();
}); }"""


def chromium_pids() -> set[int]:
    """This benchmark's chromium processes: the descendants of this process named chromium
    (helpers and other tests on the machine have their own)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
        except (OSError, ValueError):
            continue

    def ours(pid: int) -> bool:
        while pid > 1:
            if pid == os.getpid():
                return True
            pid = parents.get(pid, 0)
        return False

    found = set()
    for pid in parents:
        try:
            if b"chromium" in Path(f"/proc/{pid}/cmdline").read_bytes() and ours(pid):
                found.add(pid)
        except OSError:
            continue
    return found


# Times from the keydown to a new Learning rate on the live view's counter.
RATE_JS = f"""() => {{ window.sliderDone = new Promise((done) => {{
  const rate = () => ({METRIC_JS})('Learning rate');
  const before = rate();
  let start = null;
  const began = () => {{ start = performance.now(); }};
  document.addEventListener('keydown', began, {{ once: true, capture: true }});
  const check = () => {{
    if (start !== null && rate() !== before) return done(performance.now() - start);
    if (start !== null && performance.now() - start > 10000) return done(null);
    requestAnimationFrame(check);
  }};
  check();
}}); }}"""
TRAINING_JS = "() => window.__liveStats.training"  # ms the server spent in training steps


def play(page, server_pids: set[int], seconds: float) -> dict[str, float]:
    page.get_by_role("button", name="Play", exact=True).click()
    time.sleep(1.5)  # past the first batches
    chromium = chromium_pids()
    page.evaluate(COUNT_STATES_JS)
    trained, first = page.evaluate(TRAINING_JS), read_metric(page, "Iteration")
    browser, server = process_cpu_seconds(chromium), process_cpu_seconds(server_pids)
    time.sleep(seconds)
    states, last = page.evaluate("() => window.statesSeen"), read_metric(page, "Iteration")
    browser = process_cpu_seconds(chromium) - browser
    server = process_cpu_seconds(server_pids) - server
    training = (page.evaluate(TRAINING_JS) - trained) / 1000
    finished = not page.get_by_role("button", name="Pause", exact=True).count()
    if not finished:
        page.get_by_role("button", name="Pause", exact=True).click()
    return {
        "states/s": states / seconds,
        "chromium CPU-s/frame": browser / max(states, 1),
        "chromium cores": browser / seconds,
        "server cores": server / seconds,
        "training cores": training / seconds,
        "overhead cores": (server - training) / seconds,
        "it/s": (last - first) / seconds,
        "ended early": float(finished),  # the run reached its 200,000 iterations: it/s is less
    }


def slider_ms(page, times: int, playing: bool = False) -> float:
    """Median milliseconds from a keypress on the learning-rate slider to an idle page, or,
    ``playing`` (batches keep the script state busy), to the live view's Learning rate counter
    showing the new rate."""
    if not playing:
        page.wait_for_selector(IDLE)
    slider = page.locator(
        '[data-testid="stSidebar"] [data-testid="stSlider"]', has_text="Learning rate"
    )
    slider.get_by_role("slider").focus()
    taken = []
    for k in range(times):
        time.sleep(0.5)
        page.evaluate(RATE_JS if playing else SLIDER_JS)
        page.keyboard.press("ArrowRight" if k % 2 else "ArrowLeft")
        taken.append(page.evaluate("() => window.sliderDone"))
        if not playing:
            page.wait_for_selector(IDLE)
    return statistics.median(t for t in taken if t is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--sliders", type=int, default=7)
    parser.add_argument("--lessons", nargs="*", default=list(LESSONS))
    args = parser.parse_args()
    rows = []
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lesson in args.lessons:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            separator = "&" if "?" in lesson else "?"  # a lesson may bring its own settings
            page.goto(f"{url}/{lesson}{separator}max_iterations=200000&{LESSONS.get(lesson, '')}")
            page.get_by_role("button", name="Play", exact=True).wait_for(timeout=60_000)
            page.wait_for_selector(IDLE)
            row = {"lesson": lesson, **play(page, {server_pid(url)}, args.seconds)}
            row["slider → idle ms, paused"] = slider_ms(page, args.sliders)
            page.get_by_role("button", name="Play", exact=True).click()
            page.wait_for_timeout(1_000)
            row["slider → new rate shown ms, playing"] = slider_ms(page, args.sliders, playing=True)
            rows.append(row)
            page.close()
        browser.close()
    names = list(rows[0])
    print("| " + " | ".join(names) + " |")
    print("|" + "---|" * len(names))
    for row in rows:
        cells = [row["lesson"]] + [f"{row[name]:.3g}" for name in names[1:]]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
