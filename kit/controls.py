"""The network builder in the sidebar: depth, units, activations, learning rate, optimizer,
batch size, L2, init, seed, presets, a live parameter count and classroom links.

A lesson fixes what the data dictates (``OutputSpec``: the output layer and the loss) and lets
students choose the rest (``Settings``). Every setting mirrors into the URL (``kit.url_state``).
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

import streamlit as st

import nn
from kit import url_state as state

MAX_DEPTH = 6
MAX_UNITS = 64
DEFAULT_UNITS = 4
DEFAULT_ACTIVATION = "tanh"
HIDDEN_ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "linear")
# A log grid from 1e-4 to 10 that holds every learning rate the tutorial uses.
LEARNING_RATES = tuple(
    round(mantissa * 10.0**exponent, 12)
    for exponent in range(-4, 1)
    for mantissa in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)
) + (10.0,)
OPTIMIZERS = {"gd": "Gradient descent (tutorial)", "momentum": "Momentum", "adam": "Adam"}
BATCH_SIZES = (0,) + tuple(2**k for k in range(11))  # 0 means full batch
L2_VALUES = (0.0, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)
INITS = {"tutorial": "Tutorial (scaled normal)", "he": "He (relu)", "xavier": "Xavier (tanh)"}
INIT_SCALES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1.0)
# Steps a second the live view trains; 0: as fast as the server goes.
SPEEDS = (1, 3, 10, 30, 100, 300, 1000, 3000, 0)
# 12,000 and 28,000: the Mustafar presets' budgets (nn.presets); 200,000: a run that must not
# end while a class is timed (tests/e2e/classroom.py).
MAX_ITERATIONS = (
    10, 50, 100, 200, 500, 1000, 2000, 5000,
    10_000, 12_000, 20_000, 28_000, 50_000, 100_000, 200_000,
)  # fmt: skip
TARGET_COSTS = (0.0, 0.1, 0.01, 1e-3, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12)  # 0 means none
MAX_SEED = 99_999

LABELS = {
    "depth": "Hidden layers (depth)",
    "units": "Units per layer",
    "activations": "Activations",
    "learning_rate": "Learning rate",
    "optimizer": "Optimizer",
    "batch_size": "Batch size",
    "l2": "L2 penalty",
    "init": "Init",
    "init_scale": "Init scale",
    "seed": "Seed",
    "speed": "Speed",
    "max_iterations": "Max iterations",
    "target_cost": "Stop at cost",
}
LOCKABLE = tuple(LABELS)

SCHEMA: dict[str, state.Param] = {
    "depth": state.clamped_int(0, MAX_DEPTH),
    "units": state.listed(state.clamped_int(1, MAX_UNITS), MAX_DEPTH),
    "activations": state.listed(state.choice(HIDDEN_ACTIVATIONS), MAX_DEPTH),
    "learning_rate": state.nearest_option(LEARNING_RATES),
    "optimizer": state.choice(OPTIMIZERS),
    "batch_size": state.nearest_option(BATCH_SIZES),
    "l2": state.nearest_option(L2_VALUES),
    "init": state.choice(INITS),
    "init_scale": state.nearest_option(INIT_SCALES),
    "seed": state.clamped_int(0, MAX_SEED),
    "speed": state.nearest_option(SPEEDS),
    "max_iterations": state.nearest_option(MAX_ITERATIONS),
    "target_cost": state.nearest_option(TARGET_COSTS),
}


@dataclass(frozen=True)
class OutputSpec:
    """What the lesson fixes: the input size, the output layer and the loss."""

    input_dim: int
    units: int
    activation: str
    loss: str


@dataclass(frozen=True)
class Settings:
    """Everything a student can choose. ``units`` and ``activations`` hold one entry per hidden
    layer (padded or cut to ``depth``); ``batch_size`` 0 or None and ``target_cost`` 0 or None
    mean full batch and no target."""

    depth: int = 0
    units: tuple[int, ...] = ()
    activations: tuple[str, ...] = ()
    learning_rate: float = 0.01
    optimizer: str = "gd"
    batch_size: int | None = None
    l2: float = 0.0
    init: str = "tutorial"
    init_scale: float = 0.01
    seed: int = 1
    speed: int = 0  # steps a second while playing; 0: as fast as it goes
    max_iterations: int = 1000
    target_cost: float | None = None

    def __post_init__(self) -> None:
        depth = int(self.depth)
        units = tuple(int(u) for u in self.units)[:depth]
        activations = tuple(self.activations)[:depth]
        object.__setattr__(self, "depth", depth)
        object.__setattr__(self, "units", units + (DEFAULT_UNITS,) * (depth - len(units)))
        object.__setattr__(
            self, "activations", activations + (DEFAULT_ACTIVATION,) * (depth - len(activations))
        )
        object.__setattr__(self, "batch_size", self.batch_size or None)
        object.__setattr__(self, "target_cost", self.target_cost or None)

    def architecture_key(self) -> tuple:
        """What a change of resets the weights; learning rate, L2 and the run controls
        change mid-run instead."""
        return (
            self.depth,
            self.units,
            self.activations,
            self.init,
            self.init_scale,
            self.seed,
            self.optimizer,
            self.batch_size,
        )

    def hidden_layers(self) -> list[tuple[int, str]]:
        return list(zip(self.units, self.activations, strict=True))

    def architecture_label(self) -> str:
        """'no hidden layer', '1×4 tanh' or '4 tanh · 8 relu'."""
        layers = self.hidden_layers()
        if not layers:
            return "no hidden layer"
        if len(set(layers)) == 1:
            units, activation = layers[0]
            return f"{len(layers)}×{units} {activation}"
        return " · ".join(f"{units} {activation}" for units, activation in layers)

    def label(self) -> str:
        """A run's name in the history legend, e.g. 'lr 0.01 · 1×4 tanh · gd'."""
        parts = [f"lr {self.learning_rate:g}", self.architecture_label(), self.optimizer]
        if self.batch_size:
            parts.append(f"batch {self.batch_size}")
        if self.l2:
            parts.append(f"L2 {self.l2:g}")
        return " · ".join(parts)


