"""Record a GIF of a lesson's main view while a network trains, for slides and homework.

``training_frames`` trains a trainer it is given (a copy: never the student's run) and renders
its network at evenly spaced iterations; ``gif_bytes`` encodes the frames with Pillow;
``figure_frame`` turns a matplotlib figure (a plot, for a lesson whose main view is one) into a
frame. All are pure (no Streamlit). The bounds keep a GIF small enough to download on a class
network and to paste into slides: at most ``MAX_FRAMES`` frames of at most ``MAX_SIDE`` ×
``MAX_SIDE`` pixels, and at most ``MAX_BYTES`` bytes once encoded.
"""

import io
from collections.abc import Callable, Sequence

import numpy as np
from PIL import Image

import nn

MAX_FRAMES = 60
MAX_SIDE = 400  # pixels, each side
MAX_BYTES = 2_000_000
FRAMES = 30  # what a lesson records by default: 3 s at FRAME_MS
FRAME_MS = 100
LAST_FRAME_MS = 1500  # the end holds: the picture the training arrived at


def _checked(frames: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The frames as arrays, each H×W or H×W×3 uint8 of one shape within the bounds."""
    if isinstance(frames, np.ndarray) or not isinstance(frames, Sequence):
        raise TypeError(
            f"frames must be a list of images (H×W or H×W×3 uint8 arrays), got "
            f"{type(frames).__name__}"
        )
    if not 1 <= len(frames) <= MAX_FRAMES:
        raise ValueError(
            f"a GIF takes 1 to {MAX_FRAMES} frames, got {len(frames)}; record fewer snapshots"
        )
    arrays = []
    for number, frame in enumerate(frames):
        if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8:
            kind = frame.dtype if isinstance(frame, np.ndarray) else type(frame).__name__
            raise TypeError(
                f"frame {number} must be a uint8 array, got {kind}; colour it first "
                "(e.g. kit.colormaps.apply)"
            )
        if not (frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] == 3)):
            raise ValueError(
                f"frame {number} has shape {frame.shape}; a frame is H×W (grey) or H×W×3 (RGB)"
            )
        if frame.shape != frames[0].shape:
            raise ValueError(
                f"frame {number} has shape {frame.shape} but frame 0 has {frames[0].shape}; "
                "every frame of a GIF has the same size"
            )
        arrays.append(frame)
    height, width = arrays[0].shape[:2]
    if not (1 <= height <= MAX_SIDE and 1 <= width <= MAX_SIDE):
        raise ValueError(
            f"frames are {width} × {height} pixels; each side may be 1 to {MAX_SIDE}: "
            "render the view smaller"
        )
    return arrays


def gif_bytes(
    frames: Sequence[np.ndarray], frame_ms: int = FRAME_MS, last_frame_ms: int = LAST_FRAME_MS
) -> bytes:
    """An animated GIF (looping) of ``frames``: 1 to MAX_FRAMES uint8 arrays of one shape,
    H×W (grey) or H×W×3 (RGB), each side at most MAX_SIDE pixels. Each frame shows for
    ``frame_ms`` milliseconds, the last for ``last_frame_ms``. RGB frames share one adaptive
    palette of 256 colours (taken from all the frames, so colours do not flicker). Raises
    TypeError or ValueError saying what is wrong, and ValueError when the GIF would pass
    MAX_BYTES."""
    arrays = _checked(frames)
    for name, value in (("frame_ms", frame_ms), ("last_frame_ms", last_frame_ms)):
        if isinstance(value, bool) or not isinstance(value, int) or not 20 <= value <= 10_000:
            raise ValueError(f"{name} must be a whole number of milliseconds, 20 to 10000")
    if arrays[0].ndim == 2:
        images = [Image.fromarray(frame, "L") for frame in arrays]
    else:
        # One palette for the whole film: quantise the frames stacked as one tall image.
        palette = Image.fromarray(np.concatenate(arrays), "RGB").quantize(256)
        images = [Image.fromarray(frame, "RGB").quantize(palette=palette) for frame in arrays]
    buffer = io.BytesIO()
    durations = [frame_ms] * (len(images) - 1) + [last_frame_ms]
    images[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=durations,
        loop=0,
        optimize=False,
    )
    data = buffer.getvalue()
    if len(data) > MAX_BYTES:
        raise ValueError(
            f"the GIF would take {len(data):,} bytes, more than {MAX_BYTES:,}; "
            "record fewer frames or a smaller view"
        )
    return data


def snapshot_iterations(iterations: int, count: int = FRAMES) -> list[int]:
    """``count`` (at most MAX_FRAMES) distinct iterations from 0 to ``iterations``, evenly
    spaced, both ends included (fewer when ``iterations`` is small)."""
    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 0:
        raise ValueError(f"iterations must be a whole number of at least 0, got {iterations!r}")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_FRAMES:
        raise ValueError(f"a GIF records 1 to {MAX_FRAMES} frames, got {count!r}")
    return sorted({round(value) for value in np.linspace(0, iterations, count)})


def training_frames(
    trainer: nn.Trainer,
    iterations: int,
    render: Callable[[nn.Network], np.ndarray],
    count: int = FRAMES,
) -> list[np.ndarray]:
    """Train ``trainer`` (an ``nn.Trainer`` the caller owns, e.g. a fresh one of the run's
    spec: this function moves its network) for ``iterations`` steps and return
    ``render(network)`` at each of ``snapshot_iterations(iterations, count)``. A training that
    diverges stops the film at its last finite frame."""
    frames, done = [], 0
    for target in snapshot_iterations(iterations, count):
        if target > done:
            try:
                with np.errstate(over="ignore", invalid="ignore"):
                    for _ in trainer.run(target - done, every=target - done):
                        pass
            except nn.TrainingDiverged:
                break  # the frames so far show it: the next would be all NaN
            done = target
        frames.append(render(trainer.network))
    return frames


def figure_frame(figure) -> np.ndarray:
    """A matplotlib ``Figure`` drawn now as one RGB frame, H×W×3 uint8 (its size in inches
    times its dpi; keep both sides within MAX_SIDE). Agg only, no pyplot: a lesson may build
    one figure and redraw it for every frame, changing its lines' data in between."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()
