"""The Rose lesson's 2-D playground: data, input features, the decision surface, per-neuron
maps, "line versus flower" and the capacity sweep.

Inputs: every dataset is rescaled so that its farthest point lies at radius ``INPUT_RADIUS`` = 4,
the size of the tutorial's rose. The rose is therefore fed to the network exactly as the
tutorial feeds it (scale 1), and the toy sets in [-1, 1] are stretched to the same size, so the
tutorial's learning rate 1.2 suits them all. Optional features (x², y², xy, sin πx, sin πy) are
computed from the coordinates divided by 4 (so in [-1, 1]) and appended after x and y.

Surfaces are drawn cheaply: the network is evaluated on a fixed ``GRID`` × ``GRID`` grid, the
values coloured with numpy, saved as a small PNG with Pillow and laid under the points as a
Vega-Lite ``image`` mark (a data URL: nothing is fetched). See benchmarks/rose_frames.py.
"""

import io
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import streamlit as st
from PIL import Image

import nn
from datasets import TOY_DATASETS, DatasetError, make_rose
from kit import url_state as state
from kit.charts import FONT_SIZES, png_data_url
from kit.controls import OutputSpec, Settings, build_network
from kit.frame_clock import ask_again, live_fragment
from kit.reproduce import comparison_table, tutorial_reference

INPUT_RADIUS = 4.0
GRID = 80
SURFACE_PIXELS = 400
MAX_UNITS_DRAWN = 6
POSITIVE = np.array([8, 119, 189])  # blue: class 1, positive (TensorFlow Playground's colours)
NEGATIVE = np.array([245, 147, 34])  # orange: class 0, negative
WHITE = np.array([255, 255, 255])
SURFACE_STRENGTH = 0.75  # the surface is paler than the points, so the points stand out
DATASETS = tuple(TOY_DATASETS)
DATASET_LABELS = {name: name.capitalize() for name in DATASETS}
FEATURES = {
    "x2": "x²",
    "y2": "y²",
    "xy": "xy",
    "sinx": "sin πx",
    "siny": "sin πy",
}
FEATURE_CODE = {
    "x2": "u**2",
    "y2": "v**2",
    "xy": "u * v",
    "sinx": "np.sin(np.pi * u)",
    "siny": "np.sin(np.pi * v)",
}
SWEEP_UNITS = (1, 2, 3, 4, 5, 20, 50)
SWEEP_CHUNK = 400  # iterations per tick of the sweep at most
# A tick runs inside the fragment that draws the sweep's buttons, and a click waits for it.
SWEEP_TICK_SECONDS = 0.2
DLAI_SWEEP = {1: 67.5, 2: 67.25, 3: 90.75, 4: 90.5, 5: 91.25, 20: 90.0, 50: 90.25}
PARAMS = {
    "data": state.choice(DATASETS),
    "features": state.listed(state.choice(FEATURES), len(FEATURES)),
    "class_one": state.listed(state.clamped_int(0, 49), 50),
}


# ---- data ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DataChoice:
    """What the Data controls chose; ``petals``, ``points_per_petal`` and ``class_one`` are the
    rose's own. ``test_share`` of the points (drawn with ``seed``) are held out."""

    name: str = "rose"
    noise: float = 0.0
    seed: int = 0
    petals: int = 7
    points_per_petal: int = 100
    class_one: tuple[int, ...] = (0, 3, 6)
    test_share: float = 0.2
    features: tuple[str, ...] = ()

    def generator_call(self) -> str:
        """The Python call that makes the raw points."""
        if self.name == "rose":
            return (
                f"make_rose(petals={self.petals}, points_per_petal={self.points_per_petal}, "
                f"class_one={tuple(self.class_one)!r}, noise={self.noise!r}, seed={self.seed})"
            )
        function = TOY_DATASETS[self.name].__name__
        return f"{function}(noise={self.noise!r}, seed={self.seed})"


