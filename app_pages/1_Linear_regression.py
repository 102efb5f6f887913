"""Lesson 1: learn y = 2x + 1 from seven points, then predict x = 12 -> 25."""

import numpy as np
import streamlit as st

from datasets import make_linear
from kit.charts import blues, linear_cost_grid
from kit.code_view import code_view, export_button
from kit.controls import (
    OutputSpec,
    Settings,
    apply_settings,
    export_settings,
    network_builder,
    reset_synced_slider,
    synced_slider,
)
from kit.live import Run, encode, live_view, rounded
from kit.math_panel import math_panel
from kit.reproduce import comparison_table, reproduce
from kit.reproduce import tutorial_reference as reference

KEY = "linear"
OUTPUT = OutputSpec(input_dim=1, units=1, activation="linear", loss="mse")
# 1 linear unit, tutorial init × 0.01, seed 1, lr 0.01, 1000 GD iterations, shown in a second
TUTORIAL = Settings(speed=1000)
FAST = Settings(learning_rate=0.15, speed=100, max_iterations=200)
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


# ---- the live view ----------------------------------------------------------------------------
XS = np.linspace(X.min() - 0.5, X.max() + 0.5, 30).reshape(-1, 1)
x_asked = st.session_state.get(f"{KEY}.predict_x", 12.0)
ws, bs, costs = surface
dw, db = (ws[1] - ws[0]) / 2, (bs[1] - bs[0]) / 2
log_costs = np.log10(costs + 1e-6)
surface_picture = encode(blues(log_costs[::-1], log_costs.min(), log_costs.max()) / 255)
best_line = w_best * XS + b_best
line_ys = np.concatenate([Y.ravel(), best_line.ravel()])
y_low, y_high = float(line_ys.min()), float(line_ys.max())


def scene(run: Run) -> dict:
    panels = {
        "fit": {
            "kind": "plot", "title": "The fitted line", "scatter": np.hstack([X, Y]).tolist(),
            "xs": rounded(XS), "live": "network",
            "lines": [{"name": "least squares", "xs": rounded(XS), "ys": rounded(best_line)}],
            "y_range": [y_low - 0.1 * (y_high - y_low), y_high + 0.1 * (y_high - y_low)],
            "x_label": "x", "height": 260,
        },
        "cost": {"kind": "curves", "title": "The cost (log scale)", "series": ["cost"], "log": True,
                 "height": 260},
    }  # fmt: skip
    layout = [["fit", "cost"]]
    if run.settings.depth == 0:
        path = run.path_array()
        panels["surface"] = {
            "kind": "picture", "title": "The cost surface J(w, b)", "colormap": "rgb",
            "image": surface_picture, "smooth": True, "max_width": 360,
            "extent": [ws[0] - dw, ws[-1] + dw, bs[0] - db, bs[-1] + db],
            "path": [rounded(point) for point in path[:, :2]] if len(path) else [],
            "marker": [float(w_best), float(b_best)], "axes": ["w", "b"],
            "caption": "Red: the path gradient descent takes. Diamond: the least-squares answer.",
        }  # fmt: skip
        layout.append(["surface"])
    return {"layout": layout, "panels": panels}


def views(run: Run) -> dict:
    """The line, the point on the cost surface and the readouts at the run's iteration."""
    read = {}
    values = {"fit": {"ys": rounded(run.network.predict(XS), 3)}}
    if run.settings.depth == 0:
        layer = run.network.layers[0]
        w, b = float(layer.weights[0, 0]), float(layer.bias[0, 0])
        read = {"w": f"{w:.4f}", "b": f"{b:.4f}"}
        values["surface"] = {"path": [rounded([w, b])]}
    y_hat = float(run.network.predict(np.array([[x_asked]]))[0, 0])
    read[f"ŷ({x_asked:g})"] = f"{y_hat:.4f}"
    return {"read": read, "v": values}


run = live_view(KEY, X, Y, settings, OUTPUT, scene, views, data_key=(n_points, noise))
if run is not None:
    left, right = st.columns(2, gap="large")
    left.number_input("Predict y at x =", value=12.0, step=1.0, key=f"{KEY}.predict_x",
                      help="The tutorial gets 25.00000019 at x = 12.")  # fmt: skip
    if run.settings.depth == 0:
        right.caption(f"Least squares, for comparison: w = {w_best:.6f}, b = {b_best:.6f}.")
    else:
        right.caption("The cost surface is drawn for the depth-0 model, y = w x + b.")


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


reproduce_tab, math_tab, code_tab = st.tabs(
    ["Reproduce the tutorial", "The math", "The code"], key=f"{KEY}.tab", on_change="rerun"
)
if reproduce_tab.open:
    with reproduce_tab:
        st.markdown(
            "The tutorial's exact settings: 1 linear unit, tutorial init (scale 0.01, seed 1), "
            "learning rate 0.01, 1000 full-batch gradient-descent iterations, MSE, a print every "
            "100."
        )
        st.button("Reproduce the tutorial", key=f"{KEY}.reproduce", on_click=reproduce_tutorial)
        if f"{KEY}.reproduced" in st.session_state:
            table = comparison_table(
                st.session_state[f"{KEY}.reproduced"], TUTORIAL_RESULTS["costs"]
            )
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
    if math_tab.open:
        with math_tab:
            math_panel(run.network, X, Y, key=f"{KEY}.math", grad_norms=run.trainer.grad_norms)
    if code_tab.open:
        with code_tab:
            code_view(run.network, optimizer=settings.optimizer)
            iterations = run.iteration or settings.max_iterations  # before training: the plan
            export_button(f"{KEY}.export", DATA_CODE, export_settings(settings, OUTPUT), iterations)