def layer_sizes(settings: Settings, output: OutputSpec) -> list[int]:
    """[inputs, hidden units..., outputs]."""
    return [output.input_dim, *settings.units, output.units]


def parameter_count(settings: Settings, output: OutputSpec) -> int:
    """Weights and biases: the sum over layers of (inputs + 1) × units."""
    sizes = layer_sizes(settings, output)
    return sum((inputs + 1) * units for inputs, units in zip(sizes, sizes[1:], strict=False))


def build_network(settings: Settings, output: OutputSpec, dtype: str = "float64") -> nn.Network:
    """A fresh network with the chosen hidden layers and the lesson's output layer."""
    net = nn.Network(
        loss=output.loss,
        init=settings.init,
        init_scale=settings.init_scale,
        seed=settings.seed,
        dtype=dtype,
    )
    for units, activation in settings.hidden_layers():
        net.add(units, activation=activation, input_dim=None if net.layers else output.input_dim)
    net.add(
        output.units,
        activation=output.activation,
        input_dim=None if net.layers else output.input_dim,
    )
    return net


def export_settings(settings: Settings, output: OutputSpec, dtype: str = "float64") -> dict:
    """The settings dict ``kit.code_view.export_button`` and ``Network.save`` expect."""
    return {
        "layers": [[units, activation] for units, activation in settings.hidden_layers()],
        "output_units": output.units,
        "output_activation": output.activation,
        "loss": output.loss,
        "input_dim": output.input_dim,
        "init": settings.init,
        "init_scale": settings.init_scale,
        "seed": settings.seed,
        "dtype": dtype,
        "learning_rate": settings.learning_rate,
        "optimizer": settings.optimizer,
        "batch_size": settings.batch_size,
        "l2": settings.l2,
    }


def settings_to_values(settings: Settings) -> dict:
    """Settings as the URL schema's values (0 for full batch and no target)."""
    values = asdict(settings)
    values["batch_size"] = settings.batch_size or 0
    values["target_cost"] = settings.target_cost or 0.0
    return values


def settings_from_query(params: Mapping[str, str], defaults: Settings) -> Settings:
    """The settings a URL asks for, clamped into range; anything unreadable stays default."""
    values = state.read_query(params, SCHEMA)
    return replace(defaults, **values)


def settings_to_query(settings: Settings, defaults: Settings) -> dict[str, str]:
    """URL parameters for the settings that differ from the lesson's defaults."""
    return state.query_values(settings_to_values(settings), settings_to_values(defaults), SCHEMA)


# ---- the sidebar widgets ---------------------------------------------------------------------
def _widget_key(key: str, name: str, layer: int | None = None) -> str:
    return f"{key}.{name}" if layer is None else f"{key}.{name}.{layer}"


