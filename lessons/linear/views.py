"""Lesson 1's page: learn y = 2x + 1 from seven points, then predict x = 12 -> 25.

The sidebar builds the network and picks the points; the live view draws the fitted line, the
cost curve and (for the depth-0 model y = w x + b) gradient descent's path on the cost surface;
the tabs reproduce the tutorial, show the math and the code. The numbers come from
``lessons.linear.logic``.
"""

from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st

import nn
from kit.charts import thin
from kit.class_panel import class_panel
from kit.code_view import code_view
from kit.controls import (
    apply_settings,
    colour_picker,
    network_builder,
    reset_synced_slider,
    synced_slider,
)
from kit.export import export_button
from kit.live import Run, encode, live_view, rounded
from kit.math_panel import math_panel
from kit.reproduce import comparison_table, reproduce, tutorial_reference
from kit.session import LessonState, lesson_state
from kit.settings import OutputSpec, Settings, export_settings
from lessons.linear import logic, slides

KEY = "linear"
OUTPUT = OutputSpec(input_dim=1, units=1, activation="linear", loss="mse")
# 1 linear unit, tutorial init × 0.01, seed 1, lr 0.01, 1000 GD iterations, shown in a second
TUTORIAL = Settings(speed=1000)
FAST = Settings(learning_rate=0.15, speed=100, max_iterations=200)
TUTORIAL_RESULTS = tutorial_reference("linear_regression")


@dataclass
class LinearState(LessonState):
    """The lesson's session state (``kit.session``); its own field, written by this module only:

    - ``reproduced``: what the last "Reproduce the tutorial" printed, one ``nn.Progress`` per
      printed iteration (0, 100, …, 900); None until the button is pressed.
    """

    reproduced: list[nn.Progress] | None = None


PATH_POINTS = 400  # of the descent's path on the cost surface, evenly spread, last kept


def _pairs(flat: list) -> list[list]:
    """[w0, b0, w1, b1, ...] as [[w0, b0], [w1, b1], ...]."""
    return [flat[k : k + 2] for k in range(0, len(flat), 2)]


class LinePanels:
    """The live view's panels for one ``logic.Problem``: ``scene`` lays them out, ``views``
    gives their values at a run's iteration (the callbacks of ``kit.live.live_view``), with
    the prediction at ``x_asked`` among the readouts."""

    def __init__(self, problem: logic.Problem, x_asked: float, colours: str) -> None:
        self.problem = problem
        self.x_asked = x_asked
        picture = problem.surface.picture(colours)
        self.surface_picture = encode(picture / 255)  # once, not per frame

    def scene(self, run: Run) -> dict:
        """The fitted line and the cost; the cost surface too for the depth-0 model."""
        problem = self.problem
        panels = {
            "fit": {
                "kind": "plot", "title": "The fitted line",
                "scatter": np.hstack([problem.X, problem.Y]).tolist(),
                "xs": rounded(problem.xs), "live": "network",
                "lines": [{"name": "least squares", "xs": rounded(problem.xs),
                           "ys": rounded(problem.best_line)}],
                "y_range": problem.y_range, "x_label": "x", "height": 260,
            },
            "cost": {"kind": "curves", "title": "The cost (log scale)", "series": ["cost"],
                     "log": True, "height": 260},
        }  # fmt: skip
        layout = [["fit", "cost"]]
        if run.settings.depth == 0:
            path = run.path_array()
            path = path[thin(np.arange(len(path)), PATH_POINTS)[0]] if len(path) else path
            panels["surface"] = {
                "kind": "picture", "title": "The cost surface J(w, b)", "colormap": "rgb",
                "image": self.surface_picture, "smooth": True, "max_width": 360,
                "extent": problem.surface.extent,
                "path": _pairs(rounded(path[:, :2])),
                "marker": list(problem.best), "axes": ["w", "b"],
                "caption": "Red: the path gradient descent takes. Diamond: the least-squares "
                "answer.",
            }  # fmt: skip
            layout.append(["surface"])
        return {"layout": layout, "panels": panels}

    def views(self, run: Run) -> dict:
        """The line, the point on the cost surface and the readouts at the run's iteration."""
        read = {}
        values = {"fit": {"ys": rounded(run.network.predict(self.problem.xs), 3)}}
        if run.settings.depth == 0:
            w, b = logic.line_weights(run.network)
            read = {"w": f"{w:.4f}", "b": f"{b:.4f}"}
            values["surface"] = {"path": [rounded([w, b])]}
        y_hat = logic.network_prediction(run.network, self.x_asked)
        read[f"ŷ({self.x_asked:g})"] = f"{y_hat:.4f}"
        return {"read": read, "v": values}


