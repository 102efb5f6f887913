"""The code view reads the engine's real source; the exported experiment runs and reproduces the
run digit for digit; hostile settings never reach the script."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from datasets.linear import make_linear
from kit.code_view import engine_source, experiment_file_name, experiment_script
from nn import Network
from tests import REPO_ROOT

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


def rose_network() -> Network:
    net = Network(loss="cross_entropy", init="tutorial", seed=1)
    return net.add(4, activation="tanh", input_dim=2).add(1, activation="sigmoid")


def sources(tab: list[tuple[str, str]]) -> str:
    return "\n".join(source for _, source in tab)


# ---- engine source ---------------------------------------------------------------------------
def test_engine_source_is_the_real_method_text():
    code = engine_source(rose_network(), "gd")
    assert list(code) == ["forward", "backward", "update"]
    titles = [title for title, _ in code["forward"]]
    assert titles[:3] == [
        "Network.forward_pass (nn/network.py)",
        "Network._forward_share (nn/network.py)",
        "DenseLayer.forward (nn/layers.py)",
    ]
    assert "np.matmul(self.params, A_prev, out=Z)" in sources(code["forward"])
    assert "np.tanh(Z, out=A)" in sources(code["forward"])  # the tanh layer
    assert "np.logaddexp" in sources(code["forward"])  # the cross-entropy cost
    assert "def backward_pass" in sources(code["backward"])
    assert "np.matmul(dZ, A_prev.T, out=grads)" in sources(code["backward"])
    assert "layer.grads += grads" in sources(code["backward"])  # the cores' shares added
    assert "def step" in sources(code["update"])
    assert all(not source.startswith(" ") for _, source in code["forward"])  # dedented


def test_engine_source_shows_only_the_activations_in_use():
    titles = [title for title, _ in engine_source(rose_network(), "gd")["backward"]]
    assert "Tanh.backward (nn/activations.py)" in titles
    assert "Sigmoid.backward (nn/activations.py)" in titles
    assert not any("ReLU" in title for title in titles)


@pytest.mark.parametrize(
    ("optimizer", "title", "snippet"),
    [
        ("gd", "GradientDescent.update", "np.multiply(grads, learning_rate, out=self._step)"),
        ("sgd", "GradientDescent.update", "params -= self._step"),
        ("momentum", "Momentum.update", "self.velocity *= self.beta"),
        ("adam", "Adam.update", "self.v *= self.beta2"),
    ],
)
def test_update_source_follows_the_optimizer(optimizer: str, title: str, snippet: str):
    step, share, update = engine_source(rose_network(), optimizer)["update"]
    assert "optimizer.update(self._params, self._grads, learning_rate)" in step[1]
    assert share[0] == "Network._train_share (nn/network.py)" and "_backward_share" in share[1]
    assert update[0] == f"{title} (nn/optimizers.py)"
    assert snippet in update[1]


def test_engine_source_refuses_an_unknown_optimizer():
    with pytest.raises(ValueError, match="unknown optimizer"):
        engine_source(rose_network(), "rmsprop")


# ---- export this experiment -----------------------------------------------------------------
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


def test_exported_script_runs_and_reproduces_the_tutorial_linear_regression(tmp_path: Path):
    script = tmp_path / experiment_file_name(TUTORIAL_LINEAR)
    script.write_text(experiment_script(LINEAR_DATA, TUTORIAL_LINEAR, 1000))
    result = subprocess.run(
        [str(REPO_ROOT / ".venv/bin/python"), str(script)],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    printed = result.stdout
    assert len(re.findall(r"^Cost after iteration \d+: ", printed, re.MULTILINE)) == 11
    # the tutorial's last printed line: "Cost after iteration 900: 1.88...e-13"
    assert re.search(r"^Cost after iteration 900: 1\.88\d*e-13$", printed, re.MULTILINE)
    final = float(re.search(r"^Final cost: (\S+)$", printed, re.MULTILINE).group(1))
    assert final == pytest.approx(in_process_final_cost(TUTORIAL_LINEAR, 1000), rel=1e-12)
    assert "1 -> Dense layer (nx=1, nh=1, activation=linear)" in printed
    assert "There are 2 trainable parameters in the model." in printed


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


# ---- in Streamlit ----------------------------------------------------------------------------
def code_view_script() -> None:
    from kit.code_view import code_view, export_button
    from nn import Network

    net = Network(loss="mse", init="tutorial", init_scale=0.01, seed=1)
    net.add(1, activation="linear", input_dim=1)
    code_view(net, "momentum")
    settings = {
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
        "optimizer": "momentum",
        "batch_size": None,
        "l2": 0.0,
    }
    export_button(
        "export", "from datasets.linear import make_linear\nX, Y = make_linear()", settings, 10
    )
    export_button("bad", "X = Y = 0", {**settings, "optimizer": "gd; import os"}, 10)


def test_code_view_and_export_button_render():
    at = AppTest.from_function(code_view_script, default_timeout=30).run()
    assert not at.exception
    assert [tab.label for tab in at.tabs] == ["forward", "backward", "update"]
    assert any("self.velocity" in block.value for block in at.code)
    button = at.get("download_button")[0]
    assert button.proto.label == "Export this experiment (.py)"
    assert "Cannot export this experiment" in at.error[0].value