def raw_points(choice: DataChoice) -> tuple[np.ndarray, np.ndarray]:
    """The dataset's points in its own coordinates (DatasetError if the choice is invalid)."""
    if choice.name == "rose":
        return make_rose(
            petals=choice.petals,
            points_per_petal=choice.points_per_petal,
            class_one=choice.class_one,
            noise=choice.noise,
            seed=choice.seed,
        )
    if choice.name not in TOY_DATASETS:
        raise DatasetError(f"unknown dataset {choice.name!r}; choose one of {', '.join(DATASETS)}")
    return TOY_DATASETS[choice.name](noise=choice.noise, seed=choice.seed)


def input_scale(X: np.ndarray) -> float:
    """The factor that puts the farthest point at radius INPUT_RADIUS (1 for the rose)."""
    radius = float(np.hypot(X[:, 0], X[:, 1]).max())
    return INPUT_RADIUS / radius if radius > 0 else 1.0


def with_features(inputs: np.ndarray, features: Sequence[str]) -> np.ndarray:
    """x, y and the chosen extra features, as columns; u, v = x / 4, y / 4 lie in [-1, 1]."""
    u, v = inputs[:, 0] / INPUT_RADIUS, inputs[:, 1] / INPUT_RADIUS
    extra = {
        "x2": lambda: u**2,
        "y2": lambda: v**2,
        "xy": lambda: u * v,
        "sinx": lambda: np.sin(np.pi * u),
        "siny": lambda: np.sin(np.pi * v),
    }
    return np.column_stack([inputs[:, 0], inputs[:, 1], *(extra[name]() for name in features)])


def split_indices(n: int, test_share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) row indices: a seeded shuffle, the first ``round(n * test_share)`` held out."""
    order = np.random.default_rng(seed).permutation(n)
    n_test = min(int(round(n * test_share)), n - 1)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


@dataclass
class Data:
    """Raw points, the network's inputs and the train/test split of one DataChoice."""

    choice: DataChoice
    points: np.ndarray  # raw coordinates (n, 2)
    Y: np.ndarray
    scale: float
    inputs: np.ndarray  # scaled coordinates and features (n, input_dim)
    train: np.ndarray
    test: np.ndarray
    extent: float = field(init=False)

    def __post_init__(self) -> None:
        self.extent = 1.1 * float(np.abs(self.points).max())

    @property
    def input_dim(self) -> int:
        return self.inputs.shape[1]

    def to_inputs(self, points: np.ndarray) -> np.ndarray:
        return with_features(points * self.scale, self.choice.features)

    def grid_points(self, size: int = GRID) -> np.ndarray:
        """Raw coordinates of a size × size grid over the plot, row 0 at the top."""
        ticks = np.linspace(-self.extent, self.extent, size)
        x, y = np.meshgrid(ticks, ticks[::-1])
        return np.column_stack([x.ravel(), y.ravel()])


def make_data(choice: DataChoice) -> Data:
    points, Y = raw_points(choice)
    scale = input_scale(points)
    train, test = split_indices(len(points), choice.test_share, choice.seed)
    inputs = with_features(points * scale, choice.features)
    return Data(choice, points, Y, scale, inputs, train, test)


def data_code(choice: DataChoice) -> str:
    """Python that rebuilds the page's training data (X, Y) for "Export this experiment"."""
    function = "make_rose" if choice.name == "rose" else TOY_DATASETS[choice.name].__name__
    lines = [
        "import numpy as np",
        f"from datasets import {function}",
        f"points, labels = {choice.generator_call()}",
        f"# Inputs: scaled so the farthest point lies at radius {INPUT_RADIUS:g}, the rose's size.",
        f"inputs = points * ({INPUT_RADIUS!r} / np.hypot(points[:, 0], points[:, 1]).max())",
    ]
    if choice.features:
        extras = ", ".join(FEATURE_CODE[name] for name in choice.features)
        lines += [
            f"u, v = inputs[:, 0] / {INPUT_RADIUS!r}, inputs[:, 1] / {INPUT_RADIUS!r}",
            f"inputs = np.column_stack([inputs[:, 0], inputs[:, 1], {extras}])",
        ]
    lines += [
        f"# The training split: a seeded shuffle holds out {choice.test_share:.0%} for testing.",
        f"order = np.random.default_rng({choice.seed}).permutation(len(inputs))",
        f"n_test = min(int(round(len(inputs) * {choice.test_share!r})), len(inputs) - 1)",
        "train = np.sort(order[n_test:])",
        "X, Y = inputs[train], labels[train]",
    ]
    return "\n".join(lines)


