"""The live view: one components-v2 component in one fragment (see ``kit.live``)."""

import functools
import hashlib
import json
import uuid
from collections.abc import Callable, Hashable
from dataclasses import replace
from pathlib import Path

import numpy as np
import streamlit as st

import nn
from kit.charts import Curve
from kit.controls import set_speed, speed_locked
from kit.live import saved as saved_run
from kit.live.edits import edit_parameter
from kit.live.frames import (
    FULL_CURVE_POINTS,
    Views,
    curve_points,
    rounded,
    snapshot,
    train_batch,
)
from kit.live.hand import DataByHand
from kit.live.pacing import BATCH_SECONDS, CLASS, DUTY
from kit.live.run import (
    Run,
    clear_history,
    current,
    current_run,
    history,
    live_state,
    new_run,
    replace_run,
    set_playing,
    step_once,
)
from kit.settings import SPEEDS, OutputSpec, Settings, speed_label
from nn.schedules import Schedule

HERE = Path(__file__).parent
Scene = Callable[[Run], dict]  # the panels: {"layout": [[id, ...], ...], "panels": {id: spec}}
# The lesson's main views as figures for slides: {title: build}, ``build()`` -> a matplotlib
# Figure, run on another thread: it must hold plain arrays, never the session's state.
Figures = Callable[[Run], dict[str, Callable[[], object]]]
# The lesson's main view as a film: ``gif(run)`` -> ``record()`` -> frames (``kit.gif``), run on
# another thread on a click: it must train a copy (plain arrays), never the session's run.
Gif = Callable[[Run], Callable[[], list[np.ndarray]]]
FIRST_BATCH_SECONDS = 0.15  # when the browser has nothing left to play: frames come quickly
MAX_BATCH_SECONDS = 2.0
COMMANDS = ("play", "pause", "step", "reset", "speed", "refresh", "weight", "point")
# After these, the page outside the live view (its tabs) shows the run anew: a full rerun.
PAGE_COMMANDS = ("pause", "step", "reset", "refresh", "weight", "point")

_component = st.components.v2.component(
    "nnfs.live_view",
    js="\n".join((HERE / name).read_text() for name in ("diagram.js", "view.js")),
    css=(HERE / "view.css").read_text(),
)


def live_view(
    key: str,
    X,
    Y,
    settings: Settings,
    output: OutputSpec,
    scene: Scene,
    views: Views,
    data_key: Hashable = None,
    evaluate: Callable[[nn.Network], dict[str, float]] | None = None,
    learning_rate: float | Schedule | None = None,
    figures: Figures | None = None,
    gif: Gif | None = None,
    hand: DataByHand | None = None,
) -> Run | None:
    """Draw the lesson's live view and return the current run (None when the settings cannot
    make a network: the reason is shown with st.error).

    ``scene(run)`` lays out the panels (``{"layout": [[id, ...], ...], "panels": {id: spec}}``,
    see view.js) and ``views(run)`` gives their values at the run's iteration, with the page's
    readouts (``kit.live.frames.Views``). ``data_key`` names the data: a new one starts a new
    run. ``evaluate(network)`` gives the metrics measured as it trains (4 times a second of
    animation: ``kit.live.frames``), drawn by the curves that name them in the scene.
    ``learning_rate`` (e.g. a preset's schedule) replaces the settings' constant rate.
    Paused, "Download figure" offers the cost curve and ``figures(run)``, the lesson's main
    views, as PNG (300 dpi), SVG and PDF for slides, and with ``gif`` "Record a GIF": the
    frames ``gif(run)()`` records, encoded by ``kit.gif.gif_bytes``. With ``hand``
    (``kit.live.hand.DataByHand``) the student edits the data by clicking the picture."""
    saved_run.continue_pending(key, X, Y, output, data_key, evaluate)
    edits = None if hand is None else hand.edits
    try:
        current(key, X, Y, settings, output, data_key, evaluate, learning_rate, edits)
    except nn.NetworkError as error:
        st.error(f"These settings cannot make a network: {error}")
        return None

    def restart() -> None:
        replace_run(key, new_run(key, X, Y, settings, output, data_key, evaluate))
        current(key, X, Y, settings, output, data_key, evaluate, learning_rate, edits)

    fragment = st.fragment(_live)
    with st.container():  # alone in its container: a late fragment run has nothing to slide
        fragment(key, scene, views, restart, hand)
    run = current_run(key)
    clear, save, slides = st.columns([1, 1, 2])
    clear.button(
        "Clear history",
        key=f"{key}.clear_history",
        icon=":material/layers_clear:",
        on_click=clear_history,
        args=(key,),
        disabled=not history(key),
        width="stretch",
    )
    with save:
        saved_run.save_and_continue(key, run, X, Y, output, data_key, evaluate, hand)
    with slides:
        _figure_downloads(key, run, figures, gif)
    return run


