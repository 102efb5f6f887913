"""One training run and where a lesson keeps it: the session's current run and the last runs'
cost curves (the history overlay).

A run belongs to one lesson ``key``: its state's ``live`` part (``kit.session.LiveState``) holds
it and the curves of the runs before it.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

import nn
from kit.charts import Curve, curve
from kit.session import LiveState, lesson_state
from kit.settings import BATCH_SIZES, OutputSpec, Settings
from nn.schedules import Constant, Schedule
from nn.training import History

HISTORY_RUNS = 5
PATH_MAX_PARAMETERS = 16  # record the parameter path of small models only (the cost surface)
METRIC_POINTS = 2_000  # per metric: one point per measure, thinned evenly beyond this
MAX_STEP_MB = 128  # the memory one training step may take: a class server has many students


@dataclass
class Run:
    """One training run: its network, trainer and what happened so far."""

    number: int
    settings: Settings
    output: OutputSpec
    network: nn.Network
    trainer: nn.Trainer
    data_key: Hashable = None
    edits: Hashable = None  # names the student's edits to the data it trains on (``use_data``)
    playing: bool = False
    step_seconds: float = 0.0  # a training step's time, and a snapshot's: running means
    snapshot_seconds: float = 0.0  # (kit.live.frames.train_batch)
    diverged: nn.TrainingDiverged | None = None
    error: str | None = None
    notice: str | None = None  # what the student should know until the run trains on
    notice_at: int = 0  # from the iteration it speaks of
    learning_rates: list[float] = field(default_factory=list)
    path: History = field(default_factory=History)  # flat parameters after each iteration
    evaluate: Callable[[nn.Network], dict[str, float]] | None = None
    metrics: dict[str, History] = field(default_factory=dict)  # name -> (iteration, value)s

    @property
    def iteration(self) -> int:
        return self.trainer.iteration

    @property
    def costs(self) -> list[float]:
        return self.trainer.costs

    @property
    def cost(self) -> float | None:
        """The cost before the last step (the tutorial's printed value), None before any."""
        return self.trainer.costs[-1] if self.trainer.costs else None

    @property
    def finished(self) -> bool:
        """Reached max iterations or the target cost."""
        target = self.settings.target_cost
        reached = target is not None and self.cost is not None and self.cost <= target
        return self.iteration >= self.settings.max_iterations or reached

    def label(self) -> str:
        """The run's name in the history legend: the rate each stretch started with, and the
        end of the schedule it follows now, e.g. '#3 lr 0.02 → 0.03 → 0.01953 → 0.001 · ...'."""
        rates = list(self.learning_rates)
        if not isinstance(self.trainer.learning_rate, Constant):
            end = self.trainer.learning_rate(self.settings.max_iterations - 1)
            rates += [end] if rates[-1:] != [end] else []
        said = " → ".join(f"{rate:.4g}" for rate in rates)
        return f"#{self.number} " + self.settings.label().replace(
            f"lr {self.settings.learning_rate:g}", f"lr {said}", 1
        )

    def parameters(self) -> np.ndarray:
        """Every layer's weights then bias, flattened: (w, b) for a one-unit linear model."""
        return np.concatenate(
            [
                np.concatenate([layer.weights.ravel(), layer.bias.ravel()])
                for layer in self.network.layers
            ]
        )

    def path_array(self) -> np.ndarray:
        return np.array(self.path) if self.path else np.empty((0, 0))

    def step(self, iterations: int, seconds: float | None = None) -> int:
        """Train up to ``iterations`` steps with ``Trainer.run`` (at least one, then while under
        ``seconds``), stopping at max iterations, the target cost or a divergence (kept in
        ``diverged``; the network keeps its last finite weights). Returns the steps taken."""
        if self.finished or not self.trainer.n:
            self.playing = False
            return 0
        record = self.network.parameter_count <= PATH_MAX_PARAMETERS
        first = self.iteration
        left = min(int(iterations), self.settings.max_iterations - first)
        steps = self.trainer.run(
            left,
            every=1 if record else left,
            target_cost=self.settings.target_cost,
            seconds=seconds,
        )
        # Overflow on the way to infinity is expected; the engine turns it into TrainingDiverged.
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                for _ in steps:
                    if record:
                        self.path.append(self.iteration, self.parameters())
            except nn.TrainingDiverged as error:
                self.diverged, self.playing = error, False
                return self.iteration - first
        self.diverged = None
        if self.finished:
            self.playing = False
        return self.iteration - first

    def use_data(self, X, Y, edits: Hashable) -> None:
        """Train on X, Y (the data after the student's ``edits``) from the next step on, keeping
        the weights, the optimizer's moments and the iteration; the metrics are measured anew."""
        self.trainer.set_data(X, Y)
        self.edits = edits
        self.measure()

    def measure(self) -> None:
        """Record the page's metrics (e.g. test cost, accuracy) at the current iteration; a
        second measure at the same iteration (after a weight or the data was edited) replaces
        the first."""
        if self.evaluate is None:
            return
        for name, value in self.evaluate(self.network).items():
            series = self.metrics.setdefault(name, History(METRIC_POINTS))
            point = (self.iteration, float(value))
            if series and series[-1][0] == self.iteration:
                series.replace_latest(point)
            else:
                series.append(self.iteration, point)

    def latest_metrics(self) -> dict[str, float]:
        """Each recorded metric's latest value."""
        return {name: series[-1][1] for name, series in self.metrics.items() if series}

    def follows(self, rate: float | Schedule) -> bool:
        """Whether the trainer trains with ``rate``: this very schedule, or this constant."""
        now = self.trainer.learning_rate
        if isinstance(rate, Schedule):
            return now is rate
        return isinstance(now, Constant) and now.learning_rate == rate

    def follow(self, rate: float | Schedule) -> None:
        """Train with ``rate`` (a number, or a schedule: a function of the iteration) from the
        current iteration on; the weights and the optimizer's moments are kept.

        ``learning_rates`` lists the rate each stretch of the run started with, in order (the
        label adds where a schedule followed last ends); a run that starts on a schedule is
        named by its peak, since a warm-up starts near 0. A change before the first step
        replaces the list, since nothing trained with the old rate."""
        self.trainer.learning_rate = rate
        schedule = self.trainer.learning_rate
        start = schedule.peak if self.iteration == 0 else schedule(self.iteration)
        if self.iteration == 0:
            self.learning_rates = [start]
        elif self.learning_rates[-1:] != [start]:
            self.learning_rates.append(start)

    def set_rates(self, settings: Settings, learning_rate: float | Schedule | None = None) -> None:
        """Apply the learning rate, L2, L1 and run controls without touching the weights. The rate
        is ``learning_rate`` when given (e.g. a preset's schedule), else the settings' constant
        rate; a new one applies from the current iteration (``follow``)."""
        rate = settings.learning_rate if learning_rate is None else learning_rate
        if not self.follows(rate):
            self.follow(rate)
        self.trainer.l2 = settings.l2
        self.trainer.l1 = settings.l1
        self.settings = settings


def new_run(
    key: str,
    X,
    Y,
    settings: Settings,
    output: OutputSpec,
    data_key: Hashable,
    evaluate=None,
    spec: nn.RunSpec | None = None,
) -> Run:
    """A fresh run of ``spec`` (by default the run the settings describe, e.g. not for a
    preset's own recipe) on X, Y, numbered after the session's last."""
    live = live_state(key)
    live.runs_started += 1
    number = live.runs_started
    spec = settings.spec(output) if spec is None else spec
    trainer = spec.trainer(X, Y)
    network = trainer.network
    check_step_memory(network, trainer.batch_size)
    run = Run(number, settings, output, network, trainer, data_key, evaluate=evaluate)
    run.follow(spec.learning_rate)
    run.measure()
    if network.parameter_count <= PATH_MAX_PARAMETERS:
        run.path.append(0, run.parameters())
    return run


def check_step_memory(network: nn.Network, batch: int) -> None:
    """Refuse a batch whose step buffers (each layer's input, z, gradient and scratch, per
    sample) would take more than MAX_STEP_MB."""
    per_sample = np.dtype(network.dtype).itemsize * sum(
        layer.inputs + 1 + 3 * layer.units for layer in network.layers
    )
    limit = MAX_STEP_MB * 1e6
    if batch * per_sample <= limit:
        return
    fits = max((size for size in BATCH_SIZES if 0 < size * per_sample <= limit), default=1)
    raise nn.NetworkError(
        f"one step on {batch:,} samples at once through these layers needs about "
        f"{batch * per_sample / 1e6:,.0f} MB of memory, more than the {MAX_STEP_MB} MB each "
        f"student gets on a shared class server. Choose a batch size of {fits:,} or less, "
        "or fewer or narrower layers"
    )


def live_state(key: str) -> LiveState:
    """Lesson ``key``'s live part of its state (``kit.session``), written only by ``kit.live``."""
    return lesson_state(key).live


def archive(key: str, run: Run | None) -> None:
    """Keep the loss curve of a run that trained, for the history overlay."""
    if run is None or run.iteration == 0:
        return
    history = live_state(key).history
    history.append(curve(run.label(), run.costs))
    del history[:-HISTORY_RUNS]


def history(key: str) -> list[Curve]:
    return live_state(key).history


def current_run(key: str) -> Run | None:
    return live_state(key).run


def replace_run(key: str, run: Run) -> None:
    """Make ``run`` the current one; the previous run joins the history."""
    archive(key, current_run(key))
    live_state(key).run = run


def set_playing(key: str, playing: bool) -> None:
    # Set, not toggle: a click that reaches the server twice must not undo itself.
    run = current_run(key)
    if run is not None:
        run.playing = playing and not run.finished


def step_once(key: str) -> None:
    run = current_run(key)
    if run is not None:
        run.playing = False
        run.step(1)
        run.measure()


def clear_history(key: str) -> None:
    live_state(key).history = []


def current(
    key: str,
    X,
    Y,
    settings: Settings,
    output: OutputSpec,
    data_key,
    evaluate,
    learning_rate=None,
    edits: Hashable = None,
) -> Run:
    """The session's run, made anew when the architecture or the data (``data_key``) changed,
    training with ``learning_rate`` (or the settings' constant rate) from now on. New ``edits``
    of the same data (points a student added or removed) go on training the same run on the
    new X, Y."""
    run = current_run(key)
    if run is None:
        run = new_run(key, X, Y, settings, output, data_key, evaluate)
        run.edits = edits
    elif run.settings.architecture_key() != settings.architecture_key() or (
        run.data_key != data_key or run.output != output
    ):
        what = "Data" if run.data_key != data_key else "Architecture"
        replace_run(key, new_run(key, X, Y, settings, output, data_key, evaluate))
        run = current_run(key)
        run.edits = edits
        run.notice = f"{what} changed: weights re-initialised."
        st.toast(run.notice, icon=":material/restart_alt:")
    else:
        run.evaluate = evaluate
        if run.edits != edits:
            run.use_data(X, Y, edits)
    run.set_rates(settings, learning_rate)
    live_state(key).run = run
    return run