# ---- evaluating a network over the plane -----------------------------------------------------
def layer_outputs(network: nn.Network, inputs: np.ndarray) -> list[np.ndarray]:
    """Every layer's activations a = g(W a_prev + b) for samples in rows, the output last."""
    activations, a = [], np.asarray(inputs, dtype=float)
    for layer in network.layers:
        a = layer.activation(a @ layer.weights.T + layer.bias.T)
        activations.append(a)
    return activations


def accuracy_of(network: nn.Network, inputs: np.ndarray, Y: np.ndarray) -> float:
    return nn.accuracy(network.predict(inputs), Y) if len(inputs) else float("nan")


# ---- colouring and PNGs ----------------------------------------------------------------------
def colorize(values: np.ndarray, low: float, high: float, strength: float = 1.0) -> np.ndarray:
    """RGB uint8 of a diverging orange (low) - white (middle) - blue (high) map."""
    middle = (low + high) / 2
    half = (high - low) / 2 or 1.0
    t = np.clip((np.nan_to_num(values, nan=middle) - middle) / half, -1.0, 1.0)[..., None]
    t = t * strength
    color = np.where(t >= 0, WHITE + t * (POSITIVE - WHITE), WHITE - t * (NEGATIVE - WHITE))
    return color.round().astype(np.uint8)


def output_image(values: np.ndarray, discrete: bool) -> np.ndarray:
    """The output (probability of class 1) as colours; ``discrete`` shows hard 0/1 regions."""
    if discrete:
        values = (values > 0.5).astype(float)
    return colorize(values, 0.0, 1.0, SURFACE_STRENGTH)


def unit_range(activation: str, values: np.ndarray) -> tuple[float, float]:
    """The colour range of a hidden unit: its activation's own range when bounded."""
    if activation == "tanh":
        return -1.0, 1.0
    if activation == "sigmoid":
        return 0.0, 1.0
    largest = float(np.nanmax(np.abs(values))) if values.size else 1.0
    return -(largest or 1.0), largest or 1.0


# ---- Vega-Lite specs -------------------------------------------------------------------------
def _point_rows(points: np.ndarray, Y: np.ndarray, split: str) -> list[dict]:
    return [
        {"x": round(float(x), 4), "y": round(float(y), 4), "class": int(c), "split": split}
        for (x, y), c in zip(points, Y[:, 0] > 0.5, strict=True)
    ]


# ---- SVG pictures (st.image shows them as an <img>: no chart library to run per frame) -------
SVG_MARGIN = 30


def _svg_points(rows: list[dict], to_pixel, radius: float) -> list[str]:
    marks = []
    for row in rows:
        px, py = to_pixel(row["x"], row["y"])
        color = "#0877bd" if row["class"] else "#f59322"
        if row["split"] == "test":
            side = 2 * radius
            marks.append(
                f'<rect x="{px - radius:.1f}" y="{py - radius:.1f}" width="{side:.1f}" '
                f'height="{side:.1f}" fill="{color}" fill-opacity="0.3" stroke="#1b1f24" '
                'stroke-width="1.3"/>'
            )
        else:
            marks.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{radius:g}" fill="{color}" '
                'stroke="#ffffff" stroke-width="1"/>'
            )
    return marks


