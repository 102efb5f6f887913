"""The Mustafar lesson without Streamlit: a picture becomes samples (row, column) -> pixel, the
live view's metrics, dead relu units, the presets' schedules and the code that rebuilds (X, Y).

Rendering, upscaling, scores and model files are in ``lessons.mustafar.enhance`` (also pure).
"""

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from PIL import Image

import nn
from datasets import (
    ImageError,
    image_to_xy,
    load_image,
    load_transmission,
    load_tutorial_npz,
    xy_to_image,
)
from datasets.images import MAX_ASPECT, MAX_PIXELS, MIN_SIDE, shrink
from kit import MAX_UPLOAD_MB
from kit.settings import INITS, LABELS, LEARNING_RATES, OPTIMIZERS, OutputSpec, Settings
from lessons.mustafar.enhance import score
from nn.presets import FAST_IMAGE, TUTORIAL_IMAGE
from nn.schedules import Schedule

DEFAULT_TRANSMISSION = "helmet"
MODES = {"1bit": "1-bit", "gray": "Grayscale", "rgb": "RGB (3 outputs)"}
MAX_RESOLUTION = 200  # longest side the lesson trains on: more pixels, slower frames
# A picture is kept at MAX_RESOLUTION px on its longest side at most: the training pixels, the
# full-resolution pixels the enhance comparison scores on and the target it shows are no larger.
DEFAULT_RESOLUTION = 100
MIN_RESOLUTION = 8
UPLOAD_TYPES = ["png", "jpg", "jpeg", "gif", "webp", "bmp"]
# Per uploaded file, in Streamlit's megabytes (MiB), like .streamlit/config.toml's maxUploadSize.
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 2**20
PICTURE_RULES = (
    f"At most {MAX_UPLOAD_MB} MB and {MAX_PIXELS / 1e6:g} megapixels; each side at least "
    f"{MIN_SIDE} px, the long side at most {MAX_ASPECT:g} times the short one. Transparent "
    "parts count as white paper."
)
# The tutorial's run at seed 1 kills its last relu layer within the first lr-2.8 steps on the
# helmet (cost stuck at 0.6778); seed 2 learns (0.27 after 1,000 iterations).
TUTORIAL_SEED = 2
COST = "cost (all pixels)"  # the live view's name of the cost over every training pixel


# ---- the picture -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Picture:
    """The picture being learned: a name to show, the image, a key that changes with it, and
    the (width, height) it came at when it was made smaller to be kept."""

    name: str
    image: Image.Image
    key: str
    shrunk_from: tuple[int, int] | None = None


def kept_picture(name: str, image: Image.Image, key: str) -> Picture:
    """The picture as the session keeps it: at most MAX_RESOLUTION px on its longest side."""
    small = shrink(image, MAX_RESOLUTION)
    return Picture(name, small, key, None if small is image else image.size)


def shrunk_note(picture: Picture) -> str | None:
    """What the student reads when their picture was made smaller, or None."""
    if picture.shrunk_from is None:
        return None
    (width, height), (kept_width, kept_height) = picture.shrunk_from, picture.image.size
    return (
        f"Your {width:,} × {height:,} picture is kept at {kept_width} × {kept_height}: the "
        f"lesson never uses more than {MAX_RESOLUTION} px a side."
    )


def builtin_picture(name: str) -> Picture:
    """The built-in transmission ``name`` (raises DatasetError for an unknown name)."""
    return kept_picture(f"the {name} transmission", load_transmission(name), f"builtin:{name}")


def uploaded_picture(name: str, data: bytes) -> Picture:
    """A checked upload, kept smaller when it is large (raises ImageError for a bad file; the
    checks run on the file as sent)."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    image = load_image(data, max_bytes=MAX_UPLOAD_BYTES)
    return kept_picture(name, image, f"upload:{digest}")


def npz_picture(name: str, data: bytes) -> Picture:
    """The tutorial's .npz (X, Y) as a 1-bit picture (raises ImageError for a bad file)."""
    _, Y, shape = load_tutorial_npz(data)
    digest = hashlib.sha256(data).hexdigest()[:16]
    return kept_picture(name, xy_to_image(Y, shape, "1bit"), f"npz:{digest}")


class Upload(Protocol):
    """What an uploaded file offers (Streamlit's ``UploadedFile`` does)."""

    size: int

    def getvalue(self) -> bytes: ...


