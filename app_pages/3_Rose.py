"""Lesson 3: a straight line cannot separate the rose's petals; 4 tanh units draw the flower."""

import time

import streamlit as st

from datasets import DatasetError
from kit.code_view import code_view, export_button
from kit.controls import OutputSpec, Settings, export_settings, network_builder
from kit.live import Run, encode, live_view, rounded
from kit.math_panel import math_panel
from lessons.rose import views as pg

KEY = "rose"
# A big network's weights and unit maps are most of a snapshot: redrawn 4 times a second.
BIG_NETWORK, DETAILS_SECONDS = 1_000, 0.25  # parameters, seconds
TUTORIAL = Settings(
    depth=1, units=(4,), activations=("tanh",), learning_rate=1.2,
    max_iterations=5000, speed=300,
)  # fmt: skip
FAST = Settings(
    depth=1, units=(8,), activations=("tanh",), learning_rate=0.05, optimizer="adam",
    max_iterations=2000, speed=300,
)  # fmt: skip

st.title("3 · Rose")
st.markdown(
    "Points on a 7-petal rose; the **blue** petals are class 1. Logistic regression can only "
    "draw a straight line. Add **one hidden layer of 4 tanh units** and the network draws the "
    "flower: press **Play** and watch it happen."
)

# ---- data and network -------------------------------------------------------------------------
live_box = st.container()  # the live view on top; the dataset picker and toggles below it
name = pg.dataset_picker(KEY)
try:
    data = pg.make_data(pg.data_controls(KEY, name))
except DatasetError as error:
    st.error(f"These data settings do not make a dataset: {error}")
    st.stop()
OUTPUT = OutputSpec(input_dim=data.input_dim, units=1, activation="sigmoid", loss="cross_entropy")
settings = network_builder(KEY, OUTPUT, TUTORIAL, {"Tutorial": TUTORIAL, "Fast": FAST})
X, Y = data.inputs[data.train], data.Y[data.train]
X_test, Y_test = data.inputs[data.test], data.Y[data.test]
data_key = (data.choice,)


def evaluate(network) -> dict[str, float]:
    metrics = {"train cost": network.cost(X, Y), "train accuracy": pg.accuracy_of(network, X, Y)}
    if len(X_test):
        metrics["test cost"] = network.cost(X_test, Y_test)
        metrics["test accuracy"] = pg.accuracy_of(network, X_test, Y_test)
    return metrics


show_test, discrete = st.columns([1, 1, 2])[:2]
show_test = show_test.toggle("Show test points", value=True, key=f"{KEY}.show_test")
discrete = discrete.toggle("Discretise output", key=f"{KEY}.discrete", help="Hard 0/1 regions.")
POINTS = [  # on the surface: (x, y, 0/1 train class, 2/3 test class)
    [*map(float, point), int(y) + 2 * (row == "test")]
    for row, indices in (("train", data.train), ("test", data.test if show_test else []))
    for point, y in zip(data.points[indices], data.Y[indices, 0], strict=True)
]


# ---- the live view ----------------------------------------------------------------------------
def scene(run: Run) -> dict:
    layers = run.network.layers
    hidden = [f"L{layer + 1} {layers[layer].activation.name}" for layer in range(len(layers) - 1)]
    panels = {
        "surface": {
            "kind": "picture", "title": "Decision surface", "colormap": "surface", "smooth": True,
            "extent": [-data.extent, data.extent, -data.extent, data.extent], "points": POINTS,
            "max_width": 420, "flex": 1.1,
            "caption": f"Grid {pg.GRID}×{pg.GRID}, inputs scaled ×{data.scale:.3g}.",
        },
        "diagram": {
            "kind": "diagram", "title": "Network",
            "sizes": [data.input_dim, *(layer.units for layer in layers)],
            "activations": [layer.activation.name for layer in layers],
        },
        "cost": {"kind": "curves", "title": "Cost (log scale)",
                 "series": ["train cost", "test cost"], "log": True, "height": 180},
        "accuracy": {"kind": "curves", "title": "Accuracy",
                     "series": ["train accuracy", "test accuracy"], "percent": True, "height": 180},
    }  # fmt: skip
    network = ["diagram"]
    if hidden:
        panels["maps"] = {"kind": "maps", "title": "Each hidden unit over the plane "
                          "(blue +, orange −)", "colormap": "diverging"}  # fmt: skip
        network.append("maps")
    return {"layout": [["surface", network], ["cost", "accuracy"]], "panels": panels}