def plane_svg(url: str, extent: float, rows: list[dict], pixels: int = SURFACE_PIXELS) -> str:
    """The plane as SVG: the surface PNG (a data URL), the points over it, a frame with ticks."""
    m = SVG_MARGIN
    size = pixels + 2 * m

    def to_pixel(x: float, y: float) -> tuple[float, float]:
        return m + (x + extent) / (2 * extent) * pixels, m + (extent - y) / (2 * extent) * pixels

    ticks = []
    step = _tick_step(extent)
    for value in np.arange(-np.floor(extent / step) * step, extent + 1e-9, step):
        px, py = to_pixel(value, value)
        label = f"{value:g}"
        ticks.append(
            f'<line x1="{px:.1f}" y1="{m + pixels}" x2="{px:.1f}" y2="{m + pixels + 5}" '
            'stroke="#3b4652"/>'
            f'<text x="{px:.1f}" y="{m + pixels + 19}" text-anchor="middle">{label}</text>'
            f'<line x1="{m - 5}" y1="{py:.1f}" x2="{m}" y2="{py:.1f}" stroke="#3b4652"/>'
            f'<text x="{m - 8}" y="{py + 4:.1f}" text-anchor="end">{label}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" font-family="sans-serif" font-size="12" fill="#3b4652">'
        f'<image href="{url}" x="{m}" y="{m}" width="{pixels}" height="{pixels}" '
        'preserveAspectRatio="none"/>'
        + "".join(_svg_points(rows, to_pixel, 3.6 if len(rows) < 1500 else 2.2))
        + f'<rect x="{m}" y="{m}" width="{pixels}" height="{pixels}" fill="none" '
        'stroke="#9aa5b1"/>' + "".join(ticks) + "</svg>"
    )


def _tick_step(extent: float) -> float:
    for step in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        if extent / step <= 5:
            return step
    return 20.0


# ---- the live views --------------------------------------------------------------------------
@dataclass
class PlaneView:
    """One evaluation of a network over the grid: the output and every hidden unit."""

    output: np.ndarray  # (GRID, GRID) probability of class 1
    hidden: list[np.ndarray]  # per hidden layer (GRID, GRID, units)
    activations: list[str]
    seconds: float


def evaluate_plane(network: nn.Network, data: Data, size: int = GRID) -> PlaneView:
    start = time.perf_counter()
    outputs = layer_outputs(network, data.to_inputs(data.grid_points(size)))
    shape = (size, size)
    hidden = [a.reshape(*shape, a.shape[1]) for a in outputs[:-1]]
    names = [layer.activation.name for layer in network.layers[:-1]]
    return PlaneView(outputs[-1].reshape(shape), hidden, names, time.perf_counter() - start)


def unit_name(layer: int, unit: int) -> str:
    return f"layer {layer + 1} · unit {unit + 1}"


def point_rows(data: Data, show_test: bool) -> list[dict]:
    rows = _point_rows(data.points[data.train], data.Y[data.train], "train")
    if show_test and len(data.test):
        rows += _point_rows(data.points[data.test], data.Y[data.test], "test")
    return rows


def enlarged_unit_svg(view: PlaneView, data: Data, choice: str, show_test: bool) -> str | None:
    """The chosen hidden unit's map at full size, with the points; None if it no longer exists."""
    names = {
        unit_name(layer, unit): (layer, unit)
        for layer, values in enumerate(view.hidden)
        for unit in range(values.shape[2])
    }
    if choice not in names:
        return None
    layer, unit = names[choice]
    values = view.hidden[layer][:, :, unit]
    low, high = unit_range(view.activations[layer], values)
    url = png_data_url(colorize(values, low, high, SURFACE_STRENGTH))
    return plane_svg(url, data.extent, point_rows(data, show_test), pixels=300)


# ---- dataset thumbnails ----------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def thumbnail(name: str, size: int = 72) -> bytes:
    """A small PNG of a dataset's default points: class 1 blue, class 0 orange."""
    X, Y = TOY_DATASETS[name]()
    extent = 1.1 * float(np.abs(X).max())
    pixels = np.full((size, size, 3), 255, np.uint8)
    columns = np.clip(((X[:, 0] / extent + 1) / 2 * (size - 1)).round().astype(int), 1, size - 2)
    rows = np.clip(((1 - (X[:, 1] / extent + 1) / 2) * (size - 1)).round().astype(int), 1, size - 2)
    colors = np.where(Y > 0.5, POSITIVE, NEGATIVE).astype(np.uint8)
    for dr in (-1, 0):
        for dc in (-1, 0):
            pixels[rows + dr, columns + dc] = colors
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