def checked_bytes(upload: Upload) -> bytes:
    """An uploaded file's bytes; an oversized file is refused by its size, before reading it
    (the browser refuses it first, but a script or a raised server limit may not)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ImageError(
            f"the file is {upload.size / 2**20:.1f} MB, over the {MAX_UPLOAD_MB} MB limit per "
            "file (a picture of about 100 × 100 pixels, plenty for this lesson, or a model "
            "this page saved takes far less)"
        )
    return upload.getvalue()


# ---- the picture as samples ------------------------------------------------------------------
@dataclass(frozen=True)
class PictureData:
    """The training pixels (at the training resolution) and the full-resolution ones.

    ``X`` (n, 2) holds each training pixel's (row, column) scaled to [-1, 1], ``Y`` (n, outputs)
    its darkness (1 = black) or (red, green, blue) in [0, 1]; ``shape`` is the training grid's
    (rows, columns[, 3]). ``full_Y`` and ``full_shape`` are the same at the kept picture's size.
    """

    X: np.ndarray
    Y: np.ndarray
    shape: tuple[int, ...]
    full_Y: np.ndarray
    full_shape: tuple[int, ...]
    mode: str
    threshold: float
    resolution: int

    @property
    def outputs(self) -> int:
        """The network's outputs: 3 (red, green, blue) in RGB mode, else 1 (darkness)."""
        return 3 if self.mode == "rgb" else 1


def longest_side(picture: Picture) -> int:
    """The highest training resolution the picture allows: its longest side, at most
    MAX_RESOLUTION."""
    return min(max(picture.image.size), MAX_RESOLUTION)


def picture_data(picture: Picture, mode: str, threshold: float, resolution: int) -> PictureData:
    """The picture as samples at ``resolution`` px on its longest side, and at its full size."""
    X, Y, shape = image_to_xy(picture.image, mode, threshold, resolution)
    _, full_Y, full_shape = image_to_xy(picture.image, mode, threshold, longest_side(picture))
    return PictureData(X, Y, shape, full_Y, full_shape, mode, threshold, resolution)


# ---- what the live view measures -------------------------------------------------------------
def quality_name(data: PictureData) -> str:
    """The quality metric's name: pixel accuracy (1-bit) or PSNR (gray, RGB)."""
    return "pixel accuracy" if data.mode == "1bit" else "PSNR (dB)"


def evaluator(data: PictureData) -> Callable[[nn.Network], dict[str, float]]:
    """The metrics the live view records: the cost over all pixels and the pixel accuracy
    (1-bit) or PSNR (gray, RGB), in float32 like the preview."""

    def evaluate(network: nn.Network) -> dict[str, float]:
        twin = network.astype("float32")
        P = twin.predict(data.X)
        quality = score(P, data.Y, data.mode, data.threshold if data.mode == "1bit" else 0.5)
        return {COST: twin.cost(data.X, data.Y), quality_name(data): quality}

    return evaluate


def dead_units(network: nn.Network, X: np.ndarray) -> list[tuple[int, int, int]]:
    """(hidden layer number, relu units that output 0 for every sample, units) per relu
    layer: a dead unit passes no gradient back, so it never comes back to life."""
    twin = network.astype("float32")
    hidden = [i for i, layer in enumerate(twin.layers[:-1]) if layer.activation.name == "relu"]
    if not hidden:
        return []
    alive = {i: np.zeros(twin.layers[i].units, bool) for i in hidden}
    for start, stop, ws in twin.chunks(len(X)):
        ws.load(np.asarray(X[start:stop], np.float32))
        twin.forward_pass(ws)
        for i in hidden:
            alive[i] |= (ws.A[i][:, : stop - start] > 0).any(axis=1)
    return [(i + 1, int((~alive[i]).sum()), twin.layers[i].units) for i in hidden]


def schedule_rates(preset: nn.RunSpec) -> list[float]:
    """The peak and the last learning rate of a preset's schedule (a warm-up starts near 0)."""
    schedule = nn.schedules.as_schedule(preset.learning_rate)
    return [schedule.peak, schedule(preset.iterations - 1)]


# ---- the exported experiment -----------------------------------------------------------------
def data_code(picture: Picture, data: PictureData) -> str:
    """Python that rebuilds (X, Y) outside the dashboard, for the exported experiment."""
    options = f"mode={data.mode!r}, threshold={data.threshold!r}, resolution={data.resolution}"
    if picture.key.startswith("builtin:"):
        name = picture.key.split(":", 1)[1]
        return (
            "from datasets import image_to_xy, load_transmission\n"
            f"X, Y, shape = image_to_xy(load_transmission({name!r}), {options})"
        )
    if picture.key.startswith("npz:"):
        read = (
            "from datasets import load_tutorial_npz, xy_to_image\n"
            "with open('tutorial.npz', 'rb') as file:  # the tutorial's .npz\n"
            "    _, Y0, shape0 = load_tutorial_npz(file.read())\n"
            "picture = xy_to_image(Y0, shape0)\n"
        )
    else:
        read = (
            "from datasets import load_image\n"
            "with open('picture.png', 'rb') as file:  # your picture\n"
            "    picture = load_image(file.read())\n"
        )
    return (
        "from datasets import image_to_xy\nfrom datasets.images import shrink\n"
        + read
        + f"picture = shrink(picture, {MAX_RESOLUTION})  # as the dashboard keeps it\n"
        f"X, Y, shape = image_to_xy(picture, {options})"
    )


