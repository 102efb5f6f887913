"""The engine's own code beside the plots, and "Export this experiment" as a runnable script.

``engine_source`` reads the methods that actually run from ``nn`` with ``inspect.getsource``,
so what a student reads can never drift from what trains. ``experiment_script`` writes a short
standalone script that reproduces the current run with ``nn`` and ``datasets``; every setting
it formats into code is checked first (numbers must be numbers, names must be names ``nn``
knows), so a URL parameter can never smuggle code into the download.
"""

import ast
import inspect
import math
import textwrap
from functools import cache

import numpy as np
import streamlit as st

from nn import ACTIVATIONS, LOSSES, OPTIMIZERS, Network
from nn.activations import ALIASES as ACTIVATION_ALIASES
from nn.init import INITS
from nn.layers import DenseLayer
from nn.losses import ALIASES as LOSS_ALIASES
from nn.losses import get_loss
from nn.network import DTYPES
from nn.optimizers import ALIASES as OPTIMIZER_ALIASES

SETTINGS_KEYS = frozenset(
    {
        "layers",
        "output_units",
        "output_activation",
        "loss",
        "input_dim",
        "init",
        "init_scale",
        "seed",
        "dtype",
        "learning_rate",
        "optimizer",
        "batch_size",
        "l2",
    }
)
MAX_UNITS = 100_000
MAX_ITERATIONS = 10_000_000


# ---- the engine's source -------------------------------------------------------------------
@cache
def source_of(function) -> str:
    """The source text of a function, dedented (cached: the engine does not change while the
    app runs)."""
    return textwrap.dedent(inspect.getsource(function))


def _piece(owner: type, method: str) -> tuple[str, str]:
    """(title, source) of owner.method, titled like "DenseLayer.forward (nn/layers.py)"."""
    function = getattr(owner, method)
    path = function.__module__.replace(".", "/") + ".py"
    return f"{function.__qualname__} ({path})", source_of(function)


def optimizer_class(name: str) -> type:
    """The optimizer class `name` stands for (aliases like 'sgd' included)."""
    key = name.strip().lower() if isinstance(name, str) else name
    known = {**OPTIMIZERS, **OPTIMIZER_ALIASES}
    if key not in known:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    return known[key]


def engine_source(network: Network, optimizer: str) -> dict[str, list[tuple[str, str]]]:
    """The code that trains `network` with `optimizer`, by tab: {"forward", "backward",
    "update"} -> [(title, source)], read from ``nn`` itself."""
    activations = {}
    for layer in network.layers:
        activations.setdefault(layer.activation.name, type(layer.activation))
    loss = type(network.loss)
    optimizer_type = optimizer_class(optimizer)
    return {
        "forward": [
            _piece(Network, "forward_pass"),
            _piece(Network, "_forward_share"),
            _piece(DenseLayer, "forward"),
            *[_piece(kind, "forward") for kind in activations.values()],
            _piece(loss, "cost"),
        ],
        "backward": [
            _piece(Network, "backward_pass"),
            _piece(Network, "_gather_gradients"),
            _piece(Network, "_backward_share"),
            _piece(loss, "gradient"),
            *[_piece(kind, "backward") for kind in activations.values()],
            _piece(DenseLayer, "backward"),
        ],
        "update": [
            _piece(Network, "step"),
            _piece(Network, "_train_share"),
            _piece(optimizer_type, "update"),
        ],
    }


def code_view(network: Network, optimizer: str) -> None:
    """Tabs "forward", "backward" and "update" with the engine code this run executes."""
    try:
        sources = engine_source(network, optimizer)
    except ValueError as error:
        st.error(str(error))
        return
    for tab, (name, pieces) in zip(st.tabs(list(sources)), sources.items(), strict=True):
        with tab:
            if name == "update":
                st.latex(optimizer_class(optimizer).latex)
            for title, source in pieces:
                st.caption(title)
                st.code(source, language="python")


