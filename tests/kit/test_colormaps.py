"""kit.colormaps: the tables are matplotlib's (checked against the matplotlib installed), the
Playground map is view.js's, lookups clamp, and the colour-blind-safe choice survives a
simulation of deuteranopia and protanopia."""

import json
import re
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

from kit import colormaps
from kit.colormaps import ColormapError, apply, class_colours, indices, lut
from tests import REPO_ROOT


def matplotlib_table(name: str) -> np.ndarray:
    return matplotlib.colormaps[name](np.arange(256), bytes=True)[:, :3]


# ---- the data file ---------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "matplotlib_name"), colormaps.FROM_MATPLOTLIB.items())
def test_the_stored_tables_are_what_matplotlib_draws_now(name, matplotlib_name) -> None:
    assert np.array_equal(lut(name), matplotlib_table(matplotlib_name))


def test_the_script_rewrites_the_data_file_byte_for_byte(tmp_path) -> None:
    out = tmp_path / "colormaps.json"
    script = REPO_ROOT / "scripts" / "colormaps.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    assert out.read_bytes() == colormaps.DATA_FILE.read_bytes()
    source = json.loads(out.read_text())["source"]
    assert source["names"] == colormaps.FROM_MATPLOTLIB


def test_reading_the_maps_does_not_import_matplotlib() -> None:
    code = (
        "import sys, kit.colormaps as c; c.apply([0.5], 0, 1, 'puor'); print(sorted(sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    ).stdout
    assert "kit.colormaps" in out and "matplotlib" not in out


# ---- the tables ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [*colormaps.NAMES, "puor_r", "blues_r"])
def test_every_table_is_256_read_only_rgb_bytes(name) -> None:
    table = lut(name)
    assert table.shape == (256, 3) and table.dtype == np.uint8
    with pytest.raises(ValueError, match="read-only"):
        table[0, 0] = 1


def test_every_name_has_a_label_and_a_kind() -> None:
    assert set(colormaps.LABELS) == set(colormaps.NAMES)
    assert set(colormaps.DIVERGING) | set(colormaps.SEQUENTIAL) == set(colormaps.NAMES)
    assert set(colormaps.COLOUR_BLIND_SAFE) <= set(colormaps.NAMES)


def test_the_ends_of_each_map() -> None:
    assert lut("playground")[0].tolist() == [245, 147, 34]  # orange
    assert lut("playground")[-1].tolist() == [8, 119, 189]  # blue
    assert lut("puor")[0].tolist() == [127, 59, 8] and lut("puor")[-1].tolist() == [45, 0, 75]
    assert lut("gray")[0].tolist() == [0, 0, 0] and lut("gray")[-1].tolist() == [255, 255, 255]
    for name in colormaps.DIVERGING:  # white in the middle
        assert lut(name)[127:129].min() >= 245


def test_playground_is_the_live_views_map() -> None:
    """Playground's ends are kit/live/view.js's default point colours; Rose's surface is the map
    at SURFACE_STRENGTH; "gray_r" is Mustafar's darkness (1 black)."""
    js = (REPO_ROOT / "kit" / "live" / "view.js").read_text()
    for name, ours in (("NEGATIVE", 0), ("POSITIVE", -1)):
        found = re.search(rf"const {name} = \[(\d+), (\d+), (\d+)\]", js)
        assert found and [int(v) for v in found.groups()] == lut("playground")[ours].tolist()
    # white mixed toward the end by 0.75 |2t - 1| at t = 0, rounded half up: 255 - 0.75 (255 - c)
    assert lut("playground", colormaps.SURFACE_STRENGTH)[0].tolist() == [248, 174, 89]
    darkness = 255 - np.arange(256)  # what view.js drew for Mustafar before: 255 (1 - t)
    assert np.abs(lut("gray_r").astype(int) - darkness[:, None]).max() <= 1
    assert lut("playground", 0.0).min() == 255  # strength 0: all white


def test_a_trailing_r_reverses_a_map() -> None:
    assert np.array_equal(lut("cividis_r"), lut("cividis")[::-1])


def test_blues_is_the_scheme_of_linears_cost_surface() -> None:
    """ColorBrewer's nine blues (Vega's "blues", drawn by Linear's ``blues``) lie on the map
    at t = k / 8, within matplotlib's rounding down."""
    stops = np.array(
        [(247, 251, 255), (222, 235, 247), (198, 219, 239), (158, 202, 225), (107, 174, 214),
         (66, 146, 198), (33, 113, 181), (8, 81, 156), (8, 48, 107)]
    )  # fmt: skip
    drawn = apply(np.arange(9) / 8, 0.0, 1.0, "blues").astype(int)
    assert np.abs(drawn - stops).max() <= 2


def test_unknown_names_and_strengths_are_refused_with_the_choices() -> None:
    with pytest.raises(ColormapError, match="Known maps: playground, puor"):
        lut("viridis")
    with pytest.raises(ColormapError, match=r"strength must lie in \[0, 1\]"):
        lut("puor", 1.5)


def test_class_colours() -> None:
    orange, blue = class_colours("playground")
    assert orange.tolist() == [245, 147, 34] and blue.tolist() == [8, 119, 189]
    orange, purple = class_colours("puor")  # vivid, not PuOr's near-black ends
    assert orange[0] > 200 and orange[0] > orange[2] and purple[2] > purple[1] + 60
    low, high = class_colours("cividis")  # a sequential map: its ends
    assert (
        low.tolist() == lut("cividis")[0].tolist() and high.tolist() == lut("cividis")[-1].tolist()
    )


# ---- lookups ---------------------------------------------------------------------------------
def test_apply_keeps_the_shape_and_adds_the_colour_axis() -> None:
    values = np.linspace(0, 1, 24).reshape(2, 3, 4)
    rgb = apply(values, 0.0, 1.0, "cividis")
    assert rgb.shape == (2, 3, 4, 3) and rgb.dtype == np.uint8
    assert rgb[0, 0, 0].tolist() == lut("cividis")[0].tolist()
    assert rgb[-1, -1, -1].tolist() == lut("cividis")[-1].tolist()


def test_apply_clamps_out_of_range_nan_and_infinity() -> None:
    values = np.array([-5.0, 7.0, np.nan, -np.inf, np.inf, 1e308, -1e308])
    assert indices(values, -1e308, 1e308)[-1] == 0  # no overflow warning (pytest: an error)
    rows = indices(values, 0.0, 1.0)
    assert rows.tolist() == [0, 255, 128, 0, 255, 255, 0]
    assert apply(values, 0.0, 1.0, "playground")[2].min() >= 254  # NaN: the white middle


def test_a_reversed_or_empty_range() -> None:
    assert indices(np.array([0.0, 1.0]), 1.0, 0.0).tolist() == [255, 0]  # low > high: reversed
    assert indices(np.array([1.0, 2.0, 3.0]), 2.0, 2.0).tolist() == [0, 0, 255]
    with pytest.raises(ColormapError, match="finite"):
        indices(np.array([0.0]), 0.0, np.nan)


def test_apply_rounds_to_the_nearest_row() -> None:
    assert indices(np.array([0.5 / 255, 0.49 / 255, 254.6 / 255]), 0, 1).tolist() == [0, 0, 255]


# ---- colour-blind safety ---------------------------------------------------------------------
# Machado, Oliveira and Fernandes (2009), severity 1, applied to linear RGB.
SIMULATIONS = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
}  # fmt: skip


