"""Named colour maps as lookup tables: 256 RGB colours each, value -> colour by table lookup.

``lut(name)`` is a (256, 3) uint8 table, entry 0 for the low end of a range and entry 255 for
the high end; ``apply(values, low, high, name)`` colours an array of any shape. A name ending
in ``_r`` is the map reversed (matplotlib's convention): ``apply(J, low, high, "blues_r")`` draws
low costs dark.

The tables come from matplotlib, but matplotlib is not imported here: the live views colour a
frame every few milliseconds and must not pay for it. ``scripts/colormaps.py`` writes the tables
once into ``colormaps.json`` beside this file, and a test checks that the file still matches
what matplotlib gives. "playground" is not a matplotlib map: it is TensorFlow Playground's
orange - white - blue, computed here exactly as ``kit/live/view.js`` computes it.

Which map for what:

- "playground": diverging, class 0 / negative orange, class 1 / positive blue (today's colours).
- "puor": matplotlib's PuOr, diverging orange - white - purple, colour-blind safe (ColorBrewer
  rates it so). Its arms differ along the blue-yellow axis, the cue that deuteranopes and
  protanopes keep. Simulated (Machado et al., 2009), two values equally far from the middle
  (from a quarter of the way out) stay at least 79 RGB units apart for both, against 84 for
  normal vision; Playground's orange and blue fall from 72 to 49, BrBG from 75 to 48. It also
  keeps orange for class 0, so a class reads the same in Playground's colours and in these.
- "cividis": sequential dark blue - yellow, designed to read the same with and without
  deuteranopia or protanopia (Nunez, Anderton and Renslow, 2018).
- "blues": ColorBrewer's Blues (Vega's "blues"), the scheme Linear's cost surface is drawn in;
  "blues_r" is its ``blues(values, low, high)``: low dark.
- "gray": black - white, for pictures ("gray_r" is darkness: 1 black, 0 white).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

DATA_FILE = Path(__file__).with_name("colormaps.json")
# Our name -> matplotlib's name, for the maps read from DATA_FILE (scripts/colormaps.py reads it).
FROM_MATPLOTLIB = {"puor": "PuOr", "cividis": "cividis", "blues": "Blues", "gray": "gray"}
# TensorFlow Playground's colours, as in lessons/rose/views.py and kit/live/view.js.
PLAYGROUND_NEGATIVE = (245, 147, 34)  # orange: class 0, low values
PLAYGROUND_POSITIVE = (8, 119, 189)  # blue: class 1, high values
# Up to five classes: Okabe and Ito's colour-blind-safe orange, sky blue, bluish green, blue and
# purple, class 0 first; a surface mixes them by probability, lightened this much with white so
# that the points on it stand out.
CLASS_COLOURS = ((230, 159, 0), (86, 180, 233), (0, 158, 115), (0, 114, 178), (204, 121, 167))
CLASS_LIGHTEN = 0.45
NAMES = ("playground", *FROM_MATPLOTLIB)
DIVERGING = ("playground", "puor")  # a middle value (p = 0.5, weight 0) shows white
SEQUENTIAL = ("cividis", "blues", "gray")
COLOUR_BLIND_SAFE = ("puor", "cividis")
LABELS = {
    "playground": "Playground (orange – blue)",
    "puor": "Orange – purple (colour-blind safe)",
    "cividis": "Cividis (colour-blind safe)",
    "blues": "Blues",
    "gray": "Gray",
}
# What a student calls each end of a diverging map: (low / class 0, high / class 1).
END_NAMES = {"playground": ("orange", "blue"), "puor": ("orange", "purple")}
# Rose's decision surface, in the live view and on slides, is this much of the full colours:
# paler than the points on it, so the points stand out.
SURFACE_STRENGTH = 0.75
SIZE = 256
WHITE = 255.0


class ColormapError(ValueError):
    """A colour map name or range that the lookup cannot use."""


def _playground() -> np.ndarray:
    """(256, 3) float: white mixed toward orange (entry 0) or blue (entry 255) by |2t - 1|."""
    t = np.arange(SIZE) / (SIZE - 1)
    side = np.where(t[:, None] < 0.5, PLAYGROUND_NEGATIVE, PLAYGROUND_POSITIVE)
    return WHITE + (side - WHITE) * np.abs(2 * t - 1)[:, None]


@cache
def _tables() -> dict[str, np.ndarray]:
    """Every map as a (256, 3) float table of unrounded colours (0..255)."""
    stored = json.loads(DATA_FILE.read_text(encoding="utf-8"))["maps"]
    tables = {"playground": _playground()}
    for name in FROM_MATPLOTLIB:
        colours = stored[name]
        tables[name] = np.array(
            [[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in colours], float
        )
    return tables


def _round(rgb: np.ndarray) -> np.ndarray:
    # Half up, as JavaScript's Math.round in view.js, so both sides draw the same bytes.
    return np.floor(rgb + 0.5).astype(np.uint8)


@cache
def _lut(name: str, strength: float) -> np.ndarray:
    base, reverse = (name[:-2], True) if name.endswith("_r") else (name, False)
    if base not in NAMES:
        known = ", ".join(NAMES)
        raise ColormapError(
            f"Unknown colour map {name!r}. Known maps: {known} (add _r to reverse one)."
        )
    table = _tables()[base]
    table = _round(WHITE - strength * (WHITE - table))
    table = table[::-1].copy() if reverse else table
    table.flags.writeable = False  # shared by every caller: a cached table must not change
    return table


def lut(name: str, strength: float = 1.0) -> np.ndarray:
    """The (256, 3) uint8 table of map ``name`` (read-only).

    ``strength`` in [0, 1] mixes every colour toward white: colour = 255 - strength (255 - c).
    Rose draws its decision surface at 0.75, so that the points on it stand out.
    """
    if not 0.0 <= strength <= 1.0:
        raise ColormapError(f"strength must lie in [0, 1], got {strength!r}; 1 is full colour.")
    return _lut(name, float(strength))


def table(name: str, strength: float = 1.0) -> list[int]:
    """``lut(name, strength)`` as 768 numbers, r g b for entry 0 then 1, ...: what the live
    view's browser component paints with."""
    return lut(name, strength).ravel().tolist()


