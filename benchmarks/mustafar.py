"""Training the picture lesson's 2-27-31-31-1 network on the helmet transmission (100 x 94).

The fast preset (nn.presets.FAST_IMAGE): wall time and iterations until the cost over all
9,400 pixels is below 0.09, for three seeds. The cost over all pixels is checked once per pass
over the data (every 19 mini-batches), and that time is counted.

With --tutorial, also the tutorial's own schedule (nn.presets.TUTORIAL_IMAGE): 28,000
full-batch iterations in float64, whose original code hits NaN at iteration 20,457 (its
cross-entropy gradient divides 0 by 0); the cost at the end of each learning-rate step.

    .venv/bin/python benchmarks/mustafar.py [--tutorial]
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import image_to_xy, load_transmission  # noqa: E402
from nn.presets import FAST_IMAGE, TUTORIAL_IMAGE  # noqa: E402

TARGET = 0.09


def fast_run(X, Y, seed: int) -> tuple[int | None, float, float]:
    """(iterations to the target or None, seconds, final cost over all pixels)."""
    net = FAST_IMAGE.network(seed=seed)
    trainer = FAST_IMAGE.trainer(net, X, Y, seed=seed)
    per_pass = -(-len(X) // FAST_IMAGE.batch_size)
    start = time.perf_counter()
    while trainer.iteration < FAST_IMAGE.iterations:
        for _ in range(per_pass):
            trainer.step()
        cost = net.cost(X, Y)
        if cost < TARGET:
            return trainer.iteration, time.perf_counter() - start, cost
    return None, time.perf_counter() - start, cost


def tutorial_run(X, Y) -> None:
    net = TUTORIAL_IMAGE.network(seed=1)
    trainer = TUTORIAL_IMAGE.trainer(net, X, Y)
    start = time.perf_counter()
    costs = [trainer.step() for _ in range(TUTORIAL_IMAGE.iterations)]  # trainer.costs thins
    seconds = time.perf_counter() - start
    ends = np.cumsum([n for _, n in TUTORIAL_IMAGE.learning_rate.steps]) - 1
    print(
        f"\nTutorial schedule, {TUTORIAL_IMAGE.iterations:,} iterations, float64: {seconds:.0f} s"
    )
    print("| learning rate | iterations | cost at the step's last iteration |")
    print("|---------------|------------|-----------------------------------|")
    for (rate, n), end in zip(TUTORIAL_IMAGE.learning_rate.steps, ends, strict=True):
        print(f"| {rate:<13g} | {n:>10,} | {costs[end]:.6f} |")
    print(f"NaN or infinite costs: {int(np.sum(~np.isfinite(costs)))}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tutorial", action="store_true", help="also run the 28,000-step schedule")
    args = parser.parse_args()
    X, Y, shape = image_to_xy(load_transmission("helmet"), mode="1bit")
    print(f"helmet: {shape[0]} x {shape[1]} = {len(X):,} pixels; load {os.getloadavg()[0]:.2f}")
    print(f"\nFast preset: {FAST_IMAGE.description}")
    print(f"| seed | iterations to cost < {TARGET} | seconds | cost |")
    print("|------|-----------------------------|---------|------|")
    for seed in (0, 1, 2):
        iterations, seconds, cost = fast_run(X, Y, seed)
        reached = f"{iterations:,}" if iterations else "not reached"
        print(f"| {seed} | {reached:>27} | {seconds:7.2f} | {cost:.4f} |")
    if args.tutorial:
        tutorial_run(X, Y)


if __name__ == "__main__":
    main()
