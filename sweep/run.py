"""Train every configuration of a sweep, in parallel, and collect one row per run.

>>> from sweep import GridSpace, load_dataset, run_sweep
>>> results = run_sweep(load_dataset("rose"), GridSpace(units=(2, 4, 8)).specs(), jobs=2)

Runs execute with joblib, each worker held to one BLAS thread (threadpoolctl) so two workers on
two cores do not fight over them; results stream back as each run finishes
(``return_as="generator_unordered"``). ``scheduler="tcp://host:port"`` sends the same runs to a
Dask cluster through joblib's Dask backend; its workers need this repository and
``requirements-distributed.txt``. Cancel with a ``threading.Event`` (or any callable returning
True): it is checked as each run finishes, and then the runs still in flight or waiting
are abandoned (joblib stops them), so a cancel takes effect when the next run finishes.

The result is a DataFrame with one row per finished run, in the sweep's order (column ``run``),
and the columns of ``COLUMNS``:

=============== ======= ==================================================================
column          dtype   meaning
=============== ======= ==================================================================
run             int     the run's position in the sweep (0, 1, ...)
dataset         str     the lesson dataset (``sweep.data.DATASETS``)
architecture    str     layer sizes, inputs to output: ``2-27-31-31-1``
depth           int     hidden layers
units           str     units per hidden layer, comma-separated: ``27,31,31`` ("" for none)
activation      str     the hidden layers' activation, none without one (the output is one
                        sigmoid unit)
learning_rate   float   the constant learning rate, or a schedule's first rate
schedule        str     ``constant``, or the steps: ``2.8×250 → 1.4×500 → ...``
optimizer       str     gd, momentum or adam
batch_size      int     samples per iteration; 0 = full batch
iterations      int     the iterations planned
seed            int     the init seed (and the mini-batch shuffle's)
init            str     tutorial, he or xavier
init_scale      float   the tutorial init's scale
dtype           str     float64 or float32
target_cost     float   the run stops once a step's cost is at most this; 0 = never
patience        int     the run stops once its cost moves < 1e-6 over this many; 0 = never
parameters      int     trainable weights and biases
iterations_run  int     the iterations actually taken
train_cost      float   cross-entropy on all training samples after training (NaN if diverged)
test_cost       float   the same on the test split (NaN if diverged or no test split)
train_accuracy  float   share of training samples classified right (output > 0.5)
test_accuracy   float   the same on the test split (NaN if diverged or no test split)
diverged        bool    the cost became NaN or infinite: the run is kept, without a model
diverged_at     Int64   the iteration at which it diverged (<NA> otherwise)
status          str     ``finished``, ``reached target``, ``stuck`` or ``diverged``
wall_time       float   seconds the run took in its worker
=============== ======= ==================================================================
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd

import nn
from sweep.data import Dataset
from sweep.space import activation_of, first_rate, schedule_label, units_of

COLUMNS = {
    "run": "int64",
    "dataset": "object",
    "architecture": "object",
    "depth": "int64",
    "units": "object",
    "activation": "object",
    "learning_rate": "float64",
    "schedule": "object",
    "optimizer": "object",
    "batch_size": "int64",
    "iterations": "int64",
    "seed": "int64",
    "init": "object",
    "init_scale": "float64",
    "dtype": "object",
    "target_cost": "float64",
    "patience": "int64",
    "parameters": "int64",
    "iterations_run": "int64",
    "train_cost": "float64",
    "test_cost": "float64",
    "train_accuracy": "float64",
    "test_accuracy": "float64",
    "diverged": "bool",
    "diverged_at": "Int64",
    "status": "object",
    "wall_time": "float64",
}
"""Column -> pandas dtype of a sweep's results, in order (see the module docstring)."""

CONNECT_TIMEOUT = "10s"  # how long to wait for a Dask scheduler to answer
Cancel = threading.Event | Callable[[], bool] | None
OnResult = Callable[[dict, int, int], None]


def train_one(run: int, spec: nn.RunSpec, data: Dataset) -> dict:
    """Train one spec on ``data`` with ``Trainer.run`` and return its row (see COLUMNS)."""
    from threadpoolctl import threadpool_limits

    start = time.perf_counter()
    # One BLAS thread per worker; a diverging run overflows on purpose, so no warnings.
    with threadpool_limits(limits=1), np.errstate(all="ignore"):
        trainer = spec.trainer(data.X, data.Y)
        net = trainer.network
        diverged_at = None
        try:
            for _ in spec.run(trainer, every=spec.iterations):
                pass
            status = trainer.stopped
        except nn.TrainingDiverged as error:
            diverged_at, status = int(error.iteration), "diverged"
        scores = _scores(net, data) if diverged_at is None else {}
    nan = float("nan")
    units = units_of(spec)
    return {
        "run": run,
        "dataset": data.name,
        "architecture": "-".join(str(n) for n in (data.input_dim, *units, 1)),
        "depth": spec.depth,
        "units": ",".join(str(u) for u in units),
        "activation": activation_of(spec),
        "learning_rate": first_rate(spec),
        "schedule": schedule_label(spec),
        "optimizer": spec.optimizer,
        "batch_size": spec.batch_size or 0,
        "iterations": spec.iterations,
        "seed": spec.seed,
        "init": spec.init,
        "init_scale": spec.init_scale,
        "dtype": spec.dtype,
        "target_cost": spec.target_cost or 0.0,
        "patience": spec.patience,
        "parameters": net.parameter_count,
        "iterations_run": trainer.iteration,
        "train_cost": scores.get("train_cost", nan),
        "test_cost": scores.get("test_cost", nan),
        "train_accuracy": scores.get("train_accuracy", nan),
        "test_accuracy": scores.get("test_accuracy", nan),
        "diverged": diverged_at is not None,
        "diverged_at": diverged_at,
        "status": status,
        "wall_time": time.perf_counter() - start,
    }


