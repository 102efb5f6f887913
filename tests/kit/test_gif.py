"""kit.gif: the frames a GIF takes (bounds and errors), the GIF Pillow reads back, a film of a
real training (the Rose page's "Record a GIF": test_gif_page.py)."""

import io

import numpy as np
import pytest
from PIL import Image, ImageSequence

import nn
from kit.gif import (
    FRAMES,
    MAX_BYTES,
    MAX_FRAMES,
    MAX_SIDE,
    gif_bytes,
    snapshot_iterations,
    training_frames,
)


def gradient(height: int, width: int, shift: int = 0, rgb: bool = True) -> np.ndarray:
    row = (np.arange(width) * 255 // max(width - 1, 1) + shift) % 256
    grey = np.tile(row.astype(np.uint8), (height, 1))
    return np.stack([grey, 255 - grey, np.full_like(grey, 128)], axis=2) if rgb else grey


def read(data: bytes) -> list[Image.Image]:
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF"
    return [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]


@pytest.mark.parametrize("rgb", [True, False])
def test_a_gif_holds_every_frame_at_its_size(rgb: bool):
    frames = [gradient(30, 50, shift=40 * k, rgb=rgb) for k in range(5)]
    pictures = read(gif_bytes(frames))
    assert len(pictures) == 5 and all(p.size == (50, 30) for p in pictures)
    # The colours survive the palette: each frame reads back close to what was given.
    for given, back in zip(frames, pictures, strict=True):
        expected = given if rgb else np.stack([given] * 3, axis=2)
        assert np.abs(np.asarray(back, dtype=int) - expected).mean() < 4


def test_the_last_frame_holds_and_the_film_loops():
    image = Image.open(io.BytesIO(gif_bytes([gradient(8, 8, k) for k in range(3)], 80, 1200)))
    durations = [frame.info["duration"] for frame in ImageSequence.Iterator(image)]
    assert durations == [80, 80, 1200] and image.info["loop"] == 0


@pytest.mark.parametrize(
    ("frames", "error", "message"),
    [
        ([], ValueError, f"1 to {MAX_FRAMES} frames, got 0"),
        ([gradient(4, 4)] * (MAX_FRAMES + 1), ValueError, f"got {MAX_FRAMES + 1}"),
        ([gradient(4, MAX_SIDE + 1)], ValueError, f"each side may be 1 to {MAX_SIDE}"),
        ([gradient(4, 4), gradient(4, 5)], ValueError, "every frame of a GIF has the same size"),
        ([gradient(4, 4).astype(float)], TypeError, "must be a uint8 array, got float64"),
        ([np.zeros((4, 4, 4), np.uint8)], ValueError, "H×W (grey) or H×W×3 (RGB)"),
        (np.zeros((2, 4, 4), np.uint8), TypeError, "a list of images"),
    ],
)
def test_frames_out_of_bounds_are_refused_saying_what_to_do(frames, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        gif_bytes(frames)


def test_a_gif_past_the_byte_bound_is_refused():
    noise = np.random.default_rng(0).integers(0, 256, (MAX_SIDE, MAX_SIDE, 3), dtype=np.uint8)
    frames = [np.roll(noise, k, axis=0) for k in range(15)]  # incompressible: ~160 kB each
    with pytest.raises(ValueError, match=f"more than {MAX_BYTES:,}; record fewer frames"):
        gif_bytes(frames)


def test_snapshots_are_evenly_spaced_from_0_to_the_end():
    assert snapshot_iterations(100, 5) == [0, 25, 50, 75, 100]
    assert snapshot_iterations(2, 30) == [0, 1, 2]
    assert len(snapshot_iterations(5000)) == FRAMES
    with pytest.raises(ValueError, match="1 to 60 frames"):
        snapshot_iterations(100, MAX_FRAMES + 1)


def test_training_frames_film_a_trainer_at_each_snapshot():
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    Y = 3 * X + 1
    net = nn.Network(loss="mse", seed=0)
    net.add(1, activation="linear", input_dim=1)
    seen = []

    def render(network: nn.Network) -> np.ndarray:
        seen.append(float(network.cost(X, Y)))
        return np.full((4, 4), len(seen), np.uint8)

    trainer = net.trainer(X, Y, learning_rate=0.1)
    frames = training_frames(trainer, 40, render, count=5)
    assert trainer.iteration == 40 and len(frames) == 5
    assert seen == sorted(seen, reverse=True) and seen[-1] < seen[0] / 10  # it learned


def test_a_diverging_training_ends_the_film_at_its_last_finite_frame():
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    net = nn.Network(loss="mse", seed=0)
    net.add(1, activation="linear", input_dim=1)
    trainer = net.trainer(X, 1e3 * X, learning_rate=50.0)
    frames = training_frames(trainer, 1000, lambda n: np.zeros((2, 2), np.uint8), count=20)
    assert 1 <= len(frames) < 20


def test_a_matplotlib_figure_becomes_a_frame_of_its_pixel_size():
    from matplotlib.figure import Figure

    from kit.gif import figure_frame

    fig = Figure(figsize=(2.0, 1.0), dpi=50)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axvspan(0.0, 0.5, color="#ff0000")
    ax.set(xlim=(0, 1), xticks=[], yticks=[])
    frame = figure_frame(fig)
    assert frame.shape == (50, 100, 3) and frame.dtype == np.uint8
    assert (frame[25, 10] == (255, 0, 0)).all() and (frame[25, 90] == 255).all()
    ax.axvspan(0.5, 1.0, color="#0000ff")  # drawn again after a change: the frame shows it
    assert (figure_frame(fig)[25, 90] == (0, 0, 255)).all()
    assert len(gif_bytes([frame, figure_frame(fig)])) <= MAX_BYTES
