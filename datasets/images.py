"""Lesson 4 data: images as training sets, one sample per pixel (the tutorial's "Mustafar" lesson).

A picture of H x W pixels becomes H * W samples: X holds each pixel's (row, column) position scaled
to [-1, 1], Y its darkness (or colour). A network that learns Y from X has memorised the picture
as a function, and can be asked for the colour between the pixels (``make_grid``) to "enhance" it.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
import zipfile

import numpy as np
from PIL import Image, ImageOps

from datasets._errors import DatasetError, check_float, check_int

SUPPORTED_FORMATS: tuple[str, ...] = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
MODES: tuple[str, ...] = ("1bit", "gray", "rgb")
MIN_SIDE = 8
"""Images with a side shorter than this (in pixels) are refused: too little to learn from."""
MAX_ASPECT = 20.0
"""Images whose long side is more than this many times the short side are refused."""
MAX_PIXELS = 20_000_000
"""Images with more pixels than this are refused, from the file's header, before decoding."""
MAX_GRID_POINTS = 25_000_000
_FORMAT_NAMES = "PNG, JPEG, GIF, WebP or BMP"


class ImageError(DatasetError):
    """An image (or .npz) file cannot be used; the message says why and what to try."""


def _flatten_alpha(img: Image.Image) -> Image.Image:
    """Composite an image with transparency onto white, returning RGB."""
    rgba = img.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


def to_l_or_rgb(img: Image.Image) -> Image.Image:
    """Convert any Pillow mode to "L" (single-channel sources) or "RGB" (everything else).

    "1", "L", 16-bit ("I;16", "I": 0..65535 scaled to 0..255) and "F" (clipped to 0..255) give "L";
    "LA"/"La" are put on white and give "L"; palette, RGBA, PA, CMYK, YCbCr, ... give "RGB", with
    transparent parts composited on white.
    """
    mode = img.mode
    if mode in ("L", "RGB"):
        return img
    if mode == "1":
        return img.convert("L")
    if mode.startswith("I"):
        values = np.asarray(img).astype(np.float64)
        if mode.startswith("I;16") or values.max(initial=0) > 255:
            values = values / 257.0
        return Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8), "L")
    if mode == "F":
        values = np.nan_to_num(np.asarray(img, dtype=np.float64), nan=255.0)
        return Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8), "L")
    if mode in ("LA", "La"):
        return _flatten_alpha(img).convert("L")
    has_alpha = "A" in mode or "a" in mode or "transparency" in img.info
    if has_alpha:
        return _flatten_alpha(img)
    return img.convert("RGB")


def _check_size(width: int, height: int, max_pixels: int) -> None:
    pixels = width * height
    if pixels > max_pixels:
        raise ImageError(
            f"the image is {width} x {height} pixels ({pixels / 1e6:.1f} megapixels); at most "
            f"{max_pixels / 1e6:g} megapixels are allowed. Save a smaller copy "
            "(about 100 x 100 pixels is plenty for this lesson)"
        )
    if min(width, height) < MIN_SIDE:
        raise ImageError(
            f"the image is {width} x {height} pixels, too small to learn from; "
            f"each side needs at least {MIN_SIDE} pixels"
        )
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise ImageError(
            f"the image is {width} x {height} pixels: one side is more than {MAX_ASPECT:g} times "
            "the other, and both are stretched to [-1, 1]. Crop it to a squarer shape"
        )


