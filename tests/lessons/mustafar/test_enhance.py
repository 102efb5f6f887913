"""lessons.mustafar.enhance: rendering in bands, sizes, zoom windows, upscaling, scores,
previews and captions, downloads, model import, and the bound on the session's renders."""

import io
import math

import numpy as np
import pytest
from PIL import Image

import nn
from datasets import image_to_xy, load_transmission, xy_to_image
from lessons.mustafar import enhance
from nn.fast.render import predict_grid
from nn.presets import FAST_IMAGE


@pytest.mark.parametrize("rows, cols", [(1, 1), (21, 21), (150, 7000 // 7), (2001, 600)])
def test_render_in_bands_matches_one_grid(network: nn.Network, rows: int, cols: int) -> None:
    shares = []
    image = enhance.render(network, rows, cols, "1bit", None, progress=shares.append)
    whole = xy_to_image(
        predict_grid(network, rows, cols).reshape(-1, 1), (rows, cols), "1bit", None
    )
    assert image.size == (cols, rows) and image.mode == "L"
    difference = np.abs(np.asarray(image, int) - np.asarray(whole, int))
    assert difference.max() <= 1  # float32 grid positions may differ in the last bit
    assert shares == sorted(shares) and shares[-1] == 1.0
    assert len(shares) == math.ceil(rows / enhance.band_rows(cols))


def test_render_thresholded_and_rgb(network: nn.Network) -> None:
    binary = np.asarray(enhance.render(network, 40, 30, "1bit", 0.5))
    assert set(np.unique(binary)) <= {0, 255} and len(np.unique(binary)) == 2
    rgb_net = FAST_IMAGE.with_changes(outputs=3, seed=0).network(2)
    rgb = enhance.render(rgb_net, 12, 16, "rgb", None)
    assert rgb.mode == "RGB" and rgb.size == (16, 12)


def test_render_refuses_too_large_a_grid(network: nn.Network) -> None:
    with pytest.raises(ValueError, match="4000"):
        enhance.render(network, 4001, 10, "1bit")


def test_sizes_run_from_half_the_picture_to_4000() -> None:
    shape = (100, 94)
    options = enhance.size_options(shape)
    assert options[0] == 50 and options[-1] == 4000 and 2001 in options
    assert options == sorted(set(options))
    assert enhance.output_size(4000, shape) == (4000, 3760)
    assert enhance.output_size(50, shape) == (50, 47)
    assert enhance.size_label(200, shape) == "2× · 188×200 px"


def test_zoom_window_stays_inside_the_picture() -> None:
    assert enhance.zoom_extent(0, 0, 1) == (-1, 1, -1, 1)
    assert enhance.zoom_extent(0.5, -0.5, 4) == (0.25, 0.75, -0.75, -0.25)
    top, bottom, left, right = enhance.zoom_extent(1, -1, 2)  # centre in a corner: slid back
    assert (top, bottom, left, right) == (0, 1, -1, 0)


def test_upscale_aligns_with_the_network_grid() -> None:
    pixels = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    picture = Image.fromarray(pixels, "L")
    same = enhance.upscale(picture, 3, 4, Image.Resampling.NEAREST)
    assert np.array_equal(np.asarray(same), pixels)
    big = np.asarray(enhance.upscale(picture, 5, 7, Image.Resampling.NEAREST))
    # the corners of the output are the corners of the picture, as grid points -1 and +1 are
    assert [big[0, 0], big[0, -1], big[-1, 0], big[-1, -1]] == [0, 60, 160, 220]
    window = enhance.upscale(picture, 2, 2, Image.Resampling.NEAREST, (-1, 0, -1, -1 / 3))
    assert np.array_equal(np.asarray(window), pixels[[0, 1]][:, [0, 1]])
    # fewer output pixels than the picture has (a small viewer size): still inside the picture
    small = np.asarray(enhance.upscale(picture, 2, 2, Image.Resampling.BICUBIC))
    assert small.shape == (2, 2) and small[0, 0] < small[-1, -1]


def test_scores_accuracy_and_psnr() -> None:
    Y = np.array([[1.0], [0.0], [1.0], [0.0]])
    assert enhance.score(np.array([[0.9], [0.2], [0.4], [0.1]]), Y, "1bit") == 0.75
    assert enhance.score(Y, Y, "gray") == math.inf
    assert enhance.score(Y * 0.9, Y, "gray") == pytest.approx(10 * math.log10(1 / 0.005))
    assert enhance.score_label(0.75, "1bit") == "75.00% of pixels right"
    assert enhance.score_label(23.456, "rgb") == "PSNR 23.46 dB"
    assert enhance.short_score(0.75, "1bit") == "75.00%"
    assert enhance.short_score(23.456, "gray") == "23.46 dB"


def test_compare_scores_all_three_on_the_full_pixels(network: nn.Network) -> None:
    full = load_transmission("helmet")
    _, train_Y, train_shape = image_to_xy(full, "1bit", resolution=50)
    _, full_Y, full_shape = image_to_xy(full, "1bit")
    scores = enhance.compare(network, train_Y, train_shape, full_Y, full_shape, "1bit")
    assert set(scores) == {"nearest", "bicubic", "network"}
    assert all(0.8 < value < 1 for value in scores.values())
    seen = enhance.compare(network, full_Y, full_shape, full_Y, full_shape, "1bit")
    assert seen["nearest"] == seen["bicubic"] == 1.0  # no pixel was left out


def test_for_display_keeps_pixels_hard_and_shrinks_big_renders() -> None:
    small = Image.fromarray(np.array([[0, 255], [255, 0]], np.uint8), "L")
    shown = enhance.for_display(small, 100)
    assert shown.size == (100, 100) and set(np.unique(np.asarray(shown))) == {0, 255}
    assert enhance.for_display(Image.new("L", (4000, 2000)), 900).size == (900, 450)


def test_preview_is_a_smaller_render_of_the_same_view(network: nn.Network) -> None:
    parameters = network.parameter_count
    rows, cols = enhance.output_size(4000, (100, 94))  # the largest size: 4000 x 3760
    small_rows, small_cols = enhance.preview_size(rows, cols, parameters)
    assert enhance.needs_preview(rows, cols, parameters)
    assert small_rows * small_cols * parameters <= enhance.PREVIEW_WORK
    assert small_rows < rows / 5 and small_cols < cols / 5
    assert small_cols / small_rows == pytest.approx(cols / rows, rel=0.01)

    # A view small enough to render in full here, yet above the preview's budget.
    rows, cols = 700, 658
    window = enhance.zoom_extent(0.3, -0.2, 2)
    preview, _ = enhance.quick_preview(network, rows, cols, "1bit", None, window)
    assert preview.size == enhance.preview_size(rows, cols, parameters)[::-1]
    assert preview.width * preview.height < rows * cols / 1.5
    full = enhance.render(network, rows, cols, "1bit", None, window)
    elsewhere = enhance.render(network, rows, cols, "1bit", None, enhance.zoom_extent(-0.5, 0.5, 2))

    def distance(image: Image.Image) -> float:
        shrunk = image.resize(preview.size, Image.Resampling.BOX)
        return float(np.mean(np.abs(np.asarray(shrunk, float) - np.asarray(preview, float))))

    assert distance(full) < 2 and distance(elsewhere) > 10 * max(distance(full), 1)


def test_a_small_network_previews_at_most_preview_points() -> None:
    rows, cols = enhance.preview_size(4000, 3760, parameters=105)  # a 2-8-8-1 network
    assert rows * cols <= enhance.PREVIEW_POINTS < enhance.PREVIEW_WORK / 105  # points bind
    assert cols / rows == pytest.approx(3760 / 4000, rel=0.01)


def test_a_view_within_the_preview_budget_needs_no_preview(network: nn.Network) -> None:
    parameters = network.parameter_count
    rows, cols = enhance.output_size(400, (100, 94))
    assert rows * cols * parameters <= enhance.PREVIEW_WORK
    assert rows * cols <= enhance.PREVIEW_POINTS
    assert not enhance.needs_preview(rows, cols, parameters)
    assert enhance.preview_size(rows, cols, parameters) == (rows, cols)


def test_captions_say_whether_the_preview_or_the_full_picture_is_shown() -> None:
    preview = enhance.preview_caption(Image.new("L", (484, 515)), 0.031, 4000, 3760)
    assert "**Preview** at 484 × 515 px" in preview and "3,760 × 4,000 px" in preview
    assert "px =" not in preview  # the full picture's caption alone counts the evaluations
    full = enhance.full_caption(Image.new("L", (3760, 4000)), 2.5, zoom=4)
    assert full.startswith("**Full picture**: 3,760 × 4,000 px = 15,040,000 network evaluations")
    assert "4× zoom" in full and "Preview" not in full


def test_png_download_bytes_decode_to_the_render(network: nn.Network) -> None:
    image = enhance.render(network, 300, 282, "1bit", None)
    data = enhance.png_bytes(image)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    decoded = Image.open(io.BytesIO(data))
    assert decoded.size == (282, 300) and np.array_equal(np.asarray(decoded), np.asarray(image))


def test_model_download_round_trips_and_bad_files_are_refused(network: nn.Network) -> None:
    data = enhance.model_bytes(network, {"learning_rate": 0.02})
    loaded = enhance.load_model(data, outputs=1)
    grid = np.array([[0.0, 0.0], [0.5, -0.25]])
    assert np.allclose(loaded.predict(grid), network.predict(grid))
    with pytest.raises(nn.ModelFileError):
        enhance.load_model(b"not a model", outputs=1)
    with pytest.raises(nn.NetworkError, match="3 \\(red, green, blue\\)"):
        enhance.load_model(data, outputs=3)
    wide = nn.Network(seed=0).add(2, input_dim=3).add(1, activation="sigmoid")
    with pytest.raises(nn.NetworkError, match="takes 3 inputs"):
        enhance.load_model(enhance.model_bytes(wide), outputs=1)


def test_mark_window_outlines_the_zoom_in_red() -> None:
    marked = np.asarray(enhance.mark_window(Image.new("L", (100, 100), 255), (-1, 0, 0, 1)))
    assert marked.shape == (300, 300, 3)
    assert tuple(marked[0, 200]) == (230, 30, 30)  # top edge of the window
    assert tuple(marked[250, 50]) == (255, 255, 255)  # outside it


def test_only_1bit_outputs_are_thresholded() -> None:
    assert enhance.output_threshold("1bit", "threshold", 0.3) == 0.3
    assert enhance.output_threshold("1bit", "smooth", 0.3) is None
    assert enhance.output_threshold("gray", "threshold", 0.3) is None


def test_upscaled_view_is_thresholded_like_the_network() -> None:
    picture = Image.fromarray(np.array([[0, 100], [200, 255]], np.uint8), "L")
    smooth = enhance.upscaled_view(
        picture, 2, 2, Image.Resampling.NEAREST, enhance.FULL_EXTENT, None
    )
    assert np.array_equal(np.asarray(smooth), np.asarray(picture))
    binary = enhance.upscaled_view(
        picture, 2, 2, Image.Resampling.NEAREST, enhance.FULL_EXTENT, 0.5
    )
    # darkness 1 - v / 255 above 0.5 is black: 0 and 100 are dark, 200 and 255 light
    assert np.asarray(binary).tolist() == [[0, 0], [255, 255]]


def test_a_render_too_big_for_the_network_says_why() -> None:
    asked = (4000, 4000)
    fitted = enhance.affordable(*asked, parameters=100_000)
    assert fitted[0] < asked[0] and fitted[0] == fitted[1]
    note = enhance.fitted_note(100_000, asked, fitted)
    assert f"Drawn at {fitted[1]:,} × {fitted[0]:,} px instead of 4,000 × 4,000" in note
    assert "100,000 parameters" in note
    assert enhance.fitted_note(100, (50, 40), (50, 40)) is None


def test_render_keys_round_the_window() -> None:
    first = enhance.render_key((1, 5, "d"), 10, 20, "1bit", None, (0.1 + 0.2, 1, -1, 1))
    again = enhance.render_key((1, 5, "d"), 10, 20, "1bit", None, (0.3, 1, -1, 1))
    assert first == again
    assert first != enhance.render_key((1, 6, "d"), 10, 20, "1bit", None, (0.3, 1, -1, 1))


def test_the_session_keeps_at_most_render_cache_renders() -> None:
    renders: dict = {}
    for i in range(3 * enhance.RENDER_CACHE):
        renders[("view", i)] = (Image.new("L", (10, 10)), 0.0)
        enhance.keep_recent(renders)
        assert len(renders) <= enhance.RENDER_CACHE
    kept = [i for _, i in renders]
    assert kept == list(range(2 * enhance.RENDER_CACHE, 3 * enhance.RENDER_CACHE))  # the newest


def test_the_session_keeps_at_most_render_cache_mb_of_pixels() -> None:
    renders: dict = {}
    big = (Image.new("RGB", (4000, 4000)), 0.0)  # 48 MB
    for i in range(3):
        renders[("view", i)] = big
        enhance.keep_recent(renders)
        assert enhance.megabytes(renders) <= enhance.RENDER_CACHE_MB
    assert list(renders) == [("view", 2)]
    huge = {("view", 9): (Image.new("RGB", (4000, 6000)), 0.0)}  # 72 MB: the one shown stays
    enhance.keep_recent(huge)
    assert list(huge) == [("view", 9)]
