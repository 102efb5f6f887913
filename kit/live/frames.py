"""Frames are data: a batch trains a run and takes snapshots of it along the way.

A snapshot is a small dict: the iteration ``i``, the ``cost``, the learning rate ``lr``, the
new curve points ``pts`` since the last snapshot, and the lesson's own readouts ``read`` and
panel values ``v`` (``Views``). ``encode`` turns a picture into the bytes a panel paints.
"""

import base64
import bisect
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kit.charts import thin
from kit.live.run import Run

FPS = 30  # snapshots played a second, at most
SNAPSHOT_SHARE = 0.2  # of a batch's budget, at most, for taking its snapshots
MEASURE_SECONDS = 0.25  # of animation between two measures of the metrics (passes over data)
POINTS_PER_FRAME = 8  # cost points a snapshot adds to the curve, at most
FULL_CURVE_POINTS = 600  # per series, in a full payload


@dataclass
class Batch:
    """Snapshots, the milliseconds each is shown, the processor seconds spent in training steps
    and the batch's wall time."""

    frames: list[dict]
    frame_ms: int
    training: float
    spent: float


# The lesson's views of a run: {"read": {"label": "text"}, "v": {panel id: value}}.
Views = Callable[[Run], dict]


def encode(values: np.ndarray, low: float = 0.0, high: float = 1.0) -> dict:
    """A picture for a panel: ``values`` (rows × columns, or × 3 for colour) mapped from
    [low, high] to one byte each, base64; row 0 is the top row."""
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging network's huge values
        scaled = np.clip((np.asarray(values, dtype=float) - low) / (high - low), 0.0, 1.0)
    pixels = np.ascontiguousarray(np.round(np.nan_to_num(scaled) * 255).astype(np.uint8))
    rows, columns = pixels.shape[:2]
    return {"w": columns, "h": rows, "b64": base64.b64encode(pixels.tobytes()).decode("ascii")}


def rounded(values, digits: int = 4) -> list:
    """Numbers for the browser, to ``digits`` significant digits (not-a-number as None), as
    one flat list."""
    flat = np.asarray(values, dtype=float).ravel()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = 10.0 ** (digits - 1 - np.floor(np.log10(np.abs(flat))))
        out = np.where(np.isfinite(scale) & (flat != 0), np.round(flat * scale) / scale, flat)
    if np.isfinite(out).all():  # the usual case: one conversion in C
        return out.tolist()
    return [value if math.isfinite(value) else None for value in out.tolist()]


def _number(value: float | None, digits: int = 6) -> float | None:
    """One number as ``rounded`` gives it, without an array (a snapshot has many)."""
    if value is None or not math.isfinite(value):
        return None
    if value == 0:
        return 0.0
    scale = 10.0 ** (digits - 1 - math.floor(math.log10(abs(value))))
    return round(value * scale) / scale if math.isfinite(scale) else value


def curve_points(run: Run, since: int, limit: int) -> dict[str, list]:
    """Each curve's points after iteration ``since`` (``cost`` and every metric), at most
    ``limit`` evenly spread per series, the latest always kept. Only the new points are read:
    this runs with every snapshot, and a history holds up to 10,000."""
    series = {"cost": (run.costs, lambda k: run.costs[k])}
    for name, history in run.metrics.items():  # values are (iteration, value)
        series[name] = (history, lambda k, history=history: history[k][1])
    out = {}
    for name, (history, value) in series.items():
        start = bisect.bisect_right(history.iterations, since)
        picked, _ = thin(np.arange(start, len(history)), limit)
        if len(picked):
            out[name] = [
                [int(history.iterations[k]), _number(float(value(k)))] for k in picked + start
            ]
    return out


def snapshot(run: Run, views: Views, since: int, points: int = POINTS_PER_FRAME) -> dict:
    """The run now, for the browser; curve points after iteration ``since``."""
    rate = run.trainer.learning_rate(max(run.iteration - 1, 0))
    return {
        "i": run.iteration,
        "cost": _number(run.cost),
        "lr": _number(rate),
        "pts": curve_points(run, since, points),
        **views(run),
    }


def train_batch(run: Run, views: Views, seconds: float, budget: float) -> Batch:
    """Train ``run`` for about ``seconds`` of animation at its speed (``settings.speed``
    steps a second; 0: as fast as it goes), within ``budget`` seconds of work.

    Snapshots come FPS a second, fewer when taking them would cost more than SNAPSHOT_SHARE
    of the budget (a big network's views are slow): each is then shown longer, and the
    training keeps the rest. At a speed, each snapshot trains ``speed × its time`` steps; as
    fast as it goes, as many as fit in its share of the budget (``run.step_seconds``). The
    page's metrics (``run.measure``) are taken every MEASURE_SECONDS of animation and with the
    batch's last snapshot. A batch that overruns its budget shows its snapshots longer: playback
    stays even."""
    speed = run.settings.speed
    frame = max(1 / FPS, 1 / speed if speed else 0.0)
    frame = max(frame, seconds * run.snapshot_seconds / (SNAPSHOT_SHARE * budget))
    count = max(1, round(seconds / frame))
    share = max(budget / count - run.snapshot_seconds, 0.2 * budget / count)  # of each snapshot
    measure_every = max(1, round(MEASURE_SECONDS / frame))
    frames, start, training = [], time.perf_counter(), 0.0
    for k in range(count):
        if speed:
            every = max(1, round(speed * frame))
        else:  # one step first, to learn its time
            every = max(1, round(share / run.step_seconds)) if run.step_seconds else 1
        began, cpu, since = time.perf_counter(), time.thread_time(), run.iteration
        run.step(every, seconds=max(0.0, budget - (began - start)))
        stepped, training = time.perf_counter(), training + time.thread_time() - cpu
        if run.iteration > since:
            run.step_seconds = _mean(run.step_seconds, (stepped - began) / (run.iteration - since))
        last = k == count - 1 or not run.playing or stepped - start > budget
        if last or (k + 1) % measure_every == 0:
            run.measure()  # its time is not the snapshot's: it comes MEASURE_SECONDS apart
            stepped = time.perf_counter()
        frames.append(snapshot(run, views, since))
        run.snapshot_seconds = _mean(run.snapshot_seconds, time.perf_counter() - stepped)
        if last:
            break
    spent = time.perf_counter() - start
    frame = max(frame, spent / len(frames) * seconds / max(budget, 1e-6))
    return Batch(frames, round(1000 * frame), training, spent)


def _mean(average: float, value: float) -> float:
    """A running mean that follows a change within a few values (0 means none yet)."""
    return value if average == 0 else 0.5 * (average + value)
