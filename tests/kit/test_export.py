"""The exported experiment is a zip that runs where it is unpacked and reproduces the run digit
for digit; hostile settings never reach the script."""

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbclient
import nbformat
import pytest

from datasets.linear import make_linear
from kit.export import (
    checked_settings,
    experiment_archive_name,
    experiment_file_name,
    experiment_notebook,
    experiment_notebook_name,
    experiment_script,
    experiment_zip,
    follows_the_tutorial,
    notebook_view,
)
from nn import Network

LINEAR_DATA = "from datasets.linear import make_linear\n\nX, Y = make_linear()\n"
TUTORIAL_LINEAR = {
    "layers": [],
    "output_units": 1,
    "output_activation": "linear",
    "loss": "mse",
    "input_dim": 1,
    "init": "tutorial",
    "init_scale": 0.01,
    "seed": 1,
    "dtype": "float64",
    "learning_rate": 0.01,
    "optimizer": "gd",
    "batch_size": None,
    "l2": 0.0,
}
TUTORIAL_ROSE = {
    **TUTORIAL_LINEAR,
    "layers": [[4, "tanh"]],
    "output_activation": "sigmoid",
    "loss": "cross_entropy",
    "input_dim": 2,
    "learning_rate": 1.2,
}


# ---- the teaching path's source --------------------------------------------------------------
def in_process_final_cost(settings: dict, iterations: int) -> float:
    X, Y = make_linear()
    net = Network(
        loss=settings["loss"],
        init=settings["init"],
        init_scale=settings["init_scale"],
        seed=settings["seed"],
        dtype=settings["dtype"],
    )
    net.add(settings["output_units"], settings["output_activation"], input_dim=1)
    costs = net.fit(
        X,
        Y,
        iterations,
        learning_rate=settings["learning_rate"],
        optimizer=settings["optimizer"],
        batch_size=settings["batch_size"],
        l2=settings["l2"],
        seed=settings["seed"],
    )
    return costs[-1]


def unpack(archive: bytes, into: Path) -> Path:
    """Extract the zip into `into` (outside the repository); returns the one folder it holds."""
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        tops = {Path(name).parts[0] for name in files.namelist()}
        files.extractall(into)
    assert len(tops) == 1
    return into / tops.pop()


