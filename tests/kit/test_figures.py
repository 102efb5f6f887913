"""kit.figures: every builder draws its view, the files are what they say (300 dpi PNG, SVG,
PDF) and the same every time, matplotlib stays off the live path, and the widget shows three
buttons without building the figure."""

import io
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image
from streamlit.testing.v1 import AppTest

from kit import colormaps, figures
from kit.charts import Curve
from tests import REPO_ROOT

ITERATIONS = np.arange(0, 1000, 10)
COSTS = 30 * np.exp(-ITERATIONS / 150) + 1e-3


def plane(size: int = 40) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(class 1) over [-2, 2]², row 0 at the top: 1 outside the circle of radius 1.2."""
    ticks = np.linspace(-2, 2, size)
    x, y = np.meshgrid(ticks, ticks[::-1])
    P = 1 / (1 + np.exp(-4 * (x**2 + y**2 - 1.44)))
    points = np.array([[0.0, 0.0], [0.3, -0.2], [1.8, 1.5], [-1.7, 1.6]])
    return P, points, np.array([[0.0], [0.0], [1.0], [1.0]])


def small_figure() -> Figure:
    return figures.fitted_line(np.arange(-2.0, 5.0), 2 * np.arange(-2.0, 5.0) + 1, 2.0, 1.0)


# ---- the builders ----------------------------------------------------------------------------
def test_cost_curve_draws_every_curve_on_a_log_axis() -> None:
    fig = figures.cost_curve(
        ITERATIONS, COSTS, label="train", extra=[Curve("test", ITERATIONS, 2 * COSTS)]
    )
    (ax,) = fig.axes
    assert [line.get_label() for line in ax.get_lines()] == ["train", "test"]
    assert np.array_equal(ax.get_lines()[1].get_ydata(), 2 * COSTS)
    assert ax.get_yscale() == "log" and ax.get_title() == "The cost"
    assert ax.get_xlabel() == "iteration" and ax.get_legend() is not None


def test_cost_curve_falls_back_to_a_linear_axis_for_a_zero_cost() -> None:
    (ax,) = figures.cost_curve([0, 1, 2], [1.0, 0.5, 0.0]).axes
    assert ax.get_yscale() == "linear" and ax.get_legend() is None


def test_fitted_line_draws_the_points_and_both_lines() -> None:
    x = np.arange(-2.0, 5.0)
    fig = figures.fitted_line(x, 2 * x + 1, 1.5, 0.5, least_squares=(2.0, 1.0))
    (ax,) = fig.axes
    network, best = ax.get_lines()
    xs = network.get_xdata()
    assert np.allclose(network.get_ydata(), 1.5 * xs + 0.5)
    assert np.allclose(best.get_ydata(), 2.0 * xs + 1.0)
    assert xs.min() < -2 and xs.max() > 4  # the line spans the points
    assert np.array_equal(ax.collections[0].get_offsets(), np.column_stack([x, 2 * x + 1]))


def test_cost_surface_is_log_cost_with_the_path_and_the_answer() -> None:
    ws, bs = np.linspace(0, 4, 9), np.linspace(-1, 3, 9)
    J = (ws[None, :] - 2) ** 2 + (bs[:, None] - 1) ** 2
    path = np.array([[0.0, 0.0], [1.0, 0.5], [2.0, 1.0]])
    fig = figures.cost_surface((ws, bs, J), path, (2.0, 1.0))
    ax, colour_bar = fig.axes
    (image,) = ax.get_images()
    assert np.allclose(image.get_array(), np.log10(J + 1e-6))
    assert image.get_extent() == [-0.25, 4.25, -1.25, 3.25]
    assert image.origin == "lower"  # J[0] is the lowest b
    assert np.array_equal(ax.get_lines()[0].get_xydata(), path)
    assert image.cmap(0.0, bytes=True)[:3] == tuple(colormaps.lut("blues_r")[0])  # low: dark
    assert colour_bar.get_ylabel() == "log₁₀ J(w, b)"


@pytest.mark.parametrize("name", colormaps.DIVERGING)
def test_decision_surface_draws_the_plane_the_boundary_and_the_classes(name) -> None:
    P, points, classes = plane()
    fig = figures.decision_surface(
        P, 2.0, points, classes, test_points=points[:1] + 0.1, test_classes=classes[:1],
        colormap=name,
    )  # fmt: skip
    ax = fig.axes[0]
    (image,) = ax.get_images()
    assert np.array_equal(image.get_array(), P) and image.origin == "upper"
    assert image.get_extent() == [-2.0, 2.0, -2.0, 2.0]
    assert len(ax.collections) == 4  # the p = 0.5 contour, class 0, class 1, test class 0
    class_0, class_1 = ax.collections[1:3]
    low, high = colormaps.class_colours(name)
    assert np.allclose(class_0.get_facecolor()[0][:3], low / 255)
    assert np.allclose(class_1.get_facecolor()[0][:3], high / 255)
    assert np.array_equal(class_1.get_offsets(), points[2:])
    labels = [text.get_text() for text in fig.legends[0].get_texts()]
    assert labels == ["class 0", "class 1", "class 0 (test)"]


def test_decision_surface_without_a_boundary_draws_no_contour() -> None:
    P, points, classes = plane()
    fig = figures.decision_surface(np.full_like(P, 0.9), (-2, 2, -1, 1), points, classes)
    assert len(fig.axes[0].collections) == 2 and fig.axes[0].get_ylim() == (-1, 1)


def test_target_and_output_shows_both_pictures_pixel_for_pixel() -> None:
    target = np.zeros((20, 30))
    target[5:15, 10:20] = 1.0
    output = np.clip(target + 0.2, 0, 1)
    fig = figures.target_and_output(target, output, caption="pixel accuracy 100 %")
    left, right = fig.axes
    assert left.get_title() == "The target" and right.get_title() == "The network's picture"
    assert np.array_equal(right.get_images()[0].get_array(), output)
    assert left.get_images()[0].get_interpolation() == "nearest"
    assert left.get_images()[0].cmap(1.0, bytes=True)[:3] == (0, 0, 0)  # darkness 1: black
    assert fig.get_supxlabel() == "pixel accuracy 100 %"


def test_target_and_output_takes_rgb_pictures_and_clamps_them() -> None:
    rgb = np.random.default_rng(0).uniform(-0.5, 1.5, (8, 8, 3))
    fig = figures.target_and_output(rgb, rgb)
    shown = fig.axes[0].get_images()[0].get_array()
    assert shown.shape == (8, 8, 3) and shown.min() >= 0 and shown.max() <= 1


def test_feature_bars_colour_by_sign_in_the_given_order() -> None:
    names, weights = ["sex", "age", "fare"], [2.0, -0.5, 0.25]
    fig = figures.feature_bars(names, weights, spread=[0.1, 0.1, 0.1], value_label="weight w")
    (ax,) = fig.axes
    bars = ax.patches
    assert [bar.get_width() for bar in bars] == weights
    negative, positive = colormaps.class_colours("playground")
    assert np.allclose(bars[0].get_facecolor()[:3], positive / 255)
    assert np.allclose(bars[1].get_facecolor()[:3], negative / 255)
    assert [label.get_text() for label in ax.get_yticklabels()] == names
    assert ax.yaxis_inverted()  # the first name at the top
    assert ax.get_xlabel() == "weight w"


# ---- files -----------------------------------------------------------------------------------
def test_png_is_300_dpi_at_the_figures_size() -> None:
    fig = small_figure()
    image = Image.open(io.BytesIO(figures.figure_bytes(fig, "png")))
    assert image.format == "PNG"
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)  # pHYs holds pixels/metre
    width, height = fig.get_size_inches()
    assert image.size == (round(300 * width), round(300 * height))


def test_svg_is_xml_and_pdf_is_a_pdf() -> None:
    svg = figures.figure_bytes(small_figure(), "svg")
    root = ET.fromstring(svg)  # our own file: nothing untrusted is parsed
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"<dc:date>" not in svg
    pdf = figures.figure_bytes(small_figure(), "pdf")
    assert pdf.startswith(b"%PDF") and b"/CreationDate" not in pdf


@pytest.mark.parametrize("fmt", list(figures.FORMATS))
def test_the_same_figure_gives_the_same_bytes(fmt) -> None:
    assert figures.figure_bytes(small_figure(), fmt) == figures.figure_bytes(small_figure(), fmt)


def test_an_unknown_format_is_refused_with_the_choices() -> None:
    with pytest.raises(figures.FigureFormatError, match="choose one of png, svg, pdf"):
        figures.figure_bytes(small_figure(), "jpg")
    with pytest.raises(figures.FigureFormatError):
        figures.figure_file(small_figure, "eps")


def test_figure_file_builds_on_call() -> None:
    built = []

    def build() -> Figure:
        built.append(1)
        return small_figure()

    make = figures.figure_file(build, "pdf")
    assert built == []
    assert make().startswith(b"%PDF") and built == [1]


def test_file_stem_keeps_only_safe_characters() -> None:
    assert figures.file_stem("../the rose: 4 units") == "the-rose-4-units"
    assert figures.file_stem("linear_cost-surface.v2") == "linear_cost-surface.v2"
    assert figures.file_stem("///") == "figure"


# ---- off the live path -----------------------------------------------------------------------
def test_the_live_view_and_the_figures_module_do_not_import_matplotlib() -> None:
    code = (
        "import sys, kit.live, kit.figures, kit.colormaps\n"
        "print('kit.figures' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    ).stdout.split()
    assert out == ["True", "False"]


@pytest.mark.slow  # a fresh interpreter loads matplotlib and streamlit: about 4 s
def test_building_and_saving_never_touches_pyplot() -> None:
    """No pyplot: no global figure list shared by the sessions of a server."""
    code = (
        "import sys, numpy as np, kit.figures as f\n"
        "f.figure_bytes(f.cost_curve([0, 1], [1.0, 0.5]), 'png')\n"
        "print('matplotlib' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    ).stdout.split()
    assert out == ["True", "False"]


# ---- the widget ------------------------------------------------------------------------------
def download_page() -> None:
    from kit.figures import download_figure

    def build():
        raise AssertionError("the figure was built on a rerun, before any click")

    download_figure("rose.surface", "rose: decision surface", build)


def test_the_widget_shows_three_buttons_without_building_the_figure() -> None:
    at = AppTest.from_function(download_page).run()
    assert not at.exception
    buttons = at.download_button
    assert [button.key for button in buttons] == [
        "rose.surface.png",
        "rose.surface.svg",
        "rose.surface.pdf",
    ]
    assert [button.label for button in buttons] == ["PNG · 300 dpi", "SVG", "PDF"]
    assert at.caption[0].value == "Download figure"
