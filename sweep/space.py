"""Search spaces: which networks a sweep trains.

A ``Config`` is one training run, every setting explicit (frozen, hashable, cheap to send to a
worker). A space turns lists or ranges of settings into configs:

>>> GridSpace(depth=(1, 2), units=(4, 8), learning_rate=(0.1, 1.2)).configs()  # 2 x 2 x 2 = 8
>>> RandomSpace(models=100, depth=(2, 5), units=(7, 60), seed=0).configs()      # 100 draws

Units can differ per layer: a grid gives every hidden layer the same width, a random space
draws each layer's width on its own (the tutorial's winner is 2-27-31-31-1). A learning rate
is a number (constant) or a schedule: ``(rate, iterations)`` pairs, the tutorial's ``Steps``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

import nn

ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "linear")
OPTIMIZERS = ("gd", "momentum", "adam")
INITS = ("tutorial", "he", "xavier")
DTYPES = ("float64", "float32")
MAX_DEPTH = 8
MAX_UNITS = 512
MAX_ITERATIONS = 1_000_000
MAX_MODELS = 10_000
FAST_SCALE = 0.2  # the fast tutorial grid: each schedule step's iterations ÷ 5
STUCK_CHECK_EVERY = 50  # iterations between checks for a stuck cost
STUCK_CHANGE = 1e-6  # a cost that moves less than this over `patience` iterations is stuck
# The tutorial's eight learning-rate steps (Mustafar): 2.8 halving down to 0.01875.
TUTORIAL_RATES = (2.8, 1.4, 0.6, 0.3, 0.15, 0.075, 0.0375, 0.01875)
TUTORIAL_STEP_ITERATIONS = (1000, 2000, 2000, 2000, 4000, 5000, 8000, 4000)

Schedule = tuple[tuple[float, int], ...]


class SpaceError(ValueError):
    """A search-space setting that cannot make a sweep; the message says what to try."""


@dataclass(frozen=True)
class Config:
    """One run of a sweep: the network (hidden ``units`` per layer, one ``activation``, a
    sigmoid output and cross-entropy), how it trains, and when it stops.

    ``schedule`` (``(rate, iterations)`` pairs) overrides the constant ``learning_rate``;
    ``iterations`` defaults to the schedule's length (1,000 without one; after a schedule's
    last step its last rate holds); ``batch_size`` 0 is full batch; ``target_cost`` 0 trains
    all ``iterations``; with
    ``patience`` > 0 a run also stops once its cost has moved by less than ``STUCK_CHANGE``
    over that many iterations (a network whose relu units all died never moves again)."""

    units: tuple[int, ...] = (4,)
    activation: str = "tanh"
    learning_rate: float = 0.1
    schedule: Schedule = ()
    optimizer: str = "gd"
    batch_size: int = 0
    iterations: int | None = None
    seed: int = 1
    init: str = "tutorial"
    init_scale: float = 0.01
    dtype: str = "float64"
    target_cost: float = 0.0
    patience: int = 0

    def __post_init__(self) -> None:
        units = tuple(int(u) for u in self.units)
        if len(units) > MAX_DEPTH or any(not 1 <= u <= MAX_UNITS for u in units):
            raise SpaceError(
                f"units {units} do not make a network: at most {MAX_DEPTH} hidden layers "
                f"of 1 to {MAX_UNITS} units each"
            )
        object.__setattr__(self, "units", units)
        _member("activation", self.activation, ACTIVATIONS)
        _member("optimizer", self.optimizer, OPTIMIZERS)
        _member("init", self.init, INITS)
        _member("dtype", self.dtype, DTYPES)
        schedule = tuple(
            (_rate(rate), _count("schedule iterations", n)) for rate, n in self.schedule
        )
        object.__setattr__(self, "schedule", schedule)
        rate = schedule[0][0] if schedule else _rate(self.learning_rate)
        object.__setattr__(self, "learning_rate", rate)
        object.__setattr__(self, "batch_size", _count("batch_size", self.batch_size, minimum=0))
        iterations = self.iterations
        if iterations is None:  # a schedule's own length, else 1,000
            iterations = sum(n for _, n in schedule) if schedule else 1000
        object.__setattr__(self, "iterations", _count("iterations", iterations))
        object.__setattr__(self, "seed", _count("seed", self.seed, minimum=0))
        scale = float(self.init_scale)
        if not (scale > 0 and math.isfinite(scale)):
            raise SpaceError(f"init_scale must be a positive number, got {self.init_scale!r}")
        object.__setattr__(self, "init_scale", scale)
        target = float(self.target_cost)
        if not (target >= 0 and math.isfinite(target)):
            raise SpaceError(f"target_cost must be 0 (none) or more, got {self.target_cost!r}")
        object.__setattr__(self, "target_cost", target)
        object.__setattr__(self, "patience", _count("patience", self.patience, minimum=0))

    @property
    def depth(self) -> int:
        return len(self.units)

    def rate(self) -> float | nn.Steps:
        """What ``net.trainer(learning_rate=...)`` takes: a number or an ``nn.Steps``."""
        return nn.Steps(self.schedule) if self.schedule else self.learning_rate

    def schedule_label(self) -> str:
        """'constant' or '2.8×250 → 1.4×500 → ...'."""
        if not self.schedule:
            return "constant"
        return " → ".join(f"{rate:g}×{n}" for rate, n in self.schedule)

    def network(self, input_dim: int) -> nn.Network:
        """A fresh network: the hidden layers, then one sigmoid unit and cross-entropy."""
        net = nn.Network("cross_entropy", self.init, self.init_scale, self.seed, self.dtype)
        for units in self.units:
            net.add(units, self.activation, input_dim=None if net.layers else input_dim)
        return net.add(1, "sigmoid", input_dim=None if net.layers else input_dim)


def parameter_count(units: Sequence[int], input_dim: int) -> int:
    """Weights and biases: the sum over layers of (inputs + 1) × units, one output unit."""
    sizes = [input_dim, *units, 1]
    return sum((inputs + 1) * out for inputs, out in zip(sizes, sizes[1:], strict=False))


def tutorial_schedule(step_iterations: Sequence[int] = TUTORIAL_STEP_ITERATIONS) -> Schedule:
    """The tutorial's eight rates, each for the given number of iterations."""
    if len(step_iterations) != len(TUTORIAL_RATES):
        raise SpaceError(f"the tutorial schedule has {len(TUTORIAL_RATES)} steps")
    return tuple(zip(TUTORIAL_RATES, (int(n) for n in step_iterations), strict=True))


