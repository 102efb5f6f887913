"""Unit tests of the Mustafar lesson's helpers: rendering in bands, sizes, zoom windows,
upscaling, scores, downloads, model import, presets and dead relu units."""

import io
import math

import numpy as np
import pytest
from PIL import Image

import nn
from datasets import ImageError, image_to_xy, load_transmission, xy_to_image
from lessons.mustafar import enhance
from lessons.mustafar.views import (
    FAST,
    TUTORIAL,
    TUTORIAL_SEED,
    back_to,
    dead_units,
    differences,
    npz_picture,
    preset_of,
    schedule_rates,
    uploaded_picture,
)
from nn.presets import FAST_IMAGE, TUTORIAL_IMAGE
from nn.render import predict_grid


@pytest.fixture(scope="module")
def network() -> nn.Network:
    """A briefly trained helmet network (300 fast-preset iterations)."""
    X, Y, _ = image_to_xy(load_transmission("helmet"), "1bit")
    net = FAST_IMAGE.network(seed=1)
    trainer = FAST_IMAGE.trainer(net, X, Y, seed=1)
    for _ in range(300):
        trainer.step()
    return net


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


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
    rgb_net = FAST_IMAGE.network(outputs=3, seed=0)
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


def test_presets_are_recognised_at_any_seed() -> None:
    from dataclasses import replace

    assert preset_of(FAST)[0] == "Fast"
    assert preset_of(replace(TUTORIAL, seed=1))[1] is TUTORIAL_IMAGE
    assert preset_of(replace(FAST, learning_rate=0.05)) is None
    assert preset_of(replace(FAST, units=(27, 31, 30))) is None
    assert preset_of(replace(FAST, l2=1e-3)) is None
    assert schedule_rates(TUTORIAL_IMAGE) == [2.8, 0.01875]
    assert TUTORIAL.seed == TUTORIAL_SEED == 2
    assert TUTORIAL.learning_rate == 3.0  # the slider's stop nearest to the schedule's 2.8
    assert FAST.learning_rate == 0.02  # the schedule's peak, not its warm-up's first 2e-05
    assert schedule_rates(FAST_IMAGE) == [0.02, pytest.approx(0.001)]


def test_differences_name_what_leaves_a_preset_in_words() -> None:
    from dataclasses import replace

    first, last = schedule_rates(FAST_IMAGE)
    away = 0.03 if FAST.learning_rate != 0.03 else 0.04
    run_controls = {"seed": 9, "speed": 1, "max_iterations": 50}
    assert differences(replace(FAST, **run_controls), "Fast") == []
    assert differences(replace(FAST, learning_rate=away), "Fast") == [
        f"learning rate {away:g} instead of the Fast preset's schedule ({first:g} → {last:g})"
    ]
    assert differences(replace(FAST, l2=1e-3, units=(27, 31, 30)), "Fast") == [
        "hidden layers 27 relu · 31 relu · 30 relu instead of 27 relu · 31 relu · 31 relu",
        "l2 penalty 0.001 instead of none",
    ]
    assert differences(replace(TUTORIAL, batch_size=64), "Tutorial") == [
        "batch size 64 instead of full batch"
    ]
    # The init scale counts with the tutorial init only: He init ignores it.
    assert differences(replace(FAST, init_scale=0.5), "Fast") == []
    assert differences(replace(TUTORIAL, init_scale=0.5), "Tutorial") == [
        f"init scale 0.5 instead of {TUTORIAL.init_scale:g}"
    ]


def test_back_to_a_preset_keeps_the_seed_and_run_controls() -> None:
    from dataclasses import replace

    run_controls = {"seed": 5, "speed": 10, "max_iterations": 50, "target_cost": 0.1}
    assert back_to(replace(TUTORIAL, **run_controls), "Fast") == replace(FAST, **run_controls)
    assert back_to(replace(FAST, optimizer="gd", l2=0.01), "Fast") == FAST


def test_dead_units_are_counted_per_relu_layer() -> None:
    X = np.random.default_rng(0).uniform(-1, 1, (500, 2))
    net = TUTORIAL_IMAGE.network(seed=2)
    assert all(dead < units for _, dead, units in dead_units(net, X))
    net.layers[2].bias[:] = -100.0  # every unit of hidden layer 3 now outputs 0
    found = dead_units(net, X)
    assert [layer for layer, _, _ in found] == [1, 2, 3]
    assert found[2] == (3, 31, 31)
    tanh = nn.Network(seed=0).add(4, "tanh", input_dim=2).add(1, "sigmoid")
    assert dead_units(tanh, X) == []


def test_pictures_from_uploads_and_the_tutorial_npz() -> None:
    picture = uploaded_picture("dots.png", png(Image.new("RGB", (30, 20), (10, 20, 30))))
    assert picture.image.size == (30, 20) and picture.key.startswith("upload:")
    with pytest.raises(ImageError):
        uploaded_picture("bad.png", b"definitely not a picture")
    X, Y, _ = image_to_xy(load_transmission("message"), "1bit")
    buffer = io.BytesIO()
    np.savez(buffer, X=X.T, Y=Y.T)
    from_npz = npz_picture("image.npz", buffer.getvalue())
    assert from_npz.image.size == (94, 100)
    assert np.array_equal(image_to_xy(from_npz.image, "1bit")[1], Y)
    with pytest.raises(ImageError):
        npz_picture("bad.npz", b"PK nope")
