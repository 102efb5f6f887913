"""What a student chooses for a network (``Settings``) and what a lesson fixes (``OutputSpec``:
the input size, the output layer and the loss), the values each setting may take, and their
round trip through the URL (``kit.url_state``). No Streamlit: the lessons' logic uses them, and
``kit.controls`` draws them in the sidebar.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

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
L1_VALUES = (0.0, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)
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
    "l1": "L1 penalty",
    "init": "Init",
    "init_scale": "Init scale",
    "seed": "Seed",
    "speed": "Speed",
    "max_iterations": "Max iterations",
    "target_cost": "Stop at cost",
}
# A class challenge may lock only what classroom.scoring.NETWORK_LOCKS accepts; L1 is not
# among them yet, so a teacher cannot lock it.
LOCKABLE = tuple(LABELS)

SCHEMA: dict[str, state.Param] = {
    "depth": state.clamped_int(0, MAX_DEPTH),
    "units": state.listed(state.clamped_int(1, MAX_UNITS), MAX_DEPTH),
    "activations": state.listed(state.choice(HIDDEN_ACTIVATIONS), MAX_DEPTH),
    "learning_rate": state.nearest_option(LEARNING_RATES),
    "optimizer": state.choice(OPTIMIZERS),
    "batch_size": state.nearest_option(BATCH_SIZES),
    "l2": state.nearest_option(L2_VALUES),
    "l1": state.nearest_option(L1_VALUES),
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
    l1: float = 0.0
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
        change mid-run instead. L1 starts a new run: the live run applies only the learning
        rate, L2 and L1 to its trainer mid-run (``kit.live.run.Run.set_rates``)."""
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

    def spec(self, output: OutputSpec, dtype: str = "float64") -> nn.RunSpec:
        """The run these settings describe, with the lesson's output layer and loss."""
        return nn.RunSpec(
            hidden=tuple(self.hidden_layers()),
            outputs=output.units,
            output_activation=output.activation,
            loss=output.loss,
            init=self.init,
            init_scale=self.init_scale,
            seed=self.seed,
            dtype=dtype,
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            l2=self.l2,
            l1=self.l1,
            batch_size=self.batch_size,
            iterations=self.max_iterations,
            target_cost=self.target_cost,
        )

    def label(self) -> str:
        """A run's name in the history legend, e.g. 'lr 0.01 · 1×4 tanh · gd'."""
        parts = [f"lr {self.learning_rate:g}", self.architecture_label(), self.optimizer]
        if self.batch_size:
            parts.append(f"batch {self.batch_size}")
        if self.l2:
            parts.append(f"L2 {self.l2:g}")
        if self.l1:
            parts.append(f"L1 {self.l1:g}")
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
    return settings.spec(output, dtype).network(output.input_dim)


def export_settings(settings: Settings, output: OutputSpec, dtype: str = "float64") -> dict:
    """The settings dict ``kit.export.export_button`` and ``Network.save`` expect."""
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
        "l1": settings.l1,
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


def speed_label(speed: int) -> str:
    return "as fast as it goes" if speed == 0 else f"{speed:,} step{'s' * (speed != 1)}/s"