def _scores(net: nn.Network, data: Dataset) -> dict[str, float]:
    scores = {
        "train_cost": net.cost(data.X, data.Y),
        "train_accuracy": nn.accuracy(net.predict(data.X), data.Y),
    }
    if data.X_test is not None:
        scores["test_cost"] = net.cost(data.X_test, data.Y_test)
        scores["test_accuracy"] = nn.accuracy(net.predict(data.X_test), data.Y_test)
    return {name: float(value) for name, value in scores.items()}


def iter_results(
    data: Dataset, specs: Sequence[nn.RunSpec], jobs: int = 1, scheduler: str | None = None
) -> Iterator[dict]:
    """Each run's row as soon as it finishes (in finishing order). ``jobs`` worker processes
    on this machine (-1: one per core; 1: in this thread), or every worker of the Dask
    cluster at ``scheduler``. Closing the iterator abandons the runs not yet finished."""
    from joblib import Parallel, delayed

    tasks = (delayed(train_one)(run, spec, data) for run, spec in enumerate(specs))
    if scheduler:
        with _dask_backend(scheduler):
            yield from Parallel(n_jobs=-1, return_as="generator_unordered")(tasks)
        return
    jobs = int(jobs)
    if jobs == 0 or jobs < -1:
        raise ValueError(f"jobs must be -1 (every core) or at least 1, got {jobs}")
    yield from Parallel(n_jobs=jobs, return_as="generator_unordered")(tasks)


@contextmanager
def _dask_backend(scheduler: str):
    """joblib's Dask backend, connected to the scheduler at ``scheduler`` (tcp://host:port)."""
    import joblib

    try:
        from dask.distributed import Client
    except ImportError:
        raise ImportError(
            "running on a cluster needs Dask: pip install -r requirements-distributed.txt"
        ) from None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except OSError as error:
        raise ConnectionError(
            f"no Dask scheduler answers at {scheduler!r}: {error}. Start one with "
            "`dask scheduler` (and workers with `dask worker <address>`), or leave "
            "the scheduler out to use this machine's cores"
        ) from None
    try:
        with client.as_current(), joblib.parallel_config(backend="dask"):
            yield client
    finally:
        client.close()


def is_cancelled(cancel: Cancel) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


def run_sweep(
    data: Dataset,
    specs: Sequence[nn.RunSpec],
    jobs: int = 1,
    scheduler: str | None = None,
    on_result: OnResult | None = None,
    cancel: Cancel = None,
) -> pd.DataFrame:
    """Train every spec on ``data`` and return the results (see COLUMNS), in the sweep's
    order. ``on_result(row, done, total)`` is called as each run finishes; once ``cancel``
    is set the sweep stops and returns the runs finished so far (``attrs["cancelled"]``)."""
    rows: list[dict] = []
    cancelled = is_cancelled(cancel)
    if not cancelled:
        results = iter_results(data, specs, jobs, scheduler)
        try:
            for row in results:
                rows.append(row)
                if on_result is not None:
                    on_result(row, len(rows), len(specs))
                if is_cancelled(cancel):
                    cancelled = len(rows) < len(specs)
                    break
        finally:
            with warnings.catch_warnings():  # joblib warns that it cancelled the runs in flight
                warnings.simplefilter("ignore", UserWarning)
                results.close()
    frame = to_frame(rows)
    frame.attrs["cancelled"] = cancelled
    return frame


def to_frame(rows: Sequence[dict]) -> pd.DataFrame:
    """Rows as a DataFrame with COLUMNS' columns and dtypes, sorted by ``run``."""
    frame = pd.DataFrame(list(rows), columns=list(COLUMNS))
    frame = frame.astype(COLUMNS).sort_values("run", kind="stable").reset_index(drop=True)
    return frame


def ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """Best first: runs that did not diverge by test cost (train cost when there is no test
    split), diverged runs last."""
    cost = frame["test_cost"].fillna(frame["train_cost"])
    order = pd.DataFrame({"diverged": frame["diverged"], "cost": cost, "run": frame["run"]})
    index = order.sort_values(["diverged", "cost", "run"], na_position="last").index
    return frame.loc[index].reset_index(drop=True)


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