@dataclass(frozen=True)
class GridSpace:
    """Every combination of the listed values (a grid search). A learning-rate entry is a
    number or a schedule; a schedule's run lasts its iterations (``iterations`` is ignored)."""

    depth: Sequence[int] = (1,)
    units: Sequence[int] = (4,)
    activation: Sequence[str] = ("tanh",)
    learning_rate: Sequence[float | Schedule] = (0.1,)
    optimizer: Sequence[str] = ("gd",)
    batch_size: Sequence[int] = (0,)
    iterations: Sequence[int] = (1000,)
    seed: Sequence[int] = (1,)
    init: str = "tutorial"
    init_scale: float = 0.01
    dtype: str = "float64"
    target_cost: float = 0.0
    patience: int = 0

    def size(self) -> int:
        lists = (self.depth, self.units, self.activation, self.learning_rate, self.optimizer)
        lists += (self.batch_size, self.iterations, self.seed)
        for name, values in zip(_GRID_NAMES, lists, strict=True):
            if len(values) == 0:
                raise SpaceError(f"pick at least one {name.replace('_', ' ')}")
        depths = len(set(self.depth))
        with_layers = depths - (0 in set(self.depth))
        architectures = with_layers * len(set(self.units)) + (0 in set(self.depth))
        # A schedule fixes its own length, so it does not multiply with ``iterations``.
        schedules = sum(1 for rate in self.learning_rate if not _is_number(rate))
        rates = (len(self.learning_rate) - schedules) * len(self.iterations) + schedules
        rest = len(self.activation) * len(self.optimizer) * len(self.batch_size) * len(self.seed)
        return architectures * rates * rest

    def configs(self) -> list[Config]:
        size = self.size()
        if size > MAX_MODELS:
            raise SpaceError(f"this grid has {size:,} models; at most {MAX_MODELS:,} per sweep")
        architectures = list(
            dict.fromkeys(
                () if depth == 0 else (units,) * depth
                for depth in self.depth
                for units in self.units
            )
        )
        rates = [
            (rate, iterations)
            for rate in self.learning_rate
            for iterations in (self.iterations if _is_number(rate) else (None,))
        ]
        configs = []
        for units, activation, (rate, iterations), optimizer, batch, seed in itertools.product(
            architectures, self.activation, rates, self.optimizer, self.batch_size, self.seed
        ):
            configs.append(
                _config(units, activation, rate, iterations, optimizer, batch, seed, self)
            )
        return list(dict.fromkeys(configs))


