"""Draw the built-in "transmissions" for the Mustafar lesson and save them as PNG files.

Every picture is drawn here in code (no third-party artwork); the text uses the DejaVu Sans Bold
font that matplotlib ships. The output is deterministic: running this again rewrites
``datasets/transmissions/*.png`` byte for byte (a test checks that). PICTURES are the shipped
transmissions; HELD_OUT are two more of the same kind that are drawn here but never written.

    .venv/bin/python scripts/make_transmissions.py [output_dir]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

OUT_DIR = Path(__file__).resolve().parent.parent / "datasets" / "transmissions"
SUPERSAMPLE = 4


def _font_path() -> Path:
    import matplotlib  # only for its bundled fonts

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"


def _to_1bit(big: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Downscale a supersampled L drawing and threshold it at half gray into a 1-bit image."""
    small = np.asarray(big.resize(size, Image.Resampling.LANCZOS))
    return Image.fromarray(small >= 128)


def draw_helmet() -> Image.Image:
    """An original stylised dark helmet, 94 x 100 pixels (W x H), black on white, 1-bit."""
    width, height, s = 94, 100, SUPERSAMPLE
    img = Image.new("L", (width * s, height * s), 255)
    d = ImageDraw.Draw(img)

    def pts(*xy: float) -> list[tuple[float, float]]:
        return [(xy[i] * s, xy[i + 1] * s) for i in range(0, len(xy), 2)]

    black, white = 0, 255
    d.ellipse(pts(13, 3, 81, 75), fill=black)  # dome
    d.polygon(pts(19, 46, 75, 46, 91, 97, 3, 97), fill=black)  # flared neck guard
    d.line(pts(16, 58, 30, 50, 47, 47, 64, 50, 78, 58), fill=white, width=2 * s)  # brim
    d.line(pts(47, 8, 47, 40), fill=white, width=s)  # dome ridge
    d.polygon(pts(26, 52, 44, 54, 41, 64, 29, 62), fill=white)  # left eye lens rim
    d.polygon(pts(68, 52, 50, 54, 53, 64, 65, 62), fill=white)  # right eye lens rim
    d.polygon(pts(28, 54, 42, 56, 40, 62, 30, 61), fill=black)  # left lens
    d.polygon(pts(66, 54, 52, 56, 54, 62, 64, 61), fill=black)  # right lens
    d.line(pts(47, 52, 47, 66), fill=white, width=2 * s)  # nose ridge
    d.polygon(pts(36, 68, 58, 68, 47, 86), fill=white)  # mouth grille
    for x in (41, 44.5, 49.5, 53):
        d.line(pts(x, 69, x, 80), fill=black, width=s)
    d.line(pts(29, 62, 20, 84), fill=white, width=s)  # cheek lines
    d.line(pts(65, 62, 74, 84), fill=white, width=s)
    d.line(pts(11, 92, 30, 88, 47, 90, 64, 88, 83, 92), fill=white, width=s)  # collar
    return _to_1bit(img, (width, height))


def draw_message(text: str = "HELP\nME") -> Image.Image:
    """A short text message in DejaVu Sans Bold, 94 x 100 pixels, black on white, 1-bit."""
    width, height, s = 94, 100, SUPERSAMPLE
    img = Image.new("L", (width * s, height * s), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(_font_path()), 30 * s)
    d.multiline_text(
        (width * s / 2, height * s / 2), text, font=font, fill=0, anchor="mm", align="center"
    )
    return _to_1bit(img, (width, height))


