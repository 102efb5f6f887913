"""Lesson 1: learn y = 2x + 1 from seven points, then predict x = 12 -> 25."""

import numpy as np
import streamlit as st

from datasets import make_linear
from ui.charts import cost_surface_spec, fit_spec, linear_cost_grid
from ui.code_view import code_view, export_button
from ui.controls import (
    OutputSpec,
    Settings,
    apply_settings,
    export_settings,
    network_builder,
    reset_synced_slider,
    synced_slider,
)
from ui.math_panel import math_panel
from ui.trainer import Run, comparison_table, live_trainer, look_closer, reproduce, show_loss_curve
from ui.trainer import tutorial_reference as reference

KEY = "linear"
OUTPUT = OutputSpec(input_dim=1, units=1, activation="linear", loss="mse")
TUTORIAL = Settings()  # 1 linear unit, tutorial init × 0.01, seed 1, lr 0.01, 1000 GD iterations
FAST = Settings(learning_rate=0.15, iterations_per_frame=5, max_iterations=200)
TUTORIAL_RESULTS = reference("linear_regression")

st.title("1 · Linear regression")
st.markdown(
    "Seven points lie on the line **y = 2x + 1**. A network with no hidden layer and one linear "
    "unit *is* a line, **ŷ = w x + b**: press **Play** and watch gradient descent find w and b."
)

# ---- data and network -------------------------------------------------------------------------
settings = network_builder(KEY, OUTPUT, TUTORIAL, {"Tutorial": TUTORIAL, "Fast": FAST})
st.sidebar.header("Data")
n_points = synced_slider(KEY, "n_points", "Points", 2, 200, 7, help="Evenly spread on [-2, 4].")
noise = synced_slider(KEY, "noise", "Noise", 0.0, 3.0, 0.0, step=0.1, help="σ of added noise.")
X, Y = make_linear(n_points=n_points, noise=noise, seed=0)
DATA_CODE = (
    "from datasets import make_linear\n"
    f"X, Y = make_linear(n_points={n_points}, x_min=-2.0, x_max=4.0, noise={noise}, seed=0)"
)
w_best, b_best = np.linalg.lstsq(np.hstack([X, np.ones_like(X)]), Y, rcond=None)[0].ravel()
surface = linear_cost_grid(X, Y, (w_best, b_best), max(3.0, abs(w_best), abs(b_best)))


# ---- the live views, redrawn every frame ------------------------------------------------------
def draw(run: Run) -> None:
    fit_column, loss_column = st.columns(2, gap="large")
    with fit_column:
        st.subheader("The fitted line")
        xs = np.linspace(X.min() - 0.5, X.max() + 0.5, 60).reshape(-1, 1)
        lines = [
            ("network", xs, run.network.predict(xs)),
            ("least squares", xs, w_best * xs + b_best),
        ]
        st.vega_lite_chart(fit_spec((X, Y), lines), width="stretch")
    with loss_column:
        st.subheader("The cost")
        show_loss_curve(KEY, run)
    surface_column, answer_column = st.columns(2, gap="large")
    with surface_column:
        st.subheader("The cost surface J(w, b)")
        if run.settings.depth == 0:
            spec = cost_surface_spec(*surface, path=run.path_array(), answer=(w_best, b_best))
            st.vega_lite_chart(spec, width="stretch")
            st.caption("Red: the path gradient descent takes. Diamond: the least-squares answer.")
        else:
            st.info("The surface is drawn for the depth-0 model, y = w x + b: set depth to 0.")
    with answer_column:
        st.subheader("Learned vs closed form")
        if run.settings.depth == 0:
            layer = run.network.layers[0]
            learned, exact = st.columns(2)
            learned.metric("learned w", f"{layer.weights[0, 0]:.6f}")
            learned.metric("learned b", f"{layer.bias[0, 0]:.6f}")
            exact.metric("least-squares w", f"{w_best:.6f}")
            exact.metric("least-squares b", f"{b_best:.6f}")
        x = st.number_input("Predict y at x =", value=12.0, step=1.0, key=f"{KEY}.predict_x")
        y_hat = float(run.network.predict(np.array([[x]]))[0, 0])
        st.metric(f"prediction ŷ({x:g})", f"{y_hat:.4f}", help="The tutorial gets 25.00000019.")


run = live_trainer(KEY, X, Y, settings, OUTPUT, draw, data_key=(n_points, noise))


# ---- reproduce the tutorial, the math and the code --------------------------------------------
def reproduce_tutorial() -> None:
    apply_settings(KEY, TUTORIAL)
    reset_synced_slider(KEY, "n_points", 7)
    reset_synced_slider(KEY, "noise", 0.0)
    X0, Y0 = make_linear()
    every = TUTORIAL_RESULTS["print_every"]
    st.session_state[f"{KEY}.reproduced"] = reproduce(
        KEY, X0, Y0, TUTORIAL, OUTPUT, every, data_key=(7, 0.0)
    )


if not look_closer(run, "reproduce the tutorial, the math and the code"):
    st.stop()
reproduce_tab, math_tab, code_tab = st.tabs(["Reproduce the tutorial", "The math", "The code"])
with reproduce_tab:
    st.markdown(
        "The tutorial's exact settings: 1 linear unit, tutorial init (scale 0.01, seed 1), "
        "learning rate 0.01, 1000 full-batch gradient-descent iterations, MSE, a print every 100."
    )
    st.button("Reproduce the tutorial", key=f"{KEY}.reproduce", on_click=reproduce_tutorial)
    if f"{KEY}.reproduced" in st.session_state:
        table = comparison_table(st.session_state[f"{KEY}.reproduced"], TUTORIAL_RESULTS["costs"])
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                name: st.column_config.NumberColumn(format="%.10e")
                for name in ("tutorial cost", "this engine", "relative difference")
            },
        )
        st.caption(f"The tutorial predicts {TUTORIAL_RESULTS['predict_12']} at x = 12.")
if run is not None:
    with math_tab:
        math_panel(run.network, X, Y, key=f"{KEY}.math", grad_norms=run.trainer.grad_norms)
    with code_tab:
        code_view(run.network, optimizer=settings.optimizer)
        iterations = run.iteration or settings.max_iterations  # before training: the plan
        export_button(f"{KEY}.export", DATA_CODE, export_settings(settings, OUTPUT), iterations)
