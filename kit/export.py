""" "Export this experiment": a zip that runs where it is unpacked, and the run as a notebook.

``experiment_script`` writes a short standalone script that reproduces the current run with
``nn`` and ``datasets``; every setting it formats into code is checked first (numbers must be
numbers, names must be names ``nn`` knows), so a URL parameter can never smuggle code into the
download. ``experiment_notebook`` splits the same code into cells and adds matplotlib plots of
the cost and of the lesson's main view. ``experiment_zip`` packs both with the files they import,
read from disk, so they run where they are unpacked.
"""

import ast
import importlib
import inspect
import io
import math
import sys
import zipfile
from functools import cache
from pathlib import Path, PurePosixPath

import numpy as np

from kit import REPO_ROOT, colormaps
from nn import ACTIVATIONS, LOSSES, OPTIMIZERS, tutorial
from nn.activations import ALIASES as ACTIVATION_ALIASES
from nn.init import INITS
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
        "l1",
    }
)
# Settings written before L1 existed lack it; they mean no L1.
OPTIONAL_KEYS = frozenset({"l1"})
MAX_UNITS = 100_000
MAX_ITERATIONS = 10_000_000


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
    missing = SETTINGS_KEYS - OPTIONAL_KEYS - settings.keys()
    extra = settings.keys() - SETTINGS_KEYS
    if missing or extra:
        raise ValueError(
            f"settings need exactly the keys {sorted(SETTINGS_KEYS)} (l1 may be left out); "
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
        "l1": _number("l1", settings.get("l1", 0.0)),
    }


def experiment_script(data_code: str, settings: dict, iterations: int) -> str:
    """A standalone Python script that reproduces this run: `data_code` (trusted, from the
    page) must define X and Y; the network, trainer and seed come from the checked
    `settings`. It prints the cost every iterations // 10 steps, the final cost and the
    network's summary."""
    parts = _script_parts(data_code, settings, iterations)
    return "\n".join([*parts["header"], *(line for part in SCRIPT_PARTS for line in parts[part])])


SCRIPT_PARTS = ("imports", "data", "network", "training")
"""The script's parts after its docstring, in order; the notebook puts each in its own cell."""


