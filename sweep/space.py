"""Search spaces: which networks a sweep trains.

A sweep trains ``nn.RunSpec``s: one run each, every setting explicit (frozen, hashable, cheap to
send to a worker), hidden layers of one activation, a sigmoid output and cross-entropy. A space
turns lists or ranges of settings into specs, checked against the sweep's limits:

>>> GridSpace(depth=(1, 2), units=(4, 8), learning_rate=(0.1, 1.2)).specs()  # 2 x 2 x 2 = 8
>>> RandomSpace(models=100, depth=(2, 5), units=(7, 60), seed=0).specs()      # 100 draws

Units can differ per layer: a grid gives every hidden layer the same width, a random space
draws each layer's width on its own (the tutorial's winner is 2-27-31-31-1). A learning rate
is a number (constant) or a schedule: ``(rate, iterations)`` pairs, the tutorial's ``Steps``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

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
# The tutorial's eight learning-rate steps (Mustafar): 2.8 halving down to 0.01875.
TUTORIAL_RATES = (2.8, 1.4, 0.6, 0.3, 0.15, 0.075, 0.0375, 0.01875)
TUTORIAL_STEP_ITERATIONS = (1000, 2000, 2000, 2000, 4000, 5000, 8000, 4000)

StepList = tuple[tuple[float, int], ...]  # a schedule's (rate, iterations) steps


class SpaceError(ValueError):
    """A search-space setting that cannot make a sweep; the message says what to try."""


def parameter_count(units: Sequence[int], input_dim: int) -> int:
    """Weights and biases: the sum over layers of (inputs + 1) × units, one output unit."""
    sizes = [input_dim, *units, 1]
    return sum((inputs + 1) * out for inputs, out in zip(sizes, sizes[1:], strict=False))


def tutorial_schedule(step_iterations: Sequence[int] = TUTORIAL_STEP_ITERATIONS) -> StepList:
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
    learning_rate: Sequence[float | StepList] = (0.1,)
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
        # Without a hidden layer the activation does not matter: one network, not one each.
        architectures = with_layers * len(set(self.units)) * len(set(self.activation))
        architectures += 0 in set(self.depth)
        # A schedule fixes its own length, so it does not multiply with ``iterations``.
        schedules = sum(1 for rate in self.learning_rate if not _is_number(rate))
        rates = (len(self.learning_rate) - schedules) * len(self.iterations) + schedules
        rest = len(self.optimizer) * len(self.batch_size) * len(self.seed)
        return architectures * rates * rest

    def specs(self) -> list[nn.RunSpec]:
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
        specs = (
            _spec(units, activation, rate, iterations, optimizer, batch, seed, self)
            for units, activation, (rate, iterations), optimizer, batch, seed in itertools.product(
                architectures, self.activation, rates, self.optimizer, self.batch_size, self.seed
            )
        )
        return list(dict.fromkeys(specs))


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
    schedules: Sequence[StepList] = ()
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
    first: nn.RunSpec | None = field(default=None, compare=False)

    def size(self) -> int:
        return int(self.models)

    def specs(self) -> list[nn.RunSpec]:
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
        specs = [] if self.first is None else [self.first]
        while len(specs) < models:
            depth = int(rng.integers(self.depth[0], self.depth[1] + 1))
            units = tuple(int(u) for u in rng.integers(self.units[0], self.units[1] + 1, depth))
            if self.schedules:
                rate = self.schedules[int(rng.integers(len(self.schedules)))]
            else:
                rate = float(np.exp(rng.uniform(math.log(low_rate), math.log(high_rate))))
            specs.append(
                _spec(
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
        return specs


def _spec(units, activation, rate, iterations, optimizer, batch, seed, space) -> nn.RunSpec:
    """One run of a space, checked against the sweep's limits (a SpaceError says what to try)."""
    units = tuple(int(u) for u in units)
    if len(units) > MAX_DEPTH or any(not 1 <= u <= MAX_UNITS for u in units):
        raise SpaceError(
            f"units {units} do not make a network: at most {MAX_DEPTH} hidden layers "
            f"of 1 to {MAX_UNITS} units each"
        )
    _member("activation", activation, ACTIVATIONS)
    _member("optimizer", optimizer, OPTIMIZERS)
    _member("init", space.init, INITS)
    _member("dtype", space.dtype, DTYPES)
    if _is_number(rate):
        learning_rate = _rate(rate)
    else:
        steps = tuple((_rate(r), _count("schedule iterations", n)) for r, n in rate)
        if not steps:
            raise SpaceError("a schedule needs at least one (rate, iterations) step")
        learning_rate, iterations = nn.Steps(steps), sum(n for _, n in steps)
    scale = float(space.init_scale)
    if not (scale > 0 and math.isfinite(scale)):
        raise SpaceError(f"init_scale must be a positive number, got {space.init_scale!r}")
    target = float(space.target_cost)
    if not (target >= 0 and math.isfinite(target)):
        raise SpaceError(f"target_cost must be 0 (none) or more, got {space.target_cost!r}")
    return nn.RunSpec(
        hidden=tuple((u, activation) for u in units),
        init=space.init,
        init_scale=scale,
        seed=_count("seed", seed, minimum=0),
        dtype=space.dtype,
        optimizer=optimizer,
        learning_rate=learning_rate,
        batch_size=_count("batch_size", batch, minimum=0),
        iterations=_count("iterations", iterations),
        target_cost=target,
        patience=_count("patience", space.patience, minimum=0),
    )