def draw_sunset(size: int = 100) -> Image.Image:
    """A synthetic sunset over the sea (RGB, size x size): sky gradient, sun, glittering water."""
    y, x = np.mgrid[0:size, 0:size] / (size - 1)
    horizon = 0.62
    sky_top, sky_low = np.array([30, 20, 90]), np.array([250, 120, 50])
    t = np.clip(y / horizon, 0, 1)[..., None] ** 1.5
    rgb = sky_top * (1 - t) + sky_low * t
    sun = np.hypot(x - 0.5, (y - 0.5) * 1.0)
    glow = np.clip(1 - sun / 0.12, 0, 1)[..., None]
    rgb = rgb * (1 - glow) + np.array([255, 230, 120]) * glow
    sea = y > horizon
    depth = np.clip((y - horizon) / (1 - horizon), 0, 1)
    water = (
        np.array([20, 40, 90]) * (1 - depth[..., None]) + np.array([5, 10, 40]) * depth[..., None]
    )
    glitter = (np.abs(x - 0.5) < 0.12 * (1 - depth) + 0.03) & (np.sin(y * 90) > 0.2)
    water = np.where(glitter[..., None], np.array([250, 170, 80]), water)
    rgb = np.where(sea[..., None], water, rgb)
    return Image.fromarray(np.clip(np.rint(rgb), 0, 255).astype(np.uint8), "RGB")


def draw_planet(size: int = 100) -> Image.Image:
    """A shaded, cratered planet on black (grayscale, size x size), lit from the upper left."""
    y, x = (np.mgrid[0:size, 0:size] - (size - 1) / 2) / (0.42 * size)
    rho2 = x**2 + y**2
    inside = rho2 < 1
    z = np.sqrt(np.clip(1 - rho2, 0, 1))
    light = np.array([-0.5, -0.6, 0.62])
    light = light / np.linalg.norm(light)
    shade = np.clip(x * light[1] + y * light[0] + z * light[2], 0, 1)
    albedo = np.ones_like(x)
    for cx, cy, r in ((-0.3, -0.2, 0.22), (0.35, 0.3, 0.18), (0.1, -0.5, 0.12), (-0.4, 0.45, 0.1)):
        albedo -= 0.35 * (np.hypot(x - cx, y - cy) < r)
    value = np.where(inside, 25 + 230 * shade * albedo, 0)
    return Image.fromarray(np.clip(np.rint(value), 0, 255).astype(np.uint8), "L")


# ---- the 1-bit transmissions beyond the helmet and the message ---------------------------------
# Each is drawn on a 4x supersampled canvas in final-pixel units (94 x 100, x to the right, y down)
# and thresholded by _to_1bit. Thin strokes are 1.25 to 1.5 pixels wide so that they survive it.

