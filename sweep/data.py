"""The lessons' datasets, as a sweep trains on them: (X, Y) to train on and an optional test split.

Each is made exactly as its lesson makes it by default, so a sweep's best network can be opened
in that lesson and learn the same data:

- ``mustafar``: the helmet transmission, 1-bit, one sample per pixel (9,400). Every pixel is
  training data and there is **no test split**: the lesson learns a picture as a function and
  judges it by the picture (test cost and test accuracy are NaN).
- ``titanic``: the tutorial's files, 792 passengers to train on and 100 to test.
- ``rose`` and the toy sets (``circle``, ``xor``, ``gaussians``, ``spiral``, ``moons``,
  ``planar flower``): the Rose lesson's recipe, points scaled so the farthest lies at radius 4,
  a seeded shuffle (data seed 0) holding out 20 % for testing (``datasets.toy.input_scale`` and
  ``split_indices``, as the lesson calls them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import datasets
from datasets.toy import input_scale, split_indices

TEST_SHARE = 0.2  # the Rose lesson's default test share
DATA_SEED = 0

DATASETS = {
    "mustafar": "Mustafar: the helmet transmission, 94 × 100 pixels (9,400 samples), no test split",
    "titanic": "Titanic: the tutorial's 792 training and 100 test passengers, 14 features",
    "rose": "Rose: the tutorial's 7-petal rose, 688 points, 20 % held out",
    **{
        name: f"{name.capitalize()}: a toy set in the plane, 20 % held out"
        for name in datasets.TOY_DATASETS
        if name != "rose"
    },
}
"""Name -> one-line description, in the lessons' order."""

LESSON_OF = {"mustafar": "mustafar", "titanic": "titanic"}
"""Dataset -> the lesson that opens its networks; every other dataset opens in ``rose``."""


@dataclass(frozen=True)
class Dataset:
    """Training samples in rows, and the test split (None when the dataset has none)."""

    name: str
    X: np.ndarray
    Y: np.ndarray
    X_test: np.ndarray | None = None
    Y_test: np.ndarray | None = None

    @property
    def input_dim(self) -> int:
        return self.X.shape[1]

    @property
    def lesson(self) -> str:
        return LESSON_OF.get(self.name, "rose")

    def describe(self) -> str:
        test = f"{len(self.X_test):,} to test" if self.X_test is not None else "no test split"
        return f"{len(self.X):,} samples to train on, {test}; {self.input_dim} inputs"


def load_dataset(name: str) -> Dataset:
    """The lesson dataset ``name`` (see DATASETS); ValueError for an unknown name."""
    if name == "mustafar":
        picture = datasets.load_transmission("helmet")
        X, Y, _ = datasets.image_to_xy(picture, "1bit", 0.5, 100)
        return Dataset(name, X, Y)
    if name == "titanic":
        return Dataset(name, *datasets.titanic.tutorial_split())
    if name not in datasets.TOY_DATASETS:
        raise datasets.DatasetError(
            f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)}"
        )
    points, Y = datasets.TOY_DATASETS[name](noise=0.0, seed=DATA_SEED)
    inputs = points * input_scale(points)
    train, test = split_indices(len(points), TEST_SHARE, DATA_SEED)
    return Dataset(name, inputs[train], Y[train], inputs[test], Y[test])
