"""The Enhance viewer's work, without Streamlit: evaluate a trained picture network on grids much
finer than the picture, upscale the training pixels for comparison, score, save and load models.
The panels that show it are in ``lessons.mustafar.views``.

Rendering goes band by band (rows at a time) through the engine's chunked float32
``nn.fast.render.predict_grid``, turning each band into pixels at once, so extra memory stays one
band plus the output image, and a progress bar can move. The free viewer shows a view that is
not rendered yet as a quick preview first (the same view on a coarser grid, tens of
milliseconds), which the full picture then replaces in the same place. The comparison upscales
the training image with Pillow (nearest and bicubic) and scores every method on the
full-resolution pixels the network never saw.
"""

import io
import math
import time
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

import nn
from datasets import xy_to_image
from nn.fast.render import predict_grid

FULL_EXTENT = (-1.0, 1.0, -1.0, 1.0)  # (top, bottom, left, right) in the network's coordinates
BAND_POINTS = 1_000_000  # grid points per band: the progress bar's step and the memory bound
FIGURE_9_STEPS = (0.1, 0.05, 0.001)
MAX_SIDE = 4000
# Grid points × parameters one picture may cost: the tutorial network's 4000 × 4000 (about 3 s
# here). A bigger network gets fewer pixels, so no render holds a shared server for long.
RENDER_WORK = 35_000_000_000
# A preview's grid points × parameters (1/70 of RENDER_WORK) and grid points: about 30 ms here
# for any network (484 × 515 px for a 3760 × 4000 view of the tutorial network), so it reaches
# the page well within 250 ms. Small networks cost per point more than per parameter.
PREVIEW_WORK = 500_000_000
PREVIEW_POINTS = 250_000
DISPLAY_SIDE = 900  # what the browser gets for a panel: crisp on a projector, light to send
VIEWER_WIDTH = 720  # the free viewer's width on the page, preview and full picture alike
ZOOMS = (1, 2, 4, 8, 16, 32, 64)
OUTPUT_FORMATS = {"smooth": "Smooth (probability)", "threshold": "Thresholded (1-bit)"}