def picture_output(data: PictureData) -> OutputSpec:
    """The output layer the picture dictates: sigmoid units (one per output), cross-entropy."""
    return OutputSpec(2, data.outputs, "sigmoid", "cross_entropy")


# ---- the presets in the sidebar's words ------------------------------------------------------
def preset_settings(preset: nn.RunSpec, **run_controls) -> Settings:
    """The sidebar's settings for ``preset``: its layers, init, optimizer and batch size, and
    the learning-rate slider's stop nearest to its peak rate (the run follows the preset's
    own rate or schedule); ``run_controls`` are the seed, the speed and the like."""
    first = nn.schedules.as_schedule(preset.learning_rate).peak
    return Settings(
        depth=preset.depth,
        units=tuple(units for units, _ in preset.hidden),
        activations=tuple(activation for _, activation in preset.hidden),
        learning_rate=min(LEARNING_RATES, key=lambda rate: abs(math.log(rate / first))),
        optimizer=preset.optimizer,
        batch_size=preset.batch_size,
        init=preset.init,
        init_scale=preset.init_scale,
        max_iterations=preset.iterations,
        **run_controls,
    )


TUTORIAL = preset_settings(TUTORIAL_IMAGE, seed=TUTORIAL_SEED)
FAST = preset_settings(FAST_IMAGE, seed=1)
PRESETS = {"Fast": (FAST, FAST_IMAGE), "Tutorial": (TUTORIAL, TUTORIAL_IMAGE)}
FIRST_PRESET = "Fast"  # the page's defaults (FAST): "Back to" offers it until another is used
# What a preset's recipe sets; the seed, the stopping controls and the speed stay
# the student's at any preset.
RECIPE = (
    "depth",
    "units",
    "activations",
    "learning_rate",
    "optimizer",
    "batch_size",
    "l2",
    "init",
    "init_scale",
)


def _shown(field: str, value) -> str:
    """A recipe setting's value in the sidebar's words."""
    if field == "optimizer":
        return OPTIMIZERS[value]
    if field == "init":
        return INITS[value]
    if field == "batch_size":
        return "full batch" if value is None else f"{value:,}"
    if field == "l2" and not value:
        return "none"
    return f"{value:g}"


def differences(settings: Settings, name: str) -> list[str]:
    """What in ``settings`` differs from preset ``name``'s recipe (``RECIPE``), one phrase each
    in a student's words, e.g. 'batch size 256 instead of 512'; empty when the settings are the
    preset's. The init scale counts with the tutorial init only: the others ignore it."""
    theirs, preset = PRESETS[name]
    said = []
    if settings.hidden_layers() != theirs.hidden_layers():
        mine, wanted = settings.architecture_label(), theirs.architecture_label()
        said.append(f"hidden layers {mine} instead of {wanted}")
    for field in RECIPE:
        mine, wanted = getattr(settings, field), getattr(theirs, field)
        if field in ("depth", "units", "activations") or mine == wanted:
            continue
        if field == "init_scale" and not settings.init == theirs.init == "tutorial":
            continue
        planned = _shown(field, wanted)
        if field == "learning_rate" and isinstance(preset.learning_rate, Schedule):
            first, last = schedule_rates(preset)
            planned = f"the {name} preset's schedule ({first:g} → {last:g})"
        said.append(f"{LABELS[field].lower()} {_shown(field, mine)} instead of {planned}")
    return said


def preset_of(settings: Settings) -> tuple[str, nn.RunSpec] | None:
    """The preset whose recipe these settings are (any seed and run controls), or None."""
    for name, (_, preset) in PRESETS.items():
        if not differences(settings, name):
            return name, preset
    return None


def back_to(settings: Settings, name: str) -> Settings:
    """``settings`` with preset ``name``'s recipe; the seed and the run controls stay."""
    theirs = PRESETS[name][0]
    return replace(settings, **{field: getattr(theirs, field) for field in RECIPE})