def run_where_it_lands(folder: Path, script: str, blocked: tuple[str, ...] = ()) -> str:
    """`python script` in the unpacked folder, without PYTHONPATH; `blocked` packages fail to
    import, as if they were not installed. Returns what it printed."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    command = [sys.executable, script]
    if blocked:  # None in sys.modules makes `import name` raise ImportError
        block = f"import runpy, sys; sys.modules.update(dict.fromkeys({blocked!r}))"
        run = f"runpy.run_path({script!r}, run_name='__main__')"
        command = [sys.executable, "-c", f"{block}; {run}"]
    result = subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def printed_costs(printed: str) -> dict[int, float]:
    found = re.findall(r"^Cost after iteration (\d+): (\S+)$", printed, re.MULTILINE)
    return {int(iteration): float(cost) for iteration, cost in found}


def test_exported_zip_runs_where_it_lands_and_reproduces_the_tutorial_linear_regression(
    tmp_path: Path,
):
    folder = unpack(experiment_zip(LINEAR_DATA, TUTORIAL_LINEAR, 1000), tmp_path)
    assert folder.name == "experiment_1-1_gd_seed1"
    printed = run_where_it_lands(folder, experiment_file_name(TUTORIAL_LINEAR))
    assert len(printed_costs(printed)) == 11
    # the tutorial's last printed line: "Cost after iteration 900: 1.88...e-13"
    assert re.search(r"^Cost after iteration 900: 1\.88\d*e-13$", printed, re.MULTILINE)
    final = float(re.search(r"^Final cost: (\S+)$", printed, re.MULTILINE).group(1))
    assert final == pytest.approx(in_process_final_cost(TUTORIAL_LINEAR, 1000), rel=1e-12)
    script = (folder / experiment_file_name(TUTORIAL_LINEAR)).read_text()
    assert "from nn.tutorial import Network" in script  # the tutorial's code, not the engine
    assert "net.train_step(X, Y, learning_rate=0.01)" in script


def test_a_run_beyond_the_tutorials_code_exports_the_engine(tmp_path: Path):
    adam = {**TUTORIAL_LINEAR, "optimizer": "adam", "learning_rate": 0.1}
    script = experiment_script(LINEAR_DATA, adam, 300)
    assert "from nn import Network" in script and "from nn.tutorial" not in script
    for beyond in (
        {"batch_size": 4}, {"l2": 0.01}, {"l1": 0.01}, {"dtype": "float32"}, {"optimizer": "adam"}
    ):  # fmt: skip
        assert not follows_the_tutorial(checked_settings({**TUTORIAL_LINEAR, **beyond}))
    assert follows_the_tutorial(checked_settings(TUTORIAL_LINEAR))
    folder = unpack(experiment_zip(LINEAR_DATA, adam, 300), tmp_path)
    printed = run_where_it_lands(folder, experiment_file_name(adam))
    final = float(re.search(r"^Final cost: (\S+)$", printed, re.MULTILINE).group(1))
    assert final == pytest.approx(in_process_final_cost(adam, 300), rel=1e-12)
    assert "There are 2 trainable parameters in the model." in printed  # the engine's summary


def test_an_l1_run_exports_the_engine_with_its_l1_and_reproduces(tmp_path: Path):
    sparse = {**TUTORIAL_LINEAR, "l1": 0.01}
    script = experiment_script(LINEAR_DATA, sparse, 200)
    assert "from nn import Network" in script and "l1=0.01," in script
    assert checked_settings(TUTORIAL_LINEAR)["l1"] == 0.0  # settings saved before L1: no L1
    with pytest.raises(ValueError, match="l1 must be a non-negative"):
        checked_settings({**TUTORIAL_LINEAR, "l1": -0.1})
    folder = unpack(experiment_zip(LINEAR_DATA, sparse, 200), tmp_path)
    printed = run_where_it_lands(folder, experiment_file_name(sparse))
    final = float(re.search(r"^Final cost: (\S+)$", printed, re.MULTILINE).group(1))
    X, Y = make_linear()
    net = Network(loss="mse", init="tutorial", init_scale=0.01, seed=1)
    net.add(1, "linear", input_dim=1)
    costs = net.fit(X, Y, 200, learning_rate=0.01, seed=1, l1=0.01)
    assert final == pytest.approx(costs[-1], rel=1e-12)
    assert final != pytest.approx(in_process_final_cost(TUTORIAL_LINEAR, 200), rel=1e-6)


# Each lesson's kind of data code, as its page writes it: (data code, settings, iterations, the
# tutorial's printed costs by iteration where it printed some, what README.txt says it needs).
LESSON_DATA = {
    "linear": (
        "from datasets import make_linear\n"
        "X, Y = make_linear(n_points=7, x_min=-2.0, x_max=4.0, noise=0.0, seed=0)",
        TUTORIAL_LINEAR,
        1000,
        {0: 24.643963268924306, 100: 0.009408179907957642},
        ["numpy"],
    ),
    "rose": (
        "import numpy as np\nfrom datasets import make_rose\n"
        "points, labels = make_rose(petals=7, points_per_petal=100, class_one=(0, 3, 6), "
        "noise=0.0, seed=0)\n"
        "X, Y = points, labels",
        TUTORIAL_ROSE,
        2000,
        {0: 0.6931058695708833, 1000: 0.018725110460137025},
        ["numpy"],
    ),
    "toy plane": (
        "import numpy as np\nfrom datasets import make_circle\n"
        "points, labels = make_circle(noise=0.1, seed=3)\n"
        "order = np.random.default_rng(3).permutation(len(points))\n"
        "X, Y = points[order[20:]], labels[order[20:]]",
        TUTORIAL_ROSE,
        200,
        {},
        ["numpy"],
    ),
    "titanic": (
        "from datasets import titanic\nX, Y, X_test, Y_test = titanic.tutorial_split()",
        {**TUTORIAL_ROSE, "layers": [], "input_dim": 14, "learning_rate": 0.01},
        2000,
        {0: 0.6912384614194468, 1000: 0.5140056920509907},
        ["numpy", "pandas"],
    ),
    "mustafar": (
        "from datasets import image_to_xy, load_transmission\n"
        "X, Y, shape = image_to_xy(load_transmission('helmet'), mode='1bit', threshold=0.5, "
        "resolution=24)",
        {**TUTORIAL_ROSE, "layers": [[8, "relu"]], "init": "he"},
        100,
        {},
        ["numpy", "Pillow"],
    ),
}
IMPORT_NAMES = {"Pillow": "PIL"}
NOT_NEEDED = ("pandas", "PIL", "streamlit", "scipy", "sklearn", "torch", "matplotlib")


@pytest.mark.parametrize("lesson", LESSON_DATA)
def test_each_lessons_export_runs_where_it_lands_with_only_what_its_readme_lists(
    tmp_path: Path, lesson: str
):
    data_code, settings, iterations, tutorial_costs, needs = LESSON_DATA[lesson]
    folder = unpack(experiment_zip(data_code, settings, iterations), tmp_path)
    script = experiment_file_name(settings)
    readme = (folder / "README.txt").read_text()
    assert f"with {', '.join(needs)}." in readme and f"python {script}" in readme
    needed = {IMPORT_NAMES.get(name, name) for name in needs}
    blocked = tuple(name for name in NOT_NEEDED if name not in needed)
    costs = printed_costs(run_where_it_lands(folder, script, blocked))
    assert len(costs) == 11 and costs[max(costs)] < costs[0]  # it printed its costs, and learned
    for iteration, cost in tutorial_costs.items():
        assert costs[iteration] == pytest.approx(cost, rel=1e-9)


def test_the_zip_holds_the_engine_and_only_the_data_modules_it_needs():
    archive = experiment_zip(LINEAR_DATA, TUTORIAL_LINEAR, 10)
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    top = "experiment_1-1_gd_seed1/"
    assert all(name.startswith(top) for name in names)
    files = {name.removeprefix(top) for name in names}
    assert {"experiment_1-1_gd_seed1.py", "README.txt", "nn/__init__.py", "nn/network.py"} <= files
    assert {"nn/tutorial.py", "nn/fast/parallel.py", "datasets/linear.py"} <= files
    assert "datasets/_errors.py" in files  # datasets/linear.py imports it
    unneeded = {"datasets/titanic.py", "datasets/images.py", "datasets/data/titanic_train.csv"}
    assert not unneeded & files
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in files)


def test_the_zip_is_deterministic_and_small():
    first = experiment_zip(LINEAR_DATA, TUTORIAL_LINEAR, 10)
    assert experiment_zip(LINEAR_DATA, TUTORIAL_LINEAR, 10) == first
    assert len(first) < 100_000
    assert experiment_zip(LINEAR_DATA, TUTORIAL_LINEAR, 20) != first  # the script is in it
    assert experiment_archive_name(TUTORIAL_LINEAR) == "experiment_1-1_gd_seed1.zip"


def test_exported_script_builds_every_layer_and_the_same_trainer():
    settings = {
        **TUTORIAL_LINEAR,
        "layers": [[8, "relu"], [4, "tanh"]],
        "init": "he",
        "optimizer": "adam",
        "batch_size": 16,
        "l2": 1e-4,
        "seed": 7,
    }
    text = experiment_script(LINEAR_DATA, settings, 50)
    assert 'net.add(8, activation="relu", input_dim=1)' in text
    assert 'net.add(4, activation="tanh")' in text
    assert 'net.add(1, activation="linear")' in text
    assert 'optimizer="adam", batch_size=16, l2=0.0001, seed=7' in text
    assert "trainer.run(50, every=5)" in text
    assert experiment_file_name(settings) == "experiment_1-8-4-1_adam_seed7.py"
    compile(text, "experiment.py", "exec")  # valid Python; compiling does not run it


@pytest.mark.parametrize(
    ("key", "hostile"),
    [
        ("layers", [[4, "relu; import os"]]),
        ("output_activation", "linear')\nimport os\n#"),
        ("loss", "mse\nimport os"),
        ("learning_rate", "0.01); import os; (0"),
        ("seed", "1; import os"),
        ("batch_size", 2.5),
        ("init_scale", float("nan")),
        ("layers", [[True, "relu"]]),
    ],
)
def test_hostile_or_wrong_settings_are_refused(key: str, hostile):
    with pytest.raises((ValueError, TypeError)):
        experiment_script(LINEAR_DATA, {**TUTORIAL_LINEAR, key: hostile}, 100)


def test_settings_need_exactly_the_known_keys():
    with pytest.raises(ValueError, match="unexpected"):
        experiment_script(LINEAR_DATA, {**TUTORIAL_LINEAR, "extra": "import os"}, 100)
    missing = dict(TUTORIAL_LINEAR)
    del missing["seed"]
    with pytest.raises(ValueError, match="missing"):
        experiment_script(LINEAR_DATA, missing, 100)


def test_data_code_must_be_python_text():
    with pytest.raises(TypeError):
        experiment_script(b"X, Y = 1, 2", TUTORIAL_LINEAR, 100)
    with pytest.raises(ValueError, match="not valid Python"):
        experiment_script("X, Y = (", TUTORIAL_LINEAR, 100)


def test_a_loss_that_needs_another_output_is_refused():
    with pytest.raises(ValueError, match="sigmoid"):
        experiment_script(LINEAR_DATA, {**TUTORIAL_LINEAR, "loss": "cross_entropy"}, 100)


# ---- the notebook ------------------------------------------------------------------------------
LESSON_VIEWS = {
    "linear": "line",
    "rose": "plane",
    "toy plane": "plane",
    "titanic": "cost",
    "mustafar": "picture",
}


def rose_with_features() -> tuple[str, dict]:
    """The Rose page's own data code, with two extra features (so four inputs)."""
    from lessons.rose.logic import PlaneChoice, data_code

    return data_code(PlaneChoice(features=("x2", "xy"))), {**TUTORIAL_ROSE, "input_dim": 4}


