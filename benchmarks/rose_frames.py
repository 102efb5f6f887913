"""Frame rate of the Rose lesson's live view, in a real browser against the real server.

Starts `streamlit run dashboard.py` on a free loopback port and Debian's chromium (Playwright,
1280 x 1400), opens the Rose page with its defaults (the rose, 4 tanh units, 10 iterations per
frame), presses Play and counts the frames the page draws: the page prints "Frame N" under the
decision surface every frame, and a script in the page records each new value the moment it
appears. Frames per second = new frames / seconds, over ``--seconds`` of Play.

Each renderer of the decision surface is measured: ``svg`` (the page's: the 80 x 80 PNG and
the points in one SVG image), ``vega`` (the PNG under the points as a Vega-Lite chart, opened
with ?renderer=vega) and ``rect`` (6,400 Vega-Lite rect cells, ?renderer=rect). While playing,
the page draws everything once per fragment run and then redraws the surface, its counters and
the unit maps alone for the next frames (``QUICK_FRAMES`` in app_pages/3_Rose.py); every one
of those frames counts. The server's time per frame is measured in-process on the same data and
code: train (10 iterations + the page's metrics), predict (the 80 x 80 grid and every hidden
unit) and render (PNGs and specs). The load average is the machine's 1-minute figure at the end
of each browser run (2 cores, shared).

    .venv/bin/python benchmarks/rose_frames.py [--seconds 8]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402
from ui import playground as pg  # noqa: E402
from ui.controls import OutputSpec, Settings, build_network  # noqa: E402
from ui.diagram import network_diagram_spec  # noqa: E402

ITERATIONS_PER_FRAME = 10
COUNTER_JS = """() => {
  window.__frames = [];
  const read = () => {
    const captions = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')];
    for (const c of captions) {
      const m = c.innerText.match(/^Frame ([\\d,]+)/);
      if (m) return parseInt(m[1].replace(/,/g, ''));
    }
    return null;
  };
  let last = null;
  setInterval(() => {
    const v = read();
    if (v !== null && v !== last) { last = v; window.__frames.push([performance.now(), v]); }
  }, 5);
}"""


def browser_fps(browser, url: str, renderer: str, seconds: float) -> dict:
    """Play for ``seconds`` and count the frames the page shows."""
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    query = "" if renderer == "svg" else f"?renderer={renderer}"
    page.goto(f"{url}/Rose{query}")
    play = page.get_by_role("button", name="Play")
    play.wait_for(timeout=60_000)
    page.wait_for_selector('[data-testid="stCaptionContainer"] >> text=/^Frame/', timeout=60_000)
    page.evaluate(COUNTER_JS)
    play.click()
    page.wait_for_timeout(1_500)  # the first frames: chart code loads, the timer settles
    start = page.evaluate("window.__frames.length")
    page.wait_for_timeout(seconds * 1000)
    frames = page.evaluate("window.__frames")[start:]
    load = os.getloadavg()[0]
    page.get_by_role("button", name="Pause").click()
    page.close()
    if len(frames) < 2:
        return {"fps": 0.0, "frames": len(frames), "load": load, "gap_ms": float("nan")}
    (t0, n0), (t1, n1) = frames[0], frames[-1]
    gaps = [b[0] - a[0] for a, b in zip(frames, frames[1:], strict=False)]
    return {
        "fps": (len(frames) - 1) / ((t1 - t0) / 1000),
        "frames": len(frames),
        "server_frames": n1 - n0,
        "load": load,
        "gap_ms": statistics.median(gaps),
    }


def server_split(renderer: str, frames: int = 100) -> dict[str, float]:
    """Median ms per frame of the page's server work: train, predict and render."""
    data = pg.make_data(pg.DataChoice())
    X, Y = data.inputs[data.train], data.Y[data.train]
    X_test, Y_test = data.inputs[data.test], data.Y[data.test]
    settings = Settings(depth=1, units=(4,), activations=("tanh",), learning_rate=1.2)
    network = build_network(settings, OutputSpec(2, 1, "sigmoid", "cross_entropy"))
    trainer = network.trainer(X, Y, learning_rate=1.2)
    rows = pg.point_rows(data, True)
    times = {"train": [], "predict": [], "render": []}
    for _ in range(frames):
        t0 = time.perf_counter()
        for _ in range(ITERATIONS_PER_FRAME):
            trainer.step()
        network.cost(X, Y), pg.accuracy_of(network, X, Y)
        network.cost(X_test, Y_test), pg.accuracy_of(network, X_test, Y_test)
        t1 = time.perf_counter()
        view = pg.evaluate_plane(network, data)
        t2 = time.perf_counter()
        image = (
            view.output
            if renderer == "rect"
            else pg.png_data_url(pg.output_image(view.output, False))
        )
        pg.surface_spec(image, data.extent, rows)
        pg.neuron_grid_spec(pg.neuron_maps(view)[0])
        layers = network.layers
        network_diagram_spec(
            [2, 4, 1], [la.weights for la in layers], [la.bias.ravel() for la in layers]
        )
        t3 = time.perf_counter()
        for name, seconds in zip(times, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            times[name].append(1000 * seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    results = {}
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for renderer in ("svg", "vega", "rect"):
                results[renderer] = browser_fps(browser, url, renderer, args.seconds)
        finally:
            browser.close()

    print(f"Rose page, {args.seconds:g} s of Play per renderer, {os.cpu_count()} CPUs")
    print(
        "| renderer | frames/s in browser | median gap ms | train ms | predict ms | render ms "
        "| load avg (1 min) |"
    )
    print("|---|---|---|---|---|---|---|")
    for renderer, measured in results.items():
        split = server_split(renderer)
        print(
            f"| {renderer} | {measured['fps']:.1f} | {measured['gap_ms']:.0f} "
            f"| {split['train']:.2f} | {split['predict']:.2f} | {split['render']:.2f} "
            f"| {measured['load']:.2f} |"
        )


if __name__ == "__main__":
    main()