def seen(rgb: np.ndarray, vision: str | None) -> np.ndarray:
    """sRGB as someone with ``vision`` (None: normal) sees it, 0..255 floats."""
    if vision is None:
        return rgb.astype(float)
    s = rgb / 255.0
    linear = np.where(s <= 0.04045, s / 12.92, ((s + 0.055) / 1.055) ** 2.4)
    simulated = np.clip(linear @ np.array(SIMULATIONS[vision]).T, 0.0, 1.0)
    srgb = np.where(
        simulated <= 0.0031308, 12.92 * simulated, 1.055 * simulated ** (1 / 2.4) - 0.055
    )
    return 255 * srgb


def arms_apart(table: np.ndarray, vision: str | None) -> float:
    """The smallest distance between two colours equally far from the middle, from a quarter
    of the way out: how well "above" and "below" the middle can be told apart."""
    out = np.arange(32, 128)
    below, above = seen(table[127 - out], vision), seen(table[128 + out], vision)
    return float(np.min(np.linalg.norm(below - above, axis=1)))


@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_puor_reads_the_same_with_deuteranopia_and_protanopia(vision) -> None:
    normal = arms_apart(lut("puor"), None)
    assert arms_apart(lut("puor"), vision) >= max(70.0, 0.9 * normal)
    assert arms_apart(lut("puor"), vision) > arms_apart(lut("playground"), vision)
    red_green = matplotlib_table("RdYlGn")  # the check can fail: a red-green map collapses
    assert arms_apart(red_green, vision) < 0.5 * arms_apart(red_green, None)


@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_cividis_stays_ordered_in_lightness(vision) -> None:
    """Each step along cividis is at least as light as the last, seen either way."""
    grey = seen(lut("cividis"), vision) @ np.array([0.2126, 0.7152, 0.0722])
    assert np.all(np.diff(grey) > -1.0)
