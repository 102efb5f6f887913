"""Lesson 3: a straight line cannot separate the rose's petals; 4 tanh units draw the flower."""

import time

import streamlit as st

from datasets import DatasetError
from ui import playground as pg
from ui.code_view import code_view, export_button
from ui.controls import OutputSpec, Settings, export_settings, network_builder
from ui.diagram import network_diagram_spec
from ui.math_panel import math_panel
from ui.trainer import Run, live_trainer, look_closer, show_metric_curves

KEY = "rose"
FRAME_SECONDS = 0.08  # ask for 12.5 frames a second; benchmarks/rose_frames.py measures them
QUICK_FRAMES = 10  # a full redraw, then 9 of the surface and unit maps alone (see live_trainer)
TUTORIAL = Settings(
    depth=1, units=(4,), activations=("tanh",), learning_rate=1.2,
    iterations_per_frame=10, max_iterations=5000,
)  # fmt: skip
FAST = Settings(
    depth=1, units=(8,), activations=("tanh",), learning_rate=0.05, optimizer="adam",
    iterations_per_frame=20, max_iterations=2000,
)  # fmt: skip

st.title("3 · Rose")
st.markdown(
    "Points on a 7-petal rose; the **blue** petals are class 1. Logistic regression can only "
    "draw a straight line. Add **one hidden layer of 4 tanh units** and the network draws the "
    "flower: press **Play** and watch it happen."
)

# ---- data and network -------------------------------------------------------------------------
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
# The surface as SVG via st.image; ?renderer=vega or rect: Vega-Lite, for benchmarks/rose_frames.py
renderer = st.query_params.get("renderer", "svg")
rows = pg.point_rows(data, show_test)  # the points on the surface: the same in every frame


def enlarge(view: pg.PlaneView) -> None:
    """A picker of hidden units and the chosen one's map at full size."""
    units = [pg.unit_name(i, u) for i, values in enumerate(view.hidden)
             for u in range(values.shape[2])]  # fmt: skip
    options = ["none", *units]
    if st.session_state.get(f"{KEY}.enlarge") not in options:
        st.session_state[f"{KEY}.enlarge"] = "none"
    chosen = st.selectbox("Enlarge a hidden unit", options, key=f"{KEY}.enlarge")
    if chosen != "none":
        st.image(pg.enlarged_unit_svg(view, data, chosen, show_test))


# ---- the live views, redrawn every frame ------------------------------------------------------
def show_surface(slots: tuple, run: Run, view: pg.PlaneView) -> None:
    """The decision surface and one line of counters, each into its own ``st.empty`` slot:
    what every frame redraws. A slot only ever holds one element, never a container, so a
    late message cannot find an element where the browser expects a block (docs/classroom-
    races.md)."""
    picture, counters = slots
    frames = st.session_state[f"{KEY}.frames"] = st.session_state.get(f"{KEY}.frames", 0) + 1
    start = time.perf_counter()
    url = pg.png_data_url(pg.output_image(view.output, discrete))
    if renderer in ("vega", "rect"):
        image = view.output if renderer == "rect" else url
        picture.vega_lite_chart(pg.surface_spec(image, data.extent, rows), width="content")
    else:
        picture.image(pg.plane_svg(url, data.extent, rows))
    latest = run.latest_metrics()
    accuracies = " · ".join(
        f"{name.split()[0]} {100 * latest[name]:.1f} %"
        for name in ("train accuracy", "test accuracy")
        if name in latest
    )
    render_ms = 1000 * (time.perf_counter() - start)
    counters.caption(
        f"Frame {frames:,} · iteration {run.iteration:,} · accuracy: {accuracies} · "
        f"predict {1000 * view.seconds:.1f} ms, draw {render_ms:.1f} ms · "
        f"grid {pg.GRID}×{pg.GRID}, inputs scaled ×{data.scale:.3g}"
    )


