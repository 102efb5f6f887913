"""Command line:

    python -m sweep --dataset mustafar --preset tutorial-grid --jobs 2 --out results.csv

Prints a progress bar while the runs finish, then the best runs; writes every run to ``--out``
(CSV, the columns of ``sweep.run.COLUMNS``). Ctrl+C stops early and still writes what finished.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

import pandas as pd

from sweep.data import DATASETS, load_dataset
from sweep.run import default_jobs, ranked, run_sweep
from sweep.space import PRESETS, SpaceError

BAR_WIDTH = 30
SHOWN = [
    "architecture",
    "learning_rate",
    "schedule",
    "seed",
    "iterations_run",
    "train_cost",
    "test_cost",
]
SHOWN += ["train_accuracy", "status", "wall_time"]


def progress_line(done: int, total: int, diverged: int, best: float, elapsed: float) -> str:
    """'[#######.......]  23/100  2 diverged  best cost 0.0871  3:12 elapsed, ~10:40 to go'."""
    filled = round(BAR_WIDTH * done / total) if total else BAR_WIDTH
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    best_text = f"best cost {best:.4f}" if best == best else "best cost -"  # NaN: none yet
    line = f"[{bar}] {done:>{len(str(total))}}/{total}  {diverged} diverged  {best_text}"
    line += f"  {_clock(elapsed)} elapsed"
    if 0 < done < total:
        line += f", ~{_clock(elapsed / done * (total - done))} to go"
    return line


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(round(seconds)), 60)
    return f"{minutes}:{seconds:02d}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sweep",
        description="Train every network of a search space on a lesson's data; write a CSV.",
    )
    parser.add_argument("--dataset", default="mustafar", choices=list(DATASETS))
    parser.add_argument("--preset", default="tutorial-grid", choices=list(PRESETS))
    parser.add_argument(
        "--jobs", type=int, default=default_jobs(), help="worker processes (default: every core)"
    )
    parser.add_argument(
        "--scheduler", help="a Dask scheduler's address, tcp://host:port, to run on its cluster"
    )
    parser.add_argument("--models", type=int, help="only the first N models of the preset")
    parser.add_argument("--out", default="results.csv", help="where to write the results (CSV)")
    parser.add_argument("--top", type=int, default=5, help="how many of the best runs to print")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        data = load_dataset(args.dataset)
        specs = PRESETS[args.preset]()
    except (SpaceError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.models is not None:
        specs = specs[: max(args.models, 1)]
    where = args.scheduler or f"{args.jobs} worker{'s' * (args.jobs != 1)} on this machine"
    print(f"{len(specs)} models of {args.preset!r} on {args.dataset} ({data.describe()}), {where}")
    tty = sys.stdout.isatty()
    start, state = time.perf_counter(), {"diverged": 0, "best": float("nan")}
    cancel = threading.Event()

    def report(row: dict, done: int, total: int) -> None:
        state["diverged"] += bool(row["diverged"])
        cost = row["test_cost"] if row["test_cost"] == row["test_cost"] else row["train_cost"]
        if cost == cost and not cost >= state["best"]:
            state["best"] = cost
        line = progress_line(
            done, total, state["diverged"], state["best"], time.perf_counter() - start
        )
        print(("\r" + line) if tty else line, end="" if tty and done < total else "\n", flush=True)

    try:
        results = run_sweep(
            data, specs, jobs=args.jobs, scheduler=args.scheduler, on_result=report, cancel=cancel
        )
    except KeyboardInterrupt:
        print("\nstopped", file=sys.stderr)
        return 130
    except (ConnectionError, ImportError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    results.to_csv(args.out, index=False)
    print(f"{len(results)} runs in {_clock(elapsed)} ({elapsed:.1f} s); wrote {args.out}")
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(ranked(results)[SHOWN].head(args.top).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