def load_image(
    data: bytes, max_pixels: int = MAX_PIXELS, max_bytes: int = 10_000_000
) -> Image.Image:
    """Decode an uploaded PNG, JPEG, GIF (first frame), WebP or BMP file into a checked image.

    Returns mode "L" for single-channel images (1-bit, grayscale, 16-bit) and "RGB" for all
    others (palette, RGBA and CMYK too; transparency is composited on white). EXIF orientation is
    applied. Raises ImageError for an empty, oversized, unreadable, damaged or unsupported file, for
    more than ``max_pixels`` pixels (checked from the header, before decoding), for a side shorter
    than ``MIN_SIDE`` pixels and for a side more than ``MAX_ASPECT`` times the other.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImageError(f"expected the file's bytes; got {type(data).__name__}")
    size = len(data)
    if size == 0:
        raise ImageError(f"the file is empty (0 bytes); choose a {_FORMAT_NAMES} image")
    if size > max_bytes:
        raise ImageError(
            f"the file is {size / 1e6:.1f} MB; at most {max_bytes / 1e6:g} MB is allowed. "
            "Save a smaller copy (about 100 x 100 pixels is plenty for this lesson)"
        )
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it: make that an error too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(bytes(data)), formats=SUPPORTED_FORMATS)
        except Image.UnidentifiedImageError:
            raise ImageError(
                f"this file is not an image Pillow can read as {_FORMAT_NAMES}; "
                "save it in one of those formats and try again"
            ) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError(
                f"the image has far too many pixels; at most {max_pixels / 1e6:g} megapixels "
                "are allowed"
            ) from None
        except Exception as error:  # a malformed header can raise almost anything
            raise ImageError(f"the image file is damaged and cannot be read ({error})") from None
        _check_size(*img.size, max_pixels)
        try:
            img.load()
        except Exception as error:
            raise ImageError(
                f"the image file is damaged or incomplete (truncated?) and cannot be decoded "
                f"({error}); save it again and retry"
            ) from None
    with contextlib.suppress(Exception):  # broken EXIF: keep the pixels as stored
        img = ImageOps.exif_transpose(img)
    return to_l_or_rgb(img)


def shrink(img: Image.Image, longest: int) -> Image.Image:
    """The image with its longer side at most ``longest`` pixels (Lanczos filter, aspect ratio
    kept, each side at least 2 pixels); a smaller image is returned as it is, never enlarged."""
    width, height = img.size
    if max(width, height) <= longest:
        return img
    scale = longest / max(width, height)
    size = (max(2, round(width * scale)), max(2, round(height * scale)))
    return img.resize(size, Image.Resampling.LANCZOS)


def make_grid(
    h: float | None = None,
    size: tuple[int, int] | None = None,
    extent: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0),
) -> tuple[np.ndarray, tuple[int, int]]:
    """Grid coordinates (rows * cols, 2) in (row, column) order, row-major, and its (rows, cols).

    ``extent`` is (row_min, row_max, col_min, col_max). Give either a step ``h`` (h = 0.1 over
    [-1, 1] gives 21 x 21 points, h = 0.001 gives 2001 x 2001) or ``size`` = (rows, cols), in which
    case row i sits at row_min + (row_max - row_min) * i / (rows - 1): exactly the positions
    ``image_to_xy`` gives the pixels of a rows x cols image.
    """
    if (h is None) == (size is None):
        raise DatasetError("give exactly one of h (a grid step) or size (rows, cols)")
    try:
        r0, r1, c0, c1 = (float(v) for v in extent)
    except (TypeError, ValueError):
        raise DatasetError(
            f"extent must be (row_min, row_max, col_min, col_max); got {extent!r}"
        ) from None
    if not all(map(math.isfinite, (r0, r1, c0, c1))) or r1 <= r0 or c1 <= c0:
        raise DatasetError(
            f"extent must be finite with row_min < row_max and col_min < col_max; got {extent!r}"
        )
    if size is not None:
        try:
            rows, cols = size
        except (TypeError, ValueError):
            raise DatasetError(f"size must be (rows, cols); got {size!r}") from None
        rows = check_int("rows", rows, 2)
        cols = check_int("cols", cols, 2)
    else:
        h = check_float("h", h, 0.0)
        if h == 0:
            raise DatasetError("h must be larger than 0, e.g. 0.1 or 0.001")
        rows, cols = (_steps(lo, hi, h) for lo, hi in ((r0, r1), (c0, c1)))
    if rows * cols > MAX_GRID_POINTS:
        raise DatasetError(
            f"the grid would have {rows} x {cols} = {rows * cols:,} points; at most "
            f"{MAX_GRID_POINTS:,} are allowed. Use a larger step h or a smaller size"
        )
    coords = np.empty((rows, cols, 2))
    coords[:, :, 0] = _positions(r0, r1, rows)[:, None]
    coords[:, :, 1] = _positions(c0, c1, cols)[None, :]
    return coords.reshape(-1, 2), (rows, cols)


def _steps(lo: float, hi: float, h: float) -> int:
    """Number of grid points lo, lo + h, ... up to hi (hi included when (hi - lo) / h is whole)."""
    n = (hi - lo) / h
    if n > MAX_GRID_POINTS:
        raise DatasetError(f"the step h={h} is too small for a grid of at most {MAX_GRID_POINTS:,}")
    whole = round(n)
    steps = whole if abs(n - whole) <= 1e-9 * max(1.0, n) else math.floor(n)
    if steps < 1:
        raise DatasetError(
            f"the step h={h} is larger than the extent {hi - lo}; choose a smaller h"
        )
    return steps + 1


def _positions(lo: float, hi: float, n: int) -> np.ndarray:
    return (hi - lo) * np.arange(n) / (n - 1) + lo


def _check_mode(mode: str) -> str:
    if mode not in MODES:
        raise DatasetError(f"unknown image mode {mode!r}; choose one of: {', '.join(MODES)}")
    return mode


def image_to_xy(
    img: Image.Image, mode: str = "1bit", threshold: float = 0.5, resolution: int | None = None
) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """One sample per pixel: X (H*W, 2) positions, Y (H*W, outputs) values, and the image shape.

    X row k is pixel (i, j) in row-major order, mapped to (2i / (H - 1) - 1, 2j / (W - 1) - 1).
    Modes: "1bit": Y = 1 where the pixel is dark (luminance / 255 < threshold), else 0;
    "gray": Y = darkness = 1 - luminance / 255 in [0, 1] (1 = black, like "1bit");
    "rgb": Y = (red, green, blue) / 255, three outputs. Luminance is Pillow's
    L = 0.299 R + 0.587 G + 0.114 B. ``resolution`` shrinks the image (Lanczos filter, aspect
    ratio kept) so its longer side is at most that many pixels; it never enlarges.
    Shape is (H, W) for "1bit"/"gray" and (H, W, 3) for "rgb". All arrays are float64.
    """
    if not isinstance(img, Image.Image):
        raise TypeError(f"image_to_xy needs a PIL image (see load_image); got {type(img).__name__}")
    mode = _check_mode(mode)
    threshold = check_float("threshold", threshold, 0.0, 1.0)
    img = to_l_or_rgb(img)
    if resolution is not None:
        img = shrink(img, check_int("resolution", resolution, 2, 4096))
    width, height = img.size
    if min(width, height) < 2:
        raise DatasetError(f"the image is {width} x {height} pixels; each side needs at least 2")
    X, _ = make_grid(size=(height, width))
    if mode == "rgb":
        Y = np.asarray(img.convert("RGB"), dtype=np.float64).reshape(-1, 3) / 255.0
        return X, Y, (height, width, 3)
    luminance = np.asarray(img.convert("L"), dtype=np.float64).reshape(-1, 1) / 255.0
    Y = (luminance < threshold).astype(np.float64) if mode == "1bit" else 1.0 - luminance
    return X, Y, (height, width)


def xy_to_image(
    P: np.ndarray, shape: tuple[int, ...], mode: str = "1bit", threshold: float | None = 0.5
) -> Image.Image:
    """Turn predictions P (H*W, outputs), row-major, back into a picture (inverse of image_to_xy).

    "1bit": black where P > threshold, white elsewhere; with threshold=None the probability is
    shown as gray (P = 1 black, P = 0 white). "gray": P is darkness, pixel = 255 * (1 - P).
    "rgb": P holds (red, green, blue) in [0, 1]. Values are clipped to [0, 1]. Returns mode "L"
    ("1bit", "gray") or "RGB".
    """
    mode = _check_mode(mode)
    P = np.asarray(P, dtype=np.float64)
    try:
        height, width = (int(v) for v in tuple(shape)[:2])
    except (TypeError, ValueError):
        raise DatasetError(f"shape must be (H, W) or (H, W, 3); got {shape!r}") from None
    outputs = 3 if mode == "rgb" else 1
    n = height * width
    if P.size != n * outputs or (P.ndim == 2 and P.shape[1] != outputs) or P.ndim > 2:
        raise DatasetError(
            f"mode {mode!r} with shape {tuple(shape)} needs predictions of shape ({n}, {outputs}); "
            f"got {P.shape}"
        )
    if not np.all(np.isfinite(P)):
        raise DatasetError(
            "the predictions contain NaN or infinity; the training probably diverged. "
            "Try a smaller learning_rate"
        )
    P = np.clip(P, 0.0, 1.0)
    if mode == "rgb":
        pixels = np.rint(P.reshape(height, width, 3) * 255.0).astype(np.uint8)
        return Image.fromarray(pixels, "RGB")
    P = P.reshape(height, width)
    if mode == "1bit" and threshold is not None:
        threshold = check_float("threshold", threshold, 0.0, 1.0)
        pixels = np.where(threshold < P, 0, 255).astype(np.uint8)
    else:
        pixels = np.rint(255.0 * (1.0 - P)).astype(np.uint8)
    return Image.fromarray(pixels, "L")


def _npy_header(archive: zipfile.ZipFile, member: str) -> tuple[tuple[int, ...], np.dtype]:
    with archive.open(member) as fp:
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(fp)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(fp)
    return shape, dtype


def load_tutorial_npz(
    data: bytes, max_points: int = 4_000_000, max_bytes: int = 100_000_000
) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """Import the tutorial's image .npz: X (2, N) positions in [-1, 1], Y (1, N) in {0, 1}.

    Returns samples in rows, sorted into row-major pixel order: X (N, 2), Y (N, 1) float64, and
    the grid shape (H, W) rebuilt from the distinct row and column positions (H * W must be N).
    Raises ImageError for anything else (pickled objects, wrong keys or shapes, NaN, values out
    of range, positions that do not form a full grid).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImageError(f"expected the file's bytes; got {type(data).__name__}")
    if len(data) == 0:
        raise ImageError("the file is empty (0 bytes); choose the tutorial's .npz file")
    if len(data) > max_bytes:
        raise ImageError(
            f"the file is {len(data) / 1e6:.1f} MB; at most {max_bytes / 1e6:g} MB is allowed"
        )
    buffer = io.BytesIO(bytes(data))
    if not zipfile.is_zipfile(buffer):
        raise ImageError("this is not an .npz file (a zip of numpy arrays saved by np.savez)")
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = {n[:-4]: n for n in archive.namelist() if n.endswith(".npy")}
            missing = [k for k in ("X", "Y") if k not in names]
            if missing:
                raise ImageError(
                    f"the .npz holds the arrays {sorted(names)}, but the tutorial's file has "
                    "'X' and 'Y'"
                )
            for key in ("X", "Y"):
                shape, dtype = _npy_header(archive, names[key])
                if dtype.hasobject or dtype.kind not in "biuf":
                    raise ImageError(
                        f"array {key} holds {dtype} values (Python objects are never unpickled); "
                        "X and Y must be plain numbers"
                    )
                if math.prod(shape) > 2 * max_points:
                    raise ImageError(
                        f"array {key} has shape {shape}: too many points (at most {max_points:,})"
                    )
        buffer.seek(0)
        with np.load(buffer, allow_pickle=False) as npz:
            X = np.asarray(npz["X"], dtype=np.float64)
            Y = np.asarray(npz["Y"], dtype=np.float64)
    except ImageError:
        raise
    except Exception as error:
        raise ImageError(f"the .npz file is damaged or not numpy's format ({error})") from None
    if X.ndim != 2 or X.shape[0] != 2:
        hint = (
            " (features in columns? the tutorial stores X transposed)"
            if X.shape[-1:] == (2,)
            else ""
        )
        raise ImageError(f"X must have shape (2, N), one column per pixel; got {X.shape}{hint}")
    n = X.shape[1]
    if Y.shape != (1, n):
        raise ImageError(f"Y must have shape (1, {n}) to match X {X.shape}; got {Y.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise ImageError("X and Y must not contain NaN or infinity")
    if np.any(np.abs(X) > 1.0 + 1e-9):
        raise ImageError(
            f"pixel positions in X must lie in [-1, 1]; found {X.min():g} to {X.max():g}"
        )
    if not np.all((Y == 0) | (Y == 1)):
        raise ImageError("Y must hold only 0 (light) and 1 (dark)")
    rows, row_idx = np.unique(X[0], return_inverse=True)
    cols, col_idx = np.unique(X[1], return_inverse=True)
    height, width = len(rows), len(cols)
    flat = row_idx * width + col_idx
    if height < 2 or width < 2 or height * width != n or np.unique(flat).size != n:
        raise ImageError(
            f"the {n} positions in X do not form a full image grid ({height} distinct rows x "
            f"{width} distinct columns, each pixel exactly once)"
        )
    order = np.argsort(flat, kind="stable")
    return X.T[order].copy(), Y.T[order].copy(), (height, width)
