"""Enhance rendering: seconds and peak extra memory for the picture network on big grids, and
how soon the free viewer shows its preview and then the full picture.

The fast preset's 2-27-31-31-1 relu network (trained 2,000 iterations on the helmet) is
evaluated in float32.

``grid`` table: square grids over [-1, 1]^2, the way the page does it: one call to the engine's
chunked ``nn.fast.render.predict_grid`` for the whole grid, and the page's banded
``lessons.mustafar.enhance.render`` (rows at a time, each band turned into pixels at
once: what the progress bar follows). Peak extra memory is measured with tracemalloc (numpy
reports its buffers).
Goals: 2001 x 2001 in < 1 s and 4000 x 4000 in < 4 s, with bounded memory.

``preview`` tables: the free viewer's output sizes for the helmet (94 x 100 px), each a view
not rendered yet. "Render functions": ``quick_preview`` and the full ``render``, each followed by
what ``st.image`` does with it (``for_display``, then JPEG at quality 100). "The page, in the
server": the Mustafar page run by Streamlit's AppTest in this process (one Step of training,
then the Output size slider moved); the clock starts as the rerun is asked for and stops when
the preview's caption, then the full picture's caption, is handed to Streamlit for the browser
(the picture itself just before each). Goal: the preview within 250 ms.

``browser`` table (with --browser): `streamlit run dashboard.py` and Debian's chromium
(Playwright) on this machine. After one Step, at 2x zoom, each press of the window-centre
slider asks for a view not rendered yet; the clock runs from the key press to the preview's
caption, then the full picture's, on screen (not stale). "Pressed again" presses a second time
400 ms into the full render of the largest size: that render gives way at its next band.

    .venv/bin/python benchmarks/enhance.py [--repeat 3] [--only grid|preview] [--browser]
"""

import argparse
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from datasets import image_to_xy, load_transmission  # noqa: E402
from lessons.mustafar.enhance import for_display, output_size, preview_size, quick_preview, render  # noqa: E402
from nn.fast.render import predict_grid  # noqa: E402
from nn.presets import FAST_IMAGE  # noqa: E402
from tests.live import ask  # noqa: E402

HELMET = (100, 94)  # the helmet's full-resolution (rows, cols)
VIEWER_SIZES = (4000, 2001, 1600)  # output long sides; the page opens at 800 (8x)
KEY = "mustafar"


def measure(function, repeat: int) -> tuple[float, float]:
    """(best seconds over `repeat` calls, peak extra MB of one call)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 1e6


def trained_network():
    X, Y, _ = image_to_xy(load_transmission("helmet"), "1bit")
    trainer = FAST_IMAGE.with_changes(seed=1).trainer(X, Y)
    net = trainer.network
    for _ in range(2000):
        trainer.step()
    return net


def grid_table(net, repeat: int) -> None:
    print("| grid | method | seconds | peak extra memory (MB) | output (MB) |")
    print("|------|--------|---------|------------------------|-------------|")
    for n in (2001, 4000):
        cases = {
            "predict_grid, float32 chunks": lambda n=n: predict_grid(net, n, n),
            "enhance.render, bands to pixels": lambda n=n: render(net, n, n, "1bit", None),
        }
        for name, function in cases.items():
            seconds, peak = measure(function, repeat)
            output = n * n * (4 if name.startswith("predict") else 1) / 1e6
            print(f"| {n} x {n} | {name} | {seconds:.2f} | {peak:.0f} | {output:.0f} |")


def as_sent(image) -> bytes:
    """What st.image makes of a viewer picture: the display copy, as JPEG at quality 100."""
    buffer = io.BytesIO()
    for_display(image).save(buffer, format="JPEG", quality=100)
    return buffer.getvalue()


def seconds_of(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def preview_ready(net, rows: int, cols: int) -> bytes:
    return as_sent(quick_preview(net, rows, cols, "1bit", None)[0])


def full_ready(net, rows: int, cols: int) -> bytes:
    return as_sent(render(net, rows, cols, "1bit", None))


def render_table(net, repeat: int) -> None:
    """Median seconds of the preview and of the full picture, each rendered and made ready to
    send, per output size."""
    print(f"\nRender functions (median of {repeat}):\n")
    print("| output size | preview (px) | preview, ready to send (ms) | full, ready to send (s) |")
    print("|---|---|---|---|")
    for side in VIEWER_SIZES:
        rows, cols = output_size(side, HELMET)
        small_rows, small_cols = preview_size(rows, cols, net.parameter_count)
        preview = [seconds_of(preview_ready, net, rows, cols) for _ in range(repeat)]
        full = [seconds_of(full_ready, net, rows, cols) for _ in range(repeat)]
        print(
            f"| {cols:,} × {rows:,} | {small_cols} × {small_rows} "
            f"| {statistics.median(preview) * 1000:.0f} | {statistics.median(full):.2f} |"
        )


def page_table(repeat: int) -> None:
    """Seconds from asking for a rerun with a new output size to the preview's and the full
    picture's captions being sent, on the Mustafar page in AppTest, per output size."""
    import streamlit.logger
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
    from streamlit.testing.v1 import AppTest

    streamlit.logger.set_log_level("error")
    os.chdir(ROOT)  # AppTest reads .streamlit/config.toml from the working directory
    sent: dict[str, float] = {}

    def note(message) -> None:
        element = message.delta.new_element if message.HasField("delta") else None
        text = element.markdown.body if element is not None and element.HasField("markdown") else ""
        for kind in ("Preview", "Full picture"):
            if text.startswith(f"**{kind}**"):
                sent.setdefault(kind, time.perf_counter())

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at = at.switch_page("app_pages/4_Mustafar.py").run()
    ask(at, KEY, "step")  # one iteration: rendering costs the same
    ForwardMsgQueue.on_before_enqueue_msg(note)
    timings = {side: [] for side in VIEWER_SIZES}
    try:
        for _ in range(repeat):
            for side in VIEWER_SIZES:
                renders = at.session_state[f"{KEY}.renders"]
                for wanted in [
                    k for k, (image, _) in renders.items() if image.width != image.height
                ]:
                    del renders[wanted]  # the viewer's renders (Figure 9's are square): all new
                sent.clear()
                start = time.perf_counter()
                at.select_slider(key=f"{KEY}.size").set_value(side).run()
                if at.exception or set(sent) != {"Preview", "Full picture"}:
                    raise RuntimeError(f"no preview then full picture at {side} px: {at.exception}")
                timings[side].append((sent["Preview"] - start, sent["Full picture"] - start))
    finally:
        ForwardMsgQueue.on_before_enqueue_msg(None)
    print(f"\nThe page, in the server (AppTest; median, and the worst, of {repeat}):\n")
    print("| output size | time to preview (ms) | time to full picture (s) |")
    print("|---|---|---|")
    for side, pairs in timings.items():
        rows, cols = output_size(side, HELMET)
        preview = [first * 1000 for first, _ in pairs]
        full = [last for _, last in pairs]
        print(
            f"| {cols:,} × {rows:,} | {statistics.median(preview):.0f} (worst {max(preview):.0f}) "
            f"| {statistics.median(full):.2f} (worst {max(full):.2f}) |"
        )