def show_accuracy_tiles(run: Run) -> None:
    latest = run.latest_metrics()
    train, test = st.columns(2)
    train.metric("Training accuracy", f"{100 * latest['train accuracy']:.1f} %", border=True)
    test_accuracy = latest.get("test accuracy")
    test.metric(
        "Test accuracy",
        "–" if test_accuracy is None else f"{100 * test_accuracy:.1f} %",
        border=True,
    )


def redraw_neuron_maps(slot: st.delta_generator.DeltaGenerator, view: pg.PlaneView) -> None:
    slot.image(pg.neuron_grid_svg(pg.neuron_maps(view)[0]))


def show_neuron_maps(view: pg.PlaneView) -> st.delta_generator.DeltaGenerator:
    """The hidden units' maps under their title; returns the slot that the quick frames
    redraw (``show_surface`` says why one element)."""
    left_out = pg.neuron_maps(view)[1]
    st.markdown("**Each hidden unit over the plane** (blue +, orange −)")
    slot = st.empty()
    redraw_neuron_maps(slot, view)
    if left_out:
        st.caption(f"{left_out} more units not drawn: enlarge any of them below.")
    return slot


def draw(run: Run):
    """Every live view, the cost and accuracy curves last; returns the function that redraws
    the surface and the unit maps alone, for the quick frames in between (see
    ``live_trainer``)."""
    surface_column, network_column = st.columns([1.1, 1], gap="large")
    with surface_column:
        st.subheader("Decision surface")
        surface = st.empty(), st.empty()
    with network_column:
        st.subheader("Network")
        layers = run.network.layers
        sizes = [data.input_dim, *(layer.units for layer in layers)]
        diagram = network_diagram_spec(
            sizes,
            [layer.weights for layer in layers],
            [layer.bias.ravel() for layer in layers],
            [layer.activation.name for layer in layers],
        )
        st.vega_lite_chart(diagram, width="stretch")
        view = pg.evaluate_plane(run.network, data)
        maps = show_neuron_maps(view) if view.hidden else None

    def update(run: Run, view: pg.PlaneView | None = None) -> None:
        view = view or pg.evaluate_plane(run.network, data)
        show_surface(surface, run, view)
        if maps is not None:
            redraw_neuron_maps(maps, view)

    show_surface(surface, run, view)
    with surface_column:
        show_accuracy_tiles(run)
    with network_column:
        if view.hidden:
            enlarge(view)
        else:
            st.info("No hidden layer: the output is one sigmoid of a straight line's side.")
    cost_column, accuracy_column = st.columns(2, gap="large")
    with cost_column:
        show_metric_curves(run, ["train cost", "test cost"], "cost (log scale)", log=True)
    with accuracy_column:
        show_metric_curves(run, ["train accuracy", "test accuracy"], "accuracy")
    return update


run = live_trainer(
    KEY, X, Y, settings, OUTPUT, draw, data_key=data_key, evaluate=evaluate,
    frame_seconds=FRAME_SECONDS, quick_frames=QUICK_FRAMES,
)  # fmt: skip


# ---- look closer: one unit, line versus flower, capacity, the math and the code ----------------
if not look_closer(run, "line versus flower, the capacity sweep, the math and the code"):
    st.stop()
tabs = st.tabs(["Line versus flower", "Capacity sweep", "The math", "The code"])
with tabs[0]:
    pg.line_versus_flower(KEY, data)
with tabs[1]:
    pg.capacity_sweep(KEY, data, settings, data_key)
if run is not None:
    with tabs[2]:
        math_panel(run.network, X, Y, key=f"{KEY}.math", grad_norms=run.trainer.grad_norms)
    with tabs[3]:
        code_view(run.network, optimizer=settings.optimizer)
        iterations = run.iteration or settings.max_iterations
        export_settings_ = export_settings(settings, OUTPUT)
        export_button(f"{KEY}.export", pg.data_code(data.choice), export_settings_, iterations)
