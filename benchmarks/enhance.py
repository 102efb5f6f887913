"""Enhance rendering: seconds and peak extra memory for the picture network on big grids.

The fast preset's 2-27-31-31-1 relu network (trained 2,000 iterations on the helmet) is
evaluated in float32 on square grids over [-1, 1]^2, the way the page does it: one call to
the engine's chunked ``nn.render.predict_grid`` for the whole grid, and the page's banded
``ui.enhance.render`` (rows at a time, each band turned into pixels at once: what the progress
bar follows). Peak extra memory is measured with tracemalloc (numpy reports its buffers).
Goals: 2001 x 2001 in < 1 s and 4000 x 4000 in < 4 s, with bounded memory.

    .venv/bin/python benchmarks/enhance.py [--repeat 3]
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import image_to_xy, load_transmission  # noqa: E402
from nn.presets import FAST_IMAGE  # noqa: E402
from nn.render import predict_grid  # noqa: E402
from ui.enhance import render  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    X, Y, _ = image_to_xy(load_transmission("helmet"), "1bit")
    net = FAST_IMAGE.network(seed=1)
    trainer = FAST_IMAGE.trainer(net, X, Y, seed=1)
    for _ in range(2000):
        trainer.step()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; best of {args.repeat}")
    print("| grid | method | seconds | peak extra memory (MB) | output (MB) |")
    print("|------|--------|---------|------------------------|-------------|")
    for n in (2001, 4000):
        cases = {
            "predict_grid, float32 chunks": lambda n=n: predict_grid(net, n, n),
            "ui.enhance.render, bands to pixels": lambda n=n: render(net, n, n, "1bit", None),
        }
        for name, function in cases.items():
            seconds, peak = measure(function, args.repeat)
            output = n * n * (4 if name.startswith("predict") else 1) / 1e6
            print(f"| {n} x {n} | {name} | {seconds:.2f} | {peak:.0f} | {output:.0f} |")


if __name__ == "__main__":
    main()