def views(run: Run) -> dict:
    """The surface, the weights, the unit maps and the accuracies at the run's iteration."""
    view = pg.evaluate_plane(run.network, data)
    output = (view.output > 0.5).astype(float) if discrete else view.output
    latest = run.latest_metrics()
    read = {"Train accuracy": f"{100 * latest['train accuracy']:.1f} %"}
    if "test accuracy" in latest:
        read["Test accuracy"] = f"{100 * latest['test accuracy']:.1f} %"
    values = {"surface": {"image": encode(output)}}
    now = time.monotonic()
    if run.network.parameter_count > BIG_NETWORK and (
        now - st.session_state.get(f"{KEY}.details_at", 0.0) < DETAILS_SECONDS
    ):
        return {"read": read, "v": values}
    st.session_state[f"{KEY}.details_at"] = now
    layers = run.network.layers
    values["diagram"] = {
        "weights": [rounded(layer.weights.T, 3) for layer in layers],
        "biases": [rounded(layer.bias, 3) for layer in layers],
    }
    if view.hidden:
        maps, names = [], []
        layers = zip(view.hidden, view.activations, strict=True)
        for layer, (outputs, activation) in enumerate(layers):
            for unit in range(min(outputs.shape[2], pg.MAX_UNITS_DRAWN)):
                unit_values = outputs[::2, ::2, unit]  # 40 × 40 is plenty for a thumbnail
                maps.append(encode(unit_values, *pg.unit_range(activation, unit_values)))
                names.append(f"L{layer + 1}·{unit + 1}")
        values["maps"] = {"images": maps, "names": names}
    return {"read": read, "v": values}


with live_box:
    run = live_view(KEY, X, Y, settings, OUTPUT, scene, views, data_key=data_key, evaluate=evaluate)


# ---- look closer: one unit, line versus flower, capacity, the math and the code ----------------
def enlarge(view: pg.PlaneView) -> None:
    """A picker of hidden units and the chosen one's map at full size."""
    units = [pg.unit_name(i, u) for i, values in enumerate(view.hidden)
             for u in range(values.shape[2])]  # fmt: skip
    if not units:
        st.info("No hidden layer: the output is one sigmoid of a straight line's side.")
        return
    options = ["none", *units]
    if st.session_state.get(f"{KEY}.enlarge") not in options:
        st.session_state[f"{KEY}.enlarge"] = "none"
    chosen = st.selectbox("Enlarge a hidden unit", options, key=f"{KEY}.enlarge")
    if chosen != "none":
        st.image(pg.enlarged_unit_svg(view, data, chosen, show_test))


names = ["One unit up close", "Line versus flower", "Capacity sweep", "The math", "The code"]
tabs = st.tabs(names, key=f"{KEY}.tab", on_change="rerun")
if tabs[0].open:
    with tabs[0]:
        if run is not None:
            enlarge(pg.evaluate_plane(run.network, data))
if tabs[1].open:
    with tabs[1]:
        pg.line_versus_flower(KEY, data)
if tabs[2].open:
    with tabs[2]:
        pg.capacity_sweep(KEY, data, settings, data_key)
if run is not None:
    if tabs[3].open:
        with tabs[3]:
            math_panel(run.network, X, Y, key=f"{KEY}.math", grad_norms=run.trainer.grad_norms)
    if tabs[4].open:
        with tabs[4]:
            code_view(run.network, optimizer=settings.optimizer)
            iterations = run.iteration or settings.max_iterations
            export_settings_ = export_settings(settings, OUTPUT)
            export_button(f"{KEY}.export", pg.data_code(data.choice), export_settings_, iterations)