def _figure_downloads(key: str, run: Run, figures: Figures | None, gif: Gif | None = None) -> None:
    """The "Download figure" popover: the cost curve, then the lesson's figures, then "Record
    a GIF" when the lesson gives ``gif``. Offered while paused (a figure of a moving run would
    be out of date before it downloads)."""
    popover = st.popover(
        "Download figure",
        icon=":material/slideshow:",
        disabled=run.playing,
        help="Pause first" if run.playing else "For slides: PNG at 300 dpi, SVG or PDF",
        key=f"{key}.figures",
        on_change="rerun",
        width="stretch",
    )
    if not popover.open:
        return
    from kit import figures as slides  # matplotlib stays off the live path

    iterations = np.array(run.trainer.costs.iterations)
    costs = np.array(run.trainer.costs)
    label, past = run.label(), list(history(key))
    builds = {
        "The cost": lambda: slides.cost_curve(iterations, costs, label=label, extra=past),
        **(figures(run) if figures else {}),
    }
    with popover:
        for title, build in builds.items():
            slides.download_figure(
                f"{key}.figure.{slides.file_stem(title)}", f"{key} {title}", build, title
            )
        if gif is not None:
            _gif_download(key, gif(run))


def _gif_download(key: str, record: Callable[[], list[np.ndarray]]) -> None:
    """A download button that records the film only when clicked (Streamlit's deferred data,
    on another thread; the click does not rerun the page)."""
    from kit.gif import FRAMES, MAX_BYTES, gif_bytes

    st.download_button(
        "Record a GIF",
        data=lambda: gif_bytes(record()),
        file_name=f"{key}-training.gif",
        mime="image/gif",
        key=f"{key}.gif",
        on_click="ignore",
        icon=":material/movie:",
        help=f"The main view in {FRAMES} snapshots, trained again from the start on a copy "
        f"(your run is not touched); at most {MAX_BYTES // 1_000_000} MB",
    )


def _live(
    key: str, scene: Scene, views: Views, restart: Callable[[], None], hand: DataByHand | None
) -> None:
    session = st.session_state.setdefault("pacing.session", uuid.uuid4().hex)
    live = live_state(key)
    ask, live.ask = _valid_ask(live.ask), None
    if ask is not None and ask["n"] <= live.answered:
        ask["cmd"] = None  # sent again by a browser that saw no answer: obeyed once already
    if ask is not None:
        live.answered = ask["n"]
        if _obey(key, ask, restart, hand) in PAGE_COMMANDS:
            CLASS.left(session)
            st.rerun()
    run = current_run(key)
    full = ask is None or ask["have"] != _run_id(key, run)
    frames, frame_ms, training, ended = [], 0, 0.0, False
    if run.playing and not full:
        seconds = _batch_seconds(key, ask)
        budget = CLASS.training_seconds(seconds)
        batch = train_batch(run, views, seconds, budget)
        frames, frame_ms, training = batch.frames, batch.frame_ms, batch.training
        live.last_batch = batch.spent, seconds
        CLASS.trained(session, seconds)
        ended = not run.playing  # finished or diverged: the page shows the end once played
    elif not run.playing:
        CLASS.left(session)
    payload = {
        "run": _run_id(key, run),
        "full": full,
        "answered": live.answered,
        "playing": run.playing,
        "finished": run.finished or run.diverged is not None,
        "status": _status_badge(run),
        "notes": _notes(run),
        "speed": str(run.settings.speed),
        "speeds": [[str(speed), speed_label(speed)] for speed in SPEEDS],
        "speed_locked": speed_locked(key),
        "stale_page": ended,
        "frame_ms": frame_ms,
        "training_ms": round(1000 * training, 1),  # summed by benchmarks/live_view.py
        "frames": frames,
    }
    if full:
        drawn = _with_history(scene(run), history(key))
        payload.update(
            scene=drawn,
            scene_key=hashlib.sha1(json.dumps(drawn, sort_keys=True).encode()).hexdigest(),
            history=curve_points(run, -1, FULL_CURVE_POINTS),
            frames=[snapshot(run, views, since=run.iteration)],
        )
    _component(
        key=f"{key}.live",
        data=payload,
        on_ask_change=functools.partial(_keep_ask, key),
        height="content",
    )


