"""Hyper-parameter sweeps: train many networks on a lesson's data, on every core or a cluster.

The tutorial's author swept about 100 Mustafar networks by hand over 15 hours. Here:

>>> from sweep import load_dataset, run_sweep, tutorial_grid
>>> results = run_sweep(load_dataset("mustafar"), tutorial_grid(), jobs=2)
>>> ranked(results).head()

Command line: ``python -m sweep --dataset mustafar --preset tutorial-grid --jobs 2 --out
results.csv``. The engine ``nn`` stays numpy-only; this package adds pandas and joblib (Dask
only for ``scheduler=``). The results' columns are documented in ``sweep.run``.
"""

from sweep.data import DATASETS, Dataset, load_dataset
from sweep.run import COLUMNS, default_jobs, iter_results, ranked, run_sweep, to_frame, train_one
from sweep.space import (
    AUTHOR,
    PRESETS,
    TUTORIAL_RATES,
    GridSpace,
    RandomSpace,
    SpaceError,
    activation_of,
    first_rate,
    parameter_count,
    scaled,
    schedule_label,
    tiny_grid,
    tutorial_grid,
    tutorial_schedule,
    units_of,
)

__all__ = [
    "AUTHOR",
    "COLUMNS",
    "DATASETS",
    "PRESETS",
    "TUTORIAL_RATES",
    "Dataset",
    "GridSpace",
    "RandomSpace",
    "SpaceError",
    "activation_of",
    "default_jobs",
    "first_rate",
    "iter_results",
    "load_dataset",
    "parameter_count",
    "ranked",
    "run_sweep",
    "scaled",
    "schedule_label",
    "tiny_grid",
    "to_frame",
    "train_one",
    "tutorial_grid",
    "tutorial_schedule",
    "units_of",
]
