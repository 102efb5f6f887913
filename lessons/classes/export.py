"""The Many classes lesson's "Export this experiment": the Python that rebuilds the page's training
data for the exported script and notebook (``kit.export``), and the buttons under the code.

``data_code`` imports only ``datasets.multiclass`` (NumPy, no pandas or Pillow) and writes the
scaling and the split as the source of the very functions the lesson calls, so the export runs
where it is unpacked and trains on the page's points, digit for digit. Points the student made
by hand have no generator: ``points_code`` writes them out as numbers.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

import numpy as np

from datasets.hand import points_code as hand_points_code
from datasets.multiclass import MULTICLASS_DATASETS, SURFACES, make_surface_samples
from datasets.toy import INPUT_RADIUS, input_scale, split_indices
from kit.settings import export_settings
from lessons.classes.logic import ClassesChoice, ClassesData, raw_points

if TYPE_CHECKING:
    from kit.live import Run
    from kit.settings import OutputSpec, Settings

_EXPORTED_HELPERS = (input_scale, split_indices)


def generator_call(choice: ClassesChoice) -> tuple[str, str]:
    """(the function's name, the call that makes the raw points and targets) for ``choice``:
    the same call ``logic.raw_points`` makes. Only checked values reach the code: names from
    the datasets' own tables and numbers formatted as numbers."""
    raw_points(choice)  # raises DatasetError for a choice the page could not draw either
    if choice.mode == "regress":
        name = make_surface_samples.__name__
        surface = next(known for known in SURFACES if known == choice.surface)
        arguments = f'"{surface}", noise={float(choice.noise)!r}'
        return name, f"{name}({arguments}, seed={int(choice.seed)})"
    name = MULTICLASS_DATASETS[choice.dataset].__name__
    arguments = f"classes={int(choice.classes)}, noise={float(choice.noise)!r}"
    return name, f"{name}({arguments}, seed={int(choice.seed)})"


def data_code(choice: ClassesChoice) -> str:
    """Python that rebuilds the page's training data (X, Y) for "Export this experiment": the
    generator from ``datasets.multiclass``, then the scaling and the split as the source of the
    functions the lesson itself calls."""
    function, call = generator_call(choice)
    helpers = "\n\n".join(inspect.getsource(helper) for helper in _EXPORTED_HELPERS)
    targets = "one-hot classes" if choice.mode == "classify" else "values f(x, y) + noise"
    return "\n".join(
        [
            "import numpy as np",
            f"from datasets.multiclass import {function}",
            "",
            f"INPUT_RADIUS = {INPUT_RADIUS!r}  # the farthest point is fed at this radius",
            "",
            "",
            helpers.rstrip(),
            "",
            "",
            f"points, targets = {call}  # {targets}",
            "inputs = points * input_scale(points)",
            f"# The split: a seeded shuffle holds out {choice.test_share:.0%} for testing.",
            f"train, test = split_indices(len(inputs), {float(choice.test_share)!r}, "
            f"{int(choice.seed)})",
            "X, Y = inputs[train], targets[train]",
        ]
    )


def points_code(data: ClassesData) -> str:
    """Python that rebuilds training data the student made by hand (classify): the training
    points as clicked, fed at the input scale of the dataset they started from, and their
    classes one-hot. Every value is written as a number; ValueError if one is not finite, or
    for Regress data (points by hand have classes)."""
    if not data.classify:
        raise ValueError("points made by hand have classes: switch the mode to Classify")
    rows = data.train
    if not np.isfinite(data.scale):
        raise ValueError("the points hold a value that is not a finite number; clear them")
    written = hand_points_code(data.points[rows], data.Y[rows].argmax(axis=1))
    return "\n".join(
        [
            "import numpy as np",
            "",
            written,
            "# Fed as the dataset you started from was: its farthest point at radius "
            f"{INPUT_RADIUS:g}.",
            f"X = points * {float(data.scale)!r}",
            f"Y = np.eye({int(data.choice.classes)})[classes]  # one-hot",
        ]
    )


def export_buttons(
    key: str,
    run: Run,
    settings: Settings,
    output: OutputSpec,
    data: ClassesData,
    dataset: ClassesData,
) -> None:
    """``kit.export.export_button`` for this run on ``data``, up to the run's iteration (its
    planned maximum before it trained): the generator's code when ``data`` is the ``dataset``
    itself, the points written out when the student made their own."""
    import streamlit as st  # only the page draws the buttons: the code above needs none

    from kit.export import export_button

    try:
        code = data_code(dataset.choice) if data is dataset else points_code(data)
    except ValueError as error:  # DatasetError is one
        st.error(f"Cannot export this experiment: {error}")
        return
    iterations = run.iteration or settings.max_iterations
    export_button(key, code, export_settings(settings, output), iterations)