def band_rows(cols: int, points: int = BAND_POINTS) -> int:
    """Rows per band so a band holds about ``points`` grid points."""
    return max(1, points // max(cols, 1))


def render(
    network: nn.Network,
    rows: int,
    cols: int,
    mode: str,
    threshold: float | None = 0.5,
    extent: tuple[float, float, float, float] = FULL_EXTENT,
    progress: Callable[[float], None] | None = None,
) -> Image.Image:
    """The network's picture on a rows x cols grid over ``extent`` (top, bottom, left, right),
    as a Pillow image ("L" or "RGB"). ``threshold=None`` keeps the probability (1-bit mode).
    ``progress(share)`` is called after each band with the share of rows done."""
    if not (1 <= rows <= MAX_SIDE and 1 <= cols <= MAX_SIDE):
        raise ValueError(f"the output can be 1 to {MAX_SIDE} pixels a side; got {cols} x {rows}")
    top, bottom, left, right = extent
    row_coords = np.linspace(top, bottom, rows)
    channels = 3 if mode == "rgb" else 1
    pixels = np.empty((rows, cols, channels) if channels == 3 else (rows, cols), np.uint8)
    step = band_rows(cols)
    for start in range(0, rows, step):
        stop = min(start + step, rows)
        band_extent = (row_coords[start], row_coords[stop - 1], left, right)
        P = predict_grid(network, stop - start, cols, extent=band_extent)
        pixels[start:stop] = to_pixels(P if channels == 3 else P[..., 0], mode, threshold)
        if progress is not None:
            progress(stop / rows)
    return Image.fromarray(pixels, "RGB" if channels == 3 else "L")


def affordable(rows: int, cols: int, parameters: int, work: float = RENDER_WORK) -> tuple[int, int]:
    """(rows, cols), scaled down (aspect ratio kept) when rows × cols × parameters would pass
    ``work``."""
    scale = min(1.0, math.sqrt(work / (rows * cols * parameters)))
    return max(1, math.floor(rows * scale)), max(1, math.floor(cols * scale))


def preview_size(rows: int, cols: int, parameters: int) -> tuple[int, int]:
    """(rows, cols) of the quick preview of a rows x cols render: the same aspect ratio, at most
    PREVIEW_WORK grid points × parameters and PREVIEW_POINTS grid points, never more than the
    render itself."""
    rows, cols = affordable(rows, cols, parameters, PREVIEW_WORK)
    return affordable(rows, cols, 1, PREVIEW_POINTS)


def needs_preview(rows: int, cols: int, parameters: int) -> bool:
    """Whether a rows x cols render costs more than a preview, so a preview should come first."""
    return preview_size(rows, cols, parameters) != (rows, cols)


def to_pixels(P: np.ndarray, mode: str, threshold: float | None) -> np.ndarray:
    """Outputs in [0, 1] to 8-bit pixels, as ``xy_to_image`` maps them but in float32 and in
    place: 1-bit thresholded is black where P > threshold; darkness P is 255 (1 - P); RGB 255 P."""
    if mode == "1bit" and threshold is not None:
        return np.where(threshold < P, 0, 255).astype(np.uint8)
    np.clip(P, 0, 1, out=P)
    if mode == "rgb":
        P *= 255
    else:
        P *= -255
        P += 255
    P += 0.5  # round half up
    return P.astype(np.uint8)


def output_size(long_side: int, shape: tuple[int, ...]) -> tuple[int, int]:
    """(rows, cols) with the picture's aspect ratio and ``long_side`` pixels on its longer side."""
    height, width = shape[:2]
    scale = long_side / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def size_options(shape: tuple[int, ...]) -> list[int]:
    """Output long sides from 0.5x the picture up to 4000 px, with the tutorial's 2001."""
    longest = max(shape[:2])
    scaled = {max(2, round(longest * s)) for s in (0.5, 1, 2, 4, 8, 16)}
    return sorted({side for side in scaled if side < 2001} | {2001, MAX_SIDE})


def size_label(long_side: int, shape: tuple[int, ...]) -> str:
    rows, cols = output_size(long_side, shape)
    scale = long_side / max(shape[:2])
    return f"{scale:.3g}× · {cols}×{rows} px"


def zoom_extent(
    centre_row: float, centre_col: float, zoom: float
) -> tuple[float, float, float, float]:
    """The window (top, bottom, left, right) of 1/zoom of the picture around the centre (each in
    [-1, 1]), slid back inside the picture where it would stick out."""
    half = 1.0 / zoom
    row = min(max(centre_row, -1 + half), 1 - half)
    col = min(max(centre_col, -1 + half), 1 - half)
    return row - half, row + half, col - half, col + half


def mark_window(picture: Image.Image, extent: tuple[float, float, float, float]) -> Image.Image:
    """A copy of the picture (enlarged to at least 300 px) with the zoom window outlined in red."""
    scale = max(1, math.ceil(300 / max(picture.size)))
    marked = picture.convert("RGB").resize(
        (picture.width * scale, picture.height * scale), Image.Resampling.NEAREST
    )
    top, bottom, left, right = extent
    width, height = marked.size
    box = [
        (left + 1) / 2 * (width - 1),
        (top + 1) / 2 * (height - 1),
        (right + 1) / 2 * (width - 1),
        (bottom + 1) / 2 * (height - 1),
    ]
    ImageDraw.Draw(marked).rectangle(box, outline=(230, 30, 30), width=max(2, width // 150))
    return marked


def for_display(image: Image.Image, side: int = DISPLAY_SIDE) -> Image.Image:
    """The image as the browser should get it: small grids blown up with hard pixel edges
    (what the grid really holds), large renders shrunk smoothly to ``side`` pixels."""
    longest = max(image.size)
    if longest < side:
        factor = max(1, side // longest)
        return image.resize((image.width * factor, image.height * factor), Image.Resampling.NEAREST)
    if longest > side:
        scale = side / longest
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        return image.resize(size, Image.Resampling.BOX)
    return image


def upscale(
    picture: Image.Image,
    rows: int,
    cols: int,
    method: Image.Resampling,
    extent: tuple[float, float, float, float] = FULL_EXTENT,
) -> Image.Image:
    """Pillow's upscaling of ``picture`` to cols x rows over the same window as the network's
    grid: coordinate -1 is the first pixel's centre and +1 the last one's, so the first and
    last output pixels sit exactly where the network's grid points do."""
    top, bottom, left, right = extent
    width, height = picture.size
    x0, x1 = _source_span(left, right, width, cols)
    y0, y1 = _source_span(top, bottom, height, rows)
    return picture.resize((cols, rows), method, box=(x0, y0, x1, y1))


def _source_span(low: float, high: float, pixels: int, out: int) -> tuple[float, float]:
    """Pillow's box edges (pixel i spans [i, i + 1]) that put output pixel 0's centre on the
    source position of ``low`` and the last one's on ``high``; kept inside the picture, which
    an output with fewer pixels than the source would otherwise overstep."""
    first = (low + 1) / 2 * (pixels - 1) + 0.5
    last = (high + 1) / 2 * (pixels - 1) + 0.5
    step = (last - first) / max(out - 1, 1)
    return max(first - step / 2, 0.0), min(first - step / 2 + out * step, float(pixels))


def image_values(image: Image.Image, mode: str) -> np.ndarray:
    """Pixels as the lesson's targets: darkness (1 = black) for 1-bit and gray, RGB / 255."""
    values = np.asarray(image, dtype=np.float64) / 255.0
    return values.reshape(-1, 3) if mode == "rgb" else 1.0 - values.reshape(-1, 1)


def score(P: np.ndarray, Y: np.ndarray, mode: str, threshold: float = 0.5) -> float:
    """How close predictions P are to the true pixels Y: the share of pixels right (1-bit,
    P above 0.5 means dark) or the PSNR in dB, 10 log10(1 / mean squared error) (gray, RGB)."""
    P, Y = np.clip(np.asarray(P, float), 0, 1), np.asarray(Y, float)
    if mode == "1bit":
        return float(np.mean((threshold < P) == (Y > 0.5)))
    mse = float(np.mean((P - Y) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(1 / mse)


def score_label(value: float, mode: str) -> str:
    if mode == "1bit":
        return f"{value:.2%} of pixels right"
    return "∞ dB (exact)" if math.isinf(value) else f"PSNR {value:.2f} dB"


def short_score(value: float, mode: str) -> str:
    """A score short enough for a metric tile: '96.04%' or '23.46 dB'."""
    return score_label(value, mode).removesuffix(" of pixels right").removeprefix("PSNR ")


def compare(
    network: nn.Network,
    train_Y: np.ndarray,
    train_shape: tuple[int, ...],
    full_Y: np.ndarray,
    full_shape: tuple[int, ...],
    mode: str,
) -> dict[str, float]:
    """Score nearest, bicubic and the network against the full-resolution pixels, all three
    starting from the training pixels only."""
    rows, cols = full_shape[:2]
    training = xy_to_image(train_Y, train_shape, mode, threshold=None)
    scores = {}
    for name, method in (
        ("nearest", Image.Resampling.NEAREST),
        ("bicubic", Image.Resampling.BICUBIC),
    ):
        upscaled = upscale(training, rows, cols, method)
        scores[name] = score(image_values(upscaled, mode), full_Y, mode)
    P = predict_grid(network, rows, cols).reshape(rows * cols, -1)
    scores["network"] = score(P, full_Y, mode)
    return scores


def png_bytes(image: Image.Image) -> bytes:
    """The image as PNG file bytes (what the download button sends)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=3)
    return buffer.getvalue()


def model_bytes(network: nn.Network, settings: dict | None = None) -> bytes:
    """The network as .npz file bytes (``Network.save``), loadable with ``Network.load``."""
    buffer = io.BytesIO()
    network.save(buffer, settings)
    return buffer.getvalue()


def load_model(data: bytes, outputs: int) -> nn.Network:
    """A saved model from .npz bytes, checked to map (row, column) to ``outputs`` values;
    raises nn.ModelFileError (or NetworkError) with a message a student can act on."""
    network = nn.Network.load(io.BytesIO(data))
    if network.input_dim != 2:
        raise nn.NetworkError(
            f"this model takes {network.input_dim} inputs, but a picture network takes 2: "
            "the pixel's (row, column)"
        )
    if network.output_dim != outputs:
        kind = "3 (red, green, blue) for RGB" if outputs == 3 else "1 for 1-bit or grayscale"
        raise nn.NetworkError(
            f"this model has {network.output_dim} outputs; this mode needs {kind}. "
            "Switch the mode to match the model"
        )
    return network


def timed(function, *args, **kwargs):
    """(result, seconds)."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def quick_preview(
    network: nn.Network,
    rows: int,
    cols: int,
    mode: str,
    threshold: float | None,
    extent: tuple[float, float, float, float] = FULL_EXTENT,
) -> tuple[Image.Image, float]:
    """(image, seconds): the rows x cols view rendered at ``preview_size``."""
    small_rows, small_cols = preview_size(rows, cols, network.parameter_count)
    return timed(render, network, small_rows, small_cols, mode, threshold, extent)


def output_threshold(mode: str, output_format: str, threshold: float) -> float | None:
    """The threshold xy_to_image should use: only 1-bit pictures can be thresholded."""
    return threshold if mode == "1bit" and output_format == "threshold" else None


def upscaled_view(
    training: Image.Image,
    rows: int,
    cols: int,
    method: Image.Resampling,
    extent: tuple[float, float, float, float],
    threshold: float | None,
) -> Image.Image:
    """``upscale`` of the training picture as the comparison shows it beside the network's
    render: thresholded like it (black where darkness > threshold) when ``threshold`` is set."""
    upscaled = upscale(training, rows, cols, method, extent)
    if threshold is None:
        return upscaled
    return upscaled.point(lambda v: 0 if v < 255 * (1 - threshold) else 255)


# ---- the session's renders -------------------------------------------------------------------
RENDER_CACHE = 6  # renders kept per session, the longest unshown dropped first,
RENDER_CACHE_MB = 64  # and at most this many MB of pixels (a 4000 x 4000 RGB render is 48)
Rendered = tuple[Image.Image, float]  # (image, seconds it took)


def render_key(
    model_key,
    rows: int,
    cols: int,
    mode: str,
    threshold: float | None,
    extent: tuple[float, float, float, float],
) -> tuple:
    """What a render depends on: the model's state and the view (extent rounded so the same
    slider positions give the same key)."""
    return (model_key, rows, cols, mode, threshold, tuple(round(v, 9) for v in extent))


def megabytes(renders: dict[tuple, Rendered]) -> float:
    """The renders' pixels, in MB."""
    return sum(len(im.getbands()) * im.width * im.height for im, _ in renders.values()) / 1e6


def keep_recent(
    renders: dict[tuple, Rendered], count: int = RENDER_CACHE, mb: float = RENDER_CACHE_MB
) -> None:
    """Drop the renders shown longest ago (first in ``renders``) until at most ``count`` are
    left holding at most ``mb`` MB of pixels; the last one shown always stays."""
    while len(renders) > 1 and (len(renders) > count or megabytes(renders) > mb):
        renders.pop(next(iter(renders)))


def fitted_note(parameters: int, asked: tuple[int, int], fitted: tuple[int, int]) -> str | None:
    """Why a render of ``asked`` (rows, cols) is drawn at ``fitted`` (``affordable``), or None
    when it is drawn as asked."""
    if fitted == asked:
        return None
    (rows, cols), (fitted_rows, fitted_cols) = asked, fitted
    return (
        f"Drawn at {fitted_cols:,} × {fitted_rows:,} px instead of {cols:,} × {rows:,}: "
        f"this network has {parameters:,} parameters, and one picture is kept "
        f"to {RENDER_WORK / 1e9:g} billion multiply-adds (a few seconds on the class "
        "server). A smaller network renders larger pictures."
    )


def preview_caption(preview: Image.Image, seconds: float, rows: int, cols: int) -> str:
    """What the viewer says under the preview of a rows x cols render."""
    return (
        f"**Preview** at {preview.width:,} × {preview.height:,} px (drawn in {seconds:.2f} s): "
        f"the full picture, {cols:,} × {rows:,} px, is rendering and replaces it here."
    )


def full_caption(image: Image.Image, seconds: float, zoom: int) -> str:
    """What the viewer says under the full render."""
    rows, cols = image.height, image.width
    return (
        f"**Full picture**: {cols:,} × {rows:,} px = {rows * cols:,} network evaluations in "
        f"{seconds:.2f} s (float32, {band_rows(cols):,} rows per band)"
        + ("" if zoom == 1 else f", {zoom}× zoom: {1 / zoom:.0%} of the picture's width")
    )