def choose_points() -> tuple[int, float]:
    """The sidebar's Data section: (number of points, noise σ)."""
    st.sidebar.header("Data")
    n_points = synced_slider(
        KEY, "n_points", "Points", 2, 200, logic.N_POINTS, help="Evenly spread on [-2, 4]."
    )
    noise = synced_slider(
        KEY, "noise", "Noise", 0.0, 3.0, logic.NOISE, step=0.1, help="σ of added noise."
    )
    return n_points, noise


def reproduce_tutorial() -> None:
    """Put back the tutorial's settings and points, and train its 1000 iterations."""
    apply_settings(KEY, TUTORIAL)
    reset_synced_slider(KEY, "n_points", logic.N_POINTS)
    reset_synced_slider(KEY, "noise", logic.NOISE)
    X, Y = logic.points()
    every = TUTORIAL_RESULTS["print_every"]
    lesson_state(KEY, LinearState).reproduced = reproduce(
        KEY, X, Y, TUTORIAL, OUTPUT, every, data_key=(logic.N_POINTS, logic.NOISE)
    )


def show_reproduction() -> None:
    """The tutorial's settings in words, the button, and the cost table once reproduced."""
    st.markdown(
        "The tutorial's exact settings: 1 linear unit, tutorial init (scale 0.01, seed 1), "
        "learning rate 0.01, 1000 full-batch gradient-descent iterations, MSE, a print every "
        "100."
    )
    st.button("Reproduce the tutorial", key=f"{KEY}.reproduce", on_click=reproduce_tutorial)
    reproduced = lesson_state(KEY, LinearState).reproduced
    if reproduced is None:
        return
    table = comparison_table(reproduced, TUTORIAL_RESULTS["costs"])
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            name: st.column_config.NumberColumn(format="%.10e")
            for name in ("tutorial cost", "this engine", "relative difference")
        },
    )
    st.caption(f"The tutorial predicts {TUTORIAL_RESULTS['predict_12']} at x = 12.")


def page() -> None:
    """The lesson, top to bottom."""
    st.title("1 · Linear regression")
    st.markdown(
        "Seven points lie on the line **y = 2x + 1**. A network with no hidden layer and one "
        "linear unit *is* a line, **ŷ = w x + b**: press **Play** and watch gradient descent "
        "find w and b."
    )

    # ---- data and network ---------------------------------------------------------------------
    settings = network_builder(KEY, OUTPUT, TUTORIAL, {"Tutorial": TUTORIAL, "Fast": FAST})
    colours = colour_picker(KEY, ("blues", "cividis"))
    n_points, noise = choose_points()
    X, Y = logic.points(n_points, noise)
    problem = logic.Problem.of(X, Y)

    # ---- the live view ------------------------------------------------------------------------
    x_asked = st.session_state.get(f"{KEY}.predict_x", logic.PREDICT_AT)
    panels = LinePanels(problem, x_asked, colours)
    slide_figures = partial(slides.slide_figures, problem=problem, colours=colours)
    run = live_view(
        KEY, X, Y, settings, OUTPUT, panels.scene, panels.views, data_key=(n_points, noise),
        figures=slide_figures, gif=partial(slides.gif_recording, problem=problem),
    )  # fmt: skip
    class_panel(
        KEY, run, {"n_points": n_points, "noise": noise}, slide_figures,
        data_locks=("n_points", "noise"), dataset="y=2x+1",
    )  # fmt: skip
    if run is not None:
        left, right = st.columns(2, gap="large")
        left.number_input("Predict y at x =", value=logic.PREDICT_AT, step=1.0,
                          key=f"{KEY}.predict_x",
                          help="The tutorial gets 25.00000019 at x = 12.")  # fmt: skip
        if run.settings.depth == 0:
            w, b = problem.best
            right.caption(f"Least squares, for comparison: w = {w:.6f}, b = {b:.6f}.")
        else:
            right.caption("The cost surface is drawn for the depth-0 model, y = w x + b.")

    # ---- reproduce the tutorial, the math and the code ----------------------------------------
    reproduce_tab, math_tab, code_tab = st.tabs(
        ["Reproduce the tutorial", "The math", "The code"], key=f"{KEY}.tab", on_change="rerun"
    )
    if reproduce_tab.open:
        with reproduce_tab:
            show_reproduction()
    if run is None:
        return
    if math_tab.open:
        with math_tab:
            math_panel(run.network, X, Y, key=f"{KEY}.math", grad_norms=run.trainer.grad_norms)
    if code_tab.open:
        with code_tab:
            code_view(run.network, optimizer=settings.optimizer)
            iterations = run.iteration or settings.max_iterations  # before training: the plan
            export_button(
                f"{KEY}.export",
                logic.data_code(n_points, noise),
                export_settings(settings, OUTPUT),
                iterations,
            )
