"""Home: what this is, the four lessons, how a dense network computes, how to use it in class."""

import io
import math

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw

from kit.diagram import NEGATIVE_COLOR, POSITIVE_COLOR, network_diagram_spec
from lessons import LESSONS

PICTURE_SIZE = (400, 220)
SUPERSAMPLE = 3  # draw large, shrink with a good filter: smooth edges without extra libraries
INK = "#3b4652"
PALE = "#d5dbe3"


def _picture(draw_on) -> bytes:
    """A PNG lesson picture; ``draw_on(draw, to_px)`` draws in unit coordinates (0..1, y up)."""
    width, height = (side * SUPERSAMPLE for side in PICTURE_SIZE)
    image = Image.new("RGB", (width, height), "#f7f9fb")

    def to_px(x: float, y: float) -> tuple[float, float]:
        return 0.06 * width + 0.88 * width * x, height - 0.08 * height - 0.84 * height * y

    draw_on(ImageDraw.Draw(image), to_px)
    buffer = io.BytesIO()
    image.resize(PICTURE_SIZE, Image.Resampling.LANCZOS).save(buffer, format="PNG")
    return buffer.getvalue()


def _dot(draw, center, radius: float, fill: str) -> None:
    x, y = center
    r = radius * SUPERSAMPLE
    draw.ellipse((x - r, y - r, x + r, y + r), fill=fill, outline="white", width=SUPERSAMPLE)


def _linear(draw, to_px) -> None:
    """Seven points on y = 2x + 1 and the prediction at x = 12."""

    def point(x: float) -> tuple[float, float]:
        return to_px(x / 13, (2 * x + 1) / 27)

    draw.line([point(-0.3), point(12)], fill=PALE, width=4 * SUPERSAMPLE)
    for x in range(7):
        _dot(draw, point(x), 7, POSITIVE_COLOR)
    _dot(draw, point(12), 10, NEGATIVE_COLOR)


def _titanic(draw, to_px) -> None:
    """Passengers at 0 (lost) and 1 (saved) and the sigmoid a logistic regression fits."""
    rng = np.random.default_rng(3)
    curve = [to_px(x, 0.05 + 0.9 / (1 + math.exp(-12 * (x - 0.5)))) for x in np.linspace(0, 1, 80)]
    draw.line(curve, fill=INK, width=4 * SUPERSAMPLE, joint="curve")
    for x in rng.uniform(0, 1, 26):
        saved = rng.uniform() < 1 / (1 + math.exp(-10 * (x - 0.5)))
        y = (0.95 if saved else 0.05) + rng.uniform(-0.04, 0.04)
        _dot(draw, to_px(x, y), 6, POSITIVE_COLOR if saved else NEGATIVE_COLOR)


def _rose(draw, to_px) -> None:
    """The rose r = 4 cos(7θ), three of its seven petals coloured."""
    for petal in range(7):
        theta = np.linspace(petal - 0.5, petal + 0.5, 60) * math.pi / 7
        radius = 4 * np.cos(7 * theta)
        outline = [
            to_px(0.5 + r * math.cos(t) / 14.5, 0.5 + r * math.sin(t) / 8.4)
            for r, t in zip(radius, theta, strict=True)
        ]
        fill = POSITIVE_COLOR if petal in (0, 2, 4) else "#fde3c0"
        draw.polygon(outline, fill=fill, outline=INK, width=2 * SUPERSAMPLE)