@pytest.mark.parametrize("lesson", LESSON_DATA)
def test_every_lessons_notebook_is_valid_and_holds_the_scripts_code_and_its_plots(lesson: str):
    data_code, settings, iterations, _, _ = LESSON_DATA[lesson]
    text = experiment_notebook(data_code, settings, iterations)
    notebook = nbformat.reads(text.decode(), as_version=4)
    nbformat.validate(notebook)
    assert notebook_view(data_code, settings) == LESSON_VIEWS[lesson]
    intro, *code = notebook.cells
    assert intro.cell_type == "markdown" and "nn/" in intro.source
    assert all(cell.cell_type == "code" for cell in code)
    # The script's code, in order, split into cells: imports, data, network, training.
    script = experiment_script(data_code, settings, iterations)
    for cell in code[:4]:
        for line in cell.source.splitlines():
            if "for the learned picture's plot" not in line:
                assert line in script
    assert data_code.strip() in code[1].source and "net.add(" in code[2].source
    plots = [cell.source for cell in code[4:]]
    assert "The cost" in plots[0] and "plt.show()" in plots[0]
    titles = {"line": "The fitted line", "plane": "The decision surface", "picture": "Learned"}
    if LESSON_VIEWS[lesson] == "cost":
        assert len(plots) == 1  # Titanic's main view is the cost
    else:
        assert len(plots) == 2 and titles[LESSON_VIEWS[lesson]] in plots[1]
    assert experiment_notebook(data_code, settings, iterations) == text  # deterministic