SIZE = (94, 100)
BLACK, WHITE = 0, 255


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A white supersampled "L" canvas for a SIZE picture, and its drawing context."""
    img = Image.new("L", (SIZE[0] * SUPERSAMPLE, SIZE[1] * SUPERSAMPLE), WHITE)
    return img, ImageDraw.Draw(img)


def _p(*xy: float) -> list[tuple[float, float]]:
    """Points given in final pixels as x0, y0, x1, y1, ... scaled onto the supersampled canvas."""
    return [(xy[i] * SUPERSAMPLE, xy[i + 1] * SUPERSAMPLE) for i in range(0, len(xy), 2)]


def _w(pixels: float) -> int:
    """A stroke width in final pixels as a whole number of supersampled pixels."""
    return max(1, round(pixels * SUPERSAMPLE))


def _disk(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: int = BLACK) -> None:
    d.ellipse(_p(cx - r, cy - r, cx + r, cy + r), fill=fill)


def _circle(
    d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, width: float, fill: int = BLACK
) -> None:
    """A ring of the given stroke width centred on radius r."""
    half = width / 2
    d.ellipse(
        _p(cx - r - half, cy - r - half, cx + r + half, cy + r + half),
        outline=fill,
        width=_w(width),
    )


def _line(d: ImageDraw.ImageDraw, width: float, *xy: float, fill: int = BLACK) -> None:
    d.line(_p(*xy), fill=fill, width=_w(width), joint="curve")


def _star(d: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: int = BLACK) -> None:
    """A four-pointed star of radius r with a waist of r / 3."""
    k = r / 3
    tips = ((0, -r), (k, -k), (r, 0), (k, k), (0, r), (-k, k), (-r, 0), (-k, -k))
    d.polygon([((cx + x) * SUPERSAMPLE, (cy + y) * SUPERSAMPLE) for x, y in tips], fill=fill)


def _font(pixels: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_font_path()), round(pixels * SUPERSAMPLE))


def draw_starfighter() -> Image.Image:
    """A twin-engine starfighter seen from above, nose up: canopy, wing stripes, wingtip cannons."""
    img, d = _canvas()
    d.polygon(_p(47, 3, 53, 24, 55, 78, 51, 93, 43, 93, 39, 78, 41, 24), fill=BLACK)  # fuselage
    d.polygon(_p(42, 42, 7, 72, 7, 84, 42, 74), fill=BLACK)  # left wing
    d.polygon(_p(52, 42, 87, 72, 87, 84, 52, 74), fill=BLACK)  # right wing
    for x in (9, 85):  # wingtip cannons
        _line(d, 3, x, 50, x, 88)
    for x0 in (24, 62):  # engine pods
        d.rounded_rectangle(_p(x0, 56, x0 + 8, 92), radius=3 * SUPERSAMPLE, fill=BLACK)
        d.rectangle(_p(x0 + 2, 86, x0 + 6, 90), fill=WHITE)  # exhaust
    d.ellipse(_p(43.5, 14, 50.5, 34), fill=WHITE)  # canopy
    _line(d, 1.5, 47, 16, 47, 32)  # canopy frame
    _line(d, 1.5, 47, 40, 47, 80, fill=WHITE)  # spine
    _line(d, 1.5, 13, 74, 22, 67, fill=WHITE)  # wing stripes
    _line(d, 1.5, 81, 74, 72, 67, fill=WHITE)
    _line(d, 1.5, 34, 60, 40, 56, fill=WHITE)
    _line(d, 1.5, 60, 60, 54, 56, fill=WHITE)
    return _to_1bit(img, SIZE)


def draw_droid() -> Image.Image:
    """A round droid on two legs: one big eye, a panel ring, side thrusters and an antenna."""
    img, d = _canvas()
    _line(d, 1.5, 47, 22, 47, 9)  # antenna
    _disk(d, 47, 7, 3)
    for f in (-1, 1):
        _line(d, 5, 47 + 11 * f, 74, 47 + 17 * f, 91)  # leg
        x0, x1 = sorted((47 + 10 * f, 47 + 25 * f))
        d.rounded_rectangle(_p(x0, 90, x1, 97), radius=6, fill=BLACK)  # foot
        x0, x1 = sorted((47 + 24 * f, 47 + 35 * f))
        d.rounded_rectangle(_p(x0, 38, x1, 62), radius=3 * SUPERSAMPLE, fill=BLACK)  # thruster
    _disk(d, 47, 50, 29)  # body
    for f in (-1, 1):
        for y in (44, 50, 56):  # thruster vents
            _line(d, 1.5, 47 + 30 * f, y, 47 + 34 * f, y, fill=WHITE)
    _circle(d, 47, 50, 22, 2, fill=WHITE)  # panel ring
    _disk(d, 47, 47, 11, fill=WHITE)  # eye
    _disk(d, 47, 47, 7)
    _disk(d, 44.5, 44.5, 2, fill=WHITE)  # glint
    for x in (41, 47, 53):  # speaker grille
        _line(d, 2, x, 63, x, 68, fill=WHITE)
    return _to_1bit(img, SIZE)


def _ellipse_points(
    cx: float, cy: float, a: float, b: float, tilt: float, t0: float, t1: float, n: int = 120
) -> list[float]:
    """x0, y0, x1, y1, ... along an ellipse with semi-axes a, b tilted by ``tilt`` radians."""
    t = np.linspace(t0, t1, n)
    x = cx + a * np.cos(t) * np.cos(tilt) - b * np.sin(t) * np.sin(tilt)
    y = cy + a * np.cos(t) * np.sin(tilt) + b * np.sin(t) * np.cos(tilt)
    return [float(v) for v in np.column_stack([x, y]).ravel()]


def draw_ringed_planet() -> Image.Image:
    """A banded planet inside a tilted ring, with three moons (one a crescent) and three stars."""
    img, d = _canvas()
    cx, cy, r, tilt = 44, 52, 21, -0.35
    _line(d, 4, *_ellipse_points(cx, cy, 40, 11, tilt, np.pi, 2 * np.pi))  # ring, far half
    planet, pd = _canvas()
    pd.rectangle(_p(0, 0, *SIZE), fill=BLACK)
    for y in (40, 47, 58, 64):  # cloud bands
        _line(pd, 2 if y in (47, 58) else 1.5, cx - 30, y + 8, cx + 30, y - 12, fill=WHITE)
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).ellipse(_p(cx - r, cy - r, cx + r, cy + r), fill=255)
    img.paste(planet, (0, 0), mask)
    near = _ellipse_points(cx, cy, 40, 11, tilt, 0, np.pi)
    _line(d, 7, *near, fill=WHITE)  # gap between the ring and the planet
    _line(d, 4, *near)  # ring, near half
    _disk(d, 78, 13, 7)  # moons
    _disk(d, 75, 11, 2.2, fill=WHITE)  # its crater
    _disk(d, 15, 84, 9)
    _disk(d, 19.5, 81, 8.5, fill=WHITE)  # crescent
    _disk(d, 78, 86, 4)
    for x, y, rr in ((11, 12, 5), (60, 92, 3.5), (26, 22, 3)):
        _star(d, x, y, rr)
    return _to_1bit(img, SIZE)


def draw_star_map() -> Image.Image:
    """A circular star chart: a bold ring with white degree ticks, three constellations of
    dots joined by thin lines, and a few bright four-pointed stars."""
    img, d = _canvas()
    cx, cy = 47, 50
    _circle(d, cx, cy, 42.5, 6)  # chart rim
    for k in range(24):  # ticks every 15 degrees cut into the rim
        a = k * np.pi / 12
        inner = 40.5 if k % 6 else 39.5
        c, s = np.cos(a), np.sin(a)
        width = 1.5 if k % 6 else 2.5
        _line(d, width, cx + inner * c, cy + inner * s, cx + 44 * c, cy + 44 * s, fill=WHITE)
    constellations = (
        ((20, 30), (30, 24), (40, 30), (46, 20), (58, 22)),  # a long chain
        ((58, 44), (70, 40), (76, 52), (66, 60), (58, 44), (52, 56)),  # a loop with a tail
        ((22, 60), (30, 72), (42, 76), (36, 60), (22, 60)),  # a kite
    )
    for stars in constellations:
        flat = [v for xy in stars for v in xy]
        _line(d, 1.25, *flat)
        for i, (x, y) in enumerate(stars):
            _disk(d, x, y, 2.6 if i % 2 == 0 else 2)
    for x, y, r in ((70, 26, 5), (52, 80, 4), (26, 44, 3.5), (64, 72, 3)):
        _star(d, x, y, r)
    for x, y in ((9, 6), (86, 8), (8, 95), (87, 94)):  # corner markers
        _disk(d, x, y, 2)
    return _to_1bit(img, SIZE)


def _wedge_ship(d: ImageDraw.ImageDraw, cx: float, top: float, w: float, h: float) -> None:
    """A wedge-shaped cruiser pointing up: hull, bridge tower, keel line and engine block."""
    d.polygon(_p(cx, top, cx + w / 2, top + h, cx - w / 2, top + h), fill=BLACK)  # hull
    block = h * 0.16
    d.rectangle(_p(cx - w * 0.3, top + h - 1, cx + w * 0.3, top + h + block), fill=BLACK)
    _line(d, 1.5, cx, top + h * 0.3, cx, top + h * 0.85, fill=WHITE)  # keel
    if w < 20:
        return
    for i in range(3):  # engine nozzles
        x = cx + (i - 1) * w * 0.18
        d.rectangle(
            _p(x - w * 0.05, top + h + block * 0.35, x + w * 0.05, top + h + block), fill=WHITE
        )
    _line(d, 1.5, cx - w * 0.32, top + h * 0.9, cx + w * 0.32, top + h * 0.9, fill=WHITE)
    d.rectangle(_p(cx - w * 0.08, top + h * 0.62, cx + w * 0.08, top + h * 0.78), fill=WHITE)


def draw_fleet() -> Image.Image:
    """A fleet of seven wedge-shaped cruisers in an arrowhead formation, flagship in front."""
    img, d = _canvas()
    _wedge_ship(d, 47, 3, 30, 38)  # flagship
    for cx in (19, 75):
        _wedge_ship(d, cx, 24, 22, 28)
    for cx in (8, 47, 86):
        _wedge_ship(d, cx, 58 if cx == 47 else 62, 14, 18)
    for cx in (27, 67):
        _wedge_ship(d, cx, 76, 12, 15)
    for x, y, r in ((8, 10, 3), (86, 12, 3.5), (47, 94, 3)):
        _star(d, x, y, r)
    return _to_1bit(img, SIZE)


def draw_galaxy() -> Image.Image:
    """A two-armed spiral galaxy with a bright core, companion clusters and background stars."""
    img, d = _canvas()
    cx, cy = 47, 50
    t = np.linspace(0, 1, 400)
    for arm in (0, np.pi):
        angle = arm + 0.3 + t * 1.45 * np.pi
        radius = 7 + 35 * t**1.1
        width = 10 - 7 * t
        for a, r, w in zip(angle, radius, width, strict=True):
            _disk(d, cx + r * np.cos(a), cy + 0.92 * r * np.sin(a), w / 2)
    _disk(d, cx, cy, 11)  # core
    _circle(d, cx, cy, 6.5, 1.5, fill=WHITE)
    _disk(d, cx, cy, 2.5, fill=WHITE)
    for x, y, r in ((76, 76, 3.5), (18, 22, 3), (64, 17, 2.5), (29, 83, 2.5)):  # clusters
        _disk(d, x, y, r)
    for x, y, r in ((8, 8, 4), (86, 92, 4), (84, 10, 3), (10, 90, 3)):
        _star(d, x, y, r)
    return _to_1bit(img, SIZE)


def _duelist(d: ImageDraw.ImageDraw, facing: int, x: float) -> tuple[float, float]:
    """A cloaked figure standing at x in a lunge, facing +1 (right) or -1 (left).

    Returns where its hands meet, to hang a blade on.
    """
    f = facing
    _disk(d, x + 2 * f, 40, 5.5)  # head
    d.polygon(_p(x - 6 * f, 45, x + 6 * f, 46, x + 9 * f, 70, x - 19 * f, 84), fill=BLACK)  # cloak
    _line(d, 5, x + 4 * f, 68, x + 14 * f, 80, x + 16 * f, 95)  # front leg
    _line(d, 5, x - 4 * f, 70, x - 12 * f, 84, x - 18 * f, 95)  # back leg
    hands = (x + 12 * f, 52)
    _line(d, 4, x + 3 * f, 49, x + 9 * f, 57, *hands)  # arm
    _line(d, 1.5, x + 1 * f, 47, x - 4 * f, 70, fill=WHITE)  # cloak fold
    return hands


def draw_duel() -> Image.Image:
    """Two cloaked figures crossing glowing blades above a ledge, with a star burst where the
    blades meet."""
    img, d = _canvas()
    for facing, x, tip in ((1, 22, (70, 6)), (-1, 72, (24, 6))):
        hx, hy = _duelist(d, facing, x)
        _line(d, 5, hx, hy, *tip)  # blade
        _line(d, 1.5, hx + 4 * facing, hy - 4, *tip, fill=WHITE)  # its glowing core
        _line(d, 6, hx - 2 * facing, hy + 2, hx + 2 * facing, hy - 2)  # hilt
    _star(d, 47, 35.5, 8)  # where the blades meet
    for x, y in ((8, 8), (86, 8)):
        _star(d, x, y, 4)
    d.rectangle(_p(0, 95, 94, 100), fill=BLACK)  # ledge
    return _to_1bit(img, SIZE)


def draw_code() -> Image.Image:
    """A coded message in three sizes: a "CODE" banner, the code word "ZK-7" and "GO DARK"."""
    img, d = _canvas()
    d.rectangle(_p(0, 0, 94, 20), fill=BLACK)
    d.text(_p(47, 10.5)[0], "CODE", font=_font(14), fill=WHITE, anchor="mm")
    d.text(_p(47, 50)[0], "ZK-7", font=_font(33), fill=BLACK, anchor="mm")
    d.text(_p(47, 83)[0], "GO DARK", font=_font(15), fill=BLACK, anchor="mm")
    return _to_1bit(img, SIZE)


def draw_shuttle() -> Image.Image:
    """A shuttle seen from behind: a stubby hull with cockpit windows, a tall fin, folded
    wings and three engine bells."""
    img, d = _canvas()
    d.polygon(_p(47, 6, 53, 42, 41, 42), fill=BLACK)  # fin
    _line(d, 1.5, 47, 14, 47, 38, fill=WHITE)
    d.rounded_rectangle(_p(28, 40, 66, 70), radius=8 * SUPERSAMPLE, fill=BLACK)  # hull
    d.polygon(_p(30, 58, 6, 90, 14, 94, 36, 66), fill=BLACK)  # wings
    d.polygon(_p(64, 58, 88, 90, 80, 94, 58, 66), fill=BLACK)
    for x in (35, 44, 53):  # windows
        d.rectangle(_p(x, 46, x + 6, 52), fill=WHITE)
    for x in (36, 47, 58):  # engine bells
        d.polygon(_p(x - 3, 70, x + 3, 70, x + 5, 80, x - 5, 80), fill=BLACK)
    _line(d, 1.5, 10, 88, 32, 62, fill=WHITE)
    _line(d, 1.5, 84, 88, 62, 62, fill=WHITE)
    return _to_1bit(img, SIZE)


def draw_beacon() -> Image.Image:
    """A radio beacon: a dish on a lattice mast sending three arcs of waves, on a hill."""
    img, d = _canvas()
    d.chord(_p(-20, 80, 114, 130), 180, 360, fill=BLACK)  # hill
    _line(d, 2, 40, 84, 46, 40)  # mast legs
    _line(d, 2, 58, 84, 50, 40)
    for y in (48, 58, 68, 78):  # lattice
        _line(d, 1.25, 40 + (84 - y) * 6 / 44, y, 58 - (84 - y) * 8 / 44, y)
    for y0, y1 in ((48, 58), (58, 68), (68, 78)):
        _line(d, 1.25, 40 + (84 - y0) * 6 / 44, y0, 58 - (84 - y1) * 8 / 44, y1)
    d.chord(_p(26, 12, 62, 48), 20, 200, fill=BLACK)  # dish, opening to the upper right
    _line(d, 2, 44, 30, 62, 20)  # feed arm
    _disk(d, 63, 19, 3)
    for r in (10, 18, 26):
        d.arc(_p(63 - r, 19 - r, 63 + r, 19 + r), 280, 350, fill=BLACK, width=_w(2.5))
    return _to_1bit(img, SIZE)


PICTURES = {
    "helmet.png": draw_helmet,
    "message.png": draw_message,
    "sunset.png": draw_sunset,
    "planet.png": draw_planet,
    "starfighter.png": draw_starfighter,
    "droid.png": draw_droid,
    "ringed_planet.png": draw_ringed_planet,
    "star_map.png": draw_star_map,
    "fleet.png": draw_fleet,
    "galaxy.png": draw_galaxy,
    "duel.png": draw_duel,
    "code.png": draw_code,
}
"""Output file name -> drawing function: the shipped transmissions that generate() writes."""

HELD_OUT = {
    "shuttle": draw_shuttle,
    "beacon": draw_beacon,
}
"""Name -> drawing function: two more 1-bit pictures of the same kind, kept apart: never used to
tune the fast preset; benchmarks/mustafar.py --held-out checks them. Not shipped, not written by
generate()."""


def generate(out_dir: Path = OUT_DIR) -> list[Path]:
    """Draw every picture in PICTURES (not HELD_OUT) into ``out_dir``; return the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, draw in PICTURES.items():
        path = out_dir / filename
        draw().save(path, format="PNG", optimize=False, compress_level=9)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(path)