def _script_parts(data_code: str, settings: dict, iterations: int) -> dict[str, list[str]]:
    """The lines of the script by part: "header" (its docstring) then ``SCRIPT_PARTS``."""
    if not isinstance(data_code, str):
        raise TypeError(f"data_code must be Python source text, got {type(data_code).__name__}")
    try:
        ast.parse(data_code)
    except SyntaxError as error:
        raise ValueError(f"data_code is not valid Python: {error}") from None
    s = checked_settings(settings)
    file_name = experiment_file_name(settings)
    iterations = _whole("iterations", iterations, 1, MAX_ITERATIONS)
    every = max(iterations // 10, 1)
    first, *rest = [*s["layers"], (s["output_units"], s["output_activation"])]
    add_layers = [
        f"net.add({first[0]}, activation={_quoted(first[1])}, input_dim={s['input_dim']})",
        *[f"net.add({units}, activation={_quoted(activation)})" for units, activation in rest],
    ]
    network = (
        f"net = Network(loss={_quoted(s['loss'])}, init={_quoted(s['init'])}, "
        f"init_scale={s['init_scale']!r}, seed={s['seed']}"
    )
    header = [
        '"""Reproduce a run of the "Neural Network from Scratch" dashboard.',
        "",
        f"Run it beside the nn/ and datasets/ folders it came with:  python {file_name}",
        '"""',
        "",
    ]
    data = [
        "# The data: samples in rows, X (n_samples, features) and Y (n_samples, outputs).",
        data_code.strip(),
        "",
    ]
    layers = "# The network, layer by layer; the seed fixes the initial weights."
    l1 = f"l1={s['l1']!r}, " if s["l1"] else ""  # without L1, the script reads as before
    if follows_the_tutorial(s):
        return {
            "header": header,
            "imports": [
                "# The network as the tutorial writes it: nn/tutorial.py, plain NumPy.",
                "from nn.tutorial import Network",
                "",
            ],
            "data": data,
            "network": [layers, f"{network})", *add_layers, ""],
            "training": [
                "# The tutorial's loop: forward, cost, backward, update, "
                "on every sample each step.",
                "costs = []",
                f"for i in range({iterations}):",
                f"    cost = net.train_step(X, Y, learning_rate={s['learning_rate']!r})",
                "    costs.append(cost)",
                f"    if i % {every} == 0 or i == {iterations - 1}:",
                '        print(f"Cost after iteration {i}: {cost}")',
                "",
                'print(f"Final cost: {cost!r}")',
                "",
            ],
        }
    return {
        "header": header,
        "imports": [
            "# Momentum, Adam, mini-batches, L2 and float32 go beyond the tutorial's code, so this",
            "# run uses the dashboard's engine; nn/tutorial.py has the same math, plain.",
            "from nn import Network",
            "",
        ],
        "data": data,
        "network": [layers, f"{network}, dtype={_quoted(s['dtype'])})", *add_layers, ""],
        "training": [
            "# Training: the seed also fixes the order of the mini-batches.",
            f"trainer = net.trainer(X, Y, learning_rate={s['learning_rate']!r}, "
            f"optimizer={_quoted(s['optimizer'])}, batch_size={s['batch_size']!r}, "
            f"l2={s['l2']!r}, {l1}seed={s['seed']})",
            f"for progress in trainer.run({iterations}, every={every}):",
            '    print(f"Cost after iteration {progress.iteration}: {progress.cost}")',
            "",
            'print(f"Final cost: {trainer.costs[-1]!r}")',
            "print(net)",
            "",
        ],
    }


# ---- the notebook ------------------------------------------------------------------------------
VIEWS = ("plane", "line", "picture", "cost", "classes", "values")
"""What the notebook's last plot shows: the decision surface over a plane (Rose), the fitted
line (Linear), the learned picture (Mustafar), only the cost (Titanic), or over the plane the
class colours mixed by a softmax's probabilities or a linear output's values (Many classes)."""


def notebook_view(data_code: str, settings: dict) -> str:
    """The lesson kind a run's data makes, one of ``VIEWS``: "picture" when the data code calls
    ``image_to_xy``, "line" for one input and one output, then for two inputs "classes" for a
    softmax of 2 to ``len(colormaps.CLASS_COLOURS)`` units, "values" for one linear unit, "plane"
    for one other unit (also of ``with_features`` of two), else "cost"."""
    s = checked_settings(settings)
    called = _called_names(data_code)
    if "image_to_xy" in called:
        return "picture"
    if s["output_units"] == 1 and s["input_dim"] == 1:
        return "line"
    if s["input_dim"] == 2 and s["output_activation"] == "softmax":
        return "classes" if 2 <= s["output_units"] <= len(colormaps.CLASS_COLOURS) else "cost"
    if s["input_dim"] == 2 and s["output_units"] == 1 and s["output_activation"] == "linear":
        return "values"
    if s["output_units"] == 1 and (s["input_dim"] == 2 or "with_features" in called):
        return "plane"
    return "cost"


def _called_names(code: str) -> set[str]:
    return {
        node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
    }


def _features_source(data_code: str) -> str | None:
    """The source of the features argument of the data code's ``with_features`` call, if any."""
    for node in ast.walk(ast.parse(data_code)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "with_features"
            and len(node.args) == 2
        ):
            return ast.get_source_segment(data_code, node.args[1])
    return None


def _cost_plot(tutorial_path: bool) -> str:
    series = (
        "range(len(costs)), costs" if tutorial_path else "trainer.costs.iterations, trainer.costs"
    )
    return "\n".join(
        [
            "# The cost as it trained (the plots show below their cells).",
            "%matplotlib inline",
            "import matplotlib.pyplot as plt",
            "",
            "figure, axes = plt.subplots(figsize=(6, 3.5))",
            f"axes.plot({series})",
            'axes.set(xlabel="iteration", ylabel="cost", yscale="log", title="The cost")',
            "plt.show()",
        ]
    )


def _view_plot(view: str, data_code: str) -> str | None:
    """The main view's plot cell for a lesson kind (None for "cost": the cost plot is it)."""
    if view == "line":
        return "\n".join(
            [
                "# The fitted line over the points.",
                "import numpy as np",
                "",
                "line_x = np.linspace(X.min(), X.max(), 200).reshape(-1, 1)",
                "figure, axes = plt.subplots(figsize=(6, 4))",
                'axes.scatter(X[:, 0], Y[:, 0], label="data")',
                'axes.plot(line_x[:, 0], net.forward(line_x)[:, 0], color="C1", label="network")',
                'axes.set(xlabel="x", ylabel="y", title="The fitted line")',
                "axes.legend()",
                "plt.show()",
            ]
        )
    if view == "plane":
        features = _features_source(data_code)
        grid_inputs = f"with_features(grid, {features})" if features else "grid"
        return "\n".join(
            [
                "# The decision surface: the network's output over a grid of the plane, with the",
                "# training points (x and y are the network's first two inputs).",
                "import numpy as np",
                "",
                "extent = 1.1 * np.abs(X[:, :2]).max()",
                "ticks = np.linspace(-extent, extent, 200)",
                "grid_x, grid_y = np.meshgrid(ticks, ticks)",
                "grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])",
                f"surface = net.forward({grid_inputs})[:, 0].reshape(grid_x.shape)",
                "figure, axes = plt.subplots(figsize=(5, 5))",
                'axes.contourf(grid_x, grid_y, surface, levels=20, cmap="RdBu", vmin=0, vmax=1)',
                'axes.scatter(X[:, 0], X[:, 1], c=Y[:, 0], cmap="RdBu", edgecolors="k", s=12)',
                'axes.set(aspect="equal", title="The decision surface")',
                "plt.show()",
            ]
        )
    if view in ("classes", "values"):
        return _plane_plot(view)
    if view == "picture":
        return "\n".join(
            [
                "# The learned picture beside the original: each pixel is the network's output",
                "# at that pixel's position (dark = 1).",
                "import numpy as np",
                "",
                'kind = "rgb" if len(shape) == 3 else "gray"',
                "original = xy_to_image(Y, shape, kind, threshold=None)",
                "learned = xy_to_image(net.forward(X), shape, kind, threshold=None)",
                "figure, (left, right) = plt.subplots(1, 2, figsize=(8, 4))",
                'for axes, picture, title in ((left, original, "Original"), '
                '(right, learned, "Learned")):',
                '    axes.imshow(np.asarray(picture), cmap="gray", vmin=0, vmax=255)',
                "    axes.set(title=title, xticks=[], yticks=[])",
                "plt.show()",
            ]
        )
    return None


def _plane_plot(view: str) -> str:
    """The "classes" or "values" plot: the network over a grid of the plane (x and y, its two
    inputs), the training points on it in the same colours."""
    grid = [
        "import numpy as np",
        "",
        "extent = 1.1 * np.abs(X).max()",
        "ticks = np.linspace(-extent, extent, 200)",
        "grid_x, grid_y = np.meshgrid(ticks, ticks)",
        "grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])",
        "corners = (-extent, extent, -extent, extent)",
    ]
    if view == "classes":
        return "\n".join(
            [
                "# The classes over the plane: each grid point's colour is the class colours",
                "# mixed by the network's probabilities (a confident region shows its class's",
                "# colour, a border the mix of two), lightened so the training points stand out.",
                *grid,
                f"colours = np.array({list(colormaps.CLASS_COLOURS)!r}) / 255",
                "P = net.forward(grid)",
                f"lighten = {colormaps.CLASS_LIGHTEN!r}",
                "blend = (1 - lighten) * (P @ colours[: P.shape[1]]) + lighten",
                "figure, axes = plt.subplots(figsize=(5, 5))",
                'axes.imshow(blend.reshape(*grid_x.shape, 3), origin="lower", extent=corners)',
                "axes.scatter(X[:, 0], X[:, 1], c=colours[Y.argmax(axis=1)], "
                'edgecolors="white", s=16)',
                'axes.set(aspect="equal", title="The classes over the plane")',
                "plt.show()",
            ]
        )
    return "\n".join(
        [
            "# The learned function: the network's value over a grid of the plane, and the",
            "# training points coloured by their targets on the same scale.",
            *grid,
            "values = net.forward(grid)[:, 0].reshape(grid_x.shape)",
            "limit = float(np.abs(Y).max()) or 1.0  # the colours' scale: -limit to limit",
            'scale = dict(cmap="RdBu_r", vmin=-limit, vmax=limit)',
            "figure, axes = plt.subplots(figsize=(6, 5))",
            'image = axes.imshow(values, origin="lower", extent=corners, **scale)',
            'axes.scatter(X[:, 0], X[:, 1], c=Y[:, 0], edgecolors="k", s=24, **scale)',
            'figure.colorbar(image, ax=axes, label="value")',
            'axes.set(aspect="equal", title="The learned function")',
            "plt.show()",
        ]
    )


def experiment_notebook(
    data_code: str, settings: dict, iterations: int, view: str | None = None
) -> bytes:
    """A Jupyter notebook (nbformat 4, JSON) of the script ``experiment_script`` writes: a
    markdown introduction, then the imports, the data, the network and the training each in a
    cell, then matplotlib plots of the cost and of the lesson's main view (``VIEWS``; by default
    ``notebook_view``). It runs beside the ``nn/`` and ``datasets/`` folders of the zip. The
    same arguments give the same bytes."""
    import nbformat  # only the export needs it

    parts = _script_parts(data_code, settings, iterations)
    view = notebook_view(data_code, settings) if view is None else view
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    s = checked_settings(settings)
    tutorial_path = follows_the_tutorial(s)
    intro = "\n".join(
        [
            '# A run of the "Neural Network from Scratch" dashboard',
            "",
            "Run this notebook beside the `nn/` and `datasets/` folders it came with "
            "(Kernel → Restart & Run All). It builds the same data and network as the "
            f"dashboard, trains {_whole('iterations', iterations, 1, MAX_ITERATIONS):,} "
            "iterations and plots the cost"
            + ("." if view == "cost" else f" and the {_VIEW_NAMES[view]}."),
            "",
            "The network is "
            + (
                "the tutorial's own code, `nn/tutorial.py`, in plain NumPy."
                if tutorial_path
                else "the dashboard's engine, `nn/`: this run uses settings beyond the "
                "tutorial's code."
            ),
        ]
    )
    if view == "picture" and data_code != _notebook_data_code(data_code, view):
        parts["data"].insert(1, _PICTURE_IMPORT)
    cells = [nbformat.v4.new_markdown_cell(intro)]
    cells += [nbformat.v4.new_code_cell("\n".join(parts[part]).strip()) for part in SCRIPT_PARTS]
    cells.append(nbformat.v4.new_code_cell(_cost_plot(tutorial_path)))
    plot = _view_plot(view, data_code)
    if plot is not None:
        cells.append(nbformat.v4.new_code_cell(plot))
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"  # fixed ids: the same run gives the same file
    notebook = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(notebook)
    return (nbformat.writes(notebook) + "\n").encode()


_VIEW_NAMES = {
    "plane": "decision surface",
    "line": "fitted line",
    "picture": "learned picture",
    "classes": "classes over the plane",
    "values": "learned function over the plane",
}


_PICTURE_IMPORT = "from datasets import xy_to_image  # for the learned picture's plot"


def _notebook_data_code(data_code: str, view: str) -> str:
    """The data code with what the notebook's plots import from ``datasets`` besides."""
    if view == "picture" and "xy_to_image" not in _imported_names(data_code):
        return f"{_PICTURE_IMPORT}\n{data_code}"
    return data_code


def _imported_names(code: str) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }


def experiment_notebook_name(settings: dict) -> str:
    """e.g. experiment_1-1_gd_seed1.ipynb: named like the script."""
    return str(Path(experiment_file_name(settings)).with_suffix(".ipynb"))


def follows_the_tutorial(settings: dict) -> bool:
    """Whether checked ``settings`` describe a run ``nn.tutorial`` trains as the engine does:
    full-batch gradient descent in float64, no L2 or L1, activations and loss it has."""
    layers = [activation for _, activation in settings["layers"]]
    return (
        settings["optimizer"] == "gd"
        and not settings["batch_size"]
        and not settings["l2"]
        and not settings["l1"]
        and settings["dtype"] == "float64"
        and settings["loss"] in tutorial.LOSSES
        and {*layers, settings["output_activation"]} <= set(tutorial.ACTIVATIONS)
    )


def experiment_file_name(settings: dict) -> str:
    """e.g. experiment_1-1_gd_seed1.py: the layer sizes, optimizer and seed."""
    s = checked_settings(settings)
    sizes = [s["input_dim"], *(units for units, _ in s["layers"]), s["output_units"]]
    return f"experiment_{'-'.join(map(str, sizes))}_{s['optimizer']}_seed{s['seed']}.py"


def experiment_zip(data_code: str, settings: dict, iterations: int) -> bytes:
    """A zip that runs where it is unpacked: one folder named like the script, holding the
    script, the same run as a notebook (``experiment_notebook``), README.txt, the engine's
    ``nn/`` package and the ``datasets/`` modules (and their data files) that `data_code` (and
    the notebook's plots) import, read from disk. The same arguments give the same
    bytes: entries are sorted and carry a fixed date."""
    script = experiment_script(data_code, settings, iterations)
    notebook = experiment_notebook(data_code, settings, iterations)
    name = experiment_file_name(settings)
    view = notebook_view(data_code, settings)
    modules, exported = _datasets_needed(_notebook_data_code(data_code, view))
    files = {**_package_files("nn"), **_datasets_files(modules, exported)}
    imports = set().union(*(_third_party(path, text) for path, text in files.items()))
    requirements = sorted((PIP_NAMES.get(module, module) for module in imports), key=str.lower)
    folder = PurePosixPath(Path(name).stem)
    entries = {str(folder / path): content for path, content in files.items()}
    entries[str(folder / name)] = script.encode()
    entries[str(folder / experiment_notebook_name(settings))] = notebook
    entries[str(folder / "README.txt")] = _readme(name, requirements).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(entries):
            entry = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            entry.create_system, entry.external_attr = 3, 0o644 << 16  # a plain file, rw-r--r--
            archive.writestr(entry, entries[path], zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


PIP_NAMES = {"PIL": "Pillow"}  # import name -> what pip installs, where they differ


def _readme(script: str, requirements: list[str]) -> str:
    needs = ", ".join(requirements)
    return (
        'An experiment exported from the "Neural Network from Scratch" dashboard.\n\n'
        f"Needs Python 3.11 or newer with {needs}. Run it in this folder:\n\n"
        f"    python {script}\n\n"
        "It prints the cost as it trains, the final cost and the network's summary.\n"
        "nn/ is the network, in NumPy; datasets/ holds only the data this experiment uses.\n\n"
        f"{Path(script).with_suffix('.ipynb')} is the same run as a Jupyter notebook, with plots\n"
        "of the cost and of the lesson's main view: it needs Jupyter and matplotlib too.\n"
    )


@cache
def _package_files(package: str) -> dict[str, bytes]:
    """Every .py file of a package in the repository, by its path relative to the repository."""
    root = REPO_ROOT / package
    return {
        path.relative_to(REPO_ROOT).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def _datasets_needed(data_code: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """The ``datasets`` modules `data_code` imports (with the ones they import in turn), and
    the (module, name) pairs it takes from the package itself (``from datasets import X``)."""
    package = importlib.import_module("datasets")
    modules, exported = set(), set()
    for node in ast.walk(ast.parse(data_code)):
        if isinstance(node, ast.ImportFrom) and node.module == "datasets":
            for alias in node.names:
                value = getattr(package, alias.name, None)
                if inspect.ismodule(value):
                    modules.add(value.__name__)
                elif value is not None:
                    modules.add(value.__module__)
                    exported.add((value.__module__, alias.name))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("datasets."):
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules |= {a.name for a in node.names if a.name.startswith("datasets.")}
    return _with_imports(frozenset(modules)), tuple(sorted(exported))


def _with_imports(modules: frozenset[str]) -> frozenset[str]:
    """`modules` and every ``datasets`` module they import, however indirectly."""
    found, todo = set(), list(modules)
    while todo:
        name = todo.pop()
        path = REPO_ROOT / (name.replace(".", "/") + ".py")
        if name in found or not path.is_file():
            continue
        found.add(name)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("datasets."):
                todo.append(node.module)
            elif isinstance(node, ast.ImportFrom) and node.module == "datasets":
                todo += [f"datasets.{alias.name}" for alias in node.names]
    return frozenset(found)


def _datasets_files(modules: frozenset[str], exported: tuple) -> dict[str, bytes]:
    """The modules' source files, the data files they name (a module-level Path inside
    datasets/), and an ``__init__.py`` that exports only what the data code takes: the
    dashboard's own imports every lesson's data, which needs pandas and Pillow."""
    if not modules:
        return {}
    root = REPO_ROOT / "datasets"
    paths = set()
    for name in modules:
        paths.add(REPO_ROOT / (name.replace(".", "/") + ".py"))
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, Path) and value.resolve().is_relative_to(root):
                found = value.rglob("*") if value.is_dir() else [value]
                paths |= {path for path in found if path.is_file()}
    files = {
        path.relative_to(REPO_ROOT).as_posix(): path.read_bytes()
        for path in sorted(paths)
        if "__pycache__" not in path.parts
    }
    lines = ['"""The data this experiment uses, from the dashboard\'s datasets package."""', ""]
    lines += [f"from {module} import {name}" for module, name in exported]
    names = ", ".join(sorted(f'"{name}"' for _, name in exported))
    lines += ["", f"__all__ = [{names}]", ""]
    files["datasets/__init__.py"] = "\n".join(lines).encode()
    return files


def _third_party(path: str, content: bytes) -> set[str]:
    """The top-level packages outside the standard library that a bundled .py file imports."""
    if not path.endswith(".py"):
        return set()
    names = set()
    for node in ast.walk(ast.parse(content)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"nn", "datasets"}


def experiment_archive_name(settings: dict) -> str:
    """e.g. experiment_1-1_gd_seed1.zip: named like the script it holds."""
    return str(Path(experiment_file_name(settings)).with_suffix(".zip"))


def export_button(key: str, data_code: str, settings: dict, iterations: int) -> None:
    """Two download buttons in a row: a zip that reproduces this run where it is unpacked and
    the run as a notebook (or an error saying which setting cannot be exported)."""
    import streamlit as st  # only to draw: the rest of this module is plain logic

    try:
        archive = experiment_zip(data_code, settings, iterations)
        file_name = experiment_archive_name(settings)
        notebook = experiment_notebook(data_code, settings, iterations)
    except (TypeError, ValueError) as error:
        st.error(f"Cannot export this experiment: {error}")
        return
    row = st.container(horizontal=True, key=f"{key}.row")
    row.download_button(
        "Export this experiment (.zip)",
        data=archive,
        file_name=file_name,
        mime="application/zip",
        key=key,
        on_click="ignore",
    )
    row.download_button(
        "Download notebook (.ipynb)",
        data=notebook,
        file_name=experiment_notebook_name(settings),
        mime="application/x-ipynb+json",
        key=f"{key}.notebook",
        on_click="ignore",
        help="The same run as a Jupyter notebook with plots; it runs beside the zip's nn/ "
        "and datasets/ folders",
    )