def test_the_zip_holds_the_notebook_beside_the_script():
    archive = experiment_zip(LINEAR_DATA, TUTORIAL_LINEAR, 10)
    files = zipfile.ZipFile(io.BytesIO(archive))
    folder = "experiment_1-1_gd_seed1/"
    notebook = files.read(folder + experiment_notebook_name(TUTORIAL_LINEAR))
    assert notebook == experiment_notebook(LINEAR_DATA, TUTORIAL_LINEAR, 10)
    assert "experiment_1-1_gd_seed1.ipynb" in files.read(folder + "README.txt").decode()


def test_a_notebook_view_must_be_known():
    with pytest.raises(ValueError, match="unknown view 'surface'; choose one of: plane"):
        experiment_notebook(LINEAR_DATA, TUTORIAL_LINEAR, 10, view="surface")


def executed(notebook, folder: Path) -> str:
    """Run ``notebook`` top to bottom in a fresh kernel in ``folder``, without PYTHONPATH (only
    the folder's files are importable), and return what its cells printed."""
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": folder}}
    )
    client.execute(env={key: value for key, value in os.environ.items() if key != "PYTHONPATH"})
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream"
    )


def test_the_exported_rose_notebook_runs_top_to_bottom_in_a_fresh_kernel(tmp_path: Path):
    """Only the zip's files, a new kernel on this interpreter: the notebook trains the same
    costs as the script and draws both plots."""
    data_code, settings = rose_with_features()
    archive = experiment_zip(data_code, settings, 40)
    folder = unpack(archive, tmp_path)
    notebook = nbformat.read(folder / experiment_notebook_name(settings), as_version=4)
    where = "import sys, nn, datasets\nprint(nn.__file__, datasets.__file__, sys.executable)"
    notebook.cells.append(nbformat.v4.new_code_cell(where))
    printed = executed(notebook, folder)
    *modules, python = (Path(path) for path in printed.strip().splitlines()[-1].split())
    assert all(module.is_relative_to(folder) for module in modules)  # the zip's, not the repo's
    assert python.resolve() == Path(sys.executable).resolve()
    script = experiment_file_name(settings)
    from_script = printed_costs(run_where_it_lands(folder, script))
    assert printed_costs(printed) == from_script and len(from_script) == 11
    images = [
        cell
        for cell in notebook.cells
        if any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
    ]
    assert [cell.source.splitlines()[0] for cell in images] == [
        "# The cost as it trained (the plots show below their cells).",
        "# The decision surface: the network's output over a grid of the plane, with the",
    ]