# ---- export this experiment ----------------------------------------------------------------
def _whole(name: str, value, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if not minimum <= value <= maximum:
        raise ValueError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return int(value)


def _number(name: str, value, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        allowed = "a positive" if positive else "a non-negative"
        raise ValueError(f"{name} must be {allowed} finite number, got {value!r}")
    return value


def _known(kind: str, value, names, aliases=None) -> str:
    """nn's own name for `value`, which must be exactly one of `names` or of `aliases`; the
    result is always a name from nn's tables, never the caller's string."""
    aliases = aliases or {}
    if isinstance(value, str) and value in aliases:
        return aliases[value].name
    if not isinstance(value, str) or value not in names:
        raise ValueError(f"unknown {kind} {value!r}; choose one of: {', '.join(sorted(names))}")
    return next(name for name in names if name == value)


def _quoted(name: str) -> str:
    """A checked name from nn's tables as a double-quoted Python string literal."""
    if not name.isidentifier():
        raise ValueError(f"{name!r} is not one of nn's names")
    return f'"{name}"'


def checked_settings(settings: dict) -> dict:
    """The export settings, each checked and normalised to a plain int, float, None or one of
    nn's own names; raises ValueError or TypeError saying which setting is wrong."""
    if not isinstance(settings, dict):
        raise TypeError(f"settings must be a dict, got {type(settings).__name__}")
    missing, extra = SETTINGS_KEYS - settings.keys(), settings.keys() - SETTINGS_KEYS
    if missing or extra:
        raise ValueError(
            f"settings need exactly the keys {sorted(SETTINGS_KEYS)}; "
            f"missing {sorted(missing)}, unexpected {sorted(map(str, extra))}"
        )
    layers = settings["layers"]
    if not isinstance(layers, list | tuple) or not all(
        isinstance(pair, list | tuple) and len(pair) == 2 for pair in layers
    ):
        raise TypeError(f"layers must be a list of [units, activation] pairs, got {layers!r}")
    hidden = [
        (
            _whole("units", units, 1, MAX_UNITS),
            _known("activation", activation, ACTIVATIONS, ACTIVATION_ALIASES),
        )
        for units, activation in layers
    ]
    batch_size = settings["batch_size"]
    loss = _known("loss", settings["loss"], LOSSES, LOSS_ALIASES)
    output_activation = _known(
        "output_activation", settings["output_activation"], ACTIVATIONS, ACTIVATION_ALIASES
    )
    # The export must run: refuse a loss/output pair the engine would refuse.
    needed = get_loss(loss).output
    if needed and output_activation != needed:
        raise ValueError(f"{loss} needs a {needed} output layer, got {output_activation}")
    return {
        "layers": hidden,
        "output_units": _whole("output_units", settings["output_units"], 1, MAX_UNITS),
        "output_activation": output_activation,
        "loss": loss,
        "input_dim": _whole("input_dim", settings["input_dim"], 1, MAX_UNITS),
        "init": _known("init", settings["init"], INITS),
        "init_scale": _number("init_scale", settings["init_scale"], positive=True),
        "seed": _whole("seed", settings["seed"], 0, 2**32 - 1),
        "dtype": _known("dtype", settings["dtype"], DTYPES),
        "learning_rate": _number("learning_rate", settings["learning_rate"], positive=True),
        "optimizer": _known("optimizer", settings["optimizer"], OPTIMIZERS, OPTIMIZER_ALIASES),
        "batch_size": None if batch_size is None else _whole("batch_size", batch_size, 1, 2**31),
        "l2": _number("l2", settings["l2"]),
    }


def experiment_script(data_code: str, settings: dict, iterations: int) -> str:
    """A standalone Python script that reproduces this run: `data_code` (trusted, from the
    page) must define X and Y; the network, trainer and seed come from the checked
    `settings`. It prints the cost every iterations // 10 steps, the final cost and the
    network's summary."""
    if not isinstance(data_code, str):
        raise TypeError(f"data_code must be Python source text, got {type(data_code).__name__}")
    try:
        ast.parse(data_code)
    except SyntaxError as error:
        raise ValueError(f"data_code is not valid Python: {error}") from None
    s = checked_settings(settings)
    iterations = _whole("iterations", iterations, 1, MAX_ITERATIONS)
    every = max(iterations // 10, 1)
    first, *rest = [*s["layers"], (s["output_units"], s["output_activation"])]
    add_layers = [
        f"net.add({first[0]}, activation={_quoted(first[1])}, input_dim={s['input_dim']})",
        *[f"net.add({units}, activation={_quoted(activation)})" for units, activation in rest],
    ]
    lines = [
        '"""Reproduce a run of the "Neural Network from Scratch" dashboard.',
        "",
        "Run it from the project folder, where nn/ and datasets/ live:  python experiment.py",
        '"""',
        "",
        "from nn import Network",
        "",
        "# The data: samples in rows, X (n_samples, features) and Y (n_samples, outputs).",
        data_code.strip(),
        "",
        "# The network, layer by layer; the seed fixes the initial weights.",
        f"net = Network(loss={_quoted(s['loss'])}, init={_quoted(s['init'])}, "
        f"init_scale={s['init_scale']!r}, seed={s['seed']}, dtype={_quoted(s['dtype'])})",
        *add_layers,
        "",
        "# Training: the seed also fixes the order of the mini-batches.",
        f"trainer = net.trainer(X, Y, learning_rate={s['learning_rate']!r}, "
        f"optimizer={_quoted(s['optimizer'])}, batch_size={s['batch_size']!r}, l2={s['l2']!r}, "
        f"seed={s['seed']})",
        f"for progress in trainer.run({iterations}, every={every}):",
        '    print(f"Cost after iteration {progress.iteration}: {progress.cost}")',
        "",
        'print(f"Final cost: {trainer.costs[-1]!r}")',
        "print(net)",
        "",
    ]
    return "\n".join(lines)


def experiment_file_name(settings: dict) -> str:
    """e.g. experiment_1-1_gd_seed1.py: the layer sizes, optimizer and seed."""
    s = checked_settings(settings)
    sizes = [s["input_dim"], *(units for units, _ in s["layers"]), s["output_units"]]
    return f"experiment_{'-'.join(map(str, sizes))}_{s['optimizer']}_seed{s['seed']}.py"


def export_button(key: str, data_code: str, settings: dict, iterations: int) -> None:
    """A download button with the script that reproduces this run (or an error saying which
    setting cannot be exported)."""
    try:
        script = experiment_script(data_code, settings, iterations)
        file_name = experiment_file_name(settings)
    except (TypeError, ValueError) as error:
        st.error(f"Cannot export this experiment: {error}")
        return
    st.download_button(
        "Export this experiment (.py)",
        data=script,
        file_name=file_name,
        mime="text/x-python",
        key=key,
        on_click="ignore",
    )