# ---- line versus flower ----------------------------------------------------------------------
TUTORIAL_RUNS = {
    "rose_logistic": Settings(depth=0, learning_rate=1.2, max_iterations=1000),
    "rose_two_layer": Settings(
        depth=1, units=(4,), activations=("tanh",), learning_rate=1.2, max_iterations=4000
    ),
}
TUTORIAL_OUTPUT = OutputSpec(input_dim=2, units=1, activation="sigmoid", loss="cross_entropy")


@dataclass
class Trained:
    """A network trained on click, with what the tutorial prints."""

    title: str
    network: nn.Network
    progress: list[nn.Progress]
    accuracy: float
    seconds: float


def train_tutorial_run(section: str, X: np.ndarray, Y: np.ndarray) -> Trained:
    """The tutorial's run ``section`` (tutorial init 0.01, seed 1, lr 1.2, full-batch GD)."""
    settings = TUTORIAL_RUNS[section]
    every = tutorial_reference(section)["print_every"]
    start = time.perf_counter()
    network = build_network(settings, OutputSpec(X.shape[1], 1, "sigmoid", "cross_entropy"))
    trainer = network.trainer(X, Y, learning_rate=settings.learning_rate)
    progress = list(trainer.run(settings.max_iterations, every=every))
    progress = [report for report in progress if report.iteration % every == 0]
    seconds = time.perf_counter() - start
    title = "Logistic regression (depth 0)" if settings.depth == 0 else "4 tanh hidden units"
    return Trained(title, network, progress, nn.accuracy(network.predict(X), Y), seconds)


def tutorial_table(trained: Trained, section: str):
    return comparison_table(trained.progress, tutorial_reference(section)["costs"])


# ---- the capacity sweep ----------------------------------------------------------------------
@dataclass
class Sweep:
    """Accuracy against hidden units: one configuration trains a chunk per tick."""

    units: tuple[int, ...]
    iterations: int
    settings: Settings
    data_key: tuple
    results: list[dict] = field(default_factory=list)
    trainer: nn.Trainer | None = None
    cancelled: bool = False

    @property
    def done(self) -> bool:
        return len(self.results) >= len(self.units)

    @property
    def running(self) -> bool:
        return not self.done and not self.cancelled

    def fraction(self) -> float:
        current = self.trainer.iteration / self.iterations if self.trainer else 0.0
        return min((len(self.results) + current) / len(self.units), 1.0)

    def tick(self, data: Data, budget: int = SWEEP_CHUNK, seconds: float | None = None) -> None:
        """Train the current configuration up to ``budget`` more iterations, and, if
        ``seconds`` is given, no longer than that (one iteration at least); record it when
        finished (or diverged) and move on to the next."""
        if not self.running:
            return
        units = self.units[len(self.results)]
        X, Y = data.inputs[data.train], data.Y[data.train]
        if self.trainer is None:
            settings = Settings(
                depth=1,
                units=(units,),
                activations=self.settings.activations[:1] or ("tanh",),
                learning_rate=self.settings.learning_rate,
                optimizer=self.settings.optimizer,
                init=self.settings.init,
                init_scale=self.settings.init_scale,
                seed=self.settings.seed,
            )
            output = OutputSpec(data.input_dim, 1, "sigmoid", "cross_entropy")
            network = build_network(settings, output)
            self.trainer = network.trainer(
                X, Y, learning_rate=settings.learning_rate, optimizer=settings.optimizer
            )
        deadline = None if seconds is None else time.perf_counter() + seconds
        diverged = False
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                for _ in range(min(budget, self.iterations - self.trainer.iteration)):
                    self.trainer.step()
                    if deadline is not None and time.perf_counter() >= deadline:
                        break
            except nn.TrainingDiverged:
                diverged = True
        if diverged or self.trainer.iteration >= self.iterations:
            network = self.trainer.network
            test = data.inputs[data.test], data.Y[data.test]
            self.results.append(
                {
                    "units": units,
                    "train": 100 * accuracy_of(network, X, Y),
                    "test": 100 * accuracy_of(network, *test) if len(data.test) else None,
                    "diverged": diverged,
                }
            )
            self.trainer = None


