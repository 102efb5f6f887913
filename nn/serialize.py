"""Save a network to .npz (architecture, weights, settings) and load it back safely.

Loading never unpickles (``allow_pickle=False``) and checks everything before building the
network, so a file that is not ours, or is damaged, gives a ModelFileError, never a crash.
"""

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from .errors import ModelFileError

FORMAT = "nn-from-scratch-model/1"
MAX_LAYERS = 64
MAX_UNITS = 4096
MAX_TEXT_BYTES = 1_000_000
"""The format, architecture and settings texts of a saved network take a few KB unpacked."""


def save(network, file, settings: dict | None = None) -> None:
    """Write the network to `file` (a path or a binary file object). `settings` is any
    JSON-able dict, e.g. the training settings that produced it."""
    architecture = {
        "loss": network.loss.name,
        "init": network.init,
        "init_scale": network.init_scale,
        "seed": network.seed,
        "dtype": np.dtype(network.dtype).name,
        "layers": [
            {"units": layer.units, "inputs": layer.inputs, "activation": layer.activation.name}
            for layer in network.layers
        ],
    }
    arrays = {
        "format": np.array(FORMAT),
        "architecture": np.array(json.dumps(architecture)),
        "settings": np.array(json.dumps(settings or {})),
    }
    for i, layer in enumerate(network.layers):
        arrays[f"W{i}"] = layer.weights
        arrays[f"b{i}"] = layer.bias
    np.savez(file, **arrays)


def read(file) -> tuple[str, dict, dict, list[tuple[np.ndarray, np.ndarray]]]:
    """What ``save`` wrote, checked: (the file's name for messages, the architecture, the
    settings, each layer's (W, b)), from a path, bytes or a binary file object. A file that is
    not ours, or is damaged, raises ModelFileError. ``Network.load`` builds the network."""
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    name = Path(file).name if isinstance(file, str | Path) else "the file"
    try:
        data = np.load(file, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ModelFileError(f"{name} is a single array, not a saved network (.npz)")
        with data:
            architecture, settings = _read_header(data, name)
            weights = [
                (
                    _read(data, f"W{i}", (spec["units"], spec["inputs"])),
                    _read(data, f"b{i}", (spec["units"], 1)),
                )
                for i, spec in enumerate(architecture["layers"])
            ]
    except ModelFileError:
        raise
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile):
        raise ModelFileError(
            f"{name} is not a network saved by this dashboard, or it is damaged"
        ) from None
    return name, architecture, settings, weights


def _read_header(data, name):
    not_ours = f"{name} is an .npz file, but not a network saved by this dashboard"
    if _read_text(data, "format", not_ours) != FORMAT:
        raise ModelFileError(not_ours)
    texts = [_read_text(data, key, not_ours) for key in ("architecture", "settings")]
    try:
        architecture, settings = (json.loads(text) for text in texts)
        layers = architecture["layers"]
        if not 1 <= len(layers) <= MAX_LAYERS:
            raise ValueError(f"{len(layers)} layers")
        for i, layer in enumerate(layers):
            units, inputs = layer["units"], layer["inputs"]
            if not all(isinstance(v, int) and 1 <= v <= MAX_UNITS for v in (units, inputs)):
                raise ValueError(f"layer {i + 1} has {units} units and {inputs} inputs")
            if i and inputs != layers[i - 1]["units"]:
                raise ValueError(f"layer {i + 1} does not fit the layer before it")
        expected = {"format", "architecture", "settings"}
        expected |= {f"{kind}{i}" for i in range(len(layers)) for kind in "Wb"}
        if set(data.files) != expected:
            raise ValueError(f"it holds {sorted(data.files)}, expected {sorted(expected)}")
    except (ValueError, KeyError, TypeError) as error:
        raise ModelFileError(f"{name} has a damaged architecture: {error}") from None
    return architecture, settings


def _read_text(data, key: str, not_ours: str) -> str:
    # A compressed member can unpack to gigabytes (a zip bomb): check its size before reading.
    if key not in data.files:
        raise ModelFileError(f"{not_ours} (it has no {key})")
    unpacked = data.zip.getinfo(key + ".npy").file_size
    if unpacked > MAX_TEXT_BYTES:
        raise ModelFileError(
            f"{not_ours}: its {key} text unpacks to {unpacked / 1e6:.1f} MB, where a saved "
            "network's takes a few KB"
        )
    return str(data[key])


def _read(data, key: str, shape: tuple[int, int]) -> np.ndarray:
    # Check the stored size before reading, so a crafted file cannot make us allocate gigabytes.
    if (
        key not in data.files
        or data.zip.getinfo(key + ".npy").file_size > 8 * np.prod(shape) + 1024
    ):
        raise ModelFileError(f"the saved network lacks {key} of shape {shape}, or it is too large")
    array = data[key]
    if array.shape != shape or array.dtype.kind != "f":
        raise ModelFileError(
            f"{key} has shape {array.shape} ({array.dtype}), expected {shape} floats"
        )
    if not np.isfinite(array).all():
        raise ModelFileError(
            f"{key} contains NaN or infinity; the network was saved mid-divergence"
        )
    return array
