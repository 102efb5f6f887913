"""The live trainer: Play, Pause, Step, Reset, an iteration counter, a live loss curve and the
last runs overlaid for comparison.

The run lives in ``st.session_state`` and advances in a fragment that the browser asks for again
once it has drawn the last frame (``ui.frame_clock``), so a student can move any widget mid-run:
a new learning rate (or L2) applies at the next step, a new architecture starts a new
run with fresh weights and says so.
"""

import json
import time
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

import nn
from nn.schedules import Constant, Schedule
from nn.training import History
from ui import REPO_ROOT, saved_run
from ui.charts import Curve, curve, loss_curves_spec, metric_curves_spec
from ui.controls import BATCH_SIZES, OutputSpec, Settings, build_network
from ui.frame_clock import ask_again, live_fragment
from ui.pacing import CLASS

try:  # Streamlit's own check for a waiting click (it raises to rerun); not a public API
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_run_yield_check
except ImportError:  # another Streamlit version: a wait then lasts to its end

    def get_run_yield_check() -> None:
        return None


FRAME_SECONDS = 0.2
HISTORY_RUNS = 5
PATH_MAX_PARAMETERS = 16  # record the parameter path of small models only (the cost surface)
METRIC_POINTS = 2_000  # per metric: one point per frame, thinned evenly beyond this
# Samples × parameters one frame may train: about 0.6 s on one core here (3e9 a second).
FRAME_WORK = 2_000_000_000
# Wall time one frame may train (FRAME_WORK takes less alone): on a busy server the students
# share its cores, and a click waits for the frame.
FRAME_TRAIN_SECONDS = 1.0
MAX_STEP_MB = 128  # the memory one training step may take: a class server has many students
TUTORIAL_RESULTS = REPO_ROOT / "datasets" / "data" / "tutorial_results.json"


