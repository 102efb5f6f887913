"""Lesson 2 for slides and homework: "Download figure" (logistic regression's weight per
feature) and "Record a GIF" (the train and test accuracy climbing past the best one-line rule,
"every woman survives", as a copy of the run trains).

``slide_figures`` and ``gif_recording`` are the live view's ``figures=`` and ``gif=``
(``kit.live.live_view``): they read the run on the script's thread and return closures over
plain arrays, which Streamlit calls on a thread of its own when a button is clicked. The live
view's main question is whether the model beats that rule, so the film shows its accuracy
curves against it. ``accuracy_film`` is pure (matplotlib's Agg, no pyplot, no Streamlit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

import nn
from kit import figures
from kit.gif import FRAMES, figure_frame, training_frames
from lessons.titanic import logic

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kit.live import Run

FRAME_INCHES, FRAME_DPI = (4.0, 3.0), 100  # 400 × 300 pixels a frame
TRAIN_COLOUR, TEST_COLOUR = "#0877bd", "#f59322"  # the live view's
ACCURACY_RANGE = (30.0, 100.0)  # percent: below 38 % (everyone survives) is never reached
RULE = "every woman survives"


def slide_figures(run: Run) -> dict[str, Callable[[], Figure]]:
    """The live view's ``figures=``: logistic regression's weight per feature, for slides
    (nothing for a hidden layer, which has no such). The run is read now; the build holds
    plain arrays."""
    if run.network.layers[0].units != 1 or len(run.network.layers) != 1:
        return {}
    table = logic.feature_weights(run.network)
    names, weights = list(table["feature"]), table["value"].to_numpy()
    return {"The weights": lambda: figures.feature_bars(names, weights)}


def accuracy_film(
    spec: nn.RunSpec, iterations: int, split: logic.Split, count: int = FRAMES
) -> Callable[[], list[np.ndarray]]:
    """``record()``: train ``spec`` from the start on a fresh network (its seed: the same first
    weights) on the split's training passengers for ``iterations`` steps and draw, at
    ``count`` ``kit.gif.snapshot_iterations``, the train and test accuracy (%) so far against
    the iteration, with the rule's test accuracy as a dashed line: RGB frames of 400 × 300
    pixels."""
    from matplotlib.figure import Figure  # only when a film is recorded

    evaluate = logic.evaluator(split)
    rule = 100 * float(split.baselines.loc[RULE, "test"])

    def record() -> list[np.ndarray]:
        trainer = spec.trainer(split.X_train, split.Y_train)
        fig = Figure(figsize=FRAME_INCHES, dpi=FRAME_DPI, layout="constrained")
        ax = fig.add_subplot()
        ax.axhline(rule, linestyle="--", color="0.45", linewidth=1.4,
                   label=f"“{RULE}” (test)")  # fmt: skip
        curves = {
            name: ax.plot([], [], color=colour, linewidth=2.2, label=f"{name} accuracy")[0]
            for name, colour in (("train", TRAIN_COLOUR), ("test", TEST_COLOUR))
        }
        ax.set_xlim(0, max(iterations, 1))
        ax.set_ylim(*ACCURACY_RANGE)
        ax.set_xlabel("iteration", fontsize=10)
        ax.set_ylabel("accuracy (%)", fontsize=10)
        ax.tick_params(labelsize=9)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right", fontsize=8)
        seen: dict[str, list[float]] = {"iteration": [], "train": [], "test": []}

        def draw(network: nn.Network) -> np.ndarray:
            measured = evaluate(network)
            seen["iteration"].append(trainer.iteration)
            for name, curve in curves.items():
                seen[name].append(measured[f"{name} accuracy"])
                curve.set_data(seen["iteration"], seen[name])
            ax.set_title(
                f"iteration {trainer.iteration:,} · test {measured['test accuracy']:.1f} %",
                fontsize=10,
            )
            return figure_frame(fig)

        return training_frames(trainer, iterations, draw, count)

    return record


def gif_recording(run: Run, split: logic.Split) -> Callable[[], list[np.ndarray]]:
    """The live view's ``gif=``: the ``accuracy_film`` of the run's spec up to the run's
    iteration (its planned maximum before it trained). A fresh network trains: the student's
    run is never touched."""
    iterations = run.iteration or run.settings.max_iterations
    return accuracy_film(run.settings.spec(run.output), iterations, split)
