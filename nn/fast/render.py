"""Evaluate a network on a regular grid of (row, column) points in fixed-size chunks.

The image lessons learn a picture as a function (row, col) -> pixel, with both coordinates in
[-1, 1]; "enhance" evaluates it on a much finer grid. A 2001 x 2001 grid is 4 million points:
coordinates are made chunk by chunk, so extra memory stays the same whatever the grid size.
"""

import numpy as np

CHUNK = 65_536  # samples per prediction chunk: fixed memory, whatever the number of points


def grid_size(h: float) -> int:
    """Points per side of a grid of step h over [-1, 1]: h = 0.001 gives 2001."""
    return int(round(2 / h)) + 1


def predict_grid(
    network,
    rows: int,
    cols: int,
    extent: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0),
    chunk_size: int = CHUNK,
    dtype: str = "float32",
) -> np.ndarray:
    """The network's output on a rows x cols grid over extent = (top, bottom, left, right),
    as an array (rows, cols, outputs)."""
    model = network.astype(dtype)
    top, bottom, left, right = extent
    row_coords = np.linspace(top, bottom, rows, dtype=model.dtype)
    col_coords = np.linspace(left, right, cols, dtype=model.dtype)
    out = np.empty((rows * cols, model.output_dim), model.dtype)
    for start, stop, ws in model.chunks(rows * cols, chunk_size):
        index = np.arange(start, stop)
        points = ws.inputs[0][:-1, : stop - start]  # (2, k): write coordinates in place
        np.take(row_coords, index // cols, out=points[0])
        np.take(col_coords, index % cols, out=points[1])
        model.forward_pass(ws)
        out[start:stop] = ws.A[-1][:, : stop - start].T
    return out.reshape(rows, cols, model.output_dim)