# In the page: the times (ms from now) the preview, then the full picture, is first on screen:
# a caption of the current run ("Preview at", "Full picture") under a picture not shown before.
WATCH_JS = """() => {
  const before = new Set(Array.from(document.images, (image) => image.src));
  const start = performance.now();
  window.shown = {};
  function pictureIsNew(caption) {
    const image = caption.previousElementSibling?.querySelector('img');
    return image && image.complete && image.naturalWidth > 0 && !before.has(image.src);
  }
  function look() {
    const fresh = '[data-testid="stElementContainer"][data-stale="false"]';
    for (const caption of document.querySelectorAll(fresh)) {
      const text = (caption.innerText || '').trim();
      const kind = text.startsWith('Preview at') ? 'preview'
        : text.startsWith('Full picture') ? 'full' : null;
      if (kind && !(kind in window.shown) && pictureIsNew(caption)) {
        window.shown[kind] = performance.now() - start;
      }
    }
    if (!('full' in window.shown)) requestAnimationFrame(look);
  }
  look();
}"""


def browser_table(repeat: int) -> None:
    """Seconds from a key press to the preview, then the full picture, on screen in chromium."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server

    table = []
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(f"{url}/Mustafar")
        page.get_by_role("button", name="Step", exact=True).click(timeout=60_000)
        shows(page, "Full picture: 752 × 800 px =")
        press(page, "Zoom", "ArrowRight")
        shows(page, "2× zoom")
        for key, side in (("ArrowRight", 1600), ("ArrowRight", 2001), ("End", 4000)):
            height, width = output_size(side, HELMET)
            size = f"{width:,} × {height:,}"
            press(page, "Output size", key)
            shows(page, f"Full picture: {size} px =")
            table.append((size, [timed_centre_step(page) for _ in range(repeat)]))
        again = [timed_centre_step(page, again_after_ms=400) for _ in range(repeat)]
        table.append((f"{size}, pressed again", again))
        browser.close()
    print(f"\nIn the browser (chromium on this machine; median, and the worst, of {repeat}):\n")
    print("| view at 2× zoom | key press to preview (ms) | key press to full picture (s) |")
    print("|---|---|---|")
    for name, times in table:
        preview = [first for first, _ in times]
        full = [last / 1000 for _, last in times]
        print(
            f"| {name} | {statistics.median(preview):.0f} (worst {max(preview):.0f}) "
            f"| {statistics.median(full):.2f} (worst {max(full):.2f}) |"
        )


def shows(page, text: str) -> None:
    """Wait until an element of the current run shows ``text``."""
    fresh = '[data-testid="stElementContainer"][data-stale="false"]'
    page.locator(fresh, has_text=text).first.wait_for(timeout=120_000)


def press(page, slider: str, key: str) -> None:
    handle = page.locator('[data-testid="stSlider"]').filter(has_text=slider).get_by_role("slider")
    handle.focus()
    handle.press(key)


def timed_centre_step(page, again_after_ms: float | None = None) -> tuple[float, float]:
    """(ms to the preview, ms to the full picture) after one step of the window centre; with
    ``again_after_ms``, of a second step that long after the first's preview is shown."""
    page.evaluate(WATCH_JS)
    press(page, "Window centre: down", "ArrowRight")
    if again_after_ms is not None:
        page.wait_for_function("() => 'preview' in window.shown", timeout=120_000)
        page.wait_for_timeout(again_after_ms)
        page.evaluate(WATCH_JS)
        press(page, "Window centre: down", "ArrowRight")
    page.wait_for_function("() => 'full' in window.shown", timeout=120_000)
    page.wait_for_timeout(500)  # the comparison below the viewer, drawn after the picture
    shown = page.evaluate("() => window.shown")
    return shown["preview"], shown["full"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("grid", "preview"))
    parser.add_argument("--browser", action="store_true", help="also time it in chromium")
    args = parser.parse_args()
    net = trained_network()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; repeat {args.repeat}")
    if args.only != "preview":
        print(f"\nBest of {args.repeat}:\n")
        grid_table(net, args.repeat)
    if args.only != "grid":
        render_table(net, args.repeat)
        page_table(args.repeat)
    if args.browser:
        browser_table(args.repeat)


if __name__ == "__main__":
    main()