_GRID_NAMES = (
    "depth",
    "units",
    "activation",
    "learning_rate",
    "optimizer",
    "batch_size",
    "iterations",
    "seed",
)


@dataclass(frozen=True)
class RandomSpace:
    """``models`` random draws (a random search), reproducible from ``seed``. Ranges are
    inclusive ``(low, high)`` pairs; the learning rate is drawn log-uniformly from its range,
    or picked from ``schedules`` when those are given. Each hidden layer draws its own units."""

    models: int = 20
    depth: tuple[int, int] = (1, 3)
    units: tuple[int, int] = (2, 32)
    activation: Sequence[str] = ("tanh",)
    learning_rate: tuple[float, float] = (0.01, 1.0)
    schedules: Sequence[Schedule] = ()
    optimizer: Sequence[str] = ("gd",)
    batch_size: Sequence[int] = (0,)
    iterations: tuple[int, int] = (1000, 1000)
    seeds: tuple[int, int] = (1, 1)
    seed: int = 0
    init: str = "tutorial"
    init_scale: float = 0.01
    dtype: str = "float64"
    target_cost: float = 0.0
    patience: int = 0
    first: Config | None = field(default=None, compare=False)

    def size(self) -> int:
        return int(self.models)

    def configs(self) -> list[Config]:
        models = _count("models", self.models)
        if models > MAX_MODELS:
            raise SpaceError(f"{models:,} models is too many; at most {MAX_MODELS:,} per sweep")
        for name in ("depth", "units", "iterations", "seeds"):
            low, high = getattr(self, name)
            if not 0 <= low <= high:
                raise SpaceError(f"{name} range ({low}, {high}) needs 0 ≤ low ≤ high")
        low_rate, high_rate = (_rate(r) for r in self.learning_rate)
        if low_rate > high_rate:
            raise SpaceError("the learning-rate range needs low ≤ high")
        for name in ("activation", "optimizer", "batch_size"):
            if len(getattr(self, name)) == 0:
                raise SpaceError(f"pick at least one {name.replace('_', ' ')}")
        rng = np.random.default_rng(self.seed)
        configs = [] if self.first is None else [self.first]
        while len(configs) < models:
            depth = int(rng.integers(self.depth[0], self.depth[1] + 1))
            units = tuple(int(u) for u in rng.integers(self.units[0], self.units[1] + 1, depth))
            if self.schedules:
                rate = self.schedules[int(rng.integers(len(self.schedules)))]
            else:
                rate = float(np.exp(rng.uniform(math.log(low_rate), math.log(high_rate))))
            configs.append(
                _config(
                    units,
                    self.activation[int(rng.integers(len(self.activation)))],
                    rate,
                    int(rng.integers(self.iterations[0], self.iterations[1] + 1)),
                    self.optimizer[int(rng.integers(len(self.optimizer)))],
                    self.batch_size[int(rng.integers(len(self.batch_size)))],
                    int(rng.integers(self.seeds[0], self.seeds[1] + 1)),
                    self,
                )
            )
        return configs


def _config(units, activation, rate, iterations, optimizer, batch, seed, space) -> Config:
    schedule = () if _is_number(rate) else tuple(rate)
    if schedule:
        iterations = sum(n for _, n in schedule)
    return Config(
        units=tuple(units),
        activation=activation,
        learning_rate=rate if _is_number(rate) else schedule[0][0] if schedule else 0.0,
        schedule=schedule,
        optimizer=optimizer,
        batch_size=batch,
        iterations=iterations,
        seed=seed,
        init=space.init,
        init_scale=space.init_scale,
        dtype=space.dtype,
        target_cost=space.target_cost,
        patience=space.patience,
    )