# ---- the Many classes lesson (6) -----------------------------------------------------------------
CLASSES_ITERATIONS = 60
# The page's Default preset (Adam: the engine) and Gradient descent (nn.tutorial's own code).
CLASSES_SETTINGS = {
    "classify": {"learning_rate": 0.05, "optimizer": "adam"},
    "regress": {"learning_rate": 0.2, "optimizer": "gd"},
}
CLASSES_PLOTS = {  # the notebook's view, and how its plot's cell starts
    "classify": ("classes", "# The classes over the plane:"),
    "regress": ("values", "# The learned function:"),
}


def classes_export(mode: str) -> tuple[str, dict, float]:
    """Lesson 6's export at its default data in ``mode``: (the page's data code, its export
    settings, the final cost the engine trains in process on the page's training split)."""
    from kit.settings import Settings, export_settings
    from lessons.classes.export import data_code
    from lessons.classes.logic import ClassesChoice, make_data

    data = make_data(ClassesChoice(mode=mode))
    settings = Settings(
        depth=1, units=(16,), activations=("tanh",), init="xavier", **CLASSES_SETTINGS[mode]
    )
    output = data.output()
    trainer = settings.spec(output).trainer(data.inputs[data.train], data.Y[data.train])
    for _ in trainer.run(CLASSES_ITERATIONS, every=CLASSES_ITERATIONS):
        pass
    exported = export_settings(settings, output)
    return data_code(data.choice), exported, trainer.costs[-1]


@pytest.mark.parametrize("mode", ["classify", "regress"])
def test_the_many_classes_export_runs_where_it_lands_with_numpy_only_and_matches_the_engine(
    tmp_path: Path, mode: str
):
    data_code, settings, engine_cost = classes_export(mode)
    folder = unpack(experiment_zip(data_code, settings, CLASSES_ITERATIONS), tmp_path)
    script = experiment_file_name(settings)
    assert "with numpy." in (folder / "README.txt").read_text()
    files = {path.relative_to(folder).as_posix() for path in folder.rglob("*.py")}
    assert "datasets/multiclass.py" in files and "datasets/toy.py" not in files
    blocked = tuple(name for name in NOT_NEEDED if name != "numpy")
    printed = run_where_it_lands(folder, script, blocked)
    final = float(re.search(r"^Final cost: (\S+)$", printed, re.MULTILINE).group(1))
    assert final == pytest.approx(engine_cost, rel=1e-12)
    costs = printed_costs(printed)
    assert len(costs) == 11 and costs[max(costs)] < costs[0]
    tutorial_path = "from nn.tutorial import Network" in (folder / script).read_text()
    assert tutorial_path == (mode == "regress")  # softmax is beyond the tutorial's code


def test_a_softmax_of_two_inputs_plots_its_classes_and_a_linear_unit_its_values():
    softmax = {**TUTORIAL_ROSE, "output_activation": "softmax", "loss": "categorical_cross_entropy"}
    for units, view in ((3, "classes"), (5, "classes"), (6, "cost")):
        assert notebook_view(LINEAR_DATA, {**softmax, "output_units": units}) == view
    assert (
        notebook_view(LINEAR_DATA, {**TUTORIAL_ROSE, "output_activation": "linear", "loss": "mse"})
        == "values"
    )
    assert notebook_view(LINEAR_DATA, TUTORIAL_ROSE) == "plane"  # a sigmoid: Rose's surface


@pytest.mark.parametrize("mode", ["classify", "regress"])
def test_the_exported_many_classes_notebook_runs_in_a_fresh_kernel(tmp_path: Path, mode: str):
    """Only the zip's files, a new kernel: the notebook trains the script's costs and draws the
    cost and the lesson's plane."""
    data_code, settings, engine_cost = classes_export(mode)
    view, first_line = CLASSES_PLOTS[mode]
    assert notebook_view(data_code, settings) == view
    folder = unpack(experiment_zip(data_code, settings, CLASSES_ITERATIONS), tmp_path)
    notebook = nbformat.read(folder / experiment_notebook_name(settings), as_version=4)
    printed = executed(notebook, folder)
    final = float(re.search(r"^Final cost: (\S+)$", printed, re.MULTILINE).group(1))
    assert final == pytest.approx(engine_cost, rel=1e-12)
    from_script = printed_costs(run_where_it_lands(folder, experiment_file_name(settings)))
    assert printed_costs(printed) == from_script
    images = [
        cell.source.splitlines()[0]
        for cell in notebook.cells
        if any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
    ]
    assert len(images) == 2 and images[1].startswith(first_line)
    assert images[0] == "# The cost as it trained (the plots show below their cells)."