def sweep_spec(results: list[dict], units: Sequence[int], height: int = 260) -> dict:
    rows = [
        {"units": str(r["units"]), "accuracy": r[split], "split": split}
        for r in results
        for split in ("train", "test")
        if r[split] is not None and np.isfinite(r[split])
    ]
    return {
        "height": height,
        "data": {"values": rows},
        "mark": {"type": "line", "point": {"size": 80}, "strokeWidth": 2.5},
        "encoding": {
            "x": {
                "field": "units",
                "type": "ordinal",
                "sort": [str(u) for u in units],
                "scale": {"domain": [str(u) for u in units]},
                "title": "hidden units (one tanh layer)",
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "accuracy",
                "type": "quantitative",
                "scale": {"domain": [40, 100]},
                "title": "accuracy (%)",
            },
            "color": {
                "field": "split",
                "type": "nominal",
                "title": None,
                "scale": {"domain": ["train", "test"], "range": ["#0877bd", "#f59322"]},
            },
            "tooltip": [
                {"field": "units"},
                {"field": "split"},
                {"field": "accuracy", "format": ".1f"},
            ],
        },
        "config": {"axis": {**FONT_SIZES}, "legend": {**FONT_SIZES, "orient": "bottom"}},
    }


# ---- Streamlit: data controls ----------------------------------------------------------------
def _remembered(key: str, name: str, default):
    """A lesson setting read from the URL on the session's first visit, then from the session."""
    store = f"{key}.{name}.store"
    if store not in st.session_state:
        st.session_state[store] = state.read_query(st.query_params, PARAMS).get(name, default)
    return st.session_state[store]


def _remember(key: str, name: str, value, default) -> None:
    st.session_state[f"{key}.{name}.store"] = value
    wanted = state.query_values({name: value}, {name: default}, {name: PARAMS[name]})
    state.sync_query_params(st.query_params, wanted, [name])


def _pick(key: str, name: str) -> None:
    _remember(key, "data", name, DataChoice.name)


def dataset_picker(key: str) -> str:
    """A row of thumbnails with a button under each; returns the chosen dataset's name."""
    chosen = _remembered(key, "data", DataChoice.name)
    for column, name in zip(st.columns(len(DATASETS)), DATASETS, strict=True):
        with column:
            st.image(thumbnail(name), width="stretch")
            st.button(
                DATASET_LABELS[name],
                key=f"{key}.pick.{name}",
                type="primary" if name == chosen else "secondary",
                on_click=_pick,
                args=(key, name),
                width="stretch",
            )
    return chosen


