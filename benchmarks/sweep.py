"""The author's search, timed: ~100 Mustafar models on this machine's cores.

    PYTHONPATH=. .venv/bin/python benchmarks/sweep.py                 # the whole preset, 2 jobs
    PYTHONPATH=. .venv/bin/python benchmarks/sweep.py --models 10     # a quick look
    PYTHONPATH=. .venv/bin/python benchmarks/sweep.py --full          # 8,000-24,000 iterations each

Prints the wall time, how the runs ended (reached 0.09, stuck, finished, diverged) and the best
runs on the helmet transmission; writes every run to tests/artifacts/ as a CSV.
Measure on a quiet machine (``uptime`` load below ~1.5): other work on the cores distorts it.

Measured here (2 cores, load 0.4 before): 100 models in 13.8 min (1,635 core-seconds, 189,221
iterations), 49 stuck (dead relu), 51 finished, none diverged, none below 0.09; best
2-51-38-21-1 seed 3 at cost 0.156 (93.7 % of pixels). At a quarter of each step (250-750) the
same grid took 17.0 min, best cost 0.148 (same network).
"""

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# `sweep` package: look in the repository root instead.
HERE, ROOT = Path(__file__).resolve().parent, Path(__file__).resolve().parents[1]
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

from sweep import load_dataset, ranked, run_sweep, tutorial_grid  # noqa: E402
from sweep.__main__ import progress_line  # noqa: E402

AUTHOR_HOURS = 15


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--full", action="store_true", help="the unscaled float64 schedule")
    parser.add_argument("--out", default="tests/artifacts/sweep-results.csv")
    args = parser.parse_args()

    data = load_dataset("mustafar")
    specs = tutorial_grid(fast=not args.full)[: args.models]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(
        f"{len(specs)} models, {sum(c.iterations for c in specs):,} iterations planned, "
        f"{args.jobs} jobs, {'full' if args.full else 'fast'} version"
    )
    start = time.perf_counter()

    seen = {"diverged": 0, "best": float("nan")}

    def report(row: dict, done: int, total: int) -> None:
        seen["diverged"] += bool(row["diverged"])
        if not row["train_cost"] >= seen["best"] and row["train_cost"] == row["train_cost"]:
            seen["best"] = row["train_cost"]
        if done % 10 == 0 or done == total:
            elapsed = time.perf_counter() - start
            print(progress_line(done, total, seen["diverged"], seen["best"], elapsed))

    results = run_sweep(data, specs, jobs=args.jobs, on_result=report)
    elapsed = time.perf_counter() - start
    results.to_csv(args.out, index=False)
    print(f"load average after: {os.getloadavg()[0]:.2f}")

    table = pd.DataFrame(
        {
            "models": [len(results)],
            "jobs": [args.jobs],
            "wall time (min)": [round(elapsed / 60, 2)],
            "vs the author's 15 h": [f"{AUTHOR_HOURS * 3600 / elapsed:,.0f}× faster"],
            "iterations run": [int(results["iterations_run"].sum())],
            "core-seconds": [round(float(results["wall_time"].sum()), 1)],
        }
    )
    print(table.to_string(index=False))
    print("\nhow the runs ended:")
    print(results["status"].value_counts().to_string())
    columns = ["architecture", "seed", "schedule", "iterations_run", "train_cost"]
    columns += ["train_accuracy", "status", "wall_time"]
    print("\nbest runs on the helmet transmission:")
    with pd.option_context("display.width", 250, "display.max_colwidth", 90):
        print(ranked(results)[columns].head(5).to_string(index=False))
    author = results.iloc[0]
    print(
        f"\nthe author's 2-27-31-31-1 (run 0): cost {author['train_cost']:.4f} after "
        f"{author['iterations_run']:,} iterations ({author['status']})"
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