def _batch_seconds(key: str, ask: dict) -> float:
    """The animation the next batch covers. Little when the browser has nothing left to play
    (the first frames come quickly). Else the class's batch (``CLASS.batch_seconds``), or
    longer when the round trip's overhead (its time beyond the batch's work) would let the
    browser run dry: a batch that works a share ``r`` of its animation time leaves ``1 - r``
    of it for the overhead."""
    if ask["buffered_ms"] < 100:
        return FIRST_BATCH_SECONDS
    spent, seconds = live_state(key).last_batch
    overhead = max(0.0, ask["latency_ms"] / 1000 - spent)
    share = min(DUTY, spent / seconds)
    return min(MAX_BATCH_SECONDS, max(CLASS.batch_seconds(), 1.5 * overhead / (1 - share)))


def _run_id(key: str, run: Run) -> str:
    return f"{key}.{run.number}"


def _keep_ask(key: str) -> None:
    """The browser asked (for frames, with a command): the fragment run answers."""
    live_state(key).ask = st.session_state[f"{key}.live"]["ask"]


def _valid_ask(ask: object) -> dict | None:
    """The browser's ask, or None when it is not one (a forged or garbled message)."""
    if not isinstance(ask, dict) or not isinstance(ask.get("n"), int):
        return None
    buffered, latency = ask.get("buffered_ms"), ask.get("latency_ms")
    return {
        "n": ask["n"],
        "cmd": ask.get("cmd") if ask.get("cmd") in COMMANDS else None,
        "value": ask.get("value"),
        "have": ask.get("have") if isinstance(ask.get("have"), str) else None,
        "buffered_ms": buffered if isinstance(buffered, int | float) else 0,
        "latency_ms": latency if isinstance(latency, int | float) else 0,
    }


def _obey(key: str, ask: dict, restart: Callable[[], None], hand: DataByHand | None) -> str | None:
    """Carry out the ask's command; returns it."""
    command = ask["cmd"]
    if command in ("play", "pause"):
        set_playing(key, command == "play")
    elif command == "step":
        step_once(key)
    elif command == "reset":
        restart()
    elif command == "weight":
        edit_parameter(current_run(key), ask["value"])
    elif command == "point" and hand is not None:
        hand.click(ask["value"])
    elif command == "speed" and not speed_locked(key):
        speed = {str(speed): speed for speed in SPEEDS}.get(str(ask["value"]))
        if speed is not None:
            set_speed(key, speed)
            run = current_run(key)
            run.settings = replace(run.settings, speed=speed)
    return command


def _with_history(scene: dict, past: list[Curve]) -> dict:
    """``scene`` with the last runs' cost curves in each panel that shows the ``cost``."""
    curves = []
    for run in past:
        points = zip(run.iterations.tolist(), rounded(run.costs), strict=True)
        curves.append({"name": run.label, "points": [list(point) for point in points]})
    panels = {
        name: {**panel, "history": curves} if "cost" in panel.get("series", ()) else panel
        for name, panel in scene["panels"].items()
    }
    return {**scene, "panels": panels}


def _status_badge(run: Run) -> tuple[str, str]:
    """(label, colour) of what the run is doing."""
    if run.diverged is not None:
        return "diverged", "red"
    if run.playing:
        return "training…", "blue"
    if run.finished:
        return f"done after {run.iteration:,} iterations", "green"
    if run.iteration:
        return "paused", "gray"
    return "ready: press Play (Space) or Step (→)", "gray"


def _notes(run: Run) -> list[tuple[str, str]]:
    """(tone, text) of what the student should know right now."""
    notes = []
    players = CLASS.players()
    if run.playing and players > 1 and CLASS.batch_seconds() > BATCH_SECONDS:
        notes.append((
            "caption",
            f"A busy class: {players} students are training on this server and share it, "
            "so each of you trains fewer iterations a second. The animation and your clicks "
            "stay quick.",
        ))  # fmt: skip
    if run.diverged is not None:
        rate = run.diverged.learning_rate
        notes.append((
            "error",
            f"The cost exploded at iteration {run.diverged.iteration:,} with learning rate "
            f"{rate:g}: each step overshoots the minimum by more than the last, until the "
            f"numbers no longer fit in a float. Pick a smaller learning rate (try {rate / 10:g}) "
            "and press Play, or Reset for fresh weights.",
        ))  # fmt: skip
    elif len(run.costs) > 5 and run.costs[-1] > run.costs[0]:
        notes.append((
            "warning",
            f"The cost is growing instead of shrinking: learning rate "
            f"{run.settings.learning_rate:g} overshoots. Lower it, or Reset.",
        ))  # fmt: skip
    elif run.error:
        notes.append(("error", run.error))
    if not run.trainer.n:
        notes.append(("info", "There are no training points: add some, then press Play."))
    if run.notice and run.iteration == run.notice_at:
        notes.append(("info", run.notice))
    return notes