def _widget_values(key: str, settings: Settings) -> dict[str, object]:
    """Session-state values of every widget that shows ``settings``."""
    values = {
        _widget_key(key, name): value
        for name, value in settings_to_values(settings).items()
        if name not in ("units", "activations")
    }
    for layer, (units, activation) in enumerate(settings.hidden_layers()):
        values[_widget_key(key, "units", layer)] = units
        values[_widget_key(key, "activation", layer)] = activation
    return values


def speed_label(speed: int) -> str:
    return "as fast as it goes" if speed == 0 else f"{speed:,} step{'s' * (speed != 1)}/s"


def set_speed(key: str, speed: int) -> None:
    """Train builder ``key``'s runs at ``speed`` (one of SPEEDS) from the next full run on."""
    st.session_state[_widget_key(key, "speed")] = speed
    st.session_state[_store_key(key)] = replace(st.session_state[_store_key(key)], speed=speed)


def speed_locked(key: str) -> bool:
    return "speed" in locked_controls(key)


def _store_key(key: str) -> str:
    return f"{key}.settings"


def apply_settings(key: str, settings: Settings, keep: tuple[str, ...] = ()) -> None:
    """Show ``settings`` in builder ``key``'s widgets (call from a callback, before they draw);
    the names in ``keep`` (locked controls) keep their current values."""
    current = st.session_state.get(_store_key(key))
    if current is not None and keep:
        kept = {name: getattr(current, name) for name in keep if name in LABELS}
        settings = replace(settings, **kept)
    st.session_state[_store_key(key)] = settings
    for widget, value in _widget_values(key, settings).items():
        st.session_state[widget] = value


def locked_controls(key: str) -> tuple[str, ...]:
    """The controls the classroom link of builder ``key`` locks."""
    return tuple(st.session_state.get(_widget_key(key, "locks"), ()))


def _first_load(key: str, defaults: Settings) -> None:
    """On the session's first visit, take settings and locks from the URL."""
    if _store_key(key) in st.session_state:
        return
    settings = settings_from_query(st.query_params, defaults)
    st.session_state[_store_key(key)] = settings
    st.session_state[_store_key(key) + ".locks"] = list(state.read_locks(st.query_params, LOCKABLE))


def network_builder(
    key: str,
    output: OutputSpec,
    defaults: Settings,
    presets: Mapping[str, Settings] | None = None,
) -> Settings:
    """Draw the builder in the sidebar and return the chosen settings.

    The URL is read on the session's first visit and written back on every change; controls
    named in the URL's ``lock=`` are shown disabled. Presets apply in one click.
    """
    _first_load(key, defaults)
    stored: Settings = st.session_state[_store_key(key)]
    for widget, value in _widget_values(key, stored).items():
        st.session_state.setdefault(widget, value)
    # Widget state is dropped when the student visits another page; the stores outlive it.
    st.session_state.setdefault(
        _widget_key(key, "locks"), st.session_state[_store_key(key) + ".locks"]
    )
    locks = set(locked_controls(key))

    def widget(name: str, layer: int | None = None) -> dict:
        return {"key": _widget_key(key, name, layer), "disabled": name in locks}

    bar = st.sidebar
    bar.header("Network")
    if presets:
        columns = bar.columns(len(presets))
        for column, (name, preset) in zip(columns, presets.items(), strict=True):
            column.button(
                name,
                key=_widget_key(key, f"preset.{name}"),
                on_click=apply_settings,
                args=(key, preset, tuple(locks)),
                width="stretch",
                help=preset.label(),
            )
    depth = bar.slider(LABELS["depth"], 0, MAX_DEPTH, **widget("depth"))
    units, activations = [], []
    for layer in range(depth):
        st.session_state.setdefault(_widget_key(key, "units", layer), DEFAULT_UNITS)
        st.session_state.setdefault(_widget_key(key, "activation", layer), DEFAULT_ACTIVATION)
        left, right = bar.columns([3, 2])
        units.append(
            left.slider(f"Layer {layer + 1}: units", 1, MAX_UNITS, **widget("units", layer))
        )
        activations.append(
            right.selectbox(
                f"Layer {layer + 1}: activation",
                HIDDEN_ACTIVATIONS,
                **{**widget("activation", layer), "disabled": "activations" in locks},
            )
        )
    if depth == 0:
        bar.caption(f"No hidden layer: the output layer alone, {output.activation} units.")

    bar.header("Training")
    learning_rate = bar.select_slider(
        LABELS["learning_rate"],
        LEARNING_RATES,
        format_func=lambda rate: f"{rate:g}",
        help="Log scale from 0.0001 to 10. Too high and the cost explodes.",
        **widget("learning_rate"),
    )
    optimizer = bar.selectbox(
        LABELS["optimizer"], tuple(OPTIMIZERS), format_func=OPTIMIZERS.get, **widget("optimizer")
    )
    batch_size = bar.select_slider(
        LABELS["batch_size"],
        BATCH_SIZES,
        format_func=lambda size: "full batch" if size == 0 else str(size),
        help="Samples per iteration; full batch is the tutorial's gradient descent.",
        **widget("batch_size"),
    )
    with bar.expander("More: L2, init, seed, stopping"):
        l2 = st.select_slider(
            LABELS["l2"], L2_VALUES, format_func=lambda v: f"{v:g}", **widget("l2")
        )
        init = st.selectbox(LABELS["init"], tuple(INITS), format_func=INITS.get, **widget("init"))
        init_scale = st.select_slider(
            LABELS["init_scale"],
            INIT_SCALES,
            format_func=lambda v: f"{v:g}",
            help="Tutorial init only: W = init_scale × randn(units, inputs).",
            **{**widget("init_scale"), "disabled": "init_scale" in locks or init != "tutorial"},
        )
        seed = st.number_input(LABELS["seed"], 0, MAX_SEED, step=1, **widget("seed"))
        max_iterations = st.select_slider(
            LABELS["max_iterations"],
            MAX_ITERATIONS,
            format_func=lambda n: f"{n:,}",
            **widget("max_iterations"),
        )
        target_cost = st.select_slider(
            LABELS["target_cost"],
            TARGET_COSTS,
            format_func=lambda v: "never" if v == 0 else f"{v:g}",
            **widget("target_cost"),
        )

    settings = Settings(
        depth=depth,
        units=tuple(units),
        activations=tuple(activations),
        learning_rate=learning_rate,
        optimizer=optimizer,
        batch_size=batch_size,
        l2=l2,
        init=init,
        init_scale=init_scale,
        seed=int(seed),
        speed=st.session_state[_widget_key(key, "speed")],  # set by the live view
        max_iterations=max_iterations,
        target_cost=target_cost,
    )
    st.session_state[_store_key(key)] = settings
    count = parameter_count(settings, output)
    bar.metric("Trainable parameters", f"{count:,}", help="Σ (inputs + 1) × units over layers")
    _classroom_link(key, settings, defaults)
    return settings