def indices(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Table rows of ``values`` on [low, high]: round(255 (v - low) / (high - low)), clamped.

    Values outside the range take the nearest end; NaN takes the middle (a diverging map's
    white, as Rose's ``colorize`` does). ``low > high`` reverses the map; ``low == high``
    gives row 0 for values at or below it and row 255 above.
    """
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ColormapError(f"The range must be finite, got low={low!r}, high={high!r}.")
    values = np.asarray(values, dtype=float)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        t = (values - low) / ((high - low) or 1.0)
    t = np.clip(np.nan_to_num(t, nan=0.5, posinf=1.0, neginf=0.0), 0.0, 1.0)
    return np.rint(t * (SIZE - 1)).astype(np.intp)


def apply(
    values: np.ndarray, low: float, high: float, name: str = "playground", strength: float = 1.0
) -> np.ndarray:
    """RGB uint8 of ``values`` (any shape) on map ``name``: shape ``values.shape + (3,)``.

    ``low`` takes the map's first colour and ``high`` its last (see ``indices`` for values
    outside the range and NaN); ``strength`` as in ``lut``.
    """
    return lut(name, strength)[indices(values, low, high)]


def class_colours(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(class 0, class 1) colours, uint8 RGB, for points and bars drawn over map ``name``.

    On a diverging map, the most saturated colour (max - min channel) of each half: its end for
    Playground, the vivid orange and purple inside PuOr rather than its near-black ends. On a
    sequential map, its two ends."""
    table = lut(name)
    if name.removesuffix("_r") not in DIVERGING:
        return table[0], table[-1]
    saturation = table.max(axis=1).astype(int) - table.min(axis=1)
    half = SIZE // 2
    return table[np.argmax(saturation[:half])], table[half + np.argmax(saturation[half:])]
