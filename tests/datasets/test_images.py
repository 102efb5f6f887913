"""Tests for datasets.images: a corpus of good and bad uploads, pixels <-> samples, grids, npz."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image

from datasets import (
    ImageError,
    image_to_xy,
    load_image,
    load_tutorial_npz,
    make_grid,
    xy_to_image,
)
from datasets._errors import DatasetError


def _save(img: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def _gradient_rgb(w: int = 40, h: int = 30) -> Image.Image:
    y, x = np.mgrid[0:h, 0:w]
    arr = np.stack([x * 255 // (w - 1), y * 255 // (h - 1), np.full_like(x, 100)], axis=-1)
    return Image.fromarray(arr.astype(np.uint8), "RGB")


def _exif_rotated_jpeg() -> bytes:
    img = Image.new("RGB", (40, 20), "white")  # stored landscape, displayed portrait
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to display
    return _save(img, "JPEG", exif=exif.tobytes())


def _rgba_png() -> bytes:
    img = Image.new("RGBA", (20, 20), (255, 0, 0, 0))  # fully transparent red
    img.paste((0, 0, 255, 255), (0, 0, 10, 20))  # opaque blue on the left half
    return _save(img, "PNG")


def _png_16bit() -> bytes:
    arr = (np.arange(32 * 32).reshape(32, 32) * 64).astype(np.uint16)
    return _save(Image.fromarray(arr), "PNG")


GOOD = {
    "png rgb": (lambda: _save(_gradient_rgb(), "PNG"), "RGB", (40, 30)),
    "jpeg": (lambda: _save(_gradient_rgb(), "JPEG", quality=90), "RGB", (40, 30)),
    "gif palette": (lambda: _save(_gradient_rgb().convert("P"), "GIF"), "RGB", (40, 30)),
    "webp": (lambda: _save(_gradient_rgb(), "WEBP", lossless=True), "RGB", (40, 30)),
    "bmp": (lambda: _save(_gradient_rgb(), "BMP"), "RGB", (40, 30)),
    "png palette": (
        lambda: _save(_gradient_rgb().quantize(16), "PNG"),
        "RGB",
        (40, 30),
    ),
    "png rgba": (_rgba_png, "RGB", (20, 20)),
    "png la": (lambda: _save(Image.new("LA", (16, 16), (0, 128)), "PNG"), "L", (16, 16)),
    "png 16-bit": (_png_16bit, "L", (32, 32)),
    "png 1-bit": (lambda: _save(Image.new("1", (12, 9), 1), "PNG"), "L", (12, 9)),
    "png gray": (lambda: _save(Image.new("L", (8, 8), 40), "PNG"), "L", (8, 8)),
    "jpeg cmyk": (
        lambda: _save(Image.new("CMYK", (24, 24), (0, 255, 255, 0)), "JPEG"),
        "RGB",
        (24, 24),
    ),
    "jpeg exif rotated": (_exif_rotated_jpeg, "RGB", (20, 40)),
    "animated gif": (
        lambda: _save(
            Image.new("P", (10, 10), 1),
            "GIF",
            save_all=True,
            append_images=[Image.new("P", (10, 10), 2)],
        ),
        "RGB",
        (10, 10),
    ),
}


@pytest.mark.parametrize("name", list(GOOD))
def test_good_images_load(name):
    make, mode, size = GOOD[name]
    img = load_image(make())
    assert img.mode == mode
    assert img.size == size


def test_rgba_is_composited_on_white():
    arr = np.asarray(load_image(_rgba_png()))
    assert tuple(arr[5, 2]) == (0, 0, 255)
    assert tuple(arr[5, 15]) == (255, 255, 255)


def test_16bit_is_scaled_not_clipped():
    arr = np.asarray(load_image(_png_16bit()))
    assert arr.min() == 0 and arr.max() == round(1023 * 64 / 257)
    assert len(np.unique(arr)) > 200


def test_cmyk_red_stays_red():
    r, g, b = np.asarray(load_image(GOOD["jpeg cmyk"][0]()))[12, 12].astype(int)
    assert r > 200 and g < 60 and b < 60


def _noise_png(size: int = 64) -> bytes:
    arr = np.random.default_rng(0).integers(0, 256, (size, size, 3)).astype(np.uint8)
    return _save(Image.fromarray(arr, "RGB"), "PNG")


def _big_sparse_png() -> bytes:
    return _save(Image.new("1", (7000, 7000)), "PNG")


BAD = {
    "empty": (lambda: b"", "empty"),
    "not an image": (lambda: b"hello, this is a text file\n" * 20, "not an image"),
    "pdf header": (lambda: b"%PDF-1.4\n" + b"0" * 200, "not an image"),
    "tiff (unsupported)": (
        lambda: _save(Image.new("RGB", (20, 20)), "TIFF"),
        "PNG, JPEG, GIF, WebP or BMP",
    ),
    "truncated png": (lambda: _noise_png()[:-2000], "damaged"),
    "truncated jpeg": (
        lambda: _save(_gradient_rgb(200, 200), "JPEG")[:600],
        "damaged",
    ),
    "1x1": (lambda: _save(Image.new("RGB", (1, 1)), "PNG"), "too small to learn from"),
    "7x100": (lambda: _save(Image.new("RGB", (7, 100)), "PNG"), "too small"),
    "10000x10 strip": (lambda: _save(Image.new("1", (10000, 10)), "PNG"), "Crop it"),
    "49 megapixels": (_big_sparse_png, r"7000 x 7000 pixels \(49.0 megapixels\)"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_images_are_refused_with_a_clear_message(name):
    make, message = BAD[name]
    with pytest.raises(ImageError, match=message):
        load_image(make())


def test_pixel_cap_is_checked_before_decoding():
    data = _big_sparse_png()
    assert len(data) < 100_000  # a small file claiming 49 megapixels
    start = time.perf_counter()
    with pytest.raises(ImageError, match="megapixels"):
        load_image(data)
    assert time.perf_counter() - start < 0.5


def test_pillow_bomb_range_is_refused_too():
    # Above Pillow's own limit (89 Mpx) Pillow only warns; we refuse with our message.
    data = _save(Image.new("1", (10000, 10000)), "PNG")
    with pytest.raises(ImageError, match="megapixels"):
        load_image(data, max_pixels=200_000_000)


def test_byte_cap_message_in_mb():
    with pytest.raises(ImageError, match=r"12.0 MB; at most 10 MB"):
        load_image(b"\x89PNG" + b"\0" * 11_999_996)
    with pytest.raises(ImageError, match=r"at most 0.001 MB"):
        load_image(_noise_png(), max_bytes=1000)


def test_not_bytes_is_refused():
    with pytest.raises(ImageError, match="expected the file's bytes"):
        load_image("picture.png")  # type: ignore[arg-type]


def test_image_to_xy_1bit_follows_the_tutorial():
    arr = np.full((3, 4), 255, dtype=np.uint8)
    arr[0, 1] = 0  # one dark pixel at row 0, column 1
    arr[2, 3] = 100  # 100/255 = 0.39 < 0.5: dark
    X, Y, shape = image_to_xy(Image.fromarray(arr, "L"))
    assert shape == (3, 4)
    assert X.shape == (12, 2) and Y.shape == (12, 1)
    rows = np.repeat([2 * i / 2 - 1 for i in range(3)], 4)
    cols = np.tile([2 * j / 3 - 1 for j in range(4)], 3)
    assert np.array_equal(X[:, 0], rows) and np.array_equal(X[:, 1], cols)
    assert X[0].tolist() == [-1.0, -1.0] and X[-1].tolist() == [1.0, 1.0]
    expected = np.zeros(12)
    expected[[1, 11]] = 1
    assert np.array_equal(Y.ravel(), expected)
    _, Y_low, _ = image_to_xy(Image.fromarray(arr, "L"), threshold=0.3)
    assert Y_low.sum() == 1


def test_image_to_xy_gray_and_rgb():
    img = _gradient_rgb(10, 8)
    X, Y, shape = image_to_xy(img, mode="gray")
    luminance = np.asarray(img.convert("L"), dtype=np.float64).ravel() / 255
    assert shape == (8, 10) and np.allclose(Y.ravel(), 1 - luminance)
    X, Y, shape = image_to_xy(img, mode="rgb")
    assert shape == (8, 10, 3) and Y.shape == (80, 3)
    assert np.allclose(Y, np.asarray(img, dtype=np.float64).reshape(-1, 3) / 255)
    assert Y.min() >= 0 and Y.max() <= 1


def test_image_to_xy_resolution_keeps_aspect_and_never_enlarges():
    img = _gradient_rgb(200, 100)
    X, Y, shape = image_to_xy(img, mode="rgb", resolution=50)
    assert shape == (25, 50, 3) and X.shape == (1250, 2)
    assert image_to_xy(img, resolution=1000)[2] == (100, 200)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"mode": "color"}, DatasetError, "unknown image mode 'color'; choose one of: 1bit"),
        ({"threshold": 2}, DatasetError, "threshold must be between 0.0 and 1.0"),
        ({"resolution": 1}, DatasetError, "resolution must be between 2"),
    ],
)
def test_image_to_xy_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        image_to_xy(_gradient_rgb(), **kwargs)
    with pytest.raises(TypeError, match="PIL image"):
        image_to_xy(np.zeros((4, 4)))  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["1bit", "gray", "rgb"])
def test_xy_to_image_inverts_image_to_xy(mode):
    arr = np.random.default_rng(0).integers(0, 256, (9, 11, 3)).astype(np.uint8)
    img = Image.fromarray(arr, "RGB")
    if mode != "rgb":
        img = img.convert("L")
    _, Y, shape = image_to_xy(img, mode=mode)
    back = xy_to_image(Y, shape, mode=mode)
    assert back.size == (11, 9)
    if mode == "1bit":
        assert np.array_equal(np.asarray(back) == 0, Y.reshape(9, 11) == 1)
    else:
        assert np.array_equal(np.asarray(back), np.asarray(img))


def test_xy_to_image_1bit_threshold_and_probability():
    P = np.array([[0.2], [0.6], [0.9], [0.5]])
    assert np.asarray(xy_to_image(P, (2, 2))).tolist() == [[255, 0], [0, 255]]
    assert np.asarray(xy_to_image(P, (2, 2), threshold=0.8)).tolist() == [[255, 255], [0, 255]]
    gray = np.asarray(xy_to_image(P, (2, 2), threshold=None))
    assert np.array_equal(gray.ravel(), np.rint(255 * (1 - P.ravel())))
    assert gray.tolist()[0] == [204, 102]


def test_xy_to_image_rejects_bad_predictions():
    with pytest.raises(DatasetError, match=r"needs predictions of shape \(4, 1\); got \(5, 1\)"):
        xy_to_image(np.zeros((5, 1)), (2, 2))
    with pytest.raises(DatasetError, match=r"shape \(4, 3\)"):
        xy_to_image(np.zeros((4, 1)), (2, 2), mode="rgb")
    with pytest.raises(DatasetError, match="smaller learning_rate"):
        xy_to_image(np.full((4, 1), np.nan), (2, 2))


def test_make_grid_steps_and_sizes():
    X, shape = make_grid(h=0.1)
    assert shape == (21, 21) and X.shape == (441, 2)
    assert X[0].tolist() == [-1.0, -1.0] and X[-1].tolist() == [1.0, 1.0]
    assert np.allclose(X[1], [-1.0, -0.9])
    X, shape = make_grid(h=0.05)
    assert shape == (41, 41)
    X, shape = make_grid(size=(3, 5), extent=(0, 1, -2, 2))
    assert shape == (3, 5) and X[:5, 1].tolist() == [-2, -1, 0, 1, 2]
    assert X[::5, 0].tolist() == [0, 0.5, 1]


def test_make_grid_fine_step_is_cheap():
    start = time.perf_counter()
    X, shape = make_grid(h=0.001)
    assert shape == (2001, 2001) and X.shape == (2001 * 2001, 2)
    assert X[-1].tolist() == [1.0, 1.0] and X[2000].tolist() == [-1.0, 1.0]
    assert time.perf_counter() - start < 2.0


def test_make_grid_matches_image_to_xy():
    X_img, _, shape = image_to_xy(_gradient_rgb(13, 7))
    X_grid, grid_shape = make_grid(size=shape)
    assert grid_shape == shape and np.array_equal(X_img, X_grid)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one of h"),
        ({"h": 0.1, "size": (2, 2)}, "exactly one of h"),
        ({"h": 0}, "h must be larger than 0"),
        ({"h": 3}, "larger than the extent"),
        ({"h": 1e-5}, "at most 25,000,000"),
        ({"size": (1, 5)}, "rows must be"),
        ({"h": 0.1, "extent": (1, -1, -1, 1)}, "row_min < row_max"),
    ],
)
def test_make_grid_rejects_bad_arguments(kwargs, message):
    with pytest.raises(DatasetError, match=message):
        make_grid(**kwargs)


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _tutorial_like(h: int = 4, w: int = 5, shuffle: bool = True):
    """An image .npz as the tutorial saves it: X (2, N), Y (1, N) uint8."""
    X, Y, _ = image_to_xy(_gradient_rgb(w, h), mode="1bit", threshold=0.6)
    order = np.random.default_rng(0).permutation(len(X)) if shuffle else np.arange(len(X))
    return X, Y, X[order].T, Y[order].T.astype(np.uint8)


def test_load_tutorial_npz_rebuilds_the_grid():
    X, Y, X_saved, Y_saved = _tutorial_like()
    X2, Y2, shape = load_tutorial_npz(_npz(X=X_saved, Y=Y_saved))
    assert shape == (4, 5)
    assert np.array_equal(X2, X) and np.array_equal(Y2, Y)
    assert X2.dtype == np.float64 and Y2.dtype == np.float64 and Y2.shape == (20, 1)


def test_load_tutorial_npz_round_trips_through_xy_to_image():
    X, Y, X_saved, Y_saved = _tutorial_like(6, 8)
    _, Y2, shape = load_tutorial_npz(_npz(X=X_saved, Y=Y_saved))
    assert np.array_equal(np.asarray(xy_to_image(Y2, shape)), np.asarray(xy_to_image(Y, shape)))


def _pickled_npz() -> bytes:
    _, _, X_saved, _ = _tutorial_like()
    return _npz(X=X_saved, Y=np.array([object()] * 20, dtype=object).reshape(1, 20))


BAD_NPZ = {
    "empty": (lambda: b"", "empty"),
    "not a zip": (lambda: b"not an npz at all" * 10, "not an .npz file"),
    "single npy": (lambda: _save_npy(np.zeros(3)), "not an .npz file"),
    "pickled objects": (_pickled_npz, "never unpickled"),
    "wrong keys": (lambda: _npz(a=np.zeros(3)), r"holds the arrays \['a'\]"),
    "X transposed": (
        lambda: _npz(X=_tutorial_like()[2].T, Y=_tutorial_like()[3]),
        r"X must have shape \(2, N\).*transposed",
    ),
    "Y wrong shape": (
        lambda: _npz(X=_tutorial_like()[2], Y=_tutorial_like()[3].ravel()),
        r"Y must have shape \(1, 20\)",
    ),
    "NaN": (
        lambda: _npz(
            X=np.where(np.eye(2, 20) == 1, np.nan, _tutorial_like()[2]), Y=_tutorial_like()[3]
        ),
        "NaN or infinity",
    ),  # fmt: skip
    "out of range": (
        lambda: _npz(X=_tutorial_like()[2] * 3, Y=_tutorial_like()[3]),
        r"must lie in \[-1, 1\]",
    ),
    "labels not 0/1": (
        lambda: _npz(X=_tutorial_like()[2], Y=_tutorial_like()[3] * 2),
        "only 0",
    ),
    "not a grid": (
        lambda: _npz(X=np.random.default_rng(0).uniform(-1, 1, (2, 20)), Y=np.zeros((1, 20))),
        "do not form a full image grid",
    ),
    "strings": (lambda: _npz(X=np.array([["a"] * 3] * 2), Y=np.zeros((1, 3))), "plain numbers"),
}


def _save_npy(arr: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, arr)
    return buffer.getvalue()


@pytest.mark.parametrize("name", list(BAD_NPZ))
def test_load_tutorial_npz_refuses_bad_files(name):
    make, message = BAD_NPZ[name]
    with pytest.raises(ImageError, match=message):
        load_tutorial_npz(make())


def test_load_tutorial_npz_checks_size_from_the_header():
    data = _npz(X=np.zeros((2, 3000)), Y=np.zeros((1, 3000)))
    with pytest.raises(ImageError, match="too many points"):
        load_tutorial_npz(data, max_points=1000)
