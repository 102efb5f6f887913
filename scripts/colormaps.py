"""Write ``kit/colormaps.json``: matplotlib's colour maps as 256-colour tables, for kit.colormaps.

kit.colormaps reads the tables with json alone, so the live views never import matplotlib. A
colour is what matplotlib draws, ``cmap(index, bytes=True)``, as "#rrggbb". The output is
deterministic, and tests/kit/test_colormaps.py checks it against the matplotlib installed.

    .venv/bin/python scripts/colormaps.py [output_file]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kit.colormaps import DATA_FILE, FROM_MATPLOTLIB, SIZE  # noqa: E402

PER_LINE = 8


def table(matplotlib_name: str) -> list[str]:
    """The map's 256 colours, as matplotlib draws them, as "#rrggbb"."""
    cmap = matplotlib.colormaps[matplotlib_name]
    if cmap.N != SIZE:
        raise SystemExit(f"{matplotlib_name} has {cmap.N} colours, expected {SIZE}.")
    rgb = cmap(np.arange(SIZE), bytes=True)[:, :3]
    return ["#{:02x}{:02x}{:02x}".format(*colour) for colour in rgb]


def render(maps: dict[str, list[str]]) -> str:
    """The JSON text, eight colours a line, so a change shows as a short diff."""
    header = {"matplotlib": matplotlib.__version__, "names": FROM_MATPLOTLIB}
    lines = ["{", f'  "source": {json.dumps(header)},', '  "maps": {']
    for n, (name, colours) in enumerate(maps.items()):
        rows = [colours[i : i + PER_LINE] for i in range(0, len(colours), PER_LINE)]
        body = ",\n".join("      " + ", ".join(json.dumps(c) for c in row) for row in rows)
        comma = "," if n < len(maps) - 1 else ""
        lines += [f"    {json.dumps(name)}: [", body, f"    ]{comma}"]
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA_FILE
    maps = {name: table(matplotlib_name) for name, matplotlib_name in FROM_MATPLOTLIB.items()}
    out.write_text(render(maps), encoding="utf-8")
    print(f"wrote {len(maps)} maps to {out}")


if __name__ == "__main__":
    main()
