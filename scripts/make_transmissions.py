"""Draw the built-in "transmissions" for the Mustafar lesson and save them as PNG files.

Every picture is drawn here in code (no third-party artwork); the text uses the DejaVu Sans Bold
font that matplotlib ships. The output is deterministic: running this again rewrites
``datasets/transmissions/*.png`` byte for byte (a test checks that).

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


PICTURES = {
    "helmet.png": draw_helmet,
    "message.png": draw_message,
    "sunset.png": draw_sunset,
    "planet.png": draw_planet,
}


def generate(out_dir: Path = OUT_DIR) -> list[Path]:
    """Draw every transmission into ``out_dir``; return the files written."""
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
