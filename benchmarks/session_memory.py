"""Memory one browser session holds: each lesson driven through AppTest like a student would,
trained for a long run, then everything its ``st.session_state`` refers to, measured.

Each scenario sets the lesson's widgets, presses Step, trains the rest of its iterations with
the session's own run (``Run.step``, the code a frame runs, without a redraw per frame), then
reruns the page so it draws the trained state (on Mustafar: renders it, at 4000 px too). The
state is walked object by object, each counted once: numpy buffers by their bytes, pictures by
their pixels, the rest by ``sys.getsizeof``; module-level data that every session shares is left
out. ``traced`` is what tracemalloc saw still allocated after the scenario (the session's state
plus AppTest's copy of the page; caches are warmed first), ``peak`` its high-water mark while
the scenario ran (renders and evaluations included).

    .venv/bin/python benchmarks/session_memory.py [--steps 60000] [--only mustafar]
"""

import argparse
import dataclasses
import gc
import io
import os
import sys
import time
import tracemalloc
import types
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # AppTest reads .streamlit/config.toml from the working directory

import streamlit.logger  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.live import run_of  # noqa: E402

streamlit.logger.set_log_level("error")

PAGES = {
    "linear": "app_pages/1_Linear_regression.py",
    "titanic": "app_pages/2_Titanic.py",
    "rose": "app_pages/3_Rose.py",
    "mustafar": "app_pages/4_Mustafar.py",
}
OURS = ("nn", "ui", "datasets", "sweep", "builtins", "collections", "queue", "threading")
MB = 1e6