def _mustafar(draw, to_px) -> None:
    """A 1-bit planet on a coarse grid, then "enhanced" on a grid four times finer."""

    def is_planet(x: float, y: float) -> bool:  # unit square, centre (0.5, 0.5)
        big_crater = (x - 0.38) ** 2 + (y - 0.6) ** 2 < 0.012
        small_crater = (x - 0.62) ** 2 + (y - 0.35) ** 2 < 0.006
        return (x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.2 and not (big_crater or small_crater)

    (left, bottom), (right, top) = to_px(0, 0), to_px(1, 1)
    side = min(bottom - top, (right - left) * 0.4)
    bottom -= (bottom - top - side) / 2
    for x0, cells in ((left, 12), (right - side, 48)):
        cell = side / cells
        for i in range(cells):
            for j in range(cells):
                if is_planet((i + 0.5) / cells, (j + 0.5) / cells):
                    x, y = x0 + i * cell, bottom - (j + 1) * cell
                    draw.rectangle((x, y, x + cell, y + cell), fill=INK)
    unit, middle, height = SUPERSAMPLE, (left + right) / 2, (top + bottom) / 2
    draw.line(
        [(middle - 14 * unit, height), (middle + 8 * unit, height)],
        fill=NEGATIVE_COLOR,
        width=4 * unit,
    )
    tip = [
        (middle + 16 * unit, height),
        (middle + 6 * unit, height - 8 * unit),
        (middle + 6 * unit, height + 8 * unit),
    ]
    draw.polygon(tip, fill=NEGATIVE_COLOR)


def _sweep(draw, to_px) -> None:
    """Many trained networks: cost against size, the best one ringed."""
    rng = np.random.default_rng(5)
    sizes = rng.uniform(0.05, 0.95, 28)
    costs = 0.15 + 0.6 * (1 - sizes) ** 2 + rng.uniform(0, 0.25, 28)
    for x, y in zip(sizes, costs, strict=True):
        _dot(draw, to_px(x, min(y, 0.95)), 6, POSITIVE_COLOR)
    best = int(np.argmin(costs))
    _dot(draw, to_px(sizes[best], costs[best]), 10, NEGATIVE_COLOR)


def _classes(draw, to_px) -> None:
    """Three clouds of points in three colours: a softmax tells them apart."""
    rng = np.random.default_rng(3)
    for (x, y), colour in zip(
        [(0.25, 0.3), (0.72, 0.35), (0.5, 0.75)],
        [POSITIVE_COLOR, NEGATIVE_COLOR, "#009e73"],  # the third: Okabe-Ito's bluish green
        strict=True,
    ):
        for dx, dy in rng.normal(scale=0.07, size=(9, 2)):
            _dot(draw, to_px(x + dx, y + dy), 6, colour)


@st.cache_data(show_spinner=False)
def lesson_picture(number: int) -> bytes:
    """The small picture on the card of lesson ``number``."""
    pictures = {1: _linear, 2: _titanic, 3: _rose, 4: _mustafar, 5: _sweep, 6: _classes}
    return _picture(pictures[number])


def example_diagram() -> dict:
    """The Rose network, 2 → 4 tanh → 1 sigmoid, with fixed example weights and biases."""
    rng = np.random.default_rng(7)
    weights = [rng.normal(size=(4, 2)), rng.normal(size=(1, 4))]
    biases = [rng.normal(scale=0.5, size=(4, 1)), rng.normal(scale=0.5, size=(1, 1))]
    return network_diagram_spec([2, 4, 1], weights, biases, ["tanh", "sigmoid"])


st.title("Neural network from scratch")
st.markdown(
    "A neural network written **from scratch in NumPy**, following the tutorial "
    "*A neural network from scratch* by Dennis Bakhuis. Every lesson drives the same small "
    "engine: choose the **units**, the **depth** and the **learning rate** with sliders, "
    "press Play and watch it learn."
)

for lesson, column in zip(LESSONS, st.columns(len(LESSONS), border=True), strict=True):
    with column:
        st.image(lesson_picture(lesson.number), width="stretch")
        st.markdown(f"**{lesson.number} · {lesson.title}**")
        st.caption(lesson.promise)
        if lesson.is_available:
            st.page_link(lesson.page, label="Open", icon=":material/arrow_forward:")
        else:
            st.badge("coming", icon=":material/schedule:", color="gray")

network, classroom = st.columns([1, 1], gap="large")
with network:
    st.subheader("How the network computes")
    st.vega_lite_chart(example_diagram(), width="stretch")
    st.latex(r"z^{[l]} = W^{[l]}\,a^{[l-1]} + b^{[l]}, \qquad a^{[l]} = g\big(z^{[l]}\big)")
    st.caption(
        "Each layer multiplies by W (shape units × inputs), adds a bias b and applies an "
        "activation g. Line width ∝ |w|: blue positive, orange negative; the small squares "
        "are biases. Hover for exact values (example weights)."
    )
with classroom:
    st.subheader("In class")
    st.code('make run\nmake run ARGS="--server.address 0.0.0.0"', language="bash", wrap_lines=True)
    st.markdown(
        "- The first line sets everything up and serves http://localhost:8501; the second "
        "serves the room: students open `http://<your-ip>:8501`.\n"
        "- Settings live in the URL: copy it to share an exact network.\n"
        "- **Play**, **Pause** and **Step** drive the training; on the projector, **Space**, "
        "**→** and **R** do too, and **Speed** slows it down while you talk.\n\n"
        "**A 10-minute flow:** 2 min on this diagram · 3 min Linear regression (predict 12) · "
        "3 min Rose (1 unit fails, 4 tanh units draw the flower) · 2 min students move one "
        "slider and share their URL."
    )