def data_controls(key: str, name: str) -> DataChoice:
    """The sidebar's Data section for dataset ``name``: the rose's generator controls, noise,
    seed, the test share and the input features."""
    from kit.controls import synced_slider

    bar = st.sidebar
    bar.header("Data")
    bar.caption(f"Dataset: **{DATASET_LABELS[name]}** (pick another below the live view).")
    rose = {}
    if name == "rose":
        petals = synced_slider(key, "petals", "Petals", 2, 12, 7)
        per_petal = synced_slider(key, "points_per_petal", "Points per petal", 10, 300, 100)
        default = DataChoice.class_one
        remembered = _remembered(key, "class_one", default)
        widget = f"{key}.class_one"
        st.session_state.setdefault(widget, list(remembered))
        st.session_state[widget] = [p for p in st.session_state[widget] if p < petals]
        class_one = bar.multiselect(
            "Class-1 petals (blue)",
            list(range(petals)),
            key=widget,
            help="Petals are numbered from 0, anticlockwise from the positive x axis.",
        )
        _remember(key, "class_one", tuple(sorted(class_one)), default)
        rose = {"petals": petals, "points_per_petal": per_petal, "class_one": tuple(class_one)}
    noise = synced_slider(key, "noise", "Noise", 0.0, 0.5, 0.0, step=0.05)
    seed = synced_slider(key, "data_seed", "Data seed", 0, 100, 0, help="Noise and split.")
    test_share = synced_slider(
        key, "test_share", "Test share", 0.0, 0.5, 0.2, step=0.05,
        help="Held out of training (a seeded shuffle): hollow squares on the plot.",
    )  # fmt: skip
    features = _feature_toggles(key)
    return DataChoice(
        name=name, noise=noise, seed=int(seed), test_share=test_share, features=features, **rose
    )


def _feature_toggles(key: str) -> tuple[str, ...]:
    widget = f"{key}.features"
    st.session_state.setdefault(widget, list(_remembered(key, "features", ())))
    chosen = st.sidebar.pills(
        "Extra input features",
        list(FEATURES),
        selection_mode="multi",
        format_func=FEATURES.get,
        key=widget,
        help="Computed from u = x/4, v = y/4 and fed to the network after x and y. "
        "A good feature can replace a layer: try the circle with x² and y² and no hidden layer.",
    )
    features = tuple(name for name in FEATURES if name in chosen)  # a fixed order
    _remember(key, "features", features, ())
    return features


# ---- Streamlit: teaching moments -------------------------------------------------------------
def line_versus_flower(key: str, data: Data) -> None:
    """Depth 0 against 4 tanh units, trained on click; on the tutorial's rose the printed costs
    stand beside the tutorial's."""
    source = st.radio(
        "Train on",
        ["the tutorial's rose (688 points, as printed)", "the data above (training split)"],
        key=f"{key}.lvf.source",
        horizontal=True,
    )
    tutorial = source.startswith("the tutorial")
    if st.button("Train both", key=f"{key}.lvf.train", type="primary", icon=":material/bolt:"):
        if tutorial:
            X, Y = make_rose()
            label = "tutorial"
        else:
            X, Y, label = data.inputs[data.train], data.Y[data.train], data.choice
        runs = {section: train_tutorial_run(section, X, Y) for section in TUTORIAL_RUNS}
        st.session_state[f"{key}.lvf"] = (label, runs)
    stored = st.session_state.get(f"{key}.lvf")
    if stored is None:
        st.caption("Press **Train both**: each trains in a fraction of a second.")
        return
    label, runs = stored
    on_tutorial = label == "tutorial"
    if on_tutorial:
        points, Y = make_rose()
        shown = Data(DataChoice(), points, Y, 1.0, points, np.arange(len(points)), np.arange(0))
    elif label == data.choice:
        shown = data
    else:
        st.info("The data changed since the last training: press **Train both** again.")
        return
    for column, (section, trained) in zip(st.columns(2), runs.items(), strict=True):
        with column:
            st.markdown(
                f"**{trained.title}**: {TUTORIAL_RUNS[section].max_iterations:,} iterations"
            )
            view = evaluate_plane(trained.network, shown)
            url = png_data_url(output_image(view.output, discrete=False))
            st.image(plane_svg(url, shown.extent, point_rows(shown, False), pixels=320))
            final = trained.progress[-1]
            st.metric(f"accuracy · {trained.title}", f"{100 * trained.accuracy:.1f} %")
            st.caption(
                f"cost {final.cost:.4f} at iteration {final.iteration:,}; "
                f"trained in {1000 * trained.seconds:.0f} ms"
            )
            if on_tutorial:
                st.dataframe(
                    tutorial_table(trained, section),
                    hide_index=True,
                    key=f"{key}.lvf.table.{section}",
                    column_config={
                        name: st.column_config.NumberColumn(format="%.10f")
                        for name in ("tutorial cost", "this engine")
                    }
                    | {"relative difference": st.column_config.NumberColumn(format="%.1e")},
                )
    if on_tutorial:
        st.caption(
            "Tutorial init (scale 0.01, seed 1), learning rate 1.2, full-batch gradient descent "
            "on the tutorial's 688 points, no split and no input scaling: the costs printed every "
            "1,000 iterations match the tutorial's to about 1e-15."
        )