# ---- measuring -------------------------------------------------------------------------------
def footprint(value, seen: set[int]) -> int:
    """Bytes held by ``value`` and what it refers to, each object once."""
    if id(value) in seen or isinstance(value, types.ModuleType | type):
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        root = value
        while isinstance(root.base, np.ndarray):
            root = root.base
        own = sys.getsizeof(value) if root is value else 112
        if root is not value and id(root) not in seen:
            seen.add(id(root))
            return own + root.nbytes
        return own + (value.nbytes if root is value else 0)
    if isinstance(value, Image.Image):
        return value.width * value.height * len(value.getbands())
    if isinstance(value, pd.DataFrame | pd.Series):
        return int(np.sum(value.memory_usage(deep=True)))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        return size + sum(footprint(k, seen) + footprint(v, seen) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return size + sum(footprint(item, seen) for item in value)
    if isinstance(value, types.FunctionType):  # a closure keeps its cells' values alive
        cells = value.__closure__ or ()
        return size + sum(footprint(cell.cell_contents, seen) for cell in cells)
    if type(value).__module__.split(".")[0] not in OURS:
        return size
    if hasattr(value, "__dict__"):
        size += footprint(vars(value), seen)
    for name in getattr(type(value), "__slots__", ()):
        size += footprint(getattr(value, name, None), seen)
    if dataclasses.is_dataclass(value) and not hasattr(value, "__dict__"):
        size += sum(footprint(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    return size


def state_sizes(at: AppTest) -> dict[str, int]:
    """Bytes per session-state key, shared objects counted under the first key that holds them."""
    seen: set[int] = set()
    return {key: footprint(value, seen) for key, value in sorted(at.session_state.items())}


# ---- driving the lessons ---------------------------------------------------------------------
def builder(at: AppTest, key: str, depth=0, units=4, activation="tanh", **sliders) -> AppTest:
    """Set the network builder through its widgets."""
    at.slider(key=f"{key}.depth").set_value(depth).run()
    for layer in range(depth):
        at.slider(key=f"{key}.units.{layer}").set_value(units)
        at.selectbox(key=f"{key}.activation.{layer}").set_value(activation)
    for name, value in sliders.items():
        at.select_slider(key=f"{key}.{name}").set_value(value)
    return at.run()


def big_upload(at: AppTest, side: int) -> AppTest:
    """Upload a side x side RGB picture (smooth, so its PNG stays small; the page keeps it at
    200 px a side) and train on 200 px."""
    ramp = np.linspace(0, 255, side, dtype=np.uint8)
    pixels = np.stack(np.broadcast_arrays(ramp[:, None], ramp[None, :], ramp[::-1, None]), -1)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, format="PNG")
    at.radio(key="mustafar.source").set_value("Upload a picture").run()
    upload = ("big.png", buffer.getvalue(), "image/png")
    at.file_uploader(key="mustafar.upload").set_value(upload).run()
    at.radio(key="mustafar.mode").set_value("gray")
    return at.slider(key="mustafar.resolution").set_value(200).run()


DEEPEST = {"depth": 6, "units": 64, "activation": "relu"}
LONG = {"max_iterations": 50_000}
SCENARIOS = {
    # name: (page, builder settings, iterations (None: --steps), then a 4000 px enhance render)
    "linear · defaults (path recorded)": ("linear", LONG, None, False),
    "linear · 6×64, batch 1": ("linear", {**DEEPEST, "batch_size": 1, **LONG}, None, False),
    "titanic · defaults": ("titanic", LONG, None, False),
    "titanic · 6×64 full batch": ("titanic", DEEPEST, 2000, False),
    "rose · defaults": ("rose", {"depth": 1, **LONG}, None, False),
    "rose · 6×64 full batch": ("rose", DEEPEST, 2000, False),
    "mustafar · Fast preset": ("mustafar", None, 5000, True),
    "mustafar · 6×64 full batch": ("mustafar", {**DEEPEST, "batch_size": 0}, 50, True),
    # Full batch on its 37,400 pixels is refused (kit.reproduce.MAX_STEP_MB): the largest batch.
    "mustafar · 20 MP upload (kept at 200 px), 6×64 batch 1024": (
        "mustafar",
        {**DEEPEST, "batch_size": 1024, "upload": 4472},
        200,
        True,
    ),
}


def scenario(page: str, settings: dict | None, steps: int, render: bool) -> tuple[AppTest, int]:
    """Run one scenario in a fresh session; returns the session and its iteration count."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    at.switch_page(PAGES[page]).run()
    if settings is not None:
        settings = dict(settings)
        if "upload" in settings:
            at = big_upload(at, settings.pop("upload"))
        at = builder(at, page, **settings)
    at.button(key=f"{page}.step").click().run()
    run = run_of(at, page)
    run.step(steps - 1)
    run.measure()
    at.run()
    if render:
        at.select_slider(key=f"{page}.size").set_value(4000).run()
    assert not at.exception, at.exception
    return at, run.iteration


def measure(name: str, page: str, settings: dict | None, steps: int, render: bool) -> dict:
    scenario(page, settings, 2, False)  # warm the caches and imports this scenario uses
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    at, iterations = scenario(page, settings, steps, render)
    seconds = time.perf_counter() - start
    gc.collect()
    traced, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sizes = state_sizes(at)
    run = run_of(at, page)
    heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:3]
    return {
        "scenario": name,
        "iterations": iterations,
        "history points": len(run.costs),
        "state MB": sum(sizes.values()) / MB,
        "heaviest keys (MB)": ", ".join(f"{k} {v / MB:.1f}" for k, v in heaviest),
        "traced MB": traced / MB,
        "peak MB": peak / MB,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=60_000, help="iterations of a long run")
    parser.add_argument("--only", default="", help="run the scenarios whose name contains this")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print("| scenario | iterations | history points | state MB | heaviest keys (MB) "
          "| traced MB | peak MB | seconds |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for name, (page, settings, steps, render) in SCENARIOS.items():
        if args.only not in name:
            continue
        row = measure(name, page, settings, steps or args.steps, render)
        print(
            f"| {row['scenario']} | {row['iterations']:,} | {row['history points']:,} "
            f"| {row['state MB']:.1f} | {row['heaviest keys (MB)']} | {row['traced MB']:.1f} "
            f"| {row['peak MB']:.1f} | {row['seconds']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