def scaled(config: Config, factor: float) -> Config:
    """The same run with every schedule step (or the iteration budget) times ``factor``."""
    if config.schedule:
        steps = tuple((rate, max(1, round(n * factor))) for rate, n in config.schedule)
        return replace(config, schedule=steps, iterations=sum(n for _, n in steps))
    return replace(config, iterations=max(1, round(config.iterations * factor)))


# ---- validation helpers ----------------------------------------------------------------------
def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _rate(value) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise SpaceError(f"a learning rate must be a number, got {value!r}") from None
    if not (rate > 0 and math.isfinite(rate)):
        raise SpaceError(f"a learning rate must be a positive number, got {value!r}")
    return rate


def _count(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not _is_number(value) or int(value) != value:
        raise SpaceError(f"{name} must be a whole number, got {value!r}")
    if not minimum <= int(value) <= MAX_ITERATIONS:
        raise SpaceError(
            f"{name} must be a whole number from {minimum} to {MAX_ITERATIONS:,}, got {value!r}"
        )
    return int(value)


def _member(name: str, value, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise SpaceError(f"unknown {name} {value!r}; choose one of: {', '.join(allowed)}")


# ---- presets ---------------------------------------------------------------------------------
AUTHOR = Config(
    units=(27, 31, 31),
    activation="relu",
    schedule=tutorial_schedule(),
    init="tutorial",
    init_scale=0.2,
    seed=2,
    iterations=sum(TUTORIAL_STEP_ITERATIONS),
)
"""The tutorial's winner, 2-27-31-31-1 relu with its 28,000-iteration schedule (seed 2: at seed 1
the first lr-2.8 steps kill its last relu layer on the helmet; see lessons.mustafar.views)."""


def tutorial_grid(models: int = 100, seed: int = 0, fast: bool = True) -> list[Config]:
    """The author's search on Mustafar as a seeded random search: relu, 2–5 hidden layers of
    7–60 units each, the tutorial's eight rates 2.8 → 0.01875 with 1,000–3,000 iterations per
    step (drawn per model and step), full-batch gradient descent from init × 0.2, seeds 1–3.
    The first model is the author's 2-27-31-31-1 (its schedule's steps drawn like the rest).

    ``fast=True`` is the version that fits 15 minutes on 2 cores: each step's iterations ÷ 5
    (200–600, FAST_SCALE), and a model stops once its cost is below 0.09 (the author's goal)
    or once its cost has stopped moving for 200 iterations (a dead relu network: half the
    grid, as lr 2.8 from init × 0.2 kills relu layers). It stays in float64: float32 changes which
    networks survive the lr-2.8 steps (the author's network at seed 2 dies in float32).
    ``fast=False`` is the full search: 8,000–24,000 iterations per model, no early stops."""
    rng = np.random.default_rng(seed)
    steps = [tutorial_schedule(rng.integers(1000, 3001, 8)) for _ in range(models)]
    shared = {"activation": "relu", "init": "tutorial", "init_scale": 0.2, "optimizer": "gd"}
    if fast:
        shared |= {"target_cost": 0.09, "patience": 200}
    configs = [replace(AUTHOR, schedule=steps[0], **shared)]
    for schedule in steps[1:]:
        depth = int(rng.integers(2, 6))
        units = tuple(int(u) for u in rng.integers(7, 61, depth))
        configs.append(
            Config(units=units, schedule=schedule, seed=int(rng.integers(1, 4)), **shared)
        )
    configs = [replace(c, iterations=sum(n for _, n in c.schedule)) for c in configs]
    return [scaled(c, FAST_SCALE) for c in configs] if fast else configs


def tiny_grid() -> list[Config]:
    """Four quick models for a first look (and the tests): depth 1 and 2 × lr 0.1 and 1.2."""
    return GridSpace(
        depth=(1, 2), units=(4,), learning_rate=(0.1, 1.2), iterations=(200,)
    ).configs()


PRESETS = {
    "tutorial-grid": lambda: tutorial_grid(fast=True),
    "tutorial-grid-full": lambda: tutorial_grid(fast=False),
    "tiny": tiny_grid,
}
"""Named spaces for the command line: name -> a function returning the configs."""