@dataclass
class Run:
    """One training run: its network, trainer and what happened so far."""

    number: int
    settings: Settings
    output: OutputSpec
    network: nn.Network
    trainer: nn.Trainer
    data_key: Hashable = None
    playing: bool = False
    diverged: nn.TrainingDiverged | None = None
    cut_short: bool = False  # the last frame ran out of FRAME_TRAIN_SECONDS (a busy server)
    pace: float = 0.0  # seconds between the last frames (longer than asked in a busy class)
    error: str | None = None
    notice: str | None = None
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

    def frame_iterations(self) -> int:
        """The iterations per frame asked for, fewer when a step is heavy (batch size ×
        parameters) so that a frame trains at most FRAME_WORK; at least one."""
        work = self.trainer.batch_size * self.network.parameter_count
        return max(1, min(self.settings.iterations_per_frame, FRAME_WORK // work))

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

    def step(self, iterations: int, seconds: float = float("inf")) -> int:
        """Take up to ``iterations`` steps (at least one, then while under ``seconds``),
        stopping at max iterations, the target cost or a divergence (kept in ``diverged``; the
        network keeps its last finite weights). Returns the steps taken."""
        record = self.network.parameter_count <= PATH_MAX_PARAMETERS
        start, first = time.perf_counter(), self.iteration
        # Overflow on the way to infinity is expected; the engine turns it into TrainingDiverged.
        with np.errstate(over="ignore", invalid="ignore"):
            for taken in range(iterations):
                if self.finished or (taken and time.perf_counter() - start > seconds):
                    break
                try:
                    self.trainer.step()
                except nn.TrainingDiverged as error:
                    self.diverged, self.playing = error, False
                    return self.iteration - first
                self.diverged = None
                if record:
                    self.path.append(self.iteration, self.parameters())
        if self.finished:
            self.playing = False
        return self.iteration - first

    def measure(self) -> None:
        """Record the page's metrics (e.g. test cost, accuracy) at the current iteration."""
        if self.evaluate is None:
            return
        for name, value in self.evaluate(self.network).items():
            series = self.metrics.setdefault(name, History(METRIC_POINTS))
            if not series or series[-1][0] != self.iteration:
                series.append(self.iteration, (self.iteration, float(value)))

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
        """Apply the learning rate, L2 and run controls without touching the weights. The rate
        is ``learning_rate`` when given (e.g. a preset's schedule), else the settings' constant
        rate; a new one applies from the current iteration (``follow``)."""
        rate = settings.learning_rate if learning_rate is None else learning_rate
        if not self.follows(rate):
            self.follow(rate)
        self.trainer.l2 = settings.l2
        self.settings = settings


def new_run(
    key: str, X, Y, settings: Settings, output: OutputSpec, data_key: Hashable, evaluate=None
) -> Run:
    number = st.session_state.get(f"{key}.runs_started", 0) + 1
    st.session_state[f"{key}.runs_started"] = number
    network = build_network(settings, output)
    trainer = network.trainer(
        X,
        Y,
        learning_rate=settings.learning_rate,
        optimizer=settings.optimizer,
        batch_size=settings.batch_size,
        l2=settings.l2,
        seed=settings.seed,
    )
    _check_step_memory(network, trainer.batch_size)
    run = Run(number, settings, output, network, trainer, data_key, evaluate=evaluate)
    run.learning_rates = [settings.learning_rate]
    run.measure()
    if network.parameter_count <= PATH_MAX_PARAMETERS:
        run.path.append(0, run.parameters())
    return run


def _check_step_memory(network: nn.Network, batch: int) -> None:
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


def _archive(key: str, run: Run | None) -> None:
    """Keep the loss curve of a run that trained, for the history overlay."""
    if run is None or run.iteration == 0:
        return
    history = st.session_state.setdefault(f"{key}.history", [])
    history.append(curve(run.label(), run.costs))
    del history[:-HISTORY_RUNS]


def history(key: str) -> list[Curve]:
    return st.session_state.get(f"{key}.history", [])


def current_run(key: str) -> Run | None:
    return st.session_state.get(f"{key}.run")


def replace_run(key: str, run: Run) -> None:
    """Make ``run`` the current one; the previous run joins the history."""
    _archive(key, current_run(key))
    st.session_state[f"{key}.run"] = run


def _reset(key: str) -> None:
    run = current_run(key)
    if run is not None:
        _archive(key, run)
        st.session_state.pop(f"{key}.run")


def _set_playing(key: str, playing: bool) -> None:
    # Set, not toggle: a click that reaches the server twice must not undo itself.
    run = current_run(key)
    if run is not None:
        run.playing = playing and not run.finished


def _step(key: str) -> None:
    run = current_run(key)
    if run is not None:
        run.playing = False
        run.step(1)
        run.measure()


def _clear_history(key: str) -> None:
    st.session_state[f"{key}.history"] = []


def _current(
    key: str, X, Y, settings: Settings, output: OutputSpec, data_key, evaluate, learning_rate=None
) -> Run:
    """The session's run, made anew when the architecture or the data changed, training with
    ``learning_rate`` (or the settings' constant rate) from now on."""
    run = current_run(key)
    if run is None:
        run = new_run(key, X, Y, settings, output, data_key, evaluate)
    elif run.settings.architecture_key() != settings.architecture_key() or (
        run.data_key != data_key or run.output != output
    ):
        what = "Data" if run.data_key != data_key else "Architecture"
        replace_run(key, new_run(key, X, Y, settings, output, data_key, evaluate))
        run = current_run(key)
        run.notice = f"{what} changed: weights re-initialised."
        st.toast(run.notice, icon=":material/restart_alt:")
    else:
        run.evaluate = evaluate
    run.set_rates(settings, learning_rate)
    st.session_state[f"{key}.run"] = run
    return run


def live_trainer(
    key: str,
    X,
    Y,
    settings: Settings,
    output: OutputSpec,
    draw: Callable[[Run], Callable[[Run], None] | None] | None = None,
    data_key: Hashable = None,
    evaluate: Callable[[nn.Network], dict[str, float]] | None = None,
    frame_seconds: float = FRAME_SECONDS,
    quick_frames: int = 1,
    learning_rate: float | Schedule | None = None,
) -> Run | None:
    """Draw Play/Pause, Step, Reset and the live views; return the current run (None when the
    settings cannot make a network; the reason is shown with st.error).

    ``draw(run)`` draws the page's own live views every frame; call ``show_loss_curve(key, run)``
    there to place the loss curve (without ``draw`` it is shown alone). ``data_key`` names
    the data (e.g. its generator's arguments): a new one starts a new run. ``evaluate(network)``
    returns the page's metrics (e.g. {"test cost": ..., "train accuracy": ...}); they are
    recorded after every frame and step into ``run.metrics`` (see ``show_metric_curves``).
    ``frame_seconds`` is the time between frames while playing (``FRAME_SECONDS``: 5 a second).
    ``learning_rate`` (e.g. a preset's schedule) is what the run trains with instead of the
    settings' constant rate; a run that goes on takes it up at its current iteration.

    Quick frames: when ``draw`` returns a function ``update(run)`` that redraws a few views
    (into placeholders it made), each fragment run while playing draws everything once, then
    trains and redraws through ``update`` alone ``quick_frames - 1`` times (none when a frame's
    training is capped or the class is busy). The browser's time per frame grows with the
    elements it replaces (measured: benchmarks/rose_frames.py), so a surface redrawn alone moves
    faster than the whole page.

    A frame trains for at most FRAME_TRAIN_SECONDS, a busy class spaces the frames out
    (``ui.pacing``: the frames of all the students together keep to a share of the server), and
    the browser asks for the next frame only once it has drawn the last (``ui.frame_clock``),
    so a click never waits long for the frame in progress or behind frames in the browser.
    """
    try:
        run = _current(key, X, Y, settings, output, data_key, evaluate, learning_rate)
    except nn.NetworkError as error:
        st.error(f"These settings cannot make a network: {error}")
        st.session_state.pop(f"{key}.buttons", None)  # none drawn
        return None

    play, step, reset, clear, save = st.columns([1.2, 1, 1, 1.5, 1.7])
    play.button(
        "Pause" if run.playing else "Play",
        key=f"{key}.play",
        icon=":material/pause:" if run.playing else ":material/play_arrow:",
        type="primary",
        on_click=_set_playing,
        args=(key, not run.playing),
        disabled=run.finished and not run.playing,
        width="stretch",
    )
    step.button(
        "Step",
        key=f"{key}.step",
        icon=":material/skip_next:",
        on_click=_step,
        args=(key,),
        help="One iteration: forward, cost, backward, update.",
        width="stretch",
    )
    reset.button(
        "Reset",
        key=f"{key}.reset",
        icon=":material/restart_alt:",
        on_click=_reset,
        args=(key,),
        help="Fresh weights; this run's curve joins the history.",
        width="stretch",
    )
    clear.button(
        "Clear history",
        key=f"{key}.clear_history",
        icon=":material/layers_clear:",
        on_click=_clear_history,
        args=(key,),
        disabled=not history(key),
        width="stretch",
    )
    with save:
        saved_run.save_and_continue(key, run, X, Y, output, data_key, evaluate)
    st.session_state[f"{key}.buttons"] = _buttons_say(run)

    session = st.session_state.setdefault("pacing.session", uuid.uuid4().hex)

    def advance(live: Run) -> None:
        if live.playing:
            asked = live.frame_iterations()
            taken = live.step(asked, seconds=FRAME_TRAIN_SECONDS)
            live.cut_short = taken < asked and live.playing
            live.measure()
        redraw_if_buttons_stale(key)

    def next_frame(live: Run, began: float, cpu: float) -> float:
        """When the frame that began at ``began`` (and has used processor time since ``cpu``)
        lets the next one start: ``frame_seconds`` later, or later in a busy class."""
        live.pace = CLASS.interval(time.thread_time() - cpu, frame_seconds)
        CLASS.drew(session, live.pace)
        return began + live.pace

    @live_fragment
    def frame() -> None:
        redraw_if_buttons_stale(key)
        live = current_run(key)
        if live is None:
            return
        if not live.playing:
            CLASS.left(session)
            live.pace = 0.0
        start, cpu = time.perf_counter(), time.thread_time()
        advance(live)
        _status(key, live, frame_seconds)
        update = draw(live) if draw else show_loss_curve(key, live)
        if not live.playing:
            return
        due = next_frame(live, start, cpu)
        light = live.frame_iterations() == live.settings.iterations_per_frame
        alone = live.pace <= frame_seconds  # a busy class gets whole frames only
        for _ in range(quick_frames - 1 if update and light and alone else 0):
            _wait_until(due)
            if time.perf_counter() - start > 2 * quick_frames * frame_seconds:
                break  # a slow server: the next frame goes on
            began, cpu = time.perf_counter(), time.thread_time()
            advance(live)
            update(live)
            due = next_frame(live, began, cpu)
        ask_again(f"{key}.clock", due - time.perf_counter())

    frame()
    return current_run(key)


def _buttons_say(run: Run | None) -> tuple[int | None, bool]:
    return (None if run is None else run.number, run is not None and run.playing)


def redraw_if_buttons_stale(key: str) -> None:
    """A full rerun when the Play/Pause buttons, drawn in the last full run, misstate the
    run: it ended, or a click reached the server merged into a live fragment's request
    (Streamlit can merge the two) and so ran its callback in that fragment's run alone.
    Every fragment that runs while playing calls this first."""
    said = st.session_state.get(f"{key}.buttons")
    if said is not None and said != _buttons_say(current_run(key)):
        CLASS.left(st.session_state.get("pacing.session", ""))
        st.rerun()


def _wait_until(due: float) -> None:
    """Sleep until ``due`` (a ``time.perf_counter()``) in short naps: a click ends the wait."""
    click_waiting = get_run_yield_check() or (lambda: None)
    while (left := due - time.perf_counter()) > 0:
        time.sleep(min(left, 0.05))
        click_waiting()


def look_closer(run: Run | None, what: str) -> bool:
    """Whether the page may draw its tabs (``what`` they hold) now. While a run plays it says
    they wait for Pause instead: every element on a page slows each live frame in the browser
    (benchmarks/rose_frames.py), and on a class server every full rerun of a heavy tab delays
    the other students (benchmarks/classroom.py)."""
    if run is not None and run.playing:
        st.info(f"**Pause** to look closer: {what}.", icon=":material/pause_circle:")
        return False
    return True


def _status(key: str, run: Run, frame_seconds: float = FRAME_SECONDS) -> None:
    """The counter, the cost and what the student should know right now."""
    counter, cost, rate = st.columns([1, 1.3, 1])
    counter.metric("Iteration", f"{run.iteration:,}", border=True)
    cost.metric("Cost", "–" if run.cost is None else f"{run.cost:.4g}", border=True)
    # The trainer's rate at the current step: a schedule's (a preset's) or the constant one.
    now = run.trainer.learning_rate(max(run.iteration - 1, 0))
    rate.metric("Learning rate", f"{now:.4g}", border=True)
    label, icon, color = _status_badge(run)
    st.badge(label, icon=icon, color=color)
    # The messages share one container, present or not: the live views below keep their
    # place in the fragment from frame to frame.
    with st.container():
        if run.playing and run.pace > 1.5 * frame_seconds:
            st.caption(
                f"A busy class: {CLASS.players()} students are training on this server and share "
                f"it, so a frame comes every {run.pace:.1f} s instead of {frame_seconds:g} s; "
                "clicks still answer first."
            )
        if run.cut_short and run.playing:
            st.caption(
                f"The server is busy: each frame trains for at most {FRAME_TRAIN_SECONDS:g} s, so "
                "training is slower than alone and Pause answers quickly."
            )
        elif run.frame_iterations() < run.settings.iterations_per_frame:
            st.caption(
                f"{run.frame_iterations():,} iterations per frame instead of "
                f"{run.settings.iterations_per_frame:,}: one step of this network on "
                f"{run.trainer.batch_size:,} samples is heavy, and a frame stays under a second."
            )

        if run.diverged is not None:
            rate_used = run.diverged.learning_rate
            st.error(
                f"**The cost exploded** at iteration {run.diverged.iteration:,} with learning rate "
                f"**{rate_used:g}**: each step overshoots the minimum by more than the last, until "
                f"the numbers no longer fit in a float. Pick a smaller learning rate (try "
                f"{rate_used / 10:g}) and press Play, or start again with fresh weights.",
                icon=":material/warning:",
            )
            st.button(
                "Reset",
                key=f"{key}.reset_diverged",
                icon=":material/restart_alt:",
                on_click=_reset,
                args=(key,),
            )
        elif len(run.costs) > 5 and run.costs[-1] > run.costs[0]:
            st.warning(
                f"The cost is growing instead of shrinking: learning rate "
                f"{run.settings.learning_rate:g} overshoots. Lower it, or Reset.",
                icon=":material/trending_up:",
            )
        elif run.error:
            st.error(run.error)
        if run.notice and run.iteration == 0:
            st.info(run.notice, icon=":material/restart_alt:")


def _status_badge(run: Run) -> tuple[str, str, str]:
    """(label, icon, colour) of what the run is doing."""
    if run.diverged is not None:
        return "diverged", ":material/error:", "red"
    if run.playing:
        return "training…", ":material/play_arrow:", "blue"
    if run.finished:
        return f"done after {run.iteration:,} iterations", ":material/check:", "green"
    if run.iteration:
        return "paused", ":material/pause:", "gray"
    return "ready: press Play or Step", ":material/bolt:", "gray"


def show_metric_curves(
    run: Run, names: list[str], title: str, height: int = 260, log: bool = False
) -> None:
    """The recorded metrics ``names`` against iteration, one line each (e.g. train and test)."""
    series = {name: run.metrics.get(name, []) for name in names}
    st.vega_lite_chart(metric_curves_spec(series, title, height, log), width="stretch")


def show_loss_curve(key: str, run: Run, height: int = 300) -> None:
    """The current run's cost curve over the last runs' curves, log scale."""
    current = curve(run.label(), run.costs) if run.costs else None
    st.vega_lite_chart(loss_curves_spec(current, history(key), height), width="stretch")


# ---- reproducing the tutorial ----------------------------------------------------------------
def tutorial_reference(section: str) -> dict:
    """One section of the tutorial's printed results, shipped in datasets/data."""
    return json.loads(TUTORIAL_RESULTS.read_text())[section]


def reproduce(
    key: str,
    X,
    Y,
    settings: Settings,
    output: OutputSpec,
    every: int,
    data_key: Hashable = None,
    metrics: dict[str, Callable[[nn.Trainer], float]] | None = None,
    evaluate: Callable[[nn.Network], dict[str, float]] | None = None,
) -> list[nn.Progress]:
    """Train a fresh run for ``settings.max_iterations`` iterations at once and return what the
    tutorial prints (every ``every`` iterations); it becomes the current run, paused.

    ``metrics`` (e.g. ``{"accuracy": nn.Trainer.train_accuracy}``) are measured on the same
    forward pass as each printed cost, into ``Progress.metrics``; ``evaluate`` (as for
    ``live_trainer``) is recorded into ``run.metrics`` at every printed iteration."""
    run = new_run(key, X, Y, settings, output, data_key, evaluate)
    measured: dict[int, dict[str, float]] = {}
    if metrics or evaluate:
        for i in range(settings.max_iterations):
            run.step(1)
            if run.iteration != i + 1:  # finished early or diverged
                break
            if i % every == 0:
                measured[i] = {name: float(fn(run.trainer)) for name, fn in (metrics or {}).items()}
                run.measure()
    run.step(settings.max_iterations - run.iteration)
    run.measure()
    replace_run(key, run)
    return [
        nn.Progress(i, cost, settings.learning_rate, measured.get(i, {}))
        for i, cost in zip(run.costs.iterations, run.costs, strict=True)
        if i % every == 0
    ]


def comparison_table(progress: list[nn.Progress], reference_costs: list[float]) -> pd.DataFrame:
    """Printed costs side by side: the tutorial's and this engine's, with their difference."""
    ours = np.array([report.cost for report in progress[: len(reference_costs)]])
    theirs = np.array(reference_costs[: len(ours)], dtype=float)
    return pd.DataFrame(
        {
            "iteration": [report.iteration for report in progress[: len(ours)]],
            "tutorial cost": theirs,
            "this engine": ours,
            "relative difference": np.abs(ours - theirs) / np.abs(theirs),
        }
    )