def capacity_sweep(key: str, data: Data, settings: Settings, data_key: tuple) -> None:
    """Accuracy against hidden units, trained one short tick per run of a live fragment. The
    fragment draws its own buttons: a click reruns it alone, and the run that draws them is
    the run that decides whether another follows, so they always match the sweep."""
    store = f"{key}.sweep"

    @live_fragment
    def progress() -> None:
        live: Sweep | None = st.session_state.get(store)
        ticking = live is not None and live.running and live.data_key == data_key
        if ticking:
            live.tick(data, seconds=SWEEP_TICK_SECONDS)
            ticking = live.running
        sweep_controls(key, settings, data_key, ticking, live is not None and live.running)
        if live is None:
            st.caption("Press **Run the sweep**: 1, 2, 3, 4, 5, 20 and 50 tanh units in turn.")
            return
        if live.data_key != data_key:
            st.info("The data changed since this sweep: run it again to compare on these data.")
        if ticking:
            ask_again(f"{key}.sweep.clock", 0.1)
        st.progress(live.fraction(), text=f"Sweep: {sweep_status(live, ticking)}")
        st.vega_lite_chart(sweep_spec(live.results, live.units), width="stretch")
        diverged = [r["units"] for r in live.results if r["diverged"]]
        if diverged:
            st.warning(
                f"Training diverged for {', '.join(map(str, diverged))} units: lower the "
                "learning rate in the sidebar and run the sweep again."
            )
        st.caption(
            "deeplearning.ai's flower (400 points, 5,000 iterations): "
            + ", ".join(f"{units}: {acc:g} %" for units, acc in DLAI_SWEEP.items())
        )

    progress()


def sweep_controls(
    key: str, settings: Settings, data_key: tuple, ticking: bool, running: bool
) -> None:
    """Iterations, Run the sweep (off while the sweep trains on these data) and Cancel (on
    while it has configurations left). Both act in callbacks, before the run that redraws
    them."""
    left, middle, right = st.columns([2, 1, 1])
    left.select_slider(
        "Iterations per configuration",
        (500, 1000, 2000, 5000),
        value=1000,
        key=f"{key}.sweep.iterations",
        help="deeplearning.ai's flower exercise uses 5,000.",
    )
    middle.button("Run the sweep", key=f"{key}.sweep.start", icon=":material/play_arrow:",
                  on_click=start_sweep, args=(key, settings, data_key),
                  disabled=ticking, width="stretch")  # fmt: skip
    right.button("Cancel", key=f"{key}.sweep.cancel", icon=":material/stop:",
                 on_click=cancel_sweep, args=(key,), disabled=not running,
                 width="stretch")  # fmt: skip


def start_sweep(key: str, settings: Settings, data_key: tuple) -> None:
    """A new sweep, as many iterations per configuration as the slider says at the click, in
    place of any earlier one."""
    iterations = st.session_state[f"{key}.sweep.iterations"]
    st.session_state[f"{key}.sweep"] = Sweep(SWEEP_UNITS, iterations, settings, data_key)


def cancel_sweep(key: str) -> None:
    """Stop the sweep; it keeps what it trained."""
    live: Sweep | None = st.session_state.get(f"{key}.sweep")
    if live is not None:
        live.cancelled = True


def sweep_status(live: Sweep, ticking: bool) -> str:
    """The sweep's state in a few words, for its progress bar."""
    if live.cancelled and not live.done:
        return "cancelled"
    if ticking:
        return f"training {live.units[len(live.results)]} hidden units…"
    if live.running:
        return "paused: the data changed"
    return "done"
