"""The built-in "transmissions": pictures drawn in code (scripts/make_transmissions.py) to learn."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from datasets._errors import DatasetError
from datasets.images import load_image

TRANSMISSION_DIR = Path(__file__).parent / "transmissions"


@dataclass(frozen=True)
class Transmission:
    """A built-in picture: what it shows, the image_to_xy mode it suits, and its PNG file."""

    description: str
    mode: str
    filename: str

    def __str__(self) -> str:
        return self.description


TRANSMISSIONS: dict[str, Transmission] = {
    "helmet": Transmission(
        "An intercepted transmission: a dark helmet, 94 x 100 pixels (9,400 points), 1-bit.",
        "1bit",
        "helmet.png",
    ),
    "message": Transmission(
        'A text message, "HELP ME", 94 x 100 pixels, 1-bit.', "1bit", "message.png"
    ),
    "planet": Transmission(
        "A cratered planet lit from one side, 100 x 100 pixels, grayscale.", "gray", "planet.png"
    ),
    "sunset": Transmission(
        "A sunset over the sea, 100 x 100 pixels, in colour.", "rgb", "sunset.png"
    ),
    "starfighter": Transmission(
        "A starfighter seen from above, with canopy, engine pods and wingtip cannons, "
        "94 x 100 pixels, 1-bit.",
        "1bit",
        "starfighter.png",
    ),
    "droid": Transmission(
        "A round droid on two legs, with one big eye and side thrusters, 94 x 100 pixels, 1-bit.",
        "1bit",
        "droid.png",
    ),
    "ringed_planet": Transmission(
        "A banded planet inside a tilted ring, with three moons, 94 x 100 pixels, 1-bit.",
        "1bit",
        "ringed_planet.png",
    ),
    "star_map": Transmission(
        "A circular star chart: three constellations joined by thin lines, 94 x 100 pixels, 1-bit.",
        "1bit",
        "star_map.png",
    ),
    "fleet": Transmission(
        "A fleet of seven wedge-shaped cruisers in formation, 94 x 100 pixels, 1-bit.",
        "1bit",
        "fleet.png",
    ),
    "galaxy": Transmission(
        "A two-armed spiral galaxy among stars and clusters, 94 x 100 pixels, 1-bit.",
        "1bit",
        "galaxy.png",
    ),
    "duel": Transmission(
        "Two cloaked figures crossing glowing blades, 94 x 100 pixels, 1-bit.",
        "1bit",
        "duel.png",
    ),
    "code": Transmission(
        'A coded message, "CODE / ZK-7 / GO DARK" in three sizes, 94 x 100 pixels, 1-bit.',
        "1bit",
        "code.png",
    ),
}
"""Name -> Transmission(description, mode, filename); ``str()`` of a value is its description."""


def load_transmission(name: str) -> Image.Image:
    """The built-in picture ``name`` as a Pillow image (mode "L" or "RGB", like load_image)."""
    if name not in TRANSMISSIONS:
        raise DatasetError(
            f"unknown transmission {name!r}; choose one of: {', '.join(TRANSMISSIONS)}"
        )
    return load_image((TRANSMISSION_DIR / TRANSMISSIONS[name].filename).read_bytes())