def _classroom_link(key: str, settings: Settings, defaults: Settings) -> None:
    """The lock picker, and the URL kept in step with the settings."""
    with st.sidebar.expander("Classroom link"):
        locks = st.multiselect(
            "Lock these controls for students",
            LOCKABLE,
            format_func=LABELS.get,
            key=_widget_key(key, "locks"),
        )
        st.session_state[_store_key(key) + ".locks"] = locks
        wanted = settings_to_query(settings, defaults)
        if locks:
            wanted[state.LOCK_PARAM] = state.lock_value(locks)
        state.sync_query_params(st.query_params, wanted, [*SCHEMA, state.LOCK_PARAM])
        query = "&".join(f"{name}={value}" for name, value in wanted.items())
        st.caption("Copy the address bar to share this exact setup. It ends in:")
        st.code(f"?{query}" if query else "(the lesson's defaults: nothing to add)", language=None)


def synced_slider(
    key: str,
    name: str,
    label: str,
    low: float,
    high: float,
    default: float,
    step: float | None = None,
    help: str | None = None,
) -> float:
    """A sidebar slider for a lesson's own setting (e.g. noise) that mirrors into ``?name=``:
    read once per session (clamped into [low, high]), written back when not the default."""
    widget = _widget_key(key, name)
    whole = all(isinstance(v, int) for v in (low, high, default))
    param = state.clamped_int(low, high) if whole else state.clamped_float(low, high)
    if f"{widget}.store" not in st.session_state:
        st.session_state[f"{widget}.store"] = state.read_query(st.query_params, {name: param}).get(
            name, default
        )
    st.session_state.setdefault(widget, st.session_state[f"{widget}.store"])
    value = st.sidebar.slider(label, low, high, step=step, key=widget, help=help)
    st.session_state[f"{widget}.store"] = value
    wanted = state.query_values({name: value}, {name: default}, {name: param})
    state.sync_query_params(st.query_params, wanted, [name])
    return value


def reset_synced_slider(key: str, name: str, value: float) -> None:
    """Set a synced slider (from a callback, before it draws)."""
    widget = _widget_key(key, name)
    st.session_state[widget] = st.session_state[f"{widget}.store"] = value