def scaled(spec: nn.RunSpec, factor: float) -> nn.RunSpec:
    """The same run with every schedule step (or the iteration budget) times ``factor``."""
    if isinstance(spec.learning_rate, nn.Steps):
        steps = tuple((rate, max(1, round(n * factor))) for rate, n in spec.learning_rate.steps)
        return spec.with_changes(learning_rate=nn.Steps(steps), iterations=sum(n for _, n in steps))
    return spec.with_changes(iterations=max(1, round(spec.iterations * factor)))


def units_of(spec: nn.RunSpec) -> tuple[int, ...]:
    """The hidden layers' widths: (27, 31, 31)."""
    return tuple(units for units, _ in spec.hidden)


def activation_of(spec: nn.RunSpec) -> str:
    """The hidden layers' activation ("none" without a hidden layer)."""
    return spec.hidden[0][1] if spec.hidden else "none"


def first_rate(spec: nn.RunSpec) -> float:
    """The constant learning rate, or a schedule's first rate."""
    rate = spec.learning_rate
    return rate.steps[0][0] if isinstance(rate, nn.Steps) else float(rate)


def schedule_label(spec: nn.RunSpec) -> str:
    """'constant' or '2.8×250 → 1.4×500 → ...'."""
    if not isinstance(spec.learning_rate, nn.Steps):
        return "constant"
    return " → ".join(f"{rate:g}×{n}" for rate, n in spec.learning_rate.steps)


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
AUTHOR = nn.RunSpec(
    hidden=((27, "relu"), (31, "relu"), (31, "relu")),
    learning_rate=nn.Steps(tutorial_schedule()),
    init="tutorial",
    init_scale=0.2,
    seed=2,
    iterations=sum(TUTORIAL_STEP_ITERATIONS),
)
"""The tutorial's winner, 2-27-31-31-1 relu with its 28,000-iteration schedule (seed 2: at seed 1
the first lr-2.8 steps kill its last relu layer on the helmet; see
lessons.mustafar.logic.TUTORIAL_SEED)."""


def tutorial_grid(models: int = 100, seed: int = 0, fast: bool = True) -> list[nn.RunSpec]:
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
    stops = {"target_cost": 0.09, "patience": 200} if fast else {}
    specs = [AUTHOR.with_changes(**stops)]
    for _ in steps[1:]:
        depth = int(rng.integers(2, 6))
        units = tuple(int(u) for u in rng.integers(7, 61, depth))
        hidden = tuple((u, "relu") for u in units)
        specs.append(AUTHOR.with_changes(hidden=hidden, seed=int(rng.integers(1, 4)), **stops))
    specs = [
        spec.with_changes(learning_rate=nn.Steps(schedule), iterations=sum(n for _, n in schedule))
        for spec, schedule in zip(specs, steps, strict=True)
    ]
    return [scaled(spec, FAST_SCALE) for spec in specs] if fast else specs


def tiny_grid() -> list[nn.RunSpec]:
    """Four quick models for a first look (and the tests): depth 1 and 2 × lr 0.1 and 1.2."""
    return GridSpace(depth=(1, 2), units=(4,), learning_rate=(0.1, 1.2), iterations=(200,)).specs()


PRESETS = {
    "tutorial-grid": lambda: tutorial_grid(fast=True),
    "tutorial-grid-full": lambda: tutorial_grid(fast=False),
    "tiny": tiny_grid,
}
"""Named spaces for the command line: name -> a function returning the specs."""
